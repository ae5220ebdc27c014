"""What a prompt carries: the ontology slice and the known entities relevant to one text.

HyDRA puts the whole KG into every extraction prompt, so prompts grow with the
graph. Here a prompt carries only the part of the ontology the chunk can use
and the entities the chunk mentions (bounded), so its size does not depend on
how large the KG already is. The :class:`EntityRegistry` also gives one entity
one name across the chunks of a long text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable, Sequence

from ..candidates import TripleCandidate
from ..contracts.grounding import stem
from ..contracts.triple_rules import is_typing_predicate
from ..iri import is_snake_case, normalise_label, snake_case

if TYPE_CHECKING:
    from rdflib import URIRef

    from ..kg import KnowledgeGraph
    from ..ontology import Ontology, OntClass, OntProperty

__all__ = ["OntologySlice", "select_slice", "render_ontology", "render_example", "EntityRegistry", "KnownEntity"]

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
#: Function words never count as evidence that a term is relevant.
_STOP = frozenset("a an the of in on at to for by with from and or is are was were be been has have had it its "
                  "this that these those as into over under who what which whom whose when where how".split())


def _words(text: str) -> set[str]:
    return {stem(w) for w in _TOKEN.findall(_CAMEL.sub(" ", text).lower()) if w not in _STOP}


# ------------------------------------------------------------- ontology slice
@dataclass
class OntologySlice:
    """The classes and properties a prompt shows, and how many the ontology has in all."""

    classes: list["OntClass"]
    properties: list["OntProperty"]
    total_classes: int = 0
    total_properties: int = 0

    @property
    def partial(self) -> bool:
        return len(self.classes) < self.total_classes or len(self.properties) < self.total_properties


def _property_words(p: "OntProperty", onto: "Ontology") -> set[str]:
    out = _words(" ".join((p.name, p.label, *p.alt_labels, *p.triggers)))
    for c in (*p.domain, *p.range):
        cls = onto.classes.get(c)
        if cls is not None:
            out |= _words(" ".join((cls.name, cls.label, *cls.alt_labels)))
    return out


def select_slice(ontology: "Ontology", text: str, *, max_properties: int = 40,
                 max_classes: int = 60) -> OntologySlice:
    """The part of ``ontology`` that ``text`` can use.

    A small ontology is shown whole. A large one is cut to the properties whose
    names, labels, triggers or domain/range classes share words with the text,
    plus the classes those properties need (with their superclasses) and the
    classes the text names.
    """
    props = sorted(ontology.properties.values(), key=lambda p: p.name)
    classes = sorted(ontology.classes.values(), key=lambda c: c.name)
    words = _words(text)
    if len(props) <= max_properties:
        chosen_props = props
    else:
        scored = [(len(_words(" ".join((p.name, p.label, *p.alt_labels, *p.triggers))) & words) * 2
                   + len(_property_words(p, ontology) & words), p) for p in props]
        chosen_props = [p for s, p in sorted(scored, key=lambda x: (-x[0], x[1].name)) if s > 0][:max_properties]
    if len(classes) <= max_classes:
        chosen_classes = classes
    else:
        need: dict[URIRef, None] = {}
        for p in chosen_props:
            for iri in (*p.domain, *(p.range if p.kind == "object" else ())):
                if iri in ontology.classes:
                    need.setdefault(iri, None)
        for c in classes:
            if _words(" ".join((c.name, c.label, *c.alt_labels))) & words:
                need.setdefault(c.iri, None)
        for iri in list(need):
            for a in ontology.ancestors(iri):
                need.setdefault(a, None)
        chosen_classes = [ontology.classes[iri] for iri in need if iri in ontology.classes][:max_classes]
        chosen_classes.sort(key=lambda c: c.name)
    return OntologySlice(chosen_classes, chosen_props, len(classes), len(props))


def _class_name(ontology: "Ontology", iri: URIRef) -> str:
    c = ontology.classes.get(iri)
    if c is not None:
        return c.name
    s = str(iri)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def render_ontology(ontology: "Ontology", sl: OntologySlice | None = None) -> str:
    """A compact listing of (a slice of) the ontology for a prompt."""
    sl = sl or select_slice(ontology, "", max_properties=10**9, max_classes=10**9)
    lines = []
    if sl.classes:
        lines.append("Classes (Name < Superclass: what its instances are):")
        for c in sl.classes:
            parent = f" < {_class_name(ontology, c.parent)}" if c.parent else ""
            label = f'  "{c.label}"' if normalise_label(c.label) != normalise_label(c.name) else ""
            lines.append(f"- {c.name}{parent}{label}{_description(c.comment)}")
    obj = [p for p in sl.properties if p.kind == "object"]
    data = [p for p in sl.properties if p.kind == "data"]
    if obj:
        lines.append("Object properties (name: Domain -> Range):")
        for p in obj:
            lines.append(f"- {p.name}: {'|'.join(_class_name(ontology, d) for d in p.domain) or 'any'} -> "
                         f"{'|'.join(_class_name(ontology, r) for r in p.range) or 'any'}"
                         + (f'  "{p.label}"' if normalise_label(p.label) != normalise_label(p.name) else ""))
    if data:
        lines.append("Data properties (name: Domain -> datatype):")
        for p in data:
            dt = _class_name(ontology, p.datatype) if p.datatype is not None else "string"
            lines.append(f"- {p.name}: {'|'.join(_class_name(ontology, d) for d in p.domain) or 'any'} -> {dt}"
                         + (f'  "{p.label}"' if normalise_label(p.label) != normalise_label(p.name) else ""))
    if sl.partial:
        lines.append(f"(showing {len(sl.classes)} of {sl.total_classes} classes and {len(sl.properties)} of "
                     f"{sl.total_properties} properties: those relevant here)")
    return "\n".join(lines) if lines else "(the ontology is empty)"


def _description(comment: str, limit: int = 160) -> str:
    """A class's rdfs:comment on its line (one line, cut: the slice must stay small)."""
    text = " ".join((comment or "").split())
    if not text:
        return ""
    return ": " + (text if len(text) <= limit else text[:limit - 1].rstrip() + "…")


