"""The views in a real browser: headless Debian chromium driving JupyterLab.

A notebook that uses the magics is written into a temporary folder, opened in
JupyterLab, and run; the test then looks at what the page shows and clicks in
it: the views render, "accept anyway" changes the session (seen from a later
cell), the explorer expands a node on click, and text carrying ``<img onerror>``
or ``<script>`` is shown as text with no script run.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``) and the pip
``playwright`` package (never ``playwright install``). Skips when chromium is
missing, unless ``HYDRA_REQUIRE_BROWSER=1`` (CI), then fails.
The README's ``docs/screenshot.png`` is retaken by tests/test_browser_tutorials.py
(``HYDRA_UPDATE_SCREENSHOT=1``).
Every request that does not go to the local server is blocked: the views must
work offline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hydra_magic import style

from hydra_magic.testing.jupyterlab import LabDidNotStart, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS_IMG = '<img src=x onerror="window.__hydra_xss = (window.__hydra_xss || 0) + 1">'
XSS_SCRIPT = "<script>window.__hydra_xss = (window.__hydra_xss || 0) + 10</script>"

CQS = """\
Which films did a director direct?
Which actors star in a film?
When was a film released?
"""

TEXT = f"""\
Alien is a film directed by Ridley Scott. Alien was released in 1979.
Sigourney Weaver starred in Alien. James Cameron directed Aliens.
The film {XSS_IMG} was directed by Ridley Scott. {XSS_SCRIPT}
"""


def _require_browser() -> Any:
    reason = ""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (install it with: apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing (pip install playwright; never 'playwright install')"
    if reason:
        if os.environ.get("HYDRA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HYDRA_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    return sync_playwright



def _rgb(hex_colour: str) -> str:
    """``#dafbe1`` as the browser reports a computed colour: ``rgb(218, 251, 225)``."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _code(source: str) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}


#: Text the offline engine reads (it only proposes what the contracts accept).
MISTAKES = f"""\
Alien directed Ridley Scott. Bill Paxton starred in Aliens.
The picture {XSS_IMG} is a film. {XSS_SCRIPT}
"""

#: A scripted "model" that makes mistakes, so that there are rejected candidates to accept anyway
#: (the offline rules engine never proposes a triple the contracts would reject). Written next to
#: the notebook and plugged in under the model name ``scripted`` (``%%extract --model scripted``).
SCRIPTED_MODEL = '''
import re

from hydra_magic.candidates import OntologyProposal, TripleCandidate
from hydra_magic.contracts import find_span

TRIPLES = [("alien", "directs", "ridley_scott", "Alien", "Ridley Scott"),        # domain and range mismatch
           ("bill_paxton", "starsIn", "aliens", "Bill Paxton", "Aliens"),        # untyped subject
           ("the_picture", "isA", "Film", "The picture <img src=x", "")]         # accepted, hostile surface


class ScriptedModel:
    name = "scripted"

    def propose_ontology(self, cqs, ontology, feedback=()):
        return OntologyProposal()

    def extract(self, chunk, ontology, kg, feedback=()):
        if feedback:
            return []
        ends = [m.end() for m in re.finditer(r"[.!?](?=\\s)", chunk.text)] + [len(chunk.text)]
        out = []
        for s, p, o, st, ot in TRIPLES:
            sp = find_span(st, chunk.text)
            op = find_span(ot, chunk.text) if ot else None
            a = max([e for e in ends if e <= sp[0]], default=0)
            b = min(e for e in ends if e >= sp[1])
            out.append(TripleCandidate(s, p, o, chunk.text[sp[0]:sp[1]], ot, chunk.text[a:b].strip(),
                                       (chunk.start + sp[0], chunk.start + sp[1]),
                                       (chunk.start + op[0], chunk.start + op[1]) if op else None))
        return out
'''


