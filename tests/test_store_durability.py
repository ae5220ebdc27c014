"""Durability of a session on disk, through the public Session API only.

* A writer process (tests/durability_worker.py) is SIGKILLed at random points,
  many times, on one session directory: every reopen must succeed and show
  exactly what the writer reported committed, plus at most the one change that
  was in flight, complete or not at all; ``undo()`` on the reopened session
  works and survives another reopen.
* One writer per session: while a process holds a session, a second opener
  gets :class:`~hydra_magic.errors.SessionBusyError` naming the holder's pid;
  nothing the holder wrote is lost; a holder killed with SIGKILL leaves the
  session free for the next opener without any cleanup.

Everything is seeded; every wait has a deadline; every process is killed in a
``finally``. Nothing is written outside ``tmp_path``.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest

import hydra_magic
from hydra_magic.errors import JournalError, SessionBusyError
from hydra_magic.session import Session, SessionConfig

from .durability_worker import CQS, sentence

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WORKER = Path(__file__).with_name("durability_worker.py")
N_CQS = len(CQS.splitlines())
SEED = 20240611
#: Seconds any single wait may take before the test fails instead of hanging.
STEP_TIMEOUT = 60.0


# ----------------------------------------------------------------- helpers
@contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Raise TimeoutError in the main thread if the block runs longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took more than {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def open_session(journal_dir: Path, name: str) -> Session:
    with deadline(STEP_TIMEOUT, f"Session({name!r}) in {journal_dir}"):
        return Session(name, SessionConfig(journal_dir=str(journal_dir)))


def close_session(s: Session) -> None:
    with deadline(STEP_TIMEOUT, f"closing session {s.name!r}"):
        s.close()


def try_open(journal_dir: Path, name: str) -> SessionBusyError | None:
    """The SessionBusyError a second opener gets, or None when it got the session (then closed again)."""
    try:
        s = open_session(journal_dir, name)
    except SessionBusyError as exc:
        return exc
    close_session(s)
    return None


def contents(s: Session) -> dict[str, int]:
    """source -> number of facts (a listed source with no facts shows as 0)."""
    return {src: len(s.kg.facts(src)) for src in s.kg.sources()}


def k_of(src: str) -> int:
    return int(src.rsplit("-", 1)[1])


class CleanCounts:
    """How many facts a clean extraction of ``sentence(k)`` gives (an in-memory session).

    The session is renewed every 100 sentences: extraction slows down as a graph grows.
    """

    def __init__(self) -> None:
        self.session: Session | None = None
        self.counts: dict[int, int] = {}

    def __call__(self, src: str) -> int:
        k = k_of(src)
        if k not in self.counts:
            if self.session is None or len(self.counts) % 100 == 0:
                self.session = Session("clean-counts", SessionConfig(journal_dir=None))
                self.session.add_cqs(CQS)
            self.session.extract(sentence(k), source=f"src-{k}")
            n = len(self.session.kg.facts(f"src-{k}"))
            assert n >= 1, f"sentence({k}) = {sentence(k)!r} gives no fact with the offline engine"
            self.counts[k] = n
        return self.counts[k]


class Worker:
    """A running tests/durability_worker.py, its stdout lines read by a thread."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        root = str(Path(hydra_magic.__file__).resolve().parent.parent)  # the worker tests this same code
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
               "HYDRA_MAGIC_CACHE_DIR": str(tmp_path / "cache"),
               "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        logs = tmp_path / "worker-logs"
        logs.mkdir(exist_ok=True)
        self.stderr_path = logs / f"stderr-{time.monotonic_ns()}.txt"
        self._stderr = open(self.stderr_path, "w")
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True,
                                     cwd=str(tmp_path), env=env)
        self.pid = self.proc.pid
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def stderr(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def wait_for(self, pred: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT) -> str:
        """The first new line for which ``pred`` holds; fails on EOF or after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                pytest.fail(f"worker {self.pid}: no {what} within {timeout:.0f} s; "
                            f"last lines {self.lines[-5:]}; stderr:\n{self.stderr()}")
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait(timeout=STEP_TIMEOUT)
                pytest.fail(f"worker {self.pid} exited ({self.proc.returncode}) before {what}; "
                            f"last lines {self.lines[-5:]}; stderr:\n{self.stderr()}")
            self.lines.append(line)
            if pred(line):
                return line

    def wait_line(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait_for(lambda line: line == text, repr(text), timeout)

    def drain(self) -> None:
        """After the process is gone: collect the lines it wrote before it died."""
        self._reader.join(timeout=STEP_TIMEOUT)
        assert not self._reader.is_alive(), f"worker {self.pid}: stdout still open after its exit"
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                return
            if line is not None:
                self.lines.append(line)

    def kill(self) -> None:
        """SIGKILL, reap, collect the remaining lines; fails if it had already died on its own."""
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self.proc.wait(timeout=STEP_TIMEOUT)
        self.drain()
        if self.proc.returncode != -signal.SIGKILL:
            pytest.fail(f"worker {self.pid} ended by itself ({self.proc.returncode}) before the kill; "
                        f"last lines {self.lines[-5:]}; stderr:\n{self.stderr()}")

    def finish(self) -> None:
        """Close its stdin (it closes the session and exits 0), reap, collect the lines."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=STEP_TIMEOUT)
        self.drain()
        assert self.proc.returncode == 0, f"worker {self.pid} exited {self.proc.returncode}:\n{self.stderr()}"

    def cleanup(self) -> None:
        try:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=STEP_TIMEOUT)
        finally:
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    if f is not None:
                        f.close()
                except OSError:
                    pass
            self._stderr.close()


