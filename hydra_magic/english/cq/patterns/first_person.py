"""Question family *first person*: the asker is a variable, the question is about the thing acted on.

CLaRO's first-person templates ("[PC1] I [PC1] [EC1] …", "Where [PC1] I [PC1] [EC1]", "What [EC1] [PC1] I [PC1]
…") and the Software Ontology's questions read as the agentless passive they mean:

* ``Where can I get the software?`` → ``availableFrom`` (Software → Place); ``Which URL can I get the software
  from?`` → ``availableFrom`` (Software → URL); ``Where do I eat an animal?`` → ``eatenIn`` (Animal → Place);
* ``Can I install the software on a computer?`` → ``installedOn`` (Software → Computer), yes/no;
* ``What hardware do I need to run the software?``, ``Do I need a password to use the software?`` → ``requires``
  (Software → Hardware | Password): what one needs to use a thing is what the thing requires;
* ``What software can I use to process data?`` → ``processes`` (Software → Data): the tool does the verb.

"How do I …" (a method) and "Do I know …" (the asker's knowledge) stay unread.
"""

from __future__ import annotations

from typing import Sequence

from ...lexicon import AUX_DO, COMMON_VERBS, DETERMINERS, INSTRUMENT_HEADS, KIND_WORDS, MODALS, PREPS
from ...morphology import past_participle, verb_lemma
from ...word_classes import _is_adjective
from ..builders import _B, _camel, _has_prop, _state_prop, _verb_prop
from ..chunker import _NP, _low, _nps
from ..model import PLACE, ParsedCQ, PropertyReq
from ..registry import cq_pattern
from ..words import TIME_NOUNS

_ASKER = frozenset(["i", "we", "you", "one"])
#: Verbs of getting something: where one gets a thing is where it is available.
_ACQUIRE = frozenset("get buy obtain download purchase acquire order find".split())


@cq_pattern(priority=25)
def _p_first_person(text: str, toks: list[str]) -> ParsedCQ | None:
    low = _low(toks)
    k = next((i for i in range(1, len(low) - 1) if low[i] in _ASKER and low[i - 1] in AUX_DO | MODALS), -1)
    if k < 0 or low[k + 1] in ("know", "think"):
        return None
    wh, after = toks[:k - 1], toks[k + 1:]
    wl = _low(wh)
    if any(w in KIND_WORDS and wl[i + 1:i + 2] == ["of"] for i, w in enumerate(wl)):
        return None  # "What kinds of tasks can I perform …": a question for kinds (the family *kinds* reads it)
    verb = verb_lemma(after[0].lower()) if after[0].lower() not in ("need", "needs") else "need"
    if not verb.isalpha():
        return None
    if verb == "need":
        return _need(text, wh, after[1:])
    if verb == "use" and "to" in _low(after):
        return _use_to(text, wh, after)
    if verb == "use" and _low(after[1:2]) == ["for"]:
        return _use_for(text, wh, after[2:])
    return _passive_reading(text, wh, verb, after[1:], modal=low[k - 1] in ("can", "could", "may", "might"))


#: Where or how the verb of a purpose is done: "to compile source code *on a platform*" (verb, preposition, noun).
_Setting = tuple[str, str, list[_NP]]


def _purpose(toks: Sequence[str]) -> tuple[list[_NP] | None, list[_NP] | None, _Setting | None]:
    """``X to V Y`` → (X, Y, None); ``to V Y`` alone → (None, Y, None); ``to V Y on Z`` → (None, Y, (V, on, Z))."""
    low = _low(toks)
    if "to" not in low:
        return None, None, None
    t = low.index("to")
    end = len(toks)
    while end > t + 2 and low[end - 1].endswith("ly") and len(low[end - 1]) > 4:
        end -= 1  # "to run the software productively"
    needed = _nps(toks[:t]) if t else None
    p = next((i for i in range(t + 3, end - 1) if low[i] in PREPS and low[i] != "of"), end)
    thing = _nps(toks[t + 2:p]) if t + 2 < p else None
    setting = (low[t + 1], low[p], _nps(toks[p + 1:end]) or []) if p < end else None
    return needed, thing, setting


