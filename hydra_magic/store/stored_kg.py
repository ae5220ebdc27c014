"""The knowledge graph of a session that lives in its on-disk store: reads are store lookups.

Opening a session used to read every fact with its evidence into memory, O(facts): 19 s for
100k facts, minutes for a million. :class:`StoredKnowledgeGraph` holds nothing per fact. Two
counts are read on open (aggregates that Oxigraph answers from its indexes); each lookup
(types of an entity, a triple, a source's facts, a label) goes to the store's indexes;
small per-entity caches (types, labels) are dropped when a change touches that entity.

The store is written by :class:`~.session_store.SessionStore` (change log first, then the
store); it tells this graph what it actually wrote (:meth:`StoredKnowledgeGraph.stored`), so
the counts and caches follow every write, a replayed or taken-back one included. The
session's ``kg.add``/``kg.remove`` after a commit then only record the change for the
verifier's incremental check (:meth:`changes_since`).

SPARQL (``%%sparql``, CQ tests) runs on an in-memory copy of the source graphs, made on the
first query and kept in step with every write after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import pyoxigraph as ox
from rdflib import RDF, RDFS, Dataset, Namespace, URIRef
from rdflib.term import Node

from ..errors import InputError
from ..iri import local_name
from ..kg import ALT_LABEL, Evidence, Fact, KnowledgeGraph
from .evidence_rdf import EvidenceGraphs, _fact_of, _order
from .terms import TermCache, to_ox

__all__ = ["StoredKnowledgeGraph"]

_N = ox.NamedNode
_RDF_TYPE = RDF.type
_OX_TYPE = _N(str(RDF.type))
_OX_LABEL = _N(str(RDFS.label))
_OX_ALT = _N(str(ALT_LABEL))
_STATEMENT = _N(str(RDF.Statement))
_DERIVED = _N("http://www.w3.org/ns/prov#wasDerivedFrom")
_FLAG = _N("https://hydra-magic.dev/ns#flag")
_BASIS = _N("https://hydra-magic.dev/ns#basis")
_VALUE = _N("http://www.w3.org/ns/prov#value")
_UNSET: Any = object()
_RDF_S, _RDF_P, _RDF_O = _N(str(RDF.subject)), _N(str(RDF.predicate)), _N(str(RDF.object))

Key = tuple[Node, Node, Node]


@dataclass
class _Types:
    """What the store says about one entity's types (see KnowledgeGraph.types_of and friends)."""

    all: set[URIRef] = field(default_factory=set)
    stated: set[URIRef] = field(default_factory=set)
    facts: dict[URIRef, Fact] = field(default_factory=dict)


