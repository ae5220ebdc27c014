"""The offline engine's text -> triples half: what a user of ``%%extract`` sees it do."""

from __future__ import annotations

import pytest
from rdflib import URIRef, RDF, RDFS, XSD, Literal

from hydra_magic.candidates import IS_A, TextChunk, TripleCandidate
from hydra_magic.contracts import check_triples
from hydra_magic.engines.rules import RulesEngine
from hydra_magic.english.text import (
    KNOWN_VALUE,
    OBJECT_FORM,
    extract_triples,
    learn_triggers,
    split_sentences,
)
from hydra_magic.iri import is_snake_case
from hydra_magic.kg import Evidence, Fact, KnowledgeGraph
from hydra_magic.ontology import Ontology


@pytest.fixture
def film_ontology() -> Ontology:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    work = o.add_class("Work", label="work", refresh=False)
    o.graph.add((film, RDFS.subClassOf, work))
    human = o.add_class("Human", label="person", alt_labels=["human"], refresh=False)
    city = o.add_class("City", label="city", refresh=False)
    o.add_property("director", "object", [film], [human], label="director", refresh=False)
    o.add_property(
        "screenwriter",
        "object",
        [film],
        [human],
        label="screenwriter",
        alt_labels=["written by"],
        refresh=False,
    )
    o.add_property(
        "castMember",
        "object",
        [film],
        [human],
        label="cast member",
        alt_labels=["stars"],
        refresh=False,
    )
    o.add_property(
        "publicationYear",
        "data",
        [film],
        [XSD.integer],
        label="publication year",
        alt_labels=["released in"],
        refresh=False,
    )
    o.add_property("runtimeMinutes", "data", [film], [XSD.integer], label="runtime", refresh=False)
    # the domain sits on the superclass: the closure must be transitive
    o.add_property("basedOn", "object", [work], [work], label="based on", refresh=False)
    o.add_property(
        "birthPlace",
        "object",
        [human],
        [city],
        label="birth place",
        alt_labels=["born in"],
        refresh=False,
    )
    o.refresh()
    return o


TEXT = (
    "Looney Tunes: Back in Action is a 2003 film directed by Joe Dante and written by Larry Doyle. "
    "It stars Brendan Fraser, Jenna Elfman and Steve Martin. The film was released in 2003. "
    "Joe Dante was born in Morristown."
)


def _triples(cands: list[TripleCandidate]) -> set[tuple[str, str, str]]:
    return {(c.subject, c.predicate, c.object) for c in cands}


def test_realistic_paragraph_gives_typed_grounded_triples(film_ontology: Ontology) -> None:
    kg = KnowledgeGraph()
    cands = extract_triples(TextChunk(TEXT), film_ontology, kg)
    got = _triples(cands)
    title = "looney_tunes_back_in_action"
    assert {
        (title, "director", "joe_dante"),
        (title, "screenwriter", "larry_doyle"),
        (title, "castMember", "brendan_fraser"),
        (title, "castMember", "jenna_elfman"),
        (title, "castMember", "steve_martin"),
        (title, "publicationYear", "2003"),
        ("joe_dante", "birthPlace", "morristown"),
    } <= got
    # typing: read in "X is a 2003 film", inferred from domains/ranges elsewhere
    types = {c.subject: c for c in cands if c.predicate == IS_A}
    assert types[title].object == "Film" and types[title].inferred is False
    assert types["joe_dante"].object == "Human" and types["joe_dante"].inferred is True
    assert types["morristown"].object == "City" and types["morristown"].inferred is True
    # every entity is typed exactly once, before the relations that need it
    assert len([c for c in cands if c.predicate == IS_A and c.subject == "joe_dante"]) == 1
    assert [c.predicate == IS_A for c in cands] == sorted(
        (c.predicate == IS_A for c in cands), reverse=True
    )


