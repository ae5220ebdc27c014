"""Mention finding: names, quoted titles, dates, years and numbers in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from rdflib import URIRef

from ..lexicon import ADJECTIVES
from .tokens import _YEAR, _Tokens
from .words import (
    CONNECTORS,
    DATE_PREPOSITIONS,
    DATE_RXS,
    DEMONYM_ENDINGS,
    EPITHET_ENDINGS,
    FOR_HEADS,
    HONORIFICS,
    IN_HEADS,
    MONTHS,
    NOT_EPITHETS,
    OPENERS,
    PERSON_NOUNS,
    SCALES,
)


@dataclass(slots=True)
class _Mention:
    i: int  # first token
    j: int  # one past the last token
    start: int  # char offsets in the sentence
    end: int
    text: str
    kind: str
    adjective: bool = False
    props: frozenset[URIRef] = frozenset()  # properties that know this value
    # the full name a short mention stands for ("Curie" after "Marie Curie"), or its candidates
    # when more than one full name ends with it ("Marie Curie", "Pierre Curie": ambiguous)
    canonical: str = ""
    candidates: tuple[str, ...] = ()
    # an ambiguous reference's own words and their span in the sentence ("she"), when the mention
    # stands for an earlier one
    said: tuple[str, int, int] | None = None

    @property
    def name(self) -> str:
        """The text the entity is named by: the full name a short mention joins, else its own."""
        return self.canonical or self.text

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)


def _is_cap(toks: _Tokens, k: int) -> bool:
    w = toks.words[k]
    return toks.kinds[k] in ("word", "alnum") and w[:1].isupper()


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    for n, m in enumerate(MONTHS, start=1):
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


# month names and abbreviations as tokens (lower case; "Sept." tokenises as "sept" and ".")
_MONTH_WORDS = frozenset(MONTHS) | frozenset(m[:3] for m in MONTHS) | {"sept"}


def _date_mentions(toks: _Tokens) -> list[_Mention]:
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    text = toks.text
    if "num" not in toks.kinds:
        return out
    # the forms with a month name need one: most sentences with a number have none
    month = not _MONTH_WORDS.isdisjoint(toks.low)
    for n, rx in enumerate(DATE_RXS):
        if n != 2 and not month:
            continue
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
    words, kinds = toks.words, toks.kinds
    n = len(words)
    k = 0
    while k < n:
        # most tokens are lower-case words: no name starts there (checked here, without a call)
        if not (words[k][:1].isupper() or kinds[k] == "num" or words[k] == "(") or not _starts_name(
            toks, k, keep_the
        ):
            k += 1
            continue
        last = _name_end(toks, k)
        out.append(_name_mention(toks, k, last))
        k = last
    return out


#: Lower-case heads that a sentence may open with, a modifier before them and a name after them.
APPOSED_HEADS = PERSON_NOUNS | frozenset(
    "company firm club team side city town country river drug film studio species gene protein group brand".split())


#: Labels of a document's sections that head a sentence before a colon (structured abstracts,
#: news updates); "Alien: Covenant" is a title, these are not.
SECTION_LABELS = frozenset(
    "background methods method results result conclusion conclusions objective objectives aim aims purpose "
    "introduction discussion summary findings context design setting interpretation update correction note "
    "abstract".split())


def _starts_name(toks: _Tokens, k: int, keep_the: bool) -> bool:
    """Whether a name starts at token ``k``: a capitalised word that does not just open the
    sentence, or a number that opens a name."""
    if _is_cap(toks, k):
        return not _opener_not_name(toks, k, keep_the)
    return _number_opens_name(toks, k)


def _opener_not_name(toks: _Tokens, k: int, keep_the: bool) -> bool:
    """A capitalised word that is not a name's start: a sentence opener, a participle or adverb
    opening the sentence, a ``The`` the names here do not keep."""
    n = len(toks.words)
    low = toks.low
    if (
        k == 0
        and low[k] in OPENERS
        and not (keep_the and low[k] == "the" and k + 1 < n and _is_cap(toks, k + 1))
    ):
        return True
    if k == 0 and low[k] in SECTION_LABELS and k + 1 < n and low[k + 1] == ":":
        return True  # "Background: X is …", "Update: …": a section label heads the sentence
    if k == 0 and low[k] in ("former", "fellow") and k + 1 < n and _is_cap(toks, k + 1):
        return True  # "Former Rovers defender Tim Lowe …"
    if k == 0 and low[k] in PERSON_NOUNS and k + 2 < n and _is_cap(toks, k + 1) and _is_cap(toks, k + 2):
        return True  # "Striker Tomas Reyes scored …", "Composer Anna Vik wrote …": a role, then the name
    if k == 0 and k + 2 < n and low[k + 1] in APPOSED_HEADS and not _is_cap(toks, k + 1) and _is_cap(toks, k + 2):
        return True  # "Rival company Baltic Lines is …", "Fellow striker Dan Moss …": a modifier and a head
    if low[k] in MONTHS and k + 1 < n and toks.kinds[k + 1] == "num" and (
            k == 0 or low[k - 1] in ("in", "on", "since")):
        return True  # "In May 2023 X won …": a date, then the name
    if low[k] in MONTHS and k > 0 and low[k - 1] in ("in", "since", "until", "early", "late", "mid"):
        return True  # "In May the club beat …": the month alone
    if k == 0 and low[k] in ADJECTIVES and k + 1 < n and toks.kinds[k + 1] == "word" and not _is_cap(toks, k + 1):
        return True  # "Common side effects include …"
    if k == 0 and _plural_noun_before_place(toks, k):
        return True  # "Researchers at Norvik …", "Glands in the skin …": a plural common noun opens the sentence
    if k == 0 and k + 1 < n and _plural_people_noun(low[k]) and toks.words[k + 1].islower():
        return True  # "Adults feed mainly on …", "Biologists believe …": people in general, no name
    if (
        k == 0
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
        return True
    return low[k] == "the" and not keep_the and k + 1 < n and _is_cap(toks, k + 1)


def _plural_people_noun(w: str) -> bool:
    """A plural noun for people in general ("adults", "biologists", "researchers")."""
    return len(w) > 4 and w.endswith("s") and (w[:-1] in PERSON_NOUNS or w in _PEOPLE_PLURALS)


_PEOPLE_PLURALS = frozenset("adults children patients people researchers scientists biologists experts critics "
                            "officials analysts residents fans doctors".split())


def _plural_noun_before_place(toks: _Tokens, k: int) -> bool:
    """A one-word plural opening the sentence before "in"/"at"/"from" and no number: a common noun
    ("Regulators in Japan", "Researchers at X"), not a name ("Athens in 2004" stays one)."""
    low, n = toks.low, len(toks.low)
    w = low[k]
    return (
        k + 2 < n
        and len(w) > 4
        and w.endswith("s")
        and not w.endswith(("ss", "us", "is"))
        and low[k + 1] in ("in", "at", "from")
        and toks.kinds[k + 2] != "num"
    )


def _number_opens_name(toks: _Tokens, k: int) -> bool:
    """A number opening a name: "The 1974 NASCAR Winston Cup Series", "1 Decembrie 1918 …"."""
    n = len(toks.words)
    words, low, kinds = toks.words, toks.low, toks.kinds
    if (
        words[k] == "("
        and k + 3 < n
        and kinds[k + 1] == "num"
        and words[k + 2] == ")"
        and (kinds[k + 3] == "num" or _is_cap(toks, k + 3))
    ):
        return True  # minor planets: "(29075) 1950 DA"
    if kinds[k] != "num" or not words[k].isdigit() or not (k + 1 < n and _is_cap(toks, k + 1)):
        return False
    if k >= 2 and low[k - 1] in MONTHS and low[k - 2] in ("in", "on", "since"):
        return False  # "In May 2023 Kestrel Bay FC won …": the year ends a date
    if (
        (k == 0 or low[k - 1] not in DATE_PREPOSITIONS)
        and not _month(words[k + 1])
        and low[k + 1] not in OPENERS
    ):
        return True  # "discovered 103 Hera"
    return (k == 0 or low[k - 1] == "the") and words[k + 1].lower() not in OPENERS


def _name_end(toks: _Tokens, k: int) -> int:
    """Where the name starting at ``k`` ends (exclusive)."""
    n = len(toks.words)
    j = k + 3 if toks.words[k] == "(" else k + 1
    last = j
    while j < n:
        if _is_cap(toks, j) or _number_in_name(toks, j, last):
            j += 1
            last = j
            continue
        step = _joiner_in_name(toks, k, j, last)
        if step is None:
            break
        j += step
    if last < n and _enzyme_head(toks.low[last]) and toks.words[last].islower():
        return last + 1  # "HMG-CoA reductase", "PA endonuclease": the enzyme, not its substrate
    return _binomial_end(toks, k, last) if last - k == 1 else last


#: Words in -ase that are no enzyme.
_NOT_ENZYMES = frozenset("base case vase phase lease release purchase increase decrease ease chase phrase".split())


def _enzyme_head(w: str) -> bool:
    """A lower-case head that makes a name before it an enzyme's or a receptor's ("… reductase"), or
    an eponymous disease's ("Usher syndrome", "Lyme disease")."""
    return (len(w) > 5 and w.endswith("ase") and w not in _NOT_ENZYMES) or w in (
        "receptor", "receptors", "syndrome", "disease")


