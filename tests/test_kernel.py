"""A real Jupyter kernel runs every magic, with the default offline engine.

One notebook built with nbformat and executed by nbclient (what a CI notebook
run or `jupyter nbconvert --execute` does), plus one raw jupyter_client session
that sends JupyterLab's ``cellId`` metadata, which nbclient does not send.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.kernel

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"

CQS = """\
# films
Which films did a director direct?
Which actors star in a film?
When was a film released?"""

TEXT = """\
Alien is a 1979 film directed by Ridley Scott. Sigourney Weaver stars in Alien.
Blade Runner is a 1982 film directed by Ridley Scott. Harrison Ford stars in Blade Runner.
<script>alert(1)</script> <img src=x onerror=alert(2)> Heat was directed by Michael Mann."""

ZOO = """\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix z: <http://example.org/zoo#> .
z:Animal a owl:Class .
z:Lion a owl:Class ; rdfs:subClassOf z:Animal .
"""


def _cell(source: str, tag: str | None = None, name: str = "") -> Any:
    cell = nbformat.v4.new_code_cell(source)
    if tag:
        cell.metadata["tags"] = [tag]
    if name:
        cell.metadata["name"] = name
    return cell


def _notebook() -> Any:
    cells = [
        _cell("import sys, json\nprint(sys.prefix)", name="prefix"),
        _cell("%load_ext hydra_magic", name="load"),
        _cell("type(hydra).__name__, hydra is __import__('hydra_magic').get_session()", name="hydra-var"),
        _cell("long_text = 'Alien is a 1979 film directed by Ridley Scott. ' * 4", name="long-text"),
        _cell(f"%%cq\n{CQS}", name="cq"),
        _cell(f"%%extract --source films\n{TEXT}", name="extract"),
        _cell(f"%%extract --source films\n{TEXT}", name="extract-again"),
        _cell("%config HydraMagics.chunk_chars = 60\n"
              "%extract --from long_text --source chunks\n"
              "%config HydraMagics.chunk_chars = 2000", name="chunks"),
        _cell("%%sparql --out rows\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5", name="sparql"),
        _cell(f'%%sparql\nSELECT ?x WHERE {{ BIND("{XSS}" AS ?x) }}', name="sparql-xss"),
        _cell("print(type(rows).__name__, len(rows))", name="rows"),
        _cell("%%ontology\n:Studio a owl:Class ; rdfs:subClassOf :Entity .\n"
              ":releaseYear a owl:DatatypeProperty ; rdfs:range xsd:integer .", name="ontology"),
        _cell(f"open('zoo.ttl', 'w').write('''{ZOO}''')\n%hydra load-ontology zoo.ttl", name="load-ontology"),
        _cell("%hydra status", name="status"),
        _cell("%hydra model rules", name="model"),
        _cell("%hydra accept", name="accept-list"),
        _cell("%hydra remove", name="remove-list"),
        _cell("%hydra remove 1", name="remove"),
        _cell("%hydra undo", name="undo"),
        _cell("%hydra export out.ttl --what kg", name="export"),
        _cell("%hydra sessions", name="sessions"),
        _cell("%hydra session other", name="session-other"),
        _cell("%hydra session default", name="session-default"),
        _cell("%hydra help", name="help"),
        _cell("%hydra retry", tag="raises-exception", name="retry"),
        _cell("%hydra stauts", tag="raises-exception", name="typo"),
        _cell("%%extract\n", tag="raises-exception", name="empty-extract"),
        _cell("%%rules\nreleaseYear >= 1888", name="rules"),
        _cell("%%shacl\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
              ":FilmShape a sh:NodeShape ; sh:targetClass :Film .",
              name="shacl"),
        _cell("%hydra verify", name="verify"),
        _cell("%hydra graph", name="graph"),
        _cell("%hydra reset\n%hydra undo", name="reset-undo"),
        _cell("print(json.dumps(hydra.status()))", name="final"),
        _cell("%unload_ext hydra_magic\nprint('hydra' in dir())", name="unload"),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                            "display_name": "Python 3"}})


@pytest.fixture(scope="module")
def executed(tmp_path_factory: Any) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("kernel-nb")
    nb = _notebook()
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=False,
                                     resources={"metadata": {"path": str(work)}})
    client.execute()
    return {"cells": {c.metadata.get("name"): c for c in nb.cells}, "dir": work}


def _text(cell: Any) -> str:
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def _html(cell: Any) -> str:
    return "".join(out.data.get("text/html", "") for out in cell.outputs
                   if out.output_type in ("execute_result", "display_data"))


def _usage_error(cell: Any) -> str:
    """The message of the UsageError a cell raised: IPython prints it as one stderr line, no traceback."""
    assert not [o for o in cell.outputs if o.output_type == "error"], "a traceback was shown"
    err = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
    assert err.startswith("UsageError: "), f"expected a UsageError in cell {cell.metadata.get('name')}: {err!r}"
    return err


def test_kernel_is_this_environment(executed: dict[str, Any]) -> None:
    assert _text(executed["cells"]["prefix"]).strip() == sys.prefix


def test_every_magic_runs_in_a_kernel(executed: dict[str, Any]) -> None:
    cells = executed["cells"]
    assert "new session 'default'" in _text(cells["load"])
    assert "('Session', True)" in _text(cells["hydra-var"])
    cq = _text(cells["cq"])
    assert "competency questions" in cq and "+0 classes" not in cq
    first, again = _text(cells["extract"]), _text(cells["extract-again"])
    assert "source 'films'" in first and "replaced" in again
    assert _text(cells["rows"]).startswith("list 5")
    # A multi-chunk text shows an ipywidgets progress bar in a kernel (closed when done).
    widgets = [o for o in cells["chunks"].outputs if o.output_type == "display_data"
               and "application/vnd.jupyter.widget-view+json" in o.data]
    assert widgets, cells["chunks"].outputs
    assert "Studio" in _text(cells["ontology"])
    assert "loaded zoo.ttl: 2 classes" in _text(cells["load-ontology"])
    assert "facts" in _text(cells["status"]) and "<table" in _html(cells["status"])
    assert "now uses model 'rules'" in _text(cells["model"])
    assert "Removed (" in _text(cells["remove"]) and "Undid: removed" in _text(cells["undo"])
    assert (executed["dir"] / "out.ttl").is_file() and "Wrote the knowledge graph" in _text(cells["export"])
    assert "* default" in _text(cells["sessions"])
    assert "new session 'other'" in _text(cells["session-other"])
    assert "Switched to session 'default'" in _text(cells["session-default"])
    assert "%hydra load-ontology" in _text(cells["help"])
    final = json.loads(_text(cells["final"]).strip().splitlines()[-1])
    assert final["session"] == "default" and final["facts"] > 0 and final["classes"] >= 3
    assert _text(cells["unload"]).strip() == "False"
    # The journal went to the notebook's directory, nowhere else.
    assert (executed["dir"] / ".hydra" / "default" / "changes.log").is_file()
    assert (executed["dir"] / ".hydra" / "default" / "store").is_dir()


def test_errors_are_short_usage_errors(executed: dict[str, Any]) -> None:
    cells = executed["cells"]
    for name, words in (("retry", "no failed chunk"), ("typo", "Did you mean 'status'"),
                        ("empty-extract", "cell body is empty")):
        assert words in _usage_error(cells[name]), name


def test_verification_cells(executed: dict[str, Any]) -> None:
    cells = executed["cells"]
    assert "Added 1 value rule" in _text(cells["rules"]) and "SHACL shape" in _text(cells["shacl"])
    assert not [o for o in cells["verify"].outputs if o.output_type == "error"]
    assert not [o for o in cells["graph"].outputs if o.output_type == "error"]


def test_user_text_is_escaped_in_html_outputs(executed: dict[str, Any]) -> None:
    cells = executed["cells"]
    escaped_seen = False
    for name, cell in cells.items():
        page = _html(cell)
        assert "<script>alert(1)" not in page, name
        assert "<img src=x onerror" not in page, name
        escaped_seen |= "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert escaped_seen, "the injected text should appear, escaped, in some HTML output"
    assert "&lt;img src=x onerror=alert(2)&gt;" in _html(cells["sparql-xss"])


# ----------------------------------------------------------------------------- cellId from the front end
def _run(kc: Any, code: str, cell_id: str | None = None, timeout: float = 120) -> tuple[dict[str, Any], str]:
    """Send one execute_request the way JupyterLab does (``cellId`` in the metadata); return reply and output."""
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    msg = kc.session.msg("execute_request", content)
    if cell_id:
        msg["metadata"]["cellId"] = cell_id
    kc.shell_channel.send(msg)
    msg_id = msg["header"]["msg_id"]
    out: list[str] = []
    while True:
        io = kc.get_iopub_msg(timeout=timeout)
        if io["parent_header"].get("msg_id") != msg_id:
            continue
        kind, c = io["msg_type"], io["content"]
        if kind == "stream":
            out.append(c["text"])
        elif kind in ("execute_result", "display_data"):
            out.append(c["data"].get("text/plain", ""))
        elif kind == "error":
            out.append(f"{c['ename']}: {c['evalue']}")
        elif kind == "status" and c["execution_state"] == "idle":
            break
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], "".join(out)


def test_extract_uses_the_front_end_cell_id(tmp_path: Path) -> None:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:
        assert _run(kc, "%load_ext hydra_magic")[0]["status"] == "ok"
        assert _run(kc, f"%%cq\n{CQS}")[0]["status"] == "ok"
        reply, out = _run(kc, "%%extract\nAlien is a 1979 film directed by Ridley Scott.\n"
                              "Blade Runner is a 1982 film directed by Ridley Scott.", cell_id="lab-cell-7")
        assert reply["status"] == "ok", out
        assert "source 'cell-lab-cell-7'" in out
        before = _run(kc, "print(len(hydra.kg))")[1].strip()
        # The user edits the cell and runs it again: same cell, so its facts are replaced, not added.
        reply, out = _run(kc, "%%extract\nAlien is a 1979 film directed by Ridley Scott.", cell_id="lab-cell-7")
        assert reply["status"] == "ok", out
        assert "replaced" in out
        _, sources = _run(kc, "print(hydra.kg.sources())")
        assert sources.strip() == "['cell-lab-cell-7']"
        after = _run(kc, "print(len(hydra.kg))")[1].strip()
        assert int(after) < int(before)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
