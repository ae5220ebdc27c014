"""A user's SPARQL over a session on disk: a killable process over a checkpoint of the store.

Oxigraph cannot stop a running query, so a query that may run long must run in a
process that can be killed at its deadline or on an interrupt. The kernel cannot be
forked while its store is open (the fork copies RocksDB's locks mid-use: a child
forked after a write waited forever), and a second opener of the live store loses
the race against its compactions ("No such file" for a table just deleted). A
RocksDB checkpoint (``Store.backup``) is neither: hard links to the store's
immutable table files, consistent, private, untouched by later compactions, made
in milliseconds (2 ms at 1M facts). A fresh interpreter opens it read-only
(~30 ms, then the query), streams the rows back as plain data
(:mod:`hydra_magic.sparql_rows`) and is killed when the caller is done; the
checkpoint is removed then. Before this, a user's query over a stored session ran
over an in-memory copy of the whole graph (35 s and 470 MB the first time at 1M).

Run as ``python -m hydra_magic.snapshot_worker FD CHECKPOINT`` by :func:`start`:
this module imports only pyoxigraph, so the worker starts in a few tens of ms.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SnapshotProcess", "die_with_parent", "start"]

_COUNT = itertools.count()
#: The worker's own alarm fires this long after the caller's deadline (the caller normally kills it first).
_GRACE = 1.0


@dataclass
class SnapshotProcess:
    """A running worker: its pid, the caller's end of the pipe, the checkpoint it reads."""

    pid: int
    conn: Any
    checkpoint: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Kill the worker, wait for it and remove its checkpoint (idempotent)."""
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass
            self.process.wait()
        try:
            self.conn.close()
        except OSError:
            pass
        shutil.rmtree(self.checkpoint, ignore_errors=True)


def start(store: Any, where: str | os.PathLike[str]) -> SnapshotProcess:
    """A checkpoint of ``store`` under ``where`` (on the store's file system, for hard links) and a worker
    process reading it. Checkpoints left by a process that died (a killed kernel) are removed first:
    one process at a time holds a session, so any other process's checkpoint there is stale."""
    from multiprocessing.connection import Connection

    base = Path(where)
    base.mkdir(parents=True, exist_ok=True)
    mine = f"{os.getpid()}-"
    for old in base.iterdir():
        if not old.name.startswith(mine):
            shutil.rmtree(old, ignore_errors=True)
    checkpoint = base / f"{mine}{next(_COUNT)}"
    try:
        store.backup(str(checkpoint))
    except (OSError, RuntimeError) as exc:
        shutil.rmtree(checkpoint, ignore_errors=True)
        raise OSError(f"could not make a checkpoint of the store at {checkpoint}: {exc}") from exc
    ours, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno()), str(checkpoint)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)  # Jupyter's SIGINT to the group: not for it
    except OSError:
        ours.close()
        shutil.rmtree(checkpoint, ignore_errors=True)
        raise
    finally:
        theirs.close()
    return SnapshotProcess(process.pid, Connection(ours.detach()), checkpoint, process)


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a worker must not outlive the kernel)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no prctl (not Linux): the alarm still bounds its life
        pass


def _serve(fd: int, checkpoint: str) -> None:
    """One request at a time: ``(sparql, prefixes, default graphs, timeout)`` in, messages out."""
    from multiprocessing.connection import Connection

    import pyoxigraph as ox

    from .sparql_rows import error_message, ox_messages

    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:
        return
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(checkpoint)
        unreadable = ""
    except (OSError, RuntimeError) as exc:  # said in answer to the request, as any failure is
        store, unreadable = None, f"the checkpoint of the store at {checkpoint} could not be opened: {exc}"
    while True:
        try:
            sparql, prefixes, graphs, timeout = conn.recv()
        except EOFError:
            return
        if store is None:
            conn.send(("error", "failed", unreadable))
            continue
        signal.setitimer(signal.ITIMER_REAL, timeout + _GRACE)  # SIGALRM's default action ends the process
        try:
            result = store.query(sparql, prefixes=prefixes, default_graph=[ox.NamedNode(g) for g in graphs])
            for message in ox_messages(result):
                conn.send(message)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller as data
            conn.send(("error", *error_message(exc)))
        signal.setitimer(signal.ITIMER_REAL, 0)


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(int(sys.argv[1]), sys.argv[2])
