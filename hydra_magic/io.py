"""Import and export: Turtle, RDF/XML/OWL, Text2KGBench JSON, TriG with PROV-O, JSON-LD, N-Triples."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from .candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from .errors import DataNotFoundError, EmptyInputError, FormatError, InputError, ParseError
from .iri import camel_case, local_name, pascal_case
from .issues import Issue
from .kg import Evidence, Fact, source_graph_iri
from .ontology import CHARACTERISTICS, HYDRA, Ontology, new_graph, union_members

if TYPE_CHECKING:
    from rdflib.term import Node

    from .session_state import SessionState
    from .sparql_policy import QueryPolicy, QueryWorker

__all__ = [
    "ONTOLOGY_FORMATS",
    "EXPORT_FORMATS",
    "PROV",
    "parse_rdf",
    "check_xml_entities",
    "read_ontology",
    "read_text2kgbench_ontology",
    "graph_to_proposal",
    "export_session",
    "write_file",
    "GraphImport",
    "read_graph_export",
    "query_session",
]

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
_PREDECLARED = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
                "hydra": str(HYDRA)}
_POSITION = re.compile(r"line (\d+)(?: column (\d+))?", re.IGNORECASE)


def _norm_format(fmt: str, table: dict[str, Any]) -> str:
    f = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    if f not in table:
        raise FormatError(f"Unknown format {fmt!r}. Supported: {', '.join(table)}.")
    return f


def _guess_format(path: Path) -> str:
    for name, (suffixes, _) in ONTOLOGY_FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    raise FormatError(f"Cannot tell the format of {str(path)!r} from its suffix {path.suffix!r}. "
                      f"Supported: {', '.join(ONTOLOGY_FORMATS)} "
                      f"({', '.join(s for v in ONTOLOGY_FORMATS.values() for s in v[0])}); "
                      "pass format=... to choose one.")


def parse_rdf(data: str, *, format: str = "turtle", source: str = "<input>",
              default_prefix: str | None = None) -> Graph:
    """Parse RDF text with Oxigraph's parsers; errors name the source, line and column.

    For Turtle, the prefixes ``owl rdf rdfs xsd skos hydra`` and ``:`` (the
    session ontology namespace, when given) are declared if the text does not.
    """
    fmt = _norm_format(format, ONTOLOGY_FORMATS)
    if fmt == "text2kgbench-json":
        raise FormatError("Text2KGBench JSON is read from a file: use load_ontology(path).")
    if fmt == "turtle":
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _PREDECLARED.items()
                         if not re.search(rf"@prefix\s+{p}:|PREFIX\s+{p}:", data, re.I))
        if default_prefix and not re.search(r"@prefix\s+:|PREFIX\s+:", data, re.I):
            header += f"@prefix : <{default_prefix}> .\n"
        offset = header.count("\n")
        data = header + data
    else:
        offset = 0
        if fmt == "xml":
            check_xml_entities(data, source=source)
    g = new_graph()
    try:
        g.parse(data=data, format=ONTOLOGY_FORMATS[fmt][1])
    except Exception as exc:  # parsers raise SyntaxError/ValueError with a position in the text
        msg = str(exc)
        m = _POSITION.search(msg)
        line = int(m.group(1)) - offset if m else None
        col = int(m.group(2)) if m and m.group(2) else None
        clean = _POSITION.sub("", msg).replace("Parser error at", "").strip(" :,()")
        raise ParseError(f"malformed {fmt}: {clean or type(exc).__name__}. Fix the text there and run again.",
                         source=source, line=line, column=col) from exc
    return g


# ---------------------------------------------------------------- XML entities
#: Characters that DTD entities may add to an RDF/XML document beyond the document's own size.
#: Namespace entities (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as Protégé writes
#: them) stay far below; an entity-expansion attack is orders of magnitude above.
XML_ENTITY_ALLOWANCE = 1_000_000
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(r"&([^\s&;<>#%\"']+);")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class _PrologRead(Exception):
    """Raised from an expat handler to stop at the root element: the body is never expanded."""


class _EntityRefused(Exception):
    pass


def _xml_text(data: bytes) -> str:
    """The document as text, decoded by its byte-order mark or XML declaration (else UTF-8)."""
    import codecs

    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        return data.decode("utf-16-le" if data[:1] == b"<" else "utf-16-be", errors="replace")
    m = _XML_ENCODING.match(data[:200])
    try:
        return data.decode(m.group(1).decode("ascii") if m else "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def check_xml_entities(data: str | bytes, *, source: str = "<input>") -> None:
    """Refuse an XML document whose DTD entities could blow up when a parser expands them.

    Oxigraph's RDF/XML parser and rdflib's (``xml.sax``) both expand internal
    entities without a bound, so a 1 KB file can expand to gigabytes ("billion
    laughs"). This reads only the prolog with expat (stopping at the root element,
    so nothing is expanded), works out how long every declared entity is once
    expanded, and counts the references in the body. Refused, with
    :class:`~hydra_magic.errors.ParseError` naming ``source``: parameter entities,
    external entities, recursive entities, and any document whose entities would add
    more than ``XML_ENTITY_ALLOWANCE`` characters beyond the document's own length.
    Plain namespace entities, as ontology editors write them, pass.
    """
    import pyexpat

    if isinstance(data, bytes):
        if b"<!ENTITY" not in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
            return
        data = _xml_text(data)
    if "<!ENTITY" not in data:
        return
    fix = ("Write the text or IRI out where the entity is used (or delete the <!ENTITY> declaration), "
           "and load the file again.")
    decls: dict[str, str] = {}
    state: dict[str, int] = {}
    parser = pyexpat.ParserCreate(encoding="UTF-8")  # the text is re-encoded below, whatever it declares

    def entity(name: str, is_parameter: int, value: str | None, base: Any, system_id: str | None,
               public_id: str | None, notation: str | None) -> None:
        if is_parameter:
            raise _EntityRefused(f"its DOCTYPE declares the parameter entity '%{name};', which is not "
                                 f"read (entity tricks in XML are a known attack). {fix}")
        if value is None:
            raise _EntityRefused(f"its DOCTYPE declares the external entity {name!r} "
                                 f"({system_id or public_id or notation}), which is not read (it could reach "
                                 f"local files or the network). {fix}")
        decls.setdefault(name, value)

    def end_doctype() -> None:
        state["end"] = parser.CurrentByteIndex

    def root(*_: Any) -> None:
        raise _PrologRead

    parser.EntityDeclHandler = entity
    parser.EndDoctypeDeclHandler = end_doctype
    parser.StartElementHandler = root
    fed = bytearray()
    try:
        for i in range(0, len(data), 1 << 16):
            chunk = data[i:i + (1 << 16)].encode("utf-8", errors="surrogatepass")
            fed += chunk
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _PrologRead:
        pass
    except _EntityRefused as exc:
        raise ParseError(f"refused: {exc}", source=source) from None
    except pyexpat.ExpatError as exc:
        raise ParseError(f"refused: the DOCTYPE that declares XML entities cannot be read "
                         f"({pyexpat.ErrorString(exc.code)}). {fix}",
                         source=source, line=exc.lineno, column=exc.offset) from None
    if not decls:
        return
    lengths = _expanded_lengths(decls, source, fix)
    body_start = len(bytes(fed[:state["end"]]).decode("utf-8", errors="ignore")) if "end" in state else 0
    uses = Counter(r for r in _ENTITY_REF.findall(data, body_start) if r in decls)
    total = 0
    worst, worst_len = "", -1
    for name, count in uses.items():
        n = lengths[name]
        total += count * n
        if n > worst_len:
            worst, worst_len = name, n
    limit = XML_ENTITY_ALLOWANCE + len(data)
    if total > limit:
        def size(n: int) -> str:
            return f"{n:,}" if n < 10**15 else "more than 10^15"

        raise ParseError(
            f"refused: its DOCTYPE declares XML entities that would expand to {size(total)} characters "
            f"(&{worst}; alone to {size(worst_len)}; the limit is {limit:,}), an entity-expansion "
            f"('billion laughs') attack or a mistake. {fix} Namespace entities such as "
            f"<!ENTITY owl \"http://www.w3.org/2002/07/owl#\"> are fine.", source=source)


def _expanded_lengths(decls: dict[str, str], source: str, fix: str) -> dict[str, int]:
    """Length of every declared entity once expanded (iteratively: a chain may be thousands deep)."""
    refs = {name: _ENTITY_REF.findall(value) for name, value in decls.items()}
    lengths: dict[str, int] = {}
    for start in decls:
        if start in lengths:
            continue
        path, on_path = [start], {start}
        while path:
            name = path[-1]
            todo = next((r for r in refs[name] if r in decls and r not in lengths), None)
            if todo is None:
                lengths[name] = len(_ENTITY_REF.sub("", decls[name])) + sum(
                    lengths.get(r, 1 if r in _XML_PREDEFINED else 0) for r in refs[name])
                on_path.discard(path.pop())
            elif todo in on_path:
                cycle = path[path.index(todo):] + [todo]
                raise ParseError(f"refused: the XML entity {todo!r} refers to itself "
                                 f"({' -> '.join(cycle)}). {fix}", source=source)
            else:
                path.append(todo)
                on_path.add(todo)
    return lengths


def read_ontology(path: str | os.PathLike[str], *, format: str | None = None,
                  base: str | None = None) -> Ontology:
    """Read an ontology file into a new :class:`Ontology` (no contracts: it is taken as it is)."""
    from .user_files import check_input_file

    p = check_input_file(path, "Ontology file")
    fmt = _norm_format(format, ONTOLOGY_FORMATS) if format else _guess_format(p)
    if fmt == "text2kgbench-json":
        return read_text2kgbench_ontology(p, base=base)
    text = p.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise EmptyInputError(f"Ontology file {str(p)!r} is empty.")
    g = parse_rdf(text, format=fmt, source=str(p))
    onto = Ontology(base or "http://example.org/hydra/", g)
    return onto


#: Where the Text2KGBench data comes from.
_T2K_UPSTREAM = "https://github.com/cenguix/Text2KGBench"
# Ranges the JSON ontologies use for literal values; none of them is a declared concept.
_LITERAL_RANGES = {
    "": XSD.string,
    "string": XSD.string,
    "number": XSD.string,
    "date": XSD.string,
    "Date": XSD.string,
    "Year": XSD.integer,
}



def read_text2kgbench_ontology(path: str | os.PathLike[str], *, base: str | None = None) -> Ontology:
    """A Text2KGBench JSON ontology (``concepts`` + ``relations``) as an :class:`Ontology`.

    Parameters
    ----------
    path
        ``<dataset>/ontologies/<n>_<name>_ontology.json``.
    base
        Base IRI of the new ontology (the session's, when a session imports it).

    Notes
    -----
    * Classes are PascalCase names of the concept labels (``film genre`` ->
      ``FilmGenre``); concepts listed twice, or whose labels give the same name,
      become one class (a second label is kept as ``skos:altLabel``).
    * Properties are camelCase names of the relation labels; ``rdfs:label`` is the
      relation label exactly as published, because the benchmark's output names a
      relation by its label. A label listed twice becomes one property with the
      union of the domains and ranges.
    * A range that is a concept makes an object property. The literal ranges
      (``""``, ``string``, ``number``, ``Date``, ``date``, ``Year``) make data
      properties: ``xsd:integer`` for ``Year``, ``xsd:string`` otherwise, since the
      gold literals are written in many forms (``"17068.8 (millimetres)"``,
      ``1954-07-29``, ``"May 1950 - August 1956"``). A lower-case range that is
      no concept (``"writer"``) is read as an unconstrained literal too.
    * A domain or range that names an undeclared class is declared: a WebNLG name
      (``Person``) as it is; a Wikidata id takes its label from a sibling ontology
      of the same folder that declares it, else the id is the name.
    * ``rdfs:subClassOf`` links between declared concepts are taken from the
      published OWL version (``owl/ont_<n>_<name>.ttl``) when it is there; the
      JSON form has none.
    """
    p = Path(path)
    data = _load_t2k_json(p)
    concepts, relations = data["concepts"], data["relations"]
    onto = Ontology(base or "http://example.org/hydra/")
    g = onto.graph
    by_id: dict[str, URIRef] = {}
    by_name: dict[str, URIRef] = {c.name.lower(): c.iri for c in onto.classes.values()}
    labels_of: dict[URIRef, set[str]] = defaultdict(set)

    def declare(key: str, label: str) -> URIRef:
        label = " ".join(label.split())
        name = pascal_case(label) or pascal_case(key) or key
        iri = by_name.get(name.lower())
        if iri is None:
            iri = onto.add_class(name, label=label, iri=onto.class_iri(name), refresh=False)
            by_name[name.lower()] = iri
            g.add((iri, HYDRA.sourceId, Literal(key)))
        elif label not in labels_of[iri] and label.lower() != _label_of(g, iri).lower():
            g.add((iri, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal(label)))
        labels_of[iri].add(label)
        by_id.setdefault(key, iri)
        return iri

    for c in concepts:
        key, label = _t2k_str(c, "qid"), _t2k_str(c, "label")
        if key in by_id:  # the same id twice (with another label): one class, two labels
            iri = by_id[key]
            if label and label.lower() not in {x.lower() for x in labels_of[iri]}:
                g.add((iri, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal(label)))
                labels_of[iri].add(label)
            continue
        declare(key, label or key)
    # Human-readable names for Wikidata ids that only the sibling ontologies declare.
    sibling_labels = _sibling_concept_labels(p)

    def class_ref(ref: str) -> URIRef | None:
        ref = ref.strip()
        if ref in by_id:
            return by_id[ref]
        if ref in _LITERAL_RANGES or not ref:
            return None
        if re.fullmatch(r"Q\d+", ref):
            return declare(ref, sibling_labels.get(ref, ref))
        if ref[:1].isupper():
            return declare(ref, ref)
        return None  # e.g. range "writer" on the relation "writer": no class

    props: dict[str, dict[str, Any]] = {}
    for r in relations:
        label = _t2k_str(r, "label", strip=False)
        name = _property_name(label) or _t2k_str(r, "pid")
        entry = props.setdefault(
            name, {"label": label, "pids": [], "domain": [], "range": [], "literal": []}
        )
        entry["pids"].append(_t2k_str(r, "pid", strip=False))
        d = class_ref(_t2k_str(r, "domain", strip=False))
        if d is not None and d not in entry["domain"]:
            entry["domain"].append(d)
        rng = _t2k_str(r, "range", strip=False)
        rc = class_ref(rng)
        if rc is not None:
            if rc not in entry["range"]:
                entry["range"].append(rc)
        else:
            entry["literal"].append(rng)
    for name, e in props.items():
        if e["range"] and not e["literal"]:
            iri = onto.add_property(
                name,
                "object",
                e["domain"],
                e["range"],
                label=e["label"],
                iri=onto.property_iri(name),
                refresh=False,
            )
        else:
            dts = {_LITERAL_RANGES.get(x, XSD.string) for x in e["literal"]}
            dt = dts.pop() if len(dts) == 1 else XSD.string
            iri = onto.add_property(
                name,
                "data",
                e["domain"],
                [dt],
                label=e["label"],
                iri=onto.property_iri(name),
                refresh=False,
            )
            shown = sorted({x for x in e["literal"] if x})
            if shown:
                g.add((iri, RDFS.comment, Literal(f"Text2KGBench range: {', '.join(shown)}")))
        for pid in dict.fromkeys(e["pids"]):
            g.add((iri, HYDRA.sourceId, Literal(pid)))
    _add_published_subclass_links(p, data, by_id, g)
    onto.refresh()
    return onto


_T2K_SHAPE = ('Expected {"concepts": [{"qid": "Q11424", "label": "film"}, ...], '
              '"relations": [{"pid": "P57", "label": "director", "domain": "Q11424", "range": "Q5"}, ...]}')


def _load_t2k_json(p: Path) -> dict[str, Any]:
    """The parsed JSON of a Text2KGBench ontology, its shape checked; ParseError names what is wrong."""
    def bad(problem: str, exc: BaseException | None = None) -> ParseError:
        err = ParseError(f"not a Text2KGBench ontology: {problem}. {_T2K_SHAPE}; or give a .ttl/.owl "
                         "ontology instead.", source=str(p))
        err.__cause__ = exc
        return err

    if p.is_dir():
        raise bad("it is a directory; give one <n>_<name>_ontology.json file")
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataNotFoundError(
            f"Text2KGBench ontology {str(p)!r} does not exist; get the data from {_T2K_UPSTREAM}."
        ) from exc
    except UnicodeDecodeError as exc:
        raise bad(f"it is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                  "save it as UTF-8", exc) from exc
    except OSError as exc:
        raise bad(f"it cannot be read ({exc.strerror or exc})", exc) from exc
    if not text.strip():
        raise EmptyInputError(f"Text2KGBench ontology {str(p)!r} is empty. {_T2K_SHAPE}.")
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise bad("the JSON is nested too deeply", exc) from exc
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ParseError(f"malformed JSON: {getattr(exc, 'msg', exc)}. Fix the file there and run again.",
                         source=str(p), line=line, column=getattr(exc, "colno", None)) from exc
    if not isinstance(data, dict):
        raise bad(f"the top level is a JSON {_json_type(data)}, not an object")
    for key, what in (("concepts", "concept"), ("relations", "relation")):
        if key not in data:
            raise bad(f"there is no {key!r} key")
        items = data[key]
        if not isinstance(items, list):
            raise bad(f"{key!r} is a JSON {_json_type(items)}, not a list of objects")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise bad(f"{what} {i} (counting from 0) is a JSON {_json_type(item)}, not an object")
            for field, value in item.items():
                if value is not None and not isinstance(value, (str, int, float)):
                    raise bad(f"{what} {i} (counting from 0) has {field!r} = a JSON {_json_type(value)}; "
                              "it must be a string")
    return data


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def _t2k_str(item: Mapping[str, Any], key: str, *, strip: bool = True) -> str:
    value = item.get(key)
    text = "" if value is None else str(value)
    return text.strip() if strip else text


def _label_of(g: Graph, iri: URIRef) -> str:
    v = g.value(iri, RDFS.label)
    return str(v) if v is not None else ""


def _property_name(label: str) -> str:
    # "CPU" -> "cpu", "languages spoken, written or signed" -> "languagesSpokenWrittenOrSigned";
    # labels that already are camelCase ("academicStaffSize") stay as they are.
    words = [w.lower() if w.isupper() and len(w) > 1 else w for w in re.findall(r"[^\W_]+", label)]
    return camel_case(" ".join(words))


def _sibling_concept_labels(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        siblings = sorted(path.parent.glob("*.json"))
    except OSError:
        return out
    for s in siblings:
        # A broken or foreign sibling only means fewer labels, never a failed load.
        try:
            for c in json.loads(s.read_text(encoding="utf-8")).get("concepts", []):
                out.setdefault(str(c.get("qid", "")).strip(), str(c.get("label", "")).strip())
        except (OSError, ValueError, AttributeError, TypeError, RecursionError):
            continue
    return out


def _add_published_subclass_links(
    path: Path, data: Mapping[str, Any], by_id: dict[str, URIRef], g: Graph
) -> None:
    oid = str(data.get("id") or "")
    ttl = path.parent / "owl" / f"{oid}.ttl"
    if not oid or not ttl.is_file():
        return
    try:
        src = Graph().parse(ttl, format="turtle")
    except (OSError, ValueError, SyntaxError, RecursionError):  # a broken optional file must not stop the JSON one
        return
    parent: dict[URIRef, URIRef] = {}
    for s, o in sorted(src.subject_objects(RDFS.subClassOf)):
        a, b = by_id.get(local_name(str(s))), by_id.get(local_name(str(o)))
        if a is None or b is None or a == b or a in parent:
            continue
        # keep the hierarchy a forest: no cycles through the links taken so far
        cur: URIRef | None = b
        while cur is not None and cur != a:
            cur = parent.get(cur)
        if cur == a:
            continue
        parent[a] = b
        g.add((a, RDFS.subClassOf, b))


def graph_to_proposal(graph: Graph, ontology: Ontology) -> OntologyProposal:
    """Classes and properties declared in ``graph`` as candidates for the ontology contracts."""
    proposal = OntologyProposal()
    classes = sorted(set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class)),
                     key=str)

    def name_of(n: Any) -> str:
        c = ontology.get_class(n) if isinstance(n, URIRef) else None
        return c.name if c is not None else local_name(n)

    # Parents first so a subclass may reference a class declared in the same cell.
    declared = {c: [p for p in graph.objects(c, RDFS.subClassOf) if isinstance(p, URIRef)] for c in classes
                if isinstance(c, URIRef)}
    ordered: list[URIRef] = []
    visiting: set[URIRef] = set()

    def visit(c: URIRef) -> None:
        if c in ordered or c in visiting:
            return
        visiting.add(c)
        for parent in declared.get(c, []):
            if parent in declared:
                visit(parent)
        ordered.append(c)

    for c in declared:
        visit(c)
    for c in ordered:
        parents = declared[c]
        if len(parents) > 1:
            proposal.issues.append(Issue("multiple_superclasses",
                                         f"Class {local_name(c)!r} has {len(parents)} superclasses: "
                                         f"{', '.join(local_name(p) for p in parents)}.",
                                         "Keep one superclass per class.", path=f"class:{local_name(c)}"))
        proposal.classes.append(ClassCandidate(
            name=local_name(c), parent=name_of(parents[0]) if parents else None,
            label=_lit(graph, c, RDFS.label), alt_labels=tuple(str(x) for x in graph.objects(c, SKOS.altLabel)),
            comment=_lit(graph, c, RDFS.comment) or "", origin="%%ontology"))

    def members(prop: Any, role: URIRef) -> list[Any]:
        # An owl:unionOf domain/range gives its member classes; several plain rdfs:domain
        # (rdfs:range) objects are read as a union too, as Ontology reads them (deliberately,
        # not as OWL's intersection). Any other anonymous expression is passed on as it is,
        # so the contracts reject it as an unknown class rather than widen the property.
        out: list[Any] = []
        for node in sorted(graph.objects(prop, role), key=str):
            named: Sequence[Node] = union_members(graph, node) or [node]
            for m in named:
                if m not in out:
                    out.append(m)
        return out

    for kind, t in (("object", OWL.ObjectProperty), ("data", OWL.DatatypeProperty)):
        for prop in sorted(graph.subjects(RDF.type, t), key=str):
            rng = members(prop, RDFS.range)
            proposal.properties.append(PropertyCandidate(
                name=local_name(prop), kind=kind,  # type: ignore[arg-type]
                domain=tuple(name_of(d) for d in members(prop, RDFS.domain)),
                range=tuple(name_of(r) if kind == "object" else "xsd:" + local_name(r) for r in rng),
                label=_lit(graph, prop, RDFS.label),
                alt_labels=tuple(str(x) for x in graph.objects(prop, SKOS.altLabel)),
                characteristics=tuple(k for k, v in CHARACTERISTICS.items() if (prop, RDF.type, v) in graph),
                comment=_lit(graph, prop, RDFS.comment) or "", origin="%%ontology"))
    if not proposal.classes and not proposal.properties:
        proposal.issues.append(Issue("parse_error", "The Turtle declares no owl:Class, owl:ObjectProperty "
                                     "or owl:DatatypeProperty.", "Declare terms, e.g. ':Film a owl:Class .'",
                                     severity="warning"))
    return proposal


def _lit(g: Graph, s: Any, p: URIRef) -> str | None:
    for o in g.objects(s, p):
        return str(o)
    return None


# ---------------------------------------------------------------- export
def _clean(graph: Graph, into: Graph) -> None:
    """Copy triples dropping explicit ``xsd:string`` (Oxigraph returns it; Turtle reads better without)."""
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        into.add((s, p, o))


def export_session(session: "SessionState", path: str | os.PathLike[str], *, format: str | None = None,
                   what: str = "all", verified_only: bool = False, overwrite: bool = False) -> Path:
    """Write the session's ontology and/or KG to ``path``.

    ``trig`` and ``nquads`` keep one named graph per source plus an evidence
    graph in PROV-O terms (with ``hydra:flag`` on facts that are not verified);
    they are read back, evidence included, by :func:`read_graph_export`.
    ``turtle``, ``ntriples`` and ``json-ld`` flatten ontology and facts into one
    graph. ``verified_only`` leaves out facts flagged ``type_inferred``.

    An existing ``path`` is replaced only with ``overwrite=True``; see :func:`write_file`.
    """
    p = Path(path)
    if what not in ("all", "ontology", "kg"):
        raise FormatError(f"Unknown export part {what!r}. Use 'all', 'ontology' or 'kg'.")
    if format is None:
        suffix_map = {v[0]: k for k, v in EXPORT_FORMATS.items()} | {".ttl": "turtle", ".json": "json-ld"}
        if p.suffix.lower() not in suffix_map:
            raise FormatError(f"Cannot tell the export format from {p.suffix!r}. "
                              f"Supported: {', '.join(EXPORT_FORMATS)}; pass --format.")
        format = suffix_map[p.suffix.lower()]
    fmt = _norm_format(format, EXPORT_FORMATS)
    _check_target(p, overwrite)  # before the work of serializing
    try:
        text = serialize_session(session, fmt, what=what, verified_only=verified_only)
    except RecursionError as exc:  # rdflib's serializers recurse into nested blank nodes and lists
        raise InputError(f"Cannot write {str(p)!r} as {fmt}: the graph nests blank nodes or lists too deeply "
                         "for the serializer. Export as ntriples or nquads (flat), or flatten the nesting.") from exc
    write_file(p, text, overwrite=overwrite)
    return p


def _check_target(p: Path, overwrite: bool) -> None:
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder. Give a file name, e.g. "
                         f"{str(p / ('export' + (p.suffix or '.ttl')))!r}.")
    if not overwrite and os.path.lexists(p):
        raise _exists(p)


def _exists(path: Path) -> InputError:
    return InputError(f"{str(path)!r} already exists, and an export does not overwrite it. Replace it with "
                      "--force (%hydra export PATH --force) or overwrite=True (session.export(PATH, "
                      "overwrite=True)), or choose another path.")


def write_file(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that no reader ever sees half a file.

    The text goes to a temporary file with a random name in the same folder
    (created exclusively, so no file or link planted beside ``path`` is written
    through), which then takes the place of ``path`` in one rename; on any
    failure it is removed. Without ``overwrite`` an existing ``path`` (a link
    too, even a dangling one) is refused with :class:`~hydra_magic.errors.InputError`
    naming it, also when it appears while the text is written. With
    ``overwrite`` a link at ``path`` is replaced itself, never the file it points to.
    """
    p = Path(path)
    _check_target(p, overwrite)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"Cannot write {str(p)!r}: the text holds {exc.object[exc.start:exc.end]!r} (character "
                         f"{exc.start:,}), an unpaired surrogate that UTF-8 cannot encode, e.g. from a JSON "
                         "'\\udc80' escape or bytes decoded with errors='surrogateescape' in a sentence, label "
                         "or literal. Nothing was written. Fix that text (or remove the fact) and export again."
                         ) from None
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        if overwrite:
            os.replace(tmp, p)
        else:
            try:
                os.link(tmp, p)  # fails if anything has appeared at p meanwhile
            except FileExistsError:
                raise _exists(p) from None
            except OSError:  # a file system without hard links
                if os.path.lexists(p):
                    raise _exists(p) from None
                os.replace(tmp, p)
    finally:
        try:
            os.unlink(tmp)  # still there after os.link, or after a failure
        except FileNotFoundError:
            pass
    return p


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def serialize_session(session: "SessionState", format: str, *, what: str = "all", verified_only: bool = False) -> str:
    fmt = _norm_format(format, EXPORT_FORMATS)
    facts = [f for f in session.kg if f.evidence.verified] if verified_only else list(session.kg)
    base = session.config.base
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        _bind(ds, session)
        if what in ("all", "ontology"):
            _clean(session.ontology.graph, ds.graph(URIRef(base + "ontology")))
        if what in ("all", "kg"):
            _fill_kg(ds, session, facts)
        return ds.serialize(format=EXPORT_FORMATS[fmt][1])
    g = Graph()
    _bind(g, session)
    if what in ("all", "ontology"):
        _clean(session.ontology.graph, g)
    if what in ("all", "kg"):
        mentioned: set[Any] = set()
        for f in facts:
            g.add(f.key)
            mentioned.update((f.subject, f.object))
        for e, label in session.kg.labels().items():
            if e in mentioned:
                g.add((e, RDFS.label, Literal(label)))
    return g.serialize(format=EXPORT_FORMATS[fmt][1])


