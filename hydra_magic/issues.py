"""The one validation record: shown to users, fed back to models, keyed on by tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["Issue", "Severity", "CODES"]

Severity = Literal["error", "warning", "info"]

#: Every stable issue code with a one-line description. Tests and the UI key on these.
CODES: dict[str, str] = {
    # ontology rules
    "class_exists": "a class with this name (case-insensitive) already exists",
    "class_not_pascal_case": "class names are PascalCase and start upper-case",
    "unknown_superclass": "the superclass does not exist",
    "multiple_superclasses": "a class has at most one superclass",
    "self_subclass": "a class cannot be its own subclass",
    "subclass_cycle": "the subclass link would create a cycle",
    "missing_superclass": "once a root exists every new class needs a superclass",
    "multiple_roots": "at most one top-level class",
    "property_exists": "a property with this name already exists (object and data properties share one namespace)",
    "property_not_camel_case": "property names are camelCase",
    "unknown_domain_class": "a domain class does not exist",
    "unknown_range_class": "an object property's range class does not exist",
    "invalid_datatype": "a data property's range must be a supported XSD datatype",
    "invalid_characteristic": "unknown OWL property characteristic",
    "invalid_name": "a name is empty or has no word characters",
    # triple rules
    "unknown_class": "isA object is not an ontology class",
    "class_as_entity": "an ontology class used as an entity",
    "retype_conflict": "an entity may be re-typed only to a subclass of its type",
    "type_conflict": "the text states a type that contradicts a type inferred earlier (both sources named)",
    "type_inferred": "accepted on a type inferred from a relation, not stated: not verified",
    "negated": "the clause that states the relation is negated (not, never, no longer, failed to, denied …)",
    "hedged": "the clause that states the relation is hedged (reportedly, allegedly, may have, rumoured …)",
    "hypothetical": "the clause that states the relation is hypothetical or about the future (will, would, if, plans to …)",
    "unknown_property": "the predicate is not an ontology property",
    "untyped_entity": "the entity has no type yet",
    "entity_not_snake_case": "entity names are snake_case",
    "domain_mismatch": "the subject's type is not in the property's domain",
    "range_mismatch": "the object's type is not in the property's range",
    "literal_for_object_property": "an object property needs an entity, not a literal",
    "entity_for_data_property": "a data property needs a literal value",
    "literal_datatype_mismatch": "the literal does not match the declared datatype",
    "ungrounded": "the entity or literal cannot be found in the source text",
    "empty_term": "subject, predicate or object is empty",
    "parse_error": "the model output could not be parsed",
    # model engine (hydra_magic.engines.llm, hydra_magic.generate)
    "invalid_sparql": "a generated SPARQL query does not parse or uses terms outside the ontology",
    "weave_no_progress": "a weave operation must reduce the number of isolated class clusters",
    "weave_invalid": "a weave operation names unknown classes or would break the ontology rules",
    # user decisions and engine reports
    "unparsed_cq": "the competency question matches no known pattern",
    "accepted_by_user": "accepted by the user despite the contracts",
    # verification of a whole KG (hydra_magic.verify)
    "functional_violation": "a functional property has more than one value for one subject",
    "inverse_functional_violation": "an inverse-functional property links one object to several subjects",
    "asymmetric_violation": "an asymmetric property holds in both directions between two entities",
    "irreflexive_violation": "an irreflexive property links an entity to itself",
    "symmetric_inferred": "a symmetric property implies the reverse triple, which the KG does not state",
    "transitive_inferred": "a transitive property implies a triple the KG does not state",
    "disjoint_violation": "an entity is an instance of two classes declared disjoint",
    "shacl_violation": "a user SHACL shape is violated",
    "value_rule_violation": "an entity's values break a value rule (%%rules)",
    "rule_not_evaluable": "a value rule cannot be evaluated because a value is not a number",
    "rule_conflict": "no entity can satisfy these value rules together",
    "rule_not_checked": "the satisfiability of a value rule could not be decided",
    "rule_invalid": "a value rule no longer reads against the ontology (a property it names is gone)",
    "cq_not_answerable": "the ontology lacks the vocabulary to turn the competency question into SPARQL",
    "cq_no_answer": "the competency question's query returns no rows on the KG",
    "cq_failed": "the competency question's answers differ from its pinned answers",
    "cq_query_error": "the competency question's SPARQL does not parse, fails or uses terms outside the ontology",
    "cq_query_mismatch": "the competency question's SPARQL does not return what the question asks for",
}


@dataclass(frozen=True)
class Issue:
    """One violated rule.

    Parameters
    ----------
    code
        Stable identifier from :data:`CODES`.
    message
        What is wrong, naming the offending values.
    hint
        How to fix it; this is what a model is told on retry.
    severity
        ``"error"`` rejects the candidate; warnings and infos do not.
    path
        Where the problem is, e.g. ``"triple.object"`` or ``"class:Film"``.
    """

    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    path: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown issue code {self.code!r}; add it to hydra_magic.contracts.CODES")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["data"]:
            d.pop("data")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Issue":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text} Hint: {self.hint}" if self.hint else text
