"""The litellm engine: any model litellm can reach, behind the Engine protocol.

litellm is imported on the first request, never at import time of this module,
and with ``LITELLM_LOCAL_MODEL_COST_MAP=True`` so that it does not fetch a price
list from the internet.

Three loops, all bounded by the one :class:`~hydra_magic.outcomes.RetryPolicy`:

* transport: 429, 5xx, timeouts and refused connections are retried with
  exponential back-off and jitter (``max_attempts`` requests in all); the SDK's
  own retries are off (``max_retries=0``) so counts are exact;
* parse repair: a reply that is not usable JSON is answered with the parse error
  and asked again (``max_attempts`` replies in all), then reported as a
  ``parse_error`` issue (:class:`ModelReplyError`);
* contract repair: run by :mod:`hydra_magic.pipeline`, which passes the rejected
  candidates with their issues as ``feedback``; the engine asks for those only.

Every request has a wall-clock deadline (the engine's ``timeout``): a server that
sends its reply one byte at a time cannot hold a call longer than that.

Structured output is negotiated per (api_base, model), in the order of
:data:`SHAPES`: a JSON-schema ``response_format``, then ``json_object`` with a
``schema`` (llama.cpp, LM Studio), then plain ``json_object``, then the prompt
alone with robust parsing. A request the server rejects for its
``response_format`` (any status, as long as the error names it) is not retried:
the next shape is sent at once, and the shape that worked is remembered by the
engine instance (not persisted). While a target is being negotiated, concurrent
requests to it wait, so a rejected shape is never sent twice.

Every request carries ``max_tokens`` (:data:`DEFAULT_MAX_TOKENS` per step, the
``max_tokens`` option to change it): a small model that never stops gives a
cut-off reply, whose complete items are kept, instead of running into the deadline.

Keys go only where they belong: a custom ``api_base`` receives the key given for
it (``api_key``, or the ``HYDRA_API_KEY`` environment variable) or a placeholder,
never a provider's environment key such as ``OPENAI_API_KEY``.

Every reply is kept in :attr:`LLMEngine.raw_replies`; tokens, calls, cache hits and
cost are in :attr:`LLMEngine.usage` (cumulative) and :attr:`LLMEngine.batches`.
Only replies that parsed are cached. API keys never appear in a repr, an error
message, a reply record or the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
import re
import threading
import time
import weakref
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Generator, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from pydantic import BaseModel

from ..cache import ResponseCache, is_secret_param, request_key
from ..candidates import ClassCandidate, OntologyProposal, PropertyCandidate, TextChunk, TripleCandidate
from ..contracts.grounding import find_span
from ..errors import EngineError
from ..issues import Issue
from ..outcomes import RetryPolicy
from . import llm_prompts as prompts
from .llm_context import EntityRegistry, render_entities, render_ontology, select_slice
from .llm_json import parse_reply
from .llm_schemas import (CommitteeOut, CQsOut, DedupeOut, ExtractionOut, OntologyOut, ScopeOut, SparqlOut,
                          WeaveOpOut, WeaveOut, response_format_for)

if TYPE_CHECKING:
    from ..cq import CompetencyQuestion
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology

__all__ = ["LLMEngine", "Usage", "ReplyRecord", "ModelReplyError", "redact", "STEPS", "SHAPES",
           "DEFAULT_MAX_TOKENS", "MIN_EXTRACT_TOKENS", "KEY_VARIABLE"]

#: Step names a model can be set for (``step_models={"ontology": "openai/gpt-4o"}``).
STEPS = ("committee", "scope", "merge_scope", "cqs", "dedupe", "ontology", "weave", "extract", "sparql")

#: Structured-output shapes, in the order they are tried on an OpenAI-compatible server.
SHAPES = ("json_schema", "json_object+schema", "json_object", "none")

#: ``max_tokens`` sent for each step unless the ``max_tokens`` option says otherwise. For ``extract``
#: it is a ceiling: a chunk gets as many tokens as it has characters (about four times its own
#: tokens), at least :data:`MIN_EXTRACT_TOKENS`.
DEFAULT_MAX_TOKENS: Mapping[str, int] = {"committee": 2048, "scope": 2048, "merge_scope": 2048, "cqs": 2048,
                                         "dedupe": 1024, "ontology": 4096, "weave": 4096, "extract": 4096,
                                         "sparql": 1024}
MIN_EXTRACT_TOKENS = 512

#: The environment variable whose key is sent to a custom ``api_base`` (when no ``api_key`` is given).
KEY_VARIABLE = "HYDRA_API_KEY"

_PLACEHOLDER_KEY = "EMPTY"  # OpenAI-compatible servers (vLLM, llama.cpp) want some key string

#: A provider's own endpoints (a leading dot: any host under that domain): there, and only there,
#: litellm may use the provider's environment key. Any other ``api_base`` is a custom endpoint.
_PROVIDER_HOSTS: Mapping[str, tuple[str, ...]] = {
    "openai": ("api.openai.com",), "anthropic": ("api.anthropic.com",), "groq": ("api.groq.com",),
    "mistral": ("api.mistral.ai",), "together_ai": ("api.together.xyz",), "deepseek": ("api.deepseek.com",),
    "openrouter": ("openrouter.ai",), "fireworks_ai": ("api.fireworks.ai",), "xai": ("api.x.ai",),
    "cohere": ("api.cohere.com", "api.cohere.ai"), "gemini": ("generativelanguage.googleapis.com",),
    "azure": (".openai.azure.com", ".cognitiveservices.azure.com"),
    "azure_ai": (".services.ai.azure.com", ".inference.ai.azure.com", ".models.ai.azure.com"),
    "databricks": (".cloud.databricks.com", ".azuredatabricks.net"),
}


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm  # heavy (3-4 s): only here

    litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banners printed on errors
    return litellm


# ------------------------------------------------------------------ secrets
def _hide_key(spec: Mapping[str, Any]) -> dict[str, Any]:
    d = dict(spec)
    if isinstance(d.get("api_key"), str):
        d["api_key"] = _Secret(d["api_key"])
    return d


class _Secret:
    """A credential that never shows itself (repr, str, vars, logs)."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None) -> None:
        self._value = value or None

    def get(self) -> str | None:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "'***'" if self._value else "None"

    __str__ = __repr__

    def __deepcopy__(self, memo: dict[int, Any]) -> "_Secret":
        return self

    def __reduce__(self) -> Any:  # never pickled with its value
        return (_Secret, (None,))


