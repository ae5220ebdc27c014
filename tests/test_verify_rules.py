"""Value rules (%%rules): a parser that never evaluates Python, sympy conflict detection, KG checks."""

from __future__ import annotations

import pytest
from rdflib import XSD

from hydra_magic.errors import EmptyInputError, InputError
from hydra_magic.verify import find_conflicts, parse_rules, run

from .verify_fixtures import add, film_session, lit, typed_base


@pytest.fixture
def onto():
    return film_session().ontology


@pytest.mark.parametrize("text", [
    "__import__('os')",
    "__import__('os').system('echo pwned') < 1",
    "age < __import__('os').getpid()",
    "age.__class__ < 3",
    "age[0] < 3",
    "(lambda: 1)() < age",
    "age < 'x'",
    "age if age else age < 1",
])
def test_parser_refuses_python(onto, text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as err:
        parse_rules(text, onto)
    msg = str(err.value)
    assert "line 1" in msg
    assert not list(tmp_path.iterdir())  # nothing ran


def test_unknown_name_is_refused_with_the_allowed_names(onto):
    with pytest.raises(InputError) as err:
        parse_rules("age >= 0\nheight > 0", onto)
    msg = str(err.value)
    assert "line 2" in msg and "'height'" in msg
    for name in ("age", "birthYear", "deathYear", "releaseYear", "isbn"):
        assert name in msg


def test_object_property_and_bad_syntax_are_explained(onto):
    with pytest.raises(InputError, match="object property"):
        parse_rules("directedBy > 0", onto)
    with pytest.raises(InputError, match="Use == to compare"):
        parse_rules("age = 3", onto)
    with pytest.raises(InputError, match=r"write \*\* instead"):
        parse_rules("age ^ 2 < 3", onto)
    with pytest.raises(InputError, match="mentions no data property"):
        parse_rules("1 < 2", onto)
    with pytest.raises(EmptyInputError):
        parse_rules("# only a comment\n\n", onto)


def test_chained_comparisons_labels_and_arithmetic(onto):
    rules = parse_rules("0 <= age <= 150  # sane ages\nbirthYear + 16 <= releaseYear\ndeathYear - birthYear < 130",
                        onto)
    assert [r.line for r in rules] == [1, 2, 3]
    assert len(rules[0].relations) == 2
    assert {str(s) for s in rules[1].variables} == {"birthYear", "releaseYear"}


def _conflicting_lines(text, onto):
    dts = {p.iri: p.datatype for p in onto.data_properties()}
    return [[r.line for r in c.rules] for c in find_conflicts(parse_rules(text, onto), dts) if c.decided]


def test_conflict_detection_names_a_minimal_subset(onto):
    text = "birthYear < deathYear\n0 <= age <= 150\nage > 150\nage >= 0\ndeathYear < 2100"
    assert _conflicting_lines(text, onto) == [[2, 3]]


def test_conflict_across_several_variables(onto):
    assert _conflicting_lines("birthYear < deathYear\ndeathYear < releaseYear\nreleaseYear <= birthYear",
                              onto) == [[1, 2, 3]]
    assert _conflicting_lines("birthYear < deathYear\ndeathYear < releaseYear\nreleaseYear <= birthYear + 5",
                              onto) == []


def test_integer_properties_tighten_strict_bounds(onto):
    # No integer lies strictly between 3 and 4 (age is xsd:integer); reals would.
    assert _conflicting_lines("age > 3\nage < 4", onto) == [[1, 2]]
    assert _conflicting_lines("age > 3\nage < 5", onto) == []


def test_nonlinear_single_variable_uses_solveset(onto):
    assert _conflicting_lines("age ** 2 < 4\nage > 3", onto) == [[1, 2]]
    assert _conflicting_lines("age ** 2 < 25\nage > 3", onto) == []  # age = 4


def test_satisfiable_rules_give_no_conflict_issue_and_conflicts_are_reported_before_kg():
    s = film_session()
    typed_base(s)
    add(s, ("sigourney", ":age", lit("74", XSD.integer)))
    s.add_rules("0 <= age <= 150")
    r = run(s)
    assert not r.by_code("rule_conflict") and r.ok
    s.add_rules("age > 150")
    r = run(s)
    conflicts = r.by_code("rule_conflict")
    assert len(conflicts) == 1 and conflicts[0].data["lines"] == [1, 2]
    assert "0 <= age <= 150" in conflicts[0].message and "age > 150" in conflicts[0].message
    # Entities are still checked against every rule.
    assert [i.data["rule"] for i in r.by_code("value_rule_violation")] == ["age > 150"]


def test_rule_naming_a_removed_property_is_reported_not_raised():
    s = film_session()
    s.add_rules("age >= 0")
    s.ontology.graph.remove((s.ontology.ns.age, None, None))
    s.ontology.refresh()
    r = run(s)
    assert [i.code for i in r.issues] == ["rule_invalid"]


def test_dates_compare_by_day():
    s = film_session()
    p = s.ontology.add_property("birthDate", "data", [s.ontology.ns.Person], [XSD.date])
    s.ontology.add_property("deathDate", "data", [s.ontology.ns.Person], [XSD.date])
    typed_base(s)
    add(s, ("sigourney", p, lit("1949-10-08", XSD.date)), ("sigourney", ":deathDate", lit("1949-10-07", XSD.date)))
    s.add_rules("birthDate < deathDate")
    assert len(run(s).by_code("value_rule_violation")) == 1


def test_run_reads_integer_properties_as_integers_for_conflicts():
    # run() must find the conflict that find_conflicts finds with the property datatypes: no integer
    # lies strictly between 3 and 4 (the runner once keyed the datatypes by string, so none matched).
    s = film_session()
    s.add_rules("age > 3\nage < 4")
    conflicts = run(s).by_code("rule_conflict")
    assert len(conflicts) == 1 and conflicts[0].data["lines"] == [1, 2]
