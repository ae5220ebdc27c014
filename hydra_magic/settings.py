"""Every user setting, declared once.

A :class:`Setting` names its default, its help, and what a valid value is. From this one
table come the ``%config HydraMagics.<name>`` traits, the fields
:class:`~hydra_magic.session.SessionConfig` saves and restores, how a change reaches an open
session (:meth:`~hydra_magic.session.Session.configure`), and the keys a project may set in
``[tool.hydra]`` of its ``pyproject.toml``::

    [tool.hydra]
    model = "openai/gpt-4o-mini"
    chunk_chars = 4000
    journal_dir = ".hydra"     # relative to the pyproject.toml

Adding a setting is one entry here, one line ``name = trait("name")`` in the magics (a test
fails when it is missing), and the use of ``session.config.<name>`` where it matters.
Precedence, lowest first: the default here, ``[tool.hydra]``, a restored session's saved value
(only for :attr:`Setting.restored` ones, and never the model), ``%config`` in the kernel.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["Setting", "SETTINGS", "SESSION_SETTINGS", "setting", "ProjectSettings", "read_project_settings"]


@dataclass(frozen=True)
class Setting:
    """One user setting."""

    name: str
    default: Any
    help: str
    #: ``str``, ``int``, ``float`` or ``dict``; a setting with :attr:`choices` is a ``str`` among them.
    kind: type = str
    choices: tuple[str, ...] = ()
    #: The smallest value allowed (numbers); with :attr:`above`, values must be greater than it.
    minimum: float | None = None
    above: bool = False
    #: "session": a field of SessionConfig, pushed into open sessions when it changes;
    #: "kernel": read when a session is opened (where journals live, which session is active).
    scope: Literal["session", "kernel"] = "session"
    #: Read back from a saved session (validated; the model never is, see Session._restore_config).
    restored: bool = False
    #: Written with the session's state (False for what may hold secrets, e.g. engine options).
    saved: bool = True

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not valid for this setting (a phrase after the name), or ``None``."""
        kind = self.kind
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind) and not isinstance(value, bool)
        if not ok:
            return f"must be {_KIND_WORDS[kind]}, not {value!r}"
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(repr(c) for c in self.choices)}, not {value!r}"
        if self.minimum is not None:
            if self.above and not value > self.minimum:
                unit = " seconds" if self.name.endswith("timeout") else ""
                return f"must be more than {self.minimum:g}{unit}, not {value!r}"
            if not self.above and value < self.minimum:
                return f"must be at least {self.minimum:g}, not {value!r}"
        if kind is str and self.name == "model" and not value.strip():
            return "is empty: give 'rules' or a litellm model string"
        return None

    def clean(self, value: Any) -> Any:
        """``value`` as the session keeps it (numbers as their kind, the model stripped)."""
        if self.kind is float:
            return float(value)
        if self.name == "model":
            return value.strip()
        return value


_KIND_WORDS = {str: "a string", int: "a whole number", float: "a number", dict: "a table of options"}

