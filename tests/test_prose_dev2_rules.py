"""Prose reading, dev2 round (issue 16): rules found on dev paragraphs written for the purpose (``dev2-*``),
each general (no paragraph's words)."""

from __future__ import annotations

import pytest

from tests.test_prose_implicit_subjects import _facts

Triple = tuple[str, str, str]

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


MEDICINE = ["Which disease does a drug treat?", "What is a side effect of a drug?", "When was a drug approved?",
            "Which drug class does a drug belong to?"]
GEOGRAPHY = ["Which river does a city lie on?", "What is the population of a city?",
             "Which sea does a river flow into?"]


def test_its_is_the_topic_when_only_the_topic_fits_the_property() -> None:
    facts = _facts(MEDICINE, "Dorvalin is a monoclonal antibody used to treat asthma. The Pharma Board approved "
                             "Dorvalin on 3 March 2019. Its most frequent side effects include headache and fatigue.")
    assert {("dorvalin", "sideEffect", "headache"), ("dorvalin", "sideEffect", "fatigue")} <= facts
    assert not any(s == "pharma_board" for s, _, _ in facts)


def test_it_stays_the_previous_subject_when_the_topic_does_not_fit() -> None:
    facts = _facts(GEOGRAPHY, "The Lenva is a river that flows into the Grey Sea. Castova lies on the Lenva. "
                              "It has a population of 80,000.")
    assert not any(s == "lenva" and p == "population" for s, p, _ in facts)


@pytest.mark.parametrize("clause, office", [
    ("served as minister of research from 1979 to 1983", "minister_of_research"),
    ("was later elected mayor of Tarvo", "mayor_of_tarvo"),
    ("served as ambassador to Peru", "ambassador_to_peru"),
])
def test_an_office_keeps_what_it_is_held_of(clause: str, office: str) -> None:
    facts = _facts(["Which position did a person hold?"], f"Ilse Varga was a physicist. She {clause}.")
    assert ("ilse_varga", "holds", office) in facts


def test_a_plural_noun_opening_the_sentence_before_a_place_is_no_name_nor_subject() -> None:
    facts = _facts(MEDICINE + ["Who discovered a drug?"],
                   "Dorvalin is a monoclonal antibody. Researchers at Norvik, led by the chemist Sara Lind, "
                   "discovered the antibody in 2010. Regulators in Japan approved Dorvalin on 3 March 2019.")
    assert not any(s in ("researchers", "norvik", "regulators", "japan") for s, _, _ in facts)


def test_a_city_opening_the_sentence_before_a_year_stays_a_name() -> None:
    facts = _facts(GEOGRAPHY, "Athens in 2004 had a population of 80,000.")
    assert ("athens", "population", "80000") in facts


FILM = ["Who composed the music for a film?", "Which awards did a film receive?"]


def test_a_noun_that_wins_something_is_the_winner_not_the_topic() -> None:
    facts = _facts(FILM, "Grey Harbour is a 2017 drama film. The score, composed by the musician Mads Lund, won the "
                         "Lumen Award for Best Music.")
    assert not any(p == "receives" for _, p, _ in facts)


def test_the_film_and_the_club_that_win_something_are_still_the_topic() -> None:
    facts = _facts(FILM, "Grey Harbour is a 2017 drama film. The film won the Lumen Award.")
    assert ("grey_harbour", "receives", "lumen_award") in facts


BIOGRAPHY = ["Where was a person born?", "When was a person born?", "When did a person die?"]


@pytest.mark.parametrize("sentence, fact", [
    ("He died of tuberculosis on 17 December 1830 in Santa Marta.", ("ilse_varga", "deathDate", "1830-12-17")),
    ("She died at her home in Bath on 17 June 2024.", ("ilse_varga", "deathDate", "2024-06-17")),
    ("She was born Ilse Kovacs on 7 November 1867 in Graz.", ("ilse_varga", "birthDate", "1867-11-07")),
])
def test_a_full_date_after_prepositional_phrases_is_the_clauses(sentence: str, fact: Triple) -> None:
    assert fact in _facts(BIOGRAPHY, "Ilse Varga was a physicist. " + sentence)


def test_a_date_after_another_clause_is_not_the_triggers() -> None:
    facts = _facts(BIOGRAPHY, "Ilse Varga was a physicist. She was born in Graz and died in Vienna on 3 May 1950.")
    assert not any(p == "birthDate" for _, p, _ in facts)


