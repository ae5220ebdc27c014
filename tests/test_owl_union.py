"""Several domains (ranges) of a property are written as ONE owl:unionOf class, not as
repeated rdfs:domain axioms (which OWL reads as the intersection)."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Namespace

from hydra_magic.io import export_session, graph_to_proposal, parse_rdf
from hydra_magic.ontology import Ontology
from hydra_magic.session import Session, SessionConfig

EX = Namespace("http://example.org/zoo#")


def build(base: str = "http://example.org/hydra/") -> Ontology:
    o = Ontology(base)
    ns = o.ns
    animal = o.add_class("Animal", iri=ns.Animal)
    for name in ("Insect", "Predator", "SpeciesX", "Plant", "Fungus"):
        o.add_class(name, parent=animal, iri=ns[name])
    # deliberately not in sorted order: the writer sorts
    o.add_property("eats", "object", [ns.SpeciesX, ns.Insect, ns.Predator], [ns.Plant, ns.Fungus], iri=ns.eats)
    o.add_property("name", "data", [ns.Animal], [XSD.string], iri=ns.name)
    o.add_property("weight", "data", [ns.Insect, ns.Predator], [XSD.integer, XSD.float], iri=ns.weight)
    return o


def test_several_domains_are_one_union_and_read_back():
    o = build()
    ns = o.ns
    g = o.graph
    eats = o.get_property("eats")
    assert eats.domain == (ns.Insect, ns.Predator, ns.SpeciesX)
    assert eats.range == (ns.Fungus, ns.Plant)

    ttl = o.to_turtle()
    back = Graph().parse(data=ttl, format="turtle")
    doms = list(back.objects(ns.eats, RDFS.domain))
    rngs = list(back.objects(ns.eats, RDFS.range))
    assert len(doms) == 1 and isinstance(doms[0], BNode)
    assert (doms[0], RDF.type, OWL.Class) in back
    assert list(back.items(back.value(doms[0], OWL.unionOf))) == [ns.Insect, ns.Predator, ns.SpeciesX]
    assert len(rngs) == 1 and list(back.items(back.value(rngs[0], OWL.unionOf))) == [ns.Fungus, ns.Plant]
    # one class stays a plain rdfs:domain
    assert list(g.objects(ns.name, RDFS.domain)) == [ns.Animal]
    assert list(g.objects(ns.name, RDFS.range)) == [XSD.string]
    # several datatypes: an rdfs:Datatype union
    (wr,) = g.objects(ns.weight, RDFS.range)
    assert (wr, RDF.type, RDFS.Datatype) in g
    assert o.get_property("weight").range == (XSD.float, XSD.integer)

    again = Ontology(o.base, parse_rdf(ttl))
    for p in o.properties:
        assert again.properties[p].domain == o.properties[p].domain
        assert again.properties[p].range == o.properties[p].range
    assert "owl:unionOf" in ttl


def test_repeated_plain_domains_still_read_as_union():
    g = parse_rdf("""
        @prefix z: <http://example.org/zoo#> .
        z:A a owl:Class . z:B a owl:Class .
        z:p a owl:ObjectProperty ; rdfs:domain z:A , z:B ; rdfs:range z:A .
    """)
    o = Ontology("http://example.org/hydra/", g)
    assert o.get_property("p").domain == (EX.A, EX.B)
    # adding to it rewrites both as one union
    o.add_property("p", "object", [EX.A], [EX.B], iri=EX.p)
    (d,) = o.graph.objects(EX.p, RDFS.domain)
    (r,) = o.graph.objects(EX.p, RDFS.range)
    assert isinstance(d, BNode) and isinstance(r, BNode)
    assert o.get_property("p").domain == (EX.A, EX.B) and o.get_property("p").range == (EX.A, EX.B)


def test_union_blank_nodes_are_deterministic():
    a, b = build(), build()
    assert a.triples() == b.triples()
    assert any(isinstance(t[0], BNode) for t in a.triples())
    # re-adding the same property changes nothing
    before = a.triples()
    ns = a.ns
    a.add_property("eats", "object", [ns.Predator, ns.Insect, ns.SpeciesX], [ns.Plant, ns.Fungus], iri=ns.eats)
    assert a.triples() == before
    # and extending the domain leaves no stale list cells behind
    a.add_property("eats", "object", [ns.Animal], [], iri=ns.eats)
    assert a.get_property("eats").domain == (ns.Animal, ns.Insect, ns.Predator, ns.SpeciesX)
    bnodes = {t[0] for t in a.triples() if isinstance(t[0], BNode)}
    referenced = {t[2] for t in a.triples() if isinstance(t[2], BNode)}
    assert bnodes == referenced


ZOO_TTL = """
:Animal a owl:Class .
:Insect a owl:Class ; rdfs:subClassOf :Animal .
:Predator a owl:Class ; rdfs:subClassOf :Animal .
:SpeciesX a owl:Class ; rdfs:subClassOf :Animal .
:Plant a owl:Class ; rdfs:subClassOf :Animal .
:eats a owl:ObjectProperty ;
    rdfs:domain [ a owl:Class ; owl:unionOf ( :Insect :Predator :SpeciesX ) ] ;
    rdfs:range [ a owl:Class ; owl:unionOf ( :Plant :Insect ) ] .
