"""Value rules over data properties (``%%rules``), parsed with sympy and checked on the KG.

A rule is one line of comparisons between arithmetic expressions of data
property names and numbers: ``birthYear < deathYear``, ``0 <= age <= 150``,
``population > 0``, ``height * 2 >= width``. Before the KG is checked the rule
set is tested for satisfiability (linear rules by linear programming with
sympy's simplex, single-variable rules with ``solveset``) and a minimal set of
conflicting rules is named. Then every entity having the properties a rule
mentions is checked; dates compare by day, ``xsd:dateTime`` by second.

Parsing never evaluates user text as Python: the line is first checked against
a whitelist of syntax (names, numbers, ``+ - * / ** %``, comparisons), every
name must be a data property of the ontology, and only then does sympy's
``parse_expr`` run, with a namespace holding nothing but those symbols and
sympy's number constructors.
"""

from __future__ import annotations

import ast
import datetime as dt
import keyword
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from itertools import product
from typing import Any, cast

import sympy
from rdflib import XSD, URIRef
from rdflib.term import Node
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

from ..errors import EmptyInputError, InputError
from ..iri import camel_case
from ..issues import Issue
from ..ontology import Ontology
from .findings import make_issue, short
from .index import FactIndex
from .terms import LIT, literal_parts, tid

__all__ = [
    "MAX_COMBINATIONS",
    "Conflict",
    "ValueRule",
    "check_entity_rules",
    "find_conflicts",
    "parse_rules",
    "rule_names",
    "to_number",
]

#: Value combinations tried per entity and rule when properties have several values.
MAX_COMBINATIONS = 64

_CMP_OPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge, ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
}
_ALLOWED_NODES = (ast.Expression, ast.Compare, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load,
                  ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub, ast.UAdd, *_CMP_OPS)
_GLOBALS: dict[str, Any] = {"Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational,
                            "Symbol": sympy.Symbol, "__builtins__": {}}
_INT_TYPES = frozenset({XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
                        XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.gYear})
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?|[+-]?\.\d+([eE][+-]?\d+)?")
_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class ValueRule:
    """One ``%%rules`` line: a conjunction of comparisons (``0 <= age <= 150`` is two)."""

    text: str
    line: int
    relations: tuple[Any, ...]  # sympy relationals (or sympy.true/false)
    #: symbol -> data property it stands for
    variables: dict[Any, URIRef] = field(default_factory=dict, hash=False, compare=False)

    @property
    def properties(self) -> tuple[URIRef, ...]:
        return tuple(sorted(set(self.variables.values())))

    def __str__(self) -> str:
        return self.text


def rule_names(ontology: Ontology) -> dict[str, URIRef]:
    """Names usable in rules: each data property's local name and the camelCase of its labels."""
    names: dict[str, URIRef] = {}
    for p in sorted(ontology.data_properties(), key=lambda p: str(p.iri)):
        for n in (p.name, camel_case(p.label), *(camel_case(a) for a in p.alt_labels)):
            if n and n.isidentifier() and not keyword.iskeyword(n):
                names.setdefault(n, p.iri)
    return names


def _allowed(names: dict[str, URIRef]) -> str:
    return ", ".join(sorted(names)) or "none (the ontology has no data properties yet)"


def parse_rules(text: str, ontology: Ontology) -> list[ValueRule]:
    """Parse ``%%rules`` text (one rule per line, ``#`` comments).

    Raises
    ------
    InputError
        Naming the line, what is wrong with it and the names that are allowed.
    """
    names = rule_names(ontology)
    symbols: dict[URIRef, sympy.Symbol] = {}
    local: dict[str, sympy.Symbol] = {}
    for n, iri in names.items():
        local[n] = symbols.setdefault(iri, sympy.Symbol(n, real=True))
    rules = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            rules.append(_parse_line(line, no, names, local, ontology))
    if not rules:
        raise EmptyInputError("The %%rules cell has no rule. Write one comparison per line, e.g. "
                              f"'birthYear < deathYear' or '0 <= age <= 150'. Names you can use: {_allowed(names)}.")
    return rules


