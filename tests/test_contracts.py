"""Every contract rule accepts a valid case and rejects an invalid one with its stable code."""

from __future__ import annotations

import pytest
from rdflib import XSD

from hydra_magic.candidates import ClassCandidate, OntologyProposal, PropertyCandidate, TripleCandidate
from hydra_magic.contracts import check_literal, check_proposal, check_triples, find_span
from hydra_magic.issues import CODES, Issue
from hydra_magic.kg import Evidence, Fact, KnowledgeGraph
from hydra_magic.ontology import Ontology


@pytest.fixture()
def onto() -> Ontology:
    """Thing > Agent > Person > Director; Thing > Work > Film; Thing > Place."""
    o = Ontology()
    thing = o.add_class("Thing")
    agent = o.add_class("Agent", parent=thing)
    person = o.add_class("Person", parent=agent)
    o.add_class("Director", parent=person, alt_labels=["film director"])
    work = o.add_class("Work", parent=thing)
    film = o.add_class("Film", parent=work)
    place = o.add_class("Place", parent=thing)
    o.add_property("directedBy", "object", [film], [person], label="directed by")
    o.add_property("createdBy", "object", [work], [agent], label="created by")
    o.add_property("filmedIn", "object", [film], [place], label="filmed in")
    o.add_property("releaseYear", "data", [film], [XSD.integer], label="release year")
    o.add_property("releaseDate", "data", [film], [XSD.date], label="release date")
    o.add_property("rating", "data", [film], [XSD.float])
    o.add_property("isSilent", "data", [film], [XSD.boolean], label="is silent")
    o.add_property("startTime", "data", [film], [XSD.time])
    o.add_property("premiere", "data", [film], [XSD.dateTime])
    o.add_property("title", "data", [work], [XSD.string])
    return o


TEXT = "Alien is a 1979 film directed by Ridley Scott and filmed in Shepperton."


def _verdict(onto: Ontology, cands: list[TripleCandidate], kg: KnowledgeGraph | None = None,
             text: str | None = TEXT):
    return check_triples(cands, onto, kg or KnowledgeGraph(), text)


def _codes(onto, cands, **kw) -> list[list[str]]:
    v = _verdict(onto, cands, **kw)
    by_id = {id(ct.candidate): ct.codes for ct in v.accepted + v.rejected}
    return [by_id[id(c)] for c in cands]


TYPED = [TripleCandidate("alien", "isA", "Film", "Alien"),
         TripleCandidate("ridley_scott", "isA", "Director", "Ridley Scott"),
         TripleCandidate("shepperton", "isA", "Place", "Shepperton")]


# ------------------------------------------------------------------ ontology rules
def _prop_codes(onto, *items) -> dict[str, list[str]]:
    proposal = OntologyProposal(classes=[i for i in items if isinstance(i, ClassCandidate)],
                                properties=[i for i in items if isinstance(i, PropertyCandidate)])
    v = check_proposal(proposal, onto)
    out = {c.name: [] for c in v.accepted_classes} | {p.name: [] for p in v.accepted_properties}
    out.update({c.name: [i.code for i in issues] for c, issues in v.rejected})
    return out


@pytest.mark.parametrize("good,bad,code", [
    (ClassCandidate("Award", "Thing"), ClassCandidate("award", "Thing"), "class_not_pascal_case"),
    (ClassCandidate("Award", "Thing"), ClassCandidate("FILM", "Thing"), "class_exists"),
    (ClassCandidate("Award", "Thing"), ClassCandidate("Award2", "Prize"), "unknown_superclass"),
    (ClassCandidate("Award", "Thing"), ClassCandidate("Award3", "Award3"), "self_subclass"),
    (ClassCandidate("Award", "Thing"), ClassCandidate("Orphan"), "missing_superclass"),
    (ClassCandidate("Award", "Thing"), ClassCandidate("!!"), "invalid_name"),
])
def test_class_rules(onto, good, bad, code):
    codes = _prop_codes(onto, good, bad)
    assert codes[good.name] == []
    assert code in codes[bad.name]


