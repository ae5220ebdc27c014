"""Synonym CQs never add a second name for what the batch already has (issue 16): a noun listed as another
word for a class uses that class, and a label of several words whose verb says the same with the same noun
uses the property, each saying so in the reuse note."""

from __future__ import annotations

import pytest

from hydra_magic.cq import CompetencyQuestion
from hydra_magic.english.cq.paraphrase_reuse import _same_relation
from hydra_magic.english.cq.proposal import propose_from_cqs
from hydra_magic.english.cq.synonyms import class_synonyms, is_other_word
from hydra_magic.session import Session, SessionConfig


def _session(*cqs: str) -> Session:
    s = Session("cq-synonyms", SessionConfig(journal_dir=None))
    s.add_cqs(list(cqs))
    return s


def _names(s: Session) -> tuple[set[str], set[str]]:
    return {c.name for c in s.ontology.classes.values()}, {p.name for p in s.ontology.properties.values()}


@pytest.mark.parametrize("order", [0, 1])
def test_a_class_synonym_uses_the_class_whichever_comes_first(order: int) -> None:
    cqs = ["Which awards did a film receive?", "Which prizes did a film win?"]
    classes, props = _names(_session(*(cqs if order == 0 else cqs[::-1])))
    assert "Award" in classes and "Prize" not in classes
    assert len(props & {"receives", "wins"}) == 1


def test_the_reuse_note_says_the_noun_names_the_class() -> None:
    s = _session("Which awards did a film receive?")
    proposal = propose_from_cqs([CompetencyQuestion("Which prizes did a film win?")], s.ontology)
    assert not proposal.properties and not proposal.classes
    [note] = [n for n in proposal.issues if n.code == "reused_property"]
    assert note.data["reused"] == "receives" and "'prizes' names the class Award" in note.message


def test_a_new_property_on_a_synonym_class_says_so_in_its_comment() -> None:
    s = _session("Which awards did a film receive?")
    proposal = propose_from_cqs([CompetencyQuestion("Which prizes was a film nominated for?")], s.ontology)
    assert not proposal.classes
    [prop] = proposal.properties
    assert "Award" in prop.range[0] and "'prizes' names the class Award" in prop.comment


def test_a_phrase_with_a_synonym_verb_reuses_the_property() -> None:
    s = _session("Who composed the music for a film?")
    before = _names(s)[1]
    s.add_cqs(["Who wrote the music for a film?"])
    assert "composesMusicFor" in before and _names(s)[1] == before


@pytest.mark.parametrize("asked, existing, same", [
    ("writes music for", "composes music for", True),
    ("writes screenplay for", "composes music for", False),   # another noun
    ("writes", "composes", False),                            # the verb alone is not a synonym
    ("writes music by", "composes music for", False),         # another preposition
    ("cures", "treats", True),
])
def test_phrases_compare_the_words_after_the_verb(asked: str, existing: str, same: bool) -> None:
    assert _same_relation(asked, existing) is same


def test_the_class_table_is_symmetric_and_by_singular_noun() -> None:
    assert class_synonyms("prizes") == ("award",) and "prize" in class_synonyms("award")
    assert is_other_word("movies") and not is_other_word("film") and class_synonyms("river") == ()


def test_the_text_is_read_with_the_reused_class_and_property() -> None:
    s = _session("Which awards did a film receive?", "Which prizes did a film win?")
    s.extract("Heat is a film. The Golden Bear is an award. Heat won the Golden Bear.", source="t")
    preds = {str(f.predicate).rsplit("#", 1)[-1] for f in s.kg.facts("t")}
    assert "receives" in preds and "wins" not in preds
