"""``hydra bench``: quality (Text2KGBench, competency questions, MedExQA answers, prose) and speed benchmarks.

Every run prints its tables and writes its figures as JSON (``--out``) so runs
can be compared across commits.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..errors import InputError
from .store_options import add_model_argument

__all__ = ["add_parser", "run", "default_data_dir"]

GET_DATA = ("Get the public data sets (Text2KGBench: https://github.com/cenguix/Text2KGBench, "
            "CQ2SPARQLOWL: https://github.com/CQ2SPARQLOWL/Dataset, CLaRO: https://github.com/mkeet/CLaRO) "
            "and pass --data-dir; the default is ../shared/data.")


def default_data_dir() -> Path:
    return Path("..") / "shared" / "data"


def add_parser(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="bench", metavar="BENCH", required=True)
    t = sub.add_parser("text2kgbench", help="triple extraction quality on Text2KGBench",
                       description="Each sentence goes through the pipeline a user's extraction takes (the contracts, "
                                   "their repair requests to a model, the model's limiter and retry policy). Prints "
                                   "the published metrics on what the contracts accept, then the engine's raw output "
                                   "against the gold, what the contracts let through, the rejections by rule code, "
                                   "and calls and seconds per sentence.")
    t.add_argument("--data-dir", type=Path, default=default_data_dir())
    t.add_argument("--dataset", choices=["wikidata_tekgen", "dbpedia_webnlg"], default="wikidata_tekgen")
    t.add_argument("--split", choices=["validation", "test", "holdout"], default="validation",
                   help="tune on validation (TekGen) or holdout (every fifth train item); report test")
    t.add_argument("--gold-literal-forms", action="store_true",
                   help="write literals the way the gold does (raises object hallucination)")
    add_model_argument(t)
    t.add_argument("--api-base", help="OpenAI-compatible base URL for the model (a local llama.cpp, vLLM, …)")
    t.add_argument("--per-ontology", type=int, metavar="N",
                   help="only the first N sentences (with gold) of each ontology")
    t.add_argument("--max-attempts", type=int, metavar="N",
                   help="tries per sentence, the first and the contract repairs (default 3, as hydra extract); "
                        "1 shows the raw model output alone")
    t.add_argument("--no-cache", action="store_true",
                   help="always ask the model: neither read nor write the reply cache")
    t.add_argument("--max-epochs", type=int, metavar="N",
                   help="readings of each sentence by a model (gleaning; default 3 as hydra extract; 1 reads once)")
    t.add_argument("--timeout", type=float, metavar="SECONDS", help="seconds per model request (default 60)")
    t.add_argument("--types", choices=["default", "strict"], default="default",
                   help="strict: the contracts reject triples resting on types inferred from a relation")
    t.add_argument("--ontologies", nargs="*", help="ontology ids to run (default: all with the split)")
    t.add_argument("--out", type=Path, help="results JSON (default benchmarks/results/<bench>-<date>.json)")
    c = sub.add_parser("cq", help="competency-question parsing and SPARQL on CQ2SPARQLOWL and CLaRO")
    c.add_argument("--data-dir", type=Path, default=default_data_dir())
    c.add_argument("--out", type=Path)
    q = sub.add_parser("qa", help="questions answered from a graph built from MedExQA explanations")
    q.add_argument("--dataset", choices=["medexqa"], default="medexqa")
    q.add_argument("--data-dir", type=Path, default=default_data_dir(),
                   help="a folder of MedExQA .tsv files, or one holding medexqa/dev (default ../shared/data)")
    q.add_argument("--model", "--engine", dest="engine", default="rules",
                   help="'rules' (offline, default) or a litellm model; a model also runs a no-KG baseline")
    q.add_argument("--api-base", help="OpenAI-compatible base URL for the model")
    q.add_argument("--timeout", type=float, default=120.0, help="seconds per model request")
    q.add_argument("--limit", type=int, help="only this many questions, in turn from each specialty")
    q.add_argument("--verbose", action="store_true", help="progress and a per-question table")
    q.add_argument("--out", type=Path, help="results JSON (default benchmarks/results/qa_medexqa.json)")
    r = sub.add_parser("prose", help="extraction from realistic paragraphs (the dev set shipped in the package)",
                       description="Each paragraph of the prose dev set in a fresh in-memory session: its CQs, "
                                   "then its text. Prints precision, recall and F1 (micro and per domain), "
                                   "verified vs flagged facts, negated/hedged statements accepted, the class of "
                                   "every missed gold fact, and sentences per second.")
    r.add_argument("--split", choices=["dev", "held-out", "all"], default="dev",
                   help="tune on dev; report held-out (default dev)")
    r.add_argument("--engine", default="rules", help="'rules' (offline, default) or a litellm model")
    r.add_argument("--data", type=Path, help="another dev set file in the same format (default: the packaged one)")
    r.add_argument("--verbose", action="store_true", help="every missed gold fact and wrong fact, per paragraph")
    r.add_argument("--synonyms", action="store_true",
                   help="append each domain's synonym CQs (the same questions in other words): precision must not drop")
    r.add_argument("--out", type=Path, help="results JSON (default benchmarks/results/prose-<split>-<date>.json)")
    s = sub.add_parser("speed", help="engine, verification, %%load_ext and store throughput")
    s.add_argument("--data-dir", type=Path, default=default_data_dir())
    s.add_argument("--out", type=Path)


def _out(args: argparse.Namespace, name: str) -> Path:
    return args.out or Path("benchmarks") / "results" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"


def _write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"results written to {path}")


def run(args: argparse.Namespace) -> int:
    from ..user_files import check_output_path

    data_dir: Path = getattr(args, "data_dir", None) or default_data_dir()
    if args.bench not in ("speed", "qa", "prose") and not data_dir.is_dir():
        if data_dir.exists():
            raise InputError(f"--data-dir {str(data_dir)!r} is a file, not a directory. {GET_DATA}")
        raise InputError(f"No benchmark data at {str(data_dir)!r}. {GET_DATA}")
    if args.out is not None:
        check_output_path(args.out, "--out")
    if args.bench == "text2kgbench":
        from ..bench import text2kgbench

        for flag, value in (("--per-ontology", args.per_ontology), ("--max-attempts", args.max_attempts),
                            ("--max-epochs", args.max_epochs)):
            if value is not None and value < 1:
                raise InputError(f"{flag} {value}: give a whole number of at least 1.")
        if args.timeout is not None and not args.timeout > 0:
            raise InputError(f"--timeout {args.timeout}: give a number of seconds above 0.")

        text2kgbench.run(data_dir, dataset=args.dataset, split=args.split, engine=args.engine,
                         ontologies=args.ontologies or None, gold_literal_forms=args.gold_literal_forms,
                         types=args.types, output=_out(args, f"text2kgbench-{args.dataset}-{args.split}"),
                         per_ontology=args.per_ontology, api_base=args.api_base, max_attempts=args.max_attempts,
                         max_epochs=args.max_epochs, use_cache=not args.no_cache, timeout=args.timeout)
    elif args.bench == "qa":
        from ..bench import qa

        if args.limit is not None and args.limit < 1:
            raise InputError(f"--limit {args.limit}: give a positive number of questions.")
        qa.run(data_dir, dataset=args.dataset, engine=args.engine, api_base=args.api_base, limit=args.limit,
               timeout=args.timeout, verbose=args.verbose,
               output=args.out or Path("benchmarks") / "results" / f"qa_{args.dataset}.json")
    elif args.bench == "prose":
        from ..bench import prose

        prose.run(split=args.split, engine=args.engine, data=args.data, verbose=args.verbose,
                  output=_out(args, f"prose-{args.split}" + ("-synonyms" if args.synonyms else "")),
                  synonyms=args.synonyms)
    elif args.bench == "cq":
        from ..bench import cq_bench

        _write(cq_bench.run(data_dir), _out(args, "cq"))
    else:
        from ..bench import speed

        speed.run(data_dir, out=_out(args, "speed"))
    return 0
