"""The notebook surface: ``%%cq``, ``%%extract``, ``%hydra``, ``%%sparql``, ``%%ontology``, ``%%rules``, ``%%shacl``.

Every magic is a thin shell over one :class:`~hydra_magic.session.Session`
method. Errors a user can cause (:class:`~hydra_magic.errors.HydraError`, a
missing file, a bad argument) become :class:`~IPython.core.error.UsageError`
with the same message, so the notebook shows one short line instead of a
traceback.

Settings are traitlets on :class:`HydraMagics`::

    %config HydraMagics.model = "openai/gpt-4o-mini"
    %config HydraMagics.chunk_chars = 4000
"""

from __future__ import annotations

import difflib
import os
import shlex
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import MagicArgumentParser, argument, magic_arguments
from traitlets import Dict, Enum, Float, Int, TraitError, TraitType, Unicode, default, observe, validate

from .outputs import Progress as _Progress
from .outputs import SparqlResult, StatusView, sparql_result
from .errors import HydraError
from .settings import SESSION_SETTINGS, SETTINGS, setting
from .kernel_sessions import USER_VARIABLE, SessionRegistry, default_session_factory, notebook_session_name
from .wording import count

if TYPE_CHECKING:
    from .session import Session, SessionConfig

__all__ = ["HydraMagics", "SparqlResult", "StatusView", "SUBCOMMANDS"]

#: ``%hydra`` subcommands: name -> (usage, one-line help).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "status": ("%hydra status", "what the session holds: CQs, classes, properties, facts, model, journal"),
    "model": ("%hydra model [NAME] [--no-cache]", "show the model, or use NAME ('rules' offline, or a litellm model "
              "string); --no-cache: always ask the model, never its cached replies"),
    "verify": ("%hydra verify [--full]", "check the whole graph: contracts, SHACL, value rules, CQ tests"),
    "undo": ("%hydra undo", "revert the last change (CQs, ontology, extraction, accept, remove, reset)"),
    "reset": ("%hydra reset", "clear ontology, knowledge graph and CQs (undo brings them back)"),
    "export": ("%hydra export PATH [--format F] [--what all|ontology|kg] [--verified] [--force]",
               "write the ontology and/or KG (turtle, trig, json-ld, ntriples, nquads); --verified: "
               "leave out facts on inferred types; --force: replace an existing file"),
    "import": ("%hydra import PATH [--format trig|nquads]",
               "read back a TriG/N-Quads export: facts per source with their evidence, flags and user "
               "decisions, and its ontology (one change; undo removes it)"),
    "load-ontology": ("%hydra load-ontology PATH [--format F]",
                      "import an ontology file (Turtle, OWL/RDF-XML, N-Triples, Text2KGBench JSON)"),
    "sessions": ("%hydra sessions", "list the sessions in the journal directory and which one is active"),
    "session": ("%hydra session NAME", "switch to session NAME (restored from its journal, or new)"),
    "store": ("%hydra store [URL|local]",
              "show where the session lives, or reopen it on a SPARQL server (sparql+http://HOST:PORT/PATH, "
              "oxigraph+http://HOST:PORT; credentials from HYDRA_STORE_USER/HYDRA_STORE_PASSWORD) or back in "
              "journal_dir ('local'); the session there is restored, or new"),
    "ask": ('%hydra ask "QUESTION?"', "answer a question from the graph: the answers, the facts and sentences "
            "behind each, and the SPARQL that found them (or why the graph cannot answer); quote it, since "
            "IPython reads a line ending in '?' as a help request"),
    "graph": ("%hydra graph", "open the graph explorer of the knowledge graph"),
    "ontology": ("%hydra ontology", "show the ontology: class tree, properties, and each CQ's status"),
    "retry": ("%hydra retry", "re-run the chunks of the last extraction that failed (network, rate limit)"),
    "accept": ("%hydra accept [N]", "accept anyway the N-th rejected triple of the last extraction (no N: list)"),
    "remove": ("%hydra remove [N]", "remove the N-th fact of the last extraction from the graph (no N: list)"),
    "merge": ("%hydra merge NAME [into] OTHER [--force]",
              "merge entity NAME into OTHER (two names of one thing): its facts move, its name stays as an "
              "alternative label; names or labels, any case; undoable"),
    "weave": ("%hydra weave [apply [N,M]] [--model M] [--rounds R]",
              "propose how to join the ontology's isolated class clusters (HyDRA's weaver: merge, bridge, prune), "
              "shown as a diff; 'apply' applies all proposed operations, or only numbers N,M (undoable)"),
    "help": ("%hydra help", "this list"),
}


@contextmanager
def _user_errors() -> Iterator[None]:
    """HydraError / unreadable or malformed file -> UsageError.

    Whatever a user's file can cause (missing, a directory, no permission, not
    UTF-8, nested too deeply) gets one line naming the file and the next step,
    the same wording as the ``hydra`` command line.
    """
    try:
        yield
    except UsageError:
        raise
    except HydraError as exc:
        raise UsageError(str(exc)) from exc
    except (OSError, RecursionError, UnicodeError) as exc:
        from .cli import user_message

        raise UsageError(user_message(exc)) from exc


