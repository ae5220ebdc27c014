"""An ontology compiled for reading text: trigger phrases per property, object kinds, known
values and class labels; the mentions and trigger matches of a sentence under those tables.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import XSD, URIRef

from ...iri import normalise_label
from ...ontology import HYDRA, Ontology, OntProperty
from ..morphology import singularise, verb_forms, verb_lemma
from .common_nouns import CATEGORY_HEADS, COMMON_HEADS, COMMON_LABELS, LIVING_HEADS, PLACE_HEADS
from .mentions import (
    _date_mentions,
    _month,
    _extend_name,
    _Mention,
    _merge_commas,
    _name_mentions,
    _number_mentions,
    _quoted_mentions,
)
from .paraphrases import PARAPHRASES
from .relation_model import _load_model, _Model
from .tokens import _stem, _tokenize, _Tokens
from .words import ADJECTIVE_SUFFIXES, GAP_PREPOSITIONS, GAP_WORDS, IRREGULAR_AGENTS, MENTION_KINDS

#: Annotation properties this module reads and (when learning) writes.
TRIGGER = HYDRA.trigger
OBJECT_FORM = HYDRA.objectForm
KNOWN_VALUE = HYDRA.knownValue
LEADING_ARTICLE = HYDRA.leadingArticle
NAME_WORD = HYDRA.nameWord


@dataclass
class _Trigger:
    prop: URIRef
    stems: tuple[str, ...]
    slot: str  # "after": phrase then object; "before": object then phrase
    subject_after: bool = False
    learned: bool = False
    inverse: bool = False  # passive phrase of an active label: "directed by" for "directs"
    paraphrase: bool = False  # from the paraphrase table, not the ontology's own words


@dataclass
class _Compiled:
    props: dict[URIRef, OntProperty]
    classes: dict[URIRef, Any]
    triggers: dict[str, list[_Trigger]]  # first stem -> triggers, longest first
    kinds: dict[URIRef, frozenset[str]]
    values: dict[
        str, list[tuple[tuple[str, ...], frozenset[URIRef]]]
    ]  # first low token -> (tokens, props)
    value_props: dict[URIRef, bool]  # properties whose known values alone signal them
    class_labels: dict[tuple[str, ...], URIRef]  # stemmed label tokens -> class
    keep_the: bool = False
    max_class_len: int = 1
    name_words: frozenset[str] = frozenset()  # lower-case words that belong to names here
    has_single_values: bool = False
    model: _Model | None = None
    # stems of one-word class labels: "the drug" is a description, not a common-noun entity
    class_words: frozenset[str] = frozenset()
    # properties whose object a copula names ("X is a tyrosine kinase inhibitor": DrugClass)
    category_props: tuple[URIRef, ...] = ()
    # properties whose range is a position or role class ("the midfielder X": X plays midfielder)
    position_props: tuple[URIRef, ...] = ()
    # first stem -> (length, the triggers of that length by their middle stems), longest first: a token
    # tries one bucket per length instead of every trigger that opens with it (see _trigger_groups)
    trigger_groups: dict[str, tuple[tuple[int, dict[tuple[str, ...], tuple[_Trigger, ...]]], ...]] = field(
        default_factory=dict)


_CACHE: "weakref.WeakKeyDictionary[Ontology, _Compiled]" = weakref.WeakKeyDictionary()
# A cache, not state: compiled tables are rebuilt whenever the ontology's index
# is (Ontology.refresh replaces its dicts), and dropped with the ontology.


def _compiled(ontology: Ontology) -> _Compiled:
    c = _CACHE.get(ontology)
    if c is not None and c.props is ontology.properties and c.classes is ontology.classes:
        return c
    c = _compile(ontology)
    _CACHE[ontology] = c
    return c


def _label_triggers(label: str, alt_labels: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for lab in (label, *alt_labels):
        words = normalise_label(lab).split()
        if not words:
            continue
        out.append(" ".join(words))
        if len(words) >= 3 and words[:2] == ["number", "of"]:
            out.append("{o} " + words[2])  # "number of employees": "has 5,800 employees", "scored 22 goals"
        if lab == label and len(words) <= 2 and words[0].endswith("s") and verb_lemma(words[0]) != words[0]:
            # the label's verb in its other forms: "wins" -> win, won, winning
            out += [" ".join([f, *words[1:]]) for f in dict.fromkeys(verb_forms(verb_lemma(words[0])))]
        last = words[-1]
        base = None
        if last in IRREGULAR_AGENTS:
            out.append(" ".join(words[:-1] + [IRREGULAR_AGENTS[last]]))
        elif last.endswith("or") and len(last) > 5:
            base = last[:-2] + "ed"
        elif last.endswith("er") and len(last) > 5:
            base = last[:-2] + ("ed" if not last[:-2].endswith("e") else "d")
        if base:
            out.append(" ".join(words[:-1] + [base, "by"]))
    return out


@lru_cache(maxsize=4096)
def _paraphrase_triggers(label: str) -> tuple[tuple[str, bool], ...]:
    """The phrases of :data:`.paraphrases.PARAPHRASES` for a property label, each with whether its
    object is the relation's subject (memoised: the same labels recur across ontologies)."""
    words = normalise_label(label).split()
    while len(words) > 1 and words[0] in ("has", "have", "had", "is", "was"):
        words = words[1:]
    if not words:
        return ()
    keys = (" ".join([verb_lemma(words[0]), *words[1:]]), " ".join(words))
    phrases = next((PARAPHRASES[k] for k in keys if k in PARAPHRASES), ())
    out: list[tuple[str, bool]] = []
    for phrase in phrases:
        inverse = phrase.startswith("<")
        first, _, rest = phrase.lstrip("<").partition(" ")
        if first[-1:] not in ("*", "+"):
            out.append((phrase.lstrip("<"), inverse))
            continue
        forms = verb_forms(first[:-1])
        out += [(" ".join(filter(None, (f, rest))), inverse) for f in dict.fromkeys(forms)]
        if first.endswith("+") and not inverse:
            out.append((" ".join(filter(None, (forms[3], rest, "by"))), True))  # "established by X"
    return tuple(out)


