"""TriG / N-Quads exports read back with their evidence (``Session.import_graph``, ``%hydra import``),
and ``hydra verify --kg`` on our own export: the evidence and ontology graphs are no facts.

Round trip: export -> import into a fresh session -> export again gives the same named
graphs, each isomorphic (in fact equal: the evidence nodes are numbered in the same order).
What cannot be kept: the evidence time is written to the second, so the imported
``Evidence.time`` is the original truncated to whole seconds; CQs, value rules, shapes,
history and the decision log are not part of an export.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from rdflib import Dataset
from rdflib.compare import isomorphic

from hydra_magic.cli import main as cli_main
from hydra_magic.errors import FormatError, ParseError
from hydra_magic.session import Session, SessionConfig

CQS = "Which films did a director direct?\nWhich actors star in a film?\nWhen was a film released?"
FORMATS = [("trig", ".trig"), ("nquads", ".nq")]


def built_session(base: str | None = None) -> Session:
    """Two sources; stated types, facts flagged ``type_inferred`` with a basis, and a user's accept-anyway."""
    s = Session("trig", SessionConfig(journal_dir=None, **({"base": base} if base else {})))
    s.add_cqs(CQS)
    s.extract("Ridley Scott is a director. Alien is a film. Ridley Scott directed Alien.", source="cell <1>")
    r = s.extract("James Cameron directed Titanic. Ridley Scott never directed Titanic.", source="notes/2.txt")
    (negated,) = r.rejected
    s.accept_anyway(negated)
    assert s.kg.flagged_count >= 2 and any(f.evidence.basis for f in s.kg.flagged())
    assert any(f.evidence.decision == "user" for f in s.kg)
    return s


def facts(s: Session) -> dict[tuple[str, Any], Any]:
    return {(f.source, f.key): f.evidence for f in s.kg}


def graphs(path: Path, fmt: str) -> dict[str, Any]:
    ds = Dataset()
    ds.parse(path, format=fmt)
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt, suffix", FORMATS, ids=[f for f, _ in FORMATS])
def test_export_import_export_gives_the_same_graphs_and_evidence(tmp_path: Path, fmt: str, suffix: str) -> None:
    s = built_session()
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    s.export(first)
    t = Session("fresh", SessionConfig(journal_dir=None))
    summary = t.import_graph(first)
    assert f"{len(s.kg)} facts from 2 sources" in summary and "1 by user decision" in summary
    t.export(second)

    ga, gb = graphs(first, fmt), graphs(second, fmt)
    assert sorted(ga) == sorted(gb)
    assert any(n.endswith("/evidence") for n in ga) and any(n.endswith("/ontology") for n in ga)
    assert [n for n in ga if not isomorphic(ga[n], gb[n])] == []

    # every fact, in its source, with its evidence: sentence, spans, engine, decision, flags, basis
    whole_seconds = {k: replace(ev, time=float(int(ev.time))) for k, ev in facts(s).items()}
    assert facts(t) == whole_seconds
    assert t.kg.flagged_count == s.kg.flagged_count
    assert t.kg.labels() == s.kg.labels()
    assert t.ontology.triples() == s.ontology.triples()
    for e in s.kg.entities():  # type evidence: stated vs inferred types are what they were
        assert t.kg.stated_types_of(e) == s.kg.stated_types_of(e) and t.kg.types_of(e) == s.kg.types_of(e)


def test_import_is_one_undoable_change_and_keeps_what_a_source_already_holds(tmp_path: Path) -> None:
    s = built_session()
    path = s.export(tmp_path / "kg.trig")
    t = Session("fresh", SessionConfig(journal_dir=None))
    t.import_graph(path)
    assert len(t.history) == 1 and t.history[-1].kind == "import"
    again = t.import_graph(path)
    assert again.startswith("imported kg.trig: 0 facts") and f"{len(s.kg)} facts were here already" in again
    assert len(t.kg) == len(s.kg)
    t.undo()
    t.undo()
    assert len(t.kg) == 0 and not t.ontology.classes


