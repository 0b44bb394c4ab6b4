"""The engine reuses a group entry (a drug) from the last pass when everything it read is
the same: the interview it gives must be the one working everything out again gives, after
every operation of any walk, and entries must in fact be reused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_dialog_properties import GARBAGE, valid_answer
from triage.dialog.engine import Engine
from triage.dialog.loader import default_dialog_path, load_dialog, loads_dialog

DIALOG = load_dialog(default_dialog_path())
TODAY = dt.date(2026, 11, 25)


def _from_scratch() -> Engine:
    """An engine that works every entry out on every pass."""
    engine = Engine(DIALOG, TODAY)
    engine._reuse.reads = lambda group: None  # type: ignore[method-assign]
    return engine


def _same(reusing: Engine, fresh: Engine) -> None:
    assert reusing._state == fresh._state
    assert reusing._answers == fresh._answers and reusing._history == fresh._history
    assert reusing.findings == fresh.findings
    assert reusing.current() == fresh.current()
    # current() is remembered between operations: it must be what a scan finds now.
    assert reusing.current() == reusing._first_open()
    assert fresh.current() == fresh._first_open()


@st.composite
def operations(draw) -> list[tuple[str, object]]:
    """A walk's operations, drawn against the interview as it goes (on a scratch engine)."""
    engine = _from_scratch()
    done: list[tuple[str, object]] = []
    for _ in range(draw(st.integers(30, 140))):
        slot = engine.current()
        choice = draw(st.sampled_from(
            ["valid"] * 6 + ["unknown", "garbage", "back", "edit", "remove", "follow_up"]))
        if slot is None and choice in ("valid", "unknown", "garbage"):
            choice = "follow_up"
        if choice == "valid":
            op: tuple[str, object] = ("answer", valid_answer(slot, draw))
        elif choice == "unknown":
            op = ("answer", "unknown")
        elif choice == "garbage":
            op = ("answer", draw(st.sampled_from(GARBAGE)))
        elif choice == "back":
            op = ("back", None)
        elif choice == "edit":
            answered = engine.answers
            if not answered:
                continue
            target = draw(st.sampled_from(answered))
            target_slot = engine.slot(target.question, target.repeat)
            op = ("edit", (target.question, valid_answer(target_slot, draw), target.repeat))
        elif choice == "remove":
            op = ("remove", draw(st.integers(0, 3)))
        else:
            op = ("follow_up", TODAY + dt.timedelta(days=draw(st.integers(0, 30))))
        _apply(engine, op)
        done.append(op)
    return done


def _apply(engine: Engine, op: tuple[str, object]) -> object:
    kind, arg = op
    if kind == "answer":
        return engine.answer(arg)  # type: ignore[arg-type]
    if kind == "back":
        return engine.back()
    if kind == "edit":
        question, raw, repeat = arg  # type: ignore[misc]
        return engine.edit(question, raw, repeat=repeat)
    if kind == "remove":
        return engine.remove_repeat("drug", arg)  # type: ignore[arg-type]
    return engine.follow_up(arg)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(operations())
def test_reusing_entries_gives_the_interview_working_them_out_again_gives(ops):
    reusing, fresh = Engine(DIALOG, TODAY), _from_scratch()
    for op in ops:
        assert _apply(reusing, op) == _apply(fresh, op), op
        _same(reusing, fresh)


def _with_drugs(engine: Engine, names: list[str]) -> None:
    # the skin's red flags; age, temperature, the vital signs at hand: heart rate and the rest
    vitals = ("unknown", "unknown", "yes", "80") + ("unknown",) * 5
    for raw in ("no",) * 6 + vitals + ("2026-11-20", "today", "yes", "yes"):
        assert engine.answer(raw).accepted, raw
    for n, name in enumerate(names):
        given = {"drug_name": name, "drug_start": "-10", "drug_stop": "-2"}
        while (slot := engine.current()).question.id != "drug_more":
            q = slot.question
            raw = given.get(q.id) or ("unknown" if q.unknown_allowed else q.options[0].value)
            assert engine.answer(raw).accepted, (slot.label(), raw)
        assert engine.answer("yes" if n < len(names) - 1 else "no").accepted


