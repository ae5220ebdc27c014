"""The old import path of the CQ grammar; it lives in :mod:`hydra_magic.english.cq` now."""

from __future__ import annotations

from ..english.cq import (
    ROOT_CLASS,
    ClassRef,
    ParsedCQ,
    PropertyReq,
    SubclassLink,
    guess_datatype,
    parse_cq,
    pluralise,
    propose_from_cqs,
    singularise,
    verb_forms,
    verb_lemma,
)

__all__ = ["ClassRef", "PropertyReq", "SubclassLink", "ParsedCQ", "parse_cq", "propose_from_cqs", "singularise",
           "pluralise", "verb_lemma", "verb_forms", "guess_datatype", "ROOT_CLASS"]
