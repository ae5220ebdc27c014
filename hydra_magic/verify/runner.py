"""One verification run: full or incremental, every check, one report.

A full run indexes the KG (:class:`~.index.FactIndex`) and runs every check
set-based over the index. The index and the issues, filed under their focus
node, stay in ``session.verify_state``. The next run syncs the index from the
session history and rechecks only the nodes the changed triples touch (their
subjects and objects; a type change, or a change of a type triple's evidence
between stated and inferred, is a triple of its entity), plus, for a
transitive property, the subjects with a path into a changed triple. A change
of the ontology, the rules or the shapes starts a full run again (the session
also clears the state when rules or shapes change), and so does a change of
the session's types mode (``session.config.types``: whether a check that holds
only through inferred types is a ``type_inferred`` warning or, strict, an
``untyped_entity`` error).

The full path narrows every check down with set operations first
(:mod:`.prefilter`) and then runs the same per-node checks as the incremental
path on what is left, so both report exactly the same issues.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from typing import Literal as TLiteral

from rdflib import URIRef

from ..contracts.modelling import check_modelling
from ..errors import InputError
from ..issues import Issue
from ..wording import count
from .context import OntologyContext, ontology_signature
from .cq_tests import CQTest, run_cq_tests
from .findings import Findings, make_issue
from .index import FactIndex, Key, key_of
from .owl_checks import (
    check_characteristics,
    check_disjoint,
    check_inverse_functional,
    reaching,
    transitive_from,
    transitive_issues,
)
from .prefilter import Prefilter, suspect_disjoint, suspect_rules
from .report import VerificationReport, issue_sort_key
from .terms import BLANK, LIT
from .typing_checks import (
    check_object_predicate,
    check_subject_predicate,
    check_untyped,
    shacl_comparable,
)
from .value_rules import (
    ValueRule,
    check_entity_rules,
    compile_rules,
    conflict_issues,
    find_conflicts,
    parse_rules,
)

if TYPE_CHECKING:
    from ..session_state import SessionState

__all__ = ["ShaclMode", "VerifyState", "inferred_fact_count", "run"]

ShaclMode = TLiteral["user", "all", "none"]
_RULES_FOCUS = "urn:hydra:rules"


@dataclass
class VerifyState:
    """What a run leaves for the next one (kept in ``session.verify_state``, never persisted)."""

    onto_sig: Any
    rules_key: tuple[str, ...]
    shapes_key: tuple[str, ...]
    ctx: OntologyContext
    idx: FactIndex
    findings: Findings = field(default_factory=dict)
    #: transitive property -> subject -> implied (object, chain) rows, and the infos made from them
    transitive_rows: dict[str, dict[str, list[tuple[str, list[str]]]]] = field(default_factory=dict)
    transitive: dict[str, list[Issue]] = field(default_factory=dict)
    rules: list[ValueRule] = field(default_factory=list)
    compiled: list[Any] = field(default_factory=list)
    rule_issues: list[Issue] = field(default_factory=list)
    rule_notes: list[str] = field(default_factory=list)
    disjoint_memo: dict[Any, Any] = field(default_factory=dict)
    #: Bumped whenever the KG changed; caches of whole-KG checks (pySHACL, CQs) key on it.
    kg_version: int = 0
    shacl_cache: tuple[Any, list[Issue], list[str]] | None = None
    cq_cache: tuple[Any, list[CQTest], list[Issue]] | None = None
    #: (ontology signature, CQ texts) -> the modelling flags; they change only with those two.
    modelling_cache: tuple[Any, list[Issue]] | None = None
    #: Checked inside the session's store (:mod:`.store_scope`): ``idx`` then holds only the facts around
    #: the nodes of the last check, and these say what the findings cover and where the store stood.
    in_store: bool = False
    store_revision: int = 0
    #: focus -> the triples its findings report as resting on inferred types (store runs)
    inferred: dict[str, set[Key]] = field(default_factory=dict)


# ---------------------------------------------------------------- checking
def _check_node(e: str, st: VerifyState) -> list[Issue]:
    """Every node-level check for one focus node (the incremental path)."""
    idx, ctx = st.idx, st.ctx
    out: list[Issue] = []
    for p, d in idx.pso.items():
        objs = d.get(e)
        if objs:
            check_subject_predicate(e, p, objs, idx, ctx, out)
            check_characteristics(e, p, objs, idx, ctx, out)
    for p, r in idx.pos.items():
        subs = r.get(e)
        if subs:
            check_object_predicate(e, p, subs, idx, ctx, out)
            check_inverse_functional(e, p, subs, idx, ctx, out)
    check_untyped(e, idx, ctx, out)
    check_disjoint(e, idx, ctx, out, st.disjoint_memo)
    if st.compiled:
        check_entity_rules(e, st.compiled, idx, out)
    return out


def _check_all(st: VerifyState) -> Findings:
    """The same checks as :func:`_check_node` over every node, on the nodes the set-wise filters of
    :mod:`.prefilter` leave (a superset of those with issues): the full path."""
    idx, ctx = st.idx, st.ctx
    found: Findings = {}

    def file(node: str, issues: list[Issue]) -> None:
        have = found.get(node)
        if have is None:
            found[node] = issues
        else:
            have.extend(issues)

    pre = Prefilter(idx, ctx)
    for p, d in idx.pso.items():
        subjects = pre.subjects(p)
        for s in (d if subjects is None else subjects):
            objs = d[s]
            out: list[Issue] = []
            check_subject_predicate(s, p, objs, idx, ctx, out)
            check_characteristics(s, p, objs, idx, ctx, out)
            if out:
                file(s, out)
    for p, r in idx.pos.items():
        for o in pre.objects(p):
            out = []
            check_object_predicate(o, p, r[o], idx, ctx, out)
            check_inverse_functional(o, p, r[o], idx, ctx, out)
            if out:
                file(o, out)
    for e in pre.untyped:
        out = []
        check_untyped(e, idx, ctx, out)
        if out:
            file(e, out)
    for e in suspect_disjoint(idx, ctx):
        out = []
        check_disjoint(e, idx, ctx, out, st.disjoint_memo)
        if out:
            file(e, out)
    if st.compiled:
        numbers: dict[str, float | None] = {}
        for e in suspect_rules(st.compiled, idx, numbers):
            out = []
            check_entity_rules(e, st.compiled, idx, out, numbers)
            if out:
                file(e, out)
    return found


def _prepare_rules(st: VerifyState, session: SessionState) -> None:
    rules: list[ValueRule] = []
    issues: list[Issue] = []
    for n, line in enumerate(session.rules, start=1):
        try:
            parsed = parse_rules(line, session.ontology)
        except InputError as exc:
            issues.append(make_issue("rule_invalid", _RULES_FOCUS, f"Rule {n} ({line!r}) is not checked: {exc}",
                                     "Correct the rule, or add the property it names back to the ontology.",
                                     check="rules", extra={"rule": line, "line": n}))
            continue
        rules += [ValueRule(r.text, n, r.relations, r.variables) for r in parsed]
    st.rules = rules
    st.compiled = compile_rules(rules)
    # keyed by URIRef as the rules' variables are: a str key never equals a URIRef in rdflib
    datatypes = {URIRef(p): dt for p, dt in st.ctx.datatype_ref.items()}
    conflicts = find_conflicts(rules, datatypes) if rules else []
    st.rule_issues = issues + conflict_issues(conflicts, _RULES_FOCUS)
    if rules:
        bad = [c for c in conflicts if c.decided]
        st.rule_notes = [f"Value rules: {len(rules)} rule(s); "
                         + (f"{len(bad)} conflicting set(s) found before checking the KG." if bad
                            else "they can hold together (checked with sympy before checking the KG).")]
    else:
        st.rule_notes = []


def _types_mode(session: SessionState) -> str:
    mode = getattr(session.config, "types", "default")
    if mode not in ("default", "strict"):
        raise InputError(f"Unknown types mode {mode!r}. Use 'default' (facts on inferred types are reported as "
                         "'type_inferred' warnings) or 'strict' (as 'untyped_entity' errors).")
    return mode


def inferred_fact_count(issues: list[Issue], idx: FactIndex) -> int:
    """How many distinct triples rest on inferred types: those the domain (``role="subject"``) and
    range (``role="object"``) findings cover, each counted once."""
    return len(inferred_keys(issues, idx))


def inferred_keys(issues: Iterable[Issue], idx: FactIndex) -> set[Key]:
    """The triples the domain and range findings among ``issues`` cover (``idx`` holds their facts)."""
    keys: set[Key] = set()
    for i in issues:
        role = i.data.get("role")
        if role is None or i.data.get("check") != "typing":
            continue
        focus, p = str(i.data["focus"]), str(i.data["predicate"])
        e = focus[1:-1] if focus[:1] == "<" else BLANK + focus[2:]
        if role == "subject":
            keys.update((e, p, o) for o in idx.pso.get(p, {}).get(e, ()))
        else:
            keys.update((x, p, e) for x in idx.pos.get(p, {}).get(e, ()))
    return keys


def _in_store(session: SessionState) -> bool:
    """The session's graph lives in a store that can answer the narrowing queries (:mod:`.store_scope`)."""
    return callable(getattr(session.kg, "facts_touching", None))


