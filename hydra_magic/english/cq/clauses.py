"""Clauses shared by the question families: a subject followed by its verb group, an inverted
clause after an auxiliary, possession, value filters.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal, Sequence

from ..lexicon import (AUX, AUX_BE, AUX_HAVE, COMMON_VERBS, DETERMINERS, FUNCTION, KIND_WORDS, PREPS, SUPERLATIVE,
                       TIME_UNITS)
from ..morphology import past_participle, singularise, verb_lemma
from ..word_classes import (
    _is_adjective,
    _is_known_attribute,
    _is_participle,
    _is_verb_form,
    guess_datatype,
)
from .builders import (
    _B,
    _ability_prop,
    _attribute,
    _bool_prop,
    _candidates,
    _count_prop,
    _data_prop,
    _event_prop,
    _has_prop,
    _objects,
    _part_prop,
    _relational,
    _state_prop,
    _verb_prop,
)
from .chunker import _NP, _VG, _low, _np, _nps, _prep_at, _verb_group
from .model import Answer, ClassRef, ParsedCQ, PropertyReq
from .words import is_counted_quantity, is_superlative


def _clause_subject(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int,
                    *, subject_class: ClassRef | None = None) -> ParsedCQ | None:
    """``<subject> <verb group> <object>`` where the question asks for the subject."""
    vg = _verb_group(toks, start)
    if vg is None:
        return None
    b = _B(text, pattern)
    dom = b.cls_or_np(subject_class, subj)
    rest = list(toks[vg.end:])
    neg = vg.negated
    if vg.kind == "active" and len(rest) > 1 and rest[0].lower() == "not":
        rest, neg = rest[1:], True  # "What animal eats not a plant?" (CLaRO "What [EC1] [PC1] not [EC2]")
    if vg.kind in ("copula_np", "copula_adj") and not neg:
        both = _copula_and_verb(text, pattern, subj, toks, start, vg, subject_class)
        if both is not None:
            return both
    if vg.kind == "copula_np":
        return _subject_is_np(b, dom, subj, rest, neg)
    if vg.kind == "copula_adj":
        return _subject_is_adjective(b, dom, vg, rest, neg)
    enabled = _enabled_clause(vg, rest)
    if enabled is not None:
        return _able_to(b, dom, enabled, neg)
    if vg.kind == "active" and vg.lemma in _ENABLING and "to" in _low([vg.prep, *rest]):
        return None  # "allows a plant to grow": a cause between three things, not one relation
    agg = None
    if vg.kind == "active" and len(rest) > 2 and _low(rest[:2]) in (["the", "most"], ["the", "fewest"]):
        agg = "max" if rest[1].lower() == "most" else "min"  # "Which author wrote the most books?"
        rest = rest[2:]
    purpose = _passive_purpose(b, dom, vg, rest, neg)
    if purpose is not None:
        return purpose
    shared = _shared_object(b, dom, vg, rest)
    if shared:
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    relative = _object_relative_clause(text, pattern, subj, toks, start, vg, rest, subject_class)
    if relative is not None:
        return relative
    if vg.kind == "active" and _parallel_verb_at(vg, list(toks)) is not None:
        # "Which animals eat plants and hunt animals?": two verb phrases, not an object "hunt animals"
        return _coordinated(text, pattern, subj, toks, start, vg, subject_class)
    objs = _objects(rest)
    if objs and any(o.det in ("no", "neither") for o in objs):
        neg = True  # "Which animals eat no plants?"
    if vg.kind == "active" and not vg.prep and vg.lemma not in ("be", "have") and (
            objs is None or _role_of(objs) is not None):
        r = _verb_object_pp(b, dom, vg, rest, neg, agg)
        if r is not None:
            return r
    if objs is None:
        return _coordinated(text, pattern, subj, toks, start, vg, subject_class)
    if vg.kind == "passive":
        return _subject_passive(b, dom, vg, objs, neg)
    return _subject_active(b, dom, vg, objs, neg, agg)


#: Relative pronouns that open a clause about the object before them.
_RELATIVE = frozenset(("that", "which", "who"))


def _object_relative_clause(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int,
                            vg: _VG, rest: list[str], subject_class: ClassRef | None) -> ParsedCQ | None:
    """``What animal eats a plant that grows in a habitat?``: the clause after "that"/"which" says something of
    the object before it (``growsIn``: Plant → Habitat), next to the main relation (``eats``: Animal → Plant).
    The relative pronoun must be followed by a verb group of its own; the last object is its subject."""
    if vg.kind not in ("active", "passive"):
        return None
    low = _low(rest)
    j = next((i for i in range(1, len(low) - 1) if low[i] in _RELATIVE), -1)
    if j < 0 or any(w in _RELATIVE for w in low[j + 1:]):
        return None
    objs = _nps(rest[:j])
    if not objs or any(o.ref is None for o in objs):
        return None
    inner = _verb_group(rest, j + 1)
    if inner is None or (inner.kind == "copula_np" and low[inner.end:inner.end + 1] != ["in"]):
        return None  # "a habitat that is in a country" is a place; "a plant that is a tree" is not read here
    main = _clause_subject(text, pattern, subj, list(toks[:vg.end + j]), start, subject_class=subject_class)
    if main is None or not main.properties or main.negated:
        return None
    return _with_relative(main, _clause_subject(text, pattern, [objs[-1]], rest, j + 1))


def _with_relative(main: ParsedCQ, sub: ParsedCQ | None) -> ParsedCQ | None:
    """``main`` with what a relative clause about one of its nouns (``sub``) adds: its classes, properties and
    links; ``None`` when the clause has no relation of its own or one this reading cannot keep."""
    if sub is None or not sub.properties or sub.aggregate or sub.parts or sub.negated or sub.subclass_links:
        return None  # a negated clause ("a plant that is not poisonous") or a class ("that is a tree"): not read
    classes = main.classes + tuple(c for c in sub.classes if all(c.name != k.name for k in main.classes))
    props = main.properties + tuple(p for p in sub.properties if p not in main.properties)
    return replace(main, classes=classes, properties=props,
                   subclass_links=main.subclass_links + sub.subclass_links,
                   entities=tuple(dict.fromkeys(main.entities + sub.entities)))


#: "X is used to V Y" means X Vs Y; "X is needed to V Y" means Y requires X.
_USED_FOR = frozenset("use employ apply design intend develop build make create".split())
#: "X is able/available/suitable to V Y" means X Vs Y.
_ABLE_TO = frozenset("able available suitable designed intended meant capable".split())
_NEEDED_FOR = frozenset("need require".split())


def _passive_purpose(b: _B, dom: tuple[str, ...], vg: _VG, rest: list[str], neg: bool) -> ParsedCQ | None:
    """``Which software is used to analyse data?`` → ``analyses`` (Software → Data); ``What hardware is required
    to run a tool?`` → ``requires`` (Tool → Hardware). The verb after "to" is the relation; never a class
    ``AnalyseData``."""
    if vg.kind != "passive" or vg.prep != "to" or vg.lemma not in _USED_FOR | _NEEDED_FOR or len(rest) < 2:
        return None
    low = _low(rest)
    verb = low[0]
    if not re.fullmatch(r"[a-z]+", verb) or verb_lemma(verb) != verb or verb in FUNCTION or (
            singularise(verb) != verb and verb not in COMMON_VERBS):
        return None
    prep, end = _prep_at(low, 1)
    objs = _objects(rest[end:])
    if not objs or any(o.ref is None and not o.entity for o in objs):
        return None
    if vg.lemma in _USED_FOR:
        b.prop(_verb_prop(verb, prep, dom, b.np(objs)))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    b.prop(_verb_prop("require", "", b.np(objs), dom))
    return b.done("entities", dom[0] if dom else None, "range", negated=neg)


#: Prepositions after an object that add a participant to the verb ("eats a plant *in* a habitat").
_PP_HEADS = frozenset("in on at from to for with into onto during about through over under near".split())


#: Time nouns a participant phrase gives as a value: "acquired a company in which year" asks the acquisition's
#: year (``acquisitionYear``: Company → integer, as "In what year did …" reads), never a class Year.
_PP_TIME_UNITS = frozenset(["year", "date", "day", "month", "century", "decade"])


def _time_value(lemma: str, participle: str, prep: str, dom: tuple[str, ...],
                owners: Sequence[_NP]) -> PropertyReq | None:
    """``in which year``, ``in year Y``, ``on a date`` after a verb: the event's value, ``<event>Year`` (as "In what
    year …" reads); ``None`` when the phrase names anything else."""
    label = owners[0].ref.label.lower() if len(owners) == 1 and owners[0].ref is not None else ""
    if label not in _PP_TIME_UNITS or prep not in ("in", "on", "during"):
        return None
    unit, datatype = TIME_UNITS[label]
    return _event_prop(lemma, participle, dom, unit, datatype, prep=prep)


