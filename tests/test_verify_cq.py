"""Competency questions as executable tests: compiled to SPARQL over the ontology, run on the KG, judged."""

from __future__ import annotations

from rdflib import XSD
from rdflib.plugins.sparql import prepareQuery

from hydra_magic.cq import parse_cqs
from hydra_magic.verify import run
from hydra_magic.verify.cq_tests import compile_cq, read_cq

from .verify_fixtures import add, film_session, lit, typed_base


def _session(cqs: str):
    s = film_session()
    typed_base(s)
    add(s, ("aliens", "a", ":Film"), ("aliens", ":directedBy", "james_cameron"), ("james_cameron", "a", ":Director"))
    s.cqs = parse_cqs(cqs)  # tests of the KG: the CQs must not change the ontology here
    return s


def _tests(s):
    r = run(s)
    return {t.cq.text: t for t in r.cq_tests}, r


def test_pinned_answers_pass_and_fail():
    s = _session("Who directed Alien? => Ridley Scott\nWhich film is directed by James Cameron? => aliens\n"
                 "Who directed Aliens? => ridley_scott")
    tests, r = _tests(s)
    assert tests["Who directed Alien?"].status == "pass"
    assert tests["Which film is directed by James Cameron?"].answers == ["aliens"]
    failed = tests["Who directed Aliens?"]
    assert failed.status == "fail" and failed.missing == ["ridley_scott"] and failed.answers == ["james_cameron"]
    assert [i.code for i in r.by_code("cq_failed")] == ["cq_failed"]
    assert "ridley_scott" in r.by_code("cq_failed")[0].message


def test_generated_queries_parse_and_use_only_ontology_terms():
    s = _session("Who directed Alien?\nWhich films are there?\nWhat is the release year of a film?\n"
                 "How many films are there?\nIs Alien a film?\nWhich places are part of Europe?")
    onto = s.ontology
    vocab = {str(t) for t in (*onto.classes, *onto.properties)}
    idx = _idx(s)
    for cq in s.cqs:
        sparql, why = compile_cq(read_cq(cq, s, idx), s, idx)
        assert sparql, (cq.text, why)
        prepareQuery(sparql)
        used = {w.strip("<>") for w in sparql.split() if w.startswith("<" + str(onto.ns))}
        assert used <= vocab, (cq.text, used - vocab)
    tests, _ = _tests(s)
    assert tests["How many films are there?"].answers == ["2"]
    assert tests["Is Alien a film?"].answers == ["yes"]
    assert set(tests["Which films are there?"].answers) == {"alien", "aliens"}
    assert tests["What is the release year of a film?"].columns[-1] == "answer"
    assert tests["What is the release year of a film?"].answers == ["1979"]


def _idx(s):
    from hydra_magic.verify.context import OntologyContext
    from hydra_magic.verify.index import FactIndex

    return FactIndex.build(s.kg, OntologyContext.of(s.ontology).reverse)


def test_unanswerable_and_unanswered_questions_are_reported_with_the_reason():
    s = _session("Which planets orbit a star?\nWho knows Sigourney?")
    tests, r = _tests(s)
    t = tests["Which planets orbit a star?"]
    assert not t.answerable and "names no class or property" in t.reason and "planets" in t.reason
    assert r.by_code("cq_not_answerable")
    knows = tests["Who knows Sigourney?"]
    assert knows.answerable and not knows.answered and knows.status == "no answer"
    assert r.by_code("cq_no_answer")
    add(s, ("ridley_scott", ":knows", "sigourney"))
    tests, _ = _tests(s)
    assert tests["Who knows Sigourney?"].answers == ["ridley_scott"]


def test_pinned_sparql_is_checked_for_parse_errors_unknown_terms_and_fit():
    s = _session("Who directed Alien? => ridley_scott\n  sparql: SELECT ?d WHERE { ent:alien onto:directedBy ?d }\n"
                 "Which films are there?\n  sparql: SELECT ?f WHERE { ?f a onto:Movie }\n"
                 "Is Alien a film?\n  sparql: SELECT ?f WHERE { ?f a onto:Film }\n"
                 "When was Alien released?\n  sparql: SELECT ?f WHERE { ?f onto:releaseYear ?y }\n"
                 "What is broken?\n  sparql: SELECT ?x WHERE { ?x \n")
    tests, r = _tests(s)
    assert tests["Who directed Alien?"].status == "pass" and tests["Who directed Alien?"].source == "pinned"
    assert "ontology#Movie" in tests["Which films are there?"].reason
    assert "does not parse" in next(i.message for i in r.by_code("cq_query_error") if "broken" in i.message)
    mismatches = " ".join(i.message for i in r.by_code("cq_query_mismatch"))
    assert "Is Alien a film?" in mismatches and "When was Alien released?" in mismatches


def test_cq_results_are_cached_until_the_kg_changes():
    s = _session("Who directed Alien?")
    first = run(s)
    assert run(s).cq_tests[0] is first.cq_tests[0]
    add(s, ("alien", ":releaseYear", lit("1980", XSD.integer)))
    assert run(s).cq_tests[0] is not first.cq_tests[0]


def test_how_many_over_a_number_asks_for_the_number_not_a_count():
    # employeeCount (Company → integer) holds the number asked for: counting its values would say 1. (Named
    # unlike the parser's numberOfEmployees, so the label matcher reads it: that is where "how many" meant COUNT.)
    s = _session("How many employees does a company have?\nHow many films are there?")
    o = s.ontology
    company = o.add_class("Company", o.get_class("Thing").iri)
    o.add_property("employeeCount", "data", [company], [XSD.integer], label="employee count")
    add(s, ("acme", "a", ":Company"), ("acme", ":employeeCount", lit("500", XSD.integer)))
    idx = _idx(s)
    [staff_cq, films_cq] = s.cqs
    reading = read_cq(staff_cq, s, idx)
    assert reading.prop is not None and reading.prop.name == "employeeCount" and reading.answer == "value"
    sparql, _ = compile_cq(reading, s, idx)
    assert sparql is not None and "COUNT" not in sparql
    assert "COUNT" in (compile_cq(read_cq(films_cq, s, idx), s, idx)[0] or "")  # a count of things stays one
    tests, _ = _tests(s)
    assert tests["How many employees does a company have?"].answers == ["500"]


def test_an_unpinned_cq_is_counted_in_full_and_read_in_part(monkeypatch):
    """A CQ without pinned answers reads at most ROWS_SAMPLED rows; its row count is the store's count of all."""
    from hydra_magic.verify import cq_tests

    def films_by_cameron():
        s = _session("Which films did a director direct?")
        for i in range(12):
            add(s, (f"film_{i}", "a", ":Film"), (f"film_{i}", ":directedBy", "james_cameron"))
        return _tests(s)[0]["Which films did a director direct?"]

    full = films_by_cameron()
    assert full.row_count >= 13 and full.status != "error"
    monkeypatch.setattr(cq_tests, "ROWS_SAMPLED", 3)
    part = films_by_cameron()
    assert part.row_count == full.row_count
    assert len(part.answers) == 3 < len(full.answers) and part.answered
