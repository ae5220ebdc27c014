"""Gleaning (issue 11, item 4): a model engine re-reads a chunk for facts not yet found.

HyDRA runs extraction in up to 3 epochs and stops at the first that adds nothing.
Here the epochs live in the pipeline's one chunk loop: every epoch's candidates
go through the same contracts (and repairs), every rejection stays reported, and
an engine that does not declare ``gleaning`` (the offline one) reads once.
The model engine is tested against the scripted loopback server with exact
request counts; a scripted Python engine tests the loop one chunk after the other.
"""

from __future__ import annotations

import json

import pytest

from hydra_magic.candidates import TripleCandidate
from hydra_magic.engines.capabilities import Capabilities, capabilities_of
from hydra_magic.engines.llm import LLMEngine
from hydra_magic.engines.rules import RulesEngine
from hydra_magic.errors import InputError
from hydra_magic.pipeline import RetryPolicy, chunk_text, extract_chunks
from hydra_magic.session import Session, SessionConfig

from .llm_server import FILM_TTL, LLMServer, Reply, last_user, llm_server, prompt_text  # noqa: F401
from .test_llm_engine import ALIEN_FILM, DIRECTED, SCOTT_PERSON, TEXT, YEAR

#: The default policy (max_epochs=3, HyDRA's), with waits too short to slow the tests.
GLEAN = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.01)
FIRST = {"triples": [ALIEN_FILM, SCOTT_PERSON, DIRECTED]}
NOTHING: dict[str, list[dict[str, str]]] = {"triples": []}
SEEN_BY = {"subject": "alien", "predicate": "seenBy", "object": "ridley_scott", "subject_text": "Alien",
           "object_text": "Ridley Scott"}


def _session(tmp_path, policy: RetryPolicy = GLEAN) -> Session:
    s = Session("g", SessionConfig(journal_dir=str(tmp_path / "journal"), retry=policy))
    s.add_ontology_turtle(FILM_TTL)
    return s


def _engine(srv: LLMServer, tmp_path, **kw) -> LLMEngine:
    kw.setdefault("use_cache", False)
    kw.setdefault("retry", GLEAN)
    return LLMEngine("openai/x", api_base=srv.url, api_key="x", cache_dir=str(tmp_path / "cache"), **kw)


def _extract(engine, session: Session, policy: RetryPolicy = GLEAN, text: str = TEXT):
    [out] = extract_chunks(engine, chunk_text(text, "t"), text, session.ontology, session.kg, policy)
    return out


def _keys(checked) -> set[tuple[str, str, str]]:
    return {(ct.candidate.subject, ct.candidate.predicate, ct.candidate.object) for ct in checked}


# ------------------------------------------------------------ the model engine
def test_the_default_is_three_epochs_and_each_finds_only_what_is_new(llm_server, tmp_path):
    assert RetryPolicy().max_epochs == 3  # the reference's default
    llm_server.script(Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}),
                      Reply(json_content=NOTHING))
    eng = _engine(llm_server, tmp_path)
    out = _extract(eng, _session(tmp_path))
    assert llm_server.calls == 3 and out.epochs == 3 and out.attempts == 3
    assert _keys(out.accepted) == {("alien", "isA", "Film"), ("ridley_scott", "isA", "Person"),
                                   ("alien", "directedBy", "ridley_scott"), ("alien", "releaseYear", "1979")}
    assert not out.rejected and not out.error
    assert [r.kind for r in eng.replies(chunk=0)] == ["first", "glean", "glean"]
    assert eng.usage.gleanings == 2 and eng.usage.repairs == 0
    assert "2 gleanings" in eng.usage.to_text()


def test_an_extraction_says_how_many_readings_it_took(llm_server, tmp_path):
    llm_server.script(Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}),
                      Reply(json_content=NOTHING))
    s = _session(tmp_path)
    s.register_engine("glean", _engine(llm_server, tmp_path))
    assert s.extract(TEXT, source="c", engine="glean").epochs == 3
    assert s.extract(TEXT, source="d", engine="rules").epochs == 1  # the offline engine reads once
    s.close()


