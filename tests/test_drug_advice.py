"""What to stop, what to review, and the allergy record: per drug, by real cross-reactivity
(issue 18). Each test pins what must be advised and what must never be."""

from __future__ import annotations

import pytest

from tests.conftest import findings
from triage import drug_advice
from triage.assessment import assess
from triage.knowledge import lookup
from triage.next_steps import steps
from triage.result import evaluate
from triage.summary import summarize

AGEP = dict(
    patient={"age_years": 70},
    eruption={"pustules": "typical", "erythema": "typical", "distribution": "typical",
              "mucosal_sites": []},
    systemic={"temperature_max_c": 38.6},
)
# Early SJS (targets, skin pain, oral erosions).
SJS = dict(
    patient={"age_years": 30},
    eruption={"atypical_targets": True, "skin_pain": True, "mucosal_sites": ["oral"]},
)
DRESS = dict(
    eruption={"facial_edema": True, "rash_bsa_percent": 70, "pustules": "insufficient"},
    systemic={"temperature_max_c": 39.0, "enlarged_lymph_node_sites": 3,
              "organ_involvement": ["liver"]},
    labs={"leukocytes_per_mm3": 12000, "eosinophils_per_mm3": 2000,
          "atypical_lymphocytes": True},
)


def drug(name: str, start_day: int, **more) -> dict:
    return {"name": name, "start_day": start_day, "ongoing_at_onset": True, **more}


def advise(case: dict, *drugs: dict):
    f = findings(**case, drugs=list(drugs))
    result = evaluate(f)
    a = assess(f, result)
    _, recommended = steps(f, result, a)
    return (drug_advice.plan(a), drug_advice.allergy_record(a),
            {s.id: s for s in recommended})


def test_agep_to_amoxicillin_beside_long_term_prednisolone_and_chlorpromazine():
    # The case: the record barred corticosteroids; everything was "stop now".
    plan, record, by_id = advise(AGEP, drug("amoxicillin", -2), drug("prednisolone", -400),
                                 drug("chlorpromazine", -3650))
    assert [p.name for p in plan if p.stop_now] == ["amoxicillin"]
    review = {p.name: p for p in plan if not p.stop_now}
    assert set(review) == {"prednisolone", "chlorpromazine"}
    assert "taper it with the prescriber, never stop it abruptly" in review["prednisolone"].caution
    assert [e.name for e in record] == ["amoxicillin"]
    stop = by_id["stop_suspect_drugs"].text
    assert "prednisolone" not in stop and "chlorpromazine" not in stop
    text = by_id["allergy_record"].text
    assert '"AGEP to amoxicillin" (suspected culprit): avoid the aminopenicillins' in text
    assert "cefalexin, cefadroxil, cefaclor" in text
    for never in ("corticosteroid", "prednisolone", "chlorpromazine", "penicillins,"):
        assert never not in text.split("use with caution")[0], never
    assert "Review with the prescriber, and continue if essential: prednisolone" in (
        by_id["review_drugs"].text)


def test_sjs_to_lamotrigine_never_bars_every_antiepileptic():
    plan, record, by_id = advise(SJS, drug("lamotrigine", -14), drug("levetiracetam", -700))
    assert [e.name for e in record] == ["lamotrigine"]
    text = by_id["allergy_record"].text
    assert '"SJS/TEN to lamotrigine" (suspected culprit): avoid lamotrigine; use with caution: ' \
           "the aromatic antiepileptics" in text
    assert ("instead: a non-aromatic antiepileptic (levetiracetam, gabapentin, topiramate, a "
            "benzodiazepine, or valproate once the liver has recovered and never in pregnancy)"
            ) in " ".join(text.split())
    assert "avoid antiepileptics" not in text and "avoid the aromatic" not in text
    levetiracetam = next(p for p in plan if p.name == "levetiracetam")
    assert not levetiracetam.stop_now
    assert "never just stopped" in levetiracetam.caution
    stop = by_id["stop_suspect_drugs"].text
    assert stop.startswith("Stop now: lamotrigine.")
    assert "cover seizures at once with a structurally unrelated one, under neurology" in stop


