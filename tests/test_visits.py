"""Visits on one timeline (issue 22 §1): an episode holds any number of visits, each on
its own day; a quick visit asks one score's questions (the day-3 SCORTEN); the summary
sets every visit side by side and says what each changed; transcripts, events and the
store keep the visits in order, and the older one-`follow_up:` transcript still loads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, record_transcript
from triage import transcript
from triage.carry_over import carry_over
from triage.dialog.engine import Engine
from triage.errors import InputError
from triage.render import render
from triage.session import engine_from_events, status_of
from triage.store import Store
from triage.summary import summarize_interview

FOUR = ROOT / "examples" / "sjs-ten-four-visits.transcript.yaml"
SJS_TEN = ROOT / "examples" / "sjs-ten-red-flags.transcript.yaml"
AGEP = ROOT / "examples" / "agep-follow-up.transcript.yaml"
SINGLE = ROOT / "tests" / "cases" / "agep-follow-up-single-visit.transcript.yaml"
DAY_3 = dt.date(2026, 11, 27)


@pytest.fixture
def four(scar) -> Engine:
    script, doc = transcript.load(FOUR)
    return transcript.replay(script, scar, "four", doc)


@pytest.fixture
def admitted(scar) -> Engine:
    """The SJS/TEN overlap as it stood on admission (2026-11-25, day 2)."""
    script, doc = transcript.load(SJS_TEN)
    engine = transcript.replay(script, scar, "t", doc)
    assert engine.finished
    return engine


def _keep_all(engine: Engine, given: dict[str, str]) -> list[str]:
    """Answer the visit's questions in order, as given, else Enter (keep); what was asked."""
    asked = []
    while (slot := engine.current()) is not None:
        asked.append(slot.label())
        assert len(asked) < 60
        keep = "" if engine.suggestion(slot) or slot.question.default else "unknown"
        outcome = engine.answer(given.get(slot.question.id, keep))
        assert outcome.accepted, (slot.label(), outcome.message)
    return asked


def test_a_quick_visit_asks_only_scortens_questions_and_the_day(admitted):
    opened = admitted.follow_up(DAY_3, "scorten")
    assert opened.accepted
    assert opened.notes[0].text == (
        "Follow-up on 2026-11-27: the questions of SCORTEN are asked again; the earlier "
        "visits' answers are kept beside them.")
    asked = _keep_all(admitted, {"visit_heart_rate": "104", "visit_skin_active": "yes",
                                 "visit_detachment_bsa": "25", "urea": "8.2", "glucose": "9.1",
                                 "bicarbonate": "22"})
    # SCORTEN's seven items, the day's heart rate and detached skin as the visit's own
    # signs (with the question that opens the latter), and the day of the visit; no
    # other sign, no drug, no course.
    assert asked == ["age", "assessment_date", "malignancy", "urea", "glucose", "bicarbonate",
                     "visit_heart_rate", "visit_skin_active", "visit_detachment_bsa"]
    assert status_of(admitted) == "followed up"
    progress = {s.id: (done, total) for s, done, total in admitted.progress()}
    assert progress["red_flags"] == (1, 1) and progress["drugs"] == (0, 0)
    assert progress["labs"] == (3, 3) and progress["at_visit"] == (3, 3)
    # The reaction keeps its own values: the widest detachment, the presentation's pulse.
    assert admitted.value("detachment_bsa") == 15 and admitted.value("heart_rate") == 126
    summary = summarize_interview(admitted)
    first, day_3 = summary["visits"]
    # Day 1: age >= 40, heart rate >= 120, detachment > 10 %, urea > 10 mmol/L (BUN 31
    # mg/dL), glucose > 14 mmol/L (262 mg/dL), bicarbonate < 20: 6. Day 3: age and
    # detachment only.
    assert (first["scores"]["scorten"]["total"], day_3["scores"]["scorten"]["total"]) == (6, 2)
    assert (first["assessment_day"], day_3["assessment_day"]) == (2, 4)
    assert day_3["only"] == "scorten" and day_3["only_name"] == "SCORTEN"
    # The level reads the day's heart rate and skin, the other signs as last recorded.
    assert summary["triage"]["visit_basis"].endswith(
        "this visit recorded the questions of SCORTEN only: its other signs are as last "
        "recorded; the presentation day's level is shown beside it")
    scorten = {i["id"]: i for i in summary["scores"]["scorten"]["items"]}
    assert (scorten["heart_rate"]["answer"], scorten["heart_rate"]["fields"]) == (
        104, ["visit.heart_rate_bpm"])
    assert scorten["detachment"]["fields"] == ["visit.detachment_bsa_percent"]
    # Day 4 recorded 25 % detached: the overlap class reads the widest extent.
    sjs = next(p for p in summary["assessment"]["phenotypes"] if p["id"] == "sjs_ten")
    assert sjs["note"] == "SJS/TEN overlap (10-30 % BSA detached)"
    assert "detachment 25 % BSA" in sjs["for"]
    text = render([("t", summary)], "md")
    assert ("| | Presentation, day 2, 2026-11-25 | Follow-up 1 (SCORTEN only), day 4, "
            "2026-11-27 |") in text
    assert "| SCORTEN | 6 5+ | 2 2 |" in text


