// hydra_magic widgets: one ES module for every view. anywidget loads it by path (hot reload with
// ANYWIDGET_HMR=1); each widget's `kind` trait picks the view. The shared helpers come first, then
// one section per view. Status labels and colours come from Python (hydra_magic.style), through the
// model's `statuses` trait: this file defines none.
// Text goes in with textContent only: user and model strings never become HTML.

// ---------------------------------------------------------------------------- shared helpers
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = String(v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

// "1 chunk", "2 chunks", "1 data property", "3 data properties" (same rule as hydra_magic.wording.count).
function count(n, one, many) {
  const k = Number(n || 0);
  return `${k.toLocaleString("en")} ${k === 1 ? one : (many || one.replace(/y$/, "ie") + "s")}`;
}

// A status badge: its label and colours from the table Python sends (`statuses`); `text` replaces the label.
function badge(model, kind, text, title) {
  const st = (model.get("statuses") || {})[kind];
  const el = h("span", { class: `hw-badge hw-${kind}`, title, text: text ?? (st ? st.label : kind) });
  if (st) { el.style.background = st.bg; el.style.color = st.fg; }
  return el;
}

// ---------------------------------------------------------------------------- ontology view
// hydra_magic OntologyView: class tree, properties (domain -> range), competency questions.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

function issueList(issues) {
  return h("div", {}, issues.map((i) =>
    h("div", { class: "hw-issue" }, h("code", { text: i.code }), " ", i.message,
      i.hint ? h("div", { class: "hw-hint", text: `hint: ${i.hint}` }) : null)));
}

// The weaver's panel (issue 11): "Propose weaving" asks the kernel (the model only when there is more
// than one class cluster), the proposal comes back as one diff per operation with a checkbox each, and
// "Apply selected" asks the kernel to apply exactly the ticked ones (one undoable change) or says why not.
function weavePanel(model, d, ui, redraw) {
  const w = model.get("weave") || {};
  const c = d.counts || {};
  const n = c.clusters ?? (d.clusters || []).length;
  const busy = ui.pending !== "";
  const parts = [];
  if (n > 1) {
    const name = h("input", { class: "hw-input hw-weave-model", type: "text", placeholder: "model (default: the session's)", value: ui.model, title: "the model that proposes (e.g. openai/gpt-4o-mini); empty: the session's" });
    name.addEventListener("input", () => { ui.model = name.value; });
    parts.push(h("div", { class: "hw-row hw-weave-bar" },
      h("span", { class: "hw-muted", text: `${n} class clusters: ${(d.clusters || []).map((g) => g.join(", ")).join(" | ")}` }),
      name,
      h("button", { class: "hw-btn", "data-action": "weave-propose", disabled: busy ? "" : null, title: "ask the weaver how to join the clusters; nothing is applied",
        text: ui.pending === "propose" ? "asking the model…" : "Propose weaving",
        onclick: () => { ui.pending = "propose"; model.send({ type: "weave", model: ui.model.trim() }); redraw(); } })));
  } else if (c.classes) {
    parts.push(h("div", { class: "hw-row hw-weave-bar" }, h("span", { class: "hw-muted hw-weave-single", text: "one cluster: nothing to weave" })));
  }
  if (!w.status || w.status === "none") {
    if (w.message && w.message.text) parts.push(h("div", { class: `hw-msg ${w.message.kind === "error" ? "hw-err" : "hw-ok"}`, role: "status", text: w.message.text }));
    return parts;
  }
  const box = h("div", { class: "hw-weave", "data-status": w.status });
  box.append(h("div", { class: "hw-h2", text: w.status === "applied" ? "Weave (applied)" : "Weave proposal" }));
  if (w.message && w.message.text) box.append(h("div", { class: `hw-msg ${w.message.kind === "error" ? "hw-err" : "hw-ok"}`, role: "status", text: w.message.text }));
  if (w.stale) box.append(h("div", { class: "hw-msg hw-err hw-weave-stale", text: "The ontology changed since this proposal: it can no longer be applied. Click 'Propose weaving' for a new one." }));
  const applied = new Set(w.applied_ops || []);
  for (const op of w.ops || []) {
    const head = h("label", { class: "hw-weave-head" });
    if (w.status === "proposed") {
      const cb = h("input", { type: "checkbox", "data-op": op.n, checked: ui.ticked.has(op.n) ? "" : null, disabled: busy ? "" : null });
      cb.addEventListener("change", () => { if (cb.checked) ui.ticked.add(op.n); else ui.ticked.delete(op.n); redraw(); });
      head.append(cb, " ");
    } else if (w.status === "applied") {
      head.append(applied.has(op.n) ? badge(model, "accepted", "applied") : badge(model, "removed", "not applied"), " ");
    }
    head.append(h("b", { text: `${op.n}.` }), " ", op.describe, h("span", { class: "hw-muted", text: ` (${op.before} → ${op.after} clusters)` }));
    const diff = h("div", { class: "hw-diff hw-code" },
      op.removed.map((t) => h("div", { class: "hw-del", text: `- ${t.join(" ")}` })),
      op.added.map((t) => h("div", { class: "hw-add", text: `+ ${t.join(" ")}` })));
    box.append(h("div", { class: "hw-weave-op", "data-op": op.n }, head,
      op.reason ? h("div", { class: "hw-muted", text: `why: ${op.reason}` }) : null, diff));
  }
  if ((w.rejected || []).length) {
    box.append(h("details", {}, h("summary", { class: "hw-muted", text: `${count(w.rejected.length, "operation")} the weaver rejected (they did not reduce the clusters or broke a rule)` }),
      w.rejected.map((r) => h("div", {}, h("div", { text: r.describe }), issueList(r.issues)))));
  }
  if ((w.flags || []).length) box.append(h("div", { class: "hw-h2", text: `Modelling flags (${w.flags.length}; the weaver does not change them)` }), issueList(w.flags));
  const row = h("div", { class: "hw-row" });
  if (w.status === "proposed") {
    row.append(h("button", { class: "hw-btn", "data-action": "weave-apply", disabled: busy || !ui.ticked.size || w.stale ? "" : null,
      title: "apply the ticked operations as one change (%hydra undo takes it back)",
      text: ui.pending === "apply" ? "applying…" : `Apply selected (${ui.ticked.size})`,
      onclick: () => { ui.pending = "apply"; model.send({ type: "weave_apply", ops: [...ui.ticked].sort((a, b) => a - b) }); redraw(); } }));
  }
  row.append(h("button", { class: "hw-btn", "data-action": "weave-dismiss", disabled: busy ? "" : null, text: "dismiss",
    onclick: () => { ui.ticked.clear(); model.send({ type: "weave_dismiss" }); } }));
  box.append(row);
  parts.push(box);
  return parts;
}

function renderOntology({ model, el }) {
  const root = h("div", { class: "hydra-w hw-ontology" });
  el.append(root);
  let filter = "";
  let selectedCq = null;
  const ui = { pending: "", ticked: new Set(), model: "" }; // the weave panel's own state

  function draw() {
    const d = model.get("data") || {};
    const c = d.counts || {};
    const hl = new Set();
    const cq = (d.cqs || []).find((q) => q.id === selectedCq);
    if (cq) for (const t of cq.terms.concat(cq.added)) hl.add(t);
    const match = (x) => !filter || `${x.name} ${x.label} ${(x.alt_labels || []).join(" ")}`.toLowerCase().includes(filter);

    const search = h("input", { class: "hw-input", type: "search", placeholder: "filter classes and properties", value: filter });
    search.addEventListener("input", () => { filter = search.value.trim().toLowerCase(); redraw(true); });
    const title = h("div", { class: "hw-title" },
      d.result ? "Competency questions → ontology" : "Ontology",
      h("span", { class: "hw-note", text: `${count(c.classes, "class", "classes")} · ${count(c.object_properties, "object property")} · ${count(c.data_properties, "data property")} · ${count(c.cqs, "CQ")} · ${count(c.facts, "fact")}` }),
      h("button", { class: "hw-btn", title: "re-read the session", onclick: () => model.send({ type: "refresh" }), text: "refresh" }));
    const parts = [title];
    parts.push(...weavePanel(model, d, ui, () => redraw(false)));

    if (d.result) {
      const r = d.result;
      parts.push(h("div", { class: "hw-muted", text: `${r.summary} ` }));
      if (r.rejected.length) {
        parts.push(h("div", { class: "hw-h2", text: `Rejected by the ontology contracts (${r.rejected.length})` }));
        const tb = h("tbody");
        for (const x of r.rejected) tb.append(h("tr", {}, h("td", { text: x.what }), h("td", { class: "hw-muted", text: x.origin }), h("td", {}, issueList(x.issues))));
        parts.push(h("table", { class: "hw-table" }, h("thead", {}, h("tr", {}, h("th", { text: "candidate" }), h("th", { text: "from CQ" }), h("th", { text: "why" }))), tb));
      }
      if (r.issues.length) parts.push(h("div", { class: "hw-h2", text: "Notes" }), issueList(r.issues));
      if (r.flags && r.flags.length) parts.push(h("div", { class: "hw-h2", text: `Modelling flags (${r.flags.length}; the classes are kept)` }), issueList(r.flags));
    }

    // class tree
    const classes = d.classes || [];
    const tree = h("div", { class: "hw-tree" });
    const stack = [{ depth: -1, node: tree }];
    for (const cl of classes) {
      while (stack.length > 1 && stack[stack.length - 1].depth >= cl.depth) stack.pop();
      const summary = h("summary", {},
        h("span", { class: `hw-cls${hl.has(cl.name) ? " hw-hl" : ""}`, title: cl.iri }, h("b", { text: cl.name })),
        cl.label && cl.label.toLowerCase() !== cl.name.toLowerCase() ? h("span", { class: "hw-muted", text: ` “${cl.label}”` }) : null,
        cl.instances ? h("span", { class: "hw-muted", text: ` (${cl.instances})` }) : null,
        cl.new ? [" ", badge(model, "new")] : null,
        cl.comment ? h("span", { class: "hw-muted", text: ` — ${cl.comment}` }) : null,
        cl.alt_labels.length ? h("span", { class: "hw-muted", text: ` also: ${cl.alt_labels.join(", ")}` }) : null);
      const det = h("details", { class: cl.children ? "" : "hw-leaf", open: cl.depth < 2 || filter ? "" : null }, summary);
      if (filter && !match(cl)) det.style.opacity = "0.45";
      stack[stack.length - 1].node.append(det);
      stack.push({ depth: cl.depth, node: det });
    }
    if (!classes.length) tree.append(h("div", { class: "hw-muted", text: "No classes yet. Declare competency questions with %%cq." }));

    // properties
    const props = h("div");
    for (const [key, label] of [["object_properties", "Object properties"], ["data_properties", "Data properties"]]) {
      const list = (d[key] || []).filter(match);
      if (!(d[key] || []).length) continue;
      props.append(h("div", { class: "hw-h2", text: `${label} (${d[key].length})` }));
      const tb = h("tbody");
      for (const p of list) {
        tb.append(h("tr", { class: hl.has(p.name) ? "hw-hl" : "" },
          h("td", { title: p.iri }, h("b", { class: "hw-prop", text: p.name }), p.new ? [" ", badge(model, "new")] : null,
            p.comment ? h("div", { class: "hw-muted", text: p.comment }) : null),
          h("td", {}, (p.domain.join(" | ") || "(any)") + " → " + (p.range.join(" | ") || "(any)")),
          h("td", { class: "hw-muted", text: p.characteristics.join(", ") }),
          h("td", { class: "hw-muted", text: p.uses ? String(p.uses) : "" })));
      }
      props.append(h("table", { class: "hw-table" },
        h("thead", {}, h("tr", {}, h("th", { text: "property" }), h("th", { text: "domain → range" }), h("th", { text: "characteristics" }), h("th", { text: "facts" }))), tb));
    }
    parts.push(h("div", { class: "hw-row" }, search));
    parts.push(h("div", { class: "hw-cols" },
      h("div", {}, h("div", { class: "hw-h2", text: `Classes (${classes.length})` }), tree), props));

    // competency questions
    const cqs = d.cqs || [];
    if (cqs.length) {
      parts.push(h("div", { class: "hw-h2", text: `Competency questions (${cqs.length}) — click one to highlight the terms it uses` }));
      for (const q of cqs) {
        const box = h("div", { class: `hw-cq${q.id === selectedCq ? " hw-sel" : ""}`, "data-cq": q.id },
          h("div", {}, badge(model, q.status), " ", q.text),
          h("div", { class: "hw-muted", text: q.reason }),
          q.added.length ? h("div", {}, "added: ", h("code", { text: q.added.join(", ") })) : null,
          q.terms.length ? h("div", { class: "hw-muted", text: `uses: ${q.terms.join(", ")}` }) : null,
          q.expected.length ? h("div", { class: "hw-muted", text: `expects: ${q.expected.join(", ")}` }) : null,
          q.sparql ? h("pre", { class: "hw-code hw-muted", text: q.sparql }) : null,
          !q.sparql && q.query ? h("details", { onclick: (ev) => ev.stopPropagation() }, h("summary", { class: "hw-muted", text: "SPARQL" }), h("pre", { class: "hw-code", text: q.query })) : null);
        box.addEventListener("click", () => { selectedCq = selectedCq === q.id ? null : q.id; redraw(false); });
        parts.push(box);
      }
    }
    return parts;
  }

  function redraw(keepFocus) {
    const pos = keepFocus && document.activeElement && document.activeElement.tagName === "INPUT" ? document.activeElement.selectionStart : null;
    root.replaceChildren(...draw());
    if (pos !== null) {
      const inp = root.querySelector("input.hw-input");
      if (inp) { inp.focus(); inp.setSelectionRange(pos, pos); }
    }
  }

  redraw(false);
  const onChange = () => redraw(false);
  const onWeave = () => {
    const w = model.get("weave") || {};
    // a new proposal (or none) starts unticked; a refused apply keeps the ticks to adjust them
    if (ui.pending === "propose" || w.status !== "proposed") ui.ticked.clear();
    ui.pending = "";
    redraw(false);
  };
  model.on("change:data", onChange);
  model.on("change:weave", onWeave);
  return () => { model.off("change:data", onChange); model.off("change:weave", onWeave); };
}

// ---------------------------------------------------------------------------- extraction view
// hydra_magic ExtractionView: candidates with verdicts, evidence highlighting and per-row actions.
// Actions go to the kernel as custom messages; the kernel calls the session and sends back new state.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

const ROLE = { s: "subject", o: "object", so: "subject and object", c: "cue: negated, hedged or hypothetical" };

function evidence(segments) {
  if (!segments || !segments.length) return h("span", { class: "hw-muted", text: "—" });
  const span = h("span", { class: "hw-evidence" });
  for (const [text, role] of segments) {
    span.append(role ? h("mark", { class: `hw-${role}`, title: ROLE[role] || role, text }) : document.createTextNode(text));
  }
  return span;
}

function renderExtraction({ model, el }) {
  const root = h("div", { class: "hydra-w hw-extraction" });
  el.append(root);
  let show = "all"; // all | accepted | rejected | <code>
  const pending = new Set();

  function draw() {
    const d = model.get("data") || {};
    const msg = model.get("message") || {};
    const c = d.counts || {};
    const rows = d.rows || [];
    const parts = [];
    parts.push(h("div", { class: "hw-title" }, "Extraction",
      h("span", { class: "hw-note", text: `source ${d.source} · ${d.engine} · ${count(d.chunks, "chunk")} · ${Number(d.seconds || 0).toFixed(2)}s` + (c.kg !== null && c.kg !== undefined ? ` · KG now ${count(c.kg, "fact")}` : "") })));

    const chip = (key, text) => h("button", { class: `hw-chip${show === key ? " hw-on" : ""}`, "data-filter": key, text, onclick: () => { show = show === key ? "all" : key; redraw(); } });
    const filters = h("div", { class: "hw-row" },
      chip("all", `all ${rows.length}`), chip("accepted", `verified ${c.verified ?? c.accepted ?? 0}`));
    if (c.type_inferred) filters.append(chip("flagged", `on inferred types ${c.type_inferred}`));
    filters.append(chip("rejected", `rejected ${c.rejected ?? 0}`));
    for (const [code, n] of Object.entries(d.by_code || {})) filters.append(chip(code, `${code} ×${n}`));
    parts.push(filters);
    if (c.upgraded) parts.push(h("div", { class: "hw-muted", text: `${c.upgraded} earlier facts are now verified: this text states the types they rested on` }));
    if (d.replaced) parts.push(h("div", { class: "hw-muted", text: `replaced ${count(d.replaced, "fact")} of an earlier run of this source` }));
    for (const [idx, err] of d.failed_chunks || []) parts.push(h("div", { class: "hw-msg hw-err", text: `chunk ${idx} failed: ${err} (retry with %hydra retry)` }));
    if (msg && msg.text) parts.push(h("div", { class: `hw-msg ${msg.kind === "error" ? "hw-err" : "hw-ok"}`, role: "status", text: msg.text }));

    const tb = h("tbody");
    for (const r of rows) {
      const visible = show === "all" || (show === "accepted" && r.status === "accepted") ||
        (show === "flagged" && r.status === "flagged") ||
        (show === "rejected" && r.id[0] === "r") || r.codes.includes(show);
      if (!visible) continue;
      let action = null;
      if (d.actions) {
        const busy = pending.has(r.id);
        if (r.status === "rejected") {
          action = h("button", { class: "hw-btn", "data-action": "accept", "data-row": r.id, disabled: busy ? "" : null, title: "add this triple to the knowledge graph despite the contracts (journaled)", text: busy ? "…" : "accept anyway" });
        } else if (r.status === "accepted" || r.status === "flagged" || r.status === "user") {
          action = h("button", { class: "hw-btn hw-danger", "data-action": "remove", "data-row": r.id, disabled: busy ? "" : null, title: "remove this fact from the knowledge graph (journaled)", text: busy ? "…" : "remove" });
        }
        if (action) action.addEventListener("click", () => {
          pending.add(r.id);
          model.send({ type: "action", action: action.dataset.action, row: r.id });
          redraw();
        });
      }
      const triple = h("div", {}, h("code", { text: r.subject }), h("span", { class: "hw-muted", text: " — " }), h("b", { text: r.predicate }), h("span", { class: "hw-muted", text: " → " }), h("code", { text: r.object }),
        (r.flags || []).length ? h("div", { class: "hw-flag", title: r.basis || "", text: `${r.flags.join(", ")}: rests on a type inferred from a relation, not stated in the text` + (r.basis ? ` (${r.basis})` : "") }) : null);
      const issues = h("div", {}, r.issues.map((i) => h("div", { class: "hw-issue" },
        i.severity !== "error" ? [badge(model, i.severity), " "] : null,
        h("code", { text: i.code }), " ", i.message,
        i.hint ? h("div", { class: "hw-hint", text: `hint: ${i.hint}` }) : null)));
      tb.append(h("tr", { "data-row": r.id, "data-status": r.status },
        h("td", {}, badge(model, r.status)),
        h("td", {}, triple), h("td", {}, evidence(r.segments)), h("td", {}, issues), h("td", {}, action)));
    }
    parts.push(h("div", { class: "hw-scroll" }, h("table", { class: "hw-table" },
      h("thead", {}, h("tr", {}, h("th", { text: "" }), h("th", { text: "triple" }), h("th", { text: "evidence" }), h("th", { text: "rule · message · hint" }), h("th", { text: "" }))), tb)));
    if (d.hidden) parts.push(h("div", { class: "hw-muted", text: `${d.hidden} more accepted candidates are not listed here (the counts above include them).` }));
    parts.push(h("div", { class: "hw-muted" }, "evidence: ", h("mark", { class: "hw-s", text: "subject" }), " ", h("mark", { class: "hw-o", text: "object" }), " ", h("mark", { class: "hw-c", text: "negation / hedge / hypothetical cue" })));
    return parts;
  }

  function redraw() { root.replaceChildren(...draw()); }
  const onData = () => { pending.clear(); redraw(); };
  redraw();
  model.on("change:data", onData);
  model.on("change:message", redraw);
  return () => { model.off("change:data", onData); model.off("change:message", redraw); };
}

// ---------------------------------------------------------------------------- graph explorer
// hydra_magic GraphExplorer: the KG as a node-link diagram (SVG + a small force layout, no library).
// The kernel holds the graph; this view only ever receives the part on screen. Clicking a node asks
// the kernel for its neighbourhood (capped; "+N more" asks for the next batch) and lists its facts
// with their evidence; search asks for matches. The kernel re-sends the state after every change of
// the session (undo, accept, remove, merge, re-run), so the drawing never shows facts that are gone.
// Filters (classes, relations) are this view's own: they hide, the kernel is not asked.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === "text") el.textContent = String(v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

// Layout memory per widget model: when JupyterLab renders the same output again (a resize, a moved
// cell, a second view of it), the drawing continues where it was instead of starting over. Positions
// are keyed by IRI: node ids are positions in the kernel's index and change when the graph changes.
const memory = new WeakMap();

function radius(degree, maxDegree) {
  // log scale relative to the biggest node on screen: hubs stand out, leaves stay small
  return 4 + 10 * Math.log1p(degree) / Math.log1p(Math.max(1, maxDegree));
}

function flagText(flags) {
  return `not verified (${flags.join(", ")})`;
}

function renderExplorer({ model, el }) {
  const root = h("div", { class: "hydra-w hw-explorer", "data-ready": "0" });
  el.append(root);
  if (!memory.has(model)) {
    memory.set(model, { pos: new Map(), view: { x: 0, y: 0, k: 1 }, userMoved: false,
      hiddenCls: new Set(), hiddenRel: new Set() });
  }
  const mem = memory.get(model);
  const pos = mem.pos; // IRI -> {x, y, vx, vy, fixed}
  let anchor = null; // IRI of the node whose neighbourhood was requested last (new nodes start near it)
  const view = mem.view;
  let alpha = 0;
  let frame = null;
  let nodeEls = new Map(); // node id -> <g>
  let edgeEls = []; // {el, label, s, t, p, k, n}
  let iriOf = new Map(); // node id -> IRI (this state's ids)
  let visibleNodes = [];
  let visibleEdges = [];
  let disposed = false;
  let searchTarget = "search"; // which input the last search was for: the search box or the merge box
  let quiet = false;

  // ---- layout of the widget
  const search = h("input", { class: "hw-input", type: "search", placeholder: "search entities by label", "aria-label": "search entities" });
  const results = h("div", { class: "hw-results", hidden: "" });
  const status = h("span", { class: "hw-note" });
  const reset = h("button", { class: "hw-btn", text: "reset", title: "back to the best-connected entities" });
  const fit = h("button", { class: "hw-btn", text: "fit", title: "fit the drawing into the frame" });
  const height = model.get("height") || 520;
  const svg = s("svg", { class: "hw-svg", height, role: "img", "aria-label": "knowledge graph" });
  const viewport = s("g", { class: "hw-viewport" });
  const edgeLayer = s("g", { class: "hw-edges" });
  const nodeLayer = s("g", { class: "hw-nodes" });
  const labelLayer = s("g", { class: "hw-edge-labels" }); // above the nodes, so a label is never hidden
  viewport.append(edgeLayer, nodeLayer, labelLayer);
  svg.append(viewport);
  const side = h("div", { class: "hw-side", style: `max-height:${height}px` });
  const message = h("div", { class: "hw-msg hw-err", hidden: "" });
  const notice = h("div", { class: "hw-msg", hidden: "" });
  const mergeList = h("datalist", { id: `hw-merge-${Math.random().toString(36).slice(2)}` });
  root.append(
    h("div", { class: "hw-title" }, "Knowledge graph", status),
    h("div", { class: "hw-row", style: "position:relative" }, search, reset, fit, results),
    message, notice, mergeList,
    h("div", { class: "hw-graph" }, svg, side));

  const size = () => ({ w: svg.clientWidth || 700, h: height });
  const applyView = () => viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
  applyView();

  // ---- kernel requests
  const ask = (msg) => model.send(msg);
  // Clear our copy of the results first: an answer equal to the last one must still show.
  const askSearch = (q, target) => {
    searchTarget = target;
    quiet = true;
    model.set("search_results", null);
    quiet = false;
    ask({ type: "search", q });
  };
  reset.addEventListener("click", () => { pos.clear(); anchor = null; mem.userMoved = false; ask({ type: "reset" }); });
  fit.addEventListener("click", () => { mem.userMoved = false; fitView(); });
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => askSearch(search.value, "search"), 200);
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { clearTimeout(timer); askSearch(search.value, "search"); }
    if (ev.key === "Escape") results.hidden = true;
  });

  function showResults() {
    if (quiet) return;
    const list = model.get("search_results") || [];
    if (searchTarget === "merge") { // suggestions for the "merge into" box
      mergeList.replaceChildren(...list.map((n) => h("option", { value: n.label })));
      return;
    }
    const colors = (model.get("data") || {}).colors || {};
    results.replaceChildren();
    if (!search.value.trim()) { results.hidden = true; return; }
    if (!list.length) results.append(h("div", { class: "hw-muted", text: "no entity matches" }));
    for (const n of list) {
      const item = h("div", { "data-id": n.id, title: n.cls || "untyped" },
        h("span", { class: "hw-dot", style: `background:${colors[n.cls] || "#9E9E9E"}` }), n.label,
        h("span", { class: "hw-muted", text: ` ${n.cls || "untyped"} · ${n.degree}` }));
      item.addEventListener("click", () => {
        results.hidden = true;
        anchor = null;
        ask({ type: "focus", id: n.id });
      });
      results.append(item);
    }
    results.style.top = `${search.offsetTop + search.offsetHeight + 2}px`;
    results.style.left = `${search.offsetLeft}px`;
    results.hidden = false;
  }

  // ---- pan, zoom, drag
  let drag = null;
  svg.addEventListener("pointerdown", (ev) => {
    const g = ev.target.closest ? ev.target.closest(".hw-node") : null;
    const more = ev.target.classList && ev.target.classList.contains("hw-more");
    drag = { sx: ev.clientX, sy: ev.clientY, id: g ? Number(g.dataset.id) : null, more, moved: false, vx: view.x, vy: view.y };
    svg.setPointerCapture(ev.pointerId);
    if (!g) svg.classList.add("hw-panning");
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.sx, dy = ev.clientY - drag.sy;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (!drag.moved) return;
    mem.userMoved = true;
    if (drag.id === null) {
      view.x = drag.vx + dx; view.y = drag.vy + dy; applyView();
    } else {
      const p = pos.get(iriOf.get(drag.id));
      if (!p) return;
      const r = svg.getBoundingClientRect();
      p.x = (ev.clientX - r.left - view.x) / view.k; p.y = (ev.clientY - r.top - view.y) / view.k;
      p.vx = p.vy = 0; p.fixed = true;
      draw();
    }
  });
  svg.addEventListener("pointerup", () => {
    svg.classList.remove("hw-panning");
    const d = drag;
    drag = null;
    if (!d || d.moved || d.id === null) return;
    anchor = iriOf.get(d.id) || null;
    ask({ type: d.more ? "more" : "expand", id: d.id });
  });
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    mem.userMoved = true;
    const r = svg.getBoundingClientRect();
    const mx = ev.clientX - r.left, my = ev.clientY - r.top;
    const k = Math.min(4, Math.max(0.15, view.k * Math.exp(-ev.deltaY * 0.0015)));
    view.x = mx - (mx - view.x) * (k / view.k); view.y = my - (my - view.y) * (k / view.k); view.k = k;
    applyView();
  }, { passive: false });

  function fitView() {
    if (!visibleNodes.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of visibleNodes) { const p = pos.get(n.iri); if (!p) continue; x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x + 90); y1 = Math.max(y1, p.y); }  // + room for a label
    const { w, h: hh } = size();
    const k = Math.min(1.5, Math.max(0.15, Math.min((w - 80) / Math.max(1, x1 - x0), (hh - 60) / Math.max(1, y1 - y0))));
    Object.assign(view, { k, x: w / 2 - k * (x0 + x1) / 2, y: hh / 2 - k * (y0 + y1) / 2 });
    applyView();
  }

  // ---- force layout
  function place(nodes) {
    const { w, h: hh } = size();
    let k = 0;
    for (const n of nodes) {
      if (pos.has(n.iri)) continue;
      const a = anchor !== null ? pos.get(anchor) : null;
      if (a) {
        const ang = Math.random() * 2 * Math.PI, r = 40 + Math.random() * 40;
        pos.set(n.iri, { x: a.x + r * Math.cos(ang), y: a.y + r * Math.sin(ang), vx: 0, vy: 0 });
      } else { // phyllotaxis spiral around the centre: deterministic, no overlaps
        const r = 14 * Math.sqrt(k + 0.5), ang = k * 2.39996;
        pos.set(n.iri, { x: (w / 2 - view.x) / view.k + r * Math.cos(ang), y: (hh / 2 - view.y) / view.k + r * Math.sin(ang), vx: 0, vy: 0 });
        k += 1;
      }
    }
  }

  function tick(nodes, edges) {
    const N = nodes.length;
    const P = nodes.map((n) => pos.get(n.iri));
    const idx = new Map(nodes.map((n, i) => [n.id, i]));
    const rep = 1600 * alpha;
    if (N <= 250) {
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
        const a = P[i], b = P[j];
        let dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
        if (d2 > 90000) continue;
        const f = rep / d2;
        a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
      }
    } else { // grid: only nearby pairs repel (keeps a tick linear for large views)
      const cell = 90, grid = new Map();
      for (let i = 0; i < N; i++) {
        const key = `${Math.floor(P[i].x / cell)},${Math.floor(P[i].y / cell)}`;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(i);
      }
      for (let i = 0; i < N; i++) {
        const a = P[i], cx = Math.floor(a.x / cell), cy = Math.floor(a.y / cell);
        for (let gx = cx - 1; gx <= cx + 1; gx++) for (let gy = cy - 1; gy <= cy + 1; gy++) {
          for (const j of grid.get(`${gx},${gy}`) || []) {
            if (j <= i) continue;
            const b = P[j];
            let dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy;
            if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
            const f = rep / d2;
            a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
          }
        }
      }
    }
    for (const e of edges) {
      const i = idx.get(e.s), j = idx.get(e.t);
      if (i === undefined || j === undefined) continue;
      const a = P[i], b = P[j];
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = (d - 90) / d * 0.08 * alpha; // a little longer than before: room for the relation label
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    const { w, h: hh } = size();
    const cx = (w / 2 - view.x) / view.k, cy = (hh / 2 - view.y) / view.k;
    for (const p of P) {
      p.vx += (cx - p.x) * 0.004 * alpha; p.vy += (cy - p.y) * 0.004 * alpha;
      if (p.fixed) { p.vx = p.vy = 0; continue; }
      p.vx *= 0.6; p.vy *= 0.6;
      const sp = Math.sqrt(p.vx * p.vx + p.vy * p.vy);
      if (sp > 30) { p.vx *= 30 / sp; p.vy *= 30 / sp; }
      p.x += p.vx; p.y += p.vy;
    }
  }

  function run() {
    if (disposed) return;
    tick(visibleNodes, visibleEdges);
    draw();
    alpha *= 0.975;
    frame = alpha > 0.02 ? requestAnimationFrame(run) : null;
    if (frame === null && !mem.userMoved) fitView();
  }

  function kick() {
    alpha = 1;
    if (frame === null) frame = requestAnimationFrame(run);
  }

  // ---- drawing
  function draw() {
    for (const x of edgeEls) {
      const p = pos.get(iriOf.get(x.s)), q = pos.get(iriOf.get(x.t));
      if (!p || !q) continue;
      for (const line of x.lines) {
        line.setAttribute("x1", p.x.toFixed(1)); line.setAttribute("y1", p.y.toFixed(1));
        line.setAttribute("x2", q.x.toFixed(1)); line.setAttribute("y2", q.y.toFixed(1));
      }
      // the label sits at the middle of its edge, stacked when two nodes share several relations;
      // the arrow says which way the relation reads ("bornIn →": the left node bornIn the right one)
      const dx = q.x - p.x, dy = q.y - p.y;
      const text = Math.abs(dx) >= Math.abs(dy) ? (dx >= 0 ? `${x.p} →` : `← ${x.p}`) : `${x.p} ${dy >= 0 ? "↓" : "↑"}`;
      if (x.label.textContent !== text) x.label.textContent = text;
      x.label.setAttribute("x", ((p.x + q.x) / 2).toFixed(1));
      x.label.setAttribute("y", ((p.y + q.y) / 2 - 3 + (x.k - (x.n - 1) / 2) * 11).toFixed(1));
    }
    for (const [id, g] of nodeEls) {
      const p = pos.get(iriOf.get(id));
      if (p) g.setAttribute("transform", `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
    }
  }

  function hover(ids, on) {
    for (const x of edgeEls) if (ids.has(x.s) || ids.has(x.t)) x.label.classList.toggle("hw-hover", on);
  }

  function build() {
    const d = model.get("data") || {};
    const nodes = d.nodes || [], edges = d.edges || [];
    const colors = d.colors || {};
    const sel = d.selected ? d.selected.id : null;
    iriOf = new Map(nodes.map((n) => [n.id, n.iri || String(n.id)]));
    for (const n of nodes) if (!n.iri) n.iri = String(n.id);
    // filters: a hidden class hides its nodes (and their links), a hidden relation its links
    visibleNodes = nodes.filter((n) => !mem.hiddenCls.has(n.cls || ""));
    const visible = new Set(visibleNodes.map((n) => n.id));
    visibleEdges = edges.filter((e) => visible.has(e.s) && visible.has(e.t) && !mem.hiddenRel.has(e.p));
    place(visibleNodes);
    const pairs = new Map(); // unordered node pair -> edges between them, to stack their labels
    for (const e of visibleEdges) {
      const key = e.s < e.t ? `${e.s},${e.t}` : `${e.t},${e.s}`;
      if (!pairs.has(key)) pairs.set(key, []);
      pairs.get(key).push(e);
    }
    edgeEls = [];
    for (const group of pairs.values()) {
      group.forEach((e, k) => {
        const onSel = e.s === sel || e.t === sel;
        const hit = s("line", { class: "hw-edge-hit" }, s("title", { text: e.p }));
        const line = s("line", { class: `hw-edge${onSel ? " hw-sel-edge" : ""}`, "data-p": e.p });
        const label = s("text", { class: `hw-edge-label${onSel ? " hw-sel" : ""}`, "data-p": e.p, "text-anchor": "middle", text: e.p });
        const x = { lines: [hit, line], label, s: e.s, t: e.t, p: e.p, k, n: group.length };
        hit.addEventListener("pointerenter", () => label.classList.add("hw-hover"));
        hit.addEventListener("pointerleave", () => label.classList.remove("hw-hover"));
        edgeEls.push(x);
      });
    }
    edgeLayer.replaceChildren(...edgeEls.flatMap((x) => x.lines));
    labelLayer.replaceChildren(...edgeEls.map((x) => x.label));
    const showAll = visibleNodes.length <= 120;
    const maxDegree = visibleNodes.reduce((m, n) => Math.max(m, n.degree), 1);
    const byDegree = visibleNodes.map((n) => n.degree).sort((a, b) => b - a);
    const labelCut = showAll ? -1 : byDegree[Math.min(byDegree.length - 1, 40)];
    nodeEls = new Map();
    const groups = visibleNodes.map((n) => {
      const r = radius(n.degree, maxDegree);
      const g = s("g", { class: `hw-node${n.id === sel ? " hw-selected" : ""}`, "data-id": n.id },
        s("circle", { r: r.toFixed(1), fill: colors[n.cls] || "#9E9E9E" }),
        s("title", { text: `${n.label} (${n.cls || "untyped"}, ${count(n.degree, "link")}) — click to expand it and list its facts` }));
      if (showAll || n.degree > labelCut || n.id === sel || n.more !== undefined) {
        const label = n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label;
        g.append(s("text", { x: (r + 3).toFixed(1), y: 3.5, class: "hw-label", text: label }));
      }
      if (n.more > 0) {
        g.append(s("text", { x: (r + 3).toFixed(1), y: 15, class: "hw-more", text: `+${n.more} more` }));
      }
      g.addEventListener("pointerenter", () => hover(new Set([n.id]), true));
      g.addEventListener("pointerleave", () => hover(new Set([n.id]), false));
      nodeEls.set(n.id, g);
      return g;
    });
    nodeLayer.replaceChildren(...groups);
    const t = d.totals || {};
    const hidden = nodes.length - visibleNodes.length;
    status.textContent = `${visibleNodes.length} of ${count(t.nodes, "entity", "entities")} shown · ${visibleEdges.length} of ${count(t.edges, "link")} · ${count(t.facts, "fact")}`
      + (hidden ? ` · ${hidden} hidden by filters` : "")
      + ` — click a node to expand it and list its facts (${d.cap ?? 50} neighbours at a time)`;
    message.hidden = !d.message;
    message.textContent = d.message || "";
    drawSide(d);
    draw();
    root.dataset.ready = "1";
    root.dataset.nodes = String(visibleNodes.length);
    root.dataset.revision = String(d.revision ?? "");
    kick();
  }

  function onData() {
    const d = model.get("data") || {};
    const n = d.notice;
    notice.hidden = !n;
    if (n) {
      notice.className = `hw-msg ${n.kind === "ok" ? "hw-ok" : "hw-err"}`;
      notice.textContent = n.text;
    }
    build();
  }

  function factRow(f) {
    const what = f.other !== null && f.other !== undefined
      ? h("a", { class: "hw-link", href: "#", title: "show this entity", text: f.text,
        onclick: (ev) => { ev.preventDefault(); anchor = null; ask({ type: "focus", id: f.other }); } })
      : h("span", { class: "hw-value", text: f.text });
    const badges = [];
    if ((f.flags || []).length) badges.push(badge(model, "flagged", flagText(f.flags), f.basis || ""));
    if (f.user) badges.push(badge(model, "user"));
    const ev = h("div", { class: "hw-evidence" },
      f.sentence ? h("span", { class: "hw-sentence", text: `“${f.sentence}”` }) : h("span", { class: "hw-muted", text: "no sentence recorded" }),
      h("span", { class: "hw-muted", text: ` — ${f.source}` }));
    return h("div", { class: `hw-fact${(f.flags || []).length ? " hw-fact-flagged" : ""}` }, h("div", {}, what, " ", ...badges), ev);
  }

  function drawSide(d) {
    const parts = [];
    const sel = d.selected;
    const colors = d.colors || {};
    if (sel) {
      const shown = (d.nodes || []).find((n) => n.id === sel.id);
      parts.push(h("div", { class: "hw-h2" }, h("span", { class: "hw-dot", style: `background:${colors[sel.cls] || "#9E9E9E"}` }), sel.label));
      if ((sel.alt_labels || []).length) parts.push(h("div", { class: "hw-muted", text: `also called: ${sel.alt_labels.join(", ")}` }));
      // break an IRI after its slashes and #, not inside a name
      parts.push(h("div", { class: "hw-muted hw-break" }, sel.iri.split(/(?<=[/#])/).flatMap((p, i) => (i ? [h("wbr"), p] : [p]))));
      parts.push(h("div", {}, "type: ", h("b", { text: sel.types.join(", ") || "untyped" }), ` · ${count(sel.degree, "link")} · ${count(sel.fact_count, "fact")}`));
      if (shown && shown.more > 0) {
        parts.push(h("button", { class: "hw-btn", "data-more": sel.id, text: `show ${Math.min(shown.more, d.cap || 50)} more neighbours (${shown.more} hidden)`, onclick: () => { anchor = sel.iri; ask({ type: "more", id: sel.id }); } }));
      }
      const facts = h("div", { class: "hw-facts" });
      for (const g of sel.facts || []) {
        const head = g.dir === "in" ? `← ${g.rel}` : g.dir === "out" ? `${g.rel} →` : g.rel;
        facts.append(h("div", { class: "hw-rel", "data-rel": g.rel, "data-dir": g.dir }, head, h("span", { class: "hw-muted", text: ` ${g.count}` })));
        for (const f of g.facts) facts.append(factRow(f));
        if (g.more > 0) facts.append(h("div", { class: "hw-muted", text: `… ${g.more} more` }));
      }
      parts.push(facts);
      // two names of one thing: merge this entity into another (one undoable change, journaled)
      const into = h("input", { class: "hw-input hw-merge-input", type: "text", list: mergeList.id, placeholder: "entity name or label", "aria-label": "merge into entity" });
      let mtimer = null;
      into.addEventListener("input", () => {
        clearTimeout(mtimer);
        mtimer = setTimeout(() => askSearch(into.value, "merge"), 200);
      });
      const go = () => { if (into.value.trim()) ask({ type: "merge", id: sel.id, into: into.value.trim() }); };
      into.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
      parts.push(h("div", { class: "hw-merge", title: `${sel.label} goes away; its facts and its name move to the other entity (%hydra undo reverts it)` },
        h("span", { class: "hw-muted", text: "merge into… " }), into,
        h("button", { class: "hw-btn", text: "merge", "data-action": "merge", onclick: go })));
    } else {
      parts.push(h("div", { class: "hw-muted", text: "Click a node to expand its neighbourhood and list its facts with their evidence." }));
    }
    // filters: click a class or a relation to hide it, again to show it
    const any = mem.hiddenCls.size || mem.hiddenRel.size;
    parts.push(h("div", { class: "hw-h2" }, "Classes", any ? h("a", { href: "#", class: "hw-link hw-clear", text: " show all", onclick: (ev) => { ev.preventDefault(); mem.hiddenCls.clear(); mem.hiddenRel.clear(); build(); } }) : null));
    for (const c of d.legend || []) {
      const key = c.key ?? (c.cls === "(untyped)" ? "" : c.cls);
      const off = mem.hiddenCls.has(key);
      parts.push(h("div", { class: `hw-toggle${off ? " hw-off" : ""}`, "data-cls": key, role: "button", title: off ? "click to show" : "click to hide",
        onclick: () => { off ? mem.hiddenCls.delete(key) : mem.hiddenCls.add(key); build(); } },
        h("span", { class: "hw-dot", style: `background:${c.color}` }), c.cls, h("span", { class: "hw-muted", text: ` ${c.shown}/${c.total}` })));
    }
    if ((d.relations || []).length) {
      parts.push(h("div", { class: "hw-h2", text: "Relations" }));
      for (const r of d.relations) {
        const off = mem.hiddenRel.has(r.name);
        parts.push(h("div", { class: `hw-toggle${off ? " hw-off" : ""}`, "data-rel": r.name, role: "button", title: off ? "click to show" : "click to hide",
          onclick: () => { off ? mem.hiddenRel.delete(r.name) : mem.hiddenRel.add(r.name); build(); } },
          r.name, h("span", { class: "hw-muted", text: ` ${r.shown}/${r.total}` })));
      }
    }
    side.replaceChildren(...parts);
  }

  onData();
  model.on("change:data", onData);
  model.on("change:search_results", showResults);
  return () => {
    disposed = true;
    if (frame !== null) cancelAnimationFrame(frame);
    model.off("change:data", onData);
    model.off("change:search_results", showResults);
  };
}

// ---------------------------------------------------------------------------- verification report
// hydra_magic ReportView: counts by severity and rule, drill-down to each issue.
// Generic over Issue records {code, severity, message, hint, path, data}.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

const PAGE = 200;

function renderReport({ model, el }) {
  const root = h("div", { class: "hydra-w hw-report" });
  el.append(root);
  let severity = null;
  let rule = null;
  let limit = PAGE;

  function draw() {
    const d = model.get("data") || {};
    const parts = [h("div", { class: "hw-title" }, d.title || "Verification report", h("span", { class: "hw-note", text: count(d.total, "issue") }))];
    if (d.summary) parts.push(h("div", { class: "hw-muted", text: d.summary }));
    const sev = h("div", { class: "hw-row" });
    for (const [k, n] of Object.entries(d.counts || {})) {
      sev.append(h("button", { class: `hw-chip${severity === k ? " hw-on" : ""}`, "data-severity": k, onclick: () => { severity = severity === k ? null : k; limit = PAGE; redraw(); } },
        badge(model, k), ` ${n}`));
    }
    parts.push(sev);
    if (!d.total) {
      parts.push(h("div", { class: "hw-msg hw-ok", text: "No issues found." }));
      return parts.concat(extras(d));
    }
    const tb = h("tbody");
    for (const r of d.by_rule || []) {
      if (severity && r.severity !== severity) continue;
      const tr = h("tr", { class: rule === r.code ? "hw-hl" : "", "data-rule": r.code, style: "cursor:pointer" },
        h("td", {}, h("code", { text: r.code })), h("td", {}, badge(model, r.severity)),
        h("td", { text: String(r.count) }), h("td", { class: "hw-muted", text: r.description }));
      tr.addEventListener("click", () => { rule = rule === r.code ? null : r.code; limit = PAGE; redraw(); });
      tb.append(tr);
    }
    parts.push(h("div", { class: "hw-h2", text: "By rule — click a rule to see its issues" }),
      h("table", { class: "hw-table" }, h("thead", {}, h("tr", {}, h("th", { text: "rule" }), h("th", { text: "severity" }), h("th", { text: "count" }), h("th", { text: "what it checks" }))), tb));

    const list = (d.issues || []).filter((i) => (!severity || i.severity === severity) && (!rule || i.code === rule));
    const box = h("div", { class: "hw-scroll" });
    for (const i of list.slice(0, limit)) {
      const det = h("details", { class: "hw-issue-d" },
        h("summary", {}, badge(model, i.severity), " ", h("code", { text: i.code }), " ", i.message));
      if (i.path) det.append(h("div", { class: "hw-muted" }, "where: ", h("code", { text: i.path })));
      if (i.hint) det.append(h("div", { class: "hw-hint", text: `hint: ${i.hint}` }));
      for (const [k, v] of Object.entries(i.data || {})) det.append(h("div", { class: "hw-muted" }, `${k}: `, h("code", { text: String(v) })));
      box.append(det);
    }
    parts.push(h("div", { class: "hw-h2", text: `Issues (${list.length}${rule ? ` of rule ${rule}` : ""}${severity ? `, ${severity}` : ""})` }), box);
    if (list.length > limit) parts.push(h("button", { class: "hw-btn", text: `show ${Math.min(PAGE, list.length - limit)} more (${list.length - limit} hidden)`, onclick: () => { limit += PAGE; redraw(); } }));
    if (d.more) parts.push(h("div", { class: "hw-muted", text: `${d.more} further issues are counted above but not listed here.` }));
    return parts.concat(extras(d));
  }

  function extras(d) {
    const parts = [];
    const tests = d.cq_tests || [];
    if (tests.length) {
      const tb = h("tbody");
      const kind = (st) => (st === "pass" || st === "answered" ? "accepted" : st === "fail" || st === "not answerable" ? "rejected" : "partial");
      for (const t of tests) {
        tb.append(h("tr", {},
          h("td", {}, badge(model, kind(t.status), t.status)),
          h("td", { text: t.text }),
          h("td", {}, t.answers.join(", "), t.rows > t.answers.length ? h("span", { class: "hw-muted", text: ` … ${t.rows} in all` }) : null,
            t.reason ? h("div", { class: "hw-muted", text: t.reason }) : null),
          h("td", {}, t.sparql ? h("details", {}, h("summary", { class: "hw-muted", text: "SPARQL" }), h("pre", { class: "hw-code", text: t.sparql })) : null)));
      }
      parts.push(h("div", { class: "hw-h2", text: `Competency questions (${tests.length})` }),
        h("table", { class: "hw-table" }, h("thead", {}, h("tr", {}, h("th", { text: "status" }), h("th", { text: "question" }), h("th", { text: "answers" }), h("th", { text: "" }))), tb));
    }
    for (const n of d.notes || []) parts.push(h("div", { class: "hw-muted", text: `note: ${n}` }));
    return parts;
  }

  function redraw() { root.replaceChildren(...draw()); }
  redraw();
  model.on("change:data", redraw);
  return () => model.off("change:data", redraw);
}

// ---------------------------------------------------------------------------- entry
const VIEWS = { ontology: renderOntology, extraction: renderExtraction, explorer: renderExplorer, report: renderReport };

function render({ model, el }) {
  const view = VIEWS[model.get("kind")];
  if (!view) {
    el.append(h("div", { class: "hydra-w hw-msg hw-err", text: `hydra_magic has no view named ${JSON.stringify(model.get("kind"))}; update the package.` }));
    return undefined;
  }
  return view({ model, el });
}

export default { render };
