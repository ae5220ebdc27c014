"""Load a KG file into a session as facts (for ``hydra verify`` and the benchmarks).

The file is parsed with Oxigraph (fast for large files); RDF/XML is first checked
for entity-expansion attacks. A TriG / N-Quads export of a session is read with
its evidence: facts keep their source and sentence, and the evidence and ontology
graphs are not taken for facts. Triples that describe
the ontology (a subject that is an ontology term, or schema predicates such as
``rdfs:subClassOf``) are left out: a KG exported with its ontology verifies the
same as the KG alone. ``rdfs:label`` of entities becomes the entity's label.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from ..errors import FormatError, ParseError
from ..kg import Evidence, Fact

if TYPE_CHECKING:
    from ..session_state import SessionState

__all__ = ["load_kg_file", "read_triples"]

_SCHEMA = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.disjointWith,
                     OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.members, OWL.unionOf,
                     RDF.first, RDF.rest, OWL.imports, OWL.versionInfo})
_SCHEMA_TYPES = frozenset({OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Ontology, RDFS.Class,
                           RDFS.Datatype, OWL.AllDisjointClasses})


def read_triples(path: str | os.PathLike[str]) -> Iterator[tuple[Node, Node, Node]]:
    """Triples of an RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; by suffix).

    RDF/XML is checked first for entity-expansion attacks (:func:`hydra_magic.io.check_xml_entities`).
    """
    import pyoxigraph as ox

    from ..io import check_xml_entities, ox_term

    from ..user_files import check_input_file

    p = check_input_file(path, "KG file")
    suffix = p.suffix.lower().lstrip(".")
    fmt = ox.RdfFormat.from_extension({"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(suffix, suffix))
    if fmt is None:
        raise FormatError(f"Cannot tell the RDF format of {str(p)!r} from its suffix; use .ttl, .nt, .nq, "
                          ".trig, .rdf/.owl or .jsonld.")
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            data = p.read_bytes()  # parse the very bytes that were checked
            check_xml_entities(data, source=str(p))
            quads = ox.parse(input=data, format=fmt)
        else:
            quads = ox.parse(path=str(p), format=fmt)
        for q in quads:
            yield ox_term(q.subject), ox_term(q.predicate), ox_term(q.object)
    except SyntaxError as exc:
        raise ParseError(f"malformed RDF: {exc}. Fix the file and run again.", source=str(p)) from exc


def _is_schema(s: Node, p: Node, o: Node, terms: set[Node]) -> bool:
    return s in terms or p in _SCHEMA or (p == RDF.type and o in _SCHEMA_TYPES)


def load_kg_file(session: SessionState, path: str | os.PathLike[str], *, source: str | None = None) -> int:
    """Add the facts of an RDF file to ``session.kg``; returns how many.

    Evidence source = the file name; but a TriG / N-Quads file written by
    ``%hydra export`` is read with its evidence (:func:`hydra_magic.io.read_graph_export`):
    each fact keeps its source, sentence, flags and decision, and neither the
    evidence graph nor the ontology graph is taken for facts.
    """
    from ..io import IMPORT_FORMATS, read_graph_export

    onto = session.ontology
    terms: set[Node] = set(onto.classes) | set(onto.properties)
    src = source or Path(path).name
    facts: list[Fact] = []
    labels: dict[URIRef, str] = {}
    if any(Path(path).suffix.lower() in suffixes for suffixes, _ in IMPORT_FORMATS.values()):
        data = read_graph_export(path, base=session.config.base, default_source=src)
        facts = [f for f in data.facts if not _is_schema(*f.key, terms)]
        return len(session.kg.add(facts, data.labels))
    ev = Evidence(source=src, engine="file")
    for s, p, o in read_triples(path):
        if _is_schema(s, p, o, terms):
            continue
        if p == RDFS.label and isinstance(s, URIRef) and isinstance(o, Literal):
            labels.setdefault(s, str(o))
            continue
        facts.append(Fact(s, p, o, ev))  # type: ignore[arg-type]
    return len(session.kg.add(facts, labels))
