"""CQ understanding (issue 16 items 5 and 6): counts, placeholders, kinds, acronyms, first-person and n-ary
shapes, and reuse of an existing property before adding one.

Questions are written here or are shapes of the CLaRO catalogue (Keet et al., CC-BY: "What [EC1] [PC1] [EC2]
in [EC3]", "Where [PC1] I [PC1] [EC1]", "[PC1] I [PC1] [EC1] on [EC2]") and of the CQ2SPARQLOWL Software
Ontology CQs (CC BY 3.0).
"""

from __future__ import annotations

import pytest
from rdflib.namespace import XSD

from hydra_magic.contracts import check_proposal
from hydra_magic.cq import CompetencyQuestion
from hydra_magic.english.cq import parse_cq, propose_from_cqs
from hydra_magic.ontology import Ontology


def read(q: str) -> tuple[str, str, str | None, str | None, str | None]:
    p = parse_cq(q)
    assert p is not None, q
    return p.describe(), p.answer, p.answer_class, p.aggregate, p.value


# ------------------------------------------------------------------ counts
@pytest.mark.parametrize("q, expected", [
    ("How many employees does a company have?",
     ("how_many_have: numberOfEmployees(Company → integer)", "value", None, None, None)),
    ("How many pages does a book have?",
     ("how_many_have: numberOfPages(Book → integer)", "value", None, None, None)),
    ("How many goals did a player score?",
     ("how_many_value: numberOfGoalsScored(Player → integer)", "value", None, None, None)),
    # things with names stay a count over a relation
    ("How many awards did a film win?",
     ("how_many_object: wins(Film → Award)", "count", "Award", "count", None)),
    ("How many awards does a film have?",
     ("how_many_have: hasAward(Film → Award)", "count", "Award", "count", None)),
    ("Which book has 300 pages?",
     ("which_value: numberOfPages(Book → integer)", "entities", "Book", None, "300")),
    ("Which company has 5,000 employees?",
     ("which_value: numberOfEmployees(Company → integer)", "entities", "Company", None, "5000")),
])
def test_counts_are_numbers_or_counts_over_a_relation(q, expected):
    assert read(q) == expected


def test_a_headcount_adds_no_class_but_becomes_a_relation_when_the_class_exists():
    alone = propose_from_cqs([CompetencyQuestion("How many employees does a company have?")], Ontology())
    assert "Employee" not in [c.name for c in alone.classes]
    assert [(p.name, p.kind, p.range) for p in alone.properties] == [("numberOfEmployees", "data", ("integer",))]
    both = propose_from_cqs([CompetencyQuestion("Which employees does a company hire?"),
                             CompetencyQuestion("How many employees does a company have?")], Ontology())
    assert [(p.name, p.domain, p.range) for p in both.properties] == [
        ("hires", ("Company",), ("Employee",)), ("hasEmployee", ("Company",), ("Employee",))]


# ------------------------------------------------------------ placeholders
@pytest.mark.parametrize("q, expected", [
    ("Which species does SpeciesX belong to?", "which_object: belongsTo(Species → Species)"),
    ("Which genus does species X belong to?", "which_object: belongsTo(Species → Genus)"),
    ("Which X eats Y?", "which_subject: eats(? → ?)"),
    ("Does X eat Y?", "does_verb: eats(? → ?)"),
    ("What is the habitat of a given animal?", "attribute_of: habitat(Animal → string)"),
    ("Who developed [this software]?", "who_subject: develops(Person → Software)"),
])
def test_placeholders_are_variables_never_classes(q, expected):
    p = parse_cq(q)
    assert p is not None and p.describe() == expected
    names = {c.name for c in p.classes}
    assert not names & {"X", "Y", "SpeciesX", "GenusX"} and not p.entities


