"""Findings fields and coded answers in clinical words (templates/labels.yaml).

A red flag, a score item or a summary line that names an answer says "highest temperature
38.5 °C" or "histology: spongiform subcorneal or intraepidermal pustules", never
`systemic.temperature_max_c = 38.5`. The findings file and the JSON result keep the
field names: they are the contract for programs (docs/findings.md).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

from triage.numbers import answer_text

_INDEX = re.compile(r"\[(\d+)\]")


class Label(NamedTuple):
    """A field's name as a clinician reads it, and the unit printed after a number."""

    label: str
    unit: str | None = None


@cache
def _table() -> tuple[dict[str, Label], dict[str, str]]:
    from triage.paths import templates_dir
    from triage.yamlio import load_file

    data = load_file(templates_dir() / "labels.yaml").data
    fields = {path: Label(entry["label"], entry.get("unit"))
              for path, entry in data["fields"].items()}
    return fields, dict(data["values"])


def of(path: str) -> Label:
    """The label of a findings path (drugs[2].start_day is drug 3's start day)."""
    fields, _ = _table()
    path, bracket, note = path.partition(" (")  # "... (presentation day)": kept as said
    if bracket:
        found = of(path)
        return Label(f"{found.label} ({note}", found.unit)
    general = _INDEX.sub("[]", path)
    # A field this table does not know yet: its own name, as words.
    found = fields.get(general) or Label(general.rsplit(".", 1)[-1].replace("_", " "))
    index = _INDEX.search(path)
    if index is not None:
        return Label(f"drug {int(index.group(1)) + 1} {found.label}", found.unit)
    return found


def words(value: Any) -> str:
    """A coded answer in words: spongiform_pustules -> spongiform subcorneal or ..."""
    _, values = _table()
    if isinstance(value, list | tuple):
        return ", ".join(words(v) for v in value) if value else "none"
    text = answer_text(value)
    return values.get(text, text.replace("_", " ") if isinstance(value, str) else text)


def describe(path: str, value: Any) -> str:
    """One answer as a clinician reads it: "highest temperature 38.5 °C", "Nikolsky sign:
    yes", "drug 1 start day -9"."""
    label, unit = of(path)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit == "day":
            return f"{label} day {answer_text(value)}"
        return f"{label} {answer_text(value)}" + (f" {unit}" if unit else "")
    return f"{label}: {words(value)}"
