"""Malformed input of any kind gives one clear error, never a traceback, and changes nothing.

A corpus of broken files (truncated, wrong types, deep nesting, wrong encodings,
directories, empty, huge lines) runs over every entry point: ``hydra cq``,
``hydra extract``, ``hydra verify`` and ``hydra bench`` in-process through
:func:`hydra_magic.cli.main` (a few as real processes), and the magics
``%hydra load-ontology``, ``%extract --from``, ``%%ontology``, ``%%rules``,
``%%shacl`` and ``%hydra session``. Hypothesis adds random JSON shapes for the
Text2KGBench ontology reader and the JSONL reader.

Every run must: exit 0, 1 or 2 (CLI) or raise exactly ``UsageError`` (magics);
print no traceback; on exit 2 print one ``hydra CMD: error: ...`` line, last; and
leave outputs, the session and its journal as they were. For the entry points
whose inputs are plainly malformed (``EXPECT_ERROR``) exit 2 is required and the
line must name the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hydra_magic.cli import main
from hydra_magic.errors import HydraError

DEEP = 20_000
#: name -> file content. "directory" and "missing" are added per suffix.
CORPUS: dict[str, bytes] = {
    "empty": b"",
    "blank": b"  \n\t\n",
    "truncated_json": b'{"concepts": [{"qid": "Q1", "label": "fi',
    "truncated_turtle": b"@prefix : <http://x/> .\n:A a ",
    "concepts_is_a_string": b'{"concepts": "x", "relations": []}',  # was AttributeError
    "wrong_item_types": b'{"concepts": [1], "relations": [{"label": {"a": 1}}]}',
    "json_array": b"[1, 2, 3]\n",
    "json_scalar": b"42\n",
    "row_wrong_types": b'{"id": [1], "sent": {"a": 1}, "triples": "x"}\n',
    "row_bad_triples": b'{"id": "1", "sent": "Alien was directed by Ridley Scott.", "triples": [1, {"sub": []}]}\n',
    "row_no_sent": b'{"id": "1"}\n',
    "lone_surrogate": b'{"id": "\\ud800", "sent": "Al\\udc00ien was directed by Ridley Scott."}\n',
    "deep_json_array": b"[" * DEEP + b"]" * DEEP,  # was RecursionError
    "deep_json_object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep_jsonl_line": b'{"id": "1", "sent": ' + b"[" * DEEP + b"]" * DEEP + b"}\n",
    "deep_turtle": b"@prefix : <http://x/> .\n:a :p " + b"[ :p " * 3000 + b"1" + b" ]" * 3000 + b" .\n",
    "latin1": "Qui a r\u00e9alis\u00e9 Alien ?\n".encode("latin-1"),  # was UnicodeDecodeError
    "utf16": "Which films did a director direct?\n".encode("utf-16"),
    "binary": bytes(range(256)) * 4,
    "nul_bytes": b"\x00" * 64,
    "huge_line": b"a" * 2_100_000,
}
ALL = frozenset(CORPUS) | {"directory", "missing"}
# Plainly malformed for each kind of input: these must exit 2 and name the file.
EXPECT_ERROR = {
    "cq-input": frozenset({"empty", "blank", "latin1", "utf16", "binary", "nul_bytes", "huge_line",
                           "directory", "missing"}),
    "rdf-ontology": ALL - {"deep_turtle"},
    "t2k-ontology": ALL,
    "jsonl": ALL - {"row_bad_triples"},  # --input ignores "triples"
    "jsonl-learn": ALL,
}

GOOD_TTL = ("@prefix : <http://example.org/films#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            ":Film a owl:Class .\n:Person a owl:Class .\n"
            ":directedBy a owl:ObjectProperty ; rdfs:label \"directed by\" ; "
            "rdfs:domain :Film ; rdfs:range :Person .\n")
GOOD_JSONL = '{"id": "a", "sent": "Alien was directed by Ridley Scott."}\n'
GOOD_LEARN = ('{"id": "t1", "sent": "Alien was directed by Ridley Scott.", '
              '"triples": [{"sub": "Alien", "rel": "directed by", "obj": "Ridley Scott"}]}\n')
SENTINEL = "previous output, must survive a failed run\n"


def build_corpus(root: Path, suffix: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for name, content in CORPUS.items():
        p = root / f"{name}{suffix}"
        p.write_bytes(content)
        out[name] = p
    d = root / f"directory{suffix}"
    d.mkdir(exist_ok=True)
    out["directory"] = d
    out["missing"] = root / f"missing{suffix}"
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "good.ttl").write_text(GOOD_TTL, encoding="utf-8")
    (root / "good.jsonl").write_text(GOOD_JSONL, encoding="utf-8")
    (root / "learn.jsonl").write_text(GOOD_LEARN, encoding="utf-8")
    (root / "good.txt").write_text("Which films did a director direct?\n", encoding="utf-8")
    (root / "kg.ttl").write_text("@prefix : <http://example.org/films#> .\n", encoding="utf-8")
    for suffix in (".txt", ".ttl", ".json", ".jsonl"):
        build_corpus(root, suffix)
    return root


@dataclass
class Case:
    label: str
    argv: list[str]
    kind: str = ""  # key of EXPECT_ERROR; "" = only the universal checks
    item: str = ""
    file: str = ""
    outputs: tuple[str, ...] = ()


class Checker:
    """Runs CLI cases in-process and collects every violation, so one run reports them all."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root, self.capsys = root, capsys
        self.problems: list[str] = []

    def run(self, case: Case) -> tuple[int | None, str]:
        for o in case.outputs:
            p = self.root / o
            if not p.is_dir() and p.parent.is_dir():
                p.write_text(SENTINEL, encoding="utf-8")
        self.capsys.readouterr()
        try:
            rc: Any = main(case.argv)
        except SystemExit as exc:  # argparse
            rc = exc.code
        except BaseException as exc:  # noqa: BLE001 - a traceback would reach the user
            self.problems.append(f"{case.label}: {type(exc).__name__} escaped: {str(exc)[:200]}")
            self.capsys.readouterr()
            return None, ""
        err = self.capsys.readouterr().err
        self.check(case, rc, err)
        return rc, err

    def check(self, case: Case, rc: Any, err: str) -> None:
        def bad(why: str) -> None:
            self.problems.append(f"{case.label}: {why} (exit {rc}; stderr {err.strip()[-300:]!r})")

        if "Traceback" in err:
            bad("traceback on stderr")
        if rc not in (0, 1, 2):
            bad("unexpected exit status")
        if rc == 2:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            errors = [ln for ln in lines if ": error: " in ln]
            if len(errors) != 1 or not lines or lines[-1] != errors[0]:
                bad("not exactly one error line, last")
            for o in case.outputs:
                p = self.root / o
                if p.is_file() and p.read_text(encoding="utf-8") != SENTINEL:
                    bad(f"output {o} changed by a failed run")
        if case.kind and case.item in EXPECT_ERROR[case.kind]:
            if rc != 2:
                bad("malformed input not reported as an error")
            elif case.file and Path(case.file).name not in err:
                bad(f"the error does not name {Path(case.file).name}")