def _epithet(toks: _Tokens, q: int) -> bool:
    w = toks.words[q]
    return (
        toks.kinds[q] == "word"
        and len(w) >= 5
        and w.isalpha()
        and w.islower()
        and w.endswith(EPITHET_ENDINGS)
        and w not in NOT_EPITHETS
        and (q + 1 >= len(toks.words) or toks.kinds[q + 1] != "word" or not _is_cap(toks, q + 1))
    )


def _binomial_end(toks: _Tokens, k: int, last: int) -> int:
    """A species name: a one-word capitalised genus and a Latin epithet ("Streptomyces griseus"),
    or an initial genus ("R. muscosa"); otherwise ``last`` unchanged."""
    n = len(toks.words)
    if last - k != 1 or last >= n or toks.kinds[k] != "word":
        return last
    genus = toks.words[k]
    if len(genus) >= 4 and genus[1:].islower() and _epithet(toks, last):
        return last + 1
    if len(genus) == 1 and toks.words[last] == "." and last + 1 < n and _epithet(toks, last + 1):
        return last + 2
    return last


def _number_in_name(toks: _Tokens, j: int, last: int) -> bool:
    """A short number right after a name's word: "Apollo 11", "Windows 95 Plus"."""
    w = toks.words[j]
    n = len(toks.words)
    if j + 2 < n and toks.words[j + 1] in ("–", "-", "—") and toks.kinds[j + 2] == "num":
        return False  # a score or a range: "Tottenham Hotspur 2–0"
    return (
        toks.kinds[j] == "num"
        and j == last
        and len(w) <= 4
        and (len(w) <= 3 or (j + 1 < n and _is_cap(toks, j + 1)))
    )


