"""One declaration per setting: traits, SessionConfig, saving/restoring and [tool.hydra] all follow it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from traitlets import TraitError

from hydra_magic.magics import HydraMagics
from hydra_magic.session import Session, SessionConfig
from hydra_magic.settings import SESSION_SETTINGS, SETTINGS, read_project_settings, setting


# ----------------------------------------------------------------------------- one declaration
def test_every_setting_is_a_trait_with_its_declared_default_and_help() -> None:
    traits = HydraMagics.class_traits(config=True)
    assert set(traits) == {s.name for s in SETTINGS}
    for decl in SETTINGS:
        trait = traits[decl.name]
        assert trait.help == decl.help
        if decl.name != "session_name":  # its default is computed from the notebook's name
            assert trait.default() == decl.default, decl.name


def test_every_session_setting_is_a_session_config_value_with_the_same_default() -> None:
    cfg = SessionConfig()
    for decl in SESSION_SETTINGS:
        assert getattr(cfg, decl.name) == decl.default, decl.name
    saved = cfg.to_dict()
    assert {s.name for s in SESSION_SETTINGS if s.saved} <= set(saved)
    assert "engine_options" not in saved  # may hold keys; never written to disk


def test_engine_is_the_former_name_of_model() -> None:
    cfg = SessionConfig(engine="ollama_chat/llama3.1")
    assert cfg.model == "ollama_chat/llama3.1" and cfg.engine == "ollama_chat/llama3.1"
    cfg.engine = "rules"
    assert cfg.model == "rules"
    assert dataclasses.replace(cfg, model="openai/gpt-4o-mini").model == "openai/gpt-4o-mini"
    with pytest.raises(TypeError, match="former name"):
        SessionConfig(model="rules", engine="openai/gpt-4o-mini")


def test_max_attempts_is_the_retry_policys() -> None:
    cfg = SessionConfig()
    cfg.max_attempts = 7
    assert cfg.retry.max_attempts == 7 and cfg.max_attempts == 7


@pytest.mark.parametrize(("name", "value", "words"), [
    ("chunk_chars", 0, "must be at least 1, not 0"),
    ("max_attempts", -1, "must be at least 1"),
    ("sparql_timeout", 0, "must be more than 0 seconds"),
    ("types", "lenient", "must be one of 'default', 'strict'"),
    ("model", "   ", "is empty"),
    ("history_limit", "ten", "must be a whole number"),
])
def test_the_declaration_says_what_is_wrong(name: str, value: Any, words: str) -> None:
    assert words in (setting(name).problem(value) or "")


def test_booleans_are_not_numbers() -> None:
    assert setting("chunk_chars").problem(True) is not None
    assert setting("sparql_timeout").problem(2) is None  # an int is a number of seconds


# ----------------------------------------------------------------------------- the notebook
def test_config_errors_come_from_the_declaration(hydra_ext: Any, run_cell: Any) -> None:
    magics = hydra_ext.magics
    for name, value, words in [("chunk_chars", 0, "HydraMagics.chunk_chars must be at least 1, not 0."),
                               ("sparql_timeout", 0, "HydraMagics.sparql_timeout must be more than 0 seconds"),
                               ("model", "  ", "HydraMagics.model is empty")]:
        with pytest.raises(TraitError) as info:
            setattr(magics, name, value)
        assert words in str(info.value), name
    run_cell("%config HydraMagics.chunk_chars = 0")  # %config logs the TraitError and keeps the value
    assert hydra_ext.session.config.chunk_chars == setting("chunk_chars").default


def test_history_limit_is_a_setting_too(hydra_ext: Any, run_cell: Any) -> None:
    run_cell("%config HydraMagics.history_limit = 5")
    assert hydra_ext.session.config.history_limit == 5


def test_session_configure_refuses_what_the_declaration_refuses(make_session: Any) -> None:
    s = make_session("cfg")
    with pytest.raises(Exception, match="at least 1.*keeps 2000"):
        s.configure("chunk_chars", 0)
    with pytest.raises(Exception, match="Unknown session setting 'chunk_size'"):
        s.configure("chunk_size", 10)
    with pytest.raises(Exception, match="%config HydraMagics.journal_dir"):
        s.configure("journal_dir", "/tmp")
    s.configure("chunk_chars", 300)
    assert s.config.chunk_chars == 300
    s.close()


def test_a_configured_setting_is_saved_and_restored(make_session: Any) -> None:
    s = make_session("kept")
    s.configure("chunk_chars", 321)
    s.configure("sparql_timeout", 5)
    s.close()
    again = make_session("kept")
    assert (again.config.chunk_chars, again.config.sparql_timeout) == (321, 5.0)
    again.close()


def test_a_session_saved_with_the_old_engine_key_names_its_model(make_session: Any) -> None:
    s = make_session("old")
    old_form = {k: v for k, v in s.config.to_dict().items() if k != "model"}
    s._save(config={**old_form, "engine": "openai/gpt-4o-mini"})
    s.close()
    again = make_session("old")
    assert again.config.model == "rules"  # never switched on its own
    assert "last used with the model 'openai/gpt-4o-mini'" in again.restored
    again.close()


# ----------------------------------------------------------------------------- [tool.hydra]
PYPROJECT = """
[project]
name = "my-study"

