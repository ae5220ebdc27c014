"""Entities as people write them (issue 16 items 3 and 4): common-noun entities where the
ontology's class takes them, species names, short mentions of a full name, ambiguous pronouns,
numbers and years as typed literals.

Every sentence here is written for these tests (none is from the prose dev set); each test
asserts the exact relation triples the offline engine proposes.
"""

from __future__ import annotations

import pytest
from rdflib import XSD

from hydra_magic.candidates import IS_A, TextChunk
from hydra_magic.english.text import extract_triples
from hydra_magic.english.text.reported import ReportedCandidate
from hydra_magic.kg import KnowledgeGraph
from hydra_magic.ontology import Ontology


@pytest.fixture
def onto() -> Ontology:
    o = Ontology()
    drug = o.add_class("Drug", label="drug", refresh=False)
    disease = o.add_class("Disease", label="disease", refresh=False)
    drug_class = o.add_class("DrugClass", label="drug class", refresh=False)
    company = o.add_class("Company", label="company", refresh=False)
    product = o.add_class("Product", label="product", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    element = o.add_class("Element", label="element", refresh=False)
    organism = o.add_class("Organism", label="organism", refresh=False)
    compound = o.add_class("Compound", label="compound", refresh=False)
    city = o.add_class("City", label="city", refresh=False)
    o.add_property("treats", "object", [drug], [disease], label="treats", refresh=False)
    o.add_property("belongsTo", "object", [drug], [drug_class], label="belongs to", refresh=False)
    o.add_property("sells", "object", [company], [product], label="sells", refresh=False)
    o.add_property("sideEffect", "data", [drug], [XSD.string], label="side effect", refresh=False)
    o.add_property("discovers", "object", [person], [element], label="discovers", refresh=False)
    o.add_property("produces", "object", [organism], [compound], label="produces", alt_labels=["produced by"],
                   refresh=False)
    o.add_property("locatedIn", "object", [company], [city], label="located in", refresh=False)
    o.refresh()
    return o


def _rels(text: str, onto: Ontology) -> list[tuple[str, str, str]]:
    cands = extract_triples(TextChunk(text), onto, KnowledgeGraph())
    # an ambiguous reference's reading is reported, never a fact (tests/test_ambiguous_reference.py)
    return [(c.subject, c.predicate, c.object) for c in cands
            if c.predicate != IS_A and not isinstance(c, ReportedCandidate)]


# ---------------------------------------------------------------- common nouns
def test_a_list_of_lower_case_diseases_after_a_paraphrase(onto: Ontology) -> None:
    assert _rels("Quinoral is used to treat malaria, chronic sinusitis and bacterial meningitis.", onto) == [
        ("quinoral", "treats", "malaria"),
        ("quinoral", "treats", "chronic_sinusitis"),
        ("quinoral", "treats", "bacterial_meningitis"),
    ]


def test_lower_case_elements_after_a_coordinated_subject(onto: Ontology) -> None:
    assert _rels("Ida Noddack and Walter Noddack discovered rhenium in 1925.", onto) == [
        ("ida_noddack", "discovers", "rhenium"),
        ("walter_noddack", "discovers", "rhenium"),
    ]


def test_products_a_company_sells_and_the_participle_that_ends_the_phrase(onto: Ontology) -> None:
    assert _rels("Harbourline sells smoked salmon and pickled mackerel made in Bergen.", onto) == [
        ("harbourline", "sells", "smoked_salmon"),
        ("harbourline", "sells", "pickled_mackerel"),
    ]


def test_a_category_named_by_a_copula(onto: Ontology) -> None:
    assert _rels("Tovarin is a proton pump inhibitor used to treat gastritis.", onto) == [
        ("tovarin", "treats", "gastritis"),
        ("tovarin", "belongsTo", "proton_pump_inhibitor"),
    ]


def test_a_text_property_whose_label_asks_for_common_nouns(onto: Ontology) -> None:
    assert _rels("Tovarin has mild side effects such as dizziness and dry mouth.", onto) == [
        ("tovarin", "sideEffect", "dizziness"),
        ("tovarin", "sideEffect", "dry mouth"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Harbourline sells the product worldwide.",  # a class's own name is a description
        "Harbourline sells a product of its own.",  # no particular one
        "Harbourline sells many things.",  # a generic word
        "Brandt Ltd sells the Nordic brand Sjora.",  # a phrase before a name describes the name
    ],
)
def test_descriptions_and_generic_nouns_are_not_entities(onto: Ontology, text: str) -> None:
    assert [r for r in _rels(text, onto) if r[1] == "sells" and r[2] != "sjora"] == []


def test_a_class_that_takes_names_reads_no_common_noun(onto: Ontology) -> None:
    # City is written with names: "the harbour" is not a city
    assert _rels("Harbourline is located in the harbour district.", onto) == []


def test_a_list_joined_by_commas_only_is_one_item(onto: Ontology) -> None:
    assert _rels("Quinoral treats malaria, though rarely.", onto) == [("quinoral", "treats", "malaria")]


# ---------------------------------------------------------------- species names
def test_a_binomial_species_name_is_one_name(onto: Ontology) -> None:
    assert _rels("Cefrazine is produced by the soil bacterium Amycolatopsis orientalis.", onto) == [
        ("amycolatopsis_orientalis", "produces", "cefrazine"),
    ]


def test_an_abbreviated_genus_keeps_its_epithet(onto: Ontology) -> None:
    assert _rels("Later, A. orientalis produces cefrazine in culture.", onto)[:1] == [
        ("a_orientalis", "produces", "cefrazine"),
    ]


def test_an_english_word_after_a_name_is_no_epithet(onto: Ontology) -> None:
    assert _rels("Harbourline sells salmon in the Bergen area.", onto) == [("harbourline", "sells", "salmon")]


# ---------------------------------------------------------------- one name per entity
@pytest.fixture
def people() -> Ontology:
    o = Ontology()
    person = o.add_class("Person", label="person", refresh=False)
    award = o.add_class("Award", label="award", refresh=False)
    place = o.add_class("Place", label="place", refresh=False)
    company = o.add_class("Company", label="company", refresh=False)
    o.add_property("receives", "object", [person], [award], label="receives", alt_labels=["received"],
                   refresh=False)
    o.add_property("bornIn", "object", [person], [place], label="born in", refresh=False)
    o.add_property("deathDate", "data", [person], [XSD.date], label="death date", alt_labels=["died on"],
                   refresh=False)
    o.add_property("foundingDate", "data", [company], [XSD.date], label="founding date",
                   alt_labels=["founded in"], refresh=False)
    o.add_property("population", "data", [place], [XSD.integer], label="population", refresh=False)
    o.refresh()
    return o


def test_a_short_mention_joins_the_one_full_name_it_shortens(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. Lind received the Polar Medal in 1990."
    assert _rels(text, people) == [
        ("greta_lind", "bornIn", "malmo"),
        ("greta_lind", "receives", "polar_medal"),
    ]


def test_a_short_mention_keeps_its_own_words_as_the_surface(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. Lind received the Polar Medal in 1990."
    cands = extract_triples(TextChunk(text), people, KnowledgeGraph())
    medal = next(c for c in cands if c.predicate == "receives")
    assert (medal.subject, medal.subject_text) == ("greta_lind", "Lind")
    assert medal.subject_span is not None and text[medal.subject_span[0]:medal.subject_span[1]] == "Lind"


def test_a_short_mention_of_two_full_names_yields_no_fact(people: Ontology) -> None:
    text = "Greta Lind and Oskar Lind were born in Malmo. Lind received the Polar Medal in 1990."
    assert _rels(text, people) == [("greta_lind", "bornIn", "malmo"), ("oskar_lind", "bornIn", "malmo")]


def test_a_place_name_is_not_the_short_form_of_an_institution(people: Ontology) -> None:
    text = "Greta Lind received the Medal of Malmo. Olle Berg was born in Malmo."
    assert ("olle_berg", "bornIn", "malmo") in _rels(text, people)


def test_a_pronoun_after_a_group_subject_yields_no_fact(people: Ontology) -> None:
    text = "Greta Lind and Anna Berg were born in Malmo. She received the Polar Medal in 1990."
    assert _rels(text, people) == [("greta_lind", "bornIn", "malmo"), ("anna_berg", "bornIn", "malmo")]


def test_a_pronoun_whose_gender_fits_one_member_of_the_group(people: Ontology) -> None:
    # "she" fits Greta (a "she" referred to her before); Peter is a man's name
    text = ("Greta Lind was born in Malmo. She received the Polar Medal. "
            "Greta Lind and Peter Lind were born in Malmo. She died on 2 May 2001.")
    assert ("greta_lind", "deathDate", "2001-05-02") in _rels(text, people)
    assert ("peter_lind", "deathDate", "2001-05-02") not in _rels(text, people)


def test_a_pronoun_in_a_later_clause_of_a_group_subject_yields_no_fact(people: Ontology) -> None:
    text = "Greta Lind and her student Anna Berg built a ship, and later she received the Polar Medal."
    assert _rels(text, people) == []


def test_a_pronoun_with_one_candidate_still_resolves(people: Ontology) -> None:
    assert _rels("Greta Lind was born in Malmo. She received the Polar Medal.", people) == [
        ("greta_lind", "bornIn", "malmo"),
        ("greta_lind", "receives", "polar_medal"),
    ]


def test_her_relative_is_the_subject_after_the_name(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. Her sister Karin Lind also received the Polar Medal."
    assert ("karin_lind", "receives", "polar_medal") in _rels(text, people)
    assert ("greta_lind", "receives", "polar_medal") not in _rels(text, people)


# ---------------------------------------------------------------- numbers, years, dates
def test_a_year_for_a_date_property_is_proposed_as_written(people: Ontology) -> None:
    # the contracts, not the engine, say that a year is no date (see the next test)
    assert _rels("Nordvik Shipping was founded in 1921.", people) == [("nordvik_shipping", "foundingDate", "1921")]


def test_the_contracts_say_that_a_year_is_no_date() -> None:
    from hydra_magic.contracts.values import check_literal

    issue = check_literal("1921", XSD.date)
    assert issue is not None and issue.code == "literal_datatype_mismatch"
    assert "only the year" in issue.message and "xsd:gYear" in issue.hint
    assert check_literal("1921-05-02", XSD.date) is None


def test_a_full_date_stays_a_date(people: Ontology) -> None:
    assert _rels("Greta Lind died on 2 May 2001 in Malmo.", people) == [("greta_lind", "deathDate", "2001-05-02")]


def test_a_quantity_with_a_scale_word_and_an_approximation(people: Ontology) -> None:
    assert _rels("Malmo has a population of about 1.3 million.", people) == [("malmo", "population", "1300000")]


def test_a_quantity_with_thousands_separators(people: Ontology) -> None:
    assert _rels("Lund has a population of roughly 91,000.", people) == [("lund", "population", "91,000")]


def test_adverse_effects_paraphrase_side_effects(onto: Ontology) -> None:
    text = "Tovarin was tested in 2019. Its most common adverse effects were insomnia and dry skin."
    assert _rels(text, onto) == [("tovarin", "sideEffect", "insomnia"), ("tovarin", "sideEffect", "dry skin")]


def test_a_sentence_that_names_nothing_is_about_the_topic(onto: Ontology) -> None:
    text = "Tovarin treats gastritis. Reported side effects include headache and nausea."
    assert _rels(text, onto) == [
        ("tovarin", "treats", "gastritis"),
        ("tovarin", "sideEffect", "headache"),
        ("tovarin", "sideEffect", "nausea"),
    ]


def test_a_sentence_that_names_something_keeps_its_own_subject(onto: Ontology) -> None:
    text = "Tovarin treats gastritis. In trials at Uppsala, side effects included headache."
    assert ("tovarin", "sideEffect", "headache") not in _rels(text, onto)


@pytest.fixture
def counts() -> Ontology:
    o = Ontology()
    company = o.add_class("Company", label="company", refresh=False)
    player = o.add_class("Player", label="player", refresh=False)
    o.add_property("numberOfEmployees", "data", [company], [XSD.integer], label="number of employees",
                   refresh=False)
    o.add_property("numberOfGoals", "data", [player], [XSD.integer], label="number of goals", refresh=False)
    o.refresh()
    return o


def test_a_count_property_reads_the_number_before_its_noun(counts: Ontology) -> None:
    assert _rels("Nordvik Shipping has roughly 4,200 employees.", counts) == [
        ("nordvik_shipping", "numberOfEmployees", "4,200")
    ]
    assert _rels("Ole Berg scored 31 league goals.", counts) == [("ole_berg", "numberOfGoals", "31")]


def test_employed_paraphrases_the_number_of_employees_after_an_as_of_opener(counts: Ontology) -> None:
    assert _rels("As of 2020 Nordvik Shipping employed 4,200 people.", counts) == [
        ("nordvik_shipping", "numberOfEmployees", "4,200")
    ]


def test_a_pronoun_with_a_rival_of_its_gender_in_the_sentence_before_yields_no_fact(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. She hired Anna Berg in 1990. She received the Polar Medal."
    assert [r for r in _rels(text, people) if r[1] == "receives"] == []


def test_a_rival_of_the_other_gender_leaves_the_pronoun_resolved(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. She hired Peter Berg in 1990. She received the Polar Medal."
    assert ("greta_lind", "receives", "polar_medal") in _rels(text, people)


def test_a_birth_name_is_no_rival_of_its_bearer(people: Ontology) -> None:
    text = "Greta Lind was born in Malmo. She was born Greta Holm in 1950. She received the Polar Medal."
    assert ("greta_lind", "receives", "polar_medal") in _rels(text, people)


def test_where_a_species_lives_is_written_with_common_nouns() -> None:
    o = Ontology()
    species = o.add_class("Species", label="species", refresh=False)
    place = o.add_class("Place", label="place", refresh=False)
    company = o.add_class("Company", label="company", refresh=False)
    o.add_property("livesIn", "object", [species], [place], label="lives in", refresh=False)
    o.add_property("basedIn", "object", [company], [place], label="based in", refresh=False)
    o.refresh()
    assert _rels("Salmo trutta lives in cold rivers and mountain lakes.", o) == [
        ("salmo_trutta", "livesIn", "cold_rivers"),
        ("salmo_trutta", "livesIn", "mountain_lakes"),
    ]
    # a company's place is a name: "the harbour district" is no place entity
    assert _rels("Harbourline is based in the harbour district.", o) == []


# ---------------------------------------------------------------- lists whose items end in their own words
@pytest.fixture
def lists() -> Ontology:
    o = Ontology()
    country = o.add_class("Country", label="country", refresh=False)
    company = o.add_class("Company", label="company", refresh=False)
    product = o.add_class("Product", label="product", refresh=False)
    o.add_property("borders", "object", [country], [country], label="borders",
                   alt_labels=["bordered by"], refresh=False)
    o.add_property("sells", "object", [company], [product], label="sells", refresh=False)
    o.refresh()
    return o


def test_a_list_of_neighbours_each_with_its_direction(lists: Ontology) -> None:
    text = "Moldavia is bordered by Poland to the north, Serbia to the west and Greece to the south."
    # the passive names the bordering countries as the subjects
    assert _rels(text, lists) == [
        ("poland", "borders", "moldavia"),
        ("serbia", "borders", "moldavia"),
        ("greece", "borders", "moldavia"),
    ]


def test_a_list_of_products_each_with_its_common_noun(lists: Ontology) -> None:
    text = "Norvik sells the Tundra game engine, the Fjord browser and Polar headsets."
    assert _rels(text, lists) == [
        ("norvik", "sells", "tundra"),
        ("norvik", "sells", "fjord"),
        ("norvik", "sells", "polar"),
    ]


def test_a_name_after_a_clause_of_its_own_is_no_list_item(lists: Ontology) -> None:
    text = "Norvik sells the Tundra engine, which Halden Games licensed in 2019."
    assert _rels(text, lists) == [("norvik", "sells", "tundra")]


# ---------------------------------------------------------------- "the club" after an opening clause
@pytest.fixture
def clubs() -> Ontology:
    o = Ontology()
    team = o.add_class("Team", label="team", refresh=False)
    stadium = o.add_class("Stadium", label="stadium", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    o.add_property("playsAt", "object", [team], [stadium], label="plays at", refresh=False)
    o.add_property("coaches", "object", [person], [team], label="coaches", alt_labels=["coached by"],
                   refresh=False)
    o.refresh()
    return o


def test_a_noun_that_refers_back_after_an_opening_participle(clubs: Ontology) -> None:
    text = ("The Halden Hawks are a hockey club. Formed after the war, the club plays at Fjell Park "
            "and is coached by Ivar Moe.")
    assert _rels(text, clubs) == [("halden_hawks", "playsAt", "fjell_park"), ("ivar_moe", "coaches", "halden_hawks")]


def test_a_noun_that_refers_back_after_an_opening_date(clubs: Ontology) -> None:
    assert _rels("The Halden Hawks are a hockey club. In 2004, the club played at Fjell Park.", clubs) == [
        ("halden_hawks", "playsAt", "fjell_park")
    ]


def test_a_name_after_an_opening_clause_is_still_the_subject(clubs: Ontology) -> None:
    text = "The Halden Hawks are a hockey club. In 2004, the Bergen Bears played at Fjell Park."
    assert _rels(text, clubs) == [("bergen_bears", "playsAt", "fjell_park")]


def test_an_irregular_participle_opens_a_clause_before_a_pronoun(people: Ontology) -> None:
    text = "Greta Lind is a chemist. Born in Malmo, she moved to Paris in 1970."
    assert [r for r in _rels(text, people) if r[1] == "bornIn"] == [("greta_lind", "bornIn", "malmo")]


def test_products_before_a_relative_clause_of_the_selling_verb(lists: Ontology) -> None:
    text = "Harbourline is a company. It makes smoked salmon and pickled mackerel, which it sells in Oslo."
    assert _rels(text, lists) == [
        ("harbourline", "sells", "smoked_salmon"),
        ("harbourline", "sells", "pickled_mackerel"),
    ]


def test_a_relative_clause_about_another_subject_reads_nothing_before_it(lists: Ontology) -> None:
    text = "Harbourline is a company. It makes smoked salmon, which Norway sells to Japan."
    assert _rels(text, lists) == []


# ---------------------------------------------------------------- "Its chief executive, X, …"
@pytest.fixture
def firms() -> Ontology:
    o = Ontology()
    company = o.add_class("Company", label="company", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    city = o.add_class("City", label="city", refresh=False)
    o.add_property("chiefExecutive", "object", [company], [person], label="chief executive", refresh=False)
    o.add_property("headquarters", "object", [company], [city], label="headquarters", refresh=False)
    o.refresh()
    return o


def test_a_name_set_off_after_a_possessive_and_the_property_noun(firms: Ontology) -> None:
    text = "Norvik Shipping is a ferry operator. Its chief executive, Ingrid Dahl, joined in 2015."
    assert _rels(text, firms) == [("norvik_shipping", "chiefExecutive", "ingrid_dahl")]


def test_a_comma_after_the_property_noun_without_a_possessive_opener_is_no_apposition(firms: Ontology) -> None:
    text = "Norvik Shipping named a chief executive, Ingrid Dahl said."
    assert _rels(text, firms) == []


# ---------------------------------------------------------------- "Mutations in the X gene are …"
@pytest.fixture
def genes() -> Ontology:
    o = Ontology()
    gene = o.add_class("Gene", label="gene", refresh=False)
    disease = o.add_class("Disease", label="disease", refresh=False)
    o.add_property("associatedWith", "object", [gene], [disease], label="associated with", refresh=False)
    o.refresh()
    return o


def test_the_name_inside_a_noun_phrase_subject_is_the_subject(genes: Ontology) -> None:
    text = "Variants in the KRT14 gene are associated with epidermolysis bullosa."
    assert _rels(text, genes) == [("krt14", "associatedWith", "epidermolysis_bullosa")]


def test_a_title_that_ends_in_a_name_stays_a_title(genes: Ontology) -> None:
    text = "Songs of the Mersey are associated with sea shanties."
    assert _rels(text, genes) == [("songs_of_the_mersey", "associatedWith", "sea_shanties")]


# ---------------------------------------------------------------- "X is the official language"
def test_a_name_before_a_copula_and_the_property_noun_is_the_topics_value() -> None:
    o = Ontology()
    country = o.add_class("Country", label="country", refresh=False)
    o.add_property("officialLanguage", "data", [country], [XSD.string], label="official language", refresh=False)
    o.refresh()
    text = "Norland is an island state. Norse is the official language."
    assert _rels(text, o) == [("norland", "officialLanguage", "Norse")]
    assert _rels("Norland is an island state. Norse is the official language of Vestria.", o) == [
        ("vestria", "officialLanguage", "Norse")
    ]


def test_a_noun_that_refers_back_is_not_made_ambiguous_by_a_group_before_it() -> None:
    o = Ontology()
    country = o.add_class("Country", label="country", refresh=False)
    mountain = o.add_class("Mountain", label="mountain", refresh=False)
    o.add_property("highestMountain", "object", [country], [mountain], label="highest mountain", refresh=False)
    o.refresh()
    text = ("Norland is an island state. Norse and Danish are spoken there. "
            "The island's highest mountain is Mount Skarv.")
    assert _rels(text, o) == [("norland", "highestMountain", "mount_skarv")]


def test_a_name_serving_as_its_property_noun_is_the_topics_value(firms: Ontology) -> None:
    text = "Norvik Shipping is a ferry operator. Ingrid Dahl has served as its chief executive since 2015."
    assert _rels(text, firms) == [("norvik_shipping", "chiefExecutive", "ingrid_dahl")]
    text = "Norvik Shipping is a ferry operator. Ingrid Dahl praised its chief executive."
    assert _rels(text, firms) == []
