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

__all__ = ["system", "extraction", "extraction_glean", "extraction_repair", "ontology", "ontology_repair",
           "parse_repair", "committee", "personas", "scope", "merge_scopes", "too_short", "cqs", "no_questions",
           "dedupe", "weave",
           "sparql"]

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
# The reply's fields in words, not a template: a small model copies a placeholder such as
# "isA | ontologyProperty" literally as its predicate. The worked example (render_example)
# shows the shape in the ontology's own terms.
_TRIPLE_FIELDS = """Reply with one JSON object and nothing else (no prose, no Markdown): an object with the key \
"triples", whose value is a list of facts. Each fact is an object with these keys:
- "subject": the snake_case name of the entity the fact is about;
- "predicate": the word isA when the fact gives the entity's class, otherwise the exact name of one of the \
ontology's properties;
- "object": after isA, a class name of the ontology; after an object property, the snake_case name of the \
other entity; after a data property, the value as the text writes it;
- "subject_text" and "object_text": the words of the text that name the subject and the object, copied exactly;
- "sentence": the sentence of the text that states the fact."""

_EXTRACTION_RULES = """You extract facts from a text into a knowledge graph, using ONLY the given ontology.
Rules the output is checked against:
1. Entities are snake_case names (e.g. ridley_scott); reuse a known entity's exact name.
2. Type every entity you use with (entity, isA, Class), Class from the ontology; never use a class as an entity.
3. A predicate other than isA must be an ontology property; its subject's type must fit the domain,
   an object property's object must be a typed entity whose type fits the range.
4. A data property's object is the literal value as written (dates as YYYY-MM-DD, numbers as digits).
5. Only facts stated in the text; subject_text/object_text are copied from the text.
Names (each entity must be found in the text by its subject_text/object_text):
6. One entity, one name: when the text names an entity in several ways (a full name and a short one, an
   alias, "the film"), use the same snake_case name in all its facts, made from its fullest name in the text.
7. A pronoun or a description ("he", "the company") stands for the entity it refers to only when the text
   makes that certain: use that entity's name, and as subject_text/object_text the name as the text writes
   it elsewhere. When you are not sure whom it refers to, leave the fact out.
8. One name, one thing: never join several entities, places or dates into one name (not alien_1979_usa);
   state those as separate facts with the ontology's properties."""


def extraction(chunk: str, ontology_text: str, entities_text: str, example: str = "") -> Messages:
    """The first request for a chunk; ``example`` is a worked example in the ontology's terms."""
    role = f"{_EXTRACTION_RULES}\n{_TRIPLE_FIELDS}"
    if example:
        role += f"\nAn example, in this ontology's terms (its entities are made up; never copy them):\n{example}"
    user = [f"Ontology:\n{ontology_text}"]
    if entities_text:
        user.append(f"Known entities mentioned in this text (reuse these names and types):\n{entities_text}")
    user.append(f"Text:\n<<<\n{chunk}\n>>>")
    return [{"role": "system", "content": role}, {"role": "user", "content": "\n\n".join(user)}]