def test_single_root_rule_on_empty_ontology():
    codes = _prop_codes(Ontology(), ClassCandidate("Thing"), ClassCandidate("Other"))
    assert codes["Thing"] == [] and codes["Other"] == ["missing_superclass"]


def test_subclass_cycle_detected_transitively(onto):
    # Thing is an ancestor three levels up: HyDRA's one-level closure misses this.
    from hydra_magic.contracts.ontology_rules import _View, _check_class

    view = _View(onto)
    issues = _check_class(ClassCandidate("Thing", "Director"), view, single_root=True)
    assert "subclass_cycle" in [i.code for i in issues]


@pytest.mark.parametrize("good,bad,code", [
    (PropertyCandidate("wonAward", "object", ("Film",), ("Thing",)),
     PropertyCandidate("WonAward2", "object", ("Film",), ("Thing",)), "property_not_camel_case"),
    (PropertyCandidate("wonAward", "object", ("Film",), ("Thing",)),
     PropertyCandidate("DirectedBy", "data", ("Film",), ("string",)), "property_exists"),
    (PropertyCandidate("wonAward", "object", ("Film",), ("Thing",)),
     PropertyCandidate("soldTo", "object", ("Studio",), ("Thing",)), "unknown_domain_class"),
    (PropertyCandidate("wonAward", "object", ("Film",), ("Thing",)),
     PropertyCandidate("soldTo", "object", ("Film",), ("Studio",)), "unknown_range_class"),
    (PropertyCandidate("budget", "data", ("Film",), ("xsd:integer",)),
     PropertyCandidate("cost", "data", ("Film",), ("money",)), "invalid_datatype"),
    (PropertyCandidate("sequelOf", "object", ("Film",), ("Film",), characteristics=("asymmetric",)),
     PropertyCandidate("remakeOf", "object", ("Film",), ("Film",), characteristics=("transitiv",)),
     "invalid_characteristic"),
])
def test_property_rules(onto, good, bad, code):
    codes = _prop_codes(onto, good, bad)
    assert codes[good.name] == []
    assert code in codes[bad.name]


def test_property_may_use_class_proposed_earlier_in_batch(onto):
    codes = _prop_codes(onto, ClassCandidate("Studio", "Agent"),
                        PropertyCandidate("producedBy", "object", ("Film",), ("Studio",)))
    assert codes == {"Studio": [], "producedBy": []}


def test_property_lookup_is_case_insensitive(onto):
    # HyDRA's get_property is case-sensitive while get_class is not: ours is consistent.
    assert onto.get_property("DIRECTED BY") is onto.get_property("directedBy")
    assert onto.get_class("film director") is onto.get_class("Director")


# -------------------------------------------------------------------- triple rules
def test_valid_batch_is_accepted(onto):
    cands = TYPED + [TripleCandidate("alien", "directed by", "ridley_scott", "Alien", "Ridley Scott"),
                     TripleCandidate("alien", "filmedIn", "shepperton"),
                     TripleCandidate("alien", "releaseYear", "1979")]
    v = _verdict(onto, cands)
    assert not v.rejected, [str(i) for r in v.rejected for i in r.issues]
    assert len(v.accepted) == 6


def test_domain_via_grandparent_is_accepted(onto):
    # createdBy has domain Work and range Agent; Film ⊑ Work, Director ⊑ Person ⊑ Agent.
    assert _codes(onto, TYPED + [TripleCandidate("alien", "createdBy", "ridley_scott")])[-1] == []


