"""Answers as entered -> canonical values, one function per answer type.

Every refusal is an AnswerError whose message says what was given and what is allowed,
so the UI can show it and ask the same question again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from triage import labels
from triage.dialog.conditions import ExpressionError, evaluate
from triage.dialog.model import Question, Unit
from triage.numbers import fmt_number

UNKNOWN_WORDS = ("unknown", "?", "u", "dont know", "don't know", "not known")
YES_WORDS = ("yes", "y", "true")
NO_WORDS = ("no", "n", "false")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class AnswerError(ValueError):
    """An answer the question cannot take; the message is for the clinician."""


def is_unknown(raw: str) -> bool:
    """Whether the text means "unknown"."""
    return raw.strip().casefold() in UNKNOWN_WORDS


_BOUND = re.compile(r"^(>|<|more than|over|above|greater than|less than|under|below)\s*"
                    r"(\d+(?:[.,]\d+)?)\s*%?\s*(?:bsa)?$")


def bound(question: Question, raw: str) -> str | None:
    """A bound where the question takes one ("> 50", "more than 50 %", "generalized" as
    the dialog defines it), as the findings keep it ("> 50"); None when `raw` is not one.
    A bound outside the question's range is refused."""
    if question.bounds is None or question.range is None:
        return None
    word = " ".join(raw.strip().casefold().split())
    word = question.bounds.words.get(word, word)
    match = _BOUND.match(word)
    if match is None:
        return None
    op = ">" if match.group(1) in (">", "more than", "over", "above", "greater than") else "<"
    value = float(match.group(2).replace(",", "."))
    low, high = question.range
    if not low < value < high:
        raise AnswerError(f"{op} {fmt_number(value)} leaves nothing between "
                          f"{fmt_number(low)} and {fmt_number(high)}")
    return f"{op} {fmt_number(value)}"


def normal_lab(question: Question) -> str | None:
    """The laboratory value a number question may take "normal" for (its `labs` field
    with a usual interval: triage/reference_intervals.py), or None."""
    field = question.field or ""
    if not field.startswith("labs."):
        return None
    from triage.reference_intervals import intervals

    name = field.removeprefix("labs.")
    return name if name in intervals() else None


def is_normal_answer(question: Question, raw: str) -> bool:
    """Whether `raw` says "within normal limits" for a question that takes it."""
    from triage.reference_intervals import is_normal

    return is_normal(raw) and question.type in ("integer", "decimal")


def as_typed(question: Question, text: str, chosen_unit: str | None = None
             ) -> tuple[str, str | None]:
    """What a clinician typed, as a transcript keeps it: the answer and its unit. A yes/no
    answered with its number key (1 yes, 2 no; a choice takes its number in the engine);
    '101.3 F' as 101.3 in unit F; a bare number in `chosen_unit` (a unit selector's
    choice) when that is not the question's first unit (a number in the first unit is
    kept without one, as a transcript keeps it)."""
    if question.type == "yes_no" and text.strip() in ("1", "2"):
        return ("yes" if text.strip() == "1" else "no"), None
    if is_normal_answer(question, text):
        return text, None  # no number, no unit
    units = question.units or []
    if len(units) > 1:
        number, _, unit = text.strip().partition(" ")
        if unit.strip():
            try:
                return number, _unit(question, None, unit).id
            except AnswerError:
                pass
        if not unit and chosen_unit != units[0].id and chosen_unit in {u.id for u in units}:
            return number, chosen_unit
    return text, None


def yes_no(raw: str) -> str:
    """'yes' or 'no' from the usual spellings."""
    word = raw.strip().casefold()
    if word in YES_WORDS:
        return "yes"
    if word in NO_WORDS:
        return "no"
    raise AnswerError(f"{raw!r} is not an answer here; allowed: yes, no, unknown")


def choice(question: Question, raw: str) -> str:
    """An option's value from its value, its number (1-based) or its label."""
    assert question.options is not None
    word = raw.strip()
    for option in question.options:
        if word.casefold() in (option.value.casefold(), option.label.casefold()):
            return option.value
    if word.isdigit() and 1 <= int(word) <= len(question.options):
        return question.options[int(word) - 1].value
    allowed = ", ".join(o.value for o in question.options)
    raise AnswerError(f"{raw!r} is not one of the options; allowed: {allowed} (or their number)")


def date_word(question: Question, raw: str) -> str | None:
    """The option a date question's answer names in place of a date ("still taking",
    "not yet"), by its value (underscores or spaces) or its label; None for anything else.
    Never by number: a number is a day."""
    word = " ".join(raw.strip().casefold().replace("_", " ").split())
    for option in question.options or ():
        if word in (option.value.casefold().replace("_", " "), option.label.casefold()):
            return option.value
    return None


def multi(question: Question, raw: str) -> list[str]:
    """A list of option values, comma-separated; 'none' is the empty list."""
    if raw.strip().casefold() in ("none", "no", "[]", ""):
        return []
    values: list[str] = []
    for part in raw.split(","):
        value = choice(question, part)
        if value in values:
            raise AnswerError(f"{value!r} is listed twice")
        values.append(value)
    return values


