"""A copula and a verb phrase sharing one subject ("animals that are carnivores but still eat plants") are
two readings, the class and the relation, never a class named after the verb phrase ("EatPlant")."""

from __future__ import annotations

import pytest

from hydra_magic.english.cq.parse import parse_cq


@pytest.mark.parametrize("text", [
    "Are there animals that are carnivore but still eat some plants?",
    "Which animals are carnivores but eat plants?",
    "Are there animals that are carnivores and eat some plants?",
])
def test_the_class_and_the_relation_are_both_read(text: str) -> None:
    p = parse_cq(text)
    assert p is not None
    assert {(r.name, r.domain, r.range) for r in p.properties} == {("eats", ("Animal",), ("Plant",))}
    assert [(link.child, link.parent) for link in p.subclass_links] == [("Carnivore", "Animal")]


@pytest.mark.parametrize("text", [
    "Are there animals that are carnivores and eat plants?",  # "and eat plants" may be a noun ("use cases")
    "Which software are tools and use cases?",
])
def test_a_verb_phrase_that_may_be_a_noun_is_left_unread(text: str) -> None:
    assert parse_cq(text) is None


def test_two_classes_after_a_copula_stay_classes() -> None:
    p = parse_cq("Which animals are carnivores and herbivores?")
    assert p is not None and not p.properties
    assert {(link.child, link.parent) for link in p.subclass_links} == {("Carnivore", "Animal"),
                                                                        ("Herbivore", "Animal")}
