"""The graph explorer's questions to a session's store, in SPARQL over its facts graph.

The explorer's index of a stored session (:class:`hydra_magic.graph_state.StoredGraphIndex`)
asks these instead of reading every fact into Python: a few aggregates when it opens (the
nodes of highest degree, class and relation sizes, totals) and, per node the explorer shows,
its degree, types, neighbours and edges. Each answer is one query (or one per
:data:`BATCH` nodes) that the store runs itself, the embedded Oxigraph or a server, over
the facts graph that holds every fact once (see :mod:`.evidence_rdf`).

Terms as the explorer sees the graph: a node is the subject of a fact or the IRI object
of a fact that is not rdf:type; an edge is a distinct triple whose object is an IRI and whose
predicate is neither rdf:type nor rdfs:label (label triples are in the facts graph too,
and are not facts). A node's degree counts its edges, a loop twice, as the memory index does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, URIRef

from ..kg import ALT_LABEL

if TYPE_CHECKING:  # pragma: no cover
    from .stored_kg import StoredKnowledgeGraph

__all__ = ["BATCH", "ExplorerQueries", "nameable", "sparql_string"]

#: Nodes named in one VALUES block.
BATCH = 500

_TYPE, _LABEL, _ALT = (f"<{x}>" for x in (RDF.type, RDFS.label, ALT_LABEL))
_LINK = f"?p != {_TYPE} && ?p != {_LABEL}"
#: The IRI's last segment, lower case, "_" read as " " (what the memory index matches as an entity's name).
_NAME = 'REPLACE(LCASE(REPLACE(STR(?e), "^.*[/#]", "")), "_", " ")'


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal: quotes, backslashes and line breaks escaped, so user text
    cannot end the literal."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
                  .replace("\t", "\\t")) + '"'


_NOT_IN_IRI = frozenset('<>"{}|^`\\ \n\r\t')


def nameable(e: Any) -> bool:
    """Whether ``e`` is an IRI a query can name as ``<e>`` (any the store holds is)."""
    return isinstance(e, URIRef) and not _NOT_IN_IRI.intersection(str(e))


def _iri(e: Any) -> str:
    if not nameable(e):
        raise ValueError(f"not an IRI a query can name: {str(e)!r}")
    return f"<{e}>"


def _values(items: list[Any]) -> Iterator[tuple[list[Any], str]]:
    for k in range(0, len(items), BATCH):
        part = items[k:k + BATCH]
        yield part, " ".join(map(_iri, part))


class ExplorerQueries:
    """What the explorer asks of ``kg``'s store; entities in and out as rdflib terms."""

    def __init__(self, kg: StoredKnowledgeGraph) -> None:
        self.kg = kg
        self.graph = str(kg.facts_graph)

    def _rows(self, sparql: str, names: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        return self.kg.select(sparql, names)

    # ------------------------------------------------------------ aggregates (when the explorer opens)
    def relation_counts(self) -> list[tuple[URIRef, int]]:
        """Each object property with its number of edges."""
        return [(p, int(n)) for p, n in self._rows(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH {self.graph} {{ ?s ?p ?o }} FILTER(isIRI(?o) && {_LINK}) }} "
            "GROUP BY ?p", ("p", "n"))]

    def node_count(self) -> int:
        for (n,) in self._rows(
                f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH {self.graph} {{ "
                f"{{ ?e ?p ?o FILTER(?p != {_LABEL}) }} UNION {{ ?s ?p ?e FILTER(isIRI(?e) && {_LINK}) }} }} }}",
                ("n",)):
            return int(n) if n is not None else 0
        return 0

    def type_sets(self) -> list[tuple[list[URIRef], int]]:
        """Each set of types some nodes have, with how many have exactly it (untyped nodes left out)."""
        return [([URIRef(t) for t in str(ts).split()], int(n)) for ts, n in self._rows(
            f"SELECT ?ts (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s (GROUP_CONCAT(STR(?t); separator=\" \") AS ?ts) "
            f"WHERE {{ GRAPH {self.graph} {{ ?s {_TYPE} ?t }} }} GROUP BY ?s }} }} GROUP BY ?ts", ("ts", "n"))]

    def top_degree(self, n: int) -> list[tuple[URIRef, int]]:
        """The ``n`` nodes of highest degree with it, highest first (the order of ties is the store's).
        Each edge counted at both ends by a two-row VALUES: 4x faster in Oxigraph than a UNION of both sides."""
        return [(e, int(d)) for e, d in self._rows(
            f"SELECT ?e (COUNT(*) AS ?d) WHERE {{ GRAPH {self.graph} {{ ?s ?p ?o }} FILTER(isIRI(?o) && {_LINK}) "
            f"VALUES ?k {{ 0 1 }} BIND(IF(?k = 0, ?s, ?o) AS ?e) }} GROUP BY ?e ORDER BY DESC(?d) LIMIT {int(n)}",
            ("e", "d"))]

    def unlinked(self, n: int) -> list[URIRef]:
        """Up to ``n`` nodes without an edge (a graph with few links shows them too)."""
        return [e for (e,) in self._rows(
            f"SELECT DISTINCT ?e WHERE {{ GRAPH {self.graph} {{ ?e ?p ?o }} FILTER(?p != {_LABEL}) "
            f"FILTER NOT EXISTS {{ GRAPH {self.graph} {{ {{ ?e ?q ?y FILTER(isIRI(?y) && ?q != {_TYPE} "
            f"&& ?q != {_LABEL}) }} UNION {{ ?z ?q ?e FILTER(?q != {_TYPE} && ?q != {_LABEL}) }} }} }} }} "
            f"LIMIT {int(n)}", ("e",))]

    def shared_neighbours(self, seeds: list[URIRef], n: int) -> list[tuple[URIRef, int]]:
        """The ``n`` nodes (other than ``seeds``) with the most edges to ``seeds``, with that number."""
        values = " ".join(map(_iri, seeds))
        return [(e, int(c)) for e, c in self._rows(
            f"SELECT ?o (COUNT(*) AS ?c) WHERE {{ VALUES ?x {{ {values} }} GRAPH {self.graph} {{ {{ ?x ?p ?o }} "
            f"UNION {{ ?o ?p ?x }} }} FILTER(isIRI(?o) && {_LINK} && ?o NOT IN ({', '.join(map(_iri, seeds))})) }} "
            f"GROUP BY ?o ORDER BY DESC(?c) LIMIT {int(n)}", ("o", "c"))]

    # ------------------------------------------------------------ per node
    def nodes_among(self, entities: list[URIRef]) -> set[URIRef]:
        """Those of ``entities`` that are nodes."""
        found: set[URIRef] = set()
        for _, values in _values(entities):
            found.update(e for (e,) in self._rows(
                f"SELECT DISTINCT ?e WHERE {{ VALUES ?e {{ {values} }} GRAPH {self.graph} {{ "
                f"{{ ?e ?p ?o FILTER(?p != {_LABEL}) }} UNION {{ ?s ?p ?e FILTER({_LINK}) }} }} }}", ("e",)))
        return found

    def degrees(self, entities: list[URIRef]) -> dict[URIRef, int]:
        """The degree of each of ``entities`` (two plain queries per batch: out-edges, in-edges)."""
        deg = dict.fromkeys(entities, 0)
        for _, values in _values(entities):
            for pattern in (f"?e ?p ?o FILTER(isIRI(?o) && {_LINK})", f"?o ?p ?e FILTER({_LINK})"):
                for e, n in self._rows(f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ VALUES ?e {{ {values} }} "
                                       f"GRAPH {self.graph} {{ {pattern} }} }} GROUP BY ?e", ("e", "n")):
                    deg[e] += int(n)
        return deg

    def types(self, entities: list[URIRef]) -> dict[URIRef, set[URIRef]]:
        out: dict[URIRef, set[URIRef]] = {e: set() for e in entities}
        for _, values in _values(entities):
            for e, t in self._rows(f"SELECT ?e ?t WHERE {{ VALUES ?e {{ {values} }} GRAPH {self.graph} "
                                   f"{{ ?e {_TYPE} ?t }} }}", ("e", "t")):
                out[e].add(t)
        return out

    def alt_labels(self, entities: list[URIRef]) -> dict[URIRef, list[str]]:
        out: dict[URIRef, list[str]] = {}
        for _, values in _values(entities):
            for e, t in self._rows(f"SELECT ?e ?t WHERE {{ VALUES ?e {{ {values} }} GRAPH {self.graph} "
                                   f"{{ ?e {_ALT} ?t }} FILTER(isLiteral(?t)) }}", ("e", "t")):
                out.setdefault(e, []).append(str(t))
        return out

    def neighbours(self, entity: URIRef) -> list[URIRef]:
        """The distinct nodes ``entity`` has an edge with (itself left out)."""
        x = _iri(entity)
        return [e for (e,) in self._rows(
            f"SELECT DISTINCT ?o WHERE {{ GRAPH {self.graph} {{ {{ {x} ?p ?o }} UNION {{ ?o ?p {x} }} }} "
            f"FILTER(isIRI(?o) && ?o != {x} && {_LINK}) }}", ("o",))]

    def edges(self, entities: list[URIRef], others: Iterable[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        """The edges (s, p, o) between one of ``entities`` and one of ``others``, either way."""
        targets = " ".join(map(_iri, others))
        if not targets:
            return []
        out: list[tuple[URIRef, URIRef, URIRef]] = []
        for _, values in _values(entities):
            for first, second in ((values, targets), (targets, values)):
                out.extend(self._rows(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {first} }} GRAPH {self.graph} "
                                      f"{{ ?s ?p ?o }} VALUES ?o {{ {second} }} FILTER({_LINK}) }}", ("s", "p", "o")))
        return out

    def search(self, text: str, n: int) -> list[URIRef]:
        """Up to ``n`` entities per way of matching whose label (those starting with ``text`` first), alt label
        or name contains ``text`` (lower case, as given); the caller ranks them and keeps the nodes."""
        lit = sparql_string(text)
        found: dict[URIRef, None] = {}
        names = (f"{{ SELECT DISTINCT ?e WHERE {{ GRAPH {self.graph} {{ {{ ?e ?p ?t FILTER(?p != {_LABEL}) }} UNION "
                 f"{{ ?t ?p ?e FILTER(isIRI(?e) && {_LINK}) }} }} }} }} FILTER(CONTAINS({_NAME}, {lit}))")
        for pattern in (f"GRAPH {self.graph} {{ ?e {_LABEL} ?t }} FILTER(STRSTARTS(LCASE(STR(?t)), {lit}))",
                        f"GRAPH {self.graph} {{ ?e {_LABEL} ?t }} FILTER(CONTAINS(LCASE(STR(?t)), {lit}))",
                        f"GRAPH {self.graph} {{ ?e {_ALT} ?t }} FILTER(CONTAINS(LCASE(STR(?t)), {lit}))",
                        names):
            for (e,) in self._rows(f"SELECT DISTINCT ?e WHERE {{ {pattern} }} LIMIT {int(n)}", ("e",)):
                if isinstance(e, URIRef):
                    found.setdefault(e, None)
        return list(found)
