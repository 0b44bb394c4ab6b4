"""Sessions outlive the dialog they were recorded with (issue 19 §1): the store keeps every
dialog a session used, by hash; the event log is exported without any dialog; a session
recorded with an earlier dialog is carried over to the current one only when asked, with
what could not be carried said, and the carrying recorded as an event that replays."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, two_question_dialog
from triage import events_file, transcript
from triage.carry_over import carry_over
from triage.dialog.engine import Engine
from triage.dialog.library import Library, archived, key_of
from triage.dialog.loader import LoadedDialog, canonical_text, load_dialog, loads_dialog
from triage.errors import InputError
from triage.session import (
    Recorder,
    Recording,
    engine_from_events,
    header_of,
    migrate_event,
)
from triage.store import SCHEMA_VERSION, Event, Store
from triage.summary import summarize_interview

DRESS = ROOT / "examples" / "dress-carbamazepine.transcript.yaml"
SCAR_VERSION = load_dialog(ROOT / "dialogs" / "scar.yaml").version
ARCHIVE = ROOT / "dialogs" / "archive"


def _cli(*args: str, store: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_STORE=str(store))
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, input=stdin)


def _interview(dialog: LoadedDialog, path: Path = DRESS) -> tuple[Engine, list[Event]]:
    """The DRESS case answered in `dialog` by question id; a question the case does not
    answer is 'unknown' (or 'no' where unknown is not allowed)."""
    script, _ = transcript.load(path)
    given = {(a.q, a.repeat): a for a in script.answers}
    engine = Engine(dialog, script.today)
    events = []
    while (slot := engine.current()) is not None:
        a = given.get(slot.key)
        q = slot.question
        raw, unit = (a.value, a.unit) if a else (
            "unknown" if q.unknown_allowed else q.options[0].value if q.options else "no", None)
        assert engine.answer(raw, unit).accepted, slot.key
        events.append(Event("answer", slot.question.id, slot.repeat, raw, unit))
    return engine, events


def _record(store: Store, dialog: LoadedDialog, events: list[Event],
            keep_text: bool = True) -> str:
    sid = store.create(dt.date(2026, 11, 25), key_of(dialog), "AB",
                       canonical_text(dialog.dialog) if keep_text else None)
    for event in events:
        store.append(sid, Event(**{**event.__dict__, "dialog_version": dialog.version}))
    return sid


def _reopened_old(tmp_path: Path, scar: LoadedDialog, old: LoadedDialog):
    """A session recorded with scar 1.3, read back as `triage resume` reads it:
    (store, session, library, engine)."""
    store = Store(tmp_path / "s.db")
    _, events = _interview(old)
    session = store.find(_record(store, old, events))
    library = Library(scar, store)
    return store, session, library, engine_from_events(library, session,
                                                       store.events(session.id), "t")


@pytest.fixture(scope="module")
def old() -> LoadedDialog:
    return load_dialog(ARCHIVE / "scar-1.3.yaml")


def _variant(scar_text: str) -> LoadedDialog:
    """The current dialog, changed as an upgrade might change it: one question renamed,
    one range narrowed."""
    text = scar_text.replace("      - id: skin_pain\n", "      - id: skin_pain_now\n")
    text = text.replace("range: [0, 130]", "range: [40, 130]", 1)
    assert text != scar_text
    return loads_dialog(text, "variant")


# --- the store keeps dialogs ------------------------------------------------------------


def test_the_archive_holds_every_earlier_version_and_each_passes_check():
    versions = [load_dialog(p).version for p in archived()]
    assert versions == ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    for path in archived():
        done = subprocess.run([sys.executable, "-m", "triage", "check", str(path)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0 and " 0 errors" in done.stdout, done.stdout


def test_a_new_session_keeps_its_dialog_text_once(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    for _ in range(2):
        engine = Engine(scar, dt.date(2026, 11, 25))
        recorder = Recorder.start(store.path, engine)
        recorder.record(Event("answer", "detachment_any", None, "no"))
    db = sqlite3.connect(store.path)
    rows = db.execute("SELECT hash, id, version, text FROM dialogs").fetchall()
    assert [(h, i, v) for h, i, v, _ in rows] == [(scar.hash, "scar", scar.version)]
    assert loads_dialog(rows[0][3]).hash == scar.hash  # the text is the dialog itself


def test_after_an_upgrade_every_export_reads_the_session_with_its_own_dialog(tmp_path):
    """The issue's report: one word changed in a prompt locked every stored session."""
    scar_text = (ROOT / "dialogs" / "scar.yaml").read_text()
    before = loads_dialog(scar_text.replace("prompt: Age?", "prompt: Age (years)?"), "old")
    path = tmp_path / "s.db"
    _, events = _interview(before)
    sid = _record(Store(path), before, events)
    for fmt in ("md", "text", "html", "json", "transcript", "events"):
        done = _cli("export", sid, "--format", fmt, store=path)
        assert done.returncode == 0, (fmt, done.stderr)
    shown = json.loads(_cli("export", sid, "--format", "json", store=path).stdout)
    assert shown["triage"]["level"] == "urgent"
    replayable = _cli("export", sid, "--format", "transcript", store=path).stdout
    assert before.hash in replayable  # names the dialog it was recorded with


