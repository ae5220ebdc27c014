"""The session to a file: Turtle, JSON-LD, N-Triples, or TriG/N-Quads with one graph per source and PROV-O evidence."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from ..errors import FormatError, InputError
from ..kg import Fact, source_graph_iri
from ..ontology import HYDRA

from .formats import EXPORT_FORMATS, PROV, norm_format

if TYPE_CHECKING:
    from ..session_state import SessionState


def _clean(graph: Graph, into: Graph) -> None:
    """Copy triples dropping explicit ``xsd:string`` (Oxigraph returns it; Turtle reads better without)."""
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        into.add((s, p, o))


def export_session(session: "SessionState", path: str | os.PathLike[str], *, format: str | None = None,
                   what: str = "all", verified_only: bool = False, overwrite: bool = False) -> Path:
    """Write the session's ontology and/or KG to ``path``.

    ``trig`` and ``nquads`` keep one named graph per source plus an evidence
    graph in PROV-O terms (with ``hydra:flag`` on facts that are not verified);
    they are read back, evidence included, by :func:`~hydra_magic.io.read_graph_export`.
    ``turtle``, ``ntriples`` and ``json-ld`` flatten ontology and facts into one
    graph. ``verified_only`` leaves out facts flagged ``type_inferred``.

    An existing ``path`` is replaced only with ``overwrite=True``; see :func:`write_file`.
    """
    p = Path(path)
    if what not in ("all", "ontology", "kg"):
        raise FormatError(f"Unknown export part {what!r}. Use 'all', 'ontology' or 'kg'.")
    if format is None:
        suffix_map = {v[0]: k for k, v in EXPORT_FORMATS.items()} | {".ttl": "turtle", ".json": "json-ld"}
        if p.suffix.lower() not in suffix_map:
            raise FormatError(f"Cannot tell the export format from {p.suffix!r}. "
                              f"Supported: {', '.join(EXPORT_FORMATS)}; pass --format.")
        format = suffix_map[p.suffix.lower()]
    fmt = norm_format(format, EXPORT_FORMATS)
    _check_target(p, overwrite)  # before the work of serializing
    try:
        text = serialize_session(session, fmt, what=what, verified_only=verified_only)
    except RecursionError as exc:  # rdflib's serializers recurse into nested blank nodes and lists
        raise InputError(f"Cannot write {str(p)!r} as {fmt}: the graph nests blank nodes or lists too deeply "
                         "for the serializer. Export as ntriples or nquads (flat), or flatten the nesting.") from exc
    write_file(p, text, overwrite=overwrite)
    return p


def _check_target(p: Path, overwrite: bool) -> None:
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder. Give a file name, e.g. "
                         f"{str(p / ('export' + (p.suffix or '.ttl')))!r}.")
    if not overwrite and os.path.lexists(p):
        raise _exists(p)


def _exists(path: Path) -> InputError:
    return InputError(f"{str(path)!r} already exists, and an export does not overwrite it. Replace it with "
                      "--force (%hydra export PATH --force) or overwrite=True (session.export(PATH, "
                      "overwrite=True)), or choose another path.")


def write_file(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that no reader ever sees half a file.

    The text goes to a temporary file with a random name in the same folder
    (created exclusively, so no file or link planted beside ``path`` is written
    through), which then takes the place of ``path`` in one rename; on any
    failure it is removed. Without ``overwrite`` an existing ``path`` (a link
    too, even a dangling one) is refused with :class:`~hydra_magic.errors.InputError`
    naming it, also when it appears while the text is written. With
    ``overwrite`` a link at ``path`` is replaced itself, never the file it points to.
    """
    p = Path(path)
    _check_target(p, overwrite)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"Cannot write {str(p)!r}: the text holds {exc.object[exc.start:exc.end]!r} (character "
                         f"{exc.start:,}), an unpaired surrogate that UTF-8 cannot encode, e.g. from a JSON "
                         "'\\udc80' escape or bytes decoded with errors='surrogateescape' in a sentence, label "
                         "or literal. Nothing was written. Fix that text (or remove the fact) and export again."
                         ) from None
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        if overwrite:
            os.replace(tmp, p)
        else:
            try:
                os.link(tmp, p)  # fails if anything has appeared at p meanwhile
            except FileExistsError:
                raise _exists(p) from None
            except OSError:  # a file system without hard links
                if os.path.lexists(p):
                    raise _exists(p) from None
                os.replace(tmp, p)
    finally:
        try:
            os.unlink(tmp)  # still there after os.link, or after a failure
        except FileNotFoundError:
            pass
    return p


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def serialize_session(session: "SessionState", format: str, *, what: str = "all", verified_only: bool = False) -> str:
    fmt = norm_format(format, EXPORT_FORMATS)
    facts = [f for f in session.kg if f.evidence.verified] if verified_only else list(session.kg)
    base = session.config.base
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        _bind(ds, session)
        if what in ("all", "ontology"):
            _clean(session.ontology.graph, ds.graph(URIRef(base + "ontology")))
        if what in ("all", "kg"):
            _fill_kg(ds, session, facts)
        return ds.serialize(format=EXPORT_FORMATS[fmt][1])
    g = Graph()
    _bind(g, session)
    if what in ("all", "ontology"):
        _clean(session.ontology.graph, g)
    if what in ("all", "kg"):
        mentioned: set[Any] = set()
        for f in facts:
            g.add(f.key)
            mentioned.update((f.subject, f.object))
        for e, label in session.kg.labels().items():
            if e in mentioned:
                g.add((e, RDFS.label, Literal(label)))
    return g.serialize(format=EXPORT_FORMATS[fmt][1])


