"""Results as plain data: what the static HTML and the widgets show, as JSON-ready dicts.

Pure functions from session objects to dicts of strings, numbers, lists and dicts:
the ontology with each CQ's status (:func:`ontology_state`), an extraction with
every candidate's verdict and evidence (:func:`extraction_state`), a verification
report (:func:`report_state`) and SPARQL rows (:func:`sparql_rows`); the graph
explorer's state lives in :mod:`hydra_magic.graph_state`. :mod:`hydra_magic.html`
renders these states as static HTML and the widgets
(:mod:`hydra_magic.widget_classes`) ship them to the browser, so a saved notebook
and a live widget show the same thing. Text is never escaped here: the HTML
escapes it, the front end inserts it with ``textContent``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Literal, URIRef

from .iri import local_name, snake_case
from .ontology import Ontology

if TYPE_CHECKING:  # pragma: no cover
    from .kg import Fact, KnowledgeGraph

__all__ = [
    "ISSUE_CAP",
    "ROW_CAP",
    "candidate_key",
    "cq_status",
    "evidence_segments",
    "extraction_state",
    "find_fact",
    "issue_dict",
    "ontology_state",
    "query_prefixes",
    "report_state",
    "sparql_rows",
    "term_name",
    "weave_state",
]

#: Candidate rows shipped to the extraction widget at most (rejected ones first).
ROW_CAP = 2000
#: Issues shipped to the report widget at most (the counts always cover all of them).
ISSUE_CAP = 2000


# --------------------------------------------------------------------------- helpers
def term_name(onto: Ontology | None, iri: Any) -> str:
    """The name a view shows for ``iri``: the ontology term's name, ``xsd:…``, or the IRI's local name."""
    if onto is not None:
        c = onto.classes.get(iri)
        if c is not None:
            return c.name
        p = onto.properties.get(iri)
        if p is not None:
            return p.name
    if isinstance(iri, URIRef):
        s = str(iri)
        if s.startswith("http://www.w3.org/2001/XMLSchema#"):
            return "xsd:" + s.rsplit("#", 1)[1]
        return local_name(iri)
    return str(iri)


def _term(node: Any, kg: KnowledgeGraph | None, onto: Ontology | None) -> str:
    if isinstance(node, Literal):
        return str(node)
    if node is None:
        return ""
    if kg is not None and isinstance(node, URIRef) and str(node).startswith(str(kg.entity_ns)):
        return kg.entity_name(node)
    return term_name(onto, node)


def issue_dict(issue: Any) -> dict[str, Any]:
    """An :class:`~hydra_magic.issues.Issue` as JSON (its ``data`` as compact text, at most 20 keys)."""
    d: dict[str, Any] = {"code": str(getattr(issue, "code", "")), "message": str(getattr(issue, "message", issue)),
         "hint": str(getattr(issue, "hint", "") or ""), "severity": str(getattr(issue, "severity", "error")),
         "path": str(getattr(issue, "path", "") or "")}
    data = getattr(issue, "data", None)
    if isinstance(data, dict) and data:
        d["data"] = {str(k): _plain(v) for k, v in list(data.items())[:20]}
    return d


def _plain(v: Any, limit: int = 400) -> Any:
    """A JSON scalar for any value (nested data as compact JSON text, cut at ``limit``)."""
    if v is None or isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, str):
        text = v
    else:
        import json

        try:
            text = json.dumps(v, ensure_ascii=False, default=str, separators=(", ", ": "))
        except (TypeError, ValueError):
            text = str(v)
    return text if len(text) <= limit else text[:limit - 1] + "…"


_STEM_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _stems(text: str) -> list[str]:
    from .contracts.grounding import stem

    return [stem(w) for w in _STEM_WORD.findall(_CAMEL.sub(" ", text))]


# --------------------------------------------------------------------------- evidence
def evidence_segments(sentence: str, text: str, subject_span: Any, object_span: Any,
                      subject_text: str = "", object_text: str = "",
                      window: int = 160, cue_span: Any = None) -> list[list[str]]:
    """The evidence as ``[[text, role], ...]`` with role ``"s"``, ``"o"``, ``"so"``, ``"c"`` or ``""``.

    ``cue_span`` (absolute, like the others) marks the negation, hedge or
    hypothetical cue a polarity contract found (role ``"c"``).

    Spans are absolute offsets in the source ``text``. The sentence is located
    in ``text`` (the occurrence that contains the spans); when that fails the
    text around the spans is shown instead, and without spans the surface forms
    are searched in the sentence.
    """
    spans = [tuple(sp) if sp is not None and len(sp) == 2 else None for sp in (subject_span, object_span, cue_span)]
    spans = [sp if sp is not None and 0 <= sp[0] < sp[1] <= len(text) else None for sp in spans]
    base, shown = 0, sentence
    present = [sp for sp in spans if sp is not None]
    if present:
        lo, hi = min(sp[0] for sp in present), max(sp[1] for sp in present)
        start = -1
        if sentence:
            i = text.find(sentence)
            while i >= 0:
                if i <= lo and hi <= i + len(sentence):
                    start = i
                    break
                i = text.find(sentence, i + 1)
        if start >= 0:
            base = start
        else:  # no sentence, or it does not contain the spans: show the text around them
            base = max(0, lo - window // 2)
            end = min(len(text), max(hi + window // 2, base + 1))
            shown = text[base:end]
        rel = [(sp[0] - base, sp[1] - base) if sp is not None else None for sp in spans]
    else:
        low = sentence.lower()
        rel = []
        for surf in (subject_text, object_text):
            i = low.find(surf.lower()) if surf.strip() else -1
            rel.append((i, i + len(surf)) if i >= 0 else None)
        rel.append(None)
    if not shown:
        return []
    cuts = {0, len(shown)}
    for sp in rel:
        if sp is not None:
            cuts.update((max(0, min(len(shown), sp[0])), max(0, min(len(shown), sp[1]))))
    points = sorted(cuts)
    out: list[list[str]] = []
    for a, b in itertools.pairwise(points):
        if a == b:
            continue
        role = "".join(r for r, sp in zip("so", rel) if sp is not None and sp[0] <= a and b <= sp[1])
        cue = rel[2] if len(rel) > 2 else None
        if not role and cue is not None and cue[0] <= a and b <= cue[1]:
            role = "c"
        if out and out[-1][1] == role:
            out[-1][0] += shown[a:b]
        else:
            out.append([shown[a:b], role])
    if base > 0 and shown is not sentence:
        out.insert(0, ["…", ""])
    if base + len(shown) < len(text) and shown is not sentence:
        out.append(["…", ""])
    return out


# --------------------------------------------------------------------------- ontology
_FUNCTION_WORDS = frozenset((
    "a", "an", "the", "of", "by", "in", "on", "at", "to", "for", "with", "from", "has", "have", "had",
    "is", "are", "was", "were", "be", "been", "do", "does", "did", "which", "what", "who", "whom",
    "whose", "when", "where", "how", "many", "much",
))


def _word_match(a: str, b: str) -> bool:
    # stems are crude ("released" -> "releas", "release" -> "release"): accept a shared prefix
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _cq_terms(onto: Ontology, text: str) -> tuple[list[str], list[str]]:
    """Classes and properties of ``onto`` whose name or label the CQ mentions (stemmed words).

    A term matches when all its content words occur in the question, or, for a
    property of several words, when its first content word does ("released" →
    ``releaseYear``).
    """
    words = [w for w in _stems(text.lower()) if w not in _FUNCTION_WORDS]
    classes: list[str] = []
    props: list[str] = []
    for items, out, lead in ((onto.classes.values(), classes, False), (onto.properties.values(), props, True)):
        for item in items:
            for key in (item.name, item.label, *item.alt_labels):
                ws = [w for w in _stems(key.lower()) if w not in _FUNCTION_WORDS]
                if not ws:
                    continue
                hit = [any(_word_match(t, w) for w in words) for t in ws]
                if all(hit) or (lead and len(ws) > 1 and hit[0]):
                    out.append(item.name)
                    break
    return sorted(classes), sorted(props)


_SPARQL_TERM = re.compile(r"\bonto:([^\s;,.(){}]+)|<[^>]*ontology#([^>]+)>")


def _compiled(session: Any, cq: Any) -> tuple[str | None, str]:
    """The CQ compiled to SPARQL the way ``%hydra verify`` reads it: ``(query or None, reason)``.

    Only the vocabulary matters here (an empty fact index): can the ontology
    express the question, not does the KG answer it yet.
    """
    from .verify.cq_tests import compile_cq, read_cq
    from .verify.index import FactIndex

    return compile_cq(read_cq(cq, session, FactIndex()), session, FactIndex())


def cq_status(onto: Ontology, cq: Any, added: list[str], session: Any = None) -> dict[str, Any]:
    """Can ``onto`` express ``cq``: ``{"status": expressible | partial | missing, "terms", "reason"[, "query"]}``.

    A CQ with pinned SPARQL is expressible when every term it uses exists; otherwise,
    with the session whose ontology it is, the CQ compiler of ``%hydra verify`` decides;
    without one, the words of the question are matched against names and labels.
    """
    if getattr(cq, "sparql", None):
        names = {m.group(1) or m.group(2) for m in _SPARQL_TERM.finditer(cq.sparql)}
        known = {c.name for c in onto.classes.values()} | {p.name for p in onto.properties.values()}
        missing = sorted(n for n in names if n not in known)
        if missing:
            return {"status": "missing", "terms": sorted(names - set(missing)),
                    "reason": "its SPARQL uses terms the ontology lacks: " + ", ".join(missing)}
        return {"status": "expressible", "terms": sorted(names), "reason": "every term of its SPARQL exists"}
    classes, props = _cq_terms(onto, cq.text)
    terms = sorted(set(classes) | set(props) | set(added))
    if session is not None and getattr(session, "ontology", None) is onto:
        query, reason = _compiled(session, cq)
        if query:
            return {"status": "expressible", "terms": terms, "query": query,
                    "reason": "it compiles to a SPARQL query over the ontology (as %hydra verify reads it)"}
        return {"status": "missing", "terms": terms, "reason": reason or "it does not compile to SPARQL"}
    added_props = [n for n in added if onto.get_property(n) is not None]
    if props or added_props:
        return {"status": "expressible", "terms": terms,
                "reason": "the ontology has the properties it asks about: "
                          + ", ".join(sorted(set(props) | set(added_props)))}
    if classes or added:
        return {"status": "partial", "terms": terms,
                "reason": "only classes match; no property expresses the relation it asks about"}
    return {"status": "missing", "terms": [], "reason": "no class or property of the ontology matches its words"}


def ontology_state(session: Any = None, *, ontology: Ontology | None = None, result: Any = None,
                   instance_counts: bool = True) -> dict[str, Any]:
    """JSON state of the ontology view: class tree, properties, CQs and what each contributed.

    Parameters
    ----------
    session
        A :class:`~hydra_magic.session.Session` (or ``None`` with ``ontology``).
    result
        A :class:`~hydra_magic.results.CQResult`: its additions are marked ``new``,
        and its rejected candidates and engine issues are included.
    """
    onto = ontology if ontology is not None else getattr(session, "ontology", None)
    if onto is None and result is not None:
        onto = getattr(result.session, "ontology", None)
        session = session or result.session
    kg = getattr(session, "kg", None)
    new_names: set[str] = set()
    contributions: dict[str, list[str]] = {}
    if result is not None:
        contributions = result.contributions()
        new_names = {x.name for x in [*result.added_classes, *result.added_properties]}
    instances: Counter[URIRef] = Counter()
    uses: Counter[URIRef] = Counter()
    if kg is not None and instance_counts:
        for f in kg.index_facts():
            if f.predicate == RDF.type:
                instances[f.object] += 1
            else:
                uses[f.predicate] += 1
    classes: list[dict[str, Any]] = []
    if onto is not None:
        children: dict[Any, list[URIRef]] = {}
        for c in onto.classes.values():
            parent = c.parent if c.parent in onto.classes else None
            children.setdefault(parent, []).append(c.iri)
        seen: set[URIRef] = set()

        def walk(iri: URIRef, depth: int) -> None:
            if iri in seen:
                return
            seen.add(iri)
            c = onto.classes[iri]
            classes.append({"name": c.name, "label": c.label, "iri": str(c.iri),
                            "parent": term_name(onto, c.parent) if c.parent else "", "depth": depth,
                            "comment": c.comment, "alt_labels": list(c.alt_labels),
                            "instances": instances.get(iri, 0), "new": c.name in new_names,
                            "children": len(children.get(iri, []))})
            for ch in sorted(children.get(iri, []), key=lambda i: onto.classes[i].name.lower()):
                walk(ch, depth + 1)

        for root in sorted(children.get(None, []), key=lambda i: onto.classes[i].name.lower()):
            walk(root, 0)
        for iri in sorted(onto.classes, key=str):  # members of a subclass cycle have no root
            walk(iri, 0)
    props: dict[str, list[dict[str, Any]]] = {"object": [], "data": []}
    if onto is not None:
        for p in sorted(onto.properties.values(), key=lambda p: p.name.lower()):
            rng = [term_name(onto, r) for r in p.range] or (["xsd:string"] if p.kind == "data" else [])
            props[p.kind].append({"name": p.name, "label": p.label, "iri": str(p.iri), "kind": p.kind,
                                  "domain": [term_name(onto, d) for d in p.domain], "range": rng,
                                  "characteristics": sorted(p.characteristics), "comment": p.comment,
                                  "alt_labels": list(p.alt_labels), "uses": uses.get(p.iri, 0),
                                  "new": p.name in new_names})
    cqs_src = list(result.cqs) if result is not None else list(getattr(session, "cqs", []) or [])
    # A question the engine did not understand is never shown as expressible, whatever its words match.
    unparsed = {str(i.data.get("text", "")).strip() for i in (result.issues if result is not None else [])
                if i.code == "unparsed_cq"}
    cqs = []
    for cq in cqs_src:
        added = contributions.get(cq.text, [])
        if cq.text.strip() in unparsed:
            st = {"status": "unparsed", "terms": [], "reason": "the engine did not understand this question "
                  "(unparsed_cq), so nothing was added for it"}
        elif onto is not None:
            st = cq_status(onto, cq, added, session)
        else:
            st = {"status": "missing", "terms": [], "reason": ""}
        cqs.append({"id": cq.id, "text": cq.text, "expected": list(cq.expected), "sparql": cq.sparql or "",
                    "added": added, **st})
    from .weave import clusters as weave_clusters

    groups = weave_clusters(onto) if onto is not None else []
    state: dict[str, Any] = {
        "classes": classes, "object_properties": props["object"], "data_properties": props["data"],
        "cqs": cqs,
        # the weaver's clusters (connected components of the subclass graph): more than one can be woven
        "clusters": groups,
        "counts": {"classes": len(classes), "object_properties": len(props["object"]),
                   "data_properties": len(props["data"]), "cqs": len(cqs),
                   "facts": len(kg) if kg is not None else 0, "clusters": len(groups)},
        "result": None,
    }
    if result is not None:
        state["result"] = {
            "summary": result.to_text().splitlines()[0],
            "engine": result.engine, "seconds": round(result.seconds, 3),
            "added_classes": [c.describe() for c in result.added_classes],
            "added_properties": [p.describe() for p in result.added_properties],
            "rejected": [{"what": item.describe(), "origin": getattr(item, "origin", ""),
                          "issues": [issue_dict(i) for i in issues]} for item, issues in result.rejected],
            "issues": [issue_dict(i) for i in result.issues],
            # modelling flags of the classes the cell added (kept, shown for review)
            "flags": [issue_dict(i) for i in (result.flags() if callable(getattr(result, "flags", None)) else [])],
            "other": contributions.get("(other)", []),
        }
    return state


def weave_state(proposal: Any = None, *, session: Any = None,
                message: dict[str, str] | None = None) -> dict[str, Any]:
    """JSON state of the ontology view's weave panel: the proposal as a diff per operation.

    Parameters
    ----------
    proposal
        A :class:`~hydra_magic.weave.WeaveProposal` (``None``: nothing proposed yet).
    session
        The session it would apply to: ``stale`` says whether its ontology changed since.
    message
        ``{"kind": "ok" | "error", "text": ...}``: what the last request did (shown as is).
    """
    from .weave import term_text

    out: dict[str, Any] = {"status": "none", "message": message or None, "ops": [], "rejected": [],
                           "clusters_before": [], "clusters_after": [], "error": "", "flags": [],
                           "stale": False, "rounds": 0, "applied_ops": []}
    if proposal is None:
        return out
    changes = proposal.op_changes()
    ops = []
    for n, ((op, before, after), (added, removed)) in enumerate(zip(proposal.ops, changes), start=1):
        ops.append({"n": n, "op": op.op, "describe": op.describe(), "reason": op.reason, "before": before,
                    "after": after, "added": [[term_text(x) for x in t] for t in added],
                    "removed": [[term_text(x) for x in t] for t in removed]})
    single = len(proposal.clusters_before) <= 1
    status = ("applied" if proposal.applied else "single" if single else "error" if proposal.error and not ops
              else "proposed" if ops else "empty")
    stale = (session is not None and not proposal.applied and not single
             and session.ontology.triples() != set(proposal.base))
    out.update(status=status, ops=ops, clusters_before=proposal.clusters_before,
               clusters_after=proposal.clusters_after, error=proposal.error, stale=stale, rounds=proposal.rounds,
               applied_ops=list(proposal.applied_ops),
               rejected=[{"describe": op.describe(), "issues": [issue_dict(i) for i in iss]}
                         for op, iss in proposal.rejected],
               flags=[issue_dict(i) for i in proposal.flags])
    return out


# --------------------------------------------------------------------------- extraction
def candidate_key(session: Any, cand: Any) -> tuple[Any, Any, Any] | None:
    """The KG key :meth:`Session.accept_anyway` would give ``cand`` (``None`` when it cannot)."""
    from .contracts import to_literal
    from .contracts.triple_rules import is_typing_predicate

    onto, kg = session.ontology, session.kg
    s = kg.entity_iri(snake_case(cand.subject) or cand.subject)
    if is_typing_predicate(cand.predicate, onto):
        cls = onto.get_class(cand.object)
        return (s, RDF.type, cls.iri) if cls is not None else None
    prop = onto.get_property(cand.predicate)
    if prop is None:
        return None
    o = to_literal(cand.object, None) if prop.kind == "data" else \
        kg.entity_iri(snake_case(cand.object) or cand.object)
    return (s, prop.iri, o)


def find_fact(kg: KnowledgeGraph, key: tuple[Any, Any, Any] | None, source: str | None) -> Fact | None:
    if key is None or not kg.contains(*key):
        return None
    if source is not None:
        for f in kg.facts(source):
            if f.key == key:
                return f
    for f in kg:
        if f.key == key:
            return f
    return None


def _row(kind: str, idx: int, ct: Any, result: Any, session: Any) -> dict[str, Any]:
    c = ct.candidate
    kg = getattr(session, "kg", None)
    onto = getattr(session, "ontology", None)
    flags = list(getattr(ct, "flags", []) or [])
    if kind == "a":
        key = (ct.subject, ct.predicate, ct.object)
        in_kg = kg is not None and kg.contains(*key)
        if in_kg and flags and kg is not None:  # (in_kg implies a KG)
            fact = find_fact(kg, key, result.source)
            flags = list(fact.evidence.flags) if fact is not None else flags  # a later stated type verifies it
        status = ("flagged" if flags else "accepted") if in_kg or kg is None else "removed"
    else:
        cand_key = candidate_key(session, c) if session is not None else None
        fact = find_fact(kg, cand_key, result.source) if kg is not None else None
        status = "user" if fact is not None and fact.evidence.decision == "user" else "rejected"
    issues = [issue_dict(i) for i in ct.issues]
    return {
        "id": f"{kind}{idx}", "status": status,
        "subject": c.subject, "predicate": c.predicate, "object": c.object,
        "subject_text": c.subject_text, "object_text": c.object_text,
        "rdf": [_term(ct.subject, kg, onto), _term(ct.predicate, kg, onto), _term(ct.object, kg, onto)]
        if ct.subject is not None else [],
        "issues": issues, "codes": [i["code"] for i in issues if i["severity"] == "error"],
        "flags": flags, "basis": getattr(ct, "type_basis", "") if flags else "",
        "sentence": getattr(ct, "sentence", "") or c.sentence,
        "segments": evidence_segments(getattr(ct, "sentence", "") or c.sentence, result.text, ct.subject_span,
                                      ct.object_span, c.subject_text, c.object_text,
                                      cue_span=next((i.data["cue_span"] for i in ct.issues if "cue_span" in i.data),
                                                    None)),
        "chunk": c.chunk,
    }


def extraction_state(result: Any, cap: int = ROW_CAP) -> dict[str, Any]:
    """JSON state of the extraction view: every candidate, its verdict, evidence and current status.

    At most ``cap`` rows are shipped (rejected ones first, since they are the
    ones a user acts on); ``hidden`` counts the rest.
    """
    session = result.session
    n_rej = min(len(result.rejected), cap)
    n_acc = min(len(result.accepted), cap - n_rej)
    # Rejected rows first (a user acts on them), then relations, then typings: a text's isA rows
    # outnumber its relations and would push them below the fold. Ids keep each row's index.
    accepted = sorted(enumerate(result.accepted), key=lambda ic: ic[1].predicate == RDF.type)[:n_acc]
    rows = [_row("r", i, r.checked, result, session) for i, r in enumerate(result.rejected[:n_rej])]
    rows += [_row("a", i, ct, result, session) for i, ct in accepted]
    return {
        "source": result.source, "engine": result.engine, "seconds": round(result.seconds, 3),
        "chunks": result.chunks, "replaced": result.replaced,
        "counts": {"accepted": len(result.accepted), "rejected": len(result.rejected),
                   "verified": len(result.verified), "type_inferred": len(result.flagged),
                   "upgraded": len(result.upgraded),
                   "kg": len(session.kg) if session is not None else None},
        "summary": result.summary(),
        "by_code": dict(sorted(result.rejected_by_code().items())),
        "failed_chunks": [[i, str(e)] for i, e in result.failed_chunks],
        "rows": rows,
        "hidden": len(result.accepted) + len(result.rejected) - len(rows),
        "actions": session is not None,
    }


# --------------------------------------------------------------------------- report
def report_state(report: Any, cap: int = ISSUE_CAP) -> dict[str, Any]:
    """JSON state of a verification report: counts by severity and rule, and the issues.

    Generic over any object with an ``issues`` list of :class:`~hydra_magic.issues.Issue`
    records; ``counts()`` is used for the severity totals when present.
    """
    from .issues import CODES

    issues = list(getattr(report, "issues", []) or [])
    sev = Counter(str(getattr(i, "severity", "error")) for i in issues)
    counts: dict[str, int] = {k: sev.get(k, 0) for k in ("error", "warning", "info")}
    counts.update({k: v for k, v in sev.items() if k not in counts})
    reported = getattr(report, "counts", None)
    if callable(reported):
        try:
            got = reported()
        except TypeError:
            got = None
        if (isinstance(got, dict) and all(isinstance(v, int) for v in got.values())
                and set(got) & {"error", "warning", "info"}):
            counts = {**counts, **{str(k): v for k, v in got.items()}}
    rules: dict[tuple[str, str], int] = Counter((str(i.code), str(getattr(i, "severity", "error"))) for i in issues)
    order = {"error": 0, "warning": 1, "info": 2}
    by_rule = [{"code": code, "severity": s, "count": n, "description": CODES.get(code, "")}
               for (code, s), n in sorted(rules.items(), key=lambda kv: (order.get(kv[0][1], 3), -kv[1], kv[0][0]))]
    ranked = sorted(issues, key=lambda i: order.get(str(getattr(i, "severity", "error")), 3))
    title = getattr(report, "title", None) or "Verification report"
    summary = ""
    for attr in ("summary", "to_text"):
        v = getattr(report, attr, None)
        v = v() if callable(v) else v
        if isinstance(v, str) and v.strip():
            summary = v.strip().splitlines()[0]
            break
    cq_tests = []
    for t in list(getattr(report, "cq_tests", None) or [])[:500]:
        cq = getattr(t, "cq", None)
        cq_tests.append({"text": str(getattr(cq, "text", cq) or ""), "status": str(getattr(t, "status", "")),
                         "answers": [str(a) for a in list(getattr(t, "answers", None) or [])[:10]],
                         "rows": int(getattr(t, "row_count", 0) or 0), "reason": str(getattr(t, "reason", "") or ""),
                         "sparql": str(getattr(t, "sparql", "") or "")})
    notes = [str(n) for n in list(getattr(report, "notes", None) or [])[:50]]
    return {"title": str(title), "summary": summary, "total": len(issues), "counts": counts,
            "by_rule": by_rule, "issues": [issue_dict(i) for i in ranked[:cap]],
            "more": max(0, len(issues) - cap), "cq_tests": cq_tests, "notes": notes}



# --------------------------------------------------------------------------- SPARQL
def query_prefixes(session: Any) -> dict[str, str]:
    """The prefixes a ``%%sparql`` table shortens IRIs with: the ontology's bindings, ``onto:`` and ``ent:``."""
    prefixes = {p: str(ns) for p, ns in session.ontology.graph.namespaces() if p}
    prefixes.update({"onto": str(session.ontology.ns), "ent": str(session.kg.entity_ns)})
    return prefixes


