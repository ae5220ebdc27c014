"""SHACL: generated shapes agree with the set-based checks; user shapes map onto issues."""

from __future__ import annotations

import pytest
from rdflib import XSD, Graph
from rdflib.namespace import SH

from hydra_magic.errors import InputError, ParseError
from hydra_magic.verify import parse_shapes, run, shapes_turtle
from hydra_magic.verify.context import OntologyContext

from .verify_fixtures import add, film_session, lit, typed_base

USER_SHAPES = """
:FilmShape a sh:NodeShape ;
    sh:targetClass :Film ;
    sh:property [ sh:path :releaseYear ; sh:minCount 1 ; sh:message "every film needs a release year" ] ;
    sh:property [ sh:path :isbn ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""


def _dirty_session():
    s = film_session()
    typed_base(s)
    add(s, ("alien", ":directedBy", "sigourney"), ("aliens", "a", ":Film"), ("aliens", ":directedBy", "paris"),
        ("aliens", ":releaseYear", lit("soon")), ("sigourney", ":knows", "sigourney"),
        ("europe", ":partOf", "france"), ("sigourney", ":releaseYear", lit("1986", XSD.integer)),
        ("alien", ":isbn", lit("1")), ("aliens", ":isbn", lit("1")), ("alien", "a", ":Person"),
        ("sigourney", ":age", lit("74")))
    return s


def _key(i):
    return (i.code, i.data["focus"], i.data.get("predicate", ""))


def test_generated_shapes_find_what_the_set_based_checks_find():
    s = _dirty_session()
    r = run(s, shacl="all")
    ours = {_key(i) for i in r.issues if i.data.get("check") in ("typing", "owl") and i.severity == "error"}
    assert {k[0] for k in ours} >= {"functional_violation", "range_mismatch", "literal_datatype_mismatch",
                                     "irreflexive_violation", "asymmetric_violation", "domain_mismatch",
                                     "inverse_functional_violation", "disjoint_violation"}
    # Nothing is found by pySHACL alone, and pySHACL finds every set-based finding it can express.
    assert not [i for i in r.issues if i.data.get("check") == "shacl"]
    note = next(n for n in r.notes if "cross-check" in n)
    assert f"{len(ours)} finding(s) agree, 0 only pySHACL, 0 only set-based" in note, (note, sorted(ours))


def test_generated_shapes_turtle_is_valid_shacl():
    s = film_session()
    g = Graph().parse(data=shapes_turtle(OntologyContext.of(s.ontology)), format="turtle")
    shapes = set(g.subjects(SH.path, None)) | set(g.subjects(SH.targetClass, None))
    assert len(shapes) > 10
    assert parse_shapes(shapes_turtle(OntologyContext.of(s.ontology))) > 10


def test_user_shapes_become_shacl_violation_issues_with_severity():
    s = film_session()
    typed_base(s)
    add(s, ("aliens", "a", ":Film"))
    assert s.add_shapes(USER_SHAPES) == 1
    r = run(s)
    hits = r.by_code("shacl_violation")
    by_severity = {(i.severity, i.data["focus"].rsplit("/", 1)[-1].rstrip(">"), i.data["predicate"].rsplit("#")[-1])
                   for i in hits}
    assert by_severity == {("error", "aliens", "releaseYear"), ("warning", "aliens", "isbn"),
                           ("warning", "alien", "isbn")}
    assert any("every film needs a release year" in i.message for i in hits)
    assert any("pySHACL validated 1 user shape" in n for n in r.notes)
    add(s, ("aliens", ":releaseYear", lit("1986", XSD.integer)))
    assert {i.severity for i in run(s).by_code("shacl_violation")} == {"warning"}


def test_parse_shapes_errors_point_at_the_cell_line():
    with pytest.raises(ParseError) as err:
        parse_shapes(":S a sh:NodeShape ;\n  sh:targetClass :Film ;\n  sh:property [ sh:path :x \n")
    assert err.value.line is not None and 1 <= err.value.line <= 4
    with pytest.raises(InputError, match="declares no shape"):
        parse_shapes(":Film a owl:Class .")


def test_pyshacl_only_runs_when_asked(monkeypatch: pytest.MonkeyPatch):
    import pyshacl

    calls = []
    real = pyshacl.validate
    monkeypatch.setattr(pyshacl, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    s = _dirty_session()
    r = run(s)
    assert calls == []  # the generated shapes are checked in Python; pySHACL is not called
    assert any("shacl='all'" in n for n in r.notes)
    run(s, shacl="all")
    assert calls == [1]  # asked for: it runs
