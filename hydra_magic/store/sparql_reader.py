"""The read side of a session on a SPARQL server, shaped like the part of ``pyoxigraph.Store`` the graph uses.

:class:`~.stored_kg.StoredKnowledgeGraph` reads a session by quad patterns, a few
aggregates and membership tests. :class:`SparqlQuadReader` answers each with one
SPARQL query to the server, restricted to the session's own graphs (a server
holds many sessions), and builds the same pyoxigraph terms an embedded store
gives, so evidence IRIs (digests of the quad's N-Triples form) come out equal.
Large reads go in pages: the evidence graph by the first hex digits of its
statement IRIs, so no single answer runs into the deadline; a server that
cuts an answer short is named, never taken for a smaller session.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from ..errors import JournalError
from .sparql_http import SparqlEndpoint

__all__ = ["SparqlQuadReader", "ox_term"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def ox_term(t: dict[str, Any]) -> Any:
    """The pyoxigraph term of a SPARQL JSON result term."""
    kind, value = t.get("type"), t.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in t:
        return ox.Literal(value, language=t["xml:lang"])
    dt = t.get("datatype")
    return ox.Literal(value) if not dt or dt == _XSD_STRING else ox.Literal(value, datatype=ox.NamedNode(dt))


def _lit(text: str) -> str:
    return str(ox.Literal(text))


class SparqlQuadReader:
    """Quad patterns, aggregates and membership over the graphs under ``prefix`` on a SPARQL server.

    Parameters
    ----------
    endpoint
        The server.
    prefix
        The session's graph names start with it (``<base>sessions/<name>/``).
    evidence
        The session's evidence graph (read in pages).
    page_facts
        Evidence statements per page when the whole evidence graph is read.
    """

    def __init__(self, endpoint: SparqlEndpoint, prefix: str, evidence: Any, page_facts: int = 20_000) -> None:
        self.endpoint = _Reading(endpoint)
        self.prefix = prefix
        self.evidence = evidence
        self.page_facts = page_facts

    # ------------------------------------------------------------ the Store-like part
    def quads_for_pattern(self, s: Any, p: Any, o: Any, g: Any) -> Iterator[ox.Quad]:
        if s is None and p is None and o is None and g == self.evidence:
            yield from self._evidence_pages()
            return
        terms = {"s": s, "p": p, "o": o}
        pattern = " ".join(str(t) if t is not None else f"?{k}" for k, t in terms.items())
        if g is not None:
            query = f"SELECT * WHERE {{ GRAPH {g} {{ {pattern} }} }}"
        else:
            query = (f"SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} "
                     f"FILTER(STRSTARTS(STR(?g), {_lit(self.prefix)})) }}")
        for row in self.endpoint.select(query):
            got = {k: (t if t is not None else ox_term(row[k])) for k, t in terms.items()}
            yield ox.Quad(got["s"], got["p"], got["o"], g if g is not None else ox_term(row["g"]))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self.endpoint.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                    f"FILTER(STRSTARTS(STR(?g), {_lit(self.prefix)})) }}")
        for row in rows:
            yield ox.NamedNode(row["g"]["value"])

    def query(self, sparql: str) -> list[tuple[Any, ...]]:
        """A one-variable SELECT's rows (the aggregates the graph asks for) as tuples of pyoxigraph terms."""
        return [tuple(ox_term(t) for t in row.values()) for row in self.endpoint.select(sparql)]

    def __contains__(self, quad: ox.Quad) -> bool:
        return self.endpoint.ask(f"ASK {{ GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} "
                                 f"{quad.object} }} }}")

    # ------------------------------------------------------------ bulk reads
    def source_quads(self, source_prefix: str, expected: int) -> Iterator[ox.Quad]:
        """Every quad of the source graphs (facts and labels) in one answer; ``expected`` facts are checked."""
        rows = self.endpoint.select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                    f"FILTER(STRSTARTS(STR(?g), {_lit(source_prefix)})) }}")
        facts = sum(1 for r in rows if f"<{r['p']['value']}>" != _LABEL)
        if facts < expected:
            raise self._cut(expected, facts)
        for r in rows:
            yield ox.Quad(ox_term(r["s"]), ox_term(r["p"]), ox_term(r["o"]), ox_term(r["g"]))

    def statements(self, nodes: Iterable[Any], batch: int = 200) -> Iterator[list[ox.Quad]]:
        """The evidence quads of each statement in ``nodes`` (one request per ``batch`` of them)."""
        todo = list(nodes)
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            rows = self.endpoint.select(f"SELECT ?n ?p ?o WHERE {{ VALUES ?n {{ {' '.join(map(str, part))} }} "
                                        f"GRAPH {self.evidence} {{ ?n ?p ?o }} }}")
            grouped: dict[str, list[ox.Quad]] = {}
            for r in rows:
                grouped.setdefault(r["n"]["value"], []).append(
                    ox.Quad(ox.NamedNode(r["n"]["value"]), ox_term(r["p"]), ox_term(r["o"]), self.evidence))
            for node in part:
                yield grouped.get(node.value, [])

    def _evidence_pages(self) -> Iterator[ox.Quad]:
        """The evidence graph a page at a time, each statement's quads together."""
        ev = self.evidence.value
        rows = self.endpoint.select(f"SELECT (COUNT(?n) AS ?c) WHERE {{ GRAPH <{ev}> {{ ?n a "
                                    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> } }")
        held = int(rows[0]["c"]["value"]) if rows else 0
        digits = 0
        while held > self.page_facts * 16 ** digits and digits < 3:
            digits += 1
        pages = [""] if digits == 0 else [f"{i:0{digits}x}" for i in range(16 ** digits)]
        read = 0
        for page in pages:
            where = f"FILTER(STRSTARTS(STR(?s), {_lit(ev + '/' + page)})) " if page else ""
            data = self.endpoint.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ev}> {{ ?s ?p ?o }} {where}}}")
            local = ox.Store()
            if data.strip():
                local.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=self.evidence)
            by_node: dict[Any, list[ox.Quad]] = {}
            for q in local.quads_for_pattern(None, None, None, self.evidence):
                by_node.setdefault(q.subject, []).append(q)
            read += sum(1 for quads in by_node.values() if any(q.predicate == _RDF_TYPE for q in quads))
            for quads in by_node.values():
                yield from quads
        if read < held:
            raise self._cut(held, read)

    def _cut(self, held: int, sent: int) -> JournalError:
        # A server that cuts long answers short (Virtuoso's ResultSetMaxRows is 10,000 by default) would
        # otherwise look like a smaller session.
        return JournalError(f"The store at {self.endpoint.query_url} holds {held:,} facts of this session but sent "
                            f"{sent:,}: it cuts long answers short (for Virtuoso, raise ResultSetMaxRows in "
                            "virtuoso.ini's [SPARQL] section). Nothing was read.")


class _Reading:
    """The endpoint, with a failed read saying that it changed nothing (it is not a write)."""

    def __init__(self, endpoint: SparqlEndpoint) -> None:
        self._endpoint = endpoint
        self.query_url = endpoint.query_url

    def _read(self, method: str, query: str) -> Any:
        try:
            return getattr(self._endpoint, method)(query)
        except JournalError as exc:
            raise type(exc)(f"{exc} (Reading the session; nothing changed: the session is as it was before "
                            "this step.)") from exc

    def select(self, query: str) -> list[dict[str, Any]]:
        return self._read("select", query)  # type: ignore[no-any-return]

    def ask(self, query: str) -> bool:
        return bool(self._read("ask", query))

    def construct(self, query: str) -> bytes:
        return self._read("construct", query)  # type: ignore[no-any-return]

    def query(self, text: str, default_graphs: tuple[str, ...], accept: str) -> bytes:
        """A user's query (``%%sparql``, a CQ test) over ``default_graphs``; see :meth:`SparqlEndpoint.query`."""
        try:
            return self._endpoint.query(text, default_graphs, accept)
        except JournalError as exc:
            raise type(exc)(f"{exc} (The session is unchanged.)") from exc
