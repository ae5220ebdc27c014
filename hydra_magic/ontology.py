"""OWL ontology model over an rdflib graph held in Oxigraph.

The RDF graph is the truth. A small Python index (classes, properties, label
lookups, transitive superclass closure) is rebuilt from it after every change so
that the per-triple contracts never run a SPARQL query on the hot path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Literal as TLiteral

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .iri import DEFAULT_BASE, camel_case, local_name, mint, normalise_label, pascal_case

__all__ = [
    "HYDRA",
    "DATATYPES",
    "CHARACTERISTICS",
    "OntClass",
    "OntProperty",
    "Ontology",
    "new_graph",
    "union_members",
    "union_node_id",
]

#: hydra_magic's own annotation vocabulary (trigger phrases, provenance keys).
HYDRA = Namespace("https://hydra-magic.dev/ns#")

#: Data-property ranges allowed by the ontology contracts (HyDRA's list).
DATATYPES: dict[str, URIRef] = {
    "string": XSD.string,
    "integer": XSD.integer,
    "float": XSD.float,
    "boolean": XSD.boolean,
    "dateTime": XSD.dateTime,
    "date": XSD.date,
    "time": XSD.time,
}

#: The seven OWL property characteristics, by their short names.
CHARACTERISTICS: dict[str, URIRef] = {
    "functional": OWL.FunctionalProperty,
    "inverseFunctional": OWL.InverseFunctionalProperty,
    "transitive": OWL.TransitiveProperty,
    "symmetric": OWL.SymmetricProperty,
    "asymmetric": OWL.AsymmetricProperty,
    "reflexive": OWL.ReflexiveProperty,
    "irreflexive": OWL.IrreflexiveProperty,
}
_CHARACTERISTIC_NAMES = {v: k for k, v in CHARACTERISTICS.items()}

PropertyKind = TLiteral["object", "data"]


def new_graph() -> Graph:
    """An empty graph in the Oxigraph store with only the core prefixes bound."""
    g = Graph(store="Oxigraph", bind_namespaces="core")
    g.bind("owl", OWL)
    g.bind("skos", SKOS)
    g.bind("hydra", HYDRA)
    return g


@dataclass(frozen=True)
class OntClass:
    iri: URIRef
    name: str
    label: str
    alt_labels: tuple[str, ...] = ()
    parent: URIRef | None = None
    comment: str = ""


@dataclass(frozen=True)
class OntProperty:
    iri: URIRef
    name: str
    label: str
    kind: PropertyKind
    domain: tuple[URIRef, ...] = ()
    range: tuple[URIRef, ...] = ()
    alt_labels: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    characteristics: frozenset[str] = field(default_factory=frozenset)
    comment: str = ""

    @property
    def datatype(self) -> URIRef | None:
        """The XSD range of a data property (``None`` for object properties)."""
        if self.kind != "data":
            return None
        return self.range[0] if self.range else XSD.string


class Ontology:
    """Classes, subclass links, object and data properties of one session.

    Parameters
    ----------
    base
        Namespace under which new terms are minted (``<base>ontology#Name``).
    graph
        An existing graph to wrap; a new Oxigraph-backed one by default.
    """

    def __init__(self, base: str = DEFAULT_BASE, graph: Graph | None = None) -> None:
        self.base = base
        self.ns = Namespace(base + "ontology#")
        self.graph = graph if graph is not None else new_graph()
        self.graph.bind("onto", self.ns)
        self._classes: dict[URIRef, OntClass] = {}
        self._properties: dict[URIRef, OntProperty] = {}
        self._class_keys: dict[str, URIRef] = {}
        self._property_keys: dict[str, URIRef] = {}
        self._ancestors: dict[URIRef, tuple[URIRef, ...]] = {}
        #: What engines learned about reading text against this ontology (e.g. the offline engine's
        #: relation model): kept beside the graph, never in it, so exports carry only the ontology.
        self.engine_state: dict[str, Any] = {}
        self.refresh()

    # ------------------------------------------------------------------ index
    def refresh(self) -> None:
        """Rebuild the lookup index from the graph (call after editing ``graph`` directly)."""
        g = self.graph
        classes: dict[URIRef, OntClass] = {}
        for c in set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, RDFS.Class)):
            if not isinstance(c, URIRef):
                continue
            parents = [p for p in g.objects(c, RDFS.subClassOf) if isinstance(p, URIRef) and p != OWL.Thing]
            classes[c] = OntClass(
                iri=c,
                name=local_name(c),
                label=_first_literal(g, c, RDFS.label) or local_name(c),
                alt_labels=tuple(sorted(str(x) for x in g.objects(c, SKOS.altLabel))),
                parent=sorted(parents)[0] if parents else None,
                comment=_first_literal(g, c, RDFS.comment),
            )
        props: dict[URIRef, OntProperty] = {}
        for kind, rdf_type in (("object", OWL.ObjectProperty), ("data", OWL.DatatypeProperty)):
            for p in g.subjects(RDF.type, rdf_type):
                if not isinstance(p, URIRef) or p in props:
                    continue
                props[p] = OntProperty(
                    iri=p,
                    name=local_name(p),
                    label=_first_literal(g, p, RDFS.label) or local_name(p),
                    kind=kind,  # type: ignore[arg-type]
                    # Repeated rdfs:domain/rdfs:range read as a union on purpose (see _class_list).
                    domain=tuple(sorted(set(_class_list(g, g.objects(p, RDFS.domain))))),
                    range=tuple(sorted(set(_class_list(g, g.objects(p, RDFS.range))))),
                    alt_labels=tuple(sorted(str(x) for x in g.objects(p, SKOS.altLabel))),
                    triggers=tuple(sorted(str(x) for x in g.objects(p, HYDRA.trigger))),
                    characteristics=frozenset(
                        _CHARACTERISTIC_NAMES[t] for t in g.objects(p, RDF.type)
                        if isinstance(t, URIRef) and t in _CHARACTERISTIC_NAMES
                    ),
                    comment=_first_literal(g, p, RDFS.comment),
                )
        self._classes, self._properties = classes, props
        self._class_keys = _key_index(classes.values())
        self._property_keys = _key_index(props.values())
        self._ancestors = {c: self._compute_ancestors(c) for c in classes}

    def _compute_ancestors(self, c: URIRef) -> tuple[URIRef, ...]:
        # Full transitive closure (HyDRA looks one level up only); cycle-safe.
        seen: list[URIRef] = []
        frontier = [c]
        while frontier:
            cur = frontier.pop()
            for p in self.graph.objects(cur, RDFS.subClassOf):
                if isinstance(p, URIRef) and p != OWL.Thing and p not in seen and p != c:
                    seen.append(p)
                    frontier.append(p)
        return tuple(seen)

    # ---------------------------------------------------------------- lookups
    @property
    def classes(self) -> dict[URIRef, OntClass]:
        return self._classes

    @property
    def properties(self) -> dict[URIRef, OntProperty]:
        return self._properties

    def object_properties(self) -> list[OntProperty]:
        return [p for p in self._properties.values() if p.kind == "object"]

    def data_properties(self) -> list[OntProperty]:
        return [p for p in self._properties.values() if p.kind == "data"]

    def get_class(self, key: str | URIRef) -> OntClass | None:
        """Find a class by IRI, local name, label or alternative label (case-insensitive)."""
        iri = self._class_keys.get(str(key)) if isinstance(key, URIRef) else None
        iri = iri or self._class_keys.get(normalise_label(str(key))) or self._class_keys.get(str(key))
        return self._classes.get(iri) if iri is not None else None

    def get_property(self, key: str | URIRef) -> OntProperty | None:
        """Find a property by IRI, local name, label or alternative label (case-insensitive)."""
        iri = self._property_keys.get(str(key)) if isinstance(key, URIRef) else None
        iri = iri or self._property_keys.get(normalise_label(str(key))) or self._property_keys.get(str(key))
        return self._properties.get(iri) if iri is not None else None

    def ancestors(self, c: URIRef) -> tuple[URIRef, ...]:
        """All superclasses of ``c``, nearest first, transitively (``c`` excluded)."""
        return self._ancestors.get(c, ())

    def is_subclass(self, c: URIRef, of: URIRef) -> bool:
        """``c`` equals ``of`` or is a (transitive) subclass of it."""
        return c == of or of in self._ancestors.get(c, ())

    def subclasses(self, c: URIRef) -> list[URIRef]:
        """Direct subclasses of ``c``."""
        return sorted(k for k, v in self._classes.items() if v.parent == c)

    def roots(self) -> list[URIRef]:
        """Top-level classes (no superclass inside the ontology)."""
        return sorted(k for k, v in self._classes.items() if v.parent is None)

    @property
    def root(self) -> URIRef | None:
        """The single top-level class, or ``None`` when there are zero or several."""
        r = self.roots()
        return r[0] if len(r) == 1 else None

    def suggest(self, key: str, kind: TLiteral["class", "property"] = "property", n: int = 3) -> list[str]:
        """Closest known names, for "did you mean …?" messages."""
        import difflib

        pool = [c.name for c in self._classes.values()] if kind == "class" else [
            p.name for p in self._properties.values()]
        labels = {normalise_label(x): x for x in pool}
        hits = difflib.get_close_matches(normalise_label(key), list(labels), n=n, cutoff=0.5)
        return [labels[h] for h in hits]

    def __len__(self) -> int:
        return len(self._classes) + len(self._properties)

    def __iter__(self) -> Iterator[OntClass | OntProperty]:
        yield from self._classes.values()
        yield from self._properties.values()

    # -------------------------------------------------------------- mutation
    def class_iri(self, name: str) -> URIRef:
        return mint(str(self.ns), pascal_case(name) or name)

    def property_iri(self, name: str) -> URIRef:
        return mint(str(self.ns), camel_case(name) or name)

    def add_class(self, name: str, parent: URIRef | None = None, label: str | None = None,
                  alt_labels: Iterable[str] = (), comment: str = "", *, iri: URIRef | None = None,
                  refresh: bool = True) -> URIRef:
        """Add a class without validation (use :mod:`hydra_magic.contracts` first)."""
        c = iri or mint(str(self.ns), name)
        g = self.graph
        g.add((c, RDF.type, OWL.Class))
        g.add((c, RDFS.label, Literal(label or _words_label(name))))
        for a in alt_labels:
            g.add((c, SKOS.altLabel, Literal(a)))
        if parent is not None:
            g.add((c, RDFS.subClassOf, parent))
        if comment:
            g.add((c, RDFS.comment, Literal(comment)))
        if refresh:
            self.refresh()
        return c

    def add_property(self, name: str, kind: PropertyKind, domain: Iterable[URIRef] = (),
                     range: Iterable[URIRef] = (), label: str | None = None,
                     alt_labels: Iterable[str] = (), characteristics: Iterable[str] = (),
                     comment: str = "", *, iri: URIRef | None = None, refresh: bool = True) -> URIRef:
        """Add an object or data property without validation.

        Several ``domain`` classes are written as ONE ``rdfs:domain`` whose object is
        an anonymous ``owl:unionOf`` class (several ranges likewise; datatypes as an
        ``rdfs:Datatype`` union), because repeated ``rdfs:domain`` axioms mean the
        intersection in OWL. The blank nodes are named from the property, the role
        and the members, so rewriting the same property gives the same triples.
        Called again for an existing property, the new classes are added to the
        ones it has (as a union).
        """
        p = iri or mint(str(self.ns), name)
        g = self.graph
        g.add((p, RDF.type, OWL.ObjectProperty if kind == "object" else OWL.DatatypeProperty))
        g.add((p, RDFS.label, Literal(label or _words_label(name))))
        _write_union(g, p, RDFS.domain, domain, OWL.Class)
        _write_union(g, p, RDFS.range, range, OWL.Class if kind == "object" else RDFS.Datatype)
        for a in alt_labels:
            g.add((p, SKOS.altLabel, Literal(a)))
        for ch in characteristics:
            g.add((p, RDF.type, CHARACTERISTICS[ch]))
        if comment:
            g.add((p, RDFS.comment, Literal(comment)))
        if refresh:
            self.refresh()
        return p

    def add_triggers(self, prop: URIRef, phrases: Iterable[str], *, refresh: bool = True) -> None:
        """Store learned trigger phrases as ``hydra:trigger`` annotations a user can read and edit."""
        for ph in phrases:
            self.graph.add((prop, HYDRA.trigger, Literal(ph)))
        if refresh:
            self.refresh()

    # ------------------------------------------------------------- snapshots
    def triples(self) -> set[tuple[Node, Node, Node]]:
        return set(self.graph.triples((None, None, None)))

    def replace_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Replace the whole graph content (used by undo and restore)."""
        self.graph.remove((None, None, None))
        for t in triples:
            self.graph.add(t)
        self.refresh()

    def to_turtle(self) -> str:
        """The ontology as Turtle (plain strings without Oxigraph's explicit ``^^xsd:string``)."""
        out = Graph()
        for prefix, ns in self.graph.namespaces():
            out.bind(prefix, ns)
        for s, p, o in self.graph:
            out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
        return out.serialize(format="turtle")


def _key_index(terms: Iterable[OntClass | OntProperty]) -> dict[str, URIRef]:
    """Lookup keys -> IRI. IRIs, then names, then labels, then alternative labels win, in
    that order, so an alternative label never hides another term's name."""
    ordered = sorted(terms, key=lambda t: str(t.iri))
    index: dict[str, URIRef] = {str(t.iri): t.iri for t in ordered}
    for tier in (lambda t: (t.name,), lambda t: (t.label,), lambda t: t.alt_labels):
        for t in ordered:
            for key in tier(t):
                index.setdefault(normalise_label(key), t.iri)
    return index


def _first_literal(g: Graph, s: Node, p: URIRef) -> str:
    vals = sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal))
    # Prefer an English or untagged label when several exist.
    tagged = [str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language in (None, "en")]
    return sorted(tagged)[0] if tagged else (vals[0] if vals else "")


