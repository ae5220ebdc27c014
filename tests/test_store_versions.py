"""Version-aware session directories: a newer format is refused with "upgrade" and left untouched;
older ones (the JSON snapshot of format 1) are converted once.

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
from hydra_magic.store import STORE_FORMAT, SessionStore

NEWER = FORMAT_VERSION + 1  # of the legacy JSON snapshot
NEWER_STORE = STORE_FORMAT + 1


def _legacy_snapshot(journal_dir: str, name: str = "films") -> Path:
    """A session saved as versions before the store did: one JSON snapshot, ``<name>/session.json``."""
    s = Session(name, SessionConfig(journal_dir=None))
    s.add_cqs("Which films did a director direct?")
    s.extract("Alien was directed by Ridley Scott in 1979.", source="a")
    j = Journal(journal_dir, name)
    j.write(s.snapshot())
    return j.path


def _stored_session(journal_dir: str, make_session: Any, name: str = "films") -> Path:
    s = make_session(name)
    s.add_cqs("Which films did a director direct?")
    s.extract("Alien was directed by Ridley Scott in 1979.", source="a")
    s.close()
    return Path(journal_dir) / name


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and p.name not in ("LOCK", "lock", "holder.json") and "LOG" not in p.name}


def test_store_records_format_and_version(journal_dir: str, make_session: Any) -> None:
    d = _stored_session(journal_dir, make_session)
    store = SessionStore(journal_dir, "films", SessionConfig().base)
    store.open({})
    try:
        assert store.meta["format"] == STORE_FORMAT and store.meta["written_by"] == __version__
    finally:
        store.close()
    assert (d / "store").is_dir() and (d / "changes.log").is_file() and not (d / "session.json").exists()


def _make_newer(journal_dir: str) -> None:
    """Rewrite the stored state as a newer hydra_magic (format STORE_FORMAT + 1) would."""
    import pyoxigraph as ox

    from hydra_magic.store.session_store import _STATE

    store = SessionStore(journal_dir, "films", SessionConfig().base)
    store.open({})
    try:
        text = json.dumps({**store.meta, "format": NEWER_STORE, "written_by": "9.9.0", "something_new": 1})
        g = store.names.session
        store._store.update(f"DELETE WHERE {{ GRAPH {g} {{ {_STATE} {_STATE} ?o }} }};"
                            f"INSERT DATA {{ GRAPH {g} {{ {_STATE} {_STATE} {ox.Literal(text)} }} }}")
    finally:
        store.close()


def test_newer_store_says_upgrade_and_is_left_untouched(journal_dir: str, make_session: Any) -> None:
    d = _stored_session(journal_dir, make_session)
    _make_newer(journal_dir)
    log = (d / "changes.log").read_bytes()
    with pytest.raises(JournalError) as info:
        Session("films", SessionConfig(journal_dir=journal_dir))
    msg = str(info.value)
    assert f"written by a newer hydra_magic 9.9.0, format {NEWER_STORE}" in msg
    assert "upgrade with pip install -U hydra_magic" in msg and str(d) in msg
    assert (d / "changes.log").read_bytes() == log
    # and a fresh open after the refusal still refuses (nothing was rewritten)
    with pytest.raises(JournalError, match="newer hydra_magic"):
        Session("films", SessionConfig(journal_dir=journal_dir))


def test_newer_legacy_snapshot_says_upgrade_and_is_left_untouched(journal_dir: str) -> None:
    path = _legacy_snapshot(journal_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update({"format": NEWER, "written_by": "9.9.0"})
    raw = json.dumps(data).encode("utf-8")
    path.write_bytes(raw)
    with pytest.raises(JournalError, match=rf"written by a newer hydra_magic 9.9.0, format {NEWER}"):
        Session("films", SessionConfig(journal_dir=journal_dir))
    assert path.read_bytes() == raw


def test_newer_store_in_a_notebook_is_a_usage_error(hydra_ext: Any, journal_dir: str,
                                                    make_session: Any) -> None:
    from IPython.core.error import UsageError

    _stored_session(journal_dir, make_session, name="films")
    _make_newer(journal_dir)
    with pytest.raises(UsageError, match="written by a newer hydra_magic"):
        hydra_ext.shell.run_line_magic("hydra", "session films")


def test_legacy_snapshot_is_converted_once_and_says_so(journal_dir: str) -> None:
    # A snapshot as versions before the store wrote it: format 1, and without the keys added later.
    path = _legacy_snapshot(journal_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("written_by", "log", "rules", "shapes"):
        data.pop(key, None)
    path.write_text(json.dumps(data), encoding="utf-8")
    restored = Session("films", SessionConfig(journal_dir=journal_dir))
    assert "Converted session 'films' from its JSON snapshot" in restored.restored
    assert "Restored session 'films'" in restored.restored
    n = len(restored.kg)
    assert n > 0 and len(restored.cqs) == 1 and len(restored.history) == 2
    assert not path.exists() and path.with_name("session.json.migrated").is_file()
    restored.close()
    again = Session("films", SessionConfig(journal_dir=journal_dir))
    assert "Converted" not in again.restored and len(again.kg) == n
    assert again.undo().startswith("Undid: a:")  # the snapshot's history came along
    assert len(again.kg) == 0


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
