"""HyDRA's generation pipeline (committee → … → ontology → weaver) against the scripted server."""

from __future__ import annotations

import json
import re

import pytest

from hydra_magic.engines.llm import LLMEngine
from hydra_magic.errors import EngineError, InputError
from hydra_magic.generate import (CQSet, Generation, WeaveOp, _apply_op, _copy, clusters, run_generation)
from hydra_magic.candidates import PropertyCandidate
from hydra_magic.pipeline import RetryPolicy
from hydra_magic.session import Session, SessionConfig

from .llm_server import Reply, llm_server, prompt_text  # noqa: F401

FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)

COMMITTEE = {"groups": [
    {"name": "Programmers", "priority": "high", "description": "festival programme",
     "personas": [{"name": f"P{i}", "role": "programmer"} for i in range(4)]},  # one too many for 'high'
    {"name": "Critics", "priority": "medium", "personas": [{"name": "C1", "role": "critic"},
                                                           {"name": "C2", "role": "critic"}]},
    {"name": "Audience", "priority": 1, "personas": [{"name": "A1", "role": "visitor"}]}]}

CQS = {"Programmers": ["Which films did a director direct?", "Who directed a film?"],
       "Critics": ["Which festivals take place in a city?", "Who directed a film?"],
       "Audience": ["What films did a director make?"]}

FILM_PART = {"classes": [{"name": "Thing"}, {"name": "Film", "parent": "Thing", "cq": 1},
                         {"name": "Person", "parent": "Thing", "cq": 2}],
             "properties": [{"name": "directedBy", "kind": "object", "domain": ["Film"], "range": ["Person"],
                             "cq": 1}]}
FESTIVAL_PART = {"classes": [{"name": "Festival", "parent": "Thing", "cq": 1},
                             {"name": "City", "parent": "Thing", "cq": 1}],
                 "properties": [{"name": "heldIn", "kind": "object", "domain": ["Festival"], "range": ["City"]}]}
WEAVE = {"operations": [
    {"op": "bridge", "property": {"name": "remakeOf", "kind": "object", "domain": ["Film"], "range": ["Film"]},
     "reason": "films are remade"},
    {"op": "prune", "classes": ["Thing"], "reason": "the root"},
    {"op": "bridge", "property": {"name": "screenedAt", "kind": "object", "domain": ["Film"],
                                  "range": ["Festival"]}, "reason": "festivals screen films"}]}


def responder(body):
    system = body["messages"][0]["content"]
    user = body["messages"][-1]["content"]
    if "committee of stakeholders" in system:
        return Reply(json_content=COMMITTEE)
    if "merge scope documents" in system:
        return Reply(json_content={"title": "Film festivals", "text": "Merged: films, directors, festivals.",
                                   "concepts": ["film", "festival"]})
    if "scope document" in system:
        names = re.findall(r"^- (\w+),", user, re.M)
        return Reply(json_content={"text": f"Scope by {' '.join(names)}", "concepts": ["film"]})
    if "competency questions for a knowledge graph" in system:
        group = re.search(r"Stakeholder group: (\w+)", user).group(1)
        return Reply(json_content={"questions": CQS[group]})
    if "ask the same thing" in system:
        return Reply(json_content={"duplicates": [[1, 4]]})
    if "ontology engineer" in system:
        return Reply(json_content=FESTIVAL_PART if "festival" in user else FILM_PART)
    if "isolated clusters" in system:
        return Reply(json_content=WEAVE)
    return Reply(status=599, error="unexpected request")


@pytest.fixture
def engine(llm_server, tmp_path):
    llm_server.responder = responder
    return LLMEngine("openai/x", api_base=llm_server.url, api_key="x", cache_dir=str(tmp_path / "c"),
                     use_cache=False, retry=FAST)


def session(tmp_path, engine) -> Session:
    return Session("g", SessionConfig(journal_dir=str(tmp_path / "j"), retry=FAST), engine=engine)


def snapshot(s: Session) -> str:
    return json.dumps({k: v for k, v in s.snapshot().items() if k != "config"}, sort_keys=True)


def steps_of(srv) -> list[str]:
    out = []
    for body in srv.requests:
        sys_ = body["messages"][0]["content"]
        for key, name in (("committee of stakeholders", "committee"), ("merge scope documents", "merge"),
                          ("scope document", "scope"), ("competency questions for", "cqs"),
                          ("ask the same thing", "dedupe"), ("ontology engineer", "ontology"),
                          ("isolated clusters", "weave")):
            if key in sys_:
                out.append(name)
                break
    return out


