"""Competency questions as executable tests.

Each CQ becomes one SPARQL query over the ontology's vocabulary: its pinned
``sparql:`` block when it has one, else a query built from a reading of the
question (:func:`read_cq`: the offline engine's CQ parser when it is available,
and a matcher over the ontology's labels otherwise or when the parser's reading
does not map onto the ontology). The query must parse and use only ontology
terms; it runs under the session's query policy (:mod:`hydra_magic.sparql_policy`:
no updates, no SERVICE, the session's deadline; one worker process for all the CQs of
a run). Per CQ the result says
whether the ontology can answer it (the vocabulary exists), whether the KG does
(rows come back, shown), and, when answers are pinned (``=> a, b``), whether
they are all among the answers (local names and labels compared normalised).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, XSD, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..contracts.grounding import stem
from ..cq import CompetencyQuestion
from ..errors import HydraError, QueryRefusedError
from ..io import query_session
from ..iri import local_name, normalise_label, snake_case
from ..issues import Issue
from ..ontology import OntClass, OntProperty
from ..sparql_policy import QueryPolicy, QueryWorker, check_query, inspect_query
from .findings import make_issue
from .index import FactIndex

if TYPE_CHECKING:
    from ..session_state import SessionState

__all__ = ["ROWS_SHOWN", "CQTest", "Reading", "compile_cq", "read_cq", "run_cq_tests"]

#: Rows kept per CQ for display.
ROWS_SHOWN = 10
#: Rows a CQ test reads of a query it compiled and with no pinned answer to compare: its answers and kinds are
#: judged on these, its row count is counted in the store (at 1M facts a CQ answered 110,004 rows: reading them
#: all took 3.2 s, counting 0.13 s).
ROWS_SAMPLED = 1000
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_BOOLEAN_START = {"is", "are", "was", "were", "does", "do", "did", "can", "could", "has", "have", "had", "will"}
_VALUE_HOW = {"much", "old", "long", "tall", "big", "far", "high", "large", "heavy", "deep", "wide"}
_STOP = {"a", "an", "the", "of", "by", "in", "on", "to", "for", "is", "are", "was", "were", "do", "does", "did",
         "which", "what", "who", "whom", "whose", "when", "where", "how", "many", "much", "there", "that", "has",
         "have", "had", "be", "been", "with", "and", "or", "it", "its", "their", "this", "these", "those"}


@dataclass
class Reading:
    """What a question asks, in the ontology's terms."""

    answer: str = "entities"  # entities | value | boolean | count | subclasses | superclass | definition
    prop: OntProperty | None = None
    classes: list[OntClass] = field(default_factory=list)
    answer_class: OntClass | None = None
    focus: str | None = None  # which end of prop holds the answer: domain | range
    entities: list[URIRef] = field(default_factory=list)
    by: str = "matcher"
    missing: list[str] = field(default_factory=list)  # named in the question, absent from the ontology


@dataclass
class CQTest:
    """The outcome of one competency question run as a test."""

    cq: CompetencyQuestion
    sparql: str | None = None
    source: str = ""  # pinned | parser | matcher
    answerable: bool = False
    reason: str = ""
    answered: bool = False
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_count: int = 0
    answers: list[str] = field(default_factory=list)
    passed: bool | None = None
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.answerable:
            return "not answerable"
        if self.passed is False:
            return "fail"
        if not self.answered:
            return "no answer"
        return "pass" if self.passed else "answered"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.cq.id, "cq": self.cq.text, "expected": list(self.cq.expected), "sparql": self.sparql,
                "source": self.source, "answerable": self.answerable, "reason": self.reason,
                "answered": self.answered, "columns": self.columns, "rows": self.rows,
                "row_count": self.row_count, "answers": self.answers, "passed": self.passed,
                "missing": self.missing, "extra": self.extra,
                "status": self.status}


# ---------------------------------------------------------------- reading
def _variants(*texts: str) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for t in texts:
        words = normalise_label(t).split()
        if not words:
            continue
        out.add(tuple(stem(w) for w in words))
        core = list(words)
        if len(core) > 1 and core[0] in ("has", "is", "was", "have"):
            core = core[1:]
        if len(core) > 1 and core[-1] in ("of", "by", "in", "on", "to", "at", "for", "with"):
            core = core[:-1]
        out.add(tuple(stem(w) for w in core))
    return out


