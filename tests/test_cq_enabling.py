"""An enabling verb ("helps to", "allows users to", "lets me") hands the relation to the verb after it:
"Which tool helps to visualise data?" asks for tools that visualise data, never for a property ``helpsTo``
with a class ``VisualiseData``; where the one enabled is a class of the question ("allows a plant to grow")
three things are related and the question stays unread rather than guessed."""

from __future__ import annotations

import pytest

from hydra_magic.english.cq.parse import parse_cq


def _props(text: str) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    p = parse_cq(text)
    assert p is not None, text
    return {(r.name, r.domain, r.range) for r in p.properties}


@pytest.mark.parametrize("text, prop", [
    ("Which tool helps to visualise data?", ("visualises", ("Tool",), ("Data",))),
    ("Which tool allows users to visualise data?", ("visualises", ("Tool",), ("Data",))),
    ("Which software enables a user to analyse data?", ("analyses", ("Software",), ("Data",))),
    ("Which software lets me edit an image?", ("edits", ("Software",), ("Image",))),
    ("Which tools help researchers analyse data?", ("analyses", ("Tool",), ("Data",))),
])
def test_the_enabled_verb_is_the_relation(text: str, prop: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    assert _props(text) == {prop}


def test_a_negated_enabling_verb_negates_the_relation() -> None:
    p = parse_cq("Which software does not allow users to edit a file?")
    assert p is not None and p.negated and {r.name for r in p.properties} == {"edits"}


def test_a_class_enabled_to_act_is_left_unread() -> None:
    assert parse_cq("Which tool allows a plant to grow?") is None


def test_an_enabling_verb_with_a_plain_object_is_its_own_relation() -> None:
    assert _props("Which animal helps a plant?") == {("helps", ("Animal",), ("Plant",))}
