"""`triage import` (issue 6 §3, nothing lost): the fallback file a failing store leaves, or
an events export from another machine, becomes a session in the store with its events'
own times; a file that does not fit is refused line by line and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from triage import events_file, transcript
from triage.dialog.engine import Engine
from triage.errors import InputError
from triage.session import Recorder, engine_from_events, header_of
from triage.store import Event, Store, StoreError

SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"
#: The seed case's answers (one event each), as the current dialog asks them.
N = len(transcript.load(SEED)[0].answers)


def _cli(*args: str, store) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_STORE=str(store))
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def seed_fallback(folder, dialog):
    """The seed interview recorded while the store fails: every event in a fallback file
    in `folder`; its path."""
    script, _ = transcript.load(SEED)
    engine = Engine(dialog, script.today)
    recorder = Recorder(None, None, dialog.version, header_of(engine, "AB"),
                        fallback_dir=folder)
    recorder.problem = "the store is locked"
    recorder.begin()
    for e in script.answers:
        recorder.record(Event("answer", e.q, e.repeat, e.value, e.unit))
    assert recorder.fallback is not None
    return recorder.fallback.path


@pytest.fixture
def fallback(tmp_path, scar):
    """The seed interview's fallback file (see seed_fallback)."""
    return seed_fallback(tmp_path, scar)


def test_a_fallback_file_becomes_a_session_with_its_own_times(tmp_path, scar, fallback):
    path = tmp_path / "store" / "s.db"
    before = fallback.read_bytes()
    done = _cli("import", str(fallback), store=path)
    assert done.returncode == 0, done.stderr
    store = Store(path)
    (session,) = store.sessions()
    assert done.stdout.strip() == (f"imported session {session.id}: {N} events, {N} answers "
                                   f"(finished); {fallback} is left as it is")
    assert fallback.read_bytes() == before  # never removed or changed
    written = [json.loads(line) for line in fallback.read_text().splitlines()[1:]]
    events = store.events(session.id)
    assert [e.at_utc for e in events] == [w["at_utc"] for w in written]
    assert (session.started_utc, session.updated_utc) == (written[0]["at_utc"],
                                                          written[-1]["at_utc"])
    assert (session.patient_ref, session.status, session.level) == ("AB", "finished", "urgent")
    engine = engine_from_events(scar, session, events, "t")
    assert transcript.dumps(transcript.from_engine(engine)) == SEED.read_text()


