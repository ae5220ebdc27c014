"""OWL property characteristics and class disjointness on the KG, without a reasoner.

Violations (errors): ``functional_violation``, ``inverse_functional_violation``,
``asymmetric_violation``, ``irreflexive_violation``, ``disjoint_violation``.
Consequences the KG does not state (infos, reported, never added):
``symmetric_inferred``, ``transitive_inferred``. Hints come from
:mod:`hydra_magic.rule_registry`.
"""

from __future__ import annotations

from collections.abc import Collection

from ..rule_registry import RULES
from ..wording import a as an
from ..issues import Issue
from .context import TYPE, OntologyContext
from .findings import make_issue, ordered, short
from .index import FactIndex
from .terms import LIT

__all__ = [
    "TRANSITIVE_LIMIT",
    "check_characteristics",
    "check_disjoint",
    "check_inverse_functional",
    "reaching",
    "transitive_from",
    "transitive_issues",
]

#: Inferred transitive triples listed one by one per property; the rest are summarised in one issue.
TRANSITIVE_LIMIT = 200


def _values(nodes: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(short(n)) for n in nodes[:limit])
    return shown + (f" and {len(nodes) - limit} more" if len(nodes) > limit else "")


def check_characteristics(s: str, p: str, objs: Collection[str], idx: FactIndex, ctx: OntologyContext,
                          out: list[Issue]) -> None:
    """Functional, irreflexive, asymmetric and symmetric checks of the facts ``(s, p, *)``."""
    if p in ctx.functional and len(objs) > 1:
        vals = ordered(objs)
        out.append(make_issue(
            "functional_violation", s,
            f"{short(p)!r} is functional but {short(s)!r} has {len(vals)} values: {_values(vals)}.",
            RULES["functional_violation"].hint,
            check="owl", predicate=p, keys=[(s, p, o) for o in vals], index=idx))
    if p in ctx.irreflexive and s in objs:
        out.append(make_issue(
            "irreflexive_violation", s, f"{short(p)!r} is irreflexive but {short(s)!r} {short(p)} itself.",
            RULES["irreflexive_violation"].hint,
            check="owl", predicate=p, value=s, keys=[(s, p, s)], index=idx))
    if p in ctx.asymmetric:
        d = idx.pso.get(p, {})
        for o in objs:
            if o == s:
                out.append(make_issue(
                    "asymmetric_violation", s,
                    f"{short(p)!r} is asymmetric but {short(s)!r} {short(p)} itself.",
                    "Remove the fact (an asymmetric property is also irreflexive).",
                    check="owl", predicate=p, value=o, keys=[(s, p, o)], index=idx))
            # Each pair is filed once, under the smaller node.
            elif o[:1] != LIT and s < o and s in d.get(o, ()):
                out.append(make_issue(
                    "asymmetric_violation", s,
                    f"{short(p)!r} is asymmetric but both ({short(s)}, {short(p)}, {short(o)}) and "
                    f"({short(o)}, {short(p)}, {short(s)}) are stated.",
                    RULES["asymmetric_violation"].hint,
                    check="owl", predicate=p, value=o, keys=[(s, p, o), (o, p, s)], index=idx))
    if p in ctx.symmetric:
        d = idx.pso.get(p, {})
        for o in objs:
            if o[:1] != LIT and o != s and s not in d.get(o, ()):
                out.append(make_issue(
                    "symmetric_inferred", s,
                    f"{short(p)!r} is symmetric: ({short(s)}, {short(p)}, {short(o)}) implies "
                    f"({short(o)}, {short(p)}, {short(s)}), which the KG does not state.",
                    RULES["symmetric_inferred"].hint,
                    check="owl", severity="info", predicate=p, value=o, keys=[(s, p, o)], index=idx,
                    extra={"inferred": [f"<{o}>", f"<{p}>", f"<{s}>"]}))


def check_inverse_functional(o: str, p: str, subs: Collection[str], idx: FactIndex, ctx: OntologyContext,
                             out: list[Issue]) -> None:
    """Inverse-functional check of the facts ``(*, p, o)``; filed under ``o``."""
    if p in ctx.inverse_functional and len(subs) > 1:
        vals = ordered(subs)
        shown = repr(short(o))
        out.append(make_issue(
            "inverse_functional_violation", o,
            f"{short(p)!r} is inverse-functional but {len(vals)} subjects have the value {shown}: "
            f"{_values(vals)}.",
            RULES["inverse_functional_violation"].hint,
            check="owl", predicate=p, keys=[(x, p, o) for x in vals], index=idx))


