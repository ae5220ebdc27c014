"""English morphology without a model: singular and plural nouns, verb forms and lemmas.

A small, hand-written singulariser and verb lemmatiser (the tables are in :mod:`.lexicon`).
"""

from __future__ import annotations

import re

from .lexicon import (
    ADD_E,
    DOUBLING,
    EED_PAST,
    INVARIANT_NOUNS,
    IRREGULAR,
    IRREGULAR_FORMS,
    IRREGULAR_PLURALS,
    LL_UNDOUBLE,
    NO_E,
    PLURALS_BY_SINGULAR,
    SAME_BOTH,
    VOWELS,
)


def singularise(word: str) -> str:
    """The singular of an English noun (hand-written rules, no data files).

    ``films`` → ``film``, ``companies`` → ``company``, ``people`` → ``person``,
    ``species`` → ``species``. Case is kept for the unchanged part; acronyms
    (``GPUs`` → ``GPU``) are handled.
    """
    if not word:
        return word
    low = word.lower()
    if low in INVARIANT_NOUNS or len(low) <= 2:
        return word
    if word.isupper() is False and word[:-1].isupper() and word.endswith("s") and len(word) > 2:
        return word[:-1]  # GPUs, APIs
    if low in IRREGULAR_PLURALS:
        return _match_case(word, IRREGULAR_PLURALS[low])
    for plural, single in IRREGULAR_PLURALS.items():
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
    if not low or low in SAME_BOTH:
        return word
    if low.endswith("is") and len(low) > 3:
        return word[:-2] + "es"
    inverse = PLURALS_BY_SINGULAR
    if low in inverse:
        return _match_case(word, inverse[low])
    if low.endswith("man") and low not in ("human", "german", "roman", "shaman", "caiman"):
        return word[:-3] + "men"
    if low.endswith("y") and len(low) > 1 and low[-2] not in VOWELS:
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
    if len(v) < 3 or v[-1] in "aeiouwxy" or v[-2] not in VOWELS or v[-3] in VOWELS:
        return v in DOUBLING
    if v[-3:-1] == "qu":  # "quit": the u is part of the consonant
        return True
    return _syllables(v) == 1 or v in DOUBLING


def third_person(verb: str) -> str:
    """``direct`` → ``directs``, ``have`` → ``has``, ``carry`` → ``carries``."""
    v = verb.lower()
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if v in special:
        return special[v]
    if v.endswith(("s", "x", "z", "ch", "sh")) or (v.endswith("o") and not v.endswith("oo")):
        return verb + "es"
    if v.endswith("y") and len(v) > 1 and v[-2] not in VOWELS:
        return verb[:-1] + "ies"
    return verb + "s"


def past_tense(verb: str) -> str:
    """``direct`` → ``directed``, ``eat`` → ``ate``, ``stop`` → ``stopped``."""
    v = verb.lower()
    if v in IRREGULAR:
        return IRREGULAR[v][0] if v != "be" else "was"
    return _regular_ed(verb)


def past_participle(verb: str) -> str:
    """``direct`` → ``directed``, ``eat`` → ``eaten``, ``write`` → ``written``."""
    v = verb.lower()
    if v in IRREGULAR:
        return IRREGULAR[v][1]
    return _regular_ed(verb)


def _regular_ed(verb: str) -> str:
    v = verb.lower()
    if v.endswith("e"):
        return verb + "d"
    if v.endswith("y") and len(v) > 1 and v[-2] not in VOWELS:
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
    if s in NO_E:
        return s
    if s in ADD_E:
        return s + "e"
    if len(s) >= 3 and s[-1] == s[-2] and s[-1] in "bdgmnprtvz":
        return s[:-1]
    if s.endswith("ll"):
        return s[:-1] if s in LL_UNDOUBLE else s
    if s.endswith("ck") and s[:-1].endswith("ic") and len(s) > 5:  # panicked, trafficked
        return s[:-1]
    last = s[-1]
    prev = s[-2] if len(s) > 1 else ""
    before = s[-3] if len(s) > 2 else ""
    # a single vowel (y counts between consonants) before the last consonant: "locat", not "treat"
    single_v = (prev in VOWELS or prev == "y") and before not in VOWELS
    return _restore_final_e(s, suffix, last, prev, single_v)


def _restore_final_e(s: str, suffix: str, last: str, prev: str, single_v: bool) -> str:
    """The stem with the ``e`` its base form ends in, if it has one (by its last letters)."""
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
    if last in "nlrdt":
        return _restore_after_nlrdt(s, last, prev, single_v)
    return s


def _restore_after_nlrdt(s: str, last: str, prev: str, single_v: bool) -> str:
    """:func:`_restore_final_e` for stems ending in n, l, r, d or t."""
    if last == "n":
        if s.endswith("ion") or not single_v:
            return s
        if prev == "e" or prev == "a":
            return s
        if prev == "o":
            return s + "e" if len(s) <= 5 else s
        return s + "e"
    if last == "l":
        if prev not in VOWELS and prev != "y":
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
    if w in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[w]
    if w in IRREGULAR or len(w) <= 3:
        return w
    if w.endswith("ied"):
        return w[:-1] if len(w) == 4 else w[:-3] + "y"  # died / carried
    if w.endswith("ed") and not w.endswith("eed"):
        return _restore_stem(w[:-2], "ed")
    if w.endswith("eed") and w in EED_PAST:
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


def verb_forms(lemma: str) -> tuple[str, str, str, str, str]:
    """``(base, third person, past, past participle, gerund)`` of a verb."""
    return (lemma, third_person(lemma), past_tense(lemma), past_participle(lemma), gerund(lemma))
