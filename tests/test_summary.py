"""What an edit changed, in words."""

from __future__ import annotations

from tests.conftest import findings
from triage.summary import changes, summarize


def test_changes_name_the_level_the_scores_and_the_next_steps():
    before = summarize(findings(eruption={"pustules": "typical"}))
    after = summarize(findings(eruption={"pustules": "typical", "nikolsky": True}))
    assert changes(before, after) == [
        "Triage level: routine -> emergency",
        "New next step: Serum urea (BUN), glucose and bicarbonate now, for SCORTEN.",
        "New next step: Compute SCORTEN again on day 3 of care; it predicts best then.",
        "No longer needed: safety net",
    ]


def test_no_change_is_said_as_nothing():
    same = summarize(findings())
    assert changes(same, same) == []
