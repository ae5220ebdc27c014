"""Set-based indexes over the KG's facts, kept in step with the session incrementally.

The index holds each distinct triple once (a fact stated by two sources is one
triple with the evidence of the first), as ``pso[predicate][subject][object] ->
slot`` (``facts[slot]`` gives the evidence of an issue), plus
``pos[predicate][object] -> {subject: None}`` for the predicates whose objects
are checked. rdf:type triples are ``pso[rdf:type]``, i.e. :attr:`FactIndex.types`.
Terms are plain-string ids (:mod:`.terms`), so every lookup hashes and compares
in C, and the nested dicts hold only strings, ints and None: CPython does not
track such dicts for garbage collection, so a million-triple index adds no work
to the collector's full passes.

:meth:`FactIndex.sync` brings it up to date from the session history (the
changes committed or undone since the last run); when those do not account for
the KG it falls back to a diff of the triples.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from ..contracts.type_evidence import TYPE_INFERRED
from ..kg import Fact, KnowledgeGraph
from .terms import _FAST, LIT, tid

if TYPE_CHECKING:
    from ..session_state import SessionState

__all__ = ["EMPTY", "FactIndex", "Key", "key_of"]

#: A triple as term ids (see :mod:`.terms`).
Key = tuple[str, str, str]
EMPTY: frozenset[Any] = frozenset()
#: The empty level of any of the nested index dicts (never written to).
_NO_TYPES: dict[str, Any] = {}
_TYPE = str(RDF.type)
_UNSET: Any = object()


def _parts(facts: Iterable[Fact]) -> list[Iterable[Fact]]:
    """``facts`` as a few plain iterables: a KnowledgeGraph's per-source dicts, read directly
    (same order as iterating it, without its generator), else ``facts`` itself."""
    if type(facts).__iter__ is KnowledgeGraph.__iter__:
        return [b.values() for b in facts._facts.values()]  # type: ignore[attr-defined]
    light = getattr(facts, "index_facts", None)  # a graph in a store: what the index needs, not every field
    if callable(light):
        return [light()]
    return [facts]


def key_of(f: Fact) -> Key:
    """The id triple of a fact."""
    return (tid(f.subject), tid(f.predicate), tid(f.object))


class FactIndex:
    """Triples of the KG as nested dicts (see module docstring).

    Besides the triples it tracks which sources state each one (the fact in
    ``pso`` is the first; ``multi`` lists all of them for the few triples stated
    by several sources), so that replaying the session history keeps an exact
    count of (source, triple) pairs: when that count differs from ``len(kg)``,
    the KG was edited outside the history and the index is re-diffed.

    Parameters
    ----------
    reverse
        Predicate ids to index by object as well (object properties, inverse-functional ones).
    """

    def __init__(self, reverse: frozenset[str] = frozenset()) -> None:
        self.reverse = reverse
        self.pso: dict[str, dict[str, dict[str, int]]] = {}
        self.pos: dict[str, dict[str, dict[str, None]]] = {}
        #: slot -> fact (None once removed)
        self.slots: list[Fact | None] = []
        #: triple -> source -> fact, only for triples stated by more than one source
        self.multi: dict[Key, dict[str, Fact]] = {}
        #: number of distinct triples
        self.count = 0
        #: number of (source, triple) pairs, what len(kg) counts
        self.pairs = 0
        #: History entries (by identity) this index reflects.
        self.history: list[Any] = []
        #: The KG's revision at the last sync, when the KG keeps a change log (see :meth:`_kg_log`).
        self.kg_revision: int | None = None
        #: (entity, class) of the type triples some flagged fact states: a superset of the inferred ones,
        #: kept while indexing so that finding those costs nothing when no type was inferred.
        self.flagged_types: set[tuple[str, str]] = set()
        #: Gives a fact with all its evidence, for facts indexed without their sentence (a graph in a store).
        self.full_facts: Callable[[list[Fact]], list[Fact]] | None = None
        #: Evidence records (and their facts) still without their sentence: see :meth:`fill_evidence`.
        self.unread: list[tuple[dict[str, str], Fact]] = []
        #: Gives the sentences of facts indexed without them (one read each), when the graph can.
        self.sentences: Callable[[list[Fact]], list[str]] | None = None

    @classmethod
    def build(cls, facts: Iterable[Fact], reverse: frozenset[str] = frozenset()) -> FactIndex:
        idx = cls(reverse)
        idx.full_facts = getattr(facts, "full_facts", None)
        idx.sentences = getattr(facts, "sentences", None)
        pso, pos, slots = idx.pso, idx.pos, idx.slots
        append = slots.append
        pairs = count = 0
        fast = _FAST
        join = LIT.join
        # Runs of facts share their subject (often the same term object) and predicate: their ids,
        # predicate dicts and reverse flag carry over instead of being recomputed and looked up.
        last_sr: Any = _UNSET
        last_pr: Any = _UNSET
        s = p = ""
        d: Any = None
        r: Any = None
        rev = typ = False
        flagged = idx.flagged_types
        # One pass, everything inlined: this loop is the floor of a full check.
        for part in _parts(facts):
            for f in part:
                pairs += 1
                sr, pr, ob = f.subject, f.predicate, f.object
                if sr is not last_sr:
                    last_sr = sr
                    s = str(sr) if type(sr) is URIRef else tid(sr)
                if pr is not last_pr:
                    last_pr = pr
                    pn = str(pr)
                    if pn != p or d is None:
                        p = pn
                        d = pso.get(p)
                        if d is None:
                            d = pso[p] = {}
                        rev = p in reverse
                        typ = p == _TYPE
                        if rev:
                            r = pos.get(p)
                            if r is None:
                                r = pos[p] = {}
                to = type(ob)
                if to is URIRef:
                    o = str(ob)
                elif to is Literal and fast:
                    # One join (to a plain str) instead of five concatenations: the id of terms.tid.
                    # (``to is Literal`` does not narrow ``ob`` for mypy; Literal keeps these slots.)
                    o = join(("", ob, ob._datatype or "", ob._language or ""))  # type: ignore[attr-defined, arg-type]
                else:
                    o = tid(ob)
                objs = d.get(s)
                if objs is None:
                    d[s] = {o: count}
                else:
                    have = objs.get(o)
                    if have is not None:
                        idx._another_source((s, p, o), slots[have], f)
                        continue
                    objs[o] = count
                append(f)
                count += 1
                if typ and f.evidence.flags:
                    flagged.add((s, o))
                if rev:
                    subs = r.get(o)
                    if subs is None:
                        r[o] = {s: None}
                    else:
                        subs[s] = None
        idx.pairs, idx.count = pairs, count
        return idx

    def _another_source(self, key: Key, have: Fact, f: Fact) -> bool:
        """Record that ``f.source`` also states ``key``; False if that pair was already known."""
        if f.evidence.flags and key[1] == _TYPE:
            self.flagged_types.add((key[0], key[2]))
        m = self.multi.get(key)
        if m is None:
            if have.source == f.source:
                return False
            self.multi[key] = {have.source: have, f.source: f}
            return True
        if f.source in m:
            return False
        m[f.source] = f
        return True

    # ---------------------------------------------------------------- reading
    @property
    def types(self) -> dict[str, dict[str, int]]:
        """entity -> its classes (the rdf:type triples)."""
        return self.pso.get(_TYPE, _NO_TYPES)

    def __len__(self) -> int:
        return self.count

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def get(self, key: Key) -> Fact | None:
        s, p, o = key
        d = self.pso.get(p)
        if d is None:
            return None
        objs = d.get(s)
        if objs is None:
            return None
        i = objs.get(o)
        return self.slots[i] if i is not None else None

    def triples(self) -> Iterator[Key]:
        for p, d in self.pso.items():
            for s, objs in d.items():
                for o in objs:
                    yield (s, p, o)

    def facts(self) -> Iterator[Fact]:
        return (f for f in self.slots if f is not None)

    def objects(self, s: Node | str, p: Node | str) -> dict[str, int]:
        """Object ids of ``(s, p, *)`` (with their facts); terms or ids accepted."""
        d = self.pso.get(tid(p))
        return d.get(tid(s), _NO_TYPES) if d else _NO_TYPES

    def subjects(self, p: Node | str, o: Node | str) -> Collection[str]:
        """Subject ids of ``(*, p, o)`` for a reverse-indexed ``p`` (the keys of a dict, or an empty frozenset)."""
        d = self.pos.get(tid(p))
        return d.get(tid(o), EMPTY) if d else EMPTY

    def types_of(self, e: Node | str) -> dict[str, int]:
        return self.types.get(tid(e), _NO_TYPES)

    # ---------------------------------------------------------- type evidence
    def facts_of(self, key: Key) -> list[Fact]:
        """Every fact (one per source) that states the triple ``key``."""
        m = self.multi.get(key)
        if m is not None:
            return list(m.values())
        f = self.get(key)
        return [] if f is None else [f]

    def _inferred(self, key: Key, f: Fact) -> bool:
        """The triple ``key`` (first stated by ``f``) rests only on facts flagged ``type_inferred``."""
        if TYPE_INFERRED not in f.evidence.flags:
            return False
        m = self.multi.get(key)
        return m is None or all(TYPE_INFERRED in g.evidence.flags for g in m.values())

    def judged_types(self, e: str) -> tuple[Collection[str], bool]:
        """The types of ``e`` a domain or range check judges, and whether they are all inferred.

        Stated types decide when ``e`` has any (its inferred types are then set
        aside, as the candidate contracts do); otherwise the inferred ones are
        judged, and a check that holds holds only through them.
        """
        t = self.types.get(e)
        if not t:
            return EMPTY, False
        slots = self.slots
        inferred: list[str] = []
        for c, i in t.items():
            f = slots[i]
            if f.evidence.flags and self._inferred((e, _TYPE, c), f):  # type: ignore[union-attr,arg-type]
                inferred.append(c)
        if not inferred:
            return t.keys(), False
        if len(inferred) == len(t):
            return t.keys(), True
        return t.keys() - inferred, False

    def with_inferred_types(self) -> set[str]:
        """Entities with at least one inferred type triple: those whose judged types differ from the
        stated-types-only case (a pass over the flagged type triples only)."""
        out = set()
        for e, c in self.flagged_types:
            f = self.get((e, _TYPE, c))
            if f is not None and self._inferred((e, _TYPE, c), f):
                out.add(e)
        return out

    def _type_state(self, key: Key) -> int:
        """0: absent, 1: present, 2: a type triple present on inferred evidence only (for syncing)."""
        f = self.get(key)
        if f is None:
            return 0
        return 2 if key[1] == _TYPE and self._inferred(key, f) else 1

    def has_node(self, e: Node | str) -> bool:
        """``e`` is the subject of some triple."""
        i = tid(e)
        return any(i in d for d in self.pso.values())

    def evidence(self, keys: Iterable[Key], limit: int = 3) -> list[dict[str, str]]:
        """Source and sentence of up to ``limit`` of ``keys`` (for issue records)."""
        facts: list[Fact] = []
        for k in keys:
            f = self.get(k)
            if f is not None:
                facts.append(f)
                if len(facts) >= limit:
                    break
        out = [{"source": f.evidence.source, "sentence": f.evidence.sentence} for f in facts]
        if self.full_facts is not None and any(not f.evidence.sentence for f in facts):
            # Indexed without sentences: read later, all of a run's findings in one batch (fill_evidence).
            self.unread.extend(zip(out, facts))
        return out

    def fill_evidence(self) -> None:
        """Read the sentences of the evidence records made since the last call, together."""
        todo, self.unread = self.unread, []
        if not todo:
            return
        facts = [f for _, f in todo]
        if self.sentences is not None:
            texts = self.sentences(facts)
        elif self.full_facts is not None:
            texts = [f.evidence.sentence for f in self.full_facts(facts)]
        else:
            return
        for (rec, _), text in zip(todo, texts):
            rec["sentence"] = text

    # ---------------------------------------------------------------- writing
    def add(self, f: Fact, key: Key | None = None) -> bool:
        """Add a triple (not yet a source pair: see :meth:`add_pair`); False if it was there."""
        s, p, o = key or key_of(f)
        objs = self.pso.setdefault(p, {}).setdefault(s, {})
        if o in objs:
            return False
        objs[o] = len(self.slots)
        self.slots.append(f)
        self.count += 1
        if p == _TYPE and f.evidence.flags:
            self.flagged_types.add((s, o))
        if p in self.reverse:
            self.pos.setdefault(p, {}).setdefault(o, {})[s] = None
        return True

    def discard(self, key: Key) -> bool:
        s, p, o = key
        d = self.pso.get(p)
        objs = d.get(s) if d is not None else None
        i = objs.pop(o, None) if objs is not None else None
        if i is None:
            return False
        self.slots[i] = None
        self.count -= 1
        self.multi.pop(key, None)
        if p == _TYPE:
            self.flagged_types.discard((s, o))
        if not objs:
            del d[s]  # type: ignore[union-attr]
            if not d:
                del self.pso[p]
        r = self.pos.get(p)
        if r is not None:
            subs = r.get(o)
            if subs is not None:
                subs.pop(s, None)
                if not subs:
                    del r[o]
            if not r:
                del self.pos[p]
        return True

    def add_pair(self, f: Fact) -> bool:
        """``f.source`` states ``f``; True when the triple is new to the index."""
        key = key_of(f)
        have = self.get(key)
        if have is None:
            self.add(f, key)
            self.pairs += 1
            return True
        if self._another_source(key, have, f):
            self.pairs += 1
        return False

    def remove_pair(self, f: Fact) -> bool:
        """``f.source`` no longer states ``f``; True when no source states the triple any more."""
        key = key_of(f)
        have = self.get(key)
        if have is None:
            return False
        m = self.multi.get(key)
        if m is None:
            if have.source != f.source:
                return False
            self.discard(key)
            self.pairs -= 1
            return True
        if m.pop(f.source, None) is None:
            return False
        self.pairs -= 1
        if have.source == f.source:
            s, p, o = key
            self.slots[self.pso[p][s][o]] = next(iter(m.values()))
        if len(m) == 1:
            del self.multi[key]
        return False

    # ------------------------------------------------------------ syncing
    def sync(self, session: SessionState) -> list[Key]:
        """Bring the index up to ``session.kg``; returns the triples added or removed.

        Replays the changes committed to (or undone from) ``session.history``
        since the last sync, the way the session applied them (removals, then
        additions; an undo reverses them). When the replay does not account for
        the KG's size (it was edited directly, or the history was restored from
        a journal) every triple is compared instead.
        """
        kg = session.kg
        log = self._kg_log(kg)
        if log is not None:
            replayed = self._replay_ops([(op == "add", f) for op, f in log])
            self.mark_synced(session)
            return replayed
        cur = session.history
        seen = self.history
        changed: list[Key] | None = []
        if seen or cur:
            where = {id(c): j for j, c in enumerate(cur)}
            i = len(seen) - 1
            while i >= 0 and id(seen[i]) not in where:
                i -= 1
            if i >= 0 or not seen:
                undone = seen[i + 1:]
                new = cur[where[id(seen[i])] + 1:] if i >= 0 else list(cur)
                ops: list[tuple[bool, Fact]] = []
                for ch in reversed(undone):  # Session.undo: remove what it added, add back what it removed
                    ops += [(False, f) for f in ch.facts_added] + [(True, f) for f in ch.facts_removed]
                for ch in new:  # Session._commit: removals first, then additions
                    ops += [(False, f) for f in ch.facts_removed] + [(True, f) for f in ch.facts_added]
                changed = self._replay_ops(ops)
            else:
                changed = None
        if changed is None or self.pairs != len(kg):
            # Keep what the replay already applied: the diff only sees what is still different.
            changed = list(dict.fromkeys([*(changed or []), *self._diff(kg)]))
        self.mark_synced(session)
        return changed

    def mark_synced(self, session: SessionState) -> None:
        self.history = list(session.history)
        self.kg_revision = getattr(session.kg, "revision", None)

    def _kg_log(self, kg: Any) -> list[Any] | None:
        """Facts added or removed since the last sync, when the KG records them.

        A KG with ``revision`` (bumped on every add/remove) and
        ``changes_since(revision) -> list[("add"|"remove", Fact)] | None`` makes
        syncing exact whatever edited it; without them the session history is used.
        """
        since = getattr(kg, "changes_since", None)
        if self.kg_revision is None or not callable(since):
            return None
        return since(self.kg_revision)

    def _replay_ops(self, ops: list[tuple[bool, Fact]]) -> list[Key]:
        # A type triple whose evidence changed (inferred <-> stated) changed for the checks too.
        before = {k: self._type_state(k) for k in (key_of(f) for _, f in ops)}
        for adding, f in ops:
            if adding:
                self.add_pair(f)
            else:
                self.remove_pair(f)
        return [k for k, was in before.items() if was != self._type_state(k)]

    def _diff(self, kg: Any) -> list[Key]:
        """Compare with every fact of ``kg`` (the fallback); rebuilds the source bookkeeping."""
        now: dict[Key, Fact] = {}
        multi: dict[Key, dict[str, Fact]] = {}
        pairs = 0
        for f in (f for part in _parts(kg) for f in part):
            pairs += 1
            k = key_of(f)
            have = now.setdefault(k, f)
            if have is not f:
                multi.setdefault(k, {have.source: have})[f.source] = f
        gone = [k for k in self.triples() if k not in now]
        for k in gone:
            self.discard(k)
        new = [(k, f) for k, f in now.items() if k not in self]
        for k, f in new:
            self.add(f, k)
        # Type triples kept whose evidence may have changed: compare before the facts are replaced.
        types = self.pso.get(_TYPE, {})
        kept_types = [(s, _TYPE, o) for s, objs in types.items() for o in objs]
        was = {k: self._type_state(k) for k in kept_types}
        self.multi, self.pairs = multi, pairs
        slots = self.slots
        for k, f in now.items():  # the current fact of every triple (the first source's, as build keeps)
            s, p, o = k
            slots[self.pso[p][s][o]] = f
        for k, m in multi.items():
            s, p, o = k
            i = self.pso[p][s][o]
            if slots[i].source not in m:  # type: ignore[union-attr]
                slots[i] = next(iter(m.values()))
        self.flagged_types = {(s, o) for (s, p, o), f in now.items() if p == _TYPE and f.evidence.flags}
        self.flagged_types.update((s, o) for (s, p, o), m in multi.items()
                                  if p == _TYPE and any(g.evidence.flags for g in m.values()))
        fresh = {k for k, _ in new}
        retyped = [k for k, state in was.items() if k not in fresh and state != self._type_state(k)]
        return gone + [k for k, _ in new] + retyped
