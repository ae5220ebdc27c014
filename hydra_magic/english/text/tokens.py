"""Tokens of a sentence with their stems, kinds and offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...iri import snake_case
from .words import NOT_FILLERS

# Combining marks and invisible characters (zero-width space, soft hyphen) stay inside a word:
# "Al\u200bien" is one name (iri.clean_name drops them when the IRI is minted).
_TOKEN = re.compile(
    r"""
    (?P<num>\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?(?![^\W_]))
   |(?P<pos>['’][sS](?![^\W_]))
   |(?P<word>[^\W\d_](?:[^\W_]|(?<=[\u00c2-\u00ef\u0080-\u00bf])[\u0080-\u00bf]
                       |[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200b-\u200d\u2060\ufeff\u00ad]
                       |[-'’](?=[^\W_])(?!['’]?[sS](?![^\W_])))*)
   |(?P<alnum>[^\W_]+)
   |(?P<punct>\S)
""",
    re.X,
)
_SUFFIXES = ("ies", "es", "s", "ed", "ing")
_YEAR = re.compile(r"(1\d{3}|20\d{2})")


#: Entity names of surfaces (memoised: the same names recur across sentences).
_snake = lru_cache(maxsize=1 << 16)(snake_case)


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Crude, fast suffix stripping; triggers match on these stems (memoised: words recur)."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 2 and w.endswith(suf):
            w = w[: -len(suf)] + ("y" if suf == "ies" else "")
            if suf in ("ed", "ing") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "starring" -> "star", "planned" -> "plan"
            return w
    if len(w) > 4 and w.endswith("e") and not w.endswith("ee"):
        return w[:-1]  # "language" as "languages" -> "languag", "produce" as "produces"/"produced"
    return w


@dataclass(slots=True)
class _Tokens:
    text: str
    words: list[str]
    low: list[str]
    stems: tuple[str, ...]
    kinds: list[str]
    starts: list[int]
    ends: list[int]


def _tokenize(text: str) -> _Tokens:
    words, kinds, starts, ends = [], [], [], []
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        words.append(text[a:b])
        kinds.append(m.lastgroup or "punct")
        starts.append(a)
        ends.append(b)
    low = [w.lower() for w in words]
    return _Tokens(text, words, low, tuple(map(_stem, low)), kinds, starts, ends)


def _filler(toks: _Tokens, q: int) -> bool:
    w = toks.low[q]
    if toks.kinds[q] == "punct":
        return False
    return w not in NOT_FILLERS and not (
        toks.kinds[q] == "word"
        and w.endswith("ed")
        and len(w) > 4
        and not toks.words[q][:1].isupper()
    )
