"""Controls for ``hydra_magic.verify``: does it pass good data and catch bad data?

Positive control
    The gold triples of Text2KGBench test sets (written by others) are loaded
    into a KG with their own ontology, entities typed from the relations'
    domains and ranges, and verified. Reported: the share of gold triples with
    no error, and what the errors are. Run twice: with the ontology as
    hydra_magic reads it (ranges that are not concepts become ``xsd:string``)
    and with those ranges typed as the benchmark names them (``number`` ->
    ``xsd:decimal``, ``Date`` -> ``xsd:date``, ``Year`` -> ``xsd:gYear``), which
    shows how the gold literals are written.

Negative control
    A clean synthetic KG (``bench_verify.synthetic_session``) gets known
    violations injected one kind at a time at random entities: swapped subject
    and object, a non-number on a number property, a wrong domain, a second
    value of a functional property, an unsatisfiable rule, and the other rule
    codes. Reported per kind: the share caught with the expected code on the
    expected node, by a full run and by an incremental run, and anything
    reported that was not injected.

Usage::

    .venv/bin/python benchmarks/controls_verify.py [--data-dir ../shared/data] [--per-kind 20]

Data: Text2KGBench (https://github.com/cenguix/Text2KGBench), expected under
``<data-dir>/text2kgbench``. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_verify import Generator, synthetic_session

from hydra_magic.cq import parse_cqs
from hydra_magic.iri import camel_case, snake_case
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Change, Session, SessionConfig
from hydra_magic.verify import run

POSITIVE = [("wikidata_tekgen", "1_movie"), ("wikidata_tekgen", "2_music"), ("wikidata_tekgen", "3_sport"),
            ("wikidata_tekgen", "4_book"), ("dbpedia_webnlg", "1_university"), ("dbpedia_webnlg", "3_airport"),
            ("dbpedia_webnlg", "7_company"), ("dbpedia_webnlg", "9_astronaut")]
STRICT = {"number": XSD.decimal, "Date": XSD.date, "date": XSD.date, "Year": XSD.gYear, "year": XSD.gYear}


# ------------------------------------------------------------------ positive
def _gold(data_dir: Path, split: str, onto: str) -> list[dict[str, str]]:
    path = data_dir / "text2kgbench" / split / "ground_truth" / f"ont_{onto}_ground_truth.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out += json.loads(line).get("triples", [])
    return out


def positive(data_dir: Path, strict: bool) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    rows = []
    for split, name in POSITIVE:
        s = Session(f"pos-{name}", SessionConfig(journal_dir=None), restore=False)
        s.load_ontology(data_dir / "text2kgbench" / split / "ontologies" / f"{name}_ontology.json")
        onto = s.ontology
        if strict:
            for p in onto.data_properties():
                for c in onto.graph.objects(p.iri, RDFS.comment):
                    rng = str(c).rsplit(": ", 1)[-1]  # "<benchmark> range: number"
                    if rng in STRICT:
                        onto.graph.remove((p.iri, RDFS.range, None))
                        onto.graph.add((p.iri, RDFS.range, STRICT[rng]))
            onto.refresh()
        gold = _gold(data_dir, split, name)
        ev = Evidence(f"gold-{name}", engine="gold")
        facts, triples = [], []
        for t in gold:
            sub = s.kg.entity_iri(snake_case(t["sub"]) or t["sub"])
            prop = onto.get_property(t["rel"])
            p = prop.iri if prop is not None else onto.ns[camel_case(t["rel"]) or "unnamed"]
            if prop is not None and prop.kind == "data":
                o: Any = Literal(t["obj"])
            else:
                o = s.kg.entity_iri(snake_case(t["obj"]) or t["obj"])
            facts.append(Fact(sub, p, o, ev))
            triples.append((sub, p, o))
            if prop is not None:
                facts += [Fact(sub, RDF.type, d, ev) for d in prop.domain]
                if prop.kind == "object":
                    facts += [Fact(o, RDF.type, r, ev) for r in prop.range]
        s.kg.add(facts)
        report = run(s, full=True)
        # A gold triple fails when an error is about it: on its subject or object, for its property or none.
        bad: set[tuple[str, str]] = set()
        for i in report.errors:
            bad.add((i.data.get("focus", ""), i.data.get("predicate", "")))
        failed = 0
        for sub, p, o in triples:
            nodes = {sub.n3(), o.n3()}
            if any((n, str(p)) in bad or (n, "") in bad for n in nodes):
                failed += 1
        codes = Counter(i.code for i in report.errors)
        totals.update(codes)
        for i in report.errors:
            examples.setdefault(i.code, [])
            if len(examples[i.code]) < 8:
                examples[i.code].append(f"{name}: {i.message}")
        rows.append((name, len(triples), failed, dict(codes)))
    n = sum(r[1] for r in rows)
    f = sum(r[2] for r in rows)
    reading = ("benchmark ranges as XSD datatypes" if strict
               else "ontology as read (non-concept ranges -> xsd:string)")
    print(f"\nPositive control ({reading}):")
    for name, k, failed, codes in rows:
        print(f"  {name:16} {k:5} gold triples, pass rate {1 - failed / k:6.1%}  errors: {codes or '-'}")
    print(f"  overall: {n} gold triples, pass rate {1 - f / n:.1%}; errors by code: {dict(totals)}")
    for code, ex in examples.items():
        for e in ex:
            print(f"    e.g. [{code}] {e}")
    return {"triples": n, "failed": f, "pass_rate": 1 - f / n, "by_code": dict(totals), "per_ontology": rows}


# ------------------------------------------------------------------ negative
def _clean_session(n: int, seed: int) -> tuple[Session, Generator]:
    s = synthetic_session()
    g = Generator(s, seed=seed, violation_rate=0.0)
    s.kg.add(g.facts(n))
    return s, g


Injection = tuple[list[Fact], str, str, str]  # facts, expected code, focus node (N3), predicate ("" if none)


def _injections(s: Session, g: Generator, rnd: random.Random, kind: str) -> Injection | None:
    ns, ev = s.ontology.ns, Evidence(f"injected-{kind}", sentence=f"injected {kind}")
    P, F = rnd.choice(g.persons), rnd.choice(g.films)
    if kind == "swapped subject/object":  # (person directedBy film) instead of (film directedBy person)
        return ([Fact(P, ns.directedBy, F, ev)], "domain_mismatch+range_mismatch",
                P.n3() + "|" + F.n3(), str(ns.directedBy))
    if kind == "non-number on a number property":
        return [Fact(F, ns.releaseYear, Literal("nineteen-eighty", datatype=XSD.integer), ev)], \
            "literal_datatype_mismatch", F.n3(), str(ns.releaseYear)
    if kind == "wrong domain":
        return ([Fact(F, ns.birthYear, Literal("1950", datatype=XSD.integer), ev)], "domain_mismatch",
                F.n3(), str(ns.birthYear))
    if kind == "functional property with two values":
        other = rnd.choice(g.places)
        return [Fact(P, ns.bornIn, other, ev)], "functional_violation", P.n3(), str(ns.bornIn)
    if kind == "irreflexive self-loop":
        return [Fact(P, ns.knows, P, ev)], "irreflexive_violation", P.n3(), str(ns.knows)
    if kind == "asymmetric both ways":  # a city in a country and the country in the city
        a = rnd.choice([x for x in g.places if "/city_" in str(x)])
        c = rnd.choice([x for x in g.places if "/country_" in str(x)])
        first = min(a, c, key=str)
        return [Fact(a, ns.locatedIn, c, ev), Fact(c, ns.locatedIn, a, ev)], "asymmetric_violation", first.n3(), \
            str(ns.locatedIn)
    if kind == "disjoint types":
        return [Fact(F, RDF.type, ns.Person, ev)], "disjoint_violation", F.n3(), ""
    if kind == "inverse-functional duplicate":  # two films with one ISBN
        F2 = rnd.choice([x for x in g.films if x != F])
        value = Literal(f"isbn-dup-{rnd.randrange(10**9)}")
        return [Fact(F, ns.isbn, value, ev), Fact(F2, ns.isbn, value, ev)], "inverse_functional_violation", \
            value.n3(), str(ns.isbn)
    if kind == "untyped entity":
        x = URIRef(f"{s.kg.entity_ns}ghost_{rnd.randrange(10**9)}")
        return [Fact(x, ns.name, Literal("Ghost"), ev)], "untyped_entity", x.n3(), ""
    if kind == "unknown property":
        return [Fact(P, ns.favouriteColour, Literal("blue"), ev)], "unknown_property", P.n3(), str(ns.favouriteColour)
    if kind == "literal for object property":
        return [Fact(P, ns.actedIn, Literal("Alien"), ev)], "literal_for_object_property", P.n3(), str(ns.actedIn)
    if kind == "entity for data property":
        return [Fact(P, ns.name, F, ev)], "entity_for_data_property", P.n3(), str(ns.name)
    if kind == "value rule (birthYear < deathYear)":
        return [Fact(P, ns.deathYear, Literal("1800", datatype=XSD.integer), ev)], "value_rule_violation", P.n3(), ""
    return None


KINDS = ["swapped subject/object", "non-number on a number property", "wrong domain",
         "functional property with two values", "irreflexive self-loop", "asymmetric both ways", "disjoint types",
         "inverse-functional duplicate", "untyped entity", "unknown property", "literal for object property",
         "entity for data property", "value rule (birthYear < deathYear)"]


def _caught(report: Any, inj: Injection) -> bool:
    _, codes, focus, pred = inj
    have = {(i.code, i.data.get("focus", ""), i.data.get("predicate", "")) for i in report.issues}
    for code, node in zip(codes.split("+"), focus.split("|") if "+" in codes else [focus] * len(codes.split("+"))):
        if not ((code, node, pred) in have or (code, node, "") in have):
            return False
    return True


def negative(per_kind: int, size: int) -> dict[str, Any]:
    print(f"\nNegative control: {per_kind} injections per kind into a clean synthetic KG of ~{size:,} triples")
    base, g = _clean_session(size, seed=11)
    clean = run(base, full=True)
    print(f"  clean KG: {len(base.kg):,} triples, {clean.counts()} (errors here would be false positives)")
    out = {}
    rnd = random.Random(5)
    for kind in KINDS:
        full_hits = inc_hits = n = 0
        extra: Counter[str] = Counter()
        for _ in range(per_kind):
            inj = _injections(base, g, rnd, kind)
            if inj is None:
                continue
            n += 1
            run(base)  # incremental baseline
            base._commit(Change("inject", kind, facts_added=inj[0]))
            inc = run(base)
            inc_hits += _caught(inc, inj)
            state = base.verify_state
            full = run(base, full=True)
            full_hits += _caught(full, inj)
            expected = set(inj[1].split("+"))
            extra.update(i.code for i in full.errors if i.code not in expected and i.data.get("evidence")
                         and i.data["evidence"][0]["source"] == f"injected-{kind}")
            base.verify_state = state
            base.undo()
        print(f"  {kind:38} caught {full_hits}/{n} (full), {inc_hits}/{n} (incremental) with {inj[1] if inj else '?'}"
              + (f"; also reported: {dict(extra)}" if extra else ""))
        out[kind] = {"n": n, "full": full_hits, "incremental": inc_hits, "also": dict(extra)}
    # An unsatisfiable rule set is caught before the KG is checked.
    s, _ = _clean_session(2000, seed=3)
    s.add_rules("0 <= birthYear <= 2100\nbirthYear > 2200")
    r = run(s)
    conflict = r.by_code("rule_conflict")
    ok = bool(conflict) and conflict[0].data["lines"] == [3, 4]
    print(f"  {'unsatisfiable rule':38} caught {int(ok)}/1 with rule_conflict"
          + (f" naming lines {conflict[0].data['lines']}" if conflict else ""))
    out["unsatisfiable rule"] = {"n": 1, "full": int(ok), "incremental": int(ok)}
    # A user shape and a CQ with a wrong pinned answer.
    s.add_shapes(":S a sh:NodeShape ; sh:targetClass :Film ; sh:property [ sh:path :releaseYear ; sh:minCount 2 ] .")
    s.cqs = parse_cqs("How many countries are there? => 49")
    r = run(s)
    films = sum(1 for f in s.kg if f.predicate == RDF.type and f.object == s.ontology.ns.Film)
    print(f"  {'user SHACL shape (minCount 2)':38} caught {len(r.by_code('shacl_violation'))}/{films} "
          f"films with shacl_violation")
    print(f"  {'CQ with a wrong pinned answer':38} caught {len(r.by_code('cq_failed'))}/1 with cq_failed "
          f"(got {r.cq_tests[0].answers})")
    total = sum(v["n"] for v in out.values())
    caught = sum(v["full"] for v in out.values())
    print(f"  overall catch rate (full): {caught}/{total} = {caught / total:.1%}; incremental: "
          f"{sum(v['incremental'] for v in out.values())}/{total}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
    ap.add_argument("--per-kind", type=int, default=20)
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--json")
    a = ap.parse_args()
    # rdflib logs a traceback for every ill-typed literal built, and the negative control builds them on purpose.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    data = Path(a.data_dir)
    results: dict[str, Any] = {}
    if (data / "text2kgbench").is_dir():
        results["positive"] = positive(data, strict=False)
        results["positive_strict"] = positive(data, strict=True)
    else:
        print(f"Text2KGBench not found under {data}; get it from https://github.com/cenguix/Text2KGBench "
              "(data CC BY-SA 4.0) and pass --data-dir. Skipping the positive control.")
    results["negative"] = negative(a.per_kind, a.size)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
