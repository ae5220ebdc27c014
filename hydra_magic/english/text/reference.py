"""One name per entity within a text: short mentions that join their full name ("Curie" after
"Marie Curie"), and pronouns that refer to one entity only when one candidate fits.

A short mention is a one-word name; it joins the one earlier full name of the text whose last
word it is (a name of capitalised words: "Marie Curie") or whose first word it is ("Brightwater"
for "Brightwater Foods"). With two such names ("Marie Curie", "Pierre Curie") it is ambiguous:
it keeps both as candidates and yields no fact.

A pronoun ("she", "he", "it") refers to the subject of the sentence before; when that subject is
a group ("Marie Curie and Pierre Curie discovered …", or an ambiguous short mention), the
candidates are its members whose gender fits. Gender is known from an earlier "she"/"he" that
referred to the entity, or from a short list of given names (:data:`.words.FEMALE_NAMES`); a
pronoun resolves to one member only when every other member is known not to fit. Otherwise it is
ambiguous and yields no fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .mentions import _is_cap, _Mention
from .tokens import _Tokens
from .words import (CONNECTORS, DETERMINERS, FEMALE_NAMES, GENDERED_NOUNS, MALE_NAMES, ORG_SUFFIXES, PERSON_NOUNS,
                    PRONOUN_GENDER)

#: An entity of the text as a pronoun may refer to it: its name and where it was last written.
Referent = tuple[str, str, int, int]  # name, surface, absolute start, absolute end


@dataclass
class References:
    """What the sentences so far tell about names and pronouns (one per chunk)."""

    by_word: dict[str, dict[str, None]] = field(default_factory=dict)  # first/last word -> full names
    # a full name less the company or club suffix that ends it -> full names ("Harbour City")
    by_stem: dict[str, dict[str, None]] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)  # name -> "m" / "f" (from "he" / "she")
    seen: dict[str, Referent] = field(default_factory=dict)  # full name -> its latest mention
    canonical: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # abs start -> name, cands
    group: tuple[Referent, ...] = ()  # the previous sentence's subject (a group: several)
    others: tuple[Referent, ...] = ()  # the previous sentence's other names
    people: set[str] = field(default_factory=set)  # names a role noun tells are people ("the chemist X")

    def join_short_names(self, toks: _Tokens, mentions: list[_Mention], base: int, topic: str = "") -> None:
        """Join each one-word name to the one earlier full name it shortens (see the module); of
        several, to the text's ``topic`` when it is one of them (in an article about Marie Curie,
        "Curie" is she, not Pierre Curie)."""
        by_word = self.by_word
        for k, m in enumerate(mentions):
            if m.kind != "name" or m.adjective:
                continue
            shared = _shared_surname(toks, mentions, k)
            if shared:  # "the brothers Duncan and Ian MacLeod": Duncan MacLeod
                m.canonical = shared
                self._add_full_name(shared)
                self.seen[shared] = (shared, m.text, base + m.start, base + m.end)
                continue
            self._gender_from_role(toks, m)
            stem = tuple(self.by_stem.get(m.text, ()))
            if " " in m.text and len(stem) == 1:  # "Harbour City" after "Harbour City FC"
                m.canonical, m.candidates = stem[0], stem
                self.canonical[base + m.start] = (m.canonical, stem)
                continue
            if " " in m.text:
                self._add_full_name(m.text)
                self.seen[m.text] = (m.text, m.text, base + m.start, base + m.end)
                continue
            if m.j - m.i != 1 or m.text not in by_word:
                continue
            cands = tuple(by_word[m.text])
            if len(cands) > 1 and topic in cands:
                cands = (topic,)
            if len(cands) == 1:
                m.canonical = cands[0]
            m.candidates = cands
            if cands:
                self.canonical[base + m.start] = (m.canonical, cands)

    def _gender_from_role(self, toks: _Tokens, m: _Mention) -> None:
        """The gender a noun right before a name tells ("her husband X", "the French actress X"),
        and whether a role noun before or after it ("the chemist X", "X, a Swedish composer,")
        makes it a person; so does a copula ("X was the composer")."""
        for q in range(m.i - 1, max(-1, m.i - 4), -1):
            w = toks.low[q]
            if w in GENDERED_NOUNS:
                self.gender.setdefault(m.name, GENDERED_NOUNS[w])
                self.people.add(m.name)
                break
            if w in PERSON_NOUNS:
                self.people.add(m.name)
                break
            if toks.kinds[q] != "word" or w in DETERMINERS:
                break
        n = len(toks.low)
        if m.j + 2 < n and toks.low[m.j] in (",", "is", "was") and toks.low[m.j + 1] in ("a", "an", "the"):
            for q in range(m.j + 2, min(n, m.j + 6)):
                if toks.low[q] in PERSON_NOUNS or toks.low[q] in GENDERED_NOUNS:
                    self.people.add(m.name)
                    return
                if toks.kinds[q] != "word":
                    return

    def _add_full_name(self, name: str) -> None:
        """Index a full name under the short mentions that may stand for it: its first word, and
        the last word of a personal name ("Curie"), not of "University of Paris"."""
        words = name.split()
        self.by_word.setdefault(words[0], {})[name] = None
        if len(words) > 2 and words[-1].lower().rstrip(".") in ORG_SUFFIXES:
            self.by_stem.setdefault(" ".join(words[:-1]), {})[name] = None
        if CONNECTORS.isdisjoint(map(str.lower, words)):
            self.by_word.setdefault(words[-1], {})[name] = None

    def referent(self, pronoun: str, antecedent: Referent, by_noun: bool = False) -> _Mention:
        """The mention a pronoun stands for: the antecedent, or one member of the previous
        sentence's group; ambiguous (several candidates) when more than one fits. A noun that
        refers back (``by_noun``: "The island's …") names its antecedent, whatever the group."""
        name, surface, a, b = antecedent
        _, cands = self.canonical.get(a, ("", ()))
        group = list(self.group) if len(self.group) > 1 and not by_noun else []
        if len(cands) > 1 and not group:
            group = [self.seen.get(c, (c, surface, a, b)) for c in cands]
        rivals = self._rivals(pronoun, group or [antecedent])
        if rivals:  # "Anna Berg hired Karin Lind. She …": another name of the pronoun's gender
            group = (group or [antecedent]) + rivals
        if len(group) > 1:
            chosen = self._fitting(pronoun, group)
            if chosen is None:
                return _Mention(-1, 0, a, b, surface, "name", candidates=tuple(g[0] for g in group))
            name, surface, a, b = chosen
        elif a in self.canonical and self.canonical[a][0]:
            name = self.canonical[a][0]
        g = PRONOUN_GENDER.get(pronoun, "")
        if g in ("m", "f"):
            self.gender.setdefault(name, g)
        return _Mention(-1, 0, a, b, surface, "name", canonical=name if name != surface else "")

    def _rivals(self, pronoun: str, group: list[Referent]) -> list[Referent]:
        """The other names of the previous sentence known to have the pronoun's gender."""
        want = PRONOUN_GENDER.get(pronoun, "")
        if want not in ("m", "f") or not self.others:
            return []
        names = {g[0] for g in group}
        # a person of the pronoun's gender, or one a role noun tells is a person ("his teacher X",
        # "the architect X") whose gender is not known
        return [o for o in self.others if o[0] not in names and (
            self.gender_of(o[0]) == want or (not self.gender_of(o[0]) and o[0] in self.people))]

    def _fitting(self, pronoun: str, group: list[Referent]) -> Referent | None:
        """The one member of ``group`` the pronoun can mean, or ``None``."""
        want = PRONOUN_GENDER.get(pronoun, "")
        if want not in ("m", "f"):
            return None
        fit = [g for g in group if self.gender_of(g[0]) == want]
        unknown = [g for g in group if not self.gender_of(g[0])]
        return fit[0] if len(fit) == 1 and not unknown else None

    def gender_of(self, name: str) -> str:
        if name in self.gender:
            return self.gender[name]
        first = name.split()[0].lower() if name.split() else ""
        return "f" if first in FEMALE_NAMES else "m" if first in MALE_NAMES else ""


