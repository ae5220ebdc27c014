"""File formats of import and export: names, suffixes, aliases, and how a format is chosen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Namespace

from ..errors import FormatError

PROV = Namespace("http://www.w3.org/ns/prov#")

#: Ontology import formats: name -> (file suffixes, Oxigraph parser format).
ONTOLOGY_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "turtle": ((".ttl", ".turtle"), "ox-turtle"),
    "xml": ((".owl", ".rdf", ".xml"), "ox-xml"),
    "ntriples": ((".nt",), "ox-ntriples"),
    "text2kgbench-json": ((".json",), ""),
}
#: Export formats: name -> (default suffix, rdflib serializer).
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": (".ttl", "turtle"),
    "trig": (".trig", "trig"),
    "json-ld": (".jsonld", "json-ld"),
    "ntriples": (".nt", "nt"),
    "nquads": (".nq", "nquads"),
}
_FORMAT_ALIASES = {"ttl": "turtle", "owl": "xml", "rdf": "xml", "rdfxml": "xml", "rdf/xml": "xml",
                   "nt": "ntriples", "n-triples": "ntriples", "jsonld": "json-ld", "json": "text2kgbench-json",
                   "nq": "nquads", "n-quads": "nquads"}
POSITION = re.compile(r"line (\d+)(?: column (\d+))?", re.IGNORECASE)


def norm_format(fmt: str, table: dict[str, Any]) -> str:
    f = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    if f not in table:
        raise FormatError(f"Unknown format {fmt!r}. Supported: {', '.join(table)}.")
    return f


def guess_format(path: Path) -> str:
    for name, (suffixes, _) in ONTOLOGY_FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    raise FormatError(f"Cannot tell the format of {str(path)!r} from its suffix {path.suffix!r}. "
                      f"Supported: {', '.join(ONTOLOGY_FORMATS)} "
                      f"({', '.join(s for v in ONTOLOGY_FORMATS.values() for s in v[0])}); "
                      "pass format=... to choose one.")
#: Import formats: name -> (file suffixes, Oxigraph format name).
IMPORT_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "trig": ((".trig",), "TRIG"),
    "nquads": ((".nq", ".nquads"), "N_QUADS"),
}
