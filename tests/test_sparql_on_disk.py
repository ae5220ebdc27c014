"""A user's SPARQL over a session on disk runs in a worker over a checkpoint of the store, not over a copy.

The worker is a fresh interpreter reading a RocksDB checkpoint (hard links) of the
session's store: it answers what memory answers, sees every change made before the
query, is killed at the deadline and on an interrupt, and leaves neither a process
nor a checkpoint behind (nor a checkpoint of a kernel that died mid-query).
"""

from __future__ import annotations

import _thread
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from hydra_magic import snapshot_worker
from hydra_magic.changes import Change
from hydra_magic.errors import ParseError, QueryRefusedError, QueryTimeoutError
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig
from hydra_magic.store.session_store import SNAPSHOTS_NAME
from tests.test_sparql_policy import CARTESIAN, EX, _gone, _Watch, linux_only

pytestmark = linux_only

CQS = "Who directed a film? => Ridley Scott"
TEXT = "Alien is a film. Alien was directed by Ridley Scott. Alien was released in 1979."


@pytest.fixture
def pair(tmp_path: Path) -> Any:
    """The same session in memory and on disk, with 300 numeric facts for heavy queries."""
    values = [Fact(URIRef(f"{EX}e{i}"), URIRef(EX + "value"), Literal(i), Evidence("numbers")) for i in range(300)]
    sessions = [Session("ondisk", SessionConfig(journal_dir=None)),
                Session("ondisk", SessionConfig(journal_dir=str(tmp_path)))]
    for s in sessions:
        s.add_cqs(CQS)
        s.extract(TEXT, source="cell-1")
        s.apply_change(Change("import", "numbers", facts_added=values))
    yield sessions[0], sessions[1], tmp_path / "ondisk" / SNAPSHOTS_NAME
    sessions[1].close()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every worker started, as ``snapshot_worker.start`` returned it."""
    seen: list[Any] = []
    real = snapshot_worker.start

    def spy(*args: Any) -> Any:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(snapshot_worker, "start", spy)
    return seen


def _rows(result: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(map(str, r)) for r in result)


def test_answers_what_memory_answers_without_a_copy_and_leaves_nothing(pair: Any, started: list[Any]) -> None:
    mem, disk, checkpoints = pair
    queries = ["SELECT ?s ?o WHERE { ?s onto:directs ?o }", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
               f"SELECT (SUM(?v) AS ?n) WHERE {{ ?e <{EX}value> ?v }}",
               "SELECT ?c WHERE { ?c a owl:Class }"]  # the ontology is in the default graph too
    for q in queries:
        assert _rows(disk.query(q)) == _rows(mem.query(q)) != [], q
    assert disk.query("ASK { ?x a onto:Film }").askAnswer is mem.query("ASK { ?x a onto:Film }").askAnswer is True
    built = "CONSTRUCT { ?s ?p ?o } WHERE { ?s onto:directs ?o . ?s ?p ?o }"
    assert set(disk.query(built).graph) == set(mem.query(built).graph) != set()
    assert disk.kg._copy is None  # type: ignore[attr-defined]
    assert len(started) == len(queries) + 2  # each query its own checkpoint and worker
    assert all(w.process.returncode is not None and _gone(w.pid) for w in started)
    assert list(checkpoints.iterdir()) == []


def test_a_query_sees_every_change_made_before_it(pair: Any, started: list[Any]) -> None:
    _, disk, _ = pair
    q = "SELECT ?s WHERE { ?s onto:directs ?o }"
    before = _rows(disk.query(q))
    disk.extract("Blade Runner was directed by Ridley Scott.", source="cell-2")
    assert len(_rows(disk.query(q))) == len(before) + 1
    disk.undo()
    assert _rows(disk.query(q)) == before
    assert len(started) == 3


def test_the_deadline_kills_the_worker_and_the_session_still_answers(pair: Any, started: list[Any]) -> None:
    _, disk, checkpoints = pair
    facts = len(disk.kg)
    with pytest.raises(QueryTimeoutError, match="did not finish within 1 s"):
        disk.query(CARTESIAN, timeout=1)
    assert len(started) == 1 and _gone(started[0].pid)
    assert list(checkpoints.iterdir()) == []
    assert len(disk.kg) == facts
    assert disk.query(f"ASK {{ ?s <{EX}value> 1 }}").askAnswer is True


def test_an_interrupt_kills_the_worker(pair: Any, started: list[Any]) -> None:
    _, disk, checkpoints = pair
    with _Watch(then=_thread.interrupt_main) as watch, pytest.raises(KeyboardInterrupt):
        disk.query(CARTESIAN, timeout=60)
    assert watch.seen and all(_gone(pid) for pid in watch.seen)
    assert [w.pid for w in started] == sorted(watch.seen)
    assert list(checkpoints.iterdir()) == []


def test_refusals_come_before_any_checkpoint(pair: Any, started: list[Any]) -> None:
    _, disk, _ = pair
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        disk.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(ParseError):
        disk.query("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryRefusedError, match="updates"):
        disk.query("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
    assert started == []


def test_a_query_rdflib_cannot_parse_runs_over_the_copy_in_the_sandbox(pair: Any, started: list[Any]) -> None:
    """Oxigraph reads SPARQL 1.2's LANGDIR, rdflib does not: its SERVICE calls could not be seen, so it runs where
    no connection can be opened (the forked worker over the copy), as in memory."""
    mem, disk, _ = pair
    q = "SELECT ?d WHERE { BIND(LANGDIR('a'@en--ltr) AS ?d) }"
    assert _rows(disk.query(q)) == _rows(mem.query(q)) == [("ltr",)]
    assert started == [] and disk.kg._copy is not None  # type: ignore[attr-defined]


def test_a_checkpoint_left_by_a_dead_kernel_is_removed(pair: Any) -> None:
    _, disk, checkpoints = pair
    stale = checkpoints / "999999999-0"
    (stale / "sub").mkdir(parents=True)
    disk.query("ASK {}")
    assert not stale.exists()


def test_the_cq_tests_keep_running_in_the_store_from_a_thread(pair: Any, started: list[Any]) -> None:
    mem, disk, _ = pair
    assert [t.passed for t in disk.verify(full=True).cq_tests] == [t.passed for t in mem.verify(full=True).cq_tests]
    assert started == []  # the CQ tests' own queries end: no checkpoint, no worker
    assert disk.kg._copy is None  # type: ignore[attr-defined]


def test_a_checkpoint_that_cannot_be_made_or_read_is_a_clear_error(pair: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from hydra_magic.errors import QueryError

    _, disk, checkpoints = pair
    facts = len(disk.kg)
    real = snapshot_worker.start

    class _Full:  # a disk that cannot take the checkpoint
        def backup(self, path: str) -> None:
            raise OSError(28, "No space left on device")

    class _Empty:  # a checkpoint the worker cannot open
        def backup(self, path: str) -> None:
            Path(path).mkdir()

    for store, said in ((_Full(), "No space left on device"), (_Empty(), "could not be opened")):
        monkeypatch.setattr(snapshot_worker, "start", lambda _store, where, s=store: real(s, where))
        with pytest.raises(QueryError, match=said) as info:
            disk.query("SELECT * WHERE { ?s ?p ?o }")
        assert "session is unchanged" in str(info.value)
        assert list(checkpoints.iterdir()) == [] and len(disk.kg) == facts
    monkeypatch.setattr(snapshot_worker, "start", real)
    assert disk.query(f"ASK {{ ?s <{EX}value> 1 }}").askAnswer is True