def _participant_prop(b: _B, lemma: str, prep: str, dom: tuple[str, ...], owners: list[_NP]) -> PropertyReq:
    """The relation a phrase with a preposition adds to a verb: ``eatsIn`` (Animal → Habitat) for "eats … in a
    habitat"; a time ("in which year") is the event's value (:func:`_time_value`)."""
    return _time_value(lemma, past_participle(lemma), prep, dom, owners) or \
        _verb_prop(lemma, prep, dom, b.np(owners), transitive=False)


def _role_of(objs: list[_NP]) -> tuple[_NP, list[_NP]] | None:
    """``the screenplay of a film``: one definite, singular part or product of its owner."""
    if len(objs) == 1 and objs[0].of and objs[0].det == "the" and not objs[0].plural and objs[0].ref is not None:
        return objs[0], list(objs[0].of)
    return None


def _verb_object_pp(b: _B, dom: tuple[str, ...], vg: _VG, rest: list[str], neg: bool,
                    agg: str | None) -> ParsedCQ | None:
    """A verb, its object and a phrase with a preposition.

    ``Who wrote the screenplay of a film?``, ``Who composed the music for a film?``: the definite singular object
    is a part of the owner, so the relation links the agent to the owner, ``writesScreenplayOf`` (Person → Film)
    (a film can never be the object of "write"). ``What animal eats a plant in a habitat?`` (an n-ary question):
    the verb's relation and a second one for the added participant, ``eats`` (Animal → Plant) and ``eatsIn``
    (Animal → Habitat).
    """
    low = _low(rest)
    for k in range(len(rest) - 2, 0, -1):
        if low[k] not in _PP_HEADS and low[k] != "of":
            continue
        if low[k] == "of":
            objs = _objects(rest)
            role = _role_of(objs) if objs else None
            if role is None:
                continue
            obj, owners = role
        else:
            left = _objects(rest[:k])
            owners_or_none = _nps(rest[k + 1:])
            unnamed = left and left[0].ref is None and not left[0].named
            if not left or len(left) != 1 or unnamed or not owners_or_none or (
                    len(left[0].words) == 1 and (_is_adjective(left[0].words[0])
                                                 or _is_participle(left[0].words[0]))):
                continue  # "What distinguishes structured from unstructured stuff?": no object noun
            obj, owners = left[0], owners_or_none
        if obj.ref is not None and obj.det == "the" and not obj.plural and low[k] in ("of", "for"):
            b.prop(_part_prop(vg.lemma, obj.ref, low[k], dom, b.np(owners)))
        else:
            b.prop(_verb_prop(vg.lemma, "", dom, b.np([obj])))
            b.prop(_participant_prop(b, vg.lemma, low[k], dom, owners))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg, aggregate=agg)
    return None


