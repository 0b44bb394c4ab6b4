"""Transcripts and event logs replay after any walk the assistant allows (issue 19 §9):
jumps between sections, edits, take-backs, removed drugs and up to three follow-up visits
(some quick visits for one score, some left unfinished), driven at random; the saved
transcript and the recorded events both rebuild the same summary."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_dialog_properties import DIALOG, GARBAGE, TODAY, valid_answer
from triage import transcript
from triage.dialog.engine import Engine
from triage.session import Recording, engine_from_events
from triage.store import Event
from triage.summary import summarize_interview

SECTIONS = [s.id for s in DIALOG.dialog.sections]
REF = Recording(TODAY, DIALOG.id, DIALOG.version, DIALOG.hash)


@st.composite
def walks(draw):
    """An interview as a clinician might drive it, with the events the assistant records."""
    engine = Engine(DIALOG, TODAY)
    events: list[Event] = []

    def step(visit: bool) -> None:
        action = draw(st.sampled_from(
            ["valid"] * 6 + ["unknown", "garbage", "back", "edit", "jump", "remove"]))
        slot = engine.current()
        if action == "jump":
            engine.jump(draw(st.sampled_from(SECTIONS)))  # not an event: nothing changes
            return
        if action == "back":
            taken = engine.last_given()
            if engine.back().accepted and taken is not None:
                events.append(Event("back", taken.question, taken.repeat, previous=taken.raw))
            return
        if action == "edit":
            answered = engine.visited if visit else engine.answers
            if not answered:
                return
            target = draw(st.sampled_from(answered))
            target_slot = engine.slot(target.question, target.repeat)
            if target_slot is None:
                return
            raw = valid_answer(target_slot, draw)
            if engine.edit(target.question, raw, repeat=target.repeat).accepted:
                events.append(Event("edit", target.question, target.repeat, raw,
                                    previous=target.raw))
            return
        if action == "remove":
            count = engine.repeats("drug")
            if count and not visit:
                index = draw(st.integers(0, count - 1))
                if engine.remove_repeat("drug", index).accepted:
                    events.append(Event("remove", "drug", index))
            return
        if slot is None:
            return
        raw = {"valid": lambda: valid_answer(slot, draw), "unknown": lambda: "unknown",
               "garbage": lambda: draw(st.sampled_from(GARBAGE))}[action]()
        if engine.answer(raw, question=slot.question.id, repeat=slot.repeat).accepted:
            events.append(Event("answer", slot.question.id, slot.repeat, raw))

    def finish() -> None:
        for _ in range(400):
            slot = engine.current()
            if slot is None:
                break
            # At a visit, Enter keeps an answer where there is one to keep.
            keep = engine.follow_up_visit is not None and engine.suggestion(slot) is not None
            raw = "no" if slot.question.id == "drug_more" else "" if keep else "unknown"
            if not engine.answer(raw).accepted:
                raw = valid_answer(slot, draw)
                if not engine.answer(raw).accepted:
                    continue
            events.append(Event("answer", slot.question.id, slot.repeat, raw))

    for _ in range(draw(st.integers(10, 140))):
        step(False)
    finish()  # the presentation day, then perhaps visits, each with its own walk
    on = TODAY
    for _ in range(draw(st.integers(0, 3))):
        if not engine.finished:
            break
        on += dt.timedelta(days=draw(st.sampled_from([0, 1, 2, 13])))
        only = draw(st.sampled_from([None, None, "scorten", "eurosar_agep"]))
        assert engine.follow_up(on, only).accepted
        events.append(Event("follow_up", only, value=on.isoformat()))
        for _ in range(draw(st.integers(0, 30))):
            step(True)
        if draw(st.booleans()):
            finish()
    return engine, [Event(**{**e.__dict__, "seq": n}) for n, e in enumerate(events, 1)]


def _summary(engine: Engine) -> str:
    return json.dumps(summarize_interview(engine), sort_keys=True, default=str)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(walks())
def test_a_saved_walk_replays_to_the_same_summary(walk):
    engine, events = walk
    expected = _summary(engine)
    saved = transcript.dumps(transcript.from_engine(engine))
    loaded, doc = transcript.loads(saved)
    replayed = transcript.replay(loaded, DIALOG, doc=doc)
    assert _summary(replayed) == expected
    assert transcript.dumps(transcript.from_engine(replayed)) == saved
    assert _summary(engine_from_events(DIALOG, REF, events, "events")) == expected


def test_a_calendar_date_edited_after_the_onset_became_known_replays():
    """The issue's report: drugs answered first (a jump), the onset after, then the start
    edited to a calendar date; the transcript had the date before the onset."""
    engine = Engine(DIALOG, TODAY)
    assert engine.jump("drugs")
    for raw in ("yes", "amoxicillin", "-5"):
        assert engine.answer(raw).accepted
    assert engine.jump("timeline") and engine.answer("2026-11-20").accepted
    assert engine.edit("drug_start", "2026-11-10", repeat=0).accepted
    saved = transcript.dumps(transcript.from_engine(engine))
    assert [line.split(",")[0] for line in saved.splitlines()[4:]] == [
        "  - {q: onset_date", "  - {q: drugs_any", "  - {q: drug_name", "  - {q: drug_start"]
    loaded, doc = transcript.loads(saved)
    replayed = transcript.replay(loaded, DIALOG, doc=doc)
    assert replayed.value("drug_start", 0) == -10
    assert _summary(replayed) == _summary(engine)
