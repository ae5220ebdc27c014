"""``%cq --generate`` on a real local model: calls, repairs and seconds per step.

Run: ``.venv/bin/python benchmarks/bench_generate.py [--groups N] [--personas 3,2,1] [--domain TEXT]``.
Starts llama.cpp's server with SmolLM2-135M (hydra_magic/testing/model_server.py; CPU, no download), runs every
step of :class:`hydra_magic.generate.Generation` through a recording proxy and prints, per step, the
requests sent, their HTTP statuses, the parse/contract repairs and the wall time, then what each step
produced. The model is tiny: its content is often poor; the figures are about the pipeline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hydra_magic.engines import get_engine  # noqa: E402
from hydra_magic.errors import HydraError  # noqa: E402
from hydra_magic.generate import STEPS, Generation  # noqa: E402
from hydra_magic.outcomes import RetryPolicy  # noqa: E402
from hydra_magic.session import Session, SessionConfig  # noqa: E402
from hydra_magic.testing.model_server import ENGINE_MODEL, ModelServer, RecordingProxy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domain", default="film festivals")
    ap.add_argument("--groups", type=int, default=None, help="default: an exhaustive list (HyDRA)")
    ap.add_argument("--personas", default="3,2,1")
    ap.add_argument("--cqs-per-panel", type=int, default=None)
    ap.add_argument("--max-tokens", type=int, default=768, help="per reply, every step")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    with ModelServer() as server, RecordingProxy(server.api_base) as proxy:
        engine = get_engine(ENGINE_MODEL, api_base=proxy.api_base, cache_dir=str(tmp / "cache"), use_cache=False,
                            timeout=300, max_tokens=args.max_tokens, concurrency=1)
        policy = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)
        s = Session("bench", SessionConfig(journal_dir=str(tmp / "journal"), retry=policy), engine=engine)
        g = Generation(args.domain, engine, session=s, groups=args.groups, personas_per_priority=args.personas,
                       cqs_per_panel=args.cqs_per_panel, concurrency=1, policy=policy)
        print(f"domain {args.domain!r}, groups {args.groups or 'exhaustive'}, personas {args.personas}, "
              f"max_tokens {args.max_tokens}, SmolLM2-135M Q4_1 on {server.n_threads} CPU thread(s)")
        total_calls, total_secs = 0, 0.0
        for step in STEPS:
            before, repairs0 = len(proxy.posts()), engine.usage.repairs
            t0 = time.perf_counter()
            try:
                result = g.ontology(s) if step == "ontology" else getattr(g, step)()
                outcome = result.to_text().splitlines()[0]
            except HydraError as exc:
                outcome = f"stopped: {type(exc).__name__}: {str(exc)[:160]}"
                result = None
            secs = time.perf_counter() - t0
            sent = proxy.posts()[before:]
            statuses = Counter(e.status for e in sent)
            total_calls += len(sent)
            total_secs += secs
            print(f"{step:>9}: {len(sent):3d} requests {dict(statuses)}, {engine.usage.repairs - repairs0} repairs, "
                  f"{secs:6.1f} s — {outcome}")
            if result is None:
                break
        print(f"    total: {total_calls} requests, {total_secs:.1f} s")
        print(g.to_text()[:6000])


if __name__ == "__main__":
    main()
