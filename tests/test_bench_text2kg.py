"""``hydra bench text2kgbench`` with a model: the pipeline's path (contracts, repairs, limiter), and its report.

Against the scripted server, on a tiny data set in Text2KGBench's layout: the
Wikidata-TekGen movie ontology (``tutorials/data``, CC BY-SA 4.0, see its
README) and three sentences written for this test with their gold triples.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from hydra_magic.bench.text2kgbench import run
from hydra_magic.cli import main

from .llm_server import LLMServer, Reply, last_user, llm_server, prompt_text  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    ("v1", "Alien is a 1979 film directed by Ridley Scott.", ("Alien", "director", "Ridley Scott")),
    ("v2", "Heat is a 1995 film starring Al Pacino.", ("Heat", "cast member", "Al Pacino")),
    ("v3", "Jaws is a 1975 film directed by Steven Spielberg.", ("Jaws", "director", "Steven Spielberg")),
]


def tiny_data(tmp_path: Path) -> Path:
    """A data folder with one TekGen ontology and a three-sentence validation split."""
    root = tmp_path / "data"
    (root / "wikidata_tekgen" / "ontologies").mkdir(parents=True)
    (root / "wikidata_tekgen" / "validation").mkdir()
    shutil.copy(ROOT / "tutorials" / "data" / "text2kgbench_movie_ontology.json",
                root / "wikidata_tekgen" / "ontologies" / "1_movie_ontology.json")
    with open(root / "wikidata_tekgen" / "validation" / "ont_1_movie_validation.jsonl", "w") as fh:
        for sid, sent, (sub, rel, obj) in SENTENCES:
            fh.write(json.dumps({"id": sid, "sent": sent, "sub_label": sub, "rel_label": rel,
                                 "obj_label": obj}) + "\n")
    return root


def _t(sub: str, pred: str, obj: str) -> dict[str, str]:
    return {"subject": sub.lower().replace(" ", "_"), "predicate": pred, "subject_text": sub,
            "object": obj if pred == "isA" else obj.lower().replace(" ", "_"),
            "object_text": "" if pred == "isA" else obj}


def responder(body: dict[str, Any]) -> Reply:
    """v1: right; v2: an unknown property, then right when asked to repair; v3: a wrong relation the
    ontology allows (accepted on model-asserted types, not in the gold)."""
    if "Earlier readings of this text" in prompt_text(body):
        return Reply(json_content={"triples": []})  # a re-reading (gleaning) finds nothing more
    m = re.search(r"Text:\n<<<\n(.*?)\n>>>", prompt_text(body), re.S)
    text = m.group(1) if m else ""
    repair = "were rejected" in last_user(body)
    film = text.split(" is a ")[0]
    if film == "Alien":
        ts = [_t("Alien", "isA", "Film"), _t("Ridley Scott", "isA", "Human"),
              _t("Alien", "director", "Ridley Scott")]
    elif film == "Heat":
        ts = [_t("Heat", "isA", "Film"), _t("Al Pacino", "isA", "Human"),
              _t("Heat", "castMember" if repair else "starsIn", "Al Pacino")]
    else:
        ts = [_t("Jaws", "isA", "Film"), _t("Steven Spielberg", "isA", "Human"),
              _t("Jaws", "screenwriter", "Steven Spielberg")]
    return Reply(json_content={"triples": ts})


@pytest.fixture
def server(llm_server: LLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LLMServer:  # noqa: F811
    monkeypatch.setenv("HYDRA_MAGIC_CACHE_DIR", str(tmp_path / "cache"))
    for key in [k for k in os.environ if k.endswith("_API_KEY")]:
        monkeypatch.delenv(key)
    llm_server.responder = responder
    return llm_server


def test_the_bench_reports_raw_output_what_the_contracts_let_through_and_the_repairs(
        server: LLMServer, tmp_path: Path) -> None:
    out = io.StringIO()
    res = run(tiny_data(tmp_path), engine="openai/x", api_base=server.url, use_cache=False, out=out)
    m = res["model_output"]
    # the raw output: each sentence's first reply, against the gold
    assert (m["sentences"], m["first_proposed"], m["first_in_gold"]) == (3, 3, 1)
    # every reply: the repair of v2 proposed the right triple
    assert (m["proposed"], m["in_gold"], m["typing_proposed"]) == (4, 2, 6)
    # the contracts: starsIn refused and named in the repair request; what they let through
    assert m["fed_back"] == {"unknown_property": 1}
    assert m["rejected"] == {}  # the repair replaced the refused triple
    assert (m["accepted"], m["accepted_in_gold"], m["accepted_not_in_gold"]) == (3, 2, 1)
    # the model asserted every type, nothing in the text states them: all accepted facts are flagged,
    # so the wrong one (Jaws' screenwriter) is not accepted as verified
    assert (m["verified"], m["verified_not_in_gold"], m["flagged"], m["flagged_not_in_gold"]) == (0, 0, 3, 1)
    calls = 4 + m["gleanings"]  # a first reply per sentence, one repair, and any re-reading that found nothing
    assert (m["calls"], m["repairs"]) == (calls, 1) and server.calls == calls
    assert res["usage"]["calls"] == calls
    assert res["max_attempts"] == 3
    # only what the contracts accepted is scored: two sentences of three are right
    assert res["global"]["f1"] == pytest.approx(2 / 3, abs=1e-3)
    per = {s["id"]: s for s in res["ontologies"]["1_movie"]["per_sentence"]}
    assert per["v2"]["raw"] == [["Heat", "starsIn", "Al Pacino"]] and per["v2"]["attempts"] >= 2
    text = out.getvalue()
    assert "first reply:   3 proposed, 1 in gold, 2 not in gold" in text
    assert "1 verified" not in text and "0 verified, 0 of them not in gold" in text
    assert "named in repair requests: unknown_property 1" in text
    assert "per CPU-second" not in text  # a model's time is the server's, not this process's CPU
    assert f"{calls} engine calls ({calls / 3:.2f} per sentence, 1 repairs" in text


def test_hydra_bench_text2kgbench_with_a_model_sample_attempts_and_cache(
        server: LLMServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tiny_data(tmp_path), tmp_path / "r.json"
    args = ["bench", "text2kgbench", "--data-dir", str(data), "--split", "validation", "--per-ontology", "2",
            "--model", "openai/x", "--api-base", server.url, "--max-attempts", "1", "--out", str(out)]
    assert main(args) == 0
    res = json.loads(out.read_text())
    m = res["model_output"]
    assert m["sentences"] == 2 and res["ontologies"]["1_movie"]["sentences"] == 2  # the sample, v1 and v2
    # one attempt: the refused triple stays refused, with its code; nothing was asked again
    assert m["rejected"] == {"unknown_property": 1} and m["repairs"] == 0
    calls = 2 + m["gleanings"]
    assert m["calls"] == calls and server.calls == calls
    assert "rejected (final verdicts, by first rule code): 1 (unknown_property 1)" in capsys.readouterr().out
    # the cache answers the same run again; --no-cache asks the model every time
    assert main(args) == 0 and server.calls == calls
    assert main([*args, "--no-cache"]) == 0 and server.calls == 2 * calls
    # one reading per sentence: no gleaning request
    assert main([*args, "--no-cache", "--max-epochs", "1"]) == 0 and server.calls == 2 * calls + 2
    assert json.loads(out.read_text())["max_epochs"] == 1


def test_a_failing_server_is_reported_per_kind_not_as_rejections(server: LLMServer, tmp_path: Path) -> None:
    server.responder = lambda body: Reply(content="this is not JSON at all")
    res = run(tiny_data(tmp_path), engine="openai/x", api_base=server.url, use_cache=False, per_ontology=1,
              max_attempts=1, out=io.StringIO())
    m = res["model_output"]
    assert m["failed"] == {"parse_error": 1} and m["rejected"] == {} and m["accepted"] == 0
    assert "parse_error" in m["first_errors"]


@pytest.mark.parametrize("bad", [["--per-ontology", "0"], ["--max-attempts", "0"], ["--max-epochs", "0"],
                                 ["--timeout", "0"]])
def test_bad_sample_options_are_named(bad: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "text2kgbench", "--data-dir", str(tiny_data(tmp_path)), *bad]) == 2
    assert bad[0] in capsys.readouterr().err


def test_the_rules_engine_goes_the_same_way_and_is_asked_once(tmp_path: Path) -> None:
    res = run(tiny_data(tmp_path), engine="rules", out=io.StringIO())
    m = res["model_output"]
    assert res["max_attempts"] == 1 and m["calls"] == 3 and m["repairs"] == 0
    assert m["accepted"] == res["ontologies"]["1_movie"]["triples"]
    assert res["usage"] is None
