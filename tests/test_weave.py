"""Issue 11: the weaver with HyDRA's cluster semantics; proposals shown as a diff, applied only by the user."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError

from hydra_magic.cq import CompetencyQuestion
from hydra_magic.engines.llm import LLMEngine
from hydra_magic.errors import InputError
from hydra_magic.outcomes import RetryPolicy
from hydra_magic.session import Session, SessionConfig
from hydra_magic.weave import WeaveOp, apply_op, clusters, copy_ontology, propose_weave

from .llm_server import Reply, llm_server, prompt_text  # noqa: F401

FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)

TREE = """
:Thing a owl:Class .
:Film a owl:Class ; rdfs:subClassOf :Thing .   :Award a owl:Class ; rdfs:subClassOf :Thing .
:Person a owl:Class ; rdfs:subClassOf :Thing . :Director a owl:Class ; rdfs:subClassOf :Person .
"""
TWO = """
:Work a owl:Class .  :Film a owl:Class ; rdfs:subClassOf :Work .
:Agent a owl:Class . :Person a owl:Class ; rdfs:subClassOf :Agent .
:directedBy a owl:ObjectProperty ; rdfs:domain :Film ; rdfs:range :Person .
"""
JOIN = {"operations": [
    {"op": "bridge", "links": [["Film", "Agent"]], "reason": "wrong: Film has a superclass"},
    {"op": "bridge", "new_classes": ["FilmWorld"], "links": [["Work", "FilmWorld"], ["Agent", "FilmWorld"]],
     "reason": "one domain root"}]}


PREFIXES = ("@prefix : <http://example.org/hydra/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")


def load(s: Session, ttl: str, tmp_path: Any) -> None:
    # Imported as it is: %%ontology's contracts allow one top-level class, so clusters come from imports.
    path = tmp_path / f"o{len(s.history)}.ttl"
    path.write_text(PREFIXES + ttl)
    s.load_ontology(path)


@pytest.fixture
def session_with(tmp_path):
    def make(ttl: str) -> Session:
        s = Session("w", SessionConfig(journal_dir=None, retry=FAST))
        load(s, ttl, tmp_path)
        return s
    return make


class NoCalls:
    def weave(self, *a: Any, **k: Any) -> Any:
        raise AssertionError("the weaver asked a model about a single cluster")


@pytest.fixture
def engine(llm_server, tmp_path):
    llm_server.responder = lambda body: Reply(json_content=JOIN)
    return LLMEngine("openai/x", api_base=llm_server.url, api_key="x", cache_dir=str(tmp_path / "c"),
                     use_cache=False, retry=FAST)


def test_a_single_rooted_tree_is_one_cluster_and_is_not_woven(session_with):
    s = session_with(TREE)
    assert clusters(s.ontology) == [["Award", "Director", "Film", "Person", "Thing"]]
    before = s.ontology.triples()
    proposal = propose_weave(s.ontology, NoCalls())
    assert proposal.ops == [] and proposal.rounds == 0 and "nothing to weave" in proposal.to_text()
    assert s.ontology.triples() == before
    with pytest.raises(InputError, match="no operation"):
        proposal.apply(s)


def test_object_properties_do_not_join_clusters_and_lone_classes_count(session_with):
    s = session_with(TWO + ":Island a owl:Class .")
    assert clusters(s.ontology) == [["Agent", "Person"], ["Film", "Work"], ["Island"]]


def test_two_clusters_are_joined_only_when_the_user_applies(llm_server, engine, session_with):
    s = session_with(TWO)
    before = s.ontology.triples()
    proposal = propose_weave(s.ontology, engine, rounds=3)
    assert llm_server.calls == 1  # one round was enough
    assert [op.describe() for op, _, _ in proposal.ops] == ["bridge: Work ⊑ FilmWorld, Agent ⊑ FilmWorld "
                                                            "(new class FilmWorld)"]
    [(bad, [issue])] = proposal.rejected
    assert bad.links == (("Film", "Agent"),) and issue.code == "weave_invalid" and "at most one" in issue.message
    assert len(proposal.clusters_after) == 1
    assert s.ontology.triples() == before and len(clusters(s.ontology)) == 2  # proposed, not applied
    text = proposal.to_text()
    assert "+ Work subClassOf FilmWorld" in text and "not applied" in text and "%hydra weave apply" in text
    summary = proposal.apply(s)
    assert "2 → 1 clusters" in summary and clusters(s.ontology) == [["Agent", "Film", "FilmWorld", "Person", "Work"]]
    assert s.history[-1].kind == "weave"
    with pytest.raises(InputError, match="applied already"):
        proposal.apply(s)
    s.undo()
    assert s.ontology.triples() == before


def test_rounds_are_bounded_and_rejections_told_to_the_model(llm_server, engine, session_with):
    llm_server.responder = lambda body: Reply(json_content={"operations": [
        {"op": "merge", "source": "Work", "target": "Work"}]})
    proposal = propose_weave(session_with(TWO).ontology, engine, rounds=2)
    assert proposal.rounds == 2 and llm_server.calls == 2 and len(proposal.rejected) == 2 and not proposal.ops
    assert "Cannot merge 'Work' into itself" in prompt_text(llm_server.requests[1])


def test_merge_and_prune_semantics(session_with):
    onto = session_with(TWO + ":Movie a owl:Class . :Studio a owl:Class ; rdfs:subClassOf :Movie .").ontology
    merge = copy_ontology(onto)
    assert apply_op(merge, WeaveOp("merge", source="Movie", target="Film")) == []
    assert clusters(merge) == [["Film", "Studio", "Work"], ["Agent", "Person"]]
    assert "Movie" in merge.get_class("Film").alt_labels
    prune = copy_ontology(onto)
    assert apply_op(prune, WeaveOp("prune", classes=("Movie", "Studio"))) == [] and len(clusters(prune)) == 2
    [partial] = apply_op(copy_ontology(onto), WeaveOp("prune", classes=("Movie",)))
    assert "not exactly one isolated cluster" in partial.message
    three = session_with(":Big a owl:Class . :B1 a owl:Class ; rdfs:subClassOf :Big . "
                         ":B2 a owl:Class ; rdfs:subClassOf :Big . :Small a owl:Class .").ontology
    [largest] = apply_op(copy_ontology(three), WeaveOp("prune", classes=("B1", "B2", "Big")))
    assert "largest" in largest.message
    [unknown] = apply_op(copy_ontology(onto), WeaveOp("merge", source="Moovie", target="Film"))
    assert "Did you mean Movie" in unknown.hint


def test_apply_refuses_a_stale_proposal_and_classes_the_kg_uses(llm_server, engine, session_with):
    s = session_with(TWO)
    stale = propose_weave(s.ontology, engine)
    s.add_ontology_turtle(":Festival a owl:Class ; rdfs:subClassOf :Work .")
    with pytest.raises(InputError, match="changed since this proposal"):
        stale.apply(s)
    llm_server.responder = lambda body: Reply(json_content={"operations": [
        {"op": "merge", "source": "Agent", "target": "Work"}]})
    from hydra_magic.candidates import TripleCandidate

    s.accept_anyway(TripleCandidate("ridley_scott", "isA", "Agent"))
    proposal = propose_weave(s.ontology, engine)
    assert [op.op for op, _, _ in proposal.ops] == ["merge"]
    with pytest.raises(InputError, match="typed with Agent"):
        proposal.apply(s)


def test_hydra_weave_magic(hydra_ext: Any, run_cell: Any, llm_server, engine, tmp_path) -> None:
    session = hydra_ext.session
    session.register_engine("scripted", engine)
    load(session, TWO, tmp_path)
    with pytest.raises(UsageError, match="no weave proposal"):
        run_cell("%hydra weave apply")
    with pytest.raises(UsageError, match="needs a model engine.*--model"):
        run_cell("%hydra weave --model rules")  # two clusters and the offline engine: name a model
    proposal = run_cell("%hydra weave --model scripted")
    assert proposal is session.weave_proposal and len(proposal.ops) == 1 and len(clusters(session.ontology)) == 2
    with pytest.raises(UsageError, match="No operation 5"):
        run_cell("%hydra weave apply 5")
    run_cell("%hydra weave apply 1")
    assert len(clusters(session.ontology)) == 1
    calls = llm_server.calls
    assert "nothing to weave" in run_cell("%hydra weave").to_text() and llm_server.calls == calls


def test_the_review_shows_modelling_flags_of_any_ontology(hydra_ext: Any, run_cell: Any, tmp_path) -> None:
    # from the offline engine: "in a Number" makes a Number class ("released in a Year" is a year value now)
    offline = Session("o", SessionConfig(journal_dir=None))
    offline.add_cqs(["Which films are in a Number?", "Which films did a director direct?"])
    proposal = propose_weave(offline.ontology, NoCalls(), cqs=offline.cqs)
    assert [(i.code, i.path) for i in proposal.flags] == [("literal_as_class", "class:Number")]
    assert "literal_as_class" in proposal.to_text() and "xsd:integer" in proposal.to_text()
    # from an import, through %hydra weave (no model asked: one cluster)
    session = hydra_ext.session
    load(session, ":Work a owl:Class . :Film a owl:Class ; rdfs:subClassOf :Work . "
                  ":Alien a owl:Class ; rdfs:subClassOf :Film .", tmp_path)
    session.cqs.append(CompetencyQuestion("Who directed Alien?"))
    shown = run_cell("%hydra weave").to_text()
    assert "nothing to weave" in shown and "instance_as_class" in shown and "'Alien'" in shown
