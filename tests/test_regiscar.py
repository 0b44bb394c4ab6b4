"""RegiSCAR DRESS: items, unknown rules, eosinophilia decision, bands (rules §2, §11)."""

from __future__ import annotations

import pytest

from tests.conftest import findings, items
from triage.scores import regiscar
from triage.scores.operators import DEFAULT


def score(**sections):
    return regiscar.score(findings(**sections), DEFAULT)


MAX_CASE = dict(
    eruption=dict(rash_bsa_percent=80, facial_edema=True, infiltration=True, resolution_day=30),
    systemic=dict(temperature_max_c=39.0, enlarged_lymph_node_sites=3,
                  organ_involvement=["liver", "kidney"]),
    labs=dict(leukocytes_per_mm3=12000, eosinophils_per_mm3=2000, atypical_lymphocytes=True,
              dress_workup=dict(ana="negative", blood_culture="negative",
                                hepatitis_serology="negative", mycoplasma_chlamydia="not_done",
                                other="not_done")),
    histology=dict(suggests_dress=True),
)


def test_everything_unknown_is_minus_2_no_case():
    s = score()
    assert (s.total, s.category) == (-2, "no")
    i = items(s)
    assert (i["fever"].points, i["resolution"].points) == (-1, -1)
    assert all(i[k].points == 0 for k in i if k not in ("fever", "resolution"))


def test_maximum_is_9_definite():
    s = score(**MAX_CASE)
    assert (s.total, s.min, s.max, s.category, s.complete) == (9, 9, 9, "definite", True)


def test_minimum_is_minus_4():
    s = score(
        eruption=dict(rash_bsa_percent=20, facial_edema=False, infiltration=False,
                      purpura=False, scaling=False, resolution_day=7),
        systemic=dict(temperature_max_c=37.0, enlarged_lymph_node_sites=0,
                      organ_involvement=[]),
        labs=dict(leukocytes_per_mm3=8000, eosinophils_per_mm3=100,
                  atypical_lymphocytes=False),
        histology=dict(suggests_dress=False),
    )
    assert (s.total, s.category) == (-4, "no")


@pytest.mark.parametrize(
    ("temperature", "points"), [(38.5, 0), (38.4, -1), (None, -1)]
)
def test_fever_yes_0_no_or_unknown_minus_1(temperature, points):
    assert items(score(systemic={"temperature_max_c": temperature}))["fever"].points == points


@pytest.mark.parametrize(("sites", "points"), [(2, 1), (1, 0), (0, 0)])
def test_lymph_nodes_at_two_sites(sites, points):
    node = items(score(systemic={"enlarged_lymph_node_sites": sites}))["lymph_nodes"]
    assert (node.points, node.known) == (points, True)


@pytest.mark.parametrize(
    ("labs", "points"),
    [
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 1500}, 2),
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 1499}, 1),
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 1000}, 1),
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 700}, 1),
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 699}, 0),
        ({"leukocytes_per_mm3": 9000, "eosinophils_per_mm3": 650}, 0),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 22}, 2),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 20}, 2),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 19.9}, 1),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 15}, 1),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 10}, 1),
        ({"leukocytes_per_mm3": 3000, "eosinophils_percent": 9.9}, 0),
        # rules §11 fact 12: WBC 9000 with 15 % = 1350/µL, scored on the count
        ({"leukocytes_per_mm3": 9000, "eosinophils_percent": 15}, 1),
        # leukocytes exactly 4000: the percentage no longer applies
        ({"leukocytes_per_mm3": 4000, "eosinophils_percent": 30, "eosinophils_per_mm3": 1200}, 1),
        ({"leukocytes_per_mm3": 3999, "eosinophils_percent": 30, "eosinophils_per_mm3": 1200}, 2),
        # leukopenic, count alone: the percentage is derived (800 of 3000 = 26.7 %) -> +2
        ({"leukocytes_per_mm3": 3000, "eosinophils_per_mm3": 800}, 2),
        # 400 of 3000 = 13.3 %: +1 by the percentage where the count alone gives 0
        ({"leukocytes_per_mm3": 3000, "eosinophils_per_mm3": 400}, 1),
        # 290 of 3000 = 9.7 %: 0 either way
        ({"leukocytes_per_mm3": 3000, "eosinophils_per_mm3": 290}, 0),
        # not leukopenic: the count alone, whatever the derived percentage (800 of 4000)
        ({"leukocytes_per_mm3": 4000, "eosinophils_per_mm3": 800}, 1),
    ],
)
def test_eosinophilia(labs, points):
    eos = items(score(labs=labs))["eosinophilia"]
    assert (eos.points, eos.known) == (points, True)


