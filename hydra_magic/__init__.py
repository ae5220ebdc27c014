"""hydra_magic: verifiable knowledge graphs in Jupyter (HyDRA in notebooks)."""

__version__ = "0.1.0"

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing only: importing the package stays light
    from IPython.core.interactiveshell import InteractiveShell

    from .ask import Answer as Answer, AskResult as AskResult
    from .candidates import (
        ClassCandidate as ClassCandidate, OntologyProposal as OntologyProposal,
        PropertyCandidate as PropertyCandidate, TextChunk as TextChunk, TripleCandidate as TripleCandidate,
    )
    from .changes import Change as Change
    from .cq import CompetencyQuestion as CompetencyQuestion
    from .engines.base import Engine as Engine
    from .errors import HydraError as HydraError
    from .issues import Issue as Issue
    from .kg import Evidence as Evidence, Fact as Fact, KnowledgeGraph as KnowledgeGraph
    from .ontology import Ontology as Ontology
    from .results import CQResult as CQResult, ExtractionResult as ExtractionResult, RejectedTriple as RejectedTriple
    from .session import (
        MergeResult as MergeResult, Session as Session, SessionConfig as SessionConfig,
        SessionEvent as SessionEvent,
    )
    from .settings import SETTINGS as SETTINGS, Setting as Setting
    from .verify.report import VerificationReport as VerificationReport


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
    # the session and its settings
    "Session": "hydra_magic.session",
    "SessionConfig": "hydra_magic.session",
    "SessionEvent": "hydra_magic.session",
    "MergeResult": "hydra_magic.session",
    "Setting": "hydra_magic.settings",
    "SETTINGS": "hydra_magic.settings",
    # the model: ontology, facts with their evidence, questions, changes
    "Ontology": "hydra_magic.ontology",
    "KnowledgeGraph": "hydra_magic.kg",
    "Fact": "hydra_magic.kg",
    "Evidence": "hydra_magic.kg",
    "CompetencyQuestion": "hydra_magic.cq",
    "Change": "hydra_magic.changes",
    # what an engine is and what it proposes (write your own engine against these)
    "Engine": "hydra_magic.engines.base",
    "TextChunk": "hydra_magic.candidates",
    "TripleCandidate": "hydra_magic.candidates",
    "OntologyProposal": "hydra_magic.candidates",
    "ClassCandidate": "hydra_magic.candidates",
    "PropertyCandidate": "hydra_magic.candidates",
    # what the session gives back
    "ExtractionResult": "hydra_magic.results",
    "CQResult": "hydra_magic.results",
    "RejectedTriple": "hydra_magic.results",
    "VerificationReport": "hydra_magic.verify.report",
    "AskResult": "hydra_magic.ask",
    "Answer": "hydra_magic.ask",
    "Issue": "hydra_magic.issues",
    "HydraError": "hydra_magic.errors",
}

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension", "get_session", *_LAZY]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hydra_magic' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
