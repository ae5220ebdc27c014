"""Version-aware journals: a newer format is refused with "upgrade" and left untouched; older ones load.

Regression tests for the issue "A journal from a newer version is reported as
"not format 1" rather than "written by a newer hydra_magic; upgrade"".
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from hydra_magic import __version__, journal
from hydra_magic.errors import JournalError
from hydra_magic.journal import FORMAT_VERSION, Journal
from hydra_magic.session import Session, SessionConfig

NEWER = FORMAT_VERSION + 1


def _saved_session(journal_dir: str, make_session: Any, name: str = "films") -> Path:
    s = make_session(name)
    s.add_cqs("Which films did a director direct?")
    s.extract("Alien was directed by Ridley Scott in 1979.", source="a")
    path = s.save()
    assert path is not None and path.is_file()
    return path


def _write_newer(path: Path) -> bytes:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update({"format": NEWER, "written_by": "9.9.0", "something_new": {"only": "a newer version knows"}})
    raw = json.dumps(data).encode("utf-8")
    path.write_bytes(raw)
    return raw


def test_snapshot_records_format_and_version(journal_dir: str, make_session: Any) -> None:
    path = _saved_session(journal_dir, make_session)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT_VERSION and data["written_by"] == __version__


def test_newer_journal_says_upgrade_and_is_left_untouched(journal_dir: str, make_session: Any) -> None:
    path = _saved_session(journal_dir, make_session)
    raw = _write_newer(path)
    mtime = path.stat().st_mtime_ns
    with pytest.raises(JournalError) as info:
        Session("films", SessionConfig(journal_dir=journal_dir))
    msg = str(info.value)
    # Before: "... is not a hydra_magic session snapshot of format 1. Move it away to start fresh."
    assert f"written by a newer hydra_magic 9.9.0, format {NEWER}" in msg
    assert "upgrade with pip install -U hydra_magic, or move it away to start fresh" in msg
    assert str(path) in msg
    assert path.read_bytes() == raw and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in path.parent.iterdir()) == ["session.json"]


def test_newer_journal_is_not_overwritten_by_a_fresh_session(journal_dir: str, make_session: Any) -> None:
    path = _saved_session(journal_dir, make_session)
    raw = _write_newer(path)
    s = Session("films", SessionConfig(journal_dir=journal_dir), restore=False)
    with pytest.raises(JournalError, match="newer hydra_magic"):
        s.save()
    assert path.read_bytes() == raw


def test_newer_journal_in_a_notebook_is_a_usage_error(hydra_ext: Any, journal_dir: str,
                                                      make_session: Any) -> None:
    from IPython.core.error import UsageError

    path = _saved_session(journal_dir, make_session, name="other")
    raw = _write_newer(path)
    with pytest.raises(UsageError, match="written by a newer hydra_magic"):
        hydra_ext.shell.run_line_magic("hydra", "session other")
    assert path.read_bytes() == raw


def test_older_journal_still_loads(journal_dir: str, make_session: Any) -> None:
    # A snapshot as versions before this one wrote it: format 1, no "written_by",
    # and none of the keys added since the first release (log, rules, shapes).
    path = _saved_session(journal_dir, make_session)
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("written_by", "log", "rules", "shapes"):
        data.pop(key, None)
    path.write_text(json.dumps(data), encoding="utf-8")
    restored = Session("films", SessionConfig(journal_dir=journal_dir))
    assert "Restored session 'films'" in restored.restored
    assert len(restored.kg) > 0 and len(restored.cqs) == 1
    restored.save()  # and it is written back in the current format
    assert json.loads(path.read_text(encoding="utf-8"))["written_by"] == __version__


def test_older_format_is_upgraded_on_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = Journal(tmp_path, "old")
    j.write({"cqs": [], "renamed": 1})

    def rename(d: dict[str, Any]) -> dict[str, Any]:
        d["new_name"] = d.pop("renamed")
        return d

    monkeypatch.setattr(journal, "FORMAT_VERSION", FORMAT_VERSION + 1)
    monkeypatch.setattr(journal, "UPGRADES", {FORMAT_VERSION: rename})
    data = Journal(tmp_path, "old").read()
    assert data["format"] == FORMAT_VERSION + 1 and data["new_name"] == 1 and "renamed" not in data


def test_older_format_without_an_upgrade_is_refused_untouched(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    j = Journal(tmp_path, "old")
    j.write({"cqs": []})
    raw = j.path.read_bytes()
    monkeypatch.setattr(journal, "FORMAT_VERSION", FORMAT_VERSION + 1)
    with pytest.raises(JournalError, match=r"old hydra_magic \(format 1\).*left untouched"):
        Journal(tmp_path, "old").read()
    assert j.path.read_bytes() == raw


@pytest.mark.parametrize("content", [
    b'{"name": "x"}',  # no format at all
    b'{"format": "1"}',
    b'{"format": true}',
    b"[1, 2]",
    b"{",
    b'{"format": 1, "kg": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # deep nesting: was a RecursionError
    "é".encode("latin-1"),
])
def test_unreadable_snapshot_is_a_journal_error_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    j = Journal(tmp_path, "broken")
    j.dir.mkdir(parents=True)
    j.path.write_bytes(content)
    with pytest.raises(JournalError, match="left untouched"):
        Session("broken", SessionConfig(journal_dir=str(tmp_path)))
    assert j.path.read_bytes() == content


def test_unpaired_surrogate_in_state_is_saved_and_read_back(tmp_path: Path) -> None:
    # A JSON input can carry "\ud800"; writing it as UTF-8 used to raise UnicodeEncodeError.
    j = Journal(tmp_path, "s")
    j.write({"label": "a\ud800b"})
    assert Journal(tmp_path, "s").read()["label"] == "a\ud800b"
    assert not [p for p in j.dir.iterdir() if p.name.endswith(".tmp")]
    assert os.access(j.path, os.R_OK)
