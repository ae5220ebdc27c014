"""``hydra bench qa``: the MedExQA evaluation's scoring, a whole run on an invented fixture, and its errors.

The fixture under tests/data/medexqa_invented/ is made up (no MedExQA text); it has
MedExQA's layout. No test here needs the network or a model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hydra_magic.bench import qa
from hydra_magic.cli import main

FIXTURE = Path(__file__).parent / "data" / "medexqa_invented"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "medexqa" / "dev"


# ------------------------------------------------------------------ matching
def test_ratio_threshold_edges() -> None:
    # 4 of 5 characters shared on both sides: 2*4/10 = 0.8 exactly, which matches (>=, as the reference).
    assert qa.ratio("abcde", "abcdx") == pytest.approx(0.8)
    assert qa.matches("abcde", "abcdx")
    # 3 of 4: 2*3/8 = 0.75, no match.
    assert qa.ratio("abcd", "abcx") == pytest.approx(0.75)
    assert not qa.matches("abcd", "abcx")
    # the threshold is a parameter
    assert qa.matches("abcd", "abcx", threshold=0.75)
    assert qa.THRESHOLD == 0.8


def test_ratio_ignores_case_underscores_spacing_and_edge_punctuation() -> None:
    assert qa.ratio("Alpha_waves", "  alpha   WAVES. ") == 1.0
    assert qa.ratio("Na+", "na") == 1.0  # edge punctuation goes (a known looseness)
    assert qa.ratio("", "") == 0.0
    assert qa.ratio("", "x") == 0.0
    assert qa.ratio("chylomicron", "Chylomicrons") > 0.9
    assert not qa.matches("Bq", "becquerel")  # no synonyms: a string ratio, not an LLM judge


def test_choose_option_picks_the_best_and_refuses_ties_and_nothing() -> None:
    opts = ["Alpha waves", "Beta waves", "Delta waves", "Theta waves"]
    assert qa.choose_option(["alpha wave"], opts)[0] == "A"
    assert qa.choose_option(["something", "delta waves"], opts)[0] == "C"  # any value counts
    assert qa.choose_option([], opts) == (None, 0.0)
    assert qa.choose_option(["   "], opts) == (None, 0.0)
    # "waves" is as close to "xx waves" as to "yy waves": a tie at the top is no choice
    letter, best = qa.choose_option(["waves"], ["xx waves", "yy waves", "a", "b"])
    assert letter is None and best > 0
    assert qa.choose_option(["qqq"], ["a", "b", "c", "d"])[0] is None  # all zero


def test_read_reply_forms() -> None:
    opts = ["Alpha", "Beta", "Gamma", "Delta"]
    assert qa.read_reply("B. Beta", opts) == ("Beta", "B")
    assert qa.read_reply("B", opts) == ("Beta", "B")
    assert qa.read_reply("(C) Gamma\nbecause ...", opts) == ("Gamma", "C")
    assert qa.read_reply("Answer: D", opts) == ("Delta", "D")
    assert qa.read_reply("a wave of some kind", opts) == ("a wave of some kind", None)  # article, not option A
    assert qa.read_reply("", opts) == ("", None)


def test_score_answer_reference_definitions() -> None:
    opts = ["Rondell", "Sylvania", "Marlow", "Kestrel"]
    # the first value decides the reference accuracy; any value the second one
    s = qa.score_answer(["Marlow", "Rondell"], "Rondell", opts, ran=True, answer_letter="A")
    assert s["successful"] and s["returned_results"]
    assert not s["correct"] and s["correct_any"]
    assert s["choice"] is None  # both Marlow and Rondell score 1.0: a tie
    s = qa.score_answer(["rondell"], "Rondell", opts, ran=True, answer_letter="A")
    assert s["correct"] and s["correct_any"] and s["choice"] == "A" and s["mc_correct"]
    # ran but found nothing: successful, no results, wrong
    s = qa.score_answer([], "Rondell", opts, ran=True, answer_letter="A")
    assert s["successful"] and not s["returned_results"] and not s["correct"] and s["choice"] is None
    # did not run: values (if any) do not count
    s = qa.score_answer(["Rondell"], "Rondell", opts, ran=False, answer_letter="A")
    assert not s["successful"] and not s["returned_results"] and not s["correct"] and not s["mc_correct"]
    # a letter given by the answerer is its choice
    s = qa.score_answer(["Sylvania"], "Rondell", opts, ran=True, letter="B", answer_letter="A")
    assert s["choice"] == "B" and not s["mc_correct"] and not s["correct"]


def test_summarize_rates_over_all_questions() -> None:
    outs = [
        {"successful": True, "returned_results": True, "correct": True, "correct_any": True,
         "choice": "A", "mc_correct": True},
        {"successful": True, "returned_results": True, "correct": False, "correct_any": True,
         "choice": "B", "mc_correct": False},
        {"successful": True, "returned_results": False, "correct": False, "correct_any": False,
         "choice": None, "mc_correct": False},
        {"successful": False, "returned_results": False, "correct": False, "correct_any": False,
         "choice": None, "mc_correct": False},
    ]
    m = qa.summarize(outs)
    assert (m["n"], m["successful"], m["with_results"], m["correct"], m["correct_any"], m["mc_correct"]) == \
        (4, 3, 2, 1, 2, 1)
    assert (m["success_rate"], m["result_rate"], m["accuracy"], m["accuracy_any_answer"], m["mc_accuracy"]) == \
        (0.75, 0.5, 0.25, 0.5, 0.25)
    assert qa.summarize([])["accuracy"] == 0.0


# ------------------------------------------------------------------ data
def test_read_questions_fixture() -> None:
    qs = qa.read_questions(FIXTURE)
    assert [q.qid for q in qs] == ["geography_1", "geography_2", "history_1"]
    assert qs[1].gold == "Amber River" and qs[1].answer == "B"
    assert len(qs[0].explanations) == 2
    # --limit takes questions in turn from each specialty
    assert [q.qid for q in qa._take(qs, 2)] == ["geography_1", "history_1"]


def test_bad_tsv_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x_dev.tsv").write_text("q\ta\tb\tc\td\te1\te2\tA\nq2\ta\tb\n", encoding="utf-8")
    with pytest.raises(qa.ParseError) as e:
        qa.read_questions(tmp_path)
    assert e.value.line == 2 and "x_dev.tsv" in e.value.source
    (tmp_path / "x_dev.tsv").write_text("q\ta\tb\tc\td\te1\te2\tE\n", encoding="utf-8")
    with pytest.raises(qa.ParseError, match="A-D"):
        qa.read_questions(tmp_path)


def test_missing_data_dir_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    rc = main(["bench", "qa", "--data-dir", str(missing), "--out", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert rc == 2
    assert str(missing) in err and "--data-dir" in err and "does not exist" in err
    assert "MedExQA" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.json").exists()
    # a folder without .tsv files
    (tmp_path / "empty").mkdir()
    rc = main(["bench", "qa", "--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "o.json")])
    assert rc == 2 and "no MedExQA .tsv" in capsys.readouterr().err


# ------------------------------------------------------------------ whole runs
def _consistent(r: dict, n: int) -> None:
    assert r["n"] == n == len(r["questions"])
    assert r["leak"].startswith("LEAK:")
    m = r["kg"]
    assert m["n"] == n
    assert m["correct"] <= m["with_results"] <= m["successful"] <= n
    assert m["correct"] <= m["correct_any"] <= m["with_results"]
    assert m["mc_correct"] <= m["mc_chosen"] <= n
    for k in ("success_rate", "result_rate", "accuracy", "accuracy_any_answer", "mc_accuracy"):
        assert 0.0 <= m[k] <= 1.0
    assert sum(s["kg"]["n"] for s in r["per_specialty"].values()) == n
    assert sum(s["kg"]["correct"] for s in r["per_specialty"].values()) == m["correct"]
    for q in r["questions"]:
        assert q["answer"] in "ABCD" and q["gold"] == q["options"][q["answer"]]
        k = q["kg"]
        assert set(k) >= {"successful", "returned_results", "correct", "correct_any", "choice", "mc_correct",
                          "values", "why_not", "sparql"}
        assert k["returned_results"] or k["why_not"] or k["error"]  # every miss says why
    o = r["ontology"]
    assert o["cqs"] == n and o["cqs_read"] + o["cqs_not_understood"] == n


def test_whole_command_on_the_invented_fixture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "qa.json"
    rc = main(["bench", "qa", "--data-dir", str(FIXTURE), "--out", str(out), "--verbose"])
    printed = capsys.readouterr().out
    assert rc == 0, printed
    r = json.loads(out.read_text(encoding="utf-8"))
    _consistent(r, 3)
    assert r["engine"] == "rules" and r["baseline"] is None
    assert r["facts"]["extracted"] > 0
    # The invented explanations say it plainly, and the offline engine reads them: all three right.
    assert r["kg"]["correct"] == r["kg"]["mc_correct"] == 3
    assert "LEAK:" in printed and "success rate" in printed and "multiple-choice accuracy" in printed
    assert "chance" in printed and "geography_2" in printed  # --verbose: the per-question table


def test_model_run_has_a_baseline_scored_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A model engine (scripted, no network) adds the no-KG baseline."""
    import hydra_magic.engines as engines
    from hydra_magic.engines.rules import RulesEngine

    # The graph side runs on the rules engine under a model's name; the baseline gets scripted replies.

    real = engines.get_engine
    monkeypatch.setattr(engines, "get_engine",
                        lambda name="rules", **kw: RulesEngine() if name == "scripted/model" else real(name, **kw))
    replies = {"Which city": "A. Rondell", "Which river": "C", "Who founded": "I do not know"}

    def complete(model: str, api_base: str | None, messages: list, *, timeout: float) -> str:
        assert model == "scripted/model" and api_base == "http://127.0.0.1:9/v1"
        user = messages[-1]["content"]
        return next(v for k, v in replies.items() if k in user)

    r = qa.run(FIXTURE, engine="scripted/model", api_base="http://127.0.0.1:9/v1",
               output=tmp_path / "m.json", complete=complete)
    capsys.readouterr()
    _consistent(r, 3)
    b = r["baseline"]
    assert b["n"] == 3 and b["successful"] == 3
    assert b["correct"] == 1 and b["mc_correct"] == 1  # A right; C wrong (gold B); the third no choice
    per = {q["id"]: q["baseline"] for q in r["questions"]}
    assert per["geography_2"]["choice"] == "C" and per["history_1"]["choice"] is None
    assert json.loads((tmp_path / "m.json").read_text())["baseline"] == b


def test_baseline_call_failure_is_that_questions_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import hydra_magic.engines as engines
    from hydra_magic.engines.rules import RulesEngine

    def boom(*a: object, **k: object) -> str:
        raise ConnectionError("refused")

    monkeypatch.setattr(engines, "get_engine", lambda name="rules", **kw: RulesEngine())
    r = qa.run(FIXTURE, engine="scripted/model", limit=1, output=None, complete=boom, out=io.StringIO())
    assert r["n"] == 1 and r["baseline"]["successful"] == 0 and r["baseline"]["accuracy"] == 0.0
    assert "refused" in r["questions"][0]["baseline"]["error"]


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason=f"MedExQA dev split not at {REAL}")
def test_real_dev_split_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = qa.run(REAL, output=tmp_path / "real.json")
    capsys.readouterr()
    _consistent(r, 25)
    assert len(r["per_specialty"]) == 5
    assert all(s["kg"]["n"] == 5 for s in r["per_specialty"].values())
