"""Running SPARQL under one policy, whoever wrote the query.

Every query hydra runs — a user's ``%%sparql`` cell, a CQ test, later a
model-written query — goes through :func:`run_query` (or a :class:`QueryWorker`
for many queries over an unchanged store) and gets the same rules:

* **Updates are refused** (``INSERT``, ``DELETE``, ``LOAD``, …) with a sentence
  naming where the graph can be changed instead.
* **SERVICE is off** unless the caller turns it on explicitly
  (:attr:`QueryPolicy.allow_service`); it would send requests, and parts of
  the session's data, out of the machine. Both are detected by parsing the
  query with rdflib's SPARQL parser, never by looking for words in the text.
* **A deadline** (:attr:`QueryPolicy.timeout`) and **an interrupt that works**:
  pyoxigraph cannot cancel a running query, so on Linux the query runs in a
  forked child process (a copy-on-write copy of the in-memory store) that
  streams its rows back over a pipe as plain data and is killed at the
  deadline or on ``KeyboardInterrupt``. The child also guards itself: its own
  ``SIGALRM`` (default action: terminate) fires shortly after the deadline even
  while Oxigraph holds the thread, it dies with its parent, it ignores the
  ``SIGINT`` that Jupyter sends to the whole process group, and when SERVICE is
  off it cannot open any file or socket (``RLIMIT_NOFILE`` 0), so a remote call
  the parser did not see still cannot happen. A query over a session on disk
  runs in a fresh worker process over a checkpoint of its store, killed the
  same way (:mod:`hydra_magic.snapshot_worker`); a query over a session on a
  SPARQL server, and a CQ test's own query over a session on disk, run inside
  the store from a thread (:class:`StoreDataset` says why). Only queries rdflib
  parsed run in either.
* **Errors are clear**: a syntax error is a :class:`~hydra_magic.errors.ParseError`,
  a refusal a :class:`~hydra_magic.errors.QueryRefusedError`, a query stopped at
  its deadline a :class:`~hydra_magic.errors.QueryTimeoutError`, a failure while
  running (a malformed remote reply) a :class:`~hydra_magic.errors.QueryError`.
  Results are read to the end before they are returned, so iterating them
  cannot fail later.

Results keep the shape of ``rdflib.Graph.query``: an :class:`rdflib.query.Result`
of type ``SELECT`` (rows), ``ASK`` (``askAnswer``) or ``CONSTRUCT`` (``graph``).

Where ``fork`` is not safe (Windows, macOS) the query runs in a daemon thread
instead: the caller still gets its deadline and its interrupt promptly, but the
abandoned query keeps a core busy until it ends.

Measured (2 cores, a trivial ASK, median of 50): in-process 0.07 ms, through a fresh
worker ~11 ms at 100k facts and ~100 ms at 1M facts (the fork copies page tables);
through a reused :class:`QueryWorker` well under 1 ms. So ``run_query`` forks per
query (a notebook cell does not notice 11 ms), and the CQ tests of one
verification share one worker.
"""

from __future__ import annotations

import re

import os
import queue
import signal
import sys
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from .errors import InputError, ParseError, QueryError, QueryRefusedError, QueryTimeoutError
from .sparql_rows import batches as _batches, error_message as _error_message, ox_messages as _ox_messages
from .sparql_rows import plain_ox as _plain_ox
from .snapshot_worker import die_with_parent

__all__ = ["DEFAULT_TIMEOUT", "QueryPolicy", "QueryShape", "QueryWorker", "StoreDataset", "check_query",
           "inspect_query", "run_query"]

#: Seconds a query may run unless configured otherwise (``SessionConfig.sparql_timeout``).
DEFAULT_TIMEOUT = 30.0
#: The child's own alarm fires this long after the parent's deadline (the parent normally kills it first).
_CHILD_GRACE = 1.0
#: The waiting caller wakes this often: a SIGINT taken by another thread, or ``_thread.interrupt_main``,
#: only raises KeyboardInterrupt once the main thread is back in Python.
_WAKE = 0.1


