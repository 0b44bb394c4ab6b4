"""Follow-up visits (issue 6 §2): a finished session reopened on a later day asks its
follow-up items again; the scores are recomputed; both days are shown side by side; the
visit survives as events and as a transcript that replays to the same summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, record_transcript
from triage import transcript
from triage.dialog.engine import Engine
from triage.errors import InputError
from triage.render import render
from triage.session import Recorder, engine_from_events, status_of
from triage.store import Event, Store
from triage.summary import summarize_interview

PRESENTATION = ROOT / "examples" / "agep-presentation-day.transcript.yaml"
FOLLOW_UP = ROOT / "examples" / "agep-follow-up.transcript.yaml"
VISIT = dt.date(2026, 12, 9)  # day 16 after the onset on 2026-11-23


@pytest.fixture
def finished(scar) -> Engine:
    """The AGEP case as it stood on the presentation day (2026-11-25, day 2)."""
    script, doc = transcript.load(PRESENTATION)
    engine = transcript.replay(script, scar, "t", doc)
    assert engine.finished
    return engine


def _answer_all(engine: Engine, given: dict[tuple[str, int | None], str]) -> None:
    """Answer the visit's questions in order: as given, else Enter (keep)."""
    while (slot := engine.current()) is not None:
        keep = "" if engine.suggestion(slot) or slot.question.default else "unknown"
        outcome = engine.answer(given.get(slot.key, keep))
        assert outcome.accepted, (slot.label(), outcome.message)


def test_a_visit_opens_on_a_finished_interview_or_visit_on_its_day_or_later(scar, finished):
    fresh = Engine(scar, dt.date(2026, 11, 25))
    fresh.answer("no")
    refused = fresh.follow_up(VISIT)
    assert not refused.accepted and "not finished" in refused.message

    early = finished.follow_up(dt.date(2026, 11, 24))
    assert not early.accepted
    assert early.message == ("the follow-up date 2026-11-24 is before the presentation day "
                             "2026-11-25")
    assert finished.follow_up_visit is None and finished.visits == ()

    assert finished.follow_up(finished.today).accepted  # the same day is a visit too
    again = finished.follow_up(VISIT)
    assert not again.accepted
    assert again.message == ("the visit of 2026-11-25 is not finished: go on with it, "
                             "then follow up")
    _answer_all(finished, {})
    before = finished.follow_up(dt.date(2026, 11, 24))
    assert not before.accepted and before.message == (
        "the follow-up date 2026-11-24 is before the last visit, 2026-11-25")
    assert finished.follow_up(VISIT).accepted
    assert [v.on for v in finished.visits] == [finished.today, finished.today]
    assert finished.follow_up_visit.on == VISIT
    assert not finished.follow_up(VISIT, "scorten").accepted  # this visit is not finished
    _answer_all(finished, {})
    wrong = finished.follow_up(VISIT, "alden")
    assert not wrong.accepted and wrong.message == (
        "'alden' is not a score of the whole episode (eurosar_agep, regiscar_dress, scorten)")


def test_the_visit_asks_its_follow_up_items_in_order_and_a_new_patch_test(finished):
    assert status_of(finished) == "finished"
    opened = finished.follow_up(VISIT)
    assert opened.accepted and opened.notes[0].kind == "follow_up"
    assert status_of(finished) == "follow-up"
    asked = []
    while (slot := finished.current()) is not None:
        asked.append(slot.label())
        assert len(asked) < 50
        if slot.key == ("drug_patch_test", 0):
            # New at the visit: nothing to keep, so Enter alone is refused.
            assert finished.suggestion(slot) is None
            assert not finished.answer("").accepted
            assert finished.answer("not_done").accepted
        elif slot.question.id.startswith("visit_"):
            # New at every visit: the signs today (no presentation answer to keep).
            assert finished.suggestion(slot) is None
            assert finished.answer("no" if slot.question.type == "yes_no" else "unknown").accepted
        else:
            assert finished.answer("").accepted, slot.label()
    # SCORTEN's urea, glucose and bicarbonate, left out on the presentation day (no
    # SJS/TEN), stay out; the signs at the visit, which decide its level, are all asked.
    assert asked == [
        "temperature", "assessment_date", "drug_stop #1", "drug_improved #1",
        "drug_objective #1", "drug_patch_test #1", "biopsy", "pustule_culture",
        "resolution_date",
        "desquamation", "organs_any", "leukocytes", "neutrophils", "eosinophils",
        "atypical_lymphocytes", "workup_done",
        "visit_temperature", "visit_heart_rate", "visit_systolic_bp", "visit_vasopressors",
        "visit_spo2", "visit_respiratory_rate", "visit_confusion", "visit_skin_active",
    ]
    # "Not active today" records each skin sign of the visit as absent.
    visit = finished.findings.visit
    assert visit is not None and visit.mucosal_sites == [] and visit.blisters is False
    assert status_of(finished) == "followed up"
    # Nothing outside the follow-up items was asked: of the red flags, only the highest
    # temperature is asked again.
    progress = {section.id: (done, total) for section, done, total in finished.progress()}
    assert progress["red_flags"] == (1, 1) and progress["course"] == (2, 2)


