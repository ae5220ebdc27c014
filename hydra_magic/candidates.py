"""Structured candidates that engines return and contracts judge.

Engines take structured input (and the issues of the previous attempt) and
return these; they never touch session state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .issues import Issue

__all__ = ["IS_A", "ClassCandidate", "PropertyCandidate", "OntologyProposal", "TextChunk", "TripleCandidate"]

#: The typing predicate in candidates (becomes ``rdf:type``).
IS_A = "isA"


@dataclass
class ClassCandidate:
    name: str
    parent: str | None = None
    label: str | None = None
    alt_labels: tuple[str, ...] = ()
    comment: str = ""
    origin: str = ""  # the CQ text (or other reason) it came from

    def describe(self) -> str:
        return f"class {self.name}" + (f" ⊑ {self.parent}" if self.parent else "")


@dataclass
class PropertyCandidate:
    name: str
    kind: Literal["object", "data"]
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    label: str | None = None
    alt_labels: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()
    comment: str = ""
    origin: str = ""

    def describe(self) -> str:
        return f"{self.kind} property {self.name}: {'|'.join(self.domain) or '?'} → {'|'.join(self.range) or '?'}"


@dataclass
class OntologyProposal:
    """What an engine proposes for a batch of CQs (or a weave step)."""

    classes: list[ClassCandidate] = field(default_factory=list)
    properties: list[PropertyCandidate] = field(default_factory=list)
    #: Issues the engine itself raises, e.g. ``unparsed_cq`` for a question it cannot read.
    issues: list[Issue] = field(default_factory=list)
    raw: str = ""  # raw model output, kept for display


@dataclass(frozen=True)
class TextChunk:
    """A piece of a source text, with its offset in that text."""

    text: str
    start: int = 0
    index: int = 0
    source: str = ""


@dataclass
class TripleCandidate:
    """One (subject, predicate, object) proposed by an engine.

    ``subject``/``object`` are entity names (snake_case) or, for ``isA``, a class
    name; for data properties ``object`` is the literal value as written.
    ``*_text`` keep the surface forms used for grounding and display; spans are
    absolute character offsets in the source text.
    """

    subject: str
    predicate: str
    object: str
    subject_text: str = ""
    object_text: str = ""
    sentence: str = ""
    subject_span: tuple[int, int] | None = None
    object_span: tuple[int, int] | None = None
    chunk: int = 0
    inferred: bool = False  # a type the engine inferred from domain/range, not read in the text
    #: An error the engine reports on its own reading (an ambiguous reference): the contracts put it first
    #: among the rejection's reasons. An engine may reject its own candidate this way, never accept one.
    issue: Issue | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"({self.subject}, {self.predicate}, {self.object})"
