"""The anywidget views: ontology, extraction, graph explorer, verification report.

Each widget ships the plain state of :mod:`hydra_magic.state` / :mod:`hydra_magic.graph_state`
to one ES module entry, ``widgets/hydra.js`` (its ``kind`` trait picks the view), with the
status labels and colours of :mod:`hydra_magic.style`. anywidget (and with it ipywidgets)
is imported only when a widget is made: the classes are created on first attribute access
(``widget_classes.GraphExplorer``), so importing this module stays light.

Views never change the session themselves: "accept anyway", "remove" and "merge" call
:meth:`Session.accept_anyway`, :meth:`Session.remove_fact` and :meth:`Session.merge`,
and the ontology view's "Propose weaving" / "Apply selected" call
:func:`hydra_magic.weave.propose_for_session` and :meth:`WeaveProposal.apply` (what
``%hydra weave`` and ``%hydra weave apply N,M`` run), which journal the decision exactly
as if the user had called them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .graph_state import EXPAND_CAP, INITIAL_CAP, VIEW_CAP, ExplorerModel, GraphIndex, graph_index
from .state import candidate_key, extraction_state, find_fact, ontology_state, report_state, weave_state
from .style import widget_statuses
from .wording import count

if TYPE_CHECKING:  # pragma: no cover
    import anywidget

__all__ = [
    "ExtractionView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "GraphExplorer",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "OntologyView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "ReportView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "widget_for",
    "widgets_dir",
]


def widgets_dir() -> Path:
    """The folder with the ES module and CSS: ``hydra_magic/static`` in a wheel, ``<repo>/widgets`` in a checkout."""
    here = Path(__file__).resolve().parent
    for cand in (here / "static", here.parent / "widgets"):
        if (cand / "hydra.css").is_file():
            return cand
    raise FileNotFoundError(
        f"hydra_magic's widget assets are missing (looked in {here / 'static'} and {here.parent / 'widgets'}). "
        "Reinstall the package (pip install --force-reinstall hydra_magic).")


@functools.cache
def _widget_classes() -> dict[str, type]:
    """Create the widget classes (imports anywidget; done once, on first use)."""
    import anywidget
    import traitlets as t

    assets = widgets_dir()

    class HydraWidget(anywidget.AnyWidget):
        """What every view shares: one ES module entry (``kind`` picks the view) and the status table."""

        # Paths, not text: anywidget reads the files itself and, with ANYWIDGET_HMR=1, reloads them on save.
        _esm = assets / "hydra.js"
        _css = assets / "hydra.css"
        statuses = t.Dict(widget_statuses()).tag(sync=True)

    class OntologyView(HydraWidget):
        """Class tree, object and data properties (domain → range), and the CQs with what each contributed.

        With more than one class cluster it offers the weaver: "Propose weaving" asks
        :func:`~hydra_magic.weave.propose_for_session` (a model, only then) and shows the
        proposal in ``weave``, one diff per operation; "Apply selected" applies the ticked
        ones with :meth:`~hydra_magic.weave.WeaveProposal.apply` (one undoable change, or
        its refusal shown in the view). Nothing is applied without that second request.
        """

        kind = t.Unicode("ontology").tag(sync=True)
        data = t.Dict().tag(sync=True)
        message = t.Unicode("").tag(sync=True)
        weave = t.Dict().tag(sync=True)

        def __init__(self, session: Any = None, *, result: Any = None, weave_model: str | None = None,
                     **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.session = session if session is not None else getattr(result, "session", None)
            self.result = result
            #: The model "Propose weaving" asks when the front end names none (None: the session's engine).
            self.weave_model = weave_model
            self.proposal: Any = None  # the weave proposal on screen: "Apply selected" applies this one
            self._answers = 0
            self.weave = weave_state()
            self.refresh()
            self.on_msg(self._on_msg)

        def refresh(self) -> None:
            self.data = ontology_state(self.session, result=self.result)
            if self.proposal is not None:  # says whether the ontology changed under the proposal
                self.weave = {**weave_state(self.proposal, session=self.session,
                                            message=self.weave.get("message")), "answer": self._answers}

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if not isinstance(content, dict):
                return
            kind = content.get("type")
            if kind == "refresh":
                self.refresh()
            elif kind == "weave":
                self.propose_weave(str(content.get("model") or "").strip() or None)
            elif kind == "weave_apply":
                ops = content.get("ops")
                self.apply_weave([int(n) for n in ops] if isinstance(ops, list) else [])
            elif kind == "weave_dismiss":
                self.proposal = None
                self.weave = weave_state()

        def _show(self, state: dict[str, Any]) -> dict[str, Any]:
            # The front end waits for an answer to each request: a new number makes every answer a change,
            # even one equal to the last (the same refusal twice).
            self._answers += 1
            self.weave = {**state, "answer": self._answers}
            return self.weave

        def propose_weave(self, model: str | None = None) -> dict[str, Any]:
            """Ask the weaver (no model for a single cluster); the proposal goes to ``weave``, nothing applied."""
            from .errors import HydraError
            from .weave import propose_for_session

            if self.session is None:
                return self._show(weave_state(message={"kind": "error", "text": "This view has no session to "
                                                                                "weave."}))
            try:
                self.proposal = propose_for_session(self.session, model=model or self.weave_model)
            except HydraError as exc:
                self.proposal = None
                return self._show(weave_state(message={"kind": "error", "text": str(exc)}))
            p = self.proposal
            if p.error:
                msg = {"kind": "error", "text": f"The model did not answer: {p.error} Nothing was applied. "
                                                "Check that the model answers (%hydra model shows which one; "
                                                "the model box picks another), then propose again."}
            elif len(p.clusters_before) <= 1:
                msg = {"kind": "ok", "text": "One cluster: nothing to weave."}
            elif not p.ops:
                msg = {"kind": "error", "text": f"No operation the model proposed reduces the "
                                                f"{len(p.clusters_before)} clusters (see why below). Propose "
                                                "again, or join them yourself with %%ontology."}
            else:
                msg = {"kind": "ok", "text": f"{count(len(p.ops), 'operation')} proposed: "
                                             f"{len(p.clusters_before)} → {len(p.clusters_after)} clusters. "
                                             "Nothing is applied until you tick operations and click "
                                             "'Apply selected'."}
            return self._show(weave_state(p, session=self.session, message=msg))

        def apply_weave(self, ops: list[int]) -> dict[str, Any]:
            """Apply the operations numbered ``ops`` (1-based) of the proposal on screen, as one undoable change."""
            from .errors import HydraError

            if self.proposal is None or self.session is None:
                return self._show(weave_state(message={"kind": "error", "text": "There is no weave proposal "
                                                       "here. Click 'Propose weaving' first."}))
            if not ops:
                msg = {"kind": "error", "text": "No operation is ticked: tick the ones to apply, then click "
                                                "'Apply selected'."}
            else:
                try:
                    summary = self.proposal.apply(self.session, ops)
                    msg = {"kind": "ok", "text": f"Applied {summary}. %hydra undo takes it back."}
                except HydraError as exc:
                    msg = {"kind": "error", "text": str(exc)}
            self.data = ontology_state(self.session, result=self.result)  # before: the panel redraws on weave
            return self._show(weave_state(self.proposal, session=self.session, message=msg))

    class ExtractionView(HydraWidget):
        """Accepted and rejected candidates with rule, message, hint and highlighted evidence; per-row actions."""

        kind = t.Unicode("extraction").tag(sync=True)
        data = t.Dict().tag(sync=True)
        message = t.Dict().tag(sync=True)

        def __init__(self, result: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.result = result
            self.session = result.session
            self._facts: dict[str, Any] = {}
            self.data = extraction_state(result)
            self.on_msg(self._on_msg)

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict) and content.get("type") == "action":
                self.act(str(content.get("action", "")), str(content.get("row", "")))

        def act(self, action: str, row: str) -> dict[str, Any]:
            """Perform ``"accept"`` (accept anyway) or ``"remove"`` on row ``row``; returns the message shown."""
            from .errors import HydraError

            try:
                text = self._act(action, row)
                msg = {"kind": "ok", "text": text, "row": row}
            except (HydraError, KeyError, ValueError) as exc:
                msg = {"kind": "error", "text": str(exc).strip("'\""), "row": row}
            # message first: the front end clears its "working" state when the new data arrives
            self.message = msg
            self.data = extraction_state(self.result)
            return msg

        def _act(self, action: str, row: str) -> str:
            if self.session is None:
                raise ValueError("This result has no session, so it cannot be changed.")
            kind, idx = row[:1], int(row[1:] or -1)
            res = self.result
            if kind == "r" and 0 <= idx < len(res.rejected):
                checked, cand = res.rejected[idx], res.rejected[idx].checked.candidate
            elif kind == "a" and 0 <= idx < len(res.accepted):
                checked, cand = res.accepted[idx], res.accepted[idx].candidate
            else:
                raise KeyError(f"There is no row {row!r} in this extraction.")
            if action == "accept":
                if kind != "r":
                    raise ValueError(f"{cand} was accepted by the contracts already.")
                fact = self.session.accept_anyway(checked, source=res.source)
                self._facts[row] = fact
                return (f"Accepted {cand} anyway; the journal records your decision "
                        f"({count(len(self.session.kg), 'fact')}).")
            if action == "remove":
                fact = self._facts.get(row)
                if fact is None or not self.session.kg.contains(*fact.key):
                    key = (checked.subject, checked.predicate, checked.object) if kind == "a" \
                        else candidate_key(self.session, cand)
                    fact = find_fact(self.session.kg, key, res.source)
                if fact is None:
                    raise ValueError(f"{cand} is not in the knowledge graph (already removed?).")
                self.session.remove_fact(fact)
                self._facts.pop(row, None)
                return f"Removed {cand} from the knowledge graph ({count(len(self.session.kg), 'fact')})."
            raise ValueError(f"Unknown action {action!r}; use 'accept' or 'remove'.")

    class GraphExplorer(HydraWidget):
        """Node-link diagram of the KG: top-degree nodes first, click to expand (capped), search by label.

        The explorer follows its session: after every change and undo (one
        :class:`~hydra_magic.session.SessionEvent`) it rebuilds its index and keeps the
        nodes on screen that still exist. ``close()`` stops listening.
        """

        kind = t.Unicode("explorer").tag(sync=True)
        data = t.Dict().tag(sync=True)
        search_results: t.List[Any] = t.List().tag(sync=True)
        height = t.Int(520).tag(sync=True)

        def __init__(self, session: Any, *, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP,
                     view_cap: int = VIEW_CAP, index: GraphIndex | None = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.session = session
            if index is not None and index.revision != getattr(session.kg, "revision", index.revision):
                index = None  # built before a change: stale
            self.model = ExplorerModel(index or graph_index(session), initial, cap, view_cap)
            self.data = self.model.state()
            self.on_msg(self._on_msg)
            subscribe = getattr(session, "subscribe", None)
            # A bound method: the session holds it weakly, and close() unsubscribes.
            self._unsubscribe = subscribe(self._on_session_event) if callable(subscribe) else None

        def _on_session_event(self, event: Any) -> None:
            self.sync()

        def sync(self) -> None:
            """Re-read the session's KG, keeping the nodes on screen that still exist."""
            self.model.rebuild(graph_index(self.session))
            self.data = self.model.state()

        def close(self) -> None:
            if self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
            super().close()

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict):
                self.handle(content)

        def handle(self, content: dict[str, Any]) -> None:
            """Answer one front-end request: expand / more / focus / search / select / reset / refresh / merge."""
            kind = content.get("type")
            m = self.model
            try:
                if kind in ("expand", "more", "focus"):
                    m.expand(int(content["id"]))
                elif kind == "select":
                    m.select(int(content["id"]))
                elif kind == "search":
                    idx = m.index
                    found = [idx.node(i) for i in idx.search(str(content.get("q", "")))]
                    if found == self.search_results:  # the same answer to a new question: send it anyway,
                        self.send_state("search_results")  # the front end cleared its copy and waits
                    else:
                        self.search_results = found
                    return
                elif kind == "reset":
                    m.reset()
                elif kind == "refresh":
                    self.sync()
                    return
                elif kind == "merge":
                    self.merge(int(content["id"]), str(content.get("into", "")))
                    return
                else:
                    return
            except (KeyError, ValueError, IndexError, TypeError):
                m.message = f"Unknown node {content.get('id')!r}."
            self.data = m.state()

        def merge(self, i: int, into: str) -> dict[str, str]:
            """Merge node ``i`` into the entity named ``into`` (:meth:`Session.merge`); returns the notice shown."""
            from .errors import HydraError

            entity = self.model.index.entities[i]
            try:
                result = self.session.merge(entity, into)  # the session's event re-syncs this view
                m = self.model
                kept = m.index.ids.get(result.kept)
                if kept is not None:
                    m.select(kept)
                notice = {"kind": "ok", "text": result.to_text()}
            except HydraError as exc:
                notice = {"kind": "error", "text": str(exc)}
            self.model.notice = notice
            self.data = self.model.state()
            return notice

    class ReportView(HydraWidget):
        """Verification report: counts by severity and rule, drill-down to every issue."""

        kind = t.Unicode("report").tag(sync=True)
        data = t.Dict().tag(sync=True)

        def __init__(self, report: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.report = report
            self.data = report_state(report)

    return {c.__name__: c for c in (OntologyView, ExtractionView, GraphExplorer, ReportView)}


def __getattr__(name: str) -> Any:
    if name in ("OntologyView", "ExtractionView", "GraphExplorer", "ReportView"):
        return _widget_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def widget_for(obj: Any) -> anywidget.AnyWidget | None:
    """The interactive view of a result, session or report; ``None`` when there is none."""
    cls = _widget_classes()
    kind = getattr(type(obj), "view_kind", "")  # results declare their view (see hydra_magic.results)
    if kind == "extraction":
        return cls["ExtractionView"](obj)
    if kind == "cq":
        return cls["OntologyView"](obj.session, result=obj)
    if kind == "ontology":
        return cls["OntologyView"](obj.session)
    if kind == "graph":
        return cls["GraphExplorer"](obj.session, initial=obj.initial, cap=obj.cap, index=obj.index)
    if hasattr(obj, "ontology") and hasattr(obj, "kg") and hasattr(obj, "cqs"):
        return cls["OntologyView"](obj)
    if isinstance(getattr(obj, "issues", None), list) and not hasattr(obj, "cqs"):
        return cls["ReportView"](obj)
    return None
