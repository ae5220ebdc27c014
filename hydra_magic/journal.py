"""Crash-safe persistence of a session: one JSON snapshot, written then renamed.

A single ``os.replace`` of a fully written, fsynced temporary file is atomic on
POSIX, so a kill at any moment leaves either the previous snapshot or the new
one, never a torn file. Stale temporary files from a killed writer are ignored
and cleaned up on the next write.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from .errors import JournalError

__all__ = ["Journal", "SNAPSHOT_NAME", "FORMAT_VERSION", "valid_session_name"]

SNAPSHOT_NAME = "session.json"
FORMAT_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def valid_session_name(name: str) -> bool:
    return bool(_NAME.match(name)) and ".." not in name


class Journal:
    """The journal directory of one named session (default ``.hydra/<name>/``)."""

    def __init__(self, root: str | os.PathLike[str], name: str) -> None:
        if not valid_session_name(name):
            raise JournalError(
                f"Session name {name!r} is not allowed. Use letters, digits, '_', '-' or '.', "
                "starting with a letter or digit (at most 64 characters).")
        self.root = Path(root)
        self.name = name
        self.dir = self.root / name
        self.path = self.dir / SNAPSHOT_NAME

    def exists(self) -> bool:
        return self.path.is_file()

    def write(self, state: dict[str, Any]) -> None:
        """Write ``state`` atomically (temp file in the same directory, fsync, rename)."""
        payload = {"format": FORMAT_VERSION, "written": time.time(), **state}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".session-", suffix=".tmp", dir=self.dir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(payload, fh, ensure_ascii=False)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                # Also on KeyboardInterrupt: the old snapshot stays intact.
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(self.dir)
        except OSError as exc:
            raise JournalError(f"Could not write the session journal {self.path}: {exc}. "
                               "Check that the directory is writable, or set journal_dir=None "
                               "to keep the session in memory only.") from exc
        self._clean_stale()

    def read(self) -> dict[str, Any]:
        """The last complete snapshot.

        Raises
        ------
        JournalError
            When the snapshot is unreadable; the file is left in place for inspection.
        """
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise JournalError(f"Could not restore session {self.name!r} from {self.path}: {exc}. "
                               "Move the file away to start fresh; it is left untouched.") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise JournalError(f"{self.path} is not a hydra_magic session snapshot of format "
                               f"{FORMAT_VERSION}. Move it away to start fresh.")
        return data

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


def _fsync_dir(d: Path) -> None:
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
