"""Quality of the polarity / modality contract on its hand-written dev set.

Loads ``tests/data/modality_dev.jsonl`` (one candidate per line: sentence, subject,
object, expected code or null, note), finds each mention's span with ``str.find``,
runs :func:`hydra_magic.contracts.modality.modality_cue` and prints the confusion
counts of "a cue fires" vs "a cue is expected", precision, recall, the accuracy of
the code among true positives (overall and per expected code), and every error.

Usage::

    .venv/bin/python benchmarks/bench_modality.py [--data tests/data/modality_dev.jsonl]

Figures, never assertions (``tests/test_modality.py`` holds the thresholds).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hydra_magic.contracts.modality import CUE_CODES, Cue, modality_cue  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data" / "modality_dev.jsonl"


@dataclass(frozen=True)
class Outcome:
    """One dev-set line and what the contract said about it."""

    row: dict
    cue: Cue | None

    @property
    def expected(self) -> str | None:
        return self.row["expected"]

    @property
    def got(self) -> str | None:
        return self.cue.code if self.cue else None


def load(path: Path) -> list[dict]:
    """The dev set, one dict per non-empty line."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(rows: list[dict]) -> list[Outcome]:
    """Run the contract on every row (spans from ``str.find``, as the dev set specifies)."""
    out = []
    for row in rows:
        s = row["sentence"]
        spans = []
        for key in ("subject", "object"):
            i = s.find(row[key])
            spans.append((i, i + len(row[key])) if i >= 0 else None)
        out.append(Outcome(row, modality_cue(s, spans[0], spans[1])))
    return out


def score(outcomes: list[Outcome]) -> dict:
    """TP/FP/FN/TN of "fires" vs "expected non-null", precision, recall, code accuracy."""
    tp = sum(1 for o in outcomes if o.got and o.expected)
    fp = sum(1 for o in outcomes if o.got and not o.expected)
    fn = sum(1 for o in outcomes if not o.got and o.expected)
    tn = sum(1 for o in outcomes if not o.got and not o.expected)
    right = sum(1 for o in outcomes if o.got and o.expected and o.got == o.expected)
    per_code = {}
    for code in CUE_CODES:
        fired = [o for o in outcomes if o.expected == code and o.got]
        per_code[code] = (sum(1 for o in fired if o.got == code), len(fired),
                          sum(1 for o in outcomes if o.expected == code))
    return {
        "n": len(outcomes), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "code_accuracy": right / tp if tp else 1.0,
        "per_code": per_code,
    }


def errors(outcomes: list[Outcome]) -> list[Outcome]:
    """Every line where the fired code (or silence) differs from the expected one."""
    return [o for o in outcomes if o.got != o.expected]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    outcomes = run(load(args.data))
    m = score(outcomes)
    kinds = Counter(re.match(r"[\w-]+", o.row["note"]).group() for o in outcomes)
    shown = args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data
    print(f"dev set: {shown}")
    print(f"count: {m['n']}  (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")")
    print("expected: " + ", ".join(f"{c} {m['per_code'][c][2]}" for c in CUE_CODES)
          + f", null {sum(1 for o in outcomes if not o.expected)}")
    print(f"TP {m['tp']}  FP {m['fp']}  FN {m['fn']}  TN {m['tn']}")
    print(f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
          f"code accuracy among TP {m['code_accuracy']:.3f}")
    for code in CUE_CODES:
        ok, fired, total = m["per_code"][code]
        acc = f"{ok / fired:.3f}" if fired else "n/a"
        print(f"  {code:<13} expected {total:>3}  fired {fired:>3}  right code {ok:>3}  "
              f"accuracy {acc}")
    errs = errors(outcomes)
    print(f"errors: {len(errs)}")
    for o in errs:
        cue = f"{o.cue.text!r}@{o.cue.span}" if o.cue else "-"
        print(f"  expected {o.expected!s:<12} got {o.got!s:<12} cue {cue:<22} "
              f"({o.row['subject']} | {o.row['object']})  {o.row['sentence']}  [{o.row['note']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