def _bind(g: Graph, session: "SessionState") -> None:
    for prefix, ns in session.ontology.graph.namespaces():
        if prefix:
            g.bind(prefix, ns, override=True)
    g.bind("ent", session.kg.entity_ns)
    g.bind("prov", PROV)
    g.bind("hydra", HYDRA)


def _fill_kg(ds: Dataset, session: "SessionState", facts: "list[Fact]") -> None:
    base = session.config.base
    ev_graph = ds.graph(URIRef(base + "evidence"))
    labels = session.kg.labels()
    for i, f in enumerate(facts):
        g = ds.graph(source_graph_iri(base, f.source))
        g.add(f.key)
        for e in (f.subject, f.object):
            if isinstance(e, URIRef) and e in labels:
                g.add((e, RDFS.label, Literal(labels[e])))
        ev = f.evidence
        # One reified statement per fact: PROV-O for who/when/where, hydra: for spans.
        node = URIRef(f"{base}evidence/{i}")
        ev_graph.add((node, RDF.type, RDF.Statement))
        ev_graph.add((node, RDF.type, PROV.Entity))
        ev_graph.add((node, RDF.subject, f.subject))
        ev_graph.add((node, RDF.predicate, f.predicate))
        ev_graph.add((node, RDF.object, f.object))
        ev_graph.add((node, PROV.wasDerivedFrom, source_graph_iri(base, f.source)))
        ev_graph.add((node, HYDRA.source, Literal(f.source)))
        ev_graph.add((node, PROV.generatedAtTime, Literal(_iso(ev.time), datatype=XSD.dateTime)))
        ev_graph.add((node, PROV.wasAttributedTo, Literal(ev.engine or "unknown")))
        ev_graph.add((node, HYDRA.decision, Literal(ev.decision)))
        if ev.sentence:
            ev_graph.add((node, PROV.value, Literal(ev.sentence)))
        for flag in ev.flags:  # not verified: e.g. rests on a type inferred from a relation
            ev_graph.add((node, HYDRA.flag, Literal(flag)))
        if ev.basis:
            ev_graph.add((node, HYDRA.basis, Literal(ev.basis)))
        for key, span in (("subject", ev.subject_span), ("object", ev.object_span)):
            if span is not None:
                ev_graph.add((node, HYDRA[key + "Start"], Literal(span[0])))
                ev_graph.add((node, HYDRA[key + "End"], Literal(span[1])))


