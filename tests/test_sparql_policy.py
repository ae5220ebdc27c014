"""SPARQL under one policy (issue item 2): SERVICE off by default, a deadline, an interrupt that works,
updates refused with a sentence, failures turned into clear errors, the session unchanged after each.

Everything here is real: Oxigraph runs the queries in a forked worker, remote endpoints are
standard-library HTTP servers on 127.0.0.1, interrupts are real signals. No test asserts a
wall-clock time; each asserts what a user would see and that no worker process is left.
"""

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from rdflib import Dataset, Literal, URIRef
from traitlets import TraitError

from hydra_magic.changes import Change
from hydra_magic.cq import parse_cqs
from hydra_magic.errors import ParseError, QueryError, QueryRefusedError, QueryTimeoutError
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig
from hydra_magic.sparql_policy import QueryPolicy, QueryWorker, inspect_query, run_query

from .verify_fixtures import film_session

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the worker process is Linux-only")

EX = "http://example.org/"
#: Four independent patterns over a few hundred facts: ~10^10 rows to count, it never ends by itself.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
UPDATE_SENTENCE = ("SPARQL updates are not allowed in %%sparql; change the graph with %%extract, "
                   "%hydra accept/remove or Session methods")


# ----------------------------------------------------------------------------- helpers
def _session(n: int = 300) -> Session:
    s = Session("policy", SessionConfig(journal_dir=None), restore=False)
    ev = Evidence("test-source", sentence="A sentence.")
    s.kg.add([Fact(URIRef(f"{EX}e{i}"), URIRef(EX + "value"), Literal(i), ev) for i in range(n)])
    return s


def _state(s: Session) -> tuple[Any, ...]:
    """Everything a query could change: facts, store quads, ontology, history, revision."""
    quads = frozenset((q[0], q[1], q[2], str(getattr(q[3], "identifier", q[3])))
                      for q in s.kg.dataset.quads((None, None, None, None)))
    return (frozenset((f.subject, f.predicate, f.object, f.source) for f in s.kg), quads,
            frozenset(s.ontology.graph), len(s.history), s.kg.revision, len(s.cqs))


def _children() -> set[int]:
    """Processes whose parent is this one (read from /proc: what exists, not what we think exists)."""
    me, out = os.getpid(), set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            out.add(int(d.name))
    return out


def _gone(pid: int) -> bool:
    """Not running and reaped: no /proc entry at all (a zombie would still have one)."""
    return not Path(f"/proc/{pid}").exists()


class _Watch:
    """Records the worker processes started while it runs (a thread polling /proc, bounded)."""

    def __init__(self, then: Callable[[], None] | None = None) -> None:
        self.before = _children()
        self.seen: set[int] = set()
        self.then = then
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for _ in range(1000):  # at most ~10 s
            if self.stop.is_set():
                return
            new = _children() - self.before
            if new:
                self.seen |= new
                if self.then is not None:
                    time.sleep(0.2)  # the worker is busy with the query by now
                    self.then()
                    return
            time.sleep(0.01)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(15)


class _Endpoint:
    """A SPARQL endpoint on 127.0.0.1: 'hang' accepts and never answers, 'garbage' answers nonsense,
    'ok' answers one row (?x = "remote"). ``hits`` counts the requests it received."""

    ROW = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote"}}]}}'

    def __init__(self, mode: str) -> None:
        self.hits = 0
        self.release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.hits += 1
                if mode == "hang":
                    endpoint.release.wait(30)  # bounded: released when the test ends
                    return
                body = endpoint.ROW if mode == "ok" else b"<html>this is not a SPARQL result"
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture()
def endpoint() -> Iterator[Callable[[str], _Endpoint]]:
    started: list[_Endpoint] = []

    def start(mode: str) -> _Endpoint:
        started.append(_Endpoint(mode))
        return started[-1]

    yield start
    for e in started:
        e.close()


def _service(url: str) -> str:
    return f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"


