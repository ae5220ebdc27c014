// hydra_magic GraphExplorer: the KG as a node-link diagram (SVG + a small force layout, no library).
// The kernel holds the graph; this view only ever receives the part on screen. Clicking a node asks
// the kernel for its neighbourhood (capped; "+N more" asks for the next batch), search asks for matches.
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
// cell, a second view of it), the drawing continues where it was instead of starting over.
const memory = new WeakMap();

function radius(degree, maxDegree) {
  // log scale relative to the biggest node on screen: hubs stand out, leaves stay small
  return 4 + 10 * Math.log1p(degree) / Math.log1p(Math.max(1, maxDegree));
}

function render({ model, el }) {
  const root = h("div", { class: "hydra-w hw-explorer", "data-ready": "0" });
  el.append(root);
  if (!memory.has(model)) memory.set(model, { pos: new Map(), view: { x: 0, y: 0, k: 1 }, userMoved: false });
  const mem = memory.get(model);
  const pos = mem.pos; // node id -> {x, y, vx, vy, fixed}
  let anchor = null; // the node whose neighbourhood was requested last (new nodes start near it)
  const view = mem.view;
  let alpha = 0;
  let frame = null;
  let nodeEls = new Map();
  let edgeEls = [];
  let disposed = false;

  // ---- layout of the widget
  const search = h("input", { class: "hw-input", type: "search", placeholder: "search entities by label", "aria-label": "search entities" });
  const results = h("div", { class: "hw-results", hidden: "" });
  const status = h("span", { class: "hw-note" });
  const reset = h("button", { class: "hw-btn", text: "reset", title: "back to the best-connected entities" });
  const refresh = h("button", { class: "hw-btn", text: "refresh", title: "re-read the knowledge graph from the session" });
  const fit = h("button", { class: "hw-btn", text: "fit", title: "fit the drawing into the frame" });
  const height = model.get("height") || 520;
  const svg = s("svg", { class: "hw-svg", height, role: "img", "aria-label": "knowledge graph" });
  const viewport = s("g", { class: "hw-viewport" });
  const edgeLayer = s("g", { class: "hw-edges" });
  const nodeLayer = s("g", { class: "hw-nodes" });
  viewport.append(edgeLayer, nodeLayer);
  svg.append(viewport);
  const side = h("div", { class: "hw-side", style: `max-height:${height}px` });
  const message = h("div", { class: "hw-msg hw-err", hidden: "" });
  root.append(
    h("div", { class: "hw-title" }, "Knowledge graph", status),
    h("div", { class: "hw-row", style: "position:relative" }, search, reset, fit, refresh, results),
    message,
    h("div", { class: "hw-graph" }, svg, side));

  const size = () => ({ w: svg.clientWidth || 700, h: height });
  const applyView = () => viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
  applyView();

  // ---- kernel requests
  const ask = (msg) => model.send(msg);
  reset.addEventListener("click", () => { pos.clear(); anchor = null; mem.userMoved = false; ask({ type: "reset" }); });
  refresh.addEventListener("click", () => { ask({ type: "refresh" }); });
  fit.addEventListener("click", () => { mem.userMoved = false; fitView(); });
  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => ask({ type: "search", q: search.value }), 200);
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { clearTimeout(timer); ask({ type: "search", q: search.value }); }
    if (ev.key === "Escape") results.hidden = true;
  });

  function showResults() {
    const list = model.get("search_results") || [];
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
      const p = pos.get(drag.id);
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
    anchor = d.id;
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
    const d = model.get("data") || {};
    if (!(d.nodes || []).length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of d.nodes) { const p = pos.get(n.id); if (!p) continue; x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x + 90); y1 = Math.max(y1, p.y); }  // + room for a label
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
      if (pos.has(n.id)) continue;
      const a = anchor !== null ? pos.get(anchor) : null;
      if (a) {
        const ang = Math.random() * 2 * Math.PI, r = 40 + Math.random() * 40;
        pos.set(n.id, { x: a.x + r * Math.cos(ang), y: a.y + r * Math.sin(ang), vx: 0, vy: 0 });
      } else { // phyllotaxis spiral around the centre: deterministic, no overlaps
        const r = 14 * Math.sqrt(k + 0.5), ang = k * 2.39996;
        pos.set(n.id, { x: (w / 2 - view.x) / view.k + r * Math.cos(ang), y: (hh / 2 - view.y) / view.k + r * Math.sin(ang), vx: 0, vy: 0 });
        k += 1;
      }
    }
  }

  function tick(nodes, edges) {
    const N = nodes.length;
    const P = nodes.map((n) => pos.get(n.id));
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
      const f = (d - 70) / d * 0.08 * alpha;
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
    const d = model.get("data") || {};
    tick(d.nodes || [], d.edges || []);
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
    for (const { el, s: a, t: b } of edgeEls) {
      const p = pos.get(a), q = pos.get(b);
      if (!p || !q) continue;
      el.setAttribute("x1", p.x.toFixed(1)); el.setAttribute("y1", p.y.toFixed(1));
      el.setAttribute("x2", q.x.toFixed(1)); el.setAttribute("y2", q.y.toFixed(1));
    }
    for (const [id, g] of nodeEls) {
      const p = pos.get(id);
      if (p) g.setAttribute("transform", `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
    }
  }

  function build() {
    const d = model.get("data") || {};
    const nodes = d.nodes || [], edges = d.edges || [];
    const colors = d.colors || {};
    const sel = d.selected ? d.selected.id : null;
    place(nodes);
    edgeEls = edges.map((e) => {
      const el = s("line", { class: "hw-edge" }, s("title", { text: e.p }));
      return { el, s: e.s, t: e.t };
    });
    edgeLayer.replaceChildren(...edgeEls.map((x) => x.el));
    const showAll = nodes.length <= 120;
    const maxDegree = nodes.reduce((m, n) => Math.max(m, n.degree), 1);
    const byDegree = nodes.map((n) => n.degree).sort((a, b) => b - a);
    const labelCut = showAll ? -1 : byDegree[Math.min(byDegree.length - 1, 40)];
    nodeEls = new Map();
    const groups = nodes.map((n) => {
      const r = radius(n.degree, maxDegree);
      const g = s("g", { class: `hw-node${n.id === sel ? " hw-selected" : ""}`, "data-id": n.id },
        s("circle", { r: r.toFixed(1), fill: colors[n.cls] || "#9E9E9E" }),
        s("title", { text: `${n.label} (${n.cls || "untyped"}, ${n.degree} links) — click to expand` }));
      if (showAll || n.degree > labelCut || n.id === sel || n.more !== undefined) {
        const label = n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label;
        g.append(s("text", { x: (r + 3).toFixed(1), y: 3.5, class: "hw-label", text: label }));
      }
      if (n.more > 0) {
        g.append(s("text", { x: (r + 3).toFixed(1), y: 15, class: "hw-more", text: `+${n.more} more` }));
      }
      nodeEls.set(n.id, g);
      return g;
    });
    nodeLayer.replaceChildren(...groups);
    const t = d.totals || {};
    status.textContent = `${nodes.length} of ${t.nodes ?? 0} entities shown · ${edges.length} of ${t.edges ?? 0} links · ${t.facts ?? 0} facts — click a node to expand it (${d.cap ?? 50} at a time)`;
    message.hidden = !d.message;
    message.textContent = d.message || "";
    drawSide(d);
    draw();
    root.dataset.ready = "1";
    root.dataset.nodes = String(nodes.length);
    kick();
  }

  function drawSide(d) {
    const parts = [];
    const sel = d.selected;
    const colors = d.colors || {};
    if (sel) {
      const shown = (d.nodes || []).find((n) => n.id === sel.id);
      parts.push(h("div", { class: "hw-h2" }, h("span", { class: "hw-dot", style: `background:${colors[sel.cls] || "#9E9E9E"}` }), sel.label));
      parts.push(h("div", { class: "hw-muted hw-break", text: sel.iri }));
      parts.push(h("div", {}, "type: ", h("b", { text: sel.types.join(", ") || "untyped" }), ` · ${sel.degree} links`));
      for (const [p, v] of sel.values) parts.push(h("div", {}, h("span", { class: "hw-muted", text: `${p}: ` }), v));
      if (sel.more_values) parts.push(h("div", { class: "hw-muted", text: `… ${sel.more_values} more values` }));
      if (shown && shown.more > 0) {
        parts.push(h("button", { class: "hw-btn", "data-more": sel.id, text: `show ${Math.min(shown.more, d.cap || 50)} more neighbours (${shown.more} hidden)`, onclick: () => { anchor = sel.id; ask({ type: "more", id: sel.id }); } }));
      }
    } else {
      parts.push(h("div", { class: "hw-muted", text: "Click a node to expand its neighbourhood and see its values." }));
    }
    parts.push(h("div", { class: "hw-h2", text: "Classes" }));
    for (const c of d.legend || []) {
      parts.push(h("div", {}, h("span", { class: "hw-dot", style: `background:${c.color}` }), c.cls,
        h("span", { class: "hw-muted", text: ` ${c.shown}/${c.total}` })));
    }
    side.replaceChildren(...parts);
  }

  build();
  model.on("change:data", build);
  model.on("change:search_results", showResults);
  return () => {
    disposed = true;
    if (frame !== null) cancelAnimationFrame(frame);
    model.off("change:data", build);
    model.off("change:search_results", showResults);
  };
}

export default { render };
