"""Question family *what is*: ``What is the X of Y?`` (attribute), ``What is a X?`` (definition), ``Who is the
X of Y?``; ``What X to Y are there?`` as ``What are the X to Y?``.
"""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX_BE, FUNCTION
from ...morphology import singularise
from ...word_classes import _is_adjective, _is_known_attribute, _is_participle
from ..builders import _B, _attribute, _has_prop, _relational
from ..chunker import _NP, _low, _nps
from ..clauses import _clause_subject, _with_relative
from ..model import PERSON, ParsedCQ
from ..registry import cq_pattern
from .which import _object_relative


@cq_pattern(priority=60)
def _p_what_is(text: str, toks: list[str]) -> ParsedCQ | None:
    """``What is the X of Y?`` (attribute), ``What is a X?`` (definition), ``Who is the X of Y?``."""
    low = _low(toks)
    if len(toks) > 5 and low[0] in ("what", "which") and low[1] not in AUX_BE:
        return _role_there(text, toks, low)
    if len(toks) < 3 or low[0] not in ("what", "who", "which") or low[1] not in AUX_BE:
        return None
    rest = toks[2:]
    rlow = _low(rest)
    if rlow[:1] == ["the"] and len(rlow) > 1 and rlow[1] in ("difference", "differences"):
        return _difference(text, rest[2:])
    if low[0] == "what" and rlow[:3] == ["the", "number", "of"] and len(rest) > 5:
        # "What is the number of species in a genus?" asks "How many species are in a genus?"
        k = next((i for i in range(4, len(rlow) - 1) if rlow[i] in ("in", "within", "on")), -1)
        if k > 0:
            from .how import _how_many

            return _how_many(text, [*rest[3:k], "are", *rest[k:]])
    reduced = _reduced_relative(text, rest) if low[0] == "what" else None
    if reduced is not None:
        return reduced
    rel = _relational(rest)
    if rel is not None:
        return _attribute_of(text, low[0], *rel)
    for k, w in enumerate(rlow):
        if w in ("that", "which", "who") and k > 0:
            # "What are animals that have a tail?"
            subj = _nps(rest[:k], class_slot=True)
            if not subj:
                return None
            r = _object_relative(text, rest[:k], rest[k + 1:])  # "What are the plants that an animal eats?"
            if r is not None:
                return replace(r, pattern="what_are_that_object")
            if len(subj) == 1 and subj[0].of:
                # "What is the habitat of an animal that eats a plant?": the clause is about the animal
                owned = _relational(rest[:k])
                main = _attribute_of(text, low[0], *owned) if owned is not None else None
                return _with_relative(main, _clause_subject(text, "what_are_that", [subj[0].of[-1]], rest,
                                                            k + 1)) if main is not None else None
            return _clause_subject(text, "what_are_that", subj, rest, k + 1)
    return _what_is_x(text, low, rlow, _nps(rest, class_slot=low[0] == "which"))


#: Attribute nouns whose values are literals even in the plural ("the minimum and maximum values").
_LITERAL_HEADS = frozenset("value name title label description identifier id code url email comment note keyword "
                           "synonym abbreviation symbol unit".split())


def _attribute_of(text: str, wh: str, attrs: list[_NP], owners: list[_NP], listing: bool = False) -> ParsedCQ | None:
    """``What is the X of Y?`` (an attribute or ``hasX``), ``Who is the X of Y?`` (a role)."""
    b = _B(text, "who_role_of" if wh == "who" else "attribute_of")
    top = b.np(owners)
    for attr in attrs:
        if attr.ref is None:
            return None
        own = top
        if attr.of:
            # "the names of the actors of a film": the name is the actors', the actors the film's
            if any(o.ref is None for o in attr.of):
                return None
            own = b.np(attr.of)
            b.extra.extend(_has_prop(o.ref, top) for o in attr.of if o.ref is not None)
        if wh == "who":
            b.cls(PERSON)
            b.cls(attr.ref)
            b.link(attr.ref.name, PERSON.name, implied=True)
            b.prop(_has_prop(attr.ref, own))
        elif (attr.plural or listing) and not _is_known_attribute(attr.ref.label.split()) \
                and attr.ref.label.split()[-1] not in _LITERAL_HEADS:
            # "What are the inputs of a software?": several things, not one literal value
            b.cls(attr.ref)
            b.prop(_has_prop(attr.ref, own))
        else:
            b.prop(_attribute(b, attr, own))
    first = b.props[0]
    if first.kind == "object":
        return b.done("entities", first.range[0] if first.range else None, "range")
    return b.done("value", None, "range")


