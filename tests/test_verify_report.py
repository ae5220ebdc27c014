"""The verification report: counts, JSON and SHACL Turtle round trips, text and escaped HTML."""

from __future__ import annotations

import json

from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH
from rdflib.util import from_n3

from hydra_magic.cq import parse_cqs
from hydra_magic.ontology import HYDRA
from hydra_magic.verify import VerificationReport, run

from .verify_fixtures import add, film_session, lit, typed_base


def _report():
    s = film_session()
    typed_base(s)
    add(s, ("alien", ":directedBy", "sigourney"), ("alien", ":releaseYear", lit("<script>alert(1)</script>")),
        ("sigourney", ":knows", "ridley_scott"), ("bad<b>", ":age", lit("3")))
    s.add_rules("age > 5")
    s.cqs = parse_cqs("Who directed Alien? => james_cameron\nWhich planets are there?")
    return s, run(s)


def test_counts_by_severity_and_rule():
    _, r = _report()
    assert r.counts() == {k: sum(i.severity == k for i in r.issues) for k in ("error", "warning", "info")}
    assert r.counts()["error"] == len(r.errors) > 0
    assert sum(r.counts_by_code().values()) == len(r.issues)
    assert r.counts_by_code()["functional_violation"] == 1
    assert not r.ok


def test_every_issue_has_subject_code_message_hint_and_evidence():
    _, r = _report()
    for i in r.issues:
        assert i.code and i.message and i.hint and i.data["subject"]
        if i.data["check"] not in ("rules", "cq") or i.code == "value_rule_violation":
            assert i.data["evidence"][0]["source"] == "test-source"
            assert i.data["evidence"][0]["sentence"]


def test_json_round_trip():
    _, r = _report()
    text = r.to_json()
    back = VerificationReport.from_json(text)
    assert back.issues == r.issues
    assert [i.data for i in back.issues] == [json.loads(json.dumps(i.data)) for i in r.issues]
    assert back.counts() == r.counts() and back.mode == r.mode and back.checked == r.checked
    assert [t.to_dict() for t in back.cq_tests] == [t.to_dict() for t in r.cq_tests]
    assert [t.status for t in back.cq_tests] == ["fail", "not answerable"]
    assert json.loads(back.to_json()) == json.loads(text)


def test_shacl_turtle_round_trip():
    _, r = _report()
    g = Graph().parse(data=r.to_shacl_turtle(), format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == len(r.issues)
    got = sorted((str(g.value(x, HYDRA.code)), g.value(x, SH.focusNode), str(g.value(x, SH.resultMessage)))
                 for x in results)
    want = sorted((i.code, from_n3(i.data["focus"]), i.message) for i in r.issues)
    assert got == want
    sev = {str(g.value(x, HYDRA.code)): g.value(x, SH.resultSeverity) for x in results}
    assert sev["functional_violation"] == SH.Violation and sev["symmetric_inferred"] == SH.Info


def test_clean_kg_conforms():
    s = film_session()
    add(s, ("alien", "a", ":Film"))
    r = run(s)
    assert r.ok and not r.issues
    g = Graph().parse(data=r.to_shacl_turtle(), format="turtle")
    assert g.value(next(g.subjects(RDF.type, SH.ValidationReport)), SH.conforms) == Literal(True)


def test_text_and_html_forms_escape_user_text():
    _, r = _report()
    bundle = r._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "functional_violation" in bundle["text/plain"] and "source test-source" in bundle["text/plain"]
    html = bundle["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "bad<b>" not in html