def test_an_epoch_that_repeats_what_was_found_ends_the_reading(llm_server, tmp_path):
    # The model answers the gleaning request with the same facts: nothing new, so no third epoch,
    # and the repeats are neither checked again nor accepted twice.
    llm_server.script(Reply(json_content=FIRST), Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}))
    s = _session(tmp_path)
    out = _extract(_engine(llm_server, tmp_path), s)
    assert llm_server.calls == 2 and out.epochs == 2
    assert len(out.accepted) == 3 and len(_keys(out.accepted)) == 3


def test_an_epoch_whose_new_candidates_are_all_rejected_ends_the_reading(llm_server, tmp_path):
    # Only facts that pass the contracts count as found: a model that keeps guessing wrong is not
    # asked again and again (HyDRA counts the triples its contract let in).
    policy = RetryPolicy(max_attempts=1, max_epochs=3)
    llm_server.script(Reply(json_content={"triples": [SEEN_BY]}), Reply(json_content=FIRST))
    out = _extract(_engine(llm_server, tmp_path, retry=policy), _session(tmp_path, policy), policy)
    assert llm_server.calls == 1 and out.epochs == 1
    assert [ct.candidate.predicate for ct in out.rejected] == ["seenBy"] and not out.accepted


def test_a_first_reading_that_finds_nothing_is_not_gleaned(llm_server, tmp_path):
    llm_server.script(Reply(json_content=NOTHING), Reply(json_content=FIRST))
    out = _extract(_engine(llm_server, tmp_path), _session(tmp_path))
    assert llm_server.calls == 1 and out.epochs == 1 and not out.accepted


@pytest.mark.parametrize("epochs", [1, 2])
def test_max_epochs_is_honoured_while_every_epoch_still_finds_something(llm_server, tmp_path, epochs):
    llm_server.script(Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}),
                      Reply(json_content=NOTHING))
    policy = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.01, max_epochs=epochs)
    out = _extract(_engine(llm_server, tmp_path), _session(tmp_path, policy), policy)
    assert llm_server.calls == epochs and out.epochs == epochs
    assert (("alien", "releaseYear", "1979") in _keys(out.accepted)) == (epochs == 2)


def test_the_gleaning_request_lists_what_was_already_found(llm_server, tmp_path):
    llm_server.script(Reply(json_content=FIRST), Reply(json_content=NOTHING))
    _extract(_engine(llm_server, tmp_path), _session(tmp_path))
    first, second = (last_user(b) for b in llm_server.requests)
    assert "already found" not in first
    assert "already found" in second and "not in this list" in second
    for fact in ("(alien, isA, Film)", "(ridley_scott, isA, Person)", "(alien, directedBy, ridley_scott)"):
        assert fact in second
    assert TEXT in prompt_text(llm_server.requests[1])  # the text is read again, whole


def test_a_gleaned_candidate_that_breaks_a_contract_is_reported_and_repaired(llm_server, tmp_path):
    # Epoch 1 leaves one rejection; epoch 2 proposes a property the ontology lacks, which is sent back
    # for repair like any other; both rejections are in the outcome, none dropped. Epoch 2 had nothing
    # accepted, so there is no epoch 3 (the scripted fifth reply is never asked for).
    director = {"subject": "ridley_scott", "predicate": "isA", "object": "Director", "subject_text": "Ridley Scott"}
    llm_server.script(Reply(json_content={"triples": [*FIRST["triples"], director]}),
                      Reply(json_content=NOTHING),  # the repair of epoch 1: nothing better
                      Reply(json_content={"triples": [SEEN_BY]}),
                      Reply(json_content=NOTHING),  # the repair of epoch 2: nothing better
                      Reply(json_content={"triples": [YEAR]}))
    eng = _engine(llm_server, tmp_path)
    out = _extract(eng, _session(tmp_path))
    assert [r.kind for r in eng.replies(chunk=0)] == ["first", "repair", "glean", "repair"]
    assert llm_server.calls == 4 and out.epochs == 2
    assert "were rejected" in last_user(llm_server.requests[3]) and "seenBy" in last_user(llm_server.requests[3])
    rejected = {(ct.candidate.predicate, ct.candidate.object): ct.codes for ct in out.rejected}
    assert set(rejected) == {("isA", "Director"), ("seenBy", "ridley_scott")}
    assert "unknown_property" in rejected["seenBy", "ridley_scott"]
    assert _keys(out.accepted) == _keys_of(FIRST)


