"""The litellm engine against a scripted local server: replies good and bad, repairs, failures, keys.

No real model and no network: every request goes to ``tests/llm_server.py`` on
127.0.0.1, and the tests count exactly how many requests were made.
"""

from __future__ import annotations

import json
import socket

import pytest

from hydra_magic.engines import get_engine
from hydra_magic.engines.llm import LLMEngine, ModelReplyError
from hydra_magic.errors import EngineError
from hydra_magic.pipeline import RetryPolicy
from hydra_magic.session import Session, SessionConfig

from .llm_server import FILM_TTL, LLMServer, Reply, fenced, last_user, llm_server, prompt_text  # noqa: F401

FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)

TEXT = "Alien was directed by Ridley Scott in 1979."

ALIEN_FILM = {"subject": "alien", "predicate": "isA", "object": "Film", "subject_text": "Alien"}
SCOTT_PERSON = {"subject": "ridley_scott", "predicate": "isA", "object": "Person", "subject_text": "Ridley Scott"}
DIRECTED = {"subject": "alien", "predicate": "directedBy", "object": "ridley_scott",
            "subject_text": "Alien", "object_text": "Ridley Scott"}
YEAR = {"subject": "alien", "predicate": "releaseYear", "object": 1979, "subject_text": "Alien",
        "object_text": "1979"}
GOOD = {"triples": [ALIEN_FILM, SCOTT_PERSON, DIRECTED, YEAR]}


def engine_for(srv: LLMServer, tmp_path, **kw) -> LLMEngine:
    kw.setdefault("api_key", "x")
    kw.setdefault("cache_dir", str(tmp_path / "cache"))
    kw.setdefault("use_cache", False)
    kw.setdefault("retry", FAST)
    return LLMEngine(kw.pop("model", "openai/x"), api_base=srv.url, **kw)


def session_for(tmp_path, engine, name: str = "t") -> Session:
    s = Session(name, SessionConfig(journal_dir=str(tmp_path / "journal"), retry=FAST), engine=engine)
    s.add_ontology_turtle(FILM_TTL)
    return s


def triples(result) -> set[tuple[str, str, str]]:
    return {(c.candidate.subject, c.candidate.predicate, c.candidate.object) for c in result.accepted}


def state(session: Session) -> str:
    """Everything a failure must leave untouched: the snapshot (journal content) of the session."""
    return json.dumps({k: v for k, v in session.snapshot().items() if k != "config"}, sort_keys=True)


