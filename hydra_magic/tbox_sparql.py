"""Competency questions → SPARQL over an ontology's axioms (TBox), in SPARQL-OWL style.

Schema-level CQs ("Which animals eat impalas?", "Is a lion a herbivore?", "What
kinds of stuff are there?") are answered by the ontology itself, not by instance
data: the answers are *classes*, found in ``rdfs:subClassOf`` links and in
``owl:Restriction`` nodes (``owl:onProperty`` / ``owl:someValuesFrom``). This is
how the CQ2SPARQLOWL gold queries are written (Wiśniewski et al. 2019).
:func:`compile_tbox` turns a :class:`~hydra_magic.english.cq.ParsedCQ`
into such a query; :func:`compile_tbox_query` returns only the query text.

Terms are never invented: every class and property word of the question must
name a term of the ontology (by IRI, local name, label or alternative label,
case/space-insensitively, also in its plural form). When one does not, the
result has no query and a ``reason`` naming the word.

Question shapes and their queries
---------------------------------
``⊑*`` is zero or more steps of :data:`SUB`: ``rdfs:subClassOf``, ``owl:equivalentClass``
(either way) or an ``owl:intersectionOf`` conjunct; ``⊑+`` one or more.

``Is X a Y?`` / ``Is X a kind of Y?``
    ``ASK { X ⊑* Y }``.
``Is X an A or a B?`` (alternatives)
    ``SELECT ?answer { X ⊑* ?answer  FILTER(?answer IN (A, B)) }``.
``What kinds of X are there?``
    ``SELECT ?kind { ?kind ⊑+ X }`` (named classes, ``X`` and ``owl:Nothing`` excluded).
``What kind of C is X?``
    ``SELECT ?kind { X ⊑+ ?kind . ?kind ⊑+ C }`` (``X`` and ``C`` excluded).
``Which D P R?`` / ``Which R does D P?`` / ``Does D P R?`` / ``Which D P which R?``
    The answer side is a variable below its class; the other side is a constant
    class, or a second variable when the question has two wh-words. Forward:
    ``D ⊑* [P' some F]`` with ``P' rdfs:subPropertyOf* P`` and ``F ⊑* R`` (or
    ``F`` a union whose every member is below an ``R``). Where the ontology
    declares ``P owl:inverseOf Q``, also ``R ⊑* [Q' some G]`` with ``G ⊑* D``.
    An answer taken from a filler must be a named class.

Not compiled (a reason says which): negated questions, counts and other
aggregates, data values, definitions, compound questions, and questions about
individuals (proper names) that are not classes of the ontology.

Reading only *asserted* axioms, an engine without an OWL reasoner finds fewer
answers than the SPARQL-OWL entailment regime the gold queries were written
for; the transitive paths above recover subsumption chains and inherited
restrictions (``Lion ⊑ Carnivore ⊑ [eats some Animal]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rdflib import OWL, URIRef

from .english.cq.model import ClassRef, ParsedCQ, PropertyReq
from .english.morphology import pluralise, singularise
from .iri import normalise_label

if TYPE_CHECKING:
    from .ontology import Ontology

__all__ = ["TBoxQuery", "compile_tbox", "compile_tbox_query"]

_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
)
#: One step of structural subsumption: a stated subclass link, an equivalence (either way),
#: or a conjunct of an intersection (``X ⊑ A ⊓ B`` gives ``X ⊑ A``).
SUB = "(rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass|owl:intersectionOf/rdf:rest*/rdf:first)"
_WH = re.compile(r"\b(which|what)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TBoxQuery:
    """The outcome of compiling one parsed CQ.

    Attributes
    ----------
    query
        SPARQL text (``SELECT`` or ``ASK``), or ``None`` when the question could not be compiled.
    reason
        Why there is no query (names the word or the shape); ``""`` when there is one.
    form
        ``"select"`` or ``"ask"``; ``None`` without a query.
    answer_vars
        The projected variables of a ``SELECT`` (without ``?``).
    terms
        The ontology term each question word was mapped to (word → IRI).
    """

    query: str | None
    reason: str = ""
    form: Literal["select", "ask"] | None = None
    answer_vars: tuple[str, ...] = ()
    terms: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.query is not None


class _Unresolved(Exception):
    pass


def compile_tbox_query(parsed: ParsedCQ | None, ontology: Ontology) -> str | None:
    """The query text of :func:`compile_tbox` (``None`` when it cannot be compiled)."""
    return compile_tbox(parsed, ontology).query


def compile_tbox(parsed: ParsedCQ | None, ontology: Ontology) -> TBoxQuery:
    """Compile a parsed competency question to SPARQL over ``ontology``'s axioms."""
    if parsed is None:
        return TBoxQuery(None, "the question was not parsed")
    c = _Compiler(parsed, ontology)
    try:
        return c.compile()
    except _Unresolved as exc:
        return TBoxQuery(None, str(exc), terms=dict(c.terms))


# =============================================================================


def _term(iri: URIRef) -> str:
    return f"<{iri}>"


