"""propose → verify → feed back → retry: the one loop every engine output goes through.

This module owns the only repair loop (:class:`_ChunkLoop`), for engines called
one chunk after the other and for those whose chunks run at the same time; the
scheduler (:mod:`hydra_magic.engines.llm_concurrent`) only runs coroutines.

Nothing here mutates the session: the functions return candidates with verdicts,
and :class:`~hydra_magic.session.Session` applies the accepted part in one step
(so an interrupted cell leaves no half-applied change).
"""

from __future__ import annotations

import functools
import inspect
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .candidates import OntologyProposal, TextChunk, TripleCandidate
from .contracts import CheckedTriple, OntologyVerdict, TripleVerdict, check_proposal, check_triples
from .contracts.type_evidence import TypeBook
from .engines.capabilities import capabilities_of
from .errors import EngineError
from .issues import Issue
from .outcomes import ChunkOutcome, RetryPolicy

if TYPE_CHECKING:
    from .cq import CompetencyQuestion
    from .engines.base import Engine
    from .kg import KnowledgeGraph
    from .ontology import Ontology

__all__ = ["RetryPolicy", "ChunkOutcome", "CapWarning", "chunk_text", "extract_chunks", "propose_ontology"]

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


_Key = tuple[str, str, str]


def _key(c: TripleCandidate) -> _Key:
    return (c.subject, c.predicate, c.object)


@dataclass(frozen=True)
class _Ask:
    """One request of the loop: the rejected candidates to repair, and what earlier epochs found."""

    feedback: list[tuple[TripleCandidate, list[Issue]]]
    found: list[TripleCandidate]

    def options(self) -> dict[str, Any]:
        """Keyword arguments of the engine call: ``found`` only in a gleaning epoch (other engines never get it)."""
        return {"found": self.found} if self.found else {}


class _ChunkLoop:
    """The one propose → verify → feed back loop of a chunk, driven by a synchronous or an async caller.

    ``request()`` gives the next request (``None``: done), ``take()`` the engine's candidates,
    ``fail()`` its error. No wait between attempts: a repair is a new question, and the engine
    waits itself where a request failed (back-off, Retry-After, its limiter).

    Gleaning (``epochs`` > 1, only for an engine that declares it): once an epoch is over (nothing
    rejected, or its attempts spent), the chunk is read again with the candidates found so far, and
    the engine is asked only for facts not among them. A candidate an earlier epoch already accepted
    or rejected is not checked again (its verdict stands, reported once); the others go through the
    same contracts and repairs as the first reading. Reading stops after an epoch in which no new
    candidate was accepted (none proposed, or every new one rejected), or after ``epochs``. The
    rejections of finished epochs stay reported: a later epoch only adds to them.
    """

    def __init__(self, chunk: TextChunk, policy: RetryPolicy, attempts: int,
                 check: Callable[[list[TripleCandidate]], TripleVerdict], epochs: int = 1) -> None:
        self.out = ChunkOutcome(chunk)
        self._policy = policy
        self._attempts = attempts
        self._epochs = epochs
        self._check = check
        self._feedback: list[tuple[TripleCandidate, list[Issue]]] = []
        self._tried = 0  # requests in the current epoch
        self._epoch_over = False
        self._new = False  # the current epoch had a new candidate accepted
        self._failed = False
        self._accepted_keys: set[_Key] = set()
        self._settled: list[CheckedTriple] = []  # rejections of finished epochs
        self._settled_keys: set[_Key] = set()

    def request(self) -> _Ask | None:
        if self._failed:
            return None
        if self.out.epochs and not self._epoch_over and self._tried < self._attempts:
            self._tried += 1
            self.out.attempts += 1
            return _Ask(self._feedback, self._found() if self.out.epochs > 1 else [])
        if self.out.epochs and (self.out.epochs >= self._epochs or not self._new):
            return None
        # A new epoch: the first reading, or a gleaning one.
        self._settled = list(self.out.rejected)
        self._settled_keys = {_key(ct.candidate) for ct in self._settled}
        self.out.epochs += 1
        self.out.attempts += 1
        self._tried, self._epoch_over, self._new, self._feedback = 1, False, False, []
        return _Ask([], self._found() if self.out.epochs > 1 else [])

    def fail(self, exc: EngineError) -> None:
        # The chunk is reported as failed and can be retried; other chunks go on. What earlier epochs
        # accepted is kept in the outcome (the session adds it and keeps the source's earlier facts).
        self.out.error = str(exc)
        self.out.error_kind = str(getattr(exc, "kind", "") or "engine_error")
        self._failed = True

    def take(self, candidates: Sequence[TripleCandidate]) -> None:
        cap = self._policy.max_candidates
        if len(candidates) > cap:
            self._note(f"attempt {self.out.attempts}: the engine proposed {len(candidates):,} candidates; only the "
                       f"first {cap:,} were checked (RetryPolicy.max_candidates)")
            candidates = candidates[:cap]
        # Repeats of what is already decided (an accepted fact, or a rejection of an earlier epoch)
        # keep their verdict; a repeat of this epoch's rejection is checked again (it is the repair).
        decided = self._accepted_keys | self._settled_keys
        fresh = [c for c in candidates if _key(c) not in decided]
        if not fresh:  # nothing (new): this epoch is over; the rejections so far stand
            self._epoch_over = True
            return
        verdict = self._check(fresh)
        # Only what passed the contracts counts as found (HyDRA counts the triples its contract let in):
        # an epoch of rejected guesses ends the reading instead of paying for more of them.
        self._new = self._new or bool(verdict.accepted)
        self.out.accepted.extend(verdict.accepted)
        self._accepted_keys.update(_key(ct.candidate) for ct in verdict.accepted)
        self.out.rejected = [*self._settled, *verdict.rejected]
        if not verdict.rejected:
            self._epoch_over = True
            return
        cap = self._policy.max_feedback
        if len(verdict.rejected) > cap and self._tried < self._attempts:
            self._note(f"attempt {self.out.attempts}: {len(verdict.rejected):,} candidates were rejected; the repair "
                       f"request names the first {cap:,} (RetryPolicy.max_feedback)")
        self._feedback = [(ct.candidate, ct.issues) for ct in verdict.rejected[:cap]]

    def _found(self) -> list[TripleCandidate]:
        """What the chunk's readings found so far, sent with a gleaning request (accepted, then rejected)."""
        found = [ct.candidate for ct in self.out.accepted] + [ct.candidate for ct in self.out.rejected]
        cap = self._policy.max_candidates
        if len(found) > cap:
            self._note(f"epoch {self.out.epochs}: {len(found):,} candidates were found so far; the gleaning "
                       f"request lists the first {cap:,} (RetryPolicy.max_candidates)")
            found = found[:cap]
        return found

    def _note(self, text: str) -> None:
        self.out.notes.append(text)
        warnings.warn(f"{self.out.chunk.source or 'text'}#{self.out.chunk.index}: {text}.", CapWarning, stacklevel=4)


