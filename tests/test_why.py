""""Why we ask", read off the scores' own field lists and the red-flag triggers."""

from __future__ import annotations

import pytest

from triage.dialog.why import fields_written, why
from triage.field_uses import uses


@pytest.mark.parametrize(
    ("qid", "expected"),
    [
        ("nikolsky", "Feeds red flag (emergency): Positive Nikolsky sign."),
        ("heart_rate", "Feeds SCORTEN: Heart rate (/min) >= 120; red flag (emergency): "
                       "Heart rate >= 120/min, or <= 40/min; red flag (emergency): Heart "
                       "rate at or above the high-risk rate for the child's age, or below "
                       "60/min (under 12 years) or <= 40/min (from 12)."),
        ("drug_dose", "Kept in the record and the summary; no score uses it."),
        ("onset_date", "Day 0: every other date is counted from it."),
        # The questions a gate opens, by what they ask (issue 21 §2), never by their ids.
        ("workup_done", "Decides whether to ask: antinuclear antibodies; blood culture; "
                        "hepatitis serology; Mycoplasma and Chlamydia tests; other tests "
                        "for another cause."),
        ("vitals_at_hand", "Decides whether to ask: heart rate; systolic blood pressure; on "
                           "vasopressors; oxygen saturation; respiratory rate; new confusion."),
        # Asked only when opened, and said what it feeds like any other.
        ("drug_rechallenge", "Feeds Naranjo ADR probability scale: Q4. Did it reappear when "
                             "the drug was given again?"),
    ],
)
def test_why_we_ask(scar, qid, expected):
    assert why(scar, scar.questions[qid]) == expected


def test_a_choice_whose_options_set_the_grade_feeds_it(scar):
    assert fields_written(scar, scar.questions["pustules"]) == ["eruption.pustules"]
    assert "EuroSCAR AGEP validation score: Pustules" in why(scar, scar.questions["pustules"])


def test_drug_questions_feed_the_per_drug_scores(scar):
    assert fields_written(scar, scar.questions["drug_start"]) == ["drugs[].start_day"]
    assert "ALDEN: Delay from first intake to index day" in why(
        scar, scar.questions["drug_start"])


def test_every_field_a_score_or_red_flag_reads_is_a_findings_field():
    from triage.dialog.check import drug_paths, findings_paths

    valid = set(findings_paths()) | {f"drugs[].{p}" for p in drug_paths()} | {"drugs"}
    assert set(uses()) <= valid


def test_reads_off_the_text_agree_with_jinja2s_parse(scar):
    """The quick reading of what a condition reads gives what Jinja2's parse gives."""
    from triage.dialog.conditions import reads, references

    texts = [t for r in scar.dialog.derive for t in (r.when, r.value) if t]
    texts += [q.enable_when for q in scar.questions.values() if q.enable_when]
    assert len(texts) > 20
    for text in texts:
        assert reads(text) == references(text)[1], text
