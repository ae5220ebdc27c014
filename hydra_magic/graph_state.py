"""The graph explorer's data: an index of the KG and what the explorer shows of it.

:class:`GraphIndex` holds the KG's adjacency once per change of the session;
:class:`ExplorerModel` answers the explorer's requests (expand, more, select,
search, reset) from it, capped, and produces the plain state the widget and the
static SVG (:func:`hydra_magic.html.graph_html`) draw. Pure Python: no widget here.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import RDF, URIRef

from .iri import local_name
from .ontology import Ontology
from .state import term_name

if TYPE_CHECKING:  # pragma: no cover
    from .kg import Fact, KnowledgeGraph
    from .store.stored_kg import StoredKnowledgeGraph

__all__ = [
    "EXPAND_CAP",
    "FACTS_CAP",
    "FACTS_PER_RELATION",
    "INITIAL_CAP",
    "SENTENCE_CAP",
    "VIEW_CAP",
    "ExplorerModel",
    "GraphIndex",
    "StoredGraphIndex",
    "graph_index",
]

#: Neighbours added per expansion of a node in the explorer ("N more" beyond that).
EXPAND_CAP = 50
#: Nodes shown when the explorer opens (the top-degree ones).
INITIAL_CAP = 40
#: Nodes the explorer keeps on screen at most; beyond that it asks for a reset.
VIEW_CAP = 1500

#: Class colours of the explorer (colour-blind friendly, Okabe–Ito + extras).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#6A3D9A", "#8C564B", "#17BECF", "#7F7F7F", "#BCBD22")
UNTYPED_COLOR = "#9E9E9E"

#: Facts listed per relation in the explorer's node panel, and in all (the counts always cover every fact).
FACTS_PER_RELATION = 12
FACTS_CAP = 80
#: Longest evidence sentence shipped to the node panel (characters).
SENTENCE_CAP = 320

_GROUP_ORDER = {"type": 0, "out": 1, "value": 2, "in": 3}
#: One of a node's facts for the node panel: (dir, rel, text, other node or None, the fact); text None: the
#: other node's label, read for the facts shown only.
_Entry = tuple[str, str, "str | None", "int | None", "Fact"]


def _class_name(onto: Ontology | None, types: Iterable[URIRef] | None) -> str:
    """The class a node is drawn as: its most specific type (by the ontology), ``""`` when untyped."""
    types = list(types or ())
    if not types:
        return ""
    if onto is not None and len(types) > 1:  # the most specific type names the node
        return term_name(onto, max(types, key=lambda t: (len(onto.ancestors(t)), str(t))))
    return term_name(onto, min(types, key=str))


def _fact_groups(entries: Iterable[_Entry], labels: Callable[[list[int]], list[str]],
                 full: Callable[[list[Fact]], list[Fact]], per_relation: int, cap: int) -> list[dict[str, Any]]:
    """A node's facts grouped by relation and direction, the first ``per_relation`` of each (``cap`` in all)
    with their evidence: ``labels`` names the other nodes of the links shown and ``full`` reads the evidence
    of the facts shown, each once for all of them."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, rel, text, other, f in entries:
        g = groups.setdefault((kind, rel), {"rel": rel, "dir": kind, "count": 0, "facts": []})
        g["count"] += 1
        if len(g["facts"]) < per_relation:
            g["facts"].append((text, other, f))
    ranked = sorted(groups.values(), key=lambda g: (_GROUP_ORDER[g["dir"]], g["rel"].lower()))
    budget = cap
    for g in ranked:
        g["facts"] = g["facts"][:max(0, budget)]
        budget -= len(g["facts"])
        g["more"] = g["count"] - len(g["facts"])
    shown = [x for g in ranked for x in g["facts"]]
    unnamed = [o for t, o, _ in shown if t is None and o is not None]
    names = dict(zip(unnamed, labels(unnamed)))
    evidence = iter(full([f for _, _, f in shown]))
    for g in ranked:
        out = []
        for text, other, _ in g["facts"]:
            ev = next(evidence).evidence
            sentence = " ".join(ev.sentence.split())
            out.append({"text": names[other] if text is None and other is not None else text, "other": other,
                        "sentence": sentence if len(sentence) <= SENTENCE_CAP else sentence[:SENTENCE_CAP - 1] + "…",
                        "source": ev.source, "flags": list(ev.flags), "basis": ev.basis,
                        "user": ev.decision == "user"})
        g["facts"] = out
    return ranked


