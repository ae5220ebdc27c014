"""Static HTML of results, the ontology, the graph and verification reports.

This is what a saved notebook shows on GitHub or nbviewer, where widgets do not
run: self-contained (inline styles only, no script, no external resource) and
readable. It renders the same JSON state the widgets show (built in
:mod:`hydra_magic.views`), and every piece of user or model text goes through
:func:`html.escape` — entity names, sentences, messages, hints, labels, IRIs.
"""

from __future__ import annotations

import html as _html
import math
from collections.abc import Iterable, Sequence
from typing import Any

from .style import status
from .wording import count

__all__ = ["MAX_ROWS", "ask_html", "cq_result_html", "e", "extraction_html", "graph_html", "ontology_html",
           "report_html", "table"]

#: Rows of a static table at most; the rest is summarised as "N more" (keeps notebooks small).
MAX_ROWS = 300

_FONT = ("font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;"
         "font-size:13px;line-height:1.45;color:#1f2328;")
_BOX = (f"{_FONT}border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:4px 0;background:#fff;"
        "max-width:100%;overflow-x:auto;")
_H = "font-weight:600;font-size:14px;margin:0 0 6px 0;"
_H2 = "font-weight:600;font-size:13px;margin:10px 0 4px 0;"
_TABLE = "border-collapse:collapse;width:100%;margin:2px 0;"
_TH = "text-align:left;border-bottom:2px solid #d0d7de;padding:3px 6px;font-weight:600;background:#f6f8fa;"
_TD = "text-align:left;border-bottom:1px solid #eaeef2;padding:3px 6px;vertical-align:top;"
_MUTED = "color:#57606a;"
_CODE = "font-family:SFMono-Regular,Consolas,'Liberation Mono',Menlo,monospace;font-size:12px;"
_MARK_S = "background:#cfe8ff;border-bottom:2px solid #0969da;padding:0 1px;border-radius:2px;"
_MARK_O = "background:#ffe8b3;border-bottom:2px solid #bf8700;padding:0 1px;border-radius:2px;"
_MARK_C = "background:#ffd7d5;border-bottom:2px dashed #cf222e;padding:0 1px;border-radius:2px;"
_MARK_SO = "background:#e2d4ff;border-bottom:2px solid #8250df;padding:0 1px;border-radius:2px;"

_BADGE = "display:inline-block;padding:0 6px;border-radius:10px;font-size:11px;font-weight:600;white-space:nowrap;"


def e(value: Any) -> str:
    """Escape any value for HTML text and attribute positions."""
    return _html.escape("" if value is None else str(value), quote=True)


def _badge(kind: str, text: str | None = None) -> str:
    label, bg, fg = status(kind)
    return f'<span style="{_BADGE}background:{bg};color:{fg};">{e(text or label)}</span>'


def _code(value: Any) -> str:
    return f'<code style="{_CODE}">{e(value)}</code>'


def _box(title: str, body: str, note: str = "") -> str:
    note_html = f' <span style="{_MUTED}font-weight:400;">{note}</span>' if note else ""
    return (f'<div class="hydra-static" style="{_BOX}"><div style="{_H}">{title}{note_html}</div>{body}</div>')


def table(head: Iterable[str], rows: Sequence[Sequence[str]], total: int | None = None, *,
          caption: str = "", cls: str = "") -> str:
    """A table of ``rows`` (cells already HTML), at most :data:`MAX_ROWS` of them and a count of the rest.

    With ``cls`` the table carries that class instead of inline styles, so it takes the
    notebook's own table look (the plain tables of ``%%sparql`` and ``%hydra status``).
    """
    th_style, td_style = ("", "") if cls else (f' style="{_TH}"', f' style="{_TD}"')
    th = "".join(f"<th{th_style}>{e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td{td_style}>{c}</td>" for c in r) + "</tr>" for r in rows[:MAX_ROWS])
    more = (total if total is not None else len(rows)) - min(len(rows), MAX_ROWS)
    foot = (f'<div style="{_MUTED}">… {more} more not shown here; display the result in a live kernel '
            "to browse them all.</div>") if more > 0 else ""
    attrs = f'class="{e(cls)}"' if cls else f'style="{_TABLE}"'
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f"<table {attrs}>{cap}<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>{foot}"


