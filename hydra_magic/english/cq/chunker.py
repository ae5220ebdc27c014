"""Tokens, noun phrases and verb groups of a question (a chunker, not a parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, Sequence

from ...iri import pascal_case
from ..lexicon import (
    ADVERBS,
    AUX,
    AUX_BE,
    AUX_DO,
    AUX_HAVE,
    COMMON_ACRONYMS,
    COMMON_VERBS,
    CONJ,
    DEMONSTRATIVE,
    DETERMINERS,
    FIRST_PERSON,
    FUNCTION,
    ING_NOUNS,
    KIND_WORDS,
    MODALS,
    NAMED_KIND_HEADS,
    NEG,
    PARTICLES,
    PREPS,
    PRONOUNS,
    QUALIFIERS,
    SAME_BOTH,
    TRAILING,
)
from ..morphology import pluralise, singularise, verb_lemma
from ..word_classes import _is_adjective, _is_adverb, _is_known_noun, _is_participle, _is_verb_form
from .model import ClassRef
from .words import NEGATIVE_PRONOUNS, is_acronym, is_variable, placeholder_head

_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W_]+(?:[-.'][^\W_]+)*|'s\b|'|\"|[,;:?!.]", re.UNICODE)
_CONTRACTIONS = [
    (re.compile(r"\bcan't\b|\bcannot\b", re.I), "can not"),
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"n't\b", re.I), " not"),
    (re.compile(r"\b(what|where|who|how|that|there|it|which|when|here)'s\b", re.I), r"\1 is"),
    (re.compile(r"'re\b", re.I), " are"),
    (re.compile(r"'ve\b", re.I), " have"),
    (re.compile(r"'ll\b", re.I), " will"),
    (re.compile(r"\b(i|we|you|they|he|she)'d\b", re.I), r"\1 would"),
]


def _tokenise(text: str) -> list[str]:
    t = text.strip().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"[\[\]{}()]", " ", t)  # template placeholders: "[this software]"
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    toks = [m.group(0) for m in _TOKEN.finditer(t)]
    out: list[str] = []
    for tok in toks:
        if tok in ("'s", "'"):
            out.append("'s")  # possessive marker (plural possessive too)
        elif tok in ('"', ",", ";", ":", "?", "!", "."):
            continue
        else:
            if "'" in tok and tok.lower().endswith("'s"):  # film's
                out.extend([tok[:-2], "'s"])
            else:
                out.append(tok)
    for tail in TRAILING:
        if len(out) > len(tail) + 2 and [t.lower() for t in out[-len(tail):]] == list(tail):
            out = out[:-len(tail)]
    return _rewrite_possessives(out)


def _rewrite_possessives(toks: list[str]) -> list[str]:
    """``a film's director`` → ``the director of a film`` (one level is enough for CQs)."""
    while "'s" in toks:
        k = toks.index("'s")
        lo = k
        while lo > 0 and toks[lo - 1].lower() not in FUNCTION and toks[lo - 1].lower() not in QUALIFIERS:
            lo -= 1
        if lo > 0 and toks[lo - 1].lower() in DETERMINERS:
            lo -= 1
        hi = k + 1
        while hi < len(toks) and toks[hi].lower() not in FUNCTION and not (
                hi > k + 1 and _is_verb_form(toks[hi].lower())):
            hi += 1
        owner, owned = toks[lo:k], toks[k + 1:hi]
        if not owner or not owned:
            del toks[k]
            continue
        toks = toks[:lo] + ["the", *owned, "of", *owner] + toks[hi:]
    return toks


def _low(toks: Sequence[str]) -> list[str]:
    return [t.lower() for t in toks]


@dataclass(frozen=True)
class _NP:
    """A parsed noun phrase: a class, a proper name or a pronoun."""

    ref: ClassRef | None
    det: str = ""
    plural: bool = False
    entity: str | None = None  # proper name or pronoun as written
    words: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    #: owners in "the documentation *of the software*": the phrase also needs ``hasDocumentation``
    of: tuple["_NP", ...] = ()

    @property
    def named(self) -> bool:
        """A thing by its name, no class ("XML", "the EU", "Europe"); not a pronoun ("it")."""
        e = self.entity
        return self.ref is None and e is not None and e[:1].isupper() and e.lower() not in PRONOUNS

    @property
    def specific(self) -> bool:
        """A demonstrative/definite/possessive phrase, a proper name or a pronoun."""
        return self.ref is None or self.det in DEMONSTRATIVE