def _iso(t: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- import
#: Import formats: name -> (file suffixes, Oxigraph format name).
IMPORT_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "trig": ((".trig",), "TRIG"),
    "nquads": ((".nq", ".nquads"), "N_QUADS"),
}
_ONTOLOGY_TYPES = frozenset({OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Class})

Triple = tuple[Any, Any, Any]


def ox_term(t: Any) -> Any:
    """An rdflib term for a pyoxigraph one (``xsd:string`` literals become plain ones, as rdflib writes them)."""
    from .store.terms import from_ox

    try:
        return from_ox(t)
    except ValueError:
        raise FormatError(f"Unsupported RDF term {t!r} (RDF-star triples are not facts).") from None


@dataclass
class GraphImport:
    """A TriG / N-Quads file read back (see :func:`read_graph_export`)."""

    path: Path
    #: Base IRIs of the sessions whose graphs (``<base>source/…``, ``<base>evidence``, ``<base>ontology``) it holds.
    bases: list[str] = _field(default_factory=list)
    #: Facts in file order of their evidence (which keeps the evidence numbering on a new export), then the rest.
    facts: list[Fact] = _field(default_factory=list)
    #: ``(source, triple)`` of the facts whose evidence the evidence graph gave.
    evidenced: set[tuple[str, Triple]] = _field(default_factory=set)
    labels: dict[URIRef, str] = _field(default_factory=dict)
    #: Triples of the ontology graph(s).
    ontology: list[Triple] = _field(default_factory=list)
    prefixes: dict[str, str] = _field(default_factory=dict)