@lru_cache(maxsize=4096)
def _parse_trigger(phrase: str) -> tuple[tuple[str, ...], str, bool] | None:
    ph = " ".join(phrase.split())
    before = ph.startswith("{o}")
    subject_after = ph.endswith("{s}")
    core = ph.replace("{o}", " ").replace("{s}", " ")
    toks = _tokenize(core)
    stems = tuple(toks.stems)
    if not stems:
        return None
    return stems, ("before" if before else "after"), subject_after


def _compile(ontology: Ontology) -> _Compiled:
    g = ontology.graph
    triggers: dict[str, list[_Trigger]] = defaultdict(list)
    kinds: dict[URIRef, frozenset[str]] = {}
    values: dict[str, list[tuple[tuple[str, ...], frozenset[URIRef]]]] = defaultdict(list)
    value_sets: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
    value_props: dict[URIRef, bool] = {}
    seen: set[tuple[URIRef, tuple[str, ...], str, bool]] = set()
    for prop in ontology.properties.values():
        _compile_triggers(prop, triggers, seen)
        forms = {str(o) for o in g.objects(prop.iri, OBJECT_FORM)} & set(MENTION_KINDS)
        kinds[prop.iri] = frozenset(forms) if forms else _default_kinds(prop)
        if takes_common_nouns(ontology, prop):
            kinds[prop.iri] |= {"noun"}
        known = [str(o) for o in g.objects(prop.iri, KNOWN_VALUE)]
        value_props[prop.iri] = bool(known)
        for v in known:
            toks = tuple(_tokenize(v).low)
            if toks:
                value_sets[toks].add(prop.iri)
    for toks, ps in value_sets.items():
        values[toks[0]].append((toks, frozenset(ps)))
    for lst in values.values():
        lst.sort(key=lambda x: -len(x[0]))
    _drop_shared_paraphrases(triggers)
    for trigger_list in triggers.values():
        trigger_list.sort(key=lambda t: -len(t.stems))
    groups = {first: _trigger_groups(lst) for first, lst in triggers.items()}
    class_labels = _class_labels(ontology)
    keep = any(str(o) == "keep" for o in g.objects(None, LEADING_ARTICLE))
    name_words = frozenset(str(o) for o in g.objects(None, NAME_WORD))
    return _Compiled(
        ontology.properties,
        ontology.classes,
        dict(triggers),
        kinds,
        dict(values),
        value_props,
        class_labels,
        keep,
        max((len(k) for k in class_labels), default=1),
        name_words,
        any(len(toks) == 1 for toks in value_sets),
        _load_model(ontology),
        frozenset(k[0] for k in class_labels if len(k) == 1),
        tuple(p.iri for p in ontology.properties.values() if "noun" in kinds[p.iri] and _category_range(ontology, p)),
        tuple(p.iri for p in ontology.properties.values() if p.kind == "object" and any(
            c in ontology.classes and _head(ontology.classes[c].label or ontology.classes[c].name) == "position"
            for c in p.range)),
        groups,
    )


