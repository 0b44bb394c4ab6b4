"""The triage level: each trigger on both sides, unknowns never lower it (spec §5)."""

from __future__ import annotations

import pytest

from tests.conftest import findings
from triage.red_flags import TRIGGERS, assess

# Every trigger answered "no": the baseline is routine with nothing left to ask.
CLEAR = dict(
    eruption=dict(nikolsky=False, detachment_bsa_percent=0, blisters=False,
                  atypical_targets=False, mucosal_sites=[], facial_edema=False,
                  skin_pain=False, pustules="insufficient"),
    systemic=dict(heart_rate_bpm=80, organ_involvement=[], temperature_max_c=37.0,
                  enlarged_lymph_node_sites=0, systolic_bp_mmhg=125, vasopressors=False,
                  spo2_percent=97, respiratory_rate_per_min=16, new_confusion=False),
    labs=dict(eosinophils_per_mm3=200, alt_times_uln=1, bilirubin_times_uln=1, inr=1.0,
              creatinine_times_baseline=1.0),
    patient=dict(age_years=40),
)


def level(**changes):
    case = {k: dict(v) for k, v in CLEAR.items()}
    for path, value in changes.items():
        section, field = path.split("__")
        case[section][field] = value
    return assess(findings(**case))


def test_a_child_is_judged_by_the_age_band_not_the_adult_threshold():
    # The case: an 8-year-old at 125/min read as an adult emergency; and a
    # 15-year-old at 125 is below the >130 of NICE's 12-and-over band.
    assert level(patient__age_years=8, systemic__heart_rate_bpm=125).level == "emergency"
    a = level(patient__age_years=15, systemic__heart_rate_bpm=125)
    assert a.level == "routine"
    assert level(patient__age_years=16, systemic__heart_rate_bpm=125).level == "emergency"


def test_child_limits_follow_the_nice_bands():
    from triage.red_flags import child_limits

    assert [child_limits(a) for a in (0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15)] == [
        (160, 60), (150, 50), (150, 50), (140, 40), (140, 40), (130, 29), (120, 27),
        (120, 27), (115, 25), (115, 25), (131, 25), (131, 25)]


def test_a_beta_blocked_patient_in_shock_is_an_emergency():
    # The case: heart rate 80 under a beta-blocker, on vasopressors.
    a = level(systemic__heart_rate_bpm=80, systemic__vasopressors=True,
              systemic__systolic_bp_mmhg=85)
    assert a.level == "emergency"
    assert [f["id"] for f in a.red_flags] == ["circulation"]


def test_dress_hepatitis_is_urgent_unless_severe():
    mild = level(systemic__organ_involvement=["liver"], labs__alt_times_uln=4,
                 labs__bilirubin_times_uln=1.2)
    assert mild.level == "urgent"
    severe = level(systemic__organ_involvement=["liver"], labs__alt_times_uln=4,
                   labs__bilirubin_times_uln=2.5)
    assert severe.level == "emergency"


def test_all_clear_is_routine_with_nothing_to_ask():
    a = level()
    assert (a.level, a.red_flags, a.unknown_red_flags) == ("routine", (), ())


