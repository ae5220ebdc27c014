"""Text -> triple candidates for the offline rules engine, and trigger learning.

Extraction works sentence by sentence with precompiled tables (no SPARQL, no
model):

1. sentences are split at ``. ! ?`` except after abbreviations and initials;
2. mentions are found: names (capitalised spans with inner ``of/the/de/for``,
   initials ``J. J. Abrams``, titles with colons ``Looney Tunes: Back in
   Action``), quoted titles, dates, years, numbers, and known values learned for
   a property (``comedy horror``, ``tenor``);
3. relation triggers are matched on word stems (so inflections match): each
   property's label and alternative labels, the passive form of agent nouns
   (``director`` -> ``directed by``), and learned triggers (``hydra:trigger``);
4. each trigger takes the nearest mention of a kind its property accepts as the
   object (and the following ones of a list ``A, B and C``); the subject is the
   sentence subject (a title that runs to ``is``/``(``, else its first name; a list
   ``A and B star in …`` gives each), after a pronoun the previous sentence's subject,
   after ``The film`` the latest entity typed ``Film``; nearer subjects win: ``X's
   producer Y``, ``the capital of X is Y``, ``…, which is in Y``; in ``Y was the
   architect of X`` the owner ``X`` is the subject. A passive alternative label of an
   active property (``directed by`` for ``directs``) swaps subject and object;
5. a learned relation model (see Learning) proposes a property for the mentions no
   trigger linked, when it is confident ("a 2016 American space opera film" -> genre);
6. every entity gets one class: the KG's, a class read in ``X is a <class>``, or
   one inferred from the domains and ranges of the properties it takes part in
   (an ``isA`` candidate with ``inferred=True``; the contracts decide from the text
   whether a type is stated, and flag facts that rest on inferred types). A class
   the text states is proposed even when the KG knows the entity only by an
   inferred type, so a contradiction reaches the contracts (``type_conflict``).
   Nothing formed vanishes: relations whose domain or range cannot hold, and
   values not in their datatype's form, are proposed as read, so that the
   contracts reject them where the user sees it.

Trigger syntax (``hydra:trigger``, readable and editable): a plain phrase
``directed by`` means *subject … phrase object*; ``{o}`` marks where the object
stands when it precedes the phrase (``{o} film``), and ``{s}`` a subject that
follows (``{o} directed {s}``).

Learning (:func:`learn_triggers`) stores in the ontology, per property:

* ``hydra:trigger`` - phrases that precede (or follow) the property's objects in
  the labelled sentences, kept when they are frequent enough and precise: the
  share of their labelled occurrences that belong to this property times the
  share of their occurrences in this property's sentences that sit next to its
  object;
* ``hydra:objectForm`` - the kinds of mention its objects take (``name``,
  ``quoted``, ``value``, ``year``, ``date``, ``number``);
* ``hydra:knownValue`` - object values (``tenor``, ``science fiction``) whose
  occurrences in the training sentences mostly are this property's objects;

and on the ontology node (``owl:Ontology``) ``hydra:leadingArticle "keep"`` when
the labelled names include a leading ``The``, ``hydra:nameWord`` for lower-case
words that mostly occur inside names (``national``, ``volleyball``, ``team``), and
``hydra:relationModel``: a JSON literal holding an averaged perceptron over each
mention's context (the words before and after it and in its clause, its own words
and kind, the sentence's content words) that says which property, if any, links the
sentence's subject to it; the lower-case object values seen in the labels (``space
opera``), read as mentions; and the second parts of names the labels write ``A, B``
(``Cook County, Illinois``), which join such pairs into one name.

Compiled tables are cached per ontology and rebuilt whenever its index is
(:meth:`Ontology.refresh`), so edits to these annotations take effect after a refresh.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, Iterable, Mapping, Sequence

from rdflib import OWL, RDF, XSD, Literal, URIRef

from ..candidates import IS_A, TextChunk, TripleCandidate
from ..iri import normalise_label, snake_case
from ..kg import KnowledgeGraph
from ..ontology import HYDRA, Ontology, OntProperty
from ..sentences import split_sentences

__all__ = [
    "extract_triples",
    "learn_triggers",
    "split_sentences",
    "MENTION_KINDS",
    "TRIGGER",
    "OBJECT_FORM",
    "KNOWN_VALUE",
    "LEADING_ARTICLE",
    "NAME_WORD",
]

#: Kinds of mention an object can be.
MENTION_KINDS = ("name", "quoted", "value", "year", "date", "number")
#: Annotation properties this module reads and (when learning) writes.
TRIGGER = HYDRA.trigger
OBJECT_FORM = HYDRA.objectForm
KNOWN_VALUE = HYDRA.knownValue
LEADING_ARTICLE = HYDRA.leadingArticle
NAME_WORD = HYDRA.nameWord

# ----------------------------------------------------------------- lexicon
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_RX = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE_RXS = [
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_RX + r"),?\s+(\d{4})\b"),
    re.compile(r"\b(" + _MONTH_RX + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(" + _MONTH_RX + r")\s+(\d{4})\b"),
]
# Words that open a sentence but never a name.
_OPENERS = frozenset(
    """