def test_percentage_without_leukocytes_is_unknown():
    eos = items(score(labs={"eosinophils_percent": 25}))["eosinophilia"]
    assert (eos.points, eos.min, eos.max, eos.known) == (0, 0, 2, False)
    assert "docs/decisions.md" in eos.decision


def test_count_without_leukocytes_scores_the_count_and_stays_open_above():
    eos = items(score(labs={"eosinophils_per_mm3": 800}))["eosinophilia"]
    assert (eos.points, eos.min, eos.max) == (1, 1, 2)


@pytest.mark.parametrize(
    ("features", "points", "reach"),
    [
        ({"facial_edema": True, "scaling": True}, 1, (1,)),
        ({"facial_edema": True, "infiltration": False, "purpura": False, "scaling": False},
         -1, (-1,)),
        # one unknown feature cannot make two: a known no
        ({"facial_edema": False, "infiltration": False, "purpura": False}, -1, (-1,)),
        ({"facial_edema": True, "infiltration": False}, 0, (-1, 1)),
        ({"facial_edema": False, "infiltration": False, "purpura": False, "scaling": False},
         -1, (-1,)),
        ({}, 0, (-1, 1)),
    ],
)
def test_rash_suggesting_dress(features, points, reach):
    item = items(score(eruption=features))["rash_suggestive"]
    assert (item.points, item.possible) == (points, reach)


@pytest.mark.parametrize(("bsa", "points"), [(50, 0), (51, 1), (50.5, 1)])
def test_rash_extent_over_50(bsa, points):
    assert items(score(eruption={"rash_bsa_percent": bsa}))["rash_extent"].points == points


@pytest.mark.parametrize(("suggests", "points"), [(True, 0), (False, -1), (None, 0)])
def test_biopsy_no_minus_1_yes_or_unknown_0(suggests, points):
    assert items(score(histology={"suggests_dress": suggests}))["biopsy"].points == points


@pytest.mark.parametrize(
    ("organs", "points"), [([], 0), (["liver"], 1), (["liver", "kidney"], 2),
                           (["liver", "kidney", "lung"], 2)]
)
def test_organ_involvement(organs, points):
    item = items(score(systemic={"organ_involvement": organs}))["organ_involvement"]
    assert (item.points, item.known) == (points, True)


@pytest.mark.parametrize(
    ("eruption", "points", "known"),
    [
        ({"resolution_day": 15}, 0, True),
        ({"resolution_day": 14}, -1, True),
        ({"last_active_day": 20}, 0, True),
        ({"last_active_day": 15}, 0, True),
        ({"last_active_day": 14}, -1, False),
        # the day of an assessment alone says nothing about the skin
        ({"assessment_day": 20}, -1, False),
        ({}, -1, False),
    ],
)
def test_resolution_15_days_or_more(eruption, points, known):
    item = items(score(eruption=eruption))["resolution"]
    assert (item.points, item.known) == (points, known)


@pytest.mark.parametrize(
    ("workup", "points", "reach"),
    [
        ({"ana": "negative", "blood_culture": "negative", "hepatitis_serology": "negative"},
         1, (0, 1)),
        ({"ana": "negative", "blood_culture": "negative", "hepatitis_serology": "negative",
          "mycoplasma_chlamydia": "not_done", "other": "not_done"}, 1, (1,)),
        ({"ana": "negative", "blood_culture": "negative", "hepatitis_serology": "positive"},
         0, (0,)),
        ({"ana": "negative", "blood_culture": "negative", "hepatitis_serology": "not_done",
          "mycoplasma_chlamydia": "not_done", "other": "not_done"}, 0, (0,)),
        ({"ana": "negative", "blood_culture": "negative"}, 0, (0, 1)),
        (None, 0, (0, 1)),
    ],
)
def test_exclusion_workup(workup, points, reach):
    item = items(score(labs={"dress_workup": workup}))["workup"]
    assert (item.points, item.possible) == (points, reach)


