"""One interview object (issue 20 §3): whatever the clinician does goes through
`Interview`, which applies it on the replay's path and records it as the engine took it;
the UI never touches the store."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from tests.conftest import ROOT
from tests.test_engine import CLEAR, walk
from triage.dialog.engine import Engine
from triage.interview import Interview
from triage.session import Recorder, Recording, engine_from_events, header_of
from triage.store import Store
from triage.summary import summarize_interview

TODAY = dt.date(2026, 11, 25)


def test_every_change_is_recorded_as_taken_and_the_log_replays(tmp_path, scar):
    store = Store(tmp_path / "s.db")
    engine = Engine(scar, TODAY)
    interview = Interview(engine, Recorder.start(store.path, engine))
    assert interview.answer("unknown").accepted  # detachment: Nikolsky is asked
    assert interview.answer("  no\u202e ").accepted  # nikolsky, saved as the engine took it
    assert interview.unknown().accepted
    outcome, taken, restored = interview.take_back()
    assert outcome.accepted and taken is not None and taken.question == "blisters"
    assert restored is None
    assert interview.edit(("nikolsky", None), "yes").accepted
    assert not interview.edit(("nikolsky", None), "perhaps").accepted  # refused: not saved
    sid = interview.recorder.session_id
    events = store.events(sid)
    assert [(e.kind, e.question, e.value, e.previous) for e in events] == [
        ("answer", "detachment_any", "unknown", None),
        ("answer", "nikolsky", "no", None),
        ("answer", "blisters", "unknown", None),
        ("back", "blisters", None, "unknown"),
        ("edit", "nikolsky", "yes", "no"),
    ]
    replayed = engine_from_events(scar, Recording(TODAY, scar.id, scar.version, scar.hash),
                                  events, "t")
    assert replayed.answers == engine.answers
    assert summarize_interview(replayed) == interview.summary()


def test_drugs_added_and_removed_and_a_follow_up_go_through_the_interview(tmp_path, scar):
    engine = Engine(scar, TODAY)
    recorder = Recorder(None, None, scar.version, header_of(engine, None),
                        fallback_dir=tmp_path)
    recorder.problem = "no store in this test"
    interview = Interview(engine, recorder)
    assert not interview.add_entry("drug").accepted  # no drug yet
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "amoxicillin", "drug_start": "-5"},
          {"drug_name": "allopurinol", "drug_start": "-20"}])
    assert engine.finished and engine.repeats("drug") == 2
    assert interview.remove_entry("drug", 0).accepted
    assert engine.repeats("drug") == 1
    assert interview.add_entry("drug").accepted
    assert engine.current().label() == "drug_name #2"
    kinds = [e.kind for e in recorder._events]
    assert kinds == ["remove", "edit"]
    assert recorder._events[1].question == "drug_more" and recorder._events[1].value == "yes"
    fresh = Engine(scar, TODAY)
    walk(fresh, {**CLEAR, "onset_date": "2026-11-20"})
    later = Interview(fresh)
    assert later.follow_up(dt.date(2026, 12, 2)).accepted
    assert fresh.follow_up_visit is not None


def test_the_ui_never_imports_the_store_or_builds_events():
    for path in sorted((ROOT / "triage" / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                     for a in n.names}
        assert "triage.store" not in imported, Path(path).relative_to(ROOT)
        assert "Event(" not in path.read_text(), Path(path).relative_to(ROOT)


def test_take_back_undoes_the_last_change_an_edit_included(tmp_path, scar):
    """Issue 21 §3: ctrl+z after an edit takes the edit back (its earlier answer returns),
    not the last answer of the interview; then the answers, newest first."""
    store = Store(tmp_path / "s.db")
    engine = Engine(scar, TODAY)
    interview = Interview(engine, Recorder.start(store.path, engine))
    for raw in ("unknown", "no", "no"):  # detachment, Nikolsky, blisters
        assert interview.answer(raw).accepted
    assert interview.edit(("nikolsky", None), "yes").accepted
    outcome, taken, restored = interview.take_back()
    assert outcome.accepted
    assert (taken.raw, restored.raw) == ("yes", "no")
    assert engine.value("nikolsky") == "no" and engine.value("blisters") == "no"
    outcome, taken, restored = interview.take_back()  # now the last answer
    assert (taken.question, restored) == ("blisters", None)
    assert [(e.kind, e.question, e.value, e.previous) for e in store.events(
        interview.recorder.session_id)][-3:] == [
        ("edit", "nikolsky", "yes", "no"), ("edit", "nikolsky", "no", "yes"),
        ("back", "blisters", None, "no")]


def test_an_edit_that_dropped_answers_is_not_undone_half(scar):
    """Undoing it would bring the edited answer back without the answers it dropped: the
    take-back goes to the answers, newest first, instead."""
    engine = Engine(scar, TODAY)
    interview = Interview(engine)
    assert interview.answer("yes").accepted  # detachment
    assert interview.answer("12").accepted  # % BSA
    assert interview.answer("no").accepted  # Nikolsky
    outcome = interview.edit(("detachment_any", None), "no")
    assert [a.question for a in outcome.dropped] == ["detachment_bsa"]
    assert not interview.takes_back_an_edit
    _, taken, restored = interview.take_back()
    assert (taken.question, restored) == ("nikolsky", None)


def test_a_refused_undo_does_not_block_the_take_back(scar):
    """An edit whose question no longer applies cannot be undone; ctrl+z goes on with the
    answers rather than refusing for ever."""
    engine = Engine(scar, TODAY)
    interview = Interview(engine)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "amoxicillin", "drug_start": "-5"}], until="drug_ongoing")
    assert interview.edit(("drug_start", 0), "-6").accepted
    assert interview.takes_back_an_edit
    engine.edit("drugs_any", "no")  # outside the interview: the drug's answers go
    outcome, _, restored = interview.take_back()
    assert outcome.accepted and restored is None
    assert not interview.takes_back_an_edit


def test_at_a_follow_up_visit_take_back_is_the_engines_own(scar):
    """At a visit an edit is undone by the engine's take-back, which restores the answer
    as it was given (a relative date keeps its day); a second ctrl+z never brings the
    edit back."""
    from tests.test_follow_up import PRESENTATION, VISIT
    from triage import transcript

    script, doc = transcript.load(PRESENTATION)
    engine = transcript.replay(script, scar, "t", doc)
    interview = Interview(engine)
    assert interview.follow_up(VISIT).accepted
    assert interview.answer("37").accepted  # the visit's temperature
    assert interview.edit(("heart_rate", None), "130").accepted
    assert not interview.takes_back_an_edit
