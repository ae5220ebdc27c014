"""Realistic prose: ``hydra bench prose`` scores extraction on paragraphs people write.

Data
----
``hydra_magic/bench/data/prose_dev.json`` (shipped in the package): 71 original
paragraphs (35 first, 6 more dev paragraphs about fictional subjects later, then 16 + 14 more fictional dev
paragraphs in the styles of news reports, obituaries, abstracts and company reports) in the style of
encyclopedia and news articles, 7 domains (medicine,
business, biography, geography, science, sports, film), 3-8 sentences each, written
for this project (MIT, no third-party text; the file's header says so). Each domain
has a set of natural competency questions (a paragraph may add its own); each paragraph
lists the facts a careful reader extracts (``facts``), the statements it makes that
must *not* become facts (``not_facts``: negated, hedged, or resting on an ambiguous
pronoun), and other names of its entities (``aliases``). Every fact is tagged with the
phenomena its sentence exercises (passive, coordination, apposition, …; the file's
``phenomena`` table defines them). Split: ``dev`` (57 paragraphs, tune on it) and
``held-out`` (14, report on it, never tune on it).

``prose_fresh.json`` (same format and CQ sets): 21 more held-out paragraphs, 3 per domain,
written by an engineer who read neither the engine nor its results, after the held-out
summary lines had been read over several rounds; ``hydra bench prose --data <it> --split held-out``.

A gold fact does not name a property: it names the CQ it answers (``cq``, an index),
the entity the CQ names by its class (``about``: "a company") and the answer
(``answer``, an entity, or ``value``, a literal). So the gold holds whatever ontology the
session's CQs produce.

Pipeline
--------
Per paragraph, a fresh in-memory session (``journal_dir=None``):
:meth:`Session.add_cqs` with the paragraph's CQs, then :meth:`Session.extract` of the
text (source = the paragraph id). Nothing else of the session is touched.

From CQ to property
-------------------
For CQ *i* the scorer reads, from the session after ``add_cqs``:

* the CQ did not parse: the engine raised ``unparsed_cq`` for it and nothing exists for
  it in the ontology;
* its property: the one the session's own CQ reader (:func:`verify.cq_tests.read_cq`,
  what ``%hydra ask`` and CQ tests use) finds in the ontology for the question; when it
  finds none, the one property the CQ added (``CQResult`` contributions), if exactly one;
* which end holds the answer: a data property's value is the answer. For an object
  property, the end whose class the question names after an article ("a company") is the
  ``about`` end and the other the answer end; when both or neither end is named that way
  (``Team → Team``), the reader's ``focus``; failing that, the range. A CQ marked
  ``symmetric`` in the data (married to, borders) accepts either direction.

The mapping chosen for every CQ is in the JSON output (``cqs``), with the rule that
decided it, so a wrong mapping can be seen rather than guessed.

Matching
--------
Names are compared normalised: Unicode compatibility form without accents, case-folded,
every run of non-alphanumerics one space, a leading "the" dropped ("Simón Bolívar" =
"simon bolivar", "Nintendo Co., Ltd." = "nintendo co ltd"). A KG entity has the names of
its label, its ``skos:altLabel`` facts and its IRI's local name; a gold entity has its name
and its aliases. Literal values are compared normalised too: dates as ISO ``YYYY-MM-DD``
(also from "24 July 1783" and "July 24, 1783"), a time of day dropped; numbers without
separators and without a fractional ``.0`` ("221,000" = "221000", "1.7 million" =
"1700000"); other text as names are. A year does not match a full date, nor the reverse
(a text that gives a year has no day to offer); a fact may list accepted values.

An emitted fact is every KG fact except typings (``rdf:type``, counted apart) and
alternative labels. It is correct when its property is the CQ's, its subject and object
match the gold fact's ends (either way for a symmetric CQ). When the CQ's property is a
data property and the gold answer an entity ("What is the official language of a
country?" made a string property), a literal equal to one of the entity's names matches:
the ontology chose to hold it as text. Optional gold facts (true by the text, not
required) count as correct when emitted and are not in recall.

Figures
-------
precision = correct emitted / emitted; recall = required gold facts matched / required
gold facts; F1; micro over the paragraphs, per domain, and recall per phenomenon tag.
Emitted facts are split verified (no flags) vs flagged (e.g. ``type_inferred``), and
precision/recall are also given over verified facts only. Throughput: sentences
(:func:`sentences.split_sentences`) per second of :meth:`Session.extract` wall time, over
all paragraphs and the median paragraph's, after one untimed warm-up paragraph (imports
and lazily built tables), and per CPU second of the same calls. The two differ by the
pipeline's retry policy: with the defaults, a chunk with a rejected candidate is extracted
again after a back-off sleep, also with the deterministic offline engine.

A gold entity that more than one KG node matches (under its names and aliases) is
counted as *split* ("Microsoft Corporation" and "Microsoft" as two nodes): its facts
still match, the split is reported apart.

Classes of a wrong emitted fact, first that applies:

``not_fact``
    it is one of the paragraph's ``not_facts`` (negated / hedged / ambiguous pronoun);
    also reported on its own, by tag.
``swapped``
    a gold fact with its subject and object exchanged.
``wrong_argument``
    the property and one end are a gold fact's, the other end is not.
``wrong_relation``
    its two ends are a gold fact's, its property is not that fact's.
``unsupported``
    nothing in the gold is like it.

Classes of a missed gold fact, first that applies:

``cq_not_parsed``
    the engine raised ``unparsed_cq`` for the fact's CQ and the ontology has no property
    for it.
``not_expressible``
    the CQ parsed but no property answers it, or the property cannot hold the answer (the
    gold answer is a value and the property takes entities: "How many employees does a
    company have?" made an ``Employee`` class).
``rejected``
    the engine proposed it and the contracts rejected it (the rule codes are kept).
``swapped``
    the fact is in the KG with subject and object exchanged.
``wrong_argument``
    a wrong emitted fact has this property and this fact's ``about`` or answer in its
    place: the relation was read, an argument is wrong (for a literal, a wrong value).
``wrong_relation``
    a wrong emitted fact relates the two entities, by another property.
``entity_not_found``
    the ``about`` entity or the answer entity is named in no fact, typing or rejected
    candidate of the paragraph (under any of its names): the engine did not recognise it,
    or read nothing about it. (Only facts are visible, so the two cannot be told apart.)
``relation_not_read``
    both entities are in the KG (for a value: the ``about`` entity) and nothing relates
    them by the CQ's property.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any, Iterable, Literal, Sequence

from ..errors import ParseError

__all__ = [
    "name_keys",
    "SPLITS",
    "MISS_CLASSES",
    "WRONG_CLASSES",
    "CQSpec",
    "GoldFact",
    "Paragraph",
    "CQMapping",
    "Emitted",
    "ParagraphScore",
    "default_data_path",
    "load_dev_set",
    "normalise_name",
    "normalise_value",
    "score_paragraph",
    "observe",
    "run_paragraph",
    "summarize",
    "format_summary",
    "run",
]

SPLITS = ("dev", "held-out", "all")
MISS_CLASSES = ("cq_not_parsed", "not_expressible", "rejected", "swapped", "wrong_argument", "wrong_relation",
                "entity_not_found", "relation_not_read")
WRONG_CLASSES = ("not_fact", "swapped", "wrong_argument", "wrong_relation", "unsupported")
NOT_FACT_TAGS = ("negation", "hedge", "ambiguous_pronoun")
_DATA_FILE = "prose_dev.json"


# ======================================================================== data
@dataclass(frozen=True)
class CQSpec:
    """One competency question of a paragraph."""

    text: str
    symmetric: bool = False


@dataclass(frozen=True)
class GoldFact:
    """A fact a careful reader extracts (or, in ``not_facts``, one that must not be extracted)."""

    cq: int
    about: str
    answer: str | None = None  # an entity; None when the answer is a literal
    values: tuple[str, ...] = ()  # accepted literal values
    tags: tuple[str, ...] = ()
    optional: bool = False

    @property
    def literal(self) -> bool:
        return self.answer is None

    def describe(self) -> str:
        ans = self.answer if self.answer is not None else " | ".join(repr(v) for v in self.values)
        return f"CQ{self.cq} about {self.about!r} -> {ans}"


@dataclass(frozen=True)
class Paragraph:
    id: str
    split: str
    domain: str
    text: str
    cqs: tuple[CQSpec, ...]
    facts: tuple[GoldFact, ...]
    not_facts: tuple[GoldFact, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subject: str = ""

    def names(self, entity: str) -> frozenset[str]:
        """Normalised names of a gold entity: its own and its aliases."""
        return frozenset(k for x in (entity, *self.aliases.get(entity, ())) for k in name_keys(x))


def default_data_path() -> Path:
    """The dev set shipped inside the package."""
    return Path(str(resources.files("hydra_magic.bench") / "data" / _DATA_FILE))


def _fail(path: Path, where: str, msg: str) -> ParseError:
    return ParseError(f"{where}: {msg}", source=str(path))


def _gold(raw: Any, path: Path, where: str, n_cqs: int, known_tags: set[str]) -> GoldFact:
    if not isinstance(raw, dict):
        raise _fail(path, where, f"a fact is an object with cq, about and answer or value, not {raw!r}")
    cq, about = raw.get("cq"), raw.get("about")
    if not isinstance(cq, int) or isinstance(cq, bool) or not 0 <= cq < n_cqs:
        raise _fail(path, where, f"cq must be the index of one of the paragraph's {n_cqs} CQs, not {cq!r}")
    if not isinstance(about, str) or not normalise_name(about):
        raise _fail(path, where, f"about must be an entity name, not {about!r}")
    has_answer, has_value = "answer" in raw, "value" in raw
    if has_answer == has_value:
        raise _fail(path, where, "give exactly one of answer (an entity) and value (a literal)")
    answer: str | None = None
    values: tuple[str, ...] = ()
    if has_answer:
        answer = raw["answer"]
        if not isinstance(answer, str) or not normalise_name(answer):
            raise _fail(path, where, f"answer must be an entity name, not {answer!r}")
    else:
        v = raw["value"]
        values = tuple(v) if isinstance(v, list) else (v,)
        if not values or not all(isinstance(x, str) and normalise_value(x) for x in values):
            raise _fail(path, where, f"value must be a literal string or a list of them, not {v!r}")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise _fail(path, where, f"tags must be a non-empty list of phenomenon names, not {tags!r}")
    unknown = [t for t in tags if t not in known_tags]
    if unknown:
        raise _fail(path, where, f"unknown tags {unknown}; the phenomena table defines {sorted(known_tags)}")
    return GoldFact(cq, about, answer, values, tuple(tags), bool(raw.get("optional", False)))


def load_dev_set(path: str | Path | None = None, split: str = "all", synonyms: bool = False) -> list[Paragraph]:
    """The paragraphs of ``split`` (``dev``, ``held-out`` or ``all``), every gold fact checked.

    ``synonyms`` appends the domain's ``synonym_cqs`` after a paragraph's CQs (so the gold facts' CQ indices
    stay as they are): the same questions asked again in other words, which must not lower precision.

    Raises :class:`ParseError` naming the paragraph and what is wrong with it.
    """
    p = Path(path) if path is not None else default_data_path()
    if split not in SPLITS:
        raise ParseError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}.", source=str(p))
    with open(p, encoding="utf-8") as fh:
        try:
            doc = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ParseError(f"not valid JSON: {exc.msg}", source=str(p), line=exc.lineno) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("paragraphs"), list):
        raise ParseError("expected an object with cq_sets, phenomena and a list of paragraphs.", source=str(p))
    known_tags = set(doc.get("phenomena") or ())
    cq_sets = doc.get("cq_sets") or {}
    out: list[Paragraph] = []
    seen: set[str] = set()
    for k, raw in enumerate(doc["paragraphs"]):
        pid = raw.get("id") if isinstance(raw, dict) else None
        where = f"paragraph {pid or k!r}"
        if not isinstance(raw, dict) or not isinstance(pid, str) or not pid or pid in seen:
            raise _fail(p, where, "every paragraph is an object with a unique id")
        seen.add(pid)
        if raw.get("split") not in ("dev", "held-out"):
            raise _fail(p, where, f"split must be dev or held-out, not {raw.get('split')!r}")
        domain, text = raw.get("domain"), raw.get("text")
        if domain not in cq_sets:
            raise _fail(p, where, f"domain {domain!r} has no CQ set (cq_sets has {sorted(cq_sets)})")
        if not isinstance(text, str) or not text.strip():
            raise _fail(p, where, "text is empty")
        cqs: list[CQSpec] = []
        more = (doc.get("synonym_cqs") or {}).get(domain, []) if synonyms else []
        for q in [*cq_sets[domain], *raw.get("extra_cqs", []), *more]:
            if isinstance(q, str):
                cqs.append(CQSpec(q))
            elif isinstance(q, dict) and isinstance(q.get("q"), str):
                cqs.append(CQSpec(q["q"], bool(q.get("symmetric", False))))
            else:
                raise _fail(p, where, f"a CQ is a string or {{'q': ..., 'symmetric': true}}, not {q!r}")
        facts = tuple(_gold(f, p, f"{where} fact {i}", len(cqs), known_tags)
                      for i, f in enumerate(raw.get("facts", [])))
        not_facts = tuple(_gold(f, p, f"{where} not_fact {i}", len(cqs), known_tags)
                          for i, f in enumerate(raw.get("not_facts", [])))
        if not any(not f.optional for f in facts):
            raise _fail(p, where, "it has no required gold fact")
        for f in not_facts:
            if not set(f.tags) & set(NOT_FACT_TAGS):
                raise _fail(p, where, f"not_fact {f.describe()} needs one of the tags {', '.join(NOT_FACT_TAGS)}")
        aliases = raw.get("aliases", {})
        if not isinstance(aliases, dict) or not all(isinstance(v, list) for v in aliases.values()):
            raise _fail(p, where, "aliases maps an entity name to a list of other names")
        para = Paragraph(pid, raw["split"], str(domain), text, tuple(cqs), facts, not_facts,
                         {k2: tuple(v) for k2, v in aliases.items()}, str(raw.get("subject", "")))
        keys = [_gold_key(para, f) for f in facts]
        if len(set(keys)) != len(keys):
            raise _fail(p, where, "a gold fact is listed twice")
        if split == "all" or para.split == split:
            out.append(para)
    return out


def _gold_key(para: Paragraph, f: GoldFact) -> tuple[Any, ...]:
    return (f.cq, para.names(f.about), para.names(f.answer) if f.answer is not None else f.values)


# =================================================================== normalising
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def normalise_name(text: str) -> str:
    """Key for comparing names: no accents, case-folded, punctuation as spaces, no leading "the"."""
    t = unicodedata.normalize("NFKD", str(text).replace("_", " "))
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = " ".join(re.findall(r"[^\W_]+", t))
    return t[4:] if t.startswith("the ") and len(t) > 4 else t


def name_keys(text: str) -> set[str]:
    """The keys a name matches on: :func:`normalise_name`, and the same without spaces, so that an IRI's
    name split at a capital (``duncan_mac_leod``) still matches "Duncan MacLeod"."""
    n = normalise_name(text)
    return {n, n.replace(" ", "")} if n else set()


def normalise_value(text: str) -> str:
    """Key for comparing literal values: ISO dates, plain numbers, otherwise :func:`normalise_name`."""
    t = " ".join(str(text).split())
    m = re.fullmatch(r"(-?\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", t)
    if m:
        return m.group(1)
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", t) or None
    if m and m.group(2).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", t)
    if m and m.group(1).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"(?:about |roughly |approximately |some )?([-+]?\d[\d,]*(?:\.\d+)?)\s*"
                     r"(thousand|million|billion)?", t.lower())
    if m:
        num = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
        return str(int(num)) if num == int(num) else repr(num)
    return normalise_name(t)


# ==================================================================== scoring
@dataclass(frozen=True)
class CQMapping:
    """What one CQ of a paragraph became in the session's ontology."""

    text: str
    prop: str | None = None  # the property's IRI
    kind: Literal["object", "data"] | None = None
    answer_end: Literal["domain", "range"] = "range"
    symmetric: bool = False
    parsed: bool = True
    rule: str = ""  # how prop and answer_end were decided, for the report

    def to_dict(self) -> dict[str, Any]:
        return {"cq": self.text, "property": self.prop, "kind": self.kind, "answer_end": self.answer_end,
                "symmetric": self.symmetric, "parsed": self.parsed, "rule": self.rule}