def _bind(g: Graph, session: "SessionState") -> None:
    for prefix, ns in session.ontology.graph.namespaces():
        if prefix:
            g.bind(prefix, ns, override=True)
    g.bind("ent", session.kg.entity_ns)
    g.bind("prov", PROV)
    g.bind("hydra", HYDRA)


def _fill_kg(ds: Dataset, session: "SessionState", facts: "list[Fact]") -> None:
    base = session.config.base
    ev_graph = ds.graph(URIRef(base + "evidence"))
    labels = session.kg.labels()
    for i, f in enumerate(facts):
        g = ds.graph(source_graph_iri(base, f.source))
        g.add(f.key)
        for e in (f.subject, f.object):
            if isinstance(e, URIRef) and e in labels:
                g.add((e, RDFS.label, Literal(labels[e])))
        ev = f.evidence
        # One reified statement per fact: PROV-O for who/when/where, hydra: for spans.
        node = URIRef(f"{base}evidence/{i}")
        ev_graph.add((node, RDF.type, RDF.Statement))
        ev_graph.add((node, RDF.type, PROV.Entity))
        ev_graph.add((node, RDF.subject, f.subject))
        ev_graph.add((node, RDF.predicate, f.predicate))
        ev_graph.add((node, RDF.object, f.object))
        ev_graph.add((node, PROV.wasDerivedFrom, source_graph_iri(base, f.source)))
        ev_graph.add((node, HYDRA.source, Literal(f.source)))
        ev_graph.add((node, PROV.generatedAtTime, Literal(_iso(ev.time), datatype=XSD.dateTime)))
        ev_graph.add((node, PROV.wasAttributedTo, Literal(ev.engine or "unknown")))
        ev_graph.add((node, HYDRA.decision, Literal(ev.decision)))
        if ev.sentence:
            ev_graph.add((node, PROV.value, Literal(ev.sentence)))
        for flag in ev.flags:  # not verified: e.g. rests on a type inferred from a relation
            ev_graph.add((node, HYDRA.flag, Literal(flag)))
        if ev.basis:
            ev_graph.add((node, HYDRA.basis, Literal(ev.basis)))
        for key, span in (("subject", ev.subject_span), ("object", ev.object_span)):
            if span is not None:
                ev_graph.add((node, HYDRA[key + "Start"], Literal(span[0])))
                ev_graph.add((node, HYDRA[key + "End"], Literal(span[1])))


def _iso(t: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
