"""Issue 9: no candidate passes a contract on its own say-so.

Type evidence (stated vs inferred types, ``type_inferred``, ``type_conflict``,
strict mode), the polarity contract in the pipeline, the evidence sentence found
by the contracts, and where the flags show: results, journal, exports, queries,
views, CLI and ``%config``. Every rule here has an accept and a reject test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF

from hydra_magic import views
from hydra_magic.candidates import TripleCandidate
from hydra_magic.contracts import check_triples
from hydra_magic.contracts.type_evidence import TYPE_INFERRED, class_words, type_stated
from hydra_magic.kg import Evidence, Fact, KnowledgeGraph
from hydra_magic.ontology import Ontology
from hydra_magic.session import Session, SessionConfig

CQS = "Which films did a director direct?\nWhich actors star in a film?\nWhen was a film released?"


def film_ontology() -> Ontology:
    o = Ontology()
    person = o.add_class("Person", refresh=False)
    o.add_class("Director", parent=person, refresh=False)
    o.add_class("City", refresh=False)
    film = o.add_class("Film", refresh=False)
    o.add_property("directs", "object", [o.class_iri("Director")], [film], label="directs", refresh=False)
    o.refresh()
    return o


def triples(cts: list[Any]) -> set[tuple[str, str, str]]:
    return {(ct.candidate.subject, ct.candidate.predicate, ct.candidate.object) for ct in cts}


def session(**cfg: Any) -> Session:
    s = Session("trust", SessionConfig(journal_dir=None, **cfg))
    s.add_cqs(CQS)
    return s


# ------------------------------------------------------------------ stated types
@pytest.mark.parametrize("sentence, entity, cls", [
    ("Ridley Scott is a director.", "Ridley Scott", "Director"),
    ("Alien is a 1979 American science fiction horror film.", "Alien", "Film"),
    ("Ridley Scott, a director, lives in London.", "Ridley Scott", "Director"),
    ("The film Alien premiered in May.", "Alien", "Film"),
    ("Director Ridley Scott spoke.", "Ridley Scott", "Director"),
    ("Alien (film) premiered in May.", "Alien", "Film"),
    ("Ridley Scott is a director.", "Ridley Scott", "Person"),  # a director is a person
])
def test_a_type_the_text_states_is_read_as_stated(sentence: str, entity: str, cls: str) -> None:
    o = film_ontology()
    i = sentence.index(entity)
    assert type_stated(sentence, (i, i + len(entity)), class_words(o, o.class_iri(cls)))


@pytest.mark.parametrize("sentence, entity, cls", [
    ("Ridley Scott directed Alien.", "Ridley Scott", "Director"),  # inferred from the verb, not stated
    ("Ridley Scott directed the film Alien.", "Ridley Scott", "Film"),  # the class word is about Alien
    ("The film director Ridley Scott spoke.", "Ridley Scott", "Film"),
    ("Paris is a city that directed nothing.", "Paris", "Director"),
])
def test_a_type_the_text_does_not_state_is_not_read_as_stated(sentence: str, entity: str, cls: str) -> None:
    o = film_ontology()
    i = sentence.index(entity)
    assert not type_stated(sentence, (i, i + len(entity)), class_words(o, o.class_iri(cls)))


# ------------------------------------------------------------------ per-candidate rules
def _cands(text: str, *specs: tuple[str, str, str, str, str]) -> list[TripleCandidate]:
    out = []
    for s, p, o, st, ot in specs:
        a = text.index(st)
        c = TripleCandidate(s, p, o, st, ot, subject_span=(a, a + len(st)), inferred=p == "isA" and "is a" not in text)
        if ot:
            b = text.index(ot)
            c.object_span = (b, b + len(ot))
        out.append(c)
    return out


def test_a_fact_on_types_inferred_from_itself_is_flagged_not_verified() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    text = "The Eiffel Tower directed Paris."
    v = check_triples(_cands(text, ("eiffel_tower", "isA", "Director", "Eiffel Tower", ""),
                             ("paris", "isA", "Film", "Paris", ""),
                             ("eiffel_tower", "directs", "paris", "Eiffel Tower", "Paris")), o, kg, text)
    assert not v.rejected
    assert all(ct.flags == [TYPE_INFERRED] for ct in v.accepted)
    assert not any(ct.verified for ct in v.accepted)
    typing = next(ct for ct in v.accepted if ct.candidate.subject == "paris")
    assert "range of 'directs'" in typing.type_basis


def test_a_fact_on_stated_types_is_verified() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    text = "Ridley Scott is a director. Alien is a film. Ridley Scott directed Alien."
    d = text.rindex("Ridley Scott")
    cands = [TripleCandidate("ridley_scott", "isA", "Director", "Ridley Scott", subject_span=(0, 12)),
             TripleCandidate("alien", "isA", "Film", "Alien", subject_span=(28, 33)),
             TripleCandidate("ridley_scott", "directs", "alien", "Ridley Scott", "Alien",
                             subject_span=(d, d + 12), object_span=(text.rindex("Alien"), text.rindex("Alien") + 5))]
    v = check_triples(cands, o, kg, text)
    assert not v.rejected and all(ct.verified for ct in v.accepted)
    rel = next(ct for ct in v.accepted if ct.candidate.predicate == "directs")
    assert rel.sentence == "Ridley Scott directed Alien." and rel.sentence_span == (45, len(text))


def test_strict_mode_rejects_facts_on_inferred_types_as_untyped() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    text = "The Eiffel Tower directed Paris."
    v = check_triples(_cands(text, ("eiffel_tower", "isA", "Director", "Eiffel Tower", ""),
                             ("eiffel_tower", "directs", "paris", "Eiffel Tower", "Paris")), o, kg, text,
                      types="strict")
    assert not v.accepted
    assert {c for ct in v.rejected for c in ct.codes} == {"untyped_entity"}
    assert "only inferred" in v.rejected[0].issues[0].message


def test_a_stated_type_contradicting_an_inferred_one_is_a_type_conflict_naming_both() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    # earlier: Paris inferred to be a Film from "The Eiffel Tower directed Paris."
    kg.add([Fact(kg.entity_iri("paris"), RDF.type, o.class_iri("Film"),
                 Evidence("cell-1", "The Eiffel Tower directed Paris.", flags=(TYPE_INFERRED,),
                          basis="inferred from the range of 'directs' in (eiffel_tower, directs, paris)"))])
    text = "Paris is a city."
    v = check_triples([TripleCandidate("paris", "isA", "City", "Paris", subject_span=(0, 5))], o, kg, text)
    (ct,) = v.rejected
    assert ct.codes == ["type_conflict"]
    msg = ct.issues[0].message
    assert "Film" in msg and "City" in msg and "cell-1" in msg and "Paris is a city." in msg


def test_a_stated_type_contradicting_a_stated_one_stays_a_retype_conflict() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("paris"), RDF.type, o.class_iri("City"), Evidence("cell-1", "Paris is a city."))])
    text = "Paris is a film."
    v = check_triples([TripleCandidate("paris", "isA", "Film", "Paris", subject_span=(0, 5))], o, kg, text)
    assert [ct.codes for ct in v.rejected] == [["retype_conflict"]]
    assert "stated" in v.rejected[0].issues[0].message


def test_a_compatible_stated_type_is_accepted_beside_an_inferred_one() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("ridley_scott"), RDF.type, o.class_iri("Person"),
                 Evidence("cell-1", flags=(TYPE_INFERRED,)))])
    text = "Ridley Scott is a director."
    v = check_triples([TripleCandidate("ridley_scott", "isA", "Director", "Ridley Scott", subject_span=(0, 12))],
                      o, kg, text)
    assert [ct.verified for ct in v.accepted] == [True]


@pytest.mark.parametrize("text, code", [
    ("Ridley Scott never directed Alien.", "negated"),
    ("Ridley Scott did not direct Alien.", "negated"),
    ("Ridley Scott reportedly directed Alien.", "hedged"),
    ("Ridley Scott may have directed Alien.", "hedged"),
    ("Ridley Scott will direct Alien.", "hypothetical"),
    ("If Ridley Scott directed Alien, it would be dark.", "hypothetical"),
])
def test_negated_hedged_or_hypothetical_relations_are_rejected_with_the_cue(text: str, code: str) -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("ridley_scott"), RDF.type, o.class_iri("Director"), Evidence("t")),
            Fact(kg.entity_iri("alien"), RDF.type, o.class_iri("Film"), Evidence("t"))])
    s, a = text.index("Ridley Scott"), text.index("Alien")
    c = TripleCandidate("ridley_scott", "directs", "alien", "Ridley Scott", "Alien",
                        subject_span=(s, s + 12), object_span=(a, a + 5))
    (ct,) = check_triples([c], o, kg, text).rejected
    assert ct.codes == [code]
    cue = ct.issues[0].data["cue"]
    start, end = ct.issues[0].data["cue_span"]
    assert text[start:end] == cue


@pytest.mark.parametrize("text", [
    "Nevertheless, Ridley Scott directed Alien.",
    "In May 1979 Ridley Scott directed Alien.",
    "Ridley Scott directed Alien, not Titanic.",
])
def test_look_alikes_of_cues_do_not_reject(text: str) -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("ridley_scott"), RDF.type, o.class_iri("Director"), Evidence("t")),
            Fact(kg.entity_iri("alien"), RDF.type, o.class_iri("Film"), Evidence("t"))])
    s, a = text.index("Ridley Scott"), text.index("Alien")
    c = TripleCandidate("ridley_scott", "directs", "alien", "Ridley Scott", "Alien",
                        subject_span=(s, s + 12), object_span=(a, a + 5))
    v = check_triples([c], o, kg, text)
    assert [ct.verified for ct in v.accepted] == [True], [i.message for ct in v.rejected for i in ct.issues]


def test_the_evidence_sentence_is_found_in_the_text_not_taken_from_the_engine() -> None:
    o, kg = film_ontology(), KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("ridley_scott"), RDF.type, o.class_iri("Director"), Evidence("t")),
            Fact(kg.entity_iri("alien"), RDF.type, o.class_iri("Film"), Evidence("t"))])
    text = "Ridley Scott was born in 1937. He moved to London. Ridley Scott directed Alien. Alien won awards."
    s, a = text.index("Ridley Scott directed"), text.index("Alien.")
    c = TripleCandidate("ridley_scott", "directs", "alien", "Ridley Scott", "Alien", sentence=text,  # engine: all
                        subject_span=(s, s + 12), object_span=(a, a + 5))
    (ct,) = check_triples([c], o, kg, text).accepted
    assert ct.sentence == "Ridley Scott directed Alien."


# ------------------------------------------------------------------ the session
def test_the_reported_cases_no_longer_pass_as_verified() -> None:
    s = Session("curie", SessionConfig(journal_dir=None))
    s.add_cqs("Which scientist discovered which element?\nAt which university did a scientist study?")
    r = s.extract("Radium discovered Marie Curie. The University of Paris studied at Pierre Curie.")
    assert not r.verified and len(r.flagged) == len(r.accepted) > 0
    assert r.summary().startswith("0 verified")


def test_a_later_stated_type_verifies_the_facts_that_rested_on_an_inferred_one() -> None:
    s = session()
    first = s.extract("Ridley Scott directed Alien.", source="a")
    assert first.counts() == {"verified": 0, "type_inferred": 3, "rejected": 0}
    second = s.extract("Ridley Scott is a director. Alien is a film.", source="b")
    assert [f.key[1].split("#")[-1] for f in second.upgraded] == ["directs"]
    rel = next(f for f in s.kg if f.predicate != RDF.type)
    assert rel.evidence.verified and rel.source == "a"
    assert "1 earlier facts now verified" in second.to_text()
    s.undo()  # the upgrade is part of the change: undo restores the flag
    rel = next(f for f in s.kg if f.predicate != RDF.type)
    assert rel.evidence.flags == (TYPE_INFERRED,)


def test_the_same_typing_stated_later_in_the_text_wins_over_the_inferred_one() -> None:
    s = session()
    r = s.extract("Ridley Scott directed Alien. Ridley Scott is a director and Alien is a film.", source="a")
    # Alien is also typed by the inferred range of 'directs' in sentence 1: one fact, the verified one
    typings = [f for f in s.kg if f.predicate == RDF.type and str(f.subject).endswith("/ridley_scott")]
    assert len(typings) == 1 and typings[0].evidence.verified
    assert r.counts()["verified"] >= 2


def test_flags_survive_the_journal_and_show_in_exports_and_queries(tmp_path: Path) -> None:
    cfg = SessionConfig(journal_dir=str(tmp_path))
    s = Session("flags", cfg)
    s.add_cqs(CQS)
    s.extract("Ridley Scott is a director. Ridley Scott directed Alien.", source="a")
    flagged = {f.key for f in s.kg if f.evidence.flags}
    assert flagged and s.status()["facts_on_inferred_types"] == len(flagged)
    again = Session("flags", SessionConfig(journal_dir=str(tmp_path)))
    assert {f.key for f in again.kg if f.evidence.flags} == flagged
    trig = (tmp_path / "kg.trig")
    again.export(trig)
    assert '"type_inferred"' in trig.read_text() and "hydra:flag" in trig.read_text()
    verified = tmp_path / "verified.ttl"
    again.export(verified, what="kg", verified_only=True)
    assert "directs" not in verified.read_text() and "ridley_scott" in verified.read_text()
    q = "SELECT ?f WHERE { ?d onto:directs ?f }"
    assert len(list(again.query(q))) == 1 and len(list(again.query(q, verified_only=True))) == 0


def test_accept_anyway_admits_a_negated_statement_as_the_users_decision() -> None:
    s = session()
    s.extract("Ridley Scott is a director. Alien is a film.", source="types")
    r = s.extract("Ridley Scott never directed Alien.", source="neg")
    (rej,) = r.rejected
    assert rej.codes == ["negated"]
    fact = s.accept_anyway(rej)
    assert fact.evidence.decision == "user" and s.kg.contains(*fact.key)


def test_accept_anyway_with_a_data_property_named_type() -> None:
    s = Session("dbp", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(":Film a owl:Class . :type a owl:DatatypeProperty ; rdfs:domain :Film ; "
                          "rdfs:range xsd:string .")
    cand = TripleCandidate("alien", "type", "horror film", "Alien", "horror film")
    fact = s.accept_anyway(cand)
    assert fact.predicate == s.ontology.get_property("type").iri  # the property, not rdf:type


# ------------------------------------------------------------------ views
def test_the_view_marks_the_cue_and_shows_flagged_rows_apart() -> None:
    s = session()
    s.extract("Ridley Scott is a director. Alien is a film.", source="types")
    r = s.extract("Ridley Scott reportedly directed Alien. James Cameron directed Titanic.", source="x")
    st = views.extraction_state(r)
    hedged = next(row for row in st["rows"] if row["codes"] == ["hedged"])
    assert ["reportedly", "c"] in hedged["segments"]
    assert {row["status"] for row in st["rows"]} >= {"flagged", "rejected"}
    assert st["counts"]["verified"] == 0 and st["counts"]["type_inferred"] == len(r.flagged) > 0


def test_a_cq_the_engine_did_not_understand_is_never_labelled_expressible() -> None:
    s = Session("cqs", SessionConfig(journal_dir=None))
    r = s.add_cqs("Which films did a director direct?\nHow do I find the film of a director?")  # a method: unread
    assert r.unparsed()
    st = views.ontology_state(s, result=r)
    status = {c["text"]: c["status"] for c in st["cqs"]}
    assert status["How do I find the film of a director?"] == "unparsed"
    assert status["Which films did a director direct?"] == "expressible"


# ------------------------------------------------------------------ CLI and %config
def test_hydra_extract_writes_flags_and_strict_rejects(tmp_path: Path) -> None:
    onto = tmp_path / "o.ttl"
    Session("cli", SessionConfig(journal_dir=None))  # warm imports only
    s = session()
    s.export(onto, what="ontology")
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "1", "sent": "Ridley Scott directed Alien."}) + "\n"
                   + json.dumps({"id": "2", "sent": "Ridley Scott is a director. Alien is a film. "
                                                    "Ridley Scott directed Alien."}) + "\n")

    def run(*extra: str) -> list[dict[str, Any]]:
        out = tmp_path / "out.jsonl"
        proc = subprocess.run([sys.executable, "-m", "hydra_magic.cli", "extract", "--ontology", str(onto),
                               "--input", str(inp), "--output", str(out), *extra],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return [json.loads(x) for x in out.read_text().splitlines()]

    default = run()
    assert default[0]["triples"] == [{"sub": "Ridley Scott", "rel": "directs", "obj": "Alien",
                                      "flags": ["type_inferred"]}]
    assert default[1]["triples"] == [{"sub": "Ridley Scott", "rel": "directs", "obj": "Alien"}]
    strict = run("--types", "strict")
    assert strict[0]["triples"] == [] and {r["code"] for r in strict[0]["rejected"]} == {"untyped_entity"}
    assert strict[1]["triples"] == default[1]["triples"]


def test_config_types_strict_reaches_the_session(hydra_ext: Any, run_cell: Any) -> None:
    run_cell('%config HydraMagics.types = "strict"')
    assert hydra_ext.session.config.types == "strict"
    from traitlets import TraitError

    with pytest.raises(TraitError):
        hydra_ext.magics.types = "lenient"


def test_a_denied_relation_leaves_no_type_behind() -> None:
    s = session()
    r = s.extract("Ridley Scott never directed Titanic.", source="neg")
    assert not r.accepted and len(s.kg) == 0
    assert {code for rej in r.rejected for code in rej.codes} == {"negated"}
    typing = next(rej for rej in r.rejected if rej.checked.candidate.predicate == "isA")
    assert "only inferred from (ridley_scott, directs, titanic)" in typing.issues[0].message


def test_a_conflict_loses_nothing_already_accepted() -> None:
    s = Session("conflict", SessionConfig(journal_dir=None))
    s.add_cqs("Which films did a director direct?\nWhich city is located in which country?")
    s.extract("The Eiffel Tower directed Paris.", source="a")
    before = {f.key for f in s.kg}
    r = s.extract("Paris is a city.", source="b")
    assert [rej.codes for rej in r.rejected] == [["type_conflict"]]
    assert before <= {f.key for f in s.kg}
