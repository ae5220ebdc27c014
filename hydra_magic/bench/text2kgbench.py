"""Text2KGBench: ontology loading, the published metrics, and a harness for the rules engine.

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
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Mapping, Sequence

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
    "run",
    "main",
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


def _bench_root(data_dir: str | Path | None) -> Path:
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


def _ontology_files(root: Path, dataset: str) -> dict[str, Path]:
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


# ===================================================================== harness
def _split_rows(
    root: Path, dataset: str, name: str, split: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """``(train rows, sentences to read, gold items)`` of one ontology and split."""
    d = root / dataset
    train_path = d / "train" / f"ont_{name}_train.jsonl"
    train = read_jsonl(train_path) if train_path.is_file() else []
    if split == "holdout":
        # every fifth training sentence is held out: a development set where there is no validation
        items = gold_items(train)
        held = {it["sent"] for n, it in enumerate(items) if n % 5 == 4}
        rest = [r for r in train if r["sent"] not in held]
        gold = [it for it in items if it["sent"] in held]
        return rest, [{"id": g["id"], "sent": g["sent"]} for g in gold], gold
    if split == "validation":
        path = d / "validation" / f"ont_{name}_validation.jsonl"
        if not path.is_file():
            raise DataNotFoundError(
                f"{dataset} has no validation split for {name} ({str(path)!r}); "
                "use split='holdout' to hold out part of train/ instead."
            )
        gold = gold_items(read_jsonl(path))
        return train, [{"id": g["id"], "sent": g["sent"]} for g in gold], gold
    if split == "test":
        gt = d / "ground_truth" / f"ont_{name}_ground_truth.jsonl"
        tp = d / "test" / f"ont_{name}_test.jsonl"
        if not gt.is_file():
            return train, [], []
        gold = read_jsonl(gt)
        sents = (
            read_jsonl(tp) if tp.is_file() else [{"id": g["id"], "sent": g["sent"]} for g in gold]
        )
        return train, sents, gold
    raise InputError(f"Unknown split {split!r}; use 'validation', 'test' or 'holdout'.")


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _parse_date(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` of "17 September 2007", "September 17, 2007" or "2007-09-17"."""
    t = text.strip().strip('"')
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", t) or re.fullmatch(
        r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", t
    )
    if not m:
        return None
    a, b, y = m.groups()
    day, month = (a, b) if a.isdigit() else (b, a)
    mon = next(
        (n for n, name in enumerate(_MONTHS, 1) if name.lower().startswith(month.lower()[:3])), 0
    )
    return (int(y), mon, int(day)) if mon else None


