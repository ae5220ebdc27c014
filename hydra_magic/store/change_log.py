"""The append-only change log of one session: one framed record per change, for undo and audit.

A record is one line ``<header JSON>\\t<body JSON>\\t<crc32 hex>\\n``. The header is
small (id, op, kind, summary, time, and ``body``: the body's length in bytes) so the
log can be scanned from header to header without reading the bodies; the body holds
what changed (facts with their evidence, ontology triples, CQs). Appending writes and
fsyncs one record, so a change costs in proportion to its size, never to the size of
the session.

The log is written *before* the store (write-ahead): a kill at any point leaves
either a torn last line (the change never happened; it is cut off on the next open)
or a complete record the store may not have applied yet (the store replays it).
:meth:`ChangeLog.compact` keeps it bounded: records older than the undo window are
dropped, and their headers go to ``audit.log`` so the trail of what happened stays.
"""

from __future__ import annotations

import json
import mmap
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import JournalError
from ..journal import fsync_dir

__all__ = ["ChangeLog", "LogRecord", "encode_json"]


def encode_json(data: Any, what: str) -> bytes:
    """``data`` as UTF-8 JSON; text that cannot be stored (a lone surrogate) raises :class:`JournalError`."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        raise JournalError(f"{what} contains text that cannot be stored: {bad!r} at position {exc.start} is an "
                           "unpaired surrogate (half of an emoji or other character, often from a JSON "
                           "'\\ud83c' escape). Nothing changed. Clean the text, e.g. "
                           "text.encode('utf-8', 'replace').decode('utf-8'), and run it again.") from exc
    except (TypeError, ValueError, RecursionError) as exc:
        raise JournalError(f"{what} cannot be saved as JSON: {exc}. Nothing changed. This is a bug in "
                           "hydra_magic; please report it.") from exc


@dataclass(frozen=True)
class LogRecord:
    """One record's header and where its body lies in the log file."""

    id: int
    op: str  # "change" | "undo"
    header: dict[str, Any]
    offset: int  # of the line in the file
    length: int  # of the line, newline included


