"""The trust suite: wrong facts are never verified, cues are not facts, nothing vanishes.

Runs every case of ``tests/trust_cases.py`` in a fresh in-memory session of its
domain (CQs, then the optional setup text, then the case's text), once in the
default mode and once with ``types="strict"``, and checks the expectations of
the cases. Each test's message lists the offending cases with what the
extraction gave. A *verified* fact is an accepted one with no flags.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pytest

from .trust_cases import ACCEPT_KINDS, CASES, CUE_CODES, DOMAINS, KINDS, Outcome, key, run_cases


@lru_cache(maxsize=None)
def outcomes(mode: str) -> tuple[Outcome, ...]:
    return tuple(run_cases(mode))


def strict_outcomes() -> tuple[Outcome, ...]:
    outs = outcomes("strict")
    if any(o.error for o in outs):
        pytest.skip(f"strict mode is not available: {outs[0].error} (see test_strict_mode_has_no_flags)")
    return outs


def report(problems: list[str]) -> str:
    return f"{len(problems)} offending case(s):\n  " + "\n  ".join(problems)


def show(o: Outcome) -> str:
    return "\n      " + o.text.replace("\n", "\n      ")


# ------------------------------------------------------------------ the cases
def test_cases_cover_the_spec() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert len(CASES) >= 40
    per_domain = Counter(c["domain"] for c in CASES)
    assert set(per_domain) == set(DOMAINS) and len(DOMAINS) >= 5, per_domain
    assert set(Counter(c["kind"] for c in CASES)) == set(KINDS)
    texts = " ".join(c["text"] for c in CASES).lower()
    for cue in ("not", "never", "no longer", "neither", "nor", "failed to", "denied", "reportedly",
                "allegedly", "may have", "might have", "could have", "rumoured", "is said to", "possibly",
                "will", "would", "if", "plans to", "will smith", "may 1979", "notting hill",
                "nevertheless", "never-ending story"):
        assert f" {cue} " in f" {texts.replace('.', ' ').replace(',', ' ')} ", cue
    for c in CASES:
        assert 1 <= c["text"].count(". ") + 1 <= 3, c["id"]
        for t in [*c["facts"], *c["not_facts"], *c["wrong"], *(t for t, _ in c["must_report"])]:
            assert len(t) == 3 and all(isinstance(x, str) and x for x in t), (c["id"], t)


# ---------------------------------------------------------------- the promise
@pytest.mark.parametrize("mode", ["default", "strict"])
def test_no_wrong_fact_is_verified(mode: str) -> None:
    outs = outcomes(mode) if mode == "default" else strict_outcomes()
    problems = []
    for o in outs:
        bad = [t for t in o.case["wrong"] if o.verified(t)]
        if o.case["kind"] == "cue_no_relation":  # a cue sentence that states no relation verifies none
            bad += [k for k, flags in o.accepted.items() if not flags and k[1] != "isa"]
        if bad:
            problems.append(f"{o.case['id']}: verified {bad}" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_no_negated_hedged_or_hypothetical_statement_is_accepted() -> None:
    problems = []
    for o in outcomes("default"):
        for t in o.case["not_facts"]:
            if o.is_accepted(t):
                problems.append(f"{o.case['id']}: accepted {t} (flags {o.accepted[key(t)]})" + show(o))
            elif key(t) in o.rejected and not o.codes(t) & CUE_CODES:
                problems.append(f"{o.case['id']}: {t} rejected with {sorted(o.codes(t))}, "
                                f"none of {sorted(CUE_CODES)}" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_no_negated_hedged_or_hypothetical_statement_is_accepted_in_strict_mode() -> None:
    problems = [f"{o.case['id']}: accepted {t}" + show(o)
                for o in strict_outcomes() for t in o.case["not_facts"] if o.is_accepted(t)]
    if problems:
        pytest.fail(report(problems), pytrace=False)


@pytest.mark.parametrize("mode", ["default", "strict"])
def test_nothing_formed_vanishes(mode: str) -> None:
    outs = outcomes(mode) if mode == "default" else strict_outcomes()
    problems = []
    for o in outs:
        for t, codes in o.must_report():
            if not o.codes(t) & codes:
                got = (f"rejected with {sorted(o.codes(t))}" if key(t) in o.rejected else
                       f"accepted (flags {o.accepted[key(t)]})" if o.is_accepted(t) else "not reported at all")
                problems.append(f"{o.case['id']}: {t} {got}, expected one of {sorted(codes)}" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_type_conflicts_name_both_types() -> None:
    problems = []
    for o in outcomes("default"):
        if not o.case.get("type_conflict"):
            continue
        entity, (a, b), codes = o.case["type_conflict"]
        hits = [f"[{code}] {m}" for code, m in o.issues if code in codes]
        if not any(a.lower() in m.lower() and b.lower() in m.lower() and entity in m for m in hits):
            problems.append(f"{o.case['id']}: no {'/'.join(sorted(codes))} issue naming {a} and {b} "
                            f"for {entity!r} (such issues: {hits})" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_lookalikes_are_not_taken_for_cues() -> None:
    problems = []
    for o in outcomes("default"):
        if o.case["kind"] not in ACCEPT_KINDS:
            continue
        for t in o.case["facts"]:
            if o.codes(t) & CUE_CODES:
                problems.append(f"{o.case['id']}: {t} rejected with {sorted(o.codes(t))}" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_lookalike_facts_are_accepted() -> None:
    problems = []
    for o in outcomes("default"):
        if o.case["kind"] not in ACCEPT_KINDS:
            continue
        for t in o.case["facts"]:
            if not o.is_accepted(t):
                got = f"rejected with {sorted(o.codes(t))}" if key(t) in o.rejected else "never formed"
                problems.append(f"{o.case['id']}: {t} {got}" + show(o))
    if problems:
        pytest.fail(report(problems), pytrace=False)


def test_strict_mode_has_no_flags() -> None:
    outs = outcomes("strict")
    errors = sorted({o.error for o in outs if o.error})
    if errors:
        pytest.fail(f"strict mode could not run: {errors}", pytrace=False)
    problems = [f"{o.case['id']}: {k} accepted with flags {flags}" + show(o)
                for o in outs for k, flags in o.accepted.items() if flags]
    if problems:
        pytest.fail(report(problems), pytrace=False)
