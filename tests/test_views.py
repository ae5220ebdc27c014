"""The views, Python side: widget state, actions on the session, capped neighbourhoods, static HTML.

Widgets are created without a front end (ipywidgets falls back to a dummy comm);
message handlers are called directly, as the kernel would on a custom message.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Literal

from hydra_magic import display, html, state, style, views
from hydra_magic.candidates import (
    ClassCandidate,
    OntologyProposal,
    PropertyCandidate,
    TextChunk,
    TripleCandidate,
)
from hydra_magic.contracts import find_span
from hydra_magic.issues import Issue
from hydra_magic.kg import Evidence, Fact
from hydra_magic.pipeline import RetryPolicy
from hydra_magic.session import Session, SessionConfig

XSS_IMG = '<img src=x onerror="window.__hydra_xss=1">'
XSS_SCRIPT = "<script>window.__hydra_xss=2</script>"
RAW_MARKUP = re.compile(r"<img\b|<script\b", re.IGNORECASE)

TEXT = (f"Ridley Scott directed Alien in 1979. The film {XSS_IMG} premiered {XSS_SCRIPT}. "
        "James Cameron directed Aliens.")

#: (subject, predicate, object, subject surface, object surface); ``None`` surface = no span.
TRIPLES = [
    ("ridley_scott", "isA", "Person", "Ridley Scott", ""),
    ("alien", "isA", "Film", "Alien", ""),
    ("ridley_scott", "directed", "alien", "Ridley Scott", "Alien"),
    ("alien", "releaseYear", "1979", "Alien", "1979"),
    ("img_film", "isA", "Film", XSS_IMG, ""),                               # hostile surface form, accepted
    ("alien", "directed", "ridley_scott", "Alien", "Ridley Scott"),         # domain + range mismatch
    ("james_cameron", "directed", "aliens", "James Cameron", "Aliens"),     # untyped subject and object
    ("alien", "sawIn", "ridley_scott", "Alien", "Ridley Scott"),            # unknown property (not acceptable)
]


class ViewEngine:
    """Scripted engine: a fixed ontology (with a hostile CQ origin) and fixed candidates with spans."""

    name = "view-fake"

    def __init__(self, triples: Sequence[tuple[str, str, str, str, str]] = TRIPLES) -> None:
        self.triples = triples

    def propose_ontology(self, cqs: Sequence[Any], ontology: Any, feedback: Sequence[Any] = ()) -> OntologyProposal:
        if feedback:
            return OntologyProposal()
        first, last = cqs[0].text, cqs[min(1, len(cqs) - 1)].text
        classes = [ClassCandidate("Agent", origin=first), ClassCandidate("Person", "Agent", origin=first),
                   ClassCandidate("Film", "Agent", comment=XSS_SCRIPT, origin=last),
                   ClassCandidate("Bad", "Nowhere", origin=last)]  # rejected: unknown superclass
        props = [PropertyCandidate("directed", "object", ("Person",), ("Film",), origin=first),
                 PropertyCandidate("releaseYear", "data", ("Film",), ("integer",), label="release year", origin=last)]
        return OntologyProposal(classes=[c for c in classes if ontology.get_class(c.name) is None],
                                properties=[p for p in props if ontology.get_property(p.name) is None])

    def extract(self, chunk: TextChunk, ontology: Any, kg: Any, feedback: Sequence[Any] = ()) -> list[TripleCandidate]:
        if feedback:
            return []
        out = []
        for s, p, o, st, ot in self.triples:
            sp = find_span(st, chunk.text) if st else None
            op = find_span(ot, chunk.text) if ot else None
            a = chunk.text.rfind(". ", 0, sp[0]) + 2 if sp and chunk.text.rfind(". ", 0, sp[0]) >= 0 else 0
            b = chunk.text.find(". ", sp[1] if sp else 0)
            sentence = chunk.text[a:b + 1 if b >= 0 else len(chunk.text)]
            out.append(TripleCandidate(s, p, o, st, ot, sentence,
                                       (sp[0] + chunk.start, sp[1] + chunk.start) if sp else None,
                                       (op[0] + chunk.start, op[1] + chunk.start) if op else None))
        return out


NO_RETRY = RetryPolicy(max_attempts=1)  # the scripted engine would answer the same; don't wait for it
HOSTILE_CQ = f"Which xylophones hum {XSS_IMG}?"
CQS = f"Which films did a person direct?\nWhen was a film released?\n{HOSTILE_CQ}"


def make(tmp_path: Path | None = None, name: str = "views") -> tuple[Session, Any, Any]:
    cfg = SessionConfig(journal_dir=str(tmp_path) if tmp_path else None, retry=NO_RETRY)
    s = Session(name, cfg, engine=ViewEngine())
    cq = s.add_cqs(CQS)
    ex = s.extract(TEXT, source="cell-1")
    return s, cq, ex


@pytest.fixture()
def world() -> tuple[Session, Any, Any]:
    return make()


class Report:
    """A verification report as hydra_magic.verify might shape it (the views only rely on ``issues``)."""

    title = "Verification report"

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for i in self.issues:
            out[i.severity] += 1
        return out


def report() -> Report:
    return Report([
        Issue("domain_mismatch", f"{XSS_IMG} is not a Person", hint=XSS_SCRIPT, path="fact:1"),
        Issue("domain_mismatch", "alien is not a Person", path="fact:2"),
        Issue("untyped_entity", "james_cameron has no type", severity="warning", data={"entity": XSS_IMG}),
        Issue("ungrounded", "a note", severity="info"),
    ])


# --------------------------------------------------------------------------- static HTML
def test_static_html_escapes_user_and_model_text_everywhere(world: tuple[Session, Any, Any]) -> None:
    session, cq, ex = world
    pages = {"cq": views.render_html(cq), "extraction": views.render_html(ex), "session": views.render_html(session),
             "ontology": views.render_html(views.ontology(session)), "graph": views.render_html(views.graph(session)),
             "report": views.render_html(report()), "onto-object": views.render_html(session.ontology)}
    for name, page in pages.items():
        assert not RAW_MARKUP.search(page), f"{name}: raw markup from user text reached the HTML"
        assert "<style" not in page and "<link" not in page and "src=" not in page.replace("src=x", ""), name
    # the hostile strings are still shown, as text
    assert "&lt;img src=x onerror=&quot;window.__hydra_xss=1&quot;&gt;" in pages["extraction"]
    assert "&lt;script&gt;window.__hydra_xss=2&lt;/script&gt;" in pages["extraction"]
    assert "hum &lt;img src=x" in pages["cq"] and "hum &lt;img src=x" in pages["session"]
    assert "&lt;script&gt;" in pages["session"]  # a class comment
    assert "&lt;script&gt;" in pages["report"] and "&lt;img" in pages["report"]
    assert "&lt;img src=x" in pages["graph"]  # the node label of img_film


def test_static_extraction_shows_verdicts_rules_hints_and_highlighted_evidence(world: tuple[Session, Any, Any]) -> None:
    _, _, ex = world
    page = views.render_html(ex)
    # the scripted engine types its entities without the text saying so: only the film the text
    # names ("The film <img …>") is stated; the rest rest on inferred types and show apart
    assert "1 verified" in page and "4 on inferred types" in page and "3 rejected" in page
    assert page.count("type_inferred: rests on a type inferred from a relation") == 4
    for code in ("domain_mismatch", "range_mismatch", "untyped_entity", "unknown_property"):
        assert code in page
    assert "hint: Swap subject and object" in page
    # subject and object of (ridley_scott, directed, alien) are marked inside the sentence
    assert re.search(r"<mark[^>]*>Ridley Scott</mark> directed <mark[^>]*>Alien</mark> in 1979\.", page)


def test_static_cq_result_shows_contributions_rejections_and_expressibility(world: tuple[Session, Any, Any]) -> None:
    _, cq, _ = world
    page = views.render_html(cq)
    assert "unknown_superclass" in page and "class Bad" in page  # the rejected candidate with its rule
    assert "Agent, Person, directed" in page  # what the first CQ added
    assert ">expressible<" in page and ">not expressible<" in page
    assert page.count(">new<") == 5  # the 3 classes and 2 properties this cell added, and nothing else


def test_static_tables_are_capped_with_a_count_of_the_rest() -> None:
    rows = [[str(i)] for i in range(html.MAX_ROWS + 25)]
    page = html.table(["n"], rows)
    assert page.count("<tr>") == html.MAX_ROWS + 1  # header + capped rows
    assert "25 more" in page


def test_static_graph_is_an_inline_svg_of_the_top_nodes() -> None:
    s = star_session(12)
    page = views.render_html(views.graph(s))
    assert page.count("<circle") == 13 and "<svg" in page and "The Hub" in page
    assert "13 entities" in page


# --------------------------------------------------------------------------- extraction view
def test_extraction_state_lists_every_candidate_with_verdict_and_spans(world: tuple[Session, Any, Any]) -> None:
    _, _, ex = world
    st = views.extraction_state(ex)
    rows = {r["id"]: r for r in st["rows"]}
    assert [r["status"] for r in st["rows"]].count("accepted") == 1  # verified
    assert [r["status"] for r in st["rows"]].count("flagged") == 4  # accepted on inferred types
    assert all(r["flags"] == ["type_inferred"] for r in st["rows"] if r["status"] == "flagged")
    assert [r["status"] for r in st["rows"]].count("rejected") == 3
    mismatch = next(r for r in st["rows"] if r["subject"] == "alien" and r["predicate"] == "directed")
    assert mismatch["codes"] == ["domain_mismatch", "range_mismatch"]
    assert all(i["message"] and i["hint"] for i in mismatch["issues"])
    good = rows["a2"]
    assert ["Ridley Scott", "s"] in good["segments"] and ["Alien", "o"] in good["segments"]
    assert "".join(t for t, _ in good["segments"]) == "Ridley Scott directed Alien in 1979."
    json.dumps(st)  # JSON only


def test_extraction_state_ships_rejected_rows_first_when_capped(world: tuple[Session, Any, Any]) -> None:
    _, _, ex = world
    st = views.extraction_state(ex, cap=4)
    # rejected first, then relations before typings (a0, a1 are typings; a2 is the first relation)
    assert [r["id"] for r in st["rows"]] == ["r0", "r1", "r2", "a2"] and st["hidden"] == 4
    assert st["counts"] == {"accepted": 5, "rejected": 3, "verified": 1, "type_inferred": 4, "upgraded": 0,
                            "kg": 5}


def test_accept_anyway_and_remove_change_the_session_and_the_journal(tmp_path: Path) -> None:
    session, _, ex = make(tmp_path, "actions")
    view = views.ExtractionView(ex)
    before = len(session.kg)
    row = next(r for r in view.data["rows"] if r["subject"] == "james_cameron")
    view._on_msg(view, {"type": "action", "action": "accept", "row": row["id"]}, [])
    assert len(session.kg) == before + 1
    assert view.message["kind"] == "ok" and "journal" in view.message["text"]
    assert next(r for r in view.data["rows"] if r["id"] == row["id"])["status"] == "user"
    assert view.data["counts"]["kg"] == before + 1
    assert session.log[-1]["decision"] == "accept_anyway"
    # the decision is on disk: a separate process reading the session directory sees it
    assert "accepted anyway" in (session.journal.path / "changes.log").read_text(encoding="utf-8")
    # a fresh view of the same result knows the row was accepted by the user
    assert next(r for r in views.extraction_state(ex)["rows"] if r["id"] == row["id"])["status"] == "user"

    # remove a fact the contracts accepted, then the one the user accepted
    view._on_msg(view, {"type": "action", "action": "remove", "row": "a2"}, [])
    assert len(session.kg) == before
    assert next(r for r in view.data["rows"] if r["id"] == "a2")["status"] == "removed"
    view._on_msg(view, {"type": "action", "action": "remove", "row": row["id"]}, [])
    assert len(session.kg) == before - 1
    assert [e["decision"] for e in session.log[-2:]] == ["remove", "remove"]
    # every decision survives a restart
    session.close()
    again = Session("actions", SessionConfig(journal_dir=str(tmp_path)), engine=ViewEngine())
    assert len(again.kg) == before - 1 and [e["decision"] for e in again.log[-3:]] == [
        "accept_anyway", "remove", "remove"]


def test_actions_that_cannot_apply_report_an_error_and_change_nothing(world: tuple[Session, Any, Any]) -> None:
    session, _, ex = world
    view = views.ExtractionView(ex)
    n = len(session.kg)
    unknown = next(r for r in view.data["rows"] if r["codes"] == ["unknown_property"])
    msg = view.act("accept", unknown["id"])
    assert msg["kind"] == "error" and "sawIn" in msg["text"] and "not a property" in msg["text"]
    assert view.act("accept", "a0")["kind"] == "error"          # accepted already
    assert view.act("remove", "r0")["kind"] == "error"          # never in the graph
    assert view.act("frobnicate", "a0")["kind"] == "error"
    assert view.act("remove", "x99")["kind"] == "error"
    assert len(session.kg) == n
    view.act("remove", "a3")
    assert view.act("remove", "a3")["kind"] == "error"          # removed twice


def test_evidence_segments_fall_back_to_the_text_around_the_spans() -> None:
    text = "A" * 300 + " Ridley Scott met Alien. " + "B" * 300
    i = text.index("Ridley")
    seg = views.evidence_segments("not in the text", text, (i, i + 12), (i + 17, i + 22))
    assert seg[0] == ["…", ""] and seg[-1] == ["…", ""]
    assert ["Ridley Scott", "s"] in seg and ["Alien", "o"] in seg
    # overlapping spans are marked as both
    seg = views.evidence_segments("Ridley Scott", "Ridley Scott", (0, 12), (7, 12))
    assert seg == [["Ridley ", "s"], ["Scott", "so"]]
    # without spans, the surface forms are searched in the sentence
    seg = views.evidence_segments("Alien was made by Ridley Scott.", "", None, None, "ridley scott", "Alien")
    assert ["Ridley Scott", "s"] in seg and ["Alien", "o"] in seg


# --------------------------------------------------------------------------- ontology view
def test_ontology_state_has_tree_properties_and_cq_status(world: tuple[Session, Any, Any]) -> None:
    session, cq, _ = world
    st = views.ontology_state(session)
    assert [(c["name"], c["depth"]) for c in st["classes"]] == [("Agent", 0), ("Film", 1), ("Person", 1)]
    film = next(c for c in st["classes"] if c["name"] == "Film")
    assert film["instances"] == 2 and film["comment"] == XSS_SCRIPT
    (directed,) = st["object_properties"]
    assert (directed["domain"], directed["range"], directed["uses"]) == (["Person"], ["Film"], 1)
    (year,) = st["data_properties"]
    assert year["range"] == ["xsd:integer"]
    status = {q["text"]: q["status"] for q in st["cqs"]}
    assert status["Which films did a person direct?"] == "expressible"
    assert status["When was a film released?"] == "expressible"      # releaseYear matches "released"
    assert status[HOSTILE_CQ] == "missing"
    # the reading is the one %hydra verify uses: an expressible CQ comes with its query
    directs = next(q for q in st["cqs"] if q["text"].startswith("Which films"))
    assert "ontology#directed" in directs["query"]
    # the CQ result view knows what each CQ contributed
    rst = views.ontology_state(cq.session, result=cq)
    contributed = {q["text"]: q["added"] for q in rst["cqs"]}
    assert contributed["Which films did a person direct?"] == ["Agent", "Person", "directed"]
    assert rst["result"]["rejected"][0]["issues"][0]["code"] == "unknown_superclass"
    assert all(c["new"] for c in rst["classes"])


def test_cq_with_sparql_is_expressible_only_if_its_terms_exist(world: tuple[Session, Any, Any]) -> None:
    session, _, _ = world
    from hydra_magic.cq import CompetencyQuestion

    ok = CompetencyQuestion("Q1", sparql="SELECT ?f WHERE { ?p onto:directed ?f }")
    bad = CompetencyQuestion("Q2", sparql="SELECT ?f WHERE { ?p onto:starredIn ?f }")
    assert state.cq_status(session.ontology, ok, [])["status"] == "expressible"
    out = state.cq_status(session.ontology, bad, [])
    assert out["status"] == "missing" and "starredIn" in out["reason"]


def test_cq_status_without_verify_falls_back_to_matching_labels(world: tuple[Session, Any, Any]) -> None:
    session, _, _ = world
    from hydra_magic.cq import CompetencyQuestion

    onto = session.ontology
    st = state.cq_status(onto, CompetencyQuestion("Which films did a person direct?"), [])
    assert st["status"] == "expressible" and st["terms"] == ["Film", "Person", "directed"]
    assert state.cq_status(onto, CompetencyQuestion("Which films are long?"), [])["status"] == "partial"
    assert state.cq_status(onto, CompetencyQuestion("Who sings?"), [])["status"] == "missing"


def test_ontology_view_refreshes_on_request(world: tuple[Session, Any, Any]) -> None:
    session, _, _ = world
    view = views.OntologyView(session)
    assert view.data["counts"]["facts"] == len(session.kg)
    session.remove_fact(next(iter(session.kg)))
    view._on_msg(view, {"type": "refresh"}, [])
    assert view.data["counts"]["facts"] == len(session.kg)


# --------------------------------------------------------------------------- graph explorer
def star_session(n: int, extra: int = 0) -> Session:
    """A hub linked to ``n`` films (plus ``extra`` isolated people), built straight into the KG."""
    s = Session("star", SessionConfig(journal_dir=None), engine=ViewEngine())
    s.add_cqs(CQS)
    kg, onto = s.kg, s.ontology
    person, film = onto.get_class("Person").iri, onto.get_class("Film").iri
    directed, year = onto.get_property("directed").iri, onto.get_property("releaseYear").iri
    ev = Evidence("synthetic")
    hub = kg.entity_iri("hub")
    facts = [Fact(hub, RDF.type, person, ev)]
    for i in range(n):
        f = kg.entity_iri(f"film_{i:03d}")
        facts += [Fact(f, RDF.type, film, ev), Fact(hub, directed, f, ev), Fact(f, year, Literal(1900 + i), ev)]
    for i in range(extra):
        facts.append(Fact(kg.entity_iri(f"loner_{i}"), RDF.type, person, ev))
    kg.add(facts, {hub: "The Hub"})
    return s


def test_explorer_opens_on_top_degree_nodes_and_caps_each_expansion() -> None:
    s = star_session(120, extra=30)
    ex = views.GraphExplorer(s, initial=10, cap=50)
    nodes = ex.data["nodes"]
    assert len(nodes) == 10 and nodes[0]["label"] == "The Hub" and nodes[0]["degree"] == 120
    assert ex.data["totals"] == {"nodes": 151, "edges": 120, "facts": len(s.kg)}
    hub = nodes[0]["id"]
    assert nodes[0].get("more") is None  # not expanded yet
    ex._on_msg(ex, {"type": "expand", "id": hub}, [])
    shown = {n["id"]: n for n in ex.data["nodes"]}
    assert len(shown) == 10 + 50 and shown[hub]["more"] == 120 - 59  # 9 neighbours were on screen already
    assert len(ex.data["edges"]) == 59
    assert ex.data["selected"]["label"] == "The Hub"
    ex.handle({"type": "more", "id": hub})
    ex.handle({"type": "more", "id": hub})
    shown = {n["id"]: n for n in ex.data["nodes"]}
    assert len(shown) == 121 and shown[hub]["more"] == 0 and len(ex.data["edges"]) == 120
    # a film's details carry its literal values
    film = next(n for n in ex.data["nodes"] if n["label"] == "film 005")
    ex.handle({"type": "select", "id": film["id"]})
    assert ex.data["selected"]["values"] == [["releaseYear", "1905"]]
    ex.handle({"type": "reset"})
    assert len(ex.data["nodes"]) == 10
    json.dumps(ex.data)


def test_explorer_view_cap_bounds_what_is_shipped_to_the_browser() -> None:
    s = star_session(300)
    ex = views.GraphExplorer(s, initial=5, cap=200, view_cap=120)
    ex.handle({"type": "expand", "id": ex.data["nodes"][0]["id"]})
    assert len(ex.data["nodes"]) == 120 and "most it shows" in ex.data["message"]


def test_explorer_search_and_focus() -> None:
    s = star_session(60)
    ex = views.GraphExplorer(s, initial=3)
    ex.handle({"type": "search", "q": "FILM 04"})
    labels = [n["label"] for n in ex.search_results]
    assert labels and all(lab.startswith("film 04") for lab in labels) and len(labels) == 10
    target = ex.search_results[0]["id"]
    ex.handle({"type": "focus", "id": target})
    assert target in {n["id"] for n in ex.data["nodes"]} and ex.data["selected"]["id"] == target
    ex.handle({"type": "expand", "id": 10 ** 9})
    assert "Unknown node" in ex.data["message"]


def test_explorer_refresh_sees_new_facts(world: tuple[Session, Any, Any]) -> None:
    session, _, ex_result = world
    ex = views.GraphExplorer(session)
    n = ex.data["totals"]["facts"]
    rejected = next(r for r in ex_result.rejected if r.checked.candidate.subject == "james_cameron")
    session.accept_anyway(rejected)
    ex.handle({"type": "refresh"})
    assert ex.data["totals"]["facts"] == n + 1


# --------------------------------------------------------------------------- report view
def test_report_state_counts_by_severity_and_rule_generically() -> None:
    st = views.report_state(report())
    assert st["counts"] == {"error": 2, "warning": 1, "info": 1} and st["total"] == 4
    assert st["by_rule"][0] == {"code": "domain_mismatch", "severity": "error", "count": 2,
                                "description": "the subject's type is not in the property's domain"}
    assert [i["severity"] for i in st["issues"]] == ["error", "error", "warning", "info"]
    assert st["issues"][2]["data"] == {"entity": XSS_IMG}  # raw in JSON; the front end uses textContent
    view = views.ReportView(report())
    assert view.data == st
    # nested data (evidence records) becomes compact text, never an object the front end must walk
    nested = state.issue_dict(Issue("ungrounded", "m", data={"evidence": [{"source": "cell-1", "sentence": XSS_IMG}]}))
    assert json.loads(nested["data"]["evidence"]) == [{"source": "cell-1", "sentence": XSS_IMG}]
    # any object with an issues list works; a capped list says how many were left out
    class Bare:
        def __init__(self) -> None:
            self.issues = [Issue("ungrounded", f"n{i}") for i in range(30)]

    st = views.report_state(Bare(), cap=10)
    assert len(st["issues"]) == 10 and st["more"] == 20 and st["counts"]["error"] == 30


# --------------------------------------------------------------------------- bundles, assets, laziness
def test_mimebundle_is_static_outside_a_kernel_and_adds_the_widget_in_one(
        world: tuple[Session, Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    _, cq, ex = world
    bundle = views.mimebundle(ex)
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"] == ex.to_text()
    monkeypatch.setattr(display, "_in_kernel", lambda: True)
    for obj, kind in ((ex, "ExtractionView"), (cq, "OntologyView"), (views.graph(cq.session), "GraphExplorer"),
                      (views.ontology(cq.session), "OntologyView"), (report(), "ReportView")):
        bundle = views.mimebundle(obj)
        assert set(bundle) == {"text/plain", "text/html", views.WIDGET_MIME}, kind
        assert type(views.widget_for(obj)).__name__ == kind
        from ipywidgets.widgets.widget import _instances

        model = _instances[bundle[views.WIDGET_MIME]["model_id"]]
        assert type(model).__name__ == kind
    assert views.widget_for(object()) is None
    monkeypatch.setenv("HYDRA_WIDGETS", "0")  # static HTML only, even in a kernel
    assert set(views.mimebundle(ex)) == {"text/plain", "text/html"}


def test_assets_resolve_and_never_build_html_from_strings() -> None:
    d = views.widgets_dir()
    assert sorted(p.name for p in d.iterdir() if p.suffix in (".js", ".css")) == ["hydra.css", "hydra.js"]
    src = (d / "hydra.js").read_text()
    assert "export default { render }" in src
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in src, f"hydra.js uses {sink}"
    assert "http://" not in src.replace("http://www.w3.org/2000/svg", "") and "https://" not in src
    # one entry, loaded by path (anywidget watches the file with ANYWIDGET_HMR=1); the kind picks the view
    for cls, kind in (("OntologyView", "ontology"), ("ExtractionView", "extraction"), ("GraphExplorer", "explorer"),
                      ("ReportView", "report")):
        w = getattr(views, cls)
        assert Path(w._esm._path) == d / "hydra.js" and Path(w._css._path) == d / "hydra.css", cls
        assert f"{kind}: render" in src, f"hydra.js has no view for {kind!r}"
        assert w.class_traits()["kind"].default_value == kind


def test_status_labels_and_colours_have_one_source(world: tuple[Session, Any, Any]) -> None:
    _, _, ex = world
    # the widgets define no label or colour of their own: they get the Python table through the model
    js = (views.widgets_dir() / "hydra.js").read_text()
    css = (views.widgets_dir() / "hydra.css").read_text()
    for kind in style.STATUSES:
        label, bg, fg = style.status(kind)
        assert not re.search(rf"\.hw-{kind}(?![\w-])", css), f"hydra.css colours the status {kind!r} itself"
        assert bg.lower() not in js.lower() and fg.lower() not in js.lower(), f"{kind}: its colour is in hydra.js"
        if label != kind:
            assert f'"{label}"' not in js, f"{kind}: label {label!r} written in hydra.js"
    view = views.ExtractionView(ex)
    assert view.statuses == style.widget_statuses()
    assert view.statuses["user"] == {"label": "accepted by you", "bg": "#ddf4ff", "fg": "#0550ae"}
    # and the static HTML draws the very same badge
    page = views.render_html(ex)
    assert 'background:#ffebe9;color:#a40e26;">rejected</span>' in page
    assert style.status("no such status") == ("no such status", *style.TONES["gray"])


def test_importing_views_and_html_does_not_load_anywidget() -> None:
    code = ("import sys, hydra_magic.views, hydra_magic.html; "
            "print(any(m in sys.modules for m in ('anywidget', 'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_results_and_reports_show_themselves_through_display_never_views() -> None:
    import ast

    import hydra_magic

    root = Path(hydra_magic.__file__).parent
    for name in ("results.py", "verify/report.py", "state.py", "graph_state.py", "html.py", "display.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        parts = {part for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                 for a in n.names
                 for part in ((getattr(n, "module", None) or "").split(".") + a.name.split("."))}
        assert "views" not in parts, f"{name} imports hydra_magic.views"
    # the widgets are reached from display only, and only where a kernel can show them
    assert "widget_classes" in (root / "display.py").read_text(encoding="utf-8")


def test_the_real_verification_report_renders_as_widget_state_and_static_html(world: tuple[Session, Any, Any]) -> None:
    session, _, ex = world
    session.accept_anyway(next(r for r in ex.rejected if r.checked.candidate.subject == "alien"))  # a domain error
    rep = session.verify(full=True)
    st = views.report_state(rep)
    assert st["total"] == len(rep.issues) and st["counts"]["error"] == rep.counts()["error"] >= 1
    assert {r["code"] for r in st["by_rule"]} == set(rep.counts_by_code())
    assert [t["text"] for t in st["cq_tests"]] == [t.cq.text for t in rep.cq_tests]
    json.dumps(st)
    page = views.render_html(rep)
    assert not RAW_MARKUP.search(page) and "domain_mismatch" in page
    assert type(views.widget_for(rep)).__name__ == "ReportView"
    assert views.mimebundle(rep)["text/html"] == rep.to_html()  # its own page (with the CQ table) is kept