def test_a_last_line_cut_short_by_a_crash_is_left_out_and_said(tmp_path, scar, fallback):
    whole = fallback.read_text()
    cut = tmp_path / "cut.events.jsonl"
    cut.write_text(whole + '{"kind": "edit", "question": "age", "val')  # no newline: cut
    path = tmp_path / "s.db"
    done = _cli("import", str(cut), store=path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == (f"{cut}: line {N + 2}: cut short while it was written (the "
                                   "process stopped); left out")
    assert f"{N} events, {N} answers" in done.stdout
    (session,) = Store(path).sessions()
    assert len(Store(path).events(session.id)) == N


def test_an_export_moves_a_session_to_another_store(tmp_path, scar, fallback):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert _cli("import", str(fallback), store=first).returncode == 0
    (session,) = Store(first).sessions()
    exported = tmp_path / "moved.events.jsonl"
    exported.write_text(_cli("export", session.id, "--format", "events", store=first).stdout)
    assert _cli("import", str(exported), store=second).returncode == 0
    (moved,) = Store(second).sessions()
    assert moved.id != session.id  # a new id in the new store; the events are the same
    assert Store(second).events(moved.id) == Store(first).events(session.id)
    assert (_cli("export", moved.id, "--format", "md", store=second).stdout
            .replace(moved.id, "X") ==
            _cli("export", session.id, "--format", "md", store=first).stdout
            .replace(session.id, "X"))


def _broken(tmp_path, fallback, line: int | None, old: str = "", new: str = ""):
    """Import the fallback file with one line changed (`new` None: the line removed; `line`
    None: an empty file); it must be refused with nothing written."""
    lines = fallback.read_text().splitlines()
    if line is None:
        lines = []
    elif new is None:
        del lines[line]
    else:
        lines[line] = lines[line].replace(old, new)
    bad = tmp_path / "bad.events.jsonl"
    bad.write_text("".join(x + "\n" for x in lines))
    path = tmp_path / "never.db"
    done = _cli("import", str(bad), store=path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not path.exists()  # nothing is written from a file that does not fit
    return done.stderr.replace(str(bad), "")


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        (30, '"kind": "answer", ', '"kind": "answer", "q', ": line 31, column "),
        (0, "triage.events/1", "triage.events/9",
         ": line 1: schema: Input should be 'triage.events/1' (given 'triage.events/9')"),
        (3, '"answer"', '"shout"',
         ": line 4: kind: Input should be 'answer', 'edit', 'back', 'remove', 'follow_up' or "
         "'migrate' (given 'shout')"),
        (3, "", None, ": line 4: event 4 follows event 2: events are missing or out of order"),
        (2, '"value": "no"', '"value": "perhaps"', ": event 2 (answer nikolsky): "),
        (0, '"version": "1.8"', '"version": "0.9"',
         ": line 2: event 1 was recorded with dialog version 1.8; the file's header says 0.9"),
        (None, "", "", ": is empty; an events file starts with a"),
        # Import validates (issue 19 §5): real times, in order, not ahead of the clock,
        # integer sequence numbers.
        (3, '"at_utc": "2026-', '"at_utc": "2026-13-45T99:99:99Z", "x": "', ": line 4: "),
        (3, '"seq": 3', '"seq": "3"', ": line 4: seq: Input should be a valid integer"),
        (3, '"seq": 3', '"seq": true', ": line 4: seq: Input should be a valid integer"),
    ],
    ids=["not-json", "schema", "kind", "missing-event", "does-not-replay", "other-dialog",
         "empty", "impossible-time", "seq-string", "seq-bool"],
)
def test_a_file_that_does_not_fit_is_refused_and_nothing_is_written(
    tmp_path, fallback, line, old, new, expected
):
    said = _broken(tmp_path, fallback, line, old, new)
    assert expected in said, said


def test_the_reader_names_every_bad_line(tmp_path):
    path = tmp_path / "x.jsonl"
    head = {"schema": "triage.events/1", "dialog": {"id": "scar", "version": "1.4",
                                                   "hash": "h"}, "today": "2026-11-25"}
    path.write_text(json.dumps(head) + "\n" + "{\n" + json.dumps(
        {"kind": "answer", "seq": 0, "at_utc": "yesterday"}) + "\n")
    with pytest.raises(InputError) as caught:
        events_file.read(path, "x")
    said = [str(p) for p in caught.value.problems]
    assert said[0].startswith("x: line 2, column 2: not JSON:")
    assert "x: line 3: seq: Input should be greater than or equal to 1 (given 0)" in said
    assert any(s.startswith("x: line 3: at_utc: String should match pattern") for s in said)


def test_a_session_is_added_whole_or_not_at_all(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    ref = (scar.id, scar.version, scar.hash)
    first = Event("answer", "detachment_any", None, "no", at_utc="2026-11-25T10:00:00Z", seq=1)
    sid = store.add_session(dt.date(2026, 11, 25), ref, None, [first])
    (session,) = store.sessions()
    assert (session.id, session.started_utc, session.updated_utc) == (
        sid, "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")
    with pytest.raises(StoreError):  # the same number twice: the second insert fails
        store.add_session(dt.date(2026, 11, 25), ref, None, [first, first])
    assert [s.id for s in store.sessions()] == [sid]


def test_an_events_file_over_the_size_limit_is_refused_and_one_at_it_is_read(
    tmp_path, fallback, monkeypatch
):
    size = fallback.stat().st_size
    monkeypatch.setattr(events_file, "MAX_BYTES", size)
    assert len(events_file.read(fallback).events) == N  # exactly at the limit: read
    monkeypatch.setattr(events_file, "MAX_BYTES", size - 1)
    with pytest.raises(InputError) as caught:
        events_file.read(fallback, "f")
    assert [str(p) for p in caught.value.problems] == [
        f"f: file is {size:,} bytes; the limit for an events file is {size - 1:,} bytes"]


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.mkdir(), "is a directory, not a file"),
        (lambda p: p.write_bytes(b'{"schema": 1}\x00\n'),
         "is not a text file (it contains NUL bytes)"),
        (lambda p: p.write_bytes(b"\xff\xfe{}\n"), "is not UTF-8 text (byte 0xff at offset 0)"),
    ],
)
def test_an_events_file_that_is_not_text_is_refused_as_a_findings_file_would_be(
    tmp_path, make, said
):
    target = tmp_path / "events.jsonl"
    make(target)
    with pytest.raises(InputError) as caught:
        events_file.read(target, "f")
    assert [str(p) for p in caught.value.problems] == [f"f: {said}"]


