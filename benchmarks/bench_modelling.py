"""Modelling flags (``instance_as_class``, ``literal_as_class``) on the CQ2SPARQLOWL ontologies.

Run: ``.venv/bin/python benchmarks/bench_modelling.py [DATA_DIR]`` (default ``../shared/data/cq2sparqlowl``).
Prints, per ontology, the classes, the CQs, the example mentions found in them and the flags,
with every flagged class, so a reader can judge each flag.

Traps in this data: CQs carry placeholders (``[this software]``) that are slots, not examples;
SWO names classes by opaque IDs (``SWO_0000001``), so the checks read labels too; the index
repeats its header as a row; Stuff ships in two versions (both are reported).
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from pathlib import Path

from hydra_magic.contracts.modelling import check_modelling, example_mentions
from hydra_magic.io import read_ontology

ONTOLOGIES = {"Animal Wildlife Ontology": ["AfricanWildlifeOntology1.owl"],
              "Stuff Ontology": ["stuff.owl", "stuff-example-modified.owl"],
              "Software Ontology": ["swo_merged.owl"]}


def main(data: Path) -> None:
    cqs: dict[str, list[str]] = {}
    with open(data / "cq_index.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["ontology"] in ONTOLOGIES:  # the header repeated as a row is skipped here
                cqs.setdefault(row["ontology"], []).append(row["cq"])
    total: Counter[str] = Counter()
    for name, files in ONTOLOGIES.items():
        questions = cqs.get(name, [])
        mentions = sorted({m for q in questions for m in example_mentions(q)})
        for file in files:
            t0 = time.perf_counter()
            onto = read_ontology(data / "Ontologies" / file)
            flags = check_modelling(onto, questions)
            secs = time.perf_counter() - t0
            by = Counter(i.code for i in flags)
            total.update(by)
            print(f"{file}: {len(onto.classes)} classes, {len(questions)} CQs, example mentions {mentions}; "
                  f"instance_as_class {by['instance_as_class']}, literal_as_class {by['literal_as_class']} "
                  f"({secs:.1f} s)")
            for i in flags:
                print(f"  {i.code}: {i.message}")
    print(f"total: instance_as_class {total['instance_as_class']}, literal_as_class {total['literal_as_class']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/cq2sparqlowl")
