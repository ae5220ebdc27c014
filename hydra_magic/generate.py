"""HyDRA's ontology pipeline from a domain name, as visible, editable steps.

As the reference (ExtensityAI/ontology-hydra, ``ontopipe``) does it, with its
sizes as defaults:

1. ``committee``: one call for an exhaustive list of stakeholder groups with
   priorities, then per group personas asked until it has 3/2/1 (high/medium/low),
   then a seeded shuffle of all members;
2. ``scopes``: one scope document per panel of 4 consecutive members;
3. ``scope``: the documents merged recursively, at most 6 per call;
4. ``cqs``: one call per panel, with its personas and the merged scope, for as
   many questions as required;
5. ``dedupe``: exact repeats dropped, then the ones the model finds equivalent;
6. ``ontology``: 4 CQs per call through the ontology contracts (with the one
   repair loop), applied to the session as one undoable change;
7. ``weave``: the weaver's proposals to join isolated clusters, shown as a diff
   and applied only by the user (:mod:`hydra_magic.weave`).

Every step returns a plain object (:mod:`hydra_magic.generate_steps`) that can
be inspected and replaced before the next step runs::

    g = Generation("film festivals", engine)
    g.committee(); g.scopes(); g.scope()
    cqs = g.cqs()                     # look at them …
    g.cqs([q for q in cqs.questions if "budget" not in q])   # … edit, go on
    draft = g.ontology(session)       # one undoable change
    g.weave()                         # proposals; g.weave().apply(session) applies them

Nothing touches the session until :meth:`Generation.ontology` applies the draft.
"""

from __future__ import annotations

import contextlib
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, TypeVar

from .contracts.modelling import check_modelling
from .cq import CompetencyQuestion
from .errors import EngineError, InputError
from .generate_steps import (PERSONAS_PER_PRIORITY, PRIORITIES, BatchRecord, Committee, CQSet, GeneratedCQ,
                             OntologyDraft, Persona, ScopeDocument, Scopes, StakeholderGroup, _Shown)
from .iri import normalise_label
from .issues import Issue
from .ontology import Ontology
from .outcomes import RetryPolicy
from .pipeline import propose_ontology
from .wording import count
from .weave import WeaveProposal, clusters, copy_ontology, propose_weave

if TYPE_CHECKING:
    from .contracts import OntologyVerdict
    from .session import Session

__all__ = ["Generation", "run_generation", "Committee", "StakeholderGroup", "Persona", "ScopeDocument", "Scopes",
           "GeneratedCQ", "CQSet", "BatchRecord", "OntologyDraft", "WeaveProposal", "clusters", "STEPS",
           "PERSONAS_PER_PRIORITY", "parse_personas_per_priority"]

#: The steps in order; ``stop_after`` takes any of them.
STEPS = ("committee", "scopes", "scope", "cqs", "dedupe", "ontology", "weave")

T = TypeVar("T")


def parse_personas_per_priority(value: str | Sequence[int] | Mapping[str, int]) -> dict[str, int]:
    """``"3,2,1"``, ``(3, 2, 1)`` or ``{"high": 3, …}`` → personas per group for high, medium, low."""
    if isinstance(value, Mapping):
        out = {k: value.get(k) for k in PRIORITIES}
    else:
        parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else list(value)
        if len(parts) != 3:
            raise InputError(f"Personas per priority {value!r}: give three numbers for high, medium and low "
                             "groups, e.g. 3,2,1.")
        out = dict(zip(PRIORITIES, parts, strict=True))  # type: ignore[arg-type]
    try:
        counts = {k: int(v) for k, v in out.items()}  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"Personas per priority {value!r}: give three whole numbers, e.g. 3,2,1.") from None
    if any(v < 0 for v in counts.values()) or not any(counts.values()):
        raise InputError(f"Personas per priority {value!r}: the numbers must be 0 or more and not all 0, "
                         "e.g. 3,2,1.")
    return counts


def _ask(engine: Any, step: str, messages: list[dict[str, str]], schema: Any, *, label: str,
         policy: RetryPolicy, repair: bool = False) -> Any:
    """One structured call with our own messages (parse repair, usage and per-step models included).

    The engine has a method per generation step with fixed messages; the steps that need other
    messages (personas, repairs of short documents, CQs per panel) use its public
    :meth:`~hydra_magic.engines.llm.LLMEngine.structured`.
    """
    return engine.structured(step, messages, schema, label=label, policy=policy, repair=repair)


