"""Interactive views (anywidget) and the JSON state they show.

Every view has two halves:

* a *state builder* — a pure function from session objects to JSON-ready
  dicts (``ontology_state``, ``extraction_state``, ``report_state``,
  :class:`GraphIndex`). :mod:`hydra_magic.html` renders the very same state as
  static HTML, so a saved notebook and a live widget show the same thing;
* a widget class (``OntologyView``, ``ExtractionView``, ``GraphExplorer``,
  ``ReportView``) whose front end is a plain ES module in ``widgets/``.

anywidget (and with it ipywidgets) is imported only when a widget is made, so
``import hydra_magic.views`` and ``%load_ext hydra_magic`` stay light. The
widget classes are created on first attribute access (``views.GraphExplorer``).

Views never change the session themselves: "accept anyway" and "remove" call
:meth:`Session.accept_anyway` / :meth:`Session.remove_fact`, which journal the
decision exactly as if the user had called them.

Widget state is JSON only; text is never escaped here — the front end renders
every user or model string with ``textContent``.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Literal, URIRef

from .iri import local_name, snake_case
from .ontology import Ontology
from .wording import count

if TYPE_CHECKING:  # pragma: no cover
    import anywidget

    from .kg import Fact, KnowledgeGraph

__all__ = [
    "EXPAND_CAP",
    "INITIAL_CAP",
    "ROW_CAP",
    "VIEW_CAP",
    "WIDGET_MIME",
    "ExtractionView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "GraphDisplay",
    "GraphExplorer",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "GraphIndex",
    "OntologyDisplay",
    "OntologyView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "ReportView",  # noqa: F822 - created on first access (module __getattr__), so anywidget loads lazily
    "evidence_segments",
    "extraction_state",
    "graph",
    "graph_index",
    "mimebundle",
    "ontology",
    "ontology_state",
    "report_state",
    "widget_for",
    "widgets_dir",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Neighbours added per expansion of a node in the explorer ("N more" beyond that).
EXPAND_CAP = 50
#: Nodes shown when the explorer opens (the top-degree ones).
INITIAL_CAP = 40
#: Nodes the explorer keeps on screen at most; beyond that it asks for a reset.
VIEW_CAP = 1500
#: Candidate rows shipped to the extraction widget at most (rejected ones first).
ROW_CAP = 2000
#: Issues shipped to the report widget at most (the counts always cover all of them).
ISSUE_CAP = 2000

#: Class colours of the explorer (colour-blind friendly, Okabe–Ito + extras).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#6A3D9A", "#8C564B", "#17BECF", "#7F7F7F", "#BCBD22")
UNTYPED_COLOR = "#9E9E9E"


# --------------------------------------------------------------------------- assets
def widgets_dir() -> Path:
    """The folder with the ES modules and CSS: ``hydra_magic/static`` in a wheel, ``<repo>/widgets`` in a checkout."""
    here = Path(__file__).resolve().parent
    for cand in (here / "static", here.parent / "widgets"):
        if (cand / "hydra.css").is_file():
            return cand
    raise FileNotFoundError(
        f"hydra_magic's widget assets are missing (looked in {here / 'static'} and {here.parent / 'widgets'}). "
        "Reinstall the package (pip install --force-reinstall hydra_magic).")


# --------------------------------------------------------------------------- helpers
def _name(onto: Ontology | None, iri: Any) -> str:
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
    return _name(onto, node)


def _issue_dict(issue: Any) -> dict[str, Any]:
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


def _compiled(session: Any, cq: Any) -> tuple[str | None, str] | None:
    """The CQ compiled to SPARQL the way ``%hydra verify`` reads it (``None`` when verify is unavailable).

    Only the vocabulary matters here (an empty fact index): can the ontology
    express the question, not does the KG answer it yet.
    """
    try:
        from .verify.cq_tests import compile_cq, read_cq
        from .verify.index import FactIndex

        return compile_cq(read_cq(cq, session, FactIndex()), session, FactIndex())
    except Exception:  # verify is optional for the views: fall back to the label match
        return None


def _cq_status(onto: Ontology, cq: Any, added: list[str], session: Any = None) -> dict[str, Any]:
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
    compiled = _compiled(session, cq) if session is not None and getattr(session, "ontology", None) is onto else None
    if compiled is not None:
        query, reason = compiled
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
        for f in kg:
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
                            "parent": _name(onto, c.parent) if c.parent else "", "depth": depth,
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
            rng = [_name(onto, r) for r in p.range] or (["xsd:string"] if p.kind == "data" else [])
            props[p.kind].append({"name": p.name, "label": p.label, "iri": str(p.iri), "kind": p.kind,
                                  "domain": [_name(onto, d) for d in p.domain], "range": rng,
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
            st = _cq_status(onto, cq, added, session)
        else:
            st = {"status": "missing", "terms": [], "reason": ""}
        cqs.append({"id": cq.id, "text": cq.text, "expected": list(cq.expected), "sparql": cq.sparql or "",
                    "added": added, **st})
    state: dict[str, Any] = {
        "classes": classes, "object_properties": props["object"], "data_properties": props["data"],
        "cqs": cqs,
        "counts": {"classes": len(classes), "object_properties": len(props["object"]),
                   "data_properties": len(props["data"]), "cqs": len(cqs),
                   "facts": len(kg) if kg is not None else 0},
        "result": None,
    }
    if result is not None:
        state["result"] = {
            "summary": result.to_text().splitlines()[0],
            "engine": result.engine, "seconds": round(result.seconds, 3),
            "added_classes": [c.describe() for c in result.added_classes],
            "added_properties": [p.describe() for p in result.added_properties],
            "rejected": [{"what": item.describe(), "origin": getattr(item, "origin", ""),
                          "issues": [_issue_dict(i) for i in issues]} for item, issues in result.rejected],
            "issues": [_issue_dict(i) for i in result.issues],
            "other": contributions.get("(other)", []),
        }
    return state


# --------------------------------------------------------------------------- extraction
def _candidate_key(session: Any, cand: Any) -> tuple[Any, Any, Any] | None:
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


def _find_fact(kg: KnowledgeGraph, key: tuple[Any, Any, Any] | None, source: str | None) -> Fact | None:
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
            fact = _find_fact(kg, key, result.source)
            flags = list(fact.evidence.flags) if fact is not None else flags  # a later stated type verifies it
        status = ("flagged" if flags else "accepted") if in_kg or kg is None else "removed"
    else:
        cand_key = _candidate_key(session, c) if session is not None else None
        fact = _find_fact(kg, cand_key, result.source) if kg is not None else None
        status = "user" if fact is not None and fact.evidence.decision == "user" else "rejected"
    issues = [_issue_dict(i) for i in ct.issues]
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
            "by_rule": by_rule, "issues": [_issue_dict(i) for i in ranked[:cap]],
            "more": max(0, len(issues) - cap), "cq_tests": cq_tests, "notes": notes}


# --------------------------------------------------------------------------- graph
#: Facts listed per relation in the explorer's node panel, and in all (the counts always cover every fact).
FACTS_PER_RELATION = 12
FACTS_CAP = 80
#: Longest evidence sentence shipped to the node panel (characters).
SENTENCE_CAP = 320


class GraphIndex:
    """Adjacency of the KG for the explorer: entities as nodes, object-property facts as edges.

    Built once per explorer from the session's facts (``O(facts)``), and again after
    each change of the session (see :meth:`Session.subscribe`); every neighbourhood
    request is then answered from memory, capped, so that a large graph is never
    shipped whole to the browser. Each node also keeps its facts (references, with
    their evidence) for the node panel.
    """

    def __init__(self, kg: KnowledgeGraph, ontology: Ontology | None = None) -> None:
        from .kg import ALT_LABEL

        self.kg, self.ontology = kg, ontology
        self.revision = getattr(kg, "revision", 0)
        ids: dict[URIRef, int] = {}
        self.entities: list[URIRef] = []
        adj: list[list[tuple[int, int, bool]]] = []  # node -> (predicate id, other node, outgoing)
        node_facts: list[list[Fact]] = []  # node -> its facts (as subject or object), every source
        self.literals: dict[int, list[tuple[int, str]]] = {}
        self.types: dict[int, set[URIRef]] = {}
        self.alt_labels: dict[int, list[str]] = {}
        self.predicates: list[URIRef] = []
        pids: dict[URIRef, int] = {}
        self.edge_count = 0
        rel_edges: Counter[int] = Counter()

        # Hot loop (once per explorer, O(facts)): locals only, predicates mapped to small ints
        # so the typing test is an int comparison, not rdflib's Python-level __eq__.
        entities, literals, types, predicates = self.entities, self.literals, self.types, self.predicates
        type_pid = alt_pid = -1
        multi = len(kg.sources()) > 1
        seen: set[tuple[Any, Any, Any]] = set()
        edges = 0
        n_facts = 0
        for f in kg:
            n_facts += 1
            subj, pred, obj = f.subject, f.predicate, f.object
            s = ids.get(subj)
            if s is None:
                s = ids[subj] = len(entities)
                entities.append(subj)
                adj.append([])
                node_facts.append([])
            node_facts[s].append(f)
            p = pids.get(pred)
            if p is None:
                p = pids[pred] = len(predicates)
                predicates.append(pred)
                if pred == RDF.type:
                    type_pid = p
                elif pred == ALT_LABEL:
                    alt_pid = p
            o = -1
            if p != type_pid and isinstance(obj, URIRef):
                known = ids.get(obj)
                if known is None:
                    known = ids[obj] = len(entities)
                    entities.append(obj)
                    adj.append([])
                    node_facts.append([])
                o = known
                if o != s:
                    node_facts[o].append(f)
            if multi:  # the same triple from two sources is one edge (both facts stay in the panel)
                key = (subj, pred, obj)
                if key in seen:
                    continue
                seen.add(key)
            if p == type_pid:
                types.setdefault(s, set()).add(obj)  # type: ignore[arg-type]
            elif o >= 0:
                adj[s].append((p, o, True))
                adj[o].append((p, s, False))
                rel_edges[p] += 1
                edges += 1
            else:
                literals.setdefault(s, []).append((p, str(obj)))
                if p == alt_pid:
                    self.alt_labels.setdefault(s, []).append(str(obj))
        self.edge_count = edges
        self.fact_count = n_facts
        self.ids = ids
        self.adj = adj
        self.node_facts = node_facts
        self.labels = [kg.label(e) for e in self.entities]
        # What search matches: the label, the IRI's name when the label differs from it, and alt labels.
        self._folded = []
        for i, (e, lab) in enumerate(zip(self.entities, self.labels)):
            name = local_name(e).replace("_", " ")
            keys = [lab] if name.lower() == lab.lower() else [lab, name]
            self._folded.append("\x00".join(keys + self.alt_labels.get(i, [])).lower())
        self.pred_names = [_name(ontology, p) for p in self.predicates]
        #: Object-property relations with their number of links, most used first.
        self.relations = sorted(((self.pred_names[p], n) for p, n in rel_edges.items()), key=lambda x: (-x[1], x[0]))
        # One colour per class, in order of size, so the legend is stable for a given KG.
        cls_of: list[str] = []
        sizes: Counter[str] = Counter()
        for i in range(len(self.entities)):
            c = self._class_name(i)
            cls_of.append(c)
            sizes[c] += 1
        self.node_class = cls_of
        ordered = [c for c, _ in sizes.most_common() if c]
        self.colors = {c: PALETTE[k % len(PALETTE)] for k, c in enumerate(ordered)}
        self.colors[""] = UNTYPED_COLOR
        self.class_sizes = sizes

    def _class_name(self, i: int) -> str:
        types = self.types.get(i)
        if not types:
            return ""
        onto = self.ontology
        if onto is not None and len(types) > 1:  # the most specific type names the node
            return _name(onto, max(types, key=lambda t: (len(onto.ancestors(t)), str(t))))
        return _name(onto, min(types, key=str))

    def __len__(self) -> int:
        return len(self.entities)

    def degree(self, i: int) -> int:
        return len(self.adj[i])

    def node(self, i: int) -> dict[str, Any]:
        return {"id": i, "iri": str(self.entities[i]), "label": self.labels[i], "cls": self.node_class[i],
                "degree": len(self.adj[i])}

    def top(self, n: int) -> list[int]:
        """The ``n`` nodes of highest degree (ties by label)."""
        return heapq.nsmallest(n, range(len(self.entities)), key=lambda i: (-len(self.adj[i]), self.labels[i]))

    def initial(self, n: int, scan: int = 5000) -> list[int]:
        """The opening picture: the top-degree half of ``n``, then the nodes that link most of them.

        Hubs are rarely linked to each other directly (actors and studios meet
        through films), so the top-degree nodes alone draw as isolated dots;
        adding the neighbours shared by most of them shows how they connect.
        """
        seeds = self.top(max(1, n // 2))
        chosen = set(seeds)
        shared: Counter[int] = Counter()
        for s in seeds:
            for k, (_, o, _) in enumerate(self.adj[s]):
                if k >= scan:
                    break
                if o not in chosen:
                    shared[o] += 1
        rest = heapq.nsmallest(max(0, n - len(seeds)), shared,
                               key=lambda j: (-shared[j], -len(self.adj[j]), self.labels[j]))
        return seeds + rest

    def neighbours(self, i: int) -> list[int]:
        """Distinct neighbours of ``i``, highest degree first."""
        seen: dict[int, None] = {}
        for _, o, _ in self.adj[i]:
            if o != i:
                seen.setdefault(o, None)
        return sorted(seen, key=lambda j: (-len(self.adj[j]), self.labels[j]))

    def edges_between(self, i: int, shown: set[int], limit: int = 4000) -> list[dict[str, Any]]:
        """Edges from ``i`` to nodes in ``shown`` (scans at most ``limit`` adjacency entries)."""
        out = []
        for k, (p, o, outgoing) in enumerate(self.adj[i]):
            if k >= limit:
                break
            if o in shown:
                s, t = (i, o) if outgoing else (o, i)
                out.append({"s": s, "t": t, "p": self.pred_names[p]})
        return out

    def search(self, query: str, n: int = 20) -> list[int]:
        """Nodes whose label, name or alternative label contains ``query`` (case-insensitive), prefix matches first."""
        q = query.strip().lower()
        if not q:
            return []
        q = q.replace("_", " ")
        hits = []
        for i, low in enumerate(self._folded):
            pos = low.find(q)
            if pos >= 0:
                hits.append((pos != 0, -len(self.adj[i]), self.labels[i], i))
        return [h[3] for h in heapq.nsmallest(n, hits)]

    def facts(self, i: int, per_relation: int = FACTS_PER_RELATION, cap: int = FACTS_CAP) -> list[dict[str, Any]]:
        """The facts of node ``i`` grouped by relation and direction, each with its evidence.

        Groups: ``{"rel", "dir": "type" | "out" | "in" | "value", "count", "facts": [...], "more"}``;
        a fact: ``{"text", "other" (node id or None), "sentence", "source", "flags", "basis", "user"}``.
        """
        ids, onto = self.ids, self.ontology
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for f in self.node_facts[i]:
            out = ids.get(f.subject) == i
            other: int | None = None
            if f.predicate == RDF.type and out:
                rel, kind, text = "type", "type", _name(onto, f.object)
            elif isinstance(f.object, URIRef) and f.object in ids:
                rel, kind = _name(onto, f.predicate), ("out" if out else "in")
                other = ids[f.object] if out else ids[f.subject]
                text = self.labels[other]
            else:
                rel, kind, text = _name(onto, f.predicate), "value", str(f.object)
            g = groups.setdefault((kind, rel), {"rel": rel, "dir": kind, "count": 0, "facts": []})
            g["count"] += 1
            if len(g["facts"]) < per_relation:
                ev = f.evidence
                sentence = " ".join(ev.sentence.split())
                g["facts"].append({"text": text, "other": other,
                                   "sentence": sentence if len(sentence) <= SENTENCE_CAP
                                   else sentence[:SENTENCE_CAP - 1] + "…",
                                   "source": ev.source, "flags": list(ev.flags), "basis": ev.basis,
                                   "user": ev.decision == "user"})
        order = {"type": 0, "out": 1, "value": 2, "in": 3}
        ranked = sorted(groups.values(), key=lambda g: (order[g["dir"]], g["rel"].lower()))
        budget = cap
        for g in ranked:
            g["facts"] = g["facts"][:max(0, budget)]
            budget -= len(g["facts"])
            g["more"] = g["count"] - len(g["facts"])
        return ranked

    def details(self, i: int, n: int = 30) -> dict[str, Any]:
        lits = self.literals.get(i, [])
        return {"id": i, "label": self.labels[i], "iri": str(self.entities[i]), "cls": self.node_class[i],
                "types": sorted(_name(self.ontology, t) for t in self.types.get(i, ())),
                "alt_labels": list(self.alt_labels.get(i, [])),
                "degree": len(self.adj[i]), "fact_count": len(self.node_facts[i]),
                "values": [[self.pred_names[p], v] for p, v in lits[:n]], "more_values": max(0, len(lits) - n),
                "facts": self.facts(i)}


def graph_index(session: Any) -> GraphIndex:
    """The explorer index of ``session``'s KG as it is now, shared by every explorer of the session.

    Kept in ``session.view_state`` and rebuilt only when the KG or the ontology changed:
    explorers left open in earlier cells then cost one rebuild per change, not one each.
    """
    kg, onto = session.kg, getattr(session, "ontology", None)
    key = (id(kg), getattr(kg, "revision", None), id(getattr(onto, "classes", None)),
           len(onto.graph) if onto is not None else 0)
    cached = getattr(session, "view_state", None)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key:
        return cached[1]
    index = GraphIndex(kg, onto)
    if hasattr(session, "view_state"):
        session.view_state = (key, index)
    return index


class _ExplorerModel:
    """What the explorer shows, and how it grows; pure Python (the widget syncs its fields)."""

    def __init__(self, index: GraphIndex, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP,
                 view_cap: int = VIEW_CAP) -> None:
        self.index, self.initial, self.cap, self.view_cap = index, initial, cap, view_cap
        self.notice: dict[str, str] | None = None  # the outcome of the last action (merge), shown once
        self.reset()

    def reset(self) -> None:
        self.shown: dict[int, dict[str, Any]] = {}
        self.edges: dict[tuple[int, int, str], dict[str, Any]] = {}
        self.expanded: set[int] = set()
        self._nbrs: dict[int, list[int]] = {}
        self.message = ""
        self.selected: dict[str, Any] | None = None
        self._add(self.index.initial(self.initial))

    def rebuild(self, index: GraphIndex) -> None:
        """Show ``index`` (the KG after a change), keeping what the user had on screen that still exists.

        A view the user has not touched (nothing expanded or selected) opens afresh on
        the best-connected entities; otherwise the shown, expanded and selected nodes that
        are still in the graph stay (node ids change: they are positions in the new index).
        """
        old = self.index
        kept = [old.entities[i] for i in self.shown]
        expanded = [old.entities[i] for i in self.expanded]
        selected = old.entities[self.selected["id"]] if self.selected is not None else None
        touched = bool(self.expanded or self.selected is not None)
        self.index = index
        ids = [index.ids[e] for e in kept if e in index.ids]
        if not touched or not ids:
            self.reset()
            return
        self.shown, self.edges, self._nbrs, self.message = {}, {}, {}, ""
        self.expanded = {index.ids[e] for e in expanded if e in index.ids}
        self._add(ids)
        for i in self.expanded:
            self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        self.selected = index.details(index.ids[selected]) if selected in index.ids else None

    def neighbours(self, i: int) -> list[int]:
        nb = self._nbrs.get(i)
        if nb is None:
            nb = self._nbrs[i] = self.index.neighbours(i)
        return nb

    def _add(self, nodes: Iterable[int]) -> list[int]:
        added = []
        for i in nodes:
            if i in self.shown:
                continue
            self.shown[i] = self.index.node(i)
            added.append(i)
        keys = set(self.shown)
        for i in added:
            for e in self.index.edges_between(i, keys):
                self.edges.setdefault((e["s"], e["t"], e["p"]), e)
        if added:
            for i in self.expanded:  # "N more" counts neighbours that are not on screen
                self.shown[i]["more"] = sum(1 for j in self.neighbours(i) if j not in self.shown)
        return added

    def expand(self, i: int) -> list[int]:
        """Add the next ``cap`` neighbours of ``i`` that are not shown yet (highest degree first)."""
        if not 0 <= i < len(self.index):
            raise KeyError(i)
        self._add([i])
        self.expanded.add(i)
        hidden = [j for j in self.neighbours(i) if j not in self.shown]
        room = max(0, self.view_cap - len(self.shown))
        batch = hidden[:min(self.cap, room)]
        added = self._add(batch)
        self.shown[i]["more"] = len(hidden) - len(batch)
        self.message = (f"The view holds {len(self.shown)} nodes, the most it shows; reset it to explore elsewhere."
                        if len(batch) < min(self.cap, len(hidden)) else "")
        self.selected = self.index.details(i)
        return added

    def select(self, i: int) -> None:
        """Select ``i`` (shown on screen if it was not) without expanding it."""
        if not 0 <= i < len(self.index):
            raise KeyError(i)
        self._add([i])
        self.selected = self.index.details(i)

    def focus(self, i: int) -> None:
        """Show ``i`` (from a search result), select it and expand it."""
        self.expand(i)

    def state(self) -> dict[str, Any]:
        idx = self.index
        classes = Counter(n["cls"] for n in self.shown.values())
        on_screen = Counter(e["p"] for e in self.edges.values())
        notice, self.notice = self.notice, None
        return {
            "nodes": list(self.shown.values()),
            "edges": list(self.edges.values()),
            "legend": [{"cls": c or "(untyped)", "key": c, "color": idx.colors.get(c, UNTYPED_COLOR),
                        "shown": classes.get(c, 0), "total": idx.class_sizes.get(c, 0)}
                       for c in sorted(idx.class_sizes, key=lambda c: -idx.class_sizes[c])][:24],
            "relations": [{"name": name, "total": n, "shown": on_screen.get(name, 0)}
                          for name, n in idx.relations[:40]],
            "colors": idx.colors,
            "totals": {"nodes": len(idx), "edges": idx.edge_count, "facts": idx.fact_count},
            "revision": idx.revision,
            "cap": self.cap,
            "message": self.message,
            "notice": notice,
            "selected": self.selected,
        }


# --------------------------------------------------------------------------- widgets
def _widgets_enabled() -> bool:
    """``HYDRA_WIDGETS=0`` turns the widgets off (static HTML only), e.g. for notebooks meant for nbviewer."""
    return os.environ.get("HYDRA_WIDGETS", "1").strip().lower() not in ("0", "false", "no", "off")


def _in_kernel() -> bool:
    """True in a Jupyter kernel (where a widget has a front end to talk to)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def _module(assets: Path, name: str) -> str:
    """A view's ES module with the shared DOM helper (``dom.js``) in front of it."""
    return (assets / "dom.js").read_text(encoding="utf-8") + "\n" + (assets / name).read_text(encoding="utf-8")


