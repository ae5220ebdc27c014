"""Reuse before adding, the other way round (issue 16 items 5 and the synonym-CQ target): a question that
states an existing property read from its object ("Who leads a company?" beside ``hasChiefExecutive``)
reuses it and says so; verification tests a question whose property was reused against the property kept."""

from __future__ import annotations

from hydra_magic.candidates import PropertyCandidate
from hydra_magic.english.cq.model import PropertyReq
from hydra_magic.english.cq.paraphrase_reuse import inverse_candidate
from hydra_magic.session import Session, SessionConfig

_CEO = "Who is the chief executive of a company?"


def _session(*batches: list[str]) -> Session:
    s = Session("inverse-reuse", SessionConfig(journal_dir=None))
    for cqs in batches:
        s.add_cqs(cqs)
    return s


def _names(s: Session) -> set[str]:
    return {p.name for p in s.ontology.properties.values()}


def _facts(s: Session, source: str) -> set[tuple[str, str, str]]:
    return {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
             str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts(source)}


def test_a_question_read_from_the_object_reuses_the_property_of_the_same_batch() -> None:
    s = Session("inverse-batch", SessionConfig(journal_dir=None))
    result = s.add_cqs([_CEO, "Who leads a company?"])
    assert "hasChiefExecutive" in _names(s) and "leads" not in _names(s)
    [note] = [n for n in result.issues if n.code == "reused_property"]
    assert note.data["reused"] == "hasChiefExecutive" and note.data["instead_of"] == "leads"
    assert "read from its object" in note.message


def test_a_later_question_reuses_the_existing_property_and_says_why() -> None:
    s = _session([_CEO])
    result = s.add_cqs(["Which company does a person lead?"])
    assert "leads" not in _names(s)
    [note] = [n for n in result.issues if n.code == "reused_property"]
    assert note.data["reused"] == "hasChiefExecutive" and "read from its object" in note.message


def test_the_active_verb_is_read_as_the_reused_property_from_its_object() -> None:
    s = _session([_CEO, "Who leads a company?"])
    s.extract("Zed Corp is a software company. Bob Smith leads Zed Corp.", source="t")
    assert ("zed_corp", "hasChiefExecutive", "bob_smith") in _facts(s, "t")
    s.extract("Acme is a company. Acme leads the market.", source="u")  # no person: nothing of the kind
    assert not {f for f in _facts(s, "u") if f[1] == "hasChiefExecutive"}


def test_verification_answers_the_inverse_question_from_the_object_end() -> None:
    s = _session([_CEO, "Who leads a company?"])
    s.extract("Zed Corp is a software company. Bob Smith leads Zed Corp.", source="t")
    tests = {t.cq.text: t for t in s.verify().cq_tests}
    t = tests["Who leads a company?"]
    assert t.source == "parser" and "hasChiefExecutive" in (t.sparql or ""), t.sparql
    assert t.answered and any("bob_smith" in a or "Bob Smith" in a for a in t.answers), t.answers
    assert not any("zed_corp" in a or "Zed Corp" in a for a in t.answers), t.answers


def test_a_paraphrase_reused_in_its_direction_is_tested_against_the_property_kept() -> None:
    # Before: the matcher compiled "Which diseases does a drug cure?" to "any disease", the relation lost.
    s = _session(["Which diseases does a drug treat?"], ["Which diseases does a drug cure?"])
    t = {t.cq.text: t for t in s.verify().cq_tests}["Which diseases does a drug cure?"]
    assert t.source == "parser" and "treats" in (t.sparql or ""), t.sparql


def test_ends_of_one_class_are_never_read_the_other_way() -> None:
    # Person -> Person: the ends cannot tell the direction, so no inverse reuse is guessed.
    kept = PropertyCandidate("hasChiefExecutive", "object", ("Person",), ("Person",), "has chief executive")
    asked = PropertyReq("leads", "object", ("Person",), ("Person",), label="leads")
    assert inverse_candidate([kept], asked, ("Person",), ("Person",), lambda _: True) is None
    other = PropertyCandidate("hasChiefExecutive", "object", ("Company",), ("Person",), "has chief executive")
    assert inverse_candidate([other], PropertyReq("leads", "object", ("Person",), ("Company",), label="leads"),
                             ("Person",), ("Company",), lambda _: False) is other


def test_a_class_reused_under_another_word_is_said_even_when_its_property_is_new() -> None:
    s = _session(["Which awards did a person receive?"])
    result = s.add_cqs(["Which prizes did a person nominate?"])
    assert "Prize" not in {c.name for c in s.ontology.classes.values()}
    [note] = [n for n in result.issues if n.code == "reused_class"]
    assert note.data["reused"] == "Award" and note.data["instead_of"] == "Prize" and "'prizes'" in note.message
    assert note.severity == "info" and "%%ontology" in note.hint