@pytest.mark.parametrize(
    ("change", "expected", "flag"),
    [
        ({"eruption__nikolsky": True}, "emergency", "nikolsky"),
        ({"eruption__detachment_bsa_percent": 10}, "emergency", "detachment_10"),
        ({"eruption__detachment_bsa_percent": 9, "eruption__atypical_targets": True},
         "emergency", "detachment_with_targets_or_mucosa"),
        ({"eruption__blisters": True, "eruption__mucosal_sites": ["oral"]},
         "emergency", "detachment_with_targets_or_mucosa"),
        # Early SJS/TEN (spec §5, revised 2026-12): targets with any one of the four.
        ({"eruption__atypical_targets": True, "eruption__mucosal_sites": ["oral"]},
         "emergency", "early_sjs_ten"),
        ({"eruption__atypical_targets": True, "eruption__skin_pain": True},
         "emergency", "early_sjs_ten"),
        ({"eruption__atypical_targets": True, "eruption__blisters": True},
         "emergency", "early_sjs_ten"),
        ({"eruption__atypical_targets": True, "eruption__detachment_bsa_percent": 2},
         "emergency", "early_sjs_ten"),
        ({"eruption__mucosal_sites": ["oral", "genital"]}, "emergency", "mucosa_severe"),
        ({"eruption__mucosal_sites": ["ocular"]}, "emergency", "mucosa_severe"),
        ({"systemic__heart_rate_bpm": 120}, "emergency", "heart_rate"),
        # NEWS2 red scores (spec §5, revised 2026-12)
        ({"systemic__systolic_bp_mmhg": 90}, "emergency", "circulation"),
        ({"systemic__vasopressors": True}, "emergency", "circulation"),
        ({"systemic__spo2_percent": 91}, "emergency", "spo2_91"),
        ({"systemic__respiratory_rate_per_min": 25}, "emergency", "breathing"),
        ({"systemic__respiratory_rate_per_min": 8}, "emergency", "breathing"),
        ({"systemic__new_confusion": True}, "emergency", "new_confusion"),
        ({"systemic__heart_rate_bpm": 40}, "emergency", "heart_rate"),
        ({"systemic__systolic_bp_mmhg": 220}, "emergency", "circulation"),
        ({"systemic__temperature_max_c": 35.0}, "emergency", "hypothermia"),
        ({"patient__age_years": 4, "systemic__temperature_max_c": 35.9}, "emergency",
         "hypothermia"),
        ({"patient__age_years": 8, "systemic__heart_rate_bpm": 59}, "emergency",
         "heart_rate_child"),
        # severe liver injury: Hy's law, or INR >= 1.5
        ({"labs__alt_times_uln": 3.1, "labs__bilirubin_times_uln": 2.1}, "emergency",
         "liver_severe"),
        ({"labs__inr": 1.5}, "emergency", "liver_severe"),
        ({"labs__creatinine_times_baseline": 1.5}, "emergency", "kidney_injury"),
        # children by the NICE NG51 age bands
        ({"patient__age_years": 8, "systemic__heart_rate_bpm": 115}, "emergency",
         "heart_rate_child"),
        ({"patient__age_years": 1, "systemic__respiratory_rate_per_min": 50}, "emergency",
         "breathing_child"),
        ({"systemic__organ_involvement": ["kidney"]}, "emergency", "organ_severe"),
        ({"systemic__organ_involvement": ["liver", "pancreas"]}, "emergency", "organ_severe"),
        ({"systemic__temperature_max_c": 38.0, "eruption__pustules": "compatible"},
         "urgent", "fever_pustules"),
        ({"systemic__temperature_max_c": 38.5}, "urgent", "fever_38_5"),
        ({"eruption__facial_edema": True}, "urgent", "facial_edema"),
        ({"systemic__enlarged_lymph_node_sites": 2}, "urgent", "lymph_nodes"),
        ({"labs__eosinophils_per_mm3": 700}, "urgent", "eosinophils_700"),
        ({"systemic__organ_involvement": ["liver"]}, "urgent", "organ_any"),
        ({"eruption__mucosal_sites": ["oral"]}, "urgent", "mucosa_one"),
        ({"eruption__skin_pain": True}, "urgent", "skin_pain"),
        ({"eruption__blisters": True}, "urgent", "blisters"),
    ],
)
def test_each_trigger_sets_its_level(change, expected, flag):
    a = level(**change)
    assert a.level == expected
    assert flag in [f["id"] for f in a.red_flags]


@pytest.mark.parametrize(
    "change",
    [
        {"eruption__detachment_bsa_percent": 9.9},
        {"systemic__heart_rate_bpm": 119},
        {"systemic__temperature_max_c": 38.4},
        {"systemic__temperature_max_c": 37.9, "eruption__pustules": "typical"},
        {"systemic__temperature_max_c": 38.2, "eruption__pustules": "insufficient"},
        {"systemic__enlarged_lymph_node_sites": 1},
        {"labs__eosinophils_per_mm3": 699},
        {"eruption__atypical_targets": True},  # targets alone: none of the four with them
        {"systemic__systolic_bp_mmhg": 91},
        {"systemic__systolic_bp_mmhg": 219},
        {"systemic__heart_rate_bpm": 41},
        {"systemic__temperature_max_c": 35.1},
        {"patient__age_years": 4, "systemic__temperature_max_c": 36.0},
        {"patient__age_years": 8, "systemic__heart_rate_bpm": 60},
        # from 12 years, the adult NEWS2 pulse limit (40/min), not NICE's under-12 one
        {"patient__age_years": 12, "systemic__heart_rate_bpm": 59},
        {"systemic__spo2_percent": 92},
        {"systemic__respiratory_rate_per_min": 24},
        {"systemic__respiratory_rate_per_min": 9},
        {"labs__alt_times_uln": 3, "labs__bilirubin_times_uln": 5},  # ALT not > 3x
        {"labs__alt_times_uln": 10, "labs__bilirubin_times_uln": 2},  # bilirubin not > 2x
        {"labs__inr": 1.4},
        {"labs__creatinine_times_baseline": 1.4},
        # an 8-year-old's heart rate of 114 and a toddler's 119 are not the adult 120
        {"patient__age_years": 8, "systemic__heart_rate_bpm": 114},
        {"patient__age_years": 2, "systemic__heart_rate_bpm": 149},
        {"patient__age_years": 1, "systemic__respiratory_rate_per_min": 49},
        # below 12 the systolic pressure is not the adult one
        {"patient__age_years": 6, "systemic__systolic_bp_mmhg": 88},
    ],
)
def test_just_below_each_threshold_stays_routine(change):
    assert level(**change).level == "routine"


