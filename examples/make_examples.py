"""Regenerate the example transcripts from the case descriptions below.

    python examples/make_examples.py

Each case lists the answers a clinician gives, by question id (drug questions per drug);
every other question that applies is answered "unknown" where the dialog allows it. The
script walks the built-in dialog with the engine, so a transcript it writes always fits
the dialog; run it after changing the dialog, and review the diff of the golden results.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from triage import transcript
from triage.dialog.engine import Engine
from triage.dialog.loader import default_dialog_path, load_dialog

HERE = Path(__file__).resolve().parent

NO_RED_FLAGS = {
    "detachment_any": "no", "nikolsky": "no", "blisters": "no", "atypical_targets": "no",
    "mucosal_sites": "none", "skin_pain": "no",
}

CASES: dict[str, dict[str, Any]] = {
    # Moon & Shin, IJDVL 2012: AGEP after IVIg, as reported; the rest unknown.
    "seed-agep-ivig": {
        "today": "2026-11-25",
        "answers": {
            **NO_RED_FLAGS, "vitals_at_hand": "no",
            "onset_date": "2026-09-20", "assessment_date": "2026-10-04", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "90", "pustules": "typical", "erythema_grade": "typical",
            "distribution_grade": "typical", "desquamation": "yes",
            "temperature": "38.5", "lymph_nodes": "0", "organs_any": "no",
            "age": "42", "sex": "female", "neutrophils": "7200",
            "biopsy": "spongiform_pustules",
            "histology_dress": "no", "pustule_culture": "sterile",
            "resolution_date": "2026-10-04",
        },
        "drugs": [{
            "drug_name": "intravenous immunoglobulin", "drug_start": "-9", "drug_stop": "0",
            "drug_batch": "0.4 g/kg/day intravenous; brand and batch not reported",
            "drug_previous": "none", "drug_improved": "yes", "drug_alternative": "no",
            "drug_objective": "yes",
        }],
    },
    # DRESS: carbamazepine, 3.5 weeks' latency, fever, facial oedema, eosinophilia,
    # atypical lymphocytes, lymph nodes, hepatitis; the work-up for other causes negative.
    "dress-carbamazepine": {
        "today": "2026-11-25",
        "answers": {
            **NO_RED_FLAGS, "vitals_at_hand": "yes", "heart_rate": "104",
            "onset_date": "5 days ago", "assessment_date": "today", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "70", "pustules": "none", "erythema_grade": "compatible",
            "distribution_grade": "compatible", "desquamation": "no",
            "facial_edema": "yes", "infiltration": "yes", "purpura": "no", "scaling": "yes",
            "temperature": "102.6", "temperature_unit": "F", "lymph_nodes": "3",
            "organs_any": "yes", "organs": "liver",
            "age": "34", "sex": "male", "malignancy": "no", "psoriasis": "no",
            "organ_dysfunction": "yes",
            "leukocytes": "14.2", "leukocytes_unit": "g_per_l", "neutrophils": "6100",
            "eosinophils": "2.1", "eosinophils_unit": "g_per_l", "atypical_lymphocytes": "yes",
            "urea": "15", "urea_unit": "bun_mg_dl", "glucose": "104", "glucose_unit": "mg_dl",
            "bicarbonate": "23", "workup_done": "yes", "workup_ana": "negative",
            "workup_blood_culture": "negative", "workup_hepatitis": "negative",
            "workup_mycoplasma": "not_done", "workup_other": "not_done",
            "biopsy": "pending",
        },
        "drugs": [{
            "drug_name": "Tegretol", "drug_start": "24 days before onset", "drug_stop": "-0",
            "drug_dose": "200 mg twice daily, oral", "drug_biological": "no",
            "drug_previous": "none", "drug_alternative": "no",
            "drug_objective": "yes",
        }],
    },
    # SJS/TEN overlap with every red flag: detachment 15 %, Nikolsky, three mucosal sites
    # including the eyes, tachycardia; SCORTEN labs in conventional units.
    "sjs-ten-red-flags": {
        "today": "2026-11-25",
        "answers": {
            "detachment_any": "yes", "detachment_bsa": "15", "nikolsky": "yes",
            "blisters": "yes", "atypical_targets": "yes",
            "mucosal_sites": "oral, ocular, genital", "skin_pain": "yes", "vitals_at_hand": "yes",
            "heart_rate": "126",
            "onset_date": "2 days ago", "assessment_date": "today", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "40", "pustules": "none", "erythema_grade": "insufficient",
            "distribution_grade": "insufficient",
            "temperature": "39.1", "lymph_nodes": "0", "organs_any": "no",
            "age": "58", "sex": "female", "malignancy": "no", "organ_dysfunction": "no",
            "leukocytes": "5200", "neutrophils": "3900", "eosinophils": "100",
            "atypical_lymphocytes": "no", "urea": "31", "urea_unit": "bun_mg_dl",
            "glucose": "262", "glucose_unit": "mg_dl", "bicarbonate": "18",
            "workup_done": "no", "biopsy": "pending",
        },
        "drugs": [{
            "drug_name": "Bactrim", "drug_start": "-12",
            "drug_stop": "1",
            "drug_dose": "960 mg twice daily, oral", "drug_biological": "no",
            "drug_previous": "none", "drug_alternative": "no",
            "drug_objective": "yes",
        }],
    },
    # A benign maculopapular exanthem on amoxicillin: no red flag, low-grade fever.
    "benign-exanthem": {
        "today": "2026-11-25",
        "answers": {
            **NO_RED_FLAGS, "vitals_at_hand": "yes", "heart_rate": "84",
            "onset_date": "yesterday", "assessment_date": "today", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "35", "pustules": "none", "erythema_grade": "insufficient",
            "distribution_grade": "insufficient", "desquamation": "no",
            "facial_edema": "no", "infiltration": "no", "purpura": "no", "scaling": "no",
            "temperature": "37.8", "lymph_nodes": "0", "organs_any": "no",
            "age": "27", "sex": "female", "malignancy": "no",
            "leukocytes": "7800", "neutrophils": "4900", "eosinophils": "350",
            "atypical_lymphocytes": "no", "biopsy": "none",
        },
        "drugs": [{
            "drug_name": "amoxicillin", "drug_start": "-8",
            "drug_stop": "0",
            "drug_dose": "500 mg three times daily, oral", "drug_biological": "no",
            "drug_previous": "none", "drug_alternative": "unknown",
            "drug_objective": "no",
        }],
    },
    # SJS with three drugs: ALDEN ranks allopurinol (started 3 weeks before, strong list)
    # above paracetamol (same delay, unknown notoriety) and omeprazole (taken for years).
    "multi-drug-alden": {
        "today": "2026-11-25",
        "answers": {
            "detachment_any": "yes", "detachment_bsa": "6", "nikolsky": "yes",
            "blisters": "yes", "atypical_targets": "yes",
            "mucosal_sites": "oral, genital", "skin_pain": "yes", "vitals_at_hand": "yes",
            "heart_rate": "112",
            "onset_date": "2026-11-22", "assessment_date": "today", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "25", "pustules": "none", "erythema_grade": "insufficient",
            "distribution_grade": "insufficient",
            "temperature": "38.4", "lymph_nodes": "0", "organs_any": "no",
            "age": "71", "sex": "male", "malignancy": "no", "organ_dysfunction": "no",
            "urea": "8.2", "glucose": "7.1", "bicarbonate": "22", "biopsy": "pending",
        },
        "drugs": [
            {"drug_name": "allopurinol", "drug_start": "2026-11-01",
             "drug_stop": "2026-11-23",
             "drug_dose": "300 mg daily, oral", "drug_biological": "no",
             "drug_previous": "none",
             "drug_alternative": "no", "drug_objective": "yes"},
            {"drug_name": "paracetamol", "drug_start": "2026-11-01", "drug_stop": "still taking",
            "drug_dose": "1 g as needed, oral",
             "drug_biological": "no", "drug_previous": "tolerated",
             "drug_dechallenge": "continued_without_harm",
             "drug_alternative": "yes", "drug_objective": "no"},
            {"drug_name": "omeprazole", "drug_start": "-900", "drug_stop": "still taking",
            "drug_dose": "20 mg daily, oral",
             "drug_biological": "no", "drug_previous": "tolerated",
             "drug_dechallenge": "continued_without_harm",
             "drug_alternative": "yes", "drug_objective": "no"},
        ],
    },
    # AGEP on the presentation day (day 2): course, desquamation and histology pending.
    "agep-presentation-day": {
        "today": "2026-11-25",
        "answers": {
            **NO_RED_FLAGS, "vitals_at_hand": "yes", "heart_rate": "96",
            "onset_date": "2026-11-23", "assessment_date": "today", "acute_onset": "yes",
            "drugs_any": "yes",
            "rash_bsa": "60", "pustules": "typical", "erythema_grade": "typical",
            "distribution_grade": "typical",
            "facial_edema": "no", "infiltration": "no", "purpura": "no", "scaling": "no",
            "temperature": "38.9", "lymph_nodes": "0", "organs_any": "no",
            "age": "63", "sex": "female", "malignancy": "no", "psoriasis": "no",
            "leukocytes": "16.8", "leukocytes_unit": "g_per_l", "neutrophils": "78",
            "neutrophils_unit": "percent", "eosinophils": "4", "eosinophils_unit": "percent",
            "biopsy": "pending", "pustule_culture": "not_done",
        },
        "drugs": [{
            "drug_name": "amoxicillin-clavulanate", "drug_start": "-2",
            "drug_stop": "today",
            "drug_dose": "875/125 mg twice daily, oral", "drug_biological": "no",
            "drug_previous": "none",
            "drug_alternative": "no", "drug_objective": "yes",
        }],
    },
}

# The same AGEP reopened at follow-up on day 16 (2026-12-09): resolved on day 9,
# desquamation, the biopsy read, the culture sterile, the patch test not done yet, and
# normal vital signs at the visit.
CASES["agep-follow-up"] = dict(
    CASES["agep-presentation-day"],
    visits=[{
        "date": "2026-12-09",
        "answers": {
            "assessment_date": "today", "desquamation": "yes",
            "biopsy": "spongiform_pustules_with_papillary_edema",
            "histology_dress": "no", "pustule_culture": "sterile",
            "resolution_date": "2026-12-02", "visit_temperature": "36.8",
            "visit_heart_rate": "76", "visit_systolic_bp": "124", "visit_vasopressors": "no",
            "visit_spo2": "98", "visit_respiratory_rate": "14", "visit_confusion": "no",
        },
        "drugs": [{"drug_improved": "yes", "drug_patch_test": "not_done"}],
    }],
)

#: The signs at a visit of a patient who is well: every vital sign normal.
WELL_AT_THE_VISIT = {
    "visit_temperature": "36.9", "visit_heart_rate": "84", "visit_systolic_bp": "122",
    "visit_vasopressors": "no", "visit_spo2": "97", "visit_respiratory_rate": "16",
    "visit_confusion": "no",
}

# The SJS/TEN overlap over four visits: SCORTEN on admission (day 2, 6 points) and again
# on the third hospital day (2026-11-27, a quick visit for SCORTEN alone: 2 points), the
# visit on day 15 with the skin re-epithelialising, and the visit on day 58, healed since
# day 27 (the last dose of Bactrim on day 1; no patch test). The sex, left out on the
# presentation day as it changed nothing, is asked on day 58: it decides the
# gynaecological follow-up of the genital involvement.
CASES["sjs-ten-four-visits"] = dict(
    CASES["sjs-ten-red-flags"],
    visits=[
        {"date": "2026-11-27", "only": "scorten",
         "answers": {"assessment_date": "today", "visit_skin_active": "yes",
                     "visit_detachment_bsa": "25", "visit_heart_rate": "104",
                     "urea": "8.2", "glucose": "9.1", "bicarbonate": "22"}},
        {"date": "2026-12-08",
         "answers": {"assessment_date": "today", "temperature": "", "biopsy": "other_disease",
                     **WELL_AT_THE_VISIT, "visit_skin_active": "yes",
                     "visit_detachment_bsa": "5", "visit_nikolsky": "no",
                     "visit_blisters": "no", "visit_atypical_targets": "no",
                     "visit_mucosal_sites": "oral", "visit_skin_pain": "yes",
                     "visit_facial_edema": "no", "visit_pustules": "no",
                     "leukocytes": "6100", "neutrophils": "4000", "eosinophils": "150",
                     "urea": "5.1", "glucose": "6.2", "bicarbonate": "24"},
         "drugs": [{"drug_improved": "yes", "drug_patch_test": "not_done"}]},
        {"date": "2027-01-20",
         "answers": {"assessment_date": "today", "resolution_date": "2026-12-20",
                     "sex": "female", **WELL_AT_THE_VISIT},
         "drugs": [{"drug_patch_test": "not_done"}]},
    ],
)


def build(name: str, case: dict[str, Any]) -> str:
    """Walk the dialog with the case's answers and return the transcript YAML."""
    dialog = load_dialog(default_dialog_path(), "dialogs/scar.yaml")
    engine = Engine(dialog, dt.date.fromisoformat(case["today"]))
    answers, drugs = case["answers"], case.get("drugs", [])
    while (slot := engine.current()) is not None:
        q = slot.question
        if slot.repeat is None:
            raw = answers.get(q.id, "unknown" if q.unknown_allowed else None)
            unit = answers.get(f"{q.id}_unit")
        elif q.id == "drug_more":
            raw = "yes" if slot.repeat + 1 < len(drugs) else "no"
            unit = None
        else:
            raw = drugs[slot.repeat].get(q.id, "unknown" if q.unknown_allowed else None)
            unit = None
        if raw is None:
            sys.exit(f"{name}: {slot.label()} needs an answer (unknown is not allowed)")
        outcome = engine.answer(raw, unit)
        if not outcome.accepted:
            sys.exit(f"{name}: {slot.label()} = {raw!r} refused: {outcome.message}")
    for visit in case.get("visits", []):
        _follow_up(name, engine, visit)
    return transcript.dumps(transcript.from_engine(engine))


def _follow_up(name: str, engine: Engine, visit: dict[str, Any]) -> None:
    """Open a follow-up visit; an item the visit does not mention keeps the answer it had
    as Enter keeps it (a relative date as the day it meant), a new one is unknown."""
    opened = engine.follow_up(dt.date.fromisoformat(visit["date"]), visit.get("only"))
    if not opened.accepted:
        sys.exit(f"{name}: the visit of {visit['date']} refused: {opened.message}")
    answers, drugs = visit["answers"], visit.get("drugs", [])
    while (slot := engine.current()) is not None:
        given = answers if slot.repeat is None else drugs[slot.repeat]
        before = engine.answer_before(slot.question.id, slot.repeat)
        raw = given.get(slot.question.id, "" if before else "unknown")
        unit = given.get(f"{slot.question.id}_unit")
        outcome = engine.answer(raw, unit)
        if not outcome.accepted:
            sys.exit(f"{name}: follow-up {slot.label()} = {raw!r} refused: {outcome.message}")


def main() -> int:
    for name, case in CASES.items():
        path = HERE / f"{name}.transcript.yaml"
        path.write_text(build(name, case), encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
