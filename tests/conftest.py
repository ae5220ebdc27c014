"""Shared fixtures: a scripted engine, temporary journals, an IPython shell that raises on cell errors.

Nothing here writes into the repository: journals and exports live under
pytest's ``tmp_path``.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Sequence

import pytest

from hydra_magic.candidates import (ClassCandidate, OntologyProposal, PropertyCandidate, TextChunk,
                                    TripleCandidate)
from hydra_magic.errors import EngineError


class FakeEngine:
    """A deterministic stand-in for a model, for tests that need exact outputs.

    Ontology: ``Thing`` ⊒ ``Film``, ``Person``; ``directedBy`` (Film → Person) and
    ``releaseYear`` (Film → xsd:integer), proposed for any CQs (minus what exists).
    Text: every sentence ``<Film> was directed by <Person>[ in <year>].`` gives the
    types, ``directedBy`` and ``releaseYear``; ``<X> starred in <Y>.`` gives a
    candidate with the unknown property ``starredIn`` (always rejected).

    Knobs: ``interrupt_at`` (chunk index that raises KeyboardInterrupt),
    ``fail_chunks`` (chunk indexes that raise EngineError, as a network error would),
    ``skip_known_types`` (no ``isA`` for an entity the KG already types, as the
    offline rules engine does).
    """

    name = "fake"
    _DIRECTED = re.compile(r"(?P<film>[A-Z][\w' ]*?) was directed by (?P<person>[A-Z][\w. ]*?)"
                           r"(?: in (?P<year>\d{4}))?\.")
    _STARRED = re.compile(r"(?P<who>[A-Z][\w ]*?) starred in (?P<film>[A-Z][\w ]*?)\.")

    def __init__(self, *, interrupt_at: int | None = None, fail_chunks: Sequence[int] = (),
                 skip_known_types: bool = False) -> None:
        self.interrupt_at = interrupt_at
        self.skip_known_types = skip_known_types
        self.fail_chunks = set(fail_chunks)
        self.extract_calls = 0
        self.propose_calls = 0

    def propose_ontology(self, cqs: Sequence[Any], ontology: Any, feedback: Sequence[Any] = ()) -> OntologyProposal:
        self.propose_calls += 1
        if feedback:
            return OntologyProposal()
        origin = cqs[0].text if cqs else ""
        classes = [ClassCandidate("Thing", origin=origin), ClassCandidate("Film", "Thing", origin=origin),
                   ClassCandidate("Person", "Thing", origin=origin)]
        props = [PropertyCandidate("directedBy", "object", ("Film",), ("Person",), label="directed by",
                                   origin=origin),
                 PropertyCandidate("releaseYear", "data", ("Film",), ("integer",), label="release year",
                                   origin=origin)]
        return OntologyProposal(classes=[c for c in classes if ontology.get_class(c.name) is None],
                                properties=[p for p in props if ontology.get_property(p.name) is None])

    def extract(self, chunk: TextChunk, ontology: Any, kg: Any, feedback: Sequence[Any] = ()) -> list[TripleCandidate]:
        self.extract_calls += 1
        if self.interrupt_at is not None and chunk.index == self.interrupt_at:
            raise KeyboardInterrupt
        if chunk.index in self.fail_chunks:
            raise EngineError(f"chunk {chunk.index}: connection reset (scripted)")
        if feedback:
            return []
        out: list[TripleCandidate] = []

        def span(m: re.Match[str], group: str) -> tuple[int, int]:
            return chunk.start + m.start(group), chunk.start + m.end(group)

        def typed(name: str) -> bool:
            return self.skip_known_types and bool(kg.types_of(kg.entity_iri(name)))

        for m in self._DIRECTED.finditer(chunk.text):
            film, person = m["film"].strip(), m["person"].strip()
            f, p = _snake(film), _snake(person)
            if not typed(f):
                out.append(TripleCandidate(f, "isA", "Film", film, sentence=m[0], subject_span=span(m, "film")))
            if not typed(p):
                out.append(TripleCandidate(p, "isA", "Person", person, sentence=m[0],
                                           subject_span=span(m, "person")))
            out += [TripleCandidate(f, "directedBy", p, film, person, sentence=m[0],
                                    subject_span=span(m, "film"), object_span=span(m, "person"))]
            if m["year"]:
                out.append(TripleCandidate(f, "releaseYear", m["year"], film, m["year"], sentence=m[0],
                                           subject_span=span(m, "film"), object_span=span(m, "year")))
        for m in self._STARRED.finditer(chunk.text):
            out.append(TripleCandidate(_snake(m["who"]), "starredIn", _snake(m["film"]), m["who"], m["film"],
                                       sentence=m[0]))
        return out


def _snake(text: str) -> str:
    return re.sub(r"\W+", "_", text.strip().lower()).strip("_")


@pytest.fixture()
def fake_engine() -> FakeEngine:
    """A fresh :class:`FakeEngine`."""
    return FakeEngine()


@pytest.fixture()
def journal_dir(tmp_path: Any) -> str:
    """A temporary journal directory (never ``.hydra/`` in the repository)."""
    d = tmp_path / "journals"
    d.mkdir()
    return str(d)


@pytest.fixture()
def make_session(journal_dir: str) -> Callable[..., Any]:
    """Build a :class:`~hydra_magic.session.Session` journaled under ``journal_dir``, with a FakeEngine by default."""
    from hydra_magic.session import Session, SessionConfig

    def make(name: str = "test", engine: Any = "fake", **config: Any) -> Any:
        config.setdefault("journal_dir", journal_dir)
        eng = FakeEngine() if engine == "fake" else engine
        return Session(name, SessionConfig(**config), engine=eng)

    return make


@pytest.fixture(scope="session")
def ipython() -> Any:
    """The process's IPython shell (created once, history in memory)."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    if InteractiveShell.initialized():
        return InteractiveShell.instance()
    cfg = Config()
    cfg.HistoryManager.hist_file = ":memory:"
    return InteractiveShell.instance(config=cfg)