def test_the_event_log_is_exported_without_any_dialog(tmp_path, scar):
    path = tmp_path / "s.db"
    store = Store(path)
    _, events = _interview(scar)
    sid = _record(store, scar, events, keep_text=False)
    lost = "sha256:" + "0" * 64
    store._db.execute("UPDATE sessions SET dialog_hash = ?, dialog_version = '0.9'", (lost,))
    done = _cli("export", sid, "--format", "events", store=path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert json.loads(lines[0])["dialog"] == {"id": "scar", "version": "0.9", "hash": lost}
    assert len(lines) == 1 + len(events)
    refused = _cli("export", sid, "--format", "md", store=path)
    assert refused.returncode == 2
    assert (f"recorded with dialog scar 0.9 ({lost[:19]}...), which neither the store nor "
            "this triage holds") in refused.stderr
    assert "pass that dialog's file with --dialog" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_dialog_changed_by_hand_in_the_store_is_refused(tmp_path, scar, old):
    path = tmp_path / "s.db"
    store = Store(path)
    _, events = _interview(old)
    sid = _record(store, old, events)
    store._db.execute("UPDATE dialogs SET text = replace(text, 'Age?', 'Age!')")
    done = _cli("export", sid, store=path)
    assert done.returncode == 2
    assert "its text does not match its hash" in done.stderr


def test_a_dialog_in_the_store_that_check_rejects_is_refused(tmp_path):
    """Whoever can write the store can plant a dialog: it is checked as a file would be."""
    bad = loads_dialog(two_question_dialog("answers.q2 == 'yes'"))  # q2 reads itself
    store = Store(tmp_path / "s.db")
    sid = store.create(dt.date(2026, 11, 25), key_of(bad), None, canonical_text(bad.dialog))
    done = _cli("export", sid, store=store.path)
    assert done.returncode == 2
    assert "depends on 'q2', which is asked at the same point or later" in done.stderr


# --- stores written before the store kept dialogs --------------------------------------------


def _schema_1_store(path: Path, dialog: LoadedDialog, events: list[Event]) -> str:
    """A store as triage wrote it before dialogs were kept (schema 1)."""
    store = Store(path)
    sid = _record(store, dialog, events, keep_text=False)
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TABLE dialogs")
    db.execute("ALTER TABLE events DROP COLUMN author")  # schema 3's
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.close()
    return sid


def test_a_schema_1_store_is_read_untouched_and_migrated_when_written(tmp_path, old):
    path = tmp_path / "s.db"
    _, events = _interview(old)
    sid = _schema_1_store(path, old, events)
    listed = _cli("sessions", store=path)
    assert listed.returncode == 0 and sid in listed.stdout
    shown = _cli("export", sid, "--format", "text", store=path)
    assert shown.returncode == 0, shown.stderr  # the dialog comes from the archive
    assert "DRESS" in shown.stdout
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("1",)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "dialogs" not in tables  # a read command wrote nothing
    db.close()
    store = Store(path, create=False)
    tables = {r[0] for r in store._db.execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "dialogs" in tables
    assert store._db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
    assert len(store.events(sid)) == len(events)
    # Events saved before authors were kept have none; the column is there for new ones.
    assert {e.author for e in store.events(sid)} == {None}
    # A write command fills in the dialog its session used.
    library = Library(load_dialog(ROOT / "dialogs" / "scar.yaml"), store)
    engine_from_events(library, store.find(sid), store.events(sid), "t")
    library.keep_used()
    assert store.dialog_text(old.hash) == canonical_text(old.dialog)


# --- carrying answers over -----------------------------------------------------------------


def test_carrying_over_says_what_cannot_come_and_why(scar):
    engine, _ = _interview(scar)
    moved = carry_over(engine, _variant((ROOT / "dialogs" / "scar.yaml").read_text()))
    lines = [left.line() for left in moved.left]
    assert lines == [
        "Is the skin painful or tender, more than itchy?: 'no': this version no longer "
        "asks it",
        "Age?: '34': this version refuses it: 34 years = 34 years is outside the plausible "
        "range 40 to 130 years",
    ]
    assert moved.carried == len(engine.answers) - 2
    assert moved.engine.dialog.version == scar.version
    # The rest is the same interview: every other answer kept its value.
    assert moved.engine.value("temperature") == engine.value("temperature")
    assert moved.engine.value("drug_name", 0) == "Tegretol"


def test_1_3_to_1_4_carries_every_answer_and_keeps_the_summary(old):
    engine, _ = _interview(old)
    moved = carry_over(engine, load_dialog(ARCHIVE / "scar-1.4.yaml"))
    assert moved.left == () and moved.carried == len(engine.answers)
    assert moved.engine.finished
    assert summarize_interview(moved.engine)["triage"] == summarize_interview(engine)["triage"]


def test_1_4_to_1_5_names_the_drug_questions_it_asks_differently(scar):
    """1.5 asks a drug's course in one question (issue 21 §1): the 1.4 answers to the three
    it replaces are said, not silently dropped, and the new question is asked."""
    engine, _ = _interview(load_dialog(ARCHIVE / "scar-1.4.yaml"),
                           ROOT / "tests" / "cases" / "seed-agep-ivig-1.4.transcript.yaml")
    moved = carry_over(engine, load_dialog(ARCHIVE / "scar-1.5.yaml"))
    lines = [left.line() for left in moved.left]
    assert ("Was it still being taken on the day the eruption began? (entry 1): 'yes': this "
            "version no longer asks it") in lines
    assert moved.engine.value("drug_name", 0) == "intravenous immunoglobulin"
    assert moved.engine.current().question.id == "vitals_at_hand"


def test_1_5_to_1_6_keeps_the_last_dose_and_says_what_it_no_longer_asks(scar):
    """1.6 asks a drug's course as its last dose or "still taking", the mucous membranes
    with "none", and a drug's rarer details only when opened (issue 21 §1)."""
    engine, _ = _interview(load_dialog(ARCHIVE / "scar-1.5.yaml"),
                           ROOT / "tests" / "cases" / "seed-agep-ivig-1.5.transcript.yaml")
    moved = carry_over(engine, scar)
    lines = [left.line() for left in moved.left]
    assert any(line.startswith("Is it still being taken? (entry 1)") for line in lines)
    assert any(line.startswith("Anything more on this drug") for line in lines)
    assert moved.engine.value("drug_stop", 0) == 0
    # The mucous membranes are asked again, as one question.
    assert moved.engine.current().question.id == "mucosal_sites"


def test_a_follow_up_visit_is_carried_over_with_its_own_day(scar, old):
    engine, _ = _interview(old)
    assert engine.follow_up(dt.date(2026, 12, 2)).accepted
    assert engine.current().question.id == "temperature"  # the visit's first item
    assert engine.answer("37.2").accepted
    assert not engine.answer("88").accepted  # the assessment on day 88: after today
    assert engine.answer("today").accepted
    visited = engine.visited
    assert [a.raw for a in visited] == ["37.2", "today"]
    moved = carry_over(engine, load_dialog(ARCHIVE / "scar-1.4.yaml"))
    assert moved.engine.follow_up_visit is not None
    assert moved.engine.follow_up_visit.on == dt.date(2026, 12, 2)
    for answer in visited:
        assert answer.key in {a.key for a in moved.engine.visited}
        assert answer.on == dt.date(2026, 12, 2)


def test_the_migrate_event_replays_to_the_same_interview(tmp_path, scar, old):
    store, session, library, resumed = _reopened_old(tmp_path, scar, old)
    path, sid = store.path, session.id
    recorder = Recorder(store, sid, resumed.dialog.version,
                        header_of(resumed, "AB", session), history=store.events(sid))
    recorder.record(migrate_event(resumed.dialog, scar))
    moved = carry_over(resumed, scar).engine
    assert moved.edit("age", "35").accepted
    recorder.record(Event("edit", "age", None, "35", previous="34"))
    stored = store.events(sid)
    assert [e.dialog_version for e in stored[-2:]] == [scar.version, scar.version]
    assert stored[-2].kind == "migrate" and stored[-2].previous == old.hash
    again = engine_from_events(library, session, stored, "t")
    assert again.dialog.hash == scar.hash
    assert transcript.dumps(transcript.from_engine(again)) == transcript.dumps(
        transcript.from_engine(moved))
    # The event log, exported and imported elsewhere, replays the same way.
    exported = _cli("export", sid, "--format", "events", store=path)
    file = tmp_path / "moved.events.jsonl"
    file.write_text(exported.stdout)
    read = events_file.read(file)
    assert [e.kind for e in read.events[-2:]] == ["migrate", "edit"]
    other = tmp_path / "other.db"
    done = _cli("import", str(file), store=other)
    assert done.returncode == 0, done.stderr
    assert Store(other).dialog_text(old.hash) is not None


def test_an_event_whose_version_is_not_the_sessions_at_that_point_is_refused(tmp_path, scar,
                                                                             old):
    head = {"schema": "triage.events/1", "today": "2026-11-25",
            "dialog": {"id": "scar", "version": "1.3", "hash": old.hash}}
    lines = [head,
             {"kind": "answer", "question": "detachment_any", "value": "no",
              "at_utc": "2026-11-25T10:00:00Z", "seq": 1, "dialog_version": "1.3"},
             {"kind": "migrate", "value": scar.hash, "previous": old.hash,
              "at_utc": "2026-11-25T10:00:01Z", "seq": 2, "dialog_version": scar.version},
             {"kind": "answer", "question": "nikolsky", "value": "no",
              "at_utc": "2026-11-25T10:00:02Z", "seq": 3, "dialog_version": "1.3"}]
    file = tmp_path / "e.jsonl"
    file.write_text("".join(json.dumps(x) + "\n" for x in lines))
    with pytest.raises(InputError) as caught:
        events_file.read(file, "e.jsonl")
    assert caught.value.problems[0].message == (
        f"event 3 was recorded with dialog version 1.3; the session had moved to "
        f"{scar.version}")


def test_resume_offers_the_carry_over_and_refusing_keeps_the_session(tmp_path, old):
    path = tmp_path / "s.db"
    _, events = _interview(old)
    sid = _record(Store(path), old, events)
    asked = _cli("resume", sid, store=path, stdin="")
    assert asked.returncode == 2
    assert asked.stderr.strip().endswith(
        f"Add --carry-over to go on with scar {SCAR_VERSION}, or --as-recorded to go on with "
        "scar 1.3 as it was.")
    assert (f"session {sid} was recorded with dialog scar 1.3; this triage asks scar "
            f"{SCAR_VERSION}.") in asked.stderr
    assert [e.kind for e in Store(path).events(sid)] == ["answer"] * len(events)


@pytest.mark.parametrize(("reply", "flag"), [("y", None), ("n", None), ("", True),
                                             ("", False)])
def test_resume_carries_over_when_the_clinician_says_so(tmp_path, monkeypatch, capsys, scar,
                                                       old, reply, flag):
    import argparse

    from triage import cli

    store, session, library, engine = _reopened_old(tmp_path, scar, old)
    sid = session.id
    from triage.reopen import Saved

    recorder = Saved(store, session, engine, library, store.events(sid)).writer()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: reply)
    args = argparse.Namespace(carry_over=flag)
    went_on = cli._carry_over(args, session, engine, library, recorder)
    said = capsys.readouterr().out
    assert (f"session {sid} was recorded with dialog scar 1.3; this triage asks scar "
            f"{scar.version}.") in said
    carried = carry_over(engine, scar).carried
    assert f"Carried over, {carried} answer(s) would keep their values." in said
    kinds = [e.kind for e in store.events(sid)]
    if reply == "y" or flag is True:
        assert went_on.dialog.hash == scar.hash
        assert kinds[-1] == "migrate"
        assert "recorded in the session's audit trail" in said
        assert store.dialog_text(scar.hash) is not None
    else:
        assert went_on is engine and went_on.dialog.hash == old.hash
        assert "migrate" not in kinds
        assert "Going on with scar 1.3, as recorded." in said


def test_a_migrate_event_from_another_dialog_than_the_sessions_is_refused(tmp_path, scar,
                                                                          old):
    """An events file whose migrate event names a dialog the session was not in: a problem
    naming the event, not a traceback and not a partial interview."""
    _, events = _interview(old)
    wrong = Event("migrate", value=scar.hash, previous="sha256:" + "1" * 64,
                  dialog_version=scar.version, seq=len(events) + 1)
    ref = Recording(dt.date(2026, 11, 25), old.id, old.version, old.hash)
    numbered = [Event(**{**e.__dict__, "seq": n}) for n, e in enumerate(events, 1)]
    with pytest.raises(InputError) as caught:
        engine_from_events(Library(scar), ref, [*numbered, wrong], "e.jsonl")
    (problem,) = caught.value.problems
    assert problem.message == (
        f"event {len(events) + 1} (migrate) moves from dialog sha256:111111111111..., but "
        f"the session is in {old.hash[:19]}... at that point")


def test_the_carry_over_report_prints_a_planted_prompt_as_text(scar):
    """A dialog kept in a shared store is another user's text: its prompts reach the
    terminal without control sequences."""
    text = (ARCHIVE / "scar-1.3.yaml").read_text()
    planted = loads_dialog(text.replace(
        "prompt: Is the skin painful or tender, more than itchy?",
        'prompt: "Pain?\\e]52;c;ZWNobw==\\a"'))
    assert "\x1b" in planted.questions["skin_pain"].prompt
    engine, _ = _interview(planted)
    current = (ARCHIVE / "scar-1.4.yaml").read_text()  # the same questions as 1.3
    without = loads_dialog(current.replace("      - id: skin_pain\n",
                                            "      - id: skin_pain_now\n"))
    (left,) = carry_over(engine, without).left
    assert left.line() == "Pain?]52;c;ZWNobw==: 'no': this version no longer asks it"
