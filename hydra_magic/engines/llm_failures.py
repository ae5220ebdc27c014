"""What a failed model request means: try again later (and how long to wait), or stop and say why.

:func:`classify` turns a litellm error into either a :class:`Transient` (rate
limit, server error, timeout, refused connection: worth another attempt) or an
:class:`~hydra_magic.errors.EngineError` whose message names the model, the
server's words (credentials redacted) and the next step.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import EngineError
from .llm_providers import KEY_VARIABLE, custom_base, key_variable

__all__ = ["Transient", "ModelCallError", "classify", "server_message", "retry_after", "shape_refused", "KINDS"]

#: The kinds of failed calls (``ModelCallError.kind``), as ``hydra extract`` reports them.
KINDS = ("timeout", "rate_limit", "connection", "server_error", "auth", "forbidden", "model_not_found",
         "context_window", "bad_request", "budget", "call_failed")


class ModelCallError(EngineError):
    """A model call that failed for good; ``kind`` is one of :data:`KINDS` (stable, for reports)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Transient:
    """A failure worth another attempt: the message if attempts run out, the server's Retry-After."""

    message: str
    kind: str
    retry_after: float | None = None


def server_message(text: str) -> str:
    """The server's own words out of a litellm error string, shortened."""
    text = re.sub(r"^(litellm\.)?\w+(Error|Exception)?:\s*", "", text.strip())
    text = re.sub(r"^\w+(Error|Exception):\s*", "", text)
    text = re.sub(r"^\w+Exception\s*-\s*", "", text)
    text = " ".join(text.split())
    return text if len(text) <= 240 else text[:239] + "…"


def retry_after(exc: BaseException) -> float | None:
    """The seconds a server asked to wait (``Retry-After`` in seconds), if it said."""
    resp = getattr(exc, "response", None)
    headers = getattr(resp, "headers", None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None  # an HTTP date: treated as no advice (the back-off applies)


def shape_refused(exc: BaseException, detail: str, kw: Mapping[str, Any]) -> bool:
    """Whether the server refused the request for its ``response_format`` (whatever the HTTP status)."""
    if "response_format" not in kw or isinstance(exc, asyncio.TimeoutError):
        return False
    status = getattr(exc, "status_code", None)
    if status is None or status in (401, 403, 404, 408, 429):
        return False
    low = detail.lower()
    return any(w in low for w in ("response_format", "response format", "json_schema", "json_object"))


def classify(lt: Any, exc: BaseException, detail: str, *, model: str, api_base: str | None, timeout: float,
             attempt: int) -> Transient:
    """A :class:`Transient` for a failure worth retrying; raises :class:`EngineError` for one that is not."""
    where = f" at {api_base}" if api_base else ""
    status = getattr(exc, "status_code", None)
    low = detail.lower()
    if isinstance(exc, (lt.Timeout, asyncio.TimeoutError)):
        return Transient(f"The model {model!r}{where} did not answer within {timeout:g} s (timeout), "
                         f"{attempt} attempt(s). Try again later (%hydra retry) or raise the engine's timeout.",
                         "timeout")
    if isinstance(exc, lt.RateLimitError) or status == 429:
        return Transient(f"Rate limit of {model!r} still hit after {attempt} attempt(s): {detail}. Wait a minute "
                         "and retry the failed chunks (%hydra retry), or lower the engine's concurrency or "
                         "requests_per_minute.", "rate_limit", retry_after(exc))
    if isinstance(exc, lt.AuthenticationError) or status == 401:
        if custom_base(model, api_base):
            raise ModelCallError(
                f"The model server{where} rejected the API key for {model!r} (HTTP 401): {detail}. Pass the "
                f"key for this server as api_key=... (engine option) or set {KEY_VARIABLE}; provider "
                "variables such as OPENAI_API_KEY are never sent to a custom api_base.", "auth") from None
        raise ModelCallError(f"The provider rejected the API key for {model!r} (HTTP 401): {detail}. "
                             f"Check {key_variable(model, api_base)} (or the api_key you passed).", "auth") from None
    if isinstance(exc, lt.PermissionDeniedError) or status == 403:
        raise ModelCallError(f"Access to {model!r} is denied (HTTP 403): {detail}. Check that your key may "
                             "use this model.", "forbidden") from None
    if isinstance(exc, lt.NotFoundError) or status == 404:
        raise ModelCallError(f"Unknown model {model!r}{where}: {detail}. Check the model name "
                             "(and api_base).", "model_not_found") from None
    if isinstance(exc, getattr(lt, "ContextWindowExceededError", ())):
        raise ModelCallError(f"The prompt is too long for {model!r}: {detail}. Use smaller chunks "
                             "(hydra.config.chunk_chars) or a model with a larger context.", "context_window") from None
    if isinstance(exc, lt.BadRequestError) and "provider not provided" in low:
        raise ModelCallError(f"Unknown model {model!r}: litellm cannot tell its provider. Write it as "
                             "provider/model, e.g. 'openai/gpt-4o-mini'.", "model_not_found") from None
    if isinstance(exc, lt.APIConnectionError) or "connection error" in low or "connect" in low and not status:
        return Transient(f"Cannot reach the model server{where or ' of ' + repr(model)} after {attempt} "
                         "attempt(s) (connection failed). Check that it is running and that api_base is right.",
                         "connection")
    if isinstance(exc, lt.BadRequestError) or (status is not None and 400 <= status < 500):
        raise ModelCallError(f"The model server refused the request for {model!r} (HTTP {status or 400}): "
                             f"{detail}.", "bad_request") from None
    if status is None or status >= 500 or isinstance(exc, (lt.InternalServerError, lt.APIError)):
        return Transient(f"The model server{where} failed (HTTP {status or 'error'}) after {attempt} attempt(s): "
                         f"{detail}. Try again later (%hydra retry).", "server_error", retry_after(exc))
    raise ModelCallError(f"The call to {model!r} failed: {type(exc).__name__}: {detail}.", "call_failed") from None
