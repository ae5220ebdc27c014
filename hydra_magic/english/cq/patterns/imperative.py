"""Question family *imperative*: ``List all films directed by a director.``, ``Name the animals that eat plants.``"""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import IMPERATIVES
from ..builders import _B, _relational
from ..chunker import _low, _nps
from ..model import ParsedCQ
from ..registry import cq_pattern
from .what_is import _attribute_of
from .which import _p_which


@cq_pattern(priority=110)
def _p_imperative(text: str, toks: list[str]) -> ParsedCQ | None:
    """``List all films directed by a director.``, ``Name the animals that eat plants.``"""
    low = _low(toks)
    if len(toks) < 2 or low[0] not in IMPERATIVES:
        return None
    i = 1
    while i < len(low) and low[i] in ("me", "us", "all", "every", "each"):
        i += 1
    rest = toks[i:]
    rel = _relational(rest)
    if rel is not None and not any(w in ("that", "which", "who") for w in _low(rest)):
        # "List the animals of a habitat", "Name an award of a film": a list of things (hasX), never one value
        return _attribute_of(text, "what", *rel, listing=True)
    r = _p_which(text, ["which", *[t for t in rest if t.lower() not in ("that", "which", "who")]])
    if r is not None:
        return replace(r, pattern="list_" + r.pattern.replace("which_", ""))
    x = _nps(rest, class_slot=True)
    if not x or x[0].ref is None:
        return None
    b = _B(text, "list")
    b.np(x)
    return b.done("entities", x[0].ref.name)