# ----------------------------------------------------------------------------- results
def test_results_keep_their_shape_select_ask_construct_describe() -> None:
    s = _session(20)
    s.query("ASK {}")  # mirrors the ontology graph, so both sides see the same store
    ds = s.kg.dataset
    q = f"SELECT ?s ?v WHERE {{ ?s <{EX}value> ?v }} ORDER BY ?v"
    got, direct = s.query(q), ds.query(q)
    assert got.type == "SELECT" and got.vars == direct.vars
    assert [tuple(r) for r in got] == [tuple(r) for r in direct] and len(list(got)) == 20
    assert [r.v for r in got][:2] == [Literal(0), Literal(1)]  # rows by name, typed literals as before
    assert s.query(f"ASK {{ ?s <{EX}value> 7 }}").askAnswer is True
    assert s.query(f"ASK {{ ?s <{EX}value> 700 }}").askAnswer is False
    c = f"CONSTRUCT {{ ?s <{EX}v2> ?v }} WHERE {{ ?s <{EX}value> ?v }}"
    assert s.query(c).type == "CONSTRUCT" and set(s.query(c).graph) == set(ds.query(c).graph)
    d = s.query(f"DESCRIBE <{EX}e3>")
    assert (URIRef(EX + "e3"), URIRef(EX + "value"), Literal(3)) in d.graph
    unbound = s.query("SELECT ?x ?y WHERE { BIND(1 AS ?x) }")
    assert [tuple(r) for r in unbound] == [(Literal(1), None)]


def test_a_string_that_says_service_or_insert_is_just_a_string() -> None:
    s = _session(3)
    q = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/> { } INSERT DATA { }" AS ?x) }'
    assert inspect_query(q).services == () and inspect_query(q).form == "SELECT"
    assert [str(r.x) for r in s.query(q)] == ["SERVICE <http://example.org/> { } INSERT DATA { }"]


# ----------------------------------------------------------------------------- SERVICE
def test_service_is_refused_by_default_naming_the_option(endpoint: Any, hydra_ext: Any, run_cell: Any) -> None:
    remote = endpoint("ok")
    s = _session()
    before = _state(s)
    with pytest.raises(QueryRefusedError, match=r"allow_service=True") as info:
        s.query(_service(remote.url))
    assert remote.url in str(info.value)
    assert _state(s) == before
    message = _usage_error(run_cell, f"%%sparql\n{_service(remote.url)}")
    assert "%%sparql --service" in message and "off by default" in message
    variable = _usage_error(run_cell, "%%sparql\nSELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }")
    assert "SERVICE ?e" in variable
    assert remote.hits == 0  # refused before anything was sent


def test_service_with_the_option_reaches_the_endpoint(endpoint: Any, hydra_ext: Any, run_cell: Any) -> None:
    remote = endpoint("ok")
    assert [str(r.x) for r in _session().query(_service(remote.url), allow_service=True)] == ["remote"]
    result = run_cell(f"%%sparql --service --out rows\n{_service(remote.url)}")
    assert result.rows == [{"x": "remote"}] and hydra_ext.shell.user_ns["rows"] == [{"x": "remote"}]
    assert remote.hits == 2


@linux_only
def test_service_that_never_answers_is_stopped_at_the_deadline(endpoint: Any, hydra_ext: Any,
                                                               run_cell: Any) -> None:
    remote = endpoint("hang")
    s = _session()
    s.query("ASK {}")
    before = _state(s)
    with _Watch() as watch, pytest.raises(QueryTimeoutError, match=r"did not finish within 1 s"):
        s.query(_service(remote.url), allow_service=True, timeout=1)
    assert remote.hits == 1  # it did call, and the call hung
    assert watch.seen and all(_gone(pid) for pid in watch.seen)
    assert _state(s) == before
    message = _usage_error(run_cell, f"%%sparql --service --timeout 1\n{_service(remote.url)}")
    assert "did not finish within 1 s" in message and "--timeout" in message


def test_a_malformed_remote_reply_is_a_clear_error(endpoint: Any, hydra_ext: Any, run_cell: Any) -> None:
    remote = endpoint("garbage")
    s = _session()
    s.query("ASK {}")
    before = _state(s)
    with pytest.raises(QueryError) as info:
        s.query(_service(remote.url), allow_service=True)
    assert type(info.value) is QueryError  # not a RuntimeError from inside pyoxigraph
    assert f"SERVICE {remote.url}" in str(info.value) and "not a SPARQL result" in str(info.value)
    assert _state(s) == before
    message = _usage_error(run_cell, f"%%sparql --service\n{_service(remote.url)}")
    assert "not a SPARQL result" in message