@dataclass(frozen=True)
class Emitted:
    """A fact of the KG (or a rejected candidate) as the scorer sees it: names, not IRIs."""

    subject: frozenset[str]
    predicate: str
    object: frozenset[str]  # entity names, or the normalised literal value
    literal: bool = False
    verified: bool = True
    show: str = ""  # how to print it
    codes: tuple[str, ...] = ()  # rule codes of a rejected candidate

    @staticmethod
    def of(subject: str | Iterable[str], predicate: str, obj: str | Iterable[str], *, literal: bool = False,
           verified: bool = True, codes: Sequence[str] = ()) -> "Emitted":
        """An emitted fact from plain names (used by tests and by :func:`observe`)."""
        subs = [subject] if isinstance(subject, str) else list(subject)
        objs = [obj] if isinstance(obj, str) else list(obj)
        show = f"({subs[0] if subs else '?'}, {predicate.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}, " \
               f"{(repr(objs[0]) if literal else objs[0]) if objs else '?'})"
        values = frozenset(n for n in map(normalise_value, objs) if n) if literal else \
            frozenset(k for x in objs for k in name_keys(x))
        return Emitted(frozenset(k for x in subs for k in name_keys(x)), predicate, values, literal, verified,
                       show, tuple(codes))


@dataclass
class ParagraphScore:
    """The verdicts on one paragraph."""

    id: str
    domain: str
    split: str
    sentences: int = 0
    seconds: float = 0.0  # wall time of Session.extract
    cpu_seconds: float = 0.0  # CPU time of the same (without the retry policy's sleeps)
    cqs: list[CQMapping] = field(default_factory=list)
    #: (gold fact, matched emitted fact or None, miss class or "", detail)
    gold: list[tuple[GoldFact, Emitted | None, str, str]] = field(default_factory=list)
    #: (emitted fact, "correct" | "optional" | a wrong class, detail)
    emitted: list[tuple[Emitted, str, str]] = field(default_factory=list)
    not_facts_accepted: list[tuple[GoldFact, Emitted]] = field(default_factory=list)
    #: the paragraph's not-facts (the denominators of "not-facts accepted")
    not_facts: tuple[GoldFact, ...] = ()
    #: gold entities the KG holds as more than one node ("Weaver" beside "Sigourney Weaver"), with the count
    split_entities: dict[str, int] = field(default_factory=dict)
    typings: int = 0
    error: str = ""

    @property
    def required(self) -> list[tuple[GoldFact, Emitted | None, str, str]]:
        return [g for g in self.gold if not g[0].optional]

    def counts(self, *, verified_only: bool = False) -> dict[str, int]:
        emitted = [e for e in self.emitted if e[0].verified or not verified_only]
        matched = [g for g in self.required if g[1] is not None and (g[1].verified or not verified_only)]
        return {"emitted": len(emitted), "correct": sum(1 for e in emitted if e[1] in ("correct", "optional")),
                "gold": len(self.required), "matched": len(matched)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "domain": self.domain, "split": self.split, "sentences": self.sentences,
            "seconds": round(self.seconds, 4), "cpu_seconds": round(self.cpu_seconds, 4), "error": self.error,
            "typings": self.typings,
            **self.counts(), "verified": self.counts(verified_only=True),
            "cqs": [m.to_dict() for m in self.cqs],
            "gold": [{"fact": g.describe(), "tags": list(g.tags), "optional": g.optional,
                      "found": e.show if e is not None else None, "verified": e.verified if e is not None else None,
                      "miss": cls or None, "detail": detail} for g, e, cls, detail in self.gold],
            "emitted": [{"fact": e.show, "verified": e.verified, "verdict": v, "detail": d}
                        for e, v, d in self.emitted],
            "not_facts_accepted": [{"fact": g.describe(), "tags": list(g.tags), "emitted": e.show}
                                   for g, e in self.not_facts_accepted],
            "split_entities": self.split_entities,
        }


