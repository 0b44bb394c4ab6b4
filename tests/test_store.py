"""The session store (issue 6): events saved at once, sessions derived from them, nothing
lost when the store fails or the process is killed."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT
from triage import transcript
from triage.dialog.engine import Engine
from triage.render import render
from triage.session import Recorder, engine_from_events, header_of
from triage.store import Event, Store, StoreError, _explain
from triage.summary import summarize_interview

TODAY = dt.date(2026, 11, 25)
SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


def _ref(scar) -> tuple[str, str, str]:
    return (scar.id, scar.version, scar.hash)


def _record_seed(store: Store, scar, count: int | None = None) -> str:
    """The seed transcript's answers recorded as a session's events, one by one."""
    script, _ = transcript.load(SEED)
    sid = store.create(script.today, _ref(scar), patient_ref="AB")
    for e in script.answers[:count]:
        store.append(sid, Event("answer", e.q, e.repeat, e.value, e.unit))
    return sid


def test_a_new_store_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "new" / "sessions.sqlite3"
    store = Store(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_events_are_numbered_timed_and_read_back_in_order(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    sid = store.create(TODAY, _ref(scar))
    store.append(sid, Event("answer", "detachment_any", None, "no"))
    store.append(sid, Event("edit", "detachment_any", None, "yes", previous="no"))
    store.append(sid, Event("back", "detachment_any", None, previous="yes"))
    events = store.events(sid)
    assert [(e.seq, e.kind, e.value, e.previous) for e in events] == [
        (1, "answer", "no", None), (2, "edit", "yes", "no"), (3, "back", None, "yes")]
    assert all(e.at_utc.endswith("Z") and e.dialog_version == scar.version for e in events)


def test_a_session_replays_from_its_events_to_the_transcripts_summary(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    sid = _record_seed(store, scar)
    session = store.find(sid[:4])
    engine = engine_from_events(scar, session, store.events(sid), "t")
    script, doc = transcript.load(SEED)
    expected = summarize_interview(transcript.replay(script, scar, "t", doc))
    got = summarize_interview(engine)
    # 10: the neutrophils, which could not change its category, were left out (issue 21)
    assert got["scores"]["eurosar_agep"]["total"] == 10
    for fmt in ("json", "md", "text"):
        assert render([("t", got)], fmt) == render([("t", expected)], fmt)
    # and its transcript is the transcript it was typed from
    assert transcript.dumps(transcript.from_engine(engine)) == SEED.read_text()


def test_edits_back_and_removals_replay_as_they_happened(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    sid = store.create(TODAY, _ref(scar))
    for kind, q, value in [("answer", "detachment_any", "unknown"), ("answer", "nikolsky", "yes"),
                           ("edit", "nikolsky", "no"), ("answer", "blisters", "no"),
                           ("back", None, None)]:
        store.append(sid, Event(kind, q, None, value))
    engine = engine_from_events(scar, store.find(sid), store.events(sid), "t")
    assert [(a.question, a.raw) for a in engine.answers] == [
        ("detachment_any", "unknown"), ("nikolsky", "no")]


def test_an_event_that_no_longer_fits_is_named(tmp_path, scar):
    from triage.errors import InputError

    store = Store(tmp_path / "s.db")
    sid = store.create(TODAY, _ref(scar))
    store.append(sid, Event("answer", "heart_rate", None, "400"))  # outside 20-300
    with pytest.raises(InputError, match=r"event 1 \(answer heart_rate\)"):
        engine_from_events(scar, store.find(sid), store.events(sid), "t")


def test_another_dialog_version_is_refused(tmp_path, scar):
    from triage.errors import InputError

    store = Store(tmp_path / "s.db")
    sid = store.create(TODAY, (scar.id, scar.version, "sha256:0000"))
    with pytest.raises(InputError, match="recorded with dialog scar"):
        engine_from_events(scar, store.find(sid), [], "t")


def test_ids_are_found_by_prefix_and_ambiguity_is_said(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    ids = [store.create(TODAY, _ref(scar)) for _ in range(3)]
    assert len(set(ids)) == 3 and all(len(i) == 10 for i in ids)
    assert store.find(ids[0]).id == ids[0]
    with store._write() as db:
        for sid in ("abc0000001", "abc0000002"):
            db.execute("INSERT INTO sessions (id, started_utc, updated_utc, today, dialog_id, "
                       "dialog_version, dialog_hash) VALUES (?, '', '', '2026-11-25', 's', "
                       "'1', 'h')", (sid,))
    with pytest.raises(StoreError, match=r"several sessions \(abc0000001, abc0000002\)"):
        store.find("abc")
    assert store.find("abc0000002").id == "abc0000002"
    # LIKE's wildcards in a prefix are literal characters, not patterns.
    with pytest.raises(StoreError, match="no session 'a_c%'"):
        store.find("a_c%")


def test_delete_removes_the_session_and_its_events(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    sid = _record_seed(store, scar, 5)
    assert store.delete(sid) == 5
    assert store.sessions() == [] and store.events(sid) == []


def test_a_folder_given_as_the_store_is_said_to_be_one(tmp_path):
    # --store or TRIAGE_STORE naming a folder: sqlite says only "unable to open".
    with pytest.raises(StoreError) as caught:
        Store(tmp_path)
    assert str(caught.value) == (f"session store {tmp_path}: is a folder; the store is a file "
                                 f"(e.g. {tmp_path / 'sessions.sqlite3'})")


def test_a_corrupt_store_is_refused_in_one_sentence_and_left_as_it_is(tmp_path):
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a triage store or is damaged"):
        Store(path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def _sqlite_error(tmp_path, case: str) -> sqlite3.Error:
    """A real error from SQLite itself, as the store would meet it."""
    path = tmp_path / "s.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE t (x)")
    try:
        if case == "locked":  # another program mid-write; no waiting here
            db.execute("BEGIN EXCLUSIVE")
            sqlite3.connect(path, timeout=0, isolation_level=None).execute("BEGIN IMMEDIATE")
        elif case == "read-only":
            sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("INSERT INTO t VALUES (1)")
        elif case == "deleted while open":  # an extended code: SQLITE_READONLY_DBMOVED
            path.unlink()
            db.execute("INSERT INTO t VALUES (1)")
        elif case == "cannot open":
            sqlite3.connect(f"file:{tmp_path / 'none' / 'x.db'}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return exc
    raise AssertionError(f"{case}: SQLite raised nothing")


@pytest.mark.parametrize(("case", "why"), [
    ("locked", "another program holds it locked"),
    ("read-only", "it cannot be written here (permissions, a full disk or a missing folder)"),
    ("deleted while open",
     "it cannot be written here (permissions, a full disk or a missing folder)"),
    ("cannot open", "it cannot be written here (permissions, a full disk or a missing folder)"),
])
def test_sqlite_failures_are_told_by_their_result_code(tmp_path, case, why):
    exc = _sqlite_error(tmp_path, case)
    assert str(_explain(tmp_path / "s.db", exc)) == f"session store {tmp_path / 's.db'}: {why}"


def test_a_failure_without_a_result_code_is_told_in_its_own_words(tmp_path):
    # The store's own refusals (no WAL, a newer schema) carry no SQLite code.
    exc = sqlite3.OperationalError("cannot use WAL mode (got delete)")
    assert str(_explain(tmp_path / "s.db", exc)) == (
        f"session store {tmp_path / 's.db'}: cannot use WAL mode (got delete)")


def test_a_failure_with_a_code_it_does_not_know_keeps_sqlites_words(tmp_path):
    db = sqlite3.connect(tmp_path / "s.db")
    db.execute("CREATE TABLE t (x UNIQUE)")
    db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as caught:  # SQLITE_CONSTRAINT_UNIQUE
        db.execute("INSERT INTO t VALUES (1)")
    assert str(_explain(tmp_path / "s.db", caught.value)).endswith(
        ": UNIQUE constraint failed: t.x")


def test_an_unwritable_folder_is_said(tmp_path):
    # A path under a regular file cannot be created by anyone, root included (CI is root).
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="session store"):
        Store(tmp_path / "file" / "s.db")


def test_a_failing_store_sends_every_answer_to_a_named_fallback_file(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    engine = Engine(scar, TODAY)
    sid = store.create(TODAY, _ref(scar))
    said: list[str] = []
    recorder = Recorder(store, sid, scar.version, header_of(engine, None), said.append,
                        fallback_dir=tmp_path)
    recorder.record(Event("answer", "detachment_any", None, "no"))
    store._db.close()  # the store goes away mid-session
    recorder.record(Event("answer", "nikolsky", None, "no"))
    recorder.record(Event("answer", "blisters", None, "no"))
    assert recorder.fallback is not None and str(recorder.fallback.path) in said[0]
    lines = [json.loads(x) for x in recorder.fallback.path.read_text().splitlines()]
    assert lines[0]["schema"] == "triage.events/1" and lines[0]["dialog"]["hash"] == scar.hash
    assert [x["question"] for x in lines[1:]] == ["detachment_any", "nikolsky", "blisters"]
    assert stat.S_IMODE(recorder.fallback.path.stat().st_mode) == 0o600


def test_a_store_that_cannot_open_names_its_fallback_at_the_start(tmp_path, scar):
    (tmp_path / "s.db").write_bytes(b"garbage" * 200)
    engine = Engine(scar, TODAY)
    said: list[str] = []
    recorder = Recorder.start(tmp_path / "s.db", engine, fallback_dir=tmp_path)
    recorder.warn = said.append
    recorder.begin()
    assert "not a triage store" in said[0] and "saved to" in said[0]
    recorder.record(Event("answer", "detachment_any", None, "no"))
    assert "detachment_any" in recorder.fallback.path.read_text()


def test_two_processes_writing_different_sessions_lose_nothing(tmp_path, scar):
    path = tmp_path / "s.db"
    Store(path)
    code = textwrap.dedent(f"""
        import datetime as dt, sys
        from triage.store import Event, Store
        store = Store(__import__("pathlib").Path({str(path)!r}))
        sid = store.create(dt.date(2026, 11, 25), ("scar", "1.0", "h"))
        for i in range(150):
            store.append(sid, Event("answer", f"q{{i}}", None, str(i)))
        print(sid)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT) for _ in range(2)]
    ids = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    store = Store(path)
    for sid in ids:
        assert [e.seq for e in store.events(sid)] == list(range(1, 151))


