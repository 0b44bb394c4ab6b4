"""What an edit changed, in words."""

from __future__ import annotations

from tests.conftest import findings
from triage.summary import changes, summarize


def test_changes_name_the_level_the_scores_and_the_next_steps():
    before = summarize(findings(eruption={"pustules": "typical"}))
    after = summarize(findings(eruption={"pustules": "typical", "nikolsky": True}))
    assert changes(before, after) == [
        "Triage level: routine -> emergency",
        "New next step: Transfer without delay to a burn unit or an intensive care unit with "
        "SJS/TEN experience, whether or not the detached area has been estimated; involve "
        "dermatology at once.",
        "New next step: Ophthalmology review within 24 hours, then the eyes examined daily "
        "and lubricated while the reaction is active.",
        "New next step: Serum urea (BUN), glucose and bicarbonate now, for SCORTEN.",
        "New next step: Compute SCORTEN again on day 3 of care; it predicts best then (a "
        "quick visit for SCORTEN alone sets it beside today's).",
        "No longer needed: Safety-netting",
    ]


def test_no_change_is_said_as_nothing():
    same = summarize(findings())
    assert changes(same, same) == []


def _text(f) -> str:
    from triage.render import render

    return render([("case", summarize(f))], "text")


# A suspected TEN by telehealth: Nikolsky positive, age 62, the labs and the heart rate not
# yet known. SCORTEN is 2 (age, detachment) and could reach 7 (malignancy, heart rate and
# the three labs unknown).
TEN_CALL = dict(patient={"age_years": 62},
                eruption={"nikolsky": True, "atypical_targets": True,
                          "detachment_bsa_percent": 12, "mucosal_sites": ["oral", "ocular"]})


def test_an_incomplete_scorten_gives_the_mortality_of_its_whole_range():
    text = " ".join(_text(findings(**TEN_CALL)).split())
    assert ("Mortality (the paper's observed rates for the totals still reachable, 2 to 7): "
            "12.1 % to > 90 %, incomplete") in text
    # never the lower bound's rate alone
    assert "observed rate for the band): 12.1 %" not in text


def test_a_complete_scorten_gives_its_band_and_confidence_interval():
    f = findings(patient={"age_years": 62, "malignancy": False},
                 eruption={"nikolsky": True, "detachment_bsa_percent": 12},
                 systemic={"heart_rate_bpm": 90},
                 labs={"urea_mmol_per_l": 5, "glucose_mmol_per_l": 6,
                       "bicarbonate_mmol_per_l": 24})
    text = " ".join(_text(f).split())
    assert "Mortality (the paper's observed rate for the band): 12.1 % (95 % CI 5.4-22.5 %)" in text


def test_no_mortality_is_given_where_sjs_ten_is_not_considered():
    text = " ".join(_text(findings(eruption={"pustules": "typical"})).split())
    assert "No mortality is given" in text
    assert "3.2 %" not in text and "observed rate" not in text


def test_scorten_leads_the_scores_only_where_sjs_ten_is_considered():
    ten = _text(findings(**TEN_CALL))
    agep = _text(findings(eruption={"pustules": "typical"}))
    assert ten.index("SCORTEN:") < ten.index("EuroSCAR AGEP validation score:")
    assert agep.index("SCORTEN:") > agep.index("RegiSCAR DRESS score:")


def test_a_child_is_told_that_scorten_and_alden_were_derived_in_adults():
    child = _text(findings(patient={"age_years": 8}, **{k: v for k, v in TEN_CALL.items()
                                                        if k != "patient"}))
    flat = " ".join(child.split())
    assert ("Note: the patient is 8 years old: SCORTEN and ALDEN were derived in adults, so "
            "read them with care") in flat
    adult = " ".join(_text(findings(**TEN_CALL)).split())
    assert "derived in adults" not in adult


HEALED_AGEP = dict(
    patient={"age_years": 42},
    eruption={"pustules": "typical", "erythema": "typical", "assessment_day": 16,
              "resolution_day": 12},
    systemic={"temperature_max_c": 38.9},
)


def test_a_healed_agep_at_a_follow_up_visit_is_routine():
    # The case: the level had read URGENT from the reaction's worst findings.
    visit = summarize(findings(**HEALED_AGEP), at_visit=True)
    assert visit["triage"]["level"] == "routine"
    assert "the skin had healed by day 12" in visit["triage"]["visit_basis"]
    # the same findings read as the presentation day's: the reaction's worst, urgent
    assert summarize(findings(**HEALED_AGEP))["triage"]["level"] == "urgent"


def test_organ_injury_outlasts_the_skin_at_a_visit():
    dress = dict(HEALED_AGEP, systemic={"temperature_max_c": 39, "organ_involvement": ["liver"]},
                 labs={"alt_times_uln": 5, "bilirubin_times_uln": 3})
    assert summarize(findings(**dress), at_visit=True)["triage"]["level"] == "emergency"


