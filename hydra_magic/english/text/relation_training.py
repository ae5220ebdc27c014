"""Training the relation model from labelled sentences."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rdflib import URIRef

from ...ontology import Ontology
from .compiled import _compiled, _mentions
from .mentions import _comma_pairs, _iso, _Mention, _merge_commas, _surface_variants
from .relation_model import (
    _MARGIN_SHARE,
    _PRUNE,
    RELATION_MODEL,
    RELATION_MODEL_KEY,
    _lexicon_mentions,
    _mention_features,
    _sentence_features,
)
from .subjects import _list_extension, _local_subject, _sentence_subject
from .tokens import _tokenize, _Tokens
from .words import DATE_RXS, STOP_TRIGGERS


def _train_perceptron(
    examples: list[tuple[list[str], set[int]]], n_classes: int, epochs: int = 6
) -> dict[str, dict[int, float]]:
    """An averaged multi-class perceptron (deterministic order: epochs rotate the data)."""
    import random

    w: dict[str, dict[int, float]] = defaultdict(dict)
    total: dict[str, dict[int, float]] = defaultdict(dict)
    stamp: dict[str, dict[int, int]] = defaultdict(dict)
    t = 0
    order = list(range(len(examples)))
    rnd = random.Random(13)
    for _ in range(epochs):
        rnd.shuffle(order)
        for idx in order:
            feats, gold = examples[idx]
            t += 1
            sc = [0.0] * n_classes
            for f in feats:
                for c, v in w[f].items():
                    sc[c] += v
            pred = max(range(n_classes), key=lambda c: (sc[c], -c))
            if pred in gold:
                continue
            g = min(gold)
            for f in feats:
                wf, tf, sf = w[f], total[f], stamp[f]
                for c, delta in ((g, 1.0), (pred, -1.0)):
                    old = wf.get(c, 0.0)
                    tf[c] = tf.get(c, 0.0) + (t - sf.get(c, 0)) * old
                    sf[c] = t
                    wf[c] = old + delta
    out: dict[str, dict[int, float]] = {}
    for f, wf in w.items():
        avg = {}
        for c, v in wf.items():
            tot = total[f].get(c, 0.0) + (t - stamp[f].get(c, 0)) * v
            a = round(tot / t, 3)
            if abs(a) >= _PRUNE:
                avg[c] = a
        if avg:
            out[f] = avg
    return out


def _learn_model(
    data: list[tuple[str, list[tuple[str, str, str]]]],
    ontology: Ontology,
    margin: float | None,
) -> None:
    """Train the relation model on the labelled sentences and store it in ``ontology``
    (with ``margin``, or the one it learns when ``None``)."""

    comp = _compiled(ontology)
    props = sorted(comp.props, key=str)
    index = {p: n for n, p in enumerate(props, start=1)}
    parsed, lex = _gold_values(data, ontology, index)
    lexicon: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for t in sorted(lex, key=lambda x: -len(x)):
        lexicon[t[0]].append(t)
    tokenized = {}
    for sent, _ in data:
        toks = _tokenize(sent)
        tokenized[sent] = (toks, _mentions(toks, comp))
    merge = _comma_merges(data, tokenized)
    examples: list[tuple[list[str], set[int]]] = []
    # every labelled object's forms: such a mention left unlabelled in one sentence is no sure negative
    known = frozenset(v for _, golds in parsed for _, variants, _ in golds for v in variants)
    for sent, golds in parsed:
        if golds:
            toks, mentions = tokenized[sent]
            examples += _sentence_examples(toks, _merge_commas(toks, mentions, merge), lexicon, golds, known)
    weights = _train_perceptron(examples, len(props) + 1) if examples else {}
    if margin is None:
        margin = _learned_margin(weights, examples)
    payload = {
        "classes": [ontology.properties[p].name for p in props],
        "weights": {f: {str(c): v for c, v in sorted(cw.items())} for f, cw in sorted(weights.items())},
        "lexicon": sorted(" ".join(t) for t in lex),
        "margin": margin,
        "merge": sorted(merge),
    }
    # Engine state beside the ontology, not a (355 KB) literal in it: exports carry only the ontology.
    ontology.engine_state[RELATION_MODEL_KEY] = payload
    ontology.graph.remove((URIRef(str(ontology.ns)), RELATION_MODEL, None))  # one learned before this version


def _learned_margin(weights: dict[str, dict[int, float]], examples: list[tuple[list[str], set[int]]]) -> float:
    """``_MARGIN_SHARE`` of the mean size of the "no relation" score over the training
    mentions: a margin on the scale of this model's scores."""
    if not examples:
        return 0.0
    size = sum(abs(sum(weights.get(f, {}).get(0, 0.0) for f in feats)) for feats, _ in examples)
    return round(_MARGIN_SHARE * size / len(examples), 3)


Gold = tuple[int, set[str], str | None]  # property index, the object's surface forms, its ISO date