class ChangeLog:
    """``changes.log`` (and ``audit.log``) in a session directory."""

    NAME = "changes.log"
    AUDIT = "audit.log"
    #: Where a header must end (its tab): headers are a few hundred bytes; a damaged one is not searched for.
    HEADER_SCAN = 1 << 20

    def __init__(self, directory: Path) -> None:
        self.path = directory / self.NAME
        self.audit_path = directory / self.AUDIT
        self.records: list[LogRecord] = []
        self._fh: Any = None

    # ------------------------------------------------------------ reading
    def open(self) -> list[LogRecord]:
        """Read every record's header; a torn last line (a kill mid-write) is cut off.

        Only the headers are parsed, and only the last record's checksum is checked here (a
        torn write can only be the last): reading and checking every body made opening a
        session cost in proportion to its whole history (1.4 s for 450 MB at 900k facts).
        The header's ``body`` length leads to the next header, so the bodies are not read
        at all (searching them for the line's end read the whole 400 MB log at 1M facts:
        the open's peak RSS was 463 MB for 95 MB after it); a record without it (written
        before) or whose length does not land on its line's end is searched instead. A
        body is checked when it is read (:meth:`body`: undo, replay). A damaged record
        other than the last raises :class:`JournalError`: that is not a kill but a damaged
        disk, and guessing would lose changes.
        """
        self.records = []
        try:
            with open(self.path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                data: Any = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        except FileNotFoundError:
            data = b""
        except OSError as exc:
            raise JournalError(f"Could not read the change log {self.path}: {exc}.") from exc
        try:
            self._scan(data)
        finally:
            if isinstance(data, mmap.mmap):
                data.close()
        return self.records

    def _scan(self, data: Any) -> None:
        pos, size = 0, len(data)
        while pos < size:
            tab = data.find(b"\t", pos, min(size, pos + self.HEADER_SCAN))
            header = _header(data[pos:tab]) if tab > pos else None
            end = _line_end(data, tab, header)
            if end < 0:
                end = data.find(b"\n", pos)
            last = end < 0 or end + 1 >= size
            line_end = size if end < 0 else end
            if last:
                header = _parse(data[pos:line_end])
            elif header is None or tab > line_end:
                tab = data.find(b"\t", pos, line_end)
                header = _header(data[pos:tab]) if tab > 0 else None
            if header is None:
                if last:
                    self._truncate(pos)  # the torn tail of a write that never finished
                    break
                raise self._damaged(pos)
            self.records.append(LogRecord(int(header["id"]), str(header["op"]), header, pos, line_end + 1 - pos))
            pos = line_end + 1

    def _damaged(self, pos: int) -> JournalError:
        return JournalError(f"The change log {self.path} is damaged at byte {pos} (not at its end, so this "
                            "is not an interrupted write). The session's store is intact; move the log "
                            "away to open the session without its undo history.")

    def body(self, record: LogRecord) -> dict[str, Any]:
        """The body of ``record`` (read from the file on demand, and checked: bodies can be large)."""
        with open(self.path, "rb") as fh:
            fh.seek(record.offset)
            line = fh.read(record.length).rstrip(b"\n")
        if _parse(line) is None:
            raise self._damaged(record.offset)
        head, body, _crc = line.rsplit(b"\t", 2)
        return json.loads(body)  # type: ignore[no-any-return]

    def audit(self) -> list[dict[str, Any]]:
        """The headers of the records compaction dropped, oldest first (what happened before the undo window)."""
        try:
            lines = self.audit_path.read_bytes().splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    @property
    def last_id(self) -> int:
        return self.records[-1].id if self.records else 0

    # ------------------------------------------------------------ writing
    def append(self, header: dict[str, Any], body: dict[str, Any]) -> LogRecord:
        """Write one record and fsync it; on failure the file is cut back and nothing is recorded."""
        body_b = encode_json(body, "The change")
        header = {**header, "body": len(body_b)}  # so that opening skips from header to header
        head_b = encode_json(header, "The change")
        payload = head_b + b"\t" + body_b
        line = payload + b"\t" + f"{zlib.crc32(payload):08x}".encode() + b"\n"
        fh = self._handle()
        start = fh.seek(0, os.SEEK_END)
        try:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        except OSError as exc:
            self._truncate(start)
            raise JournalError(f"Could not write the change log {self.path}: {exc}. Nothing changed: the "
                               "session is as it was before this step. Free disk space (or check the "
                               "directory's permissions) and run it again.") from exc
        rec = LogRecord(int(header["id"]), str(header["op"]), header, start, len(line))
        self.records.append(rec)
        return rec

    def drop_last(self) -> None:
        """Take back the last record (its change could not be applied to the store)."""
        if self.records:
            rec = self.records.pop()
            self._truncate(rec.offset)

    def compact(self, keep_ids: set[int]) -> int:
        """Rewrite the log with only the records in ``keep_ids``; the others' headers go to the audit log.

        Atomic (a new file renamed over the old one). Returns the number of records dropped.
        """
        dropped = [r for r in self.records if r.id not in keep_ids]
        if not dropped:
            return 0
        kept = [r for r in self.records if r.id in keep_ids]
        tmp = self.path.with_name(self.NAME + ".tmp")
        with open(self.path, "rb") as src, open(tmp, "wb") as out:
            new: list[LogRecord] = []
            for r in kept:
                src.seek(r.offset)
                line = src.read(r.length)
                new.append(LogRecord(r.id, r.op, r.header, out.tell(), len(line)))
                out.write(line)
            out.flush()
            os.fsync(out.fileno())
        with open(self.audit_path, "ab") as audit:
            audit.write(b"".join(encode_json(r.header, "audit") + b"\n" for r in dropped))
            audit.flush()
            os.fsync(audit.fileno())
        self.close()
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)
        self.records = new
        return len(dropped)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __iter__(self) -> Iterator[LogRecord]:
        return iter(self.records)

    def _handle(self) -> Any:
        if self._fh is None:
            try:
                self._fh = open(self.path, "ab")
            except OSError as exc:
                raise JournalError(f"Could not open the change log {self.path}: {exc}. Nothing changed. "
                                   "Check that the directory is writable.") from exc
        return self._fh

    def _truncate(self, size: int) -> None:
        self.close()
        try:
            os.truncate(self.path, size)
        except OSError:
            pass  # a read-only or vanished log: the next open reports it


def _parse(line: bytes) -> dict[str, Any] | None:
    """The header of a well-formed record line (its checksum checked), or ``None``."""
    parts = line.rsplit(b"\t", 2)
    if len(parts) != 3:
        return None
    head, body, crc = parts
    try:
        if int(crc, 16) != zlib.crc32(head + b"\t" + body):
            return None
    except ValueError:
        return None
    return _header(head)


def _line_end(data: Any, tab: int, header: dict[str, Any] | None) -> int:
    """Where the record whose header ends at ``tab`` ends (its newline), from the header's body length;
    -1 when it has none or it does not land on a tab, 8 checksum characters and a newline."""
    n = header.get("body") if header is not None else None
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        return -1
    end = tab + 1 + n + 9
    if end >= len(data) or data[end:end + 1] != b"\n" or data[end - 9:end - 8] != b"\t":
        return -1
    return end


def _header(head: bytes) -> dict[str, Any] | None:
    """A record's header JSON (the first field: JSON escapes every tab in it), or ``None``."""
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if (not isinstance(header, dict) or not isinstance(header.get("id"), int)
            or header.get("op") not in ("change", "undo")):
        return None
    return header