SETTINGS: tuple[Setting, ...] = (
    Setting("model", "rules",
            "The model the session uses: 'rules' (offline, deterministic) or any litellm model string, e.g. "
            "'openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5', 'ollama_chat/llama3.1'."),
    Setting("engine_options", {},
            "Keyword arguments of the model engine, e.g. {'api_base': 'http://localhost:11434'} for Ollama or "
            "an OpenAI-compatible server, {'temperature': 0, 'timeout': 60}. Keep API keys in environment "
            "variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, HYDRA_API_KEY), not in notebooks.",
            kind=dict, saved=False),
    Setting("max_input_chars", 2_000_000, "Longest text %%extract accepts, in characters.",
            kind=int, minimum=1, restored=True),
    Setting("chunk_chars", 2000, "Texts are extracted in chunks of whole sentences of about this many characters.",
            kind=int, minimum=1, restored=True),
    Setting("max_attempts", 3,
            "Tries per chunk or CQ batch, the first included; only rejected candidates are retried.",
            kind=int, minimum=1),
    Setting("max_epochs", 3,
            "Readings of each chunk by a model engine (HyDRA's gleaning epochs): every later reading asks only "
            "for facts not found yet, and reading stops at the first in which no new fact passes the "
            "contracts. 1: read each chunk once. The offline engine always reads once.", kind=int, minimum=1),
    Setting("history_limit", 50, "How many changes %hydra undo can revert.", kind=int, minimum=1, restored=True),
    Setting("types", "default",
            "'default': facts that rest on a type inferred from a relation (not stated in the text) are kept, "
            "flagged 'type_inferred' and counted apart; 'strict': they are rejected (untyped_entity).",
            choices=("default", "strict"), restored=True),
    Setting("sparql_timeout", 30.0,
            "Seconds a SPARQL query (%%sparql, CQ tests) may run before it is stopped; %%sparql --timeout "
            "overrides it for one cell.", kind=float, minimum=0, above=True, restored=True),
    Setting("journal_dir", ".hydra",
            "Directory of the session journals (relative to the notebook; in [tool.hydra], to the "
            "pyproject.toml). Empty: keep sessions in memory only. Applies to sessions opened afterwards.",
            scope="kernel"),
    Setting("store", "",
            "A SPARQL 1.1 server to keep sessions on instead of journal_dir: sparql+http://HOST:PORT/PATH "
            "(one endpoint), sparql+http://HOST:PORT/query?update=/update, or oxigraph+http://HOST:PORT. "
            "Credentials come from HYDRA_STORE_USER and HYDRA_STORE_PASSWORD. Empty: journal_dir. Applies to "
            "sessions opened afterwards.", scope="kernel"),
    Setting("session_name", "default",
            "The session %load_ext opens; setting it switches to that session. Defaults to the notebook's file "
            "name made a valid session name ('analysis' for analysis.ipynb, from JPY_SESSION_NAME, which "
            "Jupyter Server sets), so two notebooks in one folder do not share a session; 'default' outside "
            "Jupyter Server or when the file name has no usable characters.", scope="kernel"),
)

_BY_NAME = {s.name: s for s in SETTINGS}
#: The settings that are fields of SessionConfig and reach open sessions when they change.
SESSION_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.scope == "session")


def setting(name: str) -> Setting:
    """The declaration of setting ``name`` (``KeyError`` for an unknown one)."""
    return _BY_NAME[name]


@dataclass
class ProjectSettings:
    """What ``[tool.hydra]`` of a project's ``pyproject.toml`` sets."""

    path: Path | None = None
    values: dict[str, Any] | None = None
    #: One sentence per key that was ignored, and why.
    notes: list[str] | None = None


def find_pyproject(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (default: the working directory)."""
    here = Path(start or os.getcwd()).resolve()
    for d in (here, *here.parents):
        candidate = d / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_project_settings(start: str | os.PathLike[str] | None = None) -> ProjectSettings:
    """The valid settings in ``[tool.hydra]`` of the nearest ``pyproject.toml``; the rest named in ``notes``.

    An unreadable file or an invalid value never stops a kernel from starting: it is ignored with a
    note that names the file, the key and the next step.
    """
    import tomllib

    path = find_pyproject(start)
    out = ProjectSettings(path=path, values={}, notes=[])
    assert out.values is not None and out.notes is not None
    if path is None:
        return out
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        out.notes.append(f"{path} could not be read ({exc}); its [tool.hydra] settings are ignored. Fix the file "
                         "or set them with %config HydraMagics.<name>.")
        return out
    table = data.get("tool", {}).get("hydra", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(table, dict):
        out.notes.append(f"[tool.hydra] in {path} is not a table; it is ignored.")
        return out
    for key, value in table.items():
        decl = _BY_NAME.get(key)
        if decl is None:
            known = ", ".join(s.name for s in SETTINGS)
            out.notes.append(f"[tool.hydra] in {path}: unknown setting {key!r} is ignored (known: {known}).")
            continue
        problem = decl.problem(value)
        if problem is not None:
            out.notes.append(f"[tool.hydra] in {path}: {key} {problem}; it is ignored (default "
                             f"{decl.default!r}).")
            continue
        value = decl.clean(value)
        if key == "journal_dir" and value and not os.path.isabs(os.path.expanduser(value)):
            value = str(path.parent / value)  # relative to the project, wherever the notebook sits in it
        out.values[key] = value
    return out
