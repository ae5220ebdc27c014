"""The session store: write-ahead change log, replay, atomic changes, evidence as RDF, settings on restore."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from hydra_magic.changes import Change
from hydra_magic.errors import InputError, JournalError
from hydra_magic.session import Session, SessionConfig
from hydra_magic.store.change_log import ChangeLog
from hydra_magic.store import SessionStore

CQS = "Which films did a director direct?\nWhen was a film released?"
TEXT = "Alien is a 1979 science fiction film directed by Ridley Scott."


def _session(tmp_path: Path, name: str = "films") -> Session:
    return Session(name, SessionConfig(journal_dir=str(tmp_path)))


def _state(s: Session) -> tuple[Any, ...]:
    return (sorted(map(repr, s.kg)), sorted(s.ontology.triples()), [c.text for c in s.cqs], len(s.history))


# ------------------------------------------------------------------ the change log
def test_a_torn_last_record_is_cut_off_and_earlier_damage_is_refused(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path)
    for i in (1, 2, 3):
        log.append({"id": i, "op": "change", "kind": "k", "summary": f"s{i}", "time": 0.0}, {"n": i})
    log.close()
    whole = log.path.read_bytes()
    log.path.write_bytes(whole[:-7])  # a kill in the middle of writing record 3
    assert [r.id for r in ChangeLog(tmp_path).open()] == [1, 2]
    assert log.path.read_bytes() == whole[:whole.rindex(b"\n", 0, len(whole) - 1) + 1]  # cut back to record 2
    intact = log.path.read_bytes()
    damaged = bytearray(intact)
    damaged[5] ^= 0x01  # a flipped bit in record 1's header: not an interrupted write
    log.path.write_bytes(bytes(damaged))
    with pytest.raises(JournalError, match="damaged at byte 0.*not at its end"):
        ChangeLog(tmp_path).open()
    # A flipped bit in record 1's body: opening reads headers only; reading that body (undo, replay) refuses it.
    damaged = bytearray(intact)
    damaged[intact.index(b'{"n":1}') + 5] ^= 0x01
    log.path.write_bytes(bytes(damaged))
    reopened = ChangeLog(tmp_path)
    first, second = reopened.open()
    assert reopened.body(second) == {"n": 2}
    with pytest.raises(JournalError, match="damaged at byte 0.*not at its end"):
        reopened.body(first)


class _CountedReads:
    """The log's bytes, counting those that ``find`` and slicing look at: what opening the log reads."""

    def __init__(self, data: bytes) -> None:
        self.data, self.read = data, 0

    def __len__(self) -> int:
        return len(self.data)

    def find(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        end = len(self.data) if end is None else end
        i = self.data.find(sub, start, end)
        self.read += (i + len(sub) if i >= 0 else end) - start
        return i

    def __getitem__(self, k: slice) -> bytes:
        out = self.data[k]
        self.read += len(out)
        return out


def test_opening_the_log_reads_its_headers_and_not_its_bodies(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path)
    big = {"facts": ["x" * 100] * 10_000}  # ~1 MB each
    for i in (1, 2, 3):
        log.append({"id": i, "op": "change", "kind": "import", "summary": f"s{i}", "time": 0.0}, big)
    log.append({"id": 4, "op": "undo", "of": 3, "time": 0.0}, {"n": 4})  # the last: its checksum is checked
    log.close()
    data = _CountedReads(log.path.read_bytes())
    reader = ChangeLog(tmp_path)
    reader._scan(data)
    assert [r.id for r in reader.records] == [1, 2, 3, 4]
    assert data.read < 2_000 and len(data) > 3_000_000, data.read  # before: every byte, 3 MB
    assert reader.body(reader.records[1]) == big and reader.records[3].header["of"] == 3


def test_a_log_without_body_lengths_or_with_a_wrong_one_still_opens(tmp_path: Path) -> None:
    """Records written before headers said their body's length, and one whose length is off: their line's end
    is searched for, as before."""
    import json
    import zlib

    def line(header: dict[str, Any], body: dict[str, Any]) -> bytes:
        payload = json.dumps(header).encode() + b"\t" + json.dumps(body).encode()
        return payload + b"\t" + f"{zlib.crc32(payload):08x}".encode() + b"\n"

    head = {"op": "change", "kind": "k", "summary": "s", "time": 0.0}
    (tmp_path / ChangeLog.NAME).write_bytes(line({**head, "id": 1}, {"n": 1})
                                            + line({**head, "id": 2, "body": 3}, {"n": 2})  # really 8 bytes
                                            + line({**head, "id": 3, "body": 10**9}, {"n": 3}))
    log = ChangeLog(tmp_path)
    assert [r.id for r in log.open()] == [1, 2, 3]
    assert [log.body(r) for r in log.records] == [{"n": 1}, {"n": 2}, {"n": 3}]
    log.append({**head, "id": 4}, {"n": 4})
    assert [r.id for r in ChangeLog(tmp_path).open()] == [1, 2, 3, 4]


def test_compaction_keeps_the_undo_stack_and_moves_the_rest_to_the_audit_log(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path)
    for i in range(1, 11):
        log.append({"id": i, "op": "change", "kind": "k", "summary": f"s{i}", "time": 0.0}, {"n": i})
    assert log.compact({8, 9, 10}) == 7
    again = ChangeLog(tmp_path)
    assert [r.id for r in again.open()] == [8, 9, 10] and again.body(again.records[0]) == {"n": 8}
    assert len(log.audit_path.read_text().splitlines()) == 7


def test_the_log_is_compacted_as_the_session_goes(tmp_path: Path) -> None:
    s = Session("c", SessionConfig(journal_dir=str(tmp_path), history_limit=3))
    s.add_cqs(CQS)
    for i in range(30):
        s.extract(f"Film{i} is a 1979 film directed by Person{i}.", source=f"src-{i}")
    records = ChangeLog(tmp_path / "c").open()
    assert len(records) <= 3 + 20 and (tmp_path / "c" / "audit.log").is_file()
    s.close()
    again = Session("c", SessionConfig(journal_dir=str(tmp_path), history_limit=3))
    assert len(again.kg.sources()) == 30 and len(again.history) == 3
    assert again.undo().startswith("Undid: src-29")


# ------------------------------------------------------------------ write-ahead: replay after a kill
def test_a_logged_change_the_store_never_applied_is_replayed_on_open(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    memory = Session("m", SessionConfig(journal_dir=None))
    memory.add_cqs(CQS)
    facts = memory.extract(TEXT, source="cell-9").facts
    n = len(s.kg)
    s.close()
    # What a kill right after the log write leaves: the record, but not the store transaction.
    log = ChangeLog(tmp_path / "films")
    last = log.open()[-1].id
    change = Change("extract", "cell-9: replayed", facts_added=facts)
    log.append({"id": last + 1, "op": "change", "kind": change.kind, "summary": change.summary, "time": 0.0},
               {"change": change.to_dict(), "labels": {}, "event": None})
    log.close()
    again = _session(tmp_path)
    assert len(again.kg) == n + len(facts) and again.kg.sources() == ["cell-9"]
    assert again.history[-1].summary == "cell-9: replayed"
    again.undo()
    assert len(again.kg) == n
    again.close()
    assert len(_session(tmp_path).kg) == n  # the undo of a replayed change is itself on disk


# ------------------------------------------------------------------ everywhere or nowhere
def test_a_full_disk_leaves_memory_and_disk_as_they_were(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    before = _state(s)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(JournalError, match=r"No space left on device.*Nothing changed"):
        s.extract(TEXT, source="cell-1")
    monkeypatch.undo()
    assert _state(s) == before
    s.extract(TEXT, source="cell-1")  # with space again, the same cell works
    after = _state(s)
    s.close()
    assert _state(_session(tmp_path)) == after


def test_a_store_that_fails_mid_change_takes_the_log_record_back(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    before, records = _state(s), len(ChangeLog(tmp_path / "films").open())

    def broken(self: Any, meta: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(SessionStore, "_write_meta", broken)
    with pytest.raises(JournalError, match="Nothing changed"):
        s.extract(TEXT, source="cell-1")
    monkeypatch.undo()
    assert _state(s) == before and len(ChangeLog(tmp_path / "films").open()) == records
    s.close()
    assert _state(_session(tmp_path)) == before


def test_text_that_cannot_be_stored_is_refused_at_input(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    before = _state(s)
    with pytest.raises(InputError, match=r"'\\ud83c' at character 6.*unpaired surrogate.*Nothing changed"):
        s.extract("Alien \ud83c is a 1979 film directed by Ridley Scott.")
    with pytest.raises(InputError, match="A competency question contains"):
        s.add_cqs("Which films did a \udc00 direct?")
    assert _state(s) == before
    s.close()
    assert _state(_session(tmp_path)) == before


# ------------------------------------------------------------------ what is on disk
def test_evidence_is_rdf_in_the_store_so_which_cell_said_this_is_a_sparql_query(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    s.extract(TEXT, source="cell-7")
    base = s.config.base
    s.close()
    store = ox.Store.read_only(str(tmp_path / "films" / "store"))
    rows = list(store.query(f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?source ?sentence WHERE {{
          GRAPH <{base}evidence> {{ ?e rdf:subject <{base}entity/alien> ; prov:wasDerivedFrom ?source ;
                                     prov:value ?sentence }} }}""",
                            prefixes={"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}))
    assert {(r["source"].value, r["sentence"].value) for r in rows} == {(f"{base}source/cell-7", TEXT)}
    blank = list(store.query(f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isBlank(?s) || isBlank(?o)) "
                             f"FILTER(?g != <{base}ontology>) }}"))
    assert blank == []  # facts and evidence carry no blank nodes: a SPARQL server holds the same data


def test_restored_settings_are_checked_and_a_saved_model_is_named_not_used(tmp_path: Path) -> None:
    s = Session("cfg", SessionConfig(journal_dir=str(tmp_path), chunk_chars=777))
    s.set_model("openai/gpt-4o-mini")
    s._save(config={**s.config.to_dict(), "history_limit": -3, "types": "sometimes"})
    s.close()
    again = Session("cfg", SessionConfig(journal_dir=str(tmp_path)))
    assert again.config.engine == "rules" and again.config.chunk_chars == 777
    assert again.config.history_limit == SessionConfig().history_limit and again.config.types == "default"
    assert "last used with the model 'openai/gpt-4o-mini'" in again.restored
    assert "%config HydraMagics.model = 'openai/gpt-4o-mini'" in again.restored
    assert "history_limit=-3 is not valid" in again.restored and "types='sometimes' is not valid" in again.restored


def test_opening_a_session_again_in_one_process_takes_it_over(tmp_path: Path) -> None:
    first = _session(tmp_path)
    first.add_cqs(CQS)
    second = _session(tmp_path)  # a notebook re-running `Session("films")`
    assert len(second.cqs) == 2
    with pytest.raises(JournalError, match="was closed when the session was opened again.*nothing was lost"):
        first.extract(TEXT, source="cell-1")
    second.extract(TEXT, source="cell-1")
    assert len(second.kg) > 0


def test_a_change_writes_its_own_size_not_the_sessions(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.add_cqs(CQS)
    log = tmp_path / "films" / "changes.log"
    for i in range(40):
        s.extract(f"Film{i} is a 1979 film directed by Person{i}.", source=f"s{i}")
    grown = []
    for i in range(40, 43):
        size = log.stat().st_size
        s.extract(f"Film{i} is a 1979 film directed by Person{i}.", source=f"s{i}")
        grown.append(log.stat().st_size - size)
    # one record per change, of about the same size however many facts came before
    assert max(grown) < 2 * min(grown) and max(grown) < 8_000


def test_ids_never_go_back_after_compaction_so_a_change_killed_before_the_store_is_replayed(
        tmp_path: Path) -> None:
    # Found by the kill test: compaction dropped the log's newest ids below the store's applied id, the next
    # change reused one, and a kill between its log record and the store left it unapplied yet undoable.
    import signal
    import subprocess
    import sys
    import textwrap

    child = textwrap.dedent(f"""
        import os, signal
        from hydra_magic.session import Session, SessionConfig
        from hydra_magic.store.session_store import SessionStore
        s = Session("films", SessionConfig(journal_dir={str(tmp_path)!r}))
        s.add_cqs({CQS!r})
        s.extract("Alien is a 1979 film directed by Ridley Scott.", source="keep")
        for i in range(11):  # the 11th undo compacts the log down to the undo stack
            s.extract(f"Film Q{{chr(97 + i)}} is a 1990 film directed by Person Q{{chr(97 + i)}}.", source=f"tmp-{{i}}")
            s.undo()
        SessionStore._apply = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)  # killed after the log write
        s.extract("Heat is a 1995 film directed by Michael Mann.", source="heat")
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    s = _session(tmp_path)
    assert sorted(s.kg.sources()) == ["heat", "keep"]  # the logged change was replayed
    assert s.undo().startswith("Undid: heat")
    assert s.kg.sources() == ["keep"]


def test_a_typed_string_literal_and_an_empty_engine_come_back_as_they_went_in(tmp_path: Path) -> None:
    # Found by the store benchmark: the store gives back xsd:string literals as plain ones (one RDF term),
    # rdflib keeps them apart, so after a restart the fact could not be undone; "" came back as "unknown".
    from rdflib import XSD, Literal, URIRef

    from hydra_magic.kg import Evidence, Fact

    s = _session(tmp_path)
    s.add_cqs(CQS)
    alien = URIRef(s.config.base + "entity/alien")
    fact = Fact(alien, URIRef(s.config.base + "ontology#title"), Literal("Alien", datatype=XSD.string),
                Evidence(source="cell-1", engine=""))
    s.apply_change(Change("import", "a typed string", facts_added=[fact]))
    assert s.kg.contains(alien, fact.predicate, Literal("Alien")) and len(s.kg) == 1
    s.close()
    again = _session(tmp_path)
    [back] = list(again.kg)
    assert back.object == Literal("Alien") and back.evidence.engine == ""
    again.undo()
    assert len(again.kg) == 0
    again.close()
    assert len(_session(tmp_path).kg) == 0


def test_size_and_membership_are_kept_as_facts_come_and_go(tmp_path: Path) -> None:
    s = Session("m", SessionConfig(journal_dir=None))
    s.add_cqs(CQS)
    s.extract(TEXT, source="a")
    s.extract(TEXT, source="b")  # the same triples from a second source
    in_a, in_b = len(s.kg.facts("a")), len(s.kg.facts("b"))
    assert len(s.kg) == in_a + in_b and in_b >= 1
    key = s.kg.facts("b")[0].key  # held by both sources
    assert key in {f.key for f in s.kg.facts("a")}
    s.kg.remove_source("a")
    assert len(s.kg) == in_b and s.kg.contains(*key)  # still held by source b
    s.kg.remove_source("b")
    assert len(s.kg) == 0 and not s.kg.contains(*key)


def test_damaged_or_missing_session_state_is_refused_and_the_store_kept(tmp_path: Path) -> None:
    # Before: an unreadable state literal (or none) made open() clear the store as if it were new.
    from hydra_magic.store.session_store import _STATE

    s = _session(tmp_path)
    s.add_cqs(CQS)
    s.extract(TEXT, source="cell-1")
    n, base = len(s.kg), s.config.base
    s.close()
    path = str(tmp_path / "films" / "store")
    store = ox.Store(path)
    g = ox.NamedNode(base + "session")
    store.update(f"DELETE WHERE {{ GRAPH {g} {{ {_STATE} {_STATE} ?o }} }};"
                 f"INSERT DATA {{ GRAPH {g} {{ {_STATE} {_STATE} {ox.Literal('{not json')} }} }}")
    del store
    with pytest.raises(JournalError, match="session state of 'films'.*unreadable.*left untouched"):
        _session(tmp_path)
    store = ox.Store(path)
    store.update(f"DELETE WHERE {{ GRAPH {g} {{ {_STATE} {_STATE} ?o }} }}")
    kept = len(list(store.quads_for_pattern(None, None, None, None)))
    del store
    with pytest.raises(JournalError, match="holds data but no session state.*left untouched"):
        _session(tmp_path)
    store = ox.Store(path)
    assert len(list(store.quads_for_pattern(None, None, None, None))) == kept > n
    del store
    assert len(Session("films", SessionConfig(journal_dir=str(tmp_path)), restore=False).kg) == 0  # asked to


def test_a_flush_that_never_returns_does_not_hang_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RocksDB's manual Flush() can wait forever; close() warns after its deadline and goes on."""
    import threading
    import time

    from hydra_magic.store import SessionStore

    s = Session("stall", SessionConfig(journal_dir=str(tmp_path)))
    store = s.journal
    assert isinstance(store, SessionStore)
    real, release = store._store, threading.Event()

    class Stalling:
        def flush(self) -> None:
            release.wait(30)

    monkeypatch.setattr(SessionStore, "FLUSH_DEADLINE", 0.2)
    store._store = Stalling()
    t0 = time.monotonic()
    with pytest.warns(RuntimeWarning, match="did not finish flushing.*nothing is lost"):
        s.close()
    assert time.monotonic() - t0 < 5 and not store.is_open
    release.set()
    del real


def test_a_store_still_held_in_this_process_says_so(tmp_path: Path) -> None:
    """A stalled flush keeps the closed store alive in its thread: reopening here names that, not another process."""
    from hydra_magic.errors import SessionBusyError

    s = Session("held", SessionConfig(journal_dir=str(tmp_path)))
    held = s.journal._store  # type: ignore[union-attr]  # what the stalled flush thread holds on to
    s.close()
    with pytest.raises(SessionBusyError, match="still held in this process.*restart the kernel"):
        Session("held", SessionConfig(journal_dir=str(tmp_path)))
    del held
    Session("held", SessionConfig(journal_dir=str(tmp_path))).close()  # let go: it opens again


def test_a_session_left_open_at_exit_lets_the_interpreter_exit(tmp_path: Path) -> None:
    """Session.__del__ at interpreter shutdown closes the store; no thread can start then (it hung `make demo`)."""
    import subprocess
    import sys

    code = ("from hydra_magic.session import Session, SessionConfig\n"
            f"s = Session('left-open', SessionConfig(journal_dir={str(tmp_path)!r}))\n"
            "s.add_cqs('Which films did a director direct?')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    again = Session("left-open", SessionConfig(journal_dir=str(tmp_path)))
    assert again.cqs
    again.close()


def test_a_session_dropped_by_the_collector_waits_on_no_flush_and_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Session.__del__`` may run anywhere the collector does (inside another lock): the store then skips
    its flush thread and its 60 s wait; the next open replays RocksDB's write-ahead log."""
    import gc

    import hydra_magic.store.session_store as session_store

    flushed: list[bool] = []
    real = session_store._flush_within
    monkeypatch.setattr(session_store, "_flush_within", lambda store, seconds: flushed.append(True) or real(
        store, seconds))
    s: Session | None = _session(tmp_path)
    s.add_cqs(["Who directed a film?"])  # type: ignore[union-attr]
    s.extract(TEXT, source="alien")  # type: ignore[union-attr]
    before = _state(s)  # type: ignore[arg-type]
    s = None
    gc.collect()
    assert flushed == []
    again = _session(tmp_path)
    assert _state(again) == before and len(again.kg) > 0
    again.close()
    assert flushed == [True]  # an explicit close still flushes
