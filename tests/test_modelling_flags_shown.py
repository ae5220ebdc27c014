"""Issue 11, item 2: the modelling flags (instance_as_class, literal_as_class) reach what the user sees.

The checks themselves are in test_modelling_checks.py; here a ``%%cq`` cell's text, static HTML
and widget state name the flags of the classes it added, and ``%hydra verify`` lists the flags
of the whole ontology with the other findings. An ontology without such classes shows none.
"""

from __future__ import annotations

from typing import Any, Sequence

from hydra_magic import display
from hydra_magic.candidates import ClassCandidate, OntologyProposal, PropertyCandidate
from hydra_magic.state import ontology_state


class _Modeller:
    """Proposes a film ontology; with ``mistakes``, also the classes HyDRA's guidance warns about."""

    name = "modeller"

    def __init__(self, mistakes: bool) -> None:
        self.mistakes = mistakes

    def propose_ontology(self, cqs: Sequence[Any], ontology: Any, feedback: Sequence[Any] = ()) -> OntologyProposal:
        origin = cqs[0].text if cqs else ""
        classes = [ClassCandidate("FilmEntity", origin=origin), ClassCandidate("Film", "FilmEntity", origin=origin),
                   ClassCandidate("Person", "FilmEntity", origin=origin)]
        if self.mistakes:
            classes += [ClassCandidate("Alien", "Film", origin=origin),
                        ClassCandidate("ReleaseYear", "FilmEntity", origin=origin)]
        props = [PropertyCandidate("directedBy", "object", ("Film",), ("Person",), origin=origin)]
        return OntologyProposal([c for c in classes if ontology.get_class(c.name) is None],
                                [p for p in props if ontology.get_property(p.name) is None])

    def extract(self, chunk: Any, ontology: Any, kg: Any, feedback: Sequence[Any] = ()) -> list[Any]:
        return []


CELL = "%%cq --model modeller\nWho directed Alien?\n"


def test_a_cq_cell_shows_the_flags_of_the_classes_it_added(hydra_ext, run_cell):
    hydra_ext.session.register_engine("modeller", _Modeller(mistakes=True))
    res = run_cell(CELL)
    codes = {(i.code, i.path) for i in res.flags()}
    assert codes == {("instance_as_class", "class:Alien"), ("literal_as_class", "class:ReleaseYear")}
    text = res.to_text()
    assert "flag [instance_as_class] Class 'Alien'" in text and "Who directed Alien?" in text
    assert "flag [literal_as_class] Class 'ReleaseYear'" in text and "xsd:integer" in text
    page = display.render_html(res)
    assert "Modelling flags (2; the classes are kept)" in page
    assert "instance_as_class" in page and "literal_as_class" in page
    state = ontology_state(result=res)
    assert {f["code"] for f in state["result"]["flags"]} == {"instance_as_class", "literal_as_class"}
    assert all(f["severity"] == "warning" and f["hint"] for f in state["result"]["flags"])
    assert {c["name"] for c in state["classes"]} >= {"Alien", "ReleaseYear"}  # flagged, still kept


def test_a_cq_cell_without_such_classes_shows_no_flags(hydra_ext, run_cell):
    hydra_ext.session.register_engine("modeller", _Modeller(mistakes=False))
    res = run_cell(CELL)
    assert res.added_classes and res.flags() == []
    assert "flag [" not in res.to_text() and "Modelling flags" not in display.render_html(res)


def test_hydra_verify_lists_the_flags_of_the_whole_ontology(hydra_ext, run_cell):
    hydra_ext.session.register_engine("modeller", _Modeller(mistakes=True))
    run_cell(CELL)
    report = run_cell("%hydra verify")
    flags = [i for i in report.issues if i.code in ("instance_as_class", "literal_as_class")]
    assert sorted(i.path for i in flags) == ["class:Alien", "class:ReleaseYear"]
    assert report.counts()["warning"] >= 2 and report.ok  # warnings: the report still passes
    assert "[instance_as_class]" in report.to_text() and "literal_as_class" in report.to_html()
    severities = [i.severity for i in report.issues]
    assert severities == sorted(severities, key=lambda s: {"error": 0, "warning": 1}.get(s, 2))


def test_hydra_verify_of_a_clean_ontology_has_no_flags(hydra_ext, run_cell):
    hydra_ext.session.register_engine("modeller", _Modeller(mistakes=False))
    run_cell(CELL)
    report = run_cell("%hydra verify")
    assert not [i for i in report.issues if i.code in ("instance_as_class", "literal_as_class")]