def split_args(line: str) -> list[str]:
    """Split a magic's line into words with shell quoting (``--domain "film history"``).

    Unlike ``shlex.split``, a backslash is kept as it is: ``C:\\data\\kg.ttl`` stays a Windows path
    instead of becoming ``C:datakg.ttl``. Quotes still group words.
    """
    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.escape = ""
    lex.commenters = ""
    return list(lex)


def _parse(func: Any, line: str) -> Any:
    """Parse a magic's line with shell quoting (``--domain "film history"``)."""
    try:
        argv = split_args(line)
    except ValueError as exc:
        raise UsageError(f"Cannot read the arguments {line!r}: {exc}. Close the quotes.") from exc
    return func.parser.parse_args(argv)


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.5)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def trait(name: str) -> Any:
    """The ``%config``-able trait of setting ``name``, made from its declaration in :mod:`hydra_magic.settings`."""
    decl = setting(name)
    kinds: dict[type, type[TraitType[Any, Any]]] = {str: Unicode, int: Int, float: Float}
    made: TraitType[Any, Any]
    if decl.choices:
        made = Enum(decl.choices, decl.default, help=decl.help)
    elif decl.kind is dict:
        made = Dict(help=decl.help)
    else:
        made = kinds[decl.kind](decl.default, help=decl.help)
    return made.tag(config=True)


