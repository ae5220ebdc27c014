"""One session suite, every place a session can live: the embedded store and a real SPARQL server.

The server is Oxigraph's (``oxigraph serve`` from PyPI ``oxigraph``), started on loopback by these
tests and stopped after. The fault tests put a small loopback proxy in front of it that loses an
answer, holds a request past the deadline or asks for credentials: what a real network and a real
server do, on demand.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from hydra_magic.errors import JournalError, SessionBusyError
from hydra_magic.session import Session, SessionConfig
from hydra_magic.store.remote_store import RemoteSessionStore

from hydra_magic.testing.sparql_servers import ServerUnavailable, free_port, running_oxigraph, running_virtuoso

CQS = "Which films did a director direct?\nWhen was a film released?"
TEXT = "Alien is a 1979 film directed by Ridley Scott. Ridley Scott is a director."
#: Text a SPARQL literal must carry exactly: quotes, backslashes, newlines, markup, non-BMP characters.
AWKWARD = 'Heat is a film directed by Michael Mann. He said "no \\ <b>tags</b>" 🎬 ; } .'


def _served(servers: Iterator[str]) -> Iterator[str]:
    """A server's URL; a missing binary skips (fails where HYDRA_REQUIRE_STORES is set, as in CI)."""
    try:
        url = next(servers)
    except ServerUnavailable as exc:
        if os.environ.get("HYDRA_REQUIRE_STORES"):
            pytest.fail(f"{exc} (HYDRA_REQUIRE_STORES is set, so the store servers are required)")
        pytest.skip(str(exc))
    yield url
    next(servers, None)  # stops it


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _served(running_oxigraph(tmp_path_factory.mktemp("oxigraph")))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _served(running_virtuoso(tmp_path_factory.mktemp("virtuoso")))


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Session]]:
    """``make(name="s", **settings)``: a session in the store under test (a fresh name per test on the server)."""
    opened: list[Session] = []
    if request.param == "embedded":
        where: dict[str, Any] = {"journal_dir": str(tmp_path / "journals")}
        prefix = ""
    else:
        where = {"journal_dir": None, "store": request.getfixturevalue(request.param)}
        prefix = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[5:45].strip("-") + "-"

    def make(name: str = "s", **settings: Any) -> Session:
        s = Session(prefix + name, SessionConfig(**where, **settings))
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


def facts(s: Session) -> dict[tuple[str, str, str, str], Any]:
    """Each fact with its evidence, the time apart (see :func:`same_facts`)."""
    return {(f.source, str(f.subject), str(f.predicate), str(f.object)): f.evidence for f in s.kg}


