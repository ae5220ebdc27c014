"""HyDRA's ontology pipeline from a domain name, as visible, editable steps.

domain → committee of stakeholder groups with priorities (3/2/1 personas) →
scope documents (one per 4 personas) → merged scope → competency questions per
group → de-duplication → ontology, 4 CQs per call, through the ontology
contracts with the one repair loop → the weaver, which joins isolated class
clusters by merge / bridge / prune operations, each accepted only if it reduces
the number of clusters.

Every step returns a plain object (``to_dict``, text and HTML display) that can
be inspected and replaced before the next step runs::

    g = Generation("film festivals", engine)
    g.committee(); g.scopes(); g.scope()
    cqs = g.cqs()                     # look at them …
    g.cqs([q for q in cqs.questions if "budget" not in q])   # … edit, go on
    draft = g.ontology(session)       # batches + weaver, applied as one undoable change

:func:`run_generation` runs the steps up to ``stop_after`` (what ``%%cq
--generate`` calls). Nothing touches the session until :meth:`Generation.ontology`
applies the finished draft in one step.
"""

from __future__ import annotations

import contextlib
import html
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from rdflib import RDFS, SKOS, Literal, URIRef

from .candidates import OntologyProposal, PropertyCandidate
from .contracts import check_proposal
from .cq import CompetencyQuestion
from .errors import EngineError, InputError
from .iri import normalise_label
from .issues import Issue
from .ontology import Ontology, new_graph
from .pipeline import RetryPolicy, propose_ontology
from .wording import count

if TYPE_CHECKING:
    from .contracts import OntologyVerdict
    from .session import Session

__all__ = ["Generation", "run_generation", "Committee", "StakeholderGroup", "Persona", "ScopeDocument", "Scopes",
           "GeneratedCQ", "CQSet", "BatchRecord", "OntologyDraft", "WeaveOp", "WeaveReport", "clusters",
           "STEPS", "PERSONAS_PER_PRIORITY"]

#: The steps in order; ``stop_after`` takes any of them.
STEPS = ("committee", "scopes", "scope", "cqs", "dedupe", "ontology")
#: HyDRA's committee sizes: personas per group, by priority.
PERSONAS_PER_PRIORITY = {"high": 3, "medium": 2, "low": 1}
_PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}

T = TypeVar("T")


def _bundle(text: str) -> dict[str, str]:
    return {"text/plain": text, "text/html": f"<pre class='hydra-generate'>{html.escape(text)}</pre>"}


class _Shown:
    """Text and HTML display from ``to_text``."""

    def to_text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return _bundle(self.to_text())

    def __str__(self) -> str:
        return self.to_text()


# ------------------------------------------------------------------ committee
@dataclass
class Persona(_Shown):
    name: str
    role: str = ""
    background: str = ""

    def describe(self, group: str = "") -> str:
        g = f" ({group})" if group else ""
        return f"{self.name}, {self.role}{g}" + (f": {self.background}" if self.background else "")

    def to_text(self) -> str:
        return self.describe()


@dataclass
class StakeholderGroup(_Shown):
    name: str
    priority: str = "medium"  # high | medium | low
    description: str = ""
    personas: list[Persona] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"{self.name} [{self.priority}]" + (f": {self.description}" if self.description else "")]
        lines += [f"  - {p.describe()}" for p in self.personas]
        return "\n".join(lines)


@dataclass
class Committee(_Shown):
    """Stakeholder groups with priorities; a group of priority high/medium/low has 3/2/1 personas."""

    domain: str
    groups: list[StakeholderGroup] = field(default_factory=list)

    def personas(self) -> list[tuple[StakeholderGroup, Persona]]:
        """Every persona with its group, high-priority groups first."""
        ordered = sorted(self.groups, key=lambda g: _PRIORITY_ORDER.get(g.priority, 3))
        return [(g, p) for g in ordered for p in g.personas]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Committee":
        return cls(d.get("domain", ""),
                   [StakeholderGroup(g["name"], g.get("priority", "medium"), g.get("description", ""),
                                     [Persona(**p) for p in g.get("personas", [])])
                    for g in d.get("groups", [])])

    def to_text(self) -> str:
        n = sum(len(g.personas) for g in self.groups)
        return "\n".join([f"Committee for {self.domain!r}: {len(self.groups)} groups, {n} personas"]
                         + [g.to_text() for g in self.groups])


