"""Merging two entities by hand: ``Session.merge`` and ``%hydra merge``.

"Weaver" and "Sigourney Weaver" are one person: the user merges them. The merge
is one undoable change, recorded in the log and the journal; the facts move with
their evidence, duplicates collapse onto the fact the survivor already had, and
the absorbed name stays as an alternative label (``skos:altLabel``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from rdflib import RDF, SKOS, Literal, URIRef

from hydra_magic.errors import InputError
from hydra_magic.kg import ALT_LABEL, Evidence, Fact
from hydra_magic.session import Session, SessionConfig

from .conftest import FakeEngine

CQS = "Which films did a director direct?\nIn which year was a film released?"
#: Ridley Scott is named twice ("Ridley Scott", "Scott"); both typed Person, so one fact collapses.
TEXT = ("Alien was directed by Ridley Scott in 1979. Blade Runner was directed by Scott in 1982. "
        "Heat was directed by Michael Mann in 1995.")


def film_session(journal_dir: Any = None, name: str = "merge") -> Session:
    s = Session(name, SessionConfig(journal_dir=str(journal_dir) if journal_dir else None), engine=FakeEngine())
    s.add_cqs(CQS)
    s.extract(TEXT, source="films")
    return s


def weaver_session() -> Session:
    """The issue's example, built straight into the KG: 'Weaver' and 'Sigourney Weaver', each with evidence."""
    s = film_session()
    kg, onto = s.kg, s.ontology
    person, film = onto.get_class("Person").iri, onto.get_class("Film").iri
    directed = onto.get_property("directedBy").iri
    E = kg.entity_iri
    long_ev = Evidence("cast", sentence="Sigourney Weaver is a person.", engine="test")
    short_ev = Evidence("reviews", sentence="Weaver is a person who was seen in Aliens.", engine="test")
    kg.add([Fact(E("sigourney_weaver"), RDF.type, person, long_ev),
            Fact(E("weaver"), RDF.type, person, short_ev),
            Fact(E("aliens"), RDF.type, film, short_ev),
            Fact(E("aliens"), directed, E("weaver"), short_ev),   # odd, but a relation to move
            Fact(E("alien"), directed, E("weaver"), short_ev)],
           {E("sigourney_weaver"): "Sigourney Weaver", E("weaver"): "Weaver", E("aliens"): "Aliens"})
    return s


def about(s: Session, entity: URIRef) -> set[tuple[Any, Any, Any]]:
    return {f.key for f in s.kg if entity in (f.subject, f.object)}


# --------------------------------------------------------------------------- the merge itself
def test_merge_moves_facts_with_their_evidence_and_collapses_duplicates() -> None:
    s = weaver_session()
    E = s.kg.entity_iri
    weaver, sigourney = E("weaver"), E("sigourney_weaver")
    before_short = {f.key: f.evidence for f in s.kg if f.subject == weaver or f.object == weaver}
    result = s.merge("weaver", "Sigourney Weaver")
    assert result.kept == sigourney and result.merged == weaver
    assert result.moved == 2 and result.dropped == 1  # the Person typing was already there
    assert about(s, weaver) == set()
    directed = s.ontology.get_property("directedBy").iri
    moved = {f.key: f for f in s.kg if f.object == sigourney}
    assert set(moved) == {(E("aliens"), directed, sigourney), (E("alien"), directed, sigourney)}
    for key, fact in moved.items():  # evidence unchanged: same source, same sentence
        old = before_short[(key[0], key[1], weaver)]
        assert fact.evidence == old and fact.source == "reviews"
    # the duplicate collapsed onto the survivor's own fact, with the survivor's evidence
    typing = [f for f in s.kg if f.key == (sigourney, RDF.type, s.ontology.get_class("Person").iri)]
    assert len(typing) == 1 and typing[0].evidence.sentence == "Sigourney Weaver is a person."


