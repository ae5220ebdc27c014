"""Speed of ``hydra_magic.verify`` on synthetic KGs: ours vs pySHACL, full and incremental.

Builds a synthetic film/people/places KG of the requested sizes (every entity
typed; a small, known share of injected violations of every kind), then:

1. full verification with the set-based checks (``verify.run(full=True)``);
2. pySHACL on the *same* constraints (the shapes generated from the ontology),
   in a child process capped at ``--pyshacl-cap`` seconds, and whether both
   found the same things (same code, focus node and property);
3. incremental verification after committing 1,000 new triples (half new
   entities, half links and values on existing ones), as an extraction would,
   checked against a full run afterwards;
4. with ``--stored DIR``: the same graph committed to an on-disk session under
   ``DIR`` (journal on, imports of 100,000 facts; kept and reused by the next
   run), then a full check there in a fresh interpreter (the checks run inside
   the store): wall time, peak RSS, and whether it found what memory found.

Usage::

    .venv/bin/python benchmarks/bench_verify.py [--sizes 100000 1000000] [--pyshacl-cap 300] [--json out.json]
                                                [--stored DIR]

Figures, never assertions (tests do not assert wall-clock times).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, XSD, Literal, URIRef

from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Change, Session, SessionConfig
from hydra_magic.verify import run
from hydra_magic.verify.context import OntologyContext
from hydra_magic.verify.shacl import ontology_shapes

RULES = "birthYear < deathYear\n0 <= population"
#: Codes pySHACL can find with the generated shapes (the others have no SHACL counterpart here).
SHACL_CODES = {"domain_mismatch", "range_mismatch", "literal_datatype_mismatch", "literal_for_object_property",
               "entity_for_data_property", "functional_violation", "inverse_functional_violation",
               "irreflexive_violation", "asymmetric_violation", "disjoint_violation", "untyped_entity"}


def synthetic_session(name: str = "bench-verify", journal_dir: str | None = None) -> Session:
    """Thing ⊒ Person ⊒ {Director, Actor}, Thing ⊒ Film, Thing ⊒ Place ⊒ {City, Country}; Film ⊥ Person ⊥ Place."""
    s = Session(name, SessionConfig(journal_dir=journal_dir, history_limit=1000), restore=False)
    o = s.ontology
    thing = o.add_class("Thing", refresh=False)
    person = o.add_class("Person", parent=thing, refresh=False)
    for c in ("Director", "Actor"):
        o.add_class(c, parent=person, refresh=False)
    film = o.add_class("Film", parent=thing, refresh=False)
    place = o.add_class("Place", parent=thing, refresh=False)
    for c in ("City", "Country"):
        o.add_class(c, parent=place, refresh=False)
    o.graph.add((film, OWL.disjointWith, person))
    o.graph.add((place, OWL.disjointWith, person))
    ns = o.ns
    o.add_property("directedBy", "object", [film], [ns.Director], characteristics=["functional"], refresh=False)
    o.add_property("actedIn", "object", [person], [film], refresh=False)
    o.add_property("bornIn", "object", [person], [place], characteristics=["functional"], refresh=False)
    o.add_property("knows", "object", [person], [person], characteristics=["symmetric", "irreflexive"],
                   refresh=False)
    o.add_property("locatedIn", "object", [place], [place], characteristics=["transitive", "asymmetric"],
                   refresh=False)
    o.add_property("name", "data", [thing], [XSD.string], refresh=False)
    o.add_property("birthYear", "data", [person], [XSD.integer], characteristics=["functional"], refresh=False)
    o.add_property("deathYear", "data", [person], [XSD.integer], refresh=False)
    o.add_property("releaseYear", "data", [film], [XSD.integer], refresh=False)
    o.add_property("population", "data", [place], [XSD.integer], refresh=False)
    o.add_property("isbn", "data", [film], [XSD.string], characteristics=["inverseFunctional"], refresh=False)
    o.refresh()
    s.add_rules(RULES)
    return s


class Generator:
    """Deterministic synthetic facts; ``violations`` counts what was injected, by expected code."""

    def __init__(self, s: Session, seed: int = 7, violation_rate: float = 0.002) -> None:
        self.s, self.rnd, self.rate = s, random.Random(seed), violation_rate
        self.ns, self.ent = s.ontology.ns, s.kg.entity_ns
        self.ev = Evidence("synthetic", sentence="generated", engine="bench")
        self.persons: list[URIRef] = []
        self.films: list[URIRef] = []
        self.places: list[URIRef] = []
        self.n = 0
        self.violations: dict[str, int] = {}

    def _e(self, kind: str) -> URIRef:
        self.n += 1
        return URIRef(f"{self.ent}{kind}_{self.n}")

    def _bad(self) -> bool:
        return self.rnd.random() < self.rate

    def _v(self, code: str) -> None:
        self.violations[code] = self.violations.get(code, 0) + 1

    def facts(self, target: int) -> list[Fact]:
        out: list[Fact] = []
        ns, ev, rnd = self.ns, self.ev, self.rnd
        f = out.append
        if not self.places:
            for c in range(50):
                country = self._e("country")
                self.places.append(country)
                f(Fact(country, RDF.type, ns.Country, ev))
                f(Fact(country, ns.name, Literal(f"Country {c}"), ev))
        while len(out) < target:
            k = rnd.random()
            if k < 0.2:
                city = self._e("city")
                f(Fact(city, RDF.type, ns.City, ev))
                f(Fact(city, ns.name, Literal(f"City {self.n}"), ev))
                f(Fact(city, ns.locatedIn, self.places[rnd.randrange(50)], ev))
                f(Fact(city, ns.population, Literal(str(rnd.randrange(10**3, 10**7)), datatype=XSD.integer), ev))
                self.places.append(city)
            elif k < 0.55 and self.persons:
                film = self._e("film")
                f(Fact(film, RDF.type, ns.Film, ev))
                f(Fact(film, ns.name, Literal(f"Film {self.n}"), ev))
                f(Fact(film, ns.releaseYear, Literal(str(rnd.randrange(1920, 2024)), datatype=XSD.integer), ev))
                f(Fact(film, ns.isbn, Literal(f"isbn-{self.n}"), ev))
                directors = [p for p in self.persons[-200:] if p.endswith("0")] or self.persons[-1:]
                director = rnd.choice(directors)
                f(Fact(director, RDF.type, ns.Director, ev))
                f(Fact(film, ns.directedBy, director, ev))
                self.films.append(film)
                if self._bad():
                    self._inject_film(film, f)
            else:
                p = self._e("person")
                f(Fact(p, RDF.type, ns.Actor if rnd.random() < 0.5 else ns.Person, ev))
                f(Fact(p, ns.name, Literal(f"Person {self.n}"), ev))
                born = rnd.randrange(1900, 2000)
                f(Fact(p, ns.birthYear, Literal(str(born), datatype=XSD.integer), ev))
                if rnd.random() < 0.4:
                    f(Fact(p, ns.deathYear, Literal(str(born + rnd.randrange(20, 95)), datatype=XSD.integer), ev))
                f(Fact(p, ns.bornIn, rnd.choice(self.places), ev))
                if self.persons:
                    q = rnd.choice(self.persons)
                    f(Fact(p, ns.knows, q, ev))
                    f(Fact(q, ns.knows, p, ev))
                if self.films:
                    f(Fact(p, ns.actedIn, rnd.choice(self.films), ev))
                self.persons.append(p)
                if self._bad():
                    self._inject_person(p, born, f)
        return out

    def _inject_film(self, film: URIRef, f: Any) -> None:
        ns, ev = self.ns, self.ev
        kind = self.rnd.randrange(4)
        if kind == 0:
            f(Fact(film, ns.releaseYear, Literal("unknown"), ev))
            self._v("literal_datatype_mismatch")
        elif kind == 1:
            other = Fact(film, ns.directedBy, self.rnd.choice(self.persons), ev)
            f(other)
            self._v("functional_violation")
            f(Fact(other.object, RDF.type, ns.Director, ev))  # a director, so that only the functional rule breaks
        elif kind == 2 and len(self.films) > 1:
            other = self.films[-2]
            f(Fact(film, ns.isbn, Literal(f"isbn-dup-{self.n}"), ev))
            f(Fact(other, ns.isbn, Literal(f"isbn-dup-{self.n}"), ev))
            self._v("inverse_functional_violation")
        else:
            f(Fact(film, RDF.type, ns.Person, ev))
            self._v("disjoint_violation")

    def _inject_person(self, p: URIRef, born: int, f: Any) -> None:
        ns, ev = self.ns, self.ev
        kind = self.rnd.randrange(4)
        if kind == 0 and self.films:
            f(Fact(p, ns.directedBy, self.films[-1], ev))  # swapped subject and object
            self._v("domain_mismatch")
            self._v("range_mismatch")
        elif kind == 1:
            f(Fact(p, ns.knows, p, ev))
            self._v("irreflexive_violation")
        elif kind == 2:
            f(Fact(p, ns.deathYear, Literal(str(born - 5), datatype=XSD.integer), ev))
            self._v("value_rule_violation")
        else:
            f(Fact(p, ns.bornIn, self.films[-1] if self.films else p, ev))
            self._v("functional_violation")
            self._v("range_mismatch")


def build(n: int) -> tuple[Session, Generator, float]:
    s = synthetic_session()
    g = Generator(s)
    t0 = time.perf_counter()
    facts = g.facts(n)
    s.kg.add(facts)
    return s, g, time.perf_counter() - t0


def _key(i: Any) -> tuple[str, str, str]:
    return (i.code, str(i.data.get("focus", "")), str(i.data.get("predicate", "")))


PYSHACL_CHILD = r"""
import json, sys, time
from rdflib import Graph
t0 = time.perf_counter()
data = Graph(); data.parse(sys.argv[1], format="nt")
shapes = Graph(); shapes.parse(sys.argv[2], format="turtle")
onto = Graph(); onto.parse(sys.argv[3], format="turtle")
t1 = time.perf_counter()
import pyshacl
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=onto, inference="none", advanced=True)
t2 = time.perf_counter()
SH = "http://www.w3.org/ns/shacl#"
from rdflib import URIRef, RDF
rows = []
for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
    g = lambda p: report.value(r, URIRef(SH + p))
    rows.append([str(g("sourceShape")), g("focusNode").n3() if g("focusNode") is not None else "",
                 g("value").n3() if g("value") is not None else ""])
