"""A noun and its relative clause as a question: "awards (that) a film won" → "awards did a film win",
"films that won an award" → "films won an award", "plants eaten by an animal" → "plants are eaten by an
animal". Families that read "What is the number of X …" and "What are the kinds of X …" put "How many" or
"Which" before it and read the question they know.
"""

from __future__ import annotations

from ..lexicon import AUX, COMMON_VERBS
from ..morphology import verb_forms, verb_lemma
from ..word_classes import _is_participle
from .chunker import _low, _np

__all__ = ["as_question"]

_RELATIVE = frozenset("that which who".split())


def _do_support(verb: str) -> tuple[str, str] | None:
    """``won`` → ``("did", "win")``, ``reads`` → ``("does", "read")``, ``read`` → ``("do", "read")``."""
    lemma = verb_lemma(verb)
    if lemma not in COMMON_VERBS:
        return None
    base, third, past, _, _ = verb_forms(lemma)
    if verb == base:
        return "do", base
    if verb == third:
        return "does", base
    return ("did", base) if verb == past else None


def as_question(x: list[str], clause: list[str]) -> list[str] | None:
    """The words after "How many" or "Which" for the noun ``x`` and its relative clause; ``None`` when the
    clause is not a relative clause about ``x``."""
    low = _low(clause)
    pronoun = bool(low) and low[0] in _RELATIVE
    if pronoun:
        clause, low = clause[1:], low[1:]
    if len(clause) < 2:
        return None
    if not pronoun and _is_participle(low[0]):
        return [*x, "are", *clause]  # "plants eaten by an animal", "tools used to …": a reduced clause is passive
    if low[0] in AUX or _do_support(low[0]) is not None:
        return [*x, *clause]  # "films that won an award": the noun is the subject
    for m in range(1, len(clause)):  # "awards a film won": the noun is the object of the clause's subject
        subject = _np(clause[:m])
        if subject is None or subject.ref is None and not subject.entity:
            continue
        if low[m] in AUX and m + 1 < len(clause):  # "formats a tool can read"; a closing "has" is the verb
            return [*x, clause[m], *clause[:m], *clause[m + 1:]]
        support = _do_support(low[m])
        if support is not None:
            return [*x, support[0], *clause[:m], support[1], *clause[m + 1:]]
        return None
    return None