def _np(toks: Sequence[str], class_slot: bool = False) -> _NP | None:
    """One noun phrase, or ``None`` when ``toks`` is not one.

    ``the X of Y`` is read as X with owner Y (X needs ``hasX: Y → X``).
    """
    toks = list(toks)
    low0 = _low(toks)
    for k in range(1, len(toks) - 1):
        if low0[k] == "of" and (low0[k - 1] not in KIND_WORDS | {"number", "amount", "count", "total", "list",
                                                                  "set", "group", "most", "one", "all"}
                                or _named_kind(low0, k - 1)):
            owned = _np(toks[:k], class_slot=True)
            owners = _nps(toks[k + 1:])
            if owned is None or owned.ref is None or not owners:
                return None
            return replace(owned, of=tuple(owners))
    det, numbers, toks = _determiners(toks)
    if not toks:
        if det == "no" and _low(numbers) == ["one"]:
            return _NP(None, "no", False, entity="no one")  # "no one": a negated clause, as "nobody"
        if det in ("this", "that", "these", "those"):
            return _NP(None, det, det in ("these", "those"), entity=det)
        return None
    low = _low(toks)
    if len(toks) == 1 and (low[0] in NEGATIVE_PRONOUNS and not det or det == "no" and low[0] == "one"):
        return _NP(None, "no", False, entity=toks[0])  # "nothing", "no one": no class, a negated clause
    if len(toks) == 1 and low[0] in PRONOUNS and not det:
        return _NP(None, det, low[0] in ("they", "them", "ones"), entity=toks[0])
    placeholder = _placeholder(toks, det, numbers)
    if placeholder is not None:
        return placeholder
    if not _noun_words(toks, low):
        return None
    named = None if class_slot else _acronym_name(toks, det, numbers)
    if named is not None:
        return named
    if (not class_slot and not det and all(t[:1].isupper() or t[:1].isdigit() for t in toks)):
        return _NP(None, det, False, entity=" ".join(toks), words=tuple(toks), numbers=tuple(numbers))
    return _class_np(toks, det, numbers)


def _acronym_name(toks: list[str], det: str, numbers: list[str]) -> _NP | None:
    """An all-capital word without a determiner or after "the" names one thing, as any proper name does: "Who
    develops SWO?", "the EU", "Which software reads XML?" (XML is one format, not a kind of thing); before a
    singular kind noun it names one thing of that class ("the FASTA format": FASTA, a Format; lexicon
    ``NAMED_KIND_HEADS``; "the EBI website" is no EBI and stays a compound class). It is a class after
    "a", "which", in a plural ("FASTA files") and for the few acronyms of common nouns (DNA, API, GUI: lexicon
    ``COMMON_ACRONYMS``)."""
    if det not in ("", "the") or numbers or not is_acronym(toks[0]) or toks[0] in COMMON_ACRONYMS:
        return None
    if len(toks) == 1:
        return _NP(None, det, False, entity=toks[0], words=tuple(toks))
    head = toks[1].lower()
    if len(toks) == 2 and head in NAMED_KIND_HEADS and toks[1].islower() and singularise(head) == head \
            and head not in SAME_BOTH - {"software"}:
        kind = _class_np(toks[1:], det, numbers)
        return replace(kind, entity=toks[0]) if kind is not None else None
    return None


def _named_kind(low: list[str], k: int) -> bool:
    """``the license type of the software``: a singular kind word after a noun names an attribute (the
    software's license type), not a question for kinds ("the main types of animal")."""
    return k >= 1 and low[k] in ("type", "kind", "category", "class") and low[k - 1] not in DETERMINERS \
        and low[k - 1] not in QUALIFIERS and low[k - 1] not in FUNCTION and not _is_adjective(low[k - 1])


