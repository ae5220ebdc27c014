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

A question counts as *read* when :func:`hydra_magic.english.cq.parse_cq`
returns a parse (it never guesses: unreadable questions give ``None``);
*relational* when that parse has a property or a subclass link, not only
classes. For each CQ2SPARQLOWL ontology the whole CQ set is also proposed into
an empty ontology and checked with :func:`hydra_magic.contracts.check_proposal`
(``rejected`` must stay 0).

For AWO and Stuff, the SPARQL that :mod:`hydra_magic.tbox_sparql` compiles from
each parse is also run next to the gold SPARQL-OWL query on the ontology graph
(rdflib, blank-node restrictions intact) and the answer sets are compared
(``sparql_vs_gold`` in the returned dict; see :func:`sparql_vs_gold`).

Run ``python -m hydra_magic.bench.cq_bench [--data-dir ../shared/data]``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..contracts import check_proposal
from ..cq import CompetencyQuestion
from ..english.cq import parse_cq, pluralise, propose_from_cqs, singularise
from ..ontology import Ontology

__all__ = [
    "DEFAULT_DATA_DIR",
    "compare_answers",
    "hand_check_sample",
    "instantiate_placeholders",
    "instantiate_template",
    "main",
    "run",
    "sparql_vs_gold",
    "structural_closure",
]

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

    First person: CLaRO splits "do I need to V" over one ``PC`` repeated
    ("[PC1] I [PC1] [EC1] [PC1] [EC2]"), so the piece after "I"/"we" is
    "need" (the third piece "to V": "Do I need an animal to eat a plant?"),
    or "need to V" when a fronted "What/Which [EC1]" must be its object
    ("What animal do I need to eat a plant?"). A verb after "who"/"that"
    agrees with the noun before it, as do a literal "that have"/"that are";
    an ``EC`` right after another in an "Is …" question is the predicate
    ("Is an animal a plant?").
    """
    v = VOCABULARIES[vocab]
    raw = template.strip().rstrip("?").replace(",", " ,")
    toks = raw.split()
    matches = [_SLOT.fullmatch(t) for t in toks]
    slots = [(m.group(1), int(m.group(2))) if m else None for m in matches]
    pcs = [i for i, s in enumerate(slots) if s and s[0] in ("PC", "RC")]
    out: list[str] = []
    aux_before = False
    plural_ec = False  # the last EC was filled in the plural ("How many animals"): its verb agrees
    relative = False  # a "that" opened a relative clause whose verb is still to come
    subject_ec = False  # the last EC is the subject of a clause of its own ("types of animal a plant eats")
    copular = toks[0].lower() in ("is", "are") and (len(toks) < 2 or toks[1].lower() != "there")
    wh_noun = len(slots) > 1 and toks[0].lower() in ("what", "which") and slots[1] is not None \
        or toks[0].lower() == "how" and len(toks) > 1 and toks[1].lower() == "many"
    pieces_left: dict[tuple[str, int], str] = {}  # a first-person PC's pending last piece ("to eat")
    for i, (tok, slot) in enumerate(zip(toks, slots)):
        prev = toks[i - 1].lower() if i else ""
        prev_slot = slots[i - 1] if i else None
        nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
        nxt_slot = slots[i + 1] if i + 1 < len(slots) else None
        if slot is None:
            out.append(_agree_literal(tok, prev, plural_ec))
            if tok.lower() in ("does", "do", "did", "can", "will", "is", "are", "was"):
                aux_before = True
            elif tok.lower() in ("what", "which", "where", "who", "when", "how"):
                aux_before = False  # a new clause ("and" may join two subjects of one auxiliary)
            continue
        kind, k = slot
        if kind == "EC":
            noun = v["EC"][(k - 1) % len(v["EC"])]
            if prev == "how":
                # "How easy to eat is a plant …" when a PC follows the quality, else "How old is …"
                out.append("easy" if nxt_slot is not None and nxt_slot[0] != "EC" else v["quality"])
                continue
            clause_subject = prev_slot is not None and prev_slot[0] == "EC" and nxt_slot is not None \
                and nxt_slot[0] == "PC"  # "types of animal [a plant] eats": a new clause's subject
            kind_of = prev == "of" and i > 1 and toks[i - 2].lower() in (
                "type", "types", "kind", "kinds", "categories", "category", "sort", "sorts")
            if prev == "are" and out and out[-1] == "is":
                prev = "is"  # the template's "that are" agreed with a singular noun: "a plant that is a habitat"
            singular_any = prev == "any" and i > 2 and toks[i - 3].lower() == "is"  # "Is there any animal"
            plural = (prev in ("many", "any", "do", "are") and not singular_any) \
                or (prev in ("and", "or") and plural_ec) \
                or (prev == "there" and i > 1 and toks[i - 2].lower() == "are") \
                or (prev in ("what", "which") and [t.lower() for t in toks[-2:]] == ["are", "there"]) \
                or (nxt in ("are", "do", "have") and prev not in ("does", "is", "has", "did"))
            word = _PLURAL.get(noun, noun + "s") if plural else noun
            plural_ec = plural
            subject_ec = clause_subject
            bare = prev in ("which", "what", "many", "the", "some", "its", "any", "and", "or") or kind_of \
                or plural or (prev_slot is not None and prev_slot[0] == "EC" and not clause_subject
                              and not copular)
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
            clause_word_between = bool(later) and any(
                t.lower() in _CLAUSE_WORDS for t in toks[i + 1:later[0]])  # "[PC1] [EC1] if [EC2] [PC2]"
            fronted = bool(same_later) or (
                later and (i == 0 or later[0] == len(toks) - 1) and not clause_word_between)
            existential = "there" in [t.lower() for t in toks[:i]]
            if prev_slot is not None and prev_slot[0] == "EC" and i > 1 and toks[i - 2].lower() == "how":
                out.append(f"to {verb}")  # "How easy to eat is a plant …"
            elif slot in pieces_left:
                out.append(pieces_left.pop(slot))  # the last piece of "do I need … to eat"
            elif prev in ("i", "we") and nxt != "to":
                piece, last = _first_person_pieces(verb, toks, same_later, wh_noun)
                out.append(piece)
                if last:
                    pieces_left[slot] = last
                aux_before = False
            elif prev in ("who", "that") and not existential:
                out.append(verb if plural_ec else third)  # "an animal who eats a plant"
            elif before_subject and same_later and existential and prev_slot is not None and prev_slot[0] == "EC":
                out.append("that")  # "Is there an animal [that] a plant [eats]": a relative clause
                relative = True
            elif relative and prev_slot is not None and prev_slot[0] == "EC":
                out.append(verb if plural_ec else third)
                relative = False
            elif before_subject and fronted and not aux_before:
                plural_subject = nxt in ("i", "we") or "and" in [t.lower() for t in toks[i + 1:later[0]]]
                out.append("do" if plural_subject else "does")
                aux_before = True
            elif prev_slot is not None and prev_slot[0] == "EC" and subject_ec:
                out.append(third)  # "types of animal a plant eats"
            elif aux_before or prev in ("i", "we", "to", "can", "does", "do", "did", "will"):
                out.append(verb)
            elif i == 0:
                out.append("List")
            elif prev in ("where", "when", "how") and not later and before_subject:
                out.append("is")  # "Where [PC1] [EC1]?": the predicate is the copula
            elif prev_slot is not None and prev_slot[0] == "EC" and plural_ec:
                out.append(verb)  # "How many animals eat …", not "eats"
            else:
                out.append(third)
    text = " ".join(out).replace(" ,", ",")
    return text[:1].upper() + text[1:] + "?"


#: Words that open a clause of their own: a PC after one is not the fronted auxiliary of an earlier one.
_CLAUSE_WORDS = frozenset(["if", "that", "who", "where", "when", "and", "or"])


def _agree_literal(tok: str, prev: str, plural_subject: bool) -> str:
    """A template's literal "have"/"are" after "that" agrees with the noun before it ("a plant that has")."""
    if prev == "that" and not plural_subject:
        return {"have": "has", "are": "is"}.get(tok.lower(), tok)
    return tok


