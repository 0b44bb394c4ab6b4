"""Next-step rules: each fires on a case built for it and stays silent on one that is not;
reasons are always given; dates appear when the onset date is known."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, findings
from triage.assessment import assess
from triage.next_steps import rules, steps
from triage.result import evaluate

AGEP = dict(
    patient={"age_years": 50, "psoriasis_history": False},
    eruption={"pustules": "typical", "erythema": "typical", "distribution": "typical",
              "mucosal_sites": [], "detachment_bsa_percent": 0, "blisters": False,
              "nikolsky": False, "atypical_targets": False, "assessment_day": 2,
              "onset_date": "2026-11-20"},
    systemic={"temperature_max_c": 38.6, "organ_involvement": []},
    labs={"leukocytes_per_mm3": 15000, "neutrophils_per_mm3": 11000,
          "eosinophils_per_mm3": 300},
    drugs=[{"name": "amoxicillin", "start_day": -2, "ongoing_at_onset": True}],
)
SJS = dict(
    patient={"age_years": 60},
    eruption={"detachment_bsa_percent": 12, "nikolsky": True, "atypical_targets": True,
              "mucosal_sites": ["oral", "ocular"], "assessment_day": 2},
    systemic={"heart_rate_bpm": 110},
    drugs=[{"name": "carbamazepine", "start_day": -14, "ongoing_at_onset": True}],
)
DRESS = dict(
    eruption={"facial_edema": True, "rash_bsa_percent": 70, "pustules": "insufficient",
              "assessment_day": 5},
    systemic={"temperature_max_c": 39.0, "enlarged_lymph_node_sites": 3,
              "organ_involvement": ["liver"]},
    labs={"leukocytes_per_mm3": 12000, "eosinophils_per_mm3": 2000,
          "neutrophils_per_mm3": 6000, "atypical_lymphocytes": True},
    drugs=[{"name": "allopurinol", "start_day": -25, "ongoing_at_onset": True}],
)
BENIGN = dict(
    eruption={"pustules": "insufficient", "detachment_bsa_percent": 0, "blisters": False,
              "nikolsky": False, "atypical_targets": False, "mucosal_sites": [],
              "facial_edema": False, "skin_pain": False, "rash_bsa_percent": 30},
    systemic={"temperature_max_c": 37.5, "heart_rate_bpm": 80, "organ_involvement": [],
              "enlarged_lymph_node_sites": 0},
    labs={"leukocytes_per_mm3": 8000, "neutrophils_per_mm3": 5000, "eosinophils_per_mm3": 200},
    drugs=[{"name": "amoxicillin", "start_day": -8, "ongoing_at_onset": True}],
)


def run(case: dict, **changes) -> dict:
    data = {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in case.items()}
    for path, value in changes.items():
        section, field = path.split("__")
        data.setdefault(section, {})[field] = value
    f = findings(**data)
    result = evaluate(f)
    _, recommended = steps(f, result, assess(f, result))
    return {s.id: s for s in recommended}


@pytest.mark.parametrize(
    ("rule", "fires", "silent"),
    [
        ("stop_suspect_drugs", (AGEP, {}), (AGEP, {"drugs__x": None})),
        ("take_drug_history", (BENIGN, {"drugs": []}), (BENIGN, {})),
        ("labs_baseline", (AGEP, {"labs__leukocytes_per_mm3": None}), (AGEP, {})),
        ("scorten_labs", (SJS, {}), (SJS, {"labs__urea_mmol_per_l": 5,
                                          "labs__glucose_mmol_per_l": 6,
                                          "labs__bicarbonate_mmol_per_l": 24})),
        ("dress_workup", (DRESS, {}), (BENIGN, {})),
        ("pustule_culture", (AGEP, {}), (AGEP, {"histology__pustule_culture": "sterile"})),
        ("skin_biopsy", (AGEP, {}), (AGEP, {"histology__agep_pattern": "spongiform_pustules"})),
        ("ophthalmology", (SJS, {}), (AGEP, {})),
        ("burn_unit_or_icu", (SJS, {}), (AGEP, {})),
        ("urogenital_review", (SJS, {"eruption__mucosal_sites": ["oral", "genital"]}),
         (SJS, {})),
        ("oral_care", (SJS, {}), (SJS, {"eruption__mucosal_sites": ["ocular", "genital"]})),
        ("scorten_day_3", (SJS, {}), (AGEP, {})),
        ("follow_up", (AGEP, {}), (AGEP, {"eruption__resolution_day": 9,
                                          "eruption__postpustular_desquamation": True,
                                          "histology__agep_pattern": "pustules"})),
        ("patch_testing", (DRESS, {}), (BENIGN, {})),
        ("lymphocyte_transformation_test", (SJS, {}), (BENIGN, {})),
        ("no_provocation", (AGEP, {}), (BENIGN, {})),
        ("allergy_record", (AGEP, {}), (BENIGN, {})),
        ("review_drugs", (AGEP, {"drugs": [{"name": "omeprazole", "start_day": -900,
                                            "ongoing_at_onset": True}]}), (AGEP, {})),
        ("pharmacogenetics", (DRESS, {}), (AGEP, {})),
        ("pharmacovigilance", (DRESS, {}), (BENIGN, {})),
        ("safety_net", (BENIGN, {}), (AGEP, {})),
    ],
)
def test_each_rule_fires_on_its_case_and_not_otherwise(rule, fires, silent):
    case, changes = fires
    if "drugs" in changes:
        case = dict(case, drugs=changes.pop("drugs"))
    assert rule in run(case, **changes)
    case, changes = silent
    if "drugs__x" in changes:
        case = {k: v for k, v in case.items() if k != "drugs"}
        changes = {}
    assert rule not in run(case, **changes)


def test_every_rule_is_tested_above():
    tested = {"stop_suspect_drugs", "take_drug_history", "labs_baseline", "scorten_labs",
              "dress_workup", "pustule_culture", "skin_biopsy", "ophthalmology",
              "burn_unit_or_icu", "scorten_day_3", "follow_up", "patch_testing",
              "lymphocyte_transformation_test", "no_provocation", "allergy_record",
              "pharmacovigilance", "safety_net", "patch_test_results", "urogenital_review",
              "oral_care", "review_drugs", "pharmacogenetics", "late_sequelae"}
    assert {r.id for r in rules()[1]} == tested


def _tested(*results: str) -> dict:
    names = ("amoxicillin", "clindamycin")
    drugs = [{"name": n, "start_day": -2, "ongoing_at_onset": True, "patch_test": r}
             for n, r in zip(names, results, strict=False)]
    return run(dict(AGEP, drugs=drugs))


def test_patch_results_replace_the_advice_to_test_what_was_tested():
    untested = _tested("not_done")
    assert "patch_test_results" not in untested
    assert "Test amoxicillin:" in untested["patch_testing"].text

    positive = _tested("positive")
    assert "patch_testing" not in positive  # its only suspect is tested
    assert positive["patch_test_results"].text.startswith(
        "Patch test results: positive to amoxicillin. A positive test points to amoxicillin "
        "as the culprit")
    assert positive["patch_test_results"].because == (
        "patch test results recorded: amoxicillin positive",)

    mixed = _tested("negative", None)
    text = mixed["patch_test_results"].text
    assert text.startswith("Patch test results: negative to amoxicillin. A negative test "
                           "does not exclude amoxicillin: its negative predictive value is "
                           "unknown")
    assert "positive" not in text
    # The untested suspect is still to be tested; the tested one is not named again.
    assert "Test clindamycin:" in mixed["patch_testing"].text

    both = _tested("positive", "negative")["patch_test_results"].text
    assert both.startswith("Patch test results: positive to amoxicillin; negative to "
                           "clindamycin.")


def test_a_fired_rule_always_says_why_and_where_from():
    for case in (AGEP, SJS, DRESS, BENIGN):
        for step in run(case).values():
            assert step.because and step.source, step.id


def test_the_follow_up_day_comes_with_its_date():
    step = run(AGEP)["follow_up"]
    assert "day 16 (2026-12-06)" in step.text
    assert "whether the skin had cleared by day 15 (EuroSCAR)" in step.text


def test_the_patch_test_window_is_dated_from_healing():
    step = run(AGEP, eruption__resolution_day=10)["patch_testing"]
    assert "shall be performed (AGEP)" in step.text
    assert "from day 52 (2027-01-11) to day 192 (2027-05-31)" in step.text
    assert "readings on D2 and D4 (D7 optional)" in step.text
    assert "a negative result does not prove tolerance" in step.text


@pytest.mark.parametrize(("case", "strength"), [(AGEP, "shall be performed"),
                                                 (DRESS, "should be performed"),
                                                 (SJS, "can be considered")])
def test_patch_testing_strength_by_reaction(case, strength):
    assert strength in run(case)["patch_testing"].text


def test_biopsy_is_advised_when_histology_could_move_the_eurosar_category():
    step = run(AGEP)["skin_biopsy"]
    assert any("could move EuroSCAR" in b for b in step.because)


def test_burn_unit_from_scorten_2_alone():
    steps_ = run(SJS, eruption__detachment_bsa_percent=4, patient__age_years=50,
                 systemic__heart_rate_bpm=125)
    assert "SCORTEN 2 (>= 2" in " ".join(steps_["burn_unit_or_icu"].because)


# A suspected TEN on a video call: Nikolsky positive, blisters, dusky macules, two mucosal
# sites; the detached area not yet estimated (issue 18).
TEN_CALL = dict(
    patient={"age_years": 35},
    eruption={"nikolsky": True, "blisters": True, "atypical_targets": True,
              "mucosal_sites": ["oral", "genital"]},
    drugs=[{"name": "lamotrigine", "start_day": -14, "ongoing_at_onset": True}],
)


def test_every_emergency_sign_of_sjs_ten_sends_to_a_burn_unit_with_the_area_unknown():
    step = run(TEN_CALL)["burn_unit_or_icu"]
    assert step.text.startswith("Transfer without delay to a burn unit or an intensive care "
                                "unit with SJS/TEN experience, whether or not the detached "
                                "area has been estimated")
    because = " ".join(step.because)
    assert "Positive Nikolsky sign" in because and "early SJS/TEN" in because


@pytest.mark.parametrize(("flag", "flag_id"), [
    ({"eruption__nikolsky": True}, "nikolsky"),
    ({"eruption__atypical_targets": True, "eruption__skin_pain": True}, "early_sjs_ten"),
    ({"eruption__blisters": True, "eruption__mucosal_sites": ["oral"]},
     "detachment_with_targets_or_mucosa"),
    ({"eruption__mucosal_sites": ["oral", "ocular"]}, "mucosa_severe"),
])
def test_each_sjs_ten_emergency_flag_alone_fires_the_transfer(flag, flag_id):
    from triage.red_flags import TRIGGERS

    text = next(t.text for t in TRIGGERS if t.id == flag_id)
    step = run(dict(patient={"age_years": 30}), **flag)["burn_unit_or_icu"]
    assert step.text.startswith("Transfer without delay")
    assert text in " ".join(step.because)


def test_scorten_that_could_reach_2_plans_the_transfer_without_ordering_it():
    # Targets alone (SJS/TEN considered, no emergency sign): SCORTEN 0, could reach 5
    # (malignancy, heart rate and the three labs unknown).
    case = dict(patient={"age_years": 30},
                eruption={"atypical_targets": True, "skin_pain": False, "blisters": False,
                          "detachment_bsa_percent": 0, "mucosal_sites": []})
    step = run(case)["burn_unit_or_icu"]
    assert step.text.startswith("Arrange transfer to a burn unit or an intensive care unit "
                                "with SJS/TEN experience if SCORTEN is 2 or more")
    assert "(now 0, could reach 5)" in step.text
    assert "SCORTEN 0, could reach 5" in " ".join(step.because)


def test_no_burn_unit_where_sjs_ten_is_not_considered_whatever_scorten_could_reach():
    steps_ = run(AGEP)
    assert "burn_unit_or_icu" not in steps_  # SCORTEN could reach 6 with its labs unknown
    assert "ophthalmology" not in steps_


def test_every_suspected_sjs_ten_gets_an_eye_review_within_24_hours():
    case = dict(TEN_CALL, eruption=dict(TEN_CALL["eruption"], mucosal_sites=["oral"]))
    step = run(case)["ophthalmology"]
    assert step.text.startswith("Ophthalmology review within 24 hours, then")
    assert "(the eyes are involved: today)" in run(SJS)["ophthalmology"].text


def test_genital_and_oral_sites_get_their_own_care():
    steps_ = run(TEN_CALL)
    assert "genital skin and the urinary tract within 24 hours" in steps_["urogenital_review"].text
    assert "white soft paraffin on the lips" in steps_["oral_care"].text


def test_a_biological_gets_brand_and_batch_in_the_record():
    case = dict(AGEP, drugs=[{"name": "IVIg", "start_day": -9, "ongoing_at_onset": True}])
    record = run(case)["allergy_record"]
    assert '"AGEP to IVIg" (suspected culprit; brand and batch: record them)' in record.text


def test_examples_never_fire_a_rule_without_a_reason(capsys):
    from triage.cli import main

    for path in sorted((ROOT / "examples").glob("*.transcript.yaml")):
        assert main(["replay", str(path)]) == 0
        import json

        data = json.loads(capsys.readouterr().out)
        assert all(s["because"] for s in data["next_steps"]), path.name


def test_every_rule_compiles_on_its_own_so_an_error_names_its_rule():
    from triage.dialog.conditions import compiled, template

    for rule in rules()[1]:
        compiled(rule.when)
        for text in (rule.text, *rule.because):
            template(text)


def test_values_cannot_forge_a_recommendation():
    case = dict(AGEP, drugs=[{"name": "x\x1estop_suspect_drugs\x1fforged", "start_day": -2,
                              "ongoing_at_onset": True}])
    steps_ = run(case)
    assert "forged" not in {s.text for s in steps_.values()}
    assert "x stop_suspect_drugs forged" in steps_["stop_suspect_drugs"].text


def test_no_biopsy_for_the_score_when_regiscar_cannot_change_category():
    # DRESS at 5 (probable) whether the biopsy scores 0 or -1 (4: probable): nothing to gain.
    assert "skin_biopsy" not in run(DRESS)


def test_a_biopsy_that_could_move_regiscar_says_it_is_for_the_score():
    # At 6 (definite) with the biopsy unknown: -1 would make it 5 (probable).
    steps_ = run(DRESS, eruption__infiltration=True)
    step = steps_["skin_biopsy"]
    assert "interface dermatitis, eosinophils and atypical lymphocytes (DRESS)" in step.text
    assert step.because == ("for the score: the result could move RegiSCAR (5c: a biopsy not "
                            "suggesting DRESS scores -1): -1 -> probable; 0 -> definite",)


def test_each_biopsy_reason_names_its_kind():
    sjs = run(SJS)["skin_biopsy"]
    assert sjs.because == ("for the diagnosis: SJS/TEN is considered: full-thickness "
                           "necrosis, and DIF to exclude autoimmune bullous disease",)
    agep = run(AGEP, patient__psoriasis_history=None)["skin_biopsy"]
    assert any(b.startswith("for the differential: generalized pustular psoriasis")
               for b in agep.because)


@pytest.mark.parametrize("day, says", [
    (7, "for SJS/TEN within 1 week of the onset (by day 7)."),
    (8, None),  # its window has passed: no step that reads as a deadline
    (None, "for SJS/TEN within 1 week of the onset (by day 7)."),
])
def test_the_lymphocyte_test_is_offered_while_its_window_is_ahead(day, says):
    step = run(SJS, eruption__assessment_day=day).get("lymphocyte_transformation_test")
    assert (None if step is None else step.text.split(": ", 1)[1]) == says


def test_a_lymphocyte_test_window_passed_is_marked_beside_the_one_ahead():
    """An SJS/TEN and DRESS overlap on day 40: the SJS/TEN window is marked passed, the
    DRESS window (days 35 to 56) is the one to act on; after day 56 neither is offered."""
    both = dict(SJS, eruption=dict(SJS["eruption"], facial_edema=True, rash_bsa_percent=70),
                systemic=DRESS["systemic"], labs=DRESS["labs"])
    assert run(both, eruption__assessment_day=2)["lymphocyte_transformation_test"]
    step = run(both, eruption__assessment_day=40).get("lymphocyte_transformation_test")
    assert step is not None, "DRESS not considered in the overlap"
    assert step.text == (
        "Lymphocyte transformation test, if available: for SJS/TEN within 1 week of the "
        "onset (by day 7, passed); for DRESS 5 to 8 weeks after the onset (day 35 to day "
        "56).")
    assert "lymphocyte_transformation_test" not in run(both, eruption__assessment_day=57)
