"""Word classes read from the lexicon and suffixes: adjectives, participles, verb forms,
attribute words and the datatype an attribute's head word suggests.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..iri import normalise_label
from .lexicon import (
    ADJ_SUFFIXES,
    ADJECTIVES,
    BOOLEAN_HEADS,
    CLOCK_TIMES,
    COMMON_VERBS,
    DATATYPE_HEADS,
    DATATYPE_PHRASES,
    EED_PAST,
    IRREGULAR,
    IRREGULAR_FORMS,
    KNOWN_NOUNS_ED,
    NOMINAL,
    PLURAL_NOUN_VERBS,
)
from .morphology import singularise, verb_lemma


def _nominalise(lemma: str) -> str:
    """``release`` → ``release``, ``bear`` → ``birth``, ``create`` → ``creation``."""
    if lemma in NOMINAL:
        return NOMINAL[lemma]
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
    for phrase, dt in DATATYPE_PHRASES.items():
        if low == phrase or low.startswith(phrase + " ") or low.endswith(" " + phrase):
            return dt
    parts = low.split()
    if "of" in parts[1:]:
        parts = parts[: parts.index("of")]  # "year of birth": the head is "year"
    head = parts[-1] if parts else ""
    if head == "time" and len(parts) > 1 and parts[-2] not in CLOCK_TIMES:
        return "float"  # "running time", "travel time": a duration ("117 minutes"), not a clock time
    if head in DATATYPE_HEADS:
        return DATATYPE_HEADS[head]
    if head in BOOLEAN_HEADS:
        return "boolean"
    if head.endswith("s") and singularise(head) in DATATYPE_HEADS:
        return DATATYPE_HEADS[singularise(head)]
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
    return (any(low == p or low.startswith(p + " ") or low.endswith(" " + p) for p in DATATYPE_PHRASES)
            or head in DATATYPE_HEADS or singularise(head) in DATATYPE_HEADS)


def _is_adjective(word: str) -> bool:
    w = word.lower()
    if w in ADJECTIVES:
        return True
    if len(w) > 5 and w.endswith(ADJ_SUFFIXES) and singularise(w) == w:
        return True
    return False


def _is_participle(word: str, after_be: bool = False) -> bool:
    w = word.lower()
    if after_be and w in IRREGULAR and IRREGULAR[w][1] == w and w not in ("be", "have", "do"):
        return True  # "is set in", "was read by"
    if w in IRREGULAR_FORMS and IRREGULAR_FORMS[w] not in ("be", "have", "do"):
        return w not in ("is", "are", "am", "has", "does", "goes", "says")
    if w in EED_PAST:
        return True
    return len(w) >= 4 and w.endswith("ed") and not w.endswith("eed") and w not in KNOWN_NOUNS_ED


def _is_third_person(word: str) -> bool:
    """``eats``, ``distinguishes``: a present-tense verb of the lexicon (not a plural noun)."""
    return word.endswith("s") and word not in COMMON_VERBS and verb_lemma(word) in COMMON_VERBS \
        and word not in PLURAL_NOUN_VERBS


def _is_verb_form(word: str) -> bool:
    """Is ``word`` (lower case) very likely a verb form?"""
    if _is_participle(word):
        return True
    return word in COMMON_VERBS or (word.endswith("s") and verb_lemma(word) in COMMON_VERBS)


def _is_adverb(word: str) -> bool:
    """``actively``, ``successfully`` (not ``family``, ``supply``, ``rally``)."""
    return len(word) > 6 and word.endswith(("ively", "ously", "ently", "antly", "fully", "ably", "ibly", "edly",
                                            "ingly", "ally", "arly", "ctly", "stly"))


def _is_known_noun(word: str) -> bool:
    return word in KNOWN_NOUNS_ED
