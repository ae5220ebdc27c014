"""``hydra cq``: competency questions in (one per line), ontology out, with what each CQ contributed.

With ``--store URL`` the CQs extend the session kept on that SPARQL server
(``--session NAME``, default ``cli``) as one undoable change, and ``--output``
gets the session's whole ontology.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .store_options import add_model_argument, add_store_arguments, check_store_arguments, session_name

__all__ = ["add_parser", "run"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", required=True, help="text file, one competency question per line (# comments)")
    p.add_argument("--output", required=True, help="ontology file to write (.ttl, .nt, .jsonld)")
    add_model_argument(p)
    p.add_argument("--api-base", help="OpenAI-compatible base URL for the model")
    p.add_argument("--ontology", help="existing ontology to extend")
    add_store_arguments(p)


def run(args: argparse.Namespace) -> int:
    from ..user_files import check_input_file, check_output_path, read_input_text
    from ..errors import EmptyInputError
    from ..session import Session, SessionConfig

    check_store_arguments(args)
    options: dict[str, Any] = {"api_base": args.api_base} if args.api_base else {}
    config = SessionConfig(journal_dir=None, model=args.engine, engine_options=options, store=args.store or "")
    # Every input is checked before any work, so a bad one costs nothing and writes nothing.
    text = read_input_text(args.input, "--input", max_chars=config.max_input_chars)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise EmptyInputError(f"--input {args.input!r} has no competency question. Write one question per "
                              "line, e.g. 'Which films did a director direct?'; lines starting with # are comments.")
    if args.ontology:
        check_input_file(args.ontology, "--ontology")
    output = check_output_path(args.output, "--output")
    # With --store the session on the server is extended (its ontology, CQs and change log); without, a
    # session in memory starts empty.
    with Session(session_name(args), config, restore=bool(args.store)) as session:
        if args.ontology:
            session.load_ontology(args.ontology)
        result = session.add_cqs(text)
        session.export(output, what="ontology", overwrite=True)  # --output replaces, as in hydra extract
        print(result.to_text(), file=sys.stderr)
        kept = f"; kept in session {session.name!r} on the store" if args.store else ""
        print(f"hydra cq: wrote {args.output} ({len(session.ontology.classes)} classes, "
              f"{len(session.ontology.properties)} properties){kept}", file=sys.stderr)
    return 0