def _keys_of(reply: dict[str, list[dict[str, str]]]) -> set[tuple[str, str, str]]:
    return {(t["subject"], t["predicate"], t["object"]) for t in reply["triples"]}


def test_a_session_extraction_keeps_the_gleaned_facts(llm_server, tmp_path):
    llm_server.script(Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}),
                      Reply(json_content=NOTHING))
    s = _session(tmp_path)
    s.register_engine("openai/x", _engine(llm_server, tmp_path))
    res = s.extract(TEXT, source="cell", engine="openai/x")
    assert llm_server.calls == 3 and not res.failed_chunks
    assert ("alien", "releaseYear", "1979") in _keys(res.accepted) and len(s.kg) == 4


def test_a_failed_gleaning_request_fails_the_chunk_and_keeps_what_was_found(llm_server, tmp_path):
    llm_server.script(Reply(json_content=FIRST), Reply(status=500, error="down"), Reply(status=500, error="down"))
    out = _extract(_engine(llm_server, tmp_path), _session(tmp_path))
    assert llm_server.calls == 3  # the first reading, and the gleaning request with its one transport retry
    assert out.error and out.error_kind == "server_error" and out.epochs == 2
    assert len(out.accepted) == 3  # what the first reading found stays (the session keeps the source's old facts)


def test_a_gleaning_request_is_cached_under_what_was_already_found(llm_server, tmp_path):
    llm_server.default = Reply(json_content=NOTHING)
    eng = _engine(llm_server, tmp_path, use_cache=True)
    s = _session(tmp_path)
    [chunk] = chunk_text(TEXT, "t")
    one = [TripleCandidate("alien", "isA", "Film", subject_text="Alien")]
    other = [TripleCandidate("ridley_scott", "isA", "Person", subject_text="Ridley Scott")]
    eng.extract(chunk, s.ontology, s.kg, found=one)
    eng.extract(chunk, s.ontology, s.kg, found=other)
    assert llm_server.calls == 2  # another 'already found' list is another question
    eng.extract(chunk, s.ontology, s.kg, found=one)
    eng.extract(chunk, s.ontology, s.kg)
    assert llm_server.calls == 3  # the same list again is answered from the cache; no list is a first reading
    assert [r.cached for r in eng.replies(chunk=0)] == [False, False, True, False]


def test_the_whole_run_is_replayed_from_the_cache(llm_server, tmp_path):
    llm_server.script(Reply(json_content=FIRST), Reply(json_content={"triples": [YEAR]}),
                      Reply(json_content=NOTHING))
    first = _extract(_engine(llm_server, tmp_path, use_cache=True), _session(tmp_path))
    again = _extract(_engine(llm_server, tmp_path, use_cache=True), _session(tmp_path / "again"))
    assert llm_server.calls == 3 and again.epochs == first.epochs == 3
    assert _keys(again.accepted) == _keys(first.accepted)


# ------------------------------------------------------------ capabilities
def test_the_offline_engine_reads_each_chunk_once():
    class CountingRules(RulesEngine):
        calls: list[dict[str, object]] = []

        def extract(self, chunk, ontology, kg, feedback=(), **kw):  # type: ignore[override]
            self.calls.append(kw)
            return super().extract(chunk, ontology, kg, feedback)

    s = Session("r", SessionConfig(journal_dir=None, retry=RetryPolicy(max_epochs=3)))
    s.add_ontology_turtle(FILM_TTL)
    text = "Alien is a film. Alien was directed by Ridley Scott. Ridley Scott is a person."
    eng = CountingRules()
    out = _extract(eng, s, RetryPolicy(max_epochs=3), text)
    assert not capabilities_of(eng).gleaning
    assert out.accepted  # it found something, so a gleaning engine would have read again
    assert eng.calls == [{}] and out.epochs == 1  # one call, never given a 'found' list


class _ScriptedGleaner:
    """An engine with no ``aextract``: the loop one chunk after the other; records what it is given."""

    name = "scripted"
    capabilities = Capabilities(repair=True, gleaning=True)

    def __init__(self, *replies: list[TripleCandidate]) -> None:
        self.replies = list(replies)
        self.asked: list[tuple[list[str], list[str]]] = []

    def propose_ontology(self, cqs, ontology, feedback=()):  # pragma: no cover - not used here
        raise AssertionError("not asked")

    def extract(self, chunk, ontology, kg, feedback=(), *, found=()):
        self.asked.append(([str(c) for c, _ in feedback], [str(c) for c in found]))
        return self.replies.pop(0)