json.dump({"load_s": t1 - t0, "validate_s": t2 - t1, "results": rows}, open(sys.argv[4], "w"))
"""


def pyshacl_child(s: Session, cap: float, sparql: bool) -> dict[str, Any]:
    """pySHACL over the generated shapes, in a child process (time capped)."""
    from rdflib.util import from_n3

    from hydra_magic.verify.index import FactIndex
    from hydra_magic.verify.shacl import _generated

    ctx = OntologyContext.of(s.ontology)
    shapes, kinds = ontology_shapes(ctx, sparql=sparql)
    with tempfile.TemporaryDirectory() as tmp:
        data, sh, onto, out = (Path(tmp) / n for n in ("data.nt", "shapes.ttl", "onto.ttl", "out.json"))
        with data.open("w", encoding="utf-8") as fh:
            for f in s.kg:
                fh.write(f"{f.subject.n3()} {f.predicate.n3()} {f.object.n3()} .\n")
        sh.write_text(shapes.serialize(format="turtle"))
        onto.write_text(s.ontology.graph.serialize(format="turtle"))
        script = Path(tmp) / "child.py"
        script.write_text(PYSHACL_CHILD)
        t0 = time.perf_counter()
        try:
            subprocess.run([sys.executable, str(script), str(data), str(sh), str(onto), str(out)], check=True,
                           timeout=cap, capture_output=True)
        except subprocess.TimeoutExpired:
            return {"capped": True, "cap_s": cap, "wall_s": time.perf_counter() - t0}
        except subprocess.CalledProcessError as exc:
            return {"error": exc.stderr.decode()[-2000:]}
        res = json.loads(out.read_text())
    # Map results to (code, focus, predicate) exactly as hydra_magic.verify.shacl does.
    idx = FactIndex.build(s.kg, ctx.reverse)
    found = set()
    for shape, focus, value in res["results"]:
        kind = kinds.get(URIRef(shape))
        if kind is None:
            continue
        issue = _generated(kind, from_n3(focus), from_n3(value) if value else None, idx)
        if issue is not None:
            found.add(_key(issue))
    return {"capped": False, "load_s": res["load_s"], "validate_s": res["validate_s"],
            "results": len(res["results"]), "found": found}


def _timed(fn: Any) -> tuple[Any, float, float]:
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


STORED_CHILD = r"""
import json, sys, time
from hydra_magic.session import Session, SessionConfig
t0 = time.perf_counter()
s = Session(sys.argv[1], SessionConfig(journal_dir=sys.argv[2]))
opened = time.perf_counter() - t0
walls = []
for _ in range(int(sys.argv[3])):
    s.verify_state = None
    t = time.perf_counter()
    report = s.verify(full=True, cqs=False)
    walls.append(time.perf_counter() - t)
