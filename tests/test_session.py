"""Session behaviour: named graphs per source, evidence, undo/reset, journal, bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from rdflib import RDF

from hydra_magic.candidates import ClassCandidate, OntologyProposal, PropertyCandidate, TripleCandidate
from hydra_magic.errors import EmptyInputError, InputError, InputTooLargeError, JournalError
from hydra_magic.journal import Journal
from hydra_magic.kg import source_graph_iri
from hydra_magic.session import Session, SessionConfig


class ScriptedEngine:
    """A deterministic engine for session tests: proposes a fixed film ontology and
    reads 'X directed Y' sentences. The real offline engine has its own tests."""

    name = "scripted"

    def __init__(self) -> None:
        self.calls = 0

    def propose_ontology(self, cqs, ontology, feedback=()):
        if feedback:
            return OntologyProposal()
        origin = cqs[0].text
        return OntologyProposal(
            classes=[ClassCandidate("Thing", origin=origin), ClassCandidate("Person", "Thing", origin=origin),
                     ClassCandidate("Film", "Thing", origin=origin)],
            properties=[PropertyCandidate("directedBy", "object", ("Film",), ("Person",), label="directed by",
                                          origin=origin),
                        PropertyCandidate("releaseYear", "data", ("Film",), ("integer",), origin=origin)])

    def extract(self, chunk, ontology, kg, feedback=()):
        self.calls += 1
        if feedback:
            return []
        out = []
        for sentence in chunk.text.split("."):
            if " directed " in sentence:
                film, person = (x.strip() for x in sentence.split(" directed ", 1))
                s0 = chunk.start + chunk.text.index(film)
                o0 = chunk.start + chunk.text.index(person)
                f, p = film.lower().replace(" ", "_"), person.lower().replace(" ", "_")
                out += [TripleCandidate(f, "isA", "Film", film, subject_span=(s0, s0 + len(film)),
                                        sentence=sentence.strip()),
                        TripleCandidate(p, "isA", "Person", person, subject_span=(o0, o0 + len(person))),
                        TripleCandidate(f, "directedBy", p, film, person, sentence=sentence.strip(),
                                        subject_span=(s0, s0 + len(film)), object_span=(o0, o0 + len(person)))]
            if " in " in sentence and sentence.strip().split(" in ")[-1].strip().isdigit():
                film, year = sentence.strip().rsplit(" in ", 1)
                film = film.split(" was ")[0].strip()
                out.append(TripleCandidate(film.lower().replace(" ", "_"), "releaseYear", year.strip(), film))
        out.append(TripleCandidate("nobody", "directedBy", "ghost"))  # always rejected
        return out


@pytest.fixture()
def session(tmp_path):
    s = Session("t", SessionConfig(journal_dir=str(tmp_path)), engine=ScriptedEngine())
    s.add_cqs("Who directed a film?\nWhen was a film released?")
    return s


def test_cqs_grow_ontology_and_record_contributions(session):
    assert {c.name for c in session.ontology.classes.values()} == {"Thing", "Person", "Film"}
    assert [c.text for c in session.cqs] == ["Who directed a film?", "When was a film released?"]


def test_extract_accepts_valid_and_keeps_rejected_with_codes(session):
    r = session.extract("Alien directed Ridley Scott. Heat was released in 1995.", source="cell-1")
    assert len(session.kg) == 3  # 2 types + directedBy; heat has no type, so its year is rejected
    codes = r.rejected_by_code()
    assert codes.get("untyped_entity", 0) >= 2 and codes.get("ungrounded", 0) >= 1
    fact = next(f for f in session.kg if f.predicate == session.ontology.get_property("directedBy").iri)
    ev = fact.evidence
    text = r.text
    assert ev.source == "cell-1" and ev.engine == "scripted" and ev.decision == "contracts"
    assert text[ev.subject_span[0]:ev.subject_span[1]] == "Alien"
    assert text[ev.object_span[0]:ev.object_span[1]] == "Ridley Scott"
    assert ev.sentence == "Alien directed Ridley Scott."  # the sentence of the text, found by the contracts


def test_each_source_has_its_own_named_graph_and_rerun_replaces(session):
    session.extract("Alien directed Ridley Scott.", source="a")
    session.extract("Heat directed Michael Mann.", source="b")
    assert set(session.kg.sources()) == {"a", "b"}
    g = session.kg.dataset.graph(source_graph_iri(session.config.base, "a"))
    assert (session.kg.entity_iri("alien"), RDF.type, session.ontology.get_class("Film").iri) in g
    n = len(session.kg)
    r = session.extract("Alien directed Ridley Scott.", source="a")  # re-run the same cell
    assert len(session.kg) == n and r.replaced == 3
    session.extract("Aliens directed James Cameron.", source="a")  # edited cell
    objects_of_a = {session.kg.label(f.object) for f in session.kg.facts("a")}
    assert "James Cameron" in objects_of_a and "Ridley Scott" not in objects_of_a


def test_undo_and_reset(session):
    session.extract("Alien directed Ridley Scott.", source="a")
    assert len(session.kg) == 3
    assert session.undo().startswith("Undid")
    assert len(session.kg) == 0
    session.undo()  # the CQs
    assert len(session.ontology) == 0 and session.cqs == []
    assert session.undo() == "Nothing to undo."
    session.add_cqs("Who directed a film?")
    session.extract("Alien directed Ridley Scott.", source="a")
    session.reset()
    assert len(session.kg) == 0 and len(session.ontology) == 0
    session.undo()
    assert len(session.kg) == 3 and len(session.ontology.classes) == 3


def test_accept_anyway_and_remove_are_user_decisions(session):
    r = session.extract("Alien directed Ridley Scott.", source="a")
    ghost = next(x for x in r.rejected if x.checked.candidate.subject == "nobody")
    fact = session.accept_anyway(ghost)
    assert fact.evidence.decision == "user" and session.kg.contains(*fact.key)
    assert session.log[-1]["decision"] == "accept_anyway"
    # a re-run of the cell keeps the user's decision
    session.extract("Alien directed Ridley Scott.", source="a")
    assert session.kg.contains(*fact.key)
    session.remove_fact(fact)
    assert not session.kg.contains(*fact.key)
    with pytest.raises(InputError, match="not in the graph"):
        session.remove_fact(fact)


def test_accept_anyway_needs_known_property(session):
    with pytest.raises(InputError, match="did you mean|Did you mean"):
        session.accept_anyway(TripleCandidate("a", "directedByy", "b"))


def test_journal_restores_everything(tmp_path, session):
    session.extract("Alien directed Ridley Scott.", source="a")
    again = Session("t", SessionConfig(journal_dir=str(tmp_path)), engine=ScriptedEngine())
    assert "Restored session 't'" in again.restored and "3 facts" in again.restored
    assert {f.key for f in again.kg} == {f.key for f in session.kg}
    # every fact keeps its evidence exactly (time to the last digit, spans, flags, basis)
    assert sorted(map(repr, (f.evidence for f in again.kg))) == sorted(map(repr, (f.evidence for f in session.kg)))
    assert again.undo().startswith("Undid")  # history survives a restart
    assert len(again.kg) == 0


def test_bad_input_leaves_session_unchanged(session, tmp_path):
    session.extract("Alien directed Ridley Scott.", source="a")
    before = session.snapshot()
    with pytest.raises(EmptyInputError):
        session.extract("   \n")
    with pytest.raises(EmptyInputError):
        session.add_cqs("# only a comment\n\n")
    session.config.max_input_chars = 100
    with pytest.raises(InputTooLargeError, match="max_input_chars"):
        session.extract("x" * 101)
    after = session.snapshot()
    assert before["kg"] == after["kg"] and before["ontology"] == after["ontology"]


def test_ten_megabyte_input_is_refused_with_limit(session):
    with pytest.raises(InputTooLargeError, match="limit is 2,000,000"):
        session.extract("Alien directed Ridley Scott. " * 400_000)


def test_interrupted_extraction_changes_nothing(session):
    session.extract("Alien directed Ridley Scott.", source="a")
    before = session.snapshot()["kg"]

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        session.extract("Heat directed Michael Mann.", source="b", on_progress=interrupt)
    assert session.snapshot()["kg"] == before


def test_unreadable_journal_is_reported_not_overwritten(tmp_path):
    j = Journal(tmp_path, "broken")
    j.dir.mkdir(parents=True)
    j.path.write_text("{not json")
    with pytest.raises(JournalError, match="Move the file away"):
        Session("broken", SessionConfig(journal_dir=str(tmp_path)))
    assert j.path.read_text() == "{not json"


def test_bad_session_name(tmp_path):
    with pytest.raises(JournalError, match="not allowed"):
        Session("../etc", SessionConfig(journal_dir=str(tmp_path)))


WRITER = textwrap.dedent("""
    import sys
    from hydra_magic.journal import Journal
    j = Journal(sys.argv[1], "victim")
    i = 0
    big = ["x" * 200] * 20000
    while True:
        i += 1
        j.write({"counter": i, "payload": big})
        print(i, flush=True)
