r"""Names and IRIs: the one place where identifiers are minted.

Entity names are snake_case, class names PascalCase, property names camelCase
(HyDRA's conventions). IRIs are ``base + percent-encoded name`` so that any
surface form (spaces, ``<>"{}|^`` and backticks, non-Latin scripts) yields a
valid, stable IRI.

Before a name is cut into words or minted it is normalised (:func:`clean_name`):
NFC, invisible format characters (zero-width space and joiners, soft hyphen,
BOM, bidi marks, variation selectors) removed, unpaired surrogates replaced.
So ``"Al\u200bien"`` and ``"Alien"`` get one IRI, and so do ``"Zoe\u0301"``
and ``"Zoé"``; combining marks stay part of their word (``"हिन्दी"`` is one
word). The surface form is kept by the caller as the label.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

__all__ = [
    "DEFAULT_BASE",
    "clean_name",
    "snake_case",
    "pascal_case",
    "camel_case",
    "is_snake_case",
    "is_pascal_case",
    "is_camel_case",
    "mint",
    "local_name",
    "normalise_label",
]

DEFAULT_BASE = "http://example.org/hydra/"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Characters that are never allowed raw in an IRI (RFC 3987) are percent-encoded;
# letters of any script are kept so IRIs stay readable.
_IRI_SAFE = "!$&'()*+,;=:@/-._~"
# Invisible characters that are not format characters (category Cf): the combining
# grapheme joiner, the Mongolian vowel separator and the variation selectors.
_INVISIBLE = frozenset("\u034f\u180e" + "".join(map(chr, range(0xFE00, 0xFE10))))


@lru_cache(maxsize=65536)  # pure and hot: every name passes here
def clean_name(text: str) -> str:
    """``text`` in NFC with invisible characters removed; unpaired surrogates become U+FFFD.

    >>> clean_name("Al\u200bien"), clean_name("Zoe\u0301") == "Zo\u00e9"
    ('Alien', True)
    """
    if text.isascii():
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf" or ch in _INVISIBLE or 0xE0100 <= ord(ch) <= 0xE01EF:
            continue  # zero-width space/joiners, soft hyphen, BOM, bidi marks, selectors
        out.append("\ufffd" if cat == "Cs" else ch)
    return unicodedata.normalize("NFC", "".join(out))


def _words(text: str) -> list[str]:
    text = _CAMEL_SPLIT.sub(" ", clean_name(text))
    if text.isascii():
        return _WORD.findall(text)
    # A combining mark (Mn, Mc, Me) belongs to the word before it: NFC leaves many
    # marks unmerged (Devanagari vowel signs, "i\u0307" from "İ".lower()), and
    # the regex class [^\W_] does not count them as word characters.
    words: list[str] = []
    cur: list[str] = []
    for ch in text:
        if ch.isalnum() or (cur and unicodedata.category(ch)[0] == "M"):
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return words


@lru_cache(maxsize=65536)  # pure and hot: called per candidate by the contracts
def snake_case(text: str) -> str:
    """``"Ridley Scott"`` -> ``"ridley_scott"``; empty when there are no word characters."""
    return "_".join(w.lower() for w in _words(text))


@lru_cache(maxsize=65536)  # pure and hot: called per candidate by the contracts
def pascal_case(text: str) -> str:
    """``"film award"`` -> ``"FilmAward"`` (an existing inner capital is kept)."""
    return "".join(w[:1].upper() + w[1:] for w in _words(text))


@lru_cache(maxsize=65536)  # pure and hot: called per candidate by the contracts
def camel_case(text: str) -> str:
    """``"directed by"`` -> ``"directedBy"``."""
    p = pascal_case(text)
    return p[:1].lower() + p[1:]


@lru_cache(maxsize=65536)  # pure and hot: called per candidate by the contracts
def is_snake_case(name: str) -> bool:
    # Judged on the normalised form, the one mint() puts in the IRI.
    name = clean_name(name)
    return bool(name) and name == name.lower() and " " not in name and not name.startswith("_") \
        and snake_case(name) == name


def is_pascal_case(name: str) -> bool:
    name = clean_name(name)
    return bool(name) and name[:1].isupper() and pascal_case(name) == name


def is_camel_case(name: str) -> bool:
    name = clean_name(name)
    return bool(name) and name[:1].islower() and " " not in name and camel_case(name) == name


@lru_cache(maxsize=65536)  # pure and hot: the contracts mint each end of every candidate
def mint(base: str, name: str) -> URIRef:
    """The IRI of ``name`` under ``base``; total and stable for any string.

    ``name`` is normalised first (:func:`clean_name`), so names that look the
    same get the same IRI.
    """
    safe = quote(clean_name(name), safe=_IRI_SAFE)
    # Percent-encoding keeps non-ASCII letters readable when decoded but valid when not.
    return URIRef(base + safe)


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``."""
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[1] or s
    from urllib.parse import unquote
    return unquote(s)


@lru_cache(maxsize=65536)  # pure and hot: called per candidate by the contracts
def normalise_label(text: str) -> str:
    """Key for case-/space-/underscore-insensitive lookups: ``"Lyrics_by"`` -> ``"lyrics by"``."""
    return " ".join(w.lower() for w in _words(text))