# --------------------------------------------------------------------- scopes
@dataclass
class ScopeDocument(_Shown):
    text: str
    title: str = ""
    concepts: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # the personas it speaks for

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        head = self.title or "Scope"
        by = f" (by {', '.join(self.authors)})" if self.authors else ""
        concepts = f"\nKey concepts: {', '.join(self.concepts)}" if self.concepts else ""
        return f"{head}{by}\n{self.text}{concepts}"


@dataclass
class Scopes(_Shown):
    documents: list[ScopeDocument] = field(default_factory=list)

    def __iter__(self) -> Iterator[ScopeDocument]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.documents]}

    def to_text(self) -> str:
        return f"{len(self.documents)} scope documents\n\n" + "\n\n".join(d.to_text() for d in self.documents)


# ------------------------------------------------------------------------ CQs
@dataclass
class GeneratedCQ:
    text: str
    group: str = ""
    kept: bool = True
    duplicate_of: int | None = None  # index (in the CQSet) of the question it duplicates


@dataclass
class CQSet(_Shown):
    """Competency questions with the group that asked them; de-duplication marks repeats as not kept."""

    items: list[GeneratedCQ] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    deduplicated: bool = False

    @classmethod
    def of(cls, questions: Iterable[str | GeneratedCQ | CompetencyQuestion]) -> "CQSet":
        items = []
        for q in questions:
            if isinstance(q, GeneratedCQ):
                items.append(q)
            else:
                text = str(getattr(q, "text", q)).strip()
                if text:
                    items.append(GeneratedCQ(text))
        if not items:
            raise InputError("No competency question given. Pass a list of questions, e.g. "
                             "['Which films did a director direct?'].")
        return cls(items)

    @property
    def questions(self) -> list[str]:
        """The kept questions, in order."""
        return [c.text for c in self.items if c.kept]

    @property
    def removed(self) -> list[tuple[str, str]]:
        """(duplicate, kept question it repeats)."""
        return [(c.text, self.items[c.duplicate_of].text if c.duplicate_of is not None else "")
                for c in self.items if not c.kept]

    def __iter__(self) -> Iterator[str]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def to_dict(self) -> dict[str, Any]:
        return {"items": [asdict(c) for c in self.items], "issues": [i.to_dict() for i in self.issues],
                "deduplicated": self.deduplicated}

    def to_text(self) -> str:
        lines = [f"{len(self.questions)} competency questions"
                 + (f" ({len(self.removed)} duplicates removed)" if self.removed else "")]
        for n, c in enumerate(self.items, start=1):
            if c.kept:
                lines.append(f"{n:>3}. {c.text}" + (f"  [{c.group}]" if c.group else ""))
        for dup, of in self.removed:
            lines.append(f"  duplicate: {dup}  (same as: {of})")
        lines += [f"  {i}" for i in self.issues]
        return "\n".join(lines)


