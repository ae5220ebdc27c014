"""Question family *number of*: ``What is the number of awards (that) a film won?`` is a count, read as
``How many awards did a film win?``; ``What is the total number of films that won an award?`` as ``How many
films won an award?``.

Only with a clause after the counted noun: "the number of films of a director" names an attribute
(``numberOfFilms``) and is left to the *what is* family.
"""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import DETERMINERS
from ..chunker import _low, _np
from ..model import ParsedCQ
from ..registry import cq_pattern
from ..relative import as_question
from .how import _how_many

_OPENINGS = (("what", "is", "the"), ("what", "was", "the"), ("what", "'s", "the"))
def _counted_rest(low: list[str]) -> int:
    """Where the counted noun starts after "What is the (total) number of", else -1."""
    if tuple(low[:3]) not in _OPENINGS:
        return -1
    k = 4 if low[3:4] == ["total"] else 3
    return k + 2 if low[k:k + 2] == ["number", "of"] else -1


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
        rest = as_question(toks[start:j], toks[j:])
        r = _how_many(text, rest) if rest is not None else None
        if r is not None and r.answer in ("count", "value") and r.properties:  # "value": numberOfPages
            return replace(r, pattern="number_of_" + r.pattern.removeprefix("how_many_"))
    return None
