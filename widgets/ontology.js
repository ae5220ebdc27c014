// hydra_magic OntologyView: class tree, properties (domain -> range), competency questions.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

// h(tag, attrs, ...children) comes from dom.js, prepended by hydra_magic.views.

const STATUS = { expressible: "expressible", partial: "classes only", missing: "not expressible", unparsed: "not understood" };

function badge(kind, text) {
  return h("span", { class: `hw-badge hw-${kind}`, text: text ?? kind });
}

function issueList(issues) {
  return h("div", {}, issues.map((i) =>
    h("div", { class: "hw-issue" }, h("code", { text: i.code }), " ", i.message,
      i.hint ? h("div", { class: "hw-hint", text: `hint: ${i.hint}` }) : null)));
}

function render({ model, el }) {
  const root = h("div", { class: "hydra-w hw-ontology" });
  el.append(root);
  let filter = "";
  let selectedCq = null;

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
        cl.new ? [" ", badge("new")] : null,
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
          h("td", { title: p.iri }, h("b", { class: "hw-prop", text: p.name }), p.new ? [" ", badge("new")] : null,
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
          h("div", {}, badge(q.status, STATUS[q.status] || q.status), " ", q.text),
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
  model.on("change:data", onChange);
  return () => model.off("change:data", onChange);
}

export default { render };
