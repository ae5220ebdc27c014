"""What one extraction run is bounded by and what it returns: :class:`RetryPolicy`, :class:`ChunkOutcome`.

Below the engines and the pipeline, so that both share them: the pipeline's
sequential loop and the model engine's concurrent scheduler return the same
outcomes under the same policy (the pipeline re-exports both names).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .candidates import TextChunk
from .contracts import CheckedTriple

__all__ = ["ChunkOutcome", "RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """The single retry policy (configured in one place: ``Session.config.retry``).

    Only the rejected part is retried; ``max_attempts`` counts the first try (of a
    repair, of a reply that did not parse, and of a request that failed in
    transport alike). A repair is asked at once; only a failed request waits:
    exponential back-off with full jitter, capped at ``max_delay`` seconds, or the
    server's ``Retry-After`` up to ``max_retry_after`` seconds. One call to an
    engine (its requests and waits together) may take ``budget`` seconds; a wait
    that would pass it fails the call at once, saying so.

    ``max_candidates`` bounds the candidates read from one reply and
    ``max_feedback`` the rejected candidates sent back in one repair request (a
    reply with 100k triples must not cost minutes of checks and a 55 MB repair);
    a cap that cuts is reported in :attr:`ChunkOutcome.notes`.

    ``max_epochs`` bounds how often an engine that declares ``gleaning`` reads one
    chunk (HyDRA's extraction epochs, 3 in the reference): each later reading asks
    only for facts not yet found, and reading stops at the first one in which no
    new candidate passed the contracts. 1 reads every chunk once. Each epoch has its own ``max_attempts``.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: bool = True
    max_retry_after: float = 60.0
    budget: float = 600.0
    max_candidates: int = 500
    max_feedback: int = 50
    max_epochs: int = 3

    def __post_init__(self) -> None:
        for name in ("max_attempts", "max_candidates", "max_feedback", "max_epochs"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"RetryPolicy.{name}={v!r}: give a whole number of at least 1.")
        for name in ("base_delay", "max_delay", "max_retry_after", "budget"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
                raise ValueError(f"RetryPolicy.{name}={v!r}: give a number of seconds, 0 or more.")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number ``attempt`` (2, 3, …)."""
        d = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 2)))
        return (rng or random).uniform(0, d) if self.jitter else d


@dataclass
class ChunkOutcome:
    chunk: TextChunk
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[CheckedTriple] = field(default_factory=list)
    attempts: int = 0  # requests for this chunk, repairs and gleaning epochs included
    epochs: int = 0  # readings of the chunk (1 without gleaning; RetryPolicy.max_epochs at most)
    error: str = ""  # engine failure (network, key, …): the chunk can be retried later
    error_kind: str = ""  # what kind of failure (the engine error's ``kind``: rate_limit, parse_error, …)
    notes: list[str] = field(default_factory=list)  # what a cap cut (candidates, repair feedback)
