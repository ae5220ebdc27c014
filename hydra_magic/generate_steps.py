"""The products of HyDRA's generation steps: plain, editable, shown as text and HTML.

Each step of :class:`hydra_magic.generate.Generation` returns one of these; a
user may inspect it, change it (``to_dict`` → edit → ``from_dict``, or build one)
and hand it back before the next step runs.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from .cq import CompetencyQuestion
from .errors import InputError
from .issues import Issue
from .ontology import Ontology
from .wording import count

__all__ = ["Persona", "StakeholderGroup", "Committee", "ScopeDocument", "Scopes", "GeneratedCQ", "CQSet",
           "BatchRecord", "OntologyDraft", "PERSONAS_PER_PRIORITY", "PRIORITIES"]

#: HyDRA's committee sizes: personas per stakeholder group, by the group's priority.
PERSONAS_PER_PRIORITY: Mapping[str, int] = {"high": 3, "medium": 2, "low": 1}
PRIORITIES = ("high", "medium", "low")


def _bundle(text: str) -> dict[str, str]:
    return {"text/plain": text, "text/html": f"<pre class='hydra-generate'>{html.escape(text)}</pre>"}


class _Shown:
    """Text and HTML display from ``to_text``."""

    def to_text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return _bundle(self.to_text())

    def __str__(self) -> str:
        return self.to_text()


# ------------------------------------------------------------------ committee
@dataclass
class Persona(_Shown):
    name: str
    role: str = ""
    background: str = ""

    def describe(self, group: str = "") -> str:
        g = f" ({group})" if group else ""
        return f"{self.name}, {self.role}{g}" + (f": {self.background}" if self.background else "")

    def to_text(self) -> str:
        return self.describe()


@dataclass
class StakeholderGroup(_Shown):
    name: str
    priority: str = "medium"  # high | medium | low
    description: str = ""
    reason: str = ""  # why the model gave it this priority
    personas: list[Persona] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"{self.name} [{self.priority}]" + (f": {self.description}" if self.description else "")]
        if self.reason:
            lines.append(f"  priority: {self.reason}")
        lines += [f"  - {p.describe()}" for p in self.personas]
        return "\n".join(lines)


@dataclass
class Committee(_Shown):
    """Stakeholder groups with priorities and their personas, and the (seeded, shuffled) order in which
    the personas sit on panels; ``notes`` say where the model's answer was cut or fell short."""

    domain: str
    groups: list[StakeholderGroup] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # persona names, panel order
    notes: list[str] = field(default_factory=list)

    def members(self) -> list[tuple[StakeholderGroup, Persona]]:
        """Every persona with its group, in panel order (personas missing from ``order`` last)."""
        everyone = [(g, p) for g in self.groups for p in g.personas]
        rank = {name: i for i, name in enumerate(self.order)}
        return sorted(everyone, key=lambda gp: rank.get(gp[1].name, len(rank)))

    def panels(self, size: int = 4) -> list[list[tuple[StakeholderGroup, Persona]]]:
        """The members in consecutive panels of ``size`` (HyDRA's groups of 4)."""
        m = self.members()
        return [m[i:i + size] for i in range(0, len(m), max(1, size))]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Committee":
        groups = []
        for g in d.get("groups", []):
            if not isinstance(g, Mapping) or not str(g.get("name", "")).strip():
                raise InputError(f"A committee group needs a name, got {g!r}. Use "
                                 "{'name': 'Critics', 'priority': 'high', 'personas': [{'name': 'Ann'}]}.")
            priority = str(g.get("priority", "medium")).lower()
            if priority not in PRIORITIES:
                raise InputError(f"Group {g['name']!r} has priority {priority!r}; use high, medium or low.")
            groups.append(StakeholderGroup(str(g["name"]), priority, g.get("description", ""), g.get("reason", ""),
                                           [Persona(**p) for p in g.get("personas", [])]))
        return cls(d.get("domain", ""), groups, list(d.get("order", [])), list(d.get("notes", [])))

    def to_text(self, panel_size: int = 4) -> str:
        n = sum(len(g.personas) for g in self.groups)
        lines = [f"Committee for {self.domain!r}: {count(len(self.groups), 'group')}, {count(n, 'persona')}"]
        lines += [g.to_text() for g in self.groups]
        for k, panel in enumerate(self.panels(panel_size), start=1):
            lines.append(f"panel {k}: " + ", ".join(p.name for _, p in panel))
        lines += [f"  note: {x}" for x in self.notes]
        return "\n".join(lines)


# --------------------------------------------------------------------- scopes
@dataclass
class ScopeDocument(_Shown):
    text: str
    title: str = ""
    concepts: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # the personas it speaks for
    notes: list[str] = field(default_factory=list)  # how it was made: merges, short replies

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        head = self.title or "Scope"
        by = f" (by {', '.join(self.authors)})" if self.authors else ""
        notes = f" [{'; '.join(self.notes)}]" if self.notes else ""
        concepts = f"\nKey concepts: {', '.join(self.concepts)}" if self.concepts else ""
        return f"{head}{by}{notes}\n{self.text}{concepts}"


