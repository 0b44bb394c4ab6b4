"""The session store's contract, run on both backends (issue 22 §4): SQLite (a file) and
PostgreSQL (a real server: `.ci/run` starts one from Debian's packages and sets
TRIAGE_TEST_POSTGRES; without it the PostgreSQL half is skipped and says why).

Each test goes through `open_store` and the store's public methods; where a test needs a
state no method makes (a lease gone stale, a session's times), `_sql` writes it in the
backend's own dialect. What only SQLite has (file modes, WAL, damaged files, result
codes) stays in tests/test_store.py.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, record_transcript
from triage import transcript
from triage.render import render
from triage.session import engine_from_events
from triage.store import (
    SCHEMA_VERSION,
    Event,
    Location,
    MissingStore,
    SessionStore,
    StoreError,
    open_store,
    shown,
)
from triage.summary import summarize_interview

TODAY = dt.date(2026, 11, 25)
SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """Where a fresh, empty store goes: a file, or a database of its own on the server
    (tests/conftest.py)."""
    if request.param == "sqlite":
        yield tmp_path / "s.db"
        return
    yield request.getfixturevalue("postgres_database")


@pytest.fixture
def store(where: Location) -> Any:
    opened = open_store(where)
    yield opened
    opened.close()


def _sql(where: Location, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Write a state no method makes, in the backend's dialect (`?` placeholders)."""
    if isinstance(where, Path):
        import sqlite3

        with sqlite3.connect(where) as db:
            db.execute(statement, params)
        return
    import psycopg

    with psycopg.connect(where, autocommit=True) as db:
        db.execute(statement.replace("?", "%s").replace(" leading", ' "leading"'), params)


def _ref(scar: Any) -> tuple[str, str, str]:
    return (scar.id, scar.version, scar.hash)


def _record_seed(store: SessionStore, scar: Any, count: int | None = None) -> str:
    script, _ = transcript.load(SEED)
    sid = store.create(script.today, _ref(scar), patient_ref="AB")
    for e in script.answers[:count]:
        store.append(sid, Event("answer", e.q, e.repeat, e.value, e.unit))
    return sid


def test_events_are_numbered_timed_and_read_back_in_order(store, scar):
    sid = store.create(TODAY, _ref(scar))
    store.append(sid, Event("answer", "detachment_any", None, "no"))
    store.append(sid, Event("edit", "detachment_any", None, "yes", previous="no"))
    store.append(sid, Event("back", "detachment_any", None, previous="yes", author="nurse A"))
    events = store.events(sid)
    assert [(e.seq, e.kind, e.value, e.previous, e.author) for e in events] == [
        (1, "answer", "no", None, None), (2, "edit", "yes", "no", None),
        (3, "back", None, "yes", "nurse A")]
    assert all(e.at_utc.endswith("Z") and e.dialog_version == scar.version for e in events)
    with pytest.raises(StoreError, match="no session nosuchid00"):
        store.append("nosuchid00", Event("answer", "q", None, "x"))


def test_a_session_replays_from_its_events_to_the_transcripts_summary(store, scar):
    sid = _record_seed(store, scar)
    session = store.find(sid[:4])
    assert (session.patient_ref, session.today, session.dialog_hash) == (
        "AB", transcript.load(SEED)[0].today, scar.hash)
    engine = engine_from_events(scar, session, store.events(sid), "t")
    script, doc = transcript.load(SEED)
    expected = summarize_interview(transcript.replay(script, scar, "t", doc))
    for fmt in ("json", "md", "text"):
        assert render([("t", summarize_interview(engine))], fmt) == render(
            [("t", expected)], fmt)
    assert transcript.dumps(transcript.from_engine(engine)) == SEED.read_text()


def test_four_visits_are_kept_in_order_and_replay_to_the_same_summary(store, scar):
    """Issue 22 §1 on both backends: the presentation day and three visits (one a quick
    visit for SCORTEN), each follow_up event with its day and score, read back in order."""
    four = ROOT / "examples" / "sjs-ten-four-visits.transcript.yaml"
    script, doc = transcript.load(four)
    sid = record_transcript(store, scar, four, author="nurse B")
    events = store.events(sid)
    assert [(e.question, e.value, e.author) for e in events if e.kind == "follow_up"] == [
        ("scorten", "2026-11-27", "nurse B"), (None, "2026-12-08", "nurse B"),
        (None, "2027-01-20", "nurse B")]
    engine = engine_from_events(scar, store.find(sid), events, "t")
    assert len(summarize_interview(engine)["visits"]) == 4
    assert summarize_interview(engine) == summarize_interview(
        transcript.replay(script, scar, "t", doc))
    assert transcript.dumps(transcript.from_engine(engine)) == four.read_text()


