"""A session on a SPARQL 1.1 server: the same graphs as the embedded store, and its change log as RDF.

``Session("films", store="oxigraph+http://127.0.0.1:7878")`` keeps the session on a server
that speaks the SPARQL 1.1 Protocol (query and update). Its graphs are those of the embedded
store (:mod:`.evidence_rdf`), named under ``<base>sessions/<name>/`` so that sessions share a
server without sharing graphs (entity IRIs stay ``<base>entity/…``, so teams share entities):

* ``…/source/<id>`` the facts of one source, ``…/facts`` all of them once (CQ tests, ``%%sparql`` and the
  explorer query it on the server), ``…/evidence`` their PROV-O evidence,
  ``…/ontology`` the ontology, ``…/session`` the small state (one JSON literal) and the
  writer's lease, ``…/changes`` the change log (one resource per change, its JSON body a literal),
  ``…/audit`` the headers of changes compacted out of the undo window.

**A change is one SPARQL Update request**: the change-log record, the facts and their evidence,
the ontology and the state go in one request, which the server applies as one transaction. A
request that fails leaves nothing; one whose answer is lost (the server went away, the deadline
passed) is checked by asking whether its record exists, so the session says truthfully whether
it took effect.

**Opening reads no fact**: the session's graph (:class:`~.stored_kg.StoredKnowledgeGraph` over a
:class:`~.sparql_reader.SparqlQuadReader`) asks the server for what it needs — counts, one
entity's types, one source's facts — and each change tells it what was there before, so its
counts follow. A full verification asks the server for its suspects and reads only the facts
around them; CQ tests, ``%%sparql`` over the default graph and the explorer query the facts graph
on the server. What still reads every fact (one quad each, not its evidence): a query naming graphs
(``GRAPH``, ``FROM``) or over verified facts only (the kernel's copy), SHACL shapes, ``%hydra ask``'s
evidence for its answers, and exports.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any, Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..changes import Change
from ..errors import JournalError, SessionBusyError
from ..journal import session_name_problem
from ..kg import Fact
from .change_log import LogRecord, encode_json
from .evidence_rdf import EvidenceGraphs
from .session_store import STORE_FORMAT, StoredState, undo_stack
from .sparql_http import SparqlEndpoint, StoreUnreachable
from .sparql_reader import SparqlQuadReader, ox_term
from .terms import to_ox

__all__ = ["RemoteSessionStore"]

_H = "https://hydra-magic.dev/ns#"
_STATE = f"<{_H}sessionState>"
_HELD_BY = f"<{_H}heldBy>"
_LOG_ID, _OP, _HEADER, _BODY = (f"<{_H}{x}>" for x in ("logId", "op", "header", "body"))
_XSD_STRING = str(XSD.string)


class RemoteSessionStore:
    """Opens, writes and closes one named session on a SPARQL server (the interface of SessionStore)."""

    def __init__(self, url: str, name: str, base: str, *, timeout: float = 30.0) -> None:
        problem = session_name_problem(name)
        if problem is not None:
            raise JournalError(problem)
        self.url = url
        self.path = url  # where the session lives, for messages
        self.name = name
        self.endpoint = SparqlEndpoint.from_url(url, timeout=timeout)
        self.prefix = f"{base}sessions/{quote(name, safe='')}/"
        self.names = EvidenceGraphs(self.prefix)
        self.base = base
        #: The session's graph, read from the server on demand and told what each change wrote.
        self.graph: Any = None
        self.changes = f"<{self.prefix}changes>"
        self.audit_graph = f"<{self.prefix}audit>"
        self.session_graph = f"<{self.prefix}session>"
        self.meta: dict[str, Any] = {}
        self.records: list[LogRecord] = []
        self._bodies: dict[int, dict[str, Any]] = {}
        self._ontology: set[tuple[Any, Any, Any]] = set()
        self._holder = f"{socket.gethostname()} pid {os.getpid()}"
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    # ------------------------------------------------------------ open / close
    def open(self, fresh_meta: dict[str, Any], *, discard: bool = False) -> StoredState:
        """Take the writer's lease, read the session (or start it); returns its state."""
        self._take_lease()
        self._open = True
        try:
            return self._read(fresh_meta, discard)
        except BaseException:
            self.close()
            raise

    def _read(self, fresh_meta: dict[str, Any], discard: bool) -> StoredState:
        if discard:
            self._drop_all()
        meta = self._read_meta()
        if meta is None:
            self._update(self._state_ops(self._stamped({**fresh_meta, "applied": 0})))
            meta = self._read_meta() or {}
        self._roll_back_pending()
        fmt = meta.get("format")
        if isinstance(fmt, int) and fmt > STORE_FORMAT:
            raise JournalError(f"Session {self.name!r} at {self.url} was written by a newer hydra_magic "
                               f"{meta.get('written_by') or '?'} (format {fmt}); upgrade with pip install -U "
                               "hydra_magic. It is left untouched.")
        self.meta = meta
        migrated = ""
        if isinstance(fmt, int) and fmt < STORE_FORMAT:
            self._add_facts_graph()
            migrated = (f"Upgraded session {self.name!r} at {self.url} to store format {STORE_FORMAT}: its facts "
                        "are now also kept in one graph, so CQ tests, %%sparql and the explorer ask the server "
                        "instead of copying the graph.")
        self.records = self._read_records()
        self._ontology = set(self._select_triples(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{self.names.ontology.value}> "
                                                  "{ ?s ?p ?o } }"))
        from .stored_kg import StoredKnowledgeGraph

        # The facts stay on the server: the graph asks for what it needs (opening reads no fact).
        self.graph = StoredKnowledgeGraph(self.base, self.reader, self.names)
        return StoredState(meta=self.meta, ontology=sorted(self._ontology), facts=[], labels={},
                           history=undo_stack(self.records), migrated=migrated, graph=self.graph)

    def reader(self) -> SparqlQuadReader:
        """Reads the session's graphs on the server (a closed session stays readable: no lease is needed)."""
        return SparqlQuadReader(self.endpoint, self.prefix, self.names.evidence, self.page_facts)

    def close(self, *, from_finalizer: bool = False) -> None:
        """Give up the writer's lease (idempotent; a server that is gone keeps it until taken over).

        ``from_finalizer``: called by ``Session.__del__``; the request starts no thread (see
        :meth:`SparqlEndpoint._post`).
        """
        if not self._open:
            return
        self._open = False
        try:
            self.endpoint.update(f"DELETE WHERE {{ GRAPH {self.session_graph} {{ {self.session_graph} {_HELD_BY} "
                                 f"{_lit(self._holder)} }} }}", direct=from_finalizer)
        except JournalError:
            pass

    def _take_lease(self) -> None:
        g = self.session_graph
        mine = _lit(self._holder)
        # One request: the lease is taken only where nobody holds it (or this process does, re-opening).
        self._update(f"INSERT {{ GRAPH {g} {{ {g} {_HELD_BY} {mine} }} }} WHERE {{ FILTER NOT EXISTS {{ GRAPH {g} "
                     f"{{ {g} {_HELD_BY} ?other FILTER(?other != {mine}) }} }} }}")
        holders = [r["h"]["value"] for r in self.endpoint.select(
            f"SELECT ?h WHERE {{ GRAPH {g} {{ {g} {_HELD_BY} ?h }} }}")]
        others = [h for h in holders if h != self._holder]
        if others and self._holder in holders:
            # Two processes asked at once, or a server that does not honour the condition (Virtuoso 7 inserts
            # regardless): neither keeps the session, and ours is taken back so it does not block the other.
            self._update(f"DELETE WHERE {{ GRAPH {g} {{ {g} {_HELD_BY} {mine} }} }}")
        if others or not holders:
            raise SessionBusyError(f"Session {self.name!r} at {self.url} is open in another process "
                                   f"({', '.join(others) or 'unknown'}). Close it there first, or use another "
                                   "session name. If that process is gone, release it with "
                                   f"RemoteSessionStore.release({self.url!r}, {self.name!r}, base).")

    @staticmethod
    def release(url: str, name: str, base: str) -> None:
        """Drop a lease left by a process that is gone (check that it is, first)."""
        store = RemoteSessionStore(url, name, base)
        g = store.session_graph
        store.endpoint.update(f"DELETE WHERE {{ GRAPH {g} {{ {g} {_HELD_BY} ?h }} }}")

    # ------------------------------------------------------------ writing
    def commit(self, change: Change, labels: dict[Any, str], meta: dict[str, Any],
               event: dict[str, Any] | None = None) -> int:
        """Send ``change`` (one update request, or parts for a large one); returns its log id.

        On failure nothing is kept: a change written in parts is rolled back (now, or on the next open).
        """
        self._require_open()
        rid = self._next_id()
        header = {"id": rid, "op": "change", "kind": change.kind, "summary": change.summary, "time": change.time}
        body = {"change": change.to_dict(), "labels": {e.n3(): lab for e, lab in labels.items()}, "event": event}
        ontology = (self._ontology - set(change.onto_removed)) | set(change.onto_added)
        before = self._presence(change.facts_removed, change.facts_added)
        self._write(rid, header, body, change.facts_removed, change.facts_added, labels,
                    ontology if (change.onto_added or change.onto_removed) else None, meta)
        self._written(before, change.facts_removed, change.facts_added, labels)
        self.records.append(LogRecord(rid, "change", header, 0, 0))
        self._bodies[rid] = body
        self._ontology = ontology
        return rid

    def undo(self, change: Change, meta: dict[str, Any], event: dict[str, Any] | None = None) -> int:
        """Send the undo of ``change`` (a logged change), the same way as a change."""
        self._require_open()
        rid = self._next_id()
        header = {"id": rid, "op": "undo", "of": change.log_id, "kind": change.kind, "summary": change.summary,
                  "time": change.time}
        ontology = (self._ontology - set(change.onto_added)) | set(change.onto_removed)
        before = self._presence(change.facts_added, change.facts_removed)
        self._write(rid, header, {"event": event}, change.facts_added, change.facts_removed, {},
                    ontology if (change.onto_added or change.onto_removed) else None, meta)
        self._written(before, change.facts_added, change.facts_removed, {})
        self.records.append(LogRecord(rid, "undo", header, 0, 0))
        self._ontology = ontology
        return rid

    def _presence(self, removed: list[Fact], added: list[Fact]) -> tuple[list[Fact], list[Fact]]:
        """Before a change: which of ``removed`` the server holds and which of ``added`` it does not."""
        if self.graph is None or not (removed or added):
            return [], []
        facts = [*removed, *added]
        quads = [self.names.evidence_pattern(f)[0] for f in facts]
        held: set[str] = set()
        reading = self.reader().endpoint  # a failure here says that nothing was sent
        for i in range(0, len(quads), 200):
            part = quads[i:i + 200]
            values = " ".join(f"({q.subject} {q.predicate} {q.object} {q.graph_name})" for q in part)
            rows = reading.select(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o ?g) {{ {values} }} "
                                        "GRAPH ?g { ?s ?p ?o } }")
            held.update(str(ox.Quad(ox_term(r["s"]), ox_term(r["p"]), ox_term(r["o"]), ox_term(r["g"])))
                        for r in rows)
        there = [str(q) in held for q in quads]
        gone = [f for f, t in zip(removed, there) if t]
        freed = {str(q) for q, t in zip(quads, there) if t}  # removed first: a re-added fact is new again
        return gone, [f for f, q, t in zip(added, quads[len(removed):], there[len(removed):])
                      if not t or str(q) in freed]

    def _written(self, before: tuple[list[Fact], list[Fact]], removed: list[Fact], added: list[Fact],
                 labels: dict[Any, str]) -> None:
        """Tell the session's graph what the change it just sent removed and added."""
        if self.graph is not None:
            self.graph.stored(before[0], before[1], labels_added=self.names.label_quads(added, labels),
                              written=[*removed, *added])


    #: Triples one update request may carry; a larger change goes in parts. Virtuoso 7 refuses an
    #: INSERT DATA of 2,000 triples over a few hundred graphs ("generated SQL text has exceeded 10000
    #: lines"; its compiler runs out of memory near 15,000); 1,000 passes.
    max_triples = 1_000

    def _write(self, rid: int, header: dict[str, Any], body: dict[str, Any], removed: list[Fact],
               added: list[Fact], labels: dict[Any, str], ontology: set[tuple[Any, Any, Any]] | None,
               meta: dict[str, Any]) -> None:
        """The change's facts, its ontology, its log record and the state: one request, or parts then one."""
        stamped = self._stamped({**meta, "applied": rid})
        final = self._ontology_ops(ontology) if ontology is not None else []
        final += [self._record_op(rid, header, body)] + self._state_ops(stamped)
        parts = self._fact_requests(removed, added, labels)
        if len(parts) <= 1:
            self._send_change(parts + final, rid)
            self.meta = stamped
            return
        # In parts: a marker holding what to take back goes first; the last request (the ontology, the
        # record, the state) removes it. A marker found on open means the change never completed.
        marker = self._pending_iri(rid)
        undo = encode_json({"removed": [f.to_dict() for f in removed], "added": [f.to_dict() for f in added]},
                           "The change")
        self._send_change([f"INSERT DATA {{ GRAPH {self.changes} {{ {marker} {_LOG_ID} {rid} ; {_BODY} "
                           f"{_lit(undo.decode('utf-8'))} }} }}"], rid, check=False)
        try:
            for part in parts:
                self.endpoint.update(part)
            self._send_change(final + [f"DELETE WHERE {{ GRAPH {self.changes} {{ {marker} ?p ?o }} }}"], rid)
        except JournalError as exc:
            if self._roll_back(rid, removed, added):
                raise JournalError(f"{exc} The parts of this change already written were taken back; nothing "
                                   "changed.") from exc
            self._open = False  # what the store holds is unknown here: no change goes on top of it
            raise JournalError(f"{exc} This change was written in parts and could not be taken back now; it "
                               "will be when the session is next opened. Until then this session object refuses "
                               "changes: reopen the session when the store answers.") from exc
        self.meta = stamped

    def _roll_back(self, rid: int, removed: list[Fact], added: list[Fact]) -> bool:
        """Take back a change written in parts (idempotent); True when the store answered every request."""
        try:
            for part in self._fact_requests(added, removed, {}):
                self.endpoint.update(part)
            self.endpoint.update(f"DELETE WHERE {{ GRAPH {self.changes} {{ {self._pending_iri(rid)} ?p ?o }} }}")
            return True
        except JournalError:
            return False

    def _roll_back_pending(self) -> None:
        """On open: take back every change whose parts were written but whose last request never was."""
        rows = self.endpoint.select(f"SELECT ?i ?b WHERE {{ GRAPH {self.changes} {{ ?m {_LOG_ID} ?i ; {_BODY} ?b "
                                    f"FILTER(STRSTARTS(STR(?m), {_lit(self.prefix + 'pending/')})) }} }}")
        for r in rows:
            data = json.loads(r["b"]["value"])
            removed = [Fact.from_dict(x) for x in data.get("removed", [])]
            added = [Fact.from_dict(x) for x in data.get("added", [])]
            if not self._roll_back(int(r["i"]["value"]), removed, added):
                raise JournalError(f"Session {self.name!r} at {self.url} has an unfinished change that could not "
                                   "be taken back (the store stopped answering). Open it again when it answers.")

    def write_meta(self, meta: dict[str, Any]) -> None:
        self._require_open()
        stamped = self._stamped({**meta, "applied": self.meta.get("applied", 0)})
        self._update(self._state_ops(stamped))
        self.meta = stamped

    def load_change(self, record_id: int) -> Change:
        body = self._bodies.get(record_id)
        if body is None:
            rows = self.endpoint.select(f"SELECT ?b WHERE {{ GRAPH {self.changes} {{ {self._record_iri(record_id)} "
                                        f"{_BODY} ?b }} }}")
            if not rows:
                raise JournalError(f"Change {record_id} of session {self.name!r} is no longer in its change log at "
                                   f"{self.url}; it cannot be undone.")
            body = json.loads(rows[0]["b"]["value"])
        change = Change.from_dict(body["change"])
        change.log_id = record_id
        return change

    def compact(self, keep: Iterable[int], *, slack: int = 20) -> int:
        """Drop change-log records outside ``keep`` once there are ``slack`` more than kept."""
        keep_ids = set(keep)
        if len(self.records) <= len(keep_ids) + slack:
            return 0
        last = self.records[-1].id if self.records else 0
        dropped = [r for r in self.records if r.id not in keep_ids and r.id != last]
        if not dropped:
            return 0
        # Their headers go to the audit graph in the same request: the trail of what happened stays.
        audit = " ".join(f"{self._record_iri(r.id)} {_LOG_ID} {r.id} ; {_OP} {_lit(r.op)} ; {_HEADER} "
                         f"{_lit(encode_json(r.header, 'audit').decode('utf-8'))} ." for r in dropped)
        self._update([f"INSERT DATA {{ GRAPH {self.audit_graph} {{ {audit} }} }}",
                      *(f"DELETE WHERE {{ GRAPH {self.changes} {{ {self._record_iri(r.id)} ?p ?o }} }}"
                        for r in dropped)])
        gone = {r.id for r in dropped}
        self.records = [r for r in self.records if r.id not in gone]
        for i in gone:
            self._bodies.pop(i, None)
        return len(dropped)

    def audit(self) -> list[dict[str, Any]]:
        """The headers of the changes compacted out of the undo window, oldest first (the ``…/audit`` graph)."""
        rows = self.endpoint.select(f"SELECT ?i ?h WHERE {{ GRAPH {self.audit_graph} {{ ?r {_LOG_ID} ?i ; "
                                    f"{_HEADER} ?h }} }} ORDER BY ?i")
        return [json.loads(r["h"]["value"]) for r in rows]

    # ------------------------------------------------------------ the update text
    def _send_change(self, ops: list[str], rid: int, *, check: bool = True) -> None:
        try:
            self.endpoint.update(";\n".join(ops))
        except StoreUnreachable as exc:
            if not check:
                raise JournalError(f"{exc} Nothing changed: the session is as it was before this step.") from exc
            # The request may have been applied before its answer was lost: its record says so.
            try:
                record = self._record_iri(rid)
                applied = self.endpoint.ask(f"ASK {{ GRAPH {self.changes} {{ {record} {_LOG_ID} ?i }} }}")
            except JournalError:
                raise JournalError(f"{exc} Whether this change reached the store is unknown; the session in this "
                                   "kernel is as it was before it. Reopen the session when the store answers again "
                                   "to see which it is.") from exc
            if not applied:
                raise JournalError(f"{exc} The change did not reach the store; nothing changed.") from exc
        except JournalError as exc:
            raise JournalError(f"{exc} Nothing changed: the session is as it was before this step.") from exc

    def _update(self, ops: str | list[str]) -> None:
        self.endpoint.update(ops if isinstance(ops, str) else ";\n".join(ops))

    def _fact_requests(self, removed: list[Fact], added: list[Fact], labels: dict[Any, str]) -> list[str]:
        """Update requests (each of at most :attr:`max_triples` triples) removing, then adding facts."""
        names, limit = self.names, self.max_triples
        ev = names.evidence.value
        requests: list[str] = []
        per_fact = 16  # an evidence statement's quads, to bound the DELETE WHERE of removed facts
        step = max(1, limit // per_fact)
        for i in range(0, len(removed), step):
            batch = removed[i:i + step]
            ops = ["DELETE DATA { " + _graphs([names.evidence_pattern(f)[0] for f in batch]) + " }"]
            ops += [f"DELETE WHERE {{ GRAPH <{ev}> {{ {names.evidence_pattern(f)[1]} ?p ?o }} }}" for f in batch]
            ops.append(self._unshare_op([names.evidence_pattern(f)[0] for f in batch]))
            requests.append(";\n".join(ops))
        label_quads = self.names.label_quads(added, labels)
        quads = [q for f in added for q in names.fact_quads(f)] + label_quads
        quads += names.in_facts([*(names.evidence_pattern(f)[0] for f in added), *label_quads])
        for i in range(0, len(quads), limit):
            requests.append("INSERT DATA { " + _graphs(quads[i:i + limit]) + " }")
        if len(requests) == 2 and len(removed) * per_fact + len(quads) <= limit:
            return [";\n".join(requests)]  # small: removals and additions in one request
        return requests

    def _unshare_op(self, quads: list[Any]) -> str:
        """Take these removed source triples out of the facts graph unless another source graph holds them."""
        values = " ".join(f"({q.subject} {q.predicate} {q.object})" for q in quads)
        fg = self.names.facts
        return (f"DELETE {{ GRAPH {fg} {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p ?o) {{ {values} }} "
                f"GRAPH {fg} {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(STRSTARTS(STR(?g), {_lit(self.prefix + 'source/')})) }} }}")

    def _add_facts_graph(self) -> None:
        """Format 2 to 3: fill the facts graph from the source graphs (one request; done again if it failed)."""
        fg = self.names.facts
        self._update(f"INSERT {{ GRAPH {fg} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER(STRSTARTS(STR(?g), {_lit(self.prefix + 'source/')})) }}")
        stamped = self._stamped(self.meta)
        self._update(self._state_ops(stamped))
        self.meta = stamped

    def _ontology_ops(self, triples: set[tuple[Any, Any, Any]]) -> list[str]:
        # Rewritten whole: its OWL unions are blank nodes, which DELETE DATA cannot name. It is small.
        g = self.names.ontology
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples]
        ops = [f"DROP SILENT GRAPH <{g.value}>"]
        if quads:
            ops.append("INSERT DATA { " + _graphs(quads) + " }")
        return ops

    def _record_op(self, rid: int, header: dict[str, Any], body: dict[str, Any]) -> str:
        node = self._record_iri(rid)
        head = encode_json(header, "The change's summary").decode("utf-8")
        text = encode_json(body, "The change").decode("utf-8")
        return (f"INSERT DATA {{ GRAPH {self.changes} {{ {node} {_LOG_ID} {rid} ; {_OP} {_lit(header['op'])} ; "
                f"{_HEADER} {_lit(head)} ; {_BODY} {_lit(text)} }} }}")

    @staticmethod
    def _stamped(meta: dict[str, Any]) -> dict[str, Any]:
        from .. import __version__

        return {**meta, "format": STORE_FORMAT, "written_by": __version__}

    def _state_ops(self, data: dict[str, Any]) -> list[str]:
        text = encode_json(data, "The session's settings").decode("utf-8")
        g = self.session_graph
        return [f"DELETE WHERE {{ GRAPH {g} {{ {g} {_STATE} ?o }} }}",
                f"INSERT DATA {{ GRAPH {g} {{ {g} {_STATE} {_lit(text)} }} }}"]

    def _pending_iri(self, rid: int) -> str:
        return f"<{self.prefix}pending/{rid}>"

    def _record_iri(self, rid: int) -> str:
        return f"<{self.prefix}change/{rid}>"

    def _next_id(self) -> int:
        last = self.records[-1].id if self.records else 0
        return max(last, int(self.meta.get("applied", 0))) + 1

    def _require_open(self) -> None:
        if not self._open:
            raise JournalError(f"Session {self.name!r} at {self.url} is closed; open it again to change it.")

    # ------------------------------------------------------------ reading
    def _read_meta(self) -> dict[str, Any] | None:
        g = self.session_graph
        rows = self.endpoint.select(f"SELECT ?o WHERE {{ GRAPH {g} {{ {g} {_STATE} ?o }} }}")
        if not rows:
            return None
        try:
            data = json.loads(rows[0]["o"]["value"])
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("format"), int):
            raise JournalError(f"The session state of {self.name!r} at {self.url} is unreadable. It is left "
                               "untouched; use another session name to start fresh.")
        return data

    def _read_records(self) -> list[LogRecord]:
        rows = self.endpoint.select(f"SELECT ?i ?op ?h WHERE {{ GRAPH {self.changes} {{ ?r {_LOG_ID} ?i ; {_OP} ?op ; "
                                    f"{_HEADER} ?h }} }} ORDER BY ?i")
        return [LogRecord(int(r["i"]["value"]), r["op"]["value"], json.loads(r["h"]["value"]), 0, 0) for r in rows]

    #: Facts read per request when the whole evidence graph is read: a larger session is read in pages
    #: (by the first hex digits of its evidence IRIs), so no single answer runs into the SPARQL deadline.
    page_facts = 20_000

    def _select_triples(self, query: str) -> list[tuple[Any, Any, Any]]:
        return [(_term(r["s"]), _term(r["p"]), _term(r["o"])) for r in self.endpoint.select(query)]

    def _drop_all(self) -> None:
        rows = self.endpoint.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "
                                    f"{_lit(self.prefix)})) }}")
        graphs = [r["g"]["value"] for r in rows if r["g"]["value"] != self.session_graph[1:-1]]
        graphs.append(self.changes[1:-1])
        g = self.session_graph
        ops = [f"DROP SILENT GRAPH <{x}>" for x in graphs]
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {g} {_STATE} ?o }} }}")
        self._update(";\n".join(ops))


def _lit(text: str) -> str:
    return str(ox.Literal(text))


def _graphs(quads: list[Any]) -> str:
    """``GRAPH <g> { s p o . … }`` blocks for quads (N-Triples syntax of each term)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())


def _term(t: dict[str, Any]) -> Any:
    """The rdflib term of a SPARQL JSON result term."""
    kind, value = t.get("type"), t.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in t:
        return Literal(value, lang=t["xml:lang"])
    dt = t.get("datatype")
    return Literal(value) if not dt or dt == _XSD_STRING else Literal(value, datatype=URIRef(dt))
