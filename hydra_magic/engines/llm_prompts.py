"""Our prompts, one builder per step. Each returns chat messages; none sends anything.

Every prompt states the JSON shape it wants (for providers that ignore
``response_format``) and the rules the contracts will check, so that most
replies pass on the first attempt. Repair prompts list only the rejected items
with the violated rules' messages and hints.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..issues import Issue

__all__ = ["system", "extraction", "extraction_repair", "ontology", "ontology_repair", "parse_repair",
           "committee", "scope", "merge_scopes", "cqs", "dedupe", "weave", "sparql"]

Messages = list[dict[str, str]]

_JSON_ONLY = "Reply with one JSON object and nothing else (no prose, no Markdown)."


def system(role: str, shape: dict[str, Any]) -> dict[str, str]:
    return {"role": "system",
            "content": f"{role}\n{_JSON_ONLY} Its shape:\n{json.dumps(shape, ensure_ascii=False)}"}


def _issues(issues: Sequence[Issue]) -> str:
    return "; ".join(f"[{i.code}] {i.message}" + (f" Fix: {i.hint}" if i.hint else "")
                     for i in issues if i.severity == "error") or "rejected"


def parse_repair(issues: Sequence[Issue]) -> dict[str, str]:
    """Appended after a reply that could not be parsed."""
    return {"role": "user", "content": "Your previous reply could not be used: " + _issues(issues)
            + f"\nAnswer the same request again. {_JSON_ONLY}"}


# ------------------------------------------------------------------ extraction
_TRIPLE_SHAPE = {"triples": [{"subject": "snake_case_entity", "predicate": "isA | ontologyProperty",
                              "object": "Class | snake_case_entity | literal value",
                              "subject_text": "subject as written", "object_text": "object as written",
                              "sentence": "the source sentence"}]}

_EXTRACTION_RULES = """You extract facts from a text into a knowledge graph, using ONLY the given ontology.
Rules the output is checked against:
1. Entities are snake_case names (e.g. ridley_scott); reuse a known entity's exact name.
2. Type every entity you use with (entity, isA, Class), Class from the ontology; never use a class as an entity.
3. A predicate other than isA must be an ontology property; its subject's type must fit the domain,
   an object property's object must be a typed entity whose type fits the range.
4. A data property's object is the literal value as written (dates as YYYY-MM-DD, numbers as digits).
5. Only facts stated in the text; subject_text/object_text are copied from the text."""


def extraction(chunk: str, ontology_text: str, entities_text: str) -> Messages:
    user = [f"Ontology:\n{ontology_text}"]
    if entities_text:
        user.append(f"Known entities mentioned in this text (reuse these names and types):\n{entities_text}")
    user.append(f"Text:\n<<<\n{chunk}\n>>>")
    return [system(_EXTRACTION_RULES, _TRIPLE_SHAPE), {"role": "user", "content": "\n\n".join(user)}]


def extraction_repair(feedback: Sequence[tuple[Any, list[Issue]]]) -> dict[str, str]:
    lines = ["These triples from your answer were rejected:"]
    for n, (cand, issues) in enumerate(feedback, start=1):
        triple = f"({getattr(cand, 'subject', '?')}, {getattr(cand, 'predicate', '?')}, {getattr(cand, 'object', '?')})"
        lines.append(f"{n}. {triple}: {_issues(issues)}")
    lines.append("Return corrected versions of ONLY these triples (add the isA triples they need); leave out any "
                 "that the text does not support. Do not repeat triples that were accepted.")
    return {"role": "user", "content": "\n".join(lines)}


# -------------------------------------------------------------------- ontology
_ONTOLOGY_SHAPE = {
    "classes": [{"name": "PascalCase", "parent": "ExistingOrNewClass or null", "label": "words",
                 "comment": "", "cq": 1}],
    "properties": [{"name": "camelCase", "kind": "object | data", "domain": ["Class"],
                    "range": ["Class (object) | string|integer|float|boolean|date|dateTime|time (data)"],
                    "characteristics": ["functional"], "label": "words", "comment": "", "cq": 1}],
}

_ONTOLOGY_RULES = """You are an ontology engineer. Extend the OWL ontology so that it can answer the \
competency questions.
Rules the output is checked against:
1. Class names are PascalCase and new (not already in the ontology, case-insensitive); property names are camelCase
   and new; object and data properties share one namespace.
2. A class has at most one superclass, which must exist or be declared earlier in your answer; no cycles.
3. If the ontology is empty, declare exactly one top-level class first; otherwise every new class needs a superclass.
4. Domain classes and object-property range classes must exist or be declared in your answer.
5. Data-property ranges are one of: string, integer, float, boolean, dateTime, date, time.
6. Characteristics are among: functional, inverseFunctional, transitive, symmetric, asymmetric, reflexive,
   irreflexive.
