"""Years and dates (issue 16): the datatype follows what the question asks and what texts give.

"When was a company founded?" asks for a time of no named grain; texts report a founding by its year,
so the property is a year (as "In what year …" makes it) and "founded in 1975" is accepted. Other
events keep ``xsd:date``: a year read for them is rejected with the contracts' hint, never retyped.
"""

from __future__ import annotations

from rdflib import XSD, Literal

from hydra_magic.english.cq import parse_cq
from hydra_magic.session import Session, SessionConfig


def _session(*cqs: str) -> Session:
    s = Session("years", SessionConfig(model="rules", journal_dir=None))
    s.add_cqs(list(cqs))
    return s


def _values(s: Session, prop: str) -> list[Literal]:
    p = s.ontology.get_property(prop)
    assert p is not None
    return [f.object for f in s.kg.facts("t") if f.predicate == p.iri]


def test_when_founded_asks_for_a_year_and_says_why() -> None:
    p = parse_cq("When was a company founded?")
    assert p is not None and p.property is not None
    assert (p.property.name, p.property.datatype) == ("foundingYear", "integer")
    assert "On what date" in p.property.comment
    built = parse_cq("When was a bridge built?")
    assert built is not None and built.datatype == "integer"


def test_other_events_and_named_grains_are_read_as_asked() -> None:
    for q, name, dt in (("When was a drug approved?", "approvalDate", "date"),
                        ("When was a person born?", "birthDate", "date"),
                        ("On what date was a company founded?", "foundingDate", "date"),
                        ("In what year was a company founded?", "foundingYear", "integer")):
        p = parse_cq(q)
        assert p is not None and p.property is not None
        assert (p.property.name, p.property.datatype) == (name, dt), q
        assert p.property.comment == ""


def test_the_proposed_property_keeps_the_comment() -> None:
    s = _session("When was a company founded?")
    try:
        p = s.ontology.get_property("foundingYear")
        assert p is not None and p.datatype == XSD.integer and "year" in p.comment
    finally:
        s.close()


def test_a_founding_year_is_read_from_the_text() -> None:
    s = _session("When was a company founded?", "Who founded a company?")
    try:
        s.extract("Halvorsen Marine is a Norwegian shipbuilding company. It was founded in 1921.", source="t")
        assert [str(v) for v in _values(s, "foundingYear")] == ["1921"]
    finally:
        s.close()


def test_the_year_after_an_agent_phrase_is_read() -> None:
    s = _session("When was a company founded?", "Who founded a company?")
    try:
        s.extract("Microsoft is a technology company. It was founded by Bill Gates and Paul Allen in 1975 "
                  "to sell software.", source="t")
        assert [str(v) for v in _values(s, "foundingYear")] == ["1975"]
        founders = {str(f.subject).rsplit("/", 1)[-1] for f in s.kg.facts("t")
                    if f.predicate == s.ontology.get_property("founds").iri}
        assert founders == {"bill_gates", "paul_allen"}
    finally:
        s.close()


def test_a_paraphrase_names_the_founding_year() -> None:
    s = _session("When was a company founded?")
    try:
        s.extract("Brightwater Foods is a Canadian company. The firm was established in 1962 by two brothers.",
                  source="t")
        assert [str(v) for v in _values(s, "foundingYear")] == ["1962"]
    finally:
        s.close()


def test_a_year_for_a_date_property_is_rejected_with_a_hint_not_retyped() -> None:
    s = _session("When was a drug approved?")
    try:
        r = s.extract("Imatinib is a drug. Imatinib was approved in 2001.", source="t")
        assert _values(s, "approvalDate") == []
        issues = [i for rej in r.rejected for i in rej.checked.issues if i.code == "literal_datatype_mismatch"]
        assert issues and "only the year" in issues[0].message and "xsd:gYear" in (issues[0].hint or "")
    finally:
        s.close()