class Generation(_Shown):
    """HyDRA's ontology pipeline for one domain, step by step.

    Parameters
    ----------
    domain
        What the knowledge graph is about, e.g. ``"film festivals"``.
    engine
        A model engine (:class:`~hydra_magic.engines.llm.LLMEngine`); by default ``session.engine``.
    session
        Where the ontology is applied (and whose ontology the new one extends).
    models
        Model per step, e.g. ``{"cqs": "openai/gpt-4o-mini", "ontology": "openai/gpt-4o"}``
        (steps: committee, scope, merge_scope, cqs, dedupe, ontology, weave).
    groups
        Stakeholder groups to ask for; ``None`` (HyDRA): an exhaustive list.
    personas_per_priority
        Personas per group by priority (HyDRA: 3,2,1); see :func:`parse_personas_per_priority`.
    panel_size
        Personas per scope document and per CQ call (HyDRA: 4).
    merge_chunk
        Scope documents merged per call (HyDRA: 6); more are merged recursively.
    cqs_per_panel
        Questions asked per panel; ``None`` (HyDRA): as many as required.
    seed
        Seed of the shuffle that seats the personas on panels (HyDRA: 42).
    min_scope_chars
        A scope document shorter than this is asked for again (HyDRA: 100).
    batch_size
        CQs per ontology call (HyDRA: 4).
    policy
        The repair/retry policy (also bounds persona top-ups and short-document repairs);
        by default ``session.config.retry``.
    weave_rounds
        Upper bound on weaver rounds (model calls).
    concurrency
        Scope documents and CQ lists are requested this many at a time.
    """

    def __init__(self, domain: str, engine: Any = None, *, session: "Session | None" = None,
                 models: Mapping[str, str] | None = None, groups: int | None = None,
                 personas_per_priority: str | Sequence[int] | Mapping[str, int] = (3, 2, 1),
                 panel_size: int = 4, merge_chunk: int = 6, cqs_per_panel: int | None = None, seed: int = 42,
                 min_scope_chars: int = 100, batch_size: int = 4, policy: RetryPolicy | None = None,
                 weave_rounds: int = 3, concurrency: int = 4) -> None:
        if not domain or not str(domain).strip():
            raise InputError("The domain is empty. Say what the knowledge graph is about, e.g. "
                             "--domain 'film festivals'.")
        self.domain = str(domain).strip()
        self.session = session
        engine = engine if engine is not None else (session.engine if session is not None else None)
        if engine is None or not hasattr(engine, "committee"):
            name = getattr(engine, "name", engine)
            raise InputError(f"Generating an ontology from a domain needs a model engine; the engine in use is "
                             f"{name!r}. Pass model='openai/gpt-4o-mini' (or any litellm model), or set one with "
                             "%hydra model <name>.")
        for what, v, least in (("groups", groups, 1), ("panel_size", panel_size, 1), ("merge_chunk", merge_chunk, 2),
                               ("cqs_per_panel", cqs_per_panel, 1), ("batch_size", batch_size, 1),
                               ("weave_rounds", weave_rounds, 0), ("min_scope_chars", min_scope_chars, 0)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < least):
                raise InputError(f"{what}={v!r}: give a whole number of at least {least}.")
        self.engine = engine
        self.models = dict(models or {})
        self.groups = groups
        self.personas_per_priority = parse_personas_per_priority(personas_per_priority)
        self.panel_size, self.merge_chunk, self.cqs_per_panel = panel_size, merge_chunk, cqs_per_panel
        self.seed, self.min_scope_chars, self.batch_size = seed, min_scope_chars, batch_size
        self.policy = policy or (session.config.retry if session is not None else RetryPolicy())
        self.weave_rounds = weave_rounds
        self.concurrency = max(1, int(concurrency))
        self.results: dict[str, Any] = {}
        self._usages: list[Any] = []

    # ------------------------------------------------------------ plumbing
    def _engine_for(self, step: str, *, fresh: bool = False) -> Any:
        """The engine for ``step``; ``fresh`` (a redo) asks the model again instead of replaying its cache."""
        model = self.models.get(step)
        if not hasattr(self.engine, "derive"):
            return self.engine
        overrides: dict[str, Any] = {"retry": self.policy}
        if fresh:
            overrides["fresh"] = True
        if model:
            overrides["step_models"] = {**getattr(self.engine, "step_models", {}), step: model}
        return self.engine.derive(**overrides)

    def _set(self, step: str, value: Any) -> Any:
        self.results[step] = value
        for later in STEPS[STEPS.index(step) + 1:]:
            self.results.pop(later, None)
        return value

    @contextlib.contextmanager
    def _batch(self, label: str) -> Iterator[Any]:
        batch = getattr(self.engine, "batch", None)
        if not callable(batch):
            yield None
            return
        with batch(f"generate {label}: {self.domain}") as usage:
            self._usages.append(usage)
            yield usage

    def _parallel(self, fn: Callable[[Any], T], items: Sequence[Any]) -> list[T]:
        if len(items) <= 1 or self.concurrency == 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(items)), thread_name_prefix="hydra-gen") as ex:
            return list(ex.map(fn, items))

    # ----------------------------------------------------------- committee
    def committee(self, value: Committee | Mapping[str, Any] | None = None, *, redo: bool = False) -> Committee:
        """Stakeholder groups, their personas and the panel order (pass one to use it instead)."""
        if value is not None:
            c = value if isinstance(value, Committee) else Committee.from_dict({"domain": self.domain, **value})
            return self._set("committee", c)
        if "committee" in self.results and not redo:
            return self.results["committee"]  # type: ignore[no-any-return]
        from .engines import llm_prompts as prompts
        from .engines.llm_schemas import PersonasOut

        eng = self._engine_for("committee", fresh=redo)
        notes: list[str] = []
        with self._batch("committee"):
            out = eng.committee(self.domain, self.groups or 0, policy=self.policy)
            named: dict[str, Any] = {}
            for g in out.groups:  # one group per name, the first one given
                named.setdefault(normalise_label(g.name), g)
            named.pop("", None)
            groups = [StakeholderGroup(g.name.strip(), g.priority, g.description.strip(), g.reason.strip())
                      for g in named.values()]
            if len(groups) < len(out.groups):
                notes.append(f"{count(len(out.groups) - len(groups), 'group')} without a name or named twice left out")
            if self.groups is not None and len(groups) != self.groups:
                notes.append(f"asked for {count(self.groups, 'group')}, the model gave {len(groups)}"
                             + (f"; kept the first {self.groups} by priority" if len(groups) > self.groups else ""))
                groups = sorted(groups, key=lambda g: PRIORITIES.index(g.priority))[:self.groups]
            if not groups:
                raise EngineError(f"The model proposed no stakeholder group for {self.domain!r}. Run g.committee("
                                  "redo=True), or pass a committee yourself.")

            def fill(group: StakeholderGroup) -> list[str]:
                want, found, extra, calls = self.personas_per_priority[group.priority], group.personas, 0, 0
                while len(found) < want and calls < self.policy.max_attempts:
                    calls += 1
                    need = want - len(found)
                    msgs = prompts.personas(self.domain, f"{group.name} [{group.priority}]: {group.description}",
                                            [p.describe() for p in found], need)
                    reply = _ask(eng, "committee", msgs, PersonasOut, label=f"personas:{group.name[:60]}",
                                 policy=self.policy)
                    known = {normalise_label(p.name) for p in found}
                    fresh: list[Persona] = []
                    for p in reply.personas:
                        # A persona described but not named still counts; it gets its group's name and a number.
                        name = p.name.strip() or (f"{group.name} {len(found) + len(fresh) + 1}"
                                                  if (p.role or p.background).strip() else "")
                        if name and normalise_label(name) not in known:
                            known.add(normalise_label(name))
                            fresh.append(Persona(name, p.role.strip(), p.background.strip()))
                    extra += max(0, len(fresh) - need)
                    found.extend(fresh[:need])  # as the reference: at most the number still needed
                    if not fresh:
                        break  # the same request would get the same answer: stop, and say so below
                out = [f"{group.name}: dropped {count(extra, 'extra persona')} beyond {want}"] if extra else []
                if len(found) < want:
                    out.append(f"{group.name}: {len(found)} of {want} personas after {count(calls, 'call')}")
                return out

            # Groups are asked side by side; within a group the calls follow one another, since each
            # top-up names the personas found so far.
            for group_notes in self._parallel(fill, groups):
                notes += group_notes
        members = [p.name for g in groups for p in g.personas]
        random.Random(self.seed).shuffle(members)
        return self._set("committee", Committee(self.domain, groups, members, notes))

    # -------------------------------------------------------------- scopes
    def _document(self, eng: Any, step: str, messages: list[dict[str, str]], label: str,
                  notes: list[str]) -> ScopeDocument:
        """One scope document; a reply under ``min_scope_chars`` is asked again with the reason (bounded)."""
        from .engines import llm_prompts as prompts
        from .engines.llm_schemas import ScopeOut

        msgs = messages
        out = None
        for attempt in range(self.policy.max_attempts):
            out = _ask(eng, step, msgs, ScopeOut, label=label, policy=self.policy, repair=attempt > 0)
            n = len(out.text.strip())
            if n >= self.min_scope_chars:
                break
            msgs = [*messages, {"role": "assistant", "content": out.text[:4000]},
                    prompts.too_short("scope document", n, self.min_scope_chars)]
        assert out is not None
        if len(out.text.strip()) < self.min_scope_chars:
            notes.append(f"{label}: {len(out.text.strip())} characters after {self.policy.max_attempts} attempts "
                         f"(at least {self.min_scope_chars} asked)")
        return ScopeDocument(out.text.strip(), out.title.strip(), [c.strip() for c in out.concepts])

    def scopes(self, value: Scopes | Sequence[str | ScopeDocument] | None = None, *, redo: bool = False) -> Scopes:
        """One scope document per panel of personas (pass texts to use them instead)."""
        if value is not None:
            docs = value.documents if isinstance(value, Scopes) else [
                d if isinstance(d, ScopeDocument) else ScopeDocument(str(d)) for d in value]
            return self._set("scopes", Scopes(list(docs)))
        if "scopes" in self.results and not redo:
            return self.results["scopes"]  # type: ignore[no-any-return]
        from .engines import llm_prompts as prompts

        panels = self.committee().panels(self.panel_size) or [[]]
        eng = self._engine_for("scope", fresh=redo)
        notes: list[str] = []

        def write(k_panel: tuple[int, list[tuple[StakeholderGroup, Persona]]]) -> ScopeDocument:
            k, panel = k_panel
            who = [p.describe(g.name) for g, p in panel] or [f"experts of {self.domain}"]
            doc = self._document(eng, "scope", prompts.scope(self.domain, who), f"scope of panel {k}", notes)
            doc.authors = [p.name for _, p in panel]
            return doc

        with self._batch("scopes"):
            docs = self._parallel(write, list(enumerate(panels, start=1)))
        return self._set("scopes", Scopes(docs, notes))

    def scope(self, value: ScopeDocument | str | None = None, *, redo: bool = False) -> ScopeDocument:
        """The merged scope document: at most ``merge_chunk`` per call, recursively (pass one to use it instead)."""
        if value is not None:
            return self._set("scope", value if isinstance(value, ScopeDocument) else ScopeDocument(str(value)))
        if "scope" in self.results and not redo:
            return self.results["scope"]  # type: ignore[no-any-return]
        from .engines import llm_prompts as prompts

        docs = self.scopes().documents
        if not docs:
            raise InputError("There is no scope document to merge. Pass some with g.scopes([...]).")
        eng = self._engine_for("merge_scope", fresh=redo)
        notes: list[str] = []
        level, calls = 0, 0
        with self._batch("merged scope"):
            while len(docs) > 1:
                level += 1
                chunks = [docs[i:i + self.merge_chunk] for i in range(0, len(docs), self.merge_chunk)]
                todo = [(k, ch) for k, ch in enumerate(chunks, start=1) if len(ch) > 1]
                calls += len(todo)

                def merge(k_chunk: tuple[int, list[ScopeDocument]], level: int = level) -> ScopeDocument:
                    k, chunk = k_chunk
                    msgs = prompts.merge_scopes(self.domain, [d.text for d in chunk])
                    return self._document(eng, "merge_scope", msgs, f"merge {level}.{k}", notes)

                merged = dict(zip([k for k, _ in todo], self._parallel(merge, todo), strict=True))
                # A chunk of one document has nothing to merge with: it goes up a level as it is.
                docs = [merged.get(k, ch[0]) for k, ch in enumerate(chunks, start=1)]
        result = docs[0]
        if calls:
            result = ScopeDocument(result.text, result.title or "Merged scope", result.concepts,
                                   notes=[f"{count(len(self.scopes().documents), 'document')} merged in "
                                          f"{count(level, 'level')}, {count(calls, 'call')}", *notes])
        return self._set("scope", result)

    # ----------------------------------------------------------------- CQs
    def cqs(self, value: CQSet | Sequence[str] | None = None, *, redo: bool = False) -> CQSet:
        """Competency questions, one call per panel with its personas and the merged scope."""
        if value is not None:
            return self._set("cqs", value if isinstance(value, CQSet) else CQSet.of(value))
        if "cqs" in self.results and not redo:
            return self.results["cqs"]  # type: ignore[no-any-return]
        from .engines import llm_prompts as prompts
        from .engines.llm_schemas import CQsOut

        scope = self.scope()
        panels = self.committee().panels(self.panel_size) or [[]]
        eng = self._engine_for("cqs", fresh=redo)

        def ask(k_panel: tuple[int, list[tuple[StakeholderGroup, Persona]]]) -> list[GeneratedCQ]:
            k, panel = k_panel
            who = [p.describe(g.name) for g, p in panel] or [f"experts of {self.domain}"]
            messages = prompts.cqs(self.domain, scope.text, who, self.cqs_per_panel or 0)
            msgs, qs = messages, []
            for attempt in range(self.policy.max_attempts):  # HyDRA's contract: at least one question
                out = _ask(eng, "cqs", msgs, CQsOut, label=f"cqs of panel {k}", policy=self.policy,
                           repair=attempt > 0)
                qs = [q.strip() for q in out.questions if q and q.strip()]
                if qs:
                    break
                msgs = [*messages, {"role": "assistant", "content": "{\"questions\": []}"}, prompts.no_questions()]
            return [GeneratedCQ(q, f"panel {k}") for q in qs]

        with self._batch("cqs"):
            per_panel = self._parallel(ask, list(enumerate(panels, start=1)))
        items = [c for p in per_panel for c in p]
        if not items:
            raise EngineError("The model returned no competency question. Run g.cqs(redo=True) or pass your own.")
        return self._set("cqs", CQSet(items))

    def dedupe(self, value: CQSet | Sequence[str] | None = None, *, redo: bool = False) -> CQSet:
        """The CQs without repeats: exact repeats first, then those the model finds equivalent."""
        if value is not None:
            cs = value if isinstance(value, CQSet) else CQSet.of(value)
            cs.deduplicated = True
            return self._set("dedupe", cs)
        if "dedupe" in self.results and not redo:
            return self.results["dedupe"]  # type: ignore[no-any-return]
        src = self.cqs()
        items = [GeneratedCQ(c.text, c.group) for c in src.items if c.kept]
        result = CQSet(items, deduplicated=True)
        seen: dict[str, int] = {}
        for i, c in enumerate(items):
            key = normalise_label(c.text)
            if key in seen:
                c.kept, c.duplicate_of = False, seen[key]
            else:
                seen[key] = i
        alive = [i for i, c in enumerate(items) if c.kept]
        if len(alive) > 1:
            try:
                with self._batch("dedupe"):
                    eng = self._engine_for("dedupe", fresh=redo)
                    groups = eng.dedupe_cqs([items[i].text for i in alive], policy=self.policy)
            except EngineError as exc:  # keep every question; say why
                result.issues += getattr(exc, "issues", []) or [Issue("parse_error", str(exc), severity="warning")]
                groups = []
            for g in groups:
                idx = [alive[n - 1] for n in g if isinstance(n, int) and 1 <= n <= len(alive)]
                idx = [i for i in dict.fromkeys(idx) if items[i].kept]
                for i in idx[1:]:
                    items[i].kept, items[i].duplicate_of = False, idx[0]
        return self._set("dedupe", result)

    # ------------------------------------------------------------ ontology
    def ontology(self, session: "Session | None" = None, *, apply: bool = True, redo: bool = False) -> OntologyDraft:
        """Build the ontology from the de-duplicated CQs (batches through the contracts) and apply it.

        With a session (or the one given at construction) and ``apply=True`` the
        result is committed as one undoable change, together with the CQs.
        """
        session = session or self.session
        if "ontology" in self.results and not redo:
            draft: OntologyDraft = self.results["ontology"]
            if session is not None and apply and not draft.applied:
                self._check_complete(draft)
                self._apply(draft, session)
            return draft
        questions = self.dedupe().questions
        if not questions:
            raise InputError("No competency question is left to build the ontology from. Pass some with g.cqs([...]).")
        base_onto = session.ontology if session is not None else None
        scratch = copy_ontology(base_onto) if base_onto is not None else Ontology()
        existing_classes = {c.name for c in scratch.classes.values()}
        existing_props = {p.name for p in scratch.properties.values()}
        draft = OntologyDraft(scratch)
        eng = self._engine_for("ontology", fresh=redo)
        from .session import apply_verdict

        def stage(verdict: "OntologyVerdict") -> None:
            apply_verdict(scratch, verdict)

        with self._batch("ontology"):
            for i in range(0, len(questions), self.batch_size):
                batch = [CompetencyQuestion(q) for q in questions[i:i + self.batch_size]]
                rec = BatchRecord([q.text for q in batch])
                try:
                    # ``scratch`` is both what is checked against and where accepted items are staged,
                    # so a repaired item may build on one accepted in an earlier attempt or batch.
                    verdicts, issues, proposals = propose_ontology(eng, batch, scratch, self.policy, apply=stage)
                except EngineError as exc:
                    rec.error = str(exc)
                    draft.batches.append(rec)
                    break  # the model is unreachable or refuses: later batches would fail the same way
                rec.attempts = len(proposals)
                rec.issues = list(issues) + [i for p in proposals[1:] for i in p.issues]
                for v in verdicts:
                    rec.classes += [c.name for c in v.accepted_classes]
                    rec.properties += [p.name for p in v.accepted_properties]
                if verdicts:
                    rec.rejected = [(item.describe(), iss) for item, iss in verdicts[-1].rejected]
                draft.batches.append(rec)
        draft.added_classes = sorted(c.name for c in scratch.classes.values() if c.name not in existing_classes)
        draft.added_properties = sorted(p.name for p in scratch.properties.values() if p.name not in existing_props)
        new = {f"class:{n}" for n in draft.added_classes}
        draft.flags = [i for i in check_modelling(scratch, questions) if i.path in new]
        self._set("ontology", draft)
        if session is not None and apply:
            self._check_complete(draft)
            self._apply(draft, session)
        return draft

    @staticmethod
    def _check_complete(draft: OntologyDraft) -> None:
        failed = [b for b in draft.batches if b.error]
        if failed:
            raise EngineError(f"{failed[0].error} Nothing was applied to the session; the partial draft is in "
                              "g.results['ontology']. Try again with g.ontology(session, redo=True).")

    def _apply(self, draft: OntologyDraft, session: "Session") -> None:
        from .changes import Change

        before = session.ontology.triples()
        after = draft.ontology.triples()
        known = {c.text.strip().lower() for c in session.cqs}
        new_cqs = [CompetencyQuestion(q) for q in self.dedupe().questions if q.strip().lower() not in known]
        summary = (f"generated for {self.domain!r}: +{count(len(draft.added_classes), 'class')}, "
                   f"+{count(len(draft.added_properties), 'property')}, {count(len(new_cqs), 'CQ')}")
        # One undoable change through the session's single commit path (journalled like any other).
        session.apply_change(Change("generate", summary, onto_added=sorted(after - before),
                                    onto_removed=sorted(before - after), cqs_added=new_cqs))
        draft.applied = True
        draft.summary = summary

    # -------------------------------------------------------------- weaver
    def weave(self, *, redo: bool = False) -> WeaveProposal:
        """The weaver's proposals for the ontology (the session's once the draft is applied); not applied.

        Apply them with ``g.weave().apply(session)`` or ``%hydra weave apply``.
        """
        if "weave" in self.results and not redo:
            return self.results["weave"]  # type: ignore[no-any-return]
        draft = self.results.get("ontology")
        if draft is None:
            raise InputError("There is no ontology to weave yet. Run g.ontology(session) first.")
        onto = self.session.ontology if draft.applied and self.session is not None else draft.ontology
        with self._batch("weave"):
            proposal = propose_weave(onto, self._engine_for("weave"), rounds=self.weave_rounds, policy=self.policy,
                                     cqs=self.dedupe().questions)
        if self.session is not None and draft.applied:
            self.session.weave_proposal = proposal  # what %hydra weave apply applies
        return self._set("weave", proposal)  # type: ignore[no-any-return]

    # ---------------------------------------------------------------- run
    def run(self, stop_after: str = "weave", *, session: "Session | None" = None, apply: bool = True) -> Any:
        """Run every step up to ``stop_after`` (one of :data:`STEPS`); returns its result."""
        if stop_after not in STEPS:
            raise InputError(f"Unknown step {stop_after!r}. Steps are: {', '.join(STEPS)}.")
        result: Any = None
        for step in STEPS[: STEPS.index(stop_after) + 1]:
            if step == "ontology":
                result = self.ontology(session, apply=apply)
            else:
                result = getattr(self, step)()
        return result

    @property
    def usage(self) -> Any:
        """Calls, tokens, cache hits and cost of this generation's steps so far."""
        from .engines.llm import Usage

        total = Usage()
        for u in self._usages:
            for k, v in asdict(u).items():
                setattr(total, k, getattr(total, k) + v)
        return total

    def to_text(self) -> str:
        """Every product computed so far, in full, and the next step."""
        lines = [f"HyDRA generation for {self.domain!r} with {getattr(self.engine, 'name', self.engine)}"]
        for step in STEPS:
            value = self.results.get(step)
            if value is None:
                lines.append(f"· {step}")
                continue
            text = value.to_text(self.panel_size) if isinstance(value, Committee) else value.to_text()
            lines.append(f"✓ {step}")
            lines += [f"    {x}" for x in text.splitlines()]
        nxt = next((s for s in STEPS if s not in self.results), None)
        if nxt:
            call = "g.ontology(session)" if nxt == "ontology" else f"g.{nxt}()"
            lines.append(f"next: {call}" + (" (edit the previous result first if you like, e.g. g.cqs([...]))"
                                            if self.results else "")
                         + "; in a notebook: %cq --generate --continue")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()


