"""The thresholds a run changed, as its provenance reports them."""

from __future__ import annotations

from triage.scores.operators import DEFAULT


def test_no_change_reports_nothing() -> None:
    assert DEFAULT.changed() == {}
    assert DEFAULT.with_changes().changed() == {}


def test_a_threshold_given_again_at_its_default_is_no_change() -> None:
    # A new Cutoff object with the default's operator and value.
    assert DEFAULT.with_changes(scorten_age_years=">= 40").changed() == {}


def test_each_changed_threshold_is_reported_as_text() -> None:
    changed = DEFAULT.with_changes(scorten_age_years="> 40", eurosar_fever_c=">38.75").changed()
    assert changed == {"eurosar_fever_c": "> 38.75", "scorten_age_years": "> 40"}
