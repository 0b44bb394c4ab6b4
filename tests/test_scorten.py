"""SCORTEN: items on both sides of each threshold, mortality table and model (rules §5, §11)."""

from __future__ import annotations

import pytest

from tests.conftest import findings, items
from triage.scores import scorten
from triage.scores.operators import DEFAULT


def score(ops=DEFAULT, **sections):
    return scorten.score(findings(**sections), ops)


ZERO = dict(
    patient=dict(age_years=30, malignancy=False),
    systemic=dict(heart_rate_bpm=80),
    eruption=dict(detachment_bsa_percent=2),
    labs=dict(urea_mmol_per_l=5, glucose_mmol_per_l=6, bicarbonate_mmol_per_l=24),
)


def with_(**changes):
    case = {k: dict(v) for k, v in ZERO.items()}
    for path, value in changes.items():
        section, field = path.split("__")
        case[section][field] = value
    return case


@pytest.mark.parametrize(
    ("change", "item_id", "points"),
    [
        ({"patient__age_years": 40}, "age", 1),
        ({"patient__age_years": 39}, "age", 0),
        ({"patient__malignancy": True}, "malignancy", 1),
        ({"systemic__heart_rate_bpm": 120}, "heart_rate", 1),
        ({"systemic__heart_rate_bpm": 119}, "heart_rate", 0),
        ({"eruption__detachment_bsa_percent": 10}, "detachment", 1),
        ({"eruption__detachment_bsa_percent": 9.9}, "detachment", 0),
        ({"labs__urea_mmol_per_l": 10.0}, "urea", 0),
        ({"labs__urea_mmol_per_l": 10.1}, "urea", 1),
        ({"labs__glucose_mmol_per_l": 14.0}, "glucose", 0),
        ({"labs__glucose_mmol_per_l": 14.1}, "glucose", 1),
        ({"labs__bicarbonate_mmol_per_l": 20}, "bicarbonate", 0),
        ({"labs__bicarbonate_mmol_per_l": 19}, "bicarbonate", 1),
    ],
)
def test_each_item_on_both_sides_of_its_threshold(change, item_id, points):
    s = score(**with_(**change))
    assert items(s)[item_id].points == points
    assert s.total == points


@pytest.mark.parametrize(
    ("total", "category", "mortality"),
    [(0, "0-1", 3.2), (1, "0-1", 3.2), (2, "2", 12.1), (3, "3", 35.3), (4, "4", 58.3),
     (5, "5+", 90.0), (7, "5+", 90.0)],
)
def test_mortality_table(total, category, mortality):
    fields = ["patient__malignancy", "systemic__heart_rate_bpm", "eruption__detachment_bsa_percent",
              "labs__urea_mmol_per_l", "labs__glucose_mmol_per_l", "labs__bicarbonate_mmol_per_l",
              "patient__age_years"]
    hits = [True, 130, 40, 20, 20, 10, 70]
    case = with_(**dict(zip(fields[:total], hits[:total], strict=True)))
    s = score(**case)
    assert (s.total, s.category, s.extra["mortality_percent"]) == (total, category, mortality)
    if category == "5+":
        assert s.extra["mortality_text"] == "> 90 %"


@pytest.mark.parametrize(("total", "percent"), [(0, 1.2), (1, 3.9), (3, 32.4), (7, 98.5)])
def test_logistic_model_estimate(total, percent):
    assert scorten.model_estimate_percent(total) == percent


def test_pmc4716394_patient_is_4():
    s = score(
        patient=dict(age_years=35, malignancy=True),
        systemic=dict(heart_rate_bpm=125),
        eruption=dict(detachment_bsa_percent=15),
        labs=dict(urea_mmol_per_l=29 * 0.357, glucose_mmol_per_l=200 / 18.016,
                  bicarbonate_mmol_per_l=22),
    )
    assert (s.total, s.extra["mortality_percent"]) == (4, 58.3)


def test_bun_28_and_29_mg_dl_after_conversion():
    assert items(score(**with_(labs__urea_mmol_per_l=28 * 0.357)))["urea"].points == 0
    assert items(score(**with_(labs__urea_mmol_per_l=29 * 0.357)))["urea"].points == 1


def test_age_40_and_heart_rate_120_depend_on_the_operator():
    case = with_(patient__age_years=40, systemic__heart_rate_bpm=120)
    assert score(**case).total == 2
    strict = DEFAULT.with_changes(scorten_age_years=">40", scorten_heart_rate_bpm=">120")
    assert score(strict, **case).total == 0
    assert "variant" in items(score(**case))["age"].decision


def test_unknown_items_make_the_total_a_lower_bound():
    s = score(patient={"age_years": 50})
    assert (s.total, s.min, s.max, s.complete) == (1, 1, 7, False)
    assert s.categories_possible == ["0-1", "2", "3", "4", "5+"]
    assert s.extra["mortality_percent_max"] == 90.0
    assert any("lower bound" in n for n in s.notes)


def test_an_incomplete_total_names_its_mortality_range_once_per_band():
    one_open = score(**with_(labs__urea_mmol_per_l=None))  # total 0, reachable 0 to 1
    assert (one_open.min, one_open.max) == (0, 1)
    assert one_open.extra["mortality_range_text"] == "3.2 %, incomplete"
    two_open = score(**with_(labs__urea_mmol_per_l=None, labs__glucose_mmol_per_l=None))
    assert two_open.extra["mortality_range_text"] == "3.2 % to 12.1 %, incomplete"
    assert score(**ZERO).extra["mortality_range_text"] == "3.2 %"


@pytest.mark.parametrize(("visit", "item_id", "points", "field"), [
    # At a visit, the day's heart rate and detached skin, on both sides of each threshold.
    ({"heart_rate_bpm": 119}, "heart_rate", 0, "visit.heart_rate_bpm"),
    ({"heart_rate_bpm": 120}, "heart_rate", 1, "visit.heart_rate_bpm"),
    ({"detachment_bsa_percent": 9}, "detachment", 0, "visit.detachment_bsa_percent"),
    ({"detachment_bsa_percent": 10}, "detachment", 1, "visit.detachment_bsa_percent"),
    # Not recorded at the visit: the reaction's (80/min, 2 %).
    ({"temperature_c": 37.0}, "heart_rate", 0, "systemic.heart_rate_bpm"),
    ({"temperature_c": 37.0}, "detachment", 0, "eruption.detachment_bsa_percent"),
])
def test_at_a_visit_the_days_heart_rate_and_detachment_count(visit, item_id, points, field):
    found = {i.id: i for i in score(**with_(), visit=visit).items}[item_id]
    assert (found.points, found.fields) == (points, (field,))


def test_healed_by_the_visit_no_skin_is_detached_for_scorten():
    case = with_(eruption__detachment_bsa_percent=30)
    case["eruption"].update(resolution_day=20, assessment_day=40)
    healed = {i.id: i for i in score(**case, visit={"heart_rate_bpm": 80}).items}
    assert (healed["detachment"].points, healed["detachment"].answer) == (0, 0)
    case["eruption"]["assessment_day"] = 15  # before it healed: the reaction's 30 %
    active = {i.id: i for i in score(**case, visit={"heart_rate_bpm": 80}).items}
    assert (active["detachment"].points, active["detachment"].answer) == (1, 30)