class _EvidenceValues:
    """The single value of a property of one evidence node; errors name the node and the file."""

    def __init__(self, props: Mapping[Any, list[Any]], where: str, source: str) -> None:
        self.props, self.where, self.source = props, where, source

    def __call__(self, pred: URIRef, *, required: bool = False) -> Any:
        vals = self.props.get(pred, [])
        if len(vals) > 1:
            raise ParseError(f"{self.where} has {len(vals)} values of {pred.n3()}; an evidence node has one. "
                             "Keep one and import again.", source=self.source)
        if not vals and required:
            raise ParseError(f"{self.where} has no {pred.n3()}; every evidence statement names its "
                             "rdf:subject, rdf:predicate, rdf:object and hydra:source. "
                             "Complete it or remove the node, and import again.", source=self.source)
        return vals[0] if vals else None


def read_graph_export(path: str | os.PathLike[str], *, format: str | None = None, base: str | None = None,
                      default_source: str | None = None) -> GraphImport:
    """Read a TriG or N-Quads file, as :func:`export_session` writes it, with its evidence.

    Graphs are recognised by name: ``<base>source/<id>`` holds the facts of
    source ``<id>`` (``rdfs:label`` literals of entities are labels, not facts),
    ``<base>evidence`` one PROV-O statement per fact (sentence, spans, engine,
    time, decision, ``hydra:flag``, ``hydra:basis``), ``<base>ontology`` the
    ontology. ``base`` is the session's base; the bases the file's own evidence
    and ontology graphs use are found too. Any other named graph is a source
    named by its IRI; the default graph is the source ``default_source`` (the
    file name). A fact without evidence gets ``Evidence(source, engine="file")``.

    Raises :class:`~hydra_magic.errors.ParseError` naming the file (and the
    evidence node) for malformed RDF or evidence that contradicts the graphs.
    """
    import datetime as dt
    from urllib.parse import unquote

    import pyoxigraph as ox

    from .user_files import check_input_file

    p = check_input_file(path, "")
    if format:
        fmt = _norm_format(format, IMPORT_FORMATS)
    else:
        fmt = next((k for k, (suffixes, _) in IMPORT_FORMATS.items() if p.suffix.lower() in suffixes), "")
        if not fmt:
            raise FormatError(f"Cannot import {str(p)!r}: only TriG (.trig) and N-Quads (.nq) keep the sources "
                              "and the evidence. Export with --format trig (or nquads); for an ontology file "
                              "use %hydra load-ontology, and pass format=... if the suffix is wrong.")
    src_default = default_source or p.name
    out = GraphImport(p)
    graphs: dict[str | None, list[Triple]] = defaultdict(list)
    try:
        parser = ox.parse(input=p.read_bytes(), format=getattr(ox.RdfFormat, IMPORT_FORMATS[fmt][1]),
                          rename_blank_nodes=True)
        for q in parser:
            g = q.graph_name
            name = (None if isinstance(g, ox.DefaultGraph)
                    else g.value if isinstance(g, ox.NamedNode) else f"_:{g.value}")
            graphs[name].append((ox_term(q.subject), ox_term(q.predicate), ox_term(q.object)))
        out.prefixes = dict(parser.prefixes)
    except SyntaxError as exc:
        clean = _POSITION.sub("", str(exc)).replace("Parser error at", "").strip(" :,()")
        raise ParseError(f"malformed {fmt}: {clean}. Fix the file and import it again.", source=str(p),
                         line=getattr(exc, "lineno", None)) from exc
    if not graphs:
        raise EmptyInputError(f"{str(p)!r} holds no triples: nothing to import.")

    def has(g: str, test: Any) -> bool:
        return any(test(t) for t in graphs[g])

    bases = [base] if base else []
    for g in graphs:
        if g is None:
            continue
        if g.endswith("evidence") and has(g, lambda t: t[1] == HYDRA.source):
            bases.append(g[:-len("evidence")])
        elif g.endswith("ontology") and has(g, lambda t: t[1] == RDF.type and t[2] in _ONTOLOGY_TYPES):
            bases.append(g[:-len("ontology")])
    out.bases = list(dict.fromkeys(bases))
    evidence_graphs = {b + "evidence" for b in out.bases}
    ontology_graphs = {b + "ontology" for b in out.bases}

    def source_of(g: str | None) -> str:
        if g is None:
            return src_default
        for b in out.bases:
            if g.startswith(b + "source/"):
                return unquote(g[len(b) + len("source/"):])
        return g

    # ---- the evidence graph: one reified statement per fact
    evidence: dict[tuple[str | None, Triple], tuple[tuple[int, int, str], Evidence]] = {}
    fact_graphs = [g for g in graphs if g not in evidence_graphs and g not in ontology_graphs]
    held = {g: set(graphs[g]) for g in fact_graphs}
    for eg in [g for g in graphs if g in evidence_graphs]:
        nodes: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for s, p_, o in graphs[eg]:
            nodes[s][p_].append(o)
        for node, props in nodes.items():
            where = f"evidence node {node.n3()}"
            one = _EvidenceValues(props, where, str(p))
            key = (one(RDF.subject, required=True), one(RDF.predicate, required=True), one(RDF.object, required=True))
            source_lit = one(HYDRA.source, required=True)
            derived = one(PROV.wasDerivedFrom)
            if derived is not None:
                graph = str(derived)
            else:  # the source graph named by hydra:source
                graph = next((g for g in fact_graphs if g is not None and source_of(g) == str(source_lit)), "")
            if key not in held.get(graph, ()):
                raise ParseError(f"{where} describes {' '.join(t.n3() for t in key)} in source {str(source_lit)!r}, "
                                 f"but the graph <{graph or 'of that source'}> does not hold that triple. Add the "
                                 "triple to its source graph or remove the node, and import again.", source=str(p))
            try:
                spans = {}
                for k in ("subject", "object"):
                    a, b = one(HYDRA[k + "Start"]), one(HYDRA[k + "End"])
                    spans[k] = (int(a), int(b)) if a is not None and b is not None else None
                when = one(PROV.generatedAtTime)
                stamp = dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when is not None else None
                if stamp is not None and stamp.tzinfo is None:
                    stamp = stamp.replace(tzinfo=dt.timezone.utc)
            except ValueError as exc:
                raise ParseError(f"{where}: {exc}. Spans are integers and prov:generatedAtTime an "
                                 "xsd:dateTime; fix the value and import again.", source=str(p)) from exc
            sentence, engine, decision, basis = (one(x) for x in (PROV.value, PROV.wasAttributedTo, HYDRA.decision,
                                                                  HYDRA.basis))
            ev = Evidence(source=str(source_lit), sentence=str(sentence or ""),
                          subject_span=spans["subject"], object_span=spans["object"], engine=str(engine or ""),
                          decision=str(decision or "contracts"),
                          flags=tuple(sorted(str(f) for f in props.get(HYDRA.flag, []))), basis=str(basis or ""),
                          **({"time": stamp.timestamp()} if stamp is not None else {}))
            if (graph, key) in evidence:
                raise ParseError(f"{where} and another evidence node both describe {' '.join(t.n3() for t in key)} "
                                 f"in source {str(source_lit)!r}; keep one and import again.", source=str(p))
            tail = str(node).rsplit("/", 1)[-1]
            order = (0, int(tail), "") if tail.isdigit() else (1, 0, str(node))
            evidence[(graph, key)] = (order, ev)

    # ---- facts, per source graph
    rest: list[Fact] = []
    for g, triples in graphs.items():
        if g in evidence_graphs or g in ontology_graphs:
            if g in ontology_graphs:
                out.ontology.extend(triples)
            continue
        source = source_of(g)
        plain = Evidence(source=source, engine="file")
        for t in triples:
            if (g, t) in evidence:
                continue
            s, p_, o = t
            if p_ == RDFS.label and isinstance(o, Literal) and not isinstance(s, Literal):
                out.labels.setdefault(s, str(o))
                continue
            rest.append(Fact(s, p_, o, plain))
    ordered = sorted(evidence.items(), key=lambda kv: kv[1][0])
    out.facts = [Fact(k[0], k[1], k[2], ev) for (_, k), (_, ev) in ordered] + rest
    out.evidenced = {(ev.source, k) for (_, k), (_, ev) in ordered}
    return out