"""


def test_session_turtle_journal_and_undo_keep_the_union(tmp_path):
    s = Session("zoo", SessionConfig(journal_dir=str(tmp_path)))
    r = s.add_ontology_turtle(ZOO_TTL)
    assert not r.rejected, r.rejected
    ns = s.ontology.ns
    eats = s.ontology.get_property("eats")
    assert eats.domain == (ns.Insect, ns.Predator, ns.SpeciesX)
    assert eats.range == (ns.Insect, ns.Plant)
    assert len(list(s.ontology.graph.objects(eats.iri, RDFS.domain))) == 1
    triples = s.ontology.triples()
    # the journal round trip gives back the same triples (bnode ids included)
    again = Session("zoo", SessionConfig(journal_dir=str(tmp_path)))
    assert again.ontology.triples() == triples
    assert again.ontology.get_property("eats").domain == eats.domain
    # a property added later leaves the union's triples untouched (no remove+add in the diff)
    again.add_ontology_turtle(":likes a owl:ObjectProperty ; rdfs:domain :Insect , :Predator ; rdfs:range :Plant .")
    change = again.history[-1]
    assert not change.onto_removed
    assert all(t[0] != eats.iri for t in change.onto_added)
    likes = again.ontology.get_property("likes")
    assert likes.domain == (ns.Insect, ns.Predator)
    assert len(list(again.ontology.graph.objects(likes.iri, RDFS.domain))) == 1
    assert again.undo().startswith("Undid")
    assert again.ontology.triples() == triples
    # exports carry the union
    out = export_session(again, tmp_path / "zoo.ttl", what="ontology")
    g = Graph().parse(out, format="turtle")
    (d,) = g.objects(eats.iri, RDFS.domain)
    assert list(g.items(g.value(d, OWL.unionOf))) == [ns.Insect, ns.Predator, ns.SpeciesX]
    out = export_session(again, tmp_path / "zoo.jsonld", what="ontology")
    g = Graph().parse(out, format="json-ld")
    (d,) = g.objects(eats.iri, RDFS.domain)
    assert sorted(g.items(g.value(d, OWL.unionOf))) == [ns.Insect, ns.Predator, ns.SpeciesX]


def test_graph_to_proposal_expands_unions(tmp_path):
    s = Session("zoo2", SessionConfig(journal_dir=str(tmp_path)))
    g = parse_rdf(ZOO_TTL + ":w a owl:DatatypeProperty ; rdfs:domain :Insect ; "
                  "rdfs:range [ a rdfs:Datatype ; owl:unionOf ( xsd:integer xsd:float ) ] .",
                  default_prefix=str(s.ontology.ns))
    props = {p.name: p for p in graph_to_proposal(g, s.ontology).properties}
    assert sorted(props["eats"].domain) == ["Insect", "Predator", "SpeciesX"]
    assert sorted(props["eats"].range) == ["Insect", "Plant"]
    assert sorted(props["w"].range) == ["xsd:float", "xsd:integer"]


def _closure(ttl: str) -> Graph:
    g = Graph().parse(data="@prefix : <http://example.org/zoo#> .\n"
                           "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + ttl, format="turtle")
    g.add((EX.bug, RDF.type, EX.Insect))
    g.add((EX.bug, EX.eats, EX.leaf))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


@pytest.mark.parametrize("form", ["union", "repeated"])
def test_owl_rl_union_is_not_an_intersection(form):
    if form == "union":
        o = Ontology("http://example.org/hydra/")
        o.graph.bind("z", EX)
        for c in ("Insect", "Predator", "SpeciesX", "Plant"):
            o.add_class(c, iri=EX[c])
        o.add_property("eats", "object", [EX.Insect, EX.Predator, EX.SpeciesX], [EX.Plant], iri=EX.eats)
        ttl = o.to_turtle()
        assert ttl.count("rdfs:domain") == 1
    else:  # what add_property wrote before: OWL reads it as Insect ⊓ Predator ⊓ SpeciesX
        ttl = (":Insect a owl:Class . :Predator a owl:Class . :SpeciesX a owl:Class . :Plant a owl:Class .\n"
               ":eats a owl:ObjectProperty ; rdfs:domain :Insect , :Predator , :SpeciesX ; rdfs:range :Plant .\n")
    g = _closure(ttl)
    assert (EX.bug, RDF.type, EX.Insect) in g
    assert (EX.leaf, RDF.type, EX.Plant) in g
    wrong = {(EX.bug, RDF.type, EX.Predator), (EX.bug, RDF.type, EX.SpeciesX)}
    if form == "union":
        assert not any(t in g for t in wrong)
    else:
        assert all(t in g for t in wrong)
