"""hydra_magic: verifiable knowledge graphs in Jupyter (HyDRA in notebooks)."""

__version__ = "0.1.0"

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing only: importing the package stays light
    from IPython.core.interactiveshell import InteractiveShell

    from .session import Session


# IPython extension entry points: thin and lazy (no IPython, rdflib or litellm import
# until %load_ext actually runs).
def load_ipython_extension(ipython: "InteractiveShell") -> None:
    """``%load_ext hydra_magic``: register the magics and open the kernel's session as ``hydra``."""
    from .extension import load_ipython_extension as _load

    _load(ipython)


def unload_ipython_extension(ipython: "InteractiveShell") -> None:
    """``%unload_ext hydra_magic``: undo exactly what loading did."""
    from .extension import unload_ipython_extension as _unload

    _unload(ipython)


def get_session(name: "str | None" = None) -> "Session":
    """The active hydra session of this kernel (or the one called ``name``); needs ``%load_ext hydra_magic``."""
    from .extension import get_session as _get

    return _get(name)


#: Public names importable from the package, resolved on first use so that
#: ``import hydra_magic`` (and ``%load_ext``) stays light.
_LAZY = {
    "Session": "hydra_magic.session",
    "SessionConfig": "hydra_magic.session",
    "Ontology": "hydra_magic.ontology",
    "KnowledgeGraph": "hydra_magic.kg",
    "Issue": "hydra_magic.issues",
    "CompetencyQuestion": "hydra_magic.cq",
    "HydraError": "hydra_magic.errors",
}

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension", "get_session", *_LAZY]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hydra_magic' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