def _need(text: str, wh: list[str], rest: list[str]) -> ParsedCQ | None:
    """``What hardware do I need to run the software?``, ``Do I need a password to use the software?``;
    ``What compiler do I need to compile source code on a platform?`` adds ``compiledOn`` (SourceCode →
    Platform), as "Do I eat an animal on a plant?" reads; ``Which software do I need a licence to run?``
    → ``requires`` (Software → Licence)."""
    needed, thing, setting = _purpose(_one_purpose_verb(rest))
    wlow = _low(wh)
    if not thing and needed and wlow[:1] in (["what"], ["which"]) and _low(rest)[-2:-1] == ["to"]:
        return _need_for_asked(text, wh, needed)
    if not thing:
        return None
    b = _B(text, "first_person_need")
    if setting is not None and not _add_setting(b, thing, setting):
        return None
    if not wh:
        if not needed or needed[0].ref is None:
            return None
        b.prop(_requires(b.np(thing), b.np(needed)))
        return b.done("boolean", None, None)
    if wlow == ["what"] and not needed:
        # "What do I need to run the software?": what the software requires, of no named class
        b.prop(_requires(b.np(thing), ()))
        return b.done("entities", None, "range")
    if wlow[:2] == ["how", "many"]:
        unit = _nps(wh[2:], class_slot=True)
    elif wlow[0] in ("what", "which"):
        unit = _nps(wh[1:], class_slot=True)
    else:
        return None
    if not unit or unit[0].ref is None or needed:
        return None
    b.prop(_requires(b.np(thing), b.np(unit)))
    if wlow[0] == "how":
        return b.done("count", unit[0].ref.name, "range", aggregate="count")
    return b.done("entities", unit[0].ref.name, "range")


def _one_purpose_verb(rest: list[str]) -> list[str]:
    """``… to run and modify the software`` → ``… to run the software``; ``… to eat a plant and eat a habitat`` →
    ``… to eat a plant and a habitat``: what is needed for several purposes is required by each thing acted on
    (the verb of a purpose names no property). As elsewhere after "and", a word is a verb only before a
    determiner or straight after the first verb; "and store data" (a verb, or a noun "store data"?) is left
    unread (``[]``)."""
    low = _low(rest)
    if "to" not in low:
        return rest
    t = low.index("to")
    for j in range(t + 2, len(low) - 2):
        if low[j] not in ("and", "or") or not _is_base_verb(low[j + 1]):
            continue
        if j == t + 2 or low[j + 2] in DETERMINERS:
            return [*rest[:j], *rest[j + 2:]] if j == t + 2 else [*rest[:j + 1], *rest[j + 2:]]
        return []  # "… and store data": a verb or a noun "store data", no guess (left unread)
    return rest


def _is_base_verb(word: str) -> bool:
    return word in COMMON_VERBS and verb_lemma(word) == word


def _add_setting(b: _B, thing: list[_NP], setting: _Setting) -> bool:
    """``… to compile source code on a platform``: ``compiledOn`` (SourceCode → Platform), after the main
    property; ``False`` when the phrase names no class or thing (no guess)."""
    verb, prep, where = setting
    if not where or any(w.ref is None and not w.entity for w in where) or not verb.isalpha():
        return False
    if any(w.ref is not None and w.ref.label.split()[-1].lower() in TIME_NOUNS for w in where):
        return False  # "in the evening": when, not where
    b.extra.append(_state_prop(past_participle(verb_lemma(verb)), prep, b.np(thing), b.np(where)))
    return True