def _cases(root: Path) -> list[Case]:
    def f(name: str, suffix: str) -> str:
        return str(root / f"{name}{suffix}")

    good_ttl, good_jsonl = str(root / "good.ttl"), str(root / "good.jsonl")
    cases: list[Case] = []
    items = sorted(ALL)
    for it in items:
        cases.append(Case(f"cq --input {it}", ["cq", "--input", f(it, ".txt"), "--output", str(root / "cq.ttl")],
                          "cq-input", it, f(it, ".txt"), ("cq.ttl",)))
        cases.append(Case(f"cq --ontology {it}.ttl",
                          ["cq", "--input", str(root / "good.txt"), "--output", str(root / "cq.ttl"),
                           "--ontology", f(it, ".ttl")], "rdf-ontology", it, f(it, ".ttl"), ("cq.ttl",)))
        for suffix, kind in ((".ttl", "rdf-ontology"), (".json", "t2k-ontology")):
            cases.append(Case(f"extract --ontology {it}{suffix}",
                              ["extract", "--ontology", f(it, suffix), "--input", good_jsonl,
                               "--output", str(root / "x.jsonl")], kind, it, f(it, suffix), ("x.jsonl",)))
        cases.append(Case(f"extract --input {it}",
                          ["extract", "--ontology", good_ttl, "--input", f(it, ".jsonl"),
                           "--output", str(root / "x.jsonl")], "jsonl", it, f(it, ".jsonl"), ("x.jsonl",)))
        cases.append(Case(f"extract --learn {it}",
                          ["extract", "--ontology", good_ttl, "--input", good_jsonl, "--learn", f(it, ".jsonl"),
                           "--output", str(root / "x.jsonl")], "jsonl-learn", it, f(it, ".jsonl"), ("x.jsonl",)))
        # hydra verify (commands/verify.py): the universal checks only.
        base = {"--ontology": good_ttl, "--kg": str(root / "kg.ttl"), "--report": str(root / "r.json")}
        for flag, suffix in (("--ontology", ".ttl"), ("--ontology", ".json"), ("--kg", ".ttl"),
                             ("--rules", ".txt"), ("--cqs", ".txt"), ("--shapes", ".ttl")):
            argv = dict(base, **{flag: f(it, suffix)})
            cases.append(Case(f"verify {flag} {it}{suffix}", ["verify", *[x for kv in argv.items() for x in kv]],
                              outputs=("r.json",)))
    # Outputs that cannot be written.
    under_file = str(root / "good.txt" / "out")
    for label, argv, kind in [
        ("extract --output directory", ["extract", "--ontology", good_ttl, "--input", good_jsonl,
                                        "--output", str(root / "directory.jsonl")], "output"),
        ("extract --output under a file", ["extract", "--ontology", good_ttl, "--input", good_jsonl,
                                           "--output", under_file], "output"),
        ("cq --output directory", ["cq", "--input", str(root / "good.txt"), "--output",
                                   str(root / "directory.ttl")], "output"),
        ("cq --output under a file", ["cq", "--input", str(root / "good.txt"), "--output", under_file + ".ttl"],
         "output"),
        ("cq --output unknown suffix", ["cq", "--input", str(root / "good.txt"), "--output",
                                        str(root / "o.xyz")], "output"),
        ("verify --report directory", ["verify", "--ontology", good_ttl, "--kg", str(root / "kg.ttl"),
                                       "--report", str(root / "directory.json")], ""),
        ("verify --report under a file", ["verify", "--ontology", good_ttl, "--kg", str(root / "kg.ttl"),
                                          "--report", under_file + ".json"], ""),
    ]:
        cases.append(Case(label, argv, kind))
    # hydra bench with a bad --data-dir.
    (root / "empty_data").mkdir(exist_ok=True)
    for bench in ("text2kgbench", "cq"):
        for d in ("missing_dir", "good.txt", "empty_data"):
            cases.append(Case(f"bench {bench} --data-dir {d}",
                              ["bench", bench, "--data-dir", str(root / d), "--out", str(root / "b.json")],
                              "output", outputs=("b.json",)))
    return cases


