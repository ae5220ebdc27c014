"""Reuse before adding: an existing property with the same ends and the same words.

"Which awards did a film receive?" asks for ``receives`` (Film → Award); an imported ontology that has
``awardReceived`` (Film → Award, label "award received") already answers it. A property is reused when

* its domain (and, for an object property, its range) is the question's class or a superclass of it, on both
  ends, in the question's direction; and
* every content word of the question's label (verbs and nouns, lemmatised; "has", "is" and articles left out)
  occurs among the words of its name, label or alternative labels, also lemmatised;
* for data properties about time (a date, a year), the event noun alone is enough: "When was a film released?"
  (``releaseDate``) reuses ``releaseYear`` and the proposal says the datatypes differ.

Where the question's domain and range are one class (Person → Person) the words must be the same both ways:
"has parent" must not reuse ``parentOf``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..morphology import singularise, verb_lemma
from .model import PropertyReq

if TYPE_CHECKING:
    from ...ontology import Ontology, OntProperty

__all__ = ["same_meaning"]

_LIGHT = frozenset("has have had is are was were be the a an of by number".split())
_TIME_HEADS = frozenset("date year day time datetime".split())


def _lemmas(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", t or "")
        for w in re.findall(r"[a-z0-9]+", spaced.lower()):
            if w not in _LIGHT:
                out.add(w)
                out.add(singularise(w))
                out.add(verb_lemma(w))
    return out


def _content(label: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", label.lower()) if w not in _LIGHT]


def _fits(onto: "Ontology", names: tuple[str, ...], ends: tuple[object, ...]) -> bool:
    """Every named class is one of ``ends`` or below one of them."""
    if not names or not ends:
        return False
    for n in names:
        c = onto.get_class(n)
        if c is None or not any(onto.is_subclass(c.iri, e) for e in ends):  # type: ignore[arg-type]
            return False
    return True


def _words_match(req: PropertyReq, p: "OntProperty", same_class: bool) -> bool:
    want = _content(req.label or req.name)
    if not want:
        return False
    have = _lemmas([p.name, p.label, *p.alt_labels])
    found = all(w in have or singularise(w) in have or verb_lemma(w) in have for w in want)
    if not found or not same_class:
        return found
    mine = {verb_lemma(singularise(w)) for w in want}
    theirs = {verb_lemma(singularise(w)) for w in _content(p.label or p.name)}
    return mine == theirs


def _time_match(req: PropertyReq, p: "OntProperty") -> bool:
    """``release date`` and ``release year``: the same event, another grain of time."""
    want, theirs = _content(req.label), _content(p.label or p.name)
    return (len(want) == 2 and len(theirs) == 2 and want[1] in _TIME_HEADS and theirs[1] in _TIME_HEADS
            and verb_lemma(want[0]) == verb_lemma(theirs[0]))


def same_meaning(onto: "Ontology", req: PropertyReq, domain: tuple[str, ...],
                 range_: tuple[str, ...]) -> "OntProperty | None":
    """The existing property ``req`` means, or ``None`` (see the module docstring)."""
    for p in onto.properties.values():
        if p.kind != req.kind or not _fits(onto, domain, p.domain):
            continue
        if req.kind == "object":
            if not _fits(onto, range_, p.range):
                continue
            if _words_match(req, p, set(domain) == set(range_)):
                return p
        elif _words_match(req, p, False) or _time_match(req, p):
            return p
    return None


def _ends(onto: "Ontology", iris: tuple[object, ...]) -> str:
    """Class names (or XSD short names) of a property's ends, for messages."""
    out = []
    for i in iris:
        c = onto.classes.get(i)  # type: ignore[call-overload]
        out.append(c.name if c is not None else str(i).rsplit("#", 1)[-1])
    return "|".join(out) or "?"