def _cand(s: str, p: str, o: str, st: str, ot: str = "") -> TripleCandidate:
    return TripleCandidate(s, p, o, subject_text=st, object_text=ot)


def test_the_loop_one_chunk_after_the_other_gleans_the_same_way(tmp_path):
    alien = _cand("alien", "isA", "Film", "Alien")
    scott = _cand("ridley_scott", "isA", "Person", "Ridley Scott")
    directed = _cand("alien", "directedBy", "ridley_scott", "Alien", "Ridley Scott")
    year = _cand("alien", "releaseYear", "1979", "Alien", "1979")
    eng = _ScriptedGleaner([alien, scott, directed], [alien, year], [])
    out = _extract(eng, _session(tmp_path))
    assert [found for _, found in eng.asked] == [
        [], ["(alien, isA, Film)", "(ridley_scott, isA, Person)", "(alien, directedBy, ridley_scott)"],
        ["(alien, isA, Film)", "(ridley_scott, isA, Person)", "(alien, directedBy, ridley_scott)",
         "(alien, releaseYear, 1979)"]]
    assert out.epochs == 3 and len(out.accepted) == 4  # alien's type, repeated in epoch 2, counted once


def test_a_rejection_repeated_in_a_later_epoch_is_reported_once(tmp_path):
    bad = _cand("alien", "seenBy", "ridley_scott", "Alien", "Ridley Scott")
    alien = _cand("alien", "isA", "Film", "Alien")
    eng = _ScriptedGleaner([alien, bad], [], [bad], [])
    out = _extract(eng, _session(tmp_path))
    # epoch 1: first + repair (nothing); epoch 2 repeats the rejection only: nothing new, so it ends there
    assert [fb for fb, _ in eng.asked] == [[], ["(alien, seenBy, ridley_scott)"], []]
    assert out.epochs == 2 and [ct.candidate.predicate for ct in out.rejected] == ["seenBy"]


# ---------------------------------------------------------------- the setting
def test_max_epochs_is_a_session_setting_that_reaches_the_policy(tmp_path):
    s = _session(tmp_path)
    s.configure("max_epochs", 1)
    assert s.config.retry.max_epochs == 1 and s.config.max_attempts == GLEAN.max_attempts
    with pytest.raises(InputError, match=r"max_epochs must be at least 1, not 0"):
        s.configure("max_epochs", 0)
    with pytest.raises(ValueError, match=r"max_epochs=0"):
        RetryPolicy(max_epochs=0)


# ------------------------------------------------------------------ the prompt
def test_the_prompt_describes_the_fields_and_shows_an_example_in_the_ontologys_terms(llm_server, tmp_path):
    llm_server.script(Reply(json_content=NOTHING))
    _extract(_engine(llm_server, tmp_path), _session(tmp_path))
    system = llm_server.requests[0]["messages"][0]["content"]
    assert "isA | " not in system and "ontologyProperty" not in system  # no placeholder to copy
    example = system[system.index("An example"):]
    triples = json.loads(example[example.index("{"):])["triples"]
    assert {t["predicate"] for t in triples} <= {"isA", "directedBy", "releaseYear"}
    assert {t["object"] for t in triples if t["predicate"] == "isA"} <= {"Film", "Person", "Thing"}
    assert "leave the fact out" in system and "same snake_case name" in system  # coreference, aliases


def test_class_descriptions_reach_the_prompt(llm_server, tmp_path):
    llm_server.script(Reply(json_content=NOTHING))
    s = Session("c", SessionConfig(journal_dir=None, retry=GLEAN))
    described = ':Film a owl:Class ; rdfs:comment """A motion picture released\n  to the public.""" ;'
    s.add_ontology_turtle(FILM_TTL.replace(":Film a owl:Class ;", described))
    _extract(_engine(llm_server, tmp_path), s)
    prompt = prompt_text(llm_server.requests[0])
    assert "- Film < Thing: A motion picture released to the public." in prompt  # on one line
    assert "- Person < Thing\n" in prompt  # a class without a description: nothing added
