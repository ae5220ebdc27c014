"""Question family *which/what*: ``Which director directed a film?`` (subject), ``Which films did a director
direct?`` (object), ``What eats plants?``, ``What does a lion eat?``, value filters.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...lexicon import AUX, AUX_BE, AUX_DO, AUX_HAVE, COMMON_VERBS, DETERMINERS, MODALS, PREPS
from ...morphology import singularise, verb_lemma
from ...word_classes import _is_third_person, _is_verb_form
from ..builders import _candidates
from ..chunker import _low, _nps
from ..clauses import _clause_inverted, _clause_subject, _value_filter
from ..model import ParsedCQ
from ..registry import cq_pattern


@cq_pattern(priority=120)
def _p_which(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    if not toks or low[0] not in ("which", "what"):
        return None
    rest = toks[1:]
    if len(rest) > 2 and _low(rest[:2]) == ["of", "the"]:
        rest = rest[2:]
    rlow = _low(rest)
    n = len(rest)
    r = _subject_relative(text, toks[0], rest, rlow)
    if r is not None:
        return r

    def strong(w: str) -> bool:
        return w in AUX or _is_verb_form(w)

    if low[0] == "what" and rlow and _is_verb_form(rlow[0]) and rlow[0].endswith("s"):
        # "What eats plants?": the subject has no class
        r = _clause_subject(text, "what_subject", [], rest, 0)
        if r is not None:
            return r
    for bpos in _candidates(rest, 1, n, strong):
        if low[0] == "what" and any(_is_third_person(w) for w in rlow[:bpos]):
            continue  # "What distinguishes X from Y": a finite verb cannot sit inside the subject
        subj = _nps(rest[:bpos], class_slot=True)
        if not subj:
            continue
        r = _value_filter(text, subj, rest, bpos)
        if r is not None:
            return r
        r = _clause_subject(text, "which_subject", subj, rest, bpos)
        if r is not None:
            return r
    for a in range(1, n):
        if rlow[a] in AUX_DO | MODALS | AUX_BE | AUX_HAVE:
            wh = _nps(rest[:a], class_slot=True)
            if wh:
                r = _clause_inverted(text, "which_object", wh, rest, a)
                if r is not None:
                    return r
    if low[0] == "what" and rlow[:1] and rlow[0] in AUX_DO | MODALS | AUX_BE:
        # "What does a lion eat?", "What is a film based on?": the object has no class
        r = _clause_inverted(text, "what_object", [], rest, 0)
        if r is not None:
            return r
    return None


def _object_relative(text: str, head: Sequence[str], clause: Sequence[str]) -> ParsedCQ | None:
    """``animals that a plant eats``: ``head`` is what the clause's verb acts on, read as "Which animals does a
    plant eat?" (``eats``: Plant → Animal); ``None`` unless ``clause`` is a subject and a verb in the third person
    (and its preposition)."""
    low = _low(clause)
    end = len(low) - (1 if low and low[-1] in PREPS else 0)
    if end < 2:
        return None
    m = next((i for i in range(1, end - 1) if low[i] in MODALS), -1)
    if m > 0 and low[m + 1:m + 2] != ["not"] and low[0] in DETERMINERS:
        # "the formats that a software can read": "Which formats can a software read?"
        r = _p_which(text, ["which", *head, clause[m], *clause[:m], *clause[m + 1:]])
        return r if r is not None and r.pattern == "which_object" else None
    verb = low[end - 1]
    # "the tool uses": a common verb's -s form ends the clause, though "uses" may be a plural noun elsewhere
    third = _is_third_person(verb) or (verb.endswith("s") and verb_lemma(verb) in COMMON_VERBS
                                       and verb_lemma(verb) != verb)
    if third and low[0] in DETERMINERS:
        aux = "does"
    elif verb in COMMON_VERBS and verb_lemma(verb) == verb and singularise(low[end - 2]) != low[end - 2]:
        aux = "do"  # "plants that animals eat"
    else:
        return None
    r = _p_which(text, ["which", *head, aux, *clause[:end - 1], verb_lemma(verb), *clause[end:]])
    return r if r is not None and r.pattern == "which_object" else None


def _subject_relative(text: str, wh: str, rest: list[str], rlow: list[str]) -> ParsedCQ | None:
    """``Which animals that eat a plant hunt a habitat?``: the clause after "that" says something of the subject
    (``eats``: Animal → Plant) and the verb after it is the question's own (``hunts``: Animal → Habitat). Each
    place where a verb could start the main clause is tried; both halves must read."""
    k = next((i for i in range(1, min(len(rlow), 5)) if rlow[i] in ("that", "who", "which")), -1)
    if k < 0 or any(w in ("that", "who", "which") for w in rlow[k + 1:]):
        return None
    subj = _nps(rest[:k], class_slot=True)
    if not subj or len(subj) != 1 or subj[0].ref is None:
        return None
    from ..clauses import _with_relative

    for e in range(k + 3, len(rest) - 1):
        if not (rlow[e] in AUX or _is_verb_form(rlow[e])):
            continue
        sub = _clause_subject(text, "which_subject", subj, rest[:e], k + 1)
        if sub is None:
            continue
        main = _p_which(text, [wh, *rest[:k], *rest[e:]])
        if main is not None and main.pattern == "which_subject" and not main.negated:
            return _with_relative(main, sub)
    return None