def sparql_rows(result: Any, prefixes: dict[str, str]) -> dict[str, Any]:
    """An rdflib query result as ``{"kind", "answer", "columns", "rows", "display"}``.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE: subject, predicate,
    object rows). ``rows`` hold Python values (``str`` for IRIs, ``int``/``float``/``date``/…
    for typed literals); ``display`` holds the same rows as text, IRIs shortened by prefix.
    """
    from rdflib import BNode, Literal, URIRef

    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def show(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, URIRef):
            s = str(v)
            for p, ns in ordered:
                if s.startswith(ns) and s != ns:
                    local = s[len(ns):]
                    if local.replace("_", "a").replace("-", "a").replace(".", "a").isalnum():
                        return f"{p}:{local}"
            return f"<{s}>"
        return str(v)

    def py(v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, Literal):
            value = v.toPython()
            return str(value) if isinstance(value, Literal) else value
        if isinstance(v, (URIRef, BNode)):
            return str(v)
        return v

    if result.type == "ASK":
        return {"kind": "ask", "answer": bool(result.askAnswer), "columns": [], "rows": [], "display": []}
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars]
        raw = [[row[i] if i < len(row) else None for i in range(len(columns))] for row in result]
        kind = "select"
    else:  # CONSTRUCT / DESCRIBE
        columns = ["subject", "predicate", "object"]
        raw = [list(t) for t in result.graph]
        kind = "graph"
    return {"kind": kind, "answer": None, "columns": columns,
            "rows": [{c: py(v) for c, v in zip(columns, r)} for r in raw],
            "display": [[show(v) for v in r] for r in raw]}
