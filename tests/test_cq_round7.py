"""Issue 16, round 7: first-person, n-ary and acronym shapes of the CLaRO catalogue; kinds counted; manner
questions. The asker ("I", "we") is never a class; a qualifier that could belong to two things is not attached
to one of them; an all-capital name is one thing, not a class. Questions written here (some copy a CLaRO v1
template's shape with other words)."""

from __future__ import annotations

import pytest

from hydra_magic.cq import CompetencyQuestion
from hydra_magic.english.cq.model import ParsedCQ
from hydra_magic.english.cq.proposal import propose_from_cqs
from hydra_magic.english.cq.parse import parse_cq
from hydra_magic.ontology import Ontology


def _read(text: str) -> ParsedCQ:
    p = parse_cq(text)
    assert p is not None, text
    return p


def _props(text: str) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return {(q.name, q.domain, q.range) for q in _read(text).properties}


# --- first person ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected, cls", [
    ("Do I know a bird that eats an insect?", ("eats", ("Bird",), ("Insect",)), "Bird"),
    ("Do we know researchers who develop tools?", ("develops", ("Researcher",), ("Tool",)), "Researcher"),
])
def test_what_the_asker_knows_is_the_relation_in_the_clause(text: str, expected: tuple[object, ...],
                                                            cls: str) -> None:
    p = _read(text)
    assert expected in _props(text)
    assert p.answer == "boolean" and p.answer_class == cls
    assert all(c.name not in ("I", "We") for c in p.classes)


def test_knowing_a_thing_without_a_clause_stays_unread() -> None:
    assert parse_cq("Do I know a bird?") is None


@pytest.mark.parametrize("text, expected, answer", [
    ("Which editors can I use with a file format?", ("usedWith", ("Editor",), ("FileFormat",)), "entities"),
    ("Can I use a library with a language?", ("usedWith", ("Library",), ("Language",)), "boolean"),
    ("Which birds can I feed with a seed?", ("fedWith", ("Bird",), ("Seed",)), "entities"),
])
def test_with_names_an_instrument_only_when_it_is_one(text: str, expected: tuple[object, ...], answer: str) -> None:
    assert _props(text) == {expected}
    assert _read(text).answer == answer


@pytest.mark.parametrize("text", ["Which images can I edit with the tool?", "Which images can I edit with software?"])
def test_an_instrument_after_with_still_does_the_verb(text: str) -> None:
    tool = "Tool" if "tool" in text else "Software"
    assert _props(text) == {("edits", (tool,), ("Image",))}


def test_knowing_anyone_names_no_class_and_stays_unread() -> None:
    assert parse_cq("Do I know anyone who feeds a bird?") is None



@pytest.mark.parametrize("text, expected", [
    ("What seeds do I need to feed a bird and feed a fish?", ("requires", ("Bird", "Fish"), ("Seed",))),
    ("Do I need a licence to copy and change the library?", ("requires", ("Library",), ("Licence",))),
])
def test_what_is_needed_for_several_purposes_is_required_by_each_thing(text: str,
                                                                       expected: tuple[object, ...]) -> None:
    assert _props(text) == {expected}


def test_a_purpose_verb_or_a_noun_after_and_is_not_guessed() -> None:
    assert parse_cq("What hardware do I need to run the tool and store data?") is None  # was a class StoreData


@pytest.mark.parametrize("text, expected", [
    ("Which birds can we watch in a park?", ("watchedIn", ("Bird",), ("Park",))),
    ("Which plugins can I download from a repository?", ("availableFrom", ("Plugin",), ("Repository",))),
])
def test_the_asked_thing_is_related_by_the_phrase_after_the_verb(text: str, expected: tuple[object, ...]) -> None:
    p = _read(text)
    assert _props(text) == {expected} and p.answer_class == expected[1][0]


