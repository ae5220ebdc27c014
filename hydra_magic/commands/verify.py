"""``hydra verify``: check a KG file against an ontology, value rules, SHACL shapes and CQs.

Exit status 0 when no error is found, 1 when errors are found (the report
says which), 2 for bad input (missing file, malformed RDF, invalid rule).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", required=True, help="ontology file (.ttl, .owl/.rdf, .nt, Text2KGBench .json)")
    p.add_argument("--kg", required=True,
                   help="KG file (.ttl, .nt, .nq, .trig, .rdf, .jsonld); a .trig/.nq written by %%hydra export is "
                        "read with its evidence (sources and sentences in the report; its evidence and ontology "
                        "graphs are not facts)")
    p.add_argument("--cqs", help="competency questions, one per line ('=> answers' and 'sparql:' blocks allowed)")
    p.add_argument("--rules", help="value rules, one per line, e.g. 'birthYear < deathYear'")
    p.add_argument("--shapes", help="SHACL shapes (Turtle) validated with pySHACL")
    p.add_argument("--report", required=True, help="JSON report to write")
    p.add_argument("--shacl-report", help="also write the report as a SHACL sh:ValidationReport (Turtle)")
    p.add_argument("--pyshacl-all", action="store_true",
                   help="also validate the shapes generated from the ontology with pySHACL (slow on large KGs)")


def run(args: argparse.Namespace) -> int:
    from ..cq import parse_cqs
    from ..session import Session, SessionConfig
    from ..verify import run as verify
    from ..user_files import read_input_text
    from ..verify.loading import load_kg_file

    session = Session("cli-verify", SessionConfig(journal_dir=None), restore=False)
    session.load_ontology(args.ontology)
    n = load_kg_file(session, args.kg)
    if args.cqs:
        # The CQs are tests here: they must not grow the ontology, so they are not passed to add_cqs.
        session.cqs = parse_cqs(read_input_text(args.cqs, "--cqs"))
    if args.rules:
        session.add_rules(read_input_text(args.rules, "--rules"))
    if args.shapes:
        session.add_shapes(read_input_text(args.shapes, "--shapes"))
    report = verify(session, full=True, shacl="all" if args.pyshacl_all else "user")
    out = Path(args.report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.to_json(), encoding="utf-8")
    if args.shacl_report:
        Path(args.shacl_report).write_text(report.to_shacl_turtle(), encoding="utf-8")
    c = report.counts()
    print(f"hydra verify: {n:,} facts from {args.kg}; {report.summary()}", file=sys.stderr)
    for code, k in report.counts_by_code().items():
        print(f"  {code}: {k}", file=sys.stderr)
    print(f"hydra verify: wrote {out}", file=sys.stderr)
    return 1 if c["error"] else 0
