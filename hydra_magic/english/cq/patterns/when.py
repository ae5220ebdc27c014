"""Question family *when*: ``When was a film released?`` → releaseDate; ``In what year did X …`` → <event>Year."""

from __future__ import annotations

from typing import Sequence

from ...lexicon import AUX, COMMON_VERBS, TIME_UNITS
from ...morphology import past_participle
from ...word_classes import _is_participle
from ..builders import _B, _candidates, _event_prop, _verb_prop
from ..chunker import _NP, _low, _nps, _verb_group
from ..model import ParsedCQ
from ..registry import cq_pattern


def _event(text: str, pattern: str, toks: Sequence[str], aux_at: int, unit: str, datatype: str) -> ParsedCQ | None:
    """``<aux> <subject> <verb>`` after "when" / "what year" → ``<event><Unit>`` on the subject."""
    low = _low(toks)
    if aux_at >= len(toks) or low[aux_at] not in AUX:
        return None
    aux = low[aux_at]
    n = len(toks)
    for j in _candidates(toks, aux_at + 2, n, lambda w: _is_participle(w, True) or w in COMMON_VERBS):
        subj = _nps(toks[aux_at + 1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None or vg.kind not in ("passive", "active") or vg.lemma in ("be", "have"):
            continue
        tail = toks[vg.end:]
        b = _B(text, pattern)
        dom = b.np(subj)
        agent: list[_NP] | None = None
        if vg.kind == "passive" and vg.prep == "by":
            agent = _nps(tail)
            if not agent:
                continue
        elif tail:
            continue  # "When did a company acquire a startup?": an event with two parties
        elif vg.prep and vg.kind == "active":
            continue
        participle = past_participle(vg.lemma) if vg.kind == "active" else vg.main
        b.prop(_event_prop(vg.lemma, participle, dom, unit, datatype))
        if agent:
            b.prop(_verb_prop(vg.lemma, "", b.np(agent), dom))
        return b.done("value", None, "range", negated=vg.negated)
    return None


@cq_pattern(priority=30)
def _p_when(text: str, toks: list[str]) -> ParsedCQ | None:
    """``When was a film released?`` → releaseDate; ``In what year did X …`` → <event>Year."""
    low = _low(toks)
    if not toks:
        return None
    if low[0] == "when":
        return _event(text, "when", toks, 1, "date", "date")
    i = 1 if low[0] in ("in", "on", "at", "during") else 0
    if len(low) > i + 2 and low[i] in ("what", "which") and low[i + 1] in TIME_UNITS:
        unit, dt = TIME_UNITS[low[i + 1]]
        return _event(text, "what_" + unit, toks, i + 2, unit, dt)
    return None
