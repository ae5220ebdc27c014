"""One question → :class:`~.model.ParsedCQ`: compound questions split, each clause read by the
registered question families in their priority order (:mod:`.registry`).
"""

from __future__ import annotations

import re

from ..lexicon import AUX_BE, AUX_DO, COMMON_VERBS, FUNCTION, MODALS, PRONOUNS
from ..morphology import singularise, verb_lemma
from .chunker import _rewrite_possessives, _tokenise
from .model import ClassRef, ParsedCQ
from .registry import patterns

_COMPOUND = re.compile(r"\s*,?\s+and\s+(?=(?:what|which|who|where|when|how|is|are|does|do|can)\b)|\?\s+(?=\S)",
                       re.I)


def parse_cq(text: str) -> ParsedCQ | None:
    """Read one competency question; ``None`` when no supported pattern matches.

    Examples
    --------
    >>> parse_cq("Which films did a director direct?").describe()
    'which_object: directs(Director → Film)'
    >>> parse_cq("When was a film released?").describe()
    'when: releaseDate(Film → date)'
    >>> parse_cq("Is a lion a kind of animal?").describe()
    'is_kind_of: Lion ⊑ Animal'
    """
    if not text or not text.strip():
        return None
    clauses = [c for c in _COMPOUND.split(text.strip()) if c and c.strip(" ?,")]
    if len(clauses) > 1:
        return _parse_compound(text, clauses)
    return _parse_clause(text, _tokenise(text))


#: "… accept *as input*": the role a thing plays in the relation, not a participant of its own.
_ROLE_TAILS = frozenset("input inputs output outputs argument arguments parameter parameters".split())


def _parse_clause(text: str, toks: list[str]) -> ParsedCQ | None:
    if not toks:
        return None
    if len(toks) > 5 and toks[-2].lower() == "as" and toks[-1].lower() in _ROLE_TAILS:
        toks = toks[:-2]  # "What file types does the software accept as input?"
    toks = _asker_knows(_without_asker_clause(toks))
    if _states_equivalence(toks):
        return None
    toks = _kind_phrasings(_classified_as(toks))
    for pattern in patterns():
        r = pattern(text, toks)
        if r is not None and (r.classes or r.properties):
            return r
    return None


_EQUIVALENT = frozenset("equal equivalent identical".split())
#: Verbs that put a thing in a class: "be classified as X" says "be X" ("a kind of X" is then a subclass).
_CLASSIFY = frozenset("""regarded classified categorized categorised counted considered seen treated""".split())
_CLASSIFY_BASE = frozenset("regard classify categorize categorise count consider treat".split())


def _states_equivalence(toks: list[str]) -> bool:
    """``What objects are equal to plants?``: two classes the same, an axiom (``owl:equivalentClass``), not a
    relation; left unread ("consider animals equal to plants" too). A value compared ("a rating equal to 5", "a
    title equal to Heat") is a number or a name after a noun."""
    low = [t.lower() for t in toks]
    return any(w in _EQUIVALENT and low[i + 1:i + 2] in (["to"], ["with"])
               and (low[i - 1] in AUX_BE or not re.match(r"[\d\"'A-Z]", toks[i + 2] if i + 2 < len(toks) else "0"))
               for i, w in enumerate(low[1:], 1))


def _classified_as(toks: list[str]) -> list[str]:
    """``Which animals are regarded as a kind of plant?`` → ``Which animals are a kind of plant?``; ``Can a lion
    be classified as an animal?`` → ``Is a lion an animal?``; ``… that may be counted as X`` → ``… that is X``."""
    low = [t.lower() for t in toks]
    for i in range(1, len(low) - 2):
        if low[i] not in _CLASSIFY or low[i + 1] != "as" or low[i - 1] not in AUX_BE | {"be"}:
            continue
        if low[i - 1] == "be" and low[0] in MODALS and i > 2 and low[i - 2] not in MODALS:
            return ["Is", *toks[1:i - 1], *toks[i + 2:]]  # "Can a lion be classified as …"
        if low[i - 1] == "be" and i > 1 and low[i - 2] in MODALS:
            return [*toks[:i - 2], "is", *toks[i + 2:]]  # "… that may be regarded as …"
        return [*toks[:i], *toks[i + 2:]]  # "… are regarded as …"
    for i in range(2, len(low) - 2):
        if low[0] in AUX_BE and low[i] in _CLASSIFY and low[i + 1] == "as":
            return [*toks[:i], *toks[i + 2:]]  # "Is a film considered as a work?"
    if len(low) > 5 and low[0] in MODALS and low[1] in ("one", "i", "we") and low[2] in _CLASSIFY_BASE:
        # "Could one regard plants as a kind of organism?" → "Are plants a kind of organism?"
        k = next((j for j in range(4, len(low) - 1) if low[j] == "as"), 0)
        if k:
            return ["Are" if toks[3].lower().endswith("s") else "Is", *toks[3:k], *toks[k + 1:]]
    return toks