# --------------------------------------------------------------------------- magics
@magics_class
class HydraMagics(Magics):
    """HyDRA in notebooks: CQs grow an ontology, text becomes verified triples."""

    # Each trait comes from its one declaration in hydra_magic.settings (default, help, what is valid).
    model = trait("model")
    engine_options = trait("engine_options")
    max_input_chars = trait("max_input_chars")
    chunk_chars = trait("chunk_chars")
    max_attempts = trait("max_attempts")
    max_epochs = trait("max_epochs")
    history_limit = trait("history_limit")
    types = trait("types")
    sparql_timeout = trait("sparql_timeout")
    journal_dir = trait("journal_dir")
    store = trait("store")
    session_name = trait("session_name")

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        # Set before traitlets load the config: the observers below look at them.
        self.sessions = SessionRegistry(default_session_factory)
        self._explicit: set[str] = set()
        self._hydra_loaded = False
        self._hydra_replaced: dict[str, dict[str, Any]] = {}
        self._hydra_user_var: Any = None
        super().__init__(shell=shell, **kwargs)
        self._explicit |= set(self.config.get(type(self).__name__, {}).keys()) & set(self.trait_names(config=True))
        #: What [tool.hydra] of the project's pyproject.toml set, and notes on what it could not.
        self.project_notes: list[str] = []
        self._read_project_settings()

    def _read_project_settings(self) -> None:
        """Take [tool.hydra] of the nearest pyproject.toml as this kernel's defaults.

        ``%config`` (and IPython's config files) win over it; a restored session's saved settings
        too, since they are what the user chose for that session.
        """
        from .settings import read_project_settings

        project = read_project_settings()
        self.project_notes = list(project.notes or [])
        taken = {k: v for k, v in (project.values or {}).items() if k not in self._explicit}
        self._loading_project = True
        try:
            for name, value in taken.items():
                setattr(self, name, value)
        finally:
            self._loading_project = False
        if taken:
            shown = ", ".join(f"{k}={v!r}" for k, v in taken.items() if k != "engine_options")
            if "engine_options" in taken:
                shown += (", " if shown else "") + f"engine_options ({', '.join(sorted(taken['engine_options']))})"
            self.project_notes.insert(0, f"Settings from [tool.hydra] in {project.path}: {shown}.")

    # ------------------------------------------------------------- settings
    @validate(*(s.name for s in SETTINGS if s.name != "session_name"))
    def _valid_setting(self, proposal: Any) -> Any:
        decl = setting(proposal["trait"].name)
        problem = decl.problem(proposal["value"])
        if problem is not None:
            raise TraitError(f"HydraMagics.{decl.name} {problem}.")
        return decl.clean(proposal["value"])

    @default("session_name")
    def _notebook_session_name(self) -> str:
        # Read when first asked (at %load_ext), and only if no config or %config set a name.
        return notebook_session_name()

    @validate("session_name")
    def _valid_name(self, proposal: Any) -> str:
        from .journal import valid_session_name

        if not valid_session_name(proposal["value"]):
            raise TraitError(f"Session name {proposal['value']!r} is not allowed: use letters, digits, "
                             "'_', '-' or '.', starting with a letter or digit.")
        return proposal["value"]

    @observe(*(s.name for s in SETTINGS))
    def _setting_changed(self, change: Any) -> None:
        name = change["name"]
        if getattr(self, "_loading_project", False):
            return  # a project default: sessions get it through session_config(), below their saved values
        self._explicit.add(name)
        if not self._hydra_loaded:
            return
        if name == "session_name":
            self._switch(change["new"])
            return
        for session in self.sessions:
            self._apply(session, {name})

    def session_config(self) -> "SessionConfig":
        """A :class:`~hydra_magic.session.SessionConfig` from the current settings."""
        from .session import SessionConfig

        # Resolved now: a later %cd must not move the journal of an open session.
        journal_dir = os.path.abspath(os.path.expanduser(self.journal_dir)) if self.journal_dir else None
        cfg = SessionConfig(journal_dir=journal_dir, store=self.store)
        for decl in SESSION_SETTINGS:
            value = getattr(self, decl.name)
            setattr(cfg, decl.name, dict(value) if isinstance(value, dict) else value)
        return cfg

    def _apply(self, session: "Session", names: set[str]) -> None:
        """Push the named settings into ``session`` (a restored journal keeps the rest)."""
        for decl in SESSION_SETTINGS:
            if decl.name in names:
                session.configure(decl.name, getattr(self, decl.name))

    def open_session(self, name: str, *, activate: bool = True) -> tuple["Session", bool]:
        """Open (or restore) session ``name`` with the current settings; returns it and whether it is new here."""
        with _user_errors():
            session, created = self.sessions.open(name, self.session_config(), activate=activate)
            if created:
                # Settings the user chose in this kernel win over those restored from the journal.
                self._apply(session, self._explicit)
        return session, created

    def describe_open(self, session: "Session", created: bool) -> str:
        if not created:
            return (f"Switched to session {session.name!r} "
                    f"({count(len(session.cqs), 'CQ')}, {count(len(session.kg), 'fact')}).")
        where = f"journal {session.journal.path}" if session.journal else "in memory only"
        if session.restored:
            return f"{session.restored} It is the variable `{USER_VARIABLE}`."
        return (f"hydra_magic: new session {session.name!r} ({where}); it is the variable `{USER_VARIABLE}`. "
                "%hydra help lists the commands.")

    def _switch(self, name: str) -> "Session":
        session, created = self.open_session(name)
        if self.shell is not None:
            self.shell.user_ns[USER_VARIABLE] = session
        print(self.describe_open(session, created))
        return session

    def _session(self, name: str | None = None) -> "Session":
        if name:
            return self.open_session(name, activate=False)[0]
        with _user_errors():
            return self.sessions.active

    # ------------------------------------------------------------- helpers
    def _cell_id(self) -> str | None:
        """The front end's cell id (JupyterLab / Notebook 7 send ``cellId`` in the request metadata)."""
        kernel = getattr(self.shell, "kernel", None)
        if kernel is None:
            return None
        parent: Any = None
        get_parent = getattr(kernel, "get_parent", None)
        if callable(get_parent):
            try:
                parent = get_parent()
            except (AttributeError, LookupError, RuntimeError):  # older ipykernels: use the shell's header
                parent = None
        if not parent:
            parent = getattr(self.shell, "parent_header", None)
        meta = (parent or {}).get("metadata") or {}
        cell_id = meta.get("cellId") if isinstance(meta, dict) else None
        return f"cell-{cell_id}" if isinstance(cell_id, str) and cell_id else None

    def _text_from(self, var: str) -> str | list[str]:
        ns = self.shell.user_ns if self.shell is not None else {}
        if var not in ns:
            names = [k for k in ns if not k.startswith("_")]
            raise UsageError(f"--from {var}: there is no variable {var!r}.{_did_you_mean(var, names)} "
                             "Give a variable holding a string, a list of strings or a file path.")
        value = ns[var]
        if isinstance(value, os.PathLike):
            return _read_file(Path(value), var)
        if isinstance(value, str):
            candidate = value.strip()
            if candidate and "\n" not in candidate and len(candidate) < 4096:
                p = Path(candidate).expanduser()
                if p.is_file():
                    return _read_file(p, var)
                if not any(ch.isspace() for ch in candidate) and (
                        os.sep in candidate or p.suffix.lower() in (".txt", ".md", ".text", ".html", ".rst")):
                    raise UsageError(f"--from {var}: {var} holds {candidate!r}, which looks like a file path, "
                                     f"but there is no such file (working directory {os.getcwd()}). "
                                     "Fix the path, or put the text itself in the variable.")
            return value
        if isinstance(value, (list, tuple)):
            bad = [type(x).__name__ for x in value if not isinstance(x, str)]
            if bad:
                raise UsageError(f"--from {var}: the list holds {bad[0]} items; it must hold only strings.")
            return list(value)
        raise UsageError(f"--from {var}: {var} is a {type(value).__name__}; give a string, a list of "
                         "strings or a file path (str or pathlib.Path).")

    # ------------------------------------------------------------------ %%cq
    @magic_arguments()
    @argument("--session", metavar="NAME", help="the session to use (default: the active one)")
    @argument("--model", metavar="M", help="model for this cell only ('rules' or a litellm model string)")
    @argument("--generate", action="store_true",
              help="let a model write the CQs and the ontology for --domain (HyDRA's persona committee, "
                   "scope, CQs, de-duplication, ontology, weaver)")
    @argument("--domain", metavar="TEXT", help="the domain to generate CQs for (with --generate)")
    @argument("--stop-after", metavar="STEP",
              help="with --generate: stop after committee, scopes, scope, cqs, dedupe, ontology or weave "
                   "(default: dedupe for a new generation, nothing applied; weave with --continue)")
    @argument("--continue", dest="resume", action="store_true",
              help="with --generate: go on with the session's generation (hydra.generation), edits included")
    @argument("--groups", metavar="N", type=int, help="with --generate: stakeholder groups to ask for "
                                                       "(default: an exhaustive list, as HyDRA)")
    @argument("--personas-per-priority", metavar="H,M,L",
              help="with --generate: personas per high, medium and low priority group (default 3,2,1)")
    @argument("--panel-size", metavar="N", type=int,
              help="with --generate: personas per scope document and CQ call (default 4)")
    @argument("--cqs-per-panel", metavar="N", type=int,
              help="with --generate: questions per panel (default: as many as required)")
    @argument("--seed", metavar="N", type=int, help="with --generate: seed of the panel shuffle (default 42)")
    @line_cell_magic
    def cq(self, line: str, cell: str | None = None) -> Any:
        """Grow the ontology from competency questions, one per line.

        Blank lines and ``#`` comments are ignored. A question may pin expected
        answers (``Who directed Alien? => ridley_scott``) or be followed by an
        indented ``sparql:`` block. Every proposed class and property passes
        the ontology contracts; the cell shows what was added and what was
        rejected, and why.

        Example::

            %%cq
            Which films did a director direct?
            In which year was a film released?

        The line form runs HyDRA's generation pipeline with a model (persona
        committee, scope documents, CQs, de-duplication, ontology, weaver).
        It stops after the de-duplicated CQs and shows every product; edit any
        of them (``hydra.generation.cqs([...])``) and go on with ``--continue``,
        which applies the ontology (one undoable change) and shows the weaver's
        proposals (``%hydra weave apply`` applies them)::

            %cq --generate --domain "film history" --model openai/gpt-4o-mini
            %cq --generate --continue
        """
        if cell is None and not line.strip().startswith("-"):
            raise UsageError("%cq needs the questions in a cell body: start the cell with %%cq and write one "
                             "question per line (or use %cq --generate --domain \"...\").")
        args = _parse(self.cq, line)
        session = self._session(args.session)
        options = {k: getattr(args, k) for k in ("groups", "personas_per_priority", "panel_size", "cqs_per_panel",
                                                  "seed") if getattr(args, k) is not None}
        if (args.domain or args.resume or options) and not args.generate:
            raise UsageError("--domain is used with --generate (so are --continue and the generation options): "
                             "%cq --generate --domain \"film history\".")
        if args.generate:
            if not args.resume and (not args.domain or not args.domain.strip()):
                raise UsageError("--generate needs --domain, e.g. %cq --generate --domain \"film history\" "
                                 "(or --continue to go on with the session's generation).")
            if cell is not None and cell.strip():
                raise UsageError("With --generate the model writes the questions: use the line form "
                                 "%cq --generate --domain \"...\", or drop --generate to add the questions "
                                 "in this cell.")
            with _user_errors():
                from . import generate  # deferred: the LLM pipeline is optional

                if args.resume:
                    options["resume"] = True
                if args.stop_after:
                    options["stop_after"] = args.stop_after
                return generate.run_generation(session, (args.domain or "").strip(), model=args.model, **options)
        if cell is None:
            raise UsageError("%cq needs the questions in a cell body: start the cell with %%cq and write one "
                             "question per line (or use %cq --generate --domain \"...\").")
        with _user_errors():
            return session.add_cqs(cell, engine=args.model)

    # -------------------------------------------------------------- %%extract
    @magic_arguments()
    @argument("--source", metavar="ID", help="source id of the text (default: the notebook cell's id, "
                                              "else a hash of the text); re-running replaces its facts")
    @argument("--model", metavar="M", help="model for this cell only ('rules' or a litellm model string)")
    @argument("--from", dest="from_var", metavar="VAR",
              help="take the text from variable VAR: a string, a list of strings, or a file path")
    @argument("--session", metavar="NAME", help="the session to use (default: the active one)")
    @line_cell_magic
    def extract(self, line: str, cell: str | None = None) -> Any:
        """Extract triples from text against the session ontology and verify each one.

        The text is the cell body, or ``--from VAR``. Accepted triples enter
        the knowledge graph with their evidence (cell, sentence, character
        spans); rejected ones are shown with the rule that rejected them.
        Running the cell again replaces the facts it added before. Interrupting
        (Kernel > Interrupt) leaves the session unchanged.

        Example::

            %%extract
            Alien is a 1979 film directed by Ridley Scott.

        The line form reads a variable: ``%extract --from chapter``.
        """
        args = _parse(self.extract, line)
        session = self._session(args.session)
        if cell is None and not args.from_var:
            raise UsageError("%extract needs --from VAR (a string, a list of strings or a file path), "
                             "or use the cell form: %%extract with the text in the cell body.")
        text: str | list[str] = cell or ""
        if args.from_var:
            if cell and cell.strip():
                raise UsageError("Give the text either in the cell or with --from VAR, not both. "
                                 "Empty the cell to use --from.")
            with _user_errors():
                text = self._text_from(args.from_var)
        source = args.source or self._cell_id()
        joined = text if isinstance(text, str) else "\n\n".join(text)
        from .pipeline import chunk_text

        total = len(chunk_text(joined, source or "", session.config.chunk_chars)) if joined.strip() else 0
        progress = _Progress(self.shell, total)
        try:
            with _user_errors():
                return session.extract(text, source=source, engine=args.model, on_progress=progress)
        except KeyboardInterrupt:
            progress.close()
            print(f"Interrupted: nothing from this cell was added; session {session.name!r} is unchanged.",
                  file=sys.stderr)
            raise
        finally:
            progress.close()

    # --------------------------------------------------------------- %%sparql
    @magic_arguments()
    @argument("--out", metavar="VAR", help="store the rows (a list of dicts of Python values) in VAR")
    @argument("--verified", action="store_true",
              help="answer from verified facts only (leave out facts flagged type_inferred)")
    @argument("--session", metavar="NAME", help="the session to query (default: the active one)")
    @argument("--timeout", metavar="SECONDS", type=float,
              help="stop the query after this many seconds (default: %%config HydraMagics.sparql_timeout, 30)")
    @argument("--service", action="store_true",
              help="let SERVICE call remote SPARQL endpoints (off by default: the call sends the query out of "
                   "this machine); the deadline applies to them too")
    @cell_magic
    def sparql(self, line: str, cell: str) -> Any:
        """Run SPARQL over the ontology and the knowledge graph.

        Prefixes ``onto:`` (ontology), ``ent:`` (entities), ``rdf rdfs owl xsd
        prov`` are predeclared. SELECT shows a table, ASK a yes/no,
        CONSTRUCT/DESCRIBE the triples. Queries only read: updates are refused.
        A query is stopped at its deadline (``--timeout``) or by interrupting
        the kernel, and the session is left as it was.

        Example::

            %%sparql --out rows
            SELECT ?film ?year WHERE { ?film onto:releaseYear ?year }
        """
        args = _parse(self.sparql, line)
        if args.out and not args.out.isidentifier():
            raise UsageError(f"--out {args.out}: not a valid Python variable name.")
        session = self._session(args.session)
        from .sparql_policy import QueryPolicy

        timeout = args.timeout if args.timeout is not None else session.config.sparql_timeout
        with _user_errors():
            policy = QueryPolicy(timeout=timeout, allow_service=args.service, caller="%%sparql",
                                 service_option="%%sparql --service",
                                 timeout_option="%%sparql --timeout SECONDS or %config HydraMagics.sparql_timeout")
            try:
                raw = session.query(cell, verified_only=args.verified, policy=policy)
            except KeyboardInterrupt:
                print(f"Interrupted: the query was stopped; session {session.name!r} is unchanged.", file=sys.stderr)
                raise
        result = sparql_result(raw, session)
        if args.out and self.shell is not None:
            self.shell.user_ns[args.out] = result.answer if result.kind == "ask" else result.rows
        return result

    # ------------------------------------------------------------- %%ontology
    @magic_arguments()
    @argument("--format", default="turtle", help="RDF syntax of the cell: turtle (default), xml, ntriples")
    @argument("--session", metavar="NAME", help="the session to use (default: the active one)")
    @cell_magic
    def ontology(self, line: str, cell: str) -> Any:
        """Declare or extend the ontology in Turtle; it passes the same contracts as CQs.

        The prefixes ``owl rdf rdfs xsd skos`` and ``:`` (the session ontology
        namespace) are predeclared.

        Example::

            %%ontology
            :Film a owl:Class .
            :releaseYear a owl:DatatypeProperty ; rdfs:domain :Film ; rdfs:range xsd:integer .
        """
        args = _parse(self.ontology, line)
        session = self._session(args.session)
        with _user_errors():
            return session.add_ontology_turtle(cell, format=args.format)

    # ---------------------------------------------------------------- %%rules
    @magic_arguments()
    @argument("--session", metavar="NAME", help="the session to use (default: the active one)")
    @cell_magic
    def rules(self, line: str, cell: str) -> None:
        """Add value rules, one per line, checked by ``%hydra verify``.

        Example::

            %%rules
            releaseYear >= 1888
        """
        args = _parse(self.rules, line)
        session = self._session(args.session)
        with _user_errors():
            parsed = session.add_rules(cell)
        print(f"Added {len(parsed)} value rule{'s' if len(parsed) != 1 else ''} "
              f"({len(session.rules)} in total). %hydra verify checks them.")

    # ---------------------------------------------------------------- %%shacl
    @magic_arguments()
    @argument("--session", metavar="NAME", help="the session to use (default: the active one)")
    @cell_magic
    def shacl(self, line: str, cell: str) -> None:
        """Add SHACL shapes (Turtle), checked by ``%hydra verify``."""
        args = _parse(self.shacl, line)
        session = self._session(args.session)
        with _user_errors():
            count = session.add_shapes(cell)
        print(f"Added {count} SHACL shape{'s' if count != 1 else ''}. %hydra verify checks them.")

    # ----------------------------------------------------------------- %hydra
    @line_magic
    def hydra(self, line: str) -> Any:
        """Manage the hydra session: ``%hydra <subcommand> [arguments]`` (the list: ``%hydra help``)."""
        head, _, tail = line.strip().partition(" ")
        if head == "ask":  # the question is free text: an apostrophe ("Scott's") is not a quote
            with _user_errors():
                return self._sub_ask(tail)
        try:
            argv = split_args(line)
        except ValueError as exc:
            raise UsageError(f"Cannot read {line!r}: {exc}. Close the quotes.") from exc
        if not argv:
            raise UsageError("%hydra needs a subcommand, e.g. %hydra status. %hydra help lists them.")
        sub, rest = argv[0], argv[1:]
        if sub not in SUBCOMMANDS:
            raise UsageError(f"Unknown subcommand {sub!r}.{_did_you_mean(sub, list(SUBCOMMANDS))} "
                             "%hydra help lists them.")
        handler: Callable[[list[str]], Any] = getattr(self, "_sub_" + sub.replace("-", "_"))
        with _user_errors():
            return handler(rest)

    @staticmethod
    def _subparser(name: str) -> MagicArgumentParser:
        usage, help_ = SUBCOMMANDS[name]
        return MagicArgumentParser(prog=f"%hydra {name}", usage=usage, description=help_)

    def _no_args(self, name: str, rest: list[str]) -> None:
        if rest:
            raise UsageError(f"%hydra {name} takes no arguments (got {' '.join(rest)!r}). "
                             f"Usage: {SUBCOMMANDS[name][0]}")

    def _sub_help(self, rest: list[str]) -> None:
        import textwrap

        # Usage on its own line, the help wrapped at word boundaries under it: a notebook output
        # area wraps long lines anywhere, mid-word included.
        lines = ["%hydra subcommands:"]
        for usage, help_text in SUBCOMMANDS.values():
            lines.append(f"  {usage}")
            lines += textwrap.wrap(help_text, width=88, initial_indent="      ", subsequent_indent="      ")
        lines += [""] + textwrap.wrap(
            "Cell magics: %%cq, %%extract, %%sparql, %%ontology, %%rules, %%shacl; line forms %extract --from "
            "VAR and %cq --generate --domain TEXT. Append ? for help: %%extract?", width=92)
        print("\n".join(lines))

    def _sub_status(self, rest: list[str]) -> StatusView:
        self._no_args("status", rest)
        return StatusView(self._session().status())

    def _sub_model(self, rest: list[str]) -> None:
        session = self._session()
        no_cache = "--no-cache" in rest
        rest = [r for r in rest if r != "--no-cache"]
        if not rest:
            if no_cache:
                raise UsageError("%hydra model --no-cache needs the model name: %hydra model NAME --no-cache.")
            off = session.config.engine_options.get("use_cache") is False
            print(f"Session {session.name!r} uses model {session.config.model!r}"
                  + (" (reply cache off)." if off else "."))
            return
        if len(rest) > 1:
            raise UsageError(f"%hydra model takes one model name, got {len(rest)}: {' '.join(rest)!r}.")
        session.set_model(rest[0])
        # The cache setting goes with the model named: --no-cache turns it off, a plain name back on.
        options = {k: v for k, v in session.config.engine_options.items() if k != "use_cache"}
        session.configure("engine_options", {**options, "use_cache": False} if no_cache else options)
        print(f"Session {session.name!r} now uses model {session.config.model!r}"
              + (" and asks it every time (reply cache off)." if no_cache else "."))

    def _sub_verify(self, rest: list[str]) -> Any:
        parser = self._subparser("verify")
        parser.add_argument("--full", action="store_true", help="recheck everything, not only what changed")
        args = parser.parse_args(rest)
        return self._session().verify(full=args.full)  # the report carries the modelling flags too

    def _sub_ask(self, question: str) -> Any:
        question = question.strip()
        if len(question) > 1 and question[0] == question[-1] and question[0] in "\"'":
            question = question[1:-1]
        if not question:
            raise UsageError("%hydra ask needs a question, e.g. %hydra ask Which films did Ridley Scott direct?")
        return self._session().ask(question)

    def _sub_undo(self, rest: list[str]) -> None:
        self._no_args("undo", rest)
        print(self._session().undo())

    def _sub_reset(self, rest: list[str]) -> None:
        self._no_args("reset", rest)
        print(self._session().reset())

    def _sub_export(self, rest: list[str]) -> None:
        parser = self._subparser("export")
        parser.add_argument("path")
        parser.add_argument("--format", default=None)
        parser.add_argument("--what", default="all", choices=["all", "ontology", "kg"])
        parser.add_argument("--verified", action="store_true")
        parser.add_argument("--force", action="store_true", help="replace PATH if it exists")
        args = parser.parse_args(rest)
        session = self._session()
        path = session.export(args.path, format=args.format, what=args.what, verified_only=args.verified,
                              overwrite=args.force)
        parts = {"all": "ontology and knowledge graph", "ontology": "ontology", "kg": "knowledge graph"}
        flagged = len(session.kg.flagged())
        facts = (f"{len(session.kg) - flagged} verified facts, {flagged} on inferred types left out"
                 if args.verified else f"{count(len(session.kg), 'fact')}" + (f", {flagged} of them on inferred types"
                                                                     if flagged else ""))
        print(f"Wrote the {parts[args.what]} of session {session.name!r} to {path} "
              f"({count(len(session.ontology.classes), 'class')}, "
              f"{count(len(session.ontology.properties), 'property')}, {facts}).")

    def _sub_import(self, rest: list[str]) -> None:
        parser = self._subparser("import")
        parser.add_argument("path")
        parser.add_argument("--format", default=None)
        args = parser.parse_args(rest)
        print(self._session().import_graph(args.path, format=args.format))

    def _sub_load_ontology(self, rest: list[str]) -> None:
        parser = self._subparser("load-ontology")
        parser.add_argument("path")
        parser.add_argument("--format", default=None)
        args = parser.parse_args(rest)
        print(self._session().load_ontology(args.path, format=args.format))

    def _sub_sessions(self, rest: list[str]) -> None:
        self._no_args("sessions", rest)
        from .store import SessionStore

        active = self.sessions.active_name
        root = self.session_config().journal_dir
        stored = SessionStore.list_sessions(root) if root else []
        names = sorted(set(stored) | set(self.sessions.names()))
        where = f"journals in {root}" if root else "no journal directory"
        lines = [f"Sessions ({where}):"]
        for n in names:
            marks = [m for m, on in (("active", n == active), ("open", n in self.sessions.names()),
                                     ("journal", n in stored)) if on]
            lines.append(f"  {'*' if n == active else ' '} {n}  ({', '.join(marks)})")
        print("\n".join(lines))

    def _sub_session(self, rest: list[str]) -> None:
        if len(rest) != 1:
            raise UsageError(f"Usage: {SUBCOMMANDS['session'][0]} (one name, got {len(rest)}).")
        self._switch(rest[0])

    def _sub_store(self, rest: list[str]) -> None:
        if len(rest) > 1:
            raise UsageError(f"Usage: {SUBCOMMANDS['store'][0]} (one URL, got {len(rest)}).")
        session = self._session()
        if not rest:
            journal = session.journal
            where = journal.path if journal is not None else "memory only (journal_dir is empty)"
            print(f"Session {session.name!r} lives in {where}.")
            return
        url = "" if rest[0] == "local" else rest[0]
        cfg = self.session_config()
        cfg.store = url
        if url:
            from .store.sparql_http import SparqlEndpoint

            SparqlEndpoint.from_url(url)  # a malformed URL is refused before anything closes
        # The session there opens first: if the server refuses, the current one stays active as it was.
        moved = self.sessions.factory(session.name, cfg)
        self._apply(moved, self._explicit)
        session.close()
        self.sessions.adopt(moved)
        self.store = url
        if self.shell is not None:
            self.shell.user_ns[USER_VARIABLE] = moved
        print(self.describe_open(moved, True))

    def _sub_ontology(self, rest: list[str]) -> Any:
        self._no_args("ontology", rest)
        from . import views  # deferred: anywidget is loaded only when a view is opened

        return views.ontology(self._session())

    def _sub_graph(self, rest: list[str]) -> Any:
        self._no_args("graph", rest)
        from . import views  # deferred: anywidget is loaded only when a view is opened

        # The explorer in a live kernel, with a static SVG for saved notebooks.
        return views.graph(self._session())

    def _sub_retry(self, rest: list[str]) -> Any:
        self._no_args("retry", rest)
        return self._session().retry()

    def _index(self, name: str, rest: list[str], count: int) -> int | None:
        if not rest:
            return None
        if len(rest) > 1 or not rest[0].lstrip("-").isdigit():
            raise UsageError(f"Usage: {SUBCOMMANDS[name][0]}; N is a number from the list "
                             f"%hydra {name} prints (got {' '.join(rest)!r}).")
        n = int(rest[0])
        if not 1 <= n <= count:
            raise UsageError(f"%hydra {name} {n}: there {'is' if count == 1 else 'are'} {count} to choose from "
                             f"(1..{count}). %hydra {name} lists them." if count else
                             f"%hydra {name} {n}: there is nothing to {name}.")
        return n

    def _sub_accept(self, rest: list[str]) -> None:
        session = self._session()
        last = session.last_extraction
        if last is None:
            raise UsageError("There is no extraction in this session yet. Run an %%extract cell first; "
                             "%hydra accept N then accepts its N-th rejected triple.")
        n = self._index("accept", rest, len(last.rejected))
        if n is None:
            if not last.rejected:
                print(f"The last extraction ({last.source!r}) has no rejected triple.")
                return
            lines = [f"Rejected triples of the last extraction ({last.source!r}); %hydra accept N accepts one:"]
            for i, r in enumerate(last.rejected, start=1):
                c = r.checked.candidate
                lines.append(f"  {i}. ({c.subject}, {c.predicate}, {c.object})  [{', '.join(r.codes)}]")
            print("\n".join(lines))
            return
        rejected = last.rejected[n - 1]
        c = rejected.checked.candidate
        fact = session.accept_anyway(rejected)
        print(f"Accepted anyway: ({c.subject}, {c.predicate}, {c.object}) despite "
              f"{', '.join(rejected.codes) or 'the contracts'}; recorded as your decision "
              f"(source {fact.source!r}). %hydra undo reverts it.")

    def _removable(self, session: "Session") -> tuple[str, list[Any]]:
        last = session.last_extraction
        if last is not None:
            facts = [f for f in last.facts if session.kg.contains(*f.key)]
            return f"facts of the last extraction ({last.source!r})", facts
        return "facts of the knowledge graph", list(session.kg)

    def _sub_remove(self, rest: list[str]) -> None:
        session = self._session()
        what, facts = self._removable(session)
        n = self._index("remove", rest, len(facts))
        if n is None:
            if not facts:
                print(f"There are no {what} to remove.")
                return
            lines = [f"The {what}; %hydra remove N removes one:"]
            lines += [f"  {i}. {_fact_text(session, f)}" for i, f in enumerate(facts, start=1)]
            print("\n".join(lines))
            return
        fact = facts[n - 1]
        session.remove_fact(fact)
        print(f"Removed {_fact_text(session, fact)}. %hydra undo brings it back.")

    def _sub_merge(self, rest: list[str]) -> None:
        parser = self._subparser("merge")
        parser.add_argument("names", nargs="*")
        parser.add_argument("--force", action="store_true",
                            help="merge even when the types of the two entities contradict")
        args = parser.parse_args(rest)
        names = list(args.names)
        if len(names) == 3 and names[1].lower() == "into":
            del names[1]
        if len(names) != 2:
            raise UsageError(f"Usage: {SUBCOMMANDS['merge'][0]} (two entities, got {len(names)}: "
                             f"{' '.join(map(repr, names)) or 'none'}). Quote a name with spaces: "
                             "%hydra merge Weaver \"Sigourney Weaver\".")
        result = self._session().merge(names[0], names[1], force=args.force)
        print(result.to_text())


    def _sub_weave(self, rest: list[str]) -> Any:
        parser = self._subparser("weave")
        parser.add_argument("action", nargs="?", choices=["apply"])
        parser.add_argument("numbers", nargs="?")
        parser.add_argument("--model", help="model for the proposals (default: the session's)")
        parser.add_argument("--rounds", type=int, default=3, help="at most this many model calls (default 3)")
        args = parser.parse_args(rest)
        session = self._session()
        if args.action == "apply":
            proposal = session.weave_proposal
            if proposal is None:
                raise UsageError("There is no weave proposal to apply. Run %hydra weave first.")
            only = None
            if args.numbers:
                try:
                    only = [int(n) for n in args.numbers.split(",") if n.strip()]
                except ValueError:
                    raise UsageError(f"%hydra weave apply {args.numbers}: give operation numbers such as "
                                     "1,3.") from None
            print(proposal.apply(session, only))
            return None
        if args.numbers:
            raise UsageError(f"Unexpected {args.numbers!r}. Usage: {SUBCOMMANDS['weave'][0]}")
        from .weave import propose_for_session

        return propose_for_session(session, model=args.model, rounds=args.rounds)  # as the view's button does


def _fact_text(session: "Session", fact: Any) -> str:
    from rdflib import Literal

    from .iri import local_name

    o = fact.object
    obj = repr(str(o)) if isinstance(o, Literal) else local_name(o)
    return f"({local_name(fact.subject)}, {local_name(fact.predicate)}, {obj})"



def _subcommand_help() -> str:
    lines = ["Manage the hydra session: ``%hydra <subcommand> [arguments]``.", "", "Subcommands::", ""]
    lines += [f"    {usage:<44} {help_.split(';')[0]}" for usage, help_ in SUBCOMMANDS.values()]
    return "\n".join(lines)


# `%hydra?` shows the same table `%hydra help` prints: one source for both.
HydraMagics.hydra.__doc__ = _subcommand_help()

def _read_file(path: Path, var: str) -> str:
    from .user_files import read_input_text

    return read_input_text(path, f"--from {var}: file")
