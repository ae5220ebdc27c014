"""Counts and articles in messages: "1 CQ", "2 data properties", "an Actor" (one place, so every view agrees)."""

from __future__ import annotations

__all__ = ["a", "count"]

_IRREGULAR = {"property": "properties", "entity": "entities", "query": "queries", "CQ": "CQs", "class": "classes",
              "is": "are", "was": "were", "this": "these"}
_VOWEL_SOUND_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once")  # "a university", "a user", "a one-off"
_SILENT_H = ("hour", "honest", "honour", "honor", "heir")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun`` in the right number: ``count(1, "CQ")`` → "1 CQ", ``count(2, "data property")`` →
    "2 data properties"."""
    return f"{n:,} {noun if n == 1 else (plural or _plural(noun))}"


def _plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    word = _IRREGULAR.get(last)
    if word is None:
        if last.endswith(("s", "x", "ch", "sh")):
            word = last + "es"
        elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
            word = last[:-1] + "ies"
        else:
            word = last + "s"
    return f"{head} {word}" if head else word


def a(word: str) -> str:
    """``word`` with its indefinite article: "a Film", "an Actor", "an hour", "a University"."""
    low = word.strip().lower()
    vowel = low[:1] in ("a", "e", "i", "o", "u") and not low.startswith(_VOWEL_SOUND_EXCEPTIONS)
    vowel = vowel or low.startswith(_SILENT_H)
    return f"{'an' if vowel else 'a'} {word}"