def _subject_is_np(b: _B, dom: tuple[str, ...], subj: list[_NP] | None, rest: list[str],
                   neg: bool) -> ParsedCQ | None:
    """``Which X is (a) Y?``, ``Which X is the Y of Z?``, ``Which X is there (for Y)?``."""
    low = _low(rest)
    if low[:1] == ["there"]:
        return _subject_there(b, dom, subj, rest, neg)
    if len(low) > 2 and low[0] in _ABLE_TO and low[1] == "to":
        return _able_to(b, dom, rest[2:], neg)
    if len(low) > 1 and low[0] == "in" and subj:
        # "What animals are in a habitat?" → locatedIn (Animal → Habitat), as "Are there lions in a country?"
        return _located_in(b, dom, rest[1:], neg)
    rel = _relational(rest)
    if rel is not None:
        roles, owners = rel
        own = b.np(owners)
        for role in roles:
            if role.ref is None:
                return None
            b.prop(_has_prop(role.ref, own, dom))
        return b.done("entities", dom[0] if dom else None, "range", negated=neg)
    objs = _nps(rest)
    if not objs or not subj or neg:
        return None
    if any(_verb_phrase(o) for o in objs):
        return None  # "are carnivores and eat plants", "be classified as eat plants": a verb, not a class EatPlant
    obj = objs[0]
    if obj.ref is None or all(is_superlative(w) for w in obj.words):
        return None  # "Which animal is the largest?": a maximum of an unnamed quantity, not a class Largest
    if not obj.det and not obj.plural and len(obj.words) == 1 and _is_adjective(obj.words[0]):
        b.prop(_bool_prop(obj.words[0], dom))
        return b.done("entities", dom[0] if dom else None, "domain")
    if _kind_of_phrase(low):
        # "Which animals are a kind of plant?": kinds below both, not Plant ⊑ Animal (nor Animal ⊑ Plant)
        for o in objs:
            if o.ref is not None:
                b.cls(o.ref)
        return b.done("subclasses", dom[0] if dom else None)
    for o in objs:
        if o.ref is not None:
            b.cls(o.ref)
            for d in dom:
                b.link(o.ref.name, d, implied=True)
    return b.done("entities", dom[0] if dom else None)