@linux_only
def test_a_service_the_parser_cannot_see_still_cannot_connect(endpoint: Any) -> None:
    # rdflib's parser does not know LANGDIR (SPARQL 1.2); Oxigraph does and would call the endpoint.
    remote = endpoint("ok")
    q = f"SELECT * WHERE {{ SERVICE <{remote.url}> {{ ?x ?p ?o }} BIND(LANGDIR('a') AS ?d) }}"
    assert inspect_query(q).form is None
    with pytest.raises(QueryRefusedError, match="off by default"):
        _session().query(q)
    assert remote.hits == 0
    assert [str(r.x) for r in _session().query(q, allow_service=True)] == ["remote"]  # the option still works


# ----------------------------------------------------------------------------- deadline and interrupt
@linux_only
def test_a_cartesian_query_is_stopped_at_the_deadline_and_the_worker_is_gone() -> None:
    s = _session()
    s.query("ASK {}")
    before = _state(s)
    with _Watch() as watch, pytest.raises(QueryTimeoutError) as info:
        s.query(CARTESIAN, timeout=1)
    assert "did not finish within 1 s" in str(info.value) and "timeout=SECONDS" in str(info.value)
    assert isinstance(info.value, TimeoutError)
    assert watch.seen and all(_gone(pid) for pid in watch.seen)
    assert _state(s) == before
    assert s.query(f"ASK {{ ?s <{EX}value> 1 }}").askAnswer is True  # the session still answers


@linux_only
def test_sigint_stops_the_query_and_kills_the_worker() -> None:
    s = _session()
    s.query("ASK {}")
    before = _state(s)
    with _Watch(then=lambda: os.kill(os.getpid(), signal.SIGINT)) as watch, pytest.raises(KeyboardInterrupt):
        s.query(CARTESIAN, timeout=60)
    assert watch.seen and all(_gone(pid) for pid in watch.seen)
    assert _state(s) == before


@linux_only
def test_interrupting_sparql_cell_stops_it(hydra_ext: Any, run_cell: Any, capsys: Any) -> None:
    hydra_ext.session.apply_change(Change("import", "300 values", facts_added=[
        Fact(URIRef(f"{EX}e{i}"), URIRef(EX + "value"), Literal(i), Evidence("t")) for i in range(300)]))
    before = _state(hydra_ext.session)
    with _Watch(then=_thread.interrupt_main) as watch, pytest.raises(KeyboardInterrupt):
        run_cell(f"%%sparql --timeout 60\n{CARTESIAN}")
    assert watch.seen and all(_gone(pid) for pid in watch.seen)
    assert "Interrupted: the query was stopped" in capsys.readouterr().err
    after = _state(hydra_ext.session)
    assert after[0] == before[0] and after[2:] == before[2:]  # facts, ontology, history: as they were


def test_the_thread_fallback_keeps_deadline_and_shape(endpoint: Any) -> None:
    # Where fork is not safe the query runs in a thread: the caller still gets its answer or its deadline.
    # (The abandoned thread waits on the endpoint, which the fixture releases: nothing spins after the test.)
    remote = endpoint("hang")
    s = _session(20)
    ds = s.kg.dataset
    with QueryWorker(isolate=False) as worker:
        assert worker.pid is None
        rows = run_query(ds, f"SELECT ?v WHERE {{ ?s <{EX}value> ?v }} ORDER BY ?v LIMIT 2", worker=worker)
        assert [r.v for r in rows] == [Literal(0), Literal(1)]
        with pytest.raises(QueryTimeoutError):
            run_query(ds, _service(remote.url), policy=QueryPolicy(timeout=0.5, allow_service=True), worker=worker)
        with pytest.raises(ParseError, match="SPARQL"):  # unparsed: not run at all in this process
            run_query(ds, "SELECT ?x WHERE { BIND(LANGDIR('a') AS ?x) }", worker=worker)


@linux_only
def test_one_worker_serves_a_batch_and_is_replaced_after_a_timeout() -> None:
    s = _session()
    s.query("ASK {}")
    ds = s.kg.dataset
    with QueryWorker() as worker:
        pids = set()
        for i in range(3):
            assert run_query(ds, f"ASK {{ ?s <{EX}value> {i} }}", worker=worker).askAnswer is True
            pids.add(worker.pid)
        assert len(pids) == 1 and not _gone(pids.pop())
        first = worker.pid
        with pytest.raises(QueryTimeoutError):
            run_query(ds, CARTESIAN, policy=QueryPolicy(timeout=0.5), worker=worker)
        assert worker.pid is None and _gone(first)
        assert run_query(ds, f"ASK {{ ?s <{EX}value> 5 }}", worker=worker).askAnswer is True
        last = worker.pid
    assert last is not None and _gone(last)


