"""Vocabulary and typing of every KG triple: the triple contracts, re-run set-based on the whole KG.

Codes: ``unknown_property``, ``unknown_class``, ``class_as_entity``,
``untyped_entity``, ``domain_mismatch``, ``range_mismatch``,
``literal_for_object_property``, ``entity_for_data_property``,
``literal_datatype_mismatch`` (the same codes the contracts give a candidate).

Each function checks one group of triples and files issues under the focus
node whose facts decide it (see :mod:`.findings`), so that incremental
verification can recheck exactly the nodes a change touches.
"""

from __future__ import annotations

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from ..contracts import check_literal
from ..issues import Issue
from .context import ANNOTATION_PREDICATES, GENERIC_TYPES, OntologyContext
from .findings import make_issue, ordered, short
from .index import FactIndex

__all__ = ["check_subject_predicate", "check_object_predicate", "check_untyped", "untyped_candidates",
           "literal_ok"]

_TYPE = RDF.type
_PLAIN = (None, XSD.string)


def literal_ok(o: Node, dt: URIRef) -> bool:
    """``o`` is an acceptable value of a data property with datatype ``dt``.

    A literal typed ``dt`` or written as a plain string in ``dt``'s lexical form
    (how values accepted by a user arrive) passes; any other datatype fails.
    """
    if not isinstance(o, Literal):
        return False
    odt = o.datatype
    if dt == XSD.string:
        return odt in _PLAIN  # language-tagged literals have datatype None in rdflib
    if odt != dt and odt not in _PLAIN or o.language is not None:
        return False
    return check_literal(str(o), dt) is None


def check_subject_predicate(s: Node, p: Node, objs: set[Node], idx: FactIndex, ctx: OntologyContext,
                            out: list[Issue]) -> None:
    """Checks decided by the facts ``(s, p, *)``; issues are filed under ``s``."""
    prop = ctx.properties.get(p)  # type: ignore[arg-type]
    if prop is None:
        if p == _TYPE:
            bad = ordered(o for o in objs if o not in ctx.classes and o not in GENERIC_TYPES)
            for o in bad:
                hits = ctx.ontology.suggest(short(o), "class")
                out.append(make_issue(
                    "unknown_class", s, f"{short(s)!r} is typed {short(o)!r}, which is not a class of the ontology.",
                    "Type it with an ontology class" + (f", e.g. {' or '.join(map(repr, hits))}." if hits else ".")
                    + " Or add the class to the ontology.", check="typing", predicate=p, value=o,
                    keys=[(s, p, o)], index=idx))
        elif p not in ANNOTATION_PREDICATES:
            hits = ctx.ontology.suggest(short(p))
            out.append(make_issue(
                "unknown_property", s, f"{short(p)!r} is not a property of the ontology "
                f"({short(s)!r} has {len(objs)} such fact(s)).",
                ("Did you mean " + " or ".join(map(repr, hits)) + "? " if hits else "")
                + "Use ontology properties only, or add this property to the ontology.",
                check="typing", predicate=p, keys=[(s, p, o) for o in ordered(objs)], index=idx))
        return
    if s in ctx.classes:
        out.append(make_issue(
            "class_as_entity", s, f"{short(s)!r} is an ontology class but is the subject of {prop.name!r}.",
            "Use a concrete instance (a snake_case entity) instead of the class.", check="typing", predicate=p,
            keys=[(s, p, o) for o in ordered(objs)], index=idx))
    dom = ctx.domain_ok.get(p)  # type: ignore[arg-type]
    if dom is not None:
        t = idx.types.get(s)
        if t and not (t & dom):
            out.append(make_issue(
                "domain_mismatch", s,
                f"{prop.name!r} needs a subject of type {ctx.names(prop.domain)}; {short(s)!r} is a "
                f"{' and '.join(sorted(ctx.name(x) for x in t))}.",
                "Swap subject and object if they are reversed, re-type the entity, or use a property whose "
                "domain fits.", check="typing", predicate=p, keys=[(s, p, o) for o in ordered(objs)], index=idx,
                extra={"types": sorted(str(x) for x in t)}))
    if prop.kind == "data":
        dt = ctx.datatype[p]  # type: ignore[index]
        for o in objs:
            if isinstance(o, Literal):
                if not literal_ok(o, dt):
                    shown = f"{str(o)!r}" + (f"^^{short(o.datatype)}" if o.datatype not in _PLAIN else "") + \
                        (f"@{o.language}" if o.language else "")
                    out.append(make_issue(
                        "literal_datatype_mismatch", s,
                        f"{short(s)!r} {prop.name} {shown}: not a valid xsd:{short(dt)}.",
                        f"Write the value as an xsd:{short(dt)} (or fix the property's range).",
                        check="typing", predicate=p, value=o, keys=[(s, p, o)], index=idx))
            else:
                out.append(make_issue(
                    "entity_for_data_property", s,
                    f"{prop.name!r} is a data property but {short(s)!r} has the entity {short(o)!r} as its value.",
                    "Give a literal value, or use an object property for links between entities.",
                    check="typing", predicate=p, value=o, keys=[(s, p, o)], index=idx))
    else:
        for o in objs:
            if isinstance(o, Literal):
                out.append(make_issue(
                    "literal_for_object_property", s,
                    f"{prop.name!r} links entities but {short(s)!r} has the literal {str(o)!r} as its value.",
                    "Use an entity as the object, or a data property for literal values.",
                    check="typing", predicate=p, value=o, keys=[(s, p, o)], index=idx))


