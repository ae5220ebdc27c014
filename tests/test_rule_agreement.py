"""One rule, three checkers: the candidate contracts, ``%hydra verify`` and pySHACL agree on the same triples.

A random small ontology and a batch of candidates are checked by
:func:`~hydra_magic.contracts.check_triples` against an empty KG; then every
candidate, accepted or rejected, becomes a fact (accepted typings keep their
``type_inferred`` flag) and the whole graph is verified, set-based
(:func:`hydra_magic.verify.run`) and by pySHACL on the shapes generated from the
ontology. Per relation candidate the three must agree on its error codes, and
the candidate's ``type_inferred`` flag must match the graph's ``type_inferred``
finding (strict types mode: both reject with ``untyped_entity``).

What is not compared, and why:

- Typings of one entity are drawn on one branch of the class tree (each is a
  sub- or superclass of the other), and never twice the same: a conflicting or
  repeated typing is rejected (or deduplicated) by the contracts but would still
  type the entity in the graph, so the two checkers would see different types.
- Strict mode rejects an inferred typing, so the contracts never count it while
  the graph holds it: for an entity typed only that way the contracts say
  ``untyped_entity`` and the graph may say ``domain_mismatch``/``range_mismatch``
  when the inferred type does not fit (both reject; the test maps that one case).
- pySHACL cannot express: ``unknown_property`` (the generated shapes are per
  ontology property and not closed), ``type_inferred`` and its strict form
  (whether a type was stated lives in the facts' evidence, not in RDF), and a
  mismatch of an entity whose stated types miss while an inferred one fits (the
  set-based check judges stated types first, pySHACL all types).
- ``entity_for_data_property`` and ``literal_for_object_property`` never come
  from candidates: a candidate's object is a string, read as a literal for a data
  property and as an entity name for an object property. The graph and pySHACL
  sides of those two are compared on facts built directly (last test).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, Literal, URIRef

from hydra_magic.candidates import TripleCandidate
from hydra_magic.contracts import CheckedTriple, check_literal, check_triples, to_literal
from hydra_magic.rule_registry import CODES as REGISTRY_CODES
from hydra_magic.contracts.triple_rules import is_typing_predicate
from hydra_magic.rule_registry import RULES, by_shape
from hydra_magic.issues import CODES
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig
from hydra_magic.verify import run
from hydra_magic.verify.context import OntologyContext
from hydra_magic.verify.shacl import data_graph, ontology_shapes, run_pyshacl
from hydra_magic.verify.terms import n3, tid

CLASS_NAMES = ["Agent", "Person", "Work", "Film", "Place", "City"]
ENTITIES = ["ent_a", "ent_b", "ent_c", "ent_d", "ent_e"]
DATATYPES = [XSD.integer, XSD.string, XSD.date, XSD.boolean]
VALUES = ["1979", "1,200", "abc", "1979-05-25", "May 1979", "true", "yes", "ent_a"]
UNKNOWN = "knownFor"  # not a property of any drawn ontology

# The codes of the typing rules a relation candidate can get with names that are well formed.
RELATION_CODES = {"unknown_property", "untyped_entity", "domain_mismatch", "range_mismatch",
                  "literal_datatype_mismatch"}
# What pySHACL can find on the generated shapes (see module docstring for the rest).
SHACL_CODES = {"untyped_entity", "domain_mismatch", "range_mismatch", "literal_datatype_mismatch",
               "literal_for_object_property", "entity_for_data_property"}


@dataclass
class World:
    parents: list[int | None]
    props: list[tuple[str, str, list[int], list[int] | URIRef]]  # (kind, name, domain, range or datatype)
    typings: list[tuple[str, int, bool]]  # (entity, class, inferred)
    relations: list[tuple[str, str, str]]


@st.composite
def worlds(draw) -> World:
    n = draw(st.integers(3, 6))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    classes = st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True)
    n_obj = draw(st.integers(1, 2))
    n_data = draw(st.integers(1, 4 - n_obj))
    props: list[tuple[str, str, list[int], list[int] | URIRef]] = []
    for k in range(n_obj):
        props.append(("object", f"link{'ABC'[k]}", draw(classes), draw(classes)))
    for k in range(n_data):
        props.append(("data", f"value{'ABC'[k]}", draw(classes), draw(st.sampled_from(DATATYPES))))

    def related(a: int) -> list[int]:  # ancestors and descendants of class a
        up, x = [], parents[a]
        while x is not None:
            up.append(x)
            x = parents[x]
        return up + [c for c in range(n) if a in _ancestors(parents, c)]

    typings: list[tuple[str, int, bool]] = []
    for e in ENTITIES:
        how = draw(st.integers(0, 2))  # untyped, one typing, two typings on one branch
        if how == 0:
            continue
        first = draw(st.integers(0, n - 1))
        typings.append((e, first, draw(st.booleans())))
        if how == 2 and related(first):
            typings.append((e, draw(st.sampled_from(related(first))), draw(st.booleans())))
    relations = []
    for _ in range(draw(st.integers(1, 8))):
        s = draw(st.sampled_from(ENTITIES))
        kind, name = draw(st.sampled_from([(k, nm) for k, nm, _, _ in props] + [("object", UNKNOWN)]))
        o = draw(st.sampled_from(ENTITIES if kind == "object" else VALUES))
        if kind == "object" and draw(st.booleans()):
            s, o = o, s  # swapped
        relations.append((s, name, o))
    return World(parents, props, typings, relations)


def _ancestors(parents: list[int | None], c: int) -> list[int]:
    out, x = [], parents[c]
    while x is not None:
        out.append(x)
        x = parents[x]
    return out


def _session(w: World, types: str) -> Session:
    s = Session("agreement", SessionConfig(journal_dir=None, types=types), restore=False)
    o = s.ontology
    iris: list[URIRef] = []
    for i, parent in enumerate(w.parents):
        iris.append(o.add_class(CLASS_NAMES[i], parent=iris[parent] if parent is not None else None, refresh=False))
    for kind, name, dom, rng in w.props:
        o.add_property(name, kind, [iris[i] for i in dom],  # type: ignore[arg-type]
                       [iris[i] for i in rng] if kind == "object" else [rng], refresh=False)  # type: ignore[union-attr]
    o.refresh()
    return s


def _candidates(w: World) -> list[TripleCandidate]:
    typings = [TripleCandidate(e, "isA", CLASS_NAMES[c], inferred=inf) for e, c, inf in w.typings]
    return typings + [TripleCandidate(*r) for r in dict.fromkeys(w.relations)]


def _fact(s: Session, ct: CheckedTriple) -> Fact:
    """The fact a candidate states, accepted or not: an accepted typing keeps the contracts' flags,
    a rejected one (strict mode rejects inferred typings) is flagged as the engine inferred it."""
    onto, kg, c = s.ontology, s.kg, ct.candidate
    subj = kg.entity_iri(c.subject)
    if is_typing_predicate(c.predicate, onto):
        cls = onto.get_class(c.object)
        assert cls is not None
        flags = tuple(ct.flags) if ct.ok else ("type_inferred",) if c.inferred else ()
        return Fact(subj, RDF.type, cls.iri, Evidence(source="t", flags=flags))
    prop = onto.get_property(c.predicate)
    if prop is None:
        return Fact(subj, onto.ns[c.predicate], kg.entity_iri(c.object), Evidence(source="t"))
    if prop.kind == "object":
        obj = kg.entity_iri(c.object)
    else:
        obj = Literal(c.object) if check_literal(c.object, prop.datatype) else to_literal(c.object, prop.datatype)
    return Fact(subj, prop.iri, obj, Evidence(source="t"))


def _about(issues, fact: Fact, object_property: bool, known: bool) -> set[str]:
    """Codes of the error and type_inferred issues that judge the triple of ``fact``."""
    subj, pred_iri, obj = n3(tid(fact.subject)), str(fact.predicate), n3(tid(fact.object))
    out = set()
    for i in issues:
        d = i.data
        focus, pred, role = d.get("focus"), d.get("predicate"), d.get("role")
        if i.severity != "error" and i.code != "type_inferred":
            continue
        if not known:
            hit = i.code == "unknown_property" and focus == subj and pred == pred_iri
        elif role is not None:
            hit = pred == pred_iri and focus == (subj if role == "subject" else obj)
        elif i.code == "untyped_entity":
            hit = focus == subj or (object_property and focus == obj)
        elif i.code == "range_mismatch":
            hit = focus == obj and pred == pred_iri
        else:
            hit = focus == subj and pred == pred_iri and d.get("value") in (None, obj)
        if hit:
            out.add(i.code)
    return out


def _agree(w: World, types: str) -> None:
    s = _session(w, types)
    cands = _candidates(w)
    verdict = check_triples(cands, s.ontology, s.kg, text=None, ground=False, types=types)
    checked = {id(ct.candidate): ct for ct in verdict.accepted + verdict.rejected}
    facts = {}
    stated, inferred = set(), set()  # entities with a typing fact unflagged / flagged
    for c in cands:
        ct = checked[id(c)]
        f = facts[id(c)] = _fact(s, ct)
        if ct.ok:  # the contracts made the same triple
            assert (ct.subject, ct.predicate, ct.object) == (f.subject, f.predicate, f.object), c
        if f.predicate == RDF.type:
            (inferred if f.evidence.flags else stated).add(c.subject)
    # typings strict mode rejected (inferred): in the graph, but never counted by the contracts
    rejected_typed = {ct.candidate.subject for ct in verdict.rejected if ct.predicate is None
                      and is_typing_predicate(ct.candidate.predicate, s.ontology)}
    s.kg.add(list(facts.values()))
    report = run(s, full=True, shacl="none", cqs=False)
    state = s.verify_state
    shapes, kinds = ontology_shapes(state.ctx)
    shacl = run_pyshacl(data_graph(state.idx), shapes, s.ontology.graph, state.idx, kinds=kinds, ctx=state.ctx)
    assert {i.code for i in shacl} <= SHACL_CODES

    for c in cands:
        if is_typing_predicate(c.predicate, s.ontology):
            continue
        ct, f = checked[id(c)], facts[id(c)]
        prop = s.ontology.get_property(c.predicate)
        obj_prop = prop is not None and prop.kind == "object"
        ends = [(c.subject, "domain_mismatch")] + ([(c.object, "range_mismatch")] if obj_prop else [])
        mine = set(ct.codes)
        assert mine <= RELATION_CODES, (c, ct.issues)
        graph = _about(report.issues, f, obj_prop, prop is not None)
        theirs = _about(shacl, f, obj_prop, prop is not None)
        # (c) the candidate's flag is the graph's finding, recomputed from the type facts' evidence.
        # A rejected candidate carries no flag (a flag qualifies a fact); put into the graph anyway,
        # it may get the warning beside its errors.
        if ct.ok:
            assert ("type_inferred" in ct.flags) == ("type_inferred" in graph), (c, ct.flags, report.to_text())
        else:
            assert not ct.flags
        graph.discard("type_inferred")
        if types == "strict":
            # an entity typed only by rejected (inferred) typings: untyped for the contracts, not for the graph
            for e, mismatch in ends:
                if e in rejected_typed and e not in stated and mismatch in graph:
                    graph.discard(mismatch)
                    graph.add("untyped_entity")
        # (a) + (b): the same errors, whoever checks
        assert graph == mine, (c, mine, graph, report.to_text())
        # pySHACL: the same errors where SHACL can express them
        expressible = set(mine) & SHACL_CODES
        mixed = any(e in stated and e in inferred for e, _ in ends)
        on_inferred = any(e in inferred and e not in stated for e, _ in ends)
        if types == "strict" and on_inferred:
            continue  # strict untyped_entity on inferred types: not in RDF; nor are rejected typings
        if mixed:
            # stated types judged first by the contracts and set-based check; pySHACL judges all types
            assert theirs <= expressible, (c, mine, theirs)
        else:
            assert theirs == expressible, (c, mine, theirs, [str(i) for i in shacl])
        if ct.ok:
            assert not theirs, (c, theirs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(["default", "strict"]))
def test_candidate_contracts_whole_graph_and_shacl_agree(w, types):
    _agree(w, types)


# ------------------------------------------------------------ deterministic cases
def _film() -> Session:
    s = Session("agreement", SessionConfig(journal_dir=None), restore=False)
    o = s.ontology
    thing = o.add_class("Thing", refresh=False)
    person = o.add_class("Person", parent=thing, refresh=False)
    o.add_class("Director", parent=person, refresh=False)
    film = o.add_class("Film", parent=thing, refresh=False)
    o.add_property("directedBy", "object", [film], [person], refresh=False)
    o.add_property("releaseYear", "data", [film], [XSD.integer], refresh=False)
    o.refresh()
    return s


def _typing(s: Session, e: str, cls: str, source: str, inferred: bool) -> Fact:
    return Fact(s.kg.entity_iri(e), RDF.type, s.ontology.ns[cls],
                Evidence(source, flags=("type_inferred",) if inferred else (), basis="from a test"))


def test_type_evidence_from_any_source_counts_and_a_change_is_seen_incrementally():
    s = _film()
    ns = s.ontology.ns
    link = Fact(s.kg.entity_iri("alien"), ns.directedBy, s.kg.entity_iri("ridley"), Evidence("s1"))
    s.kg.add([_typing(s, "alien", "Film", "s1", False), _typing(s, "ridley", "Person", "s1", True), link])
    first = run(s)
    hits = first.by_code("type_inferred")
    assert [(i.severity, i.data["role"], i.data["focus"]) for i in hits] == [
        ("warning", "object", f"<{s.kg.entity_iri('ridley')}>")]
    assert first.checked["type_inferred"] == 1 and "1 fact rests on inferred types" in first.summary()
    # A second source states the type: the triple now rests on a stated type.
    s.kg.add([_typing(s, "ridley", "Person", "s2", False)])
    second = run(s)
    assert second.mode == "incremental" and not second.by_code("type_inferred")
    assert second.checked["type_inferred"] == 0
    # Replace the stated fact by an inferred one of the same source: same triples, other evidence.
    s.kg.remove([_typing(s, "ridley", "Person", "s2", False)])
    s.kg.remove([_typing(s, "ridley", "Person", "s1", True)])
    s.kg.add([_typing(s, "ridley", "Person", "s1", True)])
    third = run(s)
    assert third.mode == "incremental" and len(third.by_code("type_inferred")) == 1
    assert [i.message for i in third.issues] == [i.message for i in run(s, full=True).issues]


def test_stated_type_decides_and_strict_mode_rejects():
    s = _film()
    ns = s.ontology.ns
    # ridley: stated Person, inferred Director; directedBy needs a Person: holds on the stated type.
    s.kg.add([_typing(s, "alien", "Film", "s1", False), _typing(s, "ridley", "Person", "s1", False),
              _typing(s, "ridley", "Director", "s1", True), _typing(s, "nostromo", "Film", "s1", True),
              Fact(s.kg.entity_iri("alien"), ns.directedBy, s.kg.entity_iri("ridley"), Evidence("s1")),
              Fact(s.kg.entity_iri("nostromo"), ns.releaseYear, Literal("1979", datatype=XSD.integer),
                   Evidence("s1"))])
    r = run(s, shacl="all")
    assert [(i.code, i.data["role"]) for i in r.issues if i.data.get("role")] == [("type_inferred", "subject")]
    assert r.ok and r.checked["type_inferred"] == 1
    assert any("0 only pySHACL, 0 only set-based" in n for n in r.notes), r.notes
    s.config.types = "strict"
    strict = run(s)
    assert strict.mode == "full"  # the types mode changed: everything is rechecked
    assert [(i.code, i.severity) for i in strict.errors] == [("untyped_entity", "error")]
    assert "types mode" in strict.errors[0].hint and strict.checked["type_inferred"] == 1


def test_kind_rules_agree_between_the_graph_and_shacl():
    """The two codes candidates cannot produce, on facts built directly."""
    s = _film()
    ns, kg = s.ontology.ns, s.kg
    s.kg.add([_typing(s, "alien", "Film", "s1", False), _typing(s, "ridley", "Director", "s1", False),
              Fact(kg.entity_iri("alien"), ns.directedBy, Literal("Ridley Scott"), Evidence("s1")),
              Fact(kg.entity_iri("alien"), ns.releaseYear, kg.entity_iri("ridley"), Evidence("s1"))])
    r = run(s, shacl="all")
    assert {i.code for i in r.errors} == {"literal_for_object_property", "entity_for_data_property"}
    assert any("2 finding(s) agree, 0 only pySHACL, 0 only set-based" in n for n in r.notes), r.notes


# ------------------------------------------------------------ the registry
def test_codes_come_from_the_registry():
    assert CODES is REGISTRY_CODES and CODES == {c: r.description for c, r in RULES.items()}
    for code in ("type_conflict", "type_inferred", "negated", "hedged", "hypothetical", "domain_mismatch",
                 "cq_query_mismatch", "class_exists"):
        assert CODES.get(code)


def test_registry_names_real_checks_and_the_generated_shape_kinds():
    for r in RULES.values():
        for name in filter(None, [r.candidate_check, *(r.graph_check or "").split(", ")]):
            module, _, attr = name.rpartition(".")
            if module.endswith("._Checker"):
                module, attr = module.rpartition(".")[0], f"_Checker.{attr}"
            obj = importlib.import_module(module)
            for part in attr.split("."):
                obj = getattr(obj, part)  # AttributeError names a check that does not exist
    _, kinds = ontology_shapes(OntologyContext.of(_film().ontology))
    made = {kind for kind, _ in kinds.values()}
    assert made <= {r.shacl for r in RULES.values()}
    assert by_shape("domain").code == "domain_mismatch" and by_shape("datatype").code == "literal_datatype_mismatch"


# ------------------------------------------------------------ full and incremental, with type evidence
_EDIT = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(["a", "b", "c"]), st.sampled_from(["Film", "Person", "Director"]),
              st.sampled_from(["s1", "s2"]), st.booleans()),
    st.tuples(st.just("link"), st.sampled_from(["a", "b", "c"]), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("remove"), st.integers(0, 100)),
    st.tuples(st.just("strict"), st.booleans()),
    st.tuples(st.just("verify")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EDIT, min_size=1, max_size=15), st.booleans())
def test_incremental_equals_full_when_type_evidence_changes(ops, trimmed):
    """Type facts added and removed from two sources, flagged or not; with the KG's change log, or with
    it trimmed (the index then diffs the triples and must still see evidence that changed)."""
    s = _film()
    if trimmed:
        s.kg.LOG_LIMIT = 2
    run(s)
    for op in ops:
        if op[0] == "type":
            s.kg.add([_typing(s, op[1], op[2], op[3], op[4])])
        elif op[0] == "link":
            s.kg.add([Fact(s.kg.entity_iri(op[1]), s.ontology.ns.directedBy, s.kg.entity_iri(op[2]), Evidence("s1"))])
        elif op[0] == "remove" and len(s.kg):
            facts = s.kg.facts()
            s.kg.remove([facts[op[1] % len(facts)]])
        elif op[0] == "strict":
            s.config.types = "strict" if op[1] else "default"
        inc = run(s)
        state = s.verify_state
        full = run(s, full=True)
        s.verify_state = state
        view = [(i.code, i.severity, i.path, i.message) for i in inc.issues]
        assert view == [(i.code, i.severity, i.path, i.message) for i in full.issues]
        assert inc.checked["type_inferred"] == full.checked["type_inferred"]
