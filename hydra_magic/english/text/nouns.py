"""Common-noun objects: lower-case noun phrases read as entities in argument position, for the
properties whose class takes them (:mod:`.common_nouns`).

Only where a trigger of such a property stands: right after it (past a determiner or a linking
word, "side effects include nausea"), and the phrases of a list that continues it ("syphilis,
pneumonia and streptococcal infections"). A noun phrase is a run of lower-case words; a participle
may open it ("canned soups") but ends it after a noun ("inhibitor used to treat"); it ends at a
function word, punctuation, a capitalised word or a verb. Definite descriptions and generic words
("the company", "patients") are not entities.
"""

from __future__ import annotations

from functools import lru_cache

from ..lexicon import ADVERBS, COMMON_VERBS, FUNCTION, ING_NOUNS, IRREGULAR_FORMS, KNOWN_NOUNS_ED
from ..morphology import verb_lemma
from .common_nouns import GENERIC_HEADS, NOUN_BRIDGES
from .mentions import _Mention
from .tokens import _Tokens

#: Longest noun phrase read (words).
MAX_WORDS = 6
_NOT_NOUNS = FUNCTION | ADVERBS | frozenset(
    "which who whom whose where when while also not no new first second third largest biggest main "
    "though although whereas unless until despite since however including "
    "worldwide nationwide abroad overseas elsewhere together alone again ago too instead "
    "such other several many most more less some among".split()
)
#: Modifiers that leave a generic head generic ("the first drug", "a small company").
_GENERIC_MODIFIERS = frozenset(
    "first second third new other same small large largest biggest main major leading only "
    "several many various different".split()
)


#: Heads that name no entity whatever modifies them: an activity, not a thing ("medical use").
_NEVER_ENTITY_HEADS = frozenset("use uses sale sales marketing purpose purposes approval research".split())
# Nouns of an act done to what follows "of": "approved for the treatment of X" treats X, not "treatment".
_ACT_NOUNS = frozenset("treatment treatments prevention management therapy relief control cure".split())
# Nouns that say what kind of thing the next word is: "the enzyme cyclooxygenase-2" is cyclooxygenase-2.
_KIND_NOUNS = frozenset("enzyme protein receptor gene hormone cytokine kinase antibody molecule".split())


def _word(toks: _Tokens, q: int) -> bool:
    """A lower-case content word (letters and inner hyphens: "beta-lactam", "plant-based")."""
    w = toks.words[q]
    return toks.kinds[q] == "word" and w[:1].islower() and toks.low[q] not in _NOT_NOUNS


@lru_cache(maxsize=1 << 14)
def _participle(w: str) -> bool:
    if w.endswith("ed"):
        return len(w) > 3 and w not in KNOWN_NOUNS_ED
    return (w.endswith("ing") and len(w) > 4 and w not in ING_NOUNS) or w in IRREGULAR_FORMS


