"""Body surface area from what the clinician sees: the rule of nines by region, and the
palm rule for patches.

Rule of nines (Wallace 1951): head and neck 9 %, each arm 9 %, front of the trunk 18 %,
back of the trunk 18 %, each leg 18 %, genitals and perineum 1 %. A child's head is a
larger part of the body and the legs a smaller one: under one year the head is 18 % and
each leg 14 % (the infant rule of nines); from one to nine years the head is 18 % less
1 % a year and each leg 14 % plus 0.5 % a year (the modified rule taught for children);
the adult table from ten. It is a linear simplification of Lund and Browder 1944, whose
chart gives the head a little more at nine and ten (about 11 % at ten). The
palm of the patient's hand with the fingers is taken as 1 % of the body surface, whatever
the age (the palm rule; measured nearer 0.8 % in adults, Rossiter 1996). SJS/TEN
detachment is estimated on these charts, as for a burn (Bastuji-Garin 1993). Sources:
docs/clinical-rules.md, "Body surface area".
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.numbers import fmt_number

#: (id, label) of each region, head to feet.
REGIONS: tuple[tuple[str, str], ...] = (
    ("head", "head and neck"),
    ("trunk_front", "front of the trunk"),
    ("trunk_back", "back of the trunk"),
    ("arm_left", "left arm and hand"),
    ("arm_right", "right arm and hand"),
    ("leg_left", "left leg and foot"),
    ("leg_right", "right leg and foot"),
    ("perineum", "genitals and perineum"),
)
#: One palm of the patient's hand, with the fingers, in % of the body surface.
PALM = 1.0


def shares(age_years: float | None) -> dict[str, float]:
    """Each region's share of the body surface (%) at this age; an unknown age is taken
    as an adult's (the estimate is then said to be an adult's)."""
    adult = {"head": 9.0, "trunk_front": 18.0, "trunk_back": 18.0, "arm_left": 9.0,
             "arm_right": 9.0, "leg_left": 18.0, "leg_right": 18.0, "perineum": 1.0}
    if age_years is None or age_years >= 10:
        return adult
    years = max(int(age_years), 0)
    head = 18.0 - years
    leg = 14.0 + years / 2
    # The infant rule has no separate perineum: its 1 % is within the legs' share.
    return {**adult, "head": head, "leg_left": leg, "leg_right": leg, "perineum": 0.0}


@dataclass(frozen=True)
class Estimate:
    """A body surface area worked out from regions and palms."""

    percent: float
    #: How it was worked out, in words: "front of the trunk 18 % + 3 palms 3 %".
    said: str


def estimate(regions: dict[str, float], palms: float, age_years: float | None) -> Estimate:
    """The % of the body surface: each region ticked (whole, or the fraction given in
    0..1) at its share for the age, plus a number of the patient's palms; at most 100."""
    table = shares(age_years)
    parts: list[str] = []
    total = 0.0
    labels = dict(REGIONS)
    for region, _ in REGIONS:
        fraction = regions.get(region, 0.0)
        if fraction <= 0:
            continue
        fraction = min(fraction, 1.0)
        area = table[region] * fraction
        total += area
        whole = "" if fraction == 1 else f"{fmt_number(round(fraction * 100))} % of the "
        parts.append(f"{whole}{labels[region]} {fmt_number(round(area, 1))} %")
    if palms > 0:
        total += palms * PALM
        count = fmt_number(palms)
        parts.append(f"{count} palm{'s' if palms != 1 else ''} {fmt_number(palms * PALM)} %")
    rule = "rule of nines" if age_years is None or age_years >= 10 else (
        f"rule of nines for a child of {fmt_number(int(age_years))}")
    percent = round(min(total, 100.0), 1)
    said = f"{rule}: " + " + ".join(parts) if parts else "nothing ticked"
    return Estimate(percent, said)


def applies(units: list[str]) -> bool:
    """Whether a number question (by its units' labels) is a % of the body surface."""
    return any("BSA" in label for label in units)


def as_answer(found: Estimate) -> str:
    """The estimate as an answer to a % BSA question: the number, then how it was found,
    in brackets, kept with the answer ("27 (rule of nines: ...)")."""
    return f"{fmt_number(found.percent)} ({found.said})"
