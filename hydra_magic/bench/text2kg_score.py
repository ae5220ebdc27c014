"""Text2KGBench: the data, the published metrics and their scorer (the harness is :mod:`.text2kgbench`).

Text2KGBench (Mihindukulasooriya et al., ISWC 2023, https://github.com/cenguix/Text2KGBench)
gives, per ontology, sentences and the triples a system should extract from them
using only the ontology's relations. Data: CC BY-SA 4.0 (the DBpedia-WebNLG part
derives from WebNLG 3.0, CC BY-NC-SA 4.0).

The scorer follows the upstream ``src/evaluation/run_eval.py`` definitions:

* triples are compared as one normalised string (lower case, spaces and
  underscores removed); relation names are the ontology labels with spaces
  written as underscores (``lyrics by`` -> ``lyrics_by``);
* *official* precision keeps only system triples whose relation is among the
  sentence's gold relations; we also report the *plain* precision over all
  emitted triples;
* ontology conformance (OC) is the share of system triples whose relation is an
  ontology relation (an empty output scores OC = 1, so read it next to F1);
* subject/object hallucination: the share of triples whose stemmed subject
  (object) is not a substring of the stemmed sentence plus the concept labels.
  Upstream tokenises with NLTK's ``word_tokenize``, which needs downloaded
  ``punkt`` data; here a regex tokeniser that follows the same Penn-Treebank
  rules and a Porter stemmer with NLTK's extensions are built in, so scoring
  needs no download;
* metrics are averaged per sentence, then per ontology (sentences without a
  system entry count as zeros), and the global figure is the mean over
  ontologies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import DataNotFoundError, InputError
from ..io import read_text2kgbench_ontology

__all__ = [
    "DATASETS",
    "UPSTREAM",
    "DataNotFoundError",
    "default_data_dir",
    "load_text2kgbench_ontology",
    "read_text2kgbench_ontology",
    "porter_stem",
    "tokenize",
    "normalize_triple",
    "relation_name",
    "SentenceScore",
    "score_sentence",
    "score_ontology",
    "average",
    "read_jsonl",
    "gold_items",
    "published_baselines",
    "METRICS",
    "bench_root",
    "ontology_files",
]

#: The two Text2KGBench datasets (folder names under the data directory).
DATASETS = ("wikidata_tekgen", "dbpedia_webnlg")
#: Where to get the data.
UPSTREAM = "https://github.com/cenguix/Text2KGBench"
#: Metric keys, in the order tables print them.
METRICS = (
    "precision",
    "recall",
    "f1",
    "plain_precision",
    "plain_f1",
    "onto_conf",
    "sub_halluc",
    "rel_halluc",
    "obj_halluc",
)

def default_data_dir() -> Path:
    """``../shared/data`` next to the repository (the project's convention)."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def bench_root(data_dir: str | Path | None) -> Path:
    """The folder that holds ``wikidata_tekgen/`` and ``dbpedia_webnlg/``."""
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    for cand in (base, base / "text2kgbench", base / "data"):
        if any((cand / d).is_dir() for d in DATASETS):
            return cand
    raise DataNotFoundError(
        f"Text2KGBench data not found under {str(base)!r} "
        f"(looked for {DATASETS[0]}/ and {DATASETS[1]}/). "
        f"Get it from {UPSTREAM} (folder data/) and pass its location as data_dir, "
        f"e.g. data_dir='../shared/data/text2kgbench'."
    )


# =====================================================================  ontology
#: The loader lives in :mod:`hydra_magic.io` (one implementation); this name stays for callers.
load_text2kgbench_ontology = read_text2kgbench_ontology


def relation_name(label: str) -> str:
    """The relation as the benchmark writes it in output: spaces become underscores."""
    return label.replace(" ", "_")


# ================================================================ tokens, stems
_VOWELS = frozenset("aeiou")
_IRREGULAR = {
    "skies": "sky",
    "sky": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "news": "news",
    "innings": "inning",
    "inning": "inning",
    "outings": "outing",
    "outing": "outing",
    "cannings": "canning",
    "canning": "canning",
    "howe": "howe",
    "proceed": "proceed",
    "exceed": "exceed",
    "succeed": "succeed",
}


def _cons(word: str) -> list[bool]:
    """Consonant flags: ``y`` is a consonant at the start or after a vowel."""
    flags: list[bool] = []
    for i, ch in enumerate(word):
        flags.append(ch not in _VOWELS and (ch != "y" or i == 0 or not flags[i - 1]))
    return flags


def _m(stem: str) -> int:
    f = _cons(stem)
    return sum(1 for i in range(1, len(f)) if f[i] and not f[i - 1])


def _has_vowel(stem: str) -> bool:
    return not all(_cons(stem))


def _double_cons(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _cons(word)[-1]


def _cvc(word: str) -> bool:
    f = _cons(word)
    if len(word) >= 3:
        return f[-3] and not f[-2] and f[-1] and word[-1] not in "wxy"
    return len(word) == 2 and not f[0] and f[1]


def _rules(word: str, rules: Sequence[tuple[str, str, Any]]) -> str:
    # The first rule whose suffix matches decides, whether or not its condition holds.
    for suffix, repl, cond in rules:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            return stem + repl if cond is None or cond(stem) else word
    return word


def _pos(stem: str) -> bool:
    return _m(stem) > 0


def _gt1(stem: str) -> bool:
    return _m(stem) > 1


_STEP2 = [
    ("ational", "ate", _pos),
    ("tional", "tion", _pos),
    ("enci", "ence", _pos),
    ("anci", "ance", _pos),
    ("izer", "ize", _pos),
    ("bli", "ble", _pos),
    ("alli", "al", _pos),
    ("entli", "ent", _pos),
    ("eli", "e", _pos),
    ("ousli", "ous", _pos),
    ("ization", "ize", _pos),
    ("ation", "ate", _pos),
    ("ator", "ate", _pos),
    ("alism", "al", _pos),
    ("iveness", "ive", _pos),
    ("fulness", "ful", _pos),
    ("ousness", "ous", _pos),
    ("aliti", "al", _pos),
    ("iviti", "ive", _pos),
    ("biliti", "ble", _pos),
    ("fulli", "ful", _pos),
]
_STEP3 = [
    ("icate", "ic", _pos),
    ("ative", "", _pos),
    ("alize", "al", _pos),
    ("iciti", "ic", _pos),
    ("ical", "ic", _pos),
    ("ful", "", _pos),
    ("ness", "", _pos),
]
_STEP4 = (
    [
        (s, "", _gt1)
        for s in ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent")
    ]
    + [("ion", "", lambda st: _m(st) > 1 and st[-1:] in ("s", "t"))]
    + [(s, "", _gt1) for s in ("ou", "ism", "ate", "iti", "ous", "ive", "ize")]
)


def _step2(word: str) -> str:
    if word.endswith("alli") and _pos(word[:-4]):
        return _step2(word[:-4] + "al")
    out = _rules(word, _STEP2)
    if out == word and word.endswith("logi") and _pos(word[:-3]):
        return word[:-1]
    return out


def porter_stem(word: str) -> str:
    """Porter stemmer with NLTK's extensions (``nltk.stem.PorterStemmer()``'s default mode)."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(word) <= 2:
        return w
    # step 1a
    if w.endswith("ies") and len(w) == 4:
        w = w[:-3] + "ie"
    else:
        w = _rules(
            w, [("sses", "ss", None), ("ies", "i", None), ("ss", "ss", None), ("s", "", None)]
        )
    # step 1b
    if w.endswith("ied"):
        w = w[:-3] + ("ie" if len(w) == 4 else "i")
    elif w.endswith("eed"):
        if _m(w[:-3]) > 0:
            w = w[:-1]
    else:
        stem = None
        if w.endswith("ed") and _has_vowel(w[:-2]):
            stem = w[:-2]
        elif w.endswith("ing") and _has_vowel(w[:-3]):
            stem = w[:-3]
        if stem is not None:
            if stem.endswith(("at", "bl", "iz")):
                w = stem + "e"
            elif _double_cons(stem):
                w = stem if stem[-1] in "lsz" else stem[:-1]
            elif _m(stem) == 1 and _cvc(stem):
                w = stem + "e"
            else:
                w = stem
    # step 1c
    if w.endswith("y") and len(w) > 2 and _cons(w[:-1])[-1]:
        w = w[:-1] + "i"
    w = _step2(w)
    w = _rules(w, _STEP3)
    w = _rules(w, _STEP4)
    # step 5a
    if w.endswith("e"):
        stem = w[:-1]
        m = _m(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            w = stem
    # step 5b
    if w.endswith("ll") and _m(w[:-1]) > 1:
        w = w[:-1]
    return w


# Penn-Treebank style tokenisation as NLTK's ``word_tokenize`` does it (without
# the punkt sentence splitter, which needs downloaded data).
_TB_START = [
    (re.compile(r"([«“‘„]|[`]+)"), r" \1 "),
    (re.compile(r'^"'), "``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ (\[{<])(\"|'{2})"), r"\1 `` "),
    (re.compile(r"(?i)(?<!\w)(')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)"), r"\1 "),
]
_TB_PUNCT = [
    (re.compile(r"([^.])(\.)([\]\)}>\"'»”’ ]*)\s*$"), r"\1 \2 \3 "),
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.{2,}"), r" \g<0> "),
    (re.compile(r"[;@#$%&]"), r" \g<0> "),
    (re.compile(r"[\u2012-\u2015]"), r" \g<0> "),
    (re.compile(r"([^.])(\.)([\]\)}>\"']*)\s*$"), r"\1 \2\3 "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
    (re.compile(r"[*]"), r" \g<0> "),
    (re.compile(r"[\]\[\(\)\{\}<>]"), r" \g<0> "),
    (re.compile(r"--"), r" -- "),
]
_TB_END = [
    (re.compile(r"([»”’])"), r" \1 "),
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"\s+"), " "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]


# punkt (NLTK's sentence splitter) learns its abbreviations from data; a boundary is
# approximated here as [.?!] + space + capital, unless an initial or a common
# abbreviation ends before it.
_SENT_BOUNDARY = re.compile(r"(?<=[.?!])\s+(?=[\"“(]?[A-Z0-9])")
_NO_BOUNDARY = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Co|Inc|Ltd|Bros|vs|No|Mt|Ft|Gen|Col|Lt|Sgt|"
    r"Capt|Prof|Rev|U\.S|e\.g|i\.e|etc|approx|ca|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec))\.$"
)


def tokenize(text: str) -> list[str]:
    """Word tokens by the rules NLTK's ``word_tokenize`` applies (sentences, then Penn Treebank)."""
    out: list[str] = []
    start = 0
    for m in _SENT_BOUNDARY.finditer(text):
        if _NO_BOUNDARY.search(text, max(0, m.start() - 8), m.start()):
            continue
        out.extend(_treebank(text[start : m.start()]))
        start = m.end()
    out.extend(_treebank(text[start:]))
    return out


def _treebank(text: str) -> list[str]:
    for rx, sub in _TB_START:
        text = rx.sub(sub, text)
    for rx, sub in _TB_PUNCT:
        text = rx.sub(sub, text)
    text = " " + text + " "
    for rx, sub in _TB_END:
        text = rx.sub(sub, text)
    return text.split()


_SPACE_US = re.compile(r"(_|\s+)")


class _Stems:
    """Memoised stemming (the same words recur across thousands of sentences)."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def word(self, w: str) -> str:
        s = self.cache.get(w)
        if s is None:
            s = self.cache[w] = porter_stem(w)
        return s

    def text(self, text: str) -> str:
        return _SPACE_US.sub("", "".join(self.word(w) for w in tokenize(text))).lower()

    def entity(self, text: str) -> str:
        return self.text(text).replace("01januari", "")


# ===================================================================== scoring
def normalize_triple(sub: str, rel: str, obj: str) -> str:
    """Upstream's comparison key: lower case, spaces and underscores removed, concatenated."""
    return "".join(_SPACE_US.sub("", x).lower() for x in (sub, rel, obj))


@dataclass
class SentenceScore:
    """The metrics of one sentence (upstream names), plus the plain precision and F1."""

    id: str
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    plain_precision: float = 0.0
    plain_f1: float = 0.0
    onto_conf: float = 0.0
    sub_halluc: float = 0.0
    rel_halluc: float = 0.0
    obj_halluc: float = 0.0
    system: list[list[str]] = field(default_factory=list)
    gold: list[list[str]] = field(default_factory=list)
    sent: str = ""

    def metrics(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in METRICS}


def _prf(gold: set[str], pred: set[str]) -> tuple[float, float, float]:
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    hit = len(gold & pred)
    p, r = hit / len(pred), hit / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _triple(t: Any) -> list[str]:
    if isinstance(t, Mapping):
        return [str(t.get("sub", "")), str(t.get("rel", "")), str(t.get("obj", ""))]
    return [str(x) for x in list(t)[:3]]


def score_sentence(
    system: Iterable[Any],
    gold: Iterable[Any],
    sentence: str,
    ontology: Mapping[str, Any],
    *,
    id: str = "",
    _stems: _Stems | None = None,
    _context: tuple[str, set[str]] | None = None,
) -> SentenceScore:
    """Upstream's per-sentence metrics for ``system`` triples against ``gold`` triples.

    Triples are ``[sub, rel, obj]`` lists or ``{"sub", "rel", "obj"}`` dicts;
    ``ontology`` is the benchmark's JSON ontology (``concepts``, ``relations``).
    """
    stems = _stems or _Stems()
    sys_t = [_triple(t) for t in system]
    gold_t = [_triple(t) for t in gold]
    if _context is None:
        _context = (
            " ".join(c["label"] for c in ontology.get("concepts", [])),
            {relation_name(r["label"]) for r in ontology.get("relations", [])},
        )
    concept_text, ont_rels = _context
    gold_rels = {relation_name(t[1]) for t in gold_t}
    filtered = [t for t in sys_t if t[1] in gold_rels]
    gold_keys = {normalize_triple(*t) for t in gold_t}
    p, r, f = _prf(gold_keys, {normalize_triple(*t) for t in filtered})
    pp, _, _ = _prf(gold_keys, {normalize_triple(*t) for t in sys_t})
    pf = 2 * pp * r / (pp + r) if pp + r else 0.0
    out = SentenceScore(id, p, r, f, pp, pf, system=sys_t, gold=gold_t, sent=sentence)
    if not sys_t:
        out.onto_conf = 1.0
        return out
    out.onto_conf = sum(1 for t in sys_t if t[1] in ont_rels) / len(sys_t)
    out.rel_halluc = 1.0 - out.onto_conf
    # upstream appends the concept labels to the sentence without a separator
    stemmed = stems.text(sentence + concept_text)
    out.sub_halluc = sum(1 for t in sys_t if stemmed.find(stems.entity(t[0])) == -1) / len(sys_t)
    out.obj_halluc = sum(1 for t in sys_t if stemmed.find(stems.entity(t[2])) == -1) / len(sys_t)
    return out


def score_ontology(
    system: Mapping[str, Iterable[Any]],
    gold: Sequence[Mapping[str, Any]],
    ontology: Mapping[str, Any],
) -> tuple[dict[str, float], list[SentenceScore]]:
    """Per-sentence scores and their averages over all gold sentences of one ontology.

    ``system`` maps a sentence id to its triples; a gold sentence without an entry
    scores zero on every metric (OC included), as upstream counts it.
    """
    stems = _Stems()
    ctx = (
        " ".join(c["label"] for c in ontology.get("concepts", [])),
        {relation_name(r["label"]) for r in ontology.get("relations", [])},
    )
    scores: list[SentenceScore] = []
    totals = dict.fromkeys(METRICS, 0.0)
    for item in gold:
        sid = str(item["id"])
        if sid not in system:
            continue
        s = score_sentence(
            system[sid],
            item.get("triples", []),
            str(item.get("sent", "")),
            ontology,
            id=sid,
            _stems=stems,
            _context=ctx,
        )
        scores.append(s)
        for k in METRICS:
            totals[k] += getattr(s, k)
    n = max(len(gold), 1)
    return {k: v / n for k, v in totals.items()}, scores


def average(rows: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """The mean of metric dicts (the global figure is the mean over ontologies)."""
    rows = list(rows)
    return {k: sum(r.get(k, 0.0) for r in rows) / len(rows) for k in METRICS} if rows else {}


# ======================================================================== data
def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ontology_files(root: Path, dataset: str) -> dict[str, Path]:
    """``{"1_movie": <path>}`` for every JSON ontology of ``dataset``, in numeric order."""
    files = {
        p.name[: -len("_ontology.json")]: p
        for p in (root / dataset / "ontologies").glob("*_ontology.json")
    }
    return dict(sorted(files.items(), key=lambda kv: int(kv[0].split("_", 1)[0])))


def gold_items(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Sentences with their gold triples, from either file layout.

    Ground-truth and WebNLG files hold ``{"id", "sent", "triples"}`` already;
    TekGen train/validation files hold one triple per line
    (``sub_label``/``rel_label``/``obj_label``), grouped here by sentence.
    """
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if "triples" in r:
            out.setdefault(
                str(r["id"]), {"id": str(r["id"]), "sent": r["sent"], "triples": list(r["triples"])}
            )
            continue
        if not isinstance(r.get("sent"), str):
            raise InputError(
                f"Text2KGBench row {r.get('id')!r}: 'sent' must be a string, not "
                f"{type(r.get('sent')).__name__}. The file is not in the benchmark's format."
            )
        item = out.setdefault(
            "sent:" + r["sent"], {"id": str(r["id"]), "sent": r["sent"], "triples": []}
        )
        t = {"sub": r["sub_label"], "rel": r["rel_label"], "obj": r["obj_label"]}
        if t not in item["triples"]:
            item["triples"].append(t)
    return list(out.values())


def published_baselines(root: Path, dataset: str) -> dict[str, dict[str, Any]]:
    """Published averages per model: ``{"Vicuna-13B": {"global": {...}, "1_movie": {...}}}``.

    Where a file has no global row (TekGen Alpaca-LoRA-13B) the global figure is the
    mean of its per-ontology rows and carries ``"derived": 1.0``.
    """
    out: dict[str, dict[str, Any]] = {}
    base = root / dataset / "baselines"
    if not base.is_dir():
        return out
    for model_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        files = sorted((model_dir / "eval_metrics").glob("*avg*.jsonl"))
        if not files:
            continue
        figures: dict[str, Any] = {}
        for row in read_jsonl(files[-1]):
            key = row.get("onto") or row.get("id")
            if row.get("type") not in ("all_test_cases", "global"):
                continue
            figures[str(key)] = {k[4:]: float(v) for k, v in row.items() if k.startswith("avg_")}
        if "global" not in figures and figures:
            # Some result files stop before the global row: its mean over the ontologies.
            per_onto = list(figures.values())
            figures["global"] = {
                k: round(sum(f[k] for f in per_onto) / len(per_onto), 2) for k in per_onto[0]
            }
            figures["global"]["derived"] = 1.0
        out[model_dir.name] = figures
    return out
