"""``hydra verify``: check a KG file against an ontology, value rules, SHACL shapes and CQs.

Exit status 0 when no error is found, 1 when errors are found (the report
says which), 2 for bad input (missing file, malformed RDF, invalid rule).

With ``--store URL`` the session kept on that SPARQL server (``--session NAME``,
default ``cli``) is verified as it is, instead of ``--ontology``/``--kg`` files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .store_options import add_store_arguments, check_store_arguments, session_name

if TYPE_CHECKING:
    from ..session import Session

__all__ = ["add_parser", "run"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", help="ontology file (.ttl, .owl/.rdf, .nt, Text2KGBench .json); required "
                                      "unless --store")
    p.add_argument("--kg",
                   help="KG file (.ttl, .nt, .nq, .trig, .rdf, .jsonld); a .trig/.nq written by %%hydra export is "
                        "read with its evidence (sources and sentences in the report; its evidence and ontology "
                        "graphs are not facts); required unless --store")
    p.add_argument("--cqs", help="competency questions, one per line ('=> answers' and 'sparql:' blocks allowed)")
    p.add_argument("--rules", help="value rules, one per line, e.g. 'birthYear < deathYear'")
    p.add_argument("--shapes", help="SHACL shapes (Turtle) validated with pySHACL")
    p.add_argument("--report", required=True, help="JSON report to write")
    p.add_argument("--shacl-report", help="also write the report as a SHACL sh:ValidationReport (Turtle)")
    p.add_argument("--pyshacl-all", action="store_true",
                   help="also validate the shapes generated from the ontology with pySHACL (slow on large KGs)")
    add_store_arguments(p)


def run(args: argparse.Namespace) -> int:
    from ..session import Session, SessionConfig
    from ..verify.loading import load_kg_file

    check_store_arguments(args)
    if args.store:
        if args.ontology or args.kg:
            # Verifying must not change a session others share: files are loaded into it with hydra extract/cq.
            raise InputError("--store verifies the session kept on the server as it is; --ontology and --kg "
                             "would change it. Leave them out, or verify the files without --store.")
        session = Session(session_name(args), SessionConfig(journal_dir=None, store=args.store))
        n = len(session.kg)
        if not session.ontology.properties and not n:
            session.close()
            raise InputError(f"The session {session.name!r} on {args.store} is empty (no ontology, no facts): "
                             "check --session, or fill it with hydra cq --store / hydra extract --store.")
        where = f"session {session.name!r} on the store"
    else:
        if not args.ontology or not args.kg:
            raise InputError("--ontology and --kg are both required (the files to verify), unless --store names "
                             "a SPARQL server whose session is verified instead.")
        session = Session("cli-verify", SessionConfig(journal_dir=None), restore=False)
        session.load_ontology(args.ontology)
        n = load_kg_file(session, args.kg)
        where = str(args.kg)
    try:
        return _verify(args, session, n, where)
    finally:
        session.close()


def _verify(args: argparse.Namespace, session: "Session", n: int, where: str) -> int:
    from ..cq import parse_cqs
    from ..user_files import read_input_text
    from ..verify import run as verify

    if args.cqs:
        # The CQs are tests here: they must not grow the ontology, so they are not passed to add_cqs.
        session.cqs = parse_cqs(read_input_text(args.cqs, "--cqs"))
    rules = read_input_text(args.rules, "--rules") if args.rules else ""
    shapes = read_input_text(args.shapes, "--shapes") if args.shapes else ""
    if args.store:
        # Checked as add_rules/add_shapes check them, but held for this run only: verifying a shared
        # session must not save this command's rules and shapes into it.
        from ..verify import parse_rules, parse_shapes

        if rules:
            parse_rules(rules, session.ontology)
            session.rules = [*session.rules, *(line.strip() for line in rules.splitlines()
                                               if line.strip() and not line.strip().startswith("#"))]
        if shapes:
            parse_shapes(shapes)
            session.shapes = [*session.shapes, shapes]
    else:
        if rules:
            session.add_rules(rules)
        if shapes:
            session.add_shapes(shapes)
    report = verify(session, full=True, shacl="all" if args.pyshacl_all else "user")
    out = Path(args.report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.to_json(), encoding="utf-8")
    if args.shacl_report:
        Path(args.shacl_report).write_text(report.to_shacl_turtle(), encoding="utf-8")
    c = report.counts()
    print(f"hydra verify: {n:,} facts from {where}; {report.summary()}", file=sys.stderr)
    for code, k in report.counts_by_code().items():
        print(f"  {code}: {k}", file=sys.stderr)
    print(f"hydra verify: wrote {out}", file=sys.stderr)
    return 1 if c["error"] else 0