def worker_args(journal_dir: Path, name: str, start: int, ops: int, *, undo_every: int = 0,
                pause: float = 0.0) -> list[str]:
    return ["--dir", str(journal_dir), "--name", name, "--start", str(start), "--ops", str(ops),
            "--undo-every", str(undo_every), "--pause", str(pause)]


def replay(lines: list[str], present: dict[str, int], clean: CleanCounts
           ) -> tuple[dict[str, int], tuple[str, str] | None, bool, int]:
    """What the worker's lines say the session holds.

    Returns (sources -> counts reported committed, the step in flight at the kill
    as (kind, source) or None, whether it reported the CQs added, the largest k it began).
    """
    reported = dict(present)
    pending: tuple[str, str] | None = None
    cqs_added = False
    max_k = 0
    for line in lines:
        parts = line.split()
        if parts[0] == "opened":
            assert int(parts[1]) == len(present), (f"the worker restored {parts[1]} sources, this process "
                                                  f"saw {len(present)} when it last closed the session")
        elif parts[:2] == ["begin", "extract"] or parts[:2] == ["begin", "undo"]:
            pending = (parts[1], parts[2])
            max_k = max(max_k, k_of(parts[2]))
        elif parts[0] == "committed":
            src, n = parts[1], int(parts[2])
            assert n == clean(src), f"the worker saw {n} facts of {src} right after extracting it, " \
                                    f"a clean extraction gives {clean(src)}"
            reported[src] = n
            pending = None
        elif parts[0] == "undone":
            reported.pop(parts[1], None)
            pending = None
        elif line == "begin cqs":
            pending = ("cqs", "")
        elif line == "cqs-added":
            cqs_added = True
            pending = None
    return reported, pending, cqs_added, max_k


def check_reopened(s: Session, reported: dict[str, int], pending: tuple[str, str] | None, cqs_added: bool,
                   clean: CleanCounts, where: str) -> dict[str, int]:
    """Assert the invariants of a reopened session; returns its sources -> counts."""
    actual = contents(s)
    in_flight = pending[1] if pending and pending[0] in ("extract", "undo") else None
    for src, n in actual.items():
        assert n == clean(src), (f"{where}: {src} came back with {n} facts, a clean extraction gives "
                                 f"{clean(src)} (torn or duplicated)")
    lost = sorted(set(reported) - set(actual) - {in_flight}, key=k_of)
    assert not lost, f"{where}: committed sources lost after the kill: {lost} (in flight: {pending})"
    extra = sorted(set(actual) - set(reported) - {in_flight}, key=k_of)
    assert not extra, (f"{where}: sources that were never committed (or were undone): {extra} "
                       f"(in flight: {pending})")
    assert len(s.kg) == sum(actual.values()), (f"{where}: len(kg)={len(s.kg)} but the sources hold "
                                               f"{sum(actual.values())}")
    if cqs_added or actual:
        assert len(s.cqs) == N_CQS, f"{where}: {len(s.cqs)} CQs after reopening, {N_CQS} were committed"
    else:
        assert len(s.cqs) in (0, N_CQS), f"{where}: a half-added set of CQs: {len(s.cqs)}"
    return actual