def _ends(para: Paragraph, g: GoldFact, m: CQMapping) -> tuple[frozenset[str], frozenset[str], bool]:
    """(subject names, object names, object is a literal) of the triple ``g`` should be under mapping ``m``.

    An entity answer under a data property is its names as a literal (the ontology chose to
    hold "the official language" as a string).
    """
    about = para.names(g.about)
    if g.answer is None:
        return about, frozenset(normalise_value(v) for v in g.values), True
    answer = para.names(g.answer)
    if m.kind == "data":
        return about, answer | frozenset({normalise_value(g.answer)}), True
    return (about, answer, False) if m.answer_end == "range" else (answer, about, False)


def _hit(names: frozenset[str], emitted: frozenset[str]) -> bool:
    return bool(names & emitted)


def _matches(para: Paragraph, g: GoldFact, m: CQMapping, e: Emitted) -> bool:
    if m.prop is None or e.predicate != m.prop:
        return False
    s, o, literal = _ends(para, g, m)
    if e.literal != literal:
        return False
    if _hit(s, e.subject) and _hit(o, e.object):
        return True
    return m.symmetric and not literal and _hit(o, e.subject) and _hit(s, e.object)


def _expressible(g: GoldFact, m: CQMapping) -> str:
    """Why ``g`` cannot be a fact under ``m`` ("" when it can)."""
    if m.prop is None:
        return "cq_not_parsed" if not m.parsed else "not_expressible"
    if m.kind == "object" and g.literal:
        return "not_expressible"
    return ""


