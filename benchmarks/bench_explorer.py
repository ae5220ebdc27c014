"""Graph explorer on a 100k-triple knowledge graph: Python-side cost, what is shipped, time to first paint.

Part 1 (always): builds a synthetic KG of ``--facts`` facts in a Session
(films, people, organisations; types, object properties, literals; a few hubs
with thousands of links), then times the explorer's index build, the initial
state (top-degree nodes), one capped expansion of the biggest hub, a label
search, and the static HTML fallback; prints the JSON sizes of what goes to the
browser next to the size of the whole KG as JSON.

Part 2 (``--browser``, needs /usr/bin/chromium and the pip playwright package):
starts a throwaway headless JupyterLab, builds the same KG in the kernel, runs
the cell that shows the explorer and measures, in the page, the time from the
cell's execution request to the first SVG node painted (and to the node count
after the layout has started), then the round trip of a click that expands the
biggest hub.

Usage::

    .venv/bin/python benchmarks/bench_explorer.py [--facts 100000] [--repeat 5] [--browser]

Figures, never assertions (tests do not assert wall-clock times).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.jupyterlab
from hydra_magic.testing.jupyterlab import LabDidNotStart, running_lab  # noqa: E402

BUILD_KG = r'''
import random, time
from rdflib import RDF, Literal, URIRef
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig


def synthetic_session(n_facts: int, seed: int = 7) -> Session:
    """~n_facts facts: every entity typed, links with a heavy-tailed degree, one literal per film."""
    rng = random.Random(seed)
    s = Session("bench-explorer", SessionConfig(journal_dir=None))
    o, kg = s.ontology, s.kg
    root = o.add_class("Entity", refresh=False)
    person = o.add_class("Person", parent=root, refresh=False)
    director = o.add_class("Director", parent=person, refresh=False)
    film = o.add_class("Film", parent=root, refresh=False)
    org = o.add_class("Studio", parent=root, refresh=False)
    directs = o.add_property("directs", "object", [director], [film], refresh=False)
    stars = o.add_property("starsIn", "object", [person], [film], refresh=False)
    made = o.add_property("producedBy", "object", [film], [org], refresh=False)
    year = o.add_property("releaseYear", "data", [film], [URIRef("http://www.w3.org/2001/XMLSchema#integer")])
    n_ent = max(10, n_facts // 5)
    n_film, n_dir, n_org = n_ent // 2, n_ent // 20, max(3, n_ent // 200)
    n_person = n_ent - n_film - n_dir - n_org
    ev = Evidence("synthetic", engine="bench")
    E = kg.entity_iri
    films = [E(f"film_{i}") for i in range(n_film)]
    dirs = [E(f"director_{i}") for i in range(n_dir)]
    people = [E(f"person_{i}") for i in range(n_person)]
    orgs = [E(f"studio_{i}") for i in range(n_org)]
    facts = [Fact(x, RDF.type, c, ev) for xs, c in ((films, film), (dirs, director), (people, person), (orgs, org))
             for x in xs]
    facts += [Fact(f, year, Literal(1900 + i % 120), ev) for i, f in enumerate(films)]
    facts += [Fact(f, made, orgs[min(int(rng.paretovariate(1.2)) - 1, n_org - 1)], ev) for f in films]
    facts += [Fact(dirs[rng.randrange(n_dir)], directs, f, ev) for f in films]  # one director per film
    keys = {f.key for f in facts}
    while len(facts) < n_facts:  # actors: a heavy tail of stars in many films
        f = Fact(people[min(int(rng.paretovariate(1.1)) - 1, n_person - 1) if rng.random() < 0.3
                        else rng.randrange(n_person)], stars, films[rng.randrange(n_film)], ev)
        if f.key not in keys:
            keys.add(f.key)
            facts.append(f)
    labels = {x: x.rsplit("/", 1)[1].replace("_", " ").title() for x in dirs + orgs}
    kg.add(facts[:n_facts], labels)
    return s
'''


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def python_side(n_facts: int, repeat: int) -> dict[str, Any]:
    ns: dict[str, Any] = {}
    exec(BUILD_KG, ns)
    t = time.perf_counter()
    session = ns["synthetic_session"](n_facts)
    build_kg = time.perf_counter() - t
    from hydra_magic import views

    kg_json = len(json.dumps(session.kg.to_dict()))
    t_index, index = median_time(lambda: views.GraphIndex(session.kg, session.ontology), repeat)
    t_initial, state = median_time(lambda: views.ExplorerModel(index).state(), repeat)
    initial_json = len(json.dumps(state))
    hub = index.top(1)[0]

    def expand() -> dict[str, Any]:
        m = views.ExplorerModel(index)
        m.expand(hub)
        return m.state()

    t_expand, expanded = median_time(expand, repeat)
    t_search, hits = median_time(lambda: index.search("person 12"), repeat)
    t_static, page = median_time(lambda: views.render_html(views.graph(session)), max(1, repeat // 2))
    views.GraphExplorer(session, initial=1)  # import anywidget outside the timing
    t_widget, _ = median_time(lambda: views.GraphExplorer(session), max(3, repeat // 2))
    return {
        "facts": len(session.kg), "entities": len(index), "links": index.edge_count, "hub_degree": index.degree(hub),
        "build_kg_s": build_kg, "kg_json_bytes": kg_json,
        "index_s": t_index, "initial_state_s": t_initial, "initial_json_bytes": initial_json,
        "initial_nodes": len(state["nodes"]), "initial_edges": len(state["edges"]),
        "expand_hub_s": t_expand, "expanded_json_bytes": len(json.dumps(expanded)),
        "expanded_nodes": len(expanded["nodes"]), "search_s": t_search, "search_hits": len(hits),
        "static_html_s": t_static, "static_html_bytes": len(page), "widget_total_s": t_widget,
    }


# --------------------------------------------------------------------------- browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

FIRST_PAINT_PROBE = """() => {
  window.__bench = {firstNode: null, painted: null};
  const obs = new MutationObserver(() => {
    if (window.__bench.firstNode === null && document.querySelector('.hw-explorer svg .hw-node')) {
      window.__bench.firstNode = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__bench.painted = performance.now(); }));
      obs.disconnect();
    }
  });
  obs.observe(document.body, {childList: true, subtree: true});
  window.__bench.start = performance.now();
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = 2;
  window.jupyterapp.commands.execute('notebook:run-cell');
}"""


def browser_side(n_facts: int) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} is missing"}

    base = Path(tempfile.mkdtemp(prefix="hydra-bench-explorer-"))
    root, home = base / "nb", base / "home"
    root.mkdir()
    home.mkdir()
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    note = home / "settings" / "@jupyterlab" / "apputils-extension"
    note.mkdir(parents=True)
    (note / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    cells = [BUILD_KG + f"\nbig = synthetic_session({n_facts})\nprint(len(big.kg), 'facts')",
             "from hydra_magic import views\nimport hydra_magic.views  # warm the import, as a notebook would",
             "views.GraphExplorer(big)"]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c}
                    for c in cells],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "bench.ipynb").write_text(json.dumps(nb))
    try:
        with running_lab(root, home, base / "lab.log") as server:
            return _in_browser(server["url"], server["token"], base)
    except LabDidNotStart:
        return {"skipped": "JupyterLab did not start; see " + str(base / "lab.log")}


def _in_browser(url: str, token: str, base: Path) -> dict[str, Any]:
    """Run the notebook in chromium and time first paint and one expansion."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(180_000)
        page.goto(f"{url}/lab/tree/bench.ipynb?token={token}")
        page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""")
        for i in (0, 1):  # build the KG and import the views (not part of the explorer's first paint)
            t = time.perf_counter()
            page.evaluate(f"""() => {{ const nb = window.jupyterapp.shell.currentWidget.content;
                nb.activeCellIndex = {i}; return window.jupyterapp.commands.execute('notebook:run-cell'); }}""")
            page.wait_for_function(f"""() => {{ const c = window.jupyterapp.shell.currentWidget.content.widgets[{i}];
                return c.model.executionCount !== null
                    && !c.node.querySelector('.jp-InputArea-prompt').textContent.includes('*'); }}""",
                                   polling=200)
            out[f"kernel_cell_{i}_s"] = time.perf_counter() - t
        page.evaluate(FIRST_PAINT_PROBE)
        page.wait_for_function("() => window.__bench.painted !== null", polling="raf")
        b = page.evaluate("window.__bench")
        out["first_paint_ms"] = b["painted"] - b["start"]
        out["first_node_in_dom_ms"] = b["firstNode"] - b["start"]
        out["nodes_painted"] = page.locator(".hw-explorer svg .hw-node").count()
        # one click: expand the biggest node (first in the state = highest degree)
        n0 = out["nodes_painted"]
        hub = page.locator(".hw-explorer svg .hw-node").first
        page.wait_for_timeout(300)
        t0 = page.evaluate("performance.now()")
        hub.locator("circle").click(force=True)
        page.wait_for_function(f"() => Number(document.querySelector('.hw-explorer').dataset.nodes) > {n0}",
                               polling="raf")
        out["expand_click_to_paint_ms"] = page.evaluate("performance.now()") - t0
        out["nodes_after_expand"] = page.locator(".hw-explorer svg .hw-node").count()
        page.screenshot(path=str(base / "explorer-100k.png"))
        out["screenshot"] = str(base / "explorer-100k.png")
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--browser", action="store_true", help="also measure time to first paint in JupyterLab")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    random.seed(0)
    py = python_side(args.facts, args.repeat)
    kb = 1024
    print(f"KG: {py['facts']:,} facts, {py['entities']:,} entities, {py['links']:,} links "
          f"(biggest hub: {py['hub_degree']:,} links); built in {py['build_kg_s']:.2f}s; "
          f"the whole KG as JSON would be {py['kg_json_bytes'] / kb / kb:.1f} MiB")
    print(f"explorer index build          {py['index_s'] * 1000:8.1f} ms   (once per explorer)")
    print(f"initial state (top {py['initial_nodes']} nodes)  {py['initial_state_s'] * 1000:8.1f} ms   "
          f"{py['initial_json_bytes'] / kb:7.1f} KiB JSON, {py['initial_edges']} edges  "
          f"({py['kg_json_bytes'] / max(1, py['initial_json_bytes']):,.0f}x smaller than the KG)")
    print(f"expand biggest hub (cap 50)   {py['expand_hub_s'] * 1000:8.1f} ms   "
          f"{py['expanded_json_bytes'] / kb:7.1f} KiB JSON, {py['expanded_nodes']} nodes shown")
    print(f"label search                  {py['search_s'] * 1000:8.1f} ms   ({py['search_hits']} hits, capped at 20)")
    print(f"GraphExplorer(session) total  {py['widget_total_s'] * 1000:8.1f} ms   (index + state + widget)")
    print(f"static HTML fallback          {py['static_html_s'] * 1000:8.1f} ms   "
          f"{py['static_html_bytes'] / kb:7.1f} KiB")
    result: dict[str, Any] = {"python": py}
    if args.browser:
        br = browser_side(args.facts)
        result["browser"] = br
        if "skipped" in br:
            print(f"browser: skipped ({br['skipped']})")
        else:
            print(f"browser: building the {args.facts:,}-fact KG in the kernel took {br['kernel_cell_0_s']:.1f}s")
            print(f"browser: cell execution -> first SVG node in the DOM  {br['first_node_in_dom_ms']:8.0f} ms")
            print(f"browser: cell execution -> first paint                {br['first_paint_ms']:8.0f} ms   "
                  f"({br['nodes_painted']} nodes)")
            print(f"browser: click on the hub -> expanded view in the DOM {br['expand_click_to_paint_ms']:8.0f} ms   "
                  f"({br['nodes_after_expand']} nodes)")
            print(f"browser: screenshot {br['screenshot']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