# ---------------------------------------------------------------- the tests
@pytest.mark.slow
def test_writer_killed_at_random_points_leaves_a_session_that_reopens_consistently(tmp_path: Path) -> None:
    """SIGKILL a writer 18 times on one session directory, continuing each time from what survived."""
    rng = random.Random(SEED)
    clean = CleanCounts()
    journal_dir = tmp_path / "journal"
    name = "films"
    # "open": killed 0-150 ms after "opening" (creation in round 0, restoring later);
    # "time": 0.05-1.5 s after "ready", the worker undoing every extraction at once (so
    #         that it stays busy for the whole delay without the session growing);
    # "step": 0-10 ms after the j-th committed extraction, undoing every 4th.
    plan = ["open", "open"] + ["time", "step"] * 4 + ["open"] + ["step", "time"] * 3 + ["step"]
    present: dict[str, int] = {}
    cqs_added = False
    next_k = 1
    in_flight_kills = 0
    log: list[str] = []
    for rnd, kind in enumerate(plan):
        where = f"round {rnd} ({kind})"
        ops, undo_every = (600, 1) if kind == "time" else (40, 4)
        w = Worker(tmp_path, *worker_args(journal_dir, name, next_k, ops, undo_every=undo_every))
        try:
            if kind == "open":
                w.wait_line("opening")
                time.sleep(rng.uniform(0.0, 0.15))
            elif kind == "time":
                w.wait_line("ready")
                time.sleep(rng.uniform(0.05, 1.5))
            else:
                j = rng.randint(1, 25)
                seen = [0]

                def jth_commit(line: str, j: int = j, seen: list[int] = seen) -> bool:
                    seen[0] += line.startswith("committed ")
                    return seen[0] >= j

                w.wait_for(jth_commit, f"committed extraction #{j}")
                time.sleep(rng.uniform(0.0, 0.01))
            w.kill()
        finally:
            w.cleanup()

        reported, pending, added, max_k = replay(w.lines, present, clean)
        cqs_added = cqs_added or added
        next_k = max(next_k, max_k + 1)
        in_flight_kills += pending is not None
        killed_at = w.lines[-1] if w.lines else "(nothing printed)"

        # 1. Reopen: must succeed and hold exactly what was committed (+/- the step in flight).
        try:
            s = open_session(journal_dir, name)
        except Exception as exc:  # noqa: BLE001 - the message is the finding
            pytest.fail(f"{where}: reopening after the kill (last line {killed_at!r}) failed: "
                        f"{type(exc).__name__}: {exc}")
        try:
            present = check_reopened(s, reported, pending, cqs_added, clean, where)
            reported_present = set(present)
            # 2. undo() on the reopened session reverts the newest extraction (history is a stack).
            if present:
                newest = max(present, key=k_of)
                with deadline(STEP_TIMEOUT, "undo()"):
                    message = s.undo()
                assert isinstance(message, str) and message, f"{where}: undo() returned {message!r}"
                after = contents(s)
                expected_after = {src: n for src, n in present.items() if src != newest}
                assert after == expected_after, (f"{where}: undo() after reopening should drop {newest}; "
                                                 f"dropped {sorted(set(present) - set(after))}, "
                                                 f"added {sorted(set(after) - set(present))}: {message}")
                present = after
        finally:
            close_session(s)
        # 3. ... and what undo() did survives a close and another reopen.
        s = open_session(journal_dir, name)
        try:
            again = contents(s)
            assert again == present, (f"{where}: after undo, close and reopen: lost "
                                      f"{sorted(set(present) - set(again))}, back "
                                      f"{sorted(set(again) - set(present))}")
        finally:
            close_session(s)
        if pending and pending[0] in ("extract", "undo"):
            took = (pending[1] in reported_present) != (pending[0] == "undo")
            flight = f"{pending[0]} {pending[1]} in flight ({'applied' if took else 'not applied'})"
        else:
            flight = f"{pending[0]} in flight" if pending else "nothing in flight"
        log.append(f"{where}: killed after {killed_at!r}, {flight}; {len(present)} sources now")
    print("\n".join(log))
    # The kills must have hit real work, not only idle moments.
    assert in_flight_kills >= 5, f"only {in_flight_kills} of {len(plan)} kills landed during a change:\n" \
                                 + "\n".join(log)