def test_stop_after_cqs_edit_then_build_the_ontology(llm_server, engine, tmp_path):
    s = session(tmp_path, engine)
    before = snapshot(s)
    g = run_generation(s, "film festivals", stop_after="cqs")
    assert snapshot(s) == before  # nothing is applied before the ontology step
    assert sorted(steps_of(llm_server)) == sorted(["committee", "scope", "scope", "merge", "cqs", "cqs", "cqs"])
    committee = g.committee()
    assert [len(gr.personas) for gr in committee.groups] == [3, 2, 1]  # 3/2/1 personas by priority
    assert [d.authors for d in g.scopes()] == [["P0", "P1", "P2", "C1"], ["C2", "A1"]]  # 4 personas per scope
    assert g.scope().text.startswith("Merged")
    assert len(g.cqs().items) == 5 and "Programmers" in g.cqs().to_text()
    # the user edits the CQs and goes on
    g.cqs(CQS["Programmers"] + CQS["Critics"] + CQS["Audience"] + ["Which city hosts a festival?"])
    assert "dedupe" not in g.results
    dd = g.dedupe()
    assert dd.questions == ["Which films did a director direct?", "Who directed a film?",
                            "Which festivals take place in a city?", "Which city hosts a festival?"]
    assert ("Who directed a film?", "Who directed a film?") in dd.removed  # exact repeat, no model needed
    assert ("What films did a director make?", "Which films did a director direct?") in dd.removed  # model
    llm_server.reset()
    g.batch_size = 2
    draft = g.ontology(s)
    assert steps_of(llm_server) == ["ontology", "ontology", "weave"]
    assert draft.applied and draft.added_classes == ["City", "Festival", "Film", "Person", "Thing"]
    assert draft.added_properties == ["directedBy", "heldIn", "screenedAt"]
    weave = draft.weave
    assert len(weave.clusters_before) == 2 and len(weave.clusters_after) == 1
    assert [op.describe() for op, _, _ in weave.accepted] == ["bridge by property object property screenedAt: "
                                                              "Film → Festival"]
    codes = {op.op + ":" + iss[0].code for op, iss in weave.rejected}
    assert codes == {"bridge:weave_no_progress", "prune:weave_invalid"}
    assert {c.name for c in s.ontology.classes.values()} == {"City", "Festival", "Film", "Person", "Thing"}
    assert [c.text for c in s.cqs] == dd.questions
    assert s.history[-1].kind == "generate"
    s.undo()
    assert len(s.ontology) == 0 and s.cqs == []


def test_models_per_step(llm_server, engine, tmp_path):
    g = Generation("film festivals", engine, models={"ontology": "openai/big-model"}, batch_size=4)
    g.dedupe(["Which films did a director direct?"])
    g.ontology(weave=False)
    assert [b["model"] for b in llm_server.requests] == ["big-model"]
    g2 = Generation("film festivals", engine)
    g2.committee()
    assert llm_server.requests[-1]["model"] == "x"
    assert g2.usage.calls == 1


def test_generation_objects_display_and_serialise(llm_server, engine, tmp_path):
    g = Generation("film festivals", engine)
    text = repr(g)
    assert "· committee" in text and "next: g.committee()" in text
    c = g.committee()
    assert json.loads(json.dumps(c.to_dict()))["groups"][0]["name"] == "Programmers"
    bundle = c._repr_mimebundle_()
    assert "Programmers [high]" in bundle["text/plain"] and "<pre" in bundle["text/html"]
    assert "✓ committee" in repr(g)
    hostile = CQSet.of(["<script>alert(1)</script>?"])
    assert "<script>" not in hostile._repr_mimebundle_()["text/html"]


def test_generation_needs_a_model_engine(tmp_path):
    s = Session("r", SessionConfig(journal_dir=None))
    with pytest.raises(InputError, match="needs a model engine"):
        run_generation(s, "films")
    with pytest.raises(InputError, match="domain is empty"):
        Generation("  ", object())


