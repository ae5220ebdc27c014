"""``hydra bench prose``: the prose dev set, its scorer and the command (issue 16, item 7)."""

from __future__ import annotations

import json
import re

import pytest

from hydra_magic.bench import prose
from hydra_magic.bench.prose import CQMapping, CQSpec, Emitted, GoldFact, Paragraph
from hydra_magic.cli import main
from hydra_magic.errors import ParseError
from hydra_magic.sentences import split_sentences

ONTO = "http://example.org/hydra/ontology#"
FOUNDS, SELLS, FOUNDED, BORDERS, LANGUAGE = (ONTO + n for n in ("founds", "sells", "foundingDate", "borders",
                                                                 "officialLanguage"))


# ------------------------------------------------------------------ the dev set
@pytest.fixture(scope="module")
def dev_set() -> list[Paragraph]:
    return prose.load_dev_set(split="all")


def test_dev_set_is_big_enough_and_split(dev_set: list[Paragraph]) -> None:
    assert len(dev_set) >= 30
    assert len({p.domain for p in dev_set}) >= 6
    held_out = [p for p in dev_set if p.split == "held-out"]
    assert len(held_out) >= 10
    assert {p.id for p in prose.load_dev_set(split="dev")} | {p.id for p in held_out} == {p.id for p in dev_set}
    # Every domain is in both parts, so held-out figures per domain mean something.
    assert {p.domain for p in held_out} == {p.domain for p in dev_set}


def test_every_paragraph_is_three_to_eight_sentences(dev_set: list[Paragraph]) -> None:
    for p in dev_set:
        assert 3 <= len(split_sentences(p.text)) <= 8, p.id


def test_every_gold_entity_is_named_in_its_paragraph(dev_set: list[Paragraph]) -> None:
    """A gold entity (or one of its aliases) is written in the text: every word of it occurs there."""
    for p in dev_set:
        words = set(prose.normalise_name(p.text).split())
        for f in (*p.facts, *p.not_facts):
            for name in (f.about, f.answer):
                if name is None:
                    continue
                forms = (name, *p.aliases.get(name, ()))
                assert any(set(prose.normalise_name(x).split()) <= words for x in forms), (p.id, name)


def test_every_phenomenon_of_the_issue_is_exercised(dev_set: list[Paragraph]) -> None:
    tags = {t for p in dev_set for f in (*p.facts, *p.not_facts) for t in f.tags}
    wanted = {"paraphrase", "passive", "light_verb", "coordination_subject", "coordination_object",
              "intervening_pp", "apposition", "copula", "possessive", "pronoun", "ambiguous_pronoun",
              "common_noun", "multiword_name", "date", "year", "quantity", "negation", "hedge"}
    assert wanted <= tags
    # Statements that must not be facts are in both parts.
    for split in ("dev", "held-out"):
        assert any(p.not_facts for p in dev_set if p.split == split)


def test_gold_facts_are_well_formed(dev_set: list[Paragraph]) -> None:
    for p in dev_set:
        for f in (*p.facts, *p.not_facts):
            assert 0 <= f.cq < len(p.cqs)
            assert (f.answer is None) == bool(f.values)
            assert all(prose.normalise_value(v) for v in f.values)
        assert any(not f.optional for f in p.facts)


def test_a_malformed_gold_fact_is_refused_with_its_paragraph(tmp_path) -> None:
    doc = json.loads(prose.default_data_path().read_text(encoding="utf-8"))
    doc["paragraphs"] = doc["paragraphs"][:1]
    doc["paragraphs"][0]["facts"][0]["cq"] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ParseError, match=r"paragraph 'med-imatinib' fact 0: cq must be the index"):
        prose.load_dev_set(bad)
    doc["paragraphs"][0]["facts"][0]["cq"] = 0
    doc["paragraphs"][0]["facts"][0]["tags"] = ["passiv"]
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ParseError, match=r"unknown tags \['passiv'\]"):
        prose.load_dev_set(bad)


