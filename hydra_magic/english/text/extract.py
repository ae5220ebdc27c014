"""Text → triple candidates: sentence by sentence, triggers and the relation model, one class
per entity.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

from rdflib import XSD, URIRef

from ...candidates import IS_A, TextChunk, TripleCandidate
from ...iri import normalise_label
from ...kg import KnowledgeGraph
from ...ontology import Ontology, OntProperty
from ...sentences import split_sentences
from .compiled import _Compiled, _compiled, _match_triggers, _mentions, _Trigger
from .mentions import APPOSED_HEADS, _is_cap, _iso, _Mention
from .nouns import fronted_nouns, noun_objects
from .paraphrases import IMPLICIT_OBJECT, PARAPHRASES
from .reference import References, pronoun_after_group, pronoun_after_rival, subject_group
from .reported import ReportedCandidate, ambiguous_issue, ambiguous_name
from .relation_model import _bag_scores, _chosen_class, _lexicon_mentions, _mention_features, _score_mention
from .subjects import (
    _explicit_class,
    _list_extension,
    _local_subject,
    _name_at,
    _name_list_at,
    _object_after,
    _object_before,
    _of_owner,
    _possessed_subject,
    _of_subject,
    _set_off,
    _Rel,
    _sentence_subject,
)
from .tokens import _snake, _stem, _tokenize, _Tokens
from ..lexicon import COMMON_VERBS, PREPS
from ..morphology import singularise, verb_forms, verb_lemma
from .words import (ALIAS_CUES, AUXILIARIES, DATE_RXS, DETERMINERS, GENDERED_NOUNS,
                    MENTION_KINDS, NOT_FILLERS, PERSON_NOUNS, POSITION_NOUNS, PRONOUN_GENDER, SCALES)


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
    # the first sentence's subject (surface, absolute span): what the text is about
    topic: tuple[str, int, int] | None = None
    topic_alone: bool = False  # the topic is one entity, not a group ("A and B were born …")
    refs: References = field(default_factory=References)  # short names, pronouns
    # the previous sentence's subject (name, surface, absolute span): with the topic, what a clause
    # that names neither may be about ("The director is X", "X plays the lead")
    previous: tuple[str, str, int, int] | None = None


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
    state.refs.join_short_names(toks, mentions, base, state.topic[0] if state.topic and state.topic_alone else "")
    subject, refers_back, intro_end = _sentence_subject(toks, mentions)
    if refers_back and state.topic is None and last_subject is None:
        named = _bracketed_name(toks, mentions)
        if named is not None:  # "The amber newt (Triturus aurantius) is …" opening the text
            subject, refers_back = named, False
    back_ref: _Mention | None = None
    if refers_back or (subject is None and state.topic is not None and not _names_any(mentions)):
        # "Common side effects include nausea": a sentence that names nothing is about the topic
        back_ref = _back_reference(toks, comp, state, last_subject if refers_back else state.topic,
                                   intro_end, base)
        if back_ref is not None:
            subject = back_ref
    group = subject_group(toks, mentions, subject) if subject is not None and subject is not back_ref else []
    rels: list[_Rel] = []
    site = _Site(toks, mentions, subject, back_ref, intro_end, comp.class_words,
                 _ambiguous_pronoun(toks, mentions, subject, group, state.refs),
                 _possessed_subject(toks, mentions) if back_ref is not None or subject is not None else None,
                 _topic_mention(state, base), _owners(state, base), state.ontology)
    matches = _match_triggers(toks, comp)
    for k0, k1, trig in matches:
        kinds = comp.kinds.get(trig.prop, frozenset())
        if kinds:
            _read_trigger(site, k0, k1, trig, kinds, rels)
    _label_noun_relations(site, comp, rels)
    _role_noun_relations(site, comp, rels)
    if "pos" in toks.kinds:
        _named_owner_roles(site, comp, rels)
    _implicit_object_relations(site, comp, rels)
    if toks.low[0] == "other" and site.onto is not None:
        _other_members(site, comp, rels)
    if "supporting" in toks.low and rels:
        _supporting_roles(site, comp, rels)
    if subject is not None:
        _known_value_relations(mentions, subject, comp, rels)
        if comp.category_props:
            _category_relation(site, comp, rels, {k0 for k0, _, _ in matches})
    if len(comp.position_props) == 1:
        _position_relations(site, comp.position_props[0], rels)
    if subject is not None and subject is not back_ref and subject.j < len(toks.low) and toks.low[subject.j] == "(":
        _life_dates(site, comp, rels)
    if back_ref is not None and rels and toks.low[_first_word(toks, intro_end)] in ("it", "its"):
        _pronoun_to_fitting_topic(site, comp, rels)
    order = len(rels)
    if comp.model is not None and subject is not None:
        order = _model_relations(toks, mentions, subject, comp, rels, order)
    if subject is not None and subject is not back_ref and rels:
        _list_subject_relations(toks, mentions, subject, rels)
    rels = _resolve(rels)
    _remember_references(state, toks, mentions, subject, group, base)
    new_last: tuple[str, int, int] | None
    if subject is not None:
        new_last = (subject.text, base + subject.start, base + subject.end)
        if state.topic is None and subject is not back_ref:
            state.topic = new_last
            state.topic_alone = len(group) < 2
        state.previous = None if subject.ambiguous else (subject.name, *new_last)
    else:
        new_last = last_subject
    explicit = _explicit_class(toks, subject if subject is not back_ref else None, comp)
    _emit(rels, sentence, base, chunk_index, comp, state, explicit, subject, out_types, out_rels)
    return new_last


def _bracketed_name(toks: _Tokens, mentions: list[_Mention]) -> _Mention | None:
    """The name in brackets right after an opening "The <lower-case words>": "The amber newt (Triturus
    aurantius) is …" names its subject there; else ``None``."""
    low, n = toks.low, len(toks.low)
    if n < 5 or low[0] != "the":
        return None
    q = 1
    while q < min(n, 5) and toks.kinds[q] == "word" and toks.words[q].islower():
        q += 1
    if q == 1 or q >= n or toks.words[q] != "(":
        return None
    m = _name_at(mentions, q + 1)
    return m if m is not None and m.j < n and toks.words[m.j] == ")" else None


def _ambiguous_pronoun(toks: _Tokens, mentions: list[_Mention], subject: _Mention | None,
                       group: list[_Mention], refs: References) -> _Mention | None:
    """A "he"/"she" opening a later clause that may mean another than the subject, as a mention
    with the names it may mean; ``None`` if there is none."""
    q, names = pronoun_after_group(toks, group, refs)
    if q < 0 and subject is not None and len(group) < 2:
        q, names = pronoun_after_rival(toks, mentions, subject, refs)
    if q < 0:
        return None
    return _Mention(q, q + 1, toks.starts[q], toks.ends[q], toks.words[q], "name", candidates=names)


def _names_any(mentions: list[_Mention]) -> bool:
    return any(m.kind in ("name", "quoted") for m in mentions)


def _back_reference(toks: _Tokens, comp: _Compiled, state: _ChunkState,
                    last_subject: tuple[str, int, int] | None, intro_end: int, base: int) -> _Mention | None:
    """What a sentence that refers back ("She …", "The film …", "In 1895 she …") is about: an
    earlier mention (its span in an earlier sentence), ambiguous when a pronoun fits several."""
    antecedent = _antecedent(toks, comp, state, intro_end)
    k = _first_word(toks, intro_end)
    if antecedent is None and toks.low[k] == "the" and k + 1 < len(toks.low) and _own_doer(toks, comp, k + 1):
        return None
    antecedent = antecedent or _noun_reference(toks, state, intro_end)
    pronoun, q = "", 0
    by_noun = antecedent is not None
    if antecedent is None:
        antecedent = last_subject
        q = intro_end if intro_end and toks.low[intro_end] in PRONOUN_GENDER else 0
        while q < len(toks.low) - 1 and toks.kinds[q] == "punct":
            q += 1
        pronoun = toks.low[q] if toks.low[q] in PRONOUN_GENDER else ""
    if antecedent is None:
        return None
    surface, a, b = antecedent
    ref = state.refs.referent(pronoun, (surface, surface, a, b), by_noun)
    if (pronoun in ("it", "its") or (by_noun and not _names_people(toks, intro_end))) and not ref.ambiguous \
            and _is_person(state, ref.name):
        # "X, a composer, wrote the music. It won …": "it" is not the composer; nor is "The drama
        # stars …" about the director whose name opened the text
        return None
    if ref.ambiguous and pronoun:  # its own words, for the report (see .reported)
        ref.said = (toks.words[q], toks.starts[q], toks.ends[q])
    ref.start, ref.end = ref.start - base, ref.end - base
    return ref




def _names_people(toks: _Tokens, start: int) -> bool:
    """Whether the noun of a referring "the <noun>" (from ``start``, past punctuation) names people
    ("The chemist …", "The couple …" are; "The drama …", "The firm …" are not)."""
    k = start
    while k < len(toks.low) and toks.kinds[k] == "punct":
        k += 1
    noun = toks.low[k + 1] if k + 1 < len(toks.low) else ""
    return noun in PERSON_NOUNS or noun in GENDERED_NOUNS or noun in ("couple", "pair", "duo", "family")


def _is_person(state: _ChunkState, name: str) -> bool:
    """Whether the entity ``name`` is known to be a person: a gender, or a typing in this text
    to a class whose label's head names people ("Composer", "Person")."""
    if state.refs.gender_of(name) in ("m", "f") or name in state.refs.people:
        return True
    cls = state.types.get(_snake(name))
    if cls is None or cls not in state.ontology.classes:
        return False
    c = state.ontology.classes[cls]
    label = (c.label or c.name).split()
    return bool(label) and label[-1].lower() in PERSON_NOUNS


