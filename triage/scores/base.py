"""What every score result is made of: items with their reachable points, bands, ranges.

The records here and in the rest of the scoring path are NamedTuples rather than frozen
dataclasses: as immutable, and cheaper to define and to build (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

# The ground floor's formatting, where the score modules have always found it.
from triage.numbers import Cutoff, answer_text, clean, fmt_number, signed

__all__ = ["Cutoff", "answer_text", "clean", "fmt_number", "signed"]




_UNCLEAN = (float, list, tuple)


class Item(NamedTuple):
    """One score item: the answer it used, the points it gave, the points still reachable."""

    id: str
    label: str
    answer: Any
    points: int
    possible: tuple[int, ...]
    rule: str
    source: str
    decision: str | None
    #: The findings fields this item reads (drug fields as drugs[i].field).
    fields: tuple[str, ...]
    #: Lowest and highest reachable points; `known` when no answer can change them.
    #: Stored, not derived on access: a batch reads them for every item of every file.
    min: int
    max: int
    known: bool

    def as_json(self) -> dict[str, Any]:
        """The item as it appears in the JSON result."""
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            # Most answers are strings, booleans or None: only floats and lists need cleaning.
            "answer": clean(answer) if isinstance(answer := self.answer, _UNCLEAN) else answer,
            "points": self.points,
            "known": self.known,
            "min": self.min,
            "max": self.max,
            "rule": self.rule,
            "source": self.source,
        }
        if self.decision:
            data["decision"] = self.decision
        if self.fields:
            data["fields"] = list(self.fields)
        return data


def item(
    id: str,
    label: str,
    answer: Any,
    possible: Iterable[int],
    rule: str,
    source: str,
    *,
    points: int | None = None,
    decision: str | None = None,
    fields: Iterable[str] = (),
) -> Item:
    """Build an item. Without `points`, a known item scores its one value and an unknown
    item scores 0 (docs/findings.md), or the reachable value nearest 0 when 0 lies outside the
    reachable range."""
    key = tuple(possible)
    reach = _REACH.get(key)
    if reach is None:
        reach = _reach(key)
        if not reach:
            raise ValueError(f"item {id} has no reachable points")
        _REACH[key] = reach
    low, high = reach[0], reach[-1]
    if points is None:
        if low == high:
            points = low
        elif low <= 0 <= high:
            points = 0
        else:
            points = min(reach, key=lambda p: (abs(p), -p))
    return Item(
        id,
        label,
        answer,
        points,
        reach,
        rule,
        source,
        decision,
        tuple(fields),
        low,
        high,
        low == high,
    )


#: Each distinct `possible` as given, sorted once: a batch builds 43 items per file from
#: some sixteen distinct point sets, and sorting them again was a third of building an item.
_REACH: dict[tuple[int, ...], tuple[int, ...]] = {}


def _reach(possible: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(set(possible)))


class Band(NamedTuple):
    """An interpretation band, both ends inclusive; None is open."""

    name: str
    low: int | None
    high: int | None

    def contains(self, value: int) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def overlaps(self, low: int, high: int) -> bool:
        return (self.low is None or high >= self.low) and (self.high is None or low <= self.high)

    def describe(self) -> str:
        if self.low is None:
            return f"<= {self.high}"
        if self.high is None:
            return f">= {self.low}"
        return f"{self.low}" if self.low == self.high else f"{self.low} to {self.high}"


def band_of(bands: Sequence[Band], value: int) -> str:
    """The name of the band holding `value`."""
    for band in bands:
        if band.contains(value):
            return band.name
    raise ValueError(f"{value} is in no band")


def bands_between(bands: Sequence[Band], low: int, high: int) -> list[str]:
    """Every band between `low` and `high`, lowest first."""
    return [band.name for band in bands if band.overlaps(low, high)]


def sumset(sets: Iterable[Iterable[int]]) -> set[int]:
    """Every total reachable by picking one value from each set."""
    totals = {0}
    for values in sets:
        totals = {t + v for t in totals for v in set(values)}
    return totals


class ScoreResult(NamedTuple):
    """A score over one set of findings (or one drug)."""

    id: str
    name: str
    source: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    total: int
    min: int
    max: int
    extra: Mapping[str, Any] = MappingProxyType({})  # read only: one default for all
    notes: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        return band_of(self.bands, self.total)

    @property
    def categories_possible(self) -> list[str]:
        return bands_between(self.bands, self.min, self.max)

    @property
    def complete(self) -> bool:
        return all(i.known for i in self.items)

    @property
    def pending(self) -> list[Item]:
        """The items an answer could still change."""
        return [i for i in self.items if not i.known]

    @property
    def decisions(self) -> list[str]:
        """The project decisions (docs/decisions.md) that this score's items applied."""
        return [f"{i.label}: {i.decision}" for i in self.items if i.decision]

    def as_json(self) -> dict[str, Any]:
        """The score as docs/findings.md defines it, plus its source, bands and notes."""
        data: dict[str, Any] = {
            "total": self.total,
            "min": self.min,
            "max": self.max,
            "category": self.category,
            "categories_possible": self.categories_possible,
            "complete": self.complete,
        }
        data.update(self.extra)
        data["name"] = self.name
        data["source"] = self.source
        data["bands"] = [{"category": b.name, "low": b.low, "high": b.high} for b in self.bands]
        if self.notes:
            data["notes"] = list(self.notes)
        data["items"] = [i.as_json() for i in self.items]
        return data


def make_result(
    id: str,
    name: str,
    source: str,
    items: Sequence[Item],
    bands: Sequence[Band],
    *,
    reachable: set[int] | None = None,
    extra: dict[str, Any] | None = None,
    notes: Sequence[str] = (),
) -> ScoreResult:
    """Sum the items; the range is the reachable totals (independent items unless given)."""
    total = sum([i.points for i in items])
    if reachable is None:
        low = sum([i.min for i in items])
        high = sum([i.max for i in items])
    else:
        low, high = min(reachable), max(reachable)
    if not low <= total <= high:  # an invariant of every score; a bug if it ever fails
        raise AssertionError(f"{id}: total {total} outside [{low}, {high}]")
    return ScoreResult(
        id, name, source, tuple(items), tuple(bands), total, low, high, extra or {}, tuple(notes)
    )