@dataclass(frozen=True)
class QueryPolicy:
    """The rules one query runs under; the texts name the caller's own options in messages.

    Parameters
    ----------
    timeout
        Seconds the query may take, results included.
    allow_service
        Let ``SERVICE`` call remote endpoints (under the same deadline).
    caller
        Where the query comes from, as the user knows it (``"%%sparql"``).
    service_option
        How the user turns SERVICE on there; ``None`` when it cannot be turned on.
    timeout_option
        How the user raises the deadline there.
    """

    timeout: float = DEFAULT_TIMEOUT
    allow_service: bool = False
    caller: str = "Session.query"
    service_option: str | None = "Session.query(..., allow_service=True)"
    timeout_option: str = "Session.query(..., timeout=SECONDS) or session.config.sparql_timeout"

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise InputError(f"The SPARQL deadline must be more than 0 seconds, not {self.timeout!r}; "
                             f"set it with {self.timeout_option}.")


@dataclass(frozen=True)
class QueryShape:
    """What parsing a query found out before it runs."""

    #: ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE``; ``None`` when rdflib could not parse it.
    form: str | None
    #: The endpoints ``SERVICE`` names (an IRI, or ``?var`` for a variable endpoint).
    services: tuple[str, ...] = ()
    #: rdflib's message when it could not parse the text.
    syntax_error: str = ""
    #: It names graphs itself (``GRAPH``, ``FROM``, ``FROM NAMED``), so it reads more than the default graph.
    names_graphs: bool = False


@dataclass(frozen=True)
class StoreDataset:
    """A query's dataset inside a session's store: its default graph is the union of ``graphs`` (IRIs).

    ``store`` is an embedded ``pyoxigraph.Store``, ``endpoint`` a SPARQL server
    (:class:`~hydra_magic.store.sparql_http.SparqlEndpoint`, asked with ``default-graph-uri``
    parameters). Neither is queried in a forked worker: a fork copies RocksDB's locks in whatever
    state its background threads held them (a child forked after a write waited forever), and a
    second, read-only opener of the live store lost the race against the writer's compactions ("No
    such file" for a table it had just deleted).

    With ``snapshots`` (a directory on the store's file system) an embedded store is queried in a
    worker process over a checkpoint of it (:mod:`hydra_magic.snapshot_worker`), killed at the
    deadline or on an interrupt. Without it, and on a server, the query runs from a thread of this
    process: Oxigraph releases the GIL while it evaluates, so the caller gets its deadline and its
    interrupt, but the query is not stopped (an abandoned one reading rows stops at the next batch,
    an abandoned aggregate runs on until it is done; a server does the work itself). Only queries
    that end are sent there without ``snapshots``: a CQ test's own.
    """

    graphs: tuple[str, ...]
    store: Any = None
    endpoint: Any = None
    snapshots: str | None = None