def _parse_line(line: str, no: int, names: dict[str, URIRef], local: dict[str, sympy.Symbol],
                ontology: Ontology) -> ValueRule:
    where = f"Rule on line {no} ({line!r})"
    example = "Write comparisons such as 'birthYear < deathYear' or '0 <= age <= 150'."
    try:
        tree = ast.parse(line, mode="eval")
    except SyntaxError as exc:
        hint = " Use == to compare, not =." if re.search(r"(?<![<>=!])=(?!=)", line) else ""
        raise InputError(f"{where} cannot be read: {exc.msg}.{hint} {example}") from None
    body = tree.body
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and node is not body:
            raise InputError(f"{where}: a comparison cannot be used inside an expression. {example}")
        if isinstance(node, ast.Name):
            if node.id not in names:
                prop = ontology.get_property(node.id)
                why = (f"{node.id!r} is an object property; rules compare data values" if prop is not None
                       and prop.kind == "object" else f"{node.id!r} is not a data property of the ontology")
                raise InputError(f"{where}: {why}. Names you can use: {_allowed(names)}.")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise InputError(f"{where}: only numbers may appear as constants, not {node.value!r}. {example}")
        elif isinstance(node, ast.BitXor):
            raise InputError(f"{where}: '^' is not a power here; write ** instead.")
        elif isinstance(node, ast.Call):
            raise InputError(f"{where}: function calls are not allowed; only data property names, numbers, "
                             f"+ - * / ** % and comparisons are. Names you can use: {_allowed(names)}.")
        elif not isinstance(node, _ALLOWED_NODES):
            raise InputError(f"{where}: {type(node).__name__.lower()} is not allowed; only data property names, "
                             f"numbers, + - * / ** % and comparisons (< <= > >= == !=) are. "
                             f"Names you can use: {_allowed(names)}.")
    if not isinstance(body, ast.Compare):
        raise InputError(f"{where} is not a comparison. {example} Names you can use: {_allowed(names)}.")
    sides = [body.left, *body.comparators]
    exprs = []
    for side in sides:
        segment = ast.get_source_segment(line, side) or ""
        # Safe: the segment passed the whitelist above and the namespace holds only symbols and numbers.
        exprs.append(parse_expr(segment, local_dict=dict(local), global_dict=dict(_GLOBALS),
                                transformations=standard_transformations))
    relations = tuple(_CMP_OPS[type(op)](a, b) for op, a, b in zip(body.ops, exprs, exprs[1:]))
    used = {s for e in exprs for s in getattr(e, "free_symbols", ())}
    if not used:
        raise InputError(f"{where} mentions no data property, so no entity could break it. "
                         f"Names you can use: {_allowed(names)}.")
    by_symbol = {sym: names[sym.name] for sym in used}
    return ValueRule(line, no, relations, by_symbol)


# ------------------------------------------------------------ satisfiability
@dataclass(frozen=True)
class Conflict:
    """Rules no entity can satisfy together (a minimal set) or whose satisfiability is unknown."""

    rules: tuple[ValueRule, ...]
    decided: bool = True
    reason: str = ""


def _atoms(rules: Iterable[ValueRule]) -> list[tuple[ValueRule, Any]]:
    return [(r, rel) for r in rules for rel in r.relations if rel is not sympy.true
            and not isinstance(rel, sympy.Ne)]


def _integer_symbols(rules: Iterable[ValueRule], datatypes: dict[URIRef, URIRef]) -> set[Any]:
    return {s for r in rules for s, p in r.variables.items() if datatypes.get(p) in _INT_TYPES}


def _satisfiable(atoms: list[Any], integers: set[Any]) -> bool | None:
    """True/False when decided, None when the constraints are neither linear nor in one variable."""
    if any(a is sympy.false for a in atoms):
        return False
    if not atoms:
        return True
    syms = sorted({s for a in atoms for s in a.free_symbols}, key=str)
    diffs = [(type(a), a.lhs - a.rhs) for a in atoms]
    if all(_linear(d, syms) for _, d in diffs):
        return _lp_satisfiable(diffs, syms, integers)
    if len(syms) == 1:
        x = syms[0]
        domain = sympy.S.Integers if x in integers else sympy.S.Reals
        sol = reduce(lambda acc, a: acc.intersect(sympy.solveset(a, x, sympy.S.Reals)), atoms, domain)
        if sol is sympy.S.EmptySet:
            return False
        if isinstance(sol, (sympy.Interval, sympy.FiniteSet, sympy.Union)) or sol == domain:
            return True
        return None
    return None


