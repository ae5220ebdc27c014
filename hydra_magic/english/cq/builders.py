"""Property builders and the helpers every question family shares.

The naming conventions of classes and properties live here, and only here.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Literal, Sequence

from dataclasses import replace

from ...iri import camel_case, pascal_case
from ..lexicon import (COMMON_ACRONYMS, COMMON_VERBS, DETERMINERS, FUNCTION, KIND_WORDS, PLACE_HEADS, PRONOUNS,
                       QUALIFIERS)
from ..morphology import singularise, third_person, verb_forms, verb_lemma
from ..word_classes import _is_known_attribute, _nominalise, guess_datatype
from .chunker import _NP, _VG, _low, _named_kind, _nps
from .model import PLACE, Answer, ClassRef, ParsedCQ, PropertyReq, SubclassLink
from .words import NEGATIVE_PRONOUNS, attribute_datatype


def _camel(label: str) -> str:
    """camelCase for a property name; a leading acronym goes lower-case (``GDP`` → ``gdp``)."""
    words = label.split()
    if words and len(words[0]) > 1 and words[0].isupper():
        words[0] = words[0].lower()
    return camel_case(" ".join(words))


def _uniq(items: Iterable[str], exclude: str = "") -> tuple[str, ...]:
    seen: list[str] = []
    for it in items:
        it = " ".join(it.split())
        if it and it != exclude and it not in seen:
            seen.append(it)
    return tuple(seen)


def _names(nps: Sequence[_NP] | None) -> tuple[str, ...]:
    out: list[str] = []
    for np_ in nps or ():
        if np_.ref is not None and np_.ref.name not in out:
            out.append(np_.ref.name)
    return tuple(out)


def _verb_prop(lemma: str, prep: str, domain: tuple[str, ...], range_: tuple[str, ...],
               transitive: bool = True) -> PropertyReq:
    """Active verb: ``directs``, ``livesIn`` (agent → patient). "need" is read as ``requires`` (one relation, "needs"
    among its labels), as the first-person questions read "What do I need to run it?"."""
    synonyms: list[str] = []
    if lemma == "need" and not prep:
        lemma, synonyms = "require", ["needs", "need", "needed", "needed by", "is needed by"]
    words = [third_person(lemma), *prep.split()]
    label = " ".join(words)
    suffix = f" {prep}" if prep else ""
    forms = verb_forms(lemma)
    alts = [f + suffix for f in forms]
    if transitive and not prep:
        pp = forms[3]
        alts += [f"{pp} by", f"is {pp} by", f"was {pp} by"]
    return PropertyReq(_camel(label), "object", domain, range_, label, _uniq([*alts, *synonyms], label))


def _part_prop(lemma: str, part: ClassRef, prep: str, domain: tuple[str, ...],
               range_: tuple[str, ...]) -> PropertyReq:
    """``Who wrote the screenplay of a film?`` → ``writesScreenplayOf`` (Person → Film): the verb, the part it
    makes and the whole it belongs to."""
    label = f"{third_person(lemma)} {part.label} {prep}"
    forms = verb_forms(lemma)
    past, pp = forms[2], forms[3]
    alts = [f"{f} the {part.label} {p}" for f in (lemma, past) for p in ("of", "for")]
    alts += [f"{part.label} by", f"{part.label} {pp} by"]
    return PropertyReq(_camel(label), "object", domain, range_, label, _uniq(alts, label))


def _has_prop(ref: ClassRef, domain: tuple[str, ...], range_: tuple[str, ...] | None = None) -> PropertyReq:
    """Possession / relational noun: ``hasAward`` (owner → thing)."""
    label = f"has {ref.label}"
    alts = [f"have {ref.label}", f"had {ref.label}", ref.label, f"{ref.label} of"]
    return PropertyReq(camel_case("has " + ref.name), "object", domain,
                       range_ if range_ is not None else (ref.name,), label, _uniq(alts, label))


def _state_prop(word: str, prep: str, domain: tuple[str, ...], range_: tuple[str, ...]) -> PropertyReq:
    """Participle or adjective with its preposition: ``bornIn``, ``compatibleWith``."""
    label = " ".join([word.lower(), *prep.split()])
    alts = [f"{aux} {label}" for aux in ("is", "are", "was", "were")]
    return PropertyReq(_camel(label), "object", domain, range_, label, _uniq(alts, label))


def _ability_prop(vg: "_VG", domain: tuple[str, ...]) -> PropertyReq:
    """Intransitive verb: ``Can a penguin fly?`` → ``canFly``; ``Do bears hibernate?`` → ``hibernates``."""
    label = f"can {vg.lemma}" if vg.aux in ("can", "could") else third_person(vg.lemma)
    forms = verb_forms(vg.lemma)
    return PropertyReq(_camel(label), "data", domain, ("boolean",), label,
                       _uniq([forms[0], forms[1], forms[2], f"is able to {vg.lemma}"], label))


def _bool_prop(words: str, domain: tuple[str, ...]) -> PropertyReq:
    """Yes/no attribute: ``isEndangered`` (X → boolean)."""
    label = f"is {words.lower()}"
    return PropertyReq(_camel(label), "data", domain, ("boolean",), label,
                       _uniq([words.lower(), f"are {words.lower()}", f"was {words.lower()}"], label))


def _data_prop(ref: ClassRef, domain: tuple[str, ...], datatype: str) -> PropertyReq:
    """Attribute noun: ``releaseDate`` (X → xsd)."""
    label = ref.label.lower() if not ref.label.isupper() else ref.label
    return PropertyReq(_camel(ref.label), "data", domain, (datatype,), label,
                       _uniq([f"has {label}", f"{label} of"], label), attribute=ref)


def _event_prop(lemma: str, participle: str, domain: tuple[str, ...], unit: str = "date",
                datatype: str = "date", prep: str = "", comment: str = "") -> PropertyReq:
    """``When was a film released?`` → ``releaseDate`` (Film → date); ``comment`` says why a grain was chosen."""
    noun = _nominalise(lemma)
    label = f"{noun} {unit}"
    alts = [participle.lower(), f"{participle.lower()} on", f"{participle.lower()} in", f"{unit} of {noun}"]
    if prep:
        alts.insert(0, f"{participle.lower()} {prep}")
    return PropertyReq(_camel(label), "data", domain, (datatype,), label, _uniq(alts, label), comment=comment)


def _count_prop(unit: ClassRef, domain: tuple[str, ...], participle: str = "") -> PropertyReq:
    """``How many pages does a book have?`` → ``numberOfPages`` (Book → integer); with the verb of the question,
    ``How many goals did a player score?`` → ``numberOfGoalsScored``.

    ``attribute`` is the counted class: when the ontology or the batch has it (a class Employee), the proposal
    turns the number into the relation ``hasEmployee`` and the question counts its objects.
    """
    plural = unit.plural or unit.label
    label = f"number of {plural}" + (f" {participle}" if participle else "")
    alts = [f"{participle} {plural}", f"{plural} {participle}"] if participle else [f"has {plural}", plural]
    return PropertyReq(_camel(label), "data", domain, ("integer",), label, _uniq(alts, label), attribute=unit)


# --- what every question family uses -------------------------------------------

class _B:
    """Collects what one question needs, in order."""

    def __init__(self, text: str, pattern: str) -> None:
        self.text, self.pattern = text, pattern
        self.classes: list[ClassRef] = []
        self.props: list[PropertyReq] = []
        self.links: list[SubclassLink] = []
        self.entities: list[str] = []
        self.extra: list[PropertyReq] = []  # from relational noun phrases, after the main property
        self.denied = False  # a phrase such as "nothing" or "no animal" negates the whole question

    def np(self, nps: Sequence[_NP] | None) -> tuple[str, ...]:
        for np_ in nps or ():
            self.denied |= np_.det == "no"
            if np_.ref is not None:
                self.cls(np_.ref)
                if np_.of:
                    self.extra.append(_has_prop(np_.ref, self.np(np_.of)))
                if np_.entity and np_.entity not in self.entities:
                    self.entities.append(np_.entity)  # "the FASTA format": one format, named FASTA
            elif np_.entity and np_.entity.lower() not in PRONOUNS | NEGATIVE_PRONOUNS and np_.det != "no" \
                    and np_.entity not in self.entities:
                self.entities.append(np_.entity)  # a proper name; pronouns name nothing
        return _names(nps)

    def cls(self, ref: ClassRef) -> str:
        if all(c.name != ref.name for c in self.classes):
            self.classes.append(ref)
        return ref.name

    def cls_or_np(self, ref: ClassRef | None, nps: Sequence[_NP] | None) -> tuple[str, ...]:
        """The class a question names outright (``ref``) when there is one, else the classes of ``nps``."""
        return (self.cls(ref),) if ref is not None else self.np(nps)

    def prop(self, p: PropertyReq) -> None:
        self.props.append(p)

    def link(self, child: str, parent: str, implied: bool = False) -> None:
        if child != parent:
            self.links.append(SubclassLink(child, parent, implied))

    def done(self, answer: Answer = "entities", answer_class: str | None = None,
             focus: Literal["domain", "range"] | None = None, **kw: object) -> ParsedCQ:
        props = self.props + [p for p in self.extra if all(p.name != q.name for q in self.props)]
        if self.denied:
            kw["negated"] = True  # "Which plants does no animal eat?" asks for plants no animal eats
        return ParsedCQ(self.text, self.pattern, tuple(self.classes), tuple(props), tuple(self.links),
                        answer, answer_class, focus, tuple(self.entities), **kw)  # type: ignore[arg-type]


def _first(nps: Sequence[_NP] | None) -> str | None:
    names = _names(nps)
    return names[0] if names else None


def _candidates(toks: Sequence[str], lo: int, hi: int, strong: Callable[[str], bool]) -> list[int]:
    """Split points in ``[lo, hi)``: strong verb signals left to right, then the rest right to left."""
    low = _low(toks)
    firsts = [j for j in range(lo, hi) if strong(low[j])]
    # Guess from word order only before the first word that looks like a verb: "does it render a
    # model" (model is also a verb) may split at "render", "what software works best" not at "best".
    rest = [j for j in range(hi - 1, lo - 1, -1) if not firsts or j < firsts[0]]
    # after a plural noun the next content word is probably the verb ("which animals hunt zebras")
    plural_next = [j for j in rest if j > 0 and low[j - 1] not in FUNCTION and singularise(low[j - 1]) != low[j - 1]
                   and low[j] not in FUNCTION]
    return firsts + plural_next + [j for j in rest if j not in plural_next]


def _objects(toks: Sequence[str]) -> list[_NP] | None:
    """The object after a verb: one or more noun phrases, or nothing (``[]``)."""
    if not toks:
        return []
    objs = _nps(toks)
    # An acronym of a common noun as the object is a kind of thing ("Which proteins bind DNA?" → range DNA); any
    # other is one thing's name ("Which software reads XML?", see chunker._acronym_name).
    return [_acronym_class(o) for o in objs] if objs else objs


def _acronym_class(np_: _NP) -> _NP:
    if np_.ref is None and np_.entity and len(np_.words) == 1 and np_.words[0] in COMMON_ACRONYMS:
        word = np_.words[0]
        return replace(np_, ref=ClassRef(pascal_case(word), word), entity=None)
    return np_


def _relational(toks: Sequence[str]) -> tuple[list[_NP], list[_NP]] | None:
    """``the director of a film`` → ([director], [film]); also ``for`` and ``to``.

    The last usable preposition wins, so that an attribute may itself contain
    "of": ``the year of birth of a person`` → ([year of birth], [person]).
    """
    low = _low(toks)
    for k in range(len(low) - 2, 0, -1):
        if low[k] not in ("of", "for", "to"):
            continue
        if low[k] == "to" and low[k + 1] in COMMON_VERBS and verb_lemma(low[k + 1]) == low[k + 1]:
            continue  # "the animals to eat", "tools to process data": a purpose, not an owner
        left = [t for t in low[:k] if t not in DETERMINERS and t not in QUALIFIERS]
        if not left or (left[-1] in KIND_WORDS and not _named_kind(low, k - 1)) or (
                len(left) == 1 and left[0] in ("number", "amount", "count", "total", "list", "set")):
            continue  # "the number of films of …": the attribute is "number of films"
        owners = _nps(toks[k + 1:])
        if not owners and k + 2 < len(low) and low[k + 1].endswith("ing") and verb_lemma(low[k + 1]) != low[k + 1]:
            owners = _nps(toks[k + 2:])  # "the requirements for running the software": the software's
        if not owners:
            continue
        attrs: list[_NP] | None = None
        if "of" in low[:k] and not any(w in DETERMINERS for w in low[1:k]):
            whole = _attribute_phrase(toks[:k])
            attrs = [whole] if whole is not None else None
        if attrs is None:
            attrs = _nps(toks[:k], class_slot=True)
        if attrs and low[k] != "of" and any(a.of for a in attrs):
            return None  # "the tools of a lab for a project": "for" may be about the tools or the lab (n-ary)
        if attrs:
            return attrs, owners
    return None


def _attribute_phrase(toks: Sequence[str]) -> _NP | None:
    """``the year of birth`` as one attribute noun (label "year of birth")."""
    words = [t.lower() for t in toks if t.lower() not in DETERMINERS and t.lower() not in QUALIFIERS]
    if not words or words[0] == "of" or words[-1] == "of" or any(
            w in FUNCTION and w != "of" or not re.fullmatch(r"[^\W_]+(?:[-.'][^\W_]+)*", w) for w in words):
        return None
    return _NP(ClassRef.from_label(" ".join(words)), words=tuple(words))


def _attribute(b: _B, attr: _NP, owners: tuple[str, ...], value: str | None = None) -> PropertyReq:
    """A data property for an attribute noun (an object property for place nouns)."""
    assert attr.ref is not None
    head = attr.ref.label.split()[-1].lower()
    if head in PLACE_HEADS and not _is_known_attribute(attr.ref.label.split()):
        place = ClassRef.from_label(PLACE_HEADS[head], PLACE.synonyms if PLACE_HEADS[head] == "place" else ())
        b.cls(place)
        return _has_prop(attr.ref, owners, (place.name,))
    if attr.ref.label.lower().startswith("number of "):
        return _data_prop(attr.ref, owners, "integer")
    datatype = attribute_datatype(attr.ref.label) or guess_datatype(attr.ref.label, value)
    return _data_prop(attr.ref, owners, datatype)
