"""Files a user names (CLI flags, %%extract --from, imports): checked and read with one clear error.

A missing file, a directory where a file belongs, an unreadable, non-UTF-8 or
binary file each give an :class:`~hydra_magic.errors.InputError` that names the
flag (or what the file is for), the path and the next step. Every entry point
(CLI commands, magics, importers) reads user files through these helpers.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["UTF8_HINT", "bad_byte", "check_input_file", "check_output_path", "read_input_text"]

UTF8_HINT = "Save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 FILE > FILE.utf8) and run again."


def check_input_file(path: str | os.PathLike[str], flag: str) -> Path:
    """``path`` as a :class:`Path` if it is a readable file; else an InputError naming ``flag``."""
    from .errors import InputError, MissingFileError

    p = Path(path)
    what = _what(flag, p)
    if p.is_dir():
        raise InputError(f"{what} is a directory; give a file.")
    if not p.exists():
        raise MissingFileError(f"{what} does not exist (working directory {os.getcwd()}). Check the path.")
    if not os.access(p, os.R_OK):
        raise InputError(f"{what} cannot be read (permission denied). Check its permissions.")
    return p


def _what(flag: str, p: Path) -> str:
    return f"{flag} {str(p)!r}" if flag else f"file {str(p)!r}"


def read_input_text(path: str | os.PathLike[str], flag: str, *, max_chars: int | None = None) -> str:
    """The UTF-8 text of a user file (a UTF-8 BOM is allowed); InputError names ``flag`` and the fix."""
    from .errors import InputError, InputTooLargeError

    p = check_input_file(path, flag)
    what = _what(flag, p)
    try:
        data = p.read_bytes() if max_chars is None else _read_at_most(p, 4 * max_chars + 4)
    except OSError as exc:
        raise InputError(f"{what} cannot be read: {exc.strerror or exc}.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text ({bad_byte(exc)}). {UTF8_HINT}") from exc
    if "\x00" in text:
        raise InputError(f"{what} holds NUL bytes: it looks like a binary file, not text. "
                         "Give a plain text file.")
    if max_chars is not None and len(text) > max_chars:
        raise InputTooLargeError(f"{what} has more than {max_chars:,} characters, the limit. "
                                 "Split it into smaller files.")
    return text


def check_output_path(path: str | os.PathLike[str], flag: str) -> Path:
    """``path`` as a :class:`Path` whose directory exists (created if needed) and that is no directory."""
    from .errors import InputError

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{flag} {str(p)!r} is a directory; give a file name, e.g. {str(p / 'out')!r}.")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise InputError(f"{flag} {str(p)!r}: {str(p.parent)!r} is a file, not a directory. "
                         "Choose another path.") from exc
    except OSError as exc:
        raise InputError(f"{flag} {str(p)!r}: cannot create the directory {str(p.parent)!r} "
                         f"({exc.strerror or exc}). Choose another path.") from exc
    if not os.access(p.parent, os.W_OK):
        raise InputError(f"{flag} {str(p)!r}: the directory {str(p.parent)!r} is not writable. "
                         "Choose another path.")
    return p


def _read_at_most(p: Path, limit: int) -> bytes:
    with open(p, "rb") as fh:
        return fh.read(limit)


def bad_byte(exc: UnicodeDecodeError) -> str:
    obj = exc.object
    byte = obj[exc.start] if isinstance(obj, (bytes, bytearray)) and exc.start < len(obj) else None
    line = obj.count(b"\n", 0, exc.start) + 1 if isinstance(obj, (bytes, bytearray)) else None
    where = f"line {line}, " if line else ""
    return f"{where}byte {byte:#04x} at offset {exc.start}" if byte is not None else exc.reason
