"""Symbolic contracts every engine output passes before it may change the session."""

from .grounding import find_span
from ..issues import CODES, Issue, Severity
from .ontology_rules import OntologyVerdict, check_proposal, resolve_datatype
from .triple_rules import CheckedTriple, TripleVerdict, check_triples
from .values import check_literal, to_literal

__all__ = [
    "CODES",
    "Issue",
    "Severity",
    "OntologyVerdict",
    "check_proposal",
    "resolve_datatype",
    "CheckedTriple",
    "TripleVerdict",
    "check_triples",
    "check_literal",
    "to_literal",
    "find_span",
]
