"""Fourth round of CQ shapes (issue 16 item 6): each new shape with the ontology contribution it must give —
classes, each property with its domain and range, the answer kind — and the questions it must still leave
unparsed (``unparsed_cq`` with a rewording hint, never a guess). Shapes taken from the CLaRO v1 catalogue
(Keet et al., CC-BY) and written by hand; no held-out question set was read to write them."""

from __future__ import annotations

import pytest

from hydra_magic.contracts import check_proposal
from hydra_magic.cq import CompetencyQuestion
from hydra_magic.english.cq import parse_cq, propose_from_cqs
from hydra_magic.ontology import Ontology


def _props(q: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    p = parse_cq(q)
    assert p is not None, q
    return [(r.name, r.kind, r.domain, r.range) for r in p.properties]


def _classes(q: str) -> set[str]:
    p = parse_cq(q)
    assert p is not None, q
    return {c.name for c in p.classes}


# ------------------------------------------------ "What X are in Y?" (CLaRO 46: "What EC1 are in EC2 of EC3")
@pytest.mark.parametrize("q, props, classes", [
    ("What animals are in a habitat?", [("locatedIn", "object", ("Animal",), ("Habitat",))], {"Animal", "Habitat"}),
    ("Which plants are in gardens?", [("locatedIn", "object", ("Plant",), ("Garden",))], {"Plant", "Garden"}),
    ("What animals are there in a habitat?", [("locatedIn", "object", ("Animal",), ("Habitat",))],
     {"Animal", "Habitat"}),
    ("What animals are in a region of a country?",
     [("locatedIn", "object", ("Animal",), ("Region",)), ("hasRegion", "object", ("Country",), ("Region",))],
     {"Animal", "Region", "Country"}),
])
def test_what_x_are_in_y_is_a_location(q, props, classes):
    p = parse_cq(q)
    assert _props(q) == props and _classes(q) == classes
    assert (p.answer, p.answer_class, p.focus) == ("entities", props[0][2][0], "domain")


# ------------------------------------------- "What X V Y given Z?" (CLaRO 54: "What EC1 PC1 EC2 given EC3")
@pytest.mark.parametrize("q, props, classes, answer_class", [
    ("What animal eats a plant given a habitat?", [("eats", "object", ("Animal",), ("Plant",))],
     {"Animal", "Plant", "Habitat"}, "Animal"),
    ("Which film wins an award given a country?", [("wins", "object", ("Film",), ("Award",))],
     {"Film", "Award", "Country"}, "Film"),
])
def test_trailing_given_keeps_the_given_class_and_reads_the_question_before_it(q, props, classes, answer_class):
    p = parse_cq(q)
    assert _props(q) == props and _classes(q) == classes
    assert p.pattern.startswith("given_") and (p.answer, p.answer_class) == ("entities", answer_class)


def test_trailing_given_reads_like_the_fronted_given():
    a, b = parse_cq("What animal eats a plant given a habitat?"), parse_cq("Given a habitat, what animal eats a plant?")
    assert a.properties == b.properties and {c.name for c in a.classes} == {c.name for c in b.classes}


def test_given_as_a_verb_is_not_the_given_shape():
    p = parse_cq("What is given to a student?")
    assert p is not None and not p.pattern.startswith("given_")


# ------------------------------- object with a relative clause (CLaRO 52: "What EC1 PC1 EC1 or EC2 that PC2 EC3")
@pytest.mark.parametrize("q, props", [
    ("What animal eats a plant that grows in a habitat?",
     [("eats", "object", ("Animal",), ("Plant",)), ("growsIn", "object", ("Plant",), ("Habitat",))]),
    ("Which animals eat plants that grow in a habitat?",
     [("eats", "object", ("Animal",), ("Plant",)), ("growsIn", "object", ("Plant",), ("Habitat",))]),
    ("Which director directs a film which wins an award?",
     [("directs", "object", ("Director",), ("Film",)), ("wins", "object", ("Film",), ("Award",))]),
    ("Which tools produce data that are stored in a database?",
     [("produces", "object", ("Tool",), ("Data",)), ("storedIn", "object", ("Data",), ("Database",))]),
    ("What animal eats an animal or a plant that hunts an insect?",
     [("eats", "object", ("Animal",), ("Animal", "Plant")), ("hunts", "object", ("Plant",), ("Insect",))]),
    ("Which companies employ people who live in a city?",
     [("employs", "object", ("Company",), ("Person",)), ("livesIn", "object", ("Person",), ("City",))]),
    ("What plants grow in a habitat that is in a country?",
     [("growsIn", "object", ("Plant",), ("Habitat",)), ("locatedIn", "object", ("Habitat",), ("Country",))]),
])
def test_a_relative_clause_on_the_object_adds_a_relation_of_the_object(q, props):
    p = parse_cq(q)
    assert _props(q) == props
    assert (p.answer, p.focus, p.negated) == ("entities", "domain", False)
    assert p.answer_class == props[0][2][0]


def test_a_relative_clause_on_a_passive_agent():
    p = parse_cq("Which films were directed by a director who won an award?")
    assert _props("Which films were directed by a director who won an award?") == [
        ("directs", "object", ("Director",), ("Film",)), ("wins", "object", ("Director",), ("Award",))]
    assert (p.answer, p.answer_class, p.focus) == ("entities", "Film", "range")


def test_a_relative_clause_repeating_the_main_verb_keeps_both_relations():
    assert _props("What eats an animal that eats a plant?") == [
        ("eats", "object", (), ("Animal",)), ("eats", "object", ("Animal",), ("Plant",))]


@pytest.mark.parametrize("q, props, answer", [
    # the clause is about the owner after "of", never about the attribute ("a habitat that eats a plant")
    ("What is the name of a director who won an award?",
     [("name", "data", ("Director",), ("string",)), ("wins", "object", ("Director",), ("Award",))], "value"),
    ("What are the habitats of animals that eat plants?",
     [("hasHabitat", "object", ("Animal",), ("Habitat",)), ("eats", "object", ("Animal",), ("Plant",))],
     "entities"),
])
def test_a_relative_clause_after_of_is_about_the_owner(q, props, answer):
    assert _props(q) == props and parse_cq(q).answer == answer


@pytest.mark.parametrize("q, props", [
    ("What are the data formats that a software can read?", [("reads", "object", ("Software",), ("DataFormat",))]),
    ("Which are the formats that a tool should support?", [("supports", "object", ("Tool",), ("Format",))]),
])
def test_the_things_that_a_subject_can_verb_are_its_objects(q, props):
    p = parse_cq(q)
    assert _props(q) == props and (p.answer_class, p.focus) == (props[0][3][0], "range")


@pytest.mark.parametrize("q, props", [
    ("Does an animal eat a plant that grows in a habitat?",
     [("eats", "object", ("Animal",), ("Plant",)), ("growsIn", "object", ("Plant",), ("Habitat",))]),
    ("Can a tool read a format that is used by a software?",
     [("reads", "object", ("Tool",), ("Format",)), ("uses", "object", ("Software",), ("Format",))]),
])
def test_a_yes_no_question_with_a_relative_clause_on_its_object(q, props):
    p = parse_cq(q)
    assert _props(q) == props and (p.answer, p.negated) == ("boolean", False)


@pytest.mark.parametrize("q, props", [
    ("Which animals that eat a plant hunt an insect?",
     [("hunts", "object", ("Animal",), ("Insect",)), ("eats", "object", ("Animal",), ("Plant",))]),
    ("Which directors who won an award directed a film?",
     [("directs", "object", ("Director",), ("Film",)), ("wins", "object", ("Director",), ("Award",))]),
    ("Which animals that eat plants are endangered?",
     [("isEndangered", "data", ("Animal",), ("boolean",)), ("eats", "object", ("Animal",), ("Plant",))]),
])
def test_a_relative_clause_on_the_subject_restricts_the_answer(q, props):
    p = parse_cq(q)
    assert _props(q) == props
    assert (p.answer, p.answer_class, p.focus) == ("entities", props[0][2][0], "domain")


# ------------------------------------------ lists with commas (the tokeniser drops them): "a plant, a fungus and …"
@pytest.mark.parametrize("q, range_", [
    ("What animal eats a plant, a fungus and an insect?", ("Plant", "Fungus", "Insect")),
    ("Which animals eat a plant, a fungus or an insect?", ("Plant", "Fungus", "Insect")),
])
def test_a_listed_object_is_a_union_range(q, range_):
    assert _props(q) == [("eats", "object", ("Animal",), range_)]
    assert _classes(q) == {"Animal", *range_}


# ------------------------------------------------- amounts and "adjective to verb"
@pytest.mark.parametrize("q, props", [
    ("How much water is in a mixture?", [("amountOfWater", "data", ("Mixture",), ("float",))]),
    ("How much sugar is there in a drink?", [("amountOfSugar", "data", ("Drink",), ("float",))]),
])
def test_how_much_x_is_in_y_is_an_amount_not_a_class(q, props):
    p = parse_cq(q)
    assert _props(q) == props and (p.answer, p.answer_class) == ("value", None)
    assert _classes(q) == {props[0][2][0]}  # no class Water or Sugar to count


@pytest.mark.parametrize("q, props, answer", [
    ("Which software is free to use?", [("isFreeToUse", "data", ("Software",), ("boolean",))], "entities"),
    ("Which software is easy to install?", [("isEasyToInstall", "data", ("Software",), ("boolean",))], "entities"),
    ("Is a software difficult to use?", [("isDifficultToUse", "data", ("Software",), ("boolean",))], "boolean"),
])
def test_adjective_to_verb_is_a_yes_no_attribute_not_a_class(q, props, answer):
    p = parse_cq(q)
    assert _props(q) == props and p.answer == answer and _classes(q) == {"Software"}


# ------------------------------------------------- "By whom …?": "Who … by?"
@pytest.mark.parametrize("q, props, focus", [
    ("By whom is a film directed?", [("directs", "object", ("Person",), ("Film",))], "domain"),
    ("With whom did an actor work?", [("worksWith", "object", ("Actor",), ("Person",))], "range"),
])
def test_preposition_whom_reads_as_who_with_the_preposition_last(q, props, focus):
    p = parse_cq(q)
    assert _props(q) == props and (p.answer, p.answer_class, p.focus) == ("entities", "Person", focus)
    assert p.describe().split(":")[1] == parse_cq("Whom " + q.split(" ", 2)[2].rstrip("?") + " "
                                                    + q.split()[0].lower() + "?").describe().split(":")[1]


# ------------------------------------------------- "Is X a Y of Z?": a role of Z, as "Which X are Ys of Z?"
@pytest.mark.parametrize("q, props, classes", [
    ("Is a lion a predator of a zebra?", [("hasPredator", "object", ("Zebra",), ("Lion",))], {"Lion", "Zebra"}),
    ("Is Ridley Scott the director of a film?", [("hasDirector", "object", ("Film",), ("Director",))],
     {"Director", "Film"}),
])
def test_is_x_a_role_of_y_asks_about_the_role_relation(q, props, classes):
    p = parse_cq(q)
    assert _props(q) == props and _classes(q) == classes
    assert (p.answer, p.subclass_links) == ("boolean", ())


def test_is_x_a_y_without_of_stays_a_subclass_test():
    assert parse_cq("Is a lion an animal?").describe() == "is_a: Lion ⊑ Animal"


# ------------------------------------------------- one object asked for, two verbs
@pytest.mark.parametrize("q, props", [
    ("What file formats can the software import and export?",
     [("imports", "object", ("Software",), ("FileFormat",)), ("exports", "object", ("Software",), ("FileFormat",))]),
    ("Which films did a director direct and produce?",
     [("directs", "object", ("Director",), ("Film",)), ("produces", "object", ("Director",), ("Film",))]),
])
def test_an_object_question_with_two_verbs_needs_both_relations(q, props):
    p = parse_cq(q)
    assert _props(q) == props and (p.answer, p.answer_class, p.focus) == ("entities", props[0][3][0], "range")


# --------------------------------------------------------------- still unparsed: no guess
@pytest.mark.parametrize("q", [
    "Which animals eat a plant that is not poisonous?",  # a negated relative clause: no reading yet
    "What animals eat plants that are trees?",  # a class stated in a relative clause: not read yet
    "Does an animal eat a plant that is a tree?",
    "Does an animal eat a plant that is not poisonous?",
    "Is there an animal to a plant a habitat eats?",  # two articles without a list: no split
    "How does an animal eat a plant?",  # manner: no property to propose
    "To what extent does an animal eat a plant?",  # a degree of a relation
    "Which types are disjoint from an animal?",  # disjointness: no answer kind for it
    "What animals are in danger?",  # a state, not a place
    "Which animals are in the wild?",  # an adjective: a state, not a class Wild
])
def test_shapes_left_unparsed_get_unparsed_cq_with_a_hint(q):
    assert parse_cq(q) is None
    proposal = propose_from_cqs([CompetencyQuestion(q)], Ontology())
    assert [i.code for i in proposal.issues] == ["unparsed_cq"] and "Rephrase" in proposal.issues[0].hint
    assert not proposal.classes and not proposal.properties


def test_the_new_shapes_propose_a_consistent_ontology():
    qs = ["What animals are in a habitat?", "What animal eats a plant given a habitat?",
          "What animal eats a plant that grows in a habitat?"]
    proposal = propose_from_cqs([CompetencyQuestion(q) for q in qs], Ontology())
    assert not [i for i in proposal.issues if i.code == "unparsed_cq"]
    assert not check_proposal(proposal, Ontology()).rejected