""")


def test_killed_writer_never_leaves_unrestorable_journal(tmp_path):
    """Kill a process in the middle of journal writes, many times; the snapshot always loads."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    journal = Journal(tmp_path, "victim")
    torn = 0
    for round_ in range(6):
        proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()  # at least one complete write
        time.sleep(0.05 + 0.037 * round_)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # a leftover temp file means the kill landed mid-write: the case under test
        leftovers = list(journal.dir.glob(".session-*.tmp"))
        torn += bool(leftovers)
        for f in leftovers:
            f.unlink()
        data = journal.read()
        assert data["counter"] >= 1 and len(data["payload"]) == 20000
    assert torn >= 1, "no kill landed during a write; the test did not exercise a torn write"


def test_package_import_is_light_and_exposes_the_public_api():
    code = ("import sys, hydra_magic; light = not any(m in sys.modules for m in ('rdflib', 'litellm', 'IPython')); "
            "from hydra_magic import Session, SessionConfig, Issue, HydraError; "
            "print(light, Session.__module__, HydraError.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "hydra_magic.session", "hydra_magic.errors"]


def test_undo_says_what_it_undid_and_what_it_would_undo_next(session):
    before = session.history[-1].summary
    session.extract("Alien directed Ridley Scott.", source="a")
    assert session.next_undo().startswith("Next undo would revert: a: ")
    said = session.undo()
    assert said.startswith("Undid: a: ") and f"Next undo would revert: {before} (" in said
    while len(session.history) > 1:
        session.undo()
    assert session.undo().endswith("Nothing more to undo.")
    assert session.undo() == "Nothing to undo."
