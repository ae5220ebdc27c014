"""One writer per session: an OS lock on the session directory, and who holds it.

Two kernels (or a kernel and a script) writing one session would overwrite each
other's work, so a session is opened by one :class:`SessionLock` at a time.
The lock is ``fcntl.flock`` on ``<directory>/lock``: the kernel releases it when
its holder dies, even by SIGKILL, so a crash never leaves a session locked.
``<directory>/holder.json`` says who holds it (pid, host, notebook, since when),
only so that the refusal can tell the user where to close the session; it is
never trusted as the lock itself (a stale one from a dead process is ignored).

flock locks belong to an open file description, so a second :class:`SessionLock`
of the same directory in the same process is refused too: two ``Session`` objects
of one name in one kernel would clobber each other just as two processes would.

Where ``fcntl`` does not exist (Windows), :meth:`SessionLock.acquire` only marks
the lock held; there the store's own lock (RocksDB's ``LOCK`` file) still refuses
a second opener.

Standard library only: this module is imported when the extension loads.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from .errors import SessionBusyError

try:
    import fcntl as _fcntl

    fcntl: ModuleType | None = _fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["LOCK_NAME", "HOLDER_NAME", "SessionLock"]

#: The file that is flock-ed (never deleted: deleting it would let a second
#: opener lock a new file while the first still holds the old one).
LOCK_NAME = "lock"
#: Who holds the lock, for the refusal message only.
HOLDER_NAME = "holder.json"
_BUSY = {errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES}


class SessionLock:
    """The exclusive lock of one session directory (also a context manager).

    Parameters
    ----------
    directory
        The session's directory; created (with its parents) on :meth:`acquire`.
    session_name
        The session's name, for messages.
    """

    def __init__(self, directory: Path | str, session_name: str) -> None:
        self._fd: int | None = None
        self._owner_pid = 0  # the process that took the lock (a forked child must not unlock it)
        self._held_without_os_lock = False
        self.directory = Path(directory)
        self.session_name = session_name

    # ------------------------------------------------------------------ state
    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None or self._held_without_os_lock

    @property
    def lock_path(self) -> Path:
        return self.directory / LOCK_NAME

    @property
    def holder_path(self) -> Path:
        return self.directory / HOLDER_NAME

    def holder(self) -> dict[str, Any] | None:
        """The contents of ``holder.json`` (who holds or last held the lock); ``None`` if missing or unreadable."""
        try:
            data = json.loads(self.holder_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # a hand-edited or hostile file is just unknown
            return None
        return data if isinstance(data, dict) else None

    # ------------------------------------------------------------------ acquire / release
    def acquire(self) -> None:
        """Take the lock, or raise :class:`~hydra_magic.errors.SessionBusyError` naming its holder.

        Does nothing when this object already holds it. Never blocks.
        """
        if self.held:
            return
        if fcntl is None:  # pragma: no cover - Windows: see the module docstring
            self._held_without_os_lock = True
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by child processes
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in _BUSY:  # BlockingIOError is EWOULDBLOCK/EAGAIN
                    raise SessionBusyError(self._busy_message()) from None
                raise
            self._fd, self._owner_pid = fd, os.getpid()
        except BaseException:
            if self._fd == fd:
                self._fd = None
            os.close(fd)  # closing also drops a lock taken just before an interrupt
            raise
        self._write_holder()

    def release(self) -> None:
        """Let go of the lock (idempotent); ``holder.json`` is removed if it still names this process."""
        self._held_without_os_lock = False
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if os.getpid() != self._owner_pid:  # a copy in a forked child: close our descriptor only
            os.close(fd)
            return
        try:
            # Removed while still locked, so a new holder's file is never the one removed.
            info = self.holder()
            if info is not None and info.get("pid") == os.getpid() and info.get("host") == _host():
                try:
                    self.holder_path.unlink()
                except OSError:
                    pass
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)  # type: ignore[union-attr]  # fd is only set where fcntl exists
            finally:
                os.close(fd)

    def __enter__(self) -> "SessionLock":
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    def __del__(self) -> None:
        # Like a file object: an unreachable lock closes its descriptor (which releases the flock).
        try:
            self.release()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        return f"SessionLock({str(self.directory)!r}, {self.session_name!r}, held={self.held})"

    # ------------------------------------------------------------------ holder info
    def _write_holder(self) -> None:
        """Write ``holder.json`` atomically. Best effort: the flock is the lock, this file only explains it."""
        info = {
            "pid": os.getpid(),
            "host": _host(),
            "since": time.time(),
            "program": os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python",
            "notebook": os.environ.get("JPY_SESSION_NAME") or None,
        }
        tmp = self.directory / f".{HOLDER_NAME}.{os.getpid()}.tmp"
        try:
            tmp.write_text(json.dumps(info), encoding="utf-8")
            os.replace(tmp, self.holder_path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass

    def _busy_message(self) -> str:
        name = self.session_name
        info = self.holder()
        other = "open another session name here (%hydra session NAME, or Session('other'))"
        if info is not None and info.get("pid") == os.getpid() and info.get("host") == _host():
            since = _since(info.get("since"))
            return (f"Session {name!r} is already open in this process: another Session object of that name "
                    f"holds it{f' (since {since})' if since else ''}. A session has one writer at a time: "
                    f"close that object first with .close(), or reuse it, or {other}.")
        return (f"Session {name!r} is open in {_describe(info)}. A session has one writer at a time: close it "
                f"there (shut that kernel down, or call .close() on its Session), or {other}.")


def _host() -> str:
    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover - no hostname
        return ""


def _since(value: Any) -> str:
    """``HH:MM:SS`` local time; the date too when it is not today."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    try:
        then = time.localtime(value)
    except (OverflowError, OSError, ValueError):
        return ""
    today = time.localtime()
    fmt = "%H:%M:%S" if then[:3] == today[:3] else "%Y-%m-%d %H:%M:%S"
    return time.strftime(fmt, then)


def _describe(info: dict[str, Any] | None) -> str:
    """``another process (pid 4242 on host h, notebook x.ipynb, since 10:42:01)``, or ``an unknown process``."""
    if info is None:
        return "an unknown process"
    pid = info.get("pid")
    if isinstance(pid, bool) or not isinstance(pid, int):
        return "an unknown process"
    parts = [f"pid {pid}"]
    host = info.get("host")
    if isinstance(host, str) and host:
        parts[0] += f" on host {host}"
    notebook, program = info.get("notebook"), info.get("program")
    if isinstance(notebook, str) and notebook:
        parts.append(f"notebook {notebook}")
    elif isinstance(program, str) and program:
        parts.append(f"program {program}")
    since = _since(info.get("since"))
    if since:
        parts.append(f"since {since}")
    return f"another process ({', '.join(parts)})"
