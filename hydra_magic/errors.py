"""The exception tree of hydra_magic, documented in one place.

Every error a user can cause is a :class:`HydraError`; its message names the
offending value and says what to do next. Nothing here is raised for a bad
*candidate* (a rejected triple or class): those are :class:`~hydra_magic.contracts.Issue`
records returned to the caller, never exceptions.

HydraError
├── InputError              bad user input (empty cell, unknown name, too large)
│   ├── EmptyInputError
│   ├── InputTooLargeError
│   ├── MissingFileError    a file the user named does not exist (also a FileNotFoundError)
│   └── DataNotFoundError   benchmark data not where it was looked for (also a FileNotFoundError)
├── FormatError             unknown or unsupported file format
├── ParseError              malformed Turtle / OWL / JSON, with file, line, column
├── JournalError            session journal cannot be read or written
├── EngineError             the neural engine failed (key, model, network, timeout)
└── QueryError              a SPARQL query failed while running (e.g. a malformed remote reply)
    ├── QueryRefusedError   not allowed here: an update, or SERVICE while remote calls are off
    └── QueryTimeoutError   stopped at its deadline (also a TimeoutError)

A SPARQL syntax error is a ParseError (source "SPARQL").
"""

from __future__ import annotations

__all__ = [
    "HydraError",
    "InputError",
    "EmptyInputError",
    "InputTooLargeError",
    "MissingFileError",
    "DataNotFoundError",
    "FormatError",
    "ParseError",
    "SessionBusyError",
    "JournalError",
    "EngineError",
    "QueryError",
    "QueryRefusedError",
    "QueryTimeoutError",
]


class HydraError(Exception):
    """Base class of every error hydra_magic raises on purpose."""


class InputError(HydraError, ValueError):
    """The input given by the user cannot be used as it is."""


class EmptyInputError(InputError):
    """A cell, file or string had nothing to work on."""


class InputTooLargeError(InputError):
    """An input is above a configured size limit."""


class MissingFileError(InputError, FileNotFoundError):
    """A file the user named does not exist; the message names it and the working directory."""


class DataNotFoundError(InputError, FileNotFoundError):
    """Benchmark data (Text2KGBench) is not where it was looked for; the message says where to get it."""


class FormatError(HydraError, ValueError):
    """A file format is unknown or not supported for this operation."""


class ParseError(HydraError, ValueError):
    """A document could not be parsed; carries where it failed."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None,
                 column: int | None = None) -> None:
        self.source = source
        self.line = line
        self.column = column
        where = source or "<input>"
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {message}")


class JournalError(HydraError, OSError):
    """The session journal could not be written or restored."""


class SessionBusyError(JournalError):
    """The session is held by another process (or another open Session object): one writer at a time."""


class EngineError(HydraError, RuntimeError):
    """The extraction/ontology engine failed in a way the user must act on."""


class QueryError(HydraError):
    """A SPARQL query failed while running; the session is unchanged (see :mod:`hydra_magic.sparql_policy`)."""


class QueryRefusedError(QueryError):
    """A SPARQL query is not allowed where it was run: an update, or SERVICE while remote calls are off."""


class QueryTimeoutError(QueryError, TimeoutError):
    """A SPARQL query did not finish within its deadline and was stopped."""