def _first_person_pieces(verb: str, toks: list[str], same_later: list[int], wh_noun: bool) -> tuple[str, str]:
    """The piece of a split "do I need to V" after "I"/"we", and the one still to come (or "").

    CLaRO splits one predicate over a repeated PC ("[PC1] I [PC1] [EC1] [PC1] [EC2]"):
    the piece after "I" is "need" ("use" after "How") and the next "to V". A fronted
    "What/Which [EC1]" needs "need" to take it as object: "What animal do I need to eat a
    plant?"; a later piece then followed by a noun joins on: "… and eat a habitat".
    """
    if not same_later:
        return (f"need to {verb}" if wh_noun else verb), ""
    last_is_final = same_later[-1] == len(toks) - 1
    if wh_noun and not last_is_final:
        return f"need to {verb}", f"and {verb}"
    return ("use" if toks[0].lower() == "how" else "need"), f"to {verb}"


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


def run(data_dir: Path | str | None = None, *, verbose: bool = True, top: int = 15,
        questions: bool = True) -> dict[str, Any]:
    """Parse rates per data set; prints a table and returns the figures.

    Returns
    -------
    dict
        ``{"cq2sparqlowl": {onto: {...}}, "claro": {version: {...}}, "failing_shapes": [(shape, n), ...],
        "sparql_vs_gold": {onto: {...}}}`` (see :func:`sparql_vs_gold`).
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
        per_vocab: dict[str, int] = {}
        read_any = 0
        relational_any = 0
        for tid, template in templates:
            parses = {vocab: parse_cq(instantiate_template(template, vocab)) for vocab in VOCABULARIES}
            for vocab, p in parses.items():
                per_vocab.setdefault(vocab, 0)
                per_vocab[vocab] += p is not None
            if any(p is not None for p in parses.values()):
                read_any += 1
            elif version == "claro_v1":  # v2 is held out: its shapes are not listed to write rules from
                failing[_shape(template)] += 1
            relational_any += any(_relational(p) for p in parses.values())
        result["claro"][version] = {"templates": len(templates), "read": read_any,
                                    "relational": relational_any,
                                    **{f"read_{v}": n for v, n in per_vocab.items()}}
    result["failing_shapes"] = failing.most_common(top)
    result["sparql_vs_gold"] = sparql_vs_gold(data_dir, rows)

    if verbose:
        _print(result)
        print()
        _print_sparql(result["sparql_vs_gold"], questions=questions)
    return result


def hand_check_sample(data_dir: Path | str | None = None, n: int = 25, seed: int = 16) -> list[dict[str, Any]]:
    """A random sample of *parsed* held-out questions to check by hand: SWO questions (placeholders
    instantiated) and CLaRO v2 templates (the wildlife filling, else the film one), ``random.Random(seed)``.

    Each item: ``{"set", "id", "cq", "parse", "answer", "answer_class", "aggregate", "negated", "classes"}``.
    """
    import random

    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    pool: list[tuple[str, str, str]] = []
    for r in _read_cq2(data_dir):
        if r["onto"] == "swo":
            pool.append(("swo", r["id"], instantiate_placeholders(r["cq"], "swo")))
    for tid, template in _read_claro(data_dir)["claro_v2"]:
        texts = [instantiate_template(template, vocab) for vocab in VOCABULARIES]
        text = next((t for t in texts if parse_cq(t) is not None), texts[0])
        pool.append(("claro_v2", tid, text))
    parsed = [(s, i, t, p) for s, i, t in pool if (p := parse_cq(t)) is not None]
    picked = random.Random(seed).sample(parsed, min(n, len(parsed)))
    return [{"set": s, "id": i, "cq": t, "parse": p.describe(), "answer": p.answer, "answer_class": p.answer_class,
             "aggregate": p.aggregate, "negated": p.negated, "classes": [c.name for c in p.classes]}
            for s, i, t, p in picked]


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
    print("Most frequent CLaRO v1 template shapes that are not read (v2 is held out):")
    for shape, n in result["failing_shapes"]:
        print(f"  {n:3d}  {shape}")


# =============================================================================
# Compiled TBox SPARQL against the gold SPARQL-OWL queries (AWO, Stuff).
# =============================================================================

#: Ontology files the gold queries of each ontology may target; per query the first
#: file that declares every ``:`` term of the query is used (Stuff: ``stuff_07`` needs
#: ``hasSubStuff``, only in the modified example file).
GOLD_ONTOLOGIES = {"awo": ("AfricanWildlifeOntology1.owl",),
                   "stuff": ("stuff.owl", "stuff-example-modified.owl")}
_GOLD_PLACEHOLDER = re.compile(r"\$PP\w*\$")
_CQ_PLACEHOLDER = re.compile(r"\[([^\]]*)\]")
_DEMONSTRATIVES = frozenset(["this", "these", "that", "those", "the", "a", "an"])


def structural_closure(graph: Any) -> Any:
    """A copy of ``graph`` with the subsumptions a reasoner would surely add, structurally.

    ``rdfs:subClassOf`` made reflexive (named classes) and transitive (all nodes,
    blank restrictions included), ``owl:equivalentClass`` read both ways, and
    ``X ⊑ A ⊓ B`` giving ``X ⊑ A`` and ``X ⊑ B``. No other OWL inference: it stands
    in for the SPARQL-OWL entailment regime the gold queries were written for.
    """
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    out = Graph()
    for t in graph:
        out.add(t)
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=False)
    up: dict[Any, set[Any]] = {}
    for s, o in graph.subject_objects(RDFS.subClassOf):
        up.setdefault(s, set()).add(o)
    for s, o in graph.subject_objects(OWL.equivalentClass):
        up.setdefault(s, set()).add(o)
        up.setdefault(o, set()).add(s)
    for s, lst in graph.subject_objects(OWL.intersectionOf):
        up.setdefault(s, set()).update(graph.items(lst))
    named = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for start in set(up) | named:
        seen: set[Any] = set()
        stack = list(up.get(start, ()))
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack.extend(up.get(n, ()))
        for n in seen:
            if n != start or isinstance(start, URIRef):
                out.add((start, RDFS.subClassOf, n))
        if isinstance(start, URIRef) and start in named:
            out.add((start, RDFS.subClassOf, start))
    return out


def _answers(res: Any) -> tuple[str, Any]:
    """``("ask", bool)`` or ``("select", (n_columns, set of row tuples))``.

    Rows that bind a variable to a blank node (an anonymous class expression) are
    dropped: under the SPARQL-OWL entailment regime variables bind named terms only.
    """
    from rdflib import BNode

    if res.type == "ASK":
        return "ask", bool(res.askAnswer)
    rows = set()
    for row in res:
        if any(isinstance(v, BNode) for v in row):
            continue
        rows.add(tuple(None if v is None else str(v) for v in row))
    return "select", (len(res.vars or ()), rows)


def compare_answers(gold: tuple[str, Any], ours: tuple[str, Any]) -> tuple[bool, str]:
    """Same answers? Column names and order are ignored when the column counts match."""
    if gold[0] != ours[0]:
        return False, f"answer form: gold {gold[0].upper()}, ours {ours[0].upper()}"
    if gold[0] == "ask":
        return gold[1] == ours[1], "" if gold[1] == ours[1] else f"gold {gold[1]}, ours {ours[1]}"
    (gn, grows), (on, orows) = gold[1], ours[1]
    if gn != on:
        return False, f"columns: gold {gn}, ours {on}"
    best = orows
    for perm in itertools.permutations(range(on)):
        moved = {tuple(r[i] for i in perm) for r in orows}
        if moved == grows:
            return True, ""
        if len(moved & grows) > len(best & grows):
            best = moved

    def short(rows: set[tuple[Any, ...]]) -> str:
        items = sorted("(" + ", ".join(str(v).rsplit("#", 1)[-1] for v in r) + ")" for r in rows)
        return ", ".join(items[:4]) + (f" … (+{len(items) - 4})" if len(items) > 4 else "")

    missing, extra = grows - best, best - grows
    bits = [f"gold {len(grows)} rows, ours {len(orows)}"]
    if missing:
        bits.append(f"missing {short(missing)}")
    if extra:
        bits.append(f"extra {short(extra)}")
    return False, "; ".join(bits)


def _query_terms(query: str) -> set[str]:
    m = re.search(r"prefix\s+:\s*<([^>]*)>", query, re.IGNORECASE)
    if not m:
        return set()
    body = query[m.end():]
    return {m.group(1) + t for t in re.findall(r"(?<![\w<?$]):([A-Za-z_][\w-]*)", body)}


def _placeholder_class(text: str, onto: Ontology) -> Any:
    """The class a CQ placeholder names (``these animals`` → ``animal``); the most specific
    when several words name classes (``this colloid stuff`` → ``Colloid``)."""
    words = [w for w in text.lower().split() if w not in _DEMONSTRATIVES]
    if not words:
        return None
    for key in (" ".join(words), " ".join(words[:-1] + [singularise(words[-1])])):
        hit = onto.get_class(key)
        if hit is not None:
            return hit.iri
    hits = [h.iri for w in words for h in (onto.get_class(w), onto.get_class(singularise(w))) if h is not None]
    specific = [h for h in hits if all(onto.is_subclass(h, o) for o in hits)]
    return specific[0] if specific else None


def _fill_cq(cq: str, label: str) -> str:
    def fill(m: re.Match[str]) -> str:
        first = m.group(1).split()[0].lower() if m.group(1).split() else ""
        if first in ("these", "those"):
            words = label.split()
            return " ".join(words[:-1] + [pluralise(words[-1])])
        return ("an " if label[:1] in "aeiou" else "a ") + label
    return _CQ_PLACEHOLDER.sub(fill, cq)


def _run(graph: Any, query: str) -> tuple[tuple[str, Any] | None, str]:
    try:
        return _answers(graph.query(query)), ""
    except Exception as exc:  # noqa: BLE001 - a query that does not run is a finding, not a crash
        return None, f"{type(exc).__name__}: {str(exc)[:120]}"


def sparql_vs_gold(data_dir: Path | str | None = None, rows: list[dict[str, str]] | None = None,
                   *, ontologies: tuple[str, ...] = ("awo", "stuff")) -> dict[str, Any]:
    """Run the compiled TBox query of each AWO/Stuff CQ next to its gold SPARQL-OWL query.

    A gold query with one ``$PPx1$`` placeholder whose CQ placeholder names a class
    (``[these animals]``) is instantiated once per named proper subclass of that class
    that the rest of the CQ does not name,
    in the CQ text (``Which animals eat impalas?``) and in the gold query alike; other
    placeholders are skipped and counted as ``placeholder``. A CQ counts as parsed,
    compiled, running or answering like gold when every instantiation does. Both
    queries run on the asserted graph and on :func:`structural_closure` of it.

    Returns
    -------
    dict
        ``{onto: {"cqs", "with_gold", "placeholder", "evaluated", "instantiations", "parsed",
        "compiled", "runs", "same_asserted", "same_closed", "instantiations_same_asserted",
        "instantiations_same_closed", "files", "mismatches": [{"id", "cq", "why"}, ...]}}``.
    """
    from rdflib import Graph, URIRef

    from ..io import check_xml_entities, read_ontology
    from ..iri import normalise_label
    from ..tbox_sparql import compile_tbox

    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    base = data_dir / "cq2sparqlowl"
    rows = rows if rows is not None else _read_cq2(data_dir)
    with (base / "cq_index.csv").open(newline="", encoding="utf-8") as f:
        index = {r["cq_id"]: r.get("sparql_owl_file") or "" for r in csv.DictReader(f)}
    out: dict[str, Any] = {}
    for onto_key in ontologies:
        loaded = []
        for fname in GOLD_ONTOLOGIES[onto_key]:
            path = base / "Ontologies" / fname
            if not path.exists():
                raise _missing(path)
            g = Graph()
            check_xml_entities(path.read_bytes(), source=str(path))  # rdflib's xml.sax expands entities unbounded
            g.parse(path, format="xml")
            loaded.append((fname, g, structural_closure(g), read_ontology(path)))
        sub = [r for r in rows if r["onto"] == onto_key]
        stats: dict[str, Any] = {k: 0 for k in (
            "cqs", "with_gold", "placeholder", "evaluated", "instantiations", "parsed", "compiled", "runs",
            "same_asserted", "same_closed", "instantiations_same_asserted", "instantiations_same_closed")}
        stats["cqs"] = len(sub)
        stats["files"] = {}
        stats["mismatches"] = []
        for r in sub:
            rq = index.get(r["id"], "")
            if not rq or not (base / rq).exists():
                continue
            stats["with_gold"] += 1
            gold_text = (base / rq).read_text(encoding="utf-8")
            terms = _query_terms(gold_text)
            fname, g, closed, onto = next(
                (item for item in loaded if all((URIRef(t), None, None) in item[1] for t in terms)), loaded[0])
            stats["files"][r["id"]] = fname
            cases: list[tuple[str, str]] = []  # (cq text, gold query)
            gold_ph = set(_GOLD_PLACEHOLDER.findall(gold_text))
            cq_ph = _CQ_PLACEHOLDER.findall(r["cq"])
            if gold_ph:
                cls = _placeholder_class(cq_ph[0], onto) if len(gold_ph) == 1 and len(cq_ph) == 1 else None
                # A placeholder stands for another class than those the rest of the CQ names
                # ("Is [this animal] a herbivore?" is not instantiated with herbivore).
                rest = f" {normalise_label(_CQ_PLACEHOLDER.sub(' ', r['cq']))} "
                fillers = sorted(c for c in onto.classes if cls is not None and c != cls and onto.is_subclass(c, cls)
                                 and f" {normalise_label(onto.classes[c].label)} " not in rest)
                if not fillers:
                    stats["placeholder"] += 1
                    continue
                ph = gold_ph.pop()
                for c in fillers:
                    cases.append((_fill_cq(r["cq"], normalise_label(onto.classes[c].label)),
                                  gold_text.replace(ph, f"<{c}>")))
            else:
                cases.append((instantiate_placeholders(r["cq"], onto_key), gold_text))
            stats["evaluated"] += 1
            stats["instantiations"] += len(cases)
            ok = {"parsed": True, "compiled": True, "runs": True, "same_asserted": True, "same_closed": True}
            why = {"fail": "", "closed": "", "asserted": ""}
            for text, gold_q in cases:
                parsed = parse_cq(text)
                compiled = compile_tbox(parsed, onto) if parsed is not None else None
                if parsed is None or compiled is None or compiled.query is None:
                    ok["parsed"] &= parsed is not None
                    ok["compiled"] = ok["runs"] = ok["same_asserted"] = ok["same_closed"] = False
                    why["fail"] = why["fail"] or (
                        f"not parsed: {text!r}" if parsed is None
                        else f"not compiled ({parsed.describe()}): {compiled.reason if compiled is not None else ''}")
                    continue
                for view, graph in (("asserted", g), ("closed", closed)):
                    gold_ans, gold_err = _run(graph, gold_q)
                    ours, err = _run(graph, compiled.query)
                    if ours is None or gold_ans is None:
                        ok["runs"] &= ours is not None
                        ok[f"same_{view}"] = False
                        why["fail"] = why["fail"] or (f"compiled query fails: {err}" if ours is None
                                                      else f"gold query fails: {gold_err}")
                        continue
                    same, diff = compare_answers(gold_ans, ours)
                    stats[f"instantiations_same_{view}"] += same
                    ok[f"same_{view}"] &= same
                    if not same and not why[view]:
                        why[view] = f"{text!r} ({parsed.describe()}): {diff}"
            for k, v in ok.items():
                stats[k] += v
            if not (ok["same_closed"] and ok["same_asserted"]):
                reason = why["fail"] or why["closed"] or \
                    f"same on the closed graph; on the asserted one {why['asserted']}"
                if why["closed"] and why["asserted"] and not why["fail"]:
                    reason += f" | asserted: {why['asserted'].split(': ', 1)[-1]}"
                stats["mismatches"].append({"id": r["id"], "cq": r["cq"], "why": reason})
        out[onto_key] = stats
    return out


def _print_sparql(result: dict[str, Any], questions: bool = True) -> None:
    print("Compiled TBox SPARQL vs gold SPARQL-OWL (rdflib; 'closed' = structural subclass closure of the "
          "ontology, standing in for OWL entailment)")
    print(f"{'ontology':9s} {'CQs':>4s} {'gold':>5s} {'placeholder':>12s} {'evaluated':>10s} {'inst.':>6s} "
          f"{'parsed':>7s} {'compiled':>9s} {'runs':>5s} {'same (asserted)':>16s} {'same (closed)':>14s} "
          f"{'inst. same (closed)':>20s}")
    for onto, r in result.items():
        print(f"{onto:9s} {r['cqs']:4d} {r['with_gold']:5d} {r['placeholder']:12d} {r['evaluated']:10d} "
              f"{r['instantiations']:6d} {r['parsed']:7d} {r['compiled']:9d} {r['runs']:5d} "
              f"{r['same_asserted']:16d} {r['same_closed']:14d} "
              f"{r['instantiations_same_closed']:>9d}/{r['instantiations']:<10d}")
    for onto, r in result.items():
        for m in r["mismatches"] if questions else ():
            print(f"  {m['id']:9s} {m['cq']}\n            {m['why']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--no-questions", action="store_true",
                    help="print the figures only, not the questions that differ from gold (held-out sets)")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="print N random parsed SWO and CLaRO v2 questions to check by hand, and nothing else")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args(argv)
    if args.sample:
        for k, item in enumerate(hand_check_sample(args.data_dir, args.sample, args.seed), 1):
            agg = f", aggregate {item['aggregate']}" if item["aggregate"] else ""
            neg = ", negated" if item["negated"] else ""
            print(f"{k:2d}. [{item['set']} {item['id']}] {item['cq']}\n    → {item['parse']}  (answer {item['answer']}"
                  f"{' ' + item['answer_class'] if item['answer_class'] else ''}{agg}{neg}; classes "
                  f"{', '.join(item['classes'])})")
        return 0
    run(args.data_dir, top=args.top, questions=not args.no_questions)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
