"""'What is the number of X (that) …?' is a count, read as 'How many X …?' (issue 16: counts as count
queries); 'the number of X of Y' stays an attribute of Y."""

from __future__ import annotations

import pytest

from hydra_magic.english.cq.parse import parse_cq


@pytest.mark.parametrize("text, same_as", [
    ("What is the number of awards a film won?", "How many awards did a film win?"),
    ("What is the number of awards that a film won?", "How many awards did a film win?"),
    ("What is the total number of films that won an award?", "How many films won an award?"),
    ("What is the number of formats a tool can read?", "How many formats can a tool read?"),
    ("What is the number of plants eaten by an animal?", "How many plants are eaten by an animal?"),
    ("What is the number of pages a book has?", "How many pages does a book have?"),
])
def test_the_number_of_reads_as_how_many(text: str, same_as: str) -> None:
    p, q = parse_cq(text), parse_cq(same_as)
    assert p is not None and q is not None
    assert p.pattern.startswith("number_of_")
    assert (p.properties, p.answer, p.aggregate) == (q.properties, q.answer, q.aggregate)


def test_a_count_answers_a_count() -> None:
    p = parse_cq("What is the number of awards a film won?")
    assert p is not None and p.answer == "count"


def test_the_number_of_x_of_y_stays_an_attribute() -> None:
    p = parse_cq("What is the number of films of a director?")
    assert p is not None and not p.pattern.startswith("number_of") and p.properties[0].kind == "data"


def test_no_clause_is_no_count() -> None:
    p = parse_cq("What is the number of users?")
    assert p is None or not p.pattern.startswith("number_of")
