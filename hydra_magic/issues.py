"""The one validation record: shown to users, fed back to models, keyed on by tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .rule_registry import CODES  # every stable code with a one-line description, defined once there

__all__ = ["Issue", "Severity", "CODES"]

Severity = Literal["error", "warning", "info"]

@dataclass(frozen=True)
class Issue:
    """One violated rule.

    Parameters
    ----------
    code
        Stable identifier from :data:`CODES`.
    message
        What is wrong, naming the offending values.
    hint
        How to fix it; this is what a model is told on retry.
    severity
        ``"error"`` rejects the candidate; warnings and infos do not.
    path
        Where the problem is, e.g. ``"triple.object"`` or ``"class:Film"``.
    """

    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    path: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown issue code {self.code!r}; add it to hydra_magic.rule_registry")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["data"]:
            d.pop("data")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Issue":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text} Hint: {self.hint}" if self.hint else text