def _insert_session(where: Location, sid: str, updated: str, patient: str | None = None,
                    status: str = "open") -> None:
    _sql(where, "INSERT INTO sessions (id, started_utc, updated_utc, today, dialog_id, "
         "dialog_version, dialog_hash, patient_ref, status) VALUES (?, ?, ?, ?, 'scar', "
         "'1.7', 'h', ?, ?)", (sid, updated, updated, updated[:10], patient, status))


def test_ids_are_found_by_prefix_and_ambiguity_is_said(where, store, scar):
    ids = [store.create(TODAY, _ref(scar)) for _ in range(3)]
    assert len(set(ids)) == 3 and all(len(i) == 10 for i in ids)
    assert store.find(ids[0]).id == ids[0]
    for sid in ("abc0000001", "abc0000002"):
        _insert_session(where, sid, "2026-11-25T10:00:00Z")
    with pytest.raises(StoreError, match=r"several sessions \(abc0000001, abc0000002\)"):
        store.find("abc")
    assert store.find("abc0000002").id == "abc0000002"
    with pytest.raises(StoreError, match="no session 'a_c%'"):  # wildcards are text
        store.find("a_c%")
    with pytest.raises(StoreError, match="no session ''"):
        store.find("")


def test_sessions_are_found_by_patient_status_and_day(where, store):
    _insert_session(where, "a" * 10, "2026-12-01T09:00:00Z", "AB12", "finished")
    _insert_session(where, "b" * 10, "2026-12-02T09:00:00Z", "cd_34%")
    _insert_session(where, "c" * 10, "2026-12-03T23:59:00Z", None, "followed up")

    def ids(**filters: Any) -> list[str]:
        return [s.id[0] for s in store.sessions(**filters)]

    assert ids() == ["c", "b", "a"] and ids(limit=2) == ["c", "b"]
    assert ids(patient="ab1") == ["a"]  # any case, a part
    assert ids(patient="_34%") == ["b"]  # LIKE's wildcards are text
    assert ids(patient="%") == ["b"] and ids(patient="x") == []
    assert ids(status="followed up") == ["c"]
    assert ids(since=dt.date(2026, 12, 2)) == ["c", "b"]
    assert ids(until=dt.date(2026, 12, 3)) == ["c", "b", "a"]  # the whole last day
    assert ids(since=dt.date(2026, 12, 2), until=dt.date(2026, 12, 2)) == ["b"]


def test_the_listing_is_updated_and_only_its_own_fields(store, scar):
    sid = store.create(TODAY, _ref(scar), patient_ref="EF56")
    store.set_listing(sid, {"level": "urgent", "leading": "AGEP", "answers": 39,
                            "status": "finished"})
    (s,) = store.sessions()
    assert (s.level, s.leading, s.answers, s.status, s.patient_ref) == (
        "urgent", "AGEP", 39, "finished", "EF56")
    with pytest.raises(ValueError, match="not a listed field"):
        store.set_listing(sid, {"patient_ref": "x"})


def test_delete_removes_the_session_and_its_events(store, scar):
    sid = _record_seed(store, scar, 5)
    assert store.delete(sid) == 5
    assert store.sessions() == [] and store.events(sid) == []


def test_a_session_is_held_by_one_window_and_a_crashed_holders_lease_runs_out(
    where, store, scar
):
    import socket

    sid = _record_seed(store, scar, 3)
    assert store.claim(sid, "window A") is None
    held = store.claim(sid, "window B")
    assert held is not None and held.startswith(
        f"process {os.getpid()} on {socket.gethostname()}, since 20")
    assert store.claim(sid, "window A") is None  # its own again: still held
    assert store.renew(sid, "window A") and not store.renew(sid, "window B")
    _sql(where, "UPDATE leases SET renewed_utc = '2000-01-01T00:00:00Z'")
    assert store.claim(sid, "window B") is None  # a crashed holder's lease ran out
    assert not store.renew(sid, "window A")
    store.release(sid, "window B")
    assert store.claim(sid, "window C") is None


def test_a_session_recorded_elsewhere_is_added_whole_or_not_at_all(store, scar):
    script, _ = transcript.load(SEED)
    events = [Event("answer", e.q, e.repeat, e.value, e.unit, at_utc=f"2026-11-25T10:00:{i:02}Z",
                    seq=i + 1, dialog_version=scar.version, author=f"nurse {i % 2}")
              for i, e in enumerate(script.answers[:6])]
    with pytest.raises(StoreError):  # the same number twice: all of it refused
        store.add_session(TODAY, _ref(scar), "GH", [*events, events[0]])
    assert store.sessions() == []
    sid = store.add_session(TODAY, _ref(scar), "GH", events[:4], dialog_text="{}")
    (s,) = store.sessions()
    assert (s.id, s.started_utc, s.updated_utc) == (sid, events[0].at_utc, events[3].at_utc)
    # A fallback file of the same session is recognised, and completes it.
    assert store.match(TODAY, _ref(scar), events) == (sid, 4)
    assert store.match(TODAY, (scar.id, scar.version, "sha256:other"), events) is None
    store.add_events(sid, events[4:])
    assert store.events(sid) == events
    assert store.sessions()[0].updated_utc == events[-1].at_utc


