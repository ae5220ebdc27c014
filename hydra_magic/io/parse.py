"""RDF text to a graph: Oxigraph's parsers with errors that name the line, and the RDF/XML entity guard."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph

from ..errors import FormatError, ParseError
from ..ontology import HYDRA, new_graph
from .formats import ONTOLOGY_FORMATS, POSITION, norm_format

#: Prefixes a Turtle text may use without declaring them.
_PREDECLARED = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
                "hydra": str(HYDRA)}


def parse_rdf(data: str, *, format: str = "turtle", source: str = "<input>",
              default_prefix: str | None = None) -> Graph:
    """Parse RDF text with Oxigraph's parsers; errors name the source, line and column.

    For Turtle, the prefixes ``owl rdf rdfs xsd skos hydra`` and ``:`` (the
    session ontology namespace, when given) are declared if the text does not.
    """
    fmt = norm_format(format, ONTOLOGY_FORMATS)
    if fmt == "text2kgbench-json":
        raise FormatError("Text2KGBench JSON is read from a file: use load_ontology(path).")
    if fmt == "turtle":
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _PREDECLARED.items()
                         if not re.search(rf"@prefix\s+{p}:|PREFIX\s+{p}:", data, re.I))
        if default_prefix and not re.search(r"@prefix\s+:|PREFIX\s+:", data, re.I):
            header += f"@prefix : <{default_prefix}> .\n"
        offset = header.count("\n")
        data = header + data
    else:
        offset = 0
        if fmt == "xml":
            check_xml_entities(data, source=source)
    g = new_graph()
    try:
        g.parse(data=data, format=ONTOLOGY_FORMATS[fmt][1])
    except Exception as exc:  # parsers raise SyntaxError/ValueError with a position in the text
        msg = str(exc)
        m = POSITION.search(msg)
        line = int(m.group(1)) - offset if m else None
        col = int(m.group(2)) if m and m.group(2) else None
        clean = POSITION.sub("", msg).replace("Parser error at", "").strip(" :,()")
        raise ParseError(f"malformed {fmt}: {clean or type(exc).__name__}. Fix the text there and run again.",
                         source=source, line=line, column=col) from exc
    return g


# ---------------------------------------------------------------- XML entities
#: Characters that DTD entities may add to an RDF/XML document beyond the document's own size.
#: Namespace entities (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as Protégé writes
#: them) stay far below; an entity-expansion attack is orders of magnitude above.
XML_ENTITY_ALLOWANCE = 1_000_000
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REF = re.compile(r"&([^\s&;<>#%\"']+);")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class _PrologRead(Exception):
    """Raised from an expat handler to stop at the root element: the body is never expanded."""


class _EntityRefused(Exception):
    pass


def _xml_text(data: bytes) -> str:
    """The document as text, decoded by its byte-order mark or XML declaration (else UTF-8)."""
    import codecs

    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    if data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        return data.decode("utf-16-le" if data[:1] == b"<" else "utf-16-be", errors="replace")
    m = _XML_ENCODING.match(data[:200])
    try:
        return data.decode(m.group(1).decode("ascii") if m else "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def check_xml_entities(data: str | bytes, *, source: str = "<input>") -> None:
    """Refuse an XML document whose DTD entities could blow up when a parser expands them.

    Oxigraph's RDF/XML parser and rdflib's (``xml.sax``) both expand internal
    entities without a bound, so a 1 KB file can expand to gigabytes ("billion
    laughs"). This reads only the prolog with expat (stopping at the root element,
    so nothing is expanded), works out how long every declared entity is once
    expanded, and counts the references in the body. Refused, with
    :class:`~hydra_magic.errors.ParseError` naming ``source``: parameter entities,
    external entities, recursive entities, and any document whose entities would add
    more than ``XML_ENTITY_ALLOWANCE`` characters beyond the document's own length.
    Plain namespace entities, as ontology editors write them, pass.
    """
    import pyexpat

    if isinstance(data, bytes):
        if b"<!ENTITY" not in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
            return
        data = _xml_text(data)
    if "<!ENTITY" not in data:
        return
    fix = ("Write the text or IRI out where the entity is used (or delete the <!ENTITY> declaration), "
           "and load the file again.")
    decls: dict[str, str] = {}
    state: dict[str, int] = {}
    parser = pyexpat.ParserCreate(encoding="UTF-8")  # the text is re-encoded below, whatever it declares

    def entity(name: str, is_parameter: int, value: str | None, base: Any, system_id: str | None,
               public_id: str | None, notation: str | None) -> None:
        if is_parameter:
            raise _EntityRefused(f"its DOCTYPE declares the parameter entity '%{name};', which is not "
                                 f"read (entity tricks in XML are a known attack). {fix}")
        if value is None:
            raise _EntityRefused(f"its DOCTYPE declares the external entity {name!r} "
                                 f"({system_id or public_id or notation}), which is not read (it could reach "
                                 f"local files or the network). {fix}")
        decls.setdefault(name, value)

    def end_doctype() -> None:
        state["end"] = parser.CurrentByteIndex

    def root(*_: Any) -> None:
        raise _PrologRead

    parser.EntityDeclHandler = entity
    parser.EndDoctypeDeclHandler = end_doctype
    parser.StartElementHandler = root
    fed = bytearray()
    try:
        for i in range(0, len(data), 1 << 16):
            chunk = data[i:i + (1 << 16)].encode("utf-8", errors="surrogatepass")
            fed += chunk
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _PrologRead:
        pass
    except _EntityRefused as exc:
        raise ParseError(f"refused: {exc}", source=source) from None
    except pyexpat.ExpatError as exc:
        raise ParseError(f"refused: the DOCTYPE that declares XML entities cannot be read "
                         f"({pyexpat.ErrorString(exc.code)}). {fix}",
                         source=source, line=exc.lineno, column=exc.offset) from None
    if not decls:
        return
    lengths = _expanded_lengths(decls, source, fix)
    body_start = len(bytes(fed[:state["end"]]).decode("utf-8", errors="ignore")) if "end" in state else 0
    uses = Counter(r for r in _ENTITY_REF.findall(data, body_start) if r in decls)
    total = 0
    worst, worst_len = "", -1
    for name, count in uses.items():
        n = lengths[name]
        total += count * n
        if n > worst_len:
            worst, worst_len = name, n
    limit = XML_ENTITY_ALLOWANCE + len(data)
    if total > limit:
        def size(n: int) -> str:
            return f"{n:,}" if n < 10**15 else "more than 10^15"

        raise ParseError(
            f"refused: its DOCTYPE declares XML entities that would expand to {size(total)} characters "
            f"(&{worst}; alone to {size(worst_len)}; the limit is {limit:,}), an entity-expansion "
            f"('billion laughs') attack or a mistake. {fix} Namespace entities such as "
            f"<!ENTITY owl \"http://www.w3.org/2002/07/owl#\"> are fine.", source=source)


def _expanded_lengths(decls: dict[str, str], source: str, fix: str) -> dict[str, int]:
    """Length of every declared entity once expanded (iteratively: a chain may be thousands deep)."""
    refs = {name: _ENTITY_REF.findall(value) for name, value in decls.items()}
    lengths: dict[str, int] = {}
    for start in decls:
        if start in lengths:
            continue
        path, on_path = [start], {start}
        while path:
            name = path[-1]
            todo = next((r for r in refs[name] if r in decls and r not in lengths), None)
            if todo is None:
                lengths[name] = len(_ENTITY_REF.sub("", decls[name])) + sum(
                    lengths.get(r, 1 if r in _XML_PREDEFINED else 0) for r in refs[name])
                on_path.discard(path.pop())
            elif todo in on_path:
                cycle = path[path.index(todo):] + [todo]
                raise ParseError(f"refused: the XML entity {todo!r} refers to itself "
                                 f"({' -> '.join(cycle)}). {fix}", source=source)
            else:
                path.append(todo)
                on_path.add(todo)
    return lengths
