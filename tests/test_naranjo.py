"""Naranjo: answers, don't-know, derived answers, bands (rules §4, §11)."""

from __future__ import annotations

import pytest

from tests.conftest import items
from triage.findings import Drug
from triage.scores import naranjo
from triage.scores.base import band_of

FAVOURABLE = dict(previous_reports="yes", after_drug="yes", improved_on_stop="yes",
                  reappeared_on_readministration="yes", alternative_causes="no",
                  placebo_reaction="no", toxic_concentration="yes", dose_response="yes",
                  previous_similar_reaction="yes", objective_evidence="yes")
UNFAVOURABLE = dict(previous_reports="no", after_drug="no", improved_on_stop="no",
                    reappeared_on_readministration="no", alternative_causes="yes",
                    placebo_reaction="yes", toxic_concentration="no", dose_response="no",
                    previous_similar_reaction="no", objective_evidence="no")


def score(**answers):
    drug = Drug.model_validate({"name": "x", **answers})
    return naranjo.score(drug, 0)


def test_all_dont_know_is_0_doubtful():
    s = score(naranjo={q[0]: "unknown" for q in naranjo.QUESTIONS})
    assert (s.total, s.category, s.min, s.max) == (0, "doubtful", -4, 13)


def test_all_favourable_is_13_definite():
    s = score(naranjo=FAVOURABLE)
    assert (s.total, s.category, s.complete) == (13, "definite", True)


def test_all_unfavourable_is_minus_4_doubtful():
    s = score(naranjo=UNFAVOURABLE)
    assert (s.total, s.category) == (-4, "doubtful")


def test_pmc6136411_example_is_6_probable():
    s = score(naranjo=dict(after_drug="yes", improved_on_stop="yes", alternative_causes="no",
                           objective_evidence="yes"))
    assert (s.total, s.category) == (6, "probable")


@pytest.mark.parametrize(
    ("total", "category"),
    [(9, "definite"), (8, "probable"), (5, "probable"), (4, "possible"), (1, "possible"),
     (0, "doubtful"), (-1, "doubtful")],
)
def test_band_edges(total, category):
    assert band_of(naranjo.BANDS, total) == category


def test_band_edges_through_answers():
    # Q2 yes +2, Q5 no +2, Q3 yes +1, Q10 yes +1, Q1 yes +1, Q8 yes +1, Q9 yes +1 -> 9
    nine = dict(after_drug="yes", alternative_causes="no", improved_on_stop="yes",
                objective_evidence="yes", previous_reports="yes", dose_response="yes",
                previous_similar_reaction="yes")
    assert (score(naranjo=nine).total, score(naranjo=nine).category) == (9, "definite")
    eight = dict(nine, previous_similar_reaction="no")
    assert (score(naranjo=eight).total, score(naranjo=eight).category) == (8, "probable")


def test_yaml_booleans_are_yes_and_no():
    s = items(score(naranjo={"after_drug": True, "alternative_causes": False}))
    assert (s["after_drug"].answer, s["after_drug"].points) == ("yes", 2)
    assert (s["alternative_causes"].answer, s["alternative_causes"].points) == ("no", 2)


def test_unknown_answers_span_yes_and_no():
    q5 = items(score())["alternative_causes"]
    assert (q5.points, q5.min, q5.max, q5.known) == (0, -1, 2, False)


@pytest.mark.parametrize(("start_day", "answer", "points"), [(-1, "yes", 2), (0, "no", -1)])
def test_after_drug_derived_from_start_day(start_day, answer, points):
    q2 = items(score(start_day=start_day))["after_drug"]
    assert (q2.answer, q2.points) == (answer, points)
    assert q2.decision == f"answered from drug 1 start day {start_day} (no explicit answer)"
    assert q2.fields == ("drugs[0].naranjo.after_drug", "drugs[0].start_day", "drugs[0].stop_day")


def test_explicit_answer_wins_over_derived():
    q2 = items(score(start_day=5, naranjo={"after_drug": "unknown"}))["after_drug"]
    assert (q2.answer, q2.points, q2.known, q2.decision) == ("unknown", 0, False, None)