class CapWarning(UserWarning):
    """A bound of the :class:`RetryPolicy` cut what an engine proposed or what a repair request carries."""


def _caller(engine: Any, policy: RetryPolicy, name: str) -> Callable[..., Any]:
    """``engine.<name>``, given the policy when it takes one (the model engine bounds its requests by it)."""
    fn = getattr(engine, name)
    return functools.partial(fn, policy=policy) if _takes_policy(getattr(fn, "__func__", fn)) else fn


@functools.lru_cache(maxsize=256)
def _takes_policy(fn: Callable[..., Any]) -> bool:
    # Memoised per function: inspect.signature per chunk was 3 % of the offline engine's extraction time.
    try:
        return "policy" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def extract_chunks(engine: "Engine", chunks: Sequence[TextChunk], text: str, ontology: "Ontology",
                   kg: "KnowledgeGraph", policy: RetryPolicy = RetryPolicy(), *, ground: bool = True,
                   on_progress: ProgressCallback | None = None,
                   sleep: Callable[[float], None] | None = None,
                   concurrency: int | None = None, types: str = "default") -> list[ChunkOutcome]:
    """Extract and verify every chunk; retry only rejected candidates, with their issues as feedback.

    Types accepted in earlier chunks count for later ones (entities keep one type
    across a long text) without touching the KG. Only an engine that declares
    ``repair`` (:mod:`hydra_magic.engines.capabilities`) is asked again, and only
    one that declares ``gleaning`` reads a chunk more than once (up to
    ``policy.max_epochs``, asking only for facts not yet found; see :class:`_ChunkLoop`).

    An engine that declares ``concurrency`` (the model engine) gets its chunks
    extracted at the same time, at most ``concurrency`` at once (default: the
    engine's); the outcomes are the same list, in the same order, as one after
    the other gives. ``sleep`` is accepted for compatibility and not used: no
    attempt waits here.

    Raises
    ------
    EngineError
        Before any chunk, when the engine cannot be used at all (``check_ready``:
        an unknown model name, a missing key). A chunk whose calls fail is reported
        in its outcome's ``error`` instead.
    """
    del sleep
    caps = capabilities_of(engine)
    check_ready = getattr(engine, "check_ready", None)
    if chunks and callable(check_ready):
        check_ready()
    attempts = policy.max_attempts if caps.repair else 1
    epochs = policy.max_epochs if caps.gleaning else 1

    def checker(known: TypeBook) -> Callable[[list[TripleCandidate]], TripleVerdict]:
        return functools.partial(check_triples, ontology=ontology, kg=kg, text=text, ground=ground,
                                 known_types=known, types=types)

    if chunks and caps.concurrency:
        return _extract_concurrently(engine, chunks, text, ontology, kg, policy, attempts, epochs, checker,
                                     on_progress=on_progress, concurrency=concurrency, ground=ground, types=types)
    extract = _caller(engine, policy, "extract")
    outcomes: list[ChunkOutcome] = []
    known = TypeBook()  # types accepted in earlier chunks and attempts (check_triples extends it)
    for n, chunk in enumerate(chunks, start=1):
        loop = _ChunkLoop(chunk, policy, attempts, checker(known), epochs)
        while (ask := loop.request()) is not None:
            try:
                loop.take(extract(chunk, ontology, kg, ask.feedback, **ask.options()))
            except EngineError as exc:
                loop.fail(exc)
        outcomes.append(loop.out)
        if on_progress is not None:
            on_progress(n, len(chunks))
    return outcomes


