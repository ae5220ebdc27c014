"""Packaged synonym tables for the CQ reader: nouns that name one class, verbs that say the same with the
same noun.

A synonym CQ ("Which prizes did a film win?" beside "Which awards did a film receive?") must not add a
class ``Prize`` beside ``Award`` nor a property ``writesMusicFor`` beside ``composesMusicFor``: the facts
would be split between two names and the extractor would read the text's word as the new one (synonym CQs
on the prose dev set: precision 0.99 -> 0.97 from these two alone).

The tables are general English, not tied to one text, and kept small on purpose: a noun is listed only where
its senses coincide in the domains the CQs cover ("firm" is a company, "movie" a film); a word that is
also a narrower kind ("medicine" the field, "state" a province) stays out.
"""

from __future__ import annotations

from ...iri import normalise_label
from ..morphology import singularise, verb_lemma

__all__ = ["CLASS_SYNONYMS", "PHRASE_VERB_SYNONYMS", "class_synonyms", "is_other_word", "same_verb_in_phrase"]

#: Groups of singular nouns (or noun phrases) that name the same class, the usual word first: a batch that
#: names both makes the class by the first.
CLASS_SYNONYMS: tuple[tuple[str, ...], ...] = tuple(tuple(g.split("|")) for g in (
    "award|prize",
    "film|movie|motion picture",
    "company|firm|corporation",
    "disease|illness",
    "drug|medication",
    "car|automobile",
    "writer|author",
))

#: Verbs that say the same when the rest of a property label is the same ("write music for" is "compose
#: music for"; "write" alone is not "compose", so this holds only with the same noun after it).
PHRASE_VERB_SYNONYMS: tuple[frozenset[str], ...] = tuple(frozenset(g.split("|")) for g in (
    "compose|write",
    "play|perform",
))


def _singular(label: str) -> str:
    return " ".join(singularise(w) for w in normalise_label(label).split())


def class_synonyms(label: str) -> tuple[str, ...]:
    """The other labels that name the class ``label`` names, the usual word first; ``()`` when none."""
    key = _singular(label)
    return next((tuple(w for w in g if w != key) for g in CLASS_SYNONYMS if key in g), ())


def is_other_word(label: str) -> bool:
    """Whether ``label`` is a listed synonym but not its group's usual word ("prize", not "award")."""
    key = _singular(label)
    return any(key in g[1:] for g in CLASS_SYNONYMS)


def same_verb_in_phrase(a: str, b: str) -> bool:
    """Whether two verb lemmas say the same in a label with the same words after the verb."""
    a, b = verb_lemma(a), verb_lemma(b)
    return a != b and any(a in g and b in g for g in PHRASE_VERB_SYNONYMS)
