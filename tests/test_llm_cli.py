"""``hydra extract --engine openai/<name> --api-base …`` against the scripted server, in a subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest

from .llm_server import Reply, last_user, llm_server, prompt_text  # noqa: F401
from .test_llm_engine import FILM_TTL

pytestmark = pytest.mark.skipif(importlib.util.find_spec("hydra_magic.cli") is None
                                or importlib.util.find_spec("hydra_magic.commands.extract") is None,
                                reason="hydra_magic.cli (hydra extract) is not there yet")

PREFIXES = """@prefix : <http://example.org/hydra/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def responder(body):
    if "were rejected" in last_user(body):
        return Reply(json_content={"triples": []})  # a repair: nothing better to offer
    m = re.search(r"Text:\n<<<\n(.*?)\n>>>", prompt_text(body), re.S)
    text = m.group(1) if m else ""
    hit = re.match(r"(.+) was directed by (.+)\.", text)
    if not hit:  # a triple no contract lets through: a property the ontology does not have
        return Reply(json_content={"triples": [{"subject": "nothing", "predicate": "seenBy", "object": "here",
                                                "subject_text": "Nothing", "object_text": "here"}]})
    film, person = hit.groups()
    f, p = film.lower().replace(" ", "_"), person.lower().replace(" ", "_")
    return Reply(json_content={"triples": [
        {"subject": f, "predicate": "isA", "object": "Film", "subject_text": film},
        {"subject": p, "predicate": "isA", "object": "Person", "subject_text": person},
        {"subject": f, "predicate": "directedBy", "object": p, "subject_text": film, "object_text": person}]})


def run_cli(tmp_path, url, *extra):
    onto = tmp_path / "film.ttl"
    onto.write_text(PREFIXES + FILM_TTL)
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r) for r in [
        {"id": "s1", "sent": "Alien was directed by Ridley Scott."},
        {"id": "s2", "sent": "Heat was directed by Michael Mann."},
        {"id": "s3", "sent": "Nothing to see here."}]) + "\n")
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["HYDRA_MAGIC_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, "-m", "hydra_magic.cli", "extract", "--ontology", str(onto),
                           "--input", str(inp), "--output", str(out), "--engine", "openai/x", "--api-base", url,
                           *extra], capture_output=True, text=True, timeout=300, env=env)
    return proc, out


def test_cli_extract_with_a_model_engine(llm_server, tmp_path):
    llm_server.responder = responder
    proc, out = run_cli(tmp_path, llm_server.url)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["s1", "s2", "s3"]
    # The model types Alien a Film and Ridley Scott a Director; the sentences state neither,
    # so the triples rest on model-asserted types and carry the flag (issue 9).
    flagged = {"flags": ["type_inferred"]}
    assert rows[0]["triples"] == [{"sub": "Alien", "rel": "directed by", "obj": "Ridley Scott", **flagged}]
    assert rows[1]["triples"] == [{"sub": "Heat", "rel": "directed by", "obj": "Michael Mann", **flagged}]
    assert rows[2]["triples"] == []
    [rejection] = rows[2]["rejected"]
    assert rejection["rel"] == "seenBy" and rejection["code"] == "unknown_property"
    assert "0 verified, 2 on inferred types" in proc.stderr and "unknown_property: 1" in proc.stderr
    # Per line: the first reading; for s1 and s2, one gleaning reading (RetryPolicy.max_epochs) that
    # repeats what was found, so nothing new and no third; for s3, one repair of its rejected triple
    # and no gleaning (nothing was accepted).
    assert llm_server.calls == 2 + 2 + 2
    assert (tmp_path / "cache" / "llm-replies.sqlite3").exists()
    # the same run again is answered from the persistent cache
    proc, _ = run_cli(tmp_path, llm_server.url)
    assert proc.returncode == 0 and llm_server.calls == 6


def test_cli_reports_a_failing_server_per_line(llm_server, tmp_path):
    llm_server.default = Reply(status=500, error="boom")
    proc, out = run_cli(tmp_path, llm_server.url)
    assert proc.returncode == 1, proc.stderr  # every call failed: not a clean run
    assert "0 rejected (none), 3 lines failed (engine_error: 3; server_error: 3)" in proc.stderr  # not rejections
    assert "boom" in proc.stderr  # the reason, not only a count
    assert "failed (server_error): " in proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(r["triples"] == [] and "boom" in r["error"] and r["error_code"] == "server_error" for r in rows)


def test_cli_no_cache_asks_the_model_every_time(llm_server, tmp_path):
    llm_server.responder = responder
    proc, _ = run_cli(tmp_path, llm_server.url, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    proc, _ = run_cli(tmp_path, llm_server.url, "--no-cache")
    # 3 lines, a repair and two gleaning readings (6 requests), twice: nothing replayed
    assert proc.returncode == 0 and llm_server.calls == 12
    assert not (tmp_path / "cache" / "llm-replies.sqlite3").exists()  # and nothing stored


def test_cli_max_epochs_one_reads_each_line_once(llm_server, tmp_path):
    llm_server.responder = responder
    proc, _ = run_cli(tmp_path, llm_server.url, "--no-cache", "--max-epochs", "1")
    assert proc.returncode == 0, proc.stderr
    assert llm_server.calls == 3 + 1  # a reading per line and s3's repair: no gleaning request
    proc, _ = run_cli(tmp_path, llm_server.url, "--max-epochs", "0")
    assert proc.returncode == 2 and "--max-epochs 0" in proc.stderr


def test_cli_a_bad_model_name_stops_at_once_with_the_ways_to_name_one(tmp_path):
    proc, out = run_cli(tmp_path, "http://127.0.0.1:9/v1", "--engine", "nonexistent")
    assert proc.returncode == 2 and not out.exists()
    assert "Unknown model 'nonexistent'" in proc.stderr and "ollama_chat/" in proc.stderr
    assert "Traceback" not in proc.stderr
