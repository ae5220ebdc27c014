"""Reuse before adding, by paraphrase (issue 16 item 5): a CQ whose verb is another word for an existing
property with the same ends reuses it and says so, instead of adding a synonym beside it."""

from __future__ import annotations

import pytest

from hydra_magic.session import Session, SessionConfig


def _session(*cqs: str) -> Session:
    s = Session("paraphrase-reuse", SessionConfig(journal_dir=None))
    for cq in cqs:
        s.add_cqs([cq])
    return s


def _names(s: Session) -> set[str]:
    return {p.name for p in s.ontology.properties.values()}


@pytest.mark.parametrize("first, synonym, kept, not_added", [
    ("Which diseases does a drug treat?", "Which diseases does a drug cure?", "treats", "cures"),
    ("Which drugs does a company market?", "Which drugs does a company sell?", "markets", "sells"),
    ("Which proteins does a drug inhibit?", "Which proteins does a drug block?", "inhibits", "blocks"),
    ("Which awards did a person receive?", "Which awards did a person win?", "receives", "wins"),
])
def test_a_synonym_cq_reuses_the_property_and_says_which(first: str, synonym: str, kept: str,
                                                        not_added: str) -> None:
    s = _session(first)
    before = _names(s)
    assert kept in before
    s.add_cqs([synonym])
    assert _names(s) == before and not_added not in _names(s)


def test_the_proposal_names_the_reused_property_and_why() -> None:
    from hydra_magic.cq import CompetencyQuestion
    from hydra_magic.english.cq.proposal import propose_from_cqs

    s = _session("Which diseases does a drug treat?")
    proposal = propose_from_cqs([CompetencyQuestion("Which diseases does a drug cure?")], s.ontology)
    assert not proposal.properties
    [note] = [n for n in proposal.issues if n.code == "reused_property"]
    assert note.data["reused"] == "treats" and note.data["instead_of"] == "cures"
    assert "paraphrase" in note.message


def test_other_ends_or_another_word_still_add_their_own_property() -> None:
    s = _session("Which diseases does a drug treat?", "Which symptoms does a drug cure?")
    assert "cures" in _names(s)  # Drug -> Symptom: not the ends of treats
    t = _session("Which diseases does a drug treat?", "Which diseases does a drug cause?")
    assert "causes" in _names(t)  # not a paraphrase of treat


def test_one_class_to_itself_reuses_a_verb_paraphrase_in_its_direction() -> None:
    s = _session("Which companies does a company acquire?", "Which companies does a company buy?",
                 "Which teams did a team defeat?", "Which teams did a team beat?")
    assert {"acquires", "defeats"} <= _names(s) and not {"buys", "beats"} & _names(s)
    r = s.extract("Acme is a company. Bolt is a company. Acme bought Bolt.", source="t")
    keys = {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
             str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts("t")}
    assert ("acme", "acquires", "bolt") in keys, r.to_text()


def test_the_text_is_read_as_the_reused_property() -> None:
    s = _session("Which diseases does a drug treat?", "Which diseases does a drug cure?")
    r = s.extract("Imatinib is a drug. Leukaemia is a disease. Imatinib cures leukaemia.", source="t")
    triples = {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
                str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts("t")}
    assert ("imatinib", "treats", "leukaemia") in triples, (triples, r.to_text())


def test_a_synonym_in_the_same_batch_uses_the_property_proposed_before_it() -> None:
    s = Session("paraphrase-batch", SessionConfig(journal_dir=None))
    s.add_cqs(["Which diseases does a drug treat?", "Which diseases does a drug cure?",
               "Which drugs does a company market?", "Which drugs does a company sell?"])
    names = _names(s)
    assert {"treats", "markets"} <= names and not {"cures", "sells"} & names
