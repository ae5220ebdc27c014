"""Verification inside the session's store reports what the same session in memory reports.

A stored session's check asks the store for the nodes that may have an issue (SPARQL) and runs the
per-node checks on their facts only (``hydra_magic.verify.store_scope``). These tests drive the same
random edits through a session in memory and one in an on-disk store and compare every finding, its
message and its evidence, after full and incremental runs.
"""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hydra_magic.candidates import TripleCandidate
from hydra_magic.errors import InputError
from hydra_magic.session import Session, SessionConfig
from hydra_magic.verify import run
from tests.test_stored_kg import _facts_graph_and_sources

from .verify_fixtures import film_session

ENTITIES = ["a", "b", "c"]
CLASSES = ["Film", "Person", "Director", "Place", "Thing", "Planet"]
OBJECT_PROPS = ["directedBy", "knows", "partOf", "spouse", "inventedProp"]
DATA_PROPS = ["releaseYear", "birthYear", "deathYear", "age", "isbn"]
VALUES = ["1", "5", "200", "x", "1979"]
SOURCES = ["s1", "s2"]

accept_type = st.tuples(st.just("type"), st.sampled_from(ENTITIES), st.sampled_from(CLASSES), st.sampled_from(SOURCES))
accept_link = st.tuples(st.just("link"), st.sampled_from(ENTITIES), st.sampled_from(OBJECT_PROPS),
                        st.sampled_from(ENTITIES), st.sampled_from(SOURCES))
accept_value = st.tuples(st.just("value"), st.sampled_from(ENTITIES), st.sampled_from(DATA_PROPS),
                         st.sampled_from(VALUES), st.sampled_from(SOURCES))
remove = st.tuples(st.just("remove"), st.integers(0, 1000))
undo = st.tuples(st.just("undo"))
verify = st.tuples(st.just("verify"))
OPS = st.lists(st.one_of(accept_type, accept_link, accept_value, remove, undo, verify, verify), min_size=1,
               max_size=20)


def _view(report: Any) -> list[Any]:
    """Every finding as users see it: code, severity, where, the message, and the evidence it cites."""
    return sorted((i.code, i.severity, i.path, i.message, str(i.data.get("focus", "")),
                   sorted((e["source"], e["sentence"]) for e in i.data.get("evidence", [])))
                  for i in report.issues)


def _same(report: Any, want: Any) -> None:
    assert _view(report) == _view(want)
    assert report.checked["type_inferred"] == want.checked["type_inferred"]


def _apply(s: Session, op: tuple[Any, ...], pick: Any = None) -> None:
    kind = op[0]
    if kind in ("type", "link", "value"):
        pred = "isA" if kind == "type" else op[2]
        try:
            s.accept_anyway(TripleCandidate(op[1], pred, op[-2]), source=op[-1])
        except InputError:  # the session refuses a triple the graph already has
            pass
    elif kind == "remove" and pick is not None:
        s.remove_fact(next(f for f in s.kg.facts() if (f.source, f.key) == pick))
    elif kind == "undo":
        s.undo()


def _pick(s: Session, i: int) -> Any:
    facts = sorted(((f.source, f.key) for f in s.kg.facts()), key=str)
    return facts[i % len(facts)] if facts else None


