"""The litellm engine against a scripted local server: replies good and bad, repairs, failures, keys.

No real model and no network: every request goes to ``hydra_magic/testing/llm_server.py`` on
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

# One reading per chunk: these tests count the requests of one reading and its repairs; the gleaning
# epochs (RetryPolicy.max_epochs, 3 by default) have their own counts in test_gleaning.py.
FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01, max_epochs=1)

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
    eng = engine_for(llm_server, tmp_path, retry=RetryPolicy(max_epochs=1, base_delay=0.001, max_delay=0.5))
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


LLAMA_CPP_REFUSAL = ("1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                     "'msg': \"Input should be 'text' or 'json_object'\"}")


def shape(body) -> str:
    """The structured-output shape of a recorded request, as :data:`SHAPES` names it."""
    fmt = body.get("response_format")
    if fmt is None:
        return "none"
    if fmt["type"] == "json_object":
        return "json_object+schema" if "schema" in fmt else "json_object"
    return fmt["type"]


def refusing(*refused: str, reply=None, status: int = 500):
    """A responder that refuses the given shapes with an error naming response_format."""
    def respond(body):
        if shape(body) in refused:
            return Reply(status=status, error=LLAMA_CPP_REFUSAL)
        return reply or Reply(json_content=GOOD)
    return respond


def test_response_format_refused_falls_back_to_prompt_and_parsing(llm_server, tmp_path):
    llm_server.script(Reply(status=400, error="response_format json_schema is not supported by this model"),
                      Reply(status=400, error="response_format: unknown field 'schema'"),
                      Reply(status=400, error="response_format json_object is not supported"),
                      Reply(content=fenced(GOOD)))
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 4 and len(res.accepted) == 4
    assert [shape(b) for b in llm_server.requests] == ["json_schema", "json_object+schema", "json_object", "none"]
    assert eng.usage.retries == 0 and eng.structured_output_for("extract") == "none"


def test_a_500_naming_response_format_is_a_shape_refusal_never_retried(llm_server, tmp_path):
    """llama.cpp answers a JSON-schema response_format with HTTP 500: the next shape goes at once."""
    llm_server.responder = refusing("json_schema")
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    res = s.extract(TEXT, source="a")
    assert len(res.accepted) == 4 and not res.failed_chunks
    assert [shape(b) for b in llm_server.requests] == ["json_schema", "json_object+schema"]
    schema = llm_server.requests[1]["response_format"]["schema"]
    assert "triples" in schema["properties"]
    assert eng.usage.retries == 0 and eng.usage.errors == 1
    assert [r.response_format for r in eng.replies(source="a")] == ["json_schema", "json_object+schema"]
    # remembered: the next request (another step, another text) starts with the shape that worked
    s.extract("Heat was directed by Michael Mann in 1995.", source="b")
    assert {shape(b) for b in llm_server.requests[2:]} == {"json_object+schema"}
    assert eng.structured_output_for("ontology") == "json_object+schema"


def test_plain_json_object_when_the_schema_field_is_refused(llm_server, tmp_path):
    llm_server.responder = refusing("json_schema", "json_object+schema", status=400)
    eng = engine_for(llm_server, tmp_path)
    session_for(tmp_path, eng).extract(TEXT)
    assert [shape(b) for b in llm_server.requests] == ["json_schema", "json_object+schema", "json_object"]


def test_concurrent_chunks_never_send_a_refused_shape_twice(llm_server, tmp_path):
    llm_server.responder = refusing("json_schema", reply=Reply(json_content={"triples": []}))
    llm_server.latency = 0.05
    eng = engine_for(llm_server, tmp_path, concurrency=8)
    text = " ".join(f"Film{i} was directed by Person{i}." for i in range(8))
    s = Session("c", SessionConfig(journal_dir=None, retry=FAST, chunk_chars=40), engine=eng)
    s.add_ontology_turtle(FILM_TTL)
    res = s.extract(text)
    assert not res.failed_chunks and llm_server.calls == 9  # 8 chunks + the one refused request
    shapes = [shape(b) for b in llm_server.requests]
    assert shapes.count("json_schema") == 1 and shapes[0] == "json_schema"
    assert set(shapes[1:]) == {"json_object+schema"}


def test_a_refusal_that_does_not_name_response_format_is_a_server_error(llm_server, tmp_path):
    llm_server.default = Reply(status=500, error="CUDA out of memory")
    eng = engine_for(llm_server, tmp_path)
    res = session_for(tmp_path, eng).extract(TEXT)
    assert llm_server.calls == 3 and res.failed_chunks  # retried as a transport failure, shape unchanged
    assert {shape(b) for b in llm_server.requests} == {"json_schema"}


def test_structured_output_option_starts_the_negotiation_there(llm_server, tmp_path):
    llm_server.default = Reply(json_content=GOOD)
    session_for(tmp_path, engine_for(llm_server, tmp_path, structured_output="json_object+schema")).extract(TEXT)
    session_for(tmp_path / "n", engine_for(llm_server, tmp_path, structured_output="none")).extract(TEXT)
    assert [shape(b) for b in llm_server.requests] == ["json_object+schema", "none"]
    with pytest.raises(EngineError, match="structured_output='xml'"):
        engine_for(llm_server, tmp_path, structured_output="xml")


def test_max_tokens_is_always_sent_per_step_and_configurable(llm_server, tmp_path):
    from hydra_magic.engines.llm import DEFAULT_MAX_TOKENS, MIN_EXTRACT_TOKENS

    llm_server.default = Reply(json_content={"sparql": "SELECT ?f ?p WHERE { ?f onto:directedBy ?p }"})
    eng = engine_for(llm_server, tmp_path)
    s = session_for(tmp_path, eng)
    eng.cq_to_sparql("Who directed which film?", s.ontology)
    llm_server.default = Reply(json_content=GOOD)
    s.extract(TEXT)  # a short chunk: the floor
    long_text = " ".join([TEXT] * 40)
    s.extract(long_text, source="long")  # one chunk of ~1,800 characters: as many tokens
    huge = Session("h", SessionConfig(journal_dir=None, retry=FAST, chunk_chars=20000), engine=eng)
    huge.add_ontology_turtle(FILM_TTL)
    huge.extract(" ".join([TEXT] * 200))  # ~8,800 characters: the ceiling
    assert [b["max_tokens"] for b in llm_server.requests] == [
        DEFAULT_MAX_TOKENS["sparql"], MIN_EXTRACT_TOKENS, len(long_text), DEFAULT_MAX_TOKENS["extract"]]
    llm_server.reset()
    llm_server.default = Reply(json_content=GOOD)
    session_for(tmp_path / "b", engine_for(llm_server, tmp_path, max_tokens={"extract": 300})).extract(TEXT)
    session_for(tmp_path / "c", engine_for(llm_server, tmp_path, max_tokens=77)).extract(TEXT)
    assert [b["max_tokens"] for b in llm_server.requests] == [300, 77]
    with pytest.raises(EngineError, match="max_tokens for 'extract' is 0"):
        engine_for(llm_server, tmp_path, max_tokens={"extract": 0})


# ------------------------------------------------------------------ deadline
def test_a_dripping_server_cannot_hold_a_call_past_the_deadline(llm_server, tmp_path):
    """The reply comes one byte every 0.2 s (minutes in all): each request ends at its 0.5 s deadline."""
    import time

    llm_server.default = Reply(json_content=GOOD, drip=0.2)
    eng = engine_for(llm_server, tmp_path, timeout=0.5,
                     retry=RetryPolicy(max_epochs=1, max_attempts=2, base_delay=0.001, max_delay=0.01))
    s = session_for(tmp_path, eng)
    t0 = time.perf_counter()
    res = s.extract(TEXT)  # asyncio path
    elapsed = time.perf_counter() - t0
    [(_, err)] = res.failed_chunks
    assert "did not answer within 0.5 s" in err and llm_server.calls == FAST.max_attempts  # the session's policy
    assert elapsed < 30  # a hang check: without the deadline this takes ~2 minutes
    t0 = time.perf_counter()
    with pytest.raises(EngineError, match="did not answer within 0.5 s"):
        eng.cq_to_sparql("Who directed which film?", s.ontology)  # synchronous path
    assert time.perf_counter() - t0 < 30


# ------------------------------------------------------------------ keys
ENV_KEY = "sk-envkey-OPENAI-0123456789"


def test_a_custom_api_base_never_receives_a_provider_environment_key(llm_server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    monkeypatch.delenv("HYDRA_API_KEY", raising=False)
    llm_server.default = Reply(json_content=GOOD)
    eng = LLMEngine("openai/x", api_base=llm_server.url, cache_dir=str(tmp_path), use_cache=False, retry=FAST)
    assert len(session_for(tmp_path, eng).extract(TEXT).accepted) == 4
    assert ENV_KEY not in json.dumps(llm_server.headers)
    assert llm_server.headers[0]["authorization"] == "Bearer EMPTY"


def test_the_key_given_for_a_custom_api_base_is_sent_to_it(llm_server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    monkeypatch.setenv("HYDRA_API_KEY", "hydra-key-5555555555")
    llm_server.default = Reply(json_content=GOOD)
    eng = LLMEngine("openai/x", api_base=llm_server.url, cache_dir=str(tmp_path), use_cache=False, retry=FAST)
    session_for(tmp_path, eng).extract(TEXT)
    given = engine_for(llm_server, tmp_path, api_key="given-key-7777777777")
    session_for(tmp_path / "g", given).extract(TEXT)
    assert [h["authorization"] for h in llm_server.headers] == ["Bearer hydra-key-5555555555",
                                                                "Bearer given-key-7777777777"]


def test_a_step_at_another_api_base_does_not_get_the_engines_key(llm_server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    monkeypatch.delenv("HYDRA_API_KEY", raising=False)
    with LLMServer(default=Reply(json_content=GOOD)) as other:
        eng = engine_for(llm_server, tmp_path, api_key="main-key-1111111111",
                         step_models={"extract": {"model": "openai/y", "api_base": other.url}})
        session_for(tmp_path, eng).extract(TEXT)
        assert [h["authorization"] for h in other.headers] == ["Bearer EMPTY"]
    assert llm_server.calls == 0


def test_a_rejected_key_at_a_custom_api_base_names_the_option_and_variable(llm_server, tmp_path):
    llm_server.default = Reply(status=401, error="invalid api key")
    res = session_for(tmp_path, engine_for(llm_server, tmp_path)).extract(TEXT)
    [(_, err)] = res.failed_chunks
    assert "api_key=" in err and "HYDRA_API_KEY" in err and llm_server.calls == 1


# ------------------------------------------------------------------ cache rule
def test_only_replies_that_parsed_are_cached(llm_server, tmp_path):
    llm_server.script(Reply(content="Sure! Alien is a film."), Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path, use_cache=True)
    assert len(session_for(tmp_path / "a", eng).extract(TEXT).accepted) == 4
    assert llm_server.calls == 2 and len(eng.cache) == 1  # the non-JSON 200 reply was not stored
    again = engine_for(llm_server, tmp_path, use_cache=True)
    llm_server.script(Reply(json_content=GOOD))
    res = session_for(tmp_path / "b", again).extract(TEXT)
    # the first request is not answered with the unusable reply from the cache: it goes to the server
    assert llm_server.calls == 3 and len(res.accepted) == 4
    assert [r.cached for r in again.replies()] == [False]


def test_a_negotiated_engine_and_a_fresh_one_share_cached_replies(llm_server, tmp_path):
    llm_server.responder = refusing("json_schema")
    first = engine_for(llm_server, tmp_path, use_cache=True)
    session_for(tmp_path / "a", first).extract(TEXT)
    assert llm_server.calls == 2
    fresh = engine_for(llm_server, tmp_path, use_cache=True)
    assert len(session_for(tmp_path / "b", fresh).extract(TEXT).accepted) == 4
    assert llm_server.calls == 2 and fresh.usage.cache_hits == 1


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
    assert "HYDRA_API_KEY" in err and "OPENAI_API_KEY" in err and "401" in err
    assert llm_server.headers[0]["authorization"] == f"Bearer {SECRET}"  # it was sent to the server …
    leaks = [err, repr(eng), str(vars(eng)), res.to_text(), json.dumps(s.snapshot()),
             *(p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "journal" / "t").rglob("*")
               if p.is_file()),  # the change log, the store's files, the lock holder
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
        LLMEngine("anthropic/claude-haiku-4-5", cache_dir=str(tmp_path)).extract(
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
    # A model litellm has no price for, served from this machine, is free: 0, not "unknown" (issue 10).
    local = engine_for(llm_server, tmp_path, model="openai/my-local-model")
    session_for(tmp_path / "b", local).extract(TEXT)
    assert local.usage.cost_usd == 0 and local.usage.unpriced_calls == 0
    assert "$0.0000" in local.usage.to_text() and "unknown" not in local.usage.to_text()


def test_an_unpriced_model_on_a_remote_server_is_unknown_not_free(llm_server, tmp_path, monkeypatch):
    import hydra_magic.engines.llm as llm

    monkeypatch.setattr(llm, "is_local", lambda model, api_base: False)  # as if the server were elsewhere
    llm_server.default = Reply(json_content=GOOD)
    remote = engine_for(llm_server, tmp_path, model="openai/my-hosted-model")
    session_for(tmp_path, remote).extract(TEXT)
    assert remote.usage.cost_usd == 0 and remote.usage.unpriced_calls == 1
    assert "cost unknown" in remote.usage.to_text()


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


# ------------------------------------------------------- one loop (issue 10)
class _Proposer:
    """An engine that proposes the same wrong triple every time, with or without declaring repair."""

    name = "proposer"

    def __init__(self, n: int = 1) -> None:
        self.calls: list[int] = []  # len(feedback) of each call
        self.n = n

    def propose_ontology(self, cqs, ontology, feedback=()):
        from hydra_magic.candidates import OntologyProposal

        return OntologyProposal()

    def extract(self, chunk, ontology, kg, feedback=()):
        from hydra_magic.candidates import TripleCandidate

        self.calls.append(len(feedback))
        return [TripleCandidate(f"alien_{i}", "directedBy", "nobody", "Alien", sentence=chunk.text)
                for i in range(self.n)]


def test_an_engine_that_does_not_declare_repair_is_asked_once_and_never_waits(tmp_path):
    import time

    from hydra_magic.engines.capabilities import Capabilities
    from hydra_magic.engines.rules import RulesEngine
    from hydra_magic.pipeline import extract_chunks

    slow = RetryPolicy(max_epochs=1, max_attempts=3, base_delay=5, max_delay=5, jitter=False)
    onto, chunk = _film_ontology(), _chunk()
    plain = _Proposer()
    t0 = time.perf_counter()
    [out] = extract_chunks(plain, [chunk], TEXT, onto, _kg(), slow)
    assert plain.calls == [0] and out.attempts == 1 and out.rejected  # rejected, and not asked again
    rules = RulesEngine()
    extract_chunks(rules, [chunk], TEXT, onto, _kg(), slow)
    assert time.perf_counter() - t0 < 2  # no back-off before a retry that could not help

    class Repairing(_Proposer):
        capabilities = Capabilities(repair=True)

    rep = Repairing()
    t0 = time.perf_counter()
    [out] = extract_chunks(rep, [chunk], TEXT, onto, _kg(), slow)
    assert rep.calls == [0, 1, 1] and out.attempts == 3  # asked again with the rejection, ...
    assert time.perf_counter() - t0 < 2  # ... at once: a repair is a new question, not a failed request


def test_candidates_and_repair_feedback_are_capped_and_the_cut_is_said(tmp_path):
    from hydra_magic.engines.capabilities import Capabilities
    from hydra_magic.pipeline import CapWarning, extract_chunks

    class Flood(_Proposer):
        capabilities = Capabilities(repair=True)

    eng = Flood(n=300)
    policy = RetryPolicy(max_epochs=1, max_attempts=2, max_candidates=120, max_feedback=7)
    with pytest.warns(CapWarning, match="only the first 120 were checked"):
        [out] = extract_chunks(eng, [_chunk()], TEXT, _film_ontology(), _kg(), policy)
    assert eng.calls == [0, 7] and len(out.rejected) == 120
    assert any("300 candidates" in n and "first 120" in n for n in out.notes)
    assert any("120 candidates were rejected" in n and "first 7" in n for n in out.notes)


def test_the_model_engine_repair_request_carries_at_most_max_feedback_rejections(llm_server, tmp_path):
    bad = [{"subject": f"alien{i}", "predicate": "directedBy", "object": "ridley_scott", "subject_text": "Alien",
            "object_text": "Ridley Scott"} for i in range(40)]
    llm_server.script(Reply(json_content={"triples": bad}), Reply(json_content={"triples": []}))
    policy = RetryPolicy(max_epochs=1, max_attempts=2, base_delay=0.001, max_delay=0.01, max_feedback=5)
    eng = engine_for(llm_server, tmp_path, retry=policy)
    s = Session("f", SessionConfig(journal_dir=None, retry=policy), engine=eng)
    s.add_ontology_turtle(FILM_TTL)
    with pytest.warns(UserWarning, match="first 5"):
        s.extract(TEXT)
    repair = last_user(llm_server.requests[1])
    assert sum(f"alien{i}" in repair for i in range(40)) == 5


def test_a_bad_model_name_fails_at_once_with_the_ways_to_name_one(tmp_path):
    from hydra_magic.engines.llm import ModelNameError

    s = Session("n", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(FILM_TTL)
    with pytest.raises(ModelNameError) as info:
        s.extract(TEXT, engine="nonexistent")
    msg = str(info.value)
    assert "'nonexistent'" in msg and "openai/gpt-4o-mini" in msg and "ollama_chat/" in msg and "'rules'" in msg
    assert "%hydra retry" not in msg and len(s.kg) == 0


def test_redo_asks_the_model_again_and_keeps_the_new_reply(llm_server, tmp_path):
    first = {"triples": [ALIEN_FILM]}
    llm_server.script(Reply(json_content=first), Reply(json_content=GOOD))
    eng = engine_for(llm_server, tmp_path, use_cache=True)
    assert len(eng.extract(_chunk(), _film_ontology(), _kg())) == 1
    assert len(eng.extract(_chunk(), _film_ontology(), _kg())) == 1 and llm_server.calls == 1  # cached
    redo = eng.derive(fresh=True)
    assert len(redo.extract(_chunk(), _film_ontology(), _kg())) == 4 and llm_server.calls == 2
    assert len(eng.extract(_chunk(), _film_ontology(), _kg())) == 4 and llm_server.calls == 2  # the new one


def test_a_key_the_server_echoes_in_a_reply_is_never_kept(llm_server, tmp_path):
    key = "sk-secret-given-0123456789"
    echoed = dict(ALIEN_FILM, subject_text="Alien", sentence=f"Alien (auth {key})")
    llm_server.script(Reply(content=json.dumps({"triples": [echoed]}) + f"\nAuthorization: Bearer {key}"))
    eng = engine_for(llm_server, tmp_path, api_key=key, use_cache=True)
    eng.extract(_chunk(), _film_ontology(), _kg())
    assert llm_server.headers[0]["authorization"] == f"Bearer {key}"  # it was sent, to its own server
    [rec] = eng.replies()
    assert key not in rec.content and key not in json.dumps(rec.to_dict())
    blob = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert blob and key.encode() not in blob


def test_hydra_model_no_cache_always_asks_the_model(llm_server, tmp_path, hydra_ext, run_cell, monkeypatch):
    monkeypatch.setenv("HYDRA_MAGIC_CACHE_DIR", str(tmp_path / "cache"))
    llm_server.default = Reply(json_content=GOOD)
    s = hydra_ext.session
    s.add_ontology_turtle(FILM_TTL)
    s.configure("engine_options", {"api_base": llm_server.url, "api_key": "x"})
    s.configure("max_epochs", 1)  # one request per extraction: the counts below are about the cache
    run_cell("%hydra model openai/x --no-cache")
    assert s.config.model == "openai/x" and s.config.engine_options["use_cache"] is False
    s.extract(TEXT, source="a")
    s.extract(TEXT, source="b")
    assert llm_server.calls == 2
    run_cell("%hydra model openai/x")  # a plain name: the cache is back
    assert "use_cache" not in s.config.engine_options
    s.extract(TEXT, source="c")
    s.extract(TEXT, source="d")
    assert llm_server.calls == 3


def test_structured_is_the_public_call_with_the_callers_own_messages(llm_server, tmp_path):
    from hydra_magic.engines.llm_schemas import CQsOut

    llm_server.script(Reply(content="no JSON here"), Reply(json_content={"questions": ["Who directed Alien?"]}))
    eng = engine_for(llm_server, tmp_path)
    msgs = [{"role": "system", "content": "Write questions."}, {"role": "user", "content": "Domain: film"}]
    out = eng.structured("cqs", msgs, CQsOut, label="my questions", repair=True)
    assert isinstance(out, CQsOut) and out.questions == ["Who directed Alien?"]
    assert llm_server.requests[0]["messages"] == msgs  # sent as given
    assert "could not be used" in last_user(llm_server.requests[1])  # the parse repair is the engine's
    assert [r.kind for r in eng.replies(step="cqs")] == ["repair", "parse-repair"] and eng.usage.repairs == 2
    with pytest.raises(EngineError, match=r"Unknown step 'personas'.*Steps are: committee"):
        eng.structured("personas", msgs, CQsOut, label="x")
    assert llm_server.calls == 2