#: An example literal per datatype, written as a text would write it.
_EXAMPLE_VALUES = {"integer": "1999", "int": "1999", "float": "2.5", "decimal": "2.5", "double": "2.5",
                   "boolean": "true", "date": "1999-12-31", "gYear": "1999", "dateTime": "1999-12-31T20:00:00"}


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def render_example(ontology: "Ontology", sl: OntologySlice | None = None) -> str:
    """A worked example in the ontology's own terms: a one-sentence text and the triples read from it.

    Small models copy a shape hint such as ``"isA | property"`` literally as a predicate; a
    concrete example with real class and property names leaves nothing of the kind to copy. Its
    entities (``film_a``, "Film A") cannot ground in a real text, so a copied example is rejected.
    """
    sl = sl or select_slice(ontology, "", max_properties=10**9, max_classes=10**9)
    for p in sl.properties:
        dom = [ontology.classes[d] for d in p.domain if d in ontology.classes]
        rng = [ontology.classes[r] for r in p.range if r in ontology.classes] if p.kind == "object" else []
        if not dom or (p.kind == "object" and not rng):
            continue
        verb = p.label or " ".join(_CAMEL.sub(" ", p.name).lower().split())
        subj_text = _cap(dom[0].label or dom[0].name) + " A"
        subj = snake_case(subj_text)
        triples = [{"subject": subj, "predicate": "isA", "object": dom[0].name, "subject_text": subj_text}]
        if p.kind == "object":
            obj_text = _cap(rng[0].label or rng[0].name) + " B"
            obj = snake_case(obj_text)
            triples.append({"subject": obj, "predicate": "isA", "object": rng[0].name, "subject_text": obj_text})
        else:
            dt = _class_name(ontology, p.datatype) if p.datatype is not None else "string"
            obj_text = _EXAMPLE_VALUES.get(dt, "Value B")
            obj = obj_text
        sentence = f"{subj_text} {verb} {obj_text}."
        triples.append({"subject": subj, "predicate": p.name, "object": obj, "subject_text": subj_text,
                        "object_text": obj_text})
        for t in triples:
            t["sentence"] = sentence
        body = ",\n".join("  " + json.dumps(t, ensure_ascii=False) for t in triples)
        return f'Text: "{sentence}"\nReply: {{"triples": [\n{body}\n]}}'
    return ""