def _remember_references(state: _ChunkState, toks: _Tokens, mentions: list[_Mention], subject: _Mention | None,
                         group: list[_Mention], base: int) -> None:
    """The names of the sentence and its subject (a group, or the candidates of an ambiguous
    one): what a pronoun in the next sentence may refer to."""
    refs = state.refs
    if subject is None:
        return
    in_group = {id(m) for m in group} | {id(subject)}
    # other names a later "she"/"he" may mean; not another name of the subject ("born Maria X",
    # "known as X")
    refs.others = tuple((m.name, m.text, base + m.start, base + m.end) for m in mentions
                        if m.kind == "name" and not m.adjective and not m.ambiguous and id(m) not in in_group
                        and not (m.i > 0 and toks.low[m.i - 1] in ALIAS_CUES))
    if subject.ambiguous:
        refs.group = tuple(refs.seen.get(c, (c, subject.text, base + subject.start, base + subject.end))
                           for c in subject.candidates)
    else:
        refs.group = tuple((m.name, m.text, base + m.start, base + m.end) for m in group or [subject])


@dataclass(slots=True)
class _Site:
    """One sentence as the triggers read it: its tokens, mentions and subject."""

    toks: _Tokens
    mentions: list[_Mention]
    subject: _Mention | None
    back_ref: _Mention | None  # the subject when an earlier sentence's stands in
    intro_end: int
    class_words: frozenset[str] = frozenset()
    # a "he"/"she" opening a later clause that may mean several of a group subject: what the
    # triggers after it read is reported, never a fact ("X and Y designed A, and later she received B")
    ambiguous_pronoun: _Mention | None = None
    possessed: _Mention | None = None  # "Her daughter X …": X, the subject after X
    topic: _Mention | None = None  # the text's first subject ("Slovene is the official language": of it)
    # what a clause that names no owner may be about: the topic and the previous sentence's subject,
    # each with the classes known for it (see _implicit_owner)
    owners: tuple[tuple[_Mention, frozenset[URIRef]], ...] = ()
    onto: Ontology | None = None


def _read_trigger(site: _Site, k0: int, k1: int, trig: _Trigger, kinds: frozenset[str],
                  rels: list[_Rel]) -> None:
    """The relations one trigger match ``k0``..``k1`` states (appended to ``rels``, in order)."""
    if site.ambiguous_pronoun is not None and site.ambiguous_pronoun.i < k0:
        _ambiguous_trigger(site, site.ambiguous_pronoun, k0, k1, trig, kinds, rels)
        return
    if _attributive_or_former(site.toks, k0, trig) or _verb_label_as_noun(site, k0, trig):
        return
    site, k1 = _with_nouns(site, k1, trig, kinds)
    toks, mentions = site.toks, site.mentions
    if (k0 > 0 and k1 < len(toks.low) and len(trig.stems) == 1 and not trig.learned and site.onto is not None
            and toks.low[k0 - 1] in _COPULA_DETERMINERS | _ROLE_MODIFIERS and toks.low[k1] in ("is", "was")
            and _verb_label(site.onto.properties[trig.prop].label)):
        return  # "The head coach is X": the noun "coach", not the verb of "coaches" (see _role_noun_relations)
    subj = _trigger_subject(site, k0, trig)
    if (subj is not None and subj is site.subject and subj.i == 0 and site.possessed is None
            and subj.j < len(toks.kinds) and toks.kinds[subj.j] == "pos" and k0 > subj.j + 1
            and any(w in PERSON_NOUNS or w in GENDERED_NOUNS for w in toks.low[subj.j + 1:k0])):
        return  # "Lars Holm's wife was born in Bergen": the wife was, not Lars Holm
    if subj is not None and _reported_between(toks, subj.j, k0):
        return  # "X said the acquisition of Y …", "X said that Z acquired Y": X only said it
    whose = _whose_clause(toks, k0)
    if whose >= 0 and (subj is None or subj.i < whose):
        return  # "X, whose father was born in Bergen, …": the clause is about the father, not X
    if _relative_with_it(site, k0, k1, trig, kinds, rels):
        return  # "It was developed by Novartis, which markets it": Novartis markets the subject
    if _relative_of_another(site, k0, subj):
        return  # "X produces ostramycin, which was isolated by Y": the clause is about ostramycin
    if trig.inverse and _participle_after_other_name(site, k0, subj):
        return  # "Frost was remade as Ice, directed by Y": Y directed Ice, perhaps not Frost
    of_subject = (
        None if trig.learned or trig.slot != "after" else _of_subject(k1, toks, mentions)
    )
    if of_subject is not None:
        subj, k1 = of_subject, of_subject.j + 1  # past the copula
    elif not trig.learned and trig.slot == "after" and not trig.inverse and subj is not None:
        owner = _of_owner(k0, k1, subj, toks, mentions)
        verb = site.onto is not None and _verb_label(site.onto.properties[trig.prop].label)
        if owner is not None and (owner.kind if verb else subj.kind) in kinds:
            # "James Pain was the architect of Adare Manor": the owner is the subject; of a verb's
            # property the role noun names the doer: "X is the head coach of Y" -> (X, coaches, Y)
            score = 1.1 + 0.2 * len(trig.stems)
            rels.append(_Rel(trig.prop, subj, owner, score, len(rels)) if verb
                        else _Rel(trig.prop, owner, subj, score, len(rels)))
            return
    if _possessive_role(site, k0, trig, kinds, subj, rels):
        return
    if _fronted_relations(site, k0, trig, kinds, rels):
        return  # "…, which it sells in Oslo": the relative pronoun is the object, Oslo is not
    found = _trigger_object(site, k0, k1, trig, kinds, subj, of_subject)
    if found is None:
        if not _definite_object(site, k1, trig, subj, rels):
            _copula_subject_relations(site, k0, k1, trig, kinds, rels)
        return
    subj, obj, gap = found
    if gap > 0 and obj.i > 0 and toks.low[obj.i - 1] == "between" and trig.stems[-1] != "between":
        return  # "lies on the border between X and Y": X is no object of "lies on"
    if subj is None or obj.key == subj.key or (trig.paraphrase and gap > 1 and not _role_gap(site, k1, obj)):
        return  # a paraphrase is read only next to its object ("sold under the brand name X" is not "sold X")
    if trig.inverse and obj.kind not in ("name", "quoted"):
        return
    _add_relations(site, k0, trig, kinds, subj, obj, gap, rels)


_FORMER = frozenset("former previous onetime erstwhile ex outgoing".split())
# Verbs that report speech or belief: what follows them is said, not done, by their subject.
_SPEECH_VERBS = frozenset("said says told announced stated claimed added noted explained confirmed insisted "
                          "argued believes believed".split())


def _reported_between(toks: _Tokens, a: int, b: int) -> bool:
    """Whether a speech verb stands between the subject (ending at ``a``) and a trigger at ``b``."""
    return any(toks.low[q] in _SPEECH_VERBS for q in range(a, b))


def _attributive_or_former(toks: _Tokens, k0: int, trig: _Trigger) -> bool:
    """A trigger that states no relation of the clause: a participle used as an adjective after a
    determiner ("the winning goal" is no win) or a role of the past ("its former chief executive")."""
    if k0 == 0 or trig.learned:
        return False
    before = toks.low[k0 - 1]
    return before in _FORMER or (before in DETERMINERS and toks.low[k0].endswith("ing"))


def _verb_label_as_noun(site: _Site, k0: int, trig: _Trigger) -> bool:
    """The word of a verb label used as a noun after a determiner ("lies on the border between X and
    Y" states no "borders"); not a paraphrase's own noun ("the winner of")."""
    toks, onto = site.toks, site.onto
    if k0 == 0 or trig.learned or trig.paraphrase or onto is None or toks.low[k0 - 1] not in ("the", "a", "an"):
        return False
    label = onto.properties[trig.prop].label
    words = normalise_label(label).split() if label else []
    return bool(words) and _verb_label(label) and toks.stems[k0] == _stem(words[0])


def _ambiguous_trigger(site: _Site, pronoun: _Mention, k0: int, k1: int, trig: _Trigger, kinds: frozenset[str],
                       rels: list[_Rel]) -> None:
    """What a trigger after an ambiguous "he"/"she" states of it, the pronoun as its subject: a
    relation with an ambiguous end, reported by :func:`_emit` (``ambiguous_reference``), never a fact."""
    if trig.slot != "after" or trig.learned:
        return
    found = _trigger_object(site, k0, k1, trig, kinds, pronoun, None)
    if found is not None and found[0] is pronoun and found[1].kind in kinds:
        _add_relations(site, k0, trig, kinds, pronoun, found[1], found[2], rels)


_ROLE_DETERMINERS = frozenset("the a an its his her their".split())


def _role_gap(site: _Site, k1: int, obj: _Mention) -> bool:
    """Whether the words between a paraphrase and its object name only the object's role: a
    determiner, then words of a noun phrase and no preposition or verb ("bought the Portuguese
    sardine maker X", "married the French physicist X"); "sold under the brand name X" is not."""
    toks = site.toks
    if k1 < len(toks.low) and toks.low[k1] == "," and _set_off(toks, obj):
        k1 += 1  # "His wife, the sculptor X, …": the role set off with the name
    if obj.kind != "name" or obj.i - k1 < 2 or toks.low[k1] not in _ROLE_DETERMINERS:
        return False
    for q in range(k1 + 1, obj.i):
        w = toks.low[q]
        if toks.kinds[q] != "word" or w in NOT_FILLERS or w in PREPS or w in DETERMINERS:
            return False
        if toks.words[q][:1].isupper() and not any(m.adjective and m.i <= q < m.j for m in site.mentions):
            return False  # another name stands between ("the Bank of Italy's X")
        if w.endswith("ed") or w.endswith("ing"):
            return False
    return True


