"""Pydantic models of every model reply (one per step); their JSON schema is the ``response_format``.

They are tolerant on input (a few common alternative field names, numbers where
text is expected) but their schema names the canonical fields only.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["TripleOut", "ExtractionOut", "ClassOut", "PropertyOut", "OntologyOut", "PersonaOut", "GroupOut",
           "CommitteeOut", "PersonasOut", "ScopeOut", "CQsOut", "DedupeOut", "WeaveOpOut", "WeaveOut", "SparqlOut",
           "response_format", "response_format_for"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)


def _as_list(v: Any) -> Any:
    if v is None:
        return []
    if isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()] if "," in v else ([v] if v.strip() else [])
    return v


# ------------------------------------------------------------------ extraction
class TripleOut(_Out):
    subject: str = Field(validation_alias=AliasChoices("subject", "s", "head"))
    predicate: str = Field(validation_alias=AliasChoices("predicate", "p", "relation", "property"))
    object: str = Field(validation_alias=AliasChoices("object", "o", "tail", "value"))
    subject_text: str = Field("", description="the subject exactly as written in the text")
    object_text: str = Field("", description="the object exactly as written in the text")
    sentence: str = Field("", description="the sentence the triple was read from")

    @field_validator("object", mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        return str(v).lower() if isinstance(v, bool) else v


class ExtractionOut(_Out):
    triples: list[TripleOut]


# -------------------------------------------------------------------- ontology
class ClassOut(_Out):
    name: str
    parent: str | None = Field(None, validation_alias=AliasChoices("parent", "superclass", "subclass_of"))
    label: str | None = None
    comment: str = ""
    cq: int | None = Field(None, description="number of the competency question it serves")


class PropertyOut(_Out):
    name: str
    kind: Literal["object", "data"]
    domain: list[str] = []
    range: list[str] = []
    characteristics: list[str] = []
    label: str | None = None
    comment: str = ""
    cq: int | None = None

    @field_validator("domain", "range", "characteristics", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _as_list(v)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.lower().replace("property", "").replace("_", "").strip()
            return {"datatype": "data", "obj": "object"}.get(v, v)
        return v


class OntologyOut(_Out):
    classes: list[ClassOut] = []
    properties: list[PropertyOut] = []


# ------------------------------------------------------------ generation steps
class PersonaOut(_Out):
    name: str
    role: str = ""
    background: str = ""


class GroupOut(_Out):
    name: str
    priority: Literal["high", "medium", "low"]
    description: str = ""
    reason: str = ""
    personas: list[PersonaOut] = []

    @model_validator(mode="before")
    @classmethod
    def _nested_priority(cls, v: Any) -> Any:  # HyDRA's form: {"priority": {"value": .., "reason": ..}}
        if isinstance(v, dict) and isinstance(v.get("priority"), dict):
            v = {**v, "priority": v["priority"].get("value", ""),
                 "reason": v.get("reason") or v["priority"].get("reason", "")}
        return v

    @field_validator("priority", mode="before")
    @classmethod
    def _priority(cls, v: Any) -> Any:
        if isinstance(v, (int, float)):
            return {3: "high", 2: "medium", 1: "low"}.get(int(v), "low")
        return v.lower().strip() if isinstance(v, str) else v


class CommitteeOut(_Out):
    groups: list[GroupOut]


class PersonasOut(_Out):
    personas: list[PersonaOut] = Field(validation_alias=AliasChoices("personas", "items"))


class ScopeOut(_Out):
    title: str = ""
    text: str = Field(validation_alias=AliasChoices("text", "scope", "document", "content"))
    # Optional, so typed as a union: the reply parser insists on a top-level list field when a
    # model has one, and a scope without a concept list is still a scope.
    concepts: list[str] | None = Field(None, validate_default=True)

    @field_validator("concepts", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _as_list(v)


class CQsOut(_Out):
    questions: list[str] = Field(validation_alias=AliasChoices("questions", "cqs", "competency_questions"))


class DedupeOut(_Out):
    duplicates: list[list[int]] = Field(
        description="groups of numbers of questions that ask the same thing; the first of a group is kept")


class WeaveOpOut(_Out):
    op: Literal["merge", "bridge", "prune"]
    source: str | None = Field(None, description="merge: the class merged away")
    target: str | None = Field(None, description="merge: the class of another cluster it is merged into")
    links: list[list[str]] = Field([], description="bridge: [child, parent] subclass links; the child is the "
                                                   "top-level class of its cluster")
    child: str | None = Field(None, description="bridge with one link: the child (same as links)")
    parent: str | None = Field(None, description="bridge with one link: the parent (same as links)")
    new_classes: list[str] = Field([], description="bridge: new classes the links use, e.g. a common root")
    classes: list[str] = Field([], description="prune: every class of the isolated cluster removed")
    reason: str = ""

    @field_validator("links", mode="before")
    @classmethod
    def _pairs(cls, v: Any) -> Any:
        if isinstance(v, list):  # [{"child": .., "parent": ..}] or ["A", "B"] as one link
            if len(v) == 2 and all(isinstance(x, str) for x in v):
                return [v]
            return [[x.get("child", x.get("subclass", "")), x.get("parent", x.get("superclass", ""))]
                    if isinstance(x, dict) else x for x in v]
        return [] if v is None else v

    @field_validator("new_classes", "classes", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _as_list(v)


class WeaveOut(_Out):
    operations: list[WeaveOpOut] = Field(validation_alias=AliasChoices("operations", "ops"))


class SparqlOut(_Out):
    sparql: str = Field(validation_alias=AliasChoices("sparql", "query"))


def response_format(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI-style ``response_format`` for ``model`` (JSON schema, non-strict)."""
    return {"type": "json_schema",
            "json_schema": {"name": model.__name__, "schema": model.model_json_schema(), "strict": False}}


def response_format_for(shape: str, model: type[BaseModel]) -> dict[str, Any] | None:
    """The ``response_format`` of one structured-output shape (see ``llm.SHAPES``); ``None`` for ``"none"``.

    ``json_object+schema`` is llama.cpp's and LM Studio's form: ``{"type": "json_object", "schema": …}``
    (the server turns the schema into a grammar).
    """
    if shape == "json_schema":
        return response_format(model)
    if shape == "json_object+schema":
        return {"type": "json_object", "schema": model.model_json_schema()}
    if shape == "json_object":
        return {"type": "json_object"}
    if shape == "none":
        return None
    raise ValueError(f"unknown structured-output shape {shape!r}")
