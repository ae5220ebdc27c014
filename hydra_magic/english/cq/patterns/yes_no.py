"""Question family *yes/no*: ``Does a lion eat plants?``, ``Can a tool read a format?``, ``Does a film have a
director?``; existence: ``Is there X for Y?``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ...lexicon import AUX_BE, AUX_DO, AUX_HAVE, COMMON_VERBS, MODALS, PREPS
from ...word_classes import _is_participle
from ..builders import _B, _ability_prop, _candidates, _has_prop, _objects, _state_prop, _verb_prop
from ..chunker import _low, _nps, _verb_group
from ..clauses import (
    _clause_subject,
    _parallel_verb_at,
    _possession,
    _shared_object,
    _verb_object_pp,
    _with_relative,
)
from ..model import ParsedCQ
from ..registry import cq_pattern
from .which import _object_relative


#: "X allows/lets/helps me (to) V Y": X Vs Y.
_ENABLE = frozenset("allow allows let lets help helps enable enables".split())


def _split_points(low: list[str]) -> list[int]:
    """Where a second noun phrase may start in ``Is <X> <Y>``: at a determiner, else anywhere."""
    dets = [j for j in range(2, len(low)) if low[j] in ("a", "an", "the", "some", "any")]
    rest = [j for j in range(2, len(low)) if j not in dets
            and not (j == 2 and low[1] in ("this", "that", "these", "those", "the"))]
    return dets + rest


def _existence(text: str, toks: Sequence[str]) -> ParsedCQ | None:
    """``Is there X for Y?``, ``Are there X with Y?``, ``Is there an X that V Y?``."""
    low = _low(toks)
    for k, w in enumerate(low):
        if w in ("that", "which", "who") and k > 0:
            if any(v in _OWNER_PREPS for v in low[:k]):
                return _existence_relative(text, toks, k, k + 1)
            x = _nps(toks[:k], class_slot=True)
            if not x:
                return None
            r = _object_relative(text, toks[:k], toks[k + 1:])  # "Is there an animal that a plant eats?"
            r = replace(r, pattern="exists_that_object") if r else _clause_subject(text, "exists_that", x, toks,
                                                                                   k + 1)
            return replace(r, answer="boolean") if r else None
    for k, w in enumerate(low):
        if w in ("for", "with", "to") and k > 0:
            head = list(toks[:k])
            if len(head) > 1 and head[-1].lower() in ("available", "accessible", "possible"):
                head = head[:-1]  # "Is there any training available for the software?"
            x = _nps(head, class_slot=True)
            y = _nps(toks[k + 1:])
            if not y and low[k + 1] == "the":
                # "… to the algorithm the tool uses": a reduced relative clause about a definite owner (after
                # an indefinite one, "to a plant a habitat eats", two noun phrases in a row are no clause)
                return next((r for j in range(k + 3, len(low) - 1) if low[j] in ("a", "an", "the")
                             and (r := _existence_relative(text, toks, j, j)) is not None), None)
            if not y:
                return None
            if not x or x[0].ref is None:
                return None
            b = _B(text, "exists_with" if w == "with" else "exists_for")
            if w in ("for", "to"):  # "Are there any alternatives to the software?"
                own = b.np(y)
                b.np(x)
                b.prop(_has_prop(x[0].ref, own))
                return b.done("boolean", x[0].ref.name, "range")
            dom = b.np(x)
            if y[0].ref is None:
                return None
            r = _possession(b, dom, y, False, answer_focus="domain")
            return replace(r, answer="boolean") if r else None
        if w == "in" and k > 0:
            # "Are there lions in a country?" → locatedIn (Lion → Country)
            x = _nps(toks[:k], class_slot=True)
            y = _nps(toks[k + 1:])
            if not x or not y or x[0].ref is None:
                return None
            b = _B(text, "exists_in")
            dom = b.np(x)
            b.prop(_state_prop("located", "in", dom, b.np(y)))
            return b.done("boolean", x[0].ref.name, "domain")
        if w in PREPS and k > 0:
            return None
    x = _nps(toks, class_slot=True)
    if not x or x[0].ref is None:
        return None
    b = _B(text, "exists")
    b.np(x)
    return b.done("boolean", x[0].ref.name)


#: The prepositions of "Is there X for/to/with Y?": Y is the owner a relative clause after it is about.
_OWNER_PREPS = frozenset(["for", "to", "with"])


def _existence_relative(text: str, toks: Sequence[str], end: int, clause: int) -> ParsedCQ | None:
    """``Are there any modifications to the algorithm (that) the tool uses?``: ``Are there any modifications to
    the algorithm?`` (``hasModification``: Algorithm → Modification) with what the clause from ``clause`` says
    of the algorithm (``uses``: Tool → Algorithm); ``None`` unless both halves read."""
    low = _low(toks)
    if clause >= len(low):
        return None  # "… for the software that?": no clause
    p = max(i for i in range(end) if low[i] in _OWNER_PREPS)
    owner = _nps(toks[p + 1:end])
    main = _existence(text, toks[:end])
    if main is None or not owner or len(owner) != 1 or owner[0].ref is None:
        return None
    head = list(toks[p + 1:end])
    if head[0].lower() in ("a", "an", "the", "any", "some"):
        head = head[1:]  # "the algorithm": "Which algorithm does the tool use?"
    sub = _object_relative(text, head, toks[clause:])
    if sub is None and clause > end and low[clause] not in AUX_BE:
        # "… for an animal that eats a plant"; not a state ("the software that is free": of the software or of
        # the mailing list? no guess)
        sub = _clause_subject(text, "exists_that", owner, toks, clause)
    return _with_relative(main, sub)


@cq_pattern(priority=100)
def _p_yes_no(text: str, toks: list[str]) -> ParsedCQ | None:
    """``Does a lion eat plants?``, ``Can a tool read a format?``, ``Does a film have a director?``."""
    low = _low(toks)
    if len(toks) < 3 or low[0] not in AUX_DO | MODALS | AUX_HAVE:
        return None
    if len(toks) > 4 and low[-2:] == ["or", "not"]:
        toks, low = toks[:-2], low[:-2]  # "Does the software support a format or not?"
    for j in range(2, len(low) - 2):
        if low[j] in _ENABLE and low[j + 1] in ("me", "us", "you", "one", "users"):
            # "Does the software allow me to edit a file?" → edits (Software → File): the thing does the verb
            subj = _nps(toks[1:j])
            after = toks[j + 3:] if low[j + 2:j + 3] == ["to"] else toks[j + 2:]
            if not subj or not after:
                return None
            from ..clauses import _able_to

            b = _B(text, "does_enable")
            return _able_to(b, b.np(subj), after, False, answer="boolean")
    n = len(toks)

    def strong(w: str) -> bool:
        if low[0] in AUX_HAVE:
            return _is_participle(w, after_be=True)
        return w in COMMON_VERBS or w in ("have", "has")

    for j in _candidates(toks, 2, n, strong):
        subj = _nps(toks[1:j])
        if not subj:
            continue
        vg = _verb_group(toks, j, fronted=low[0])
        if vg is not None and vg.kind == "passive" and low[j] == "be" and low[0] in MODALS:
            # "Can the software be used for data analysis?", "Can it be extended with plugins?"
            r = _clause_subject(text, "can_passive", subj, toks, j)
            if r is not None:
                return replace(r, answer="boolean", answer_class=None, focus=None)
            continue
        if vg is None or vg.kind != "active" or vg.lemma == "be":
            continue
        rest = toks[vg.end:]
        k = _parallel_verb_at(vg, toks) if vg.lemma != "have" else None
        if k is not None:
            # "Does an animal eat a plant and hunt a habitat?": one question per verb phrase, joined
            first, second = _p_yes_no(text, toks[:k]), _p_yes_no(text, [*toks[:j], *toks[k + 1:]])
            if first is None or second is None:
                return None
            return replace(first, classes=first.classes + tuple(c for c in second.classes if c not in first.classes),
                           properties=first.properties + second.properties,
                           entities=tuple(dict.fromkeys(first.entities + second.entities)))
        rlow = _low(rest)
        rel = next((i for i in range(1, len(rlow) - 1) if rlow[i] in ("that", "which", "who")), -1)
        if rel > 0 and vg.lemma != "have":
            # "Does an animal eat a plant that grows in a habitat?": the clause is about the object
            from ..clauses import _with_relative

            held = _nps(rest[:rel])
            main = _p_yes_no(text, toks[:vg.end + rel])
            if not held or held[-1].ref is None or main is None or main.negated:
                return None
            return _with_relative(main, _clause_subject(text, "does_verb", [held[-1]], rest, rel + 1))
        objs = _objects(rest)
        b = _B(text, "does_have" if vg.lemma == "have" else "does_verb")
        if objs is None and _shared_object(b, b.np(subj), vg, list(rest)):
            return b.done("boolean", None, None, negated=vg.negated)  # "Does it read and write a format?"
        if objs is None and vg.lemma != "have" and not vg.prep:
            # "Does an animal eat a plant in a habitat?": the verb's object and one more participant
            r = _verb_object_pp(b, b.np(subj), vg, list(rest), vg.negated, None)
            if r is not None:
                return replace(r, answer="boolean", answer_class=None, focus=None)
        if objs is None or (not objs and not vg.prep):
            continue
        b = _B(text, "does_have" if vg.lemma == "have" else "does_verb")
        dom = b.np(subj)
        if vg.lemma == "have" and not vg.prep:
            if not objs:
                continue
            r = _possession(b, dom, objs, vg.negated, answer_focus="domain")
            return replace(r, answer="boolean") if r else None
        if not objs:
            continue
        b.prop(_verb_prop(vg.lemma, vg.prep, dom, b.np(objs)))
        return b.done("boolean", None, None, negated=vg.negated)
    # "Can a penguin fly?", "Do bears hibernate?": an intransitive verb at the end
    subj = _nps(toks[1:n - 1])
    vg = _verb_group(toks, n - 1, fronted=low[0]) if subj and low[0] not in AUX_HAVE else None
    if subj and vg is not None and vg.kind == "active" and vg.lemma not in ("be", "have", "do"):
        b = _B(text, "does_verb")
        dom = b.np(subj)
        if dom:
            b.prop(_ability_prop(vg, dom))
            return b.done("boolean", dom[0], "domain", negated=vg.negated)
    return None
