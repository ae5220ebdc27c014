"""Where a session lives on disk: an Oxigraph store, a write-ahead change log, a lock."""

from .session_store import STORE_FORMAT, SessionStore, StoredState

__all__ = ["STORE_FORMAT", "SessionStore", "StoredState"]