def test_a_process_killed_mid_write_keeps_every_committed_answer(tmp_path, scar):
    """Killed with SIGKILL while it writes answers as fast as it can: the store opens, and
    its events are exactly 1..n with nothing torn."""
    import signal
    import time

    path = tmp_path / "s.db"
    code = textwrap.dedent(f"""
        import datetime as dt, sys
        from triage.store import Event, Store
        store = Store(__import__("pathlib").Path({str(path)!r}))
        sid = store.create(dt.date(2026, 11, 25), ("scar", "1.0", "h"))
        print(sid, flush=True)
        i = 0
        while True:
            i += 1
            store.append(sid, Event("answer", "q", None, str(i)))
            print(i, flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    sid = proc.stdout.readline().strip()
    acknowledged = 0
    deadline = time.monotonic() + 30
    while acknowledged < 50 and time.monotonic() < deadline:
        acknowledged = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    events = Store(path).events(sid)
    values = [int(e.value) for e in events]
    # Every answer it said was saved is there; at most the one in flight beyond it.
    assert values == list(range(1, len(values) + 1))
    assert len(values) >= acknowledged


def test_ten_thousand_sessions_are_listed_quickly(tmp_path):
    import time

    store = Store(tmp_path / "s.db")
    rows = [(f"{i:010x}", "2026-11-25T10:00:00Z", f"2026-11-25T{i % 24:02}:00:00Z",
             "2026-11-25", "scar", "1.0", "h", None, "open", "urgent", "AGEP", 3)
            for i in range(10_000)]
    with store._write() as db:
        db.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    start = time.perf_counter()
    listed = store.sessions()
    # A generous bound for a loaded CI machine: the point is no per-session replay.
    assert len(listed) == 10_000 and time.perf_counter() - start < 1.0
    assert listed[0].updated_utc == "2026-11-25T23:00:00Z"


async def test_the_assistant_saves_each_answer_and_a_resumed_session_goes_on(tmp_path, scar):
    """Every accepted change is an event the moment it happens; the session resumes at its
    next question with the conversation so far, and recording goes on in the same session."""
    from triage.ui.app import make_app
    from triage.ui.replay import type_answer

    path = tmp_path / "s.db"
    engine = Engine(scar, TODAY)
    recorder = Recorder.start(path, engine)
    app = make_app(engine=engine, recorder=recorder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+n")  # detachment unknown: the Nikolsky sign is asked
        await pilot.pause()
        await type_answer(pilot, "1")  # Nikolsky positive: an emergency
        await pilot.press("ctrl+z")
        await pilot.pause()
        await type_answer(pilot, "2")
        await pilot.press("ctrl+n")
        await pilot.pause()
    store = Store(path)
    (session,) = store.sessions()
    assert [(e.kind, e.question, e.value) for e in store.events(session.id)] == [
        ("answer", "detachment_any", "unknown"), ("answer", "nikolsky", "yes"),
        ("back", "nikolsky", None), ("answer", "nikolsky", "no"),
        ("answer", "blisters", "unknown")]
    assert session.level == "routine" and session.answers == 3 and session.status == "open"

    resumed = engine_from_events(scar, session, store.events(session.id), "t")
    app = make_app(engine=resumed, recorder=Recorder(store, session.id, scar.version,
                                                    header_of(resumed, None)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.engine.current().question.id == "atypical_targets"
        await type_answer(pilot, "2")
    assert store.events(session.id)[-1].question == "atypical_targets"


def _cli(*args: str, store) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_STORE=str(store), SOURCE_DATE_EPOCH="1795608000")
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_sessions_export_and_delete_from_the_command_line(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = _record_seed(Store(path), scar)
    listed = _cli("sessions", store=path)
    assert listed.returncode == 0 and sid in listed.stdout
    as_json = json.loads(_cli("sessions", "--json", store=path).stdout)
    assert as_json["id"] == sid and as_json["patient"] == "AB"  # issue 22 §2
    assert " AB " in listed.stdout.splitlines()[1]

    exported = _cli("export", sid[:6], "--format", "transcript", store=path)
    assert exported.returncode == 0 and exported.stdout == SEED.read_text()
    text = _cli("export", sid, "--format", "text", store=path).stdout
    assert "EuroSCAR" in text and "(patient AB)" in text
    assert "AB" not in _cli("export", sid, "--format", "text", "--no-patient",
                            store=path).stdout
    events = _cli("export", sid, "--format", "events", store=path).stdout.splitlines()
    answers = len(transcript.load(SEED)[0].answers)
    assert json.loads(events[0])["session"] == sid and len(events) == 1 + answers

    refused = _cli("delete", sid, store=path)  # no terminal to confirm on
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert _cli("delete", sid, "--yes", store=path).returncode == 0
    assert "no sessions yet" in _cli("sessions", store=path).stdout
    missing = _cli("export", sid, store=path)
    assert missing.returncode == 2 and f"no session {sid!r}" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_corrupt_store_on_the_command_line_is_one_line(tmp_path):
    path = tmp_path / "s.db"
    path.write_bytes(b"garbage" * 300)
    done = _cli("sessions", store=path)
    assert done.returncode == 2 and "not a triage store" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_export_to_a_file_is_private_and_never_overwrites(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = _record_seed(Store(path), scar)
    out = tmp_path / "case.md"
    done = _cli("export", sid, "--format", "md", "-o", str(out), store=path)
    assert done.returncode == 0 and done.stdout.strip() == f"wrote {out} (md, session {sid})"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "EuroSCAR" in out.read_text()
    before = out.read_bytes()
    again = _cli("export", sid, "--format", "text", "-o", str(out), store=path)
    assert again.returncode == 2
    assert again.stderr.strip() == f"triage export: {out} exists; nothing is overwritten"
    assert out.read_bytes() == before


def test_read_commands_never_create_a_store(tmp_path):
    path = tmp_path / "typo" / "sesions.db"
    listed = _cli("sessions", store=path)
    assert listed.returncode == 0
    assert listed.stdout.strip() == f"no sessions yet (no store at {path})"
    for command in (("export", "abc"), ("resume", "abc"), ("delete", "abc", "--yes")):
        done = _cli(*command, store=path)
        assert done.returncode == 2, command
        assert done.stderr.strip() == f"no session store at {path}", command
    assert not path.exists() and not path.parent.exists()


# --- read commands read (issue 19 §4) ---------------------------------------------------

def _triage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("command", [("sessions",), ("export", "x"), ("delete", "x", "--yes")])
def test_another_programs_database_is_refused_and_left_untouched(tmp_path, command):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    before = other.read_bytes()
    done = _triage(*command, "--store", str(other))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == f"session store {other}: is not a triage session store; left untouched\n"
    assert other.read_bytes() == before  # no tables added, not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_listing_and_exporting_write_nothing_to_the_store(tmp_path, scar):
    path = tmp_path / "s.db"
    store = Store(path)
    sid = _record_seed(store, scar)
    store.close()
    for extra in path.parent.glob("s.db-*"):  # checkpointed and closed: the file is whole
        extra.unlink()
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    listed = _triage("sessions", "--store", str(path))
    exported = _triage("export", sid[:6], "--format", "events", "--store", str(path))
    assert listed.returncode == 0 and sid[:6] in listed.stdout
    assert exported.returncode == 0 and exported.stdout.count('"kind": "answer"') > 20
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_schema_value_that_is_not_a_version_is_a_clean_refusal(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = 'two' WHERE key = 'schema'")
    db.commit()
    db.close()
    for read_only in (True, False):
        with pytest.raises(StoreError) as caught:
            Store(path, create=False, read_only=read_only)
        assert "has a schema value 'two' that is not a version" in str(caught.value)


def test_a_session_is_made_at_the_first_answer_not_at_the_start(tmp_path, scar):
    path = tmp_path / "s.db"
    recorder = Recorder.start(path, Engine(scar, TODAY))
    recorder.begin()
    assert Store(path).sessions() == []  # a visit that answers nothing leaves nothing
    assert recorder.where == f"{path} (a session is made at the first answer)"
    recorder.record(Event("answer", "detachment_any", None, "no"))
    store = Store(path)
    [session] = store.sessions()
    assert recorder.where == f"session {session.id} in {path}"
    assert [e.question for e in store.events(session.id)] == ["detachment_any"]
    # and held by this window until it closes
    assert store.claim(session.id, "another window") is not None
    recorder.release()
    assert store.claim(session.id, "another window") is None


# --- one writer per session (issue 19 §2) -----------------------------------------------

def test_a_session_is_held_by_one_window_and_a_crashed_holders_lease_runs_out(tmp_path, scar):
    import socket

    store = Store(tmp_path / "s.db")
    sid = _record_seed(store, scar, 3)
    assert store.claim(sid, "window A") is None
    held = store.claim(sid, "window B")
    assert held is not None and held.startswith(f"process {os.getpid()} on "
                                                f"{socket.gethostname()}, since 20")
    assert store.claim(sid, "window A") is None  # its own again: still held
    assert store.renew(sid, "window A") and not store.renew(sid, "window B")
    # A holder that stopped renewing (killed) keeps the session only LEASE_SECONDS.
    with store._write() as db:
        db.execute("UPDATE leases SET renewed_utc = '2000-01-01T00:00:00Z'")
    assert store.claim(sid, "window B") is None
    assert not store.renew(sid, "window A")
    store.release(sid, "window B")
    assert store.claim(sid, "window C") is None


def test_resume_and_followup_refuse_a_session_open_in_another_window(tmp_path, scar):
    path = tmp_path / "s.db"
    store = Store(path)
    sid = _record_seed(store, scar)
    assert store.claim(sid, "the other window") is None
    for command in ("resume", "followup"):
        done = _triage(command, sid, "--store", str(path))
        assert done.returncode == 2
        assert done.stderr.startswith(f"triage {command}: session {sid} is open in another "
                                      f"window (process {os.getpid()} on ")
        assert f"Meanwhile `triage export {sid}` reads it without changing it." in done.stderr
    assert _triage("export", sid, "--store", str(path)).returncode == 0
    assert len(store.events(sid)) == len(transcript.load(SEED)[0].answers)  # nothing added


# --- a full disk leaves no hole and no empty file (issue 19 §3) -------------------------

def test_a_full_disk_leaves_no_hole_and_no_empty_file(tmp_path, scar, monkeypatch):
    import errno

    from triage import events_file
    from triage import store as store_mod

    real_write = os.write
    full = {"on": True}

    def write(fd, data):
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(store_mod.os, "write", write)
    said: list[str] = []
    recorder = Recorder(None, None, scar.version, header_of(Engine(scar, TODAY), None),
                        warn=said.append, fallback_dir=tmp_path)
    recorder.problem = "the store is locked"
    answers = [("detachment_any", "no"), ("nikolsky", "no"), ("blisters", "no"),
               ("atypical_targets", "no"), ("mucosal_sites", "none"), ("skin_pain", "no")]
    for q, v in answers[:2]:  # the disk is full: nothing can be written anywhere
        recorder.record(Event("answer", q, None, v))
    assert list(tmp_path.iterdir()) == []  # no empty file per attempt
    assert "kept in memory and written, in order, as soon as a file can be" in said[-1]
    full["on"] = False  # space returns
    recorder.record(Event("answer", answers[2][0], None, answers[2][1]))
    full["on"] = True  # and runs out again, with the file open
    recorder.record(Event("answer", answers[3][0], None, answers[3][1]))
    recorder.record(Event("answer", answers[4][0], None, answers[4][1]))
    full["on"] = False
    recorder.record(Event("answer", answers[5][0], None, answers[5][1]))
    [path] = list(tmp_path.iterdir())
    read = events_file.read(path, "f")
    assert [(e.question, e.value) for e in read.events] == answers  # in order, no hole
    assert [e.seq for e in read.events] == [1, 2, 3, 4, 5, 6]


def test_a_resumed_sessions_fallback_holds_the_whole_session_with_its_own_times(
        tmp_path, scar):
    path = tmp_path / "s.db"
    store = Store(path)
    sid = _record_seed(store, scar, 5)
    stored = store.events(sid)
    session = store.sessions()[0]
    engine = engine_from_events(scar, session, stored, "t")
    recorder = Recorder(None, sid, scar.version, header_of(engine, "AB"),
                        fallback_dir=tmp_path, history=stored)
    recorder.problem = "the store is locked"
    recorder.record(Event("answer", "skin_pain", None, "no"))
    [fallback] = tmp_path.glob("triage-unsaved-*")
    done = _triage("import", str(fallback), "--store", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"completed session {sid} with the 1 events it lacked")
    assert [e.at_utc for e in store.events(sid)][:5] == [e.at_utc for e in stored]


def test_sessions_are_found_by_patient_and_status_from_the_command_line(tmp_path):
    """Issue 22 §2: `triage sessions --patient --status` (the store's filters themselves,
    on both backends, are in tests/test_store_contract.py)."""
    store = Store(tmp_path / "s.db")
    rows = [("a" * 10, "2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01",
             "scar", "1.7", "h", "AB12", "finished", "urgent", "AGEP", 40),
            ("b" * 10, "2026-12-02T08:00:00Z", "2026-12-02T09:00:00Z", "2026-12-02",
             "scar", "1.7", "h", "ab12", "open", None, None, 3)]
    with store._write() as db:
        db.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    listed = _cli("sessions", "--patient", "AB", "--status", "finished", store=store.path)
    assert listed.returncode == 0 and "a" * 10 in listed.stdout and "b" * 10 not in listed.stdout
    assert "no session matches" in _cli("sessions", "--patient", "zz", store=store.path).stdout
    bad = _cli("sessions", "--since", "yesterday", store=store.path)
    assert bad.returncode == 2 and "is not a day (YYYY-MM-DD)" in bad.stderr
