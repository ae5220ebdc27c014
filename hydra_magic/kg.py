"""The session knowledge graph: facts in Oxigraph named graphs, with evidence.

Each source (a notebook cell, a file, a string with an id) owns one named graph.
Every fact keeps its :class:`Evidence` (source id, sentence, character spans of
subject and object, engine, time, and whether contracts or a user accepted it).
A per-entity type index is kept beside the store so the triple contracts can
check typing without querying.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable, Iterator, cast
from urllib.parse import quote

import pyoxigraph as _ox
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Literal, Namespace, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from .iri import DEFAULT_BASE, local_name, mint, snake_case

__all__ = ["ALT_LABEL", "Evidence", "Fact", "KnowledgeGraph", "canonical_fact", "source_graph_iri"]

_RDFS_LABEL = RDFS.label
_RDF_TYPE = RDF.type  # bound once: Namespace attribute lookups are slow in per-fact loops
#: An alternative name of an entity (kept when two entities are merged). Stored as an ordinary
#: fact ``(entity, skos:altLabel, "name")``, so that undo, the journal, SPARQL and every export
#: carry it with no machinery of its own; the one preferred label stays in ``_labels``.
ALT_LABEL = SKOS.altLabel

Span = tuple[int, int]


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from and who let it in."""

    source: str
    sentence: str = ""
    subject_span: Span | None = None
    object_span: Span | None = None
    engine: str = ""
    time: float = field(default_factory=time.time)
    decision: str = "contracts"  # "contracts" | "user"
    #: Why the fact is not verified although the contracts let it in: ``type_inferred``
    #: (a type, or a domain/range check, rests only on a type inferred from a relation).
    flags: tuple[str, ...] = ()
    #: For an inferred type: what it was inferred from, e.g. "range of 'directs' in (x, directs, y)".
    basis: str = ""

    @property
    def verified(self) -> bool:
        """Let in on evidence independent of the fact itself (or by the user's own decision)."""
        return not self.flags

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["flags"]:
            d.pop("flags")
        if not d["basis"]:
            d.pop("basis")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Evidence":
        d = dict(d)
        for k in ("subject_span", "object_span"):
            if d.get(k) is not None:
                d[k] = tuple(d[k])
        if "flags" in d:
            d["flags"] = tuple(d["flags"])
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Fact:
    """One accepted triple of the knowledge graph."""

    subject: URIRef
    predicate: URIRef
    object: Node
    evidence: Evidence

    @property
    def source(self) -> str:
        return self.evidence.source

    @property
    def key(self) -> tuple[Node, Node, Node]:
        return (self.subject, self.predicate, self.object)

    def to_dict(self) -> dict[str, Any]:
        return {"s": self.subject.n3(), "p": self.predicate.n3(), "o": self.object.n3(),
                "evidence": self.evidence.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Fact":
        return cls(from_n3(d["s"]), from_n3(d["p"]), from_n3(d["o"]),  # type: ignore[arg-type]
                   Evidence.from_dict(d["evidence"]))


def canonical_fact(fact: Fact) -> Fact:
    """``fact`` with an ``xsd:string`` literal written as a plain one.

    RDF 1.1 makes them the same term, and the store gives back the plain form; rdflib keeps them
    apart, so a fact added with the typed form could not be found (or undone) after a restart.
    """
    o = fact.object
    if isinstance(o, Literal) and o.datatype == XSD.string and not o.language:
        return Fact(fact.subject, fact.predicate, Literal(str(o)), fact.evidence)
    return fact


def source_graph_iri(base: str, source: str) -> URIRef:
    """The named graph of one source id."""
    return URIRef(base + "source/" + quote(source, safe=""))


class KnowledgeGraph:
    """Facts of one session, one named graph per source.

    Parameters
    ----------
    base
        Base IRI; entities live under ``<base>entity/``, sources under ``<base>source/``.
    """

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base
        self.entity_ns = Namespace(base + "entity/")
        self.dataset = Dataset(store="Oxigraph", default_union=True)
        self.dataset.bind("ent", self.entity_ns)
        self._facts: dict[str, dict[tuple[Node, Node, Node], Fact]] = {}
        self._labels: dict[URIRef, str] = {}
        self._types: dict[URIRef, set[URIRef]] = {}
        #: entity -> types some unflagged fact states (evidence independent of any relation)
        self._stated: dict[URIRef, set[URIRef]] = {}
        #: (entity, class) -> the first typing fact, for messages naming where a type came from
        self._type_facts: dict[tuple[URIRef, URIRef], Fact] = {}
        #: entity -> its typing facts by (source, class): removing one re-derives only that entity's types
        self._typing: dict[URIRef, dict[tuple[str, URIRef], Fact]] = {}
        self._graphs: dict[str, Any] = {}
        self._verified_cache: tuple[int, Dataset] | None = None  # (revision, dataset) of verified_dataset()
        self._ox_iris: dict[URIRef, Any] = {}  # pyoxigraph NamedNode per IRI, reused across inserts
        #: Bumped once per fact added or removed; with :meth:`changes_since` it lets the
        #: verifier recheck only what changed, whoever changed it.
        self.revision = 0
        self._log: list[tuple[str, Fact]] = []
        #: Facts with Evidence.flags (not verified) by (source, triple), and by the entities they name:
        #: kept in step by _record, so neither counting nor re-checking them scans the graph.
        self._flagged: dict[tuple[str, tuple[Node, Node, Node]], Fact] = {}
        self._key_sources: dict[tuple[Node, Node, Node], int] = {}
        self._size = 0
        self._flagged_by_entity: dict[Node, set[tuple[str, tuple[Node, Node, Node]]]] = {}
        self._log_start = 0  # revision of _log[0]; older entries are trimmed

    LOG_LIMIT = 200_000

    @property
    def flagged_count(self) -> int:
        """How many facts are in the graph but not verified (see :attr:`Evidence.flags`)."""
        return len(self._flagged)

    def _record(self, op: str, facts: list[Fact]) -> None:
        # How many sources hold each triple, and how many facts there are: len() and contains()
        # must not walk every source (a notebook over thousands of cells has thousands).
        held = self._key_sources
        if op == "add":
            self._size += len(facts)
            for f in facts:
                held[f.key] = held.get(f.key, 0) + 1
        else:
            self._size -= len(facts)
            for f in facts:
                n = held.get(f.key, 0) - 1
                if n > 0:
                    held[f.key] = n
                else:
                    held.pop(f.key, None)
        flagged, by_entity = self._flagged, self._flagged_by_entity
        for f in facts:
            if not f.evidence.flags:
                continue
            key = (f.source, f.key)
            if op == "add":
                flagged[key] = f
                for e in (f.subject, f.object):
                    by_entity.setdefault(e, set()).add(key)
            elif flagged.pop(key, None) is not None:
                for e in (f.subject, f.object):
                    keys = by_entity.get(e)
                    if keys is not None:
                        keys.discard(key)
                        if not keys:
                            del by_entity[e]
        self._log.extend((op, f) for f in facts)
        self.revision += len(facts)
        if len(self._log) > self.LOG_LIMIT:
            drop = len(self._log) - self.LOG_LIMIT // 2
            del self._log[:drop]
            self._log_start += drop

    def changes_since(self, revision: int) -> list[tuple[str, Fact]] | None:
        """``("add"|"remove", fact)`` since ``revision``; ``None`` when that part of the log was trimmed."""
        if revision < self._log_start or revision > self.revision:
            return None
        return self._log[revision - self._log_start:]

    # ---------------------------------------------------------------- naming
    def entity_iri(self, name: str) -> URIRef:
        return mint(str(self.entity_ns), name)

    def entity_name(self, iri: URIRef) -> str:
        return local_name(iri)

    def label(self, entity: URIRef) -> str:
        return self._labels.get(entity) or local_name(entity).replace("_", " ")

    def alt_labels(self, entity: URIRef | None = None) -> dict[URIRef, list[str]]:
        """Alternative labels (``skos:altLabel`` facts) per entity, or only those of ``entity``."""
        out: dict[URIRef, list[str]] = {}
        for f in self:
            if f.predicate == ALT_LABEL and (entity is None or f.subject == entity):
                names = out.setdefault(f.subject, [])
                if str(f.object) not in names:
                    names.append(str(f.object))
        return out

    def find_entities(self, name: str) -> list[URIRef]:
        """Entities called ``name`` (case-insensitive): by IRI or name first, else by label, else by alt label."""
        key = " ".join(str(name).split()).lower()
        if not key:
            return []
        entities = self.entities()
        if key.startswith(("http://", "https://", "urn:")):
            return [e for e in entities if str(e).lower() == key]
        names = {key, key.replace(" ", "_"), snake_case(key)}
        by_name = [e for e in entities if local_name(e).lower() in names]
        if by_name:
            return by_name
        by_label = [e for e in entities if self.label(e).lower() == key]
        if by_label:
            return by_label
        alts = self.alt_labels()
        return [e for e in entities if any(a.lower() == key for a in alts.get(e, ()))]

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Fact]:
        for facts in self._facts.values():
            yield from facts.values()

    def facts(self, source: str | None = None) -> list[Fact]:
        if source is not None:
            return list(self._facts.get(source, {}).values())
        return list(self)

    def sources(self) -> list[str]:
        return list(self._facts)

    def index_facts(self) -> Iterator[Fact]:
        """Every fact, with at least its source, flags and basis (what indexes and counts read)."""
        return iter(self)

    def entity_count(self) -> int:
        """How many entities the facts name (as :meth:`entities` lists them)."""
        return len(self.entities())

    def facts_of(self, s: Node, p: Node, o: Node) -> list[Fact]:
        """The facts (one per source) of the triple ``(s, p, o)``."""
        key = (s, p, o)
        if key not in self._key_sources:
            return []
        return [bucket[key] for bucket in self._facts.values() if key in bucket]

    def facts_about(self, entity: Node) -> list[Fact]:
        """The facts whose subject or object is ``entity``."""
        return [f for f in self if f.subject == entity or f.object == entity]

    def has_fact(self, fact: Fact) -> bool:
        """Whether ``fact``'s source states its triple."""
        return fact.key in self._facts.get(fact.source, {})

    def types_of(self, entity: URIRef) -> set[URIRef]:
        """Every type of ``entity``, stated or inferred."""
        return self._types.get(entity, set())

    def stated_types_of(self, entity: URIRef) -> set[URIRef]:
        """The types of ``entity`` that rest on evidence of their own (not flagged ``type_inferred``)."""
        return self._stated.get(entity, set())

    def type_fact(self, entity: URIRef, cls: URIRef) -> Fact | None:
        """A fact typing ``entity`` as ``cls`` (an unflagged one when there is one)."""
        return self._type_facts.get((entity, cls))

    def verified_dataset(self) -> Dataset:
        """A copy of the dataset without the flagged facts (for verified-only queries; cached per revision)."""
        cached = self._verified_cache
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        ds = Dataset(store="Oxigraph", default_union=True)
        for prefix, ns in self.dataset.namespaces():
            ds.bind(prefix, ns)
        ds.addN((f.subject, f.predicate, f.object, ds.graph(source_graph_iri(self.base, f.source)))
                for f in self if not f.evidence.flags)
        for e, text in self._labels.items():
            ds.add((e, RDFS.label, Literal(text)))
        self._verified_cache = (self.revision, ds)
        return ds

    def flagged(self) -> list[Fact]:
        """Facts that are in the graph but not verified (see :attr:`Evidence.flags`)."""
        return list(self._flagged.values())

    def flagged_about(self, entities: Iterable[Node]) -> list[Fact]:
        """The flagged facts whose subject or object is one of ``entities`` (no scan of the graph)."""
        keys: dict[tuple[str, tuple[Node, Node, Node]], None] = {}
        for e in entities:
            keys.update(dict.fromkeys(self._flagged_by_entity.get(e, ())))
        return [self._flagged[k] for k in keys if k in self._flagged]

    def entities(self) -> list[URIRef]:
        seen: dict[URIRef, None] = {}
        for f in self:
            seen.setdefault(f.subject, None)
            if isinstance(f.object, URIRef) and f.predicate != RDF.type:
                seen.setdefault(f.object, None)
        return list(seen)

    def has_label(self, entity: Node) -> bool:
        return entity in self._labels

    def labels(self) -> dict[URIRef, str]:
        return dict(self._labels)

    def contains(self, s: Node, p: Node, o: Node) -> bool:
        return (s, p, o) in self._key_sources

    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Run SPARQL on the union of all source graphs (Oxigraph engine)."""
        return self.dataset.query(sparql, **kwargs)

    # ---------------------------------------------------------------- writing
    def add(self, facts: Iterable[Fact], labels: dict[URIRef, str] | None = None) -> list[Fact]:
        """Add facts (each into the graph of its source); returns those that were new."""
        added: list[Fact] = []
        quads = []
        rdf_type = _RDF_TYPE
        for f in facts:
            bucket = self._facts.setdefault(f.source, {})
            key = (f.subject, f.predicate, f.object)
            if key in bucket:
                continue
            bucket[key] = f
            added.append(f)
            quads.append((f.subject, f.predicate, f.object, self._graph(f.source)))
            if f.predicate == rdf_type and isinstance(f.object, URIRef):
                self._index_type(f)
        for e, text in (labels or {}).items():
            if e not in self._labels:
                self._labels[e] = text
        # Labels go to the graph of each fact that mentions the entity (a source's graph reads alone).
        own, names, label_of = str(self.entity_ns), self._labels, _RDFS_LABEL
        literals: dict[URIRef, Literal] = {}
        for f in added:
            for term in (f.subject, f.object):
                if isinstance(term, URIRef) and term in names and term.startswith(own):
                    lit = literals.get(term)
                    if lit is None:
                        lit = literals[term] = Literal(names[term])
                    quads.append((term, label_of, lit, self._graph(f.source)))
        if quads:
            self._store_quads(quads)
        self._record("add", added)
        return added

    def _store_quads(self, quads: list[tuple[Any, Any, Any, Any]]) -> None:
        """Bulk insert, converting terms ourselves: oxrdflib's generic converter was half
        of the load time (measured: 200k facts 10.2 s → see ``hydra bench speed``)."""
        inner = getattr(self.dataset.store, "_inner", None)
        if inner is None:
            self.dataset.addN(quads)  # not Oxigraph: the generic path
            return
        ox_term = self._ox_term
        graphs: dict[int, Any] = {}
        out = []
        for s_, p_, o_, g in quads:
            gname = graphs.get(id(g))
            if gname is None:
                gname = graphs[id(g)] = _ox.NamedNode(str(g.identifier))
            out.append(_ox.Quad(ox_term(s_), ox_term(p_), ox_term(o_), gname))
        inner.extend(out)

    def _ox_term(self, t: Any) -> Any:
        if type(t) is URIRef:
            n = self._ox_iris.get(t)
            if n is None:
                n = self._ox_iris[t] = _ox.NamedNode(t)
            return n
        if isinstance(t, Literal):
            return _ox.Literal(str(t), language=t.language,
                               datatype=_ox.NamedNode(t.datatype) if t.datatype and not t.language else None)
        if isinstance(t, BNode):
            return _ox.BlankNode(t)
        return _ox.NamedNode(t)

    def remove(self, facts: Iterable[Fact]) -> list[Fact]:
        """Remove specific facts; returns those that were present."""
        removed = []
        for f in facts:
            bucket = self._facts.get(f.source, {})
            stored = bucket.pop(f.key, None)
            if stored is None:
                continue
            removed.append(stored)
            self.dataset.remove((f.subject, f.predicate, f.object, self._graph(f.source)))
            if not bucket:
                self._facts.pop(f.source, None)
        self._unindex_types(removed)
        self._record("remove", removed)
        return removed

    @contextmanager
    def hidden(self, facts: Iterable[Fact]) -> Iterator[None]:
        """Leave ``facts`` out of the graph for a moment (extraction against the graph as it will be)."""
        gone = self.remove(facts)
        try:
            yield
        finally:
            self.add(gone)

    def remove_source(self, source: str) -> list[Fact]:
        """Drop everything a source contributed (before re-extracting it)."""
        facts = list(self._facts.pop(source, {}).values())
        self._record("remove", facts)
        if facts:
            self.dataset.remove_graph(self._graph(source))
            self._graphs.pop(source, None)
            self._unindex_types(facts)
        return facts

    def clear(self) -> None:
        self._record("remove", list(self))
        for source in list(self._facts):
            self.dataset.remove_graph(self._graph(source))
        self._graphs.clear()
        self._ox_iris.clear()
        self._facts.clear()
        self._labels.clear()
        self._types.clear()
        self._stated.clear()
        self._type_facts.clear()
        self._typing.clear()

    def mark_user_accepted(self, fact: Fact) -> Fact:
        return replace(fact, evidence=replace(fact.evidence, decision="user"))

    def _graph(self, source: str) -> Any:
        g = self._graphs.get(source)
        if g is None:
            g = self._graphs[source] = self.dataset.graph(source_graph_iri(self.base, source))
        return g

    def _index_type(self, f: Fact) -> None:
        cls = cast(URIRef, f.object)  # only rdf:type facts with an IRI class are indexed (see the callers)
        self._typing.setdefault(f.subject, {})[(f.source, cls)] = f
        self._types.setdefault(f.subject, set()).add(cls)
        key = (f.subject, cls)
        if not f.evidence.flags:
            self._stated.setdefault(f.subject, set()).add(cls)
            old = self._type_facts.get(key)
            if old is None or old.evidence.flags:
                self._type_facts[key] = f
        else:
            self._type_facts.setdefault(key, f)

    def _unindex_types(self, removed: list[Fact]) -> None:
        """Re-derive the types of the entities whose typing facts were removed (only theirs)."""
        touched = set()
        for f in removed:
            if f.predicate == _RDF_TYPE and isinstance(f.object, URIRef):
                typing = self._typing.get(f.subject)
                if typing is not None:
                    typing.pop((f.source, f.object), None)
                touched.add(f.subject)
        for e in touched:
            for cls in self._types.pop(e, set()):
                self._type_facts.pop((e, cls), None)
            self._stated.pop(e, None)
            remaining = self._typing.pop(e, {})
            for f in remaining.values():
                self._index_type(f)

    # ------------------------------------------------------------ snapshots
    def to_dict(self) -> dict[str, Any]:
        return {"facts": [f.to_dict() for f in self],
                "labels": {e.n3(): t for e, t in self._labels.items()}}

    def load_dict(self, d: dict[str, Any]) -> None:
        self.clear()
        labels = {from_n3(k): v for k, v in d.get("labels", {}).items()}
        self.add((Fact.from_dict(x) for x in d.get("facts", [])), labels)  # type: ignore[arg-type]
