"""A TriG/N-Quads export read back: facts per source with their evidence, flags and user decisions."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import Any, Mapping

from rdflib import OWL, RDF, RDFS, Literal, URIRef

from ..errors import EmptyInputError, FormatError, ParseError
from ..kg import Evidence, Fact
from ..ontology import HYDRA
from .formats import IMPORT_FORMATS, POSITION, PROV, norm_format

_ONTOLOGY_TYPES = frozenset({OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Class})

Triple = tuple[Any, Any, Any]


def ox_term(t: Any) -> Any:
    """An rdflib term for a pyoxigraph one (``xsd:string`` literals become plain ones, as rdflib writes them)."""
    from ..store.terms import from_ox

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
    """Read a TriG or N-Quads file, as :func:`~hydra_magic.io.export_session` writes it, with its evidence.

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

    from ..user_files import check_input_file

    p = check_input_file(path, "")
    if format:
        fmt = norm_format(format, IMPORT_FORMATS)
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
        clean = POSITION.sub("", str(exc)).replace("Parser error at", "").strip(" :,()")
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
