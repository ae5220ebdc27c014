"""The learned relation model: an averaged perceptron over each mention's context that says
which property, if any, links the sentence's subject to it; its features and its scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from rdflib import URIRef

from ...ontology import HYDRA, Ontology
from .mentions import _Mention
from .tokens import _Tokens
from .words import BARRIERS, STOP_TRIGGERS

# A per-mention classifier learned from the labelled sentences: which property (if any)
# links the sentence's subject to this mention. Its features are the words around
# the mention, the words between it and what precedes it in its clause, the mention's
# own words and kind, and the sentence's content words; an averaged perceptron
# weighs them. It proposes relations the trigger phrases miss ("a 2016 American
# space opera film" -> genre); trigger matches keep precedence.
RELATION_MODEL = HYDRA.relationModel
#: The key of the relation model in Ontology.engine_state.
RELATION_MODEL_KEY = "relation_model"
_PRUNE = 0.1  # averaged weights below this are dropped: same figures, a smaller, faster model
_MODEL_MARGIN = 0.25  # the best property must beat "no relation" by this much (models stored without one)
# The margin a model learns (``_learned_margin``), as a share of the size of its "no relation"
# score on its training mentions: the scale grows with the data (margins -2.9 to -5.1 on the
# TekGen ontologies, -1.6 to -2.8 on the WebNLG ones, 0 when nothing was learned). Negative:
# the labels are incomplete (a TekGen line gives one triple of a sentence stating several), so
# "no relation" is learned from true objects too and wins too often. Tuned on TekGen
# validation: F1 0.330 at +0.25 absolute, 0.339 at -0.1, 0.342 at -0.2, 0.344 at -0.3 (WebNLG
# holdout 0.261, 0.266, 0.267, 0.267).
_MARGIN_SHARE = -0.2


@dataclass
class _Model:
    classes: list[URIRef | None]  # index 0: no relation
    weights: dict[str, dict[int, float]]
    lexicon: dict[str, list[tuple[str, ...]]]  # first token -> lower-case object values
    margin: float = _MODEL_MARGIN
    # second parts of names written "A, B" ("Cook County, Illinois"): the pair is one name
    merge: frozenset[str] = frozenset()
    allowed: dict[int, dict[str, list[int]]] = field(default_factory=dict)  # memo per compilation


def _sentence_features(toks: _Tokens) -> list[str]:
    return sorted(
        {
            "s:" + s
            for s, w, k in zip(toks.stems, toks.words, toks.kinds)
            if k == "word" and s not in STOP_TRIGGERS and not w[:1].isupper()
        }
    )


def _mention_features(toks: _Tokens, m: _Mention, subj: _Mention | None) -> list[str]:
    st, low = toks.stems, toks.low
    n = len(st)
    i, j = m.i, m.j
    p1 = st[i - 1] if i >= 1 else "<s>"
    p2 = st[i - 2] if i >= 2 else "<s>"
    n1 = st[j] if j < n else "</s>"
    f = [
        "b",
        "k:" + m.kind,
        "p1:" + p1,
        "p2:" + p2 + " " + p1,
        "n1:" + n1,
        "h:" + low[j - 1],
        "f:" + low[i],
        "v:" + " ".join(low[i:j]),
    ]
    if i >= 3:
        f.append("p3:" + st[i - 3])
    if j + 1 < n:
        f.append("n2:" + n1 + " " + st[j + 1])
    if m.adjective:
        f.append("adj")
    # the words of its clause before it, back to a barrier (at most 8)
    for q in range(i - 1, max(-1, i - 9), -1):
        w = toks.words[q]
        if w in BARRIERS:
            break
        s = st[q]
        if s not in STOP_TRIGGERS and toks.kinds[q] == "word" and not w[:1].isupper():
            f.append("w:" + s)
    if subj is not None and subj.i >= 0:
        d = i - subj.j
        f.append("d:" + ("<0" if d < 0 else "<3" if d < 3 else "<8" if d < 8 else "far"))
        if 0 <= d <= 12:
            # the words between the subject and the object ("X was born in Y")
            for q in range(subj.j, i):
                s = st[q]
                if s not in STOP_TRIGGERS and toks.kinds[q] == "word":
                    f.append("bw:" + s)
    else:
        f.append("d:none")
    return f


def _lexicon_mentions(
    toks: _Tokens, lexicon: Mapping[str, list[tuple[str, ...]]], taken: list[_Mention]
) -> list[_Mention]:
    """Lower-case values seen as objects in the labelled sentences ("space opera", "parody")."""
    out = []
    low = toks.low
    n = len(low)
    busy = [False] * n
    for m in taken:
        for q in range(max(0, m.i), min(n, m.j)):
            busy[q] = True
    k = 0
    while k < n:
        for cand in lexicon.get(low[k], ()):
            L = len(cand)
            if tuple(low[k : k + L]) == cand and not any(busy[k : k + L]):
                a, b = toks.starts[k], toks.ends[k + L - 1]
                out.append(_Mention(k, k + L, a, b, toks.text[a:b], "value"))
                k += L - 1
                break
        k += 1
    return out


def _score_mention(model: _Model, feats: Iterable[str], base: list[float]) -> list[float]:
    sc = list(base)
    get = model.weights.get
    for f in feats:
        w = get(f)
        if w:
            for c, v in w.items():
                sc[c] += v
    return sc


def _chosen_class(model: _Model, sc: list[float], allowed: Iterable[int]) -> int:
    """The best of the ``allowed`` properties (the first on a tie) if it beats "no relation"
    (index 0) by more than the model's margin, else 0.

    The best property is chosen among the allowed ones, not against "no relation": with a
    negative margin a property trailing it is still read. Strictly more: a model that learned
    nothing (all scores 0, margin 0) reads nothing.
    """
    best = 0
    for c in allowed:
        if best == 0 or sc[c] > sc[best]:
            best = c
    return best if best and sc[best] - sc[0] > model.margin else 0


def _bag_scores(model: _Model, toks: _Tokens) -> list[float]:
    return _score_mention(model, _sentence_features(toks), [0.0] * len(model.classes))


def _load_model(ontology: Ontology) -> _Model | None:
    import json

    data: Any = ontology.engine_state.get(RELATION_MODEL_KEY)
    if data is None:  # learned by a version that kept it in the ontology graph
        raw = ontology.graph.value(URIRef(str(ontology.ns)), RELATION_MODEL)
        if raw is None:
            return None
    try:
        if data is None:
            data = json.loads(str(raw))
        classes: list[URIRef | None] = [None]
        for name in data["classes"]:
            p = ontology.get_property(name)
            classes.append(p.iri if p is not None else None)
        weights = {
            f: {int(c): float(v) for c, v in cw.items()} for f, cw in data["weights"].items()
        }
        lexicon: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for v in data.get("lexicon", []):
            t = tuple(v.split())
            if t:
                lexicon[t[0]].append(t)
        for lst in lexicon.values():
            lst.sort(key=lambda x: -len(x))
        return _Model(
            classes,
            weights,
            dict(lexicon),
            float(data.get("margin", _MODEL_MARGIN)),
            frozenset(data.get("merge", [])),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a hand-edited, broken model is ignored, the triggers still work
