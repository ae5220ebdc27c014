"""Hostile files: XML entity expansion ("billion laughs") on every RDF/XML input, and exports
that never overwrite silently, never write through a planted link and leave nothing behind.

The bombs are real (nine levels of ten references: 3·10⁹ characters once expanded); the
tests assert on the refusal, never on a time. A parser that expanded them would not finish.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError

from hydra_magic.cli import main as cli_main
from hydra_magic.errors import InputError, ParseError
from hydra_magic.io import export_session
from hydra_magic.session import Session, SessionConfig

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"'
ONTOLOGY = """
:Thing a owl:Class .
:Film a owl:Class ; rdfs:subClassOf :Thing .
:Person a owl:Class ; rdfs:subClassOf :Thing .
:directedBy a owl:ObjectProperty ; rdfs:domain :Film ; rdfs:range :Person .
"""


def billion_laughs(levels: int = 9) -> str:
    """The classic entity bomb as RDF/XML: ``&lolN;`` expands to 3·10^N characters (about 1 KB of file)."""
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(ents) + "\n]>\n"
            f"<rdf:RDF {RDF_NS}>\n"
            f'<rdf:Description rdf:about="http://example.org/x"><rdfs:label>&lol{levels};</rdfs:label>'
            "</rdf:Description>\n</rdf:RDF>\n")


def state(s: Session) -> tuple[Any, ...]:
    return (frozenset(s.ontology.triples()), len(s.history), frozenset((f.source, f.key) for f in s.kg))


@pytest.fixture()
def session() -> Session:
    s = Session("hostile", SessionConfig(journal_dir=None))
    s.add_ontology_turtle(ONTOLOGY)
    return s


# ------------------------------------------------------------ XML entities
@pytest.mark.parametrize("levels", [6, 9], ids=["3MB", "3GB"])
@pytest.mark.parametrize("suffix", [".owl", ".rdf"])
def test_billion_laughs_ontology_is_refused_naming_the_file_and_the_session_is_unchanged(
        tmp_path: Path, session: Session, levels: int, suffix: str) -> None:
    bomb = tmp_path / f"bomb{suffix}"
    bomb.write_text(billion_laughs(levels), encoding="utf-8")
    assert bomb.stat().st_size < 1200
    before = state(session)
    with pytest.raises(ParseError) as info:
        session.load_ontology(bomb)
    msg = str(info.value)
    assert msg.startswith(str(bomb)) and info.value.source == str(bomb)
    assert "billion laughs" in msg and f"&lol{levels};" in msg and "Write the text or IRI out" in msg
    assert state(session) == before


def test_billion_laughs_in_the_ontology_cell_is_refused(session: Session) -> None:
    before = state(session)
    with pytest.raises(ParseError, match="%%ontology cell: refused.*billion laughs"):
        session.add_ontology_turtle(billion_laughs(), format="xml")
    assert state(session) == before


@pytest.mark.parametrize("levels", [6, 9], ids=["3MB", "3GB"])
def test_hydra_verify_refuses_a_billion_laughs_kg_with_exit_2(tmp_path: Path, capsys: Any, levels: int) -> None:
    onto = tmp_path / "onto.ttl"
    onto.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "<http://example.org/hydra/ontology#Film> a owl:Class .\n", encoding="utf-8")
    bomb = tmp_path / "kg.rdf"
    bomb.write_text(billion_laughs(levels), encoding="utf-8")
    report = tmp_path / "report.json"
    code = cli_main(["verify", "--ontology", str(onto), "--kg", str(bomb), "--report", str(report)])
    err = capsys.readouterr().err
    assert code == 2 and not report.exists()
    assert str(bomb) in err and "billion laughs" in err


def test_the_same_bomb_encoded_as_utf16_is_refused(tmp_path: Path, session: Session) -> None:
    from hydra_magic.io import check_xml_entities

    bomb = tmp_path / "bomb16.rdf"
    bomb.write_bytes(billion_laughs().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(ParseError, match="billion laughs"):
        check_xml_entities(bomb.read_bytes(), source=str(bomb))
    code = cli_main(["verify", "--ontology", str(bomb), "--kg", str(bomb), "--report", str(tmp_path / "r.json")])
    assert code == 2


@pytest.mark.parametrize("decl, words", [
    ('<!ENTITY x SYSTEM "file:///etc/hostname">', "external entity 'x'"),
    ('<!ENTITY % p "&#60;!ENTITY x \'y\'&#62;"> %p;', "parameter entity '%p;'"),
    ('<!ENTITY a "&b;"> <!ENTITY b "&a;">', "refers to itself (a -> b -> a)"),
])
def test_external_parameter_and_recursive_entities_are_refused_by_name(
        tmp_path: Path, session: Session, decl: str, words: str) -> None:
    f = tmp_path / "tricky.owl"
    body = "&x;" if "SYSTEM" in decl else ("&a;" if "&b;" in decl else "p")
    f.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {decl} ]>\n<rdf:RDF {RDF_NS}>'
                 f'<rdf:Description rdf:about="http://example.org/x"><rdfs:label>{body}</rdfs:label>'
                 "</rdf:Description></rdf:RDF>\n", encoding="utf-8")
    before = state(session)
    with pytest.raises(ParseError) as info:
        session.load_ontology(f)
    assert str(f) in str(info.value) and words in str(info.value) and "refused" in str(info.value)
    assert state(session) == before


def test_namespace_entities_as_ontology_editors_write_them_still_load(tmp_path: Path, session: Session) -> None:
    """Guard against refusing too much: Protégé writes a DOCTYPE of namespace entities."""
    f = tmp_path / "protege.owl"
    uses = "".join(f'<owl:Class rdf:about="&onto;C{i}"><rdfs:subClassOf rdf:resource="&owl;Thing"/></owl:Class>\n'
                   for i in range(500))
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                 '  <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
                 '  <!ENTITY onto "http://example.org/hydra/ontology#" >\n]>\n'
                 f'<rdf:RDF {RDF_NS} xmlns:owl="http://www.w3.org/2002/07/owl#">\n{uses}</rdf:RDF>\n',
                 encoding="utf-8")
    session.load_ontology(f)
    assert session.ontology.get_class("C499") is not None


# ----------------------------------------------------------------- exports
def test_an_existing_file_is_not_overwritten_unless_asked(tmp_path: Path, session: Session) -> None:
    out = tmp_path / "onto.ttl"
    out.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        session.export(out)
    msg = str(info.value)
    assert repr(str(out)) in msg and "overwrite=True" in msg and "--force" in msg
    assert out.read_text(encoding="utf-8") == "my own notes\n"
    with pytest.raises(InputError, match="already exists"):
        export_session(session, out, what="ontology")
    session.export(out, overwrite=True)
    assert "directedBy" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["onto.ttl"]


def test_hydra_export_says_force_and_force_replaces(hydra_ext: Any, run_cell: Any, tmp_path: Path) -> None:
    hydra_ext.session.add_ontology_turtle(ONTOLOGY)
    out = tmp_path / "films.ttl"
    run_cell(f"%hydra export {out}")
    first = out.read_text(encoding="utf-8")
    hydra_ext.session.add_ontology_turtle(":Award a owl:Class ; rdfs:subClassOf :Thing .")
    with pytest.raises(UsageError) as info:
        run_cell(f"%hydra export {out}")
    assert type(info.value) is UsageError and "--force" in str(info.value) and str(out) in str(info.value)
    assert out.read_text(encoding="utf-8") == first
    run_cell(f"%hydra export {out} --force")
    assert "Award" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path: Path, session: Session) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    planted = out_dir / "kg.ttl.tmp"  # the fixed name exports used to write through
    planted.symlink_to(victim)
    session.export(out_dir / "kg.ttl")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert planted.is_symlink() and os.readlink(planted) == str(victim)
    assert not (out_dir / "kg.ttl").is_symlink() and "directedBy" in (out_dir / "kg.ttl").read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_link_at_the_target_is_refused_and_with_overwrite_replaced_not_followed(
        tmp_path: Path, session: Session) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "kg.ttl"
    link.symlink_to(victim)
    with pytest.raises(InputError, match="already exists"):
        session.export(link)
    session.export(link, overwrite=True)
    assert victim.read_text(encoding="utf-8") == "precious\n" and not link.is_symlink()


def test_exporting_onto_a_folder_is_refused_and_leaves_nothing_behind(tmp_path: Path, session: Session) -> None:
    folder = tmp_path / "exports.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder. Give a file name"):
        session.export(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["exports.ttl"] and list(folder.iterdir()) == []


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "overwrite"])
def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path, session: Session,
                                                  monkeypatch: pytest.MonkeyPatch, existing: bool) -> None:
    out = tmp_path / "onto.ttl"
    if existing:
        out.write_text("the earlier export\n", encoding="utf-8")

    def disk_full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hydra_magic.io.export.os.replace", disk_full)
    monkeypatch.setattr("hydra_magic.io.export.os.link", disk_full)
    with pytest.raises(OSError, match="No space left"):
        session.export(out, **({"overwrite": True} if existing else {}))
    assert [p.name for p in tmp_path.iterdir()] == (["onto.ttl"] if existing else [])
    if existing:
        assert out.read_text(encoding="utf-8") == "the earlier export\n"


def test_text_that_cannot_be_utf8_is_refused_before_any_file_is_made(tmp_path: Path) -> None:
    from hydra_magic.io import write_file

    with pytest.raises(InputError, match=r"'\\udc80'.*unpaired surrogate.*Nothing was written"):
        write_file(tmp_path / "x.ttl", "Ridley Scott\udc80")
    assert list(tmp_path.iterdir()) == []


def test_an_export_is_an_ordinary_readable_file(tmp_path: Path, session: Session) -> None:
    out = session.export(tmp_path / "onto.ttl")
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
