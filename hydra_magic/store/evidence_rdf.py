"""Facts and their evidence as RDF quads, the way the session store (and a SPARQL server) holds them.

A fact ``(s, p, o)`` of source ``id`` is a triple in the named graph
``<base>source/<id>``, and once more in ``<base>facts``: every triple (facts and
labels) some source graph holds, once, kept in step by the writer, so that a
question about the whole graph (a CQ test, ``%%sparql``, the explorer) is asked
of one graph inside the store instead of a copy of it. Its evidence is one reified statement in the graph
``<base>evidence``, named by an IRI derived from the quad (no blank nodes and no
RDF-star, so any SPARQL 1.1 store holds the same data)::

    <base>evidence/<hash> a rdf:Statement, prov:Entity ;
        rdf:subject s ; rdf:predicate p ; rdf:object o ;
        prov:wasDerivedFrom <base>source/<id> ; hydra:source "id" ;
        prov:generatedAtTime "…"^^xsd:dateTime ; prov:wasAttributedTo "engine" ;
        hydra:decision "contracts" ; prov:value "the sentence" ;
        hydra:subjectStart 0 ; hydra:subjectEnd 5 ; hydra:objectStart … ;
        hydra:flag "type_inferred" ; hydra:basis "range of …" .

These are the terms the TriG export uses, so "which cell said this" is the same
SPARQL query on an export, on the session store and on a server.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from typing import Any, Callable, Iterable
from urllib.parse import quote, unquote

import pyoxigraph as ox
from rdflib import RDF, RDFS

from ..kg import Evidence, Fact, Span
from ..ontology import HYDRA
from .terms import TermCache, to_ox

__all__ = ["EvidenceGraphs", "PROV_NS"]

PROV_NS = "http://www.w3.org/ns/prov#"
_N = ox.NamedNode
_RDF_TYPE, _RDF_S, _RDF_P, _RDF_O = (_N(str(x)) for x in (RDF.type, RDF.subject, RDF.predicate, RDF.object))
_STATEMENT, _ENTITY = _N(str(RDF.Statement)), _N(PROV_NS + "Entity")
_DERIVED, _AT, _BY, _VALUE = (_N(PROV_NS + x) for x in ("wasDerivedFrom", "generatedAtTime", "wasAttributedTo",
                                                          "value"))
_SOURCE, _DECISION, _FLAG, _BASIS = (_N(str(HYDRA[x])) for x in ("source", "decision", "flag", "basis"))
_SPANS = {k: (_N(str(HYDRA[k + "Start"])), _N(str(HYDRA[k + "End"]))) for k in ("subject", "object")}
_LABEL = _N(str(RDFS.label))
_RDF_TYPE_REF = RDF.type
_XSD_DATETIME = _N("http://www.w3.org/2001/XMLSchema#dateTime")
_XSD_INTEGER = _N("http://www.w3.org/2001/XMLSchema#integer")


def _iso(t: float) -> str:
    """An xsd:dateTime whose fraction keeps every digit of ``t`` (``_seconds`` gives the same float back)."""
    text = repr(float(t))
    whole, _, frac = text.partition(".")
    if not whole.lstrip("-").isdigit() or not frac.isdigit():  # exponent, inf, nan: microseconds will do
        return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    stamp = dt.datetime.fromtimestamp(int(whole), tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{frac}Z"


_ISO_UTC = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z")


def _seconds(text: str) -> float:
    m = _ISO_UTC.fullmatch(text)
    if m:
        # timegm on the parsed fields: time.strptime was a tenth of a session's open time
        whole = calendar.timegm((int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]), 0, 0, 0))
        return float(f"{whole}.{m[7] or 0}")
    stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.timestamp()


class EvidenceGraphs:
    """Naming and (de)serialising facts, labels and evidence for one session base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.evidence = _N(base + "evidence")
        self.ontology = _N(base + "ontology")
        self.session = _N(base + "session")
        #: Every triple of the source graphs, once (see the module's docstring).
        self.facts = _N(base + "facts")
        self._source_prefix = base + "source/"
        self._graphs: dict[str, Any] = {}

    # ------------------------------------------------------------ naming
    def source_graph(self, source: str) -> Any:
        g = self._graphs.get(source)
        if g is None:
            g = self._graphs[source] = _N(self._source_prefix + quote(source, safe=""))
        return g

    def source_of(self, graph: Any) -> str | None:
        """The source id a graph name stands for (``None`` for the evidence, ontology, session and facts graphs)."""
        v = graph.value if isinstance(graph, ox.NamedNode) else ""
        return unquote(v[len(self._source_prefix):]) if v.startswith(self._source_prefix) else None

    def node(self, s: Any, p: Any, o: Any, g: Any) -> Any:
        """The evidence statement's IRI: a digest of the quad, so re-adding a fact names the same node."""
        digest = hashlib.blake2b(f"{s}\x1f{p}\x1f{o}\x1f{g}".encode("utf-8", "surrogatepass"),
                                 digest_size=12).hexdigest()
        return _N(f"{self.base}evidence/{digest}")

    # ------------------------------------------------------------ writing
    def fact_quads(self, fact: Fact) -> list[Any]:
        """The quad of ``fact`` and those of its evidence statement."""
        s, p, o = to_ox(fact.subject), to_ox(fact.predicate), to_ox(fact.object)
        g = self.source_graph(fact.source)
        ev = fact.evidence
        n, eg, lit = self.node(s, p, o, g), self.evidence, ox.Literal
        out = [ox.Quad(s, p, o, g),
               ox.Quad(n, _RDF_TYPE, _STATEMENT, eg), ox.Quad(n, _RDF_TYPE, _ENTITY, eg),
               ox.Quad(n, _RDF_S, s, eg), ox.Quad(n, _RDF_P, p, eg), ox.Quad(n, _RDF_O, o, eg),
               ox.Quad(n, _DERIVED, g, eg), ox.Quad(n, _SOURCE, lit(ev.source), eg),
               ox.Quad(n, _AT, lit(_iso(ev.time), datatype=_XSD_DATETIME), eg),
               ox.Quad(n, _DECISION, lit(ev.decision), eg)]
        if ev.engine:
            out.append(ox.Quad(n, _BY, lit(ev.engine), eg))
        if ev.sentence:
            out.append(ox.Quad(n, _VALUE, lit(ev.sentence), eg))
        for flag in ev.flags:
            out.append(ox.Quad(n, _FLAG, lit(flag), eg))
        if ev.basis:
            out.append(ox.Quad(n, _BASIS, lit(ev.basis), eg))
        for key, span in (("subject", ev.subject_span), ("object", ev.object_span)):
            if span is not None:
                start, end = _SPANS[key]
                out.append(ox.Quad(n, start, lit(str(int(span[0])), datatype=_XSD_INTEGER), eg))
                out.append(ox.Quad(n, end, lit(str(int(span[1])), datatype=_XSD_INTEGER), eg))
        return out

    def evidence_pattern(self, fact: Fact) -> tuple[Any, Any]:
        """``(fact quad, evidence node)``: what to remove for ``fact`` (the node's every quad goes)."""
        s, p, o = to_ox(fact.subject), to_ox(fact.predicate), to_ox(fact.object)
        g = self.source_graph(fact.source)
        return ox.Quad(s, p, o, g), self.node(s, p, o, g)

    def in_facts(self, quads: Iterable[Any]) -> list[Any]:
        """The quads of the facts graph for source-graph ``quads`` (a fact's or a label's)."""
        fg = self.facts
        return [ox.Quad(q.subject, q.predicate, q.object, fg) for q in quads]

    def label_quad(self, entity: Any, label: str, source: str) -> Any:
        return ox.Quad(to_ox(entity), _LABEL, ox.Literal(label), self.source_graph(source))

    def label_quads(self, added: Iterable[Fact], labels: dict[Any, str]) -> list[Any]:
        """The label quads of ``labels`` (entity → label), each in the graph of the first added fact naming it."""
        out, seen = [], set()
        for f in added:
            for e in (f.subject, f.object):
                if e in labels and e not in seen:
                    seen.add(e)
                    out.append(self.label_quad(e, labels[e], f.source))
        return out

    # ------------------------------------------------------------ reading
    def read_facts(self, store: Any, *, grouped: bool = True) -> list[Fact]:
        """Every fact of the store with its evidence, from the evidence graph, oldest first.

        Facts of one change share a time; within it they come in text order (subject position).
        ``grouped``: the store gives each statement's quads together, as an on-disk store does (its
        graph-subject index), so the graph is read as one stream, a statement at a time. An
        in-memory ``pyoxigraph.Store`` gives no such order: pass ``grouped=False`` for one.
        """
        term = TermCache()
        facts: list[Fact] = []
        if not grouped:
            nodes: dict[Any, list[Any]] = {}
            for q in store.quads_for_pattern(None, None, None, self.evidence):
                nodes.setdefault(q.subject, []).append(q)
            for quads in nodes.values():
                _append_fact(facts, quads, term)
            facts.sort(key=_order)
            return facts
        node: Any = None
        group: list[Any] = []
        for q in store.quads_for_pattern(None, None, None, self.evidence):
            if q.subject != node:
                if group:
                    _append_fact(facts, group, term)
                node, group = q.subject, []
            group.append(q)
        if group:
            _append_fact(facts, group, term)
        facts.sort(key=_order)
        return facts

    def read_labels(self, store: Any, wanted: Callable[[Any], bool] | None = None) -> dict[Any, str]:
        """Entity labels (``rdfs:label`` in the source graphs), first one per entity."""
        term = TermCache()
        out: dict[Any, str] = {}
        for q in store.quads_for_pattern(None, _LABEL, None, None):
            if self.source_of(q.graph_name) is None or not isinstance(q.object, ox.Literal):
                continue
            e = term(q.subject)
            if e not in out:
                out[e] = q.object.value
        return out


