"""Engines: the offline rules engine (default) and the litellm engine (lazy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import IS_A, ClassCandidate, Engine, OntologyProposal, PropertyCandidate, TextChunk, TripleCandidate

if TYPE_CHECKING:
    pass

__all__ = ["IS_A", "ClassCandidate", "Engine", "OntologyProposal", "PropertyCandidate", "TextChunk",
           "TripleCandidate", "get_engine"]


def get_engine(name: str = "rules", **options: Any) -> Engine:
    """The engine for ``name``: ``"rules"`` (offline) or any litellm model string.

    litellm is imported only when a model engine is created.
    """
    if name in ("rules", "offline", "", None):
        from .rules import RulesEngine

        return RulesEngine()
    from .llm import LLMEngine  # heavy import deferred on purpose

    return LLMEngine(model=name, **options)
