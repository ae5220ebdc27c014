"""The on-disk home of one session: an Oxigraph store, a change log and a lock.

``<journal_dir>/<name>/`` holds

* ``store/`` — a pyoxigraph (RocksDB) store: the facts in one named graph per
  source and all of them once in ``<base>facts``, their evidence in
  ``<base>evidence`` (see :mod:`.evidence_rdf`), the
  ontology in ``<base>ontology`` and the session's small state (settings, CQs,
  rules, shapes, recent events, the id of the last applied change) as one JSON
  literal in ``<base>session``;
* ``changes.log`` — the write-ahead change log (see :mod:`.change_log`);
* ``lock`` and ``holder.json`` — one writer process at a time.

A change is applied in this order: log record (fsynced), store, memory. A kill
anywhere leaves a log whose complete records the store either holds or replays
on the next open, so a session opens consistently whatever moment killed it.
If the log or the store cannot take a change, it is taken back from both and the
caller leaves memory as it was: a change is applied everywhere or nowhere.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from ..changes import Change
from ..errors import JournalError, SessionBusyError
from ..journal import SNAPSHOT_NAME, Journal, session_name_problem
from ..kg import Fact
from .change_log import ChangeLog, LogRecord, encode_json
from .evidence_rdf import EvidenceGraphs
from .terms import TermCache, to_ox

__all__ = ["SessionStore", "StoredState", "STORE_FORMAT", "undo_stack"]

#: Format of the session directory this version writes (1 was the JSON snapshot ``session.json``; 2 had no
#: ``<base>facts`` graph: it is built once when such a store is opened).
STORE_FORMAT = 3
_STATE = ox.NamedNode("https://hydra-magic.dev/ns#sessionState")
#: The stores open in this process, by directory: opening a session again here takes it over.
_OPEN: "weakref.WeakValueDictionary[Path, SessionStore]" = weakref.WeakValueDictionary()
#: Under the session directory: the checkpoints a user's SPARQL query reads while it runs (removed after it).
SNAPSHOTS_NAME = "query-checkpoints"
_UPGRADE_HINT = "upgrade with pip install -U hydra_magic, or move the directory away to start fresh"


def _triple_quad(triple: Any, graph: Any) -> ox.Quad:
    """The pyoxigraph quad of an rdflib ``(s, p, o)`` in ``graph``."""
    s, p, o = triple
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)


@dataclass
class StoredState:
    """What a session directory holds, read back on open."""

    meta: dict[str, Any]
    ontology: list[tuple[Any, Any, Any]]
    facts: list[Fact]
    labels: dict[Any, str]
    #: The undo stack: change records not undone, oldest first (bodies are read on demand).
    history: list[LogRecord] = field(default_factory=list)
    #: A sentence for the user when the directory was converted from a JSON snapshot.
    migrated: str = ""
    #: The knowledge graph read from the store on demand (then ``facts`` and ``labels`` are empty).
    graph: Any = None


class SessionStore:
    """Opens, writes and closes the directory of one named session."""

    def __init__(self, root: str | os.PathLike[str], name: str, base: str) -> None:
        problem = session_name_problem(name)
        if problem is not None:
            raise JournalError(problem)
        self.root = Path(root)
        self.name = name
        self.path = self.root / name
        self.names = EvidenceGraphs(base)
        self.log = ChangeLog(self.path)
        self.meta: dict[str, Any] = {}
        self._store: Any = None
        self._lock: Any = None
        self._superseded = False
        self._read_only: Any = None
        #: The session's graph, told about every fact this store adds or removes (see ``StoredKnowledgeGraph``).
        self.graph: Any = None

    # ------------------------------------------------------------ naming
    @staticmethod
    def exists_at(root: str | os.PathLike[str], name: str) -> bool:
        d = Path(root) / name
        return (d / "store").is_dir() or (d / SNAPSHOT_NAME).is_file()

    @staticmethod
    def list_sessions(root: str | os.PathLike[str]) -> list[str]:
        r = Path(root)
        if not r.is_dir():
            return []
        return sorted(p.name for p in r.iterdir() if p.is_dir() and SessionStore.exists_at(r, p.name))

    @property
    def is_open(self) -> bool:
        return self._store is not None

    # ------------------------------------------------------------ open / close
    def open(self, fresh_meta: dict[str, Any], *, discard: bool = False) -> StoredState:
        """Lock the directory, open the store, replay what the log holds beyond it; returns the state.

        ``fresh_meta`` is the state a new session starts with (its settings); ``discard`` empties a
        saved session of this name first (``Session(restore=False)``).

        Raises
        ------
        SessionBusyError
            Another process (or another open Session object) holds this session.
        JournalError
            The directory cannot be created, or was written by a newer hydra_magic.
        """
        from ..session_lock import SessionLock

        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError(f"Could not create the session directory {self.path}: {exc}. Check that the "
                               "directory is writable, or set journal_dir=None to keep the session in memory "
                               "only.") from exc
        key = self.path.resolve()
        earlier = _OPEN.get(key)
        if earlier is not None and earlier is not self and earlier.is_open:
            # Re-running `Session("films")` in a notebook: the newest object takes the session over; the
            # earlier one has written every change already, so nothing is lost, and it refuses new ones.
            earlier.close()
            earlier._superseded = True
        lock = SessionLock(self.path, self.name)
        lock.acquire()
        _OPEN[key] = self
        self._lock = lock
        try:
            return self._open_locked(fresh_meta, discard)
        except BaseException:
            self.close()
            raise

    def _open_locked(self, fresh_meta: dict[str, Any], discard: bool) -> StoredState:
        try:
            self._store = ox.Store(str(self.path / "store"))
        except OSError as exc:
            if "current process" in str(exc):
                # RocksDB's lock is held in this very process: a close whose flush stalled (it warned) keeps
                # the store object alive in its flush thread until RocksDB lets go.
                raise SessionBusyError(f"Session {self.name!r} at {self.path} is still held in this process: the "
                                       "last close of its store could not finish flushing (a RocksDB stall; it was "
                                       "warned then). Nothing is lost: restart the kernel (or this Python process) "
                                       "and open it again.") from exc
            if "lock" in str(exc).lower():
                raise SessionBusyError(f"Session {self.name!r} at {self.path} is open elsewhere (its store is "
                                       f"locked: {exc}). Close it there first, or use another session name."
                                       ) from exc
            raise JournalError(f"Could not open the session store {self.path / 'store'}: {exc}.") from exc
        self.log.open()
        meta = None if discard else self._read_meta()
        migrated = ""
        if discard:
            (self.path / SNAPSHOT_NAME).unlink(missing_ok=True)
        if meta is None and not discard and not (self.path / SNAPSHOT_NAME).is_file() and (
                self.log.records or next(iter(self._store.quads_for_pattern(None, None, None, None)), None)):
            # Only a migration writes data before the state, and it leaves session.json until it is done:
            # data without either is not a start we can redo. Clearing it would lose it.
            raise JournalError(f"Session {self.name!r} at {self.path} holds data but no session state (it was "
                               "not written by hydra_magic, or was damaged). It is left untouched; move the "
                               "directory away to start fresh, or open a copy of its store with pyoxigraph.")
        if meta is None:
            # New, or a creation/migration that was killed before its last step: start that over.
            self._store.clear()
            self.log.close()
            self.log.path.unlink(missing_ok=True)
            self.log.records = []
            if (self.path / SNAPSHOT_NAME).is_file():
                migrated = self._migrate()
            else:
                self._write_meta({**fresh_meta, "applied": 0})
            meta = self._read_meta() or {}
        fmt = meta.get("format")
        if isinstance(fmt, int) and fmt > STORE_FORMAT:
            by = meta.get("written_by") or "?"
            raise JournalError(f"Session {self.name!r} at {self.path} was written by a newer hydra_magic {by}, "
                               f"format {fmt} (this one reads format {STORE_FORMAT} and older); {_UPGRADE_HINT}. "
                               "It is left untouched.")
        self.meta = meta
        if isinstance(fmt, int) and fmt < STORE_FORMAT:
            migrated = self._add_facts_graph()
        self._replay()
        from .stored_kg import StoredKnowledgeGraph

        # The facts stay in the store: the graph reads them on demand (opening reads no fact).
        self.graph = StoredKnowledgeGraph(self.names.base, self.reader, self.names,
                                          snapshots=str(self.path / SNAPSHOTS_NAME))
        return StoredState(meta=self.meta, ontology=self._read_ontology(), facts=[], labels={},
                           history=self._undo_stack(), migrated=migrated, graph=self.graph)

    def reader(self) -> Any:
        """The store to read from: the open one, or after :meth:`close` a read-only view of it.

        A closed session stays readable (it no longer holds the lock, so another process may write the
        store meanwhile: what it reads is the store as the read-only view found it).
        """
        if self._store is not None:
            return self._store
        newer = _OPEN.get(self.path.resolve())
        if newer is not None and newer._store is not None:
            return newer._store  # taken over in this process: the same session, open there
        if self._read_only is None:
            try:
                self._read_only = ox.Store.read_only(str(self.path / "store"))
            except (OSError, RuntimeError) as exc:
                raise JournalError(f"Session {self.name!r} is closed and its store {self.path / 'store'} cannot "
                                   f"be read: {exc}. Open the session again to read it.") from exc
        return self._read_only

    #: Seconds close() waits for RocksDB to flush its memtables before going on without it.
    FLUSH_DEADLINE = 60.0

    def close(self, *, from_finalizer: bool = False) -> None:
        """Flush and release the store, the log and the lock (idempotent).

        ``from_finalizer``: called by ``Session.__del__``, which the garbage collector may run anywhere
        (inside another lock, or in a thread the flush would need). It then skips the flush and waits on
        nothing; the next open replays RocksDB's write-ahead log, as after a crash.

        The flush makes the next open fast (without it, opening 100k facts replayed RocksDB's
        write-ahead log: 94 s and 4 GB instead of 23 s and 0.5 GB). But a manual ``Flush()`` can wait
        forever in RocksDB (seen here after 20 imports of 5,000 facts: every thread idle in
        ``WaitForFlushMemTables``; facebook/rocksdb#13280, #15030), so it runs in a thread with a
        deadline. Nothing depends on it: every change is in RocksDB's write-ahead log and in ours.
        """
        self.log.close()
        self._read_only = None
        if self._store is not None:
            if not from_finalizer and not _flush_within(self._store, self.FLUSH_DEADLINE):
                warnings.warn(f"The store of session {self.name!r} did not finish flushing within "
                              f"{self.FLUSH_DEADLINE:g} s (a RocksDB stall); nothing is lost: every change is in "
                              "its change log and RocksDB's write-ahead log, replayed when it is opened next "
                              "(in a new kernel if this one still holds it).", RuntimeWarning, stacklevel=2)
            self._store = None  # pyoxigraph closes RocksDB when the object goes
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # ------------------------------------------------------------ writing
    def commit(self, change: Change, labels: dict[Any, str], meta: dict[str, Any],
               event: dict[str, Any] | None = None) -> int:
        """Log ``change``, apply it to the store; returns its log id. On failure nothing is kept.

        ``labels`` are (entity, label, source) label quads to add, keyed by entity; ``meta`` the
        session's small state after the change.
        """
        self._require_open()
        rid = self._next_id()
        header = {"id": rid, "op": "change", "kind": change.kind, "summary": change.summary, "time": change.time}
        body = {"change": change.to_dict(), "labels": {e.n3(): lab for e, lab in labels.items()}, "event": event}
        self.log.append(header, body)
        label_quads = self.names.label_quads(change.facts_added, labels)
        try:
            self._apply(change.facts_removed, change.facts_added, change.onto_removed, change.onto_added,
                        label_quads)
            self._write_meta({**meta, "applied": rid})
        except BaseException as exc:
            self._take_back(change.facts_added, change.facts_removed, change.onto_added, change.onto_removed,
                            label_quads)
            self.log.drop_last()
            if isinstance(exc, (OSError, UnicodeError)):
                raise JournalError(f"Could not write session {self.name!r} to its store {self.path}: {exc}. "
                                   "Nothing changed: the session is as it was before this step. Free disk "
                                   "space (or check the directory's permissions) and run it again.") from exc
            raise
        return rid

    def undo(self, change: Change, meta: dict[str, Any], event: dict[str, Any] | None = None) -> int:
        """Log the undo of ``change`` (a logged change) and revert it in the store."""
        self._require_open()
        rid = self._next_id()
        header = {"id": rid, "op": "undo", "of": change.log_id, "kind": change.kind, "summary": change.summary,
                  "time": change.time}
        self.log.append(header, {"event": event})
        try:
            self._apply(change.facts_added, change.facts_removed, change.onto_added, change.onto_removed, [])
            self._write_meta({**meta, "applied": rid})
        except BaseException as exc:
            self._take_back(change.facts_removed, change.facts_added, change.onto_removed, change.onto_added)
            self.log.drop_last()
            if isinstance(exc, (OSError, UnicodeError)):
                raise JournalError(f"Could not write the undo to session {self.name!r} at {self.path}: {exc}. "
                                   "Nothing changed.") from exc
            raise
        return rid

    def _next_id(self) -> int:
        """Ids never go back: after compaction the log's last id may be below the store's applied one,
        and a record with an id at or below it would never be replayed."""
        return max(self.log.last_id, int(self.meta.get("applied", 0))) + 1

    def write_meta(self, meta: dict[str, Any]) -> None:
        """Save the session's small state (settings, rules, shapes, events) on its own."""
        self._require_open()
        self._write_meta({**meta, "applied": self.meta.get("applied", 0)})

    def load_change(self, record_id: int) -> Change:
        """The change a log record holds (for undo after a restart)."""
        rec = next((r for r in self.log.records if r.id == record_id and r.op == "change"), None)
        if rec is None:
            raise JournalError(f"Change {record_id} of session {self.name!r} is no longer in its change log "
                               f"{self.log.path}; it cannot be undone.")
        change = Change.from_dict(self.log.body(rec)["change"])
        change.log_id = rec.id
        return change

    def compact(self, keep: Iterable[int], *, slack: int = 20) -> int:
        """Drop log records outside ``keep`` (the undo stack) once there are ``slack`` more than kept."""
        keep_ids = set(keep)
        if len(self.log.records) <= len(keep_ids) + slack:
            return 0
        return self.log.compact(keep_ids)

    def audit(self) -> list[dict[str, Any]]:
        """The headers of the changes compacted out of the undo window, oldest first (``audit.log``)."""
        return self.log.audit()

    # ------------------------------------------------------------ internals
    def _require_open(self) -> None:
        if self._store is None and self._superseded:
            raise JournalError(f"This Session object of {self.name!r} was closed when the session was opened "
                               "again in this process; nothing was lost. Use the newer Session object (in a "
                               "notebook: the `hydra` variable, or %hydra session NAME).")
        if self._store is None:
            raise JournalError(f"Session {self.name!r} is closed; open it again (Session({self.name!r}, ...)) "
                               "to change it.")


    def _apply(self, removed: list[Fact], added: list[Fact], onto_removed: list[Any], onto_added: list[Any],
               label_quads: list[Any]) -> None:
        """Removals first, then additions (as the session applies them). Idempotent, so a replay is safe.

        The session's graph is told which facts were there and which were new, so its counts follow.
        """
        st, names, graph = self._store, self.names, self.graph
        gone: list[Fact] = []
        for f in removed:
            quad, node = names.evidence_pattern(f)
            if graph is not None and quad in st:
                gone.append(f)
            st.remove(quad)
            self._unshare(quad)
            for q in list(st.quads_for_pattern(node, None, None, names.evidence)):
                st.remove(q)
        for t in onto_removed:
            st.remove(_triple_quad(t, names.ontology))
        new = [f for f in added if names.evidence_pattern(f)[0] not in st] if graph is not None else []
        quads = [q for f in added for q in names.fact_quads(f)]
        quads += names.in_facts([names.evidence_pattern(f)[0] for f in added])
        quads += [_triple_quad(t, names.ontology) for t in onto_added]
        quads += label_quads + names.in_facts(label_quads)
        if quads:
            st.extend(quads)
        if graph is not None:
            graph.stored(gone, new, labels_added=label_quads, written=[*removed, *added])

    def _take_back(self, added: list[Fact], removed: list[Fact], onto_added: list[Any],
                   onto_removed: list[Any], label_quads: list[Any] = ()) -> None:  # type: ignore[assignment]
        try:
            for q in label_quads:  # the labels are new ones (the session passes only those it lacks)
                self._store.remove(q)
                self._unshare(q)
            if self.graph is not None and label_quads:
                self.graph.stored([], [], labels_removed=label_quads)
            self._apply(added, removed, onto_added, onto_removed, [])
        except BaseException:  # noqa: BLE001 - the log record is dropped anyway; the next open replays nothing
            pass

    def _unshare(self, quad: Any) -> None:
        """Take a source graph's triple out of the facts graph unless another source graph still holds it."""
        names = self.names
        if not any(names.source_of(q.graph_name) is not None
                   for q in self._store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)):
            self._store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, names.facts))

    def _add_facts_graph(self, batch: int = 100_000) -> str:
        """Format 2 to 3: fill ``<base>facts`` from the source graphs, a batch of quads at a time (one SPARQL
        ``INSERT … WHERE`` held every solution: 2.26 GB at 1M facts). The format is written last: a kill
        before it leaves format 2, and the next open fills the graph again (a set: nothing doubles)."""
        n, st = self.names, self._store
        fg, pending = n.facts, []
        for g in list(st.named_graphs()):
            if n.source_of(g) is None:
                continue
            pending += [ox.Quad(q.subject, q.predicate, q.object, fg)
                        for q in st.quads_for_pattern(None, None, None, g)]
            if len(pending) >= batch:
                st.extend(pending)
                pending = []
        if pending:
            st.extend(pending)
        self._write_meta(self.meta)
        return (f"Upgraded session {self.name!r} at {self.path} to store format {STORE_FORMAT}: its facts are now "
                "also kept in one graph, so CQ tests, %%sparql and the explorer ask the store instead of copying it.")

    def _read_meta(self) -> dict[str, Any] | None:
        for q in self._store.quads_for_pattern(_STATE, _STATE, None, self.names.session):
            try:
                data = json.loads(q.object.value)
            except ValueError:
                data = None
            if not isinstance(data, dict) or not isinstance(data.get("format"), int):
                raise JournalError(f"The session state of {self.name!r} in {self.path / 'store'} is unreadable. "
                                   "The store is left untouched; move the directory away to start fresh.")
            return data
        return None

    def _write_meta(self, meta: dict[str, Any]) -> None:
        from .. import __version__

        data = {**meta, "format": STORE_FORMAT, "written_by": __version__}
        text = encode_json(data, "The session's settings").decode("utf-8")
        g = self.names.session
        lit = ox.Literal(text)
        # One SPARQL update is one transaction: the old state and the new one never coexist or vanish.
        self._store.update(f"DELETE WHERE {{ GRAPH {g} {{ {_STATE} {_STATE} ?o }} }};\n"
                           f"INSERT DATA {{ GRAPH {g} {{ {_STATE} {_STATE} {lit} }} }}")
        self.meta = data

    def _replay(self) -> None:
        """Apply the complete log records the store has not applied yet (a kill after the log write)."""
        applied = int(self.meta.get("applied", 0))
        pending = [r for r in self.log.records if r.id > applied]
        if not pending:
            return
        meta = dict(self.meta)
        cqs = list(meta.get("cqs", []))
        for rec in pending:
            if rec.op == "change":
                change = self.load_change(rec.id)
                labels = {_n3(k): v for k, v in (self.log.body(rec).get("labels") or {}).items()}
                self._apply(change.facts_removed, change.facts_added, change.onto_removed, change.onto_added,
                            self.names.label_quads(change.facts_added, labels))
                gone = {c.text for c in change.cqs_removed}
                cqs = [c for c in cqs if c.get("text") not in gone] + [c.to_dict() for c in change.cqs_added]
            else:
                target = self.load_change(int(rec.header["of"]))
                self._apply(target.facts_added, target.facts_removed, target.onto_added, target.onto_removed, [])
                gone = {c.text for c in target.cqs_added}
                cqs = [c for c in cqs if c.get("text") not in gone] + [c.to_dict() for c in target.cqs_removed]
            meta["cqs"] = cqs
            self._write_meta({**meta, "applied": rec.id})
            meta = dict(self.meta)

    def _undo_stack(self) -> list[LogRecord]:
        return undo_stack(self.log.records)

    def _read_ontology(self) -> list[tuple[Any, Any, Any]]:
        term = TermCache()
        return [(term(q.subject), term(q.predicate), term(q.object))
                for q in self._store.quads_for_pattern(None, None, None, self.names.ontology)]

    def _migrate(self) -> str:
        """Convert a format-1 JSON snapshot (``session.json``) into this store, once."""
        from ..kg import Fact as _Fact

        old = Journal(self.root, self.name)
        data = old.read()  # raises JournalError for unreadable or newer snapshots, file untouched
        from rdflib.util import from_n3

        facts = [_Fact.from_dict(x) for x in data.get("kg", {}).get("facts", [])]
        labels = {from_n3(k): v for k, v in data.get("kg", {}).get("labels", {}).items()}
        onto = [tuple(from_n3(x) for x in tr) for tr in data.get("ontology", [])]
        quads = [q for f in facts for q in self.names.fact_quads(f)]
        quads += [_triple_quad(t, self.names.ontology) for t in onto]
        label_quads = self.names.label_quads(facts, labels)
        quads += label_quads + self.names.in_facts([*(self.names.evidence_pattern(f)[0] for f in facts),
                                                     *label_quads])
        self._store.bulk_extend(quads)
        last = 0
        for c in data.get("history", []):
            last += 1
            self.log.append({"id": last, "op": "change", "kind": c.get("kind", ""), "summary": c.get("summary", ""),
                             "time": c.get("time", 0.0)}, {"change": c, "labels": {}, "event": None})
        meta = {"config": data.get("config", {}), "cqs": data.get("cqs", []), "rules": data.get("rules", []),
                "shapes": data.get("shapes", []), "prefixes": data.get("prefixes", {}),
                "events": data.get("log", [])[-500:], "applied": last}
        self._store.flush()
        self._write_meta(meta)  # last: until it is written, the next open starts the migration over
        kept = self.path / (SNAPSHOT_NAME + ".migrated")
        os.replace(self.path / SNAPSHOT_NAME, kept)
        return (f"Converted session {self.name!r} from its JSON snapshot to the on-disk store "
                f"({len(facts):,} facts); the old file is kept as {kept}.")


def _flush_within(store: Any, seconds: float) -> bool:
    """``store.flush()`` in a daemon thread; False when it has not returned within ``seconds``.

    While the interpreter shuts down (a Session dropped at exit) no new thread can run, so the flush
    is made directly there.
    """
    if sys.is_finalizing():
        try:
            store.flush()
        except OSError:
            pass
        return True
    done = threading.Event()

    def run() -> None:
        try:
            store.flush()
        except OSError:
            pass
        finally:
            done.set()

    threading.Thread(target=run, name="hydra-store-flush", daemon=True).start()
    return done.wait(seconds)


def undo_stack(records: Iterable[LogRecord]) -> list[LogRecord]:
    """The change records not undone, oldest first, from a change log's records in order."""
    stack: list[LogRecord] = []
    for rec in records:
        if rec.op == "change":
            stack.append(rec)
        elif stack and stack[-1].id == rec.header.get("of"):
            stack.pop()
        else:
            stack = [r for r in stack if r.id != rec.header.get("of")]
    return stack


def _n3(text: str) -> Any:
    from rdflib.util import from_n3

    return from_n3(text)

