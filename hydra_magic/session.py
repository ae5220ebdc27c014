"""Session: all state of one notebook session, testable without IPython.

Every change (CQs, Turtle, an extraction, a user decision, an import) goes
through :meth:`Session._commit`, which records an undoable :class:`Change` and
writes the journal. Work is computed first and applied in one step, so an
interrupted cell or a failing engine leaves the session exactly as it was.
"""

from __future__ import annotations

import inspect
import os
import time
import warnings
import weakref
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, cast

from rdflib import RDF, BNode, URIRef
from rdflib.term import Node

from .candidates import TripleCandidate
from .changes import Change
from .contracts import CheckedTriple, OntologyVerdict, resolve_datatype, to_literal
from .contracts.triple_rules import is_typing_predicate
from .cq import CompetencyQuestion, parse_cqs
from .errors import EmptyInputError, InputError, InputTooLargeError, JournalError
from .iri import local_name, snake_case
from .store import SessionStore, StoredState
from .kg import Evidence, Fact, KnowledgeGraph, canonical_fact
from .ontology import Ontology
from .pipeline import chunk_text, extract_chunks, propose_ontology
from .merge import MergeResult, entity_named, plan_merge
from .results import CQResult, ExtractionResult, RejectedTriple
from .session_config import SessionConfig
from .settings import SESSION_SETTINGS, setting
from .wording import count

__all__ = ["Session", "SessionConfig", "Change", "MergeResult", "SessionEvent", "SessionListenerWarning",
           "apply_verdict"]

if TYPE_CHECKING:
    from .store.remote_store import RemoteSessionStore

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class SessionEvent:
    """What a listener (see :meth:`Session.subscribe`) hears after a committed change or an undo."""

    #: The change's kind (``"extract"``, ``"accept"``, ``"remove"``, ``"merge"``, ``"reset"``, …) or ``"undo"``.
    kind: str
    summary: str
    #: For ``"undo"``: the kind of the change that was undone.
    undone: str = ""


class SessionListenerWarning(RuntimeWarning):
    """A session listener raised; the change it was told about is kept."""