def test_enter_keeps_an_answer_and_today_moves_with_the_visit(finished):
    finished.follow_up(VISIT)
    # Not a follow-up item: the presentation day's "today" still means day 2.
    start = finished.slot("drug_start", 0)
    assert finished.value("drug_start", 0) == -2 and not finished.asks(start)
    # The highest temperature comes first now (the vital signs open the interview); then
    # the assessment date, which defaults to today: the visit's day.
    assert finished.current().question.id == "temperature"
    finished.answer("")
    assert finished.suggestion(finished.current()) is None
    finished.answer("")
    assert finished.value("assessment_date") == 16
    assert finished.findings.eruption.assessment_day == 16
    # A kept answer is the same answer, given again at the visit.
    # A relative date is kept as the day it meant: "today" on the presentation day.
    slot = finished.current()
    assert slot.key == ("drug_stop", 0)
    assert finished.suggestion(slot) == ("2026-11-25", None)
    finished.answer("")
    kept = next(a for a in finished.answers if a.key == slot.key)
    assert (kept.raw, kept.on) == ("2026-11-25", VISIT)
    assert finished.value("drug_stop", 0) == 2


def test_a_relative_date_is_kept_as_the_day_it_meant(scar):
    script, _ = transcript.load(PRESENTATION)
    answers = [(e.q, e.repeat, e.value, e.unit) for e in script.answers]
    engine = Engine(scar, script.today)
    for q, repeat, value, unit in answers:
        if q == "resolution_date":
            value = "yesterday"  # on the presentation day: 2026-11-24
        engine.answer(value, unit, question=q, repeat=repeat)
    assert engine.finished and engine.value("resolution_date") == 1
    engine.follow_up(VISIT)
    slot = engine.slot("resolution_date")
    assert engine.suggestion(slot) == ("2026-11-24", None)  # not "yesterday" at the visit


def test_back_at_the_visit_restores_the_presentation_answer(finished):
    finished.follow_up(VISIT)
    nothing = finished.back()
    assert not nothing.accepted and "no answer of this follow-up visit" in nothing.message
    _answer_all(finished, {("biopsy", None): "spongiform_pustules"})
    assert finished.value("biopsy") == "spongiform_pustules"
    assert finished.slot("histology_dress") is not None
    while finished.last_given().question != "biopsy":
        assert finished.back().accepted
    assert finished.last_given().question == "biopsy"
    assert finished.back().accepted
    assert finished.value("biopsy") == "pending"  # as on the presentation day
    assert finished.slot("histology_dress") is None
    assert finished.current().question.id == "biopsy"  # asked again


def test_no_drug_is_removed_at_a_visit(finished):
    finished.follow_up(VISIT)
    refused = finished.remove_repeat("drug", 0)
    assert not refused.accepted and "presentation day's record keeps it" in refused.message
    assert finished.repeats("drug") == 1