_SECRET_ENV = re.compile(r"(API_KEY|_KEY|_TOKEN|_SECRET|_PASSWORD)$")
_PATTERNS = [
    (re.compile(r"\b(sk|pk|rk|sess|gsk|xai|hf)[-_][A-Za-z0-9_\-]{6,}"), r"\1-***"),
    (re.compile(r"(?i)\b(bearer|api[_-]?key|x-api-key|authorization)([\"']?\s*[:=]?\s*[\"']?)[A-Za-z0-9_\-\.]{8,}"),
     r"\1\2***"),
    (re.compile(r"(://)[^/\s:@]+:[^/\s@]+@"), r"\1***@"),
]


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with credentials replaced by ``***``: the given ones, those in the environment, key-like tokens."""
    values = [s for s in secrets if s and len(s) >= 4]
    values += [v for k, v in os.environ.items() if _SECRET_ENV.search(k) and v and len(v) >= 8]
    for v in sorted(set(values), key=len, reverse=True):
        text = text.replace(v, "***")
    for pat, rep in _PATTERNS:
        text = pat.sub(rep, text)
    return text


# -------------------------------------------------------------------- records
@dataclass
class Usage:
    """Requests, tokens and cost, for one batch or cumulatively."""

    calls: int = 0  # requests sent to a model (failed ones included)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0  # successful calls whose price litellm does not know
    errors: int = 0
    retries: int = 0  # transport retries (rate limit, server error, timeout, connection)
    repairs: int = 0  # requests that asked to fix a previous reply (contracts or parsing)
    seconds: float = 0.0  # time spent waiting for models

    def add(self, rec: "ReplyRecord") -> None:
        if rec.cached:
            self.cache_hits += 1
            return
        self.calls += 1
        self.seconds += rec.seconds
        if rec.error:
            self.errors += 1
            return
        self.prompt_tokens += rec.prompt_tokens
        self.completion_tokens += rec.completion_tokens
        if rec.cost is None:
            self.unpriced_calls += 1
        else:
            self.cost_usd += rec.cost

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"total_tokens": self.total_tokens}

    def to_text(self) -> str:
        cost = f"${self.cost_usd:.4f}" + (f" (+{self.unpriced_calls} calls of unknown price)"
                                          if self.unpriced_calls else "")
        if self.calls and self.unpriced_calls == self.calls - self.errors:
            cost = "cost unknown (model not in litellm's price list)"
        return (f"{self.calls} calls, {self.cache_hits} cache hits, {self.prompt_tokens:,} prompt + "
                f"{self.completion_tokens:,} completion tokens, {cost}, {self.retries} retries, "
                f"{self.repairs} repairs, {self.errors} errors, {self.seconds:.1f}s waiting")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        import html

        return {"text/plain": self.to_text(), "text/html": f"<code>{html.escape(self.to_text())}</code>"}

    def __str__(self) -> str:
        return self.to_text()


@dataclass
class ReplyRecord:
    """One model reply (or failed request), as the extraction view shows it."""

    step: str
    label: str
    model: str
    kind: str = "first"  # first | repair | parse-repair
    attempt: int = 1  # request number for this label since its last "first" request
    response_format: str = ""  # the structured-output shape sent (one of SHAPES); "" for a cache hit
    content: str = ""
    error: str = ""
    cached: bool = False
    finish_reason: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    seconds: float = 0.0
    issues: list[Issue] = field(default_factory=list)
    chunk: int | None = None
    source: str | None = None
    time: float = field(default_factory=time.time)
    cache_key: str = field(default="", repr=False, compare=False)  # where the reply is stored once it parsed

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("cache_key", None)
        d["issues"] = [i.to_dict() for i in self.issues]
        return d


class ModelReplyError(EngineError):
    """The model's replies could not be used (``parse_error``), after the bounded repair attempts."""

    def __init__(self, message: str, issues: Sequence[Issue] = (), raw: str = "") -> None:
        super().__init__(message)
        self.issues = list(issues)
        self.raw = raw


# ---------------------------------------------------------------------- engine
@dataclass(frozen=True)
class _Target:
    model: str
    api_base: str | None
    api_key: _Secret
    extra: tuple[tuple[str, Any], ...] = ()