def score_paragraph(para: Paragraph, mappings: Sequence[CQMapping], emitted: Sequence[Emitted],
                    rejected: Sequence[Emitted] = (), entities: Iterable[frozenset[str]] = (), *,
                    typings: int = 0) -> ParagraphScore:
    """Verdicts on one paragraph, from what the session made of it (see the module docstring)."""
    if len(mappings) != len(para.cqs):
        raise ValueError(f"{para.id}: {len(mappings)} CQ mappings for {len(para.cqs)} CQs")
    known = [n for n in entities]
    score = ParagraphScore(para.id, para.domain, para.split, cqs=list(mappings), not_facts=para.not_facts,
                           typings=typings)
    # Emitted facts first: which are correct (and for which gold fact), which are wrong and why.
    matched: dict[int, Emitted] = {}
    verdicts: list[tuple[Emitted, str, str]] = []
    for e in emitted:
        hit = next((i for i, g in enumerate(para.facts) if _matches(para, g, mappings[g.cq], e)), None)
        if hit is not None:
            g = para.facts[hit]
            # A verified copy of the fact is the one that counts when there are two (e.g. two names).
            if hit not in matched or (e.verified and not matched[hit].verified):
                matched[hit] = e
            verdicts.append((e, "optional" if g.optional else "correct", g.describe()))
            continue
        verdicts.append((e, *_wrong(para, mappings, e)))
    score.emitted = verdicts
    for e, verdict, _ in verdicts:
        if verdict == "not_fact":
            nf = next(g for g in para.not_facts if _matches(para, g, mappings[g.cq], e))
            score.not_facts_accepted.append((nf, e))
    wrong = [e for e, v, _ in verdicts if v not in ("correct", "optional")]
    gold_entities = {n for g in para.facts for n in (g.about, g.answer) if n is not None}
    for name in sorted(gold_entities):
        nodes = sum(1 for k in known if para.names(name) & k)
        if nodes > 1:
            score.split_entities[name] = nodes
    for i, g in enumerate(para.facts):
        if i in matched:
            score.gold.append((g, matched[i], "", ""))
            continue
        score.gold.append((g, None, *_miss(para, g, mappings[g.cq], emitted, wrong, rejected, known)))
    return score