# ------------------------------------------------------------------ normalising
@pytest.mark.parametrize("a, b", [
    ("221,000", "221000"), ("1.7 million", "1700000"), ("24 July 1783", "1783-07-24"),
    ("July 24, 1783", "1783-07-24"), ("2017-10-06T00:00:00", "2017-10-06"), ("22.0", "22"),
])
def test_values_normalise_alike(a: str, b: str) -> None:
    assert prose.normalise_value(a) == prose.normalise_value(b)


def test_a_year_is_not_a_date() -> None:
    assert prose.normalise_value("1975") != prose.normalise_value("1975-01-01")


def test_a_name_split_at_a_capital_still_matches() -> None:
    """An entity IRI splits "MacLeod" at its capital (duncan_mac_leod): the scorer still matches the gold name,
    while a different name does not."""
    emitted = prose.Emitted.of(["Duncan", "duncan mac leod"], "p", "x")
    assert prose.name_keys("Duncan MacLeod") & emitted.subject
    assert not prose.name_keys("Duncan Campbell") & emitted.subject
    assert prose.Emitted.of("s", "p", "1,200", literal=True).object == frozenset({"1200"})


def test_names_normalise_without_accents_case_or_punctuation() -> None:
    assert prose.normalise_name("Simón Bolívar") == prose.normalise_name("simon_bolivar")
    assert prose.normalise_name("Nintendo Co., Ltd.") == "nintendo co ltd"
    assert prose.normalise_name("The Salt Road") == prose.normalise_name("Salt Road")


# ------------------------------------------------------------------ scoring
def _para(**kw: object) -> Paragraph:
    base: dict = dict(
        id="p", split="dev", domain="business",
        text="Acme was founded by Ann Lee in 1990. Acme sells rockets and anvils. It does not sell kites.",
        cqs=(CQSpec("Who founded a company?"), CQSpec("When was a company founded?"),
             CQSpec("Which products does a company sell?")),
        facts=(GoldFact(0, "Acme", "Ann Lee", tags=("passive",)),
               GoldFact(1, "Acme", values=("1990",), tags=("year",)),
               GoldFact(2, "Acme", "rockets", tags=("coordination_object",)),
               GoldFact(2, "Acme", "anvils", tags=("coordination_object",))),
        not_facts=(GoldFact(2, "Acme", "kites", tags=("negation",)),),
        aliases={"Acme": ("Acme Corporation",)},
    )
    base.update(kw)
    return Paragraph(**base)  # type: ignore[arg-type]


MAPPINGS = [CQMapping("Who founded a company?", FOUNDS, "object", "domain"),
            CQMapping("When was a company founded?", FOUNDED, "data", "range"),
            CQMapping("Which products does a company sell?", SELLS, "object", "range")]
PERFECT = [Emitted.of("Ann Lee", FOUNDS, "Acme Corporation"), Emitted.of("Acme", FOUNDED, "1990", literal=True),
           Emitted.of("Acme", SELLS, "rockets"), Emitted.of("acme", SELLS, "Anvils", verified=False)]
ENTITIES = [frozenset({"acme"}), frozenset({"ann lee"}), frozenset({"rockets"}), frozenset({"anvils"})]


def _figures(score: prose.ParagraphScore) -> dict:
    return prose.summarize([score])


def test_a_perfect_extraction_scores_one() -> None:
    score = prose.score_paragraph(_para(), MAPPINGS, PERFECT, entities=ENTITIES)
    s = _figures(score)
    assert (s["micro"]["precision"], s["micro"]["recall"], s["micro"]["f1"]) == (1.0, 1.0, 1.0)
    assert s["accepted"] == {"verified": 3, "flagged": 1, "verified_correct": 3, "flagged_correct": 1, "typings": 0}
    # Over verified facts only, the flagged anvils fact is not there.
    assert s["verified_only"]["recall"] == 0.75
    assert sum(s["misses"].values()) == 0 and sum(s["wrong"].values()) == 0


def test_a_swapped_argument_is_a_wrong_fact_and_a_miss() -> None:
    emitted = [Emitted.of("Acme", FOUNDS, "Ann Lee"), *PERFECT[1:]]
    score = prose.score_paragraph(_para(), MAPPINGS, emitted, entities=ENTITIES)
    s = _figures(score)
    assert s["micro"]["precision"] == 0.75 and s["micro"]["recall"] == 0.75
    assert s["wrong"]["swapped"] == 1 and s["misses"]["swapped"] == 1