# ------------------------------------------------------------------ kinds
@pytest.mark.parametrize("q, expected, answer_class", [
    ("What types of demographic data are collected?",
     "kinds_which_subject: isCollected(DemographicData → boolean)", "DemographicData"),
    ("What kinds of software are free?", "kinds_which_subject: isFree(Software → boolean)", "Software"),
    ("What kinds of software read XML?", "kinds_which_subject: reads(Software → ?)", "Software"),  # XML: one thing
])
def test_types_of_x_ask_for_subclasses_of_x(q, expected, answer_class):
    p = parse_cq(q)
    assert (p.describe(), p.answer, p.answer_class) == (expected, "subclasses", answer_class)


def test_kind_of_x_is_a_class_is_still_a_subclass_link():
    assert parse_cq("What kind of animal is a lion?").describe() == "kind_of: Lion ⊑ Animal"
    # a participle that modifies a noun is part of the class (CQ2SPARQLOWL Stuff)
    assert parse_cq("Which kind of stuff are mixed stuffs?").describe() == "kind_of: MixedStuff ⊑ Stuff"


# --------------------------------------------------------------- acronyms
@pytest.mark.parametrize("q, expected", [
    ("Which software reads DNA?", "which_subject: reads(Software → DNA)"),
    ("Which software reads DNA sequences?", "which_subject: reads(Software → DNASequence)"),
])
def test_acronym_objects_keep_their_range(q, expected):
    """A common noun's acronym (DNA) or one before a noun is a class (round 7 made other acronyms names)."""
    p = parse_cq(q)
    assert p.describe() == expected and not p.entities


@pytest.mark.parametrize("q, expected, names", [
    ("Which tools export to CSV or PDF?", "which_subject: exportsTo(Tool → ?)", ("CSV", "PDF")),
    ("Does a tool read XML?", "does_verb: reads(Tool → ?)", ("XML",)),
])
def test_acronym_objects_name_one_thing(q, expected, names):
    """Round 7: XML, CSV name one format each, as any proper name does: an individual, never a class."""
    p = parse_cq(q)
    assert p.describe() == expected and p.entities == names


# ------------------------------------------- parts, n-ary, participles
@pytest.mark.parametrize("q, expected", [
    # a film is never the object of "write"
    ("Who wrote the screenplay of a film?", "who_subject: writesScreenplayOf(Person → Film)"),
    ("Who composed the music for a film?", "who_subject: composesMusicFor(Person → Film)"),
    ("What is a film based on?", "what_object: basedOn(Film → ?)"),
    # plural parts keep their class
    ("Which animal eats the leaves of a tree?", "which_subject: eats(Animal → Leaf), hasLeaf(Tree → Leaf)"),
    # CLaRO "What [EC1] [PC1] [EC2] in [EC3]" and "[PC1] [EC1] [PC1] [EC2] from [EC3]"
    ("What animal eats a plant in a habitat?", "which_subject: eats(Animal → Plant), eatsIn(Animal → Habitat)"),
    ("Does an animal eat a plant from a habitat?",
     "does_verb: eats(Animal → Plant), eatsFrom(Animal → Habitat)"),
])
def test_verb_object_and_a_prepositional_phrase(q, expected):
    assert parse_cq(q).describe() == expected


def test_screenplay_alternative_labels_read_the_passive():
    p = parse_cq("Who wrote the screenplay of a film?").property
    assert {"wrote the screenplay of", "wrote the screenplay for", "screenplay by",
            "screenplay written by"} <= set(p.alt_labels)