class Session:
    """Ontology + knowledge graph + competency questions + configuration + history.

    Parameters
    ----------
    name
        Session name; the journal lives in ``<journal_dir>/<name>/``.
    config
        Settings; ``config.journal_dir=None`` keeps everything in memory.
    engine
        An engine object to use instead of the one named by ``config.model``.
    restore
        Restore the journal of a session with the same name if there is one.
    """

    def __init__(self, name: str = "default", config: SessionConfig | None = None, *,
                 engine: Any = None, restore: bool = True) -> None:
        self.name = name
        self.config = config or SessionConfig()
        self.ontology = Ontology(self.config.base)
        self.kg = KnowledgeGraph(self.config.base)
        self.cqs: list[CompetencyQuestion] = []
        self.history: list[Change] = []
        self.log: list[dict[str, Any]] = []  # user decisions and notable events, newest last
        self.last_extraction: ExtractionResult | None = None
        #: Value rules (``%%rules`` lines) and user SHACL shapes (Turtle texts), see hydra_magic.verify.
        self.rules: list[str] = []
        self.shapes: list[str] = []
        #: Scratch space of the verifier (incremental caches); never persisted.
        self.verify_state: Any = None
        #: Scratch space of the views (the explorers' shared graph index); never persisted.
        self.view_state: Any = None
        self.generation: Any = None  # the last HyDRA generation (%cq --generate), resumed by --continue
        self.weave_proposal: Any = None  # the weaver's pending proposal (%hydra weave), applied by the user
        self._engine = engine
        self._engines: dict[str, Any] = {}
        self._listeners: list[Callable[[], Any]] = []  # references (weak for bound methods), see subscribe()
        #: The session's directory on disk (store, change log, lock); ``None`` for in-memory sessions.
        self.journal: SessionStore | RemoteSessionStore | None = None
        self.restored: str = ""
        if self.config.store or self.config.journal_dir:
            store = self._open_home(name)
            state = store.open(self._meta(), discard=not restore)
            self.journal = store
            try:
                self._restore(state)
            except BaseException:
                store.close()
                raise

    def _open_home(self, name: str) -> "SessionStore | RemoteSessionStore":
        """Where the session lives: a SPARQL server (``config.store``) or a directory (``config.journal_dir``)."""
        if self.config.store:
            from .store.remote_store import RemoteSessionStore as _Remote

            # The session's SPARQL deadline holds for every request to the server too.
            return _Remote(self.config.store, name, self.config.base, timeout=self.config.sparql_timeout)
        assert self.config.journal_dir
        return SessionStore(self.config.journal_dir, name, self.config.base)

    def close(self) -> None:
        """Release the session's on-disk store and its lock (another process may then open it).

        The session object stays readable in memory; changing it after ``close`` is refused.
        Closing twice is harmless.
        """
        if self.journal is not None:
            self.journal.close()

    def __del__(self) -> None:  # a dropped Session must not keep its lock (a notebook re-running a cell)
        journal = getattr(self, "journal", None)
        if journal is not None:
            try:
                journal.close(from_finalizer=True)
            except Exception:  # noqa: BLE001 - interpreter shutdown
                pass

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- engine
    @property
    def engine(self) -> Any:
        """The engine in use (created lazily; litellm is imported only for model engines)."""
        if self._engine is None:
            self._engine = self._cached_engine(self.config.model)
        return self._engine

    def get_engine(self, name: str | None) -> Any:
        """The session's engine, or the one named ``name`` for a single call (``--model``)."""
        if not name or (name == self.config.model and self._engine is not None):
            return self.engine
        return self._cached_engine(name)

    def register_engine(self, name: str, engine: Any) -> None:
        """Make ``engine`` (any object with the Engine protocol) usable as ``--model name``."""
        if not all(hasattr(engine, m) for m in ("propose_ontology", "extract")):
            raise InputError(f"{engine!r} is not an engine: it needs propose_ontology() and extract().")
        self._engines[name] = engine
        if name == self.config.model:
            self._engine = engine

    def _cached_engine(self, name: str) -> Any:
        if name not in self._engines:
            from .engines import get_engine

            options = {**self.config.engine_options}
            if name not in ("rules", "offline"):
                options.setdefault("retry", self.config.retry)  # the one retry policy, for every step
            self._engines[name] = get_engine(name, **options)
        return self._engines[name]

    def set_model(self, name: str) -> None:
        """Use ``name`` (``"rules"`` or any litellm model string) from now on."""
        if not name or not name.strip():
            raise InputError("The model name is empty. Give 'rules' or a litellm model such as 'openai/gpt-4o-mini'.")
        self._save(config={**self.config.to_dict(), "model": name.strip()})
        self.config.model = name.strip()
        self._engine = None
        self._engines.clear()  # engines made earlier may carry old engine_options

    def configure(self, name: str, value: Any) -> None:
        """Change setting ``name`` of this session (see :mod:`hydra_magic.settings`) and save it.

        ``model`` goes through :meth:`set_model`; new ``engine_options`` rebuild the engine on the
        next cell. The magics call this when ``%config HydraMagics.<name>`` changes.
        """
        try:
            decl = setting(name)
        except KeyError:
            known = ", ".join(s.name for s in SESSION_SETTINGS)
            raise InputError(f"Unknown session setting {name!r}; the settings are: {known}.") from None
        if decl.scope != "session":
            raise InputError(f"{name!r} is not a setting of one session; set it with %config HydraMagics.{name} "
                             "(it applies to sessions opened afterwards).")
        problem = decl.problem(value)
        if problem is not None:
            raise InputError(f"The setting {name} {problem}; the session keeps {getattr(self.config, name)!r}.")
        value = decl.clean(value)
        if name == "model":
            if value != self.config.model:
                self.set_model(value)
            return
        if getattr(self.config, name) == value:
            return
        if decl.saved:
            self._save(config={**self.config.to_dict(), name: value})
        setattr(self.config, name, dict(value) if isinstance(value, dict) else value)
        if name == "engine_options":
            self._engine = None
            self._engines.clear()  # the next cell builds the engine with the new options

    # -------------------------------------------------------------- ontology
    def add_cqs(self, cqs: str | Sequence[str | CompetencyQuestion], *, engine: str | None = None) -> CQResult:
        """Grow the ontology from competency questions, through the ontology contracts."""
        for q in ([cqs] if isinstance(cqs, str) else cqs):
            refuse_unstorable(q if isinstance(q, str) else q.text, "A competency question")
        questions = self._parse_cqs(cqs)
        eng = self.get_engine(engine)
        t0 = time.perf_counter()
        known = {c.text.strip().lower() for c in self.cqs}
        new_cqs = [q for q in questions if q.text.strip().lower() not in known]
        scratch = self._scratch_ontology()

        def stage(verdict: OntologyVerdict) -> None:
            apply_verdict(scratch, verdict)

        # Checked against the staged copy, so a repaired candidate may build on one accepted earlier.
        verdicts, engine_issues, _ = propose_ontology(eng, questions, scratch, self.config.retry,
                                                      apply=stage)
        result = CQResult(questions, issues=engine_issues, engine=getattr(eng, "name", str(eng)), session=self)
        for v in verdicts:
            result.added_classes += v.accepted_classes
            result.added_properties += v.accepted_properties
        if verdicts:
            result.rejected = verdicts[-1].rejected
        before = self.ontology.triples()
        after = scratch.triples()
        change = Change("cq", f"{count(len(questions), 'CQ')}: +{count(len(result.added_classes), 'class')}, "
                              f"+{count(len(result.added_properties), 'property')}",
                        onto_added=sorted(after - before), onto_removed=sorted(before - after),
                        cqs_added=new_cqs)
        result.seconds = time.perf_counter() - t0
        self._commit(change)
        return result

    def add_ontology_turtle(self, text: str, *, format: str = "turtle") -> CQResult:
        """Declare or extend the ontology in Turtle; goes through the same contracts as CQs."""
        from .io import graph_to_proposal, parse_rdf

        refuse_unstorable(text, "The ontology text")
        if not text.strip():
            raise EmptyInputError("The %%ontology cell is empty. Write Turtle, e.g. "
                                  "':Film a owl:Class .' (prefixes owl, rdfs, xsd and ':' are predeclared).")
        graph = parse_rdf(text, format=format, source="%%ontology cell", default_prefix=str(self.ontology.ns))
        proposal = graph_to_proposal(graph, self.ontology)
        from .contracts import check_proposal

        t0 = time.perf_counter()
        verdict = check_proposal(proposal, self.ontology)
        scratch = self._scratch_ontology()
        apply_verdict(scratch, verdict)
        before, after = self.ontology.triples(), scratch.triples()
        result = CQResult([], verdict.accepted_classes, verdict.accepted_properties, verdict.rejected,
                          issues=proposal.issues, engine="turtle", seconds=time.perf_counter() - t0, session=self)
        self._commit(Change("ontology", f"Turtle: +{count(len(verdict.accepted_classes), 'class')}, "
                                        f"+{count(len(verdict.accepted_properties), 'property')}",
                            onto_added=sorted(after - before), onto_removed=sorted(before - after)))
        return result

    def load_ontology(self, path: str | os.PathLike[str], *, format: str | None = None) -> str:
        """Import an existing ontology (Turtle, RDF/XML/OWL, Text2KGBench JSON) as it is."""
        from .io import read_ontology

        imported = read_ontology(path, format=format, base=self.config.base)
        before = self.ontology.triples()
        added = imported.triples() - before
        for prefix, ns in imported.graph.namespaces():
            if prefix and prefix not in ("brick", "csvw", "dc", "dcat", "dcmitype", "dcterms", "dcam", "doap",
                                         "foaf", "geo", "odrl", "org", "prof", "prov", "qb", "schema",
                                         "sh", "skos", "sosa", "ssn", "time", "vann", "void", "wgs"):
                self.ontology.graph.bind(prefix, ns, override=False)
        summary = (f"loaded {Path(path).name}: {count(len(imported.classes), 'class')}, "
                   f"{count(len(imported.properties), 'property')}")
        self._commit(Change("load-ontology", summary, onto_added=sorted(added)))
        return summary

    # ------------------------------------------------------------ extraction
    def extract(self, text: str | Sequence[str], source: str | None = None, *, engine: str | None = None,
                on_progress: Callable[[int, int], None] | None = None, ground: bool = True) -> ExtractionResult:
        """Extract triples from ``text`` against the ontology; accepted ones replace ``source``'s facts."""
        if not isinstance(text, str):
            text = "\n\n".join(str(t) for t in text)
        refuse_unstorable(text, "The text to extract from")
        if not text.strip():
            raise EmptyInputError("There is no text to extract from. Put the text in the %%extract cell, "
                                  "or pass --from VAR with a string, a list of strings or a file path.")
        if len(text) > self.config.max_input_chars:
            raise InputTooLargeError(
                f"The input has {len(text):,} characters; the limit is {self.config.max_input_chars:,}. "
                f"Split it, or raise the limit with hydra.config.max_input_chars = {len(text)} "
                "(%config HydraMagics.max_input_chars in a notebook).")
        if not self.ontology.properties:
            raise InputError(f"The ontology of session {self.name!r} has no properties yet, so nothing can be "
                             "extracted. Declare competency questions with %%cq (or load an ontology) first.")
        source = source or f"text-{_digest(text)}"
        eng = self.get_engine(engine)
        t0 = time.perf_counter()
        chunks = chunk_text(text, source, self.config.chunk_chars)
        # Extract against the KG as it will be once this source's earlier facts are replaced:
        # otherwise a type the engine does not repeat (already known) would vanish on re-run.
        stale = [f for f in self.kg.facts(source) if f.evidence.decision != "user"]
        with self.kg.hidden(stale):
            outcomes = extract_chunks(eng, chunks, text, self.ontology, self.kg, self.config.retry,
                                      ground=ground, on_progress=on_progress, types=self._types_mode())
        engine_name = getattr(eng, "name", str(eng))
        now = time.time()
        facts: list[Fact] = []
        labels: dict[URIRef, str] = {}
        result = ExtractionResult(source, text, engine=engine_name, chunks=len(chunks), session=self,
                                  epochs=max((out.epochs for out in outcomes), default=1) or 1)
        for out in outcomes:
            for ct in out.accepted:
                facts.append(self._fact(ct, source, engine_name, now))
                labels.update(_labels_of(ct))
                result.accepted.append(ct)
            result.rejected += [RejectedTriple(ct, out.chunk.index) for ct in out.rejected]
            if out.error:
                result.failed_chunks.append((out.chunk.index, out.error))
        # Re-running a source replaces what the contracts let in before; the user's own
        # "accept anyway" decisions on that source survive the re-run.
        old = self.kg.facts(source)
        # A run with failed chunks adds what it got but keeps the earlier facts (retry completes it).
        removed = [] if result.failed_chunks else [f for f in old if f.evidence.decision != "user"]
        kept_keys = {f.key for f in old if f.evidence.decision == "user"}
        added = [f for f in _dedupe(facts) if f.key not in kept_keys]
        upgraded_old, upgraded_new = self._recheck_flagged(added, removed)
        result.upgraded = upgraded_new
        result.replaced = len(removed)
        result.facts = facts
        result.seconds = time.perf_counter() - t0
        self._commit(Change("extract", f"{source}: {result.summary()}",
                            facts_added=added + upgraded_new, facts_removed=removed + upgraded_old), labels=labels)
        self.last_extraction = result
        return result

    def _types_mode(self) -> str:
        mode = self.config.types
        if mode not in ("default", "strict"):
            raise InputError(f"Unknown types mode {mode!r}. Use 'default' (keep facts on inferred types, flagged "
                             "'type_inferred') or 'strict' (reject them).")
        return mode

    def _fact(self, ct: CheckedTriple, source: str, engine: str, now: float,
              decision: str = "contracts") -> Fact:
        ev = Evidence(source=source, sentence=ct.sentence or ct.candidate.sentence, subject_span=ct.subject_span,
                      object_span=ct.object_span, engine=engine, time=now, decision=decision,
                      flags=tuple(ct.flags), basis=ct.type_basis if ct.flags else "")
        return Fact(ct.subject, ct.predicate, ct.object, ev)  # type: ignore[arg-type]

    def _recheck_flagged(self, added: list[Fact], removed: list[Fact]) -> tuple[list[Fact], list[Fact]]:
        """Facts flagged ``type_inferred`` that a newly stated type now verifies: (old, replacement) lists.

        A type the text states later ("Ridley Scott is a director.") re-checks the facts
        that rested on the same entity's inferred type; those whose domain and range now
        hold on stated types lose the flag. Returns the facts to replace and their replacements.
        """
        from .contracts.type_evidence import TYPE_INFERRED

        newly: dict[URIRef, set[URIRef]] = {}
        for f in added:
            if f.predicate == RDF.type and not f.evidence.flags and isinstance(f.object, URIRef):
                if f.object not in self.kg.stated_types_of(f.subject):
                    newly.setdefault(f.subject, set()).add(f.object)
        if not newly:
            return [], []
        gone = {(f.source, f.key) for f in removed}

        def stated(e: Node) -> set[URIRef]:
            key = cast(URIRef, e)  # a literal or blank node is in neither map: the lookups find nothing
            return self.kg.stated_types_of(key) | newly.get(key, set())

        def holds(e: Node, required: tuple[URIRef, ...]) -> bool:
            return not required or any(self.ontology.is_subclass(t, r) for t in stated(e) for r in required)

        old, new = [], []
        for f in self.kg.flagged_about(newly):
            if (f.source, f.key) in gone or f.predicate == RDF.type or TYPE_INFERRED not in f.evidence.flags:
                continue
            if f.subject not in newly and f.object not in newly:
                continue
            prop = self.ontology.properties.get(f.predicate)
            if prop is None or not holds(f.subject, prop.domain):
                continue
            if prop.kind == "object" and not holds(f.object, prop.range):
                continue
            flags = tuple(x for x in f.evidence.flags if x != TYPE_INFERRED)
            old.append(f)
            new.append(Fact(f.subject, f.predicate, f.object, replace(f.evidence, flags=flags, basis="")))
        return old, new

    # -------------------------------------------------------- user decisions
    def accept_anyway(self, rejected: RejectedTriple | CheckedTriple | TripleCandidate,
                      source: str | None = None) -> Fact:
        """Add a rejected candidate to the KG as a user decision (recorded in the journal)."""
        ct = rejected.checked if isinstance(rejected, RejectedTriple) else rejected
        cand = ct.candidate if isinstance(ct, CheckedTriple) else ct
        spans = (ct.subject_span, ct.object_span) if isinstance(ct, CheckedTriple) else (None, None)
        source = source or (self.last_extraction.source if self.last_extraction else "user")
        s = self.kg.entity_iri(snake_case(cand.subject) or cand.subject)
        o: Node
        if is_typing_predicate(cand.predicate, self.ontology):
            cls = self.ontology.get_class(cand.object)
            if cls is None:
                raise InputError(f"Cannot accept ({cand.subject}, isA, {cand.object}): {cand.object!r} is not a "
                                 "class of the ontology. Add the class first (%%cq or %%ontology).")
            p, o = RDF.type, cls.iri
        else:
            prop = self.ontology.get_property(cand.predicate)
            if prop is None:
                hint = self.ontology.suggest(cand.predicate)
                raise InputError(f"Cannot accept ({cand.subject}, {cand.predicate}, {cand.object}): "
                                 f"{cand.predicate!r} is not a property of the ontology."
                                 + (f" Did you mean {', '.join(map(repr, hint))}?" if hint else "")
                                 + " Add the property first (%%cq or %%ontology).")
            p = prop.iri
            o = to_literal(cand.object, None) if prop.kind == "data" else \
                self.kg.entity_iri(snake_case(cand.object) or cand.object)
        ev = Evidence(source=source, sentence=cand.sentence, subject_span=spans[0], object_span=spans[1],
                      engine="user", decision="user")
        fact = Fact(s, p, o, ev)
        if self.kg.contains(*fact.key):
            raise InputError(f"({cand.subject}, {cand.predicate}, {cand.object}) is already in the graph.")
        labels = {s: cand.subject_text} if cand.subject_text else {}
        if isinstance(o, URIRef) and cand.object_text and p != RDF.type:
            labels[o] = cand.object_text
        self._commit(Change("accept", f"accepted anyway: ({cand.subject}, {cand.predicate}, {cand.object})",
                            facts_added=[fact]), labels=labels,
                     event={"time": time.time(), "decision": "accept_anyway", "triple": str(cand),
                            "source": source, "codes": ct.codes if isinstance(ct, CheckedTriple) else []})
        return fact

    def remove_fact(self, fact: Fact) -> None:
        """Remove one fact from the KG as a user decision."""
        if not self.kg.contains(*fact.key):
            raise InputError(f"The fact ({fact.subject}, {fact.predicate}, {fact.object}) is not in the graph.")
        matches = [f for f in self.kg.facts_of(*fact.key) if f.source == fact.source] or \
            self.kg.facts_of(*fact.key)
        obj = local_name(fact.object) if isinstance(fact.object, URIRef) else str(fact.object)
        self._commit(Change("remove", f"removed ({self.kg.label(fact.subject)}, {local_name(fact.predicate)}, {obj})",
                            facts_removed=matches),
                     event={"time": time.time(), "decision": "remove", "triple": [str(x) for x in fact.key]})

    def merge(self, entity: str | URIRef, into: str | URIRef, *, force: bool = False) -> MergeResult:
        """Merge ``entity`` into ``into`` (two names of one thing; undoable): see :func:`hydra_magic.merge.plan_merge`.

        Raises
        ------
        InputError
            An unknown or ambiguous name, an entity merged with itself, or contradicting types.
        """
        a = entity_named(self.kg, entity, "merge", self.name)
        b = entity_named(self.kg, into, "into", self.name)
        change, result, event = plan_merge(self.kg, self.ontology, a, b, force=force, names=(entity, into))
        self._commit(change, event=event)
        return result

    # ------------------------------------------------------------ listeners
    def subscribe(self, callback: Callable[[SessionEvent], Any]) -> Callable[[], None]:
        """Call ``callback(event)`` after every committed change and every undo; returns ``unsubscribe``.

        A bound method is held weakly, so a view that is garbage-collected drops out by
        itself; any other callable is held until ``unsubscribe()``. A listener that raises
        neither stops nor rolls back the change: its error is reported as a
        :class:`SessionListenerWarning` and the other listeners still run.
        """
        if not callable(callback):
            raise InputError(f"{callback!r} is not callable; subscribe a function that takes one SessionEvent.")
        ref: Callable[[], Any]
        if inspect.ismethod(callback):
            ref = weakref.WeakMethod(callback)
        else:
            def ref() -> Any:
                return callback
        self._listeners.append(ref)

        def unsubscribe() -> None:
            if ref in self._listeners:
                self._listeners.remove(ref)

        return unsubscribe

    def _notify(self, event: SessionEvent) -> None:
        for ref in list(self._listeners):
            callback = ref()
            if callback is None:  # its view was garbage-collected
                if ref in self._listeners:
                    self._listeners.remove(ref)
                continue
            try:
                callback(event)
            except Exception as exc:  # noqa: BLE001 - a broken view must not break (or half-undo) the session
                who = getattr(callback, "__qualname__", callback)
                warnings.warn(f"A listener of session {self.name!r} ({who}) "
                              f"failed after {event.kind!r} ({event.summary}): {type(exc).__name__}: {exc}. "
                              "The change itself is kept; re-open the view that shows it.",
                              SessionListenerWarning, stacklevel=2)

    # ------------------------------------------------------------ history
    def undo(self) -> str:
        """Revert the last change; returns what was undone and what the next undo would revert."""
        if not self.history:
            return "Nothing to undo."
        change = self.history[-1]
        if change.stub and self.journal is not None:  # restored: its body is still in the change log
            change = self.journal.load_change(change.log_id)  # type: ignore[arg-type]
        event = {"time": time.time(), "event": "undo", "summary": change.summary}
        if self.journal is not None and change.log_id is not None:
            cqs = [c for c in self.cqs if c.text not in {x.text for x in change.cqs_added}]
            cqs += [c for c in change.cqs_removed if c not in cqs]
            self.journal.undo(change, self._meta(cqs=cqs, event=event), event)  # raises: nothing changed
        self.history.pop()
        if change.onto_added or change.onto_removed:
            triples = (self.ontology.triples() - set(change.onto_added)) | set(change.onto_removed)
            self.ontology.replace_triples(triples)
        if change.facts_added:
            self.kg.remove(change.facts_added)
        if change.facts_removed:
            self.kg.add(change.facts_removed)
        if change.cqs_added:
            gone = {c.text for c in change.cqs_added}
            self.cqs = [c for c in self.cqs if c.text not in gone]
        self.cqs.extend(c for c in change.cqs_removed if c not in self.cqs)
        self.log.append(event)
        self._compact()
        self._notify(SessionEvent("undo", f"Undid: {change.summary}", change.kind))
        return f"Undid: {change.summary}. " + self.next_undo()

    def next_undo(self) -> str:
        """What :meth:`undo` would revert now, in words (shown after every undo)."""
        if not self.history:
            return "Nothing more to undo."
        nxt = self.history[-1]
        at = time.strftime('%H:%M:%S', time.localtime(nxt.time))
        return f"Next undo would revert: {nxt.summary} ({nxt.kind}, {at})."

    def reset(self) -> str:
        """Clear the ontology, the KG and the CQs (undoable with :meth:`undo`)."""
        change = Change("reset", "reset the session", onto_removed=sorted(self.ontology.triples()),
                        facts_removed=list(self.kg), cqs_removed=list(self.cqs))
        self._commit(change)
        return f"Session {self.name!r} reset: ontology, knowledge graph and CQs cleared (undo restores them)."

    def apply_change(self, change: Change, labels: dict[URIRef, str] | None = None) -> None:
        """Apply a prepared :class:`Change` in one step, record it for undo and journal it.

        For extensions (e.g. :mod:`hydra_magic.generate`) that compute a change themselves.
        """
        self._commit(change, labels)

    def _commit(self, change: Change, labels: dict[URIRef, str] | None = None,
                event: dict[str, Any] | None = None) -> None:
        """Persist ``change`` (change log, then store), then apply it in memory; ``event`` goes to the log.

        If it cannot be persisted, a :class:`JournalError` says so and nothing changed, in memory or on disk.
        """
        change.facts_added = [canonical_fact(f) for f in change.facts_added]
        if self.journal is not None and not (change.empty and not labels and event is None):
            gone = {c.text for c in change.cqs_removed}
            cqs = [c for c in self.cqs if c.text not in gone] + list(change.cqs_added)
            change.log_id = self.journal.commit(change, self._new_labels(change, labels or {}),
                                                self._meta(cqs=cqs, event=event), event)
        if change.onto_added or change.onto_removed:
            triples = (self.ontology.triples() - set(change.onto_removed)) | set(change.onto_added)
            self.ontology.replace_triples(triples)
        if change.facts_removed:
            self.kg.remove(change.facts_removed)
        if change.facts_added or labels:
            self.kg.add(change.facts_added, labels)
        if change.cqs_removed:
            gone = {c.text for c in change.cqs_removed}
            self.cqs = [c for c in self.cqs if c.text not in gone]
        self.cqs.extend(change.cqs_added)
        if not change.empty:
            self.history.append(change)
            del self.history[:-self.config.history_limit]
        if event is not None:
            self.log.append(event)
        self._compact()
        self._notify(SessionEvent(change.kind, change.summary))

    # ----------------------------------------------------------- persistence
    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-ready data (for inspection and tests; the store holds the session)."""
        return {
            "name": self.name,
            "config": self.config.to_dict(),
            "ontology": [[t.n3() for t in tr] for tr in sorted(self.ontology.triples())],
            "prefixes": self._prefixes(),
            "kg": self.kg.to_dict(),
            "cqs": [c.to_dict() for c in self.cqs],
            "history": [c.to_dict() for c in self.history],
            "log": self.log[-500:],
            "rules": self.rules,
            "shapes": self.shapes,
        }

    def _prefixes(self) -> dict[str, str]:
        return {p: str(ns) for p, ns in self.ontology.graph.namespaces()
                if p in ("onto",) or not p.startswith(("ns", "_"))}

    def _meta(self, *, cqs: list[CompetencyQuestion] | None = None, event: dict[str, Any] | None = None,
              **changed: Any) -> dict[str, Any]:
        """The small state kept beside the graphs: settings, CQs, rules, shapes, prefixes, recent events.

        ``changed`` overrides entries (``rules=…``, ``shapes=…``, ``config=…``): the new state is saved
        before memory takes it, so a failed save changes nothing.
        """
        events = self.log[-499:] + [event] if event is not None else self.log[-500:]
        meta = {"config": self.config.to_dict(), "cqs": [c.to_dict() for c in (self.cqs if cqs is None else cqs)],
                "rules": list(self.rules), "shapes": list(self.shapes), "prefixes": self._prefixes(),
                "events": events}
        meta.update(changed)
        return meta

    def _new_labels(self, change: Change, labels: dict[URIRef, str]) -> dict[URIRef, str]:
        """Labels the store must add with ``change``: those given, where the KG has none yet."""
        return {e: t for e, t in labels.items() if not self.kg.has_label(e)}

    def _save(self, **changed: Any) -> None:
        """Save the small state (settings, rules, shapes); changes to the graphs go through :meth:`_commit`."""
        if self.journal is not None:
            self.journal.write_meta(self._meta(**changed))

    def _compact(self) -> None:
        if self.journal is not None:
            try:
                self.journal.compact(c.log_id for c in self.history if c.log_id is not None)
            except OSError:
                pass  # a log that stays long is harmless; the next change tries again

    def save(self) -> Path | str | None:
        """Make sure everything is stored; returns the session directory (a server's URL for a session on one,
        ``None`` for in-memory sessions).

        Every change is written as it happens; this only re-saves the settings.
        """
        self._save()
        return self.journal.path if self.journal else None

    def _restore(self, state: StoredState) -> None:
        store = self.journal
        where = store.path if store is not None else "?"
        notes = []
        try:
            notes += self._restore_config(state.meta.get("config", {}))
            self.ontology.replace_triples(state.ontology)
            for prefix, ns in (state.meta.get("prefixes") or {}).items():
                self.ontology.graph.bind(prefix, ns, override=False)
            if state.graph is not None:
                self.kg = state.graph  # read from the store on demand
            else:
                self.kg.add(state.facts, state.labels)
            self.cqs = [CompetencyQuestion.from_dict(c) for c in state.meta.get("cqs", [])]
            self.history = [Change(r.header.get("kind", ""), r.header.get("summary", ""), r.header.get("time", 0.0),
                                   log_id=r.id, stub=True) for r in state.history][-self.config.history_limit:]
            self.log = list(state.meta.get("events", []))
            self.rules = list(state.meta.get("rules", []))
            self.shapes = list(state.meta.get("shapes", []))
        except Exception as exc:  # a store we wrote but cannot read is a bug worth surfacing
            raise JournalError(f"Session {self.name!r} at {where} could not be restored: {exc}. Move the directory "
                               "away to start fresh; it is left untouched.") from exc
        if state.migrated:
            notes.insert(0, state.migrated)
        if len(self.kg) or self.cqs or self.ontology.classes or self.history:
            self.restored = (f"Restored session {self.name!r}: {count(len(self.cqs), 'CQ')}, "
                             f"{count(len(self.ontology.classes), 'class')}, "
                             f"{count(len(self.ontology.properties), 'property')}, {count(len(self.kg), 'fact')} "
                             f"from {where}.")
        self.restored = " ".join(x for x in [self.restored, *notes] if x)

    def _restore_config(self, cfg: Any) -> list[str]:
        """Apply saved settings that are valid; never switch to a model on its own. Returns notes for the user."""
        notes: list[str] = []
        if not isinstance(cfg, dict):
            return [f"The saved settings of session {self.name!r} were unreadable and are ignored."]
        for decl in SESSION_SETTINGS:
            if not decl.restored or decl.name not in cfg:
                continue
            value = cfg[decl.name]
            if decl.problem(value) is None:
                setattr(self.config, decl.name, decl.clean(value))
            else:
                notes.append(f"The saved setting {decl.name}={value!r} is not valid and was ignored "
                             f"(kept {getattr(self.config, decl.name)!r}).")
        saved = cfg.get("model", cfg.get("engine"))  # "engine": sessions saved before the rename
        if isinstance(saved, str) and saved and saved != self.config.model:
            # A restored session must not start sending text to a model the user did not pick now.
            notes.append(f"This session was last used with the model {saved!r}; it uses "
                         f"{self.config.model!r} now. To use {saved!r} again: "
                         f"%config HydraMagics.model = {saved!r} (session.set_model({saved!r}) in Python).")
        return notes

    # ---------------------------------------------------------- verification
    def add_rules(self, text: str) -> list[Any]:
        """Add value rules (one per line, e.g. ``birthYear < deathYear``); returns the parsed rules."""
        from .verify import parse_rules

        parsed = parse_rules(text, self.ontology)  # raises InputError naming the bad line
        rules = self.rules + [line.strip() for line in text.splitlines()
                              if line.strip() and not line.strip().startswith("#")]
        self._save(rules=rules)
        self.rules = rules
        self.verify_state = None
        return parsed

    def add_shapes(self, turtle: str) -> int:
        """Add user SHACL shapes (Turtle); returns the number of shapes declared."""
        from .verify import parse_shapes

        count = parse_shapes(turtle)  # raises ParseError with line and column
        self._save(shapes=[*self.shapes, turtle])
        self.shapes.append(turtle)
        self.verify_state = None
        return count

    def verify(self, *, full: bool = False, **options: Any) -> Any:
        """Run every check (contracts on the KG, SHACL, OWL characteristics, value rules, CQ tests).

        Incremental by default: only what changed since the last run is rechecked.
        ``options`` go to :func:`hydra_magic.verify.run` (e.g. ``shacl="all"`` for the
        pySHACL cross-check, ``cqs=False``).
        """
        from .verify import run

        return run(self, full=full, **options)

    def retry(self) -> ExtractionResult:
        """Re-run the chunks of the last extraction that failed (network, rate limit, timeout)."""
        last = self.last_extraction
        if last is None or not last.failed_chunks:
            raise InputError("There is no failed chunk to retry. %hydra retry re-runs chunks that failed "
                             "because of the model (network, rate limit, timeout).")
        chunks = [c for c in chunk_text(last.text, last.source, self.config.chunk_chars)
                  if c.index in {i for i, _ in last.failed_chunks}]
        eng = self.engine
        t0 = time.perf_counter()
        outcomes = extract_chunks(eng, chunks, last.text, self.ontology, self.kg, self.config.retry,
                                  types=self._types_mode())
        engine_name = getattr(eng, "name", str(eng))
        now = time.time()
        result = ExtractionResult(last.source, last.text, engine=engine_name, chunks=len(chunks), session=self)
        facts: list[Fact] = []
        labels: dict[URIRef, str] = {}
        for out in outcomes:
            for ct in out.accepted:
                facts.append(self._fact(ct, last.source, engine_name, now))
                labels.update(_labels_of(ct))
                result.accepted.append(ct)
            result.rejected += [RejectedTriple(ct, out.chunk.index) for ct in out.rejected]
            if out.error:
                result.failed_chunks.append((out.chunk.index, out.error))
        existing = {f.key for f in self.kg.facts(last.source)}
        result.facts = facts
        result.seconds = time.perf_counter() - t0
        self._commit(Change("retry", f"{last.source}: retried {count(len(chunks), 'chunk')}",
                            facts_added=[f for f in _dedupe(facts) if f.key not in existing]), labels=labels)
        last.failed_chunks = result.failed_chunks
        return result

    # ---------------------------------------------------------------- I/O
    def export(self, path: str | os.PathLike[str], format: str | None = None, *,
               what: str = "all", verified_only: bool = False, overwrite: bool = False) -> Path:
        """Write the ontology and/or KG (``what`` = ``all`` | ``ontology`` | ``kg``).

        ``verified_only`` leaves out facts that rest on inferred types (``type_inferred``).
        An existing file is replaced only with ``overwrite=True``. TriG and N-Quads
        keep sources and evidence, and :meth:`import_graph` reads them back.
        """
        from .io import export_session

        return export_session(self, path, format=format, what=what, verified_only=verified_only,
                              overwrite=overwrite)

    def import_graph(self, path: str | os.PathLike[str], *, format: str | None = None) -> str:
        """Read a TriG or N-Quads export back: facts with their evidence, and the ontology.

        One named graph per source gives the facts of that source; the evidence
        graph gives each fact's sentence, spans, engine, time, decision
        (``contracts`` or ``user``), flags and basis; the ontology graph is added
        to the ontology as it is (like :meth:`load_ontology`). Facts a source
        already holds here are kept as they are. One undoable change; returns a summary.
        """
        from .io import read_graph_export
        from .ontology import new_graph

        data = read_graph_export(path, format=format, base=self.config.base)
        # Through an Oxigraph graph, so literals compare as the ontology stores them (xsd:string explicit).
        onto = new_graph()
        for t in data.ontology:
            onto.add(t)
        added_onto = set(onto.triples((None, None, None))) - self.ontology.triples()
        if any(isinstance(x, BNode) for t in added_onto for x in t):
            # Blank nodes (owl:unionOf lists) are new on every parse: compare up to their names, so
            # importing an ontology the session already has adds no second copy of each list.
            from rdflib.compare import graph_diff

            added_onto = set(graph_diff(self.ontology.graph, onto)[2])
        new = [f for f in data.facts if not self.kg.has_fact(f)]
        for prefix, ns in data.prefixes.items():
            if prefix:
                self.ontology.graph.bind(prefix, ns, override=False)
        evidenced = sum(1 for f in new if (f.source, f.key) in data.evidenced)
        users = sum(1 for f in new if f.evidence.decision == "user")
        flagged = sum(1 for f in new if f.evidence.flags)
        summary = (f"imported {Path(path).name}: {count(len(new), 'fact')} "
                   f"from {count(len({f.source for f in new}), 'source')} "
                   f"({evidenced} with evidence, {users} by user decision, {flagged} on inferred types), "
                   f"+{len(added_onto)} ontology triples")
        if len(new) < len(data.facts):
            summary += f"; {count(len(data.facts) - len(new), 'fact')} were here already and are kept as they are"
        self.apply_change(Change("import", summary, onto_added=sorted(added_onto), facts_added=new),
                          labels=data.labels)
        return summary

    def query(self, sparql: str, *, verified_only: bool = False, allow_service: bool = False,
              timeout: float | None = None, policy: Any = None) -> Any:
        """SPARQL over ontology + KG (both visible; the KG's named graphs as their union).

        ``verified_only`` answers from verified facts only (no ``type_inferred`` facts).
        Updates are refused; ``SERVICE`` runs only with ``allow_service``; the query
        is stopped after ``timeout`` seconds (default ``config.sparql_timeout``) or
        on ``KeyboardInterrupt``. ``policy`` (a :class:`~hydra_magic.sparql_policy.QueryPolicy`)
        replaces those settings. See :func:`hydra_magic.io.query_session`.
        """
        from .io import query_session

        return query_session(self, sparql, verified_only=verified_only, allow_service=allow_service,
                             timeout=timeout, policy=policy)

    def ask(self, question: str) -> Any:
        """Answer ``question`` from the graph, each answer with the facts and sentences behind it.

        The offline compiler turns the question into SPARQL over the ontology; when it cannot and the
        session uses a model, the model writes the query (rejected if it uses terms outside the
        ontology). See :mod:`hydra_magic.ask`. Returns an :class:`~hydra_magic.ask.AskResult`.
        """
        from .ask import ask

        engine = self.engine if self.config.model != "rules" or self._engine is not None else None
        return ask(self, question, engine=engine if hasattr(engine, "cq_to_sparql") else None)

    def status(self) -> dict[str, Any]:
        return {
            "session": self.name, "engine": getattr(self._engine, "name", None) or self.config.model,
            "cqs": len(self.cqs),
            "classes": len(self.ontology.classes), "properties": len(self.ontology.properties),
            "facts": len(self.kg), "facts_on_inferred_types": self.kg.flagged_count,
            "sources": len(self.kg.sources()), "entities": self._entity_count(),
            "changes": len(self.history),
            "journal": str(self.journal.path) if self.journal else None,
        }

    #: Above this many facts a graph kept in a store is not scanned for ``status()``'s entity count.
    STATUS_SCAN_LIMIT = 250_000

    def _entity_count(self) -> int | str:
        from .store.stored_kg import StoredKnowledgeGraph

        if isinstance(self.kg, StoredKnowledgeGraph) and len(self.kg) > self.STATUS_SCAN_LIMIT:
            return f"not counted here ({len(self.kg):,} facts): hydra.kg.entity_count() counts them"
        return self.kg.entity_count()

    def __repr__(self) -> str:  # counts kept at hand only: a stored graph's sources and entities are a scan
        engine = getattr(self._engine, "name", None) or self.config.model
        return (f"<hydra Session {self.name!r}: {count(len(self.cqs), 'CQ')}, "
                f"{count(len(self.ontology.classes), 'class')}, {count(len(self.ontology.properties), 'property')}, "
                f"{count(len(self.kg), 'fact')}, engine {engine}>")

    # ------------------------------------------------------------- helpers
    def _parse_cqs(self, cqs: str | Sequence[str | CompetencyQuestion]) -> list[CompetencyQuestion]:
        if isinstance(cqs, str):
            return parse_cqs(cqs)
        out = [c if isinstance(c, CompetencyQuestion) else CompetencyQuestion(str(c).strip())
               for c in cqs if str(c).strip()]
        if not out:
            raise EmptyInputError("No competency question given. Pass one question per line.")
        return out

    def _scratch_ontology(self) -> Ontology:
        from .ontology import new_graph

        g = new_graph()
        for t in self.ontology.triples():
            g.add(t)
        scratch = Ontology(self.config.base, g)
        scratch.engine_state = dict(self.ontology.engine_state)
        return scratch


def apply_verdict(onto: Ontology, verdict: OntologyVerdict) -> None:
    """Add accepted candidates to ``onto`` (parents and classes first, then properties)."""
    for c in verdict.accepted_classes:
        parent = onto.get_class(c.parent) if c.parent else None
        onto.add_class(c.name, parent=parent.iri if parent else None, label=c.label,
                       alt_labels=c.alt_labels, comment=c.comment or "", refresh=True)
    for p in verdict.accepted_properties:
        domain = [x.iri for x in (onto.get_class(d) for d in p.domain) if x is not None]
        if p.kind == "object":
            rng = [x.iri for x in (onto.get_class(r) for r in p.range) if x is not None]
        else:
            rng = [dt for dt in (resolve_datatype(r) for r in p.range) if dt is not None]
        onto.add_property(p.name, p.kind, domain, rng, label=p.label, alt_labels=p.alt_labels,
                          characteristics=p.characteristics, comment=p.comment or "", refresh=False)
    onto.refresh()


def _labels_of(ct: CheckedTriple) -> dict[URIRef, str]:
    c = ct.candidate
    out: dict[URIRef, str] = {}
    if ct.subject is not None and c.subject_text:
        out[ct.subject] = c.subject_text
    if isinstance(ct.object, URIRef) and c.object_text and ct.predicate != RDF.type:
        out[ct.object] = c.object_text
    return out


def _dedupe(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per triple: the first verified one, else the first (a typing the text states
    later in the same text outranks the one inferred earlier)."""
    seen: dict[tuple[Node, Node, Node], Fact] = {}
    for f in facts:
        old = seen.get(f.key)
        if old is None or (old.evidence.flags and not f.evidence.flags):
            seen[f.key] = f
    return list(seen.values())


def refuse_unstorable(text: str, what: str) -> None:
    """Raise :class:`InputError` when ``text`` holds a character no file can store (a lone surrogate).

    Such text (often from a JSON ``"\\ud83c"`` escape) would be accepted in memory and then
    fail every save; refusing it up front keeps memory and disk the same.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        around = text[max(0, exc.start - 20):exc.start].encode("utf-8", "replace").decode("utf-8")
        raise InputError(f"{what} contains {text[exc.start]!r} at character {exc.start} (after {around!r}): an "
                         "unpaired surrogate, half of an emoji or other character, which cannot be stored. "
                         "Nothing changed. Clean it, e.g. text.encode('utf-8', 'replace').decode('utf-8'), "
                         "and run it again.") from None


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]