def _issues(issues: list[dict[str, Any]]) -> str:
    parts = []
    for i in issues:
        hint = f'<div style="{_MUTED}">hint: {e(i["hint"])}</div>' if i.get("hint") else ""
        sev = _badge(i["severity"]) + " " if i.get("severity") and i["severity"] != "error" else ""
        parts.append(f'<div>{sev}{_code(i["code"])} {e(i["message"])}{hint}</div>')
    return "".join(parts)


def _segments(segments: list[list[str]]) -> str:
    style = {"s": _MARK_S, "o": _MARK_O, "so": _MARK_SO, "c": _MARK_C}
    out = []
    for text, role in segments:
        out.append(f'<mark style="{style[role]}">{e(text)}</mark>' if role in style else e(text))
    return "".join(out)


# ------------------------------------------------------------------ ontology
def _ontology_body(st: dict[str, Any]) -> str:
    parts = []
    classes = st["classes"]
    if classes:
        items = []
        for c in classes[:MAX_ROWS]:
            pad = 14 * c["depth"]
            extra = []
            if c["instances"]:
                extra.append(f'{c["instances"]} instance' + ("s" if c["instances"] != 1 else ""))
            if c["alt_labels"]:
                extra.append("also: " + ", ".join(c["alt_labels"]))
            extra_html = f' <span style="{_MUTED}">({e("; ".join(extra))})</span>' if extra else ""
            new = " " + _badge("new") if c["new"] else ""
            comment = f' <span style="{_MUTED}">— {e(c["comment"])}</span>' if c["comment"] else ""
            branch = "└ " if c["depth"] else ""
            items.append(f'<div style="padding-left:{pad}px;">{e(branch)}<b>{e(c["name"])}</b>'
                         f'{extra_html}{new}{comment}</div>')
        more = len(classes) - MAX_ROWS
        if more > 0:
            items.append(f'<div style="{_MUTED}">… {more} more classes</div>')
        parts.append(f'<div style="{_H2}">Classes ({len(classes)})</div>' + "".join(items))
    for key, title in (("object_properties", "Object properties"), ("data_properties", "Data properties")):
        props = st[key]
        if not props:
            continue
        rows = []
        for p in props:
            chars = ", ".join(p["characteristics"])
            rows.append([
                f'<b>{e(p["name"])}</b>' + (" " + _badge("new") if p["new"] else ""),
                e(" | ".join(p["domain"]) or "(any)") + " → " + e(" | ".join(p["range"]) or "(any)"),
                e(chars), e(p["uses"]) if p["uses"] else "",
            ])
        parts.append(f'<div style="{_H2}">{title} ({len(props)})</div>'
                     + table(["property", "domain → range", "characteristics", "facts"], rows))
    if st["cqs"]:
        rows = []
        for q in st["cqs"]:
            added = ", ".join(q["added"])
            rows.append([
                e(q["text"]) + (f'<div style="{_MUTED}">expects: {e(", ".join(q["expected"]))}</div>'
                                if q["expected"] else ""),
                _badge(q["status"]) + f'<div style="{_MUTED}">{e(q["reason"])}</div>'
                + (f'<details><summary style="{_MUTED}">SPARQL</summary><pre style="{_CODE}white-space:pre-wrap;">'
                   f'{e(q["query"])}</pre></details>' if q.get("query") else ""),
                e(added) if added else f'<span style="{_MUTED}">—</span>',
                e(", ".join(q["terms"])),
            ])
        parts.append(f'<div style="{_H2}">Competency questions ({len(st["cqs"])})</div>'
                     + table(["question", "can the ontology express it?", "added", "uses"], rows))
    if not parts:
        parts.append(f'<div style="{_MUTED}">The ontology is empty. Declare competency questions with '
                     f'{_code("%%cq")} or load an ontology.</div>')
    return "".join(parts)


def ontology_html(st: dict[str, Any], title: str) -> str:
    """An ontology from its state (:func:`hydra_magic.views.ontology_state`)."""
    c = st["counts"]
    note = (f"{count(c['classes'], 'class')} · {count(c['object_properties'], 'object property')} · "
            f"{count(c['data_properties'], 'data property')} · {count(c['cqs'], 'CQ')} · {count(c['facts'], 'fact')}")
    return _box(e(title), _ontology_body(st), e(note))


