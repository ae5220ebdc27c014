"""General English paraphrases of the prose CQ sets' relations (issue 16 item 1), and three faults they
showed: a data property's alternative label took an object property's phrases (both lost them), a noun
that opens another property's phrase was read as a category, and a belief ("suspect that") was a fact.
Sentences written here, not copied from a data file."""

from __future__ import annotations

import pytest

from hydra_magic.session import Session, SessionConfig

FILM = ["Who directed a film?", "Who composed the music for a film?", "Who wrote the screenplay of a film?",
        "Which studio produced a film?"]
MEDICINE = ["Which disease does a drug treat?", "Which protein does a drug inhibit?",
            "Which drug class does a drug belong to?"]
BUSINESS = ["Who founded a company?", "When was a company founded?"]
BIOGRAPHY = ["Which university did a person attend?", "Where was a person born?"]
SCIENCE = ["Which pathogen infects a species?", "What does a species feed on?", "Where does a species live?"]


def _read(cqs: list[str], text: str) -> tuple[Session, set[tuple[str, str, str]]]:
    """A session with ``cqs`` asked and ``text`` extracted, and its facts as local names."""
    s = Session("paraphrases7", SessionConfig(journal_dir=None))
    s.add_cqs(cqs)
    s.extract(text, source="t")
    return s, {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
                str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts("t")}


def _facts(cqs: list[str], text: str) -> set[tuple[str, str, str]]:
    return _read(cqs, text)[1]


@pytest.mark.parametrize("cqs, text, fact", [
    (FILM, "Night Harbour is a 2019 film. Lena Berg wrote the score for Night Harbour.",
     ("lena_berg", "composesMusicFor", "night_harbour")),
    (FILM, "Night Harbour is a 2019 thriller film with a script by Tove Ask.",
     ("tove_ask", "writesScreenplayOf", "night_harbour")),
    (MEDICINE, "Velmora is a drug used in the treatment of psoriasis.", ("velmora", "treats", "psoriasis")),
    (MEDICINE, "Velmora is a drug. Velmora is an antagonist of the protein TNF.", ("velmora", "inhibits", "tnf")),
    (BIOGRAPHY, "Anna Berg is a painter. She is a graduate of the University of Oslo.",
     ("anna_berg", "attends", "university_of_oslo")),
    (SCIENCE, "Batrachochytrium dendrobatidis is a pathogen of the frog Rana muscosa.",
     ("batrachochytrium_dendrobatidis", "infects", "rana_muscosa")),
])
def test_a_general_paraphrase_is_read_as_the_property(cqs: list[str], text: str,
                                                     fact: tuple[str, str, str]) -> None:
    assert fact in _facts(cqs, text)


def test_a_data_property_with_the_verb_as_its_alternative_label_leaves_the_verbs_phrases_alone() -> None:
    # "founding year" has the alternative label "founded": it took "founder of" and "established by" from
    # the verb's phrases, shared them with founds, and neither property read them.
    facts = _facts(BUSINESS, "Acme Corp is a company. Jane Roe is the founder of Acme Corp. "
                             "Acme Corp was established by Tom Lee.")
    assert {("jane_roe", "founds", "acme_corp"), ("tom_lee", "founds", "acme_corp")} <= facts


def test_a_noun_that_opens_another_propertys_phrase_is_no_category() -> None:
    facts = _facts(MEDICINE, "Velmora is a drug. Velmora is a treatment for psoriasis.")
    assert ("velmora", "treats", "psoriasis") in facts
    assert not {f for f in facts if f[1] == "belongsTo"}
    kept = _facts(MEDICINE, "Imatinib is a tyrosine kinase inhibitor.")
    assert ("imatinib", "belongsTo", "tyrosine_kinase_inhibitor") in kept


def test_a_belief_is_no_fact() -> None:
    s = Session("belief", SessionConfig(journal_dir=None))
    s.add_cqs(SCIENCE)
    r = s.extract("Rana muscosa is a frog. Biologists suspect that Rana muscosa lives in Alpine Lake.",
                  source="t")
    assert not any(str(f.predicate).endswith("livesIn") for f in s.kg.facts("t"))
    assert "hedged" in r.to_text()


