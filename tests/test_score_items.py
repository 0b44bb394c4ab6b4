"""Building one score item (triage.scores.base.item): its reachable points and, when
unknown, the points it puts in the total (spec §3)."""

from __future__ import annotations

import pytest

from triage.scores.base import item


def _item(possible, points=None):
    return item("x", "X", None, possible, "rule", "source", points=points)


@pytest.mark.parametrize(
    ("possible", "reach"),
    [
        ([1, -1, 0], (-1, 0, 1)),
        ((2, 2, 0), (0, 2)),
        ({3, 1}, (1, 3)),
        (iter([0, -3, -1]), (-3, -1, 0)),
        (range(3), (0, 1, 2)),
    ],
)
def test_reachable_points_are_sorted_once_each_however_given(possible, reach) -> None:
    first, again = _item(possible), _item(list(reach)[::-1])
    assert first.possible == again.possible == reach
    assert (first.min, first.max) == (reach[0], reach[-1])


@pytest.mark.parametrize(
    ("possible", "points", "known"),
    [
        ((-1, 0, 2), 0, False),  # 0 reachable: 0 in the total
        ((1, 3), 1, False),  # 0 outside the range: the value nearest it
        ((-2, 2), 0, False),
        ((-3, -1), -1, False),
        ((2,), 2, True),  # one value: known, whatever the answer
        ((2, 2), 2, True),
    ],
)
def test_an_unknown_item_scores_the_reachable_value_nearest_zero(possible, points, known) -> None:
    built = _item(possible)
    assert (built.points, built.known) == (points, known)


def test_zero_inside_the_range_scores_zero_even_when_no_answer_gives_zero() -> None:
    # Spec §3: where the source defines no unknown rule, an unknown item scores 0; that
    # keeps min <= total <= max while 0 lies between the lowest and highest points.
    assert _item((-2, 2, 3)).points == 0


def test_given_points_win_over_the_unknown_rule() -> None:
    assert _item((1, 3), points=3).points == 3


def test_an_item_with_no_reachable_points_is_refused_every_time() -> None:
    # Reachable sets are remembered between items: an empty one must never be.
    for _ in range(2):
        with pytest.raises(ValueError, match="no reachable points"):
            _item([])
