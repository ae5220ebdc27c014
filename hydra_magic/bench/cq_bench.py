"""How many competency questions the offline rules engine reads into ontology requirements.

Two public sources, both written by others:

* **CQ2SPARQLOWL** (Wiśniewski, Potoniec, Ławrynowicz, Keet; CC BY 3.0): the real
  CQs of the Software (SWO), Stuff and African Wildlife (AWO) ontologies,
  listed in ``cq2sparqlowl/cq_index.csv``; the subset with a SPARQL-OWL
  translation has a ``Data/<onto>/*.rq`` file whose first line is ``# <CQ>``.
  Their placeholders (``[this software]``, ``[it]``, ``[task x]``) are scored
  twice: *as written* (brackets dropped, ``[it]`` stays a pronoun) and
  *instantiated* (``[it]``/``[this]`` → the ontology's main noun, variable
  letters such as the ``x`` of ``[task x]`` dropped).
* **CLaRO** (Keet et al.; CC-BY) v1 and v2 template catalogues
  (``claro/derived_csv/*.csv``): ``EC`` slots are filled with sample nouns
  and ``PC`` slots with sample verbs (a repeated ``PC1`` is a fronted
  auxiliary plus the verb: "Does an animal eat a plant?"), once with a
  wildlife and once with a film vocabulary. A template counts as read when
  either filling is read.

A question counts as *read* when :func:`hydra_magic.engines.rules_cq.parse_cq`
returns a parse (it never guesses: unreadable questions give ``None``);
*relational* when that parse has a property or a subclass link, not only
classes. For each CQ2SPARQLOWL ontology the whole CQ set is also proposed into
an empty ontology and checked with :func:`hydra_magic.contracts.check_proposal`
(``rejected`` must stay 0).

Run ``python -m hydra_magic.bench.cq_bench [--data-dir ../shared/data]``.
SPARQL answers are not compared here.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..contracts import check_proposal
from ..cq import CompetencyQuestion
from ..engines.rules_cq import parse_cq, propose_from_cqs
from ..ontology import Ontology

__all__ = ["run", "main", "DEFAULT_DATA_DIR", "instantiate_template", "instantiate_placeholders"]

#: ``../shared/data`` next to the repository root.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"

_MAIN_NOUN = {"swo": "software", "stuff": "stuff", "awo": "animal"}
_ONTOLOGY_KEY = {"Software Ontology": "swo", "Stuff Ontology": "stuff", "Animal Wildlife Ontology": "awo"}

#: Sample fillings for CLaRO slots: nouns for EC1..EC5, (verb, 3rd person) for PC1..PC3.
VOCABULARIES: dict[str, dict[str, Any]] = {
    "wildlife": {"EC": ["animal", "plant", "habitat", "country", "region"],
                 "PC": [("eat", "eats"), ("hunt", "hunts"), ("drink", "drinks")], "quality": "old"},
    "film": {"EC": ["film", "director", "award", "studio", "country"],
             "PC": [("direct", "directs"), ("produce", "produces"), ("win", "wins")], "quality": "popular"},
}
_SLOT = re.compile(r"\[?\b(EC|PC|RC)(\d)\]?")
_PLURAL = {"animal": "animals", "plant": "plants", "habitat": "habitats", "country": "countries",
           "region": "regions", "film": "films", "director": "directors", "award": "awards",
           "studio": "studios"}


def _missing(path: Path) -> FileNotFoundError:
    return FileNotFoundError(
        f"{path} is missing. Get CQ2SPARQLOWL from https://github.com/CQ2SPARQLOWL/Dataset and CLaRO from "
        f"https://github.com/mkeet/CLaRO (derived CSVs: claro/derived_csv/), or pass --data-dir.")


#: Placeholder openings that take no article ("[this data]", "[of this software]") and mass nouns.
_NO_ARTICLE = frozenset("this these the my a an that those its of for with in on from to we i".split())
_MASS_NOUNS = frozenset("software hardware data information documentation".split())


def instantiate_placeholders(cq: str, onto: str) -> str:
    """``Who developed [it]?`` → ``Who developed the software?``; ``[task x]`` → ``a task``."""
    noun = _MAIN_NOUN.get(onto, "thing")

    def fill(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        words = inner.split()
        low = [w.lower() for w in words]
        if low in (["it"], ["this"], ["these"], ["its"]):
            return f"the {noun}'s" if low == ["its"] else f"the {noun}"
        if len(words) > 1 and (len(words[-1]) == 1 or words[-1].lower() in ("x", "y", "z")):
            words = words[:-1]  # "task x", "software A"
            low = low[:-1]
        if low and low[0] not in _NO_ARTICLE and low[-1] not in _MASS_NOUNS:
            words = ["a", *words]
        return " ".join(words)

    return re.sub(r"\[([^\]]*)\]", fill, cq)


def instantiate_template(template: str, vocab: str) -> str:
    """Fill a CLaRO template's ``EC``/``PC`` slots with one vocabulary's sample words.

    ``EC`` → a noun (an article where English needs one, the plural after
    "many"/"are there"/"do"); ``PC`` → the verb; a ``PC`` followed by a noun
    slot (or "I"/"we") and used again later is the fronted auxiliary
    ("[PC1] [EC1] [PC1] [EC2]" → "Does an animal eat a plant?"); a ``PC``
    opening the question on its own is an imperative ("List …"); the ``EC``
    of "How [EC1] is …" is a quality ("How old is …").
    """
    v = VOCABULARIES[vocab]
    raw = template.strip().rstrip("?").replace(",", " ,")
    toks = raw.split()
    matches = [_SLOT.fullmatch(t) for t in toks]
    slots = [(m.group(1), int(m.group(2))) if m else None for m in matches]
    pcs = [i for i, s in enumerate(slots) if s and s[0] in ("PC", "RC")]
    out: list[str] = []
    aux_before = False
    for i, (tok, slot) in enumerate(zip(toks, slots)):
        prev = toks[i - 1].lower() if i else ""
        prev_slot = slots[i - 1] if i else None
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        nxt_slot = slots[i + 1] if i + 1 < len(slots) else None
        if slot is None:
            out.append(tok)
            if tok.lower() in ("does", "do", "did", "can", "will", "is", "are", "was"):
                aux_before = True
            elif tok.lower() in ("and", ",", "what", "which", "where", "who", "when", "how"):
                aux_before = False  # a new clause
            continue
        kind, k = slot
        if kind == "EC":
            noun = v["EC"][(k - 1) % len(v["EC"])]
            if prev == "how":
                out.append(v["quality"])
                continue
            kind_of = prev == "of" and i > 1 and toks[i - 2].lower() in (
                "type", "types", "kind", "kinds", "categories", "category", "sort", "sorts")
            plural = prev in ("many", "any", "do") or (prev == "there" and i > 1 and toks[i - 2].lower() == "are") \
                or (prev == "are" and nxt != "of") \
                or (nxt in ("are", "do", "have") and prev not in ("does", "is", "has", "did"))
            word = _PLURAL.get(noun, noun + "s") if plural else noun
            bare = prev in ("which", "what", "many", "the", "some", "its", "any", "and", "or") or kind_of \
                or plural or (prev_slot is not None and prev_slot[0] == "EC")
            if prev in ("is", "are") and nxt == "of":
                out.append(f"the {word}")
            elif bare:
                out.append(word)
            else:
                out.append(("an " if word[0] in "aeiou" else "a ") + word)
        else:
            verb, third = v["PC"][(k - 1) % len(v["PC"])]
            later = [j for j in pcs if j > i]
            same_later = [j for j in later if slots[j] == slot]
            before_subject = nxt_slot is not None and nxt_slot[0] == "EC" or nxt in ("i", "we")
            fronted = bool(same_later) or (later and (i == 0 or later[0] == len(toks) - 1))
            if before_subject and fronted and not aux_before:
                plural_subject = nxt in ("i", "we") or "and" in [t.lower() for t in toks[i + 1:later[0]]]
                out.append("do" if plural_subject else "does")
                aux_before = True
            elif aux_before or prev in ("i", "we", "to", "can", "does", "do", "did", "will"):
                out.append(verb)
            elif i == 0:
                out.append("List")
            elif prev in ("where", "when", "how") and not later and before_subject:
                out.append("is")  # "Where [PC1] [EC1]?": the predicate is the copula
            else:
                out.append(third)
    text = " ".join(out).replace(" ,", ",")
    return text[:1].upper() + text[1:] + "?"


def _shape(template: str) -> str:
    """A template with numbered slots folded: ``What [EC1] [PC1] [EC2]?`` → ``What EC PC EC``."""
    t = _SLOT.sub(lambda m: m.group(1), template.replace("[", " ").replace("]", " "))
    return " ".join(t.replace("?", " ").replace(",", " ").split())


def _read_cq2(data_dir: Path) -> list[dict[str, str]]:
    base = data_dir / "cq2sparqlowl"
    index = base / "cq_index.csv"
    if not index.exists():
        raise _missing(index)
    rows = []
    with index.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            onto = _ONTOLOGY_KEY.get(r["ontology"], r["ontology"].split()[0].lower())
            rq = r.get("sparql_owl_file") or ""
            text = r["cq"]
            if rq and (base / rq).exists():
                first = (base / rq).read_text(encoding="utf-8").splitlines()[0]
                text = first.lstrip("#").strip() or text
            rows.append({"id": r["cq_id"], "onto": onto, "cq": text, "has_sparql": str(bool(rq))})
    return rows


def _read_claro(data_dir: Path) -> dict[str, list[tuple[str, str]]]:
    base = data_dir / "claro" / "derived_csv"
    out: dict[str, list[tuple[str, str]]] = {}
    for name, fname in (("claro_v1", "claro_v1_templates.csv"), ("claro_v2", "claro_v2_templates.csv")):
        path = base / fname
        if not path.exists():
            raise _missing(path)
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        out[name] = [(r[0].strip(), r[1].strip()) for r in rows if len(r) > 1 and r[1].strip()]
    return out


def _relational(p: Any) -> bool:
    return bool(p is not None and (p.properties or p.subclass_links))


def run(data_dir: Path | str | None = None, *, verbose: bool = True, top: int = 15) -> dict[str, Any]:
    """Parse rates per data set; prints a table and returns the figures.

    Returns
    -------
    dict
        ``{"cq2sparqlowl": {onto: {...}}, "claro": {version: {...}}, "failing_shapes": [(shape, n), ...]}``.
    """
    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    result: dict[str, Any] = {"cq2sparqlowl": {}, "claro": {}, "failing_shapes": []}

    rows = _read_cq2(data_dir)
    for onto in sorted({r["onto"] for r in rows}, key=lambda o: ["swo", "stuff", "awo"].index(o)
                        if o in ("swo", "stuff", "awo") else 9):
        sub = [r for r in rows if r["onto"] == onto]
        raw = [parse_cq(r["cq"]) for r in sub]
        inst_texts = [instantiate_placeholders(r["cq"], onto) for r in sub]
        inst = [parse_cq(t) for t in inst_texts]
        with_sparql = [i for i, r in enumerate(sub) if r["has_sparql"] == "True"]
        proposal = propose_from_cqs([CompetencyQuestion(t) for t in inst_texts], Ontology())
        verdict = check_proposal(proposal, Ontology())
        result["cq2sparqlowl"][onto] = {
            "cqs": len(sub),
            "read_as_written": sum(p is not None for p in raw),
            "read": sum(p is not None for p in inst),
            "relational": sum(_relational(p) for p in inst),
            "with_sparql": len(with_sparql),
            "with_sparql_read": sum(inst[i] is not None for i in with_sparql),
            "proposed_classes": len(proposal.classes),
            "proposed_properties": len(proposal.properties),
            "unparsed_warnings": len(proposal.issues),
            "rejected_by_contracts": len(verdict.rejected),
            "unread": [r["cq"] for r, p in zip(sub, inst) if p is None],
        }

    failing: Counter[str] = Counter()
    for version, templates in _read_claro(data_dir).items():
        per_vocab = {}
        read_any = 0
        relational_any = 0
        for tid, template in templates:
            parses = {vocab: parse_cq(instantiate_template(template, vocab)) for vocab in VOCABULARIES}
            for vocab, p in parses.items():
                per_vocab.setdefault(vocab, 0)
                per_vocab[vocab] += p is not None
            if any(p is not None for p in parses.values()):
                read_any += 1
            else:
                failing[_shape(template)] += 1
            relational_any += any(_relational(p) for p in parses.values())
        result["claro"][version] = {"templates": len(templates), "read": read_any,
                                    "relational": relational_any,
                                    **{f"read_{v}": n for v, n in per_vocab.items()}}
    result["failing_shapes"] = failing.most_common(top)

    if verbose:
        _print(result)
    return result


def _pct(a: int, b: int) -> str:
    return f"{a:4d}/{b:<4d} {100 * a / b:5.1f}%" if b else f"{a:4d}/{b:<4d}    -"


def _print(result: dict[str, Any]) -> None:
    print("CQ2SPARQLOWL: competency questions read into ontology requirements (offline rules engine)")
    print(f"{'ontology':10s} {'read (as written)':>19s} {'read (instantiated)':>21s} {'relational':>17s} "
          f"{'with SPARQL, read':>19s} {'classes':>8s} {'props':>6s} {'rejected':>9s}")
    for onto, r in result["cq2sparqlowl"].items():
        print(f"{onto:10s} {_pct(r['read_as_written'], r['cqs']):>19s} {_pct(r['read'], r['cqs']):>21s} "
              f"{_pct(r['relational'], r['cqs']):>17s} {_pct(r['with_sparql_read'], r['with_sparql']):>19s} "
              f"{r['proposed_classes']:8d} {r['proposed_properties']:6d} {r['rejected_by_contracts']:9d}")
    print()
    print("CLaRO templates (EC/PC filled with sample words; read = either vocabulary)")
    for version, r in result["claro"].items():
        extra = "  ".join(f"{k[5:]} {_pct(v, r['templates'])}" for k, v in r.items() if k.startswith("read_"))
        print(f"{version:10s} read {_pct(r['read'], r['templates'])}  relational "
              f"{_pct(r['relational'], r['templates'])}  {extra}")
    print()
    print("Most frequent template shapes that are not read:")
    for shape, n in result["failing_shapes"]:
        print(f"  {n:3d}  {shape}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    run(args.data_dir, top=args.top)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