def _class_list(g: Graph, nodes: Iterable[Node]) -> Iterator[URIRef]:
    """Named classes, expanding ``owl:unionOf`` lists used as domain or range.

    Deliberate reading: SEVERAL ``rdfs:domain`` (or ``rdfs:range``) objects are
    read as the UNION of their classes, not as their intersection as OWL
    semantics would have it. Our contracts accept a subject of any listed class,
    ontologies written elsewhere (and journals from before unions were written)
    use repeated axioms with that intent, and :meth:`Ontology.add_property` now
    writes the union explicitly, so both forms give the same ``OntProperty``.
    Anonymous expressions other than a union (restrictions, intersections) and
    anonymous union members are skipped.
    """
    for n in nodes:
        if isinstance(n, URIRef):
            yield n
        else:
            for lst in g.objects(n, OWL.unionOf):
                for item in g.items(lst):
                    if isinstance(item, URIRef):
                        yield item


def union_members(g: Graph, node: Node) -> list[URIRef] | None:
    """The named members of ``node`` read as a domain or range: ``[node]`` for an IRI,
    the members of an ``owl:unionOf`` blank node, ``None`` for any other expression."""
    if isinstance(node, URIRef):
        return [node]
    lists = list(g.objects(node, OWL.unionOf))
    if len(lists) != 1:
        return None
    items = list(g.items(lists[0]))
    if not items or not all(isinstance(i, URIRef) for i in items):
        return None
    return items  # type: ignore[return-value]


