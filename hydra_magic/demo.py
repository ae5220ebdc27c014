"""``python -m hydra_magic.demo`` (``make demo``): the offline pipeline on the bundled film example.

Competency questions grow an ontology through the ontology contracts, a few
paragraphs are extracted against it, every candidate triple is verified, and
the session is journaled. No model, no API key, no network.

The journal goes to a new temporary directory unless ``--journal-dir`` says
otherwise, so running the demo never writes into the current directory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .wording import count

if TYPE_CHECKING:
    from .kg import Fact
    from .session import Session

__all__ = ["example_text", "run", "main"]


def example_text(name: str) -> str:
    """The text of a bundled example file (``films.cq``, ``films.txt``)."""
    return resources.files("hydra_magic").joinpath("examples").joinpath(name).read_text(encoding="utf-8")


def _heading(title: str) -> str:
    return f"\n== {title} " + "=" * max(0, 70 - len(title))


def _term(session: "Session", node: object) -> str:
    from rdflib import Literal

    from .iri import local_name

    return repr(str(node)) if isinstance(node, Literal) else local_name(str(node))


def run(journal_dir: str | None = None, out: "object" = sys.stdout) -> "Session":
    """Run the demo, printing to ``out``; returns the session."""
    from .session import Session, SessionConfig

    journal_dir = journal_dir or tempfile.mkdtemp(prefix="hydra-demo-")
    # restore=False: the demo always starts from scratch, even in a reused journal directory.
    session = Session("demo", SessionConfig(journal_dir=journal_dir), restore=False)

    def say(*lines: str) -> None:
        for line in lines:
            print(line, file=out)  # type: ignore[call-overload]

    cq_text = example_text("films.cq")
    cq_result = session.add_cqs(cq_text)
    say(_heading(f"Competency questions ({len(session.cqs)})"))
    for cq, names in cq_result.contributions().items():
        say(f"  {cq}", f"      -> {', '.join(names) if names else '(nothing new)'}")
    for issue in cq_result.issues:
        say(f"  ! {issue}")
    for item, issues in cq_result.rejected:
        say(f"  rejected {item.describe()}: " + "; ".join(i.code for i in issues))

    say(_heading(f"Ontology: {count(len(session.ontology.classes), 'class')}, "
                 f"{count(len(session.ontology.properties), 'property')} (Turtle)"))
    from .io import serialize_session

    say(serialize_session(session, "turtle", what="ontology").rstrip())

    text = example_text("films.txt")
    result = session.extract(text, source="films.txt")
    first: dict[tuple[Any, Any, Any], Fact] = {}
    for f in result.facts:
        first.setdefault(f.key, f)  # the same fact read in two sentences is shown once
    flagged = sum(1 for f in first.values() if f.evidence.flags)
    say(_heading(f"Accepted triples ({len(first)}: {len(first) - flagged} verified, {flagged} on inferred types)"))
    # "+" verified; "~" kept but not verified: a type it rests on was inferred from a relation
    # ("directed by Ridley Scott" makes him a director), not stated in the text.
    for f in first.values():
        mark = "~" if f.evidence.flags else "+"
        say(f"  {mark} ({_term(session, f.subject)}, {_term(session, f.predicate)}, {_term(session, f.object)})"
            + (f"   <- \"{f.evidence.sentence.strip()}\"" if f.evidence.sentence else "")
            + (f"  [{', '.join(f.evidence.flags)}]" if f.evidence.flags else ""))

    say(_heading(f"Rejected candidates ({len(result.rejected)})"))
    if not result.rejected:
        say("  (none: everything the offline engine read here fits the ontology and is asserted)")
    _print_rejected(say, [r.checked for r in result.rejected])

    # A second source states a relation backwards; the engine reads it as written
    # and the contracts refuse it against the types the graph already knows.
    correction = "Heat directed Michael Mann."
    wrong = session.extract(correction, source="correction")
    say(_heading(f"A second source, read as written: \"{correction}\" ({len(wrong.rejected)} rejected)"))
    _print_rejected(say, [r.checked for r in wrong.rejected])

    # A language model is not so careful. The same contracts, on candidates as a model might return them:
    from .candidates import TripleCandidate
    from .contracts import check_triples

    sloppy = [TripleCandidate("ridley_scott", "bornIn", "alien", "Ridley Scott", "Alien"),
              TripleCandidate("harrison_ford", "directs", "heat", "Harrison Ford", "Heat"),
              TripleCandidate("alien", "wonAward", "oscar", "Alien", "Oscar"),
              TripleCandidate("alien", "releaseDate", "the seventies", "Alien", "the seventies")]
    verdict = check_triples(sloppy, session.ontology, session.kg, text)
    say(_heading(f"Model-style mistakes the contracts refuse ({len(verdict.rejected)} of {len(sloppy)})"))
    _print_rejected(say, verdict.rejected)

    say(_heading("Ask the graph (SPARQL): which films did a director direct?"))
    rows = session.query("SELECT ?director ?film WHERE { ?director onto:directs ?film } ORDER BY ?director ?film")
    for director, film in rows:
        say(f"  {_term(session, director)} directs {_term(session, film)}")

    export = Path(journal_dir) / "demo.ttl"
    session.export(export, overwrite=True)  # the demo starts afresh each run (restore=False), so does its export
    path = session.save()
    say(_heading("Session written"))
    say(f"  journal:  {path}", f"  export:   {export}",
        f"  {count(len(session.kg), 'fact')} from {count(len(session.kg.sources()), 'source')}; "
        f"open the journal in a notebook with %config HydraMagics.journal_dir = {journal_dir!r} "
        "and %hydra session demo.")
    return session


def _print_rejected(say: Any, rejected: Sequence[Any]) -> None:
    for ct in rejected:
        c = ct.candidate
        say(f"  ({c.subject}, {c.predicate}, {c.object})  [{', '.join(ct.codes)}]")
        for issue in ct.issues:
            if issue.severity == "error":
                say(f"      {issue.message}" + (f" Hint: {issue.hint}" if issue.hint else ""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hydra_magic.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--journal-dir", help="where to write the session journal (default: a new temp directory)")
    args = parser.parse_args(argv)
    run(args.journal_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