# ------------------------------------------------------------ entity registry
@dataclass
class KnownEntity:
    name: str
    label: str = ""
    types: set[str] = field(default_factory=set)


class EntityRegistry:
    """One name per entity across chunks: surface forms and names -> the canonical snake_case name.

    Built from the KG (names, labels, types) and extended with each new entity
    seen in extraction output, first come first served, so that the chunks of
    one text (processed in order) agree on names.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._entities: dict[str, KnownEntity] = {}
        self._first_token: dict[str, list[tuple[str, ...]]] = {}

    def __len__(self) -> int:
        return len(self._entities)

    @classmethod
    def from_kg(cls, kg: "KnowledgeGraph", ontology: "Ontology") -> "EntityRegistry":
        reg = cls()
        labels = kg.labels()
        for iri in kg.entities():
            name = kg.entity_name(iri)
            types = {_class_name(ontology, t) for t in kg.types_of(iri)}
            reg.add(name, labels.get(iri, ""), types)
        return reg

    def _index(self, key: str, name: str) -> None:
        if not key or key in self._by_key:
            return
        self._by_key[key] = name
        toks = tuple(key.split())
        self._first_token.setdefault(toks[0], []).append(toks)

    def add(self, name: str, label: str = "", types: Iterable[str] = ()) -> str:
        """Register ``name`` (and its label); returns the canonical name it now maps to."""
        name = name.strip()
        canonical = self.resolve(name, label) or name
        ent = self._entities.setdefault(canonical, KnownEntity(canonical, label or ""))
        ent.types.update(t for t in types if t)
        if label and not ent.label:
            ent.label = label
        for key in (normalise_label(name), normalise_label(label)):
            self._index(key, canonical)
        return canonical

    def resolve(self, name: str, surface: str = "") -> str | None:
        """The canonical name for ``name``/``surface``, or ``None`` for an unknown entity."""
        for key in (normalise_label(name), normalise_label(surface)):
            if key and key in self._by_key:
                return self._by_key[key]
        return None

    def get(self, name: str) -> KnownEntity | None:
        return self._entities.get(name)

    def relevant(self, text: str, limit: int = 40) -> list[KnownEntity]:
        """Known entities whose name or label occurs in ``text`` (whole words), in order of mention."""
        toks = normalise_label(text).split()
        found: dict[str, None] = {}
        for i, tok in enumerate(toks):
            for key in self._first_token.get(tok, ()):
                if tuple(toks[i:i + len(key)]) == key:
                    found.setdefault(self._by_key[" ".join(key)], None)
            if len(found) >= limit:
                break
        return [self._entities[n] for n in found if n in self._entities]

    def canonicalise(self, candidates: Sequence[TripleCandidate], ontology: "Ontology", *,
                     learn: bool = True) -> list[TripleCandidate]:
        """Rename entities to their canonical names; with ``learn``, register the new ones."""
        out = []
        for c in candidates:
            changes: dict[str, str] = {}
            typing = is_typing_predicate(c.predicate, ontology)
            subj = self.resolve(c.subject, c.subject_text)
            if subj and subj != c.subject:
                changes["subject"] = subj
            if learn and c.subject.strip():
                self._learn(subj or c.subject, c.subject_text, c.object if typing else "")
            if not typing:
                prop = ontology.get_property(c.predicate)
                if prop is not None and prop.kind == "object" and c.object.strip():
                    obj = self.resolve(c.object, c.object_text)
                    if obj and obj != c.object:
                        changes["object"] = obj
                    if learn:
                        self._learn(obj or c.object, c.object_text)
            out.append(replace(c, subject=changes.get("subject", c.subject), object=changes.get("object", c.object))
                       if changes else c)
        return out

    def _learn(self, name: str, surface: str, type_name: str = "") -> None:
        if is_snake_case(name):  # only well-formed names become canonical
            self.add(name, surface, (type_name,) if type_name else ())


def render_entities(entities: Sequence[KnownEntity]) -> str:
    lines = []
    for e in entities:
        types = ", ".join(sorted(e.types)) or "untyped"
        label = f' "{e.label}"' if e.label and normalise_label(e.label) != normalise_label(e.name) else ""
        lines.append(f"- {e.name} ({types}){label}")
    return "\n".join(lines)
