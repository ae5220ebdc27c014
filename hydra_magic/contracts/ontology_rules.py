"""Ontology contracts: HyDRA's class and property rules, with its gaps fixed.

Each candidate gets its own verdict. Candidates are checked in order against the
ontology *plus the candidates accepted before them in the same batch*, so a
proposal may introduce a class and its subclass together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ..candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from ..iri import is_camel_case, is_pascal_case, normalise_label
from ..ontology import CHARACTERISTICS, DATATYPES, Ontology
from ..issues import Issue
from .modelling import class_flags, example_mentions

__all__ = ["OntologyVerdict", "check_proposal", "resolve_datatype"]

_XSD_ALIASES = {normalise_label(k): v for k, v in DATATYPES.items()} | {
    "xsd " + normalise_label(k): v for k, v in DATATYPES.items()} | {
    normalise_label(str(v)): v for v in DATATYPES.values()}


def resolve_datatype(name: str) -> URIRef | None:
    """``"integer"``, ``"xsd:integer"`` or the full XSD IRI -> the XSD IRI; else ``None``."""
    return _XSD_ALIASES.get(normalise_label(name.replace("xsd:", "xsd ")))


@dataclass
class OntologyVerdict:
    accepted_classes: list[ClassCandidate] = field(default_factory=list)
    accepted_properties: list[PropertyCandidate] = field(default_factory=list)
    rejected: list[tuple[ClassCandidate | PropertyCandidate, list[Issue]]] = field(default_factory=list)
    #: Accepted classes with modelling flags (warnings: ``instance_as_class``, ``literal_as_class``).
    flags: list[tuple[ClassCandidate, list[Issue]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


class _View:
    """The ontology as seen while a batch is being checked (existing + accepted so far)."""

    def __init__(self, ontology: Ontology) -> None:
        self.onto = ontology
        self.class_parent: dict[str, str | None] = {}
        for c in ontology.classes.values():
            key = normalise_label(c.name)
            parent = ontology.classes.get(c.parent) if c.parent else None
            self.class_parent[key] = normalise_label(parent.name) if parent else None
            self.class_parent.setdefault(normalise_label(c.label), self.class_parent[key])
        self.class_names = {normalise_label(c.name): c.name for c in ontology.classes.values()}
        self.class_names.update({normalise_label(c.label): c.name for c in ontology.classes.values()})
        self.property_names = {normalise_label(p.name) for p in ontology.properties.values()}

    def has_class(self, name: str) -> bool:
        return normalise_label(name) in self.class_names

    def roots(self) -> set[str]:
        return {self.class_names[k] for k, v in self.class_parent.items() if v is None and k in self.class_names}

    def ancestors(self, name: str) -> list[str]:
        out, cur, guard = [], self.class_parent.get(normalise_label(name)), 0
        while cur is not None and guard < 10_000:
            out.append(cur)
            cur = self.class_parent.get(cur)
            guard += 1
        return out


def check_proposal(proposal: OntologyProposal, ontology: Ontology,
                   *, single_root: bool = True) -> OntologyVerdict:
    """Verdict per candidate class and property.

    Parameters
    ----------
    single_root
        Enforce HyDRA's hierarchy rules (one top-level class; once it exists,
        every new class needs a superclass). Off for imported ontologies that
        already have several roots.
    """
    view = _View(ontology)
    verdict = OntologyVerdict()
    single_root = single_root and len(view.roots()) <= 1
    for c in proposal.classes:
        issues = _check_class(c, view, single_root)
        if issues:
            verdict.rejected.append((c, issues))
        else:
            verdict.accepted_classes.append(c)
            key = normalise_label(c.name)
            view.class_names[key] = c.name
            view.class_parent[key] = normalise_label(c.parent) if c.parent else None
            # The question the class came from is the evidence for instance_as_class.
            flags = class_flags(c.name, c.label or "", [(c.origin, example_mentions(c.origin))], c.parent)
            if flags:
                verdict.flags.append((c, flags))
    for p in proposal.properties:
        issues = _check_property(p, view)
        if issues:
            verdict.rejected.append((p, issues))
        else:
            verdict.accepted_properties.append(p)
            view.property_names.add(normalise_label(p.name))
    return verdict


def _check_class(c: ClassCandidate, view: _View, single_root: bool) -> list[Issue]:
    path = f"class:{c.name}"
    if not normalise_label(c.name):
        return [Issue("invalid_name", f"Class name {c.name!r} has no letters or digits.",
                      "Name the class with a PascalCase noun, e.g. 'Film'.", path=path)]
    issues: list[Issue] = []
    if not is_pascal_case(c.name):
        issues.append(Issue("class_not_pascal_case", f"Class name {c.name!r} is not PascalCase.",
                            "Start with an upper-case letter and join words, e.g. 'FilmAward'.", path=path))
    if view.has_class(c.name):
        issues.append(Issue("class_exists", f"Class {c.name!r} already exists "
                            f"(as {view.class_names[normalise_label(c.name)]!r}).",
                            "Reuse the existing class instead of declaring it again.", path=path))
    if c.parent is not None:
        if normalise_label(c.parent) == normalise_label(c.name):
            issues.append(Issue("self_subclass", f"Class {c.name!r} is declared a subclass of itself.",
                                "Pick a more general class as the superclass.", path=path))
        elif not view.has_class(c.parent):
            issues.append(Issue("unknown_superclass", f"Superclass {c.parent!r} of {c.name!r} does not exist.",
                                f"Declare {c.parent!r} first, or use one of: "
                                f"{', '.join(sorted(set(view.class_names.values()))[:8]) or 'none yet'}.",
                                path=path))
        elif normalise_label(c.name) in [*view.ancestors(c.parent)]:
            issues.append(Issue("subclass_cycle", f"Making {c.name!r} a subclass of {c.parent!r} creates a cycle.",
                                "Break the cycle: a class cannot be below its own subclass.", path=path))
    elif single_root and view.roots():
        root = sorted(view.roots())[0]
        issues.append(Issue("missing_superclass", f"Class {c.name!r} has no superclass but the root "
                            f"{root!r} exists.", f"Give {c.name!r} a superclass, e.g. {root!r}.", path=path))
    return issues


def _check_property(p: PropertyCandidate, view: _View) -> list[Issue]:
    path = f"property:{p.name}"
    if not normalise_label(p.name):
        return [Issue("invalid_name", f"Property name {p.name!r} has no letters or digits.",
                      "Name the property with a camelCase verb phrase, e.g. 'directedBy'.", path=path)]
    issues: list[Issue] = []
    if not is_camel_case(p.name):
        issues.append(Issue("property_not_camel_case", f"Property name {p.name!r} is not camelCase.",
                            "Start lower-case and join words, e.g. 'hasDirector'.", path=path, severity="error"))
    if normalise_label(p.name) in view.property_names:
        issues.append(Issue("property_exists", f"Property {p.name!r} already exists.",
                            "Reuse it; object and data properties share one namespace.", path=path))
    for d in p.domain:
        if not view.has_class(d):
            issues.append(Issue("unknown_domain_class", f"Domain class {d!r} of {p.name!r} does not exist.",
                                "Declare the class first or use an existing one.", path=path))
    if p.kind == "object":
        for r in p.range:
            if not view.has_class(r):
                issues.append(Issue("unknown_range_class", f"Range class {r!r} of {p.name!r} does not exist.",
                                    "Declare the class first or use an existing one.", path=path))
    else:
        for r in p.range:
            if resolve_datatype(r) is None:
                issues.append(Issue("invalid_datatype", f"Data property {p.name!r} has range {r!r}.",
                                    f"Use one of xsd:{', xsd:'.join(DATATYPES)}.", path=path))
    for ch in p.characteristics:
        if ch not in CHARACTERISTICS:
            issues.append(Issue("invalid_characteristic", f"{ch!r} is not an OWL property characteristic.",
                                f"Use one of: {', '.join(CHARACTERISTICS)}.", path=path))
    return issues