def test_an_aromatic_antiepileptic_names_its_group_and_what_can_be_used_instead():
    _, record, _ = advise(DRESS, drug("carbamazepine", -25))
    entry = record[0]
    assert entry.avoid.startswith("the aromatic antiepileptics: carbamazepine, oxcarbazepine")
    assert "levetiracetam" not in entry.avoid and "valproate" not in entry.avoid
    assert "levetiracetam" in entry.instead


def test_co_suspects_each_keep_their_own_group_nothing_pooled():
    _, record, by_id = advise(DRESS, drug("carbamazepine", -25), drug("co-trimoxazole", -20))
    groups = {e.name: e.avoid for e in record}
    assert set(groups) == {"carbamazepine", "co-trimoxazole"}
    assert "sulfonamide" not in groups["carbamazepine"]
    assert "antiepileptic" not in groups["co-trimoxazole"]
    assert [e.role for e in record] == ["suspected culprit", "co-suspect"]
    text = by_id["allergy_record"].text
    assert text.count('"DRESS to ') == 2


def test_a_drug_with_no_sourced_group_is_avoided_alone():
    _, record, by_id = advise(AGEP, drug("diltiazem", -3))
    assert record[0].avoid == "diltiazem"
    assert "calcium channel blockers" not in by_id["allergy_record"].text
    assert "an allergy specialist advises on related drugs" in by_id["allergy_record"].text


def test_a_corticosteroid_suspect_is_avoided_by_name_only():
    _, record, by_id = advise(AGEP, drug("prednisolone", -3))
    assert record[0].avoid == "prednisolone"
    assert "corticosteroids" not in by_id["allergy_record"].text


@pytest.mark.parametrize(("start_day", "stop_now"), [(-20, True), (-21, False)])
def test_a_corticosteroid_is_stopped_at_once_only_under_3_weeks(start_day, stop_now):
    # Prednisolone on the AGEP moderate list: started 20 days before (AGEP's possible
    # window is 0-28) may stop (BNF: 3 weeks or less); from 21 days it is tapered.
    plan, _, _ = advise(AGEP, drug("prednisolone", start_day))
    assert plan[0].stop_now is stop_now
    assert ("taper" in plan[0].caution) is (not stop_now)


@pytest.mark.parametrize(
    ("start_day", "stop_now", "reason"),
    [(-56, True, "started 56 days before the onset"),
     (-57, True, "started 57 days before the onset, a latency still possible for DRESS"),
     (-90, True, "started 90 days before the onset, a latency still possible for DRESS"),
     (-91, False, "taken for 91 days before the onset")],
)
def test_stop_now_takes_the_drugs_whose_timing_still_fits(start_day, stop_now, reason):
    # Paracetamol is on no risk list, so only its timing decides: the 8 weeks before
    # onset, and beyond them DRESS's possible window (up to 90 days). A drug the allergy
    # record names as a suspect is never left running.
    plan, record, _ = advise(DRESS, drug("paracetamol", start_day))
    assert plan[0].stop_now is stop_now and plan[0].reasons == (reason,)
    assert bool(record) is stop_now


def test_high_notoriety_or_a_probable_ranking_stops_even_a_long_taken_drug():
    plan, _, _ = advise(DRESS, drug("allopurinol", -120))
    assert plan[0].stop_now and "a frequent cause of DRESS" in plan[0].reasons


def test_a_drug_started_after_the_onset_is_neither_stopped_nor_recorded():
    plan, record, _ = advise(AGEP, drug("amoxicillin", -2), drug("cetirizine", 1))
    cetirizine = next(p for p in plan if p.name == "cetirizine")
    assert not cetirizine.stop_now and cetirizine.reasons == ("started after the onset",)
    assert [e.name for e in record] == ["amoxicillin"]


