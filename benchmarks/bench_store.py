"""Cost of the on-disk session store (Oxigraph + write-ahead change log) as the session grows.

At each size N (facts already in the session) it builds a session the way users
get one (journal ON: ``SessionConfig(journal_dir=<temp dir>)``, default engine
options) and measures:

1. setup: the N facts committed through ``Session.apply_change`` in imports of
   100,000 facts (one logged change each, like ``%hydra import``): seconds and
   facts/s, i.e. the bulk-import throughput;
2. the cost of a 10-triple change, "everything a user waits for after the engine
   answered" (contracts, store transaction, change log; not ``%hydra verify``):
   ``Session.extract`` on a text the offline engine reads as 10 accepted triples,
   the engine and contracts alone on the same text (``pipeline.extract_chunks``),
   their difference, and ``Session.apply_change`` of 10 prepared facts (change log
   + store + memory), split into log append (fsync), store transaction and the
   session's own work;
3. "accept anyway" (``Session.accept_anyway``) and ``Session.undo``;
4. opening the session again (``Session(name, SessionConfig(journal_dir=...))``)
   in a fresh interpreter: seconds and peak RSS; then a full ``%hydra verify``
   there (``Session.verify(full=True)``, the first one after opening: it reads
   the store), seconds and peak RSS;
5. disk: bytes of ``store/`` and ``changes.log`` per fact, after setup, after 5
   more changes, after close, and after the opens (RocksDB compacts on open);
6. the old cost of every change, for comparison: one JSON snapshot of the whole
   session (``Journal(dir, name).write(session.snapshot())``, the format-1 writer
   still in ``hydra_magic.journal``), and the ratio old/new per change. Skipped
   (and extrapolated linearly in the summary) where it would need more memory than
   ``--rss-cap-mb``: it holds every fact twice as dicts.

A size whose setup takes longer than ``--setup-cap`` seconds (default 900) or
more RSS than ``--rss-cap-mb`` (default 16,384) is stopped there and larger ones
are skipped.

The facts look like an extraction's: 10 facts per source (N/10 sources), each
with its sentence (~80 characters), subject and object spans, engine "rules";
2 of every 10 facts are ``rdf:type`` facts (films stated, directors inferred);
facts resting on an inferred type carry the ``type_inferred`` flag and its basis,
as the contracts leave them. Directors, actors and places recur across sources. ``--typed`` states
every entity's type instead (13 facts per source, none flagged): a graph with few findings.

Each size runs in its own interpreter, so the peak RSS of one size is its own.

Usage::

    .venv/bin/python benchmarks/bench_store.py [--sizes 1000 100000 1000000] [--repeat 5] [--keep DIR]
                                               [--profile] [--json benchmarks/results/store.json]

Figures, never assertions (tests do not assert wall-clock times).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from rdflib import RDF, XSD, Literal, URIRef

from hydra_magic.candidates import TripleCandidate
from hydra_magic.changes import Change
from hydra_magic.journal import Journal
from hydra_magic.kg import Evidence, Fact
from hydra_magic.pipeline import chunk_text, extract_chunks
from hydra_magic.session import Session, SessionConfig

HERE = Path(__file__).resolve().parent
CQS = ("Which films did a director direct?\nWhen was a film released?\nWhich actors starred in a film?\n"
       "Where was a person born?\nWhat is the running time of a film?")
BATCH = 100_000
SYL = ["ka", "ro", "mi", "te", "zu", "lo", "ve", "na", "si", "do", "ba", "ri", "fe", "qu", "xo", "ly"]


def word(i: int, n: int) -> str:
    """A pronounceable capitalised pseudo-word, distinct for each ``i < 16**n`` (``n`` syllables)."""
    out = []
    for _ in range(n):
        out.append(SYL[i % 16])
        i //= 16
    return "".join(out).capitalize()


def rss_now_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM; ru_maxrss would include the parent's peak, see OPEN_CHILD)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def mem_available_mb() -> float:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


def du(path: Path) -> int:
    """Apparent size in bytes of a file or of every file under a directory."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += (Path(root) / f).stat().st_size
            except FileNotFoundError:  # RocksDB removes files while we walk
                pass
    return total


