"""Provider profiles: how a model string becomes the request litellm sends, and where a key may go.

One table per provider family, read by :class:`~hydra_magic.engines.llm.LLMEngine`:

* **OpenAI** (``openai/gpt-4o-mini``) and **Anthropic** (``anthropic/claude-haiku-4-5``) on their own
  endpoints: the provider's environment key (litellm reads it), ``max_tokens`` no higher than the
  model's output limit in litellm's local model map. An Anthropic name that map does not know
  (retired or misspelt, e.g. ``claude-3-5-haiku-latest``) is refused at once with the current names.
* **Ollama** (``ollama_chat/llama3.1``; ``ollama/…`` is sent the same way, to ``/api/chat``):
  ``num_ctx`` sized to each prompt (Ollama's default context silently cuts a long prompt), capped at
  the model's context window, with a :class:`PromptTooLongWarning` when a prompt cannot fit.
* **OpenAI-compatible servers** (vLLM, llama.cpp, LM Studio: ``openai/<name>``, ``hosted_vllm/<name>``,
  ``lm_studio/<name>`` with ``api_base``): structured output negotiated per server; the key given for
  that server (``api_key`` or ``$HYDRA_API_KEY``) or a placeholder, never a provider's environment key.

A model served from this machine or a private network costs 0, not "unknown".
"""

from __future__ import annotations

import ipaddress
import math
import re
import time
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..errors import EngineError

__all__ = ["STEPS", "DEFAULT_MAX_TOKENS", "MIN_EXTRACT_TOKENS", "KEY_VARIABLE", "MODEL_NAMING", "ModelNameError",
           "PromptTooLongWarning", "provider_of", "custom_base", "is_local", "key_for", "key_variable",
           "request_model", "request_base", "output_limit", "context_window", "ollama_num_ctx", "check_model_name",
           "current_models", "is_ollama"]

#: Step names a model can be set for (``step_models={"ontology": "openai/gpt-4o"}``).
STEPS = ("committee", "scope", "merge_scope", "cqs", "dedupe", "ontology", "weave", "extract", "sparql")

#: ``max_tokens`` sent for each step unless the ``max_tokens`` option says otherwise. For ``extract``
#: it is a ceiling: a chunk gets as many tokens as it has characters (about four times its own
#: tokens), at least :data:`MIN_EXTRACT_TOKENS`.
DEFAULT_MAX_TOKENS: Mapping[str, int] = {"committee": 2048, "scope": 2048, "merge_scope": 2048, "cqs": 2048,
                                         "dedupe": 1024, "ontology": 4096, "weave": 4096, "extract": 4096,
                                         "sparql": 1024}
MIN_EXTRACT_TOKENS = 512

#: The environment variable whose key is sent to a custom ``api_base`` (when no ``api_key`` is given).
KEY_VARIABLE = "HYDRA_API_KEY"

PLACEHOLDER_KEY = "EMPTY"  # OpenAI-compatible servers (vLLM, llama.cpp) want some key string

#: The ways to name a model, shown whenever a name cannot be used.
MODEL_NAMING = ("'rules' (offline, no model); 'openai/gpt-4o-mini' (OPENAI_API_KEY); "
                "'anthropic/claude-haiku-4-5' (ANTHROPIC_API_KEY); 'ollama_chat/llama3.1' (a local Ollama, "
                "api_base if not http://localhost:11434); 'openai/<name>', 'hosted_vllm/<name>' or "
                "'lm_studio/<name>' with api_base=... for vLLM, llama.cpp or LM Studio "
                f"(key: api_key=... or ${KEY_VARIABLE})")

#: A provider's own endpoints (a leading dot: any host under that domain): there, and only there,
#: litellm may use the provider's environment key. Any other ``api_base`` is a custom endpoint.
PROVIDER_HOSTS: Mapping[str, tuple[str, ...]] = {
    "openai": ("api.openai.com",), "anthropic": ("api.anthropic.com",), "groq": ("api.groq.com",),
    "mistral": ("api.mistral.ai",), "together_ai": ("api.together.xyz",), "deepseek": ("api.deepseek.com",),
    "openrouter": ("openrouter.ai",), "fireworks_ai": ("api.fireworks.ai",), "xai": ("api.x.ai",),
    "cohere": ("api.cohere.com", "api.cohere.ai"), "gemini": ("generativelanguage.googleapis.com",),
    "azure": (".openai.azure.com", ".cognitiveservices.azure.com"),
    "azure_ai": (".services.ai.azure.com", ".inference.ai.azure.com", ".models.ai.azure.com"),
    "databricks": (".cloud.databricks.com", ".azuredatabricks.net"),
}

#: Providers that run on the user's own machine by default (no key, no price).
LOCAL_PROVIDERS = frozenset({"ollama", "ollama_chat", "lm_studio", "hosted_vllm", "llamafile"})

#: Ollama's context when the model map does not know the model, and the smallest ``num_ctx`` sent.
OLLAMA_DEFAULT_WINDOW = 8192
OLLAMA_MIN_CTX = 2048


class ModelNameError(EngineError):
    """The model name cannot be used: no request was sent. The message lists the ways to name one."""

    kind = "model_name"


class PromptTooLongWarning(UserWarning):
    """A prompt (with the reply's ``max_tokens``) is longer than the model's context window."""