def cq_result_html(st: dict[str, Any]) -> str:
    """A ``%%cq`` result from its ontology state (:func:`hydra_magic.views.ontology_state` with ``result``)."""
    r = st["result"]
    parts = [f'<div>{e(r["summary"])}</div>']
    if r["rejected"]:
        rows = [[e(x["what"]), e(x["origin"]), _issues(x["issues"])] for x in r["rejected"]]
        parts.append(f'<div style="{_H2}">Rejected by the ontology contracts ({len(rows)})</div>'
                     + table(["candidate", "from CQ", "why"], rows))
    if r["issues"]:
        parts.append(f'<div style="{_H2}">Notes</div>' + _issues(r["issues"]))
    if r.get("flags"):
        parts.append(f'<div style="{_H2}">Modelling flags ({len(r["flags"])}; the classes are kept)</div>'
                     + _issues(r["flags"]))
    if r["other"]:
        parts.append(f'<div style="{_MUTED}">Added without a specific CQ: {e(", ".join(r["other"]))}</div>')
    parts.append(_ontology_body(st))
    return _box("Competency questions → ontology", "".join(parts),
                e(f"{r['engine']} · {r['seconds']:.2f}s"))


# ------------------------------------------------------------------ extraction
def extraction_html(st: dict[str, Any]) -> str:
    """An extraction from its state (:func:`hydra_magic.views.extraction_state`)."""
    c = st["counts"]
    n_rej = c["rejected"]
    head = [_badge("accepted", f"{c['verified']} verified")
            + (" " + _badge("flagged", f"{c['type_inferred']} on inferred types") if c["type_inferred"] else "")
            + " " + _badge("rejected", f"{n_rej} rejected")]
    if st["by_code"]:
        head.append(" ".join(f"{_code(k)}&nbsp;×{v}" for k, v in st["by_code"].items()))
    if st["replaced"]:
        head.append(f'<span style="{_MUTED}">replaced {count(st["replaced"], "fact")} of an earlier run</span>')
    if c.get("upgraded"):
        head.append(f'<span style="{_MUTED}">{c["upgraded"]} earlier facts now verified</span>')
    parts = ['<div style="margin-bottom:4px;">' + " &nbsp; ".join(head) + "</div>"]
    for idx, err in st["failed_chunks"]:
        parts.append(f'<div style="color:#a40e26;">chunk {e(idx)} failed: {e(err)} '
                     f'(retry with {_code("%hydra retry")})</div>')
    rows = []
    for r in st["rows"]:
        triple = (f'{_code(r["subject"])} <span style="{_MUTED}">—</span> <b>{e(r["predicate"])}</b> '
                  f'<span style="{_MUTED}">→</span> {_code(r["object"])}')
        if r["flags"]:
            basis = e(" (" + r["basis"] + ")") if r["basis"] else ""
            triple += (f'<div style="color:#7d4e00;font-size:11px;">{e(", ".join(r["flags"]))}: rests on a type '
                       f'inferred from a relation, not stated in the text{basis}</div>')
        rows.append([_badge(r["status"]), triple, _segments(r["segments"]) or f'<span style="{_MUTED}">—</span>',
                     _issues(r["issues"])])
    if rows:
        parts.append(table(["", "triple", "evidence", "rule · message · hint"], rows, total=len(rows) + st["hidden"]))
    legend = (f'<div style="{_MUTED}margin-top:4px;">evidence: <mark style="{_MARK_S}">subject</mark> '
              f'<mark style="{_MARK_O}">object</mark> '
              f'<mark style="{_MARK_C}">negation / hedge / hypothetical cue</mark></div>')
    if rows:
        parts.append(legend)
    note = f"source {st['source']} · {st['engine']} · {count(st['chunks'], 'chunk')} · {st['seconds']:.2f}s"
    if c["kg"] is not None:
        note += f" · KG now {count(c['kg'], 'fact')}"
    return _box("Extraction", "".join(parts), e(note))


