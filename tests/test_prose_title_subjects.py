"""A title opening with a plural-looking word before "in" is still the sentence's subject.

"Psychos in Love is a 1987 … film" was read as "Psychos" + "in Love" once the rule for
"Researchers at X discovered …" (a plural common noun before a place: no subject) ran before
the titles; tutorial 04 lost its genre fact (14 of 14 gold triples found became 13).
"""

from __future__ import annotations

import json
from pathlib import Path

from hydra_magic.session import Session, SessionConfig

DATA = Path(__file__).resolve().parents[1] / "tutorials" / "data"


def test_a_title_with_a_plural_first_word_before_in_is_the_subject() -> None:
    s = Session("titles", SessionConfig(journal_dir=None))
    s.load_ontology(DATA / "text2kgbench_movie_ontology.json")
    examples = [json.loads(line) for line in (DATA / "text2kgbench_movie_sentences.jsonl").read_text().splitlines()]
    s.engine.learn(examples, s.ontology)
    s.extract("Psychos in Love is a 1987 American black comedy horror film directed by Gorman Bechard.",
              source="t")
    labels = s.kg.labels()
    facts = {(labels.get(f.subject, ""), s.ontology.get_property(f.predicate).label)  # type: ignore[union-attr]
             for f in s.kg if s.ontology.get_property(f.predicate) is not None}
    assert ("Psychos in Love", "genre") in facts
    assert ("Psychos in Love", "director") in facts