def test_a_day_three_pulse_counts_though_day_one_had_none(scar):
    """Vital signs not at hand on day 1: the quick visit asks the heart rate at the visit,
    and SCORTEN on day 3 counts it (>= 120)."""
    script, _ = transcript.load(SJS_TEN)
    engine = Engine(scar, script.today)
    for e in script.answers:
        if e.q == "vitals_at_hand":
            engine.answer("no", question=e.q)
        elif e.q not in ("heart_rate", "systolic_bp", "vasopressors", "spo2",
                         "respiratory_rate", "confusion"):
            assert engine.answer(e.value, e.unit, question=e.q, repeat=e.repeat).accepted
    assert engine.finished and engine.slot("heart_rate") is None
    first = summarize_interview(engine)["scores"]["scorten"]
    assert engine.follow_up(DAY_3, "scorten").accepted
    asked = _keep_all(engine, {"visit_heart_rate": "131", "visit_skin_active": "no"})
    assert "visit_heart_rate" in asked and "vitals_at_hand" not in asked
    day_3 = summarize_interview(engine)["scores"]["scorten"]
    heart = {i["id"]: i for i in day_3["items"]}["heart_rate"]
    assert (heart["answer"], heart["points"]) == (131, 1)
    assert {i["id"]: i for i in first["items"]}["heart_rate"]["answer"] is None


def test_a_narrower_detachment_on_day_three_keeps_the_reactions_class(scar, admitted):
    """The review: a quick visit wrote the reaction's own detachment, so 40 % then 8 %
    read as the SJS range. The visit's extent is its own; the class reads the widest."""
    assert admitted.edit("detachment_bsa", "40").accepted
    assert admitted.follow_up(DAY_3, "scorten").accepted
    _keep_all(admitted, {"visit_heart_rate": "100", "visit_skin_active": "yes",
                         "visit_detachment_bsa": "8"})
    summary = summarize_interview(admitted)
    sjs = next(p for p in summary["assessment"]["phenotypes"] if p["id"] == "sjs_ten")
    assert sjs["note"] == "TEN range (> 30 % BSA detached)"
    detached = {i["id"]: i for i in summary["scores"]["scorten"]["items"]}["detachment"]
    assert (detached["answer"], detached["points"]) == (8, 0)  # the day's, for SCORTEN


