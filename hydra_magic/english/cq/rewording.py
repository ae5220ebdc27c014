"""A rewording of an unread question that the reader does read, built from the question's own words.

The ``unparsed_cq`` hint offers it instead of a stock example: "How does an animal eat a plant?" → "Does an
animal eat a plant?"; "How do I use a tool to analyse data?" → "Which tool analyses data?"; "List the tools of a
lab for a project?" → "List the tools of a lab?" (and the qualifier asked on its own). A rewording is offered
only when :func:`~.parse.parse_cq` reads it, so the hint never suggests a question that fails in turn; it is a
suggestion to the user, never read in the question's place.
"""

from __future__ import annotations

from typing import Sequence

from ..lexicon import DETERMINERS
from ..morphology import third_person, verb_lemma
from .parse import parse_cq

__all__ = ["rewording"]

_ASKER = frozenset("i we you one".split())
_MANNER_AUX = frozenset("do does did can could should is are was were".split())
_ACQUIRE = frozenset("get obtain download buy acquire".split())


def rewording(toks: Sequence[str]) -> str | None:
    """The first candidate rewording of ``toks`` that the reader reads, or ``None``."""
    for candidate in _candidates([t for t in toks if t not in ("?", ".")]):
        if parse_cq(candidate) is not None:
            return candidate
    return None


def _sentence(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "?"


def _candidates(toks: list[str]) -> list[str]:
    low = [t.lower() for t in toks]
    if low[:3] == ["to", "what", "extent"] and len(low) > 5:
        return [_sentence(toks[3:])]  # "To what extent does X V Y?" → "Does X V Y?"
    if low[:1] == ["how"] and len(low) > 3 and low[1] == "well" and low[2] in _MANNER_AUX:
        return [_sentence(toks[2:])]
    if low[:1] == ["how"] and len(low) > 3 and low[1] in _MANNER_AUX:
        if low[2] in _ASKER:
            return _first_person(toks[3:])
        return [_sentence(toks[1:])]  # "How does an animal eat a plant?" → whether it does
    if low[:1] == ["do"] and low[1:3] in (["i", "know"], ["we", "know"]) and low[3:4] in (["anyone"], ["someone"],
                                                                                     ["anybody"], ["somebody"]):
        return [_sentence(["Who", *toks[5:]])] if low[4:5] == ["who"] else []  # "Do I know anyone who V …?"
    if low[:2] in (["in", "which"], ["in", "what"]) and low[3:4] in (["are"], ["is"]) and "in" in low[5:]:
        # "In which habitats are animals in a country?" → one relation of the three: "Which animals are in …?"
        k = low.index("in", 5)
        return [_sentence(["Which", *toks[4:k], toks[3], *toks[k:]])]
    return _without_last_qualifier(toks, low)


def _first_person(after: list[str]) -> list[str]:
    """``use a tool to analyse data`` → "Which tool analyses data?" (the tool does the verb); ``get a plugin`` →
    "Where can I get a plugin?"; ``eat an animal`` → "What is needed to eat an animal?"."""
    low = [t.lower() for t in after]
    out: list[str] = []
    if low[:1] and low[0] in _ACQUIRE:
        out.append(_sentence(["Where", "can", "I", *after]))  # "How do I get X?": where X is available from
    if low[:1] == ["use"] and "to" in low[2:]:
        t = low.index("to", 2)
        tool = [w for w in after[1:t] if w.lower() not in DETERMINERS]
        if tool and t + 2 < len(after):
            out.append(_sentence(["Which", *tool, third_person(verb_lemma(low[t + 1])), *after[t + 2:]]))
    if after and low[0].isalpha():
        out.append(_sentence(["What", "is", "needed", "to", *after]))
    return out


def _without_last_qualifier(toks: list[str], low: list[str]) -> list[str]:
    """``List the tools of a lab for a project?`` → "List the tools of a lab?": the question without a qualifier
    that could belong to either noun ("for", "regarding", "with respect to"); the qualifier is asked on its own."""
    for k in range(len(low) - 2, 1, -1):
        if low[k] in ("for", "regarding") or low[k:k + 3] == ["with", "respect", "to"]:
            if "of" in low[:k]:
                return [_sentence(toks[:k])]
    return []
