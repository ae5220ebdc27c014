"""``hydra extract``: one JSON line in (``{"id", "sent"}``), one JSON line out, contracts on every triple.

Each input line is extracted on its own (no state is carried between lines),
so the output does not depend on the order of the input. Each output line lists
the accepted triples, every rejection with its rule code, and, when the engine
failed on that line, ``error`` with its ``error_code`` (``rate_limit``,
``parse_error``, …). A run with any failed line exits 1 after printing the
first error of each kind; a model name that cannot be used stops it at once
(exit 2, naming the ways to write one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from rdflib import RDF

from ..errors import EmptyInputError, InputError, InputTooLargeError, ParseError

__all__ = ["add_parser", "run", "read_jsonl"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", required=True, help="ontology: .ttl, .owl/.rdf or a Text2KGBench .json")
    p.add_argument("--input", required=True, help="JSONL with one {\"id\", \"sent\"} per line")
    p.add_argument("--output", required=True, help="JSONL written with one line per input line")
    p.add_argument("--learn", help="labelled train JSONL (Text2KGBench TekGen or WebNLG format)")
    p.add_argument("--engine", default="rules", help="'rules' (offline, default) or a litellm model")
    p.add_argument("--api-base", help="OpenAI-compatible base URL for the model engine")
    p.add_argument("--no-cache", action="store_true",
                   help="always ask the model: neither read nor write the reply cache")
    p.add_argument("--types", choices=("default", "strict"), default="default",
                   help="default: keep triples that rest on types inferred from a relation, with "
                        "\"flags\": [\"type_inferred\"]; strict: reject them (untyped_entity)")


#: Longest JSONL line read, in bytes: one sentence (or one labelled example) per line.
MAX_LINE_BYTES = 1_000_000


def read_jsonl(path: str | Path, *, flag: str = "") -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one per non-blank line.

    Raises
    ------
    ParseError
        Naming the file and line: not UTF-8, not JSON, not an object, nested too
        deeply, or an unpaired surrogate escape (``"\\ud800"``).
    InputTooLargeError
        A line longer than :data:`MAX_LINE_BYTES`.
    """
    for _, row in _numbered_jsonl(path, flag=flag):
        yield row


