"""Question family *is*: yes/no questions with "is/are": subclass tests, adjectives, passives, existence."""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX_BE, DETERMINERS, KIND_WORDS, NEG, PREPS
from ...morphology import singularise
from ...word_classes import _is_adjective, _is_participle
from ..builders import _B, _bool_prop, _first, _has_prop
from ..chunker import _NP, _low, _np, _nps, _strip_tail
from ..clauses import _ABLE_TO, _able_to, _clause_subject
from ..model import ParsedCQ
from ..registry import cq_pattern
from .yes_no import _existence, _split_points


@cq_pattern(priority=90)
def _p_is(text: str, toks: list[str]) -> ParsedCQ | None:
    """Yes/no questions with "is/are": subclass tests, adjectives, passives, existence."""
    low = _low(toks)
    if len(toks) < 3 or low[0] not in AUX_BE:
        return None
    end = _strip_tail(low, ("or", "not"))
    toks, low = toks[:end], low[:end]
    # "Is the software still maintained?": an adverb before the participle or adjective says nothing about it
    keep = [k for k in range(len(toks)) if not (k > 1 and low[k] in ("still", "also", "currently", "actively",
                                                                        "already", "now", "really", "always"))]
    toks, low = [toks[k] for k in keep], [low[k] for k in keep]
    if low[1] == "there":
        return _existence(text, toks[2:])
    if low[1:4] == ["it", "possible", "to"]:
        # "Is it possible to run the software on a cloud?" asks what "Can I run the software on a cloud?" asks
        from .first_person import _p_first_person

        return _p_first_person(text, ["can", "I", *toks[4:]]) if len(toks) > 5 else None
    for j in range(2, len(low) - 2):
        if low[j] in _ABLE_TO and low[j + 1] == "to":  # "Is the software able to read a format?"
            subj = _nps(toks[1:j])
            if subj:
                b = _B(text, "is_able")
                return _able_to(b, b.np(subj), toks[j + 2:], False, answer="boolean")
    # "Is a lion a kind of animal?"
    matched, kind_of = _is_kind_of(text, toks, low)
    if matched:
        return kind_of
    r = _is_passive(text, toks, low)
    if r is not None:
        return r
    if any(w in NEG for w in low):
        return None  # "Are solutions never emulsions?": disjointness is not supported
    return _is_a(text, toks, low)


def _is_kind_of(text: str, toks: list[str], low: list[str]) -> tuple[bool, ParsedCQ | None]:
    """``Is a lion a kind of animal?``: whether the question has this shape, and its reading."""
    for k in range(2, len(low) - 1):
        if low[k] in KIND_WORDS | {"example", "instance", "member", "part"} and low[k + 1] == "of" and (
                low[k] != "part" or low[k - 1] in ("a", "an")):
            if low[k] == "part":
                return True, None  # parthood is not subsumption
            j = k - 1 if low[k - 1] in ("a", "an") else k
            x = _nps(toks[1:j])
            y = _np(toks[k + 2:], class_slot=True)
            if not x or y is None or y.ref is None:
                return True, None
            b = _B(text, "is_kind_of")
            b.np(x)
            b.cls(y.ref)
            for xi in x:
                if xi.ref is not None:
                    b.link(xi.ref.name, y.ref.name)
            return True, b.done("boolean", y.ref.name)
    return False, None


def _is_passive(text: str, toks: list[str], low: list[str]) -> ParsedCQ | None:
    """Passive / adjective + preposition: ``Is a film directed by a director?``, ``Is it compatible
    with X?``."""
    for j in range(2, len(toks)):
        if _is_participle(low[j], after_be=True) or (_is_adjective(low[j]) and j + 1 < len(low)
                                                        and low[j + 1] in PREPS):
            subj = _nps(toks[1:j])
            if not subj:
                continue
            r = _clause_subject(text, "is_passive", subj, [toks[0], *toks[j:]], 0)
            if r is not None:
                return replace(r, answer="boolean")
    return None


def _is_a(text: str, toks: list[str], low: list[str]) -> ParsedCQ | None:
    """``Is a lion a herbivore?``, ``Are lions animals?``, ``Is it extensible?``, ``Is it open source?``."""
    if len(toks) > 3 and _is_adjective(low[-1]) and low[-2] not in ("a", "an", "the"):
        # "Is the source code of the software available?": the whole phrase before the adjective is the subject
        x = _nps(toks[1:-1])
        if x and all(xi.ref is not None or xi.entity for xi in x):
            b = _B(text, "is_adjective")
            dom = b.np(x)
            b.prop(_bool_prop(low[-1], dom))
            return b.done("boolean", dom[0] if dom else None, "domain")
    for j in _split_points(low):
        x = _nps(toks[1:j])
        if not x:
            continue
        groups = _adjective_groups(x, low[j:])
        if groups:
            b = _B(text, "is_adjective")
            dom = b.np(x)
            for g in groups:
                b.prop(_bool_prop(g, dom))
            return b.done("boolean", dom[0] if dom else None, "domain")
        ys = _nps(toks[j:], class_slot=True)
        if not ys or any(y.ref is None for y in ys):
            continue
        if len(ys) == 1 and ys[0].of and ys[0].ref is not None:
            # "Is a lion a predator of a zebra?" → hasPredator (Zebra → Lion), as "Which animals are predators
            # of a zebra?" reads; a role of its owner, not only a class Predator
            if any(o.ref is None and not o.entity for o in ys[0].of):
                return None
            b = _B(text, "is_role_of")
            dom = b.np(x)
            if not dom:
                b.cls(ys[0].ref)  # "Is Ridley Scott the director of a film?": the role is the range
            b.prop(_has_prop(ys[0].ref, b.np(ys[0].of), dom or None))
            return b.done("boolean", None, None)
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
                elif len(ys) == 1 or "or" not in low[j:]:
                    b.link(xi.ref.name, y.ref.name)  # type: ignore[union-attr]
        return b.done("boolean", _first(ys))
    return None


def _adjective_groups(x: list[_NP], ylow: list[str]) -> list[str]:
    """The adjectives asked about: ``Is it free or open?``; ``Is it open source?`` (a bare
    singular phrase about a thing)."""
    groups: list[str] = []
    if all(_is_adjective(w) or w in ("or", "and") for w in ylow):
        groups = [w for w in ylow if w not in ("or", "and")]  # "Is it free or open?"
    elif (len(ylow) >= 2 and not any(w in DETERMINERS or w in PREPS for w in ylow) and _is_adjective(ylow[0])
          and singularise(ylow[-1]) == ylow[-1] and all(xi.specific for xi in x)):
        groups = [" ".join(ylow)]  # "Is it open source?": a bare singular phrase about a thing
    return groups