def notebook_cells() -> list[str]:
    """The notebook under test; ``cell_of`` finds a cell by its first line."""
    return [
        "%load_ext hydra_magic",
        f"%%cq\n{CQS}",
        f"%%extract --source intro\n{TEXT}",
        ("# a model that makes mistakes\nfrom scripted_model import ScriptedModel\n"
         "hydra.register_engine('scripted', ScriptedModel())"),
        f"%%extract --model scripted --source mistakes\n{MISTAKES}",
        "# extraction view\nfrom hydra_magic import views\nviews.ExtractionView(hydra.last_extraction)",
        "# ontology view\nviews.OntologyView(hydra)",
        ("# star explorer\nfrom rdflib import URIRef\nfrom hydra_magic.kg import Evidence, Fact\n"
         "from hydra_magic.session import Session, SessionConfig\n"
         "star = Session('star', SessionConfig(journal_dir=None))\n"
         "E, knows = star.kg.entity_iri, URIRef('http://example.org/knows')\n"
         "star.kg.add([Fact(E('hub'), knows, E(f'leaf_{i}'), Evidence('star')) for i in range(7)],"
         " {E('hub'): 'The Hub'})\n"
         "views.GraphExplorer(star, initial=1, cap=2)"),
        "%hydra graph",
        "# report\nviews.ReportView(hydra.verify())",
        "# kg size\nprint('KG-SIZE', len(hydra.kg))",
    ]


def cell_of(prefix: str) -> int:
    return next(i for i, c in enumerate(notebook_cells()) if c.startswith(prefix))


def _settings(settings_dir: Path) -> None:
    """User settings of the throwaway JupyterLab: no news/update checks, every cell rendered."""
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for rel, data in files.items():
        p = settings_dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(data))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A headless JupyterLab on 127.0.0.1 over a temporary folder, with its own HOME and Jupyter dirs."""
    _require_browser()
    base = tmp_path_factory.mktemp("lab")
    root, home = base / "notebooks", base / "home"
    for d in (root, home):
        d.mkdir()
    _settings(home / "settings")
    (root / "scripted_model.py").write_text(SCRIPTED_MODEL)
    nb = {"cells": [_code(c) for c in notebook_cells()],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "views.ipynb").write_text(json.dumps(nb))
    try:
        with running_lab(root, home, base / "lab.log") as server:
            yield {**server, "root": root, "base": base, "log": base / "lab.log"}
    except LabDidNotStart as exc:
        pytest.fail(str(exc))


JS_CELLS_DONE = """() => {
  const app = window.jupyterapp;
  const nb = app && app.shell.currentWidget && app.shell.currentWidget.content;
  if (!nb || !nb.widgets) return false;
  const cells = nb.widgets.filter((c) => c.model.type === 'code');
  return cells.length > 0 && cells.every((c) => c.model.executionCount !== null
    && !c.node.querySelector('.jp-InputArea-prompt').textContent.includes('*'));
}"""


@pytest.fixture(scope="module")
def page(lab: dict[str, Any]) -> Iterator[Any]:
    """The notebook open in chromium, all cells run; yields the Playwright page."""
    sync_playwright = _require_browser()
    shots = lab["base"] / "screenshots"
    shots.mkdir()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
        blocked: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(lab["url"]) or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.set_default_timeout(60_000)
        pg.goto(f"{lab['url']}/lab/tree/views.ipynb?token={lab['token']}")
        pg.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        _accept_kernel_dialog(pg)
        pg.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""", timeout=90_000)
        try:
            pg.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            _accept_kernel_dialog(pg)
            pg.wait_for_function(JS_CELLS_DONE, timeout=120_000, polling=500)
            pg.wait_for_selector(".hw-explorer[data-ready='1'] svg .hw-node", timeout=60_000)
        except Exception:
            pg.screenshot(path=str(shots / "failed-run-all.png"), full_page=True)
            print(f"screenshots in {shots}; JupyterLab log {lab['log']}; page errors {errors}")
            raise
        pg.wait_for_timeout(1500)  # let the force layout settle for the screenshots
        pg.screenshot(path=str(shots / "after-run-all.png"), full_page=True)
        pg.blocked = blocked  # type: ignore[attr-defined]
        pg.errors = errors  # type: ignore[attr-defined]
        pg.shots = shots  # type: ignore[attr-defined]
        yield pg
        pg.screenshot(path=str(shots / "end.png"), full_page=True)
        browser.close()


