"""The weaver's button in a real browser (issue 11 item 3): in ``%hydra ontology`` of a three-cluster
ontology, "Propose weaving" shows the scripted model's proposal as a diff, one ticked operation is
applied with "Apply selected", and the view and the kernel's session both show the change.

Needs what tests/test_browser.py needs (``/usr/bin/chromium``, the ``playwright`` package) and
skips, saying why, without them (fails under ``HYDRA_REQUIRE_BROWSER=1``). The model is the
scripted local server (hydra_magic.testing.llm_server), reached from the kernel on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from hydra_magic.testing.jupyterlab import LabDidNotStart, running_lab
from hydra_magic.testing.llm_server import LLMServer, Reply

from .test_browser import (CHROMIUM, CHROMIUM_ARGS, JS_CELLS_DONE, _accept_kernel_dialog, _code, _require_browser,
                           _settings, cell, cell_text, run_cell)
from .test_weave import PREFIXES, TWO
from .test_weave_view import BRIDGE_AND_PRUNE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def cells(url: str) -> list[str]:
    return [
        "%load_ext hydra_magic",
        ("# three clusters and a scripted model\nfrom hydra_magic.engines.llm import LLMEngine\n"
         "from hydra_magic.outcomes import RetryPolicy\nhydra.load_ontology('three.ttl')\n"
         f"hydra.register_engine('scripted', LLMEngine('openai/x', api_base={url!r}, api_key='x', "
         "use_cache=False, cache_dir='cache', retry=RetryPolicy(max_attempts=1)))"),
        "%hydra ontology",
        ("# check\nfrom hydra_magic.weave import clusters\n"
         "print('CLUSTERS', len(clusters(hydra.ontology)), 'ISLAND', hydra.ontology.get_class('Island') is not None,"
         " 'FILMWORLD', hydra.ontology.get_class('FilmWorld') is not None)"),
    ]


@pytest.fixture(scope="module")
def weave_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, LLMServer]]:
    sync_playwright = _require_browser()
    base = tmp_path_factory.mktemp("weave-lab")
    root, home = base / "notebooks", base / "home"
    for d in (root, home):
        d.mkdir()
    _settings(home / "settings")
    (root / "three.ttl").write_text(PREFIXES + TWO + ":Island a owl:Class .\n")
    with LLMServer() as srv:
        srv.responder = lambda body: Reply(json_content=BRIDGE_AND_PRUNE)
        nb = {"cells": [_code(c) for c in cells(srv.url)],
              "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        (root / "weave.ipynb").write_text(json.dumps(nb))
        try:
            with running_lab(root, home, base / "lab.log") as lab:
                yield from _open_notebook(sync_playwright, lab, base, srv)
        except LabDidNotStart as exc:
            pytest.fail(str(exc))


def _open_notebook(sync_playwright: Any, lab: dict[str, Any], base: Any,
                   srv: LLMServer) -> Iterator[tuple[Any, LLMServer]]:
    """The notebook open in chromium, all cells run (as tests/test_browser.py's ``page``)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        pg = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.set_default_timeout(60_000)
        pg.goto(f"{lab['url']}/lab/tree/weave.ipynb?token={lab['token']}")
        pg.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        _accept_kernel_dialog(pg)
        pg.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""", timeout=90_000)
        pg.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        _accept_kernel_dialog(pg)
        pg.wait_for_function(JS_CELLS_DONE, timeout=120_000, polling=500)
        pg.errors = errors  # type: ignore[attr-defined]
        pg.shots = base  # type: ignore[attr-defined]
        yield pg, srv
        browser.close()


def test_propose_tick_one_apply_and_see_the_ontology_change(weave_page: tuple[Any, LLMServer]) -> None:
    page, srv = weave_page
    view = cell(page, 2).locator(".hw-ontology")
    view.get_by_text("3 class clusters").wait_for(timeout=30_000)
    assert srv.calls == 0  # showing the view asks no model
    view.locator("input.hw-weave-model").fill("scripted")
    view.locator("button[data-action='weave-propose']").click()
    panel = view.locator(".hw-weave[data-status='proposed']")
    panel.wait_for(timeout=60_000)
    assert panel.locator(".hw-weave-op").count() == 2 and srv.calls == 1
    assert panel.locator(".hw-add").get_by_text("+ Work subClassOf FilmWorld").count() == 1
    assert panel.locator(".hw-del").get_by_text("- Island type Class").count() == 1
    view.screenshot(path=str(page.shots / "weave-proposed.png"))
    apply = panel.locator("button[data-action='weave-apply']")
    assert apply.is_disabled()  # nothing ticked, nothing to apply
    panel.locator("input[type='checkbox'][data-op='2']").check()
    apply.click()
    done = view.locator(".hw-weave[data-status='applied']")
    done.wait_for(timeout=30_000)
    assert "Applied weave: prune Island" in done.locator(".hw-msg.hw-ok").inner_text()
    assert done.locator(".hw-weave-op[data-op='2']").get_by_text("applied", exact=True).count() == 1
    assert done.locator(".hw-weave-op[data-op='1']").get_by_text("not applied").count() == 1
    view.get_by_text("2 class clusters").wait_for(timeout=30_000)
    assert view.locator(".hw-tree").get_by_text("Island", exact=True).count() == 0
    view.screenshot(path=str(page.shots / "weave.png"))
    run_cell(page, 3)
    assert "CLUSTERS 2 ISLAND False FILMWORLD False" in cell_text(page, 3)  # only the ticked operation
    assert srv.calls == 1 and not page.errors, page.errors
