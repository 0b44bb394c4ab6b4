"""Issue 21 §6: the body-surface helper (rule of nines by age, palm rule)."""

from __future__ import annotations

import pytest

from triage import bsa


@pytest.mark.parametrize("age", [None, 0, 1, 5, 9, 10, 42])
def test_the_regions_make_the_whole_body_at_every_age(age):
    assert sum(bsa.shares(age).values()) == pytest.approx(100)


@pytest.mark.parametrize(("age", "head", "leg"), [
    (None, 9, 18), (42, 9, 18), (10, 9, 18),  # adult proportions from ten
    (0, 18, 14), (1, 17, 14.5), (5, 13, 16.5), (9, 9, 18.5),
])
def test_a_childs_head_is_larger_and_legs_smaller(age, head, leg):
    shares = bsa.shares(age)
    assert (shares["head"], shares["leg_left"], shares["leg_right"]) == (head, leg, leg)


def test_regions_and_palms_add_up_and_say_how():
    found = bsa.estimate({"trunk_front": 1, "arm_left": 1}, 3, 42)
    assert found.percent == 30
    assert found.said == ("rule of nines: front of the trunk 18 % + left arm and hand 9 % + "
                          "3 palms 3 %")
    assert bsa.as_answer(found).startswith("30 (rule of nines: front of the trunk 18 %")


def test_part_of_a_region_a_child_and_the_ceiling():
    assert bsa.estimate({"head": 0.5}, 0, 4).said == (
        "rule of nines for a child of 4: 50 % of the head and neck 7 %")
    everything = {rid: 1.0 for rid, _ in bsa.REGIONS}
    assert bsa.estimate(everything, 20, None).percent == 100
    assert bsa.estimate({}, 0, None) == bsa.Estimate(0, "nothing ticked")


def test_only_a_body_surface_question_takes_the_helper():
    assert bsa.applies(["% BSA"]) and not bsa.applies(["%"]) and not bsa.applies([])