def test_a_symmetric_cq_accepts_either_direction() -> None:
    para = _para(cqs=(CQSpec("Which countries border a country?", symmetric=True),),
                 facts=(GoldFact(0, "Slovenia", "Italy", tags=("passive",)),), not_facts=())
    m = [CQMapping("Which countries border a country?", BORDERS, "object", "range", symmetric=True)]
    for emitted in (Emitted.of("Italy", BORDERS, "Slovenia"), Emitted.of("Slovenia", BORDERS, "Italy")):
        assert _figures(prose.score_paragraph(para, m, [emitted]))["micro"]["f1"] == 1.0


def test_a_wrong_argument_is_told_apart_from_an_unsupported_fact() -> None:
    emitted = [*PERFECT[:2], Emitted.of("Acme", SELLS, "rockets and anvils"), Emitted.of("Ann Lee", SELLS, "Zed")]
    score = prose.score_paragraph(_para(), MAPPINGS, emitted, entities=ENTITIES)
    verdicts = [v for _, v, _ in score.emitted]
    assert verdicts == ["correct", "correct", "wrong_argument", "unsupported"]
    assert [cls for _, _, cls, _ in score.gold] == ["", "", "wrong_argument", "wrong_argument"]


def test_a_negated_statement_accepted_is_counted() -> None:
    emitted = [*PERFECT, Emitted.of("Acme", SELLS, "kites")]
    score = prose.score_paragraph(_para(), MAPPINGS, emitted, entities=ENTITIES)
    s = _figures(score)
    assert s["not_facts"]["negation"] == {"accepted": 1, "of": 1}
    assert s["wrong"]["not_fact"] == 1
    assert s["micro"]["precision"] == 0.8 and s["micro"]["recall"] == 1.0
    assert score.not_facts_accepted[0][0].answer == "kites"


def test_a_cq_without_a_property_makes_its_facts_not_expressible() -> None:
    mappings = [MAPPINGS[0], MAPPINGS[1], CQMapping("Which products does a company sell?", None)]
    score = prose.score_paragraph(_para(), mappings, PERFECT[:2], entities=ENTITIES)
    assert [cls for _, _, cls, _ in score.gold] == ["", "", "not_expressible", "not_expressible"]
    unparsed = [MAPPINGS[0], MAPPINGS[1], CQMapping("Which products does a company sell?", None, parsed=False)]
    score = prose.score_paragraph(_para(), unparsed, PERFECT[:2], entities=ENTITIES)
    assert [cls for _, _, cls, _ in score.gold][2:] == ["cq_not_parsed", "cq_not_parsed"]


def test_a_value_under_an_object_property_is_not_expressible() -> None:
    mappings = [MAPPINGS[0], CQMapping("When was a company founded?", ONTO + "foundedIn", "object", "range"),
                MAPPINGS[2]]
    score = prose.score_paragraph(_para(), mappings, [], entities=ENTITIES)
    assert score.gold[1][2] == "not_expressible"


def test_an_entity_answer_under_a_data_property_matches_its_name() -> None:
    para = _para(cqs=(CQSpec("What is the official language of a country?"),),
                 facts=(GoldFact(0, "Slovenia", "Slovene", tags=("copula",)),), not_facts=())
    m = [CQMapping("What is the official language of a country?", LANGUAGE, "data", "range")]
    assert _figures(prose.score_paragraph(para, m, [Emitted.of("Slovenia", LANGUAGE, "Slovene",
                                                                literal=True)]))["micro"]["f1"] == 1.0


def test_misses_are_classed_by_what_the_graph_holds() -> None:
    rejected = [Emitted.of("Acme", SELLS, "anvils", codes=("untyped_entity",))]
    score = prose.score_paragraph(_para(), MAPPINGS, [PERFECT[2]], rejected,
                                  entities=[frozenset({"acme"}), frozenset({"rockets"}), frozenset({"anvils"})])
    classes = {g.describe(): (cls, detail) for g, _, cls, detail in score.gold}
    assert classes["CQ0 about 'Acme' -> Ann Lee"][0] == "entity_not_found"
    assert classes["CQ1 about 'Acme' -> '1990'"][0] == "relation_not_read"
    assert classes["CQ2 about 'Acme' -> anvils"] == ("rejected", "(Acme, sells, anvils): untyped_entity")


