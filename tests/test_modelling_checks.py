"""Issue 11: the modelling flags instance_as_class and literal_as_class (accept and reject cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hydra_magic.candidates import ClassCandidate, OntologyProposal
from hydra_magic.contracts import check_proposal
from hydra_magic.contracts.modelling import check_modelling, class_flags, example_mentions
from hydra_magic.cq import CompetencyQuestion
from hydra_magic.ontology import Ontology
from hydra_magic.rule_registry import RULES
from hydra_magic.session import Session, SessionConfig

CQ2SPARQLOWL = Path(__file__).resolve().parents[2] / "shared/data/cq2sparqlowl"


def codes(issues):
    return [i.code for i in issues]


@pytest.mark.parametrize("name,label", [("Year", ""), ("ReleaseDate", ""), ("FirstName", ""),
                                        ("SWO_0000042", "version name"), ("PhoneNumber", ""), ("Title", "")])
def test_literal_type_classes_are_flagged(name, label):
    [issue] = class_flags(name, label)
    assert issue.code == "literal_as_class" and issue.severity == "warning"
    assert "data property" in issue.hint and "xsd:" in issue.hint


@pytest.mark.parametrize("name", ["Film", "Person", "DatePalm", "Timeline", "NameServer", "Yearbook"])
def test_kinds_of_things_are_not_literal_types(name):
    assert class_flags(name) == []


@pytest.mark.parametrize("cq,mentions", [
    ("Who directed Alien?", ["Alien"]),
    ("Which films did Ridley Scott direct in 1979?", ["Ridley Scott"]),
    ("Which books adapt 'Alice in Wonderland'?", ["Alice in Wonderland"]),
    ("What is the Lord of the Rings about?", ["Lord of the Rings"]),
    # slots, scare quotes, generic uses and pronouns are not examples
    ("What are the alternatives to [this Software]?", []),
    ('Which of the named and published "algorithms" does [this tool] use?', []),
    ("Which URL can I get [it] from?", []),
    ("Does a lion eat plants?", []),
])
def test_example_mentions(cq, mentions):
    assert example_mentions(cq) == mentions


def test_a_class_named_after_an_example_is_flagged_and_a_kind_is_not():
    q = [("Who directed Alien?", example_mentions("Who directed Alien?"))]
    [issue] = class_flags("Alien", "", q, parent="Film")
    assert issue.code == "instance_as_class" and "(alien, isA, Film)" in issue.hint
    assert class_flags("Film", "", q) == [] and class_flags("Director", "", q) == []


def test_pinned_answers_are_examples_too():
    cq = CompetencyQuestion("Who directed the film?", expected=("ridley_scott",))
    onto = Session("p", SessionConfig(journal_dir=None))
    onto.add_ontology_turtle(":Thing a owl:Class . :RidleyScott a owl:Class ; rdfs:subClassOf :Thing .")
    assert codes(check_modelling(onto.ontology, [cq])) == ["instance_as_class"]
    assert check_modelling(onto.ontology, ["Who directed the film?"]) == []  # no pinned answer, no evidence


def test_check_proposal_flags_but_keeps_the_class():
    proposal = OntologyProposal(classes=[ClassCandidate("Thing"),
                                         ClassCandidate("Alien", "Thing", origin="Who directed Alien?"),
                                         ClassCandidate("Year", "Thing", origin="In which year was a film made?"),
                                         ClassCandidate("Film", "Thing", origin="Who directed Alien?")])
    verdict = check_proposal(proposal, Ontology())
    assert [c.name for c in verdict.accepted_classes] == ["Thing", "Alien", "Year", "Film"] and verdict.ok
    assert {c.name: codes(iss) for c, iss in verdict.flags} == {"Alien": ["instance_as_class"],
                                                               "Year": ["literal_as_class"]}


def test_flags_run_on_the_offline_engines_ontology():
    s = Session("o", SessionConfig(journal_dir=None))
    # "released in a Year" now reads as a year value (releaseYear); a value noun as a place still makes a class
    s.add_cqs(["Which films are in a Number?", "Which films did a director direct?"])
    flagged = {i.path: i.code for i in check_modelling(s.ontology, s.cqs)}
    assert flagged == {"class:Number": "literal_as_class"}


def test_flags_run_on_an_imported_ontology(tmp_path):
    ttl = tmp_path / "films.ttl"
    ttl.write_text("@prefix : <http://example.org/f#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                   "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                   ":Work a owl:Class . :Film a owl:Class ; rdfs:subClassOf :Work .\n"
                   ":Alien a owl:Class ; rdfs:subClassOf :Film .\n"
                   ":C7 a owl:Class ; rdfs:label \"release date\" ; rdfs:subClassOf :Work .\n")
    s = Session("i", SessionConfig(journal_dir=None))
    s.load_ontology(ttl)
    flagged = {i.path: i.code for i in check_modelling(s.ontology, ["Who directed Alien?"])}
    assert flagged == {"class:Alien": "instance_as_class", "class:C7": "literal_as_class"}


def test_codes_are_registered_as_warnings():
    assert RULES["instance_as_class"].severity == RULES["literal_as_class"].severity == "warning"


@pytest.mark.skipif(not (CQ2SPARQLOWL / "Ontologies").is_dir(), reason="CQ2SPARQLOWL data not present")
def test_african_wildlife_kinds_in_cqs_are_not_examples():
    # "Does a lion eat plants?": AWO's Lion is a kind, and the CQ speaks of it generically.
    from hydra_magic.io import read_ontology

    onto = read_ontology(CQ2SPARQLOWL / "Ontologies" / "AfricanWildlifeOntology1.owl")
    assert onto.get_class("Lion") is not None
    assert check_modelling(onto, ["Does a lion eat plants or plant parts?", "Which animals eat [these animals]?"]) == []
