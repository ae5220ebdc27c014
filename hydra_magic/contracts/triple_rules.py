"""Triple contracts: HyDRA's rules over candidate triples, per candidate.

A batch is checked in two passes: typing (``isA``) candidates first, so that
the types they introduce count for the relation candidates of the same batch;
then relations. Every candidate gets its own verdict: a valid triple is never
dropped because a neighbour was invalid (HyDRA rejects the whole chunk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from ..candidates import IS_A, TripleCandidate
from ..iri import is_snake_case, snake_case
from ..kg import KnowledgeGraph
from ..ontology import Ontology, OntProperty
from .grounding import find_span
from ..issues import Issue
from .values import check_literal, to_literal

__all__ = ["CheckedTriple", "TripleVerdict", "check_triples"]


@dataclass
class CheckedTriple:
    """A candidate with its verdict and, when valid, its RDF terms."""

    candidate: TripleCandidate
    issues: list[Issue] = field(default_factory=list)
    subject: URIRef | None = None
    predicate: URIRef | None = None
    object: Node | None = None
    subject_span: tuple[int, int] | None = None
    object_span: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues if i.severity == "error"]


@dataclass
class TripleVerdict:
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[CheckedTriple] = field(default_factory=list)


def _did_you_mean(ontology: Ontology, name: str, kind: str) -> str:
    hits = ontology.suggest(name, kind)  # type: ignore[arg-type]
    return f" Did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""


class _Checker:
    def __init__(self, ontology: Ontology, kg: KnowledgeGraph, text: str | None, ground: bool,
                 known_types: dict[URIRef, set[URIRef]] | None) -> None:
        self.onto = ontology
        self.known = known_types or {}
        self.kg = kg
        self.text = text
        self.ground = ground and text is not None
        self.batch_types: dict[URIRef, set[URIRef]] = {}

    def types(self, e: URIRef) -> set[URIRef]:
        return self.kg.types_of(e) | self.known.get(e, set()) | self.batch_types.get(e, set())

    def _entity(self, name: str, role: str, out: CheckedTriple) -> URIRef | None:
        path = f"triple.{role}"
        if not name.strip():
            out.issues.append(Issue("empty_term", f"The {role} is empty.",
                                    f"Give the {role} as a snake_case entity name.", path=path))
            return None
        if self.onto.get_class(name) is not None and not is_snake_case(name):
            out.issues.append(Issue("class_as_entity", f"{name!r} is an ontology class, not an entity.",
                                    f"Use a concrete {name} instance as the {role}, e.g. 'ridley_scott'.",
                                    path=path))
            return None
        if not is_snake_case(name):
            out.issues.append(Issue("entity_not_snake_case", f"Entity name {name!r} is not snake_case.",
                                    f"Write it as {snake_case(name)!r}.", path=path))
            return None
        return self.kg.entity_iri(name)

    def _grounded(self, term: str, surface: str, role: str, out: CheckedTriple,
                  given: tuple[int, int] | None = None) -> tuple[int, int] | None:
        if not self.ground:
            return given
        assert self.text is not None
        if given is not None:
            # An engine-given span must hold the surface form (catches off-by-n engine bugs).
            start, end = given
            held = self.text[start:end] if 0 <= start < end <= len(self.text) else ""
            if held and find_span(surface or term.replace("_", " "), held) is not None:
                return given
            out.issues.append(Issue("ungrounded", f"The {role} span {given} holds {held!r}, not "
                                    f"{surface or term!r}.", "Give spans as offsets of the words in the text.",
                                    path=f"triple.{role}"))
            return None
        span = find_span(surface or term.replace("_", " "), self.text)
        if span is None and surface:
            span = find_span(term.replace("_", " "), self.text)
        if span is None:
            out.issues.append(Issue("ungrounded", f"The {role} {surface or term!r} does not occur in the source text.",
                                    f"Only extract {role}s that are written in the text.", path=f"triple.{role}"))
        return span

    # ----------------------------------------------------------------- isA
    def check_type(self, c: TripleCandidate) -> CheckedTriple:
        out = CheckedTriple(c)
        cls = self.onto.get_class(c.object)
        if cls is None:
            out.issues.append(Issue("unknown_class", f"{c.object!r} is not a class of the ontology.",
                                    "Use an ontology class as the type." + _did_you_mean(self.onto, c.object, "class"),
                                    path="triple.object"))
        if self.onto.get_class(c.subject) is not None and not is_snake_case(c.subject):
            out.issues.append(Issue("class_as_entity", f"{c.subject!r} is a class; a class cannot be typed.",
                                    "Type an entity (snake_case) instead.", path="triple.subject"))
            return out
        s = self._entity(c.subject, "subject", out)
        out.subject_span = self._grounded(c.subject, c.subject_text, "subject", out, c.subject_span)
        if s is None or cls is None:
            return out
        for t in self.types(s):
            if not (self.onto.is_subclass(cls.iri, t) or self.onto.is_subclass(t, cls.iri)):
                out.issues.append(Issue(
                    "retype_conflict",
                    f"{c.subject!r} is a {self.onto.classes[t].name if t in self.onto.classes else t}; "
                    f"it cannot also be a {cls.name}.",
                    "Re-type an entity only to a subclass of its current type, or use a different entity.",
                    path="triple.object"))
                return out
        out.subject, out.predicate, out.object = s, RDF.type, cls.iri
        if out.ok:
            self.batch_types.setdefault(s, set()).add(cls.iri)
        return out

    # ------------------------------------------------------------ relation
    def check_relation(self, c: TripleCandidate) -> CheckedTriple:
        out = CheckedTriple(c)
        if not c.predicate.strip():
            out.issues.append(Issue("empty_term", "The predicate is empty.",
                                    "Use an ontology property as the predicate.", path="triple.predicate"))
            return out
        prop = self.onto.get_property(c.predicate)
        if prop is None:
            out.issues.append(Issue("unknown_property", f"{c.predicate!r} is not a property of the ontology.",
                                    "Use only ontology properties." + _did_you_mean(self.onto, c.predicate, "property"),
                                    path="triple.predicate"))
        s = self._entity(c.subject, "subject", out)
        out.subject_span = self._grounded(c.subject, c.subject_text, "subject", out, c.subject_span)
        if prop is None or s is None:
            if prop is not None and prop.kind == "object":
                self._entity(c.object, "object", out)
            return out
        self._check_domain(s, c, prop, out)
        if prop.kind == "object":
            o = self._entity(c.object, "object", out)
            out.object_span = self._grounded(c.object, c.object_text, "object", out, c.object_span)
            if o is not None:
                self._check_range(o, c, prop, out)
            obj: Node | None = o
        else:
            if not c.object.strip():
                out.issues.append(Issue("empty_term", "The literal value is empty.",
                                        "Give the value as written in the text.", path="triple.object"))
                return out
            issue = check_literal(c.object, prop.datatype)
            if issue:
                out.issues.append(issue)
            out.object_span = self._grounded(c.object, c.object_text, "object", out, c.object_span)
            obj = to_literal(c.object, prop.datatype) if issue is None else None
        out.subject, out.predicate, out.object = s, prop.iri, obj
        return out

    def _check_domain(self, s: URIRef, c: TripleCandidate, prop: OntProperty, out: CheckedTriple) -> None:
        types = self.types(s)
        if not types:
            dom = " or ".join(self._names(prop.domain)) or "a class"
            out.issues.append(Issue("untyped_entity", f"Subject {c.subject!r} has no type.",
                                    f"First state what {c.subject!r} is, e.g. ({c.subject}, isA, {dom}).",
                                    path="triple.subject"))
        elif prop.domain and not any(self.onto.is_subclass(t, d) for t in types for d in prop.domain):
            out.issues.append(Issue(
                "domain_mismatch",
                f"{prop.label!r} needs a subject of type {' or '.join(self._names(prop.domain))}; "
                f"{c.subject!r} is a {' and '.join(self._names(types))}.",
                "Swap subject and object if they are reversed, or use a property whose domain fits.",
                path="triple.subject"))

    def _check_range(self, o: URIRef, c: TripleCandidate, prop: OntProperty, out: CheckedTriple) -> None:
        types = self.types(o)
        if not types:
            rng = " or ".join(self._names(prop.range)) or "a class"
            out.issues.append(Issue("untyped_entity", f"Object {c.object!r} has no type.",
                                    f"First state what {c.object!r} is, e.g. ({c.object}, isA, {rng}).",
                                    path="triple.object"))
        elif prop.range and not any(self.onto.is_subclass(t, r) for t in types for r in prop.range):
            out.issues.append(Issue(
                "range_mismatch",
                f"{prop.label!r} needs an object of type {' or '.join(self._names(prop.range))}; "
                f"{c.object!r} is a {' and '.join(self._names(types))}.",
                "Swap subject and object if they are reversed, or use a property whose range fits.",
                path="triple.object"))

    def _names(self, iris: object) -> list[str]:
        return sorted(self.onto.classes[i].name if i in self.onto.classes else str(i) for i in iris)  # type: ignore[attr-defined]


def check_triples(candidates: Sequence[TripleCandidate], ontology: Ontology, kg: KnowledgeGraph,
                  text: str | None = None, *, ground: bool = True,
                  known_types: dict[URIRef, set[URIRef]] | None = None) -> TripleVerdict:
    """Verdict per candidate against the ontology, the KG's types and the source text.

    Parameters
    ----------
    text
        The whole source text; spans in candidates are offsets into it. Without
        it (or with ``ground=False``) grounding is not checked.
    known_types
        Types accepted earlier but not yet in ``kg`` (earlier chunks of the same text).
    """
    checker = _Checker(ontology, kg, text, ground, known_types)
    results: dict[int, CheckedTriple] = {}
    # "type" means rdf:type only when the ontology has no property of that name (DBpedia has one).
    type_aliases = {"isa", "rdf:type", str(RDF.type).lower()}
    if ontology.get_property("type") is None:
        type_aliases.add("type")
    for i, c in enumerate(candidates):
        if c.predicate == IS_A or c.predicate.lower() in type_aliases:
            results[i] = checker.check_type(c)
    for i, c in enumerate(candidates):
        if i not in results:
            results[i] = checker.check_relation(c)
    verdict = TripleVerdict()
    for i in range(len(candidates)):
        (verdict.accepted if results[i].ok else verdict.rejected).append(results[i])
    return verdict


def literal_value(node: Node) -> str:
    return str(node) if isinstance(node, Literal) else ""