def test_an_episode_holds_four_visits_side_by_side(four):
    assert [v.on.isoformat() for v in four.visits] == ["2026-11-25", "2026-11-27", "2026-12-08"]
    assert four.follow_up_visit.on == dt.date(2027, 1, 20) and four.finished
    summary = summarize_interview(four)
    visits = summary["visits"]
    assert [(v["number"], v["kind"], v["date"], v["assessment_day"], v["only"])
            for v in visits] == [
        (1, "presentation", "2026-11-25", 2, None),
        (2, "follow_up", "2026-11-27", 4, "scorten"),
        (3, "follow_up", "2026-12-08", 15, None),
        (4, "follow_up", "2027-01-20", 58, None),
    ]
    # SCORTEN is the day's: the labs, heart rate and detached skin recorded at each visit
    # (day 15: 5 %; day 58: healed, none).
    assert [v["scores"]["scorten"]["total"] for v in visits] == [6, 2, 1, 1]
    # Emergency while the skin was detaching; once healed (day 27), the vital signs at
    # the visit are normal and nothing outlasting the skin is active.
    assert [v["triage_level"] for v in visits][:2] == ["emergency", "emergency"]
    assert visits[3]["triage_level"] == "routine"
    assert [v["drugs"][0]["naranjo"]["total"] for v in visits] == [6, 6, 7, 7]
    changed = {c["q"]: (c["before"], c["now"]) for c in visits[1]["answers_changed"]}
    assert changed == {
        "visit_heart_rate": (None, "104 /min"),
        "visit_skin_active": (None, "yes"),
        "visit_detachment_bsa": (None, "25 % BSA"),
        "assessment_date": ("today (2026-11-25, day 2)", "today (2026-11-27, day 4)"),
        "urea": ("31 BUN mg/dL", "8.2 urea mmol/L"),
        "glucose": ("262 mg/dL", "9.1 mmol/L"),
        "bicarbonate": ("18 mmol/L", "22 mmol/L"),
    }
    # In the options' words, never their numbers or codes.
    third = {c["q"]: (c["before"], c["now"]) for c in visits[2]["answers_changed"]}
    assert third["drug_patch_test"] == (None, "not done (yet)")
    assert third["drug_improved"] == ("unknown", "yes")
    fourth = {c["q"]: c["now"] for c in visits[3]["answers_changed"]}
    assert fourth["resolution_date"] == "2026-12-20 (day 27)"
    text = render([("t", summary)], "text")
    assert ("VISITS\n"
            "  1. Presentation, day 2, 2026-11-25\n"
            "  2. Follow-up 1 (SCORTEN only), day 4, 2026-11-27\n"
            "  3. Follow-up 2, day 15, 2026-12-08\n"
            "  4. Follow-up 3, day 58, 2027-01-20\n"
            "  Triage level\n"
            "    1. emergency\n") in text
    assert "  SCORTEN\n    1. 6 5+\n    2. 2 2\n    3. 1 0-1\n    4. 1 0-1\n" in text
    assert "Answers given at follow-up 3 (2027-01-20):" in text


def test_four_visits_round_trip_byte_for_byte_and_as_events(tmp_path, scar, four):
    text = FOUR.read_text()
    assert transcript.dumps(transcript.from_engine(four)) == text
    store = Store(tmp_path / "s.db")
    sid = record_transcript(store, scar, FOUR)
    events = store.events(sid)
    assert [(e.question, e.value) for e in events if e.kind == "follow_up"] == [
        ("scorten", "2026-11-27"), (None, "2026-12-08"), (None, "2027-01-20")]
    again = engine_from_events(scar, store.find(sid), events, "t")
    assert summarize_interview(again) == summarize_interview(four)
    assert transcript.dumps(transcript.from_engine(again)) == text
    assert status_of(again) == "followed up"


def test_the_older_single_follow_up_still_loads_and_saves_as_visits(scar):
    old, doc = transcript.load(SINGLE)
    assert old.follow_up is not None and old.visits == []
    engine = transcript.replay(old, scar, "old", doc)
    new, new_doc = transcript.load(AGEP)
    assert summarize_interview(engine) == summarize_interview(
        transcript.replay(new, scar, "new", new_doc))
    assert transcript.dumps(transcript.from_engine(engine)) == AGEP.read_text()
    # A misfit in the older form is named where that form puts it.
    text = SINGLE.read_text().replace('{q: biopsy, value: "spongiform_pustules_with_papillary_'
                                      'edema"}', '{q: biopsy, value: "maybe"}')
    script, doc = transcript.loads(text, "old.yaml")
    with pytest.raises(InputError) as caught:
        transcript.replay(script, scar, "old.yaml", doc)
    (problem,) = caught.value.problems
    assert str(problem).startswith("old.yaml: follow_up.answers[6]: follow-up step 7 (biopsy)")


