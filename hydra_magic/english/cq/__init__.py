"""Competency questions → ontology requirements, offline and deterministic.

This grammar reads a competency question (CQ) with controlled-language
patterns in the spirit of CLaRO (Keet et al.; templates such as ``Which [EC1]
[PC1] [EC2]?``), without a tagger, a model or downloaded data: a small
hand-written lexicon (function words, irregular verbs and nouns, attribute
words) and suffix rules are enough for the question shapes ontology engineers
write. :func:`parse_cq` turns one question into a :class:`ParsedCQ` (:mod:`.parse`, the
question families in :mod:`.patterns`, their order in :mod:`.registry`);
:func:`propose_from_cqs` (:mod:`.proposal`) turns a batch into an :class:`OntologyProposal` that
passes :func:`hydra_magic.contracts.check_proposal`.

Conventions (stable; other components rely on them)
---------------------------------------------------
Classes
    PascalCase of the singular noun phrase (``"film production companies"`` →
    ``FilmProductionCompany``); label = the singular words, alternative label =
    the plural. ``Who`` questions use ``Person``, ``Where`` questions ``Place``
    (or an existing ``Human``/``Location`` class).
Object properties from verbs
    Active voice, present tense, third person singular, with the grammatical
    *agent as domain* and the patient as range: "Which films did a director
    direct?", "Which director directed a film?" and "Which films were directed
    by a director?" all yield ``directs: Director → Film``. A preposition that
    belongs to the verb is kept (``livesIn``, ``starsIn``, ``worksWith``).
    Alternative labels are trigger phrases: the inflections (``direct``,
    ``directed``, ``directing``) and, for verbs with a direct object, the
    passive forms (``directed by``, ``is directed by``). Alternative labels
    that end in ``by`` read in the *inverse* direction (object first).
Object properties from passives without an agent and from adjectives
    The participle or adjective with its preposition, domain = the thing the
    question is about: "Where was a person born?" → ``bornIn: Person → Place``;
    "Which software is compatible with a format?" → ``compatibleWith``.
Possession and relational nouns
    ``has`` + the noun: "What awards does a film have?", "Who is the director
    of a film?" → ``hasAward: Film → Award``, ``hasDirector: Film → Director``
    (``Director ⊑ Person``).
Data properties
    The attribute noun in camelCase (``releaseDate``, ``population``), its
    datatype guessed from the head word (year/count/number/age/population →
    integer, date/birthday → date, height/weight/price/rating → float, name/
    title/… → string). ``When`` questions give ``<event>Date`` (``When was a
    film released?`` → ``releaseDate``), ``How many X does Y have?`` a counted
    ``hasX`` (or an integer ``numberOfX`` for units such as pages or seats),
    adjectives and agentless participles a boolean ``isX`` ("Which animals are
    endangered?" → ``isEndangered``), intransitive verbs a boolean named after
    the verb ("Which birds cannot fly?" → ``canFly``, "Do bears hibernate?" →
    ``hibernates``). "What is the X of Y?" is a data property unless X names a
    class that exists (in the ontology or elsewhere in the same batch): then it
    is the object property ``hasX``; place words (place, city, country, …) are
    always objects (``hasBirthPlace: Person → Place``).
Relational noun phrases
    "the documentation of the software" anywhere in a question also needs
    ``hasDocumentation: Software → Documentation``.
Subclass links
    "Is a lion a kind of animal?", "Is every lion an animal?", "Are lions
    animals?", "What type of animal is a lion?" → ``Lion ⊑ Animal``. A
    demonstrative or definite subject reads as "an instance of": "Is this animal
    a herbivore?" and "Which animals are herbivores?" → ``Herbivore ⊑ Animal``
    (a weaker, *implied* link that an explicit one overrides).
Root policy
    The contracts allow a single top-level class. When the ontology has one
    root, every new class without a stated parent hangs below it. When it has
    none, the proposal starts with a generic root ``Entity`` and hangs every
    new top-level class below it. A domain noun is not used as the root because
    the next batch of questions may bring a class that is not below it
    (``Country`` is not an ``Animal``). When an imported ontology has several
    roots, new classes stay top-level (the contracts relax the rule then).
    A multi-word class whose head noun is a known class goes below that class
    (``FilmProductionCompany ⊑ Company`` when ``Company`` exists).
Unreadable questions
    are never guessed: they produce an ``unparsed_cq`` warning whose hint shows
    a supported rephrasing.
"""

from __future__ import annotations

from ..morphology import pluralise, singularise, verb_forms, verb_lemma
from ..word_classes import guess_datatype
from .model import ClassRef, ParsedCQ, PropertyReq, SubclassLink
from .parse import parse_cq
from .proposal import ROOT_CLASS, propose_from_cqs

__all__ = [
    "ClassRef",
    "PropertyReq",
    "SubclassLink",
    "ParsedCQ",
    "parse_cq",
    "propose_from_cqs",
    "singularise",
    "pluralise",
    "verb_lemma",
    "verb_forms",
    "guess_datatype",
    "ROOT_CLASS",
]
