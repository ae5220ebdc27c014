"""Import and export: Turtle, RDF/XML/OWL, Text2KGBench JSON, TriG with PROV-O, JSON-LD, N-Triples.

One module per job; every name stays importable from ``hydra_magic.io``:

* :mod:`~hydra_magic.io.formats` — format names, suffixes and aliases;
* :mod:`~hydra_magic.io.parse` — RDF text to a graph (:func:`parse_rdf`) and the RDF/XML
  entity guard (:func:`check_xml_entities`);
* :mod:`~hydra_magic.io.ontology_import` — ontology files (:func:`read_ontology`,
  :func:`read_text2kgbench_ontology`, :func:`graph_to_proposal`);
* :mod:`~hydra_magic.io.export` — the session to a file (:func:`export_session`,
  :func:`serialize_session`, :func:`write_file`);
* :mod:`~hydra_magic.io.graph_import` — a TriG/N-Quads export read back (:func:`read_graph_export`);
* :mod:`~hydra_magic.io.query` — SPARQL over the session (:func:`query_session`).
"""

from __future__ import annotations

from .export import export_session, serialize_session, write_file
from .formats import EXPORT_FORMATS, IMPORT_FORMATS, ONTOLOGY_FORMATS, PROV
from .graph_import import GraphImport, ox_term, read_graph_export
from .ontology_import import graph_to_proposal, read_ontology, read_text2kgbench_ontology
from .parse import XML_ENTITY_ALLOWANCE, check_xml_entities, parse_rdf
from .query import query_session

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ONTOLOGY_FORMATS",
    "PROV",
    "XML_ENTITY_ALLOWANCE",
    "GraphImport",
    "check_xml_entities",
    "export_session",
    "graph_to_proposal",
    "ox_term",
    "parse_rdf",
    "query_session",
    "read_graph_export",
    "read_ontology",
    "read_text2kgbench_ontology",
    "serialize_session",
    "write_file",
]