@pytest.mark.parametrize(
    "change",
    [
        {"eruption__skin_pain": True},  # each of the four without targets: urgent only
        {"eruption__mucosal_sites": ["oral"]},
        {"eruption__blisters": True},
    ],
)
def test_the_early_sjs_ten_trigger_needs_the_targets(change):
    a = level(**change)
    assert a.level == "urgent"
    assert "early_sjs_ten" not in [f["id"] for f in a.red_flags]


def test_early_sjs_as_published_is_an_emergency():
    # The case: atypical targets, skin pain and oral erosions, no blisters yet,
    # lamotrigine for 14 days; it had read "urgent".
    a = level(eruption__atypical_targets=True, eruption__skin_pain=True,
              eruption__mucosal_sites=["oral"])
    assert a.level == "emergency"
    assert [f["id"] for f in a.red_flags if f["level"] == "emergency"] == ["early_sjs_ten"]


def test_targets_with_the_four_unknown_ask_for_them():
    a = assess(findings(eruption={"atypical_targets": True}))
    early = next(u for u in a.unknown_red_flags if u["id"] == "early_sjs_ten")
    assert early["ask"] == ["eruption.mucosal_sites", "eruption.skin_pain", "eruption.blisters",
                            "eruption.detachment_bsa_percent"]


def test_urgent_from_fever_and_typical_pustules_as_in_the_seed_case():
    a = level(systemic__temperature_max_c=38.2, eruption__pustules="typical")
    assert a.level == "urgent"
    assert a.red_flags[0]["because"] == [
        "highest temperature 38.2 °C", "pustules: typical"]


def test_unknown_answers_never_lower_the_level_and_are_named():
    a = assess(findings(systemic={"temperature_max_c": 39.0}))
    assert a.level == "urgent"
    asked = {u["id"] for u in a.unknown_red_flags}
    assert {"nikolsky", "detachment_10", "heart_rate", "organ_severe"} <= asked
    assert all(u["level"] == "emergency" for u in a.unknown_red_flags)
    nikolsky = next(u for u in a.unknown_red_flags if u["id"] == "nikolsky")
    assert nikolsky["ask"] == ["eruption.nikolsky"]


def test_nothing_known_is_routine_but_everything_is_asked():
    a = assess(findings())
    assert a.level == "routine"
    # every emergency and urgent trigger that reads an answer, less the two for children
    # (the age is unknown, so the adult ones ask)
    asked = {u["id"] for u in a.unknown_red_flags}
    assert {t.id for t in TRIGGERS} - asked == {"heart_rate_child", "breathing_child"}


def test_eosinophils_from_percentage_and_leukocytes():
    a = level(labs__eosinophils_per_mm3=None, labs__eosinophils_percent=10,
              labs__leukocytes_per_mm3=8000)
    assert a.level == "urgent"


def test_organ_labs_are_not_asked_for_an_organ_known_to_be_spared():
    spared = dict(CLEAR, labs={"eosinophils_per_mm3": 200})
    a = assess(findings(**spared))
    assert a.level == "routine" and a.unknown_red_flags == ()
    liver = dict(spared, systemic=dict(CLEAR["systemic"], organ_involvement=["liver"]))
    asked = {u["id"]: u["ask"] for u in assess(findings(**liver)).unknown_red_flags}
    assert asked["liver_severe"] == ["labs.alt_times_uln", "labs.bilirubin_times_uln",
                                     "labs.inr"]
    assert "kidney_injury" not in asked
    # a known lab result counts whatever the organ answer says
    injured = dict(spared, labs={"creatinine_times_baseline": 2.0})
    assert [f["id"] for f in assess(findings(**injured)).red_flags] == ["kidney_injury"]