def run_generation(session: "Session", domain: str | None = None, model: str | None = None, *,
                   stop_after: str | None = None, steps: Sequence[str] | None = None,
                   models: Mapping[str, str] | None = None, engine: Any = None, apply: bool = True,
                   resume: bool = False, **options: Any) -> Generation:
    """Run HyDRA's ontology pipeline for ``domain`` on ``session`` up to ``stop_after``.

    Parameters
    ----------
    model
        litellm model for every step (default: the session's engine, which must be a model engine).
    stop_after
        One of :data:`STEPS`; default ``"dedupe"`` for a new generation (committee to de-duplicated
        CQs, shown and editable, nothing applied) and ``"weave"`` when resuming.
    steps
        Run only these steps (their inputs are computed as needed); overrides ``stop_after``.
    models
        Model per step, e.g. ``{"ontology": "openai/gpt-4o"}``.
    resume
        Go on with the session's last generation (``session.generation``) from where it stopped,
        with its edits.
    **options
        :class:`Generation` settings: ``groups``, ``personas_per_priority``, ``panel_size``,
        ``merge_chunk``, ``cqs_per_panel``, ``seed``, ``batch_size``, ``weave_rounds``, …;
        anything else goes to the engine built for ``model``.

    Returns the :class:`Generation` (also kept as ``session.generation``).
    """
    gen_keys = {"groups", "personas_per_priority", "panel_size", "merge_chunk", "cqs_per_panel", "seed",
                "min_scope_chars", "batch_size", "weave_rounds", "concurrency", "policy"}
    gen_options = {k: v for k, v in options.items() if k in gen_keys}
    engine_options = {k: v for k, v in options.items() if k not in gen_keys}
    if resume:
        g = getattr(session, "generation", None)
        if not isinstance(g, Generation):
            raise InputError("There is no generation to continue in this session. Start one with "
                             "%cq --generate --domain \"...\".")
        if domain and domain.strip() != g.domain:
            raise InputError(f"The session's generation is for {g.domain!r}, not {domain.strip()!r}. Drop "
                             "--continue to start a new one.")
        stop_after = stop_after or "weave"
    else:
        if not domain or not domain.strip():
            raise InputError("The domain is empty. Say what the knowledge graph is about, e.g. "
                             "--domain 'film festivals'.")
        if engine is None and model:
            if engine_options:
                from .engines import get_engine

                engine = get_engine(model, **engine_options)
            else:
                engine = session.get_engine(model)
        g = Generation(domain, engine, session=session, models=models, **gen_options)
        session.generation = g
        stop_after = stop_after or "dedupe"
    if steps:
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise InputError(f"Unknown step(s) {', '.join(map(repr, unknown))}. Steps are: {', '.join(STEPS)}.")
        for s in steps:
            if s == "ontology":
                g.ontology(session, apply=apply)
            else:
                getattr(g, s)()
    else:
        g.run(stop_after, session=session, apply=apply)
    return g