EXPECT_ERROR["output"] = frozenset({""})


def test_cli_entry_points_turn_malformed_input_into_one_error_line(workdir: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    checker = Checker(workdir, capsys)
    # The harness can tell success: good inputs still work.
    good_ttl, good_jsonl = str(workdir / "good.ttl"), str(workdir / "good.jsonl")
    for argv in (["cq", "--input", "good.txt", "--output", "ok.ttl"],
                 ["extract", "--ontology", good_ttl, "--input", good_jsonl, "--learn", "learn.jsonl",
                  "--output", "ok.jsonl"],
                 ["verify", "--ontology", good_ttl, "--kg", "kg.ttl", "--report", "ok.json"]):
        rc, err = checker.run(Case(" ".join(argv[:1]) + " (good input)", argv))
        assert rc in (0, 1), err
    cases = _cases(workdir)
    for case in cases:
        checker.run(case)
    assert len(cases) > 250
    assert not checker.problems, "\n".join(checker.problems)


def test_failed_extract_keeps_the_previous_output(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = workdir / "keep.jsonl"
    bad = workdir / "second_line_bad.jsonl"
    bad.write_text(GOOD_JSONL + "{not json}\n", encoding="utf-8")
    out.write_text(SENTINEL, encoding="utf-8")
    assert main(["extract", "--ontology", str(workdir / "good.ttl"), "--input", str(bad),
                 "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "second_line_bad.jsonl, line 2" in err
    assert out.read_text(encoding="utf-8") == SENTINEL  # before: half-written with line 1
    assert not [p for p in workdir.iterdir() if p.name.startswith(".keep.jsonl")]


@pytest.mark.parametrize("argv, names", [
    (["cq", "--input", "latin1.txt", "--output", "sub.ttl"], "--input 'latin1.txt' is not UTF-8"),
    (["extract", "--ontology", "concepts_is_a_string.json", "--input", "good.jsonl", "--output", "sub.jsonl"],
     "'concepts' is a JSON string"),
    (["verify", "--ontology", "good.ttl", "--kg", "kg.ttl", "--rules", "directory.txt", "--report", "sub.json"],
     "--rules 'directory.txt' is a directory"),
])
def test_cli_as_a_process_prints_one_line(workdir: Path, argv: list[str], names: str) -> None:
    r = subprocess.run([sys.executable, "-m", "hydra_magic.cli", *argv], capture_output=True, text=True,
                       cwd=workdir, timeout=120, check=False)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"hydra {argv[0]}: error: ") and names in r.stderr


# ------------------------------------------------------------------ magics
def _state(session: Any) -> tuple[Any, ...]:
    # Every change is journaled (with a fresh "written" time), so the journal's bytes
    # plus a few counters tell whether anything changed, far cheaper than a snapshot.
    path = session.journal.path if session.journal else None
    return (len(session.history), session.kg.revision, len(session.ontology.graph), len(session.cqs),
            list(session.rules), len(session.shapes),
            path.read_bytes() if path is not None and path.is_file() else None)


def test_magics_turn_malformed_input_into_a_usage_error(hydra_ext: Any, tmp_path: Path,
                                                        journal_dir: str) -> None:
    from IPython.core.error import UsageError

    shell, session = hydra_ext.shell, hydra_ext.session
    shell.run_cell_magic("cq", "", "Which films did a director direct?\nWhen was a film released?")
    files = {suffix: build_corpus(tmp_path, suffix) for suffix in (".ttl", ".json", ".txt")}
    problems: list[str] = []

    def attempt(label: str, call: Callable[[], Any], must_fail: bool = True) -> None:
        before = _state(session)
        try:
            call()
        except UsageError as exc:
            if type(exc) is not UsageError:  # a subclass prints a traceback in IPython
                problems.append(f"{label}: {type(exc).__name__}, a subclass of UsageError")
            if "Traceback" in str(exc) or not str(exc).strip():
                problems.append(f"{label}: unclear message {str(exc)[:200]!r}")
            if _state(session) != before:
                problems.append(f"{label}: the session or its journal changed")
            return
        except BaseException as exc:  # noqa: BLE001 - a traceback would reach the user
            problems.append(f"{label}: {type(exc).__name__} escaped: {str(exc)[:200]}")
            return
        if must_fail:
            problems.append(f"{label}: accepted")

    for suffix in (".ttl", ".json"):
        for item, path in files[suffix].items():
            if suffix == ".ttl" and item == "deep_turtle":
                continue  # valid (nested) Turtle; it loads
            attempt(f"%hydra load-ontology {item}{suffix}",
                    lambda p=path: shell.run_line_magic("hydra", f"load-ontology {p}"))
    for item, path in files[".txt"].items():
        for holder in (str(path), path):
            shell.user_ns["fuzz_var"] = holder
            # Text in a foreign encoding is read with replacement characters; it may extract nothing.
            attempt(f"%extract --from {type(holder).__name__} {item}",
                    lambda: shell.run_line_magic("extract", "--from fuzz_var"),
                    item in {"empty", "blank", "huge_line", "directory", "missing"})
    for item, content in CORPUS.items():
        text = content.decode("utf-8", errors="replace")
        if not text:
            continue  # IPython itself refuses an empty cell body before the magic runs
        for magic in ("ontology", "rules", "shacl"):
            must = not (magic == "ontology" and item == "deep_turtle")
            attempt(f"%%{magic} {item}", lambda m=magic, t=text: shell.run_cell_magic(m, "", t), must)
    # %hydra session NAME: bad names, and journals that cannot be restored.
    for name in ("..", "-a", "x" * 65, "a/b", "\u00e9t\u00e9", "Al\u200bien"):
        attempt(f"%hydra session {name!r}", lambda n=name: shell.run_line_magic("hydra", f"session {n}"))
    broken = {**{k: CORPUS[k] for k in ("empty", "truncated_json", "json_array", "deep_json_array",
                                        "deep_json_object", "latin1", "binary")},
              "newer_format": b'{"format": 999, "written_by": "99.0", "name": "newer_format"}',
              "format_missing": b'{"name": "format_missing"}'}
    for name, content in broken.items():
        snapshot = Path(journal_dir) / name / "session.json"
        snapshot.parent.mkdir(parents=True)
        snapshot.write_bytes(content)
        attempt(f"%hydra session {name} (journal {name})",
                lambda n=name: shell.run_line_magic("hydra", f"session {n}"))
        if snapshot.read_bytes() != content:
            problems.append(f"%hydra session {name}: the broken journal was changed")
    assert hydra_ext.magics.sessions.active is session
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ hypothesis
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                 max_size=4),
                     max_leaves=12)
_t2k_item = st.dictionaries(st.sampled_from(["qid", "pid", "label", "domain", "range", "x"]),
                            _json | st.sampled_from(["Q1", "Q5", "film", "Person", "", "Year"]), max_size=5)
_t2k = st.one_of(
    _json,
    st.fixed_dictionaries({"concepts": _json | st.lists(_t2k_item | _json, max_size=4),
                           "relations": _json | st.lists(_t2k_item | _json, max_size=4)},
                          optional={"id": _json, "title": _json}),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_t2k)
def test_text2kgbench_reader_gives_an_ontology_or_a_hydra_error(data: Any) -> None:
    from hydra_magic.io import read_text2kgbench_ontology

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "1_x_ontology.json"
        p.write_text(json.dumps(data), encoding="utf-8")
        try:
            onto = read_text2kgbench_ontology(p)
        except HydraError as exc:
            assert str(exc).startswith(str(p)) or str(p) in str(exc)
        else:
            assert onto is not None


_row = st.one_of(
    _json,
    st.fixed_dictionaries({}, optional={"id": _json, "sent": _json | st.text(max_size=60),
                                        "triples": _json | st.lists(_json | st.fixed_dictionaries(
                                            {}, optional={"sub": _json, "rel": _json, "obj": _json}), max_size=3),
                                        "rel_label": _json}),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(_row, min_size=1, max_size=3), st.booleans())
def test_extract_on_random_jsonl_never_leaks_a_traceback(workdir: Path, capsys: pytest.CaptureFixture[str],
                                                         rows: list[Any], as_learn: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "rows.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        out = Path(d) / "out.jsonl"
        inputs = (["--input", str(workdir / "good.jsonl"), "--learn", str(p)] if as_learn
                  else ["--input", str(p)])
        checker = Checker(Path(d), capsys)
        checker.run(Case("extract random rows", ["extract", "--ontology", str(workdir / "good.ttl"), *inputs,
                                                 "--output", str(out)]))
        assert not checker.problems, checker.problems
