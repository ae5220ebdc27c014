"""Results as plain data: what the static HTML and the widgets show, as JSON-ready dicts.

Pure functions from session objects to dicts of strings, numbers, lists and dicts.
:mod:`hydra_magic.html` renders these states as static HTML and the widgets
(:mod:`hydra_magic.widget_classes`) ship them to the browser, so a saved notebook
and a live widget show the same thing. Text is never escaped here: the HTML
escapes it, the front end inserts it with ``textContent``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["query_prefixes", "sparql_rows"]


# --------------------------------------------------------------------------- SPARQL
def query_prefixes(session: Any) -> dict[str, str]:
    """The prefixes a ``%%sparql`` table shortens IRIs with: the ontology's bindings, ``onto:`` and ``ent:``."""
    prefixes = {p: str(ns) for p, ns in session.ontology.graph.namespaces() if p}
    prefixes.update({"onto": str(session.ontology.ns), "ent": str(session.kg.entity_ns)})
    return prefixes


def sparql_rows(result: Any, prefixes: dict[str, str]) -> dict[str, Any]:
    """An rdflib query result as ``{"kind", "answer", "columns", "rows", "display"}``.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE: subject, predicate,
    object rows). ``rows`` hold Python values (``str`` for IRIs, ``int``/``float``/``date``/…
    for typed literals); ``display`` holds the same rows as text, IRIs shortened by prefix.
    """
    from rdflib import BNode, Literal, URIRef

    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def show(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, URIRef):
            s = str(v)
            for p, ns in ordered:
                if s.startswith(ns) and s != ns:
                    local = s[len(ns):]
                    if local.replace("_", "a").replace("-", "a").replace(".", "a").isalnum():
                        return f"{p}:{local}"
            return f"<{s}>"
        return str(v)

    def py(v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, Literal):
            value = v.toPython()
            return str(value) if isinstance(value, Literal) else value
        if isinstance(v, (URIRef, BNode)):
            return str(v)
        return v

    if result.type == "ASK":
        return {"kind": "ask", "answer": bool(result.askAnswer), "columns": [], "rows": [], "display": []}
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars]
        raw = [[row[i] if i < len(row) else None for i in range(len(columns))] for row in result]
        kind = "select"
    else:  # CONSTRUCT / DESCRIBE
        columns = ["subject", "predicate", "object"]
        raw = [list(t) for t in result.graph]
        kind = "graph"
    return {"kind": kind, "answer": None, "columns": columns,
            "rows": [{c: py(v) for c, v in zip(columns, r)} for r in raw],
            "display": [[show(v) for v in r] for r in raw]}
