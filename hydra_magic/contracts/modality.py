"""Polarity / modality contract: is the relation between a subject and an object asserted as a fact?

A negated ("Scott *never* directed Titanic"), hedged ("Spielberg *reportedly*
directed Poltergeist") or hypothetical ("Villeneuve *will* direct Dune Messiah")
statement is not a fact. :func:`modality_cue` finds the cue that governs the
clause linking one candidate's subject and object, or returns ``None`` when the
relation is asserted.

How (no parser, standard library only):

1. Tokenise with offsets; "didn't" becomes "did" + "n't". The subject and object
   spans become one opaque token each, so cue words inside entity names
   ("The Man Who Wasn't There") are never seen.
2. The *governing clause* of the relation is the text between the two mentions,
   minus comma-enclosed asides (", which was not a success,"), cut at clause
   boundaries (";", "but", "although", ", and", ...) keeping the part next to the
   later mention. The text before the earlier mention back to the clause start
   contributes sentence-level cues ("It is rumoured that X ...", "Reportedly,
   X ..."), but negation there only counts when it is licensed (see
   :func:`_pre_hits`). After the later mention only sentence adverbs
   (", allegedly") and conditionals ("if ...") count.
3. Every token is checked against a small lexicon with guards for look-alikes:
   names and months ("Will Smith", "May 1979"), hyphenated words
   ("never-ending"), fixed positive phrases ("not only", "no doubt", "not until").
4. A negator right before a mention ("…, not Alien") negates that mention and
   wins; otherwise the first cue of the governing clause wins, because the
   leftmost operator takes scope over the rest ("Reportedly, X did not ..." is
   hedged, "X will not ..." is hypothetical).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CUE_CODES", "Cue", "modality_cue"]

CUE_CODES = ("negated", "hedged", "hypothetical")

NEG, HEDGE, HYPO = CUE_CODES


@dataclass(frozen=True)
class Cue:
    """A negation, hedging or hypothetical cue found in a sentence.

    Attributes
    ----------
    code : str
        One of :data:`CUE_CODES`: ``"negated"``, ``"hedged"`` or ``"hypothetical"``.
    text : str
        The cue as written in the sentence, e.g. ``"never"``, ``"didn't"``,
        ``"reportedly"``, ``"may have"``, ``"is expected to"``.
    span : tuple[int, int]
        Character offsets of the cue in the sentence passed to :func:`modality_cue`.
    """

    code: str
    text: str
    span: tuple[int, int]


# --------------------------------------------------------------------------- tokens

# "did" + "n't" and "he" + "'ll" are split so that the negation / modal is a token of its own.
_TOKEN_RE = re.compile(
    r"\w+(?=n['’]t\b)|n['’]t\b"
    r"|\w+(?=['’]ll\b)|['’]ll\b"
    r"|\w+(?:['’]\w+)?"
    r"|[^\w\s]"
)


@dataclass(frozen=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    mention: bool = False


@dataclass(frozen=True)
class _Hit:
    code: str
    first: int  # token index of the cue's first token
    last: int  # token index of the cue's last token (inclusive)
    kind: str  # "neg", "contrast", "hedge", "adverb", "hypo", "cond", "modal"


def _valid_span(span: tuple[int, int] | None, n: int) -> tuple[int, int] | None:
    # A span outside the sentence (e.g. a pronoun resolved to an earlier sentence) is no span.
    if span is None:
        return None
    try:
        s, e = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (s, e) if 0 <= s < e <= n else None


def _tokenise(sentence: str, spans: list[tuple[int, int]]) -> list[_Tok]:
    toks = [_Tok(m.group(), m.group().lower(), m.start(), m.end())
            for m in _TOKEN_RE.finditer(sentence)
            if not any(m.start() < e and s < m.end() for s, e in spans)]
    toks += [_Tok(sentence[s:e], "<mention>", s, e, mention=True) for s, e in spans]
    toks.sort(key=lambda t: t.start)
    return toks


def _low(toks: list[_Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) else ""


def _is_mention(toks: list[_Tok], i: int) -> bool:
    return 0 <= i < len(toks) and toks[i].mention


def _wordlike(low: str) -> bool:
    """A word or a mention (not punctuation, not a number, not the end of the sentence)."""
    return low == "<mention>" or low[:1].isalpha()


# --------------------------------------------------------------------------- word lists

_BE = {"is", "are", "was", "were", "be", "been", "being", "'s", "’s", "am"}
_AUX = _BE | {"did", "does", "do", "has", "have", "had", "would", "could", "will", "can",
              "should", "shall", "might", "may", "must"}
_DETS = {"the", "a", "an"}
_POSSESSIVE = {"his", "her", "their", "its", "my", "your", "our", "the", "a", "an", "this",
               "that", "own", "free", "good", "ill", "against", "of", "last", "all"}
_RELATIVE = {"which", "who", "whom", "whose", "that", "where", "when"}
_COMPLEMENTISER = {"that", "whether", "if"}
# Words that open a fronted subordinate clause; the comma that closes it ends that clause.
_SUBORDINATORS = {"although", "though", "while", "whilst", "whereas", "when", "whenever", "after",
                  "before", "because", "since", "as", "despite", "once", "until", "unlike",
                  "having", "being", "following", "upon"}
_SENTENCE_OPENERS = {".", "!", "?", ";", ":", '"', "“", "‘", "(", "—", "–"}
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "inc", "co", "ltd",
                  "bros", "corp", "prof", "gen", "mt", "ft", "u", "s", "e", "g", "i"}

# Tokens between a negator and a mention that keep the negator attached to that mention
# ("not *by* Paulescu", "instead of *the* ...").
_NP_GLUE = {"the", "a", "an", "by", "in", "for", "to", "at", "with", "from", "of", "on", "as"}
_NP_NEGATORS = {"not", "never", "no", "neither", "nor", "without", "n't", "n’t"}

_NEG_WORDS = {"not", "never", "neither", "nor", "cannot", "no", "without", "nothing", "nobody",
              "untrue",
              "falsely", "wrongly", "mistakenly", "erroneously", "denied", "denies", "deny",
              "denying", "n't", "n’t"}
_NEG_BEFORE_TO = {"failed", "fail", "fails", "failing", "refused", "refuse", "refuses",
                  "refusing", "declined", "decline", "declines", "declining", "unable"}
_NEG_PARTICLE = {"turned": "down", "turn": "down", "turns": "down", "turning": "down",
                 "ruled": "out", "rule": "out", "rules": "out"}
# "not only", "no doubt", "nothing but" ... are positive.
_NOT_FIXED = {"only", "just", "merely", "simply", "least", "until", "surprisingly", "unlike",
              "long"}
_NO_FIXED = {"doubt", "question", "less", "fewer", "more", "sooner", "stranger", "exaggeration",
             "matter"}
_WITHOUT_FIXED = {"doubt", "question", "exception", "fail"}
_NOTHING_FIXED = {"but", "short", "less"}
# "never stopped", "did not fail to": double negation, positive.
_DOUBLE_NEG = {"stop", "stopped", "stops", "cease", "ceased", "ceases", "fail", "failed", "fails"}
_OVERSTATED = {"overstated", "understated", "overestimated", "underestimated", "exaggerated"}

_HEDGE_WORDS = {"reportedly", "allegedly", "alleged", "possibly", "probably", "apparently",
                "supposedly", "purportedly", "reputedly", "presumably", "perhaps", "maybe",
                "likely", "unlikely", "seemingly", "rumoured", "rumored", "rumour", "rumours",
                "rumor", "rumors", "speculated", "speculation", "unconfirmed", "unverified",
                "unclear", "uncertain", "whether"}
# Sentence adverbs that hedge the whole clause wherever they stand (also after the object).
_HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "supposedly", "purportedly",
                  "reputedly", "rumoured", "rumored", "rumour", "rumours", "rumor", "rumors"}
_REPORT_BEFORE_TO = {"said", "thought", "believed", "reported", "understood", "presumed",
                     "suspected", "supposed", "reputed", "alleged", "claimed"}
_REPORT_BEFORE_THAT = {"said", "thought", "believed", "reported", "understood", "rumoured",
                       "rumored", "alleged", "claimed", "speculated", "suggested", "feared"}
_SEEM = {"seem", "seems", "seemed", "appear", "appears", "appeared"}
_CLAIM = {"claim", "claims", "claimed"}
_SUGGEST = {"suggest", "suggests", "suggested", "indicate", "indicates", "indicated"}
# "Some biologists suspect that the newt also feeds on eggs": a belief, not a finding.
_BELIEVE = {"suspect", "suspects", "suspected", "believe", "believes", "think", "thinks", "hypothesise",
            "hypothesises", "hypothesised", "hypothesize", "hypothesizes", "hypothesized", "speculate",
            "speculates", "suppose", "supposes", "presume", "presumes"}
_SOURCES = {"sources", "reports", "insiders", "rumours", "rumors", "studies", "evidence",
            "research", "data", "critics"}
_SOURCE_VERBS = {"say", "said", "says", "claim", "claims", "claimed", "suggest", "suggests",
                 "suggested", "indicate", "indicates", "indicated"}
_ACCORDING_TO = {"sources", "reports", "rumours", "rumors", "insiders", "unconfirmed",
                 "some", "speculation"}

_MODALS = {"will": HYPO, "would": HYPO, "shall": HYPO, "should": HYPO, "'ll": HYPO, "’ll": HYPO,
           "wo": HYPO, "may": HEDGE, "might": HEDGE, "could": HEDGE}
# "X would later join Y" narrates the past: a fact.
_NARRATIVE_AFTER_WOULD = {"later", "eventually", "subsequently", "ultimately", "go", "soon"}
_HYPO_BEFORE_TO = {"plan", "plans", "planned", "planning", "intend", "intends", "intended",
                   "intending", "hope", "hopes", "hoped", "hoping", "aim", "aims", "aimed",
                   "aiming", "expected", "expects", "expect", "scheduled", "slated", "poised",
                   "tipped", "want", "wants", "wanted", "wish", "wishes", "wished", "preparing",
                   "prepared", "set", "about", "going"}
_NEEDS_BE = {"set", "about", "going", "prepared"}  # "is set to", not "set to music"
_DEAL_NOUNS = {"merger", "acquisition", "takeover", "deal", "sale", "bid", "purchase",
               "partnership", "alliance", "buyout"}

# Words that start names and titles when capitalised at the start of a sentence
# ("Will Smith ...", "Never Let Me Go ...", "May 1979 ...").
_TITLE_PRONE = {"will", "would", "shall", "should", "may", "might", "could", "never", "no",
                "not", "nothing", "if", "unless", "without", "neither", "nor"}


# Every cue starts at one of these words (see _modal_hit, _neg_hit, _hedge_hit, _hypo_hit),
# alone or before a given next word. A sentence with none of them, and no "n't"/"'ll", has
# no cue: most sentences, answered without tokenising.
_CUE_ALONE = frozenset(
    set(_MODALS) | _NEG_WORDS | _HEDGE_WORDS | _HEDGE_ADVERBS
    | {"not", "never", "cannot", "no", "without", "nothing", "if", "unless", "negotiating", "considering",
       "proposed", "proposes", "propose", "proposal", "planned"})
_CUE_BEFORE: dict[str, frozenset[str]] = {}
for _words, _next in ((_NEG_BEFORE_TO | _REPORT_BEFORE_TO | _SEEM | _HYPO_BEFORE_TO | _CLAIM, {"to"}),
                      (_CLAIM | _SUGGEST | _BELIEVE, {"that"}), (_SOURCES, _SOURCE_VERBS), ({"instead"}, {"of"}),
                      ({"rather"}, {"than"}), ({"according"}, {"to"}),
                      ({"in", "under"}, {"talks", "negotiations", "negotiation"}),
                      *(({k}, {v}) for k, v in _NEG_PARTICLE.items())):
    for _w in _words:
        _CUE_BEFORE[_w] = _CUE_BEFORE.get(_w, frozenset()) | frozenset(_next)
_WORDS = re.compile(r"[^\W\d_]+")
_CONTRACTIONS = re.compile(r"n['’]t\b|['’]ll\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the contracts ask once per candidate; candidates share their sentence
def _may_have_cue(sentence: str) -> bool:
    if _CONTRACTIONS.search(sentence) is not None:
        return True
    words = _WORDS.findall(sentence.lower())
    if not _CUE_ALONE.isdisjoint(words):
        return True
    if "it" in words and not _REPORT_BEFORE_THAT.isdisjoint(words):
        return True  # "it is rumoured that"
    before = _CUE_BEFORE
    return any(w in before and nxt in before[w] for w, nxt in zip(words, words[1:]))


# --------------------------------------------------------------------------- cue matching

def _clause_initial(toks: list[_Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].text in _SENTENCE_OPENERS


def _hyphenated(sentence: str, tok: _Tok) -> bool:
    # "never-ending", "no-hitter", "would-be" are words of their own, not cues.
    return (tok.start > 0 and sentence[tok.start - 1] in "-‐") or \
           (tok.end < len(sentence) and sentence[tok.end] in "-‐")


def _looks_like_name(toks: list[_Tok], i: int, sentence: str) -> bool:
    """A capitalised cue word that is really part of a name, title or date."""
    t = toks[i]
    if not t.text[:1].isupper():
        return False
    if not _clause_initial(toks, i):
        return True  # "Theresa May", "Good Will Hunting", "in May 1979"
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if t.low in _MODALS:
        # A clause-initial modal is only a modal in a question: "Will Nolan direct ...?"
        return not sentence.rstrip().endswith("?") or (nxt is not None and nxt.text[:1].isdigit())
    if t.low in _TITLE_PRONE and nxt is not None and not nxt.mention and nxt.text[:1].isupper():
        return True  # "Never Let Me Go star ...", "No Country for Old Men ..."
    return False


def _modal_hit(toks: list[_Tok], i: int) -> _Hit | None:
    w, prev, nxt = toks[i].low, _low(toks, i - 1), _low(toks, i + 1)
    if w == "wo" and nxt not in ("n't", "n’t"):
        return None  # only "wo" of "won't"
    if w in ("will", "might") and prev in _POSSESSIVE:
        return None  # "in his will", "with all his might"
    if not _wordlike(nxt) and nxt not in ("n't", "n’t"):
        return None  # "may 1979", "the will." - a modal is followed by a word
    if w == "would" and nxt in _NARRATIVE_AFTER_WOULD:
        return None
    last = i
    code = _MODALS[w]
    if _low(toks, last + 1) in ("not", "n't", "n’t"):
        last += 1
        if w == "could":
            code = NEG  # "could not attend": did not happen
    if _low(toks, last + 1) == "have":
        last += 1
    return _Hit(code, i, last, "modal")


def _neg_hit(toks: list[_Tok], i: int) -> _Hit | None:
    w, prev, nxt, nxt2 = toks[i].low, _low(toks, i - 1), _low(toks, i + 1), _low(toks, i + 2)
    if w in ("not", "n't", "n’t"):
        if nxt in _NOT_FIXED or (nxt == "to" and nxt2 == "mention") or nxt in _DOUBLE_NEG:
            return None
        if prev == "if":
            return None  # "one of the best, if not the best"
        if w != "not" and nxt == "be" and nxt2 in _OVERSTATED:
            return None  # "can't be overstated"
        first = i - 1 if w != "not" and i > 0 and not toks[i - 1].mention else i
        return _Hit(NEG, first, i, "neg")
    if w == "never":
        return None if nxt in _DOUBLE_NEG else _Hit(NEG, i, i, "neg")
    if w == "cannot":
        return None if nxt == "be" and nxt2 in _OVERSTATED else _Hit(NEG, i, i, "neg")
    if w == "no":
        if not _wordlike(nxt) or nxt in _NO_FIXED:
            return None  # "No. 1", "No, ...", "no doubt"
        if (toks[i].text == "no" and 0 < i < len(toks) - 1 and toks[i - 1].text[:1].isupper()
                and toks[i + 1].text[:1].isupper()):
            return None  # a particle inside a name: "Mizu no Kotoba", "Tonari no Totoro"
        return _Hit(NEG, i, i + 1 if nxt == "longer" else i, "neg")
    if w == "without":
        return None if nxt in _WITHOUT_FIXED or prev == "not" else _Hit(NEG, i, i, "neg")
    if w == "nothing":
        return None if nxt in _NOTHING_FIXED else _Hit(NEG, i, i, "neg")
    if w in _NEG_WORDS:
        return _Hit(NEG, i, i, "neg")
    if w in _NEG_BEFORE_TO and nxt == "to":
        return _Hit(NEG, i, i + 1, "neg")
    if _NEG_PARTICLE.get(w) == nxt and nxt:
        return _Hit(NEG, i, i + 1, "neg")
    if (w, nxt) in (("instead", "of"), ("rather", "than")):
        return _Hit(NEG, i, i + 1, "contrast")
    return None


def _be_before(toks: list[_Tok], i: int) -> int | None:
    """Index of a form of "be" just before token ``i`` (one adverb may intervene)."""
    for j in (i - 1, i - 2):
        if _low(toks, j) in _BE and not _is_mention(toks, j):
            return j
    return None


def _hedge_hit(toks: list[_Tok], i: int) -> _Hit | None:
    w, prev, nxt, nxt2 = toks[i].low, _low(toks, i - 1), _low(toks, i + 1), _low(toks, i + 2)
    if w in _HEDGE_ADVERBS:
        return _Hit(HEDGE, i, i, "adverb")
    if w in _HEDGE_WORDS:
        return _Hit(HEDGE, i, i, "hedge")
    if w == "it":
        # "it is (widely) rumoured that", "it was reported that", parenthetical ", it is said,"
        j = i + 1
        if _low(toks, j) in _BE:
            j += 1
            if _low(toks, j) == "been":
                j += 1
            if _low(toks, j).endswith("ly"):
                j += 1
            if _low(toks, j) in _REPORT_BEFORE_THAT:
                if _low(toks, j + 1) == "that":
                    return _Hit(HEDGE, i, j + 1, "adverb")
                if _low(toks, j + 1) in (",", ".", ""):
                    return _Hit(HEDGE, i, j, "adverb")
        return None
    if w in _REPORT_BEFORE_TO and nxt == "to":
        be = _be_before(toks, i)
        if be is not None:
            return _Hit(HEDGE, be, i + 1, "hedge")  # "is said to", "was widely believed to"
        return _Hit(HEDGE, i, i + 1, "hedge") if prev == "," else None
    if w in _SEEM and nxt == "to":
        return _Hit(HEDGE, i, i + 1, "hedge")
    if w in _CLAIM and nxt in ("that", "to"):
        return _Hit(HEDGE, i, i, "hedge")
    if w in _SOURCES and nxt in _SOURCE_VERBS:
        return _Hit(HEDGE, i, i + 1, "adverb")  # "sources claim", "studies suggest"
    if (w in _SUGGEST or w in _BELIEVE) and nxt == "that":
        return _Hit(HEDGE, i, i, "hedge")
    if w == "according" and nxt == "to" and nxt2 in _ACCORDING_TO:
        return _Hit(HEDGE, i, i + 2, "adverb")
    return None


def _hypo_hit(toks: list[_Tok], i: int) -> _Hit | None:
    w, prev, nxt, nxt2 = toks[i].low, _low(toks, i - 1), _low(toks, i + 1), _low(toks, i + 2)
    if w in ("if", "unless"):
        if prev in ("as", "even") or nxt in ("not", "any", "ever", "anything"):
            return None  # "as if", "even if", "if not the best"
        return _Hit(HYPO, i, i, "cond")
    if w in _HYPO_BEFORE_TO and nxt == "to":
        if w in _NEEDS_BE and _be_before(toks, i) is None:
            return None
        if w == "going" and (_is_mention(toks, i + 2) or not nxt2.isalpha()):
            return None  # "is going to Paris"
        be = _be_before(toks, i)
        return _Hit(HYPO, be if be is not None else i, i + 1, "hypo")
    if w in ("in", "under") and nxt in ("talks", "negotiations", "negotiation"):
        return _Hit(HYPO, i, i + 1, "hypo")
    if w in ("negotiating", "considering"):
        return _Hit(HYPO, i, i, "hypo")
    if w in ("proposed", "proposes", "propose", "proposal", "planned"):
        # "the proposed merger", "proposed to buy", "proposed a merger" - but not
        # "Wegener proposed the theory of continental drift" (a fact).
        adjective = prev in _POSSESSIVE
        ahead = {_low(toks, j) for j in range(i + 1, i + 4) if not _is_mention(toks, j)}
        if adjective or (w != "planned" and (nxt in ("to", "that") or ahead & _DEAL_NOUNS)):
            return _Hit(HYPO, i, i, "hypo")
    return None


def _match(toks: list[_Tok], i: int, sentence: str) -> _Hit | None:
    """The cue that starts at token ``i`` (or whose head is token ``i``), if any."""
    t = toks[i]
    if t.mention or not (t.low[:1].isalpha() or t.low in ("n't", "n’t", "'ll", "’ll")):
        return None
    if _hyphenated(sentence, t) or _looks_like_name(toks, i, sentence):
        return None
    if t.low in _MODALS:
        return _modal_hit(toks, i)
    return _neg_hit(toks, i) or _hedge_hit(toks, i) or _hypo_hit(toks, i)


# --------------------------------------------------------------------------- clauses

def _sentence_end(toks: list[_Tok], i: int) -> bool:
    prev, nxt = _low(toks, i - 1), toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and nxt.text[:1].isupper() and prev not in _ABBREVIATIONS


def _subordinate_closers(toks: list[_Tok]) -> set[int]:
    """Commas that close a fronted subordinate clause ("Although X never ..., he ...")."""
    closers: set[int] = set()
    for i, t in enumerate(toks):
        w = t.low
        opener = i == 0 or toks[i - 1].text in _SENTENCE_OPENERS or toks[i - 1].low in (
            "but", "and", ";")
        # "Having never played ...,": a participle is followed by a lower-case word
        # ("King Charles, ..." is not a participle clause).
        participle = (len(w) > 5 and w.endswith("ing")
                      and w not in ("according", "nothing", "during")
                      and _low(toks, i + 1)[:1].isalpha() and not toks[i + 1].text[:1].isupper())
        if t.mention or not opener or not (w in _SUBORDINATORS or participle):
            continue
        for j in range(i + 1, len(toks)):
            if toks[j].text == ",":
                closers.add(j)
                break
            if toks[j].text in (";", ":", ".", "!", "?"):
                break
    return closers


class _Clauses:
    """Clause-boundary tests for one tokenised sentence."""

    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.closers = _subordinate_closers(toks)

    def boundary(self, i: int, stop: int | None = None) -> bool:
        """True when token ``i`` separates two clauses.

        ``stop`` is the mention that ends the region being cut: ", and" right before it
        is the tail of a list ("A, B, and Y"), not a new clause.
        """
        toks = self.toks
        t = toks[i]
        if t.mention:
            return False
        w, prev = t.low, _low(toks, i - 1)
        if w in (";", ":", "!", "?"):
            return True
        if w == ".":
            return _sentence_end(toks, i)
        if w == ",":
            return i in self.closers
        if w in ("although", "though", "whereas", "while", "whilst"):
            return True
        if w == "but":
            return prev not in ("nothing", "all", "anything")
        if w in ("however", "yet"):
            return prev in (",", ";")
        if w in ("and", "or") and prev == ",":
            if stop is not None and all(toks[j].low in _DETS for j in range(i + 1, stop)):
                return False
            return True
        return False


def _strip_asides(toks: list[_Tok], idxs: list[int], sentence: str) -> tuple[list[int], list[_Hit]]:
    """Drop "( ... )" and comma-enclosed asides from a region.

    An aside (", which was not a success,", ", never one to rush,", ", not Cameron,")
    does not carry the relation, so its cues do not govern it. A hedging parenthetical
    (", reportedly,", ", it is said,") does: its cue is returned.
    """
    keep = list(idxs)
    # parentheses
    while True:
        opens = [k for k, i in enumerate(keep) if toks[i].text == "("]
        closes = [k for k, i in enumerate(keep) if toks[i].text == ")"]
        pair = next(((o, c) for o in opens for c in closes if c > o), None)
        if pair is None:
            break
        del keep[pair[0]:pair[1] + 1]
    hits: list[_Hit] = []
    k = 0
    while True:
        commas = [j for j, i in enumerate(keep) if toks[i].text == ","]
        commas = [j for j in commas if j >= k]
        if len(commas) < 2:
            break
        c1, c2 = commas[0], commas[1]
        inner = keep[c1 + 1:c2]
        if inner:
            h = _match(toks, inner[0], sentence)
            if h is not None and h.kind == "adverb":
                hits.append(h)
        del keep[c1:c2]  # the aside and its opening comma; the closing comma may open the next
        k = c1
    return keep, hits


def _last_clause(clauses: _Clauses, idxs: list[int],
                 stop: int | None) -> tuple[list[int], int | None]:
    """The part of ``idxs`` after its last clause boundary, and that boundary's token index."""
    cut = max((k for k, i in enumerate(idxs) if clauses.boundary(i, stop)), default=None)
    return (idxs, None) if cut is None else (idxs[cut + 1:], idxs[cut])