def test_merge_keeps_both_names() -> None:
    s = weaver_session()
    sigourney = s.kg.entity_iri("sigourney_weaver")
    result = s.merge("WEAVER", "sigourney weaver")  # any case, name or label
    assert s.kg.label(sigourney) == "Sigourney Weaver"  # the survivor keeps its label
    assert s.kg.alt_labels(sigourney) == {sigourney: ["Weaver"]} and result.alt_label == "Weaver"
    alt = next(f for f in s.kg if f.predicate == ALT_LABEL)
    assert alt.key == (sigourney, SKOS.altLabel, Literal("Weaver")) and alt.evidence.decision == "user"
    assert s.kg.find_entities("weaver") == [sigourney]  # the old name still finds the entity
    # the other name is in what SPARQL sees and in a Turtle export
    rows = list(s.query('SELECT ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#altLabel> "Weaver" }'))
    assert [str(r[0]) for r in rows] == [str(sigourney)]
    from hydra_magic.io import serialize_session

    assert '"Weaver"' in serialize_session(s, "turtle", what="kg") and "altLabel" in serialize_session(s, "turtle")
    # merging a name that the survivor already carries (any case) adds no second label
    s2 = film_session()
    ridley = s2.kg.entity_iri("ridley_scott")
    s2.kg.add([Fact(ridley, ALT_LABEL, Literal("SCOTT"), Evidence("x"))])
    assert s2.merge("scott", "ridley_scott").alt_label == ""
    assert s2.kg.alt_labels() == {ridley: ["SCOTT"]}


def test_one_undo_restores_exactly() -> None:
    s = weaver_session()
    facts, labels, n_hist = set(s.kg), s.kg.labels(), len(s.history)
    s.merge("Weaver", "Sigourney Weaver")
    assert len(s.history) == n_hist + 1 and s.history[-1].kind == "merge"
    assert s.undo().startswith("Undid: merged 'Weaver' into 'Sigourney Weaver'. ")
    assert set(s.kg) == facts and s.kg.labels() == labels
    assert s.kg.alt_labels() == {}


def test_merge_is_in_the_log_and_survives_the_journal(tmp_path: Path) -> None:
    s = film_session(tmp_path)
    before = set(s.kg)
    s.merge("Scott", "Ridley Scott")
    after = set(s.kg)
    assert s.log[-1]["decision"] == "merge" and s.log[-1]["into"].endswith("/ridley_scott")
    again = Session("merge", SessionConfig(journal_dir=str(tmp_path)), engine=FakeEngine())
    assert set(again.kg) == after
    assert again.kg.alt_labels() == {again.kg.entity_iri("ridley_scott"): ["Scott"]}
    assert again.history[-1].kind == "merge" and again.log[-1]["decision"] == "merge"
    # undo works on the reopened session, and is journaled too
    again.undo()
    assert set(again.kg) == before
    third = Session("merge", SessionConfig(journal_dir=str(tmp_path)), engine=FakeEngine())
    assert set(third.kg) == before and third.kg.find_entities("scott") == [third.kg.entity_iri("scott")]


# --------------------------------------------------------------------------- errors
def test_merging_an_entity_with_itself_is_refused_naming_it() -> None:
    s = film_session()
    with pytest.raises(InputError, match=r"Cannot merge 'ridley_scott' with 'Ridley Scott': both name the same "
                                         r"entity 'ridley_scott'.*Give two different entities"):
        s.merge("ridley_scott", "Ridley Scott")