def query_session(session: "SessionState", sparql: str, *, verified_only: bool = False, allow_service: bool = False,
                  timeout: float | None = None, policy: "QueryPolicy | None" = None,
                  worker: "QueryWorker | None" = None) -> Any:
    """Run SPARQL over the KG (union of source graphs) together with the ontology, under the query policy.

    The ontology is mirrored into the ``<base>ontology`` named graph of the KG's
    Oxigraph dataset before each query, so patterns such as
    ``?x a/rdfs:subClassOf* onto:Person`` work across both. ``verified_only``
    queries a copy that leaves out facts flagged ``type_inferred`` (rebuilt when
    the KG changed).

    The query runs under :mod:`hydra_magic.sparql_policy`: updates are refused,
    SERVICE only with ``allow_service``, stopped after ``timeout`` seconds
    (default ``session.config.sparql_timeout``) or on ``KeyboardInterrupt``.
    ``policy`` replaces those three (callers name their own options in its
    messages); ``worker`` reuses one worker process for a batch of queries.
    The result is an rdflib ``Result`` read to the end (rows, ``askAnswer`` or ``graph``).
    """
    from .sparql_policy import QueryPolicy, check_query, run_query

    if not sparql.strip():
        raise EmptyInputError("The SPARQL query is empty. Write e.g. SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    if policy is None:
        deadline = timeout if timeout is not None else getattr(session.config, "sparql_timeout", None)
        policy = (QueryPolicy(allow_service=allow_service) if deadline is None
                  else QueryPolicy(allow_service=allow_service, timeout=deadline))
    check_query(sparql, policy)  # refusals before anything touches the store
    ds = session.kg.verified_dataset() if verified_only else session.kg.dataset
    onto_graph = ds.graph(URIRef(session.config.base + "ontology"))
    onto_graph.remove((None, None, None))
    onto_graph.addN((s, p, o, onto_graph) for s, p, o in session.ontology.graph)
    initns = {p: str(ns) for p, ns in session.ontology.graph.namespaces() if p}
    initns.update({"ent": str(session.kg.entity_ns), "onto": str(session.ontology.ns), "rdf": str(RDF),
                   "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "prov": str(PROV)})
    return run_query(ds, sparql, init_ns=initns, policy=policy, worker=worker)