def _hits_in(toks: list[_Tok], idxs: list[int], sentence: str,
             kinds: set[str] | None = None) -> list[_Hit]:
    """Cues that start inside region ``idxs`` (optionally only of the given kinds)."""
    inside = set(idxs)
    hits = []
    for i in idxs:
        h = _match(toks, i, sentence)
        if h is None or (kinds is not None and h.kind not in kinds):
            continue
        if h.first in inside or h.first == i - 1:  # "did" of "didn't" may sit outside
            hits.append(h)
    return hits


def _contrast_before(toks: list[_Tok], m: int, lo: int, sentence: str) -> _Hit | None:
    """A negator right before mention ``m`` ("..., not Alien", "not by Paulescu", "Neither X")."""
    j = m - 1
    while j >= lo and toks[j].low in _NP_GLUE and not toks[j].mention:
        j -= 1
    if j < lo or toks[j].mention:
        return None
    h = _match(toks, j, sentence)
    if h is None:
        return None
    if h.kind == "contrast":  # "instead of", "rather than": the glue skipped was its own "of"
        return h
    return h if h.last == j and toks[j].low in _NP_NEGATORS else None


def _clause_start(clauses: _Clauses, m: int, window: int = 15) -> int:
    i = m - 1
    while i >= 0 and m - i <= window and not clauses.boundary(i):
        i -= 1
    return i + 1