def _kind_of_phrase(low: list[str]) -> bool:
    """``a kind of X``, ``types of X``: the phrase names kinds of X."""
    k = 1 if low[:1] and low[0] in ("a", "an", "the") else 0
    return len(low) > k + 1 and low[k] in KIND_WORDS and low[k + 1] == "of"


def _verb_phrase(np_: _NP) -> bool:
    """A conjunct read as a noun phrase that starts with a plain verb and has an object ("eat plants")."""
    w = np_.words
    return len(w) > 1 and w[0].lower() in COMMON_VERBS and verb_lemma(w[0].lower()) == w[0].lower()


def _located_in(b: _B, dom: tuple[str, ...], place: list[str], neg: bool) -> ParsedCQ | None:
    """``What animals are (there) in a habitat?`` → ``locatedIn`` (Animal → Habitat). The place is a class with
    a determiner or in the plural, never an adjective: "in danger", "in the wild" are states, not places."""
    places = _nps(place)
    if not dom or not places or any(not p.named and (
            p.ref is None or not (p.det or p.plural) or _is_adjective(p.words[-1].lower())) for p in places):
        return None
    b.prop(_state_prop("located", "in", dom, b.np(places)))
    return b.done("entities", dom[0], "domain", negated=neg)


#: "X helps/allows/enables/lets (the user) (to) V Y": X Vs Y, as "X is able to V Y" (not ``helpsTo``).
_ENABLING = frozenset("allow help enable let".split())
#: Who is helped: the asker or a user, never a class of the question ("allows a plant to grow" is a cause).
_HELPED = ("me", "us", "you", "one", "users", "people", "someone", "user", "researchers", "researcher")


def _enabled_clause(vg: _VG, rest: list[str]) -> list[str] | None:
    """The clause "V Y" after an enabling verb and its helped person, else ``None``."""
    if vg.kind != "active" or vg.lemma not in _ENABLING or vg.prep not in ("", "to"):
        return None
    if vg.prep == "to":  # "helps to visualise data"
        return rest if len(rest) > 1 else None
    low = _low(rest)
    k = 0
    if low[:1] and low[0] in ("a", "an", "the"):
        k = 1
    if low[k:k + 1] and low[k] in _HELPED:
        k += 1
    elif k:
        return None
    if low[k:k + 1] == ["to"]:
        k += 1
    elif not k:  # "helps visualise data": only after a helped person may "to" be left out
        return None
    after = rest[k:]
    return after if len(after) > 1 else None


def _able_to(b: _B, dom: tuple[str, ...], rest: list[str], neg: bool,
             answer: Answer = "entities") -> ParsedCQ | None:
    """``Which animals are able to fly?`` → ``canFly``; ``Is the software able to read a format?`` → ``reads``."""
    low = _low(rest)
    if not dom or not low or low[0] not in COMMON_VERBS or verb_lemma(low[0]) != low[0]:
        return None
    if len(low) == 1:
        b.prop(_ability_prop(_VG(low[0], rest[0], "active", aux="can"), dom))
        return b.done(answer, dom[0] if answer == "entities" else None, "domain", negated=neg)
    r = _passive_purpose(b, dom, _VG("use", "used", "passive", "to"), rest, neg)
    return replace(r, answer=answer, answer_class=r.answer_class if answer == "entities" else None) if r else None


def _subject_there(b: _B, dom: tuple[str, ...], subj: list[_NP] | None, rest: list[str],
                   neg: bool) -> ParsedCQ | None:
    """``Which visualisation software is there for this data?``"""
    tail = rest[1:]
    if not tail:
        return b.done("entities", dom[0] if dom else None, negated=neg)
    if _low(tail)[0] in ("for", "with") and subj:
        owners = _nps(tail[1:])
        if not owners or subj[0].ref is None:
            return None
        own = b.np(owners)
        if _low(tail)[0] == "for":
            b.prop(_has_prop(subj[0].ref, own))
            return b.done("entities", dom[0], "range", negated=neg)
        if owners[0].ref is None:
            return None
        b.prop(_has_prop(owners[0].ref, dom))
        return b.done("entities", dom[0], "domain", negated=neg)
    tl = _low(tail)
    if tl[0] == "in" and len(tail) > 1:
        return _located_in(b, dom, tail[1:], neg)  # "What animals are there in a habitat?"
    if tl[0] == "to" and len(tail) > 2 and subj and dom and tl[1] in COMMON_VERBS and verb_lemma(tl[1]) == tl[1]:
        # "What tools are there to analyse data?" → analyses (Tool → Data)
        prep, end = _prep_at(tl, 2)
        objs = _objects(tail[end:])
        if not objs or any(o.ref is None and not o.entity for o in objs):
            return None
        b.prop(_verb_prop(tl[1], prep, dom, b.np(objs)))
        return b.done("entities", dom[0], "domain", negated=neg)
    return None


