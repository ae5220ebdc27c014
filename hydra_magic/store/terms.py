"""Converting RDF terms between rdflib (the session's objects) and pyoxigraph (the store)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["to_ox", "from_ox", "TermCache"]

_XSD_STRING = str(XSD.string)


def to_ox(t: Any) -> Any:
    """The pyoxigraph term for an rdflib one."""
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(t.datatype) if t.datatype else None)
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    return ox.NamedNode(str(t))


def from_ox(t: Any) -> Any:
    """The rdflib term for a pyoxigraph one (``xsd:string`` literals become plain ones, as rdflib writes them)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise ValueError(f"Unsupported RDF term {t!r}")


class TermCache:
    """``from_ox`` with IRIs memoised: a store read repeats the same predicates and entities."""

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def __call__(self, t: Any) -> Any:
        if type(t) is ox.NamedNode:
            v = t.value
            r = self._iris.get(v)
            if r is None:
                r = self._iris[v] = URIRef(v)
            return r
        return from_ox(t)