def _find(seq: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    for i in range(len(seq) - n + 1):
        if tuple(seq[i:i + n]) == phrase:
            return i
    return -1


def _same(a: str, b: str) -> bool:
    """Stems of one word ("released" ~ "release"): equal, or one a prefix of the other (5+ letters)."""
    return a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)))


def _match_terms(stems: list[str], terms: Iterable[tuple[Any, set[tuple[str, ...]]]], *,
                 partial: bool = False) -> list[tuple[int, int, Any]]:
    """(score, position, term) for every term with a variant in the question, best first.

    A variant found as a phrase scores twice its length; with ``partial`` a
    variant whose words only partly occur scores the number found.
    """
    hits = []
    for term, variants in terms:
        best: tuple[int, int] | None = None
        for v in variants:
            if all(w in _STOP for w in v):
                continue
            i = _find(stems, v)
            if i >= 0:
                cand = (2 * len(v), i)
            elif partial:
                found = [next((j for j, q in enumerate(stems) if _same(w, q)), -1) for w in v if w not in _STOP]
                found = [j for j in found if j >= 0]
                if not found:
                    continue
                cand = (len(found), min(found))
            else:
                continue
            if best is None or cand[0] > best[0]:
                best = cand
        if best:
            hits.append((best[0], best[1], term))
    hits.sort(key=lambda h: (-h[0], h[1], str(getattr(h[2], "iri", h[2]))))
    return hits


def _answer_kind(words: list[str]) -> str:
    first = words[0] if words else ""
    second = words[1] if len(words) > 1 else ""
    if first == "how" and second == "many":
        return "count"
    if first == "how" and second in _VALUE_HOW or first == "when":
        return "value"
    if first in _BOOLEAN_START:
        return "boolean"
    return "entities"


