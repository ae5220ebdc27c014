"""Pieces of the model engine that need no server: JSON recovery, redaction, the cache, lazy import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hydra_magic.cache import ResponseCache, request_key
from hydra_magic.engines.llm import LLMEngine, Usage, redact
from hydra_magic.engines.llm_json import parse_reply, repair_truncated
from hydra_magic.engines.llm_schemas import CQsOut, ExtractionOut, OntologyOut
from hydra_magic.errors import EngineError

T1 = {"subject": "alien", "predicate": "isA", "object": "Film"}
T2 = {"subject": "alien", "predicate": "releaseYear", "object": 1979}


@pytest.mark.parametrize("text", [
    json.dumps({"triples": [T1, T2]}),
    "```json\n" + json.dumps({"triples": [T1, T2]}) + "\n```",
    "Here you go:\n```\n" + json.dumps({"triples": [T1, T2]}) + "\n```\nAnything else?",
    "Sure. " + json.dumps({"triples": [T1, T2]}) + " Hope this helps {really}.",
    json.dumps([T1, T2]),  # a bare list for the only list field
    json.dumps({"triples": [{"s": "alien", "p": "isA", "o": "Film"}, T2]}),  # common short field names
])
def test_json_is_found_wherever_the_model_put_it(text):
    parsed = parse_reply(text, ExtractionOut)
    assert parsed.ok, parsed.issues
    assert [(t.subject, t.predicate, t.object) for t in parsed.value.triples] == [
        ("alien", "isA", "Film"), ("alien", "releaseYear", "1979")]


def test_truncated_array_keeps_complete_items_only():
    full = json.dumps({"triples": [T1, T2, {"subject": "ridley_scott", "predicate": "isA", "object": "Person"}]})
    for cut in range(len(json.dumps({"triples": [T1]})), len(full) - 2):
        parsed = parse_reply(full[:cut], ExtractionOut)
        assert parsed.value is not None and parsed.truncated
        assert len(parsed.value.triples) in (1, 2)  # never a half item
        assert parsed.issues[0].code == "parse_error" and "cut off" in parsed.issues[0].message


def test_bad_items_are_dropped_one_by_one():
    parsed = parse_reply(json.dumps({"triples": [T1, {"subject": "x"}, T2]}), ExtractionOut)
    assert len(parsed.value.triples) == 2 and parsed.dropped == 1
    [issue] = parsed.issues
    assert issue.code == "parse_error" and issue.path == "reply.triples[1]" and "predicate" in issue.message


@pytest.mark.parametrize("text,fragment", [
    ("", "empty"), ("no json here", "no JSON"), ('{"facts": []}', "none of the expected fields"),
    ('{"trip', "not valid JSON"), ("42", "Expected a JSON object"),
])
def test_unusable_replies_become_parse_error_issues(text, fragment):
    parsed = parse_reply(text, ExtractionOut)
    assert parsed.value is None and parsed.issues[0].code == "parse_error" and fragment in parsed.issues[0].message


def test_schemas_accept_common_variants():
    onto = parse_reply(json.dumps({"classes": [{"name": "Film", "superclass": "Work"}],
                                   "properties": [{"name": "runtime", "kind": "DatatypeProperty",
                                                   "domain": "Film", "range": "integer"}]}), OntologyOut).value
    assert onto.classes[0].parent == "Work"
    assert onto.properties[0].kind == "data" and onto.properties[0].domain == ["Film"]
    assert parse_reply('["A?", "B?"]', CQsOut).value.questions == ["A?", "B?"]
    assert repair_truncated('{"questions": ["A?", "B') == {"questions": ["A?"]}


def test_redaction(monkeypatch):
    monkeypatch.setenv("MY_SERVICE_API_KEY", "verysecretvalue123")
    text = ("key sk-abcdefghijklmnop and verysecretvalue123, Authorization: Bearer abcdefgh12345678, "
            "http://user:pass@host/v1 and mine-123456")
    out = redact(text, ["mine-123456"])
    for secret in ("sk-abcdefghijklmnop", "verysecretvalue123", "abcdefgh12345678", "user:pass", "mine-123456"):
        assert secret not in out
    assert "http://***@host/v1" in out


def test_engine_repr_and_settings_never_show_the_key(tmp_path):
    eng = LLMEngine("openai/x", api_key="sk-hidden-key-1234567", cache_dir=str(tmp_path),
                    step_models={"ontology": {"model": "openai/y", "api_key": "sk-other-key-7654321"}})
    blob = repr(eng) + str(vars(eng)) + repr(eng.derive(model="openai/z")) + repr(eng._target("ontology"))
    assert "hidden-key" not in blob and "other-key" not in blob
    import pickle

    assert b"hidden-key" not in pickle.dumps(eng._api_key)


def test_engine_arguments_are_checked(tmp_path):
    with pytest.raises(EngineError, match="empty"):
        LLMEngine(" ")
    with pytest.raises(EngineError, match="Unknown step"):
        LLMEngine("openai/x", step_models={"extraction": "openai/y"})
    with pytest.raises(EngineError, match=r"requests_per_minute='60': give a positive whole number"):
        LLMEngine("openai/x", requests_per_minute="60")
    with pytest.raises(EngineError, match=r"concurrency=0"):
        LLMEngine("openai/x").derive(concurrency=0)


def test_cache_keys_and_storage(tmp_path):
    msgs = [{"role": "user", "content": "hi"}]
    k = request_key("openai/x", msgs, {"temperature": 0, "api_key": "a"})
    assert k == request_key("openai/x", msgs, {"temperature": 0, "api_key": "b"})  # keys are not key material
    assert k != request_key("openai/x", msgs, {"temperature": 0.7})
    assert k != request_key("openai/y", msgs, {"temperature": 0})
    assert k != request_key("openai/x", msgs, {"temperature": 0, "max_tokens": 10})
    cache = ResponseCache(tmp_path / "c")
    assert cache.get(k) is None and not (tmp_path / "c").exists()  # nothing created by a lookup
    cache.put(k, "openai/x", {"content": "hello", "prompt_tokens": 3})
    assert ResponseCache(tmp_path / "c").get(k) == {"content": "hello", "prompt_tokens": 3}
    assert len(cache) == 1 and cache.clear() == 1 and cache.get(k) is None
    off = ResponseCache(tmp_path / "d", enabled=False)
    off.put(k, "m", {"content": "x"})
    assert off.get(k) is None and not (tmp_path / "d").exists()


def test_usage_text():
    u = Usage(calls=3, cache_hits=1, prompt_tokens=1200, completion_tokens=300, cost_usd=0.0012, unpriced_calls=1)
    assert "3 calls, 1 cache hits, 1,200 prompt + 300 completion tokens, $0.0012 (+1 calls of unknown price)" \
        in u.to_text()


def test_litellm_is_not_imported_until_a_model_engine_is_used():
    code = ("import sys, hydra_magic, hydra_magic.engines, hydra_magic.engines.llm, hydra_magic.generate;"
            "from hydra_magic.engines.llm import LLMEngine; LLMEngine('openai/x');"
            "print('litellm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_provider_keys_go_only_to_the_providers_own_endpoint(tmp_path, monkeypatch):
    """A custom api_base gets api_key, else $HYDRA_API_KEY, else a placeholder; the provider's host gets litellm's."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-0123456789abcdef")
    monkeypatch.delenv("HYDRA_API_KEY", raising=False)

    def key(model: str, base: str | None, **kw) -> str | None:
        eng = LLMEngine(model, api_base=base, cache_dir=str(tmp_path), **kw)
        return eng._key_for(eng._target("extract"))

    assert key("openai/x", "http://127.0.0.1:8080/v1") == "EMPTY"
    assert key("openai/x", "https://api.openai.com.evil.example/v1") == "EMPTY"
    assert key("azure/x", "https://evil.example/.openai.azure.com") == "EMPTY"
    assert key("openai/gpt-4o", "https://api.openai.com/v1") is None  # litellm reads OPENAI_API_KEY there
    assert key("azure/dep", "https://mine.openai.azure.com") is None
    assert key("openai/gpt-4o", None) is None
    assert key("openai/x", "http://127.0.0.1:8080/v1", api_key="given-1234567") == "given-1234567"
    monkeypatch.setenv("HYDRA_API_KEY", "hydra-1234567")
    assert key("openai/x", "http://127.0.0.1:8080/v1") == "hydra-1234567"
    assert key("openai/gpt-4o", None) is None  # HYDRA_API_KEY is for custom endpoints only