a an the in on at after before during following from with without as since although though while
when where whereas if unless because by for to of into upon under over between among about this that
these those there here it its he his she her they their them we our you your i my one some many most
several both each
however meanwhile also later then originally initially currently today formerly now
nevertheless nonetheless notwithstanding moreover furthermore instead still yet thus therefore hence
""".split()
)
_PRONOUNS = frozenset("he she it they his her its their this these".split())
# Inner words that may join two capitalised words into one name.
_CONNECTORS = frozenset(
    "of the for de del della di da du des van von der den la le les los las el al bin ibn y".split()
)
# "for" joins two capitalised parts only after these heads ("Academy Award for Best Actor").
_FOR_HEADS = frozenset(
    "award awards prize medal trophy cup institute center centre society association "
    "committee foundation council school museum party ministry minister secretary department "
    "office league commission agency fund campaign organization organisation alliance front "
    "movement union".split()
)
_DATE_PREPOSITIONS = frozenset(
    "in on of since by from to until till before after during around circa c about , and".split()
)
_ADJECTIVE_SUFFIXES = ("ese", "ian", "an", "n", "i")
_HONORIFICS = frozenset("dr mr mrs ms sir dame lord lady".split())
_DETERMINERS = frozenset("a an the its his her their this that these those".split())
_STOP_TRIGGERS = frozenset(
    "a an the and or , . ; : ( ) ' \" - is was are were be been its his her their "
    "this that which who whom whose by for in at on of from with to as into onto over "
    "under about after before during also".split()
)
_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "ch", "ic", "i", "ss")
_BARRIERS = frozenset('.;:()[]"“”?!')

# Combining marks and invisible characters (zero-width space, soft hyphen) stay inside a word:
# "Al\u200bien" is one name (iri.clean_name drops them when the IRI is minted).
_TOKEN = re.compile(
    r"""
    (?P<num>\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?(?![^\W_]))
   |(?P<pos>['’][sS](?![^\W_]))
   |(?P<word>[^\W\d_](?:[^\W_]|(?<=[\u00c2-\u00ef\u0080-\u00bf])[\u0080-\u00bf]
                       |[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200b-\u200d\u2060\ufeff\u00ad]
                       |[-'’](?=[^\W_])(?!['’]?[sS](?![^\W_])))*)
   |(?P<alnum>[^\W_]+)
   |(?P<punct>\S)
""",
    re.X,
)
_SUFFIXES = ("ies", "es", "s", "ed", "ing")
_YEAR = re.compile(r"(1\d{3}|20\d{2})")


#: Entity names of surfaces (memoised: the same names recur across sentences).
_snake = lru_cache(maxsize=1 << 16)(snake_case)


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Crude, fast suffix stripping; triggers match on these stems (memoised: words recur)."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 2 and w.endswith(suf):
            w = w[: -len(suf)] + ("y" if suf == "ies" else "")
            if suf in ("ed", "ing") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "starring" -> "star", "planned" -> "plan"
            return w
    return w


@dataclass
class _Tokens:
    text: str
    words: list[str]
    low: list[str]
    stems: tuple[str, ...]
    kinds: list[str]
    starts: list[int]
    ends: list[int]


def _tokenize(text: str) -> _Tokens:
    words, kinds, starts, ends = [], [], [], []
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        words.append(text[a:b])
        kinds.append(m.lastgroup or "punct")
        starts.append(a)
        ends.append(b)
    low = [w.lower() for w in words]
    return _Tokens(text, words, low, tuple(map(_stem, low)), kinds, starts, ends)


# ----------------------------------------------------------------- mentions
@dataclass
class _Mention:
    i: int  # first token
    j: int  # one past the last token
    start: int  # char offsets in the sentence
    end: int
    text: str
    kind: str
    adjective: bool = False
    props: frozenset[URIRef] = frozenset()  # properties that know this value

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)


def _is_cap(toks: _Tokens, k: int) -> bool:
    w = toks.words[k]
    return toks.kinds[k] in ("word", "alnum") and w[:1].isupper()


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    for n, m in enumerate(_MONTHS, start=1):
        if w == m or (len(w) >= 3 and m.startswith(w)):
            return n
    return 0


def _iso(m: re.Match[str], n: int) -> str:
    g = m.groups()
    if n == 0:
        return f"{int(g[2]):04d}-{_month(g[1]):02d}-{int(g[0]):02d}"
    if n == 1:
        return f"{int(g[2]):04d}-{_month(g[0]):02d}-{int(g[1]):02d}"
    if n == 2:
        return m.group()
    return f"{int(g[1]):04d}-{_month(g[0]):02d}"


def _date_mentions(toks: _Tokens) -> list[_Mention]:
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    text = toks.text
    if not any(k == "num" for k in toks.kinds):
        return out
    for n, rx in enumerate(_DATE_RXS):
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            i = _tok_at(toks, m.start())
            j = _tok_at(toks, m.end() - 1) + 1
            if i < 0 or j <= i:
                continue
            taken.append((m.start(), m.end()))
            out.append(_Mention(i, j, m.start(), m.end(), m.group(), "date"))
    return out


def _tok_at(toks: _Tokens, pos: int) -> int:
    for k, (a, b) in enumerate(zip(toks.starts, toks.ends)):
        if a <= pos < b:
            return k
    return -1


def _name_mentions(toks: _Tokens, keep_the: bool) -> list[_Mention]:
    out: list[_Mention] = []
    n = len(toks.words)
    words, low, kinds = toks.words, toks.low, toks.kinds
    k = 0
    while k < n:
        starts_name = _is_cap(toks, k)
        if (
            starts_name
            and k == 0
            and low[k] in _OPENERS
            and not (keep_the and low[k] == "the" and k + 1 < n and _is_cap(toks, k + 1))
        ):
            starts_name = False
        if (
            starts_name
            and k == 0
            and (
                low[k].endswith("ing")
                or low[k].endswith("ed")
                or low[k].endswith("ly")
                or k + 1 < n
                and low[k + 1] == "by"
            )
            and k + 1 < n
            and not _is_cap(toks, k + 1)
        ):
            starts_name = False
        if starts_name and low[k] == "the" and not keep_the and k + 1 < n and _is_cap(toks, k + 1):
            starts_name = False
        # a number opening a name: "The 1974 NASCAR Winston Cup Series", "1 Decembrie 1918 …"
        if (
            not starts_name
            and words[k] == "("
            and k + 3 < n
            and kinds[k + 1] == "num"
            and words[k + 2] == ")"
            and (kinds[k + 3] == "num" or _is_cap(toks, k + 3))
        ):
            starts_name = True  # minor planets: "(29075) 1950 DA"
        if (
            not starts_name
            and kinds[k] == "num"
            and words[k].isdigit()
            and k + 1 < n
            and _is_cap(toks, k + 1)
            and (k == 0 or low[k - 1] not in _DATE_PREPOSITIONS)
            and not _month(words[k + 1])
            and low[k + 1] not in _OPENERS
        ):
            starts_name = True  # "discovered 103 Hera"
        if (
            not starts_name
            and kinds[k] == "num"
            and words[k].isdigit()
            and k + 1 < n
            and _is_cap(toks, k + 1)
            and (k == 0 or low[k - 1] == "the")
            and words[k + 1].lower() not in _OPENERS
        ):
            starts_name = True
        if not starts_name:
            k += 1
            continue
        j = k + 3 if words[k] == "(" else k + 1
        last = j
        while j < n:
            w, lw = words[j], low[j]
            if _is_cap(toks, j):
                j += 1
                last = j
                continue
            if (
                kinds[j] == "num"
                and j == last
                and len(w) <= 4
                and (len(w) <= 3 or (j + 1 < n and _is_cap(toks, j + 1)))
            ):
                j += 1
                last = j
                continue
            if lw == "for" and not any(low[q] in _FOR_HEADS for q in range(k, j)):
                break
            if (
                lw in _CONNECTORS
                and j == last
                and j + 2 < n
                and low[j + 1] in ("the", "la", "le", "de")
                and _is_cap(toks, j + 2)
            ):
                j += 2  # "President of the Marshall Islands", "Academy Award for the Best …"
                continue
            if (
                (lw in _CONNECTORS or w in ("&", ":", "-"))
                and j + 1 < n
                and _is_cap(toks, j + 1)
                and j == last
            ):
                if w == ":" and (
                    toks.starts[j + 1] - toks.ends[j] != 1 or words[j + 1].lower() in _OPENERS
                ):
                    break
                j += 1
                continue
            if (
                w == "."
                and j == last
                and len(words[j - 1]) == 1
                and words[j - 1].isupper()
                and j + 1 < n
                and _is_cap(toks, j + 1)
            ):
                j += 1  # initials: "J. J. Abrams"
                continue
            if (
                w == "."
                and j == last
                and low[j - 1] in ("jr", "sr", "st", "dr", "mr", "mrs", "bros")
                and j + 1 < n
                and _is_cap(toks, j + 1)
            ):
                j += 1
                continue
            break
        first = k
        while (
            last - first > 2
            and low[first] in _HONORIFICS
            and (words[first + 1] == "." or _is_cap(toks, first + 1))
        ):
            first += (
                2 if words[first + 1] == "." else 1
            )  # "Dr. Ram Baran Yadav" -> "Ram Baran Yadav"
        m = _Mention(
            first,
            last,
            toks.starts[first],
            toks.ends[last - 1],
            toks.text[toks.starts[first] : toks.ends[last - 1]],
            "name",
        )
        if (
            last - k == 1
            and last < n
            and kinds[last] == "word"
            and low[last][:1].isalpha()
            and not _is_cap(toks, last)
            and low[k].endswith(_DEMONYM_ENDINGS)
            and low[last] not in ("is", "was", "has", "had", "and", "or", "of", "in", "by")
            and not low[last].endswith("ed")
        ):
            m.adjective = True  # "American songwriters", "Japanese anime"
        if last - first == 1 and "-" in words[first] and words[first].rsplit("-", 1)[1].islower():
            m.adjective = True  # "Canada-based producer", "Oscar-winning"
        out.append(m)
        k = last
    return out


def _extend_name(m: _Mention, toks: _Tokens, words: frozenset[str]) -> _Mention:
    """A name followed by words that names carry in this domain ("Bulgaria women's national
    volleyball team", "1957 New Zealand rugby league season"), learned as ``hydra:nameWord``."""
    n = len(toks.words)
    j = m.j
    end = m.j
    while j < n:
        if toks.low[j] in words and toks.kinds[j] == "word":
            j += 1
            end = j
        elif toks.kinds[j] == "pos" and j + 1 < n and toks.low[j + 1] in words:
            j += 1
        else:
            break
    if end == m.j:
        return m
    b = toks.ends[end - 1]
    return _Mention(m.i, end, m.start, b, toks.text[m.start : b], m.kind, m.adjective, m.props)


def _quoted_mentions(toks: _Tokens) -> list[_Mention]:
    out = []
    for m in re.finditer(r"\"([^\"]{1,120})\"|“([^”]{1,120})”", toks.text):
        g = 1 if m.group(1) is not None else 2
        a, b = m.start(g), m.end(g)
        inner = toks.text[a:b]
        a += len(inner) - len(inner.lstrip())
        b -= len(inner) - len(inner.rstrip())
        i, j = _tok_at(toks, a), _tok_at(toks, b - 1) + 1
        if 0 <= i < j and b > a:
            out.append(_Mention(i, j, a, b, toks.text[a:b], "quoted"))
    return out


def _number_mentions(toks: _Tokens, dates: list[_Mention]) -> list[_Mention]:
    out = []
    in_date = {k for d in dates for k in range(d.i, d.j)}
    for k, kind in enumerate(toks.kinds):
        if kind != "num" or k in in_date:
            continue
        w = toks.words[k]
        if re.fullmatch(r"\d+(?:st|nd|rd|th|s)", w):
            continue
        a, b = toks.starts[k], toks.ends[k]
        if (
            k > 0
            and toks.words[k - 1] in ("-", "−")
            and (k < 2 or toks.kinds[k - 2] != "num")
            and toks.ends[k - 1] == a
        ):
            a = toks.starts[k - 1]
        out.append(
            _Mention(k, k + 1, a, b, toks.text[a:b], "year" if _YEAR.fullmatch(w) else "number")
        )
    return out


# ------------------------------------------------------------ compiled state
@dataclass
class _Trigger:
    prop: URIRef
    stems: tuple[str, ...]
    slot: str  # "after": phrase then object; "before": object then phrase
    subject_after: bool = False
    learned: bool = False
    inverse: bool = False  # passive phrase of an active label: "directed by" for "directs"


@dataclass
class _Compiled:
    props: dict[URIRef, OntProperty]
    classes: dict[URIRef, Any]
    triggers: dict[str, list[_Trigger]]  # first stem -> triggers, longest first
    kinds: dict[URIRef, frozenset[str]]
    values: dict[
        str, list[tuple[tuple[str, ...], frozenset[URIRef]]]
    ]  # first low token -> (tokens, props)
    value_props: dict[URIRef, bool]  # properties whose known values alone signal them
    class_labels: dict[tuple[str, ...], URIRef]  # stemmed label tokens -> class
    keep_the: bool = False
    max_class_len: int = 1
    name_words: frozenset[str] = frozenset()  # lower-case words that belong to names here
    has_single_values: bool = False
    model: _Model | None = None


_CACHE: "weakref.WeakKeyDictionary[Ontology, _Compiled]" = weakref.WeakKeyDictionary()
# A cache, not state: compiled tables are rebuilt whenever the ontology's index
# is (Ontology.refresh replaces its dicts), and dropped with the ontology.


def _compiled(ontology: Ontology) -> _Compiled:
    c = _CACHE.get(ontology)
    if c is not None and c.props is ontology.properties and c.classes is ontology.classes:
        return c
    c = _compile(ontology)
    _CACHE[ontology] = c
    return c


_IRREGULAR_AGENTS = {
    "writer": "written by",
    "builder": "built by",
    "leader": "led by",
    "maker": "made by",
    "founder": "founded by",
    "owner": "owned by",
    "seller": "sold by",
    "singer": "sung by",
    "teacher": "taught by",
    "winner": "won by",
    "speaker": "spoken by",
}


def _label_triggers(prop: OntProperty) -> list[str]:
    out: list[str] = []
    for lab in (prop.label, *prop.alt_labels):
        words = normalise_label(lab).split()
        if not words:
            continue
        out.append(" ".join(words))
        last = words[-1]
        base = None
        if last in _IRREGULAR_AGENTS:
            out.append(" ".join(words[:-1] + [_IRREGULAR_AGENTS[last]]))
        elif last.endswith("or") and len(last) > 5:
            base = last[:-2] + "ed"
        elif last.endswith("er") and len(last) > 5:
            base = last[:-2] + ("ed" if not last[:-2].endswith("e") else "d")
        if base:
            out.append(" ".join(words[:-1] + [base, "by"]))
    return out


def _parse_trigger(phrase: str) -> tuple[tuple[str, ...], str, bool] | None:
    ph = " ".join(phrase.split())
    before = ph.startswith("{o}")
    subject_after = ph.endswith("{s}")
    core = ph.replace("{o}", " ").replace("{s}", " ")
    toks = _tokenize(core)
    stems = tuple(toks.stems)
    if not stems:
        return None
    return stems, ("before" if before else "after"), subject_after


def _compile(ontology: Ontology) -> _Compiled:
    g = ontology.graph
    triggers: dict[str, list[_Trigger]] = defaultdict(list)
    kinds: dict[URIRef, frozenset[str]] = {}
    values: dict[str, list[tuple[tuple[str, ...], frozenset[URIRef]]]] = defaultdict(list)
    value_sets: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
    value_props: dict[URIRef, bool] = {}
    seen: set[tuple[URIRef, tuple[str, ...], str, bool]] = set()
    for prop in ontology.properties.values():
        phrases = [(p, False) for p in _label_triggers(prop)] + [(p, True) for p in prop.triggers]
        label_words = [_stem(w) for w in normalise_label(prop.label).split()]
        for phrase, learned in phrases:
            parsed = _parse_trigger(phrase)
            if parsed is None:
                continue
            stems, slot, subj_after = parsed
            key = (prop.iri, stems, slot, subj_after)
            if key in seen:
                continue
            seen.add(key)
            # "directs" (Director -> Film) with the alternative label "directed by": in
            # "Alien was directed by Ridley Scott" the object of "by" is the subject.
            # Learned phrases were read with the gold direction and are never inverted.
            inverse = (
                not learned
                and prop.kind == "object"
                and len(stems) >= 2
                and stems[-1] == "by"
                and bool(label_words)
                and label_words[-1] != "by"
                and stems[-2] == label_words[0]
            )
            triggers[stems[0]].append(_Trigger(prop.iri, stems, slot, subj_after, learned, inverse))
        forms = {str(o) for o in g.objects(prop.iri, OBJECT_FORM)} & set(MENTION_KINDS)
        kinds[prop.iri] = frozenset(forms) if forms else _default_kinds(prop)
        known = [str(o) for o in g.objects(prop.iri, KNOWN_VALUE)]
        value_props[prop.iri] = bool(known)
        for v in known:
            toks = tuple(_tokenize(v).low)
            if toks:
                value_sets[toks].add(prop.iri)
    for toks, ps in value_sets.items():
        values[toks[0]].append((toks, frozenset(ps)))
    for lst in values.values():
        lst.sort(key=lambda x: -len(x[0]))
    for trigger_list in triggers.values():
        trigger_list.sort(key=lambda t: -len(t.stems))
    class_labels: dict[tuple[str, ...], URIRef] = {}
    for cls in sorted(ontology.classes.values(), key=lambda c: str(c.iri)):
        for lab in (cls.label, cls.name, *cls.alt_labels):
            words = tuple(_stem(w) for w in normalise_label(lab).split())
            if words:
                class_labels.setdefault(words, cls.iri)
    keep = any(str(o) == "keep" for o in g.objects(None, LEADING_ARTICLE))
    name_words = frozenset(str(o) for o in g.objects(None, NAME_WORD))
    return _Compiled(
        ontology.properties,
        ontology.classes,
        dict(triggers),
        kinds,
        dict(values),
        value_props,
        class_labels,
        keep,
        max((len(k) for k in class_labels), default=1),
        name_words,
        any(len(toks) == 1 for toks in value_sets),
        _load_model(ontology),
    )


def _default_kinds(prop: OntProperty) -> frozenset[str]:
    if prop.kind == "object":
        return frozenset({"name", "quoted", "value"})
    dt = prop.datatype
    if dt in (
        XSD.integer,
        XSD.int,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.decimal,
        XSD.float,
        XSD.double,
        XSD.gYear,
    ):
        return frozenset({"number", "year"})
    if dt in (XSD.date, XSD.dateTime):
        return frozenset({"date"})
    if dt == XSD.boolean:
        return frozenset()
    return frozenset({"name", "quoted", "value", "year", "date", "number"})


def _value_mentions(toks: _Tokens, comp: _Compiled) -> list[_Mention]:
    out = []
    low = toks.low
    n = len(low)
    k = 0
    while k < n:
        hit = None
        for cand, props in comp.values.get(low[k], ()):
            L = len(cand)
            if tuple(low[k : k + L]) == cand:
                hit = (L, props)
                break
            # plural of a known value: "tenors", "operas"
            if (
                tuple(low[k : k + L - 1]) == cand[:-1]
                and k + L - 1 < n
                and low[k + L - 1] in (cand[-1] + "s", cand[-1] + "es")
            ):
                hit = (L, props)
                break
        if hit:
            L, props = hit
            a, b = toks.starts[k], toks.ends[k + L - 1]
            out.append(_Mention(k, k + L, a, b, toks.text[a:b], "value", props=props))
            k += L
            continue
        w = low[k]
        if (
            comp.has_single_values
            and len(w) > 4
            and toks.kinds[k] == "word"
            and toks.words[k][:1].isupper()
        ):
            # the adjective of a known value: "Japanese" -> Japan, "Korean" -> Korea
            for suffix in _ADJECTIVE_SUFFIXES:
                if w.endswith(suffix):
                    stem_props = comp.values.get(w[: -len(suffix)])
                    adj_props = next((p for c, p in stem_props or () if len(c) == 1), None)
                    if adj_props is not None:
                        a = toks.starts[k]
                        b = a + len(w) - len(suffix)
                        out.append(_Mention(k, k + 1, a, b, toks.text[a:b], "value", props=adj_props))
                        break
        k += 1
    return out


def _mentions(toks: _Tokens, comp: _Compiled) -> list[_Mention]:
    dates = _date_mentions(toks)
    quoted = _quoted_mentions(toks)
    names = _name_mentions(toks, comp.keep_the)
    if comp.name_words:
        names = [_extend_name(m, toks, comp.name_words) for m in names]
    nums = _number_mentions(toks, dates)
    vals = _value_mentions(toks, comp) if comp.values else []
    ms = quoted + dates + nums + vals
    qspans = [(q.i, q.j) for q in quoted]
    for m in names:
        # a name inside a quoted title is the title
        if any(a <= m.i and m.j <= b and (a, b) != (m.i, m.j) for a, b in qspans):
            continue
        if any((a, b) == (m.i, m.j) for a, b in qspans):
            continue
        ms.append(m)
    for v in vals:  # a capitalised known value is both a name and a value: merge
        for m in ms:
            if m.kind == "name" and m.key == v.key:
                m.props = v.props
    ms.sort(key=lambda m: (m.i, -m.j))
    if comp.model is not None and comp.model.merge:
        ms = _merge_commas(toks, ms, comp.model.merge)
    return ms


# ---------------------------------------------------------------- extraction
@dataclass
class _Rel:
    prop: URIRef
    subj: _Mention
    obj: _Mention
    score: float
    order: int
    # the text states it outright: "<subject> <trigger> <object>" with the ontology's own
    # words, nothing between (see _emit: proposed even when its typing contradicts)
    direct: bool = False


def _sentence_subject(toks: _Tokens, mentions: list[_Mention]) -> tuple[_Mention | None, bool, int]:
    """The sentence's subject mention, whether the sentence refers back (pronoun, "The film"),
    and the token where an opening clause ("In 1990,", "Written by X,") ends (0 if none)."""
    low = toks.low
    n = len(low)
    k0 = 0
    while k0 < n and toks.kinds[k0] == "punct" and toks.words[k0] not in ('"', "“"):
        k0 += 1
    if k0 >= n:
        return None, False, 0
    first = low[k0]
    if first in _PRONOUNS:
        return _possessive_subject(toks, mentions), True, 0
    nxt_cap = k0 + 1 < n and _is_cap(toks, k0 + 1)
    if first in ("the", "this") and k0 + 1 < n and toks.kinds[k0 + 1] == "word" and not nxt_cap:
        # "The film was …" refers back
        return _possessive_subject(toks, mentions), True, 0
    opener = (first in _OPENERS and first not in ("the", "a", "an")) or (
        toks.kinds[k0] == "word"
        and not nxt_cap
        and (first.endswith(("ed", "ing")) or (k0 + 1 < n and low[k0 + 1] == "by"))
    )
    limit = 0
    title = _title_subject(toks, k0, mentions)
    if title is not None and (
        not opener or sum(1 for q in range(title.i + 1, title.j) if _is_cap(toks, q)) >= 2
    ):
        # "Bullet in a Bible was …"; an opener may start a title too: "When Marnie Was There was …"
        return title, False, 0
    if opener and "," in low[k0:]:
        # "In 1990, …", "Produced during the war, …", "Written by X, Y is …": the subject
        # follows the comma
        limit = low.index(",", k0) + 1
    elif opener:
        # "In 1944 Georgi Belev returned to …": a name right after the opening date
        if toks.kinds[k0] == "word" and first in _DATE_PREPOSITIONS:
            when = next((m for m in mentions if m.i == k0 + 1), None)
            if when is not None and when.kind in ("year", "date"):
                who = next((m for m in mentions if m.i == when.j), None)
                if who is not None and who.kind == "name" and not who.adjective:
                    return who, False, when.j
        return _possessive_subject(toks, mentions), False, 0
    for m in mentions:
        if m.i < limit or m.adjective or m.kind not in ("name", "quoted", "value"):
            continue
        if m.kind == "value" and not m.text[:1].isupper():
            continue
        if limit and m.i > limit + 1:
            return _possessive_subject(toks, mentions), False, limit
        return m, False, limit
    return None, False, limit


def _possessive_subject(toks: _Tokens, mentions: list[_Mention]) -> _Mention | None:
    """ "X's" in a sentence without an opening subject: "… on Hammer to Fall's 1984 album"."""
    for m in mentions:
        if (
            m.kind in ("name", "quoted")
            and not m.adjective
            and m.j < len(toks.kinds)
            and toks.kinds[m.j] == "pos"
        ):
            return m
    return None


_TITLE_WORDS = frozenset(
    "of in a an the per or and to on at for du la le de del von van y et und der die "
    "das el los las".split()
)


def _title_subject(toks: _Tokens, k0: int, mentions: list[_Mention]) -> _Mention | None:
    """A title that opens the sentence and runs to ``(`` or ``is/was``: "Bullet in a Bible was …".

    Capitalisation alone cuts such titles short ("Madonna: Truth or Dare", "5
    Centimeters per Second"); the copula or the parenthesis after them marks their end.
    """
    n = len(toks.words)
    k = k0
    if toks.low[k] == "the" and k + 1 < n and not any(m.i == k for m in mentions):
        k += 1  # "The" is not kept in names of this ontology
    start = k
    if (
        toks.words[k] == "("
        and k + 2 < n
        and toks.kinds[k + 1] == "num"
        and toks.words[k + 2] == ")"
    ):
        k += 3  # minor planets: "(181902) 1999 RD215"
    if k >= n or not (_is_cap(toks, k) or toks.kinds[k] == "num"):
        return None
    other_lower = 0
    boundary = -1
    for q in range(k, min(n, start + 12)):
        w, lw, kind = toks.words[q], toks.low[q], toks.kinds[q]
        if w == "(" or w in ("is", "was", "are", "were"):
            boundary = q
            break
        if kind == "pos" and q + 1 < n and _is_cap(toks, q + 1):
            continue  # "Geri's Game"
        if kind == "pos" or (kind == "punct" and w not in (":", "-", "&", "!", "?", "'", ".")):
            return None
        if kind == "word" and not w[:1].isupper() and lw not in _TITLE_WORDS:
            # "X which is …", "Y who was …": a relative clause, no title
            if lw.endswith(("ed", "ing", "ly")) or lw in _OPENERS or lw in _RELATIVES:
                return None
            other_lower += 1
    if boundary <= start:
        return None
    if other_lower > (2 if toks.words[boundary] == "(" or toks.kinds[start] == "num" else 1):
        return None
    end = boundary
    while end > start and toks.kinds[end - 1] == "punct" and toks.words[end - 1] not in ("!", "?"):
        end -= 1
    if end <= start or toks.low[end - 1] in _TITLE_WORDS:
        return None
    a, b = toks.starts[start], toks.ends[end - 1]
    for m in mentions:  # an equal mention (quoted title, known value) keeps its kind
        if m.i == start and m.j == end:
            return m
    if end - start == 1 and toks.kinds[start] == "num":
        return None
    return _Mention(start, end, a, b, toks.text[a:b], "name")


def _of_subject(k1: int, toks: _Tokens, mentions: list[_Mention]) -> _Mention | None:
    """The subject in "<label> of <S> is <O>" ("the capital of Romania is Bucharest")."""
    low = toks.low
    q = k1
    if q >= len(low) or low[q] != "of":
        return None
    q += 1
    if q < len(low) and low[q] == "the":
        q += 1
    for m in mentions:
        if m.i == q and m.kind in ("name", "quoted") and not m.adjective:
            if m.j < len(low) and low[m.j] in ("is", "was", "are", "were"):
                return m
            return None
    return None


# Words that may stand between a subject and a trigger it states directly ("X was directed by Y").
_AUXILIARIES = frozenset("is was are were has had have also".split())
def _of_owner(
    k0: int, k1: int, subj: _Mention, toks: _Tokens, mentions: list[_Mention]
) -> _Mention | None:
    """The owner in "<S> is the <label> of <O>" (what the label is of): ``O``."""
    low = toks.low
    if subj.i < 0 or subj.j >= k0 or low[subj.j] not in ("is", "was", "are", "were"):
        return None
    if any(low[q] not in _DETERMINERS for q in range(subj.j + 1, k0)) or k1 >= len(low):
        return None
    if low[k1] != "of":
        return None
    q = k1 + 1
    if q < len(low) and low[q] == "the":
        q += 1
    for m in mentions:
        if m.i == q and m.kind in ("name", "quoted") and not m.adjective and m.key != subj.key:
            return m
    return None


_RELATIVES = frozenset("which where who whose whom".split())


def _local_subject(
    k0: int, toks: _Tokens, mentions: list[_Mention], possessive: bool = True
) -> _Mention | None:
    """A subject nearer than the sentence's for the trigger at ``k0``.

    ``X's <label>`` ("I Kissed a Girl's producer Dr. Luke", "Alba's capital is …";
    only for the property's own words: in "Shakespeare's play Othello" the possessor
    is no subject) and relative clauses ("… the city of Fallujah, which is in Iraq")
    name their own subject.
    """
    low, kinds = toks.low, toks.kinds
    q = k0 - 1
    while q >= 0 and low[q] in _DETERMINERS:
        q -= 1
    if possessive and q >= 1 and kinds[q] == "pos":
        for m in mentions:
            if m.j == q and m.kind in ("name", "quoted") and not m.adjective:
                return m
    # the nearest relative pronoun before the trigger, in the same clause
    for r in range(k0 - 1, max(-1, k0 - 8), -1):
        if low[r] in (".", ";", "(", ")"):
            break
        if low[r] in _RELATIVES:
            end = r - 1 if r >= 1 and low[r - 1] == "," else r
            for m in mentions:
                if m.j == end and m.kind in ("name", "quoted", "value") and not m.adjective:
                    return m
            break
    return None


def _object_after(
    t_end: int,
    mentions: list[_Mention],
    kinds: frozenset[str],
    toks: _Tokens,
    subject: _Mention | None,
    max_gap: int = 4,
) -> tuple[_Mention | None, int]:
    best = None
    for m in mentions:
        if m.i < t_end:
            continue
        gap = m.i - t_end
        if gap > max_gap:
            break
        if any(toks.words[k] in _BARRIERS for k in range(t_end, m.i)):
            break
        if not all(
            _filler(toks, q)
            or any(o.i <= q < o.j for o in mentions)
            or (q <= t_end + 1 and toks.low[q] in ("is", "was", "are", "were"))
            for q in range(t_end, m.i)
        ):
            break
        if m.adjective or m.kind not in kinds or (subject is not None and m.key == subject.key):
            continue
        if m.j < len(toks.kinds) and toks.kinds[m.j] == "pos" and m.kind == "name":
            max_gap += (
                m.j + 1 - m.i
            )  # "based on Shakespeare's play Othello": the possessor is skipped
            continue
        if best is None or (m.i == best.i and m.j > best.j):
            best = m
            if m.kind != "year":
                break
    return best, (best.i - t_end if best else 0)


def _object_before(
    t_start: int,
    mentions: list[_Mention],
    kinds: frozenset[str],
    toks: _Tokens,
    subject: _Mention | None,
    max_gap: int = 1,
) -> tuple[_Mention | None, int]:
    best = None
    for m in mentions:
        if m.j > t_start:
            break
        gap = t_start - m.j
        if gap > max_gap or m.kind not in kinds or m.adjective and m.kind == "name":
            continue
        if subject is not None and m.key == subject.key:
            continue
        if any(toks.words[k] in _BARRIERS for k in range(m.j, t_start)):
            continue
        best = m
    return best, (t_start - best.j if best else 0)


def _list_extension(
    first: _Mention, mentions: list[_Mention], kinds: frozenset[str], toks: _Tokens
) -> list[_Mention]:
    """Mentions that continue a list after ``first``: ``A, B and C``, ``A & B``."""
    out = []
    cur = first
    for m in mentions:
        if m.i < cur.j or m.key == cur.key:
            continue
        between = [toks.low[k] for k in range(cur.j, m.i)]
        if (
            between in ([","], ["and"], [",", "and"], ["&"], ["or"], [",", "or"])
            and m.kind in kinds
            and not m.adjective
            and m.kind == cur.kind
        ):
            out.append(m)
            cur = m
            if between[-1] in ("and", "or", "&"):
                break
            continue
        if m.i >= cur.j + 2 or m.i > cur.j and toks.low[cur.j] not in (",", "and", "&", "or"):
            break
    return out


def _match_triggers(toks: _Tokens, comp: _Compiled) -> list[tuple[int, int, _Trigger]]:
    out = []
    stems = toks.stems
    n = len(stems)
    words = toks.words
    get = comp.triggers.get
    for k in range(n):
        cands = get(stems[k])
        if not cands:
            continue
        for trig in cands:
            L = len(trig.stems)
            if k + L > n:
                continue
            if stems[k : k + L] == trig.stems:
                if all(q == 0 or not words[q][:1].isupper() for q in range(k, k + L)):
                    out.append((k, k + L, trig))
            elif (
                L >= 2
                and trig.stems[-1] == "by"
                and trig.slot == "after"
                and stems[k : k + L - 1] == trig.stems[:-1]
                and stems[k + L - 1] in ("and", ",", "or")
            ):
                # "written and directed by X", "produced, written and directed by X"
                for q in range(k + L, min(n, k + L + 5)):
                    if stems[q] == "by":
                        out.append((k, q + 1, trig))
                        break
                    if toks.kinds[q] != "word" and words[q] != "," or words[q][:1].isupper():
                        break
    return out


def _explicit_class(toks: _Tokens, subject: _Mention | None, comp: _Compiled) -> URIRef | None:
    """The class read in "X is a/an … <class label>" right after the subject."""
    if subject is None:
        return None
    low, n = toks.low, len(toks.low)
    k = subject.j
    if k < n and low[k] == "," and k + 1 < n:  # "X, a 1999 film, …"
        k += 1
    elif k < n and low[k] in ("is", "was", "are", "were") and k + 1 < n:
        k += 1
    else:
        return None
    if k < n and low[k] in ("a", "an", "the", "one"):
        k += 1
    else:
        return None
    # the noun phrase runs to the first function word / punctuation
    end = k
    while (
        end < n
        and end - k < 8
        and toks.kinds[end] in ("word", "num", "alnum")
        and low[end]
        not in (
            "by",
            "of",
            "in",
            "from",
            "that",
            "which",
            "who",
            "and",
            "directed",
            "written",
            "produced",
            "released",
            "based",
            "for",
            "with",
            "on",
            "at",
            "about",
            "to",
        )
    ):
        end += 1
    stems = toks.stems
    for L in range(min(comp.max_class_len, end - k), 0, -1):
        cls = comp.class_labels.get(tuple(stems[end - L : end]))
        if cls is not None:
            return cls
    return None


def extract_triples(
    chunk: TextChunk, ontology: Ontology, kg: KnowledgeGraph
) -> list[TripleCandidate]:
    """Candidate triples (``isA`` typings first) read from ``chunk`` with ``ontology``'s vocabulary.

    Only candidates that the triple contracts accept are returned: every entity
    is typed (by the KG, ``X is a <class>`` or an inferred ``isA`` from a
    domain/range), domains and ranges hold, names are snake_case, literals fit
    their datatype, and subject/object spans point at their surface form in the
    source text (``chunk.start`` + offset in ``chunk.text``).
    """
    comp = _compiled(ontology)
    if not comp.props:
        return []
    out_types: list[TripleCandidate] = []
    out_rels: list[TripleCandidate] = []
    state = _ChunkState(ontology, kg, comp, kg_has_facts=len(kg) > 0)
    last_subject: tuple[str, int, int] | None = None  # surface, absolute span
    for s0, s1 in split_sentences(chunk.text):
        sentence = chunk.text[s0:s1]
        base = chunk.start + s0
        last_subject = _extract_sentence(
            sentence, base, chunk.index, comp, state, last_subject, out_types, out_rels
        )
    return out_types + out_rels


@dataclass
class _ChunkState:
    ontology: Ontology
    kg: KnowledgeGraph
    comp: _Compiled
    types: dict[str, URIRef] = field(
        default_factory=dict
    )  # entity name -> class typed in this chunk
    # subjects in reading order (name, surface, absolute span): what "The film" may refer to
    recent: list[tuple[str, str, int, int]] = field(default_factory=list)
    kg_has_facts: bool = True
    # entity name -> classes the text of this chunk states ("X is a <class>")
    stated: dict[str, set[URIRef]] = field(default_factory=dict)


def _extract_sentence(
    sentence: str,
    base: int,
    chunk_index: int,
    comp: _Compiled,
    state: _ChunkState,
    last_subject: tuple[str, int, int] | None,
    out_types: list[TripleCandidate],
    out_rels: list[TripleCandidate],
) -> tuple[str, int, int] | None:
    toks = _tokenize(sentence)
    if not toks.words:
        return last_subject
    mentions = _mentions(toks, comp)
    subject, refers_back, intro_end = _sentence_subject(toks, mentions)
    back_ref: _Mention | None = None
    if refers_back:
        antecedent = _antecedent(toks, comp, state) or last_subject
        if antecedent is not None:
            # an earlier subject stands in (before an "X's" guess); its span is in an
            # earlier sentence
            back_ref = _Mention(
                -1, 0, antecedent[1] - base, antecedent[2] - base, antecedent[0], "name"
            )
            subject = back_ref
    rels: list[_Rel] = []
    order = 0
    for k0, k1, trig in _match_triggers(toks, comp):
        kinds = comp.kinds.get(trig.prop, frozenset())
        if not kinds:
            continue
        subj = _local_subject(k0, toks, mentions, not trig.learned) or subject
        of_subject = (
            None if trig.learned or trig.slot != "after" else _of_subject(k1, toks, mentions)
        )
        if of_subject is not None:
            subj, k1 = of_subject, of_subject.j + 1  # past the copula
        elif not trig.learned and trig.slot == "after" and not trig.inverse and subj is not None:
            owner = _of_owner(k0, k1, subj, toks, mentions)
            if owner is not None and subj.kind in kinds:
                # "James Pain was the architect of Adare Manor": the owner is the subject
                score = 1.1 + 0.2 * len(trig.stems)
                rels.append(_Rel(trig.prop, owner, subj, score, order))
                order += 1
                continue
        if trig.slot == "after":
            obj, gap = _object_after(k1, mentions, kinds, toks, subj)
            if obj is None:
                continue
            if (
                subj is not None
                and subj is not back_ref
                and subj is not of_subject
                and subj.i >= k0
                and not (intro_end and k1 < intro_end)
            ):
                # the subject must stand before its trigger: "Directed by Y, X is …" has
                # no subject here
                subj = None
        else:
            obj, gap = _object_before(k0, mentions, kinds, toks, subj)
            if obj is None:
                continue
            if trig.subject_after:
                subj = next(
                    (
                        m
                        for m in mentions
                        if m.i >= k1 and m.kind in ("name", "quoted") and not m.adjective
                    ),
                    None,
                )
        if subj is None or obj.key == subj.key:
            continue
        direct = (
            not trig.learned
            and trig.slot == "after"
            and gap == 0
            and subj.i >= 0
            and subj.j <= k0
            and all(toks.low[q] in _AUXILIARIES for q in range(subj.j, k0))
        )
        if trig.inverse:
            if obj.kind not in ("name", "quoted"):
                continue
            subj, obj = obj, subj
        # the ontology's own words (labels) outrank learned phrases
        score = (1.0 + 0.2 * len(trig.stems) + (0.0 if trig.learned else 0.1)) / (1.0 + 0.5 * gap)
        if obj.props and trig.prop in obj.props:
            score += 0.5
        rels.append(_Rel(trig.prop, subj, obj, score, order, direct))
        order += 1
        for extra in _list_extension(obj, mentions, kinds, toks):
            if trig.inverse:
                rels.append(_Rel(trig.prop, extra, obj, score * 0.95, order))
            else:
                rels.append(_Rel(trig.prop, subj, extra, score * 0.95, order))
            order += 1
    # known values that alone signal their property ("tenor" -> voice type)
    if subject is not None:
        for m in mentions:
            if not m.props or m.key == subject.key:
                continue
            for p in sorted(m.props):
                kinds = comp.kinds.get(p, frozenset())
                if m.kind in kinds or (m.kind == "name" and "value" in kinds):
                    rels.append(_Rel(p, subject, m, 0.6, order))
                    order += 1
    if comp.model is not None and subject is not None:
        order = _model_relations(toks, mentions, subject, comp, rels, order)
    if subject is not None and subject is not back_ref and rels:
        # "Al Pacino and Robert De Niro star in Heat": a list as the subject
        first_trigger = min((r.obj.i for r in rels if r.subj is subject), default=len(toks.words))
        co = [
            m
            for m in _list_extension(subject, mentions, frozenset({"name", "quoted"}), toks)
            if m.j <= first_trigger
        ]
        for m in co:
            rels += [_Rel(r.prop, m, r.obj, r.score, r.order) for r in rels if r.subj is subject]
    rels = _resolve(rels)
    new_last: tuple[str, int, int] | None
    if subject is not None:
        new_last = (subject.text, base + subject.start, base + subject.end)
    else:
        new_last = last_subject
    explicit = _explicit_class(toks, subject if subject is not back_ref else None, comp)
    _emit(rels, sentence, base, chunk_index, comp, state, explicit, subject, out_types, out_rels)
    return new_last


def _model_relations(
    toks: _Tokens,
    mentions: list[_Mention],
    subject: _Mention,
    comp: _Compiled,
    rels: list[_Rel],
    order: int,
) -> int:
    """Relations the learned model reads where no trigger phrase matched (see ``_Model``)."""
    model = comp.model
    assert model is not None
    taken = {r.obj.key for r in rels}
    lexm = (
        [m for m in _lexicon_mentions(toks, model.lexicon, mentions) if not m.text[:1].isupper()]
        if model.lexicon
        else []
    )
    allowed = model.allowed.get(id(comp))
    if allowed is None:
        # classes whose property takes objects of each mention kind
        allowed = {}
        for kind in MENTION_KINDS:
            allowed[kind] = [
                c
                for c, prop in enumerate(model.classes)
                if prop is not None
                and (
                    kind in comp.kinds.get(prop, frozenset())
                    or kind == "name"
                    and "value" in comp.kinds.get(prop, frozenset())
                )
            ]
        model.allowed = {id(comp): allowed}
    bag: list[float] | None = None
    for m in mentions + lexm:
        if m.key == subject.key or m.key in taken or not allowed.get(m.kind):
            continue
        if bag is None:
            bag = _bag_scores(model, toks)
        local = _local_subject(m.i, toks, mentions) or subject
        sc = _score_mention(model, _mention_features(toks, m, local), bag)
        best = 0
        for c in allowed[m.kind]:
            if sc[c] > sc[best]:
                best = c
        if best and sc[best] - sc[0] >= model.margin and local.key != m.key:
            rels.append(_Rel(model.classes[best], local, m, 0.5, order))  # type: ignore[arg-type]
            order += 1
    return order


def _antecedent(toks: _Tokens, comp: _Compiled, state: _ChunkState) -> tuple[str, int, int] | None:
    """What "The film …" refers to: the latest subject typed as (a subclass of) ``film``."""
    k = 0
    while k < len(toks.low) and toks.kinds[k] == "punct":
        k += 1
    if k + 1 >= len(toks.low) or toks.low[k] not in ("the", "this"):
        return None
    cls = comp.class_labels.get((toks.stems[k + 1],))
    if cls is None:
        return None
    onto = state.ontology
    for name, surface, a, b in reversed(state.recent):
        t = state.types.get(name)
        known = (
            {t}
            if t is not None
            else (
                set(state.kg.types_of(state.kg.entity_iri(name))) if state.kg_has_facts else set()
            )
        )
        if any(onto.is_subclass(x, cls) for x in known):
            return surface, a, b
    return None


def _resolve(rels: list[_Rel]) -> list[_Rel]:
    """One property per object mention (the best-scored trigger); no duplicate triples."""
    best: dict[tuple[tuple[int, int], tuple[int, int]], float] = {}
    for r in rels:
        key = (r.subj.key, r.obj.key)
        best[key] = max(best.get(key, 0.0), r.score)
    # the best-scored properties of each pair (several when one trigger signals several)
    seen: set[tuple[tuple[int, int], tuple[int, int], URIRef]] = set()
    chosen = []
    for r in sorted(rels, key=lambda r: r.order):
        key = (r.subj.key, r.obj.key)
        if r.score >= best[key] - 1e-9 and (*key, r.prop) not in seen:
            seen.add((*key, r.prop))
            chosen.append(r)
    out = []
    for r in chosen:
        if any(
            o is not r
            and o.subj.key == r.subj.key
            and o.obj.start <= r.obj.start
            and r.obj.end <= o.obj.end
            and (o.obj.end - o.obj.start) > (r.obj.end - r.obj.start)
            for o in chosen
        ):
            continue
        out.append(r)
    return out


def _emit(
    rels: list[_Rel],
    sentence: str,
    base: int,
    chunk_index: int,
    comp: _Compiled,
    state: _ChunkState,
    explicit: URIRef | None,
    subject: _Mention | None,
    out_types: list[TripleCandidate],
    out_rels: list[TripleCandidate],
) -> None:
    onto, kg = state.ontology, state.kg
    # constraints: entity name -> list of (acceptable classes, weight)
    needs: dict[str, list[tuple[tuple[URIRef, ...], float]]] = defaultdict(list)
    surface: dict[str, _Mention] = {}
    prepared = []
    unfit: list[tuple[_Rel, OntProperty, str, str]] = []  # values not in the datatype's form
    for r in rels:
        prop = comp.props[r.prop]
        s_name = _snake(r.subj.text)
        if not s_name:
            continue
        if prop.kind == "object":
            o_name = _snake(r.obj.text)
            if not o_name or o_name == s_name:
                continue
            needs[o_name].append((prop.range, r.score))
            surface.setdefault(o_name, r.obj)
        else:
            value = _literal_value(r.obj, prop)
            if value is None:
                # formed, then found not to fit: proposed as read so the contracts report it
                unfit.append((r, prop, s_name, r.obj.text))
                continue
            o_name = value
        needs[s_name].append((prop.domain, r.score))
        surface.setdefault(s_name, r.subj)
        prepared.append((r, prop, s_name, o_name))
    subj_name = _snake(subject.text) if subject is not None else ""
    if explicit is not None and subj_name and subj_name not in needs:
        needs[subj_name] = []
        surface[subj_name] = subject  # type: ignore[assignment]
    chosen: dict[str, tuple[URIRef | None, bool]] = {}
    for name, reqs in needs.items():
        exp = explicit if name == subj_name else None
        chosen[name] = _choose_class(name, reqs, exp, onto, kg, state)
    kept = [
        (r, prop, s_name, o_name)
        for r, prop, s_name, o_name in prepared
        if _fits(chosen[s_name][0], prop.domain, onto)
        and (prop.kind != "object" or _fits(chosen[o_name][0], prop.range, onto))
    ]
    used = {s_name for _, _, s_name, _ in kept} | {
        o for _, prop, _, o in kept if prop.kind == "object"
    }
    if explicit is not None and subj_name:
        used.add(subj_name)

    # Nothing the engine formed vanishes: a relation whose typing contradicts the
    # property's domain or range ("Heat directed Michael Mann.", "Radium discovered Marie
    # Curie.") is proposed as read, with no typing of its own, so that the contracts
    # reject it (domain_mismatch, range_mismatch, untyped_entity) where the user sees it.
    # Its requirements were weighed above like any other, so what is accepted does not
    # change because of it.
    kept_ids = {id(x[0]) for x in kept}
    contradicted = [x for x in prepared if id(x[0]) not in kept_ids] + unfit
    for name, (cls, new) in chosen.items():
        if cls is None or not new or name not in used:
            continue
        m = surface[name]
        state.types[name] = cls
        exp = explicit if name == subj_name else None
        if exp is not None and cls == exp:
            state.stated.setdefault(name, set()).add(cls)
        out_types.append(
            TripleCandidate(
                subject=name,
                predicate=IS_A,
                object=onto.classes[cls].name,
                subject_text=m.text,
                sentence=sentence,
                subject_span=(base + m.start, base + m.end),
                chunk=chunk_index,
                inferred=not (exp is not None and cls == exp),
            )
        )
    mentioned = [(r.subj.start, s_name, r.subj) for r, _, s_name, _ in kept] + [
        (r.obj.start, o_name, r.obj) for r, prop, _, o_name in kept if prop.kind == "object"
    ]
    if explicit is not None and subject is not None and subj_name:
        mentioned.append((subject.start, subj_name, subject))
    for _, name, m in sorted(mentioned, key=lambda x: x[0]):
        state.recent.append((name, m.text, base + m.start, base + m.end))
    for r, prop, s_name, o_name in kept + contradicted:
        out_rels.append(
            TripleCandidate(
                subject=s_name,
                predicate=prop.name,
                object=o_name,
                subject_text=r.subj.text,
                object_text=r.obj.text,
                sentence=sentence,
                subject_span=(base + r.subj.start, base + r.subj.end),
                object_span=(base + r.obj.start, base + r.obj.end),
                chunk=chunk_index,
            )
        )


def _literal_value(m: _Mention, prop: OntProperty) -> str | None:
    """The literal for a data property in its datatype's lexical form, or ``None`` if it has none.

    "25 May 1979" is ``1979-05-25`` for ``xsd:date``; "1,200.5" is ``1200.5`` for
    ``xsd:float``. The candidate's ``object_text`` and span keep the text's form.
    """
    from ..contracts.values import check_literal

    value = m.text
    dt = prop.datatype
    if dt in (XSD.date, XSD.dateTime) and m.kind == "date":
        for n, rx in enumerate(_DATE_RXS[:3]):
            mm = rx.fullmatch(value)
            if mm:
                value = _iso(mm, n)
                break
    elif dt in (XSD.float, XSD.double, XSD.decimal) and m.kind in ("number", "year"):
        value = value.replace(",", "")
    return value if check_literal(value, dt) is None else None


def _fits(cls: URIRef | None, required: Sequence[URIRef], onto: Ontology) -> bool:
    if cls is None:
        return False
    return not required or any(onto.is_subclass(cls, r) for r in required)


def _choose_class(
    name: str,
    reqs: list[tuple[tuple[URIRef, ...], float]],
    explicit: URIRef | None,
    onto: Ontology,
    kg: KnowledgeGraph,
    state: _ChunkState,
) -> tuple[URIRef | None, bool]:
    """The class ``name`` gets (and whether an ``isA`` must be emitted for it)."""
    iri = kg.entity_iri(name) if state.kg_has_facts else None
    known = set(kg.types_of(iri)) if iri is not None else set()
    if name in state.types:
        known.add(state.types[name])
    known = {k for k in known if k in onto.classes}
    if explicit is not None and explicit in onto.classes:
        # The text states a type. Unless a stated type already says as much, propose it:
        # a type known only by inference is not evidence, and a contradiction with one
        # must reach the contracts (type_conflict) rather than be resolved here.
        stated = (set(kg.stated_types_of(iri)) if iri is not None else set()) | state.stated.get(name, set())
        stated = {k for k in stated if k in onto.classes}
        if not any(onto.is_subclass(k, explicit) for k in stated) and all(
            onto.is_subclass(explicit, k) or onto.is_subclass(k, explicit) for k in stated
        ):
            return explicit, True

    def satisfied(c: URIRef) -> float:
        return sum(w for req, w in reqs if not req or any(onto.is_subclass(c, r) for r in req))

    # an already known type that meets the requirements needs no new typing
    if known:
        best_known = max(sorted(known), key=satisfied)
        if satisfied(best_known) >= sum(w for _, w in reqs) - 1e-9:
            return best_known, False
    candidates = {c for req, _ in reqs for c in req}
    if explicit is not None:
        candidates.add(explicit)
    candidates = {
        c
        for c in candidates
        if c in onto.classes
        and all(onto.is_subclass(c, k) or onto.is_subclass(k, c) for k in known)
    }
    if not candidates:
        return (max(sorted(known), key=satisfied) if known else None), False
    total = sum(w for _, w in reqs)

    def rank(c: URIRef) -> tuple[float, int, int, str]:
        sat = satisfied(c)
        return (sat, 1 if c == explicit else 0, len(onto.ancestors(c)), str(c))

    best = max(sorted(candidates), key=rank)
    if explicit is not None and satisfied(explicit) >= satisfied(best) - 1e-9:
        best = explicit
    if reqs and satisfied(best) <= 0 and total > 0:
        return (max(sorted(known), key=satisfied) if known else None), False
    if best in known:
        return best, False
    return best, True


# ------------------------------------------------------------ relation model
# A per-mention classifier learned from the labelled sentences: which property (if any)
# links the sentence's subject to this mention. Its features are the words around
# the mention, the words between it and what precedes it in its clause, the mention's
# own words and kind, and the sentence's content words; an averaged perceptron
# weighs them. It proposes relations the trigger phrases miss ("a 2016 American
# space opera film" -> genre); trigger matches keep precedence.
RELATION_MODEL = HYDRA.relationModel
_PRUNE = 0.1  # averaged weights below this are dropped: same figures, a smaller, faster model
_MODEL_MARGIN = 0.25  # the best property must beat "no relation" by this much


@dataclass
class _Model:
    classes: list[URIRef | None]  # index 0: no relation
    weights: dict[str, dict[int, float]]
    lexicon: dict[str, list[tuple[str, ...]]]  # first token -> lower-case object values
    margin: float = _MODEL_MARGIN
    # second parts of names written "A, B" ("Cook County, Illinois"): the pair is one name
    merge: frozenset[str] = frozenset()
    allowed: dict[int, dict[str, list[int]]] = field(default_factory=dict)  # memo per compilation


def _sentence_features(toks: _Tokens) -> list[str]:
    return sorted(
        {
            "s:" + s
            for s, w, k in zip(toks.stems, toks.words, toks.kinds)
            if k == "word" and s not in _STOP_TRIGGERS and not w[:1].isupper()
        }
    )


def _mention_features(toks: _Tokens, m: _Mention, subj: _Mention | None) -> list[str]:
    st, low = toks.stems, toks.low
    n = len(st)
    i, j = m.i, m.j
    p1 = st[i - 1] if i >= 1 else "<s>"
    p2 = st[i - 2] if i >= 2 else "<s>"
    n1 = st[j] if j < n else "</s>"
    f = [
        "b",
        "k:" + m.kind,
        "p1:" + p1,
        "p2:" + p2 + " " + p1,
        "n1:" + n1,
        "h:" + low[j - 1],
        "f:" + low[i],
        "v:" + " ".join(low[i:j]),
    ]
    if i >= 3:
        f.append("p3:" + st[i - 3])
    if j + 1 < n:
        f.append("n2:" + n1 + " " + st[j + 1])
    if m.adjective:
        f.append("adj")
    # the words of its clause before it, back to a barrier (at most 8)
    for q in range(i - 1, max(-1, i - 9), -1):
        w = toks.words[q]
        if w in _BARRIERS:
            break
        s = st[q]
        if s not in _STOP_TRIGGERS and toks.kinds[q] == "word" and not w[:1].isupper():
            f.append("w:" + s)
    if subj is not None and subj.i >= 0:
        d = i - subj.j
        f.append("d:" + ("<0" if d < 0 else "<3" if d < 3 else "<8" if d < 8 else "far"))
        if 0 <= d <= 12:
            # the words between the subject and the object ("X was born in Y")
            for q in range(subj.j, i):
                s = st[q]
                if s not in _STOP_TRIGGERS and toks.kinds[q] == "word":
                    f.append("bw:" + s)
    else:
        f.append("d:none")
    return f


def _lexicon_mentions(
    toks: _Tokens, lexicon: Mapping[str, list[tuple[str, ...]]], taken: list[_Mention]
) -> list[_Mention]:
    """Lower-case values seen as objects in the labelled sentences ("space opera", "parody")."""
    out = []
    low = toks.low
    n = len(low)
    busy = [False] * n
    for m in taken:
        for q in range(max(0, m.i), min(n, m.j)):
            busy[q] = True
    k = 0
    while k < n:
        for cand in lexicon.get(low[k], ()):
            L = len(cand)
            if tuple(low[k : k + L]) == cand and not any(busy[k : k + L]):
                a, b = toks.starts[k], toks.ends[k + L - 1]
                out.append(_Mention(k, k + L, a, b, toks.text[a:b], "value"))
                k += L - 1
                break
        k += 1
    return out


def _comma_pairs(toks: _Tokens, ms: list[_Mention]) -> list[tuple[_Mention, _Mention]]:
    """Adjacent names ``A, B`` (candidates for one name such as "Akita, Akita")."""
    names = [m for m in ms if m.kind == "name" and not m.adjective and m.i >= 0]
    return [(a, b) for a, b in pairwise(names) if b.i == a.j + 1 and toks.words[a.j] == ","]


def _merge_commas(toks: _Tokens, ms: list[_Mention], merge: frozenset[str]) -> list[_Mention]:
    if not merge or "," not in toks.words:
        return ms
    drop: set[tuple[int, int]] = set()
    add = []
    for a, b in _comma_pairs(toks, ms):
        if a.key in drop or " ".join(toks.low[b.i : b.j]) not in merge:
            continue
        drop.update((a.key, b.key))
        add.append(_Mention(a.i, b.j, a.start, b.end, toks.text[a.start : b.end], "name"))
    if not add:
        return ms
    out = [m for m in ms if m.key not in drop] + add
    out.sort(key=lambda m: (m.i, -m.j))
    return out


def _score_mention(model: _Model, feats: Iterable[str], base: list[float]) -> list[float]:
    sc = list(base)
    get = model.weights.get
    for f in feats:
        w = get(f)
        if w:
            for c, v in w.items():
                sc[c] += v
    return sc


def _bag_scores(model: _Model, toks: _Tokens) -> list[float]:
    return _score_mention(model, _sentence_features(toks), [0.0] * len(model.classes))


def _train_perceptron(
    examples: list[tuple[list[str], set[int]]], n_classes: int, epochs: int = 6
) -> dict[str, dict[int, float]]:
    """An averaged multi-class perceptron (deterministic order: epochs rotate the data)."""
    import random

    w: dict[str, dict[int, float]] = defaultdict(dict)
    total: dict[str, dict[int, float]] = defaultdict(dict)
    stamp: dict[str, dict[int, int]] = defaultdict(dict)
    t = 0
    order = list(range(len(examples)))
    rnd = random.Random(13)
    for _ in range(epochs):
        rnd.shuffle(order)
        for idx in order:
            feats, gold = examples[idx]
            t += 1
            sc = [0.0] * n_classes
            for f in feats:
                for c, v in w[f].items():
                    sc[c] += v
            pred = max(range(n_classes), key=lambda c: (sc[c], -c))
            if pred in gold:
                continue
            g = min(gold)
            for f in feats:
                wf, tf, sf = w[f], total[f], stamp[f]
                for c, delta in ((g, 1.0), (pred, -1.0)):
                    old = wf.get(c, 0.0)
                    tf[c] = tf.get(c, 0.0) + (t - sf.get(c, 0)) * old
                    sf[c] = t
                    wf[c] = old + delta
    out: dict[str, dict[int, float]] = {}
    for f, wf in w.items():
        avg = {}
        for c, v in wf.items():
            tot = total[f].get(c, 0.0) + (t - stamp[f].get(c, 0)) * v
            a = round(tot / t, 3)
            if abs(a) >= _PRUNE:
                avg[c] = a
        if avg:
            out[f] = avg
    return out


def _load_model(ontology: Ontology) -> _Model | None:
    import json

    node = URIRef(str(ontology.ns))
    raw = ontology.graph.value(node, RELATION_MODEL)
    if raw is None:
        return None
    try:
        data = json.loads(str(raw))
        classes: list[URIRef | None] = [None]
        for name in data["classes"]:
            p = ontology.get_property(name)
            classes.append(p.iri if p is not None else None)
        weights = {
            f: {int(c): float(v) for c, v in cw.items()} for f, cw in data["weights"].items()
        }
        lexicon: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for v in data.get("lexicon", []):
            t = tuple(v.split())
            if t:
                lexicon[t[0]].append(t)
        for lst in lexicon.values():
            lst.sort(key=lambda x: -len(x))
        return _Model(
            classes,
            weights,
            dict(lexicon),
            float(data.get("margin", _MODEL_MARGIN)),
            frozenset(data.get("merge", [])),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a hand-edited, broken model is ignored, the triggers still work


def _learn_model(
    data: list[tuple[str, list[tuple[str, str, str]]]],
    ontology: Ontology,
    margin: float,
) -> None:
    """Train the relation model on the labelled sentences and store it in ``ontology``."""
    import json

    comp = _compiled(ontology)
    props = sorted(comp.props, key=str)
    index = {p: n for n, p in enumerate(props, start=1)}
    # lower-case object values (a value list per property would be too sparse to score)
    lex: set[tuple[str, ...]] = set()
    parsed = []
    for sent, triples in data:
        golds: list[tuple[int, set[str], str | None]] = []
        for sub, rel, obj in triples:
            prop = ontology.get_property(rel) or ontology.get_property(rel.strip())
            if prop is None:
                continue
            variants = {" ".join(_tokenize(v).low) for v in _surface_variants(obj) if v}
            iso = obj.strip('"') if re.fullmatch(r'"?\d{4}-\d{2}-\d{2}"?', obj) else None
            golds.append((index[prop.iri], variants, iso))
            for v in variants:
                words = v.split()
                if 0 < len(words) <= 4 and v[:1].isalpha() and any(
                    w.isalpha() and w not in _STOP_TRIGGERS for w in words
                ):
                    lex.add(tuple(words))
        parsed.append((sent, golds))
    lexicon: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for t in sorted(lex, key=lambda x: -len(x)):
        lexicon[t[0]].append(t)
    # "A, B" written as one name in the labels ("Cook County, Illinois") or as two
    merged: Counter[str] = Counter()
    apart: Counter[str] = Counter()
    tokenized = {}
    for sent, triples in data:
        toks = _tokenize(sent)
        mentions = _mentions(toks, comp)
        tokenized[sent] = (toks, mentions)
        if "," not in toks.words:
            continue
        ents = {
            " ".join(_tokenize(v.strip('"').replace("_", " ")).low)
            for sub, _, obj in triples
            for v in (sub, obj)
        }
        for a, b in _comma_pairs(toks, mentions):
            second = " ".join(toks.low[b.i : b.j])
            if " ".join(toks.low[a.i : b.j]) in ents:
                merged[second] += 1
            elif " ".join(toks.low[a.i : a.j]) in ents or second in ents:
                apart[second] += 1
    merge = frozenset(w for w, n in merged.items() if n >= 2 and n > apart[w])
    examples: list[tuple[list[str], set[int]]] = []
    for sent, golds in parsed:
        if not golds:
            continue
        toks, mentions = tokenized[sent]
        mentions = _merge_commas(toks, mentions, merge)
        # only lower-case lexicon values: capitalised ones are names already
        lexm = [
            m for m in _lexicon_mentions(toks, lexicon, mentions) if not m.text[:1].isupper()
        ]
        subject, _, _ = _sentence_subject(toks, mentions)
        bag = _sentence_features(toks)
        for m in mentions + lexm:
            if subject is not None and m.key == subject.key:
                continue
            text = " ".join(toks.low[m.i : m.j])
            iso = None
            if m.kind == "date":
                for n, rx in enumerate(_DATE_RXS):
                    mm = rx.fullmatch(m.text)
                    if mm:
                        iso = _iso(mm, n)
                        break
            labels = {
                c for c, variants, giso in golds if text in variants or (iso and iso == giso)
            }
            local = _local_subject(m.i, toks, mentions) or subject
            examples.append((_mention_features(toks, m, local) + bag, labels or {0}))
    weights = _train_perceptron(examples, len(props) + 1) if examples else {}
    payload = {
        "classes": [ontology.properties[p].name for p in props],
        "weights": {f: {str(c): v for c, v in sorted(cw.items())} for f, cw in sorted(weights.items())},
        "lexicon": sorted(" ".join(t) for t in lex),
        "margin": margin,
        "merge": sorted(merge),
    }
    node = URIRef(str(ontology.ns))
    ontology.graph.add((node, RDF.type, OWL.Ontology))
    ontology.graph.set((node, RELATION_MODEL, Literal(json.dumps(payload, separators=(",", ":")))))


# ------------------------------------------------------------------ learning
def _examples(
    examples: Iterable[Mapping[str, Any]],
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``(sentence, [(sub, rel, obj)])`` from TekGen lines or WebNLG lines (grouped by sentence)."""
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for ex in examples:
        sent = str(ex.get("sent") or ex.get("text") or "")
        if not sent:
            continue
        bucket = grouped.setdefault(sent, [])
        if "triples" in ex:
            for t in ex["triples"] or []:
                tr = (str(t.get("sub", "")), str(t.get("rel", "")), str(t.get("obj", "")))
                if tr not in bucket:
                    bucket.append(tr)
        elif "rel_label" in ex or "rel" in ex:
            tr = (
                str(ex.get("sub_label", ex.get("sub", ""))),
                str(ex.get("rel_label", ex.get("rel", ""))),
                str(ex.get("obj_label", ex.get("obj", ""))),
            )
            if tr not in bucket:
                bucket.append(tr)
    return list(grouped.items())


def _surface_variants(value: str) -> list[str]:
    """How a gold entity or literal may be written in the sentence."""
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        v = v[1:-1]
    v = v.replace("_", " ").strip()
    out = [v]
    m = re.fullmatch(r"(.*?)\s*\([^)]*\)", v)  # "17068.8 (millimetres)", "Alba (county)"
    if m and m.group(1):
        out.append(m.group(1))
    m = re.fullmatch(r"0?1 January (\d{4})", v)
    if m:
        out.append(m.group(1))
    if re.fullmatch(r"-?\d+\.0", v):
        out.append(v[:-2])
    return out


def _find(toks: _Tokens, mentions: list[_Mention], value: str) -> tuple[int, int, str] | None:
    """Token span and mention kind of ``value`` in the sentence."""
    iso = value.strip('"')
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        for m in mentions:
            if m.kind == "date":
                for n, rx in enumerate(_DATE_RXS):
                    mm = rx.fullmatch(m.text)
                    if mm and _iso(mm, n) == iso:
                        return m.i, m.j, "date"
    text_low = toks.text.lower()
    for v in _surface_variants(value):
        if not v:
            continue
        pos = text_low.find(v.lower())
        while pos >= 0:
            i = _tok_at(toks, pos)
            j = _tok_at(toks, pos + len(v) - 1) + 1
            if (
                i >= 0
                and j == i + 1
                and toks.starts[i] == pos
                and toks.ends[i] > pos + len(v)
                and toks.low[i][len(v) :] in _ADJECTIVE_SUFFIXES
            ):
                return i, j, "prefix"  # "Japan" read in "Japanese"
            if i >= 0 and j > i and toks.starts[i] == pos and toks.ends[j - 1] == pos + len(v):
                kind = "value"
                for m in mentions:
                    if m.i == i and m.j == j:
                        kind = m.kind
                        break
                else:
                    if _is_cap(toks, i):
                        kind = "name"
                    elif j - i == 1 and toks.kinds[i] == "num":
                        kind = "year" if _YEAR.fullmatch(toks.words[i]) else "number"
                return i, j, kind
            pos = text_low.find(v.lower(), pos + 1)
    return None


def _contains(phrase: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(phrase[i : i + n] == sub for i in range(len(phrase) - n + 1))


def _ngrams(stems: Sequence[str], a: int, b: int, max_n: int = 3) -> set[tuple[str, ...]]:
    out = set()
    for i in range(a, b):
        for n in range(1, max_n + 1):
            if i + n <= b:
                out.add(tuple(stems[i : i + n]))
    return out


def _useful(phrase: Sequence[str], surface: Sequence[str] = (), literal: bool = False) -> bool:
    """A phrase worth counting: some content word, no barrier, no name or number in it.

    Before a year, date or number even "is a" is worth it: the kind of the object
    keeps such a phrase precise ("is a 1991 film").
    """
    content = any(w not in _STOP_TRIGGERS for w in phrase) or (
        literal and any(w.isalpha() for w in phrase) and len(phrase) >= 2
    )
    return (
        content
        and all(w not in _BARRIERS for w in phrase)
        and not any(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in surface)
    )


# Words that may stand between a trigger and its object ("written by American songwriters X").
_NOT_FILLERS = frozenset(
    "by in of for from with at on to as and or but that which who whom whose when where "
    "while is was are were be been has have had not".split()
)


def _filler(toks: _Tokens, q: int) -> bool:
    w = toks.low[q]
    if toks.kinds[q] == "punct":
        return False
    return w not in _NOT_FILLERS and not (
        toks.kinds[q] == "word"
        and w.endswith("ed")
        and len(w) > 4
        and not toks.words[q][:1].isupper()
    )


def learn_triggers(
    examples: Iterable[Mapping[str, Any]],
    ontology: Ontology,
    *,
    min_support: int = 2,
    min_score: float = 0.3,
    tie: float = 0.7,
    name_word_share: float = 0.25,
    max_per_property: int = 40,
    model: bool = True,
    model_margin: float = _MODEL_MARGIN,
) -> dict[str, list[str]]:
    """Induce trigger phrases per property from labelled sentences and store them in ``ontology``.

    Parameters
    ----------
    examples
        Text2KGBench train lines in either layout: TekGen ``{"sub_label",
        "rel_label", "obj_label", "sent"}`` (one triple per line) or WebNLG
        ``{"sent", "triples": [{"sub", "rel", "obj"}]}`` (underscored names,
        quoted literals). Relations are matched to properties by label or name.
    ontology
        Receives ``hydra:trigger``, ``hydra:objectForm``, ``hydra:knownValue``
        annotations (see the module docstring) and is refreshed once.
    min_support, min_score, max_per_property
        A phrase is kept for a property when it was seen next to at least
        ``min_support`` of its objects and its precision score reaches
        ``min_score``; at most ``max_per_property`` phrases, best first.

    Returns
    -------
    dict
        Property name -> learned trigger phrases, best first.
    """
    data = _examples(examples)
    comp = _compiled(ontology)
    # counts keyed on (stems, slot, subject_after)
    adj: dict[tuple[tuple[str, ...], str, bool], Counter[URIRef]] = defaultdict(Counter)
    surface: dict[tuple[tuple[str, ...], str, bool], Counter[str]] = defaultdict(Counter)
    occ: dict[tuple[str, ...], Counter[URIRef]] = defaultdict(Counter)
    forms: dict[URIRef, Counter[str]] = defaultdict(Counter)
    value_hits: dict[URIRef, Counter[tuple[str, ...]]] = defaultdict(Counter)
    value_surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    the_kept = the_dropped = 0
    in_names: Counter[str] = Counter()
    all_words: Counter[str] = Counter()
    sentences_low: list[list[str]] = []
    for sent, triples in data:
        toks = _tokenize(sent)
        mentions = _mentions(toks, comp)
        sentences_low.append(toks.low)
        props_here: set[URIRef] = set()
        for sub, rel, obj in triples:
            prop = ontology.get_property(rel) or ontology.get_property(rel.strip())
            if prop is None:
                continue
            props_here.add(prop.iri)
            o = _find(toks, mentions, obj)
            s = _find(toks, mentions, sub)
            for gold, span in ((sub, s), (obj, o)):
                if span is None:
                    continue
                i = span[0]
                if span[2] in ("name", "value", "quoted") and _is_cap(toks, i):
                    for q in range(i + 1, span[1]):
                        if toks.kinds[q] == "word" and toks.words[q].islower():
                            in_names[toks.low[q]] += 1
                gold_text = gold.strip('"').replace("_", " ")
                if gold_text.lower().startswith("the ") and toks.low[i] == "the":
                    the_kept += 1
                elif i > 0 and toks.words[i - 1] == "The":
                    the_dropped += 1
            if o is None:
                continue
            oi, oj, kind = o
            if kind == "prefix":
                gold_value = obj.strip('"').replace("_", " ")
                forms[prop.iri]["value"] += 1
                value_hits[prop.iri][(gold_value.lower(),)] += 1
                value_surface[(gold_value.lower(),)][gold_value] += 1
            else:
                forms[prop.iri][kind] += 1
            if kind in ("value", "name", "quoted") and oj - oi <= 4:
                value_hits[prop.iri][tuple(toks.low[oi:oj])] += 1
                value_surface[tuple(toks.low[oi:oj])][
                    toks.text[toks.starts[oi] : toks.ends[oj - 1]]
                ] += 1
            subj_after = s is not None and s[0] >= oj
            # phrases before the object ("directed by Y"), up to 3 tokens away
            lo = max(0, oi - 6)
            if s is not None and s[1] <= oi:
                lo = max(lo, s[1])
            for n in (1, 2, 3):
                for gap in range(0, 4):
                    a, b = oi - gap - n, oi - gap
                    if a < lo:
                        continue
                    if any(toks.words[k] in _BARRIERS for k in range(a, oi)):
                        continue
                    if not all(_filler(toks, q) for q in range(b, oi)):
                        continue
                    ph = tuple(toks.stems[a:b])
                    if _useful(
                        ph,
                        [w for q, w in enumerate(toks.words[a:b], a) if q > 0],
                        literal=kind in ("year", "date", "number"),
                    ):
                        key = (ph, "after", False)
                        adj[key][prop.iri] += 1
                        surface[key][" ".join(toks.low[a:b])] += 1
            # phrases right after the object ("{o} film", "{o} directed {s}")
            for n in (1, 2, 3, 4) if subj_after else (1, 2):
                a, b = oj, oj + n
                if b > len(toks.words) or (s is not None and s[0] < b and s[0] >= oj):
                    continue
                if subj_after and n > 2 and s is not None and s[0] != b:
                    continue  # long object-first phrases must end at the subject
                if any(toks.words[k] in _BARRIERS for k in range(a, b)):
                    continue
                ph = tuple(toks.stems[a:b])
                if _useful(ph, toks.words[a:b]):
                    key = (ph, "before", subj_after)
                    adj[key][prop.iri] += 1
                    surface[key][" ".join(toks.low[a:b])] += 1
        all_words.update(w for w, k in zip(toks.words, toks.kinds) if k == "word" and w.islower())
        for ph in _ngrams(toks.stems, 0, len(toks.stems)):
            for p in props_here:
                occ[ph][p] += 1
    # ---- score trigger phrases
    per_prop: dict[URIRef, list[tuple[float, str]]] = defaultdict(list)
    label_owner: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
    for stems_list in comp.triggers.values():
        for trig in stems_list:
            if not trig.learned:
                label_owner[trig.stems].add(trig.prop)
    for key, counts in adj.items():
        phrase, slot, subj_after = key
        total = sum(counts.values())
        # A phrase may signal several properties ("written by": composer and lyrics by)
        # when they are about as frequent; each must earn its own score.
        top = max(counts.values())
        for prop_iri, n in counts.items():
            if n < min_support or n < tie * top:
                continue
            if any(
                owners and prop_iri not in owners
                for sub, owners in label_owner.items()
                if sub == phrase or (len(sub) > 1 and _contains(phrase, sub))
            ):
                # another property's own label ("director" never signals screenwriter), or a
                # phrase around one ("and edited by" never signals author; "tributary of" may
                # still signal the mouth of a river)
                continue
            share = n / total
            within = n / max(occ[phrase][prop_iri], n)
            score = share * within
            if score < min_score:
                continue
            text = surface[key].most_common(1)[0][0]
            if slot == "before":
                text = "{o} " + text + (" {s}" if subj_after else "")
            per_prop[prop_iri].append((score * (1 + 0.1 * len(phrase)), text))
    result: dict[str, list[str]] = {}
    g = ontology.graph
    for prop_iri, lst in per_prop.items():
        lst.sort(key=lambda x: (-x[0], x[1]))
        phrases = [t for _, t in lst[:max_per_property]]
        ontology.add_triggers(prop_iri, phrases, refresh=False)
        result[ontology.properties[prop_iri].name] = phrases
    # ---- object forms and known values
    all_values: Counter[tuple[str, ...]] = Counter()
    for low in sentences_low:
        seen = set()
        for i in range(len(low)):
            for n in range(1, 5):
                if i + n <= len(low):
                    seen.add(tuple(low[i : i + n]))
        all_values.update(seen)
    for prop_iri, form_counts in forms.items():
        total = sum(form_counts.values())
        kinds = {k for k, v in form_counts.items() if v >= max(2, 0.1 * total)}
        if kinds:
            for k in sorted(kinds):
                g.add((prop_iri, OBJECT_FORM, Literal(k)))
    for prop_iri, hits in value_hits.items():
        for val, n in hits.items():
            if n < 2 or not any(w.isalpha() for w in val):
                continue
            if n / max(all_values[val], n) >= 0.5:
                g.add((prop_iri, KNOWN_VALUE, Literal(value_surface[val].most_common(1)[0][0])))
    node = URIRef(str(ontology.ns))
    if the_kept > the_dropped:
        g.add((node, RDF.type, OWL.Ontology))
        g.set((node, LEADING_ARTICLE, Literal("keep")))
    for w, in_name in sorted(in_names.items()):
        # lower-case words that mostly occur inside names ("national", "volleyball", "team")
        if (
            in_name >= 3
            and in_name >= name_word_share * all_words[w]
            and w not in _OPENERS
            and w not in _TITLE_WORDS
        ):
            g.add((node, RDF.type, OWL.Ontology))
            g.add((node, NAME_WORD, Literal(w)))
    ontology.refresh()
    if model:
        _learn_model(data, ontology, model_margin)
        ontology.refresh()
    return result
