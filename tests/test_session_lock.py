"""SessionLock: one writer per session, across processes and within one.

The cross-process cases run a real second Python process: flock semantics (a
lock dies with its process, even by SIGKILL) cannot be faked in one process.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest

from hydra_magic import session_lock
from hydra_magic.errors import JournalError, SessionBusyError
from hydra_magic.session_lock import HOLDER_NAME, LOCK_NAME, SessionLock

pytestmark = pytest.mark.skipif(session_lock.fcntl is None, reason="no fcntl: the lock is a no-op here")

CHILD = textwrap.dedent("""
    import sys
    from hydra_magic.session_lock import SessionLock

    lock = SessionLock(sys.argv[1], "films")
    lock.acquire()
    print("held", flush=True)
    sys.stdin.read()  # until the parent closes stdin (or kills us)
    lock.release()
""")


@pytest.fixture()
def child(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the lock of ``tmp_path / 'films'`` (started from the notebook 'analysis.ipynb')."""
    env = {**os.environ, "JPY_SESSION_NAME": "work/analysis.ipynb"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "films")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""  # type: ignore[union-attr]
        if line.strip() != "held":
            proc.kill()
            pytest.fail(f"the child did not take the lock: {line!r} {proc.communicate()[1]}")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def acquire_within(lock: SessionLock, seconds: float) -> None:
    """Acquire, retrying on SessionBusyError until ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            lock.acquire()
            return
        except SessionBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_second_process_is_refused_with_the_holder_named_then_gets_it_after_a_kill(
        child: subprocess.Popen[str], tmp_path: Path) -> None:
    lock = SessionLock(tmp_path / "films", "films")
    with pytest.raises(SessionBusyError) as info:
        lock.acquire()
    message = str(info.value)
    assert isinstance(info.value, JournalError)
    assert "Session 'films' is open in another process" in message
    assert f"pid {child.pid}" in message and "notebook work/analysis.ipynb" in message
    assert "since " in message and "close it there" in message and ".close()" in message
    assert "%hydra session NAME" in message
    assert not lock.held
    assert lock.holder() is not None and lock.holder()["pid"] == child.pid  # type: ignore[index]

    child.kill()  # SIGKILL: no release() runs; the OS drops the flock with the process
    child.wait(timeout=30)
    acquire_within(lock, 5)
    try:
        assert lock.held
        assert lock.holder()["pid"] == os.getpid()  # type: ignore[index]  # the dead child's file is replaced
    finally:
        lock.release()


def test_child_that_closes_cleanly_removes_its_holder_file(child: subprocess.Popen[str], tmp_path: Path) -> None:
    child.communicate(input="", timeout=30)  # stdin closed: the child releases and exits
    assert child.returncode == 0
    assert not (tmp_path / "films" / HOLDER_NAME).exists()
    with SessionLock(tmp_path / "films", "films") as lock:
        assert lock.held


def test_second_lock_in_the_same_process_is_refused_and_says_close(tmp_path: Path) -> None:
    first = SessionLock(tmp_path / "s", "films")
    first.acquire()
    try:
        second = SessionLock(tmp_path / "s", "films")
        with pytest.raises(SessionBusyError) as info:
            second.acquire()
        message = str(info.value)
        assert "Session 'films' is already open in this process" in message
        assert ".close()" in message and "another process" not in message
        assert not second.held
    finally:
        first.release()
    second.acquire()  # free once the first is closed
    second.release()


def test_acquire_writes_holder_and_release_removes_it_twice_harmlessly(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "nb/x.ipynb")
    d = tmp_path / "deep" / "films"  # parents are created
    lock = SessionLock(d, "films")
    assert lock.holder() is None and not lock.held
    before = time.time()
    lock.acquire()
    lock.acquire()  # already held by this object: nothing happens
    holder = json.loads((d / HOLDER_NAME).read_text(encoding="utf-8"))
    assert holder["pid"] == os.getpid() and holder["notebook"] == "nb/x.ipynb"
    assert isinstance(holder["host"], str) and isinstance(holder["program"], str) and holder["program"]
    assert before - 1 <= holder["since"] <= time.time() + 1
    assert lock.holder() == holder
    assert (d / LOCK_NAME).exists()
    assert not [p for p in d.iterdir() if p.name.endswith(".tmp")]
    lock.release()
    assert not lock.held and not (d / HOLDER_NAME).exists()
    assert (d / LOCK_NAME).exists()  # the locked file stays: deleting it would let two openers lock two files
    lock.release()
    SessionLock(d, "never-acquired").release()


def test_release_keeps_a_holder_file_that_names_another_process(tmp_path: Path) -> None:
    lock = SessionLock(tmp_path, "films")
    lock.acquire()
    (tmp_path / HOLDER_NAME).write_text(json.dumps({"pid": os.getpid() + 1, "host": "elsewhere"}), encoding="utf-8")
    lock.release()
    assert (tmp_path / HOLDER_NAME).exists()


def test_stale_holder_file_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True, timeout=60)
    dead_pid = int(dead.stdout)
    (tmp_path / HOLDER_NAME).write_text(json.dumps({"pid": dead_pid, "host": "h", "since": 0}), encoding="utf-8")
    with SessionLock(tmp_path, "films") as lock:
        assert lock.holder()["pid"] == os.getpid()  # type: ignore[index]


def test_busy_with_unreadable_holder_names_an_unknown_process(tmp_path: Path) -> None:
    first = SessionLock(tmp_path, "films")
    first.acquire()
    try:
        for junk in ("{not json", "[1, 2]", json.dumps({"pid": "x"})):
            (tmp_path / HOLDER_NAME).write_text(junk, encoding="utf-8")
            with pytest.raises(SessionBusyError, match=r"Session 'films' is open in an unknown process\. "
                                                       r"A session has one writer at a time: close it there"):
                SessionLock(tmp_path, "films").acquire()
        (tmp_path / HOLDER_NAME).unlink()
        with pytest.raises(SessionBusyError, match="an unknown process"):
            SessionLock(tmp_path, "films").acquire()
    finally:
        first.release()


def test_message_of_another_host_and_an_old_date(tmp_path: Path) -> None:
    first = SessionLock(tmp_path, "films")
    first.acquire()
    try:
        (tmp_path / HOLDER_NAME).write_text(json.dumps({"pid": os.getpid(), "host": "other-host", "since": 86400 * 3,
                                                        "program": "build.py", "notebook": None}), encoding="utf-8")
        with pytest.raises(SessionBusyError) as info:
            SessionLock(tmp_path, "films").acquire()
        message = str(info.value)
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(86400 * 3))  # not today: the date is given
        assert f"another process (pid {os.getpid()} on host other-host, program build.py, since {when})" in message
    finally:
        first.release()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_refusal_leaves_no_descriptor_open(tmp_path: Path) -> None:
    first = SessionLock(tmp_path, "films")
    first.acquire()

    def on_lock_file() -> int:
        # Descriptors on the lock file only: the process-wide count also moves when the collector
        # closes an earlier test's sockets (a full run saw 516 -> 496 during the loop).
        count = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                count += os.readlink(f"/proc/self/fd/{fd}") == str(first.lock_path)
            except OSError:
                pass  # closed since listed
        return count

    try:
        before = on_lock_file()
        assert before == 1  # the holder's own
        for _ in range(20):
            with pytest.raises(SessionBusyError):
                SessionLock(tmp_path, "films").acquire()
        assert on_lock_file() == before
    finally:
        first.release()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_releasing_its_copy_does_not_unlock_the_parent(tmp_path: Path) -> None:
    lock = SessionLock(tmp_path, "films")
    lock.acquire()
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 0
            try:
                lock.release()
            except BaseException:
                code = 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert lock.holder()["pid"] == os.getpid()  # type: ignore[index]
        with pytest.raises(SessionBusyError, match="already open in this process"):
            SessionLock(tmp_path, "films").acquire()
    finally:
        lock.release()


def test_context_manager_releases_on_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with SessionLock(tmp_path, "films") as lock:
            assert lock.held
            raise RuntimeError("boom")
    assert not lock.held
    with SessionLock(tmp_path, "films"):
        pass


def test_without_fcntl_acquire_only_marks_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_lock, "fcntl", None)
    lock = SessionLock(tmp_path / "win", "films")
    lock.acquire()
    assert lock.held and not (tmp_path / "win").exists()
    lock.release()
    lock.release()
    assert not lock.held
