"""The small outputs of the magics: ``%%sparql`` rows, ``%hydra status``, the extraction progress bar.

``%load_ext`` imports this module with the magics, so it stays small and light: the
HTML helpers and rdflib are imported only when a table is shown.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["SPARQL_DISPLAY_ROWS", "Progress", "SparqlResult", "StatusView", "sparql_result", "text_table"]

#: Rows of a SPARQL result shown inline; all of them go to ``--out VAR``.
SPARQL_DISPLAY_ROWS = 200


def text_table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int = 60) -> str:
    """Columns padded to their widest cell (cut at ``width``), a dashed line under the header."""
    def cut(v: str) -> str:
        v = v.replace("\n", " ")
        return v if len(v) <= width else v[: width - 1] + "…"

    cells = [[cut(c) for c in columns]] + [[cut(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- %%sparql
@dataclasses.dataclass
class SparqlResult:
    """What ``%%sparql`` shows: a table (SELECT), a yes/no (ASK) or triples (CONSTRUCT/DESCRIBE).

    ``rows`` hold Python values (``str`` for IRIs, ``int``/``float``/``date``/… for
    typed literals); ``display`` holds the same rows with IRIs shortened by prefix.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    display: list[list[str]]
    kind: str = "select"  # select | ask | graph
    answer: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def _caption(self) -> str:
        if self.kind == "ask":
            return f"ASK: {'yes' if self.answer else 'no'}"
        more = len(self.display) - SPARQL_DISPLAY_ROWS
        shown = f" (first {SPARQL_DISPLAY_ROWS} shown; --out VAR keeps all)" if more > 0 else ""
        return f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}{shown}"

    def to_text(self) -> str:
        if self.kind == "ask":
            return self._caption()
        if not self.rows:
            return "0 rows"
        return self._caption() + "\n" + text_table(self.columns, self.display[:SPARQL_DISPLAY_ROWS])

    def to_html(self) -> str:
        from . import html  # deferred: %load_ext imports this module, the page is built only when shown

        if self.kind == "ask":
            return f'<p class="hydra-sparql">{html.e(self._caption())}</p>'
        rows = [[html.e(v) for v in r] for r in self.display[:SPARQL_DISPLAY_ROWS]]
        return html.table(self.columns, rows, caption=self._caption(), cls="hydra-sparql")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.to_text(), "text/html": self.to_html()}

    def __repr__(self) -> str:
        return self.to_text()


def sparql_result(result: Any, session: Any) -> SparqlResult:
    """The display of an rdflib query result over ``session`` (IRIs shortened by its prefixes)."""
    from .state import query_prefixes, sparql_rows

    st = sparql_rows(result, query_prefixes(session))
    return SparqlResult(st["columns"], st["rows"], st["display"], kind=st["kind"], answer=st["answer"])


# --------------------------------------------------------------------------- %hydra status
@dataclasses.dataclass
class StatusView:
    """What ``%hydra status`` shows: the session's counts and settings."""

    status: dict[str, Any]

    def _rows(self) -> list[list[str]]:
        return [[k, "" if v is None else str(v)] for k, v in self.status.items()]

    def to_text(self) -> str:
        width = max(len(k) for k in self.status)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in self._rows())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from . import html

        rows = [[html.e(v) for v in r] for r in self._rows()]
        return {"text/plain": self.to_text(),
                "text/html": html.table(["", ""], rows, caption=f"hydra session {self.status.get('session')!r}",
                                        cls="hydra-status")}

    def __repr__(self) -> str:
        return self.to_text()


# --------------------------------------------------------------------------- progress
class Progress:
    """A progress display for multi-chunk extractions: a widget in a kernel, a text line elsewhere."""

    def __init__(self, shell: Any, total: int) -> None:
        self.total = total
        self.widget: Any = None
        self.text = False
        self.closed = False
        if total <= 1:
            return
        if getattr(shell, "kernel", None) is not None:
            try:
                import ipywidgets  # deferred: only a kernel with a multi-chunk text needs it
                from IPython.display import display

                self.widget = ipywidgets.IntProgress(value=0, min=0, max=total, description="Extracting",
                                                     bar_style="info")
                display(self.widget)
                return
            except ImportError:
                pass
        self.text = True
        self(0, total)

    def __call__(self, done: int, total: int) -> None:
        if self.widget is not None:
            self.widget.max = total
            self.widget.value = done
            self.widget.description = f"{done}/{total} chunks"
        elif self.text:
            print(f"\rextracting: chunk {done}/{total}", end="", file=sys.stdout, flush=True)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.widget is not None:
            self.widget.close()  # a finished bar would be a dead widget in the saved notebook
        elif self.text:
            print(file=sys.stdout, flush=True)
