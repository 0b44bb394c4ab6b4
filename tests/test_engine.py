"""The dialog engine: order, branching, units, dates, back, edit, jump, groups, findings."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import ROOT
from triage.dialog.engine import Engine
from triage.result import evaluate

TODAY = dt.date(2026, 11, 25)
CLEAR = {"detachment_any": "no", "nikolsky": "no", "blisters": "no", "atypical_targets": "no",
         "mucosal_sites": "none", "skin_pain": "no", "vitals_at_hand": "yes", "heart_rate": "80"}


@pytest.fixture
def engine(scar) -> Engine:
    return Engine(scar, TODAY)


def walk(engine: Engine, answers: dict[str, str], drugs: list[dict[str, str]] | None = None,
         until: str | None = None) -> list:
    """Answer the current question from `answers` (unknown otherwise) until `until` is next."""
    outcomes = []
    drugs = drugs or []
    while (slot := engine.current()) is not None and slot.question.id != until:
        q = slot.question
        if q.id == "drug_more":
            raw = "yes" if slot.repeat + 1 < len(drugs) else "no"
        elif slot.repeat is not None:
            raw = drugs[slot.repeat].get(q.id, "unknown")
        else:
            raw = answers.get(q.id, "unknown" if q.unknown_allowed else q.options[0].value)
        outcome = engine.answer(raw, answers.get(f"{q.id}_unit"))
        assert outcome.accepted, (slot.label(), raw, outcome.message)
        outcomes.append((slot.label(), outcome))
    return outcomes


def test_the_red_flag_screen_comes_first(engine):
    first = [s.question.id for s in engine.slots()][:4]
    assert first == ["detachment_any", "nikolsky", "blisters", "atypical_targets"]
    assert engine.current().section.id == "red_flags"


def test_an_emergency_is_said_at_once_and_the_interview_goes_on(engine):
    engine.answer("no")  # detachment
    outcome = engine.answer("yes")  # Nikolsky
    assert outcome.accepted
    assert [n.kind for n in outcome.notes] == ["emergency"]
    assert "Nikolsky" in outcome.notes[0].text
    assert engine.current().question.id == "blisters"


def test_a_refused_answer_keeps_the_same_question(engine):
    walk(engine, CLEAR, until="heart_rate")
    outcome = engine.answer("400")
    assert not outcome.accepted and "outside the plausible range 20 to 300" in outcome.message
    assert engine.current().question.id == "heart_rate"
    assert engine.answer("88").accepted


def test_unknown_is_an_answer_unless_the_dialog_says_otherwise(engine):
    assert engine.unknown().accepted
    assert engine.answers[-1].raw == "unknown"
    walk(engine, {**CLEAR, "drugs_any": "yes"}, until="drug_name")
    outcome = engine.unknown()
    assert not outcome.accepted and "unknown is not allowed" in outcome.message


def test_branching_skips_questions_that_do_not_apply(engine):
    walk(engine, CLEAR)
    ids = {a.question for a in engine.answers}
    assert "detachment_bsa" not in ids
    f = engine.findings
    assert f.eruption.detachment_bsa_percent == 0 and f.eruption.mucosal_sites == []


def test_dates_become_day_numbers_relative_to_the_onset(engine):
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "assessment_date": "today",
                  "drugs_any": "yes"},
         [{"drug_name": "carbamazepine", "drug_start": "2026-10-27",
           "drug_stop": "3 days ago"}], until="rash_bsa")
    f = engine.findings
    assert f.eruption.assessment_day == 5
    assert (f.drugs[0].start_day, f.drugs[0].stop_day) == (-24, 2)


def test_stop_before_start_is_refused_with_the_reason(engine):
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "x", "drug_start": "-10"}], until="drug_stop")
    outcome = engine.answer("-12")
    assert not outcome.accepted
    # In the clinician's words, never a field path (issue 21 §2).
    assert outcome.message == "drug 1: the last dose (day -12) is before the first (day -10)"


# Blisters: SJS/TEN could be considered, so SCORTEN's laboratory items are asked.
BLISTERS = {**CLEAR, "blisters": "yes"}


def test_units_are_converted_and_kept_as_entered(engine):
    walk(engine, {**BLISTERS, "temperature": "101.3", "temperature_unit": "F",
                  "urea": "29", "urea_unit": "bun_mg_dl"})
    assert engine.findings.systemic.temperature_max_c == 38.5
    assert engine.findings.labs.urea_mmol_per_l == pytest.approx(10.353)
    temperature = next(a for a in engine.answers if a.question == "temperature")
    assert (temperature.raw, temperature.unit) == ("101.3", "F")


@pytest.mark.parametrize(("bun", "points"), [("28", 0), ("29", 1)])
def test_bun_in_mg_dl_reaches_the_scorten_boundary_correctly(engine, bun, points):
    walk(engine, {**BLISTERS, "urea": bun, "urea_unit": "bun_mg_dl"})
    scorten = evaluate(engine.findings).score("scorten")
    assert next(i for i in scorten.items if i.id == "urea").points == points


@pytest.mark.parametrize(
    ("answer", "grade"),
    [("typical", "typical"), ("compatible", "compatible"), ("insufficient", "insufficient"),
     ("none", "insufficient"), ("unknown", None)],
)
def test_the_pustules_choice_is_the_eurosar_grade(engine, answer, grade):
    # Its options are the EuroSCAR table's words; "no pustules" scores as insufficient.
    walk(engine, {**CLEAR, "pustules": answer}, until="erythema_grade")
    assert engine.findings.eruption.pustules == grade


def test_a_derived_fact_is_said_when_it_becomes_known(engine):
    outcomes = walk(engine, {**CLEAR, "onset_date": "2026-11-08", "assessment_date": "today",
                             "drugs_any": "no", "resolution_date": "not yet"},
                    until="desquamation")
    notes = [n.text for _, o in outcomes for n in o.notes if n.kind == "derived"]
    assert len(notes) == 1 and "17" in notes[0]


def test_back_takes_back_the_last_answer(engine):
    engine.answer("no")
    engine.answer("yes")
    assert engine.back().accepted
    assert engine.current().question.id == "nikolsky"
    assert engine.findings.eruption.nikolsky is None
    assert [a.question for a in engine.answers] == ["detachment_any"]


def test_back_with_nothing_to_take_back(engine):
    assert not engine.back().accepted


def test_edit_drops_the_answers_that_no_longer_apply_and_lists_them(engine):
    engine.answer("yes")  # detachment
    engine.answer("12")  # % BSA
    assert engine.findings.eruption.detachment_bsa_percent == 12
    outcome = engine.edit("detachment_any", "no")
    assert outcome.accepted
    assert [a.question for a in outcome.dropped] == ["detachment_bsa"]
    assert [n.text for n in outcome.notes if n.kind == "dropped"] == [
        "detached or detachable skin (12 % BSA) no longer applies"]
    assert engine.findings.eruption.detachment_bsa_percent == 0


def test_an_edit_that_newly_enables_a_question_asks_it_next(engine):
    walk(engine, CLEAR, until="onset_date")
    engine.edit("detachment_any", "yes")
    assert engine.current().question.id == "detachment_bsa"


def test_an_invalid_edit_is_refused_and_nothing_changes(engine):
    walk(engine, CLEAR, until="onset_date")
    before = json.dumps(engine.findings_dict(), sort_keys=True)
    outcome = engine.edit("heart_rate", "1000")
    assert not outcome.accepted
    assert json.dumps(engine.findings_dict(), sort_keys=True) == before


def test_jump_to_a_section(engine):
    first = engine.current()  # asked before the jump, as the assistant does
    assert first.section.id != "labs"
    assert engine.jump("labs")
    assert engine.current().question.id == "leukocytes"
    engine.answer("9000")
    assert engine.current().question.id == "neutrophils"
    assert engine.jump(first.section.id)  # and back to where the interview began
    assert engine.current() == first
    assert not engine.jump("nowhere")


def test_progress_by_section(engine):
    walk(engine, CLEAR, until="onset_date")
    progress = {section.id: (done, total) for section, done, total in engine.progress()}
    assert progress["red_flags"] == (15, 15)  # the skin's six, age, temperature, seven vitals
    assert progress["timeline"] == (0, 3)


def test_drugs_repeat_one_group_per_drug(engine):
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "allopurinol", "drug_start": "-21", "drug_stop": "still taking"},
          {"drug_name": "IVIg", "drug_start": "-9", "drug_stop": "still taking",
           "drug_batch": "Privigen lot 42"},
          {"drug_name": "zyxotide", "drug_start": "-9", "drug_biological": "yes"}],
         until="rash_bsa")
    drugs = engine.findings.drugs
    assert [d.name for d in drugs] == ["allopurinol", "IVIg", "zyxotide"]
    asked = {(a.question, a.repeat) for a in engine.answers}
    # A listed drug is known to be a biological product or not; one on no list is asked.
    assert ("drug_batch", 1) in asked and ("drug_dose", 1) not in asked
    assert ("drug_batch", 0) not in asked and ("drug_biological", 0) not in asked
    assert ("drug_dose", 0) in asked
    assert ("drug_biological", 2) in asked and ("drug_batch", 2) in asked
    # A drug's rarer details (rechallenge, half-life by hand...) are asked only when
    # opened: left out for every drug, and offered for every drug.
    left = {(s.question.id, s.repeat) for s in engine.left_out()}
    assert not {("drug_rechallenge", r) for r in range(3)} & asked
    assert {("drug_rechallenge", r) for r in range(3)} <= left
    assert {("drug_half_life", 2), ("drug_notoriety", 2)} <= left


def test_no_drugs_is_an_empty_list_not_unknown(engine):
    walk(engine, {**CLEAR, "drugs_any": "no"}, until="rash_bsa")
    assert engine.findings.drugs == []


def test_findings_are_valid_at_every_step_and_the_interview_ends(engine):
    steps = 0
    while not engine.finished:
        assert engine.unknown().accepted or engine.answer(
            engine.current().question.options[0].value).accepted
        engine.findings.model_dump()  # a valid model at every step
        steps += 1
        assert steps < 200
    assert engine.current() is None


def test_the_same_answers_give_the_same_findings_byte_for_byte(scar):
    runs = []
    for _ in range(2):
        e = Engine(scar, TODAY)
        walk(e, {**CLEAR, "temperature": "39.2", "onset_date": "5 days ago",
                 "drugs_any": "yes"}, [{"drug_name": "Bactrim", "drug_start": "-10"}])
        runs.append(json.dumps(evaluate(e.findings).as_json(), sort_keys=True))
    assert runs[0] == runs[1]


def test_answering_a_named_question_that_does_not_apply(engine):
    outcome = engine.answer("12", question="detachment_bsa")
    assert not outcome.accepted and "does not apply" in outcome.message


@pytest.mark.parametrize(
    ("expression", "plan"),
    [
        ("answers.x == 'yes'", (("answers", "x"),)),
        ("item.a != 'yes' and (answers.b in ['yes', 'no'])", (("answers", "b"), ("item", "a"))),
        ("not drug_info.biological", (("drug_info", "biological"),)),
        ("answers.x == 'findings.y'", (("answers", "x"),)),
        ("findings.labs.x > 3", None),
        ("answers.x.y == 1", None),
        ("answers.get('x')", None),
        ("answers['x'] == 1", None),
        ("repeat > 2", None),
        ("answers.x | length > 2", None),
    ],
)
def test_memoized_conditions_know_everything_they_read(expression, plan):
    from triage.dialog.conditions import plan_of

    assert plan_of(expression) == plan


def _three_drugs(engine):
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": n, "drug_start": s, "drug_stop": "still taking"}
          for n, s in (("allopurinol", "-21"), ("IVIg", "-9"), ("amoxicillin", "-3"))],
         until="rash_bsa")


@pytest.mark.parametrize(
    ("index", "left"),
    [(0, ["IVIg", "amoxicillin"]), (1, ["allopurinol", "amoxicillin"]),
     (2, ["allopurinol", "IVIg"])],
)
def test_remove_a_drug_moves_the_later_ones_up(engine, index, left):
    _three_drugs(engine)
    assert engine.repeats("drug") == 3
    outcome = engine.remove_repeat("drug", index)
    assert outcome.accepted
    assert [d.name for d in engine.findings.drugs] == left
    assert engine.repeats("drug") == 2
    assert engine.current().question.id == "rash_bsa"  # nothing left open by the removal
    starts = {"allopurinol": -21, "IVIg": -9, "amoxicillin": -3}
    assert [d.start_day for d in engine.findings.drugs] == [starts[n] for n in left]


def test_add_a_drug_by_saying_another_follows(engine):
    _three_drugs(engine)
    assert engine.edit("drug_more", "yes", repeat=2).accepted
    assert (engine.current().question.id, engine.current().repeat) == ("drug_name", 3)


def test_remove_refuses_what_is_not_there(engine):
    _three_drugs(engine)
    assert not engine.remove_repeat("drug", 5).accepted
    assert not engine.remove_repeat("nikolsky", 0).accepted


@pytest.mark.parametrize(("resolved", "last_active"), [("not yet", 17), ("unknown", None)])
def test_only_a_not_resolved_answer_says_the_skin_was_active(engine, resolved, last_active):
    # On day 17, "not resolved" is a day the skin was seen active; "unknown" says nothing,
    # and EuroSCAR's resolution item stays open instead of scoring -4.
    walk(engine, {**CLEAR, "onset_date": "2026-11-08", "assessment_date": "today",
                  "resolution_date": resolved, "drugs_any": "no"})
    f = engine.findings
    assert (f.eruption.assessment_day, f.eruption.last_active_day) == (17, last_active)
    item = next(i for i in evaluate(f).score("eurosar_agep").items if i.id == "resolution")
    assert (item.points, item.known) == ((-4, True) if resolved == "not yet" else (0, False))


@pytest.mark.parametrize(("stop", "ongoing", "stop_day", "dechallenge_asked"), [
    ("still taking", True, None, True),
    ("still_taking", True, None, True),
    ("0", None, 0, False),      # last taken on the day it began: taken at the onset
    ("-3", None, -3, False),    # stopped before it
    ("unknown", None, None, True),
])
def test_a_drugs_course_is_one_answer_a_day_or_still_taking(
        engine, stop, ongoing, stop_day, dechallenge_asked):
    asked = [label for label, _ in walk(
        engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
        [{"drug_name": "x", "drug_start": "-10", "drug_stop": stop}], until="rash_bsa")]
    drug = engine.findings.drugs[0]
    assert (drug.ongoing_at_onset, drug.stop_day) == (ongoing, stop_day)
    assert ("drug_dechallenge #1" in asked) is dechallenge_asked
    # A last dose says the drug was stopped (ALDEN's dechallenge item reads it).
    assert (drug.dechallenge == "stopped") is (stop_day is not None)


def test_a_date_question_names_its_words_when_an_answer_is_neither(engine):
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "x", "drug_start": "-10"}], until="drug_stop")
    outcome = engine.answer("ongoing")
    assert not outcome.accepted and outcome.message.endswith(
        "; or 'still taking it'; or 'stopped before the eruption began, date unknown'")
    assert engine.answer("still taking it").accepted


def test_a_date_questions_words_may_not_look_like_a_day():
    from pydantic import ValidationError

    from triage.dialog.model import Question

    with pytest.raises(ValidationError, match="has a digit"):
        Question(id="q", type="date", prompt="?", options=[{"value": "day_2", "label": "x"}])
    with pytest.raises(ValidationError, match="only a date question takes on_date"):
        Question(id="q", type="yes_no", prompt="?", on_date={"x": 1})


def test_a_drug_stopped_before_the_onset_is_not_asked_what_happened_after_it(engine):
    asked = [label for label, _ in walk(
        engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
        [{"drug_name": "x", "drug_start": "-10",
          "drug_stop": "-3"}],
        until="rash_bsa")]
    assert "drug_stop #1" in asked and "drug_dechallenge #1" not in asked
    assert engine.findings.drugs[0].dechallenge == "stopped"


def test_a_number_keeps_a_note_in_brackets_as_typed(engine):
    """The body-surface helper's answer: the number, then how it was found (issue 21 §6).
    The note is kept with the answer and read back after the unit."""
    from triage.dialog.wording import answer_words

    walk(engine, {"detachment_any": "yes"}, until="detachment_bsa")
    raw = "27 (rule of nines: front of the trunk 18 % + left arm and hand 9 %)"
    assert engine.answer(raw).accepted
    assert engine.findings.eruption.detachment_bsa_percent == 27
    given = engine.answers[-1]
    assert given.raw == raw
    assert answer_words(engine.slot("detachment_bsa").question, given) == (
        "27 % BSA (rule of nines: front of the trunk 18 % + left arm and hand 9 %)")
    # A bracket that is not a note after a number is still refused.
    assert not engine.edit("detachment_bsa", "(27)").accepted


@pytest.mark.parametrize(("question", "raw", "expected"), [
    ("eosinophils", "1.5 (x10⁹/L)", 1500),  # a unit in brackets is a unit, not a note
    ("age", "6 (months)", None),            # refused, never 6 years
    ("detachment_bsa", "12 (" + "x" * 301 + ")", None),  # a note is bounded
])
def test_only_a_body_surface_answer_takes_a_note(scar, question, raw, expected):
    from triage.dialog import values

    q = scar.questions[question]
    if expected is None:
        with pytest.raises(values.AnswerError):
            values.number(q, raw, None, {})
    else:
        assert values.number(q, raw, None, {})[2] == expected


def test_a_question_a_red_flag_reads_is_asked_even_if_marked_on_request(tmp_path):
    """The review: on_request must not get round "what feeds the level is always asked"
    (triage check refuses it too)."""
    from triage.dialog.loader import loads_dialog

    text = (ROOT / "dialogs" / "scar.yaml").read_text().replace(
        "        prompt: Is the Nikolsky sign positive (lateral pressure shears off the "
        "epidermis)?\n",
        "        prompt: Is the Nikolsky sign positive (lateral pressure shears off the "
        "epidermis)?\n        on_request: true\n")
    assert "on_request: true\n        field: eruption.nikolsky" in text
    engine = Engine(loads_dialog(text, "nikolsky-on-request"), TODAY)
    assert engine.answer("no").accepted
    assert engine.current().question.id == "nikolsky"


def test_a_day_number_after_today_is_refused_as_a_future_date_is(engine):
    """The review: "+30" with today on day 5 was taken as a last dose in the future."""
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "x", "drug_start": "-10"}], until="drug_stop")
    for raw in ("+30", "30", "6 days after onset"):
        outcome = engine.answer(raw)
        assert not outcome.accepted and outcome.message == f"day {raw.strip('+').split()[0]} "\
            "is after today (day 5)"
    assert engine.answer("5").accepted  # today itself


def test_a_drug_stopped_before_the_onset_on_an_unknown_day(engine):
    """The review: 1.6 could not say "stopped before the onset, date unknown" (1.5 could):
    ALDEN's criterion 4 reads it."""
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "x", "drug_start": "-10", "drug_stop": "stopped before onset"}],
         until="rash_bsa")
    drug = engine.findings.drugs[0]
    assert (drug.ongoing_at_onset, drug.stop_day, drug.dechallenge) == (False, None, "stopped")
    assert ("drug_dechallenge", 0) not in {a.key for a in engine.answers}


@pytest.mark.parametrize(("raw", "unit", "said"), [
    ("1.5 x10⁹/L", None, "1.5 x10⁹/L"),   # typed with its unit: said once (the review)
    ("1.5", "g_per_l", "1.5 x10⁹/L"),     # the selector's unit
    ("700", None, "700 /mm³ (= /µL)"),    # the first unit
])
def test_a_number_is_read_back_with_one_unit(scar, raw, unit, said):
    from triage.dialog.engine import Answer
    from triage.dialog.wording import answer_words

    assert answer_words(scar.questions["eosinophils"],
                        Answer("eosinophils", None, raw, unit)) == said
