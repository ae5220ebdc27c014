"""Subjects and objects: who a trigger's sentence is about, and which mention is its object."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from .compiled import _Compiled
from .mentions import APPOSED_HEADS, SECTION_LABELS, _is_cap, _Mention, _plural_noun_before_place
from .tokens import _filler, _Tokens
from .words import (
    AUXILIARIES,
    BARRIERS,
    DATE_PREPOSITIONS,
    DETERMINERS,
    MONTHS,
    NOT_FILLERS,
    NUMBER_LEADS,
    OPENERS,
    OPENING_PREPOSITIONS,
    PARTICIPLE_OPENERS,
    PERSON_NOUNS,
    PRONOUNS,
    RELATIVES,
    TITLE_WORDS,
)


@dataclass(slots=True)
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
    if k0 + 2 < n and low[k0] in SECTION_LABELS and low[k0 + 1] == ":":
        k0 += 2  # "Background: X is …": the sentence starts after its section label
    if k0 >= n:
        return None, False, 0
    first = low[k0]
    if first in PRONOUNS:
        return _possessive_subject(toks, mentions), True, 0
    nxt_cap = k0 + 1 < n and _is_cap(toks, k0 + 1)
    if first == "both" and nxt_cap:  # "Both French and Creole are …": the list is the subject
        return _first_subject(toks, mentions, k0 + 1), False, 0
    if _refers_by_noun(toks, k0):
        # "The film was …" refers back
        return _possessive_subject(toks, mentions), True, 0
    pronoun_at = _pronoun_after_apposition(toks, k0, nxt_cap)
    if pronoun_at:
        return _possessive_subject(toks, mentions), True, pronoun_at
    if first in _CARRIED_BY and _plural_noun_before_place(toks, k0):
        return _carrier_subject(toks, k0, mentions), False, 0  # before titles: "Mutations in TMX4 are …"
    opener = _opens_clause(toks, k0, nxt_cap)
    limit = 0
    title = _title_subject(toks, k0, mentions)
    if title is not None and (
        not opener or sum(1 for q in range(title.i + 1, title.j) if _is_cap(toks, q)) >= 2
    ):
        # "Bullet in a Bible was …"; an opener may start a title too: "When Marnie Was There was …"
        return title, False, 0
    short = _pronoun_after_short_opener(toks, k0)
    if short:
        return _possessive_subject(toks, mentions), True, short
    dated = _subject_after_date(toks, k0, mentions) if opener else None
    if dated is not None:  # "In 2023 X won the cup, beating Y": X, not the name after the comma
        return dated
    if opener and "," in low[k0:]:
        # "In 1990, …", "Produced during the war, …", "Written by X, Y is …": the subject
        # follows the comma (or a second opening phrase: "In 2008, during the crisis, X …")
        limit = _after_openers(toks, low.index(",", k0) + 1)
        if limit < n and low[limit] in PRONOUNS:
            return _possessive_subject(toks, mentions), True, limit  # "In 1895, she married …"
        if _refers_by_noun(toks, limit):
            return _possessive_subject(toks, mentions), True, limit  # "Founded in 1968, the team plays …"
    elif opener:
        return _subject_after_opener(toks, k0, mentions)
    if not limit and _plural_noun_before_place(toks, k0):
        # "Researchers at X discovered …": the subject is no entity, nor is X; after the titles
        # ("Psychos in Love is a 1987 film" is one)
        return None, False, 0
    return _first_subject(toks, mentions, limit), False, limit


#: Plural nouns that, before "in X", make X the sentence's subject: "Mutations in BRCA1 are associated with …".
_CARRIED_BY = frozenset("mutations variants defects deletions".split())


def _carrier_subject(toks: _Tokens, k0: int, mentions: list[_Mention]) -> _Mention | None:
    """The subject of a sentence opened by a plural common noun and "in/at/from": none ("Researchers at
    X discovered …" says nothing of X), but X after "Mutations in" (the gene's mutations are)."""
    if toks.low[k0] not in _CARRIED_BY or toks.low[k0 + 1] != "in":
        return None
    q = k0 + 3 if toks.low[k0 + 2] == "the" else k0 + 2  # "Mutations in the BRCA1 gene are …"
    m = _name_at(mentions, q)
    if m is None:
        return None
    r = m.j + 1 if m.j < len(toks.low) and toks.low[m.j] in ("gene", "genes") else m.j
    return m if r < len(toks.low) and toks.low[r] in ("are", "were", "have", "cause") else None


def _refers_by_noun(toks: _Tokens, k: int) -> bool:
    """``the``/``this`` and a lower-case noun at ``k``: "The film …" refers back."""
    low = toks.low
    return low[k] in ("the", "this") and k + 1 < len(low) and toks.kinds[k + 1] == "word" and not _is_cap(
        toks, k + 1)


def _pronoun_after_apposition(toks: _Tokens, k0: int, nxt_cap: bool) -> int:
    """Where the pronoun subject stands after an opening apposition ("A sequel to the 1982 film X,
    it stars …"); 0 if the sentence does not open so."""
    low = toks.low
    if low[k0] not in ("a", "an") or nxt_cap:
        return 0
    q = next((q for q in range(k0 + 1, len(low) - 1) if low[q] == ","), -1)
    return q + 1 if q > 0 and low[q + 1] in PRONOUNS else 0


def _after_openers(toks: _Tokens, limit: int) -> int:
    """Past a second opening phrase that ends in a comma ("In 2008, during the financial crisis, X …")."""
    low, n = toks.low, len(toks.low)
    if limit >= n or low[limit] not in OPENERS or low[limit] in PRONOUNS or low[limit] in ("the", "a", "an"):
        return limit
    for q in range(limit + 1, min(n, limit + 8)):
        if low[q] == ",":
            return q + 1
        if toks.words[q] in BARRIERS or _is_cap(toks, q):
            break
    return limit


def _first_subject(toks: _Tokens, mentions: list[_Mention], limit: int) -> _Mention | None:
    """The first name, quoted title or capitalised value from ``limit`` on (or "X's" when
    the first one stands further than the token after ``limit``)."""
    for m in mentions:
        if m.i < limit or m.adjective or m.kind not in ("name", "quoted", "value"):
            continue
        if m.kind == "value" and not m.text[:1].isupper():
            continue
        if limit and m.i > limit + 1:
            return _possessive_subject(toks, mentions)
        opens = m.i == limit or (m.i == limit + 1 and toks.low[limit] in ("former", "fellow"))
        return (_person_after_role(toks, mentions, m) if opens else None) or m
    return None


def _person_after_role(toks: _Tokens, mentions: list[_Mention], m: _Mention) -> _Mention | None:
    """The name after "<name> <role noun>" opening the clause ("Rovers striker Dan Moss scored …"):
    the first name only says whose the role is; ``None`` when ``m`` is not followed so."""
    if m.j + 1 >= len(toks.low) or toks.low[m.j] not in PERSON_NOUNS or _is_cap(toks, m.j):
        return None
    return next((p for p in mentions if p.i == m.j + 1 and p.kind == "name" and not p.adjective), None)


def _opens_clause(toks: _Tokens, k0: int, nxt_cap: bool) -> bool:
    """The sentence opens with a clause before its subject: "In 1990", "Written by X"."""
    first = toks.low[k0]
    return (first in OPENERS and first not in ("the", "a", "an")) or (
        toks.kinds[k0] == "word"
        and not nxt_cap
        and (
            first.endswith(("ed", "ing"))
            or (k0 + 1 < len(toks.low) and toks.low[k0 + 1] == "by")
            or (
                first in PARTICIPLE_OPENERS
                and k0 + 1 < len(toks.low)
                and toks.low[k0 + 1] in OPENING_PREPOSITIONS
                and _subject_after_comma(toks, k0 + 2)
            )
        )
    )


def _subject_after_comma(toks: _Tokens, k: int) -> bool:
    """A pronoun, or a name followed by a verb, right after the first comma from ``k``: "Born in Oslo,
    she …", "Born in Linz in 1935, Marten studied …" (the place is not the subject)."""
    if _pronoun_after_comma(toks, k):
        return True
    low, n = toks.low, len(toks.low)
    c = next((q for q in range(k, n - 1) if low[q] == ","), -1)
    if c < 0 or not _is_cap(toks, c + 1):
        return False
    q = c + 1
    while q < n and _is_cap(toks, q):
        q += 1
    return q < n and toks.kinds[q] == "word" and (low[q] in ("was", "is", "became", "has", "had")
                                                   or (low[q].endswith("ed") and low[q] not in ("red",)))


def _pronoun_after_comma(toks: _Tokens, k: int) -> bool:
    """A pronoun right after the first comma from ``k``: "Born in Oslo, she …" (with a name
    there, "Born in X, Y …" is left to the other readings: they did better on Text2KGBench)."""
    low = toks.low
    c = next((q for q in range(k, len(low) - 1) if low[q] == ","), -1)
    return c > 0 and low[c + 1] in PRONOUNS


def _subject_after_opener(toks: _Tokens, k0: int, mentions: list[_Mention]) -> tuple[_Mention | None, bool, int]:
    """``In 1944 Georgi Belev returned to …``: a name right after the opening date; else "X's"."""
    if toks.low[k0] == "as" and k0 + 1 < len(toks.low) and toks.low[k0 + 1] == "of":
        k0 += 1  # "As of 2023 Microsoft employed …"
    dated = _subject_after_date(toks, k0, mentions)
    if dated is not None:
        return dated
    return _possessive_subject(toks, mentions), False, 0


def _subject_after_date(toks: _Tokens, k0: int, mentions: list[_Mention]) -> tuple[_Mention | None, bool, int] | None:
    """``In 1944 Georgi Belev …`` / ``In 1895 she …``: the name or pronoun right after an opening
    date without a comma; ``None`` when the sentence does not open so."""
    if toks.kinds[k0] == "word" and toks.low[k0] in DATE_PREPOSITIONS:
        when = next((m for m in mentions if m.i == k0 + 1), None)
        if when is not None and when.kind in ("year", "date"):
            end = when.j
        elif k0 + 2 < len(toks.low) and toks.low[k0 + 1] in MONTHS:
            end = k0 + 2  # "In May the club beat …": the month alone
        else:
            return None
        if end < len(toks.low) and toks.low[end] in PRONOUNS:
            return None, True, end  # "In 1895 she married …" refers back
        if end < len(toks.low) and _refers_by_noun(toks, end):
            return None, True, end  # "In 2015 the company took over …" refers back
        who = next((m for m in mentions if m.i == end), None)
        if who is not None and who.kind == "name" and not who.adjective:
            return who, False, end
    return None


def _pronoun_after_short_opener(toks: _Tokens, k0: int) -> int:
    """Where the pronoun subject stands after a short opening phrase without a comma ("Along the
    way it passes …", "Last year it bought …"): lower-case words only, at most three; 0 if the sentence
    does not open so."""
    if toks.low[k0] not in OPENING_PREPOSITIONS and toks.low[k0] not in ("last", "next", "earlier", "later"):
        return 0
    for q in range(k0 + 1, min(len(toks.low), k0 + 5)):
        if toks.low[q] in ("he", "she", "it", "they"):
            return q
        if toks.kinds[q] != "word" or _is_cap(toks, q) or toks.low[q] in NOT_FILLERS:
            break
    return 0


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
    if (k == 0 and k + 2 < n and toks.low[k + 1] in APPOSED_HEADS and not _is_cap(toks, k + 1)
            and any(m.i == k + 2 for m in mentions)):
        return None  # "Rival company Baltic Lines is …": the name after the head is the subject
    found = _title_boundary(toks, k, start)
    if found is None:
        return None
    boundary, other_lower = found
    if boundary <= start:
        return None
    if toks.low[boundary] in ("are", "were") and "and" in toks.low[start:boundary]:
        return None  # "Greta Lind and Oskar Lind were born …": two names, no title
    if other_lower > (2 if toks.words[boundary] == "(" or toks.kinds[start] == "num" else 1):
        return None
    inner = _inner_name(toks, start, boundary, mentions) if toks.words[boundary] != "(" else None
    if inner is not None:
        return inner  # "Mutations in the BRCA1 gene are …": no title
    return _title_mention(toks, start, boundary, mentions)


def _inner_name(toks: _Tokens, start: int, boundary: int, mentions: list[_Mention]) -> _Mention | None:
    """The name a noun phrase before the copula is about: "Mutations in the BRCA1 gene are …"
    (a word, in/of, the, a name, lower-case nouns up to the copula) is about BRCA1."""
    low = toks.low
    if start + 3 >= boundary or low[start + 1] not in ("in", "of") or low[start + 2] != "the":
        return None
    if not (toks.kinds[boundary - 1] == "word" and toks.words[boundary - 1].islower()):
        return None
    inner = next((m for m in mentions if m.i == start + 3 and m.kind == "name"), None)
    if inner is None or inner.j >= boundary:
        return None
    if all(toks.kinds[q] == "word" and toks.words[q].islower() for q in range(inner.j, boundary)):
        return inner
    return None


def _title_boundary(toks: _Tokens, k: int, start: int) -> tuple[int, int] | None:
    """Where a title from ``start`` ends (``(`` or the copula; -1: not within 12 tokens) and how
    many lower-case words it holds; ``None`` when what follows cannot be a title."""
    n = len(toks.words)
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
        if kind == "word" and not w[:1].isupper() and lw not in TITLE_WORDS:
            # "X which is …", "Y who was …": a relative clause, no title
            if lw.endswith(("ed", "ing", "ly")) or lw in OPENERS or lw in RELATIVES:
                return None
            other_lower += 1
    return boundary, other_lower


def _title_mention(toks: _Tokens, start: int, boundary: int, mentions: list[_Mention]) -> _Mention | None:
    """The title ``start``..``boundary`` without its trailing punctuation, as a mention."""
    end = boundary
    while end > start and toks.kinds[end - 1] == "punct" and toks.words[end - 1] not in ("!", "?"):
        end -= 1
    if end <= start or toks.low[end - 1] in TITLE_WORDS:
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


def _of_owner(
    k0: int, k1: int, subj: _Mention, toks: _Tokens, mentions: list[_Mention]
) -> _Mention | None:
    """The owner in "<S> is the <label> of <O>" (what the label is of): ``O``."""
    low = toks.low
    # "X is the capital of Y", and the apposition "X, the capital of Y, …"
    if subj.i < 0 or subj.j >= k0 or low[subj.j] not in ("is", "was", "are", "were", ","):
        return None
    if any(low[q] not in DETERMINERS for q in range(subj.j + 1, k0)) or k1 >= len(low):
        return None
    if low[k1 - 1] == "of":  # the label ends in "of" ("capital of")
        k1 -= 1
    if low[k1] != "of":
        return None
    q = k1 + 1
    if q < len(low) and low[q] == "the":
        q += 1
    for m in mentions:
        if m.i == q and m.kind in ("name", "quoted") and not m.adjective and m.key != subj.key:
            return m
    return None


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
    while q >= 0 and low[q] in DETERMINERS:
        q -= 1
    if possessive and q >= 1 and kinds[q] == "pos":
        for m in mentions:
            if m.j == q and m.kind in ("name", "quoted") and not m.adjective:
                return m
    # the nearest relative pronoun before the trigger, in the same clause
    closed = False
    for r in range(k0 - 1, max(-1, k0 - 8), -1):
        if low[r] in (".", ";", "(", ")"):
            break
        if low[r] == "," and r + 1 < k0 and low[r + 1] in ("and", "but"):
            closed = True
        if low[r] in RELATIVES:
            if closed and low[r] in ("where", "when"):
                break  # "X, where she was born, and studied at …": the clause has closed, X did not study
            end = r - 1 if r >= 1 and low[r - 1] == "," else r
            # "the Varna river, which flows …": a head noun after the name is the name's
            headed = end - 1 if end >= 1 and low[end - 1] in APPOSED_HEADS else -1
            for m in mentions:
                if m.j in (end, headed) and m.kind in ("name", "quoted", "value") and not m.adjective:
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
        if any(toks.words[k] in BARRIERS for k in range(t_end, m.i)):
            break
        if not _gap_fills(toks, mentions, t_end, m):
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


def _gap_fills(toks: _Tokens, mentions: list[_Mention], t_end: int, m: _Mention) -> bool:
    """Whether the words between a trigger ending at ``t_end`` and ``m`` may stand there: fillers,
    other mentions, a copula right after the trigger, the lead of a quantity ("a population of
    about 1.7 million"), the comma before a name set off by commas ("Its capital, X, is …")."""
    if toks.low[t_end] == "," and _set_off(toks, m) and (
            m.i == t_end + 1 or _role_before_name(toks, t_end + 1, m.i)):
        return True  # "Its capital, X, …", "His wife, the sculptor X, …"
    return all(
        _filler(toks, q)
        or any(o.i <= q < o.j for o in mentions)
        or (q <= t_end + 1 and toks.low[q] in ("is", "was", "are", "were"))
        or (m.kind == "number" and toks.low[q] in NUMBER_LEADS)
        for q in range(t_end, m.i)
    )


def _role_before_name(toks: _Tokens, a: int, b: int) -> bool:
    """Tokens ``a``..``b`` are "the/a <one to three lower-case words>" before a name: "the sculptor"."""
    return toks.low[a] in ("the", "a", "an") and 1 <= b - a - 1 <= 3 and all(
        toks.kinds[q] == "word" and toks.words[q].islower() for q in range(a + 1, b))


def _set_off(toks: _Tokens, m: _Mention) -> bool:
    """``m`` ends in a comma, in a sentence after a possessive or definite opener ("Its chief executive,
    X, …", "The capital, X, …")."""
    low = toks.low
    return m.j < len(low) and low[m.j] == "," and low[0] in ("its", "his", "her", "their", "the")


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
        if any(toks.words[k] in BARRIERS for k in range(m.j, t_start)):
            continue
        best = m
    return best, (t_start - best.j if best else 0)


_LIST_JOINS = (
    [","], ["and"], [",", "and"], ["&"], ["or"], [",", "or"],
    [",", "the"], ["and", "the"], [",", "and", "the"],
)
# "studied at A and later at B": the preposition again, after "and" (and "later"/"then")
_AT_JOINS = (
    ["and", "later", "at"], ["and", "then", "at"], ["and", "at"], ["and", "later", "at", "the"],
    ["and", "then", "at", "the"], ["and", "at", "the"],
)
_COMPASS = frozenset(
    "north south east west northeast northwest southeast southwest".split()
)
# words that end a list item's trailing noun: a verb, a clause or another phrase starts there
_NOT_TAIL = AUXILIARIES | RELATIVES | frozenset(
    "that and or but by of for with from as than not to in on at its his her their "
    "a an the this these those it he she they who".split()
)


def _item_tail(toks: _Tokens, k: int) -> int:
    """Where the words that finish a list item end, from ``k``: a direction ("Italy to the west,
    Austria to the north") or one or two lower-case nouns of the item ("the Office suite and Xbox
    consoles"). ``k`` itself when none does."""
    low, n = toks.low, len(toks.low)
    if k + 2 < n and low[k] in ("to", "in") and low[k + 1] == "the" and low[k + 2] in _COMPASS:
        return k + 3
    if k + 2 < n and low[k] in ("in", "on") and toks.kinds[k + 1] == "num":
        # "the Academy Award in 2003 and the Golden Bear in 2002": a time finishes the item
        q = k + 4 if k + 4 < n and toks.kinds[k + 3] == "num" else k + 2  # "on 3 May 2001"
        return q if q < n and low[q] in (",", "and") else k
    q = k
    while (
        q < n and q - k < 2 and toks.kinds[q] == "word" and not _is_cap(toks, q)
        and low[q] not in _NOT_TAIL and not low[q].endswith(("ed", "ly"))
    ):
        q += 1
    return q if q < n and low[q] in (",", "and") else k


def _name_at(mentions: list[_Mention], i: int) -> _Mention | None:
    """The name (not an adjective such as "French") that opens at token ``i``."""
    return next((m for m in mentions if m.i == i and m.kind == "name" and not m.adjective), None)


def _name_list_at(mentions: list[_Mention], i: int, toks: _Tokens) -> list[_Mention]:
    """The name at token ``i`` and the names listed after it ("X, Y and Z"); ``[]`` when none opens there."""
    first = _name_at(mentions, i)
    return [first, *_list_extension(first, mentions, frozenset({"name"}), toks)] if first is not None else []


def _list_extension(
    first: _Mention, mentions: list[_Mention], kinds: frozenset[str], toks: _Tokens
) -> list[_Mention]:
    """Mentions that continue a list after ``first``: ``A, B and C``, ``A & B``, and items with
    the same trailing words ("Italy to the west, Austria to the north and …")."""
    out = []
    cur = first
    for m in mentions:
        if m.i < cur.j or m.key == cur.key:
            continue
        between = [toks.low[k] for k in range(cur.j, m.i)]
        tail = _item_tail(toks, cur.j) if cur.kind == "name" else cur.j
        if m.i < tail:
            continue  # the year of "… in 2003 and …" finishes the item
        joined = [toks.low[k] for k in range(tail, m.i)]
        if (
            (between in _LIST_JOINS[:6] or between in _AT_JOINS or tail > cur.j and joined in _LIST_JOINS)
            and m.kind in kinds
            and not m.adjective
            and m.kind == cur.kind
        ):
            out.append(m)
            cur = m
            if joined[-1] in ("and", "or", "&") or joined[-2:-1] == ["and"]:
                break
            continue
        if m.i >= max(cur.j, tail) + 2 or m.i > cur.j and toks.low[cur.j] not in (",", "and", "&", "or"):
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


def _possessed_subject(toks: _Tokens, mentions: list[_Mention]) -> _Mention | None:
    """The name after an opening possessive and its noun: "Her daughter Irène Joliot-Curie also won
    …" is about Irène Joliot-Curie (the possessive's owner is the subject of "daughter" alone);
    so is "Lars Holm's son Ole Holm was born …" about Ole Holm, and "The capital, Mirograd, lies on …"
    (or "Its capital, X, …": a name set off by commas after the opening noun) about Mirograd."""
    if not toks.low:
        return None
    apposed = _apposed_name(toks, mentions)
    if apposed is not None:
        return apposed
    if toks.low[0] not in ("his", "her", "its", "their"):
        owner = next((m for m in mentions if m.kind == "name" and not m.adjective), None)
        if owner is None or owner.i != 0 or owner.j >= len(toks.kinds) or toks.kinds[owner.j] != "pos":
            return None
        for m in mentions:
            if m.i <= owner.j or m.kind != "name" or m.adjective:
                continue
            # "Lars Holm's son Ole Holm", "Slovakia's capital, Bratislava, lies …" (set off by commas)
            end = m.i - 1 if toks.low[m.i - 1] == "," and m.j < len(toks.low) and toks.low[m.j] == "," else m.i
            if 2 <= end - owner.j + (m.i - end) <= 3 and end > owner.j + 1 and all(
                    toks.kinds[q] == "word" and not _is_cap(toks, q) for q in range(owner.j + 1, end)):
                return m
            break
        return None
    for m in mentions:
        if m.kind != "name" or m.adjective:
            continue
        if 2 <= m.i <= 4 and all(toks.kinds[q] == "word" and not _is_cap(toks, q) for q in range(1, m.i)):
            return m
        break
    return None


def _apposed_name(toks: _Tokens, mentions: list[_Mention]) -> _Mention | None:
    """The name set off by commas after an opening "The/Its <noun>": "The capital, Mirograd, lies …"
    (one to five lower-case words before the first comma: "Its capital and largest city, X, lies …"; the
    name right after it, a comma after the name); else ``None``."""
    low, n = toks.low, len(toks.low)
    if n < 5 or low[0] not in ("the", "its", "his", "her", "their"):
        return None
    c = next((q for q in range(2, min(n, 7)) if low[q] == ","), -1)
    if c < 0 or not all(toks.kinds[q] == "word" and not _is_cap(toks, q) for q in range(1, c)):
        return None
    m = next((m for m in mentions if m.i == c + 1), None)
    if m is None or m.kind != "name" or m.adjective or m.j >= n or low[m.j] != ",":
        return None
    return m
