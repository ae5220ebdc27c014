"""Word lists and shapes only the CQ grammar uses (the shared lexicon stays in :mod:`..lexicon`)."""

from __future__ import annotations

import re

from ..lexicon import COUNT_UNITS, SUPERLATIVE

__all__ = ["HEADCOUNT", "NEGATIVE_PRONOUNS", "TIME_NOUNS", "WHEN_PHRASES", "is_counted_quantity", "placeholder_head",
           "attribute_datatype",
           "is_variable", "is_acronym", "is_superlative"]

#: Superlatives that name no class: "Which animal is *the largest*?" asks for a maximum, not a class Largest.
_SUPERLATIVES = frozenset("""
highest largest biggest greatest longest tallest oldest lowest smallest shortest youngest latest newest earliest
best worst fastest slowest cheapest heaviest lightest nearest closest most least fewest first last
""".split())

#: People counted as a number in a text ("221,000 employees", "3,000 students"): "How many employees does a
#: company have?" asks for a number (``numberOfEmployees``), not for a class of employees. When the batch or the
#: ontology has the class, the proposal turns it into the relation ``hasEmployee`` (see ``PropertyReq.attribute``).
HEADCOUNT = frozenset("""
employee worker staff student pupil inhabitant resident citizen member user customer subscriber passenger
visitor participant speaker viewer follower fan soldier patient volunteer spectator attendee reader listener
""".split())

#: Pronouns that deny ("Which plants does *nothing* eat?"): they name no class, and the question is negated.
NEGATIVE_PRONOUNS = frozenset("nothing nobody none noone".split())

#: Nouns of time: "to compile code *in the evening*" says when, not a class the verb's object relates to.
TIME_NOUNS = frozenset("morning afternoon evening night day week month year time past future weekend".split())

#: Openings that ask "when" in other words: "At what point did the license change?" names no class Point.
WHEN_PHRASES = (("at", "what", "point", "in", "time"), ("at", "what", "point"), ("at", "what", "moment"),
                ("at", "which", "point"))

#: A placeholder variable written as one letter ("X", "Y"), optionally numbered ("X1").
_VARIABLE = re.compile(r"[A-Z]\d?|[a-z]\d")
#: A placeholder glued to its class ("SpeciesX", "GenusY", "TaskA1").
_GLUED = re.compile(r"((?:[A-Z][a-z]+)+)([XYZ]\d?)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,5}(?:-[A-Z0-9]+)?")


#: "<change> point" names a temperature ("melting point"): a number, where the shared lexicon's head "point"
#: is a score and its phrases do not list these.
_TEMPERATURE_POINTS = frozenset("melting boiling freezing flash dew fusion triple critical smoke pour cloud".split())


def attribute_datatype(label: str) -> str | None:
    """``melting point`` → ``"float"`` (a measured temperature); ``EC number``, ``CAS number`` → ``"string"`` (an
    identifier an acronym names: "2.7.11.1", "50-00-0", not a count); ``None`` for other attribute names."""
    words = label.split()
    if len(words) > 1 and words[-1].lower() == "point" and words[-2].lower() in _TEMPERATURE_POINTS:
        return "float"
    if len(words) > 1 and words[-1].lower() in ("number", "code") and is_acronym(words[-2]):
        return "string"
    return None


def is_counted_quantity(head: str) -> bool:
    """``pages``, ``goals``, ``employees``: a noun whose count is a number, not a list of things."""
    return head in COUNT_UNITS or head in HEADCOUNT


def is_variable(token: str, after_determiner: bool = False) -> bool:
    """``X``, ``Y``, ``X1``: a placeholder that names no class and no entity (``A`` and ``I`` are words); after
    a determiner also a lower-case ``x``, ``y``, ``z`` ("this version of a x")."""
    if after_determiner and token in ("x", "y", "z"):
        return True
    return bool(_VARIABLE.fullmatch(token)) and token not in ("A", "I")


def placeholder_head(token: str) -> str | None:
    """``SpeciesX`` → ``"species"`` (a variable of class Species); ``None`` for other words."""
    m = _GLUED.fullmatch(token)
    if m is None:
        return None
    return " ".join(w.lower() for w in re.findall(r"[A-Z][a-z]+", m.group(1)))


def is_acronym(token: str) -> bool:
    """``XML``, ``DNA``, ``ISO-4``: an all-capital word of 2–6 characters."""
    return bool(_ACRONYM.fullmatch(token))


def is_superlative(word: str) -> bool:
    """``largest``, ``latest``, ``best``: a superlative adjective (its noun left out, it names no class)."""
    w = word.lower()
    return w in _SUPERLATIVES or w in SUPERLATIVE