@pytest.mark.parametrize("text", ["Which birds can I watch in the evening?", "Which plugins can I get for free?"])
def test_a_time_or_a_manner_after_the_verb_is_not_a_thing(text: str) -> None:
    assert parse_cq(text) is None

# --- n-ary -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "List some tools of a lab for a project?",  # CLaRO v1 shape "PC1 some EC1 of EC2 for EC3"
    "What is the price of a ticket for a concert?",
    "Do I use some tool of a lab for a project?",
])
def test_a_qualifier_after_x_of_y_is_attached_to_neither(text: str) -> None:
    assert parse_cq(text) is None


@pytest.mark.parametrize("text, expected", [
    ("What is the number of films for a director?", ("numberOfFilms", ("Director",), ("integer",))),
    ("What is the year of birth of a person?", ("yearOfBirth", ("Person",), ("integer",))),
    ("Which films did a director direct for a studio?", ("directsFor", ("Director",), ("Studio",))),
])
def test_a_qualifier_on_one_noun_or_on_the_verb_is_still_read(text: str, expected: tuple[object, ...]) -> None:
    assert expected in _props(text)


# --- acronyms: an all-capital word names one thing ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected, names", [
    ("Who maintains GO?", ("maintains", ("Person",), ()), ("GO",)),
    ("Which states are in the UN?", ("locatedIn", ("State",), ()), ("UN",)),
    ("Which tools write JSON?", ("writes", ("Tool",), ()), ("JSON",)),
    ("Which editors open the OBO format?", ("opens", ("Editor",), ("Format",)), ("OBO",)),
    ("Which library can I use with HDF?", ("usedWith", ("Library",), ()), ("HDF",)),
])
def test_an_acronym_names_one_thing_not_a_class(text: str, expected: tuple[object, ...],
                                                names: tuple[str, ...]) -> None:
    p = _read(text)
    assert expected in _props(text)
    assert p.entities == names
    assert not {c.name for c in p.classes} & set(names)


@pytest.mark.parametrize("text, cls", [
    ("Which editors open OBO files?", "OBOFile"),  # a plural after it: many files, a class
    ("Which enzymes cut RNA?", "RNA"),  # the acronym of a common noun
    ("Which tools have a GUI?", "GUI"),
])
def test_an_acronym_before_a_plural_or_of_a_common_noun_is_a_class(text: str, cls: str) -> None:
    p = _read(text)
    assert cls in {c.name for c in p.classes} and not p.entities


# --- "How many types of X": kinds of X ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, cls, expected", [
    ("How many types of birds eat insects?", "Bird", ("eats", ("Bird",), ("Insect",))),
    ("How many different kinds of instruments does an orchestra have?", "Instrument",
     ("hasInstrument", ("Orchestra",), ("Instrument",))),
    ("How many kinds of birds are there?", "Bird", None),
])
def test_how_many_types_of_x_asks_for_kinds_of_x(text: str, cls: str, expected: tuple[object, ...] | None) -> None:
    p = _read(text)
    assert (p.answer, p.answer_class, p.aggregate) == ("subclasses", cls, None)
    assert expected is None or expected in _props(text)


def test_how_many_x_still_counts_things() -> None:
    p = _read("How many birds eat insects?")
    assert (p.answer, p.aggregate) == ("count", "count")


@pytest.mark.parametrize("text, cls", [
    ("How many categories of things birds eat?", "Thing"),  # the "do" left out, as BigCQ's templates write
    ("How many subclasses of bird are there?", "Bird"),
    ("How many kinds of birds are described?", "Bird"),  # the kinds listed, not a property isDescribed
])
def test_how_many_kinds_reads_as_what_kinds(text: str, cls: str) -> None:
    p = _read(text)
    assert (p.answer, p.answer_class) == ("subclasses", cls)
    assert all(q.range != ("boolean",) for q in p.properties)


# --- unread questions: the hint rewords the question itself -------------------------------------------------------

