"""One undoable change to a session: what was added and removed, and why.

Kept apart from :mod:`hydra_magic.session` so that the store (which logs and
replays changes) does not import the session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node
from rdflib.util import from_n3

from .cq import CompetencyQuestion
from .kg import Fact

__all__ = ["Change", "Triple"]

Triple = tuple[Node, Node, Node]


@dataclass
class Change:
    """One undoable change to the session."""

    kind: str
    summary: str
    time: float = field(default_factory=time.time)
    onto_added: list[Triple] = field(default_factory=list)
    onto_removed: list[Triple] = field(default_factory=list)
    facts_added: list[Fact] = field(default_factory=list)
    facts_removed: list[Fact] = field(default_factory=list)
    cqs_added: list[CompetencyQuestion] = field(default_factory=list)
    cqs_removed: list[CompetencyQuestion] = field(default_factory=list)
    #: Id of this change's record in the session's change log (``None`` before it is logged).
    log_id: int | None = field(default=None, compare=False, repr=False)
    #: Restored from the log with only its header: the session reads the rest before undoing it.
    stub: bool = field(default=False, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.onto_added or self.onto_removed or self.facts_added or self.facts_removed
                    or self.cqs_added or self.cqs_removed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "summary": self.summary, "time": self.time,
            "onto_added": [[t.n3() for t in tr] for tr in self.onto_added],
            "onto_removed": [[t.n3() for t in tr] for tr in self.onto_removed],
            "facts_added": [f.to_dict() for f in self.facts_added],
            "facts_removed": [f.to_dict() for f in self.facts_removed],
            "cqs_added": [c.to_dict() for c in self.cqs_added],
            "cqs_removed": [c.to_dict() for c in self.cqs_removed],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Change":
        return cls(
            kind=d["kind"], summary=d["summary"], time=d.get("time", 0.0),
            onto_added=[tuple(from_n3(x) for x in tr) for tr in d.get("onto_added", [])],  # type: ignore[misc]
            onto_removed=[tuple(from_n3(x) for x in tr) for tr in d.get("onto_removed", [])],  # type: ignore[misc]
            facts_added=[Fact.from_dict(x) for x in d.get("facts_added", [])],
            facts_removed=[Fact.from_dict(x) for x in d.get("facts_removed", [])],
            cqs_added=[CompetencyQuestion.from_dict(x) for x in d.get("cqs_added", [])],
            cqs_removed=[CompetencyQuestion.from_dict(x) for x in d.get("cqs_removed", [])],
        )
