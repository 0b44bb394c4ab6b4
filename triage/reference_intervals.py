"""Reference intervals for a laboratory value reported as "normal" without its number
(issue 21 §5), read from `knowledge/reference_intervals.yaml`, where each names its
source.

"Normal" is the value lying somewhere in the interval. A threshold test is settled by it
when the whole interval falls on one side of the threshold (`normal_meets`); the scores'
and red flags' thresholds are one-sided, so both ends deciding alike is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from triage.numbers import fmt_number

if TYPE_CHECKING:
    from triage.findings import Labs
    from triage.numbers import Cutoff

#: What a clinician types for a value within normal limits.
NORMAL_WORDS = frozenset({"normal", "within normal limits", "wnl", "nl", "normal range"})


class IntervalsError(ValueError):
    """The reference intervals file is not as described."""


@dataclass(frozen=True)
class Interval:
    """A laboratory value's usual adult interval, in the findings' unit."""

    low: float
    high: float
    source: str
    note: str | None


@cache
def intervals() -> dict[str, Interval]:
    """Each laboratory value (a `labs` field) that may be answered "normal", with its
    interval."""
    from triage.yamlio import decode_text, parse

    path = Path(__file__).parent / "knowledge" / "reference_intervals.yaml"
    data = parse(decode_text(path.read_bytes(), path.name), path.name).data
    if not isinstance(data, dict) or data.get("schema") != "triage.reference_intervals/1":
        raise IntervalsError(f"{path.name}: expected 'schema: triage.reference_intervals/1'")
    sources = data.get("sources") or {}
    found: dict[str, Interval] = {}
    for name, raw in (data.get("intervals") or {}).items():
        if raw.get("source") not in sources or not raw["low"] <= raw["high"]:
            raise IntervalsError(f"{path.name}: {name}: needs a listed source and low <= high")
        found[name] = Interval(float(raw["low"]), float(raw["high"]),
                               " ".join(str(sources[raw["source"]]).split()), raw.get("note"))
    return found


def is_normal(raw: str) -> bool:
    """Whether an answer says "within normal limits"."""
    return " ".join(raw.strip().casefold().split()) in NORMAL_WORDS


def normal_meets(cutoff: Cutoff, labs: Labs, name: str) -> bool | None:
    """A laboratory value against `cutoff`: its number if given; if reported normal, the
    answer the whole interval gives, or None where the interval straddles the cutoff."""
    value = getattr(labs, name)
    if value is not None:
        return cutoff.test(value)
    if name not in (labs.reported_normal or ()):
        return None
    from triage.derived import interval_meets

    span = intervals()[name]
    return interval_meets(cutoff, span.low, span.high)


def normal_decision(name: str, settled: bool | None) -> str:
    """What a "normal" answer was taken to mean, for the item's decisions."""
    span = intervals()[name]
    shown = f"{fmt_number(span.low)} to {fmt_number(span.high)}"
    if settled is None:
        return (f"reported normal: the usual interval ({shown}) lies on both sides of the "
                "threshold, so it stays unknown")
    return (f"reported normal: read as the usual adult interval {shown} "
            "(docs/clinical-rules.md, \"Normal laboratory values\")")

