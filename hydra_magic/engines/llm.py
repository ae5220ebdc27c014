"""The litellm engine: any model litellm can reach, behind the Engine protocol.

litellm is imported on the first request, never at import time of this module,
and offline (``LITELLM_LOCAL_MODEL_COST_MAP``, ``LITELLM_OFFLINE_MODE``): it reads
its bundled price list and Anthropic header table instead of fetching them.

The engine answers one call; the repair loop over calls (the rejected candidates
sent back as ``feedback``) is :mod:`hydra_magic.pipeline`'s, which asks again only
because the engine declares ``capabilities.repair``. Within one call, bounded by
the one :class:`~hydra_magic.outcomes.RetryPolicy`:

* a request that failed in transport (429, 5xx, timeout, refused connection) is
  sent again after exponential back-off with jitter, or after the server's
  ``Retry-After`` (up to ``max_retry_after``; it pauses every request to that
  model), ``max_attempts`` requests in all and never past the call's ``budget``;
  the SDK's own retries are off (``max_retries=0``) so counts are exact;
* a reply that is not usable JSON is answered with the parse error and asked
  again (``max_attempts`` replies in all), then reported as a ``parse_error``
  issue (:class:`ModelReplyError`).

Every request passes the model's :class:`~.llm_limiter.Limiter` (concurrency,
requests and tokens per minute), shared by every chunk and cell, and has a
wall-clock deadline (the engine's ``timeout``): a server that sends its reply one
byte at a time cannot hold a call longer than that. How a model string becomes a
request (Ollama's ``num_ctx``, Anthropic's output limits, keys) is
:mod:`~.llm_providers`'s.

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
Only replies that parsed are cached; ``use_cache=False`` never reads nor writes
the cache, ``derive(fresh=True)`` asks the model again and stores the new reply
(a redo). API keys never appear in a repr, an error message, a reply record or
the cache: a reply is redacted before it is kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
import re
import threading
import time
import warnings
import weakref
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generator, Iterator, Mapping, Sequence

from pydantic import BaseModel

from ..cache import ResponseCache, is_secret_param, request_key
from ..candidates import ClassCandidate, OntologyProposal, PropertyCandidate, TextChunk, TripleCandidate
from ..contracts.grounding import find_span
from ..errors import EngineError
from ..issues import Issue
from ..outcomes import RetryPolicy
from . import llm_prompts as prompts
from .capabilities import Capabilities
from .llm_context import EntityRegistry, render_entities, render_example, render_ontology, select_slice
from .llm_failures import ModelCallError, Transient, classify, server_message, shape_refused
from .llm_json import parse_reply
from .llm_limiter import Limiter, Limits, LimitWaitTooLong
from .llm_providers import (DEFAULT_MAX_TOKENS, KEY_VARIABLE, MIN_EXTRACT_TOKENS, STEPS, ModelNameError,
                            PromptTooLongWarning, check_model_name, context_window, custom_base, is_local,
                            is_ollama, key_for, ollama_num_ctx, output_limit, request_base, request_model)
from .llm_records import ModelReplyError, ReplyRecord, Usage, _hide_key, _Secret, redact
from .llm_schemas import (CommitteeOut, CQsOut, DedupeOut, ExtractionOut, OntologyOut, ScopeOut, SparqlOut,
                          WeaveOpOut, WeaveOut, response_format_for)

if TYPE_CHECKING:
    from ..cq import CompetencyQuestion
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology

__all__ = ["LLMEngine", "Usage", "ReplyRecord", "ModelReplyError", "ModelNameError", "PromptTooLongWarning",
           "redact", "STEPS", "SHAPES", "DEFAULT_MAX_TOKENS", "MIN_EXTRACT_TOKENS", "KEY_VARIABLE"]

#: Structured-output shapes, in the order they are tried on an OpenAI-compatible server.
SHAPES = ("json_schema", "json_object+schema", "json_object", "none")


def _litellm() -> Any:
    # Nothing fetched from the internet: the bundled price list and Anthropic header table.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True")
    os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")
    import litellm  # heavy (3-4 s): only here

    litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banners printed on errors
    return litellm


# ---------------------------------------------------------------------- engine
@dataclass(frozen=True)
class _Target:
    model: str
    api_base: str | None
    api_key: _Secret
    extra: tuple[tuple[str, Any], ...] = ()


class LLMEngine:
    """Any litellm model behind the Engine protocol (``propose_ontology``, ``extract``, …).

    It reads feedback (the pipeline may ask it to repair), runs chunks at the same time
    (``aextract``, limited per model) and re-reads a chunk for facts not yet found (``found``, the
    pipeline's gleaning epochs, bounded by ``RetryPolicy.max_epochs``): ``capabilities``.

    Parameters
    ----------
    model
        A litellm model string: ``openai/gpt-4o-mini``, ``anthropic/claude-haiku-4-5``,
        ``ollama_chat/llama3.1``, ``hosted_vllm/…``, or ``openai/<name>`` with an OpenAI-compatible
        ``api_base`` (see :data:`~.llm_providers.MODEL_NAMING`).
    api_base, api_key
        Endpoint and key; by default litellm's (the provider's URL, the key from the environment,
        e.g. ``OPENAI_API_KEY``). A custom ``api_base`` gets ``api_key``, else ``$HYDRA_API_KEY``, else a
        placeholder, never a provider's environment key. The key is never shown or stored.
    temperature, timeout
        Sampling temperature; the wall-clock deadline of one request in seconds (the whole reply must
        have arrived by then, however the server sends it).
    concurrency, requests_per_minute, tokens_per_minute
        The limits of one model (per api_base and model), shared by every chunk, cell and step that
        calls it: requests in flight, requests and tokens (prompt estimate + ``max_tokens``) per
        minute (``None``: no limit).
    cache_dir, use_cache
        Where identical requests are answered from (see :mod:`hydra_magic.cache`); ``use_cache=False``
        always asks the model and stores nothing.
    step_models
        Per-step model: ``{"ontology": "openai/gpt-4o", "extract": {"model": "ollama_chat/llama3.1",
        "api_base": "http://localhost:11434"}}``; steps are in :data:`STEPS`.
    retry
        Transport and parse-repair policy, and the call's time budget; by default the pipeline's
        (``Session.config.retry`` is passed in by the pipeline for extraction).
    structured_output
        ``"auto"`` (negotiated in the order of :data:`SHAPES` on an ``api_base``; JSON schema where
        litellm knows the provider supports it, else the prompt alone), one of :data:`SHAPES` to start
        the negotiation there, or ``"none"`` (prompt and robust parsing only).
    max_tokens
        The most tokens a reply may have: one number for every step, or ``{"extract": 1024}`` for some
        steps (the others keep :data:`DEFAULT_MAX_TOKENS`; by default a chunk's extraction gets as many
        tokens as the chunk has characters, 512 to 4096). Always sent, never above the model's output
        limit in litellm's model map.
    **litellm_kwargs
        Passed to ``litellm.completion`` (e.g. ``seed``, ``api_version``).
    """

    def __init__(self, model: str, api_base: str | None = None, api_key: str | None = None, *,
                 temperature: float = 0.0, timeout: float = 60.0, concurrency: int = 16,
                 requests_per_minute: int | None = None, tokens_per_minute: int | None = None,
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
        try:
            self.limits = Limits(self.concurrency, requests_per_minute, tokens_per_minute)
        except ValueError as exc:
            raise EngineError(f"Engine option {exc}") from None
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
        self.fresh = False  # a redo: ask the model even where the cache has a reply (and store the new one)
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
        # One limiter per (api_base, model), shared by derived copies: every chunk, cell and step.
        self._limiters: dict[tuple[str | None, str], Limiter] = {}
        self._registries: "weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], EntityRegistry]]" = \
            weakref.WeakKeyDictionary()

    capabilities = Capabilities(repair=True, concurrency=True, gleaning=True)

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
        """A copy with other settings (``model=``, ``temperature=``, …) sharing usage, replies, cache and limiters.

        ``fresh=True`` gives a copy that asks the model again where the cache has a reply (a redo) and
        stores the new reply; new limits (``concurrency=``, ``requests_per_minute=``,
        ``tokens_per_minute=``) give the copy limiters of its own.
        """
        new = copy.copy(self)
        for k, v in overrides.items():
            if k in ("concurrency", "requests_per_minute", "tokens_per_minute"):
                limits = {"concurrency": new.limits.concurrency, "requests_per_minute": new.limits.requests_per_minute,
                          "tokens_per_minute": new.limits.tokens_per_minute, k: v}
                try:
                    new.limits = Limits(**limits)
                except ValueError as exc:
                    raise EngineError(f"Engine option {exc}") from None
                new.concurrency = new.limits.concurrency
                new._limiters = {}
            elif k == "fresh":
                new.fresh = bool(v)
            elif k == "api_key":
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
                # By identity: two batches with the same counts are equal (dataclass ==), and the
                # cells of two threads may close theirs in any order.
                idx = next(i for i, b in enumerate(self._open_batches) if b is u)
                del self._open_batches[idx]
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
                # A gleaning request asks for more, not for a fix: counted apart from repairs.
                counter = "gleanings" if rec.kind == "glean" else "repairs"
                for u in (self.usage, *self._open_batches):
                    setattr(u, counter, getattr(u, counter) + 1)

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

    def check_ready(self) -> None:
        """Raise :class:`ModelNameError` (or a missing-key :class:`EngineError`) before any request.

        The pipeline calls this before the first chunk, so a bad model name fails the cell at once,
        naming the ways to write one, instead of failing every chunk.
        """
        self._check_target(self._target("extract"))

    def _check_target(self, t: _Target) -> None:
        """Fail early: an unknown model name (with the ways to name one), no key for a provider's endpoint."""
        ck = (t.model, t.api_base)
        if ck in self._checked:
            return
        lt = _litellm()
        provider = check_model_name(lt, t.model, t.api_base)
        if not t.api_key and not custom_base(t.model, t.api_base) and not is_local(t.model, t.api_base):
            try:
                env = lt.validate_environment(model=request_model(t.model), api_base=t.api_base)
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
        return key_for(t.model, t.api_base, t.api_key.get(), os.environ)

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
        tokens = self._tokens_for(step, size)
        limit = output_limit(_litellm(), t.model)
        if limit is not None:
            tokens = min(tokens, limit)  # litellm's map: the model's own output limit
        kw: dict[str, Any] = {"model": request_model(t.model), "temperature": self.temperature,
                              "timeout": self.timeout, "max_tokens": tokens, "max_retries": 0, "num_retries": 0,
                              "drop_params": True}
        if t.api_base:
            kw["api_base"] = request_base(t.model, t.api_base)
        key = self._key_for(t)
        if key:
            kw["api_key"] = key
        kw.update({k: (v.get() if isinstance(v, _Secret) else v) for k, v in t.extra})
        return t, kw

    def _size_context(self, t: _Target, kw: dict[str, Any], messages: Sequence[Mapping[str, Any]],
                      label: str) -> str:
        """Ollama: ``num_ctx`` for this prompt (its default context cuts long prompts without a word).

        Returns a note when the prompt and the reply cannot fit the model's window (also a
        :class:`PromptTooLongWarning`); a ``num_ctx`` the user set is kept, and checked the same way.
        """
        if not is_ollama(t.model):
            return ""
        prompt = _prompt_tokens(messages)
        given = dict(t.extra).get("num_ctx")
        window = int(given) if given else context_window(_litellm(), t.model)
        ctx, fits = ollama_num_ctx(prompt, int(kw["max_tokens"]), window)
        kw["num_ctx"] = int(given) if given else ctx
        if fits:
            return ""
        note = (f"The prompt for {label} needs about {prompt:,} tokens plus {kw['max_tokens']:,} for the reply, "
                f"more than {t.model!r}'s context of {kw['num_ctx']:,}: Ollama cuts it. Use smaller chunks "
                "(hydra.config.chunk_chars), a lower max_tokens, or num_ctx=... if the model has a larger window.")
        warnings.warn(note, PromptTooLongWarning, stacklevel=2)
        return note

    def _limiter(self, t: _Target) -> Limiter:
        k = (t.api_base, t.model)
        with self._lock:
            lim = self._limiters.get(k)
            if lim is None:
                lim = self._limiters[k] = Limiter(self.limits)
            return lim

    # ----------------------------------------------------- output negotiation
    def _shape(self, t: _Target) -> str:
        """The structured-output shape sent to ``t`` now (negotiated per api_base and model)."""
        k = (t.api_base, t.model)
        shape = self._shapes.get(k)
        if shape is None:
            if self.structured_output != "auto":
                shape = self.structured_output
            elif t.api_base or is_ollama(t.model):
                # OpenAI-compatible servers and Ollama (a schema in "format"): negotiated down on refusal.
                shape = SHAPES[0]
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
        if self.fresh:
            return None  # a redo asks the model again
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
            # A key a server echoes inside its reply never reaches the records, the views or the cache.
            rec.content = redact(choice.message.content or "", [*self._secret_values(), str(kw.get("api_key") or "")])
            rec.finish_reason = str(choice.finish_reason or "")
        except (AttributeError, IndexError):
            rec.content = ""
        usage = getattr(resp, "usage", None)
        rec.prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        rec.completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        rec.cost = self._cost(resp, str(kw["model"]))
        if rec.cost is None and is_local(str(kw["model"]), kw.get("api_base")):
            rec.cost = 0.0  # a model litellm has no price for, on this machine or a private network: free
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
        detail = server_message(redact(str(exc), secrets)) if str(exc) else "no reply before the deadline"
        rec.seconds = time.perf_counter() - t0
        rec.error = f"{type(exc).__name__}: {detail}"
        self._record(rec)
        return detail

    def _wait_after(self, failure: Transient, attempt: int, policy: RetryPolicy, limiter: Limiter,
                    deadline: float) -> float:
        """Seconds to wait before the next attempt, or :class:`EngineError` when attempts or budget run out.

        A server's Retry-After (up to ``policy.max_retry_after``) pauses every request to the model,
        not only this one; a wait that would pass the call's budget ends the call now, saying so.
        """
        if attempt >= policy.max_attempts:
            raise ModelCallError(failure.message, failure.kind) from None
        delay = policy.delay(attempt + 1)
        if failure.retry_after is not None:
            delay = max(delay, min(failure.retry_after, policy.max_retry_after))
            limiter.pause(delay)
        if delay > deadline - time.monotonic():
            asked = (f"the server asked to wait {failure.retry_after:g} s" if failure.retry_after is not None
                     else f"the next attempt is due in {delay:.1f} s")
            raise ModelCallError(f"{failure.message} Not retried: {asked}, past the call's time budget "
                                 f"(RetryPolicy.budget = {policy.budget:g} s).", failure.kind) from None
        self._count_retry()
        return delay

    async def _asend(self, step: str, messages: list[dict[str, Any]], schema: type[BaseModel] | None, *,
                     label: str, kind: str, policy: RetryPolicy, meta: Mapping[str, Any],
                     deadline: float) -> ReplyRecord:
        """One request, with transport retries and shape negotiation; every try ends by the deadline."""
        t, kw = self._request(step, meta.get("size"))
        note = self._size_context(t, kw, messages, label)
        key = self._cache_key(kw, messages, schema)
        rec = self._new_record(step, label, kind, t.model, meta)
        hit = self._from_cache(key, rec)
        if hit is not None:
            return hit
        lt = _litellm()
        limiter = self._limiter(t)
        tokens = _prompt_tokens(messages) + int(kw["max_tokens"])
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
                try:
                    await limiter.acquire(tokens, deadline)
                except LimitWaitTooLong as exc:
                    raise ModelCallError(
                        f"{t.model!r} cannot take {label} for another {exc.wait:.0f} s (a Retry-After the "
                        f"server gave, or the limits: concurrency {self.limits.concurrency}, "
                        f"{self.limits.requests_per_minute or 'no limit of'} requests and "
                        f"{self.limits.tokens_per_minute or 'no limit of'} tokens per minute), past the call's "
                        f"time budget (RetryPolicy.budget = {policy.budget:g} s). Try again later (%hydra retry), "
                        "or raise the limits or the budget.", "budget") from None
                t0 = time.perf_counter()
                try:
                    # wait_for: the deadline holds however slowly the server sends its bytes.
                    resp = await asyncio.wait_for(lt.acompletion(messages=messages, **kw), self.timeout)
                except asyncio.CancelledError:
                    limiter.release()
                    raise
                except Exception as exc:  # classified below: another shape, a retry, or an EngineError
                    limiter.release()
                    detail = self._fail(exc, rec, kw, t0)
                    rec = self._new_record(step, label, kind, t.model, dict(meta, continued=True))
                    if shape_refused(exc, detail, kw):
                        self._next_shape(t, shape)  # never sent again to this target; not a transport retry
                        continue
                    attempt += 1
                    if lock is not None:  # let another request negotiate while this one waits
                        lock.release()
                        lock = None
                    failure = classify(lt, exc, detail, model=t.model, api_base=t.api_base, timeout=self.timeout,
                                       attempt=attempt)
                    delay = self._wait_after(failure, attempt, policy, limiter, deadline)
                    if delay:
                        await asyncio.sleep(delay)
                    lock = await self._negotiate(t, schema)
                    continue
                limiter.release()
                if schema is not None:
                    self._shape_ok.add((t.api_base, t.model))
                done = self._on_success(resp, rec, key, kw, t0)
                if note:
                    done.issues = [*done.issues, Issue("parse_error", note, severity="warning")]
                return done
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
            rec.issues = [*rec.issues, *parsed.issues]  # a context warning stays
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

    def structured(self, step: str, messages: list[dict[str, Any]], schema: type[BaseModel], *, label: str,
                   repair: bool = False, policy: RetryPolicy | None = None) -> Any:
        """Send ``messages`` of your own for ``step`` and return the reply parsed into ``schema``.

        For a step whose messages the engine's own methods do not build (the generation's
        persona top-ups, repairs of a short document, CQs per panel). The request is treated as
        any other of ``step``: its model (``step_models``), its ``max_tokens``, the limiter, the
        cache, the parse repair and the transport retries of ``policy`` (default: the engine's).

        Parameters
        ----------
        step
            One of :data:`STEPS`; it picks the model and the ``max_tokens`` of the request.
        messages
            Chat messages (``{"role": ..., "content": ...}``), sent as they are.
        schema
            The pydantic model the reply must parse into (also sent as ``response_format``).
        label
            What the request is about, for the reply records and error messages.
        repair
            The request asks to fix an earlier reply (counted as a repair in :attr:`usage`).

        Raises
        ------
        ModelReplyError
            No reply parsed within the policy's attempts.
        EngineError
            An unknown ``step``, or the model could not be reached.
        """
        if step not in STEPS:
            raise EngineError(f"Unknown step {step!r} for a structured request. Steps are: {', '.join(STEPS)}.")
        value, _, _ = self._structured(step, messages, schema, label=label, kind="repair" if repair else "first",
                                       policy=policy)
        return value

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
        deadline = time.monotonic() + policy.budget  # the whole call: its requests, retries and waits
        gen = self._parse_loop(messages, schema, kind, policy, label)
        try:
            msgs, k = next(gen)
            while True:
                rec = await self._asend(step, msgs, schema, label=label, kind=k, policy=policy, meta=meta or {},
                                        deadline=deadline)
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
                            feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = (),
                            found: Sequence[TripleCandidate] = ()) -> list[dict[str, Any]]:
        """The messages sent for one chunk: the ontology slice and the known entities it mentions, no more.

        With ``found`` (a gleaning epoch) they list what earlier readings found and ask only for the
        rest; with ``feedback`` they ask to correct the rejected candidates.
        """
        sl = select_slice(ontology, chunk.text, max_properties=self.max_properties, max_classes=self.max_classes)
        ents = self.registry(kg, ontology).relevant(chunk.text, self.max_entities)
        msgs = prompts.extraction(chunk.text, render_ontology(ontology, sl), render_entities(ents),
                                  render_example(ontology, sl))
        if found:
            msgs.append(prompts.extraction_glean(found))
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
                found: Sequence[TripleCandidate] = (),
                policy: RetryPolicy | None = None) -> list[TripleCandidate]:
        """Candidate triples of one chunk: corrections of ``feedback`` only when it is given, and
        facts not in ``found`` only when that is given (a gleaning epoch)."""
        label, meta = self._chunk_meta(chunk)
        value, _, _ = self._structured("extract", self.extraction_messages(chunk, ontology, kg, feedback, found),
                                       ExtractionOut, label=label, kind=_extract_kind(feedback, found),
                                       policy=policy, meta=meta)
        return self._triples(value, chunk, ontology, kg)

    async def aextract(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                       feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = (), *,
                       found: Sequence[TripleCandidate] = (),
                       policy: RetryPolicy | None = None) -> list[TripleCandidate]:
        """:meth:`extract` for asyncio; the pipeline runs the chunks of a text concurrently with it."""
        label, meta = self._chunk_meta(chunk)
        value, _, _ = await self._astructured("extract",
                                              self.extraction_messages(chunk, ontology, kg, feedback, found),
                                              ExtractionOut, label=label, kind=_extract_kind(feedback, found),
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
def _extract_kind(feedback: Sequence[Any], found: Sequence[Any]) -> str:
    """The reply record's kind: a repair, a gleaning epoch's first request, or a chunk's first."""
    return "repair" if feedback else "glean" if found else "first"


def _prompt_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    """About how many tokens ``messages`` take (3.5 characters a token: errs on the long side)."""
    return int(sum(len(str(m.get("content") or "")) + 8 for m in messages) / 3.5) + 1


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
