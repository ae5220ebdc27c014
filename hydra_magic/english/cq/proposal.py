"""Questions → ontology proposal: new classes and properties for one batch, resolved against
the ontology (the root policy and the subclass links of head nouns and person roles).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Sequence

from ...candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from ...contracts import resolve_datatype
from ...iri import normalise_label
from ...issues import Issue

if TYPE_CHECKING:
    from ...cq import CompetencyQuestion
    from ...ontology import Ontology, OntProperty
from .builders import _has_prop, _uniq
from .chunker import _tokenise
from .model import PERSON, PERSON_ROLES, PLACE, ClassRef, ParsedCQ, PropertyReq
from .parse import parse_cq
from .paraphrase_reuse import inverse_candidate, inverse_property, paraphrased_candidate, paraphrased_property
from .reuse import _ends, same_meaning
from .rewording import rewording
from .synonyms import class_synonyms, is_other_word

#: Name of the generic root class created when the ontology has no root yet.
ROOT_CLASS = "Entity"


@dataclass
class _NewClass:
    name: str
    label: str
    alt_labels: tuple[str, ...]
    origin: str
    parent: str | None = None
    comment: str = ""


_DEFAULT_COMMENTS = {
    PERSON.name: "Who answers 'who' questions.",
    PLACE.name: "Where answers 'where' questions.",
}


class _Plan:
    """New classes and properties for one batch, resolved against the ontology."""

    def __init__(self, ontology: "Ontology") -> None:
        self.onto = ontology
        self.classes: dict[str, _NewClass] = {}   # normalised name → new class, in first-mention order
        self.final: dict[str, str] = {}           # name in a ParsedCQ → name in the ontology/proposal
        self.props: dict[str, PropertyCandidate] = {}
        self.notes: list[Issue] = []              # what was reused, datatypes that differ
        self.synonym_of: dict[str, tuple[str, str]] = {}  # name in a ParsedCQ → (its words, the class used)

    # ----------------------------------------------------------- classes
    def _existing(self, ref: ClassRef) -> str | None:
        for key in (ref.name, ref.label, ref.plural, *ref.synonyms):
            if key:
                c = self.onto.get_class(key)
                if c is not None:
                    return c.name
        return None

    def _synonym_class(self, ref: ClassRef, origin: str) -> str | None:
        """The existing or planned class another word for ``ref``'s noun names (:mod:`.synonyms`)."""
        for other in class_synonyms(ref.label):
            target = self.known(ClassRef.from_label(other))
            if target is not None:
                self.synonym_of[ref.name] = (ref.plural or ref.label, target)
                self._class_note(ref, target, origin)
                return target
        return None

    def _class_note(self, ref: ClassRef, target: str, origin: str) -> None:
        """The ``reused_class`` note: a question's noun names a class that exists under another word. Said on
        its own, because a question may reuse the class and still add its property ("Which prizes did a
        person nominate?")."""
        words = ref.plural or ref.label
        self.notes.append(Issue(
            "reused_class", f"{origin.strip()!r} uses the class {target} for {words!r} (another word for it) "
                            f"instead of adding {ref.name}.",
            f"If {words!r} means something else here, add the class {ref.name} with %%ontology and ask again.",
            severity="info", path=f"class:{target}", data={"reused": target, "instead_of": ref.name, "cq": origin}))

    def use(self, ref: ClassRef, origin: str) -> str:
        if ref.name in self.final:
            return self.final[ref.name]
        name = self._existing(ref)
        if name is None and normalise_label(ref.name) not in self.classes:
            name = self._synonym_class(ref, origin)
        if name is None:
            key = normalise_label(ref.name)
            if key not in self.classes:
                alts = _uniq([ref.plural, *ref.synonyms], ref.label)
                self.classes[key] = _NewClass(ref.name, ref.label, alts, origin,
                                              comment=_DEFAULT_COMMENTS.get(ref.name, ""))
            name = self.classes[key].name
        self.final[ref.name] = name
        return name

    def name(self, parsed_name: str) -> str:
        if parsed_name in self.final:
            return self.final[parsed_name]
        c = self.onto.get_class(parsed_name)
        return c.name if c is not None else parsed_name

    def known(self, ref: ClassRef) -> str | None:
        """The class ``ref`` names, if it exists or is planned (without planning it)."""
        if ref.name in self.final:
            return self.final[ref.name]
        existing = self._existing(ref)
        if existing is not None:
            return existing
        rec = self.classes.get(normalise_label(ref.name))
        return rec.name if rec is not None else None

    def _parent_of(self, name: str) -> str | None:
        rec = self.classes.get(normalise_label(name))
        if rec is not None:
            return rec.parent
        c = self.onto.get_class(name)
        if c is None or c.parent is None or c.parent not in self.onto.classes:
            return None
        return self.onto.classes[c.parent].name

    def _ancestors(self, name: str) -> list[str]:
        out: list[str] = []
        cur = self._parent_of(name)
        while cur is not None and cur not in out and len(out) < 10_000:
            out.append(cur)
            cur = self._parent_of(cur)
        return out

    def link(self, child: str, parent: str) -> None:
        c, p = self.name(child), self.name(parent)
        rec = self.classes.get(normalise_label(c))
        if rec is None or rec.parent is not None or normalise_label(c) == normalise_label(p):
            return  # existing classes keep their place; the first stated parent wins
        if normalise_label(c) in (normalise_label(a) for a in [p, *self._ancestors(p)]):
            return  # would create a cycle
        rec.parent = p

    def head_noun_parents(self) -> None:
        """``FilmProductionCompany ⊑ Company`` when ``Company`` exists or is planned."""
        for rec in list(self.classes.values()):
            words = rec.label.split()
            if rec.parent is not None or len(words) < 2:
                continue
            for k in range(1, len(words)):
                head = ClassRef.from_label(" ".join(words[k:]))
                target = self.known(head)
                if target is not None and normalise_label(target) != normalise_label(rec.name):
                    self.link(rec.name, target)
                    break

    def _is_person(self, name: str) -> bool:
        """``name`` is a kind of person: planned with a role noun (as :meth:`person_role_parents` will link
        it), or an existing class under Person."""
        rec = self.classes.get(normalise_label(name))
        if rec is not None:
            words = rec.label.split()
            return (bool(words) and words[-1] in PERSON_ROLES) or PERSON.name in self._ancestors(name)
        c, person = self.onto.get_class(name), self.onto.get_class(PERSON.name)
        return c is not None and person is not None and self.onto.is_subclass(c.iri, person.iri)

    def person_role_parents(self, origin_of: Callable[[str], str]) -> None:
        """``Director ⊑ Person`` for new classes named by a person role noun (director, actor, …).

        Without it "Which films did a director direct?" and "Where was a person born?"
        give unrelated Director and Person, and a director's birthplace is rejected.
        """
        for rec in list(self.classes.values()):
            words = rec.label.split()
            if rec.parent is not None or not words or words[-1] not in PERSON_ROLES:
                continue
            if normalise_label(rec.name) == normalise_label(PERSON.name):
                continue
            person = self.use(PERSON, origin_of(rec.name))
            self.link(rec.name, person)

    def attach_root(self) -> None:
        tops = [rec for rec in self.classes.values() if rec.parent is None]
        if not tops:
            return
        roots = self.onto.roots()
        if len(roots) > 1:
            return  # an imported forest: the contracts allow new top-level classes then
        if len(roots) == 1:
            root = self.onto.classes[roots[0]].name
        else:
            existing = self.onto.get_class(ROOT_CLASS)
            planned = self.classes.get(normalise_label(ROOT_CLASS))
            if existing is not None:
                root = existing.name
            elif planned is not None:
                chain = self._ancestors(planned.name)
                root = chain[-1] if chain else planned.name
            else:
                rec = _NewClass(ROOT_CLASS, normalise_label(ROOT_CLASS), (), tops[0].origin,
                                comment="Generic root: the ontology had no root class, and the contracts "
                                        "allow a single top-level class.")
                self.classes = {normalise_label(ROOT_CLASS): rec, **self.classes}
                root = ROOT_CLASS
        for rec in tops:
            if normalise_label(rec.name) != normalise_label(root):
                rec.parent = root

    def class_candidates(self) -> list[ClassCandidate]:
        """Parents first (the contracts check each class against those before it)."""
        out: list[ClassCandidate] = []
        done: set[str] = set()
        # An alternative label must not be another class's name or label: lookups by name would
        # find the wrong class ("people" on Person vs a class People).
        taken = {normalise_label(k) for c in self.onto.classes.values() for k in (c.name, c.label)}
        taken |= {normalise_label(k) for r in self.classes.values() for k in (r.name, r.label)}

        def emit(rec: _NewClass, depth: int = 0) -> None:
            key = normalise_label(rec.name)
            if key in done or depth > 10_000:
                return
            if rec.parent is not None:
                parent = self.classes.get(normalise_label(rec.parent))
                if parent is not None:
                    emit(parent, depth + 1)
            done.add(key)
            alts = tuple(a for a in rec.alt_labels if normalise_label(a) not in taken)
            out.append(ClassCandidate(rec.name, rec.parent, rec.label, alts, rec.comment, rec.origin))

        for rec in list(self.classes.values()):
            emit(rec)
        return out

    # -------------------------------------------------------- properties
    def _reuse_note(self, req: PropertyReq, existing: "OntProperty", origin: str, why: str) -> None:
        ends = f"{_ends(self.onto, existing.domain)} → {_ends(self.onto, existing.range)}"
        self._reused(req, existing.name, f"reuses the existing property {existing.name} ({ends})", origin, why)

    def _synonym_words(self, req: PropertyReq) -> str:
        """"; 'prizes' names the class Award (another word for it)" for each end read through a synonym."""
        ends = (*req.domain, *(req.range if req.kind == "object" else ()))
        said = [self.synonym_of[n] for n in _uniq(ends) if n in self.synonym_of]
        return "".join(f"; {words!r} names the class {cls} (another word for it)" for words, cls in said)

    def _reused(self, req: PropertyReq, name: str, what: str, origin: str, why: str) -> None:
        """The ``reused_property`` note: ``origin`` ``what`` (the property kept) instead of adding ``req``."""
        self.notes.append(Issue(
            "reused_property", f"{origin.strip()!r} {what} instead of adding {req.name}: {why}"
                               f"{self._synonym_words(req)}.",
            "If the question means another relation, word it differently or add the property with %%ontology.",
            severity="info", path=f"property:{name}", data={"reused": name, "instead_of": req.name, "cq": origin}))

    def _batch_note(self, req: PropertyReq, kin: PropertyCandidate, origin: str, how: str, why: str) -> None:
        """The ``reused_property`` note for a property proposed earlier in the same batch; ``why`` names the
        question's label as ``{asked}`` and the property's as ``{label}``."""
        self._reused(req, kin.name, f"uses the property {kin.name} ({'|'.join(kin.domain)} → "
                                    f"{'|'.join(kin.range)}), proposed for {kin.origin.strip()!r},{how}", origin,
                     why.format(asked=repr(req.label or req.name), label=repr(kin.label or kin.name)))

    def _datatype_note(self, req: PropertyReq, existing: "OntProperty", origin: str) -> None:
        """A hint when the question asks for another datatype than the property it reuses holds."""
        if req.kind != "data" or existing.kind != "data" or not req.datatype:
            return
        have = resolve_datatype(req.datatype)
        held = existing.datatype
        if have is None or held is None or have == held:
            return
        short = str(held).rsplit("#", 1)[-1]
        self.notes.append(Issue(
            "cq_datatype_differs",
            f"{origin.strip()!r} asks for a {req.datatype}, but the existing property {existing.name} it reuses "
            f"holds xsd:{short}.",
            f"Values will be read as xsd:{short}; ask 'In what year …' for a year or 'When …' for a full date, "
            f"or change the range of {existing.name} if the texts give the other form.",
            severity="info", path=f"property:{existing.name}",
            data={"property": existing.name, "asked": req.datatype, "held": short, "cq": origin}))

    def prop(self, req: PropertyReq, origin: str) -> None:
        if req.kind == "data" and req.attribute is not None:
            target = self.known(req.attribute)
            if target is not None:  # "What is the director of a film?" once Director is a class
                req = _has_prop(replace(req.attribute, name=target), req.domain)
        for n in (*req.domain, *(req.range if req.kind == "object" else ())):
            if n not in self.final and self.onto.get_class(n) is None:
                # never leave a dangling name
                self.use(replace(ClassRef.from_label(normalise_label(n)), name=n), origin)
        domain = _uniq(self.name(d) for d in req.domain)
        range_ = _uniq(self.name(r) for r in req.range) if req.kind == "object" else req.range
        for key in (req.name, req.label, *req.alt_labels):
            p = self.onto.get_property(key) if key else None
            if p is not None and (key == req.name or p.kind == req.kind):
                if p.name != req.name:
                    self._reuse_note(req, p, origin, f"its name or a label is {key!r}")
                self._datatype_note(req, p, origin)
                return  # reuse the existing property; never propose it again
        same = same_meaning(self.onto, req, domain, range_)
        if same is not None:
            self._reuse_note(req, same, origin, f"it has the question's domain and range and its label "
                                                f"{same.label!r} carries the question's words")
            self._datatype_note(req, same, origin)
            return
        said = paraphrased_property(self.onto, req, domain, range_)
        if said is not None:
            self._reuse_note(req, said, origin, f"it has the question's domain and range, and "
                                                f"{(req.label or req.name)!r} is a paraphrase of its label "
                                                f"{(said.label or said.name)!r}")
            return
        other = inverse_property(self.onto, req, domain, range_)
        if other is not None:
            self._reuse_note(req, other, origin, f"read from its object: its domain is the question's range and "
                                                 f"its range the question's domain, and {(req.label or req.name)!r} "
                                                 f"is its label {(other.label or other.name)!r} said the other way")
            return
        kin = paraphrased_candidate(self.props.values(), req, domain, range_)
        if kin is not None:
            self._batch_note(req, kin, origin, "", "same domain and range, and {asked} is a paraphrase of its label "
                                                   "{label}")
            return
        kin = inverse_candidate(self.props.values(), req, domain, range_, self._is_person)
        if kin is not None:
            self._batch_note(req, kin, origin, " read from its object,", "{asked} is its label {label} said the "
                                                                         "other way")
            return
        key = normalise_label(req.name)
        cand = self.props.get(key)
        if cand is None:
            comment = " ".join(c for c in (req.comment, self._synonym_words(req)[2:]) if c)
            self.props[key] = PropertyCandidate(req.name, req.kind, domain, range_, req.label, req.alt_labels,
                                                comment=comment, origin=origin)
        elif cand.kind == req.kind:
            cand.domain = _uniq([*cand.domain, *domain])
            if req.kind == "object":
                cand.range = _uniq([*cand.range, *range_])
            cand.alt_labels = _uniq([*cand.alt_labels, *req.alt_labels], cand.label or "")


