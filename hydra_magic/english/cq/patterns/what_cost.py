"""Question family *what + measure verb*: ``What does a ticket cost?``, ``What will it cost?``."""

from __future__ import annotations

from ...lexicon import AUX_DO, COST_VERBS, MODALS
from ..builders import _B, _data_prop
from ..chunker import _low, _nps
from ..model import ClassRef, ParsedCQ
from ..registry import cq_pattern


@cq_pattern(priority=20)
def _p_what_cost(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What does a ticket cost?``, ``What will it cost?``."""
    low = _low(toks)
    if len(toks) < 4 or low[0] != "what" or low[1] not in AUX_DO | MODALS or low[-1] not in ("cost", "weigh"):
        return None
    x = _nps(toks[2:-1])
    if not x:
        return None
    attr, dt = COST_VERBS[low[-1]]
    b = _B(text, "how_much")
    dom = b.np(x)
    b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
    return b.done("value", None, "range")
