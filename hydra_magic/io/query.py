"""SPARQL over a session's ontology and knowledge graph, under the query policy."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, XSD, URIRef
from ..errors import EmptyInputError

from .formats import PROV

if TYPE_CHECKING:
    from ..session_state import SessionState
    from ..sparql_policy import QueryPolicy, QueryWorker


def query_session(session: "SessionState", sparql: str, *, verified_only: bool = False, allow_service: bool = False,
                  timeout: float | None = None, policy: "QueryPolicy | None" = None,
                  worker: "QueryWorker | None" = None, compiled: bool = False) -> Any:
    """Run SPARQL over the KG (union of source graphs) together with the ontology, under the query policy.

    The ontology is mirrored into the ``<base>ontology`` named graph of the KG's
    Oxigraph dataset before each query, so patterns such as
    ``?x a/rdfs:subClassOf* onto:Person`` work across both. ``verified_only``
    queries a copy that leaves out facts flagged ``type_inferred`` (rebuilt when
    the KG changed).

    A session on a SPARQL server answers inside the server: the default graph is its ``facts`` graph
    (every fact once, kept in step by the writer) with its ontology graph, so nothing is copied. A
    session in an on-disk store answers inside the store too: a user's query in a worker process over
    a checkpoint of the store, which the deadline and an interrupt kill
    (:mod:`hydra_magic.snapshot_worker`); a ``compiled`` query (a CQ test's own SPARQL, which ends)
    from a thread, without the checkpoint. A query that names graphs itself (``GRAPH``, ``FROM``),
    asks for ``verified_only`` or may call SERVICE runs over an in-memory copy of the source graphs
    (made once, then kept in step), on a server too; on disk so does one rdflib cannot parse (SPARQL
    1.2 syntax), in the sandboxed worker that cannot open a connection.

    The query runs under :mod:`hydra_magic.sparql_policy`: updates are refused,
    SERVICE only with ``allow_service``, stopped after ``timeout`` seconds
    (default ``session.config.sparql_timeout``) or on ``KeyboardInterrupt``.
    ``policy`` replaces those three (callers name their own options in its
    messages); ``worker`` reuses one worker process for a batch of queries.
    The result is an rdflib ``Result`` read to the end (rows, ``askAnswer`` or ``graph``).
    """
    from ..sparql_policy import QueryPolicy, check_query, run_query

    if not sparql.strip():
        raise EmptyInputError("The SPARQL query is empty. Write e.g. SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    if policy is None:
        deadline = timeout if timeout is not None else getattr(session.config, "sparql_timeout", None)
        policy = (QueryPolicy(allow_service=allow_service) if deadline is None
                  else QueryPolicy(allow_service=allow_service, timeout=deadline))
    shape = check_query(sparql, policy)  # refusals before anything touches the store
    initns = {p: str(ns) for p, ns in session.ontology.graph.namespaces() if p}
    initns.update({"ent": str(session.kg.entity_ns), "onto": str(session.ontology.ns), "rdf": str(RDF),
                   "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "prov": str(PROV)})
    in_store = getattr(session.kg, "query_dataset", None)
    if callable(in_store) and not verified_only and not shape.names_graphs and not policy.allow_service:
        target = in_store()
        # On disk, a query rdflib cannot parse (SPARQL 1.2 syntax) keeps the copy, in the sandboxed fork.
        on_disk = target is not None and target.snapshots is not None and shape.form is not None
        if target is not None and (compiled or target.endpoint is not None or on_disk):
            if compiled and target.snapshots is not None:  # our own query ends: a thread, no checkpoint
                target = dataclasses.replace(target, snapshots=None)
            return run_query(target, sparql, init_ns=initns, policy=policy, worker=worker)
    ds = session.kg.verified_dataset() if verified_only else session.kg.dataset
    onto_graph = ds.graph(URIRef(session.config.base + "ontology"))
    onto_graph.remove((None, None, None))
    onto_graph.addN((s, p, o, onto_graph) for s, p, o in session.ontology.graph)
    return run_query(ds, sparql, init_ns=initns, policy=policy, worker=worker)
