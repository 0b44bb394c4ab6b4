"""Answer parsing: each answer type, units to canonical, dates to day numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from triage.dialog import values
from triage.dialog.model import Question

TODAY = dt.date(2026, 11, 25)


def q(**fields) -> Question:
    return Question.model_validate({"id": "q", "prompt": "?", **fields})


@pytest.mark.parametrize(("raw", "value"), [("yes", "yes"), ("Y", "yes"), ("true", "yes"),
                                            ("no", "no"), ("N", "no"), (" false ", "no")])
def test_yes_no(raw, value):
    assert values.yes_no(raw) == value


def test_yes_no_refuses_anything_else():
    with pytest.raises(values.AnswerError, match="allowed: yes, no, unknown"):
        values.yes_no("maybe")


@pytest.mark.parametrize("raw", ["unknown", "?", "U", "don't know"])
def test_unknown_words(raw):
    assert values.is_unknown(raw)


CHOICE = q(type="choice", options=[{"value": "typical", "label": "typical (+2)"},
                                   {"value": "compatible", "label": "compatible (+1)"}])


@pytest.mark.parametrize("raw", ["typical", "TYPICAL", "1", "typical (+2)"])
def test_choice_by_value_number_or_label(raw):
    assert values.choice(CHOICE, raw) == "typical"


def test_choice_refusal_lists_the_options():
    with pytest.raises(values.AnswerError, match="allowed: typical, compatible"):
        values.choice(CHOICE, "3")


def test_multi():
    sites = q(type="multi", options=[{"value": "oral", "label": "mouth"},
                                     {"value": "ocular", "label": "eyes"}])
    assert values.multi(sites, "oral, eyes") == ["oral", "ocular"]
    assert values.multi(sites, "none") == []
    with pytest.raises(values.AnswerError, match="listed twice"):
        values.multi(sites, "oral, 1")


TEMPERATURE = q(type="decimal", units=[{"id": "C", "label": "°C"},
                                       {"id": "F", "label": "°F",
                                        "to_canonical": "(x - 32) * 5 / 9"}], range=[30, 45])


@pytest.mark.parametrize(
    ("raw", "unit", "canonical"),
    [("38.5", None, 38.5), ("101.3", "F", 38.5), ("101.3 F", None, 38.5),
     ("100.4 °F", None, 38.0), ("38", "C", 38)],
)
def test_temperature_units(raw, unit, canonical):
    assert values.number(TEMPERATURE, raw, unit, {})[2] == pytest.approx(canonical)


def test_number_outside_the_plausible_range_names_both_units():
    with pytest.raises(values.AnswerError, match=r"120 °F = 48.8889 °C is outside the "
                                                 r"plausible range 30 to 45 °C"):
        values.number(TEMPERATURE, "120", "F", {})


@pytest.mark.parametrize("raw", ["thirty", "", "38,5,1", "38.5,1"])
def test_not_a_number(raw):
    with pytest.raises(values.AnswerError, match="is not a number"):
        values.number(TEMPERATURE, raw, None, {})


@pytest.mark.parametrize(("raw", "unit", "canonical"), [
    ("38,5", None, 38.5), ("38,55", None, 38.55), ("101,3 F", None, 38.5), (" 39,0 ", None, 39),
    ("38,5000", None, 38.5),  # four digits: no thousands separator
])
def test_a_decimal_comma_is_read_as_a_decimal_point(raw, unit, canonical):
    """Issue 21 §5: '38,5' as typed in most of Europe."""
    assert values.number(TEMPERATURE, raw, unit, {})[2] == canonical


def test_after_a_whole_part_of_0_three_digits_are_decimals(scar):
    # 0,700 x10⁹/L can only be 0.7: no one writes 700 as 0,700.
    assert values.number(scar.questions["eosinophils"], "0,700", "g_per_l", {})[2] == 700


def test_a_comma_before_three_digits_is_refused_as_ambiguous():
    # 7,200 is 7.2 in Germany and 7200 in the United States: asked, never guessed.
    with pytest.raises(values.AnswerError, match=r"'7,200' could be 7.200 or 7200"):
        values.number(TEMPERATURE, "7,200", None, {})


@pytest.mark.parametrize(("raw", "date"), [
    ("1 year ago", dt.date(2025, 11, 25)), ("a year ago", dt.date(2025, 11, 25)),
    ("2 years ago", dt.date(2024, 11, 25)), ("2 months ago", dt.date(2026, 9, 25)),
    ("one month ago", dt.date(2026, 10, 25)), ("3 weeks ago", dt.date(2026, 11, 4)),
    ("5 days ago", dt.date(2026, 11, 20)), ("9999999999 years ago", None),
])
def test_durations_ago_are_calendar_dates(raw, date):
    assert values.calendar_date(raw, dt.date(2026, 11, 25)) == date


def test_a_year_before_29_february_is_28_february():
    assert values.calendar_date("1 year ago", dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_a_drug_started_a_year_ago_is_day_minus_365_from_a_recent_onset():
    assert values.day_number("1 year ago", dt.date(2026, 11, 25), "2026-11-25") == -365


def test_unknown_unit_lists_the_units():
    with pytest.raises(values.AnswerError, match=r"unit 'K' is not one of C \(°C\), F \(°F\)"):
        values.number(TEMPERATURE, "300", "K", {})


def test_integer_must_be_whole():
    rate = q(type="integer", units=[{"id": "bpm", "label": "/min"}], range=[20, 300])
    assert values.number(rate, "88", None, {})[2] == 88
    with pytest.raises(values.AnswerError, match="not a whole number"):
        values.number(rate, "88.5", None, {})


def _scar_question(scar, qid):
    return scar.questions[qid]


@pytest.mark.parametrize(
    ("qid", "raw", "unit", "findings", "canonical"),
    [
        ("leukocytes", "14.2", "g_per_l", {}, 14200),
        ("neutrophils", "7.2", "g_per_l", {}, 7200),
        ("neutrophils", "50", "percent", {"labs": {"leukocytes_per_mm3": 14000}}, 7000),
        ("urea", "28", "bun_mg_dl", {}, 9.996),
        ("urea", "29", "bun_mg_dl", {}, 10.353),
        ("urea", "60", "urea_mg_dl", {}, 9.99),
        ("glucose", "252", "mg_dl", {}, 13.9876),
        ("bicarbonate", "19", "meq_per_l", {}, 19),
    ],
)
def test_lab_units_convert_at_the_edge(scar, qid, raw, unit, findings, canonical):
    assert values.number(_scar_question(scar, qid), raw, unit, findings)[2] == pytest.approx(
        canonical, abs=1e-3)


def test_a_percentage_needs_the_leukocytes_first(scar):
    with pytest.raises(values.AnswerError, match=r"% of leukocytes needs the leukocytes first"):
        values.number(_scar_question(scar, "neutrophils"), "50", "percent", {})


def test_eosinophils_in_percent_go_to_their_own_field(scar):
    _, unit, canonical = values.number(_scar_question(scar, "eosinophils"), "12", "percent", {})
    assert (unit.field, canonical) == ("labs.eosinophils_percent", 12)


@pytest.mark.parametrize(
    ("raw", "date"),
    [("2026-11-20", "2026-11-20"), ("today", "2026-11-25"), ("Yesterday", "2026-11-24"),
     ("5 days ago", "2026-11-20"), ("1 day ago", "2026-11-24"), ("2 weeks ago", "2026-11-11")],
)
def test_onset_dates(raw, date):
    assert values.onset_date(raw, TODAY) == date


def test_onset_in_the_future_is_refused():
    with pytest.raises(values.AnswerError, match="after today"):
        values.onset_date("2026-12-01", TODAY)


@pytest.mark.parametrize(
    ("raw", "day"),
    [("-9", -9), ("+3", 3), ("0", 0), ("day -9", -9), ("9 days before onset", -9),
     ("3 days after the onset", 3), ("1 day before", -1), ("2026-11-11", -9),
     ("today", 5), ("11 days ago", -6), ("5", 5)],
)
def test_day_numbers_relative_to_the_onset(raw, day):
    assert values.day_number(raw, TODAY, "2026-11-20") == day


@pytest.mark.parametrize("raw", ["6", "+7", "6 days after onset"])
def test_a_day_number_after_today_is_refused(raw):
    with pytest.raises(values.AnswerError, match=r"is after today \(day 5\)"):
        values.day_number(raw, TODAY, "2026-11-20")


def test_a_calendar_date_needs_the_onset():
    with pytest.raises(values.AnswerError, match="the onset date is unknown"):
        values.day_number("2026-11-11", TODAY, None)
    assert values.day_number("-9", TODAY, None) == -9


def test_text_is_one_clean_line():
    assert values.text("  Privigen \x1b[31m lot\n123 ") == "Privigen [31m lot 123"
    with pytest.raises(values.AnswerError, match="at most 200"):
        values.text("x" * 201)
    with pytest.raises(values.AnswerError, match="an answer is needed"):
        values.text("   ")


def test_what_was_typed_is_read_the_same_in_the_ui_replay_and_cli(scar):
    """Issue 20 §4: number keys for yes/no, '101.3 F' as 101.3 in unit F, a bare number in
    the unit selector's choice, read in dialog/values.py rather than in the UI."""
    from triage.dialog.values import as_typed

    yes_no = scar.questions["nikolsky"]
    temperature = scar.questions["temperature"]
    assert as_typed(yes_no, "1") == ("yes", None)
    assert as_typed(yes_no, " 2 ") == ("no", None)
    assert as_typed(yes_no, "3") == ("3", None)
    assert as_typed(temperature, "101.3 F") == ("101.3", "F")
    assert as_typed(temperature, "38.2") == ("38.2", None)
    assert as_typed(temperature, "101.3", chosen_unit="F") == ("101.3", "F")
    first = temperature.units[0].id
    assert as_typed(temperature, "38.2", chosen_unit=first) == ("38.2", None)
    assert as_typed(temperature, "38.2", chosen_unit="kelvin") == ("38.2", None)


