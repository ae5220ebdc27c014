"""Query results as plain data: what a query process sends its caller over a pipe.

Imports only pyoxigraph, so a process that runs queries (the forked worker, or the
snapshot worker of :mod:`hydra_magic.store.snapshot_worker`) starts without rdflib.
An IRI is a ``str``, a literal a 3-tuple ``(value, datatype, language)``, a blank
node a 1-tuple, an RDF 1.2 triple term a 4-tuple ``("<<", s, p, o)``. A result is a
head (``("select", names)``, ``("graph",)`` or ``("ask", bool)``), batches
``("rows", [...])``, then ``("end",)``; a failure is ``("error", kind, text)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

__all__ = ["BATCH", "batches", "error_message", "ox_messages", "plain_ox"]

#: Rows per message: large enough to amortise pickling, small enough to stream.
BATCH = 1000


def plain_ox(t: Any) -> Any:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.Literal):
        return (t.value, None if t.language else t.datatype.value, t.language)
    if isinstance(t, ox.BlankNode):
        return (t.value,)
    if isinstance(t, ox.Triple):
        return ("<<", plain_ox(t.subject), plain_ox(t.predicate), plain_ox(t.object))
    raise TypeError(f"Unexpected Oxigraph term {t!r}")


def ox_messages(result: Any) -> Iterator[tuple[Any, ...]]:
    """The messages of a pyoxigraph query result."""
    plain = plain_ox
    if isinstance(result, ox.QueryBoolean):
        yield ("ask", bool(result))
        return
    if isinstance(result, ox.QuerySolutions):
        yield ("select", [v.value for v in result.variables])
        rows: Iterator[Any] = (tuple(plain(x) for x in solution) for solution in result)
    else:
        yield ("graph",)
        rows = ((plain(t.subject), plain(t.predicate), plain(t.object)) for t in result)
    yield from batches(rows)


def batches(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield ("rows", batch)
            batch = []
    if batch:
        yield ("rows", batch)
    yield ("end",)


def error_message(exc: BaseException) -> tuple[str, str]:
    """``(kind, text)`` of a failed query: ``syntax`` for a parse error, else ``failed``."""
    kind = "syntax" if isinstance(exc, SyntaxError) else "failed"
    return kind, str(exc) or type(exc).__name__
