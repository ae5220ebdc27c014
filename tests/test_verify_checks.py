"""hydra_magic.verify: every KG check accepts a valid case and catches an invalid one with its code."""

from __future__ import annotations

import itertools

import pytest
from rdflib import XSD

from hydra_magic.candidates import TripleCandidate
from hydra_magic.verify import run

from .verify_fixtures import add, film_session, lit, term, typed_base

# name -> (extra valid triples, invalid triples, expected code, focus of the issue)
CASES = {
    "domain": ([("sigourney", ":knows", "ridley_scott"), ("ridley_scott", ":knows", "sigourney")],
               [("alien", ":knows", "sigourney")], "domain_mismatch", "alien"),
    "domain via subclass is fine, grandparent domain fails": (
        [("ridley_scott", ":age", lit("80", XSD.integer))], [("paris", ":age", lit("3", XSD.integer))],
        "domain_mismatch", "paris"),
    "range": ([], [("alien", ":directedBy", "paris")], "range_mismatch", "paris"),
    "datatype": ([("ridley_scott", ":birthYear", lit("1937"))], [("alien", ":releaseYear", lit("nineteen"))],
                 "literal_datatype_mismatch", "alien"),
    "datatype of another type": ([], [("alien", ":releaseYear", lit("1979-01-01", XSD.date))],
                                 "literal_datatype_mismatch", "alien"),
    "entity for data property": ([], [("alien", ":releaseYear", "paris")], "entity_for_data_property", "alien"),
    "literal for object property": ([], [("sigourney", ":knows", lit("ridley"))],
                                    "literal_for_object_property", "sigourney"),
    "untyped subject": ([], [("nostromo", ":releaseYear", lit("1979", XSD.integer))], "untyped_entity", "nostromo"),
    "untyped object": ([], [("sigourney", ":knows", "ash")], "untyped_entity", "ash"),
    "unknown property": ([], [("alien", ":starring", "sigourney")], "unknown_property", "alien"),
    "unknown class": ([], [("nostromo", "a", ":Spaceship")], "unknown_class", "nostromo"),
    "class as entity": ([], [(":Film", ":releaseYear", lit("1979", XSD.integer))], "class_as_entity",
                        ":Film"),
    "functional": ([], [("alien", ":directedBy", "sigourney")], "functional_violation", "alien"),
    "inverse functional": ([("alien", ":isbn", lit("123"))],
                           [("aliens", "a", ":Film"), ("aliens", ":isbn", lit("123"))],
                           "inverse_functional_violation", lit("123")),
    "asymmetric": ([], [("europe", ":partOf", "france")], "asymmetric_violation", "europe"),
    "irreflexive": ([], [("sigourney", ":knows", "sigourney")], "irreflexive_violation", "sigourney"),
    "disjoint": ([("sigourney", "a", ":Director")], [("alien", "a", ":Director")], "disjoint_violation", "alien"),
    "symmetric consequence": ([("sigourney", ":knows", "ridley_scott"), ("ridley_scott", ":knows", "sigourney")],
                              [("sigourney", ":knows", "bolaji")], "symmetric_inferred", "sigourney"),
}


def _codes(report, code):
    return [i for i in report.issues if i.code == code]


@pytest.mark.parametrize("name", list(CASES))
def test_check_accepts_valid_and_catches_invalid(name):
    valid, invalid, code, focus = CASES[name]
    s = film_session()
    typed_base(s)
    if code == "untyped_entity" or name == "symmetric consequence":
        add(s, ("bolaji", "a", ":Person"))
    add(s, *valid)
    before = run(s, full=True)
    assert not _codes(before, code), [str(i) for i in _codes(before, code)]
    assert not [i for i in before.issues if i.code != "transitive_inferred"], before.to_text()
    add(s, *invalid)
    after = run(s, full=True)
    hits = _codes(after, code)
    assert hits, after.to_text()
    assert term(s, focus).n3() in {i.data["focus"] for i in hits}
    # The issue names its evidence (source and sentence of the facts involved).
    assert any(i.data.get("evidence") for i in hits)