class StoredKnowledgeGraph(KnowledgeGraph):
    """A :class:`KnowledgeGraph` read from a session's pyoxigraph store instead of held in memory.

    Parameters
    ----------
    base
        The session's base IRI.
    reader
        Gives the session's ``pyoxigraph.Store`` to read (owned by its SessionStore: the open store, or a
        read-only view of it once the session is closed).
    names
        How facts and evidence are named in that store.
    """

    def __init__(self, base: str, reader: Callable[[], Any], names: EvidenceGraphs,
                 snapshots: str | None = None) -> None:
        # Not KnowledgeGraph.__init__: none of its per-fact tables exist here.
        self.base = base
        self.entity_ns = Namespace(base + "entity/")
        self._reader = reader
        self._names = names
        #: Where a user's query makes its checkpoint of an embedded store (see hydra_magic.snapshot_worker).
        self._snapshots = snapshots
        self._term = TermCache()
        self.revision = 0
        self._log: list[tuple[str, Fact]] = []
        self._log_start = 0
        self._type_cache: dict[URIRef, _Types] = {}  # per entity, dropped when its typing facts change
        self._label_cache: dict[Node, str | None] = {}
        #: (source, triple) of facts hidden for a moment (see :meth:`hidden`): in the store, not in the graph.
        self._hidden: dict[tuple[str, Key], Fact] = {}
        self._copy: Dataset | None = None
        self._verified_cache = None
        self._written: set[int] = set()
        self._size = self._count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH %s { ?e a %s } }"
                                 % (names.evidence, _STATEMENT))
        self._flagged_n = self._count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH %s { ?e %s ?f } }"
                                      % (names.evidence, _FLAG))

    @property
    def _st(self) -> Any:
        return self._reader()

    def _count(self, sparql: str) -> int:
        for row in self._st.query(sparql):
            return int(row[0].value)
        return 0

    # ------------------------------------------------------------ told by the store
    def stored(self, removed: list[Fact], added: list[Fact], *, labels_added: Iterable[Any] = (),
               labels_removed: Iterable[Any] = (), written: Iterable[Fact] = ()) -> None:
        """The store removed ``removed`` and added ``added`` (each was there / was new), and wrote or took
        back these label quads: follow it. ``written``: every fact the change asked it to remove or add
        (the session then records exactly those with :meth:`add` and :meth:`remove`)."""
        self._written = {id(f) for f in written}
        self._size += len(added) - len(removed)
        self._flagged_n += sum(1 for f in added if f.evidence.flags) - sum(1 for f in removed if f.evidence.flags)
        for f in (*removed, *added):
            if f.predicate == _RDF_TYPE:
                self._type_cache.pop(f.subject, None)
        labels_added, labels_removed = list(labels_added), list(labels_removed)
        for q in (*labels_added, *labels_removed):
            self._label_cache.pop(self._term(q.subject), None)
        if self._copy is not None:
            inner = self._copy.store._inner  # type: ignore[attr-defined]
            for q in (*(self._names.evidence_pattern(f)[0] for f in removed), *labels_removed):
                inner.remove(q)
            inner.extend([*(self._names.evidence_pattern(f)[0] for f in added), *labels_added])

    # ------------------------------------------------------------ the change record (for the verifier)
    def add(self, facts: Iterable[Fact], labels: dict[URIRef, str] | None = None) -> list[Fact]:
        """Record facts the store has just taken (the session calls this after committing them)."""
        added = self._committed(facts, "add")
        self._record("add", added)
        return added

    def remove(self, facts: Iterable[Fact]) -> list[Fact]:
        """Record facts the store has just dropped (the session calls this after committing that)."""
        removed = self._committed(facts, "remove")
        self._record("remove", removed)
        return removed

    def _committed(self, facts: Iterable[Fact], verb: str) -> list[Fact]:
        """``facts``, which must be those of the change the store just wrote: anything else would be in
        this graph and not in the session's store and change log (lost on restart, never undone)."""
        out = list(facts)
        if any(id(f) not in self._written for f in out):
            raise InputError(f"Cannot {verb} facts on the knowledge graph of a stored session directly: the "
                             "change would not be in its store or change log. Use the session: "
                             "session.apply_change(Change('import', 'why', facts_added=[...])) "
                             "(hydra_magic.changes.Change), or %hydra import FILE.")
        return out

    def _record(self, op: str, facts: list[Fact]) -> None:
        self._log.extend((op, f) for f in facts)
        self.revision += len(facts)
        if len(self._log) > self.LOG_LIMIT:
            drop = len(self._log) - self.LOG_LIMIT // 2
            del self._log[:drop]
            self._log_start += drop

    def remove_source(self, source: str) -> list[Fact]:
        raise NotImplementedError("A stored session changes through Session (its change log), not the graph.")

    def clear(self) -> None:
        raise NotImplementedError("A stored session changes through Session (its change log), not the graph.")

    @contextmanager
    def hidden(self, facts: Iterable[Fact]) -> Iterator[None]:
        """Leave ``facts`` out of every read for a moment, without writing the store."""
        keys = {(f.source, f.key): f for f in facts}
        self._hidden.update(keys)
        for f in keys.values():
            self._type_cache.pop(f.subject, None)
        try:
            yield
        finally:
            for k, f in keys.items():
                self._hidden.pop(k, None)
                self._type_cache.pop(f.subject, None)

    # ------------------------------------------------------------ reading
    @property
    def flagged_count(self) -> int:
        return self._flagged_n - sum(1 for f in self._hidden.values() if f.evidence.flags)

    def __len__(self) -> int:
        return self._size - len(self._hidden)

    def __iter__(self) -> Iterator[Fact]:
        """Every fact with its evidence, in the store's order (a statement at a time; nothing kept)."""
        node: Any = None
        group: list[Any] = []
        term, hidden = self._term, self._hidden
        for q in self._st.quads_for_pattern(None, None, None, self._names.evidence):
            if q.subject != node:
                if group:
                    f = _fact_of(group, term)
                    if f is not None and (not hidden or (f.source, f.key) not in hidden):
                        yield f
                node, group = q.subject, []
            group.append(q)
        if group:
            f = _fact_of(group, term)
            if f is not None and (not hidden or (f.source, f.key) not in hidden):
                yield f

    def index_facts(self) -> Iterator[Fact]:
        """Every fact with the evidence the verifier reads (source, flags, basis), without its sentence.

        One pass over the source graphs (one quad per fact) and one over the flags: a fraction of
        :meth:`__iter__`, which reads every evidence statement (~14 quads per fact). The sentence of a
        fact comes from :meth:`full_fact` when a finding names it.
        """
        st, ev, term, hidden = self._st, self._names, self._term, self._hidden
        flags: dict[str, list[str]] = {}
        for q in st.quads_for_pattern(None, _FLAG, None, ev.evidence):
            flags.setdefault(q.subject.value, []).append(q.object.value)
        basis = {q.subject.value: q.object.value for q in st.quads_for_pattern(None, _BASIS, None, ev.evidence)}
        plain: dict[Any, Evidence] = {}
        for q in self._source_quads():
            if q.predicate == _OX_LABEL:
                continue
            g = q.graph_name
            e = plain.get(g)
            if e is None:
                source = ev.source_of(g)
                if source is None:
                    continue
                e = plain[g] = Evidence(source=source, time=0.0)
            if flags:
                node = ev.node(q.subject, q.predicate, q.object, g).value
                fl = flags.get(node)
                if fl is not None:
                    e = Evidence(source=e.source, time=0.0, flags=tuple(sorted(fl)), basis=basis.get(node, ""))
            f = Fact(term(q.subject), term(q.predicate), term(q.object), e)
            if not hidden or (e.source, f.key) not in hidden:
                yield f

    def _source_quads(self) -> Iterator[Any]:
        """Every quad of the source graphs: graph by graph, or in one answer from a server."""
        st, ev = self._st, self._names
        bulk = getattr(st, "source_quads", None)
        if callable(bulk):
            yield from bulk(ev.base + "source/", self._size)
            return
        for g in st.named_graphs():
            if ev.source_of(g) is not None:
                yield from st.quads_for_pattern(None, None, None, g)

    def full_fact(self, fact: Fact) -> Fact:
        """``fact`` with all of its evidence as stored (for one from :meth:`index_facts`)."""
        return self.full_facts([fact])[0]

    def full_facts(self, facts: list[Fact]) -> list[Fact]:
        """Each of ``facts`` with all of its evidence as stored, read together (one request on a server)."""
        ev = self._names
        nodes = [ev.evidence_pattern(f)[1] for f in facts]
        found = {(f.source, f.key): f for f in self._facts_at(nodes)}
        return [found.get((f.source, f.key), f) for f in facts]

    def sentences(self, facts: list[Fact]) -> list[str]:
        """The sentence each of ``facts`` was read from (one evidence quad each; a query per 500 on a server)."""
        ev = self._names
        nodes = [ev.evidence_pattern(f)[1] for f in facts]
        st = self._st
        found: dict[Any, str] = {}
        if getattr(st, "endpoint", None) is None:
            for n in nodes:
                for q in st.quads_for_pattern(n, _VALUE, None, ev.evidence):
                    found[n] = q.object.value
            return [found.get(n, "") for n in nodes]
        for i in range(0, len(nodes), 500):
            for n, v in self._ox_rows("SELECT ?n ?v WHERE { VALUES ?n { %s } GRAPH %s { ?n %s ?v } }"
                                      % (" ".join(map(str, dict.fromkeys(nodes[i:i + 500]))), ev.evidence, _VALUE),
                                      ("n", "v")):
                found[n] = v.value
        return [found.get(n, "") for n in nodes]

    def _facts_at(self, nodes: Iterable[Any]) -> list[Fact]:
        """The facts of these evidence statements (a server answers them in batches), hidden ones left out."""
        st, ev, term, hidden = self._st, self._names, self._term, self._hidden
        batch = getattr(st, "statements", None)
        groups = batch(nodes) if callable(batch) else (st.quads_for_pattern(n, None, None, ev.evidence)
                                                        for n in nodes)
        out = []
        for quads in groups:
            f = _fact_of(quads, term)
            if f is not None and (not hidden or (f.source, f.key) not in hidden):
                out.append(f)
        return out

    def facts(self, source: str | None = None) -> list[Fact]:
        if source is None:
            return list(self)
        g = self._names.source_graph(source)
        out = self._facts_at([q.subject for q in self._st.quads_for_pattern(None, _DERIVED, g, self._names.evidence)])
        out.sort(key=_order)
        return out

    def facts_of(self, s: Node, p: Node, o: Node) -> list[Fact]:
        """The facts (one per source) of the triple ``(s, p, o)``."""
        ev = self._names
        return self._facts_at([ev.node(q.subject, q.predicate, q.object, q.graph_name)
                               for q in self._st.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), None)
                               if ev.source_of(q.graph_name) is not None])

    def contains(self, s: Node, p: Node, o: Node) -> bool:
        return bool(self.facts_of(s, p, o))

    def has_fact(self, fact: Fact) -> bool:
        if self._hidden and (fact.source, fact.key) in self._hidden:
            return False
        return self._names.evidence_pattern(fact)[0] in self._st

    def facts_about(self, entity: Node) -> list[Fact]:
        ev, x = self._names, to_ox(entity)
        found: dict[Any, None] = {}
        for q in (*self._st.quads_for_pattern(x, None, None, None), *self._st.quads_for_pattern(None, None, x, None)):
            if q.predicate != _OX_LABEL and ev.source_of(q.graph_name) is not None:
                found.setdefault(ev.node(q.subject, q.predicate, q.object, q.graph_name), None)
        return self._facts_at(found)

    def sources(self) -> list[str]:
        """The sources that hold facts (one aggregate over the evidence, not a look into every graph)."""
        ev = self._names
        rows = self._st.query("SELECT DISTINCT ?g WHERE { GRAPH %s { ?n %s ?g } }" % (ev.evidence, _DERIVED))
        return [src for row in rows if (src := ev.source_of(row[0])) is not None]

    def _types_of(self, entity: URIRef) -> _Types:
        cached = self._type_cache.get(entity)
        if cached is not None:
            return cached
        t = _Types()
        if isinstance(entity, URIRef):
            ev = self._names
            nodes = [ev.node(q.subject, q.predicate, q.object, q.graph_name)
                     for q in self._st.quads_for_pattern(to_ox(entity), _OX_TYPE, None, None)
                     if ev.source_of(q.graph_name) is not None and isinstance(q.object, ox.NamedNode)]
            for f in self._facts_at(nodes):
                cls = cast(URIRef, f.object)
                t.all.add(cls)
                old = t.facts.get(cls)
                if not f.evidence.flags:
                    t.stated.add(cls)
                    if old is None or old.evidence.flags:
                        t.facts[cls] = f
                elif old is None:
                    t.facts[cls] = f
        self._type_cache[entity] = t
        return t

    def types_of(self, entity: URIRef) -> set[URIRef]:
        return self._types_of(entity).all

    def stated_types_of(self, entity: URIRef) -> set[URIRef]:
        return self._types_of(entity).stated

    def type_fact(self, entity: URIRef, cls: URIRef) -> Fact | None:
        return self._types_of(entity).facts.get(cls)

    def flagged(self) -> list[Fact]:
        nodes = dict.fromkeys(q.subject for q in self._st.quads_for_pattern(None, _FLAG, None, self._names.evidence))
        return self._facts_at(nodes)

    def flagged_about(self, entities: Iterable[Node]) -> list[Fact]:
        ev = self._names
        nodes: dict[Any, None] = {}
        for e in entities:
            x = to_ox(e)
            for q in (*self._st.quads_for_pattern(None, _RDF_S, x, ev.evidence),
                      *self._st.quads_for_pattern(None, _RDF_O, x, ev.evidence)):
                nodes.setdefault(q.subject, None)
        return [f for f in self._facts_at(nodes) if f.evidence.flags]

    def entity_count(self) -> int:
        """Counted by the store from the evidence: the subjects, and the IRI objects of relations, of the facts.

        An aggregate over every fact (16 s at 900k facts here): :meth:`Session.status` asks for it only
        on graphs of moderate size.
        """
        ev = self._names.evidence
        return self._count(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH %s { { ?s %s ?e } UNION "
            "{ ?s %s ?e . ?s %s ?p FILTER(isIRI(?e) && ?p != %s) } } }" % (ev, _RDF_S, _RDF_O, _RDF_P, _OX_TYPE))

    def entities(self) -> list[URIRef]:
        seen: dict[URIRef, None] = {}
        for f in self.index_facts():
            seen.setdefault(f.subject, None)
            if isinstance(f.object, URIRef) and f.predicate != _RDF_TYPE:
                seen.setdefault(f.object, None)
        return list(seen)

    # ------------------------------------------------------------ verification inside the store
    @property
    def source_prefix(self) -> str:
        """The IRI every source graph's name starts with (queries filter on it)."""
        return self._names.base + "source/"

    @property
    def evidence_graph(self) -> Any:
        return self._names.evidence

    def select(self, sparql: str, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """A SELECT's rows as tuples of rdflib terms in the order of ``names`` (None where unbound),
        answered by the store itself: the embedded Oxigraph, or the server in one request."""
        term = self._term
        for row in self._ox_rows(sparql, names):
            yield tuple(None if t is None else term(t) for t in row)

    def source_filter(self, var: str) -> str:
        """A SPARQL filter keeping ``?var`` to the source graphs. A session's own store holds exactly four
        other graphs, ruled out by name (1.5-5x faster than a test on the IRI's text); a server holds
        other sessions too, so there the name's prefix decides."""
        ev = self._names
        if getattr(self._st, "endpoint", None) is None:
            return f"FILTER(?{var} NOT IN ({ev.evidence}, {ev.ontology}, {ev.session}, {ev.facts}))"
        prefix = self.source_prefix.replace("\\", "\\\\").replace('"', '\\"')
        return f'FILTER(STRSTARTS(STR(?{var}), "{prefix}"))'

    def facts_touching(self, nodes: Iterable[Node], batch: int = 500) -> list[Fact]:
        """The facts whose subject or object is one of ``nodes``, as :meth:`index_facts` gives them (source;
        flags and basis on type facts, the only ones whose flags a check reads), hidden ones left out.
        One query per ``batch`` nodes, answered inside the store. A class's instances (the type facts that
        point at it) are left out: no check of a node reads them, and a class has as many as the graph."""
        todo = [to_ox(n) for n in dict.fromkeys(nodes)]
        rows: dict[tuple[Any, ...], None] = {}
        src, label = self.source_filter("g"), _OX_LABEL
        entities = [x for x in todo if not isinstance(x, ox.Literal)]
        # Two plain VALUES queries per batch: a UNION of both sides, or two lookups per node, was slower (2.3x).
        for i in range(0, len(entities), batch):
            for x, p, o, g in self._ox_rows("SELECT ?x ?p ?o ?g WHERE { VALUES ?x { %s } GRAPH ?g { ?x ?p ?o } %s "
                                            "FILTER(?p != %s) }" % (" ".join(map(str, entities[i:i + batch])), src,
                                                                    label), ("x", "p", "o", "g")):
                rows[(x, p, o, g)] = None
        for i in range(0, len(todo), batch):
            for sub, p, x, g in self._ox_rows("SELECT ?s ?p ?x ?g WHERE { VALUES ?x { %s } GRAPH ?g { ?s ?p ?x } %s "
                                              "FILTER(?p != %s && ?p != %s) }"
                                              % (" ".join(map(str, todo[i:i + batch])), src, label, _OX_TYPE),
                                              ("s", "p", "x", "g")):
                rows[(sub, p, x, g)] = None
        return self._light_facts(rows)

    def facts_with_predicate(self, predicate: Node) -> list[Fact]:
        """Every fact of ``predicate`` (light, as :meth:`facts_touching`): for checks that follow paths."""
        p = to_ox(predicate)
        quads = [(q.subject, q.predicate, q.object, q.graph_name)
                 for q in self._st.quads_for_pattern(None, p, None, None)
                 if self._names.source_of(q.graph_name) is not None]
        return self._light_facts(quads)

    def _ox_rows(self, sparql: str, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """A SELECT's rows as pyoxigraph terms (None where unbound), from the embedded store or a server."""
        st = self._st
        endpoint = getattr(st, "endpoint", None)
        if endpoint is None:
            for sol in st.query(sparql):
                yield tuple(sol[n] for n in names)
            return
        from .sparql_reader import ox_term

        for row in endpoint.select(sparql):
            yield tuple(ox_term(row[n]) if n in row else None for n in names)

    def _light_facts(self, quads: Iterable[tuple[Any, Any, Any, Any]]) -> list[Fact]:
        """Facts of (subject, predicate, object, graph) rows in pyoxigraph terms, with what a check reads."""
        ev, term, hidden = self._names, self._term, self._hidden
        out: list[Fact] = []
        typed: list[tuple[int, Any]] = []
        plain: dict[Any, Evidence | None] = {}  # per graph: its source's evidence (None: not a source graph)
        for s_, p_, o_, g in quads:
            e = plain.get(g, _UNSET)
            if e is _UNSET:
                source = ev.source_of(g)
                e = plain[g] = None if source is None else Evidence(source=source, time=0.0)
            if e is None:
                continue
            f = Fact(term(s_), term(p_), term(o_), e)
            if hidden and (e.source, f.key) in hidden:
                continue
            if p_ == _OX_TYPE:
                typed.append((len(out), ev.node(s_, p_, o_, g)))
            out.append(f)
        if typed:  # flags and basis of the type facts: index lookups here, one query per 200 on a server
            found: dict[Any, tuple[list[str], str]] = {}
            st = self._st
            batch = getattr(st, "statements", None)
            if callable(batch):
                for (_, n), group in zip(typed, batch([n for _, n in typed])):
                    flags = [q.object.value for q in group if q.predicate == _FLAG]
                    if flags:
                        found[n] = (flags, next((q.object.value for q in group if q.predicate == _BASIS), ""))
            else:
                for _, n in typed:
                    flags = [q.object.value for q in st.quads_for_pattern(n, _FLAG, None, ev.evidence)]
                    if flags:
                        found[n] = (flags, next((q.object.value for q in
                                                 st.quads_for_pattern(n, _BASIS, None, ev.evidence)), ""))
            for i, n in typed:
                hit = found.get(n)
                if hit is not None:
                    f = out[i]
                    out[i] = Fact(f.subject, f.predicate, f.object, Evidence(
                        source=f.evidence.source, time=0.0, flags=tuple(sorted(set(hit[0]))), basis=hit[1]))
        return out

    # ------------------------------------------------------------ labels
    def _label_of(self, entity: Node) -> str | None:
        if entity in self._label_cache:
            return self._label_cache[entity]
        text = None
        if isinstance(entity, URIRef):
            for q in self._st.quads_for_pattern(to_ox(entity), _OX_LABEL, None, None):
                if self._names.source_of(q.graph_name) is not None and isinstance(q.object, ox.Literal):
                    text = q.object.value
                    break
        self._label_cache[entity] = text
        return text

    def prefetch_labels(self, entities: Iterable[Node], batch: int = 500) -> None:
        """Read the labels of ``entities`` together (a query per ``batch``), for the lookups that follow."""
        todo = [e for e in dict.fromkeys(entities) if isinstance(e, URIRef) and e not in self._label_cache]
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            found: dict[Node, str | None] = {}
            for e, text in self.select("SELECT ?e ?t WHERE { VALUES ?e { %s } GRAPH ?g { ?e %s ?t } %s "
                                       "FILTER(isLiteral(?t)) }" % (" ".join(x.n3() for x in part), _OX_LABEL,
                                                                    self.source_filter("g")), ("e", "t")):
                if found.setdefault(e, str(text)) != str(text):
                    found[e] = None  # labels that differ: the one-entity read decides, as without prefetching
            for e in part:
                if e not in found:
                    self._label_cache[e] = None
                elif found[e] is not None:
                    self._label_cache[e] = found[e]

    def label(self, entity: URIRef) -> str:
        return self._label_of(entity) or local_name(entity).replace("_", " ")

    def has_label(self, entity: Node) -> bool:
        return self._label_of(entity) is not None

    def labels(self) -> dict[URIRef, str]:
        return self._names.read_labels(self._st)

    def alt_labels(self, entity: URIRef | None = None) -> dict[URIRef, list[str]]:
        out: dict[URIRef, list[str]] = {}
        subject = to_ox(entity) if entity is not None else None
        for q in self._st.quads_for_pattern(subject, _OX_ALT, None, None):
            if self._names.source_of(q.graph_name) is None:
                continue
            e = self._term(q.subject)
            names = out.setdefault(e, [])
            if q.object.value not in names:
                names.append(q.object.value)
        return out

    # ------------------------------------------------------------ SPARQL
    @property
    def dataset(self) -> Dataset:  # type: ignore[override]
        """An in-memory copy of the source graphs for SPARQL (made once, then kept in step)."""
        if self._copy is None:
            ds = Dataset(store="Oxigraph", default_union=True)
            ds.bind("ent", self.entity_ns)
            ds.store._inner.extend(self._source_quads())  # type: ignore[attr-defined]
            self._copy = ds
        return self._copy

    def verified_dataset(self) -> Dataset:
        cached = self._verified_cache
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        ds = Dataset(store="Oxigraph", default_union=True)
        for prefix, ns in self.dataset.namespaces():
            ds.bind(prefix, ns)
        inner = ds.store._inner  # type: ignore[attr-defined]
        inner.extend(self.dataset.store._inner)  # type: ignore[attr-defined]
        for f in self.flagged():
            inner.remove(self._names.evidence_pattern(f)[0])
        self._verified_cache = (self.revision, ds)
        return ds

    def query_dataset(self, ontology: bool = True) -> Any:
        """Where a query over the whole graph runs inside the store: its facts graph (every fact once) and,
        with ``ontology``, its ontology graph as the default graph. ``None`` while facts are hidden (the
        store still holds them): then the caller queries :attr:`dataset`."""
        from ..sparql_policy import StoreDataset

        if self._hidden:
            return None
        names = self._names
        graphs = (names.facts.value, names.ontology.value) if ontology else (names.facts.value,)
        st = self._st
        endpoint = getattr(st, "endpoint", None)
        if endpoint is not None:
            return StoreDataset(graphs, endpoint=endpoint)
        return StoreDataset(graphs, store=st, snapshots=self._snapshots)

    def query(self, sparql: str, **kwargs: Any) -> Any:
        return self.dataset.query(sparql, **kwargs)

    # ------------------------------------------------------------ snapshots
    def to_dict(self) -> dict[str, Any]:
        return {"facts": [f.to_dict() for f in self], "labels": {e.n3(): t for e, t in self.labels().items()}}

    def load_dict(self, d: dict[str, Any]) -> None:
        raise NotImplementedError("A stored session is loaded by opening it (Session(name, config)).")

    @property
    def facts_graph(self) -> Any:
        """The graph that holds every fact (and label) once, for queries over the whole graph (the explorer's)."""
        return self._names.facts
