"""Questions answered from the graph: the HyDRA paper's MedExQA evaluation as a command.

``hydra bench qa --dataset medexqa`` builds a knowledge graph from the MedExQA
explanations, answers the questions from that graph only (:meth:`Session.ask`),
and scores the answers two ways.

Data
----
MedExQA (Kim et al., ACL BioNLP 2024, https://huggingface.co/datasets/bluesky333/MedExQA,
CC BY-NC-SA 4.0): one ``.tsv`` per specialty, no header, tab-separated fields
question, option A-D, explanation 1, explanation 2, answer letter. The default
folder is ``../shared/data/medexqa/dev`` (25 questions); ``--data-dir`` takes
any folder of such files (or a folder holding ``medexqa/dev``).

LEAK: the explanations state the answers, so "answer from a graph built from the
explanations" measures extraction and retrieval, not medical reasoning.

Pipeline
--------
1. Ontology: the questions themselves are the competency questions
   (:meth:`Session.add_cqs`); the output says how many the CQ engine could read.
2. Graph: both explanations of each question are extracted as one text whose
   source is the question's id (:meth:`Session.extract`).
3. Answers: each question is asked with :meth:`Session.ask` (offline compiler first,
   the session's model when it has one).
4. With a model (``--model``), a no-KG baseline: the same model answers the
   multiple-choice question from the two explanations, so the graph's own
   contribution shows.

Scoring, as the reference does it
---------------------------------
The reference is ExtensityAI/ontology-hydra, branch ``eval``,
``packages/eval/src/eval/neo4j_eval.py`` (per question) and
``packages/eval/src/eval/eval.py`` (the rates). Per question:

* *successful*: a query was generated and ran without error (here: ``ask``
  produced SPARQL that passed the ontology check and the query policy and ran);
* *returned results*: the query returned at least one row (here: ``ask`` answered);
* *correct*: the first value of the first row matches the gold answer text (the
  text of the correct option) with a similarity score >= 0.8.

success rate = successful / n, result rate = with results / n, accuracy =
correct / n, all over every question (a question whose query failed counts as
wrong). The reference runs ``num_iterations`` attempts and counts a question as
correct if any attempt is; here there is one attempt (the offline engine is
deterministic).

How our matching differs from the reference
--------------------------------------------
The reference's "fuzzy" score is not a string metric: ``BatchFuzzyAnswerMatcher``
asks an LLM for a similarity in [0, 1] ("be lenient with formatting differences
(case, spaces, underscores) but strict with semantic meaning") and compares it
with ``fuzzy_threshold = 0.8``. That needs a model and is not reproducible, so
here the score is a deterministic character ratio: both texts are case-folded,
underscores become spaces, whitespace is collapsed and surrounding punctuation
stripped, then ``difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()``
(2*M/T, the same form as ``rapidfuzz.fuzz.ratio / 100``; difflib counts matching
blocks rather than the exact longest common subsequence, so it is never higher
than rapidfuzz's ratio). A match is ``ratio >= 0.8``. It gives no credit for
synonyms ("Bq" vs "becquerel") that an LLM judge would accept, and it does not
accept a short graph value against a long option sentence.

Also reported, beyond the reference:

* accuracy over *any* answer value (not just the first row);
* multiple-choice accuracy: the chosen option is the one with the highest ratio
  to any answer value (a tie at the top, or no answer, is no choice and counts as
  wrong); chance is 25 %;
* per-specialty counts.

The no-KG baseline is scored the same way. Its reply is read like the
reference's ``LLM_eval.py`` reads one: "B. text" gives the letter B and the
answer "text", a lone letter gives that option's text, anything else is the
answer text; a letter is the multiple-choice choice, otherwise the best-ratio
option is.

Noticed in the reference and not copied: its Cypher generator's input model
carries the expected answers (``Neo4jQueryInput.answers``) next to the options.
Here the question alone is asked.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Mapping, Sequence

from ..errors import DataNotFoundError, HydraError, ParseError

__all__ = [
    "DATASETS",
    "THRESHOLD",
    "CHANCE",
    "LEAK",
    "UPSTREAM",
    "Question",
    "find_split",
    "read_questions",
    "normalize",
    "ratio",
    "matches",
    "choose_option",
    "read_reply",
    "score_answer",
    "summarize",
    "run",
]

DATASETS = ("medexqa",)
#: The reference's ``fuzzy_threshold``.
THRESHOLD = 0.8
#: Four options: a random choice is right a quarter of the time.
CHANCE = 0.25
LEAK = "LEAK: the explanations state the answers; this measures extraction and retrieval, not medical reasoning."
UPSTREAM = "https://huggingface.co/datasets/bluesky333/MedExQA"
LETTERS = "ABCD"
#: Answer values kept per question in the output.
MAX_VALUES = 10


# ======================================================================== data
@dataclass(frozen=True)
class Question:
    """One MedExQA line."""

    qid: str
    specialty: str
    text: str
    options: tuple[str, str, str, str]
    explanations: tuple[str, str]
    answer: str  # the letter A-D

    @property
    def gold(self) -> str:
        """The text of the correct option (what the reference compares answers with)."""
        return self.options[LETTERS.index(self.answer)]


def find_split(data_dir: str | Path) -> Path:
    """The folder of MedExQA ``.tsv`` files: ``data_dir`` itself, or ``medexqa/dev`` or ``dev`` under it.

    Raises :class:`DataNotFoundError` naming the path, the ``--data-dir`` flag and where to get the data.
    """
    base = Path(data_dir)
    for cand in (base, base / "medexqa" / "dev", base / "dev", base / "medexqa"):
        if cand.is_dir() and any(cand.glob("*.tsv")):
            return cand
    where = ("is a file, not a folder" if base.is_file() else
             "does not exist" if not base.exists() else "holds no MedExQA .tsv files (nor medexqa/dev/ under it)")
    raise DataNotFoundError(
        f"No MedExQA data: --data-dir {str(base)!r} {where} (working directory {os.getcwd()}). "
        f"Pass --data-dir with a folder of MedExQA .tsv files (question, options A-D, two explanations, "
        f"answer letter; no header), e.g. --data-dir ../shared/data/medexqa/dev. Get the data set from {UPSTREAM} "
        f"(CC BY-NC-SA 4.0).")


def read_questions(folder: str | Path) -> list[Question]:
    """Every question of every ``.tsv`` in ``folder`` (files in name order, lines in file order)."""
    out: list[Question] = []
    for path in sorted(Path(folder).glob("*.tsv")):
        specialty = re.sub(r"_(dev|test|train|validation)$", "", path.stem)
        with open(path, encoding="utf-8-sig", newline="") as fh:
            n = 0
            for no, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                fields = line.split("\t")
                if len(fields) != 8:
                    raise ParseError(f"expected 8 tab-separated fields (question, options A-D, explanation 1, "
                                     f"explanation 2, answer letter), found {len(fields)}.",
                                     source=str(path), line=no)
                letter = fields[7].strip().upper()
                if letter not in LETTERS:
                    raise ParseError(f"the answer must be a letter A-D, not {fields[7]!r}.", source=str(path), line=no)
                n += 1
                out.append(Question(f"{specialty}_{n}", specialty, fields[0].strip(),
                                    tuple(f.strip() for f in fields[1:5]),  # type: ignore[arg-type]
                                    (fields[5].strip(), fields[6].strip()), letter))
    return out


def _take(questions: Sequence[Question], limit: int | None) -> list[Question]:
    """The first ``limit`` questions taken in turn from each specialty (all when ``limit`` is None)."""
    if limit is None or limit >= len(questions):
        return list(questions)
    by_spec: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_spec[q.specialty].append(q)
    out: list[Question] = []
    rnd = 0
    while len(out) < limit:
        for spec in by_spec:
            if rnd < len(by_spec[spec]) and len(out) < limit:
                out.append(by_spec[spec][rnd])
        rnd += 1
    return out


# ===================================================================== scoring
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)


def normalize(text: str) -> str:
    """Case-folded, underscores as spaces, whitespace collapsed, surrounding punctuation stripped."""
    t = unicodedata.normalize("NFKC", str(text)).casefold().replace("_", " ")
    t = " ".join(t.split())
    return _EDGE_PUNCT.sub("", t)


def ratio(a: str, b: str) -> float:
    """Similarity of two answer texts in [0, 1] (difflib's ratio on :func:`normalize`-d text)."""
    x, y = normalize(a), normalize(b)
    if not x and not y:
        return 0.0  # two empty answers say nothing
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


def matches(answer: str, gold: str, threshold: float = THRESHOLD) -> bool:
    """Whether ``answer`` is the gold answer text (``ratio >= threshold``, as the reference)."""
    return ratio(answer, gold) >= threshold


def choose_option(values: Iterable[str], options: Sequence[str]) -> tuple[str | None, float]:
    """The letter of the option with the highest ratio to any of ``values``, and that ratio.

    ``(None, best)`` when there is no value, every ratio is 0, or two options tie at the top.
    """
    vals = [v for v in values if normalize(v)]
    if not vals:
        return None, 0.0
    scores = [max(ratio(v, opt) for v in vals) for opt in options]
    best = max(scores)
    if best <= 0 or scores.count(best) > 1:
        return None, best
    return LETTERS[scores.index(best)], best


_REPLY_LETTER = re.compile(r"^\s*(?:\**\s*(?:the\s+)?(?:correct\s+)?answer(?:\s+is)?\s*[:\-]?\s*)?\**\s*\(?([A-D])\)?"
                           r"(?:\s*[.):\-]\s*|\s+|\**\s*$)(.*)$", re.IGNORECASE | re.DOTALL)


def read_reply(reply: str, options: Sequence[str]) -> tuple[str, str | None]:
    """``(answer text, letter or None)`` of a model's reply to a multiple-choice question.

    "B. text" -> ("text", "B"); "B" -> (option B's text, "B"); anything else -> (the reply, None).
    Only an upper-case letter counts (so the article "a" is not option A).
    """
    text = (reply or "").strip()
    first = text.splitlines()[0].strip() if text else ""
    m = _REPLY_LETTER.match(first)
    if m and m.group(1).isupper():
        letter = m.group(1)
        rest = m.group(2).strip().strip("*").strip()
        return (rest or options[LETTERS.index(letter)]), letter
    return first, None


def score_answer(values: Sequence[str], gold: str, options: Sequence[str], *, ran: bool,
                 letter: str | None = None, answer_letter: str | None = None,
                 threshold: float = THRESHOLD) -> dict[str, Any]:
    """One question's outcome under the reference's definitions and as multiple choice.

    ``values`` are the answer texts in result order (the first is the reference's
    "first value of the first row"); ``ran`` is whether a query (or call) ran without
    error; ``letter`` is a letter the answerer gave itself (the baseline), which then is
    the multiple-choice choice.
    """
    vals = [str(v) for v in values if str(v).strip()]
    answered = bool(ran and vals)
    first = ratio(vals[0], gold) if answered else 0.0
    best = max((ratio(v, gold) for v in vals), default=0.0) if answered else 0.0
    choice: str | None
    if letter is not None and letter in LETTERS:
        choice, choice_ratio = letter, (ratio(vals[0], options[LETTERS.index(letter)]) if vals else 0.0)
    elif answered:
        choice, choice_ratio = choose_option(vals, options)
    else:
        choice, choice_ratio = None, 0.0
    return {
        "successful": bool(ran),
        "returned_results": answered,
        "first_ratio": round(first, 4),
        "best_ratio": round(best, 4),
        "correct": answered and first >= threshold,
        "correct_any": answered and best >= threshold,
        "choice": choice,
        "choice_ratio": round(choice_ratio, 4),
        "mc_correct": choice is not None and choice == answer_letter,
    }


def summarize(outcomes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts and rates over ``outcomes`` (rates over all questions, as the reference's ``eval.py``)."""
    n = len(outcomes)

    def c(key: str) -> int:
        return sum(1 for o in outcomes if o.get(key))

    succ, res, cor, cor_any, mc = (c("successful"), c("returned_results"), c("correct"), c("correct_any"),
                                   c("mc_correct"))
    chosen = sum(1 for o in outcomes if o.get("choice"))

    def rate(k: int) -> float:
        return round(k / n, 4) if n else 0.0

    return {"n": n, "successful": succ, "with_results": res, "correct": cor, "correct_any": cor_any,
            "mc_chosen": chosen, "mc_correct": mc,
            "success_rate": rate(succ), "result_rate": rate(res), "accuracy": rate(cor),
            "accuracy_any_answer": rate(cor_any), "mc_accuracy": rate(mc)}


# ==================================================================== pipeline
def _kg_run(questions: Sequence[Question], engine: str, engine_options: Mapping[str, Any],
            log: Callable[[str], None]) -> dict[str, Any]:
    """Ontology from the questions, graph from the explanations, answers from the graph."""
    from ..session import Session, SessionConfig

    session = Session("medexqa", SessionConfig(model=engine, journal_dir=None,
                                               engine_options=dict(engine_options)))
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    onto: dict[str, Any] = {
        "how": (f"the {len(questions)} questions themselves were given as competency questions "
                f"(Session.add_cqs, engine {engine})"),
        "cqs": len(questions)}
    try:
        cq = session.add_cqs([q.text for q in questions])
        contributed = {text for text, names in cq.contributions().items() if names}
        onto.update({
            "cqs_read": len(questions) - len(cq.unparsed()),
            "cqs_not_understood": len(cq.unparsed()),
            "cqs_adding_terms": len(contributed & {q.text for q in questions}),
            "classes_added": len(cq.added_classes), "properties_added": len(cq.added_properties),
            "rejected": len(cq.rejected), "error": None,
            "issue_codes": dict(sorted(Counter(i.code for i in cq.issues).items()))})
    except HydraError as exc:
        onto.update({"cqs_read": 0, "cqs_not_understood": len(questions), "cqs_adding_terms": 0,
                     "classes_added": 0, "properties_added": 0, "rejected": 0, "error": str(exc),
                     "issue_codes": {}})
    onto["classes"] = len(session.ontology.classes)
    onto["properties"] = len(session.ontology.properties)
    seconds["ontology"] = round(time.perf_counter() - t0, 3)
    log(f"  ontology: {onto['classes']} classes, {onto['properties']} properties ({seconds['ontology']:.1f}s)")

    t0 = time.perf_counter()
    extraction: dict[str, dict[str, Any]] = {}
    for i, q in enumerate(questions, 1):
        try:
            r = session.extract(list(q.explanations), source=q.qid)
            extraction[q.qid] = {"accepted": len(r.accepted), "rejected": len(r.rejected), "error": None}
        except HydraError as exc:
            extraction[q.qid] = {"accepted": 0, "rejected": 0, "error": " ".join(str(exc).split())}
        log(f"  extracted {i}/{len(questions)}: {q.qid} +{extraction[q.qid]['accepted']} facts")
    seconds["extract"] = round(time.perf_counter() - t0, 3)
    facts = {"extracted": sum(e["accepted"] for e in extraction.values()),
             "rejected": sum(e["rejected"] for e in extraction.values()),
             "in_graph": len(session.kg),
             "texts": 2 * len(questions),
             "extraction_errors": sum(1 for e in extraction.values() if e["error"])}

    t0 = time.perf_counter()
    per_q: dict[str, dict[str, Any]] = {}
    for q in questions:
        try:
            r = session.ask(q.text)
            values = r.answer_values()
            # Ran: the query passed the ontology check and the policy and was executed (a SELECT
            # has its columns, an ASK its boolean), whether or not it found anything.
            ran = r.sparql is not None and (bool(r.columns) or r.boolean is not None)
            rec = {"by": r.by, "sparql": r.sparql, "why_not": r.why_not, "n_values": len(values),
                   "values": values[:MAX_VALUES], "error": None}
        except HydraError as exc:
            values, ran = [], False
            rec = {"by": "", "sparql": None, "why_not": "", "n_values": 0, "values": [],
                   "error": " ".join(str(exc).split())}
        rec.update(score_answer(values, q.gold, q.options, ran=ran, answer_letter=q.answer))
        rec["facts_extracted"] = extraction[q.qid]["accepted"]
        rec["extract_error"] = extraction[q.qid]["error"]
        per_q[q.qid] = rec
        log(f"  asked {len(per_q)}/{len(questions)}: {q.qid} -> {rec['n_values']} answers")
    seconds["ask"] = round(time.perf_counter() - t0, 3)
    session.close()
    return {"ontology": onto, "facts": facts, "per_question": per_q, "seconds": seconds}


_BASELINE_SYSTEM = ("You answer a multiple-choice question using only the explanation text given. "
                    "Reply with one line: the letter of one option, a full stop and that option's text, "
                    "e.g. 'B. <option text>'.")


def _baseline_messages(q: Question) -> list[dict[str, str]]:
    opts = "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options))
    user = (f"Explanation:\n{q.explanations[0]}\n{q.explanations[1]}\n\n"
            f"Question: {q.text}\n{opts}\n\nAnswer:")
    return [{"role": "system", "content": _BASELINE_SYSTEM}, {"role": "user", "content": user}]


def _completion(model: str, api_base: str | None, messages: list[dict[str, str]], *,
                timeout: float, max_tokens: int = 96) -> str:
    """One plain chat completion through litellm, with the engine's key rule for a custom api_base.

    A custom ``api_base`` gets ``$HYDRA_API_KEY`` or a placeholder (never a provider's environment
    key); without one, litellm reads the provider's own variable.
    """
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm  # heavy: only with a model

    litellm.suppress_debug_info = True
    kw: dict[str, Any] = {"model": model, "messages": messages, "temperature": 0.0, "max_tokens": max_tokens,
                          "timeout": timeout, "num_retries": 0, "drop_params": True}
    if api_base:
        kw["api_base"] = api_base
        kw["api_key"] = os.environ.get("HYDRA_API_KEY") or "EMPTY"
    resp = litellm.completion(**kw)
    return str(resp.choices[0].message.content or "")


def _baseline_run(questions: Sequence[Question], model: str, api_base: str | None, timeout: float,
                  log: Callable[[str], None],
                  complete: Callable[..., str] | None = None) -> dict[str, Any]:
    """The same model answers each question from the two explanations (no graph)."""
    complete = complete or _completion
    t0 = time.perf_counter()
    per_q: dict[str, dict[str, Any]] = {}
    for i, q in enumerate(questions, 1):
        try:
            reply = complete(model, api_base, _baseline_messages(q), timeout=timeout)
            answer, letter = read_reply(reply, q.options)
            rec: dict[str, Any] = {"reply": reply[:500], "answer": answer, "letter": letter, "error": None}
            rec.update(score_answer([answer] if answer else [], q.gold, q.options, ran=True, letter=letter,
                                    answer_letter=q.answer))
        except Exception as exc:  # noqa: BLE001 - a failed call is that question's outcome, as in the reference
            rec = {"reply": "", "answer": "", "letter": None, "error": f"{type(exc).__name__}: {exc}"[:300]}
            rec.update(score_answer([], q.gold, q.options, ran=False, answer_letter=q.answer))
        per_q[q.qid] = rec
        log(f"  baseline {i}/{len(questions)}: {q.qid} -> {rec['choice'] or '-'}")
    return {"per_question": per_q, "seconds": round(time.perf_counter() - t0, 3)}


# ===================================================================== the run
def run(data_dir: str | Path, *, dataset: str = "medexqa", engine: str = "rules",
        api_base: str | None = None, limit: int | None = None, timeout: float = 120.0,
        output: str | Path | None = None, verbose: bool = False, out: IO[str] | None = None,
        complete: Callable[..., str] | None = None) -> dict[str, Any]:
    """Build the graph, answer from it, score; print the figures and write them as JSON to ``output``.

    ``engine`` is ``"rules"`` (offline) or a litellm model string (then ``api_base`` and a no-KG
    baseline apply); ``limit`` takes that many questions, in turn from each specialty;
    ``complete`` replaces the baseline's model call (tests).
    """
    if dataset not in DATASETS:
        raise DataNotFoundError(f"Unknown --dataset {dataset!r}; known: {', '.join(DATASETS)}.")
    stream = out or sys.stdout

    def say(line: str = "") -> None:
        print(line, file=stream)

    def log(line: str) -> None:
        if verbose:
            print(line, file=sys.stderr)

    folder = find_split(data_dir)
    all_q = read_questions(folder)
    if not all_q:
        raise DataNotFoundError(f"No questions in the .tsv files of --data-dir {str(folder)!r}.")
    questions = _take(all_q, limit)
    model = engine not in ("rules", "offline", "")
    engine_options: dict[str, Any] = {"api_base": api_base} if (model and api_base) else {}
    if model:
        engine_options["timeout"] = timeout
    t_all = time.perf_counter()
    kg = _kg_run(questions, engine, engine_options, log)
    base = _baseline_run(questions, engine, api_base, timeout, log, complete) if model else None
    total = round(time.perf_counter() - t_all, 3)

    kg_out = [kg["per_question"][q.qid] for q in questions]
    base_out = [base["per_question"][q.qid] for q in questions] if base else None
    specs: dict[str, dict[str, Any]] = {}
    for spec in dict.fromkeys(q.specialty for q in questions):
        idx = [i for i, q in enumerate(questions) if q.specialty == spec]
        specs[spec] = {"kg": summarize([kg_out[i] for i in idx])}
        if base_out is not None:
            specs[spec]["baseline"] = summarize([base_out[i] for i in idx])

    records = []
    for i, q in enumerate(questions):
        rec = {"id": q.qid, "specialty": q.specialty, "question": q.text,
               "options": dict(zip(LETTERS, q.options)), "answer": q.answer, "gold": q.gold, "kg": kg_out[i]}
        if base_out is not None:
            rec["baseline"] = base_out[i]
        records.append(rec)

    result: dict[str, Any] = {
        "bench": "qa", "dataset": dataset, "data_dir": str(folder),
        "files": sorted(p.name for p in folder.glob("*.tsv")),
        "n_available": len(all_q), "n": len(questions), "limit": limit,
        "engine": engine, "api_base": api_base if model else None,
        "leak": LEAK,
        "scoring": {
            "threshold": THRESHOLD, "chance": CHANCE,
            "matcher": "difflib.SequenceMatcher ratio on case-folded, underscore- and whitespace-normalised text",
            "reference": ("ExtensityAI/ontology-hydra@eval packages/eval/src/eval/neo4j_eval.py + eval.py: "
                          "success = query ran, result = >=1 row, correct = LLM similarity of the first value "
                          "to the gold option text >= 0.8; rates over all questions"),
            "accuracy": "first answer value matches the gold option text (reference definition)",
            "accuracy_any_answer": "any answer value matches the gold option text",
            "mc_accuracy": "the option with the highest ratio to any answer value is the gold one (ties: none)",
        },
        "ontology": kg["ontology"], "facts": kg["facts"],
        "kg": summarize(kg_out),
        "baseline": summarize(base_out) if base_out is not None else None,
        "baseline_note": ("the same model answers from the two explanations, no graph" if model else
                          "no baseline: the offline engine has no model to answer from the text"),
        "per_specialty": specs,
        "seconds": {**kg["seconds"], "baseline": base["seconds"] if base else None, "total": total},
        "questions": records,
    }
    _print(result, say, verbose)
    if output is not None:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        say(f"results written to {path}")
    return result


def _print(r: Mapping[str, Any], say: Callable[[str], None], verbose: bool) -> None:
    o, f, kg, base = r["ontology"], r["facts"], r["kg"], r["baseline"]
    limited = f" (--limit {r['limit']} of {r['n_available']})" if r["n"] < r["n_available"] else ""
    say(f"MedExQA: {r['n']} questions{limited} from {r['data_dir']}, engine {r['engine']}")
    say(r["leak"])
    say(f"ontology: made from the {o['cqs']} questions as competency questions ({r['engine']} CQ engine): "
        f"{o['cqs_read']} read, {o['cqs_not_understood']} reported not understood, {o['cqs_adding_terms']} "
        f"added classes or properties of their own; {o['classes']} classes, {o['properties']} properties, "
        f"{o['rejected']} candidates rejected"
        + (f"; error: {o['error']}" if o.get("error") else ""))
    say(f"graph: {f['extracted']} facts extracted from {f['texts']} explanations "
        f"({f['rejected']} rejected by the contracts, {f['extraction_errors']} extraction errors)")
    say("")
    head = f"{'':30}{'KG':>12}" + (f"{'no-KG baseline':>18}" if base else "")
    say(head)

    def row(label: str, key: str, count: str | None = None) -> None:
        def cell(m: Mapping[str, Any], width: int) -> str:
            txt = f"{m[key]:.2f}" + (f" ({m[count]}/{m['n']})" if count else "")
            return f"{txt:>{width}}"
        say(f"{label:30}{cell(kg, 12)}" + (cell(base, 18) if base else ""))

    row("success rate (ref.)", "success_rate", "successful")
    row("result rate (ref.)", "result_rate", "with_results")
    row("accuracy (ref., first value)", "accuracy", "correct")
    row("accuracy (any answer value)", "accuracy_any_answer", "correct_any")
    row("multiple-choice accuracy", "mc_accuracy", "mc_correct")
    say(f"{'chance (multiple choice)':30}{CHANCE:>12.2f}")
    say(f"match: ratio >= {THRESHOLD} (difflib; the reference asks an LLM for the similarity)")
    say("")
    say("per specialty (KG answered / correct / multiple-choice correct / n"
        + (";  baseline correct / multiple-choice correct)" if base else ")"))
    for spec, m in r["per_specialty"].items():
        k = m["kg"]
        line = f"  {spec:32} {k['with_results']} / {k['correct']} / {k['mc_correct']} / {k['n']}"
        if "baseline" in m:
            line += f";  {m['baseline']['correct']} / {m['baseline']['mc_correct']}"
        say(line)
    s = r["seconds"]
    say(f"time: ontology {s['ontology']:.1f}s, extraction {s['extract']:.1f}s, answers {s['ask']:.1f}s"
        + (f", baseline {s['baseline']:.1f}s" if s.get("baseline") is not None else "")
        + f", total {s['total']:.1f}s")
    if base is None:
        say("no-KG baseline: only with a model (--model ... --api-base ...)")
    if verbose:
        say("")
        say(f"{'id':34} {'gold':4} {'KG':5} {'ratio':>5} {'first answer value':30}"
            + (f" {'base':4}" if base else "") + "  why not")
        for q in r["questions"]:
            k = q["kg"]
            first = (k["values"][0] if k["values"] else "-")[:30]
            line = (f"{q['id']:34} {q['answer']:4} {k['choice'] or '-':5} {k['first_ratio']:5.2f} {first:30}"
                    + (f" {q['baseline']['choice'] or '-':4}" if base else ""))
            why = k.get("error") or k.get("why_not") or ""
            say(line + ("  " + why[:90] if why and not k["returned_results"] else ""))
