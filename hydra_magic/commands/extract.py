"""``hydra extract``: one JSON line in (``{"id", "sent"}``), one JSON line out, contracts on every triple.

Each input line is extracted on its own (no state is carried between lines),
so the output does not depend on the order of the input. Each output line lists
the accepted triples, every rejection with its rule code, and, when the engine
failed on that line, ``error`` with its ``error_code`` (``rate_limit``,
``parse_error``, …). A run with any failed line exits 1 after printing the
first error of each kind; a model name that cannot be used stops it at once
(exit 2, naming the ways to write one).

With ``--store URL`` the lines go into the session kept on that SPARQL server
(``--session NAME``, default ``cli``): each line is one change with its id as
the source, extracted against what the session already holds, exactly as a
notebook's ``%%extract`` cell would be.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from rdflib import RDF

from ..errors import EmptyInputError, InputError, InputTooLargeError, ParseError
from .store_options import add_model_argument, add_store_arguments

__all__ = ["add_parser", "run", "read_jsonl"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", help="ontology: .ttl, .owl/.rdf or a Text2KGBench .json (required unless --store "
                                      "names a session that has one; with --store it is added to that session)")
    p.add_argument("--input", required=True, help="JSONL with one {\"id\", \"sent\"} per line")
    p.add_argument("--output", required=True, help="JSONL written with one line per input line")
    p.add_argument("--learn", help="labelled train JSONL (Text2KGBench TekGen or WebNLG format)")
    add_model_argument(p)
    p.add_argument("--api-base", help="OpenAI-compatible base URL for the model engine")
    p.add_argument("--no-cache", action="store_true",
                   help="always ask the model: neither read nor write the reply cache")
    p.add_argument("--max-epochs", type=int, metavar="N",
                   help="readings of each line by a model (gleaning: re-read while it finds new facts; default "
                        "3, HyDRA's; 1 reads once); the offline engine always reads once")
    p.add_argument("--types", choices=("default", "strict"), default="default",
                   help="default: keep triples that rest on types inferred from a relation, with "
                        "\"flags\": [\"type_inferred\"]; strict: reject them (untyped_entity)")
    add_store_arguments(p)


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


class _Tally:
    """The output line of each input line, and the run's counts (accepted, flagged, rejections by code, failures)."""

    def __init__(self, ontology: Any) -> None:
        self.ontology = ontology
        self.stats: Counter[str] = Counter()
        self.accepted = self.flagged = self.sentences = 0
        self.failures: dict[str, tuple[Any, str]] = {}  # first failure of each kind: (line id, message)
        self.failed: Counter[str] = Counter()  # lines the engine failed on, by kind

    def row(self, rid: Any, accepted: Sequence[Any], rejected: Sequence[Any], error: str = "",
            error_code: str = "", notes: Sequence[str] = ()) -> dict[str, Any]:
        triples, rows = [], []
        for ct in accepted:
            if ct.predicate == RDF.type:
                continue  # typing is internal; the output lists ontology relations
            prop = self.ontology.properties[ct.predicate]
            c = ct.candidate
            triple: dict[str, Any] = {"sub": c.subject_text or c.subject, "rel": prop.label,
                                      "obj": c.object_text or c.object}
            if ct.flags:
                triple["flags"] = list(ct.flags)
                self.flagged += 1
            triples.append(triple)
        for ct in rejected:
            c = ct.candidate
            rows.append({"sub": c.subject_text or c.subject, "rel": c.predicate, "obj": c.object_text or c.object,
                         "code": ct.codes[0] if ct.codes else "", "codes": ct.codes})
            self.stats.update(ct.codes[:1])
        self.accepted += len(triples)
        row: dict[str, Any] = {"id": rid, "triples": triples, "rejected": rows}
        if error:
            code = error_code or "engine_error"
            row["error"] = error  # the line is not (fully) extracted: the engine failed
            row["error_code"] = code
            self.failures.setdefault(code, (rid, error))
            self.failed[code] += 1
        if notes:
            row["notes"] = list(notes)  # a cap cut what the engine proposed (RetryPolicy)
        return row


#: ``[rate_limit] …``: the kind an engine error names at the start of its message.
_KIND = re.compile(r"^\[(\w+)\]")


def run(args: argparse.Namespace) -> int:
    from ..user_files import check_input_file, check_output_path
    from .store_options import check_store_arguments

    t0 = time.perf_counter()
    check_store_arguments(args)
    # Every path is checked before any work, so a bad one costs nothing and writes nothing.
    if not args.ontology and not args.store:
        raise InputError("--ontology is required (a .ttl, .owl/.rdf or Text2KGBench .json file), unless --store "
                         "names a server whose session already has an ontology.")
    if args.ontology:
        check_input_file(args.ontology, "--ontology")
    check_input_file(args.input, "--input")
    if args.learn:
        check_input_file(args.learn, "--learn")
    out_path = check_output_path(args.output, "--output")
    options: dict[str, Any] = {"api_base": args.api_base} if args.api_base else {}
    if args.no_cache:
        options["use_cache"] = False
    if args.store:
        return _run_in_session(args, out_path, options, t0)
    from ..engines import get_engine
    from ..io import read_ontology
    from ..kg import KnowledgeGraph
    from ..pipeline import TextChunk, extract_chunks

    ontology = read_ontology(args.ontology)
    engine = get_engine(args.engine, **options)
    if args.learn:
        _learn(engine, args, ontology)
    t_ready = time.perf_counter()
    kg = KnowledgeGraph(ontology.base)  # stays empty: lines are independent
    policy = _policy(args)
    tally = _Tally(ontology)

    def line(text: str, rid: Any) -> dict[str, Any]:
        if not text.strip():
            return tally.row(rid, [], [])
        outcome = extract_chunks(engine, [TextChunk(text, 0, 0, "" if rid is None else str(rid))],
                                 text, ontology, kg, policy, types=args.types)[0]
        return tally.row(rid, outcome.accepted, outcome.rejected, outcome.error,
                         outcome.error_kind if outcome.error else "", outcome.notes)

    _write_lines(args, out_path, tally, line)
    return _summary(args, tally, engine, t0, t_ready, time.perf_counter())


