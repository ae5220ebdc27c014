"""Grounding: every entity and literal must be findable in its source text.

Tolerant to case, whitespace, punctuation, underscores and simple inflection
("directors" grounds "director"), so that the check rejects hallucinations, not
spelling variants.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["find_span", "stem"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SUFFIXES = ("ies", "es", "s", "ed", "ing", "'s")


def stem(word: str) -> str:
    """A crude, fast suffix stripper (enough for plural/past/gerund tolerance)."""
    w = word.lower()
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def _fold(text: str) -> str:
    # Strip accents so "Dorēmu" grounds "doremu"; keep length stable per char where possible.
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def find_span(term: str, text: str) -> tuple[int, int] | None:
    """Character span of ``term`` in ``text`` or ``None`` when it cannot be grounded."""
    term = term.strip()
    if not term:
        return None
    i = text.find(term)
    if i >= 0:
        return (i, i + len(term))
    lower = text.lower()
    i = lower.find(term.lower())
    if i >= 0:
        return (i, i + len(term))
    words = [stem(_fold(w)) for w in _TOKEN.findall(term.replace("_", " "))]
    if not words:
        return None
    tokens = [(m.start(), m.end(), stem(_fold(m.group()))) for m in _TOKEN.finditer(text)]
    n = len(words)
    for k in range(len(tokens) - n + 1):
        if all(tokens[k + j][2] == words[j] for j in range(n)):
            return (tokens[k][0], tokens[k + n - 1][1])
    return None
