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

    Only the rejected part is retried; ``max_attempts`` counts the first try.
    Back-off is exponential with full jitter, capped at ``max_delay`` seconds.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    jitter: bool = True

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt number ``attempt`` (2, 3, …)."""
        d = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 2)))
        return (rng or random).uniform(0, d) if self.jitter else d


@dataclass
class ChunkOutcome:
    chunk: TextChunk
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[CheckedTriple] = field(default_factory=list)
    attempts: int = 0
    error: str = ""  # engine failure (network, key, …): the chunk can be retried later