@pytest.mark.slow
def test_second_opener_is_refused_while_a_process_writes_and_nothing_is_lost(tmp_path: Path) -> None:
    """Process A extracts 30 sources slowly; meanwhile this process and process B try to open it."""
    clean = CleanCounts()
    journal_dir = tmp_path / "journal"
    a = Worker(tmp_path, *worker_args(journal_dir, "shared", 1, 30, pause=0.1))
    b: Worker | None = None
    try:
        a.wait_line("ready")
        exc = try_open(journal_dir, "shared")
        assert exc is not None, f"Session('shared') opened while process {a.pid} holds it"
        assert isinstance(exc, JournalError)
        assert re.search(rf"\b{a.pid}\b", str(exc)), f"the refusal does not name pid {a.pid}: {exc}"

        # A second process, while A is in the middle of its extractions.
        b = Worker(tmp_path, "--dir", str(journal_dir), "--name", "shared", "--probe")
        line = b.wait_for(lambda ln: ln.startswith(("busy ", "opened ")), "the probe's answer")
        b.finish()
        assert line.startswith("busy SessionBusyError "), f"process B was not refused: {line!r}"
        assert re.search(rf"\b{a.pid}\b", line), f"B's refusal does not name pid {a.pid}: {line!r}"

        a.wait_for(lambda ln: ln.startswith("committed src-10 "), "the 10th extraction")
        exc = try_open(journal_dir, "shared")  # again, now that A has written for a while
        assert exc is not None, f"Session('shared') opened while process {a.pid} was writing"

        a.wait_line("done")
        a.finish()
        assert a.lines[-1] == "closed", a.lines[-3:]
    finally:
        a.cleanup()
        if b is not None:
            b.cleanup()

    reported, pending, _, _ = replay(a.lines, {}, clean)
    assert pending is None and len(reported) == 30
    s = open_session(journal_dir, "shared")  # A closed it: free again
    try:
        actual = contents(s)
        assert actual == reported, (f"after A finished: lost {sorted(set(reported) - set(actual), key=k_of)}, "
                                    f"unexpected {sorted(set(actual) - set(reported), key=k_of)}")
        assert len(s.cqs) == N_CQS
    finally:
        close_session(s)


@pytest.mark.slow
def test_holder_killed_with_sigkill_releases_the_session(tmp_path: Path) -> None:
    """No stale lock: after SIGKILL of the holder, the next opener gets the session at once."""
    clean = CleanCounts()
    journal_dir = tmp_path / "journal"
    a = Worker(tmp_path, *worker_args(journal_dir, "shared", 1, 30, pause=0.05))
    try:
        a.wait_for(lambda ln: ln.startswith("committed src-3 "), "the 3rd extraction")
        exc = try_open(journal_dir, "shared")
        assert exc is not None, f"Session('shared') opened while process {a.pid} holds it"
        assert re.search(rf"\b{a.pid}\b", str(exc)), f"the refusal does not name pid {a.pid}: {exc}"
        a.kill()
    finally:
        a.cleanup()

    reported, pending, added, _ = replay(a.lines, {}, clean)
    try:
        s = open_session(journal_dir, "shared")  # no retry, no cleanup: the dead holder's lock is gone
    except SessionBusyError as exc:
        pytest.fail(f"the session stayed locked after its holder {a.pid} was killed: {exc}")
    try:
        check_reopened(s, reported, pending, added, clean, "after killing the holder")
        s.extract(sentence(900), source="src-900")  # and it is writable
    finally:
        close_session(s)
    s = open_session(journal_dir, "shared")
    try:
        assert len(s.kg.facts("src-900")) == clean("src-900")
    finally:
        close_session(s)