def _trigger_groups(lst: list[_Trigger]) -> tuple[tuple[int, dict[tuple[str, ...], tuple[_Trigger, ...]]], ...]:
    """The triggers of one first stem (longest first) by length, then by their stems between the first and
    the last, each bucket in the list's order: at a token only the bucket of the words that follow can
    match, so :func:`_match_triggers` reads the same matches in the same order, sooner."""
    by_len: dict[int, dict[tuple[str, ...], list[_Trigger]]] = {}
    for t in lst:
        by_len.setdefault(len(t.stems), {}).setdefault(t.stems[1:-1], []).append(t)
    return tuple((L, {k: tuple(v) for k, v in b.items()}) for L, b in sorted(by_len.items(), reverse=True))


@lru_cache(maxsize=4096)
def _head(label: str) -> str:
    """The head noun of a class or property label, singular ("drug classes" -> class; memoised:
    compiled anew for every change of a session's ontology)."""
    words = normalise_label(label).split()
    return singularise(words[-1]) if words else ""


def takes_common_nouns(ontology: Ontology, prop: OntProperty) -> bool:
    """Whether ``prop``'s objects may be lower-case noun phrases: its range is a class whose
    instances English writes in lower case (:data:`.common_nouns.COMMON_HEADS`), or, for a text
    property or one without a range, its label asks for such nouns ("side effect", "feeds on")."""
    if prop.kind == "object" and prop.range:
        heads = {_head(ontology.classes[c].label or ontology.classes[c].name) for c in prop.range
                 if c in ontology.classes}
        if heads & PLACE_HEADS and any(
            _head(ontology.classes[c].label or ontology.classes[c].name) in LIVING_HEADS
            for c in prop.domain
            if c in ontology.classes
        ):
            return True  # a habitat: "lives in high-elevation lakes and streams"
        return bool(heads & COMMON_HEADS)
    if prop.kind != "object" and prop.datatype not in (None, XSD.string):
        return False
    return _label_asks_nouns(prop.label)


@lru_cache(maxsize=4096)
def _label_asks_nouns(label: str) -> bool:
    words = normalise_label(label).split()
    lemma = " ".join([verb_lemma(words[0]), *words[1:]]) if words else ""
    return lemma in COMMON_LABELS or _head(label) in COMMON_HEADS


def _category_range(ontology: Ontology, prop: OntProperty) -> bool:
    """A range that classifies its subject ("drug class"): a copula states it."""
    return prop.kind == "object" and any(
        _head(ontology.classes[c].label or ontology.classes[c].name) in CATEGORY_HEADS
        for c in prop.range
        if c in ontology.classes
    )


def _compile_triggers(prop: OntProperty, triggers: dict[str, list[_Trigger]],
                      seen: set[tuple[URIRef, tuple[str, ...], str, bool]]) -> None:
    """The property's label, paraphrase and learned trigger phrases, by first stem (each once)."""
    for trig in _property_triggers(prop.iri, prop.kind, prop.label, tuple(prop.alt_labels), tuple(prop.triggers)):
        key = (prop.iri, trig.stems, trig.slot, trig.subject_after)
        if key not in seen:
            seen.add(key)
            triggers[trig.stems[0]].append(trig)


