"""EuroSCAR AGEP: every item, every band edge on both sides, the seed case (rules §1, §11)."""

from __future__ import annotations

import pytest

from tests.conftest import findings, items
from triage.scores import eurosar
from triage.scores.operators import DEFAULT

MAX_CASE = dict(
    eruption=dict(pustules="typical", erythema="typical", distribution="typical",
                  postpustular_desquamation=True, mucosal_sites=[], acute_onset=True,
                  resolution_day=10),
    systemic=dict(temperature_max_c=39.0),
    labs=dict(neutrophils_per_mm3=9000),
    histology=dict(agep_pattern="spongiform_pustules_with_papillary_edema"),
)
MIN_CASE = dict(
    eruption=dict(pustules="insufficient", erythema="insufficient",
                  distribution="insufficient", postpustular_desquamation=False,
                  mucosal_sites=["oral"], acute_onset=False, resolution_day=30),
    systemic=dict(temperature_max_c=37.0),
    labs=dict(neutrophils_per_mm3=5000),
    histology=dict(agep_pattern="other_disease"),
)


def score(ops=DEFAULT, **sections):
    return eurosar.score(findings(**sections), ops)


def test_every_item_at_maximum_is_12_definite():
    s = score(**MAX_CASE)
    assert (s.total, s.min, s.max, s.category, s.complete) == (12, 12, 12, "definite", True)


def test_every_item_at_minimum_is_minus_18_no():
    s = score(**MIN_CASE)
    assert (s.total, s.category, s.complete) == (-18, "no", True)


@pytest.mark.parametrize(
    ("grade", "points"), [("typical", 2), ("compatible", 1), ("insufficient", 0)]
)
@pytest.mark.parametrize("field", ["pustules", "erythema", "distribution"])
def test_morphology_grades(field, grade, points):
    i = items(score(eruption={field: grade}))[field]
    assert (i.points, i.known) == (points, True)


@pytest.mark.parametrize("field", ["pustules", "erythema", "distribution"])
def test_missing_grade_spans_0_to_2_while_insufficient_is_a_known_0(field):
    i = items(score())[field]
    assert (i.points, i.min, i.max, i.known) == (0, 0, 2, False)


@pytest.mark.parametrize(
    ("sections", "item_id", "points"),
    [
        ({"eruption": {"postpustular_desquamation": True}}, "postpustular_desquamation", 1),
        ({"eruption": {"postpustular_desquamation": False}}, "postpustular_desquamation", 0),
        ({"eruption": {"mucosal_sites": ["oral"]}}, "mucosal_involvement", -2),
        ({"eruption": {"mucosal_sites": []}}, "mucosal_involvement", 0),
        ({"eruption": {"acute_onset": True}}, "acute_onset", 0),
        ({"eruption": {"acute_onset": False}}, "acute_onset", -2),
        ({"eruption": {"resolution_day": 15}}, "resolution", 0),
        ({"eruption": {"resolution_day": 16}}, "resolution", -4),
        ({"systemic": {"temperature_max_c": 38.0}}, "fever", 1),
        ({"systemic": {"temperature_max_c": 37.9}}, "fever", 0),
        ({"labs": {"neutrophils_per_mm3": 7000}}, "neutrophils", 1),
        ({"labs": {"neutrophils_per_mm3": 6999}}, "neutrophils", 0),
    ],
)
def test_course_items_and_their_boundaries(sections, item_id, points):
    i = items(score(**sections))[item_id]
    assert (i.points, i.known) == (points, True)


@pytest.mark.parametrize(
    ("item_id", "low", "high"),
    [
        ("postpustular_desquamation", 0, 1),
        ("mucosal_involvement", -2, 0),
        ("acute_onset", -2, 0),
        ("resolution", -4, 0),
        ("fever", 0, 1),
        ("neutrophils", 0, 1),
        ("histology", -10, 3),
    ],
)
def test_unknown_items_score_0_and_span_their_points(item_id, low, high):
    i = items(score())[item_id]
    assert (i.points, i.min, i.max, i.known) == (0, low, high, False)
    assert i.decision  # spec §5 / §3: the decision that set the 0 is named


def test_unknown_everything_spans_minus_18_to_12():
    s = score()
    assert (s.total, s.min, s.max) == (0, -18, 12)
    assert s.categories_possible == ["no", "possible", "probable", "definite"]


@pytest.mark.parametrize(
    ("last_active_day", "points", "known"), [(15, 0, False), (16, -4, True), (3, 0, False)]
)
def test_still_active_after_day_15_is_a_known_no(last_active_day, points, known):
    i = items(score(eruption={"last_active_day": last_active_day}))["resolution"]
    assert (i.points, i.known) == (points, known)
    assert i.answer == f"still active on day {last_active_day}"


