"""Question family *kinds*: ``What types of X are there?``, ``What kind of X is Y?``, ``What are the main
types of X?``.
"""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX, AUX_BE, COMMON_VERBS, DETERMINERS, KIND_WORDS, PREPS, QUALIFIERS
from ...morphology import verb_lemma
from ...word_classes import _is_adjective, _is_participle, _is_third_person
from ..builders import _B
from ..chunker import _low, _np, _nps, _strip_tail
from ..model import ParsedCQ
from ..registry import cq_pattern
from ..relative import as_question
from .first_person import _p_first_person
from .which import _p_which


#: "What types of X are described?": the kinds the ontology lists, as "are there" (BigCQ's wording).
_LISTED = tuple((be, verb) for be in ("are", "is") for verb in
                "proposed described defined distinguished specified available recognised recognized".split())


@cq_pattern(priority=50)
def _p_kinds(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What types of X are there?``, ``What kind of X is Y?``, ``What are the main types of X?``."""
    low = _low(toks)
    if not toks or low[0] not in ("which", "what"):
        return None
    if low[1:3] in (["are", "the"], ["is", "the"]) or (low[1:2] == ["are"] and len(low) > 2 and low[2] in KIND_WORDS):
        return _what_are_the_kinds(text, toks, low)
    if len(low) > 4 and low[1] in QUALIFIERS and low[2] in KIND_WORDS:
        toks, low = [toks[0], *toks[2:]], [low[0], *low[2:]]  # "What main categories of plants …?"
    if not (len(low) > 3 and low[1] in KIND_WORDS and low[2] == "of"):
        return None
    rest = toks[3:]
    rlow = _low(rest)
    end = _strip_tail(rlow, ("are", "there"), ("is", "there"), ("exist",), ("are", "known"), ("there", "are"),
                      *_LISTED)
    if end < len(rlow):
        x = _np(rest[:end], class_slot=True)
        if x is None or x.ref is None:
            return None
        b = _B(text, "kinds_of")
        b.cls(x.ref)
        return b.done("subclasses", x.ref.name)
    r = _kind_of_x_is_y(text, rest, rlow)
    if r is not None:
        return r
    if not any(w in AUX for w in rlow) and _is_base_verb(rlow[-1]):
        # "What kind of objects (do) animals eat?": the "do" left out, as BigCQ's templates often do
        r = _kinds_in_clause(text, rest)
        if r is not None:
            return r
    # "What types of animals eat plants?", "What kinds of tasks can I perform with the software?"
    r = _p_first_person(text, [toks[0], *rest]) or _p_which(text, [toks[0], *rest])
    if r is not None:
        return replace(r, answer="subclasses", pattern="kinds_" + r.pattern)
    return None


def _what_are_the_kinds(text: str, toks: list[str], low: list[str]) -> ParsedCQ | None:
    """``What are the main types of X?``, ``What are kinds of X?``."""
    i = 3 if low[2] == "the" else 2
    while i < len(low) and low[i] in QUALIFIERS:
        i += 1
    if i + 1 < len(low) and low[i] in KIND_WORDS and low[i + 1] == "of":
        x = _np(toks[i + 2:], class_slot=True)
        if x is None:
            return _kinds_acted_on(text, toks[i + 2:]) or _kinds_in_clause(text, toks[i + 2:])
        if x.ref is None:
            return None
        b = _B(text, "kinds_of")
        b.cls(x.ref)
        return b.done("subclasses", x.ref.name)
    return None


def _kind_of_x_is_y(text: str, rest: list[str], rlow: list[str]) -> ParsedCQ | None:
    """``What kind of X is Y?``: Y is below X."""
    for a in range(1, len(rest)):
        if rlow[a] in AUX_BE and a + 1 < len(rest):
            tail = rlow[a + 1:]
            state = _is_participle(tail[0], after_be=True) or _is_adjective(tail[0])
            if state and (len(tail) == 1 or tail[1] in PREPS):
                return None  # "What types of data are collected?": a state of X, read as "which X are collected"
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
    return None


def _kinds_acted_on(text: str, rest: list[str]) -> ParsedCQ | None:
    """``What are the main types of plants (that) an animal eats?``: the kinds of X that the clause's subject
    acts on, read as "Which X does an animal eat?" asking for subclasses."""
    low = _low(rest)
    end = len(low) - (1 if low and low[-1] in PREPS else 0)
    if end < 3 or not _is_third_person(low[end - 1]):
        return None
    for j in range(1, end - 1):
        if low[j] in ("a", "an", "the", "that", "which"):
            start = j + 1 if low[j] in ("that", "which") else j
            if start >= end - 1:
                return None
            toks = ["which", *rest[:j], "does", *rest[start:end - 1], verb_lemma(low[end - 1]), *rest[end:]]
            r = _p_which(text, toks)
            if r is None or r.pattern != "which_object":
                return None
            return replace(r, answer="subclasses", pattern="kinds_" + r.pattern)
    return None


def _is_base_verb(word: str) -> bool:
    return word in COMMON_VERBS and verb_lemma(word) == word


def _kinds_in_clause(text: str, rest: list[str]) -> ParsedCQ | None:
    """``What are the types of data (that) a tool can read?``, ``… of animals that eat plants?``: the kinds of
    X the relative clause states, read as "Which X can a tool read?" / "Which X eat plants?" asking for
    subclasses."""
    low = _low(rest)
    for j in range(1, len(rest) - 1):
        if low[j - 1] in DETERMINERS:
            continue
        x = _np(rest[:j], class_slot=True)
        if x is None or x.ref is None:
            continue
        words = as_question(rest[:j], rest[j:])
        r = _p_which(text, ["which", *words]) if words is not None else None
        if r is not None and r.pattern in ("which_object", "which_subject") and r.answer == "entities":
            return replace(r, answer="subclasses", pattern="kinds_" + r.pattern)
        return None
    return None