def test_every_candidate_passes_the_contracts(film_ontology: Ontology) -> None:
    kg = KnowledgeGraph()
    cands = extract_triples(TextChunk(TEXT), film_ontology, kg)
    verdict = check_triples(cands, film_ontology, kg, TEXT)
    assert cands and not verdict.rejected, [(r.candidate, r.codes) for r in verdict.rejected]
    for c in cands:
        assert is_snake_case(c.subject)
        if c.predicate != IS_A and film_ontology.get_property(c.predicate).kind == "object":
            assert is_snake_case(c.object)


def test_spans_point_at_the_surface_in_the_whole_text(film_ontology: Ontology) -> None:
    prefix = "Notes from the archive. " * 3
    text = prefix + TEXT
    chunk = TextChunk(text[len(prefix) :], start=len(prefix), index=4)
    cands = extract_triples(chunk, film_ontology, KnowledgeGraph())
    assert cands
    for c in cands:
        assert c.chunk == 4
        assert text[c.subject_span[0] : c.subject_span[1]] == c.subject_text
        if c.predicate != IS_A:
            assert text[c.object_span[0] : c.object_span[1]] == c.object_text
            assert c.sentence and c.sentence in text
    title = next(c for c in cands if c.predicate == "director")
    assert title.subject_text == "Looney Tunes: Back in Action"  # title with a colon kept whole


def test_pronoun_and_the_film_refer_to_the_previous_subject(film_ontology: Ontology) -> None:
    text = (
        "Heat is a 1995 film directed by Michael Mann. It stars Al Pacino. "
        "The film was released in 1995."
    )
    got = _triples(extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()))
    assert ("heat", "castMember", "al_pacino") in got
    assert ("heat", "publicationYear", "1995") in got


def test_default_subject_takes_every_later_trigger_and_lists(film_ontology: Ontology) -> None:
    text = (
        "Alien is a 1979 film directed by Ridley Scott, written by Dan O'Bannon and starring "
        "Sigourney Weaver, "
        "Tom Skerritt and John Hurt."
    )
    got = _triples(extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()))
    assert {
        ("alien", "director", "ridley_scott"),
        ("alien", "screenwriter", "dan_o_bannon"),
        ("alien", "castMember", "sigourney_weaver"),
        ("alien", "castMember", "tom_skerritt"),
        ("alien", "castMember", "john_hurt"),
    } <= got


def test_coordinated_verbs_share_their_object(film_ontology: Ontology) -> None:
    text = "Mary and Max is a 2009 film written and directed by Adam Elliot."
    got = _triples(extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()))
    assert {
        ("mary_and_max", "director", "adam_elliot"),
        ("mary_and_max", "screenwriter", "adam_elliot"),
    } <= got


def test_domain_on_a_superclass_is_accepted_and_typing_uses_the_subclass(
    film_ontology: Ontology,
) -> None:
    text = "Jaws is a 1975 film based on Peter Benchley and directed by Steven Spielberg."
    kg = KnowledgeGraph()
    cands = extract_triples(TextChunk(text), film_ontology, kg)
    got = _triples(cands)
    assert ("jaws", "basedOn", "peter_benchley") in got and (
        "jaws",
        "director",
        "steven_spielberg",
    ) in got
    assert ("jaws", IS_A, "Film") in got  # satisfies both Work (basedOn) and Film (director)
    assert not check_triples(cands, film_ontology, kg, text).rejected