def test_the_summary_sets_both_days_side_by_side(scar):
    script, doc = transcript.load(FOLLOW_UP)
    engine = transcript.replay(script, scar, "t", doc)
    before, after = summarize_interview(engine)["visits"]
    assert (before["date"], after["date"]) == ("2026-11-25", "2026-12-09")
    assert (before["kind"], after["kind"], after["only"]) == ("presentation", "follow_up", None)
    assert (before["assessment_day"], after["assessment_day"]) == (2, 16)
    # The biopsy (+3) and the course and desquamation items settle EuroSCAR at 12.
    assert before["scores"]["eurosar_agep"] == {
        "total": 8, "min": -6, "max": 12, "category": "definite", "complete": False}
    assert after["scores"]["eurosar_agep"] == {
        "total": 12, "min": 12, "max": 12, "category": "definite", "complete": True}
    # Naranjo: "improved when stopped" (+1) became known.
    assert (before["drugs"][0]["naranjo"]["total"], after["drugs"][0]["naranjo"]["total"]) == (6, 7)
    assert "answers_changed" not in before
    changed = {c["q"]: (c["before"], c["now"]) for c in after["answers_changed"]}
    # In the options' words, as the summary shows them.
    assert changed["biopsy"] == (
        "done or planned, result pending",
        "spongiform subcorneal and/or intraepidermal pustules, with papillary dermal "
        "oedema (+3)")
    assert changed["assessment_date"] == ("today (2026-11-25, day 2)", "today (2026-12-09, day 16)")
    assert "temperature" not in changed  # confirmed unchanged at the visit
    text = render([("t", summarize_interview(engine))], "md")
    assert ("| | Presentation, day 2, 2026-11-25 | Follow-up 1, day 16, 2026-12-09 |\n"
            "|---|---|---|\n") in text
    assert ("| EuroSCAR AGEP validation score | 8 definite (reachable -6 to 12) | "
            "12 definite |") in text


def test_a_follow_up_transcript_round_trips_byte_for_byte(scar, finished):
    finished.follow_up(VISIT)
    _answer_all(finished, {("resolution_date", None): "3 days ago",
                           ("drug_patch_test", 0): "positive"})
    text = transcript.dumps(transcript.from_engine(finished))
    assert "visits:\n  - date: 2026-12-09\n    answers:\n" in text
    script, doc = transcript.loads(text)
    again = transcript.replay(script, scar, "t", doc)
    assert again.value("resolution_date") == 13  # 3 days before the visit, not before day 2
    assert transcript.dumps(transcript.from_engine(again)) == text
    assert summarize_interview(again) == summarize_interview(finished)
    steps = {s["id"]: s["text"] for s in summarize_interview(again)["next_steps"]}
    assert steps["patch_test_results"].startswith(
        "Patch test results: positive to amoxicillin-clavulanate.")


def test_a_follow_up_entry_that_does_not_fit_is_named(scar):
    text = FOLLOW_UP.read_text().replace(
        "{q: biopsy, value: \"spongiform_pustules_with_papillary_edema\"}",
        "{q: biopsy, value: \"maybe\"}")
    script, doc = transcript.loads(text, "fu.yaml")
    with pytest.raises(InputError) as caught:
        transcript.replay(script, scar, "fu.yaml", doc)
    (problem,) = caught.value.problems
    assert str(problem).startswith("fu.yaml: visits[0].answers[6]: follow-up step 7 (biopsy): "
                                   "'maybe' refused")


