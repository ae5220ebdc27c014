"""The graph explorer can be read, and follows its session.

Relation names on the edges, the selected node's facts by relation with their
evidence (sentence, source, "not verified" for flagged facts), the data of the
class and relation filters, merging from the node panel, and one session event
after every change and undo that keeps the view in step with the session
(issue "The front door": after ``%hydra undo`` the header said 0 facts while
the drawing still showed 5 entities and 4 links).
"""

from __future__ import annotations

import gc
import json
import re
import warnings
from typing import Any

import pytest
from rdflib import RDF, Literal

from hydra_magic import graph_state, views
from hydra_magic.candidates import TripleCandidate
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig, SessionEvent, SessionListenerWarning

from .conftest import FakeEngine

CQS = "Which films did a director direct?\nIn which year was a film released?"
TEXT = ("Alien was directed by Ridley Scott in 1979. Blade Runner was directed by Ridley Scott in 1982. "
        "Heat was directed by Michael Mann in 1995. Gladiator was directed by Scott.")
#: Said in the text: Ridley Scott is a person (a stated, verified typing, unlike the inferred ones).
STATED = Evidence("bio", sentence="Ridley Scott is a British director.", engine="test")


def film_session(**config: Any) -> Session:
    config.setdefault("journal_dir", None)
    s = Session("explorer", SessionConfig(**config), engine=FakeEngine())
    s.add_cqs(CQS)
    s.extract(TEXT, source="films")
    person = s.ontology.get_class("Person").iri
    s.apply_change(_change("bio", [Fact(s.kg.entity_iri("ridley_scott"), RDF.type, person, STATED)]))
    return s


def _change(summary: str, facts: list[Fact]) -> Any:
    from hydra_magic.session import Change

    return Change("test", summary, facts_added=facts)


def node_id(ex: Any, label: str) -> int:
    return next(n["id"] for n in ex.data["nodes"] if n["label"] == label)


def assert_matches_session(ex: Any, s: Session) -> None:
    """The explorer's totals, nodes and links are those of the session's KG right now."""
    d = ex.data
    entities = set(map(str, s.kg.entities()))
    links = {(f.subject, f.predicate, f.object) for f in s.kg
             if f.predicate != RDF.type and not isinstance(f.object, Literal)}
    assert d["totals"] == {"nodes": len(entities), "edges": len(links), "facts": len(s.kg)}
    assert d["revision"] == s.kg.revision
    assert {n["iri"] for n in d["nodes"]} <= entities
    iri = {n["id"]: n["iri"] for n in d["nodes"]}
    drawn = {(iri[e["s"]], e["p"], iri[e["t"]]) for e in d["edges"]}
    assert drawn <= {(str(a), str(p).rsplit("#", 1)[1], str(b)) for a, p, b in links}
    assert sum(r["total"] for r in d["relations"]) == len(links)


# --------------------------------------------------------------------------- readable
def test_edges_carry_their_relation_and_the_state_lists_relations_and_classes() -> None:
    s = film_session()
    ex = views.GraphExplorer(s)
    d = ex.data
    labels = {n["id"]: n["label"] for n in d["nodes"]}
    edges = {(labels[e["s"]], e["p"], labels[e["t"]]) for e in d["edges"]}
    assert ("Alien", "directedBy", "Ridley Scott") in edges and ("Heat", "directedBy", "Michael Mann") in edges
    assert d["relations"] == [{"name": "directedBy", "total": 4, "shown": 4}]
    legend = {c["key"]: (c["shown"], c["total"]) for c in d["legend"]}
    assert legend == {"Film": (4, 4), "Person": (3, 3)}
    assert all(c["color"].startswith("#") for c in d["legend"])
    json.dumps(d)
    # the saved notebook's picture writes the relations on its edges too
    page = views.render_html(views.graph(s))
    assert len(re.findall(r">(?:← )?directedBy(?: [→↓↑])?</text>", page)) == 4
    assert "relations: directedBy" in page


def test_the_selected_node_lists_its_facts_by_relation_with_evidence() -> None:
    s = film_session()
    ex = views.GraphExplorer(s)
    ex.handle({"type": "select", "id": node_id(ex, "Ridley Scott")})
    sel = ex.data["selected"]
    assert sel["label"] == "Ridley Scott" and sel["fact_count"] == 4 and sel["degree"] == 2
    groups = {(g["dir"], g["rel"]): g for g in sel["facts"]}
    assert list(groups) == [("type", "type"), ("in", "directedBy")]
    typing = groups[("type", "type")]["facts"]
    stated = next(f for f in typing if f["source"] == "bio")
    assert stated == {"text": "Person", "other": None, "sentence": "Ridley Scott is a British director.",
                      "source": "bio", "flags": [], "basis": "", "user": False}
    inferred = next(f for f in typing if f["source"] == "films")
    assert inferred["flags"] == ["type_inferred"] and inferred["basis"]  # shown "not verified (type_inferred)"
    films = groups[("in", "directedBy")]
    assert films["count"] == 2 and films["more"] == 0
    alien = next(f for f in films["facts"] if f["text"] == "Alien")
    assert alien["sentence"] == "Alien was directed by Ridley Scott in 1979." and alien["source"] == "films"
    assert alien["other"] == node_id(ex, "Alien")  # a click on it shows that node
    # a film lists its outgoing relation and its literal value, each with its evidence
    ex.handle({"type": "expand", "id": node_id(ex, "Alien")})
    groups = {(g["dir"], g["rel"]): g for g in ex.data["selected"]["facts"]}
    assert [f["text"] for f in groups[("out", "directedBy")]["facts"]] == ["Ridley Scott"]
    assert groups[("value", "releaseYear")]["facts"][0]["text"] == "1979"
    assert ex.data["selected"]["values"] == [["releaseYear", "1979"]]