def _post(clauses: _Clauses, m: int, stop_at_comma: bool) -> list[int]:
    """Tokens after mention ``m`` up to the end of its clause (or a relative clause)."""
    toks, out = clauses.toks, []
    for j in range(m + 1, len(toks)):
        t = toks[j]
        if clauses.boundary(j) or t.low in _RELATIVE or (stop_at_comma and t.text == ","):
            break
        if t.text == "," and _low(toks, j + 1) in ("not", "but"):
            break
        out.append(j)
    return out


def _pre_hits(clauses: _Clauses, m: int, sentence: str, full: bool) -> list[_Hit]:
    """Cues before mention ``m`` back to its clause start.

    The text before the last comma is a fronted element ("Reportedly,", "Unable to find a
    studio,"): only sentence adverbs and conditionals there govern the clause. After it,
    hedges and hypotheticals govern; a negation only when ``full`` (the mention is the only
    one, so the relation itself stands here) or when it is licensed: a complement clause
    ("It is not true that X", "X denied that Y"), a negative subject ("No evidence links
    X"), or negative inversion ("Never did X").
    """
    toks = clauses.toks
    lo = _clause_start(clauses, m)
    idxs = [i for i in range(lo, m)]
    idxs, asides = _strip_asides(toks, idxs, sentence)
    commas = [k for k, i in enumerate(idxs) if toks[i].text == ","]
    fronted, direct = (idxs[:commas[-1]], idxs[commas[-1] + 1:]) if commas else ([], idxs)
    hits = list(asides)
    if fronted and toks[fronted[0]].low not in _SUBORDINATORS:
        hits += _hits_in(toks, fronted, sentence, {"adverb", "cond"})
    direct_hits = _hits_in(toks, direct, sentence)
    if full or not direct:
        return hits + direct_hits
    tail = [i for i in direct if toks[i].low not in _DETS]
    licensed = (
        (tail and toks[tail[-1]].low in _COMPLEMENTISER)
        or (toks[direct[0]].low in ("no", "neither", "nothing", "none", "nobody"))
        or (toks[direct[0]].low in ("never", "nor", "neither", "not", "rarely")
            and _low(toks, direct[0] + 1) in _AUX)
    )
    return hits + [h for h in direct_hits if h.code != NEG or licensed]