def test_visits_given_both_ways_or_out_of_order_are_refused(scar):
    both = AGEP.read_text() + "follow_up:\n  date: 2026-12-10\n  answers: []\n"
    with pytest.raises(InputError) as caught:
        transcript.loads(both, "both.yaml")
    assert "give the visits as `visits:` only" in str(caught.value.problems[0])
    backwards = FOUR.read_text().replace("  - date: 2027-01-20", "  - date: 2026-12-01")
    script, doc = transcript.loads(backwards, "back.yaml")
    with pytest.raises(InputError) as caught:
        transcript.replay(script, scar, "back.yaml", doc)
    (problem,) = caught.value.problems
    assert str(problem) == (
        "back.yaml: visits[2].date: follow-up: the follow-up date 2026-12-01 is before the "
        f"last visit, 2026-12-08 (line {doc.line_of(('visits', 2, 'date'))})")
    unknown_score = FOUR.read_text().replace("only: scorten", "only: alden")
    with pytest.raises(InputError) as caught:
        transcript.loads(unknown_score, "only.yaml")
    assert "visits[0].only" in str(caught.value.problems[0])


def test_four_visits_carry_over_visit_by_visit(scar, four):
    moved = carry_over(four, scar)
    assert moved.left == ()
    assert [v.on for v in moved.engine.visits] == [v.on for v in four.visits]
    assert moved.engine.follow_up_visit.only is None
    assert moved.engine.visits[1].only == "scorten"
    assert summarize_interview(moved.engine) == summarize_interview(four)


def _cli(*args: str, store) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_STORE=str(store))
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_followup_opens_a_new_visit_after_a_finished_one(tmp_path, scar, monkeypatch):
    """`triage followup ID --only scorten`, then `triage followup ID --date ...`: two
    visits, each its own event; a visit under way goes on; an unknown score is refused."""
    from triage import cli

    path = tmp_path / "s.db"
    sid = record_transcript(Store(path), scar, SJS_TEN)
    script, _ = transcript.load(SJS_TEN)
    opened: list = []
    monkeypatch.setattr(cli, "_open_app", lambda engine, recorder: opened.append(
        (engine, recorder)) or 0)
    args = ["--store", str(path)]
    assert cli.main(["followup", sid, "--date", "2026-11-27", "--only", "scorten", *args]) == 0
    engine, recorder = opened[-1]
    assert (engine.follow_up_visit.on, engine.follow_up_visit.only) == (DAY_3, "scorten")
    assert engine.current().question.id == "age"
    # Under way, the visit goes on whatever is asked for, and says why not otherwise.
    recorder.release()
    assert cli.main(["followup", sid, *args]) == 0
    engine, recorder = opened[-1]
    from triage.interview import Interview

    interview = Interview(engine, recorder)
    while (slot := engine.current()) is not None:
        assert interview.answer("" if engine.suggestion(slot) or slot.question.default
                                else "unknown").accepted
    recorder.release()
    assert cli.main(["followup", sid, "--date", "2026-12-08", *args]) == 0
    engine, recorder = opened[-1]
    assert [v.on for v in engine.visits] == [script.today, DAY_3]
    assert engine.follow_up_visit.on == dt.date(2026, 12, 8)
    recorder.release()
    events = Store(path).events(sid)
    assert [(e.question, e.value) for e in events if e.kind == "follow_up"] == [
        ("scorten", "2026-11-27"), (None, "2026-12-08")]
    wrong = _cli("followup", sid, "--only", "alden", store=path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        f"triage followup: session {sid} is at its follow-up visit of 2026-12-08, which is "
        "not finished; it goes on with that visit (leave out --date and --only), and a new "
        "visit opens once it is finished")


def test_an_unknown_score_for_a_quick_visit_is_one_line(tmp_path, scar):
    path = tmp_path / "s.db"
    sid = record_transcript(Store(path), scar, SJS_TEN)
    wrong = _cli("followup", sid, "--only", "alden", store=path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        f"triage followup: session {sid}: 'alden' is not a score of the whole episode "
        "(eurosar_agep, regiscar_dress, scorten)")
    assert [e.kind for e in Store(path).events(sid)].count("follow_up") == 0
    # The hold was given back: the next command opens the session at once.
    again = _cli("export", sid, "--format", "transcript", store=path)
    assert again.returncode == 0, again.stderr