# ----------------------------------------------------------- first person
@pytest.mark.parametrize("q, expected, answer", [
    ("Where can I get the software?", "first_person: availableFrom(Software → Place)", "entities"),
    ("Which URL can I get the software from?", "first_person: availableFrom(Software → URL)", "entities"),
    ("Where do I eat an animal?", "first_person: eatenIn(Animal → Place)", "entities"),
    ("Can I install the software on a university computer?",
     "first_person: installedOn(Software → UniversityComputer)", "boolean"),
    ("What hardware do I need to run this software?", "first_person_need: requires(Software → Hardware)",
     "entities"),
    ("Do I need a password to use the software?", "first_person_need: requires(Software → Password)", "boolean"),
    ("How many licenses do we need to run the software productively?",
     "first_person_need: requires(Software → License)", "count"),
    ("What software can I use to process data?", "first_person_use: processes(Software → Data)", "entities"),
])
def test_first_person_questions_read_as_the_passive_they_mean(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


@pytest.mark.parametrize("q", ["How do I cite the software?", "Do I know anyone who has used this software?",
                               "What was a company renamed?",
                               "What distinguishes structured from unstructured stuff?"])
def test_unreadable_questions_get_unparsed_cq_with_a_hint(q):
    assert parse_cq(q) is None
    proposal = propose_from_cqs([CompetencyQuestion(q)], Ontology())
    assert [i.code for i in proposal.issues] == ["unparsed_cq"] and "Rephrase" in proposal.issues[0].hint
    assert not proposal.classes and not proposal.properties


# ------------------------------------------------------- reuse before adding
def _films() -> Ontology:
    o = Ontology()
    thing = o.add_class("Thing")
    film, award, person = (o.add_class(n, parent=thing) for n in ("Film", "Award", "Person"))
    o.add_property("awardReceived", "object", [film], [award], label="award received")
    o.add_property("releaseYear", "data", [film], [XSD.gYear], label="release year")
    o.add_property("nominatedFor", "object", [person], [award], label="nominated for")
    return o


def test_an_imported_property_with_the_same_ends_and_words_is_reused_and_said():
    o = _films()
    proposal = propose_from_cqs([CompetencyQuestion("Which awards did a film receive?"),
                                 CompetencyQuestion("What awards does a film have?")], o)
    assert proposal.properties == []
    reused = [i for i in proposal.issues if i.code == "reused_property"]
    assert [(i.data["reused"], i.data["instead_of"]) for i in reused] == [
        ("awardReceived", "receives"), ("awardReceived", "hasAward")]
    assert all(i.severity == "info" for i in reused)
    assert "awardReceived (Film → Award) instead of adding receives" in reused[0].message


def test_no_reuse_when_the_ends_or_the_words_differ():
    o = _films()
    proposal = propose_from_cqs([CompetencyQuestion("Which awards did a person receive?"),  # Person, not Film
                                 CompetencyQuestion("Which awards did a film win?")], o)      # other words
    assert sorted((p.name, p.domain, p.range) for p in proposal.properties) == [
        ("receives", ("Person",), ("Award",)), ("wins", ("Film",), ("Award",))]
    assert not [i for i in proposal.issues if i.code == "reused_property"]
    assert check_proposal(proposal, o).ok


def test_a_date_question_reuses_a_year_property_with_a_hint():
    proposal = propose_from_cqs([CompetencyQuestion("When was a film released?")], _films())
    assert proposal.properties == []
    codes = {i.code: i for i in proposal.issues}
    assert codes["reused_property"].data["reused"] == "releaseYear"
    differs = codes["cq_datatype_differs"]
    assert (differs.data["asked"], differs.data["held"]) == ("date", "gYear")
    assert "In what year" in differs.hint


def test_a_year_question_on_an_empty_ontology_asks_for_a_year():
    p = parse_cq("In what year was a film released?")
    assert (p.property.name, p.datatype) == ("releaseYear", "integer")


# ------------------------------------------- placeholders inside phrases, plural parts
def test_a_variable_ends_its_noun_phrase():
    # the variable is no part of a class name ("XContain", "InGenus" were read before)
    assert parse_cq("Which species does genus X contain?").describe() == "which_object: contains(Genus → Species)"
    assert parse_cq("Which species belong to genus X?").describe() == "which_subject: belongsTo(Species → Genus)"
    # "are in genus Y": a count of the genus's species, never a class InGenus
    p = parse_cq("How many species X are in genus Y?")
    assert (p.describe(), p.answer, p.aggregate) == ("how_many_have: hasSpecies(Genus → Species)", "count", "count")


@pytest.mark.parametrize("q, expected, answer", [
    ("What are the inputs and outputs of a software?",
     "attribute_of: hasInput(Software → Input), hasOutput(Software → Output)", "entities"),
    ("What are the parts of a plant?", "attribute_of: hasPart(Plant → Part)", "entities"),
    # attribute nouns stay data properties, in the plural too
    ("What are the release dates of a film?", "attribute_of: releaseDate(Film → date)", "value"),
    ("What is the habitat of an animal?", "attribute_of: habitat(Animal → string)", "value"),
])
def test_plural_things_of_an_owner_are_objects(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_a_superlative_names_no_class():
    assert parse_cq("Which animal is the largest?") is None
    assert parse_cq("Which version of a tool is the latest?") is None
    # a noun after the copula still does
    assert parse_cq("Which animals are carnivores?").describe() == "which_subject: Carnivore ⊑ Animal"


def test_exist_is_no_property():
    p = parse_cq("Which versions of a tool exist?")
    assert (p.describe(), p.answer_class) == ("which_subject: hasVersion(Tool → Version)", "Version")
    p = parse_cq("Which animals exist?")
    assert (p.describe(), [c.name for c in p.classes]) == ("which_subject: Animal", ["Animal"])
    assert not p.properties


@pytest.mark.parametrize("q, expected, answer_class, negated", [
    # "used to V Y": the tool does the verb (never a class AnalyseData)
    ("Which software is used to analyse data?", "which_subject: analyses(Software → Data)", "Software", False),
    ("Which tools can be used to read a format?", "which_subject: reads(Tool → Format)", "Tool", False),
    # "needed/required to V Y": Y requires it
    ("What hardware is required to run a tool?", "which_subject: requires(Tool → Hardware)", "Hardware", False),
    # "no" before the object negates the question
    ("Which animals eat no plants?", "which_subject: eats(Animal → Plant)", "Animal", True),
])
def test_purpose_and_negation(q, expected, answer_class, negated):
    p = parse_cq(q)
    assert (p.describe(), p.answer_class, p.negated) == (expected, answer_class, negated)


def test_used_in_a_place_is_still_a_state():
    assert parse_cq("Which tools are used in a lab?").describe() == "which_subject: usedIn(Tool → Lab)"
    assert parse_cq("Which tools are used to?") is None


# ------------------------------------------------ CLaRO shapes: difference, given, how long
@pytest.mark.parametrize("q, expected, classes", [
    ("What is the difference between a virus and a bacterium?", "difference: Virus, Bacterium",
     ["Virus", "Bacterium"]),
    ("What are the differences between a tool and a library?", "difference: Tool, Library", ["Tool", "Library"]),
])
def test_a_difference_asks_for_the_definitions_of_the_classes(q, expected, classes):
    p = parse_cq(q)
    assert (p.describe(), p.answer, [c.name for c in p.classes], p.properties) == (expected, "definition", classes, ())


@pytest.mark.parametrize("q", ["What is the difference between a virus?", "What is the difference between X and Y?"])
def test_a_difference_needs_two_named_classes(q):
    assert parse_cq(q) is None


@pytest.mark.parametrize("q, expected, classes", [
    ("Given a tool, which formats does it read?", "given_which_object: reads(Tool → Format)", ["Format", "Tool"]),
    ("Given a habitat, which animals live in it?", "given_which_subject: livesIn(Animal → Habitat)",
     ["Animal", "Habitat"]),
    ("Given an animal, what are the plants for a habitat?", "given_attribute_of: hasPlant(Habitat → Plant)",
     ["Habitat", "Plant", "Animal"]),
])
def test_given_a_thing_then_a_question(q, expected, classes):
    p = parse_cq(q)
    assert (p.describe(), [c.name for c in p.classes]) == (expected, classes)


def test_given_without_a_question_is_unread():
    assert parse_cq("Given X, what is Y?") is None
    assert parse_cq("Given a tool, the formats.") is None


@pytest.mark.parametrize("q, expected", [
    ("How long does an animal sleep?", "how_long: sleepDuration(Animal → float)"),
    ("How long does a bird migrate?", "how_long: migrationDuration(Bird → float)"),
    ("How long does a film last?", "how_much: duration(Film → float)"),
])
def test_how_long_is_the_duration_of_the_event(q, expected):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, "value")


def test_how_long_needs_a_verb_at_the_end():
    assert parse_cq("How long does a tool take to run?") is None


@pytest.mark.parametrize("q, expected, answer_class", [
    # CLaRO "What are the main types of [EC1] [EC2] [PC1]"
    ("What are the main types of plants that an animal eats?", "kinds_which_object: eats(Animal → Plant)", "Plant"),
    ("What are the types of data a tool reads?", "kinds_which_object: reads(Tool → Data)", "Data"),
])
def test_kinds_of_x_a_thing_acts_on(q, expected, answer_class):
    p = parse_cq(q)
    assert (p.describe(), p.answer, p.answer_class) == (expected, "subclasses", answer_class)


def test_kinds_of_x_without_a_clause_stay_kinds_of_x():
    assert parse_cq("What are the main types of animal?").describe() == "kinds_of: Animal"
    assert parse_cq("What are the main types of animal a plant?") is None


@pytest.mark.parametrize("q, expected", [
    # a second verb is no object ("hunt animals" was read as a class HuntAnimal)
    ("Which animals eat plants and hunt animals?", "which_subject: eats(Animal → Plant), hunts(Animal → Animal)"),
    ("Which animals eat leaves and drink water?", "which_subject: eats(Animal → Leaf), drinks(Animal → Water)"),
    ("Does an animal eat a plant and hunt a habitat?", "does_verb: eats(Animal → Plant), hunts(Animal → Habitat)"),
    # coordinated objects stay one relation
    ("Which animals eat plants and fruits?", "which_subject: eats(Animal → Plant|Fruit)"),
    ("Does an animal eat plants and animals?", "does_verb: eats(Animal → Plant|Animal)"),
])
def test_coordinated_verb_phrases_share_the_subject(q, expected):
    assert parse_cq(q).describe() == expected


@pytest.mark.parametrize("q, expected, answer", [
    # CLaRO "Is there [EC1] [PC1] [EC2] [PC1]": the relative clause's subject acts on the thing asked about
    ("Is there an animal that a plant eats?", "exists_that_object: eats(Plant → Animal)", "boolean"),
    ("Is there a format that a tool runs on?", "exists_that_object: runsOn(Tool → Format)", "boolean"),
    ("What are the plants that an animal eats?", "what_are_that_object: eats(Animal → Plant)", "entities"),
    ("What are plants that animals eat?", "what_are_that_object: eats(Animal → Plant)", "entities"),  # was animals(…)
    # the subject relative is unchanged
    ("Is there an animal that eats a plant?", "exists_that: eats(Animal → Plant)", "boolean"),
    ("What are animals that have a tail?", "what_are_that: hasTail(Animal → Tail)", "entities"),
])
def test_relative_clauses_with_the_object_left_out(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_a_relative_clause_without_a_verb_is_unread():
    assert parse_cq("Is there an animal that a plant?") is None


@pytest.mark.parametrize("q, expected, answer", [
    ("Which software has been developed by a company?", "which_subject: develops(Company → Software)", "entities"),
    ("Is the software still maintained?", "is_passive: isMaintained(Software → boolean)", "boolean"),
    ("Can the software be used for data analysis?", "can_passive: usedFor(Software → DataAnalysis)", "boolean"),
    ("Can the software be extended with plugins?", "can_passive: extendedWith(Software → Plugin)", "boolean"),
    ("Which software can I use for data analysis?", "first_person_use: usedFor(Software → DataAnalysis)",
     "entities"),
])
def test_perfect_and_modal_passives_adverbs_and_use_for(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_use_for_needs_a_thing():
    assert parse_cq("Which software can I use for?") is None
    assert parse_cq("How can I use the software for data analysis?") is None


@pytest.mark.parametrize("q, expected", [
    # was Code ⊑ Source
    ("Is the source code of the software available?",
     "is_adjective: isAvailable(SourceCode → boolean), hasSourceCode(Software → SourceCode)"),
    ("Is there any training available for the software?", "exists_for: hasTraining(Software → Training)"),
    ("How stable is the software?", "how_adjective: stability(Software → float)"),
    ("Are lions dangerous?", "is_adjective: isDangerous(Lion → boolean)"),
    ("Is a lion a herbivore?", "is_a: Lion ⊑ Herbivore"),
])
def test_a_state_of_a_long_subject(q, expected):
    assert parse_cq(q).describe() == expected


@pytest.mark.parametrize("q, expected, answer_class", [
    # the object asked for and a participant added by a preposition (as "What animal eats a plant in a habitat?")
    ("What method does the software use for a task?",
     "which_object: uses(Software → Method), usesFor(Software → Task)", "Method"),
    ("What plant does an animal eat in a habitat?", "which_object: eats(Animal → Plant), eatsIn(Animal → Habitat)",
     "Plant"),
    # "as input" names the role, not a participant
    ("What file types does the software accept as input?", "which_object: accepts(Software → FileType)", "FileType"),
    ("How often is the software updated?", "how_often: updateFrequency(Software → string)", None),
])
def test_inverted_questions_with_a_prepositional_phrase_and_roles(q, expected, answer_class):
    p = parse_cq(q)
    assert (p.describe(), p.answer_class) == (expected, answer_class)


def test_a_state_is_no_class_to_define():
    assert parse_cq("What is used?").describe() == "what_subject: isUsed(? → boolean)"
    assert parse_cq("What does an animal eat in a habitat?") is None


@pytest.mark.parametrize("q, expected, answer", [
    # "with" names the instrument, which does the verb
    ("Can I open a file with the software?", "first_person: opens(Software → File)", "boolean"),
    # was modifiedOf(SourceCode → Software)
    ("Can I modify the source code of the software?",
     "first_person: canBeModified(SourceCode → boolean), hasSourceCode(Software → SourceCode)", "boolean"),
    ("Can I redistribute the software?", "first_person: canBeRedistributed(Software → boolean)", "boolean"),
    ("Where can I find documentation for the software?",
     "first_person: availableFrom(Documentation → Place), hasDocumentation(Software → Documentation)", "entities"),
    ("What do I need to run the software?", "first_person_need: requires(Software → ?)", "entities"),
])
def test_more_first_person_questions(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


@pytest.mark.parametrize("q", ["Do I eat an animal?", "Can I get the software?", "How can I get the software?"])
def test_first_person_questions_without_a_reading(q):
    assert parse_cq(q) is None


@pytest.mark.parametrize("q, expected", [
    ("Which software can read and write a format?",
     "which_subject: reads(Software → Format), writes(Software → Format)"),
    ("Which tools import or export XML?", "which_subject: imports(Tool → ?), exports(Tool → ?)"),
    ("Does the software read and write a format?", "does_verb: reads(Software → Format), writes(Software → Format)"),
    ("Who directs and produces a film?", "who_subject: directs(Person → Film), produces(Person → Film)"),
])
def test_two_verbs_share_one_object(q, expected):
    assert parse_cq(q).describe() == expected


def test_two_verbs_without_an_object_are_unread():
    assert parse_cq("Which animals hunt and are hunted?") is None


@pytest.mark.parametrize("q, expected, answer", [
    ("Which data can I analyse with the software?", "first_person: analyses(Software → Data)", "entities"),
    # kinds stay questions for subclasses when the asker is in them
    ("What kinds of tasks can I perform with the software?", "kinds_first_person: performs(Software → Task)",
     "subclasses"),
    ("What type of hardware do I need to run the software?",
     "kinds_first_person_need: requires(Software → Hardware)", "subclasses"),
])
def test_first_person_with_an_instrument_and_kinds(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_an_instrument_needs_its_noun():
    assert parse_cq("What tasks can I perform with?") is None


@pytest.mark.parametrize("q, expected", [
    ("Which stuff has a liquid as a part?", "which_role: hasPart(Stuff → Liquid)"),  # was liquid(Stuff → string)
    ("Which software has XML as an output format?", "which_role: hasOutputFormat(Software → OutputFormat)"),
])
def test_has_x_as_a_role(q, expected):
    assert parse_cq(q).describe() == expected


def test_has_as_without_a_thing_is_unread():
    assert parse_cq("Which stuff has as a part?") is None


@pytest.mark.parametrize("q, expected", [
    # an imperative lists things: hasX, not one string value
    ("List an animal of a plant.", "attribute_of: hasAnimal(Plant → Animal)"),
    ("Name the director of a film.", "attribute_of: hasDirector(Film → Director)"),
    ("List the release dates of films.", "attribute_of: releaseDate(Film → date)"),
    # the attribute belongs to the nearest owner (was name(Film → string))
    ("What are the names of the actors of a film?", "attribute_of: name(Actor → string), hasActor(Film → Actor)"),
    ("What is the year of birth of a person?", "attribute_of: yearOfBirth(Person → integer)"),
])
def test_attributes_of_nested_owners_and_listings(q, expected):
    assert parse_cq(q).describe() == expected


def test_a_first_person_verb_repeated_as_a_noun_is_unread():
    assert parse_cq("Where do I eat an animal eat?") is None
    assert parse_cq("Can we eat an animal of a plant?").describe() == \
        "first_person: canBeEaten(Animal → boolean), hasAnimal(Plant → Animal)"


@pytest.mark.parametrize("q, expected, answer", [
    ("Are there any alternatives to the software?", "exists_for: hasAlternative(Software → Alternative)", "boolean"),
    ("Does the software support a format or not?", "does_verb: supports(Software → Format)", "boolean"),
    ("What are the system requirements for running the software?",
     "attribute_of: hasSystemRequirement(Software → SystemRequirement)", "entities"),
    ("What tools are there to analyse data?", "which_subject: analyses(Tool → Data)", "entities"),
    ("Is it possible to redistribute the software?", "first_person: canBeRedistributed(Software → boolean)",
     "boolean"),
])
def test_existence_purpose_and_possibility(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_possibility_without_a_verb_phrase_is_unread():
    assert parse_cq("Is it possible to?") is None
    assert parse_cq("What tools are there to?") is None


@pytest.mark.parametrize("q, expected, answer", [
    # the thing able, available or designed to do a verb does it (was availableTo(Software → AnalyseData))
    ("What software is available to analyse data?", "which_subject: analyses(Software → Data)", "entities"),
    ("Which software is designed to analyse data?", "which_subject: analyses(Software → Data)", "entities"),
    ("Which tools are able to read a format?", "which_subject: reads(Tool → Format)", "entities"),
    ("Which animals are able to fly?", "which_subject: canFly(Animal → boolean)", "entities"),  # was hasAble
    ("Is the software able to read a format?", "is_able: reads(Software → Format)", "boolean"),
    ("Does the software allow me to edit a file?", "does_enable: edits(Software → File)", "boolean"),
    ("Can the software help me analyse data?", "does_enable: analyses(Software → Data)", "boolean"),
    # a participle after the noun: "the X used to …" is "Which X is used to …"
    ("What is the algorithm used to process the data?", "what_is_which_subject: processes(Algorithm → Data)",
     "entities"),
    ("What are the formats supported by a tool?", "what_is_which_subject: supports(Tool → Format)", "entities"),
    # paired modifiers share the head; plural literal attributes stay values
    ("What is the input and output format of the software?",
     "attribute_of: inputFormat(Software → string), outputFormat(Software → string)", "value"),
    ("What are the minimum and maximum values of a parameter?",
     "attribute_of: minimumValue(Parameter → string), maximumValue(Parameter → string)", "value"),
])
def test_ability_purpose_reduced_relatives_and_shared_heads(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


@pytest.mark.parametrize("q", ["Does the software allow me to?", "Which animals are able to?"])
def test_ability_without_a_verb_is_unread(q):
    assert parse_cq(q) is None


@pytest.mark.parametrize("q, expected, answer", [
    # an amount is a number on the owner, never a class to count
    ("How much memory does the software need?", "how_much_of: amountOfMemoryNeeded(Software → float)", "value"),
    ("How much water does an elephant drink?", "how_much_of: amountOfWaterDrunk(Elephant → float)", "value"),
    ("How much does the software cost?", "how_much: cost(Software → float)", "value"),
    # what is needed for a thing is what the thing requires (was neededFor(Hardware → Software))
    ("What hardware is needed for the software?", "which_subject: requires(Software → Hardware)", "entities"),
    ("Which libraries are required for the software?", "which_subject: requires(Software → Library)", "entities"),
])
def test_amounts_and_requirements(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_an_amount_needs_an_owner():
    assert parse_cq("How much memory does need?") is None


@pytest.mark.parametrize("q, expected, answer", [
    ("How many species are there in a genus?", "how_many_have: hasSpecies(Genus → Species)", "count"),
    ("How many players are in a team?", "how_many_have: hasPlayer(Team → Player)", "count"),
    ("How many members are in a band?", "how_many_have: numberOfMembers(Band → integer)", "value"),
    ("What is the number of species in a genus?", "how_many_have: hasSpecies(Genus → Species)", "count"),
])
def test_how_many_x_are_in_y_counts_what_y_has(q, expected, answer):
    p = parse_cq(q)
    assert (p.describe(), p.answer) == (expected, answer)


def test_how_many_x_are_in_nothing_is_unread():
    assert parse_cq("How many animals are in?") is None


def test_a_given_thing_is_one_instance():
    # "a given animal" is a variable standing for one animal: the question asks whether it is a herbivore,
    # which implies Herbivore ⊑ Animal (weakly), not that every animal is a herbivore
    p = parse_cq("Is a given animal a herbivore?")
    assert p.describe() == "is_a: Herbivore ⊑ Animal" and p.subclass_links[0].implied
    p = parse_cq("Is a lion a herbivore?")
    assert p.describe() == "is_a: Lion ⊑ Herbivore" and not p.subclass_links[0].implied


def test_not_before_the_object_negates():
    p = parse_cq("What animal eats not a plant?")  # CLaRO "What [EC1] [PC1] not [EC2]"
    assert (p.describe(), p.negated) == ("which_subject: eats(Animal → Plant)", True)
    assert parse_cq("Which animals eat not plants but animals?") is None


@pytest.mark.parametrize("q, expected", [
    # a singular attribute, definite or not, keeps its value reading until its class exists (the prose bench's
    # "What is a side effect of a drug?" reads side effects as values)
    ("What is a side effect of a drug?", "attribute_of: sideEffect(Drug → string)"),
    ("What is the habitat of an animal?", "attribute_of: habitat(Animal → string)"),
    # "and" states both links; "or" states neither
    ("Are lions carnivores and predators?", "is_a: Lion ⊑ Carnivore, Lion ⊑ Predator"),
])
def test_singular_attributes_and_conjoined_classes(q, expected):
    assert parse_cq(q).describe() == expected


def test_a_disjunction_of_classes_states_no_link():
    # "which of the two is it?": the classes, no link; the TBox query asks which one holds (tests/test_tbox_sparql.py)
    p = parse_cq("Is a lion a carnivore or a herbivore?")
    assert (p.describe(), p.answer) == ("is_a: Lion, Carnivore, Herbivore", "boolean") and not p.subclass_links


@pytest.mark.parametrize("q, expected", [
    ("What disease is a drug used to treat?", "which_object: treats(Drug → Disease)"),
    ("What platform is the software designed to run on?", "which_object: runsOn(Software → Platform)"),
])
def test_the_object_of_a_purpose(q, expected):
    p = parse_cq(q)
    assert (p.describe(), p.focus) == (expected, "range")


def test_a_purpose_without_its_verb_is_no_relation_of_that_verb():
    assert parse_cq("What disease is a drug used to cure a patient with?") is None


def test_need_and_require_are_one_relation():
    p = parse_cq("Which operating system does the software need?")
    assert p.describe() == "which_object: requires(Software → OperatingSystem)"
    assert {"needs", "needed by"} <= set(p.property.alt_labels)
    proposal = propose_from_cqs([CompetencyQuestion("What hardware do I need to run the software?"),
                                 CompetencyQuestion("Which hardware does the software need?")], Ontology())
    assert [(p.name, p.domain, p.range) for p in proposal.properties] == [("requires", ("Software",), ("Hardware",))]