_EXAMPLES = {
    "when": "'When was a film released?'",
    "where": "'Where was a person born?'",
    "who": "'Who directed a film?' or 'Who is the director of a film?'",
    "how": "'How many awards did a film win?' or 'How old is a person?'",
    "is": "'Is a lion a kind of animal?' or 'Is a film popular?'",
    "are": "'Are lions animals?' or 'Are there animals that eat plants?'",
    "does": "'Does a lion eat plants?'",
    "do": "'Do lions eat plants?'",
    "can": "'Can a tool read a file format?'",
}


#: Shapes known to stay unread, each with why (said first in the hint): (opening words, the reason).
_UNREAD_SHAPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("to", "what", "extent"), "A degree ('to what extent') is no relation: ask whether the relation holds "
                               "('Does the software support a standard?') or for a rating of it."),
    (("how", "well"), "A degree ('how well') is no relation: ask whether the relation holds or for a rating."),
    (("do", "i", "know"), "It asks what the asker knows, not what the ontology holds: ask for the people or "
                          "things themselves ('Who has used the software?')."),
)
#: Words inside a question that make it unreadable, with why.
_UNREAD_WORDS = {
    "regarding": "A qualifier ('regarding', 'with respect to') relates three things at once: ask one relation "
                 "at a time.",
    "respect": "A qualifier ('regarding', 'with respect to') relates three things at once: ask one relation at "
               "a time.",
    "if": "A condition ('if …') is not read: ask each relation on its own.",
    "disjoint": "Disjointness is an axiom to state in the ontology, not a relation to ask for.",
}
_MANNER_AUX = frozenset("do does did can could should would is are was were has have".split())


