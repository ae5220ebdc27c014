"""Names and IRIs: the one place where identifiers are minted.

Entity names are snake_case, class names PascalCase, property names camelCase
(HyDRA's conventions). IRIs are ``base + percent-encoded name`` so that any
surface form (spaces, ``<>"{}|^`` and backticks, non-Latin scripts) yields a
valid, stable IRI.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

__all__ = [
    "DEFAULT_BASE",
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


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    text = _CAMEL_SPLIT.sub(" ", text)
    return _WORD.findall(text)


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
    return bool(name) and name == name.lower() and " " not in name and not name.startswith("_") \
        and snake_case(name) == name


def is_pascal_case(name: str) -> bool:
    return bool(name) and name[:1].isupper() and pascal_case(name) == name


def is_camel_case(name: str) -> bool:
    return bool(name) and name[:1].islower() and " " not in name and camel_case(name) == name


def mint(base: str, name: str) -> URIRef:
    """The IRI of ``name`` under ``base``; total and stable for any string."""
    safe = quote(unicodedata.normalize("NFC", name), safe=_IRI_SAFE)
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
