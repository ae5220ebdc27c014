"""``--store URL`` and ``--model`` on the CLI (issue 14 item 1; the notebook's word for the engine).

The store tests run ``hydra cq``, ``hydra extract`` and ``hydra verify`` against a real Oxigraph server
started on loopback (skipped where ``oxigraph`` is not installed; failed instead with
HYDRA_REQUIRE_STORES=1, as in CI).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from hydra_magic.cli import build_parser, main
from hydra_magic.session import Session, SessionConfig

from .llm_server import LLMServer, Reply, llm_server  # noqa: F401
from .test_session_stores import oxigraph  # noqa: F401 - Oxigraph's server on loopback, as a fixture

CQS = "Which films did a director direct?\nWhen was a film released?\n"
LINES = [{"id": "alien", "sent": "Alien is a 1979 film directed by Ridley Scott. Ridley Scott is a director."},
         {"id": "heat", "sent": "Heat is a 1995 film directed by Michael Mann. Michael Mann is a director."}]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    cqs = tmp_path / "cqs.txt"
    cqs.write_text(CQS, encoding="utf-8")
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in LINES), encoding="utf-8")
    return cqs, inp


def _subparser(command: str) -> argparse.ArgumentParser:
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    parser = sub.choices[command]
    assert isinstance(parser, argparse.ArgumentParser)
    return parser


def _stored(url: str, name: str) -> Session:
    return Session(name, SessionConfig(journal_dir=None, store=url))


def test_cq_extract_and_verify_work_on_the_session_kept_on_a_sparql_server(
        oxigraph: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cqs, inp = _files(tmp_path)
    store = ["--store", oxigraph, "--session", "team"]
    assert main(["cq", "--input", str(cqs), "--output", str(tmp_path / "onto.ttl"), *store]) == 0
    assert "kept in session 'team' on the store" in capsys.readouterr().err
    s = _stored(oxigraph, "team")
    classes = {s.ontology.classes[c].label for c in s.ontology.classes}
    s.close()
    assert {"film", "director"} <= classes  # the CQs grew the ontology on the server

    # No --ontology: the session's own ontology is used.
    out = tmp_path / "out.jsonl"
    assert main(["extract", "--input", str(inp), "--output", str(out), *store]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["alien", "heat"]
    assert {"sub": "Ridley Scott", "rel": "directs", "obj": "Alien"} in rows[0]["triples"]
    s = _stored(oxigraph, "team")
    facts = {f.source for f in s.kg}
    n, changes = len(s.kg), [c.kind for c in s.history]
    s.close()
    assert facts == {"alien", "heat"}  # one source per line, as a notebook cell gives
    assert changes.count("extract") == 2
    # The same input again replaces each line's facts (a cell run again), it does not add copies.
    assert main(["extract", "--input", str(inp), "--output", str(out), *store]) == 0
    s = _stored(oxigraph, "team")
    assert len(s.kg) == n
    s.close()

    report = tmp_path / "report.json"
    assert main(["verify", "--report", str(report), *store]) == 0
    err = capsys.readouterr().err
    assert f"{n:,} facts from session 'team' on the store" in err
    assert json.loads(report.read_text())

    # Another session on the same server is a different session: empty, and verify says so.
    assert main(["verify", "--report", str(report), "--store", oxigraph, "--session", "nobody"]) == 2
    assert "is empty" in capsys.readouterr().err


def test_verify_on_a_store_does_not_take_files_that_would_change_the_shared_session(
        oxigraph: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kg = tmp_path / "kg.ttl"
    kg.write_text("", encoding="utf-8")
    assert main(["verify", "--kg", str(kg), "--report", str(tmp_path / "r.json"), "--store", oxigraph]) == 2
    assert "would change it" in capsys.readouterr().err


def test_store_credentials_are_never_taken_from_the_command_line(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cqs, inp = _files(tmp_path)
    code = main(["extract", "--input", str(inp), "--output", str(tmp_path / "o.jsonl"),
                 "--store", "oxigraph+http://alice:s3cret-pw@127.0.0.1:9/"])
    err = capsys.readouterr().err
    assert code == 2 and "s3cret-pw" not in err
    assert "HYDRA_STORE_USER" in err  # the message says where credentials go instead
    assert not (tmp_path / "o.jsonl").exists()
    # and there is no option that would take them
    help_text = _subparser("extract").format_help()
    assert "HYDRA_STORE_USER" in help_text and "--password" not in help_text and "--user" not in help_text


def test_session_without_store_and_a_server_that_is_not_there_say_so(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cqs, inp = _files(tmp_path)
    out = str(tmp_path / "o.ttl")
    assert main(["cq", "--input", str(cqs), "--output", out, "--session", "team"]) == 2
    assert "give --store URL too" in capsys.readouterr().err
    assert main(["cq", "--input", str(cqs), "--output", out, "--store", "oxigraph+http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "hydra cq: error:" in err and "127.0.0.1:9" in err and "Traceback" not in err
    assert not Path(out).exists()


# ------------------------------------------------------------------ --model
@pytest.mark.parametrize("command", ["extract", "cq"])
def test_model_and_engine_are_one_option_documented_in_help(command: str) -> None:
    sub = _subparser(command)
    help_text = " ".join(sub.format_help().split())
    assert "--model MODEL, --engine MODEL" in help_text
    assert "--engine is the same option" in help_text
    assert sub.parse_args(["--input", "i", "--output", "o", "--model", "openai/x"]).engine == "openai/x"
    assert sub.parse_args(["--input", "i", "--output", "o", "--engine", "openai/y"]).engine == "openai/y"


def test_cq_and_extract_reach_the_model_named_by_model(llm_server: LLMServer, tmp_path: Path,  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HYDRA_MAGIC_CACHE_DIR", str(tmp_path / "cache"))
    for key in [k for k in os.environ if k.endswith("_API_KEY")]:
        monkeypatch.delenv(key)
    onto = tmp_path / "film.ttl"
    onto.write_text("@prefix : <http://example.org/hydra/ontology#> .\n"
                    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    ":Film a owl:Class . :Person a owl:Class .\n"
                    ":directedBy a owl:ObjectProperty ; rdfs:domain :Film ; rdfs:range :Person .\n")
    cqs, inp = _files(tmp_path)
    llm_server.default = Reply(json_content={"triples": []})
    out = tmp_path / "o.jsonl"
    assert main(["extract", "--ontology", str(onto), "--input", str(inp), "--output", str(out),
                 "--model", "openai/x", "--api-base", llm_server.url, "--no-cache"]) == 0
    assert llm_server.calls == 2  # one request per line, to the model --model named
    assert "model openai/x" in capsys.readouterr().err
    llm_server.reset()
    # hydra cq with a model that proposes nothing usable fails the CQs, after asking that model
    llm_server.default = Reply(json_content={"classes": [], "object_properties": [], "data_properties": []})
    main(["cq", "--input", str(cqs), "--output", str(tmp_path / "o.ttl"), "--model", "openai/x",
          "--api-base", llm_server.url])
    assert llm_server.calls >= 1