def test_known_kg_types_are_reused_and_conflicts_reported(film_ontology: Ontology) -> None:
    kg = KnowledgeGraph()
    o = film_ontology
    ev = Evidence("earlier")
    kg.add(
        [
            Fact(kg.entity_iri("joe_dante"), RDF.type, o.get_class("Human").iri, ev),
            # a city, so it cannot direct anything: the relation must be rejected where the user sees it
            Fact(kg.entity_iri("ridley_scott"), RDF.type, o.get_class("City").iri, ev),
        ]
    )
    text = (
        "Gremlins is a 1984 film directed by Joe Dante. "
        "Alien is a 1979 film directed by Ridley Scott."
    )
    cands = extract_triples(TextChunk(text), o, kg)
    got = _triples(cands)
    assert ("gremlins", "director", "joe_dante") in got
    assert not any(c.subject == "joe_dante" and c.predicate == IS_A for c in cands)  # already typed
    # nothing the engine formed vanishes: the contracts reject it, with the rule that says why
    verdict = check_triples(cands, o, kg, text)
    rejected = {(ct.candidate.subject, ct.candidate.predicate, ct.candidate.object): ct.codes
                for ct in verdict.rejected}
    assert rejected == {("alien", "director", "ridley_scott"): ["range_mismatch"]}
    assert ("gremlins", "director", "joe_dante") in {
        (ct.candidate.subject, ct.candidate.predicate, ct.candidate.object) for ct in verdict.accepted}


def test_literals_must_fit_their_datatype(film_ontology: Ontology) -> None:
    text = (
        "Metropolis is a 1927 film directed by Fritz Lang. Its runtime is 153. "
        "Its runtime is about two hours."
    )
    cands = extract_triples(TextChunk(text), film_ontology, KnowledgeGraph())
    runtime = [c for c in cands if c.predicate == "runtimeMinutes"]
    assert [c.object for c in runtime] == ["153"]


def test_nothing_outside_the_ontology_or_the_text(film_ontology: Ontology) -> None:
    text = "The weather was fine and everybody went home early."
    assert extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()) == []
    assert extract_triples(TextChunk(TEXT), Ontology(), KnowledgeGraph()) == []


def test_sentence_splitting_keeps_abbreviations_and_initials() -> None:
    text = (
        "Dr. J. R. R. Tolkien wrote it in the U.S. in 1937. Warner Bros. released the film. It won!"
    )
    spans = split_sentences(text)
    sentences = [text[a:b] for a, b in spans]
    assert sentences[0] == "Dr. J. R. R. Tolkien wrote it in the U.S. in 1937."
    assert sentences[1] == "Warner Bros. released the film."
    assert len(sentences) == 3


def test_rules_engine_uses_this_module(film_ontology: Ontology) -> None:
    engine = RulesEngine()
    kg = KnowledgeGraph()
    assert _triples(engine.extract(TextChunk(TEXT), film_ontology, kg)) == _triples(
        extract_triples(TextChunk(TEXT), film_ontology, kg)
    )


def test_compiled_tables_follow_ontology_changes(film_ontology: Ontology) -> None:
    text = "Heat is a 1995 film helmed by Michael Mann."
    assert not any(
        c.predicate == "director"
        for c in extract_triples(TextChunk(text), film_ontology, KnowledgeGraph())
    )
    film_ontology.add_triggers(film_ontology.get_property("director").iri, ["helmed by"])
    got = _triples(extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()))
    assert ("heat", "director", "michael_mann") in got


