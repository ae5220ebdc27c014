"""The question families, in the order they are tried.

Each module of :mod:`.patterns` marks its reader with :func:`cq_pattern` and a priority; a
question is read by the first family, lowest priority first, that recognises it. The
priorities keep the order the grammar has always used (what a more specific family reads
must not fall through to a general one: ``How many …`` before ``Which …``)::

    given 5, number_of 8, how 10, what_cost 20, first_person 25, when 30, where 40, kinds 50, what_is 60, who 70,
    prep_wh 80, is_a 90, yes_no 100, imperative 110, which 120

A new family is a new module under ``patterns/`` with one ``@cq_pattern(priority)`` reader;
nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import Callable

from .model import ParsedCQ

__all__ = ["Pattern", "cq_pattern", "patterns"]

Reader = Callable[[str, list[str]], "ParsedCQ | None"]


@dataclass(frozen=True)
class Pattern:
    """One question family's reader: ``read(text, tokens)`` → a :class:`ParsedCQ` or ``None``."""

    name: str
    priority: int
    read: Reader

    def __call__(self, text: str, toks: list[str]) -> ParsedCQ | None:
        return self.read(text, toks)


def cq_pattern(priority: int) -> Callable[[Reader], Pattern]:
    """Register the decorated function as the reader of its module's question family."""

    def register(read: Reader) -> Pattern:
        return Pattern(read.__module__.rpartition(".")[2], priority, read)

    return register


@cache
def patterns() -> tuple[Pattern, ...]:
    """Every family's reader, by priority (found once, by importing each module of ``patterns``)."""
    package = importlib.import_module(__package__ + ".patterns")
    found: dict[str, Pattern] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            # a family may call another's reader: each is counted in the module that defines it
            if isinstance(value, Pattern) and value.read.__module__ == module.__name__:
                found[value.read.__qualname__ + "@" + module.__name__] = value
    ordered = tuple(sorted(found.values(), key=lambda p: p.priority))
    clash = {p.priority for p in ordered if [q.priority for q in ordered].count(p.priority) > 1}
    if clash:
        raise RuntimeError(f"Two CQ patterns share a priority {sorted(clash)}: give each its own.")
    return ordered
