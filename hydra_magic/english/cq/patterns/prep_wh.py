"""Question family *preposition + wh*: ``In which country was a film produced?`` → producedIn (Film → Country);
``By whom was a film directed?`` → directs (Person → Film)."""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX, KIND_WORDS, PREPS
from ...word_classes import _is_known_attribute
from ..chunker import _low, _nps
from ..clauses import _clause_inverted
from ..model import ParsedCQ
from ..registry import cq_pattern
from ..words import WHEN_PHRASES
from .who import _p_who


@cq_pattern(priority=80)
def _p_prep_wh(text: str, toks: list[str]) -> ParsedCQ | None:
    """``In which country was a film produced?`` → producedIn (Film → Country)."""
    low = _low(toks)
    if len(toks) >= 4 and low[0] in PREPS and low[1] == "whom":
        # "By whom was a film directed?", "With whom did an actor work?": "Whom did an actor work with?"
        r = _p_who(text, ["whom", *toks[2:], low[0]])
        return replace(r, pattern="prep_" + r.pattern) if r is not None else None
    if len(toks) < 5 or low[0] not in PREPS or low[1] not in ("what", "which"):
        return None
    if any(tuple(low[:len(m)]) == m for m in WHEN_PHRASES):
        return None  # "At what point …" asks when (the family *when* reads it, or nothing does): no class Point
    prep = low[0]
    for a in range(3, len(toks)):
        if low[a] in AUX:
            wh = _nps(toks[2:a], class_slot=True)
            if not wh or _is_known_attribute(low[2:a]):
                return None  # "At what price is a product sold?": a value (a price), not a class Price
            r = _clause_inverted(text, "prep_which", wh, toks[:a] + toks[a:] + [prep], a)
            if r is not None and low[2] in KIND_WORDS and low[3] == "of":
                # "In what kind of habitat does an animal live?" asks for kinds (subclasses) of habitat
                return replace(r, pattern="kinds_prep_which", answer="subclasses")
            return r
    return None
