"""Learning from labelled sentences: trigger phrases, object forms and known values per
property, stored in the ontology (:func:`learn_triggers`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from rdflib import OWL, RDF, Literal, URIRef

from ...ontology import Ontology
from .compiled import KNOWN_VALUE, LEADING_ARTICLE, NAME_WORD, OBJECT_FORM, _Compiled, _compiled, _mentions
from .mentions import _is_cap, _iso, _Mention, _surface_variants, _tok_at
from .relation_training import _learn_model
from .tokens import _YEAR, _filler, _tokenize, _Tokens
from .words import ADJECTIVE_SUFFIXES, BARRIERS, DATE_RXS, OPENERS, STOP_TRIGGERS, TITLE_WORDS


def _examples(
    examples: Iterable[Mapping[str, Any]],
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``(sentence, [(sub, rel, obj)])`` from TekGen lines or WebNLG lines (grouped by sentence)."""
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for ex in examples:
        sent = str(ex.get("sent") or ex.get("text") or "")
        if not sent:
            continue
        bucket = grouped.setdefault(sent, [])
        if "triples" in ex:
            for t in ex["triples"] or []:
                tr = (str(t.get("sub", "")), str(t.get("rel", "")), str(t.get("obj", "")))
                if tr not in bucket:
                    bucket.append(tr)
        elif "rel_label" in ex or "rel" in ex:
            tr = (
                str(ex.get("sub_label", ex.get("sub", ""))),
                str(ex.get("rel_label", ex.get("rel", ""))),
                str(ex.get("obj_label", ex.get("obj", ""))),
            )
            if tr not in bucket:
                bucket.append(tr)
    return list(grouped.items())


def _find(toks: _Tokens, mentions: list[_Mention], value: str) -> tuple[int, int, str] | None:
    """Token span and mention kind of ``value`` in the sentence."""
    iso = value.strip('"')
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        for m in mentions:
            if m.kind == "date":
                for n, rx in enumerate(DATE_RXS):
                    mm = rx.fullmatch(m.text)
                    if mm and _iso(mm, n) == iso:
                        return m.i, m.j, "date"
    text_low = toks.text.lower()
    for v in _surface_variants(value):
        if not v:
            continue
        pos = text_low.find(v.lower())
        while pos >= 0:
            i = _tok_at(toks, pos)
            j = _tok_at(toks, pos + len(v) - 1) + 1
            if (
                i >= 0
                and j == i + 1
                and toks.starts[i] == pos
                and toks.ends[i] > pos + len(v)
                and toks.low[i][len(v) :] in ADJECTIVE_SUFFIXES
            ):
                return i, j, "prefix"  # "Japan" read in "Japanese"
            if i >= 0 and j > i and toks.starts[i] == pos and toks.ends[j - 1] == pos + len(v):
                return i, j, _span_kind(toks, mentions, i, j)
            pos = text_low.find(v.lower(), pos + 1)
    return None


def _span_kind(toks: _Tokens, mentions: list[_Mention], i: int, j: int) -> str:
    """The kind of the mention at exactly ``i``..``j``, else what the tokens look like."""
    kind = "value"
    for m in mentions:
        if m.i == i and m.j == j:
            kind = m.kind
            break
    else:
        if _is_cap(toks, i):
            kind = "name"
        elif j - i == 1 and toks.kinds[i] == "num":
            kind = "year" if _YEAR.fullmatch(toks.words[i]) else "number"
    return kind


