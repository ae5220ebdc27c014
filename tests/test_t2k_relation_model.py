"""The learned relation model under incomplete labels (issue 16).

A TekGen train line labels one triple of a sentence that may state several, so an unlabelled
mention is not a sure "no relation": the model is not taught so from a list beside a labelled
object or from words labelled as an object elsewhere, and it reads a property that trails "no
relation" by less than a margin it learns on the scale of its own scores.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hydra_magic.bench.text2kgbench import run
from hydra_magic.english.text import learn_triggers
from hydra_magic.english.text.compiled import _compiled, _mentions
from hydra_magic.english.text.relation_training import _sentence_examples
from hydra_magic.english.text.tokens import _tokenize
from hydra_magic.ontology import Ontology

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "text2kgbench"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"Text2KGBench data not found at {DATA}")


def _film_ontology() -> Ontology:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    human = o.add_class("Human", label="human", refresh=False)
    o.add_property("castMember", "object", [film], [human], label="cast member", refresh=False)
    o.refresh()
    return o


def _labels_by_mention(sentence: str, cast: str, known: frozenset[str]) -> dict[str, set[int]]:
    """Each training example's mention (its lower-case words) and labels; 1: cast member, 0: none."""
    comp = _compiled(_film_ontology())
    toks = _tokenize(sentence)
    examples = _sentence_examples(toks, _mentions(toks, comp), {}, [(1, {cast.lower()}, None)], known)
    return {next(f[2:] for f in feats if f.startswith("v:")): labels for feats, labels in examples}


def test_a_name_listed_beside_the_labelled_one_is_not_taught_as_no_relation() -> None:
    got = _labels_by_mention("Heat is a film starring Al Pacino and Robert De Niro in Los Angeles.",
                             "Al Pacino", frozenset())
    assert got["al pacino"] == {1}
    assert "robert de niro" not in got  # the label names one of the two: no example either way
    assert got["los angeles"] == {0}  # not in the list: still a negative


def test_a_name_labelled_as_an_object_elsewhere_is_not_taught_as_no_relation() -> None:
    sentence = "Heat is a film starring Al Pacino, shot in Los Angeles with Val Kilmer."
    without = _labels_by_mention(sentence, "Al Pacino", frozenset())
    known = _labels_by_mention(sentence, "Al Pacino", frozenset({"val kilmer"}))
    assert without["val kilmer"] == {0}
    assert "val kilmer" not in known and known["los angeles"] == {0} and known["al pacino"] == {1}


def test_the_learned_margin_is_negative_and_a_model_with_nothing_learned_has_none() -> None:
    lines = [
        {"sub_label": f"Film {n}", "rel_label": "cast member", "obj_label": actor,
         "sent": f"Film {n} is a film starring {actor} and {other}."}
        for n, (actor, other) in enumerate([("Al Pacino", "Val Kilmer"), ("Meryl Streep", "Jack Nicholson"),
                                            ("Tom Hanks", "Meg Ryan"), ("Emma Stone", "Ryan Gosling")])
    ]
    o = _film_ontology()
    learn_triggers(lines, o)
    assert o.engine_state["relation_model"]["margin"] < 0
    empty = _film_ontology()
    learn_triggers([{"sub_label": "X", "rel_label": "cast member", "obj_label": "Nobody", "sent": "X is a film."}],
                   empty)
    assert empty.engine_state["relation_model"]["margin"] == 0  # nothing learned: a margin of 0, read strictly


@needs_data
def test_on_tekgen_movie_validation_the_learned_margin_finds_more_gold_at_no_lower_f1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hydra_magic.english.text.relation_training as training

    kw = {"dataset": "wikidata_tekgen", "split": "validation", "ontologies": ["1_movie"], "out": io.StringIO()}
    learned = run(DATA, **kw)["ontologies"]["1_movie"]  # type: ignore[arg-type]
    # the fixed margin before (raising=False: without the learned margin both runs are the same, and fail)
    monkeypatch.setattr(training, "_learned_margin", lambda weights, examples: 0.25, raising=False)
    fixed = run(DATA, **kw)["ontologies"]["1_movie"]  # type: ignore[arg-type]
    assert learned["model_output"]["accepted_in_gold"] > fixed["model_output"]["accepted_in_gold"]
    assert learned["f1"] >= fixed["f1"]
