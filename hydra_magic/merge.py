"""Merging two names of one entity: which entity a name denotes, and the change a merge makes.

:meth:`Session.merge <hydra_magic.session.Session.merge>` commits what :func:`plan_merge`
computes; nothing here changes a session.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from .changes import Change
from .errors import InputError
from .iri import local_name
from .kg import ALT_LABEL, Evidence, Fact, KnowledgeGraph
from .ontology import Ontology
from .wording import a as an
from .wording import count

__all__ = ["MergeResult", "entity_named", "plan_merge"]


@dataclass
class MergeResult:
    """What :meth:`Session.merge` did: ``merged`` is gone, its facts now belong to ``kept``."""

    merged: URIRef
    kept: URIRef
    merged_label: str
    kept_label: str
    moved: int = 0
    dropped: int = 0
    alt_label: str = ""
    #: Types on different branches (only with ``force=True``; otherwise the merge is refused).
    conflicts: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        text = (f"Merged {self.merged_label!r} into {self.kept_label!r}: {count(self.moved, 'fact')} moved"
                + (f", {count(self.dropped, 'duplicate')} dropped" if self.dropped else "")
                + (f"; {self.alt_label!r} kept as an alternative label" if self.alt_label else "") + ".")
        if self.conflicts:
            text += (" Merged despite contradicting types (" + "; ".join(self.conflicts)
                     + "): %hydra verify reports them.")
        return text + " %hydra undo reverts it."

    def __str__(self) -> str:
        return self.to_text()


def plan_merge(kg: KnowledgeGraph, ontology: Ontology, a: URIRef, b: URIRef, *, force: bool = False,
               names: tuple[Any, Any] = ("", "")) -> tuple[Change, MergeResult, dict[str, Any]]:
    """The change merging entity ``a`` into ``b``, what it does, and the event the session logs.

    Every fact naming ``a`` moves to ``b`` (one ``b`` already has stays, with its own evidence); the
    label of ``a`` is kept as an alternative label (``skos:altLabel``) of ``b``. Entities whose types
    (stated or inferred) lie on different branches of the class tree are refused (they are probably
    two things; the contracts refuse such a re-typing as ``retype_conflict``) unless ``force``; then
    the result lists the conflicts. ``names`` are the user's words for ``a`` and ``b`` (for messages).
    """
    a_label, b_label = kg.label(a), kg.label(b)
    if a == b:
        raise InputError(f"Cannot merge {str(names[0])!r} with {str(names[1])!r}: both name the same entity "
                         f"{local_name(a)!r} ({a_label}). Give two different entities, "
                         "e.g. %hydra merge Weaver \"Sigourney Weaver\".")

    def typed(e: URIRef, t: URIRef) -> str:  # says when a type rests only on a relation
        return local_name(t) + ("" if t in kg.stated_types_of(e) else " (inferred)")

    # Every type counts, stated or inferred: a film merged into a person is wrong either way.
    conflicts = []
    for ta in sorted(kg.types_of(a)):
        for tb in sorted(kg.types_of(b)):
            if not (ontology.is_subclass(ta, tb) or ontology.is_subclass(tb, ta)):
                conflicts.append(f"{a_label!r} is {an(typed(a, ta))}, {b_label!r} is {an(typed(b, tb))}")
    if conflicts and not force:
        raise InputError(f"Cannot merge {a_label!r} into {b_label!r}: their types contradict ("
                         + "; ".join(conflicts) + "). Classes on different branches usually mean two "
                         "different things (an entity may be re-typed only to a subclass of its type, rule "
                         "retype_conflict). If they are one entity, remove the wrong typing first "
                         "(%hydra remove), or merge anyway with --force (force=True in Python); "
                         "%hydra verify then reports the conflict.")
    old = kg.facts_about(a)
    known = {b_label.lower(), *(x.lower() for x in kg.alt_labels(b).get(b, []))}
    moved: dict[tuple[str, tuple[Node, Node, Node]], Fact] = {}
    dropped = 0
    for f in old:
        s_, o_ = (b if f.subject == a else f.subject), (b if f.object == a else f.object)
        nf = Fact(s_, f.predicate, o_, f.evidence)
        if (kg.contains(*nf.key) or (nf.source, nf.key) in moved
                or (nf.predicate == ALT_LABEL and s_ == b and str(o_).lower() in known)):
            dropped += 1  # the fact (or name) ``into`` already has stays, with its own evidence
            continue
        moved[(nf.source, nf.key)] = nf
    added = list(moved.values())
    alt = ""
    if a_label.lower() not in known:
        first = old[0].evidence if old else None
        alt = a_label
        added.append(Fact(b, ALT_LABEL, Literal(a_label), Evidence(
            source=first.source if first else "user", sentence=first.sentence if first else "",
            engine="user", decision="user")))
    result = MergeResult(a, b, a_label, b_label, moved=len(old) - dropped, dropped=dropped, alt_label=alt,
                         conflicts=conflicts)
    change = Change("merge", f"merged {a_label!r} into {b_label!r}", facts_added=added, facts_removed=old)
    event = {"time": time.time(), "decision": "merge", "entity": str(a), "into": str(b),
             "moved": result.moved, "dropped": dropped, "forced": bool(conflicts)}
    return change, result, event


def entity_named(kg: KnowledgeGraph, name: str | URIRef, role: str, session: str) -> URIRef:
    """The one KG entity ``name`` denotes (an IRI, entity name, label or alternative label)."""
    if isinstance(name, URIRef):
        if name in set(kg.entities()):
            return name
        found: list[URIRef] = []
    else:
        if not str(name).strip():
            raise InputError(f"The entity to {role} is empty. Give an entity name or label, "
                             "e.g. %hydra merge Weaver \"Sigourney Weaver\".")
        found = kg.find_entities(str(name))
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        shown = ", ".join(f"{local_name(e)!r} ({kg.label(e)})" for e in found[:8])
        raise InputError(f"{str(name)!r} names {count(len(found), 'entity')}: {shown}. Use the entity name to pick "
                         "one.")
    labels = {kg.label(e): e for e in kg.entities()}
    close = difflib.get_close_matches(str(name), list(labels), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise InputError(f"There is no entity {str(name)!r} in the knowledge graph of session {session!r}."
                     f"{hint} Search for it in the explorer (%hydra graph) and use its name or label.")
