"""Every tutorial notebook runs top to bottom in a real kernel: offline, no API key.

Each one runs in a temporary copy of ``tutorials/`` so that no outputs and no
``.hydra/`` journal are written into the repository.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .model_server import ModelServer, model_server  # noqa: F401

pytestmark = pytest.mark.kernel

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

TUTORIALS = Path(__file__).resolve().parent.parent / "tutorials"
NOTEBOOKS = sorted(TUTORIALS.glob("*.ipynb"))
#: Variables that would let a tutorial reach a model; unset so CI proves the offline path.
MODEL_ENV = ("HYDRA_TUTORIAL_MODEL", "HYDRA_TUTORIAL_API_BASE",
             "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OLLAMA_API_BASE", "OPENAI_API_BASE",
             "OPENAI_BASE_URL", "LITELLM_API_BASE")


def test_there_are_numbered_tutorials() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names[:5] == ["01_quickstart.ipynb", "02_competency_questions_and_ontology.ipynb",
                         "03_extraction_and_verification.ipynb", "04_bring_your_own_ontology.ipynb",
                         "05_connect_a_real_model.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_tutorial_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_tutorial_runs_offline(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in MODEL_ENV:
        monkeypatch.delenv(var, raising=False)
    # Tutorial 05 looks for a local model server; one that another process runs on the default
    # port must not take this test online, so it looks at a port where nothing listens.
    from hydra_magic.testing.sparql_servers import free_port

    monkeypatch.setenv("HYDRA_TUTORIAL_API_BASE", f"http://127.0.0.1:{free_port()}/v1")
    shown = _run_tutorial(path, tmp_path, monkeypatch)
    missing = [needle for needle in KEY_OUTPUTS.get(path.name, ()) if needle not in shown]
    assert not missing, f"{path.name} no longer shows what it teaches: {missing}"


def _run_tutorial(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timeout: int = 300) -> str:
    """Run a copy of ``path`` in a real kernel; check it raised nothing and wrote nothing git would show."""
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    work = tmp_path / "tutorials"
    shutil.copytree(TUTORIALS, work, ignore=shutil.ignore_patterns(".hydra", ".ipynb_checkpoints", "*.ttl"))
    repo_journal = TUTORIALS / ".hydra"
    existed = repo_journal.exists()
    nb = nbformat.read(work / path.name, as_version=4)
    before = _files(work)
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(work)}})
    client.execute()
    written = sorted(set(_files(work).items()) - set(before.items()))
    # What a reader's run writes must not show up in `git status` of their checkout.
    not_ignored = [rel for rel, _ in written if not _git_ignores(f"tutorials/{rel}")]
    assert not not_ignored, f"{path.name} wrote files git would show: {not_ignored}"
    errors = [(i, o.ename, o.evalue) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"
              and "raises-exception" not in c.metadata.get("tags", [])]
    assert not errors
    assert repo_journal.exists() == existed, "the tutorial wrote a journal into the repository"
    shown = _all_text(nb)
    assert "Traceback" not in shown
    return shown


@pytest.mark.model
def test_tutorial_05_runs_on_a_real_local_model(model_server: ModelServer, tmp_path: Path,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With a local server up, tutorial 05 extracts with that model and shows what the contracts did with it."""
    for var in MODEL_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HYDRA_TUTORIAL_API_BASE", model_server.api_base)
    monkeypatch.setenv("HYDRA_MAGIC_CACHE_DIR", str(tmp_path / "cache"))
    shown = _run_tutorial(TUTORIALS / "05_connect_a_real_model.ipynb", tmp_path, monkeypatch, timeout=600)
    assert f"A local server answered at {model_server.api_base}" in shown
    assert "Session 'tutorial-05' uses model 'openai/" in shown
    assert "engine 'openai/" in shown  # the extraction ran on the model, not on the offline engine
    # whatever the model said, every refusal shown names its rule
    refused = [line for line in shown.splitlines() if line.strip().startswith("refused (")]
    assert all(re.search(r": \[[a-z_]+\] ", line) for line in refused), refused


