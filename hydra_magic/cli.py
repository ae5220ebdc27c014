"""The ``hydra`` command: batch extraction, CQs → ontology, verification and benchmarks.

Each subcommand lives in :mod:`hydra_magic.commands` with ``add_parser`` and
``run``; this module only wires them, so ``hydra --help`` stays fast.

Errors: whatever a user can get wrong (a missing, unreadable, non-UTF-8,
malformed or too deeply nested file; a directory where a file belongs) ends the
command with exit status 2 and one line ``hydra COMMAND: error: MESSAGE`` on
stderr that names the file and the next step, never a traceback. The helpers of
:mod:`hydra_magic.user_files` give the subcommands those messages; :func:`main`
is the last line of defence.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Sequence

from .user_files import UTF8_HINT as _UTF8_HINT
from .user_files import bad_byte as _bad_byte

__all__ = ["main", "SUBCOMMANDS", "user_message"]

#: subcommand -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("hydra_magic.commands.extract", "extract triples from JSONL sentences against an ontology"),
    "cq": ("hydra_magic.commands.cq", "grow an ontology from competency questions"),
    "verify": ("hydra_magic.commands.verify", "verify a knowledge graph against an ontology, rules and shapes"),
    "bench": ("hydra_magic.commands.bench", "quality and speed benchmarks"),
}

#: Argument names that are written, not read: never blamed for a bad input.
_OUTPUT_ARGS = frozenset({"output", "report", "shacl_report", "out"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hydra", description="hydra_magic: verifiable knowledge graphs.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"hydra_magic {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in SUBCOMMANDS.items():
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=help_text, description=help_text)
        mod.add_parser(p)
        p.set_defaults(_run=mod.run)
    return parser


def _file_args(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """The ``--flag`` values of ``args`` that name existing input files."""
    out = []
    for key, value in vars(args).items():
        if key.startswith("_") or key in _OUTPUT_ARGS or not isinstance(value, (str, os.PathLike)):
            continue
        try:
            p = Path(value)
            if p.is_file():
                out.append(("--" + key.replace("_", "-"), p))
        except (OSError, ValueError):
            continue
    return out


def user_message(exc: BaseException, args: argparse.Namespace | None = None) -> str:
    """One line for an error the user can fix: what failed, the offending value, what to do."""
    from .errors import HydraError

    files = _file_args(args) if args is not None else []
    named = ", ".join(f"{flag} {str(p)!r}" for flag, p in files) or "the input"
    if isinstance(exc, HydraError):
        msg = str(exc)
    elif isinstance(exc, UnicodeDecodeError):
        # Which file: the one whose size is the length of the bytes that failed to decode.
        size = len(exc.object) if isinstance(exc.object, (bytes, bytearray)) else -1
        hits = [(f, p) for f, p in files if _size(p) == size]
        which = (f"{hits[0][0]} {str(hits[0][1])!r}" if len(hits) == 1
                 else f"one of {named}" if files else "a file")
        msg = f"{which} is not UTF-8 text ({_bad_byte(exc)}). {_UTF8_HINT}"
    elif isinstance(exc, RecursionError):
        msg = (f"an input is nested too deeply to process ({f'one of {named}' if files else 'a file or cell'}). "
               "Flatten the nesting (deeply nested JSON arrays/objects or RDF blank nodes/lists) and run again.")
    elif isinstance(exc, OSError):
        name = exc.filename
        if name is None:
            msg = str(exc)  # already a sentence (e.g. FileNotFoundError raised with a message)
        else:
            what = _flag_of(args, str(name))
            if isinstance(exc, IsADirectoryError):
                msg = f"{what} is a directory; give a file path."
            elif isinstance(exc, FileNotFoundError):
                msg = f"{what} does not exist (working directory {os.getcwd()}). Check the path."
            elif isinstance(exc, (FileExistsError, NotADirectoryError)):
                msg = f"{what}: part of the path is a file, not a directory. Choose another path."
            elif isinstance(exc, PermissionError):
                msg = f"{what}: permission denied. Check its permissions or choose another path."
            else:
                msg = f"{what}: {exc.strerror or exc}."
    elif isinstance(exc, UnicodeEncodeError):
        msg = (f"the text holds a character that cannot be written ({exc.reason}: "
               f"{exc.object[exc.start:exc.end]!r}), e.g. an unpaired surrogate escape. Remove it and run again.")
    else:  # ValueError from reading a user file
        msg = f"invalid input ({named}): {exc}"
    return " ".join(msg.split()) or type(exc).__name__


def _flag_of(args: argparse.Namespace | None, name: str) -> str:
    """``--flag 'value'`` for the argument that is (or lies under) the path ``name``."""
    target = Path(name)
    for key, value in (vars(args) if args is not None else {}).items():
        if key.startswith("_") or not isinstance(value, (str, os.PathLike)):
            continue
        v = Path(value)
        if v == target or target in v.parents:
            return f"--{key.replace('_', '-')} {str(v)!r}"
    return repr(name)


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return -2


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import HydraError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except (HydraError, OSError, RecursionError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        print(f"hydra {args.command}: error: {user_message(exc, args)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"hydra {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
