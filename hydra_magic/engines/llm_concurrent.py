"""Concurrent extraction of the chunks of a long text (used by :func:`hydra_magic.pipeline.extract_chunks`).

Model calls of different chunks overlap (asyncio, at most ``concurrency`` at a
time); each chunk runs its own bounded repair loop. The outcome does not depend
on which reply came back first: once every chunk is done, a final pass walks the
chunks *in order*, gives each entity the name it got first (the entity
registry) and re-checks every chunk's candidates with the types accepted in
earlier chunks, exactly as the sequential loop would.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Sequence, TypeVar


from ..candidates import TextChunk, TripleCandidate
from ..contracts import check_triples
from ..contracts.type_evidence import TypeBook
from ..errors import EngineError
from ..issues import Issue
from ..outcomes import ChunkOutcome, RetryPolicy
from .llm_context import EntityRegistry

if TYPE_CHECKING:
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology

__all__ = ["extract_concurrently", "run_sync", "has_async_extract"]

T = TypeVar("T")


def has_async_extract(engine: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(engine, "aextract", None))


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


def _key(c: TripleCandidate) -> tuple[str, str, str]:
    return (c.subject, c.predicate, c.object)


def extract_concurrently(engine: Any, chunks: Sequence[TextChunk], text: str, ontology: "Ontology",
                         kg: "KnowledgeGraph", policy: "RetryPolicy", *, ground: bool = True,
                         on_progress: Callable[[int, int], None] | None = None,
                         concurrency: int | None = None, types: str = "default") -> list["ChunkOutcome"]:
    """Extract and verify every chunk, ``concurrency`` chunks at a time; same outcomes as the sequential loop."""

    limit = max(1, int(concurrency or getattr(engine, "concurrency", 8) or 8))
    takes_policy = "policy" in inspect.signature(engine.aextract).parameters
    total = len(chunks)

    async def one(chunk: TextChunk, sem: asyncio.Semaphore, done: list[int]) -> ChunkOutcome:
        out = ChunkOutcome(chunk)
        known = TypeBook()  # types accepted in this chunk's earlier attempts (check_triples adds them)
        feedback: list[tuple[TripleCandidate, list[Issue]]] = []
        async with sem:
            while out.attempts < policy.max_attempts:
                out.attempts += 1
                if out.attempts > 1:
                    await asyncio.sleep(policy.delay(out.attempts))
                try:
                    if takes_policy:
                        candidates = await engine.aextract(chunk, ontology, kg, feedback, policy=policy)
                    else:
                        candidates = await engine.aextract(chunk, ontology, kg, feedback)
                except EngineError as exc:
                    out.error = str(exc)  # the chunk is reported as failed; the others go on
                    break
                if not candidates:
                    break
                verdict = check_triples(candidates, ontology, kg, text, ground=ground, known_types=known,
                                        types=types)
                out.accepted.extend(verdict.accepted)
                out.rejected = verdict.rejected
                if not verdict.rejected:
                    break
                feedback = [(ct.candidate, ct.issues) for ct in verdict.rejected]
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0], total)
        return out

    async def run_all() -> list[ChunkOutcome]:
        sem = asyncio.Semaphore(limit)
        done = [0]
        return list(await asyncio.gather(*(one(c, sem, done) for c in chunks)))

    batch = getattr(engine, "batch", None)
    if callable(batch):
        with batch(f"extract {chunks[0].source if chunks else ''} ({total} chunks)".strip()):
            outcomes = run_sync(run_all)
    else:
        outcomes = run_sync(run_all)

    # Final pass, in chunk order: one name per entity, earlier chunks' types count.
    registry = EntityRegistry.from_kg(kg, ontology)
    known = TypeBook()
    for out in outcomes:
        renamed = registry.canonicalise([ct.candidate for ct in [*out.accepted, *out.rejected]], ontology)
        seen: set[tuple[str, str, str]] = set()
        candidates = []
        for c in renamed:
            if _key(c) not in seen:
                seen.add(_key(c))
                candidates.append(c)
        if not candidates:
            continue
        verdict = check_triples(candidates, ontology, kg, text, ground=ground, known_types=known, types=types)
        out.accepted, out.rejected = verdict.accepted, verdict.rejected
    return outcomes
