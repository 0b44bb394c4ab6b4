"""Facts the scores derive from the findings (docs/findings.md, "Derived facts")."""

from __future__ import annotations

from triage.findings import Drug, Eruption, Labs
from triage.numbers import Cutoff


def meets(cutoff: Cutoff, value: float | None) -> bool | None:
    """Three-valued threshold test: None when the value is unknown."""
    return None if value is None else cutoff.test(value)


def interval_meets(cutoff: Cutoff, low: float, high: float) -> bool | None:
    """A one-sided threshold against a value known only to lie between `low` and `high`:
    the answer both ends give, or None where they differ."""
    first, last = cutoff.test(low), cutoff.test(high)
    return first if first == last else None


def bound_meets(cutoff: Cutoff, bound: str | None, low: float = 0, high: float = 100
                ) -> bool | None:
    """A threshold against a bound ("> 50": more than 50, up to `high`): the answer every
    value the bound allows gives, or None where they differ."""
    if bound is None:
        return None
    given = Cutoff.parse(bound)
    # A strict bound leaves its own value out: just inside it stands for the open end.
    if given.op == ">":
        return interval_meets(cutoff, given.value + 1e-9, high)
    return interval_meets(cutoff, low, given.value - 1e-9)


def bound_words(bound: str) -> str:
    """A bound as a clinician says it: "> 50" is "more than 50"."""
    return f"{'more' if bound.startswith('>') else 'less'} than {bound[2:]}"


def mucosal_involvement(eruption: Eruption) -> bool | None:
    """EuroSCAR mucosal involvement: any mucosal site listed."""
    sites = eruption.mucosal_sites
    return None if sites is None else bool(sites)


def resolution_meets(eruption: Eruption, cutoff: Cutoff) -> bool | None:
    """Whether the resolution day meets `cutoff` (e.g. <= 15, or >= 15 for RegiSCAR).

    With no resolution day yet, skin seen still active on `last_active_day` clears that
    day at the earliest (docs/findings.md: active beyond day 15 is known not resolved by day 15);
    the answer is known once every later day gives the same one. Nothing else counts as
    "still active": an unknown resolution leaves the item open.
    """
    if eruption.resolution_day is not None:
        return cutoff.test(eruption.resolution_day)
    day = eruption.last_active_day
    if day is None:
        return None
    at_earliest = cutoff.test(day)
    at_latest = cutoff.test(10**6)
    return at_earliest if at_earliest == at_latest else None


def unresolved_known(eruption: Eruption) -> bool:
    """True when the resolution answer comes from a day the skin was seen still active."""
    return eruption.resolution_day is None and eruption.last_active_day is not None


DRESS_FEATURES = ("facial_edema", "infiltration", "purpura", "scaling")


def dress_rash_counts(eruption: Eruption) -> tuple[int, int]:
    """How many of the four suggestive DRESS features are yes, and how many unknown."""
    values = [getattr(eruption, f) for f in DRESS_FEATURES]
    return sum(v is True for v in values), sum(v is None for v in values)


def dress_rash_suggestive(eruption: Eruption) -> bool | None:
    """RegiSCAR rash suggesting DRESS: at least 2 of the 4 features (None while open)."""
    yes, unknown = dress_rash_counts(eruption)
    if yes >= 2:
        return True
    if yes + unknown < 2:
        return False
    return None


def eosinophils_absolute(labs: Labs) -> float | None:
    """Eosinophils per mm3: as given, or from the percentage and the leukocyte count."""
    if labs.eosinophils_per_mm3 is not None:
        return labs.eosinophils_per_mm3
    if labs.eosinophils_percent is not None and labs.leukocytes_per_mm3 is not None:
        return labs.eosinophils_percent * labs.leukocytes_per_mm3 / 100
    return None


def latency_days(drug: Drug) -> int | None:
    """Days from the first intake to the index day (ALDEN 'delay')."""
    return None if drug.start_day is None else -drug.start_day
