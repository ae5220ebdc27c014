"""Session names, and the JSON snapshot sessions were saved as before the store (format 1).

Sessions now live in an on-disk store with a change log (:mod:`hydra_magic.store`);
:class:`Journal` remains to read a ``session.json`` once, when such a session is
opened and converted, and to write one in tests of that conversion.

The snapshot was written atomically (a fsynced temporary file renamed over the
old one). Every snapshot carries ``"format"`` (:data:`FORMAT_VERSION`) and
``"written_by"``; one of an older format is upgraded in memory on reading
(:data:`UPGRADES`), one of a newer format is refused with a message that says to
upgrade, and it is never overwritten.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from .errors import JournalError

__all__ = ["Journal", "SNAPSHOT_NAME", "FORMAT_VERSION", "UPGRADES", "valid_session_name",
           "session_name_problem"]

SNAPSHOT_NAME = "session.json"
#: Format of the snapshots this version writes. Bump it when a reader of the
#: previous format would misread a new snapshot, and add an entry to UPGRADES.
FORMAT_VERSION = 1
#: format N -> function turning a format-N snapshot into a format-N+1 one.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_FORMAT_PEEK = re.compile(rb'"format"\s*:\s*(-?\d+)')
_UPGRADE_HINT = "upgrade with pip install -U hydra_magic, or move it away to start fresh"


def valid_session_name(name: str) -> bool:
    """Whether ``name`` can name a session directory (the whole name is checked)."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None and ".." not in name


def session_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a session, in words; ``None`` when it can."""
    if valid_session_name(name):
        return None
    rule = ("Use letters, digits, '_', '-' or '.', starting with a letter or digit "
            "(at most 64 characters), e.g. 'films'.")
    if not isinstance(name, str):
        return f"A session name must be a string, not {type(name).__name__}. {rule}"
    if not name:
        return f"The session name is empty; it is not allowed. {rule}"
    if len(name) > 64:
        why = f"it has {len(name)} characters, more than 64"
    elif ".." in name:
        why = "it contains '..'"
    else:
        bad = next((ch for ch in name if not (ch.isascii() and (ch.isalnum() or ch in "_.-"))), None)
        if bad is not None:
            what = {"\n": "a newline", "\r": "a carriage return", "\t": "a tab", " ": "a space",
                    "/": "'/'", "\\": "'\\'"}.get(bad, f"{bad!r} (U+{ord(bad):04X})")
            why = f"it contains {what}"
        else:
            why = "it does not start with a letter or digit"
    shown = f"{name[:40]!r}..." if len(name) > 40 else repr(name)
    return f"Session name {shown} is not allowed: {why}. {rule}"


class Journal:
    """The journal directory of one named session (default ``.hydra/<name>/``)."""

    def __init__(self, root: str | os.PathLike[str], name: str) -> None:
        problem = session_name_problem(name)
        if problem is not None:
            raise JournalError(problem)
        self.root = Path(root)
        self.name = name
        self.dir = self.root / name
        self.path = self.dir / SNAPSHOT_NAME
        self._checked = False  # whether the snapshot on disk was found safe to replace

    def exists(self) -> bool:
        return self.path.is_file()

    def write(self, state: dict[str, Any]) -> None:
        """Write ``state`` atomically (temp file in the same directory, fsync, rename).

        Raises
        ------
        JournalError
            When the directory is not writable, or when the snapshot there was
            written by a newer hydra_magic (it is left untouched).
        """
        from . import __version__

        if not self._checked:
            self._refuse_newer()
        payload = {"format": FORMAT_VERSION, "written_by": __version__, "written": time.time(), **state}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".session-", suffix=".tmp", dir=self.dir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    _dump(payload, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                # Also on KeyboardInterrupt: the old snapshot stays intact.
                Path(tmp).unlink(missing_ok=True)
                raise
            fsync_dir(self.dir)
        except OSError as exc:
            raise JournalError(f"Could not write the session journal {self.path}: {exc}. "
                               "Check that the directory is writable, or set journal_dir=None "
                               "to keep the session in memory only.") from exc
        self._checked = True
        self._clean_stale()

    def read(self) -> dict[str, Any]:
        """The last complete snapshot, upgraded to :data:`FORMAT_VERSION` if it is older.

        Raises
        ------
        JournalError
            When the snapshot is unreadable or was written by a newer hydra_magic;
            the file is left in place, untouched, for inspection.
        """
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError, RecursionError) as exc:
            reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise JournalError(f"Could not restore session {self.name!r} from {self.path}: {reason}. "
                               "Move the file away to start fresh; it is left untouched.") from exc
        fmt = data.get("format") if isinstance(data, dict) else None
        if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
            raise JournalError(f"{self.path} is not a hydra_magic session snapshot (no valid \"format\" "
                               "number). Move it away to start fresh; it is left untouched.")
        if fmt > FORMAT_VERSION:
            raise JournalError(self._newer_message(fmt, data.get("written_by")))
        while fmt < FORMAT_VERSION:
            upgrade = UPGRADES.get(fmt)
            if upgrade is None:
                raise JournalError(f"{self.path} was written by an old hydra_magic (format {fmt}) that this "
                                   f"version (format {FORMAT_VERSION}) cannot read. Move it away to start "
                                   "fresh; it is left untouched.")
            data = upgrade(data)
            fmt += 1
            data["format"] = fmt
        self._checked = True
        return data

    def _newer_message(self, fmt: int, written_by: Any = None) -> str:
        by = f"hydra_magic {written_by}, " if isinstance(written_by, str) and written_by else "hydra_magic, "
        return (f"Session {self.name!r} at {self.path} was written by a newer {by}format {fmt} (this one reads "
                f"format {FORMAT_VERSION} and older); {_UPGRADE_HINT}. The file is left untouched.")

    def _refuse_newer(self) -> None:
        """Before the first write: refuse to replace a snapshot that a newer version wrote."""
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(4096)
        except OSError:
            return  # none yet (or unreadable: the write reports it)
        m = _FORMAT_PEEK.search(head)
        if m and int(m.group(1)) > FORMAT_VERSION:
            raise JournalError(self._newer_message(int(m.group(1))))

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)

    def _clean_stale(self) -> None:
        now = time.time()
        for p in self.dir.glob(".session-*.tmp"):
            try:
                if now - p.stat().st_mtime > 60:
                    p.unlink()
            except OSError:
                pass

    @staticmethod
    def list_sessions(root: str | os.PathLike[str]) -> list[str]:
        r = Path(root)
        if not r.is_dir():
            return []
        return sorted(p.parent.name for p in r.glob(f"*/{SNAPSHOT_NAME}"))


def _dump(payload: dict[str, Any], fh: Any) -> None:
    try:
        json.dump(payload, fh, ensure_ascii=False)
    except UnicodeEncodeError:
        # An unpaired surrogate (e.g. from a JSON "\\ud800" escape) cannot be UTF-8;
        # ASCII escapes keep it, and json reads it back unchanged.
        fh.seek(0)
        fh.truncate()
        json.dump(payload, fh, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError) as exc:
        raise JournalError(f"The session state cannot be saved as JSON: {exc}. This is a bug in "
                           "hydra_magic; please report it.") from exc


def fsync_dir(d: Path) -> None:
    """Make a rename in ``d`` durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
