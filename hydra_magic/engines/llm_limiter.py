"""One limiter per model: concurrency, requests per minute, tokens per minute, and a server's Retry-After.

Every request to one (api_base, model) passes the same :class:`Limiter`, whatever
chunk, cell or thread sends it: the engine keeps one per target and its derived
copies share them. A 429 with ``Retry-After`` pauses the whole target, so the
other requests wait instead of spending their attempts on the same refusal.

It works across event loops and threads (the generation steps run in worker
threads, each with its own loop): state sits under a ``threading.Lock`` and a
waiting request sleeps with ``asyncio.sleep`` in short steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import AsyncIterator, Callable

__all__ = ["Limits", "Limiter", "LimitWaitTooLong"]


@dataclass(frozen=True)
class Limits:
    """What one model target may receive: ``None`` is no limit (concurrency is always bounded)."""

    concurrency: int = 16
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None

    def __post_init__(self) -> None:
        for name in ("concurrency", "requests_per_minute", "tokens_per_minute"):
            v = getattr(self, name)
            if v is None and name != "concurrency":
                continue
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name}={v!r}: give a positive whole number"
                                 + (" or None for no limit." if name != "concurrency" else "."))


class LimitWaitTooLong(Exception):
    """The limiter would make a request wait past its deadline."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"{wait:.1f} s")
        self.wait = wait


class Limiter:
    """Admission for the requests of one model target."""

    def __init__(self, limits: Limits, *, window: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 step: float = 0.02) -> None:
        self.limits = limits
        self.window = window
        self._clock = clock
        self._step = step
        self._lock = threading.Lock()
        self._in_flight = 0
        self._sent: deque[tuple[float, int]] = deque()  # (time, estimated tokens) within the window
        self._resume_at = 0.0
        self.max_in_flight = 0
        self.waited = 0.0  # seconds requests spent waiting here, all together

    def pause(self, seconds: float) -> None:
        """No request starts for ``seconds`` (a server's Retry-After applies to every chunk)."""
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + max(0.0, seconds))

    def _wait_for(self, tokens: int, now: float) -> float:
        """Seconds before a request of ``tokens`` may start (0: now); call with the lock held."""
        while self._sent and self._sent[0][0] <= now - self.window:
            self._sent.popleft()
        waits = [self._resume_at - now]
        if self._in_flight >= self.limits.concurrency:
            waits.append(self._step)
        rpm, tpm = self.limits.requests_per_minute, self.limits.tokens_per_minute
        if rpm is not None and len(self._sent) >= rpm:
            waits.append(self._sent[len(self._sent) - rpm][0] + self.window - now)
        if tpm is not None and self._sent:
            used = sum(n for _, n in self._sent)
            if used + tokens > tpm:  # wait until enough of the window has passed (a lone request always goes)
                freed = 0
                for t, n in self._sent:
                    freed += n
                    if used - freed + tokens <= tpm or freed == used:
                        waits.append(t + self.window - now)
                        break
        return max(0.0, *waits)

    def _try_admit(self, tokens: int) -> float:
        with self._lock:
            now = self._clock()
            wait = self._wait_for(tokens, now)
            if wait <= 0:
                self._in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self._in_flight)
                self._sent.append((now, tokens))
            return wait

    async def acquire(self, tokens: int = 0, deadline: float | None = None) -> None:
        """Wait until a request of about ``tokens`` may go; :class:`LimitWaitTooLong` if not by ``deadline``."""
        start = self._clock()
        while True:
            wait = self._try_admit(tokens)
            if wait <= 0:
                self.waited += self._clock() - start
                return
            now = self._clock()
            if deadline is not None and now + wait > deadline:
                raise LimitWaitTooLong(now + wait - start)
            await asyncio.sleep(min(wait, max(self._step, 0.001)) if wait <= self._step else min(wait, 0.25))

    def release(self) -> None:
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)

    @contextlib.asynccontextmanager
    async def slot(self, tokens: int = 0, deadline: float | None = None) -> AsyncIterator[None]:
        """``async with limiter.slot(n):`` one request, released however it ends."""
        await self.acquire(tokens, deadline)
        try:
            yield
        finally:
            self.release()