def _linear(d: Any, syms: list[Any]) -> bool:
    if not d.free_symbols:
        return True
    return bool(d.is_polynomial(*syms)) and sympy.Poly(d, *syms).total_degree() <= 1


def _lp_satisfiable(diffs: list[tuple[type, Any]], syms: list[Any], integers: set[Any]) -> bool:
    from sympy.solvers.simplex import InfeasibleLPError, lpmax

    t = sympy.Dummy("slack")
    cons: list[Any] = [t <= 1]
    strict = False
    for kind, d in diffs:
        if kind in (sympy.Gt, sympy.Ge):  # a > b  <=>  b - a < 0
            d = -d
            kind = sympy.Lt if kind is sympy.Gt else sympy.Le
        if kind is sympy.Lt and d.free_symbols and d.free_symbols <= integers:
            # Over integers with rational coefficients, d < 0 is d <= -1 after clearing denominators.
            coeffs = sympy.Poly(d, *sorted(d.free_symbols, key=str)).coeffs()
            if all(c.is_rational for c in coeffs):
                den = reduce(sympy.ilcm, [sympy.fraction(c)[1] for c in coeffs], 1)
                cons.append(sympy.Le(d * den, -1))
                continue
        if kind is sympy.Eq:
            c = sympy.Eq(d, 0)
        elif kind is sympy.Lt:
            strict = True
            c = sympy.Le(d + t, 0)
        else:
            c = sympy.Le(d, 0)
        if c is sympy.false:
            return False
        if c is not sympy.true:
            cons.append(c)
    try:
        best, _ = lpmax(t, cons)
    except InfeasibleLPError:
        return False
    return bool(best > 0) if strict else True


def find_conflicts(rules: list[ValueRule], datatypes: dict[URIRef, URIRef] | None = None) -> list[Conflict]:
    """Minimal sets of rules that no entity can satisfy together, one per group of rules sharing properties.

    Rules are grouped by the properties they share; an unsatisfiable group is
    shrunk rule by rule (deletion) to a minimal conflicting subset. Groups that
    are neither linear nor in one variable are returned with ``decided=False``.
    """
    integers = _integer_symbols(rules, datatypes or {})
    groups: list[tuple[set[Any], list[ValueRule]]] = []
    for r in rules:
        syms = set(r.variables)
        joined = [g for g in groups if g[0] & syms]
        merged = (syms.union(*(g[0] for g in joined)), [x for g in joined for x in g[1]] + [r])
        groups = [g for g in groups if not any(g is j for j in joined)] + [merged]
    out = []
    for _, members in groups:
        members.sort(key=lambda r: r.line)
        ok = _satisfiable([a for _, a in _atoms(members)], integers)
        if ok is None:
            out.append(Conflict(tuple(members), decided=False,
                                reason="nonlinear rules over several properties"))
        elif not ok:
            core = list(members)
            for r in list(core):
                rest = [x for x in core if x is not r]
                if rest and _satisfiable([a for _, a in _atoms(rest)], integers) is False:
                    core = rest
            out.append(Conflict(tuple(core)))
    return out


# ---------------------------------------------------------------- values
_DATES = frozenset({str(XSD.date), str(XSD.dateTime)})
_GYEAR = str(XSD.gYear)
_BOOLEAN = str(XSD.boolean)


def to_number(value: Node | str) -> float | None:
    """The numeric value of a literal (dates as days, dateTimes as seconds); None if it has none."""
    i = tid(value)
    if i[:1] != LIT:
        return None
    lex, d, _ = literal_parts(i)
    if lex.isascii() and lex.isdigit() and d not in _DATES and d != _BOOLEAN:  # years, counts: no regex needed
        return float(lex)
    text = lex.strip()
    if d in _DATES or (not d and _DATE.match(text)):
        try:
            if d == str(XSD.dateTime) or "T" in text:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
            return float(dt.date.fromisoformat(text[:10]).toordinal())
        except ValueError:
            return None
    if d == _BOOLEAN:
        return None
    if _NUMBER.fullmatch(text):
        v = float(text.replace(",", ""))
        return v if math.isfinite(v) else None
    if d == _GYEAR:
        m = re.match(r"-?\d{4,}", text)
        return float(m.group()) if m else None
    return None