def test_a_drug_started_on_the_day_of_onset_fits_agep_but_not_sjs_ten():
    # AGEP can begin within hours of an antibiotic; SJS/TEN and ALDEN need a day at least.
    plan, record, _ = advise(AGEP, drug("ceftriaxone", 0))
    assert plan[0].stop_now and plan[0].reasons[0] == "started on the day of onset"
    assert [e.name for e in record] == ["ceftriaxone"]
    plan, record, _ = advise(SJS, drug("paracetamol", 0))
    assert not plan[0].stop_now and record == []


def test_alden_unlikely_over_its_whole_range_leaves_the_record():
    # omeprazole taken for 900 days in SJS/TEN: ALDEN at most -1: very unlikely
    _, record, by_id = advise(SJS, drug("lamotrigine", -14),
                              drug("omeprazole", -40, previous_exposure="tolerated",
                                   dechallenge="continued_without_harm"))
    assert [e.name for e in record] == ["lamotrigine"]
    assert "left out: omeprazole" in " ".join(by_id["allergy_record"].because)


def test_an_already_stopped_suspect_is_not_to_be_restarted():
    plan, _, by_id = advise(AGEP, drug("amoxicillin", -5, ongoing_at_onset=None, stop_day=1))
    assert plan[0].already_stopped
    assert "amoxicillin (already stopped: do not restart)" in by_id["stop_suspect_drugs"].text


def test_pharmacogenetics_is_advice_for_relatives_never_a_score():
    _, _, by_id = advise(DRESS, drug("allopurinol", -25))
    step = by_id["pharmacogenetics"]
    assert "HLA-B*58:01 and allopurinol" in step.text
    assert "for future prescribing and for relatives" in step.text
    assert "Hershfield" in " ".join(step.because)


def test_every_group_names_a_source_and_avoids_its_own_members():
    for name in ("carbamazepine", "oxcarbazepine", "phenytoin", "phenobarbital", "primidone",
                 "eslicarbazepine", "co-trimoxazole", "Fansidar", "sulfasalazine",
                 "amoxicillin", "cefalexin", "piroxicam", "allopurinol", "lamotrigine",
                 "dapsone"):
        info = lookup(name)
        group = info.cross_reactivity
        assert group is not None and group.source and group.evidence in ("V", "R"), name
        # the group's own members include the drug itself (a combination by its first part)
        assert info.name in group.avoid or info.name.split("-")[0] in group.avoid, name


def test_a_steroid_counts_its_days_up_to_this_assessment():
    # Started 20 days before the onset, assessed on day 10: 30 days taken, so tapered.
    case = dict(AGEP, eruption=dict(AGEP["eruption"], assessment_day=10))
    plan, _, _ = advise(case, drug("prednisolone", -20))
    assert not plan[0].stop_now and "taper" in plan[0].caution


def test_a_drug_of_unknown_timing_waits_before_it_is_recorded():
    _, record, by_id = advise(AGEP, drug("amoxicillin", -2),
                              {"name": "prednisolone", "ongoing_at_onset": True})
    assert [e.name for e in record] == ["amoxicillin"]
    assert "prednisolone" not in by_id["allergy_record"].text.split("because")[0]


def _stop_text(case: dict, *drugs: dict) -> str:
    data = summarize(findings(**case, drugs=list(drugs)))
    return next(s["text"] for s in data["next_steps"] if s["id"] == "stop_suspect_drugs")


def test_only_a_drug_suspected_for_its_timing_may_be_replaced_if_essential():
    # allopurinol is a frequent cause of DRESS: never "unless essential"
    text = _stop_text(DRESS, drug("allopurinol", -30), drug("paracetamol", -20))
    assert ("If paracetamol (suspected for its timing alone) is essential, replace it with a "
            "structurally unrelated drug rather than continue it.") in text
    assert "allopurinol (suspected" not in text and "unless" not in text
    alone = _stop_text(DRESS, drug("allopurinol", -30))
    assert "essential" not in alone
    timing = _stop_text(DRESS, drug("paracetamol", -20))
    assert "If it is essential, replace it" in timing