def _hint(text: str) -> str:
    proposal = propose_from_cqs([CompetencyQuestion(text)], Ontology())
    issues = [i for i in proposal.issues if i.code == "unparsed_cq"]
    assert len(issues) == 1 and not proposal.properties and not proposal.classes
    return issues[0].hint


@pytest.mark.parametrize("text, reworded", [
    ("How does a bird build a nest?", "'Does a bird build a nest?'"),  # CLaRO v1 "How PC1 EC1 PC1 EC2"
    ("To what extent does a bird eat an insect?", "'Does a bird eat an insect?'"),
    ("How do I use an editor to change an ontology?", "'Which editor changes an ontology?'"),
    ("How do I feed a bird?", "'What is needed to feed a bird?'"),
    ("List the tools of a lab for a project?", "'List the tools of a lab?'"),
])
def test_an_unread_manner_or_nary_question_is_reworded_in_its_own_words(text: str, reworded: str) -> None:
    assert parse_cq(text) is None
    hint = _hint(text)
    assert reworded in hint
    assert parse_cq(reworded.strip("'")) is not None


def test_the_nary_hint_says_why() -> None:
    assert "may be about X, about Y" in _hint("List the tools of a lab for a project?")


def test_no_rewording_is_offered_when_none_is_read() -> None:
    assert "this rewording is read" not in _hint("How is a bird?")


# --- degree: "How easy is X to V?" is an attribute of X, as "How reliable is a tool?" ---------------------------

@pytest.mark.parametrize("text, expected", [
    ("How easy to use is an editor?", ("easeOfUse", ("Editor",), ("float",))),
    ("How difficult is a language to learn?", ("difficultyOfLearning", ("Language",), ("float",))),
    ("How easy is it to install a library?", ("easeOfInstalling", ("Library",), ("float",))),
])
def test_a_degree_of_doing_is_a_value_of_the_thing(text: str, expected: tuple[object, ...]) -> None:
    p = _read(text)
    assert _props(text) == {expected} and p.answer == "value"


def test_a_degree_for_someone_stays_unread() -> None:
    assert parse_cq("How easy to eat is a seed for a bird?") is None  # CLaRO v1 "How EC1 PC1 is EC2 for EC3"


def test_a_named_thing_before_a_second_participant_is_read() -> None:
    p = _read("Which tools convert YAML to JSON?")
    assert {("converts", ("Tool",), ()), ("convertsTo", ("Tool",), ())} <= _props("Which tools convert YAML to JSON?")
    assert p.entities == ("YAML", "JSON")


def test_an_nary_in_which_question_says_why_and_offers_one_relation() -> None:
    text = "In which habitats are birds in a country?"  # CLaRO v1 "In which EC1 are EC2 in EC3"
    assert parse_cq(text) is None
    hint = _hint(text)
    assert "relate three things" in hint and "'Which birds are in a country?'" in hint


def test_an_acronym_before_a_noun_that_is_not_its_kind_is_no_name_of_that_kind() -> None:
    p = _read("Who maintains the EBI website?")  # the website of the EBI, not an EBI that is a website
    assert "Website" not in {c.name for c in p.classes} and not p.entities


def test_knowing_anyone_who_is_reworded_as_who() -> None:
    assert "'Who feeds a bird?' (this rewording is read)" in _hint("Do I know anyone who feeds a bird?")


def test_how_to_get_a_thing_is_reworded_as_where() -> None:
    assert "'Where can I download a plugin?'" in _hint("How do I download a plugin?")


@pytest.mark.parametrize("text, expected", [
    ("What can I use an editor for?", ("usedFor", ("Editor",), ())),
    ("What can I install a plugin on?", ("installedOn", ("Plugin",), ())),
])
def test_what_can_i_v_x_prep_is_the_relation_of_x(text: str, expected: tuple[object, ...]) -> None:
    assert _props(text) == {expected}  # as "What is an editor used for?" reads