def _need_for_asked(text: str, wh: list[str], needed: list[_NP]) -> ParsedCQ | None:
    """``Which software do I need a licence to run?``: the asked-for thing is what is used, so it requires
    what is needed (``requires``: Software → Licence)."""
    asked = _nps(wh[1:], class_slot=True)
    if not asked or asked[0].ref is None or any(n.ref is None for n in needed):
        return None
    b = _B(text, "first_person_need")
    b.prop(_requires(b.np(asked), b.np(needed)))
    return b.done("entities", asked[0].ref.name, "domain")


def _requires(dom: tuple[str, ...], rng: tuple[str, ...]) -> PropertyReq:
    return _verb_prop("require", "", dom, rng)


def _use_to(text: str, wh: list[str], after: list[str]) -> ParsedCQ | None:
    """``What software can I use to process data?`` → ``processes`` (Software → Data)."""
    low = _low(after)
    t = low.index("to")
    if t != 1 or t + 1 >= len(after) or not wh or _low(wh)[0] not in ("what", "which"):
        return None
    tool = _nps(wh[1:], class_slot=True)
    thing = _nps(after[t + 2:])
    if not tool or tool[0].ref is None or not thing:
        return None
    b = _B(text, "first_person_use")
    b.prop(_verb_prop(verb_lemma(low[t + 1]), "", b.np(tool), b.np(thing)))
    return b.done("entities", tool[0].ref.name, "domain")


def _use_for(text: str, wh: list[str], thing_toks: list[str]) -> ParsedCQ | None:
    """``Which software can I use for data analysis?`` → ``usedFor`` (Software → DataAnalysis), as "What is a
    tool used for?" reads."""
    if not wh or _low(wh)[0] not in ("what", "which"):
        return None
    tool = _nps(wh[1:], class_slot=True)
    thing = _nps(thing_toks)
    if not tool or tool[0].ref is None or not thing or any(t.ref is None and not t.entity for t in thing):
        return None
    b = _B(text, "first_person_use")
    b.prop(_state_prop("used", "for", b.np(tool), b.np(thing)))
    return b.done("entities", tool[0].ref.name, "domain")


def _passive_reading(text: str, wh: list[str], verb: str, rest: list[str], modal: bool = False) -> ParsedCQ | None:
    """``Where can I get X?``, ``Which URL can I get X from?``, ``Can I install X on Y?``; ``Can I open a file with
    the software?`` (the instrument does the verb: ``opens`` Software → File); ``Can I redistribute the
    software?`` (``canBeRedistributed``: Software → boolean); ``Where can I find documentation for the
    software?`` (``hasDocumentation`` and where the documentation is available from)."""
    low = _low(rest)
    wlow = _low(wh)
    if len(low) > 1 and low[0] in PREPS and low[0] != "of" and wlow[:1] and wlow[0] in ("what", "which"):
        return _asked_thing_prep(text, wh, verb, low[0], rest[1:])
    p = next((i for i in range(1, len(low)) if low[i] in PREPS and low[i] != "of"), len(low))
    obj = _nps(rest[:p])
    if p and verb_lemma(low[p - 1]) == verb:
        return None  # "Where do I eat an animal eat?": the verb again, no noun
    prep = low[p] if p < len(low) else ""
    other = _nps(rest[p + 1:]) if p + 1 < len(low) else None
    if not obj or obj[0].ref is None or (p + 1 < len(low) and not other) or (other and any(o.of for o in obj)):
        return None  # "… an animal of a plant for a habitat": "for" may be about either (n-ary), no guess
    word, prep = ("available", prep or "from") if verb in _ACQUIRE else (past_participle(verb), prep)
    wlow = _low(wh)
    b = _B(text, "first_person")
    if prep == "with" and other and other[0].ref is not None and _instrument(verb, other) and (
            not wh or wlow[0] in ("what", "which")):
        dom = b.np(obj)
        b.prop(_verb_prop(verb, "", b.np(other), dom))
        return b.done("boolean", None, "range") if not wh else None
    dom = b.np(obj)
    if not wh:
        if not prep and not other and modal and verb not in _ACQUIRE:
            label = f"can be {past_participle(verb)}"
            b.prop(PropertyReq(_camel(label), "data", dom, ("boolean",), label,
                               (f"is {past_participle(verb)}", f"{past_participle(verb)}")))
            return b.done("boolean", dom[0] if dom else None, "domain")
        if not prep or not other:
            return None
        b.prop(_state_prop(word, prep, dom, b.np(other)))
        return b.done("boolean", None, "domain")
    if wlow == ["where"] and prep in ("for", "of") and other and obj[0].ref is not None and verb in _ACQUIRE:
        # "Where can I find documentation for the software?"
        b.cls(PLACE)
        b.prop(_state_prop("available", "from", dom, (PLACE.name,)))
        b.prop(_has_prop(obj[0].ref, b.np(other)))
        return b.done("entities", PLACE.name, "range")
    if wlow == ["where"] and not other:
        b.cls(PLACE)
        b.prop(_state_prop(word, prep or "in", dom, (PLACE.name,)))
        return b.done("entities", PLACE.name, "range")
    if wlow == ["what"] and prep and not other and verb != "do":
        # "What can I use the software for?" → usedFor (Software → ?), as "What is the software used for?" reads
        b.prop(_state_prop(word, prep, dom, ()))
        return b.done("entities", None, "range")
    if wlow[0] in ("what", "which") and prep and not other:
        z = _nps(wh[1:], class_slot=True)
        if not z or z[0].ref is None:
            return None
        b.prop(_state_prop(word, prep, dom, b.np(z)))
        return b.done("entities", z[0].ref.name, "range")
    return None


