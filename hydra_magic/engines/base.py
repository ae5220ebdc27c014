"""The Engine protocol every engine implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence, runtime_checkable

from ..candidates import (IS_A, ClassCandidate, OntologyProposal, PropertyCandidate, TextChunk,
                          TripleCandidate)
from ..issues import Issue

if TYPE_CHECKING:
    from ..cq import CompetencyQuestion
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology

__all__ = ["IS_A", "ClassCandidate", "PropertyCandidate", "OntologyProposal", "TextChunk",
           "TripleCandidate", "Engine"]


@runtime_checkable
class Engine(Protocol):
    """What every engine (offline rules, litellm) implements."""

    @property
    def name(self) -> str:
        """The engine's name (a class attribute or a read-only property)."""
        ...

    def propose_ontology(self, cqs: Sequence["CompetencyQuestion"], ontology: "Ontology",
                         feedback: Sequence[tuple[Any, list[Issue]]] = ()) -> OntologyProposal:
        """Classes and properties that let ``ontology`` answer ``cqs``."""
        ...

    def extract(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = ()) -> list[TripleCandidate]:
        """Candidate triples in ``chunk`` using only ``ontology``'s vocabulary."""
        ...
