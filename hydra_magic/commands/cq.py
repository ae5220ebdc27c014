"""``hydra cq``: competency questions in (one per line), ontology out, with what each CQ contributed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", required=True, help="text file, one competency question per line (# comments)")
    p.add_argument("--output", required=True, help="ontology file to write (.ttl, .nt, .jsonld)")
    p.add_argument("--engine", default="rules", help="'rules' (offline, default) or a litellm model")
    p.add_argument("--ontology", help="existing ontology to extend")


def run(args: argparse.Namespace) -> int:
    from ..session import Session, SessionConfig

    session = Session("cli", SessionConfig(journal_dir=None, engine=args.engine), restore=False)
    if args.ontology:
        session.load_ontology(args.ontology)
    result = session.add_cqs(Path(args.input).read_text(encoding="utf-8"))
    session.export(args.output, what="ontology")
    print(result.to_text(), file=sys.stderr)
    print(f"hydra cq: wrote {args.output} ({len(session.ontology.classes)} classes, "
          f"{len(session.ontology.properties)} properties)", file=sys.stderr)
    return 0