def _wrong(para: Paragraph, mappings: Sequence[CQMapping], e: Emitted) -> tuple[str, str]:
    for g in para.not_facts:
        if _matches(para, g, mappings[g.cq], e):
            return "not_fact", f"{g.describe()} [{', '.join(t for t in g.tags if t in NOT_FACT_TAGS)}]"
    for g in para.facts:
        m = mappings[g.cq]
        if m.prop is None or e.predicate != m.prop:
            continue
        s, o, _ = _ends(para, g, m)
        if _hit(o, e.subject) and _hit(s, e.object):
            return "swapped", g.describe()
    for g in para.facts:
        m = mappings[g.cq]
        if m.prop is None or e.predicate != m.prop:
            continue
        s, o, literal = _ends(para, g, m)
        if e.literal == literal and (_hit(s, e.subject) or (not literal and _hit(o, e.object))):
            return "wrong_argument", g.describe()
    for g in para.facts:
        if g.literal or e.predicate == mappings[g.cq].prop:
            continue
        a, b = para.names(g.about), para.names(g.answer or "")
        if (_hit(a, e.subject) and _hit(b, e.object)) or (_hit(b, e.subject) and _hit(a, e.object)):
            return "wrong_relation", g.describe()
    return "unsupported", ""


def _miss(para: Paragraph, g: GoldFact, m: CQMapping, emitted: Sequence[Emitted], wrong: Sequence[Emitted],
          rejected: Sequence[Emitted], known: Sequence[frozenset[str]]) -> tuple[str, str]:
    why = _expressible(g, m)
    if why == "cq_not_parsed":
        return why, "the engine raised unparsed_cq for this CQ"
    if why:
        return why, ("no property of the ontology answers the CQ" if m.prop is None else
                     "the CQ's property takes entities; the answer is a value")
    for r in rejected:
        if _matches(para, g, m, r):
            return "rejected", f"{r.show}: {', '.join(r.codes) or 'rejected'}"
    s, o, literal = _ends(para, g, m)
    for e in emitted:
        if e.predicate == m.prop and _hit(o, e.subject) and _hit(s, e.object):
            return "swapped", e.show
    for e in wrong:
        if e.predicate == m.prop and e.literal == literal and (
                _hit(s, e.subject) or (not literal and _hit(o, e.object))):
            return "wrong_argument", e.show
    if not literal:
        a, b = para.names(g.about), para.names(g.answer or "")
        for e in wrong:  # a correct fact of another CQ between the two (director and writer) is no excuse
            if e.predicate != m.prop and (
                    (_hit(a, e.subject) and _hit(b, e.object)) or (_hit(b, e.subject) and _hit(a, e.object))):
                return "wrong_relation", e.show
    missing = [n for n, names in ((g.about, para.names(g.about)),
                                  *(((g.answer, para.names(g.answer)),) if g.answer is not None and not literal
                                    else ()))
               if not any(names & k for k in known)]
    if missing:
        return "entity_not_found", ", ".join(repr(x) for x in missing)
    return "relation_not_read", ""


