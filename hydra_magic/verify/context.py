"""What the checks need from the ontology, precomputed as sets of term ids once per ontology version.

Everything the KG checks look up per fact (allowed subject and object classes
with subclass semantics, datatypes, property characteristics, disjoint class
pairs) is turned into sets of plain-string ids here (see :mod:`.terms`), so
that checking a fact is a few C-level set operations and never a SPARQL query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, XSD, URIRef

from ..iri import local_name
from ..ontology import Ontology, OntProperty

__all__ = ["ANNOTATION_PREDICATES", "GENERIC_TYPES", "TYPE", "XSD_STRING", "OntologyContext", "ontology_signature"]

#: Predicates a KG may use freely (labels, comments, identity) without being ontology properties.
ANNOTATION_PREDICATES: frozenset[str] = frozenset(str(x) for x in (
    RDFS.label, RDFS.comment, RDFS.seeAlso, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, OWL.differentFrom))
#: Types an entity may carry besides ontology classes.
GENERIC_TYPES: frozenset[str] = frozenset(str(x) for x in (OWL.Thing, OWL.NamedIndividual, RDFS.Resource))
#: The typing predicate of facts. A candidate is a typing when
#: :func:`hydra_magic.contracts.triple_rules.is_typing_predicate` says so (``isA``, ``rdf:type``, ``a``, or
#: ``type`` when the ontology has no property of that name); every such candidate becomes an
#: ``rdf:type`` fact, and a property the ontology calls ``type`` keeps its own IRI, so on facts
#: the one notion is this IRI.
TYPE = str(RDF.type)
XSD_STRING = str(XSD.string)


class OntologySignature:
    """Tells whether the ontology changed since a run, in O(1).

    :meth:`Ontology.refresh` (which every change through the API ends with)
    builds new class and property tables, and any other edit of the graph
    changes its size; the signature holds the tables themselves (compared by
    identity, so their ids cannot be reused) and the size.
    """

    __slots__ = ("classes", "properties", "size")

    def __init__(self, ontology: Ontology) -> None:
        self.classes, self.properties, self.size = ontology.classes, ontology.properties, len(ontology.graph)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, OntologySignature) and self.classes is other.classes
                and self.properties is other.properties and self.size == other.size)

    __hash__ = None  # type: ignore[assignment]


def ontology_signature(ontology: Ontology) -> OntologySignature:
    """A value that differs whenever the ontology changed (see :class:`OntologySignature`)."""
    return OntologySignature(ontology)


@dataclass
class OntologyContext:
    """Set views of one ontology version, keyed by term ids (see module docstring)."""

    ontology: Ontology
    properties: dict[str, OntProperty] = field(default_factory=dict)
    classes: frozenset[str] = frozenset()
    #: property -> classes whose instances may be its subject (subclasses of a domain class), when it has a domain.
    domain_ok: dict[str, frozenset[str]] = field(default_factory=dict)
    range_ok: dict[str, frozenset[str]] = field(default_factory=dict)
    #: data property -> datatype IRI id
    datatype: dict[str, str] = field(default_factory=dict)
    #: the same datatypes as rdflib terms (what :func:`~hydra_magic.contracts.check_literal` takes)
    datatype_ref: dict[str, URIRef] = field(default_factory=dict)
    object_props: frozenset[str] = frozenset()
    data_props: frozenset[str] = frozenset()
    functional: frozenset[str] = frozenset()
    inverse_functional: frozenset[str] = frozenset()
    asymmetric: frozenset[str] = frozenset()
    irreflexive: frozenset[str] = frozenset()
    symmetric: frozenset[str] = frozenset()
    transitive: frozenset[str] = frozenset()
    #: Pairs of disjoint classes (each pair once, sorted).
    disjoint: tuple[tuple[str, str], ...] = ()
    #: class -> itself and all its superclasses.
    up: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Predicates whose objects are indexed by object (range, inverse-functional checks).
    reverse: frozenset[str] = frozenset()
    #: How a domain or range check that holds only through types inferred from relations is reported:
    #: ``"default"`` as ``type_inferred`` (a warning), ``"strict"`` as ``untyped_entity`` (an error).
    #: The session's setting (``SessionConfig.types``), not the ontology's, but read by the same checks.
    types_mode: str = "default"

    @classmethod
    def of(cls, ontology: Ontology, types_mode: str = "default") -> OntologyContext:
        onto = ontology
        classes = frozenset(str(c) for c in onto.classes)
        up = {str(c): frozenset((str(c), *(str(a) for a in onto.ancestors(c)))) for c in onto.classes}

        def below(targets: tuple[URIRef, ...]) -> frozenset[str]:
            t = {str(x) for x in targets}
            return frozenset(c for c in classes if up[c] & t)

        props = {str(k): v for k, v in onto.properties.items()}
        ctx = cls(onto, props, classes, up=up, types_mode=types_mode)
        ctx.domain_ok = {k: below(p.domain) for k, p in props.items() if p.domain}
        ctx.range_ok = {k: below(p.range) for k, p in props.items() if p.kind == "object" and p.range}
        ctx.datatype_ref = {k: p.datatype or XSD.string for k, p in props.items() if p.kind == "data"}
        ctx.datatype = {k: str(v) for k, v in ctx.datatype_ref.items()}
        ctx.object_props = frozenset(k for k, p in props.items() if p.kind == "object")
        ctx.data_props = frozenset(k for k, p in props.items() if p.kind == "data")

        def having(ch: str) -> frozenset[str]:
            return frozenset(k for k, p in props.items() if ch in p.characteristics)

        ctx.functional = having("functional")
        ctx.inverse_functional = having("inverseFunctional")
        ctx.asymmetric = having("asymmetric")
        ctx.irreflexive = having("irreflexive")
        # Symmetry and transitivity only make sense between entities.
        ctx.symmetric = having("symmetric") & ctx.object_props
        ctx.transitive = having("transitive") & ctx.object_props
        pairs: set[tuple[str, str]] = set()
        g = onto.graph
        for a, b in g.subject_objects(OWL.disjointWith):
            if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
                pairs.add(tuple(sorted((str(a), str(b)))))  # type: ignore[arg-type]
        for group in g.subjects(RDF.type, OWL.AllDisjointClasses):
            for lst in g.objects(group, OWL.members):
                members = sorted(str(x) for x in g.items(lst) if isinstance(x, URIRef))
                pairs.update((x, y) for i, x in enumerate(members) for y in members[i + 1:])
        ctx.disjoint = tuple(sorted(pairs))
        # Objects of rdf:type too: class -> instances, for the set-wise domain and range filters.
        ctx.reverse = ctx.object_props | ctx.inverse_functional | {TYPE}
        return ctx

    # ---------------------------------------------------------------- naming
    def name(self, i: str) -> str:
        """Short name of an ontology term (class or property id) for messages."""
        c = self.ontology.classes.get(URIRef(i))
        if c is not None:
            return c.name
        p = self.properties.get(i)
        if p is not None:
            return p.name
        return local_name(i)

    def names(self, iris: object) -> str:
        return " or ".join(sorted(self.name(str(i)) for i in iris))  # type: ignore[attr-defined]