def extraction_glean(found: Sequence[Any]) -> dict[str, str]:
    """Appended in a gleaning epoch: what earlier readings of the chunk found, and a request for the rest."""
    lines = ["Earlier readings of this text already found these facts:"]
    lines += [f"{n}. ({getattr(c, 'subject', '?')}, {getattr(c, 'predicate', '?')}, {getattr(c, 'object', '?')})"
              for n, c in enumerate(found, start=1)]
    lines.append("Read the text again and return ONLY facts it states that are not in this list, with the isA "
                 "facts their new entities need; an entity in the list keeps its name. If the text states "
                 'nothing more, reply {"triples": []}.')
    return {"role": "user", "content": "\n".join(lines)}


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
                 "comment": "what its instances are", "cq": 1}],
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
Add only what the questions need; give "cq" as the number of the question an item serves.
Modelling guidance (HyDRA's; the first two are flagged when broken):
- The questions' example entities (names, titles such as 'Alien' or 'Ridley Scott') are instances for the
  knowledge graph, never classes: model their kind (Film, Person) instead.
- Literal values are data properties, not classes: releaseYear (integer) on Film, not a Year class; the same
  for dates, names, titles, ages, counts, URLs.
- Relationships are object properties, not classes: directedBy from Film to Person, not a Direction class.
- Do not add properties that restate the hierarchy (no filmType when Film has subclasses for its kinds).
- Use functional and inverseFunctional only when every instance certainly has at most one value.
- Property names start with a verb (hasAuthor, directedBy, isPartOf); classes are singular nouns.
- The one top-level class is a domain-specific root (e.g. FilmEntity), not a generic Thing, when the
  ontology is empty.
- Give every class a one-sentence "comment" saying what its instances are."""


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
def committee(domain: str, groups: int = 0) -> Messages:
    """The stakeholder groups of a domain (no personas yet: those are asked per group)."""
    shape = {"groups": [{"name": "stakeholder group", "description": "who they are and what they know",
                         "priority": "high | medium | low", "reason": "why this priority"}]}
    how_many = (f"exactly {groups} groups" if groups > 0 else
                "an exhaustive list of groups")
    role = ("You are an ontology engineer in the scoping phase of a comprehensive ontology for the given domain. "
            "Identify the groups of people who hold deep knowledge of the domain - experts, practitioners, "
            "researchers, users - NOT the people who would build the ontology. They have first-hand experience "
            "with the domain's concepts, know its terminology, processes and relationships, work with its "
            "information, and have questions the ontology should answer. "
            f"Give {how_many}, each with a priority (high, medium or low) and the reason for it.")
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}"}]


def personas(domain: str, group: str, existing: Sequence[str], n: int) -> Messages:
    """``n`` more personas of one stakeholder group (those found so far are listed)."""
    shape = {"personas": [{"name": "first and last name", "role": "occupation",
                           "background": "age, location, education, experience, domain knowledge, interests, "
                                         "perspective"}]}
    role = ("You are an ontology engineer building a comprehensive domain ontology. To gather diverse "
            "perspectives you will interview people of one stakeholder group. Generate exactly the requested "
            "number of personas of that group. Each represents different experiences, backgrounds and "
            "perspectives relevant to the domain: age, location, education, work experience, domain knowledge, "
            "interests, technological proficiency. Together they cover the group's range of experience. "
            "Do not repeat a persona already found.")
    found = "\n".join(f"- {p}" for p in existing) or "(none yet)"
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}\nGroup: {group}\n"
                                                             f"Personas already found:\n{found}\n"
                                                             f"Number of personas to generate: {n}"}]


_SCOPE_FORM = ("Structure the document with numbered sections and subsections (1, 1.1, 1.1.1) and bullet points "
               "for lists. Focus on topics, not relationships or processes. No title, introduction, summary or "
               "conclusion: only the content sections.")


def scope(domain: str, personas: Sequence[str]) -> Messages:
    shape = {"title": "", "text": "the scope document", "concepts": ["key concept"]}
    role = ("You are a collaborative team of the given personas. Write a scope document that defines what the "
            f"domain includes, from your collective expertise. {_SCOPE_FORM} Give a clear, concise definition "
            "of the domain, describe and list all its major conceptual areas, and for each core topic list all "
            "relevant sub-topics, as many levels deep as necessary, at an appropriate level of abstraction. "
            "Anything in the document is in scope for the ontology.")
    who = "\n".join(f"- {p}" for p in personas)
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}\nPersonas:\n{who}"}]


def merge_scopes(domain: str, scopes: Sequence[str]) -> Messages:
    shape = {"title": "", "text": "the merged scope document", "concepts": ["key concept"]}
    role = ("You are an expert ontology engineer creating an ontology of the given domain. Merge the scope "
            "documents into one comprehensive, well-structured document, from general concepts to specific "
            f"details. {_SCOPE_FORM} Retain all essential information of every document and do not omit "
            "significant details; resolve conflicts with the most comprehensive perspective; keep terminology "
            "consistent; remove redundancy but keep nuanced differences; add nothing that is not in the "
            "documents; say nothing about authors or personas.")
    docs = "\n\n".join(f"Scope {n}:\n{s}" for n, s in enumerate(scopes, start=1))
    return [system(role, shape), {"role": "user", "content": f"Domain: {domain}\n\n{docs}"}]


def too_short(kind: str, chars: int, minimum: int) -> dict[str, str]:
    """Appended after a reply whose document is shorter than the step's minimum."""
    return {"role": "user", "content": f"Your {kind} has {chars} characters; it must have at least {minimum}. "
                                       f"Write the whole document again, complete. {_JSON_ONLY}"}


def cqs(domain: str, scope_text: str, panel: Sequence[str] | str, n: int = 0) -> Messages:
    """Competency questions of one panel of personas within the merged scope (``n`` 0: as many as needed)."""
    shape = {"questions": ["Which ... ?"]}
    how_many = (f"{n} competency questions" if n > 0 else
                "as many competency questions as required to cover the domain comprehensively")
    role = ("You write competency questions for an ontology of the given domain, in the voice of the given "
            "personas. Competency questions are the questions domain users want the knowledge graph to "
            "answer: real information needs, answerable with facts, not questions about the ontology.\n"
            "Good (publication domain): 'Who are the authors of paper X?', 'Which papers cite methodology Y?', "
            "'What experiments were conducted using equipment Z?', 'Which publications resulted from grant G?'\n"
            "Bad (about the ontology's design): 'How does the ontology represent types of publications?', "
            "'How does the ontology model the relationship between authors and papers?'\n"
            "Write as domain users, not ontology engineers; ask for specific, concrete information; cover "
            "diverse aspects; use natural language; keep most questions short (two simple questions rather "
            "than one complex one), with about one more complex question per 4-5 simple ones. "
            f"Write {how_many}. One question per item, no numbering.")
    who = panel if isinstance(panel, str) else "\n".join(f"- {p}" for p in panel)
    return [system(role, shape),
            {"role": "user", "content": f"Domain: {domain}\nPersonas:\n{who}\n\nScope:\n{scope_text}"}]


def no_questions() -> dict[str, str]:
    return {"role": "user", "content": f"Your reply has no question. Write at least one. {_JSON_ONLY}"}


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
        {"op": "merge", "source": "ClassMergedAway", "target": "EquivalentClassInAnotherCluster", "reason": ""},
        {"op": "bridge", "links": [["TopClassOfOneCluster", "ClassInAnotherCluster"]], "reason": ""},
        {"op": "bridge", "new_classes": ["CommonRoot"], "links": [["TopOfA", "CommonRoot"], ["TopOfB", "CommonRoot"]],
         "reason": ""},
        {"op": "prune", "classes": ["EveryClassOfAnIsolatedCluster"], "reason": ""}]}
    role = ("You are an ontology engineer stitching together an ontology whose classes fall into isolated clusters "
            "(groups of classes connected by subclass links). Propose operations that leave one coherent cluster; "
            "each operation must reduce the number of clusters, or it is rejected:\n"
            "- merge: two classes of different clusters that mean the same thing become one;\n"
            "- bridge: subclass links that put the top-level class of one cluster under a class of another, or "
            "the top-level classes of several clusters under a new common class (a class has at most one "
            "superclass);\n"
            "- prune: remove a whole cluster that does not belong to the domain (never the largest).\n"
            "Use only existing classes (and the new classes a bridge declares); keep the hierarchy logically "
            "consistent. The user reviews every operation before it is applied.")
    cl = "\n".join(f"Cluster {n}: {', '.join(c)}" for n, c in enumerate(clusters, start=1))
    content = f"Ontology:\n{ontology_text}\n\nIsolated clusters (largest first):\n{cl}"
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
