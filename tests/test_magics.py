"""The magics in an IPython shell: what a notebook user types and sees.

The active session is driven by the scripted FakeEngine of conftest.py, so every
outcome is exact; the real offline engine runs in test_kernel.py / test_tutorials.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from traitlets import TraitError

import hydra_magic
from hydra_magic.extension import find_magics, load_ipython_extension, unload_ipython_extension
from hydra_magic.magics import HydraMagics, SparqlResult, StatusView
from hydra_magic.results import CQResult, ExtractionResult
from hydra_magic.session import Session, SessionConfig

from .conftest import FakeEngine

CQS = "Which films did a director direct?\nIn which year was a film released?"
TEXT = "Alien was directed by Ridley Scott in 1979. Heat was directed by Michael Mann in 1995."


def usage_error(run_cell: Any, code: str) -> str:
    """Run ``code``, expecting exactly UsageError (IPython shows only its message); return the message."""
    with pytest.raises(UsageError) as info:
        run_cell(code)
    assert type(info.value) is UsageError, f"{type(info.value).__name__} would print a traceback"
    return str(info.value)


def facts(session: Session) -> set[tuple[str, str, str]]:
    return {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1], str(f.object).rsplit("/", 1)[-1])
            for f in session.kg}


@pytest.fixture()
def ready(hydra_ext: Any, run_cell: Any) -> Any:
    """Extension loaded and the film CQs declared."""
    run_cell(f"%%cq\n{CQS}")
    return hydra_ext


class _Kernel:
    """Just enough of ipykernel's Kernel for the magics: the parent request of the running cell."""

    def __init__(self, cell_id: str | None) -> None:
        self.parent = {"header": {"msg_type": "execute_request"},
                       "metadata": {"cellId": cell_id} if cell_id else {}}

    def get_parent(self) -> dict[str, Any]:
        return self.parent


# ----------------------------------------------------------------------------- load / unload
def test_load_exposes_session_as_hydra_and_get_session(hydra_ext: Any, journal_dir: str) -> None:
    shell = hydra_ext.shell
    assert shell.user_ns["hydra"] is hydra_ext.session
    assert hydra_magic.get_session() is hydra_ext.session
    assert hydra_ext.session.journal is not None and Path(hydra_ext.session.journal.root) == Path(journal_dir)


