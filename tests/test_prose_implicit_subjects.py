"""Implicit owners (issue 16): a clause that names no owner is about the paragraph's topic, when the
topic is the one entity it may mean.

"The director is X", "The founder was X", "X plays the lead", "X, a composer, wrote the music": the
owner is among the topic and the previous sentence's subject, of the class the property takes. One
candidate: the fact; two (the paragraph has moved on to another film): no fact.
"""

from __future__ import annotations

import pytest

from hydra_magic.session import Session, SessionConfig

FILM = ["Who directed a film?", "Who starred in a film?", "Who composed the music for a film?",
        "Who wrote the screenplay of a film?"]
BUSINESS = ["Who founded a company?", "Where is a company headquartered?"]
SPORTS = ["Who coaches a team?", "Which team does a player play for?"]

TWO_FILMS = "Heatwave is a 2012 film directed by Anna Berg. Coldsnap is a 1990 film directed by Tom Lind. "


def _facts(cqs: list[str], text: str) -> set[tuple[str, str, str]]:
    s = Session("implicit", SessionConfig(model="rules", journal_dir=None))
    try:
        s.add_cqs(cqs)
        s.extract(text, source="t")
        return {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
                 str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts("t") if "type" not in str(f.predicate)}
    finally:
        s.close()


@pytest.mark.parametrize("sentence, fact", [
    ("The director is Anna Berg.", ("anna_berg", "directs", "heatwave")),
    ("Its director is Anna Berg.", ("anna_berg", "directs", "heatwave")),
    ("The director is Anna Berg, who also wrote the screenplay.", ("anna_berg", "directs", "heatwave")),
    ("The composer was Hans Zimmer.", ("hans_zimmer", "composesMusicFor", "heatwave")),
    ("The score was written by Hans Zimmer.", ("hans_zimmer", "composesMusicFor", "heatwave")),
    ("Hans Zimmer, a German composer, wrote the music.", ("hans_zimmer", "composesMusicFor", "heatwave")),
    ("Eva Holm plays the lead.", ("eva_holm", "starsIn", "heatwave")),
])
def test_a_role_or_property_noun_names_the_topic(sentence: str, fact: tuple[str, str, str]) -> None:
    assert fact in _facts(FILM, "Heatwave is a 2012 American crime film. " + sentence)


def test_a_list_plays_the_leading_roles_and_alongside_adds_more() -> None:
    facts = _facts(FILM, "Heatwave is a 2012 American crime film. Eva Holm and Tom Lind play the leading roles.")
    assert {("eva_holm", "starsIn", "heatwave"), ("tom_lind", "starsIn", "heatwave")} <= facts
    facts = _facts(FILM, "Heatwave is a 2012 American crime film. Eva Holm stars as a detective, alongside "
                         "Tom Lind and Mia Dahl.")
    assert {("eva_holm", "starsIn", "heatwave"), ("tom_lind", "starsIn", "heatwave"),
            ("mia_dahl", "starsIn", "heatwave")} <= facts


def test_the_founder_and_the_head_coach() -> None:
    facts = _facts(BUSINESS, "Halvorsen Marine is a Norwegian shipbuilding company. The founder was Olav Halvorsen.")
    assert ("olav_halvorsen", "founds", "halvorsen_marine") in facts
    facts = _facts(SPORTS, "Kestrel Bay FC is a football club. The head coach is Declan Moore.")
    assert ("declan_moore", "coaches", "kestrel_bay_fc") in facts
    assert ("kestrel_bay_fc", "coaches", "declan_moore") not in facts  # "coach" the noun is not the verb


def test_the_role_noun_of_a_verb_property_names_the_doer() -> None:
    facts = _facts(SPORTS, "Kestrel Bay FC is a football club. Declan Moore is the head coach of Kestrel Bay FC.")
    assert ("declan_moore", "coaches", "kestrel_bay_fc") in facts
    assert ("kestrel_bay_fc", "coaches", "declan_moore") not in facts


