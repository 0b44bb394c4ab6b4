"""The triage level and the red flags behind it (docs/decisions.md, docs/clinical-rules.md,
triage level and red flags).

Each trigger is evaluated in three values: yes, no, or unknown. The level is the highest
with a trigger that is yes; unknown answers never lower it, and a trigger that is unknown
at a higher level is named as a question to ask now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from triage import labels
from triage.derived import eosinophils_absolute
from triage.findings import Findings, Labs
from triage.numbers import Cutoff, answer_text
from triage.reference_intervals import normal_meets

LEVELS = ("routine", "urgent", "emergency")
LEVEL_TEXT = {
    "emergency": "EMERGENCY: same-day hospital assessment; consider a burn unit or ICU with "
    "SCAR experience",
    "urgent": "URGENT: same-day or next-day dermatology or hospital review",
    "routine": "ROUTINE: primary care, with safety-netting advice",
}

Tri = bool | None


def any3(values: Iterable[Tri]) -> Tri:
    """Kleene OR: yes if any is yes, unknown if any is unknown, else no."""
    values = list(values)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def all3(values: Iterable[Tri]) -> Tri:
    """Kleene AND: no if any is no, unknown if any is unknown, else yes."""
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _ge(value: float | None, limit: float) -> Tri:
    return None if value is None else value >= limit


class Trigger(NamedTuple):
    """A red flag: its level, wording, test, and the findings fields it reads."""

    id: str
    level: str
    text: str
    test: Callable[[Findings], Tri]
    fields: tuple[str, ...]
    source: str


def _detachment_or_blisters(f: Findings) -> Tri:
    return any3([_gt0(f.eruption.detachment_bsa_percent), f.eruption.blisters])


def _gt0(value: float | None) -> Tri:
    return None if value is None else value > 0


def _mucosa(f: Findings) -> Tri:
    sites = f.eruption.mucosal_sites
    return None if sites is None else bool(sites)


def _organs(f: Findings, test: Callable[[Sequence[str]], bool]) -> Tri:
    organs = f.systemic.organ_involvement
    return None if organs is None else test(organs)


def _le(value: float | None, limit: float) -> Tri:
    return None if value is None else value <= limit


#: Patients under this age are judged by the paediatric table, not by adult thresholds.
ADULT_AGE = 16

#: NICE NG51 (2016; kept in NG254, 2024), high-risk criteria for under-16s: the lowest
#: age in years of each band, with its heart rate and respiratory rate (per minute) at or
#: above which the child is at high risk. From 12 years the heart rate is "more than 130".
CHILD_BANDS = (
    (0, 160, 60),
    (1, 150, 50),
    (3, 140, 40),
    (5, 130, 29),
    (6, 120, 27),
    (8, 115, 25),
    (12, 131, 25),
)
SOURCE_NEWS2 = (
    "Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017: single-"
    "parameter red scores; docs/decisions.md"
)
SOURCE_CHILD = (
    "NICE NG51 (2016, kept in NG254, 2024): high-risk criteria for under-16s by age band "
    "(heart rate, bradycardia under 12, respiratory rate, temperature under 5); "
    "docs/decisions.md"
)


def child_limits(age: int) -> tuple[int, int]:
    """The heart rate and respiratory rate at or above which a child of `age` years is at
    high risk (NICE NG51)."""
    heart, breathing = CHILD_BANDS[0][1:]
    for low, band_heart, band_breathing in CHILD_BANDS:
        if age >= low:
            heart, breathing = band_heart, band_breathing
    return heart, breathing


def _child(f: Findings) -> bool:
    # Unknown age: the adult thresholds, as before age was asked (the patient is not known
    # to be a child).
    age = f.patient.age_years
    return age is not None and age < ADULT_AGE


def _adult_heart_rate(f: Findings) -> Tri:
    rate = f.systemic.heart_rate_bpm
    if _child(f) or rate is None:
        return False if _child(f) else None
    return rate >= 120 or rate <= 40


def _child_heart_rate(f: Findings) -> Tri:
    if not _child(f):
        return False
    age = f.patient.age_years or 0
    rate = f.systemic.heart_rate_bpm
    if rate is None:
        return None
    # Under 12, NICE also counts bradycardia (below 60/min) as high risk; from 12, the
    # NEWS2 pulse limit of the adults.
    slow = rate < 60 if age < 12 else rate <= 40
    return rate >= child_limits(age)[0] or slow


def _hypothermia(f: Findings) -> Tri:
    # NEWS2 scores 35.0 °C or below 3; NICE counts below 36 °C as high risk under 5.
    age = f.patient.age_years
    temperature = f.systemic.temperature_max_c
    if temperature is None:
        return None
    return temperature < 36 if age is not None and age < 5 else temperature <= 35.0


def _adult_breathing(f: Findings) -> Tri:
    if _child(f):
        return False
    rate = f.systemic.respiratory_rate_per_min
    return None if rate is None else rate <= 8 or rate >= 25


def _child_breathing(f: Findings) -> Tri:
    if not _child(f):
        return False
    return _ge(f.systemic.respiratory_rate_per_min, child_limits(f.patient.age_years or 0)[1])


def _circulation(f: Findings) -> Tri:
    # NICE uses the systolic pressure from 12 years; below that only vasopressors count.
    age = f.patient.age_years
    systolic = f.systemic.systolic_bp_mmhg
    pressure = (False if age is not None and age < 12
                else None if systolic is None else systolic <= 90 or systolic >= 220)
    return any3([pressure, f.systemic.vasopressors])


def _lab(labs: Labs, name: str, op: str, limit: float) -> Tri:
    """A laboratory value against a limit: its number, or "normal" where the usual
    interval settles it (triage/reference_intervals.py)."""
    return normal_meets(Cutoff(op, limit), labs, name)


def _liver_severe(f: Findings) -> Tri:
    labs = f.labs
    hy = all3([_lab(labs, "alt_times_uln", ">", 3), _lab(labs, "bilirubin_times_uln", ">", 2)])
    return _unless_spared(f, "liver", any3([hy, _lab(labs, "inr", ">=", 1.5)]))


def _eosinophils_700(f: Findings) -> Tri:
    value = eosinophils_absolute(f.labs)
    if value is None:
        return _lab(f.labs, "eosinophils_per_mm3", ">=", 700)
    return value >= 700


def _kidney_injury(f: Findings) -> Tri:
    return _unless_spared(f, "kidney", _ge(f.labs.creatinine_times_baseline, 1.5))


def _unless_spared(f: Findings, organ: str, injury: Tri) -> Tri:
    # Labs not taken leave organ injury open, unless the organ is known to be spared: the
    # clinician's "no involvement of the liver" answers it.
    organs = f.systemic.organ_involvement
    if injury is None and organs is not None and organ not in organs:
        return False
    return injury


def _gt(value: float | None, limit: float) -> Tri:
    return None if value is None else value > limit


def _fever_pustules(f: Findings) -> Tri:
    pustules = f.eruption.pustules
    pustular = None if pustules is None else pustules in ("typical", "compatible")
    return all3([_ge(f.systemic.temperature_max_c, 38.0), pustular])


SOURCE_7 = "docs/clinical-rules.md, triage level and red flags; docs/decisions.md"

TRIGGERS: tuple[Trigger, ...] = (
    Trigger(
        "nikolsky",
        "emergency",
        "Positive Nikolsky sign",
        lambda f: f.eruption.nikolsky,
        ("eruption.nikolsky",),
        SOURCE_7,
    ),
    Trigger(
        "detachment_10",
        "emergency",
        "Epidermal detachment >= 10 % BSA (SJS/TEN overlap or TEN range)",
        lambda f: _ge(f.eruption.detachment_bsa_percent, 10),
        ("eruption.detachment_bsa_percent",),
        SOURCE_7,
    ),
    Trigger(
        "detachment_with_targets_or_mucosa",
        "emergency",
        "Detachment or blisters with atypical targets or mucosal involvement (suspected SJS/TEN)",
        lambda f: all3(
            [_detachment_or_blisters(f), any3([f.eruption.atypical_targets, _mucosa(f)])]
        ),
        (
            "eruption.detachment_bsa_percent",
            "eruption.blisters",
            "eruption.atypical_targets",
            "eruption.mucosal_sites",
        ),
        SOURCE_7,
    ),
    Trigger(
        "early_sjs_ten",
        "emergency",
        "Atypical targets or dusky/purpuric macules with mucosal erosion, skin pain, blisters "
        "or detachment (early SJS/TEN: it evolves over hours)",
        lambda f: all3(
            [
                f.eruption.atypical_targets,
                any3([_mucosa(f), f.eruption.skin_pain, _detachment_or_blisters(f)]),
            ]
        ),
        (
            "eruption.atypical_targets",
            "eruption.mucosal_sites",
            "eruption.skin_pain",
            "eruption.blisters",
            "eruption.detachment_bsa_percent",
        ),
        "docs/decisions.md (the clinical lead's ruling); docs/clinical-rules.md (ASHM; "
        "AccessEM: painful dusky macules after a prodrome)",
    ),
    Trigger(
        "mucosa_severe",
        "emergency",
        "Mucosal erosions at 2 or more sites, or ocular involvement",
        lambda f: (
            None
            if f.eruption.mucosal_sites is None
            else (len(f.eruption.mucosal_sites) >= 2 or "ocular" in f.eruption.mucosal_sites)
        ),
        ("eruption.mucosal_sites",),
        SOURCE_7,
    ),
    Trigger(
        "heart_rate",
        "emergency",
        "Heart rate >= 120/min, or <= 40/min",
        _adult_heart_rate,
        ("systemic.heart_rate_bpm", "patient.age_years"),
        SOURCE_7 + "; " + SOURCE_NEWS2 + " (<= 40/min)",
    ),
    Trigger(
        "heart_rate_child",
        "emergency",
        "Heart rate at or above the high-risk rate for the child's age, or below 60/min "
        "(under 12 years) or <= 40/min (from 12)",
        _child_heart_rate,
        ("systemic.heart_rate_bpm", "patient.age_years"),
        SOURCE_CHILD,
    ),
    Trigger(
        "hypothermia",
        "emergency",
        "Temperature <= 35.0 °C (below 36 °C under 5 years)",
        _hypothermia,
        ("systemic.temperature_max_c", "patient.age_years"),
        SOURCE_NEWS2 + "; " + SOURCE_CHILD,
    ),
    Trigger(
        "circulation",
        "emergency",
        "Systolic blood pressure <= 90 or >= 220 mmHg, or vasopressors",
        _circulation,
        ("systemic.systolic_bp_mmhg", "systemic.vasopressors"),
        SOURCE_NEWS2,
    ),
    Trigger(
        "spo2_91",
        "emergency",
        "Oxygen saturation <= 91 %",
        lambda f: _le(f.systemic.spo2_percent, 91),
        ("systemic.spo2_percent",),
        SOURCE_NEWS2,
    ),
    Trigger(
        "breathing",
        "emergency",
        "Respiratory rate <= 8 or >= 25/min",
        _adult_breathing,
        ("systemic.respiratory_rate_per_min", "patient.age_years"),
        SOURCE_NEWS2,
    ),
    Trigger(
        "breathing_child",
        "emergency",
        "Respiratory rate at or above the high-risk rate for the child's age",
        _child_breathing,
        ("systemic.respiratory_rate_per_min", "patient.age_years"),
        SOURCE_CHILD,
    ),
    Trigger(
        "new_confusion",
        "emergency",
        "New confusion",
        lambda f: f.systemic.new_confusion,
        ("systemic.new_confusion",),
        SOURCE_NEWS2,
    ),
    Trigger(
        "kidney_injury",
        "emergency",
        "Creatinine >= 1.5x the patient's baseline (acute kidney injury)",
        _kidney_injury,
        ("labs.creatinine_times_baseline", "systemic.organ_involvement"),
        "KDIGO clinical practice guideline for acute kidney injury, 2012 (stage 1: 1.5x "
        "baseline); RegiSCAR kidney involvement (docs/clinical-rules.md); docs/decisions.md: "
        "kidney involvement is an emergency",
    ),
    Trigger(
        "liver_severe",
        "emergency",
        "Severe liver injury: ALT > 3x ULN with bilirubin > 2x ULN, or INR >= 1.5",
        _liver_severe,
        ("labs.alt_times_uln", "labs.bilirubin_times_uln", "labs.inr",
         "systemic.organ_involvement"),
        "FDA guidance on drug-induced liver injury, 2009 (Hy's law); Aithal GP et al., Clin "
        "Pharmacol Ther 2011 (severe DILI: INR >= 1.5); docs/decisions.md",
    ),
    Trigger(
        "organ_severe",
        "emergency",
        "Involvement of heart, lung or kidney, or of 2 or more organs",
        lambda f: _organs(f, lambda o: bool({"heart", "lung", "kidney"} & set(o)) or len(o) >= 2),
        ("systemic.organ_involvement",),
        SOURCE_7,
    ),
    Trigger(
        "fever_pustules",
        "urgent",
        "Fever >= 38.0 °C with pustules (typical or compatible): suspected AGEP",
        _fever_pustules,
        ("systemic.temperature_max_c", "eruption.pustules"),
        SOURCE_7,
    ),
    Trigger(
        "fever_38_5",
        "urgent",
        "Fever >= 38.5 °C",
        lambda f: _ge(f.systemic.temperature_max_c, 38.5),
        ("systemic.temperature_max_c",),
        SOURCE_7,
    ),
    Trigger(
        "facial_edema",
        "urgent",
        "Facial oedema",
        lambda f: f.eruption.facial_edema,
        ("eruption.facial_edema",),
        SOURCE_7,
    ),
    Trigger(
        "lymph_nodes",
        "urgent",
        "Enlarged lymph nodes at 2 or more sites",
        lambda f: _ge(f.systemic.enlarged_lymph_node_sites, 2),
        ("systemic.enlarged_lymph_node_sites",),
        SOURCE_7,
    ),
    Trigger(
        "eosinophils_700",
        "urgent",
        "Eosinophils >= 700/mm³",
        _eosinophils_700,
        ("labs.eosinophils_per_mm3",),
        SOURCE_7,
    ),
    Trigger(
        "organ_any",
        "urgent",
        "Internal organ involvement",
        lambda f: _organs(f, bool),
        ("systemic.organ_involvement",),
        SOURCE_7,
    ),
    Trigger(
        "mucosa_one",
        "urgent",
        "Mucosal involvement at one site",
        # Two or more sites are the emergency trigger above; this one is the single site.
        lambda f: None if f.eruption.mucosal_sites is None else len(f.eruption.mucosal_sites) == 1,
        ("eruption.mucosal_sites",),
        SOURCE_7,
    ),
    Trigger(
        "skin_pain",
        "urgent",
        "Skin pain or tenderness",
        lambda f: f.eruption.skin_pain,
        ("eruption.skin_pain",),
        SOURCE_7,
    ),
    Trigger(
        "blisters",
        "urgent",
        "Blisters",
        lambda f: f.eruption.blisters,
        ("eruption.blisters",),
        SOURCE_7,
    ),
)


#: One compiled getter per findings path a trigger reads (assess runs for every file).
_GETTERS = {p: attrgetter(p) for t in TRIGGERS for p in t.fields}


class Assessment(NamedTuple):
    """The triage level with the flags that set it and the answers that could raise it."""

    level: str
    red_flags: tuple[dict[str, Any], ...]
    unknown_red_flags: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "text": LEVEL_TEXT[self.level],
            "red_flags": list(self.red_flags),
            "unknown_red_flags": list(self.unknown_red_flags),
        }


def assess(findings: Findings, names: Mapping[str, str] | None = None) -> Assessment:
    """Decide the triage level of `findings` (docs/decisions.md). `names` renames findings paths in
    the explanations (a follow-up visit's signs are `visit.<name>`)."""
    names = names or {}
    flags: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    for trigger in TRIGGERS:
        result = trigger.test(findings)
        if result is False:
            continue  # neither raised nor open: nothing to say about it
        answers = {names.get(p, p): _GETTERS[p](findings) for p in trigger.fields}
        entry = {
            "id": trigger.id,
            "level": trigger.level,
            "text": trigger.text,
            "because": [labels.describe(p, v) for p, v in answers.items()],
            "source": trigger.source,
        }
        if result is True:
            flags.append(entry)
        elif result is None:
            ask = [p for p, v in answers.items() if answer_text(v) == "unknown"]
            entry = dict(entry, ask=ask, questions=[])
            del entry["because"]
            unknown.append(entry)
    level = max((f["level"] for f in flags), key=LEVELS.index, default="routine")
    raising = [u for u in unknown if LEVELS.index(u["level"]) > LEVELS.index(level)]
    return Assessment(level, tuple(flags), tuple(raising))
