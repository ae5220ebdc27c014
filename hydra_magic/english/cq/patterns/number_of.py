"""Question family *number of*: ``What is the number of awards (that) a film won?`` is a count, read as
``How many awards did a film win?``; ``What is the total number of films that won an award?`` as ``How many
films won an award?``.

Only with a clause after the counted noun: "the number of films of a director" names an attribute
(``numberOfFilms``) and is left to the *what is* family.
"""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX, COMMON_VERBS, DETERMINERS
from ...morphology import verb_forms, verb_lemma
from ...word_classes import _is_participle
from ..chunker import _low, _np
from ..model import ParsedCQ
from ..registry import cq_pattern
from .how import _how_many

_OPENINGS = (("what", "is", "the"), ("what", "was", "the"), ("what", "'s", "the"))
_RELATIVE = frozenset("that which who".split())


def _counted_rest(low: list[str]) -> int:
    """Where the counted noun starts after "What is the (total) number of", else -1."""
    if tuple(low[:3]) not in _OPENINGS:
        return -1
    k = 4 if low[3:4] == ["total"] else 3
    return k + 2 if low[k:k + 2] == ["number", "of"] else -1


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


def _as_how_many(x: list[str], clause: list[str]) -> list[str] | None:
    """The words after "How many" for the counted noun ``x`` and its relative clause."""
    low = _low(clause)
    if low and low[0] in _RELATIVE:
        clause, low = clause[1:], low[1:]
    if len(clause) < 2:
        return None
    if low[0] in AUX or _do_support(low[0]) is not None:
        return [*x, *clause]  # "films (that) won an award": the noun is the subject
    if _is_participle(low[0]):
        return [*x, "are", *clause]  # "plants eaten by an animal"
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


@cq_pattern(priority=8)
def _p_number_of(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What is the number of X (that) <clause>?`` as ``How many X <clause>?``, answering a count."""
    low = _low(toks)
    start = _counted_rest(low)
    if start < 0 or start >= len(toks) - 2:
        return None
    for j in range(start + 1, len(toks) - 1):
        if low[j] in ("of", "in", "for", "per"):
            return None  # "the number of films of a director": an attribute
        if low[j - 1] in DETERMINERS:
            continue  # "pages a | book has": an article starts the clause
        x = _np(toks[start:j], class_slot=True)
        if x is None or x.ref is None:
            continue
        rest = _as_how_many(toks[start:j], toks[j:])
        r = _how_many(text, rest) if rest is not None else None
        if r is not None and r.answer in ("count", "value") and r.properties:  # "value": numberOfPages
            return replace(r, pattern="number_of_" + r.pattern.removeprefix("how_many_"))
    return None
