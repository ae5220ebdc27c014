"""Status labels and colours: the one table the static HTML and the widgets both read.

:mod:`hydra_magic.html` colours its badges from it; the widgets receive it through
their model (the ``statuses`` trait), so a label or a colour changes here and
nowhere else.
"""

from __future__ import annotations

__all__ = ["STATUSES", "TONES", "status", "widget_statuses"]

#: Background and text colour of each tone.
TONES: dict[str, tuple[str, str]] = {
    "ok": ("#dafbe1", "#116329"),
    "warn": ("#fff8c5", "#7d4e00"),
    "bad": ("#ffebe9", "#a40e26"),
    "info": ("#ddf4ff", "#0550ae"),
    "gray": ("#eaeef2", "#57606a"),
}

#: What a status is called where it is shown, and its tone.
STATUSES: dict[str, tuple[str, str]] = {
    # a candidate triple or a fact
    "accepted": ("verified", "ok"),
    "flagged": ("not verified", "warn"),
    "user": ("accepted by you", "info"),
    "rejected": ("rejected", "bad"),
    "removed": ("removed", "gray"),
    # a competency question
    "expressible": ("expressible", "ok"),
    "partial": ("classes only", "warn"),
    "missing": ("not expressible", "bad"),
    "unparsed": ("not understood", "warn"),
    # an issue's severity
    "error": ("error", "bad"),
    "warning": ("warning", "warn"),
    "info": ("info", "info"),
    # an ontology term this cell added
    "new": ("new", "ok"),
}


def status(kind: str) -> tuple[str, str, str]:
    """``(label, background, colour)`` of ``kind``; an unknown kind is shown as itself, in gray."""
    label, tone = STATUSES.get(kind, (kind, "gray"))
    bg, fg = TONES[tone]
    return label, bg, fg


def widget_statuses() -> dict[str, dict[str, str]]:
    """The table as JSON for the widgets: ``{kind: {"label", "bg", "fg"}}``."""
    return {kind: dict(zip(("label", "bg", "fg"), status(kind))) for kind in STATUSES}
