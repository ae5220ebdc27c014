"""What the modules below the session read of one: :class:`SessionState`, a typing protocol.

``io`` and ``verify`` work on a session's ontology, knowledge graph, CQs,
rules, shapes and history, and are called by :class:`~hydra_magic.session.Session`.
They name this protocol in their signatures instead of importing the session
module, so that imports run one way (the session uses them, never the reverse).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .cq import CompetencyQuestion
    from .kg import KnowledgeGraph
    from .ontology import Ontology

__all__ = ["SessionState"]


class SessionState(Protocol):
    """The parts of a :class:`~hydra_magic.session.Session` that io and verification read."""

    name: str
    config: Any  # SessionConfig: base, types, sparql_timeout, …
    ontology: "Ontology"
    kg: "KnowledgeGraph"
    cqs: "list[CompetencyQuestion]"
    history: list[Any]
    rules: list[str]
    shapes: list[str]
    verify_state: Any