# ------------------------------------------------------------------ report
def ask_html(st: dict[str, Any]) -> str:
    """A question's answers, each with its grounds (fact, sentence, source) in an expandable row."""
    parts = [f'<div style="{_MUTED}">query ({e(st["by"])}): {_code(" ".join(st["sparql"].split()))}</div>'
             if st["sparql"] else ""]
    if st["form"] == "ASK" and st["boolean"] is not None:
        parts.append(f'<div style="{_H2}">Answer: {"yes" if st["boolean"] else "no"}</div>')
    cols = st["columns"] or ["answer"]
    rows = []
    for a in st["answers"]:
        grounds = "".join(
            f'<li>{_badge("accepted" if g["verified"] else "flagged")} '
            f'({e(g["subject"])}, {_code(g["predicate"])}, {e(g["object"])}) '
            f'<span style="{_MUTED}">source {_code(g["source"])}</span>'
            + (f'<div style="{_MUTED}">&ldquo;{e(g["sentence"])}&rdquo;</div>' if g["sentence"] else "") + "</li>"
            for g in a["grounds"])
        if a["more"]:
            grounds += f'<li style="{_MUTED}">… and {count(a["more"], "more fact")}</li>'
        why = (f'<details><summary style="{_MUTED}">{count(len(a["grounds"]) + a["more"], "fact")} behind it'
               f'</summary><ul style="margin:2px 0 2px 16px;padding:0;">{grounds}</ul></details>'
               if grounds else f'<span style="{_MUTED}">—</span>')
        rows.append([e(a["values"].get(c, "")) for c in cols] + [why])
    if rows:
        parts.append(table([*cols, "grounds"], rows))
    if st["why_not"]:
        parts.append(f'<div>{_badge("missing", "no answer")} {e(st["why_not"])}</div>')
    return _box(e(st["question"]), "".join(parts), note=e(f"{count(len(st['answers']), 'answer')}"))


def report_html(st: dict[str, Any]) -> str:
    """A verification report from its state (:func:`hydra_magic.views.report_state`)."""
    counts = " ".join(_badge(k, f"{v} {k}{'s' if v != 1 and k in ('error', 'warning') else ''}")
                      for k, v in st["counts"].items())
    parts = [f"<div>{counts}</div>"]
    if st["summary"]:
        parts.append(f'<div style="{_MUTED}">{e(st["summary"])}</div>')
    if st["by_rule"]:
        rows = [[_code(r["code"]), _badge(r["severity"]), e(r["count"]), e(r["description"])] for r in st["by_rule"]]
        parts.append(f'<div style="{_H2}">By rule</div>'
                     + table(["rule", "severity", "count", "what it checks"], rows))
        rows = [[_badge(i["severity"]), _code(i["code"]), e(i["path"]),
                 e(i["message"]) + (f'<div style="{_MUTED}">hint: {e(i["hint"])}</div>' if i["hint"] else "")]
                for i in st["issues"]]
        parts.append(f'<div style="{_H2}">Issues</div>'
                     + table(["severity", "rule", "where", "message"], rows, total=st["total"]))
    else:
        parts.append('<div style="color:#116329;">No issues found.</div>')
    return _box(e(st["title"]), "".join(parts), e(f"{st['total']} issue(s)"))


# ------------------------------------------------------------------ graph
#: The static picture labels its edges up to this many (beyond that only the hover title stays).
STATIC_EDGE_LABELS = 60


def _layout(n: int, edges: list[tuple[int, int]], iterations: int = 120) -> list[tuple[float, float]]:
    """A small deterministic force layout (Fruchterman–Reingold) in the unit square."""
    if n == 0:
        return []
    pos = [[0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)] for i in range(n)]
    k = math.sqrt(1.0 / n)
    t = 0.1
    for _ in range(iterations):
        disp = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            xi, yi = pos[i]
            for j in range(i + 1, n):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                d2 = dx * dx + dy * dy or 1e-9
                f = k * k / d2
                disp[i][0] += dx * f
                disp[i][1] += dy * f
                disp[j][0] -= dx * f
                disp[j][1] -= dy * f
        for a, b in edges:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.sqrt(dx * dx + dy * dy) or 1e-9
            f = d / k
            disp[a][0] -= dx * f
            disp[a][1] -= dy * f
            disp[b][0] += dx * f
            disp[b][1] += dy * f
        for i in range(n):
            dx, dy = disp[i]
            d = math.sqrt(dx * dx + dy * dy) or 1e-9
            pos[i][0] = min(0.97, max(0.03, pos[i][0] + dx / d * min(d, t)))
            pos[i][1] = min(0.97, max(0.03, pos[i][1] + dy / d * min(d, t)))
        t *= 0.96
    # Fit the drawing to the frame, leaving room on the right for labels.
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    def fit(v: float, lo: float, hi: float, a: float, b: float) -> float:
        return (a + b) / 2 if hi - lo < 1e-9 else a + (v - lo) / (hi - lo) * (b - a)
    return [(fit(x, min(xs), max(xs), 0.05, 0.82), fit(y, min(ys), max(ys), 0.08, 0.92)) for x, y in pos]


