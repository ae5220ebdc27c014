"""The graph explorer on a stored session asks the store, and shows what the memory index shows.

The same steps run on a session in memory and on one in a store (on disk, on Oxigraph's server
and on Virtuoso: ``any_twins`` of ``test_stored_kg``); the explorer's index of each is compared
entity by entity, by IRI (node ids are handed out in a different order): degree, neighbours,
class, the node panel, search, class and relation sizes, totals, and the view after opening and
after an expansion. Opening the explorer on a stored session never reads every fact.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import RDF, SKOS, Literal, URIRef

from hydra_magic import graph_state, views
from hydra_magic.changes import Change
from hydra_magic.display import GraphDisplay
from hydra_magic.graph_state import ExplorerModel, GraphIndex, StoredGraphIndex, graph_index
from hydra_magic.kg import Evidence, Fact
from hydra_magic.store.explorer_index import nameable, sparql_string
from hydra_magic.store.stored_kg import StoredKnowledgeGraph
from tests.test_session_stores import oxigraph, virtuoso  # noqa: F401 - the servers, as fixtures
from tests.test_stored_kg import any_twins, twins  # noqa: F401 - the twin sessions, as fixtures

QUERIES = ["ridley", 'sir "', "R", "film 0", "nostromo", "blade runner", "alien", "scott", "film", "1979", "_",
           '"', "\\", 'x"y\\\nz', "}", "'"]


def _more(s: Any) -> None:
    """What the twins' steps lack: values, an alt label with quotes, a triple from two sources, two types,
    a node without links, a loop, a node with more facts of a relation than the panel lists."""
    e, o = s.kg.entity_iri, "http://example.org/hydra/ontology#"
    onto = {c.name: c.iri for c in s.ontology.classes.values()}
    directs, knows, year = URIRef(o + "directs"), URIRef(o + "knows"), URIRef(o + "releaseYear")

    def ev(src: str) -> Evidence:
        return Evidence(src, sentence=f"Said in {src}.", engine="test")

    facts = [Fact(e("alien"), year, Literal("1979"), ev("more")),
             Fact(e("ridley_scott"), SKOS.altLabel, Literal('Sir "Ridley" \\ Scott'), ev("more")),
             Fact(e("ridley_scott"), RDF.type, onto["Actor"], ev("more")),
             Fact(e("ridley_scott"), directs, e("blade_runner"), ev("more")),  # also said by cell-2
             Fact(e("ridley_scott"), knows, e("ridley_scott"), ev("more")),
             Fact(e("nostromo"), RDF.type, onto["Film"], ev("more"))]
    facts += [Fact(e("ridley_scott"), directs, e(f"film_{k:02d}"), ev("more")) for k in range(15)]
    facts += [Fact(e(f"film_{k:02d}"), year, Literal(str(1980 + k)), ev("more")) for k in range(15)]
    s.apply_change(Change("test", "more", facts_added=facts))


def _groups(index: GraphIndex, groups: list[dict[str, Any]]) -> list[Any]:
    out = []
    for g in groups:
        facts = sorted((f["text"], None if f["other"] is None else str(index.entities[f["other"]]), f["sentence"],
                        f["source"], tuple(f["flags"]), f["basis"], f["user"]) for f in g["facts"])
        out.append((g["dir"], g["rel"], g["count"], g["more"], facts if g["more"] == 0 else len(facts)))
    return out


def _node(index: GraphIndex, e: URIRef) -> dict[str, Any]:
    i = index.ids[e]
    d = index.details(i)
    nb = index.neighbours(i)
    return {
        "node": {k: v for k, v in index.node(i).items() if k != "id"}, "degree": index.degree(i),
        "neighbours": {str(index.entities[j]) for j in nb},
        "neighbour_order": [(index.degree(j), index.node(j)["label"]) for j in nb],
        "details": {k: (_groups(index, v) if k == "facts" else v) for k, v in d.items() if k != "id"},
    }


def _index(index: GraphIndex, entities: list[URIRef]) -> dict[str, Any]:
    def found(ids: list[int]) -> Any:
        return [index.node(i)["label"] for i in ids], {str(index.entities[i]) for i in ids}

    return {
        "len": len(index), "edges": index.edge_count, "facts": index.fact_count,
        "revision": index.revision == index.kg.revision,
        "class_sizes": dict(index.class_sizes), "relations": index.relations,
        "colors": set(index.colors.values()) <= set(graph_state.PALETTE) | {graph_state.UNTYPED_COLOR},
        "nodes": {str(e): _node(index, e) for e in entities},
        "search": {q: found(index.search(q)) for q in QUERIES},
        "top": found(index.top(5)),
    }


def _view(model: ExplorerModel) -> dict[str, Any]:
    st = model.state()
    iri = {n["id"]: n["iri"] for n in st["nodes"]}
    sel = st["selected"]
    return {
        "nodes": {(n["iri"], n["label"], n["cls"], n["degree"], n.get("more")) for n in st["nodes"]},
        "edges": {(iri[e["s"]], e["p"], iri[e["t"]]) for e in st["edges"]},
        "legend": sorted((c["cls"], c["shown"], c["total"]) for c in st["legend"]),
        "relations": st["relations"], "totals": st["totals"],
        "message": st["message"], "selected": None if sel is None else sel["iri"],
    }


def _same_explorer(mem: Any, stored: Any) -> None:
    a, b = graph_index(mem), graph_index(stored)
    assert type(a) is GraphIndex and isinstance(b, StoredGraphIndex)
    entities = sorted(a.entities)
    assert len(entities) > 5 and a.edge_count > 0
    assert _index(b, entities) == _index(a, entities)
    # ids: a node the store holds is found, anything else is not
    assert URIRef("http://example.org/nothing") not in b.ids and b.ids.get(URIRef("http://x/a b")) is None
    assert all(e in b.ids and b.entities[b.ids[e]] == e for e in entities)
    ma, mb = ExplorerModel(a, initial=6, cap=3), ExplorerModel(b, initial=6, cap=3)
    assert _view(mb) == _view(ma)
    hub = max(entities, key=lambda e: (a.degree(a.ids[e]), str(e)))
    ma.expand(a.ids[hub])
    mb.expand(b.ids[hub])
    assert _view(mb) == _view(ma)
    ma.expand(a.ids[hub])  # the next batch ("N more")
    mb.expand(b.ids[hub])
    assert _view(mb) == _view(ma)
    full_a, full_b = ExplorerModel(a), ExplorerModel(b)  # the explorer's own caps
    assert _view(full_b) == _view(full_a)
    assert [b.labels[b.ids[e]] for e in entities] == [a.labels[a.ids[e]] for e in entities]
    assert GraphDisplay(stored).to_text() == GraphDisplay(mem).to_text()  # what %hydra graph prints


def test_the_store_index_answers_what_the_memory_index_answers(any_twins: Any) -> None:  # noqa: F811
    mem, stored, _ = any_twins
    assert isinstance(stored.kg, StoredKnowledgeGraph)
    _same_explorer(mem, stored)
    for s in (mem, stored):
        _more(s)
    _same_explorer(mem, stored)


def test_after_a_change_the_view_follows_in_both(twins: Any) -> None:  # noqa: F811
    mem, stored, _ = twins
    models = [ExplorerModel(graph_index(s), initial=4, cap=2) for s in (mem, stored)]
    for s, m in zip((mem, stored), models):
        hub = next(n["iri"] for n in sorted(m.state()["nodes"], key=lambda n: (-n["degree"], n["iri"])))
        m.expand(m.index.ids[URIRef(hub)])
    assert _view(models[1]) == _view(models[0])
    for s in (mem, stored):
        s.extract("Ridley Scott directed Prometheus. Noomi Rapace starred in Prometheus.", source="cell-9")
    for s, m in zip((mem, stored), models):
        m.rebuild(graph_index(s))
    assert _view(models[1]) == _view(models[0])
    _same_explorer(mem, stored)
    for s, m in zip((mem, stored), models):
        s.undo()
        m.rebuild(graph_index(s))
    assert _view(models[1]) == _view(models[0])


def test_opening_the_explorer_on_a_stored_session_reads_no_fact_in_bulk(twins: Any,  # noqa: F811
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _, stored, _ = twins

    def whole_graph(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the explorer read every fact of the stored session")

    for name in ("index_facts", "__iter__", "entities", "facts", "labels", "alt_labels"):
        monkeypatch.setattr(StoredKnowledgeGraph, name, whole_graph)
    ex = views.GraphExplorer(stored)
    assert isinstance(ex.model.index, StoredGraphIndex)
    d = ex.data
    assert d["nodes"] and d["totals"]["facts"] == len(stored.kg)
    m = ex.model
    i = m.index.search("ridley")[0]
    m.focus(i)
    assert m.selected is not None and m.selected["facts"]
    assert any(g["dir"] == "out" and g["facts"][0]["sentence"] for g in m.selected["facts"])
    assert views.GraphExplorer(stored).data["nodes"]  # a second explorer shares the index
    with pytest.raises(KeyError):  # an id not handed out (yet)
        m.expand(len(m.index.entities))


def test_search_text_is_a_string_in_the_query_and_nothing_else() -> None:
    assert sparql_string('a"b') == '"a\\"b"'
    assert sparql_string("\\") == '"\\\\"'
    assert sparql_string('x\n") } ; DROP ALL #') == '"x\\n\\") } ; DROP ALL #"'
    assert nameable(URIRef("http://example.org/a_b")) and not nameable(URIRef("http://example.org/a> <b"))


def test_merging_from_the_node_panel_of_a_stored_session(tmp_path: Any) -> None:
    from tests.test_explorer import film_session, node_id

    views_of = []
    for s in (film_session(), film_session(journal_dir=str(tmp_path))):
        ex = views.GraphExplorer(s)
        ex.handle({"type": "merge", "id": node_id(ex, "Scott"), "into": "ridley scott"})
        assert ex.data["notice"]["kind"] == "ok" and ex.data["selected"]["alt_labels"] == ["Scott"]
        ex.handle({"type": "search", "q": "scott"})  # the old name still finds the entity
        assert [r["label"] for r in ex.search_results] == ["Ridley Scott"]
        views_of.append((type(ex.model.index), _view(ex.model)))
        s.close()
    (mem_type, mem), (disk_type, disk) = views_of
    assert mem_type is GraphIndex and disk_type is StoredGraphIndex
    assert disk == mem
