"""Which nodes can possibly have an issue: set-wise filters for the full check.

The full check must find exactly what the per-node checks find (incremental
runs use those directly). Running them on every (subject, predicate) group of a
million triples costs seconds in Python, so the full path first narrows each
predicate down with set operations and comprehensions to the subjects/objects
that *may* violate something (or rest on inferred types), and runs the per-node
checks only on those. Each filter here is a superset of what its check reports
(never narrower), so both paths agree; the tests check that on random edit
sequences.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Sequence
from itertools import filterfalse
from typing import Any
from operator import methodcaller

from rdflib import URIRef

from .context import GENERIC_TYPES, TYPE, XSD_STRING, OntologyContext
from .index import FactIndex
from .terms import LIT, literal_parts
from .typing_checks import literal_ok

__all__ = ["Prefilter", "bad_values", "rule_may_break", "suspect_disjoint", "suspect_rules"]

_PLAIN_END = LIT + LIT  # ...\x00<no datatype>\x00<no language>
_STRING_ENDS = (_PLAIN_END, LIT + XSD_STRING + LIT)
_ENDS_STRING = methodcaller("endswith", _STRING_ENDS)
_STARTS_LIT = methodcaller("startswith", LIT)


def _bad_values(d: dict[str, dict[str, int]], dt: str, dt_ref: URIRef) -> set[str]:
    """The values of a data property (subject -> values) that may fail its literal check."""
    return bad_values(set().union(*d.values()), dt, dt_ref)


def bad_values(values: set[str], dt: str, dt_ref: URIRef) -> set[str]:
    """Those of a data property's distinct ``values`` that may fail its literal check (datatype ``dt``)."""
    if dt == XSD_STRING:
        # Plain, xsd:string or language-tagged literals are fine; entities and other datatypes may not be.
        # Two C-level passes keep the values that are not plainly fine (few); the exact test runs on those.
        maybe = set(filterfalse(_ENDS_STRING, values))
        maybe.update(filterfalse(_STARTS_LIT, values))
        return {o for o in maybe if o[:1] != LIT or (o.endswith(LIT) and not o.endswith(_STRING_ENDS))}
    bad = set()
    for o in values:  # distinct values: years, counts and codes repeat
        if o[:1] != LIT:
            bad.add(o)
        else:
            lex, odt, lang = literal_parts(o)
            if not literal_ok(lex, odt, lang, dt, dt_ref):
                bad.add(o)
    return bad