# --------------------------------------------------------------------- learning
# Training lines copied from Text2KGBench (https://github.com/cenguix/Text2KGBench, data/ at
# 50a3d25), licence CC BY-SA 4.0: wikidata_tekgen/train/ont_1_movie_train.jsonl (ids 324, 331, 339)
# and dbpedia_webnlg/train/ont_1_university_train.jsonl (ids 5, 6, 8, 14; WebNLG 3.0 derived,
# CC BY-NC-SA 4.0).
TEKGEN_LINES = [
    {
        "id": "ont_1_movie_train_324",
        "sub_label": "Cool World",
        "rel_label": "cast member",
        "obj_label": "Gabriel Byrne",
        "sent": "Cool World is a 1992 American live-action/animated fantasy-comedy film directed "
        "by Ralph Bakshi, "
        "and starring Kim Basinger, Gabriel Byrne and Brad Pitt.",
    },
    {
        "id": "ont_1_movie_train_331",
        "sub_label": "Space Jam",
        "rel_label": "cast member",
        "obj_label": "Michael Jordan",
        "sent": "Space Jam is a 1996 American live-action/animated sports comedy film directed by "
        "Joe Pytka and "
        "starring basketball player Michael Jordan.",
    },
    {
        "id": "ont_1_movie_train_339",
        "sub_label": "Hai-Tang",
        "rel_label": "cast member",
        "obj_label": "Anna May Wong",
        "sent": "Hai-Tang is a 1930 British-German drama film directed by Richard Eichberg and "
        "Jean Kemm and "
        "starring Anna May Wong, Marcel Vibert and Robert Ancelin.",
    },
]
WEBNLG_LINES = [
    {
        "id": "ont_1_university_train_5",
        "sent": "The Accademia di Architettura di Mendrisio is in Mendrisio. It has 600 students "
        "and an academic "
        "staff of 100.",
        "triples": [
            {"sub": "Accademia_di_Architettura_di_Mendrisio", "rel": "city", "obj": "Mendrisio"},
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "numberOfStudents",
                "obj": "600",
            },
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "academicStaffSize",
                "obj": "100",
            },
        ],
    },
    {
        "id": "ont_1_university_train_6",
        "sent": "The Accademia di Architettura di Mendrisio in Switzerland has 100 academic staff. "
        "Switzerland's "
        "leader is Johann Schneider-Ammann.",
        "triples": [
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "country",
                "obj": "Switzerland",
            },
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "academicStaffSize",
                "obj": "100",
            },
            {"sub": "Switzerland", "rel": "leader", "obj": "Johann_Schneider-Ammann"},
        ],
    },
    {
        "id": "ont_1_university_train_8",
        "sent": "The Accademia di Architettura di Mendrisio was established in Switzerland in "
        "1996. It has 100 "
        "academic staff.",
        "triples": [
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "country",
                "obj": "Switzerland",
            },
            {"sub": "Accademia_di_Architettura_di_Mendrisio", "rel": "established", "obj": "1996"},
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "academicStaffSize",
                "obj": "100",
            },
        ],
    },
    {
        "id": "ont_1_university_train_14",
        "sent": "The Accademia di Architettura di Mendrisio has 100 academic staff and 600 "
        "students. Its dean is "
        "called Mario Botta.",
        "triples": [
            {"sub": "Accademia_di_Architettura_di_Mendrisio", "rel": "dean", "obj": "Mario_Botta"},
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "numberOfStudents",
                "obj": "600",
            },
            {
                "sub": "Accademia_di_Architettura_di_Mendrisio",
                "rel": "academicStaffSize",
                "obj": "100",
            },
        ],
    },
]


def test_learn_triggers_from_tekgen_lines(film_ontology: Ontology) -> None:
    learned = learn_triggers(TEKGEN_LINES, film_ontology)
    assert "starring" in learned["castMember"]
    prop = film_ontology.get_property("castMember")
    assert "starring" in prop.triggers  # stored as hydra:trigger, readable and editable
    assert "name" in {str(x) for x in film_ontology.graph.objects(prop.iri, OBJECT_FORM)}
    # the learned phrase now drives extraction on unseen text, lists included
    text = "Heat is a 1995 film directed by Michael Mann and starring Al Pacino and Robert De Niro."
    got = _triples(extract_triples(TextChunk(text), film_ontology, KnowledgeGraph()))
    assert {("heat", "castMember", "al_pacino"), ("heat", "castMember", "robert_de_niro")} <= got