def _earliest(hits: list[_Hit]) -> _Hit | None:
    return min(hits, key=lambda h: h.first) if hits else None


def _pair(clauses: _Clauses, a: int, b: int, sentence: str) -> _Hit | None:
    toks = clauses.toks
    # 1. A negator attached to a mention negates that mention ("…, not Alien", "Neither X").
    for m, lo in ((a, _clause_start(clauses, a)), (b, a + 1)):
        h = _contrast_before(toks, m, lo, sentence)
        if h is not None:
            return h
    # 2. The governing clause: between the mentions, asides removed, last clause only.
    between, asides = _strip_asides(toks, list(range(a + 1, b)), sentence)
    clause, cut = _last_clause(clauses, between, b)
    hits = [h for h in asides if cut is None or h.first > cut]
    hits += [h for h in _hits_in(toks, clause, sentence) if h.kind != "contrast"]
    if cut is None:  # the earlier mention's clause is the relation's clause
        hits += _pre_hits(clauses, a, sentence, full=False)
    # "Federer and Nadal never played ...": nothing but a conjunction between the mentions.
    gap = [toks[i].low for i in range(a + 1, b)]
    coordination_only = bool(gap) and set(gap) <= {"and", "&", ",", "or", "both"} and (
        "and" in gap or "&" in gap or "or" in gap)
    if (clause and toks[clause[-1]].low in _RELATIVE) or coordination_only:
        # "Titanic, which Scott did not direct": the relation follows the later mention.
        hits += _hits_in(toks, _post(clauses, b, stop_at_comma=True), sentence)
    best = _earliest(hits)
    if best is not None:
        return best
    # 3. After the later mention only sentence adverbs and conditionals govern.
    return _earliest(_hits_in(toks, _post(clauses, b, stop_at_comma=False), sentence,
                              {"adverb", "cond"}))