_MEMBER_NOUNS = frozenset("example instance".split())  # not "sample": "a sample of a patient" is a relation
_BELONG_HEADS = frozenset("category class type kind group sort".split())


def _kind_phrasings(toks: list[str]) -> list[str]:
    """Other words for "is a kind of": ``Are all plants an example of X?``, ``… that can be an example of X`` (a class
    said to be an example of a class is a kind of it: "Is Heat an example of a film?" names no class and is read
    by the *is a* family as before); ``Which category does a plant belong to?`` → ``What kind of thing is a
    plant?``."""
    low = [t.lower() for t in toks]
    if (len(low) > 5 and low[0] in ("which", "what") and low[1] in _BELONG_HEADS and low[2] in AUX_DO
            and low[-2:] == ["belong", "to"]):
        return ["What", "kind", "of", "thing", "is", *toks[3:-2]]
    for j in range(2, len(low) - 3):
        if low[j] in ("a", "an") and low[j + 1] in _MEMBER_NOUNS and low[j + 2] == "of" and any(
                w in AUX_BE or w == "be" for w in low[:j]) and not any(t[:1].isupper() for t in toks[1:j]):
            return [*toks[:j], "a", "kind", *toks[j + 2:]]
    return toks


def _without_asker_clause(toks: list[str]) -> list[str]:
    """``Who are the users of a software we develop?`` → ``Who are the users of a software?``: a closing clause
    of the asker's ("(that) we develop", "I use") picks which things the answer is about, a matter of the data;
    what the ontology needs is said before it. A clause with more than the verb is kept (and not read)."""
    low = [t.lower() for t in toks]
    if len(low) < 6 or low[-2] not in ("i", "we") or not _is_base_verb(low[-1]):
        return toks
    end = len(toks) - 2
    if low[end - 1] in ("that", "which"):
        end -= 1
    if low[end - 1] in FUNCTION or not low[end - 1].isalpha():
        return toks  # "What do I …", "… than we develop": no noun before the clause
    return toks[:end]


_RELATIVE = frozenset("who that which".split())


def _asker_knows(toks: list[str]) -> list[str]:
    """``Do I know an animal who eats a plant?`` → ``Is there an animal who eats a plant?``: the asker is no class
    and what they know is a matter of the data; what the ontology needs is the relation in the clause. Without a
    clause ("Do I know an animal?"), or with a pronoun ("anyone who …"), it names no relation and stays unread."""
    low = [t.lower() for t in toks]
    if len(low) < 6 or low[0] not in ("do", "does") or low[1] not in ("i", "we") or low[2] != "know":
        return toks
    r = next((i for i in range(4, len(low) - 1) if low[i] in _RELATIVE), 0)
    if not r:
        return toks
    noun = low[r - 1]
    if noun in PRONOUNS:
        return toks  # "Do I know anyone who …": no class for the one known, so no domain for the relation
    return ["Are" if singularise(noun) != noun else "Is", "there", *toks[3:]]


def _is_base_verb(word: str) -> bool:
    return word in COMMON_VERBS and verb_lemma(word) == word


def _parse_compound(text: str, clauses: list[str]) -> ParsedCQ | None:
    """``What license does it have, and what is its permissiveness?``: each clause on its own;
    "it"/"its" in a later clause stand for the answer of the first."""
    parts: list[ParsedCQ] = []
    antecedent: list[str] = []
    for clause in clauses:
        toks = _tokenise(clause)
        if antecedent:
            out: list[str] = []
            for t in toks:
                if t.lower() == "it":
                    out.extend(["the", *antecedent])
                elif t.lower() == "its":
                    out.extend(["the", *antecedent, "'s"])
                else:
                    out.append(t)
            toks = _rewrite_possessives(out)
        p = _parse_clause(clause, toks)
        if p is None:
            return None
        parts.append(p)
        if not antecedent:
            cls = p.answer_class or (p.classes[0].name if p.classes else None)
            ref = next((c for c in p.classes if c.name == cls), None)
            antecedent = ref.label.split() if ref else []
    classes: list[ClassRef] = []
    for p in parts:
        classes += [c for c in p.classes if all(c.name != k.name for k in classes)]
    return ParsedCQ(text, "compound", tuple(classes), tuple(q for p in parts for q in p.properties),
                    tuple(link for p in parts for link in p.subclass_links), parts[0].answer,
                    parts[0].answer_class, parts[0].focus,
                    tuple(dict.fromkeys(e for p in parts for e in p.entities)), parts[0].value,
                    parts[0].aggregate, any(p.negated for p in parts), tuple(parts))