def test_a_healed_sjs_ten_at_a_visit_gets_no_acute_steps():
    healed = dict(patient={"age_years": 50},
                  eruption={"nikolsky": True, "atypical_targets": True,
                            "assessment_day": 40, "resolution_day": 25})
    visit = summarize(findings(**healed), at_visit=True)
    ids = {s["id"] for s in visit["next_steps"]}
    assert visit["triage"]["level"] == "routine"
    assert not ids & {"burn_unit_or_icu", "scorten_labs", "scorten_day_3", "skin_biopsy",
                      "ophthalmology"}
    assert "burn_unit_or_icu" in {s["id"] for s in summarize(findings(**healed))["next_steps"]}


# --- the level of a visit before the skin has healed: the signs at the visit ------------

ACTIVE_AGEP = dict(HEALED_AGEP, eruption=dict(HEALED_AGEP["eruption"], resolution_day=None))
QUIET_VISIT = {"temperature_c": 36.9, "heart_rate_bpm": 80, "systolic_bp_mmhg": 120,
               "vasopressors": False, "spo2_percent": 97, "respiratory_rate_per_min": 14,
               "new_confusion": False, "detachment_bsa_percent": 0, "nikolsky": False,
               "blisters": False, "atypical_targets": False, "mucosal_sites": [],
               "skin_pain": False, "facial_edema": False, "pustules": False}


def test_a_visit_with_no_signs_recorded_keeps_the_presentation_level():
    # Unknown answers never lower a level: each sign not recorded keeps its value.
    visit = summarize(findings(**ACTIVE_AGEP), at_visit=True)["triage"]
    assert visit["level"] == "urgent" and visit["skin_healed"] is False
    assert ("not recorded at the visit and kept as on the presentation day: temperature, "
            "pustules") in visit["visit_basis"]
    assert visit["red_flags"][0]["because"] == [
        "highest temperature (presentation day) 38.9 °C",
        "pustules (presentation day): typical",
    ]


def test_a_quiet_visit_before_healing_is_routine():
    visit = summarize(findings(**ACTIVE_AGEP, visit=QUIET_VISIT), at_visit=True)["triage"]
    assert visit["level"] == "routine" and visit["red_flags"] == []
    assert visit["visit_basis"].startswith("the level of this visit, from the signs recorded")
    assert "kept as on the presentation day" not in visit["visit_basis"]


def test_signs_at_the_visit_raise_its_level_above_the_presentation_day():
    worse = dict(QUIET_VISIT, atypical_targets=True, mucosal_sites=["oral"], skin_pain=True)
    data = summarize(findings(**ACTIVE_AGEP, visit=worse), at_visit=True)
    flags = {f["id"]: f for f in data["triage"]["red_flags"]}
    assert data["triage"]["level"] == "emergency" and "early_sjs_ten" in flags
    assert "atypical target lesions at the visit: yes" in flags["early_sjs_ten"]["because"]
    # the presentation day's own level is not replaced
    assert summarize(findings(**ACTIVE_AGEP, visit=worse))["triage"]["level"] == "urgent"


def test_each_vital_sign_at_a_visit_is_judged_on_both_sides():
    for name, alarming, fine in (("heart_rate_bpm", 120, 119), ("systolic_bp_mmhg", 90, 91),
                                 ("spo2_percent", 91, 92), ("respiratory_rate_per_min", 25, 24),
                                 ("temperature_c", 38.5, 38.4)):
        level = {v: summarize(findings(**ACTIVE_AGEP, visit=dict(QUIET_VISIT, **{name: v})),
                              at_visit=True)["triage"]["level"] for v in (alarming, fine)}
        expected = "urgent" if name == "temperature_c" else "emergency"
        assert level == {alarming: expected, fine: "routine"}, name


def test_vital_signs_count_at_a_visit_after_healing():
    healed = findings(**HEALED_AGEP, visit={"heart_rate_bpm": 130})
    visit = summarize(healed, at_visit=True)["triage"]
    assert visit["level"] == "emergency" and visit["skin_healed"] is True
    assert visit["red_flags"][0]["because"] == ["heart rate at the visit 130 /min",
                                                "age 42 years"]
    # Unrecorded: the visit's vital signs are asked for, the healed skin's signs never.
    quiet = summarize(findings(**HEALED_AGEP), at_visit=True)["triage"]
    asked = {p for u in quiet["unknown_red_flags"] for p in u["ask"]}
    assert quiet["level"] == "routine" and "visit.heart_rate_bpm" in asked
    assert not [p for p in asked if p.startswith("eruption.")]
