"""Provider profiles, each tested by the exact request it sends to a recording loopback server (issue 10).

OpenAI, Anthropic, Ollama and the OpenAI-compatible servers (vLLM, llama.cpp,
LM Studio) are all pointed at ``hydra_magic/testing/llm_server.py`` on 127.0.0.1 through
``api_base``; the server answers in each provider's dialect and records the
path, headers and body. Nothing reaches the network. Each test runs one whole
extraction, so the reply is read back through the provider's format as well.
"""

from __future__ import annotations

import warnings

import pytest

from hydra_magic.engines import llm_providers
from hydra_magic.engines.llm import LLMEngine, ModelNameError, PromptTooLongWarning
from hydra_magic.engines.llm_schemas import ExtractionOut

from .llm_server import Reply, llm_server  # noqa: F401
from .test_llm_engine import FAST, GOOD, TEXT, session_for, triples

EXPECTED = {("alien", "isA", "Film"), ("ridley_scott", "isA", "Person"), ("alien", "directedBy", "ridley_scott"),
            ("alien", "releaseYear", "1979")}
SCHEMA = ExtractionOut.model_json_schema()
#: Headers every client sends whatever the provider; the rest is the profile's.
_TRANSPORT = {"host", "content-length", "accept-encoding", "connection", "user-agent", "accept", "content-type"}


@pytest.fixture(autouse=True)
def no_environment_keys(monkeypatch):
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "HYDRA_API_KEY", "OLLAMA_API_KEY"):
        monkeypatch.delenv(var, raising=False)


def run(model: str, api_base: str, tmp_path, **kw):
    """One extraction of TEXT with ``model``; the accepted triples and the one recorded request."""
    eng = LLMEngine(model, api_base=api_base, cache_dir=str(tmp_path / "cache"), use_cache=False, retry=FAST, **kw)
    res = session_for(tmp_path, eng).extract(TEXT)
    return eng, res