def _why_unread(toks: list[str]) -> str:
    """Why a question of a known unread shape is not read ("" for other questions)."""
    low = [t.lower() for t in toks]
    for opening, why in _UNREAD_SHAPES:
        if tuple(low[:len(opening)]) == opening:
            return why + " "
    if low[:1] == ["how"] and low[1:2] and low[1] in _MANNER_AUX:
        return ("'How …' asks for a manner or a method, which no one relation holds: ask whether the relation "
                "holds ('Does an animal eat a plant?') or name the method as a class ('What method …'). ")
    if low[:2] in (["in", "which"], ["in", "what"]) and "in" in low[3:]:
        return ("A place asked for ('in which …') and another given ('in …') relate three things at once: ask one "
                "relation at a time. ")
    if "for" in low and "of" in low[:low.index("for")]:
        return ("A phrase 'for …' after 'the X of Y' may be about X, about Y or about the question (three things at "
                "once): ask without it, then ask the 'for' relation on its own. ")
    return next((why + " " for w, why in _UNREAD_WORDS.items() if w in low), "")


def _unparsed(cq: "CompetencyQuestion") -> Issue:
    toks = _tokenise(cq.text)
    first = (toks[:1] or [""])[0].lower()
    example = _EXAMPLES.get(first, "'Which films did a director direct?' or 'What is the release date of a film?'")
    own = rewording(toks)
    if own is not None:  # the question's own words, reworded so that the reader reads them
        example = f"{own!r} (this rewording is read)"
    return Issue(
        "unparsed_cq",
        f"The competency question {cq.text.strip()!r} matches none of the supported question patterns, "
        f"so it adds nothing to the ontology.",
        f"{_why_unread(toks)}Rephrase it as one relation between classes, e.g. {example}. First-person questions "
        f"('Where can I …'), comparisons and questions with several clauses are not read by the offline "
        f"rules engine; an LLM engine may read them.",
        severity="warning",
        path=f"cq:{cq.id}",
        data={"text": cq.text},
    )