def _placeholder(toks: list[str], det: str, numbers: list[str]) -> _NP | None:
    """A placeholder is a variable, never a class or an entity: ``X`` names nothing (an unknown class),
    ``SpeciesX`` and ``species X`` a thing of class Species."""
    if len(toks) == 1 and is_variable(toks[0], after_determiner=bool(det)):
        return _NP(None, det, False, words=tuple(toks))
    glued = placeholder_head(toks[-1])
    if glued is not None:
        return _class_np([*toks[:-1], *glued.split()], "a", numbers)
    if len(toks) > 1 and is_variable(toks[-1]) and not toks[-2][:1].isupper():
        if not _noun_words(toks[:-1], _low(toks[:-1])):
            return None  # "in genus Y": a preposition is no part of a class name
        return _class_np(toks[:-1], det or "a", numbers)
    return None


def _determiners(toks: list[str]) -> tuple[str, list[str], list[str]]:
    """The determiner, the numbers and what follows them: ``(det, numbers, rest)``."""
    det = ""
    numbers: list[str] = []
    toks = list(toks)
    while toks:
        w = toks[0].lower()
        if w in ("which", "what", "whose") and len(toks) > 1:
            det = det or w
            toks.pop(0)
        elif w == "given" and len(toks) > 1:
            det = "this" if det in ("", "a", "an", "the", "any") else det  # "a given animal": one instance, a variable
            toks.pop(0)
        elif w in DETERMINERS and w not in ("this", "that", "these", "those") or w in QUALIFIERS:
            det = det or w
            toks.pop(0)
        elif w in ("this", "that", "these", "those"):
            det = det or w
            toks.pop(0)
        elif re.fullmatch(r"\d+(?:[.,:/-]\d+)*", w) or w in ("one", "two", "three", "four", "five", "exactly"):
            numbers.append(toks.pop(0))
        elif len(toks) > 2 and w in ("type", "types", "kind", "kinds", "sort", "sorts") and toks[1].lower() == "of":
            toks = toks[2:]
        else:
            break
    return det, numbers, toks


def _noun_words(toks: list[str], low: list[str]) -> bool:
    """Whether the words after the determiner can be a noun phrase: no function word or adverb,
    only word characters, not ending in a participle ("a film directed" is a clause)."""
    if any(w in FUNCTION or w in FIRST_PERSON or w in ADVERBS or _is_adverb(w) for w in low):
        return False
    if any(is_variable(t) for t in toks):
        return False  # "genus X contain": a variable ends its noun phrase, a class name never holds one
    if any(not re.fullmatch(r"[^\W_]+(?:[-.'][^\W_]+)*", t) for t in toks):
        return False
    return not (len(toks) > 1 and _is_participle(low[-1]) and not _is_known_noun(low[-1]))


def _class_np(toks: list[str], det: str, numbers: list[str]) -> _NP | None:
    """The noun phrase naming a class: its singular label, plural and PascalCase name."""
    words = [t if (len(t) > 1 and (t.isupper() or any(c.isupper() for c in t[1:]))) else t.lower() for t in toks]
    head = singularise(words[-1])
    plural = head.lower() != words[-1].lower() or (words[-1].lower() in SAME_BOTH and det in (
        "these", "those", "all", "many", "several", "few"))
    label_words = words[:-1] + [head]
    label = " ".join(label_words)
    name = pascal_case(label)
    if not name or not name[:1].isalpha():
        return None
    plural_label = " ".join(words[:-1] + [pluralise(head)])
    ref = ClassRef(name, label, plural_label if plural_label != label else "")
    return _NP(ref, det, plural, words=tuple(words), numbers=tuple(numbers))


def _nps(toks: Sequence[str], class_slot: bool = False) -> list[_NP] | None:
    """One or more coordinated noun phrases ("plants or plant parts")."""
    low = _low(toks)
    if not toks:
        return None
    groups: list[list[str]] = [[]]
    listed = any(w in ("and", "or") for w in low[1:])
    for k, (t, w) in enumerate(zip(toks, low)):
        if w in ("and", "or", "nor"):
            groups.append([])
        elif listed and w in ("a", "an") and groups[-1] and low[k - 1] not in PREPS | DETERMINERS \
                and "and" not in low[:k] and "or" not in low[:k]:
            groups.append([t])  # "a plant, a fungus and an insect" (the tokeniser drops the commas)
        else:
            groups[-1].append(t)
    if any(not g for g in groups):
        return None
    if len(groups) > 1:
        one_class = _share_head(groups, low, class_slot)
        if one_class is not None:
            return one_class
        # a shared determiner: "the inputs and outputs"
        first_det = [t for t in groups[0][:1] if t.lower() in DETERMINERS]
        for i in range(1, len(groups)):
            if first_det and groups[i][0].lower() not in DETERMINERS:
                groups[i] = first_det + groups[i]
    out = []
    for g in groups:
        np_ = _np(g, class_slot)
        if np_ is None:
            return None
        out.append(np_)
    return out