def test_learn_triggers_from_webnlg_lines() -> None:
    o = Ontology()
    uni = o.add_class("University", label="University", refresh=False)
    country = o.add_class("Country", label="Country", refresh=False)
    o.add_property(
        "academicStaffSize", "data", [uni], [XSD.string], label="academicStaffSize", refresh=False
    )
    o.add_property(
        "numberOfStudents", "data", [uni], [XSD.string], label="numberOfStudents", refresh=False
    )
    o.add_property("country", "object", [uni], [country], label="country", refresh=False)
    o.refresh()
    learned = RulesEngine().learn(WEBNLG_LINES, o)
    assert "{o} academic staff" in learned["academicStaffSize"]
    assert "{o} students" in learned["numberOfStudents"]
    forms = {str(x) for x in o.graph.objects(o.get_property("academicStaffSize").iri, OBJECT_FORM)}
    assert forms == {"number"}
    text = "The Example Institute of Technology has 250 academic staff and 4000 students."
    kg = KnowledgeGraph()
    cands = extract_triples(TextChunk(text), o, kg)
    got = _triples(cands)
    assert ("example_institute_of_technology", "academicStaffSize", "250") in got
    assert ("example_institute_of_technology", "numberOfStudents", "4000") in got
    assert not check_triples(cands, o, kg, text).rejected


def test_known_values_are_learned_and_used() -> None:
    o = Ontology()
    singer = o.add_class("Human", label="human", refresh=False)
    voice = o.add_class("Voice", label="voice", refresh=False)
    o.add_property("voiceType", "object", [singer], [voice], label="voice type", refresh=False)
    o.refresh()
    lines = [
        {
            "sub_label": n,
            "rel_label": "voice type",
            "obj_label": "tenor",
            "sent": f"{n} was an American tenor and composer.",
        }
        for n in ("Roland Hayes", "Ian Bostridge")
    ]
    learn_triggers(lines, o)
    assert "tenor" in {
        str(x) for x in o.graph.objects(o.get_property("voiceType").iri, KNOWN_VALUE)
    }
    got = _triples(
        extract_triples(TextChunk("Enrico Caruso was an Italian tenor."), o, KnowledgeGraph())
    )
    assert ("enrico_caruso", "voiceType", "tenor") in got


def test_passive_phrase_of_an_active_label_swaps_the_roles() -> None:
    # A CQ-grown ontology names properties actively: "directs" (Director -> Film), with the
    # passive "directed by" as an alternative label.
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    director = o.add_class("Director", label="director", refresh=False)
    company = o.add_class("Company", label="company", refresh=False)
    o.add_property(
        "directs",
        "object",
        [director],
        [film],
        label="directs",
        alt_labels=["directed by", "direct"],
        refresh=False,
    )
    o.add_property(
        "produces",
        "object",
        [company],
        [film],
        label="produces",
        alt_labels=["produced by"],
        refresh=False,
    )
    o.add_property(
        "releaseDate",
        "data",
        [film],
        [XSD.date],
        label="release date",
        alt_labels=["released on"],
        refresh=False,
    )
    o.refresh()
    text = (
        "Alien is a 1979 film directed by Ridley Scott. Sigourney Weaver stars in it. "
        "The film was produced by Brandywine Productions and was released on 25 May 1979."
    )
    kg = KnowledgeGraph()
    cands = extract_triples(TextChunk(text), o, kg)
    got = _triples(cands)
    assert ("ridley_scott", "directs", "alien") in got
    assert ("ridley_scott", IS_A, "Director") in got and ("alien", IS_A, "Film") in got
    # "The film" is the latest film, not the latest subject; the date is an xsd:date
    assert ("brandywine_productions", "produces", "alien") in got
    release = next(c for c in cands if c.predicate == "releaseDate")
    assert release.object == "1979-05-25" and release.object_text == "25 May 1979"
    assert text[release.object_span[0] : release.object_span[1]] == "25 May 1979"
    assert not check_triples(cands, o, kg, text).rejected


def test_list_as_subject(film_ontology: Ontology) -> None:
    o = film_ontology
    o.add_property(
        "actsIn",
        "object",
        [o.get_class("Human").iri],
        [o.get_class("Film").iri],
        label="acts in",
        alt_labels=["star in"],
    )
    got = _triples(
        extract_triples(
            TextChunk("Al Pacino and Robert De Niro star in Heat."), o, KnowledgeGraph()
        )
    )
    assert {("al_pacino", "actsIn", "heat"), ("robert_de_niro", "actsIn", "heat")} <= got