def test_reimporting_an_ontology_with_a_union_range_adds_no_second_list(tmp_path: Path) -> None:
    s = Session("u", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(":Thing a owl:Class . :Film a owl:Class ; rdfs:subClassOf :Thing . "
                          ":Book a owl:Class ; rdfs:subClassOf :Thing . :Person a owl:Class ; rdfs:subClassOf :Thing . "
                          ":wrote a owl:ObjectProperty ; rdfs:domain :Person ; "
                          "rdfs:range [ owl:unionOf ( :Film :Book ) ] .")
    path = s.export(tmp_path / "u.trig")
    before = len(s.ontology.triples())
    assert s.import_graph(path).endswith("+0 ontology triples") and len(s.ontology.triples()) == before
    t = Session("fresh", SessionConfig(journal_dir=None))
    t.import_graph(path)
    assert len(t.ontology.triples()) == before
    assert {c.rsplit("#")[-1] for c in t.ontology.get_property("wrote").range} == {"Film", "Book"}


def test_a_file_from_a_session_with_another_base_keeps_its_sources(tmp_path: Path) -> None:
    s = built_session(base="http://films.example/kg/")
    path = s.export(tmp_path / "kg.nq")
    t = Session("fresh", SessionConfig(journal_dir=None))
    t.import_graph(path)
    assert sorted(t.kg.sources()) == ["cell <1>", "notes/2.txt"]
    assert facts(t).keys() == facts(s).keys()


def test_evidence_that_contradicts_the_graphs_is_refused_naming_the_node(tmp_path: Path) -> None:
    s = built_session()
    path = s.export(tmp_path / "kg.trig")
    ds = Dataset()
    ds.parse(path, format="trig")
    user_fact = next(f for f in s.kg if f.evidence.decision == "user")
    for g in ds.graphs():
        g.remove(user_fact.key)  # the fact is gone from its source graph, its evidence is still there
    edited = tmp_path / "edited.trig"
    edited.write_text(ds.serialize(format="trig"), encoding="utf-8")
    t = Session("fresh", SessionConfig(journal_dir=None))
    with pytest.raises(ParseError) as info:
        t.import_graph(edited)
    msg = str(info.value)
    assert msg.startswith(str(edited)) and "evidence node <http://example.org/hydra/evidence/" in msg
    assert "does not hold that triple" in msg and "'notes/2.txt'" in msg
    assert len(t.kg) == 0 and not t.history


def test_only_formats_that_keep_evidence_are_imported(tmp_path: Path) -> None:
    s = built_session()
    path = s.export(tmp_path / "kg.ttl")
    with pytest.raises(FormatError, match=r"kg\.ttl.*TriG \(\.trig\) and N-Quads"):
        Session("fresh", SessionConfig(journal_dir=None)).import_graph(path)


def test_hydra_import_subcommand(hydra_ext: Any, run_cell: Any, tmp_path: Path, capsys: Any) -> None:
    path = built_session().export(tmp_path / "films.trig")
    run_cell(f"%hydra import {path}")
    out = capsys.readouterr().out
    assert "imported films.trig:" in out and "by user decision" in out
    assert any(f.evidence.decision == "user" for f in hydra_ext.session.kg)
    with pytest.raises(UsageError) as info:
        run_cell(f"%hydra import {tmp_path / 'missing.trig'}")
    assert type(info.value) is UsageError and "missing.trig" in str(info.value)
    run_cell("%hydra help")
    assert "%hydra import PATH" in capsys.readouterr().out


# ------------------------------------------------------------- hydra verify
def _verify(tmp_path: Path, onto: Path, kg: Path) -> tuple[int, dict[str, Any]]:
    report = tmp_path / "report.json"
    code = cli_main(["verify", "--ontology", str(onto), "--kg", str(kg), "--report", str(report)])
    return code, json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt, suffix", FORMATS, ids=[f for f, _ in FORMATS])
def test_hydra_verify_on_our_own_export_counts_facts_not_evidence(tmp_path: Path, fmt: str, suffix: str,
                                                                  capsys: Any) -> None:
    s = built_session()
    onto = s.export(tmp_path / "onto.ttl", what="ontology")
    kg = s.export(tmp_path / f"kg{suffix}")
    code, report = _verify(tmp_path, onto, kg)
    assert code == 0, report["counts_by_code"]
    assert report["counts"]["error"] == 0
    assert f"{len(s.kg)} facts from {kg}" in capsys.readouterr().err
    inside = s.verify(full=True, cqs=False)
    assert report["counts_by_code"] == inside.counts_by_code()


def test_hydra_verify_names_the_source_and_sentence_of_a_fact_it_faults(tmp_path: Path) -> None:
    s = built_session()
    kg = s.export(tmp_path / "kg.trig")
    onto = tmp_path / "onto.ttl"  # the same ontology, but 'directs' is functional: Ridley Scott directs twice
    directs = s.ontology.get_property("directs").iri
    onto.write_text(s.ontology.to_turtle() + f"\n<{directs}> a <http://www.w3.org/2002/07/owl#FunctionalProperty> .\n",
                    encoding="utf-8")
    code, report = _verify(tmp_path, onto, kg)
    assert code == 1 and set(report["counts_by_code"]) == {"functional_violation", "type_inferred"}
    issue = next(i for i in report["issues"] if i["code"] == "functional_violation")
    evidence = {(e["source"], e["sentence"]) for e in issue["data"]["evidence"]}
    assert evidence == {("cell <1>", "Ridley Scott directed Alien."),
                        ("notes/2.txt", "Ridley Scott never directed Titanic.")}
