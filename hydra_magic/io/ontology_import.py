"""Ontology files to an ontology: Turtle, RDF/XML/OWL, N-Triples, Text2KGBench JSON."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from ..candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from ..errors import DataNotFoundError, EmptyInputError, ParseError
from ..iri import camel_case, local_name, pascal_case
from ..issues import Issue
from ..ontology import CHARACTERISTICS, HYDRA, Ontology, union_members

from .formats import ONTOLOGY_FORMATS, guess_format, norm_format
from .parse import parse_rdf

if TYPE_CHECKING:
    from rdflib.term import Node


def read_ontology(path: str | os.PathLike[str], *, format: str | None = None,
                  base: str | None = None) -> Ontology:
    """Read an ontology file into a new :class:`Ontology` (no contracts: it is taken as it is)."""
    from ..user_files import check_input_file

    p = check_input_file(path, "Ontology file")
    fmt = norm_format(format, ONTOLOGY_FORMATS) if format else guess_format(p)
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