def test_a_hub_panel_is_capped_and_counts_every_fact() -> None:
    s = Session("hub", SessionConfig(journal_dir=None), engine=FakeEngine())
    s.add_cqs(CQS)
    directed = s.ontology.get_property("directedBy").iri
    E = s.kg.entity_iri
    s.kg.add([Fact(E(f"film_{i}"), directed, E("hub"), Evidence("x", sentence=f"s{i}" * 500)) for i in range(200)])
    ex = views.GraphExplorer(s, initial=1)
    ex.handle({"type": "select", "id": node_id(ex, "hub")})
    (group,) = ex.data["selected"]["facts"]
    assert group["count"] == 200 and len(group["facts"]) == views.FACTS_PER_RELATION
    assert group["more"] == 200 - views.FACTS_PER_RELATION
    assert all(len(f["sentence"]) <= views.SENTENCE_CAP for f in group["facts"])


# --------------------------------------------------------------------------- in step with the session
def test_issue_after_undo_the_header_and_the_drawing_agree() -> None:
    """Regression: after %hydra undo the header said "0 facts" while 5 entities and 4 links were still drawn."""
    s = Session("undo", SessionConfig(journal_dir=None), engine=FakeEngine())
    s.add_cqs(CQS)
    s.extract(TEXT, source="films")
    ex = views.GraphExplorer(s)
    assert len(ex.data["nodes"]) == 7 and len(ex.data["edges"]) == 4
    s.undo()  # no refresh: the session's event updates the view
    assert ex.data["totals"] == {"nodes": 0, "edges": 0, "facts": 0}
    assert ex.data["nodes"] == [] and ex.data["edges"] == [] and ex.data["relations"] == []
    s.undo()  # the CQs: nothing in the graph changes, the view stays right
    assert_matches_session(ex, s)


def test_accept_remove_undo_and_rerun_keep_the_view_in_step() -> None:
    s = film_session()
    ex = views.GraphExplorer(s)
    ridley = node_id(ex, "Ridley Scott")
    ex.handle({"type": "expand", "id": ridley})
    # re-run the cell with one more sentence, then accept a candidate anyway
    result = s.extract(TEXT + " Sigourney Weaver starred in Alien.", source="films")
    assert_matches_session(ex, s)
    n = ex.data["totals"]["facts"]
    assert [r.checked.candidate.predicate for r in result.rejected] == ["starredIn"]
    s.accept_anyway(TripleCandidate("scott", "directedBy", "michael_mann", "Scott", "Michael Mann"), source="films")
    assert ex.data["totals"]["facts"] == n + 1
    assert_matches_session(ex, s)
    assert ex.data["selected"]["label"] == "Ridley Scott"  # what the user had selected stays
    # remove
    fact = next(f for f in s.kg if f.subject == s.kg.entity_iri("alien") and f.predicate != RDF.type
                and not isinstance(f.object, Literal))
    s.remove_fact(fact)
    assert ex.data["totals"]["facts"] == n and "Alien" not in {
        f["text"] for g in ex.data["selected"]["facts"] for f in g["facts"]}
    assert_matches_session(ex, s)
    # undo, twice
    s.undo()
    s.undo()
    assert ex.data["totals"]["facts"] == n
    assert_matches_session(ex, s)
    # re-run the cell with other text: the view shows the new graph
    s.extract("Heat was directed by Michael Mann in 1995.", source="films")
    assert_matches_session(ex, s)
    assert "Alien" not in {nd["label"] for nd in ex.data["nodes"]}


def test_the_view_keeps_the_nodes_the_user_had_on_screen() -> None:
    s = film_session()
    ex = views.GraphExplorer(s, initial=1)
    assert [nd["label"] for nd in ex.data["nodes"]] == ["Ridley Scott"]
    ex.handle({"type": "expand", "id": node_id(ex, "Ridley Scott")})
    shown = {nd["iri"] for nd in ex.data["nodes"]}
    assert len(shown) == 3  # Ridley Scott, Alien, Blade Runner
    s.extract("Ronin was directed by John Frankenheimer in 1998.", source="other")  # elsewhere in the graph
    assert ex.data["totals"]["nodes"] == 9
    assert {nd["iri"] for nd in ex.data["nodes"]} == shown  # the user's view stays as it was
    assert ex.data["selected"]["label"] == "Ridley Scott"
    assert_matches_session(ex, s)
    # an untouched view opens afresh on the best-connected entities
    fresh = views.GraphExplorer(s, initial=1)
    s.undo()
    assert [nd["label"] for nd in fresh.data["nodes"]] == ["Ridley Scott"]