# ==================================================================== the session
def _class_words(onto: Any, classes: Iterable[Any]) -> set[str]:
    out: set[str] = set()
    for c in classes:
        oc = onto.classes.get(c)
        if oc is None:
            continue
        for w in (oc.name, oc.label, *oc.alt_labels):
            n = normalise_name(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", w or ""))
            if n:
                out.add(n)
    return out


def _named_end(onto: Any, prop: Any, cq: str) -> str | None:
    """"domain" or "range": the end of ``prop`` whose class the question names after an article."""
    words = normalise_name(cq)
    named = {end: any(re.search(rf"\b(?:a|an|the|some)\s+{re.escape(w)}\b", words) for w in
                      _class_words(onto, getattr(prop, end)))
             for end in ("domain", "range")}
    if named["domain"] != named["range"]:
        return "domain" if named["domain"] else "range"
    return None


def _mappings(session: Any, cq_result: Any, specs: Sequence[CQSpec]) -> list[CQMapping]:
    from ..cq import CompetencyQuestion
    from ..verify.cq_tests import read_cq
    from ..verify.index import FactIndex

    onto = session.ontology
    idx = FactIndex.build(session.kg)
    unparsed = {i.path for i in cq_result.issues if i.code == "unparsed_cq"}
    contributed: dict[str, list[Any]] = defaultdict(list)
    for pc in cq_result.added_properties:
        prop = onto.get_property(pc.name)
        if prop is not None:
            contributed[pc.origin.strip()].append(prop)
    out: list[CQMapping] = []
    for spec in specs:
        cq = CompetencyQuestion(spec.text)
        try:
            reading = read_cq(cq, session, idx)
        except Exception:  # noqa: BLE001 - a reader bug must not stop the benchmark; the CQ maps to nothing
            reading = None
        prop, rule = ((reading.prop, f"reader ({reading.by})") if reading is not None and reading.prop is not None
                      else (None, ""))
        added = contributed.get(spec.text.strip(), [])
        if prop is None and len(added) == 1:
            prop, rule = added[0], "added"
        parsed = f"cq:{cq.id}" not in unparsed
        if prop is None:
            out.append(CQMapping(spec.text, symmetric=spec.symmetric, parsed=parsed,
                                 rule="unparsed" if not parsed else "no property"))
            continue
        if prop.kind == "data":
            end, how = "range", "value"
        else:
            named = _named_end(onto, prop, spec.text)
            focus = getattr(reading, "focus", None) if reading is not None and reading.prop is prop else None
            if named is not None:
                end, how = ("range" if named == "domain" else "domain"), "class named"
            elif focus in ("domain", "range"):
                end, how = focus, "reader focus"
            else:
                end, how = "range", "default"
        out.append(CQMapping(spec.text, str(prop.iri), prop.kind, end, spec.symmetric,  # type: ignore[arg-type]
                             parsed, f"{rule}; answer end by {how}"))
    return out


def _entity_names(kg: Any, e: Any, alts: dict[Any, list[str]]) -> list[str]:
    from ..iri import local_name

    return [kg.label(e), local_name(e).replace("_", " "), *alts.get(e, ())]


def observe(session: Any, cq_result: Any, extraction: Any, para: Paragraph) -> tuple[
        list[CQMapping], list[Emitted], list[Emitted], list[frozenset[str]], int]:
    """What the session made of ``para``: CQ mappings, emitted facts, rejected candidates, entities, typings."""
    from rdflib import RDF, Literal, URIRef

    from ..kg import ALT_LABEL

    from ..iri import local_name

    kg = session.kg
    mappings = _mappings(session, cq_result, para.cqs)
    alts = kg.alt_labels()
    emitted: list[Emitted] = []
    typings = 0
    entities: dict[str, frozenset[str]] = {}  # one entry per entity, by its IRI's local name
    for f in kg.facts(para.id):
        if f.predicate == RDF.type:
            typings += 1
            entities.setdefault(local_name(f.subject), Emitted.of(_entity_names(kg, f.subject, alts), "", "").subject)
            continue
        if f.predicate == ALT_LABEL:
            continue
        subj = _entity_names(kg, f.subject, alts)
        if isinstance(f.object, Literal):
            emitted.append(Emitted.of(subj, str(f.predicate), str(f.object), literal=True,
                                      verified=f.evidence.verified))
        else:
            obj = _entity_names(kg, f.object, alts) if isinstance(f.object, URIRef) else [str(f.object)]
            emitted.append(Emitted.of(subj, str(f.predicate), obj, verified=f.evidence.verified))
            if isinstance(f.object, URIRef):
                entities.setdefault(local_name(f.object), emitted[-1].object)
        entities.setdefault(local_name(f.subject), emitted[-1].subject)
    rejected: list[Emitted] = []
    onto = session.ontology
    for r in (extraction.rejected if extraction is not None else []):
        c = r.checked.candidate
        prop = onto.get_property(c.predicate)
        if prop is None:
            continue
        literal = prop.kind == "data"
        rejected.append(Emitted.of([c.subject, c.subject_text], str(prop.iri),
                                   [c.object, c.object_text] if not literal else [c.object_text or c.object],
                                   literal=literal, codes=r.codes))
        # The engine saw these entities, even if the contracts refused what it said of them.
        entities.setdefault(c.subject, rejected[-1].subject)
        if not literal:
            entities.setdefault(c.object, rejected[-1].object)
    return mappings, emitted, rejected, list(entities.values()), typings


def run_paragraph(para: Paragraph, engine: str = "rules") -> ParagraphScore:
    """One paragraph in a fresh in-memory session: its CQs, then the extraction, then the verdicts."""
    from ..errors import HydraError
    from ..sentences import split_sentences
    from ..session import Session, SessionConfig

    session = Session(f"prose-{para.id}", SessionConfig(model=engine, journal_dir=None))
    try:
        cq_result = session.add_cqs([q.text for q in para.cqs])
        extraction = None
        error = ""
        gc.collect()  # the garbage of earlier paragraphs' sessions is not this extraction's cost
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            extraction = session.extract(para.text, source=para.id)
        except HydraError as exc:  # e.g. no property at all: every fact is then not expressible
            error = f"{type(exc).__name__}: {exc}"
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        mappings, emitted, rejected, entities, typings = observe(session, cq_result, extraction, para)
    finally:
        session.close()
    score = score_paragraph(para, mappings, emitted, rejected, entities, typings=typings)
    score.sentences = len(split_sentences(para.text))
    score.seconds = seconds
    score.cpu_seconds = cpu
    score.error = error
    return score


# ==================================================================== summary
def _prf(c: dict[str, int]) -> dict[str, float | int]:
    p = c["correct"] / c["emitted"] if c["emitted"] else 0.0
    r = c["matched"] / c["gold"] if c["gold"] else 0.0
    return {**c, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + v for k, v in b.items()}


def summarize(scores: Sequence[ParagraphScore]) -> dict[str, Any]:
    """Micro figures over ``scores``, per domain and per phenomenon, and the classes of misses and errors."""
    total: dict[str, int] = {}
    total_v: dict[str, int] = {}
    per_domain: dict[str, dict[str, int]] = {}
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    misses: Counter[str] = Counter()
    misses_by_tag: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: Counter[str] = Counter()
    not_facts: Counter[str] = Counter()
    not_facts_total: Counter[str] = Counter()
    emitted_v = emitted_f = correct_v = correct_f = typings = 0
    cq_rules: Counter[str] = Counter()
    for s in scores:
        c = s.counts()
        total = _add(total, c)
        total_v = _add(total_v, s.counts(verified_only=True))
        per_domain[s.domain] = _add(per_domain.get(s.domain, {}), c)
        typings += s.typings
        for m in s.cqs:
            cq_rules["unparsed" if not m.parsed and m.prop is None else
                     "no property" if m.prop is None else "mapped"] += 1
        for g, e, cls, _ in s.required:
            for t in g.tags:
                tags[t]["gold"] += 1
                tags[t]["matched"] += e is not None
                if cls:
                    misses_by_tag[t][cls] += 1
            if cls:
                misses[cls] += 1
        for e, v, _ in s.emitted:
            ok = v in ("correct", "optional")
            if e.verified:
                emitted_v += 1
                correct_v += ok
            else:
                emitted_f += 1
                correct_f += ok
            if not ok:
                wrong[v] += 1
        for g, _ in s.not_facts_accepted:
            for t in g.tags:
                if t in NOT_FACT_TAGS:
                    not_facts[t] += 1
    for s in scores:
        for g in s.not_facts:
            for t in g.tags:
                if t in NOT_FACT_TAGS:
                    not_facts_total[t] += 1
    sentences = sum(s.sentences for s in scores)
    seconds = sum(s.seconds for s in scores)
    cpu = sum(s.cpu_seconds for s in scores)
    rates = sorted(s.sentences / s.seconds for s in scores if s.seconds > 0)
    return {
        "paragraphs": len(scores),
        "sentences": sentences,
        "micro": _prf(total) if total else _prf({"emitted": 0, "correct": 0, "gold": 0, "matched": 0}),
        "verified_only": _prf(total_v) if total_v else _prf({"emitted": 0, "correct": 0, "gold": 0, "matched": 0}),
        "accepted": {"verified": emitted_v, "flagged": emitted_f, "verified_correct": correct_v,
                     "flagged_correct": correct_f, "typings": typings},
        "per_domain": {d: _prf(c) for d, c in sorted(per_domain.items())},
        "per_phenomenon": {t: {"gold": c["gold"], "matched": c["matched"],
                               "recall": round(c["matched"] / c["gold"], 4) if c["gold"] else 0.0,
                               "misses": dict(misses_by_tag[t].most_common())}
                           for t, c in sorted(tags.items())},
        "misses": {k: misses.get(k, 0) for k in MISS_CLASSES},
        "wrong": {k: wrong.get(k, 0) for k in WRONG_CLASSES},
        "not_facts": {t: {"accepted": not_facts.get(t, 0), "of": not_facts_total.get(t, 0)} for t in NOT_FACT_TAGS},
        "cqs": dict(cq_rules),
        "split_entities": sum(len(s.split_entities) for s in scores),
        "errors": [f"{s.id}: {s.error}" for s in scores if s.error],
        "seconds": round(seconds, 4),
        "sentences_per_second": round(sentences / seconds, 1) if seconds > 0 else None,
        "median_paragraph_sentences_per_second": round(rates[len(rates) // 2], 1) if rates else None,
        "cpu_seconds": round(cpu, 4),
        "sentences_per_cpu_second": round(sentences / cpu, 1) if cpu > 0 else None,
    }


def format_summary(summary: dict[str, Any], *, title: str = "") -> str:
    """The readable summary ``hydra bench prose`` prints."""
    m, v, a = summary["micro"], summary["verified_only"], summary["accepted"]
    lines = [title] if title else []
    lines += [
        f"{summary['paragraphs']} paragraphs, {summary['sentences']} sentences; CQs: "
        + ", ".join(f"{k} {n}" for k, n in sorted(summary["cqs"].items())),
        f"  all accepted facts  P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}  "
        f"({m['correct']}/{m['emitted']} emitted correct, {m['matched']}/{m['gold']} gold found)",
        f"  verified only       P {v['precision']:.2f}  R {v['recall']:.2f}  F1 {v['f1']:.2f}  "
        f"({v['correct']}/{v['emitted']} emitted correct, {v['matched']}/{v['gold']} gold found)",
        f"  accepted: {a['verified']} verified ({a['verified_correct']} correct), {a['flagged']} flagged "
        f"({a['flagged_correct']} correct), {a['typings']} typings not scored; "
        f"{summary['split_entities']} gold entities held as two or more nodes",
        "  not-facts accepted: " + ", ".join(f"{t} {c['accepted']}/{c['of']}" for t, c in summary["not_facts"].items()),
        "  per domain:",
    ]
    for d, c in summary["per_domain"].items():
        lines.append(f"    {d:<11} P {c['precision']:.2f}  R {c['recall']:.2f}  F1 {c['f1']:.2f}  "
                     f"({c['matched']}/{c['gold']} gold, {c['correct']}/{c['emitted']} emitted)")
    lines.append("  missed gold facts by class: " + ", ".join(f"{k} {n}" for k, n in summary["misses"].items()))
    lines.append("  wrong emitted facts by class: " + ", ".join(f"{k} {n}" for k, n in summary["wrong"].items()))
    lines.append("  recall by phenomenon: " + ", ".join(
        f"{t} {c['matched']}/{c['gold']}" for t, c in summary["per_phenomenon"].items()))
    sps, med = summary["sentences_per_second"], summary["median_paragraph_sentences_per_second"]
    cps = summary["sentences_per_cpu_second"]
    lines.append(f"  extraction: {summary['seconds']:.2f}s, "
                 f"{f'{sps:,.0f}' if sps is not None else '-'} sentences/s "
                 f"(median paragraph {f'{med:,.0f}' if med is not None else '-'}); CPU {summary['cpu_seconds']:.2f}s, "
                 f"{f'{cps:,.0f}' if cps is not None else '-'} sentences per CPU second")
    for e in summary["errors"]:
        lines.append(f"  error: {e}")
    return "\n".join(lines)


def _details(scores: Sequence[ParagraphScore]) -> str:
    lines: list[str] = []
    for s in scores:
        c = s.counts()
        lines.append(f"{s.id} ({s.domain}, {s.split}): {c['matched']}/{c['gold']} gold, "
                     f"{c['correct']}/{c['emitted']} emitted correct")
        for g, _, cls, detail in s.required:
            if cls:
                lines.append(f"  missed  {g.describe():<60} {cls}{f': {detail}' if detail else ''}")
        for e, verdict, detail in s.emitted:
            if verdict not in ("correct", "optional"):
                lines.append(f"  wrong   {e.show:<60} {verdict}{f': {detail}' if detail else ''}")
    return "\n".join(lines)


def run(*, split: str = "dev", engine: str = "rules", data: str | Path | None = None,
        output: str | Path | None = None, verbose: bool = False, stream: IO[str] | None = None,
        synonyms: bool = False) -> dict[str, Any]:
    """Score every paragraph of ``split``; print the summary; write the JSON to ``output`` when given.
    ``synonyms``: with each domain's synonym CQs appended (see :func:`load_dev_set`)."""
    out = stream if stream is not None else sys.stdout
    paragraphs = load_dev_set(data, split, synonyms)
    scores: list[ParagraphScore] = []
    if paragraphs:  # imports and lazy tables load once, not in the first paragraph's time
        run_paragraph(paragraphs[0], engine)
    for para in paragraphs:
        scores.append(run_paragraph(para, engine))
    results: dict[str, Any] = {
        "benchmark": "prose", "split": split, "engine": engine, "synonym_cqs": synonyms,
        "data": str(Path(data) if data is not None else default_data_path()),
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
        "miss_classes": list(MISS_CLASSES), "wrong_classes": list(WRONG_CLASSES),
    }
    splits = ("dev", "held-out") if split == "all" else (split,)
    for sp in splits:
        part = [s for s in scores if s.split == sp]
        results[sp] = summarize(part)
        print(format_summary(results[sp], title=f"prose {sp} ({engine}{', synonym CQs' if synonyms else ''})"),
              file=out)
    if split == "all":
        results["all"] = summarize(scores)
        print(format_summary(results["all"], title=f"prose all ({engine})"), file=out)
    if verbose:
        print(_details(scores), file=out)
    results["paragraph_results"] = [s.to_dict() for s in scores]
    if output is not None:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"results written to {path}", file=out)
    return results
