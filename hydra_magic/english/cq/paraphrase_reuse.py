"""Reuse before adding, by paraphrase: the question's verb is another word English uses for an existing
property with the same ends.

"Which diseases does a drug cure?" asks for ``cures`` (Drug → Disease); where the ontology has ``treats``
(Drug → Disease), the extractor already reads "cures" in a text as ``treats`` (the paraphrase table,
:data:`hydra_magic.english.text.paraphrases.PARAPHRASES`, lists ``cure*`` under ``treat``). A second
property beside it split the facts between two names and made the extractor read the verb as the new one
(synonym CQs on the prose dev set: precision 0.99 → 0.88, every new wrong fact a ``wrong_relation``).

The same holds within one batch of questions: a synonym asked after the property was proposed uses it.

A property is reused when its ends fit the question's in the question's direction (as
:func:`.reuse.same_meaning`), the question's label is one verb (``cures``, ``sells``, ``blocks``), and that
verb is listed as a plain paraphrase of the property's label, or the property's verb of the question's
label, in the table. Only verbs in their own voice count (the table lists them so because they state the
relation in the same direction: ``beat+`` under ``defeat``, so Team → Team is safe too); an inverse phrase
(``<film by``) or one with more words (``take* over``) names no single verb. A label of several words
("writes music for") is the same relation as one with the same words after its verb ("composes music for")
when the verbs are so listed, or listed in :data:`.synonyms.PHRASE_VERB_SYNONYMS` (verbs alike only with
that noun: "write" alone is not "compose").

A property is also reused the other way round: "Who leads a company?" (Person → Company) is
``hasChiefExecutive`` (Company → Person) read from its object, because the table lists "led by" (the
verb's passive) and ``<lead*`` (the phrase's object is the relation's subject) under "chief executive". A
second property beside its inverse split the facts between two names as a synonym does (fresh prose set:
one ``wrong_relation`` more with the synonym CQs). Ends of one class (Person → Person) are left out: there
the direction cannot be told from the ends, and "son of" is not the inverse of "has child".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from ...iri import normalise_label
from ..morphology import singularise, verb_lemma
from ..text.paraphrases import PARAPHRASES
from .model import PERSON, PropertyReq
from .reuse import _fits, same_meaning
from .synonyms import same_verb_in_phrase

if TYPE_CHECKING:
    from ...candidates import PropertyCandidate
    from ...ontology import Ontology, OntProperty

__all__ = ["existing_property", "inverse_candidate", "inverse_property", "paraphrased_candidate",
           "paraphrased_property"]

_LIGHT = ("has", "have", "had", "is", "was")


def _key(label: str) -> str:
    """The table's key of a property label (as the extractor looks it up): its first word as a verb lemma."""
    words = normalise_label(label).split()
    while len(words) > 1 and words[0] in _LIGHT:
        words = words[1:]
    return " ".join([verb_lemma(words[0]), *words[1:]]) if words else ""


def _plain_verbs(key: str) -> frozenset[str]:
    """The one-word verbs (``cure*``, ``buy+``) the table lists for ``key``."""
    out = set()
    for phrase in PARAPHRASES.get(key, ()):
        if not phrase.startswith("<") and " " not in phrase and phrase[-1:] in ("*", "+"):
            out.add(phrase[:-1])
    return frozenset(out)


def _same_verb(a: str, e: str) -> bool:
    """One-word keys: the table lists one as a plain verb of the other."""
    return a in _plain_verbs(e) or e in _plain_verbs(a)


def _same_phrase(a: list[str], e: list[str]) -> bool:
    """Labels of several words ("write music for", "compose music for"): the same words after the verb, and
    verbs that the paraphrase table or :data:`.synonyms.PHRASE_VERB_SYNONYMS` give as one."""
    if len(a) != len(e) or a[0] == e[0]:
        return False
    if [singularise(w) for w in a[1:]] != [singularise(w) for w in e[1:]]:
        return False
    return _same_verb(a[0], e[0]) or same_verb_in_phrase(a[0], e[0])


def _same_relation(asked: str, existing: str) -> bool:
    a, e = _key(asked), _key(existing)
    if not a or not e or a == e:
        return False
    if " " in a or " " in e:
        return _same_phrase(a.split(), e.split())
    return _same_verb(a, e)


def _verb_key(phrase: str) -> str:
    """A table phrase (``<pass* through``, ``led by``) as a key: marks dropped, its first word a verb lemma."""
    return _key(phrase.lstrip("<").replace("*", "").replace("+", ""))


def _inverse_keys(key: str) -> frozenset[str]:
    """Keys of the relations the table lists for ``key`` read from the other end: ``<phrase`` entries, and
    a verb's passive with "by" ("led by" under "chief executive" gives "lead")."""
    out = set()
    for phrase in PARAPHRASES.get(key, ()):
        words = phrase.split()
        if phrase.startswith("<"):
            out.add(_verb_key(phrase))
        elif len(words) == 2 and words[1] == "by" and phrase[-1:] not in ("*", "+"):
            out.add(verb_lemma(words[0]))
    return frozenset(out)