def test_an_active_verbs_object_owns_the_date() -> None:
    facts = _facts(MEDICINE, "Dorvalin is a monoclonal antibody. The Pharma Board approved Dorvalin on 3 March 2019.")
    assert ("dorvalin", "approvalDate", "2019-03-03") in facts
    assert not any(s == "pharma_board" for s, _, _ in facts)
    facts = _facts(MEDICINE, "Dorvalin is a drug. The Pharma Board approved dorvalin on 3 March 2019 for adults.")
    assert not any(p == "approvalDate" for _, p, _ in facts)


@pytest.mark.parametrize("span, facts", [
    ("(12 May 1931 – 4 February 2008) was", {("ilse_varga", "birthDate", "1931-05-12"),
                                            ("ilse_varga", "deathDate", "2008-02-04")}),
    ("(born 12 May 1931) is", {("ilse_varga", "birthDate", "1931-05-12")}),
])
def test_a_life_span_in_brackets_gives_birth_and_death(span: str, facts: set[Triple]) -> None:
    got = _facts(BIOGRAPHY, f"Ilse Varga {span} an Austrian physicist.")
    assert facts <= got
    assert len([p for _, p, _ in got if p in ("birthDate", "deathDate")]) == len(facts)


def test_a_participle_after_a_place_that_locates_the_class_noun_is_the_subjects() -> None:
    facts = _facts(["Which countries border a country?"],
                   "Norvana is a small country in central Europe, bordered by Austria and Hungary.")
    assert {("austria", "borders", "norvana"), ("hungary", "borders", "norvana")} <= facts


def test_a_participle_after_another_title_stays_unread() -> None:
    facts = _facts(["Who directed a film?"], "Frost is a 1990 film. Frost was remade as Ice, directed by Tom Lind.")
    assert ("tom_lind", "directs", "frost") not in facts


def test_a_name_set_off_after_a_joined_property_noun_is_its_value_and_the_subject_after_it() -> None:
    facts = _facts(["What is the capital of a country?"] + GEOGRAPHY,
                   "Norvana is a country. Its capital and largest city, Tarvo, lies on the Lenva River and has "
                   "a population of 812,000.")
    assert {("norvana", "hasCapital", "tarvo"), ("tarvo", "liesOn", "lenva_river"),
            ("tarvo", "population", "812000")} <= facts


def test_a_name_in_brackets_after_an_opening_common_noun_is_the_subject() -> None:
    facts = _facts(["Where does a species live?", "Who described a species?"],
                   "The amber toad (Bufo aurantius) is a small toad found in mountain streams. It was first "
                   "described by the naturalist Giovanni Rossi in 1839.")
    assert {("bufo_aurantius", "livesIn", "mountain_streams"),
            ("giovanni_rossi", "describes", "bufo_aurantius")} <= facts


def test_a_relative_clause_after_the_opening_description_is_about_the_subject() -> None:
    facts = _facts(MEDICINE + ["Which protein does a drug inhibit?"],
                   "Dorvalin is a monoclonal antibody. The drug, which blocks interleukin-23, is sold in Spain.")
    assert ("dorvalin", "inhibits", "interleukin_23") in facts


def test_names_with_supporting_roles_join_the_cast_already_read() -> None:
    facts = _facts(["Who starred in a film?"], "Grey Harbour is a 2017 drama film. The film stars Eva Holm as a "
                                              "farmer, with Tom Lind and Mia Dahl in supporting roles.")
    assert {("tom_lind", "starsIn", "grey_harbour"), ("mia_dahl", "starsIn", "grey_harbour")} <= facts


def test_with_names_and_no_cast_read_states_nothing() -> None:
    facts = _facts(["Who starred in a film?"], "Grey Harbour is a 2017 drama film. It was shot in Oslo, with Tom "
                                              "Lind and Mia Dahl in supporting roles.")
    assert not any(s in ("tom_lind", "mia_dahl") for s, _, _ in facts)


SCIENCE = ["Which disease is a gene associated with?"]


@pytest.mark.parametrize("opening", ["Mutations in KRX2", "Mutations in the KRX2 gene"])
def test_mutations_in_a_gene_make_the_gene_the_subject(opening: str) -> None:
    facts = _facts(SCIENCE, f"KRX2 is a human gene. {opening} are associated with Usher syndrome.")
    assert ("krx2", "associatedWith", "usher_syndrome") in facts
    assert not any(s.startswith("mutations") for s, _, _ in facts)


def test_an_eponymous_disease_keeps_its_head_noun() -> None:
    facts = _facts(SCIENCE, "KRX2 is a human gene. KRX2 is associated with Lyme disease.")
    assert ("krx2", "associatedWith", "lyme_disease") in facts


