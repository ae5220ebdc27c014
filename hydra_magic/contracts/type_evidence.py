"""Type evidence: where each type of an entity came from, and which types may satisfy a check.

A domain or range check is only worth something when the type it checks rests
on evidence independent of the triple being checked. A type counts as
independent when the text *states* it next to the entity ("Ridley Scott is a
director", "the film Alien", "Marie Curie, a physicist"), when the user gave it,
or when the graph already held it unflagged. A type an engine *inferred* from the
domain or range of the very relation it extracted (or a model asserted without
the text saying so) is recorded with the flag ``type_inferred``; facts whose
checks rest only on such types are flagged too and never count as verified.

Whether a type is stated is decided here, from the source text, not taken from
the engine's word (:attr:`TripleCandidate.inferred` is only a hint).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from rdflib import URIRef

from .grounding import stem

if TYPE_CHECKING:
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology  # noqa: F401  (also named in a string annotation)

__all__ = ["TYPE_INFERRED", "TypeClaim", "TypeBook", "class_words", "type_stated"]

#: The flag of a fact let in on a type inferred from a relation (see module docstring).
TYPE_INFERRED = "type_inferred"

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_COPULA = re.compile(
    r"^\s*,?\s*(?:who|which|that\s+)?\s*(?:is|was|are|were|became|becomes|remains|remained|"
    r"has\s+been|had\s+been|have\s+been|is\s+also|was\s+also)\s+(?:also\s+)?"
    r"(?:(?:a|an|the|one\s+of\s+the|another)\s+)?", re.I)
_APPOSITIVE = re.compile(r"^\s*[,(–—-]\s*(?:a|an|the|another)\s+", re.I)
_PARENTHESIS = re.compile(r"^\s*\(\s*", re.I)
# Words that end the noun phrase a copula or appositive opens.
_PHRASE_END = frozenset(
    "by that which who whom whose in from on at with for of to since when where while "
    "after before during than as if because but".split())
_MAX_PHRASE_WORDS = 9


_stem = lru_cache(maxsize=1 << 15)(stem)  # words recur across sentences


@lru_cache(maxsize=4096)
def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _WORD.findall(text.replace("_", " ")))


# A cache, not state: per ontology, the phrases of each class, valid while the ontology's
# class index is the same dict (Ontology.refresh replaces it), dropped with the ontology.
_WORDS_CACHE: "weakref.WeakKeyDictionary[Ontology, tuple[object, dict[URIRef, list[tuple[str, ...]]]]]" = \
    weakref.WeakKeyDictionary()


def _camel_words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


def class_words(ontology: "Ontology", cls: URIRef) -> list[tuple[str, ...]]:
    """Stemmed phrases that name ``cls`` or one of its subclasses (a director is a person)."""
    hit = _WORDS_CACHE.get(ontology)
    if hit is None or hit[0] is not ontology.classes:
        hit = _WORDS_CACHE[ontology] = (ontology.classes, {})
    words = hit[1].get(cls)
    if words is None:
        words = hit[1][cls] = _class_words(ontology, cls)
    return words


def _class_words(ontology: "Ontology", cls: URIRef) -> list[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for c in [k for k in ontology.classes if ontology.is_subclass(k, cls)]:
        oc = ontology.classes.get(c)
        if oc is None:
            continue
        for text in (oc.name, _camel_words(oc.name), oc.label or "", *oc.alt_labels):
            p = _phrase(text.lower())
            if p:
                out.add(p)
    return sorted(out, key=len, reverse=True)


def _phrase_in(words: list[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    for p in phrases:
        n = len(p)
        for k in range(len(words) - n + 1):
            if tuple(words[k:k + n]) == p:
                return True
    return False


def _noun_phrase(text: str) -> list[str]:
    """Stemmed words of the noun phrase at the start of ``text`` (up to a clause word or punctuation)."""
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]", text):
        tok = m.group()
        if not tok[0].isalnum() or tok.lower() in _PHRASE_END or len(out) >= _MAX_PHRASE_WORDS:
            break
        if text[pos:m.start()].count("\n") > 1:
            break
        out.append(_stem(tok))
        pos = m.end()
    return out


def type_stated(sentence: str, span: tuple[int, int] | None, phrases: Sequence[tuple[str, ...]]) -> bool:
    """Does ``sentence`` state that the entity at ``span`` (offsets in ``sentence``) is one of ``phrases``?

    Stated means: a copula or appositive right after the entity opens a noun phrase
    that names the class ("X is a 1979 American horror film", "X, a physicist"),
    a parenthesis names it ("Alien (film)"), or the class word stands right before
    the entity ("the film Alien", "director Ridley Scott").
    """
    if span is None or not phrases:
        return False
    start, end = span
    after = sentence[end:]
    for rx in (_COPULA, _APPOSITIVE, _PARENTHESIS):
        m = rx.match(after)
        if m and _phrase_in(_noun_phrase(after[m.end():]), phrases):
            return True
    gap = sentence[max(0, start - 80):start]
    # only quotes, colons or spaces between the class word and the name: "the film 'Alien'"
    trail = re.search(r"[\s\"'“”‘’:]*$", gap)
    if trail is not None:
        head = gap[:trail.start()]
        words = [_stem(w) for w in _WORD.findall(head)[-4:]]
        for p in phrases:
            if len(words) >= len(p) and tuple(words[-len(p):]) == p and head[-1:].isalnum():
                return True
    return False


@dataclass(frozen=True)
class TypeClaim:
    """One type of an entity accepted in the current extraction, and its evidence."""

    cls: URIRef
    stated: bool
    where: str  # for messages: 'stated in "…"' or 'inferred from the range of directs in "…"'


class TypeBook:
    """Types accepted in this extraction (earlier chunks and attempts) that are not in the KG yet."""

    def __init__(self) -> None:
        self._claims: dict[URIRef, dict[URIRef, TypeClaim]] = {}

    def add(self, entity: URIRef, claim: TypeClaim) -> None:
        old = self._claims.setdefault(entity, {}).get(claim.cls)
        if old is None or claim.stated >= old.stated:
            self._claims[entity][claim.cls] = claim

    def claims(self, entity: URIRef) -> dict[URIRef, TypeClaim]:
        return self._claims.get(entity, {})

    @classmethod
    def from_types(cls, known: "dict[URIRef, set[URIRef]] | TypeBook | None") -> "TypeBook":
        """A book from a plain ``entity -> classes`` map (types the caller vouches for)."""
        if isinstance(known, TypeBook):
            return known
        book = cls()
        for e, classes in (known or {}).items():
            for c in classes:
                book.add(e, TypeClaim(c, True, "given by the caller"))
        return book


def describe_type_source(kg: "KnowledgeGraph", book: TypeBook, entity: URIRef, cls: URIRef) -> str:
    """Where ``entity``'s type ``cls`` came from, in words (for ``type_conflict`` and mismatch messages)."""
    claim = book.claims(entity).get(cls)
    if claim is not None:
        return claim.where
    f = kg.type_fact(entity, cls)
    if f is None:
        return "in the graph"
    ev = f.evidence
    how = (ev.basis or "inferred from a relation") if ev.flags else (
        "given by the user" if ev.decision == "user" else "stated")
    said = f' "{ev.sentence.strip()[:120]}"' if ev.sentence else ""
    return f"{how} (source {ev.source!r}{':' + said if said else ''})"