def test_adjective_of_a_known_value_grounds_the_value() -> None:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    country = o.add_class("Country", label="country", refresh=False)
    o.add_property(
        "countryOfOrigin", "object", [film], [country], label="country of origin", refresh=False
    )
    o.refresh()
    lines = [
        {
            "sub_label": t,
            "rel_label": "country of origin",
            "obj_label": "Japan",
            "sent": f"{t} is a 1990 Japanese animated film.",
        }
        for t in ("Kiki", "Porco Rosso", "Akira")
    ]
    learn_triggers(lines, o)
    text = "Paprika is a 2006 Japanese animated film."
    cands = extract_triples(TextChunk(text), o, KnowledgeGraph())
    rel = next(c for c in cands if c.predicate == "countryOfOrigin")
    assert (rel.object, rel.object_text) == ("japan", "Japan")
    assert text[rel.object_span[0] : rel.object_span[1]] == "Japan"  # the stem of "Japanese"


def test_a_relation_stated_outright_against_known_types_is_proposed_for_the_contracts() -> None:
    # "Heat directed Michael Mann.": the text says it, the types say it cannot be; the
    # engine proposes it as read so that the user sees the contracts reject it.
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    director = o.add_class("Director", label="director", refresh=False)
    o.add_property("directs", "object", [director], [film], label="directs", refresh=False)
    o.refresh()
    kg = KnowledgeGraph()
    ev = Evidence("earlier")
    kg.add(
        [
            Fact(kg.entity_iri("heat"), RDF.type, film, ev),
            Fact(kg.entity_iri("michael_mann"), RDF.type, director, ev),
        ]
    )
    text = "Heat directed Michael Mann. Michael Mann directed Thief."
    cands = extract_triples(TextChunk(text), o, kg)
    wrong = [c for c in cands if c.subject == "heat"]
    assert [(c.predicate, c.object) for c in wrong] == [("directs", "michael_mann")]
    # no typing is invented for it: heat stays a Film, michael_mann a Director
    assert not any(c.predicate == IS_A and c.subject in ("heat", "michael_mann") for c in cands)
    verdict = check_triples(cands, o, kg, text)
    rejected = {(r.candidate.subject, r.candidate.object): set(r.codes) for r in verdict.rejected}
    assert rejected == {("heat", "michael_mann"): {"domain_mismatch", "range_mismatch"}}
    accepted = {(c.candidate.subject, c.candidate.predicate, c.candidate.object) for c in verdict.accepted}
    assert ("michael_mann", "directs", "thief") in accepted


def test_a_relation_against_known_types_is_reported_even_when_not_stated_outright(
    film_ontology: Ontology,
) -> None:
    # "a 1979 film directed by": the engine formed (alien, director, ridley_scott) and
    # Ridley Scott is known as a City; nothing vanishes, the contracts say why it fails
    kg = KnowledgeGraph()
    kg.add([Fact(kg.entity_iri("ridley_scott"), RDF.type, film_ontology.get_class("City").iri,
                 Evidence("earlier"))])
    text = "Alien is a 1979 film directed by Ridley Scott."
    cands = extract_triples(TextChunk(text), film_ontology, kg)
    verdict = check_triples(cands, film_ontology, kg, text)
    assert [(ct.candidate.predicate, ct.codes) for ct in verdict.rejected] == [("director", ["range_mismatch"])]
    assert [(ct.candidate.subject, ct.candidate.object) for ct in verdict.accepted] == [("alien", "Film")]


def _genre_ontology() -> Ontology:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    genre = o.add_class("FilmGenre", label="film genre", refresh=False)
    human = o.add_class("Human", label="human", refresh=False)
    o.add_property("genre", "object", [film], [genre], label="genre", refresh=False)
    o.add_property("director", "object", [film], [human], label="director", refresh=False)
    o.refresh()
    return o


