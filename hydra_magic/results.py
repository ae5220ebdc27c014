"""What a cell returns: structured results with a text and an HTML form.

The static HTML (``hydra_magic.html``) is what a saved notebook shows on GitHub
or nbviewer; the interactive widgets live in ``hydra_magic.views``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .candidates import ClassCandidate, PropertyCandidate
from .contracts import CheckedTriple
from .cq import CompetencyQuestion
from .issues import Issue
from .kg import Fact

__all__ = ["CQResult", "ExtractionResult", "RejectedTriple"]


def _bundle(obj: Any) -> dict[str, Any]:
    from . import views  # deferred: rendering code and widgets only when displayed

    return views.mimebundle(obj)  # text/plain + static text/html (+ the widget in a live kernel)


@dataclass
class CQResult:
    """The outcome of one ``%%cq`` cell / :meth:`Session.add_cqs` call."""

    cqs: list[CompetencyQuestion]
    added_classes: list[ClassCandidate] = field(default_factory=list)
    added_properties: list[PropertyCandidate] = field(default_factory=list)
    rejected: list[tuple[ClassCandidate | PropertyCandidate, list[Issue]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # engine-level, e.g. unparsed_cq
    engine: str = ""
    seconds: float = 0.0
    session: Any = field(default=None, repr=False, compare=False)

    def contributions(self) -> dict[str, list[str]]:
        """Per CQ text, the names it added."""
        out: dict[str, list[str]] = {cq.text: [] for cq in self.cqs}
        for item in [*self.added_classes, *self.added_properties]:
            out.setdefault(item.origin or "(other)", []).append(item.name)
        return out

    def unparsed(self) -> list[str]:
        return [i.message for i in self.issues if i.code == "unparsed_cq"]

    def to_text(self) -> str:
        lines = [f"{len(self.cqs)} competency question(s): +{len(self.added_classes)} classes, "
                 f"+{len(self.added_properties)} properties, {len(self.rejected)} rejected, "
                 f"{len(self.unparsed())} not understood ({self.engine}, {self.seconds:.2f}s)"]
        for cq, names in self.contributions().items():
            lines.append(f"  {cq} -> {', '.join(names) if names else '(nothing new)'}")
        for item, issues in self.rejected:
            lines.append(f"  rejected {item.describe()}: " + "; ".join(str(i) for i in issues))
        for i in self.issues:
            lines.append(f"  {i}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _bundle(self)

    def __repr__(self) -> str:
        return self.to_text()


@dataclass
class RejectedTriple:
    """A candidate the contracts refused, with why (kept so the user can still accept it)."""

    checked: CheckedTriple
    chunk: int = 0

    @property
    def issues(self) -> list[Issue]:
        return self.checked.issues

    @property
    def codes(self) -> list[str]:
        return self.checked.codes


@dataclass
class ExtractionResult:
    """The outcome of one ``%%extract`` cell / :meth:`Session.extract` call."""

    source: str
    text: str
    facts: list[Fact] = field(default_factory=list)
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[RejectedTriple] = field(default_factory=list)
    replaced: int = 0  # facts of an earlier run of the same source that were replaced
    failed_chunks: list[tuple[int, str]] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0
    chunks: int = 1
    #: The session that produced it (the widget's "accept anyway" acts on it).
    session: Any = field(default=None, repr=False, compare=False)

    def rejected_by_code(self) -> dict[str, int]:
        return dict(Counter(code for r in self.rejected for code in r.codes))

    def to_text(self) -> str:
        by_code = ", ".join(f"{k}: {v}" for k, v in sorted(self.rejected_by_code().items()))
        lines = [f"source {self.source!r}: {len(self.accepted)} accepted, {len(self.rejected)} rejected"
                 + (f" ({by_code})" if by_code else "")
                 + (f", replaced {self.replaced} earlier facts" if self.replaced else "")
                 + f" [{self.engine}, {self.seconds:.2f}s]"]
        for ct in self.accepted:
            c = ct.candidate
            lines.append(f"  + ({c.subject}, {c.predicate}, {c.object})")
        for r in self.rejected:
            c = r.checked.candidate
            lines.append(f"  - ({c.subject}, {c.predicate}, {c.object}) "
                         + "; ".join(f"[{i.code}] {i.message}" for i in r.issues))
        for idx, err in self.failed_chunks:
            lines.append(f"  ! chunk {idx} failed: {err} (retry with %hydra retry)")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _bundle(self)

    def __repr__(self) -> str:
        return self.to_text()
