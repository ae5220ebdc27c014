"""Competency questions and the `%%cq` cell format.

One question per line; blank lines and ``#`` comments are ignored. A question may
pin its expected answers (``Who directed Alien? => ridley_scott, ...``) or its
SPARQL query in an indented ``sparql:`` block that follows it::

    Which films did Ridley Scott direct?
      sparql: SELECT ?f WHERE { ?f onto:director ent:ridley_scott }
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .errors import EmptyInputError

__all__ = ["CompetencyQuestion", "parse_cqs"]


@dataclass(frozen=True)
class CompetencyQuestion:
    """A competency question the ontology (and later the KG) must answer."""

    text: str
    expected: tuple[str, ...] = ()
    sparql: str | None = None
    line: int = 0

    @property
    def id(self) -> str:
        return "cq_" + hashlib.sha1(self.text.strip().lower().encode()).hexdigest()[:8]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "expected": list(self.expected), "sparql": self.sparql,
                "line": self.line}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CompetencyQuestion":
        return cls(d["text"], tuple(d.get("expected", ())), d.get("sparql"), d.get("line", 0))

    def __str__(self) -> str:
        return self.text


def parse_cqs(text: str) -> list[CompetencyQuestion]:
    """Parse a `%%cq` cell body.

    Raises
    ------
    EmptyInputError
        When the cell has no question at all.
    """
    out: list[dict[str, Any]] = []
    sparql_lines: list[str] | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if sparql_lines is not None and raw[:1].isspace() and stripped:
            sparql_lines.append(stripped)
            continue
        if sparql_lines is not None:
            out[-1]["sparql"] = "\n".join(sparql_lines)
            sparql_lines = None
        if not stripped or stripped.startswith("#"):
            continue
        if raw[:1].isspace() and stripped.lower().startswith("sparql:") and out:
            sparql_lines = [stripped[len("sparql:"):].strip()] if stripped[7:].strip() else []
            continue
        question, _, answers = stripped.partition("=>")
        expected = tuple(a.strip() for a in answers.split(",") if a.strip())
        out.append({"text": question.strip(), "expected": expected, "sparql": None, "line": no})
    if sparql_lines is not None and out:
        out[-1]["sparql"] = "\n".join(sparql_lines)
    if not out:
        raise EmptyInputError(
            "The %%cq cell has no competency question. Write one question per line, "
            "e.g. 'Which films did a director direct?'; lines starting with # are comments."
        )
    return [CompetencyQuestion(**d) for d in out]
