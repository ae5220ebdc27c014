"""RDF terms as plain strings inside the verifier's indexes ("term ids").

rdflib terms compare and hash in Python (``Identifier.__eq__``,
``Literal.__hash__``): at a million triples that alone costs seconds. The
indexes therefore key everything on plain ``str`` ids, whose hashing and
comparison run in C and whose hash is cached: an IRI is its text, a literal
``"\\x00" + lexical form + "\\x00" + datatype IRI + "\\x00" + language``, a
blank node ``"\\x01" + id``. :func:`node` turns an id back into the rdflib term
(only needed when an issue is written).
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["BLANK", "LIT", "is_literal", "literal_parts", "node", "tid"]

LIT = "\x00"
BLANK = "\x01"

# rdflib keeps a literal's datatype and language in slots; the public properties cost a Python call each.
_FAST = hasattr(Literal("x"), "_datatype") and hasattr(Literal("x"), "_language")


def _literal_id(o: Any) -> str:
    if _FAST:
        dt, lang = o._datatype, o._language
    else:  # pragma: no cover - other rdflib layouts
        dt, lang = o.datatype, o.language
    return LIT + str(o) + LIT + (str(dt) if dt else "") + LIT + (lang or "")


def tid(term: Any) -> str:
    """The id of an rdflib term (ids pass through unchanged)."""
    t = type(term)
    if t is URIRef:
        return str(term)
    if t is Literal:
        return _literal_id(term)
    if t is str:
        return term
    if isinstance(term, Literal):
        return _literal_id(term)
    if isinstance(term, BNode):
        return BLANK + str(term)
    if isinstance(term, URIRef):
        return str(term)
    return str(term)


def is_literal(i: str) -> bool:
    return i[:1] == LIT


def literal_parts(i: str) -> tuple[str, str, str]:
    """(lexical form, datatype IRI or "", language or "") of a literal id."""
    lex, dt, lang = i[1:].rsplit(LIT, 2)
    return lex, dt, lang


def node(i: str) -> Node:
    """The rdflib term of an id."""
    if i[:1] == LIT:
        lex, dt, lang = literal_parts(i)
        return Literal(lex, lang=lang or None, datatype=URIRef(dt) if dt and not lang else None)
    if i[:1] == BLANK:
        return BNode(i[1:])
    return URIRef(i)


def n3(i: str) -> str:
    """The N3 form of an id, without building the rdflib term.

    (rdflib logs a traceback for every ill-typed literal it builds, such as
    ``"nineteen"^^xsd:integer``, exactly the values the checks report.)
    """
    if i[:1] == LIT:
        lex, dt, lang = literal_parts(i)
        text = '"' + lex.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if lang:
            return f"{text}@{lang}"
        return f"{text}^^<{dt}>" if dt else text
    if i[:1] == BLANK:
        return "_:" + i[1:]
    return f"<{i}>"
