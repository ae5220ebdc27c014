"""Loading and unloading the IPython extension, and the sessions of one kernel.

``%load_ext hydra_magic`` registers :class:`~hydra_magic.magics.HydraMagics`,
opens (or restores) the kernel's session and exposes it as ``hydra``.
``%unload_ext hydra_magic`` undoes exactly that: the magics it replaced, the
``hydra`` variable it shadowed and the configurable it added come back as they
were.

Nothing here is a module global: the sessions of a kernel live in a
:class:`~hydra_magic.kernel_sessions.SessionRegistry` held by the ``HydraMagics`` instance that the shell's
magics manager keeps, so two shells in one process never share state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError
from .kernel_sessions import USER_VARIABLE, SessionRegistry, default_session_factory

if TYPE_CHECKING:  # pragma: no cover - typing only; keeps import light
    from .magics import HydraMagics
    from .session import Session

__all__ = [
    "MAGICS_NAME",
    "USER_VARIABLE",
    "SessionRegistry",
    "default_session_factory",
    "load_ipython_extension",
    "unload_ipython_extension",
    "find_magics",
    "get_session",
]

#: The key of the magics instance in ``shell.magics_manager.registry``.
MAGICS_NAME = "HydraMagics"
def find_magics(shell: Any) -> "HydraMagics | None":
    """The ``HydraMagics`` instance registered in ``shell``, if the extension is loaded."""
    manager = getattr(shell, "magics_manager", None)
    registry = getattr(manager, "registry", None)
    if registry is None:
        return None
    # dict.get, not [] : IPython's registry resolves missing keys as lazy magics.
    magics = dict.get(registry, MAGICS_NAME)
    return magics if getattr(magics, "_hydra_loaded", False) else None


_MISSING = object()


def load_ipython_extension(shell: Any) -> None:
    """Register the magics, open the session and expose it as ``hydra``.

    No network and no model library is touched: the engine is created on the
    first cell that needs it.
    """
    if find_magics(shell) is not None:
        return  # IPython's ExtensionManager already guards this; a direct second call is a no-op
    from .magics import HydraMagics

    magics = HydraMagics(shell=shell)
    try:
        session, _ = magics.open_session(magics.session_name)
    except BaseException:
        # HydraMagics.__init__ (IPython's Magics) appended itself to shell.configurables.
        _remove_configurable(shell, magics)
        raise
    table = shell.magics_manager.magics
    magics._hydra_replaced = {kind: {name: table[kind][name] for name in magics.magics[kind] if name in table[kind]}
                              for kind in ("line", "cell")}
    magics._hydra_user_var = shell.user_ns.get(USER_VARIABLE, _MISSING)
    shell.register_magics(magics)
    magics._hydra_loaded = True
    shell.user_ns[USER_VARIABLE] = session
    for note in magics.project_notes:
        print(note)
    print(magics.describe_open(session, created=True))


def unload_ipython_extension(shell: Any) -> None:
    """Undo :func:`load_ipython_extension`: magics, ``hydra`` variable and configurable."""
    magics = find_magics(shell)
    if magics is None:
        return
    manager = shell.magics_manager
    for kind in ("line", "cell"):
        table = manager.magics[kind]
        for name, func in magics.magics[kind].items():
            if table.get(name) == func:
                previous = magics._hydra_replaced.get(kind, {}).get(name)
                if previous is None:
                    del table[name]
                else:
                    table[name] = previous
    # typed ``object``: an identity test against an Any-or-None value widens ``magics`` to Optional for mypy
    registered: object = dict.get(manager.registry, MAGICS_NAME)
    if registered is magics:
        del manager.registry[MAGICS_NAME]
    _remove_configurable(shell, magics)
    current = shell.user_ns.get(USER_VARIABLE, _MISSING)
    if current is not _MISSING and current in magics.sessions:
        if magics._hydra_user_var is _MISSING:
            del shell.user_ns[USER_VARIABLE]
        else:
            shell.user_ns[USER_VARIABLE] = magics._hydra_user_var
    for session in magics.sessions:  # let go of their stores and locks (another process may open them now)
        session.close()
    magics._hydra_loaded = False


def _remove_configurable(shell: Any, obj: Any) -> None:
    configurables = getattr(shell, "configurables", None)
    if configurables is not None:
        configurables[:] = [c for c in configurables if c is not obj]


def get_session(name: str | None = None, shell: Any = None) -> "Session":
    """The active session of the running IPython kernel, or the one called ``name``.

    A name that is not open yet is opened (restored from its journal when one
    exists) without becoming the active session.

    Raises
    ------
    InputError
        When there is no IPython shell or the extension is not loaded in it.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency
            get_ipython = lambda: None  # noqa: E731
        shell = get_ipython()
    magics = find_magics(shell) if shell is not None else None
    if magics is None:
        raise InputError("hydra_magic is not loaded in an IPython session here. In a notebook run "
                         "%load_ext hydra_magic first; in a script create one directly: "
                         "from hydra_magic.session import Session; session = Session('name').")
    if name is None:
        return magics.sessions.active
    session, _ = magics.open_session(name, activate=False)
    return session