#: A note in brackets after a % of the body surface, kept with the answer: how it was
#: found ("27 (rule of nines: front of the trunk 18 % + left arm and hand 9 %)"). Only
#: there: elsewhere a bracket may hold a unit ("1.5 (x10^9/L)", "6 (months)"), which must
#: never be set aside as a note.
_NOTE = re.compile(r"^(.*?\S)\s*\(([^()]{1,300})\)\s*$")


def split_note(question: Question, raw: str) -> tuple[str, str | None]:
    """A % BSA answer and the note in brackets after it, if any; any other answer whole."""
    from triage.bsa import applies

    match = _NOTE.match(raw)
    if match is None or not applies([u.label for u in question.units or ()]):
        return raw, None
    return match.group(1), match.group(2).strip()


_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$")


def unit_typed(raw: str) -> bool:
    """Whether a number's answer carries its unit as typed ("101.3 F", "1.5 x10^9/L")."""
    try:
        match = _NUMBER.match(_decimal_comma(raw))
    except AnswerError:
        return False
    return bool(match and match.group(2).strip())


def number(
    question: Question, raw: str, unit_id: str | None, findings: dict[str, Any]
) -> tuple[float | int, Unit, Any]:
    """(the number as entered, its unit, the canonical value) for a number question.

    The unit comes from `unit_id`, or from text after the number ("101.3 F"), or is the
    question's first unit. The canonical value is checked against the question's range.
    """
    assert question.units is not None
    raw, _ = split_note(question, raw)
    match = _NUMBER.match(_decimal_comma(raw))
    if not match:
        raise AnswerError(f"{raw!r} is not a number")
    text, suffix = match.groups()
    parsed = float(text)
    value: float | int = parsed
    if question.type == "integer":
        if not parsed.is_integer():
            raise AnswerError(f"{text} is not a whole number")
        value = int(parsed)
    elif parsed.is_integer() and "." not in text and "e" not in text.lower():
        value = int(parsed)
    unit = _unit(question, unit_id, suffix)
    if unit_id and suffix.strip() and _unit(question, None, suffix) is not unit:
        # "7.2G/L" with the selector on %: the two disagree, and neither is guessed.
        typed = _unit(question, None, suffix)
        raise AnswerError(f"{text} {suffix.strip()} is in {typed.label}, but the unit "
                          f"chosen is {unit.label}: choose one")
    for need in unit.needs:
        if lookup(findings, need) is None:
            raise AnswerError(f"a value in {unit.label} needs the {labels.of(need).label} "
                              "first")
    try:
        canonical = evaluate(unit.to_canonical, x=value, findings=findings)
    except ExpressionError as exc:
        raise AnswerError(f"cannot convert from {unit.label}: {exc}") from None
    if canonical is None or isinstance(canonical, bool) or not isinstance(canonical, int | float):
        needs = ", ".join(f"the {labels.of(n).label}" for n in unit.needs) or "more answers"
        raise AnswerError(f"a value in {unit.label} needs {needs} first")
    if isinstance(canonical, float):
        canonical = round(canonical, 4)
        if canonical.is_integer() and question.type == "integer":
            canonical = int(canonical)
    if question.range is not None and unit.field is None:
        low, high = question.range
        if not low <= canonical <= high:
            shown = fmt_number(canonical)
            first = question.units[0].label
            raise AnswerError(
                f"{fmt_number(value)} {unit.label} = {shown} {first} is outside the "
                f"plausible range {fmt_number(low)} to {fmt_number(high)} {first}"
            )
    return value, unit, canonical


#: "38,5": a comma before one, two or four and more digits, or after a whole part of 0
#: ("0,700"), can only be a decimal comma.
_COMMA = re.compile(r"^(\s*[+-]?\d+),(\d+)(?=\s|$)")
#: "7,200": a comma before three digits is 7.2 in one country and 7200 in another.
_AMBIGUOUS = re.compile(r"^\s*[+-]?(?!0,)\d+,\d{3}(?=\s|$)")


def _decimal_comma(raw: str) -> str:
    """A decimal comma read as a dot; a comma that could be a thousands separator refused."""
    if "," not in raw:
        return raw
    if _AMBIGUOUS.match(raw):
        number = raw.split()[0]
        whole, _, part = number.partition(",")
        raise AnswerError(f"{number!r} could be {whole}.{part} or {whole}{part}: "
                          "write it with a dot for decimals and no thousands separator")
    converted = _COMMA.sub(r"\1.\2", raw, count=1)
    if "," in converted:
        raise AnswerError(f"{raw!r} is not a number")
    return converted