def test_an_assessment_on_day_16_says_nothing_about_resolution():
    # The case: interviewed on day 16, "resolved?" answered unknown. The day of the
    # assessment is not a day the skin was seen active: the item stays open (0, -4..0).
    i = items(score(eruption={"assessment_day": 16}))["resolution"]
    assert (i.points, i.possible, i.known) == (0, (-4, 0), False)


@pytest.mark.parametrize(
    ("pattern", "points"),
    [
        ("other_disease", -10),
        ("not_representative", 0),
        ("neutrophil_exocytosis", 1),
        ("pustules", 2),
        ("spongiform_pustules", 2),
        ("spongiform_pustules_with_papillary_edema", 3),
    ],
)
def test_histology_is_one_choice(pattern, points):
    i = items(score(histology={"agep_pattern": pattern}))["histology"]
    assert (i.points, i.known) == (points, True)


def _with_total(target: int):
    """Findings whose EuroSCAR total is `target`, built from known items."""
    er = {"pustules": "insufficient", "erythema": "insufficient",
          "distribution": "insufficient", "postpustular_desquamation": False,
          "mucosal_sites": [], "acute_onset": True, "resolution_day": 10}
    points = 0
    for field in ("pustules", "erythema", "distribution"):
        for grade, value in (("typical", 2), ("compatible", 1)):
            if points + value <= target:
                er[field] = grade
                points += value
                break
    sy = {"temperature_max_c": 37.0}
    if points < target:
        sy["temperature_max_c"] = 38.5
        points += 1
    labs = {"neutrophils_per_mm3": 5000}
    if points < target:
        labs["neutrophils_per_mm3"] = 8000
        points += 1
    if points < target:
        er["postpustular_desquamation"] = True
        points += 1
    pattern = {0: "not_representative", 1: "neutrophil_exocytosis", 2: "pustules",
               3: "spongiform_pustules_with_papillary_edema"}[target - points]
    return {"eruption": er, "systemic": sy, "labs": labs,
            "histology": {"agep_pattern": pattern}}


@pytest.mark.parametrize(
    ("total", "category"),
    [(0, "no"), (1, "possible"), (4, "possible"), (5, "probable"), (7, "probable"),
     (8, "definite"), (12, "definite")],
)
def test_band_edges(total, category):
    s = score(**_with_total(total))
    assert (s.total, s.category, s.complete) == (total, category, True)


def test_negative_totals_are_no_agep():
    case = dict(MAX_CASE, histology={"agep_pattern": "other_disease"})
    s = score(**case)
    # rules §11 fact 7: 7 + 2 - 10 = -1
    assert (s.total, s.category) == (-1, "no")


SEED = dict(
    patient={"age_years": 42, "sex": "female"},
    eruption={"acute_onset": True, "resolution_day": 14, "rash_bsa_percent": 90,
              "detachment_bsa_percent": 0, "pustules": "typical", "erythema": "typical",
              "distribution": "typical", "postpustular_desquamation": True,
              "mucosal_sites": []},
    systemic={"temperature_max_c": 38.5, "enlarged_lymph_node_sites": 0,
              "organ_involvement": []},
    labs={"neutrophils_per_mm3": 7200},
    histology={"agep_pattern": "spongiform_pustules", "suggests_dress": False,
               "pustule_culture": "sterile"},
)


def test_seed_case_is_11_definite():
    s = score(**SEED)
    assert (s.total, s.category, s.complete) == (11, "definite", True)


def test_seed_case_with_papillary_oedema_is_12():
    case = dict(SEED, histology={"agep_pattern": "spongiform_pustules_with_papillary_edema"})
    assert score(**case).total == 12


def test_seed_case_with_the_38_75_fever_variant_is_10_and_still_definite():
    ops = DEFAULT.with_changes(eurosar_fever_c=">38.75")
    s = score(ops, **SEED)
    assert (s.total, s.category) == (10, "definite")
    assert items(s)["fever"].points == 0


def test_fever_between_the_variants_names_the_decision():
    fever = items(score(**SEED))["fever"]
    assert "38.75" in fever.decision
    assert items(score(systemic={"temperature_max_c": 39.0}))["fever"].decision is None


def test_strict_variants_of_resolution_and_neutrophils():
    ops = DEFAULT.with_changes(eurosar_resolution_day="<15", eurosar_neutrophils_per_mm3=">7000")
    s = items(score(ops, eruption={"resolution_day": 15}, labs={"neutrophils_per_mm3": 7000}))
    assert (s["resolution"].points, s["neutrophils"].points) == (-4, 0)


@pytest.mark.parametrize(("leukocytes", "known"), [(6999, True), (7000, False)])
def test_neutrophils_unknown_cannot_exceed_the_leukocytes(leukocytes, known):
    i = items(score(labs={"leukocytes_per_mm3": leukocytes}))["neutrophils"]
    assert (i.points, i.known) == (0, known)