# --------------------------------------------------------------------------- parsing
def _services(node: Any, out: list[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            out.append(f"?{term}" if isinstance(term, Variable) else str(term))
        for v in node.values():
            _services(v, out)
    elif isinstance(node, (list, tuple, ParseResults)):
        for v in node:
            _services(v, out)


@lru_cache(maxsize=512)
def inspect_query(sparql: str) -> QueryShape:
    """Parse ``sparql`` with rdflib: its form and the endpoints it calls (cached per text).

    Prefixes are not resolved here, so a query using a predeclared prefix parses.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(sparql)
    except Exception as exc:  # noqa: BLE001 - pyparsing's errors and rdflib's untyped ones all mean "no parse"
        try:
            parseUpdate(sparql)
        except Exception:  # noqa: BLE001 - not an update either: report the query's error
            return QueryShape(None, (), str(exc))
        return QueryShape("UPDATE")
    form = tree[1].name.replace("Query", "").upper()
    found: list[str] = []
    _services(tree, found)
    return QueryShape(form, tuple(dict.fromkeys(found)), names_graphs=_names_graphs(tree))


def _names_graphs(node: Any) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name in ("GraphGraphPattern", "DatasetClause"):
            return True
        return any(_names_graphs(v) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_names_graphs(v) for v in node)
    return False


def check_query(sparql: str, policy: QueryPolicy) -> QueryShape:
    """Refuse what ``policy`` does not allow (an update; SERVICE while it is off); the query's shape otherwise.

    Raises
    ------
    QueryRefusedError
        With a message naming what is refused and what to do instead.
    """
    shape = inspect_query(sparql)
    _check(shape, policy)
    return shape


def _check(shape: QueryShape, policy: QueryPolicy) -> None:
    if shape.form == "UPDATE":
        raise QueryRefusedError(f"SPARQL updates are not allowed in {policy.caller}; change the graph with "
                                "%%extract, %hydra accept/remove or Session methods.")
    if shape.services and not policy.allow_service:
        raise QueryRefusedError(_service_refusal(policy, ", ".join(f"<{s}>" if s[:1] != "?" else s
                                                                   for s in shape.services)))


def _service_refusal(policy: QueryPolicy, what: str) -> str:
    head = (f"The query calls SERVICE {what}: remote endpoints are off by default, because the call sends "
            f"requests (and parts of the query) out of this machine.")
    if policy.service_option is None:
        return f"{head} {policy.caller} never calls them; try the query with %%sparql --service."
    return (f"{head} Allow them for this query with {policy.service_option}; the deadline "
            f"({policy.timeout:g} s) applies to remote calls too.")


# --------------------------------------------------------------------------- plain data
# Terms cross the pipe as plain data: an IRI is a str, a literal a 3-tuple
# (value, datatype, language), a blank node a 1-tuple, an RDF 1.2 triple term a 4-tuple.
def _plain_rdflib(t: Any) -> Any:
    if t is None:
        return None
    if isinstance(t, URIRef):
        return str(t)
    if isinstance(t, Literal):
        return (str(t), str(t.datatype) if t.datatype and not t.language else None, t.language)
    if isinstance(t, BNode):
        return (str(t),)
    if isinstance(t, tuple) and len(t) == 3:
        return ("<<", *(_plain_rdflib(x) for x in t))
    raise TypeError(f"Unexpected rdflib term {t!r}")


class _Terms:
    """Plain data back to rdflib terms (as oxrdflib builds them), datatype IRIs shared."""

    def __init__(self) -> None:
        self.datatypes: dict[str, URIRef] = {}

    def __call__(self, v: Any) -> Any:
        if v is None:
            return None
        if type(v) is str:
            return URIRef(v)
        if len(v) == 3:
            value, dt, lang = v
            if lang:
                return Literal(value, lang=lang)
            dti = self.datatypes.get(dt)
            if dti is None:
                dti = self.datatypes[dt] = URIRef(dt)
            return Literal(value, datatype=dti)
        if len(v) == 1:
            return BNode(v[0])
        return tuple(self(x) for x in v[1:])


def _evaluate(dataset: Any, sparql: str, init_ns: Mapping[str, str]) -> Iterator[tuple[Any, ...]]:
    """Run the query here; yield the messages the worker sends (head, row batches, end)."""
    if isinstance(dataset, StoreDataset):
        yield from _evaluate_in_store(dataset, sparql, init_ns)
        return
    inner = getattr(getattr(dataset, "store", None), "_inner", None)
    if isinstance(inner, ox.Store):
        prefixes = {p: str(ns) for p, ns in dataset.namespaces()}
        prefixes.update(init_ns)
        kwargs: dict[str, Any] = {"prefixes": prefixes}
        if getattr(dataset, "default_union", False):
            kwargs["use_default_graph_as_union"] = True
        elif not hasattr(dataset, "default_context"):  # a plain Graph: its own named graph
            ident = dataset.identifier
            kwargs["default_graph"] = ox.BlankNode(str(ident)) if isinstance(ident, BNode) else ox.NamedNode(str(ident))
        yield from _ox_messages(inner.query(sparql, **kwargs))
        return
    # not Oxigraph: rdflib's own engine, same policy
    res = dataset.query(sparql, initNs=dict(init_ns))
    plain = _plain_rdflib
    if res.type == "ASK":
        yield ("ask", bool(res.askAnswer))
        return
    if res.type == "SELECT":
        yield ("select", [str(v) for v in res.vars or []])
        rows: Iterator[Any] = (tuple(plain(x) for x in row) for row in res)
    else:
        yield ("graph",)
        rows = (tuple(plain(x) for x in t) for t in res.graph)
    yield from _batches(rows)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def _evaluate_in_store(dataset: StoreDataset, sparql: str, init_ns: Mapping[str, str]) -> Iterator[tuple[Any, ...]]:
    graphs = dataset.graphs
    if dataset.endpoint is None:
        yield from _ox_messages(dataset.store.query(sparql, prefixes=dict(init_ns),
                                                    default_graph=[ox.NamedNode(g) for g in graphs]))
        return
    # A server knows no predeclared prefixes: those the query does not declare itself go in front of it.
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in init_ns.items() if p not in declared) + sparql
    form = inspect_query(sparql).form
    if form in ("CONSTRUCT", "DESCRIBE"):
        body = dataset.endpoint.query(text, graphs, "application/n-triples")
        yield ("graph",)
        plain = _plain_ox
        yield from _batches((plain(t.subject), plain(t.predicate), plain(t.object))
                            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return
    import json

    data = json.loads(dataset.endpoint.query(text, graphs, "application/sparql-results+json"))
    if "boolean" in data:
        yield ("ask", bool(data["boolean"]))
        return
    names = list(data["head"]["vars"])
    yield ("select", names)
    yield from _batches(tuple(_plain_json(b.get(v)) for v in names) for b in data["results"]["bindings"])


def _plain_json(t: Any) -> Any:
    """A SPARQL JSON result term as plain data (a plain literal is an xsd:string, as Oxigraph gives it)."""
    if t is None:
        return None
    kind, value = t.get("type"), t.get("value", "")
    if kind == "uri":
        return value
    if kind == "bnode":
        return (value,)
    if kind in ("literal", "typed-literal"):
        lang = t.get("xml:lang")
        return (value, None if lang else t.get("datatype", _XSD_STRING), lang)
    raise ValueError(f"Unexpected term in the server's answer: {t!r}")


# --------------------------------------------------------------------------- the worker
def _can_fork() -> bool:
    # Linux only: on macOS system frameworks (TLS for SERVICE) are not fork-safe; Windows has no fork.
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _child(conn: Any, dataset: Any, parent: int) -> None:
    """The worker's loop: one request at a time; never returns (``os._exit``)."""
    import resource  # imported by the parent before the fork

    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Jupyter interrupts the process group: the parent decides
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # terminate, even while Oxigraph holds the thread
        die_with_parent()
        if os.getppid() != parent:
            os._exit(0)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        while True:
            try:
                request = conn.recv()
            except EOFError:
                break
            sparql, init_ns, allow_network, timeout = request
            # SERVICE off: no new file or socket can be opened, whatever the parser saw.
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft if allow_network else 0, hard))
            signal.setitimer(signal.ITIMER_REAL, timeout + _CHILD_GRACE)
            try:
                for message in _evaluate(dataset, sparql, init_ns):
                    conn.send(message)
            except (BrokenPipeError, ConnectionResetError):
                break
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent as data
                conn.send(("error", *_error_message(exc)))
            signal.setitimer(signal.ITIMER_REAL, 0)
    except BaseException:  # noqa: BLE001 - a dying child has nobody to tell
        code = 1
    finally:
        os._exit(code)