# VmHWM, not ru_maxrss: that one keeps the parent's peak across fork and exec (8 GB here after a 1M build).
hwm = int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
print(json.dumps({"open_s": opened, "walls": walls, "facts": len(s.kg), "counts_by_code": report.counts_by_code(),
                  "peak_rss_mb": hwm / 1024}))
s.close()
"""


def stored_full_check(n: int, root: Path, repeat: int, want: dict[str, int]) -> dict[str, Any]:
    """Step 4: the same graph (same generator and seed) in an on-disk session, checked in a fresh interpreter."""
    name = f"bench-verify-{n}"
    if not (root / name).exists():
        shaped = synthetic_session(name)  # in memory: its ontology becomes the stored session's first change
        s = Session(name, SessionConfig(journal_dir=str(root)), restore=False)
        s.apply_change(Change("import", "the synthetic ontology", onto_added=sorted(shaped.ontology.graph)))
        s.add_rules(RULES)
        facts = Generator(s).facts(n)
        t0 = time.perf_counter()
        for i in range(0, len(facts), 100_000):
            s.apply_change(Change("import", f"bench-verify facts {i:,}", facts_added=facts[i:i + 100_000]))
        setup = time.perf_counter() - t0
        s.close()
        del facts
        print(f"stored: {n:,} facts committed to {root / name} in {setup:.0f}s ({n / setup:,.0f} facts/s)")
    res = subprocess.run([sys.executable, "-c", STORED_CHILD, name, str(root), str(repeat)], capture_output=True,
                         text=True, check=True, timeout=7200)
    out: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    out["same_counts_as_memory"] = out["counts_by_code"] == want
    print(f"stored, full check inside the store (fresh interpreter, opened in {out['open_s']:.2f}s): median wall "
          f"{statistics.median(out['walls']):.2f}s (runs {', '.join(f'{t:.2f}' for t in out['walls'])}); peak RSS "
          f"{out['peak_rss_mb']:,.0f} MB; same findings by code as memory: {out['same_counts_as_memory']}")
    return out


def bench_size(n: int, cap: float, repeat: int, batches: int, variants: list[str],
               stored: Path | None = None) -> dict[str, Any]:
    s, g, gen_s = build(n)
    triples = len(s.kg)
    print(f"\n== {triples:,} triples ({len(g.persons):,} persons, {len(g.films):,} films, {len(g.places):,} places; "
          f"built in {gen_s:.1f}s) ==")
    walls, cpus = [], []
    report = None
    for _ in range(repeat):
        s.verify_state = None
        report, w, c = _timed(lambda: run(s, full=True, cqs=False))
        walls.append(w)
        cpus.append(c)
    assert report is not None
    print(f"ours, full (index + checks): median wall {statistics.median(walls):.2f}s, "
          f"CPU {statistics.median(cpus):.2f}s (wall runs: {', '.join(f'{t:.2f}' for t in walls)}); "
          f"last stages {report.timings}")
    print(f"  issues: {report.counts()}  by code: {report.counts_by_code()}")
    print(f"  injected: {g.violations}")
    out: dict[str, Any] = {"triples": triples, "full_wall_s": walls, "full_cpu_s": cpus, "timings": report.timings,
                           "counts_by_code": report.counts_by_code(), "injected": g.violations, "pyshacl": {}}
    for variant in variants:
        sparql = variant == "all"
        codes = SHACL_CODES if sparql else SHACL_CODES - {"irreflexive_violation", "asymmetric_violation"}
        ours = {_key(i) for i in report.issues if i.code in codes}
        sh = pyshacl_child(s, cap, sparql)
        label = f"pySHACL ({'all shapes' if sparql else 'core shapes, no SHACL-SPARQL'})"
        if sh.get("capped"):
            print(f"{label}: did not finish within the cap of {cap:.0f}s (parse + validate)")
        elif "error" in sh:
            print(f"{label} failed: {sh['error']}")
        else:
            found = sh.pop("found")
            sh.update(shared=len(ours & found), only_pyshacl=len(found - ours), only_ours=len(ours - found))
            print(f"{label}: validate {sh['validate_s']:.2f}s (+ {sh['load_s']:.2f}s parsing into rdflib); "
                  f"pySHACL/ours = {sh['validate_s'] / statistics.median(walls):.0f}x")
            print(f"  same findings: {sh['shared']} shared, {sh['only_pyshacl']} only pySHACL, {sh['only_ours']} only "
                  "ours" + (" -> identical" if ours == found else ""))
            for k in sorted(found - ours)[:5]:
                print("    only pySHACL:", k)
            for k in sorted(ours - found)[:5]:
                print("    only ours:", k)
        out["pyshacl"][variant] = sh
    # Incremental: commit 1,000 new triples the way an extraction does, then verify.
    inc_w, inc_c, changed = [], [], []
    inc = None
    for b in range(batches):
        batch = g.facts(500)[:500]
        ns, ev = s.ontology.ns, Evidence(f"batch-{b}", sentence="new text")
        rnd = random.Random(b)
        while len(batch) < 1000:  # links and values on existing entities
            p, q = rnd.choice(g.persons), rnd.choice(g.persons)
            batch += [Fact(p, ns.knows, q, ev), Fact(q, ns.knows, p, ev)]
        facts = [Fact(f.subject, f.predicate, f.object, ev) for f in batch[:1000]]
        s._commit(Change("extract", f"batch {b}", facts_added=facts))  # what Session.extract commits
        inc, w, c = _timed(lambda: run(s, cqs=False))
        inc_w.append(w)
        inc_c.append(c)
        changed.append((inc.checked["changed"], inc.checked["rechecked"]))
    assert inc is not None
    state = s.verify_state
    full, full_w, _ = _timed(lambda: run(s, full=True, cqs=False))
    same = sorted((i.code, i.message) for i in inc.issues) == sorted((i.code, i.message) for i in full.issues)
    s.verify_state = state
    print(f"ours, incremental (1,000 new triples on {triples:,}): "
          f"median wall {statistics.median(inc_w) * 1000:.1f} ms, CPU {statistics.median(inc_c) * 1000:.1f} ms "
          f"(wall runs: {', '.join(f'{t * 1000:.1f}' for t in inc_w)} ms; "
          f"changed triples / rechecked nodes {changed[0]}); same issues as a full run ({full_w:.2f}s): {same}")
    out.update({"incremental_wall_s": inc_w, "incremental_cpu_s": inc_c, "incremental_agrees": same,
                "full_after_s": full_w})
    if stored is not None:
        want = out["counts_by_code"]
        del s, report, inc, full  # memory's session is done with: its RSS is not the stored check's
        gc.collect()
        out["stored"] = stored_full_check(n, stored, repeat, want)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--pyshacl-cap", type=float, default=300.0)
    ap.add_argument("--pyshacl", nargs="*", default=["core", "all"], choices=["core", "all"],
                    help="pySHACL runs: core shapes only, and all shapes (with the SHACL-SPARQL ones)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--json")
    ap.add_argument("--stored", type=Path, help="also check the same graph in an on-disk session kept under DIR")
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
          "(wall times on a shared machine: CPU times are the steadier figure)")
    results = {str(n): bench_size(n, a.pyshacl_cap, a.repeat, a.batches, a.pyshacl, a.stored) for n in a.sizes}
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