Add only what the questions need; give "cq" as the number of the question an item serves."""


def ontology(cqs: Sequence[str], ontology_text: str) -> Messages:
    qs = "\n".join(f"{n}. {q}" for n, q in enumerate(cqs, start=1))
    return [system(_ONTOLOGY_RULES, _ONTOLOGY_SHAPE),
            {"role": "user", "content": f"Current ontology:\n{ontology_text}\n\nCompetency questions:\n{qs}"}]


def ontology_repair(feedback: Sequence[tuple[Any, list[Issue]]]) -> dict[str, str]:
    lines = ["These items of your answer were rejected (the others were accepted and are now in the ontology):"]
    for n, (item, issues) in enumerate(feedback, start=1):
        desc = item.describe() if hasattr(item, "describe") else str(item)
        lines.append(f"{n}. {desc}: {_issues(issues)}")
    lines.append("Return corrected versions of ONLY these items, or leave an item out if it is not needed.")
    return {"role": "user", "content": "\n".join(lines)}


# ------------------------------------------------------------ generation steps
def committee(domain: str, groups: int) -> Messages:
    shape = {"groups": [{"name": "stakeholder group", "priority": "high | medium | low", "description": "",
                         "personas": [{"name": "", "role": "", "background": ""}]}]}
    role = (f"You assemble a committee of stakeholders who will specify a knowledge graph. Propose {groups} "
            "stakeholder groups with a priority each; a high-priority group has 3 personas, medium 2, low 1. "
            "Personas are concrete people with a role and a background relevant to the domain.")
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}"}]


def scope(domain: str, personas: Sequence[str]) -> Messages:
    shape = {"title": "", "text": "the scope document", "concepts": ["key concept"]}
    role = ("You write the scope document of a knowledge graph from the point of view of a few stakeholders: "
            "what the graph must cover, which entities and relations matter, what is out of scope. "
            "About 150 words.")
    who = "\n".join(f"- {p}" for p in personas)
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}\nStakeholders:\n{who}"}]


def merge_scopes(domain: str, scopes: Sequence[str]) -> Messages:
    shape = {"title": "", "text": "the merged scope document", "concepts": ["key concept"]}
    role = ("You merge scope documents written by different stakeholder groups into one consistent scope "
            "document: keep every requirement, remove repetitions, resolve conflicts. About 250 words.")
    docs = "\n\n".join(f"Scope {n}:\n{s}" for n, s in enumerate(scopes, start=1))
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}\n\n{docs}"}]


def cqs(domain: str, scope_text: str, group: str, n: int) -> Messages:
    shape = {"questions": ["Which ... ?"]}
    role = (f"You write competency questions for a knowledge graph: {n} short, answerable questions in the "
            "voice of the given stakeholder group, each about entities and relations in scope "
            "(e.g. 'Which films did a director direct?'). One question per item, no numbering.")
    return [system(role, shape),
            {"role": "user", "content": f"Domain: {domain}\nStakeholder group: {group}\nScope:\n{scope_text}"}]


def dedupe(questions: Sequence[str]) -> Messages:
    shape = {"duplicates": [[1, 4], [2, 7, 9]]}
    role = ("You find competency questions that ask the same thing in different words. Return groups of "
            "question numbers; the first number of a group is kept. Questions without a duplicate are "
            "not listed. Return an empty list when there are no duplicates.")
    qs = "\n".join(f"{n}. {q}" for n, q in enumerate(questions, start=1))
    return [system(role, shape), {"role": "user", "content": qs}]


def weave(ontology_text: str, clusters: Sequence[Sequence[str]],
          feedback: Sequence[tuple[Any, list[Issue]]] = ()) -> Messages:
    shape = {"operations": [
        {"op": "merge", "source": "ClassMergedAway", "target": "ClassKept", "reason": ""},
        {"op": "bridge", "child": "Class", "parent": "ClassInOtherCluster", "reason": ""},
        {"op": "bridge", "property": {"name": "camelCase", "kind": "object", "domain": ["A"], "range": ["B"]},
         "reason": ""},
        {"op": "prune", "classes": ["EveryClassOfAnIsolatedCluster"], "reason": ""}]}
    role = ("You connect an ontology whose classes fall into isolated clusters (groups of classes linked by "
            "subclass or object-property edges, ignoring the top-level class). Each operation must join two "
            "clusters or remove one: merge two equivalent classes from different clusters, bridge two clusters "
            "with a subclass link (the child must have no superclass below the top level) or with a new object "
            "property, or prune a cluster that does not belong in the domain. Operations that do not reduce the "
            "number of clusters are rejected.")
    cl = "\n".join(f"Cluster {n}: {', '.join(c)}" for n, c in enumerate(clusters, start=1))
    content = f"Ontology:\n{ontology_text}\n\nIsolated clusters:\n{cl}"
    if feedback:
        content += "\n\nRejected in the previous round:\n" + "\n".join(
            f"- {op.describe() if hasattr(op, 'describe') else op}: {_issues(issues)}" for op, issues in feedback)
    return [system(role, shape), {"role": "user", "content": content}]


def sparql(question: str, ontology_text: str, prefixes: dict[str, str]) -> Messages:
    shape = {"sparql": "SELECT ?x WHERE { ... }"}
    role = ("You translate a competency question into one SPARQL 1.1 SELECT query over the given ontology. "
            "Use only the ontology's classes and properties with the given prefixes; entities are in the "
            "'ent:' namespace; types are stated with rdf:type.")
    pre = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items())
    return [system(role, shape),
            {"role": "user", "content": f"Prefixes:\n{pre}\n\nOntology:\n{ontology_text}\n\nQuestion: {question}"}]


def sparql_repair(issues: Sequence[Issue]) -> dict[str, str]:
    return {"role": "user", "content": "That query was rejected: " + _issues(issues)
            + "\nReturn a corrected query."}
