"""Every issue code, defined once: the table the contracts, ``%hydra verify`` and the SHACL shapes read.

A :class:`Rule` holds a code's words (description, message and hint templates)
and says where it is checked: ``candidate_check`` names the per-candidate
function (:mod:`hydra_magic.contracts.triple_rules`, :mod:`~hydra_magic.contracts.values`),
``graph_check`` the whole-graph function (:mod:`hydra_magic.verify`), ``shacl``
the kind of shape generated for it (:func:`hydra_magic.verify.shacl.ontology_shapes`).
Both checks are given as names, not imported: this table is the base layer
(``issues.CODES`` is derived from it), so it imports nothing of hydra_magic.
The one definition of a typing predicate is
:func:`hydra_magic.contracts.triple_rules.is_typing_predicate`.

Templates are :meth:`str.format` strings; a field a caller does not have
reads as empty, so optional parts (``{context}``, ``{did_you_mean}``) are
whole phrases with their own leading space or punctuation. The same template
serves the candidate ("directed by" needs a subject of type Film; "alien" is a
Person) and the graph side (the same, with the property's name).

Codes that are not triple rules (ontology rules, engine reports, value rules,
CQ tests) are plain entries: a description and the usual severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CODES", "RULES", "Rule", "by_shape", "did_you_mean", "rule"]

Severity = Literal["error", "warning", "info"]

_CANDIDATE = "hydra_magic.contracts.triple_rules."
_TYPING = "hydra_magic.verify.typing_checks."
_OWL = "hydra_magic.verify.owl_checks."


class _Fields(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rule:
    """One rule: its code, words, and where it is checked (see module docstring)."""

    code: str
    description: str
    severity: Severity = "error"
    message: str = ""
    hint: str = ""
    #: The per-candidate function that raises it (dotted name), or None.
    candidate_check: str | None = None
    #: The whole-graph function that reports it (dotted name), or None.
    graph_check: str | None = None
    #: The kind of generated SHACL shape that expresses it, or None.
    shacl: str | None = None
    #: In strict types mode the finding is reported with this code (its severity, this hint) instead.
    strict_code: str | None = None
    strict_hint: str = ""

    def message_for(self, **fields: Any) -> str:
        return self.message.format_map(_Fields(fields))

    def hint_for(self, **fields: Any) -> str:
        return self.hint.format_map(_Fields(fields))


def did_you_mean(hits: list[str] | tuple[str, ...]) -> str:
    """The ``{did_you_mean}`` field: `` Did you mean 'a' or 'b'?`` or nothing."""
    return f" Did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""


def _plain(code: str, description: str, severity: Severity = "error") -> Rule:
    return Rule(code, description, severity)


_NOT_A_FACT = "A negated, hedged or hypothetical statement is not a fact. If the text does assert it, accept it anyway."

_TRIPLE_RULES = [
    Rule("unknown_class", "isA object is not an ontology class",
         message="{entity!r} is typed {cls!r}, which is not a class of the ontology.",
         hint="Type it with an ontology class, or add the class to the ontology.{did_you_mean}",
         candidate_check=_CANDIDATE + "_Checker.check_type", graph_check=_TYPING + "check_subject_predicate"),
    Rule("class_as_entity", "an ontology class used as an entity",
         message="{entity!r} is an ontology class, not an entity{context}.",
         hint="Use a concrete instance (a snake_case entity) instead of the class.",
         candidate_check=_CANDIDATE + "_Checker._entity", graph_check=_TYPING + "check_subject_predicate"),
    Rule("retype_conflict", "an entity may be re-typed only to a subclass of its type",
         hint="Re-type an entity only to a subclass of its current type, or use a different entity.",
         candidate_check=_CANDIDATE + "_Checker.check_type"),
    Rule("type_conflict", "the text states a type that contradicts a type inferred earlier (both sources named)",
         candidate_check=_CANDIDATE + "_Checker.check_type"),
    Rule("type_inferred", "accepted on a type inferred from a relation, not stated: not verified", "warning",
         message="{role} {entity!r}{context} fits the {side} of {prop!r} ({required}) only through a type "
                 "inferred from a relation ({types}); nothing independent of the fact says what it is.",
         hint="State the type in the text (e.g. '{entity} is a …') or in the graph; until then the fact is "
              "kept but not verified (types='strict' rejects such facts).",
         candidate_check=_CANDIDATE + "_Checker._typed_as",
         graph_check=_TYPING + "check_subject_predicate, " + _TYPING + "check_object_predicate",
         strict_code="untyped_entity",
         strict_hint="State the type in the text (e.g. 'X is a …'), or use the default types mode, which "
                     "keeps such facts flagged 'type_inferred'."),
    Rule("negated", "the clause that states the relation is negated (not, never, no longer, failed to, denied …)",
         hint=_NOT_A_FACT, candidate_check=_CANDIDATE + "_Checker.polarity"),
    Rule("hedged", "the clause that states the relation is hedged (reportedly, allegedly, may have, rumoured …)",
         hint=_NOT_A_FACT, candidate_check=_CANDIDATE + "_Checker.polarity"),
    Rule("hypothetical", "the clause that states the relation is hypothetical or about the future "
                         "(will, would, if, plans to …)", hint=_NOT_A_FACT,
         candidate_check=_CANDIDATE + "_Checker.polarity"),
    Rule("unknown_property", "the predicate is not an ontology property",
         message="{prop!r} is not a property of the ontology{context}.",
         hint="Use only ontology properties, or add this property to the ontology.{did_you_mean}",
         candidate_check=_CANDIDATE + "_Checker.check_relation", graph_check=_TYPING + "check_subject_predicate"),
    # Also reported by the domain and range shapes when the focus has no type at all.
    Rule("untyped_entity", "the entity has no type yet",
         message="{entity!r} has no type{context}.",
         hint="State what {entity!r} is first, e.g. ({entity}, isA, {guess}).",
         candidate_check=_CANDIDATE + "_Checker._typed_as", graph_check=_TYPING + "check_untyped"),
    Rule("entity_not_snake_case", "entity names are snake_case",
         message="Entity name {entity!r} is not snake_case.", hint="Write it as {suggestion!r}.",
         candidate_check=_CANDIDATE + "_Checker._entity"),
    Rule("domain_mismatch", "the subject's type is not in the property's domain",
         message="{prop!r} needs a subject of type {required}; {entity!r} is {types}.",
         hint="Swap subject and object if they are reversed, re-type the entity, or use a property whose "
              "domain fits.",
         candidate_check=_CANDIDATE + "_Checker._check_domain", graph_check=_TYPING + "check_subject_predicate",
         shacl="domain"),
    Rule("range_mismatch", "the object's type is not in the property's range",
         message="{prop!r} needs an object of type {required}; {entity!r}{context} is {types}.",
         hint="Swap subject and object if they are reversed, re-type the entity, or use a property whose "
              "range fits.",
         candidate_check=_CANDIDATE + "_Checker._check_range", graph_check=_TYPING + "check_object_predicate",
         shacl="range"),
    # Candidates carry strings: a data property's object is always read as a literal and an object
    # property's as an entity name, so only the graph (facts loaded from files) can break these two.
    Rule("literal_for_object_property", "an object property needs an entity, not a literal",
         message="{prop!r} links entities but {entity!r} has the literal {value!r} as its value.",
         hint="Use an entity as the object, or a data property for literal values.",
         graph_check=_TYPING + "check_subject_predicate", shacl="object-kind"),
    Rule("entity_for_data_property", "a data property needs a literal value",
         message="{prop!r} is a data property but {entity!r} has the entity {value!r} as its value.",
         hint="Give a literal value, or use an object property for links between entities.",
         graph_check=_TYPING + "check_subject_predicate", shacl="data-kind"),
    Rule("literal_datatype_mismatch", "the literal does not match the declared datatype",
         message="Value {value} is not a valid {datatype}{context}.",
         hint="Write it in {datatype} form{example}, leave it out, or fix the property's range.",
         candidate_check="hydra_magic.contracts.values.check_literal", graph_check=_TYPING + "check_subject_predicate",
         shacl="datatype"),
    Rule("ungrounded", "the entity or literal cannot be found in the source text",
         candidate_check=_CANDIDATE + "_Checker._grounded"),
    Rule("empty_term", "subject, predicate or object is empty", candidate_check=_CANDIDATE + "_Checker._entity"),
    _plain("parse_error", "the model output could not be parsed"),
]

_GRAPH_RULES = [  # OWL characteristics and disjointness: only the whole graph can break them
    Rule("functional_violation", "a functional property has more than one value for one subject",
         hint="Keep one value: remove the wrong facts, or merge the values if they name the same thing.",
         graph_check=_OWL + "check_characteristics", shacl="functional"),
    Rule("inverse_functional_violation", "an inverse-functional property links one object to several subjects",
         hint="These subjects must be the same entity: merge them, or remove the wrong facts.",
         graph_check=_OWL + "check_inverse_functional", shacl="inverse-functional"),
    Rule("asymmetric_violation", "an asymmetric property holds in both directions between two entities",
         hint="Keep the direction the source supports and remove the other fact.",
         graph_check=_OWL + "check_characteristics", shacl="asymmetric"),
    Rule("irreflexive_violation", "an irreflexive property links an entity to itself",
         hint="Remove the fact; the object was probably meant to be another entity.",
         graph_check=_OWL + "check_characteristics", shacl="irreflexive"),
    Rule("symmetric_inferred", "a symmetric property implies the reverse triple, which the KG does not state",
         "info", hint="Nothing to fix; add the reverse triple if queries should find it without reasoning.",
         graph_check=_OWL + "check_characteristics"),
    Rule("transitive_inferred", "a transitive property implies a triple the KG does not state", "info",
         hint="Nothing to fix; add the triple if queries should find it without reasoning.",
         graph_check=_OWL + "transitive_issues"),
    Rule("disjoint_violation", "an entity is an instance of two classes declared disjoint",
         hint="Remove the wrong type, or split the entity if two things share its name.",
         graph_check=_OWL + "check_disjoint", shacl="disjoint"),
]

_PLAIN = [
    # ontology rules (hydra_magic.contracts.ontology_rules)
    _plain("class_exists", "a class with this name (case-insensitive) already exists"),
    _plain("class_not_pascal_case", "class names are PascalCase and start upper-case"),
    _plain("unknown_superclass", "the superclass does not exist"),
    _plain("multiple_superclasses", "a class has at most one superclass"),
    _plain("self_subclass", "a class cannot be its own subclass"),
    _plain("subclass_cycle", "the subclass link would create a cycle"),
    _plain("missing_superclass", "once a root exists every new class needs a superclass"),
    _plain("multiple_roots", "at most one top-level class"),
    _plain("property_exists", "a property with this name already exists (object and data properties share one "
                              "namespace)"),
    _plain("property_not_camel_case", "property names are camelCase"),
    _plain("unknown_domain_class", "a domain class does not exist"),
    _plain("unknown_range_class", "an object property's range class does not exist"),
    _plain("invalid_datatype", "a data property's range must be a supported XSD datatype"),
    _plain("invalid_characteristic", "unknown OWL property characteristic"),
    _plain("invalid_name", "a name is empty or has no word characters"),
    # model engine (hydra_magic.engines.llm, hydra_magic.generate)
    _plain("invalid_sparql", "a generated SPARQL query does not parse or uses terms outside the ontology"),
    _plain("weave_no_progress", "a weave operation must reduce the number of isolated class clusters"),
    _plain("weave_invalid", "a weave operation names unknown classes or would break the ontology rules"),
    # modelling checks (hydra_magic.contracts.modelling): flags, the class is kept
    Rule("instance_as_class", "a class is named after an entity a competency question mentions as an example",
         "warning", hint="Make the entity an instance in the knowledge graph and keep classes for kinds of things."),
    Rule("literal_as_class", "a class is named after a literal type (Year, Date, Name, ...)", "warning",
         hint="Use a data property with an XSD range on the class that has the value."),
    # user decisions and engine reports
    _plain("unparsed_cq", "the competency question matches no known pattern", "warning"),
    _plain("reused_property", "a competency question reuses an existing property with its domain, range and "
                              "meaning instead of adding one", "info"),
    _plain("reused_class", "a competency question names an existing class by another word (a listed synonym) and "
                           "reuses it instead of adding one", "info"),
    _plain("cq_datatype_differs", "the datatype a competency question asks for differs from the reused property's",
           "info"),
    _plain("accepted_by_user", "accepted by the user despite the contracts", "info"),
    # formed by the offline engine (hydra_magic.english.text.reported), never a fact
    Rule("ambiguous_reference", "a pronoun, short name or implicit owner may mean two or more entities; the "
                                "engine does not guess which",
         message="{mention} could be {candidates} ({sentence!r}); no fact rests on a guess.",
         hint="Name the one you mean in the text (its full name instead of the pronoun or short name), then "
              "extract again."),
    # user shapes, value rules and CQ tests (hydra_magic.verify)
    _plain("shacl_violation", "a user SHACL shape is violated"),
    _plain("value_rule_violation", "an entity's values break a value rule (%%rules)"),
    _plain("rule_not_evaluable", "a value rule cannot be evaluated because a value is not a number", "warning"),
    _plain("rule_conflict", "no entity can satisfy these value rules together"),
    _plain("rule_not_checked", "the satisfiability of a value rule could not be decided", "info"),
    _plain("rule_invalid", "a value rule no longer reads against the ontology (a property it names is gone)"),
    _plain("cq_not_answerable", "the ontology lacks the vocabulary to turn the competency question into SPARQL"),
    _plain("cq_no_answer", "the competency question's query returns no rows on the KG"),
    _plain("cq_failed", "the competency question's answers differ from its pinned answers"),
    _plain("cq_query_error", "the competency question's SPARQL does not parse, fails or uses terms outside the "
                             "ontology"),
    _plain("cq_query_mismatch", "the competency question's SPARQL does not return what the question asks for"),
]

#: code -> rule, for every code there is.
RULES: dict[str, Rule] = {r.code: r for r in (*_PLAIN[:15], *_TRIPLE_RULES, *_PLAIN[15:], *_GRAPH_RULES)}
assert len(RULES) == len(_PLAIN) + len(_TRIPLE_RULES) + len(_GRAPH_RULES), "a code is defined twice"

#: code -> one-line description (what :data:`hydra_magic.issues.CODES` is).
CODES: dict[str, str] = {code: r.description for code, r in RULES.items()}

_BY_SHAPE = {r.shacl: r for r in RULES.values() if r.shacl}


def rule(code: str) -> Rule:
    """The rule of ``code`` (KeyError names the code when there is none)."""
    return RULES[code]


def by_shape(kind: str) -> Rule | None:
    """The rule a generated shape of ``kind`` (``"domain"``, ``"datatype"``, …) stands for."""
    return _BY_SHAPE.get(kind)
