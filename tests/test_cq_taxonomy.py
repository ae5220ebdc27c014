"""Taxonomy questions (tuned on BigCQ's templates) read as subclass questions, never as properties:
"be classified/regarded/considered as X" says "be X", "a specialization of X" is "a kind of X",
"Which X are a kind of Y?" links neither way, and "equal to" between classes is an axiom left unread."""

from __future__ import annotations

import pytest

from hydra_magic.english.cq.parse import parse_cq


def _links(text: str) -> set[tuple[str, str]]:
    p = parse_cq(text)
    assert p is not None, text
    assert not p.properties, p.describe()
    return {(link.child, link.parent) for link in p.subclass_links}


@pytest.mark.parametrize("text, link", [
    ("Can a lion be classified as an animal?", ("Lion", "Animal")),
    ("Can a lion be classified as a kind of animal?", ("Lion", "Animal")),
    ("Is a film considered as a work?", ("Film", "Work")),
    ("Which software is considered as a standard?", ("Standard", "Software")),
    ("What specialization of entity is an animal?", ("Animal", "Entity")),
])
def test_classifying_verbs_and_taxonomy_nouns_are_subclass_links(text: str, link: tuple[str, str]) -> None:
    assert link in _links(text)


def test_which_x_are_a_kind_of_y_asks_for_kinds_below_both() -> None:
    p = parse_cq("Which animals are a kind of plant?")
    assert p is not None and p.answer == "subclasses" and not p.subclass_links
    assert {c.name for c in p.classes} == {"Animal", "Plant"}


@pytest.mark.parametrize("text", ["What objects are equal to plants?", "Which software is equivalent to a tool?"])
def test_equivalent_classes_are_left_unread(text: str) -> None:
    assert parse_cq(text) is None


def test_a_value_equal_to_a_number_is_still_read() -> None:
    p = parse_cq("Which films have a rating equal to 5?")
    assert p is not None and p.properties


@pytest.mark.parametrize("text, link", [
    ("Could one regard plants as a kind of organism?", ("Plant", "Organism")),
    ("May I consider a lion as an animal?", ("Lion", "Animal")),
    ("Can we classify a lion as a kind of animal?", ("Lion", "Animal")),
])
def test_the_asker_classifying_a_thing_is_a_subclass_question(text: str, link: tuple[str, str]) -> None:
    assert link in _links(text)


def test_classified_as_a_verb_phrase_is_no_class() -> None:
    assert parse_cq("Is there any animals that could be classified as eat plants?") is None


@pytest.mark.parametrize("text", ["What subsets of plants exist?", "What subset of entity is an animal?",
                                  "Which specialization of entity is an animal?"])
def test_subsets_and_specializations_are_kinds_not_properties(text: str) -> None:
    p = parse_cq(text)
    assert p is not None and not p.properties and p.answer in ("subclasses", "superclass")


@pytest.mark.parametrize("text, link", [
    ("Are all plants an example of organisms?", ("Plant", "Organism")),
    ("Which category does a plant belong to?", ("Plant", "Thing")),
    ("What class did plants belong to?", ("Plant", "Thing")),
])
def test_other_words_for_a_kind_of(text: str, link: tuple[str, str]) -> None:
    assert link in _links(text)


def test_a_sample_of_a_thing_stays_a_relation() -> None:
    p = parse_cq("Which tissue is a sample of a patient?")
    assert p is not None and p.answer != "subclasses"


def test_classes_considered_equal_are_left_unread_and_a_named_value_is_read() -> None:
    assert parse_cq("May I consider animals equal to plants?") is None
    p = parse_cq('Which films have a title equal to "Heat"?')
    assert p is not None and p.properties
