"""Trust figures of the extraction: the cases of ``tests/trust_cases.py``, default and strict mode.

Per mode:

* ``cases``, ``facts``: how many cases and cue-free facts (``facts`` of the cases);
* ``verified facts`` / ``recall``: facts accepted with no flags, and that over ``facts``;
* ``precision``: verified relation triples (typing triples left out) that are in the
  case's ``facts``, over all verified relation triples;
* ``wrong verified``: wrong facts (``wrong``) accepted with no flags - must be 0;
* ``not_facts accepted``: negated / hedged / hypothetical relations accepted - must be 0;
* ``must_report missing``: candidates that had to be rejected with a given code
  (swapped with known types, type conflicts) and were not (silent drops) - must be 0.

A *verified* fact is an accepted one with no ``flags`` (``getattr(ct, "flags", [])``,
so this runs on code without flags too). Strict mode is ``SessionConfig(types="strict")``;
where the package has no such option the mode is reported as unavailable.

Run:  .venv/bin/python benchmarks/bench_trust.py [--json] [--list]

The package imported is whichever ``hydra_magic`` comes first on the path (the
checkout's own, or another one through ``PYTHONPATH``); the cases are loaded from
this checkout's ``tests/trust_cases.py`` by path. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # appended: a PYTHONPATH checkout of hydra_magic comes first


def load_cases() -> Any:
    spec = importlib.util.spec_from_file_location("trust_cases", ROOT / "tests" / "trust_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["trust_cases"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def measure(modes: tuple[str, ...] = ("default", "strict")) -> dict[str, Any]:
    tc = load_cases()
    import hydra_magic

    out: dict[str, Any] = {"package": str(Path(hydra_magic.__file__).parent), "modes": {}}
    for mode in modes:
        t0 = time.perf_counter()
        outcomes = tc.run_cases(mode)
        errors = sorted({o.error for o in outcomes if o.error})
        if errors:
            out["modes"][mode] = {"available": False, "error": "; ".join(errors)}
            continue
        figs = tc.figures(outcomes)
        figs["available"] = True
        figs["seconds"] = round(time.perf_counter() - t0, 2)
        out["modes"][mode] = figs
    return out


def print_figures(result: dict[str, Any], show_lists: bool) -> None:
    print(f"hydra_magic from {result['package']}")
    for mode, f in result["modes"].items():
        if not f.get("available"):
            print(f"\n[{mode}] unavailable: {f['error']}")
            continue
        print(f"\n[{mode}] {f['cases']} cases in {f['seconds']}s")
        print(f"  facts (cue-free)            {f['facts']}")
        print(f"  verified facts              {f['verified_facts']}   recall {f['recall']:.3f}")
        print(f"  verified relations          {f['verified_relations']}   precision {f['precision']:.3f}")
        print(f"  wrong facts verified        {f['wrong_verified']} / {f['wrong']}")
        print(f"  not_facts accepted          {f['not_facts_accepted']} / {f['not_facts']}")
        print(f"  must_report missing         {f['must_report_missing']} / {f['must_report']}")
        if show_lists:
            for name in ("wrong_verified_list", "not_facts_accepted_list", "must_report_missing_list",
                         "verified_not_in_facts"):
                if f[name]:
                    print(f"  {name}:")
                    for line in f[name]:
                        print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--list", action="store_true", help="also list the offending triples")
    args = ap.parse_args(argv)
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_figures(result, args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