def test_each_visits_next_steps_are_that_days(four):
    """Rules 1.6: at a visit the mouth and genital care follow the sites recorded at it
    (none once healed); the presentation day dates the day-3 SCORTEN (the reminder at
    visits: test_the_day_three_scorten_reminder_at_visits)."""
    from triage.summary import summarize

    def steps(number: int) -> dict[str, str]:
        findings = (four.findings if number == len(four.visits)
                    else four.visits[number].findings)
        summary = summarize(findings, at_visit=number > 0,
                            only=None if number in (0, 3) else four.visits[number].only)
        return {s["id"]: s["text"] for s in summary["next_steps"]}

    presentation, day_3, day_15, healed = (steps(n) for n in range(4))
    assert presentation["scorten_day_3"] == (
        "Compute SCORTEN again on day 3 of care (day 4 (2026-11-27)); it predicts best then "
        "(a quick visit for SCORTEN alone sets it beside today's).")
    assert {"oral_care", "urogenital_review"} <= set(presentation)
    # Day 15: the mouth still eroded, the genital erosions gone (recorded at the visit).
    assert "oral_care" in day_15 and "urogenital_review" not in day_15
    # Healed: no erosions left to follow.
    assert not {"oral_care", "urogenital_review", "ophthalmology"} & set(healed)
    # The lymphocyte transformation test while its window (SJS/TEN: by day 7) is ahead.
    assert presentation["lymphocyte_transformation_test"] == (
        "Lymphocyte transformation test, if available: for SJS/TEN within 1 week of the "
        "onset (by day 7 (2026-11-30)).")
    assert "lymphocyte_transformation_test" in day_3
    assert "lymphocyte_transformation_test" not in day_15
    assert "lymphocyte_transformation_test" not in healed



async def test_the_assistant_offers_a_quick_scorten_visit_and_shows_every_visit(admitted):
    """The palette's "SCORTEN today" and "Follow-up visit today" once a visit is
    finished; a visit's question shows the last visit's answer; a session reopened after
    two visits shows each under its own heading."""
    from triage.ui.app import make_app
    from triage.ui.commands import commands
    from triage.ui.replay import type_answer

    app = make_app(engine=admitted)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [c.title for c in commands(app.screen)]
        assert "SCORTEN today" in titles and "Follow-up visit today" in titles
        app.screen.start_follow_up(DAY_3, "scorten")
        await pilot.pause()
        bubbles = [str(b.said.text) for b in app.screen.chat.query("Bubble")]
        assert ("Follow-up visit 1, 2026-11-27, SCORTEN only (presentation day 2026-11-25)"
                in bubbles)
        assert "Presentation day: 58 years" in bubbles[-1]  # the age comes first
        given = {"visit_skin_active": "yes", "visit_detachment_bsa": "25",
                 "visit_heart_rate": "104", "urea": "8.2", "glucose": "9.1",
                 "bicarbonate": "22"}
        for _ in range(12):
            slot = app.engine.current()
            if slot is None:
                break
            assert slot.question.id in app.engine.follow_up_visit.scope
            await type_answer(pilot, given.get(slot.question.id, ""))
        assert app.engine.finished and app.engine.value("visit_heart_rate") == 104
        assert "SCORTEN today" in [c.title for c in commands(app.screen)]
        app.screen.start_follow_up(dt.date(2026, 12, 8))
        await pilot.pause()
        # The highest temperature first, given on the presentation day (the quick visit
        # did not ask it); the day of the assessment next, given at the quick visit.
        question = str(app.screen.chat.query("Bubble").last().said.text)
        assert "Presentation day: 39.1 °C" in question
        await type_answer(pilot, "")
        question = str(app.screen.chat.query("Bubble").last().said.text)
        assert "Visit of 2026-11-27: today (2026-11-27, day 4)" in question
    reopened = make_app(engine=admitted)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reopened.screen.chat.unfold()  # only the newest messages are laid out at first
        await pilot.pause()
        bubbles = [str(b.said.text) for b in reopened.screen.chat.query("Bubble")]
        first = bubbles.index(
            "Follow-up visit 1, 2026-11-27, SCORTEN only (presentation day 2026-11-25)")
        second = bubbles.index("Follow-up visit 2, 2026-12-08 (presentation day 2026-11-25)")
        assert first < bubbles.index("104 /min") < second  # the heart rate at that visit