# --------------------------------------------------------------------------- merge from the node panel
def test_merge_into_from_the_node_panel() -> None:
    s = film_session()
    ex = views.GraphExplorer(s)
    scott = node_id(ex, "Scott")
    bad = ex.merge(scott, "Nobody")
    assert bad["kind"] == "error" and "There is no entity 'Nobody'" in bad["text"]
    assert ex.data["notice"] == bad and len(s.history) == 3
    ex.handle({"type": "merge", "id": scott, "into": "ridley scott"})
    assert ex.data["notice"]["kind"] == "ok" and "Merged 'Scott' into 'Ridley Scott'" in ex.data["notice"]["text"]
    assert s.history[-1].kind == "merge"
    sel = ex.data["selected"]
    assert sel["label"] == "Ridley Scott" and sel["alt_labels"] == ["Scott"]
    assert "Scott" not in {nd["label"] for nd in ex.data["nodes"]}
    films = next(g for g in sel["facts"] if g["rel"] == "directedBy")
    assert {f["text"] for f in films["facts"]} == {"Alien", "Blade Runner", "Gladiator"}
    assert_matches_session(ex, s)
    ex.handle({"type": "search", "q": "scott"})  # the old name still finds the entity
    assert [r["label"] for r in ex.search_results] == ["Ridley Scott"]
    s.undo()
    assert ex.data["totals"]["nodes"] == 7 and ex.data["selected"]["alt_labels"] == []
    assert_matches_session(ex, s)


# --------------------------------------------------------------------------- the event itself
def test_subscribe_hears_every_change_and_undo_once() -> None:
    s = film_session()
    events: list[SessionEvent] = []
    unsubscribe = s.subscribe(events.append)
    s.merge("Scott", "Ridley Scott")
    s.undo()
    s.reset()
    assert [(e.kind, e.undone) for e in events] == [("merge", ""), ("undo", "merge"), ("reset", "")]
    assert events[1].summary == "Undid: merged 'Scott' into 'Ridley Scott'"
    unsubscribe()
    unsubscribe()  # twice is harmless
    s.undo()
    assert len(events) == 3


def test_a_listener_that_raises_does_not_break_the_change(tmp_path: Any) -> None:
    s = film_session(journal_dir=str(tmp_path))
    heard: list[str] = []

    def broken(event: SessionEvent) -> None:
        raise RuntimeError("view went away")

    s.subscribe(broken)
    s.subscribe(lambda e: heard.append(e.kind))
    n = len(s.kg)
    with pytest.warns(SessionListenerWarning, match=r"failed after 'merge'.*RuntimeError: view went away.*"
                                                    r"The change itself is kept"):
        s.merge("Scott", "Ridley Scott")
    assert heard == ["merge"]  # the other listeners still ran
    # applied, not rolled back: one duplicate typing dropped, one alternative label added
    assert s.history[-1].kind == "merge" and len(s.kg) == n and s.kg.find_entities("Scott") == [
        s.kg.entity_iri("ridley_scott")]
    with pytest.warns(SessionListenerWarning, match="failed after 'undo'"):
        s.undo()
    assert len(s.kg) == n
    s.close()
    reopened = Session("explorer", SessionConfig(journal_dir=str(tmp_path)), engine=FakeEngine())
    # the merge and its undo are both on disk
    assert len(reopened.kg) == n and reopened.history[-1].kind != "merge" and reopened.log[-1]["event"] == "undo"


def test_views_are_held_weakly_and_unsubscribe_when_closed() -> None:
    s = film_session()
    ex = views.GraphExplorer(s)
    assert len(s._listeners) == 1
    ex.close()
    assert s._listeners == []
    data = ex.data
    s.undo()  # a closed view is not rebuilt
    assert ex.data is data

    class View:  # any object whose bound method listens: the session does not keep it alive
        def __init__(self) -> None:
            self.heard: list[str] = []

        def on_event(self, event: SessionEvent) -> None:
            self.heard.append(event.kind)

    view = View()
    s.subscribe(view.on_event)
    s.merge("Scott", "Ridley Scott")
    assert view.heard == ["merge"]
    del view
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s.undo()  # the dead listener is dropped, no warning
    assert s._listeners == []


def test_explorers_of_one_session_share_one_index_per_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """Explorers left open in earlier cells cost one index rebuild per change, not one each."""
    s = film_session()
    built: list[int] = []

    class Counting(views.GraphIndex):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(graph_state, "GraphIndex", Counting)  # the one graph_index builds
    explorers = [views.GraphExplorer(s) for _ in range(3)] + [views.widget_for(views.graph(s))]
    assert len(built) == 1
    s.merge("Scott", "Ridley Scott")
    assert len(built) == 2
    for ex in explorers:
        assert_matches_session(ex, s)
        assert ex.model.index is explorers[0].model.index
    s.ontology.add_class("Studio", parent=s.ontology.get_class("Thing").iri)  # the ontology names the nodes
    assert views.graph_index(s) is not explorers[0].model.index and len(built) == 3