def lookup(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted findings path in plain data, or None."""
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)  # type: ignore[assignment]
    return data


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹µ", "0123456789u")


def _unit_key(text: str) -> str:
    """A unit as typed, reduced to what tells units apart: 'x10^9/L', 'x10⁹/L' -> 'x109l';
    'mmol/L', 'mmol_per_l' -> 'mmoll'; 'G/L', 'g_per_l' -> 'gl'."""
    text = (text.casefold().translate(_SUPERSCRIPTS).replace("%", "percent")
            .replace("_per_", "_").removeprefix("per_"))
    return "".join(c for c in text if c.isalnum())


def typed_unit(unit: Unit) -> str:
    """How to type a unit after a number: its label when a keyboard has it ('mmol/L',
    'BUN mg/dL'), else a short form read as the same unit ('g/l' for x10⁹/L)."""
    if unit.label.isascii():
        return unit.label
    return unit.id.replace("_per_", "/").replace("per_", "/").replace("_", " ")


def _unit(question: Question, unit_id: str | None, suffix: str) -> Unit:
    assert question.units is not None
    wanted = (unit_id or suffix or "").strip()
    if not wanted:
        return question.units[0]
    for unit in question.units:
        if wanted.casefold() in (unit.id.casefold(), unit.label.casefold()):
            return unit
    key = _unit_key(wanted)
    found = [u for u in question.units if key and key in (_unit_key(u.id), _unit_key(u.label))]
    if len(found) == 1:
        return found[0]
    allowed = ", ".join(u.label if typed_unit(u) == u.label else f"{typed_unit(u)} ({u.label})"
                        for u in question.units)
    raise AnswerError(f"unit {unit_id or suffix!r} is not one of {allowed}")


def text(raw: str) -> str:
    """Free text: one line, no control characters, at most 200 characters."""
    value = " ".join(_CONTROL.sub(" ", raw).split())
    if not value:
        raise AnswerError("an answer is needed")
    if len(value) > 200:
        raise AnswerError(f"the answer is {len(value)} characters; at most 200")
    return value


# --- dates ------------------------------------------------------------------------------

_AGO = re.compile(r"^(\d+|a|an|one)\s*(day|week|month|year)s?\s+ago$")
_RELATIVE = re.compile(r"^(?:day\s*)?([+-]?\d{1,5})$")
_BEFORE_AFTER = re.compile(r"^(\d+)\s*days?\s+(before|after)(?:\s+(?:the\s+)?onset)?$")


def calendar_date(raw: str, today: dt.date) -> dt.date | None:
    """A calendar date from ISO, 'today', 'yesterday', or 'N days (weeks, months, years)
    ago'; months and years are calendar ones ('1 year ago' on 2026-11-25 is 2025-11-25)."""
    word = " ".join(raw.strip().casefold().split())
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    if m := _AGO.match(word):
        count = 1 if m.group(1) in ("a", "an", "one") else int(m.group(1))
        return _before(today, count, m.group(2))
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        return None


def _before(today: dt.date, count: int, unit: str) -> dt.date | None:
    if unit in ("day", "week"):
        try:
            return today - dt.timedelta(days=count * (7 if unit == "week" else 1))
        except OverflowError:
            return None
    months = today.year * 12 + today.month - 1 - count * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    if year < 1:
        return None
    last = calendar.monthrange(year, month + 1)[1]  # 29 February a year ago: the 28th
    return dt.date(year, month + 1, min(today.day, last))


def onset_date(raw: str, today: dt.date) -> str:
    """The onset (day 0) as an ISO date; it may not be in the future."""
    date = calendar_date(raw, today)
    if date is None:
        raise AnswerError(
            f"{raw!r} is not a date; allowed: 2026-11-20, today, yesterday, 5 days ago, "
            "2 weeks ago, 1 year ago"
        )
    if date > today:
        raise AnswerError(f"{date.isoformat()} is after today ({today.isoformat()})")
    return date.isoformat()


def day_number(raw: str, today: dt.date, onset: str | None, words: tuple[str, ...] = ()
               ) -> int:
    """Days relative to the onset, from a date or from a day number ('-9', '3 days after').
    `words`: what the question takes in place of a date, said when `raw` is neither."""
    word = " ".join(raw.strip().casefold().split())
    days: int | None = None
    if m := _RELATIVE.match(word):
        days = int(m.group(1))
    elif m := _BEFORE_AFTER.match(word):
        days = -int(m.group(1)) if m.group(2) == "before" else int(m.group(1))
    if days is not None:
        # A day number after today is a future date, refused as a calendar one is.
        now = None if onset is None else (today - dt.date.fromisoformat(onset)).days
        if now is not None and days > now:
            raise AnswerError(f"day {days} is after today (day {now})")
        return days
    date = calendar_date(raw, today)
    if date is None:
        raise AnswerError(
            f"{raw!r} is not a date; allowed: 2026-11-20, today, 5 days ago, 1 year ago, "
            "or days relative to the onset: -9, +3, 9 days before onset"
            + "".join(f"; or {word!r}" for word in words)
        )
    if date > today:
        raise AnswerError(f"{date.isoformat()} is after today ({today.isoformat()})")
    if onset is None:
        raise AnswerError(
            "the onset date is unknown, so a calendar date cannot be placed; enter days "
            "relative to the onset instead, e.g. -9"
        )
    return (date - dt.date.fromisoformat(onset)).days