def subject_group(toks: _Tokens, mentions: list[_Mention], subject: _Mention) -> list[_Mention]:
    """The subject and the names joined to it before the verb: "Marie Curie and Pierre Curie",
    "Okafor and her former teacher Ruth Adeyemi"."""
    group = [subject]
    if subject.i < 0:
        return group
    cur = subject
    for m in mentions:
        if m.i < cur.j or m.kind != "name" or m.adjective:
            continue
        between = range(cur.j, m.i)
        if not between or toks.low[cur.j] != "and" or len(between) > 5:
            break
        if not all(toks.low[q] in DETERMINERS or (toks.kinds[q] == "word" and not _is_cap(toks, q)
                                                   and not toks.low[q].endswith("ed")) for q in between):
            break
        group.append(m)
        cur = m
    return group


def pronoun_after_group(toks: _Tokens, group: list[_Mention], refs: References) -> tuple[int, tuple[str, ...]]:
    """Where "he"/"she" opens a later clause of a sentence whose subject is a group of two or more
    that it may mean ("X and Y designed A, and a year later she received B"), and the names it may
    mean; ``(-1, ())`` if none."""
    if len(group) < 2:
        return -1, ()
    for q in range(group[-1].j, len(toks.low)):
        w = toks.low[q]
        if w in ("he", "she"):
            members = [(m.name, m.text, 0, 0) for m in group]
            if refs._fitting(w, members) is members[0]:
                return -1, ()
            return q, tuple(dict.fromkeys(m.name for m in group))
    return -1, ()


