"""Triple contracts: HyDRA's rules over candidate triples, per candidate.

A batch is checked in two passes: typing (``isA``) candidates first, so that
the types they introduce count for the relation candidates of the same batch;
then relations. Every candidate gets its own verdict: a valid triple is never
dropped because a neighbour was invalid (HyDRA rejects the whole chunk).

Every verdict rests on evidence independent of the candidate: the sentence a
fact is judged on is found in the source text from the candidate's spans (not
taken from the engine), a type counts for a domain or range check only when
the text states it (:mod:`.type_evidence`), and the clause that states the
relation must be neither negated, hedged nor hypothetical (:mod:`.modality`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from ..candidates import IS_A, TripleCandidate
from ..iri import is_snake_case, snake_case
from ..kg import KnowledgeGraph
from ..ontology import Ontology, OntProperty
from ..sentences import sentence_at, split_sentences
from .grounding import find_span
from ..issues import Issue
from ..rule_registry import RULES, did_you_mean
from ..wording import a
from .modality import modality_cue
from .type_evidence import TYPE_INFERRED, TypeBook, TypeClaim, class_words, describe_type_source, type_stated
from .values import check_literal, to_literal

__all__ = ["CheckedTriple", "TripleVerdict", "TypesMode", "check_triples", "is_typing_predicate"]

#: ``"default"`` keeps facts that rest on inferred types, flagged ``type_inferred``;
#: ``"strict"`` rejects them with ``untyped_entity``.
TypesMode = str
TYPES_MODES = ("default", "strict")

_POLARITY_CODES = frozenset({"negated", "hedged", "hypothetical"})
_TYPE_ALIASES = frozenset({"isa", "is_a", "rdf:type", str(RDF.type).lower(), "a"})


def is_typing_predicate(predicate: str, ontology: Ontology) -> bool:
    """The one definition of a typing candidate: ``isA``, ``rdf:type``, or ``type`` when the
    ontology has no property named ``type`` (DBpedia has one, and then it is that property)."""
    p = predicate.strip()
    if p == IS_A or p.lower() in _TYPE_ALIASES:
        return True
    return p.lower() == "type" and ontology.get_property("type") is None


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
    #: Why an accepted candidate is not verified (``type_inferred``); empty = verified.
    flags: list[str] = field(default_factory=list)
    #: The sentence of the source text that states the candidate (found by the contracts).
    sentence: str = ""
    sentence_span: tuple[int, int] | None = None
    #: For a typing: how it is known ("stated in …" or "inferred from the range of …").
    type_basis: str = ""

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def verified(self) -> bool:
        """Accepted on evidence independent of itself (no flags)."""
        return self.ok and not self.flags

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues if i.severity == "error"]


@dataclass
class TripleVerdict:
    accepted: list[CheckedTriple] = field(default_factory=list)
    rejected: list[CheckedTriple] = field(default_factory=list)


class _Checker:
    def __init__(self, ontology: Ontology, kg: KnowledgeGraph, text: str | None, ground: bool,
                 book: TypeBook, types_mode: TypesMode) -> None:
        self.onto = ontology
        self.book = book
        self.kg = kg
        self.text = text
        self.ground = ground and text is not None
        self.strict = types_mode == "strict"
        self._sentences: list[tuple[int, int]] | None = None

    def types(self, e: URIRef) -> set[URIRef]:
        return self.kg.types_of(e) | set(self.book.claims(e))

    def stated(self, e: URIRef) -> set[URIRef]:
        """Types of ``e`` that rest on evidence of their own (see :mod:`.type_evidence`)."""
        return self.kg.stated_types_of(e) | {c for c, claim in self.book.claims(e).items() if claim.stated}

    def where(self, e: URIRef, cls: URIRef) -> str:
        return describe_type_source(self.kg, self.book, e, cls)

    # -------------------------------------------------------------- sentences
    def sentence_of(self, ct: "CheckedTriple", anchor: tuple[int, int] | None) -> tuple[str, int]:
        """The sentence holding ``anchor`` (absolute span); sets it on ``ct``; returns it and its offset."""
        if self.text is None or anchor is None:
            ct.sentence = ct.candidate.sentence
            return ct.sentence, -1
        if self._sentences is None:
            self._sentences = split_sentences(self.text)
        span = sentence_at(self._sentences, anchor[0]) or (anchor[0], anchor[1])
        ct.sentence_span = span
        ct.sentence = self.text[span[0]:span[1]]
        return ct.sentence, span[0]

    def polarity(self, ct: "CheckedTriple", spans: tuple[tuple[int, int] | None, ...]) -> None:
        """Reject a candidate whose governing clause is negated, hedged or hypothetical."""
        # The statement is in the sentence of the later mention: an earlier one may be a
        # resolved reference ("He …", "The film …" stand for a name in a previous sentence).
        anchor = max((sp for sp in spans if sp is not None), key=lambda sp: sp[0], default=None)
        sentence, offset = self.sentence_of(ct, anchor)
        if not sentence:
            return
        if offset < 0:  # no source text: read the engine's sentence, finding the terms in it
            c = ct.candidate
            rel = [find_span(c.subject_text or c.subject.replace("_", " "), sentence),
                   find_span(c.object_text or c.object.replace("_", " "), sentence) if len(spans) > 1 else None]
        else:
            end = offset + len(sentence)
            rel = [(a - offset, b - offset) if sp is not None and offset <= (a := sp[0]) and (b := sp[1]) <= end
                   else None for sp in spans]
        cue = modality_cue(sentence, rel[0], rel[1] if len(rel) > 1 else None)
        if cue is None:
            return
        at = (cue.span[0] + offset, cue.span[1] + offset) if offset >= 0 else cue.span
        what = {"negated": "denies", "hedged": "only hedges", "hypothetical": "only supposes or foresees"}[cue.code]
        ct.issues.append(Issue(
            cue.code, f"The text {what} this ({cue.text!r} in {sentence.strip()[:160]!r}).",
            RULES[cue.code].hint, path="triple", data={"cue": cue.text, "cue_span": list(at)}))

    def _entity(self, name: str, role: str, out: CheckedTriple) -> URIRef | None:
        path = f"triple.{role}"
        if not name.strip():
            out.issues.append(Issue("empty_term", f"The {role} is empty.",
                                    f"Give the {role} as a snake_case entity name.", path=path))
            return None
        if is_snake_case(name):  # the common case first: the class lookup only for a name that is no entity's
            return self.kg.entity_iri(name)
        if self.onto.get_class(name) is not None:
            rule = RULES["class_as_entity"]
            out.issues.append(Issue(rule.code, rule.message_for(entity=name, context=f" (the {role})"),
                                    rule.hint, path=path))
            return None
        rule = RULES["entity_not_snake_case"]
        out.issues.append(Issue(rule.code, rule.message_for(entity=name),
                                rule.hint_for(suggestion=snake_case(name)), path=path))
        return None

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
            rule = RULES["unknown_class"]
            out.issues.append(Issue(rule.code, rule.message_for(entity=c.subject, cls=c.object),
                                    rule.hint_for(did_you_mean=did_you_mean(self.onto.suggest(c.object, "class"))),
                                    path="triple.object"))
        if not is_snake_case(c.subject) and self.onto.get_class(c.subject) is not None:
            rule = RULES["class_as_entity"]
            out.issues.append(Issue(rule.code, rule.message_for(entity=c.subject, context=", so it cannot be typed"),
                                    rule.hint, path="triple.subject"))
            return out
        s = self._entity(c.subject, "subject", out)
        out.subject_span = self._grounded(c.subject, c.subject_text, "subject", out, c.subject_span)
        if s is None or cls is None:
            return out
        self.sentence_of(out, out.subject_span)
        if self.text is not None and out.subject_span is not None and out.sentence_span is not None:
            off = out.sentence_span[0]
            rel = (out.subject_span[0] - off, out.subject_span[1] - off)
            stated = type_stated(out.sentence, rel, class_words(self.onto, cls.iri))
        else:
            stated = not c.inferred  # no text to read it in: the engine's word is all there is
        if stated:
            # "X is not a director": a stated typing is a statement of its own. An inferred one
            # stands or falls with the relations it was read from (see _drop_orphaned_typings).
            self.polarity(out, (out.subject_span,))
        said = f"{out.sentence.strip()[:120]!r}" if out.sentence else "the text"
        out.type_basis = f"stated in {said}" if stated else f"inferred, not stated in {said}"
        stated_now = self.stated(s)
        if not stated:
            implied = sorted(t for t in stated_now if self.onto.is_subclass(t, cls.iri))
            if implied:  # already stated (here or in the graph): this typing adds no inference
                stated, out.type_basis = True, self.where(s, implied[0])
        for t in sorted(self.types(s)):
            if self.onto.is_subclass(cls.iri, t) or self.onto.is_subclass(t, cls.iri):
                continue
            t_name = self.onto.classes[t].name if t in self.onto.classes else str(t)
            if t in stated_now:
                out.issues.append(Issue(
                    "retype_conflict", f"{c.subject!r} is {a(t_name)} ({self.where(s, t)}); "
                    f"it cannot also be {a(cls.name)}.", RULES["retype_conflict"].hint, path="triple.object"))
            else:
                out.issues.append(Issue(
                    "type_conflict", f"{c.subject!r} is {a(t_name)}, {self.where(s, t)}; "
                    f"here it is {a(cls.name)}, {out.type_basis}. Classes on different branches.",
                    f"Decide which is right: remove the fact that made {c.subject!r} {a(t_name)} "
                    f"(%hydra remove) or accept this typing anyway.",
                    path="triple.object", data={"types": [str(t), str(cls.iri)]}))
            return out
        if not stated and self.strict:
            out.issues.append(Issue(
                "untyped_entity", f"The text does not state that {c.subject!r} is {a(cls.name)}; "
                "that type was only inferred from a relation.",
                f"State it in the text (e.g. '{c.subject_text or c.subject} is {a(cls.label or cls.name)}') or "
                "use the default types mode, which keeps such facts flagged 'type_inferred'.",
                path="triple.subject"))
            return out
        out.subject, out.predicate, out.object = s, RDF.type, cls.iri
        if not stated:
            out.flags.append(TYPE_INFERRED)
        if out.ok:
            self.book.add(s, TypeClaim(cls.iri, stated, out.type_basis))
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
            rule = RULES["unknown_property"]
            out.issues.append(Issue(rule.code, rule.message_for(prop=c.predicate),
                                    rule.hint_for(did_you_mean=did_you_mean(self.onto.suggest(c.predicate))),
                                    path="triple.predicate"))
        s = self._entity(c.subject, "subject", out)
        out.subject_span = self._grounded(c.subject, c.subject_text, "subject", out, c.subject_span)
        if prop is None or s is None:
            if prop is not None and prop.kind == "object":
                self._entity(c.object, "object", out)
            return out
        inferred_roles = self._check_domain(s, c, prop, out)
        if prop.kind == "object":
            o = self._entity(c.object, "object", out)
            out.object_span = self._grounded(c.object, c.object_text, "object", out, c.object_span)
            if o is not None:
                inferred_roles += self._check_range(o, c, prop, out)
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
        self.polarity(out, (out.subject_span, out.object_span))
        if inferred_roles:
            if self.strict:
                rule = RULES["type_inferred"]
                for role, name, e, required in inferred_roles:
                    out.issues.append(Issue(rule.strict_code or "untyped_entity", rule.message_for(
                        role=role.capitalize(), entity=name, side="domain" if role == "subject" else "range",
                        prop=prop.label, required=" or ".join(self._names(required)),
                        types=", ".join(f"{self._names({t})[0]} {self.where(e, t)}" for t in sorted(self.types(e)))),
                        rule.strict_hint, path=f"triple.{role}"))
            else:
                out.flags.append(TYPE_INFERRED)
        out.subject, out.predicate, out.object = s, prop.iri, obj
        return out

    def _fits(self, types: set[URIRef], required: tuple[URIRef, ...]) -> bool:
        return any(self.onto.is_subclass(t, r) for t in types for r in required)

    def _typed_as(self, e: URIRef, name: str, required: tuple[URIRef, ...], role: str, code: str,
                  prop: OntProperty, out: CheckedTriple) -> list[tuple[str, str, URIRef, tuple[URIRef, ...]]]:
        """Domain (``role="subject"``) or range check of ``e``; returns ``[(role, name, e, required)]``
        when the check holds only through a type inferred from a relation (the fact is then flagged)."""
        types, stated = self.types(e), self.stated(e)
        if not types:
            rule = RULES["untyped_entity"]
            need = " or ".join(self._names(required)) or "a class"
            out.issues.append(Issue(rule.code,
                                    rule.message_for(entity=name, context=f" (the {role} of {prop.label!r})"),
                                    rule.hint_for(entity=name, guess=need), path=f"triple.{role}"))
            return []
        if not required:
            return []
        if self._fits(stated, required):
            return []
        # A stated type decides; inferred types decide only when nothing is stated.
        judged = stated or types
        if not self._fits(judged, required):
            shown = " and ".join(
                a(self._names({t})[0]) + ("" if t in stated else f" ({self.where(e, t)})") for t in sorted(judged))
            rule = RULES[code]
            out.issues.append(Issue(
                code, rule.message_for(prop=prop.label, required=" or ".join(self._names(required)), entity=name,
                                       types=shown), rule.hint, path=f"triple.{role}"))
            return []
        return [(role, name, e, required)]

    def _check_domain(self, s: URIRef, c: TripleCandidate, prop: OntProperty,
                      out: CheckedTriple) -> list[tuple[str, str, URIRef, tuple[URIRef, ...]]]:
        return self._typed_as(s, c.subject, prop.domain, "subject", "domain_mismatch", prop, out)

    def _check_range(self, o: URIRef, c: TripleCandidate, prop: OntProperty,
                     out: CheckedTriple) -> list[tuple[str, str, URIRef, tuple[URIRef, ...]]]:
        return self._typed_as(o, c.object, prop.range, "object", "range_mismatch", prop, out)

    def _names(self, iris: object) -> list[str]:
        return sorted(self.onto.classes[i].name if i in self.onto.classes else str(i) for i in iris)  # type: ignore[attr-defined]


def check_triples(candidates: Sequence[TripleCandidate], ontology: Ontology, kg: KnowledgeGraph,
                  text: str | None = None, *, ground: bool = True,
                  known_types: "dict[URIRef, set[URIRef]] | TypeBook | None" = None,
                  types: TypesMode = "default") -> TripleVerdict:
    """Verdict per candidate against the ontology, the KG's types and the source text.

    Parameters
    ----------
    text
        The whole source text; spans in candidates are offsets into it. Without
        it (or with ``ground=False``) grounding is not checked, and whether a type
        is stated is taken from the engine (``TripleCandidate.inferred``).
    known_types
        Types accepted earlier but not yet in ``kg`` (earlier chunks of the same
        text): a :class:`TypeBook` (which this call extends), or a plain map of
        types the caller vouches for.
    types
        ``"default"``: facts that rest on a type inferred from a relation are
        accepted with the flag ``type_inferred``; ``"strict"``: rejected with
        ``untyped_entity``.
    """
    if types not in TYPES_MODES:
        raise ValueError(f"types must be one of {TYPES_MODES}, not {types!r}")
    book = TypeBook.from_types(known_types)
    checker = _Checker(ontology, kg, text, ground, book, types)
    results: dict[int, CheckedTriple] = {}
    typings = [i for i, c in enumerate(candidates) if is_typing_predicate(c.predicate, ontology)]
    # Typings the engine read in the text go first, so that an inferred typing of an entity
    # whose type the text states elsewhere is seen as implied by it, whatever the order.
    for i in sorted(typings, key=lambda i: bool(candidates[i].inferred)):
        results[i] = checker.check_type(candidates[i])
    for i, c in enumerate(candidates):
        if i not in results:
            results[i] = checker.check_relation(c)
        if c.issue is not None and c.issue.severity == "error":  # the engine rejects its own reading
            results[i].issues.insert(0, c.issue)
    _explain_inferred_types(results.values(), ontology, book)
    _drop_orphaned_typings(results.values(), ontology)
    verdict = TripleVerdict()
    for i in range(len(candidates)):
        ct = results[i]
        if not ct.ok:
            ct.flags.clear()  # a flag qualifies a fact in the graph; a rejected candidate is not one
        (verdict.accepted if ct.ok else verdict.rejected).append(ct)
    return verdict


def _drop_orphaned_typings(checked: "Iterable[CheckedTriple]", ontology: Ontology) -> None:
    """Reject an inferred typing whose relations in the batch the text denies, hedges or supposes.

    "Ridley Scott never directed Titanic." makes no director of anyone: a type read
    off such a relation has nothing left to rest on, so it is refused with that
    relation's rule. (A relation refused for another reason, an unknown property say,
    leaves its typings alone: the text still says what it says about the entities.)
    """
    checked = list(checked)
    used: set[URIRef] = set()
    refused: dict[str, list[CheckedTriple]] = {}
    for ct in checked:
        c = ct.candidate
        if is_typing_predicate(c.predicate, ontology):
            continue
        if ct.ok:
            used.update(x for x in (ct.subject, ct.object) if isinstance(x, URIRef))
        elif set(ct.codes) & _POLARITY_CODES:
            for name in (c.subject, c.object):
                refused.setdefault(name, []).append(ct)
    for ct in checked:
        if not (ct.ok and ct.predicate == RDF.type and TYPE_INFERRED in ct.flags) or ct.subject in used:
            continue
        because = refused.get(ct.candidate.subject)
        if not because:
            continue
        first = because[0]
        code = next(x for x in first.codes if x in _POLARITY_CODES)
        ct.issues.append(Issue(
            code, f"This type was only inferred from {first.candidate}, which the text does not assert "
                  f"({code}).", next(i for i in first.issues if i.code == code).hint, path="triple",
            data=dict(next(i for i in first.issues if i.code == code).data)))
        ct.flags.clear()


def _explain_inferred_types(checked: "Iterable[CheckedTriple]", ontology: Ontology, book: TypeBook) -> None:
    """Name the relations an inferred typing was read from (its basis), for messages and provenance."""
    checked = list(checked)
    uses: dict[URIRef, list[str]] = {}
    for ct in checked:
        if not ct.ok or ct.predicate is None or ct.predicate == RDF.type:
            continue
        prop = ontology.properties.get(ct.predicate)
        if prop is None:
            continue
        c = ct.candidate
        triple = f"({c.subject}, {prop.name}, {c.object})"
        if ct.subject is not None:
            uses.setdefault(ct.subject, []).append(f"the domain of {prop.name!r} in {triple}")
        if isinstance(ct.object, URIRef):
            uses.setdefault(ct.object, []).append(f"the range of {prop.name!r} in {triple}")
    for ct in checked:
        if ct.ok and ct.predicate == RDF.type and TYPE_INFERRED in ct.flags and ct.subject in uses:
            ct.type_basis = "inferred from " + "; ".join(uses[ct.subject][:3])
            book.add(ct.subject, TypeClaim(ct.object, False, ct.type_basis))  # type: ignore[arg-type]


def literal_value(node: Node) -> str:
    return str(node) if isinstance(node, Literal) else ""