def test_unusable_dedupe_reply_keeps_every_question(llm_server, engine, tmp_path):
    llm_server.responder = lambda body: Reply(content="no idea")
    g = Generation("films", engine)
    g.cqs(["A?", "B?", "a?"])
    dd = g.dedupe()
    assert dd.questions == ["A?", "B?"]  # the exact repeat still goes
    assert [i.code for i in dd.issues] == ["parse_error"] and llm_server.calls == 3


# ------------------------------------------------------------------ weaver
def two_cluster_ontology():
    s = Session("w", SessionConfig(journal_dir=None))
    s.add_ontology_turtle("""
        :Thing a owl:Class .
        :Film a owl:Class ; rdfs:subClassOf :Thing .   :Person a owl:Class ; rdfs:subClassOf :Thing .
        :Movie a owl:Class ; rdfs:subClassOf :Thing .  :Studio a owl:Class ; rdfs:subClassOf :Thing .
        :directedBy a owl:ObjectProperty ; rdfs:domain :Film ; rdfs:range :Person .
        :producedBy a owl:ObjectProperty ; rdfs:domain :Movie ; rdfs:range :Studio .
        :Island a owl:Class ; rdfs:subClassOf :Thing .
    """)
    return s.ontology


def test_clusters_ignore_the_single_root():
    assert clusters(two_cluster_ontology()) == [["Film", "Person"], ["Movie", "Studio"], ["Island"]]


def test_weave_operations_must_reduce_the_cluster_count():
    onto = two_cluster_ontology()
    merge = _copy(onto)
    assert _apply_op(merge, WeaveOp("merge", source="Movie", target="Film"), set()) == []
    assert clusters(merge) == [["Film", "Person", "Studio"], ["Island"]]
    assert merge.get_property("producedBy").domain == (merge.get_class("Film").iri,)
    assert "movie" in merge.get_class("Film").alt_labels and merge.get_class("Movie") is merge.get_class("Film")
    prune = _copy(onto)
    assert _apply_op(prune, WeaveOp("prune", classes=("Island",)), set()) == [] and len(clusters(prune)) == 2
    partial = _copy(onto)
    [issue] = _apply_op(partial, WeaveOp("prune", classes=("Movie",)), set())
    assert issue.code == "weave_invalid" and "not exactly one isolated cluster" in issue.message
    bridge = _copy(onto)
    assert _apply_op(bridge, WeaveOp("bridge", child="Island", parent="Studio"), set()) == []
    assert bridge.get_class("Island").parent == bridge.get_class("Studio").iri
    [protected] = _apply_op(_copy(onto), WeaveOp("merge", source="Movie", target="Film"), {"Movie"})
    assert protected.code == "weave_invalid" and "session's ontology" in protected.message
    [unknown] = _apply_op(_copy(onto), WeaveOp("merge", source="Moovie", target="Film"), set())
    assert "Did you mean Movie" in unknown.hint
    bad_prop = PropertyCandidate("directedBy", "object", ("Film",), ("Studio",))
    [dup] = _apply_op(_copy(onto), WeaveOp("bridge", property=bad_prop), set())
    assert dup.code == "weave_invalid" and "already exists" in dup.message


def test_weaver_rounds_are_bounded_and_rejections_fed_back(llm_server, engine, tmp_path):
    llm_server.responder = lambda body: Reply(json_content={"operations": [
        {"op": "bridge", "property": {"name": f"link{len(llm_server.requests)}", "kind": "object",
                                      "domain": ["Film"], "range": ["Person"]}}]})
    g = Generation("films", engine, weave_rounds=2)
    onto = two_cluster_ontology()
    report = g._weave(onto, protected=set())
    assert report.rounds == 2 and llm_server.calls == 2 and len(report.rejected) == 2
    assert "weave_no_progress" in prompt_text(llm_server.requests[1])  # round 2 hears why round 1 failed
    assert len(report.clusters_after) == 3


def test_a_failing_model_leaves_the_session_unchanged(llm_server, engine, tmp_path):
    llm_server.responder = lambda body: Reply(status=500, error="down")
    s = session(tmp_path, engine)
    before = snapshot(s)
    g = Generation("films", engine, session=s)
    g.dedupe(["Which films did a director direct?"])
    with pytest.raises(EngineError, match=r"HTTP 500.*Nothing was applied to the session"):
        g.ontology()
    assert snapshot(s) == before and llm_server.calls == 3
    assert g.results["ontology"].batches[0].error and not g.results["ontology"].applied
    with pytest.raises(EngineError, match="HTTP 500"):
        g.committee()
