"""A question and its answer in the clinician's words: the field's label (or the question's
own prompt), the option's label, the unit as printed, a date with the day it means.
What the summary's list of answers and the assistant's echoes show; the transcript keeps
the answers as entered."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from triage import labels
from triage.dialog import values

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

if TYPE_CHECKING:
    from triage.dialog.engine import Answer
    from triage.dialog.loader import LoadedDialog
    from triage.dialog.model import Question


def question_of(dialog: LoadedDialog, question_id: str) -> Question:
    """A question by id, a group's "another one?" included."""
    found = dialog.questions.get(question_id)
    return found if found is not None else dialog.more_question(dialog.group_of[question_id])


def question_label(question: Question, repeat: int | None) -> str:
    """"highest temperature", "drug 2 start"; a question that writes no field of its own
    (a gate, a step of a grade) by its prompt."""
    if question.field is None:
        prompt = question.prompt
        if repeat is not None:
            prompt = f"drug {repeat + 1}: {prompt}"
        return prompt
    return field_label(question.field if repeat is None
                       else f"drugs[{repeat}].{question.field}")


def field_label(path: str) -> str:
    """What a question that fills `path` asks for: its label, and for a day number the
    date it is asked as ("drug 1 start date")."""
    label = labels.of(path)
    return label.label + (" date" if label.unit == "day" else "")


def unit_label(question: Question, unit: str | None) -> str | None:
    """The printed form of a unit id ("x10^9/L" for g_per_l); the first unit when None."""
    units = question.units or []
    if not units:
        return None
    for u in units:
        if u.id == unit:
            return u.label
    return units[0].label if unit is None else unit


def answer_words(question: Question, answer: Answer, day: int | None = None,
                 onset: dt.date | None = None) -> str:
    """The answer as the clinician reads it back: "yes", "typical", "101.3 °F", "today
    (2026-10-04, day 14)". `day` is the day number a date answer means, `onset` the
    onset's date."""
    raw = answer.raw
    if values.is_unknown(raw):
        return "unknown"
    try:
        if question.type == "yes_no":
            return values.yes_no(raw)
        if question.type == "choice" and question.options:
            chosen = values.choice(question, raw)
            return next((o.label for o in question.options if o.value == chosen), chosen)
        if question.type == "multi" and question.options:
            chosen_list = values.multi(question, raw)
            by_value = {o.value: o.label for o in question.options}
            return ", ".join(by_value.get(v, v) for v in chosen_list) or "none"
    except values.AnswerError:
        return raw
    if question.units and values.is_normal_answer(question, raw):
        return "within normal limits"
    if question.bounds is not None:
        try:
            given = values.bound(question, raw)
        except values.AnswerError:
            given = None
        if given is not None:
            from triage.derived import bound_words

            bound_said = f"{bound_words(given)} " + (unit_label(question, answer.unit) or "")
            typed = " ".join(raw.strip().casefold().split())
            return (f"{raw.strip()} ({bound_said})" if typed in question.bounds.words
                    else bound_said)
    if question.units:
        unit = unit_label(question, answer.unit)
        number, note = values.split_note(question, raw)
        # "1.5 x10^9/L" typed with its unit is said as typed, not with a second one.
        typed_unit = values.unit_typed(number)
        said = f"{number} {unit}" if unit and number.strip() and not typed_unit else number
        return f"{said} ({note})" if note else said
    if question.type == "date":
        word = values.date_word(question, raw)
        if word is not None:
            return next(o.label for o in question.options or () if o.value == word)
        return _date_words(question, raw.strip(), day, onset)
    return raw


def _date_words(question: Question, raw: str, day: int | None, onset: dt.date | None) -> str:
    """A date as typed, with the calendar date it means unless typed as one, and its day
    number: "today (2026-10-04, day 14)", "-9 (2026-09-11, day -9)"."""
    typed_as_date = _ISO.fullmatch(raw) is not None
    if question.role == "onset":
        return raw if typed_as_date or onset is None else f"{raw} ({onset.isoformat()})"
    if day is None:
        return raw
    shown = [] if typed_as_date or onset is None else [
        (onset + dt.timedelta(days=day)).isoformat()]
    return f"{raw} ({', '.join([*shown, f'day {day}'])})"


#: A findings refusal at an answer, in the clinician's words, by the validator's error
#: type (triage/findings.py); the findings file keeps its field names for programs.
_REFUSALS = {
    "stop_before_start": "the last dose (day {value}) is before the first (day {start})",
    "ongoing_but_stopped": "last taken on day {stop}, before the eruption began, so it was "
                           "not taken on the day it began",
    "stopped_but_taken_at_onset": "last taken on day {stop}, so it was still taken on the day "
                                  "the eruption began, not stopped before it",
    "continued_but_stopped": "continued without harm, yet stopped before the eruption "
                             "began",
}


def refusal_words(kind: str, path: str, context: dict[str, Any], message: str) -> str:
    """Why the findings refuse an answer, in words: "drug 1: the last dose (day -12) is
    before the first (day -10)". A refusal without its own words keeps the validator's
    message, after the field's label."""
    template = _REFUSALS.get(kind)
    if template is None:
        return f"{labels.of(path).label if path else 'answer'}: {message}"
    # The drug's refusals are about its whole course: said of the drug.
    drug = re.match(r"drugs\[(\d+)\]", path)
    subject = f"drug {int(drug.group(1)) + 1}" if drug else labels.of(path).label
    return f"{subject}: " + template.format(**context)
