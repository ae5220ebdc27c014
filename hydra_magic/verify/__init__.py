"""Verification of a whole session: the KG against the ontology, value rules, SHACL shapes and CQs.

What the session calls (see :class:`~hydra_magic.session.Session`):

- :func:`parse_rules` (``%%rules``), :func:`parse_shapes` (``%%shacl``);
- :func:`run` (``%hydra verify``), which returns a :class:`VerificationReport`.

Modules, one job each: :mod:`.terms` (RDF terms as plain-string ids),
:mod:`.context` (the ontology as sets), :mod:`.index` (the KG as nested dicts,
synced incrementally), :mod:`.findings` (how an issue is filed),
:mod:`.typing_checks` (vocabulary, domain, range, datatypes), :mod:`.owl_checks`
(property characteristics, disjointness), :mod:`.prefilter` (set-wise
narrowing for full runs), :mod:`.value_rules` (sympy rules), :mod:`.shacl`
(generated and user shapes, pySHACL), :mod:`.cq_tests` (CQs as SPARQL tests),
:mod:`.loading` (a KG file into a session), :mod:`.report` and :mod:`.runner`.
"""

from __future__ import annotations

from .cq_tests import CQTest
from .report import VerificationReport
from .runner import VerifyState, run
from .shacl import parse_shapes, shapes_turtle
from .value_rules import ValueRule, find_conflicts, parse_rules

__all__ = [
           "CQTest",
           "ValueRule",
           "VerificationReport",
           "VerifyState",
           "find_conflicts",
           "parse_rules",
           "parse_shapes",
           "run",
           "shapes_turtle",
]
