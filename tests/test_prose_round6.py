"""Prose reading, round 6 (issue 16): rules found on dev paragraphs written for the purpose (``dev2-*``),
each general (no paragraph's words)."""

from __future__ import annotations

import pytest

from tests.test_prose_implicit_subjects import _facts

SPORTS = ["Who coaches a team?", "Which position does a player play?"]


@pytest.mark.parametrize("role", ["the former Scotland defender", "the Welsh manager"])
def test_a_name_before_a_role_noun_only_qualifies_the_person_after_it(role: str) -> None:
    facts = _facts(SPORTS, f"Ardley Town is a football club. The team is coached by {role} Alan Mackie.")
    assert ("alan_mackie", "coaches", "ardley_town") in facts
    assert not any(s in ("scotland", "welsh") for s, _, _ in facts)


def test_a_former_role_several_modifiers_back_is_no_position() -> None:
    facts = _facts(SPORTS, "Ardley Town is a football club. The team is coached by the former Scotland defender "
                           "Alan Mackie.")
    assert not any(p == "plays" for _, p, _ in facts)