def _single(clauses: _Clauses, m: int, sentence: str) -> _Hit | None:
    toks = clauses.toks
    h = _contrast_before(toks, m, _clause_start(clauses, m), sentence)
    if h is not None:
        return h
    hits = _pre_hits(clauses, m, sentence, full=True)
    hits += _hits_in(toks, _post(clauses, m, stop_at_comma=True), sentence)
    return _earliest([h for h in hits if h.kind != "contrast"])


def _whole(clauses: _Clauses, sentence: str) -> _Hit | None:
    toks = clauses.toks
    idxs, asides = _strip_asides(toks, list(range(len(toks))), sentence)
    return _earliest(asides + [h for h in _hits_in(toks, idxs, sentence) if h.kind != "contrast"])


# --------------------------------------------------------------------------- API

def modality_cue(sentence: str, subject_span: tuple[int, int] | None,
                 object_span: tuple[int, int] | None) -> Cue | None:
    """The negation, hedging or hypothetical cue governing a subject–object relation.

    Parameters
    ----------
    sentence : str
        The sentence the candidate triple was extracted from.
    subject_span, object_span : tuple[int, int] or None
        Character offsets of the subject and object mentions in ``sentence``. Either
        may be ``None`` (e.g. a pronoun resolved to an earlier sentence); a span that
        does not fit in ``sentence`` counts as ``None``. With one mention, its clause
        is examined; with none, the whole sentence.

    Returns
    -------
    Cue or None
        The governing cue (code, text as written, span in ``sentence``), or ``None``
        when the relation is asserted as a fact.

    Examples
    --------
    >>> s = "Ridley Scott never directed Titanic but directed Alien."
    >>> modality_cue(s, (0, 12), (28, 35))
    Cue(code='negated', text='never', span=(13, 18))
    >>> modality_cue(s, (0, 12), (49, 54)) is None
    True
    """
    if not _may_have_cue(sentence):
        return None
    n = len(sentence)
    spans = sorted({s for s in (_valid_span(subject_span, n), _valid_span(object_span, n)) if s})
    if len(spans) == 2 and spans[0][1] > spans[1][0]:
        spans = [(spans[0][0], max(spans[0][1], spans[1][1]))]  # overlapping mentions: one
    toks = _tokenise(sentence, spans)
    clauses = _Clauses(toks)
    mentions = [i for i, t in enumerate(toks) if t.mention]
    if len(mentions) == 2:
        hit = _pair(clauses, mentions[0], mentions[1], sentence)
    elif len(mentions) == 1:
        hit = _single(clauses, mentions[0], sentence)
    else:
        hit = _whole(clauses, sentence)
    if hit is None:
        return None
    start, end = toks[hit.first].start, toks[hit.last].end
    return Cue(hit.code, sentence[start:end], (start, end))
