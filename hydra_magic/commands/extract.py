"""``hydra extract``: one JSON line in (``{"id", "sent"}``), one JSON line out, contracts on every triple.

Each input line is extracted on its own (no state is carried between lines),
so the output does not depend on the order of the input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from rdflib import RDF

from ..errors import InputError, ParseError

__all__ = ["add_parser", "run", "read_jsonl"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", required=True, help="ontology: .ttl, .owl/.rdf or a Text2KGBench .json")
    p.add_argument("--input", required=True, help="JSONL with one {\"id\", \"sent\"} per line")
    p.add_argument("--output", required=True, help="JSONL written with one line per input line")
    p.add_argument("--learn", help="labelled train JSONL (Text2KGBench TekGen or WebNLG format)")
    p.add_argument("--engine", default="rules", help="'rules' (offline, default) or a litellm model")
    p.add_argument("--api-base", help="OpenAI-compatible base URL for the model engine")
    p.add_argument("--types", choices=("default", "strict"), default="default",
                   help="default: keep triples that rest on types inferred from a relation, with "
                        "\"flags\": [\"type_inferred\"]; strict: reject them (untyped_entity)")


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ParseError(f"not a JSON object: {exc.args[0]}", source=str(path), line=no) from exc
            if not isinstance(row, dict):
                raise ParseError("each line must be a JSON object", source=str(path), line=no)
            yield row


def run(args: argparse.Namespace) -> int:
    from ..engines import get_engine
    from ..io import read_ontology
    from ..kg import KnowledgeGraph
    from ..pipeline import RetryPolicy, TextChunk, extract_chunks

    t0 = time.perf_counter()
    ontology = read_ontology(args.ontology)
    options = {"api_base": args.api_base} if args.api_base else {}
    engine = get_engine(args.engine, **options)
    if args.learn:
        if not hasattr(engine, "learn"):
            raise InputError(f"--learn works with the rules engine; {args.engine!r} does not learn triggers.")
        engine.learn(list(read_jsonl(args.learn)), ontology)
    t_ready = time.perf_counter()
    kg = KnowledgeGraph(ontology.base)  # stays empty: lines are independent
    policy = RetryPolicy(base_delay=0.2)
    stats: Counter[str] = Counter()
    sentences = 0
    out_path = Path(args.output)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as out:
        for row in read_jsonl(args.input):
            text = str(row.get("sent", ""))
            sentences += 1
            triples, rejected = [], []
            if text.strip():
                outcome = extract_chunks(engine, [TextChunk(text, 0, 0, str(row.get("id", "")))], text,
                                         ontology, kg, policy, types=args.types)[0]
                for ct in outcome.accepted:
                    if ct.predicate == RDF.type:
                        continue  # typing is internal; the output lists ontology relations
                    prop = ontology.properties[ct.predicate]  # type: ignore[index]
                    c = ct.candidate
                    triple = {"sub": c.subject_text or c.subject, "rel": prop.label, "obj": c.object_text or c.object}
                    if ct.flags:
                        triple["flags"] = list(ct.flags)
                        stats["flagged"] += 1
                    triples.append(triple)
                for ct in outcome.rejected:
                    c = ct.candidate
                    rejected.append({"sub": c.subject_text or c.subject, "rel": c.predicate,
                                     "obj": c.object_text or c.object, "code": ct.codes[0] if ct.codes else ""})
                    stats.update(ct.codes[:1])
                if outcome.error:
                    stats["engine_error"] += 1
            stats["accepted"] += len(triples)
            out.write(json.dumps({"id": row.get("id"), "triples": triples, "rejected": rejected},
                                 ensure_ascii=False) + "\n")
    done = time.perf_counter()
    setup, extracting = t_ready - t0, done - t_ready
    accepted = stats.pop("accepted", 0)
    flagged = stats.pop("flagged", 0)
    by_code = ", ".join(f"{k}: {v}" for k, v in stats.most_common()) or "none"
    print(f"hydra extract: {sentences} sentences, {accepted} triples accepted "
          f"({accepted - flagged} verified, {flagged} on inferred types), "
          f"{sum(stats.values())} rejected ({by_code}), {done - t0:.2f} s "
          f"(ontology{' + learning' if args.learn else ''} {setup:.2f} s, extraction {extracting:.2f} s = "
          f"{sentences / extracting if extracting else 0:.0f} sentences/s)", file=sys.stderr)
    return 0
