"""A session writer for tests/test_store_durability.py, run as a separate process.

It opens a session through the public :class:`~hydra_magic.session.Session` API
and changes it in a loop, printing (and flushing) a line before and after every
step, so that the parent, which kills it at a random moment, knows what was
committed and what was in flight::

    opening                      before Session(...)
    opened <n sources>           the session is open (restored if it existed)
    begin cqs / cqs-added        only when the session has no CQs yet
    ready
    begin extract src-<k>        then extract(sentence(k), source="src-<k>")
    committed src-<k> <n facts>  extract() returned; n = len(kg.facts("src-<k>"))
    begin undo src-<k>           every --undo-every extractions, undo the one just made
    undone src-<k>               undo() returned and src-<k> is gone
    done                         --ops steps are done; it now waits for stdin to close
    closed                       stdin closed: the session is closed, exit 0

or, with ``--probe``, it only tries to open the session once and prints
``busy <error class> <message>`` (a JournalError) or ``opened <n sources>``.

Any unexpected error: a traceback on stderr and exit code 3.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

CQS = "Which films did a director direct?\nWhen was a film released?"

_PAIRS = (("Film", "Person"), ("Movie", "Director"), ("Picture", "Maker"))


def name_code(k: int) -> str:
    """``k`` as a capitalised word ("Qb", "Qba", ...): no digits, which the engine may read as a year."""
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
        if k == 0:
            return "Q" + letters


def sentence(k: int) -> str:
    """The text of source ``src-<k>``: 1, 2 or 3 film/director pairs, names unique to ``k``.

    The offline rules engine gives 3 facts per pair (the film's type, the
    director's type, ``directs``), so sources differ in size and a source that
    came back half-written shows up as a wrong count. Names are unique to ``k``
    (shared names would make counts depend on what is already in the graph) and
    carry no number ("Person 1000" is read as "person" and a year).
    """
    if k < 1:
        raise ValueError(f"k={k}: sentences are numbered from 1")
    year = 1900 + k % 100
    code = name_code(k)
    return " ".join(f"{film} {code} is a {year} film directed by {person} {code}."
                    for film, person in _PAIRS[: 1 + k % 3])


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True, help="journal_dir")
    ap.add_argument("--name", required=True, help="session name")
    ap.add_argument("--start", type=int, default=1, help="first k (sources src-<start>, src-<start+1>, ...)")
    ap.add_argument("--ops", type=int, default=50, help="extractions before 'done'")
    ap.add_argument("--undo-every", type=int, default=0, help="undo every n-th extraction (0: never)")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds to sleep after each extraction")
    ap.add_argument("--probe", action="store_true", help="only try to open, report, close, exit")
    args = ap.parse_args(argv)

    from hydra_magic.errors import JournalError
    from hydra_magic.session import Session, SessionConfig

    config = SessionConfig(journal_dir=args.dir)
    if args.probe:
        try:
            s = Session(args.name, config)
        except JournalError as exc:
            _say(f"busy {type(exc).__name__} " + str(exc).replace("\n", " "))
            return 0
        _say(f"opened {len(s.kg.sources())}")
        s.close()
        return 0

    _say("opening")
    s = Session(args.name, config)
    _say(f"opened {len(s.kg.sources())}")
    if not s.cqs:
        _say("begin cqs")
        s.add_cqs(CQS)
        _say("cqs-added")
    _say("ready")
    for i in range(args.ops):
        k = args.start + i
        src = f"src-{k}"
        _say(f"begin extract {src}")
        s.extract(sentence(k), source=src)
        _say(f"committed {src} {len(s.kg.facts(src))}")
        if args.undo_every and (i + 1) % args.undo_every == 0:
            _say(f"begin undo {src}")
            s.undo()
            if src in s.kg.sources():
                raise AssertionError(f"undo() right after extracting {src} left it in the graph")
            _say(f"undone {src}")
        if args.pause:
            time.sleep(args.pause)
    _say("done")
    sys.stdin.read()  # until the parent closes stdin (or kills us); an orphan exits when its parent dies
    s.close()
    _say("closed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - report everything to the parent
        traceback.print_exc()
        sys.stderr.flush()
        sys.exit(3)
