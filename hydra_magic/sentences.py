"""Sentence boundaries: one definition for the engines and the contracts.

The contracts judge a candidate on the sentence that states it (its evidence,
its polarity), so they compute that sentence from the source text themselves
rather than trusting the one an engine reports.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["split_sentences", "sentence_at"]

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr co inc ltd bros vs no mt ft gen col lt sgt capt prof rev "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e etc approx ca "
    "op vol nos".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (abbreviations and initials do not end one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[max(start, m.start() - 12) : m.start()]
        last = re.search(r"([\w.]+)$", before)
        word = last.group(1).lower() if last else ""
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
            continue  # initials "N.R." before a name
        if text[m.start()] == "." and (
            len(word) == 1
            and word.isalpha()
            or word in _ABBREVIATIONS
            or word.rstrip(".") in _ABBREVIATIONS
        ):
            continue
        if text[m.start()] in "!?" and len(text[start : m.start()].split()) < 6:
            continue
        end = m.start() + 1
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence span (from :func:`split_sentences`) that holds character ``offset``."""
    k = bisect_right([s for s, _ in spans], offset) - 1
    if k >= 0 and spans[k][0] <= offset < max(spans[k][1], spans[k][0] + 1):
        return spans[k]
    return None
