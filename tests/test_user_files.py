"""Files a user names reach every entry point through hydra_magic.user_files: one clear error each.

Regressions for what the input fuzzing found in entry points that read files
their own way (issue 18): a directory reported as "does not exist", a rules file
in Latin-1 escaping as a traceback, ``%%extract --from`` reading a binary file as
replacement characters, a benchmark row whose sentence is not a string, a graph
too deep for the Turtle serializer, and names cut at an invisible character.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from rdflib import BNode, Literal, URIRef

from hydra_magic.cli import main
from hydra_magic.errors import InputError, MissingFileError
from hydra_magic.io import read_ontology
from hydra_magic.kg import Evidence, Fact
from hydra_magic.session import Session, SessionConfig
from hydra_magic.user_files import check_input_file, read_input_text

ONTO = """@prefix : <http://hydra-magic.org/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:Film a owl:Class . :Person a owl:Class .
:directs a owl:ObjectProperty ; rdfs:domain :Person ; rdfs:range :Film .
"""


def test_a_directory_is_called_a_directory_not_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_ontology(tmp_path)
    with pytest.raises(MissingFileError, match="does not exist") as info:
        read_ontology(tmp_path / "nothing.ttl")
    assert isinstance(info.value, FileNotFoundError)  # callers that catch that still do


def test_hydra_verify_names_the_flag_of_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    onto = tmp_path / "o.ttl"
    onto.write_text(ONTO)
    kg = tmp_path / "kg.ttl"
    kg.write_text("")
    rules = tmp_path / "rules.txt"
    rules.write_bytes("releaseYear >= 1888 # année".encode("latin-1"))
    assert main(["verify", "--ontology", str(onto), "--kg", str(tmp_path), "--report", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "is a directory" in err and "Traceback" not in err
    assert main(["verify", "--ontology", str(onto), "--kg", str(kg), "--rules", str(rules),
                 "--report", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "--rules" in err and "not UTF-8" in err and "Traceback" not in err


def test_read_input_text_refuses_binary_and_non_utf8(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x00\x01binary")
    with pytest.raises(InputError, match="NUL bytes"):
        read_input_text(p, "--input")
    p.write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match=r"--input .* is not UTF-8 text \(line 1, byte 0xe9"):
        read_input_text(p, "--input")
    assert check_input_file(p, "--input") == p


def test_extract_from_a_latin1_file_is_a_usage_error(hydra_ext: Any, run_cell: Any, tmp_path: Path) -> None:
    run_cell("%%cq\nWhich films did a director direct?")
    p = tmp_path / "latin1.txt"
    p.write_bytes("Ridley Scott directed Alien in Montréal.".encode("latin-1"))
    hydra_ext.shell.user_ns["path"] = str(p)
    before = len(hydra_ext.session.kg)
    with pytest.raises(UsageError, match="not UTF-8"):
        run_cell("%extract --from path")
    assert len(hydra_ext.session.kg) == before


def test_a_benchmark_row_whose_sentence_is_not_text_is_an_input_error() -> None:
    from hydra_magic.bench.text2kgbench import gold_items

    with pytest.raises(InputError, match="'sent' must be a string"):
        gold_items([{"id": "x", "sent": {"oops": 1}, "sub_label": "a", "rel_label": "b", "obj_label": "c"}])


def test_an_export_too_deep_for_turtle_says_what_to_do(tmp_path: Path) -> None:
    s = Session("deep", SessionConfig(journal_dir=None))
    node: Any = BNode()
    facts = [Fact(URIRef("http://x/e"), URIRef("http://x/p"), node, Evidence("deep"))]
    for i in range(3000):  # a chain of blank nodes the Turtle serializer nests
        nxt = BNode()
        facts.append(Fact(node, URIRef("http://x/p"), nxt if i < 2999 else Literal("end"), Evidence("deep")))
        node = nxt
    s.kg.add(facts)
    with pytest.raises(InputError, match="too deeply.*ntriples"):
        s.export(tmp_path / "deep.ttl", what="kg")
    assert not list(tmp_path.iterdir())  # nothing left behind
    s.export(tmp_path / "deep.nt", what="kg")  # the flat format works


def test_an_invisible_character_does_not_cut_a_name() -> None:
    s = Session("names", SessionConfig(journal_dir=None))
    s.add_cqs("Which films did a director direct?")
    r = s.extract("Al\u200bien is a 1979 film directed by Ridley Scott.")
    names = {str(f.subject).rsplit("/", 1)[-1] for f in r.facts}
    assert "alien" in names and "al" not in names
    assert s.kg.label(s.kg.entity_iri("alien")) == "Al\u200bien"  # the surface form stays the label