# ------------------------------------------------------------------- ontology
@dataclass
class BatchRecord:
    """One call group of the ontology step: up to 4 CQs and what the contracts made of the replies."""

    cqs: list[str]
    classes: list[str] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    rejected: list[tuple[str, list[Issue]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    attempts: int = 0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"cqs": self.cqs, "classes": self.classes, "properties": self.properties,
                "rejected": [{"item": d, "issues": [i.to_dict() for i in iss]} for d, iss in self.rejected],
                "issues": [i.to_dict() for i in self.issues], "attempts": self.attempts, "error": self.error}


@dataclass
class WeaveOp:
    """One weaver operation: ``merge`` (source into target), ``bridge`` (child under parent, or a new
    object property), ``prune`` (remove a whole isolated cluster)."""

    op: str
    source: str | None = None
    target: str | None = None
    child: str | None = None
    parent: str | None = None
    property: PropertyCandidate | None = None
    classes: tuple[str, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        if self.op == "merge":
            return f"merge {self.source} into {self.target}"
        if self.op == "bridge" and self.property is not None:
            return f"bridge by property {self.property.describe()}"
        if self.op == "bridge":
            return f"bridge: {self.child} becomes a subclass of {self.parent}"
        return f"prune {', '.join(self.classes)}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: v for k, v in d.items() if v not in (None, (), [], "")}


@dataclass
class WeaveReport(_Shown):
    clusters_before: list[list[str]] = field(default_factory=list)
    clusters_after: list[list[str]] = field(default_factory=list)
    rounds: int = 0
    accepted: list[tuple[WeaveOp, int, int]] = field(default_factory=list)  # op, clusters before, after
    rejected: list[tuple[WeaveOp, list[Issue]]] = field(default_factory=list)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"clusters_before": self.clusters_before, "clusters_after": self.clusters_after,
                "rounds": self.rounds, "error": self.error,
                "accepted": [{"op": op.to_dict(), "before": b, "after": a} for op, b, a in self.accepted],
                "rejected": [{"op": op.to_dict(), "issues": [i.to_dict() for i in iss]} for op, iss in self.rejected]}

    def to_text(self) -> str:
        lines = [f"weaver: {len(self.clusters_before)} → {len(self.clusters_after)} clusters in {self.rounds} "
                 f"round(s), {len(self.accepted)} operation(s) accepted, {len(self.rejected)} rejected"]
        lines += [f"  + {op.describe()} ({b} → {a} clusters)" for op, b, a in self.accepted]
        lines += [f"  - {op.describe()}: " + "; ".join(str(i) for i in iss) for op, iss in self.rejected]
        if len(self.clusters_after) > 1:
            lines.append("  still isolated: " + " | ".join(", ".join(c) for c in self.clusters_after))
        if self.error:
            lines.append(f"  ! {self.error}")
        return "\n".join(lines)


@dataclass
class OntologyDraft(_Shown):
    """The ontology built from the CQs (on a copy of the session's), before or after it is applied."""

    ontology: Ontology
    added_classes: list[str] = field(default_factory=list)
    added_properties: list[str] = field(default_factory=list)
    batches: list[BatchRecord] = field(default_factory=list)
    weave: WeaveReport | None = None
    applied: bool = False
    summary: str = ""

    @property
    def rejected(self) -> list[tuple[str, list[Issue]]]:
        return [r for b in self.batches for r in b.rejected]

    def to_turtle(self) -> str:
        return self.ontology.to_turtle()

    def to_dict(self) -> dict[str, Any]:
        return {"added_classes": self.added_classes, "added_properties": self.added_properties,
                "batches": [b.to_dict() for b in self.batches],
                "weave": self.weave.to_dict() if self.weave else None, "applied": self.applied}

    def to_text(self) -> str:
        attempts = sum(b.attempts for b in self.batches)
        lines = [f"ontology: +{count(len(self.added_classes), 'class')}, "
                 f"+{count(len(self.added_properties), 'property')} from {len(self.batches)} batch(es) of CQs "
                 f"({attempts} attempts), {len(self.rejected)} rejected"
                 + (" — applied to the session" if self.applied else " — not applied")]
        if self.added_classes:
            lines.append("  classes: " + ", ".join(self.added_classes))
        if self.added_properties:
            lines.append("  properties: " + ", ".join(self.added_properties))
        for desc, issues in self.rejected:
            lines.append(f"  rejected {desc}: " + "; ".join(str(i) for i in issues))
        for b in self.batches:
            lines += [f"  {i}" for i in b.issues]
            if b.error:
                lines.append(f"  ! batch failed: {b.error}")
        if self.weave is not None:
            lines.append(self.weave.to_text())
        return "\n".join(lines)


# ------------------------------------------------------------------- clusters
def clusters(ontology: Ontology) -> list[list[str]]:
    """Isolated class clusters: classes linked by subclass or object-property edges.

    When the ontology has a single top-level class, that class and the links to
    it are left out (otherwise a one-root ontology would always be one cluster):
    two subtrees under the root that no property links are two clusters.
    """
    roots = ontology.roots()
    skip = roots[0] if len(roots) == 1 else None
    parent: dict[URIRef, URIRef] = {c: c for c in ontology.classes if c != skip}

    def find(x: URIRef) -> URIRef:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: URIRef, b: URIRef) -> None:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    for c in ontology.classes.values():
        if c.parent is not None and c.parent != skip:
            union(c.iri, c.parent)
    for p in ontology.object_properties():
        ends = [x for x in (*p.domain, *p.range) if x in parent]
        for a, b in zip(ends, ends[1:], strict=False):
            union(a, b)
    groups: dict[URIRef, list[str]] = {}
    for iri in parent:
        groups.setdefault(find(iri), []).append(ontology.classes[iri].name)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))