@pytest.mark.parametrize(("question", "typed", "unit"), [
    ("leukocytes", "11.2 G/L", "g_per_l"), ("leukocytes", "11.2 x10^9/L", "g_per_l"),
    ("leukocytes", "11.2 x10⁹/L", "g_per_l"), ("leukocytes", "11.2 g_per_l", "g_per_l"),
    ("leukocytes", "7200 /mm3", "per_mm3"), ("urea", "20 BUN mg/dL", "bun_mg_dl"),
    ("urea", "20 urea mg/dl", "urea_mg_dl"), ("glucose", "90 mg/dL", "mg_dl"),
    ("neutrophils", "60 %", "percent"), ("bicarbonate", "22 meq/l", "meq_per_l"),
])
def test_a_unit_is_read_as_a_clinician_types_it(scar, question, typed, unit):
    """Issue 21 §2: units are shown and typed as printed, never only by their ids."""
    assert values.as_typed(scar.questions[question], typed) == (typed.split()[0], unit)


def test_a_typed_unit_that_disagrees_with_the_chosen_one_is_refused(scar):
    """Review of issue 21: '7.2G/L' (no space) with the selector on % was read as 7.2 %."""
    neutrophils = scar.questions["neutrophils"]
    raw, unit = values.as_typed(neutrophils, "7.2G/L", "percent")
    with pytest.raises(values.AnswerError, match=r"is in x10⁹/L, but the unit chosen is %"):
        values.number(neutrophils, raw, unit, {"labs": {"leukocytes_per_mm3": 9000}})
    assert values.number(neutrophils, "7.2G/L", None, {})[2] == 7200
