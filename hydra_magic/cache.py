"""A persistent cache of model replies, keyed by a hash of model + messages + parameters.

Identical requests (same model, endpoint, messages, temperature, ``max_tokens``,
reply schema and extra parameters) are answered from disk instead of the model;
the structured-output shape a server was negotiated down to is not part of the
key. The model engine stores a reply only once it parsed: an unusable reply is
asked for again next time, never replayed. The store is
one SQLite file under a cache directory; nothing is created until the first
write (no directory or temporary file at import time). API keys are never part
of the key material nor of what is stored.

The directory is, in order: the ``directory`` argument, ``$HYDRA_MAGIC_CACHE_DIR``,
``$XDG_CACHE_HOME/hydra_magic``, ``~/.cache/hydra_magic``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

__all__ = ["ResponseCache", "default_cache_dir", "request_key", "is_secret_param"]

_SCHEMA = """CREATE TABLE IF NOT EXISTS replies (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    created REAL NOT NULL,
    value TEXT NOT NULL
)"""

#: Parameter names that may carry credentials; they never enter a key or the store.
_SECRET_NAMES = frozenset({"api_key", "key", "token", "access_token", "secret", "password", "authorization",
                           "headers", "extra_headers", "aws_access_key_id", "aws_secret_access_key",
                           "aws_session_token", "vertex_credentials", "azure_ad_token"})


def is_secret_param(name: str) -> bool:
    """Whether a request parameter may carry a credential (never hashed, stored or shown)."""
    n = name.lower()
    return n in _SECRET_NAMES or n.endswith(("_api_key", "_secret", "_password", "_credentials"))


def default_cache_dir() -> Path:
    """Where the cache lives when no directory is given."""
    env = os.environ.get("HYDRA_MAGIC_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "hydra_magic"


def _public(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if not is_secret_param(k)}


def request_key(model: str, messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any] | None = None) -> str:
    """SHA-256 of the canonical JSON of a request (credentials excluded)."""
    material = {"model": model, "messages": list(messages), "params": _public(params or {})}
    blob = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Model replies on disk (SQLite), safe to share between threads and processes.

    Parameters
    ----------
    directory
        Folder of the cache file; see the module docstring for the default.
    enabled
        ``False`` makes every lookup a miss and every store a no-op.
    """

    FILENAME = "llm-replies.sqlite3"

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, enabled: bool = True) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()
        self.enabled = enabled
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.directory / self.FILENAME

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not create and not self.path.exists():
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute(_SCHEMA)
        self._conn = conn
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored reply for ``key``, or ``None``."""
        if not self.enabled:
            return None
        with self._lock:
            conn = self._connect(create=False)
            if conn is None:
                return None
            row = conn.execute("SELECT value FROM replies WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError:  # a torn row from a killed writer counts as a miss
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, model: str, value: Mapping[str, Any]) -> None:
        """Store ``value`` (JSON-ready, no credentials) under ``key``."""
        if not self.enabled:
            return
        blob = json.dumps(dict(value), ensure_ascii=False, default=str)
        with self._lock:
            conn = self._connect(create=True)
            assert conn is not None
            conn.execute("INSERT OR REPLACE INTO replies (key, model, created, value) VALUES (?, ?, ?, ?)",
                         (key, model, time.time(), blob))

    def __len__(self) -> int:
        with self._lock:
            conn = self._connect(create=False)
            return 0 if conn is None else int(conn.execute("SELECT COUNT(*) FROM replies").fetchone()[0])

    def clear(self) -> int:
        """Delete every stored reply; returns how many there were."""
        with self._lock:
            conn = self._connect(create=False)
            if conn is None:
                return 0
            n = int(conn.execute("SELECT COUNT(*) FROM replies").fetchone()[0])
            conn.execute("DELETE FROM replies")
            return n

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"<ResponseCache {state} at {self.path}>"