def _sessions(where: str) -> tuple[Session, Session]:
    rules = "0 <= age <= 150\nbirthYear < deathYear"
    mem = film_session()
    disk = film_session(SessionConfig(journal_dir=where), name="in-store")
    for s in (mem, disk):
        s.add_rules(rules)
        film = s.ontology.ns["Film"]
        s.ontology.add_property("mentions", "object", [film], [])  # an object property without a range
    return mem, disk


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_a_stored_session_finds_what_memory_finds(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as where:
        mem, disk = _sessions(where)
        try:
            run(disk)
            for op in ops:
                pick = _pick(mem, op[1]) if op[0] == "remove" else None
                for s in (mem, disk):
                    _apply(s, op, pick)
                if op[0] != "verify":
                    continue
                want = run(mem, full=True)
                inc = run(disk)
                assert inc.mode == "incremental"
                _same(inc, want)
            want = run(mem, full=True)
            _same(run(disk), want)
            full = run(disk, full=True)
            assert full.mode == "full"
            _same(full, want)
            held, sources = _facts_graph_and_sources(disk)  # what CQ tests and %%sparql query in the store
            assert held == sources
        finally:
            disk.close()


def test_the_store_is_asked_for_suspects_not_read_whole(tmp_path: Any, monkeypatch: Any) -> None:
    """A full check reads the facts around the suspects only: never every fact of the graph."""
    from hydra_magic.store.stored_kg import StoredKnowledgeGraph

    mem, disk = _sessions(str(tmp_path))
    try:
        for s in (mem, disk):
            for i in range(30):  # clean facts: typed films with a year each
                s.accept_anyway(TripleCandidate(f"film_{i}", "isA", "Film"), source=f"doc{i}")
                s.accept_anyway(TripleCandidate(f"film_{i}", "releaseYear", str(1950 + i)), source=f"doc{i}")
            s.accept_anyway(TripleCandidate("film_3", "releaseYear", "soon"), source="bad")  # one bad value

        def whole(self: Any) -> Any:
            raise AssertionError("the whole graph was read")

        monkeypatch.setattr(StoredKnowledgeGraph, "index_facts", whole)
        monkeypatch.setattr(StoredKnowledgeGraph, "__iter__", whole)
        read: list[int] = []
        real = StoredKnowledgeGraph.facts_touching

        def counting(self: Any, nodes: Any, batch: int = 400) -> Any:
            out = real(self, nodes, batch)
            read.append(len(out))
            return out

        monkeypatch.setattr(StoredKnowledgeGraph, "facts_touching", counting)
        want = run(mem, full=True, cqs=False)
        got = run(disk, full=True, cqs=False)
        _same(got, want)
        assert any(i.code == "literal_datatype_mismatch" for i in got.issues)
        assert read and sum(read) < len(disk.kg) // 4, read  # film_3's facts, not the 61 in the graph
        assert got.checked["triples"] == len(disk.kg) == 61
    finally:
        disk.close()


# Each scenario is clean but for one finding, so that only one of the store's narrowing queries can find
# its node: dropping or narrowing any query fails its scenario. (subject, predicate, object, flags); ":x"
# is an ontology term, "a" rdf:type, a quoted value a literal, anything else an entity.
_TYPED = [("f1", "a", ":Film", ()), ("f2", "a", ":Film", ()), ("p1", "a", ":Person", ()),
          ("p2", "a", ":Director", ()), ("pl1", "a", ":Place", ()), ("pl2", "a", ":Place", ()),
          ("pl3", "a", ":Place", ())]
SCENARIOS = {
    "functional": [("f1", ":directedBy", "p1", ()), ("f1", ":directedBy", "p2", ())],
    "inverse_functional": [("f1", ":isbn", '"123"', ()), ("f2", ":isbn", '"123"', ())],
    "symmetric": [("p1", ":knows", "p2", ())],
    "irreflexive": [("p1", ":knows", "p1", ())],
    "asymmetric": [("pl1", ":partOf", "pl2", ()), ("pl2", ":partOf", "pl1", ())],
    "transitive": [("pl1", ":partOf", "pl2", ()), ("pl2", ":partOf", "pl3", ())],
    "disjoint": [("f1", "a", ":Person", ())],
    "disjoint_subclass": [("f1", "a", ":Director", ())],
    "domain": [("f1", ":birthYear", '"1950"', ())],
    "range": [("f1", ":directedBy", "f2", ())],
    "datatype": [("f1", ":releaseYear", '"soon"', ())],
    "string_datatype": [("f1", ":isbn", "x5", ())],  # a string range: an entity is no plainly fine value
    "rule": [("p1", ":age", '"200"', ())],
    "rule_two_props": [("p1", ":birthYear", '"1990"', ()), ("p1", ":deathYear", '"1950"', ())],
    "unknown_class": [("x1", "a", ":Planet", ())],
    "unknown_property": [("f1", ":inventedProp", "f2", ())],
    "untyped_subject": [("x1", ":releaseYear", '"1999"', ())],
    "untyped_object": [("f1", ":directedBy", "x2", ())],
    "untyped_object_no_range": [("f1", ":mentions", "x4", ())],
    "literal_object": [("f1", ":directedBy", '"Ridley Scott"', ())],
    "inferred_type": [("x3", "a", ":Person", ("type_inferred",)), ("f1", ":directedBy", "x3", ())],
}


def _fact(s: Session, row: tuple[Any, ...], source: str) -> Any:
    from rdflib import RDF, Literal

    from hydra_magic.kg import Evidence, Fact

    def term(x: str) -> Any:
        if x == "a":
            return RDF.type
        if x.startswith(":"):
            return s.ontology.ns[x[1:]]
        if x.startswith('"'):
            return Literal(x.strip('"'))
        return s.kg.entity_iri(x)

    sub, pred, obj, flags = row
    ev = Evidence(source, sentence=f"{sub} {pred} {obj}.", flags=tuple(flags),
                  basis="inferred from a relation" if flags else "")
    return Fact(term(sub), term(pred), term(obj), ev)


def test_each_narrowing_query_finds_its_finding(tmp_path: Any) -> None:
    from hydra_magic.changes import Change

    mem, disk = _sessions(str(tmp_path))
    try:
        for s in (mem, disk):
            s.apply_change(Change("import", "typed entities", facts_added=[_fact(s, r, "base") for r in _TYPED]))
        clean = run(mem, full=True, cqs=False)
        _same(run(disk, full=True, cqs=False), clean)
        for name, rows in SCENARIOS.items():
            for s in (mem, disk):
                s.apply_change(Change("import", name, facts_added=[_fact(s, r, name) for r in rows]))
            want = run(mem, full=True, cqs=False)
            assert _view(want) != _view(clean), name  # the scenario has a finding of its own
            _same(run(disk, full=True, cqs=False), want)
            for s in (mem, disk):
                s.undo()
    finally:
        disk.close()


def test_a_store_that_fails_mid_check_loses_no_change(tmp_path: Any, monkeypatch: Any) -> None:
    """A read that fails during an incremental check (a server gone away) raises, and the next check still
    sees the changes it was reading; a failure reading the findings' sentences leaves no finding without its
    sentence behind."""
    from hydra_magic.errors import JournalError
    from hydra_magic.store.stored_kg import StoredKnowledgeGraph

    mem, disk = _sessions(str(tmp_path))
    try:
        for s in (mem, disk):
            s.accept_anyway(TripleCandidate("f1", "isA", "Film"), source="s1")
        run(disk)

        def gone(*args: Any, **kwargs: Any) -> Any:
            raise JournalError("The store at http://127.0.0.1:1/query did not answer.")

        for s in (mem, disk):
            s.accept_anyway(TripleCandidate("f1", "releaseYear", "soon"), source="s2")
        with monkeypatch.context() as m:
            m.setattr(StoredKnowledgeGraph, "facts_touching", gone)
            with pytest.raises(JournalError, match="did not answer"):
                run(disk)
        again = run(disk)
        assert again.mode == "incremental"
        _same(again, run(mem, full=True))
        assert any(i.code == "literal_datatype_mismatch" for i in again.issues)

        for s in (mem, disk):
            s.accept_anyway(TripleCandidate("p1", "age", "200"), source="s3")
        with monkeypatch.context() as m:
            m.setattr(StoredKnowledgeGraph, "sentences", gone)
            with pytest.raises(JournalError, match="did not answer"):
                run(disk)
        assert disk.verify_state is None
        _same(run(disk), run(mem, full=True))  # every finding with its sentence
    finally:
        disk.close()
