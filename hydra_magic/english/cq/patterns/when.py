"""Question family *when*: ``When was a film released?`` → releaseDate; ``In what year did X …`` → <event>Year.

"When" asks for a time without naming its grain. The grain follows the event: a founding or a
construction (:data:`~hydra_magic.english.lexicon.YEAR_EVENTS`) is answered by a year, so "When was a
company founded?" makes ``foundingYear``, a year as "In what year …" makes it (``xsd:integer``: the
ontology's datatypes have no ``xsd:gYear``); every other event keeps ``xsd:date``. The range is one
datatype (the contracts check a literal against one; a union of datatypes is not checked), and a value
is never retyped to fit it: a year read for a ``xsd:date`` property is rejected with the contracts' hint,
and a full date is no year (it is not cut to one). The property's comment says which grain was chosen
and how to ask for the other ("On what date …", "In what year …" name the grain and are read as
written).
"""

from __future__ import annotations

from typing import Sequence

from ...lexicon import AUX, COMMON_VERBS, TIME_UNITS, YEAR_EVENTS
from ...morphology import past_participle
from ...word_classes import _is_participle, _nominalise
from ..builders import _B, _candidates, _event_prop, _verb_prop
from ..chunker import _NP, _low, _nps, _verb_group
from ..model import ParsedCQ
from ..registry import cq_pattern
from ..words import WHEN_PHRASES


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
        comment = ""
        if pattern == "when" and vg.lemma in YEAR_EVENTS:
            unit, datatype = TIME_UNITS["year"]  # "When was a company founded?": texts give the year
            comment = (f"A year (xsd:{datatype}, as 'In what year …' reads): '{text.strip()}' asks for a time, and "
                       f"texts give a {_nominalise(vg.lemma)} by its year; ask 'On what date …' for full dates.")
        b.prop(_event_prop(vg.lemma, participle, dom, unit, datatype, comment=comment))
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
    moment = next((len(m) for m in WHEN_PHRASES if tuple(low[:len(m)]) == m), 0)
    if moment:
        # "At what point did the license change?" asks "When did the license change?" (a point, not a class Point)
        return _event(text, "when", ["when", *toks[moment:]], 1, "date", "date")
    i = 1 if low[0] in ("in", "on", "at", "during") else 0
    if len(low) > i + 2 and low[i] in ("what", "which") and low[i + 1] in TIME_UNITS:
        unit, dt = TIME_UNITS[low[i + 1]]
        return _event(text, "what_" + unit, toks, i + 2, unit, dt)
    return None
