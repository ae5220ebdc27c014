"""Robust JSON out of model replies, validated against a pydantic model.

Providers that honour a JSON-schema ``response_format`` return clean JSON; the
others wrap it in Markdown fences, add prose before or after, or stop in the
middle of an array (``max_tokens``). :func:`parse_reply` copes with all of that
and never raises: what it cannot use becomes a ``parse_error``
:class:`~hydra_magic.issues.Issue`, and the valid items of a list are kept even
when a neighbour is malformed or the reply was cut off.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..issues import Issue

__all__ = ["ParsedReply", "parse_reply", "extract_json", "repair_truncated"]

M = TypeVar("M", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON|javascript|js)?\s*\n?(.*?)(?:```|\Z)", re.S)
_MAX_REPAIR_TRIES = 64


@dataclass
class ParsedReply(Generic[M]):
    """The outcome of parsing one reply: the object (maybe partial) and what went wrong."""

    value: M | None
    issues: list[Issue] = field(default_factory=list)
    truncated: bool = False
    dropped: int = 0  # list items that did not validate

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.issues


def _issue(message: str, hint: str = "Reply with one JSON object that matches the schema, and nothing else.",
           path: str = "reply") -> Issue:
    return Issue("parse_error", message, hint, path=path)


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def repair_truncated(text: str) -> Any | None:
    """Parse JSON that was cut off: drop the incomplete tail and close what is open.

    Returns the parsed value or ``None`` when nothing usable precedes the cut.
    """
    cuts: list[tuple[int, list[str]]] = []  # (position, open brackets) where a cut is clean
    stack: list[str] = []
    in_str = esc = False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            stack.append("]" if ch == "[" else "}")
            if ch == "[":  # an empty list is a usable prefix; an empty object never is
                cuts.append((i + 1, list(stack)))
        elif ch in "]}":
            if stack:
                stack.pop()
            cuts.append((i + 1, list(stack)))
        elif ch == "," and stack and stack[-1] == "]":
            # only between array elements: an object cut between its fields would pass half an item
            cuts.append((i, list(stack)))
    for pos, open_ in reversed(cuts[-_MAX_REPAIR_TRIES:]):
        if not open_:
            continue
        candidate = text[:pos].rstrip().rstrip(",") + "".join(reversed(open_))
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return None


def extract_json(text: str) -> tuple[Any | None, bool, str]:
    """The JSON value in a reply: ``(value, truncated, error message)``.

    Tries, in order: the whole text, fenced blocks, the first ``{``/``[`` with
    trailing prose ignored, and finally a repair of a cut-off value.
    """
    stripped = text.strip()
    if not stripped:
        return None, False, "The reply is empty."
    try:
        return json.loads(stripped), False, ""
    except json.JSONDecodeError:
        pass
    bodies = [m.group(1) for m in _FENCE.finditer(stripped)] + [stripped]
    decoder = json.JSONDecoder()
    first_error = ""
    for body in bodies:
        starts = [i for i in (body.find("{"), body.find("[")) if i >= 0]
        if not starts:
            continue
        start = min(starts)
        try:
            value, _end = decoder.raw_decode(body, start)
            return value, False, ""
        except json.JSONDecodeError as exc:
            first_error = first_error or f"{exc.msg} at character {exc.pos}"
            repaired = repair_truncated(body[start:])
            if repaired is not None:
                return repaired, True, f"{exc.msg} at character {exc.pos}"
    if first_error:
        return None, False, f"The reply is not valid JSON ({first_error}): {_short(stripped)!r}."
    return None, False, f"The reply contains no JSON object: {_short(stripped)!r}."


def _list_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Fields of ``model`` typed ``list[...]`` with their item type (validated item by item)."""
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        ann = f.annotation
        if typing.get_origin(ann) is list:
            args = typing.get_args(ann)
            out[name] = args[0] if args else Any
    return out


def _item_fields(item_type: Any) -> str:
    if isinstance(item_type, type) and issubclass(item_type, BaseModel):
        return "the fields " + ", ".join(item_type.model_fields)
    return f"the type {getattr(item_type, '__name__', str(item_type))}"


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:3]:
        loc = ".".join(str(x) for x in e.get("loc", ())) or "value"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


def parse_reply(text: str, model: type[M]) -> ParsedReply[M]:
    """Parse a model reply into ``model``; never raises.

    A bare JSON list is taken as the value of the model's only list field. Items
    of list fields are validated one by one: valid ones are kept, each invalid
    one becomes a ``parse_error`` issue naming what is wrong.
    """
    value, truncated, error = extract_json(text)
    issues: list[Issue] = []
    if value is None:
        return ParsedReply(None, [_issue(error)])
    if truncated:
        issues.append(_issue(f"The reply was cut off; only its complete items were used ({error}).",
                             "Answer more briefly: fewer items, shorter texts.", path="reply"))
    lists = _list_fields(model)
    if isinstance(value, list):
        if len(lists) == 1:
            value = {next(iter(lists)): value}
        else:
            return ParsedReply(None, issues + [_issue(f"Expected a JSON object with {', '.join(model.model_fields)}, "
                                                      "got a list.")], truncated)
    if not isinstance(value, dict):
        return ParsedReply(None, issues + [_issue(f"Expected a JSON object, got {type(value).__name__}: "
                                                  f"{_short(json.dumps(value))!r}.")], truncated)
    if lists and not any(n in value for n in lists):
        return ParsedReply(None, issues + [_issue(
            f"The reply has none of the expected fields {', '.join(map(repr, lists))}; "
            f"it has {', '.join(map(repr, value)) or 'no fields'}.")], truncated)
    try:
        return ParsedReply(model.model_validate(value), issues, truncated)
    except ValidationError:
        pass
    # Keep what validates: item by item in list fields, defaults elsewhere.
    cleaned: dict[str, Any] = {}
    dropped = 0
    for name, item_model in lists.items():
        items = value.get(name, [])
        if not isinstance(items, list):
            issues.append(_issue(f"{name!r} must be a list, got {type(items).__name__}.", path=f"reply.{name}"))
            cleaned[name] = []
            continue
        kept = []
        adapter = TypeAdapter(item_model)
        for k, item in enumerate(items):
            try:
                kept.append(adapter.validate_python(item))
            except ValidationError as err:
                dropped += 1
                issues.append(_issue(f"Item {k + 1} of {name!r} does not match the schema ({_describe(err)}): "
                                     f"{_short(json.dumps(item, ensure_ascii=False))!r}.",
                                     f"Give every item of {name!r} {_item_fields(item_model)}.",
                                     path=f"reply.{name}[{k}]"))
        cleaned[name] = kept
    for name in model.model_fields:
        if name not in lists and name in value:
            cleaned[name] = value[name]
    try:
        parsed = model.model_validate(cleaned)
    except ValidationError as err:
        return ParsedReply(None, issues + [_issue(f"The reply does not match the schema ({_describe(err)}).")],
                           truncated, dropped)
    return ParsedReply(parsed, issues, truncated, dropped)
