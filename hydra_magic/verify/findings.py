"""How a check records what it found: an :class:`~hydra_magic.issues.Issue` filed under its focus node.

Every KG-level issue carries, in ``Issue.data``: ``focus`` (the node in N3, the
key incremental verification files it under), ``subject`` (IRI or value as
text), optionally ``predicate`` and ``value``, ``check`` (which family of checks
raised it) and ``evidence`` (source and sentence of the facts involved).
"""

from __future__ import annotations

from typing import Any, Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..iri import local_name
from ..issues import Issue, Severity
from .index import FactIndex, Key

__all__ = ["Findings", "make_issue", "short", "focus_sort_key", "ordered"]

#: focus node -> the issues filed under it
Findings = dict[Node, list[Issue]]


def short(node: Node) -> str:
    """A node as people read it in a message: local name of an IRI, lexical form of a literal."""
    if isinstance(node, Literal):
        return str(node)
    return local_name(str(node))


def make_issue(code: str, focus: Node, message: str, hint: str, *, check: str, severity: Severity = "error",
               predicate: Node | None = None, value: Node | None = None, keys: Iterable[Key] = (),
               index: FactIndex | None = None, extra: dict[str, Any] | None = None) -> Issue:
    data: dict[str, Any] = {"focus": focus.n3(), "subject": str(focus), "check": check}
    if predicate is not None:
        data["predicate"] = str(predicate)
    if value is not None:
        data["value"] = value.n3()
    if index is not None:
        ev = index.evidence(keys)
        if ev:
            data["evidence"] = ev
    if extra:
        data.update(extra)
    kind = "value" if isinstance(focus, Literal) else "entity"
    path = f"{kind}:{short(focus)}" + (f"/{local_name(str(predicate))}" if predicate is not None else "")
    return Issue(code, message, hint, severity=severity, path=path, data=data)


def focus_sort_key(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, URIRef) else 1, str(node))


def ordered(nodes: Iterable[Node]) -> list[Node]:
    """Nodes in a stable order (IRIs first, then by text); never compares literal values."""
    return sorted(nodes, key=focus_sort_key)