def provider_of(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else "openai"


def is_ollama(model: str) -> bool:
    return provider_of(model) in ("ollama", "ollama_chat")


def request_model(model: str) -> str:
    """The model string sent to litellm: ``ollama/x`` goes to Ollama's chat endpoint (``ollama_chat/x``)."""
    return "ollama_chat/" + model.split("/", 1)[1] if provider_of(model) == "ollama" else model


def request_base(model: str, api_base: str | None) -> str | None:
    """The ``api_base`` sent: Anthropic's without a trailing ``/v1`` (litellm appends ``/v1/messages``)."""
    if api_base and provider_of(model) == "anthropic" and api_base.rstrip("/").endswith("/v1"):
        return api_base.rstrip("/")[:-3]
    return api_base


def custom_base(model: str, api_base: str | None) -> bool:
    """Whether ``api_base`` is someone else's server, not the model provider's own endpoint."""
    if not api_base:
        return False
    host = (urlsplit(api_base).hostname or "").lower()
    return not any(host.endswith(h) if h.startswith(".") else host == h
                   for h in PROVIDER_HOSTS.get(provider_of(model), ()))


def is_local(model: str, api_base: str | None) -> bool:
    """A model on this machine or a private network (no price): loopback, private address, ``.local``."""
    if not api_base:
        return provider_of(model) in LOCAL_PROVIDERS  # their default endpoint is localhost
    host = (urlsplit(api_base).hostname or "").lower()
    if host == "localhost" or host.endswith((".local", ".localhost")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def key_for(model: str, api_base: str | None, given: str | None, environ: Mapping[str, str]) -> str | None:
    """The key sent: a custom endpoint gets only a key given for it (never a provider's variable).

    ``None`` lets litellm read the provider's own variable on the provider's own endpoint; Ollama gets
    no key unless one is given (it has no use for a placeholder).
    """
    if not custom_base(model, api_base):
        return given or None
    if given or environ.get(KEY_VARIABLE):
        return given or environ.get(KEY_VARIABLE)
    return None if is_ollama(model) else PLACEHOLDER_KEY


def key_variable(model: str, api_base: str | None = None) -> str:
    """The environment variable a user sets for ``model`` at ``api_base``."""
    if custom_base(model, api_base) or (not api_base and provider_of(model) in LOCAL_PROVIDERS):
        return KEY_VARIABLE
    return f"{provider_of(model).upper().replace('-', '_')}_API_KEY"


# ------------------------------------------------------------------ model map
def _info(lt: Any, model: str) -> Mapping[str, Any]:
    names = [model, model.split("/", 1)[-1]]
    if is_ollama(model):
        names.insert(0, "ollama/" + model.split("/", 1)[1])
    for name in names:
        try:
            info = lt.get_model_info(name)
        except Exception:  # litellm raises for a model its map does not know
            continue
        if info:
            return dict(info)
    return {}


def output_limit(lt: Any, model: str) -> int | None:
    """The most tokens a reply of ``model`` may have, per litellm's local model map (``None``: unknown)."""
    n = _info(lt, model).get("max_output_tokens")
    return int(n) if isinstance(n, (int, float)) and n > 0 else None


def context_window(lt: Any, model: str) -> int | None:
    n = _info(lt, model).get("max_input_tokens") or _info(lt, model).get("max_tokens")
    return int(n) if isinstance(n, (int, float)) and n > 0 else None


def ollama_num_ctx(prompt_tokens: int, max_tokens: int, window: int | None) -> tuple[int, bool]:
    """``num_ctx`` for one Ollama request, and whether the prompt fits in the model's window.

    The prompt plus the reply, rounded up to a multiple of 1,024 (at least :data:`OLLAMA_MIN_CTX`),
    no more than the window (:data:`OLLAMA_DEFAULT_WINDOW` when the model map does not know it).
    """
    window = window or OLLAMA_DEFAULT_WINDOW
    need = prompt_tokens + max_tokens
    ctx = max(OLLAMA_MIN_CTX, 1024 * math.ceil(need / 1024))
    return min(ctx, window), need <= window


def current_models(lt: Any, provider: str, today: float | None = None) -> list[str]:
    """The chat models of ``provider`` in litellm's local map that are not past their deprecation date."""
    now = time.strftime("%Y-%m-%d", time.gmtime(today if today is not None else time.time()))
    out = []
    for name, info in getattr(lt, "model_cost", {}).items():
        if not isinstance(info, dict) or info.get("litellm_provider") != provider or "/" in name:
            continue
        if info.get("mode", "chat") != "chat" or re.search(r"-\d{8}$", name):
            continue  # dated snapshots: the alias names the same model
        dep = str(info.get("deprecation_date") or "")
        if dep and dep <= now:
            continue
        out.append(name)
    return sorted(out)


def check_model_name(lt: Any, model: str, api_base: str | None) -> str:
    """The provider of ``model``, or :class:`ModelNameError` naming the ways to write one.

    On Anthropic's own endpoint the name must be in litellm's map: a retired name gets no schema, no
    price and no output limit there, and Anthropic refuses it anyway.
    """
    try:
        _, provider, _, _ = lt.get_llm_provider(request_model(model), api_base=api_base)
    except Exception:
        raise ModelNameError(f"Unknown model {model!r}: litellm cannot tell which provider serves it. Name a "
                             f"model as one of: {MODEL_NAMING}.") from None
    if provider == "anthropic" and not custom_base(model, api_base) and not _info(lt, model):
        names = ", ".join(f"anthropic/{n}" for n in current_models(lt, "anthropic")[:8])
        raise ModelNameError(f"Unknown Anthropic model {model!r}: it is not in litellm's model map (retired or "
                             f"misspelt). Current names include {names}. Other ways to name a model: "
                             f"{MODEL_NAMING}.")
    return str(provider)