@pytest.mark.parametrize("cand,code", [
    (TripleCandidate("alien", "isA", "Movie"), "unknown_class"),
    (TripleCandidate("Film", "isA", "Work"), "class_as_entity"),
    (TripleCandidate("alien", "isA", "Place"), "retype_conflict"),
    (TripleCandidate("alien", "directedd", "ridley_scott"), "unknown_property"),
    (TripleCandidate("Alien", "directedBy", "ridley_scott"), "entity_not_snake_case"),
    (TripleCandidate("alien", "directedBy", "Director"), "class_as_entity"),
    (TripleCandidate("ridley_scott", "directedBy", "alien"), "domain_mismatch"),
    (TripleCandidate("alien", "directedBy", "shepperton"), "range_mismatch"),
    (TripleCandidate("alien", "releaseYear", "nineteen seventy-nine"), "literal_datatype_mismatch"),
    (TripleCandidate("alien", "directedBy", "james_cameron"), "ungrounded"),
    (TripleCandidate("alien", "", "x"), "empty_term"),
])
def test_triple_rule_rejects_with_code(onto, cand, code):
    codes = _codes(onto, TYPED + [cand])
    assert codes[:3] == [[], [], []], "the valid neighbours must stay accepted"
    assert code in codes[-1]


def test_untyped_subject_and_object(onto):
    codes = _codes(onto, [TripleCandidate("alien", "directedBy", "ridley_scott")])
    assert codes == [["untyped_entity", "untyped_entity"]]


def test_untyped_uses_kg_types(onto):
    kg = KnowledgeGraph()
    ev = Evidence("earlier")
    from rdflib import RDF

    kg.add([Fact(kg.entity_iri("alien"), RDF.type, onto.get_class("Film").iri, ev),
            Fact(kg.entity_iri("ridley_scott"), RDF.type, onto.get_class("Person").iri, ev)])
    assert _codes(onto, [TripleCandidate("alien", "directedBy", "ridley_scott")], kg=kg) == [[]]


def test_retype_to_subclass_is_allowed(onto):
    cands = [TripleCandidate("ridley_scott", "isA", "Person", "Ridley Scott"),
             TripleCandidate("ridley_scott", "isA", "Director", "Ridley Scott")]
    assert _codes(onto, cands) == [[], []]


@pytest.mark.parametrize("prop,good,bad", [
    ("releaseYear", "1979", "1979a"),
    ("rating", "7.5", "high"),
    ("isSilent", "false", "nope"),
    ("releaseDate", "1979-05-25", "25/05/1979"),
    ("premiere", "1979-05-25T20:00:00", "1979-05-25 20:00"),
    ("startTime", "20:00:00", "8pm"),
])
def test_literal_datatypes(onto, prop, good, bad):
    dt = onto.get_property(prop).datatype
    assert check_literal(good, dt) is None
    issue = check_literal(bad, dt)
    assert issue is not None and issue.code == "literal_datatype_mismatch" and bad in issue.message


def test_grounding_is_tolerant_but_rejects_hallucination():
    text = "The Directors   of ALIEN were praised; Dorēmu was filmed."
    assert find_span("director", text) is not None          # case + plural
    assert find_span("alien", text) == (text.index("ALIEN"), text.index("ALIEN") + 5)
    assert find_span("doremu", text) is not None            # accents folded
    assert find_span("james cameron", text) is None


def test_messages_name_values_and_give_hints(onto):
    v = _verdict(onto, TYPED + [TripleCandidate("alien", "directedd", "ridley_scott")])
    issue = v.rejected[0].issues[0]
    assert "directedd" in issue.message and "directedBy" in issue.hint


def test_every_code_is_documented():
    assert all(CODES.values())
    with pytest.raises(ValueError):
        Issue("no_such_code", "x")


def test_engine_given_span_must_hold_the_surface(onto):
    good = TripleCandidate("alien", "isA", "Film", "Alien", subject_span=(0, 5))
    off_by_one = TripleCandidate("ridley_scott", "isA", "Director", "Ridley Scott", subject_span=(34, 46))
    codes = _codes(onto, [good, off_by_one])
    assert codes == [[], ["ungrounded"]]


def test_a_property_named_type_is_not_rdf_type(onto):
    from rdflib import XSD as _XSD

    onto.add_property("type", "data", [onto.get_class("Film").iri], [_XSD.string])
    codes = _codes(onto, TYPED + [TripleCandidate("alien", "type", "horror film")],
                   text=TEXT + " Alien is a horror film.")
    assert codes[-1] == []