def _accept_kernel_dialog(pg: Any) -> None:
    """Accept a "Select Kernel" dialog when JupyterLab shows one."""
    dlg = pg.locator(".jp-Dialog")
    try:
        dlg.wait_for(timeout=1500)
    except Exception:
        return
    accept = dlg.locator("button.jp-mod-accept")
    if accept.count():
        accept.first.click()


def cell(pg: Any, index: int) -> Any:
    return pg.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


def cell_text(pg: Any, index: int) -> str:
    return cell(pg, index).locator(".jp-OutputArea").inner_text()


def run_cell(pg: Any, index: int) -> None:
    pg.evaluate("""(i) => { const nb = window.jupyterapp.shell.currentWidget.content;
        nb.activeCellIndex = i; return window.jupyterapp.commands.execute('notebook:run-cell'); }""", index)
    pg.wait_for_function(JS_CELLS_DONE, timeout=60_000, polling=300)


def kg_size(pg: Any) -> int:
    out = cell_text(pg, cell_of("# kg size"))
    return int(out.split("KG-SIZE", 1)[1].split()[0])


# --------------------------------------------------------------------------- tests
def test_the_views_render_without_errors_and_offline(page: Any) -> None:
    for i, c in enumerate(notebook_cells()):
        stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        assert not cell(page, i).locator(stderr).count(), \
            f"cell {i} ({c.splitlines()[0]}) wrote to stderr: {cell_text(page, i)}"
    ex = cell(page, cell_of("# extraction view")).locator(".hw-extraction")
    assert ex.count() == 1
    assert ex.locator("tr[data-status='accepted'] button[data-action='remove'], "
                      "tr[data-status='flagged'] button[data-action='remove']").count() >= 1
    # the model typed entities the text does not type: those facts show apart, with the flag (issue 9)
    assert ex.locator("tr[data-status='flagged'] .hw-flag").count() >= 1
    assert ex.get_by_text("not verified").count() >= 1
    assert ex.locator("tr[data-status='rejected'] button[data-action='accept']").count() >= 2
    assert ex.get_by_text("domain_mismatch").count() and ex.get_by_text("untyped_entity").count()
    assert ex.locator("mark.hw-s").count() and ex.locator("mark.hw-o").count()
    # badges take their label and colours from Python's one table (hydra_magic.style), as the static HTML does
    for status in ("rejected", "flagged"):
        label, bg, fg = style.status(status)
        shown = ex.locator(f"tr[data-status='{status}'] td .hw-badge").first
        assert shown.inner_text() == label
        assert shown.evaluate("(e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]") == [
            _rgb(bg), _rgb(fg)]
    onto = cell(page, cell_of("# ontology view")).locator(".hw-ontology")
    assert onto.locator(".hw-tree summary").count() >= 3
    assert onto.get_by_text("Film", exact=True).count()
    assert onto.locator(".hw-cq").count() == 3
    graph = cell(page, cell_of("%hydra graph"))
    assert graph.locator("svg .hw-node").count() >= 3
    report = cell(page, cell_of("# report")).locator(".hw-report")
    assert report.count() == 1 and report.locator("button[data-severity]").count() == 3
    assert not page.errors, page.errors
    # every request outside the local server was blocked, and the views above rendered all the same
    print("blocked requests:", page.blocked)


def test_accept_anyway_changes_the_session(page: Any) -> None:
    before = kg_size(page)
    ex = cell(page, cell_of("# extraction view")).locator(".hw-extraction")
    button = ex.locator("tr[data-status='rejected'] button[data-action='accept']").first
    row_id = button.get_attribute("data-row")
    button.click()
    row = ex.locator(f"tr[data-row='{row_id}']")
    row.locator("td").first.get_by_text("accepted by you").wait_for(timeout=30_000)
    ex.locator(".hw-msg.hw-ok").get_by_text("journal").wait_for(timeout=30_000)
    run_cell(page, cell_of("# kg size"))
    assert kg_size(page) == before + 1
    # remove it again with the row's own action
    row.locator("button[data-action='remove']").click()
    ex.locator(f"tr[data-row='{row_id}'][data-status='rejected'] button[data-action='accept']").wait_for(timeout=30_000)
    run_cell(page, cell_of("# kg size"))
    assert kg_size(page) == before


