// hydra_magic GraphExplorer: the KG as a node-link diagram (SVG + a small force layout, no library).
// The kernel holds the graph; this view only ever receives the part on screen. Clicking a node asks
// the kernel for its neighbourhood (capped; "+N more" asks for the next batch) and lists its facts
// with their evidence; search asks for matches. The kernel re-sends the state after every change of
// the session (undo, accept, remove, merge, re-run), so the drawing never shows facts that are gone.
// Filters (classes, relations) are this view's own: they hide, the kernel is not asked.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

const SVG = "http://www.w3.org/2000/svg";

// h(tag, attrs, ...children) comes from dom.js, prepended by hydra_magic.views.

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

function render({ model, el }) {
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
    if ((f.flags || []).length) badges.push(h("span", { class: "hw-badge hw-flagged", title: f.basis || "", text: flagText(f.flags) }));
    if (f.user) badges.push(h("span", { class: "hw-badge hw-user", text: "accepted by you" }));
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

export default { render };