def _gold_values(data: list[tuple[str, list[tuple[str, str, str]]]], ontology: Ontology,
                 index: dict[URIRef, int]) -> tuple[list[tuple[str, list[Gold]]], set[tuple[str, ...]]]:
    """Each sentence's labelled objects, and the lower-case object values (a value list per
    property would be too sparse to score)."""
    lex: set[tuple[str, ...]] = set()
    parsed = []
    for sent, triples in data:
        golds: list[tuple[int, set[str], str | None]] = []
        for sub, rel, obj in triples:
            prop = ontology.get_property(rel) or ontology.get_property(rel.strip())
            if prop is None:
                continue
            variants = {" ".join(_tokenize(v).low) for v in _surface_variants(obj) if v}
            iso = obj.strip('"') if re.fullmatch(r'"?\d{4}-\d{2}-\d{2}"?', obj) else None
            golds.append((index[prop.iri], variants, iso))
            for v in variants:
                words = v.split()
                if 0 < len(words) <= 4 and v[:1].isalpha() and any(
                    w.isalpha() and w not in STOP_TRIGGERS for w in words
                ):
                    lex.add(tuple(words))
        parsed.append((sent, golds))
    return parsed, lex


def _comma_merges(data: list[tuple[str, list[tuple[str, str, str]]]],
                  tokenized: dict[str, tuple[_Tokens, list[_Mention]]]) -> frozenset[str]:
    """Second parts of names the labels write "A, B" ("Cook County, Illinois") more often than
    as two."""
    merged: Counter[str] = Counter()
    apart: Counter[str] = Counter()
    for sent, triples in data:
        toks, mentions = tokenized[sent]
        if "," not in toks.words:
            continue
        ents = {
            " ".join(_tokenize(v.strip('"').replace("_", " ")).low)
            for sub, _, obj in triples
            for v in (sub, obj)
        }
        for a, b in _comma_pairs(toks, mentions):
            second = " ".join(toks.low[b.i : b.j])
            if " ".join(toks.low[a.i : b.j]) in ents:
                merged[second] += 1
            elif " ".join(toks.low[a.i : a.j]) in ents or second in ents:
                apart[second] += 1
    return frozenset(w for w, n in merged.items() if n >= 2 and n > apart[w])


def _sentence_examples(toks: _Tokens, mentions: list[_Mention], lexicon: dict[str, list[tuple[str, ...]]],
                       golds: list[Gold], known: frozenset[str] = frozenset()) -> list[tuple[list[str], set[int]]]:
    """One training example per mention but the subject: its features and its properties
    (``{0}``: none).

    A mention with no label is taught as "no relation" only when that is likely: not when
    it continues a list with a labelled object ("Shah Rukh Khan and Kajol", the label names
    one), nor when its words are labelled as an object elsewhere in ``known`` (a TekGen line
    labels one triple of a sentence that may state several).
    """
    # only lower-case lexicon values: capitalised ones are names already
    lexm = [
        m for m in _lexicon_mentions(toks, lexicon, mentions) if not m.text[:1].isupper()
    ]
    subject, _, _ = _sentence_subject(toks, mentions)
    bag = _sentence_features(toks)
    cands = [m for m in mentions + lexm if subject is None or m.key != subject.key]
    labels = [_labels(toks, m, golds) for m in cands]
    unsure = _beside_labelled(toks, mentions, cands, labels)
    examples: list[tuple[list[str], set[int]]] = []
    for n, m in enumerate(cands):
        if not labels[n] and (n in unsure or " ".join(toks.low[m.i : m.j]) in known):
            continue
        local = _local_subject(m.i, toks, mentions) or subject
        examples.append((_mention_features(toks, m, local) + bag, labels[n] or {0}))
    return examples


def _labels(toks: _Tokens, m: _Mention, golds: list[Gold]) -> set[int]:
    """The properties whose labelled object is ``m`` (by its words, or a date by its value)."""
    text = " ".join(toks.low[m.i : m.j])
    iso = None
    if m.kind == "date":
        for n, rx in enumerate(DATE_RXS):
            mm = rx.fullmatch(m.text)
            if mm:
                iso = _iso(mm, n)
                break
    return {c for c, variants, giso in golds if text in variants or (iso and iso == giso)}


def _beside_labelled(toks: _Tokens, mentions: list[_Mention], cands: list[_Mention],
                     labels: list[set[int]]) -> set[int]:
    """Indices of unlabelled candidates in one list ("A, B and C") with a labelled one."""
    at = {m.key: n for n, m in enumerate(cands)}
    out: set[int] = set()
    for n, m in enumerate(cands):
        group = [n] + [at[co.key] for co in _list_extension(m, mentions, frozenset({m.kind}), toks) if co.key in at]
        if any(labels[k] for k in group):
            out.update(k for k in group if not labels[k])
    return out
