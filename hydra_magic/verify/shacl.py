"""SHACL: shapes generated from the ontology, user shapes (``%%shacl``), pySHACL, results as issues.

:func:`ontology_shapes` writes the ontology's constraints as SHACL (domain and
range as ``sh:class`` with subclass semantics, datatypes, functional as
``sh:maxCount 1``, inverse-functional on the inverse path, irreflexive and
asymmetric as SPARQL constraints, ``owl:disjointWith`` as ``sh:not``). The
set-based checks of :mod:`.typing_checks` and :mod:`.owl_checks` decide the
same constraints much faster, so pySHACL runs these shapes only when asked
(``shacl="all"``); user shapes always go through pySHACL. Every SHACL result
becomes an :class:`~hydra_magic.issues.Issue` with the code the set-based check
would give (``shacl_violation`` for user shapes), so the report is one list;
code, severity and hint come from :mod:`hydra_magic.rule_registry` (each
rule names the shape kind it generates).

Type evidence is beyond SHACL. The data graph holds every ``rdf:type`` triple,
and whether one was stated or only inferred from a relation lives in the facts'
evidence (``Evidence.flags``), which pySHACL never sees. So ``type_inferred``
(and its strict-mode form, ``untyped_entity`` with ``data["role"]``) is a
set-based-only check, and so is a domain or range mismatch of an entity whose
stated types miss while an inferred one would fit (the set-based check, like the
candidate contracts, judges stated types when there are any; pySHACL judges all
of them). :func:`.typing_checks.shacl_comparable` tells those findings apart; the
cross-check note and ``tests/test_rule_agreement.py`` leave them out of the
comparison with pySHACL (the test still compares them with the candidate
contracts) and require pySHACL to agree on everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ..rule_registry import by_shape, rule
from ..contracts.values import _EXAMPLES, _PATTERNS
from ..errors import InputError, ParseError
from ..iri import DEFAULT_BASE, local_name
from ..issues import Issue, Severity
from .context import OntologyContext
from .findings import make_issue, short
from .index import FactIndex
from .terms import is_literal, node, tid

__all__ = [
    "SHAPE",
    "data_graph",
    "ontology_shapes",
    "parse_shapes",
    "run_pyshacl",
    "shapes_graph",
    "shapes_turtle",
]

#: Namespace of generated shapes; the local part says which check a shape stands for.
SHAPE = Namespace("urn:hydra:shape:")
_SEVERITY: dict[Node, Severity] = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
_INTEGERS = (XSD.integer, XSD.int, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.decimal)


def _lexical_pattern(dt: URIRef) -> str | None:
    pat = _PATTERNS.get(dt)
    if pat is None:
        return None
    body = pat.pattern
    if dt in _INTEGERS:
        body += r"|[+-]?\d{1,3}(,\d{3})+(\.\d+)?"
    return rf"^\s*({body})\s*$"


def _or(g: Graph, node: Node, alternatives: list[Node]) -> None:
    if len(alternatives) == 1:
        for p, o in list(g.predicate_objects(alternatives[0])):
            g.add((node, p, o))
        g.remove((alternatives[0], None, None))
        return
    lst = BNode()
    Collection(g, lst, alternatives)
    g.add((node, SH["or"], lst))


def ontology_shapes(ctx: OntologyContext, *, sparql: bool = True) -> tuple[Graph, dict[URIRef, tuple[str, URIRef]]]:
    """The ontology's constraints as a SHACL shapes graph, and shape -> (check, predicate or class).

    With ``sparql=False`` the irreflexive and asymmetric shapes (SHACL-SPARQL
    constraints, by far the slowest for pySHACL) are left out.
    """
    g = Graph()
    g.bind("sh", SH)
    g.bind("shape", SHAPE)
    kinds: dict[URIRef, tuple[str, URIRef]] = {}

    def shape(kind: str, p: URIRef, node: bool = False) -> URIRef:
        iri = SHAPE[f"{kind}/{local_name(str(p))}"]
        n = 2
        while iri in kinds:
            iri = SHAPE[f"{kind}/{local_name(str(p))}-{n}"]
            n += 1
        kinds[iri] = (kind, p)
        g.add((iri, RDF.type, SH.NodeShape if node else SH.PropertyShape))
        if not node:
            g.add((iri, SH.path, p))
        g.add((iri, SH.targetSubjectsOf, p))
        return iri

    def classes(node: URIRef, targets: Iterable[URIRef]) -> None:
        alts: list[Node] = []
        for c in sorted(targets):
            b = BNode()
            g.add((b, SH["class"], c))
            alts.append(b)
        _or(g, node, alts)

    for pid in sorted(ctx.properties):
        prop = ctx.properties[pid]
        p = prop.iri
        if prop.domain:
            classes(shape("domain", p, node=True), prop.domain)
        if prop.kind == "object":
            g.add((shape("object-kind", p), SH.nodeKind, SH.IRI))
            if prop.range:
                classes(shape("range", p), prop.range)
        else:
            g.add((shape("data-kind", p), SH.nodeKind, SH.Literal))
            dt = ctx.datatype_ref[pid]
            alts: list[Node] = []
            if dt == XSD.string:
                for d in (XSD.string, RDF.langString):
                    b = BNode()
                    g.add((b, SH.datatype, d))
                    alts.append(b)
            else:
                b = BNode()
                g.add((b, SH.datatype, dt))
                alts.append(b)
                pattern = _lexical_pattern(dt)
                if pattern:
                    b = BNode()
                    g.add((b, SH.datatype, XSD.string))
                    g.add((b, SH.pattern, Literal(pattern)))
                    alts.append(b)
            _or(g, shape("datatype", p), alts)
        if pid in ctx.functional:
            g.add((shape("functional", p), SH.maxCount, Literal(1)))
        if pid in ctx.inverse_functional:
            node = SHAPE[f"inverse-functional/{local_name(str(p))}"]
            g.add((node, RDF.type, SH.NodeShape))
            g.add((node, SH.targetObjectsOf, p))
            inner = SHAPE[f"inverse-functional/{local_name(str(p))}/values"]
            kinds[inner] = ("inverse-functional", p)
            inv = BNode()
            g.add((inv, SH.inversePath, p))
            g.add((node, SH.property, inner))
            g.add((inner, RDF.type, SH.PropertyShape))
            g.add((inner, SH.path, inv))
            g.add((inner, SH.maxCount, Literal(1)))
        for kind, members, query in (
                ("irreflexive", ctx.irreflexive, "SELECT $this WHERE {{ $this <{p}> $this . }}"),
                ("asymmetric", ctx.asymmetric,
                 "SELECT $this ?value WHERE {{ $this <{p}> ?value . ?value <{p}> $this . }}")):
            if pid in members and sparql:
                node = shape(kind, p, node=True)
                c = BNode()
                g.add((node, SH.sparql, c))
                g.add((c, SH.select, Literal(query.format(p=p))))
    for a_id, b_id in ctx.disjoint:
        cls_a, cls_b = URIRef(a_id), URIRef(b_id)
        node = SHAPE[f"disjoint/{local_name(str(cls_a))}/{local_name(str(cls_b))}"]
        kinds[node] = ("disjoint", cls_a)
        g.add((node, RDF.type, SH.NodeShape))
        g.add((node, SH.targetClass, cls_a))
        not_b = BNode()
        g.add((not_b, SH["class"], cls_b))
        g.add((node, SH["not"], not_b))
    return g, kinds


def shapes_turtle(ctx: OntologyContext) -> str:
    """The generated shapes as Turtle (to read, edit and reuse as user shapes)."""
    g, _ = ontology_shapes(ctx)
    for prefix, ns in ctx.ontology.graph.namespaces():
        if prefix and prefix not in ("sh", "shape"):
            g.bind(prefix, ns, override=False)
    return g.serialize(format="turtle")


# ------------------------------------------------------------ user shapes
def shapes_graph(turtle: str, *, base: str = DEFAULT_BASE, source: str = "%%shacl cell") -> Graph:
    """Parse user shapes; ``sh:``, ``onto:``, ``ent:`` and ``:`` (= ``onto:``) are predeclared."""
    from ..io import parse_rdf

    prefixes = {"sh": str(SH), "onto": base + "ontology#", "ent": base + "entity/"}
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()
                     if not re.search(rf"@prefix\s+{p}:|PREFIX\s+{p}:", turtle, re.IGNORECASE))
    offset = header.count("\n")
    try:
        parsed = parse_rdf(header + turtle, format="turtle", source=source, default_prefix=base + "ontology#")
    except ParseError as exc:
        line = exc.line - offset if exc.line is not None else None
        msg = str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc)
        raise ParseError(msg, source=source, line=line, column=exc.column) from exc
    g = Graph()
    for prefix, ns in parsed.namespaces():
        g.bind(prefix, ns)
    for t in parsed:
        g.add(t)
    return g


def _shape_nodes(g: Graph) -> set[Node]:
    nodes: set[Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for t in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        nodes.update(g.subjects(t, None))
    return nodes


def parse_shapes(turtle: str) -> int:
    """Check user SHACL shapes (Turtle) and count them.

    Raises
    ------
    ParseError
        Malformed Turtle, with the line and column in the cell.
    InputError
        The text declares no shape.
    """
    g = shapes_graph(turtle)
    n = len(_shape_nodes(g))
    if n == 0:
        raise InputError("The %%shacl cell declares no shape. Declare e.g. "
                         "':FilmShape a sh:NodeShape ; sh:targetClass :Film ; "
                         "sh:property [ sh:path :releaseYear ; sh:maxCount 1 ] .' "
                         "(prefixes sh, onto, ent, xsd, rdfs, owl and ':' for the ontology are predeclared).")
    return n


# ---------------------------------------------------------------- running
def data_graph(idx: FactIndex) -> Graph:
    """The KG's triples in an rdflib memory graph (what pySHACL reads)."""
    g = Graph()
    g.addN((node(s), node(p), node(o), g) for s, p, o in idx.triples())
    return g