def test_an_answer_after_the_drugs_reuses_every_drug_entry():
    engine = Engine(DIALOG, TODAY)
    _with_drugs(engine, ["amoxicillin", "IVIg", "Bactrim"])
    before = dict(engine._reuse.entries)
    assert len(before) == 3
    assert engine.answer("unknown").accepted  # the first question after the drugs
    assert all(engine._reuse.entries[key] is entry for key, entry in before.items())


def test_a_changed_drug_is_worked_out_again_and_the_others_reused():
    engine = Engine(DIALOG, TODAY)
    _with_drugs(engine, ["amoxicillin", "IVIg", "Bactrim"])
    before = dict(engine._reuse.entries)
    assert engine.edit("drug_start", "-20", repeat=1).accepted
    assert engine.findings.drugs[1].start_day == -20
    kept = [key for key, entry in before.items() if engine._reuse.entries.get(key) is entry]
    assert sorted(key[1] for key in kept) == [0, 2]


def test_the_onset_is_read_by_every_entry_with_a_date():
    # The same answers, a new onset: "today" for a drug start means another day number.
    engine = Engine(DIALOG, TODAY)
    _with_drugs(engine, ["amoxicillin"])
    assert engine.edit("drug_start", "2026-11-18", repeat=0).accepted
    assert engine.edit("drug_stop", "2026-11-19", repeat=0).accepted
    drug = engine.findings.drugs[0]
    assert (drug.start_day, drug.stop_day) == (-2, -1)
    assert engine.edit("onset_date", "2026-11-15").accepted
    drug = engine.findings.drugs[0]
    assert (drug.start_day, drug.stop_day) == (3, 4)


HEAD = 'schema: triage.dialog/1\nid: t\nversion: "1"\ntitle: test\nsections:\n'
GROUP = """  - id: s
    title: S
    questions:
      - id: sex
        type: choice
        prompt: Sex?
        field: patient.sex
        options: [{value: female, label: Female}, {value: male, label: Male}]
      - id: drug
        type: group
        prompt: Each drug.
        field: drugs
        more: {id: drug_more, prompt: Another?}
        questions:
          - id: drug_name
            type: text
            prompt: Name?
            field: name
          - id: drug_extra
            type: yes_no
            prompt: Extra?
            %s
"""


@pytest.mark.parametrize(
    ("member", "reads"),
    [
        ("field: ongoing_at_onset", ((), ())),
        ("enable_when: answers.sex == 'female' and visit.follow_up\n            field: "
         "ongoing_at_onset", (("sex",), ("follow_up",))),
        # Findings, a whole name or a call: what they read cannot be told from the text.
        ("enable_when: findings.patient.sex == 'female'", None),
        ("enable_when: answers", None),
        ("enable_when: item.drug_name | length > 3", None),
    ],
)
def test_what_an_entry_reads_is_told_from_its_conditions_or_not_at_all(member, reads):
    dialog = loads_dialog(HEAD + GROUP % member)
    engine = Engine(dialog, TODAY)
    found = engine._reuse.reads(dialog.questions["drug"])
    assert found == (None if reads is None else (("drug_name", "drug_extra", "drug_more"), *reads))


def test_a_reused_entry_shares_nothing_a_caller_could_change():
    # findings_dict() hands out the pass's plain data: changing it must not reach the
    # entries the next pass reuses, whose findings come from the answers alone.
    engine = Engine(DIALOG, TODAY)
    _with_drugs(engine, ["amoxicillin", "IVIg"])
    engine.findings_dict()["drugs"][0]["name"] = "changed"
    assert engine.answer("unknown").accepted
    assert [d.name for d in engine.findings.drugs] == ["amoxicillin", "IVIg"]