def test_a_visit_is_events_in_the_store_and_replays_to_the_same_summary(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    script, _ = transcript.load(FOLLOW_UP)
    sid = record_transcript(store, scar, FOLLOW_UP)
    session = store.find(sid)
    engine = engine_from_events(scar, session, store.events(sid), "t")
    replayed = transcript.replay(script, scar, "t")
    assert summarize_interview(engine) == summarize_interview(replayed)
    assert transcript.dumps(transcript.from_engine(engine)) == FOLLOW_UP.read_text()


async def test_the_assistant_runs_a_visit_and_saves_it(tmp_path, scar, finished):
    """The app at a visit: the presentation answer beside each question, Enter keeps it,
    every answer saved with what it replaced, and the summary's side-by-side table."""
    from triage.ui.app import make_app
    from triage.ui.replay import type_answer

    path = tmp_path / "s.db"
    recorder = Recorder.start(path, finished)
    for a in finished.answers:
        recorder.record(Event("answer", a.question, a.repeat, a.raw, a.unit))
    app = make_app(engine=finished, recorder=recorder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.start_follow_up(VISIT)
        await pilot.pause()
        bubbles = [str(b.said.text) for b in app.screen.chat.query("Bubble")]
        assert any(text.startswith("Follow-up visit 1, 2026-12-09") for text in bubbles)
        assert "Presentation day: 38.9" in bubbles[-1]  # the highest temperature first
        await type_answer(pilot, "")  # kept
        # A relative date is shown with the day it meant: "today" was day 2 then.
        bubbles = [str(b.said.text) for b in app.screen.chat.query("Bubble")]
        assert "Presentation day: today (2026-11-25, day 2)" in bubbles[-1]
        await type_answer(pilot, "")  # the assessment date: the visit's day
        question = str(app.screen.chat.query("Bubble").last().said.text)
        # The last dose, as the day it meant (issue 21 §2).
        assert "Presentation day: today (2026-11-25, day 2)" in question
        assert "(empty = keep 2026-11-25)" in question
        for _ in range(40):
            slot = app.engine.current()
            if slot is None:
                break
            answer = {"drug_patch_test": "3",
                      "resolution_date": "2026-12-02"}.get(slot.question.id, "")
            if slot.question.id.startswith("visit_"):
                answer = "unknown"  # healed: only the vital signs today are asked
            await type_answer(pilot, answer)
        assert app.engine.finished
        assert app.query_one(".summary") is not None
    events = Store(path).events(recorder.session_id)
    kinds = [e.kind for e in events]
    assert kinds.count("follow_up") == 1
    visit = events[kinds.index("follow_up") + 1:]
    assert len(visit) == 23 and all(e.kind == "answer" for e in visit)
    by_question = {e.question: e for e in visit}
    assert (by_question["resolution_date"].value,
            by_question["resolution_date"].previous) == ("2026-12-02", "unknown")
    # Enter kept the presentation answer; the event holds what was kept, not "".
    kept = by_question["drug_stop"]
    assert (kept.value, kept.previous) == ("2026-11-25", "today")
    assert (by_question["assessment_date"].value, by_question["leukocytes"].unit) == (
        "today", "g_per_l")
    (session,) = Store(path).sessions()
    assert session.status == "followed up"
    # The saved events make the same interview: the audit trail is the session.
    again = engine_from_events(scar, session, events, "t")
    assert summarize_interview(again) == app.interview.summary()
    assert transcript.from_engine(again) == transcript.from_engine(app.engine)


def _cli(*args: str, store) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_STORE=str(store))
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_followup_on_the_command_line_says_why_it_cannot(tmp_path, scar):
    path = tmp_path / "s.db"
    store = Store(path)
    open_session = store.create(dt.date(2026, 11, 25), (scar.id, scar.version, scar.hash))
    store.append(open_session, Event("answer", "detachment_any", None, "no"))
    not_finished = _cli("followup", open_session, store=path)
    assert not_finished.returncode == 2
    assert not_finished.stderr.strip() == (
        f"triage followup: session {open_session} is not finished (open): finish it with "
        f"`triage resume {open_session}`, then follow up")
    bad_date = _cli("followup", open_session, "--date", "9 Dec", store=path)
    assert bad_date.returncode == 2
    assert bad_date.stderr.strip() == "triage followup: --date '9 Dec': expected YYYY-MM-DD"

    script, _ = transcript.load(FOLLOW_UP)
    visited = store.create(script.today, (scar.id, scar.version, scar.hash))
    for e in script.answers:
        store.append(visited, Event("answer", e.q, e.repeat, e.value, e.unit))
    store.append(visited, Event("follow_up", value="2026-12-09"))
    other_day = _cli("followup", visited, "--date", "2026-12-20", store=path)
    assert other_day.returncode == 2
    assert other_day.stderr.strip() == (
        f"triage followup: session {visited} is at its follow-up visit of 2026-12-09, which "
        "is not finished; it goes on with that visit (leave out --date and --only), and a "
        "new visit opens once it is finished")
    early = _cli("followup", open_session[:4] + "x", store=path)
    assert early.returncode == 2 and "no session" in early.stderr


def test_followup_records_the_visit_and_opens_the_assistant_on_it(tmp_path, scar, monkeypatch):
    from triage import cli

    path = tmp_path / "s.db"
    store = Store(path)
    script, _ = transcript.load(PRESENTATION)
    sid = store.create(script.today, (scar.id, scar.version, scar.hash))
    for e in script.answers:
        store.append(sid, Event("answer", e.q, e.repeat, e.value, e.unit))
    opened: list = []
    monkeypatch.setattr(cli, "_open_app", lambda engine, recorder: opened.append(
        (engine, recorder)) or 0)
    assert cli.main(["followup", sid[:5], "--date", "2026-12-09", "--store", str(path)]) == 0
    (engine, recorder), = opened
    assert engine.follow_up_visit.on == VISIT and recorder.session_id == sid
    assert engine.current().question.id == "temperature"
    assert Store(path).events(sid)[-1].kind == "follow_up"
    # Again, without a date, once that window has closed: the same visit goes on; no
    # second follow_up event.
    recorder.release()
    assert cli.main(["followup", sid, "--store", str(path)]) == 0
    assert [e.kind for e in Store(path).events(sid)].count("follow_up") == 1
    assert opened[1][0].follow_up_visit.on == VISIT


def test_an_answer_dropped_and_brought_back_at_a_visit_replays_the_same(scar):
    """Found by test_replay_walks (with 1.5's "resolved" and its date): a biopsy edited to
    "pending" at a visit drops its reading; edited back, the presentation day's answer
    returns, as the saved session (whose presentation day keeps it) replays."""
    engine = Engine(scar, dt.date(2026, 11, 25))
    for _ in range(300):
        slot = engine.current()
        if slot is None:
            break
        raw = {"biopsy": "pustules", "histology_dress": "no"}.get(slot.question.id, "unknown")
        if not engine.answer(raw).accepted:
            engine.answer(slot.question.options[0].value if slot.question.options else "no")
    assert engine.follow_up(dt.date(2026, 12, 2)).accepted
    assert engine.edit("biopsy", "pending").accepted
    assert engine.value("histology_dress") is None
    assert engine.edit("biopsy", "pustules").accepted
    assert engine.value("histology_dress") == "no"
    script, doc = transcript.loads(transcript.dumps(transcript.from_engine(engine)))
    again = transcript.replay(script, scar, "t", doc)
    assert summarize_interview(again) == summarize_interview(engine)


def test_the_follow_up_example_keeps_the_last_dose_on_its_day(scar):
    """The review: the example's visit replayed the presentation day's "today" for the
    last dose, which then meant the visit's day (16). Enter keeps it as the day it meant."""
    from triage.summary import summarize_interview

    script, doc = transcript.load(ROOT / "examples" / "agep-follow-up.transcript.yaml")
    engine = transcript.replay(script, scar, "t", doc)
    assert engine.value("drug_stop", 0) == 2
    assert engine.findings.drugs[0].stop_day == 2
    assert '"stop_day": 2' in json.dumps(summarize_interview(engine))


def test_a_case_entered_after_the_fact_is_dated_by_its_answers(scar):
    """Issue 22 §1: a case typed in on 2026-12-02 for a patient who presented on
    2026-10-04 (day 14) showed "presentation: day 14, 2026-12-02". The date is the
    patient's: the onset plus the assessment day the answers give."""
    script, _ = transcript.load(FOLLOW_UP)
    entered = dt.date(2026, 12, 2)
    answers = {"onset_date": "2026-09-20", "assessment_date": "2026-10-04"}
    engine = Engine(scar, entered)
    for a in script.answers:
        engine.answer(answers.get(a.q, a.value), a.unit, question=a.q, repeat=a.repeat)
    assert engine.finished, engine.current()
    assert engine.follow_up(dt.date(2026, 12, 9)).accepted
    _answer_all(engine, {})
    first, visit = summarize_interview(engine)["visits"]
    assert first["assessment_day"] == 14
    assert (first["date"], visit["date"]) == ("2026-10-04", "2026-12-09")
    assert "| | Presentation, day 14, 2026-10-04 | Follow-up 1, day 80, 2026-12-09 |" in render(
        [("t", summarize_interview(engine))], "md")


def test_triage_run_takes_the_day_the_patient_presented(tmp_path):
    """`triage run --date`: 'today' in the answers is that day; a day after today is
    refused before anything opens."""
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    done = subprocess.run([sys.executable, "-m", "triage", "run", "--date", future,
                           "--store", str(tmp_path / "s.db")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"--date {future} is after today; give the day the patient presented" in done.stderr
    from argparse import Namespace

    from triage.cli import assistant

    app = assistant(Namespace(dialog=None, patient=None, no_store=True, store=None,
                              date=dt.date(2026, 10, 4)))
    assert app._build()[0].today == dt.date(2026, 10, 4)