_GENRE_TRAIN = [
    {"sent": s, "sub_label": a, "rel_label": "genre", "obj_label": b}
    for s, a, b in [
        ("Alpha Run is a 1999 American space opera film by Ann Lee.", "Alpha Run", "space opera"),
        ("Gamma Ray is a 1987 American parody film by Bo Chan.", "Gamma Ray", "parody"),
        ("Omega Hill is a 1990 crime drama film by Cy Ford.", "Omega Hill", "crime drama"),
        ("Iota Bay is a 1992 western film by Di Moss.", "Iota Bay", "western"),
        ("Kilo Road is a 1998 musical film by Ed Ruiz.", "Kilo Road", "musical"),
    ]
]


def test_the_learned_relation_model_reads_what_no_trigger_covers() -> None:
    # no trigger phrase is frequent enough (min_support), each genre is seen once: only
    # the relation model, learned from the same sentences, reads the genre
    text = "Kappa Moon is a 2016 parody film by Flo Ray."
    got = {}
    for model in (False, True):
        o = _genre_ontology()
        learn_triggers(_GENRE_TRAIN, o, model=model, min_support=99)
        cands = extract_triples(TextChunk(text), o, KnowledgeGraph())
        got[model] = _triples(cands)
        assert not check_triples(cands, o, KnowledgeGraph(), text).rejected
    assert ("kappa_moon", "genre", "parody") in got[True] - got[False]
    # the model is engine state beside the ontology, not a triple in it (exports carry only the ontology)
    import json

    from hydra_magic.english.text import RELATION_MODEL
    from hydra_magic.english.text.relation_model import RELATION_MODEL_KEY

    assert RELATION_MODEL_KEY in o.engine_state and not list(o.graph.subjects(RELATION_MODEL, None))
    assert "relationModel" not in o.graph.serialize(format="turtle")
    # one learned by an earlier version, as a literal in the ontology, is still read
    node = URIRef(str(o.ns))
    o.graph.set((node, RELATION_MODEL, Literal(json.dumps(o.engine_state.pop(RELATION_MODEL_KEY)))))
    o.refresh()
    assert ("kappa_moon", "genre", "parody") in _triples(extract_triples(TextChunk(text), o, KnowledgeGraph()))
    # and a broken one is ignored
    o.graph.set((node, RELATION_MODEL, Literal("{not json")))
    o.refresh()
    assert ("kappa_moon", "genre", "parody") not in _triples(
        extract_triples(TextChunk(text), o, KnowledgeGraph())
    )