class Prefilter:
    """Set-wise narrowing of one full run; also collects the untyped nodes on the way.

    Parameters
    ----------
    idx, ctx
        The index and ontology context of the run.
    """

    def __init__(self, idx: FactIndex, ctx: OntologyContext) -> None:
        self.idx, self.ctx = idx, ctx
        # rdf:type is indexed by object too (see OntologyContext.reverse): class -> its instances.
        self.by_class: dict[str, dict[str, None]] = idx.pos.get(TYPE, {})
        self.memo: dict[frozenset[str], set[str]] = {}
        #: nodes used with ontology properties that have no rdf:type triple
        self.untyped: set[str] = set()
        #: entities with an inferred type triple: their judged types are not simply all their types
        #: (see FactIndex.judged_types), so every domain and range check of theirs runs per node.
        #: A pass over the flagged type triples only; empty (and free below) when none is flagged.
        self.inferred: set[str] = idx.with_inferred_types()

    def _inferred_among(self, nodes: Container[str]) -> list[str]:
        inferred = self.inferred
        return [e for e in inferred if e in nodes] if inferred else []

    def instances(self, classes: frozenset[str]) -> set[str]:
        """Entities typed with one of ``classes`` (memoised per set of classes)."""
        hit = self.memo.get(classes)
        if hit is None:
            hit = self.memo[classes] = set().union(*(self.by_class.get(c, ()) for c in classes))
        return hit

    def _untyped_among(self, nodes: Iterable[str]) -> None:
        types = self.idx.types
        self.untyped.update([n for n in nodes if n not in types])

    def subjects(self, p: str) -> list[str] | None:
        """Subjects of ``p`` whose ``(s, p, *)`` facts may have an issue; None means all of them."""
        idx, ctx = self.idx, self.ctx
        d = idx.pso.get(p)
        if not d:
            return []
        prop = ctx.properties.get(p)
        if prop is None:
            if p == TYPE:
                allowed = ctx.classes | GENERIC_TYPES
                if TYPE in idx.reverse and allowed.issuperset(self.by_class.keys()):
                    return []  # every class used is allowed (by_class has exactly the objects of rdf:type)
                return [s for s, objs in d.items() if not allowed.issuperset(objs)]
            return None  # an unknown property (or an annotation): let the check decide per subject
        sus: set[str] = {c for c in ctx.classes if c in d}
        dom = ctx.domain_ok.get(p)
        if dom is not None:
            # Subjects outside the domain's instances: mismatches and untyped subjects alike.
            outside = d.keys() - self.instances(dom)
            sus |= outside
            self._untyped_among(outside)
            sus.update(self._inferred_among(d))
        else:
            self.untyped |= d.keys() - idx.types.keys()
        if prop.kind == "data":
            bad = _bad_values(d, ctx.datatype[p], ctx.datatype_ref[p])
            if bad:
                sus.update([s for s, objs in d.items() if not bad.isdisjoint(objs)])
        else:
            for o, subs in idx.pos.get(p, {}).items():
                if o[:1] == LIT:
                    sus.update(subs)
        if p in ctx.functional:
            sus.update([s for s, objs in d.items() if len(objs) > 1])
        if p in ctx.irreflexive or p in ctx.asymmetric:
            sus.update([s for s, objs in d.items() if s in objs])
        if p in ctx.asymmetric:
            for s, objs in d.items():
                for o in objs:
                    back = d.get(o)
                    if back is not None and s in back:
                        sus.add(s)
                        sus.add(o)
        if p in ctx.symmetric:
            # (s, p, o) has its converse iff s is among the subjects of (*, p, s), i.e. o in rev[s]:
            # a subject whose objects all lie in its reverse entry is fine, checked as one set comparison.
            rev = idx.pos.get(p) if p in idx.reverse else None
            for s, objs in d.items():
                if rev is not None:
                    back_of_s = rev.get(s)
                    if back_of_s is not None and objs.keys() <= back_of_s.keys():
                        continue
                for o in objs:
                    back = d.get(o)
                    if (back is None or s not in back) and o != s and o[:1] != LIT:
                        sus.add(s)
                        break
        return list(sus)

    def objects(self, p: str) -> list[str]:
        """Objects of ``p`` whose ``(*, p, o)`` facts may have a range or inverse-functional issue."""
        idx, ctx = self.idx, self.ctx
        r = idx.pos.get(p)
        if not r:
            return []
        sus: set[str] = set()
        rng = ctx.range_ok.get(p)
        if rng is not None:
            outside = r.keys() - self.instances(rng)
            sus |= outside
            sus.update(self._inferred_among(r))
            if p in ctx.object_props:
                self._untyped_among(o for o in outside if o[:1] != LIT)
        elif p in ctx.object_props:
            self._untyped_among(o for o in r.keys() - idx.types.keys() if o[:1] != LIT)
        if p in ctx.inverse_functional:
            sus.update([o for o, subs in r.items() if len(subs) > 1])
        return list(sus)


def suspect_disjoint(idx: FactIndex, ctx: OntologyContext) -> list[str]:
    """Entities whose types (with superclasses) may include two disjoint classes."""
    if not ctx.disjoint:
        return []
    pairs = ctx.disjoint
    up = ctx.up

    def clash(classes: frozenset[str]) -> bool:
        closure: set[str] = set()
        for c in classes:
            closure |= up.get(c, {c})
        return any(a in closure and b in closure for a, b in pairs)

    single = {c for c in ctx.classes if clash(frozenset((c,)))}
    memo: dict[frozenset[str], bool] = {}
    out = []
    for e, t in idx.types.items():
        if len(t) == 1:
            if single and next(iter(t)) in single:
                out.append(e)
            continue
        k = frozenset(t)
        hit = memo.get(k)
        if hit is None:
            hit = memo[k] = clash(k)
        if hit:
            out.append(e)
    return out


def suspect_rules(compiled: list, idx: FactIndex, numbers: dict[str, float | None]) -> set[str]:  # type: ignore[type-arg]
    """Entities that may break a value rule or whose values cannot be evaluated.

    Entities with one numeric value per property are evaluated here directly
    (the common case); the others are left to the full per-entity check.
    """
    out: set[str] = set()
    for c in compiled:
        maps = [idx.pso.get(p, {}) for p in c.props]
        if not maps:
            continue
        common = maps[0].keys() & maps[1].keys() if len(maps) == 2 else set(maps[0]).intersection(*maps[1:])
        out.update(e for e in common if rule_may_break(c, [m[e] for m in maps], numbers))
    return out


def rule_may_break(rule: Any, value_sets: Sequence[Collection[str]], numbers: dict[str, float | None]) -> bool:
    """Whether an entity with these values of ``rule``'s properties (one collection per property) may break
    it: unless each property has one numeric value and the rule holds on them. ``numbers`` memoises values."""
    from .value_rules import to_number

    values = []
    for objs in value_sets:
        if len(objs) != 1:
            return True
        v = next(iter(objs))
        n = numbers.get(v, numbers)
        if n is numbers:
            n = numbers[v] = to_number(v)
        if n is None:
            return True
        values.append(n)
    return not rule.holds(tuple(values))