@lru_cache(maxsize=4096)
def _property_triggers(iri: URIRef, kind: str, label: str, alt_labels: tuple[str, ...],
                       learned_phrases: tuple[str, ...]) -> tuple[_Trigger, ...]:
    """The triggers of one property (memoised on its words: a session's ontology is compiled anew
    after each change, and most of its properties have not changed)."""
    phrases: list[tuple[str, bool, bool | None]] = [(p, False, None) for p in _label_triggers(label, alt_labels)]
    phrases += [(p, True, None) for p in learned_phrases]
    if label:
        # The label's own paraphrases; an alternative label's only when the label has none. A data property's
        # alternative label may be another property's verb ("founding year" has "founded"): it took the verb's
        # phrases ("founder of", "established by"), shared them with that property, and both lost them.
        own = _paraphrase_triggers(label)
        phrases += [(p, False, inv) for p, inv in own or
                    (x for alt in alt_labels for x in _paraphrase_triggers(alt))]
    label_words = [_stem(w) for w in normalise_label(label).split()]
    out: list[_Trigger] = []
    for phrase, learned, paraphrase_inverse in phrases:
        parsed = _parse_trigger(phrase)
        if parsed is None:
            continue
        stems, slot, subj_after = parsed
        if paraphrase_inverse is not None:
            if not (paraphrase_inverse and kind != "object"):
                out.append(_Trigger(iri, stems, slot, subj_after, False, paraphrase_inverse, paraphrase=True))
            continue
        # "directs" (Director -> Film) with the alternative label "directed by": in
        # "Alien was directed by Ridley Scott" the object of "by" is the subject.
        # Learned phrases were read with the gold direction and are never inverted.
        inverse = (
            not learned
            and kind == "object"
            and len(stems) >= 2
            and stems[-1] == "by"
            and bool(label_words)
            and label_words[-1] != "by"
            and (stems[-2] == label_words[0] or _noun_of_verb_label(stems[-2], label_words))
        )
        out.append(_Trigger(iri, stems, slot, subj_after, learned, inverse))
    return tuple(out)


_NOT_VERBS = frozenset(_stem(w) for w in ("has", "have", "had", "is", "was", "are", "be"))


def _noun_of_verb_label(stem: str, label_words: list[str]) -> bool:
    """Whether ``stem`` is the noun of a label that opens with its verb ("screenplay" of "writes
    screenplay of", "music" of "composes music for"): "screenplay by X" then names X as the
    subject, as "written by X" does; not for "has author" ("author by" says nothing of it)."""
    return len(label_words) >= 2 and label_words[0] not in _NOT_VERBS and stem in label_words[1:]


def _drop_shared_paraphrases(triggers: dict[str, list[_Trigger]]) -> None:
    """A paraphrase that is another property's own phrase, or that two properties share, says
    nothing about which property is meant: it is left out."""
    for first, lst in triggers.items():
        owners: dict[tuple[tuple[str, ...], str], set[URIRef]] = defaultdict(set)
        own: set[tuple[tuple[str, ...], str]] = set()
        for t in lst:
            owners[(t.stems, t.slot)].add(t.prop)
            if not t.paraphrase:
                own.add((t.stems, t.slot))
        triggers[first] = [
            t for t in lst
            if not t.paraphrase or ((t.stems, t.slot) not in own and len(owners[(t.stems, t.slot)]) == 1)
        ]


def _class_labels(ontology: Ontology) -> dict[tuple[str, ...], URIRef]:
    """Stemmed label, name and alternative labels of each class -> the class (first one wins)."""
    class_labels: dict[tuple[str, ...], URIRef] = {}
    for cls in sorted(ontology.classes.values(), key=lambda c: str(c.iri)):
        for lab in (cls.label, cls.name, *cls.alt_labels):
            words = tuple(_stem(w) for w in normalise_label(lab).split())
            if words:
                class_labels.setdefault(words, cls.iri)
    return class_labels


def _default_kinds(prop: OntProperty) -> frozenset[str]:
    if prop.kind == "object":
        return frozenset({"name", "quoted", "value"})
    dt = prop.datatype
    if dt in (
        XSD.integer,
        XSD.int,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.decimal,
        XSD.float,
        XSD.double,
        XSD.gYear,
    ):
        return frozenset({"number", "year"})
    if dt in (XSD.date, XSD.dateTime):
        # a year is read too: proposed as written, the contracts say that it is no date
        return frozenset({"date", "year"})
    if dt == XSD.boolean:
        return frozenset()
    return frozenset({"name", "quoted", "value", "year", "date", "number"})