def _asked_thing_prep(text: str, wh: list[str], verb: str, prep: str, other_toks: list[str]) -> ParsedCQ | None:
    """``Which data can I analyse with the software?`` → ``analyses`` (Software → Data): an instrument does the
    verb; otherwise the asked-for thing is acted on, and the phrase relates it: ``Which tools can I use with a
    format?`` → ``usedWith`` (Tool → Format), ``Which animals can we see in a park?`` → ``seenIn`` (Animal →
    Park), ``Which software can I download from a website?`` → ``availableFrom``. The other end must be a thing
    (a class with a determiner or in the plural, or a name): "in the evening", "for free" are not read."""
    z, other = _nps(wh[1:], class_slot=True), _nps(other_toks)
    if not z or z[0].ref is None or not other:
        return None
    b = _B(text, "first_person")
    if prep == "with" and _instrument(verb, other):  # "with software", a mass noun, needs no determiner
        b.prop(_verb_prop(verb, "", b.np(other), b.np(z)))
        return b.done("entities", z[0].ref.name, "range")
    if not all(o.named or _thing(o) for o in other):
        return None
    word = "available" if verb in _ACQUIRE else past_participle(verb)
    b.prop(_state_prop(word, prep, b.np(z), b.np(other)))
    return b.done("entities", z[0].ref.name, "domain")


def _thing(np_: _NP) -> bool:
    """A class of things, not a time ("the evening") nor a state or manner ("free", "danger")."""
    if np_.ref is None or not (np_.det or np_.plural):
        return False
    head = np_.ref.label.split()[-1].lower()
    return head not in TIME_NOUNS and not _is_adjective(head)


def _instrument(verb: str, nps: Sequence[_NP]) -> bool:
    """Whether "with Y" names what does the verb: software, a tool, a device ("analyse data with the software");
    "use X with Y" never does (X is used with Y), nor a thing that is no instrument ("eat an animal with a
    plant": the plant is eaten with it, it eats nothing)."""
    return verb not in _ACQUIRE | {"use"} and all(
        n.ref is not None and n.ref.label.split()[-1].lower() in INSTRUMENT_HEADS for n in nps)

