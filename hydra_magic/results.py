"""What a cell returns: structured results with a text and an HTML form.

Results are data: :mod:`hydra_magic.display` shows them (text, the static HTML a
saved notebook keeps for GitHub and nbviewer, and the widget in a live kernel).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .candidates import ClassCandidate, PropertyCandidate
from .contracts import CheckedTriple
from .cq import CompetencyQuestion
from .issues import Issue
from .kg import Fact
from .wording import count

__all__ = ["CQResult", "ExtractionResult", "RejectedTriple"]


def _bundle(obj: Any) -> dict[str, Any]:
    from . import display  # deferred: rendering code and widgets only when displayed

    return display.mimebundle(obj)  # text/plain + static text/html (+ the widget in a live kernel)


@dataclass
class CQResult:
    """The outcome of one ``%%cq`` cell / :meth:`Session.add_cqs` call."""

    #: Which view shows it (hydra_magic.display dispatches on this, so it needs no import of this module).
    view_kind: ClassVar[str] = "cq"

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
        items: list[ClassCandidate | PropertyCandidate] = [*self.added_classes, *self.added_properties]
        for item in items:
            out.setdefault(item.origin or "(other)", []).append(item.name)
        return out

    def unparsed(self) -> list[str]:
        return [i.message for i in self.issues if i.code == "unparsed_cq"]

    def flags(self) -> list[Issue]:
        """Modelling flags (``instance_as_class``, ``literal_as_class``) of the classes this cell added.

        Judged against the session's competency questions, whose words are the evidence; the
        classes are kept, the flags ask the user to look (see :mod:`hydra_magic.contracts.modelling`).
        """
        from .contracts.modelling import check_modelling

        onto = getattr(self.session, "ontology", None)
        if onto is None or not self.added_classes:
            return []
        cqs = {q.text: q for q in [*self.cqs, *(getattr(self.session, "cqs", None) or [])]}
        added = {f"class:{c.name}" for c in self.added_classes}
        return [i for i in check_modelling(onto, cqs.values()) if i.path in added]

    def to_text(self) -> str:
        lines = [f"{count(len(self.cqs), 'competency question')}: +{count(len(self.added_classes), 'class')}, "
                 f"+{count(len(self.added_properties), 'property')}, {len(self.rejected)} rejected, "
                 f"{len(self.unparsed())} not understood ({self.engine}, {self.seconds:.2f}s)"]
        for cq, names in self.contributions().items():
            lines.append(f"  {cq} -> {', '.join(names) if names else '(nothing new)'}")
        for item, issues in self.rejected:
            lines.append(f"  rejected {item.describe()}: " + "; ".join(str(i) for i in issues))
        for i in self.issues:
            lines.append(f"  {i}")
        for i in self.flags():
            lines.append(f"  flag [{i.code}] {i.message}" + (f" Hint: {i.hint}" if i.hint else ""))
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

    view_kind: ClassVar[str] = "extraction"

    source: str
    text: str
    facts: list[Fact] = field(default_factory=list)
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[RejectedTriple] = field(default_factory=list)
    replaced: int = 0  # facts of an earlier run of the same source that were replaced
    failed_chunks: list[tuple[int, str]] = field(default_factory=list)
    #: Earlier facts flagged ``type_inferred`` that a type stated in this text now verifies.
    upgraded: list[Fact] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0
    chunks: int = 1
    #: The most readings any chunk took (gleaning re-reads a chunk while it finds new facts; 1 without).
    epochs: int = 1
    #: The session that produced it (the widget's "accept anyway" acts on it).
    session: Any = field(default=None, repr=False, compare=False)

    def rejected_by_code(self) -> dict[str, int]:
        return dict(Counter(code for r in self.rejected for code in r.codes))

    @property
    def verified(self) -> list[CheckedTriple]:
        """Accepted on evidence independent of themselves."""
        return [ct for ct in self.accepted if not ct.flags]

    @property
    def flagged(self) -> list[CheckedTriple]:
        """Accepted but not verified: they rest on a type inferred from a relation (``type_inferred``)."""
        return [ct for ct in self.accepted if ct.flags]

    def counts(self) -> dict[str, int]:
        """``verified``, ``type_inferred`` (accepted, flagged) and ``rejected`` candidates."""
        return {"verified": len(self.verified), "type_inferred": len(self.flagged), "rejected": len(self.rejected)}

    def summary(self) -> str:
        """'12 verified, 3 on inferred types, 2 rejected' (the words every view uses)."""
        n = self.counts()
        parts = [f"{n['verified']} verified"]
        if n["type_inferred"]:
            parts.append(f"{n['type_inferred']} on inferred types")
        parts.append(f"{n['rejected']} rejected")
        return ", ".join(parts)

    def to_text(self) -> str:
        by_code = ", ".join(f"{k}: {v}" for k, v in sorted(self.rejected_by_code().items()))
        lines = [f"source {self.source!r}: {self.summary()}"
                 + (f" ({by_code})" if by_code else "")
                 + (f", replaced {self.replaced} earlier facts" if self.replaced else "")
                 + (f", {len(self.upgraded)} earlier facts now verified" if self.upgraded else "")
                 + f" [{self.engine}, {self.seconds:.2f}s]"]
        for ct in self.accepted:
            c = ct.candidate
            flag = f"  [{', '.join(ct.flags)}]" if ct.flags else ""
            lines.append(f"  {'+' if not ct.flags else '~'} ({c.subject}, {c.predicate}, {c.object}){flag}")
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