def test_is_the_label_of_makes_the_owner_the_subject() -> None:
    o = Ontology()
    building = o.add_class("Building", label="building", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    o.add_property("architect", "object", [building], [person], label="architect", refresh=False)
    o.refresh()
    text = "James Pain was the architect of Adare Manor."
    cands = extract_triples(TextChunk(text), o, KnowledgeGraph())
    assert ("adare_manor", "architect", "james_pain") in _triples(cands)
    assert not check_triples(cands, o, KnowledgeGraph(), text).rejected


def test_place_names_written_a_comma_b_are_learned_as_one_name() -> None:
    o = Ontology()
    airport = o.add_class("Airport", label="airport", refresh=False)
    place = o.add_class("Place", label="place", refresh=False)
    o.add_property("location", "object", [airport], [place], label="location", refresh=False)
    o.refresh()
    train = [
        {"sent": f"{a} is located in {b}, Ohio.", "triples": [
            {"sub": a.replace(" ", "_"), "rel": "location", "obj": (b + ", Ohio").replace(" ", "_")}
        ]}
        for a, b in [("Akron Airport", "Akron"), ("Dayton Airport", "Dayton"),
                     ("Toledo Airport", "Toledo")]
    ]
    learn_triggers(train, o)
    text = "Canton Airport is located in Canton, Ohio."
    got = _triples(extract_triples(TextChunk(text), o, KnowledgeGraph()))
    assert ("canton_airport", "location", "canton_ohio") in got


def test_a_relative_pronoun_ends_an_opening_title() -> None:
    # "X which is located in Y": the relative clause is no part of the subject's name
    o = Ontology()
    monument = o.add_class("Monument", label="monument", refresh=False)
    place = o.add_class("Place", label="place", refresh=False)
    o.add_property("location", "object", [monument], [place], label="location", refresh=False)
    o.refresh()
    text = "Olga Bondareva who was born in 1937 has the location Adams County."
    got = _triples(extract_triples(TextChunk(text), o, KnowledgeGraph()))
    assert ("olga_bondareva", "location", "adams_county") in got


def _noun_by_ontology() -> Ontology:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    book = o.add_class("Book", label="book", refresh=False)
    o.add_property("writesScreenplayOf", "object", [person], [film], label="writes screenplay of",
                   alt_labels=["screenplay by"], refresh=False)
    o.add_property("hasAuthor", "object", [book], [person], label="has author", alt_labels=["author by"],
                   refresh=False)
    o.refresh()
    return o


def test_the_noun_of_an_active_label_before_by_names_the_subject() -> None:
    # "screenplay by X" (label "writes screenplay of"): X writes, as "written by X" would say
    o = _noun_by_ontology()
    cands = extract_triples(TextChunk("Dune is a 2021 film with a screenplay by Eric Roth and Jon Spaihts."), o,
                            KnowledgeGraph())
    got = {t for t in _triples(cands) if t[1] != IS_A}
    assert got == {("eric_roth", "writesScreenplayOf", "dune"), ("jon_spaihts", "writesScreenplayOf", "dune")}


def test_the_noun_of_a_has_label_before_by_keeps_the_roles() -> None:
    o = _noun_by_ontology()
    cands = extract_triples(TextChunk("Emma is a novel, author by Jane Austen."), o, KnowledgeGraph())
    assert {t for t in _triples(cands) if t[1] != IS_A} == {("emma", "hasAuthor", "jane_austen")}


def _music_ontology() -> Ontology:
    o = Ontology()
    film = o.add_class("Film", label="film", refresh=False)
    person = o.add_class("Person", label="person", refresh=False)
    o.add_property("composesMusicFor", "object", [person], [film], label="composes music for",
                   alt_labels=["music by"], refresh=False)
    o.refresh()
    return o


def _relations(text: str, o: Ontology) -> set[tuple[str, str, str]]:
    return {t for t in _triples(extract_triples(TextChunk(text), o, KnowledgeGraph())) if t[1] != IS_A}


@pytest.mark.parametrize("second, composers", [
    ("The music was composed by Rolf Lind and Ebba Ek.", {"rolf_lind", "ebba_ek"}),
    ("The score is by the Swedish composer Rolf Lind.", {"rolf_lind"}),
    ("Rolf Lind composed the score.", {"rolf_lind"}),
])
def test_the_noun_of_a_label_alone_is_the_topics(second: str, composers: set[str]) -> None:
    # "The music" / "the score" of "composes music for" is the text's topic's
    got = _relations(f"Frost is a 1990 Swedish film. {second}", _music_ontology())
    assert got == {(c, "composesMusicFor", "frost") for c in composers}


@pytest.mark.parametrize("second", [
    "The music was not composed by Rolf Lind.",
    "Rolf Lind composed the score for Ice.",
    "The music was praised by Rolf Lind.",
])
def test_the_noun_of_a_label_with_another_verb_or_owner_says_nothing(second: str) -> None:
    # nothing about the topic (Frost); "composed the score for Ice" states Ice's composer
    assert not {r for r in _relations(f"Frost is a 1990 Swedish film. {second}", _music_ontology())
                if r[2] == "frost"}