def test_a_dialog_is_kept_once_under_its_hash(store, scar):
    assert store.dialog_text(scar.hash) is None
    store.keep_dialog(_ref(scar), "the text")
    store.keep_dialog(_ref(scar), "another text")  # the first is kept
    assert store.dialog_text(scar.hash) == "the text"
    sid = store.create(TODAY, (scar.id, scar.version, "sha256:x"), dialog_text="x's text")
    assert store.find(sid).dialog_hash == "sha256:x" and store.dialog_text("sha256:x") == "x's text"


def test_writers_in_threads_with_their_own_handles_lose_nothing(where, store):
    """Three writers, each its own handle (as served visits are processes of their own),
    on sessions of their own and on one shared session: every event is kept and each
    session's numbers run 1..N without a gap or a repeat."""
    shared = store.create(TODAY, ("scar", "1.7", "h"))
    own: list[str] = []
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            mine = open_store(where)
            sid = mine.create(TODAY, ("scar", "1.7", "h"))
            for i in range(25):
                mine.append(sid, Event("answer", "q", None, str(i)))
                mine.append(shared, Event("answer", "q", None, f"{sid}-{i}"))
            own.append(sid)
            mine.close()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(len(store.events(s)) for s in own) == [25, 25, 25]
    numbers = [e.seq for e in store.events(shared)]
    assert numbers == list(range(1, 76))
    assert len({e.value for e in store.events(shared)}) == 75


def test_reading_an_empty_place_creates_nothing(where):
    with pytest.raises(MissingStore):
        open_store(where, create=False, read_only=True)
    with pytest.raises(MissingStore):
        open_store(where, create=False, read_only=True)  # still nothing there


def test_a_store_of_a_newer_schema_is_refused(where, store):
    store.close()
    _sql(where, "UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match=f"store schema {SCHEMA_VERSION + 1} is newer"):
        open_store(where)


def test_the_command_line_lists_exports_and_deletes_on_either_store(where, store, scar):
    sid = _record_seed(store, scar)
    env = {k: v for k, v in os.environ.items() if k != "TRIAGE_STORE"}

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "triage", *argv, "--store", str(where)],
                              capture_output=True, text=True, env=env, timeout=60)

    listed = cli("sessions", "--patient", "ab", "--json")
    assert listed.returncode == 0, listed.stderr
    assert f'"id": "{sid}"' in listed.stdout and '"patient": "AB"' in listed.stdout
    exported = cli("export", sid[:6], "--format", "transcript")
    assert exported.returncode == 0 and exported.stdout == SEED.read_text()
    refused = cli("delete", sid)  # no terminal to confirm on
    assert refused.returncode != 0 and store.find(sid).id == sid


def test_a_database_url_is_chosen_by_its_scheme_and_its_password_never_shown():
    from triage.serve import app_command
    from triage.store import location

    url = "postgresql://nurse:s3cret@db.example:5432/triage"
    assert location(url) == url and location("postgres://h/db") == "postgres://h/db"
    assert location("sessions.sqlite3") == Path("sessions.sqlite3")
    assert shown(url) == "postgresql://nurse:***@db.example:5432/triage"
    assert shown("postgresql://h/db") == "postgresql://h/db"
    # Each served visit finds the URL in TRIAGE_STORE, not on a command line that every
    # user of the host can read.
    assert "s3cret" not in app_command(url) and "--store" not in app_command(url)
    assert "--store" in app_command(Path("s.db"))


def test_an_unreachable_database_is_one_line_without_its_password(tmp_path):
    import socket

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://nurse:s3cret@127.0.0.1:{port}/triage"
    done = subprocess.run([sys.executable, "-m", "triage", "sessions", "--store", url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "s3cret" not in done.stderr + done.stdout
    assert done.stderr.startswith(f"session store postgresql://nurse:***@127.0.0.1:{port}"
                                  "/triage: cannot use the database: ")
    assert "Connection refused" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_sessions_move_from_sqlite_to_postgresql_by_export_and_import(tmp_path, scar,
                                                                     postgres_database):
    """docs/deploying.md: each session exported with its events and imported into the new
    store keeps its events' times and numbers (and gets a new id)."""
    old = tmp_path / "old.sqlite3"
    store = open_store(old)
    sid = _record_seed(store, scar, 7)
    store.close()

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "triage", *argv], capture_output=True,
                              text=True, timeout=60)

    events = cli("export", sid, "--store", str(old), "--format", "events")
    (tmp_path / "s.events.jsonl").write_text(events.stdout)
    done = cli("import", str(tmp_path / "s.events.jsonl"), "--store", postgres_database)
    assert done.returncode == 0, done.stderr
    assert "7 events, 7 answers" in done.stdout
    moved = open_store(postgres_database, create=False)
    (session,) = moved.sessions()
    assert session.patient_ref == "AB" and session.id != sid
    source = open_store(old)
    kept = [(e.seq, e.at_utc, e.question, e.value) for e in source.events(sid)]
    assert [(e.seq, e.at_utc, e.question, e.value) for e in moved.events(session.id)] == kept
    source.close()
    moved.close()