def test_an_unknown_or_ambiguous_name_is_refused_with_the_next_step() -> None:
    s = film_session()
    n = len(s.history)
    with pytest.raises(InputError, match=r"There is no entity 'Scot' .*Did you mean 'Scott'.*%hydra graph"):
        s.merge("Scot", "Ridley Scott")
    with pytest.raises(InputError, match=r"There is no entity 'Nobody'"):
        s.merge("Ridley Scott", "Nobody")
    with pytest.raises(InputError, match="is empty"):
        s.merge(" ", "Ridley Scott")
    person, E = s.ontology.get_class("Person").iri, s.kg.entity_iri
    s.kg.add([Fact(E("mann_1"), RDF.type, person, Evidence("x")), Fact(E("mann_2"), RDF.type, person, Evidence("x"))],
             {E("mann_1"): "Mann", E("mann_2"): "Mann"})
    with pytest.raises(InputError, match=r"'mann' names 2 entities: 'mann_1' \(Mann\), 'mann_2' \(Mann\)\. "
                                         r"Use the entity name"):
        s.merge("mann", "Ridley Scott")
    assert len(s.history) == n  # no refused merge changed anything
    assert s.merge("mann_1", "mann_2").kept == E("mann_2")  # the entity name picks one


def test_contradicting_types_are_refused_unless_forced() -> None:
    """A film merged into a person: refused (the contracts refuse such a re-typing), or merged with --force."""
    s = film_session()
    facts = set(s.kg)
    with pytest.raises(InputError, match=r"Cannot merge 'Alien' into 'Ridley Scott': their types contradict "
                                         r"\('Alien' is a Film \(inferred\), 'Ridley Scott' is a Person "
                                         r"\(inferred\)\).*retype_conflict.*--force"):
        s.merge("Alien", "Ridley Scott")
    assert set(s.kg) == facts
    result = s.merge("Alien", "Ridley Scott", force=True)
    assert result.conflicts and "%hydra verify reports them" in result.to_text()
    assert s.log[-1]["forced"] is True
    # subclass and superclass do not contradict: a Thing merges into a Person
    s2 = film_session()
    thing = s2.ontology.get_class("Thing").iri
    s2.kg.add([Fact(s2.kg.entity_iri("someone"), RDF.type, thing, Evidence("x"))])
    assert s2.merge("someone", "Michael Mann").conflicts == []


# --------------------------------------------------------------------------- %hydra merge
def test_hydra_merge_magic(hydra_ext: Any, run_cell: Any, capsys: Any) -> None:
    run_cell(f"%%cq\n{CQS}")
    run_cell(f"%%extract --source films\n{TEXT}")
    capsys.readouterr()
    run_cell('%hydra merge scott into "Ridley Scott"')
    out = capsys.readouterr().out
    assert "Merged 'Scott' into 'Ridley Scott': 1 fact moved, 1 duplicate dropped; 'Scott' kept" in out
    assert "%hydra undo reverts it" in out
    session = hydra_ext.session
    assert session.kg.alt_labels() == {session.kg.entity_iri("ridley_scott"): ["Scott"]}
    run_cell("%hydra undo")
    assert "Undid: merged 'Scott' into 'Ridley Scott'" in capsys.readouterr().out
    run_cell("%hydra help")
    assert "%hydra merge NAME [into] OTHER" in capsys.readouterr().out


@pytest.mark.parametrize(("line", "expected"), [
    ("%hydra merge scott", "two entities, got 1"),
    ("%hydra merge a b c", "two entities, got 3"),
    ('%hydra merge "Ridley Scott" ridley_scott', "both name the same entity"),
    ("%hydra merge Scot ridley_scott", "Did you mean 'Scott'"),
    ("%hydra merge Alien ridley_scott", "--force"),
])
def test_hydra_merge_errors_are_usage_errors(hydra_ext: Any, run_cell: Any, line: str, expected: str) -> None:
    run_cell(f"%%cq\n{CQS}")
    run_cell(f"%%extract --source films\n{TEXT}")
    with pytest.raises(UsageError) as info:
        run_cell(line)
    assert type(info.value) is UsageError and expected in str(info.value)


def test_hydra_merge_force(hydra_ext: Any, run_cell: Any, capsys: Any) -> None:
    run_cell(f"%%cq\n{CQS}")
    run_cell(f"%%extract --source films\n{TEXT}")
    capsys.readouterr()
    run_cell("%hydra merge Alien ridley_scott --force")
    assert "Merged despite contradicting types" in capsys.readouterr().out