def test_four_visits_move_to_another_store_as_an_events_export(tmp_path, scar):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    sid = record_transcript(Store(first), scar, FOUR)
    exported = tmp_path / "four.events.jsonl"
    exported.write_text(_cli("export", sid, "--format", "events", store=first).stdout)
    assert '"kind":"follow_up","question":"scorten"' in exported.read_text().replace(" ", "")
    done = _cli("import", str(exported), store=second)
    assert done.returncode == 0, done.stderr
    (moved,) = Store(second).sessions()
    assert Store(second).events(moved.id) == Store(first).events(sid)
    text = _cli("export", moved.id, "--format", "transcript", store=second).stdout
    assert text == FOUR.read_text()


def test_a_healed_visit_after_sjs_ten_plans_the_late_sequelae(four):
    """Healed on day 27, seen on day 58: the acute mouth, genital and eye care have ended,
    and the eyes and genital mucosa involved during the reaction get their follow-up."""
    steps = {s["id"]: s["text"] for s in summarize_interview(four)["next_steps"]}
    assert steps["late_sequelae"] == (
        "Follow-up in clinic for the late complications of SJS/TEN, which can appear or "
        "progress after the skin has healed; an ophthalmologist, as the eyes were involved "
        "(dry eye, meibomian gland disease, scarring of the ocular surface); a "
        "gynaecological examination within a few months of healing, as the genital mucosa "
        "was involved (vaginal synechiae).")
    assert not {"ophthalmology", "oral_care", "urogenital_review"} & set(steps)


def test_the_eyes_are_involved_today_only_when_the_visit_says_so(scar):
    """Day 15 recorded the mouth alone: the eye review stays (SJS/TEN), without claiming
    the eyes are involved today."""
    script, doc = transcript.load(FOUR)
    cut = script.model_copy(update={"visits": script.visits[:2]})
    engine = transcript.replay(cut, scar, "t", doc)
    steps = {s["id"]: s["text"] for s in summarize_interview(engine)["next_steps"]}
    assert steps["ophthalmology"].startswith("Ophthalmology review within 24 hours, then")
    assert "late_sequelae" not in steps
    first = transcript.replay(script.model_copy(update={"visits": []}), scar, "t", doc)
    steps = {s["id"]: s["text"] for s in summarize_interview(first)["next_steps"]}
    assert "(the eyes are involved: today)" in steps["ophthalmology"]


def test_a_quick_visit_changes_its_scores_answers_only(admitted):
    """The review: a drug added at a quick visit was accepted, and its questions were
    never asked (such a visit asks its score's alone)."""
    from triage.interview import Interview

    assert admitted.follow_up(DAY_3, "scorten").accepted
    interview = Interview(admitted)
    refused = interview.add_entry("drug")
    assert not refused.accepted and refused.message == (
        "this visit records SCORTEN only; open a follow-up visit to change other answers")
    assert not admitted.edit("biopsy", "other_disease").accepted
    assert admitted.repeats("drug") == 1
    assert admitted.edit("age", "59").accepted  # one of SCORTEN's own


def test_the_transcripts_scores_are_the_registrys_episode_scores():
    """A score added to the registry must be one a saved transcript can name."""
    from typing import get_args

    from triage.dialog.engine import score_ids

    assert get_args(transcript.ScoreId) == score_ids()


@pytest.mark.parametrize("extra, says", [
    ("visits: []\n", "give the visits as `visits:` only"),
    ("", "a quick visit (`only`) is given in `visits:`"),
])
def test_the_older_form_takes_neither_visits_nor_a_quick_visit(extra, says):
    text = SINGLE.read_text()
    if not extra:
        text = text.replace("follow_up:\n  date: 2026-12-09\n",
                            "follow_up:\n  date: 2026-12-09\n  only: scorten\n")
    with pytest.raises(InputError) as caught:
        transcript.loads(text + extra, "old.yaml")
    assert says in str(caught.value.problems[0])