[tool.hydra]
chunk_chars = 4000
model = "rules"
sparql_timeout = 12
journal_dir = "kg/journals"
colour = "blue"
max_attempts = 0
"""


def test_project_settings_are_read_checked_and_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    nested = tmp_path / "notebooks" / "week1"
    nested.mkdir(parents=True)
    project = read_project_settings(nested)
    assert project.path == tmp_path / "pyproject.toml"
    assert project.values == {"chunk_chars": 4000, "model": "rules", "sparql_timeout": 12.0,
                              "journal_dir": str(tmp_path / "kg" / "journals")}
    notes = " ".join(project.notes or [])
    assert "unknown setting 'colour'" in notes and "known: model" in notes
    assert "max_attempts must be at least 1, not 0; it is ignored" in notes


def test_an_unreadable_pyproject_is_named_and_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.hydra\nchunk_chars = 1")
    project = read_project_settings(tmp_path)
    assert project.values == {}
    assert str(tmp_path / "pyproject.toml") in (project.notes or [""])[0]


def test_no_pyproject_means_no_project_settings(tmp_path: Path) -> None:
    project = read_project_settings(tmp_path)
    assert project.path is None and project.values == {} and project.notes == []


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A pyproject.toml with [tool.hydra] in the directory the hydra_ext fixture makes the working one."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    return tmp_path


def test_load_ext_takes_project_settings_and_says_so(project: Path, hydra_ext: Any, run_cell: Any) -> None:
    magics = hydra_ext.magics
    assert magics.chunk_chars == 4000 and magics.sparql_timeout == 12.0
    assert hydra_ext.session.config.chunk_chars == 4000
    assert magics.journal_dir != str(project / "kg" / "journals")  # %config (the fixture's) wins
    notes = " ".join(magics.project_notes)
    assert "Settings from [tool.hydra] in" in notes and "chunk_chars=4000" in notes
    assert "unknown setting 'colour'" in notes
    run_cell("%config HydraMagics.chunk_chars = 900")  # and %config wins later too
    assert hydra_ext.session.config.chunk_chars == 900


def test_a_restored_session_keeps_its_saved_value_over_the_project_default(project: Path, hydra_ext: Any,
                                                                           journal_dir: str) -> None:
    saved = Session("study", SessionConfig(journal_dir=journal_dir))
    saved.configure("chunk_chars", 777)
    saved.close()
    session, created = hydra_ext.magics.open_session("study", activate=False)
    assert created and session.config.chunk_chars == 777
    session.close()


@pytest.fixture()
def broken_project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.hydra]\nchunk_chars = 'many'\n[tool.hydra\n")
    return tmp_path


def test_a_broken_pyproject_does_not_stop_load_ext(broken_project: Path, hydra_ext: Any) -> None:
    assert hydra_ext.magics.chunk_chars == setting("chunk_chars").default
    assert any("could not be read" in n for n in hydra_ext.magics.project_notes)  # %load_ext prints them
