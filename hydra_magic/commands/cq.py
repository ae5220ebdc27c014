"""``hydra cq``: competency questions in (one per line), ontology out, with what each CQ contributed."""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_parser", "run"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", required=True, help="text file, one competency question per line (# comments)")
    p.add_argument("--output", required=True, help="ontology file to write (.ttl, .nt, .jsonld)")
    p.add_argument("--engine", default="rules", help="'rules' (offline, default) or a litellm model")
    p.add_argument("--ontology", help="existing ontology to extend")


def run(args: argparse.Namespace) -> int:
    from ..user_files import check_input_file, check_output_path, read_input_text
    from ..errors import EmptyInputError
    from ..session import Session, SessionConfig

    config = SessionConfig(journal_dir=None, model=args.engine)
    # Every input is checked before any work, so a bad one costs nothing and writes nothing.
    text = read_input_text(args.input, "--input", max_chars=config.max_input_chars)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise EmptyInputError(f"--input {args.input!r} has no competency question. Write one question per "
                              "line, e.g. 'Which films did a director direct?'; lines starting with # are comments.")
    if args.ontology:
        check_input_file(args.ontology, "--ontology")
    output = check_output_path(args.output, "--output")
    session = Session("cli", config, restore=False)
    if args.ontology:
        session.load_ontology(args.ontology)
    result = session.add_cqs(text)
    session.export(output, what="ontology", overwrite=True)  # --output replaces, as in hydra extract
    print(result.to_text(), file=sys.stderr)
    print(f"hydra cq: wrote {args.output} ({len(session.ontology.classes)} classes, "
          f"{len(session.ontology.properties)} properties)", file=sys.stderr)
    return 0