#: What a tutorial teaches, as it must show in its outputs (checked after running it).
KEY_OUTPUTS: dict[str, tuple[str, ...]] = {
    "01_quickstart.ipynb": (
        "4 competency questions: +6 classes, +4 properties, 0 rejected, 0 not understood",
        "(ridley_scott, isA, Director)  [type_inferred]", "knowledge graph: 11 facts, 6 entities",
        "ent:blade_runner  ent:ridley_scott",
        "Wrote the ontology and knowledge graph of session 'tutorial-01' to exports/films.ttl",
    ),
    "02_competency_questions_and_ontology.ipynb": (
        "1 not understood", "[unparsed_cq]", "[class_not_pascal_case]",
        "Undid: Turtle: +1 class, +0 properties.",
        "['Actor', 'Company', 'Director', 'Entity', 'Film', 'Person', 'Studio']",
    ),
    "03_extraction_and_verification.ipynb": (
        "source 'films': 7 verified, 10 on inferred types, 0 rejected", "3 earlier facts now verified",
        "3 rejected (hedged: 1, hypothetical: 1, negated: 1)",
        "['range_mismatch'] - 'born in' needs an object of type Place; 'alien' is a Film.",
    ),
    "04_bring_your_own_ontology.ipynb": (
        "loaded text2kgbench_movie_ontology.json: 12 classes, 15 properties", "14 of 14 gold triples found",
    ),
    "05_connect_a_real_model.ipynb": (
        "HYDRA_TUTORIAL_MODEL is not set and no model server answered at",
        "so this notebook stays on the offline 'rules' engine",
        "Session 'tutorial-05' uses model 'rules'.", "engine 'rules': ",
    ),
    "06_ask_the_graph.ipynb": (
        "A: answer=Alien", "because (Ridley Scott, directs, Alien) [films]: "
        "'Alien is a 1979 science fiction film directed by Ridley Scott.'",
        "A: answer=Michael Mann", "A: yes", "A: count=2",
        "No answer: the graph holds no facts matching (?answer starsIn Heat)",
        "No answer: the question cannot be put in the ontology's terms",
        "Alien <- films : Alien is a 1979 science fiction film directed by Ridley Scott.",
    ),
}


def _files(root: Path) -> dict[str, float]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


def _git_ignores(path: str) -> bool:
    """``path`` (relative to the repository) is ignored by the repository's .gitignore."""
    repo = TUTORIALS.parent
    if shutil.which("git") is None or not (repo / ".git").exists():
        pytest.skip("not a git checkout: cannot check what git would show")
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=repo)
    return done.returncode == 0


def _all_text(nb: Any) -> str:
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type in ("execute_result", "display_data"):
                parts.append(o.data.get("text/plain", ""))
    return "\n".join(parts)


def test_demo_runs_offline_and_writes_its_session(tmp_path: Path) -> None:
    """`make demo` = `python -m hydra_magic.demo`: exit 0, every section printed, the journal written."""
    import subprocess
    import sys

    journal = tmp_path / "journal"
    out = subprocess.run([sys.executable, "-m", "hydra_magic.demo", "--journal-dir", str(journal)],
                         check=False, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    for section in ("Competency questions (6)", "Ontology:", "Accepted triples", "Rejected candidates",
                    "mistakes the contracts refuse (4 of 4)", "Session written"):
        assert section in out.stdout
    for code in ("domain_mismatch", "range_mismatch", "unknown_property", "literal_datatype_mismatch"):
        assert code in out.stdout
    # verified and inferred-type facts are told apart (the example states some types, not all)
    assert re.search(r"Accepted triples \(\d+: \d+ verified, \d+ on inferred types\)", out.stdout)
    assert "  ~ (" in out.stdout and "  + (" in out.stdout and "[type_inferred]" in out.stdout
    assert "owl:ObjectProperty" in out.stdout
    assert (journal / "demo" / "changes.log").is_file() and (journal / "demo.ttl").is_file()
    assert f"journal:  {journal / 'demo'}" in out.stdout
    assert not (tmp_path / ".hydra").exists()
