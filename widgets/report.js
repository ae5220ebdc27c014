// hydra_magic ReportView: counts by severity and rule, drill-down to each issue.
// Generic over Issue records {code, severity, message, hint, path, data}.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

// h(tag, attrs, ...children) comes from dom.js, prepended by hydra_magic.views.

const PAGE = 200;

function render({ model, el }) {
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
        h("span", { class: `hw-badge hw-${k}`, text: k }), ` ${n}`));
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
        h("td", {}, h("code", { text: r.code })), h("td", {}, h("span", { class: `hw-badge hw-${r.severity}`, text: r.severity })),
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
        h("summary", {}, h("span", { class: `hw-badge hw-${i.severity}`, text: i.severity }), " ", h("code", { text: i.code }), " ", i.message));
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
          h("td", {}, h("span", { class: `hw-badge hw-${kind(t.status)}`, text: t.status })),
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

export default { render };
