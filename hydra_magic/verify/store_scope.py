"""Verification of a graph that lives in a store: the store finds the suspects, Python checks only those.

A full check of a stored graph used to read every fact into a :class:`~.index.FactIndex` first: minutes
and gigabytes at a million facts, and on a SPARQL server the whole graph over HTTP. Here the set-wise
narrowing of :mod:`.prefilter` is asked of the store as SPARQL instead (subjects outside a domain's
instances, objects outside a range's, functional properties with two values, types that clash, values of
the wrong datatype, …), each query a superset of what its check can report, like the prefilter's. Only
the facts touching those nodes (and, for a transitive property, that property's facts) are read into a
small index, and the same per-node checks as an incremental run decide on them, so a stored session
reports exactly what the same session in memory reports. Memory grows with the suspects, not the graph.

The store's answers stream: a query returns nodes, never the facts they stand for.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from ..kg import Fact
from .context import GENERIC_TYPES, TYPE, XSD_STRING, OntologyContext
from .index import EMPTY, FactIndex
from .prefilter import bad_values, rule_may_break
from .terms import LIT, n3, tid

if TYPE_CHECKING:
    from ..store.stored_kg import StoredKnowledgeGraph

__all__ = ["StoreIndexView", "neighbourhood_index", "suspects"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FLAG = "https://hydra-magic.dev/ns#flag"


def _values(ids: Iterable[str]) -> str:
    return " ".join(n3(i) for i in sorted(ids))


class _Asker:
    """SPARQL over one stored graph's facts graph (every fact once), answers as term ids.

    The facts graph, not each source graph: a node's suspicion never depends on which source said a fact,
    and one graph needs no filter over graph names (at 1M facts the narrowing took 8.0 s over the source
    graphs)."""

    def __init__(self, kg: StoredKnowledgeGraph) -> None:
        self.kg = kg
        self.facts = str(kg.facts_graph)

    def ids(self, sparql: str, var: str = "x") -> set[str]:
        return {tid(row[0]) for row in self.kg.select(sparql, (var,)) if row[0] is not None}

    def rows(self, sparql: str, names: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        for row in self.kg.select(sparql, names):
            if None not in row:
                yield tuple(tid(t) for t in row)

    def nodes_of(self, p: str, side: str, where: str = "") -> set[str]:
        """Distinct subjects (``side="s"``) or objects (``"o"``) of ``p`` meeting ``where``."""
        return self.ids(f"SELECT DISTINCT ?{side} WHERE {{ GRAPH {self.facts} {{ ?s <{p}> ?o }} {where} }}",
                        side)

    def untyped(self, var: str, classes: frozenset[str] | None = None) -> str:
        """Keeps ``?var`` without a type (among ``classes``, when given) in any source graph. MINUS, not
        FILTER NOT EXISTS: Oxigraph answers it as one anti-join (0.6 s against 4.7 s over 60k subjects)."""
        among = f"VALUES ?c_ {{ {_values(classes)} }} " if classes is not None else ""
        return f"MINUS {{ GRAPH {self.facts} {{ ?{var} a ?c_ }} {among} }}"


#: Narrowing queries asked at once (each holds a core while the store evaluates it).
_NARROWING_THREADS = max(1, min(4, os.cpu_count() or 1))
#: Keeps ``?o`` unless it is a literal a string range takes as it is (``bad_values`` decides the rest).
_NOT_PLAINLY_A_STRING = (f"FILTER(!isLiteral(?o) || (datatype(?o) != <{XSD_STRING}> && lang(?o) = \"\"))")


def suspects(kg: StoredKnowledgeGraph, ctx: OntologyContext, compiled: list[Any]) -> set[str]:
    """Every node a full check could file an issue under (a superset, as :class:`.prefilter.Prefilter`)."""
    q = _Asker(kg)
    used = q.ids(f"SELECT DISTINCT ?x WHERE {{ GRAPH {kg.evidence_graph} {{ ?n <{_RDF}predicate> ?x }} }}")
    # Entities with a type resting on a flagged fact: their judged types are not all their types, so every
    # domain and range check of theirs is decided per node (a superset of FactIndex.with_inferred_types).
    # The type test as a FILTER: with rdf:type in the pattern Oxigraph started from every type statement
    # (1M facts: 3.4 s with 14 flags, 16.1 s with 700k; as a filter 0.0 s and 6.2 s).
    jobs: list[Callable[[], set[str]]] = [
        lambda: q.ids(f"SELECT DISTINCT ?x WHERE {{ GRAPH {kg.evidence_graph} {{ ?n <{_FLAG}> ?f . "
                      f"?n <{_RDF}predicate> ?p . ?n <{_RDF}subject> ?x }} FILTER(?p = <{TYPE}>) }}"),
        lambda: _disjoint_suspects(q, ctx)]
    for p in sorted(used):
        if p in ctx.properties:
            jobs.append(functools.partial(_property_suspects, q, p, ctx))
        elif p == TYPE:
            jobs.append(functools.partial(_unknown_class_suspects, q, ctx))
        else:  # an unknown property or an annotation: the check decides per subject
            jobs.append(functools.partial(q.nodes_of, p, "s"))
    if compiled:
        jobs.append(functools.partial(_rule_suspects, q, compiled))
    # The queries are independent and the store answers them without the GIL: a few at once (a full check
    # at 1M facts asks ~50).
    out: set[str] = set()
    pool = ThreadPoolExecutor(max_workers=_NARROWING_THREADS, thread_name_prefix="hydra-narrowing")
    try:
        for found in pool.map(lambda job: job(), jobs):
            out |= found
    finally:  # an interrupt does not wait for the queries not started yet
        pool.shutdown(wait=False, cancel_futures=True)
    return out


def _unknown_class_suspects(q: _Asker, ctx: OntologyContext) -> set[str]:
    out: set[str] = set()
    for c in q.nodes_of(TYPE, "o") - (ctx.classes | GENERIC_TYPES):
        out |= q.ids(f"SELECT DISTINCT ?x WHERE {{ GRAPH {q.facts} {{ ?x a {n3(c)} }} }}")
    return out


def _property_suspects(q: _Asker, p: str, ctx: OntologyContext) -> set[str]:
    out: set[str] = set()
    prop = ctx.properties[p]
    if ctx.classes:
        out |= q.ids(f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {_values(ctx.classes)} }} "
                     f"GRAPH {q.facts} {{ ?x <{p}> ?o }} }}")
    dom = ctx.domain_ok.get(p)
    # Outside the domain's instances: mismatches and untyped subjects alike; without a domain, untyped ones.
    out |= q.nodes_of(p, "s", q.untyped("s", dom))
    if prop.kind == "data":
        # A string range: plain, xsd:string and language-tagged values are fine (as bad_values says), so only
        # the others come to Python (at 1M facts 160k distinct names took 0.9 s to read).
        values = q.nodes_of(p, "o", _NOT_PLAINLY_A_STRING if ctx.datatype[p] == XSD_STRING else "")
        bad = bad_values(values, ctx.datatype[p], ctx.datatype_ref[p])
        if bad:
            out |= q.ids(f"SELECT DISTINCT ?x WHERE {{ VALUES ?o {{ {_values(bad)} }} "
                         f"GRAPH {q.facts} {{ ?x <{p}> ?o }} }}")
    else:
        out |= q.nodes_of(p, "s", "FILTER(isLiteral(?o))")
    if p in ctx.functional:
        out |= q.ids(f"SELECT ?x WHERE {{ GRAPH {q.facts} {{ ?x <{p}> ?o }} }} "
                     "GROUP BY ?x HAVING (COUNT(DISTINCT ?o) > 1)")
    if p in ctx.irreflexive or p in ctx.asymmetric:
        out |= q.ids(f"SELECT DISTINCT ?x WHERE {{ GRAPH {q.facts} {{ ?x <{p}> ?x }} }}")
    if p in ctx.asymmetric:
        for s, o in q.rows(f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH {q.facts} {{ ?s <{p}> ?o }} "
                           f"GRAPH {q.facts} {{ ?o <{p}> ?s }} }}", ("s", "o")):
            out.update((s, o))
    if p in ctx.symmetric:
        out |= q.nodes_of(p, "s", f"FILTER(!isLiteral(?o) && ?o != ?s) MINUS {{ GRAPH {q.facts} {{ ?o <{p}> ?s }} }}")
    if p in ctx.reverse:  # checks filed under the objects
        rng = ctx.range_ok.get(p)
        if rng is not None:
            out |= q.nodes_of(p, "o", q.untyped("o", rng))
        elif p in ctx.object_props:
            out |= q.nodes_of(p, "o", "FILTER(!isLiteral(?o)) " + q.untyped("o"))
        if p in ctx.inverse_functional:
            out |= q.ids(f"SELECT ?x WHERE {{ GRAPH {q.facts} {{ ?s <{p}> ?x }} }} "
                         "GROUP BY ?x HAVING (COUNT(DISTINCT ?s) > 1)")
    return out


def _disjoint_suspects(q: _Asker, ctx: OntologyContext) -> set[str]:
    """Entities with a type under each class of a disjoint pair (one class under both included)."""
    out: set[str] = set()
    for a, b in ctx.disjoint:
        under_a = frozenset(c for c, up in ctx.up.items() if a in up)
        under_b = frozenset(c for c, up in ctx.up.items() if b in up)
        if not under_a or not under_b:
            continue
        out |= q.ids(f"SELECT DISTINCT ?x WHERE {{ GRAPH {q.facts} {{ ?x a ?a }} VALUES ?a {{ {_values(under_a)} }} "
                     f"GRAPH {q.facts} {{ ?x a ?b }} VALUES ?b {{ {_values(under_b)} }} }}")
    return out


def _rule_suspects(q: _Asker, compiled: list[Any]) -> set[str]:
    """Entities that may break a value rule: as :func:`.prefilter.suspect_rules`, on the rule's values only."""
    out: set[str] = set()
    numbers: dict[str, float | None] = {}
    for c in compiled:
        if not c.props:
            continue
        names = tuple(f"v{i}" for i in range(len(c.props)))
        where = " ".join(f"GRAPH {q.facts} {{ ?s <{p}> ?v{i} }}" for i, p in enumerate(c.props))
        values: dict[str, list[set[str]]] = {}
        for row in q.rows(f"SELECT DISTINCT ?s {' '.join('?' + n for n in names)} WHERE {{ {where} }}",
                          ("s", *names)):
            sets = values.setdefault(row[0], [set() for _ in names])
            for i, v in enumerate(row[1:]):
                sets[i].add(v)
        out.update(e for e, sets in values.items() if rule_may_break(c, sets, numbers))
    return out


