"""What the checks need from the ontology, precomputed as sets once per ontology version.

Everything the KG checks look up per fact (allowed subject and object classes
with subclass semantics, datatypes, property characteristics, disjoint class
pairs) is turned into Python sets here, so that checking a fact is a few set
operations and never a SPARQL query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, XSD, URIRef
from rdflib.term import Node

from ..iri import local_name
from ..ontology import Ontology, OntProperty

__all__ = ["OntologyContext", "ANNOTATION_PREDICATES", "ontology_signature"]

#: Predicates a KG may use freely (labels, comments, identity) without being ontology properties.
ANNOTATION_PREDICATES: frozenset[URIRef] = frozenset({
    RDFS.label, RDFS.comment, RDFS.seeAlso, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, OWL.differentFrom,
})
#: Types an entity may carry besides ontology classes.
GENERIC_TYPES: frozenset[URIRef] = frozenset({OWL.Thing, OWL.NamedIndividual, RDFS.Resource})

_STRINGS = frozenset({XSD.string, RDF.langString})


def ontology_signature(ontology: Ontology) -> frozenset[tuple[Node, Node, Node]]:
    """A value that changes whenever the ontology does (its triples; ontologies are small)."""
    return frozenset(ontology.triples())


@dataclass
class OntologyContext:
    """Set views of one ontology version (see module docstring)."""

    ontology: Ontology
    properties: dict[URIRef, OntProperty] = field(default_factory=dict)
    classes: frozenset[URIRef] = frozenset()
    #: property -> classes whose instances may be its subject (subclasses of a domain class), when it has a domain.
    domain_ok: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    range_ok: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    datatype: dict[URIRef, URIRef] = field(default_factory=dict)
    object_props: frozenset[URIRef] = frozenset()
    data_props: frozenset[URIRef] = frozenset()
    functional: frozenset[URIRef] = frozenset()
    inverse_functional: frozenset[URIRef] = frozenset()
    asymmetric: frozenset[URIRef] = frozenset()
    irreflexive: frozenset[URIRef] = frozenset()
    symmetric: frozenset[URIRef] = frozenset()
    transitive: frozenset[URIRef] = frozenset()
    #: Pairs of disjoint classes (each pair once, sorted).
    disjoint: tuple[tuple[URIRef, URIRef], ...] = ()
    #: class -> itself and all its superclasses.
    up: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    #: Predicates whose objects are indexed by object (range, inverse-functional checks).
    reverse: frozenset[URIRef] = frozenset()

    @classmethod
    def of(cls, ontology: Ontology) -> "OntologyContext":
        onto = ontology
        classes = frozenset(onto.classes)
        up = {c: frozenset((c, *onto.ancestors(c))) for c in classes}

        def below(targets: tuple[URIRef, ...]) -> frozenset[URIRef]:
            t = set(targets)
            return frozenset(c for c in classes if up[c] & t)

        props = dict(onto.properties)
        ctx = cls(onto, props, classes, up=up)
        ctx.domain_ok = {p.iri: below(p.domain) for p in props.values() if p.domain}
        ctx.range_ok = {p.iri: below(p.range) for p in props.values() if p.kind == "object" and p.range}
        ctx.datatype = {p.iri: p.datatype or XSD.string for p in props.values() if p.kind == "data"}
        ctx.object_props = frozenset(p.iri for p in props.values() if p.kind == "object")
        ctx.data_props = frozenset(p.iri for p in props.values() if p.kind == "data")

        def having(ch: str) -> frozenset[URIRef]:
            return frozenset(p.iri for p in props.values() if ch in p.characteristics)

        ctx.functional = having("functional")
        ctx.inverse_functional = having("inverseFunctional")
        ctx.asymmetric = having("asymmetric")
        ctx.irreflexive = having("irreflexive")
        # Symmetry and transitivity only make sense between entities.
        ctx.symmetric = having("symmetric") & ctx.object_props
        ctx.transitive = having("transitive") & ctx.object_props
        pairs: set[tuple[URIRef, URIRef]] = set()
        g = onto.graph
        for a, b in g.subject_objects(OWL.disjointWith):
            if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
                pairs.add(tuple(sorted((a, b))))  # type: ignore[arg-type]
        for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
            for lst in g.objects(group, OWL.members):
                members = sorted(x for x in g.items(lst) if isinstance(x, URIRef))
                pairs.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
        ctx.disjoint = tuple(sorted(pairs))
        ctx.reverse = ctx.object_props | ctx.inverse_functional
        return ctx

    # ---------------------------------------------------------------- naming
    def name(self, iri: Node) -> str:
        """Short name of an ontology term (class or property) for messages."""
        if iri in self.ontology.classes:
            return self.ontology.classes[iri].name  # type: ignore[index]
        if iri in self.properties:
            return self.properties[iri].name  # type: ignore[index]
        return local_name(str(iri))

    def names(self, iris: object) -> str:
        return " or ".join(sorted(self.name(i) for i in iris))  # type: ignore[attr-defined]

    def accepts_string(self, dt: URIRef) -> bool:
        return dt in _STRINGS