# ------------------------------------------------------------------ generation
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
    groups, cqs_per_group, batch_size
        Committee size, questions asked per group, CQs per ontology call (HyDRA: 4).
    policy
        The repair/retry policy; by default ``session.config.retry``.
    weave_rounds
        Upper bound on weaver rounds.
    concurrency
        Scope documents and CQ lists are requested this many at a time.
    """

    def __init__(self, domain: str, engine: Any = None, *, session: "Session | None" = None,
                 models: Mapping[str, str] | None = None, groups: int = 3, cqs_per_group: int = 6,
                 batch_size: int = 4, policy: RetryPolicy | None = None, weave_rounds: int = 3,
                 concurrency: int = 4) -> None:
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
        self.engine = engine
        self.models = dict(models or {})
        self.groups = max(1, int(groups))
        self.cqs_per_group = max(1, int(cqs_per_group))
        self.batch_size = max(1, int(batch_size))
        self.policy = policy or (session.config.retry if session is not None else RetryPolicy())
        self.weave_rounds = max(0, int(weave_rounds))
        self.concurrency = max(1, int(concurrency))
        self.results: dict[str, Any] = {}
        self._usages: list[Any] = []

    # ------------------------------------------------------------ plumbing
    def _engine_for(self, step: str) -> Any:
        model = self.models.get(step)
        if not hasattr(self.engine, "derive"):
            return self.engine
        overrides: dict[str, Any] = {"retry": self.policy}
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

    # --------------------------------------------------------------- steps
    def committee(self, value: Committee | Mapping[str, Any] | None = None, *, redo: bool = False) -> Committee:
        """The stakeholder committee (pass one to use it instead)."""
        if value is not None:
            return self._set("committee", value if isinstance(value, Committee) else Committee.from_dict(value))
        if "committee" in self.results and not redo:
            return self.results["committee"]  # type: ignore[no-any-return]
        with self._batch("committee"):
            out = self._engine_for("committee").committee(self.domain, self.groups, policy=self.policy)
        groups = []
        for g in out.groups:
            n = PERSONAS_PER_PRIORITY.get(g.priority, 1)
            groups.append(StakeholderGroup(g.name.strip(), g.priority, g.description.strip(),
                                           [Persona(p.name.strip(), p.role.strip(), p.background.strip())
                                            for p in g.personas[:n]]))
        if not groups:
            raise EngineError(f"The model proposed no stakeholder group for {self.domain!r}. Run g.committee("
                              "redo=True), or pass a Committee yourself.")
        return self._set("committee", Committee(self.domain, groups))

    def scopes(self, value: Scopes | Sequence[str | ScopeDocument] | None = None, *, redo: bool = False) -> Scopes:
        """One scope document per 4 personas (pass texts to use them instead)."""
        if value is not None:
            docs = value.documents if isinstance(value, Scopes) else [
                d if isinstance(d, ScopeDocument) else ScopeDocument(str(d)) for d in value]
            return self._set("scopes", Scopes(list(docs)))
        if "scopes" in self.results and not redo:
            return self.results["scopes"]  # type: ignore[no-any-return]
        people = self.committee().personas()
        panels = [people[i:i + 4] for i in range(0, len(people), 4)] or [[]]
        eng = self._engine_for("scope")

        def write(panel: list[tuple[StakeholderGroup, Persona]]) -> ScopeDocument:
            who = [p.describe(g.name) for g, p in panel] or [f"experts of {self.domain}"]
            out = eng.scope(self.domain, who, label=f"scope:{'|'.join(p.name for _, p in panel)[:80]}",
                            policy=self.policy)
            return ScopeDocument(out.text.strip(), out.title.strip(), [c.strip() for c in out.concepts],
                                 [p.name for _, p in panel])

        with self._batch("scopes"):
            docs = self._parallel(write, panels)
        return self._set("scopes", Scopes(docs))

    def scope(self, value: ScopeDocument | str | None = None, *, redo: bool = False) -> ScopeDocument:
        """The merged scope document (pass one to use it instead)."""
        if value is not None:
            return self._set("scope", value if isinstance(value, ScopeDocument) else ScopeDocument(str(value)))
        if "scope" in self.results and not redo:
            return self.results["scope"]  # type: ignore[no-any-return]
        docs = self.scopes().documents
        if len(docs) == 1:
            return self._set("scope", docs[0])
        with self._batch("merged scope"):
            out = self._engine_for("merge_scope").merge_scopes(self.domain, [d.text for d in docs], policy=self.policy)
        return self._set("scope", ScopeDocument(out.text.strip(), out.title.strip() or "Merged scope",
                                                [c.strip() for c in out.concepts]))

    def cqs(self, value: CQSet | Sequence[str] | None = None, *, redo: bool = False) -> CQSet:
        """Competency questions, asked per stakeholder group (pass questions to use them instead)."""
        if value is not None:
            return self._set("cqs", value if isinstance(value, CQSet) else CQSet.of(value))
        if "cqs" in self.results and not redo:
            return self.results["cqs"]  # type: ignore[no-any-return]
        scope = self.scope()
        groups = self.committee().groups
        eng = self._engine_for("cqs")

        def ask(group: StakeholderGroup) -> list[GeneratedCQ]:
            qs = eng.generate_cqs(self.domain, scope.text, f"{group.name}: {group.description}".strip(": "),
                                  self.cqs_per_group, policy=self.policy)
            return [GeneratedCQ(q, group.name) for q in qs]

        with self._batch("cqs"):
            per_group = self._parallel(ask, groups)
        items = [c for g in per_group for c in g]
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
                    groups = self._engine_for("dedupe").dedupe_cqs([items[i].text for i in alive], policy=self.policy)
            except EngineError as exc:  # keep every question; say why
                result.issues += getattr(exc, "issues", []) or [Issue("parse_error", str(exc), severity="warning")]
                groups = []
            for g in groups:
                idx = [alive[n - 1] for n in g if isinstance(n, int) and 1 <= n <= len(alive)]
                idx = [i for i in dict.fromkeys(idx) if items[i].kept]
                for i in idx[1:]:
                    items[i].kept, items[i].duplicate_of = False, idx[0]
        return self._set("dedupe", result)

    def ontology(self, session: "Session | None" = None, *, apply: bool = True, weave: bool = True,
                 redo: bool = False) -> OntologyDraft:
        """Build the ontology from the de-duplicated CQs (batches through the contracts), weave it, apply it.

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
        scratch = _copy(base_onto) if base_onto is not None else Ontology()
        existing_classes = {c.name for c in scratch.classes.values()}
        existing_props = {p.name for p in scratch.properties.values()}
        draft = OntologyDraft(scratch)
        eng = self._engine_for("ontology")
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
        if weave and self.weave_rounds:
            draft.weave = self._weave(scratch, protected=existing_classes)
        draft.added_classes = sorted(c.name for c in scratch.classes.values() if c.name not in existing_classes)
        draft.added_properties = sorted(p.name for p in scratch.properties.values() if p.name not in existing_props)
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

    # -------------------------------------------------------------- weaver
    def _weave(self, onto: Ontology, *, protected: set[str]) -> WeaveReport:
        report = WeaveReport(clusters_before=clusters(onto))
        feedback: list[tuple[WeaveOp, list[Issue]]] = []
        eng = self._engine_for("weave")
        with self._batch("weave"):
            for rnd in range(1, self.weave_rounds + 1):
                current = clusters(onto)
                if len(current) <= 1:
                    break
                report.rounds = rnd
                try:
                    ops = eng.weave(onto, current, feedback, label=f"weave round {rnd}", policy=self.policy)
                except EngineError as exc:
                    report.error = str(exc)
                    break
                feedback = []
                if not ops:
                    break
                for raw in ops:
                    op = _weave_op(raw)
                    before = len(clusters(onto))
                    if before <= 1:
                        break
                    trial = _copy(onto)
                    issues = _apply_op(trial, op, protected)
                    after = len(clusters(trial)) if not issues else before
                    if not issues and after >= before:
                        issues = [Issue("weave_no_progress",
                                        f"'{op.describe()}' leaves {after} clusters (there were {before}).",
                                        "Join two different clusters or remove a whole isolated one.",
                                        path=f"weave:{op.op}")]
                    if issues:
                        report.rejected.append((op, issues))
                        feedback.append((op, issues))
                        continue
                    onto.replace_triples(trial.triples())
                    report.accepted.append((op, before, after))
        report.clusters_after = clusters(onto)
        return report

    def weave(self) -> WeaveReport | None:
        """The weaver's report of the last ontology step."""
        draft = self.results.get("ontology")
        return draft.weave if draft is not None else None

    # --------------------------------------------------------------- apply
    def _apply(self, draft: OntologyDraft, session: "Session") -> None:
        from .session import Change

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

    # ---------------------------------------------------------------- run
    def run(self, stop_after: str = "ontology", *, session: "Session | None" = None, apply: bool = True) -> Any:
        """Run every step up to ``stop_after`` (one of :data:`STEPS`, or ``"weave"``); returns its result."""
        if stop_after == "weave":
            stop_after = "ontology"
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
        lines = [f"HyDRA generation for {self.domain!r} with {getattr(self.engine, 'name', self.engine)}"]
        for step in STEPS:
            value = self.results.get(step)
            mark = "✓" if value is not None else "·"
            lines.append(f"{mark} {step}" + (f": {value.to_text().splitlines()[0]}" if value is not None else ""))
        nxt = next((s for s in STEPS if s not in self.results), None)
        if nxt:
            lines.append(f"next: g.{nxt}()" + (" (edit the previous result first if you like)" if self.results else ""))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()


