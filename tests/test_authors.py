"""Who made each change (issue 22 §2): every event records its author, the audit export
shows it, and a browser visit's author is the user its proxy named, trusted only from the
loopback."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from triage import authors, transcript
from triage.dialog.engine import Engine
from triage.serve import visit_author
from triage.session import Recorder
from triage.store import Event, open_store

SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


def _record(path, scar, answers: int = 3) -> str:
    """Record the seed's first answers through a recorder, as the assistant does."""
    script, _ = transcript.load(SEED)
    engine = Engine(scar, script.today)
    recorder = Recorder.start(path, engine, "AB")
    for a in script.answers[:answers]:
        recorder.record(Event("answer", a.q, a.repeat, a.value, a.unit))
    recorder.release()
    assert recorder.session_id is not None
    return recorder.session_id


def test_at_a_terminal_each_event_is_the_os_users(tmp_path, scar, monkeypatch):
    monkeypatch.delenv(authors.ENV, raising=False)
    path = tmp_path / "s.db"
    sid = _record(path, scar)
    assert [e.author for e in open_store(path).events(sid)] == [getpass.getuser()] * 3


@pytest.mark.parametrize(("given", "recorded"), [
    ("nurse.jones@clinic.example", "nurse.jones@clinic.example"),
    ("Dr\x1b[31m Red\x07", "Dr[31m Red"),  # a terminal escape is text, never a command
    ("a\nb", "a b"),
    ("y" * 120, "y" * 120),  # the longest kept whole
    ("x" * 121, "x" * 119 + "…"),
    ("x" * 300, "x" * 119 + "…"),
    # Latin-1 bytes from a proxy's header arrive as lone surrogates, which no store can
    # save: the visit's first answer crashed it (the review).
    ("Jos\udce9", "Jos?"),
])
def test_a_served_visits_author_comes_from_its_server_as_plain_bounded_text(
    tmp_path, scar, monkeypatch, given, recorded
):
    monkeypatch.setenv(authors.ENV, given)
    path = tmp_path / "s.db"
    sid = _record(path, scar, 1)
    assert [e.author for e in open_store(path).events(sid)] == [recorded]


@pytest.mark.parametrize(("remote", "named", "author"), [
    ("127.0.0.1", "nurse.jones", "nurse.jones"),
    ("::1", "nurse.jones", "nurse.jones"),
    ("10.0.0.7", "nurse.jones", authors.UNNAMED),  # not the proxy: a browser can say anything
    ("127.0.0.1", None, authors.UNNAMED),  # no header: nobody named
    ("127.0.0.1", "   ", authors.UNNAMED),
    (None, "nurse.jones", authors.UNNAMED),
])
def test_the_proxys_header_is_trusted_only_from_the_loopback(remote, named, author):
    assert visit_author(remote, named) == author


def test_the_audit_export_shows_each_events_author_and_an_import_keeps_it(tmp_path, scar,
                                                                         monkeypatch):
    monkeypatch.setenv(authors.ENV, "nurse A")
    old = tmp_path / "old.db"
    sid = _record(old, scar)
    store = open_store(old)
    store.append(sid, Event("edit", "nikolsky", None, "unknown", author="nurse B"))
    store.close()
    exported = subprocess.run([sys.executable, "-m", "triage", "export", sid, "--store",
                               str(old), "--format", "events"],
                              capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [e["author"] for e in lines[1:]] == ["nurse A"] * 3 + ["nurse B"]
    (tmp_path / "s.events.jsonl").write_text(exported.stdout)
    new = tmp_path / "new.db"
    done = subprocess.run([sys.executable, "-m", "triage", "import",
                           str(tmp_path / "s.events.jsonl"), "--store", str(new)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    moved = open_store(new)
    (session,) = moved.sessions()
    assert [e.author for e in moved.events(session.id)] == ["nurse A"] * 3 + ["nurse B"]


def test_an_old_stores_events_have_no_author_and_say_so_when_exported(tmp_path):
    """A store of schema 2 (before authors): read as it is, each event's author none;
    opened for writing, it gains the column and keeps its old events as they were."""
    import sqlite3

    path = tmp_path / "s.db"
    store = open_store(path)
    sid = store.create(dt.date(2026, 12, 1), ("scar", "1.7", "h"))
    store.append(sid, Event("answer", "q", None, "no"))
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("ALTER TABLE events DROP COLUMN author")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    db.close()
    reading = open_store(path, create=False, read_only=True)
    assert [e.author for e in reading.events(sid)] == [None]
    reading.close()
    writing = open_store(path)
    writing.append(sid, Event("answer", "q2", None, "yes", author="nurse C"))
    assert [e.author for e in writing.events(sid)] == [None, "nurse C"]
    assert writing.events(sid)[0].as_json().get("author") is None  # not invented