@pytest.mark.parametrize(
    ("total", "category"),
    [(1, "no"), (2, "possible"), (3, "possible"), (4, "probable"), (5, "probable"),
     (6, "definite")],
)
def test_band_edges(total, category):
    # Start from a known -4 and add known points one at a time.
    eruption = dict(rash_bsa_percent=20, facial_edema=False, infiltration=False,
                    purpura=False, scaling=False, resolution_day=30)
    systemic = dict(temperature_max_c=39.0, enlarged_lymph_node_sites=0, organ_involvement=[])
    labs = dict(leukocytes_per_mm3=8000, eosinophils_per_mm3=100, atypical_lymphocytes=False,
                dress_workup={t: "not_done" for t in regiscar.WORKUP_TESTS})
    histology = dict(suggests_dress=True)
    # fever yes 0, features no -1, biopsy yes 0, resolution yes 0 -> -1
    steps = [
        lambda: labs.update(eosinophils_per_mm3=2000),  # +2
        lambda: systemic.update(organ_involvement=["liver", "kidney"]),  # +2
        lambda: eruption.update(facial_edema=True, scaling=True),  # -1 -> +1: +2
        lambda: systemic.update(enlarged_lymph_node_sites=2),  # +1
        lambda: labs.update(atypical_lymphocytes=True),  # +1
        lambda: eruption.update(rash_bsa_percent=60),  # +1
    ]
    points = -1
    gains = [2, 2, 2, 1, 1, 1]
    for step, gain in zip(steps, gains, strict=True):
        if points + gain > total:
            continue
        step()
        points += gain
    if points < total:
        labs["dress_workup"] = {"ana": "negative", "blood_culture": "negative",
                                "hepatitis_serology": "negative", "mycoplasma_chlamydia":
                                "not_done", "other": "not_done"}
        points += 1
    s = score(eruption=eruption, systemic=systemic, labs=labs, histology=histology)
    assert (s.total, s.category, s.complete) == (total, category, True)


def test_cureus_2024_example_is_6_definite():
    s = score(
        eruption=dict(rash_bsa_percent=70, facial_edema=True, infiltration=True,
                      resolution_day=20),
        systemic=dict(temperature_max_c=39.0, enlarged_lymph_node_sites=0,
                      organ_involvement=["liver", "kidney"]),
        labs=dict(leukocytes_per_mm3=10000, eosinophils_per_mm3=1600,
                  atypical_lymphocytes=False),
    )
    assert (s.total, s.category) == (6, "definite")


@pytest.mark.parametrize(
    ("labs", "reach"),
    [
        ({"eosinophils_per_mm3": 800}, (1, 2)),  # leukocytes could be 800 to 3999: 20 %+
        # neutrophils 7500 put the leukocytes at 7500 or more: the count alone decides
        ({"eosinophils_per_mm3": 800, "neutrophils_per_mm3": 7500}, (1,)),
        # neutrophils 3000: leukocytes 3000-3999, 800 is 20-26.7 %: +2 reachable
        ({"eosinophils_per_mm3": 800, "neutrophils_per_mm3": 3000}, (1, 2)),
        # 300 of at least 3500: at most 8.6 %, never +1 by the percentage
        ({"eosinophils_per_mm3": 300, "neutrophils_per_mm3": 3500}, (0,)),
        ({"eosinophils_per_mm3": 0}, (0,)),
    ],
)
def test_with_leukocytes_unknown_the_percentage_is_reachable_only_if_leukopenia_is(labs, reach):
    assert items(score(labs=labs))["eosinophilia"].possible == reach