def _participle_after_other_name(site: _Site, k0: int, subj: _Mention | None) -> bool:
    """A participle after a comma that follows another name than the subject's ("X was remade as
    Ice, directed by Y"): which of the two it is about is not certain. Not after the subject
    itself, nor after an apposition set off from it ("X, the sequel to Ice, was directed by …"
    has no comma before the trigger)."""
    toks = site.toks
    if subj is None or k0 < 2 or toks.low[k0 - 1] != ",":
        return False
    before = next((m for m in site.mentions if m.j == k0 - 1 and m.kind in ("name", "quoted")), None)
    if before is None or before.adjective or before.key == subj.key or before.name == subj.name:
        return False
    if _located_class_noun(site, before.i):
        return False  # "a country in central Europe, bordered by …": the country is
    return not (before.i > 0 and toks.low[before.i - 1] == "by")  # "a film by X, produced by Y": the film


def _located_class_noun(site: _Site, k: int) -> bool:
    """The name at ``k`` only locates a class noun before it: "a country in (central) Europe"."""
    toks = site.toks
    q = k - 1
    while q > 0 and k - q <= 2 and toks.kinds[q] == "word" and toks.words[q].islower() and toks.low[q] != "in":
        q -= 1
    return q > 0 and toks.low[q] == "in" and toks.stems[q - 1] in site.class_words


def _relative_with_it(site: _Site, k0: int, k1: int, trig: _Trigger, kinds: frozenset[str],
                      rels: list[_Rel]) -> bool:
    """"<subject> … by Novartis, which markets it": the name before ", which" does what the trigger
    says to "it", the sentence's subject; whether that was read. An adverb may stand before the verb
    ("which still owns it")."""
    toks, subject = site.toks, site.back_ref or site.subject
    if trig.slot != "after" or trig.inverse or trig.learned or subject is None or "name" not in kinds:
        return False
    if k1 >= len(toks.low) or toks.low[k1] not in ("it", "them"):
        return False
    r = k0 - 1
    if r >= 0 and toks.low[r] in ("still", "also", "now", "later", "currently"):
        r -= 1
    if r < 2 or toks.low[r] not in ("which", "who") or toks.low[r - 1] != ",":
        return False
    owner = next((m for m in site.mentions if m.j == r - 1 and m.kind == "name" and not m.adjective), None)
    if owner is None or owner.key == subject.key or owner.name == subject.name:
        return False
    rels.append(_Rel(trig.prop, owner, subject, 1.0 + 0.2 * len(trig.stems), len(rels)))
    return True


def _relative_of_another(site: _Site, k0: int, subj: _Mention | None) -> bool:
    """A trigger in a relative clause (", which/who …") whose antecedent right before it is not
    the subject's mention: a lower-case noun ("ostramycin, which was isolated by …") or another
    phrase. The clause's own subject ("…, which Giannini founded") is left to the trigger."""
    toks = site.toks
    if subj is None:
        return False
    for r in range(k0 - 1, max(-1, k0 - 8), -1):
        w = toks.low[r]
        if w in (".", ";", "(", ")", ","):
            return False
        if w in ("which", "who") and r >= 2 and toks.low[r - 1] == ",":
            if (subj.i >= r or subj.j == r - 1 or toks.low[r + 1] in ("it", "he", "she", "they")
                    or (subj.j == r - 2 and toks.low[r - 2] in APPOSED_HEADS)):
                return False  # "…, which it sells": the clause has its own subject; "the Varna river, which"
            if any(m.i == r + 1 and m.kind == "name" for m in site.mentions):
                return False
            if subj is site.back_ref and _opening_description(toks, site.intro_end, r - 1):
                return False  # "The drug, which blocks X, …": the description is the subject's
            return not any(m.j == r - 1 and m.kind in ("name", "quoted", "value") for m in site.mentions)
    return False


def _opening_description(toks: _Tokens, start: int, end: int) -> bool:
    """Tokens ``start``..``end`` (exclusive) are the sentence's opening "the/this <lower-case noun(s)>"."""
    k = _first_word(toks, start)
    return toks.low[k] in ("the", "this") and 1 <= end - k - 1 <= 3 and all(
        toks.kinds[q] == "word" and toks.words[q].islower() for q in range(k + 1, end))


def _whose_clause(toks: _Tokens, k: int) -> int:
    """Where the "whose" opening the clause that holds token ``k`` stands ("X, whose coach Y won
    …"); -1 when ``k`` is in no such clause (a comma or the sentence start comes first)."""
    for q in range(k - 1, -1, -1):
        w = toks.low[q]
        if w == "whose":
            return q
        if w in (",", ";", "(", ")"):
            return -1
    return -1


def _definite_object(site: _Site, k1: int, trig: _Trigger, subj: _Mention | None, rels: list[_Rel]) -> bool:
    """"Nordfilm produced the film.": "the <class noun>" as the whole object refers to the one entity
    of the paragraph (topic or previous subject) that the property's range fits; whether that was read."""
    toks, onto = site.toks, site.onto
    n = len(toks.low)
    if (onto is None or subj is None or trig.slot != "after" or trig.inverse or trig.learned or k1 + 1 >= n
            or toks.low[k1] not in ("the", "this") or toks.stems[k1 + 1] not in site.class_words):
        return False
    if k1 + 2 < n and toks.low[k1 + 2] not in (".", ",", ";", "and", "in", "on", "at", "for", "with"):
        return False  # "the film's music", "the film rights": not the film itself
    prop = onto.properties.get(trig.prop)
    if prop is None or prop.kind != "object":
        return False
    known = [(m, c) for m, c in site.owners if c and any(onto.is_subclass(k, e) for k in c for e in prop.range)]
    if len(known) != 1 or known[0][0].name == subj.name:
        return False  # none or two fit: no guess
    rels.append(_Rel(trig.prop, subj, known[0][0], 1.0 + 0.2 * len(trig.stems), len(rels)))
    return True


def _possessive_role(site: _Site, k0: int, trig: _Trigger, kinds: frozenset[str], subj: _Mention | None,
                     rels: list[_Rel]) -> bool:
    """"X has served as its chief executive since 2010": X is the value of the property noun
    after "its"/"their", whose owner is the text's topic; whether that was read."""
    toks, topic = site.toks, site.topic
    if trig.slot != "after" or trig.inverse or trig.learned or k0 < 2 or toks.low[k0 - 1] not in ("its", "their"):
        return False
    if subj is None or topic is None or subj is not site.subject or subj.i < 0 or subj.j > k0:
        return False
    if subj.kind not in ("name", "quoted") or subj.kind not in kinds or subj.text == topic.text:
        return False
    if toks.low[k0 - 2] not in ("as", "is", "was", "became", "become", "remains", "remained"):
        return False
    rels.append(_Rel(trig.prop, topic, subj, (1.0 + 0.2 * len(trig.stems)) / 2.0, len(rels)))
    return True


def _owners(state: _ChunkState, base: int) -> tuple[tuple[_Mention, frozenset[URIRef]], ...]:
    """The topic and the previous sentence's subject (once each), as mentions of an earlier sentence,
    with the classes this text or the graph gives them."""
    out: list[tuple[_Mention, frozenset[URIRef]]] = []
    seen: set[str] = set()
    cands = []
    if state.topic is not None:
        surface, a, b = state.topic
        cands.append((state.refs.canonical.get(a, (surface, ()))[0] or surface, surface, a, b))
    if state.previous is not None:
        cands.append(state.previous)
    for name, surface, a, b in cands:
        key = _snake(name)
        if not key or key in seen:
            continue
        seen.add(key)
        known = {state.types[key]} if key in state.types else (
            set(state.kg.types_of(state.kg.entity_iri(key))) if state.kg_has_facts else set())
        m = _Mention(-1, 0, a - base, b - base, surface, "name", canonical=name if name != surface else "")
        out.append((m, frozenset(known)))
    return tuple(out)


def _implicit_owner(site: _Site, ends: Sequence[URIRef]) -> _Mention | None:
    """The one entity a clause that names none is about ("The director is X": of what?): among the
    paragraph's topic and the previous sentence's subject, those whose class fits ``ends`` (the end of
    the property the entity takes). One with a known class that fits wins over one with no known class;
    a known class that does not fit rules it out. Two that fit alike: an ambiguous mention with both as
    candidates -- no fact rests on a guess; what it would state is reported (:mod:`.reported`)."""
    onto = site.onto
    if onto is None:
        return None
    fitting = [m for m, known in site.owners if known and any(onto.is_subclass(k, e) for k in known for e in ends)]
    if not fitting:
        fitting = [m for m, known in site.owners if not known]
    if len(fitting) > 1:
        return replace(fitting[0], candidates=tuple(dict.fromkeys(m.name for m in fitting)))
    return fitting[0] if fitting else None


def _first_word(toks: _Tokens, k: int) -> int:
    """The first token from ``k`` that is no punctuation."""
    while k < len(toks.low) - 1 and toks.kinds[k] == "punct":
        k += 1
    return k