#: The slot of each evidence predicate in the row _fact_of fills (keyed by the store's own terms).
_SLOTS = {_RDF_S: 0, _RDF_P: 1, _RDF_O: 2, _SOURCE: 3, _VALUE: 4, _BY: 5, _AT: 6, _DECISION: 7, _BASIS: 8,
          _SPANS["subject"][0]: 9, _SPANS["subject"][1]: 10, _SPANS["object"][0]: 11, _SPANS["object"][1]: 12}


def _order(f: Fact) -> tuple[Any, ...]:
    """Oldest change first; within one, text order with a subject's types before its relations."""
    ev = f.evidence
    return (ev.time, ev.source, (ev.subject_span or (-1, -1))[0], f.predicate != _RDF_TYPE_REF,
            str(f.subject), str(f.predicate), str(f.object))


def _append_fact(out: list[Fact], quads: list[Any], term: TermCache) -> None:
    f = _fact_of(quads, term)
    if f is not None:
        out.append(f)


def _fact_of(quads: Iterable[Any], term: TermCache) -> Fact | None:
    row: list[Any] = [None] * 13
    flags: list[str] = []
    slots = _SLOTS
    for q in quads:
        p = q.predicate
        if p == _FLAG:
            flags.append(q.object.value)
            continue
        i = slots.get(p)
        if i is not None:
            row[i] = q.object
    s, p_, o, source = row[0], row[1], row[2], row[3]
    if s is None or p_ is None or o is None or source is None:
        return None  # not an evidence statement of ours

    def span(a: Any, b: Any) -> Span | None:
        return (int(a.value), int(b.value)) if a is not None and b is not None else None

    def text(x: Any, default: str = "") -> str:
        return x.value if x is not None else default

    ev = Evidence(source=source.value, sentence=text(row[4]), subject_span=span(row[9], row[10]),
                  object_span=span(row[11], row[12]), engine=text(row[5]),
                  time=_seconds(row[6].value) if row[6] is not None else 0.0,
                  decision=text(row[7], "contracts"), flags=tuple(sorted(flags)), basis=text(row[8]))
    return Fact(term(s), term(p_), term(o), ev)