def test_transitive_consequences_are_infos_not_added():
    s = film_session()
    typed_base(s)
    n = len(s.kg)
    r = run(s)
    hits = _codes(r, "transitive_inferred")
    assert [(i.severity, i.data["inferred"]) for i in hits] == [
        ("info", [term(s, "paris").n3(), term(s, ":partOf").n3(), term(s, "europe").n3()])]
    assert len(s.kg) == n and r.ok


def test_symmetric_consequence_is_info_and_reverse_clears_it():
    s = film_session()
    typed_base(s)
    add(s, ("sigourney", ":knows", "ridley_scott"))
    assert [i.severity for i in _codes(run(s), "symmetric_inferred")] == ["info"]
    add(s, ("ridley_scott", ":knows", "sigourney"))
    assert not _codes(run(s), "symmetric_inferred")


def test_disjointness_through_all_disjoint_classes_and_superclasses():
    from rdflib import OWL, RDF, BNode
    from rdflib.collection import Collection

    s = film_session()
    g, ns = s.ontology.graph, s.ontology.ns
    group, members = BNode(), BNode()
    Collection(g, members, [ns.Place, ns.Person])
    g.add((group, RDF.type, OWL.AllDisjointClasses))
    g.add((group, OWL.members, members))
    s.ontology.refresh()
    typed_base(s)
    add(s, ("paris", "a", ":Director"))  # Director ⊑ Person, disjoint with Place
    hits = _codes(run(s), "disjoint_violation")
    assert [i.data["focus"] for i in hits] == [term(s, "paris").n3()]


def test_value_rule_violation_names_entity_and_values():
    s = film_session()
    typed_base(s)
    add(s, ("ridley_scott", ":birthYear", lit("1937", XSD.integer)),
        ("ridley_scott", ":deathYear", lit("1930", XSD.integer)),
        ("sigourney", ":birthYear", lit("1949", XSD.integer)), ("sigourney", ":deathYear", lit("2049")))
    s.add_rules("birthYear < deathYear")
    hits = _codes(run(s), "value_rule_violation")
    assert len(hits) == 1
    assert hits[0].data["focus"] == term(s, "ridley_scott").n3()
    assert hits[0].data["values"] == {"birthYear": "1937", "deathYear": "1930"}
    assert "1937" in hits[0].message and "1930" in hits[0].message


def test_value_rule_on_non_number_is_a_warning_not_a_crash():
    s = film_session()
    typed_base(s)
    add(s, ("sigourney", ":age", lit("seventy")))
    s.add_rules("0 <= age <= 150")
    r = run(s)
    assert [i.severity for i in _codes(r, "rule_not_evaluable")] == ["warning"]
    assert _codes(r, "literal_datatype_mismatch")


def test_verify_through_the_session_method():
    s = film_session()
    typed_base(s)
    add(s, ("alien", ":directedBy", "sigourney"))
    r = s.verify()
    assert _codes(r, "functional_violation")
    assert r.mode == "full"
    assert s.verify().mode == "incremental"


def test_transitive_listing_is_capped_and_incremental_agrees():
    from hydra_magic.verify.owl_checks import TRANSITIVE_LIMIT

    s = film_session()
    chain = [f"p{i}" for i in range(30)]
    add(s, *[(x, "a", ":Place") for x in chain], *[(a, ":partOf", b) for a, b in itertools.pairwise(chain)])
    r = run(s)
    hits = _codes(r, "transitive_inferred")
    implied = 29 * 28 // 2
    assert len(hits) == TRANSITIVE_LIMIT + 1 and f"({implied} in all)" in hits[-1].message
    s.accept_anyway(TripleCandidate("p_start", "isA", "Place"))
    s.accept_anyway(TripleCandidate("p_start", "partOf", "p0"))
    inc = run(s)
    state = s.verify_state
    full = run(s, full=True)
    assert inc.mode == "incremental" and state is not s.verify_state
    assert [i.message for i in inc.issues] == [i.message for i in full.issues]
    assert f"({implied + 29} in all)" in _codes(inc, "transitive_inferred")[-1].message