def _subject_is_adjective(b: _B, dom: tuple[str, ...], vg: _VG, rest: list[str], neg: bool) -> ParsedCQ | None:
    """``Which X are endangered?``, ``Which X is compatible with Y?``; ``What software is available to analyse
    data?`` → ``analyses`` (Software → Data)."""
    if vg.prep == "to" and vg.adjective in _ABLE_TO:
        return _passive_purpose(b, dom, replace(vg, kind="passive", lemma="use"), rest, neg)
    if vg.prep == "to" and len(rest) == 1 and rest[0].lower() in COMMON_VERBS and verb_lemma(rest[0].lower()) == \
            rest[0].lower():
        # "Which software is free to use?" → isFreeToUse (Software → boolean), not a class Use
        b.prop(_bool_prop(f"{vg.adjective} to {rest[0].lower()}", dom))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    if vg.prep:
        objs = _objects(rest)
        if not objs:
            return None
        b.prop(_state_prop(vg.adjective, vg.prep, dom, b.np(objs)))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    if rest:
        return None
    b.prop(_bool_prop(vg.adjective, dom))
    return b.done("entities", dom[0] if dom else None, "domain", negated=neg)


def _subject_passive(b: _B, dom: tuple[str, ...], vg: _VG, objs: list[_NP], neg: bool) -> ParsedCQ | None:
    """``Which X were directed by Y?``, ``Which X was born in Y?``, ``Which X are protected?``; ``Which libraries
    are required for the software?`` → ``requires`` (Software → Library), as "What do I need to …" reads."""
    if vg.prep == "for" and vg.lemma in _NEEDED_FOR and objs:
        b.prop(_verb_prop("require", "", b.np(objs), dom))
        return b.done("entities", dom[0] if dom else None, "range", negated=neg)
    if vg.prep == "by":
        if not objs:
            return None
        b.prop(_verb_prop(vg.lemma, "", b.np(objs), dom))
        return b.done("entities", dom[0] if dom else None, "range", negated=neg)
    if vg.prep:
        if not objs:
            return None
        b.prop(_time_value(vg.lemma, vg.main, vg.prep, dom, objs) or _state_prop(vg.main, vg.prep, dom, b.np(objs)))
        return b.done("entities", dom[0] if dom else None, "domain", negated=neg)
    if objs:
        return None
    b.prop(_bool_prop(vg.main, dom))
    return b.done("entities", dom[0] if dom else None, "domain", negated=neg)


def _subject_active(b: _B, dom: tuple[str, ...], vg: _VG, objs: list[_NP], neg: bool,
                    agg: str | None) -> ParsedCQ | None:
    """``Which X verb (prep) Y?``, ``Which X have Y?``, ``Which X cannot fly?``."""
    if vg.lemma == "be":
        return None
    if vg.lemma == "have":
        if not objs or vg.prep:
            return None  # "have as part": not a plain possession
        return _possession(b, dom, objs, neg, answer_focus="domain")
    if not objs and not vg.prep:
        if not dom or not vg.lemma.isalpha():
            return None
        if vg.lemma == "exist" and not neg:
            # "Which versions of a tool exist?": the things themselves (and their owner), no property "exists"
            return b.done("entities", dom[0], None)
        b.prop(_ability_prop(vg, dom))  # "Which birds cannot fly?"
        return b.done("entities", dom[0], "domain", negated=neg)
    if vg.prep and not objs:
        return None
    b.prop(_time_value(vg.lemma, past_participle(vg.lemma), vg.prep, dom, objs)
           or _verb_prop(vg.lemma, vg.prep, dom, b.np(objs), transitive=bool(objs)))
    return b.done("entities", dom[0] if dom else None, "domain", negated=neg, aggregate=agg)


def _shared_object(b: _B, dom: tuple[str, ...], vg: _VG, rest: Sequence[str]) -> bool:
    """``… read and write a format``: two verbs with one object; adds both relations to ``b``."""
    low = _low(rest)
    if vg.kind != "active" or vg.prep or vg.lemma in ("be", "have") or len(rest) < 3 or low[0] not in ("and", "or"):
        return False
    w, main = low[1], vg.main.lower()
    if main.endswith("s") != w.endswith("s") or not _is_verb_form(w) or _is_participle(w):
        return False
    vg2 = _verb_group(rest, 1)
    if vg2 is None or vg2.kind != "active" or vg2.lemma in ("be", "have"):
        return False
    objs = _objects(rest[vg2.end:])
    if not objs or any(o.ref is None and not o.entity for o in objs):
        return False
    rng = b.np(objs)
    b.prop(_verb_prop(vg.lemma, "", dom, rng))
    b.prop(_verb_prop(vg2.lemma, vg2.prep, dom, rng))
    return True


