"""Import and export: Turtle, RDF/XML/OWL, Text2KGBench JSON, TriG with PROV-O, JSON-LD, N-Triples."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from .candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from .errors import DataNotFoundError, EmptyInputError, FormatError, ParseError
from .iri import camel_case, local_name, pascal_case
from .issues import Issue
from .kg import Fact, source_graph_iri
from .ontology import CHARACTERISTICS, HYDRA, Ontology, new_graph, union_members

if TYPE_CHECKING:
    from .session import Session

__all__ = [
    "ONTOLOGY_FORMATS",
    "EXPORT_FORMATS",
    "PROV",
    "parse_rdf",
    "read_ontology",
    "read_text2kgbench_ontology",
    "graph_to_proposal",
    "export_session",
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


def read_ontology(path: str | os.PathLike[str], *, format: str | None = None,
                  base: str | None = None) -> Ontology:
    """Read an ontology file into a new :class:`Ontology` (no contracts: it is taken as it is)."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"Ontology file {str(p)!r} does not exist (working directory {os.getcwd()}).")
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
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        concepts, relations = data["concepts"], data["relations"]
    except FileNotFoundError as exc:
        raise DataNotFoundError(
            f"Text2KGBench ontology {str(p)!r} does not exist; get the data from {_T2K_UPSTREAM}."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParseError(
            f"not a Text2KGBench ontology (needs 'concepts' and 'relations'): {exc}", source=str(p)
        ) from exc
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
        key, label = str(c.get("qid", "")).strip(), str(c.get("label", "")).strip()
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
        label = str(r.get("label", ""))
        name = _property_name(label) or str(r.get("pid", ""))
        entry = props.setdefault(
            name, {"label": label, "pids": [], "domain": [], "range": [], "literal": []}
        )
        entry["pids"].append(str(r.get("pid", "")))
        d = class_ref(str(r.get("domain", "")))
        if d is not None and d not in entry["domain"]:
            entry["domain"].append(d)
        rng = str(r.get("range", ""))
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
        try:
            for c in json.loads(s.read_text(encoding="utf-8")).get("concepts", []):
                out.setdefault(str(c.get("qid", "")).strip(), str(c.get("label", "")).strip())
        except (OSError, ValueError, AttributeError):
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
    except (OSError, ValueError, SyntaxError):  # a broken optional file must not stop the JSON one
        return
    parent: dict[URIRef, URIRef] = {}
    for s, o in sorted(src.subject_objects(RDFS.subClassOf)):
        a, b = by_id.get(local_name(s)), by_id.get(local_name(o))
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
            for m in union_members(graph, node) or [node]:
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


def export_session(session: "Session", path: str | os.PathLike[str], *, format: str | None = None,
                   what: str = "all", verified_only: bool = False) -> Path:
    """Write the session's ontology and/or KG to ``path``.

    ``trig`` and ``nquads`` keep one named graph per source plus an evidence
    graph in PROV-O terms (with ``hydra:flag`` on facts that are not verified);
    ``turtle``, ``ntriples`` and ``json-ld`` flatten ontology and facts into one
    graph. ``verified_only`` leaves out facts flagged ``type_inferred``.
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
    text = serialize_session(session, fmt, what=what, verified_only=verified_only)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)
    return p


def serialize_session(session: "Session", format: str, *, what: str = "all", verified_only: bool = False) -> str:
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


def _bind(g: Graph, session: "Session") -> None:
    for prefix, ns in session.ontology.graph.namespaces():
        if prefix:
            g.bind(prefix, ns, override=True)
    g.bind("ent", session.kg.entity_ns)
    g.bind("prov", PROV)
    g.bind("hydra", HYDRA)


def _fill_kg(ds: Dataset, session: "Session", facts: "list[Fact]") -> None:
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


def query_session(session: "Session", sparql: str, *, verified_only: bool = False) -> Any:
    """Run SPARQL over the KG (union of source graphs) together with the ontology.

    The ontology is mirrored into the ``<base>ontology`` named graph of the KG's
    Oxigraph dataset before each query, so patterns such as
    ``?x a/rdfs:subClassOf* onto:Person`` work across both. ``verified_only``
    queries a copy that leaves out facts flagged ``type_inferred`` (rebuilt when
    the KG changed).
    """
    if not sparql.strip():
        raise EmptyInputError("The SPARQL query is empty. Write e.g. SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    ds = session.kg.verified_dataset() if verified_only else session.kg.dataset
    onto_graph = ds.graph(URIRef(session.config.base + "ontology"))
    onto_graph.remove((None, None, None))
    onto_graph.addN((s, p, o, onto_graph) for s, p, o in session.ontology.graph)
    initns = {p: str(ns) for p, ns in session.ontology.graph.namespaces() if p}
    initns.update({"ent": str(session.kg.entity_ns), "onto": str(session.ontology.ns), "rdf": str(RDF),
                   "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "prov": str(PROV)})
    try:
        return ds.query(sparql, initNs=initns)
    except Exception as exc:
        raise ParseError(f"SPARQL error: {exc}. Check the query syntax and prefixes "
                         f"(predeclared: {', '.join(sorted(initns))}).", source="SPARQL") from exc