def run_pyshacl(data: Graph, shapes: Graph, ontology: Graph, idx: FactIndex, *,
                kinds: dict[URIRef, tuple[str, URIRef]] | None = None,
                ctx: OntologyContext | None = None) -> list[Issue]:
    """Validate with pySHACL; generated shapes (``kinds``) map to the set-based codes, others to shacl_violation.

    ``ctx`` (the ontology the shapes were generated from) fills the hints' details (class names, datatypes).
    """
    import pyshacl

    onto = Graph()
    for t in ontology:
        onto.add(t)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=onto, inference="none",
                                    advanced=True, allow_warnings=True, allow_infos=True)
    out: list[Issue] = []
    seen: set[tuple[str, str, str, str]] = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        source = report.value(r, SH.sourceShape)
        severity = _SEVERITY.get(report.value(r, SH.resultSeverity), "error")
        component = report.value(r, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        if focus is None:
            continue
        kind = (kinds or {}).get(source) if isinstance(source, URIRef) else None
        issue = _generated(kind, focus, value, idx, ctx) if kind else _user(
            focus, path, value, source, component, messages, severity, idx)
        if issue is None:
            continue
        k = (issue.code, issue.data.get("focus", ""), issue.data.get("predicate", ""), issue.data.get("value", ""))
        if k not in seen:
            seen.add(k)
            out.append(issue)
    return out


def _generated(kind: tuple[str, URIRef], focus: Node, value: Node | None, idx: FactIndex,
               ctx: OntologyContext | None = None) -> Issue | None:
    """A result of a generated shape as the issue the set-based check gives: code, severity and hint
    from the rule registry, the message from pySHACL's view (it knows less than the set-based check)."""
    check, prop = kind
    p, f = str(prop), tid(focus)
    v = tid(value) if value is not None else None
    r = by_shape(check)
    if r is None:
        return None
    op = ctx.properties.get(p) if ctx is not None else None
    fields: dict[str, Any] = {"entity": short(f), "guess": "a class", "datatype": "the property's datatype"}

    def issue(code: str, node: str, message: str, **kw: Any) -> Issue:
        rr = rule(code)
        return make_issue(code, node, message, rr.hint_for(**fields), check="shacl", severity=rr.severity,
                          index=idx, **kw)

    if check == "domain":
        if idx.types.get(f):
            return issue(r.code, f, f"{short(f)!r} does not fit the domain of {short(p)!r}.", predicate=p,
                         keys=[(f, p, o) for o in idx.objects(f, p)])
        if op is not None and ctx is not None:
            fields["guess"] = ctx.names(op.domain)
        return issue("untyped_entity", f, f"{short(f)!r} has no type, so it does not fit the domain of "
                     f"{short(p)!r}.", keys=[(f, p, o) for o in idx.objects(f, p)])
    if check == "range":
        if v is None or is_literal(v):
            return None
        fields["entity"] = short(v)
        if idx.types.get(v):
            return issue(r.code, v, f"{short(v)!r} does not fit the range of {short(p)!r}.", predicate=p,
                         keys=[(f, p, v)])
        if op is not None and ctx is not None:
            fields["guess"] = ctx.names(op.range)
        return issue("untyped_entity", v, f"{short(v)!r} has no type, so it does not fit the range of "
                     f"{short(p)!r}.", keys=[(f, p, v)])
    if check == "datatype":
        if v is None or not is_literal(v):
            return None
        dt = ctx.datatype_ref.get(p) if ctx is not None else None
        if dt is not None:
            example = _EXAMPLES.get(dt)
            fields.update(datatype=f"xsd:{short(str(dt))}", example=f", e.g. {example!r}" if example else "")
        return issue(r.code, f, f"{short(v)!r} is not a valid value of {short(p)!r}.", predicate=p, value=v,
                     keys=[(f, p, v)])
    if check in ("object-kind", "data-kind"):
        return issue(r.code, f, f"{short(f)!r} has a value of the wrong kind for {short(p)!r}.", predicate=p,
                     value=v, keys=[(f, p, v)] if v is not None else [])
    if check == "functional":
        return issue(r.code, f, f"{short(f)!r} has several values of {short(p)!r}.", predicate=p)
    if check == "inverse-functional":
        return issue(r.code, f, f"Several subjects have the value {short(f)!r} of {short(p)!r}.", predicate=p)
    if check == "irreflexive":
        return issue(r.code, f, f"{short(f)!r} {short(p)} itself.", predicate=p, value=f)
    if check == "asymmetric":
        first, second = sorted((f, v if v is not None else f))
        return issue(r.code, first, f"{short(p)!r} holds both ways between {short(first)!r} and "
                     f"{short(second)!r}.", predicate=p, value=second)
    if check == "disjoint":
        return issue(r.code, f, f"{short(f)!r} is an instance of disjoint classes.")
    return None


def _user(focus: Node, path: Node | None, value: Node | None, shape: Node | None, component: Node | None,
          messages: list[str], severity: Severity, idx: FactIndex) -> Issue:
    f = tid(focus)
    v = tid(value) if value is not None else None
    p = str(path) if isinstance(path, URIRef) else None
    what = local_name(str(component)).replace("ConstraintComponent", "") if component is not None else "constraint"
    where = f" on {short(p)!r}" if p else ""
    val = f" (value {short(v)!r})" if v is not None else ""
    shape_name = local_name(str(shape)) if isinstance(shape, URIRef) else "an anonymous shape"
    message = f"{short(f)!r} violates {shape_name}: {what}{where}{val}."
    if messages:
        message += " " + " ".join(messages)
    keys = [(f, p, o) for o in idx.objects(f, p)] if p else []
    return make_issue("shacl_violation", f, message, "Fix the data or the shape (%%shacl).", check="shacl",
                      severity=severity, predicate=p, value=v, keys=keys, index=idx,
                      extra={"shape": str(shape) if isinstance(shape, URIRef) else "",
                             "component": str(component or "")})
