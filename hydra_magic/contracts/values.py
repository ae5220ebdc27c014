"""Literal values against XSD datatypes (a rule HyDRA never checks)."""

from __future__ import annotations

import re

from rdflib import XSD, Literal, URIRef

from ..issues import Issue

__all__ = ["check_literal", "to_literal"]

_PATTERNS: dict[URIRef, re.Pattern[str]] = {
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.int: re.compile(r"[+-]?\d+"),
    XSD.nonNegativeInteger: re.compile(r"\+?\d+"),
    XSD.positiveInteger: re.compile(r"\+?0*[1-9]\d*"),
    XSD.float: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.double: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.decimal: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD.boolean: re.compile(r"true|false|1|0"),
    XSD.date: re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?"),
    XSD.dateTime: re.compile(
        r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
        r"(Z|[+-]\d{2}:\d{2})?"),
    XSD.time: re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
    XSD.gYear: re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
}
_EXAMPLES = {XSD.integer: "1984", XSD.float: "3.14", XSD.boolean: "true", XSD.date: "1979-05-25",
             XSD.dateTime: "1979-05-25T20:00:00", XSD.time: "20:00:00", XSD.decimal: "2.5",
             XSD.double: "3.14", XSD.gYear: "1979"}


def _short(dt: URIRef) -> str:
    return "xsd:" + str(dt).rsplit("#", 1)[-1]


def check_literal(value: str, datatype: URIRef | None, *, path: str = "triple.object") -> Issue | None:
    """An ``literal_datatype_mismatch`` issue when ``value`` is not a lexical form of ``datatype``."""
    if datatype is None or datatype not in _PATTERNS:
        return None  # xsd:string, rdf:langString and unknown datatypes accept any text
    text = value.strip()
    if _PATTERNS[datatype].fullmatch(text):
        return None
    if datatype in (XSD.integer, XSD.int, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.decimal) and \
            re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        return None  # "1,200" is written that way in text; to_literal normalises it
    if datatype in (XSD.date, XSD.dateTime) and re.fullmatch(r"\d{4}", text):
        # the text gives a year where the property wants a day: say so rather than drop it
        return Issue("literal_datatype_mismatch",
                     f"Value {value!r} is a year; the property takes a full {_short(datatype)} "
                     "(day, month and year), and the text gives only the year.",
                     "Make the property's range xsd:gYear if the texts give years, or add the full "
                     "date; a year is not turned into a made-up day.",
                     path=path, data={"value": value, "datatype": str(datatype), "year_for_date": True})
    return Issue("literal_datatype_mismatch",
                 f"Value {value!r} is not a valid {_short(datatype)}.",
                 f"Write it in {_short(datatype)} form, e.g. {_EXAMPLES.get(datatype, '…')!r}, or leave it out.",
                 path=path, data={"value": value, "datatype": str(datatype)})


def to_literal(value: str, datatype: URIRef | None) -> Literal:
    """The RDF literal for a value that passed :func:`check_literal`."""
    text = value.strip()
    if datatype is None or datatype == XSD.string:
        return Literal(text)
    if datatype in (XSD.integer, XSD.int, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.decimal):
        text = text.replace(",", "")
    return Literal(text, datatype=datatype)
