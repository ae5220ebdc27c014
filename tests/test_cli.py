"""The `hydra` command line: `hydra cq` and `hydra extract` with the offline engine, run as processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "text2kgbench"


def hydra(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hydra_magic.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_cq_then_extract(tmp_path: Path) -> None:
    (tmp_path / "cqs.txt").write_text("# films\nWhich films did a director direct?\nWhen was a film released?\n"
                                      "Where was a person born?\n")
    r = hydra("cq", "--input", "cqs.txt", "--output", "onto.ttl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Which films did a director direct? -> " in r.stderr and "wrote onto.ttl" in r.stderr
    g = Graph().parse(tmp_path / "onto.ttl", format="turtle")
    assert len(set(g.subjects(RDF.type, OWL.Class))) >= 4

    rows = [{"id": "a", "sent": "Alien is a 1979 film directed by Ridley Scott."},
            {"id": "b", "sent": "Ridley Scott was born in South Shields."},
            {"id": "c", "sent": ""},
            {"id": "d", "sent": "Nothing to see <script>alert(1)</script> here."}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = hydra("extract", "--ontology", "onto.ttl", "--input", "in.jsonl", "--output", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "hydra extract: 4 sentences" in r.stderr and "sentences/s" in r.stderr
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    got = {(t["sub"], t["rel"], t["obj"]) for o in out for t in o["triples"]}
    assert ("Ridley Scott", "directs", "Alien") in got
    assert ("Ridley Scott", "born in", "South Shields") in got
    assert out[2]["triples"] == [] and out[3]["triples"] == []


def test_bad_input_exits_2_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "onto.ttl").write_text("@prefix : <http://x/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                                       ":Film a owl:Class .\n")
    (tmp_path / "in.jsonl").write_text('{"id": 1, "sent": "ok"}\n{not json}\n')
    r = hydra("extract", "--ontology", "onto.ttl", "--input", "in.jsonl", "--output", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 2 and "in.jsonl, line 2" in r.stderr
    r = hydra("extract", "--ontology", "missing.ttl", "--input", "in.jsonl", "--output", "o.jsonl", cwd=tmp_path)
    assert r.returncode == 2 and "missing.ttl" in r.stderr


@pytest.mark.skipif(not DATA.is_dir(), reason=f"Text2KGBench data not found at {DATA}")
def test_extract_on_text2kgbench_uses_only_ontology_labels(tmp_path: Path) -> None:
    root = DATA / "wikidata_tekgen"
    onto = root / "ontologies" / "7_space_ontology.json"
    r = hydra("extract", "--ontology", str(onto), "--input", str(root / "test" / "ont_7_space_test.jsonl"),
              "--learn", str(root / "train" / "ont_7_space_train.jsonl"), "--output", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    labels = {rel["label"] for rel in json.loads(onto.read_text())["relations"]}
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    triples = [t for o in out for t in o["triples"]]
    assert len(out) == 132 and len(triples) > 50
    assert {t["rel"] for t in triples} <= labels