#: Nouns that modify a head shared with their pair: "the input and output format", "minimum and maximum value".
_PAIRED_MODIFIERS = frozenset("input output source target start end minimum maximum upper lower".split())


def _share_head(groups: list[list[str]], low: list[str], class_slot: bool) -> list[_NP] | None:
    """``a pure or a mixed stuff``, ``pure or mixed stuff``: distribute the head noun (``groups``
    change in place); "named and published algorithms" is one class, described twice."""
    last = groups[-1]
    last_np = _np(last, class_slot)
    if last_np is not None and last_np.ref is not None and len(last_np.words) >= 2:
        heads = []
        for i, g in enumerate(groups[:-1]):
            content = [t for t in g if t.lower() not in DETERMINERS]
            modifier = len(content) == 1 and (
                _is_adjective(content[0]) or _is_participle(content[0].lower())
                or content[0].lower() in _PAIRED_MODIFIERS
                or (last_np.plural and singularise(content[0].lower()) == content[0].lower()))
            heads.append(modifier)
            if modifier:
                groups[i] = g + [last_np.words[-1]]
        conj = [w for w in low if w in ("and", "or")]
        adjectival = all(heads) and all(
            _is_adjective(w) or _is_participle(w) for w in [g[0].lower() for g in groups])
        if adjectival and conj and conj[0] == "and" and not any(
                g[0].lower() in DETERMINERS for g in groups[1:]):
            return [_NP(ClassRef.from_label(last_np.ref.label.split()[-1]), last_np.det,
                        last_np.plural, words=(last_np.words[-1],))]
    return None


@dataclass(frozen=True)
class _VG:
    """A verb group: auxiliaries, the main verb and a trailing preposition."""

    lemma: str                 # "direct", "be" (copula), "have"
    main: str                  # the main verb as written ("directed")
    kind: Literal["active", "passive", "copula_adj", "copula_np"]
    prep: str = ""             # preposition that belongs to the property ("in", "with") or "by" (agent)
    negated: bool = False
    adjective: str = ""        # for copula_adj: "compatible"
    end: int = 0               # index after the verb group (and its preposition)
    aux: str = ""              # the (last) auxiliary: "can" in "can fly", "did" in "did … direct"


def _verb_group(toks: Sequence[str], start: int = 0, *, fronted: str = "") -> _VG | None:
    """Read the verb group at ``toks[start:]``.

    ``fronted`` is an auxiliary that was moved before the subject ("*did* a
    director direct", "*was* a film released"): the verb then is a base form, or
    a participle/adjective after a fronted "be", a participle after "have".
    """
    low = _low(toks)
    n = len(toks)
    i, auxes, negated = _auxiliaries(low, start)
    last_aux = auxes[-1] if auxes else fronted
    nxt = low[i] if i < n else ""
    if last_aux in AUX_BE:
        return _after_be(toks, low, i, last_aux, negated, bool(auxes) and not fronted)
    if last_aux in AUX_HAVE and nxt and _is_participle(nxt, after_be=True) and nxt != "had":
        prep, end = _prep_at(low, i + 1)
        return _VG(verb_lemma(nxt), toks[i], "active", prep, negated, aux=last_aux, end=end)
    if last_aux in AUX_HAVE and auxes and not fronted:
        return _VG("have", toks[i - 1], "active", "", negated, aux=last_aux, end=i)
    return _main_verb(toks, low, i, last_aux, negated, bool(auxes) or bool(fronted))


