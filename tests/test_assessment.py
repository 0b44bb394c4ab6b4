"""Reaction patterns, the extent class, latency windows on both sides, culprit ranking."""

from __future__ import annotations

import pytest

from tests.conftest import findings
from triage.assessment import LATENCY, assess, extent_class
from triage.result import evaluate


def run(**sections):
    f = findings(**sections)
    return assess(f, evaluate(f))


@pytest.mark.parametrize(
    ("detached", "label"),
    [(0, "no detachment"), (9, "SJS range"), (9.9, "SJS range"), (10, "SJS/TEN overlap"),
     (30, "SJS/TEN overlap"), (30.5, "TEN range"), (31, "TEN range"), (None, None)],
)
def test_extent_class_boundaries(detached, label):
    # clinical rules §11 fact 32: 9 % SJS, 10 % overlap, 30 % overlap, 31 % TEN
    result = extent_class(detached)
    assert (result is None) if label is None else result.startswith(label)


@pytest.mark.parametrize(
    ("pattern", "inside", "outside"),
    [("agep", (0, 18), (19,)), ("sjs_ten", (4, 28), (3, 29)),
     ("dress", (14, 56), (13, 57)), ("benign_exanthem", (4, 14), (3, 15))],
)
def test_typical_latency_windows_on_both_sides(pattern, inside, outside):
    window = LATENCY[pattern]
    assert all(window.fit(d) == "typical" for d in inside)
    assert all(window.fit(d) != "typical" for d in outside)
    assert window.fit(None) == "unknown" and window.fit(400) == "atypical"


def test_agep_needs_pustules():
    with_pustules = run(eruption={"pustules": "typical"})
    without = run(eruption={"pustules": "insufficient", "erythema": "typical",
                            "distribution": "typical"},
                  systemic={"temperature_max_c": 39}, labs={"neutrophils_per_mm3": 9000})
    assert "agep" in with_pustules.considered and "agep" not in without.considered


def test_sjs_ten_is_considered_with_its_extent():
    a = run(eruption={"detachment_bsa_percent": 15, "mucosal_sites": ["oral", "ocular"]})
    sjs = next(p for p in a.phenotypes if p.id == "sjs_ten")
    assert sjs.considered and sjs.note.startswith("SJS/TEN overlap")


def test_benign_exanthem_only_without_red_flags():
    calm = run(systemic={"temperature_max_c": 37.4})
    febrile = run(systemic={"temperature_max_c": 39.0})
    assert "benign_exanthem" in calm.considered and "benign_exanthem" not in febrile.considered


def test_overlap_is_allowed():
    a = run(eruption={"pustules": "typical", "facial_edema": True, "rash_bsa_percent": 80},
            systemic={"temperature_max_c": 39.0, "organ_involvement": ["liver"],
                      "enlarged_lymph_node_sites": 3},
            labs={"leukocytes_per_mm3": 12000, "eosinophils_per_mm3": 2000,
                  "atypical_lymphocytes": True})
    assert {"agep", "dress"} <= set(a.considered)


def test_culprits_ranked_by_alden_when_sjs_ten_is_considered():
    a = run(eruption={"detachment_bsa_percent": 12, "nikolsky": True},
            drugs=[{"name": "paracetamol", "start_day": -20, "ongoing_at_onset": True},
                   {"name": "allopurinol", "start_day": -20, "ongoing_at_onset": True}])
    assert [c.drug.drug.name for c in a.culprits] == ["allopurinol", "paracetamol"]
    assert a.culprits[0].basis.startswith("ALDEN")


def test_culprits_ranked_by_naranjo_then_latency_otherwise():
    a = run(eruption={"pustules": "typical"},
            drugs=[{"name": "a", "start_day": -200, "ongoing_at_onset": True},
                   {"name": "b", "start_day": -3, "ongoing_at_onset": True}])
    # Same Naranjo (both after the drug): b's 3 days fits AGEP, a's 200 days does not.
    assert [c.drug.drug.name for c in a.culprits] == ["b", "a"]
    assert a.culprits[0].fits["agep"] == "typical" and a.culprits[1].fits["agep"] == "atypical"


def test_agep_differential_starts_with_pustular_psoriasis():
    a = run(eruption={"pustules": "typical"}, patient={"psoriasis_history": True})
    assert a.differentials[0].id == "pustular_psoriasis" and a.differentials[0].considered
    assert "personal or family history of psoriasis" in a.differentials[0].evidence_for


def test_timeline_rows():
    a = run(drugs=[{"name": "x", "start_day": -10, "stop_day": -2}])
    assert a.timeline == [{"name": "x", "start_day": -10, "stop_day": -2,
                           "ongoing_at_onset": None, "latency_days": 10}]
