"""Question family *how*: ``How many X …?``, ``How old is a person?``, ``How much does a ticket cost?``."""

from __future__ import annotations

from dataclasses import replace

from ...lexicon import AUX, AUX_BE, AUX_DO, COST_VERBS, FUNCTION, HOW_ADJ, KIND_WORDS, MODALS, QUALIFIERS
from ...morphology import gerund, past_participle, verb_lemma
from ...word_classes import _is_adjective, _is_known_attribute
from ..builders import _B, _camel, _count_prop, _data_prop, _event_prop, _has_prop, _verb_prop
from ..chunker import _low, _np, _nps, _strip_tail
from ..model import ClassRef, ParsedCQ, PropertyReq
from ..registry import cq_pattern
from ..words import is_counted_quantity
from .kinds import _p_kinds
from .when import _event
from .which import _p_which


@cq_pattern(priority=10)
def _p_how(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How many X …?``, ``How old is a person?``, ``How much does a ticket cost?``."""
    low = _low(toks)
    if len(toks) < 3 or low[0] != "how":
        return None
    if low[1] == "many":
        return _how_many(text, toks[2:])
    if low[1] in HOW_ADJ and low[2] in AUX_BE:
        x = _nps(toks[3:])
        if not x:
            return None
        attr, dt = HOW_ADJ[low[1]]
        b = _B(text, "how_adjective")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
        return b.done("value", None, "range")
    degree = _degree_of_doing(text, toks)
    if degree is not None:
        return degree
    if low[2] in AUX_BE and _is_adjective(low[1]) and low[1] not in HOW_ADJ:
        # "How reliable is a tool?" → reliability (a degree: float)
        x = _nps(toks[3:])
        if not x:
            return None
        b = _B(text, "how_adjective")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(_adjective_noun(low[1])), dom, "float"))
        return b.done("value", None, "range")
    if low[1] in ("much", "long") and low[2] in AUX_DO | MODALS and low[-1] in COST_VERBS:
        x = _nps(toks[3:-1])
        if not x:
            return None
        attr, dt = COST_VERBS[low[-1]]
        b = _B(text, "how_much")
        dom = b.np(x)
        b.prop(_data_prop(ClassRef.from_label(attr), dom, dt))
        return b.done("value", None, "range")
    if low[1] == "long" and low[2] in AUX_DO | MODALS and len(toks) > 4:
        return _how_long(text, toks)
    if low[1] == "much" and low[2] not in AUX and len(toks) > 5:
        return _how_much_in(text, toks) or _how_much_of(text, toks)
    if low[1] == "often" and low[2] in AUX and len(toks) > 4:
        # "How often is the software updated?" → updateFrequency (Software → string: "daily", "twice a year")
        r = _event(text, "how_often", toks, 2, "frequency", "string")
        return replace(r, answer="value") if r is not None else None
    return None


def _how_much_of(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How much memory does the software need?`` → ``amountOfMemoryNeeded`` (Software → float): an amount,
    never a class Memory to count."""
    low = _low(toks)
    a = next((i for i in range(3, len(low) - 2) if low[i] in AUX_DO | MODALS), -1)
    verb = low[-1]
    if a < 0 or not verb.isalpha() or verb_lemma(verb) != verb or verb in FUNCTION:
        return None
    unit = _np(toks[2:a], class_slot=True)
    owner = _nps(toks[a + 1:-1])
    if unit is None or unit.ref is None or unit.of or not owner or any(o.ref is None for o in owner):
        return None
    b = _B(text, "how_much_of")
    dom = b.np(owner)
    label = f"amount of {unit.ref.label} {past_participle(verb)}"
    b.prop(PropertyReq(_camel(label), "data", dom, ("float",), label,
                       (f"{unit.ref.label} {past_participle(verb)}", f"{past_participle(verb)} {unit.ref.label}")))
    return b.done("value", None, "range")


def _how_much_in(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How much water is in a mixture?`` → ``amountOfWater`` (Mixture → float): an amount of a substance in its
    container, never a class Water to count."""
    low = _low(toks)
    a = next((i for i in range(3, len(low) - 2) if low[i] in ("is", "are")), -1)
    at = a + 2 if a > 0 and low[a + 1] == "there" else a + 1  # "How much sugar is there in a drink?"
    if a < 0 or at >= len(low) - 1 or low[at] not in ("in", "within"):
        return None
    unit = _np(toks[2:a], class_slot=True)
    owner = _nps(toks[at + 1:])
    if unit is None or unit.ref is None or unit.of or not owner or any(o.ref is None for o in owner):
        return None
    b = _B(text, "how_much_in")
    dom = b.np(owner)
    label = f"amount of {unit.ref.label}"
    b.prop(PropertyReq(_camel(label), "data", dom, ("float",), label, (f"{unit.ref.label} content",)))
    return b.done("value", None, "range")


def _how_long(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How long does a migration last?`` is a cost verb (``duration``); ``How long does an animal sleep?`` →
    ``sleepDuration`` (Animal → float): the duration of the verb's event, the verb being the last word."""
    verb = toks[-1].lower()
    if not verb.isalpha() or verb_lemma(verb) != verb or verb in COMMON_NOUN_ENDINGS or verb in FUNCTION:
        return None
    x = _nps(toks[3:-1])
    if not x or any(e.ref is None for e in x):
        return None
    b = _B(text, "how_long")
    dom = b.np(x)
    b.prop(_event_prop(verb, past_participle(verb), dom, "duration", "float"))
    return b.done("value", None, "range")


#: Words that end a "How long does X …" question but are no verbs ("How long does a film's running time").
COMMON_NOUN_ENDINGS = frozenset("time period duration".split())


#: The degree nouns of adjectives said of doing something ("easy to use": ease of use).
_DOING_DEGREE = {"easy": "ease", "hard": "difficulty", "difficult": "difficulty", "simple": "simplicity"}


def _degree_of_doing(text: str, toks: list[str]) -> ParsedCQ | None:
    """``How easy is the software to use?``, ``How easy to use is the software?``, ``How easy is it to install
    the software?`` → ``easeOfUse`` / ``easeOfInstalling`` (Software → float): a degree of the thing for an
    activity, an attribute as "How reliable is a tool?" reads; "… for a habitat" (for whom) is not read."""
    low = _low(toks)
    adj = low[1]
    if len(low) < 6 or not (adj in _DOING_DEGREE or _is_adjective(adj)) or adj in HOW_ADJ:
        return None
    if low[2] == "to" and low[4] in AUX_BE:
        verb, thing = low[3], toks[5:]  # "How easy to use is the software?"
    elif low[2] in AUX_BE and low[-2] == "to" and low[3] != "it":
        verb, thing = low[-1], toks[3:-2]  # "How easy is the software to use?"
    elif low[2] in AUX_BE and low[3:5] == ["it", "to"] and len(low) > 6:
        verb, thing = low[5], toks[6:]  # "How easy is it to install the software?"
    else:
        return None
    x = _nps(thing)
    if not verb.isalpha() or verb in FUNCTION or verb_lemma(verb) != verb or not x or any(o.ref is None for o in x):
        return None
    b = _B(text, "how_adjective")
    dom = b.np(x)
    noun = _DOING_DEGREE.get(adj) or _adjective_noun(adj)
    b.prop(_data_prop(ClassRef.from_label(f"{noun} of {verb if verb == 'use' else gerund(verb)}"), dom, "float"))
    return b.done("value", None, "range")


def _adjective_noun(adj: str) -> str:
    """``reliable`` → ``reliability``, ``popular`` → ``popularity``, ``toxic`` → ``toxicity``."""
    special = {"active": "activity", "free": "freedom", "safe": "safety", "true": "truth", "wide": "width",
               "strong": "strength", "stable": "stability", "warm": "warmth", "high": "height", "long": "length",
               "deep": "depth"}
    if adj in special:
        return special[adj]
    for suf, rep_ in (("able", "ability"), ("ible", "ibility"), ("ic", "icity"), ("ar", "arity"),
                      ("al", "ality"), ("ent", "ence"), ("ant", "ance"), ("ous", "ousness"), ("ive", "iveness")):
        if adj.endswith(suf) and len(adj) > len(suf) + 2:
            return adj[: -len(suf)] + rep_
    if adj.endswith("y") and len(adj) > 3:
        return adj[:-1] + "iness"
    return adj + "ness"


def _how_many(text: str, rest: list[str]) -> ParsedCQ | None:
    rlow = _low(rest)
    k = 1 if rlow[:1] and rlow[0] in QUALIFIERS else 0  # "How many different types of …"
    if len(rlow) > k + 2 and rlow[k] in KIND_WORDS and rlow[k + 1] == "of":
        return _kinds_counted(_p_kinds(text, ["What", *rest]))
    for a in range(1, len(rlow) - 2):
        if rlow[a] in ("are", "is"):
            b_ = a + 2 if rlow[a + 1] == "there" else a + 1
            if b_ < len(rlow) - 1 and rlow[b_] in ("in", "within", "on"):
                # "How many players are (there) in a team?" asks "How many players does a team have?"
                if _np(rest[:a], class_slot=True) is None or not _nps(rest[b_ + 1:]):
                    return None
                r = _how_many(text, [*rest[:a], "does", *rest[b_ + 1:], "have"])
                return replace(r, text=text) if r is not None else None
            break
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
        if rlow[a] in AUX_DO | MODALS and rlow[-1] in ("have", "has", "contain", "include"):
            unit = _np(rest[:a], class_slot=True)
            owner = _nps(rest[a + 1:-1])
            if unit is None or unit.ref is None or not owner:
                break
            head = unit.ref.label.split()[-1].lower()
            b = _B(text, "how_many_have")
            dom = b.np(owner)
            if is_counted_quantity(head) or _is_known_attribute([head]):
                # the number is the answer: read it, do not count values
                b.prop(_count_prop(unit.ref, dom))
                return b.done("value", None, "range")
            b.cls(unit.ref)
            if rlow[-1] in ("have", "has"):
                b.prop(_has_prop(unit.ref, dom))
            else:
                b.prop(_verb_prop(rlow[-1] if rlow[-1] != "has" else "have", "", dom, (unit.ref.name,)))
            return b.done("count", unit.ref.name, "range", aggregate="count")
    r = _p_which(text, ["which", *rest])
    if r is None:
        return None
    counted = _counted_by_verb(r)
    if counted is not None:
        return counted
    return replace(r, pattern="how_many_" + r.pattern.replace("which_", ""), answer="count", aggregate="count")


def _kinds_counted(r: ParsedCQ | None) -> ParsedCQ | None:
    """``How many types of animals eat plants?`` counts kinds of animal (subclasses), not animals: it is read as
    "What types of animals eat plants?" (the family *kinds*), the kinds asked for, their number being the length
    of that list."""
    if r is None or r.answer != "subclasses":
        return None
    return replace(r, pattern="how_many_" + r.pattern, text=r.text)


def _counted_by_verb(r: ParsedCQ) -> ParsedCQ | None:
    """``How many goals did a player score?``: a counted quantity (goals, pages, employees) is a number on the
    agent, ``numberOfGoalsScored`` (Player → integer), not a class Goal to count."""
    p = r.property
    if r.pattern != "which_object" or p is None or p.kind != "object" or r.negated or not r.answer_class:
        return None
    unit = next((c for c in r.classes if c.name == r.answer_class), None)
    if unit is None or not is_counted_quantity(unit.label.split()[-1]) or len(r.properties) > 1:
        return None
    verb = p.label.split()[0] if p.label else ""
    participle = past_participle(verb_lemma(verb)) if verb else ""
    counted = _count_prop(unit, p.domain, participle)
    classes = tuple(c for c in r.classes if c.name != unit.name)
    return replace(r, pattern="how_many_value", classes=classes, properties=(counted,), answer="value",
                   answer_class=None, focus="range", aggregate=None)
