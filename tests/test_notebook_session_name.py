"""Each notebook's kernel opens a session named after the notebook, so two notebooks do not share one."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from hydra_magic.extension import find_magics, load_ipython_extension, unload_ipython_extension
from hydra_magic.journal import valid_session_name
from hydra_magic.kernel_sessions import notebook_session_name


def name_of(value: str) -> str:
    return notebook_session_name({"JPY_SESSION_NAME": value})


@pytest.mark.parametrize(("path", "expected"), [
    ("analysis.ipynb", "analysis"),
    ("work/Films Analysis.ipynb", "Films-Analysis"),
    ("/home/me/project/work/films.ipynb", "films"),  # the server joins the kernel's cwd and the name
    ("C:\\Users\\me\\Films.ipynb", "Films"),
    ("Ünïcodé—Café.ipynb", "Unicode-Cafe"),  # accents dropped, not the letters
    ("a..b.ipynb", "a.b"),
    ("report.v2.ipynb", "report.v2"),
    ("Console 1", "Console-1"),  # JupyterLab consoles have no suffix
    ("名前.ipynb", "default"),  # nothing usable left
    ("-_-.ipynb", "default"),
    ("..", "default"),
    ("", "default"),
    ("  ", "default"),
])
def test_notebook_session_name(path: str, expected: str) -> None:
    assert name_of(path) == expected


def test_unset_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert notebook_session_name({}) == "default"
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert notebook_session_name() == "default"
    monkeypatch.setenv("JPY_SESSION_NAME", "from/env.ipynb")
    assert notebook_session_name() == "env"


@pytest.mark.parametrize("path", ["ünïcode 名前.ipynb", ".hidden.ipynb", "a" * 200 + ".ipynb",
                                  "x" * 63 + "..ipynb", "-" * 70 + "b" * 70 + ".ipynb", "é" * 100 + ".ipynb",
                                  "a b c/.ipynb", "1 + 1 = 2?.ipynb"])
def test_always_a_valid_name(path: str) -> None:
    name = name_of(path)
    assert valid_session_name(name) and len(name) <= 64, name
    assert name != "default" or path.startswith("名")


def test_particular_shapes() -> None:
    assert name_of("ünïcode 名前.ipynb") == "unicode"
    assert name_of(".hidden.ipynb") == "hidden"
    assert name_of("a" * 200 + ".ipynb") == "a" * 64


# ----------------------------------------------------------------------------- in the shell
@pytest.fixture()
def shell(ipython: Any, journal_dir: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The test shell with its own HydraMagics config (journals under tmp_path); all undone after."""
    monkeypatch.chdir(tmp_path)
    saved = dict.get(ipython.config, "HydraMagics")
    ipython.config.HydraMagics = type(ipython.config)()
    ipython.config.HydraMagics.journal_dir = journal_dir
    user_ns_before = set(ipython.user_ns)
    try:
        yield ipython
    finally:
        magics = find_magics(ipython)
        unload_ipython_extension(ipython)
        for session in list(magics.sessions) if magics is not None else []:
            close = getattr(session, "close", None)
            if callable(close):  # let go of the session's store (and lock) for the next test
                close()
        for name in set(ipython.user_ns) - user_ns_before:
            ipython.user_ns.pop(name, None)
        # Not monkeypatch.setitem: %config replaces shell.config with a merged copy, so restore on the current one.
        if saved is None:
            ipython.config.pop("HydraMagics", None)
        else:
            ipython.config.HydraMagics = saved


def test_load_ext_opens_the_notebooks_session(shell: Any, run_cell: Any, monkeypatch: pytest.MonkeyPatch,
                                              capsys: Any) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "work/Films Analysis.ipynb")
    load_ipython_extension(shell)
    assert shell.user_ns["hydra"].name == "Films-Analysis"
    assert find_magics(shell).session_name == "Films-Analysis"
    assert "new session 'Films-Analysis'" in capsys.readouterr().out
    run_cell("%hydra session other")  # switching by hand still works
    assert shell.user_ns["hydra"].name == "other"
    run_cell('%config HydraMagics.session_name = "films"')
    assert shell.user_ns["hydra"].name == "films"


def test_configured_session_name_wins_over_the_notebook(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "analysis.ipynb")
    shell.config.HydraMagics.session_name = "chosen"
    load_ipython_extension(shell)
    assert shell.user_ns["hydra"].name == "chosen"


def test_without_jupyter_server_the_session_is_default(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    load_ipython_extension(shell)
    assert shell.user_ns["hydra"].name == "default"
