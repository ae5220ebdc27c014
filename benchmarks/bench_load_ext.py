"""What ``%load_ext hydra_magic`` adds to kernel start.

Runs fresh interpreters that start an IPython shell, with and without loading
the extension, alternating the two so that disk-cache and CPU-frequency drift
hit both alike; prints medians and the ratio. Inside the child it also times
the ``%load_ext`` call alone, and checks which heavy modules it imported
(``litellm`` must not be among them).

Usage::

    .venv/bin/python benchmarks/bench_load_ext.py [--repeat 9] [--json out.json]

Figures, never assertions (tests do not assert wall-clock times).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, time, json
t0 = time.perf_counter()
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config
c = Config()
c.HistoryManager.hist_file = ":memory:"
ip = InteractiveShell.instance(config=c)
t1 = time.perf_counter()
load = None
if {load!r}:
    before = set(sys.modules)
    t2 = time.perf_counter()
    ip.run_line_magic("load_ext", "hydra_magic")
    load = time.perf_counter() - t2
    new = set(sys.modules) - before
    assert "hydra" in ip.user_ns, "the extension did not expose `hydra`"
heavy = ["litellm", "openai", "anywidget", "ipywidgets", "pyshacl", "owlrl", "sympy", "rdflib", "pyoxigraph",
         "hydra_magic.engines.rules"]
print(json.dumps({{"shell_s": t1 - t0, "load_s": load,
                   "loaded_heavy": [m for m in heavy if m in sys.modules],
                   "new_modules": len(new) if {load!r} else 0}}))
"""


def run_child(load: bool, cwd: str) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD.format(load=load)], check=False, capture_output=True, text=True,
                         cwd=cwd, env=env, timeout=300)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"child failed ({'with' if load else 'without'} extension):\n{out.stderr}")
    return wall, json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs of each variant (default 9)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-load-ext-") as cwd:  # the session journal goes here
        run_child(True, cwd)  # warm the OS file cache for both variants
        base: list[float] = []
        with_ext: list[float] = []
        load_calls: list[float] = []
        info: dict = {}
        for _ in range(args.repeat):
            base.append(run_child(False, cwd)[0])
            wall, info = run_child(True, cwd)
            with_ext.append(wall)
            load_calls.append(info["load_s"])

    mb, mw, ml = statistics.median(base), statistics.median(with_ext), statistics.median(load_calls)
    figures = {
        "repeat": args.repeat,
        "python_ipython_start_median_s": round(mb, 3),
        "with_load_ext_median_s": round(mw, 3),
        "added_s": round(mw - mb, 3),
        "ratio": round(mw / mb, 2),
        "load_ext_call_median_s": round(ml, 3),
        "load_ext_call_min_s": round(min(load_calls), 3),
        "heavy_modules_after_load": info.get("loaded_heavy", []),
        "modules_added_by_load": info.get("new_modules", 0),
        "litellm_imported": "litellm" in info.get("loaded_heavy", []),
    }
    print(f"fresh python + IPython shell       : {mb:.3f} s (median of {args.repeat})")
    print(f"same + %load_ext hydra_magic       : {mw:.3f} s")
    print(f"added by %load_ext                 : {mw - mb:+.3f} s  (ratio {mw / mb:.2f}x)")
    print(f"the %load_ext call alone (in-child): {ml:.3f} s median, {min(load_calls):.3f} s min")
    print(f"modules imported by the load       : {figures['modules_added_by_load']}")
    print(f"heavy modules present after load   : {', '.join(figures['heavy_modules_after_load']) or 'none'}")
    print(f"litellm imported                   : {'YES (regression)' if figures['litellm_imported'] else 'no'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=2)
    return 1 if figures["litellm_imported"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
