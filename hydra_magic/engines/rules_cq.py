"""Competency questions → ontology requirements, offline and deterministic.

The rules engine reads a competency question (CQ) with controlled-language
patterns in the spirit of CLaRO (Keet et al.; templates such as ``Which [EC1]
[PC1] [EC2]?``), without a tagger, a model or downloaded data: a small
hand-written lexicon (function words, irregular verbs and nouns, attribute
words) and suffix rules are enough for the question shapes ontology engineers
write. :func:`parse_cq` turns one question into a :class:`ParsedCQ`;
:func:`propose_from_cqs` turns a batch into an :class:`OntologyProposal` that
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

import builtins
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Sequence

from ..candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from ..iri import camel_case, normalise_label, pascal_case
from ..issues import Issue

if TYPE_CHECKING:
    from ..cq import CompetencyQuestion
    from ..ontology import Ontology

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

#: Name of the generic root class created when the ontology has no root yet.
ROOT_CLASS = "Entity"

Answer = Literal["entities", "value", "boolean", "count", "subclasses", "superclass", "definition"]

# =============================================================================
# Morphology: a small, hand-written singulariser and verb lemmatiser.
# =============================================================================

_VOWELS = frozenset("aeiou")

_IRREGULAR_PLURALS = {
    "people": "person", "persons": "person", "children": "child", "men": "man", "women": "woman",
    "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot", "oxen": "ox", "lice": "louse",
    "dice": "die", "criteria": "criterion", "phenomena": "phenomenon", "bacteria": "bacterium",
    "fungi": "fungus", "cacti": "cactus", "nuclei": "nucleus", "stimuli": "stimulus", "alumni": "alumnus",
    "radii": "radius", "larvae": "larva", "antennae": "antenna", "formulae": "formula",
    "indices": "index", "matrices": "matrix", "vertices": "vertex", "appendices": "appendix",
    "analyses": "analysis", "theses": "thesis", "hypotheses": "hypothesis", "diagnoses": "diagnosis",
    "crises": "crisis", "axes": "axis", "syntheses": "synthesis", "parentheses": "parenthesis",
    "bases": "base", "chairmen": "chairman", "businessmen": "businessman", "firemen": "fireman",
    "policemen": "policeman", "fishermen": "fisherman", "gentlemen": "gentleman",
    "spokesmen": "spokesman", "sportsmen": "sportsman", "craftsmen": "craftsman",
    "salesmen": "salesman", "workmen": "workman", "congressmen": "congressman",
    "buses": "bus", "viruses": "virus", "statuses": "status", "campuses": "campus",
    "bonuses": "bonus", "censuses": "census", "geniuses": "genius", "octopuses": "octopus",
    "platypuses": "platypus", "choruses": "chorus", "focuses": "focus", "corpora": "corpus",
    "genera": "genus", "quizzes": "quiz", "gases": "gas", "canvases": "canvas", "aliases": "alias",
    "biases": "bias", "atlases": "atlas", "lenses": "lens", "irises": "iris",
    "wolves": "wolf", "halves": "half", "calves": "calf", "shelves": "shelf", "leaves": "leaf",
    "loaves": "loaf", "thieves": "thief", "selves": "self", "elves": "elf", "scarves": "scarf",
    "dwarves": "dwarf", "wharves": "wharf", "hooves": "hoof", "knives": "knife", "wives": "wife",
    "lives": "life", "midwives": "midwife", "housewives": "housewife",
    "cookies": "cookie", "movies": "movie", "zombies": "zombie", "pies": "pie", "ties": "tie",
    "lies": "lie", "rookies": "rookie", "prairies": "prairie", "calories": "calorie",
    "genies": "genie", "smoothies": "smoothie", "selfies": "selfie", "goalies": "goalie",
    "hippies": "hippie", "aunties": "auntie", "brownies": "brownie", "sorties": "sortie",
    "caches": "cache", "niches": "niche", "aches": "ache", "headaches": "headache",
    "avalanches": "avalanche", "moustaches": "moustache", "quiches": "quiche",
    "shoes": "shoe", "toes": "toe", "canoes": "canoe", "oboes": "oboe", "foes": "foe",
    "hoes": "hoe", "floes": "floe", "sloes": "sloe",
    "houses": "house", "causes": "cause", "uses": "use", "excuses": "excuse", "muses": "muse",
    "fuses": "fuse", "abuses": "abuse", "blouses": "blouse", "spouses": "spouse",
    "warehouses": "warehouse", "greenhouses": "greenhouse", "courthouses": "courthouse",
    "lighthouses": "lighthouse", "databases": "database",
}
#: Nouns with one form for both numbers (plural of "data" is "data").
_SAME_BOTH = frozenset({
    "news", "series", "species", "means", "headquarters", "physics", "mathematics", "economics",
    "ethics", "politics", "statistics", "genetics", "linguistics", "logistics", "athletics",
    "gymnastics", "electronics", "robotics", "graphics", "informatics", "bioinformatics",
    "data", "metadata", "media", "sheep", "deer", "fish", "moose", "bison", "aircraft",
    "spacecraft", "offspring", "software", "hardware", "firmware", "information", "equipment",
    "feedback", "staff", "salmon", "trout", "swine", "corps", "chaos", "cosmos", "ethos",
    "thanks", "trousers", "scissors", "glasses", "clothes", "premises", "whereabouts",
    "barracks", "crossroads", "gallows", "diabetes", "measles", "mumps", "billiards",
})
#: Words that end in -s (or look plural) but are singular, or are the same in both numbers.
_INVARIANT_NOUNS = frozenset({
    "news", "series", "species", "means", "headquarters", "physics", "mathematics", "economics",
    "ethics", "politics", "statistics", "genetics", "linguistics", "logistics", "athletics",
    "gymnastics", "electronics", "robotics", "graphics", "informatics", "bioinformatics",
    "diabetes", "measles", "mumps", "billiards", "chaos", "cosmos", "ethos", "pathos",
    "rhinoceros", "christmas", "data", "metadata", "media", "sheep", "deer", "fish", "moose",
    "bison", "aircraft", "spacecraft", "offspring", "software", "hardware", "firmware",
    "information", "equipment", "feedback", "staff", "salmon", "trout", "swine", "corps",
    "thanks", "trousers", "scissors", "glasses", "clothes", "premises", "whereabouts",
    "barracks", "crossroads", "gallows", "innings", "lens", "gas", "bus", "plus", "bonus",
    "status", "virus", "campus", "census", "focus", "genus", "corpus", "chorus", "canvas",
    "atlas", "alias", "bias", "iris", "thesis", "analysis", "basis", "axis", "crisis",
    "diagnosis", "hypothesis", "synopsis", "emphasis", "oasis", "tennis", "class", "process",
    "access", "address", "business", "success", "progress", "glass", "grass", "mass", "boss",
    "loss", "cross", "dress", "press", "express", "congress", "witness", "fitness", "wellness",
    "illness", "ness", "gps", "dns", "os", "sms", "aids", "arts", "sports", "ios",
})


def singularise(word: str) -> str:
    """The singular of an English noun (hand-written rules, no data files).

    ``films`` → ``film``, ``companies`` → ``company``, ``people`` → ``person``,
    ``species`` → ``species``. Case is kept for the unchanged part; acronyms
    (``GPUs`` → ``GPU``) are handled.
    """
    if not word:
        return word
    low = word.lower()
    if low in _INVARIANT_NOUNS or len(low) <= 2:
        return word
    if word.isupper() is False and word[:-1].isupper() and word.endswith("s") and len(word) > 2:
        return word[:-1]  # GPUs, APIs
    if low in _IRREGULAR_PLURALS:
        return _match_case(word, _IRREGULAR_PLURALS[low])
    for plural, single in _IRREGULAR_PLURALS.items():
        # compounds: "film-makers" is handled by the default; "firewomen", "bookshelves" here
        if low.endswith(plural) and len(plural) >= 4 and plural in (
                "women", "people", "children", "shelves", "houses", "wives", "knives", "leaves"):
            return word[: len(word) - len(plural)] + _match_case(word[-len(plural):], single)
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + ("y" if word[-3].islower() else "Y")
    if low.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if low.endswith("oes") and len(low) > 4:
        return word[:-2]
    if low.endswith(("ss", "us", "is", "ics", "ous")):
        return word
    if low.endswith("s") and not low.endswith("'s"):
        return word[:-1]
    return word


def pluralise(word: str) -> str:
    """The plural of a singular English noun (inverse of :func:`singularise` on common words)."""
    low = word.lower()
    if not low or low in _SAME_BOTH:
        return word
    if low.endswith("is") and len(low) > 3:
        return word[:-2] + "es"
    inverse = _PLURALS_BY_SINGULAR
    if low in inverse:
        return _match_case(word, inverse[low])
    if low.endswith("man") and low not in ("human", "german", "roman", "shaman", "caiman"):
        return word[:-3] + "men"
    if low.endswith("y") and len(low) > 1 and low[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.isupper() and len(word) > 1:
        return word + "s"
    return word + "s"


def _match_case(template: str, word: str) -> str:
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_PLURALS_BY_SINGULAR: dict[str, str] = {}
for _pl, _sg in _IRREGULAR_PLURALS.items():
    _PLURALS_BY_SINGULAR.setdefault(_sg, _pl)
_PLURALS_BY_SINGULAR.update({"person": "people", "potato": "potatoes", "tomato": "tomatoes",
                             "hero": "heroes", "echo": "echoes", "veto": "vetoes", "torpedo": "torpedoes",
                             "volcano": "volcanoes", "mosquito": "mosquitoes", "quiz": "quizzes"})


# --- verbs -------------------------------------------------------------------

_IRREGULAR_VERBS_TABLE = """
arise arose arisen|awake awoke awoken|be was been|bear bore born|beat beat beaten
become became become|begin began begun|bend bent bent|bet bet bet|bind bound bound
bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred
bring brought brought|broadcast broadcast broadcast|build built built|buy bought bought
catch caught caught|choose chose chosen|cling clung clung|come came come|cost cost cost
creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn
drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed fed
feel felt felt|fight fought fought|find found found|flee fled fled|fly flew flown
forbid forbade forbidden|forecast forecast forecast|foresee foresaw foreseen
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten
give gave given|go went gone|grow grew grown|hang hung hung|have had had|hear heard heard
hide hid hidden|hit hit hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt knelt
know knew known|lay laid laid|lead led led|leave left left|lend lent lent|let let let
light lit lit|lose lost lost|make made made|mean meant meant|meet met met
mislead misled misled|overcome overcame overcome|oversee oversaw overseen
overtake overtook overtaken|pay paid paid|prove proved proven|put put put|quit quit quit
read read read|rebuild rebuilt rebuilt|rewrite rewrote rewritten|ride rode ridden
ring rang rung|rise rose risen|run ran run|say said said|see saw seen|seek sought sought
sell sold sold|send sent sent|set set set|sew sewed sewn|shake shook shaken|shed shed shed
shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|shut shut shut
sing sang sung|sink sank sunk|sit sat sat|sleep slept slept|slide slid slid
speak spoke spoken|speed sped sped|spend spent spent|spin spun spun|split split split
spread spread spread|spring sprang sprung|stand stood stood|steal stole stolen
stick stuck stuck|sting stung stung|strike struck struck|swear swore sworn
sweep swept swept|swim swam swum|swing swung swung|take took taken|teach taught taught
tear tore torn|tell told told|think thought thought|throw threw thrown
undergo underwent undergone|understand understood understood
undertake undertook undertaken|upset upset upset|wake woke woken|wear wore worn
weave wove woven|win won won|withdraw withdrew withdrawn|withhold withheld withheld
write wrote written|inhabit inhabited inhabited|outrun outran outrun|overthrow overthrew overthrown
"""
_IRREGULAR: dict[str, tuple[str, str]] = {}
for _entry in _IRREGULAR_VERBS_TABLE.replace("\n", "|").split("|"):
    if _entry.strip():
        _b, _p, _pp = _entry.split()
        _IRREGULAR[_b] = (_p, _pp)
_IRREGULAR_FORMS: dict[str, str] = {}
for _b, (_p, _pp) in sorted(_IRREGULAR.items()):
    for _f in (_p, _pp):
        if _f != _b:
            _IRREGULAR_FORMS.setdefault(_f, _b)
_IRREGULAR_FORMS.update({"is": "be", "are": "be", "am": "be", "were": "be", "been": "be", "being": "be",
                         "has": "have", "does": "do", "goes": "go", "says": "say", "got": "get",
                         "focuses": "focus", "biases": "bias", "bias": "bias", "focus": "focus",
                         "embed": "embed", "shed": "shed", "wed": "wed", "shred": "shred", "premiered": "premiere",
                         "premiering": "premiere",
                         "burnt": "burn", "learnt": "learn", "spelt": "spell", "dreamt": "dream"})

#: Two-syllable verbs whose final consonant doubles (stress on the last syllable).
_DOUBLING = frozenset({
    "admit", "commit", "submit", "permit", "omit", "emit", "transmit", "remit", "acquit", "refer",
    "prefer", "confer", "defer", "deter", "infer", "transfer", "occur", "recur", "incur", "concur",
    "control", "patrol", "enrol", "compel", "expel", "propel", "repel", "dispel", "excel", "rebel",
    "regret", "equip", "abet", "allot", "outwit", "embed", "format", "program", "kidnap", "unplug",
    "handicap", "overlap", "upgrade",
}) - {"upgrade"}
#: Stems (after removing -ed/-ing) that need their final "e" back although the rules say no.
_ADD_E = frozenset({
    "creat", "welcom", "conven", "interven", "contraven", "scal", "inhal", "exhal", "impal",
    "adher", "interfer", "rever", "persever", "coher", "stor", "scor", "ignor", "explor", "restor",
    "ador", "bor", "snor", "implor", "deplor", "chor", "unit", "invit", "cit", "excit", "ignit",
    "recit", "incit", "expedit", "sit", "writ", "bit", "smit", "spit", "vot", "not", "quot", "promot",
    "devot", "denot", "emot", "remot", "complet", "compet", "delet", "deplet", "secret", "tast",
    "wast", "past", "hast", "chast", "cach", "bath", "breath", "cloth", "loath", "seeth", "sooth",
    "teeth", "writh", "bequeath", "sheath", "wreath", "rout", "consol", "cajol", "parol", "spong",
    "condon", "postpon", "aton", "guid", "persuad", "dissuad", "glid", "chid",
})
#: Stems that keep their shape although a rule would add "e" or undouble a consonant.
_NO_E = frozenset({
    "develop", "envelop", "gallop", "wallop", "gossip", "worship", "scallop", "dollop",
    "blossom", "ransom", "bottom", "fathom", "random", "focus", "bias", "gas", "canvas", "chorus",
    "add", "odd", "err", "purr", "butt", "boycott", "watt", "buzz", "fizz", "jazz", "egg", "ebb",
    "pencil", "stencil", "council", "cavil", "orphan", "open", "happen", "listen",
    "abandon", "pardon", "reckon", "beckon", "summon", "pivot", "pilot", "riot", "ballot",
    "target", "budget", "market", "interpret", "benefit", "pocket", "visit", "edit", "exhibit",
    "inhabit", "limit", "credit", "inherit", "profit", "deposit", "audit", "vomit", "exit",
    "model", "label", "travel", "cancel", "level", "channel", "signal", "total", "equal",
    "gag", "tag", "flag",
})
#: British double-l spellings: "controlled" → "control", "travelled" → "travel".
_LL_UNDOUBLE = frozenset({
    "controll", "patroll", "labell", "travell", "modell", "cancell", "levell", "signall", "fuell",
    "compell", "propell", "repell", "expell", "excell", "enroll", "rebell", "dispell", "channell",
    "totall", "equall", "counsell", "marvell", "tunnell", "quarrell",
})


def _syllables(word: str) -> int:
    w = word.lower()
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and n > 1 and not w.endswith(("le", "ee", "ye", "oe")):
        n -= 1
    return max(n, 1)


def _doubles(verb: str) -> bool:
    """Does the last consonant double before -ed/-ing (stop → stopped, visit → visited)?"""
    v = verb.lower()
    if len(v) < 3 or v[-1] in "aeiouwxy" or v[-2] not in _VOWELS or v[-3] in _VOWELS:
        return v in _DOUBLING
    if v[-3:-1] == "qu":  # "quit": the u is part of the consonant
        return True
    return _syllables(v) == 1 or v in _DOUBLING


def third_person(verb: str) -> str:
    """``direct`` → ``directs``, ``have`` → ``has``, ``carry`` → ``carries``."""
    v = verb.lower()
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if v in special:
        return special[v]
    if v.endswith(("s", "x", "z", "ch", "sh")) or (v.endswith("o") and not v.endswith("oo")):
        return verb + "es"
    if v.endswith("y") and len(v) > 1 and v[-2] not in _VOWELS:
        return verb[:-1] + "ies"
    return verb + "s"


def past_tense(verb: str) -> str:
    """``direct`` → ``directed``, ``eat`` → ``ate``, ``stop`` → ``stopped``."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v][0] if v != "be" else "was"
    return _regular_ed(verb)


