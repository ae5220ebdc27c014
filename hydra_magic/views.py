"""The views, in one place for users: ``views.ontology(hydra)``, ``views.graph(hydra)``, the widgets.

This module only gathers the presentation layer's public names; nothing inside
hydra_magic imports it. Where each part lives:

* :mod:`hydra_magic.state` — results as plain data (``ontology_state``,
  ``extraction_state``, ``report_state``, ``evidence_segments``, SPARQL rows);
* :mod:`hydra_magic.graph_state` — the explorer's index of the KG (:class:`GraphIndex`);
* :mod:`hydra_magic.html` — the static HTML of those states (GitHub, nbviewer);
* :mod:`hydra_magic.widget_classes` — the anywidget views (``OntologyView``,
  ``ExtractionView``, ``GraphExplorer``, ``ReportView``), created on first access so
  that ``import hydra_magic.views`` does not load anywidget;
* :mod:`hydra_magic.display` — what a cell shows (``mimebundle``, ``render_html``,
  ``ontology()``, ``graph()``).
"""

from __future__ import annotations

from typing import Any

from . import widget_classes
from .display import WIDGET_MIME, GraphDisplay, OntologyDisplay, graph, mimebundle, ontology, render_html
from .graph_state import (
    EXPAND_CAP,
    FACTS_CAP,
    FACTS_PER_RELATION,
    INITIAL_CAP,
    SENTENCE_CAP,
    VIEW_CAP,
    ExplorerModel,
    GraphIndex,
    graph_index,
)
from .state import ISSUE_CAP, ROW_CAP, evidence_segments, extraction_state, ontology_state, report_state
from .widget_classes import widget_for, widgets_dir

__all__ = [
    "EXPAND_CAP",
    "FACTS_CAP",
    "FACTS_PER_RELATION",
    "INITIAL_CAP",
    "ISSUE_CAP",
    "ROW_CAP",
    "SENTENCE_CAP",
    "VIEW_CAP",
    "WIDGET_MIME",
    "ExplorerModel",
    "ExtractionView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "GraphDisplay",
    "GraphExplorer",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "GraphIndex",
    "OntologyDisplay",
    "OntologyView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "ReportView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "evidence_segments",
    "extraction_state",
    "graph",
    "graph_index",
    "mimebundle",
    "ontology",
    "ontology_state",
    "render_html",
    "report_state",
    "widget_for",
    "widgets_dir",
]


def __getattr__(name: str) -> Any:
    if name in ("OntologyView", "ExtractionView", "GraphExplorer", "ReportView"):
        return getattr(widget_classes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
