"""Vocabulary and typing of every KG triple: the triple contracts, re-run set-based on the whole KG.

Codes: ``unknown_property``, ``unknown_class``, ``class_as_entity``,
``untyped_entity``, ``domain_mismatch``, ``range_mismatch``,
``literal_for_object_property``, ``entity_for_data_property``,
``literal_datatype_mismatch`` (the same codes the contracts give a candidate).

Each function checks one group of triples and files issues under the focus
node whose facts decide it (see :mod:`.findings`), so that incremental
verification can recheck exactly the nodes a change touches. All terms are
ids (:mod:`.terms`).
"""

from __future__ import annotations

from rdflib import URIRef

from ..contracts import check_literal
from ..issues import Issue
from .context import ANNOTATION_PREDICATES, GENERIC_TYPES, TYPE, XSD_STRING, OntologyContext
from .findings import make_issue, ordered, short
from .index import FactIndex
from .terms import LIT, literal_parts

__all__ = ["check_object_predicate", "check_subject_predicate", "check_untyped", "literal_ok"]

_PLAIN = ("", XSD_STRING)


def literal_ok(lex: str, odt: str, lang: str, dt: str, dt_ref: URIRef) -> bool:
    """A literal (lexical form, datatype id, language) is an acceptable value of datatype ``dt``.

    A literal typed ``dt`` or written as a plain string in ``dt``'s lexical form
    (how values accepted by a user arrive) passes; any other datatype fails.
    Language-tagged strings are strings. ``dt_ref`` is ``dt`` as an rdflib term.
    """
    if dt == XSD_STRING:
        return odt in _PLAIN or bool(lang)
    if lang or (odt != dt and odt not in _PLAIN):
        return False
    return check_literal(lex, dt_ref) is None


def check_subject_predicate(s: str, p: str, objs: set[str], idx: FactIndex, ctx: OntologyContext,
                            out: list[Issue]) -> None:
    """Checks decided by the facts ``(s, p, *)``; issues are filed under ``s``."""
    prop = ctx.properties.get(p)
    if prop is None:
        if p == TYPE:
            for o in objs:
                if o not in ctx.classes and o not in GENERIC_TYPES:
                    hits = ctx.ontology.suggest(short(o), "class")
                    out.append(make_issue(
                        "unknown_class", s,
                        f"{short(s)!r} is typed {short(o)!r}, which is not a class of the ontology.",
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
    dom = ctx.domain_ok.get(p)
    if dom is not None:
        t = idx.types.get(s)
        if t and dom.isdisjoint(t):
            out.append(make_issue(
                "domain_mismatch", s,
                f"{prop.name!r} needs a subject of type {ctx.names(prop.domain)}; {short(s)!r} is a "
                f"{' and '.join(sorted(ctx.name(x) for x in t))}.",
                "Swap subject and object if they are reversed, re-type the entity, or use a property whose "
                "domain fits.", check="typing", predicate=p, keys=[(s, p, o) for o in ordered(objs)], index=idx,
                extra={"types": sorted(t)}))
    if prop.kind == "data":
        dt, dt_ref = ctx.datatype[p], ctx.datatype_ref[p]
        for o in objs:
            if o[:1] == LIT:
                lex, odt, lang = literal_parts(o)
                if not literal_ok(lex, odt, lang, dt, dt_ref):
                    shown = repr(lex) + (f"^^{short(odt)}" if odt not in _PLAIN else "") + (f"@{lang}" if lang else "")
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
            if o[:1] == LIT:
                out.append(make_issue(
                    "literal_for_object_property", s,
                    f"{prop.name!r} links entities but {short(s)!r} has the literal {short(o)!r} as its value.",
                    "Use an entity as the object, or a data property for literal values.",
                    check="typing", predicate=p, value=o, keys=[(s, p, o)], index=idx))


def check_object_predicate(o: str, p: str, subs: set[str], idx: FactIndex, ctx: OntologyContext,
                           out: list[Issue]) -> None:
    """Range of the facts ``(*, p, o)``; issues are filed under ``o``."""
    rng = ctx.range_ok.get(p)
    if rng is None or o[:1] == LIT:
        return
    t = idx.types.get(o)
    if t and rng.isdisjoint(t):
        prop = ctx.properties[p]
        subjects = ordered(subs)
        out.append(make_issue(
            "range_mismatch", o,
            f"{prop.name!r} needs an object of type {ctx.names(prop.range)}; {short(o)!r} (object of "
            f"{', '.join(repr(short(x)) for x in subjects[:3])}{' …' if len(subjects) > 3 else ''}) is a "
            f"{' and '.join(sorted(ctx.name(x) for x in t))}.",
            "Swap subject and object if they are reversed, re-type the entity, or use a property whose range fits.",
            check="typing", predicate=p, keys=[(x, p, o) for x in subjects], index=idx,
            extra={"types": sorted(t)}))


def check_untyped(e: str, idx: FactIndex, ctx: OntologyContext, out: list[Issue]) -> None:
    """``untyped_entity`` once per entity used with ontology properties but never typed."""
    if e in idx.types or e in ctx.classes or e[:1] == LIT:
        return
    as_subject = sorted(p for p, d in idx.pso.items() if p in ctx.properties and e in d)
    as_object = sorted(p for p, r in idx.pos.items() if p in ctx.object_props and e in r)
    if not as_subject and not as_object:
        return
    guesses: set[URIRef] = set()
    for p in as_subject:
        guesses.update(ctx.properties[p].domain)
    for p in as_object:
        guesses.update(ctx.properties[p].range)
    used = [f"subject of {short(p)!r}" for p in as_subject] + [f"object of {short(p)!r}" for p in as_object]
    keys = [(e, p, o) for p in as_subject for o in ordered(idx.objects(e, p))][:3] + \
        [(x, p, e) for p in as_object for x in ordered(idx.subjects(p, e))][:3]
    out.append(make_issue(
        "untyped_entity", e, f"{short(e)!r} has no type; it is the {', the '.join(used)}.",
        f"State what it is, e.g. ({short(e)}, isA, {ctx.names(guesses) if guesses else 'a class'}).",
        check="typing", keys=keys, index=idx))