@pytest.mark.parametrize(
    ("exposure", "answer"),
    [("same_drug_same_reaction", "yes"), ("similar_drug_same_reaction", "yes"),
     ("same_drug_other_reaction", "no"), ("tolerated", "no"), ("none", "no")],
)
def test_previous_similar_reaction_derived_from_previous_exposure(exposure, answer):
    q9 = items(score(previous_exposure=exposure))["previous_similar_reaction"]
    assert q9.answer == answer


def test_a_drug_last_taken_before_the_onset_was_given_before_it():
    # no first-intake day, but the last dose on day -2: the eruption followed the drug
    from tests.conftest import findings as make
    from triage.scores import naranjo

    drug = make(drugs=[{"name": "x", "stop_day": -2}]).drugs[0]
    item = next(i for i in naranjo.score(drug, 0).items if i.id == "after_drug")
    assert (item.answer, item.points, item.known) == ("yes", 2, True)
    assert item.decision == "answered from drug 1 stop day -2 (no explicit answer)"


# Question 1 from the drug knowledge (issue 21): about this reaction, so only a listing for
# a pattern that is considered counts; a drug on no list stays unknown, never "no".


def q1(drug: Drug, considered):
    from triage.knowledge import lookup

    s = naranjo.score(drug, 0, lookup(drug.name), dict.fromkeys(considered, True))
    return next(i for i in s.items if i.id == "previous_reports"), s


@pytest.mark.parametrize(("name", "considered", "words"), [
    ("carbamazepine", ["dress"], "a frequent cause of DRESS"),
    ("allopurinol", ["sjs_ten"], "strongly associated with SJS/TEN"),
    ("pristinamycin", ["agep"], "strongly associated with AGEP"),
    ("carbamazepine", ["agep"], "associated with AGEP"),
    ("sertraline", ["sjs_ten"], "associated with SJS/TEN"),
])
def test_q1_is_yes_for_a_drug_listed_for_a_pattern_considered(name, considered, words):
    item, _ = q1(Drug(name=name), considered)
    assert (item.answer, item.points, item.min, item.max) == ("yes", 1, 1, 1)
    assert f"drug knowledge: {words}, which is considered" in item.decision
    assert "drugs[0].name" in item.fields


@pytest.mark.parametrize(("name", "considered"), [
    ("allopurinol", ["agep"]),  # on the SJS/TEN and DRESS lists, not the AGEP one
    ("pristinamycin", ["sjs_ten", "dress"]),  # on the AGEP list only
    ("carbamazepine", []),  # no pattern considered (a benign exanthem)
    ("paracetamol", ["sjs_ten", "agep", "dress"]),  # on no list: unknown, never "no"
    ("not a listed drug", ["agep"]),
])
def test_q1_stays_unknown_without_a_listing_for_a_pattern_considered(name, considered):
    item, _ = q1(Drug(name=name), considered)
    assert (item.answer, item.points, item.decision) == ("unknown", 0, None)
    assert (item.min, item.max) == (0, 1)


def test_q1_an_explicit_answer_wins_over_the_knowledge():
    item, _ = q1(Drug(name="allopurinol", naranjo={"previous_reports": "no"}), ["sjs_ten"])
    assert (item.answer, item.points, item.decision) == ("no", 0, None)
    assert not naranjo.reports_listed(
        Drug(name="allopurinol", naranjo={"previous_reports": "no"}), None)


@pytest.mark.parametrize(("notoriety", "answer"), [
    ("strongly_associated", "yes"), ("associated", "yes"),
    ("suspected", "unknown"),  # several reports, ambiguous epidemiology: not conclusive
    ("unknown", "unknown"), ("not_suspected", "unknown"),
])
def test_q1_reads_the_notoriety_set_in_the_findings_file(notoriety, answer):
    item, _ = q1(Drug(name="paracetamol", notoriety=notoriety), ["sjs_ten"])
    assert item.answer == answer
    if answer == "yes":
        assert "set in the findings file" in item.decision