def test_explorer_expands_a_node_on_click(page: Any) -> None:
    ex = cell(page, cell_of("# star explorer")).locator(".hw-explorer")
    nodes = ex.locator("svg .hw-node")
    assert nodes.count() == 1  # the hub (top degree); the leaves wait in the kernel
    nodes.first.locator("circle").click()
    page.wait_for_function("(el) => Number(el.dataset.nodes) === 3", arg=ex.element_handle(), timeout=30_000)
    assert nodes.count() == 3  # capped at 2 neighbours per expansion
    more = ex.locator("svg text.hw-more")
    assert more.text_content() == "+5 more"
    assert "The Hub" in ex.locator(".hw-side").inner_text()
    more.click()  # "+N more" asks the kernel for the next batch
    page.wait_for_function("(el) => Number(el.dataset.nodes) === 5", arg=ex.element_handle(), timeout=30_000)
    assert more.text_content() == "+3 more"
    assert ex.locator("svg line.hw-edge").count() == 4
    page.wait_for_timeout(2000)
    ex.screenshot(path=str(page.shots / "star-explorer.png"))


def test_explorer_search_focuses_an_entity(page: Any) -> None:
    ex = cell(page, cell_of("%hydra graph")).locator(".hw-explorer")
    ex.locator("input[type='search']").fill("scott")
    hit = ex.locator(".hw-results div[data-id]").first
    hit.wait_for(timeout=30_000)
    assert "Ridley Scott" in hit.inner_text()
    hit.click()
    ex.locator(".hw-side").get_by_text("Ridley Scott").first.wait_for(timeout=30_000)
    assert ex.locator("svg .hw-node.hw-selected").count() == 1
    page.screenshot(path=str(page.shots / "explorer.png"), full_page=True)


def test_markup_in_text_is_shown_as_text_and_never_runs(page: Any) -> None:
    assert page.evaluate("window.__hydra_xss === undefined"), "a script from user text ran in the page"
    ex = cell(page, cell_of("# extraction view")).locator(".hw-extraction")
    assert ex.get_by_text("<img src=x onerror=", exact=False).count() >= 1
    assert ex.locator("img").count() == 0 and ex.locator("script").count() == 0
    # the static HTML of %%extract (shown when no widget replaces it) escapes it too
    out = cell(page, cell_of("%%extract --model"))
    assert out.locator("img").count() == 0 and out.locator("script").count() == 0
    assert not page.errors, page.errors


