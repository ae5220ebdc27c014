// hydra_magic ExtractionView: candidates with verdicts, evidence highlighting and per-row actions.
// Actions go to the kernel as custom messages; the kernel calls the session and sends back new state.
// Every user or model string is inserted with textContent / text nodes, never as HTML.

// h(tag, attrs, ...children) comes from dom.js, prepended by hydra_magic.views.

const LABEL = { accepted: "verified", flagged: "not verified", rejected: "rejected", user: "accepted by you", removed: "removed" };
const ROLE = { s: "subject", o: "object", so: "subject and object", c: "cue: negated, hedged or hypothetical" };

function evidence(segments) {
  if (!segments || !segments.length) return h("span", { class: "hw-muted", text: "—" });
  const span = h("span", { class: "hw-evidence" });
  for (const [text, role] of segments) {
    span.append(role ? h("mark", { class: `hw-${role}`, title: ROLE[role] || role, text }) : document.createTextNode(text));
  }
  return span;
}

function render({ model, el }) {
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
        i.severity !== "error" ? [h("span", { class: `hw-badge hw-${i.severity}`, text: i.severity }), " "] : null,
        h("code", { text: i.code }), " ", i.message,
        i.hint ? h("div", { class: "hw-hint", text: `hint: ${i.hint}` }) : null)));
      tb.append(h("tr", { "data-row": r.id, "data-status": r.status },
        h("td", {}, h("span", { class: `hw-badge hw-${r.status}`, text: LABEL[r.status] || r.status })),
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

export default { render };