def test_what_counts_as_a_local_free_model():
    from hydra_magic.engines.llm_providers import is_local

    assert is_local("openai/x", "http://127.0.0.1:8080/v1") and is_local("openai/x", "http://localhost:1234/v1")
    assert is_local("openai/x", "http://192.168.1.20:8000/v1") and is_local("openai/x", "http://[::1]:8000/v1")
    assert is_local("openai/x", "http://gpu-box.local:8000/v1")
    assert is_local("ollama_chat/llama3.1", None) and is_local("lm_studio/m", None)
    assert not is_local("openai/gpt-4o-mini", None) and not is_local("openai/x", "https://api.example.com/v1")
    assert not is_local("openai/x", "http://8.8.8.8/v1")


def test_ollama_context_is_sized_to_the_prompt_within_the_window():
    from hydra_magic.engines.llm_providers import ollama_num_ctx

    assert ollama_num_ctx(100, 512, 8192) == (2048, True)  # never below 2,048
    assert ollama_num_ctx(3000, 1024, 8192) == (4096, True)  # 4,024 rounded up to a multiple of 1,024
    assert ollama_num_ctx(3100, 1024, 8192) == (5120, True)
    assert ollama_num_ctx(9000, 1024, 8192) == (8192, False)  # cannot fit: the window, and say so
    assert ollama_num_ctx(9000, 1024, None) == (8192, False)  # unknown model: Ollama-sized default


def test_anthropic_api_base_loses_a_trailing_v1_others_keep_it():
    from hydra_magic.engines.llm_providers import request_base, request_model

    assert request_base("anthropic/claude-haiku-4-5", "http://127.0.0.1:9/v1/") == "http://127.0.0.1:9"
    assert request_base("openai/x", "http://127.0.0.1:9/v1") == "http://127.0.0.1:9/v1"
    assert request_model("ollama/llama3.1") == "ollama_chat/llama3.1"
    assert request_model("ollama_chat/llama3.1") == "ollama_chat/llama3.1"
    assert request_model("openai/x") == "openai/x"


def test_retry_policy_values_are_checked():
    from hydra_magic.outcomes import RetryPolicy

    for bad in ({"max_attempts": 0}, {"max_feedback": 0}, {"budget": -1}, {"max_retry_after": "60"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            RetryPolicy(**bad)