@dataclass
class Scopes(_Shown):
    documents: list[ScopeDocument] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[ScopeDocument]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.documents]}

    def to_text(self) -> str:
        notes = "".join(f"\nnote: {x}" for x in self.notes)
        return (f"{count(len(self.documents), 'scope document')}{notes}\n\n"
                + "\n\n".join(d.to_text() for d in self.documents))


# ------------------------------------------------------------------------ CQs
@dataclass
class GeneratedCQ:
    text: str
    group: str = ""
    kept: bool = True
    duplicate_of: int | None = None  # index (in the CQSet) of the question it duplicates


@dataclass
class CQSet(_Shown):
    """Competency questions with the group that asked them; de-duplication marks repeats as not kept."""

    items: list[GeneratedCQ] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    deduplicated: bool = False

    @classmethod
    def of(cls, questions: Iterable[str | GeneratedCQ | CompetencyQuestion]) -> "CQSet":
        items = []
        for q in questions:
            if isinstance(q, GeneratedCQ):
                items.append(q)
            else:
                text = str(getattr(q, "text", q)).strip()
                if text:
                    items.append(GeneratedCQ(text))
        if not items:
            raise InputError("No competency question given. Pass a list of questions, e.g. "
                             "['Which films did a director direct?'].")
        return cls(items)

    @property
    def questions(self) -> list[str]:
        """The kept questions, in order."""
        return [c.text for c in self.items if c.kept]

    @property
    def removed(self) -> list[tuple[str, str]]:
        """(duplicate, kept question it repeats)."""
        return [(c.text, self.items[c.duplicate_of].text if c.duplicate_of is not None else "")
                for c in self.items if not c.kept]

    def __iter__(self) -> Iterator[str]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def to_dict(self) -> dict[str, Any]:
        return {"items": [asdict(c) for c in self.items], "issues": [i.to_dict() for i in self.issues],
                "deduplicated": self.deduplicated}

    def to_text(self) -> str:
        lines = [f"{len(self.questions)} competency questions"
                 + (f" ({len(self.removed)} duplicates removed)" if self.removed else "")]
        for n, c in enumerate(self.items, start=1):
            if c.kept:
                lines.append(f"{n:>3}. {c.text}" + (f"  [{c.group}]" if c.group else ""))
        for dup, of in self.removed:
            lines.append(f"  duplicate: {dup}  (same as: {of})")
        lines += [f"  {i}" for i in self.issues]
        return "\n".join(lines)


# ------------------------------------------------------------------- ontology
@dataclass
class BatchRecord:
    """One call group of the ontology step: up to 4 CQs and what the contracts made of the replies."""

    cqs: list[str]
    classes: list[str] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    rejected: list[tuple[str, list[Issue]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    attempts: int = 0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"cqs": self.cqs, "classes": self.classes, "properties": self.properties,
                "rejected": [{"item": d, "issues": [i.to_dict() for i in iss]} for d, iss in self.rejected],
                "issues": [i.to_dict() for i in self.issues], "attempts": self.attempts, "error": self.error}


@dataclass
class OntologyDraft(_Shown):
    """The ontology built from the CQs (on a copy of the session's), before or after it is applied."""

    ontology: Ontology
    added_classes: list[str] = field(default_factory=list)
    added_properties: list[str] = field(default_factory=list)
    batches: list[BatchRecord] = field(default_factory=list)
    #: Modelling flags of the classes it adds (instance_as_class, literal_as_class).
    flags: list[Issue] = field(default_factory=list)
    applied: bool = False
    summary: str = ""

    @property
    def rejected(self) -> list[tuple[str, list[Issue]]]:
        return [r for b in self.batches for r in b.rejected]

    def to_turtle(self) -> str:
        return self.ontology.to_turtle()

    def to_dict(self) -> dict[str, Any]:
        return {"added_classes": self.added_classes, "added_properties": self.added_properties,
                "batches": [b.to_dict() for b in self.batches],
                "flags": [i.to_dict() for i in self.flags], "applied": self.applied}

    def to_text(self) -> str:
        attempts = sum(b.attempts for b in self.batches)
        lines = [f"ontology: +{count(len(self.added_classes), 'class')}, "
                 f"+{count(len(self.added_properties), 'property')} from {len(self.batches)} batch(es) of CQs "
                 f"({attempts} attempts), {len(self.rejected)} rejected"
                 + (" — applied to the session" if self.applied else " — not applied")]
        if self.added_classes:
            lines.append("  classes: " + ", ".join(self.added_classes))
        if self.added_properties:
            lines.append("  properties: " + ", ".join(self.added_properties))
        for desc, issues in self.rejected:
            lines.append(f"  rejected {desc}: " + "; ".join(str(i) for i in issues))
        for b in self.batches:
            lines += [f"  {i}" for i in b.issues]
            if b.error:
                lines.append(f"  ! batch failed: {b.error}")
        lines += [f"  flag {i}" for i in self.flags]
        return "\n".join(lines)