def _value_mentions(toks: _Tokens, comp: _Compiled) -> list[_Mention]:
    out = []
    low = toks.low
    n = len(low)
    k = 0
    while k < n:
        hit = None
        for cand, props in comp.values.get(low[k], ()):
            L = len(cand)
            if tuple(low[k : k + L]) == cand:
                hit = (L, props)
                break
            # plural of a known value: "tenors", "operas"
            if (
                tuple(low[k : k + L - 1]) == cand[:-1]
                and k + L - 1 < n
                and low[k + L - 1] in (cand[-1] + "s", cand[-1] + "es")
            ):
                hit = (L, props)
                break
        if hit:
            L, props = hit
            a, b = toks.starts[k], toks.ends[k + L - 1]
            out.append(_Mention(k, k + L, a, b, toks.text[a:b], "value", props=props))
            k += L
            continue
        w = low[k]
        if (
            comp.has_single_values
            and len(w) > 4
            and toks.kinds[k] == "word"
            and toks.words[k][:1].isupper()
        ):
            # the adjective of a known value: "Japanese" -> Japan, "Korean" -> Korea
            for suffix in ADJECTIVE_SUFFIXES:
                if w.endswith(suffix):
                    stem_props = comp.values.get(w[: -len(suffix)])
                    adj_props = next((p for c, p in stem_props or () if len(c) == 1), None)
                    if adj_props is not None:
                        a = toks.starts[k]
                        b = a + len(w) - len(suffix)
                        out.append(_Mention(k, k + 1, a, b, toks.text[a:b], "value", props=adj_props))
                        break
        k += 1
    return out


def _mentions(toks: _Tokens, comp: _Compiled) -> list[_Mention]:
    dates = _date_mentions(toks)
    quoted = _quoted_mentions(toks)
    names = _name_mentions(toks, comp.keep_the)
    if names and names[0].i == 0 and names[0].j == 1 and _opens_label(toks, comp):
        names = names[1:]  # "Side effects include nausea": the label's words, not a name "Side"
    if comp.name_words:
        names = [_extend_name(m, toks, comp.name_words) for m in names]
    nums = _number_mentions(toks, dates)
    vals = _value_mentions(toks, comp) if comp.values else []
    ms = quoted + dates + nums + vals
    qspans = [(q.i, q.j) for q in quoted]
    for m in names:
        # a name inside a quoted title is the title
        if any(a <= m.i and m.j <= b and (a, b) != (m.i, m.j) for a, b in qspans):
            continue
        if any((a, b) == (m.i, m.j) for a, b in qspans):
            continue
        ms.append(m)
    for v in vals:  # a capitalised known value is both a name and a value: merge
        for m in ms:
            if m.kind == "name" and m.key == v.key:
                m.props = v.props
    ms.sort(key=lambda m: (m.i, -m.j))
    if comp.model is not None and comp.model.merge:
        ms = _merge_commas(toks, ms, comp.model.merge)
    return ms


def _opens_label(toks: _Tokens, comp: _Compiled) -> bool:
    """Whether the sentence opens with a phrase of two or more words of the ontology's own (a label,
    not a learned phrase) whose words after the first are lower case: "Side effects include …"."""
    stems, n = toks.stems, len(toks.stems)
    for trig in comp.triggers.get(stems[0], ()):
        L = len(trig.stems)
        if (L >= 2 and L <= n and not trig.learned and not trig.paraphrase and stems[:L] == trig.stems
                and all(toks.words[q][:1].islower() for q in range(1, L))):
            return True
    return False


def _match_triggers(toks: _Tokens, comp: _Compiled) -> list[tuple[int, int, _Trigger]]:
    out = []
    stems = toks.stems
    n = len(stems)
    words = toks.words
    get = comp.trigger_groups.get
    for k in range(n):
        groups = get(stems[k])
        if not groups:
            continue
        for L, buckets in groups:
            if k + L > n:
                continue
            bucket = buckets.get(stems[k + 1 : k + L - 1] if L > 2 else ())
            if bucket is None:
                continue
            last = stems[k + L - 1]
            for trig in bucket:
                if trig.stems[-1] == last:
                    if all(q == 0 or not words[q][:1].isupper() for q in range(k, k + L)):
                        out.append((k, k + L, trig))
                elif trig.slot == "after":  # L >= 2 here: a one-word trigger always matches its token
                    end = _split_match(toks, k + L - 1, trig)
                    if end is not None:
                        out.append((k, end, trig))
    return out


