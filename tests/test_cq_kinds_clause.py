"""'What are the types/kinds of X (that) <clause>?' asks for the kinds of X the clause states: subclasses,
read as 'Which X <clause>?' (issue 16: "What types/kinds of X" as subclass questions), never as the
entities a plain 'What are the X that …?' asks for."""

from __future__ import annotations

import pytest

from hydra_magic.english.cq.parse import parse_cq


@pytest.mark.parametrize("text, same_as", [
    ("What are the types of data a tool can read?", "Which data can a tool read?"),
    ("What are the types of data that a tool can read?", "Which data can a tool read?"),
    ("What are the kinds of animals that eat plants?", "Which animals eat plants?"),
    ("What are the kinds of tools used to analyse data?", "Which tools are used to analyse data?"),
    ("What are the types of formats supported by a tool?", "Which formats are supported by a tool?"),
])
def test_the_kinds_in_a_relative_clause_are_subclasses(text: str, same_as: str) -> None:
    p, q = parse_cq(text), parse_cq(same_as)
    assert p is not None and q is not None
    assert p.answer == "subclasses" and p.pattern.startswith("kinds_")
    assert p.properties == q.properties and p.answer_class == q.answer_class


def test_a_plain_relative_clause_still_asks_for_entities() -> None:
    p = parse_cq("What are the animals that eat plants?")
    assert p is not None and p.answer == "entities"


def test_a_reduced_clause_is_passive_and_a_relative_pronoun_keeps_the_past() -> None:
    from hydra_magic.english.cq.relative import as_question
    assert as_question(["tools"], ["used", "to", "analyse", "data"]) == ["tools", "are", "used", "to", "analyse",
                                                                         "data"]
    assert as_question(["films"], ["that", "won", "an", "award"]) == ["films", "won", "an", "award"]
    assert as_question(["awards"], ["a", "film", "won"]) == ["awards", "did", "a", "film", "win"]


@pytest.mark.parametrize("text, same_as", [
    ("What kind of objects animals eat?", "Which objects do animals eat?"),
    ("Which type of entities animals eat?", "Which entities do animals eat?"),
])
def test_the_kinds_a_clause_acts_on_without_do(text: str, same_as: str) -> None:
    p, q = parse_cq(text), parse_cq(same_as)
    assert p is not None and q is not None and p.answer == "subclasses"
    assert p.properties == q.properties  # never a class "ObjectsAnimal"


def test_a_verb_without_object_after_the_kinds_is_still_the_subjects() -> None:
    p = parse_cq("What kinds of animals hunt?")
    assert p is not None and p.properties[0].domain == ("Animal",)


@pytest.mark.parametrize("text, cls", [
    ("What subsets of plants are proposed?", "Plant"),
    ("What main categories of plants are described?", "Plant"),
    ("What types of software are available?", "Software"),
])
def test_kinds_the_ontology_lists_are_subclasses_not_a_state(text: str, cls: str) -> None:
    p = parse_cq(text)
    assert p is not None and p.answer == "subclasses" and not p.properties and p.answer_class == cls


def test_a_state_of_the_things_is_still_read() -> None:
    p = parse_cq("What types of data are collected?")
    assert p is not None and p.properties
