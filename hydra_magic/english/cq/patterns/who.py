"""Question family *who*: ``Who directed a film?`` (subject), ``Whom did a director hire?`` (object) → Person."""

from __future__ import annotations

from ...lexicon import AUX_BE, AUX_DO, AUX_HAVE, MODALS
from ..chunker import _low
from ..clauses import _clause_inverted, _clause_subject
from ..model import PERSON, ParsedCQ
from ..registry import cq_pattern


@cq_pattern(priority=70)
def _p_who(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    if not toks or low[0] not in ("who", "whom"):
        return None
    rest = [t for k, t in enumerate(toks[1:]) if not (k == 0 and t.lower() == "else")]
    if not rest:
        return None
    r = _clause_subject(text, "who_subject", None, rest, 0, subject_class=PERSON)
    if r is not None and r.properties:
        return r
    for a in range(0, len(rest)):
        if rest[a].lower() in AUX_DO | MODALS | AUX_BE | AUX_HAVE:
            r = _clause_inverted(text, "who_object", None, rest, a, wh_class=PERSON)
            if r is not None:
                return r
            break
    return None