def _parallel_verb_at(vg: _VG, toks: list[str]) -> int | None:
    """Where a second verb with the first one's inflection follows "and"/"or" ("eat plants *and hunt* animals",
    "eats a plant *or hunts* a habitat"), with something after it; else ``None``."""
    low = _low(toks)
    main = vg.main.lower()
    for k in range(vg.end + 1, len(toks) - 2):
        if low[k] not in ("and", "or"):
            continue
        w = low[k + 1]
        if singularise(low[k - 1]) == w:
            continue  # "plants or plant parts": the noun again, in a compound
        if main.endswith("s") and w.endswith("s") and _is_verb_form(w) and verb_lemma(w) != w:
            return k
        if verb_lemma(main) == main and w in COMMON_VERBS and verb_lemma(w) == w:
            return k
    return None


_BUT = frozenset("and but yet".split())


def _copula_and_verb(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int, vg: _VG,
                     subject_class: ClassRef | None) -> ParsedCQ | None:
    """``Which animals are carnivores but (still) eat plants?``: a copula and a verb phrase sharing the subject,
    each read on its own ("but" states both, as "and"; after "and" only a verb with a determiner after it)."""
    low = _low(toks)
    for k in range(vg.end + 1, len(toks) - 2):
        if low[k] not in _BUT:
            continue
        v = k + 2 if low[k + 1] in ("still", "also") else k + 1
        if low[v] not in COMMON_VERBS or verb_lemma(low[v]) != low[v] or low[v] in AUX:
            continue
        if low[k] == "and" and v + 1 < len(low) and low[v + 1] not in DETERMINERS:
            return None  # "are tools and use cases": "use" may start a noun; only "and eat some plants" is a verb
        return _coordinated(text, pattern, subj, [*toks[:k], "and", *toks[v:]], start, vg, subject_class,
                            conjunctions=("and",))
    return None


def _coordinated(text: str, pattern: str, subj: list[_NP] | None, toks: Sequence[str], start: int, vg: _VG,
                 subject_class: ClassRef | None, conjunctions: tuple[str, ...] = ("and", "or")) -> ParsedCQ | None:
    """``Who eats an animal or hunts a plant?``: two verb phrases sharing the subject."""
    low = _low(toks)
    for k in range(vg.end + 1, len(toks) - 1):
        if low[k] in conjunctions and (_is_verb_form(low[k + 1]) or low[k + 1] in AUX):
            first = _clause_subject(text, pattern, subj, list(toks[:k]), start, subject_class=subject_class)
            second = _clause_subject(text, pattern, subj, [*toks[:start], *toks[k + 1:]], start,
                                     subject_class=subject_class)
            if first is None or second is None:
                return None
            classes = first.classes + tuple(c for c in second.classes if c not in first.classes)
            return replace(first, classes=classes, properties=first.properties + second.properties,
                           subclass_links=first.subclass_links + second.subclass_links,
                           entities=tuple(dict.fromkeys(first.entities + second.entities)))
    return None


def _possession(b: _B, dom: tuple[str, ...], objs: Sequence[_NP], neg: bool,
                answer_focus: Literal["domain", "range"]) -> ParsedCQ | None:
    """``… has/have <thing>`` → ``hasThing`` or an attribute (with an optional value)."""
    for o in objs:
        if o.ref is None:
            return None
        if _is_known_attribute(o.ref.label.split()) or o.ref.label.startswith("number of"):
            b.prop(_attribute(b, o, dom))
        else:
            b.cls(o.ref)
            b.prop(_has_prop(o.ref, dom))
    ans = dom[0] if answer_focus == "domain" and dom else (objs[0].ref.name if objs[0].ref else None)
    if b.props and b.props[0].kind == "data":
        return b.done("entities" if answer_focus == "domain" else "value", ans if answer_focus == "domain" else None,
                      answer_focus, negated=neg)
    return b.done("entities", ans, answer_focus, negated=neg)