def test_screenshot(page: Any) -> None:
    """Keeps a screenshot of the widgets in the test's folder."""
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    first, last = cell_of("# extraction view"), cell_of("%hydra graph")
    top, bottom = cell(page, first).bounding_box(), cell(page, last).bounding_box()
    assert top and bottom
    height = int(bottom["y"] + bottom["height"] - top["y"])
    page.set_viewport_size({"width": 1280, "height": height + 160})
    cell(page, first).evaluate("(n) => n.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(2500)  # a resize may re-render the explorers: let their layout settle
    top, bottom = cell(page, first).bounding_box(), cell(page, last).bounding_box()
    path = page.shots / "widgets.png"
    page.screenshot(path=str(path), clip={"x": top["x"], "y": top["y"], "width": top["width"],
                                          "height": bottom["y"] + bottom["height"] - top["y"]})
    assert path.stat().st_size > 10_000  # docs/screenshot.png comes from test_browser_tutorials.py


def test_explorer_labels_the_selected_nodes_edges_lists_its_facts_and_follows_the_session(page: Any) -> None:
    """The front door (issue items 2 and 4): relation names on the selected node's edges, its facts with
    their sentences in the panel, filters that hide, merge from the panel, and a redraw after undo."""
    import re

    ex = cell(page, cell_of("%hydra graph")).locator(".hw-explorer")
    ex.scroll_into_view_if_needed()
    ex.locator("input[type='search']").fill("ridley")
    ex.locator(".hw-results div[data-id]").first.click()
    side = ex.locator(".hw-side")
    side.locator(".hw-h2").get_by_text("Ridley Scott").wait_for(timeout=30_000)
    # the selected node's edges carry their relation, drawn (not only a hover title)
    labels = ex.locator("svg text.hw-edge-label.hw-sel")
    labels.first.wait_for(state="visible", timeout=30_000)
    texts = labels.all_text_contents()
    assert texts and all("directs" in t for t in texts), texts
    assert all(any(arrow in t for arrow in "→←↑↓") for t in texts)  # which way the relation reads
    # its facts, by relation, each with the sentence it came from and its source
    side.locator(".hw-rel[data-rel='directs']").wait_for(timeout=30_000)
    sentences = side.locator(".hw-fact .hw-sentence").all_text_contents()
    assert any("directed by Ridley Scott" in x for x in sentences), sentences
    assert "— intro" in side.inner_text()
    assert side.get_by_text("not verified (type_inferred)").count() >= 1
    page.wait_for_timeout(1500)
    ex.screenshot(path=str(page.shots / "explorer-facts.png"))
    # hovering any edge shows its relation
    assert ex.locator("svg text.hw-edge-label.hw-hover").count() == 0
    ex.locator("svg line.hw-edge-hit").last.hover(force=True)
    assert ex.locator("svg text.hw-edge-label.hw-hover").count() == 1
    # filters: a relation hides its links, a class its nodes; a second click shows them again
    edges = ex.locator("svg line.hw-edge[data-p='directs']")
    n_edges, n_nodes = edges.count(), int(ex.get_attribute("data-nodes") or 0)
    assert n_edges >= 1
    side.locator(".hw-toggle[data-rel='directs']").click()
    assert edges.count() == 0
    side.locator(".hw-toggle[data-rel='directs']").click()
    assert edges.count() == n_edges
    side.locator(".hw-toggle[data-cls='Film']").click()
    assert int(ex.get_attribute("data-nodes") or 0) < n_nodes and "hidden by filters" in ex.inner_text()
    side.locator(".hw-toggle[data-cls='Film']").click()
    assert int(ex.get_attribute("data-nodes") or 0) == n_nodes
    # merge from the panel: James Cameron into Ridley Scott (both directors), then undo from the kernel
    def totals() -> list[str]:  # "… of N entities shown · … of M links · F facts"
        return re.findall(r"of (\d+) entities shown · \d+ of (\d+) links · (\d+) facts",
                          ex.locator(".hw-title .hw-note").inner_text())

    before = totals()
    assert before
    ex.locator("input[type='search']").fill("cameron")
    ex.locator(".hw-results div[data-id]").first.click()
    side.locator(".hw-h2").get_by_text("James Cameron").wait_for(timeout=30_000)
    side.locator("input.hw-merge-input").fill("Ridley Scott")
    side.locator("button[data-action='merge']").click()
    ex.locator(".hw-msg.hw-ok").get_by_text("Merged 'James Cameron' into 'Ridley Scott'").wait_for(timeout=30_000)
    side.get_by_text("also called: James Cameron").wait_for(timeout=30_000)
    assert ex.locator("svg .hw-node.hw-selected text.hw-label").text_content() == "Ridley Scott"
    ex.screenshot(path=str(page.shots / "explorer-merged.png"))
    revision = ex.get_attribute("data-revision")
    page.evaluate("""async () => { const w = window.jupyterapp.shell.currentWidget;
        await w.sessionContext.session.kernel.requestExecute({ code: 'hydra.undo()' }).done; }""")
    page.wait_for_function("([el, r]) => el.dataset.revision !== r", arg=[ex.element_handle(), revision],
                           timeout=30_000)
    assert totals() == before  # the same totals as before the merge
    assert side.get_by_text("also called").count() == 0
    assert not page.errors, page.errors