def test_q1_yes_while_its_pattern_could_still_be_ruled_out_keeps_0_reachable():
    from triage.knowledge import lookup

    drug = Drug(name="pristinamycin")
    s = naranjo.score(drug, 0, lookup(drug.name), {"agep": False})
    item = next(i for i in s.items if i.id == "previous_reports")
    assert (item.answer, item.points, item.min, item.max) == ("yes", 1, 0, 1)
    assert item.decision.endswith("unknown (0) if the open answers rule the pattern out")
    # Listed for a second pattern that stays considered: settled.
    s = naranjo.score(Drug(name="carbamazepine"), 0, lookup("carbamazepine"),
                      {"agep": False, "sjs_ten": True})
    item = next(i for i in s.items if i.id == "previous_reports")
    assert (item.min, item.max) == (1, 1) and "SJS/TEN" in item.decision


def test_q1_follows_the_patterns_the_findings_make_considered():
    """Through `evaluate`: the same allopurinol is yes once detachment makes SJS/TEN
    considered, and unknown while nothing does."""
    from tests.conftest import findings
    from triage.result import evaluate

    drug = {"name": "allopurinol", "start_day": -20}
    quiet = evaluate(findings(drugs=[drug]))
    sjs = evaluate(findings(drugs=[drug], eruption={"detachment_bsa_percent": 12}))

    def answer(result):
        return next(i.answer for i in result.drugs[0].naranjo.items
                    if i.id == "previous_reports")

    assert (answer(quiet), answer(sjs)) == ("unknown", "yes")
    assert sjs.drugs[0].naranjo.total == quiet.drugs[0].naranjo.total + 1


def test_q1_yes_from_an_agep_that_rests_on_the_score_alone_can_still_fall_to_0():
    """Pustules not yet graded: AGEP is considered on EuroSCAR alone, so pristinamycin's
    yes keeps 0 reachable; pustules graded insufficient rule AGEP out (unknown, 0), graded
    typical settle it."""
    from tests.conftest import findings
    from triage.result import evaluate

    def q1_with(pustules):
        eruption = {"erythema": "typical", "distribution": "typical",
                    "postpustular_desquamation": True, "detachment_bsa_percent": 0,
                    "blisters": False, "nikolsky": False, "atypical_targets": False,
                    "mucosal_sites": []}
        if pustules:
            eruption["pustules"] = pustules
        r = evaluate(findings(
            eruption=eruption, systemic={"temperature_max_c": 38.5},
            labs={"neutrophils_per_mm3": 8000}, histology={"agep_pattern": "spongiform_pustules"},
            drugs=[{"name": "pristinamycin", "start_day": -2}]))
        q1 = next(i for i in r.drugs[0].naranjo.items if i.id == "previous_reports")
        return q1.answer, q1.points, q1.min, q1.max

    assert q1_with(None) == ("yes", 1, 0, 1)
    assert q1_with("insufficient") == ("unknown", 0, 0, 1)
    assert q1_with("typical") == ("yes", 1, 1, 1)


def test_q1_a_clinicians_do_not_know_in_the_interview_wins_over_the_knowledge(scar):
    """The review: "do not know" to earlier reports (opened from the palette) was dropped
    as every unknown is, so the knowledge answered yes beside an answer shown as unknown.
    Naranjo's answers hold "unknown" as a value: it is written, and it wins."""
    from tests.conftest import ROOT
    from triage import transcript
    from triage.result import evaluate

    script, doc = transcript.load(ROOT / "examples" / "multi-drug-alden.transcript.yaml")
    engine = transcript.replay(script, scar, "t", doc)

    def q1() -> tuple[str, int]:
        item = next(i for i in evaluate(engine.findings).drugs[0].naranjo.items
                    if i.id == "previous_reports")
        return item.answer, item.points

    assert q1() == ("yes", 1)  # allopurinol, SJS/TEN considered: from the knowledge
    assert engine.answer("unknown", question="drug_reports", repeat=0).accepted
    assert q1() == ("unknown", 0)
    assert engine.edit("drug_reports", "no", repeat=0).accepted
    assert q1() == ("no", 0)
