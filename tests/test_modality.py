"""The polarity / modality contract: cue families, look-alikes, spans, and the dev-set figures."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import hydra_magic.contracts.modality as modality
from hydra_magic.contracts.modality import CUE_CODES, Cue, modality_cue

DEV = Path(__file__).parent / "data" / "modality_dev.jsonl"


def spans(sentence: str, subject: str | None, obj: str | None):
    def find(term):
        if term is None:
            return None
        i = sentence.find(term)
        assert i >= 0, (term, sentence)
        return (i, i + len(term))
    return find(subject), find(obj)


def cue(sentence: str, subject: str | None, obj: str | None) -> Cue | None:
    return modality_cue(sentence, *spans(sentence, subject, obj))


# --------------------------------------------------------------------------- cue families
# (sentence, subject, object, expected code, expected cue text)

ACCEPT = [
    # negation
    ("Lucas did not direct The Empire Strikes Back.", "Lucas", "The Empire Strikes Back",
     "negated", "not"),
    ("Lucas didn't direct Return of the Jedi.", "Lucas", "Return of the Jedi", "negated", "didn't"),
    ("The Seine never flows through Lyon.", "Seine", "Lyon", "negated", "never"),
    ("Kodak no longer makes film cameras.", "Kodak", "film cameras", "negated", "no longer"),
    ("Neither Sony nor Fox bought Marvel.", "Fox", "Marvel", "negated", "nor"),
    ("Arsenal failed to win the 2006 final.", "Arsenal", "2006 final", "negated", "failed to"),
    ("Yahoo refused to sell to Microsoft.", "Yahoo", "Microsoft", "negated", "refused to"),
    ("The minister denied that Boeing paid the agency.", "Boeing", "agency", "negated", "denied"),
    ("Vitamin C has no effect on the common cold.", "Vitamin C", "common cold", "negated", "no"),
    ("Madrid won the cup without Modrić.", "Madrid", "Modrić", "negated", "without"),
    ("Fleming found penicillin, not insulin.", "Fleming", "insulin", "negated", "not"),
    # hedging
    ("Hughes reportedly directed The Outlaw.", "Hughes", "The Outlaw", "hedged", "reportedly"),
    ("Tesla allegedly bought the patent from Edison.", "Tesla", "Edison", "hedged", "allegedly"),
    ("Garlic may lower blood pressure.", "Garlic", "blood pressure", "hedged", "may"),
    ("Marlowe might have written Henry VI.", "Marlowe", "Henry VI", "hedged", "might have"),
    ("The virus could have come from bats.", "virus", "bats", "hedged", "could have"),
    ("Google is said to be buying Fitbit.", "Google", "Fitbit", "hedged", "is said to"),
    ("Homer is thought to have lived in Ionia.", "Homer", "Ionia", "hedged", "is thought to"),
    ("It is rumoured that Pixar will close its Vancouver studio.", "Pixar", "Vancouver", "hedged",
     "It is rumoured that"),
    ("Sources claim Uber acquired Lyft's bike unit.", "Uber", "Lyft", "hedged", "Sources claim"),
    ("Caesar probably crossed the Rubicon at night.", "Caesar", "Rubicon", "hedged", "probably"),
    # hypothetical / future
    ("Nolan will direct The Odyssey.", "Nolan", "The Odyssey", "hypothetical", "will"),
    ("Nike plans to open a store in Oslo.", "Nike", "Oslo", "hypothetical", "plans to"),
    ("Salah is expected to join Al-Ittihad.", "Salah", "Al-Ittihad",
     "hypothetical", "is expected to"),
    ("If Intel buys Arm, regulators will object.", "Intel", "Arm", "hypothetical", "If"),
    ("Unless Sony sells Crunchyroll, it keeps Funimation.", "Sony", "Crunchyroll",
     "hypothetical", "Unless"),
    ("The final is scheduled to take place in Munich.", "final", "Munich",
     "hypothetical", "is scheduled to"),
    ("Coogler would direct the sequel for Marvel.", "Coogler", "Marvel", "hypothetical", "would"),
]

REJECT = [
    # negation look-alikes
    ("Nevertheless, Lucas directed Star Wars.", "Lucas", "Star Wars"),
    ("The never-ending strike ended when Ford paid its workers.", "Ford", "workers"),
    ("Lucas not only directed Star Wars but also wrote it.", "Lucas", "Star Wars"),
    ("There is no doubt that Darwin sailed on the Beagle.", "Darwin", "Beagle"),
    ("It was not until 1969 that Armstrong walked on the Moon.", "Armstrong", "Moon"),
    ("Adele reached No. 1 in the UK with Hello.", "Adele", "UK"),
    ("The Man Who Wasn't There starred Billy Bob Thornton.", "The Man Who Wasn't There",
     "Billy Bob Thornton"),
    ("Nolan, no stranger to spectacle, directed Dunkirk.", "Nolan", "Dunkirk"),
    # hedging look-alikes
    ("Nadal claimed the Wimbledon title in 2008.", "Nadal", "Wimbledon"),
    ("Apple reported record sales in China.", "Apple", "China"),
    ("Zendaya appeared in Dune.", "Zendaya", "Dune"),
    ("In May 1953, Hillary climbed Everest.", "Hillary", "Everest"),
    ("Brian May co-founded Queen.", "Brian May", "Queen"),
    ("Might and Magic was developed by New World Computing.", "Might and Magic",
     "New World Computing"),
    # hypothetical look-alikes
    ("Will Smith's son Jaden starred in The Karate Kid.", "Jaden", "The Karate Kid"),
    ("In his will, Rhodes founded the Rhodes Scholarship.", "Rhodes", "Rhodes Scholarship"),
    ("Scorsese would later direct The Departed.", "Scorsese", "The Departed"),
    ("Einstein proposed the theory of relativity.", "Einstein", "relativity"),
    ("Casablanca is set in Morocco.", "Casablanca", "Morocco"),
    ("If Beale Street Could Talk was shot in Harlem.", "If Beale Street Could Talk", "Harlem"),
    # cue elsewhere in the sentence
    ("Garbo, who never married, starred in Camille.", "Garbo", "Camille"),
    ("Pfizer did not buy Allergan, but it bought Wyeth.", "Pfizer", "Wyeth"),
    ("Bowie recorded Heroes in Berlin, which he may have loved.", "Bowie", "Heroes"),
]


@pytest.mark.parametrize("sentence,subject,obj,code,text", ACCEPT, ids=[a[4] for a in ACCEPT])
def test_cue_fires(sentence, subject, obj, code, text):
    got = cue(sentence, subject, obj)
    assert got is not None, sentence
    assert (got.code, got.text) == (code, text), sentence
    assert sentence[got.span[0]:got.span[1]] == got.text


@pytest.mark.parametrize("sentence,subject,obj", REJECT, ids=[r[0][:40] for r in REJECT])
def test_cue_does_not_fire(sentence, subject, obj):
    assert cue(sentence, subject, obj) is None, sentence


def test_every_family_has_accept_and_reject_examples():
    assert {a[3] for a in ACCEPT} == set(CUE_CODES)
    assert len(REJECT) >= 3 * 6


# --------------------------------------------------------------------------- spans and API

def test_mixed_polarity_cue_governs_one_clause_only():
    s = "Scott never directed Titanic but directed Alien."
    assert cue(s, "Scott", "Titanic") == Cue("negated", "never", (6, 11))
    assert cue(s, "Scott", "Alien") is None


def test_one_mention_uses_its_clause():
    s = "He never directed Titanic, not Alien."
    assert cue(s, None, "Titanic").code == "negated"
    assert cue("Titanic was never released in France.", "Titanic", None).code == "negated"
    assert cue("He directed Titanic, not Alien.", None, "Titanic") is None


def test_no_mention_uses_the_whole_sentence():
    got = modality_cue("Reportedly, it was a hit.", None, None)
    assert got == Cue("hedged", "Reportedly", (0, 10))
    assert modality_cue("It was a hit.", None, None) is None


def test_spans_outside_the_sentence_count_as_missing():
    s = "Cameron directed Titanic."
    assert modality_cue(s, (-3, 4), (99, 120)) is None
    assert modality_cue("He never directed it.", (0, 2), (500, 510)).code == "negated"


def test_curly_apostrophes_and_cue_spans():
    s = "Scott’s team didn’t sign Kane."
    got = cue(s, "Scott", "Kane")
    assert got == Cue("negated", "didn’t", (13, 19))


def test_cue_is_frozen_and_codes_are_public():
    c = Cue("hedged", "may", (0, 3))
    with pytest.raises(Exception):
        c.code = "negated"  # type: ignore[misc]
    assert CUE_CODES == ("negated", "hedged", "hypothetical")
    assert set(modality.__all__) == {"CUE_CODES", "Cue", "modality_cue"}


def test_module_is_pure_standard_library():
    tree = ast.parse(Path(modality.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative import from the rest of hydra_magic"
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "re", "dataclasses", "functools"}


# --------------------------------------------------------------------------- dev set

def load_dev() -> list[dict]:
    with open(DEV, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_dev_set_is_well_formed():
    rows = load_dev()
    assert len(rows) >= 100
    for r in rows:
        assert set(r) == {"sentence", "subject", "object", "expected", "note"}, r
        assert r["subject"] in r["sentence"] and r["object"] in r["sentence"], r
        assert r["expected"] in (None, *CUE_CODES), r
    kind = lambda r: r["note"].split(":")[0]  # noqa: E731
    assert sum(1 for r in rows if r["expected"] and kind(r) != "mixed") >= 35
    assert sum(1 for r in rows if kind(r) in ("look-alike", "plain", "no-relation")) >= 35
    assert sum(1 for r in rows if kind(r) == "mixed") >= 20


def test_no_dev_set_strings_in_the_code():
    """The figures must come from rules, not from sentences or entities written into the code."""
    tree = ast.parse(Path(modality.__file__).read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    literals = [n.value.lower() for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and id(n) not in docstrings]
    terms = {t.lower() for r in load_dev() for t in (r["subject"], r["object"], r["sentence"])}
    leaked = sorted(t for t in terms if len(t) > 3 and any(t in lit for lit in literals))
    assert not leaked, leaked


def test_dev_set_precision_recall_and_look_alikes():
    rows = load_dev()
    tp = fp = fn = tn = right = 0
    misses, look_alikes_fired = [], []
    for r in rows:
        got = cue(r["sentence"], r["subject"], r["object"])
        code, exp = (got.code if got else None), r["expected"]
        if code and exp:
            tp += 1
            right += code == exp
        elif code:
            fp += 1
        elif exp:
            fn += 1
        else:
            tn += 1
        if code != exp:
            misses.append(f"{exp} -> {code} ({got.text if got else '-'}): "
                          f"({r['subject']} | {r['object']}) {r['sentence']}")
        if code and r["note"].startswith("look-alike"):
            look_alikes_fired.append(f"{r['sentence']} -> {got}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    report = (f"n={len(rows)} TP={tp} FP={fp} FN={fn} TN={tn} P={precision:.3f} R={recall:.3f} "
              f"code acc={right / max(tp, 1):.3f}\n" + "\n".join(misses))
    assert not look_alikes_fired, "look-alikes fired:\n" + "\n".join(look_alikes_fired)
    assert precision >= 0.95, report
    assert recall >= 0.90, report
    assert right / max(tp, 1) >= 0.90, report


def test_no_inside_a_name_is_not_a_negation():
    # Text2KGBench TekGen: Japanese titles ("Mizu no Kotoba") made "no" look like a negator
    s = "Aquatic Language (Mizu no Kotoba) is a short film directed by Yasuhiro Yoshiura."
    assert modality_cue(s, (0, 16), None) is None
    assert modality_cue(s, (0, 16), (s.index("Yasuhiro"), len(s) - 1)) is None
    assert modality_cue("Yoshiura directed no film in 2010.", (0, 8), None) is not None