def _visit(engine: Engine, on: dt.date, given: dict[str, str], only: str | None = None):
    assert engine.follow_up(on, only).accepted
    _keep_all(engine, given)
    return summarize_interview(engine)


def test_sjs_ten_that_appears_at_a_visit_is_considered(scar):
    """The second review: a benign exanthem on day 1, then detachment, a Nikolsky sign,
    blisters and erosions at a visit: the visit read EMERGENCY while SJS/TEN was 'not
    considered', so no burn unit and no eye review."""
    script, doc = transcript.load(ROOT / "examples" / "benign-exanthem.transcript.yaml")
    engine = transcript.replay(script, scar, "t", doc)
    summary = _visit(engine, script.today + dt.timedelta(days=2), {
        "visit_skin_active": "yes", "visit_detachment_bsa": "25", "visit_nikolsky": "yes",
        "visit_blisters": "yes", "visit_mucosal_sites": "oral, ocular, genital",
        "visit_heart_rate": "125"})
    sjs = next(p for p in summary["assessment"]["phenotypes"] if p["id"] == "sjs_ten")
    assert sjs["considered"] and sjs["note"] == "SJS/TEN overlap (10-30 % BSA detached)"
    assert "no detachment, blisters or Nikolsky sign" not in sjs["against"]
    assert not any(a.startswith("no mucosal involvement") for a in sjs["against"])
    steps = {s["id"] for s in summary["next_steps"]}
    assert {"burn_unit_or_icu", "ophthalmology", "scorten_day_3"} <= steps
    first, visit = summary["visits"]
    assert "sjs_ten" not in first["considered"] and "sjs_ten" in visit["considered"]


def test_the_class_reads_the_widest_extent_over_every_visit(admitted):
    """15 % on day 2, 35 % on day 4 (a quick visit), 5 % on day 15: TEN from day 4 on."""
    _visit(admitted, DAY_3, {"visit_heart_rate": "110", "visit_skin_active": "yes",
                             "visit_detachment_bsa": "35"}, "scorten")
    summary = _visit(admitted, dt.date(2026, 12, 8), {
        "visit_skin_active": "yes", "visit_detachment_bsa": "5"})
    from triage.summary import summarize

    notes = [next(p["note"] for p in summarize(v.findings)["assessment"]["phenotypes"]
                  if p["id"] == "sjs_ten") for v in admitted.visits[:1]]
    assert notes == ["SJS/TEN overlap (10-30 % BSA detached)"]
    assert [
        (p["id"], p["note"]) for p in summary["assessment"]["phenotypes"]
        if p["id"] == "sjs_ten"] == [("sjs_ten", "TEN range (> 30 % BSA detached)")]


def test_eyes_first_involved_at_a_visit_are_followed_once_healed(scar):
    """Mouth only on day 2, the eyes and genitals at the day-7 visit, healed by day 20:
    the late sequelae name the eyes and the genital mucosa."""
    text = SJS_TEN.read_text().replace('value: "oral, ocular, genital"', 'value: "oral"')
    script, doc = transcript.loads(text)
    engine = transcript.replay(script, scar, "t", doc)
    _visit(engine, dt.date(2026, 11, 30), {
        "visit_skin_active": "yes", "visit_mucosal_sites": "oral, ocular, genital"})
    summary = _visit(engine, dt.date(2027, 1, 20), {
        "resolution_date": "2026-12-13", "sex": "female"})
    steps = {s["id"]: s["text"] for s in summary["next_steps"]}
    assert "an ophthalmologist, as the eyes were involved" in steps["late_sequelae"]
    assert "a gynaecological examination" in steps["late_sequelae"]