def _value_filter(text: str, subj: list[_NP], toks: Sequence[str], start: int) -> ParsedCQ | None:
    """``Which film has a rating of 5?``, ``Which city has the highest population?``."""
    low = _low(toks)
    if start >= len(toks) or low[start] not in ("has", "have", "had"):
        return None
    rest = list(toks[start + 1:])
    rlow = _low(rest)
    i = 0
    while i < len(rest) and (rlow[i] in DETERMINERS):
        i += 1
    b = _B(text, "which_value")
    dom = b.np(subj)
    if "as" in rlow[1:-1]:
        # "Which stuff has a liquid as a part?" → hasPart (Stuff → Liquid): the noun after "as" is the role
        k = rlow.index("as", 1)
        things, role = _objects(rest[:k]), _np(rest[k + 1:], class_slot=True)
        if not things or any(t.ref is None and not t.entity for t in things) or role is None or role.ref is None \
                or role.of:
            return None
        rb = _B(text, "which_role")
        dom = rb.np(subj)
        # a named thing in the role ("XML as an output format") is one of the role's class: the range
        rb.prop(_has_prop(role.ref, dom, rb.np(things) or (rb.cls(role.ref),)))
        return rb.done("entities", dom[0] if dom else None, "domain")
    if i < len(rest) and rlow[i] in SUPERLATIVE:
        return _superlative(b, dom, rest, i)
    if i < len(rest) and re.fullmatch(r"\d+(?:[.,]\d+)*", rest[i]):
        return _number_of(b, dom, rest[i], rest[i + 1:])
    # attribute words, then a comparator and/or a value
    j = i
    while j < len(rest) and _attribute_word(rest, rlow, i, j):
        j += 1
    if j == i or j >= len(rest):
        return None
    attr = _np(rest[i:j], class_slot=True)
    if attr is None or attr.ref is None:
        return None
    k = j
    while k < len(rest) and (rlow[k] in PREPS or rlow[k] in ("more", "less", "greater", "fewer", "higher",
                                                              "lower", "than", "exactly", "equal", "least",
                                                              "most")):
        k += 1
    value = " ".join(rest[k:]).strip("\"'")
    if not value:
        return None
    b.prop(_attribute(b, attr, dom, value))
    return b.done("entities", dom[0] if dom else None, "domain", value=value)


def _number_of(b: _B, dom: tuple[str, ...], number: str, unit_toks: list[str]) -> ParsedCQ | None:
    """``Which book has 300 pages?`` → ``numberOfPages = 300`` (a counted quantity, like "How many pages …");
    ``Which film has 2 directors?`` → films with 2 ``hasDirector`` objects (a count filter)."""
    unit = _np(unit_toks, class_slot=True)
    if unit is None or unit.ref is None or unit.of:
        return None
    value = number.replace(",", "")
    if is_counted_quantity(unit.ref.label.split()[-1]) or _is_known_attribute(unit.ref.label.split()):
        b.prop(_count_prop(unit.ref, dom))
        return b.done("entities", dom[0] if dom else None, "domain", value=value)
    b.cls(unit.ref)
    b.prop(_has_prop(unit.ref, dom))
    return b.done("entities", dom[0] if dom else None, "domain", value=value)


def _attribute_word(rest: list[str], rlow: list[str], i: int, j: int) -> bool:
    """Whether ``rest[j]`` still belongs to the attribute words that start at ``i``."""
    return rlow[j] not in PREPS and rlow[j] not in ("more", "less", "greater", "fewer",
                                                    "higher", "lower", "exactly", "equal") \
        and not re.match(r"[\d\"']", rest[j]) and not (j > i and rest[j][:1].isupper())


def _superlative(b: _B, dom: tuple[str, ...], rest: list[str], i: int) -> ParsedCQ | None:
    """``… has the highest population?``, ``… has the most awards?``."""
    rlow = _low(rest)
    agg = SUPERLATIVE[rlow[i]]
    attr = _np(rest[i + 1:], class_slot=True)
    if attr is None or attr.ref is None:
        return None
    if rlow[i] in ("most", "fewest", "least") and attr.plural and not _is_known_attribute(attr.words):
        b.cls(attr.ref)
        b.prop(_has_prop(attr.ref, dom))
        return b.done("entities", dom[0] if dom else None, "domain", aggregate="count")
    dt = guess_datatype(attr.ref.label)
    b.prop(_data_prop(attr.ref, dom, dt if dt not in ("string", "boolean") else "float"))
    return b.done("entities", dom[0] if dom else None, "domain", aggregate=agg)


