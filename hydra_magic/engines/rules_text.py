"""The old import path of the text grammar; it lives in :mod:`hydra_magic.english.text` now."""

from __future__ import annotations

from ..english.text import (
    KNOWN_VALUE,
    LEADING_ARTICLE,
    MENTION_KINDS,
    NAME_WORD,
    OBJECT_FORM,
    RELATION_MODEL,
    TRIGGER,
    extract_triples,
    learn_triggers,
    split_sentences,
)

__all__ = ["extract_triples", "learn_triggers", "split_sentences", "MENTION_KINDS", "TRIGGER", "OBJECT_FORM",
           "KNOWN_VALUE", "LEADING_ARTICLE", "NAME_WORD", "RELATION_MODEL"]
