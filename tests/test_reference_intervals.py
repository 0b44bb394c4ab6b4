"""Issue 21 §5: a laboratory value reported "normal" (within normal limits) is stored as
such and scored as each rule says: settled where the rule's threshold lies outside the
whole usual interval, unknown where the interval straddles it."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest
from pydantic import ValidationError

from tests.test_engine import CLEAR, walk
from triage.dialog.engine import Engine
from triage.findings import Findings, Labs, NormalLab
from triage.red_flags import assess
from triage.reference_intervals import intervals
from triage.result import evaluate

TODAY = dt.date(2026, 11, 25)


def _findings(**labs) -> Findings:
    return Findings.model_validate({"schema": "triage.findings/1", "labs": labs})


def _item(findings: Findings, score: str, item: str):
    return next(i for i in evaluate(findings).score(score).items if i.id == item)


def test_every_value_that_takes_normal_has_a_sourced_interval():
    assert set(intervals()) == set(get_args(NormalLab))
    for name, span in intervals().items():
        assert span.low <= span.high and span.source, name


@pytest.mark.parametrize(("name", "item"), [("urea_mmol_per_l", "urea"),
                                            ("glucose_mmol_per_l", "glucose"),
                                            ("bicarbonate_mmol_per_l", "bicarbonate")])
def test_a_normal_scorten_lab_scores_no_point_and_says_why(name, item):
    normal = _item(_findings(reported_normal=[name]), "scorten", item)
    assert (normal.points, normal.max, normal.answer) == (0, 0, "within normal limits")
    assert "usual adult interval" in normal.decision
    unknown = _item(_findings(), "scorten", item)
    assert (unknown.points, unknown.max) == (0, 1)  # the other side: unknown stays open


def test_a_normal_neutrophil_count_leaves_eurosars_item_open():
    # The usual interval reaches 8000/mm³, above EuroSCAR's 7000: it may score.
    normal = _item(_findings(reported_normal=["neutrophils_per_mm3"]), "eurosar_agep",
                   "neutrophils")
    assert (normal.points, normal.max, normal.answer) == (0, 1, "within normal limits")
    assert "stays unknown" in normal.decision


@pytest.mark.parametrize(("leukocytes", "reach"), [
    (7800, (0, 0)),     # not leukopenic: a normal count is below 700
    (None, (0, 2)),     # leukocytes unknown: the percentage rule may apply
    (3000, (0, 2)),     # leukopenic: 600 of 3000 is 20 %
])
def test_a_normal_eosinophil_count_against_regiscars_rule(leukocytes, reach):
    labs = {"reported_normal": ["eosinophils_per_mm3"]}
    if leukocytes is not None:
        labs["leukocytes_per_mm3"] = leukocytes
    item = _item(_findings(**labs), "regiscar_dress", "eosinophilia")
    assert (item.min, item.max) == reach and item.answer == "within normal limits"


def test_normal_liver_tests_and_eosinophils_raise_no_red_flag():
    flags = assess(_findings(reported_normal=["alt_times_uln", "inr", "eosinophils_per_mm3"],
                             bilirubin_times_uln=5))
    unknown = {f["id"] for f in flags.unknown_red_flags}
    raised = {f["id"] for f in flags.red_flags}
    assert "liver_severe" not in unknown | raised
    assert "eosinophils_700" not in unknown | raised
    # The other side: an INR of 1.6 is severe liver injury whatever the ALT.
    assert "liver_severe" in {f["id"] for f in assess(
        _findings(reported_normal=["alt_times_uln"], inr=1.6)).red_flags}


def test_a_value_is_either_a_number_or_normal():
    with pytest.raises(ValidationError, match="has a number and is reported normal"):
        Labs(inr=1.1, reported_normal=["inr"])
    with pytest.raises(ValidationError, match="listed twice"):
        Labs(reported_normal=["inr", "inr"])
    with pytest.raises(ValidationError):
        Labs(reported_normal=["creatinine_times_baseline"])  # no interval says its ratio


def test_the_interview_takes_normal_for_a_lab_and_refuses_it_elsewhere():
    from triage.dialog.loader import load_dialog
    from triage.paths import default_dialog_path
    from triage.ui.question import question_text

    engine = Engine(load_dialog(default_dialog_path()), TODAY)
    walk(engine, {**CLEAR, "detachment_any": "yes", "detachment_bsa": "15",
                  "onset_date": "2026-11-20", "drugs_any": "no"}, until="urea")
    assert "or 'normal'" in question_text(engine.current(), engine.dialog).plain
    assert engine.answer("within normal limits").accepted
    assert engine.findings.labs.reported_normal == ["urea_mmol_per_l"]
    assert engine.edit("urea", "12").accepted  # a number replaces it
    assert engine.findings.labs.reported_normal is None
    assert engine.findings.labs.urea_mmol_per_l == 12
    # Not a laboratory value with a usual interval: refused, with why.
    outcome = engine.edit("heart_rate", "normal")
    assert not outcome.accepted and "no usual interval" in outcome.message