def _main_verb(toks: Sequence[str], low: list[str], i: int, last_aux: str, negated: bool,
               has_aux: bool) -> _VG | None:
    """The main verb at ``i`` (after a "do", a modal or no auxiliary), its preposition."""
    n = len(toks)
    nxt = low[i] if i < n else ""
    if not nxt or (nxt in FUNCTION and nxt not in AUX_HAVE) or nxt in FIRST_PERSON or nxt in QUALIFIERS \
            or nxt in PRONOUNS or nxt in NEGATIVE_PRONOUNS or toks[i][:1].isupper():
        return None  # "which plants does *nothing* eat": a pronoun after "does" is its subject, not a verb
    if not has_aux and i + 1 < n and low[i + 1] == "by" and _is_participle(nxt):
        # reduced relative: "films directed by a director"
        return _VG(verb_lemma(nxt), toks[i], "passive", "by", negated, aux=last_aux, end=i + 2)
    if last_aux in AUX_DO or last_aux in MODALS or last_aux == "to":
        if nxt not in COMMON_VERBS and singularise(nxt) != nxt:
            return None  # "which plants do *lions* eat": a plural noun, not a verb
        lemma = "have" if nxt == "has" else nxt
    else:
        lemma = verb_lemma(nxt)
    if not re.fullmatch(r"[a-z][a-z-]*", lemma):
        return None
    prep, end = _prep_at(low, i + 1)
    return _VG(lemma, toks[i], "active", prep, negated, aux=last_aux, end=end)


def _auxiliaries(low: list[str], start: int) -> tuple[int, list[str], bool]:
    """Auxiliaries, negations and adverbs from ``start``: where the main verb stands, the
    auxiliaries and whether one was a negation."""
    i, n = start, len(low)
    auxes: list[str] = []
    negated = False
    while i < n and (low[i] in AUX or low[i] in NEG or low[i] in ADVERBS
                     or (low[i].endswith("ly") and len(low[i]) > 4 and i + 1 < n
                         and low[i + 1] not in DETERMINERS and low[i + 1] not in PREPS)):
        if low[i] in AUX_HAVE and not (i + 1 < n and (_is_participle(low[i + 1], True) or low[i + 1] in NEG
                                                       or low[i + 1] in ADVERBS or low[i + 1] == "been")):
            break  # "have" as the main verb: "which films have a director", "does it have"
        if low[i] in NEG:
            negated = True
        elif low[i] in AUX:
            auxes.append(low[i])
        i += 1
    return i, auxes, negated


def _prep_at(low: list[str], j: int) -> tuple[str, int]:
    """The verb's preposition or particle at ``j`` (past adverbs), and where the group ends."""
    n = len(low)
    k = j
    while k < n and (low[k] in ADVERBS or (low[k].endswith("ly") and len(low[k]) > 4)):
        k += 1  # "works best with", "used successfully in"
    if k > j and k < n and low[k] in PREPS:
        j = k
    if j < n and (low[j] in PREPS or low[j] in PARTICLES):
        if low[j] in PARTICLES and j + 1 < n and low[j + 1] in PREPS:
            return low[j] + " " + low[j + 1], j + 2  # "come up with"
        return low[j], j + 1
    return "", j


def _after_be(toks: Sequence[str], low: list[str], i: int, last_aux: str, negated: bool,
              own_aux: bool) -> _VG | None:
    """After a form of "be": a passive, a progressive, an adjective or a noun phrase
    (``own_aux``: the "be" stands here, not fronted before the subject)."""
    n = len(toks)
    nxt = low[i] if i < n else ""
    if nxt and _is_participle(nxt, after_be=True):
        prep, end = _prep_at(low, i + 1)
        return _VG(verb_lemma(nxt), toks[i], "passive", prep, negated, aux=last_aux, end=end)
    if nxt.endswith("ing") and len(nxt) > 4 and verb_lemma(nxt) != nxt and nxt not in ING_NOUNS:
        prep, end = _prep_at(low, i + 1)
        return _VG(verb_lemma(nxt), toks[i], "active", prep, negated, aux=last_aux, end=end)
    if nxt and _is_adjective(nxt) and (i + 1 >= n or low[i + 1] in PREPS or low[i + 1] in CONJ):
        prep, end = _prep_at(low, i + 1)
        return _VG("be", toks[i], "copula_adj", prep, negated, aux=last_aux, adjective=nxt, end=end)
    if own_aux:
        return _VG("be", toks[i - 1], "copula_np", "", negated, aux=last_aux, end=i)
    return None


def _strip_tail(low: list[str], *tails: Sequence[str]) -> int:
    """Length of ``low`` without one of ``tails`` at its end."""
    for t in tails:
        if len(low) > len(t) and low[-len(t):] == list(t):
            return len(low) - len(t)
    return len(low)