def union_node_id(prop: URIRef, role: URIRef, members: Iterable[URIRef]) -> str:
    """Blank-node id of the union written for ``prop``'s ``role`` (``rdfs:domain``/``rdfs:range``):
    a function of the three, so the same property rewritten gives the same triples
    (the session diffs triple sets and journals them as N3)."""
    key = "\x1f".join([str(prop), str(role), *sorted(str(m) for m in members)])
    return "union-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _write_union(g: Graph, prop: URIRef, role: URIRef, members: Iterable[URIRef], kind: URIRef) -> None:
    """Set ``prop role X`` where X is the one member or the union of all members
    (merged with what ``prop`` already has there, as :func:`_class_list` reads it)."""
    new = list(members)
    if not new:
        return
    existing = list(g.objects(prop, role))
    merged = set(new)
    for node in existing:
        named = union_members(g, node)
        if named is None:
            continue  # an expression we do not model stays as it is
        merged.update(named)
        g.remove((prop, role, node))
        if isinstance(node, BNode) and not any(True for _ in g.triples((None, None, node))):
            _remove_union(g, node)
    ordered = sorted(merged, key=str)
    if len(ordered) == 1:
        g.add((prop, role, ordered[0]))
        return
    nid = union_node_id(prop, role, ordered)
    u = BNode(nid)
    cells = [BNode(f"{nid}-{i}") for i in range(1, len(ordered) + 1)]
    g.add((prop, role, u))
    g.add((u, RDF.type, kind))
    g.add((u, OWL.unionOf, cells[0]))
    for i, (cell, m) in enumerate(zip(cells, ordered)):
        g.add((cell, RDF.first, m))
        g.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))


def _remove_union(g: Graph, node: BNode) -> None:
    """Remove an unreferenced union blank node and its list cells."""
    lists = list(g.objects(node, OWL.unionOf))
    g.remove((node, None, None))
    for cell in lists:
        seen: set[Node] = set()
        while isinstance(cell, BNode) and cell not in seen and not any(True for _ in g.triples((None, None, cell))):
            seen.add(cell)
            nxt = g.value(cell, RDF.rest)
            g.remove((cell, None, None))
            if nxt is None:
                break
            cell = nxt


def _words_label(name: str) -> str:
    return normalise_label(name) or name
