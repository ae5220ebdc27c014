"""Load a KG file into a session as facts (for ``hydra verify`` and the benchmarks).

The file is parsed with Oxigraph (fast for large files). Triples that describe
the ontology (a subject that is an ontology term, or schema predicates such as
``rdfs:subClassOf``) are left out: a KG exported with its ontology verifies the
same as the KG alone. ``rdfs:label`` of entities becomes the entity's label.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import FormatError, ParseError
from ..kg import Evidence, Fact

if TYPE_CHECKING:
    from ..session import Session

__all__ = ["load_kg_file", "read_triples"]

_SCHEMA = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.disjointWith,
                     OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.members, OWL.unionOf,
                     RDF.first, RDF.rest, OWL.imports, OWL.versionInfo})


def _term(t: object) -> Node:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == str(XSD.string) else Literal(t.value, datatype=URIRef(dt))
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise FormatError(f"Unsupported RDF term {t!r} (RDF-star triples are not facts).")


def read_triples(path: str | os.PathLike[str]) -> Iterator[tuple[Node, Node, Node]]:
    """Triples of an RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; by suffix)."""
    import pyoxigraph as ox

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"KG file {str(p)!r} does not exist (working directory {os.getcwd()}).")
    suffix = p.suffix.lower().lstrip(".")
    fmt = ox.RdfFormat.from_extension({"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(suffix, suffix))
    if fmt is None:
        raise FormatError(f"Cannot tell the RDF format of {str(p)!r} from its suffix; use .ttl, .nt, .nq, "
                          ".trig, .rdf/.owl or .jsonld.")
    try:
        for q in ox.parse(path=str(p), format=fmt):
            yield _term(q.subject), _term(q.predicate), _term(q.object)
    except SyntaxError as exc:
        raise ParseError(f"malformed RDF: {exc}. Fix the file and run again.", source=str(p)) from exc


def load_kg_file(session: Session, path: str | os.PathLike[str], *, source: str | None = None) -> int:
    """Add the facts of an RDF file to ``session.kg`` (evidence source = the file name); returns how many."""
    onto = session.ontology
    terms = set(onto.classes) | set(onto.properties)
    src = source or Path(path).name
    ev = Evidence(source=src, engine="file")
    facts: list[Fact] = []
    labels: dict[URIRef, str] = {}
    for s, p, o in read_triples(path):
        if s in terms or p in _SCHEMA or (p == RDF.type and o in (OWL.Class, OWL.ObjectProperty,
                                                                  OWL.DatatypeProperty, OWL.Ontology,
                                                                  RDFS.Class, RDFS.Datatype, OWL.AllDisjointClasses)):
            continue
        if p == RDFS.label and isinstance(s, URIRef) and isinstance(o, Literal):
            labels.setdefault(s, str(o))
            continue
        facts.append(Fact(s, p, o, ev))  # type: ignore[arg-type]
    return len(session.kg.add(facts, labels))
