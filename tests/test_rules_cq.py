"""The offline engine's CQ → ontology half (hydra_magic.english.cq).

What a user notices: each supported question shape adds the classes and
properties it needs, in the right direction and with the right datatype; a
whole batch passes the ontology contracts; a second batch reuses what exists;
an unreadable question is reported, never guessed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hydra_magic.candidates import OntologyProposal
from hydra_magic.contracts import check_proposal, resolve_datatype
from hydra_magic.contracts.ontology_rules import OntologyVerdict
from hydra_magic.cq import CompetencyQuestion, parse_cqs
from hydra_magic.engines.rules import RulesEngine
from hydra_magic.english.cq import (ROOT_CLASS, ParsedCQ, guess_datatype, parse_cq, pluralise,
                                          propose_from_cqs, singularise, verb_forms, verb_lemma)
from hydra_magic.ontology import Ontology

MOVIES = """\
Which films did a director direct?
Which director directed a film?
Who is the producer of a film?
What awards did a film receive?
Which actors starred in a film?
When was a film released?
Where was a person born?
How many awards did a film win?
What is the budget of a film?
What is the running time of a film?
Which film production companies produced a film?
Is a director a kind of person?
What genres does a film have?
Which films have a rating of 5?
"""

WILDLIFE = """\
Which animal eats which other animal?
Is a lion a kind of carnivore?
Is every carnivore an animal?
Which plant parts does a herbivore eat?
Does a lion eat plants or plant parts?
Which plants eat animals?
Which animals are the predators of these animals?
Which animals are endangered?
Where does an animal live?
In what kind of habitat do animals live?
How many legs does an animal have?
What is the weight of an animal?
Are there animals that do not drink water?
What types of animals are there?
"""


def apply(proposal: OntologyProposal, onto: Ontology) -> OntologyVerdict:
    """Check ``proposal`` and add what passes, the way the session does."""
    verdict = check_proposal(proposal, onto)
    for c in verdict.accepted_classes:
        parent = onto.get_class(c.parent) if c.parent else None
        onto.add_class(c.name, parent=parent.iri if parent else None, label=c.label, alt_labels=c.alt_labels)
    for p in verdict.accepted_properties:
        dom = [onto.get_class(d).iri for d in p.domain]  # type: ignore[union-attr]
        if p.kind == "object":
            rng = [onto.get_class(r).iri for r in p.range]  # type: ignore[union-attr]
        else:
            rng = [resolve_datatype(r) for r in p.range]  # type: ignore[misc]
        onto.add_property(p.name, p.kind, domain=dom, range=rng, label=p.label, alt_labels=p.alt_labels)
    return verdict


def propose(text: str, onto: Ontology | None = None) -> OntologyProposal:
    return propose_from_cqs(parse_cqs(text), onto if onto is not None else Ontology())


def prop(parsed: ParsedCQ | None, name: str):
    assert parsed is not None, "the question was not read"
    hits = [p for p in parsed.properties if p.name == name]
    assert hits, f"{name} not in {parsed.describe()}"
    return hits[0]


def links(parsed: ParsedCQ | None) -> set[tuple[str, str]]:
    assert parsed is not None
    return {(link.child, link.parent) for link in parsed.subclass_links}


# ----------------------------------------------------------------- patterns
@pytest.mark.parametrize("text, focus", [
    ("Which films did a director direct?", "range"),
    ("Which director directed a film?", "domain"),
    ("Which films were directed by a director?", "range"),
    ("which Films did a Director direct", "range"),  # case and a missing question mark
])
def test_which_questions_name_the_verb_with_the_agent_as_domain(text, focus):
    p = parse_cq(text)
    directs = prop(p, "directs")
    assert (directs.kind, directs.domain, directs.range) == ("object", ("Director",), ("Film",))
    assert p.focus == focus
    assert p.answer_class == ("Film" if focus == "range" else "Director")


def test_object_question_with_an_irregular_verb_and_plural_noun():
    p = parse_cq("What awards did a film receive?")
    assert (prop(p, "receives").domain, prop(p, "receives").range) == (("Film",), ("Award",))
    assert [c.name for c in p.classes] == ["Award", "Film"]
    eats = prop(parse_cq("Which plant parts does a herbivore eat?"), "eats")
    assert (eats.domain, eats.range) == (("Herbivore",), ("PlantPart",))


def test_verb_alternative_labels_are_trigger_phrases():
    directs = prop(parse_cq("Which director directed a film?"), "directs")
    assert directs.label == "directs"
    assert {"direct", "directed", "directing", "directed by"} <= set(directs.alt_labels)
    stars = prop(parse_cq("Which actors starred in a film?"), "starsIn")
    assert stars.label == "stars in" and "starred in" in stars.alt_labels
    assert (stars.domain, stars.range) == (("Actor",), ("Film",))


def test_who_questions_use_person():
    p = parse_cq("Who directed a film?")
    assert (prop(p, "directs").domain, prop(p, "directs").range) == (("Person",), ("Film",))
    assert p.answer_class == "Person"
    p = parse_cq("Who was a film directed by?")
    assert (prop(p, "directs").domain, prop(p, "directs").range) == (("Person",), ("Film",))


def test_who_is_the_role_of_makes_the_role_a_kind_of_person():
    p = parse_cq("Who is the director of a film?")
    has = prop(p, "hasDirector")
    assert (has.kind, has.domain, has.range) == ("object", ("Film",), ("Director",))
    assert ("Director", "Person") in links(p)


def test_when_questions_give_a_date_property():
    p = parse_cq("When was a film released?")
    rd = prop(p, "releaseDate")
    assert (rd.kind, rd.domain, rd.datatype) == ("data", ("Film",), "date")
    assert "released" in rd.alt_labels
    assert prop(parse_cq("When was a person born?"), "birthDate").domain == ("Person",)
    assert prop(parse_cq("When did a person die?"), "deathDate").datatype == "date"
    assert prop(parse_cq("In what year was a film released?"), "releaseYear").datatype == "integer"


def test_where_questions_point_to_place():
    born = prop(parse_cq("Where was a person born?"), "bornIn")
    assert (born.kind, born.domain, born.range) == ("object", ("Person",), ("Place",))
    lives = prop(parse_cq("Where do lions live?"), "livesIn")
    assert (lives.domain, lives.range) == (("Lion",), ("Place",))


def test_how_many_counts_things_or_numbers():
    p = parse_cq("How many awards did a film win?")
    assert (prop(p, "wins").domain, prop(p, "wins").range) == (("Film",), ("Award",))
    assert p.answer == "count" and p.aggregate == "count"
    # issue 16: a headcount is a number on the company, not a class Employee to count
    p = parse_cq("How many employees does a company have?")
    assert (prop(p, "numberOfEmployees").datatype, p.answer, p.aggregate) == ("integer", "value", None)
    assert not p.classes or [c.name for c in p.classes] == ["Company"]
    pages = prop(parse_cq("How many pages does a book have?"), "numberOfPages")
    assert (pages.kind, pages.domain, pages.datatype) == ("data", ("Book",), "integer")
    p = parse_cq("How many films are there?")
    assert p.answer == "count" and p.answer_class == "Film" and not p.properties


@pytest.mark.parametrize("attribute, name, datatype", [
    ("population", "population", "integer"),
    ("year of birth", "yearOfBirth", "integer"),
    ("birthday", "birthday", "date"),
    ("release date", "releaseDate", "date"),
    ("height", "height", "float"),
    ("price", "price", "float"),
    ("rating", "rating", "float"),
    ("name", "name", "string"),
    ("title", "title", "string"),
    ("phone number", "phoneNumber", "string"),
    ("motto", "motto", "string"),
    ("running time", "runningTime", "float"),  # a duration: "117 minutes"
    ("opening time", "openingTime", "time"),
])
def test_what_is_the_attribute_of_guesses_the_datatype(attribute, name, datatype):
    p = parse_cq(f"What is the {attribute} of a city?")
    assert p is not None and p.answer == "value"
    assert (p.property.name, p.property.kind, p.property.domain, p.datatype) == (name, "data", ("City",), datatype)


def test_possessive_reads_like_of():
    p = parse_cq("What is a film's release date?")
    assert (p.property.name, p.property.domain) == ("releaseDate", ("Film",))
    assert prop(parse_cq("Who is a film's director?"), "hasDirector").domain == ("Film",)


def test_attribute_that_names_a_class_becomes_an_object_property():
    alone = propose("What is the director of a film?")
    assert [(p.name, p.kind) for p in alone.properties] == [("director", "data")]
    onto = Ontology()
    apply(propose("Is a director a kind of person?"), onto)
    proposal = propose("What is the director of a film?", onto)
    assert [(p.name, p.kind, p.domain, p.range) for p in proposal.properties] == [
        ("hasDirector", "object", ("Film",), ("Director",))]
    assert check_proposal(proposal, onto).ok


@pytest.mark.parametrize("text, child, parent", [
    ("Is a lion a kind of animal?", "Lion", "Animal"),
    ("Is every lion an animal?", "Lion", "Animal"),
    ("Are lions animals?", "Lion", "Animal"),
    ("Is a film production company a type of company?", "FilmProductionCompany", "Company"),
    ("What kind of animal is a lion?", "Lion", "Animal"),
    ("Is this animal a herbivore?", "Herbivore", "Animal"),  # "this X": Y specialises X
    ("Which animals are herbivores?", "Herbivore", "Animal"),
])
def test_subclass_questions(text, child, parent):
    p = parse_cq(text)
    assert (child, parent) in links(p)
    assert {child, parent} <= {c.name for c in p.classes}


def test_question_families_are_tried_in_their_registered_order():
    # the first family that reads a question wins: "How many …" before "Which …", "is" before "yes/no"
    from pathlib import Path as _Path

    import hydra_magic.english.cq.patterns as families
    from hydra_magic.english.cq.registry import patterns

    order = [p.name for p in patterns()]
    assert order == ["given", "number_of", "how", "what_cost", "first_person", "when", "where", "kinds", "what_is",
                     "who", "prep_wh", "is_a", "yes_no", "imperative", "which"]
    modules = {f.stem for f in _Path(families.__file__).parent.glob("*.py") if f.stem != "__init__"}
    assert set(order) == modules  # one registered reader per family module
    assert parse_cq("How many films did a director direct?").pattern.startswith("how")


def test_types_of_asks_for_subclasses():
    for text in ("What types of animals are there?", "What are the main types of animals?",
                 "Which kinds of animal exist?"):
        p = parse_cq(text)
        assert p is not None and p.answer == "subclasses" and p.answer_class == "Animal", text


def test_which_has_attribute_value_and_superlatives():
    p = parse_cq("Which films have a rating of 5?")
    assert (p.property.name, p.property.domain, p.datatype, p.value) == ("rating", ("Film",), "float", "5")
    p = parse_cq("Which city has the highest population?")
    assert (p.property.name, p.datatype, p.aggregate) == ("population", "integer", "max")
    p = parse_cq("Which book has 300 pages?")
    assert (p.answer_class, p.property.domain) == ("Book", ("Book",))  # books, by what they have
    p = parse_cq("Which films have a director?")
    assert (p.property.name, p.property.domain, p.property.range) == ("hasDirector", ("Film",), ("Director",))


def test_which_has_a_number_of_units_reads_like_how_many():
    asked = parse_cq("How many pages does a book have?")
    assert (asked.property.name, asked.datatype) == ("numberOfPages", "integer")
    p = parse_cq("Which book has 300 pages?")
    assert (p.property.name, p.datatype, p.value) == ("numberOfPages", "integer", "300")


def test_adjectives_become_boolean_properties():
    p = parse_cq("Which animals are endangered?")
    assert (p.property.name, p.property.domain, p.datatype) == ("isEndangered", ("Animal",), "boolean")
    p = parse_cq("Is a film popular?")
    assert (p.property.name, p.answer) == ("isPopular", "boolean")


def test_intransitive_verbs_and_superlatives():
    p = parse_cq("Which birds cannot fly?")
    assert (p.property.name, p.property.domain, p.datatype, p.negated) == ("canFly", ("Bird",), "boolean", True)
    assert prop(parse_cq("Do bears hibernate?"), "hibernates").datatype == "boolean"
    p = parse_cq("Which author wrote the most books?")
    assert (p.property.name, p.property.range, p.aggregate) == ("writes", ("Book",), "max")


def test_acronyms_keep_names_well_formed():
    assert parse_cq("What is the GDP of a country?").property.name == "gdp"
    p = parse_cq("Which GPUs run a model?")
    assert [c.name for c in p.classes][0] == "GPU"


def test_coordination_multi_word_nouns_and_negation():
    eats = prop(parse_cq("Does a lion eat plants or plant parts?"), "eats")
    assert (eats.domain, eats.range) == (("Lion",), ("Plant", "PlantPart"))
    p = parse_cq("Which film production companies produced a film?")
    assert prop(p, "produces").domain == ("FilmProductionCompany",)
    assert [c.label for c in p.classes][0] == "film production company"
    assert p.classes[0].plural == "film production companies"
    p = parse_cq("Which animals do not eat plants?")
    assert p.negated and prop(p, "eats").range == ("Plant",)


def test_proper_names_are_entities_not_classes():
    p = parse_cq("Which films did Ridley Scott direct?")
    assert p.entities == ("Ridley Scott",)
    assert [c.name for c in p.classes] == ["Film"]
    assert (p.property.name, p.property.domain, p.property.range) == ("directs", (), ("Film",))


def test_compound_question_resolves_its():
    p = parse_cq("What license does the software have, and what is its permissiveness?")
    assert p.pattern == "compound" and len(p.parts) == 2
    assert (prop(p, "hasLicense").domain, prop(p, "permissiveness").domain) == (("Software",), ("License",))


@pytest.mark.parametrize("text", [
    "Why is the sky blue?",
    "Where can I buy it?",
    "Why does a film win an award?",  # the difference of two classes is read since CLaRO has the shape
    "asdf qwerty zxcv",
    "Are solutions never emulsions?",
    "",
])
def test_unreadable_questions_are_not_guessed(text):
    assert parse_cq(text) is None


# ----------------------------------------------------------------- proposals
def test_unparsed_question_gives_a_warning_and_no_candidates():
    cq = CompetencyQuestion("Why is the sky blue?")
    proposal = propose_from_cqs([cq], Ontology())
    assert proposal.classes == [] and proposal.properties == []
    [issue] = proposal.issues
    assert (issue.code, issue.severity, issue.path) == ("unparsed_cq", "warning", f"cq:{cq.id}")
    assert "Why is the sky blue?" in issue.message
    assert "e.g." in issue.hint


def test_unparsed_hint_follows_the_question_word():
    [issue] = propose("When will it be ready for us?").issues
    assert "When was a film released?" in issue.hint


@pytest.mark.parametrize("batch", [MOVIES, WILDLIFE], ids=["movies", "wildlife"])
def test_realistic_batch_passes_the_contracts(batch):
    onto = Ontology()
    proposal = propose(batch, onto)
    # only notes: "How many awards did a film win?" reuses receives, proposed for "What awards did … receive?"
    assert [i for i in proposal.issues if i.severity != "info"] == []
    assert {i.data.get("instead_of") for i in proposal.issues} <= {"wins"}
    verdict = check_proposal(proposal, onto)
    assert verdict.rejected == []
    assert proposal.classes[0].name == ROOT_CLASS and proposal.classes[0].parent is None
    assert all(c.parent for c in proposal.classes[1:])
    texts = set(batch.splitlines())
    assert all(c.origin in texts for c in proposal.classes)
    assert all(p.origin in texts for p in proposal.properties)
    apply(proposal, onto)
    assert onto.root is not None and onto.classes[onto.root].name == ROOT_CLASS
    assert len(onto.classes) == len(proposal.classes)
    assert len(onto.properties) == len(proposal.properties)


def test_movie_batch_content():
    onto = Ontology()
    apply(propose(MOVIES), onto)
    directs = onto.get_property("directs")
    assert [onto.classes[d].name for d in directs.domain] == ["Director"]
    assert [onto.classes[r].name for r in directs.range] == ["Film"]
    assert onto.get_property("directed by") is directs  # a trigger phrase finds it
    assert onto.classes[onto.get_class("Director").parent].name == "Person"
    assert onto.get_property("releaseDate").datatype == resolve_datatype("date")
    assert onto.get_property("runningTime").datatype == resolve_datatype("float")
    assert onto.get_class("films") is onto.get_class("Film")  # plural alternative label


def test_wildlife_links_follow_the_questions():
    onto = Ontology()
    apply(propose(WILDLIFE), onto)
    parent = {c.name: (onto.classes[c.parent].name if c.parent else None) for c in onto.classes.values()}
    assert parent["Lion"] == "Carnivore" and parent["Carnivore"] == "Animal"
    assert parent["Animal"] == ROOT_CLASS and parent["Place"] == ROOT_CLASS
    eats = onto.get_property("eats")
    assert {onto.classes[r].name for r in eats.range} >= {"Animal", "Plant", "PlantPart"}


def test_second_batch_reuses_existing_classes_and_properties():
    onto = Ontology()
    apply(propose(MOVIES), onto)
    n_classes, n_props = len(onto.classes), len(onto.properties)
    second = propose("""\
