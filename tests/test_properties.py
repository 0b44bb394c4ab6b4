"""Property-based tests over random findings: ranges hold, categories fit, nothing raises."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from triage.findings import SCHEMA, Findings
from triage.knowledge import lookup
from triage.result import evaluate
from triage.scores.base import ScoreResult

maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
grade = maybe(st.sampled_from(["typical", "compatible", "insufficient"]))
yes_no = maybe(st.booleans())
tri = maybe(st.sampled_from(["yes", "no", "unknown"]))


@st.composite
def drugs(draw: Any) -> dict[str, Any]:
    start = draw(maybe(st.integers(-120, 5)))
    stop = draw(maybe(st.integers(start if start is not None else -120, 10)))
    ongoing = draw(yes_no)
    if ongoing is not None and stop is not None and ongoing != (stop >= 0):
        ongoing = None  # taken at the onset exactly when the last dose is on day 0 or later
    dechallenge = draw(maybe(st.sampled_from(["stopped", "continued_without_harm"])))
    if dechallenge == "continued_without_harm" and (
            ongoing is False or (stop is not None and stop < 0)):
        dechallenge = "stopped"  # not taken at the onset: not continued after it
    return {
        "name": draw(st.sampled_from(["carbamazepine", "Bactrim", "IVIg", "paracetamol",
                                      "newdrug", "amoxicillin"])),
        "start_day": start, "stop_day": stop, "ongoing_at_onset": ongoing,
        "half_life_hours": draw(maybe(st.floats(0.5, 2000))),
        "notoriety": draw(maybe(st.sampled_from(["strongly_associated", "associated",
                                                 "suspected", "unknown", "not_suspected"]))),
        "previous_exposure": draw(maybe(st.sampled_from([
            "same_drug_same_reaction", "similar_drug_same_reaction", "same_drug_other_reaction",
            "similar_drug_other_reaction", "tolerated", "none"]))),
        "dechallenge": dechallenge,
        "naranjo": draw(maybe(st.fixed_dictionaries({}, optional={
            q: tri for q in ("previous_reports", "after_drug", "improved_on_stop",
                             "reappeared_on_readministration", "alternative_causes",
                             "placebo_reaction", "toxic_concentration", "dose_response",
                             "previous_similar_reaction", "objective_evidence")}))),
    }


@st.composite
def findings(draw: Any) -> Findings:
    leuk = draw(maybe(st.floats(500, 40000)))
    count_cap = leuk if leuk is not None else 5000
    data = {
        "schema": SCHEMA,
        "patient": {"age_years": draw(maybe(st.integers(0, 100))), "malignancy": draw(yes_no),
                    "organ_dysfunction_or_interaction": draw(yes_no)},
        "eruption": {
            "assessment_day": draw(maybe(st.integers(0, 40))),
            "acute_onset": draw(yes_no),
            "resolution_day": draw(maybe(st.integers(0, 40))),
            "rash_bsa_percent": draw(maybe(st.floats(0, 100))),
            "detachment_bsa_percent": draw(maybe(st.floats(0, 100))),
            "pustules": draw(grade), "erythema": draw(grade), "distribution": draw(grade),
            **{k: draw(yes_no) for k in ("postpustular_desquamation", "blisters",
                                         "atypical_targets", "nikolsky", "skin_pain",
                                         "facial_edema", "infiltration", "purpura",
                                         "scaling")},
            "mucosal_sites": draw(maybe(st.lists(st.sampled_from(
                ["oral", "ocular", "genital", "nasal", "anal", "pharyngeal"]), unique=True))),
        },
        "systemic": {
            "temperature_max_c": draw(maybe(st.floats(35, 42))),
            "heart_rate_bpm": draw(maybe(st.integers(40, 200))),
            "enlarged_lymph_node_sites": draw(maybe(st.integers(0, 5))),
            "organ_involvement": draw(maybe(st.lists(st.sampled_from(
                ["liver", "kidney", "lung", "heart", "pancreas"]), unique=True))),
        },
        "labs": {
            "leukocytes_per_mm3": leuk,
            "neutrophils_per_mm3": draw(maybe(st.floats(0, count_cap))),
            "eosinophils_per_mm3": draw(maybe(st.floats(0, count_cap))),
            "eosinophils_percent": draw(maybe(st.floats(0, 60))),
            "atypical_lymphocytes": draw(yes_no),
            "urea_mmol_per_l": draw(maybe(st.floats(1, 40))),
            "glucose_mmol_per_l": draw(maybe(st.floats(2, 30))),
            "bicarbonate_mmol_per_l": draw(maybe(st.floats(10, 35))),
            "dress_workup": draw(maybe(st.fixed_dictionaries({}, optional={
                t: st.sampled_from(["negative", "positive", "not_done"])
                for t in ("ana", "blood_culture", "hepatitis_serology",
                          "mycoplasma_chlamydia", "other")}))),
        },
        "histology": {
            "agep_pattern": draw(maybe(st.sampled_from([
                "other_disease", "not_representative", "neutrophil_exocytosis", "pustules",
                "spongiform_pustules", "spongiform_pustules_with_papillary_edema"]))),
            "suggests_dress": draw(yes_no),
        },
        "drugs": draw(maybe(st.lists(drugs(), max_size=4))),
    }
    cleared = data["eruption"]["resolution_day"]
    data["eruption"]["last_active_day"] = draw(maybe(st.integers(0, 40 if cleared is None
                                                                 else cleared)))
    return Findings.model_validate(data)


def _all_scores(f: Findings) -> list[ScoreResult]:
    r = evaluate(f)
    out = list(r.scores)
    for d in r.drugs:
        out.append(d.naranjo)
        if d.alden is not None:
            out.append(d.alden)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings())
def test_ranges_and_categories_hold(f: Findings) -> None:
    for s in _all_scores(f):
        assert s.min <= s.total <= s.max, s.id
        assert s.category in s.categories_possible, s.id
        assert s.complete == all(i.known for i in s.items)
        if s.complete and s.id != "alden":
            assert s.min == s.total == s.max
        for i in s.items:
            assert i.min <= i.points <= i.max


# Answering one unknown field (an item's input) must land the new total in the old range.
ANSWERS: list[tuple[str, str, Any]] = [
    ("eruption", "pustules", "typical"), ("eruption", "pustules", "insufficient"),
    ("eruption", "acute_onset", False), ("eruption", "resolution_day", 30),
    ("eruption", "resolution_day", 5), ("eruption", "mucosal_sites", ["oral"]),
    ("eruption", "facial_edema", True), ("eruption", "scaling", False),
    ("systemic", "temperature_max_c", 39.0), ("systemic", "temperature_max_c", 37.0),
    ("systemic", "heart_rate_bpm", 130), ("systemic", "organ_involvement", ["liver", "lung"]),
    ("labs", "eosinophils_per_mm3", 0.0), ("labs", "atypical_lymphocytes", True),
    ("histology", "agep_pattern", "other_disease"),
    ("histology", "agep_pattern", "spongiform_pustules_with_papillary_edema"),
    ("histology", "suggests_dress", False), ("patient", "malignancy", True),
    ("patient", "organ_dysfunction_or_interaction", False),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings(), st.sampled_from(ANSWERS))
def test_answering_an_unknown_never_leaves_the_range(f: Findings, answer) -> None:
    section, field, value = answer
    current = getattr(getattr(f, section), field)
    if current is not None:
        return
    if field == "resolution_day" and (f.eruption.last_active_day or 0) > value:
        return  # the file said "still active on last_active_day": an earlier day contradicts it
    if field == "eosinophils_per_mm3" and None not in (f.labs.eosinophils_percent,
                                                       f.labs.leukocytes_per_mm3):
        return  # the count is already derived from percentage x leukocytes (rules §11.12)
    data = f.model_dump(by_alias=True)
    data[section][field] = value
    try:
        answered = Findings.model_validate(data)
    except Exception:  # e.g. the new count is above leukocytes: not a consistent answer
        return
    before = {s.id: s for s in evaluate(f).scores}
    for s in evaluate(answered).scores:
        assert before[s.id].min <= s.total <= before[s.id].max, (s.id, answer)


DRUG_ANSWERS: list[tuple[str, Any]] = [
    ("previous_exposure", "same_drug_same_reaction"), ("previous_exposure", "tolerated"),
    ("dechallenge", "continued_without_harm"), ("dechallenge", "stopped"),
    ("half_life_hours", 1.0), ("half_life_hours", 5000.0),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings(), st.sampled_from(DRUG_ANSWERS), st.integers(0, 3))
def test_answering_a_drug_unknown_never_leaves_any_drugs_range(f, answer, which) -> None:
    if not f.drugs:
        return
    index = which % len(f.drugs)
    field, value = answer
    if getattr(f.drugs[index], field) is not None:
        return
    if field == "half_life_hours" and lookup(f.drugs[index].name) is not None:
        return  # the typical half-life is known; a value in the file overrides, not answers
    data = f.model_dump(by_alias=True)
    data["drugs"][index][field] = value
    try:
        answered = Findings.model_validate(data)
    except ValidationError:
        return  # contradicts an earlier answer (continued, but stopped before the onset)
    before = evaluate(f).drugs
    after = evaluate(answered).drugs
    for b, a in zip(before, after, strict=True):
        for old, new in ((b.alden, a.alden), (b.naranjo, a.naranjo)):
            if old is not None:
                assert old.min <= new.total <= old.max, (old.id, index, answer)