def test_a_plain_rdflib_dataset_runs_under_the_same_policy() -> None:
    ds = Dataset()  # rdflib's own store and engine
    ds.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1)))
    assert [tuple(r) for r in run_query(ds, "SELECT ?s ?o WHERE { ?s ?p ?o }")] == [(URIRef(EX + "a"), Literal(1))]
    with pytest.raises(QueryRefusedError):
        run_query(ds, _service("http://127.0.0.1:9/sparql"))


# ----------------------------------------------------------------------------- updates
def test_updates_are_refused_with_a_sentence(endpoint: Any, hydra_ext: Any, run_cell: Any) -> None:
    remote = endpoint("ok")
    session = hydra_ext.session
    before = _state(session)
    for update in ("INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
                   "DELETE WHERE { ?s ?p ?o }", f"LOAD <{remote.url}>", "CLEAR ALL"):
        assert UPDATE_SENTENCE in _usage_error(run_cell, f"%%sparql\n{update}")
        with pytest.raises(QueryRefusedError, match="not allowed in Session.query"):
            session.query(update)
    assert remote.hits == 0  # LOAD did not fetch anything
    assert _state(session) == before


# ----------------------------------------------------------------------------- settings
def test_the_deadline_is_a_setting(hydra_ext: Any, run_cell: Any, make_session: Any) -> None:
    run_cell("%config HydraMagics.sparql_timeout = 2.5")
    assert hydra_ext.session.config.sparql_timeout == 2.5
    assert hydra_ext.magics.session_config().sparql_timeout == 2.5
    with pytest.raises(TraitError, match="more than 0"):
        hydra_ext.magics.sparql_timeout = 0
    assert "more than 0" in _usage_error(run_cell, "%%sparql --timeout 0\nASK {}")
    s = make_session("timeouts", sparql_timeout=7.0)
    assert s.config.to_dict()["sparql_timeout"] == 7.0
    s.save()
    restored = make_session("timeouts")
    assert restored.config.sparql_timeout == 7.0


# ----------------------------------------------------------------------------- CQ tests (hydra verify --cqs)
def test_cq_tests_run_under_the_policy(endpoint: Any) -> None:
    from hydra_magic.verify import run

    remote = endpoint("ok")
    s = film_session()
    s.config.sparql_timeout = 1
    s.kg.add([Fact(URIRef(f"{EX}e{i}"), URIRef(EX + "value"), Literal(i), Evidence("t")) for i in range(300)])
    s.cqs = parse_cqs("Which films are there?\n"
                      f"  sparql: SELECT ?f WHERE {{ SERVICE <{remote.url}> {{ ?f ?p ?o }} }}\n"
                      "Which films were removed?\n"
                      "  sparql: DELETE WHERE { ?s ?p ?o }\n"
                      "How many things are there?\n"
                      f"  sparql: {CARTESIAN}\n"
                      "Which films are there, again?\n"
                      "  sparql: SELECT ?f WHERE { ?f a onto:Film }\n")
    s.query("ASK {}")  # the ontology is mirrored into the store by the first query
    before = _state(s)
    children = _children()
    report = run(s)
    tests = {t.cq.text: t for t in report.cq_tests}
    assert "SERVICE" in tests["Which films are there?"].reason and "never calls them" in tests[
        "Which films are there?"].reason
    assert "updates are not allowed in a CQ test" in tests["Which films were removed?"].reason
    assert "did not finish within 1 s" in tests["How many things are there?"].reason
    assert tests["Which films are there, again?"].answerable  # the run went on after the timeout
    errors = [i.message for i in report.by_code("cq_query_error")]
    assert len(errors) == 3 and any("refused" in m and "SERVICE" in m for m in errors)
    assert remote.hits == 0
    assert _children() <= children  # no worker left behind
    assert _state(s) == before


def _usage_error(run_cell: Any, code: str) -> str:
    with pytest.raises(UsageError) as info:
        run_cell(code)
    assert type(info.value) is UsageError, f"{type(info.value).__name__} would print a traceback"
    return str(info.value)
