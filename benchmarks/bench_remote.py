"""A session on a SPARQL server vs the embedded store: extraction, a change, bulk import, open, full verify.

For each store (the embedded Oxigraph store under a temp dir, Oxigraph's server and Virtuoso 7,
both started on loopback as the tests start them), with the settings users get (default engine
options, the offline engine, the session's default 30 s SPARQL deadline):

1. **1,000 sentences** extracted as users do it, ``Session.extract`` per cell of 6 sentences
   (~10 accepted triples each): total seconds, sentences/s, and the median time of one change
   (extract minus the engine and contracts, i.e. what the store costs: log record, transaction);
2. **bulk import** of ``--facts`` synthetic facts (the store benchmark's corpus: 10 facts per source,
   sentences, spans, flags) through ``Session.apply_change`` in batches of ``--batch``;
3. **open**: closing the session and opening it again (reading it back into the kernel);
4. **full verify**: ``Session.verify(full=True)`` on the session as opened.

Usage::

    .venv/bin/python benchmarks/bench_remote.py [--stores embedded oxigraph virtuoso] [--facts 100000]
                                                [--json benchmarks/results/remote.json]

Figures, never assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_store import CQS, Corpus, extraction_text  # noqa: E402
from rdflib import URIRef  # noqa: E402

from hydra_magic.changes import Change  # noqa: E402
from hydra_magic.kg import Fact  # noqa: E402
from hydra_magic.pipeline import chunk_text, extract_chunks  # noqa: E402
from hydra_magic.session import Session, SessionConfig  # noqa: E402
from hydra_magic.testing.sparql_servers import running_oxigraph, running_virtuoso  # noqa: E402


def server(kind: str, directory: Path) -> Iterator[dict[str, Any]]:
    if kind == "embedded":
        yield {"journal_dir": str(directory / "journals")}
    elif kind == "oxigraph":
        for url in running_oxigraph(directory):
            yield {"journal_dir": None, "store": url}
    else:
        for url in running_virtuoso(directory):
            yield {"journal_dir": None, "store": url}


def bench(kind: str, where: dict[str, Any], n_facts: int, batch: int) -> dict[str, Any]:
    out: dict[str, Any] = {"store": kind}
    print(f"\n== {kind} ==", flush=True)
    # 1. 1,000 sentences, one cell of 6 at a time ------------------------------------------------------
    s = Session("bench-remote-extract", SessionConfig(**where), restore=False)
    s.add_cqs(CQS)
    engine = s.get_engine(None)
    sentences, changes, store_ms = 0, 0, []
    t0 = time.perf_counter()
    i = 0
    while sentences < 1000:
        text = extraction_text(i)
        t = time.perf_counter()
        s.extract(text, source=f"cell-{i}")
        whole = time.perf_counter() - t
        t = time.perf_counter()
        extract_chunks(engine, chunk_text(text, s.config.chunk_chars), text, s.ontology, s.kg, s.config.retry)
        store_ms.append((whole - (time.perf_counter() - t)) * 1000)
        sentences += text.count(". ") + 1
        changes += 1
        i += 1
    total = time.perf_counter() - t0
    out.update(sentences=sentences, extract_s=total, sentences_per_s=sentences / total, changes=changes,
               facts_after_extract=len(s.kg), change_store_ms_median=statistics.median(store_ms))
    print(f"  {sentences:,} sentences in {changes} cells: {total:.1f}s = {sentences / total:,.0f} sentences/s; "
          f"{len(s.kg):,} facts; store's share of one change (median) {out['change_store_ms_median']:.1f} ms",
          flush=True)
    s.close()
    # 2. bulk import ---------------------------------------------------------------------------------
    s = Session("bench-remote-bulk", SessionConfig(**where), restore=False)
    s.add_cqs(CQS)
    corpus = Corpus(s, n_facts)
    made, j, commit_s = 0, 0, 0.0
    while made < n_facts:
        facts: list[Fact] = []
        labels: dict[URIRef, str] = {}
        while len(facts) < min(batch, n_facts - made):
            fs, ls = corpus.source(j)
            facts += fs
            labels.update(ls)
            j += 1
        t = time.perf_counter()
        s.apply_change(Change("import", f"bench: {len(facts):,} facts", facts_added=facts), labels)
        commit_s += time.perf_counter() - t
        made += len(facts)
    out.update(facts=len(s.kg), import_s=commit_s, import_facts_per_s=len(s.kg) / commit_s)
    print(f"  import {len(s.kg):,} facts in batches of {batch:,}: {commit_s:.1f}s = "
          f"{len(s.kg) / commit_s:,.0f} facts/s", flush=True)
    s.close()
    # 3. open ----------------------------------------------------------------------------------------
    t = time.perf_counter()
    s = Session("bench-remote-bulk", SessionConfig(**where))
    out["open_s"] = time.perf_counter() - t
    print(f"  open: {out['open_s']:.1f}s ({len(s.kg):,} facts)", flush=True)
    # 4. full verify ---------------------------------------------------------------------------------
    t = time.perf_counter()
    report = s.verify(full=True)
    out["verify_full_s"] = time.perf_counter() - t
    out["verify_issues"] = len(getattr(report, "issues", []))
    print(f"  full verify: {out['verify_full_s']:.1f}s ({out['verify_issues']:,} issues)", flush=True)
    s.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stores", nargs="+", default=["embedded", "oxigraph", "virtuoso"])
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5_000, help="facts per imported change")
    ap.add_argument("--json", default=str(HERE / "results" / "remote.json"))
    args = ap.parse_args()
    results = []
    for kind in args.stores:
        with tempfile.TemporaryDirectory(prefix=f"bench-remote-{kind}-") as d:
            for where in server(kind, Path(d)):
                results.append(bench(kind, where, args.facts, args.batch))
    base = next((r for r in results if r["store"] == "embedded"), None)
    print("\n== summary ==")
    print("store | sentences/s | change store ms | import facts/s | open s | full verify s")
    for r in results:
        ratio = f" ({r['open_s'] / base['open_s']:.1f}x embedded)" if base and r is not base else ""
        print(f"{r['store']} | {r['sentences_per_s']:,.0f} | {r['change_store_ms_median']:.1f} | "
              f"{r['import_facts_per_s']:,.0f} | {r['open_s']:.1f}{ratio} | {r['verify_full_s']:.1f}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=1))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