def _head_refuses(toks: _Tokens, k: int, j: int) -> bool:
    """``for`` and ``in`` join a name only after certain heads: "Academy Award for Best Actor",
    "Nobel Prize in Physics" are one name; "Paris in France" is two."""
    low = toks.low
    if low[j] == "for":
        return not any(low[q] in FOR_HEADS for q in range(k, j))
    if low[j] == "in":
        return not (low[j - 1] in IN_HEADS and j + 1 < len(low) and _is_cap(toks, j + 1))
    return False


#: Plural group nouns whose possessive stays inside a name ("FA Women's Trophy", "People's Party").
_GROUP_POSSESSORS = frozenset("women men children people ladies boys girls veterans workers".split())


def _joiner_in_name(toks: _Tokens, k: int, j: int, last: int) -> int | None:
    """How many tokens a joiner at ``j`` inside the name from ``k`` spans (``of``, ``of the``,
    ``&``, a colon, the dot of an initial or of ``Jr.``), or ``None`` where the name ends."""
    n = len(toks.words)
    words, low = toks.words, toks.low
    w, lw = words[j], low[j]
    if _head_refuses(toks, k, j):
        return None
    if (
        lw in CONNECTORS
        and j == last
        and j + 2 < n
        and low[j + 1] in ("the", "la", "le", "de")
        and _is_cap(toks, j + 2)
    ):
        return 2  # "President of the Marshall Islands", "Academy Award for the Best …"
    if j != last or not (j + 1 < n and _is_cap(toks, j + 1)):
        return None
    if lw in CONNECTORS or w in ("&", ":", "-"):
        if w == ":" and (
            toks.starts[j + 1] - toks.ends[j] != 1 or words[j + 1].lower() in OPENERS
        ):
            return None
        return 1
    if w == "." and len(words[j - 1]) == 1 and words[j - 1].isupper():
        return 1  # initials: "J. J. Abrams"
    if toks.kinds[j] == "pos" and low[j - 1] in _GROUP_POSSESSORS:
        return 1  # "Ghana Women's Cup", "People's Party": a group's possessive inside the name
    if w == "." and low[j - 1] in ("jr", "sr", "st", "dr", "mr", "mrs", "bros"):
        return 1
    return None


def _name_mention(toks: _Tokens, k: int, last: int) -> _Mention:
    """The mention of the name ``k``..``last``, an honorific dropped ("Dr. Ram Baran Yadav" ->
    "Ram Baran Yadav"), marked as an adjective when it reads as one ("American songwriters")."""
    n = len(toks.words)
    words, low, kinds = toks.words, toks.low, toks.kinds
    first = k
    while (
        last - first > 2
        and low[first] in HONORIFICS
        and (words[first + 1] == "." or _is_cap(toks, first + 1))
    ):
        first += 2 if words[first + 1] == "." else 1
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
        and low[k].endswith(DEMONYM_ENDINGS)
        and low[last] not in ("is", "was", "are", "were", "has", "had", "and", "or", "of", "in", "by")
        and not low[last].endswith("ed")
    ):
        m.adjective = True  # "American songwriters", "Japanese anime"
    if last - first == 1 and "-" in words[first] and words[first].rsplit("-", 1)[1].islower():
        m.adjective = True  # "Canada-based producer", "Oscar-winning"
    if last + 1 < n and low[last] in PERSON_NOUNS and not _is_cap(toks, last) and _is_cap(toks, last + 1):
        m.adjective = True  # "the former Scotland defender Alan McKee": the name only qualifies the role
    return m


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
        j = k + 1
        if j < len(toks.low) and toks.low[j] in SCALES:
            b, j = toks.ends[j], j + 1  # "1.7 million"
        out.append(
            _Mention(k, j, a, b, toks.text[a:b], "year" if _YEAR.fullmatch(w) and j == k + 1 else "number")
        )
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