def _split_match(toks: _Tokens, q0: int, trig: _Trigger) -> int | None:
    """Where a trigger whose words before its last one matched up to ``q0`` ends, when a phrase
    stands between them (``None`` when it does not match)."""
    stems, words, n = toks.stems, toks.words, len(toks.stems)
    if _object_noun_gap(toks, q0, trig):
        return q0 + 2  # "studied architecture at X", "plays football for X": the verb's own object between
    role_end = _role_as_gap(toks, q0, trig)
    if role_end:
        return role_end  # "plays as a centre-back for X": the role between
    if stems[q0] not in ("and", ",", "or"):
        if trig.learned or trig.stems[-1] not in GAP_PREPOSITIONS:
            return None
        # "born on 24 July 1783 in Caracas", "discovered in 1928 by Alexander Fleming":
        # a date or place phrase between the verb and its preposition
        q = _gapped_preposition(toks, q0, trig.stems[-1])
        return None if q is None else q + 1
    if trig.stems[-1] != "by":
        return None
    # "written and directed by X", "produced, written and directed by X"
    for q in range(q0 + 1, min(n, q0 + 6)):
        if stems[q] == "by":
            return q + 1
        if toks.kinds[q] != "word" and words[q] != "," or words[q][:1].isupper():
            break
    return None


#: Fields and games: what one studies, teaches or plays, between the verb and its preposition.
_FIELD_NOUNS = frozenset(
    "law medicine art arts music engineering nursing architecture literature science sciences philosophy "
    "football soccer basketball baseball cricket rugby tennis hockey golf chess".split())


def _object_noun_gap(toks: _Tokens, q0: int, trig: _Trigger) -> bool:
    """A field or a game, the verb's own object, between a two-word trigger's verb and its
    preposition ("studied economics at", "plays football for"); not any noun: in "approved velmostat
    on" the noun is the relation's subject."""
    if trig.learned or len(trig.stems) != 2 or trig.stems[-1] not in GAP_PREPOSITIONS or q0 + 1 >= len(toks.low):
        return False
    w = toks.words[q0]
    field = w in _FIELD_NOUNS or (len(w) > 5 and w.endswith(("ics", "ogy", "omy", "istry")))
    return field and toks.kinds[q0] == "word" and toks.stems[q0 + 1] == trig.stems[-1]


def _role_as_gap(toks: _Tokens, q0: int, trig: _Trigger) -> int:
    """Where a two-word trigger ends when "as a/an <one or two lower-case words>" stands between its
    verb and its preposition ("plays as a centre-back for"); 0 when it does not."""
    low, n = toks.low, len(toks.low)
    if (trig.learned or len(trig.stems) != 2 or trig.stems[-1] not in GAP_PREPOSITIONS or q0 + 3 >= n
            or low[q0] != "as" or low[q0 + 1] not in ("a", "an")):
        return 0
    for q in (q0 + 3, q0 + 4):
        if q < n and toks.stems[q] == trig.stems[-1] and all(
                toks.kinds[r] == "word" and toks.words[r].islower() for r in range(q0 + 2, q)):
            return q + 1
    return 0


def _gapped_preposition(toks: _Tokens, q0: int, prep: str) -> int | None:
    """Where ``prep`` stands after a short date or place phrase that starts at ``q0`` (``None`` if
    it does not): "[born] on 24 July 1783 in", "[founded] in 1975 by", "[released] in Japan on"."""
    low, kinds, words = toks.low, toks.kinds, toks.words
    n = len(low)
    for q in range(q0, min(n, q0 + 9)):
        w = low[q]
        if q > q0 and w == prep and kinds[q] == "word":
            return q
        if kinds[q] == "num" or w in GAP_WORDS or _month(words[q]):
            continue
        if kinds[q] in ("word", "alnum") and words[q][:1].isupper() and q > q0:
            continue  # a place: "in Japan", "in the United States"
        if w == "," and 0 < q - q0 and kinds[q - 1] == "num" and q + 1 < n and kinds[q + 1] == "num":
            continue  # "July 24, 1783"
        return None
    return None
