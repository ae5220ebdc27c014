"""How a check records what it found: an :class:`~hydra_magic.issues.Issue` filed under its focus node.

Checks work on term ids (:mod:`.terms`); an issue is written in rdflib terms.
Every KG-level issue carries, in ``Issue.data``: ``focus`` (the node in N3;
incremental verification files issues under it), ``subject`` (IRI or value as
text), optionally ``predicate`` and ``value``, ``check`` (which family of
checks raised it) and ``evidence`` (source and sentence of the facts involved).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..iri import local_name
from ..issues import Issue, Severity
from .index import FactIndex, Key
from .terms import BLANK, LIT, literal_parts, n3

__all__ = ["Findings", "make_issue", "ordered", "short"]

#: focus id -> the issues filed under it
Findings = dict[str, list[Issue]]


def short(i: str) -> str:
    """A term id as people read it in a message: local name of an IRI, lexical form of a literal."""
    if i[:1] == LIT:
        return literal_parts(i)[0]
    if i[:1] == BLANK:
        return "_:" + i[1:]
    return local_name(i)


def ordered(ids: Iterable[str]) -> list[str]:
    """Ids in a stable order (IRIs first, then literals)."""
    return sorted(ids, key=lambda i: (i[:1] in (LIT, BLANK), i))


def make_issue(code: str, focus: str, message: str, hint: str, *, check: str, severity: Severity = "error",
               predicate: str | None = None, value: str | None = None, keys: Iterable[Key] = (),
               index: FactIndex | None = None, extra: dict[str, Any] | None = None) -> Issue:
    """An issue about ``focus`` (all terms given as ids)."""
    subject = literal_parts(focus)[0] if focus[:1] == LIT else focus.removeprefix(BLANK)
    data: dict[str, Any] = {"focus": n3(focus), "subject": subject, "check": check}
    if predicate is not None:
        data["predicate"] = predicate
    if value is not None:
        data["value"] = n3(value)
    if index is not None:
        ev = index.evidence(keys)
        if ev:
            data["evidence"] = ev
    if extra:
        data.update(extra)
    kind = "value" if focus[:1] == LIT else "entity"
    path = f"{kind}:{short(focus)}" + (f"/{local_name(predicate)}" if predicate is not None else "")
    return Issue(code, message, hint, severity=severity, path=path, data=data)
