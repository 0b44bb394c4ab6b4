"""A browser visit's start screen (issue 22 §3): a new interview, or a saved session found
by patient label or id, to go on with, follow up today or export; a session open in
another window is said so, with who holds it."""

from __future__ import annotations

import datetime as dt

from tests.conftest import ROOT
from triage import transcript
from triage.dialog.engine import Engine
from triage.reopen import Desk
from triage.session import Recorder
from triage.store import Event, open_store
from triage.ui.app import make_app
from triage.ui.replay import type_answer
from triage.ui.screens.start import StartScreen

SEED = ROOT / "examples" / "seed-agep-ivig.transcript.yaml"


def _saved(path, scar, patient: str, count: int | None = None) -> str:
    """A session of the seed case's first `count` answers (all: finished), recorded as the
    assistant records them."""
    script, _ = transcript.load(SEED)
    engine = Engine(scar, script.today)
    recorder = Recorder.start(path, engine, patient)
    for a in script.answers[:count]:
        assert engine.answer(a.value, a.unit, question=a.q, repeat=a.repeat)
        recorder.record(Event("answer", a.q, a.repeat, a.value, a.unit))
    recorder.release()
    assert recorder.session_id is not None
    return recorder.session_id


def _app(path, scar, tmp_path):
    def build():
        return Engine(scar, dt.date(2026, 12, 5)), Recorder.start(path, Engine(scar, dt.date(
            2026, 12, 5)), None)

    return make_app(build=build, desk=Desk(path, lambda: scar), out_dir=tmp_path / "out")


async def _find(pilot, text: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, StartScreen)
    screen.query_one("#find").value = text
    await pilot.press("enter")
    await pilot.pause()


def _said(app) -> str:
    return str(app.screen.query_one("#start-said").render())


async def test_enter_alone_starts_a_new_interview(tmp_path, scar):
    app = _app(tmp_path / "s.db", scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        for _ in range(10):
            await pilot.pause()
            if app.loaded:
                break
        assert app.loaded and app.engine.answers == []
        assert app.engine.current().question.id == "detachment_any"


async def test_a_session_found_by_patient_goes_on_where_it_stopped(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = _saved(path, scar, "AB12", 5)
    _saved(path, scar, "CD34", 2)
    app = _app(path, scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _find(pilot, "ab1")  # any case, a part
        assert "1 found" in _said(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.loaded and len(app.engine.answers) == 5
        assert app.interview.recorder.session_id == sid
        await type_answer(pilot, "unknown")
        await pilot.pause()
    events = open_store(path).events(sid)
    assert len(events) == 6 and events[-1].seq == 6  # the same session, going on


async def test_a_session_found_by_id_is_said_held_when_another_window_has_it(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = _saved(path, scar, "AB12", 3)
    other = open_store(path)
    assert other.claim(sid, "the other window") is None
    app = _app(path, scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _find(pilot, sid[:5])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and not app.loaded
        said = _said(app)
        assert f"session {sid} is open in another window (process " in said
        assert "close it there first" in said


async def test_a_finished_session_is_followed_up_today_and_exported(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = _saved(path, scar, "EF56")
    app = _app(path, scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _find(pilot, "ef56")
        await pilot.press("e")
        await pilot.pause()
        exported = tmp_path / "out" / f"triage-{sid}.html"
        assert exported.exists() and f"session {sid} (patient EF56)" in exported.read_text()
        assert f"Saved html: {exported}" in _said(app)
        await pilot.press("f")
        await pilot.pause()
        assert app.loaded and app.engine.follow_up_visit is not None
        assert app.engine.follow_up_visit.on == dt.date.today()
    assert [e.kind for e in open_store(path).events(sid)][-1] == "follow_up"


async def test_nothing_found_is_said_and_a_label_is_text(tmp_path, scar):
    path = tmp_path / "s.db"
    _saved(path, scar, "[b]bold[/b]", 1)
    app = _app(path, scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _find(pilot, "zz99")
        assert "No saved session has the id or patient label 'zz99'." in _said(app)
        await _find(pilot, "bold")
        option = app.screen.query_one("#found").get_option_at_index(0)
        assert "[b]bold[/b]" in str(option.prompt)  # markup shown as typed, never applied


async def test_a_session_of_an_older_dialog_goes_on_as_recorded_and_says_so(tmp_path, scar):
    """The terminal asks whether to carry a session's answers over to this triage's
    dialog; the browser goes on with the dialog it was recorded with, and says so."""
    from triage.dialog.loader import load_dialog

    old = load_dialog(ROOT / "dialogs" / "archive" / "scar-1.6.yaml")
    path = tmp_path / "s.db"
    sid = _saved(path, old, "GH78", 4)
    app = _app(path, scar, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _find(pilot, "gh78")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.loaded and app.engine.dialog.version == "1.6"
        notes = [str(b.said.text) for b in app.screen.chat.query("Bubble")
                 if b.kind == "note"]
        assert any(f"recorded with dialog scar 1.6; it goes on with it, as recorded (this "
                   f"triage asks scar {scar.version}). To carry its answers over, resume it "
                   f"at a terminal: triage resume {sid} --carry-over." in n for n in notes)


def test_the_desk_goes_on_with_a_visit_under_way_and_opens_the_next_once_finished(
        tmp_path, scar):
    """`f` on the start screen: a visit under way (of any day) goes on; once it is
    finished, the next visit opens today, as `triage followup ID` without --date."""
    path = tmp_path / "s.db"
    sid = _saved(path, scar, "AB12")
    desk = Desk(path, lambda: scar)
    engine, recorder = desk.follow_up(sid, dt.date(2026, 11, 27), "scorten")
    assert (engine.follow_up_visit.on, engine.follow_up_visit.only) == (
        dt.date(2026, 11, 27), "scorten")
    recorder.release()
    engine, recorder = desk.follow_up(sid)  # under way: goes on, whatever the day
    assert engine.follow_up_visit.on == dt.date(2026, 11, 27) and len(engine.visits) == 1
    from triage.interview import Interview

    interview = Interview(engine, recorder)
    while (slot := engine.current()) is not None:
        assert interview.answer("" if engine.suggestion(slot) or slot.question.default
                                else "unknown").accepted
    recorder.release()
    engine, recorder = desk.follow_up(sid)
    assert engine.follow_up_visit.on == dt.date.today() and engine.follow_up_visit.only is None
    assert [v.on for v in engine.visits] == [engine.today, dt.date(2026, 11, 27)]
    recorder.release()
    events = open_store(path).events(sid)
    assert [(e.question, e.value) for e in events if e.kind == "follow_up"] == [
        ("scorten", "2026-11-27"), (None, dt.date.today().isoformat())]