# ------------------------------------------------------------------ good replies
def test_valid_reply_is_accepted_with_one_call_and_kept_raw(llm_server, tmp_path):
    llm_server.script(Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    res = s.extract(TEXT, source="cell1")
    assert llm_server.calls == 1
    assert triples(res) == {("alien", "isA", "Film"), ("ridley_scott", "isA", "Person"),
                            ("alien", "directedBy", "ridley_scott"), ("alien", "releaseYear", "1979")}
    assert not res.rejected and not res.failed_chunks
    assert len(s.kg) == 4
    body = llm_server.requests[0]
    assert body["model"] == "x" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    prompt = prompt_text(body)
    assert "directedBy: Film -> Person" in prompt and TEXT in prompt
    [rec] = eng.replies(chunk=0, source="cell1")
    assert rec.kind == "first" and rec.attempt == 1 and json.loads(rec.content) == GOOD
    assert eng.usage.calls == 1 and eng.usage.prompt_tokens > 0 and eng.usage.completion_tokens > 0
    assert eng.last_batch is not None and eng.last_batch.calls == 1


def test_fenced_json_with_prose_is_read(llm_server, tmp_path):
    llm_server.script(Reply(content=fenced(GOOD)))
    s = session_for(tmp_path, engine_for(llm_server, tmp_path))
    res = s.extract(TEXT)
    assert llm_server.calls == 1 and len(res.accepted) == 4


def test_truncated_reply_keeps_complete_triples_and_reports_parse_error(llm_server, tmp_path):
    cut = json.dumps({"triples": [ALIEN_FILM, SCOTT_PERSON, DIRECTED, YEAR]})[:-40]
    llm_server.script(Reply(content=cut, finish_reason="length"))
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    res = s.extract(TEXT)
    assert llm_server.calls == 1
    assert triples(res) == {("alien", "isA", "Film"), ("ridley_scott", "isA", "Person"),
                            ("alien", "directedBy", "ridley_scott")}
    [rec] = eng.replies(chunk=0)
    assert [i.code for i in rec.issues] == ["parse_error"] and "cut off" in rec.issues[0].message
    assert rec.finish_reason == "length"


# --------------------------------------------------------------- parse repair
def test_invalid_json_is_repaired_on_the_second_reply(llm_server, tmp_path):
    llm_server.script(Reply(content="Sure! alien is a film, directed by ridley_scott."), Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 2 and len(res.accepted) == 4
    second = last_user(llm_server.requests[1])
    assert "could not be used" in second and "[parse_error]" in second
    assert [r.kind for r in eng.replies(chunk=0)] == ["first", "parse-repair"]
    assert eng.usage.repairs == 1


def test_wrong_schema_is_repaired(llm_server, tmp_path):
    llm_server.script(Reply(json_content={"facts": [["alien", "directedBy", "ridley_scott"]]}),
                      Reply(json_content=GOOD))
    res = session_for(tmp_path, engine_for(llm_server, tmp_path)).extract(TEXT)
    assert llm_server.calls == 2 and len(res.accepted) == 4
    assert "'triples'" in last_user(llm_server.requests[1])


def test_reply_never_parsable_fails_the_chunk_and_leaves_the_session_unchanged(llm_server, tmp_path):
    llm_server.default = Reply(content="I cannot answer in JSON, sorry.")
    s = session_for(tmp_path, engine_for(llm_server, tmp_path))
    before, history = state(s), len(s.history)
    res = s.extract(TEXT)
    assert llm_server.calls == 3  # FAST.max_attempts replies, each answered with the parse error
    assert res.accepted == [] and res.rejected == []
    [(idx, err)] = res.failed_chunks
    assert idx == 0 and err.startswith("[parse_error]") and "3 attempt" in err
    assert state(s) == before and len(s.history) == history and len(s.kg) == 0


# ------------------------------------------------------------ contract repair
def test_contract_violation_is_fixed_on_second_attempt_asking_only_for_the_rejected_part(llm_server, tmp_path):
    wrong = dict(DIRECTED, predicate="director")  # not an ontology property
    llm_server.script(Reply(json_content={"triples": [ALIEN_FILM, SCOTT_PERSON, wrong, YEAR]}),
                      Reply(json_content={"triples": [DIRECTED]}))
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 2
    assert len(res.accepted) == 4 and res.rejected == []
    repair = last_user(llm_server.requests[1])
    assert "(alien, director, ridley_scott)" in repair and "[unknown_property]" in repair
    assert "directedBy" in repair  # the hint ("did you mean") is fed back
    assert "releaseYear" not in repair and "(alien, isA, Film)" not in repair  # accepted ones are not re-asked
    assert [r.kind for r in eng.replies(chunk=0)] == ["first", "repair"]


def test_violation_never_fixed_is_reported_with_its_rule_after_bounded_attempts(llm_server, tmp_path):
    wrong = dict(DIRECTED, subject="ridley_scott", object="alien", subject_text="Ridley Scott",
                 object_text="Alien")  # reversed: domain and range mismatch
    llm_server.script(Reply(json_content={"triples": [ALIEN_FILM, SCOTT_PERSON, wrong]}))
    llm_server.default = Reply(json_content={"triples": [wrong]})
    res = session_for(tmp_path, engine_for(llm_server, tmp_path)).extract(TEXT)
    assert llm_server.calls == 3
    assert triples(res) == {("alien", "isA", "Film"), ("ridley_scott", "isA", "Person")}
    [rej] = res.rejected
    assert set(rej.codes) == {"domain_mismatch", "range_mismatch"}
    assert not res.failed_chunks


# -------------------------------------------------------------- transport
def test_429_burst_is_retried_with_backoff(llm_server, tmp_path):
    llm_server.script(Reply(status=429, error="slow down"), Reply(status=429, error="slow down"),
                      Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 3 and len(res.accepted) == 4
    assert eng.usage.retries == 2 and eng.usage.errors == 2 and eng.usage.calls == 3


def test_rate_limit_after_retries_fails_the_chunk_with_an_actionable_message(llm_server, tmp_path):
    llm_server.default = Reply(status=429, error="Rate limit reached for requests")
    s = session_for(tmp_path, engine_for(llm_server, tmp_path))
    before = state(s)
    res = s.extract(TEXT)
    assert llm_server.calls == 3
    [(_, err)] = res.failed_chunks
    assert "Rate limit" in err and "3 attempt" in err and "%hydra retry" in err
    assert state(s) == before


def test_500_burst_then_success(llm_server, tmp_path):
    llm_server.script(Reply(status=500), Reply(status=503), Reply(json_content=GOOD))
    res = session_for(tmp_path, engine_for(llm_server, tmp_path)).extract(TEXT)
    assert llm_server.calls == 3 and len(res.accepted) == 4


def test_retry_after_header_is_honoured_within_max_delay(llm_server, tmp_path):
    import time

    llm_server.script(Reply(status=429, headers={"Retry-After": "0.3"}), Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path, retry=RetryPolicy(base_delay=0.001, max_delay=0.5))
    t0 = time.perf_counter()
    eng.extract(_chunk(), _film_ontology(), _kg())
    assert time.perf_counter() - t0 >= 0.3 and llm_server.calls == 2


def test_slow_replies_time_out_and_fail_the_chunk(llm_server, tmp_path):
    llm_server.default = Reply(json_content=GOOD, delay=1.5)
    s = session_for(tmp_path, engine_for(llm_server, tmp_path, timeout=0.3))
    before = state(s)
    res = s.extract(TEXT)
    assert llm_server.calls == 3
    [(_, err)] = res.failed_chunks
    assert "timeout" in err and "0.3 s" in err
    assert state(s) == before and res.accepted == []


def test_a_failed_rerun_of_a_source_keeps_its_earlier_facts(llm_server, tmp_path):
    llm_server.script(Reply(json_content=GOOD))
    s = session_for(tmp_path, engine_for(llm_server, tmp_path))
    s.extract(TEXT, source="cell1")
    before = state(s)
    llm_server.default = Reply(status=500)
    res = s.extract(TEXT, source="cell1")
    assert res.failed_chunks and state(s) == before


def test_failed_chunks_are_retried_with_session_retry(llm_server, tmp_path):
    llm_server.script(*[Reply(status=500)] * 3)
    s = session_for(tmp_path, engine_for(llm_server, tmp_path))
    res = s.extract(TEXT, source="cell1")
    assert res.failed_chunks and len(s.kg) == 0
    llm_server.script(Reply(json_content=GOOD))
    again = s.retry()
    assert llm_server.calls == 4 and len(again.accepted) == 4 and not again.failed_chunks
    assert len(s.kg.facts("cell1")) == 4


def test_response_format_refused_falls_back_to_prompt_and_parsing(llm_server, tmp_path):
    llm_server.script(Reply(status=400, error="response_format json_schema is not supported by this model"),
                      Reply(content=fenced(GOOD)))
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 2 and len(res.accepted) == 4
    assert "response_format" in llm_server.requests[0] and "response_format" not in llm_server.requests[1]


# ----------------------------------------------------------------- user errors
SECRET = "sk-test-0123456789abcdefSECRET"


def test_rejected_key_names_the_variable_and_never_leaks(llm_server, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm_server.default = Reply(status=401, error=f"Incorrect API key provided: {SECRET}. Find your key at ...")
    eng = engine_for(llm_server, tmp_path, api_key=SECRET)
    s = session_for(tmp_path, eng)
    res = s.extract(TEXT)
    assert llm_server.calls == 1  # a bad key is not retried
    [(_, err)] = res.failed_chunks
    assert "OPENAI_API_KEY" in err and "401" in err
    assert llm_server.headers[0]["authorization"] == f"Bearer {SECRET}"  # it was sent to the server …
    leaks = [err, repr(eng), str(vars(eng)), res.to_text(), json.dumps(s.snapshot()),
             (tmp_path / "journal").joinpath("t", "session.json").read_text(),
             json.dumps([r.to_dict() for r in eng.raw_replies]), repr(eng._target("extract"))]
    assert not [x for x in leaks if SECRET in x or "0123456789abcdef" in x]  # … and shown nowhere
    with pytest.raises(EngineError) as exc:
        eng.extract(_chunk(), s.ontology, s.kg)
    assert SECRET not in str(exc.value) and exc.value.__cause__ is None


def test_missing_key_names_the_environment_variable_without_calling(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    eng = LLMEngine("openai/gpt-4o-mini", cache_dir=str(tmp_path), retry=FAST)
    with pytest.raises(EngineError, match=r"No API key for 'openai/gpt-4o-mini': set OPENAI_API_KEY"):
        eng.extract(_chunk(), _film_ontology(), _kg())
    assert eng.usage.calls == 0
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(EngineError, match="ANTHROPIC_API_KEY"):
        LLMEngine("anthropic/claude-3-5-sonnet-latest", cache_dir=str(tmp_path)).extract(
            _chunk(), _film_ontology(), _kg())


def test_unknown_model(llm_server, tmp_path):
    eng = LLMEngine("nosuchprovider-xyz/model", cache_dir=str(tmp_path), retry=FAST)
    with pytest.raises(EngineError, match="Unknown model 'nosuchprovider-xyz/model'"):
        eng.extract(_chunk(), _film_ontology(), _kg())
    llm_server.default = Reply(status=404, error="The model `gpt-9` does not exist")
    eng = engine_for(llm_server, tmp_path, model="openai/gpt-9")
    with pytest.raises(EngineError, match=r"Unknown model 'openai/gpt-9' at http://127\.0\.0\.1:\d+/v1: The model"):
        eng.extract(_chunk(), _film_ontology(), _kg())
    assert llm_server.calls == 1


def test_unreachable_api_base(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    eng = LLMEngine("openai/x", api_base=f"http://127.0.0.1:{port}/v1", api_key="x", cache_dir=str(tmp_path),
                    retry=FAST)
    s = session_for(tmp_path, eng)
    res = s.extract(TEXT)
    [(_, err)] = res.failed_chunks
    assert f"Cannot reach the model server at http://127.0.0.1:{port}/v1" in err and "3 attempt" in err
    assert eng.usage.calls == 3 and len(s.kg) == 0


def test_get_engine_routes_model_names_to_the_llm_engine(llm_server, tmp_path):
    eng = get_engine("openai/x", api_base=llm_server.url, api_key="x", cache_dir=str(tmp_path))
    assert isinstance(eng, LLMEngine) and eng.name == "openai/x"


def test_local_server_without_key_gets_a_placeholder(llm_server, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    llm_server.script(Reply(json_content=GOOD))
    eng = LLMEngine("openai/x", api_base=llm_server.url, cache_dir=str(tmp_path), use_cache=False, retry=FAST)
    assert len(session_for(tmp_path, eng).extract(TEXT).accepted) == 4


# ------------------------------------------------------------- cache and cost
def test_identical_requests_come_from_the_persistent_cache(llm_server, tmp_path):
    llm_server.default = Reply(json_content=GOOD)
    first = engine_for(llm_server, tmp_path, use_cache=True)
    session_for(tmp_path / "a", first).extract(TEXT)
    assert llm_server.calls == 1
    # a new engine (another kernel) with another key: same request, answered from disk
    second = engine_for(llm_server, tmp_path, use_cache=True, api_key="another-key-987654321")
    res = session_for(tmp_path / "b", second).extract(TEXT)
    assert llm_server.calls == 1 and len(res.accepted) == 4
    assert second.usage.cache_hits == 1 and second.usage.calls == 0 and second.raw_replies[-1].cached
    bypass = engine_for(llm_server, tmp_path, use_cache=False)
    session_for(tmp_path / "c", bypass).extract(TEXT)
    assert llm_server.calls == 2
    other_model = engine_for(llm_server, tmp_path, use_cache=True, model="openai/y")
    session_for(tmp_path / "d", other_model).extract(TEXT)
    assert llm_server.calls == 3
    blob = (tmp_path / "cache" / "llm-replies.sqlite3").read_bytes()
    assert b"another-key" not in blob and b"Bearer" not in blob


def test_cost_is_reported_where_the_price_is_known(llm_server, tmp_path):
    llm_server.default = Reply(json_content=GOOD)
    priced = engine_for(llm_server, tmp_path, model="openai/gpt-4o-mini")
    session_for(tmp_path / "a", priced).extract(TEXT)
    assert priced.usage.cost_usd > 0 and priced.usage.unpriced_calls == 0
    unpriced = engine_for(llm_server, tmp_path, model="openai/my-local-model")
    session_for(tmp_path / "b", unpriced).extract(TEXT)
    assert unpriced.usage.cost_usd == 0 and unpriced.usage.unpriced_calls == 1
    assert "cost unknown" in unpriced.usage.to_text()


# --------------------------------------------------------------- ontology
def test_propose_ontology_repairs_only_the_rejected_item(llm_server, tmp_path):
    first = {"classes": [{"name": "Studio", "parent": "Thing", "cq": 1}],
             "properties": [{"name": "producedBy", "kind": "object", "domain": ["Film"], "range": ["Studio"],
                             "cq": 1},
                            {"name": "runtime", "kind": "data", "domain": ["Film"], "range": ["int32"], "cq": 2}]}
    fixed = {"classes": [], "properties": [{"name": "runtime", "kind": "data", "domain": ["Film"],
                                            "range": ["integer"], "cq": 2}]}
    llm_server.script(Reply(json_content=first), Reply(json_content=fixed))
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    res = s.add_cqs("Which studio produced a film?\nHow long is a film?")
    assert llm_server.calls == 2
    assert {c.name for c in res.added_classes} == {"Studio"}
    assert {p.name for p in res.added_properties} == {"producedBy", "runtime"}
    repair = last_user(llm_server.requests[1])
    assert "runtime" in repair and "[invalid_datatype]" in repair and "producedBy" not in repair
    assert res.added_properties[-1].origin == "How long is a film?"
    assert "Film" in prompt_text(llm_server.requests[0])  # the current ontology is in the prompt


def test_repaired_item_may_build_on_a_class_accepted_in_the_first_attempt(llm_server, tmp_path):
    first = {"classes": [{"name": "Work"}, {"name": "Film", "parent": "Work"}],
             "properties": [{"name": "runtime", "kind": "data", "domain": ["Film"], "range": ["int32"]}]}
    fixed = {"properties": [{"name": "runtime", "kind": "data", "domain": ["Film"], "range": ["integer"]}]}
    llm_server.script(Reply(json_content=first), Reply(json_content=fixed))
    s = Session("o", SessionConfig(journal_dir=None, retry=FAST), engine=engine_for(llm_server, tmp_path))
    res = s.add_cqs("How long is a film?")
    assert {p.name for p in res.added_properties} == {"runtime"}


def test_unparsable_ontology_reply_is_a_parse_error_issue_not_a_crash(llm_server, tmp_path):
    llm_server.default = Reply(content="Here are some classes: Film, Person")
    eng = engine_for(llm_server, tmp_path)
    s = Session("o", SessionConfig(journal_dir=str(tmp_path / "j"), retry=FAST), engine=eng)
    res = s.add_cqs("Who directed which film?")
    assert llm_server.calls == 3
    assert [i.code for i in res.issues] == ["parse_error"] and not res.added_classes


def test_cq_to_sparql_is_checked_and_repaired(llm_server, tmp_path):
    llm_server.script(Reply(json_content={"sparql": "SELECT ?f WHERE { ?f onto:director ?p }"}),
                      Reply(json_content={"sparql": "SELECT ?f ?p WHERE { ?f onto:directedBy ?p }"}))
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    q = eng.cq_to_sparql("Which films were directed by whom?", s.ontology)
    assert q == "SELECT ?f ?p WHERE { ?f onto:directedBy ?p }" and llm_server.calls == 2
    assert "onto:director is not a class or property" in last_user(llm_server.requests[1])
    llm_server.default = Reply(json_content={"sparql": "SELECT WHERE {"})
    with pytest.raises(ModelReplyError, match=r"\[invalid_sparql\]"):
        eng.cq_to_sparql("Which films?", s.ontology)


# ------------------------------------------------------------------ helpers
def _chunk():
    from hydra_magic.candidates import TextChunk

    return TextChunk(TEXT, 0, 0, "unit")


def _film_ontology():
    s = Session("u", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(FILM_TTL)
    return s.ontology


def _kg():
    from hydra_magic.kg import KnowledgeGraph

    return KnowledgeGraph()