@lru_cache(maxsize=1 << 14)
def _verb(w: str) -> bool:
    """A finite or base verb form of a common verb ("treats", "include", "reduced")."""
    if w.endswith("ing"):
        return False
    lemma = verb_lemma(w)
    return (lemma in COMMON_VERBS and w in (lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d")) or (
        w in IRREGULAR_FORMS and not w.endswith("en")
    )


def noun_phrase_end(toks: _Tokens, k: int) -> int:
    """Where the noun phrase starting at ``k`` ends (exclusive; ``k`` when none starts there)."""
    n = len(toks.words)
    q = k
    while q < n and q - k < MAX_WORDS:
        w = toks.low[q]
        if toks.kinds[q] == "num" and q > k and toks.low[q - 1] == "type" and q + 1 < n and _word(toks, q + 1):
            q += 1  # "breast cancer type 1 susceptibility protein"
            continue
        if not _word(toks, q) or (q == k and _verb(w)) or _adverb(w):
            break
        if _participle(w) and q > k:
            break  # "an inhibitor used to treat …": the participle follows the noun
        q += 1
    while q > k and _participle(toks.low[q - 1]):
        q -= 1  # a phrase ends in its noun
    if q > k and q < n and _letter_name(toks, q):
        q += 1  # "fusion protein F", "vitamin B12"
    return q


_LY_NOUNS = frozenset("family supply assembly rally ally belly jelly lily anomaly monopoly melancholy".split())


def _adverb(w: str) -> bool:
    return w.endswith("ly") and len(w) > 4 and w not in _LY_NOUNS


def _letter_name(toks: _Tokens, q: int) -> bool:
    """A capital letter or a short code closing a noun phrase ("protein F", "vitamin B12")."""
    w = toks.words[q]
    end = q + 1 >= len(toks.words) or toks.kinds[q + 1] == "punct" or toks.low[q + 1] in ("and", "or")
    return end and toks.kinds[q] in ("word", "alnum") and len(w) <= 3 and w.isupper()


def _generic(toks: _Tokens, k: int, end: int, class_words: frozenset[str]) -> bool:
    """A phrase that names no entity: a generic head or a class's own name, alone or with
    modifiers that leave it generic ("the drug", "a small company", "patients")."""
    head = toks.low[end - 1]
    if head in _NEVER_ENTITY_HEADS:
        return True  # "approved for medical use", "for commercial sale"
    if head not in GENERIC_HEADS and toks.stems[end - 1] not in class_words:
        return False
    return all(toks.low[q] in _GENERIC_MODIFIERS for q in range(k, end - 1))


def noun_objects(toks: _Tokens, k1: int, mentions: list[_Mention], class_words: frozenset[str],
                 indefinite: bool = False) -> list[_Mention]:
    """The noun phrases a trigger ending at ``k1`` takes as objects: the first one after it (past
    linking words) and those of a list that continues it. Empty when a name or value stands
    first (the names of the sentence read as usual). After "a"/"an" a phrase is no particular
    entity unless ``indefinite`` (a copula naming a category: "is a tyrosine kinase inhibitor")."""
    n = len(toks.words)
    q = _past_bridges(toks, k1)
    if q > 0 and toks.low[q - 1] in ("a", "an") and not indefinite:
        return []  # "to hold a professorship": no particular one
    starts = {m.i for m in mentions}
    out: list[_Mention] = []
    keep = 1  # items of a list up to its "and": "A, B and C"; "A, though …" is one item
    while q < n and (q not in starts or _eponym_end(toks, q, mentions) > q):
        end = _eponym_end(toks, q, mentions) if q in starts else noun_phrase_end(toks, q)
        if end == q or end in starts or _generic(toks, q, end, class_words):
            break  # "the soil bacterium Streptomyces griseus": the phrase describes the name
        if end - q == 2 and toks.low[q] in _KIND_NOUNS and _code_like(toks.words[q + 1]):
            q += 1  # "the enzyme cyclooxygenase-2"
        end = _office_end(toks, end, mentions)
        a, b = toks.starts[q], toks.ends[end - 1]
        out.append(_Mention(q, end, a, b, toks.text[a:b], "noun"))
        if len(out) > 1 and toks.low[q - 1] in ("and", "or"):
            keep = len(out)
        q = _next_item(toks, end)
        if q < 0:
            break
    return out[:keep]


def _eponym_end(toks: _Tokens, q: int, mentions: list[_Mention]) -> int:
    """Where an eponymous noun phrase opening at ``q`` ends ("Crohn's disease", "Hodgkin's lymphoma": a
    name, its "'s" and a lower-case noun phrase), as a later item of a noun list; else ``q``."""
    m = next((m for m in mentions if m.i == q and m.kind == "name"), None)
    n = len(toks.low)
    if m is None or m.j + 1 >= n or toks.kinds[m.j] != "pos" or not toks.words[m.j + 1].islower():
        return q
    return noun_phrase_end(toks, m.j + 1)


#: Offices a person holds, named with what they are held of ("minister of research", "mayor of X").
OFFICE_NOUNS = frozenset(
    "minister mayor president ambassador governor senator secretary chancellor chairman chairwoman premier "
    "consul envoy commissioner treasurer rector dean provost director head".split())


def _office_end(toks: _Tokens, end: int, mentions: list[_Mention]) -> int:
    """An office noun ending at ``end`` keeps its "of/to/for" complement, a name or a noun phrase
    ("minister of research", "mayor of Bologna", "ambassador to Mexico"): the office is the whole."""
    n = len(toks.low)
    if toks.low[end - 1] not in OFFICE_NOUNS or end + 1 >= n or toks.low[end] not in ("of", "to", "for"):
        return end
    q = end + 1 + (toks.low[end + 1] == "the")
    name = next((m for m in mentions if m.i == q and m.kind == "name"), None)
    if name is not None:
        return name.j
    if q >= n or not _word(toks, q):
        return end
    return max(q + 1, noun_phrase_end(toks, q + 1))  # its first word may read as a verb: "of research"


def fronted_nouns(toks: _Tokens, k0: int, mentions: list[_Mention], class_words: frozenset[str]) -> list[_Mention]:
    """The noun phrases a trigger at ``k0`` takes back through a relative clause: "it produces
    frozen fish and canned soups, which it sells …" sells what the verb before took. Only a list
    that runs from right after that verb to the comma before "which it"/"that they"; else empty."""
    low = toks.low
    c = k0 - 3
    if c < 1 or low[c] != "," or low[c + 1] not in ("which", "that") or low[c + 2] not in ("it", "they"):
        return []
    for q in range(c - 1, max(-1, c - 16), -1):
        if toks.kinds[q] == "punct" and low[q] != ",":
            return []
        if _verb(low[q]):
            nouns = noun_objects(toks, q + 1, mentions, class_words)
            return nouns if nouns and nouns[-1].j == c else []
    return []


def _past_bridges(toks: _Tokens, k1: int) -> int:
    """The first token after the linking words that follow a trigger ending at ``k1``, and past
    "an increased risk of" ("associated with an increased risk of breast cancer")."""
    n = len(toks.words)
    q = k1
    while q < n and q - k1 < 4 and toks.low[q] in NOUN_BRIDGES:
        q += 1
    if q + 1 < n and toks.low[q] in _ACT_NOUNS and toks.low[q + 1] == "of":
        q += 2  # "approved for the treatment of osteoarthritis"
    else:
        for r in range(q, min(n - 1, q + 3)):
            if toks.low[r] == "risk" and toks.low[r + 1] == "of":
                return r + 2
        named = _past_known_as(toks, q)
        if named > q:
            return named
    if q + 2 < n and toks.low[q] in _SEVERITIES and toks.low[q + 1] == "to" and toks.low[q + 2] in _SEVERITIES:
        return q + 3  # "for the treatment of moderate to severe plaque psoriasis": the disease, not "moderate"
    return q


_SEVERITIES = frozenset("mild moderate severe".split())


def _past_known_as(toks: _Tokens, q: int) -> int:
    """Past "known as" / "called" after a few lower-case words ("the class of drugs known as
    interleukin inhibitors"): the phrase names what comes after; else ``q``."""
    low, n = toks.low, len(toks.low)
    for r in range(q, min(n - 1, q + 6)):
        if low[r] == "known" and low[r + 1] == "as":
            return r + 2
        if low[r] == "called":
            return r + 1
        if toks.kinds[r] != "word" or toks.words[r][:1].isupper():
            break
    return q


def _code_like(word: str) -> bool:
    """A word written as a code rather than a common noun ("cyclooxygenase-2", "vrcA", "IL-6")."""
    return any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def _next_item(toks: _Tokens, end: int) -> int:
    """Where the next item of a list starts after a phrase ending at ``end`` (-1: no list)."""
    low, n = toks.low, len(toks.low)
    if end < n and low[end] == ",":
        if end + 1 < n and low[end + 1] in ("and", "or"):
            return end + 2
        return end + 1
    if end < n and low[end] in ("and", "or"):
        return end + 1
    return -1