def test_a_correct_fact_of_another_cq_is_not_a_wrong_relation() -> None:
    """Director and writer: the directs fact is right, the writer fact is simply not read."""
    directs, writes = ONTO + "directs", ONTO + "writes"
    para = _para(cqs=(CQSpec("Who directed a film?"), CQSpec("Who wrote the screenplay of a film?")),
                 facts=(GoldFact(0, "Alien", "Ridley Scott", tags=("passive",)),
                        GoldFact(1, "Alien", "Ridley Scott", tags=("passive",))), not_facts=())
    m = [CQMapping("Who directed a film?", directs, "object", "domain"),
         CQMapping("Who wrote the screenplay of a film?", writes, "object", "domain")]
    names = [frozenset({"alien"}), frozenset({"ridley scott"})]
    score = prose.score_paragraph(para, m, [Emitted.of("Ridley Scott", directs, "Alien")], entities=names)
    assert [cls for _, _, cls, _ in score.gold] == ["", "relation_not_read"]
    score = prose.score_paragraph(para, m, [Emitted.of("Ridley Scott", ONTO + "produces", "Alien")], entities=names)
    assert [cls for _, _, cls, _ in score.gold] == ["wrong_relation", "wrong_relation"]


def test_a_year_for_a_date_is_a_wrong_value() -> None:
    emitted = [PERFECT[0], Emitted.of("Acme", FOUNDED, "1990-01-01", literal=True), *PERFECT[2:]]
    score = prose.score_paragraph(_para(), MAPPINGS, emitted, entities=ENTITIES)
    assert score.gold[1][2] == "wrong_argument"


def test_two_nodes_for_one_gold_entity_are_reported() -> None:
    entities = [*ENTITIES, frozenset({"acme corporation"})]
    score = prose.score_paragraph(_para(), MAPPINGS, PERFECT, entities=entities)
    assert score.split_entities == {"Acme": 2}


# ------------------------------------------------------------------ the command
def test_hydra_bench_prose_end_to_end(tmp_path, capsys) -> None:
    out = tmp_path / "prose.json"
    assert main(["bench", "prose", "--split", "dev", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    with capsys.disabled():  # the figures show in the log of `make test`, captured or not
        print("\n" + printed)
    assert "prose dev (rules)" in printed and "missed gold facts by class" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    dev = results["dev"]
    assert dev["paragraphs"] == len(prose.load_dev_set(split="dev"))
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= dev["micro"][key] <= 1.0
        for figures in dev["per_domain"].values():
            assert 0.0 <= figures[key] <= 1.0
    # Every required gold fact is found or has exactly one class of miss.
    assert dev["micro"]["matched"] + sum(dev["misses"].values()) == dev["micro"]["gold"]
    assert dev["micro"]["correct"] + sum(dev["wrong"].values()) == dev["micro"]["emitted"]
    assert dev["sentences"] > 0 and dev["sentences_per_second"] > 0  # computed, never compared with a figure
    assert re.search(r"\d[\d,]* sentences/s", printed)
    for p in results["paragraph_results"]:
        assert len(p["cqs"]) >= 7 and all(m["rule"] for m in p["cqs"])


def test_an_unknown_split_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "prose", "--split", "test"])
    assert "invalid choice: 'test'" in capsys.readouterr().err


def test_synonym_cqs_are_appended_after_the_paragraphs_own() -> None:
    plain = {p.id: p for p in prose.load_dev_set(split="all")}
    doc = json.loads(prose.default_data_path().read_text(encoding="utf-8"))
    for para in prose.load_dev_set(split="all", synonyms=True):
        own = plain[para.id].cqs
        extra = doc["synonym_cqs"].get(para.domain, [])
        assert para.cqs[:len(own)] == own and [c.text for c in para.cqs[len(own):]] == extra
        assert para.facts == plain[para.id].facts  # the gold facts' CQ indices still name the same questions
    assert all(doc["synonym_cqs"].get(d) for d in doc["cq_sets"])  # every domain asks in other words too
