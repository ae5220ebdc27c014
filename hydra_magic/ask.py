"""Questions answered from the graph, each answer with the facts and sentences it rests on.

``Session.ask("Which films did Ridley Scott direct?")`` turns the question into
SPARQL over the session's ontology (the offline CQ compiler first; the session's
model when one is set and the compiler cannot read the question), runs it under
the same policy as a user's ``%%sparql`` (no SERVICE, a deadline, no updates),
and grounds every answer: the facts that match the query's patterns for that
answer, each with its source and sentence. An answer is only ever read from the
graph. When the graph cannot answer, the result says why: which words of the
question the ontology lacks, or which facts the query looked for and did not find.
A model-written query that uses terms outside the ontology is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rdflib import RDF, RDFS, Literal, URIRef, Variable
from rdflib.term import Node

from .errors import EngineError, HydraError, InputError
from .iri import local_name
from .kg import Fact
from .session_state import SessionState
from .wording import count

__all__ = ["Answer", "AskResult", "ask"]

#: Grounds listed per answer at most (the rest is counted).
MAX_GROUNDS = 8


@dataclass
class Answer:
    """One row of the answer, with the facts it rests on."""

    values: dict[str, Node]
    shown: dict[str, str]
    grounds: list[Fact] = field(default_factory=list)
    more_grounds: int = 0


@dataclass
class AskResult:
    """What :func:`ask` found: the query, the answers and their grounds, or why there is none."""

    view_kind: ClassVar[str] = "ask"

    question: str
    sparql: str | None = None
    #: Who wrote the query: "offline compiler" or "model <name>".
    by: str = ""
    form: str = ""  # "SELECT" | "ASK"
    columns: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    boolean: bool | None = None
    #: Why there is no answer ("" when there is one).
    why_not: str = ""
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def answered(self) -> bool:
        if self.form == "ASK":
            return bool(self.boolean)
        return bool(self.answers) and not self._zero_count()

    def _zero_count(self) -> bool:
        return (len(self.answers) == 1 and list(self.answers[0].shown) == ["count"]
                and self.answers[0].shown.get("count") in ("0", ""))

    def answer_values(self) -> list[str]:
        """The answers as text (the ``answer`` column, else the last one)."""
        if self.form == "ASK":
            return ["yes" if self.boolean else "no"]
        col = "answer" if "answer" in self.columns else (self.columns[-1] if self.columns else "")
        return [a.shown.get(col, "") for a in self.answers if a.shown.get(col)]

    def to_text(self) -> str:
        lines = [f"Q: {self.question}"]
        if self.sparql:
            lines.append(f"query ({self.by}): {' '.join(self.sparql.split())}")
        if self.form == "ASK":
            lines.append(f"A: {'yes' if self.boolean else 'no'}")
        for a in self.answers:
            if self.form != "ASK":
                lines.append("A: " + ", ".join(f"{k}={v}" for k, v in a.shown.items()))
            for f in a.grounds:
                flags = f"  [not verified: {', '.join(f.evidence.flags)}]" if f.evidence.flags else ""
                lines.append(f"   because ({_name(f.subject, self.labels)}, {local_name(f.predicate)}, "
                             f"{_name(f.object, self.labels)}) [{f.source}]: {f.evidence.sentence!r}{flags}")
            if a.more_grounds:
                lines.append(f"   and {count(a.more_grounds, 'more fact')}")
        if self.why_not:
            lines.append(f"No answer: {self.why_not}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def state(self) -> dict[str, Any]:
        """Plain data for the views."""
        return {
            "question": self.question, "sparql": self.sparql or "", "by": self.by, "form": self.form,
            "columns": list(self.columns), "boolean": self.boolean, "why_not": self.why_not,
            "answers": [{"values": a.shown, "more": a.more_grounds,
                         "grounds": [{"subject": _name(f.subject, self.labels), "predicate": local_name(f.predicate),
                                      "object": _name(f.object, self.labels), "source": f.source,
                                      "sentence": f.evidence.sentence, "verified": f.evidence.verified,
                                      "decision": f.evidence.decision} for f in a.grounds]}
                        for a in self.answers],
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .html import ask_html

        return {"text/plain": self.to_text(), "text/html": ask_html(self.state())}


class _Labels(dict):  # type: ignore[type-arg]
    """Entity labels (IRI text → label), read from the graph as names are shown: a graph in a store reads
    those of the answers and grounds, not all of its labels."""

    def __init__(self, kg: Any) -> None:
        super().__init__()
        self._kg = kg

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self:
            entity = URIRef(key)
            self[key] = self._kg.label(entity) if self._kg.has_label(entity) else None
        return super().get(key) or default


def _name(node: Node, labels: dict[str, str]) -> str:
    if isinstance(node, URIRef):
        return labels.get(str(node)) or local_name(node)
    return str(node)


def ask(session: SessionState, question: str, *, engine: Any = None) -> AskResult:
    """Answer ``question`` from the session's graph (see the module docstring).

    ``engine`` is a model engine to write the query when the offline compiler cannot
    read the question (the session's own when it has one).

    Raises :class:`~hydra_magic.errors.InputError` for an empty question; a query the policy
    refuses or stops is reported in the result's ``why_not``, not raised.
    """
    from .cq import CompetencyQuestion
    from .io import query_session
    from .sparql_policy import QueryPolicy, inspect_query
    from .verify.cq_tests import _unknown_terms, compile_cq, read_cq
    from .verify.index import FactIndex

    text = " ".join(str(question or "").split())
    if not text:
        raise InputError("The question is empty. Ask something the graph can answer, e.g. "
                         "%hydra ask \"Which films did Ridley Scott direct?\"")
    result = AskResult(text, labels=_Labels(session.kg))
    if callable(getattr(session.kg, "facts_touching", None)):  # a graph in a store: read per entity asked about
        from .verify.store_scope import StoreIndexView

        idx: Any = StoreIndexView(session.kg, frozenset())  # type: ignore[arg-type]
    else:
        idx = FactIndex.build(session.kg)
    reading = read_cq(CompetencyQuestion(text), session, idx)
    sparql, reason = compile_cq(reading, session, idx)
    result.by = "offline compiler"
    if sparql is None and engine is not None and hasattr(engine, "cq_to_sparql"):
        try:
            sparql = engine.cq_to_sparql(text, session.ontology, base=session.config.base)
            result.by = f"model {getattr(engine, 'name', '')}".strip()
        except (EngineError, HydraError) as exc:
            reason = f"{reason}; the model gave no usable query either ({exc})"
    if sparql is None:
        reason = reason.replace(", or pin a query with 'sparql:'", ", or write the query yourself in a %%sparql cell")
        result.why_not = f"the question cannot be put in the ontology's terms: {reason}."
        return result
    unknown, error = _unknown_terms(sparql, session)
    if error or unknown:
        result.sparql = sparql
        result.why_not = (f"the query does not parse ({error})" if error else
                          "the query uses terms the ontology does not declare: " + ", ".join(unknown)
                          + "; it was not run (answers come only from the graph and its ontology)") + "."
        return result
    result.sparql = sparql
    timeout = getattr(session.config, "sparql_timeout", None)
    policy = QueryPolicy(caller="a question (%hydra ask)", service_option=None,
                         timeout_option="the session's sparql_timeout (%config HydraMagics.sparql_timeout)",
                         **({} if timeout is None else {"timeout": timeout}))
    try:
        result.form = inspect_query(sparql).form or ""  # it parsed above (_unknown_terms): never None here
        # The offline compiler's query ends, so a store may answer it itself; a model's runs where a user's would.
        rows = query_session(session, sparql, policy=policy, compiled=result.by == "offline compiler")
    except HydraError as exc:
        result.why_not = f"the query could not run: {exc}"
        return result
    patterns = _patterns(sparql, session)
    grounds = _Grounds(session, patterns)
    if result.form == "ASK":
        result.boolean = bool(rows.askAnswer)
        if result.boolean:
            result.answers = []
            ground = grounds.for_row({})
            if ground:
                result.answers.append(Answer({}, {"answer": "yes"}, ground[:MAX_GROUNDS],
                                             max(0, len(ground) - MAX_GROUNDS)))
        else:
            result.why_not = _missing(patterns, {}, result.labels)
        return result
    result.columns = [str(v) for v in (rows.vars or [])]
    for row in rows:
        values = {c: v for c, v in zip(result.columns, row) if v is not None}
        if not values:
            continue
        # A count rests on the facts it counted: the patterns with the row's other values bound.
        found = grounds.for_row({c: v for c, v in values.items() if c != "count"})
        result.answers.append(Answer(values, {c: _name(v, result.labels) for c, v in values.items()},
                                     found[:MAX_GROUNDS], max(0, len(found) - MAX_GROUNDS)))
    if not result.answered:
        result.answers = [] if result._zero_count() else result.answers
        result.why_not = _missing(patterns, {}, result.labels)
    return result


Pattern = tuple[Any, Any, Any]


def _patterns(sparql: str, session: SessionState) -> list[Pattern]:
    """The triple patterns of the query (property paths such as ``a/rdfs:subClassOf*`` count as typing)."""
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql import prepareQuery

    from .verify.cq_tests import _namespaces

    out: list[Pattern] = []
    first_value: dict[Any, Any] = {}  # a VALUES variable -> its first value (a CQ test lists a class first)

    def walk(node: Any) -> None:
        if isinstance(node, dict) or hasattr(node, "name"):
            if getattr(node, "name", "") == "BGP":
                out.extend(tuple(t) for t in node.get("triples", []))
            elif getattr(node, "name", "") == "values":
                for row in node.get("res", []):
                    for var, value in row.items():
                        first_value.setdefault(var, value)
            for v in (node.values() if hasattr(node, "values") else []):
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    walk(prepareQuery(sparql, initNs=_namespaces(session)).algebra)
    # ``?x a ?x_type . VALUES ?x_type { C … }`` (C and its subclasses) is typing by C, like ``?x a/rdfs:subClassOf* C``.
    typing = [(s, RDF.type, o) for s, p, o in out if isinstance(p, RdfPath)]
    typing += [(s, RDF.type, first_value[o]) for s, p, o in out if p == RDF.type and o in first_value]
    return [(s, p, o) for s, p, o in out
            if not isinstance(p, RdfPath) and not (p == RDF.type and o in first_value)] + typing


class _Grounds:
    """Facts of the KG that match the query's patterns under one answer's bindings."""

    def __init__(self, session: SessionState, patterns: list[Pattern]) -> None:
        self.kg = session.kg
        self.onto = session.ontology
        self.patterns = patterns
        preds = {p for _, p, _ in patterns if isinstance(p, URIRef)}
        self.by_pred: dict[Node, list[Fact]] = {}
        # A graph in a store gives the facts of each predicate asked about (light: the sentences of the
        # grounds shown are read with them), not every fact with its evidence.
        self._full: Any = getattr(self.kg, "full_facts", None)
        per_predicate = getattr(self.kg, "facts_with_predicate", None)
        if callable(per_predicate) and callable(self._full):
            for p in sorted(preds):
                self.by_pred[p] = per_predicate(p)
            return
        self._full = None
        for f in self.kg:
            if f.predicate in preds:
                self.by_pred.setdefault(f.predicate, []).append(f)

    def for_row(self, values: dict[str, Node]) -> list[Fact]:
        found: dict[tuple[str, Any], Fact] = {}
        for s, p, o in self.patterns:
            s_, o_ = _bind(s, values), _bind(o, values)
            for f in self.by_pred.get(p, []):
                if (s_ is None or f.subject == s_) and (o_ is None or self._same_object(p, f.object, o_)):
                    found.setdefault((f.source, f.key), f)
        facts = self._full(list(found.values())) if self._full is not None and found else list(found.values())
        # Ties in a fixed order: a store gives facts in its own order, memory in the order they came.
        return sorted(facts, key=lambda f: (not f.evidence.verified, f.predicate == RDF.type, f.source,
                                            str(f.predicate), str(f.subject), str(f.object)))

    def _same_object(self, p: Node, got: Node, want: Node) -> bool:
        if got == want:
            return True
        # A typing pattern ``?x a/rdfs:subClassOf* C`` holds for a type that is a subclass of C.
        return (p == RDF.type and isinstance(got, URIRef) and isinstance(want, URIRef)
                and self.onto.is_subclass(got, want))


def _bind(term: Any, values: dict[str, Node]) -> Node | None:
    if isinstance(term, Variable):
        return values.get(str(term))
    return term


def _missing(patterns: list[Pattern], values: dict[str, Node], labels: dict[str, str]) -> str:
    """In words: the facts the query looked for."""
    def show(t: Any) -> str:
        if isinstance(t, Variable):
            return f"?{t}"
        if isinstance(t, Literal):
            return repr(str(t))
        return _name(t, labels) if t != RDF.type else "a"

    wanted = "; ".join(f"({show(s)} {show(p) if p == RDF.type else local_name(p)} {show(o)})"
                       for s, p, o in patterns if p != RDFS.subClassOf)
    return (f"the graph holds no facts matching {wanted or 'the query'}. Extract text that states them "
            "(%%extract), or check the query shown above.")
