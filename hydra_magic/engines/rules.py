"""The offline, deterministic default engine (no model, no network).

A thin class over the English grammar (:mod:`hydra_magic.english`), which has two halves
with one job each: :mod:`hydra_magic.english.cq` reads competency questions into ontology
candidates, :mod:`hydra_magic.english.text` reads text into triple candidates using the
ontology's labels, alternative labels, learned triggers and the learned relation model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..issues import Issue
from .base import OntologyProposal, TextChunk, TripleCandidate

if TYPE_CHECKING:
    from ..cq import CompetencyQuestion
    from ..kg import KnowledgeGraph
    from ..ontology import Ontology

__all__ = ["RulesEngine"]


class RulesEngine:
    """Controlled-language CQ parsing and trigger-based extraction."""

    name = "rules"

    def propose_ontology(self, cqs: Sequence["CompetencyQuestion"], ontology: "Ontology",
                         feedback: Sequence[tuple[Any, list[Issue]]] = ()) -> OntologyProposal:
        if feedback:
            return OntologyProposal()  # deterministic: a second attempt would say the same
        from ..english.cq.proposal import propose_from_cqs

        return propose_from_cqs(cqs, ontology)

    def extract(self, chunk: TextChunk, ontology: "Ontology", kg: "KnowledgeGraph",
                feedback: Sequence[tuple[TripleCandidate, list[Issue]]] = ()) -> list[TripleCandidate]:
        if feedback:
            return []
        from ..english.text.extract import extract_triples

        return extract_triples(chunk, ontology, kg)

    def learn(self, examples: Iterable[Mapping[str, Any]], ontology: "Ontology") -> dict[str, list[str]]:
        """Induce trigger phrases per property from labelled sentences; stores them in ``ontology``."""
        from ..english.text.learn import learn_triggers

        return learn_triggers(examples, ontology)