def _policy(args: argparse.Namespace) -> Any:
    """The retry policy of a CLI extraction: short waits, and ``--max-epochs`` readings per line."""
    from ..pipeline import RetryPolicy

    if args.max_epochs is None:
        return RetryPolicy(base_delay=0.2)
    if args.max_epochs < 1:
        raise InputError(f"--max-epochs {args.max_epochs}: give a whole number of at least 1 (1 reads each line "
                         "once).")
    return RetryPolicy(base_delay=0.2, max_epochs=args.max_epochs)


def _learn(engine: Any, args: argparse.Namespace, ontology: Any) -> None:
    if not hasattr(engine, "learn"):
        raise InputError(f"--learn works with the rules engine; {args.engine!r} does not learn triggers.")
    engine.learn(_learn_rows(args.learn, "--learn"), ontology)


def _run_in_session(args: argparse.Namespace, out_path: Path, options: dict[str, Any], t0: float) -> int:
    """``--store URL``: every line goes into the session kept on the server, one change per line.

    The line's id is its source (a line run again replaces what it gave before, as a notebook cell does),
    and the session's known entities count, so the output may depend on what the server already holds.
    """
    from ..io import read_ontology
    from ..session import Session, SessionConfig
    from .store_options import session_name

    config = SessionConfig(journal_dir=None, store=args.store, model=args.engine, engine_options=options,
                           retry=_policy(args), types=args.types)
    with Session(session_name(args), config) as session:
        if args.ontology:
            # Only what the stored ontology lacks, so running the same command again adds no empty change.
            new = read_ontology(args.ontology, base=config.base).triples() - session.ontology.triples()
            if new:
                session.load_ontology(args.ontology)
        if not session.ontology.properties:
            raise InputError(f"The session {session.name!r} on {args.store} has no ontology properties to extract "
                             "with: give --ontology FILE (it is added to the session) or grow one with hydra cq "
                             "--store.")
        engine = session.engine
        if args.learn:
            _learn(engine, args, session.ontology)
        t_ready = time.perf_counter()
        tally = _Tally(session.ontology)
        sources: list[str] = []

        def line(text: str, rid: Any) -> dict[str, Any]:
            if not text.strip():
                return tally.row(rid, [], [])
            source = f"line-{tally.sentences}" if rid is None else str(rid)
            sources.append(source)
            result = session.extract(text, source=source)
            error = "; ".join(err for _, err in result.failed_chunks)
            kind = _KIND.match(error)
            return tally.row(rid, result.accepted, [r.checked for r in result.rejected], error,
                             kind.group(1) if kind else "")

        _write_lines(args, out_path, tally, line)
        done = time.perf_counter()
        print(f"hydra extract: kept in session {session.name!r} on the store: {len(sources)} sources written, "
              f"{len(session.kg):,} facts in the session now", file=sys.stderr)
        return _summary(args, tally, engine, t0, t_ready, done)


def _write_lines(args: argparse.Namespace, out_path: Path, tally: _Tally,
                 line: Callable[[str, Any], dict[str, Any]]) -> None:
    # Written next to the output and renamed at the end: a bad line or an interrupt
    # leaves the previous output (if any) as it was, never a half-written file.
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            for text, rid in _sentence_rows(args.input, "--input"):
                tally.sentences += 1
                out.write(json.dumps(line(text, rid), ensure_ascii=False) + "\n")
                out.flush()
        if not tally.sentences:
            raise EmptyInputError(f"--input {str(args.input)!r} has no JSON line, so there is nothing to "
                                  'extract. Write one {"id": "1", "sent": "..."} object per line.')
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def _summary(args: argparse.Namespace, tally: _Tally, engine: Any, t0: float, t_ready: float, done: float) -> int:
    setup, extracting = t_ready - t0, done - t_ready
    stats, failed, sentences = tally.stats, tally.failed, tally.sentences
    accepted, flagged = tally.accepted, tally.flagged
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
    if tally.failures:
        # Not a clean run: say why (first failure of each kind) and exit non-zero.
        for code, (rid, message) in tally.failures.items():
            print(f"hydra extract: line {rid!r} failed ({code}): {message}", file=sys.stderr)
        return 1
    return 0


def _rate(sentences: int, seconds: float) -> str:
    """Sentences per second, or seconds per sentence when a model is slower than one a second."""
    if not seconds or not sentences:
        return "0 sentences/s"
    per_second = sentences / seconds
    return f"{per_second:.0f} sentences/s" if per_second >= 1 else f"{seconds / sentences:.1f} s per sentence"