def propose_from_cqs(cqs: Sequence["CompetencyQuestion"], ontology: "Ontology") -> OntologyProposal:
    """Classes and properties that let ``ontology`` answer ``cqs`` (offline, deterministic).

    Existing classes and properties are reused, never proposed again; classes
    come parents first; when the ontology has no root a generic ``Entity`` root
    is proposed first (see the module docstring for every convention). A
    question no pattern reads adds an ``unparsed_cq`` warning to
    ``proposal.issues`` and no candidate. Every candidate's ``origin`` is the
    text of the first question that needed it.
    """
    proposal = OntologyProposal()
    parsed: list[tuple[str, ParsedCQ]] = []
    seen: set[str] = set()
    for cq in cqs:
        key = normalise_label(cq.text)
        if key in seen:
            continue
        seen.add(key)
        p = parse_cq(cq.text)
        if p is None:
            proposal.issues.append(_unparsed(cq))
        else:
            parsed.append((cq.text, p))
    plan = _Plan(ontology)
    # A listed synonym's other words last, so "prizes" finds Award whichever question names it first.
    for later in (False, True):
        for origin, p in parsed:
            for ref in p.classes:
                if is_other_word(ref.label) == later:
                    plan.use(ref, origin)
    for implied in (False, True):
        for _, p in parsed:
            for link in p.subclass_links:
                if link.implied == implied:
                    plan.link(link.child, link.parent)
    for origin, p in parsed:
        for req in p.properties:
            plan.prop(req, origin)
    plan.head_noun_parents()
    plan.person_role_parents(lambda name: plan.classes[normalise_label(name)].origin)
    plan.attach_root()
    proposal.classes = plan.class_candidates()
    proposal.properties = list(plan.props.values())
    proposal.issues.extend(plan.notes)
    proposal.raw = "\n".join(f"{text} → {p.describe()}" for text, p in parsed)
    return proposal
