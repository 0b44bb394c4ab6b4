"""Random walks through the default dialog: valid, invalid and unknown answers, back and
edit. Nothing raises, the findings are valid at every step, and every walk ends."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.dialog.engine import Engine, Slot
from triage.dialog.loader import default_dialog_path, load_dialog
from triage.result import evaluate

DIALOG = load_dialog(default_dialog_path())
TODAY = dt.date(2026, 11, 25)
GARBAGE = ["", "maybe", "-", "1e999", "999999999", "-40", "2026-13-45", "\x1b[2J", "yes no",
           "0x10", "NaN", "3,5", "next tuesday", "🙂"]


def valid_answer(slot: Slot, draw) -> str:
    q = slot.question
    if q.id == "drug_more":
        return draw(st.sampled_from(["yes", "no", "no", "no"]))
    if q.type == "yes_no":
        return draw(st.sampled_from(["yes", "no"]))
    if q.type == "choice":
        return draw(st.sampled_from([o.value for o in q.options]))
    if q.type == "multi":
        values = draw(st.lists(st.sampled_from([o.value for o in q.options]), unique=True))
        return ", ".join(values) or "none"
    if q.type in ("integer", "decimal"):
        low, high = q.range or (0, 100)
        number = draw(st.integers(int(low), int(high)))
        return str(number)
    if q.type == "date":
        if q.role == "onset":
            return draw(st.sampled_from(["today", "3 days ago", "2026-11-01"]))
        return draw(st.sampled_from(["-30", "-5", "0", "today", "2026-11-10", "2 days ago"]))
    return draw(st.sampled_from(["amoxicillin", "IVIg", "Bactrim", "lot 7", "x"]))


@st.composite
def walks(draw):
    engine = Engine(DIALOG, TODAY)
    for _ in range(draw(st.integers(20, 160))):
        slot = engine.current()
        if slot is None:
            break
        action = draw(st.sampled_from(["valid"] * 6 + ["unknown", "garbage", "back", "edit"]))
        if action == "valid":
            outcome = engine.answer(valid_answer(slot, draw))
        elif action == "unknown":
            outcome = engine.unknown()
        elif action == "garbage":
            outcome = engine.answer(draw(st.sampled_from(GARBAGE)))
        elif action == "back":
            outcome = engine.back()
        else:
            answered = engine.answers
            if not answered:
                continue
            target = draw(st.sampled_from(answered))
            target_slot = engine.slot(target.question, target.repeat)
            outcome = engine.edit(target.question, valid_answer(target_slot, draw),
                                  repeat=target.repeat)
        assert outcome.accepted or outcome.message
        engine.findings.model_dump()  # valid at every step
    return engine


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(walks(), st.data())
def test_random_walks_never_raise_keep_findings_valid_and_end(engine, data):
    evaluate(engine.findings).as_json()
    for _ in range(600):
        slot = engine.current()
        if slot is None:
            break
        if slot.question.id == "drug_more":
            assert engine.answer("no").accepted
            continue
        if engine.unknown().accepted:
            continue
        # A question that takes no unknown must take some valid answer: no dead ends.
        refused = []
        for _ in range(20):
            outcome = engine.answer(valid_answer(slot, data.draw))
            if outcome.accepted:
                break
            refused.append(outcome.message)
        else:
            raise AssertionError(f"{slot.label()} takes no answer: {refused}")
    assert engine.finished