def _extract_concurrently(engine: Any, chunks: Sequence[TextChunk], text: str, ontology: "Ontology",
                          kg: "KnowledgeGraph", policy: RetryPolicy, attempts: int, epochs: int,
                          checker: Callable[[TypeBook], Callable[[list[TripleCandidate]], TripleVerdict]], *,
                          on_progress: ProgressCallback | None, concurrency: int | None, ground: bool,
                          types: str) -> list[ChunkOutcome]:
    """The chunk loop for every chunk at once (scheduled by :mod:`~hydra_magic.engines.llm_concurrent`).

    The outcome does not depend on which reply came back first: once every chunk
    is done, a final pass walks the chunks in order, gives each entity the name it
    got first and re-checks each chunk's candidates with the types accepted in
    earlier chunks, as the loop one chunk after the other would.
    """
    from .engines.llm_concurrent import schedule
    from .engines.llm_context import EntityRegistry

    aextract = _caller(engine, policy, "aextract")
    total = len(chunks)
    done = [0]

    async def one(chunk: TextChunk) -> ChunkOutcome:
        loop = _ChunkLoop(chunk, policy, attempts, checker(TypeBook()), epochs)
        while (ask := loop.request()) is not None:
            try:
                loop.take(await aextract(chunk, ontology, kg, ask.feedback, **ask.options()))
            except EngineError as exc:
                loop.fail(exc)
        done[0] += 1
        if on_progress is not None:
            on_progress(done[0], total)
        return loop.out

    limit = max(1, int(concurrency or getattr(engine, "concurrency", 8) or 8))
    jobs = [functools.partial(one, c) for c in chunks]
    batch = getattr(engine, "batch", None)
    if callable(batch):
        with batch(f"extract {chunks[0].source or ''} ({total} chunks)".replace("  ", " ")):
            outcomes = schedule(jobs, limit)
    else:
        outcomes = schedule(jobs, limit)

    registry = EntityRegistry.from_kg(kg, ontology)
    known = TypeBook()
    for out in outcomes:
        renamed = registry.canonicalise([ct.candidate for ct in [*out.accepted, *out.rejected]], ontology)
        seen: set[tuple[str, str, str]] = set()
        candidates = []
        for c in renamed:
            if (c.subject, c.predicate, c.object) not in seen:
                seen.add((c.subject, c.predicate, c.object))
                candidates.append(c)
        if not candidates:
            continue
        verdict = check_triples(candidates, ontology, kg, text, ground=ground, known_types=known, types=types)
        out.accepted, out.rejected = verdict.accepted, verdict.rejected
    return outcomes


def propose_ontology(engine: "Engine", cqs: Sequence["CompetencyQuestion"], ontology: "Ontology",
                     policy: RetryPolicy = RetryPolicy(), *, single_root: bool = True,
                     sleep: Callable[[float], None] | None = None,
                     apply: Callable[[OntologyVerdict], None] | None = None,
                     ) -> tuple[list[OntologyVerdict], list[Issue], list[OntologyProposal]]:
    """Ask the engine for ontology candidates and check them; retry only the rejected ones.

    ``apply`` lets the caller stage accepted candidates (on a scratch ontology)
    between attempts so a repaired candidate can build on an accepted one. Only an
    engine that declares ``repair`` is asked again, and never after a wait.
    Returns the verdict of every attempt, the engine's own issues (``unparsed_cq``)
    and the raw proposals.
    """
    del sleep
    verdicts: list[OntologyVerdict] = []
    engine_issues: list[Issue] = []
    proposals: list[OntologyProposal] = []
    feedback: list[tuple[Any, list[Issue]]] = []
    attempts = policy.max_attempts if capabilities_of(engine).repair else 1
    for attempt in range(1, attempts + 1):
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
        feedback = list(verdict.rejected)[:policy.max_feedback]
    return verdicts, engine_issues, proposals
