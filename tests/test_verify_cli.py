"""``hydra verify``: exit 0 on a clean KG, 1 when errors are found, 2 on bad input; the report is JSON."""

from __future__ import annotations

import json

import pytest

from hydra_magic.cli import main

from .verify_fixtures import film_session

PREFIXES = "@prefix onto: <http://example.org/hydra/ontology#> .\n@prefix ent: <http://example.org/hydra/entity/> .\n" \
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
CLEAN = PREFIXES + """
ent:alien a onto:Film ; onto:directedBy ent:ridley_scott ; onto:releaseYear 1979 .
ent:ridley_scott a onto:Director ; onto:birthYear 1937 ; rdfs:label "Ridley Scott" .
"""


@pytest.fixture
def files(tmp_path):
    onto = tmp_path / "onto.ttl"
    onto.write_text(film_session().ontology.to_turtle())
    kg = tmp_path / "kg.ttl"
    kg.write_text(CLEAN.replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"))
    return tmp_path, onto, kg


def _run(tmp, *args):
    out = tmp / "report.json"
    code = main(["verify", *args, "--report", str(out)])
    return code, (json.loads(out.read_text()) if out.exists() else None)


def test_clean_kg_exits_0(files):
    tmp, onto, kg = files
    cqs = tmp / "cqs.txt"
    cqs.write_text("Who directed Alien? => ridley_scott\n")
    rules = tmp / "rules.txt"
    rules.write_text("birthYear < 2100\n")
    code, report = _run(tmp, "--ontology", str(onto), "--kg", str(kg), "--cqs", str(cqs), "--rules", str(rules))
    assert code == 0, report
    assert report["ok"] and report["counts"]["error"] == 0
    assert report["cq_tests"][0]["status"] == "pass"


def test_errors_exit_1_and_shacl_report_is_written(files):
    tmp, onto, kg = files
    kg.write_text(CLEAN.replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")
                  + "ent:alien onto:directedBy ent:sigourney . ent:sigourney a onto:Person .\n")
    ttl = tmp / "report.ttl"
    code, report = _run(tmp, "--ontology", str(onto), "--kg", str(kg), "--shacl-report", str(ttl))
    assert code == 1
    assert report["counts_by_code"] == {"functional_violation": 1}
    assert "ValidationReport" in ttl.read_text()


def test_user_shapes_from_file(files):
    tmp, onto, kg = files
    shapes = tmp / "shapes.ttl"
    shapes.write_text(":S a sh:NodeShape ; sh:targetClass :Film ; sh:property [ sh:path :isbn ; sh:minCount 1 ] .")
    code, report = _run(tmp, "--ontology", str(onto), "--kg", str(kg), "--shapes", str(shapes))
    assert code == 1 and report["counts_by_code"] == {"shacl_violation": 1}


def test_bad_input_exits_2(files, capsys):
    tmp, onto, kg = files
    rules = tmp / "rules.txt"
    rules.write_text("__import__('os').system('true') < 1\n")
    code, report = _run(tmp, "--ontology", str(onto), "--kg", str(kg), "--rules", str(rules))
    assert code == 2 and report is None
    assert "line 1" in capsys.readouterr().err
    code, _ = _run(tmp, "--ontology", str(onto), "--kg", str(tmp / "missing.ttl"))
    assert code == 2
    broken = tmp / "broken.ttl"
    broken.write_text("ent:x ent:y .")
    code, _ = _run(tmp, "--ontology", str(onto), "--kg", str(broken))
    assert code == 2
