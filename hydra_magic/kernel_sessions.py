"""The sessions open in one kernel, by name (held by the magics; used by the extension and the magics).

Apart from :mod:`hydra_magic.extension` so that the magics can hold a registry
without importing the module that loads them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only; keeps import light
    from .session import Session, SessionConfig

__all__ = ["USER_VARIABLE", "DEFAULT_SESSION_NAME", "SessionFactory", "SessionRegistry",
           "default_session_factory", "notebook_session_name"]

#: The user-namespace variable that holds the active session.
USER_VARIABLE = "hydra"
#: The session a kernel opens when it does not know its notebook.
DEFAULT_SESSION_NAME = "default"
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_DOTS = re.compile(r"\.{2,}")
_SEPARATORS = re.compile(r"[\\/]")
_LEADING = re.compile(r"^[^A-Za-z0-9]+")


def notebook_session_name(environ: Mapping[str, str] | None = None) -> str:
    """The session name of this kernel's notebook: ``'analysis'`` for ``work/analysis.ipynb``.

    Jupyter Server starts each notebook's kernel with ``JPY_SESSION_NAME`` set
    to the notebook's path, so two notebooks in one folder get two sessions
    instead of clobbering one. The file's stem is made a valid session name
    (accents dropped, other characters outside ``[A-Za-z0-9_.-]`` become ``-``,
    at most 64 characters); ``'default'`` when the variable is unset (plain
    IPython, nbclient) or nothing valid remains (e.g. a name in Japanese).
    """
    value = (os.environ if environ is None else environ).get("JPY_SESSION_NAME") or ""
    base = _SEPARATORS.split(value.strip())[-1]  # the server may join an OS path: '/' or '\\'
    stem = PurePosixPath(base).stem
    ascii_ = "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))
    name = _DOTS.sub(".", _NOT_IN_NAME.sub("-", ascii_))
    name = _LEADING.sub("", name)[:64].rstrip("-.")
    from .journal import valid_session_name  # lazily: keeps this module's imports light

    return name if valid_session_name(name) else DEFAULT_SESSION_NAME


SessionFactory = Callable[[str, "SessionConfig"], "Session"]


def default_session_factory(name: str, config: "SessionConfig") -> "Session":
    """Open the named session, restoring its journal when there is one."""
    from .session import Session

    return Session(name, config)


class SessionRegistry:
    """The sessions opened in one kernel, by name; exactly one is active.

    Parameters
    ----------
    factory
        Creates a session from a name and a config (tests pass one that
        plugs in a fake engine).
    """

    def __init__(self, factory: SessionFactory = default_session_factory) -> None:
        self.factory = factory
        self._sessions: dict[str, "Session"] = {}
        self._active: str | None = None

    def open(self, name: str, config: "SessionConfig", *, activate: bool = True) -> tuple["Session", bool]:
        """The session ``name``, created (or restored from its journal) on first use.

        Returns the session and whether it was opened by this call.
        """
        created = name not in self._sessions
        if created:
            self._sessions[name] = self.factory(name, config)
        if activate:
            self._active = name
        return self._sessions[name], created

    def adopt(self, session: "Session") -> "Session":
        """Make an existing :class:`Session` object the active one (replacing one of the same name)."""
        self._sessions[session.name] = session
        self._active = session.name
        return session

    @property
    def active(self) -> "Session":
        if self._active is None:
            raise InputError("No hydra session is open. Run %load_ext hydra_magic first.")
        return self._sessions[self._active]

    @property
    def active_name(self) -> str | None:
        return self._active

    def get(self, name: str) -> "Session | None":
        return self._sessions.get(name)

    def names(self) -> list[str]:
        return list(self._sessions)

    def __iter__(self) -> Iterator["Session"]:
        return iter(list(self._sessions.values()))

    def __contains__(self, session: object) -> bool:
        return any(s is session for s in self._sessions.values())

    def __len__(self) -> int:
        return len(self._sessions)