def _full_state(session: SessionState, sig: Any, old: VerifyState | None, timings: dict[str, float]) -> VerifyState:
    t0 = time.perf_counter()
    ctx = OntologyContext.of(session.ontology, _types_mode(session))
    if _in_store(session):
        idx = FactIndex(ctx.reverse)  # the store finds the suspects; their facts are read after the rules
    else:
        idx = FactIndex.build(session.kg, ctx.reverse)
        idx.mark_synced(session)
    timings["index"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    st = VerifyState(sig, tuple(session.rules), tuple(session.shapes), ctx, idx)
    if old is not None and old.onto_sig == sig and old.rules_key == st.rules_key:
        # Same rules over the same ontology: the sympy analysis (the slow part) still holds.
        st.rules, st.compiled, st.rule_issues, st.rule_notes = old.rules, old.compiled, old.rule_issues, old.rule_notes
    else:
        _prepare_rules(st, session)
    timings["rules"] = time.perf_counter() - t0
    st.in_store = _in_store(session)
    return st


def _check_in_store(st: VerifyState, session: SessionState, timings: dict[str, float]) -> int:
    """The full check of a stored graph: the suspects from the store, then the per-node checks on them."""
    from .store_scope import neighbourhood_index, suspects

    kg: Any = session.kg
    t0 = time.perf_counter()
    st.store_revision = kg.revision
    nodes = suspects(kg, st.ctx, st.compiled)
    timings["suspects"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    st.idx = neighbourhood_index(kg, nodes, st.ctx)
    timings["index"] = timings.get("index", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    st.findings, st.inferred = {}, {}
    _recheck_nodes(st, nodes, {p: set(st.idx.pso.get(p, {})) for p in st.ctx.transitive})
    timings["checks"] = time.perf_counter() - t0
    return len(nodes)


def _recheck_in_store(st: VerifyState, session: SessionState, timings: dict[str, float]) -> tuple[int, int] | None:
    """An incremental check of a stored graph: the nodes the changes since the last run touch, on their
    facts read again from the store. None when those changes are no longer known (then a full check)."""
    from .store_scope import neighbourhood_index

    kg: Any = session.kg
    log = kg.changes_since(st.store_revision)
    if log is None:
        return None
    t0 = time.perf_counter()
    revision = kg.revision
    changed = list(dict.fromkeys(key_of(f) for _, f in log))
    if not changed:
        return 0, 0
    dirty, transitive = _dirty(changed, st.ctx)
    # Read first: a store that fails here leaves the state as it was, and the next run sees these changes.
    idx = neighbourhood_index(kg, dirty, st.ctx)
    st.store_revision, st.idx = revision, idx
    st.kg_version += 1
    timings["index"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _recheck_nodes(st, dirty, transitive)
    timings["checks"] = time.perf_counter() - t0
    return len(changed), len(dirty)


# ---------------------------------------------------------------- running
def run(session: SessionState, *, full: bool = False, shacl: ShaclMode | bool | None = None,
        cqs: bool = True) -> VerificationReport:
    """Verify the session's KG; incremental unless ``full`` (or nothing is cached yet).

    Parameters
    ----------
    full
        Recheck everything instead of only what changed since the last run.
    shacl
        ``"user"`` (default): pySHACL validates the user shapes (``%%shacl``).
        ``"all"`` (or ``True``): also the shapes generated from the ontology, as
        a cross-check of the set-based checks (slow: pySHACL took 14 s on
        100k triples here without the SHACL-SPARQL shapes, the set-based checks 0.3 s).
        ``"none"`` (or ``False``): no pySHACL at all.
    cqs
        Run the competency questions as tests.
    """
    mode: ShaclMode = "all" if shacl is True else "none" if shacl is False else (shacl or "user")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    sig = ontology_signature(session.ontology)
    st = session.verify_state if isinstance(session.verify_state, VerifyState) else None
    notes: list[str] = []
    same = (st is not None and st.onto_sig == sig and st.rules_key == tuple(session.rules)
            and st.shapes_key == tuple(session.shapes) and st.ctx.types_mode == _types_mode(session))
    in_store = _in_store(session)
    counts = _recheck_in_store(st, session, timings) if st is not None and same and st.in_store and not full else None
    if counts is not None:
        run_mode, (changed_n, rechecked) = "incremental", counts
    elif in_store:
        paused = gc.isenabled()
        gc.disable()  # as below
        try:
            st = _full_state(session, sig, st, timings)
            _check_in_store(st, session, timings)
        finally:
            if paused:
                gc.enable()
        run_mode, changed_n, rechecked = "full", len(session.kg), len(session.kg)
    elif full or st is None or st.in_store or not same:
        # Building the index allocates millions of small containers; the cyclic collector would
        # rescan them over and over (they hold no cycles), so it pauses for the build and the checks.
        paused = gc.isenabled()
        gc.disable()
        try:
            st = _full_state(session, sig, st, timings)
            t1 = time.perf_counter()
            st.findings = _check_all(st)
            for p in st.ctx.transitive:
                d = st.idx.pso.get(p, {})
                rows = {s: r for s in d if (r := transitive_from(s, p, st.idx))}
                st.transitive_rows[p] = rows
                st.transitive[p] = transitive_issues(p, rows, st.idx)
            timings["checks"] = time.perf_counter() - t1
        finally:
            if paused:
                gc.enable()
        run_mode, changed_n, rechecked = "full", len(st.idx), len(st.idx)
    else:
        assert st is not None  # same
        changed = st.idx.sync(session)
        timings["index"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        dirty = _recheck(st, changed)
        timings["checks"] = time.perf_counter() - t1
        run_mode, changed_n, rechecked = "incremental", len(changed), dirty
    assert st is not None  # every branch above leaves a state
    session.verify_state = st
    issues: list[Issue] = [i for lst in st.findings.values() for i in lst]
    for lst in st.transitive.values():
        issues += lst
    issues += st.rule_issues
    notes += st.rule_notes

    t1 = time.perf_counter()
    issues += _shacl(st, session, mode, notes, issues)
    timings["shacl"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    tests: list[CQTest] = []
    if cqs and session.cqs:
        key = (tuple((c.text, c.expected, c.sparql) for c in session.cqs), st.kg_version)
        if st.cq_cache is not None and st.cq_cache[0] == key:
            tests, cq_issues = st.cq_cache[1], st.cq_cache[2]
        else:
            if st.in_store:
                from .store_scope import StoreIndexView

                tests, cq_issues = run_cq_tests(session, StoreIndexView(session.kg, st.ctx.reverse))  # type: ignore[arg-type]
            else:
                tests, cq_issues = run_cq_tests(session, st.idx)
            st.cq_cache = (key, tests, cq_issues)
        issues += cq_issues
    timings["cqs"] = time.perf_counter() - t1
    # The modelling flags judge the ontology against the CQs (a class named after a CQ's example, a
    # literal as a class): part of every report, from %hydra verify, verify() and the CLI alike.
    flags_key = (st.onto_sig, tuple(c.text for c in session.cqs))
    if st.modelling_cache is None or st.modelling_cache[0] != flags_key:
        st.modelling_cache = (flags_key, check_modelling(session.ontology, session.cqs))
    issues += st.modelling_cache[1]
    issues.sort(key=issue_sort_key)
    if st.in_store:
        inferred = len(set().union(*st.inferred.values())) if st.inferred else 0
    else:
        inferred = inferred_fact_count(issues, st.idx)
    if inferred:
        strict = st.ctx.types_mode == "strict"
        notes.append(f"{count(inferred, 'fact')} {'rests' if inferred == 1 else 'rest'} on types inferred from "
                     "relations, not stated: "
                     + ("rejected as 'untyped_entity' (strict types mode)." if strict else
                        "kept but not verified ('type_inferred'); state the types to verify them."))
    try:
        st.idx.fill_evidence()
    except BaseException:
        session.verify_state = None  # findings without their sentences: the next run checks afresh
        raise
    timings["total"] = time.perf_counter() - t0
    # A stored graph is not read whole: it counts its facts (one per source and triple), not distinct triples.
    checked = {"triples": len(session.kg) if st.in_store else len(st.idx), "changed": changed_n, "rechecked": rechecked,
               "rules": len(st.rules), "shapes": len(session.shapes), "cqs": len(session.cqs),
               "type_inferred": inferred}
    return VerificationReport(issues, tests, run_mode, checked, {k: round(v, 6) for k, v in timings.items()}, notes)


def _recheck(st: VerifyState, changed: list[Key]) -> int:
    if not changed:
        return 0
    st.kg_version += 1
    dirty, transitive = _dirty(changed, st.ctx)
    _recheck_nodes(st, dirty, transitive)
    return len(dirty)


def _dirty(changed: list[Key], ctx: OntologyContext) -> tuple[set[str], dict[str, set[str]]]:
    """The nodes whose findings the changed triples may change, and per transitive property the
    subjects of its changed triples."""
    dirty: set[str] = set()
    transitive: dict[str, set[str]] = {}
    for s, p, o in changed:
        dirty.add(s)
        if o[:1] != LIT or p in ctx.reverse:
            dirty.add(o)
        if p in ctx.transitive:
            transitive.setdefault(p, set()).add(s)
    return dirty, transitive


def _recheck_nodes(st: VerifyState, dirty: Iterable[str], transitive: dict[str, set[str]]) -> None:
    """Every node check on ``dirty``, and the implied triples of the transitive properties from ``transitive``."""
    for e in dirty:
        issues = _check_node(e, st)
        if issues:
            st.findings[e] = issues
        else:
            st.findings.pop(e, None)
        if st.in_store:
            keys = inferred_keys(issues, st.idx)
            if keys:
                st.inferred[e] = keys
            else:
                st.inferred.pop(e, None)
    for p, starts in transitive.items():
        # Only subjects with a path into a changed triple can imply something new (or no longer).
        rows = st.transitive_rows.setdefault(p, {})
        for s in reaching(starts, p, st.idx):
            r = transitive_from(s, p, st.idx)
            if r:
                rows[s] = r
            else:
                rows.pop(s, None)
        st.transitive[p] = transitive_issues(p, rows, st.idx)


def _shacl(st: VerifyState, session: SessionState, mode: ShaclMode, notes: list[str],
           found: list[Issue]) -> list[Issue]:
    """pySHACL over user shapes (and, with ``mode="all"``, the generated ones); cached per KG version."""
    from .shacl import data_graph, ontology_shapes, run_pyshacl, shapes_graph

    if mode == "none" or (mode == "user" and not session.shapes):
        if session.shapes:
            notes.append(f"pySHACL not run: {len(session.shapes)} user shape cell(s) skipped (shacl='none').")
        else:
            notes.append("Ontology constraints (domain, range, datatypes, characteristics, disjointness) were "
                         "checked set-based; pass shacl='all' to cross-check them with pySHACL (slow on large KGs).")
        return []
    key = (st.kg_version, mode)
    if st.shacl_cache is not None and st.shacl_cache[0] == key:
        notes.extend(st.shacl_cache[2])
        return list(st.shacl_cache[1])
    t0 = time.perf_counter()
    # pySHACL needs the whole graph: a stored one is read into an index for it (only when it runs).
    full_idx = FactIndex.build(session.kg, st.ctx.reverse) if st.in_store else st.idx
    data = data_graph(full_idx)
    out: list[Issue] = []
    my_notes: list[str] = []
    if session.shapes:
        g = None
        for text in session.shapes:
            part = shapes_graph(text, base=session.config.base)
            g = part if g is None else g + part
        assert g is not None  # session.shapes is not empty
        out += run_pyshacl(data, g, session.ontology.graph, full_idx)
    if mode == "all":
        shapes, kinds = ontology_shapes(st.ctx)
        generated = run_pyshacl(data, shapes, session.ontology.graph, full_idx, kinds=kinds, ctx=st.ctx)

        def key_of(i: Issue) -> tuple[str, str, str]:
            return (i.code, str(i.data.get("focus", "")), str(i.data.get("predicate", "")))

        # pySHACL cannot see type evidence: what only the evidence decides is not for it to find.
        ours = {key_of(i) for i in found if i.data.get("check") in ("typing", "owl") and shacl_comparable(i)}
        theirs = {key_of(i) for i in generated}
        everything = {key_of(i) for i in found}
        out += [i for i in generated if key_of(i) not in everything]
        comparable = {k for k in ours if k[0] not in ("unknown_property", "unknown_class", "class_as_entity",
                                                      "symmetric_inferred", "transitive_inferred")}
        my_notes.append(f"pySHACL cross-check on the ontology's shapes: {len(theirs & comparable)} finding(s) "
                        f"agree, {len(theirs - comparable)} only pySHACL, {len(comparable - theirs)} only set-based.")
    full_idx.fill_evidence()
    my_notes.insert(0, f"pySHACL validated {len(session.shapes)} user shape cell(s)"
                    + (" and the ontology's generated shapes" if mode == "all" else "")
                    + f" over {len(full_idx):,} triples in {time.perf_counter() - t0:.2f}s.")
    st.shacl_cache = (key, out, my_notes)
    notes.extend(my_notes)
    return out
