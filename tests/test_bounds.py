"""Issue 21 §5: the rash's extent as a bound where only a threshold matters ("> 50",
"generalized"), kept as such and scored as RegiSCAR's item says."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from tests.test_engine import CLEAR, walk
from triage.dialog.engine import Engine
from triage.dialog.model import Question
from triage.dialog.wording import answer_words
from triage.findings import Eruption
from triage.result import evaluate

TODAY = dt.date(2026, 11, 25)


def _extent(scar, raw: str):
    engine = Engine(scar, TODAY)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "no"}, until="rash_bsa")
    outcome = engine.answer(raw)
    return engine, outcome


@pytest.mark.parametrize(("raw", "bound", "points", "top", "said"), [
    ("> 50", "> 50", 1, 1, "more than 50 % BSA"),
    ("more than 50 %", "> 50", 1, 1, "more than 50 % BSA"),
    ("generalized", "> 50", 1, 1, "generalized (more than 50 % BSA)"),
    ("< 50", "< 50", 0, 0, "less than 50 % BSA"),
    ("> 30", "> 30", 0, 1, "more than 30 % BSA"),   # the bound straddles 50: open
    ("less than 60", "< 60", 0, 1, "less than 60 % BSA"),
])
def test_a_bound_settles_regiscars_extent_only_when_it_is_on_one_side(
        scar, raw, bound, points, top, said):
    engine, outcome = _extent(scar, raw)
    assert outcome.accepted, outcome.message
    assert engine.findings.eruption.rash_bsa_bound == bound
    assert engine.findings.eruption.rash_bsa_percent is None
    item = next(i for i in evaluate(engine.findings).score("regiscar_dress").items
                if i.id == "rash_extent")
    assert (item.points, item.max) == (points, top)
    assert answer_words(engine.slot("rash_bsa").question, engine.answers[-1]) == said


def test_a_bound_with_nothing_inside_the_range_is_refused(scar):
    _, outcome = _extent(scar, "> 100")
    assert not outcome.accepted and "leaves nothing between 0 and 100" in outcome.message


def test_the_extent_is_a_number_or_a_bound_never_both():
    with pytest.raises(ValidationError, match="a bound and a number"):
        Eruption(rash_bsa_percent=60, rash_bsa_bound="> 50")
    with pytest.raises(ValidationError):
        Eruption(rash_bsa_bound="about 50")


def test_only_a_number_with_a_range_takes_bounds():
    with pytest.raises(ValidationError, match="needs a range"):
        Question(id="q", type="decimal", prompt="?", units=[{"id": "p", "label": "%"}],
                 bounds={"field": "eruption.rash_bsa_bound"})
    with pytest.raises(ValidationError, match="takes no units, range or bounds"):
        Question(id="q", type="yes_no", prompt="?", bounds={"field": "x"})
