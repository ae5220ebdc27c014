"""The graph explorer's data: an index of the KG and what the explorer shows of it.

:class:`GraphIndex` holds the KG's adjacency once per change of the session;
:class:`ExplorerModel` answers the explorer's requests (expand, more, select,
search, reset) from it, capped, and produces the plain state the widget and the
static SVG (:func:`hydra_magic.html.graph_html`) draw. Pure Python: no widget here.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import RDF, URIRef

from .iri import local_name
from .ontology import Ontology
from .state import term_name

if TYPE_CHECKING:  # pragma: no cover
    from .kg import Fact, KnowledgeGraph

__all__ = [
    "EXPAND_CAP",
    "FACTS_CAP",
    "FACTS_PER_RELATION",
    "INITIAL_CAP",
    "SENTENCE_CAP",
    "VIEW_CAP",
    "ExplorerModel",
    "GraphIndex",
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
        types = self.types.get(i)
        if not types:
            return ""
        onto = self.ontology
        if onto is not None and len(types) > 1:  # the most specific type names the node
            return term_name(onto, max(types, key=lambda t: (len(onto.ancestors(t)), str(t))))
        return term_name(onto, min(types, key=str))

    def __len__(self) -> int:
        return len(self.entities)

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
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for f in self.node_facts[i]:
            out = ids.get(f.subject) == i
            other: int | None = None
            if f.predicate == RDF.type and out:
                rel, kind, text = "type", "type", term_name(onto, f.object)
            elif isinstance(f.object, URIRef) and f.object in ids:
                rel, kind = term_name(onto, f.predicate), ("out" if out else "in")
                other = ids[f.object] if out else ids[f.subject]
                text = self.labels[other]
            else:
                rel, kind, text = term_name(onto, f.predicate), "value", str(f.object)
            g = groups.setdefault((kind, rel), {"rel": rel, "dir": kind, "count": 0, "facts": []})
            g["count"] += 1
            if len(g["facts"]) < per_relation:
                ev = (self._full(f) if self._full is not None else f).evidence
                sentence = " ".join(ev.sentence.split())
                g["facts"].append({"text": text, "other": other,
                                   "sentence": sentence if len(sentence) <= SENTENCE_CAP
                                   else sentence[:SENTENCE_CAP - 1] + "…",
                                   "source": ev.source, "flags": list(ev.flags), "basis": ev.basis,
                                   "user": ev.decision == "user"})
        order = {"type": 0, "out": 1, "value": 2, "in": 3}
        ranked = sorted(groups.values(), key=lambda g: (order[g["dir"]], g["rel"].lower()))
        budget = cap
        for g in ranked:
            g["facts"] = g["facts"][:max(0, budget)]
            budget -= len(g["facts"])
            g["more"] = g["count"] - len(g["facts"])
        return ranked

    def details(self, i: int, n: int = 30) -> dict[str, Any]:
        lits = self.literals.get(i, [])
        return {"id": i, "label": self.labels[i], "iri": str(self.entities[i]), "cls": self.node_class[i],
                "types": sorted(term_name(self.ontology, t) for t in self.types.get(i, ())),
                "alt_labels": list(self.alt_labels.get(i, [])),
                "degree": len(self.adj[i]), "fact_count": len(self.node_facts[i]),
                "values": [[self.pred_names[p], v] for p, v in lits[:n]], "more_values": max(0, len(lits) - n),
                "facts": self.facts(i)}


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
    index = GraphIndex(kg, onto)
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
        ids = [index.ids[e] for e in kept if e in index.ids]
        if not touched or not ids:
            self.reset()
            return
        self.shown, self.edges, self._nbrs, self.message = {}, {}, {}, ""
        self.expanded = {index.ids[e] for e in expanded if e in index.ids}
        self._add(ids)
        for i in self.expanded:
            self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        self.selected = index.details(index.ids[selected]) if selected in index.ids else None

    def neighbours(self, i: int) -> list[int]:
        nb = self._nbrs.get(i)
        if nb is None:
            nb = self._nbrs[i] = self.index.neighbours(i)
        return nb

    def _add(self, nodes: Iterable[int]) -> list[int]:
        added = []
        for i in nodes:
            if i in self.shown:
                continue
            self.shown[i] = self.index.node(i)
            added.append(i)
        keys = set(self.shown)
        for i in added:
            for e in self.index.edges_between(i, keys):
                self.edges.setdefault((e["s"], e["t"], e["p"]), e)
        if added:
            for i in self.expanded:  # "N more" counts neighbours that are not on screen
                self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        return added

    def expand(self, i: int) -> list[int]:
        """Add the next ``cap`` neighbours of ``i`` that are not shown yet (highest degree first)."""
        if not 0 <= i < len(self.index):
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
        if not 0 <= i < len(self.index):
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
