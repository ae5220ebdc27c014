"""Incremental verification agrees with a full check on random edit sequences (hypothesis)."""

from __future__ import annotations

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal

from hydra_magic.candidates import TripleCandidate
from hydra_magic.errors import InputError
from hydra_magic.kg import Evidence, Fact
from hydra_magic.verify import run
from hydra_magic.verify.index import key_of

from .verify_fixtures import film_session

ENTITIES = ["a", "b", "c", "d"]
CLASSES = ["Film", "Person", "Director", "Place", "Thing"]
OBJECT_PROPS = ["directedBy", "knows", "partOf"]
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
direct_add = st.tuples(st.just("direct_add"), st.sampled_from(ENTITIES), st.sampled_from(OBJECT_PROPS),
                       st.sampled_from(ENTITIES))
direct_remove = st.tuples(st.just("direct_remove"), st.integers(0, 1000))
verify = st.tuples(st.just("verify"))
OPS = st.lists(st.one_of(accept_type, accept_link, accept_value, remove, undo, direct_add, direct_remove, verify,
                         verify), min_size=1, max_size=25)


def _view(report):
    return sorted((i.code, i.severity, i.path, i.message, i.data.get("focus", "")) for i in report.issues)


def _apply(s, op):
    kind = op[0]
    if kind in ("type", "link", "value"):
        pred = "isA" if kind == "type" else op[2]
        try:
            s.accept_anyway(TripleCandidate(op[1], pred, op[-2]), source=op[-1])
        except InputError:  # the session refuses a triple the graph already has
            pass
    elif kind == "remove":
        facts = s.kg.facts()
        if facts:
            s.remove_fact(facts[op[1] % len(facts)])
    elif kind == "undo":
        s.undo()
    elif kind == "direct_add":
        onto = s.ontology
        s.kg.add([Fact(s.kg.entity_iri(op[1]), onto.get_property(op[2]).iri, s.kg.entity_iri(op[3]),
                       Evidence("direct"))])
    elif kind == "direct_remove":
        facts = s.kg.facts()
        if facts:
            s.kg.remove([facts[op[1] % len(facts)]])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_incremental_equals_full(ops):
    """Session edits (accept, remove, undo) in any order, verified at random points.

    Edits of ``session.kg`` that bypass the session are seen through the KG's
    size, so each one here is followed by a run: two direct edits that cancel
    out in size between runs are only seen with a KG change log (next test).
    """
    s = film_session()
    s.add_rules("0 <= age <= 150\nbirthYear < deathYear")
    run(s)
    for op in ops:
        _apply(s, op)
        if op[0] not in ("verify", "direct_add", "direct_remove"):
            continue
        inc = run(s)
        state = s.verify_state
        full = run(s, full=True)
        s.verify_state = state  # keep the incremental chain going
        assert inc.mode == "incremental"
        assert _view(inc) == _view(full)
    inc = run(s)
    state = s.verify_state
    assert _view(inc) == _view(run(s, full=True))
    # The index itself matches the KG.
    assert set(state.idx.triples()) == {key_of(f) for f in s.kg}


def test_incremental_rechecks_only_what_changed():
    s = film_session()
    for i in range(200):
        s.kg.add([Fact(s.kg.entity_iri(f"film_{i}"), s.ontology.ns.releaseYear, Literal("1979"), Evidence("bulk"))])
    s.accept_anyway(TripleCandidate("film_0", "isA", "Film"))
    first = run(s)
    assert first.mode == "full" and len(first.by_code("untyped_entity")) == 199
    s.accept_anyway(TripleCandidate("film_1", "isA", "Film"))
    second = run(s)
    assert second.mode == "incremental"
    assert second.checked["changed"] == 1 and second.checked["rechecked"] <= 2
    assert len(second.by_code("untyped_entity")) == 198
    s.undo()
    third = run(s)
    assert third.checked["changed"] == 1 and len(third.by_code("untyped_entity")) == 199


def test_ontology_change_triggers_a_full_run():
    s = film_session()
    s.accept_anyway(TripleCandidate("x", "isA", "Film"))
    run(s)
    s.ontology.add_class("Planet", parent=s.ontology.ns.Thing)
    assert run(s).mode == "full"


class LoggingKG:
    """The change log the verifier uses when the KG keeps one (``revision`` + ``changes_since``)."""

    def __init__(self, kg):
        self._kg, self.revision, self._log = kg, 0, []

    def __getattr__(self, name):
        return getattr(self._kg, name)

    def __iter__(self):
        return iter(self._kg)

    def __len__(self):
        return len(self._kg)

    def add(self, facts, labels=None):
        added = self._kg.add(facts, labels)
        self._log += [("add", f) for f in added]
        self.revision = len(self._log)
        return added

    def remove(self, facts):
        removed = self._kg.remove(facts)
        self._log += [("remove", f) for f in removed]
        self.revision = len(self._log)
        return removed

    def changes_since(self, revision):
        return self._log[revision:]


@pytest.mark.parametrize("wrapped", [True, False], ids=["wrapper-log", "session-kg-log"])
def test_balanced_direct_edits_are_seen_with_a_kg_change_log(wrapped):
    """Balanced direct edits of session.kg are seen through the KG's change log
    (revision + changes_since): a wrapper that keeps one, and the session's own KG."""
    s = film_session()
    if wrapped:
        s.kg = LoggingKG(s.kg)
    run(s)
    for op in [("type", "a", "Film", "s1"), ("verify",), ("direct_remove", 0), ("direct_add", "b", "knows", "c")]:
        _apply(s, op)
        if op[0] == "verify":
            run(s)
    inc = run(s)
    assert inc.mode == "incremental" and inc.checked["changed"] == 2
    assert _view(inc) == _view(run(s, full=True))


def test_kg_change_log_is_trimmed_and_says_so():
    from hydra_magic.kg import Evidence, Fact, KnowledgeGraph
    from rdflib import URIRef

    kg = KnowledgeGraph()
    kg.LOG_LIMIT = 10
    facts = [Fact(URIRef(f"urn:e{i}"), URIRef("urn:p"), URIRef("urn:o"), Evidence("s")) for i in range(30)]
    kg.add(facts[:5])
    assert [op for op, _ in kg.changes_since(0)] == ["add"] * 5
    kg.add(facts[5:])
    kg.remove(facts[:1])
    assert kg.revision == 31
    assert kg.changes_since(0) is None            # trimmed: the verifier falls back to a full check
    assert kg.changes_since(30) == [("remove", facts[0])]
