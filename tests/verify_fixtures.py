"""A small film ontology and helpers shared by the tests of hydra_magic.verify."""

from __future__ import annotations

from rdflib import OWL, RDF, XSD, Literal, URIRef
from rdflib.term import Node

from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig

EV = Evidence("test-source", sentence="A sentence from the test source.")


def film_session(config: SessionConfig | None = None, name: str = "verify-test") -> Session:
    """Thing ⊒ Person ⊒ Director, Thing ⊒ Film, Thing ⊒ Place; Film and Person disjoint.

    Properties: directedBy (Film → Person, functional), releaseYear (Film → integer),
    birthYear/deathYear (Person → integer), age (Person → integer), knows (Person → Person,
    symmetric, irreflexive), partOf (Place → Place, transitive, asymmetric), isbn (Film →
    string, inverse-functional), spouse (Person → Person, asymmetric).
    """
    s = Session(name, config or SessionConfig(journal_dir=None), restore=False)
    o = s.ontology
    thing = o.add_class("Thing", refresh=False)
    person = o.add_class("Person", parent=thing, refresh=False)
    o.add_class("Director", parent=person, refresh=False)
    film = o.add_class("Film", parent=thing, refresh=False)
    place = o.add_class("Place", parent=thing, refresh=False)
    o.graph.add((film, OWL.disjointWith, person))
    o.add_property("directedBy", "object", [film], [person], label="directed by", characteristics=["functional"],
                   refresh=False)
    o.add_property("releaseYear", "data", [film], [XSD.integer], label="release year", refresh=False)
    o.add_property("birthYear", "data", [person], [XSD.integer], label="birth year", refresh=False)
    o.add_property("deathYear", "data", [person], [XSD.integer], label="death year", refresh=False)
    o.add_property("age", "data", [person], [XSD.integer], refresh=False)
    o.add_property("knows", "object", [person], [person], characteristics=["symmetric", "irreflexive"],
                   refresh=False)
    o.add_property("partOf", "object", [place], [place], label="part of",
                   characteristics=["transitive", "asymmetric"], refresh=False)
    o.add_property("isbn", "data", [film], [XSD.string], characteristics=["inverseFunctional"], refresh=False)
    o.refresh()
    return s


def term(s: Session, x: str | Node) -> Node:
    """``"alien"`` -> entity IRI, ``":Film"``/``":directedBy"`` -> ontology term, literals and IRIs as given."""
    if isinstance(x, Node):  # Literal and URIRef are str subclasses: check them first
        return x
    if x == "a":
        return RDF.type
    if x.startswith(":"):
        iri = s.ontology.ns[x[1:]]
        return iri
    return s.kg.entity_iri(x)


def fact(s: Session, subj: str, pred: str, obj: str | Node, source: str = "test-source") -> Fact:
    ev = EV if source == "test-source" else Evidence(source, sentence=f"sentence of {source}")
    return Fact(term(s, subj), term(s, pred), term(s, obj), ev)  # type: ignore[arg-type]


def add(s: Session, *triples: tuple[str, str, str | Node]) -> list[Fact]:
    facts = [fact(s, *t) for t in triples]
    s.kg.add(facts)
    return facts


def lit(value: str, dt: URIRef | None = None) -> Literal:
    return Literal(value, datatype=dt)


def typed_base(s: Session) -> None:
    add(s, ("alien", "a", ":Film"), ("ridley_scott", "a", ":Director"), ("sigourney", "a", ":Person"),
        ("alien", ":directedBy", "ridley_scott"), ("alien", ":releaseYear", lit("1979", XSD.integer)),
        ("europe", "a", ":Place"), ("france", "a", ":Place"), ("paris", "a", ":Place"),
        ("paris", ":partOf", "france"), ("france", ":partOf", "europe"))
