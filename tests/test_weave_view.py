"""Issue 11 item 3: the weaver in the ontology view. "Propose weaving" shows the proposal as a diff per
operation; "Apply selected" applies exactly the ticked ones (one undoable change) or shows the refusal.

The view is driven by the messages its front end sends (``{"type": "weave"}``, ``{"type":
"weave_apply", "ops": [...]}``), as in the browser; the model is the scripted local server.
"""

from __future__ import annotations

from typing import Any

import pytest

from hydra_magic import views
from hydra_magic.candidates import TripleCandidate
from hydra_magic.engines.llm import LLMEngine
from hydra_magic.session import Session, SessionConfig
from hydra_magic.weave import clusters, term_text

from .llm_server import Reply, llm_server  # noqa: F401
from .test_weave import FAST, TREE, TWO, load

THREE = TWO + ":Island a owl:Class .\n"
#: Two operations that each reduce the clusters: a bridge (3 -> 2) and a prune (2 -> 1).
BRIDGE_AND_PRUNE = {"operations": [
    {"op": "bridge", "new_classes": ["FilmWorld"], "links": [["Work", "FilmWorld"], ["Agent", "FilmWorld"]],
     "reason": "one domain root"},
    {"op": "prune", "classes": ["Island"], "reason": "off-domain"}]}


@pytest.fixture
def view_of(llm_server, tmp_path):
    """``view_of(ttl)``: an ontology view of a new session holding ``ttl``; the scripted model is ``scripted``."""
    def make(ttl: str) -> tuple[Session, Any]:
        s = Session("wv", SessionConfig(journal_dir=None, retry=FAST))
        load(s, ttl, tmp_path)
        s.register_engine("scripted", LLMEngine("openai/x", api_base=llm_server.url, api_key="x",
                                                cache_dir=str(tmp_path / "c"), use_cache=False, retry=FAST))
        return s, views.OntologyView(s, weave_model="scripted")
    return make


def send(view: Any, **content: Any) -> dict[str, Any]:
    """What the front end does: one custom message; returns the weave panel's state after it."""
    view._on_msg(view, content, [])
    return dict(view.weave)


def test_propose_shows_each_operation_as_a_diff_and_applies_nothing(llm_server, view_of) -> None:
    llm_server.responder = lambda body: Reply(json_content=BRIDGE_AND_PRUNE)
    s, view = view_of(THREE)
    assert view.data["counts"]["clusters"] == 3 and view.weave["status"] == "none"
    before = s.ontology.triples()
    w = send(view, type="weave")
    assert llm_server.calls == 1 and w["status"] == "proposed" and w["clusters_before"] == clusters(s.ontology)
    bridge, prune = w["ops"]
    assert (bridge["n"], bridge["op"], bridge["before"], bridge["after"]) == (1, "bridge", 3, 2)
    assert bridge["reason"] == "one domain root" and bridge["removed"] == []
    assert ["Work", "subClassOf", "FilmWorld"] in bridge["added"] and ["FilmWorld", "type", "Class"] in bridge["added"]
    assert (prune["op"], prune["added"], prune["removed"]) == ("prune", [], [["Island", "type", "Class"]])
    assert "Nothing is applied" in w["message"]["text"]
    assert s.ontology.triples() == before and not s.history[1:]  # proposed, not applied
    assert s.weave_proposal is view.proposal  # the same proposal %hydra weave apply would apply


