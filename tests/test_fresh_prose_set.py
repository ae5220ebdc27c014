"""The fresh held-out prose set (``bench/data/prose_fresh.json``, issue 16): well formed, and scored in make test.

Written on 2026-12-05 by an engineer who read neither the engine nor its results, so its
figures are the engine's on text nobody tuned it on. The test prints them; it asserts
only what the data fixes (counts, classes adding up), never a score.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hydra_magic.bench import prose
from hydra_magic.sentences import split_sentences

FRESH = Path(prose.__file__).parent / "data" / "prose_fresh.json"


@pytest.fixture(scope="module")
def fresh() -> list[prose.Paragraph]:
    return prose.load_dev_set(FRESH, split="held-out")


def test_every_paragraph_is_held_out_and_every_domain_has_three(fresh: list[prose.Paragraph]) -> None:
    assert prose.load_dev_set(FRESH, split="dev") == []
    by_domain = {p.domain: sum(q.domain == p.domain for q in fresh) for p in fresh}
    assert len(by_domain) == 7 and set(by_domain.values()) == {3}
    dev_ids = {p.id for p in prose.load_dev_set(split="all")}
    assert not dev_ids & {p.id for p in fresh}


def test_every_gold_entity_is_written_in_its_paragraph(fresh: list[prose.Paragraph]) -> None:
    for p in fresh:
        assert 3 <= len(split_sentences(p.text)) <= 8, p.id
        words = set(prose.normalise_name(p.text).split())
        for f in (*p.facts, *p.not_facts):
            assert 0 <= f.cq < len(p.cqs), (p.id, f)
            for name in (f.about, f.answer):
                if name is not None:
                    forms = (name, *p.aliases.get(name, ()))
                    assert any(set(prose.normalise_name(x).split()) <= words for x in forms), (p.id, name)


def test_the_fresh_set_is_scored_and_its_figures_printed(fresh: list[prose.Paragraph],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    printed = io.StringIO()
    res = prose.run(split="held-out", data=FRESH, stream=printed)["held-out"]
    with capsys.disabled():  # the figures show in the log of `make test`
        print("\n" + printed.getvalue().replace("prose held-out", "prose fresh held-out"))
    required = sum(not f.optional for p in fresh for f in p.facts)
    assert res["paragraphs"] == len(fresh) and res["micro"]["gold"] == required
    assert res["micro"]["matched"] + sum(res["misses"].values()) == required
    assert res["micro"]["correct"] + sum(res["wrong"].values()) == res["micro"]["emitted"]