def _numbered_jsonl(path: str | Path, *, flag: str) -> Iterator[tuple[int, dict[str, Any]]]:
    from ..user_files import check_input_file

    p = check_input_file(path, flag)
    with open(p, "rb") as fh:
        no = 0
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            no += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise InputTooLargeError(
                    f"{f'{flag} ' if flag else ''}{str(p)!r}, line {no}: longer than {MAX_LINE_BYTES:,} bytes. "
                    "Each line is one JSON object with one sentence; split long texts into sentences.")
            try:
                line = raw.decode("utf-8-sig" if no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ParseError(f"not UTF-8 text (byte {raw[exc.start]:#04x} at column {exc.start + 1}). "
                                 "Save the file as UTF-8 and run again.", source=str(p), line=no) from exc
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except RecursionError as exc:
                raise ParseError("the JSON is nested too deeply. Each line must be a flat JSON object such as "
                                 '{"id": "1", "sent": "..."}.', source=str(p), line=no) from exc
            except ValueError as exc:
                raise ParseError(f"not a JSON object: {exc.args[0]}. Each line must be a JSON object such as "
                                 '{"id": "1", "sent": "..."}.', source=str(p), line=no) from exc
            if not isinstance(row, dict):
                raise ParseError("each line must be a JSON object such as {\"id\": \"1\", \"sent\": \"...\"}, "
                                 f"not a JSON {_json_type(row)}.", source=str(p), line=no)
            bad = _surrogate(row)
            if bad is not None:
                raise ParseError(f"{bad!r} holds an unpaired surrogate escape (\\ud800-\\udfff), which is not "
                                 "valid Unicode. Fix or remove the escape.", source=str(p), line=no)
            yield no, row


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def _surrogate(value: Any) -> str | None:
    """The first string (key or value) in ``value`` with an unpaired surrogate; ``None`` if there is none."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not v.isascii() and any("\ud800" <= ch <= "\udfff" for ch in v):
                return v[:40]
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


def _sentence_rows(path: str, flag: str) -> Iterator[tuple[str, Any]]:
    """``(text, id)`` of each input line; the types of ``sent`` and ``id`` are checked."""
    for no, row in _numbered_jsonl(path, flag=flag):
        sent, rid = row.get("sent"), row.get("id")
        if sent is None:
            raise ParseError('there is no "sent" (the sentence). Each line must be a JSON object such as '
                             '{"id": "1", "sent": "..."}.', source=str(path), line=no)
        if not isinstance(sent, str):
            raise ParseError(f'"sent" is a JSON {_json_type(sent)}; it must be a string (the sentence).',
                             source=str(path), line=no)
        if rid is not None and (isinstance(rid, bool) or not isinstance(rid, (str, int))):
            raise ParseError(f'"id" is a JSON {_json_type(rid)}; it must be a string or an integer.',
                             source=str(path), line=no)
        yield sent, rid


def _learn_rows(path: str, flag: str) -> list[dict[str, Any]]:
    """Labelled examples, their shape checked (TekGen: one triple per line; WebNLG: "triples")."""
    rows = []
    shape = ('A labelled line is {"sent": "...", "triples": [{"sub": "...", "rel": "...", "obj": "..."}]} '
             '(WebNLG) or {"sent", "sub_label", "rel_label", "obj_label"} (TekGen).')
    for no, row in _numbered_jsonl(path, flag=flag):
        def bad(problem: str, no: int = no) -> ParseError:
            return ParseError(f"{problem}. {shape}", source=str(path), line=no)

        for key in ("sent", "text", "sub_label", "rel_label", "obj_label", "sub", "rel", "obj"):
            if row.get(key) is not None and not isinstance(row[key], (str, int, float)):
                raise bad(f"{key!r} is a JSON {_json_type(row[key])}; it must be a string")
        triples = row.get("triples")
        if triples is not None:
            if not isinstance(triples, list):
                raise bad(f'"triples" is a JSON {_json_type(triples)}, not an array')
            for i, t in enumerate(triples):
                if not isinstance(t, dict):
                    raise bad(f'triple {i} (counting from 0) is a JSON {_json_type(t)}, not an object')
                for key in ("sub", "rel", "obj"):
                    if t.get(key) is not None and not isinstance(t[key], (str, int, float)):
                        raise bad(f"triple {i} (counting from 0) has {key!r} = a JSON {_json_type(t[key])}; "
                                  "it must be a string")
        rows.append(row)
    if not any((row.get("sent") or row.get("text")) and ("triples" in row or "rel_label" in row or "rel" in row)
               for row in rows):
        raise EmptyInputError(f"{flag} {str(path)!r} has no labelled line to learn from: each line needs a "
                              '"sent" and its triples ("triples": [{"sub", "rel", "obj"}], or "sub_label", '
                              '"rel_label", "obj_label").')
    return rows


def run(args: argparse.Namespace) -> int:
    from ..user_files import check_input_file, check_output_path
    from ..engines import get_engine
    from ..io import read_ontology
    from ..kg import KnowledgeGraph
    from ..pipeline import RetryPolicy, TextChunk, extract_chunks

    t0 = time.perf_counter()
    # Every path is checked before any work, so a bad one costs nothing and writes nothing.
    check_input_file(args.ontology, "--ontology")
    check_input_file(args.input, "--input")
    if args.learn:
        check_input_file(args.learn, "--learn")
    out_path = check_output_path(args.output, "--output")
    ontology = read_ontology(args.ontology)
    options: dict[str, Any] = {"api_base": args.api_base} if args.api_base else {}
    if args.no_cache:
        options["use_cache"] = False
    engine = get_engine(args.engine, **options)
    if args.learn:
        if not hasattr(engine, "learn"):
            raise InputError(f"--learn works with the rules engine; {args.engine!r} does not learn triggers.")
        engine.learn(_learn_rows(args.learn, "--learn"), ontology)
    t_ready = time.perf_counter()
    kg = KnowledgeGraph(ontology.base)  # stays empty: lines are independent
    policy = RetryPolicy(base_delay=0.2)
    stats: Counter[str] = Counter()
    sentences = 0
    failures: dict[str, tuple[Any, str]] = {}  # first failure of each kind: (line id, message)
    failed: Counter[str] = Counter()  # lines the engine failed on, by kind
    # Written next to the output and renamed at the end: a bad line or an interrupt
    # leaves the previous output (if any) as it was, never a half-written file.
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            for text, rid in _sentence_rows(args.input, "--input"):
                sentences += 1
                triples, rejected = [], []
                line_error, error_code, notes = "", "", []
                if text.strip():
                    outcome = extract_chunks(engine, [TextChunk(text, 0, 0, "" if rid is None else str(rid))],
                                             text, ontology, kg, policy, types=args.types)[0]
                    for ct in outcome.accepted:
                        if ct.predicate == RDF.type:
                            continue  # typing is internal; the output lists ontology relations
                        prop = ontology.properties[ct.predicate]  # type: ignore[index]
                        c = ct.candidate
                        triple: dict[str, Any] = {"sub": c.subject_text or c.subject, "rel": prop.label,
                                  "obj": c.object_text or c.object}
                        if ct.flags:
                            triple["flags"] = list(ct.flags)
                            stats["flagged"] += 1
                        triples.append(triple)
                    for ct in outcome.rejected:
                        c = ct.candidate
                        rejected.append({"sub": c.subject_text or c.subject, "rel": c.predicate,
                                         "obj": c.object_text or c.object,
                                         "code": ct.codes[0] if ct.codes else "", "codes": ct.codes})
                        stats.update(ct.codes[:1])
                    notes = list(outcome.notes)
                    if outcome.error:
                        line_error, error_code = outcome.error, outcome.error_kind or "engine_error"
                        failures.setdefault(error_code, (rid, outcome.error))
                        failed[error_code] += 1
                stats["accepted"] += len(triples)
                row: dict[str, Any] = {"id": rid, "triples": triples, "rejected": rejected}
                if line_error:
                    row["error"] = line_error  # the line is not (fully) extracted: the engine failed
                    row["error_code"] = error_code
                if notes:
                    row["notes"] = notes  # a cap cut what the engine proposed (RetryPolicy)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                out.flush()
        if not sentences:
            raise EmptyInputError(f"--input {str(args.input)!r} has no JSON line, so there is nothing to "
                                  'extract. Write one {"id": "1", "sent": "..."} object per line.')
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    done = time.perf_counter()
    setup, extracting = t_ready - t0, done - t_ready
    accepted = stats.pop("accepted", 0)
    flagged = stats.pop("flagged", 0)
    by_code = ", ".join(f"{k}: {v}" for k, v in stats.most_common()) or "none"
    # A failed line is not a rejection: the contracts never saw its triples.
    lost = (f", {sum(failed.values())} lines failed (engine_error: {sum(failed.values())}; "
            + ", ".join(f"{k}: {v}" for k, v in failed.most_common()) + ")") if failed else ""
    print(f"hydra extract: {sentences} sentences, {accepted} triples accepted "
          f"({accepted - flagged} verified, {flagged} on inferred types), "
          f"{sum(stats.values())} rejected ({by_code}){lost}, {done - t0:.2f} s "
          f"(ontology{' + learning' if args.learn else ''} {setup:.2f} s, extraction {extracting:.2f} s = "
          f"{_rate(sentences, extracting)})", file=sys.stderr)
    usage = getattr(engine, "usage", None)
    if usage is not None:
        print(f"hydra extract: model {args.engine}: {usage}", file=sys.stderr)
    if failures:
        # Not a clean run: say why (first failure of each kind) and exit non-zero.
        for code, (rid, message) in failures.items():
            print(f"hydra extract: line {rid!r} failed ({code}): {message}", file=sys.stderr)
        return 1
    return 0


def _rate(sentences: int, seconds: float) -> str:
    """Sentences per second, or seconds per sentence when a model is slower than one a second."""
    if not seconds or not sentences:
        return "0 sentences/s"
    per_second = sentences / seconds
    return f"{per_second:.0f} sentences/s" if per_second >= 1 else f"{seconds / sentences:.1f} s per sentence"
