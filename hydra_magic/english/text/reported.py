"""Candidates the engine forms and rejects itself: a reading that rests on a guess.

A pronoun, a short name or an implicit owner that may mean two or more entities ("he" after
Pierre Curie and Paul Langevin) yields no fact; what the sentence would have stated is still
proposed, as a :class:`ReportedCandidate` with an ``ambiguous_reference`` issue naming the
mention and its candidates, so that the user sees it among the rejections instead of nothing.
Its ambiguous end is named after all its candidates (``pierre_curie_or_paul_langevin``) and
gets no typing: a checker that does not read :attr:`ReportedCandidate.issue` still rejects it
(``untyped_entity``), so it never becomes a fact either way; the contracts read it
from :attr:`~hydra_magic.candidates.TripleCandidate.issue` and name it first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...candidates import TripleCandidate
from ...issues import Issue
from ...rule_registry import RULES
from .mentions import _Mention
from .tokens import _snake

AMBIGUOUS_REFERENCE = "ambiguous_reference"


@dataclass
class ReportedCandidate(TripleCandidate):
    """A candidate the engine itself rejects; :attr:`TripleCandidate.issue` says why (the contracts put it
    first among the rejection's reasons)."""


def ambiguous_name(m: _Mention) -> str:
    """The entity name of an ambiguous mention: its candidates joined ("greta_lind_or_anna_berg")."""
    return "_or_".join(_snake(c) for c in m.candidates)


def ambiguous_issue(m: _Mention, role: str, sentence: str) -> Issue:
    """The ``ambiguous_reference`` issue of mention ``m`` (the ``role`` end of a candidate)."""
    rule = RULES[AMBIGUOUS_REFERENCE]
    said = repr(m.said[0]) if m.said is not None else (
        repr(m.text) if m.i >= 0 else "The entity the sentence leaves implicit")
    names = list(m.candidates)
    candidates = " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
    return Issue(AMBIGUOUS_REFERENCE,
                 rule.message_for(mention=said, candidates=candidates, sentence=sentence.strip()[:160]),
                 rule.hint, path=f"triple.{role}", data={"candidates": names})
