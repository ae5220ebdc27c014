"""``hydra bench speed``: throughput figures, each printed next to what it stands against.

Figures, not assertions: this prints and returns numbers; nothing here fails on
a slow machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from rdflib import RDF, Graph, Literal, URIRef

__all__ = ["run"]


def _best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def rules_engine_throughput(data_dir: Path, ontology: str = "ont_1_movie") -> dict[str, Any]:
    """Sentences/second of the offline engine + contracts on a Text2KGBench test file (one core)."""
    from ..commands.extract import read_jsonl
    from ..engines.rules import RulesEngine
    from ..io import read_ontology
    from ..kg import KnowledgeGraph
    from ..pipeline import RetryPolicy, TextChunk, extract_chunks

    root = data_dir / "text2kgbench" / "wikidata_tekgen"
    num, name = ontology.split("_", 2)[1:]
    onto = read_ontology(root / "ontologies" / f"{num}_{name}_ontology.json")
    engine = RulesEngine()
    engine.learn(list(read_jsonl(root / "train" / f"{ontology}_train.jsonl")), onto)
    sentences = [r["sent"] for r in read_jsonl(root / "test" / f"{ontology}_test.jsonl")]
    kg = KnowledgeGraph(onto.base)
    policy = RetryPolicy(max_attempts=1)
    counts = {"accepted": 0, "rejected": 0}

    def once() -> None:
        counts["accepted"] = counts["rejected"] = 0
        for s in sentences:
            out = extract_chunks(engine, [TextChunk(s)], s, onto, kg, policy)[0]
            counts["accepted"] += len(out.accepted)
            counts["rejected"] += len(out.rejected)

    once()  # warm the trigger caches
    seconds = _best(once)
    return {"file": f"{ontology}_test.jsonl", "sentences": len(sentences), "seconds": round(seconds, 3),
            "sentences_per_s": round(len(sentences) / seconds), "target_sentences_per_s": 2000, **counts}


def store_figures(n: int = 200_000) -> dict[str, Any]:
    """Loading and joining n facts: the session's Oxigraph store vs rdflib's in-memory store."""
    from ..kg import Evidence, Fact, KnowledgeGraph

    ex = "http://example.org/"
    knows, age, cls = URIRef(ex + "knows"), URIRef(ex + "age"), URIRef(ex + "Person")
    triples = []
    for i in range(n // 4):
        s = URIRef(f"{ex}e{i}")
        triples += [(s, RDF.type, cls), (s, knows, URIRef(f"{ex}e{(i * 7 + 1) % (n // 4)}")),
                    (s, knows, URIRef(f"{ex}e{(i * 13 + 5) % (n // 4)}")), (s, age, Literal(i % 90))]
    query = (f"SELECT (COUNT(*) AS ?c) WHERE {{ ?a a <{cls}> ; <{knows}> ?b . ?b <{knows}> ?c . "
             f"?c <{age}> ?x . FILTER(?x > 80) }}")
    ev = Evidence("bench")
    t0 = time.perf_counter()
    kg = KnowledgeGraph()
    kg.add(Fact(s, p, o, ev) for s, p, o in triples)
    ox_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    ox_rows = list(kg.query(query))
    ox_query = time.perf_counter() - t0
    t0 = time.perf_counter()
    mem = Graph()
    for t in triples:
        mem.add(t)
    mem_load = time.perf_counter() - t0
    sub = Graph()
    for t in triples[: min(len(triples), 20_000)]:
        sub.add(t)
    t0 = time.perf_counter()
    list(sub.query(query))
    mem_query_20k = time.perf_counter() - t0
    return {"facts": len(triples), "oxigraph_load_s": round(ox_load, 2), "oxigraph_join_s": round(ox_query, 3),
            "rdflib_memory_load_s": round(mem_load, 2), "rdflib_memory_join_s_on_20k": round(mem_query_20k, 3),
            "join_rows": int(ox_rows[0][0])}


def load_ext_cost(repeat: int = 5) -> dict[str, Any]:
    """Seconds `%load_ext hydra_magic` adds to a fresh IPython, and whether litellm got imported."""
    base = ("import time,sys; from IPython.core.interactiveshell import InteractiveShell; "
            "sh=InteractiveShell.instance(); t=time.perf_counter(); {code}; "
            "print(time.perf_counter()-t, 'litellm' in sys.modules)")
    with_ext, litellm_loaded = [], False
    for _ in range(repeat):
        # The extension prints its session line first; the timing is the last line.
        out = subprocess.run([sys.executable, "-c", base.format(code="sh.run_line_magic('load_ext','hydra_magic')")],
                             capture_output=True, text=True, check=True,
                             cwd=tempfile.gettempdir()).stdout.strip().splitlines()[-1].split()
        with_ext.append(float(out[0]))
        litellm_loaded = litellm_loaded or out[1] == "True"
    return {"load_ext_median_s": round(statistics.median(with_ext), 3), "litellm_imported": litellm_loaded}


def run(data_dir: Path, out: Path | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "python": sys.version.split()[0]}
    if (data_dir / "text2kgbench").is_dir():
        r = rules_engine_throughput(data_dir)
        results["rules_engine"] = r
        print(f"rules engine: {r['sentences_per_s']:,} sentences/s on {r['file']} "
              f"({r['sentences']} sentences in {r['seconds']} s; target {r['target_sentences_per_s']:,}; "
              f"ratio {r['sentences_per_s'] / r['target_sentences_per_s']:.2f}x)")
    else:
        print(f"rules engine: skipped, no Text2KGBench under {data_dir}")
    s = store_figures()
    results["store"] = s
    print(f"store: {s['facts']:,} facts load into the session KG (Oxigraph, with evidence and type index) in "
          f"{s['oxigraph_load_s']} s vs {s['rdflib_memory_load_s']} s for a bare rdflib in-memory graph "
          f"(ratio {s['rdflib_memory_load_s'] / max(s['oxigraph_load_s'], 1e-9):.2f}); 4-pattern join "
          f"{s['oxigraph_join_s']} s on all {s['facts']:,} facts vs {s['rdflib_memory_join_s_on_20k']} s for "
          f"rdflib on only 20,000")
    try:
        from ..verify import bench_throughput  # type: ignore[attr-defined]
    except ImportError:
        bench_throughput = None
    if bench_throughput is not None:
        v = bench_throughput()
        results["verification"] = v
        print(f"verification: {v}")
    le = load_ext_cost()
    results["load_ext"] = le
    print(f"%load_ext hydra_magic: {le['load_ext_median_s']} s (median of 5); litellm imported: "
          f"{le['litellm_imported']}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2))
        print(f"results written to {out}")
    return results