def _pronoun_to_fitting_topic(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """"It"/"its" read as the previous sentence's subject, where the property's end there fits the
    paragraph's topic by a known class and the previous subject by none ("X is a drug. The agency
    approved X. Its side effects include …": the drug's): the topic, as for an implicit owner."""
    onto, ref = site.onto, site.back_ref
    if onto is None or ref is None or len(site.owners) < 2:
        return
    (topic, topic_known), (prev, prev_known) = site.owners[0], site.owners[1]
    if _snake(ref.name) != _snake(prev.name):
        return
    for k, r in enumerate(rels):
        prop = comp.props.get(r.prop)
        if prop is None or ref not in (r.subj, r.obj):
            continue
        ends = prop.domain if r.subj is ref else prop.range
        if not ends or not any(onto.is_subclass(c, e) for c in topic_known for e in ends):
            continue
        if prev_known and any(onto.is_subclass(c, e) for c in prev_known for e in ends):
            continue
        rels[k] = replace(r, subj=topic) if r.subj is ref else replace(r, obj=topic)


def _topic_mention(state: _ChunkState, base: int) -> _Mention | None:
    """The text's topic (its first subject) as a mention of an earlier sentence."""
    if state.topic is None:
        return None
    surface, a, b = state.topic
    return _Mention(-1, 0, a - base, b - base, surface, "name")


_COPULA_DETERMINERS = frozenset("the a an its their his her".split())


def _copula_subject_relations(site: _Site, k0: int, k1: int, trig: _Trigger, kinds: frozenset[str],
                              rels: list[_Rel]) -> None:
    """The property noun after a copula that ends the sentence names the topic's value by the
    sentence's subject: "Slovene is the official language", "Both X and Y are official languages"
    -> (topic, officialLanguage, X), … Only names, only when the topic is another entity."""
    toks, subj, topic = site.toks, site.subject, site.topic
    if trig.slot != "after" or trig.inverse or trig.learned or subj is None or topic is None:
        return
    if subj.i < 0 or subj.kind != "name" or subj.kind not in kinds or subj.text == topic.text:
        return
    if any(toks.kinds[q] != "punct" for q in range(k1, len(toks.low))):
        return  # "… is the official language of Peru": the owner is named
    group = [subj, *_list_extension(subj, site.mentions, kinds, toks)]
    q = group[-1].j
    if q >= k0 or toks.low[q] not in ("is", "are", "was", "were"):
        return
    if not all(toks.low[r] in _COPULA_DETERMINERS for r in range(q + 1, k0)):
        return
    score = (1.0 + 0.2 * len(trig.stems)) / 2.0
    for m in group:
        rels.append(_Rel(trig.prop, topic, m, score, len(rels)))


def _fronted_relations(site: _Site, k0: int, trig: _Trigger, kinds: frozenset[str], rels: list[_Rel]) -> bool:
    """The objects of a trigger in a relative clause that stand before it: "It makes tinned fish
    and soups, which it sells abroad" -> (subject, sells, tinned fish), …; whether there were any."""
    if "noun" not in kinds or trig.slot != "after" or trig.inverse or trig.learned or site.subject is None:
        return False
    objs = fronted_nouns(site.toks, k0, site.mentions, site.class_words)
    score = (1.0 + 0.2 * len(trig.stems)) / 2.0
    for obj in objs:
        rels.append(_Rel(trig.prop, site.subject, obj, score, len(rels)))
    return bool(objs)


def _with_nouns(site: _Site, k1: int, trig: _Trigger, kinds: frozenset[str]) -> tuple[_Site, int]:
    """The sentence with the noun phrases a trigger of a common-noun property takes among its
    mentions (for this trigger alone), and where its object now starts: the linking words before
    them ("side effects such as nausea") are no gap."""
    if "noun" not in kinds or trig.slot != "after" or trig.inverse:
        return site, k1
    nouns = noun_objects(site.toks, k1, site.mentions, site.class_words)
    if not nouns:
        return site, k1
    return replace(site, mentions=sorted(site.mentions + nouns, key=lambda m: (m.i, -m.j))), nouns[0].i


def _trigger_subject(site: _Site, k0: int, trig: _Trigger) -> _Mention | None:
    """The subject of a trigger: a nearer one ("X's", a relative clause), the name after "Her
    daughter" ("Her daughter X also won Y": X won Y), else the sentence's."""
    subj = _local_subject(k0, site.toks, site.mentions, not trig.learned) or site.subject
    if site.possessed is not None and k0 >= site.possessed.j and subj is (site.back_ref or site.subject):
        return site.possessed
    return subj


def _add_relations(site: _Site, k0: int, trig: _Trigger, kinds: frozenset[str], subj: _Mention,
                   obj: _Mention, gap: int, rels: list[_Rel]) -> None:
    """The relation of a trigger's subject and object, and of the list that continues the object."""
    direct = _states_directly(site.toks, trig, subj, k0, gap)
    read = obj  # the mention after the trigger: a list continues from it
    if trig.inverse:
        subj, obj = obj, subj
    # the ontology's own words (labels) outrank learned phrases
    score = (1.0 + 0.2 * len(trig.stems) + (0.0 if trig.learned else -0.05 if trig.paraphrase else 0.1)
             ) / (1.0 + 0.5 * gap)
    if obj.props and trig.prop in obj.props:
        score += 0.5
    rels.append(_Rel(trig.prop, subj, obj, score, len(rels), direct))
    for extra in _list_extension(read, site.mentions, kinds, site.toks):
        if trig.inverse:
            # "founded by Bill Gates and Paul Allen": each listed name is a subject
            rels.append(_Rel(trig.prop, extra, obj, score * 0.95, len(rels)))
        else:
            rels.append(_Rel(trig.prop, subj, extra, score * 0.95, len(rels)))


def _states_directly(toks: _Tokens, trig: _Trigger, subj: _Mention, k0: int, gap: int) -> bool:
    """The ontology's own label right after its subject ("X was directed by Y")."""
    return (
        not trig.learned
        and trig.slot == "after"
        and gap == 0
        and subj.i >= 0
        and subj.j <= k0
        and all(toks.low[q] in AUXILIARIES for q in range(subj.j, k0))
    )


def _trigger_object(site: _Site, k0: int, k1: int, trig: _Trigger, kinds: frozenset[str],
                    subj: _Mention | None, of_subject: _Mention | None
                    ) -> tuple[_Mention | None, _Mention, int] | None:
    """``(subject, object, gap)`` of a trigger match, ``None`` when it has no object."""
    toks, mentions = site.toks, site.mentions
    if trig.slot == "after":
        obj, gap = _object_after(_past_colon_head(toks, k1), mentions, kinds, toks, subj)
        if obj is None and "name" not in kinds and not kinds.isdisjoint(("year", "date")):
            # "founded by Bill Gates and Paul Allen in 1975": the time follows the agent
            obj, gap = _object_after(_past_agent(toks, mentions, k1), mentions, kinds, toks, subj)
        if obj is None and "date" in kinds and "name" not in kinds:
            # "died of tuberculosis on 17 December 1830", "died at his home in Bath on 17 June 2024"
            obj, gap, owner = _date_past_phrases(toks, mentions, k0, k1)
            if owner is not None and obj is not None:
                return owner, obj, gap  # the verb's object, after its trigger
        if obj is None and trig.inverse and toks.low[k1 - 1] == "by":
            obj, gap = _team_leader(toks, mentions, k1), 0  # "by a team led by the chemist X": X, next to it
        if obj is None and k1 < len(toks.low) and toks.low[k1] == "and":
            # "The capital and largest city is Ljubljana": a noun joined to the label's, then the copula
            obj, gap = _object_after(_past_joined_noun(toks, k1), mentions, kinds, toks, subj)
        if obj is None and _counted_noun_before_comma(toks, k0, k1):
            # "She had two sons, Anders and Nils": the list set off after the counted noun
            obj, gap = _object_after(k1 + 1, mentions, kinds, toks, subj)
        if obj is None:
            return None
        if (
            subj is not None
            and subj is not site.back_ref
            and subj is not of_subject
            and subj.i >= k0
            and not (site.intro_end and k1 < site.intro_end)
        ):
            # the subject must stand before its trigger: "Directed by Y, X is …" has
            # no subject here
            subj = None
    else:
        obj, gap = _object_before(k0, mentions, kinds, toks, subj)
        if obj is None or (obj.i > 0 and toks.kinds[obj.i - 1] == "pos"):
            return None  # "the country's 310,000 inhabitants": another owner's
        if trig.subject_after:
            subj = next(
                (
                    m
                    for m in mentions
                    if m.i >= k1 and m.kind in ("name", "quoted") and not m.adjective
                ),
                None,
            )
    return subj, obj, gap


#: Words that end the phrases a date may stand after: another clause or item starts there.
_DATE_GAP_STOPS = frozenset("and or but which who whom that while when where after before until since".split())


def _date_past_phrases(toks: _Tokens, mentions: list[_Mention], k0: int, k: int
                       ) -> tuple[_Mention | None, int, _Mention | None]:
    """A full date after "on" that ends the prepositional phrases following a trigger ``k0``..``k``
    ("died of tuberculosis on …", "died at his home in Bath on …"), with the date's owner when it is
    the active verb's object ("The agency approved Corvaxin on …": Corvaxin's, not the agency's). No
    date when a comma, a verb or a conjunction stands first, or the verb's object is no name ("approved
    velmostat on …"). A full date only: it states its day, so it can only be the clause's."""
    low, n = toks.low, len(toks.low)
    owner = None
    if (k0 == 0 or low[k0 - 1] not in AUXILIARIES) and k < n and low[k] not in PREPS:
        owner = _name_at(mentions, k)
        if owner is None:
            return None, 0, None
    for q in range(owner.j if owner else k, min(n - 1, k + 10)):
        if low[q] == "on":
            date = next((m for m in mentions if m.i == q + 1 and m.kind == "date"), None)
            if date is not None:
                return date, q + 1 - k, owner
        if toks.kinds[q] == "punct" or low[q] in _DATE_GAP_STOPS or low[q] in AUXILIARIES or (
                low[q].endswith("ed") and not _is_cap(toks, q)):
            break
    return None, 0, None


#: Groups whose leader a text names as the doer ("discovered by a team led by X").
_TEAM_NOUNS = frozenset("team group consortium".split())


def _team_leader(toks: _Tokens, mentions: list[_Mention], k: int) -> _Mention | None:
    """The name after "led/headed by" in "a team (at X) led by (the chemist) Y" from ``k``: the group
    acted, its leader is who the text credits; ``None`` when the phrase is not there."""
    low, n = toks.low, len(toks.low)
    if k + 1 >= n or low[k] not in ("a", "the") or low[k + 1] not in _TEAM_NOUNS:
        return None
    for q in range(k + 2, min(n - 2, k + 12)):
        if low[q] in ("led", "headed") and low[q + 1] == "by":
            r = q + 2
            if r < n and low[r] in ("the", "a", "an"):
                r += 1
                while r < n and r - q < 6 and toks.kinds[r] == "word" and toks.words[r].islower():
                    r += 1
            return _name_at(mentions, r)
        if toks.kinds[q] == "punct" or low[q] in _DATE_GAP_STOPS:
            return None
    return None


def _past_joined_noun(toks: _Tokens, k: int) -> int:
    """The copula after "and" and lower-case words at ``k`` that end the sentence's opening noun phrase
    ("The capital and largest city is X": at "is"); ``k`` when the words do not end in a copula. Only
    right after "the"/"its" and the label: the phrase is the sentence's subject."""
    low, n = toks.low, len(toks.low)
    for q in range(k + 1, min(n, k + 5)):
        if low[q] in ("is", "was") or low[q] == ",":  # "Its capital and largest city, X, lies on …"
            return q if q > k + 1 and k >= 2 and low[0] in ("the", "its") else k
        if toks.kinds[q] != "word" or not toks.words[q].islower() or low[q] in NOT_FILLERS or low[q] in PREPS:
            return k
    return k


def _past_agent(toks: _Tokens, mentions: list[_Mention], k: int) -> int:
    """Where the time after an agent phrase at ``k`` starts: "by Bill Gates and Paul Allen in 1975"
    (names only, with their list, then a preposition of time) -> at 1975; ``k`` when no agent phrase
    and preposition stand there. The phrase names who acted, not what the value is."""
    if k >= len(toks.low) or toks.low[k] != "by":
        return k
    q = k + 1
    while q < len(toks.low) and (toks.low[q] in DETERMINERS or (toks.kinds[q] == "word" and toks.words[q].islower()
                                                                 and toks.low[q] not in NOT_FILLERS
                                                                 and toks.low[q] not in PREPS)):
        q += 1  # "by the engineer X", "by the brothers X and Y"
    names = _name_list_at(mentions, q, toks)
    if not names:
        return k
    last = names[-1]
    return last.j + 1 if last.j + 1 < len(toks.low) and toks.low[last.j] in ("in", "on") else k


# Other nouns for the noun of a property label ("composes music for": "the score").
_LABEL_NOUN_SYNONYMS = {"music": ("music", "score", "soundtrack"), "screenplay": ("screenplay", "script")}
# Other verbs for the verb of such a label, with its noun ("wrote the music" composed it).
_LABEL_VERB_SYNONYMS = {"compose": ("write",)}


@lru_cache(maxsize=4096)
def _label_verb_noun(label: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    """The active forms, participles and nouns of a label "<verb> <noun> <preposition>"
    ("composes music for": compose/composed/…, composed, music/score/soundtrack); else ``None``."""
    words = normalise_label(label).split()
    if len(words) != 3 or words[2] not in PREPS or words[0] in ("has", "have", "is", "was"):
        return None
    lemma = verb_lemma(words[0])
    forms = verb_forms(lemma)
    if forms[0] == words[1]:
        return None
    nouns = _LABEL_NOUN_SYNONYMS.get(words[1], (words[1],))
    every = [forms, *(verb_forms(v) for v in _LABEL_VERB_SYNONYMS.get(lemma, ()))]
    return (frozenset(f for fs in every for f in (fs[1], fs[2])), frozenset(fs[3] for fs in every),
            frozenset(nouns))


def _label_noun_relations(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """The text's topic is the object of a label whose noun a sentence names alone: "The music
    was composed by X and Y", "The score is by the composer X", "X composed the score", "X, a Swedish
    composer, wrote the music" -> (X, composesMusicFor, topic). Only for a label "<verb> <noun>
    <preposition>", only names; the topic only when it is the one entity of the property's range the
    clause may mean (:func:`_implicit_owner`)."""
    toks = site.toks
    if site.topic is None:
        return
    props, all_nouns = _label_noun_props(comp)
    low, n = toks.low, len(toks.low)
    if not props or all_nouns.isdisjoint(low):
        return
    q = site.intro_end
    while q < n and toks.kinds[q] == "punct":
        q += 1
    for prop, parts in props:
        kinds = comp.kinds.get(prop.iri, frozenset())
        active, participles, nouns = parts
        agents: list[_Mention] = []
        if q + 3 < n and low[q] in ("the", "its") and low[q + 1] in nouns and low[q + 2] in ("is", "was"):
            r = q + 3
            if low[r] in participles:
                r += 1
            if r < n and low[r] == "by":
                agents = _names_from(site, r + 1, kinds)
        subj = site.subject
        if not agents and subj is not None and subj is not site.back_ref and subj.kind == "name":
            r = subj.j
            if r < n and low[r] == ",":  # "X, a Swedish composer, wrote the music"
                r = next((t + 1 for t in range(r + 1, min(n, r + 10)) if low[t] == ","), n)
            if (r + 2 < n and low[r] in active and low[r + 1] in ("the", "its") and low[r + 2] in nouns
                    and all(toks.kinds[t] == "punct" for t in range(r + 3, n))):
                agents = [subj, *(m for m in subject_group(toks, site.mentions, subj) if m is not subj)]
        owner = _implicit_owner(site, prop.range) if agents else None
        if owner is None:
            continue
        for m in agents:
            if m.kind == "name" and _snake(m.name) != _snake(owner.name):
                rels.append(_Rel(prop.iri, m, owner, 0.6, len(rels)))


@lru_cache(maxsize=4096)
def _verb_label(label: str) -> bool:
    """Whether a property label opens with an inflected verb ("coaches", "directs", "born in"), so that a
    role noun of it names the doer ("the head coach of Y" coaches Y); not "capital", "has capital"."""
    words = normalise_label(label).split()
    if not words or words[0] in ("has", "have", "had", "is", "was", "are"):
        return False
    lemma = verb_lemma(words[0])
    # as the triggers read a label: a known verb, or a short label in "-s" ("coaches")
    return lemma != words[0] and (lemma in COMMON_VERBS or (words[0].endswith("s") and len(words) <= 2))


#: Modifiers a role noun may take and still name the role ("the head coach", "the main composer").
_ROLE_MODIFIERS = frozenset("head main chief principal lead current".split())


@lru_cache(maxsize=4096)
def _agent_nouns(label: str) -> frozenset[str]:
    """The nouns for who does what a verb label says: "directs" -> director, "founds" -> founder,
    "composes music for" -> composer, "coaches" -> coach, and those of its paraphrases' verbs
    ("manage+" for "coaches": manager); only nouns of :data:`.words.PERSON_NOUNS`. Empty for a label
    that is no verb ("has capital")."""
    words = normalise_label(label).split()
    if not words or words[0] in ("has", "have", "had", "is", "was", "are"):
        return frozenset()
    lemma = verb_lemma(words[0])
    lemmas = {lemma}
    keys = (" ".join([lemma, *words[1:]]), " ".join(words))
    for phrase in next((PARAPHRASES[k] for k in keys if k in PARAPHRASES), ()):
        first = phrase.lstrip("<").split()[0]
        if first.endswith("+") and " " not in phrase.strip():
            lemmas.add(first[:-1])  # "manage+": its passive names the subject, so its agent does too
    out: set[str] = set()
    for v in lemmas:
        out |= {v, v + "r" if v.endswith("e") else v + "er", v + "or", v + v[-1] + "er"}  # "coach", "director"
    return frozenset(out & PERSON_NOUNS)  # nouns known to name people only: no "sider" of "side effect"


def _named_owner_roles(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """A named owner's role noun set off by commas before names: "Acme's chief executive, Tom Lee, …",
    "Heat's director, Michael Mann, …". The noun is a property's label noun ("chief executive" of "has
    chief executive": the owner's property, (Acme, hasChiefExecutive, Tom Lee)) or its agent noun
    ("director" of "directs": (Michael Mann, directs, Heat)). Only "<name>'s [modifiers] <noun>,
    <names>" followed by a comma or the sentence's end."""
    toks, low, n = site.toks, site.toks.low, len(site.toks.low)
    for owner in site.mentions:
        r = owner.j + 1
        if owner.kind != "name" or owner.i < 0 or owner.j >= n or toks.kinds[owner.j] != "pos":
            continue
        while r < n and low[r] in _ROLE_MODIFIERS and r + 1 < n and toks.kinds[r + 1] == "word":
            r += 1
        comma = next((q for q in range(r + 1, min(n, r + 4)) if low[q] == ","), -1)
        if comma < 0 or any(toks.kinds[q] != "word" or not toks.words[q].islower() for q in range(r, comma)):
            continue
        names = _name_list_at(site.mentions, comma + 1, toks)
        if not names or (names[-1].j < n and toks.kinds[names[-1].j] != "punct"):
            continue
        role = " ".join(low[owner.j + 1:comma])
        for prop in comp.props.values():
            if prop.kind != "object" or "name" not in comp.kinds.get(prop.iri, frozenset()):
                continue
            if low[comma - 1] in _agent_nouns(prop.label) and comma - r == 1:
                rels += [_Rel(prop.iri, m, owner, 0.6, len(rels) + k) for k, m in enumerate(names)]
            elif _label_noun(prop.label) in (role, " ".join(low[r:comma])):
                rels += [_Rel(prop.iri, owner, m, 0.6, len(rels) + k) for k, m in enumerate(names)]


@lru_cache(maxsize=4096)
def _label_noun(label: str) -> str:
    """The noun phrase a label that is no verb names ("has chief executive" -> "chief executive"); ""."""
    words = normalise_label(label).split()
    if words[:1] and words[0] in ("has", "have", "had"):
        words = words[1:]
    return "" if not words or _verb_label(label) else " ".join(words)


def _role_noun_relations(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """A role noun that names the subject of a property, with the clause's owner left implicit: "The
    director is X", "The founder was X", "Its head coach is X", "Its founder, X, …" -> (X, prop, owner),
    the owner being the one entity of the property's range among the topic and the previous subject
    (:func:`_implicit_owner`). Only "the/its <role> is/was <names>" (a comma may follow) or "the/its
    <role>, <names>," opening the sentence; "The director of Y is X" names its owner and is left to the
    triggers."""
    toks, low, n = site.toks, site.toks.low, len(site.toks.low)
    q = site.intro_end
    while q < n and toks.kinds[q] == "punct":
        q += 1
    if q + 3 >= n or low[q] not in ("the", "its"):
        return
    r = q + 1
    while r < n and low[r] in _ROLE_MODIFIERS and r + 1 < n and toks.kinds[r + 1] == "word":
        r += 1
    if r + 2 >= n or low[r + 1] not in ("is", "was", ",") or low[r] not in PERSON_NOUNS:
        return
    names = _name_list_at(site.mentions, r + 2, toks)
    if not names:
        return
    end = names[-1].j
    if end < n and low[end] != "," and (toks.kinds[end] != "punct" or low[r + 1] == ","):
        return  # "The director is X of Y", "… is X's brother"; "Its founder, X, …" is set off
    for prop in comp.props.values():
        if prop.kind != "object" or low[r] not in _agent_nouns(prop.label) or "name" not in comp.kinds.get(
                prop.iri, frozenset()):
            continue
        owner = _implicit_owner(site, prop.range)
        if owner is None:
            continue
        for m in names:
            if _snake(m.name) != _snake(owner.name):
                rels.append(_Rel(prop.iri, m, owner, 0.6, len(rels)))


def _implicit_object_relations(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """A phrase that states a relation with its object left implicit (:data:`.paraphrases.IMPLICIT_OBJECT`):
    "X and Y play the leading roles", "X stars as a detective, alongside Y and Z" -> (X, starsIn, owner),
    the owner being the one entity of the property's range among the topic and the previous subject
    (:func:`_implicit_owner`). The subject is the sentence's own (a name or a list of names), right before
    the phrase; a phrase followed by "in <name>" names its object and is left to the triggers."""
    subj = site.subject
    toks, low, n = site.toks, site.toks.low, len(site.toks.low)
    if subj is None or subj is site.back_ref or subj.kind != "name" or subj.i < 0:
        return
    group = subject_group(toks, site.mentions, subj)
    k = group[-1].j
    if k >= n:
        return
    for prop in comp.props.values():
        if prop.kind != "object":
            continue
        for phrase in _implicit_phrases(prop.label):
            if tuple(low[k:k + len(phrase)]) != phrase:
                continue
            rest = k + len(phrase)
            if any(low[q] == "in" and any(m.i == q + 1 and m.kind in ("name", "quoted") for m in site.mentions)
                   for q in range(rest, n)):
                return  # "X stars as a detective in Heat": the object is named
            owner = _implicit_owner(site, prop.range)
            if owner is None:
                return
            members = list(group)
            along = next((q for q in range(rest, n) if low[q] == "alongside"), -1)
            if along > 0:
                members += _name_list_at(site.mentions, along + 1, toks)
            for m in members:
                if _snake(m.name) != _snake(owner.name):
                    rels.append(_Rel(prop.iri, m, owner, 0.6, len(rels)))
            return


def _other_members(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """"Other (large) cities include A, on the lake, and the town of B": in a paragraph about one
    country, A and B are more of its cities -- (A, prop, owner) for the one object property whose
    domain is the plural noun's class and whose range the topic's known class fits (the topic is the
    owner). The first name after "include" and the one after the last "and"."""
    toks, low, n, onto = site.toks, site.toks.low, len(site.toks.low), site.onto
    q = next((q for q in range(2, min(n, 5)) if low[q] in ("include", "includes", "included")), -1)
    if q < 0 or onto is None or not all(toks.words[r].islower() for r in range(1, q)):
        return
    cls = comp.class_labels.get((toks.stems[q - 1],))
    # the property of the class whose range a known class of the topic fits ("other": more of the topic's)
    topic = [(m, known) for m, known in site.owners[:1] if site.topic is not None and m.text == site.topic.text]
    props = [(p, m) for p in comp.props.values() if p.kind == "object" and cls is not None
             and any(onto.is_subclass(cls, d) for d in p.domain)
             for m, known in topic if any(onto.is_subclass(k, r) for k in known for r in p.range)]
    if len(props) != 1:
        return
    prop, owner = props[0]
    names = [m for m in site.mentions if m.kind == "name" and not m.adjective and m.i == q + 1]
    last_and = max((r for r in range(q + 2, n) if low[r] == "and"), default=-1)
    if names and last_and > names[0].j:
        r = last_and + 1
        if r < n and low[r] == "the":  # "and the spa town of B"
            t = r + 1
            while t < n and toks.words[t].islower() and low[t] != "of":
                t += 1
            r = t + 1 if t < n and low[t] == "of" else r
        names += [m for m in site.mentions if m.i == r and m.kind == "name" and not m.adjective]
    rels += [_Rel(prop.iri, m, owner, 0.6, len(rels) + i) for i, m in enumerate(names)]


#: What follows "with <names>" that casts them too: "with X and Y in supporting roles".
_SUPPORTING = (("in", "supporting", "roles"), ("in", "supporting", "role"), ("in", "a", "supporting", "role"))


def _supporting_roles(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """"X stars in F, with Y and Z in supporting roles": Y and Z are in F too -- for the property of
    the cast (the one with implicit-object phrases, :data:`.paraphrases.IMPLICIT_OBJECT`) that the
    sentence already read, with the same object."""
    toks, low, n = site.toks, site.toks.low, len(site.toks.low)
    read = [r for r in rels if _implicit_phrases(comp.props[r.prop].label)] if comp.props else []
    if not read:
        return
    for q in range(n - 1):
        if low[q] != "with":
            continue
        names = _name_list_at(site.mentions, q + 1, toks)
        if not names:
            continue
        end = names[-1].j
        if any(tuple(low[end:end + len(p)]) == p for p in _SUPPORTING):
            rels += [_Rel(read[0].prop, m, read[0].obj, 0.6, len(rels) + i) for i, m in enumerate(names)]
            return


@lru_cache(maxsize=4096)
def _implicit_phrases(label: str) -> tuple[tuple[str, ...], ...]:
    """The token sequences of the implicit-object phrases of a label, each verb in its forms."""
    words = normalise_label(label).split()
    if not words:
        return ()
    key = " ".join([verb_lemma(words[0]), *words[1:]])
    out: list[tuple[str, ...]] = []
    for phrase in IMPLICIT_OBJECT.get(key, ()):
        first, _, rest = phrase.partition(" ")
        forms = dict.fromkeys(verb_forms(first[:-1])) if first.endswith("*") else (first,)
        out += [tuple(f"{f} {rest}".split()) for f in forms]
    return tuple(out)


_LABEL_NOUN_PROPS: dict[int, tuple[_Compiled, list[tuple[OntProperty, tuple[frozenset[str], frozenset[str],
                                                                               frozenset[str]]]], frozenset[str]]] = {}


def _label_noun_props(comp: _Compiled) -> tuple[list[tuple[OntProperty, tuple[frozenset[str], frozenset[str],
                                                                                frozenset[str]]]], frozenset[str]]:
    """The object properties with a label "<verb> <noun> <preposition>" and all their nouns, once
    per compiled ontology (not per sentence)."""
    hit = _LABEL_NOUN_PROPS.get(id(comp))
    if hit is not None and hit[0] is comp:
        return hit[1], hit[2]
    props = [(p, parts) for p in comp.props.values() if p.kind == "object"
             for parts in (_label_verb_noun(p.label),) if parts is not None]
    nouns = frozenset(w for _, parts in props for w in parts[2])
    if len(_LABEL_NOUN_PROPS) > 64:
        _LABEL_NOUN_PROPS.clear()
    _LABEL_NOUN_PROPS[id(comp)] = (comp, props, nouns)
    return props, nouns


def _names_from(site: _Site, k: int, kinds: frozenset[str]) -> list[_Mention]:
    """The name at ``k`` (past role words: "the Tunisian composer X") and the list it opens."""
    first = next((m for m in site.mentions if m.i >= k and m.kind == "name" and not m.adjective), None)
    if first is None or first.kind not in kinds or (first.i > k and not _role_gap(site, k, first)):
        return []
    return [first, *_list_extension(first, site.mentions, kinds, site.toks)]


_COUNT_WORDS = frozenset("two three four five six seven eight nine ten several many some all both".split())


def _counted_noun_before_comma(toks: _Tokens, k0: int, k1: int) -> bool:
    """A one-word trigger that is a plural noun after a number ("two sons", "three children") and before a
    comma: the names after the comma are its members."""
    low = toks.low
    return (k1 == k0 + 1 and k0 > 0 and k1 + 1 < len(low) and low[k1] == "," and toks.words[k0].islower()
            and singularise(low[k0]) != low[k0] and (toks.kinds[k0 - 1] == "num" or low[k0 - 1] in _COUNT_WORDS)
            and toks.words[k1 + 1][:1].isupper())


def _past_colon_head(toks: _Tokens, k: int) -> int:
    """Where the list after a colon starts when a plural noun phrase that announces it follows a
    trigger ("passes through four capital cities: Vienna, …"), or after a comma when a number and a
    plural noun announce it ("borders four countries, Italy, …"); else ``k``. The phrase holds only
    a determiner or number and lower-case words, the last a plural ("cities")."""
    low, n = toks.low, len(toks.low)
    if (k + 3 < n and low[k + 2] == "," and (toks.kinds[k] == "num" or low[k] in _COUNT_WORDS)
            and toks.words[k + 1].islower() and singularise(low[k + 1]) != low[k + 1]
            and toks.words[k + 3][:1].isupper()):
        return k + 3  # "borders four countries, Italy, Austria …": the counted noun announces the list
    colon = next((q for q in range(k, min(n, k + 6)) if low[q] == ":"), -1)
    if colon < k + 2 or colon + 1 >= n or not low[colon - 1].endswith("s"):
        return k
    if toks.kinds[k] != "num" and low[k] not in DETERMINERS and low[k] not in _COUNT_WORDS:
        return k  # "capital cities: …" after "capital" is no trigger's object
    for q in range(k + 1, colon):
        w = low[q]
        if toks.kinds[q] != "word" or toks.words[q][:1].isupper() or w in NOT_FILLERS or w in PREPS:
            return k
    return colon + 1


def _position_relations(site: _Site, prop: URIRef, rels: list[_Rel]) -> None:
    """A playing position as a role noun right before a person's name ("the midfielder Ciarán Walsh",
    "Point guard Darius Webb") or in an apposition after it ("Salah, an Egyptian forward, …") ->
    (person, prop, position), ``prop`` being the one property whose range is a position class."""
    toks, low, n = site.toks, site.toks.low, len(site.toks.low)
    if POSITION_NOUNS.isdisjoint(low) and not any(" ".join(low[q:q + 2]) in POSITION_NOUNS for q in range(n - 1)):
        return
    for m in site.mentions:
        if m.kind != "name" or m.adjective or m.i < 0:
            continue
        pos = _position_before(toks, m.i)
        if pos is None and m.j + 2 < n and low[m.j] == "," and low[m.j + 1] in ("a", "an", "the"):
            pos = _position_apposed(toks, m.j + 2)
        if pos is not None:
            rels.append(_Rel(prop, m, _noun_mention(toks, *pos), 0.8, len(rels)))
    played = _position_played_as(toks)
    if played is not None and site.subject is not None and site.subject.kind == "name":
        rels.append(_Rel(prop, site.subject, _noun_mention(toks, *played), 0.8, len(rels)))


def _noun_mention(toks: _Tokens, a: int, b: int) -> _Mention:
    return _Mention(a, b, toks.starts[a], toks.ends[b - 1], toks.text[toks.starts[a]:toks.ends[b - 1]].lower(), "noun")


def _position_played_as(toks: _Tokens) -> tuple[int, int] | None:
    """The position after "plays/played as a/an" ("who plays as a centre-back for …"), as a token span."""
    low, n = toks.low, len(toks.low)
    for q in range(n - 3):
        if low[q] in ("play", "plays", "played", "playing") and low[q + 1] == "as" and low[q + 2] in ("a", "an"):
            for width in (2, 1):
                if q + 3 + width <= n and " ".join(low[q + 3:q + 3 + width]) in POSITION_NOUNS:
                    return q + 3, q + 3 + width
    return None


def _life_dates(site: _Site, comp: _Compiled, rels: list[_Rel]) -> None:
    """A life span in brackets after the subject: "X (12 May 1931 – 4 February 2008) was …" -> the
    birth and death dates, "X (born 12 May 1931) is …" -> the birth date; for the date properties
    whose labels name a birth and a death."""
    toks, subj = site.toks, site.subject
    if subj is None:
        return
    dates = {m.i: m for m in site.mentions if m.kind == "date"}
    q = subj.j + 1
    born = q < len(toks.low) and toks.low[q] == "born"
    first = dates.get(q + 1 if born else q)
    if first is None:
        return
    second = None
    if not born and first.j + 1 < len(toks.low) and toks.words[first.j] in ("–", "-", "—", "to"):
        second = dates.get(first.j + 1)
    end = (second or first).j
    if end >= len(toks.low) or toks.low[end] != ")" or (second is None and not born):
        return
    for ends, date in (("birth", first), ("death", second)):
        prop = next((p.iri for p in comp.props.values()
                     if p.kind == "data" and p.datatype == XSD.date and ends in p.label.split()), None)
        if date is not None and prop is not None:
            rels.append(_Rel(prop, subj, date, 1.0, len(rels)))


def _position_before(toks: _Tokens, k: int) -> tuple[int, int] | None:
    """The position noun that ends right before token ``k`` (one or two words), as a token span."""
    low = toks.low
    span = None
    if k >= 2 and f"{low[k - 2]} {low[k - 1]}" in POSITION_NOUNS:
        span = k - 2, k
    elif k >= 1 and low[k - 1] in POSITION_NOUNS and toks.kinds[k - 1] == "word":
        span = k - 1, k
    if span is None or _former_before(toks, span[0]):
        return None  # "the former goalkeeper Declan Moore" plays no longer
    return span


def _former_before(toks: _Tokens, k: int) -> bool:
    """A past-role word among the (up to three) modifiers before token ``k``, back to a determiner:
    "the former Scotland defender", "a retired Irish international goalkeeper"."""
    for q in range(k - 1, max(-1, k - 4), -1):
        w = toks.low[q]
        if w in _FORMER or w == "retired":
            return True
        if toks.kinds[q] != "word" or w in DETERMINERS:
            return False
    return False


def _position_apposed(toks: _Tokens, k: int) -> tuple[int, int] | None:
    """The position noun that ends an apposition from ``k`` ("an Egyptian forward,", "the England
    winger,"): up to three modifiers, then the noun, then a comma or the sentence end."""
    low, n = toks.low, len(toks.low)
    for q in range(k, min(n, k + 4)):
        for width in (2, 1):
            end = q + width
            if end <= n and " ".join(low[q:end]) in POSITION_NOUNS and (end == n or toks.kinds[end] == "punct"):
                return q, end
        if toks.kinds[q] != "word" or low[q] in _FORMER or low[q] == "retired":
            return None
    return None


def _category_relation(site: _Site, comp: _Compiled, rels: list[_Rel], trigger_starts: set[int]) -> None:
    """``X is a tyrosine kinase inhibitor``: a copula names the category of the one property whose
    range is a category class (``DrugClass``) that takes common nouns. A noun that opens another
    property's phrase is that relation, no category: "X is a treatment for psoriasis", "an antagonist
    of TNF"."""
    subject, toks = site.subject, site.toks
    if subject is None or subject.i < 0 or len(comp.category_props) != 1:
        return
    low, n = toks.low, len(toks.low)
    q = subject.j
    if q < n and low[q] == ",":  # "Imatinib, sold under the brand name Gleevec, is a …"
        q = next((r + 1 for r in range(q + 1, min(n, q + 12)) if low[r] == ","), n)
    if not (q + 1 < n and low[q] in ("is", "was") and low[q + 1] in ("a", "an")):
        return
    nouns = noun_objects(toks, q + 2, site.mentions, site.class_words, indefinite=True)
    if nouns and nouns[0].j - 1 not in trigger_starts:
        rels.append(_Rel(comp.category_props[0], subject, nouns[0], 0.9, len(rels)))


def _known_value_relations(mentions: list[_Mention], subject: _Mention, comp: _Compiled,
                           rels: list[_Rel]) -> None:
    """Known values that alone signal their property ("tenor" -> voice type)."""
    for m in mentions:
        if not m.props or m.key == subject.key:
            continue
        for p in sorted(m.props):
            kinds = comp.kinds.get(p, frozenset())
            if m.kind in kinds or (m.kind == "name" and "value" in kinds):
                rels.append(_Rel(p, subject, m, 0.6, len(rels)))


def _list_subject_relations(toks: _Tokens, mentions: list[_Mention], subject: _Mention,
                            rels: list[_Rel]) -> None:
    """``Al Pacino and Robert De Niro star in Heat``: a list as the subject."""
    first_trigger = min((r.obj.i for r in rels if r.subj is subject), default=len(toks.words))
    co = [
        m
        for m in _list_extension(subject, mentions, frozenset({"name", "quoted"}), toks)
        if m.j <= first_trigger
    ]
    for m in co:
        rels += [_Rel(r.prop, m, r.obj, r.score, r.order) for r in rels if r.subj is subject]


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
        best = _chosen_class(model, sc, allowed[m.kind])
        if best and local.key != m.key:
            rels.append(_Rel(model.classes[best], local, m, 0.5, order))  # type: ignore[arg-type]
            order += 1
    return order


#: Nouns that refer back to an entity of a class named otherwise ("The club won …" for a Team).
_CLASS_NOUN_SYNONYMS = {
    "club": ("team",), "side": ("team",), "squad": ("team",), "franchise": ("team",),
    "firm": ("company",), "group": ("company",), "business": ("company",), "maker": ("company",),
    "movie": ("film",), "picture": ("film",),
    "medicine": ("drug",), "medication": ("drug",), "compound": ("drug",),
    "nation": ("country",), "state": ("country",), "town": ("city",), "capital": ("city",),
    "player": ("person",), "scientist": ("person",),
}


def _antecedent(toks: _Tokens, comp: _Compiled, state: _ChunkState, start: int = 0) -> tuple[str, int, int] | None:
    """What "The film …" (from ``start``, past an opening clause) refers to: the latest subject
    typed as (a subclass of) ``film``."""
    k = start
    while k < len(toks.low) and toks.kinds[k] == "punct":
        k += 1
    if k + 1 >= len(toks.low) or toks.low[k] not in ("the", "this"):
        return None
    stem = toks.stems[k + 1]
    cls = comp.class_labels.get((stem,))
    if cls is None:
        return _synonym_antecedent(stem, comp, state)
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


def _synonym_antecedent(stem: str, comp: _Compiled, state: _ChunkState) -> tuple[str, int, int] | None:
    """What "The club …" refers to when its noun names a class by another word (Team): the previous
    sentence's subject, else the topic, if the class fits it -- not any entity of the class the text
    named last ("Liverpool beat Tottenham. The club is coached by …" is about Liverpool)."""
    cls = next((c for c in map(comp.class_labels.get, ((w,) for w in _CLASS_NOUN_SYNONYMS.get(stem, ()))) if c),
               None)
    if cls is None:
        return None
    cands = [state.previous[1:]] if state.previous is not None else []
    if state.topic is not None:
        cands.append(state.topic)
    for surface, a, b in cands:
        name = _snake(state.refs.canonical.get(a, (surface, ()))[0] or surface)
        t = state.types.get(name)
        known = {t} if t is not None else (
            set(state.kg.types_of(state.kg.entity_iri(name))) if state.kg_has_facts else set())
        if any(state.ontology.is_subclass(x, cls) for x in known):
            return surface, a, b
    return None


def _noun_reference(toks: _Tokens, state: _ChunkState, start: int = 0) -> tuple[str, int, int] | None:
    """What "The club …", "The highest mountain is …" (from ``start``) refer to when the noun names
    no class: the text's topic (its first subject), not whatever the previous sentence was about."""
    k = start
    while k < len(toks.low) and toks.kinds[k] == "punct":
        k += 1
    if k + 1 < len(toks.low) and toks.low[k] == "the" and toks.kinds[k + 1] == "word":
        return state.topic
    return None


def _own_doer(toks: _Tokens, comp: _Compiled, k: int) -> bool:
    """"The score, composed by X, won the award": a noun that is no property's word and does what
    the verb after it says is the doer itself, not the topic's part ("The capital is …", "The
    founder was …" and "The film stars …" stay the topic's)."""
    if toks.stems[k] in comp.triggers or toks.stems[k] in comp.class_words or toks.low[k] in APPOSED_HEADS or (
            toks.stems[k] in _CLASS_NOUN_SYNONYMS):
        return False  # "The club won …" is the club's (a class noun or one of its other words)
    q = k + 1
    if q < len(toks.low) and toks.low[q] == ",":  # past an apposition or a participle clause
        q = next((r + 1 for r in range(q + 1, len(toks.low)) if toks.low[r] == ","), len(toks.low))
    return q < len(toks.low) and toks.low[q] in _DOER_VERBS


#: Verbs whose subject does something itself (a noun before them is no property of the topic).
_DOER_VERBS = frozenset("won wins received receives earned earns became topped reached sold".split())


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
    needs, surface, prepared, unfit = _prepare(rels, comp)
    _emit_ambiguous([r for r in rels if r.subj.ambiguous or r.obj.ambiguous], sentence, base, chunk_index, comp,
                    out_rels)
    subj_name = _snake(subject.name) if subject is not None and not subject.ambiguous else ""
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
    _emit_types(chosen, used, surface, explicit, subj_name, sentence, base, chunk_index, state, out_types)
    _remember(kept, explicit, subject, subj_name, base, state)
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


def _emit_ambiguous(rels: list[_Rel], sentence: str, base: int, chunk_index: int, comp: _Compiled,
                    out_rels: list[TripleCandidate]) -> None:
    """The relations with an ambiguous end ("she" after two women, "Curie" after Marie and Pierre
    Curie, an implicit owner two entities fit), each once, as reported candidates: the user sees what
    was not guessed (``ambiguous_reference``); no typing, so it never becomes a fact."""
    seen: set[tuple[str, str, str]] = set()
    for r in rels:
        prop = comp.props[r.prop]
        s_name = ambiguous_name(r.subj) if r.subj.ambiguous else _snake(r.subj.name)
        if prop.kind == "object":
            o_name = ambiguous_name(r.obj) if r.obj.ambiguous else _snake(r.obj.name)
        else:
            o_name = _literal_value(r.obj, prop) or r.obj.text
        if not s_name or not o_name or s_name == o_name or (s_name, prop.name, o_name) in seen:
            continue
        seen.add((s_name, prop.name, o_name))
        role, m = ("subject", r.subj) if r.subj.ambiguous else ("object", r.obj)
        (s_text, s_span), (o_text, o_span) = _said(r.subj, base), _said(r.obj, base)
        out_rels.append(ReportedCandidate(
            subject=s_name, predicate=prop.name, object=o_name, subject_text=s_text, object_text=o_text,
            sentence=sentence, subject_span=s_span, object_span=o_span, chunk=chunk_index,
            issue=ambiguous_issue(m, role, sentence)))


def _said(m: _Mention, base: int) -> tuple[str, tuple[int, int]]:
    """The words a mention stands on in the text and their absolute span (an ambiguous pronoun's own)."""
    if m.said is not None:
        return m.said[0], (base + m.said[1], base + m.said[2])
    return m.text, (base + m.start, base + m.end)


def _emit_types(chosen: dict[str, tuple[URIRef | None, bool]], used: set[str], surface: dict[str, _Mention],
                explicit: URIRef | None, subj_name: str, sentence: str, base: int, chunk_index: int,
                state: _ChunkState, out_types: list[TripleCandidate]) -> None:
    """An ``isA`` for each entity used whose class is new to it."""
    onto = state.ontology
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


def _remember(kept: list[Prepared], explicit: URIRef | None, subject: _Mention | None, subj_name: str,
              base: int, state: _ChunkState) -> None:
    """The entities of the sentence, in reading order: what "The film" may refer to next."""
    mentioned = [(r.subj.start, s_name, r.subj) for r, _, s_name, _ in kept] + [
        (r.obj.start, o_name, r.obj) for r, prop, _, o_name in kept if prop.kind == "object"
    ]
    if explicit is not None and subject is not None and subj_name:
        mentioned.append((subject.start, subj_name, subject))
    for _, name, m in sorted(mentioned, key=lambda x: x[0]):
        state.recent.append((name, m.text, base + m.start, base + m.end))


Prepared = tuple[_Rel, OntProperty, str, str]  # relation, property, subject name, object name or value


def _prepare(rels: list[_Rel], comp: _Compiled) -> tuple[
    dict[str, list[tuple[tuple[URIRef, ...], float]]], dict[str, _Mention], list[Prepared], list[Prepared]
]:
    """Names and values of the relations; what each entity's class must meet; the values not in
    their datatype's form."""
    # constraints: entity name -> list of (acceptable classes, weight)
    needs: dict[str, list[tuple[tuple[URIRef, ...], float]]] = defaultdict(list)
    surface: dict[str, _Mention] = {}
    prepared: list[Prepared] = []
    unfit: list[tuple[_Rel, OntProperty, str, str]] = []  # values not in the datatype's form
    for r in rels:
        if r.subj.ambiguous or r.obj.ambiguous:
            continue  # "Curie" after Marie and Pierre Curie: no fact rests on a guess
        prop = comp.props[r.prop]
        s_name = _snake(r.subj.name)
        if not s_name:
            continue
        if prop.kind == "object":
            o_name = _snake(r.obj.name)
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
    return needs, surface, prepared, unfit


def _literal_value(m: _Mention, prop: OntProperty) -> str | None:
    """The literal for a data property in its datatype's lexical form, or ``None`` if it has none.

    "25 May 1979" is ``1979-05-25`` for ``xsd:date``; "1,200.5" is ``1200.5`` for
    ``xsd:float``. The candidate's ``object_text`` and span keep the text's form.
    """
    from ...contracts.values import check_literal

    value = m.text
    dt = prop.datatype
    if dt in (XSD.date, XSD.dateTime) and m.kind == "date":
        for n, rx in enumerate(DATE_RXS[:3]):
            mm = rx.fullmatch(value)
            if mm:
                value = _iso(mm, n)
                break
    elif dt in (XSD.float, XSD.double, XSD.decimal) and m.kind in ("number", "year"):
        value = value.replace(",", "")
    if m.kind == "number" and value.split()[-1].lower() in SCALES:
        value = _scaled(value)
    return value if check_literal(value, dt) is None else None


def _scaled(text: str) -> str:
    """``1.7 million`` -> ``1700000``; the text as written when it does not parse."""
    number, _, scale = text.rpartition(" ")
    try:
        value = Decimal(number.replace(",", "")) * SCALES[scale.lower()]
    except (InvalidOperation, KeyError):
        return text
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())


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
    if explicit is not None and explicit in onto.classes and _propose_stated(name, iri, explicit, onto, kg, state):
        return explicit, True
    return _class_meeting(reqs, known, explicit, onto)


def _propose_stated(name: str, iri: URIRef | None, explicit: URIRef, onto: Ontology, kg: KnowledgeGraph,
                    state: _ChunkState) -> bool:
    """The text states a type. Unless a stated type already says as much, propose it:
    a type known only by inference is not evidence, and a contradiction with one
    must reach the contracts (type_conflict) rather than be resolved here."""
    stated = (set(kg.stated_types_of(iri)) if iri is not None else set()) | state.stated.get(name, set())
    stated = {k for k in stated if k in onto.classes}
    return not any(onto.is_subclass(k, explicit) for k in stated) and all(
        onto.is_subclass(explicit, k) or onto.is_subclass(k, explicit) for k in stated
    )


def _class_meeting(reqs: list[tuple[tuple[URIRef, ...], float]], known: set[URIRef], explicit: URIRef | None,
                   onto: Ontology) -> tuple[URIRef | None, bool]:
    """The class that best meets the requirements, known types first (and whether it is new)."""

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
