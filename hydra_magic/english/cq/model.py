"""What a competency question asks for: the classes, properties and subclass links it needs."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Literal

from ...iri import pascal_case
from ..morphology import pluralise

Answer = Literal["entities", "value", "boolean", "count", "subclasses", "superclass", "definition"]


@dataclass(frozen=True)
class ClassRef:
    """A class a question mentions.

    Attributes
    ----------
    name
        PascalCase name, e.g. ``"FilmProductionCompany"``.
    label
        The singular words, e.g. ``"film production company"``.
    plural
        The plural words (an alternative label), e.g. ``"film production companies"``.
    synonyms
        Other names under which an existing class may be reused (``Person`` ←
        ``human``); only default classes the parser introduces have them.
    """

    name: str
    label: str
    plural: str = ""
    synonyms: tuple[str, ...] = ()

    @classmethod
    def from_label(cls, label: str, synonyms: tuple[str, ...] = ()) -> "ClassRef":
        words = label.split()
        plural = " ".join(words[:-1] + [pluralise(words[-1])]) if words else ""
        return cls(pascal_case(label), label, plural if plural != label else "", synonyms)


PERSON = ClassRef("Person", "person", "people", ("human", "individual"))
#: Head nouns that name a role only a person plays: such classes go below Person.
PERSON_ROLES = frozenset("""
actor actress artist astronaut athlete author biologist chemist coach composer conductor dancer designer
director doctor economist editor employee engineer founder historian inventor journalist judge lawyer
leader manager mathematician member minister musician nurse painter philosopher photographer physician
physicist pilot player poet politician president producer professor researcher scientist screenwriter
sculptor singer soldier songwriter student teacher writer
""".split())
PLACE = ClassRef("Place", "place", "places", ("location",))


@dataclass(frozen=True)
class PropertyReq:
    """A property a question needs.

    ``domain`` and ``range`` hold class names; for a data property ``range``
    holds one XSD short name (``"date"``, ``"integer"``, …). An empty
    ``domain``/``range`` means the question names no class there (a proper name
    or a pronoun such as "it").

    ``attribute`` is set on data properties read from "What is the X of Y?" and
    similar: when X names a class of the ontology (or of the same batch),
    :func:`propose_from_cqs` turns it into the object property ``hasX``.
    """

    name: str
    kind: Literal["object", "data"]
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    label: str = ""
    alt_labels: tuple[str, ...] = ()
    attribute: ClassRef | None = None
    comment: str = ""  # why the property is as it is ("Read as xsd:gYear: …"), kept on the proposal

    @property
    def datatype(self) -> str | None:
        return self.range[0] if self.kind == "data" and self.range else None


@dataclass(frozen=True)
class SubclassLink:
    """``child ⊑ parent``. ``implied`` links (read from "Is this X a Y?",
    "Who is the director of …" → ``Director ⊑ Person``) yield to explicit ones."""

    child: str
    parent: str
    implied: bool = False


@dataclass(frozen=True)
class ParsedCQ:
    """What the controlled-language patterns found in one competency question.

    Attributes
    ----------
    text
        The question as given.
    pattern
        Stable pattern id, e.g. ``"which_subject"`` ("Which director directed a
        film?"), ``"which_object"`` ("Which films did a director direct?"),
        ``"when_passive"``, ``"attribute_of"``, ``"kind_of"``; ``"compound"``
        for questions joined by "and what …" (see ``parts``).
    classes
        Every class the question needs, in order of mention.
    properties
        Every property it needs; ``properties[0]`` is the one the answer hangs on.
    subclass_links
        Subclass links it states or implies.
    answer
        What is asked: ``"entities"`` (a list of things), ``"value"`` (a literal
        of a data property), ``"boolean"`` (yes/no), ``"count"``,
        ``"subclasses"`` (kinds of a class), ``"superclass"`` (what kind of thing
        something is), ``"definition"``.
    answer_class
        The class of the answer, when it is a class or its instances.
    focus
        Which end of ``properties[0]`` holds the answer: ``"domain"`` ("Which
        director directed …") or ``"range"`` ("Which films did …"); ``None``.
    entities
        Proper names the question mentions ("Ridley Scott"), as written.
    value
        A constant the question filters on ("5" in "Which film has rating 5?").
    aggregate
        ``"count"``, ``"max"`` or ``"min"`` when the answer is aggregated.
    negated
        The question is negated ("Which animals do not eat plants?").
    parts
        For compound questions, the parse of each clause.
    """

    text: str
    pattern: str
    classes: tuple[ClassRef, ...] = ()
    properties: tuple[PropertyReq, ...] = ()
    subclass_links: tuple[SubclassLink, ...] = ()
    answer: Answer = "entities"
    answer_class: str | None = None
    focus: Literal["domain", "range"] | None = None
    entities: tuple[str, ...] = ()
    value: str | None = None
    aggregate: Literal["count", "max", "min"] | None = None
    negated: bool = False
    parts: tuple["ParsedCQ", ...] = ()

    @builtins.property
    def property(self) -> PropertyReq | None:
        """The main property (``None`` for purely taxonomic questions)."""
        return self.properties[0] if self.properties else None

    @builtins.property
    def datatype(self) -> str | None:
        """The XSD short name of the main property when it is a data property."""
        return self.properties[0].datatype if self.properties else None

    @builtins.property
    def subclass_of(self) -> SubclassLink | None:
        """The first subclass link, if any."""
        return self.subclass_links[0] if self.subclass_links else None

    def describe(self) -> str:
        """One line for logs and the UI, e.g. ``which_object: directs(Director → Film)``."""
        bits = [f"{p.name}({'|'.join(p.domain) or '?'} → {'|'.join(p.range) or '?'})" for p in self.properties]
        bits += [f"{link.child} ⊑ {link.parent}" for link in self.subclass_links]
        if not bits:
            bits = [c.name for c in self.classes]
        return f"{self.pattern}: {', '.join(bits)}"
