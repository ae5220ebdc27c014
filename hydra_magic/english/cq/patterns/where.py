"""Question family *where*: ``Where was a person born?`` → bornIn; ``Where does an animal live?`` → livesIn."""

from __future__ import annotations

from ...lexicon import AUX, AUX_BE, COMMON_VERBS
from ...word_classes import _is_participle
from ..builders import _B, _candidates, _state_prop, _verb_prop
from ..chunker import _low, _nps, _verb_group
from ..model import PLACE, ParsedCQ
from ..registry import cq_pattern


@cq_pattern(priority=40)
def _p_where(text: str, toks: list[str]) -> ParsedCQ | None:
    """``Where was a person born?`` → bornIn; ``Where does an animal live?`` → livesIn (→ Place)."""
    low = _low(toks)
    if len(toks) < 3 or low[0] != "where" or low[1] not in AUX:
        return None
    aux = low[1]
    if aux in AUX_BE:
        x = _nps(toks[2:])
        if x:  # "Where is a museum?"
            b = _B(text, "where_is")
            dom = b.np(x)
            b.cls(PLACE)
            b.prop(_state_prop("located", "in", dom, (PLACE.name,)))
            return b.done("entities", PLACE.name, "range")
    for j in _candidates(toks, 3, len(toks), lambda w: _is_participle(w, True) or w in COMMON_VERBS):
        subj = _nps(toks[2:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None or vg.end != len(toks) or vg.lemma in ("be", "have") and vg.kind == "active":
            continue
        b = _B(text, "where")
        dom = b.np(subj)
        b.cls(PLACE)
        if vg.kind == "passive":
            b.prop(_state_prop(vg.main, vg.prep or "in", dom, (PLACE.name,)))
        elif vg.kind == "active":
            b.prop(_verb_prop(vg.lemma, vg.prep or "in", dom, (PLACE.name,), transitive=False))
        else:
            continue
        return b.done("entities", PLACE.name, "range", negated=vg.negated)
    return None