@functools.cache
def _widget_classes() -> dict[str, type]:
    """Create the widget classes (imports anywidget; done once, on first use)."""
    import anywidget
    import traitlets as t

    assets = widgets_dir()
    css = assets / "hydra.css"

    class OntologyView(anywidget.AnyWidget):
        """Class tree, object and data properties (domain → range), and the CQs with what each contributed."""

        _esm = _module(assets, "ontology.js")
        _css = css
        data = t.Dict().tag(sync=True)
        message = t.Unicode("").tag(sync=True)

        def __init__(self, session: Any = None, *, result: Any = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.session = session if session is not None else getattr(result, "session", None)
            self.result = result
            self.refresh()
            self.on_msg(self._on_msg)

        def refresh(self) -> None:
            self.data = ontology_state(self.session, result=self.result)

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict) and content.get("type") == "refresh":
                self.refresh()

    class ExtractionView(anywidget.AnyWidget):
        """Accepted and rejected candidates with rule, message, hint and highlighted evidence; per-row actions."""

        _esm = _module(assets, "extraction.js")
        _css = css
        data = t.Dict().tag(sync=True)
        message = t.Dict().tag(sync=True)

        def __init__(self, result: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.result = result
            self.session = result.session
            self._facts: dict[str, Any] = {}
            self.data = extraction_state(result)
            self.on_msg(self._on_msg)

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict) and content.get("type") == "action":
                self.act(str(content.get("action", "")), str(content.get("row", "")))

        def act(self, action: str, row: str) -> dict[str, Any]:
            """Perform ``"accept"`` (accept anyway) or ``"remove"`` on row ``row``; returns the message shown."""
            from .errors import HydraError

            try:
                text = self._act(action, row)
                msg = {"kind": "ok", "text": text, "row": row}
            except (HydraError, KeyError, ValueError) as exc:
                msg = {"kind": "error", "text": str(exc).strip("'\""), "row": row}
            # message first: the front end clears its "working" state when the new data arrives
            self.message = msg
            self.data = extraction_state(self.result)
            return msg

        def _act(self, action: str, row: str) -> str:
            if self.session is None:
                raise ValueError("This result has no session, so it cannot be changed.")
            kind, idx = row[:1], int(row[1:] or -1)
            res = self.result
            if kind == "r" and 0 <= idx < len(res.rejected):
                checked, cand = res.rejected[idx], res.rejected[idx].checked.candidate
            elif kind == "a" and 0 <= idx < len(res.accepted):
                checked, cand = res.accepted[idx], res.accepted[idx].candidate
            else:
                raise KeyError(f"There is no row {row!r} in this extraction.")
            if action == "accept":
                if kind != "r":
                    raise ValueError(f"{cand} was accepted by the contracts already.")
                fact = self.session.accept_anyway(checked, source=res.source)
                self._facts[row] = fact
                return (f"Accepted {cand} anyway; the journal records your decision "
                        f"({count(len(self.session.kg), 'fact')}).")
            if action == "remove":
                fact = self._facts.get(row)
                if fact is None or not self.session.kg.contains(*fact.key):
                    key = (checked.subject, checked.predicate, checked.object) if kind == "a" \
                        else _candidate_key(self.session, cand)
                    fact = _find_fact(self.session.kg, key, res.source)
                if fact is None:
                    raise ValueError(f"{cand} is not in the knowledge graph (already removed?).")
                self.session.remove_fact(fact)
                self._facts.pop(row, None)
                return f"Removed {cand} from the knowledge graph ({count(len(self.session.kg), 'fact')})."
            raise ValueError(f"Unknown action {action!r}; use 'accept' or 'remove'.")

    class GraphExplorer(anywidget.AnyWidget):
        """Node-link diagram of the KG: top-degree nodes first, click to expand (capped), search by label.

        The explorer follows its session: after every change and undo (one
        :class:`~hydra_magic.session.SessionEvent`) it rebuilds its index and keeps the
        nodes on screen that still exist. ``close()`` stops listening.
        """

        _esm = _module(assets, "explorer.js")
        _css = css
        data = t.Dict().tag(sync=True)
        search_results: t.List[Any] = t.List().tag(sync=True)
        height = t.Int(520).tag(sync=True)

        def __init__(self, session: Any, *, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP,
                     view_cap: int = VIEW_CAP, index: GraphIndex | None = None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.session = session
            if index is not None and index.revision != getattr(session.kg, "revision", index.revision):
                index = None  # built before a change: stale
            self.model = _ExplorerModel(index or graph_index(session), initial, cap, view_cap)
            self.data = self.model.state()
            self.on_msg(self._on_msg)
            subscribe = getattr(session, "subscribe", None)
            # A bound method: the session holds it weakly, and close() unsubscribes.
            self._unsubscribe = subscribe(self._on_session_event) if callable(subscribe) else None

        def _on_session_event(self, event: Any) -> None:
            self.sync()

        def sync(self) -> None:
            """Re-read the session's KG, keeping the nodes on screen that still exist."""
            self.model.rebuild(graph_index(self.session))
            self.data = self.model.state()

        def close(self) -> None:
            if self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None
            super().close()

        def _on_msg(self, _w: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict):
                self.handle(content)

        def handle(self, content: dict[str, Any]) -> None:
            """Answer one front-end request: expand / more / focus / search / select / reset / refresh / merge."""
            kind = content.get("type")
            m = self.model
            try:
                if kind in ("expand", "more", "focus"):
                    m.expand(int(content["id"]))
                elif kind == "select":
                    m.select(int(content["id"]))
                elif kind == "search":
                    idx = m.index
                    found = [idx.node(i) for i in idx.search(str(content.get("q", "")))]
                    if found == self.search_results:  # the same answer to a new question: send it anyway,
                        self.send_state("search_results")  # the front end cleared its copy and waits
                    else:
                        self.search_results = found
                    return
                elif kind == "reset":
                    m.reset()
                elif kind == "refresh":
                    self.sync()
                    return
                elif kind == "merge":
                    self.merge(int(content["id"]), str(content.get("into", "")))
                    return
                else:
                    return
            except (KeyError, ValueError, IndexError, TypeError):
                m.message = f"Unknown node {content.get('id')!r}."
            self.data = m.state()

        def merge(self, i: int, into: str) -> dict[str, str]:
            """Merge node ``i`` into the entity named ``into`` (:meth:`Session.merge`); returns the notice shown."""
            from .errors import HydraError

            entity = self.model.index.entities[i]
            try:
                result = self.session.merge(entity, into)  # the session's event re-syncs this view
                m = self.model
                kept = m.index.ids.get(result.kept)
                if kept is not None:
                    m.select(kept)
                notice = {"kind": "ok", "text": result.to_text()}
            except HydraError as exc:
                notice = {"kind": "error", "text": str(exc)}
            self.model.notice = notice
            self.data = self.model.state()
            return notice

    class ReportView(anywidget.AnyWidget):
        """Verification report: counts by severity and rule, drill-down to every issue."""

        _esm = _module(assets, "report.js")
        _css = css
        data = t.Dict().tag(sync=True)

        def __init__(self, report: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.report = report
            self.data = report_state(report)

    return {c.__name__: c for c in (OntologyView, ExtractionView, GraphExplorer, ReportView)}


def __getattr__(name: str) -> Any:
    if name in ("OntologyView", "ExtractionView", "GraphExplorer", "ReportView"):
        return _widget_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- displays
class OntologyDisplay:
    """What ``%hydra ontology`` returns: the session's ontology as text, static HTML and a widget."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def to_text(self) -> str:
        st = ontology_state(self.session, instance_counts=False)
        lines = [(f"ontology: {count(st['counts']['classes'], 'class')}, {st['counts']['object_properties']} object "
                  f"and {count(st['counts']['data_properties'], 'data property')}, {count(st['counts']['cqs'], 'CQ')}")]
        lines += ["  " * c["depth"] + f"  {c['name']}" for c in st["classes"]]
        for p in st["object_properties"] + st["data_properties"]:
            lines.append(f"  {p['name']}: {' | '.join(p['domain']) or '?'} -> {' | '.join(p['range']) or '?'}")
        for cq in st["cqs"]:
            lines.append(f"  [{cq['status']}] {cq['text']}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self)


class GraphDisplay:
    """What ``%hydra graph`` returns: a summary, a static picture of the top nodes, and the explorer."""

    def __init__(self, session: Any, *, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP) -> None:
        self.session, self.initial, self.cap = session, initial, cap

    @property
    def index(self) -> GraphIndex:
        return graph_index(self.session)

    def state(self) -> dict[str, Any]:
        return _ExplorerModel(self.index, self.initial, self.cap).state()

    def to_text(self) -> str:
        idx = self.index
        top = idx.top(10)
        rels = ", ".join(f"{name} {n}" for name, n in idx.relations[:8])
        return (f"knowledge graph: {count(idx.fact_count, 'fact')}, {count(len(idx), 'entity')}, "
                f"{count(idx.edge_count, 'link')}"
                + (f" ({rels})" if rels else "") + "; top entities: "
                + ", ".join(f"{idx.labels[i]} ({idx.degree(i)})" for i in top))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self)


def ontology(session: Any) -> OntologyDisplay:
    """The session's ontology, ready to display (widget in a kernel, static HTML elsewhere)."""
    return OntologyDisplay(session)


def graph(session: Any, *, initial: int = INITIAL_CAP, cap: int = EXPAND_CAP) -> GraphDisplay:
    """The session's KG explorer, ready to display (widget in a kernel, static HTML elsewhere)."""
    return GraphDisplay(session, initial=initial, cap=cap)


def widget_for(obj: Any) -> anywidget.AnyWidget | None:
    """The interactive view of a result, session or report; ``None`` when there is none."""
    cls = _widget_classes()
    kind = getattr(type(obj), "view_kind", "")  # results declare their view (see hydra_magic.results)
    if kind == "extraction":
        return cls["ExtractionView"](obj)
    if kind == "cq":
        return cls["OntologyView"](obj.session, result=obj)
    if isinstance(obj, OntologyDisplay):
        return cls["OntologyView"](obj.session)
    if isinstance(obj, GraphDisplay):
        return cls["GraphExplorer"](obj.session, initial=obj.initial, cap=obj.cap, index=obj.index)
    if hasattr(obj, "ontology") and hasattr(obj, "kg") and hasattr(obj, "cqs"):
        return cls["OntologyView"](obj)
    if isinstance(getattr(obj, "issues", None), list) and not hasattr(obj, "cqs"):
        return cls["ReportView"](obj)
    return None


def render_html(obj: Any) -> str:
    """Static, self-contained HTML for a result, session, ontology, graph display or report.

    The states are built here; :mod:`hydra_magic.html` turns a state into HTML and
    imports nothing of this module.

    Parameters
    ----------
    obj
        A :class:`~hydra_magic.results.CQResult`, :class:`~hydra_magic.results.ExtractionResult`,
        :class:`~hydra_magic.session.Session`, :class:`~hydra_magic.ontology.Ontology`,
        a display from this module, or any report-like object with an ``issues`` list of
        :class:`~hydra_magic.issues.Issue` (and optionally ``counts()``).
    """
    from . import html

    kind = getattr(type(obj), "view_kind", "")  # results declare their view (see hydra_magic.results)
    if kind == "extraction":
        return html.extraction_html(extraction_state(obj))
    if kind == "cq":
        return html.cq_result_html(ontology_state(obj.session, result=obj))
    if isinstance(obj, GraphDisplay):
        return html.graph_html(obj.state())
    if isinstance(obj, OntologyDisplay):
        return html.ontology_html(ontology_state(obj.session), "Ontology")
    if isinstance(obj, Ontology):
        return html.ontology_html(ontology_state(ontology=obj), "Ontology")
    if hasattr(obj, "ontology") and hasattr(obj, "kg") and hasattr(obj, "cqs"):
        return html.ontology_html(ontology_state(obj), f"Session {getattr(obj, 'name', '')}".strip())
    if isinstance(getattr(obj, "issues", None), list):
        return html.report_html(report_state(obj, cap=html.MAX_ROWS))
    text = obj.to_text() if hasattr(obj, "to_text") else repr(obj)
    return f'<pre style="font-family:monospace;white-space:pre-wrap;">{html.e(text)}</pre>'


def mimebundle(obj: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """text/plain + static text/html, plus the widget view when a live kernel can show it.

    The static HTML stays in the bundle so that a saved notebook reads well on
    GitHub and nbviewer (which do not run widgets).
    """
    text = obj.to_text() if hasattr(obj, "to_text") else repr(obj)
    # An object with its own static page (the verification report adds its CQ table) keeps it.
    page = obj.to_html() if callable(getattr(obj, "to_html", None)) else render_html(obj)
    data: dict[str, Any] = {"text/plain": text, "text/html": page}
    if _widgets_enabled() and _in_kernel():
        try:
            widget = widget_for(obj)
        except ImportError:  # anywidget missing: the static view is still complete
            widget = None
        if widget is not None:
            wb = widget._repr_mimebundle_()
            wdata = wb[0] if isinstance(wb, tuple) else wb
            if wdata and WIDGET_MIME in wdata:
                data[WIDGET_MIME] = wdata[WIDGET_MIME]
    return data