class GraphIndex:
    """Adjacency of the KG for the explorer: entities as nodes, object-property facts as edges.

    Built once per explorer from the session's facts (``O(facts)``), and again after
    each change of the session (see :meth:`Session.subscribe`); every neighbourhood
    request is then answered from memory, capped, so that a large graph is never
    shipped whole to the browser. Each node also keeps its facts (references, with
    their evidence) for the node panel.
    """

    def __init__(self, kg: KnowledgeGraph, ontology: Ontology | None = None) -> None:
        from .kg import ALT_LABEL

        self.kg, self.ontology = kg, ontology
        self.revision = getattr(kg, "revision", 0)
        ids: dict[URIRef, int] = {}
        self.entities: list[URIRef] = []
        adj: list[list[tuple[int, int, bool]]] = []  # node -> (predicate id, other node, outgoing)
        node_facts: list[list[Fact]] = []  # node -> its facts (as subject or object), every source
        self.literals: dict[int, list[tuple[int, str]]] = {}
        self.types: dict[int, set[URIRef]] = {}
        self.alt_labels: dict[int, list[str]] = {}
        self.predicates: list[URIRef] = []
        pids: dict[URIRef, int] = {}
        self.edge_count = 0
        rel_edges: Counter[int] = Counter()

        # Hot loop (once per explorer, O(facts)): locals only, predicates mapped to small ints
        # so the typing test is an int comparison, not rdflib's Python-level __eq__.
        entities, literals, types, predicates = self.entities, self.literals, self.types, self.predicates
        type_pid = alt_pid = -1
        multi = len(kg.sources()) > 1
        seen: set[tuple[Any, Any, Any]] = set()
        edges = 0
        n_facts = 0
        # A graph in a store gives light facts (no sentence); the node panel reads the few it shows in full.
        self._full: Any = getattr(kg, "full_fact", None)
        for f in kg.index_facts():
            n_facts += 1
            subj, pred, obj = f.subject, f.predicate, f.object
            s = ids.get(subj)
            if s is None:
                s = ids[subj] = len(entities)
                entities.append(subj)
                adj.append([])
                node_facts.append([])
            node_facts[s].append(f)
            p = pids.get(pred)
            if p is None:
                p = pids[pred] = len(predicates)
                predicates.append(pred)
                if pred == RDF.type:
                    type_pid = p
                elif pred == ALT_LABEL:
                    alt_pid = p
            o = -1
            if p != type_pid and isinstance(obj, URIRef):
                known = ids.get(obj)
                if known is None:
                    known = ids[obj] = len(entities)
                    entities.append(obj)
                    adj.append([])
                    node_facts.append([])
                o = known
                if o != s:
                    node_facts[o].append(f)
            if multi:  # the same triple from two sources is one edge (both facts stay in the panel)
                key = (subj, pred, obj)
                if key in seen:
                    continue
                seen.add(key)
            if p == type_pid:
                types.setdefault(s, set()).add(obj)  # type: ignore[arg-type]
            elif o >= 0:
                adj[s].append((p, o, True))
                adj[o].append((p, s, False))
                rel_edges[p] += 1
                edges += 1
            else:
                literals.setdefault(s, []).append((p, str(obj)))
                if p == alt_pid:
                    self.alt_labels.setdefault(s, []).append(str(obj))
        self.edge_count = edges
        self.fact_count = n_facts
        self.ids = ids
        self.adj = adj
        self.node_facts = node_facts
        self.labels = [kg.label(e) for e in self.entities]
        # What search matches: the label, the IRI's name when the label differs from it, and alt labels.
        self._folded = []
        for i, (e, lab) in enumerate(zip(self.entities, self.labels)):
            name = local_name(e).replace("_", " ")
            keys = [lab] if name.lower() == lab.lower() else [lab, name]
            self._folded.append("\x00".join(keys + self.alt_labels.get(i, [])).lower())
        self.pred_names = [term_name(ontology, p) for p in self.predicates]
        #: Object-property relations with their number of links, most used first.
        self.relations = sorted(((self.pred_names[p], n) for p, n in rel_edges.items()), key=lambda x: (-x[1], x[0]))
        # One colour per class, in order of size, so the legend is stable for a given KG.
        cls_of: list[str] = []
        sizes: Counter[str] = Counter()
        for i in range(len(self.entities)):
            c = self._class_name(i)
            cls_of.append(c)
            sizes[c] += 1
        self.node_class = cls_of
        ordered = [c for c, _ in sizes.most_common() if c]
        self.colors = {c: PALETTE[k % len(PALETTE)] for k, c in enumerate(ordered)}
        self.colors[""] = UNTYPED_COLOR
        self.class_sizes = sizes

    def _class_name(self, i: int) -> str:
        return _class_name(self.ontology, self.types.get(i))

    def __len__(self) -> int:
        return len(self.entities)

    def ids_of(self, entities: Iterable[Any]) -> dict[Any, int]:
        """The node ids of those of ``entities`` that are nodes of the graph."""
        ids = self.ids
        return {e: ids[e] for e in entities if e in ids}

    def prefetch(self, nodes: Iterable[int]) -> None:
        """Nothing to read ahead here (the store's index reads the nodes it is about to show together)."""

    def edges_for(self, nodes: Iterable[int], shown: set[int]) -> list[dict[str, Any]]:
        """Edges from each of ``nodes`` to nodes in ``shown`` (see :meth:`edges_between`)."""
        return [e for i in nodes for e in self.edges_between(i, shown)]

    def degree(self, i: int) -> int:
        return len(self.adj[i])

    def node(self, i: int) -> dict[str, Any]:
        return {"id": i, "iri": str(self.entities[i]), "label": self.labels[i], "cls": self.node_class[i],
                "degree": len(self.adj[i])}

    def top(self, n: int) -> list[int]:
        """The ``n`` nodes of highest degree (ties by label)."""
        return heapq.nsmallest(n, range(len(self.entities)), key=lambda i: (-len(self.adj[i]), self.labels[i]))

    def initial(self, n: int, scan: int = 5000) -> list[int]:
        """The opening picture: the top-degree half of ``n``, then the nodes that link most of them.

        Hubs are rarely linked to each other directly (actors and studios meet
        through films), so the top-degree nodes alone draw as isolated dots;
        adding the neighbours shared by most of them shows how they connect.
        """
        seeds = self.top(max(1, n // 2))
        chosen = set(seeds)
        shared: Counter[int] = Counter()
        for s in seeds:
            for k, (_, o, _) in enumerate(self.adj[s]):
                if k >= scan:
                    break
                if o not in chosen:
                    shared[o] += 1
        rest = heapq.nsmallest(max(0, n - len(seeds)), shared,
                               key=lambda j: (-shared[j], -len(self.adj[j]), self.labels[j]))
        return seeds + rest

    def neighbours(self, i: int) -> list[int]:
        """Distinct neighbours of ``i``, highest degree first."""
        seen: dict[int, None] = {}
        for _, o, _ in self.adj[i]:
            if o != i:
                seen.setdefault(o, None)
        return sorted(seen, key=lambda j: (-len(self.adj[j]), self.labels[j]))

    def edges_between(self, i: int, shown: set[int], limit: int = 4000) -> list[dict[str, Any]]:
        """Edges from ``i`` to nodes in ``shown`` (scans at most ``limit`` adjacency entries)."""
        out = []
        for k, (p, o, outgoing) in enumerate(self.adj[i]):
            if k >= limit:
                break
            if o in shown:
                s, t = (i, o) if outgoing else (o, i)
                out.append({"s": s, "t": t, "p": self.pred_names[p]})
        return out

    def search(self, query: str, n: int = 20) -> list[int]:
        """Nodes whose label, name or alternative label contains ``query`` (case-insensitive), prefix matches first."""
        q = query.strip().lower()
        if not q:
            return []
        q = q.replace("_", " ")
        hits = []
        for i, low in enumerate(self._folded):
            pos = low.find(q)
            if pos >= 0:
                hits.append((pos != 0, -len(self.adj[i]), self.labels[i], i))
        return [h[3] for h in heapq.nsmallest(n, hits)]

    def facts(self, i: int, per_relation: int = FACTS_PER_RELATION, cap: int = FACTS_CAP) -> list[dict[str, Any]]:
        """The facts of node ``i`` grouped by relation and direction, each with its evidence.

        Groups: ``{"rel", "dir": "type" | "out" | "in" | "value", "count", "facts": [...], "more"}``;
        a fact: ``{"text", "other" (node id or None), "sentence", "source", "flags", "basis", "user"}``.
        """
        ids, onto = self.ids, self.ontology
        entries: list[_Entry] = []
        for f in self.node_facts[i]:
            out = ids.get(f.subject) == i
            if f.predicate == RDF.type and out:
                entries.append(("type", "type", term_name(onto, f.object), None, f))
            elif isinstance(f.object, URIRef) and f.object in ids:
                other = ids[f.object] if out else ids[f.subject]
                entries.append(("out" if out else "in", term_name(onto, f.predicate), self.labels[other], other, f))
            else:
                entries.append(("value", term_name(onto, f.predicate), str(f.object), None, f))
        full = self._full
        return _fact_groups(entries, lambda others: [self.labels[j] for j in others],
                            lambda facts: facts if full is None else [full(f) for f in facts], per_relation, cap)

    def details(self, i: int, n: int = 30) -> dict[str, Any]:
        lits = self.literals.get(i, [])
        return {"id": i, "label": self.labels[i], "iri": str(self.entities[i]), "cls": self.node_class[i],
                "types": sorted(term_name(self.ontology, t) for t in self.types.get(i, ())),
                "alt_labels": list(self.alt_labels.get(i, [])),
                "degree": len(self.adj[i]), "fact_count": len(self.node_facts[i]),
                "values": [[self.pred_names[p], v] for p, v in lits[:n]], "more_values": max(0, len(lits) - n),
                "facts": self.facts(i)}


#: Candidates read beyond a cut of the store's answers (top degree, shared neighbours, search hits), so that
#: ties at the cut are ordered by label as in memory.
TIE_CAP = 2000


class _StoreIds(dict):  # type: ignore[type-arg]
    """Entity -> node id of a :class:`StoredGraphIndex`: the nodes met so far, and any other node of the
    graph, which gets its id when asked for (``e in ids`` asks the store once per entity)."""

    def __init__(self, index: StoredGraphIndex) -> None:
        super().__init__()
        self._index = index

    def __contains__(self, e: object) -> bool:
        return dict.__contains__(self, e) or bool(self._index.ids_of([e]))

    def __getitem__(self, e: Any) -> int:
        i = self.get(e)
        if i is None:
            raise KeyError(e)
        return i

    def get(self, e: Any, default: Any = None) -> Any:
        if dict.__contains__(self, e):
            return dict.__getitem__(self, e)
        return self._index.ids_of([e]).get(e, default)


class _StoreLabels(list):  # type: ignore[type-arg]
    """``labels`` of a :class:`StoredGraphIndex`: ``labels[i]`` is node ``i``'s label, read when asked
    (the memory index's is a list of every node's)."""

    def __init__(self, index: StoredGraphIndex) -> None:
        super().__init__()
        self._index = index

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        return self._index._label(range(len(self))[i])

    def __len__(self) -> int:
        return len(self._index.entities)

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


class StoredGraphIndex(GraphIndex):
    """The explorer's index of a session kept in a store (a
    :class:`~hydra_magic.store.stored_kg.StoredKnowledgeGraph`): the same answers as :class:`GraphIndex`,
    asked of the store (:class:`~hydra_magic.store.explorer_index.ExplorerQueries`) instead of read from
    every fact in Python.

    Opening costs a few aggregates inside the store (the top-degree nodes, class and relation sizes,
    totals); a node's degree, class, neighbours, edges and facts are asked for when the explorer shows
    it, and kept for the life of the index (one per session revision, see :func:`graph_index`). Node ids
    are handed out as nodes are met, so they differ from the memory index's. On large graphs two answers
    may differ from it: ties beyond :data:`TIE_CAP` candidates at a cut are not ordered by label, and a
    hub's edges are counted in full (the memory index looks at a few thousand per node for the opening
    picture and the edges drawn).
    """

    def __init__(self, kg: StoredKnowledgeGraph, ontology: Ontology | None = None) -> None:  # noqa: D107
        # Not GraphIndex.__init__: that reads every fact, which is what this index avoids.
        from .store.explorer_index import ExplorerQueries

        self.kg, self.stored, self.ontology = kg, kg, ontology
        self.revision = getattr(kg, "revision", 0)
        self.store = ExplorerQueries(kg)
        self.entities = []
        self.ids = _StoreIds(self)
        self.labels = _StoreLabels(self)
        self._absent: set[Any] = set()
        self._degree: dict[int, int] = {}
        self._cls: dict[int, str] = {}
        self.types = {}
        self._nbrs: dict[int, list[int]] = {}
        self._names: dict[Any, str] = {}
        self.fact_count = len(kg)
        rels = [(self._pred_name(p), n) for p, n in self.store.relation_counts()]
        self.edge_count = sum(n for _, n in rels)
        #: Object-property relations with their number of links, most used first.
        self.relations = sorted(rels, key=lambda x: (-x[1], x[0]))
        self.node_count = self.store.node_count()
        sizes: Counter[str] = Counter()
        for types, n in self.store.type_sets():
            sizes[_class_name(ontology, types)] += n
        untyped = self.node_count - sum(sizes.values())
        if untyped > 0:
            sizes[""] += untyped
        self.class_sizes = sizes
        # One colour per class, in order of size then name, so the legend is stable for a given KG.
        ordered = sorted((c for c in sizes if c), key=lambda c: (-sizes[c], c))
        self.colors = {c: PALETTE[k % len(PALETTE)] for k, c in enumerate(ordered)}
        self.colors[""] = UNTYPED_COLOR

    # ------------------------------------------------------------ ids, and what the order reads
    def _pred_name(self, p: Any) -> str:
        name = self._names.get(p)
        if name is None:
            name = self._names[p] = term_name(self.ontology, p)
        return name

    def _node_id(self, e: URIRef) -> int:
        i = dict.get(self.ids, e)
        if i is None:
            i = len(self.entities)
            dict.__setitem__(self.ids, e, i)
            self.entities.append(e)
        return i

    def ids_of(self, entities: Iterable[Any]) -> dict[Any, int]:
        """The node ids of those of ``entities`` that are nodes of the graph (one the store holds and this
        index has not met yet gets the next id; those asked for together in the order asked)."""
        from .store.explorer_index import nameable

        out: dict[Any, int] = {}
        todo = []
        for e in dict.fromkeys(entities):
            if dict.__contains__(self.ids, e):
                out[e] = dict.__getitem__(self.ids, e)
            elif nameable(e) and e not in self._absent:
                todo.append(e)
        found = self.store.nodes_among(todo) if todo else set()
        for e in todo:
            if e in found:
                out[e] = self._node_id(e)
            else:
                self._absent.add(e)
        return out

    def prefetch(self, nodes: Iterable[int]) -> None:
        """Read the degree, class and label of ``nodes`` together (a few queries per 500 nodes)."""
        todo = [i for i in dict.fromkeys(nodes) if i not in self._cls]
        if not todo:
            return
        self._rank(todo)
        for e, types in self.store.types([self.entities[i] for i in todo]).items():
            i = self._node_id(e)
            self.types[i] = types
            self._cls[i] = _class_name(self.ontology, types)

    def _rank(self, nodes: list[int]) -> None:
        """Read the degree and label of ``nodes``, for the degree-then-label order."""
        todo = [i for i in dict.fromkeys(nodes) if i not in self._degree]
        for e, d in self.store.degrees([self.entities[i] for i in todo]).items():
            self._degree[self._node_id(e)] = d
        self.stored.prefetch_labels([self.entities[i] for i in nodes])

    def _label(self, i: int) -> str:
        return self.kg.label(self.entities[i])

    def _key(self, i: int) -> tuple[int, str]:
        return (-self._degree[i], self._label(i))

    def _cut(self, rows: list[tuple[URIRef, int]], n: int) -> list[tuple[URIRef, int]]:
        """The rows (highest count first) down to the ``n``-th one's count: what ranks among the first ``n``."""
        if len(rows) >= n > 0:
            least = rows[n - 1][1]
            return [r for r in rows if r[1] >= least]
        return rows

    # ------------------------------------------------------------ GraphIndex's interface
    def __len__(self) -> int:
        return self.node_count

    def degree(self, i: int) -> int:
        self._rank([i])
        return self._degree[i]

    def node(self, i: int) -> dict[str, Any]:
        self.prefetch([i])
        return {"id": i, "iri": str(self.entities[i]), "label": self._label(i), "cls": self._cls[i],
                "degree": self._degree[i]}

    def top(self, n: int) -> list[int]:
        """The ``n`` nodes of highest degree (ties by label): one aggregate over the facts graph."""
        rows = self._cut(self.store.top_degree(n + TIE_CAP), n)
        found = []
        for e, d in rows:
            i = self._node_id(e)
            self._degree[i] = d
            found.append(i)
        if len(found) < n:  # fewer linked nodes than asked for: the unlinked ones follow, by label
            for e in self.store.unlinked(TIE_CAP):
                i = self._node_id(e)
                self._degree[i] = 0
                found.append(i)
        self._rank(found)
        return heapq.nsmallest(n, found, key=self._key)

    def initial(self, n: int, scan: int = 5000) -> list[int]:
        """The opening picture, as :meth:`GraphIndex.initial`: the top-degree half of ``n``, then the nodes that
        link most of them (counted by the store)."""
        seeds = self.top(max(1, n // 2))
        want = max(0, n - len(seeds))
        if not want:
            return seeds
        rows = self._cut(self.store.shared_neighbours([self.entities[i] for i in seeds], want + TIE_CAP), want)
        shared = {self._node_id(e): c for e, c in rows}
        self._rank(list(shared))
        return seeds + heapq.nsmallest(want, shared, key=lambda j: (-shared[j], -self._degree[j], self._label(j)))

    def neighbours(self, i: int) -> list[int]:
        """Distinct neighbours of ``i``, highest degree first."""
        nb = self._nbrs.get(i)
        if nb is None:
            found = [self._node_id(e) for e in self.store.neighbours(self.entities[i])]
            self._rank(found)
            nb = self._nbrs[i] = sorted(found, key=self._key)
        return list(nb)

    def edges_between(self, i: int, shown: set[int], limit: int = 4000) -> list[dict[str, Any]]:
        """Edges from ``i`` to nodes in ``shown`` (all of them: the store finds them by index)."""
        return self.edges_for([i], shown)

    def edges_for(self, nodes: Iterable[int], shown: set[int]) -> list[dict[str, Any]]:
        """Edges from each of ``nodes`` to nodes in ``shown``, either way (two queries per 500 nodes)."""
        nodes = list(dict.fromkeys(nodes))
        if not nodes or not shown:
            return []
        ids = self.ids
        edges = self.store.edges([self.entities[i] for i in nodes], [self.entities[j] for j in sorted(shown)])
        return [{"s": dict.__getitem__(ids, s), "t": dict.__getitem__(ids, o), "p": self._pred_name(p)}
                for s, p, o in edges]

    def search(self, query: str, n: int = 20) -> list[int]:
        """Nodes whose label, name or alternative label contains ``query`` (case-insensitive), prefix matches
        first: the store finds the candidates, ranked here as :meth:`GraphIndex.search` ranks them."""
        q = query.strip().lower()
        if not q:
            return []
        q = q.replace("_", " ")
        nodes = list(self.ids_of(self.store.search(q, TIE_CAP)).values())
        self._rank(nodes)
        alts = self.store.alt_labels([self.entities[i] for i in nodes])
        hits = []
        for i in nodes:
            e, lab = self.entities[i], self._label(i)
            name = local_name(e).replace("_", " ")
            keys = [lab] if name.lower() == lab.lower() else [lab, name]
            pos = "\x00".join(keys + alts.get(e, [])).lower().find(q)
            if pos >= 0:
                hits.append((pos != 0, -self._degree[i], lab, i))
        return [h[3] for h in heapq.nsmallest(n, hits)]

    def _node_facts(self, i: int) -> list[Fact]:
        """The facts of node ``i`` (as subject, or as object of a link), every source, in a fixed order."""
        facts = self.stored.facts_touching([self.entities[i]])
        facts.sort(key=lambda f: (str(f.predicate), str(f.subject), str(f.object), f.source))
        return facts

    def facts(self, i: int, per_relation: int = FACTS_PER_RELATION, cap: int = FACTS_CAP) -> list[dict[str, Any]]:
        """The facts of node ``i`` grouped by relation and direction (see :meth:`GraphIndex.facts`)."""
        return self._groups(i, self._node_facts(i), per_relation, cap)

    def _groups(self, i: int, facts: list[Fact], per_relation: int, cap: int) -> list[dict[str, Any]]:
        e, onto = self.entities[i], self.ontology
        linked = [f.object if f.subject == e else f.subject for f in facts
                  if f.predicate != RDF.type and isinstance(f.object, URIRef)]
        ids = self.ids_of(linked)
        entries: list[_Entry] = []
        for f in facts:
            out = f.subject == e
            if f.predicate == RDF.type and out:
                entries.append(("type", "type", term_name(onto, f.object), None, f))
            elif isinstance(f.object, URIRef) and f.predicate != RDF.type and (f.object if out else f.subject) in ids:
                entries.append(("out" if out else "in", self._pred_name(f.predicate), None,
                                ids[f.object if out else f.subject], f))
            else:
                entries.append(("value", self._pred_name(f.predicate), str(f.object), None, f))

        def labels(others: list[int]) -> list[str]:
            self.stored.prefetch_labels([self.entities[j] for j in others])
            return [self._label(j) for j in others]

        return _fact_groups(entries, labels, self.stored.full_facts, per_relation, cap)

    def details(self, i: int, n: int = 30) -> dict[str, Any]:
        from .kg import ALT_LABEL

        self.prefetch([i])
        e = self.entities[i]
        facts = self._node_facts(i)
        mine = {(f.predicate, f.object) for f in facts if f.subject == e and f.predicate != RDF.type}
        lits = sorted((self._pred_name(p), str(o)) for p, o in mine if not isinstance(o, URIRef))
        return {"id": i, "label": self._label(i), "iri": str(e), "cls": self._cls[i],
                "types": sorted(term_name(self.ontology, t) for t in self.types.get(i, ())),
                "alt_labels": sorted(str(o) for p, o in mine if p == ALT_LABEL and not isinstance(o, URIRef)),
                "degree": self._degree[i], "fact_count": len(facts),
                "values": [[p, v] for p, v in lits[:n]], "more_values": max(0, len(lits) - n),
                "facts": self._groups(i, facts, FACTS_PER_RELATION, FACTS_CAP)}


def graph_index(session: Any) -> GraphIndex:
    """The explorer index of ``session``'s KG as it is now, shared by every explorer of the session.

    Kept in ``session.view_state`` and rebuilt only when the KG or the ontology changed:
    explorers left open in earlier cells then cost one rebuild per change, not one each.
    """
    kg, onto = session.kg, getattr(session, "ontology", None)
    key = (id(kg), getattr(kg, "revision", None), id(getattr(onto, "classes", None)),
           len(onto.graph) if onto is not None else 0)
    cached = getattr(session, "view_state", None)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key:
        return cached[1]
    from .store.stored_kg import StoredKnowledgeGraph

    index = StoredGraphIndex(kg, onto) if isinstance(kg, StoredKnowledgeGraph) else GraphIndex(kg, onto)
    if hasattr(session, "view_state"):
        session.view_state = (key, index)
    return index


class ExplorerModel:
    """What the explorer shows, and how it grows; pure Python (the widget syncs its fields)."""

    def __init__(self, index: GraphIndex, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP,
                 view_cap: int = VIEW_CAP) -> None:
        self.index, self.initial, self.cap, self.view_cap = index, initial, cap, view_cap
        self.notice: dict[str, str] | None = None  # the outcome of the last action (merge), shown once
        self.reset()

    def reset(self) -> None:
        self.shown: dict[int, dict[str, Any]] = {}
        self.edges: dict[tuple[int, int, str], dict[str, Any]] = {}
        self.expanded: set[int] = set()
        self._nbrs: dict[int, list[int]] = {}
        self.message = ""
        self.selected: dict[str, Any] | None = None
        self._add(self.index.initial(self.initial))

    def rebuild(self, index: GraphIndex) -> None:
        """Show ``index`` (the KG after a change), keeping what the user had on screen that still exists.

        A view the user has not touched (nothing expanded or selected) opens afresh on
        the best-connected entities; otherwise the shown, expanded and selected nodes that
        are still in the graph stay (node ids change: they are positions in the new index).
        """
        old = self.index
        kept = [old.entities[i] for i in self.shown]
        expanded = [old.entities[i] for i in self.expanded]
        selected = old.entities[self.selected["id"]] if self.selected is not None else None
        touched = bool(self.expanded or self.selected is not None)
        self.index = index
        found = index.ids_of([*kept, *expanded, *([selected] if selected is not None else [])])
        ids = [found[e] for e in kept if e in found]
        if not touched or not ids:
            self.reset()
            return
        self.shown, self.edges, self._nbrs, self.message = {}, {}, {}, ""
        self.expanded = {found[e] for e in expanded if e in found}
        self._add(ids)
        for i in self.expanded:
            self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        self.selected = index.details(found[selected]) if selected in found else None

    def neighbours(self, i: int) -> list[int]:
        nb = self._nbrs.get(i)
        if nb is None:
            nb = self._nbrs[i] = self.index.neighbours(i)
        return nb

    def _add(self, nodes: Iterable[int]) -> list[int]:
        added = [i for i in dict.fromkeys(nodes) if i not in self.shown]
        self.index.prefetch(added)
        for i in added:
            self.shown[i] = self.index.node(i)
        keys = set(self.shown)
        for e in self.index.edges_for(added, keys):
            self.edges.setdefault((e["s"], e["t"], e["p"]), e)
        if added:
            for i in self.expanded:  # "N more" counts neighbours that are not on screen
                self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        return added

    def expand(self, i: int) -> list[int]:
        """Add the next ``cap`` neighbours of ``i`` that are not shown yet (highest degree first)."""
        if not 0 <= i < len(self.index.entities):  # ids handed out so far (a store index hands them out lazily)
            raise KeyError(i)
        self._add([i])
        self.expanded.add(i)
        hidden = [j for j in self.neighbours(i) if j not in self.shown]
        room = max(0, self.view_cap - len(self.shown))
        batch = hidden[:min(self.cap, room)]
        added = self._add(batch)
        self.shown[i]["more"] = len(hidden) - len(batch)
        self.message = (f"The view holds {len(self.shown)} nodes, the most it shows; reset it to explore elsewhere."
                        if len(batch) < min(self.cap, len(hidden)) else "")
        self.selected = self.index.details(i)
        return added

    def select(self, i: int) -> None:
        """Select ``i`` (shown on screen if it was not) without expanding it."""
        if not 0 <= i < len(self.index.entities):  # ids handed out so far (a store index hands them out lazily)
            raise KeyError(i)
        self._add([i])
        self.selected = self.index.details(i)

    def focus(self, i: int) -> None:
        """Show ``i`` (from a search result), select it and expand it."""
        self.expand(i)

    def state(self) -> dict[str, Any]:
        idx = self.index
        classes = Counter(n["cls"] for n in self.shown.values())
        on_screen = Counter(e["p"] for e in self.edges.values())
        notice, self.notice = self.notice, None
        return {
            "nodes": list(self.shown.values()),
            "edges": list(self.edges.values()),
            "legend": [{"cls": c or "(untyped)", "key": c, "color": idx.colors.get(c, UNTYPED_COLOR),
                        "shown": classes.get(c, 0), "total": idx.class_sizes.get(c, 0)}
                       for c in sorted(idx.class_sizes, key=lambda c: -idx.class_sizes[c])][:24],
            "relations": [{"name": name, "total": n, "shown": on_screen.get(name, 0)}
                          for name, n in idx.relations[:40]],
            "colors": idx.colors,
            "totals": {"nodes": len(idx), "edges": idx.edge_count, "facts": idx.fact_count},
            "revision": idx.revision,
            "cap": self.cap,
            "message": self.message,
            "notice": notice,
            "selected": self.selected,
        }
