"""A number and a plural noun announce the list set off after them by a comma (issue 16 item 2,
coordination of objects): "She had two sons, Anders and Nils", "It borders four countries, Italy, …".
Before, the names after the comma were no object ("three products" itself was one). Sentences written
here, not copied from a data file."""

from __future__ import annotations

import pytest

from hydra_magic.session import Session, SessionConfig


def _facts(cqs: list[str], text: str) -> set[tuple[str, str, str]]:
    s = Session("counted-lists", SessionConfig(journal_dir=None))
    s.add_cqs(cqs)
    s.extract(text, source="t")
    return {(str(f.subject).rsplit("/", 1)[-1], str(f.predicate).rsplit("#", 1)[-1],
             str(f.object).rsplit("/", 1)[-1]) for f in s.kg.facts("t") if not str(f.predicate).endswith("type")}


@pytest.mark.parametrize("cqs, text, facts", [
    (["Who is the child of a person?"], "Ada Lind was a Swedish chemist. She had two sons, Anders and Nils.",
     {("ada_lind", "hasChild", "anders"), ("ada_lind", "hasChild", "nils")}),
    (["Who is the child of a person?"], "Ada Lind was a Swedish chemist. She had two children, Anna Lind and "
                                        "Per Lind.", {("ada_lind", "hasChild", "anna_lind"),
                                                      ("ada_lind", "hasChild", "per_lind")}),
    (["Which products does a company sell?"], "Acme Corp is a company. It sells three products, Widgetron, "
                                              "Gizmax and Boltar.",
     {("acme_corp", "sells", "widgetron"), ("acme_corp", "sells", "gizmax"), ("acme_corp", "sells", "boltar")}),
    (["Which countries border a country?"], "Slovenia is a country in Europe. It borders four countries, Italy, "
                                            "Austria, Hungary and Croatia.",
     {("slovenia", "borders", c) for c in ("italy", "austria", "hungary", "croatia")}),
])
def test_the_list_after_a_counted_noun_and_a_comma_is_the_object(cqs: list[str], text: str,
                                                                 facts: set[tuple[str, str, str]]) -> None:
    assert _facts(cqs, text) == facts


def test_a_counted_noun_without_a_list_after_it_is_left_as_before() -> None:
    # no capitalised name after the comma: nothing is read as a list
    got = _facts(["Who is the child of a person?"], "Ada Lind was a Swedish chemist. She had two sons, both "
                                                    "doctors.")
    assert not {f for f in got if f[1] == "hasChild" and f[2] in ("both", "doctors")}