def _contains(phrase: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(phrase[i : i + n] == sub for i in range(len(phrase) - n + 1))


def _ngrams(stems: Sequence[str], a: int, b: int, max_n: int = 3) -> set[tuple[str, ...]]:
    out = set()
    for i in range(a, b):
        for n in range(1, max_n + 1):
            if i + n <= b:
                out.add(tuple(stems[i : i + n]))
    return out


def _useful(phrase: Sequence[str], surface: Sequence[str] = (), literal: bool = False) -> bool:
    """A phrase worth counting: some content word, no barrier, no name or number in it.

    Before a year, date or number even "is a" is worth it: the kind of the object
    keeps such a phrase precise ("is a 1991 film").
    """
    content = any(w not in STOP_TRIGGERS for w in phrase) or (
        literal and any(w.isalpha() for w in phrase) and len(phrase) >= 2
    )
    return (
        content
        and all(w not in BARRIERS for w in phrase)
        and not any(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in surface)
    )


def learn_triggers(
    examples: Iterable[Mapping[str, Any]],
    ontology: Ontology,
    *,
    min_support: int = 2,
    min_score: float = 0.3,
    tie: float = 0.7,
    name_word_share: float = 0.25,
    max_per_property: int = 40,
    model: bool = True,
    model_margin: float | None = None,
) -> dict[str, list[str]]:
    """Induce trigger phrases per property from labelled sentences and store them in ``ontology``.

    Parameters
    ----------
    examples
        Text2KGBench train lines in either layout: TekGen ``{"sub_label",
        "rel_label", "obj_label", "sent"}`` (one triple per line) or WebNLG
        ``{"sent", "triples": [{"sub", "rel", "obj"}]}`` (underscored names,
        quoted literals). Relations are matched to properties by label or name.
    ontology
        Receives ``hydra:trigger``, ``hydra:objectForm``, ``hydra:knownValue``
        annotations (see the module docstring) and is refreshed once.
    min_support, min_score, max_per_property
        A phrase is kept for a property when it was seen next to at least
        ``min_support`` of its objects and its precision score reaches
        ``min_score``; at most ``max_per_property`` phrases, best first.
    model, model_margin
        Whether to learn the relation model too, and how far its best property may trail
        "no relation" and still be read; ``None``: a share of its own score scale.

    Returns
    -------
    dict
        Property name -> learned trigger phrases, best first.
    """
    data = _examples(examples)
    comp = _compiled(ontology)
    counts = _Counts()
    for sent, triples in data:
        _count_sentence(counts, sent, triples, ontology, comp)
    per_prop = _score_triggers(counts, comp, min_support=min_support, min_score=min_score, tie=tie)
    result: dict[str, list[str]] = {}
    for prop_iri, lst in per_prop.items():
        lst.sort(key=lambda x: (-x[0], x[1]))
        phrases = [t for _, t in lst[:max_per_property]]
        ontology.add_triggers(prop_iri, phrases, refresh=False)
        result[ontology.properties[prop_iri].name] = phrases
    _store_forms_and_values(counts, ontology)
    _store_names(counts, ontology, name_word_share)
    ontology.refresh()
    if model:
        _learn_model(data, ontology, model_margin)
        ontology.refresh()
    return result


Key = tuple[tuple[str, ...], str, bool]  # (stems, slot, subject_after)


@dataclass
class _Counts:
    """What :func:`learn_triggers` counts over the labelled sentences."""

    adj: dict[Key, Counter[URIRef]] = field(default_factory=lambda: defaultdict(Counter))
    surface: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    occ: dict[tuple[str, ...], Counter[URIRef]] = field(default_factory=lambda: defaultdict(Counter))
    forms: dict[URIRef, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    value_hits: dict[URIRef, Counter[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(Counter))
    value_surface: dict[tuple[str, ...], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    the_kept: int = 0
    the_dropped: int = 0
    in_names: Counter[str] = field(default_factory=Counter)
    all_words: Counter[str] = field(default_factory=Counter)
    sentences_low: list[list[str]] = field(default_factory=list)


def _count_sentence(counts: _Counts, sent: str, triples: list[tuple[str, str, str]], ontology: Ontology,
                    comp: _Compiled) -> None:
    toks = _tokenize(sent)
    mentions = _mentions(toks, comp)
    counts.sentences_low.append(toks.low)
    props_here: set[URIRef] = set()
    for sub, rel, obj in triples:
        prop = ontology.get_property(rel) or ontology.get_property(rel.strip())
        if prop is None:
            continue
        props_here.add(prop.iri)
        o = _find(toks, mentions, obj)
        s = _find(toks, mentions, sub)
        for gold, span in ((sub, s), (obj, o)):
            if span is not None:
                _count_name_words(counts, toks, gold, span)
        if o is None:
            continue
        _count_object(counts, toks, prop.iri, obj, o)
        _count_phrases(counts, toks, prop.iri, o, s)
    counts.all_words.update(w for w, k in zip(toks.words, toks.kinds) if k == "word" and w.islower())
    for ph in _ngrams(toks.stems, 0, len(toks.stems)):
        for p in props_here:
            counts.occ[ph][p] += 1


def _count_name_words(counts: _Counts, toks: _Tokens, gold: str, span: tuple[int, int, str]) -> None:
    """Lower-case words inside a labelled name, and whether the labels keep a leading ``The``."""
    i = span[0]
    if span[2] in ("name", "value", "quoted") and _is_cap(toks, i):
        for q in range(i + 1, span[1]):
            if toks.kinds[q] == "word" and toks.words[q].islower():
                counts.in_names[toks.low[q]] += 1
    gold_text = gold.strip('"').replace("_", " ")
    if gold_text.lower().startswith("the ") and toks.low[i] == "the":
        counts.the_kept += 1
    elif i > 0 and toks.words[i - 1] == "The":
        counts.the_dropped += 1


def _count_object(counts: _Counts, toks: _Tokens, prop: URIRef, obj: str, o: tuple[int, int, str]) -> None:
    """The form of a property's object and its value, when it may be a known value."""
    oi, oj, kind = o
    if kind == "prefix":
        gold_value = obj.strip('"').replace("_", " ")
        counts.forms[prop]["value"] += 1
        counts.value_hits[prop][(gold_value.lower(),)] += 1
        counts.value_surface[(gold_value.lower(),)][gold_value] += 1
    else:
        counts.forms[prop][kind] += 1
    if kind in ("value", "name", "quoted") and oj - oi <= 4:
        counts.value_hits[prop][tuple(toks.low[oi:oj])] += 1
        counts.value_surface[tuple(toks.low[oi:oj])][
            toks.text[toks.starts[oi] : toks.ends[oj - 1]]
        ] += 1


def _count_phrases(counts: _Counts, toks: _Tokens, prop: URIRef, o: tuple[int, int, str],
                   s: tuple[int, int, str] | None) -> None:
    """The phrases next to a property's object: candidate triggers."""
    _count_phrases_before(counts, toks, prop, o, s)
    _count_phrases_after(counts, toks, prop, o, s)


def _count_phrases_before(counts: _Counts, toks: _Tokens, prop: URIRef, o: tuple[int, int, str],
                          s: tuple[int, int, str] | None) -> None:
    """Phrases before the object ("directed by Y"), up to 3 tokens away."""
    oi, oj, kind = o
    lo = max(0, oi - 6)
    if s is not None and s[1] <= oi:
        lo = max(lo, s[1])
    for n in (1, 2, 3):
        for gap in range(0, 4):
            a, b = oi - gap - n, oi - gap
            if a < lo:
                continue
            if any(toks.words[k] in BARRIERS for k in range(a, oi)):
                continue
            if not all(_filler(toks, q) for q in range(b, oi)):
                continue
            ph = tuple(toks.stems[a:b])
            if _useful(
                ph,
                [w for q, w in enumerate(toks.words[a:b], a) if q > 0],
                literal=kind in ("year", "date", "number"),
            ):
                key = (ph, "after", False)
                counts.adj[key][prop] += 1
                counts.surface[key][" ".join(toks.low[a:b])] += 1


def _count_phrases_after(counts: _Counts, toks: _Tokens, prop: URIRef, o: tuple[int, int, str],
                         s: tuple[int, int, str] | None) -> None:
    """Phrases right after the object ("{o} film", "{o} directed {s}")."""
    oi, oj, kind = o
    subj_after = s is not None and s[0] >= oj
    for n in (1, 2, 3, 4) if subj_after else (1, 2):
        a, b = oj, oj + n
        if b > len(toks.words) or (s is not None and s[0] < b and s[0] >= oj):
            continue
        if subj_after and n > 2 and s is not None and s[0] != b:
            continue  # long object-first phrases must end at the subject
        if any(toks.words[k] in BARRIERS for k in range(a, b)):
            continue
        ph = tuple(toks.stems[a:b])
        if _useful(ph, toks.words[a:b]):
            key = (ph, "before", subj_after)
            counts.adj[key][prop] += 1
            counts.surface[key][" ".join(toks.low[a:b])] += 1


def _score_triggers(counts: _Counts, comp: _Compiled, *, min_support: int, min_score: float,
                    tie: float) -> dict[URIRef, list[tuple[float, str]]]:
    """Each phrase's score per property it was seen next to: ``(score, trigger text)``."""
    per_prop: dict[URIRef, list[tuple[float, str]]] = defaultdict(list)
    label_owner: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
    for stems_list in comp.triggers.values():
        for trig in stems_list:
            if not trig.learned:
                label_owner[trig.stems].add(trig.prop)
    for key, by_prop in counts.adj.items():
        phrase, slot, subj_after = key
        total = sum(by_prop.values())
        # A phrase may signal several properties ("written by": composer and lyrics by)
        # when they are about as frequent; each must earn its own score.
        top = max(by_prop.values())
        for prop_iri, n in by_prop.items():
            if n < min_support or n < tie * top:
                continue
            if any(
                owners and prop_iri not in owners
                for sub, owners in label_owner.items()
                if sub == phrase or (len(sub) > 1 and _contains(phrase, sub))
            ):
                # another property's own label ("director" never signals screenwriter), or a
                # phrase around one ("and edited by" never signals author; "tributary of" may
                # still signal the mouth of a river)
                continue
            share = n / total
            within = n / max(counts.occ[phrase][prop_iri], n)
            score = share * within
            if score < min_score:
                continue
            text = counts.surface[key].most_common(1)[0][0]
            if slot == "before":
                text = "{o} " + text + (" {s}" if subj_after else "")
            per_prop[prop_iri].append((score * (1 + 0.1 * len(phrase)), text))
    return per_prop


def _store_forms_and_values(counts: _Counts, ontology: Ontology) -> None:
    """``hydra:objectForm`` and ``hydra:knownValue`` per property."""
    g = ontology.graph
    all_values: Counter[tuple[str, ...]] = Counter()
    for low in counts.sentences_low:
        seen = set()
        for i in range(len(low)):
            for n in range(1, 5):
                if i + n <= len(low):
                    seen.add(tuple(low[i : i + n]))
        all_values.update(seen)
    for prop_iri, form_counts in counts.forms.items():
        total = sum(form_counts.values())
        kinds = {k for k, v in form_counts.items() if v >= max(2, 0.1 * total)}
        if kinds:
            for k in sorted(kinds):
                g.add((prop_iri, OBJECT_FORM, Literal(k)))
    for prop_iri, hits in counts.value_hits.items():
        for val, n in hits.items():
            if n < 2 or not any(w.isalpha() for w in val):
                continue
            if n / max(all_values[val], n) >= 0.5:
                g.add((prop_iri, KNOWN_VALUE, Literal(counts.value_surface[val].most_common(1)[0][0])))


def _store_names(counts: _Counts, ontology: Ontology, name_word_share: float) -> None:
    """``hydra:leadingArticle`` and ``hydra:nameWord`` on the ontology node."""
    g = ontology.graph
    node = URIRef(str(ontology.ns))
    if counts.the_kept > counts.the_dropped:
        g.add((node, RDF.type, OWL.Ontology))
        g.set((node, LEADING_ARTICLE, Literal("keep")))
    for w, in_name in sorted(counts.in_names.items()):
        # lower-case words that mostly occur inside names ("national", "volleyball", "team")
        if (
            in_name >= 3
            and in_name >= name_word_share * counts.all_words[w]
            and w not in OPENERS
            and w not in TITLE_WORDS
        ):
            g.add((node, RDF.type, OWL.Ontology))
            g.add((node, NAME_WORD, Literal(w)))
