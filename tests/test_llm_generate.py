"""HyDRA's generation (committee → scopes → CQs → dedupe → ontology) against the scripted server.

Call counts are exact: each test scripts what every request gets and counts the requests
per step (issue 11: 3/2/1 personas topped up, panels of 4, recursive merges of 6).
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from IPython.core.error import UsageError

from hydra_magic.engines.llm import LLMEngine
from hydra_magic.errors import EngineError, InputError
from hydra_magic.generate import CQSet, Generation, parse_personas_per_priority, run_generation
from hydra_magic.outcomes import RetryPolicy
from hydra_magic.session import Session, SessionConfig

from .llm_server import Reply, llm_server, prompt_text  # noqa: F401

FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)
LONG = " Sections: 1 films, 1.1 directors, 1.2 festivals, 2 screenings, 2.1 juries, 2.2 awards and prizes."

GROUPS = {"groups": [{"name": "Programmers", "priority": "high", "description": "festival programme",
                      "reason": "they choose the films"},
                     {"name": "Critics", "priority": {"value": "medium", "reason": "they review"}},
                     {"name": "Audience", "priority": "low"}]}

STEP_KEYS = (("Identify the groups of people", "groups"), ("requested number of personas", "personas"),
             ("Merge the scope documents", "merge"), ("collaborative team of the given personas", "scope"),
             ("You write competency questions", "cqs"), ("ask the same thing", "dedupe"),
             ("isolated clusters", "weave"), ("Extend the OWL ontology", "ontology"))


def step(body) -> str:
    system = body["messages"][0]["content"]
    return next((name for key, name in STEP_KEYS if key in system), "?")


def steps_of(srv) -> Counter:
    return Counter(step(b) for b in srv.requests)


def personas_reply(body, extra: int = 0):
    user = body["messages"][-1]["content"]
    group = re.search(r"Group: (\w+)", user).group(1)
    n = int(re.search(r"Number of personas to generate: (\d+)", user).group(1))
    have = len(re.findall(r"^- ", user.split("already found:")[1], re.M))
    return Reply(json_content={"personas": [{"name": f"{group[0]}{have + i}", "role": group.lower()}
                                            for i in range(n + extra)]})


def scope_reply(body):
    names = re.findall(r"^- (\w+),", body["messages"][-1]["content"], re.M)
    return Reply(json_content={"text": f"Scope by {' '.join(names)}." + LONG, "concepts": ["film"]})


def merge_reply(body):
    # The merge keeps every author named in its inputs: the final scope shows nothing was dropped.
    names = sorted(set(re.findall(r"\b[PCAX]\d+\b", body["messages"][-1]["content"])))
    return Reply(json_content={"title": "Merged", "text": f"Merged: {' '.join(names)}." + LONG})


def cqs_reply(body):
    names = re.findall(r"^- (\w+),", body["messages"][-1]["content"], re.M)
    return Reply(json_content={"questions": [f"Which films does {names[0]} programme?", "Who directed a film?"]})


def responder(body):
    s = step(body)
    if s == "groups":
        return Reply(json_content=GROUPS)
    if s == "personas":
        return personas_reply(body)
    if s == "scope":
        return scope_reply(body)
    if s == "merge":
        return merge_reply(body)
    if s == "cqs":
        return cqs_reply(body)
    if s == "dedupe":
        return Reply(json_content={"duplicates": []})
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


# ------------------------------------------------------------ the reference's counts
def test_reference_counts_committee_to_dedupe(llm_server, engine, tmp_path):
    s = session(tmp_path, engine)
    before = snapshot(s)
    g = run_generation(s, "film festivals")  # default: stop after dedupe, nothing applied
    assert snapshot(s) == before and s.generation is g
    # 1 groups call, 1 persona call per group, 6 personas in panels of 4 -> 2 scopes, 1 merge, 2 CQ calls, 1 dedupe
    assert steps_of(llm_server) == Counter(groups=1, personas=3, scope=2, merge=1, cqs=2, dedupe=1)
    c = g.committee()
    assert [(gr.name, gr.priority, len(gr.personas)) for gr in c.groups] == [
        ("Programmers", "high", 3), ("Critics", "medium", 2), ("Audience", "low", 1)]
    assert c.groups[1].reason == "they review" and c.notes == []
    panels = [[p.name for _, p in panel] for panel in c.panels(4)]
    assert [len(p) for p in panels] == [4, 2] and sorted(sum(panels, [])) == ["A0", "C0", "C1", "P0", "P1", "P2"]
    assert [d.authors for d in g.scopes()] == panels
    assert all(n in g.scope().text for n in ["A0", "C0", "C1", "P0", "P1", "P2"])
    # one CQ call per panel, with the panel's personas and the merged scope
    cq_prompts = [b["messages"][-1]["content"] for b in llm_server.requests if step(b) == "cqs"]
    assert sorted(re.findall(r"^- (\w+),", p, re.M) for p in cq_prompts) == sorted(panels)
    assert all("Merged:" in p for p in cq_prompts)
    assert all("as many competency questions as required" in b["messages"][0]["content"]
               for b in llm_server.requests if step(b) == "cqs")
    dd = g.dedupe()
    assert len(dd.questions) == 3 and dd.removed == [("Who directed a film?", "Who directed a film?")]
    shown = repr(g)
    assert "panel 1: " + ", ".join(panels[0]) in shown and "Scope by" in shown and "--continue" in shown


def test_the_seed_decides_the_panels(llm_server, engine):
    def order(seed):
        g = Generation("films", engine, seed=seed)
        return [p.name for _, p in g.committee().members()]

    assert order(7) == order(7) and order(7) != order(8)
    assert sorted(order(7)) == sorted(order(8))


def test_personas_are_topped_up_and_extras_dropped(llm_server, engine):
    calls = Counter()

    def short_then_long(body):
        if step(body) != "personas":
            return responder(body)
        group = re.search(r"Group: (\w+)", body["messages"][-1]["content"]).group(1)
        calls[group] += 1
        if group == "Programmers":  # 1 of 3, then 2 more asked and 3 given
            return personas_reply(body, extra=-2 if calls[group] == 1 else 1)
        if group == "Critics":  # none, twice: the same request would get the same answer, so no third call
            return Reply(json_content={"personas": [{"name": "C9", "role": "critic"}] if calls[group] == 1 else []})
        return personas_reply(body)

    llm_server.responder = short_then_long
    c = Generation("films", engine).committee()
    assert calls == Counter(Programmers=2, Critics=2, Audience=1)
    assert [len(g.personas) for g in c.groups] == [3, 1, 1]
    assert c.notes == ["Programmers: dropped 1 extra persona beyond 3", "Critics: 1 of 2 personas after 2 calls"]
    second = [b for b in llm_server.requests if "Group: Programmers" in b["messages"][-1]["content"]][1]
    assert "Number of personas to generate: 2" in second["messages"][-1]["content"]
    assert "- P0, programmers" in second["messages"][-1]["content"]  # the persona found so far is named


def test_sizes_are_configurable(llm_server, engine):
    g = Generation("films", engine, groups=2, personas_per_priority="1,1,0", panel_size=2, cqs_per_panel=5)
    g.cqs()
    # 3 groups came back, 2 asked: the two of highest priority are kept and the cut is said
    assert [gr.name for gr in g.committee().groups] == ["Programmers", "Critics"]
    assert g.committee().notes == ["asked for 2 groups, the model gave 3; kept the first 2 by priority"]
    assert "exactly 2 groups" in llm_server.requests[0]["messages"][0]["content"]
    assert steps_of(llm_server) == Counter(groups=1, personas=2, scope=1, cqs=1)  # one panel of 2: no merge
    assert all("Write 5 competency questions" in b["messages"][0]["content"]
               for b in llm_server.requests if step(b) == "cqs")


@pytest.mark.parametrize("value", ["3,2", "a,b,c", "-1,2,1", "0,0,0"])
def test_bad_personas_per_priority_says_how(value):
    with pytest.raises(InputError, match=r"3,2,1"):
        parse_personas_per_priority(value)


def test_scopes_merge_recursively_in_chunks_of_six(llm_server, engine):
    g = Generation("films", engine, personas_per_priority=(3, 2, 1), panel_size=1, merge_chunk=6)
    g.committee({"groups": [{"name": f"G{i}", "priority": "high",
                             "personas": [{"name": f"X{3 * i + k}"} for k in range(3)]} for i in range(4)]
                + [{"name": "G4", "priority": "low", "personas": [{"name": "X12"}]}]})
    merged = g.scope()
    # 13 documents: [6, 6, 1] -> 2 calls (the lone one goes up as it is), then 3 -> 1 call
    assert steps_of(llm_server) == Counter(scope=13, merge=3)
    assert sorted(re.findall(r"X\d+", merged.text), key=lambda x: int(x[1:])) == [f"X{i}" for i in range(13)]
    assert "13 documents merged in 2 levels, 3 calls" in merged.to_text()


def test_a_short_scope_document_is_asked_again(llm_server, engine):
    def short_first(body):
        if step(body) == "scope" and "it must have at least" not in body["messages"][-1]["content"]:
            return Reply(json_content={"text": "Films."})
        return responder(body)

    llm_server.responder = short_first
    g = Generation("films", engine)
    g.committee({"groups": [{"name": "Critics", "priority": "low", "personas": [{"name": "C0"}]}]})
    assert g.scopes().documents[0].text.startswith("Scope by") and steps_of(llm_server) == Counter(scope=2)
    assert "has 6 characters; it must have at least 100" in prompt_text(llm_server.requests[1])


# ------------------------------------------------------------ editing and applying
FILM_PART = {"classes": [{"name": "FilmEntity", "comment": "anything of the festival world"},
                         {"name": "Film", "parent": "FilmEntity", "cq": 1},
                         {"name": "Alien", "parent": "Film", "cq": 2},
                         {"name": "Person", "parent": "FilmEntity", "cq": 2}],
             "properties": [{"name": "directedBy", "kind": "object", "domain": ["Film"], "range": ["Person"],
                             "cq": 2}]}


def test_edit_the_cqs_then_build_the_ontology(llm_server, engine, tmp_path):
    s = session(tmp_path, engine)
    g = run_generation(s, "film festivals", stop_after="cqs")
    assert "dedupe" not in g.results
    g.cqs(["Which films did a director direct?", "Who directed Alien?"])  # the user's edit
    llm_server.responder = lambda body: Reply(json_content=FILM_PART) if step(body) == "ontology" else (
        Reply(json_content={"duplicates": []}) if step(body) == "dedupe" else Reply(status=599))
    llm_server.reset()
    g = run_generation(s, resume=True, stop_after="ontology")
    assert steps_of(llm_server) == Counter(dedupe=1, ontology=1)
    system = llm_server.requests[-1]["messages"][0]["content"]
    for guidance in ("never classes", "releaseYear (integer) on Film, not a Year class", "not a Direction class",
                     "restate the hierarchy", "start with a verb", "domain-specific root", '"comment"'):
        assert guidance in system
    draft = g.results["ontology"]
    assert draft.applied and draft.added_classes == ["Alien", "Film", "FilmEntity", "Person"]
    assert [(i.code, i.path) for i in draft.flags] == [("instance_as_class", "class:Alien")]
    assert "flag" in draft.to_text() and [c.text for c in s.cqs] == g.dedupe().questions
    s.undo()
    assert len(s.ontology) == 0 and s.cqs == []


def test_continue_needs_a_generation_and_the_same_domain(llm_server, engine, tmp_path):
    s = session(tmp_path, engine)
    with pytest.raises(InputError, match="no generation to continue"):
        run_generation(s, resume=True)
    run_generation(s, "films", stop_after="committee")
    with pytest.raises(InputError, match="for 'films', not 'music'"):
        run_generation(s, "music", resume=True)


def test_models_per_step(llm_server, engine):
    llm_server.responder = lambda body: Reply(json_content=FILM_PART)
    g = Generation("film festivals", engine, models={"ontology": "openai/big-model"}, batch_size=4)
    g.dedupe(["Which films did a director direct?"])
    g.ontology()
    assert [b["model"] for b in llm_server.requests] == ["big-model"]


def test_generation_objects_display_and_serialise(llm_server, engine):
    g = Generation("film festivals", engine)
    assert "· committee" in repr(g) and "next: g.committee()" in repr(g)
    c = g.committee()
    assert json.loads(json.dumps(c.to_dict()))["groups"][0]["name"] == "Programmers"
    assert "Programmers [high]" in c._repr_mimebundle_()["text/plain"]
    assert "✓ committee" in repr(g)
    hostile = CQSet.of(["<script>alert(1)</script>?"])
    assert "<script>" not in hostile._repr_mimebundle_()["text/html"]
    with pytest.raises(InputError, match="priority 'urgent'"):
        g.committee({"groups": [{"name": "X", "priority": "urgent"}]})


def test_generation_needs_a_model_engine_and_sane_sizes(engine):
    s = Session("r", SessionConfig(journal_dir=None))
    with pytest.raises(InputError, match="needs a model engine"):
        run_generation(s, "films")
    with pytest.raises(InputError, match="domain is empty"):
        Generation("  ", object())
    with pytest.raises(InputError, match="panel_size=0"):
        Generation("films", engine, panel_size=0)


def test_unusable_dedupe_reply_keeps_every_question(llm_server, engine):
    llm_server.responder = lambda body: Reply(content="no idea")
    g = Generation("films", engine)
    g.cqs(["A?", "B?", "a?"])
    dd = g.dedupe()
    assert dd.questions == ["A?", "B?"]  # the exact repeat still goes
    assert [i.code for i in dd.issues] == ["parse_error"] and llm_server.calls == FAST.max_attempts


def test_a_failing_model_leaves_the_session_unchanged(llm_server, engine, tmp_path):
    llm_server.responder = lambda body: Reply(status=500, error="down")
    s = session(tmp_path, engine)
    before = snapshot(s)
    g = Generation("films", engine, session=s)
    g.dedupe(["Which films did a director direct?"])
    with pytest.raises(EngineError, match=r"HTTP 500.*Nothing was applied to the session"):
        g.ontology()
    assert snapshot(s) == before
    assert g.results["ontology"].batches[0].error and not g.results["ontology"].applied


def test_cq_generate_magic_options_and_continue(hydra_ext, run_cell, llm_server, engine) -> None:
    hydra_ext.session.register_engine("scripted", engine)
    g = run_cell('%cq --generate --domain "film festivals" --model scripted --groups 2 '
                 '--personas-per-priority 1,1,0 --panel-size 2 --cqs-per-panel 5 --seed 3 --stop-after committee')
    assert g is hydra_ext.session.generation and (g.groups, g.panel_size, g.cqs_per_panel, g.seed) == (2, 2, 5, 3)
    assert g.personas_per_priority == {"high": 1, "medium": 1, "low": 0}
    assert steps_of(llm_server) == Counter(groups=1, personas=2) and "scopes" not in g.results
    assert run_cell("%cq --generate --continue --stop-after cqs") is g
    assert steps_of(llm_server) == Counter(groups=1, personas=2, scope=1, cqs=1)  # the committee was kept
    with pytest.raises(UsageError, match="3,2,1"):
        run_cell('%cq --generate --domain films --model scripted --personas-per-priority 3,2')


def test_a_described_persona_without_a_name_is_kept_and_numbered(llm_server, engine):
    # SmolLM2 answers {"name": "", "background": "..."}: the person is described, so it counts.
    llm_server.responder = lambda body: Reply(json_content={"personas": [
        {"name": "", "background": "festival jury member"}, {"name": "", "role": ""}]}) if step(body) == "personas" \
        else responder(body)
    c = Generation("films", engine, personas_per_priority="1,1,1").committee()
    assert [[p.name for p in g.personas] for g in c.groups] == [["Programmers 1"], ["Critics 1"], ["Audience 1"]]
    assert steps_of(llm_server) == Counter(groups=1, personas=3) and c.notes == []


def test_groups_named_twice_or_not_at_all_are_left_out_and_said(llm_server, engine):
    twice = {"groups": [*GROUPS["groups"], {"name": "programmers", "priority": "low"},
                        {"name": " ", "priority": "low"}]}
    llm_server.responder = lambda body: Reply(json_content=twice) if step(body) == "groups" else responder(body)
    c = Generation("films", engine).committee()
    assert [g.name for g in c.groups] == ["Programmers", "Critics", "Audience"]
    assert c.notes == ["2 groups without a name or named twice left out"]


def test_redo_asks_the_model_again_instead_of_replaying_the_cache(llm_server, tmp_path):
    cached = LLMEngine("openai/x", api_base=llm_server.url, api_key="x", cache_dir=str(tmp_path / "c"),
                       use_cache=True, retry=FAST)
    llm_server.responder = responder
    g = Generation("films", cached)
    g.cqs()
    calls = sum(steps_of(llm_server).values())
    again = Generation("films", cached)
    again.cqs()  # the same requests: answered from the cache
    assert sum(steps_of(llm_server).values()) == calls
    before = steps_of(llm_server)
    again.cqs(redo=True)  # a redo is a new question to the model, not the cached reply
    after = steps_of(llm_server)
    assert after["cqs"] > before["cqs"] and after - before == Counter(cqs=after["cqs"] - before["cqs"])