def check_object_predicate(o: Node, p: Node, subs: set[Node], idx: FactIndex, ctx: OntologyContext,
                           out: list[Issue]) -> None:
    """Range of the facts ``(*, p, o)``; issues are filed under ``o``."""
    rng = ctx.range_ok.get(p)  # type: ignore[arg-type]
    if rng is None or isinstance(o, Literal):
        return
    t = idx.types.get(o)
    if t and not (t & rng):
        prop = ctx.properties[p]  # type: ignore[index]
        subjects = ordered(subs)
        out.append(make_issue(
            "range_mismatch", o,
            f"{prop.name!r} needs an object of type {ctx.names(prop.range)}; {short(o)!r} (object of "
            f"{', '.join(repr(short(x)) for x in subjects[:3])}{' …' if len(subjects) > 3 else ''}) is a "
            f"{' and '.join(sorted(ctx.name(x) for x in t))}.",
            "Swap subject and object if they are reversed, re-type the entity, or use a property whose range fits.",
            check="typing", predicate=p, keys=[(x, p, o) for x in subjects], index=idx,
            extra={"types": sorted(str(x) for x in t)}))


def untyped_candidates(idx: FactIndex, ctx: OntologyContext) -> set[Node]:
    """Every node that must be typed: subjects of ontology properties, entity objects of object properties."""
    out: set[Node] = set()
    for p, d in idx.pso.items():
        if p in ctx.properties:
            out.update(d)
    for p, r in idx.pos.items():
        if p in ctx.object_props:
            out.update(o for o in r if isinstance(o, URIRef))
    return out


def check_untyped(e: Node, idx: FactIndex, ctx: OntologyContext, out: list[Issue]) -> None:
    """``untyped_entity`` once per entity used with ontology properties but never typed."""
    if idx.types.get(e) or e in ctx.classes or not isinstance(e, URIRef):
        return
    as_subject = sorted(p for p, d in idx.pso.items() if p in ctx.properties and e in d)
    as_object = sorted(p for p, r in idx.pos.items() if p in ctx.object_props and e in r)
    if not as_subject and not as_object:
        return
    guesses: set[URIRef] = set()
    for p in as_subject:
        guesses.update(ctx.properties[p].domain)  # type: ignore[index]
    for p in as_object:
        guesses.update(ctx.properties[p].range)  # type: ignore[index]
    used = [f"subject of {short(p)!r}" for p in as_subject] + [f"object of {short(p)!r}" for p in as_object]
    keys = [(e, p, o) for p in as_subject for o in ordered(idx.objects(e, p))][:3] + \
        [(x, p, e) for p in as_object for x in ordered(idx.subjects(p, e))][:3]
    out.append(make_issue(
        "untyped_entity", e, f"{short(e)!r} has no type; it is the {', the '.join(used)}.",
        f"State what it is, e.g. ({short(e)}, isA, {ctx.names(guesses) if guesses else 'a class'}).",
        check="typing", keys=keys, index=idx))
