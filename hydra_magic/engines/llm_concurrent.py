"""The scheduler of the model engine's concurrent work: it runs coroutines, nothing else.

:func:`schedule` runs async jobs at most ``limit`` at a time and returns their
results in order; :func:`run_sync` runs a coroutine from synchronous code, also
inside Jupyter's running event loop. The extraction loop itself (propose →
verify → feed back) is :mod:`hydra_magic.pipeline`'s, and the limits per model
(concurrency, requests and tokens per minute, Retry-After) are the engine's
:class:`~hydra_magic.engines.llm_limiter.Limiter`.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Awaitable, Callable, Sequence, TypeVar

__all__ = ["schedule", "run_sync"]

T = TypeVar("T")


def schedule(jobs: Sequence[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run ``jobs`` (coroutine factories), at most ``limit`` at a time; their results in the order given."""
    async def run_all() -> list[T]:
        sem = asyncio.Semaphore(max(1, limit))

        async def one(job: Callable[[], Awaitable[T]]) -> T:
            async with sem:
                return await job()

        return list(await asyncio.gather(*(one(j) for j in jobs)))

    return run_sync(run_all)


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from synchronous code, also inside a running loop (Jupyter).

    In a running loop the coroutine gets its own loop in a worker thread; an
    interrupt (Ctrl-C / kernel interrupt) cancels it and is re-raised.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())  # type: ignore[arg-type]
    loop = asyncio.new_event_loop()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = loop.run_until_complete(factory())
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            # As asyncio.run does: background tasks (litellm's logging worker) are cancelled and
            # awaited, so that closing the loop leaves no "Task was destroyed but it is pending!".
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=work, name="hydra-extract", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.05)
    except KeyboardInterrupt:
        def cancel_all() -> None:
            for task in asyncio.all_tasks(loop):
                task.cancel()
        if not loop.is_closed():
            loop.call_soon_threadsafe(cancel_all)
        thread.join(5)
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