def _inverse_relation(asked: str, existing: str) -> bool:
    a, e = _key(asked), _key(existing)
    return bool(a and e and a != e and (a in _inverse_keys(e) or e in _inverse_keys(a)))


def inverse_property(onto: "Ontology", req: PropertyReq, domain: tuple[str, ...],
                     range_: tuple[str, ...]) -> "OntProperty | None":
    """The existing object property that ``req`` states read from its object (see the module docstring): its
    domain fits the question's range, its range the question's domain; else ``None``."""
    if req.kind != "object" or not domain or not range_ or set(domain) == set(range_):
        return None
    return _first_property(onto, req, (range_, domain), _fits_who, _inverse_relation)


def _first_property(onto: "Ontology", req: PropertyReq, ends: tuple[tuple[str, ...], tuple[str, ...]],
                    fits: "Callable[[Ontology, tuple[str, ...], tuple[object, ...]], bool]",
                    related: Callable[[str, str], bool]) -> "OntProperty | None":
    """The first object property whose domain and range ``fits`` the two ``ends`` and whose label is
    ``related`` to the question's."""
    asked = req.label or req.name
    for p in onto.properties.values():
        if (p.kind == "object" and fits(onto, ends[0], p.domain) and fits(onto, ends[1], p.range)
                and related(asked, p.label or p.name)):
            return p
    return None


def _fits_who(onto: "Ontology", names: tuple[str, ...], ends: tuple[object, ...]) -> bool:
    """:func:`.reuse._fits`, and "who" (the class Person) fits a kind of person: "Who leads a company?" asks for
    the company's chief executive, whose class is ChiefExecutive ⊑ Person."""
    if _fits(onto, names, ends):
        return True
    person = onto.get_class(PERSON.name)
    return (names == (PERSON.name,) and person is not None and bool(ends)
            and all(onto.is_subclass(e, person.iri) for e in ends))  # type: ignore[arg-type]


def inverse_candidate(proposed: "Iterable[PropertyCandidate]", req: PropertyReq, domain: tuple[str, ...],
                      range_: tuple[str, ...], is_person: "Callable[[str], bool]") -> "PropertyCandidate | None":
    """As :func:`inverse_property`, among the properties proposed earlier in the same batch (ends by name; new
    classes have no hierarchy yet, so ``is_person`` says which names a person role)."""
    if req.kind != "object" or not domain or not range_ or set(domain) == set(range_):
        return None
    asked = req.label or req.name

    def same(names: tuple[str, ...], ends: tuple[str, ...]) -> bool:
        return set(names) == set(ends) or (names == (PERSON.name,) and bool(ends) and all(map(is_person, ends)))

    for c in proposed:
        if (c.kind == "object" and same(range_, tuple(c.domain)) and same(domain, tuple(c.range))
                and _inverse_relation(asked, c.label or c.name)):
            return c
    return None


def existing_property(onto: "Ontology", req: PropertyReq) -> "OntProperty | None":
    """The existing property the proposal reused for ``req`` (by words, paraphrase or read from its object);
    ``None`` where none fits. Verification reads a question with it, so a question whose property was reused
    is tested against the property kept, not against its class words alone (which end holds the answer is
    then told from the ends, as for any property the parser names the other way)."""
    domain = tuple(c.name for c in (onto.get_class(n) for n in req.domain) if c is not None)
    range_ = (tuple(c.name for c in (onto.get_class(n) for n in req.range) if c is not None)
              if req.kind == "object" else req.range)
    if len(domain) != len(req.domain) or (req.kind == "object" and len(range_) != len(req.range)):
        return None
    return (same_meaning(onto, req, domain, range_) or paraphrased_property(onto, req, domain, range_)
            or inverse_property(onto, req, domain, range_))


def paraphrased_property(onto: "Ontology", req: PropertyReq, domain: tuple[str, ...],
                         range_: tuple[str, ...]) -> "OntProperty | None":
    """The existing object property whose label ``req``'s verb paraphrases, with fitting ends; else ``None``."""
    if req.kind != "object" or not domain or not range_:
        return None
    return _first_property(onto, req, (domain, range_), _fits, _same_relation)


def paraphrased_candidate(proposed: "Iterable[PropertyCandidate]", req: PropertyReq, domain: tuple[str, ...],
                          range_: tuple[str, ...]) -> "PropertyCandidate | None":
    """The property proposed earlier in the same batch of CQs whose label ``req``'s verb paraphrases, with the
    same ends (by name: classes new in the batch have no hierarchy yet); else ``None``."""
    if req.kind != "object" or not domain or not range_:
        return None
    asked = req.label or req.name
    for c in proposed:
        if (c.kind == "object" and set(c.domain) == set(domain) and set(c.range) == set(range_)
                and _same_relation(asked, c.label or c.name)):
            return c
    return None