def run_generation(session: "Session", domain: str, model: str | None = None, *, stop_after: str = "ontology",
                   steps: Sequence[str] | None = None, models: Mapping[str, str] | None = None,
                   engine: Any = None, apply: bool = True, groups: int = 3, cqs_per_group: int = 6,
                   **engine_options: Any) -> Generation:
    """Run HyDRA's ontology pipeline for ``domain`` on ``session`` up to ``stop_after``.

    Parameters
    ----------
    model
        litellm model for every step (default: the session's engine, which must be a model engine).
    stop_after
        ``"committee"``, ``"scopes"``, ``"scope"``, ``"cqs"``, ``"dedupe"`` or ``"ontology"`` (default:
        all of it, applied to the session as one undoable change).
    steps
        Run only these steps (their inputs are computed as needed); overrides ``stop_after``.
    models
        Model per step, e.g. ``{"ontology": "openai/gpt-4o"}``.

    Returns the :class:`Generation`, whose later steps can be run (after editing) with
    ``g.cqs([...])``, ``g.ontology(session)``, ….
    """
    if engine is None and model:
        if engine_options:
            from .engines import get_engine

            engine = get_engine(model, **engine_options)
        else:
            engine = session.get_engine(model)
    g = Generation(domain, engine, session=session, models=models, groups=groups, cqs_per_group=cqs_per_group)
    if steps:
        unknown = [s for s in steps if s not in (*STEPS, "weave")]
        if unknown:
            raise InputError(f"Unknown step(s) {', '.join(map(repr, unknown))}. Steps are: {', '.join(STEPS)}.")
        for s in steps:
            if s in ("ontology", "weave"):
                g.ontology(session, apply=apply)
            else:
                getattr(g, s)()
    else:
        g.run(stop_after, session=session, apply=apply)
    return g


