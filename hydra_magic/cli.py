"""The ``hydra`` command: batch extraction, CQs → ontology, verification and benchmarks.

Each subcommand lives in :mod:`hydra_magic.commands` with ``add_parser`` and
``run``; this module only wires them, so ``hydra --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

__all__ = ["main", "SUBCOMMANDS"]

#: subcommand -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("hydra_magic.commands.extract", "extract triples from JSONL sentences against an ontology"),
    "cq": ("hydra_magic.commands.cq", "grow an ontology from competency questions"),
    "verify": ("hydra_magic.commands.verify", "verify a knowledge graph against an ontology, rules and shapes"),
    "bench": ("hydra_magic.commands.bench", "quality and speed benchmarks"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hydra", description="hydra_magic: verifiable knowledge graphs.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"hydra_magic {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in SUBCOMMANDS.items():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        mod.add_parser(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import HydraError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except (HydraError, FileNotFoundError) as exc:
        print(f"hydra {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"hydra {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
