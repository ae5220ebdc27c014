"""Vocabulary and typing of every KG triple: the triple contracts, re-run set-based on the whole KG.

Codes: ``unknown_property``, ``unknown_class``, ``class_as_entity``,
``untyped_entity``, ``domain_mismatch``, ``range_mismatch``,
``literal_for_object_property``, ``entity_for_data_property``,
``literal_datatype_mismatch`` and ``type_inferred`` (the same codes the
contracts give a candidate); their words and severities come from
:mod:`hydra_magic.rule_registry`.

Type evidence is recomputed from the stored ``rdf:type`` facts, never read
off the relation facts' own flags: a domain or range check judges an entity's
stated types when it has any, else its inferred ones (see
:meth:`.FactIndex.judged_types`), like the candidate contracts. A relation
whose check holds only through inferred types is reported as ``type_inferred``
(a warning: the fact stays, unverified), or, in strict types mode, as
``untyped_entity`` (an error); its ``data["role"]`` says which end
(``"subject"``: domain, ``"object"``: range).

Each function checks one group of triples and files issues under the focus
node whose facts decide it (see :mod:`.findings`), so that incremental
verification can recheck exactly the nodes a change touches. All terms are
ids (:mod:`.terms`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rdflib import URIRef

from ..contracts import check_literal
from ..rule_registry import RULES, did_you_mean
from ..wording import a
from ..contracts.values import _EXAMPLES
from ..issues import Issue
from .context import ANNOTATION_PREDICATES, GENERIC_TYPES, TYPE, XSD_STRING, OntologyContext
from .findings import make_issue, ordered, short
from .index import FactIndex, Key
from .terms import LIT, literal_parts

__all__ = ["check_object_predicate", "check_subject_predicate", "check_untyped", "literal_ok", "rule_issue",
           "shacl_comparable"]

_PLAIN = ("", XSD_STRING)


def rule_issue(code: str, focus: str, fields: dict[str, Any], *, check: str = "typing", hint: str | None = None,
               **kw: Any) -> Issue:
    """An issue of a registered rule: its message and hint templates filled from ``fields``, its severity."""
    r = RULES[code]
    return make_issue(code, focus, r.message_for(**fields), r.hint_for(**fields) if hint is None else hint,
                      check=check, severity=r.severity, **kw)


def shacl_comparable(i: Issue) -> bool:
    """Whether pySHACL on the generated shapes can find ``i`` at all: it judges every rdf:type triple
    and cannot tell an inferred type from a stated one (see :mod:`.shacl`)."""
    return i.data.get("role") is None and i.data.get("types_basis") != "stated"


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


def _typed_as(e: str, p: str, required: frozenset[str], role: str, keys: list[Key], idx: FactIndex,
              ctx: OntologyContext, out: list[Issue], context: str = "") -> None:
    """Domain (``role="subject"``) or range check of the typed entity ``e``, on its judged types."""
    t = idx.types.get(e)
    if not t:
        return  # untyped: check_untyped reports the entity once
    judged, inferred = idx.judged_types(e)
    prop = ctx.properties[p]
    side = "domain" if role == "subject" else "range"
    needed = prop.domain if role == "subject" else prop.range
    if required.isdisjoint(judged):
        shown = " and ".join(a(n) for n in sorted(ctx.name(x) for x in judged)) + (" (inferred)" if inferred else "")
        extra: dict[str, Any] = {"types": sorted(judged)}
        if len(judged) < len(t):
            extra["types_basis"] = "stated"  # inferred types set aside: pySHACL sees them (shacl_comparable)
        out.append(rule_issue("domain_mismatch" if role == "subject" else "range_mismatch", e,
                              {"prop": prop.name, "required": ctx.names(needed), "entity": short(e),
                               "types": shown, "context": context},
                              predicate=p, keys=keys, index=idx, extra=extra))
    elif inferred:
        _inferred_issue(e, p, role, side, judged, keys, idx, ctx, out, context)


def _inferred_issue(e: str, p: str, role: str, side: str, judged: Collection[str], keys: list[Key],
                    idx: FactIndex, ctx: OntologyContext, out: list[Issue], context: str) -> None:
    prop = ctx.properties[p]
    shown = []
    for c in sorted(judged):
        # the same words whichever source's fact the index holds first (full and incremental runs agree)
        bases = sorted(f.evidence.basis for f in idx.facts_of((e, TYPE, c)) if f.evidence.basis)
        shown.append(ctx.name(c) + (f", {bases[0][:120]}" if bases else ""))
    r = RULES["type_inferred"]
    strict = ctx.types_mode == "strict" and r.strict_code is not None
    code = r.strict_code if strict else r.code
    # The strict form keeps the words of type_inferred (untyped_entity's own say "no type at all").
    fields = {"role": role.capitalize(), "entity": short(e), "side": side, "prop": prop.name,
              "required": ctx.names(prop.domain if side == "domain" else prop.range),
              "types": "; ".join(shown), "context": context}
    out.append(make_issue(code, e, r.message_for(**fields), r.strict_hint if strict else r.hint_for(**fields),  # type: ignore[arg-type]
                          check="typing", severity=RULES[code].severity, predicate=p, keys=keys, index=idx,  # type: ignore[index]
                          extra={"role": role, "types": sorted(judged), "types_basis": "inferred"}))


def check_subject_predicate(s: str, p: str, objs: Collection[str], idx: FactIndex, ctx: OntologyContext,
                            out: list[Issue]) -> None:
    """Checks decided by the facts ``(s, p, *)``; issues are filed under ``s``."""
    prop = ctx.properties.get(p)
    if prop is None:
        if p == TYPE:
            for o in objs:
                if o not in ctx.classes and o not in GENERIC_TYPES:
                    hits = ctx.ontology.suggest(short(o), "class")
                    out.append(rule_issue("unknown_class", s,
                                          {"entity": short(s), "cls": short(o), "did_you_mean": did_you_mean(hits)},
                                          predicate=p, value=o, keys=[(s, p, o)], index=idx))
        elif p not in ANNOTATION_PREDICATES:
            hits = ctx.ontology.suggest(short(p))
            out.append(rule_issue("unknown_property", s,
                                  {"prop": short(p), "context": f" ({short(s)!r} has {len(objs)} such fact(s))",
                                   "did_you_mean": did_you_mean(hits)},
                                  predicate=p, keys=[(s, p, o) for o in ordered(objs)], index=idx))
        return
    if s in ctx.classes:
        out.append(rule_issue("class_as_entity", s,
                              {"entity": short(s), "context": f", but it is the subject of {prop.name!r}"},
                              predicate=p, keys=[(s, p, o) for o in ordered(objs)], index=idx))
    dom = ctx.domain_ok.get(p)
    if dom is not None:
        _typed_as(s, p, dom, "subject", [(s, p, o) for o in ordered(objs)], idx, ctx, out)
    if prop.kind == "data":
        dt, dt_ref = ctx.datatype[p], ctx.datatype_ref[p]
        for o in objs:
            if o[:1] == LIT:
                lex, odt, lang = literal_parts(o)
                if not literal_ok(lex, odt, lang, dt, dt_ref):
                    shown = repr(lex) + (f"^^{short(odt)}" if odt not in _PLAIN else "") + (f"@{lang}" if lang else "")
                    example = _EXAMPLES.get(dt_ref)
                    out.append(rule_issue(
                        "literal_datatype_mismatch", s,
                        {"value": shown, "datatype": f"xsd:{short(dt)}",
                         "context": f" (the {prop.name} of {short(s)!r})",
                         "example": f", e.g. {example!r}" if example else ""},
                        predicate=p, value=o, keys=[(s, p, o)], index=idx))
            else:
                out.append(rule_issue("entity_for_data_property", s,
                                      {"prop": prop.name, "entity": short(s), "value": short(o)},
                                      predicate=p, value=o, keys=[(s, p, o)], index=idx))
    else:
        for o in objs:
            if o[:1] == LIT:
                out.append(rule_issue("literal_for_object_property", s,
                                      {"prop": prop.name, "entity": short(s), "value": short(o)},
                                      predicate=p, value=o, keys=[(s, p, o)], index=idx))


def check_object_predicate(o: str, p: str, subs: Collection[str], idx: FactIndex, ctx: OntologyContext,
                           out: list[Issue]) -> None:
    """Range of the facts ``(*, p, o)``; issues are filed under ``o``."""
    rng = ctx.range_ok.get(p)
    if rng is None or o[:1] == LIT:
        return
    subjects = ordered(subs)
    context = (f" (object of {', '.join(repr(short(x)) for x in subjects[:3])}"
               f"{' …' if len(subjects) > 3 else ''})")
    _typed_as(o, p, rng, "object", [(x, p, o) for x in subjects], idx, ctx, out, context)


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
    out.append(rule_issue("untyped_entity", e,
                          {"entity": short(e), "context": f"; it is the {', the '.join(used)}",
                           "guess": ctx.names(guesses) if guesses else "a class"},
                          keys=keys, index=idx))