def test_load_prints_new_session_and_restore_says_so(ipython: Any, journal_dir: str, capsys: Any,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(ipython.config, "HydraMagics", type(ipython.config)())
    ipython.config.HydraMagics.journal_dir = journal_dir
    ipython.config.HydraMagics.session_name = "films"
    load_ipython_extension(ipython)
    try:
        assert "new session 'films'" in capsys.readouterr().out
        assert ipython.user_ns["hydra"].restored == ""
    finally:
        unload_ipython_extension(ipython)
    earlier = Session("films", SessionConfig(journal_dir=journal_dir), engine=FakeEngine())
    earlier.add_cqs(CQS)
    earlier.extract(TEXT, source="c1")
    load_ipython_extension(ipython)
    try:
        out = capsys.readouterr().out
        session = ipython.user_ns["hydra"]
        assert "Restored session 'films'" in out and "8 facts" in out
        assert session.restored.startswith("Restored session 'films'")
        assert len(session.kg) == len(earlier.kg) == 8
    finally:
        unload_ipython_extension(ipython)


def test_load_does_not_import_litellm_or_widgets() -> None:
    code = textwrap.dedent("""
        import sys, tempfile, os
        os.chdir(tempfile.mkdtemp())
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config
        c = Config(); c.HistoryManager.hist_file = ":memory:"
        ip = InteractiveShell.instance(config=c)
        ip.run_line_magic("load_ext", "hydra_magic")
        assert "hydra" in ip.user_ns
        print(sorted(m for m in ("litellm", "openai", "anywidget", "ipywidgets", "hydra_magic.engines.rules")
                     if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_unload_undoes_exactly_what_load_did(ipython: Any, run_cell: Any, journal_dir: str,
                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(ipython.config, "HydraMagics", type(ipython.config)())
    ipython.config.HydraMagics.journal_dir = journal_dir
    ipython.user_ns["hydra"] = "the user's own variable"

    def my_sparql(line: str, cell: str) -> str:
        return "theirs"

    ipython.register_magic_function(my_sparql, "cell", "sparql")
    configurables = list(ipython.configurables)
    line_magics = dict(ipython.magics_manager.magics["line"])
    try:
        load_ipython_extension(ipython)
        assert isinstance(ipython.user_ns["hydra"], Session)
        assert run_cell("%%sparql\nASK { ?s ?p ?o }").kind == "ask"
        unload_ipython_extension(ipython)
        assert ipython.user_ns["hydra"] == "the user's own variable"
        assert run_cell("%%sparql\nanything") == "theirs"
        assert "hydra" not in ipython.magics_manager.magics["line"]
        assert "cq" not in ipython.magics_manager.magics["cell"]
        assert dict(ipython.magics_manager.magics["line"]) == line_magics
        assert list(ipython.configurables) == configurables
        assert find_magics(ipython) is None
        with pytest.raises(Exception, match="not loaded"):
            hydra_magic.get_session()
    finally:
        unload_ipython_extension(ipython)
        del ipython.magics_manager.magics["cell"]["sparql"]
        ipython.user_ns.pop("hydra", None)


def test_load_twice_is_a_no_op_and_reload_ext_restores(hydra_ext: Any, run_cell: Any) -> None:
    magics = hydra_ext.magics
    load_ipython_extension(hydra_ext.shell)
    assert find_magics(hydra_ext.shell) is magics
    assert sum(1 for c in hydra_ext.shell.configurables if isinstance(c, HydraMagics)) == 1
    run_cell(f"%%cq\n{CQS}")
    hydra_ext.shell.extension_manager.loaded.add("hydra_magic")  # the fixture loaded it directly
    run_cell("%reload_ext hydra_magic")
    again = hydra_ext.shell.user_ns["hydra"]
    assert again is not hydra_ext.session and again.restored and len(again.ontology.classes) == 3
    assert sum(1 for c in hydra_ext.shell.configurables if isinstance(c, HydraMagics)) == 1


def test_journal_stays_put_when_the_working_directory_changes(hydra_ext: Any, run_cell: Any, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    run_cell('%config HydraMagics.journal_dir = "rel-journals"')  # relative to the working directory (tmp_path)
    hydra_ext.magics.sessions.factory = lambda name, cfg: Session(name, cfg, engine=FakeEngine())
    run_cell("%hydra session moving")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # like %cd elsewhere in the notebook
    run_cell(f"%%cq\n{CQS}")
    assert (tmp_path / "rel-journals" / "moving" / "changes.log").is_file()
    assert not (elsewhere / "rel-journals").exists()


def test_get_session_by_name_opens_without_switching(hydra_ext: Any) -> None:
    other = hydra_magic.get_session("other")
    assert other.name == "other" and other is not hydra_ext.session
    assert hydra_magic.get_session() is hydra_ext.session
    assert hydra_magic.get_session("other") is other


# ----------------------------------------------------------------------------- %%cq
def test_cq_grows_ontology_and_returns_result(hydra_ext: Any, run_cell: Any) -> None:
    result = run_cell(f"%%cq\n# films\n\n{CQS}\n")
    assert isinstance(result, CQResult)
    session = hydra_ext.session
    assert {c.name for c in session.ontology.classes.values()} == {"Thing", "Film", "Person"}
    assert [c.text for c in session.cqs] == CQS.splitlines()
    assert "+3 classes, +2 properties" in result.to_text()


def test_cq_parses_pins_and_sparql_blocks(hydra_ext: Any, run_cell: Any) -> None:
    run_cell("%%cq\nWho directed Alien? => ridley_scott\nWhich films are there?\n"
             "  sparql: SELECT ?f WHERE { ?f a onto:Film }\n")
    cqs = hydra_ext.session.cqs
    assert cqs[0].expected == ("ridley_scott",)
    assert cqs[1].sparql == "SELECT ?f WHERE { ?f a onto:Film }"


@pytest.mark.parametrize("cell", ["   \n", "# only a comment\n\n"])
def test_cq_empty_cell_is_a_usage_error(hydra_ext: Any, run_cell: Any, cell: str) -> None:
    assert "no competency question" in usage_error(run_cell, f"%%cq\n{cell}")


def test_cell_magic_without_body(hydra_ext: Any, run_cell: Any) -> None:
    # IPython itself refuses a cell magic with no body at all, with its own short message.
    assert "cell body is empty" in usage_error(run_cell, "%%cq")


def test_cq_bad_arguments(hydra_ext: Any, run_cell: Any) -> None:
    assert "unrecognized arguments: --bogus" in usage_error(run_cell, f"%%cq --bogus\n{CQS}")
    assert "--generate needs --domain" in usage_error(run_cell, "%cq --generate")
    assert "--domain is used with --generate" in usage_error(run_cell, "%%cq --domain films\n" + CQS)
    assert "Close the quotes" in usage_error(run_cell, '%cq --generate --domain "films')
    assert "cell body" in usage_error(run_cell, "%cq Which films are there")


def test_cq_generate_is_a_line_magic(hydra_ext: Any, run_cell: Any) -> None:
    # The generation itself runs against the scripted server in test_llm_generate (options, --continue).
    assert "line form" in usage_error(run_cell, '%%cq --generate --domain films\nWhich films exist?')


def test_cq_in_another_session(hydra_ext: Any, run_cell: Any) -> None:
    hydra_ext.magics.sessions.factory = lambda name, cfg: Session(name, cfg, engine=FakeEngine())
    run_cell(f"%%cq --session side\n{CQS}")
    assert len(hydra_magic.get_session("side").ontology.classes) == 3
    assert len(hydra_ext.session.ontology.classes) == 0


# ----------------------------------------------------------------------------- %%extract
def test_extract_adds_accepted_and_shows_rejected(ready: Any, run_cell: Any) -> None:
    result = run_cell(f"%%extract\n{TEXT} Sigourney Weaver starred in Alien.")
    assert isinstance(result, ExtractionResult)
    assert ("alien", "directedBy", "ridley_scott") in facts(ready.session)
    assert ("heat", "releaseYear", "1995") in facts(ready.session)
    assert result.rejected_by_code() == {"unknown_property": 1}
    assert result.source.startswith("text-")  # no front end cell id here: a hash of the text


def test_extract_without_ontology_says_what_to_do(hydra_ext: Any, run_cell: Any) -> None:
    assert "%%cq" in usage_error(run_cell, f"%%extract\n{TEXT}")


@pytest.mark.parametrize("cell", [" ", "\n   \n"])
def test_extract_empty_cell(ready: Any, run_cell: Any, cell: str) -> None:
    assert "no text to extract" in usage_error(run_cell, f"%%extract\n{cell}")


def test_rerunning_a_source_replaces_instead_of_duplicating(ready: Any, run_cell: Any) -> None:
    run_cell(f"%%extract --source intro\n{TEXT}")
    n = len(ready.session.kg)
    again = run_cell(f"%%extract --source intro\n{TEXT}")
    assert len(ready.session.kg) == n == 8
    assert again.replaced == 8
    run_cell("%%extract --source intro\nAlien was directed by Ridley Scott.")
    assert ("heat", "directedBy", "michael_mann") not in facts(ready.session)
    assert len(ready.session.kg) == 3


def test_rerun_keeps_types_an_engine_does_not_repeat(ready: Any, run_cell: Any) -> None:
    ready.engine.skip_known_types = True  # like the offline rules engine
    run_cell(f"%%extract --source intro\n{TEXT}")
    first = facts(ready.session)
    run_cell(f"%%extract --source intro\n{TEXT}")
    assert facts(ready.session) == first


def test_source_defaults_to_the_front_end_cell_id(ready: Any, run_cell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ready.shell, "kernel", _Kernel("4f2a-cell"), raising=False)
    result = run_cell(f"%%extract\n{TEXT}")
    assert result.source == "cell-4f2a-cell"
    # The user edits the cell and runs it again: same cell id, so its facts are replaced.
    run_cell("%%extract\nAlien was directed by Ridley Scott.")
    assert ready.session.kg.sources() == ["cell-4f2a-cell"]
    assert len(ready.session.kg) == 3
    monkeypatch.setattr(ready.shell, "kernel", _Kernel(None), raising=False)
    assert run_cell(f"%%extract\n{TEXT}").source.startswith("text-")


def test_extract_from_variable_string_list_and_files(ready: Any, run_cell: Any, tmp_path: Path) -> None:
    ns = ready.shell.user_ns
    ns["doc"] = TEXT
    assert len(run_cell("%extract --from doc --source a").accepted) == 8
    ns["docs"] = ["Alien was directed by Ridley Scott.", "Heat was directed by Michael Mann."]
    assert len(run_cell("%extract --from docs --source b").accepted) == 6
    (tmp_path / "notes.txt").write_text("Up was directed by Pete Docter in 2009.", encoding="utf-8")
    ns["path_str"] = "notes.txt"
    assert ("up", "releaseYear", "2009") in {(c.candidate.subject, c.candidate.predicate, c.candidate.object)
                                              for c in run_cell("%extract --from path_str --source c").accepted}
    ns["path_obj"] = tmp_path / "notes.txt"
    assert len(run_cell("%extract --from path_obj --source d").accepted) == 4


def test_extract_from_errors(ready: Any, run_cell: Any) -> None:
    ns = ready.shell.user_ns
    ns["document"] = TEXT
    assert "Did you mean 'document'" in usage_error(run_cell, "%extract --from documnet")
    assert "not both" in usage_error(run_cell, f"%%extract --from document\n{TEXT}")
    assert "needs --from" in usage_error(run_cell, "%extract --source x")
    ns["missing_file"] = "data/chapter1.txt"
    message = usage_error(run_cell, "%extract --from missing_file")
    assert "data/chapter1.txt" in message and "no such file" in message
    ns["number"] = 42
    assert "is a int" in usage_error(run_cell, "%extract --from number")
    ns["mixed"] = ["text", 3]
    assert "only strings" in usage_error(run_cell, "%extract --from mixed")
    ns["a_path"] = Path("nowhere.txt")
    assert "does not exist" in usage_error(run_cell, "%extract --from a_path")


def test_interrupted_extraction_leaves_the_session_unchanged(ready: Any, run_cell: Any, capsys: Any) -> None:
    run_cell("%config HydraMagics.chunk_chars = 60")
    run_cell(f"%%extract --source keep\n{TEXT}")
    session = ready.session
    before_facts, before_history = facts(session), len(session.history)
    before_log = (session.journal.path / "changes.log").read_bytes()
    ready.engine.interrupt_at = 2  # the third chunk
    long_text = " ".join(f"Film{i} was directed by Person{i} in 19{i:02d}." for i in range(10, 16))
    capsys.readouterr()
    with pytest.raises(KeyboardInterrupt):
        run_cell(f"%%extract --source new\n{long_text}")
    captured = capsys.readouterr()
    assert "chunk 2/" in captured.out  # text progress outside a kernel
    assert "session 'default' is unchanged" in captured.err
    assert facts(session) == before_facts and len(session.history) == before_history
    assert session.kg.sources() == ["keep"]
    assert (session.journal.path / "changes.log").read_bytes() == before_log  # nothing was logged


def test_interrupt_from_progress_callback_leaves_session_unchanged(ready: Any, run_cell: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from hydra_magic import magics as magics_module

    run_cell("%config HydraMagics.chunk_chars = 60")

    def interrupting(self: Any, done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(magics_module._Progress, "__call__", interrupting)
    with pytest.raises(KeyboardInterrupt):
        run_cell(f"%%extract\n{TEXT} Up was directed by Pete Docter in 2009.")
    assert len(ready.session.kg) == 0 and [c.kind for c in ready.session.history] == ["cq"]


def test_progress_widget_in_a_kernel(ready: Any, run_cell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from hydra_magic import magics as magics_module

    shown = []
    monkeypatch.setattr(ready.shell, "kernel", _Kernel("c1"), raising=False)
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    original = magics_module._Progress.close
    closed = []
    monkeypatch.setattr(magics_module._Progress, "close", lambda self: (closed.append(self.widget), original(self)))
    run_cell("%config HydraMagics.chunk_chars = 60")
    run_cell(f"%%extract\n{TEXT}")
    assert len(shown) == 1 and type(shown[0]).__name__ == "IntProgress"
    assert shown[0].value == shown[0].max == 2 and closed and closed[0] is shown[0]


def test_too_large_input_names_the_setting(ready: Any, run_cell: Any) -> None:
    run_cell("%config HydraMagics.max_input_chars = 20")
    assert "max_input_chars" in usage_error(run_cell, f"%%extract\n{TEXT}")


def test_extract_help_lists_arguments() -> None:
    doc = HydraMagics.extract.__doc__ or ""
    for option in ("--source", "--model", "--from"):
        assert option in doc


# ----------------------------------------------------------------------------- %%sparql
def test_sparql_select_table_and_out_variable(ready: Any, run_cell: Any) -> None:
    run_cell(f"%%extract\n{TEXT}")
    result = run_cell("%%sparql --out rows\nSELECT ?film ?year WHERE { ?film onto:releaseYear ?year } ORDER BY ?year")
    assert isinstance(result, SparqlResult) and len(result) == 2
    rows = ready.shell.user_ns["rows"]
    assert rows[0]["year"] == 1979 and isinstance(rows[0]["year"], int)
    assert rows[0]["film"].endswith("entity/alien")
    assert "ent:alien" in result.to_text() and "1979" in result.to_text()
    assert "<td>ent:alien</td>" in result._repr_mimebundle_()["text/html"]


def test_sparql_ask_and_construct(ready: Any, run_cell: Any) -> None:
    run_cell(f"%%extract\n{TEXT}")
    ask = run_cell("%%sparql --out found\nASK { ent:alien onto:directedBy ent:ridley_scott }")
    assert ask.kind == "ask" and ready.shell.user_ns["found"] is True and "yes" in ask.to_text()
    graph = run_cell("%%sparql\nCONSTRUCT { ?f onto:directedBy ?p } WHERE { ?f onto:directedBy ?p }")
    assert graph.kind == "graph" and len(graph) == 2 and graph.columns == ["subject", "predicate", "object"]


def test_sparql_escapes_text_in_html(hydra_ext: Any, run_cell: Any) -> None:
    xss = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    result = run_cell(f'%%sparql\nSELECT ?x WHERE {{ BIND("{xss}" AS ?x) }}')
    page = result._repr_mimebundle_()["text/html"]
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_sparql_errors(hydra_ext: Any, run_cell: Any) -> None:
    assert "SPARQL" in usage_error(run_cell, "%%sparql\nSELEKT ?x WHERE { ?x ?y ?z }")
    assert "empty" in usage_error(run_cell, "%%sparql\n\n")
    assert "not a valid Python variable" in usage_error(run_cell, "%%sparql --out 1x\nASK {}")


# ----------------------------------------------------------------------------- %%ontology, %%rules, %%shacl
def test_ontology_cell_goes_through_contracts(hydra_ext: Any, run_cell: Any) -> None:
    result = run_cell("%%ontology\n:Work a owl:Class .\n:Book a owl:Class ; rdfs:subClassOf :Work .\n"
                      ":lowercase a owl:Class ; rdfs:subClassOf :Work .")
    assert isinstance(result, CQResult)
    names = {c.name for c in hydra_ext.session.ontology.classes.values()}
    assert {"Work", "Book"} <= names and "lowercase" not in names
    assert any("class_not_pascal_case" in str(issue) for _, issues in result.rejected for issue in issues)


def test_ontology_cell_errors(hydra_ext: Any, run_cell: Any) -> None:
    assert "empty" in usage_error(run_cell, "%%ontology\n")
    assert "line 2" in usage_error(run_cell, "%%ontology\n:Work a owl:Class .\n:Book a a a owl:Class")
    assert "Unknown format" in usage_error(run_cell, "%%ontology --format yaml\n:Work a owl:Class .")


def test_rules_shacl_and_verify(ready: Any, run_cell: Any, capsys: Any) -> None:
    run_cell("%%rules\nreleaseYear >= 1888")
    assert "Added 1 value rule" in capsys.readouterr().out
    assert ready.session.rules == ["releaseYear >= 1888"]
    shape = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
             ":FilmShape a sh:NodeShape ; sh:targetClass :Film ;\n"
             "  sh:property [ sh:path :releaseYear ; sh:maxCount 1 ] .")
    run_cell(f"%%shacl\n{shape}")
    assert "SHACL shape" in capsys.readouterr().out
    # The graph meets the value rule and the shape: the report has no errors (it used to be only "not None").
    for line in ("%hydra verify", "%hydra verify --full"):
        report = run_cell(line)
        assert isinstance(report.issues, list) and report.to_text().strip()
        assert not [i for i in report.issues if i.severity == "error"], report.to_text()
    assert "unrecognized arguments" in usage_error(run_cell, "%hydra verify --fast")


# ----------------------------------------------------------------------------- %hydra
def test_hydra_status(ready: Any, run_cell: Any) -> None:
    run_cell(f"%%extract\n{TEXT}")
    view = run_cell("%hydra status")
    assert isinstance(view, StatusView)
    assert view.status["facts"] == 8 and view.status["classes"] == 3 and view.status["cqs"] == 2
    assert "facts" in view.to_text() and "<table" in view._repr_mimebundle_()["text/html"]
    assert "takes no arguments" in usage_error(run_cell, "%hydra status now")


def test_hydra_help_and_unknown_subcommands(hydra_ext: Any, run_cell: Any, capsys: Any) -> None:
    run_cell("%hydra help")
    out = capsys.readouterr().out
    for sub in ("status", "model", "verify", "undo", "reset", "export", "load-ontology", "sessions",
                "session", "graph", "retry", "accept", "remove", "merge", "import"):
        assert f"%hydra {sub}" in out
    # lines short enough that a notebook never wraps them mid-word
    assert max(len(line) for line in out.splitlines()) <= 92
    assert "Did you mean 'status'" in usage_error(run_cell, "%hydra stauts")
    assert "Did you mean 'export'" in usage_error(run_cell, "%hydra exprot x.ttl")
    assert "needs a subcommand" in usage_error(run_cell, "%hydra")


def test_hydra_model(hydra_ext: Any, run_cell: Any, capsys: Any) -> None:
    run_cell("%hydra model")
    assert "uses model 'rules'" in capsys.readouterr().out
    run_cell("%hydra model openai/gpt-4o-mini")
    assert hydra_ext.session.config.engine == "openai/gpt-4o-mini"
    assert "one model name" in usage_error(run_cell, "%hydra model a b")


def test_undo_and_reset(ready: Any, run_cell: Any, capsys: Any) -> None:
    run_cell(f"%%extract\n{TEXT}")
    run_cell("%hydra reset")
    assert len(ready.session.kg) == 0 and not ready.session.ontology.classes
    run_cell("%hydra undo")
    assert len(ready.session.kg) == 8
    run_cell("%hydra undo")
    assert len(ready.session.kg) == 0 and len(ready.session.ontology.classes) == 3
    run_cell("%hydra undo")
    run_cell("%hydra undo")
    assert "Nothing to undo" in capsys.readouterr().out.splitlines()[-1]


def test_export_writes_files(ready: Any, run_cell: Any, tmp_path: Path) -> None:
    run_cell(f"%%extract\n{TEXT}")
    run_cell(f"%hydra export {tmp_path / 'all.ttl'}")
    text = (tmp_path / "all.ttl").read_text(encoding="utf-8")
    assert "ridley_scott" in text and "Film" in text
    run_cell(f"%hydra export {tmp_path / 'onto.ttl'} --what ontology")
    onto = (tmp_path / "onto.ttl").read_text(encoding="utf-8")
    assert "Film" in onto and "ridley_scott" not in onto
    run_cell(f'%hydra export "{tmp_path / "with space.trig"}" --format trig --what kg')
    assert "prov:" in (tmp_path / "with space.trig").read_text(encoding="utf-8")
    assert "Unknown format" in usage_error(run_cell, f"%hydra export {tmp_path / 'x.ttl'} --format yaml")
    assert "Cannot tell the export format" in usage_error(run_cell, f"%hydra export {tmp_path / 'x.xyz'}")
    assert "invalid choice" in usage_error(run_cell, f"%hydra export {tmp_path / 'x.ttl'} --what everything")
    assert "path" in usage_error(run_cell, "%hydra export")


def test_load_ontology(hydra_ext: Any, run_cell: Any, tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "zoo.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix z: <http://example.org/zoo#> .\n"
        "z:Animal a owl:Class .\nz:Lion a owl:Class ; rdfs:subClassOf z:Animal .\n"
        "z:eats a owl:ObjectProperty ; rdfs:domain z:Animal ; rdfs:range z:Animal .\n", encoding="utf-8")
    run_cell("%hydra load-ontology zoo.ttl")
    assert "2 classes, 1 property" in capsys.readouterr().out
    assert hydra_ext.session.ontology.get_class("Lion") is not None
    assert "does not exist" in usage_error(run_cell, "%hydra load-ontology nowhere.ttl")
    (tmp_path / "broken.ttl").write_text("z:Animal a owl:Class", encoding="utf-8")
    assert "broken.ttl" in usage_error(run_cell, "%hydra load-ontology broken.ttl")


def test_sessions_and_switching(hydra_ext: Any, run_cell: Any, capsys: Any, journal_dir: str) -> None:
    run_cell(f"%%cq\n{CQS}")  # writes the default journal
    hydra_ext.magics.sessions.factory = lambda name, cfg: Session(name, cfg, engine=FakeEngine())
    run_cell("%hydra session second")
    assert "new session 'second'" in capsys.readouterr().out
    second = hydra_ext.shell.user_ns["hydra"]
    assert second.name == "second" and hydra_magic.get_session() is second
    run_cell(f"%%cq\n{CQS}")
    run_cell("%hydra sessions")
    out = capsys.readouterr().out
    assert "* second" in out and "default" in out and journal_dir in out
    run_cell("%hydra session default")
    assert hydra_ext.shell.user_ns["hydra"] is hydra_ext.session
    assert "Switched to session 'default'" in capsys.readouterr().out
    assert "not allowed" in usage_error(run_cell, "%hydra session ../escape")
    assert "one name" in usage_error(run_cell, "%hydra session")


def test_accept_and_remove_by_number(ready: Any, run_cell: Any, capsys: Any) -> None:
    assert "no extraction" in usage_error(run_cell, "%hydra accept 1")
    run_cell(f"%%extract\n{TEXT} Heat starred in Alien.")
    capsys.readouterr()
    run_cell("%hydra accept")
    listing = capsys.readouterr().out
    assert "1. (heat, starredIn, alien)  [unknown_property]" in listing
    # The property does not exist, so even "accept anyway" cannot place it: the message says why.
    assert "'starredIn' is not a property" in usage_error(run_cell, "%hydra accept 1")
    assert "1..1" in usage_error(run_cell, "%hydra accept 2")
    assert "N is a number" in usage_error(run_cell, "%hydra accept first")
    run_cell("%hydra remove")
    listing = capsys.readouterr().out
    assert "1. (alien, type, Film)" in listing
    line = next(ln for ln in listing.splitlines() if "(alien, directedBy, ridley_scott)" in ln)
    n = int(line.split(".")[0])
    run_cell(f"%hydra remove {n}")
    assert ("alien", "directedBy", "ridley_scott") not in facts(ready.session)
    run_cell("%hydra undo")
    assert ("alien", "directedBy", "ridley_scott") in facts(ready.session)


def test_accept_anyway_a_rejected_triple(ready: Any, run_cell: Any, capsys: Any) -> None:
    # A year the grounding contract cannot find in the text; the user knows better and accepts it.
    result = run_cell("%%extract\nAlien was directed by Ridley Scott.")
    assert not result.rejected
    from hydra_magic.candidates import TripleCandidate
    from hydra_magic.contracts import CheckedTriple
    from hydra_magic.issues import Issue
    from hydra_magic.results import RejectedTriple

    cand = TripleCandidate("alien", "releaseYear", "1979", "Alien", "1979")
    result.rejected.append(RejectedTriple(CheckedTriple(cand, [Issue("ungrounded", "1979 is not in the text")])))
    run_cell("%hydra accept 1")
    assert "Accepted anyway: (alien, releaseYear, 1979) despite ungrounded" in capsys.readouterr().out
    assert ("alien", "releaseYear", "1979") in facts(ready.session)
    decisions = [f.evidence.decision for f in ready.session.kg if str(f.object) == "1979"]
    assert decisions == ["user"]


def test_retry_failed_chunks(ready: Any, run_cell: Any) -> None:
    assert "no failed chunk" in usage_error(run_cell, "%hydra retry")
    run_cell("%config HydraMagics.chunk_chars = 60")
    ready.engine.fail_chunks = {1}
    result = run_cell(f"%%extract\n{TEXT}")
    assert [i for i, _ in result.failed_chunks] == [1]
    assert ("heat", "directedBy", "michael_mann") not in facts(ready.session)
    ready.engine.fail_chunks = set()
    retried = run_cell("%hydra retry")
    assert isinstance(retried, ExtractionResult) and not retried.failed_chunks
    assert ("heat", "directedBy", "michael_mann") in facts(ready.session)


def test_graph_opens_the_explorer(ready: Any, run_cell: Any) -> None:
    run_cell(f"%%extract\n{TEXT}")
    view = run_cell("%hydra graph")
    assert type(view).__name__ == "GraphDisplay"  # the explorer widget in a kernel, static SVG when saved
    bundle = view._repr_mimebundle_()
    assert "Alien" in bundle["text/html"] and "text/plain" in bundle


# ----------------------------------------------------------------------------- configuration
def test_config_traits_reach_the_session(ready: Any, run_cell: Any) -> None:
    cfg = ready.session.config
    run_cell("%config HydraMagics.chunk_chars = 500")
    run_cell("%config HydraMagics.max_attempts = 5")
    run_cell("%config HydraMagics.max_input_chars = 1234")
    run_cell('%config HydraMagics.model = "ollama/llama3.1"')
    run_cell('%config HydraMagics.engine_options = {"api_base": "http://127.0.0.1:11434"}')
    assert (cfg.chunk_chars, cfg.retry.max_attempts, cfg.max_input_chars, cfg.engine) == \
        (500, 5, 1234, "ollama/llama3.1")
    assert cfg.engine_options == {"api_base": "http://127.0.0.1:11434"}
    assert ready.session.__dict__.get("_engine") is None  # built on the next cell that needs it, not now
    with pytest.raises(TraitError, match="at least 1"):
        ready.magics.chunk_chars = 0
    with pytest.raises(TraitError, match="not allowed"):
        ready.magics.session_name = "a/b"
    run_cell("%config HydraMagics.chunk_chars = 0")  # %config logs the TraitError and keeps the value
    assert cfg.chunk_chars == ready.magics.chunk_chars == 500


def test_config_session_name_switches_and_settings_win_over_journal(hydra_ext: Any, run_cell: Any,
                                                                    journal_dir: str) -> None:
    stored = Session("films", SessionConfig(journal_dir=journal_dir, chunk_chars=999, engine="openai/x"),
                     engine=FakeEngine())
    stored.add_cqs(CQS)
    run_cell("%config HydraMagics.chunk_chars = 321")
    run_cell('%config HydraMagics.session_name = "films"')
    films = hydra_ext.shell.user_ns["hydra"]
    assert films.name == "films" and films.restored
    assert films.config.chunk_chars == 321  # chosen in this kernel
    # A restored session never switches to a model on its own: it says which one was saved and how to pick it.
    assert films.config.engine == "rules"
    assert "last used with the model 'openai/x'" in films.restored and "HydraMagics.model" in films.restored


def test_journal_dir_empty_means_memory_only(hydra_ext: Any, run_cell: Any, tmp_path: Path) -> None:
    run_cell('%config HydraMagics.journal_dir = ""')
    hydra_ext.magics.sessions.factory = lambda name, cfg: Session(name, cfg, engine=FakeEngine())
    run_cell("%hydra session scratch")
    scratch = hydra_ext.shell.user_ns["hydra"]
    run_cell(f"%%cq\n{CQS}")
    assert scratch.journal is None and not (tmp_path / ".hydra").exists()


# ----------------------------------------------------------------------------- display forms
def test_results_render_text_and_escaped_html(ready: Any, run_cell: Any) -> None:
    result = run_cell("%%extract\n<script>alert(1)</script> Alien was directed by Ridley Scott.")
    bundle = result._repr_mimebundle_()
    assert "directedBy" in bundle["text/plain"]
    assert "<script>alert(1)</script>" not in bundle["text/html"]


def test_status_html_escapes_values() -> None:
    view = StatusView({"session": "<b>x</b>", "journal": "<img src=x onerror=alert(1)>"})
    page = view._repr_mimebundle_()["text/html"]
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_session_lives_in_its_directory(ready: Any) -> None:
    d = ready.session.journal.path
    assert d.name == "default" and (d / "store").is_dir() and (d / "changes.log").is_file()
    assert json.loads((d / "holder.json").read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_hydra_ontology_shows_the_ontology(ready: Any, run_cell: Any) -> None:
    shown = run_cell("%hydra ontology")
    text = shown.to_text()
    assert text.startswith("ontology: ") and "direct" in text
    assert "text/html" in shown._repr_mimebundle_()


def test_backslashes_in_arguments_are_kept_so_windows_paths_survive(ready: Any, run_cell: Any,
                                                                    tmp_path: Path) -> None:
    from hydra_magic.magics import split_args

    assert split_args(r"export C:\data\kg.ttl --force") == ["export", r"C:\data\kg.ttl", "--force"]
    assert split_args(r'export "C:\Program Files\kg.ttl"') == ["export", r"C:\Program Files\kg.ttl"]
    assert split_args("merge Weaver 'Sigourney Weaver'") == ["merge", "Weaver", "Sigourney Weaver"]
    # shlex.split made C:\data\kg.ttl into C:datakg.ttl; here the name reaches the file system intact
    target = tmp_path / "out\\kg.ttl"
    run_cell(f"%hydra export {target}")
    assert target.is_file() and not (tmp_path / "outkg.ttl").exists()
