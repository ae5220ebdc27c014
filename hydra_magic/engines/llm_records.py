"""What the model engine keeps of its calls: usage, reply records, and credentials that never show.

Every reply is a :class:`ReplyRecord` (redacted before it is stored: a key a
server echoes inside a reply never reaches the records or the cache); tokens,
calls, cache hits and cost add up in :class:`Usage`. A key is held in a
:class:`_Secret`, which prints as ``***`` and is never pickled with its value.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

from ..errors import EngineError
from ..issues import Issue

__all__ = ["Usage", "ReplyRecord", "ModelReplyError", "redact"]


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
    gleanings: int = 0  # requests that re-read a chunk for facts not yet found (gleaning epochs)
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
                f"{self.repairs} repairs, " + (f"{self.gleanings} gleanings, " if self.gleanings else "")
                + f"{self.errors} errors, {self.seconds:.1f}s waiting")

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
    kind: str = "first"  # first | repair | parse-repair | glean
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

    kind = "parse_error"

    def __init__(self, message: str, issues: Sequence[Issue] = (), raw: str = "") -> None:
        super().__init__(message)
        self.issues = list(issues)
        self.raw = raw