def test_apply_selected_changes_the_ontology_by_exactly_those_operations_and_undo_restores(
        llm_server, view_of) -> None:
    llm_server.responder = lambda body: Reply(json_content=BRIDGE_AND_PRUNE)
    s, view = view_of(THREE)
    prune = send(view, type="weave")["ops"][1]
    before, changes = s.ontology.triples(), len(s.history)
    w = send(view, type="weave_apply", ops=[2])
    assert w["status"] == "applied" and w["applied_ops"] == [2] and w["message"]["kind"] == "ok"
    assert "prune Island" in w["message"]["text"] and "%hydra undo" in w["message"]["text"]
    after = s.ontology.triples()
    assert len(s.history) == changes + 1 and s.history[-1].kind == "weave"  # one change
    assert sorted(" ".join(t) for t in prune["removed"]) == sorted(
        " ".join(term_text(x) for x in t) for t in before - after) and after <= before  # the prune only
    assert s.ontology.get_class("FilmWorld") is None and view.data["counts"]["clusters"] == 2  # no bridge
    assert send(view, type="weave_apply", ops=[1])["message"]["text"].startswith("This weave proposal was applied")
    s.undo()
    assert s.ontology.triples() == before
    view._on_msg(view, {"type": "refresh"}, [])
    assert view.data["counts"]["clusters"] == 3


def test_refusals_show_in_the_view_and_change_nothing(llm_server, view_of) -> None:
    llm_server.responder = lambda body: Reply(json_content=BRIDGE_AND_PRUNE)
    s, view = view_of(THREE)
    send(view, type="weave")
    assert send(view, type="weave_apply", ops=[])["message"]["text"].startswith("No operation is ticked")
    # a fact typed with Island: the prune would remove a class the knowledge graph uses
    s.accept_anyway(TripleCandidate("atlantis", "isA", "Island"))
    before = s.ontology.triples()
    w = send(view, type="weave_apply", ops=[2])
    assert w["status"] == "proposed" and w["message"]["kind"] == "error" and "typed with Island" in w["message"]["text"]
    again = send(view, type="weave_apply", ops=[2])  # the same refusal twice is still an answer
    assert again["message"] == w["message"] and again["answer"] == w["answer"] + 1
    # the ontology changed since the proposal: refused, and the view says so with the next step
    s.add_ontology_turtle(":Festival a owl:Class ; rdfs:subClassOf :Work .")
    view._on_msg(view, {"type": "refresh"}, [])
    assert view.weave["stale"] is True
    w = send(view, type="weave_apply", ops=[1])
    assert "changed since this proposal" in w["message"]["text"] and "Propose weaving" in w["message"]["text"]
    assert s.ontology.get_class("FilmWorld") is None and s.history[-1].kind != "weave"
    assert before <= s.ontology.triples()


def test_a_single_rooted_tree_asks_no_model(llm_server, view_of) -> None:
    llm_server.responder = lambda body: pytest.fail("the view asked a model about a single cluster")
    s, view = view_of(TREE)
    assert view.data["counts"]["clusters"] == 1
    w = send(view, type="weave")
    assert llm_server.calls == 0 and w["status"] == "single" and w["ops"] == []
    assert w["message"]["text"] == "One cluster: nothing to weave."


def test_an_unreachable_model_shows_the_error_and_the_next_step(llm_server, view_of) -> None:
    llm_server.responder = lambda body: Reply(status=500, error="the model server is down")
    s, view = view_of(TWO)
    before = s.ontology.triples()
    w = send(view, type="weave")
    assert llm_server.calls >= 1 and w["status"] == "error" and w["message"]["kind"] == "error"
    assert "did not answer" in w["message"]["text"] and "propose again" in w["message"]["text"]
    assert s.ontology.triples() == before


def test_the_offline_engine_cannot_weave_and_the_view_says_which_model_to_name(tmp_path) -> None:
    s = Session("wv", SessionConfig(journal_dir=None, retry=FAST))
    load(s, TWO, tmp_path)
    view = views.OntologyView(s)  # the session's engine: the offline rules
    w = send(view, type="weave")
    assert w["status"] == "none" and w["message"]["kind"] == "error"
    assert "needs a model engine" in w["message"]["text"] and "model box" in w["message"]["text"]
    w = send(view, type="weave_apply", ops=[1])
    assert "Click 'Propose weaving' first" in w["message"]["text"]