class CellError(Exception):
    """A cell raised; ``.error`` is the original exception."""


@pytest.fixture()
def run_cell(ipython: Any) -> Callable[[str], Any]:
    """Run one cell in the test shell; return its result, re-raise what it raised (TestingShell pattern)."""

    def run(code: str) -> Any:
        result = ipython.run_cell(code, store_history=False, silent=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            raise error
        return result.result

    return run


@pytest.fixture()
def hydra_ext(ipython: Any, journal_dir: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    """``%load_ext hydra_magic`` done in the test shell, undone afterwards.

    Journals go to ``journal_dir``, the working directory is ``tmp_path``, and the
    active session is driven by a :class:`FakeEngine`. Yields a namespace with
    ``shell``, ``magics``, ``session`` and ``engine``.
    """
    from types import SimpleNamespace

    from hydra_magic.extension import find_magics, load_ipython_extension, unload_ipython_extension
    from hydra_magic.session import Session

    monkeypatch.chdir(tmp_path)
    saved = dict.get(ipython.config, "HydraMagics")
    ipython.config.HydraMagics.journal_dir = journal_dir
    user_ns_before = set(ipython.user_ns)
    load_ipython_extension(ipython)
    magics = find_magics(ipython)
    engine = FakeEngine()
    session = magics.sessions.adopt(Session(magics.session_name, magics.session_config(), engine=engine))
    ipython.user_ns["hydra"] = session
    try:
        yield SimpleNamespace(shell=ipython, magics=magics, session=session, engine=engine)
    finally:
        unload_ipython_extension(ipython)
        for name in set(ipython.user_ns) - user_ns_before:
            ipython.user_ns.pop(name, None)
        if saved is None:
            ipython.config.pop("HydraMagics", None)
        else:
            ipython.config.HydraMagics = saved
