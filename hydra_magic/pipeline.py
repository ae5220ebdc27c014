"""propose → verify → feed back → retry: the one loop every engine output goes through.

Nothing here mutates the session: the functions return candidates with verdicts,
and :class:`~hydra_magic.session.Session` applies the accepted part in one step
(so an interrupted cell leaves no half-applied change).
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .candidates import OntologyProposal, TextChunk, TripleCandidate
from .errors import EngineError
from .contracts import OntologyVerdict, check_proposal, check_triples
from .contracts.type_evidence import TypeBook
from .issues import Issue
from .outcomes import ChunkOutcome, RetryPolicy

if TYPE_CHECKING:
    from .cq import CompetencyQuestion
    from .engines.base import Engine
    from .kg import KnowledgeGraph
    from .ontology import Ontology

__all__ = ["RetryPolicy", "ChunkOutcome", "chunk_text", "extract_chunks", "propose_ontology"]

ProgressCallback = Callable[[int, int], None]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])|\n\s*\n")


def chunk_text(text: str, source: str = "", max_chars: int = 2000) -> list[TextChunk]:
    """Split ``text`` into chunks of whole sentences, at most ``max_chars`` each when possible."""
    if len(text) <= max_chars:
        return [TextChunk(text, 0, 0, source)]
    chunks: list[TextChunk] = []
    start = 0
    cut_points = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    last = 0
    for cp in cut_points:
        if cp - start > max_chars and last > start:
            chunks.append(TextChunk(text[start:last], start, len(chunks), source))
            start = last
        last = cp
    if start < len(text):
        chunks.append(TextChunk(text[start:], start, len(chunks), source))
    return [c for c in chunks if c.text.strip()]


def _sleep_before(attempt: int, policy: RetryPolicy, sleep: Callable[[float], None]) -> None:
    if attempt > 1:
        sleep(policy.delay(attempt))


def extract_chunks(engine: "Engine", chunks: Sequence[TextChunk], text: str, ontology: "Ontology",
                   kg: "KnowledgeGraph", policy: RetryPolicy = RetryPolicy(), *, ground: bool = True,
                   on_progress: ProgressCallback | None = None,
                   sleep: Callable[[float], None] = time.sleep,
                   concurrency: int | None = None, types: str = "default") -> list[ChunkOutcome]:
    """Extract and verify every chunk; retry only rejected candidates, with their issues as feedback.

    Types accepted in earlier chunks count for later ones (entities keep one type
    across a long text) without touching the KG.

    An engine with an async ``aextract`` (the model engine) gets its chunks
    extracted concurrently, at most ``concurrency`` at a time (default: the
    engine's ``concurrency``); the outcomes are the same list, in the same
    order, as the sequential loop gives.
    """
    import inspect

    if len(chunks) > 0 and inspect.iscoroutinefunction(getattr(engine, "aextract", None)):
        from .engines.llm_concurrent import extract_concurrently

        return extract_concurrently(engine, chunks, text, ontology, kg, policy, ground=ground,
                                    on_progress=on_progress, concurrency=concurrency, types=types)
    outcomes: list[ChunkOutcome] = []
    known = TypeBook()  # types accepted in earlier chunks and attempts (check_triples extends it)
    for n, chunk in enumerate(chunks, start=1):
        out = ChunkOutcome(chunk)
        feedback: list[tuple[TripleCandidate, list[Issue]]] = []
        while out.attempts < policy.max_attempts:
            out.attempts += 1
            if out.attempts > 1:
                _sleep_before(out.attempts, policy, sleep)
            try:
                candidates = engine.extract(chunk, ontology, kg, feedback)
            except EngineError as exc:
                # The chunk is reported as failed and can be retried; other chunks go on.
                out.error = str(exc)
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
        outcomes.append(out)
        if on_progress is not None:
            on_progress(n, len(chunks))
    return outcomes


def propose_ontology(engine: "Engine", cqs: Sequence["CompetencyQuestion"], ontology: "Ontology",
                     policy: RetryPolicy = RetryPolicy(), *, single_root: bool = True,
                     sleep: Callable[[float], None] = time.sleep,
                     apply: Callable[[OntologyVerdict], None] | None = None,
                     ) -> tuple[list[OntologyVerdict], list[Issue], list[OntologyProposal]]:
    """Ask the engine for ontology candidates and check them; retry only the rejected ones.

    ``apply`` lets the caller stage accepted candidates (on a scratch ontology)
    between attempts so a repaired candidate can build on an accepted one.
    Returns the verdict of every attempt, the engine's own issues (``unparsed_cq``)
    and the raw proposals.
    """
    verdicts: list[OntologyVerdict] = []
    engine_issues: list[Issue] = []
    proposals: list[OntologyProposal] = []
    feedback: list[tuple[Any, list[Issue]]] = []
    for attempt in range(1, policy.max_attempts + 1):
        _sleep_before(attempt, policy, sleep)
        proposal = engine.propose_ontology(cqs, ontology, feedback)
        proposals.append(proposal)
        if attempt == 1:
            engine_issues.extend(proposal.issues)
        if not proposal.classes and not proposal.properties:
            break
        verdict = check_proposal(proposal, ontology, single_root=single_root)
        verdicts.append(verdict)
        if apply is not None:
            apply(verdict)
        if verdict.ok:
            break
        feedback = list(verdict.rejected)
    return verdicts, engine_issues, proposals