def _output_forms(train: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Per relation label, how its train gold writes literal values.

    ``year``: a bare year in the sentence written as ``"01 January 1962"`` (TekGen).
    ``date``: a full date written ``"17 September 2007"`` (``dmy``) or ``"2007-09-17"``
    (``iso``, WebNLG) whatever its form in the sentence. ``quote``: the value in quote
    marks (WebNLG keeps DBpedia's). ``unit``: a number followed by its unit in
    parentheses (``"441092000.0 (kilometres)"``). The upstream hallucination check
    ignores ``01 January``, so the year form stays grounded and is always used; the
    others are not in the sentence, which is why :func:`run` applies them only when asked.
    """
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in train:
        trs = ex.get("triples") or [
            {"rel": ex.get("rel_label", ""), "obj": ex.get("obj_label", "")}
        ]
        sent = str(ex.get("sent", ""))
        for t in trs:
            rel, raw = str(t.get("rel", "")), str(t.get("obj", ""))
            obj = raw.strip('"')
            stats[rel]["quoted" if len(raw) > 1 and raw[0] == raw[-1] == '"' else "bare"] += 1
            m = re.fullmatch(r"0?1 January (\d{4})", obj)
            if m and m.group(1) in sent and obj not in sent:
                stats[rel]["jan1"] += 1
            elif re.fullmatch(r"\d{4}", obj) and obj in sent:
                stats[rel]["year"] += 1
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", obj):
                stats[rel]["iso"] += 1
            elif re.fullmatch(r"\d{2} [A-Z][a-z]+ \d{4}", obj):
                stats[rel]["dmy"] += 1
            u = re.fullmatch(r"-?[\d.,]+ \(([A-Za-z ]+)\)", obj)
            if u:
                stats[rel]["unit:" + u.group(1)] += 1
            elif re.fullmatch(r"-?[\d.,]+", obj):
                stats[rel]["no_unit"] += 1
    out: dict[str, dict[str, str]] = {}
    for rel, c in stats.items():
        forms: dict[str, str] = {}
        if c["jan1"] > c["year"]:
            forms["year"] = "01 January {year}"
        if c["iso"] + c["dmy"] >= 2:
            forms["date"] = "iso" if c["iso"] > c["dmy"] else "dmy"
        if c["quoted"] > c["bare"]:
            forms["quote"] = "yes"
        units = Counter({k[5:]: v for k, v in c.items() if k.startswith("unit:")})
        if units and sum(units.values()) > c["no_unit"]:
            forms["unit"] = units.most_common(1)[0][0]
        if forms:
            out[rel] = forms
    return out


def _bench_triple(
    cand: Any,
    prop_label: str,
    forms: Mapping[str, Mapping[str, str]],
    gold_forms: bool = False,
) -> list[str]:
    obj = cand.object_text or cand.object
    form = forms.get(prop_label) or forms.get(prop_label.strip()) or {}
    if "year" in form and re.fullmatch(r"1\d{3}|20\d{2}", obj):
        obj = form["year"].format(year=obj)
    elif gold_forms and "unit" in form and re.fullmatch(r"-?[\d.,]+", obj):
        obj = f"{obj} ({form['unit']})"
    elif gold_forms and "date" in form:
        d = _parse_date(obj)
        if d is not None:
            y, mo, da = d
            obj = (
                f"{y:04d}-{mo:02d}-{da:02d}"
                if form["date"] == "iso"
                else f"{da:02d} {_MONTHS[mo - 1]} {y:04d}"
            )
    if gold_forms and "quote" in form and not obj.startswith('"'):
        obj = '"' + obj + '"'
    return [cand.subject_text or cand.subject.replace("_", " "), relation_name(prop_label), obj]


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:5.2f}"


def run(
    data_dir: str | Path | None = None,
    dataset: str = "wikidata_tekgen",
    split: str = "validation",
    engine: str = "rules",
    ontologies: Sequence[str] | None = None,
    *,
    output: str | Path | None = None,
    out: IO[str] | None = None,
    gold_literal_forms: bool = False,
    types: str = "default",
) -> dict[str, Any]:
    """Learn from ``train/``, extract from ``split``, score with the published metrics.

    Parameters
    ----------
    data_dir
        Folder holding ``wikidata_tekgen/`` and ``dbpedia_webnlg/`` (or its parent);
        default ``../shared/data`` next to the repository.
    dataset
        ``"wikidata_tekgen"`` or ``"dbpedia_webnlg"``.
    split
        ``"validation"`` (TekGen; tune here), ``"test"`` (report only) or
        ``"holdout"`` (every fifth train sentence, learning from the rest).
    engine
        Engine name for :func:`hydra_magic.engines.get_engine`; engines with a
        ``learn`` method are trained on each ontology's ``train/`` first.
    ontologies
        Ontology ids to run (``["1_movie"]``); all by default.
    output
        Where to write the results as JSON.
    out
        Where the table goes (stdout by default; ``None`` prints).
    gold_literal_forms
        Write literal values the way the relation's train gold does (dates as
        ``17 September 2007`` or ``2007-09-17``, DBpedia's quote marks, units in
        parentheses) instead of as in the sentence: more matches, but the upstream
        check then counts such values as hallucinated objects.
    types
        The contracts' types mode: ``"default"`` scores every accepted triple,
        those flagged ``type_inferred`` included (their count is reported);
        ``"strict"`` rejects those (``untyped_entity``).

    Returns
    -------
    dict
        ``{"dataset", "split", "engine", "ontologies": {id: {metrics, counts, timing}},
        "global": {metrics}, "baselines": {model: {"global": {...}, id: {...}}},
        "throughput": {...}}``. Only triples the contracts accept are scored.
    """
    from rdflib import RDF

    from ..candidates import TextChunk
    from ..contracts import check_triples
    from ..engines import get_engine
    from ..kg import KnowledgeGraph

    if dataset not in DATASETS:
        raise InputError(f"Unknown dataset {dataset!r}; use one of {', '.join(DATASETS)}.")
    root = _bench_root(data_dir)
    files = _ontology_files(root, dataset)
    if ontologies:
        wanted = [str(o) for o in ontologies]
        missing = [o for o in wanted if o not in files]
        if missing:
            raise InputError(
                f"Unknown ontology id(s) {missing} for {dataset}; known: {', '.join(files)}."
            )
        files = {k: files[k] for k in wanted}
    out = out if out is not None else sys.stdout
    eng = get_engine(engine)
    results: dict[str, Any] = {
        "dataset": dataset,
        "split": split,
        "engine": engine,
        "ontologies": {},
        "data_dir": str(root),
        "gold_literal_forms": gold_literal_forms,
        "types": types,
    }
    n_sent = 0
    t_extract = t_check = 0.0
    rows = []
    for name, path in files.items():
        train, sents, gold = _split_rows(root, dataset, name, split)
        if not gold:
            continue
        onto_json = json.loads(path.read_text(encoding="utf-8"))
        onto = load_text2kgbench_ontology(path)
        learn = getattr(eng, "learn", None)
        learned: dict[str, list[str]] = {}
        t0 = time.perf_counter()
        if learn is not None and train:
            learned = learn(train, onto)
        t_learn = time.perf_counter() - t0
        forms = _output_forms(train)
        kg = KnowledgeGraph(onto.base)
        system: dict[str, list[list[str]]] = {}
        rejected: Counter[str] = Counter()
        flagged = verified = 0
        te = tc = 0.0
        for item in sents:
            text = str(item["sent"])
            chunk = TextChunk(text, 0, 0, str(item["id"]))
            # CPU time of this (single-threaded) process: one core's work, whatever else runs
            t0 = time.process_time()
            cands = eng.extract(chunk, onto, kg)
            t1 = time.process_time()
            verdict = check_triples(cands, onto, kg, text, types=types)
            tc += time.process_time() - t1
            te += t1 - t0
            triples: list[list[str]] = []
            for ct in verdict.accepted:
                c = ct.candidate
                if ct.predicate == RDF.type:
                    continue
                prop = onto.get_property(c.predicate)
                if prop is None:
                    continue
                t = _bench_triple(c, prop.label, forms, gold_literal_forms)
                if t not in triples:
                    triples.append(t)
                    flagged += bool(ct.flags)
                    verified += not ct.flags
            for ct in verdict.rejected:
                rejected.update(ct.codes)
            system[str(item["id"])] = triples
        avg, scores = score_ontology(system, gold, onto_json)
        n_sent += len(sents)
        t_extract += te
        t_check += tc
        rows.append(avg)
        results["ontologies"][name] = {
            **{k: round(v, 4) for k, v in avg.items()},
            "sentences": len(gold),
            "triples": sum(len(v) for v in system.values()),
            "verified_triples": verified,
            "type_inferred_triples": flagged,
            "rejected_by_contracts": dict(rejected),
            "learned_triggers": sum(len(v) for v in learned.values()),
            "seconds": {
                "learn": round(t_learn, 3),
                "extract": round(te, 3),
                "contracts": round(tc, 3),
            },
            "per_sentence": [
                {
                    "id": s.id,
                    "f1": round(s.f1, 4),
                    "system": s.system,
                    "gold": s.gold,
                    "sent": s.sent,
                }
                for s in scores
            ],
        }
    results["global"] = {k: round(v, 4) for k, v in average(rows).items()}
    results["baselines"] = published_baselines(root, dataset)
    results["throughput"] = {
        "sentences": n_sent,
        "extract_sentences_per_second": round(n_sent / t_extract, 1) if t_extract else None,
        "extract_and_contracts_sentences_per_second": round(n_sent / (t_extract + t_check), 1)
        if t_extract + t_check
        else None,
    }
    _print_table(results, out)
    if output is not None:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return results


def _print_table(results: Mapping[str, Any], out: IO[str]) -> None:
    cols = (
        "precision",
        "recall",
        "f1",
        "plain_precision",
        "onto_conf",
        "sub_halluc",
        "rel_halluc",
        "obj_halluc",
    )
    heads = ("P", "R", "F1", "P.plain", "OC", "SH", "RH", "OH")
    print(
        f"Text2KGBench {results['dataset']} / {results['split']} / engine {results['engine']}"
        f" / types {results.get('types', 'default')}",
        file=out,
    )
    print(f"{'ontology':<26}{'n':>5} " + " ".join(f"{h:>7}" for h in heads), file=out)
    for name, r in results["ontologies"].items():
        print(f"{name:<26}{r['sentences']:>5} " + " ".join(f"{r[c]:7.2f}" for c in cols), file=out)
    g = results["global"]
    if g:
        print(
            f"{'global (mean of ontologies)':<31} " + " ".join(f"{g[c]:7.2f}" for c in cols),
            file=out,
        )
    for model, figs in results.get("baselines", {}).items():
        gb = figs.get("global")
        if not gb:
            continue
        note = " (mean of its per-ontology rows)" if gb.get("derived") else ""
        print(
            f"{model + ' published':<31} "
            + " ".join(f"{gb[c]:7.2f}" if c in gb else "      -" for c in cols)
            + note,
            file=out,
        )
    n_ver = sum(r.get("verified_triples", 0) for r in results["ontologies"].values())
    n_inf = sum(r.get("type_inferred_triples", 0) for r in results["ontologies"].values())
    print(f"triples: {n_ver} verified, {n_inf} on inferred types (flagged type_inferred)", file=out)
    tp = results.get("throughput", {})
    if tp.get("extract_sentences_per_second"):
        print(
            f"throughput: {tp['extract_sentences_per_second']:.0f} sentences/s extraction, "
            f"{tp['extract_and_contracts_sentences_per_second']:.0f} with contracts "
            f"({tp['sentences']} sentences, per CPU-second of one core)",
            file=out,
        )
    if results["split"] == "test":
        print(
            "published figures are on the full upstream test sets; "
            "this copy's test split may hold fewer "
            "sentences",
            file=out,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m hydra_magic.bench.text2kgbench [--dataset D] [--split S] [--ontology ID] …``."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data-dir", default=None, help="folder with wikidata_tekgen/ and dbpedia_webnlg/"
    )
    ap.add_argument("--dataset", default="wikidata_tekgen", choices=DATASETS)
    ap.add_argument("--split", default="validation", choices=("validation", "test", "holdout"))
    ap.add_argument("--engine", default="rules")
    ap.add_argument(
        "--ontology", action="append", default=None, help="ontology id, e.g. 1_movie (repeatable)"
    )
    ap.add_argument("--output", default=None, help="write the results JSON here")
    ap.add_argument(
        "--gold-literal-forms",
        action="store_true",
        help="write dates, quotes and units as the train gold does (see run())",
    )
    ap.add_argument("--types", choices=("default", "strict"), default="default")
    args = ap.parse_args(argv)
    try:
        run(
            args.data_dir,
            args.dataset,
            args.split,
            args.engine,
            args.ontology,
            output=args.output,
            gold_literal_forms=args.gold_literal_forms,
            types=args.types,
        )
    except (DataNotFoundError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