def pronoun_after_rival(toks: _Tokens, mentions: list[_Mention], subject: _Mention,
                        refs: References) -> tuple[int, tuple[str, ...]]:
    """Where "he"/"she" opens a later clause after another name that it may mean ("X studied under
    Erik Dahl, and he later received …": Dahl is a man too), and the names it may mean (the subject
    and its rivals); ``(-1, ())`` if none. A rival is a name of the pronoun's gender, or a person by a
    role noun whose gender is not known."""
    if subject.i < 0:
        return -1, ()
    for q in range(subject.j, len(toks.low)):
        w = toks.low[q]
        if w not in ("he", "she"):
            continue
        want = PRONOUN_GENDER[w]
        rivals = []
        for m in mentions:
            if m.i < subject.j or m.j > q or m.kind != "name" or m.adjective or m.name == subject.name:
                continue
            g = refs.gender_of(m.name)
            if g == want or (not g and m.name in refs.people):
                rivals.append(m.name)
        return (q, tuple(dict.fromkeys([subject.name, *rivals]))) if rivals else (-1, ())
    return -1, ()


_SIBLING_NOUNS = frozenset("brothers sisters siblings twins cousins".split())


def _shared_surname(toks: _Tokens, mentions: list[_Mention], k: int) -> str:
    """The full name of a given name that shares the surname of the next one ("Duncan and Ian
    MacLeod" -> "Duncan MacLeod"): a one-word name before "and" and a two-word name, when it is a
    known given name or follows "brothers"/"sisters"; else ``""``."""
    m = mentions[k]
    if m.j - m.i != 1 or k + 1 >= len(mentions):
        return ""
    n = mentions[k + 1]
    if n.kind != "name" or n.adjective or n.i != m.j + 1 or toks.low[m.j] != "and" or n.j - n.i != 2:
        return ""
    given = m.text.lower() in FEMALE_NAMES or m.text.lower() in MALE_NAMES
    if not given and not (m.i > 0 and toks.low[m.i - 1] in _SIBLING_NOUNS):
        return ""
    return f"{m.text} {n.text.split()[-1]}"