def disk(s: Session) -> dict[str, int]:
    assert s.journal is not None
    d = s.journal.path
    return {"store": du(d / "store"), "changes_log": du(d / "changes.log"),
            "audit_log": du(d / "audit.log") if (d / "audit.log").exists() else 0}


def med_ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


class Corpus:
    """Synthetic extraction results: 10 facts per source, with sentences, spans and flags."""

    def __init__(self, s: Session, n: int, typed: bool = False) -> None:
        self.s = s
        #: every entity's type stated (no fact rests on an inferred type): a graph with few findings
        self.typed = typed
        self.ns = s.ontology.ns
        self.n_sources = max(1, n // 10)
        self.directors = max(10, n // 100)
        self.actors = max(20, n // 20)
        self.places = max(5, n // 1000)
        self._iri: dict[str, URIRef] = {}
        self.t0 = time.time()

    def iri(self, label: str) -> URIRef:
        e = self._iri.get(label)
        if e is None:
            e = self._iri[label] = self.s.kg.entity_iri(label.lower().replace(" ", "_"))
        return e

    def source(self, j: int, prefix: str = "doc") -> tuple[list[Fact], dict[URIRef, str]]:
        ns = self.ns
        film = word(j, 5)
        director = f"{word(j % self.directors, 3)} {word(j % self.directors, 4)}"
        a1, a2 = (f"{word(k, 4)} {word(k, 3)}" for k in ((3 * j) % self.actors, (3 * j + 1) % self.actors))
        place = word(j % self.places, 4) + "ville"
        s1 = f"{film} is a 1979 film directed by {director}, shot on location in {place}."
        s2 = f"{film} was released on 25 May 1979 and has a running time of 117 minutes."
        s3 = f"{a1} and {a2} starred in {film}; both of them were born in {place}."
        s4 = f"{director}, who directed {film}, was born in {place} and still lives there."
        src = f"{prefix}-{j}"
        at = self.t0 + j * 1e-3
        F, D, A1, A2, P = (self.iri(x) for x in (film, director, a1, a2, place))

        def ev(sent: str, subj: str, obj: str | None, flagged: str = "") -> Evidence:
            i = sent.find(subj)
            k = sent.find(obj) if obj else -1
            return Evidence(source=src, sentence=sent, subject_span=(i, i + len(subj)),
                            object_span=(k, k + len(obj)) if obj else None, engine="rules", time=at,
                            flags=("type_inferred",) if flagged and not self.typed else (),
                            basis="" if self.typed else flagged)

        inferred_dir = f"range of 'directs' in ({director}, directs, {film})"
        inferred_act = "domain of 'starsIn'"
        facts = [
            Fact(F, RDF.type, ns.Film, ev(s1, film, "film")),
            Fact(D, RDF.type, ns.Director, ev(s1, director, "directed", inferred_dir)),
            Fact(D, ns.directs, F, ev(s1, director, film, inferred_dir)),
            Fact(F, ns.releaseDate, Literal("1979-05-25", datatype=XSD.date), ev(s2, film, "25 May 1979")),
            Fact(F, ns.runningTime, Literal("117", datatype=XSD.float), ev(s2, film, "117")),
            Fact(A1, ns.starsIn, F, ev(s3, a1, film, inferred_act)),
            Fact(A2, ns.starsIn, F, ev(s3, a2, film, inferred_act)),
            Fact(A1, ns.bornIn, P, ev(s3, a1, place, inferred_act)),
            Fact(A2, ns.bornIn, P, ev(s3, a2, place, inferred_act)),
            Fact(D, ns.bornIn, P, ev(s4, director, place, inferred_dir)),
        ]
        if self.typed:
            facts += [Fact(A1, RDF.type, ns.Actor, ev(s3, a1, "starred")),
                      Fact(A2, RDF.type, ns.Actor, ev(s3, a2, "starred")),
                      Fact(P, RDF.type, ns.Place, ev(s4, place, "born"))]
        labels = {F: film, D: director, A1: a1, A2: a2, P: place}
        return facts, labels


def extraction_text(i: int) -> str:
    """A text the offline engine reads as 10 accepted triples; names unseen in the session (6-syllable words)."""
    f, d1, d2, a1, a2, p = (word(i * 6 + k + 7_000_000, 6) for k in range(6))
    return (f"{f} is a 1979 film directed by {d1} {d2}. {a1} {a2} starred in {f}. "
            f"{d1} {d2} was born in {p}ville. {a1} {a2} was born in {p}ville. "
            f"{f} was released on 25 May 1979. {f} has a running time of 117 minutes.")


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


class CommitTimer:
    """Wraps the store's ``commit``/``undo`` and the log's ``append`` of one session to split a change's time."""

    def __init__(self, s: Session) -> None:
        assert s.journal is not None
        self.log: list[float] = []
        self.store: list[float] = []
        journal, log = s.journal, s.journal.log
        orig_commit, orig_undo, orig_append = journal.commit, journal.undo, log.append

        def append(*a: Any, **k: Any) -> Any:
            out, t = timed(lambda: orig_append(*a, **k))
            self.log.append(t)
            return out

        def wrap(orig: Callable[..., Any]) -> Callable[..., Any]:
            def inner(*a: Any, **k: Any) -> Any:
                out, t = timed(lambda: orig(*a, **k))
                self.store.append(t)  # includes the log append; subtracted in last()
                return out
            return inner

        log.append = append  # type: ignore[method-assign]
        journal.commit = wrap(orig_commit)  # type: ignore[method-assign]
        journal.undo = wrap(orig_undo)  # type: ignore[method-assign]

    def last(self) -> tuple[float, float]:
        """(log append incl. fsync, store transaction + meta) of the last commit or undo."""
        return self.log[-1], self.store[-1] - self.log[-1]


# Peak RSS from VmHWM (this process's own): getrusage's ru_maxrss in a child started by a big parent
# reports the parent's peak (Linux carries it over fork and exec).
OPEN_CHILD = r"""
import json, sys, time
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
t0 = time.perf_counter()
from hydra_magic.session import Session, SessionConfig
t1 = time.perf_counter()
base = hwm()
s = Session(sys.argv[1], SessionConfig(journal_dir=sys.argv[2]))
t2 = time.perf_counter()
peak = hwm()
n, h = len(s.kg), len(s.history)
t3 = time.perf_counter()
report = s.verify(full=True)  # the first full check after opening: it reads the store
t4 = time.perf_counter()
s.close()
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "facts": n, "history": h,
                  "rss_after_import_mb": base, "peak_rss_mb": peak, "verify_s": t4 - t3,
                  "verify_peak_rss_mb": hwm(), "issues": len(report.issues)}))
"""


def open_in_child(name: str, root: Path, profile: Path | None = None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(OPEN_CHILD)
    cmd = [sys.executable] + (["-m", "cProfile", "-o", str(profile)] if profile else []) + [fh.name, name, str(root)]
    try:
        # cwd away from the repository: ``python -m cProfile`` puts the cwd ahead of PYTHONPATH on sys.path.
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=3600, cwd=root)
    finally:
        os.unlink(fh.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def top_costs(stats: pstats.Stats, n: int = 12) -> str:
    buf = io.StringIO()
    stats.stream = buf  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(n)
    return "\n".join(line for line in buf.getvalue().splitlines() if line.strip())[-4000:]


def bench_size(n: int, repeat: int, root: Path, profile: bool, setup_cap: float, rss_cap_mb: float,
               typed: bool = False, reuse: bool = False) -> dict[str, Any]:
    name = f"bench-store-{n}"
    out: dict[str, Any] = {"facts_target": n, "repeat": repeat}
    print(f"\n== N = {n:,} facts (journal ON at {root}) ==", flush=True)
    if reuse and (root / name).exists():
        return reuse_kept(n, repeat, root, profile, typed, out)
    # 1. Setup ---------------------------------------------------------------------------------------
    s = Session(name, SessionConfig(journal_dir=str(root)), restore=False)
    s.add_cqs(CQS)
    corpus = Corpus(s, n, typed)
    made = 0
    gen_s = 0.0
    commit_s = 0.0
    t_setup = time.perf_counter()
    aborted = ""
    j = 0  # the next source
    while made < n:
        t = time.perf_counter()
        facts: list[Fact] = []
        labels: dict[URIRef, str] = {}
        while len(facts) < min(BATCH, n - made):
            fs, ls = corpus.source(j)
            facts += fs
            labels.update(ls)
            j += 1
        gen_s += time.perf_counter() - t
        _, c = timed(lambda: s.apply_change(Change("import", f"bench setup: {len(facts):,} facts", facts_added=facts),
                                            labels))
        commit_s += c
        made += len(facts)
        print(f"  setup: {made:,} facts, this batch {c:.1f}s, RSS {rss_now_mb():,.0f} MB", flush=True)
        if time.perf_counter() - t_setup > setup_cap or rss_now_mb() > rss_cap_mb:
            aborted = (f"setup stopped at {made:,} facts: over the cap of {setup_cap:.0f}s or "
                       f"{rss_cap_mb:,.0f} MB RSS")
            print("  " + aborted, flush=True)
            break
    facts_n = len(s.kg)
    out.update(facts=facts_n, sources=len(s.kg.sources()), entities=len(s.kg.entities()),
               flagged=s.kg.flagged_count, setup_commit_s=commit_s, setup_generate_s=gen_s,
               setup_facts_per_s=facts_n / commit_s, rss_after_setup_mb=rss_now_mb(), aborted=aborted)
    d0 = disk(s)
    out["disk_after_setup"] = d0
    print(f"  setup: {facts_n:,} facts ({out['sources']:,} sources, {out['entities']:,} entities, "
          f"{out['flagged']:,} flagged) committed in {commit_s:.1f}s = {facts_n / commit_s:,.0f} facts/s "
          f"(+ {gen_s:.1f}s making the Fact objects); RSS {out['rss_after_setup_mb']:,.0f} MB", flush=True)
    if aborted:
        return close(s, out, root, name)

    measure_changes(s, corpus, repeat, profile, out)
    return snapshot_and_close(s, out, root, name, n, repeat, rss_cap_mb)


def reuse_kept(n: int, repeat: int, root: Path, profile: bool, typed: bool, out: dict[str, Any]) -> dict[str, Any]:
    """Steps 2, 3 and 5 on a session an earlier ``--keep`` run left under ``root`` (its setup figures are copied
    from that run's ``figures.json``; the JSON snapshot of step 6 is not taken).

    The new changes use source names of their own, so the kept session can be measured again; they stay in it.
    """
    name = f"bench-store-{n}"
    kept = root / "figures.json"
    old = json.loads(kept.read_text()) if kept.exists() else {}
    for key in ("setup_commit_s", "setup_generate_s", "setup_facts_per_s", "disk_after_setup"):
        if key in old:
            out[key] = old[key]
    t0 = time.perf_counter()
    s = Session(name, SessionConfig(journal_dir=str(root)))
    print(f"  reusing the kept session: opened in {time.perf_counter() - t0:.2f}s (caches cold)", flush=True)
    out.update(facts=len(s.kg), sources=len(s.kg.sources()), flagged=s.kg.flagged_count, reused=True)
    out.setdefault("disk_after_setup", disk(s))
    out.setdefault("setup_commit_s", float("nan"))
    out.setdefault("setup_facts_per_s", float("nan"))
    measure_changes(s, Corpus(s, n, typed), repeat, profile, out, tag=f"r{int(time.time())}")
    return close(s, out, root, name)


def measure_changes(s: Session, corpus: Corpus, repeat: int, profile: bool, out: dict[str, Any],
                    tag: str = "") -> None:
    """Steps 2 and 3. ``tag`` makes the sources new where a kept session already holds the untagged ones."""
    timer = CommitTimer(s)
    gc.collect()
    # 2a. A 10-fact change committed directly (change log + store + memory) -----------------------------
    apply_t, apply_log, apply_store = [], [], []
    changes_done = 0
    for i in range(repeat):
        fs, ls = corpus.source(10_000_000 + i, prefix=f"bench-change{tag}")
        _, t = timed(lambda: s.apply_change(Change("extract", f"bench change {i}", facts_added=fs), ls))
        lg, st = timer.last()
        apply_t.append(t)
        apply_log.append(lg)
        apply_store.append(st)
        changes_done += 1
        if changes_done == 5:
            out["disk_after_5_changes"] = disk(s)
    # 2b. Session.extract of a text the engine reads as ~10 triples, and the engine + contracts alone ------
    eng = s.engine
    ext_t, eng_t, ext_log, ext_store, accepted = [], [], [], [], []
    for i in range(repeat + 1):  # the first run warms the engine's caches and is not counted
        text = extraction_text(i)
        src = f"bench-{tag}{i}"
        chunks = chunk_text(text, src, s.config.chunk_chars)
        _, te = timed(lambda: extract_chunks(eng, chunks, text, s.ontology, s.kg, s.config.retry,
                                             types=s.config.types))
        r, tx = timed(lambda: s.extract(text, source=src))
        lg, st = timer.last()
        changes_done += 1
        if changes_done == 5:
            out["disk_after_5_changes"] = disk(s)
        if i == 0:
            continue
        ext_t.append(tx)
        eng_t.append(te)
        ext_log.append(lg)
        ext_store.append(st)
        accepted.append(len(r.accepted))
    # 3. Accept anyway, then undo it ---------------------------------------------------------------------
    acc_t, undo_t = [], []
    for i in range(repeat):
        a, b = word(9_000_000 + i, 6), word(9_100_000 + i, 6)
        cand = TripleCandidate(a.lower(), "starsIn", b.lower(), a, b, sentence=f"{a} may have starred in {b}.")
        _, ta = timed(lambda: s.accept_anyway(cand, source="bench-user"))
        _, tu = timed(s.undo)
        acc_t.append(ta)
        undo_t.append(tu)
    out.update(
        apply10_s=apply_t, apply10_log_s=apply_log, apply10_store_s=apply_store,
        extract_s=ext_t, engine_s=eng_t, extract_log_s=ext_log, extract_store_s=ext_store,
        extract_accepted=accepted, accept_anyway_s=acc_t, undo_s=undo_t)
    persist = [x - e for x, e in zip(ext_t, eng_t)]
    out["extract_minus_engine_s"] = persist
    print(f"  10-fact change, apply_change: median {med_ms(apply_t):.1f} ms (log append+fsync "
          f"{med_ms(apply_log):.1f} ms, store {med_ms(apply_store):.1f} ms, session/memory "
          f"{med_ms(apply_t) - med_ms(apply_log) - med_ms(apply_store):.1f} ms); runs "
          f"{', '.join(f'{t * 1000:.1f}' for t in apply_t)}", flush=True)
    print(f"  extract ({statistics.median(accepted):g} triples accepted): median {med_ms(ext_t):.1f} ms total, "
          f"engine+contracts {med_ms(eng_t):.1f} ms, total - engine {statistics.median(persist) * 1000:.1f} ms "
          f"(of which log {med_ms(ext_log):.1f} ms, store {med_ms(ext_store):.1f} ms)", flush=True)
    print(f"  accept anyway: median {med_ms(acc_t):.1f} ms; undo: median {med_ms(undo_t):.1f} ms", flush=True)
    if profile:
        i = 99
        text = extraction_text(i)
        pr = cProfile.Profile()
        pr.enable()
        s.extract(text, source=f"bench-{tag}{i}")
        pr.disable()
        out["profile_extract"] = top_costs(pstats.Stats(pr))
        fs, ls = corpus.source(10_000_099, prefix=f"bench-change{tag}")
        pr = cProfile.Profile()
        pr.enable()
        s.apply_change(Change("extract", "bench profiled change", facts_added=fs), ls)
        pr.disable()
        out["profile_apply10"] = top_costs(pstats.Stats(pr))
        print("  profile, extract (tottime):\n" + out["profile_extract"], flush=True)
        print("  profile, apply_change 10 facts (tottime):\n" + out["profile_apply10"], flush=True)


def snapshot_and_close(s: Session, out: dict[str, Any], root: Path, name: str, n: int, repeat: int,
                       rss_cap_mb: float) -> dict[str, Any]:
    apply_t = out["apply10_s"]
    persist = out["extract_minus_engine_s"]
    # 6. The old cost of every change: one JSON snapshot of the whole session ----------------------------
    snap_build, snap_write = [], []
    # s.snapshot() holds every fact twice as dicts (KG and history): measured ~15 KB per fact at 100k.
    need_mb = rss_now_mb() + 15e3 * len(s.kg) / 2**20
    avail_mb = mem_available_mb()
    if need_mb > min(rss_cap_mb, 0.8 * (avail_mb + rss_now_mb())):
        out["snapshot_skipped"] = (f"not measured: would need ~{need_mb:,.0f} MB (cap {rss_cap_mb:,.0f} MB, "
                                   f"{avail_mb:,.0f} MB available); the summary extrapolates linearly")
        print("  old JSON snapshot: " + out["snapshot_skipped"], flush=True)
        return close(s, out, root, name)
    old_root = Path(tempfile.mkdtemp(prefix="bench-store-json-", dir=root))
    for _ in range(max(1, min(repeat, 3 if n <= BATCH else 1))):
        gc.collect()
        t0 = time.perf_counter()
        snap = s.snapshot()
        t1 = time.perf_counter()
        Journal(old_root, name).write(snap)
        tb, tw = t1 - t0, time.perf_counter() - t1
        del snap
        snap_build.append(tb)
        snap_write.append(tw)
    out["snapshot_bytes"] = du(old_root / name / "session.json")
    out["peak_rss_after_snapshot_mb"] = peak_rss_mb()
    shutil.rmtree(old_root, ignore_errors=True)
    old = [b + w for b, w in zip(snap_build, snap_write)]
    out.update(snapshot_build_s=snap_build, snapshot_write_s=snap_write, snapshot_s=old,
               old_over_new_apply10=statistics.median(old) / statistics.median(apply_t),
               old_over_new_extract_persist=statistics.median(old) / max(1e-9, statistics.median(persist)))
    print(f"  old JSON snapshot per change: median {statistics.median(old):.3f}s (snapshot() "
          f"{statistics.median(snap_build):.3f}s + write {statistics.median(snap_write):.3f}s, "
          f"{out['snapshot_bytes'] / 2**20:,.1f} MiB); old/new = {out['old_over_new_apply10']:,.0f}x "
          f"(vs apply_change of 10 facts), {out['old_over_new_extract_persist']:,.0f}x (vs extract - engine); "
          f"peak RSS of this process so far {out['peak_rss_after_snapshot_mb']:,.0f} MB", flush=True)
    # 4. Close (the driver opens it again once this interpreter has exited) -----------------------------
    return close(s, out, root, name)


def close(s: Session, out: dict[str, Any], root: Path, name: str) -> dict[str, Any]:
    out["facts_at_close"] = len(s.kg)
    out["peak_rss_mb"] = peak_rss_mb()
    s.close()
    out["disk_after_close"] = {"store": du(root / name / "store"), "changes_log": du(root / name / "changes.log")}
    return out


def measure_open(n: int, root: Path, out: dict[str, Any], repeat: int, profile: bool) -> None:
    """Steps 4 and 5, run by the driver after the size's own interpreter exited (its memory is free)."""
    name = f"bench-store-{n}"
    opens = []
    for _ in range(max(1, min(repeat, 3))):
        o = open_in_child(name, root)
        opens.append(o)
        if o["open_s"] > 60:
            break
    out["open"] = opens
    o_s = [o["open_s"] for o in opens]
    print(f"  open in a fresh interpreter: median {statistics.median(o_s):.2f}s (runs "
          f"{', '.join(f'{t:.2f}' for t in o_s)}; imports {opens[0]['import_s']:.2f}s not counted); peak RSS "
          f"{max(o['peak_rss_mb'] for o in opens):,.0f} MB ({opens[0]['rss_after_import_mb']:,.0f} MB after "
          f"imports); {opens[0]['facts']:,} facts, {opens[0]['history']} changes to undo", flush=True)
    v_s = [o["verify_s"] for o in opens]
    print(f"  then a full %hydra verify: median {statistics.median(v_s):.2f}s (runs "
          f"{', '.join(f'{t:.2f}' for t in v_s)}); peak RSS {max(o['verify_peak_rss_mb'] for o in opens):,.0f} MB; "
          f"{opens[0]['issues']} issues", flush=True)
    if profile:
        prof = root / f"open-{n}.prof"
        open_in_child(name, root, prof)
        out["profile_open"] = top_costs(pstats.Stats(str(prof)))
        print("  profile, open (tottime):\n" + out["profile_open"], flush=True)
    out["disk_after_reopen"] = {"store": du(root / name / "store"), "changes_log": du(root / name / "changes.log")}
    facts_n = out["facts"]
    for label, key in (("after setup", "disk_after_setup"), ("after 5 more changes", "disk_after_5_changes"),
                       ("after close", "disk_after_close"), ("after close and reopen", "disk_after_reopen")):
        d = out.get(key)
        if d:
            print(f"  disk {label}: store {d['store'] / 2**20:,.1f} MiB = {d['store'] / facts_n:,.0f} B/fact, "
                  f"changes.log {d['changes_log'] / 2**20:,.1f} MiB = {d['changes_log'] / facts_n:,.0f} B/fact",
                  flush=True)


def summary(results: dict[str, dict[str, Any]]) -> None:
    rows = [r for r in results.values() if "apply10_s" in r and "open" in r]
    if not rows:
        return
    # The old snapshot is linear in the session by construction (it serialises everything): where it was
    # not measured, extrapolate from the largest size where it was.
    measured = [r for r in rows if "snapshot_s" in r]
    for r in rows:
        if "snapshot_s" not in r and measured:
            ref = measured[-1]
            r["snapshot_extrapolated_s"] = statistics.median(ref["snapshot_s"]) * r["facts"] / ref["facts"]
            r["old_over_new_apply10"] = r["snapshot_extrapolated_s"] / statistics.median(r["apply10_s"])
    print("\n== summary (medians; ~ = extrapolated) ==")
    head = ("N facts", "setup s", "facts/s", "apply 10 ms", "extract ms", "engine ms", "extract-engine ms",
            "accept ms", "undo ms", "open s", "open RSS MB", "store B/fact", "log B/fact", "old JSON s", "old/new")
    print(" | ".join(head))
    for r in rows:
        n = r["facts"]
        old = (f"{statistics.median(r['snapshot_s']):.2f}" if "snapshot_s" in r
               else f"~{r['snapshot_extrapolated_s']:.3g}" if "snapshot_extrapolated_s" in r else "-")
        print(" | ".join([
            f"{n:,}", f"{r['setup_commit_s']:.1f}", f"{r['setup_facts_per_s']:,.0f}", f"{med_ms(r['apply10_s']):.1f}",
            f"{med_ms(r['extract_s']):.1f}", f"{med_ms(r['engine_s']):.1f}",
            f"{med_ms(r['extract_minus_engine_s']):.1f}", f"{med_ms(r['accept_anyway_s']):.1f}",
            f"{med_ms(r['undo_s']):.1f}", f"{statistics.median(o['open_s'] for o in r['open']):.2f}",
            f"{max(o['peak_rss_mb'] for o in r['open']):,.0f}",
            f"{r['disk_after_setup']['store'] / n:,.0f}", f"{r['disk_after_setup']['changes_log'] / n:,.0f}",
            old, (f"{'~' if 'snapshot_s' not in r else ''}{r['old_over_new_apply10']:,.0f}x"
                  if "old_over_new_apply10" in r else "-")]))
    small, big = rows[0], rows[-1]
    if big is not small:
        f = big["facts"] / small["facts"]
        print(f"\n{big['facts']:,} vs {small['facts']:,} facts ({f:,.0f}x the facts):")
        for key, what in (("apply10_s", "apply_change of 10 facts"), ("extract_s", "extract (10 triples)"),
                          ("extract_minus_engine_s", "extract - engine"), ("accept_anyway_s", "accept anyway"),
                          ("undo_s", "undo")):
            print(f"  {what}: {med_ms(small[key]):.1f} -> {med_ms(big[key]):.1f} ms = "
                  f"{statistics.median(big[key]) / statistics.median(small[key]):.2f}x")
    print(f"\nGoals at {big['facts']:,} facts: 10-triple change <= 50 ms and <= 2x the smallest size; "
          "accept anyway / undo <= 100 ms; open <= 3 s.")


def code_version() -> dict[str, str]:
    """Where the measured hydra_magic comes from, and its commit (``+dirty`` when hydra_magic/ has edits).

    A long run should measure one version: ``git archive <commit> hydra_magic | tar -x -C DIR`` and run with
    ``PYTHONPATH=DIR`` (then HYDRA_BENCH_COMMIT names the commit) when others commit meanwhile.
    """
    import hydra_magic

    path = str(Path(hydra_magic.__file__).resolve().parent)
    commit = os.environ.get("HYDRA_BENCH_COMMIT", "")
    if not commit:
        try:
            repo = Path(path).parent
            commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True, check=True).stdout.strip()
            dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "hydra_magic"],
                                   capture_output=True, text=True, check=True).stdout.strip()
            commit += "+dirty" if dirty else ""
        except (OSError, subprocess.CalledProcessError):
            commit = "unknown"
    return {"path": path, "commit": commit}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", help="write the session directories here and keep them (default: a temp dir, removed)")
    ap.add_argument("--profile", action="store_true", help="also cProfile one extract, one 10-fact change and one open")
    ap.add_argument("--json", default=str(HERE / "results" / "store.json"))
    ap.add_argument("--setup-cap", type=float, default=900.0, help="stop a size whose setup takes longer (s)")
    ap.add_argument("--rss-cap-mb", type=float, default=16_384.0, help="stop a size whose setup needs more RSS")
    ap.add_argument("--typed", action="store_true",
                    help="state every entity's type (13 facts per source, none on inferred types): few findings")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: where DIR/N already holds a kept session, measure on it instead of building "
                         "one (steps 2-5; its setup figures are the kept run's)")
    ap.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-out", help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one_size is not None:  # child: steps 1-3, 5, 6 of one size; figures to --one-out
        res = bench_size(a.one_size, a.repeat, Path(a.root), a.profile, a.setup_cap, a.rss_cap_mb, a.typed,
                         a.reuse)
        Path(a.one_out).write_text(json.dumps(res, default=str))
        return
    code = code_version()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
          f"{platform.platform()}; journal ON (SessionConfig(journal_dir=<dir>)), default engine options; "
          f"hydra_magic from {code['path']} ({code['commit']})", flush=True)
    results: dict[str, dict[str, Any]] = {}
    for n in a.sizes:
        root = Path(a.keep) / str(n) if a.keep else Path(tempfile.mkdtemp(prefix="bench-store-"))
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / ("figures-reuse.json" if a.reuse and (root / f"bench-store-{n}").exists() else "figures.json")
        cmd = [sys.executable, __file__, "--one-size", str(n), "--one-out", str(tmp), "--root", str(root),
               "--repeat", str(a.repeat), "--setup-cap", str(a.setup_cap), "--rss-cap-mb", str(a.rss_cap_mb)]
        if a.profile:
            cmd.append("--profile")
        if a.typed:
            cmd.append("--typed")
        if a.reuse:
            cmd.append("--reuse")
        try:
            rc = subprocess.run(cmd).returncode
            if rc != 0:
                print(f"size {n:,} failed (exit {rc}); stopping here")
                break
            res = results[str(n)] = json.loads(tmp.read_text())
            if res.get("aborted"):
                print(f"size {n:,}: {res['aborted']}; larger sizes skipped")
                break
            measure_open(n, root, res, a.repeat, a.profile)
        finally:
            if not a.keep:
                shutil.rmtree(root, ignore_errors=True)
    summary(results)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "python": sys.version.split()[0], "cpus": os.cpu_count(),
                "argv": sys.argv[1:], "hydra_magic": code}
        Path(a.json).write_text(json.dumps({"meta": meta, "sizes": results}, indent=1, default=str))
        print(f"figures written to {a.json}")


if __name__ == "__main__":
    main()
