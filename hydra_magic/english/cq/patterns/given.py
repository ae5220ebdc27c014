"""Question family *given*: ``Given a habitat, which animals live there?`` — the CLaRO shape "Given [EC1], what
are [EC2] for [EC3] …": the question after the comma is read on its own, and the given thing's class is kept.
The same with the given thing last: ``What animal eats a plant given a habitat?`` (CLaRO "What [EC1] [PC1] [EC2]
given [EC3]")."""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX, WH
from ..chunker import _low, _nps, _rewrite_possessives
from ..model import ParsedCQ
from ..registry import cq_pattern


@cq_pattern(priority=5)
def _p_given(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    if len(toks) >= 5 and low[0] in WH and "given" in low[3:-1]:
        return _given_last(text, toks, low)
    if len(toks) < 4 or low[0] not in ("given", "for"):
        return None
    for k in range(2, len(toks) - 1):
        if low[k] in WH or (low[k] in AUX and low[0] == "given"):
            given = _nps(toks[1:k])
            if not given or any(g.ref is None for g in given):
                continue
            from ..parse import _parse_clause

            rest = toks[k:]
            if len(given) == 1 and given[0].ref is not None:
                # "it" and "its" stand for the given thing
                words = given[0].ref.label.split()
                out: list[str] = []
                for t in rest:
                    out += ["the", *words] if t.lower() == "it" else \
                        ["the", *words, "'s"] if t.lower() == "its" else [t]
                rest = _rewrite_possessives(out)
            r = _parse_clause(text, rest)
            if r is None:
                return None
            classes = r.classes + tuple(g.ref for g in given if g.ref is not None and g.ref not in r.classes)
            return replace(r, pattern="given_" + r.pattern, classes=classes)
    return None


def _given_last(text: str, toks: list[str], low: list[str]) -> ParsedCQ | None:
    """``What animal eats a plant given a habitat?``: the question before the last "given", and Habitat."""
    k = len(low) - 1 - low[::-1].index("given")
    given = _nps(toks[k + 1:])
    if not given or any(g.ref is None for g in given):
        return None
    from ..parse import _parse_clause

    r = _parse_clause(text, toks[:k])
    if r is None:
        return None
    classes = r.classes + tuple(g.ref for g in given if g.ref is not None and g.ref not in r.classes)
    return replace(r, pattern="given_" + r.pattern, classes=classes)
