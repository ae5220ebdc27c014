"""HyDRA's weaver: join isolated class clusters, as proposals the user applies.

A cluster is a connected component of the subclass graph, the top-level class
included (as in the reference, ``ontopipe.ontology.ontology_fixing``): a
single-rooted tree is one cluster and is not woven. Unlike the reference, a
class with no subclass link at all is a cluster of its own (the reference does
not see it), and nothing is applied by the weaver itself: a model proposes
``merge`` (one class into an equivalent one of another cluster), ``bridge``
(subclass links from the top of one cluster into another, optionally under a
new common class) and ``prune`` (remove one whole isolated cluster); each is
tried on a copy and kept only if it reduces the number of clusters; rejected
ones are told to the model in the next round (bounded). The result is a
:class:`WeaveProposal`, shown as a diff; :meth:`WeaveProposal.apply` commits it
as one undoable change (``%hydra weave apply``).
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from .contracts.modelling import check_modelling
from .errors import EngineError, InputError
from .iri import local_name
from .issues import Issue
from .ontology import Ontology, new_graph
from .outcomes import RetryPolicy

__all__ = ["clusters", "WeaveOp", "WeaveProposal", "propose_weave", "propose_for_session", "apply_op",
           "copy_ontology", "term_text"]

Triple = tuple[Node, Node, Node]


def clusters(ontology: Ontology) -> list[list[str]]:
    """Connected components of the subclass graph (every class, the root included), largest first."""
    parent: dict[URIRef, URIRef] = {c: c for c in ontology.classes}

    def find(x: URIRef) -> URIRef:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in ontology.classes:
        for p in ontology.graph.objects(c, RDFS.subClassOf):  # every superclass, not only the first
            if isinstance(p, URIRef) and p in parent:
                a, b = find(c), find(p)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[URIRef, list[str]] = {}
    for iri in parent:
        groups.setdefault(find(iri), []).append(ontology.classes[iri].name)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))


@dataclass
class WeaveOp:
    """One operation: ``merge`` source into target, ``bridge`` by ``links`` ((child, parent), a parent
    may be one of ``new_classes``), ``prune`` every class of one isolated cluster."""

    op: str
    source: str | None = None
    target: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    new_classes: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        if self.op == "merge":
            return f"merge {self.source} into {self.target}"
        if self.op == "bridge":
            new = f" (new class {', '.join(self.new_classes)})" if self.new_classes else ""
            return "bridge: " + ", ".join(f"{c} ⊑ {p}" for c, p in self.links) + new
        if self.op == "prune":
            return f"prune {', '.join(self.classes)}"
        return self.op

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, (), [], "")}


def copy_ontology(onto: Ontology) -> Ontology:
    """An independent copy (same base and prefixes)."""
    g = new_graph()
    for t in onto.triples():
        g.add(t)
    for prefix, ns in onto.graph.namespaces():
        g.bind(prefix, ns, override=False)
    return Ontology(onto.base, g)


def _invalid(message: str, hint: str, op: WeaveOp) -> list[Issue]:
    return [Issue("weave_invalid", message, hint, path=f"weave:{op.op}")]


def apply_op(onto: Ontology, op: WeaveOp) -> list[Issue]:
    """Apply ``op`` to ``onto`` in place, or return why not (then ``onto`` may be half-changed: use a copy)."""
    g = onto.graph

    def cls(name: str | None, role: str) -> tuple[Any, list[Issue]]:
        c = onto.get_class(name) if name else None
        if c is None:
            hint = onto.suggest(name or "", "class")
            return None, _invalid(f"The {role} class {name!r} does not exist.",
                                  "Name classes of the listed clusters." + (f" Did you mean {', '.join(hint)}?"
                                                                             if hint else ""), op)
        return c, []

    if op.op == "merge":
        (src, iss), (tgt, iss2) = cls(op.source, "source"), cls(op.target, "target")
        if iss or iss2:
            return iss + iss2
        if src.iri == tgt.iri:
            return _invalid(f"Cannot merge {src.name!r} into itself.", "Merge two different classes.", op)
        for s, p, o in list(g.triples((None, None, src.iri))):
            g.remove((s, p, o))
            if s != tgt.iri:
                g.add((s, p, tgt.iri))
        for s, p, o in list(g.triples((src.iri, None, None))):
            g.remove((s, p, o))
            if p == RDFS.subClassOf and o != tgt.iri and not any(g.triples((tgt.iri, RDFS.subClassOf, None))):
                g.add((tgt.iri, RDFS.subClassOf, o))  # the merged class's place in the tree is kept
        g.add((tgt.iri, SKOS.altLabel, Literal(src.label or src.name)))
        onto.refresh()
        if any(c in onto.ancestors(c) for c in onto.classes):
            return _invalid(f"Merging {src.name!r} into {tgt.name!r} creates a subclass cycle.",
                            "Merge classes that are not each other's ancestor and descendant.", op)
        return []
    if op.op == "bridge":
        if not op.links:
            return _invalid("The bridge names no subclass link.", "Give links as [child, parent] pairs.", op)
        for name in op.new_classes:
            if onto.get_class(name) is not None:
                return _invalid(f"The new class {name!r} already exists.", "Link to it instead of declaring it.",
                                op)
            if not name[:1].isupper() or not name.replace("_", "").isalnum():
                return _invalid(f"The new class name {name!r} is not PascalCase.", "Name it like 'FilmEntity'.",
                                op)
            g.add((onto.ns[name], RDF.type, OWL.Class))
        onto.refresh()
        for child_name, parent_name in op.links:
            (child, iss), (par, iss2) = cls(child_name, "child"), cls(parent_name, "parent")
            if iss or iss2:
                return iss + iss2
            if child.parent is not None:
                return _invalid(f"{child.name!r} already has a superclass; a class has at most one.",
                                "Bridge from the top-level class of a cluster.", op)
            if child.iri == par.iri or child.iri in onto.ancestors(par.iri):
                return _invalid(f"Making {child.name!r} a subclass of {par.name!r} creates a cycle.",
                                "Choose a parent that is not below the child.", op)
            g.add((child.iri, RDFS.subClassOf, par.iri))
            onto.refresh()
        return []
    if op.op == "prune":
        found = []
        for name in op.classes:
            c, iss = cls(name, "pruned")
            if iss:
                return iss
            found.append(c)
        names = {c.name for c in found}
        current = clusters(onto)
        if not names or not any(set(cl) == names for cl in current):
            return _invalid(f"{', '.join(sorted(names)) or 'nothing'} is not exactly one isolated cluster.",
                            "Prune a whole cluster as listed, no more and no fewer classes.", op)
        if set(current[0]) == names:
            return _invalid("Cannot prune the largest cluster.", "Prune a small cluster that is off-domain.", op)
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


def term_text(t: Node) -> str:
    """How the diff shows a term: a literal quoted, an IRI by its local name."""
    return repr(str(t)) if isinstance(t, Literal) else local_name(t) if isinstance(t, URIRef) else str(t)


@dataclass
class WeaveProposal:
    """Operations that join the clusters of an ontology, tried on a copy; nothing applied until :meth:`apply`."""

    base: frozenset[Triple]
    proposed: Ontology
    clusters_before: list[list[str]] = field(default_factory=list)
    clusters_after: list[list[str]] = field(default_factory=list)
    ops: list[tuple[WeaveOp, int, int]] = field(default_factory=list)  # op, clusters before, after
    rejected: list[tuple[WeaveOp, list[Issue]]] = field(default_factory=list)
    rounds: int = 0
    error: str = ""
    applied: bool = False
    #: The 1-based numbers of the operations :meth:`apply` committed.
    applied_ops: list[int] = field(default_factory=list)
    #: Modelling flags of the ontology (instance_as_class, literal_as_class): shown, never changed by the weaver.
    flags: list[Issue] = field(default_factory=list)

    def diff(self) -> tuple[list[Triple], list[Triple]]:
        """(triples added, triples removed) relative to the ontology the proposal was made on."""
        after = self.proposed.triples()
        return sorted(after - self.base), sorted(self.base - after)

    def op_changes(self) -> list[tuple[list[Triple], list[Triple]]]:
        """(triples added, triples removed) by each operation, in order, each after the ones before it.

        Replayed on a copy of the ontology the proposal was made on, as :meth:`apply` does.
        """
        onto = copy_ontology(self.proposed)
        onto.replace_triples(set(self.base))
        out: list[tuple[list[Triple], list[Triple]]] = []
        for op, _, _ in self.ops:
            before = onto.triples()
            if apply_op(onto, op):  # cannot happen for an op kept by propose_weave; shown as no change
                onto.replace_triples(before)
            after = onto.triples()
            out.append((sorted(after - before), sorted(before - after)))
        return out

    def to_dict(self) -> dict[str, Any]:
        added, removed = self.diff()
        return {"clusters_before": self.clusters_before, "clusters_after": self.clusters_after,
                "rounds": self.rounds, "error": self.error, "applied": self.applied,
                "ops": [{"op": op.to_dict(), "before": b, "after": a} for op, b, a in self.ops],
                "rejected": [{"op": op.to_dict(), "issues": [i.to_dict() for i in iss]} for op, iss in self.rejected],
                "added": [[term_text(x) for x in t] for t in added],
                "removed": [[term_text(x) for x in t] for t in removed],
                "flags": [i.to_dict() for i in self.flags]}

    def to_text(self) -> str:
        flags = [f"  flag {i}" for i in self.flags]
        if len(self.clusters_before) <= 1:
            return "\n".join([f"weaver: the ontology is {len(self.clusters_before)} cluster"
                               f"{'' if len(self.clusters_before) == 1 else 's'}; nothing to weave.", *flags])
        lines = [f"weaver: {len(self.clusters_before)} → {len(self.clusters_after)} clusters in {self.rounds} "
                 f"round(s), {len(self.ops)} operation(s) proposed, {len(self.rejected)} rejected"
                 + (" — applied" if self.applied else " — not applied")]
        lines += [f"  cluster {n}: {', '.join(c)}" for n, c in enumerate(self.clusters_before, start=1)]
        lines += [f"  {n}. {op.describe()} ({b} → {a} clusters)" + (f": {op.reason}" if op.reason else "")
                  for n, (op, b, a) in enumerate(self.ops, start=1)]
        lines += [f"  rejected {op.describe()}: " + "; ".join(str(i) for i in iss) for op, iss in self.rejected]
        added, removed = self.diff()
        lines += [f"  - {' '.join(term_text(x) for x in t)}" for t in removed]
        lines += [f"  + {' '.join(term_text(x) for x in t)}" for t in added]
        if self.error:
            lines.append(f"  ! {self.error}")
        if self.ops and not self.applied:
            lines.append("  %hydra weave apply applies all; %hydra weave apply 1,3 only those (undoable).")
        return "\n".join(lines + flags)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        text = self.to_text()
        return {"text/plain": text, "text/html": f"<pre class='hydra-weave'>{html.escape(text)}</pre>"}

    def __str__(self) -> str:
        return self.to_text()

    def apply(self, session: Any, only: Sequence[int] | None = None) -> str:
        """Commit the proposed operations (all, or the 1-based numbers in ``only``) as one undoable change
        of ``session`` (a :class:`~hydra_magic.session.Session`)."""
        from .changes import Change

        if self.applied:
            raise InputError("This weave proposal was applied already; %hydra undo takes it back.")
        if not self.ops:
            raise InputError("The proposal has no operation to apply. Run %hydra weave for a new one.")
        if session.ontology.triples() != set(self.base):
            raise InputError("The ontology changed since this proposal was made, so it was not applied. Run "
                             "%hydra weave again (or 'Propose weaving' in the ontology view) for a new one.")
        chosen = list(range(1, len(self.ops) + 1)) if only is None else list(dict.fromkeys(only))
        bad = [n for n in chosen if not 1 <= n <= len(self.ops)]
        if bad or not chosen:
            raise InputError(f"No operation {bad[0] if bad else 'given'}: the proposal has 1 to {len(self.ops)}.")
        trial = copy_ontology(session.ontology)
        for n in chosen:
            issues = apply_op(trial, self.ops[n - 1][0])
            if issues:
                raise InputError(f"Operation {n} ({self.ops[n - 1][0].describe()}) does not apply without the "
                                 f"ones before it: {issues[0].message} Apply them together.")
        gone = set(session.ontology.classes) - set(trial.classes)
        used = sorted({local_name(str(f.object)) for f in session.kg if f.predicate == RDF.type and f.object in gone})
        if used:
            raise InputError(f"Facts in the knowledge graph are typed with {', '.join(used)}, which the weave "
                             "removes. Merge or remove those facts first, or apply only the other operations.")
        before, after = session.ontology.triples(), trial.triples()
        summary = (f"weave: {', '.join(self.ops[n - 1][0].describe() for n in chosen)} "
                   f"({len(clusters(session.ontology))} → {len(clusters(trial))} clusters)")
        session.apply_change(Change("weave", summary, onto_added=sorted(after - before),
                                    onto_removed=sorted(before - after)))
        self.applied = True
        self.applied_ops = chosen
        return summary


def _op(raw: Any) -> WeaveOp:
    if isinstance(raw, WeaveOp):
        return raw

    def clean(x: Any) -> str | None:
        return x.strip() if isinstance(x, str) and x.strip() else None

    links = [(str(c).strip(), str(p).strip()) for c, p in (getattr(raw, "links", None) or [])]
    child, par = clean(getattr(raw, "child", None)), clean(getattr(raw, "parent", None))
    if child and par:
        links.append((child, par))
    return WeaveOp(raw.op, clean(raw.source), clean(raw.target), tuple(links),
                   tuple(c.strip() for c in getattr(raw, "new_classes", ()) or ()),
                   tuple(c.strip() for c in raw.classes), raw.reason or "")


def propose_weave(ontology: Ontology, engine: Any, *, rounds: int = 3, policy: RetryPolicy | None = None,
                  cqs: Iterable[object] = ()) -> WeaveProposal:
    """Ask ``engine.weave`` for operations, at most ``rounds`` times, and keep those that reduce the clusters.

    A single cluster (or none) makes no call. ``ontology`` is not changed. The proposal also
    carries the ontology's modelling flags against ``cqs`` (the review shows them; the weaver
    does not act on them).
    """
    scratch = copy_ontology(ontology)
    proposal = WeaveProposal(frozenset(ontology.triples()), scratch, clusters_before=clusters(ontology),
                             flags=check_modelling(ontology, cqs))
    feedback: list[tuple[WeaveOp, list[Issue]]] = []
    for rnd in range(1, max(0, int(rounds)) + 1):
        current = clusters(scratch)
        if len(current) <= 1:
            break
        proposal.rounds = rnd
        try:
            raw_ops = engine.weave(scratch, current, feedback, label=f"weave round {rnd}", policy=policy)
        except EngineError as exc:
            proposal.error = str(exc)
            break
        feedback = []
        for raw in raw_ops:
            op = _op(raw)
            before = len(clusters(scratch))
            if before <= 1:
                break
            trial = copy_ontology(scratch)
            issues = apply_op(trial, op)
            after = len(clusters(trial)) if not issues else before
            if not issues and after >= before:
                msg = f"'{op.describe()}' leaves {after} clusters (there were {before})."
                issues = [Issue("weave_no_progress", msg,
                                "Join two different clusters or remove a whole isolated one.", path=f"weave:{op.op}")]
            if issues:
                proposal.rejected.append((op, issues))
                feedback.append((op, issues))
                continue
            scratch.replace_triples(trial.triples())
            proposal.ops.append((op, before, after))
    proposal.clusters_after = clusters(scratch)
    return proposal


def propose_for_session(session: Any, *, model: str | None = None, rounds: int = 3) -> WeaveProposal:
    """The weaver on a :class:`~hydra_magic.session.Session`'s ontology: what ``%hydra weave`` and the
    ontology view's button run (the session is not imported here: the state of the views imports
    :func:`clusters`, and the session imports the views).

    A single cluster (or none) asks no model. Otherwise the session's engine, or the one named
    ``model``, must have ``weave``. The proposal becomes ``session.weave_proposal`` (what
    ``%hydra weave apply`` applies); nothing is applied.

    Raises
    ------
    InputError
        The engine cannot weave (the offline engine): name a model.
    """
    engine = None
    if len(clusters(session.ontology)) > 1:
        engine = session.get_engine(model)
        if not hasattr(engine, "weave"):
            name = getattr(engine, "name", engine)
            raise InputError(f"The weaver needs a model engine; the session uses {name!r}. Name one: "
                             "%hydra weave --model openai/gpt-4o-mini (or the model box of the ontology view).")
    proposal = propose_weave(session.ontology, engine, rounds=rounds, policy=session.config.retry, cqs=session.cqs)
    session.weave_proposal = proposal
    return proposal