@pytest.mark.parametrize("opener", ["Last year", "Earlier this month"])
def test_a_time_opener_is_no_name_and_the_pronoun_after_it_is_the_subject(opener: str) -> None:
    facts = _facts(["Which company acquired a company?"],
                   f"Korvo Foods is a Polish company. {opener} it bought the bakery chain Pekarna Nowak.")
    assert ("korvo_foods", "acquires", "pekarna_nowak") in facts
    assert not any(s in ("last", "earlier") for s, _, _ in facts)


@pytest.mark.parametrize("sentence", ["His wife Ada Marsh died in 2015.", "His wife, Ada Marsh, died in 2015.",
                                      "His wife, the sculptor Ada Marsh, died in 2015."])
def test_his_wife_names_the_spouse(sentence: str) -> None:
    facts = _facts(["Who is a person married to?"], "Tobias Rook was an architect. " + sentence)
    assert ("tobias_rook", "marriedTo", "ada_marsh") in facts


def test_a_number_of_inhabitants_before_the_noun_is_the_population() -> None:
    facts = _facts(GEOGRAPHY, "Tarvo is a city. It has about 310,000 inhabitants.")
    assert ("tarvo", "population", "310000") in facts


def test_another_owners_inhabitants_are_not_the_subjects() -> None:
    facts = _facts(GEOGRAPHY, "Tarvo is a city. Its old town is home to 8,000 of the country's 310,000 inhabitants.")
    assert ("tarvo", "population", "310000") not in facts


def test_plays_as_a_position_for_a_club() -> None:
    facts = _facts(["Which team does a player play for?", "Which position does a player play?"],
                   "Rita Oduro is a footballer who plays as a centre-back for the English club Harlow Athletic.")
    assert {("rita_oduro", "playsFor", "harlow_athletic"), ("rita_oduro", "plays", "centre_back")} <= facts


def test_a_groups_possessive_stays_inside_a_name() -> None:
    facts = _facts(["Which competition did a team win?"], "Harlow Athletic is a club. It won the FA Women's Trophy.")
    assert ("harlow_athletic", "wins", "fa_women_s_trophy") in facts


def test_a_month_alone_opens_the_sentence_and_the_club_after_it_refers_back() -> None:
    facts = _facts(["Which team did a team defeat?"], "Harlow Athletic is a club. In May the club beat Sheffield "
                                                      "Rovers 3–0.")
    assert ("harlow_athletic", "defeats", "sheffield_rovers") in facts
    assert not any(s == "may" for s, _, _ in facts)


def test_the_club_that_wins_is_the_topic_even_untyped() -> None:
    facts = _facts(["Which competition did a team win?"], "Harlow Athletic is a club. The club won the FA Cup in May.")
    assert ("harlow_athletic", "wins", "fa_cup") in facts


@pytest.mark.parametrize("agent", ["a team led by the chemist Lena Hoff",
                                   "a team at the University of Leiden led by Lena Hoff"])
def test_the_leader_of_a_team_is_the_discoverer(agent: str) -> None:
    facts = _facts(["Who discovered a drug?"], f"Dorvalin is a drug. Dorvalin was discovered in 2011 by {agent}.")
    assert ("lena_hoff", "discovers", "dorvalin") in facts
    assert not any(s in ("university_of_leiden", "team") for s, _, _ in facts)


@pytest.mark.parametrize("sentence, actor", [("Tom Ash plays a fisherman drawn into smuggling.", "tom_ash"),
                                             ("Lea Moran co-stars.", "lea_moran")])
def test_plays_a_role_and_co_stars_name_the_topics_cast(sentence: str, actor: str) -> None:
    facts = _facts(["Who starred in a film?"], "Iron Bay is a 2021 British thriller. " + sentence)
    assert (actor, "starsIn", "iron_bay") in facts


def test_other_cities_include_more_cities_of_the_topic_country() -> None:
    facts = _facts(["Which country is a city located in?"] + GEOGRAPHY,
                   "Norvana is a landlocked country. The Lenva flows into the Grey Sea. Other major cities include "
                   "Drask, an industrial centre on the Lenva, and the spa town of Lensa.")
    assert {("drask", "locatedIn", "norvana"), ("lensa", "locatedIn", "norvana")} <= facts


def test_other_cities_of_a_topic_that_is_no_country_state_nothing() -> None:
    facts = _facts(["Which country is a city located in?"], "Tarvo is a city. Other cities include Drask and Lensa.")
    assert not any(p == "locatedIn" for _, p, _ in facts)
