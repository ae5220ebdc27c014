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


MEDICINE = ["Which disease does a drug treat?", "Which company markets a drug?", "Which protein does a drug inhibit?",
            "Which drug class does a drug belong to?"]
BUSINESS = ["Who founded a company?", "Which company acquired a company?"]


def test_the_act_noun_before_of_is_no_object() -> None:
    facts = _facts(MEDICINE, "Tovarin is a painkiller. It was approved in 2012 for the treatment of gout "
                             "and bursitis.")
    assert ("tovarin", "treats", "gout") in facts
    assert ("tovarin", "treats", "bursitis") in facts
    assert not any(o == "treatment" for _, _, o in facts)


def test_a_kind_noun_before_a_code_is_not_part_of_it() -> None:
    facts = _facts(MEDICINE, "Tovarin is a painkiller. It works by blocking the enzyme lipoxygenase-5.")
    assert ("tovarin", "inhibits", "lipoxygenase_5") in facts


def test_what_a_speaker_says_is_not_the_speakers_act() -> None:
    for text in ("Orlen Data is a company. Its founder, Eva Lund, said the acquisition of Mira Soft had paid off.",
                 "Orlen Data is a company. Eva Lund said that Orlen Data acquired Mira Soft."):
        facts = _facts(BUSINESS, text)
        assert not any(s == "eva_lund" and p == "acquires" for s, p, _ in facts), facts


def test_a_speech_verb_after_the_clause_leaves_it_read() -> None:
    facts = _facts(BUSINESS, "Orlen Data is a company. Mira Soft was acquired by Orlen Data, the firm said.")
    assert ("orlen_data", "acquires", "mira_soft") in facts


def test_a_section_label_is_no_part_of_the_subject() -> None:
    facts = _facts(MEDICINE, "Background: Tovarin is a monoclonal antibody. Results: Tovarin is marketed by Kelso "
                             "Pharma.")
    assert ("tovarin", "belongsTo", "monoclonal_antibody") in facts
    assert ("kelso_pharma", "markets", "tovarin") in facts


def test_a_participle_opener_before_a_name_and_its_verb_leaves_the_place_out_of_the_subject() -> None:
    facts = _facts(BIOGRAPHY, "Born in Graz in 1940, Lotte Kern studied at the University of Vienna.")
    assert ("lotte_kern", "attends", "university_of_vienna") in facts
    assert ("lotte_kern", "bornIn", "graz") in facts
    assert not any(s == "graz" for s, _, _ in facts), facts


def test_the_class_noun_as_object_is_the_one_entity_of_that_class() -> None:
    facts = _facts(FILM, "Cold Harbour is a 2018 war film. Vesta Pictures produced the film. Released in May, "
                         "it received the Golden Shell.")
    assert ("vesta_pictures", "produces", "cold_harbour") in facts
    assert not any(s == "vesta_pictures" and p == "receives" for s, p, _ in facts), facts


def test_the_class_noun_with_a_modifier_after_it_is_not_the_entity() -> None:
    facts = _facts(FILM, "Cold Harbour is a 2018 war film. Vesta Pictures produced the film's sequel.")
    assert ("vesta_pictures", "produces", "cold_harbour") not in facts


LIFE = ["When was a person born?", "When did a person die?"]


def test_a_life_span_after_the_name_gives_birth_and_death_dates() -> None:
    facts = _facts(LIFE, "Lotte Kern (2 May 1901 – 30 June 1980) was an Austrian chemist.")
    assert ("lotte_kern", "birthDate", "1901-05-02") in facts
    assert ("lotte_kern", "deathDate", "1980-06-30") in facts


def test_a_span_of_years_is_no_date() -> None:
    facts = _facts(LIFE, "Lotte Kern (1901 – 1980) was an Austrian chemist.")
    assert not any(p in ("birthDate", "deathDate") for _, p, _ in facts)