# ------------------------------------------------------------------- helpers
def _copy(onto: Ontology) -> Ontology:
    g = new_graph()
    for t in onto.triples():
        g.add(t)
    for prefix, ns in onto.graph.namespaces():
        g.bind(prefix, ns, override=False)
    return Ontology(onto.base, g)


def _weave_op(raw: Any) -> WeaveOp:
    if isinstance(raw, WeaveOp):
        return raw
    prop = None
    if getattr(raw, "property", None) is not None:
        p = raw.property
        prop = PropertyCandidate(p.name.strip(), p.kind, tuple(p.domain), tuple(p.range), label=p.label,
                                 characteristics=tuple(p.characteristics), comment=p.comment or "",
                                 origin="weaver")
    return WeaveOp(raw.op, _clean(raw.source), _clean(raw.target), _clean(raw.child), _clean(raw.parent), prop,
                   tuple(c.strip() for c in raw.classes), raw.reason or "")


def _clean(x: str | None) -> str | None:
    return x.strip() if isinstance(x, str) and x.strip() else None


def _invalid(message: str, hint: str, op: WeaveOp) -> list[Issue]:
    return [Issue("weave_invalid", message, hint, path=f"weave:{op.op}")]


def _apply_op(onto: Ontology, op: WeaveOp, protected: set[str]) -> list[Issue]:
    """Apply ``op`` to ``onto`` in place; the issues that forbid it (nothing applied) otherwise."""
    g = onto.graph

    def cls(name: str | None, role: str) -> tuple[Any, list[Issue]]:
        c = onto.get_class(name) if name else None
        if c is None:
            hint = onto.suggest(name or "", "class")
            return None, _invalid(f"The {role} class {name!r} does not exist.",
                                  "Name classes of the listed clusters." + (f" Did you mean {', '.join(hint)}?"
                                                                             if hint else ""), op)
        return c, []

    def guard(c: Any, role: str) -> list[Issue]:
        if c.name in protected:
            return _invalid(f"The {role} {c.name!r} belongs to the session's ontology.",
                            "The weaver only merges, moves or prunes classes it generated.", op)
        return []

    if op.op == "merge":
        src, iss = cls(op.source, "source")
        tgt, iss2 = cls(op.target, "target")
        if iss or iss2:
            return iss + iss2
        if src.iri == tgt.iri:
            return _invalid(f"Cannot merge {src.name!r} into itself.", "Merge two different classes.", op)
        if iss := guard(src, "merged class"):
            return iss
        for s, p, o in list(g.triples((None, None, src.iri))):
            g.remove((s, p, o))
            if s != tgt.iri:
                g.add((s, p, tgt.iri))
        for s, p, o in list(g.triples((src.iri, None, None))):
            g.remove((s, p, o))
        g.add((tgt.iri, SKOS.altLabel, Literal(src.label or src.name)))
        onto.refresh()
        if any(c in onto.ancestors(c) for c in onto.classes):
            return _invalid(f"Merging {src.name!r} into {tgt.name!r} creates a subclass cycle.",
                            "Merge classes that are not each other's ancestor and descendant.", op)
        return []
    if op.op == "bridge" and op.property is not None:
        verdict = check_proposal(OntologyProposal(properties=[op.property]), onto)
        if verdict.rejected:
            return [Issue("weave_invalid", i.message, i.hint, path=f"weave:bridge:{op.property.name}")
                    for _, iss in verdict.rejected for i in iss]
        if op.property.kind != "object":
            return _invalid(f"{op.property.name!r} is a data property; only object properties link clusters.",
                            "Bridge with an object property whose domain and range lie in different clusters.", op)
        from .session import apply_verdict

        apply_verdict(onto, verdict)
        return []
    if op.op == "bridge":
        child, iss = cls(op.child, "child")
        par, iss2 = cls(op.parent, "parent")
        if iss or iss2:
            return iss + iss2
        if iss := guard(child, "child class"):
            return iss
        roots = onto.roots()
        root = roots[0] if len(roots) == 1 else None
        if child.parent is not None and child.parent != root:
            return _invalid(f"{child.name!r} already has the superclass "
                            f"{onto.classes[child.parent].name if child.parent in onto.classes else child.parent!r}.",
                            "A class has at most one superclass: bridge with a class directly under the top level, "
                            "or with an object property.", op)
        if child.iri == par.iri or child.iri in onto.ancestors(par.iri):
            return _invalid(f"Making {child.name!r} a subclass of {par.name!r} creates a cycle.",
                            "Choose a parent that is not below the child.", op)
        g.remove((child.iri, RDFS.subClassOf, None))
        g.add((child.iri, RDFS.subClassOf, par.iri))
        onto.refresh()
        return []
    if op.op == "prune":
        if not op.classes:
            return _invalid("The prune operation names no class.", "List every class of the cluster to remove.", op)
        found = []
        for name in op.classes:
            c, iss = cls(name, "pruned")
            if iss:
                return iss
            if iss := guard(c, "pruned class"):
                return iss
            found.append(c)
        names = {c.name for c in found}
        if not any(set(cl) == names for cl in clusters(onto)):
            return _invalid(f"{', '.join(sorted(names))} is not exactly one isolated cluster.",
                            "Prune a whole cluster as listed, no more and no fewer classes.", op)
        if len(clusters(onto)) <= 1:
            return _invalid("Cannot prune the last cluster.", "Prune only when another cluster remains.", op)
        iris = {c.iri for c in found}
        for p in list(onto.properties.values()):
            if iris & set(p.domain) or (p.kind == "object" and iris & set(p.range)):
                g.remove((p.iri, None, None))
        for iri in iris:
            g.remove((iri, None, None))
            g.remove((None, None, iri))
        onto.refresh()
        return []
    return _invalid(f"Unknown weave operation {op.op!r}.", "Use merge, bridge or prune.", op)

