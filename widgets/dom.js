// Shared DOM helper of the hydra_magic views. hydra_magic.views prepends this file to each
// view module (anywidget loads one module per view, so a relative import is not available).
// Text goes in with textContent only: user and model strings never become HTML.

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
