"""Numbers and answers as a clinician reads them, and thresholds: the ground floor that
the findings, the scores, the dialog and the summaries all use (it imports nothing of
triage's)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


@dataclass(frozen=True)
class Cutoff:
    """A threshold with its comparison, because sources disagree on >= versus >."""

    op: str
    value: float

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(f"operator {self.op!r} is not one of {', '.join(_OPS)}")

    def test(self, x: float) -> bool:
        """Whether `x` meets the threshold."""
        return _OPS[self.op](x, self.value)

    @cached_property
    def text(self) -> str:
        """'>= 38' (said once: rule texts quote a cutoff some twenty times per file)."""
        return f"{self.op} {fmt_number(self.value)}"

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, text: str) -> Cutoff:
        """Read '>=38', '> 38.75' and the like."""
        text = text.strip()
        for op in (">=", "<=", ">", "<"):
            if text.startswith(op):
                return cls(op, float(text[len(op) :]))
        raise ValueError(f"{text!r} does not start with one of >=, >, <=, <")


def fmt_number(value: float | int) -> str:
    """A number as a clinician writes it: 7200, not 7200.0."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_text(value: Any) -> str:
    """An answer as a clinician reads it: unknown, yes, no, a list or none, 7200."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, int | float):
        return fmt_number(value)
    return str(value)


def signed(points: int) -> str:
    """Points as a score table shows them: +2, 0, -1."""
    return f"{points:+d}" if points else "0"


def clean(value: Any) -> Any:
    """Integral floats as ints, so JSON and summaries say 7200 rather than 7200.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value
