"""An ambiguous reference yields no fact and is reported (issue 16): "he" after two men, "Lind" after
Greta and Oskar Lind, "The director is X" after two films. The engine proposes what the sentence would
state with the ambiguous end named after its candidates and an ``ambiguous_reference`` issue naming the
mention and the candidates; the contracts reject it (it has no type), so the user sees it among the
rejections and no fact is added.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from hydra_magic.candidates import TextChunk
from hydra_magic.english.text import extract_triples
from hydra_magic.english.text.reported import ReportedCandidate
from hydra_magic.kg import KnowledgeGraph
from hydra_magic.rule_registry import RULES
from hydra_magic.session import Session, SessionConfig

PEOPLE = ["Who received an award?", "Where was a person born?"]
FILM = ["Who directed a film?", "Who starred in a film?"]

CURIE = "Pierre Curie and Paul Langevin were born in Paris. He received the Nobel Prize in Physics."


def _session(cqs: list[str]) -> Session:
    s = Session("ambiguous", SessionConfig(model="rules", journal_dir=None))
    s.add_cqs(cqs)
    return s


def _reported(s: Session, text: str) -> list[ReportedCandidate]:
    cands = extract_triples(TextChunk(text), s.ontology, KnowledgeGraph())
    return [c for c in cands if isinstance(c, ReportedCandidate)]


def test_the_code_is_registered_and_documented() -> None:
    rule = RULES["ambiguous_reference"]
    assert rule.description and rule.hint and "{candidates}" in rule.message and rule.severity == "error"


@pytest.mark.parametrize("text, mention, names, subject", [
    (CURIE, "He", ["Pierre Curie", "Paul Langevin"], "pierre_curie_or_paul_langevin"),
    ("Greta Lind and Anna Berg built a ship, and later she received the Polar Medal.", "she",
     ["Greta Lind", "Anna Berg"], "greta_lind_or_anna_berg"),
    ("Greta Lind and Oskar Lind were born in Malmo. Lind received the Polar Medal in 1990.", "Lind",
     ["Greta Lind", "Oskar Lind"], "greta_lind_or_oskar_lind"),
])
def test_an_ambiguous_pronoun_or_short_name_is_reported_with_its_candidates(
        text: str, mention: str, names: list[str], subject: str) -> None:
    s = _session(PEOPLE)
    try:
        [c] = _reported(s, text)
        assert (c.subject, c.predicate, c.subject_text) == (subject, "receives", mention)
        assert c.subject_span is not None and text[c.subject_span[0]:c.subject_span[1]] == mention
        assert c.issue is not None and c.issue.code == "ambiguous_reference"
        assert c.issue.message.startswith(f"{mention!r} could be {names[0]} or {names[1]} (")
        assert c.issue.data["candidates"] == names
    finally:
        s.close()


def test_an_implicit_owner_that_two_films_fit_is_reported() -> None:
    s = _session(FILM)
    try:
        text = ("Heatwave is a 2012 film directed by Anna Berg. Coldsnap is a 1990 film directed by Tom Lind. "
                "The director is Eva Holm.")
        [c] = _reported(s, text)
        assert (c.subject, c.predicate, c.object) == ("eva_holm", "directs", "heatwave_or_coldsnap")
        assert c.issue is not None and c.issue.path == "triple.object"
        assert "could be Heatwave or Coldsnap" in c.issue.message
    finally:
        s.close()


def test_a_session_reports_the_rejection_and_adds_no_fact() -> None:
    s = _session(PEOPLE)
    try:
        result = s.extract(CURIE, source="curie")
        [rejected] = [r for r in result.rejected if "receives" in str(r)]
        cand = rejected.checked.candidate
        assert isinstance(cand, ReportedCandidate) and cand.issue is not None
        assert cand.issue.message.startswith("'He' could be Pierre Curie or Paul Langevin")
        assert not rejected.checked.ok
        facts = {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1])
                 for f in s.kg.facts("curie")}
        assert not any(p == "receives" for _, p in facts)
        assert not any("_or_" in e for e, _ in facts)
    finally:
        s.close()


def test_the_rejection_says_first_that_the_reference_is_ambiguous_and_the_contracts_still_judge() -> None:
    s = _session(PEOPLE)
    try:
        result = s.extract(CURIE, source="curie")
        [rejected] = [r for r in result.rejected if "ambiguous_reference" in r.codes]
        assert rejected.codes[0] == "ambiguous_reference"  # the reason, before the contracts' own verdict
        assert "untyped_entity" in rejected.codes  # which does not rest on the engine's word
        assert result.rejected_by_code().get("ambiguous_reference") == 1
    finally:
        s.close()


def test_an_engine_can_reject_its_own_candidate_but_never_accept_one() -> None:
    from hydra_magic.contracts.triple_rules import check_triples
    from hydra_magic.issues import Issue

    s = _session(PEOPLE)
    try:
        text = "Greta Lind received the Polar Medal."
        cands = extract_triples(TextChunk(text), s.ontology, KnowledgeGraph())
        assert [c.predicate for c in cands if c.predicate != "isA"] == ["receives"]
        assert not check_triples(cands, s.ontology, s.kg, text).rejected

        def marked(issue: Issue) -> list[Any]:
            return [replace(c, issue=issue) if c.predicate == "receives" else c for c in cands]

        refused = check_triples(marked(Issue("ambiguous_reference", "which one?")), s.ontology, s.kg, text)
        assert [ct.codes for ct in refused.rejected] == [["ambiguous_reference"]]
        note = check_triples(marked(Issue("ambiguous_reference", "a note", severity="info")), s.ontology, s.kg,
                             text)
        assert not note.rejected  # only an error rejects

        # a span that does not hold the object: the contracts' rejection stands whatever the engine says
        ungrounded = [replace(c, object_span=(0, 3), issue=Issue("ambiguous_reference", "fine", severity="info"))
                      if c.predicate == "receives" else c for c in cands]
        [ct] = check_triples(ungrounded, s.ontology, s.kg, text).rejected
        assert ct.codes == ["ungrounded"]
    finally:
        s.close()


def test_one_candidate_still_resolves_and_nothing_is_reported() -> None:
    s = _session(PEOPLE)
    try:
        assert _reported(s, "Greta Lind was born in Malmo. She received the Polar Medal.") == []
    finally:
        s.close()
