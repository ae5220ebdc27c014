"""Counts and articles read right everywhere (issue 17: "1 CQs", "1 data properties", "is a Actor")."""

from __future__ import annotations

import pytest

from hydra_magic.session import Session, SessionConfig
from hydra_magic.views import OntologyDisplay
from hydra_magic.wording import a, count


@pytest.mark.parametrize("n, noun, said", [(1, "CQ", "1 CQ"), (2, "CQ", "2 CQs"), (0, "fact", "0 facts"),
                                           (1, "data property", "1 data property"),
                                           (3, "data property", "3 data properties"), (2, "class", "2 classes"),
                                           (1, "entity", "1 entity"), (1200, "triple", "1,200 triples")])
def test_count(n: int, noun: str, said: str) -> None:
    assert count(n, noun) == said


@pytest.mark.parametrize("word, said", [("Actor", "an Actor"), ("Film", "a Film"), ("Element", "an Element"),
                                        ("University", "a University"), ("hour", "an hour")])
def test_article(word: str, said: str) -> None:
    assert a(word) == said


def test_messages_use_them() -> None:
    s = Session("words", SessionConfig(journal_dir=None))
    r = s.add_cqs("Which films did a director direct?")
    assert r.to_text().startswith("1 competency question: ")
    text = OntologyDisplay(s).to_text()
    assert "1 CQ" in text and "1 CQs" not in text and "0 data properties" in text
    s.extract("Ridley Scott is a director. Alien is a film.")
    r = s.extract("Alien directed Ridley Scott.")
    msg = " ".join(i.message for rej in r.rejected for i in rej.issues)
    assert "is a Director" in msg and "is a Film" in msg  # and never "is a Actor"-style articles
