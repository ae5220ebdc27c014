"""Set-based indexes over the KG's facts, kept in step with the session incrementally.

The index holds each distinct triple once (a fact stated by two sources is one
triple with the evidence of the first), grouped by predicate then subject
(``pso``), by predicate then object for the predicates that need it (``pos``),
and the rdf:type sets of entities. :meth:`FactIndex.sync` brings it up to date
from the session history (the changes committed or undone since the last run);
when the KG was changed some other way it falls back to a diff of triple sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from rdflib import RDF, URIRef
from rdflib.term import Node

from ..kg import Fact

if TYPE_CHECKING:
    from ..session import Session

__all__ = ["FactIndex", "Key", "EMPTY"]

Key = tuple[Node, Node, Node]
EMPTY: frozenset[Any] = frozenset()
_TYPE = RDF.type


class FactIndex:
    """Triples of the KG as nested dicts of sets (see module docstring).

    Parameters
    ----------
    reverse
        Predicates to index by object as well (object properties, inverse-functional ones).
    """

    def __init__(self, reverse: frozenset[URIRef] = frozenset()) -> None:
        self.reverse = reverse
        self.pso: dict[Node, dict[Node, set[Node]]] = {}
        self.pos: dict[Node, dict[Node, set[Node]]] = {}
        self.types: dict[Node, set[Node]] = {}
        self.fact: dict[Key, Fact] = {}
        #: History entries (by identity) and KG size this index reflects.
        self.history: list[Any] = []
        self.kg_len = 0

    @classmethod
    def build(cls, facts: Iterable[Fact], reverse: frozenset[URIRef] = frozenset()) -> "FactIndex":
        idx = cls(reverse)
        fact, pso, pos, types = idx.fact, idx.pso, idx.pos, idx.types
        # One pass, no method calls per fact: this loop is the floor of a full check.
        for f in facts:
            s, p, o = f.subject, f.predicate, f.object
            key = (s, p, o)
            if key in fact:
                continue
            fact[key] = f
            d = pso.get(p)
            if d is None:
                d = pso[p] = {}
            objs = d.get(s)
            if objs is None:
                d[s] = {o}
            else:
                objs.add(o)
            if p in reverse:
                r = pos.get(p)
                if r is None:
                    r = pos[p] = {}
                subs = r.get(o)
                if subs is None:
                    r[o] = {s}
                else:
                    subs.add(s)
            elif p == _TYPE:
                t = types.get(s)
                if t is None:
                    types[s] = {o}
                else:
                    t.add(o)
        return idx

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self.fact)

    def __contains__(self, key: object) -> bool:
        return key in self.fact

    def objects(self, s: Node, p: Node) -> set[Node]:
        d = self.pso.get(p)
        return d.get(s, EMPTY) if d else EMPTY  # type: ignore[return-value]

    def subjects(self, p: Node, o: Node) -> set[Node]:
        d = self.pos.get(p)
        return d.get(o, EMPTY) if d else EMPTY  # type: ignore[return-value]

    def types_of(self, e: Node) -> set[Node]:
        return self.types.get(e, EMPTY)  # type: ignore[return-value]

    def evidence(self, keys: Iterable[Key], limit: int = 3) -> list[dict[str, str]]:
        """Source and sentence of up to ``limit`` of ``keys`` (for issue records)."""
        out = []
        for k in keys:
            f = self.fact.get(k)
            if f is not None:
                out.append({"source": f.evidence.source, "sentence": f.evidence.sentence})
                if len(out) >= limit:
                    break
        return out

    # ---------------------------------------------------------------- writing
    def add(self, f: Fact) -> bool:
        s, p, o = key = f.key
        if key in self.fact:
            return False
        self.fact[key] = f
        self.pso.setdefault(p, {}).setdefault(s, set()).add(o)
        if p in self.reverse:
            self.pos.setdefault(p, {}).setdefault(o, set()).add(s)
        elif p == _TYPE:
            self.types.setdefault(s, set()).add(o)
        return True

    def discard(self, key: Key) -> bool:
        if self.fact.pop(key, None) is None:
            return False
        s, p, o = key
        for table, a, b in ((self.pso, s, o), (self.pos, o, s)):
            d = table.get(p)
            if d is None:
                continue
            vals = d.get(a)
            if vals is not None:
                vals.discard(b)
                if not vals:
                    del d[a]
            if not d:
                del table[p]
        if p == _TYPE:
            t = self.types.get(s)
            if t is not None:
                t.discard(o)
                if not t:
                    del self.types[s]
        return True

    # ------------------------------------------------------------ syncing
    def sync(self, session: "Session") -> list[Key]:
        """Bring the index up to ``session.kg``; returns the triples added or removed.

        Uses the changes committed to (or undone from) ``session.history`` since
        the last sync; when those do not account for the KG (it was edited
        directly, or the history was restored from a journal) every triple is
        compared instead.
        """
        kg = session.kg
        log = self._kg_log(kg)
        if log is not None:
            changed = self._apply_log(kg, log)
            self.mark_synced(session)
            return changed
        cur = session.history
        seen = self.history
        changed: list[Key] | None = None
        if seen or cur:
            where = {id(c): j for j, c in enumerate(cur)}
            i = len(seen) - 1
            while i >= 0 and id(seen[i]) not in where:
                i -= 1
            if i >= 0 or not seen:
                undone = seen[i + 1:]
                new = cur[where[id(seen[i])] + 1:] if i >= 0 else list(cur)
                changed = self._apply_changes(kg, [*reversed(undone), *new])
        else:
            changed = []
        if changed is None or self._excess(kg) != self._excess_at_sync:
            # Keep what the history already applied: the diff only sees what is still different.
            changed = list(dict.fromkeys([*(changed or []), *self._diff(kg)]))
        self.history = list(cur)
        self.kg_len = len(kg)
        self._excess_at_sync = self._excess(kg)
        return changed

    _excess_at_sync = 0
    #: The KG's revision at the last sync, when the KG keeps a change log (see :meth:`_kg_log`).
    kg_revision: int | None = None

    def mark_synced(self, session: "Session") -> None:
        self.history = list(session.history)
        self.kg_len = len(session.kg)
        self._excess_at_sync = self._excess(session.kg)
        self.kg_revision = getattr(session.kg, "revision", None)

    def _kg_log(self, kg: Any) -> list[Any] | None:
        """Facts added or removed since the last sync, when the KG records them.

        A KG with ``revision`` (bumped on every add/remove) and
        ``changes_since(revision) -> list[(op, Fact)] | None`` makes syncing
        exact whatever edited it; without them the session history is used.
        """
        since = getattr(kg, "changes_since", None)
        if self.kg_revision is None or not callable(since):
            return None
        return since(self.kg_revision)

    def _apply_log(self, kg: Any, log: list[Any]) -> list[Key]:
        latest: dict[Key, Fact] = {}
        for _, f in log:
            latest[f.key] = f
        changed = []
        for key, f in latest.items():
            present = kg.contains(*key)
            if present and key not in self.fact:
                self.add(f)
                changed.append(key)
            elif not present and self.discard(key):
                changed.append(key)
        return changed

    def _excess(self, kg: Any) -> int:
        # Facts stated by several sources count once here and once per source in len(kg);
        # a change in the difference that the history does not explain means a direct edit.
        return len(kg) - len(self.fact)

    def _apply_changes(self, kg: Any, changes: list[Any]) -> list[Key]:
        latest: dict[Key, Fact] = {}
        for ch in changes:
            for f in (*ch.facts_removed, *ch.facts_added):
                latest[f.key] = f
        changed = []
        for key, f in latest.items():
            present = kg.contains(*key)
            if present and key not in self.fact:
                self.add(f)
                changed.append(key)
            elif not present and key in self.fact:
                self.discard(key)
                changed.append(key)
            elif present:
                self.fact[key] = f  # newest evidence for a triple that stayed
        return changed

    def _diff(self, kg: Any) -> list[Key]:
        now: dict[Key, Fact] = {}
        for f in kg:
            now.setdefault(f.key, f)
        gone = [k for k in self.fact if k not in now]
        for k in gone:
            self.discard(k)
        new = [f for k, f in now.items() if k not in self.fact]
        for f in new:
            self.add(f)
        return gone + [f.key for f in new]
