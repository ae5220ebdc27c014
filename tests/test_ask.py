"""Questions answered from the graph: answers with their grounds, and honest refusals."""

from __future__ import annotations

from typing import Any

import pytest

from hydra_magic.ask import AskResult
from hydra_magic.errors import InputError
from hydra_magic.session import Session, SessionConfig

CQS = "Which films did a director direct?\nWhen was a film released?\nWho starred in a film?"
TEXT = ("Alien is a 1979 science fiction film directed by Ridley Scott. "
        "Blade Runner is a 1982 film directed by Ridley Scott. Sigourney Weaver starred in Alien.")


@pytest.fixture
def films() -> Session:
    s = Session("ask", SessionConfig(journal_dir=None))
    s.add_cqs(CQS)
    s.extract(TEXT, source="cell-1")
    return s


def test_an_answer_comes_with_the_facts_and_sentences_behind_it(films: Session) -> None:
    r = films.ask("Which films did Ridley Scott direct?")
    assert r.answered and sorted(r.answer_values()) == ["Alien", "Blade Runner"]
    assert r.by == "offline compiler" and "directs" in (r.sparql or "")
    for a in r.answers:
        [g] = a.grounds
        assert g.source == "cell-1" and a.shown["answer"] in g.evidence.sentence
        assert str(g.subject).endswith("/ridley_scott") and g.object == a.values["answer"]
    text = r.to_text()
    assert "because (Ridley Scott, directs, Alien) [cell-1]" in text and "query (offline compiler)" in text


def test_the_other_direction_yes_no_and_counts_are_grounded_too(films: Session) -> None:
    who = films.ask("Who directed Alien?")
    assert who.answer_values() == ["Ridley Scott"] and who.answers[0].grounds
    yes = films.ask("Did Ridley Scott direct Alien?")
    assert yes.form == "ASK" and yes.boolean is True and yes.answer_values() == ["yes"]
    assert [f.evidence.sentence for f in yes.answers[0].grounds] == [
        "Alien is a 1979 science fiction film directed by Ridley Scott."]
    no = films.ask("Did Ridley Scott direct Sigourney Weaver?")
    assert no.boolean is False and not no.answered and "no facts matching" in no.why_not
    n = films.ask("How many films did Ridley Scott direct?")
    assert n.answer_values() == ["2"] and n.answers[0].shown == {"count": "2"} and len(n.answers[0].grounds) == 2


def test_a_question_the_graph_cannot_answer_says_which_facts_are_missing(films: Session) -> None:
    r = films.ask("Who starred in Blade Runner?")
    assert not r.answered and r.answers == [] and r.sparql
    assert "no facts matching (?answer starsIn Blade Runner)" in r.why_not and "%%extract" in r.why_not


def test_a_question_outside_the_ontology_names_the_missing_words(films: Session) -> None:
    r = films.ask("Which awards did Alien win?")
    assert not r.answered and r.sparql is None
    assert "cannot be put in the ontology's terms" in r.why_not and "awards" in r.why_not
    assert "%%cq or %%ontology" in r.why_not


class _Model:
    """A model engine stand-in: what a real one returns from ``cq_to_sparql`` (tested against a server elsewhere)."""

    name = "fake-model"

    def __init__(self, sparql: str) -> None:
        self.sparql, self.calls = sparql, 0

    def cq_to_sparql(self, cq: Any, ontology: Any, **_: Any) -> str:
        self.calls += 1
        return self.sparql


def test_a_model_query_with_terms_outside_the_ontology_is_not_run(films: Session) -> None:
    from hydra_magic.ask import ask

    model = _Model("SELECT ?a WHERE { ?a <http://example.org/hydra/ontology#wonAward> ?b }")
    r = ask(films, "Which awards did Alien win?", engine=model)
    assert model.calls == 1 and r.by == "model fake-model" and not r.answered
    assert "terms the ontology does not declare" in r.why_not and "wonAward" in r.why_not


def test_a_model_query_is_held_to_the_user_query_policy(films: Session) -> None:
    from hydra_magic.ask import ask

    model = _Model("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }")
    r = ask(films, "Which awards did Alien win?", engine=model)
    assert not r.answered and "SERVICE" in r.why_not and r.answers == []


def test_a_model_answer_is_read_from_the_graph(films: Session) -> None:
    from hydra_magic.ask import ask

    model = _Model("PREFIX onto: <http://example.org/hydra/ontology#> "
                   "SELECT ?answer WHERE { ?answer onto:starsIn ?film }")
    r = ask(films, "Which actors are there, whatever the ontology calls them?", engine=model)
    assert r.by == "model fake-model" and r.answer_values() == ["Sigourney Weaver"]
    assert r.answers[0].grounds[0].evidence.sentence == "Sigourney Weaver starred in Alien."


def test_the_answer_view_is_static_html_with_expandable_grounds(films: Session) -> None:
    bundle = films.ask("Which films did Ridley Scott direct?")._repr_mimebundle_()
    page = bundle["text/html"]
    assert "<details>" in page and "Blade Runner is a 1982 film directed by Ridley Scott." in page
    assert "<script" not in page
    films.extract("<img src=x onerror=alert(1)> is a 1990 film directed by Ridley Scott.", source="cell-2")
    page = films.ask("Which films did Ridley Scott direct?")._repr_mimebundle_()["text/html"]
    assert "<img" not in page


def test_an_empty_question_is_refused(films: Session) -> None:
    with pytest.raises(InputError, match="The question is empty"):
        films.ask("   ")


def test_hydra_ask_in_a_notebook(hydra_ext: Any, run_cell: Any) -> None:
    hydra_ext.magics.sessions.factory = lambda name, cfg: Session(name, cfg)  # the offline engine
    run_cell("%hydra session asking")
    run_cell(f"%%cq\n{CQS}")
    run_cell(f"%%extract --source cell-1\n{TEXT}")
    # Quoted: IPython reads a line that ends in "?" as a request for help.
    r = run_cell('%hydra ask "Which films did Ridley Scott direct?"')
    assert isinstance(r, AskResult) and sorted(r.answer_values()) == ["Alien", "Blade Runner"]
    bare = run_cell("%hydra ask Which films did Ridley Scott's studio direct")  # an apostrophe is not a quote
    assert isinstance(bare, AskResult) and bare.question == "Which films did Ridley Scott's studio direct"