def past_participle(verb: str) -> str:
    """``direct`` → ``directed``, ``eat`` → ``eaten``, ``write`` → ``written``."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v][1]
    return _regular_ed(verb)


def _regular_ed(verb: str) -> str:
    v = verb.lower()
    if v.endswith("e"):
        return verb + "d"
    if v.endswith("y") and len(v) > 1 and v[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    if v.endswith("c"):
        return verb + "ked"
    if _doubles(v):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def gerund(verb: str) -> str:
    """``direct`` → ``directing``, ``make`` → ``making``, ``die`` → ``dying``."""
    v = verb.lower()
    if v in ("be", "see", "flee", "agree", "free"):
        return verb + "ing"
    if v.endswith("ie"):
        return verb[:-2] + "ying"
    if v.endswith(("ee", "ye", "oe")):
        return verb + "ing"
    if v.endswith("e") and len(v) > 2:
        return verb[:-1] + "ing"
    if v.endswith("c"):
        return verb + "king"
    if _doubles(v):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _restore_stem(stem: str, suffix: str) -> str:
    """The base verb from a stem left after removing ``-ed`` or ``-ing``."""
    s = stem
    if s in _NO_E:
        return s
    if s in _ADD_E:
        return s + "e"
    if len(s) >= 3 and s[-1] == s[-2] and s[-1] in "bdgmnprtvz":
        return s[:-1]
    if s.endswith("ll"):
        return s[:-1] if s in _LL_UNDOUBLE else s
    if s.endswith("ck") and s[:-1].endswith("ic") and len(s) > 5:  # panicked, trafficked
        return s[:-1]
    last = s[-1]
    prev = s[-2] if len(s) > 1 else ""
    before = s[-3] if len(s) > 2 else ""
    # a single vowel (y counts between consonants) before the last consonant: "locat", not "treat"
    single_v = (prev in _VOWELS or prev == "y") and before not in _VOWELS
    if last == "e":
        return s if suffix == "ing" else s + "e"  # agreeing / agreed
    if last in "u":
        return s + "e"  # argued, continued
    if last in "cvz" or (last == "s" and prev != "s"):
        return s + "e"
    if last == "g":
        return s if s.endswith("ong") else s + "e"
    if last in "kbp" and single_v:
        return s + "e"
    if last == "m" and single_v:
        return s if (len(s) >= 6 and s.endswith("om")) else s + "e"
    if last == "n":
        if s.endswith("ion") or not single_v:
            return s
        if prev == "e" or prev == "a":
            return s
        if prev == "o":
            return s + "e" if len(s) <= 5 else s
        return s + "e"
    if last == "l":
        if prev not in _VOWELS and prev != "y":
            return s + "e" if prev != "r" else s  # handle/settle, but curl/hurl
        if not single_v:
            return s
        return s + "e" if prev in "iuy" else s
    if last == "r":
        if s.endswith(("uir", "uar")):
            return s + "e"  # require, acquire, square
        if not single_v:
            return s
        return s + "e" if prev in "uia" else s
    if last == "d":
        return s + "e" if single_v else s
    if last == "t":
        if prev == "a" and single_v:
            return s + "e"
        if prev == "u" and single_v:
            return s + "e"
        return s
    return s


def verb_lemma(word: str) -> str:
    """The base form of an inflected verb: ``directed`` → ``direct``, ``ate`` → ``eat``.

    Handles irregular verbs, ``-s``/``-es``/``-ies``, ``-ed``/``-ied`` and
    ``-ing`` with consonant doubling and silent ``e``. A base form comes back
    unchanged.
    """
    w = word.lower()
    if w in _IRREGULAR_FORMS:
        return _IRREGULAR_FORMS[w]
    if w in _IRREGULAR or len(w) <= 3:
        return w
    if w.endswith("ied"):
        return w[:-1] if len(w) == 4 else w[:-3] + "y"  # died / carried
    if w.endswith("ed") and not w.endswith("eed"):
        return _restore_stem(w[:-2], "ed")
    if w.endswith("eed") and w in _EED_PAST:
        return w[:-1]
    if w.endswith("ying") and len(w) == 5:
        return w[:-4] + "ie"  # dying, lying, tying
    if w.endswith("ing") and len(w) > 4 and any(c in "aeiouy" for c in w[:-3]):
        return _restore_stem(w[:-3], "ing")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")) and w not in ("caches",):
        return w[:-2]
    if w.endswith("oes"):
        return w[:-2]
    if w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("s"):
        return w[:-1]
    return w


_EED_PAST = frozenset({"freed", "agreed", "guaranteed", "refereed", "decreed", "disagreed", "teed"})


def verb_forms(lemma: str) -> tuple[str, str, str, str, str]:
    """``(base, third person, past, past participle, gerund)`` of a verb."""
    return (lemma, third_person(lemma), past_tense(lemma), past_participle(lemma), gerund(lemma))


# =============================================================================
# Lexicon: function words, adjectives, common verbs, attribute words.
# =============================================================================

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DETERMINERS = _words("a an the this that these those some any each every all my our your their its his her "
                      "no another such both either neither whose")
_DEMONSTRATIVE = _words("this that these those the its his her their my our your")
#: Modifiers dropped from class names: "other animals" is Animal, "the main types" are types.
_QUALIFIERS = _words("other same different various certain particular specific given main possible several "
                     "many few respective individual potential primary else")
_PRONOUNS = _words("it they them he she him something someone somebody anything anyone anybody everything "
                   "everyone one ones this that these those")
_FIRST_PERSON = _words("i we me us you myself ourselves yourself")
_PREPS = _words("in on at by for from with to of about into onto through over under between among against "
                "during within without as like near around across after before behind via per toward towards "
                "upon along beyond since until inside outside throughout beside besides")
_PARTICLES = _words("up out off down away back")
_AUX_DO = _words("do does did")
_AUX_BE = _words("is are was were be been being am")
_AUX_HAVE = _words("has have had")
_MODALS = _words("can could will would shall should may might must")
_AUX = _AUX_DO | _AUX_BE | _AUX_HAVE | _MODALS
_NEG = _words("not never")
_WH = _words("which what who whom whose where when how why")
_CONJ = _words("and or nor but")
_ADVERBS = _words("also still often usually typically always ever currently already now mostly mainly generally "
                  "commonly actually really very most least more less well only just even sometimes normally "
                  "frequently rarely primarily originally first last previously recently best better worse "
                  "worst today yesterday nowadays together")
#: Trailing time adverbs that add nothing to the ontology: "Who has used X today?".
_TRAILING = (("today",), ("now",), ("nowadays",), ("currently",), ("recently",), ("yesterday",),
             ("in", "the", "past"), ("so", "far"), ("at", "the", "moment"))
_FUNCTION = (_DETERMINERS | _PRONOUNS | _FIRST_PERSON | _PREPS | _AUX | _NEG | _WH | _CONJ
             | _words("there here if then than that so because whether while"))
_SUPERLATIVE = {"highest": "max", "largest": "max", "biggest": "max", "greatest": "max", "longest": "max",
                "tallest": "max", "oldest": "max", "most": "max", "lowest": "min", "smallest": "min",
                "shortest": "min", "youngest": "min", "least": "min", "fewest": "min"}
_ADJECTIVES = _words(
    "extinct free open available active popular reliable extensible scriptable compatible proprietary pure "
    "mixed wild domestic native invasive carnivorous herbivorous omnivorous nocturnal aquatic terrestrial "
    "marine toxic venomous poisonous edible alive dead public private commercial official valid current old "
    "new young large small big tall short long fast slow rich poor famous rare common local global national "
    "international independent deprecated stable secure safe dangerous healthy organic digital mobile online "
    "offline abstract concrete secondary male female married single obsolete accessible interoperable suitable "
    "appropriate capable similar related relevant equivalent identical adjacent close near far responsible "
    "dependent homogeneous heterogeneous structured unstructured solid liquid gaseous soluble insoluble "
    "endemic migratory social solitary venomous harmful useful free-standing open-source closed-source "
    "maintained deprecated licensed certified endangered threatened protected vulnerable extinct "
    "true false real virtual physical mental electronic genetic specific generic scientific academic exotic "
    "tropical arctic dominant resistant efficient present absent prevalent abundant fertile sterile "
    "permanent temporary visible invisible optional mandatory required free-to-use")
_ADJ_SUFFIXES = ("ous", "ive", "able", "ible", "ful", "less", "ical")

#: Base forms of verbs common in competency questions (plus the irregular ones); used to find the verb.
_COMMON_VERBS = frozenset(_IRREGULAR) | _words(
    "accept access acquire act add affect allow analyse analyze annotate answer appear apply approve "
    "attend attract author award belong border borrow call cause change cite claim classify collaborate "
    "collect combine compare compile compose compute connect consist constrain consume contain continue "
    "contribute convert cook cover create cross cure decide declare define delete deliver depend depict "
    "derive describe design destroy detect determine develop differ digest direct discover display "
    "distribute divide document download edit employ enable encode end enjoy ensure enter equip establish "
    "evaluate examine exchange exhibit exist expand explain export express extend extract face feature fill "
    "filter finance fix follow form fund generate govern graze guide handle happen harm hate help host hunt "
    "identify illustrate implement import improve include increase indicate infect influence inform inhabit "
    "install integrate intend interact introduce invent invest invite involve issue join kill label lack "
    "land last launch license like limit link list listen live load locate look love maintain manage "
    "manufacture map mark marry match measure mention merge migrate model modify monitor move name need "
    "nest observe obtain occupy occur offer open operate order organise organize originate own paint "
    "participate pass perform permit pick place plan plant play pollinate possess predict prefer premiere "
    "prepare present preserve prevent prey process produce program promote protect prove provide publish "
    "purchase pursue qualify rank rate reach receive recommend record reduce refer regulate relate release "
    "rely remain remove render rent repair replace report represent reproduce require research resemble "
    "reside resolve respond restrict retrieve return reuse review rule save schedule score search "
    "select serve share sign simulate solve specify sponsor star start state store study submit suffer "
    "suggest supervise supply support surround survive suspend target teach test threaten touch trace "
    "track trade train transfer transform translate transmit transport travel treat trigger try type "
    "update upgrade upload use validate value verify visit visualise visualize vote want watch work "
    "eat drink hunt feed breed produce direct act compose found lead own discover invent distinguish "
    "characterise characterize categorise categorize differentiate separate")

#: Head word → XSD short name for data properties; phrases first.
_DATATYPE_PHRASES = {
    "phone number": "string", "telephone number": "string", "serial number": "string", "id number": "string",
    "isbn number": "string", "account number": "string", "version number": "string", "zip code": "string",
    "date of birth": "date", "date of death": "date", "place of birth": "string", "number of": "integer",
    "date and time": "dateTime", "point in time": "dateTime",
}
_DATATYPE_HEADS: dict[str, str] = {}
for _dt, _heads in {
    "integer": "year years count number age population quantity rank ranking capacity seats pages episodes "
               "seasons votes inhabitants enrollment enrolment floors goals points wins losses total copies "
               "members employees residents births deaths followers downloads views",
    "date": "date birthday birthdate anniversary deadline day dob",
    "dateTime": "timestamp datetime",
    "time": "time hour",
    "float": "height weight price rating cost budget revenue income salary length width depth area distance "
             "speed temperature mass volume percentage percent rate ratio score gross density elevation altitude "
             "latitude longitude duration runtime size lifespan wingspan amount fee frequency pressure diameter "
             "radius power voltage energy gdp earnings profit",
    "string": "name title description label code identifier id email address url homepage website phone "
              "isbn version motto slogan summary abstract comment note nickname alias acronym abbreviation "
              "symbol formula text content status colour color genre nationality gender sex definition "
              "synopsis plot tagline surname firstname username password iri uri doi",
}.items():
    for _h in _heads.split():
        _DATATYPE_HEADS[_h] = _dt
_BOOLEAN_HEADS = _words("flag")
#: Modifiers of "time" that name a clock time ("opening time"); other modified times are durations.
_CLOCK_TIMES = _words("start starting end ending opening closing departure arrival kickoff kick-off launch "
                      "wake meal check-in check-out pickup local sunrise sunset show broadcast air")

#: Attribute heads that name places: "What is the birth place of a person?" is an object property.
_PLACE_HEADS = {"place": "place", "location": "place", "birthplace": "place", "headquarters": "place",
                "hometown": "town", "city": "city", "country": "country", "town": "town", "region": "region",
                "continent": "continent", "venue": "venue", "capital": "city"}

#: Units counted by "How many X does Y have?" that are numbers, not things (→ integer numberOfX).
_COUNT_UNITS = _words("page seat calorie inhabitant resident vote view copy sale point goal minute hour day "
                      "week month year second kilometre kilometer mile metre meter gram kilogram dollar euro "
                      "ticket word character line lap download follower like star time")

#: Event noun for a verb, for "When was X <verb>ed?" → ``<noun>Date``.
_NOMINAL = {
    "release": "release", "bear": "birth", "die": "death", "found": "founding", "establish": "establishment",
    "publish": "publication", "create": "creation", "build": "construction", "marry": "marriage",
    "produce": "production", "discover": "discovery", "invent": "invention", "record": "recording",
    "open": "opening", "close": "closing", "complete": "completion", "launch": "launch", "start": "start",
    "begin": "beginning", "end": "end", "finish": "finish", "elect": "election", "sign": "signing",
    "graduate": "graduation", "compose": "composition", "perform": "performance", "premiere": "premiere",
    "broadcast": "broadcast", "air": "air", "visit": "visit", "arrive": "arrival", "depart": "departure",
    "register": "registration", "update": "update", "issue": "issue", "award": "award", "occur": "occurrence",
    "write": "writing", "paint": "painting", "film": "filming", "shoot": "shooting", "name": "naming",
    "sell": "sale", "buy": "purchase", "purchase": "purchase", "deliver": "delivery", "renew": "renewal",
    "approve": "approval", "submit": "submission", "admit": "admission", "decide": "decision",
    "conclude": "conclusion", "expire": "expiry", "retire": "retirement", "appoint": "appointment",
    "employ": "employment", "hire": "hiring", "announce": "announcement", "adopt": "adoption",
    "acquire": "acquisition", "enter": "entry", "modify": "modification", "introduce": "introduction",
    "demolish": "demolition", "destroy": "destruction", "last": "last", "change": "change", "move": "move",
    "happen": "event", "take": "taking", "make": "making", "do": "doing", "see": "sighting", "win": "win",
    "lose": "loss", "fly": "flight", "grow": "growth", "fall": "fall", "rise": "rise", "speak": "speech",
    "give": "giving", "hold": "holding", "run": "run", "go": "going", "come": "arrival", "leave": "departure",
    "meet": "meeting", "catch": "catch", "sing": "singing", "draw": "drawing", "develop": "development",
    "deploy": "deployment", "measure": "measurement", "pay": "payment", "ship": "shipment", "hatch": "hatching",
}


def _nominalise(lemma: str) -> str:
    """``release`` → ``release``, ``bear`` → ``birth``, ``create`` → ``creation``."""
    if lemma in _NOMINAL:
        return _NOMINAL[lemma]
    if lemma.endswith("ate") and len(lemma) > 4:
        return lemma[:-1] + "ion"
    if lemma.endswith(("ize", "ise")) and len(lemma) > 5:
        return lemma[:-1] + "ation"
    if lemma.endswith("ify"):
        return lemma[:-1] + "ication"
    if lemma.endswith(("ct", "pt")):
        return lemma + "ion"
    return lemma


def guess_datatype(words: str | Sequence[str], value: str | None = None) -> str:
    """XSD short name for a data property named by ``words`` (and an example ``value``).

    Phrases and the head word decide (``release date`` → ``date``, ``population``
    → ``integer``, ``rating`` → ``float``, ``title`` → ``string``); for an unknown
    word the value decides (``"5"`` → ``integer``, ``"4.5"`` → ``float``,
    ``"1999-01-31"`` → ``date``, ``"true"`` → ``boolean``); else ``string``.
    """
    text = words if isinstance(words, str) else " ".join(words)
    low = normalise_label(text)
    for phrase, dt in _DATATYPE_PHRASES.items():
        if low == phrase or low.startswith(phrase + " ") or low.endswith(" " + phrase):
            return dt
    parts = low.split()
    if "of" in parts[1:]:
        parts = parts[: parts.index("of")]  # "year of birth": the head is "year"
    head = parts[-1] if parts else ""
    if head == "time" and len(parts) > 1 and parts[-2] not in _CLOCK_TIMES:
        return "float"  # "running time", "travel time": a duration ("117 minutes"), not a clock time
    if head in _DATATYPE_HEADS:
        return _DATATYPE_HEADS[head]
    if head in _BOOLEAN_HEADS:
        return "boolean"
    if head.endswith("s") and singularise(head) in _DATATYPE_HEADS:
        return _DATATYPE_HEADS[singularise(head)]
    if value is not None:
        v = value.strip().strip("\"'")
        if re.fullmatch(r"[+-]?\d+", v):
            return "integer"
        if re.fullmatch(r"[+-]?\d*\.\d+", v):
            return "float"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return "date"
        if v.lower() in ("true", "false", "yes", "no"):
            return "boolean"
    return "string"


def _is_known_attribute(words: Sequence[str]) -> bool:
    low = normalise_label(" ".join(words))
    head = low.split()[-1] if low else ""
    return (any(low == p or low.startswith(p + " ") or low.endswith(" " + p) for p in _DATATYPE_PHRASES)
            or head in _DATATYPE_HEADS or singularise(head) in _DATATYPE_HEADS)


def _is_adjective(word: str) -> bool:
    w = word.lower()
    if w in _ADJECTIVES:
        return True
    if len(w) > 5 and w.endswith(_ADJ_SUFFIXES) and singularise(w) == w:
        return True
    return False


def _is_participle(word: str, after_be: bool = False) -> bool:
    w = word.lower()
    if after_be and w in _IRREGULAR and _IRREGULAR[w][1] == w and w not in ("be", "have", "do"):
        return True  # "is set in", "was read by"
    if w in _IRREGULAR_FORMS and _IRREGULAR_FORMS[w] not in ("be", "have", "do"):
        return w not in ("is", "are", "am", "has", "does", "goes", "says")
    if w in _EED_PAST:
        return True
    return len(w) >= 4 and w.endswith("ed") and not w.endswith("eed") and w not in _KNOWN_NOUNS_ED


def _is_third_person(word: str) -> bool:
    """``eats``, ``distinguishes``: a present-tense verb of the lexicon (not a plural noun)."""
    return word.endswith("s") and word not in _COMMON_VERBS and verb_lemma(word) in _COMMON_VERBS \
        and word not in _PLURAL_NOUN_VERBS


#: Plural nouns that are also verb forms; in a subject they are nouns ("Which uses …" is rare).
_PLURAL_NOUN_VERBS = _words(
    "plants records features awards names models types values lists maps stars trades uses works plays films "
    "shows studies reports tests reviews programs prices rates ranks scores supports places orders forms marks "
    "links hosts funds tracks states needs lacks changes issues services documents labels matches targets "
    "releases exports imports updates answers references schedules returns visits ends starts sets tools "
    "rules guides stores signs votes parts species authors")


def _is_verb_form(word: str) -> bool:
    """Is ``word`` (lower case) very likely a verb form?"""
    if _is_participle(word):
        return True
    return word in _COMMON_VERBS or (word.endswith("s") and verb_lemma(word) in _COMMON_VERBS)


# =============================================================================
# What a question asks for.
# =============================================================================

@dataclass(frozen=True)
class ClassRef:
    """A class a question mentions.

    Attributes
    ----------
    name
        PascalCase name, e.g. ``"FilmProductionCompany"``.
    label
        The singular words, e.g. ``"film production company"``.
    plural
        The plural words (an alternative label), e.g. ``"film production companies"``.
    synonyms
        Other names under which an existing class may be reused (``Person`` ←
        ``human``); only default classes the parser introduces have them.
    """

    name: str
    label: str
    plural: str = ""
    synonyms: tuple[str, ...] = ()

    @classmethod
    def from_label(cls, label: str, synonyms: tuple[str, ...] = ()) -> "ClassRef":
        words = label.split()
        plural = " ".join(words[:-1] + [pluralise(words[-1])]) if words else ""
        return cls(pascal_case(label), label, plural if plural != label else "", synonyms)


PERSON = ClassRef("Person", "person", "people", ("human", "individual"))
#: Head nouns that name a role only a person plays: such classes go below Person.
PERSON_ROLES = frozenset("""
actor actress artist astronaut athlete author biologist chemist coach composer conductor dancer designer
director doctor economist editor employee engineer founder historian inventor journalist judge lawyer
leader manager mathematician member minister musician nurse painter philosopher photographer physician
physicist pilot player poet politician president producer professor researcher scientist screenwriter
sculptor singer soldier songwriter student teacher writer
""".split())
PLACE = ClassRef("Place", "place", "places", ("location",))


@dataclass(frozen=True)
class PropertyReq:
    """A property a question needs.

    ``domain`` and ``range`` hold class names; for a data property ``range``
    holds one XSD short name (``"date"``, ``"integer"``, …). An empty
    ``domain``/``range`` means the question names no class there (a proper name
    or a pronoun such as "it").

    ``attribute`` is set on data properties read from "What is the X of Y?" and
    similar: when X names a class of the ontology (or of the same batch),
    :func:`propose_from_cqs` turns it into the object property ``hasX``.
    """

    name: str
    kind: Literal["object", "data"]
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    label: str = ""
    alt_labels: tuple[str, ...] = ()
    attribute: ClassRef | None = None

    @property
    def datatype(self) -> str | None:
        return self.range[0] if self.kind == "data" and self.range else None


@dataclass(frozen=True)
class SubclassLink:
    """``child ⊑ parent``. ``implied`` links (read from "Is this X a Y?",
    "Who is the director of …" → ``Director ⊑ Person``) yield to explicit ones."""

    child: str
    parent: str
    implied: bool = False


@dataclass(frozen=True)
class ParsedCQ:
    """What the controlled-language patterns found in one competency question.

    Attributes
    ----------
    text
        The question as given.
    pattern
        Stable pattern id, e.g. ``"which_subject"`` ("Which director directed a
        film?"), ``"which_object"`` ("Which films did a director direct?"),
        ``"when_passive"``, ``"attribute_of"``, ``"kind_of"``; ``"compound"``
        for questions joined by "and what …" (see ``parts``).
    classes
        Every class the question needs, in order of mention.
    properties
        Every property it needs; ``properties[0]`` is the one the answer hangs on.
    subclass_links
        Subclass links it states or implies.
    answer
        What is asked: ``"entities"`` (a list of things), ``"value"`` (a literal
        of a data property), ``"boolean"`` (yes/no), ``"count"``,
        ``"subclasses"`` (kinds of a class), ``"superclass"`` (what kind of thing
        something is), ``"definition"``.
    answer_class
        The class of the answer, when it is a class or its instances.
    focus
        Which end of ``properties[0]`` holds the answer: ``"domain"`` ("Which
        director directed …") or ``"range"`` ("Which films did …"); ``None``.
    entities
        Proper names the question mentions ("Ridley Scott"), as written.
    value
        A constant the question filters on ("5" in "Which film has rating 5?").
    aggregate
        ``"count"``, ``"max"`` or ``"min"`` when the answer is aggregated.
    negated
        The question is negated ("Which animals do not eat plants?").
    parts
        For compound questions, the parse of each clause.
    """

    text: str
    pattern: str
    classes: tuple[ClassRef, ...] = ()
    properties: tuple[PropertyReq, ...] = ()
    subclass_links: tuple[SubclassLink, ...] = ()
    answer: Answer = "entities"
    answer_class: str | None = None
    focus: Literal["domain", "range"] | None = None
    entities: tuple[str, ...] = ()
    value: str | None = None
    aggregate: Literal["count", "max", "min"] | None = None
    negated: bool = False
    parts: tuple["ParsedCQ", ...] = ()

    @builtins.property
    def property(self) -> PropertyReq | None:
        """The main property (``None`` for purely taxonomic questions)."""
        return self.properties[0] if self.properties else None

    @builtins.property
    def datatype(self) -> str | None:
        """The XSD short name of the main property when it is a data property."""
        return self.properties[0].datatype if self.properties else None

    @builtins.property
    def subclass_of(self) -> SubclassLink | None:
        """The first subclass link, if any."""
        return self.subclass_links[0] if self.subclass_links else None

    def describe(self) -> str:
        """One line for logs and the UI, e.g. ``which_object: directs(Director → Film)``."""
        bits = [f"{p.name}({'|'.join(p.domain) or '?'} → {'|'.join(p.range) or '?'})" for p in self.properties]
        bits += [f"{link.child} ⊑ {link.parent}" for link in self.subclass_links]
        if not bits:
            bits = [c.name for c in self.classes]
        return f"{self.pattern}: {', '.join(bits)}"


# =============================================================================
# Tokens, noun phrases, verb groups.
# =============================================================================

_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W_]+(?:[-.'][^\W_]+)*|'s\b|'|\"|[,;:?!.]", re.UNICODE)
_CONTRACTIONS = [
    (re.compile(r"\bcan't\b|\bcannot\b", re.I), "can not"),
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"n't\b", re.I), " not"),
    (re.compile(r"\b(what|where|who|how|that|there|it|which|when|here)'s\b", re.I), r"\1 is"),
    (re.compile(r"'re\b", re.I), " are"),
    (re.compile(r"'ve\b", re.I), " have"),
    (re.compile(r"'ll\b", re.I), " will"),
    (re.compile(r"\b(i|we|you|they|he|she)'d\b", re.I), r"\1 would"),
]


def _tokenise(text: str) -> list[str]:
    t = text.strip().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"[\[\]{}()]", " ", t)  # template placeholders: "[this software]"
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    toks = [m.group(0) for m in _TOKEN.finditer(t)]
    out: list[str] = []
    for tok in toks:
        if tok in ("'s", "'"):
            out.append("'s")  # possessive marker (plural possessive too)
        elif tok in ('"', ",", ";", ":", "?", "!", "."):
            continue
        else:
            if "'" in tok and tok.lower().endswith("'s"):  # film's
                out.extend([tok[:-2], "'s"])
            else:
                out.append(tok)
    for tail in _TRAILING:
        if len(out) > len(tail) + 2 and [t.lower() for t in out[-len(tail):]] == list(tail):
            out = out[:-len(tail)]
    return _rewrite_possessives(out)


def _rewrite_possessives(toks: list[str]) -> list[str]:
    """``a film's director`` → ``the director of a film`` (one level is enough for CQs)."""
    while "'s" in toks:
        k = toks.index("'s")
        lo = k
        while lo > 0 and toks[lo - 1].lower() not in _FUNCTION and toks[lo - 1].lower() not in _QUALIFIERS:
            lo -= 1
        if lo > 0 and toks[lo - 1].lower() in _DETERMINERS:
            lo -= 1
        hi = k + 1
        while hi < len(toks) and toks[hi].lower() not in _FUNCTION and not (
                hi > k + 1 and _is_verb_form(toks[hi].lower())):
            hi += 1
        owner, owned = toks[lo:k], toks[k + 1:hi]
        if not owner or not owned:
            del toks[k]
            continue
        toks = toks[:lo] + ["the", *owned, "of", *owner] + toks[hi:]
    return toks


def _low(toks: Sequence[str]) -> list[str]:
    return [t.lower() for t in toks]


@dataclass(frozen=True)
class _NP:
    """A parsed noun phrase: a class, a proper name or a pronoun."""

    ref: ClassRef | None
    det: str = ""
    plural: bool = False
    entity: str | None = None  # proper name or pronoun as written
    words: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    #: owners in "the documentation *of the software*": the phrase also needs ``hasDocumentation``
    of: tuple["_NP", ...] = ()

    @property
    def specific(self) -> bool:
        """A demonstrative/definite/possessive phrase, a proper name or a pronoun."""
        return self.ref is None or self.det in _DEMONSTRATIVE


def _np(toks: Sequence[str], class_slot: bool = False) -> _NP | None:
    """One noun phrase, or ``None`` when ``toks`` is not one.

    ``the X of Y`` is read as X with owner Y (X needs ``hasX: Y → X``).
    """
    toks = list(toks)
    low0 = _low(toks)
    for k in range(1, len(toks) - 1):
        if low0[k] == "of" and low0[k - 1] not in _KIND_WORDS | {"number", "amount", "count", "total", "list",
                                                                 "set", "group", "most", "one", "all"}:
            owned = _np(toks[:k], class_slot=True)
            owners = _nps(toks[k + 1:])
            if owned is None or owned.ref is None or not owners:
                return None
            return replace(owned, of=tuple(owners))
    det = ""
    numbers: list[str] = []
    while toks:
        w = toks[0].lower()
        if w in ("which", "what", "whose") and len(toks) > 1:
            det = det or w
            toks.pop(0)
        elif w in _DETERMINERS and w not in ("this", "that", "these", "those") or w in _QUALIFIERS:
            det = det or w
            toks.pop(0)
        elif w in ("this", "that", "these", "those"):
            det = det or w
            toks.pop(0)
        elif re.fullmatch(r"\d+(?:[.,:/-]\d+)*", w) or w in ("one", "two", "three", "four", "five", "exactly"):
            numbers.append(toks.pop(0))
        elif len(toks) > 2 and w in ("type", "types", "kind", "kinds", "sort", "sorts") and toks[1].lower() == "of":
            toks = toks[2:]
        else:
            break
    if not toks:
        if det in ("this", "that", "these", "those"):
            return _NP(None, det, det in ("these", "those"), entity=det)
        return None
    low = _low(toks)
    if len(toks) == 1 and low[0] in _PRONOUNS and not det:
        return _NP(None, det, low[0] in ("they", "them", "ones"), entity=toks[0])
    if any(w in _FUNCTION or w in _FIRST_PERSON or w in _ADVERBS or _is_adverb(w) for w in low):
        return None
    if any(not re.fullmatch(r"[^\W_]+(?:[-.'][^\W_]+)*", t) for t in toks):
        return None
    if len(toks) > 1 and _is_participle(low[-1]) and not _is_known_noun(low[-1]):
        return None  # "a film directed" is a clause, not a noun phrase
    if (not class_slot and not det and all(t[:1].isupper() or t[:1].isdigit() for t in toks)):
        return _NP(None, det, False, entity=" ".join(toks), words=tuple(toks), numbers=tuple(numbers))
    words = [t if (len(t) > 1 and (t.isupper() or any(c.isupper() for c in t[1:]))) else t.lower() for t in toks]
    head = singularise(words[-1])
    plural = head.lower() != words[-1].lower() or (words[-1].lower() in _SAME_BOTH and det in (
        "these", "those", "all", "many", "several", "few"))
    label_words = words[:-1] + [head]
    label = " ".join(label_words)
    name = pascal_case(label)
    if not name or not name[:1].isalpha():
        return None
    plural_label = " ".join(words[:-1] + [pluralise(head)])
    ref = ClassRef(name, label, plural_label if plural_label != label else "")
    return _NP(ref, det, plural, words=tuple(words), numbers=tuple(numbers))


_KNOWN_NOUNS_ED = _words("bed seed need speed feed breed deed reed weed shed sled red hundred kindred "
                         "creed steed greed")


def _is_adverb(word: str) -> bool:
    """``actively``, ``successfully`` (not ``family``, ``supply``, ``rally``)."""
    return len(word) > 6 and word.endswith(("ively", "ously", "ently", "antly", "fully", "ably", "ibly", "edly",
                                            "ingly", "ally", "arly", "ctly", "stly"))


def _is_known_noun(word: str) -> bool:
    return word in _KNOWN_NOUNS_ED


def _nps(toks: Sequence[str], class_slot: bool = False) -> list[_NP] | None:
    """One or more coordinated noun phrases ("plants or plant parts")."""
    low = _low(toks)
    if not toks:
        return None
    groups: list[list[str]] = [[]]
    for t, w in zip(toks, low):
        if w in ("and", "or", "nor"):
            groups.append([])
        else:
            groups[-1].append(t)
    if any(not g for g in groups):
        return None
    if len(groups) > 1:
        # "a pure or a mixed stuff", "pure or mixed stuff": distribute the head noun.
        last = groups[-1]
        last_np = _np(last, class_slot)
        if last_np is not None and last_np.ref is not None and len(last_np.words) >= 2:
            heads = []
            for i, g in enumerate(groups[:-1]):
                content = [t for t in g if t.lower() not in _DETERMINERS]
                modifier = len(content) == 1 and (
                    _is_adjective(content[0]) or _is_participle(content[0].lower())
                    or (last_np.plural and singularise(content[0].lower()) == content[0].lower()))
                heads.append(modifier)
                if modifier:
                    groups[i] = g + [last_np.words[-1]]
            conj = [w for w in low if w in ("and", "or")]
            adjectival = all(heads) and all(
                _is_adjective(w) or _is_participle(w) for w in [g[0].lower() for g in groups])
            if adjectival and conj and conj[0] == "and" and not any(
                    g[0].lower() in _DETERMINERS for g in groups[1:]):
                # "named and published algorithms": one class, described twice
                return [_NP(ClassRef.from_label(last_np.ref.label.split()[-1]), last_np.det,
                            last_np.plural, words=(last_np.words[-1],))]
        # a shared determiner: "the inputs and outputs"
        first_det = [t for t in groups[0][:1] if t.lower() in _DETERMINERS]
        for i in range(1, len(groups)):
            if first_det and groups[i][0].lower() not in _DETERMINERS:
                groups[i] = first_det + groups[i]
    out = []
    for g in groups:
        np_ = _np(g, class_slot)
        if np_ is None:
            return None
        out.append(np_)
    return out


@dataclass(frozen=True)
class _VG:
    """A verb group: auxiliaries, the main verb and a trailing preposition."""

    lemma: str                 # "direct", "be" (copula), "have"
    main: str                  # the main verb as written ("directed")
    kind: Literal["active", "passive", "copula_adj", "copula_np"]
    prep: str = ""             # preposition that belongs to the property ("in", "with") or "by" (agent)
    negated: bool = False
    adjective: str = ""        # for copula_adj: "compatible"
    end: int = 0               # index after the verb group (and its preposition)
    aux: str = ""              # the (last) auxiliary: "can" in "can fly", "did" in "did … direct"


def _verb_group(toks: Sequence[str], start: int = 0, *, fronted: str = "") -> _VG | None:
    """Read the verb group at ``toks[start:]``.

    ``fronted`` is an auxiliary that was moved before the subject ("*did* a
    director direct", "*was* a film released"): the verb then is a base form, or
    a participle/adjective after a fronted "be", a participle after "have".
    """
    low = _low(toks)
    i, n = start, len(toks)
    auxes: list[str] = []
    negated = False
    while i < n and (low[i] in _AUX or low[i] in _NEG or low[i] in _ADVERBS
                     or (low[i].endswith("ly") and len(low[i]) > 4 and i + 1 < n
                         and low[i + 1] not in _DETERMINERS and low[i + 1] not in _PREPS)):
        if low[i] in _AUX_HAVE and not (i + 1 < n and (_is_participle(low[i + 1], True) or low[i + 1] in _NEG
                                                       or low[i + 1] in _ADVERBS)):
            break  # "have" as the main verb: "which films have a director", "does it have"
        if low[i] in _NEG:
            negated = True
        elif low[i] in _AUX:
            auxes.append(low[i])
        i += 1
    last_aux = auxes[-1] if auxes else fronted
    nxt = low[i] if i < n else ""

    def prep_at(j: int) -> tuple[str, int]:
        k = j
        while k < n and (low[k] in _ADVERBS or (low[k].endswith("ly") and len(low[k]) > 4)):
            k += 1  # "works best with", "used successfully in"
        if k > j and k < n and low[k] in _PREPS:
            j = k
        if j < n and (low[j] in _PREPS or low[j] in _PARTICLES):
            if low[j] in _PARTICLES and j + 1 < n and low[j + 1] in _PREPS:
                return low[j] + " " + low[j + 1], j + 2  # "come up with"
            return low[j], j + 1
        return "", j

    if last_aux in _AUX_BE:
        if nxt and _is_participle(nxt, after_be=True):
            prep, end = prep_at(i + 1)
            return _VG(verb_lemma(nxt), toks[i], "passive", prep, negated, aux=last_aux, end=end)
        if nxt.endswith("ing") and len(nxt) > 4 and verb_lemma(nxt) != nxt and nxt not in _ING_NOUNS:
            prep, end = prep_at(i + 1)
            return _VG(verb_lemma(nxt), toks[i], "active", prep, negated, aux=last_aux, end=end)
        if nxt and _is_adjective(nxt) and (i + 1 >= n or low[i + 1] in _PREPS or low[i + 1] in _CONJ):
            prep, end = prep_at(i + 1)
            return _VG("be", toks[i], "copula_adj", prep, negated, aux=last_aux, adjective=nxt, end=end)
        if auxes and not fronted:
            return _VG("be", toks[i - 1], "copula_np", "", negated, aux=last_aux, end=i)
        return None
    if last_aux in _AUX_HAVE and nxt and _is_participle(nxt, after_be=True) and nxt != "had":
        prep, end = prep_at(i + 1)
        return _VG(verb_lemma(nxt), toks[i], "active", prep, negated, aux=last_aux, end=end)
    if last_aux in _AUX_HAVE and auxes and not fronted:
        return _VG("have", toks[i - 1], "active", "", negated, aux=last_aux, end=i)
    if not nxt or (nxt in _FUNCTION and nxt not in _AUX_HAVE) or nxt in _FIRST_PERSON or nxt in _QUALIFIERS \
            or toks[i][:1].isupper():
        return None
    if not auxes and not fronted and i + 1 < n and low[i + 1] == "by" and _is_participle(nxt):
        # reduced relative: "films directed by a director"
        return _VG(verb_lemma(nxt), toks[i], "passive", "by", negated, aux=last_aux, end=i + 2)
    if last_aux in _AUX_DO or last_aux in _MODALS or last_aux == "to":
        if nxt not in _COMMON_VERBS and singularise(nxt) != nxt:
            return None  # "which plants do *lions* eat": a plural noun, not a verb
        lemma = "have" if nxt == "has" else nxt
    else:
        lemma = verb_lemma(nxt)
    if not re.fullmatch(r"[a-z][a-z-]*", lemma):
        return None
    prep, end = prep_at(i + 1)
    return _VG(lemma, toks[i], "active", prep, negated, aux=last_aux, end=end)


_ING_NOUNS = _words("thing king ring string wing building painting meeting setting training clothing "
                    "morning evening spring during nothing something anything everything feeling funding "
                    "housing wedding recording ceiling")


# =============================================================================
# Property builders (naming conventions live here, and only here).
# =============================================================================

def _camel(label: str) -> str:
    """camelCase for a property name; a leading acronym goes lower-case (``GDP`` → ``gdp``)."""
    words = label.split()
    if words and len(words[0]) > 1 and words[0].isupper():
        words[0] = words[0].lower()
    return camel_case(" ".join(words))


def _uniq(items: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    seen: list[str] = []
    for it in items:
        it = " ".join(it.split())
        if it and it != exclude and it not in seen:
            seen.append(it)
    return tuple(seen)


def _names(nps: Sequence[_NP] | None) -> tuple[str, ...]:
    out: list[str] = []
    for np_ in nps or ():
        if np_.ref is not None and np_.ref.name not in out:
            out.append(np_.ref.name)
    return tuple(out)


def _verb_prop(lemma: str, prep: str, domain: tuple[str, ...], range_: tuple[str, ...],
               transitive: bool = True) -> PropertyReq:
    """Active verb: ``directs``, ``livesIn`` (agent → patient)."""
    words = [third_person(lemma), *prep.split()]
    label = " ".join(words)
    suffix = f" {prep}" if prep else ""
    forms = verb_forms(lemma)
    alts = [f + suffix for f in forms]
    if transitive and not prep:
        pp = forms[3]
        alts += [f"{pp} by", f"is {pp} by", f"was {pp} by"]
    return PropertyReq(_camel(label), "object", domain, range_, label, _uniq(alts, label))


def _has_prop(ref: ClassRef, domain: tuple[str, ...], range_: tuple[str, ...] | None = None) -> PropertyReq:
    """Possession / relational noun: ``hasAward`` (owner → thing)."""
    label = f"has {ref.label}"
    alts = [f"have {ref.label}", f"had {ref.label}", ref.label, f"{ref.label} of"]
    return PropertyReq(camel_case("has " + ref.name), "object", domain,
                       range_ if range_ is not None else (ref.name,), label, _uniq(alts, label))


def _state_prop(word: str, prep: str, domain: tuple[str, ...], range_: tuple[str, ...]) -> PropertyReq:
    """Participle or adjective with its preposition: ``bornIn``, ``compatibleWith``."""
    label = " ".join([word.lower(), *prep.split()])
    alts = [f"{aux} {label}" for aux in ("is", "are", "was", "were")]
    return PropertyReq(_camel(label), "object", domain, range_, label, _uniq(alts, label))


def _ability_prop(vg: "_VG", domain: tuple[str, ...]) -> PropertyReq:
    """Intransitive verb: ``Can a penguin fly?`` → ``canFly``; ``Do bears hibernate?`` → ``hibernates``."""
    label = f"can {vg.lemma}" if vg.aux in ("can", "could") else third_person(vg.lemma)
    forms = verb_forms(vg.lemma)
    return PropertyReq(_camel(label), "data", domain, ("boolean",), label,
                       _uniq([forms[0], forms[1], forms[2], f"is able to {vg.lemma}"], label))


def _bool_prop(words: str, domain: tuple[str, ...]) -> PropertyReq:
    """Yes/no attribute: ``isEndangered`` (X → boolean)."""
    label = f"is {words.lower()}"
    return PropertyReq(_camel(label), "data", domain, ("boolean",), label,
                       _uniq([words.lower(), f"are {words.lower()}", f"was {words.lower()}"], label))


def _data_prop(ref: ClassRef, domain: tuple[str, ...], datatype: str) -> PropertyReq:
    """Attribute noun: ``releaseDate`` (X → xsd)."""
    label = ref.label.lower() if not ref.label.isupper() else ref.label
    return PropertyReq(_camel(ref.label), "data", domain, (datatype,), label,
                       _uniq([f"has {label}", f"{label} of"], label), attribute=ref)


def _event_prop(lemma: str, participle: str, domain: tuple[str, ...], unit: str = "date",
                datatype: str = "date", prep: str = "") -> PropertyReq:
    """``When was a film released?`` → ``releaseDate`` (Film → date)."""
    noun = _nominalise(lemma)
    label = f"{noun} {unit}"
    alts = [participle.lower(), f"{participle.lower()} on", f"{participle.lower()} in", f"{unit} of {noun}"]
    if prep:
        alts.insert(0, f"{participle.lower()} {prep}")
    return PropertyReq(_camel(label), "data", domain, (datatype,), label, _uniq(alts, label))


def _count_prop(unit: ClassRef, domain: tuple[str, ...]) -> PropertyReq:
    """``How many pages does a book have?`` → ``numberOfPages`` (Book → integer)."""
    plural = unit.plural or unit.label
    label = f"number of {plural}"
    return PropertyReq(_camel(label), "data", domain, ("integer",), label,
                       _uniq([f"has {plural}", plural], label))


# =============================================================================
# Patterns. Each takes the tokens and returns a ParsedCQ or None.
# =============================================================================

class _B:
    """Collects what one question needs, in order."""

    def __init__(self, text: str, pattern: str) -> None:
        self.text, self.pattern = text, pattern
        self.classes: list[ClassRef] = []
        self.props: list[PropertyReq] = []
        self.links: list[SubclassLink] = []
        self.entities: list[str] = []
        self.extra: list[PropertyReq] = []  # from relational noun phrases, after the main property

    def np(self, nps: Sequence[_NP] | None) -> tuple[str, ...]:
        for np_ in nps or ():
            if np_.ref is not None:
                self.cls(np_.ref)
                if np_.of:
                    self.extra.append(_has_prop(np_.ref, self.np(np_.of)))
            elif np_.entity and np_.entity.lower() not in _PRONOUNS and np_.entity not in self.entities:
                self.entities.append(np_.entity)  # a proper name; pronouns name nothing
        return _names(nps)

    def cls(self, ref: ClassRef) -> str:
        if all(c.name != ref.name for c in self.classes):
            self.classes.append(ref)
        return ref.name

    def prop(self, p: PropertyReq) -> None:
        self.props.append(p)

    def link(self, child: str, parent: str, implied: bool = False) -> None:
        if child != parent:
            self.links.append(SubclassLink(child, parent, implied))

    def done(self, answer: Answer = "entities", answer_class: str | None = None,
             focus: Literal["domain", "range"] | None = None, **kw: object) -> ParsedCQ:
        props = self.props + [p for p in self.extra if all(p.name != q.name for q in self.props)]
        return ParsedCQ(self.text, self.pattern, tuple(self.classes), tuple(props), tuple(self.links),
                        answer, answer_class, focus, tuple(self.entities), **kw)  # type: ignore[arg-type]


def _first(nps: Sequence[_NP] | None) -> str | None:
    names = _names(nps)
    return names[0] if names else None


def _candidates(toks: Sequence[str], lo: int, hi: int, strong: Callable[[str], bool]) -> list[int]:
    """Split points in ``[lo, hi)``: strong verb signals left to right, then the rest right to left."""
    low = _low(toks)
    firsts = [j for j in range(lo, hi) if strong(low[j])]
    # Guess from word order only before the first word that looks like a verb: "does it render a
    # model" (model is also a verb) may split at "render", "what software works best" not at "best".
    rest = [j for j in range(hi - 1, lo - 1, -1) if not firsts or j < firsts[0]]
    # after a plural noun the next content word is probably the verb ("which animals hunt zebras")
    plural_next = [j for j in rest if j > 0 and low[j - 1] not in _FUNCTION and singularise(low[j - 1]) != low[j - 1]
                   and low[j] not in _FUNCTION]
    return firsts + plural_next + [j for j in rest if j not in plural_next]


def _objects(toks: Sequence[str]) -> list[_NP] | None:
    """The object after a verb: one or more noun phrases, or nothing (``[]``)."""
    if not toks:
        return []
    return _nps(toks)


def _relational(toks: Sequence[str]) -> tuple[list[_NP], list[_NP]] | None:
    """``the director of a film`` → ([director], [film]); also ``for`` and ``to``.

    The last usable preposition wins, so that an attribute may itself contain
    "of": ``the year of birth of a person`` → ([year of birth], [person]).
    """
    low = _low(toks)
    for k in range(len(low) - 2, 0, -1):
        if low[k] not in ("of", "for", "to"):
            continue
        left = [t for t in low[:k] if t not in _DETERMINERS and t not in _QUALIFIERS]
        if not left or left[-1] in _KIND_WORDS or (
                len(left) == 1 and left[0] in ("number", "amount", "count", "total", "list", "set")):
            continue  # "the number of films of …": the attribute is "number of films"
        owners = _nps(toks[k + 1:])
        if not owners:
            continue
        attrs: list[_NP] | None = None
        if "of" in low[:k] and not any(w in _DETERMINERS for w in low[1:k]):
            whole = _attribute_phrase(toks[:k])
            attrs = [whole] if whole is not None else None
        if attrs is None:
            attrs = _nps(toks[:k], class_slot=True)
        if attrs:
            return attrs, owners
    return None


def _attribute_phrase(toks: Sequence[str]) -> _NP | None:
    """``the year of birth`` as one attribute noun (label "year of birth")."""
    words = [t.lower() for t in toks if t.lower() not in _DETERMINERS and t.lower() not in _QUALIFIERS]
    if not words or words[0] == "of" or words[-1] == "of" or any(
            w in _FUNCTION and w != "of" or not re.fullmatch(r"[^\W_]+(?:[-.'][^\W_]+)*", w) for w in words):
        return None
    return _NP(ClassRef.from_label(" ".join(words)), words=tuple(words))


def _attribute(b: _B, attr: _NP, owners: tuple[str, ...], value: str | None = None) -> PropertyReq:
    """A data property for an attribute noun (an object property for place nouns)."""
    assert attr.ref is not None
    head = attr.ref.label.split()[-1].lower()
    if head in _PLACE_HEADS and not _is_known_attribute(attr.ref.label.split()):
        place = ClassRef.from_label(_PLACE_HEADS[head], PLACE.synonyms if _PLACE_HEADS[head] == "place" else ())
        b.cls(place)
        return _has_prop(attr.ref, owners, (place.name,))
    if attr.ref.label.lower().startswith("number of "):
        return _data_prop(attr.ref, owners, "integer")
    return _data_prop(attr.ref, owners, guess_datatype(attr.ref.label, value))


# --- which / what ... --------------------------------------------------------

def _clause_subject(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int,
                    *, subject_class: ClassRef | None = None) -> ParsedCQ | None:
    """``<subject> <verb group> <object>`` where the question asks for the subject."""
    vg = _verb_group(toks, start)
    if vg is None:
        return None
    b = _B(text, pattern)
    if subject_class is not None:
        b.cls(subject_class)
        dom: tuple[str, ...] = (subject_class.name,)
    else:
        dom = b.np(subj)
    rest = list(toks[vg.end:])
    neg = vg.negated
    if vg.kind == "copula_np":
        low = _low(rest)
        if low[:1] == ["there"]:
            # "Which visualisation software is there for this data?"
            tail = rest[1:]
            if not tail:
                return b.done("entities", dom[0] if dom else None, negated=neg)
            if _low(tail)[0] in ("for", "with") and subj:
                owners = _nps(tail[1:])
                if not owners or subj[0].ref is None:
                    return None
                own = b.np(owners)
                if _low(tail)[0] == "for":
                    b.prop(_has_prop(subj[0].ref, own))
                    return b.done("entities", dom[0], "range", negated=neg)
                if owners[0].ref is None:
                    return None
                b.prop(_has_prop(owners[0].ref, dom))
                return b.done("entities", dom[0], "domain", negated=neg)
            return None
        rel = _relational(rest)
        if rel is not None:
            roles, owners = rel
            own = b.np(owners)
            for role in roles:
                if role.ref is None:
                    return None
                b.prop(_has_prop(role.ref, own, dom))
            return b.done("entities", dom[0] if dom else None, "range", negated=neg)
        objs = _nps(rest)
        if not objs or not subj or neg:
            return None
        obj = objs[0]
        if obj.ref is None:
            return None
        if not obj.det and not obj.plural and len(obj.words) == 1 and _is_adjective(obj.words[0]):
            b.prop(_bool_prop(obj.words[0], dom))
            return b.done("entities", dom[0] if dom else None, "domain")
        for o in objs:
            if o.ref is not None:
                b.cls(o.ref)
                for d in dom:
                    b.link(o.ref.name, d, implied=True)
        return b.done("entities", dom[0] if dom else None)
    if vg.kind == "copula_adj":
        if vg.prep:
            objs = _objects(rest)
            if not objs:
                return None
            b.prop(_state_prop(vg.adjective, vg.prep, dom, b.np(objs)))
            return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
        if rest:
            return None
        b.prop(_bool_prop(vg.adjective, dom))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    agg = None
    if vg.kind == "active" and len(rest) > 2 and _low(rest[:2]) in (["the", "most"], ["the", "fewest"]):
        agg = "max" if rest[1].lower() == "most" else "min"  # "Which author wrote the most books?"
        rest = rest[2:]
    objs = _objects(rest)
    if objs is None:
        return _coordinated(text, pattern, subj, toks, start, vg, subject_class)
    if vg.kind == "passive":
        if vg.prep == "by":
            if not objs:
                return None
            b.prop(_verb_prop(vg.lemma, "", b.np(objs), dom))
            return b.done("entities", dom[0] if dom else None, "range", negated=neg)
        if vg.prep:
            if not objs:
                return None
            b.prop(_state_prop(vg.main, vg.prep, dom, b.np(objs)))
            return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
        if objs:
            return None
        b.prop(_bool_prop(vg.main, dom))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    # active
    if vg.lemma == "be":
        return None
    if vg.lemma == "have":
        if not objs or vg.prep:
            return None  # "have as part": not a plain possession
        return _possession(b, dom, objs, neg, answer_focus="domain")
    if not objs and not vg.prep:
        if not dom or not vg.lemma.isalpha():
            return None
        b.prop(_ability_prop(vg, dom))  # "Which birds cannot fly?"
        return b.done("entities", dom[0], "domain", negated=neg)
    if vg.prep and not objs:
        return None
    b.prop(_verb_prop(vg.lemma, vg.prep, dom, b.np(objs), transitive=bool(objs)))
    return b.done("entities", dom[0] if dom else None, "domain", negated=neg, aggregate=agg)


def _coordinated(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int, vg: _VG,
                 subject_class: ClassRef | None) -> ParsedCQ | None:
    """``Who eats an animal or hunts a plant?``: two verb phrases sharing the subject."""
    low = _low(toks)
    for k in range(vg.end + 1, len(toks) - 1):
        if low[k] in ("and", "or") and (_is_verb_form(low[k + 1]) or low[k + 1] in _AUX):
            first = _clause_subject(text, pattern, subj, list(toks[:k]), start, subject_class=subject_class)
            second = _clause_subject(text, pattern, subj, [*toks[:start], *toks[k + 1:]], start,
                                     subject_class=subject_class)
            if first is None or second is None:
                return None
            classes = first.classes + tuple(c for c in second.classes if c not in first.classes)
            return replace(first, classes=classes, properties=first.properties + second.properties,
                           subclass_links=first.subclass_links + second.subclass_links,
                           entities=tuple(dict.fromkeys(first.entities + second.entities)))
    return None


def _possession(b: _B, dom: tuple[str, ...], objs: Sequence[_NP], neg: bool,
                answer_focus: Literal["domain", "range"]) -> ParsedCQ | None:
    """``… has/have <thing>`` → ``hasThing`` or an attribute (with an optional value)."""
    for o in objs:
        if o.ref is None:
            return None
        if _is_known_attribute(o.ref.label.split()) or o.ref.label.startswith("number of"):
            b.prop(_attribute(b, o, dom))
        else:
            b.cls(o.ref)
            b.prop(_has_prop(o.ref, dom))
    ans = dom[0] if answer_focus == "domain" and dom else (objs[0].ref.name if objs[0].ref else None)
    if b.props and b.props[0].kind == "data":
        return b.done("entities" if answer_focus == "domain" else "value", ans if answer_focus == "domain" else None,
                      answer_focus, negated=neg)
    return b.done("entities", ans, answer_focus, negated=neg)


def _value_filter(text: str, subj: list[_NP], toks: Sequence[str], start: int) -> ParsedCQ | None:
    """``Which film has a rating of 5?``, ``Which city has the highest population?``."""
    low = _low(toks)
    if start >= len(toks) or low[start] not in ("has", "have", "had"):
        return None
    rest = list(toks[start + 1:])
    rlow = _low(rest)
    i = 0
    while i < len(rest) and (rlow[i] in _DETERMINERS):
        i += 1
    b = _B(text, "which_value")
    dom = b.np(subj)
    if i < len(rest) and rlow[i] in _SUPERLATIVE:
        agg = _SUPERLATIVE[rlow[i]]
        attr = _np(rest[i + 1:], class_slot=True)
        if attr is None or attr.ref is None:
            return None
        if rlow[i] in ("most", "fewest", "least") and attr.plural and not _is_known_attribute(attr.words):
            b.cls(attr.ref)
            b.prop(_has_prop(attr.ref, dom))
            return b.done("entities", dom[0] if dom else None, "domain", aggregate="count")
        dt = guess_datatype(attr.ref.label)
        b.prop(_data_prop(attr.ref, dom, dt if dt not in ("string", "boolean") else "float"))
        return b.done("entities", dom[0] if dom else None, "domain", aggregate=agg)
    # attribute words, then a comparator and/or a value
    j = i
    while j < len(rest) and rlow[j] not in _PREPS and rlow[j] not in ("more", "less", "greater", "fewer",
                                                                       "higher", "lower", "exactly", "equal") \
            and not re.match(r"[\d\"']", rest[j]) and not (j > i and rest[j][:1].isupper()):
        j += 1
    if j == i or j >= len(rest):
        return None
    attr = _np(rest[i:j], class_slot=True)
    if attr is None or attr.ref is None:
        return None
    k = j
    while k < len(rest) and (rlow[k] in _PREPS or rlow[k] in ("more", "less", "greater", "fewer", "higher",
                                                              "lower", "than", "exactly", "equal", "least",
                                                              "most")):
        k += 1
    value = " ".join(rest[k:]).strip("\"'")
    if not value:
        return None
    b.prop(_attribute(b, attr, dom, value))
    return b.done("entities", dom[0] if dom else None, "domain", value=value)


def _clause_inverted(text: str, pattern: str, wh: list[_NP] | None, toks: Sequence[str], aux_at: int,
                     *, wh_class: ClassRef | None = None, answer: Answer = "entities") -> ParsedCQ | None:
    """``<wh-object> <aux> <subject> <verb> [<prep>]`` — the question asks for the object.

    ``Which films did a director direct?``, ``What platform does the software
    run on?``, ``Which country was a film produced in?``, ``Who was a film
    directed by?``.
    """
    low = _low(toks)
    aux = low[aux_at]
    n = len(toks)

    def strong(w: str) -> bool:
        if aux in _AUX_BE:
            return _is_participle(w, after_be=True) or _is_adjective(w)
        if aux in _AUX_HAVE:
            return _is_participle(w, after_be=True)
        return w in _COMMON_VERBS

    for j in _candidates(toks, aux_at + 2, n, strong):
        subj = _nps(toks[aux_at + 1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None or vg.end != n:
            continue
        b = _B(text, pattern)
        if wh_class is not None:
            b.cls(wh_class)
            whn: tuple[str, ...] = (wh_class.name,)
        else:
            whn = b.np(wh)
        sub = b.np(subj)
        neg = vg.negated
        ans_cls = whn[0] if whn else None
        if vg.kind == "passive":
            if vg.prep == "by":  # "Who was a film directed by?"
                b.prop(_verb_prop(vg.lemma, "", whn, sub))
                return b.done(answer, ans_cls, "domain", negated=neg)
            b.prop(_state_prop(vg.main, vg.prep or "in", sub, whn))
            return b.done(answer, ans_cls, "range", negated=neg)
        if vg.kind == "copula_adj":
            if not vg.prep:
                return None
            b.prop(_state_prop(vg.adjective, vg.prep, sub, whn))
            return b.done(answer, ans_cls, "range", negated=neg)
        if vg.kind != "active" or vg.lemma == "be":
            return None
        if vg.lemma == "have" and not vg.prep:
            if not wh or wh[0].ref is None:
                return None
            return _possession(b, sub, wh, neg, answer_focus="range")
        b.prop(_verb_prop(vg.lemma, vg.prep, sub, whn))
        return b.done(answer, ans_cls, "range", negated=neg)
    return None


def _p_which(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    if not toks or low[0] not in ("which", "what"):
        return None
    rest = toks[1:]
    if len(rest) > 2 and _low(rest[:2]) == ["of", "the"]:
        rest = rest[2:]
    rlow = _low(rest)
    n = len(rest)

    def strong(w: str) -> bool:
        return w in _AUX or _is_verb_form(w)

    if low[0] == "what" and rlow and _is_verb_form(rlow[0]) and rlow[0].endswith("s"):
        # "What eats plants?": the subject has no class
        r = _clause_subject(text, "what_subject", [], rest, 0)
        if r is not None:
            return r
    for bpos in _candidates(rest, 1, n, strong):
        if low[0] == "what" and any(_is_third_person(w) for w in rlow[:bpos]):
            continue  # "What distinguishes X from Y": a finite verb cannot sit inside the subject
        subj = _nps(rest[:bpos], class_slot=True)
        if not subj:
            continue
        r = _value_filter(text, subj, rest, bpos)
        if r is not None:
            return r
        r = _clause_subject(text, "which_subject", subj, rest, bpos)
        if r is not None:
            return r
    for a in range(1, n):
        if rlow[a] in _AUX_DO | _MODALS | _AUX_BE | _AUX_HAVE:
            wh = _nps(rest[:a], class_slot=True)
            if wh:
                r = _clause_inverted(text, "which_object", wh, rest, a)
                if r is not None:
                    return r
    if low[0] == "what" and rlow[:1] and rlow[0] in _AUX_DO | _MODALS:
        # "What does a lion eat?": the object has no class
        r = _clause_inverted(text, "what_object", [], rest, 0)
        if r is not None:
            return r
    return None


# --- is / are / what is ... ----------------------------------------------------

_KIND_WORDS = _words("type types kind kinds sort sorts category categories subclass subclasses subtype subtypes "
                     "form forms variety varieties class classes")


def _strip_tail(low: list[str], *tails: Sequence[str]) -> int:
    """Length of ``low`` without one of ``tails`` at its end."""
    for t in tails:
        if len(low) > len(t) and low[-len(t):] == list(t):
            return len(low) - len(t)
    return len(low)


def _p_kinds(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What types of X are there?``, ``What kind of X is Y?``, ``What are the main types of X?``."""
    low = _low(toks)
    if not toks or low[0] not in ("which", "what"):
        return None
    i = 1
    if low[1:3] in (["are", "the"], ["is", "the"]) or (low[1:2] == ["are"] and len(low) > 2 and low[2] in _KIND_WORDS):
        i = 3 if low[2] == "the" else 2
        while i < len(low) and low[i] in _QUALIFIERS:
            i += 1
        if i + 1 < len(low) and low[i] in _KIND_WORDS and low[i + 1] == "of":
            x = _np(toks[i + 2:], class_slot=True)
            if x is None or x.ref is None:
                return None
            b = _B(text, "kinds_of")
            b.cls(x.ref)
            return b.done("subclasses", x.ref.name)
        return None
    if not (len(low) > 3 and low[1] in _KIND_WORDS and low[2] == "of"):
        return None
    rest = toks[3:]
    rlow = _low(rest)
    end = _strip_tail(rlow, ("are", "there"), ("is", "there"), ("exist",), ("are", "known"), ("there", "are"))
    if end < len(rlow):
        x = _np(rest[:end], class_slot=True)
        if x is None or x.ref is None:
            return None
        b = _B(text, "kinds_of")
        b.cls(x.ref)
        return b.done("subclasses", x.ref.name)
    for a in range(1, len(rest)):
        if rlow[a] in _AUX_BE and a + 1 < len(rest):
            x = _np(rest[:a], class_slot=True)
            ys = _nps(rest[a + 1:])
            if x is None or x.ref is None or not ys:
                continue
            b = _B(text, "kind_of")
            b.cls(x.ref)
            b.np(ys)
            for y in ys:
                if y.ref is not None:
                    b.link(y.ref.name, x.ref.name)
            return b.done("superclass", x.ref.name)
    # "What types of animals eat plants?"
    r = _p_which(text, [toks[0], *rest])
    if r is not None:
        return replace(r, answer="subclasses", pattern="kinds_" + r.pattern)
    return None


def _p_what_is(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What is the X of Y?`` (attribute), ``What is a X?`` (definition), ``Who is the X of Y?``."""
    low = _low(toks)
    if len(toks) < 3 or low[0] not in ("what", "who", "which") or low[1] not in _AUX_BE:
        return None
    rest = toks[2:]
    rlow = _low(rest)
    if rlow[:1] == ["the"] and len(rlow) > 1 and rlow[1] in ("difference", "differences"):
        return None
    rel = _relational(rest)
    if rel is not None:
        attrs, owners = rel
        b = _B(text, "who_role_of" if low[0] == "who" else "attribute_of")
        own = b.np(owners)
        for attr in attrs:
            if attr.ref is None:
                return None
            if low[0] == "who":
                b.cls(PERSON)
                b.cls(attr.ref)
                b.link(attr.ref.name, PERSON.name, implied=True)
                b.prop(_has_prop(attr.ref, own))
            else:
                b.prop(_attribute(b, attr, own))
        first = b.props[0]
        if first.kind == "object":
            return b.done("entities", first.range[0] if first.range else None, "range")
        return b.done("value", None, "range")
    for k, w in enumerate(rlow):
        if w in ("that", "which", "who") and k > 0:
            # "What are animals that have a tail?"
            subj = _nps(rest[:k], class_slot=True)
            if not subj:
                return None
            return _clause_subject(text, "what_are_that", subj, rest, k + 1)
    x = _nps(rest, class_slot=low[0] == "which")
    if not x or len(x) != 1:
        return None
    if low[0] == "which" and low[1] == "are" and x[0].ref is not None:
        b = _B(text, "list")
        b.np(x)
        return b.done("entities", x[0].ref.name)
    b = _B(text, "who_is" if low[0] == "who" else "definition")
    if x[0].ref is None:
        if low[0] == "who":
            b.cls(PERSON)
            b.np(x)
            return b.done("definition", PERSON.name)
        return None
    b.np(x)
    if low[0] == "who":
        b.cls(PERSON)
        b.link(x[0].ref.name, PERSON.name, implied=True)
        return b.done("entities", x[0].ref.name)
    if low[0] == "which" or (rlow and rlow[-1] == "there"):
        return None
    return b.done("definition", x[0].ref.name)


def _p_is(text: str, toks: list[str]) -> ParsedCQ | None:
    """Yes/no questions with "is/are": subclass tests, adjectives, passives, existence."""
    low = _low(toks)
    if len(toks) < 3 or low[0] not in _AUX_BE:
        return None
    end = _strip_tail(low, ("or", "not"))
    toks, low = toks[:end], low[:end]
    if low[1] == "there":
        return _existence(text, toks[2:])
    # "Is a lion a kind of animal?"
    for k in range(2, len(low) - 1):
        if low[k] in _KIND_WORDS | {"example", "instance", "member", "part"} and low[k + 1] == "of" and (
                low[k] != "part" or low[k - 1] in ("a", "an")):
            if low[k] == "part":
                return None  # parthood is not subsumption
            j = k - 1 if low[k - 1] in ("a", "an") else k
            x = _nps(toks[1:j])
            y = _np(toks[k + 2:], class_slot=True)
            if not x or y is None or y.ref is None:
                return None
            b = _B(text, "is_kind_of")
            b.np(x)
            b.cls(y.ref)
            for xi in x:
                if xi.ref is not None:
                    b.link(xi.ref.name, y.ref.name)
            return b.done("boolean", y.ref.name)
    # passive / adjective + preposition: "Is a film directed by a director?", "Is it compatible with X?"
    for j in range(2, len(toks)):
        if _is_participle(low[j], after_be=True) or (_is_adjective(low[j]) and j + 1 < len(low)
                                                        and low[j + 1] in _PREPS):
            subj = _nps(toks[1:j])
            if not subj:
                continue
            r = _clause_subject(text, "is_passive", subj, [toks[0], *toks[j:]], 0)
            if r is not None:
                return replace(r, answer="boolean")
    if any(w in _NEG for w in low):
        return None  # "Are solutions never emulsions?": disjointness is not supported
    # "Is a lion a herbivore?", "Are lions animals?", "Is it extensible?", "Is it open source?"
    for j in _split_points(low):
        x = _nps(toks[1:j])
        if not x:
            continue
        ylow = low[j:]
        yt = toks[j:]
        groups: list[str] = []
        if all(_is_adjective(w) or w in ("or", "and") for w in ylow):
            groups = [w for w in ylow if w not in ("or", "and")]  # "Is it free or open?"
        elif (len(ylow) >= 2 and not any(w in _DETERMINERS for w in ylow) and _is_adjective(ylow[0])
              and singularise(ylow[-1]) == ylow[-1] and all(xi.specific for xi in x)):
            groups = [" ".join(ylow)]  # "Is it open source?": a bare singular phrase about a thing
        if groups:
            b = _B(text, "is_adjective")
            dom = b.np(x)
            for g in groups:
                b.prop(_bool_prop(g, dom))
            return b.done("boolean", dom[0] if dom else None, "domain")
        ys = _nps(yt, class_slot=True)
        if not ys or any(y.ref is None for y in ys):
            continue
        b = _B(text, "is_a")
        b.np(x)
        for y in ys:
            b.cls(y.ref)  # type: ignore[arg-type]
        for xi in x:
            if xi.ref is None:
                continue
            for y in ys:
                if xi.specific:
                    b.link(y.ref.name, xi.ref.name, implied=True)  # type: ignore[union-attr]
                elif len(ys) == 1:
                    b.link(xi.ref.name, y.ref.name)  # type: ignore[union-attr]
        return b.done("boolean", _first(ys))
    return None


def _split_points(low: list[str]) -> list[int]:
    """Where a second noun phrase may start in ``Is <X> <Y>``: at a determiner, else anywhere."""
    dets = [j for j in range(2, len(low)) if low[j] in ("a", "an", "the", "some", "any")]
    rest = [j for j in range(2, len(low)) if j not in dets
            and not (j == 2 and low[1] in ("this", "that", "these", "those", "the"))]
    return dets + rest


def _existence(text: str, toks: Sequence[str]) -> ParsedCQ | None:
    """``Is there X for Y?``, ``Are there X with Y?``, ``Is there an X that V Y?``."""
    low = _low(toks)
    for k, w in enumerate(low):
        if w in ("that", "which", "who") and k > 0:
            x = _nps(toks[:k], class_slot=True)
            if not x:
                return None
            r = _clause_subject(text, "exists_that", x, toks, k + 1)
            return replace(r, answer="boolean") if r else None
    for k, w in enumerate(low):
        if w in ("for", "with") and k > 0:
            x = _nps(toks[:k], class_slot=True)
            y = _nps(toks[k + 1:])
            if not x or not y or x[0].ref is None:
                return None
            b = _B(text, "exists_for" if w == "for" else "exists_with")
            if w == "for":
                own = b.np(y)
                b.np(x)
                b.prop(_has_prop(x[0].ref, own))
                return b.done("boolean", x[0].ref.name, "range")
            dom = b.np(x)
            if y[0].ref is None:
                return None
            r = _possession(b, dom, y, False, answer_focus="domain")
            return replace(r, answer="boolean") if r else None
        if w == "in" and k > 0:
            # "Are there lions in a country?" → locatedIn (Lion → Country)
            x = _nps(toks[:k], class_slot=True)
            y = _nps(toks[k + 1:])
            if not x or not y or x[0].ref is None:
                return None
            b = _B(text, "exists_in")
            dom = b.np(x)
            b.prop(_state_prop("located", "in", dom, b.np(y)))
            return b.done("boolean", x[0].ref.name, "domain")
        if w in _PREPS and k > 0:
            return None
    x = _nps(toks, class_slot=True)
    if not x or x[0].ref is None:
        return None
    b = _B(text, "exists")
    b.np(x)
    return b.done("boolean", x[0].ref.name)


def _p_yes_no(text: str, toks: list[str]) -> ParsedCQ | None:
    """``Does a lion eat plants?``, ``Can a tool read a format?``, ``Does a film have a director?``."""
    low = _low(toks)
    if len(toks) < 3 or low[0] not in _AUX_DO | _MODALS | _AUX_HAVE:
        return None
    n = len(toks)

    def strong(w: str) -> bool:
        if low[0] in _AUX_HAVE:
            return _is_participle(w, after_be=True)
        return w in _COMMON_VERBS or w in ("have", "has")

    for j in _candidates(toks, 2, n, strong):
        subj = _nps(toks[1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=low[0])
        if vg is None or vg.kind != "active" or vg.lemma == "be":
            continue
        rest = toks[vg.end:]
        objs = _objects(rest)
        if objs is None or (not objs and not vg.prep):
            continue
        b = _B(text, "does_have" if vg.lemma == "have" else "does_verb")
        dom = b.np(subj)
        if vg.lemma == "have" and not vg.prep:
            if not objs:
                continue
            r = _possession(b, dom, objs, vg.negated, answer_focus="domain")
            return replace(r, answer="boolean") if r else None
        if not objs:
            continue
        b.prop(_verb_prop(vg.lemma, vg.prep, dom, b.np(objs)))
        return b.done("boolean", None, None, negated=vg.negated)
    # "Can a penguin fly?", "Do bears hibernate?": an intransitive verb at the end
    subj = _nps(toks[1:n - 1])
    vg = _verb_group(toks, n - 1, fronted=low[0]) if subj and low[0] not in _AUX_HAVE else None
    if subj and vg is not None and vg.kind == "active" and vg.lemma not in ("be", "have", "do"):
        b = _B(text, "does_verb")
        dom = b.np(subj)
        if dom:
            b.prop(_ability_prop(vg, dom))
            return b.done("boolean", dom[0], "domain", negated=vg.negated)
    return None


# --- who / when / where / how ------------------------------------------------

def _p_who(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    if not toks or low[0] not in ("who", "whom"):
        return None
    rest = [t for k, t in enumerate(toks[1:]) if not (k == 0 and t.lower() == "else")]
    if not rest:
        return None
    r = _clause_subject(text, "who_subject", None, rest, 0, subject_class=PERSON)
    if r is not None and r.properties:
        return r
    for a in range(0, len(rest)):
        if rest[a].lower() in _AUX_DO | _MODALS | _AUX_BE | _AUX_HAVE:
            r = _clause_inverted(text, "who_object", None, rest, a, wh_class=PERSON)
            if r is not None:
                return r
            break
    return None


_TIME_UNITS = {"year": ("year", "integer"), "date": ("date", "date"), "day": ("date", "date"),
               "time": ("time", "dateTime"), "month": ("month", "string"), "century": ("century", "integer"),
               "decade": ("decade", "integer"), "age": ("age", "integer"), "season": ("season", "string")}


def _event(text: str, pattern: str, toks: Sequence[str], aux_at: int, unit: str, datatype: str) -> ParsedCQ | None:
    """``<aux> <subject> <verb>`` after "when" / "what year" → ``<event><Unit>`` on the subject."""
    low = _low(toks)
    if aux_at >= len(toks) or low[aux_at] not in _AUX:
        return None
    aux = low[aux_at]
    n = len(toks)
    for j in _candidates(toks, aux_at + 2, n, lambda w: _is_participle(w, True) or w in _COMMON_VERBS):
        subj = _nps(toks[aux_at + 1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None or vg.kind not in ("passive", "active") or vg.lemma in ("be", "have"):
            continue
        tail = toks[vg.end:]
        b = _B(text, pattern)
        dom = b.np(subj)
        agent: list[_NP] | None = None
        if vg.kind == "passive" and vg.prep == "by":
            agent = _nps(tail)
            if not agent:
                continue
        elif tail:
            continue  # "When did a company acquire a startup?": an event with two parties
        elif vg.prep and vg.kind == "active":
            continue
        participle = past_participle(vg.lemma) if vg.kind == "active" else vg.main
        b.prop(_event_prop(vg.lemma, participle, dom, unit, datatype))
        if agent:
            b.prop(_verb_prop(vg.lemma, "", b.np(agent), dom))
        return b.done("value", None, "range", negated=vg.negated)
    return None


def _p_when(text: str, toks: list[str]) -> ParsedCQ | None:
    """``When was a film released?`` → releaseDate; ``In what year did X …`` → <event>Year."""
    low = _low(toks)
    if not toks:
        return None
    if low[0] == "when":
        return _event(text, "when", toks, 1, "date", "date")
    i = 1 if low[0] in ("in", "on", "at", "during") else 0
    if len(low) > i + 2 and low[i] in ("what", "which") and low[i + 1] in _TIME_UNITS:
        unit, dt = _TIME_UNITS[low[i + 1]]
        return _event(text, "what_" + unit, toks, i + 2, unit, dt)
    return None


def _p_where(text: str, toks: list[str]) -> ParsedCQ | None:
    """``Where was a person born?`` → bornIn; ``Where does an animal live?`` → livesIn (→ Place)."""
    low = _low(toks)
    if len(toks) < 3 or low[0] != "where" or low[1] not in _AUX:
        return None
    aux = low[1]
    if aux in _AUX_BE:
        x = _nps(toks[2:])
        if x:  # "Where is a museum?"
            b = _B(text, "where_is")
            dom = b.np(x)
            b.cls(PLACE)
            b.prop(_state_prop("located", "in", dom, (PLACE.name,)))
            return b.done("entities", PLACE.name, "range")
    for j in _candidates(toks, 3, len(toks), lambda w: _is_participle(w, True) or w in _COMMON_VERBS):
        subj = _nps(toks[2:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None or vg.end != len(toks) or vg.lemma in ("be", "have") and vg.kind == "active":
            continue
        b = _B(text, "where")
        dom = b.np(subj)
        b.cls(PLACE)
        if vg.kind == "passive":
            b.prop(_state_prop(vg.main, vg.prep or "in", dom, (PLACE.name,)))
        elif vg.kind == "active":
            b.prop(_verb_prop(vg.lemma, vg.prep or "in", dom, (PLACE.name,), transitive=False))
        else:
            continue
        return b.done("entities", PLACE.name, "range", negated=vg.negated)
    return None


def _p_prep_wh(text: str, toks: list[str]) -> ParsedCQ | None:
    """``In which country was a film produced?`` → producedIn (Film → Country)."""
    low = _low(toks)
    if len(toks) < 5 or low[0] not in _PREPS or low[1] not in ("what", "which"):
        return None
    prep = low[0]
    for a in range(3, len(toks)):
        if low[a] in _AUX:
            wh = _nps(toks[2:a], class_slot=True)
            if not wh:
                return None
            r = _clause_inverted(text, "prep_which", wh, toks[:a] + toks[a:] + [prep], a)
            return r
    return None


_HOW_ADJ = {"old": ("age", "integer"), "tall": ("height", "float"), "high": ("height", "float"),
            "long": ("length", "float"), "big": ("size", "float"), "large": ("size", "float"),
            "heavy": ("weight", "float"), "far": ("distance", "float"), "deep": ("depth", "float"),
            "wide": ("width", "float"), "fast": ("speed", "float"), "expensive": ("price", "float"),
            "much": ("price", "float"), "hot": ("temperature", "float"), "cold": ("temperature", "float")}
_COST_VERBS = {"cost": ("cost", "float"), "weigh": ("weight", "float"), "earn": ("earnings", "float"),
               "gross": ("gross", "float"), "last": ("duration", "float"), "take": ("duration", "float"),
               "live": ("lifespan", "float"), "measure": ("size", "float")}


def _p_how(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How many X …?``, ``How old is a person?``, ``How much does a ticket cost?``."""
    low = _low(toks)
    if len(toks) < 3 or low[0] != "how":
        return None
    if low[1] == "many":
        return _how_many(text, toks[2:])
    if low[1] in _HOW_ADJ and low[2] in _AUX_BE:
        x = _nps(toks[3:])
        if not x:
            return None
        attr, dt = _HOW_ADJ[low[1]]
        b = _B(text, "how_adjective")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
        return b.done("value", None, "range")
    if low[2] in _AUX_BE and _is_adjective(low[1]) and low[1] not in _HOW_ADJ:
        # "How reliable is a tool?" → reliability (a degree: float)
        x = _nps(toks[3:])
        if not x:
            return None
        b = _B(text, "how_adjective")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(_adjective_noun(low[1])), dom, "float"))
        return b.done("value", None, "range")
    if low[1] in ("much", "long") and low[2] in _AUX_DO | _MODALS and low[-1] in _COST_VERBS:
        x = _nps(toks[3:-1])
        if not x:
            return None
        attr, dt = _COST_VERBS[low[-1]]
        b = _B(text, "how_much")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
        return b.done("value", None, "range")
    return None


def _adjective_noun(adj: str) -> str:
    """``reliable`` → ``reliability``, ``popular`` → ``popularity``, ``toxic`` → ``toxicity``."""
    special = {"active": "activity", "free": "freedom", "safe": "safety", "true": "truth", "wide": "width",
               "strong": "strength", "warm": "warmth", "high": "height", "long": "length", "deep": "depth"}
    if adj in special:
        return special[adj]
    for suf, rep_ in (("able", "ability"), ("ible", "ibility"), ("ic", "icity"), ("ar", "arity"),
                      ("al", "ality"), ("ent", "ence"), ("ant", "ance"), ("ous", "ousness"), ("ive", "iveness")):
        if adj.endswith(suf) and len(adj) > len(suf) + 2:
            return adj[: -len(suf)] + rep_
    if adj.endswith("y") and len(adj) > 3:
        return adj[:-1] + "iness"
    return adj + "ness"


def _p_what_cost(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What does a ticket cost?``, ``What will it cost?``."""
    low = _low(toks)
    if len(toks) < 4 or low[0] != "what" or low[1] not in _AUX_DO | _MODALS or low[-1] not in ("cost", "weigh"):
        return None
    x = _nps(toks[2:-1])
    if not x:
        return None
    attr, dt = _COST_VERBS[low[-1]]
    b = _B(text, "how_much")
    dom = b.np(x)
    b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
    return b.done("value", None, "range")


def _how_many(text: str, rest: list[str]) -> ParsedCQ | None:
    rlow = _low(rest)
    end = _strip_tail(rlow, ("are", "there"), ("is", "there"), ("exist",), ("there", "are"))
    if end < len(rlow):
        x = _np(rest[:end], class_slot=True)
        if x is None or x.ref is None:
            return None
        b = _B(text, "how_many_exist")
        b.cls(x.ref)
        return b.done("count", x.ref.name, aggregate="count")
    # "How many pages does a book have?"
    for a in range(1, len(rest)):
        if rlow[a] in _AUX_DO | _MODALS and rlow[-1] in ("have", "has", "contain", "include"):
            unit = _np(rest[:a], class_slot=True)
            owner = _nps(rest[a + 1:-1])
            if unit is None or unit.ref is None or not owner:
                break
            head = unit.ref.label.split()[-1].lower()
            b = _B(text, "how_many_have")
            dom = b.np(owner)
            if head in _COUNT_UNITS or _is_known_attribute([head]):
                b.prop(_count_prop(unit.ref, dom))
                return b.done("value", None, "range", aggregate="count")
            b.cls(unit.ref)
            if rlow[-1] in ("have", "has"):
                b.prop(_has_prop(unit.ref, dom))
            else:
                b.prop(_verb_prop(rlow[-1] if rlow[-1] != "has" else "have", "", dom, (unit.ref.name,)))
            return b.done("count", unit.ref.name, "range", aggregate="count")
    r = _p_which(text, ["which", *rest])
    if r is None:
        return None
    return replace(r, pattern="how_many_" + r.pattern.replace("which_", ""), answer="count", aggregate="count")


# --- imperatives and compounds ----------------------------------------------

_IMPERATIVES = _words("list name show give find enumerate describe identify return retrieve get display")


def _p_imperative(text: str, toks: list[str]) -> ParsedCQ | None:
    """``List all films directed by a director.``, ``Name the animals that eat plants.``"""
    low = _low(toks)
    if len(toks) < 2 or low[0] not in _IMPERATIVES:
        return None
    i = 1
    while i < len(low) and low[i] in ("me", "us", "all", "every", "each"):
        i += 1
    rest = toks[i:]
    rel = _relational(rest)
    if rel is not None and not any(w in ("that", "which", "who") for w in _low(rest)):
        return _p_what_is(text, ["what", "is", *rest])
    r = _p_which(text, ["which", *[t for t in rest if t.lower() not in ("that", "which", "who")]])
    if r is not None:
        return replace(r, pattern="list_" + r.pattern.replace("which_", ""))
    x = _nps(rest, class_slot=True)
    if not x or x[0].ref is None:
        return None
    b = _B(text, "list")
    b.np(x)
    return b.done("entities", x[0].ref.name)


_PATTERNS = (_p_how, _p_what_cost, _p_when, _p_where, _p_kinds, _p_what_is, _p_who, _p_prep_wh, _p_is,
             _p_yes_no, _p_imperative, _p_which)

_COMPOUND = re.compile(r"\s*,?\s+and\s+(?=(?:what|which|who|where|when|how|is|are|does|do|can)\b)|\?\s+(?=\S)",
                       re.I)


def parse_cq(text: str) -> ParsedCQ | None:
    """Read one competency question; ``None`` when no supported pattern matches.

    Examples
    --------
    >>> parse_cq("Which films did a director direct?").describe()
    'which_object: directs(Director → Film)'
    >>> parse_cq("When was a film released?").describe()
    'when: releaseDate(Film → date)'
    >>> parse_cq("Is a lion a kind of animal?").describe()
    'is_kind_of: Lion ⊑ Animal'
    """
    if not text or not text.strip():
        return None
    clauses = [c for c in _COMPOUND.split(text.strip()) if c and c.strip(" ?,")]
    if len(clauses) > 1:
        return _parse_compound(text, clauses)
    return _parse_clause(text, _tokenise(text))


def _parse_clause(text: str, toks: list[str]) -> ParsedCQ | None:
    if not toks:
        return None
    for pattern in _PATTERNS:
        r = pattern(text, toks)
        if r is not None and (r.classes or r.properties):
            return r
    return None


def _parse_compound(text: str, clauses: list[str]) -> ParsedCQ | None:
    """``What license does it have, and what is its permissiveness?``: each clause on its own;
    "it"/"its" in a later clause stand for the answer of the first."""
    parts: list[ParsedCQ] = []
    antecedent: list[str] = []
    for clause in clauses:
        toks = _tokenise(clause)
        if antecedent:
            out: list[str] = []
            for t in toks:
                if t.lower() == "it":
                    out.extend(["the", *antecedent])
                elif t.lower() == "its":
                    out.extend(["the", *antecedent, "'s"])
                else:
                    out.append(t)
            toks = _rewrite_possessives(out)
        p = _parse_clause(clause, toks)
        if p is None:
            return None
        parts.append(p)
        if not antecedent:
            cls = p.answer_class or (p.classes[0].name if p.classes else None)
            ref = next((c for c in p.classes if c.name == cls), None)
            antecedent = ref.label.split() if ref else []
    classes: list[ClassRef] = []
    for p in parts:
        classes += [c for c in p.classes if all(c.name != k.name for k in classes)]
    return ParsedCQ(text, "compound", tuple(classes), tuple(q for p in parts for q in p.properties),
                    tuple(link for p in parts for link in p.subclass_links), parts[0].answer,
                    parts[0].answer_class, parts[0].focus,
                    tuple(dict.fromkeys(e for p in parts for e in p.entities)), parts[0].value,
                    parts[0].aggregate, any(p.negated for p in parts), tuple(parts))


# =============================================================================
# Questions → ontology proposal.
# =============================================================================

@dataclass
class _NewClass:
    name: str
    label: str
    alt_labels: tuple[str, ...]
    origin: str
    parent: str | None = None
    comment: str = ""


_DEFAULT_COMMENTS = {
    PERSON.name: "Who answers 'who' questions.",
    PLACE.name: "Where answers 'where' questions.",
}


class _Plan:
    """New classes and properties for one batch, resolved against the ontology."""

    def __init__(self, ontology: "Ontology") -> None:
        self.onto = ontology
        self.classes: dict[str, _NewClass] = {}   # normalised name → new class, in first-mention order
        self.final: dict[str, str] = {}           # name in a ParsedCQ → name in the ontology/proposal
        self.props: dict[str, PropertyCandidate] = {}

    # ----------------------------------------------------------- classes
    def _existing(self, ref: ClassRef) -> str | None:
        for key in (ref.name, ref.label, ref.plural, *ref.synonyms):
            if key:
                c = self.onto.get_class(key)
                if c is not None:
                    return c.name
        return None

    def use(self, ref: ClassRef, origin: str) -> str:
        if ref.name in self.final:
            return self.final[ref.name]
        name = self._existing(ref)
        if name is None:
            key = normalise_label(ref.name)
            if key not in self.classes:
                alts = _uniq([ref.plural, *ref.synonyms], ref.label)
                self.classes[key] = _NewClass(ref.name, ref.label, alts, origin,
                                              comment=_DEFAULT_COMMENTS.get(ref.name, ""))
            name = self.classes[key].name
        self.final[ref.name] = name
        return name

    def name(self, parsed_name: str) -> str:
        if parsed_name in self.final:
            return self.final[parsed_name]
        c = self.onto.get_class(parsed_name)
        return c.name if c is not None else parsed_name

    def known(self, ref: ClassRef) -> str | None:
        """The class ``ref`` names, if it exists or is planned (without planning it)."""
        if ref.name in self.final:
            return self.final[ref.name]
        existing = self._existing(ref)
        if existing is not None:
            return existing
        rec = self.classes.get(normalise_label(ref.name))
        return rec.name if rec is not None else None

    def _parent_of(self, name: str) -> str | None:
        rec = self.classes.get(normalise_label(name))
        if rec is not None:
            return rec.parent
        c = self.onto.get_class(name)
        if c is None or c.parent is None or c.parent not in self.onto.classes:
            return None
        return self.onto.classes[c.parent].name

    def _ancestors(self, name: str) -> list[str]:
        out: list[str] = []
        cur = self._parent_of(name)
        while cur is not None and cur not in out and len(out) < 10_000:
            out.append(cur)
            cur = self._parent_of(cur)
        return out

    def link(self, child: str, parent: str) -> None:
        c, p = self.name(child), self.name(parent)
        rec = self.classes.get(normalise_label(c))
        if rec is None or rec.parent is not None or normalise_label(c) == normalise_label(p):
            return  # existing classes keep their place; the first stated parent wins
        if normalise_label(c) in (normalise_label(a) for a in [p, *self._ancestors(p)]):
            return  # would create a cycle
        rec.parent = p

    def head_noun_parents(self) -> None:
        """``FilmProductionCompany ⊑ Company`` when ``Company`` exists or is planned."""
        for rec in list(self.classes.values()):
            words = rec.label.split()
            if rec.parent is not None or len(words) < 2:
                continue
            for k in range(1, len(words)):
                head = ClassRef.from_label(" ".join(words[k:]))
                target = self.known(head)
                if target is not None and normalise_label(target) != normalise_label(rec.name):
                    self.link(rec.name, target)
                    break

    def person_role_parents(self, origin_of: Callable[[str], str]) -> None:
        """``Director ⊑ Person`` for new classes named by a person role noun (director, actor, …).

        Without it "Which films did a director direct?" and "Where was a person born?"
        give unrelated Director and Person, and a director's birthplace is rejected.
        """
        for rec in list(self.classes.values()):
            words = rec.label.split()
            if rec.parent is not None or not words or words[-1] not in PERSON_ROLES:
                continue
            if normalise_label(rec.name) == normalise_label(PERSON.name):
                continue
            person = self.use(PERSON, origin_of(rec.name))
            self.link(rec.name, person)

    def attach_root(self) -> None:
        tops = [rec for rec in self.classes.values() if rec.parent is None]
        if not tops:
            return
        roots = self.onto.roots()
        if len(roots) > 1:
            return  # an imported forest: the contracts allow new top-level classes then
        if len(roots) == 1:
            root = self.onto.classes[roots[0]].name
        else:
            existing = self.onto.get_class(ROOT_CLASS)
            planned = self.classes.get(normalise_label(ROOT_CLASS))
            if existing is not None:
                root = existing.name
            elif planned is not None:
                chain = self._ancestors(planned.name)
                root = chain[-1] if chain else planned.name
            else:
                rec = _NewClass(ROOT_CLASS, normalise_label(ROOT_CLASS), (), tops[0].origin,
                                comment="Generic root: the ontology had no root class, and the contracts "
                                        "allow a single top-level class.")
                self.classes = {normalise_label(ROOT_CLASS): rec, **self.classes}
                root = ROOT_CLASS
        for rec in tops:
            if normalise_label(rec.name) != normalise_label(root):
                rec.parent = root

    def class_candidates(self) -> list[ClassCandidate]:
        """Parents first (the contracts check each class against those before it)."""
        out: list[ClassCandidate] = []
        done: set[str] = set()
        # An alternative label must not be another class's name or label: lookups by name would
        # find the wrong class ("people" on Person vs a class People).
        taken = {normalise_label(k) for c in self.onto.classes.values() for k in (c.name, c.label)}
        taken |= {normalise_label(k) for r in self.classes.values() for k in (r.name, r.label)}

        def emit(rec: _NewClass, depth: int = 0) -> None:
            key = normalise_label(rec.name)
            if key in done or depth > 10_000:
                return
            if rec.parent is not None:
                parent = self.classes.get(normalise_label(rec.parent))
                if parent is not None:
                    emit(parent, depth + 1)
            done.add(key)
            alts = tuple(a for a in rec.alt_labels if normalise_label(a) not in taken)
            out.append(ClassCandidate(rec.name, rec.parent, rec.label, alts, rec.comment, rec.origin))

        for rec in list(self.classes.values()):
            emit(rec)
        return out

    # -------------------------------------------------------- properties
    def prop(self, req: PropertyReq, origin: str) -> None:
        if req.kind == "data" and req.attribute is not None:
            target = self.known(req.attribute)
            if target is not None:  # "What is the director of a film?" once Director is a class
                req = _has_prop(replace(req.attribute, name=target), req.domain)
        for n in (*req.domain, *(req.range if req.kind == "object" else ())):
            if n not in self.final and self.onto.get_class(n) is None:
                # never leave a dangling name
                self.use(replace(ClassRef.from_label(normalise_label(n)), name=n), origin)
        domain = _uniq(self.name(d) for d in req.domain)
        range_ = _uniq(self.name(r) for r in req.range) if req.kind == "object" else req.range
        for key in (req.name, req.label, *req.alt_labels):
            p = self.onto.get_property(key) if key else None
            if p is not None and (key == req.name or p.kind == req.kind):
                return  # reuse the existing property; never propose it again
        key = normalise_label(req.name)
        cand = self.props.get(key)
        if cand is None:
            self.props[key] = PropertyCandidate(req.name, req.kind, domain, range_, req.label, req.alt_labels,
                                                origin=origin)
        elif cand.kind == req.kind:
            cand.domain = _uniq([*cand.domain, *domain])
            if req.kind == "object":
                cand.range = _uniq([*cand.range, *range_])
            cand.alt_labels = _uniq([*cand.alt_labels, *req.alt_labels], cand.label or "")


_EXAMPLES = {
    "when": "'When was a film released?'",
    "where": "'Where was a person born?'",
    "who": "'Who directed a film?' or 'Who is the director of a film?'",
    "how": "'How many awards did a film win?' or 'How old is a person?'",
    "is": "'Is a lion a kind of animal?' or 'Is a film popular?'",
    "are": "'Are lions animals?' or 'Are there animals that eat plants?'",
    "does": "'Does a lion eat plants?'",
    "do": "'Do lions eat plants?'",
    "can": "'Can a tool read a file format?'",
}


def _unparsed(cq: "CompetencyQuestion") -> Issue:
    first = (_tokenise(cq.text)[:1] or [""])[0].lower()
    example = _EXAMPLES.get(first, "'Which films did a director direct?' or 'What is the release date of a film?'")
    return Issue(
        "unparsed_cq",
        f"The competency question {cq.text.strip()!r} matches none of the supported question patterns, "
        f"so it adds nothing to the ontology.",
        f"Rephrase it as one relation between classes, e.g. {example}. First-person questions "
        f"('Where can I …'), comparisons and questions with several clauses are not read by the offline "
        f"rules engine; an LLM engine may read them.",
        severity="warning",
        path=f"cq:{cq.id}",
        data={"text": cq.text},
    )


def propose_from_cqs(cqs: Sequence["CompetencyQuestion"], ontology: "Ontology") -> OntologyProposal:
    """Classes and properties that let ``ontology`` answer ``cqs`` (offline, deterministic).

    Existing classes and properties are reused, never proposed again; classes
    come parents first; when the ontology has no root a generic ``Entity`` root
    is proposed first (see the module docstring for every convention). A
    question no pattern reads adds an ``unparsed_cq`` warning to
    ``proposal.issues`` and no candidate. Every candidate's ``origin`` is the
    text of the first question that needed it.
    """
    proposal = OntologyProposal()
    parsed: list[tuple[str, ParsedCQ]] = []
    seen: set[str] = set()
    for cq in cqs:
        key = normalise_label(cq.text)
        if key in seen:
            continue
        seen.add(key)
        p = parse_cq(cq.text)
        if p is None:
            proposal.issues.append(_unparsed(cq))
        else:
            parsed.append((cq.text, p))
    plan = _Plan(ontology)
    for origin, p in parsed:
        for ref in p.classes:
            plan.use(ref, origin)
    for implied in (False, True):
        for _, p in parsed:
            for link in p.subclass_links:
                if link.implied == implied:
                    plan.link(link.child, link.parent)
    for origin, p in parsed:
        for req in p.properties:
            plan.prop(req, origin)
    plan.head_noun_parents()
    plan.person_role_parents(lambda name: plan.classes[normalise_label(name)].origin)
    plan.attach_root()
    proposal.classes = plan.class_candidates()
    proposal.properties = list(plan.props.values())
    proposal.raw = "\n".join(f"{text} → {p.describe()}" for text, p in parsed)
    return proposal
