"""The Text2KGBench throughput is per sentence of text, with bench items reported beside it.

The floor is stated in sentences per second; a WebNLG item holds one to four
sentences, so counting items understated it (issue 16).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hydra_magic.bench.text2kgbench import run

from .test_bench_text2kg import tiny_data


def test_throughput_counts_the_sentences_inside_each_item(tmp_path: Path) -> None:
    root = tiny_data(tmp_path)
    split = root / "wikidata_tekgen" / "validation" / "ont_1_movie_validation.jsonl"
    rows = [json.loads(line) for line in split.read_text().splitlines()]
    rows[0]["sent"] += " It was a success. Critics praised its design."  # one item, three sentences
    split.write_text("".join(json.dumps(r) + "\n" for r in rows))

    tp = run(root, engine="rules", out=io.StringIO())["throughput"]

    assert (tp["items"], tp["sentences"]) == (3, 5)
    ratio = tp["extract_and_contracts_sentences_per_second"] / tp["extract_and_contracts_items_per_second"]
    assert abs(ratio - 5 / 3) < 0.01  # the same CPU time, divided by sentences rather than items