def profile_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers a provider profile chose (the SDKs' own x-stainless-* telemetry left out)."""
    return {k: v for k, v in headers.items() if k not in _TRANSPORT and not k.startswith("x-stainless")}


def test_openai_on_its_own_endpoint_gets_its_environment_key_and_a_json_schema(llm_server, tmp_path, monkeypatch):
    # The loopback server stands in for api.openai.com: there, and only there, OPENAI_API_KEY goes.
    monkeypatch.setattr(llm_providers, "PROVIDER_HOSTS", {"openai": ("127.0.0.1",)})
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-openai-123456")
    llm_server.default = Reply(json_content=GOOD)
    eng, res = run("openai/gpt-4o-mini", llm_server.url, tmp_path)
    assert triples(res) == EXPECTED
    [path], [headers], [body] = llm_server.paths, llm_server.headers, llm_server.requests
    assert path == "/v1/chat/completions"
    assert profile_headers(headers) == {"authorization": "Bearer sk-env-openai-123456"}
    assert body == {"model": "gpt-4o-mini", "temperature": 0.0, "max_tokens": 512,
                    "messages": eng.extraction_messages(_chunk(), *_onto_kg(tmp_path)),
                    "response_format": {"type": "json_schema", "json_schema": {"name": "ExtractionOut",
                                                                               "schema": SCHEMA, "strict": False}}}
    assert eng.usage.cost_usd > 0  # a priced model: litellm's local price list


@pytest.mark.parametrize("model", ["openai/local-model", "hosted_vllm/local-model", "lm_studio/local-model"])
def test_openai_compatible_servers_get_only_the_key_given_for_them(llm_server, tmp_path, monkeypatch, model):
    """vLLM, llama.cpp, LM Studio through api_base: OPENAI_API_KEY never leaves for a custom server."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-openai-123456")
    llm_server.default = Reply(json_content=GOOD)
    eng, res = run(model, llm_server.url, tmp_path)
    assert triples(res) == EXPECTED
    [path], [headers], [body] = llm_server.paths, llm_server.headers, llm_server.requests
    assert path == "/v1/chat/completions"
    assert profile_headers(headers) == {"authorization": "Bearer EMPTY"}  # a placeholder, not the env key
    assert body["model"] == "local-model" and body["max_tokens"] == 512 and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert set(body) == {"model", "messages", "temperature", "max_tokens", "response_format"}
    assert eng.usage.cost_usd == 0 and eng.usage.unpriced_calls == 0  # served here: free, not "unknown"
    monkeypatch.setenv("HYDRA_API_KEY", "hydra-key-7654321")
    llm_server.reset()
    llm_server.default = Reply(json_content=GOOD)
    run(model, llm_server.url, tmp_path / "again")
    assert llm_server.headers[0]["authorization"] == "Bearer hydra-key-7654321"


def test_anthropic_gets_its_headers_a_schema_and_max_tokens_within_the_models_limit(llm_server, tmp_path):
    llm_server.default = Reply(json_content=GOOD)
    # api_base as users copy it ('…/v1'): litellm appends /v1/messages itself.
    eng, res = run("anthropic/claude-haiku-4-5", llm_server.url, tmp_path, api_key="sk-ant-given-123456",
                   max_tokens={"extract": 100_000})
    assert triples(res) == EXPECTED
    [path], [headers], [body] = llm_server.paths, llm_server.headers, llm_server.requests
    assert path == "/v1/messages"
    assert profile_headers(headers) == {"x-api-key": "sk-ant-given-123456", "anthropic-version": "2023-06-01",
                                        "anthropic-beta": "structured-outputs-2025-11-13"}
    # 100,000 asked, 64,000 sent: claude-haiku-4-5's output limit in litellm's model map.
    assert body["max_tokens"] == 64_000 and body["model"] == "claude-haiku-4-5" and body["temperature"] == 0
    assert body["output_format"]["type"] == "json_schema"
    assert body["output_format"]["schema"]["properties"].keys() == SCHEMA["properties"].keys()
    msgs = eng.extraction_messages(_chunk(), *_onto_kg(tmp_path))
    assert body["system"] == [{"type": "text", "text": msgs[0]["content"]}]
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert body["messages"][0]["content"] == [{"type": "text", "text": msgs[1]["content"]}]
    assert set(body) == {"model", "messages", "system", "temperature", "max_tokens", "output_format"}
    assert eng.usage.cost_usd > 0


def test_a_retired_anthropic_name_fails_at_once_naming_current_ones(llm_server, tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env-123456")
    eng = LLMEngine("anthropic/claude-3-5-haiku-latest", cache_dir=str(tmp_path), use_cache=False, retry=FAST)
    s = session_for(tmp_path, eng)
    with pytest.raises(ModelNameError) as info:
        s.extract(TEXT)
    msg = str(info.value)
    assert "claude-3-5-haiku-latest" in msg and "anthropic/claude-haiku-4-5" in msg
    assert "ollama_chat/" in msg and "api_base" in msg  # the other ways to name a model
    assert llm_server.calls == 0 and len(s.kg) == 0


@pytest.mark.parametrize("model", ["ollama_chat/llama3.1", "ollama/llama3.1"])
def test_ollama_goes_to_api_chat_with_num_ctx_sized_to_the_prompt(llm_server, tmp_path, model):
    llm_server.default = Reply(json_content=GOOD)
    base = llm_server.url.removesuffix("/v1")
    eng, res = run(model, base, tmp_path)
    assert triples(res) == EXPECTED
    [path], [headers], [body] = llm_server.paths, llm_server.headers, llm_server.requests
    assert path == "/api/chat"
    assert profile_headers(headers) == {}  # no key, not even a placeholder
    assert body["model"] == "llama3.1" and body["stream"] is False
    assert body["format"]["properties"].keys() == SCHEMA["properties"].keys()  # the schema, in Ollama's field
    assert body["options"] == {"temperature": 0, "num_predict": 512, "num_ctx": 2048}
    msgs = eng.extraction_messages(_chunk(), *_onto_kg(tmp_path))
    assert [(m["role"], m["content"]) for m in body["messages"]] == [(m["role"], m["content"]) for m in msgs]
    assert set(body) == {"model", "messages", "options", "stream", "format"}
    assert eng.usage.cost_usd == 0 and eng.usage.unpriced_calls == 0


def test_ollama_context_grows_with_the_prompt_and_warns_when_it_cannot_fit(llm_server, tmp_path):
    from hydra_magic.candidates import TextChunk

    llm_server.default = Reply(json_content={"triples": []})
    base = llm_server.url.removesuffix("/v1")
    eng = LLMEngine("ollama_chat/llama3.1", api_base=base, cache_dir=str(tmp_path), use_cache=False, retry=FAST)
    onto, kg = _onto_kg(tmp_path)
    medium = TextChunk("Alien was directed by Ridley Scott. " * 300, 0, 0, "m")  # ~10,800 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error", PromptTooLongWarning)
        eng.extract(medium, onto, kg)
    ctx = llm_server.requests[-1]["options"]["num_ctx"]
    assert 4096 <= ctx <= 8192 and ctx % 1024 == 0  # prompt + 4,096 reply tokens, in llama3.1's 8,192 window
    long = TextChunk("Alien was directed by Ridley Scott. " * 1500, 0, 0, "l")  # ~54,000 characters
    with pytest.warns(PromptTooLongWarning, match="Ollama cuts it"):
        eng.extract(long, onto, kg)
    assert llm_server.requests[-1]["options"]["num_ctx"] == 8192  # the window, not more
    [rec] = eng.replies(source="l")
    assert any("Ollama cuts it" in i.message for i in rec.issues)  # the reply says so too


def test_current_models_leave_out_the_deprecated_ones():
    from hydra_magic.engines.llm import _litellm

    lt = _litellm()
    names = llm_providers.current_models(lt, "anthropic", today=1_800_000_000)  # 2027-01-15
    assert "claude-haiku-4-5" in names
    assert "claude-sonnet-4-5" not in names  # deprecated 2026-11-30 in litellm's map
    assert not any(n.endswith("-latest") and "3-5" in n for n in names)


# ------------------------------------------------------------------ helpers
def _chunk():
    from hydra_magic.candidates import TextChunk

    return TextChunk(TEXT, 0, 0, "")


def _onto_kg(tmp_path):
    from hydra_magic.kg import KnowledgeGraph
    from hydra_magic.session import Session, SessionConfig

    from .llm_server import FILM_TTL

    s = Session("p", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(FILM_TTL)
    return s.ontology, KnowledgeGraph(s.ontology.base)