GEOGRAPHY = ["Which country is a city located in?", "Which river does a city lie on?"]


@pytest.mark.parametrize("text", ["Velna is a city in Norland.", "Velna is a small port town in southern Norland."])
def test_a_settlement_noun_and_in_locate_it(text: str) -> None:
    assert ("velna", "locatedIn", "norland") in _facts(GEOGRAPHY, text)


def test_a_latin_epithet_in_x_completes_the_species_name() -> None:
    facts = _facts(SCIENCE, "The ridgeback beetle (Carabus velox) is a ground beetle. It lives in alpine meadows.")
    assert ("carabus_velox", "livesIn", "alpine_meadows") in facts
    # an English word in -ex after a name stays out of it
    assert ("velna_complex" not in {f[0] for f in _facts(GEOGRAPHY, "Velna complex lies on the river Aska.")})


@pytest.mark.parametrize("text, fact", [
    ("Velmora is a drug. It is used for the treatment of moderate to severe plaque psoriasis in adults.",
     ("velmora", "treats", "plaque_psoriasis")),
    ("Velmora is a drug used to treat mild to moderate asthma.", ("velmora", "treats", "asthma")),
    ("Velmora is a drug. It belongs to the class of drugs known as interleukin inhibitors.",
     ("velmora", "belongsTo", "interleukin_inhibitors")),
])
def test_a_severity_range_or_a_known_as_phrase_is_not_the_object(text: str, fact: tuple[str, str, str]) -> None:
    facts = _facts(MEDICINE, text)
    assert fact in facts
    assert not {f for f in facts if f[2] in ("moderate", "mild", "class")}


@pytest.mark.parametrize("cqs, text, fact", [
    (["Who is the chief executive of a company?"],
     "Zed Inc is a rival. Acme Corp's chief executive, Tom Lee, joined in 2015.",
     ("acme_corp", "hasChiefExecutive", "tom_lee")),
    (BUSINESS, "Acme Corp is a company. Acme Corp's founder, Jane Roe, retired in 2010.",
     ("jane_roe", "founds", "acme_corp")),
    (FILM, "Heat is a 1995 film. Heat's director, Michael Mann, also wrote the screenplay.",
     ("michael_mann", "directs", "heat")),
])
def test_a_named_owners_role_set_off_by_commas_relates_the_names(cqs: list[str], text: str,
                                                                 fact: tuple[str, str, str]) -> None:
    assert fact in _facts(cqs, text)


def test_a_relative_clause_after_a_name_and_its_head_noun_is_the_names() -> None:
    facts = _facts(GEOGRAPHY + ["Which sea does a river flow into?"],
                   "Tessin is a city. It lies on the Varna river, which flows into the Black Sea.")
    assert {("tessin", "liesOn", "varna"), ("varna", "flowsInto", "black_sea")} <= facts


@pytest.mark.parametrize("text", ["Dorvalimab is a drug used to treat Crohn's disease and rheumatoid arthritis.",
                                  "Dorvalimab is a drug used to treat rheumatoid arthritis and Crohn's disease."])
def test_an_eponymous_disease_is_a_noun_item(text: str) -> None:
    facts = _facts(MEDICINE, text)
    assert {("dorvalimab", "treats", "crohn_s_disease"), ("dorvalimab", "treats", "rheumatoid_arthritis")} <= facts


def test_a_plural_noun_for_people_opening_a_sentence_is_no_name() -> None:
    s, facts = _read(SCIENCE, "Rana muscosa is a frog. Researchers found that Rana muscosa lives in Alpine Lake.")
    assert ("rana_muscosa", "livesIn", "alpine_lake") in facts  # was (researchers, livesIn, alpine_lake)
    assert not [e for e in s.kg.entities() if str(e).endswith("/researchers")]
