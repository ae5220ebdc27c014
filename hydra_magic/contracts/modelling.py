"""Modelling checks from HyDRA's ontology guidance that a rule can decide.

Two mistakes the paper targets and the contracts can see:

- ``instance_as_class``: a class named after an entity that a competency
  question mentions as an example ("Who directed *Alien*?" → class ``Alien``).
  The evidence is the question's text, not the class: a proper name written
  mid-question, a quoted title, or an answer pinned with ``=>``.
- ``literal_as_class``: a class whose name is a literal type (``Year``,
  ``ReleaseDate``, ``FirstName``): such values belong in a data property.

Both are flags (warnings): the class is kept, the user sees the flag and its
hint, a model can be told. They run on a proposal (:func:`class_flags`) and on a
whole ontology, whatever made it (:func:`check_modelling`: imports, the offline
engine, a generated draft).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..iri import normalise_label, snake_case
from ..issues import Issue
from ..ontology import Ontology

__all__ = ["LITERAL_HEADS", "example_mentions", "class_flags", "check_modelling"]

#: Head nouns that name a literal, with the data property range to use instead.
LITERAL_HEADS: dict[str, str] = {
    "year": "integer", "date": "date", "datetime": "dateTime", "timestamp": "dateTime", "time": "time",
    "name": "string", "surname": "string", "nickname": "string", "title": "string", "label": "string",
    "age": "integer", "count": "integer", "number": "integer", "amount": "float", "percentage": "float",
    "url": "string", "uri": "string", "email": "string", "string": "string", "integer": "integer",
    "boolean": "boolean", "float": "float", "decimal": "float", "literal": "string",
    "zip code": "string", "postal code": "string", "postcode": "string", "phone number": "string",
    "email address": "string",
}
# Words that may join two capitalised words into one name ("Lord of the Rings").
_JOINERS = {"of", "the", "de", "del", "la", "le", "von", "van", "and", "in", "on", "for", "&"}
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")  # "[this software]": a slot, never an example
_QUOTED = re.compile(r"[\"“”]([^\"“”]{1,80})[\"“”]|(?<!\w)['‘]([^'‘’]{1,80})['’](?!\w)")
_TOKEN = re.compile(r"[A-Za-z0-9][\w\-.'’]*|[?!.;:,]")
_SENTENCE_END = {"?", "!", ".", ";", ":"}
# After these a capitalised word is a kind, not an example ("Which URL ...", "an XML file").
_GENERIC_DETERMINERS = {"a", "an", "which", "what", "any", "each", "every", "some", "no", "another", "other"}
_PRONOUNS = {"I", "I'm", "I've", "I'd", "I'll"}


def _is_name_word(tok: str) -> bool:
    return tok[0].isupper() or (tok[0].isdigit() and any(ch.isalpha() for ch in tok))


def example_mentions(text: str, expected: Iterable[str] = ()) -> list[str]:
    """The entities a competency question mentions as examples, as written.

    Proper names written mid-question (a sentence's first word is capitalised
    anyway), quoted titles with a capital letter or digit (scare quotes around a
    common noun, as in ``the "algorithms"``, are not names), and the answers
    pinned with ``=>``. Bracketed placeholders (``[this software]``) are slots,
    not examples.
    """
    found: list[str] = []
    body = _PLACEHOLDER.sub(" , ", text)
    for m in _QUOTED.finditer(body):
        q = (m.group(1) or m.group(2) or "").strip()
        if q and any(ch.isupper() or ch.isdigit() for ch in q):
            found.append(q)
    toks = _TOKEN.findall(_QUOTED.sub(" , ", body))
    run: list[str] = []
    starts = {0} | {i + 1 for i, t in enumerate(toks) if t in _SENTENCE_END}

    def close() -> None:
        while run and not _is_name_word(run[-1]):
            run.pop()  # a trailing joiner is not part of the name
        if run:
            found.append(" ".join(run))
        run.clear()

    for i, tok in enumerate(toks):
        if i in starts:
            close()
            continue
        if tok in _PRONOUNS:
            close()
        elif _is_name_word(tok) and (run or toks[i - 1].lower() not in _GENERIC_DETERMINERS):
            run.append(tok.rstrip(".'’"))
        elif run and tok.lower() in _JOINERS:
            run.append(tok)
        else:
            close()
    close()
    found += [e.replace("_", " ") for e in expected if e.strip()]
    return list(dict.fromkeys(m for m in found if normalise_label(m)))


def _literal_head(words: str) -> str | None:
    """The literal type a class label ends in (``"release date"`` → ``"date"``)."""
    if words in LITERAL_HEADS:
        return words
    parts = words.split()
    if len(parts) >= 2 and " ".join(parts[-2:]) in LITERAL_HEADS:
        return " ".join(parts[-2:])
    return parts[-1] if parts and parts[-1] in LITERAL_HEADS else None


def class_flags(name: str, label: str = "", questions: Sequence[tuple[str, Sequence[str]]] = (),
                parent: str | None = None) -> list[Issue]:
    """Flags for one class, given as ``name`` (and ``label``, which imported ontologies name by).

    ``questions`` are ``(cq text, its example mentions)`` pairs; a class whose name or
    label equals a mention is ``instance_as_class``.
    """
    path = f"class:{name}"
    shown = f"{name!r}" + (f" ({label!r})" if label and normalise_label(label) != normalise_label(name) else "")
    keys = {k for k in (normalise_label(name), normalise_label(label)) if k}
    issues: list[Issue] = []
    for cq, mentions in questions:
        hit = next((m for m in mentions if normalise_label(m) in keys), None)
        if hit is not None:
            kind = parent or "its kind"
            issues.append(Issue(
                "instance_as_class", f"Class {shown} is named after {hit!r}, which the competency question "
                f"{cq!r} mentions as an example.",
                f"Make {hit!r} an instance in the knowledge graph, e.g. ({snake_case(hit)}, isA, {kind}), and keep "
                "classes for kinds of things.", severity="warning", path=path))
            break
    for words in sorted(keys):
        head = _literal_head(words)
        if head is not None:
            issues.append(Issue(
                "literal_as_class", f"Class {shown} names a literal type ({head!r}).",
                f"Use a data property with range xsd:{LITERAL_HEADS[head]} instead, e.g. "
                f"'has{''.join(w.capitalize() for w in words.split())}' on the class that has the value.",
                severity="warning", path=path))
            break
    return issues


def check_modelling(ontology: Ontology, cqs: Iterable[object] = ()) -> list[Issue]:
    """Flags for every class of ``ontology`` against the competency questions ``cqs``.

    ``cqs`` are strings or objects with ``text`` (and optionally ``expected``, the pinned
    answers), e.g. :class:`~hydra_magic.cq.CompetencyQuestion`.
    """
    questions = [(str(getattr(q, "text", q)), example_mentions(str(getattr(q, "text", q)),
                                                               getattr(q, "expected", ()) or ()))
                 for q in cqs]
    questions = [(t, m) for t, m in questions if m]
    names = {iri: c.name for iri, c in ontology.classes.items()}
    out: list[Issue] = []
    for c in sorted(ontology.classes.values(), key=lambda c: c.name):
        parent = names.get(c.parent) if c.parent is not None else None
        out += class_flags(c.name, c.label, questions, parent)
    return out