def test_a_database_that_goes_away_is_one_store_error_and_nothing_on_the_screen(
    postgres_url, postgres_database
):
    """Mid-interview the database refuses connections (a failover, a stopped server): the
    next answer fails as one StoreError (the recorder then writes the fallback file), and
    the pool's reconnection warnings never reach stderr, which is the assistant's screen."""
    name = postgres_database.rsplit("/", 1)[1]
    code = f"""
import datetime as dt, psycopg
from triage.store import Event, StoreError, open_store
store = open_store({postgres_database!r})
sid = store.create(dt.date(2026, 12, 5), ("scar", "1.7", "h"))
store.append(sid, Event("answer", "q", None, "1"))
with psycopg.connect({postgres_url!r}, autocommit=True) as admin:
    admin.execute('ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE datname = %s", ({name!r},))
try:
    store.append(sid, Event("answer", "q", None, "2"))
except StoreError as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as admin:  # to be dropped
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert done.stderr == ""
    assert done.stdout.startswith(f"session store {postgres_database}: cannot use the "
                                  "database: ")
    assert len(done.stdout.strip().splitlines()) == 1


def test_a_store_of_schema_2_is_read_as_it_is_and_migrated_when_written(where, store):
    """Schema 3 added each event's author. A store of schema 2 read by a read command
    stays as it is (its events have no author); opened for writing, it gains the column
    under the tool's own migration and keeps its old events as they were."""
    sid = store.create(TODAY, ("scar", "1.7", "h"))
    store.append(sid, Event("answer", "q", None, "no"))
    store.close()
    _sql(where, "ALTER TABLE events DROP COLUMN author")
    _sql(where, "UPDATE meta SET value = '2' WHERE key = 'schema'")
    reading = open_store(where, create=False, read_only=True)
    assert [(e.value, e.author) for e in reading.events(sid)] == [("no", None)]
    reading.close()
    # Opened to write an existing store (resume, follow-up, import: create=False).
    writing = open_store(where, create=False)
    writing.append(sid, Event("answer", "q2", None, "yes", author="nurse C"))
    assert [(e.value, e.author) for e in writing.events(sid)] == [("no", None),
                                                                  ("yes", "nurse C")]
    writing.close()
    again = open_store(where, create=False, read_only=True)  # read as migrated
    assert again.events(sid)[-1].author == "nurse C"
    again.close()


def test_after_the_first_start_a_role_that_only_reads_and_writes_rows_is_enough(
    postgres_url, postgres_database
):
    """docs/deploying.md: the role needs to create tables only the first time. A store
    up to date is opened without any DDL (PostgreSQL checks the schema's CREATE privilege
    even for CREATE TABLE IF NOT EXISTS)."""
    import psycopg

    open_store(postgres_database).close()  # the first start, as the owner
    name = postgres_database.rsplit("/", 1)[1]
    role = f"{name}_clerk"
    with psycopg.connect(postgres_database, autocommit=True) as db:
        db.execute(f'CREATE ROLE "{role}" LOGIN')
        db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        db.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public '
                   f'TO "{role}"')
    clerk = postgres_database.replace("//triage@", f"//{role}@", 1)
    try:
        store = open_store(clerk)
        sid = store.create(TODAY, ("scar", "1.7", "h"), "AB12")
        store.append(sid, Event("answer", "q", None, "no"))
        assert store.claim(sid, "w") is None and [e.seq for e in store.events(sid)] == [1]
        store.close()
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_a_url_libpq_cannot_read_is_refused_without_quoting_its_password(postgres_url):
    for url in ("postgresql://triage:s3cret pw@127.0.0.1:1/db",
                "postgresql://triage:s3cr%zzet@127.0.0.1:1/db",
                "postgresql://127.0.0.1:1/db?password=s3cret&user=nobody"):
        done = subprocess.run([sys.executable, "-m", "triage", "sessions", "--store", url],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0 and "s3cr" not in done.stdout + done.stderr, url
        assert len(done.stderr.strip().splitlines()) == 1