class _Compiled:
    """A rule as one fast Python function of the values of its properties (sympy ``lambdify``)."""

    def __init__(self, rule: ValueRule) -> None:
        self.rule = rule
        self.symbols = sorted(rule.variables, key=str)
        self.props = [str(rule.variables[s]) for s in self.symbols]
        rels = [r for r in rule.relations if r is not sympy.true]
        if any(r is sympy.false for r in rels):
            self.fn: Callable[..., Any] = lambda *values: False
        else:
            # Generated from the parsed expression tree (never from the user's text).
            self.fn = sympy.lambdify(self.symbols, sympy.And(*rels), modules="math")

    def holds(self, values: tuple[float, ...]) -> bool:
        try:
            return bool(self.fn(*values))
        except (ZeroDivisionError, OverflowError, ValueError, TypeError):
            return False


def compile_rules(rules: list[ValueRule]) -> list[_Compiled]:
    return [_Compiled(r) for r in rules]


def check_entity_rules(e: str, compiled: list[_Compiled], idx: FactIndex, out: list[Issue],
                       numbers: dict[str, float | None] | None = None) -> None:
    """Every rule whose properties ``e`` has, on every combination of ``e``'s values.

    ``numbers`` caches :func:`to_number` across entities (values such as years repeat).
    """
    cache: dict[str, float | None] = {} if numbers is None else numbers
    for c in compiled:
        value_sets = []
        for p in c.props:
            d = idx.pso.get(p)
            vals = d.get(e) if d else None
            if not vals:
                break
            value_sets.append(sorted(vals))
        else:
            number_sets: list[list[float | None]] = []
            for vs in value_sets:
                ns = []
                for v in vs:
                    n = cache.get(v, cache)  # the cache itself marks "not seen" (None is a valid entry)
                    if isinstance(n, dict):  # (is the cache: the values are numbers or None)
                        n = cache[v] = to_number(v)
                    ns.append(n)
                number_sets.append(ns)
            bad = [(p, v) for p, vs, ns in zip(c.props, value_sets, number_sets) for v, n in zip(vs, ns) if n is None]
            keys = [(e, p, v) for p, vs in zip(c.props, value_sets) for v in vs]
            if bad:
                out.append(make_issue(
                    "rule_not_evaluable", e,
                    f"Rule {c.rule.text!r} (line {c.rule.line}) cannot be checked for {short(e)!r}: "
                    + ", ".join(f"{short(p)} = {short(v)!r}" for p, v in bad) + " is not a number or date.",
                    "Fix the value's form, or ignore this if the property is not numeric.",
                    check="rules", severity="warning", keys=keys, index=idx,
                    extra={"rule": c.rule.text, "line": c.rule.line}))
                continue
            known = cast("list[list[float]]", number_sets)  # no None left: those were reported above
            combos = product(*[list(zip(vs, ns)) for vs, ns in zip(value_sets, known)])
            for i, combo in enumerate(combos):
                if i >= MAX_COMBINATIONS:
                    break
                if not c.holds(tuple(n for _, n in combo)):
                    shown = ", ".join(f"{s} = {short(v)}" for s, (v, _) in zip(c.symbols, combo))
                    out.append(make_issue(
                        "value_rule_violation", e,
                        f"{short(e)!r} breaks the rule {c.rule.text!r} (line {c.rule.line}): {shown}.",
                        "Check these values against the source; one of them is probably misread.",
                        check="rules", keys=[(e, p, v) for p, (v, _) in zip(c.props, combo)], index=idx,
                        extra={"rule": c.rule.text, "line": c.rule.line,
                               "values": {str(s): short(v) for s, (v, _) in zip(c.symbols, combo)}}))
                    break


def conflict_issues(conflicts: list[Conflict], focus: str) -> list[Issue]:
    out = []
    for c in conflicts:
        lines = ", ".join(f"line {r.line}: {r.text!r}" for r in c.rules)
        if c.decided:
            out.append(make_issue(
                "rule_conflict", focus, f"No entity can satisfy these rules together: {lines}.",
                "Drop or correct one of them; every entity with these properties would be reported otherwise.",
                check="rules", extra={"rules": [r.text for r in c.rules], "lines": [r.line for r in c.rules]}))
        else:
            out.append(make_issue(
                "rule_not_checked", focus, f"Whether these rules can hold together was not decided ({c.reason}): "
                f"{lines}.", "They are still checked on every entity.", check="rules", severity="info",
                extra={"rules": [r.text for r in c.rules], "lines": [r.line for r in c.rules]}))
    return out