def test_an_events_file_saved_with_a_byte_order_mark_is_read(tmp_path, fallback) -> None:
    # Editors on Windows add one; JSON lines after it are the same events.
    marked = tmp_path / "marked.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + fallback.read_bytes())
    assert events_file.read(marked).events == events_file.read(fallback).events


def _retimed(tmp_path, fallback, times: dict[int, str]) -> str:
    lines = fallback.read_text().splitlines()
    for index, at in times.items():
        record = json.loads(lines[index])
        record["at_utc"] = at
        lines[index] = json.dumps(record)
    bad = tmp_path / "bad.events.jsonl"
    bad.write_text("".join(x + "\n" for x in lines))
    with pytest.raises(InputError) as caught:
        events_file.read(bad, "x")
    return str(caught.value.problems[0])


def test_an_impossible_time_is_refused(tmp_path, fallback):
    said = _retimed(tmp_path, fallback, {1: "2026-13-45T99:99:99Z"})
    assert said == "x: line 2: at_utc: not a real time (given '2026-13-45T99:99:99Z')"


def test_times_that_run_backwards_or_into_the_future_are_refused(tmp_path, fallback):
    said = _retimed(tmp_path, fallback, {1: "2026-11-25T10:00:00Z", 2: "2026-11-25T09:59:59Z"})
    assert said == ("x: line 3: event 2 at 2026-11-25T09:59:59Z is earlier than event 1 at "
                    "2026-11-25T10:00:00Z: times run backwards")
    said = _retimed(tmp_path, fallback, {len(fallback.read_text().splitlines()) - 1:
                                         "2099-01-01T00:00:00Z"})
    assert said.endswith("at 2099-01-01T00:00:00Z is in the future")


def test_an_imported_answer_loses_its_control_characters(tmp_path, fallback):
    lines = fallback.read_text().splitlines()
    record = json.loads(lines[1])
    record["value"] = "\x1b]52;c;ZWNobw==\x07no\u202e"
    lines[1] = json.dumps(record)
    path = tmp_path / "x.jsonl"
    path.write_text("".join(x + "\n" for x in lines))
    assert events_file.read(path, "x").events[0].value == "]52;c;ZWNobw==no"


def test_an_events_line_nested_too_deeply_is_a_clean_problem(tmp_path, fallback):
    lines = fallback.read_text().splitlines()
    lines.insert(2, "[" * 100_000 + "]" * 100_000)
    path = tmp_path / "x.jsonl"
    path.write_text("".join(x + "\n" for x in lines))
    with pytest.raises(InputError) as caught:
        events_file.read(path, "x")
    assert str(caught.value.problems[0]) == "x: line 3: nested too deeply to be an event"


def test_the_same_file_imported_twice_is_one_session(tmp_path, fallback):
    path = tmp_path / "s.db"
    assert _cli("import", str(fallback), store=path).returncode == 0
    again = _cli("import", str(fallback), store=path)
    (session,) = Store(path).sessions()
    assert again.returncode == 0
    assert again.stdout == (f"{fallback}: already in the store as session {session.id}; "
                            "nothing imported\n")


def test_a_fallback_completes_the_session_the_store_holds_in_part(tmp_path, scar, fallback):
    # The store took the first 20 answers, then failed; the fallback file holds them all.
    path = tmp_path / "s.db"
    found = events_file.read(fallback, "f")
    head = found.header
    store = Store(path)
    sid = store.add_session(head.today, (head.dialog.id, head.dialog.version,
                                         head.dialog.hash), head.patient_ref,
                            found.events[:20])
    done = _cli("import", str(fallback), store=path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"completed session {sid} with the {N - 20} events it lacked: "
                                  f"{N} events, {N} answers (finished)")
    (session,) = Store(path).sessions()
    assert [e.at_utc for e in Store(path).events(sid)] == [e.at_utc for e in found.events]
    assert session.updated_utc == found.events[-1].at_utc
