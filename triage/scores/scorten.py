"""SCORTEN (Bastuji-Garin et al., J Invest Dermatol 2000;115:149-153).

docs/clinical-rules.md, SCORTEN. Seven items of one point each. The source has no rule for missing
items: an unknown item scores 0, so the total is a lower bound until every item is known.
"""

from __future__ import annotations

import math
from typing import Any

from triage.derived import meets
from triage.findings import Findings
from triage.reference_intervals import normal_decision, normal_meets
from triage.scores.base import Band, Cutoff, Item, ScoreResult, item, make_result
from triage.scores.operators import Operators, decision_note
from triage.visit_level import healed_by_visit

ID = "scorten"
NAME = "SCORTEN"
SOURCE = "Bastuji-Garin S et al., J Invest Dermatol 2000;115:149-153"
#: Where docs/ explains every item, band and unknown-answer rule of this score.
DOCS = "clinical-rules.md#scorten"
#: How the assistant's panel names it, and the scale it draws it on (the published range).
SHORT = "SCORTEN"
SCALE = (0, 7)
TABLE = "Bastuji-Garin 2000 (table as reproduced by the MSD Manual and PMC4716394)"
#: The items that are the day's at a follow-up visit: each reaction field, and the sign
#: recorded at the visit that it reads instead when there is one (the day-3 SCORTEN;
#: docs/decisions.md, "SCORTEN at a visit reads the visit's heart rate and detached skin").
AT_A_VISIT = {
    "systemic.heart_rate_bpm": "visit.heart_rate_bpm",
    "eruption.detachment_bsa_percent": "visit.detachment_bsa_percent",
}

BANDS = (
    Band("0-1", None, 1),
    Band("2", 2, 2),
    Band("3", 3, 3),
    Band("4", 4, 4),
    Band("5+", 5, None),
)

#: The paper's observed mortality by band, with its 95 % confidence interval (DOCS).
MORTALITY = {
    "0-1": (3.2, "3.2 %", (0.1, 16.7)),
    "2": (12.1, "12.1 %", (5.4, 22.5)),
    "3": (35.3, "35.3 %", (19.8, 53.5)),
    "4": (58.3, "58.3 %", (36.6, 77.9)),
    "5+": (90.0, "> 90 %", (55.5, 99.8)),
}


def model_estimate_percent(total: int) -> float:
    """The paper's logistic model, P = e^l / (1 + e^l) with l = -4.448 + 1.237 x SCORTEN."""
    logit = -4.448 + 1.237 * total
    return round(100 * math.exp(logit) / (1 + math.exp(logit)), 1)


def score(findings: Findings, ops: Operators) -> ScoreResult:
    """Score the SCORTEN items of `findings` with the paper's mortality."""
    p, er, sy, labs = findings.patient, findings.eruption, findings.systemic, findings.labs

    def today(field: str, value: float | None) -> tuple[float | None, str]:
        """The value the item reads, and its field: at a visit, the visit's sign when it
        was recorded (no skin detached once the skin has healed, as for the level)."""
        if findings.visit is None:
            return value, field
        seen = getattr(findings.visit, AT_A_VISIT[field].removeprefix("visit."))
        if seen is None and field == "eruption.detachment_bsa_percent" and (
                healed_by_visit(findings)):
            seen = 0
        return (value, field) if seen is None else (seen, AT_A_VISIT[field])

    heart_rate, heart_rate_field = today("systemic.heart_rate_bpm", sy.heart_rate_bpm)
    detached, detached_field = today("eruption.detachment_bsa_percent",
                                     er.detachment_bsa_percent)

    def threshold(id: str, label: str, key: str, value: float | None, field: str) -> Item:
        cutoff: Cutoff = getattr(ops, key)
        hit = meets(cutoff, value)
        answer: Any = value
        decision = decision_note(key, cutoff, value)
        name = field.removeprefix("labs.")
        if value is None and name in (labs.reported_normal or ()):
            # Reported normal: settled where the whole usual interval is on one side.
            hit = normal_meets(cutoff, labs, name)
            answer = "within normal limits"
            decision = normal_decision(name, hit)
        return item(
            id,
            f"{label} {cutoff}",
            answer,
            [1] if hit else [0] if hit is False else [0, 1],
            f"{label} {cutoff}: 1 point",
            TABLE,
            decision=decision
            or (None if hit is not None else "unknown: 0 in the total (lower bound)"),
            fields=(field,),
        )

    items = [
        threshold("age", "Age (years)", "scorten_age_years", p.age_years, "patient.age_years"),
        item(
            "malignancy",
            "Malignancy",
            p.malignancy,
            [1] if p.malignancy else [0] if p.malignancy is False else [0, 1],
            "cancer or haematological malignancy present: 1 point",
            TABLE,
            decision=None if p.malignancy is not None else "unknown: 0 in the total (lower bound)",
            fields=("patient.malignancy",),
        ),
        threshold(
            "heart_rate",
            "Heart rate at the visit (/min)" if heart_rate_field.startswith("visit.")
            else "Heart rate (/min)",
            "scorten_heart_rate_bpm",
            heart_rate,
            heart_rate_field,
        ),
        threshold(
            "detachment",
            "Epidermal detachment at the visit (% BSA)" if detached_field.startswith("visit.")
            else "Epidermal detachment (% BSA)",
            "scorten_detachment_bsa_percent",
            detached,
            detached_field,
        ),
        threshold(
            "urea",
            "Serum urea (mmol/L)",
            "scorten_urea_mmol_per_l",
            labs.urea_mmol_per_l,
            "labs.urea_mmol_per_l",
        ),
        threshold(
            "glucose",
            "Serum glucose (mmol/L)",
            "scorten_glucose_mmol_per_l",
            labs.glucose_mmol_per_l,
            "labs.glucose_mmol_per_l",
        ),
        threshold(
            "bicarbonate",
            "Serum bicarbonate (mmol/L)",
            "scorten_bicarbonate_mmol_per_l",
            labs.bicarbonate_mmol_per_l,
            "labs.bicarbonate_mmol_per_l",
        ),
    ]
    total = sum(i.points for i in items)
    low, high = total, total + sum(i.max - i.points for i in items)
    category = next(b.name for b in BANDS if b.contains(total))
    percent, text, ci = MORTALITY[category]
    top_category = next(b.name for b in BANDS if b.contains(high))
    top_text = MORTALITY[top_category][1]
    extra = {
        "mortality_percent": percent,
        "mortality_text": text,
        "mortality_ci_percent": list(ci),
        "mortality_percent_min": percent,
        "mortality_percent_max": MORTALITY[top_category][0],
        # While items are unknown the total is a lower bound: its band's rate alone would
        # understate the risk, so what a reader sees is the range (docs/decisions.md).
        "mortality_range_text": (text if high == total
                                 else f"{text}, incomplete" if top_category == category
                                 else f"{text} to {top_text}, incomplete"),
        "model_estimate_percent": model_estimate_percent(total),
        "model_estimate_percent_max": model_estimate_percent(high),
        "model_estimate_label": "model estimate (logistic formula of the paper)",
        "timing": "compute within 24 h of admission and again on day 3",
    }
    notes = ["mortality_percent is the paper's observed rate for the band of the total"]
    if low != high:
        notes.append("incomplete: the total is a lower bound until every item is known")
    return make_result(ID, NAME, SOURCE, items, BANDS, extra=extra, notes=notes)
