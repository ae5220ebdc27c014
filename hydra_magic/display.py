"""What a cell shows: text, static HTML and, in a live kernel, the widget.

The one door from data into the presentation layer: result objects
(:mod:`hydra_magic.results`, the verification report) hand themselves to
:func:`mimebundle`, which builds their state (:mod:`hydra_magic.state`), its static
HTML (:mod:`hydra_magic.html`) and, in a kernel, the widget
(:mod:`hydra_magic.widget_classes`). The displays of ``%hydra ontology`` and ``%hydra
graph`` live here too; the small outputs of the magics are in :mod:`hydra_magic.outputs`.
rdflib, the state builders and anywidget are imported only when something is shown.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from .wording import count

if TYPE_CHECKING:  # pragma: no cover
    from .graph_state import GraphIndex

__all__ = ["WIDGET_MIME", "GraphDisplay", "OntologyDisplay", "graph", "mimebundle", "ontology", "render_html"]

# --------------------------------------------------------------------------- results and views
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _widgets_enabled() -> bool:
    """``HYDRA_WIDGETS=0`` turns the widgets off (static HTML only), e.g. for notebooks meant for nbviewer."""
    return os.environ.get("HYDRA_WIDGETS", "1").strip().lower() not in ("0", "false", "no", "off")


def _in_kernel() -> bool:
    """True in a Jupyter kernel (where a widget has a front end to talk to)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


class OntologyDisplay:
    """What ``%hydra ontology`` returns: the session's ontology as text, static HTML and a widget."""

    view_kind: ClassVar[str] = "ontology"

    def __init__(self, session: Any) -> None:
        self.session = session

    def to_text(self) -> str:
        from .state import ontology_state

        st = ontology_state(self.session, instance_counts=False)
        lines = [(f"ontology: {count(st['counts']['classes'], 'class')}, {st['counts']['object_properties']} object "
                  f"and {count(st['counts']['data_properties'], 'data property')}, {count(st['counts']['cqs'], 'CQ')}")]
        lines += ["  " * c["depth"] + f"  {c['name']}" for c in st["classes"]]
        for p in st["object_properties"] + st["data_properties"]:
            lines.append(f"  {p['name']}: {' | '.join(p['domain']) or '?'} -> {' | '.join(p['range']) or '?'}")
        for cq in st["cqs"]:
            lines.append(f"  [{cq['status']}] {cq['text']}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self)


class GraphDisplay:
    """What ``%hydra graph`` returns: a summary, a static picture of the top nodes, and the explorer.

    ``initial`` and ``cap`` default to :data:`~hydra_magic.graph_state.INITIAL_CAP` and
    :data:`~hydra_magic.graph_state.EXPAND_CAP`.
    """

    view_kind: ClassVar[str] = "graph"

    def __init__(self, session: Any, *, initial: int | None = None, cap: int | None = None) -> None:
        from .graph_state import EXPAND_CAP, INITIAL_CAP

        self.session = session
        self.initial = INITIAL_CAP if initial is None else initial
        self.cap = EXPAND_CAP if cap is None else cap

    @property
    def index(self) -> GraphIndex:
        from .graph_state import graph_index

        return graph_index(self.session)

    def state(self) -> dict[str, Any]:
        from .graph_state import ExplorerModel

        return ExplorerModel(self.index, self.initial, self.cap).state()

    def to_text(self) -> str:
        idx = self.index
        top = idx.top(10)
        rels = ", ".join(f"{name} {n}" for name, n in idx.relations[:8])
        return (f"knowledge graph: {count(idx.fact_count, 'fact')}, {count(len(idx), 'entity')}, "
                f"{count(idx.edge_count, 'link')}"
                + (f" ({rels})" if rels else "") + "; top entities: "
                + ", ".join(f"{idx.labels[i]} ({idx.degree(i)})" for i in top))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self)


def ontology(session: Any) -> OntologyDisplay:
    """The session's ontology, ready to display (widget in a kernel, static HTML elsewhere)."""
    return OntologyDisplay(session)


def graph(session: Any, *, initial: int | None = None, cap: int | None = None) -> GraphDisplay:
    """The session's KG explorer, ready to display (widget in a kernel, static HTML elsewhere)."""
    return GraphDisplay(session, initial=initial, cap=cap)


def render_html(obj: Any) -> str:
    """Static, self-contained HTML for a result, session, ontology, graph display or report.

    The states are built by :mod:`hydra_magic.state`; :mod:`hydra_magic.html` turns a state into HTML.

    Parameters
    ----------
    obj
        A :class:`~hydra_magic.results.CQResult`, :class:`~hydra_magic.results.ExtractionResult`,
        :class:`~hydra_magic.session.Session`, :class:`~hydra_magic.ontology.Ontology`,
        a display from this module, or any report-like object with an ``issues`` list of
        :class:`~hydra_magic.issues.Issue` (and optionally ``counts()``).
    """
    from . import html
    from .ontology import Ontology
    from .state import extraction_state, ontology_state, report_state

    kind = getattr(type(obj), "view_kind", "")  # results and displays declare their view
    if kind == "extraction":
        return html.extraction_html(extraction_state(obj))
    if kind == "cq":
        return html.cq_result_html(ontology_state(obj.session, result=obj))
    if kind == "graph":
        return html.graph_html(obj.state())
    if kind == "ontology":
        return html.ontology_html(ontology_state(obj.session), "Ontology")
    if isinstance(obj, Ontology):
        return html.ontology_html(ontology_state(ontology=obj), "Ontology")
    if hasattr(obj, "ontology") and hasattr(obj, "kg") and hasattr(obj, "cqs"):
        return html.ontology_html(ontology_state(obj), f"Session {getattr(obj, 'name', '')}".strip())
    if isinstance(getattr(obj, "issues", None), list):
        return html.report_html(report_state(obj, cap=html.MAX_ROWS))
    text = obj.to_text() if hasattr(obj, "to_text") else repr(obj)
    return f'<pre style="font-family:monospace;white-space:pre-wrap;">{html.e(text)}</pre>'


def mimebundle(obj: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """text/plain + static text/html, plus the widget view when a live kernel can show it.

    The static HTML stays in the bundle so that a saved notebook reads well on
    GitHub and nbviewer (which do not run widgets).
    """
    text = obj.to_text() if hasattr(obj, "to_text") else repr(obj)
    # An object with its own static page (the verification report adds its CQ table) keeps it.
    page = obj.to_html() if callable(getattr(obj, "to_html", None)) else render_html(obj)
    data: dict[str, Any] = {"text/plain": text, "text/html": page}
    if _widgets_enabled() and _in_kernel():
        from .widget_classes import widget_for  # deferred: anywidget only where a widget can show

        try:
            widget = widget_for(obj)
        except ImportError:  # anywidget missing: the static view is still complete
            widget = None
        if widget is not None:
            wb = widget._repr_mimebundle_()
            wdata = wb[0] if isinstance(wb, tuple) else wb
            if wdata and WIDGET_MIME in wdata:
                data[WIDGET_MIME] = wdata[WIDGET_MIME]
    return data
