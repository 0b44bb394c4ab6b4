"""The comparison operators of every threshold, with the published variants.

Defaults are the decisions of docs/decisions.md (the original publications as best determined).
A summary names a decision wherever the variant would have given a different number.
"""

from __future__ import annotations

from typing import NamedTuple

from triage.scores.base import Cutoff


class Operators(NamedTuple):
    """Every threshold a score compares against; the defaults are docs/decisions.md."""

    eurosar_fever_c: Cutoff = Cutoff(">=", 38.0)
    eurosar_resolution_day: Cutoff = Cutoff("<=", 15)
    eurosar_neutrophils_per_mm3: Cutoff = Cutoff(">=", 7000)
    regiscar_fever_c: Cutoff = Cutoff(">=", 38.5)
    regiscar_resolution_day: Cutoff = Cutoff(">=", 15)
    regiscar_lymph_node_sites: Cutoff = Cutoff(">=", 2)
    regiscar_rash_bsa_percent: Cutoff = Cutoff(">", 50)
    scorten_age_years: Cutoff = Cutoff(">=", 40)
    scorten_heart_rate_bpm: Cutoff = Cutoff(">=", 120)
    scorten_detachment_bsa_percent: Cutoff = Cutoff(">=", 10)
    scorten_urea_mmol_per_l: Cutoff = Cutoff(">", 10)
    scorten_glucose_mmol_per_l: Cutoff = Cutoff(">", 14)
    scorten_bicarbonate_mmol_per_l: Cutoff = Cutoff("<", 20)

    def with_changes(self, **changes: str | Cutoff) -> Operators:
        """A copy with some thresholds replaced ('>38.75' or a Cutoff)."""
        parsed = {k: v if isinstance(v, Cutoff) else Cutoff.parse(v) for k, v in changes.items()}
        unknown = set(parsed) - set(self._fields)
        if unknown:
            raise ValueError(f"unknown threshold(s): {', '.join(sorted(unknown))}")
        return self._replace(**parsed)

    def changed(self) -> dict[str, str]:
        """The thresholds that differ from the defaults, as text."""
        default = Operators()
        return {
            name: str(mine)
            for name, mine, default_value in zip(self._fields, self, default, strict=True)
            # Identity first: an unchanged threshold is the default's own Cutoff, and the
            # dataclass comparison costs a batch 4 us a file for the thirteen.
            if mine is not default_value and mine != default_value
        }


DEFAULT = Operators()

#: Variants seen in reproductions (docs/clinical-rules.md). When the variant would
#: score an answer differently, the item says which decision applied.
VARIANTS: dict[str, tuple[Cutoff, str]] = {
    "eurosar_fever_c": (Cutoff(">", 38.75), "CCJM and IDOJ 2020 tables"),
    "eurosar_resolution_day": (Cutoff("<", 15), "CCJM and IDOJ 2020 tables"),
    "eurosar_neutrophils_per_mm3": (Cutoff(">", 7000), "CCJM and IDOJ 2020 tables"),
    "scorten_age_years": (Cutoff(">", 40), "the abstract's 'above 40'"),
    "scorten_heart_rate_bpm": (Cutoff(">", 120), "the abstract's 'above 120'"),
    "scorten_detachment_bsa_percent": (Cutoff(">", 10), "the abstract's 'above 10%'"),
}


def decision_note(key: str, used: Cutoff, value: float | None) -> str | None:
    """Name the operator decision when the published variant would score `value` otherwise."""
    if value is None or key not in VARIANTS:
        return None
    variant, where = VARIANTS[key]
    if variant == used or used.test(value) == variant.test(value):
        return None
    default = getattr(DEFAULT, key)
    origin = "the docs/decisions.md default" if used == default else "an operator setting"
    return (
        f"threshold {used} ({origin}); the variant {variant} ({where}) "
        f"would {'not ' if used.test(value) else ''}count it"
    )