def check_disjoint(e: str, idx: FactIndex, ctx: OntologyContext, out: list[Issue],
                   memo: dict[frozenset[str], list[tuple[str, str]]]) -> None:
    """``disjoint_violation`` for an entity whose types (with superclasses) include two disjoint classes."""
    types = idx.types.get(e)
    if not types or not ctx.disjoint:
        return
    key = frozenset(types)
    clashes = memo.get(key)
    if clashes is None:
        closure: set[str] = set()
        for t in types:
            closure |= ctx.up.get(t, {t})
        clashes = memo[key] = [(a, b) for a, b in ctx.disjoint if a in closure and b in closure]
    for a, b in clashes:
        out.append(make_issue(
            "disjoint_violation", e,
            f"{short(e)!r} is {an(ctx.name(a))} and {an(ctx.name(b))}, but these classes are disjoint "
            f"(its types: {', '.join(sorted(ctx.name(t) for t in types))}).",
            RULES["disjoint_violation"].hint,
            check="owl", keys=[(e, TYPE, t) for t in ordered(types)], index=idx, extra={"classes": [a, b]}))


def transitive_from(s: str, p: str, idx: FactIndex) -> list[tuple[str, list[str]]]:
    """Objects the transitive ``p`` implies for ``s`` beyond those stated, each with its chain from ``s``."""
    d = idx.pso.get(p)
    direct = d.get(s) if d else None
    if not direct or not any(o in d for o in direct):  # type: ignore[operator]
        return []  # no two-step path starts here
    # Breadth-first with parents, so each implied triple comes with the chain that implies it.
    parent: dict[str, str] = {o: s for o in ordered(direct) if o[:1] != LIT}
    frontier = list(parent)
    while frontier:
        nxt = []
        for x in frontier:
            for y in ordered(d.get(x, ())):  # type: ignore[union-attr]
                if y[:1] != LIT and y not in parent and y != s:
                    parent[y] = x
                    nxt.append(y)
        frontier = nxt
    rows = []
    for o in ordered(set(parent).difference(direct, {s})):
        chain = [o]
        while chain[-1] != s:
            chain.append(parent[chain[-1]])
        rows.append((o, chain[::-1]))
    return rows


def reaching(nodes: set[str], p: str, idx: FactIndex) -> set[str]:
    """``nodes`` and every node with a ``p``-path to one of them (whose implied triples may change)."""
    r = idx.pos.get(p, {})
    seen = set(nodes)
    frontier = list(nodes)
    while frontier:
        nxt = []
        for x in frontier:
            for y in r.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    nxt.append(y)
        frontier = nxt
    return seen


def transitive_issues(p: str, rows: dict[str, list[tuple[str, list[str]]]], idx: FactIndex) -> list[Issue]:
    """Infos for the implied triples of ``p`` (``rows``: subject -> implied objects), at most
    :data:`TRANSITIVE_LIMIT` listed one by one, in a stable order."""
    out: list[Issue] = []
    total = sum(len(v) for v in rows.values())
    for s in ordered(rows):
        for o, chain in rows[s]:
            if len(out) >= TRANSITIVE_LIMIT:
                break
            out.append(make_issue(
                "transitive_inferred", s,
                f"{short(p)!r} is transitive: the KG implies ({short(s)}, {short(p)}, {short(o)}) without stating "
                f"it (via {' → '.join(short(x) for x in chain)}).",
                RULES["transitive_inferred"].hint,
                check="owl", severity="info", predicate=p, value=o,
                keys=list(zip(chain, [p] * len(chain), chain[1:])), index=idx,
                extra={"inferred": [f"<{s}>", f"<{p}>", f"<{o}>"]}))
        if len(out) >= TRANSITIVE_LIMIT:
            break
    if total > TRANSITIVE_LIMIT:
        out.append(make_issue(
            "transitive_inferred", p,
            f"{short(p)!r} is transitive: {total - TRANSITIVE_LIMIT} more implied triples are not listed "
            f"({total} in all).", "Nothing to fix.", check="owl", severity="info", predicate=p,
            extra={"count": total}))
    return out