def _what_is_x(text: str, low: list[str], rlow: list[str], x: list[_NP] | None) -> ParsedCQ | None:
    """``What is a X?`` (definition), ``Who is X?``, ``Which are X?`` (a list)."""
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
    if len(x[0].words) == 1 and (_is_participle(x[0].words[0]) or _is_adjective(x[0].words[0])):
        return None  # "What is used?": a state, no class to define
    b.np(x)
    if low[0] == "who":
        b.cls(PERSON)
        b.link(x[0].ref.name, PERSON.name, implied=True)
        return b.done("entities", x[0].ref.name)
    if low[0] == "which" or (rlow and rlow[-1] == "there"):
        return None
    return b.done("definition", x[0].ref.name)


def _difference(text: str, rest: list[str]) -> ParsedCQ | None:
    """``What is the difference between a virus and a bacterium?``: the classes to tell apart, each with what
    defines it; no relation is asked for (CLaRO "What is the difference between [EC1] and [EC2]")."""
    if len(rest) < 2 or rest[0].lower() != "between":
        return None
    things = _nps(rest[1:], class_slot=True)
    if not things or any(t.ref is None for t in things):
        return None
    if len(things) == 1 and not things[0].plural and not things[0].of:
        return None  # "between a virus": one thing is no comparison
    b = _B(text, "difference")
    b.np(things)
    return b.done("definition", None)


def _reduced_relative(text: str, rest: list[str]) -> ParsedCQ | None:
    """``What is the algorithm used to process the data?``, ``What are the formats supported by a tool?``: the
    question "Which algorithm is used to process the data?" asks, with a participle after the noun."""
    low = _low(rest)
    if low[:1] != ["the"]:
        return None
    for k in range(2, len(low) - 1):
        if _is_participle(low[k]) and low[k + 1] in ("by", "to", "for", "in", "with", "on"):
            if _nps(rest[1:k], class_slot=True) is None:
                return None
            from .which import _p_which

            r = _p_which(text, ["which", *rest[1:k], "are" if singularise(low[k - 1]) != low[k - 1] else "is",
                                *rest[k:]])
            return replace(r, pattern="what_is_" + r.pattern) if r is not None else None
        if low[k] in FUNCTION:
            return None
    return None


#: The prepositions of a relational noun ("alternatives *to*", "tools *for*"); "of" is read by *what is*.
_ROLE_PREPS = frozenset(["to", "for"])
_THERE = (["are", "there"], ["is", "there"], ["exist"], ["exists"])


def _role_there(text: str, toks: list[str], low: list[str]) -> ParsedCQ | None:
    """``What other alternatives to the software are there?`` asks what ``What are the alternatives to the
    software?`` asks (``hasAlternative``: Software → Alternative), as CLaRO's "What [EC1] to [EC2] are there";
    "exist" reads as "are there". Only a relation between two classes, never a value."""
    tail = next((t for t in _THERE if low[-len(t):] == t), None)
    if tail is None:
        return None
    body = toks[1:len(toks) - len(tail)]
    blow = _low(body)
    if blow[:1] == ["other"]:
        body, blow = body[1:], blow[1:]  # "other alternatives": the same relation
    k = next((i for i, w in enumerate(blow) if w in _ROLE_PREPS), -1)
    if k < 1 or k == len(blow) - 1:
        return None
    r = _p_what_is(text, [toks[0], "are", "the", *body])
    if r is None or r.pattern != "attribute_of" or not r.properties or r.properties[0].kind != "object":
        return None  # only a relation between two classes ("hasAlternative"), never a value
    return replace(r, pattern="role_there")