class _Compiler:
    def __init__(self, parsed: ParsedCQ, ontology: Ontology) -> None:
        self.p = parsed
        self.o = ontology
        self.g = ontology.graph
        self.terms: dict[str, str] = {}
        self._n = 0

    # ----------------------------------------------------------- resolution
    def cls(self, ref: ClassRef | str) -> URIRef:
        if isinstance(ref, str):
            ref = next((c for c in self.p.classes if c.name == ref), None) or ClassRef.from_label(
                normalise_label(ref))
        words = ref.label or normalise_label(ref.name)
        keys = [ref.name, ref.label, ref.plural, *ref.synonyms]
        if words:
            last = words.split()
            keys += [" ".join(last[:-1] + [pluralise(last[-1])]), " ".join(last[:-1] + [singularise(last[-1])])]
        for k in keys:
            if k:
                hit = self.o.get_class(k)
                if hit is not None:
                    self.terms[words or ref.name] = str(hit.iri)
                    return hit.iri
        # Plural forms compared ("rock dassies" names the class "RockDassie", not "rock dassy").
        plural = normalise_label(ref.plural) if ref.plural else ""
        for c in sorted(self.o.classes.values(), key=lambda c: str(c.iri)):
            label = normalise_label(c.label or c.name).split()
            if plural and label and " ".join(label[:-1] + [pluralise(label[-1])]) == plural:
                self.terms[words or ref.name] = str(c.iri)
                return c.iri
        raise _Unresolved(f"no class of the ontology for {words or ref.name!r}")

    def classes(self, names: Sequence[str]) -> list[URIRef]:
        return [self.cls(n) for n in names]

    def prop(self, req: PropertyReq) -> tuple[URIRef, bool]:
        """The ontology property for ``req`` and whether it reads inverted (``eaten by`` for ``eats``)."""
        for k in (req.name, req.label):
            hit = self.o.get_property(k) if k else None
            if hit is not None:
                self.terms[req.label or req.name] = str(hit.iri)
                return hit.iri, False
        for k in req.alt_labels:  # "eaten by": a property named by the passive reads the other way
            if k.endswith(" by"):
                hit = self.o.get_property(k)
                if hit is not None:
                    self.terms[k] = str(hit.iri)
                    return hit.iri, True
        raise _Unresolved(f"no property of the ontology for {req.label or req.name!r}")

    def inverses(self, p: URIRef) -> list[URIRef]:
        out = {o for o in self.g.objects(p, OWL.inverseOf) if isinstance(o, URIRef)}
        out |= {s for s in self.g.subjects(OWL.inverseOf, p) if isinstance(s, URIRef)}
        return sorted(out - {p})

    def var(self, stem: str) -> str:
        self._n += 1
        return f"?{stem}{self._n}"

    # ------------------------------------------------------------- dispatch
    def compile(self) -> TBoxQuery:
        p = self.p
        if p.parts:
            raise _Unresolved("compound question (several clauses): not compiled")
        if p.negated:
            raise _Unresolved("negated question: absence of an axiom is not asked of the TBox")
        if p.aggregate:
            raise _Unresolved(f"{p.aggregate} aggregate: not compiled")
        if p.answer in ("count", "value", "definition"):
            raise _Unresolved(f"asks for a {p.answer}, not for classes")
        for e in p.entities:
            self.cls(e)  # a proper name must at least be a class
        if p.properties:
            return self.relational()
        if p.answer == "subclasses":
            return self.kinds_of()
        if p.answer == "superclass":
            return self.kind_of()
        if p.answer == "boolean":
            return self.is_a()
        raise _Unresolved(f"pattern {p.pattern!r} has no TBox form")

    def done(self, body: str, form: Literal["select", "ask"], answer_vars: Sequence[str] = ()) -> TBoxQuery:
        if form == "ask":
            q = f"{_PREFIXES}ASK {{\n{body}\n}}\n"
        else:
            q = f"{_PREFIXES}SELECT DISTINCT {' '.join('?' + v for v in answer_vars)} WHERE {{\n{body}\n}}\n"
        return TBoxQuery(q, "", form, tuple(answer_vars), dict(self.terms))

    # ----------------------------------------------------------- taxonomy
    def kinds_of(self) -> TBoxQuery:
        target = self.cls(self.p.answer_class or self.p.classes[0])
        body = (f"  ?kind {SUB}+ {_term(target)} .\n"
                f"  FILTER(isIRI(?kind) && ?kind != {_term(target)} && ?kind != owl:Nothing)")
        return self.done(body, "select", ["kind"])

    def kind_of(self) -> TBoxQuery:
        link = self.p.subclass_of
        if link is None:
            raise _Unresolved("asks what kind of thing something is, but names no subject class")
        child, parent = self.cls(link.child), self.cls(link.parent)
        c, pa = _term(child), _term(parent)
        body = (f"  {c} {SUB}+ ?kind .\n  ?kind {SUB}+ {pa} .\n"
                f"  FILTER(isIRI(?kind) && ?kind != {c} && ?kind != {pa} && ?kind != owl:Nothing)")
        return self.done(body, "select", ["kind"])

    def is_a(self) -> TBoxQuery:
        p = self.p
        links = p.subclass_links
        if len(p.classes) >= 3 and all(link.implied for link in links):
            # "Is X an A or a B?": which of the alternatives holds
            subject = self.cls(p.classes[0])
            alts = [self.cls(c) for c in p.classes[1:]]
            body = (f"  {_term(subject)} {SUB}* ?answer .\n"
                    f"  FILTER(?answer IN ({', '.join(_term(a) for a in alts)}))")
            return self.done(body, "select", ["answer"])
        if not links:
            raise _Unresolved("yes/no question without a subclass link or a property")
        body = "\n".join(f"  {_term(self.cls(link.child))} {SUB}* {_term(self.cls(link.parent))} ."
                         for link in links)
        return self.done(body, "ask")

    # ----------------------------------------------------------- relations
    def relational(self) -> TBoxQuery:
        p = self.p
        req = p.properties[0]
        if req.kind == "data":
            raise _Unresolved(f"asks for the data value {req.label or req.name!r}, not for classes")
        if p.focus is None and p.answer != "boolean":
            raise _Unresolved(f"pattern {p.pattern!r}: no answer side")
        prop, flipped = self.prop(req)
        dom_names, rng_names = list(req.domain), list(req.range)
        focus = p.focus
        if flipped:
            dom_names, rng_names = rng_names, dom_names
            focus = {"domain": "range", "range": "domain"}.get(focus or "", None)  # type: ignore[assignment]
        # A relational noun that names no class ("Which plants have parts?"): any filler.
        if len(rng_names) == 1 and self.o.get_class(rng_names[0]) is None and \
                normalise_label(req.name).endswith(normalise_label(rng_names[0])):
            rng_names = []
        dom = self.classes(dom_names)
        rng = self.classes(rng_names)
        two_wh = p.answer != "boolean" and len(_WH.findall(p.text)) >= 2
        ask = p.answer == "boolean"
        sides = {"domain": ("x", dom), "range": ("y", rng)}
        answer_sides = [] if ask else (["domain", "range"] if two_wh else [focus])
        # Each side: a variable (answer) or a constant set of classes (possibly empty: anything).
        s_var = "?x" if "domain" in answer_sides else None
        o_var = "?y" if "range" in answer_sides else None
        fwd = self.branch(prop, subj=(s_var, dom), obj=(o_var, rng))
        branches = [fwd]
        for inv in self.inverses(prop):
            branches.append(self.branch(inv, subj=(o_var, rng), obj=(s_var, dom)))
        body = "  {\n" + "\n  } UNION {\n".join(branches) + "\n  }"
        if ask:
            return self.done(body, "ask")
        return self.done(body, "select", [sides[s][0] for s in ("domain", "range") if s in answer_sides])

    def branch(self, prop: URIRef, subj: tuple[str | None, list[URIRef]],
               obj: tuple[str | None, list[URIRef]]) -> str:
        """``subj ⊑* [prop' some F]`` with ``prop' ⊑ prop`` and ``F`` matching ``obj``.

        A side is ``(variable, classes)``: a variable is an answer (below one of
        the classes when there are any); without a variable the side is a
        constant: the subject must be one of the classes (inheriting the
        restriction), the filler below one of them.
        """
        s_var, s_classes = subj
        o_var, o_classes = obj
        h = self.var("r")
        f = o_var or f"?f{self._n}"
        lines = [f"{h} owl:onProperty/rdfs:subPropertyOf* {_term(prop)} ; owl:someValuesFrom {f} ."]
        if s_var is None and not s_classes:
            lines.append(f"?s{self._n} {SUB}* {h} .")
        elif s_var is None:
            lines.append(_any_of([f"{_term(c)} {SUB}* {h} ." for c in s_classes]))
        else:
            lines.append(f"{s_var} {SUB}* {h} .")
            lines.append(f"FILTER(isIRI({s_var}) && {s_var} != owl:Nothing)")
            if s_classes:
                lines.append(_any_of([f"{s_var} {SUB}* {_term(c)} ." for c in s_classes]))
        if o_var is not None:
            lines.append(f"FILTER(isIRI({o_var}) && {o_var} != owl:Nothing)")
            if o_classes:
                lines.append(_any_of([f"{o_var} {SUB}* {_term(c)} ." for c in o_classes]))
        elif o_classes:
            under = [f"{f} {SUB}* {_term(c)} ." for c in o_classes]
            m = self.var("m")
            member_under = _any_of([f"{m} {SUB}* {_term(c)} ." for c in o_classes])
            union = (f"{f} owl:unionOf ?l{self._n} .\n"
                     f"FILTER NOT EXISTS {{ ?l{self._n} rdf:rest*/rdf:first {m} .\n"
                     f"  FILTER NOT EXISTS {{ {member_under} }} }}")
            lines.append(_any_of(under + [union]))
        return "\n".join("    " + ln for ln in "\n".join(lines).splitlines())


def _any_of(patterns: list[str]) -> str:
    if len(patterns) == 1:
        return patterns[0]
    return "{ " + " } UNION { ".join(patterns) + " }"