class LLMEngine:
    """Any litellm model behind the Engine protocol (``propose_ontology``, ``extract``, …).

    Parameters
    ----------
    model
        A litellm model string: ``openai/gpt-4o-mini``, ``anthropic/claude-3-5-sonnet-latest``,
        ``ollama/llama3``, ``hosted_vllm/…``, or ``openai/<name>`` with an OpenAI-compatible ``api_base``.
    api_base, api_key
        Endpoint and key; by default litellm's (the provider's URL, the key from the environment,
        e.g. ``OPENAI_API_KEY``). A custom ``api_base`` gets ``api_key``, else ``$HYDRA_API_KEY``, else a
        placeholder, never a provider's environment key. The key is never shown or stored.
    temperature, timeout
        Sampling temperature; the wall-clock deadline of one request in seconds (the whole reply must
        have arrived by then, however the server sends it).
    concurrency
        How many chunks of a long text are extracted at the same time.
    cache_dir, use_cache
        Where identical requests are answered from (see :mod:`hydra_magic.cache`); ``use_cache=False``
        always asks the model.
    step_models
        Per-step model: ``{"ontology": "openai/gpt-4o", "extract": {"model": "ollama/llama3",
        "api_base": "http://localhost:11434"}}``; steps are in :data:`STEPS`.
    retry
        Transport and parse-repair policy; by default the pipeline's (``Session.config.retry``
        is passed in by the pipeline for extraction).
    structured_output
        ``"auto"`` (negotiated in the order of :data:`SHAPES` on an ``api_base``; JSON schema where
        litellm knows the provider supports it, else the prompt alone), one of :data:`SHAPES` to start
        the negotiation there, or ``"none"`` (prompt and robust parsing only).
    max_tokens
        The most tokens a reply may have: one number for every step, or ``{"extract": 1024}`` for some
        steps (the others keep :data:`DEFAULT_MAX_TOKENS`; by default a chunk's extraction gets as many
        tokens as the chunk has characters, 512 to 4096). Always sent.
    **litellm_kwargs
        Passed to ``litellm.completion`` (e.g. ``seed``, ``api_version``).
    """

    def __init__(self, model: str, api_base: str | None = None, api_key: str | None = None, *,
                 temperature: float = 0.0, timeout: float = 60.0, concurrency: int = 16,
                 cache_dir: str | os.PathLike[str] | None = None, use_cache: bool = True,
                 step_models: Mapping[str, str | Mapping[str, Any]] | None = None,
                 retry: RetryPolicy | None = None, structured_output: str = "auto",
                 max_tokens: int | Mapping[str, int] | None = None,
                 max_entities: int = 40, max_properties: int = 40, max_classes: int = 60,
                 keep_replies: int = 5000, **litellm_kwargs: Any) -> None:
        if not model or not str(model).strip():
            raise EngineError("The model name is empty. Give a litellm model such as 'openai/gpt-4o-mini'.")
        _check_shape(structured_output)
        unknown = set(step_models or {}) - set(STEPS)
        if unknown:
            raise EngineError(f"Unknown step(s) in step_models: {', '.join(sorted(unknown))}. "
                              f"Steps are: {', '.join(STEPS)}.")
        self.model = str(model).strip()
        self.api_base = api_base.rstrip("/") if api_base else None
        self._api_key = _Secret(api_key)
        self.temperature = temperature
        self.timeout = float(timeout)
        self.concurrency = max(1, int(concurrency))
        self.retry = retry or RetryPolicy()
        self.structured_output = structured_output
        self.max_tokens = _max_tokens(max_tokens)
        self.max_entities, self.max_properties, self.max_classes = max_entities, max_properties, max_classes
        self.step_models: dict[str, str | dict[str, Any]] = {
            k: (_hide_key(v) if isinstance(v, Mapping) else str(v)) for k, v in (step_models or {}).items()}
        self._secrets = [s for s in [self._api_key] + [v.get("api_key") for v in self.step_models.values()
                                                       if isinstance(v, dict)] if isinstance(s, _Secret) and s]
        self.litellm_kwargs = {k: (_Secret(v) if is_secret_param(k) and isinstance(v, str) else v)
                               for k, v in litellm_kwargs.items()}
        self._secrets += [v for v in self.litellm_kwargs.values() if isinstance(v, _Secret)]
        self.cache = ResponseCache(cache_dir, enabled=use_cache)
        self.usage = Usage()
        self.batches: list[tuple[str, Usage]] = []
        self.raw_replies: deque[ReplyRecord] = deque(maxlen=keep_replies)
        self._open_batches: list[Usage] = []
        self._lock = threading.Lock()
        self._checked: set[tuple[str, str | None]] = set()  # targets whose key was checked
        # Structured-output negotiation, per (api_base, model): the shape to send, whether it worked,
        # and a lock held by the one request that is negotiating (threads and event loops alike).
        self._shapes: dict[tuple[str | None, str], str] = {}
        self._shape_ok: set[tuple[str | None, str]] = set()
        self._probing: dict[tuple[str | None, str], threading.Lock] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        self._registries: "weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], EntityRegistry]]" = \
            weakref.WeakKeyDictionary()

    # ----------------------------------------------------------------- basics
    @property
    def name(self) -> str:
        return self.model

    def _secret_values(self) -> list[str]:
        return [v for v in (s.get() for s in self._secrets) if v]

    def __repr__(self) -> str:
        where = f" at {redact(self.api_base, self._secret_values())}" if self.api_base else ""
        return f"<LLMEngine {self.model}{where}: {self.usage.to_text()}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        import html

        return {"text/plain": repr(self), "text/html": f"<code>{html.escape(repr(self))}</code>"}

    def derive(self, **overrides: Any) -> "LLMEngine":
        """A copy with other settings (``model=``, ``temperature=``, …) sharing usage, replies and cache."""
        new = copy.copy(self)
        for k, v in overrides.items():
            if k == "api_key":
                new._api_key = _Secret(v)
                new._secrets = [*self._secrets, _Secret(v)] if v else self._secrets
            elif k == "api_base":
                new.api_base = v.rstrip("/") if v else None
            elif k == "step_models":
                new.step_models = {s: (_hide_key(m) if isinstance(m, Mapping) else str(m)) for s, m in v.items()}
                new._secrets = [*self._secrets, *(m["api_key"] for m in new.step_models.values()
                                                  if isinstance(m, dict) and isinstance(m.get("api_key"), _Secret))]
            elif k == "max_tokens":
                new.max_tokens = _max_tokens(v)
            elif k == "structured_output":
                _check_shape(v)
                new.structured_output = v
                new._shapes, new._shape_ok, new._probing = {}, set(), {}  # negotiate afresh from the new start
            elif k in ("use_cache", "cache_dir"):
                new.cache = ResponseCache(v if k == "cache_dir" else self.cache.directory,
                                          enabled=v if k == "use_cache" else self.cache.enabled)
            elif hasattr(new, k) and not k.startswith("_"):
                setattr(new, k, v)
            else:
                new.litellm_kwargs = {**new.litellm_kwargs, k: v}
        new._checked = set(self._checked)
        return new  # the negotiated shapes are shared: same servers, same answers

    def replies(self, *, chunk: int | None = None, source: str | None = None,
                step: str | None = None) -> list[ReplyRecord]:
        """Raw replies kept for display, filtered (newest last)."""
        return [r for r in list(self.raw_replies)
                if (chunk is None or r.chunk == chunk) and (source is None or r.source == source)
                and (step is None or r.step == step)]

    @contextlib.contextmanager
    def batch(self, label: str) -> Iterator[Usage]:
        """Count the usage of the calls made inside the ``with`` block (also kept in :attr:`batches`)."""
        u = Usage()
        with self._lock:
            self._open_batches.append(u)
        try:
            yield u
        finally:
            with self._lock:
                self._open_batches.remove(u)
                self.batches.append((label, u))
                del self.batches[:-200]

    @property
    def last_batch(self) -> Usage | None:
        return self.batches[-1][1] if self.batches else None

    def _record(self, rec: ReplyRecord) -> None:
        with self._lock:
            self.raw_replies.append(rec)
            self.usage.add(rec)
            for u in self._open_batches:
                u.add(rec)
            if rec.kind != "first" and not rec.cached:
                self.usage.repairs += 1
                for u in self._open_batches:
                    u.repairs += 1

    def _count_retry(self) -> None:
        with self._lock:
            self.usage.retries += 1
            for u in self._open_batches:
                u.retries += 1

    # ---------------------------------------------------------------- targets
    def _target(self, step: str) -> _Target:
        spec = self.step_models.get(step)
        if spec is None:
            return _Target(self.model, self.api_base, self._api_key, tuple(sorted(self.litellm_kwargs.items())))
        if isinstance(spec, str):
            return _Target(spec, self.api_base, self._api_key, tuple(sorted(self.litellm_kwargs.items())))
        spec = dict(spec)
        model = str(spec.pop("model", self.model))
        base = spec.pop("api_base", self.api_base)
        base = base.rstrip("/") if base else None
        key = spec.pop("api_key", None)
        if isinstance(key, str):
            key = _Secret(key)
        if not key:
            # The engine's key was given for the engine's endpoint: another endpoint never gets it.
            key = self._api_key if base == self.api_base else _Secret(None)
        extra = {**self.litellm_kwargs, **spec}
        return _Target(model, base, key, tuple(sorted(extra.items())))

    def _check_target(self, t: _Target) -> None:
        """Fail early, with the variable to set, when no key can be found for a provider's own endpoint."""
        ck = (t.model, t.api_base)
        if ck in self._checked:
            return
        lt = _litellm()
        try:
            _, provider, _, _ = lt.get_llm_provider(t.model, api_base=t.api_base)
        except Exception:
            raise EngineError(
                f"Unknown model {t.model!r}: litellm cannot tell which provider serves it. Write it as "
                "provider/model, e.g. 'openai/gpt-4o-mini', 'anthropic/claude-3-5-sonnet-latest', "
                "'ollama/llama3', or 'openai/<name>' with api_base for an OpenAI-compatible server.") from None
        if not t.api_key and not _custom_base(t.model, t.api_base):
            try:
                env = lt.validate_environment(model=t.model, api_base=t.api_base)
            except Exception:
                env = {"missing_keys": []}
            missing = [k for k in env.get("missing_keys", []) if re.search(r"(_KEY|_TOKEN)$", k)]
            configured = getattr(lt, "api_key", None) or getattr(lt, f"{provider}_key", None)
            if missing and not configured:
                raise EngineError(
                    f"No API key for {t.model!r}: set {' or '.join(missing)} in the environment "
                    f"(e.g. os.environ[{missing[0]!r}] = ...) or pass api_key=... to the engine.")
        self._checked.add(ck)

    def _key_for(self, t: _Target) -> str | None:
        """The key sent to ``t``: a custom endpoint gets only a key given for it (never a provider's variable)."""
        if _custom_base(t.model, t.api_base):
            return t.api_key.get() or os.environ.get(KEY_VARIABLE) or _PLACEHOLDER_KEY
        return t.api_key.get()  # None: litellm reads the provider's own variable for the provider's endpoint

    def _key_var(self, model: str, api_base: str | None = None) -> str:
        if _custom_base(model, api_base):
            return KEY_VARIABLE
        provider = model.split("/", 1)[0] if "/" in model else "openai"
        return f"{provider.upper().replace('-', '_')}_API_KEY"

    def _tokens_for(self, step: str, size: int | None = None) -> int:
        if step in self.max_tokens:
            return self.max_tokens[step]
        ceiling = DEFAULT_MAX_TOKENS.get(step, 2048)
        if step == "extract" and size is not None:
            # Triples (with their surface forms) take about four tokens per character of a dense
            # text's tokens; a reply much longer than that is a model that does not stop.
            return max(MIN_EXTRACT_TOKENS, min(ceiling, size))
        return ceiling

    def _request(self, step: str, size: int | None = None) -> tuple[_Target, dict[str, Any]]:
        t = self._target(step)
        self._check_target(t)
        kw: dict[str, Any] = {"model": t.model, "temperature": self.temperature, "timeout": self.timeout,
                              "max_tokens": self._tokens_for(step, size), "max_retries": 0, "num_retries": 0,
                              "drop_params": True}
        if t.api_base:
            kw["api_base"] = t.api_base
        key = self._key_for(t)
        if key:
            kw["api_key"] = key
        kw.update({k: (v.get() if isinstance(v, _Secret) else v) for k, v in t.extra})
        return t, kw

    # ----------------------------------------------------- output negotiation
    def _shape(self, t: _Target) -> str:
        """The structured-output shape sent to ``t`` now (negotiated per api_base and model)."""
        k = (t.api_base, t.model)
        shape = self._shapes.get(k)
        if shape is None:
            if self.structured_output != "auto":
                shape = self.structured_output
            elif t.api_base:
                shape = SHAPES[0]  # OpenAI-compatible servers: negotiated down on refusal (_next_shape)
            else:
                try:
                    ok = bool(_litellm().supports_response_schema(model=t.model))
                except Exception:
                    ok = False
                shape = SHAPES[0] if ok else "none"
            self._shapes[k] = shape
        return shape

    def structured_output_for(self, step: str = "extract") -> str:
        """The structured-output shape the engine sends for ``step`` now (one of :data:`SHAPES`)."""
        return self._shape(self._target(step))

    def _next_shape(self, t: _Target, rejected: str) -> None:
        k = (t.api_base, t.model)
        with self._lock:
            if self._shapes.get(k) == rejected and rejected != SHAPES[-1]:
                self._shapes[k] = SHAPES[SHAPES.index(rejected) + 1]

    async def _negotiate(self, t: _Target, schema: type[BaseModel] | None) -> threading.Lock | None:
        """Wait while another request negotiates ``t``; return the lock if this request negotiates."""
        k = (t.api_base, t.model)
        if schema is None or k in self._shape_ok or self._shape(t) == "none":
            return None
        with self._lock:
            lock = self._probing.setdefault(k, threading.Lock())
        while k not in self._shape_ok:
            if lock.acquire(blocking=False):
                if k in self._shape_ok:
                    lock.release()
                    return None
                return lock
            await asyncio.sleep(0.02)
        return None

    @staticmethod
    def _cache_key(kw: Mapping[str, Any], messages: Sequence[Mapping[str, Any]],
                   schema: type[BaseModel] | None) -> str:
        # The shape is how the request travels, not what it asks: a negotiated engine and a fresh one
        # share their cached replies.
        params = {k: v for k, v in kw.items()
                  if k not in ("model", "timeout", "max_retries", "num_retries", "drop_params", "response_format")
                  and not is_secret_param(k)}
        params["schema"] = schema.__name__ if schema is not None else None
        return request_key(str(kw["model"]), messages, params)

    # -------------------------------------------------------------- transport
    def _new_record(self, step: str, label: str, kind: str, model: str, meta: Mapping[str, Any]) -> ReplyRecord:
        key = (step, label)
        with self._lock:
            n = 1 if kind == "first" and not meta.get("continued") else self._attempts.get(key, 0) + 1
            self._attempts[key] = n
        return ReplyRecord(step=step, label=label, model=model, kind=kind, attempt=n,
                           chunk=meta.get("chunk"), source=meta.get("source"))

    def _from_cache(self, key: str, rec: ReplyRecord) -> ReplyRecord | None:
        hit = self.cache.get(key)
        if hit is None:
            return None
        rec.cached = True
        rec.content = str(hit.get("content", ""))
        rec.finish_reason = str(hit.get("finish_reason", ""))
        rec.prompt_tokens = int(hit.get("prompt_tokens", 0))
        rec.completion_tokens = int(hit.get("completion_tokens", 0))
        rec.cost = 0.0
        self._record(rec)
        return rec

    def _on_success(self, resp: Any, rec: ReplyRecord, key: str, kw: Mapping[str, Any], t0: float) -> ReplyRecord:
        rec.seconds = time.perf_counter() - t0
        try:
            choice = resp.choices[0]
            rec.content = choice.message.content or ""
            rec.finish_reason = str(choice.finish_reason or "")
        except (AttributeError, IndexError):
            rec.content = ""
        usage = getattr(resp, "usage", None)
        rec.prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        rec.completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        rec.cost = self._cost(resp, str(kw["model"]))
        rec.cache_key = key  # stored by _astructured once the reply parsed
        self._record(rec)
        return rec

    def _store(self, rec: ReplyRecord) -> None:
        """Cache a reply that parsed (a reply that did not is never answered from the cache)."""
        if rec.cache_key and not rec.cached:
            self.cache.put(rec.cache_key, rec.model, {"content": rec.content, "finish_reason": rec.finish_reason,
                                                      "prompt_tokens": rec.prompt_tokens,
                                                      "completion_tokens": rec.completion_tokens})

    @staticmethod
    def _cost(resp: Any, model: str) -> float | None:
        hidden = getattr(resp, "_hidden_params", None) or {}
        cost = hidden.get("response_cost") if isinstance(hidden, dict) else None
        if cost:
            return float(cost)
        lt = _litellm()
        for m in (None, model):
            try:
                c = lt.completion_cost(completion_response=resp, model=m) if m else \
                    lt.completion_cost(completion_response=resp)
                if c:
                    return float(c)
            except Exception:  # price unknown for this model: reported as unpriced, never guessed
                continue
        return None

    def _fail(self, exc: BaseException, rec: ReplyRecord, kw: Mapping[str, Any], t0: float) -> str:
        """Record a failed request; return the server's words (credentials redacted)."""
        secrets = [*self._secret_values(), str(kw.get("api_key") or "")]
        detail = _server_message(redact(str(exc), secrets)) if str(exc) else "no reply before the deadline"
        rec.seconds = time.perf_counter() - t0
        rec.error = f"{type(exc).__name__}: {detail}"
        self._record(rec)
        return detail

    @staticmethod
    def _shape_refused(exc: BaseException, detail: str, kw: Mapping[str, Any]) -> bool:
        """Whether the server refused the request for its ``response_format`` (whatever the HTTP status)."""
        if "response_format" not in kw or isinstance(exc, asyncio.TimeoutError):
            return False
        status = getattr(exc, "status_code", None)
        if status is None or status in (401, 403, 404, 408, 429):
            return False
        low = detail.lower()
        return any(w in low for w in ("response_format", "response format", "json_schema", "json_object"))

    def _on_error(self, exc: BaseException, detail: str, kw: dict[str, Any], attempt: int,
                  policy: RetryPolicy) -> float:
        """Classify a failed request: return the delay before retrying, or raise :class:`EngineError`."""
        lt = _litellm()
        model = str(kw["model"])
        base = kw.get("api_base")
        where = f" at {base}" if base else ""
        status = getattr(exc, "status_code", None)
        low = detail.lower()
        transient: str | None = None
        if isinstance(exc, (lt.Timeout, asyncio.TimeoutError)):
            transient = (f"The model {model!r}{where} did not answer within {self.timeout:g} s (timeout), "
                         f"{attempt} attempt(s). Try again later (%hydra retry) or raise the engine's timeout.")
        elif isinstance(exc, lt.RateLimitError):
            transient = (f"Rate limit of {model!r} still hit after {attempt} attempt(s): {detail}. Wait a minute "
                         "and retry the failed chunks (%hydra retry), or lower the engine's concurrency.")
        elif isinstance(exc, lt.AuthenticationError) or status == 401:
            if _custom_base(model, base):
                raise EngineError(
                    f"The model server{where} rejected the API key for {model!r} (HTTP 401): {detail}. Pass the "
                    f"key for this server as api_key=... (engine option) or set {KEY_VARIABLE}; provider "
                    "variables such as OPENAI_API_KEY are never sent to a custom api_base.") from None
            raise EngineError(f"The provider rejected the API key for {model!r} (HTTP 401): {detail}. "
                              f"Check {self._key_var(model)} (or the api_key you passed).") from None
        elif isinstance(exc, lt.PermissionDeniedError) or status == 403:
            raise EngineError(f"Access to {model!r} is denied (HTTP 403): {detail}. Check that your key may "
                              "use this model.") from None
        elif isinstance(exc, lt.NotFoundError) or status == 404:
            raise EngineError(f"Unknown model {model!r}{where}: {detail}. Check the model name "
                              "(and api_base).") from None
        elif isinstance(exc, getattr(lt, "ContextWindowExceededError", ())):
            raise EngineError(f"The prompt is too long for {model!r}: {detail}. Use smaller chunks "
                              "(hydra.config.chunk_chars) or a model with a larger context.") from None
        elif isinstance(exc, lt.BadRequestError) and "provider not provided" in low:
            raise EngineError(f"Unknown model {model!r}: litellm cannot tell its provider. Write it as "
                              "provider/model, e.g. 'openai/gpt-4o-mini'.") from None
        elif isinstance(exc, lt.APIConnectionError) or "connection error" in low or "connect" in low and not status:
            transient = (f"Cannot reach the model server{where or ' of ' + repr(model)} after {attempt} "
                         "attempt(s) (connection failed). Check that it is running and that api_base is right.")
        elif isinstance(exc, lt.BadRequestError) or (status is not None and 400 <= status < 500):
            raise EngineError(f"The model server refused the request for {model!r} (HTTP {status or 400}): "
                              f"{detail}.") from None
        elif status is None or status >= 500 or isinstance(exc, (lt.InternalServerError, lt.APIError)):
            transient = (f"The model server{where} failed (HTTP {status or 'error'}) after {attempt} attempt(s): "
                         f"{detail}. Try again later (%hydra retry).")
        if transient is None:
            raise EngineError(f"The call to {model!r} failed: {type(exc).__name__}: {detail}.") from None
        if attempt >= policy.max_attempts:
            raise EngineError(transient) from None
        self._count_retry()
        delay = policy.delay(attempt + 1)
        retry_after = _retry_after(exc)
        if retry_after is not None:
            delay = min(max(delay, retry_after), policy.max_delay)
        return delay

    async def _asend(self, step: str, messages: list[dict[str, Any]], schema: type[BaseModel] | None, *,
                     label: str, kind: str, policy: RetryPolicy, meta: Mapping[str, Any]) -> ReplyRecord:
        """One request, with transport retries and shape negotiation; every try ends by the deadline."""
        t, kw = self._request(step, meta.get("size"))
        key = self._cache_key(kw, messages, schema)
        rec = self._new_record(step, label, kind, t.model, meta)
        hit = self._from_cache(key, rec)
        if hit is not None:
            return hit
        lt = _litellm()
        attempt = 0
        lock: threading.Lock | None = None
        try:
            lock = await self._negotiate(t, schema)
            while True:
                shape = self._shape(t) if schema is not None else "none"
                fmt = response_format_for(shape, schema) if schema is not None else None
                if fmt is None:
                    kw.pop("response_format", None)
                else:
                    kw["response_format"] = fmt
                rec.response_format = shape
                t0 = time.perf_counter()
                try:
                    # wait_for: the deadline holds however slowly the server sends its bytes.
                    resp = await asyncio.wait_for(lt.acompletion(messages=messages, **kw), self.timeout)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # classified below: another shape, a retry, or an EngineError
                    detail = self._fail(exc, rec, kw, t0)
                    rec = self._new_record(step, label, kind, t.model, dict(meta, continued=True))
                    if self._shape_refused(exc, detail, kw):
                        self._next_shape(t, shape)  # never sent again to this target; not a transport retry
                        continue
                    attempt += 1
                    if lock is not None:  # let another request negotiate while this one waits
                        lock.release()
                        lock = None
                    delay = self._on_error(exc, detail, kw, attempt, policy)
                    if delay:
                        await asyncio.sleep(delay)
                    lock = await self._negotiate(t, schema)
                    continue
                if schema is not None:
                    self._shape_ok.add((t.api_base, t.model))
                return self._on_success(resp, rec, key, kw, t0)
        finally:
            if lock is not None:
                lock.release()

    # ------------------------------------------------------ structured output
    def _parse_loop(self, messages: list[dict[str, Any]], schema: type[BaseModel], kind: str,
                    policy: RetryPolicy, what: str
                    ) -> Generator[tuple[list[dict[str, Any]], str], ReplyRecord, tuple[Any, list[Issue], ReplyRecord]]:
        """Ask, parse, and on unusable JSON ask again with the parse error (bounded)."""
        msgs = messages
        issues: list[Issue] = []
        rec: ReplyRecord | None = None
        for _ in range(policy.max_attempts):
            rec = yield msgs, kind
            parsed = parse_reply(rec.content, schema)
            rec.issues = list(parsed.issues)
            if parsed.value is not None:
                if not parsed.issues:
                    self._store(rec)  # only a reply that parsed whole is answered from the cache later
                return parsed.value, list(parsed.issues), rec
            issues = list(parsed.issues)
            kind = "parse-repair"
            msgs = [*messages, {"role": "assistant", "content": rec.content[:4000]}, prompts.parse_repair(issues)]
        last = issues[0].message if issues else "no usable reply"
        raise ModelReplyError(f"[parse_error] The replies of {rec.model if rec else self.model!r} for {what} "
                              f"could not be used after {policy.max_attempts} attempt(s): {last}",
                              issues, rec.content if rec else "")

    def _structured(self, step: str, messages: list[dict[str, Any]], schema: type[BaseModel], *, label: str,
                    kind: str = "first", policy: RetryPolicy | None = None,
                    meta: Mapping[str, Any] | None = None) -> tuple[Any, list[Issue], ReplyRecord]:
        """:meth:`_astructured` from synchronous code (its own event loop; a thread inside Jupyter's)."""
        from .llm_concurrent import run_sync

        return run_sync(lambda: self._astructured(step, messages, schema, label=label, kind=kind, policy=policy,
                                                  meta=meta))

    async def _astructured(self, step: str, messages: list[dict[str, Any]], schema: type[BaseModel], *,
                           label: str, kind: str = "first", policy: RetryPolicy | None = None,
                           meta: Mapping[str, Any] | None = None) -> tuple[Any, list[Issue], ReplyRecord]:
        policy = policy or self.retry
        gen = self._parse_loop(messages, schema, kind, policy, label)
        try:
            msgs, k = next(gen)
            while True:
                rec = await self._asend(step, msgs, schema, label=label, kind=k, policy=policy, meta=meta or {})
                msgs, k = gen.send(rec)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    # ------------------------------------------------------------- extraction
    def registry(self, kg: "KnowledgeGraph", ontology: "Ontology") -> EntityRegistry:
        """The entities of ``kg`` by name and label (rebuilt when the KG changed)."""
        version = (len(kg), len(ontology))
        hit = self._registries.get(kg)
        if hit is not None and hit[0] == version:
            return hit[1]
        reg = EntityRegistry.from_kg(kg, ontology)
        self._registries[kg] = (version, reg)
        return reg

    def extraction_messages(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                            feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = ()) -> list[dict[str, Any]]:
        """The messages sent for one chunk: the ontology slice and the known entities it mentions, no more."""
        sl = select_slice(ontology, chunk.text, max_properties=self.max_properties, max_classes=self.max_classes)
        ents = self.registry(kg, ontology).relevant(chunk.text, self.max_entities)
        msgs = prompts.extraction(chunk.text, render_ontology(ontology, sl), render_entities(ents))
        if feedback:
            msgs.append(prompts.extraction_repair(feedback))
        return msgs

    def _triples(self, value: ExtractionOut, chunk: TextChunk, ontology: "Ontology",
                 kg: "KnowledgeGraph") -> list[TripleCandidate]:
        out = []
        for t in value.triples:
            c = TripleCandidate(t.subject.strip(), t.predicate.strip(), t.object.strip(),
                                subject_text=t.subject_text.strip(), object_text=t.object_text.strip(),
                                sentence=t.sentence.strip(), chunk=chunk.index)
            c.subject_span = _span(c.subject_text, chunk)
            if c.object_text:
                c.object_span = _span(c.object_text, chunk)
            out.append(c)
        return self.registry(kg, ontology).canonicalise(out, ontology, learn=False)

    def _chunk_meta(self, chunk: TextChunk) -> tuple[str, dict[str, Any]]:
        label = f"{chunk.source or 'text'}#{chunk.index}"
        return label, {"chunk": chunk.index, "source": chunk.source or None, "size": len(chunk.text)}

    def extract(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = (), *,
                policy: RetryPolicy | None = None) -> list[TripleCandidate]:
        """Candidate triples of one chunk (only the rejected ones again when ``feedback`` is given)."""
        label, meta = self._chunk_meta(chunk)
        value, _, _ = self._structured("extract", self.extraction_messages(chunk, ontology, kg, feedback),
                                       ExtractionOut, label=label, kind="repair" if feedback else "first",
                                       policy=policy, meta=meta)
        return self._triples(value, chunk, ontology, kg)

    async def aextract(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                       feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = (), *,
                       policy: RetryPolicy | None = None) -> list[TripleCandidate]:
        """:meth:`extract` for asyncio; the pipeline runs the chunks of a text concurrently with it."""
        label, meta = self._chunk_meta(chunk)
        value, _, _ = await self._astructured("extract", self.extraction_messages(chunk, ontology, kg, feedback),
                                              ExtractionOut, label=label, kind="repair" if feedback else "first",
                                              policy=policy, meta=meta)
        return self._triples(value, chunk, ontology, kg)

    # --------------------------------------------------------------- ontology
    def propose_ontology(self, cqs: Sequence["CompetencyQuestion | str"], ontology: "Ontology",
                         feedback: Sequence[tuple[Any, list[Issue]]] = (), *,
                         policy: RetryPolicy | None = None, label: str | None = None) -> OntologyProposal:
        """Classes and properties for ``cqs``; with ``feedback``, corrected versions of the rejected items only.

        An unusable reply gives an empty proposal with ``parse_error`` issues (never an exception);
        transport failures raise :class:`~hydra_magic.errors.EngineError`.
        """
        texts = [str(getattr(q, "text", q)) for q in cqs]
        focus = " ".join(texts)
        sl = select_slice(ontology, focus, max_properties=max(150, self.max_properties),
                          max_classes=max(200, self.max_classes))
        msgs = prompts.ontology(texts, render_ontology(ontology, sl))
        if feedback:
            msgs.append(prompts.ontology_repair(feedback))
        label = label or "cqs:" + "|".join(t[:40] for t in texts)[:160]
        try:
            value, issues, rec = self._structured("ontology", msgs, OntologyOut, label=label,
                                                  kind="repair" if feedback else "first", policy=policy)
        except ModelReplyError as exc:
            return OntologyProposal(issues=exc.issues, raw=exc.raw)
        return _proposal(value, texts, issues, rec.content, ontology)

    # ---------------------------------------------------- generation steps
    def committee(self, domain: str, groups: int = 3, *, policy: RetryPolicy | None = None) -> CommitteeOut:
        value, _, _ = self._structured("committee", prompts.committee(domain, groups), CommitteeOut,
                                       label="committee", policy=policy)
        return value  # type: ignore[no-any-return]

    def scope(self, domain: str, personas: Sequence[str], *, label: str = "scope",
              policy: RetryPolicy | None = None) -> ScopeOut:
        value, _, _ = self._structured("scope", prompts.scope(domain, personas), ScopeOut, label=label,
                                       policy=policy)
        return value  # type: ignore[no-any-return]

    def merge_scopes(self, domain: str, scopes: Sequence[str], *, policy: RetryPolicy | None = None) -> ScopeOut:
        value, _, _ = self._structured("merge_scope", prompts.merge_scopes(domain, scopes), ScopeOut,
                                       label="merged scope", policy=policy)
        return value  # type: ignore[no-any-return]

    def generate_cqs(self, domain: str, scope: str = "", group: str = "", n: int = 8, *,
                     policy: RetryPolicy | None = None) -> list[str]:
        """Competency questions for ``domain`` in the voice of ``group``, within ``scope``."""
        value, _, _ = self._structured("cqs", prompts.cqs(domain, scope or domain, group or "domain experts", n),
                                       CQsOut, label=f"cqs:{group or 'all'}", policy=policy)
        return [q.strip() for q in value.questions if q and q.strip()]

    def dedupe_cqs(self, questions: Sequence[str], *, policy: RetryPolicy | None = None) -> list[list[int]]:
        """Groups of 1-based question numbers that ask the same thing (first of each kept)."""
        value, _, _ = self._structured("dedupe", prompts.dedupe(questions), DedupeOut, label="dedupe",
                                       policy=policy)
        return [list(g) for g in value.duplicates]

    def weave(self, ontology: "Ontology", clusters: Sequence[Sequence[str]],
              feedback: Sequence[tuple[Any, list[Issue]]] = (), *, label: str = "weave",
              policy: RetryPolicy | None = None) -> list[WeaveOpOut]:
        """Merge/bridge/prune operations that join the isolated ``clusters`` of ``ontology``."""
        msgs = prompts.weave(render_ontology(ontology), clusters, feedback)
        value, _, _ = self._structured("weave", msgs, WeaveOut, label=label,
                                       kind="repair" if feedback else "first", policy=policy)
        return list(value.operations)

    def cq_to_sparql(self, cq: "CompetencyQuestion | str", ontology: "Ontology",
                     feedback: Sequence[tuple[Any, list[Issue]]] = (), *, base: str | None = None,
                     policy: RetryPolicy | None = None) -> str:
        """A SPARQL SELECT for ``cq``, checked to parse and to use only ontology terms (repaired if not).

        Raises :class:`ModelReplyError` when no usable query came back within the policy's attempts.
        """
        policy = policy or self.retry
        text = str(getattr(cq, "text", cq))
        ns = str(ontology.ns)
        base = base or getattr(ontology, "base", ns.rsplit("ontology#", 1)[0])
        prefixes = {"onto": ns, "ent": f"{base}entity/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
        sl = select_slice(ontology, text, max_properties=self.max_properties, max_classes=self.max_classes)
        base_msgs = prompts.sparql(text, render_ontology(ontology, sl), prefixes)
        msgs = list(base_msgs)
        if feedback:
            msgs.append(prompts.sparql_repair([i for _, iss in feedback for i in iss]))
        issues: list[Issue] = []
        for n in range(policy.max_attempts):
            value, _, rec = self._structured("sparql", msgs, SparqlOut, label=f"sparql:{text[:60]}",
                                             kind="repair" if (feedback or n) else "first", policy=policy)
            issues = check_sparql(value.sparql, ontology, prefixes)
            if not issues:
                return value.sparql.strip()
            rec.issues = rec.issues + issues
            msgs = [*base_msgs, {"role": "assistant", "content": rec.content[:4000]}, prompts.sparql_repair(issues)]
        raise ModelReplyError(f"[invalid_sparql] No usable SPARQL for {text!r} after {policy.max_attempts} "
                              f"attempt(s): {issues[0].message}", issues)


# --------------------------------------------------------------------- helpers
def _check_shape(value: str) -> None:
    if value not in ("auto", *SHAPES):
        raise EngineError(f"structured_output={value!r} is not one of 'auto', "
                          + ", ".join(repr(x) for x in SHAPES) + ".")


def _max_tokens(value: int | Mapping[str, int] | None) -> dict[str, int]:
    """The ``max_tokens`` option as a per-step mapping (steps not named keep the default)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        unknown = set(value) - set(STEPS)
        if unknown:
            raise EngineError(f"Unknown step(s) in max_tokens: {', '.join(sorted(unknown))}. "
                              f"Steps are: {', '.join(STEPS)}.")
        out = {str(k): v for k, v in value.items()}
    else:
        out = {s: value for s in STEPS}
    for step, n in out.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise EngineError(f"max_tokens for {step!r} is {n!r}; give a positive whole number such as 1024.")
    return out


def _custom_base(model: str, api_base: str | None) -> bool:
    """Whether ``api_base`` is someone else's server, not the model provider's own endpoint."""
    if not api_base:
        return False
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    host = (urlsplit(api_base).hostname or "").lower()
    return not any(host.endswith(h) if h.startswith(".") else host == h for h in _PROVIDER_HOSTS.get(provider, ()))


def _server_message(text: str) -> str:
    """The server's own words out of a litellm error string, shortened."""
    text = re.sub(r"^(litellm\.)?\w+(Error|Exception)?:\s*", "", text.strip())
    text = re.sub(r"^\w+(Error|Exception):\s*", "", text)
    text = re.sub(r"^\w+Exception\s*-\s*", "", text)
    text = " ".join(text.split())
    return text if len(text) <= 240 else text[:239] + "…"


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "response", None)
    headers = getattr(resp, "headers", None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after")
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _span(surface: str, chunk: TextChunk) -> tuple[int, int] | None:
    if not surface:
        return None
    hit = find_span(surface, chunk.text)
    return (chunk.start + hit[0], chunk.start + hit[1]) if hit else None


_NO_PARENT = {"owl:thing", "none", "null", ""}


def _parent(name: str | None, ontology: "Ontology", declared: set[str]) -> str | None:
    """``owl:Thing``/``null`` (and ``Thing`` when no such class exists or is declared) mean: no superclass."""
    p = (name or "").strip()
    if p.lower() in _NO_PARENT or (p.lower() == "thing" and "thing" not in declared
                                   and ontology.get_class(p) is None):
        return None
    return p


def _origin(cq: int | None, texts: Sequence[str]) -> str:
    if cq is not None and 1 <= cq <= len(texts):
        return texts[cq - 1]
    return texts[0] if len(texts) == 1 else ""


def _proposal(value: OntologyOut, texts: Sequence[str], issues: list[Issue], raw: str,
              ontology: "Ontology") -> OntologyProposal:
    declared = {c.name.strip().lower() for c in value.classes}
    classes = [ClassCandidate(c.name.strip(), _parent(c.parent, ontology, declared), label=c.label,
                              comment=c.comment or "",
                              origin=_origin(c.cq, texts))
               for c in value.classes]
    props = [PropertyCandidate(p.name.strip(), p.kind, tuple(x.strip() for x in p.domain),
                               tuple(x.strip() for x in p.range), label=p.label,
                               characteristics=tuple(x.strip() for x in p.characteristics),
                               comment=p.comment or "", origin=_origin(p.cq, texts))
             for p in value.properties]
    return OntologyProposal(classes, props, issues=list(issues), raw=raw)


def check_sparql(query: str, ontology: "Ontology", prefixes: Mapping[str, str]) -> list[Issue]:
    """Issues of a generated query: it must parse, be a SELECT/ASK, and use only ontology terms."""
    from rdflib.plugins.sparql import prepareQuery

    q = query.strip()
    if not q:
        return [Issue("invalid_sparql", "The query is empty.", "Return one SELECT query.")]
    try:
        prepareQuery(q, initNs=dict(prefixes))
    except Exception as exc:  # rdflib raises pyparsing and other errors for bad queries
        return [Issue("invalid_sparql", f"The query does not parse: {str(exc)[:200]}",
                      "Return valid SPARQL 1.1 using the given prefixes.")]
    issues = []
    for term in sorted(set(re.findall(r"\bonto:([A-Za-z_][\w\-]*)", q))):
        if ontology.get_class(term) is None and ontology.get_property(term) is None:
            hints = ontology.suggest(term, "property") + ontology.suggest(term, "class")
            did_you_mean = f" Did you mean {', '.join(hints)}?" if hints else ""
            issues.append(Issue("invalid_sparql", f"onto:{term} is not a class or property of the ontology.",
                                "Use only the ontology's terms." + did_you_mean, path=f"sparql.onto:{term}"))
    return issues
