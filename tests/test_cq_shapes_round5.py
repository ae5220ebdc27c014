"""Fifth round of CQ shapes (issue 16 item 6): the CLaRO template filler of the bench writes English, and the
reader's new shapes and fixed readings, each with the ontology contribution it must give (classes, properties
with domain and range, the answer kind) or ``unparsed_cq`` with a rewording hint. Shapes taken from the CLaRO
v1 catalogue (Keet et al., CC-BY), the SWO questions of CQ2SPARQLOWL and the issue's examples; CLaRO v2 and
Stuff are held out (only their counts were read)."""

from __future__ import annotations

import pytest

from hydra_magic.bench.cq_bench import instantiate_template
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


def _unparsed_with_hint(q: str) -> None:
    assert parse_cq(q) is None, q
    proposal = propose_from_cqs([CompetencyQuestion(q)], Ontology())
    issue = next(i for i in proposal.issues if i.code == "unparsed_cq")
    assert issue.hint, q


# ------------------------------------------------------------------ the bench's CLaRO template filler
@pytest.mark.parametrize("template, filled", [
    # CLaRO splits "do I need to V" over one repeated PC: the pieces are "do", "need", "to V"
    ("[PC1] I [PC1] [EC1] [PC1] [EC2]", "Do I need an animal to eat a plant?"),
    ("What [EC1] [PC1] I [PC1] [EC2]", "What animal do I need to eat a plant?"),
    ("How many [EC1] [PC1] I [PC1] [EC2]", "How many animals do I need to eat a plant?"),
    ("Which [EC1] [PC1] I [PC1] [EC2] [PC1]", "Which animal do I need a plant to eat?"),
    ("How [PC1] I [PC1] [EC1] [PC1] [EC2]", "How do I use an animal to eat a plant?"),
    ("Where [PC1] I [PC1] [EC1]", "Where do I eat an animal?"),
    # the second noun of "Is X Y" is the predicate and takes its article
    ("Is [EC1] [EC2]", "Is an animal a plant?"),
    ("Is [EC1] [EC2] or [EC3]", "Is an animal a plant or habitat?"),
    ("Is [EC1] of [EC2] [EC3]", "Is the animal of a plant a habitat?"),
    # agreement after "who"/"that" and in "is there any"
    ("Do I know [EC1] who [PC1] [EC2] or [PC1] [EC3]", "Do I know an animal who eats a plant or eats a habitat?"),
    ("What is [EC1] of [EC2] that have [EC3]", "What is the animal of a plant that has a habitat?"),
    ("What is [EC1] of [EC2] that [PC1] [EC3]", "What is the animal of a plant that eats a habitat?"),
    ("[PC1] [EC1] [PC1] [EC2] that are [EC3] from [EC4]",
     "Does an animal eat a plant that is a habitat from a country?"),
    ("Is there any [EC1] for [EC2] and where [PC1] I [PC1] [EC3]",
     "Is there any animal for a plant and where do I eat a habitat?"),
    ("How [EC1] [PC1] is [EC2] for [EC3]", "How easy to eat is a plant for a habitat?"),
    # unchanged shapes
    ("[PC1] [EC1] [PC1] [EC2]", "Does an animal eat a plant?"),
    ("How [EC1] is [EC2]", "How old is a plant?"),
])
def test_claro_filler_writes_english(template, filled):
    assert instantiate_template(template, "wildlife") == filled


def test_claro_filler_gives_distinct_slots_distinct_words():
    filled = instantiate_template("Is [EC1] [EC2] or [EC3]", "film")
    assert filled == "Is a film a director or award?"


# ------------------------------------------------------------- negative subjects and objects
@pytest.mark.parametrize("q, props, answer_class", [
    ("Which plants does nothing eat?", [("eats", "object", (), ("Plant",))], "Plant"),
    ("Which plants does nobody eat?", [("eats", "object", (), ("Plant",))], "Plant"),
    ("Which plants does no one eat?", [("eats", "object", (), ("Plant",))], "Plant"),
    ("Which plants does no animal eat?", [("eats", "object", ("Animal",), ("Plant",))], "Plant"),
    ("Which animals eat no plants?", [("eats", "object", ("Animal",), ("Plant",))], "Animal"),
])
def test_a_denying_phrase_negates_the_question_and_names_no_class(q, props, answer_class):
    p = parse_cq(q)
    assert _props(q) == props and p.negated and p.answer_class == answer_class
    assert not any(c.name in ("Nothing", "Nobody", "One", "Eat") for c in p.classes) and not p.entities


def test_a_pronoun_after_does_is_the_subject_not_a_verb():
    # used to read "does nothing eat" as a verb "nothing": nothings (Plant → Eat)
    assert _props("Which plants does something eat?") == [("eats", "object", (), ("Plant",))]
    assert not parse_cq("Which plants does something eat?").negated


# ------------------------------------------------------------- quantities named "<change> point"
@pytest.mark.parametrize("q, name, domain", [
    ("What is the melting point of a stuff?", "meltingPoint", ("Stuff",)),
    ("What is the boiling point of a liquid?", "boilingPoint", ("Liquid",)),
])
def test_a_temperature_point_is_a_number(q, name, domain):
    assert _props(q) == [(name, "data", domain, ("float",))]


def test_other_points_keep_their_reading():
    assert _props("What is the point of a film?") == [("point", "data", ("Film",), ("string",))]