def _inverted_with_pp(text: str, pattern: str, wh: list[_NP] | None, toks: Sequence[str], vg: _VG,
                      subj: list[_NP], wh_class: ClassRef | None, answer: Answer) -> ParsedCQ | None:
    """``What method does the software use for a task?``: the verb's object is asked for and a phrase with a
    preposition adds a participant, ``uses`` (Software → Method) and ``usesFor`` (Software → Task), as "What
    animal eats a plant in a habitat?" reads."""
    tail = _low(toks[vg.end:])
    if vg.kind == "passive" and vg.prep == "to" and vg.lemma in _USED_FOR and 1 <= len(tail) <= 2 and (
            tail[0] in COMMON_VERBS and verb_lemma(tail[0]) == tail[0] and (len(tail) == 1 or tail[1] in PREPS)):
        # "What disease is a drug used to treat?" → treats (Drug → Disease)
        b = _B(text, pattern)
        whn_ = b.cls_or_np(wh_class, wh)
        if not whn_:
            return None
        b.prop(_verb_prop(tail[0], tail[1] if len(tail) > 1 else "", b.np(subj), whn_))
        return b.done(answer, whn_[0], "range", negated=vg.negated)
    if vg.kind != "active" or vg.lemma in ("be", "have") or not vg.prep or vg.prep not in _PP_HEADS:
        return None
    owners = _nps(toks[vg.end:])
    if not owners or any(o.ref is None for o in owners):
        return None
    b = _B(text, pattern)
    whn = b.cls_or_np(wh_class, wh)
    if not whn:
        return None
    sub = b.np(subj)
    b.prop(_verb_prop(vg.lemma, "", sub, whn))
    b.prop(_participant_prop(b, vg.lemma, vg.prep, sub, owners))
    return b.done(answer, whn[0], "range", negated=vg.negated)


def _clause_inverted(text: str, pattern: str, wh: list[_NP] | None, toks: Sequence[str], aux_at: int,
                     *, wh_class: ClassRef | None = None, answer: Answer = "entities") -> ParsedCQ | None:
    """``<wh-object> <aux> <subject> <verb> [<prep>]`` — the question asks for the object.

    ``Which films did a director direct?``, ``What platform does the software
    run on?``, ``Which country was a film produced in?``, ``Who was a film
    directed by?``.
    """
    low = _low(toks)
    aux = low[aux_at]
    n = len(toks)

    def strong(w: str) -> bool:
        if aux in AUX_BE:
            return _is_participle(w, after_be=True) or _is_adjective(w)
        if aux in AUX_HAVE:
            return _is_participle(w, after_be=True)
        return w in COMMON_VERBS

    for j in _candidates(toks, aux_at + 2, n, strong):
        subj = _nps(toks[aux_at + 1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=aux)
        if vg is None:
            continue
        if vg.end == n - 2 and vg.kind == "active" and not vg.prep and vg.lemma not in ("be", "have", "do") and (
                low[n - 2] in ("and", "or") and low[n - 1] in COMMON_VERBS and verb_lemma(low[n - 1]) == low[n - 1]
                and low[n - 1] not in ("be", "have", "do")):
            # "What formats can the software import and export?": one object asked for, two verbs
            b = _B(text, pattern)
            whn2 = b.cls_or_np(wh_class, wh)
            if not whn2:
                return None
            sub2 = b.np(subj)
            b.prop(_verb_prop(vg.lemma, "", sub2, whn2))
            b.prop(_verb_prop(low[n - 1], "", sub2, whn2))
            return b.done(answer, whn2[0], "range", negated=vg.negated)
        if vg.end != n:
            r = _inverted_with_pp(text, pattern, wh, toks, vg, subj, wh_class, answer)
            if r is not None:
                return r
            continue
        b = _B(text, pattern)
        whn = b.cls_or_np(wh_class, wh)
        sub = b.np(subj)
        neg = vg.negated
        ans_cls = whn[0] if whn else None
        if vg.kind == "passive":
            if vg.prep == "by":  # "Who was a film directed by?"
                b.prop(_verb_prop(vg.lemma, "", whn, sub))
                return b.done(answer, ans_cls, "domain", negated=neg)
            if not vg.prep and not whn:
                return None  # "What was a company renamed?": no preposition to guess a relation from
            b.prop(_state_prop(vg.main, vg.prep or "in", sub, whn))
            return b.done(answer, ans_cls, "range", negated=neg)
        if vg.kind == "copula_adj":
            if not vg.prep:
                return None
            b.prop(_state_prop(vg.adjective, vg.prep, sub, whn))
            return b.done(answer, ans_cls, "range", negated=neg)
        if vg.kind != "active" or vg.lemma == "be":
            return None
        if vg.lemma == "have" and not vg.prep:
            if not wh or wh[0].ref is None:
                return None
            return _possession(b, sub, wh, neg, answer_focus="range")
        b.prop(_verb_prop(vg.lemma, vg.prep, sub, whn))
        return b.done(answer, ans_cls, "range", negated=neg)
    return None