def _reap(pid: int) -> None:
    """Kill the worker and wait for it, so that no process (not even a zombie) is left behind."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return
        except (InterruptedError, KeyboardInterrupt):  # it is already killed: this wait is short
            continue


class QueryWorker:
    """Runs queries in a forked worker process that stays up for the next one.

    The worker sees the store as it was when it was forked (at the first
    :meth:`run`, and again after a query was stopped or another dataset is
    queried): use one worker for a batch of queries over a store that does not
    change meanwhile (the CQ tests of one verification), and :func:`run_query`
    otherwise. ``QueryWorker(isolate=False)`` runs queries in a thread instead
    (where ``fork`` is not safe).
    """

    def __init__(self, *, isolate: bool | None = None) -> None:
        self.isolate = _can_fork() if isolate is None else isolate
        self._pid: int | None = None
        self._conn: Any = None
        self._dataset: Any = None
        self._finalizer: Any = None
        self._snapshot: Any = None  # a SnapshotProcess while the worker reads a checkpoint of a store

    # ------------------------------------------------------------- lifecycle
    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs (for tests and diagnostics)."""
        return self._pid

    def __enter__(self) -> QueryWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker process (if any)."""
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._snapshot is not None:
            snapshot, self._snapshot, self._conn, self._pid = self._snapshot, None, None, None
            snapshot.stop()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            _reap(pid)
        self._dataset = None

    def _start(self, dataset: Any) -> None:
        if isinstance(dataset, StoreDataset):
            self._start_on_checkpoint(dataset)
            return
        import ctypes  # noqa: F401 - for the child, which may not open files
        import resource  # noqa: F401
        import warnings
        from multiprocessing.connection import Pipe

        if not isinstance(getattr(getattr(dataset, "store", None), "_inner", None), ox.Store):
            import rdflib.plugins.sparql.evaluate  # noqa: F401 - rdflib's engine, loaded before the sandbox

        ours, theirs = Pipe(duplex=True)
        parent = os.getpid()
        with warnings.catch_warnings():
            # Python 3.12+ warns when a threaded process forks; the child runs only the query and the pipe.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
            ours.close()
            _child(theirs, dataset, parent)
        theirs.close()
        self._pid, self._conn, self._dataset = pid, ours, dataset
        self._finalizer = weakref.finalize(self, _reap, pid)

    def _start_on_checkpoint(self, dataset: StoreDataset) -> None:
        from .snapshot_worker import start

        try:
            snapshot = start(dataset.store, str(dataset.snapshots))
        except OSError as exc:
            raise QueryError(f"The SPARQL query could not start: {exc}. Check the disk space and permissions "
                             f"of {dataset.snapshots}; the session is unchanged.") from exc
        self._snapshot, self._pid, self._conn, self._dataset = snapshot, snapshot.pid, snapshot.conn, dataset
        self._finalizer = weakref.finalize(self, snapshot.stop)

    # ------------------------------------------------------------- running
    def run(self, dataset: Any, sparql: str, *, init_ns: Mapping[str, str] | None = None,
            policy: QueryPolicy | None = None) -> Result:
        """Run ``sparql`` over ``dataset`` under ``policy``; the whole result, or a clear error."""
        policy = policy or QueryPolicy()
        shape = check_query(sparql, policy)
        init_ns = {str(k): str(v) for k, v in (init_ns or {}).items()}
        # A store is queried from a thread, or over a checkpoint in a worker (see StoreDataset); a server
        # does the work, this process waits.
        if not self.isolate or isinstance(dataset, StoreDataset):
            if shape.form is None:  # unparsed: nothing would stop a SERVICE in this process (or the server)
                raise _failure("syntax", shape.syntax_error, shape, policy, init_ns)
            if self.isolate and isinstance(dataset, StoreDataset) and dataset.snapshots is not None:
                messages = self._in_child(dataset, sparql, init_ns, policy)
            else:
                messages = self._in_thread(dataset, sparql, init_ns, policy)
        else:
            messages = self._in_child(dataset, sparql, init_ns, policy)
        return _collect(messages, shape, policy, init_ns)

    def _in_child(self, dataset: Any, sparql: str, init_ns: dict[str, str],
                  policy: QueryPolicy) -> Iterator[tuple[Any, ...]]:
        if self._pid is not None and self._dataset is not dataset:
            self.close()
        if self._pid is None:
            self._start(dataset)
        deadline = time.monotonic() + policy.timeout
        done = False
        request: tuple[Any, ...] = (sparql, init_ns, policy.allow_service, policy.timeout)
        if isinstance(dataset, StoreDataset):  # the checkpoint worker: the default graph is named, no SERVICE
            request = (sparql, init_ns, list(dataset.graphs), policy.timeout)
        try:
            try:
                self._conn.send(request)
            except OSError:  # the idle worker is gone (killed from outside): a fresh one
                self.close()
                self._start(dataset)
                self._conn.send(request)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _timeout(policy)
                if not self._conn.poll(min(remaining, _WAKE)):
                    continue
                try:
                    message = self._conn.recv()
                except (EOFError, OSError):
                    raise self._died(policy) from None
                done = message[0] in ("ask", "end", "error")
                yield message
                if done:
                    return
        finally:
            if not done:  # deadline, interrupt, or the caller stopped reading: the worker may still be busy
                self.close()

    def _died(self, policy: QueryPolicy) -> QueryError:
        pid, self._pid = self._pid, None
        status = 0
        if self._snapshot is not None:
            process = self._snapshot.process
            process.kill()
            code = process.wait()
            status = (-code) & 0x7F if code < 0 else (code & 0xFF) << 8  # as waitpid reports it
            pid = None
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)  # a zombie still takes the signal; its status is kept
            except ProcessLookupError:
                pass
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.close()
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
            return _timeout(policy)
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit code {os.WEXITSTATUS(status)}")
        return QueryError(f"The process running the SPARQL query stopped unexpectedly ({how}; out of "
                          "memory?). Narrow the query (LIMIT, more specific patterns); the session is unchanged.")

    def _in_thread(self, dataset: Any, sparql: str, init_ns: dict[str, str],
                   policy: QueryPolicy) -> Iterator[tuple[Any, ...]]:
        box: queue.Queue[tuple[Any, ...]] = queue.Queue()
        abandoned = threading.Event()

        def work() -> None:
            try:
                for message in _evaluate(dataset, sparql, init_ns):
                    if abandoned.is_set():
                        return
                    box.put(message)
            except Exception as exc:  # noqa: BLE001 - handed to the waiting caller as data
                box.put(("error", *_error_message(exc)))

        threading.Thread(target=work, name="hydra-sparql", daemon=True).start()
        deadline = time.monotonic() + policy.timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _timeout(policy)
                try:
                    message = box.get(timeout=min(remaining, _WAKE))
                except queue.Empty:
                    continue
                yield message
                if message[0] in ("ask", "end", "error"):
                    return
        finally:
            abandoned.set()


def _timeout(policy: QueryPolicy) -> QueryTimeoutError:
    return QueryTimeoutError(f"The SPARQL query did not finish within {policy.timeout:g} s and was stopped "
                             f"({policy.caller}); the session is unchanged. Narrow the query (LIMIT, more "
                             f"specific patterns) or raise the deadline with {policy.timeout_option}.")


def _collect(messages: Iterator[tuple[Any, ...]], shape: QueryShape, policy: QueryPolicy,
             init_ns: Mapping[str, str]) -> Result:
    """Read the worker's messages into an rdflib Result; its errors into hydra's."""
    term = _Terms()
    result: Result | None = None
    rows: list[Any] = []
    for message in messages:
        tag = message[0]
        if tag == "error":
            raise _failure(message[1], message[2], shape, policy, init_ns)
        if tag == "ask":
            result = Result("ASK")
            result.askAnswer = message[1]
            return result
        if tag == "select":
            result = Result("SELECT")
            result.vars = [Variable(v) for v in message[1]]
        elif tag == "graph":
            result = Result("CONSTRUCT")
        elif tag == "rows":
            rows.extend(message[1])
        elif tag == "end":
            break
    if result is None:  # pragma: no cover - the worker always sends a head before "end"
        raise QueryError("The SPARQL query returned nothing readable.")
    if result.type == "SELECT":
        names = result.vars
        assert names is not None  # set with the SELECT head
        result.bindings = [{v: term(x) for v, x in zip(names, row) if x is not None} for row in rows]
    else:
        graph = Graph()
        graph += ((term(s), term(p), term(o)) for s, p, o in rows)
        result.graph = graph
    return result


def _failure(kind: str, text: str, shape: QueryShape, policy: QueryPolicy, init_ns: Mapping[str, str]) -> Exception:
    if kind == "syntax":
        return ParseError(_syntax_message(text, init_ns), source="SPARQL")
    if not policy.allow_service and ("os error 24" in text or "Too many open files" in text):
        # rdflib could not parse the query, Oxigraph could, and it tried to open a connection.
        return QueryRefusedError(_service_refusal(policy, "(an endpoint)"))
    if shape.services:
        where = ", ".join(shape.services)
        return QueryError(f"The SPARQL query failed while running: {text}. It calls SERVICE {where}: the remote "
                          "endpoint could not be reached or its reply is not a SPARQL result. Check the endpoint; "
                          "the session is unchanged.")
    return QueryError(f"The SPARQL query failed while running: {text}. The session is unchanged.")


def run_query(dataset: Any, sparql: str, *, init_ns: Mapping[str, str] | None = None,
              policy: QueryPolicy | None = None, worker: QueryWorker | None = None) -> Result:
    """Run one query under ``policy`` (a fresh worker unless ``worker`` is given).

    Raises
    ------
    QueryRefusedError
        An update, or SERVICE while it is off.
    ParseError
        The query does not parse.
    QueryTimeoutError
        It did not finish within ``policy.timeout`` seconds (it was stopped).
    QueryError
        It failed while running (e.g. a remote endpoint's reply is not a SPARQL result).
    KeyboardInterrupt
        Passed on after the worker was stopped.
    """
    if worker is not None:
        return worker.run(dataset, sparql, init_ns=init_ns, policy=policy)
    with QueryWorker() as one:
        return one.run(dataset, sparql, init_ns=init_ns, policy=policy)


_AT = re.compile(r"error at (\d+):(\d+)")


def _syntax_message(text: str, init_ns: Mapping[str, str]) -> str:
    """A parse error as a sentence a person reads first: where, what to check; the parser's token list last."""
    m = _AT.search(text)
    where = f" at line {m.group(1)}, column {m.group(2)}" if m else ""
    known = f" (predeclared: {', '.join(sorted(init_ns))})" if init_ns else ""
    detail = text.split(":", 2)[-1].strip() if m else text
    if len(detail) > 160:
        detail = detail[:157] + "…"
    return (f"The SPARQL query does not parse{where}. Check the syntax there and the prefixes{known}. "
            f"Parser: {detail}")