Which movies did a director direct?
Which awards did an actor win?
Which studio distributed a film?
Where was a film shot?
Who directed a film?
""", onto)
    names = [c.name for c in second.classes]
    assert "Film" not in names and "Director" not in names and "Person" not in names
    assert "Entity" not in names
    assert "Studio" in names and "Movie" not in names  # "movies" is another word for Film (english/cq/synonyms)
    assert all(c.parent for c in second.classes)  # below the existing root or a class of this batch
    prop_names = [p.name for p in second.properties]
    assert "directs" not in prop_names and "receives" not in prop_names  # never proposed twice
    # the first batch read "How many awards did a film win?" as receives (Film -> Award); an actor's win has
    # other ends, so it is a property of its own
    assert {"distributes", "shotIn", "wins"} <= set(prop_names)
    assert next(p for p in second.properties if p.name == "wins").domain == ("Actor",)
    assert check_proposal(second, onto).rejected == []
    apply(second, onto)
    assert len(onto.classes) == n_classes + len(second.classes)
    assert len(onto.properties) == n_props + len(second.properties)


def test_existing_root_is_used_instead_of_entity():
    onto = Ontology()
    onto.add_class("Thing")
    proposal = propose("Which films did a director direct?", onto)
    assert {c.name: c.parent for c in proposal.classes} == {"Film": "Thing", "Person": "Thing",
                                                             "Director": "Person"}
    assert check_proposal(proposal, onto).ok


def test_several_roots_leave_new_classes_top_level():
    onto = Ontology()
    onto.add_class("Agent")
    onto.add_class("Artefact")
    proposal = propose("Which films did a director direct?", onto)
    assert {c.name: c.parent for c in proposal.classes} == {"Film": None, "Person": None, "Director": "Person"}
    assert check_proposal(proposal, onto).ok


def test_person_roles_go_below_person():
    proposal = propose("Which films did a director direct?\nWhere was a person born?", Ontology())
    parents = {c.name: c.parent for c in proposal.classes}
    assert parents["Director"] == "Person" and parents["Person"] == "Entity"
    assert [c.name for c in proposal.classes].index("Person") < [c.name for c in proposal.classes].index("Director")


def test_existing_synonym_and_head_noun_classes_are_reused():
    onto = Ontology()
    root = onto.add_class("Thing")
    onto.add_class("Human", parent=root)
    onto.add_class("Company", parent=root)
    proposal = propose("Who founded a film production company?", onto)
    assert [(c.name, c.parent) for c in proposal.classes] == [("FilmProductionCompany", "Company")]
    [founds] = proposal.properties
    assert (founds.name, founds.domain, founds.range) == ("founds", ("Human",), ("FilmProductionCompany",))
    assert check_proposal(proposal, onto).ok


def test_property_known_under_a_trigger_phrase_is_not_duplicated():
    onto = Ontology()
    thing = onto.add_class("Thing")
    film = onto.add_class("Film", parent=thing)
    person = onto.add_class("Person", parent=thing)
    onto.add_property("directedBy", "object", [film], [person], label="directed by")
    proposal = propose("Which director directed a film?", onto)
    assert proposal.properties == []
    assert [c.name for c in proposal.classes] == ["Director"]


def test_alternative_labels_never_shadow_another_class():
    onto = Ontology()
    proposal = propose("Who directed a film?\nIs a human a kind of animal?")
    person = next(c for c in proposal.classes if c.name == "Person")
    assert "human" not in person.alt_labels and "people" in person.alt_labels
    apply(proposal, onto)
    assert onto.get_class("Human").name == "Human"
    assert onto.get_class("people").name == "Person"


def test_conflicting_links_never_make_a_cycle():
    onto = Ontology()
    proposal = propose("Is a lion a kind of cat?\nIs a cat a kind of lion?\nIs a cat a kind of cat?", onto)
    verdict = check_proposal(proposal, onto)
    assert verdict.rejected == []
    parent = {c.name: c.parent for c in proposal.classes}
    assert parent["Lion"] == "Cat" and parent["Cat"] == ROOT_CLASS


def test_existing_class_keeps_its_parent():
    onto = Ontology()
    apply(propose("Is a lion a kind of animal?"), onto)
    proposal = propose("Is a lion a kind of cat?", onto)
    assert [(c.name, c.parent) for c in proposal.classes] == [("Cat", ROOT_CLASS)]
    assert check_proposal(proposal, onto).ok


POOL = [q for q in (MOVIES + WILDLIFE).splitlines() if q] + [
    "Who is the director of a film?", "What is the population of a city?", "Where is a museum?",
    "Is a film production company a type of company?", "Which films did Ridley Scott direct?",
    "What license does the software have, and what is its permissiveness?", "Is this animal a herbivore?",
    "How many pages does a book have?", "Which birds cannot fly?", "What is the capital of a country?",
    "Is an entity a kind of thing?", "Are there lions in a country?", "Which people are humans?",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), min_size=1, max_size=3))
def test_any_sequence_of_batches_passes_the_contracts(batches):
    onto = Ontology()
    for batch in batches:
        verdict = apply(propose_from_cqs([CompetencyQuestion(q) for q in batch], onto), onto)
        assert verdict.rejected == []
        assert len(onto.roots()) == 1


def test_duplicate_questions_count_once_and_output_is_deterministic():
    cqs = parse_cqs(MOVIES + WILDLIFE + "which films did a director direct\n")
    first = propose_from_cqs(cqs, Ontology())
    second = propose_from_cqs(cqs, Ontology())
    assert first == second
    assert len({p.name for p in first.properties}) == len(first.properties)
    assert len({c.name for c in first.classes}) == len(first.classes)


def test_rules_engine_uses_this_half():
    cqs = parse_cqs(MOVIES)
    assert RulesEngine().propose_ontology(cqs, Ontology()) == propose_from_cqs(cqs, Ontology())


# ----------------------------------------------------------------- morphology
@pytest.mark.parametrize("plural, singular", [
    ("films", "film"), ("companies", "company"), ("people", "person"), ("species", "species"),
    ("movies", "movie"), ("wolves", "wolf"), ("analyses", "analysis"), ("boxes", "box"), ("classes", "class"),
    ("data", "data"), ("software", "software"), ("criteria", "criterion"), ("GPUs", "GPU"), ("buses", "bus"),
    ("houses", "house"), ("databases", "database"),
])
def test_singularise(plural, singular):
    assert singularise(plural) == singular
    if plural not in ("data", "software", "species"):
        assert singularise(pluralise(singular)) == singular


@pytest.mark.parametrize("verb", ["direct", "release", "stop", "develop", "visit", "marry", "eat", "write",
                                  "win", "use", "require", "prefer", "travel", "agree", "die", "argue",
                                  "found", "focus", "produce", "publish", "play"])
def test_verb_forms_round_trip(verb):
    base, third, past, participle, ing = verb_forms(verb)
    assert base == verb
    for form in (third, past, participle, ing):
        if verb == "found" and form in ("found",):
            continue
        assert verb_lemma(form) == verb, form


def test_guess_datatype_uses_the_value_for_unknown_words():
    assert guess_datatype("fnord", "12") == "integer"
    assert guess_datatype("fnord", "4.5") == "float"
    assert guess_datatype("fnord", "2020-01-31") == "date"
    assert guess_datatype("fnord", "true") == "boolean"
    assert guess_datatype("title", "1984") == "string"


# ----------------------------------------------------------------- benchmark hook
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.mark.skipif(not (DATA / "cq2sparqlowl").exists(), reason="shared benchmark data not present")
def test_cq_bench_reports_rates_and_proposals_pass_the_contracts(capsys):
    from hydra_magic.bench.cq_bench import run

    result = run(DATA, verbose=True, top=5)
    assert set(result["cq2sparqlowl"]) == {"swo", "stuff", "awo"}
    # the questions read on 2026-12-04 (issue 16 item 6 round): fewer is a regression (more: raise the floor)
    floor = {"swo": 59, "stuff": 5, "awo": 12}
    for onto, r in result["cq2sparqlowl"].items():
        assert floor[onto] <= r["read"] <= r["cqs"], onto
        assert r["rejected_by_contracts"] == 0, onto
        assert len(r["unread"]) == r["cqs"] - r["read"]
    assert {"claro_v1", "claro_v2"} <= set(result["claro"])
    assert result["claro"]["claro_v1"]["read"] >= 88 and result["claro"]["claro_v2"]["read"] >= 111
    assert all(r["read"] <= r["templates"] for r in result["claro"].values())
    # the five most frequent shapes no pattern reads, most frequent first, each in the printed table
    shapes = result["failing_shapes"]
    assert len(shapes) == 5 and all(n >= 1 for _, n in shapes)
    assert [n for _, n in shapes] == sorted((n for _, n in shapes), reverse=True)
    printed = capsys.readouterr().out
    assert "CLaRO" in printed
    assert all(f"{n:3d}  {shape}" in printed for shape, n in shapes)


def test_claro_template_verb_agrees_with_a_plural_subject():
    from hydra_magic.bench.cq_bench import instantiate_template

    assert instantiate_template("How many [EC1] [PC1] [EC2]?", "wildlife") == "How many animals eat a plant?"


def test_claro_template_instantiation():
    from hydra_magic.bench.cq_bench import instantiate_placeholders, instantiate_template

    assert instantiate_template("[PC1] [EC1] [PC1] [EC2]?", "wildlife") == "Does an animal eat a plant?"
    assert instantiate_template("Which [EC1] [PC1] [EC2]?", "film") == "Which film directs a director?"
    filled = instantiate_template("How many [EC1] [PC1] [EC2]?", "wildlife")
    assert "[" not in filled and filled.startswith("How many animals ") and filled.endswith(" a plant?")
    assert instantiate_placeholders("Who developed [it]?", "swo") == "Who developed the software?"
    assert instantiate_placeholders("What software can perform [task x]?", "swo") == \
        "What software can perform a task?"


@pytest.mark.skipif(not (DATA / "cq2sparqlowl").exists(), reason="shared benchmark data not present")
def test_cq_bench_hand_check_sample_is_fixed_by_its_seed_and_parsed():
    from hydra_magic.bench.cq_bench import hand_check_sample

    a, b = hand_check_sample(DATA, 10, seed=16), hand_check_sample(DATA, 10, seed=16)
    assert a == b and len(a) == 10
    assert {x["set"] for x in a} <= {"swo", "claro_v2"} and all(x["parse"] for x in a)
    assert hand_check_sample(DATA, 10, seed=17) != a


def test_claro_template_instantiation_agrees_across_and_and_relative_clauses():
    from hydra_magic.bench.cq_bench import instantiate_template

    assert instantiate_template("[PC1] [EC1] and [EC2] [PC1] [EC3]", "wildlife") == \
        "Do an animal and plant eat a habitat?"
    assert instantiate_template("What are [EC1] and [EC2] of [EC3]", "wildlife") == \
        "What are animals and plants of a habitat?"
    assert instantiate_template("What are [EC1] of [EC2]", "film") == "What are the films of a director?"
    assert instantiate_template("What are the main types of [EC1] [EC2] [PC1]", "wildlife") == \
        "What are the main types of animal a plant eats?"
    # a predicate split around the second slot after "there" is a relative clause
    assert instantiate_template("Is there [EC1] [PC1] [EC2] [PC1]", "wildlife") == \
        "Is there an animal that a plant eats?"