def same_facts(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    """Equal facts and evidence; times within a microsecond (Virtuoso keeps xsd:dateTime no finer)."""
    def untimed(d: dict[Any, Any]) -> dict[Any, Any]:
        return {k: replace(ev, time=0.0) for k, ev in d.items()}

    return untimed(a) == untimed(b) and all(abs(a[k].time - b[k].time) < 2e-6 for k in a)


def test_a_session_comes_back_whole(make: Callable[..., Session]) -> None:
    s = make()
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    s.extract(AWKWARD, source="cell-2")
    before = (s.ontology.triples(), [c.text for c in s.cqs], s.kg.labels())
    kept = facts(s)
    assert any(AWKWARD.startswith(ev.sentence) for ev in kept.values())
    s.close()
    again = make()
    assert (again.ontology.triples(), [c.text for c in again.cqs], again.kg.labels()) == before
    assert same_facts(facts(again), kept)
    assert "Restored session" in again.restored


def test_undo_works_after_a_restart(make: Callable[..., Session]) -> None:
    s = make()
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    assert len(s.kg)
    s.close()
    again = make()
    again.undo()
    assert len(again.kg) == 0 and again.ontology.classes
    again.close()
    third = make()
    assert len(third.kg) == 0 and len(third.history) == 1
    third.undo()
    assert not third.ontology.classes and not third.cqs


def test_user_decisions_and_reset_are_kept(make: Callable[..., Session]) -> None:
    s = make()
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    victim = next(f for f in s.kg if "directs" in str(f.predicate))
    s.remove_fact(victim)
    s.reset()
    s.close()
    again = make()
    assert len(again.kg) == 0 and not again.cqs
    again.undo()  # the reset
    assert again.cqs and victim.key not in {f.key for f in again.kg}


def test_settings_are_saved_where_the_session_lives(make: Callable[..., Session]) -> None:
    s = make()
    s.configure("chunk_chars", 321)
    s.close()
    assert make().config.chunk_chars == 321


def test_text_that_cannot_be_stored_changes_nothing(make: Callable[..., Session]) -> None:
    s = make()
    s.add_cqs(CQS)
    with pytest.raises(Exception, match="surrogate"):
        s.extract("Alien is a film directed by Ridley Scott. \ud83c", source="bad")
    assert len(s.kg) == 0
    s.close()
    assert len(make().kg) == 0


def test_a_long_history_is_compacted_and_still_undoes(make: Callable[..., Session]) -> None:
    s = make(history_limit=3)
    s.add_cqs(CQS)
    for i in range(30):
        s.extract(f"Film{i} is a film directed by Ridley Scott.", source=f"c{i}")
    s.close()
    again = make(history_limit=3)
    assert len(again.history) == 3
    # what compaction dropped stays readable as an audit trail (audit.log on disk, an audit graph on a server)
    trail = again.journal.audit()  # type: ignore[union-attr]
    ids = [h["id"] for h in trail]
    assert len(trail) >= 20 and ids == sorted(ids) and trail[0]["kind"] == "cq"
    assert not set(ids) & {c.log_id for c in again.history}
    assert all(h["summary"].startswith("c") for h in trail[1:])  # the extractions, by source
    n = len(again.kg)
    again.undo()
    assert len(again.kg) < n


# ----------------------------------------------------------------------------- one writer
def test_a_second_process_is_told_who_holds_the_session(make: Callable[..., Session]) -> None:
    s = make("held")
    code = ("import sys; from hydra_magic.session import Session, SessionConfig\n"
            "try:\n"
            f"    Session({s.name!r}, SessionConfig(journal_dir={s.config.journal_dir!r}, store={s.config.store!r}))\n"
            "except Exception as e:\n"
            "    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "SessionBusyError" in out, out
    s.close()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "Error" not in out, out


# ----------------------------------------------------------------------------- faults (server only)
class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the upstream server; ``mode`` decides what happens to update requests."""

    upstream = ""
    mode = "pass"  # pass | lose-answer | drop | hold | auth | truncate | drop-nth | dead-after
    held = 0.0
    updates = 0  # update requests seen
    after = 0

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        is_update = self.path.startswith("/update")
        if is_update:
            type(self).updates += 1
        if self.mode == "dead-after" and type(self).updates > self.after:
            self.connection.close()  # the server went away after `after` update requests
            return
        if self.mode == "drop-nth" and is_update and type(self).updates == self.after:
            self.connection.close()  # one request lost on the way
            return
        if self.mode == "auth" and self.headers.get("Authorization") != "Basic dXNlcjpzM2NyZXQ=":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.end_headers()
            return
        if is_update and self.mode == "drop":
            time.sleep(self.held)
            self.connection.close()
            return
        req = urllib.request.Request(self.upstream + self.path, data=body, method="POST",
                                     headers={k: v for k, v in self.headers.items()
                                              if k.lower() in ("content-type", "accept")})
        with urllib.request.urlopen(req, timeout=30) as reply:
            status, data, ctype = reply.status, reply.read(), reply.headers.get("Content-Type", "")
        if self.mode == "truncate" and b"CONSTRUCT" in urllib.parse.unquote_to_bytes(body):
            data = b"\n".join(data.splitlines()[: len(data.splitlines()) // 2]) + b"\n"
        if is_update and self.mode in ("lose-answer", "hold"):
            time.sleep(self.held)  # applied upstream; the answer never comes in time
            if self.mode == "lose-answer":
                self.connection.close()
                return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def proxy(oxigraph: str) -> Iterator[type[_Proxy]]:
    handler = type("Proxy", (_Proxy,), {"upstream": oxigraph.replace("oxigraph+", "")})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", free_port()), handler)
    server.daemon_threads = True
    server.handle_error = lambda *a: None  # type: ignore[method-assign]  # a held answer's client is gone
    threading.Thread(target=server.serve_forever, daemon=True).start()
    handler.url = f"oxigraph+http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def _session(url: str, name: str, timeout: float = 30.0) -> Session:
    return Session(name, SessionConfig(journal_dir=None, store=url, sparql_timeout=timeout))


def test_an_answer_lost_after_the_server_applied_the_change_keeps_it(proxy: Any) -> None:
    s = _session(proxy.url, "lost-answer")
    s.add_cqs(CQS)
    proxy.mode, proxy.held = "lose-answer", 0.0
    s.extract(TEXT, source="intro")  # the record is on the server, so the change is kept, not reported lost
    proxy.mode = "pass"
    kept = facts(s)
    assert kept
    s.close()
    assert same_facts(facts(_session(proxy.url, "lost-answer")), kept)


def test_a_change_the_server_never_got_changes_nothing(proxy: Any) -> None:
    s = _session(proxy.url, "dropped", timeout=2.0)
    s.add_cqs(CQS)
    proxy.mode, proxy.held = "drop", 0.0
    with pytest.raises(JournalError, match="did not reach the store; nothing changed"):
        s.extract(TEXT, source="intro")
    assert len(s.kg) == 0
    proxy.mode = "pass"
    s.close()
    assert len(_session(proxy.url, "dropped").kg) == 0


def test_a_slow_server_meets_the_deadline(proxy: Any) -> None:
    s = _session(proxy.url, "slow", timeout=1.5)
    s.add_cqs(CQS)
    proxy.mode, proxy.held = "hold", 6.0
    t0 = time.monotonic()
    s.extract(TEXT, source="intro")  # applied upstream; the deadline passes; the record says it was applied
    assert time.monotonic() - t0 < 5.0
    assert len(s.kg)


def test_a_server_that_is_gone_says_so_and_changes_nothing(tmp_path: Path) -> None:
    gen = running_oxigraph(tmp_path)
    url = next(gen)
    s = _session(url, "gone", timeout=3.0)
    s.add_cqs(CQS)
    with pytest.raises(StopIteration):
        next(gen)  # stops the server
    # The first request of the step (reading the source's facts) finds it gone: nothing was sent.
    with pytest.raises(JournalError, match="did not answer.*nothing changed.*as it was before"):
        s.extract(TEXT, source="intro")
    assert len(s.kg) == 0


def test_credentials_come_from_the_environment(proxy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy.mode = "auth"
    monkeypatch.delenv("HYDRA_STORE_USER", raising=False)
    monkeypatch.delenv("HYDRA_STORE_PASSWORD", raising=False)
    with pytest.raises(JournalError, match="HYDRA_STORE_USER and HYDRA_STORE_PASSWORD.*are not set"):
        _session(proxy.url, "auth")
    monkeypatch.setenv("HYDRA_STORE_USER", "user")
    monkeypatch.setenv("HYDRA_STORE_PASSWORD", "s3cret")
    s = _session(proxy.url, "auth")
    s.add_cqs(CQS)
    assert "s3cret" not in json.dumps(s.journal.meta if s.journal else {})  # never saved with the session
    s.close()


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(JournalError) as info:
        _session("sparql+http://me:hunter2@127.0.0.1:1/sparql", "x")
    assert "hunter2" not in str(info.value) and "HYDRA_STORE_PASSWORD" in str(info.value)


def test_a_stale_lease_can_be_released(oxigraph: str) -> None:
    s = _session(oxigraph, "stale")
    store = RemoteSessionStore(oxigraph, "stale", s.config.base)
    store._holder = "another-host pid 1"  # as if a second kernel elsewhere
    with pytest.raises(SessionBusyError, match="open in another process"):
        store.open({})
    s.journal._open = False  # type: ignore[union-attr]  # the first kernel died without closing
    RemoteSessionStore.release(oxigraph, "stale", s.config.base)
    store.open({})
    store.close()


def test_a_session_dropped_while_an_executor_lock_is_held_releases_its_lease(oxigraph: str) -> None:
    """The garbage collector may drop a Session inside ``ThreadPoolExecutor.submit``, which holds a
    module-wide lock; the release sent from ``__del__`` must not wait on that lock (a full test run
    hung there)."""
    import concurrent.futures.thread as executor_thread
    import gc

    s: Session | None = _session(oxigraph, "dropped")
    base = s.config.base  # type: ignore[union-attr]
    held = threading.Lock()
    done = threading.Event()

    def drop() -> None:
        nonlocal s
        with held:  # as while submit() holds it and the collector runs
            s = None
            gc.collect()
        done.set()

    real = executor_thread._global_shutdown_lock
    executor_thread._global_shutdown_lock = held  # type: ignore[attr-defined]
    try:
        threading.Thread(target=drop, daemon=True).start()
        released = done.wait(20)
    finally:
        executor_thread._global_shutdown_lock = real  # type: ignore[attr-defined]
        if not done.is_set():
            held.release()  # unblock the stuck finalizer so the rest of the run goes on
    assert released, "Session.__del__ waited on the executor's lock"
    other = RemoteSessionStore(oxigraph, "dropped", base)
    other._holder = "another-host pid 2"
    other.open({})  # the dropped session's lease is gone
    other.close()


# ----------------------------------------------------------------------------- the notebook
def test_hydra_store_moves_the_session_to_a_server_and_back(oxigraph: str, hydra_ext: Any, run_cell: Any,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from IPython.core.error import UsageError

    name = hydra_ext.session.name
    run_cell(f"%hydra store {oxigraph}")
    on_server = hydra_ext.magics.sessions.active
    assert on_server.config.store == oxigraph and on_server.name == name
    assert hydra_ext.shell.user_ns["hydra"] is on_server
    on_server.add_cqs(CQS)
    run_cell("%hydra store")
    assert f"lives in {oxigraph}" in capsys.readouterr().out
    with pytest.raises(UsageError, match="not a store URL"):
        run_cell("%hydra store http://example.org/sparql")
    assert hydra_ext.magics.sessions.active is on_server  # a refused URL closes nothing
    with pytest.raises(UsageError, match="did not answer"):
        run_cell(f"%hydra store oxigraph+http://127.0.0.1:{free_port()}")  # nobody listens there
    assert hydra_ext.magics.sessions.active is on_server and on_server.cqs  # nor does a server that is not up
    run_cell("%hydra store local")
    local = hydra_ext.magics.sessions.active
    assert not local.config.store and not local.cqs  # the local session of that name, as it was
    run_cell(f"%hydra store {oxigraph}")
    assert hydra_ext.magics.sessions.active.cqs  # the server kept what it was given
    hydra_ext.magics.sessions.active.close()


def test_a_server_that_cuts_answers_short_is_not_read_as_a_smaller_session(proxy: Any) -> None:
    s = _session(proxy.url, "cut")
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    s.close()
    proxy.mode = "truncate"
    again = _session(proxy.url, "cut")  # opening reads no fact: the count comes from the server
    assert len(again.kg) == 3
    with pytest.raises(JournalError, match=r"holds 3 facts .* but sent [0-2]\b.*ResultSetMaxRows"):
        list(again.kg)  # reading them all gets a cut answer: named, not taken for fewer facts
    again.close()
    proxy.mode = "pass"
    assert len(list(_session(proxy.url, "cut").kg)) == 3


# ----------------------------------------------------------------------------- large changes, in parts
@pytest.fixture()
def small_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests of at most 40 triples, so that one extraction goes to the server in several parts."""
    monkeypatch.setattr(RemoteSessionStore, "max_triples", 40)


def test_a_change_written_in_parts_comes_back_whole(small_requests: None, make: Callable[..., Session]) -> None:
    s = make()
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    s.extract(AWKWARD, source="cell-2")
    first = facts(s)
    s.extract(TEXT + " Alien is a film.", source="intro")  # re-extraction: removals and additions
    kept = facts(s)
    assert not same_facts(kept, first)
    s.close()
    again = make()
    assert same_facts(facts(again), kept)
    again.undo()
    again.close()
    third = make()
    assert len(third.history) == 3 and same_facts(facts(third), first)


def _pending(store: Any) -> list[Any]:
    return store.endpoint.select(f"SELECT ?m WHERE {{ GRAPH {store.changes} {{ ?m ?p ?o }} "
                                 f"FILTER(CONTAINS(STR(?m), '/pending/')) }}")


def test_a_part_lost_on_the_way_is_taken_back_at_once(small_requests: None, proxy: Any) -> None:
    s = _session(proxy.url, "part-lost", timeout=3.0)
    s.add_cqs(CQS)
    proxy.mode, proxy.updates, proxy.after = "drop-nth", 0, 3  # the marker, one part, then this one is lost
    with pytest.raises(JournalError, match="were taken back; nothing changed"):
        s.extract(TEXT, source="intro")
    proxy.mode = "pass"
    assert len(s.kg) == 0 and not _pending(s.journal)
    s.extract(TEXT, source="intro")  # the session goes on
    s.close()
    assert len(_session(proxy.url, "part-lost").kg) == len(s.kg) > 0


def test_a_server_gone_mid_change_is_rolled_back_when_it_is_opened_again(small_requests: None, proxy: Any,
                                                                           oxigraph: str) -> None:
    s = _session(proxy.url, "gone-mid", timeout=3.0)
    s.add_cqs(CQS)
    proxy.mode, proxy.updates, proxy.after = "dead-after", 0, 2  # the marker and one part get through
    with pytest.raises(JournalError, match="next opened"):
        s.extract(TEXT, source="intro")
    with pytest.raises(JournalError, match="closed"):
        s.extract(TEXT, source="intro")  # nothing goes on top of a store in an unknown state
    proxy.mode = "pass"
    RemoteSessionStore.release(oxigraph, "gone-mid", s.config.base)  # the dead kernel's lease
    again = _session(oxigraph, "gone-mid")
    assert len(again.kg) == 0 and again.cqs and not _pending(again.journal)


def test_a_large_session_is_read_in_pages(make: Callable[..., Session], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteSessionStore, "page_facts", 1)  # more than one fact: read in 16 pages
    s = make()
    s.add_cqs(CQS)
    s.extract(TEXT, source="intro")
    s.extract(AWKWARD, source="cell-2")
    kept = facts(s)
    assert len(kept) > 1
    s.close()
    assert same_facts(facts(make()), kept)