@pytest.mark.parametrize("visits, says", [
    # A full visit the next day (day 3): SCORTEN is still due on day 4.
    ([("2026-11-26", None)], "Compute SCORTEN again on day 3 of care (day 4 (2026-11-27))"),
    # A quick visit before the due day does not count as the day-3 SCORTEN.
    ([("2026-11-26", "scorten"), ("2026-11-26", None)], "day 4 (2026-11-27)"),
    # Recorded on the due day: nothing more to remind.
    ([("2026-11-27", "scorten"), ("2026-11-27", None)], None),
    # Day 5: the day has passed.
    ([("2026-11-28", None)], None),
])
def test_the_day_three_scorten_reminder_at_visits(admitted, visits, says):
    for on, only in visits:
        summary = _visit(admitted, dt.date.fromisoformat(on), {
            "visit_heart_rate": "100", "visit_skin_active": "yes",
            "visit_detachment_bsa": "15"}, only)
    step = {s["id"]: s["text"] for s in summary["next_steps"]}.get("scorten_day_3")
    assert (step is None) if says is None else (step is not None and says in step)


def test_the_reminder_is_undated_at_a_visit_when_the_presentation_day_is_not_known():
    from tests.conftest import findings
    from triage.next_steps import Episode, scorten_again

    at_a_visit = True
    f = findings(eruption={"assessment_day": 9})
    assert scorten_again(f, at_a_visit, Episode(None)) == {"day": None}
    assert scorten_again(f, at_a_visit, Episode(None, (9,))) is None
    assert scorten_again(f, at_a_visit, Episode(7)) == {"day": 9}  # due today
    assert scorten_again(findings(eruption={"assessment_day": 10}), at_a_visit,
                         Episode(7)) is None
    assert scorten_again(f, False, None) == {"day": 11}  # the presentation day itself


def test_no_mortality_is_given_once_the_skin_has_healed(four):
    """The second review: day 58, healed, read 'Mortality 3.2 %' from SCORTEN."""
    text = render([("t", summarize_interview(four))], "text")
    assert ("No mortality is given: the skin has healed, and SCORTEN predicts death from "
            "the acute reaction") in " ".join(text.split())
    assert "Mortality (the paper" not in text
    script, doc = transcript.load(SJS_TEN)
    admitted = render([("t", summarize_interview(transcript.replay(script, four.dialog,
                                                                    "t", doc)))], "text")
    assert "Mortality (the paper" in admitted


def test_denuded_skin_at_a_visit_is_activity(scar):
    """Dialog 1.8: 'no' to 'still active today' records no skin detached, which SCORTEN
    then counts as 0; the help said peeling after blisters was not activity, which in
    SJS/TEN is the denuded skin SCORTEN counts."""
    help_text = scar.questions["visit_skin_active"].help
    assert "Raw, denuded or detachable skin that has not re-epithelialised is detached skin" in (
        help_text)
    assert "peeling after pustules or blisters" not in help_text


def _healed_visit_steps(**eruption: object) -> dict[str, str]:
    """The next steps of a visit on day 40, the skin healed on day 20."""
    from tests.conftest import findings
    from triage.summary import summarize

    sex = eruption.pop("sex", None)
    base = {"atypical_targets": True, "resolution_day": 20, "assessment_day": 40}
    f = findings(eruption={**base, **eruption}, visit={"heart_rate_bpm": 80},
                 patient={"sex": sex})
    return {s["id"]: s["text"] for s in summarize(f, at_visit=True)["next_steps"]}


def test_late_sequelae_need_detached_skin_or_mucosa_and_name_only_what_applies():
    """Must not: SJS/TEN considered on atypical targets alone (nothing detached, no
    mucosa); no gynaecological examination for a man. Must: the eyes when involved."""
    assert "late_sequelae" not in _healed_visit_steps(
        detachment_bsa_percent=0, mucosal_sites=[])
    eyes_only = _healed_visit_steps(detachment_bsa_percent=0, mucosal_sites=["ocular"])
    assert "an ophthalmologist, as the eyes were involved" in eyes_only["late_sequelae"]
    assert "gynaecological" not in eyes_only["late_sequelae"]
    man = _healed_visit_steps(detachment_bsa_percent=12, mucosal_sites=["genital"],
                              sex="male")
    assert man["late_sequelae"].startswith("Follow-up in clinic for the late complications")
    assert "gynaecological" not in man["late_sequelae"]
    woman = _healed_visit_steps(detachment_bsa_percent=12, mucosal_sites=["genital"],
                                sex="female")
    assert "a gynaecological examination within a few months" in woman["late_sequelae"]