@pytest.mark.parametrize("sentence", [
    "The composer was Hans Zimmer.",
    "The music was composed by Hans Zimmer.",
    "Eva Holm plays the lead.",
    "The director is Eva Holm.",
])
def test_two_films_that_fit_make_it_ambiguous_and_yield_nothing(sentence: str) -> None:
    facts = _facts(FILM, TWO_FILMS + sentence)
    assert not {f for f in facts if f[0] in ("hans_zimmer", "eva_holm")}


@pytest.mark.parametrize("sentence", [
    "The director is Anna Berg's brother.",  # the director is someone else
    "The former director was Anna Berg.",  # not a role the noun names alone
    "Eva Holm stars as a detective in Coldsnap.",  # the object is named: not implicit
])
def test_clauses_that_name_another_owner_or_role_yield_no_implicit_fact(sentence: str) -> None:
    facts = _facts(FILM, "Heatwave is a 2012 American crime film. " + sentence)
    assert not {f for f in facts if f[2] == "heatwave" and f[0] in ("anna_berg", "eva_holm")}


MEDICINE = ["What is a side effect of a drug?", "Which disease does a drug treat?"]
GEOGRAPHY = ["What is the capital of a country?", "Which river does a city lie on?"]


@pytest.mark.parametrize("sentence", [
    "Side effects include nausea and bleeding.",  # "Side" opens the label's words: no name
    "The most common side effects are bleeding and nausea.",  # "bleeding" is a noun here
])
def test_side_effects_of_the_topic(sentence: str) -> None:
    facts = _facts(MEDICINE, "Corvaxin is an oral anticoagulant. " + sentence)
    assert {("corvaxin", "sideEffect", "nausea"), ("corvaxin", "sideEffect", "bleeding")} <= facts


def test_a_label_noun_joined_to_another_before_the_copula() -> None:
    facts = _facts(GEOGRAPHY, "Slovenia is a country in Central Europe. The capital and largest city is Ljubljana.")
    assert ("slovenia", "hasCapital", "ljubljana") in facts


def test_home_matches_name_the_home_ground() -> None:
    facts = _facts(["Which stadium is the home ground of a team?"],
                   "Kestrel Bay FC is a football club. The club plays its home matches at Harbour Park.")
    assert ("kestrel_bay_fc", "hasHomeGround", "harbour_park") in facts


def test_a_name_set_off_after_the_property_noun_is_the_value_and_the_subject_after_it() -> None:
    cqs = ["What is the capital of a country?", "Which river does a city lie on?",
           "What is the population of a city?"]
    for opener in ("The capital", "Its capital"):
        facts = _facts(cqs, "Valdoria is a landlocked country in the Balkans. "
                            f"{opener}, Mirograd, lies on the Vela river and has a population of about 420,000.")
        assert {("valdoria", "hasCapital", "mirograd"), ("mirograd", "liesOn", "vela"),
                ("mirograd", "population", "420000")} <= facts, opener
        assert ("valdoria", "liesOn", "vela") not in facts


def test_more_ways_a_clause_leaves_its_owner_implicit() -> None:
    assert {("eva_holm", "starsIn", "heatwave"), ("tom_lind", "starsIn", "heatwave")} <= _facts(
        FILM, "Heatwave is a 2012 American crime film. The cast includes Eva Holm and Tom Lind.")
    assert ("olav_halvorsen", "founds", "halvorsen_marine") in _facts(
        BUSINESS, "Halvorsen Marine is a Norwegian shipbuilding company. Its founder, Olav Halvorsen, was an engineer.")
    assert ("halvorsen_marine", "headquarteredIn", "bergen") in _facts(
        BUSINESS, "Halvorsen Marine is a Norwegian shipbuilding company. Its headquarters are in Bergen.")


def test_a_demonym_before_a_copula_is_a_name_in_the_list() -> None:
    facts = _facts(["What is the official language of a country?"],
                   "Slovenia is a country in Central Europe. Slovene and Italian are the official languages.")
    assert {("slovenia", "officialLanguage", "Slovene"), ("slovenia", "officialLanguage", "Italian")} <= facts