def neighbourhood_index(kg: StoredKnowledgeGraph, nodes: Iterable[str], ctx: OntologyContext) -> FactIndex:
    """An index of the facts touching ``nodes`` and of every transitive property's facts: all that the
    per-node checks of those nodes read."""
    from .terms import node

    facts: list[Fact] = kg.facts_touching(node(i) for i in nodes)
    for p in sorted(ctx.transitive):
        facts += kg.facts_with_predicate(URIRef(p))
    idx = FactIndex.build(facts, ctx.reverse)
    idx.full_facts, idx.sentences = kg.full_facts, kg.sentences
    return idx


class StoreIndexView:
    """The lookups the CQ tests make on an index (:meth:`has_node`, :meth:`objects`, :meth:`subjects`,
    :meth:`types_of`), answered from the store one entity at a time and kept."""

    def __init__(self, kg: StoredKnowledgeGraph, reverse: frozenset[str]) -> None:
        self._kg = kg
        self._idx = FactIndex(reverse)
        self._loaded: set[str] = set()

    def _load(self, e: Any) -> str:
        i = tid(e)
        if i not in self._loaded and i[:1] != LIT:
            self._loaded.add(i)
            for f in self._kg.facts_touching([e if not isinstance(e, str) else URIRef(e)]):
                self._idx.add(f)
        return i

    def has_node(self, e: Any) -> bool:
        i = self._load(e)
        return any(i in d for d in self._idx.pso.values())

    def objects(self, s: Any, p: Any) -> dict[str, int]:
        self._load(s)
        return self._idx.objects(s, p)

    def subjects(self, p: Any, o: Any) -> Any:
        self._load(o)
        return self._idx.subjects(p, o) or EMPTY

    def types_of(self, e: Any) -> dict[str, int]:
        self._load(e)
        return self._idx.types_of(e)

