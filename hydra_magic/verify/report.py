"""The verification report: one list of issues from every check, with CQ test outcomes.

Shown as text and HTML in a notebook, written as JSON (``to_json``, read back
with ``from_json``) and as a SHACL ``sh:ValidationReport`` in Turtle
(``to_shacl_turtle``), where each issue is an ``sh:ValidationResult`` with the
hydra code, hint and evidence attached in the ``hydra:`` namespace.
"""

from __future__ import annotations

import html as _html
import json
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.util import from_n3

from ..cq import CompetencyQuestion
from ..issues import Issue
from ..ontology import HYDRA
from .cq_tests import CQTest
from ..wording import count

__all__ = ["SEVERITY_ORDER", "VerificationReport"]

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_SH_SEVERITY = {"error": SH.Violation, "warning": SH.Warning, "info": SH.Info}
_PROV_VALUE = URIRef("http://www.w3.org/ns/prov#value")
TEXT_ISSUES = 200


def issue_sort_key(i: Issue) -> tuple[Any, ...]:
    return (SEVERITY_ORDER.get(i.severity, 3), i.code, i.path, i.message)


@dataclass
class VerificationReport:
    """Everything one verification run found.

    Attributes
    ----------
    issues
        Every issue, errors first; KG issues carry ``data["focus"]``,
        ``data["subject"]`` and ``data["evidence"]``.
    cq_tests
        One outcome per competency question.
    mode
        ``"full"`` or ``"incremental"``.
    checked
        What was (re)checked: triples in the KG, triples changed since the
        last run, focus nodes rechecked; ``type_inferred``: how many facts
        rest on types inferred from relations (not verified).
    timings
        Seconds per stage.
    notes
        What was and was not run (pySHACL, satisfiability), in words.
    """

    issues: list[Issue] = field(default_factory=list)
    cq_tests: list[CQTest] = field(default_factory=list)
    mode: str = "full"
    checked: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    title: str = "Verification report"

    # ---------------------------------------------------------------- views
    def counts(self) -> dict[str, int]:
        """Issues per severity."""
        c = Counter(i.severity for i in self.issues)
        return {k: c.get(k, 0) for k in ("error", "warning", "info")}

    def counts_by_code(self) -> dict[str, int]:
        """Issues per rule code, most frequent first."""
        return dict(sorted(Counter(i.code for i in self.issues).items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """No error (warnings and infos allowed)."""
        return not self.errors

    def by_code(self, code: str) -> list[Issue]:
        return [i for i in self.issues if i.code == code]

    @property
    def seconds(self) -> float:
        return self.timings.get("total", 0.0)

    def summary(self) -> str:
        c = self.counts()
        cq = ""
        if self.cq_tests:
            st = Counter(t.status for t in self.cq_tests)
            cq = " · CQs: " + ", ".join(f"{v} {k}" for k, v in sorted(st.items()))
        n = self.checked.get("triples", 0)
        what = (f"full check of {count(n, 'triple')}" if self.mode == "full" else
                f"incremental check: {count(self.checked.get('changed', 0), 'changed triple')}, "
                f"{count(self.checked.get('rechecked', 0), 'node')} rechecked, {count(n, 'triple')} in all")
        inferred = self.checked.get("type_inferred", 0)
        rest = (f" · {count(inferred, 'fact')} {'rests' if inferred == 1 else 'rest'} on inferred types"
                if inferred else "")
        return (f"{count(c['error'], 'error')}, {count(c['warning'], 'warning')}, {count(c['info'], 'info')} · {what} "
                f"in {self.seconds:.3f}s{rest}{cq}")

    def to_text(self) -> str:
        lines = [f"{self.title}: {self.summary()}"]
        if self.issues:
            lines.append("by rule: " + ", ".join(f"{k} {v}" for k, v in self.counts_by_code().items()))
        for i in self.issues[:TEXT_ISSUES]:
            ev = i.data.get("evidence") or []
            src = f" [source {ev[0]['source']}]" if ev else ""
            lines.append(f"  {i.severity:7} [{i.code}] {i.message}{src}" + (f" Hint: {i.hint}" if i.hint else ""))
        if len(self.issues) > TEXT_ISSUES:
            lines.append(f"  … {len(self.issues) - TEXT_ISSUES} more (to_json() has them all)")
        for t in self.cq_tests:
            lines.append(f"  CQ {t.status:14} {t.cq.text}" + (f"  -> {', '.join(t.answers[:5])}" if t.answers else "")
                         + (f"  ({t.reason})" if t.reason and not t.answerable else ""))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .. import display  # the report widget in a live kernel; to_html() stays the static form

        return display.mimebundle(self)

    def to_html(self) -> str:
        from .. import display

        body = display.render_html(self)
        return body + self._html_cqs() + self._html_notes()

    def _html_cqs(self) -> str:
        if not self.cq_tests:
            return ""
        e = _html.escape
        rows = "".join(
            f"<tr><td>{e(t.status)}</td><td>{e(t.cq.text)}</td><td>{e(', '.join(t.answers[:10]))}</td>"
            f"<td><code>{e(t.sparql or t.reason)}</code></td></tr>" for t in self.cq_tests)
        return ("<div><b>Competency questions</b></div><table><tr><th>status</th><th>question</th>"
                f"<th>answers</th><th>query</th></tr>{rows}</table>")

    def _html_notes(self) -> str:
        if not self.notes:
            return ""
        return "<ul>" + "".join(f"<li>{_html.escape(n)}</li>" for n in self.notes) + "</ul>"

    # ------------------------------------------------------------ exports
    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "mode": self.mode, "ok": self.ok, "counts": self.counts(),
                "counts_by_code": self.counts_by_code(), "checked": self.checked, "timings": self.timings,
                "notes": self.notes, "issues": [i.to_dict() for i in self.issues],
                "cq_tests": [t.to_dict() for t in self.cq_tests]}

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> VerificationReport:
        d = json.loads(text)
        tests = []
        for t in d.get("cq_tests", []):
            cq = CompetencyQuestion(t["cq"], tuple(t.get("expected", ())),
                                    t["sparql"] if t.get("source") == "pinned" else None)
            tests.append(CQTest(cq, **{k: t[k] for k in ("sparql", "source", "answerable", "reason", "answered",
                                                          "columns", "rows", "row_count", "answers", "passed",
                                                          "missing", "extra") if k in t}))
        return cls([Issue.from_dict(i) for i in d.get("issues", [])], tests, d.get("mode", "full"),
                   dict(d.get("checked", {})), dict(d.get("timings", {})), list(d.get("notes", [])),
                   d.get("title", "Verification report"))

    def to_graph(self) -> Graph:
        """The report as a SHACL validation report graph."""
        with _quiet_rdflib():
            return self._to_graph()

    def _to_graph(self) -> Graph:
        g = Graph()
        g.bind("sh", SH)
        g.bind("hydra", HYDRA)
        g.bind("prov", "http://www.w3.org/ns/prov#")
        report = URIRef("urn:hydra:report")
        g.add((report, RDF.type, SH.ValidationReport))
        # SHACL: a report conforms iff it has no result at all, whatever the severities.
        g.add((report, SH.conforms, Literal(not self.issues)))
        g.add((report, HYDRA.errorCount, Literal(self.counts()["error"])))
        g.add((report, HYDRA.mode, Literal(self.mode)))
        for n, i in enumerate(self.issues):
            r = URIRef(f"urn:hydra:report:result/{n}")
            g.add((report, SH.result, r))
            g.add((r, RDF.type, SH.ValidationResult))
            focus = _node(i.data.get("focus")) or URIRef(f"urn:hydra:path:{i.path or i.code}")
            g.add((r, SH.focusNode, focus))
            if i.data.get("predicate"):
                g.add((r, SH.resultPath, URIRef(i.data["predicate"])))
            value = _node(i.data.get("value"))
            if value is not None:
                g.add((r, SH.value, value))
            g.add((r, SH.resultSeverity, _SH_SEVERITY.get(i.severity, SH.Violation)))
            g.add((r, SH.resultMessage, Literal(i.message)))
            g.add((r, SH.sourceConstraintComponent, HYDRA[i.code]))
            g.add((r, HYDRA.code, Literal(i.code)))
            if i.hint:
                g.add((r, HYDRA.hint, Literal(i.hint)))
            if i.path:
                g.add((r, HYDRA.path, Literal(i.path)))
            for ev in i.data.get("evidence", []) or []:
                b = BNode()
                g.add((r, HYDRA.evidence, b))
                g.add((b, HYDRA.source, Literal(ev.get("source", ""))))
                if ev.get("sentence"):
                    g.add((b, _PROV_VALUE, Literal(ev["sentence"])))
        return g

    def to_shacl_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's per-literal tracebacks while ill-typed values (the reported ones) are rebuilt."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _node(n3: Any) -> Any:
    if not n3:
        return None
    try:
        return from_n3(n3)
    except Exception:  # noqa: BLE001 - rdflib's N3 reader raises untyped errors; keep the report readable
        return Literal(str(n3))

