"""Fifth round of the offline engine on prose (issue 16): readings that generalise beyond the dev set.

Each case is a general reading of English, written for this file (not taken from the bench).
"""

from __future__ import annotations

from tests.test_prose_implicit_subjects import _facts

BIOGRAPHY = ["Where was a person born?", "Which university did a person attend?"]
FILM = ["Who directed a film?", "Who starred in a film?", "Which studio produced a film?",
        "Which awards did a film receive?"]


def test_a_noun_that_names_no_people_does_not_refer_to_a_person() -> None:
    # the text opens with the director's name, so a back reference by "the drama" must not mean her
    facts = _facts(FILM, "Director Mila Tann's latest film, Cold Harbour, opened in May. The drama, produced "
                         "by Vesta Pictures, stars Ola Berg. The film won the Golden Shell.")
    assert not any(o == "mila_tann" or s == "mila_tann" for s, _, o in facts), facts


def test_a_person_noun_still_refers_to_the_person() -> None:
    facts = _facts(BIOGRAPHY, "Anna Lind is a Swedish chemist. The chemist studied at Lund University.")
    assert ("anna_lind", "attends", "lund_university") in facts


def test_a_relative_clause_closed_before_and_does_not_give_the_next_verb_its_subject() -> None:
    facts = _facts(BIOGRAPHY, "Rosa Telli is a physicist. She grew up in Padua, where she was born, "
                              "and studied physics at the University of Bologna.")
    assert ("padua", "attends", "university_of_bologna") not in facts
    assert ("rosa_telli", "attends", "university_of_bologna") in facts


def test_a_relative_clause_still_names_its_own_subject() -> None:
    facts = _facts(BIOGRAPHY, "Rosa Telli is a physicist. Her brother is Marco Telli, who studied at "
                              "the University of Bologna.")
    assert ("marco_telli", "attends", "university_of_bologna") in facts
