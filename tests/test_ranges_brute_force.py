"""Every score's reachable range, against brute force (issue 18): on small random cases,
each unknown answer is replaced by every value that matters to the scores, and the lowest
and highest totals of the consistent combinations must be the score's min and max."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from triage.findings import SCHEMA, Findings
from triage.result import evaluate

YES_NO = (False, True)
GRADE = ("typical", "compatible", "insufficient")
HISTOLOGY = ("other_disease", "not_representative", "neutrophil_exocytosis", "pustules",
             "spongiform_pustules", "spongiform_pustules_with_papillary_edema")
EXPOSURE = ("same_drug_same_reaction", "similar_drug_same_reaction",
            "same_drug_other_reaction", "similar_drug_other_reaction", "tolerated", "none")
WORKUP = ("negative", "positive", "not_done")

#: Each answer the scores read, with values on every side of every threshold it meets.
SLOTS: dict[str, tuple[Any, ...]] = {
    "patient.age_years": (30, 50),
    "patient.malignancy": YES_NO,
    "patient.organ_dysfunction_or_interaction": YES_NO,
    "eruption.acute_onset": YES_NO,
    "eruption.resolution_day": (10, 15, 20),
    "eruption.last_active_day": (5, 16),
    "eruption.rash_bsa_percent": (30, 60),
    "eruption.detachment_bsa_percent": (0, 5, 20),
    "eruption.pustules": GRADE,
    "eruption.erythema": GRADE,
    "eruption.distribution": GRADE,
    "eruption.postpustular_desquamation": YES_NO,
    "eruption.facial_edema": YES_NO,
    "eruption.infiltration": YES_NO,
    "eruption.purpura": YES_NO,
    "eruption.scaling": YES_NO,
    "eruption.mucosal_sites": ((), ("oral",)),
    "systemic.temperature_max_c": (37.0, 38.2, 38.6),
    "systemic.heart_rate_bpm": (80, 130),
    "systemic.enlarged_lymph_node_sites": (0, 3),
    "systemic.organ_involvement": ((), ("liver",), ("liver", "kidney")),
    "labs.leukocytes_per_mm3": (3000, 9000),
    "labs.neutrophils_per_mm3": (2000, 7500),
    "labs.eosinophils_per_mm3": (100, 500, 800, 1600),
    # The percentage is left out: with the leukocytes known it is a second statement of the
    # count, and an arbitrary pair of the two is not a consistent answer (the count alone
    # still meets the leukopenic rule through the percentage derived from it).
    "labs.atypical_lymphocytes": YES_NO,
    "labs.urea_mmol_per_l": (5.0, 12.0),
    "labs.bicarbonate_mmol_per_l": (25.0, 15.0),
    "labs.glucose_mmol_per_l": (6.0, 15.0),
    "labs.dress_workup.ana": WORKUP,
    "labs.dress_workup.blood_culture": WORKUP,
    "labs.dress_workup.hepatitis_serology": WORKUP,
    "labs.dress_workup.mycoplasma_chlamydia": WORKUP,
    "labs.dress_workup.other": WORKUP,
    "histology.agep_pattern": HISTOLOGY,
    "histology.suggests_dress": YES_NO,
}
for i in (0, 1):
    SLOTS |= {
        f"drugs.{i}.start_day": (-3, -10, -40, -70, 1),
        f"drugs.{i}.ongoing_at_onset": YES_NO,
        # Days on which the drug's presence is decided for both drugs by whole days: a
        # dose on day -1 leaves paracetamol's presence open with no answer that settles it
        # (spec §5), which tests/test_alden.py pins instead.
        f"drugs.{i}.stop_day": (-6, -2, 1),
        f"drugs.{i}.previous_exposure": EXPOSURE,
        f"drugs.{i}.dechallenge": ("stopped", "continued_without_harm"),
    }
    # Naranjo's "after the drug?" and "similar reaction before?" are answered from the start
    # day and the previous exposure: an explicit answer contradicting them is not a
    # consistent one, so they are reached through those two slots.
    SLOTS |= {f"drugs.{i}.naranjo.{q}": ("yes", "no") for q in (
        "improved_on_stop", "reappeared_on_readministration",
        "alternative_causes", "placebo_reaction", "toxic_concentration", "dose_response",
        "objective_evidence")}
# Naranjo's "earlier reports?" is answered from the drug knowledge for carbamazepine (on
# every list) through the patterns considered, so it is reached through their slots; for
# paracetamol (on no list) only the clinician answers it.
SLOTS["drugs.1.naranjo.previous_reports"] = ("yes", "no")
NAMES = ("carbamazepine", "paracetamol")  # strongly associated / on no list, half-life 2 h


def _build(values: dict[str, Any]) -> Findings | None:
    data: dict[str, Any] = {"schema": SCHEMA, "drugs": [{"name": n} for n in NAMES]}
    for path, value in values.items():
        if value is None:
            continue
        node: Any = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        node[last] = list(value) if isinstance(value, tuple) else value
    try:
        return Findings.model_validate(data)
    except ValidationError:
        return None  # an inconsistent combination of answers: not reachable


def _totals(f: Findings) -> dict[str, int | None]:
    r = evaluate(f)
    out: dict[str, int | None] = {s.id: s.total for s in r.scores}
    for i, d in enumerate(r.drugs):
        out[f"alden {i}"] = None if d.alden is None else d.alden.total
        out[f"naranjo {i}"] = d.naranjo.total
    return out


def _ranges(f: Findings) -> dict[str, tuple[int, int] | None]:
    r = evaluate(f)
    out: dict[str, tuple[int, int] | None] = {s.id: (s.min, s.max) for s in r.scores}
    for i, d in enumerate(r.drugs):
        out[f"alden {i}"] = None if d.alden is None else (d.alden.min, d.alden.max)
        out[f"naranjo {i}"] = (d.naranjo.min, d.naranjo.max)
    return out


def _q1_open(f: Findings) -> bool:
    q1 = next(i for i in evaluate(f).drugs[0].naranjo.items if i.id == "previous_reports")
    return q1.answer == "unknown"


#: Answers that must agree: (field, field it depends on, test of a consistent pair).
AGREE = (
    ("labs.neutrophils_per_mm3", "labs.leukocytes_per_mm3", lambda v, on: v <= on),
    ("labs.eosinophils_per_mm3", "labs.leukocytes_per_mm3", lambda v, on: v <= on),
    ("eruption.last_active_day", "eruption.resolution_day", lambda v, on: v <= on),
    *((f"drugs.{i}.stop_day", f"drugs.{i}.start_day", lambda v, on: v >= on) for i in (0, 1)),
    # taken at the onset exactly when the last dose is on day 0 or later
    *((f"drugs.{i}.ongoing_at_onset", f"drugs.{i}.stop_day",
       lambda v, on: v is None or v == (on >= 0)) for i in (0, 1)),
    # continued after the onset: not stopped before it
    *((f"drugs.{i}.dechallenge", f"drugs.{i}.stop_day",
       lambda v, on: v != "continued_without_harm" or on >= 0) for i in (0, 1)),
)


@st.composite
def cases(draw: Any) -> tuple[dict[str, Any], list[str]]:
    values = {path: draw(st.sampled_from(domain)) for path, domain in SLOTS.items()}
    # Draw a consistent base: where a pair disagrees, the dependent answer is drawn again
    # from the values that agree (most random bases would otherwise be refused).
    for path, on, agrees in AGREE:
        fits = [v for v in SLOTS[path] if agrees(v, values[on])]
        values[path] = draw(st.sampled_from(fits))
    for i in (0, 1):  # not taken at the onset: not continued after it either
        if values[f"drugs.{i}.ongoing_at_onset"] is False:
            values[f"drugs.{i}.dechallenge"] = "stopped"
    # The leukocytes and the last doses stay known: unknown, they range over a continuum
    # (the eosinophil percentage; every day from the first intake, some of them leaving
    # the drug's presence open) that a few values cannot stand for. tests/test_regiscar.py
    # and tests/test_alden.py pin those.
    open_slots = sorted(p for p in SLOTS
                        if p != "labs.leukocytes_per_mm3" and not p.endswith("stop_day"))
    unknown = draw(st.lists(st.sampled_from(open_slots), max_size=4, unique=True))
    for path in unknown:
        values[path] = None
    return values, unknown


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases())
def test_min_and_max_are_the_extremes_of_the_consistent_answers(case) -> None:
    values, unknown = case
    base = _build(values)
    assert base is not None  # the strategy draws consistent bases
    seen: dict[str, list[int]] = {}
    for combo in itertools.product(*(SLOTS[p] for p in unknown)):
        full = _build(values | dict(zip(unknown, combo, strict=True)))
        if full is None:
            continue
        for sid, total in _totals(full).items():
            if total is not None:
                seen.setdefault(sid, []).append(total)
    unscored = any(p.endswith("start_day") for p in unknown)
    for sid, reach in _ranges(base).items():
        if reach is None or sid not in seen:
            continue  # not scored (ALDEN without a start day)
        expected = (min(seen[sid]), max(seen[sid]))
        if sid == "naranjo 0" and _q1_open(base):
            # Carbamazepine's "earlier reports?" with no pattern considered for sure: the
            # clinician may still answer yes when opening the drug's details, a +1 the
            # slots above do not model.
            assert reach[0] == expected[0] and reach[1] - expected[1] in (0, 1), (sid, unknown)
        elif sid.startswith("alden") and unscored:
            # Another drug's unknown first intake can take this drug's other-cause point:
            # counted in the lowest total, not in the highest (see alden.score_all).
            assert reach[0] == expected[0] and reach[1] >= expected[1], (sid, unknown)
        else:
            assert reach == expected, (sid, unknown)
