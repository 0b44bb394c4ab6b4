"""The triage level: each trigger on both sides, unknowns never lower it (spec §5)."""

from __future__ import annotations

import pytest

from tests.conftest import findings
from triage.red_flags import assess

# Every trigger answered "no": the baseline is routine with nothing left to ask.
CLEAR = dict(
    eruption=dict(nikolsky=False, detachment_bsa_percent=0, blisters=False,
                  atypical_targets=False, mucosal_sites=[], facial_edema=False,
                  skin_pain=False, pustules="insufficient"),
    systemic=dict(heart_rate_bpm=80, organ_involvement=[], temperature_max_c=37.0,
                  enlarged_lymph_node_sites=0),
    labs=dict(eosinophils_per_mm3=200),
)


def level(**changes):
    case = {k: dict(v) for k, v in CLEAR.items()}
    for path, value in changes.items():
        section, field = path.split("__")
        case[section][field] = value
    return assess(findings(**case))


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
        ({"systemic__heart_rate_bpm": 120}, "emergency", "heart_rate_120"),
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
        "systemic.temperature_max_c = 38.2", "eruption.pustules = typical"]


def test_unknown_answers_never_lower_the_level_and_are_named():
    a = assess(findings(systemic={"temperature_max_c": 39.0}))
    assert a.level == "urgent"
    asked = {u["id"] for u in a.unknown_red_flags}
    assert {"nikolsky", "detachment_10", "heart_rate_120", "organ_severe"} <= asked
    assert all(u["level"] == "emergency" for u in a.unknown_red_flags)
    nikolsky = next(u for u in a.unknown_red_flags if u["id"] == "nikolsky")
    assert nikolsky["ask"] == ["eruption.nikolsky"]


def test_nothing_known_is_routine_but_everything_is_asked():
    a = assess(findings())
    assert a.level == "routine"
    assert len(a.unknown_red_flags) == 16


def test_eosinophils_from_percentage_and_leukocytes():
    a = level(labs__eosinophils_per_mm3=None, labs__eosinophils_percent=10,
              labs__leukocytes_per_mm3=8000)
    assert a.level == "urgent"