def _entities(cq: str, session: SessionState, idx: FactIndex, taken: set[int]) -> tuple[list[URIRef], list[str]]:
    """Entities the question names: KG entities (any n-gram), else capitalised names not at the start."""
    tokens = [(m.group(), m.start()) for m in _WORD.finditer(cq)]
    found: list[tuple[int, URIRef]] = []
    used: set[int] = set(taken)
    kg = session.kg

    for n in range(min(6, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            span = set(range(i, i + n))
            if span & used:
                continue
            words = [t for t, _ in tokens[i:i + n]]
            if n == 1 and words[0].lower() in _STOP:
                continue
            iri = kg.entity_iri(snake_case(" ".join(words)))
            if idx.has_node(iri):
                found.append((i, iri))
                used |= span
    unknown = []
    i = 1
    while i < len(tokens):
        t = tokens[i][0]
        if i not in used and t[:1].isupper() and t.lower() not in _STOP:
            j = i
            while j + 1 < len(tokens) and j + 1 not in used and tokens[j + 1][0][:1].isupper():
                j += 1
            name = " ".join(x for x, _ in tokens[i:j + 1])
            found.append((i, kg.entity_iri(snake_case(name))))
            unknown.append(name)
            used |= set(range(i, j + 1))
            i = j + 1
        else:
            i += 1
    found.sort(key=lambda x: x[0])
    return [iri for _, iri in found], unknown


_NUMBERS = frozenset(str(XSD[t]) for t in ("integer", "int", "long", "short", "decimal", "double", "float",
                                           "nonNegativeInteger", "positiveInteger", "unsignedInt"))


def _counted_value(r: Reading) -> Reading:
    """"How many employees does a company have?" over a number (``numberOfEmployees``) asks for that number,
    not for a count of values."""
    p = r.prop
    if r.answer == "count" and p is not None and p.kind == "data" and p.range and \
            all(str(t) in _NUMBERS for t in p.range):
        r.answer = "value"
    return r


def _from_parser(cq: CompetencyQuestion, session: SessionState) -> Reading | None:
    """A reading from the English CQ parser, when its terms are in the ontology."""
    from ..english.cq import parse_cq
    from ..english.cq.paraphrase_reuse import existing_property

    try:
        parsed = parse_cq(cq.text)
    except Exception:  # noqa: BLE001 - a bug in the engine's parser must not stop verification
        return None
    if parsed is None:
        return None
    onto = session.ontology
    r = Reading(by="parser")
    r.answer = getattr(parsed, "answer", "entities") or "entities"
    if getattr(parsed, "aggregate", None) == "count":
        r.answer = "count"
    for c in getattr(parsed, "classes", ()) or ():
        hit = onto.get_class(c.name) or onto.get_class(c.label) or (onto.get_class(c.plural) if c.plural else None)
        if hit is not None and hit not in r.classes:
            r.classes.append(hit)
    ac = getattr(parsed, "answer_class", None)
    r.answer_class = onto.get_class(ac) if ac else None
    props = list(getattr(parsed, "properties", ()) or ())
    if props:
        req = props[0]
        r.prop = next((p for p in (onto.get_property(k) for k in (req.name, req.label, *req.alt_labels) if k)
                       if p is not None), None)
        if r.prop is None:  # reused when the question was read ("cures" kept as treats): test against that
            r.prop = existing_property(onto, req)
            if r.prop is None:
                return None  # the parser's property is not the ontology's: let the matcher look at the labels
    r.focus = getattr(parsed, "focus", None)
    if r.prop is not None and r.focus in ("domain", "range") and _inverted(props[0], r.prop, onto):
        r.focus = "range" if r.focus == "domain" else "domain"
    r.entities = [session.kg.entity_iri(snake_case(e)) for e in getattr(parsed, "entities", ()) or ()
                  if snake_case(e) and e.lower() not in ("it", "they", "he", "she", "this", "that")]
    if r.prop is None and not r.classes:
        return None
    return r


def _inverted(req: Any, prop: OntProperty, onto: Any) -> bool:
    """Does the parser's property run the other way than the ontology's ("directs" vs "directedBy")?"""
    dom = [onto.get_class(x) for x in getattr(req, "domain", ())]
    rng = [onto.get_class(x) for x in getattr(req, "range", ())] if getattr(req, "kind", "object") == "object" else []
    direct = sum(_fits(onto, c, prop.domain) for c in dom) + sum(_fits(onto, c, prop.range) for c in rng)
    inverse = sum(_fits(onto, c, prop.range) for c in dom) + sum(_fits(onto, c, prop.domain) for c in rng)
    if direct != inverse:
        return inverse > direct
    ours = normalise_label(prop.label).endswith(" by") or prop.name.endswith("By")
    theirs = normalise_label(getattr(req, "label", "") or getattr(req, "name", "")).endswith(" by")
    return ours != theirs


def read_cq(cq: CompetencyQuestion, session: SessionState, idx: FactIndex) -> Reading:
    """What ``cq`` asks in the ontology's terms (parser first, label matcher otherwise)."""
    parsed = _from_parser(cq, session)
    if parsed is not None:
        return _counted_value(parsed)
    onto = session.ontology
    words = normalise_label(cq.text).split()
    stems = [stem(w) for w in words]
    r = Reading(answer=_answer_kind(words))
    props = _match_terms(stems, ((p, _variants(p.name, p.label, *p.alt_labels, *p.triggers))
                                 for p in onto.properties.values()), partial=True)
    classes = _match_terms(stems, ((c, _variants(c.name, c.label, *c.alt_labels)) for c in onto.classes.values()))
    r.classes = [c for _, _, c in sorted(classes, key=lambda h: h[1])]
    if props:
        top = [h for h in props if h[0] == props[0][0]]
        named = {c.iri for c in r.classes}
        # Among equally long matches prefer a property whose domain or range the question names.
        top.sort(key=lambda h: (-len(named & set(h[2].domain + h[2].range)), h[1], str(h[2].iri)))
        r.prop = top[0][2]
    if r.classes and words and words[0] in ("which", "what", "who", "how") and classes:
        first = min(classes, key=lambda h: h[1])
        if first[1] <= 2:
            r.answer_class = first[2]
    taken: set[int] = set()
    r.entities, _ = _entities(cq.text, session, idx, taken)
    # A class or property word is not an entity name.
    vocab = {onto.class_iri(c.name) for c in r.classes}
    class_labels = ({normalise_label(c.label) for c in onto.classes.values()}
                    | {normalise_label(c.name) for c in onto.classes.values()})
    r.entities = [e for e in r.entities if normalise_label(local_name(e)) not in class_labels and e not in vocab]
    if r.prop is None and not r.classes:
        r.missing = [w for w in words if w not in _STOP]
    return _counted_value(r)


# ---------------------------------------------------------------- compiling
def _t(iri: Node) -> str:
    return f"<{iri}>"


def _fits(onto: Any, cls: OntClass | None, targets: tuple[URIRef, ...]) -> bool:
    return cls is not None and any(onto.is_subclass(cls.iri, t) or onto.is_subclass(t, cls.iri) for t in targets)


def _typed(var: str, cls: URIRef, onto: Any) -> str:
    """``var`` is an instance of ``cls`` or of a subclass: the classes listed, ``cls`` first.

    Not the path ``a/rdfs:subClassOf*``: Virtuoso answered that path wrongly over a dataset of two graphs
    (the facts and the ontology graph a stored session queries) once the same facts sat in another
    session's graphs on the server; a list of classes is plain triple patterns on every store.
    """
    below = sorted((k for k in onto.classes if k != cls and onto.is_subclass(k, cls)), key=str)
    t = f"{var}_type" if var.startswith("?") else "?entity_type"
    return f"{var} a {t} . VALUES {t} {{ {' '.join(_t(x) for x in [cls, *below])} }}"


def compile_cq(r: Reading, session: SessionState, idx: FactIndex) -> tuple[str | None, str]:
    """SPARQL for a reading, or ``(None, reason)``."""
    onto = session.ontology
    p = r.prop
    if p is None and not r.classes:
        return None, ("the question names no class or property of the ontology"
                      + (f" (its words: {', '.join(r.missing[:8])})" if r.missing else "")
                      + "; add the vocabulary with %%cq or %%ontology, or pin a query with 'sparql:'")
    if p is None:
        c = r.answer_class or r.classes[0]
        if r.answer == "boolean" and r.entities:
            return f"ASK {{ {_typed(_t(r.entities[0]), c.iri, onto)} }}", ""
        if r.answer == "subclasses":
            return (f"SELECT DISTINCT ?answer WHERE {{ ?answer <{RDFS.subClassOf}>+ {_t(c.iri)} }}", "")
        if r.answer == "superclass" and r.entities:
            return f"SELECT DISTINCT ?answer WHERE {{ {_t(r.entities[0])} a ?answer }}", ""
        if r.answer == "definition":
            return f"SELECT DISTINCT ?answer WHERE {{ {_t(c.iri)} <{RDFS.comment}> ?answer }}", ""
        body = f"{_typed('?answer', c.iri, onto)} ."
        if r.answer == "count":
            return f"SELECT (COUNT(DISTINCT ?answer) AS ?count) WHERE {{ {body} }}", ""
        return f"SELECT DISTINCT ?answer WHERE {{ {body} }}", ""
    P = _t(p.iri)
    if r.entities:
        e = r.entities[0]
        # The entity sits at the end opposite the answer: from the reading when it says, else from the KG.
        if r.focus in ("domain", "range"):
            role = "object" if r.focus == "domain" else "subject"
        elif idx.objects(e, p.iri):
            role = "subject"
        elif idx.subjects(p.iri, e):
            role = "object"
        else:
            types = [URIRef(t) for t in idx.types_of(e)]
            in_range = p.kind == "object" and any(onto.is_subclass(t, x) for t in types for x in p.range)
            in_domain = any(onto.is_subclass(t, x) for t in types for x in p.domain)
            role = "object" if in_range and not in_domain else "subject"
        if p.kind == "data":
            role = "subject"
        if r.answer == "boolean":
            if len(r.entities) > 1:
                a, b = (r.entities[0], r.entities[1]) if role == "subject" else (r.entities[1], r.entities[0])
                return f"ASK {{ {_t(a)} {P} {_t(b)} }}", ""
            return (f"ASK {{ {_t(e)} {P} ?x }}" if role == "subject" else f"ASK {{ ?x {P} {_t(e)} }}"), ""
        body = f"{_t(e)} {P} ?answer ." if role == "subject" else f"?answer {P} {_t(e)} ."
    else:
        if r.answer == "boolean":
            return f"ASK {{ ?s {P} ?o }}", ""
        ac = r.answer_class
        if p.kind == "data":
            # "Which films have a release year?" asks for films; "What is the release year of a film?" for values.
            answer_is_subject = ac is not None and _fits(onto, ac, p.domain) and r.answer == "entities"
            subject_class = ac or next((c for c in r.classes if _fits(onto, c, p.domain)), None)
        else:
            if r.focus in ("domain", "range"):
                answer_is_subject = r.focus == "domain"
            elif ac is not None and _fits(onto, ac, p.domain) and not _fits(onto, ac, p.range):
                answer_is_subject = True
            elif ac is not None and _fits(onto, ac, p.range):
                answer_is_subject = False
            else:
                answer_is_subject = False
            subject_class = None
        if answer_is_subject:
            body = f"?answer {P} ?value ."
            if ac is not None:
                body += f" {_typed('?answer', ac.iri, onto)} ."
        else:
            body = f"?subject {P} ?answer ."
            if p.kind == "object" and ac is not None:
                body += f" {_typed('?answer', ac.iri, onto)} ."
            elif subject_class is not None:
                body += f" {_typed('?subject', subject_class.iri, onto)} ."
        if r.answer == "count":
            return f"SELECT (COUNT(DISTINCT ?answer) AS ?count) WHERE {{ {body} }}", ""
        cols = "?answer" if answer_is_subject else "?subject ?answer"
        return f"SELECT DISTINCT {cols} WHERE {{ {body} }}", ""
    if r.answer == "count":
        return f"SELECT (COUNT(DISTINCT ?answer) AS ?count) WHERE {{ {body} }}", ""
    return f"SELECT DISTINCT ?answer WHERE {{ {body} }}", ""


# ---------------------------------------------------------------- checking
def _namespaces(session: SessionState) -> dict[str, str]:
    ns = {p: str(n) for p, n in session.ontology.graph.namespaces() if p}
    ns.update({"ent": str(session.kg.entity_ns), "onto": str(session.ontology.ns), "rdf": str(RDF),
               "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD)})
    return ns


def _iris(node: Any, out: set[URIRef]) -> None:
    if isinstance(node, URIRef):
        out.add(node)
    elif isinstance(node, dict):
        for v in node.values():
            _iris(v, out)
    elif isinstance(node, (list, tuple, set)):
        for v in node:
            _iris(v, out)
    elif hasattr(node, "values") and callable(node.values):  # rdflib CompValue
        for v in node.values():
            _iris(v, out)


def _unknown_terms(sparql: str, session: SessionState) -> tuple[list[str], str]:
    """Ontology-namespace IRIs the query uses that the ontology does not declare; or a parse error."""
    try:
        q = prepareQuery(sparql, initNs=_namespaces(session))
    except Exception as exc:  # noqa: BLE001 - rdflib raises pyparsing's and untyped errors: all mean "no parse"
        return [], f"{type(exc).__name__}: {exc}"
    used: set[URIRef] = set()
    _iris(q.algebra, used)
    onto = session.ontology
    spaces = {str(onto.ns)} | {str(t)[: len(str(t)) - len(local_name(t))] for t in (*onto.classes, *onto.properties)}
    spaces.discard("")
    known = set(onto.classes) | set(onto.properties)
    return sorted(str(i) for i in used if i not in known and any(str(i).startswith(s) for s in spaces)
                  and local_name(i) and not str(i).startswith(str(session.kg.entity_ns))), ""


def _show(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return local_name(node)
    return str(node)


def _normal_forms(node: Any, session: SessionState) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, URIRef):
        return {normalise_label(local_name(node)), normalise_label(session.kg.label(node))} - {""}
    text = str(node)
    return {normalise_label(text), text.strip().lower()} - {""}


def _expected_kind(cq: CompetencyQuestion) -> str:
    return _answer_kind(normalise_label(cq.text).split())


def run_cq_tests(session: SessionState, idx: FactIndex) -> tuple[list[CQTest], list[Issue]]:
    """Compile, run and judge every CQ of the session."""
    tests: list[CQTest] = []
    issues: list[Issue] = []
    policy = _policy(session)
    # One worker process for the whole run (the store does not change meanwhile): one fork, not one per CQ.
    with QueryWorker() as worker:
        for cq in session.cqs:
            t, found = _test_cq(cq, session, idx, worker, policy)
            tests.append(t)
            issues += found
    return tests, issues


def _row_count(session: SessionState, sparql: str, policy: QueryPolicy, worker: QueryWorker | None) -> int:
    """The rows a compiled CQ query (no prologue, no LIMIT) answers, counted by the store."""
    counted = query_session(session, f"SELECT (COUNT(*) AS ?rows) WHERE {{ {sparql} }}", policy=policy,
                            worker=worker, compiled=True)
    return next((int(row[0]) for row in counted), 0)


def _policy(session: SessionState) -> QueryPolicy:
    """CQ tests never call remote endpoints: a CQ file may come from anyone."""
    timeout = getattr(session.config, "sparql_timeout", None)
    return QueryPolicy(caller="a CQ test", service_option=None,
                       timeout_option="the session's sparql_timeout (%config HydraMagics.sparql_timeout)",
                       **({} if timeout is None else {"timeout": timeout}))


def _test_cq(cq: CompetencyQuestion, session: SessionState, idx: FactIndex, worker: QueryWorker | None = None,
             policy: QueryPolicy | None = None) -> tuple[CQTest, list[Issue]]:
    t = CQTest(cq)
    issues: list[Issue] = []
    focus = f"urn:hydra:cq:{cq.id}"

    def issue(code: str, message: str, hint: str, severity: str = "warning") -> None:
        issues.append(make_issue(code, focus, message, hint, check="cq", severity=severity,  # type: ignore[arg-type]
                                 extra={"cq": cq.text, "cq_id": cq.id, "sparql": t.sparql or ""}))

    if cq.sparql:
        t.sparql, t.source = cq.sparql.strip(), "pinned"
    else:
        reading = read_cq(cq, session, idx)
        t.source = reading.by
        t.sparql, t.reason = compile_cq(reading, session, idx)
    if t.sparql is None:
        issue("cq_not_answerable", f"CQ {cq.text!r} cannot be turned into SPARQL: {t.reason}.",
              "Add the missing classes or properties, or pin a query under the CQ with 'sparql:'.")
        return t, issues
    try:
        check_query(t.sparql, policy or _policy(session))
    except QueryRefusedError as exc:  # an update or a SERVICE: say so, not "does not parse"
        t.reason = str(exc)
        issue("cq_query_error", f"The SPARQL of CQ {cq.text!r} is refused: {exc}",
              "Pin a read-only query over the session's graph (SELECT or ASK, no SERVICE).", "error")
        return t, issues
    unknown, error = _unknown_terms(t.sparql, session)
    if error or unknown:
        t.reason = error or f"uses terms the ontology does not declare: {', '.join(unknown)}"
        issue("cq_query_error", f"The SPARQL of CQ {cq.text!r} {'does not parse: ' + error if error else t.reason}.",
              "Fix the query (prefixes onto:, ent:, rdf:, rdfs:, owl:, xsd: are predeclared).", "error")
        return t, issues
    t.answerable = True
    kind = _expected_kind(cq)
    is_ask = inspect_query(t.sparql).form == "ASK"  # it parsed above: the form is known
    if (kind == "boolean") != is_ask and cq.sparql:
        issue("cq_query_mismatch", f"CQ {cq.text!r} asks for {'yes or no' if kind == 'boolean' else 'answers'} "
              f"but its query is {'an ASK' if is_ask else 'a SELECT'} query.",
              "Use ASK for yes/no questions and SELECT for the others.")
    compiled = t.source != "pinned"  # our own SPARQL, which ends: a store may answer it in a thread
    sampled = not is_ask and not cq.expected and compiled
    total: int | None = None
    try:
        if sampled:
            total = _row_count(session, t.sparql, policy or _policy(session), worker)
            result = query_session(session, f"{t.sparql} LIMIT {ROWS_SAMPLED}", policy=policy or _policy(session),
                                   worker=worker, compiled=True)
        else:
            result = query_session(session, t.sparql, policy=policy or _policy(session), worker=worker,
                                   compiled=compiled)
    except HydraError as exc:  # refused, stopped at the deadline, failed: the CQ's issue (an interrupt passes)
        t.answerable = False
        t.reason = f"the query failed: {exc}"
        issue("cq_query_error", f"The SPARQL of CQ {cq.text!r} failed: {exc}.", "Fix the query.", "error")
        return t, issues
    got: set[str] = set()
    if is_ask or getattr(result, "type", "") == "ASK":
        yes = bool(result.askAnswer)
        t.columns, t.rows, t.row_count, t.answered = ["answer"], [["yes" if yes else "no"]], 1, True
        t.answers = ["yes" if yes else "no"]
        got = {"yes", "true"} if yes else {"no", "false"}
    else:
        t.columns = [str(v) for v in (result.vars or [])]
        answer_col = t.columns.index("answer") if "answer" in t.columns else len(t.columns) - 1
        kinds = {"iri": 0, "literal": 0}
        answer_nodes: dict[Any, None] = {}
        for row in result:
            t.row_count += 1
            values = list(row)
            if len(t.rows) < ROWS_SHOWN:
                t.rows.append([_show(v) for v in values])
            if values:
                v = values[answer_col]
                if v is not None:
                    kinds["iri" if isinstance(v, URIRef) else "literal"] += 1
                if cq.expected and v is not None:
                    answer_nodes[v] = None
                if len(t.answers) < 50 and _show(v) not in t.answers and v is not None:
                    t.answers.append(_show(v))
        if total is not None:
            t.row_count = total
        # Only pinned answers are compared by label: a graph in a store reads those labels together.
        prefetch = getattr(session.kg, "prefetch_labels", None)
        if answer_nodes and callable(prefetch):
            prefetch([v for v in answer_nodes if isinstance(v, URIRef)])
        for v in answer_nodes:
            got |= _normal_forms(v, session)
        # An aggregate over nothing still returns one row (count 0): that is no answer.
        t.answered = t.row_count > 0 and not (t.row_count == 1 and t.rows and t.rows[0] in ([""], ["0"]))
        words = normalise_label(cq.text).split()
        if kind == "value" and kinds["iri"] and not kinds["literal"]:
            issue("cq_query_mismatch", f"CQ {cq.text!r} asks for a value but its query returns entities.",
                  "Select the data property's value, not the entity.")
        elif words[:1] in (["who"], ["whom"]) and kinds["literal"] and not kinds["iri"]:
            issue("cq_query_mismatch", f"CQ {cq.text!r} asks for entities but its query returns values.",
                  "Select the entity (the subject or object of the property), not a literal.")
    if not t.answered:
        issue("cq_no_answer", f"CQ {cq.text!r} has no answer in the KG yet.",
              "Extract text that states the answer, or check the CQ's query.", "warning")
    if cq.expected:
        want = {normalise_label(x): x for x in cq.expected}
        t.missing = [orig for key, orig in want.items() if key not in got and orig.strip().lower() not in got]
        t.extra = sorted(a for a in t.answers if normalise_label(a) not in want)[:10]
        t.passed = not t.missing
        if not t.passed:
            shown = ", ".join(map(repr, sorted(t.answers)[:10])) or "nothing"
            issue("cq_failed", f"CQ {cq.text!r}: expected {', '.join(map(repr, cq.expected))}; missing "
                  f"{', '.join(map(repr, t.missing))}; got {shown}.",
                  "Extract the missing facts, or correct the pinned answers.", "error")
    return t, issues