def graph_html(st: dict[str, Any]) -> str:
    """The graph explorer's opening view as an inline SVG (state from ``GraphDisplay.state()``)."""
    nodes, edges = st["nodes"], st["edges"]
    tot = st["totals"]
    note = f"{count(tot['facts'], 'fact')} · {count(tot['nodes'], 'entity')} · {count(tot['edges'], 'link')}"
    if not nodes:
        return _box("Knowledge graph", f'<div style="{_MUTED}">The knowledge graph is empty. Extract facts with '
                                       f'{_code("%%extract")} first.</div>', e(note))
    index = {n["id"]: k for k, n in enumerate(nodes)}
    pairs = [(index[x["s"]], index[x["t"]]) for x in edges if x["s"] in index and x["t"] in index]
    pos = _layout(len(nodes), pairs)
    w, h = 760, (200 if len(nodes) <= 6 else 440)
    colors = st["colors"]
    svg = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'style="max-width:100%;height:auto;background:#fbfcfd;border:1px solid #eaeef2;border-radius:4px;">')]
    # Relation labels at the middle of each edge while they stay readable (a saved notebook has no hover);
    # the arrow says which way the relation reads. Several relations between two nodes are stacked.
    labelled = len(edges) <= STATIC_EDGE_LABELS
    stack: dict[tuple[int, int], int] = {}
    labels = []
    for x in edges:
        a, b = index.get(x["s"]), index.get(x["t"])
        if a is None or b is None:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        svg.append(f'<line x1="{x1 * w:.1f}" y1="{y1 * h:.1f}" x2="{x2 * w:.1f}" y2="{y2 * h:.1f}" '
                   f'stroke="#b6bec8" stroke-width="1"><title>{e(x["p"])}</title></line>')
        if labelled:
            k = stack[(min(a, b), max(a, b))] = stack.get((min(a, b), max(a, b)), -1) + 1
            dx, dy = (x2 - x1) * w, (y2 - y1) * h
            text = (f"{x['p']} →" if dx >= 0 else f"← {x['p']}") if abs(dx) >= abs(dy) else \
                f"{x['p']} {'↓' if dy >= 0 else '↑'}"
            labels.append(f'<text x="{(x1 + x2) / 2 * w:.1f}" y="{(y1 + y2) / 2 * h - 3 + 11 * k:.1f}" '
                          f'text-anchor="middle" font-size="9" fill="#57606a" font-family="sans-serif" '
                          f'paint-order="stroke" stroke="#fbfcfd" stroke-width="3">{e(text)}</text>')
    max_deg = max(n["degree"] for n in nodes) or 1
    for k, n in enumerate(nodes):
        x, y = pos[k]
        r = 4 + 8 * math.sqrt(n["degree"] / max_deg)
        fill = colors.get(n["cls"], "#9E9E9E")
        label = n["label"] if len(n["label"]) <= 24 else n["label"][:23] + "…"
        svg.append(f'<g><circle cx="{x * w:.1f}" cy="{y * h:.1f}" r="{r:.1f}" fill="{e(fill)}" stroke="#fff" '
                   f'stroke-width="1.5"><title>{e(n["label"])} ({e(n["cls"] or "untyped")}, degree '
                   f'{n["degree"]})</title></circle><text x="{x * w + r + 2:.1f}" y="{y * h + 4:.1f}" '
                   f'font-size="10" fill="#1f2328" font-family="sans-serif">{e(label)}</text></g>')
    svg.extend(labels)
    svg.append("</svg>")
    legend = " ".join(f'<span style="white-space:nowrap;margin-right:8px;"><span style="display:inline-block;'
                      f'width:10px;height:10px;border-radius:5px;background:{e(x["color"])};"></span> '
                      f'{e(x["cls"])} <span style="{_MUTED}">{x["total"]}</span></span>' for x in st["legend"])
    rels = " · ".join(f'{e(r["name"])} <span style="{_MUTED}">{r["total"]}</span>' for r in st.get("relations", []))
    shown = (f'<div style="{_MUTED}">Showing the {len(nodes)} best-connected entities. Run the notebook to '
             "explore: click a node to expand its neighbourhood and list its facts with their evidence, "
             "search by label, filter by class or relation.</div>")
    return _box("Knowledge graph", "".join(svg) + f"<div>{legend}</div>"
                + (f"<div>relations: {rels}</div>" if rels else "") + shown, e(note))


# ------------------------------------------------------------------ dispatch
