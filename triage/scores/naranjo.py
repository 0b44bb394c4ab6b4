"""Naranjo adverse drug reaction probability scale (Naranjo et al., Clin Pharmacol Ther
1981;30:239-245). docs/clinical-rules.md, Naranjo. "Don't know" scores 0 but could still
become yes or no.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from triage import labels
from triage.findings import Drug
from triage.knowledge import DrugInfo
from triage.scores.base import Band, Item, ScoreResult, item, make_result, signed

ID = "naranjo"
NAME = "Naranjo ADR probability scale"
SOURCE = "Naranjo CA et al., Clin Pharmacol Ther 1981;30:239-245"
#: Where docs/ explains every item, band and unknown-answer rule of this score.
DOCS = "clinical-rules.md#naranjo"
TABLE = "Naranjo 1981 questionnaire (reproduced in PMC5774610 Table 2)"

BANDS = (
    Band("doubtful", None, 0),
    Band("possible", 1, 4),
    Band("probable", 5, 8),
    Band("definite", 9, None),
)

# id, question, points for yes, no, don't know
QUESTIONS: tuple[tuple[str, str, int, int, int], ...] = (
    ("previous_reports", "Previous conclusive reports on this reaction?", 1, 0, 0),
    ("after_drug", "Did the event appear after the suspected drug was given?", 2, -1, 0),
    (
        "improved_on_stop",
        "Did it improve when the drug was stopped or an antagonist given?",
        1,
        0,
        0,
    ),
    ("reappeared_on_readministration", "Did it reappear when the drug was given again?", 2, -1, 0),
    (
        "alternative_causes",
        "Are there alternative causes that could on their own have caused it?",
        -1,
        2,
        0,
    ),
    ("placebo_reaction", "Did it reappear when a placebo was given?", -1, 1, 0),
    (
        "toxic_concentration",
        "Was the drug detected in blood or other fluids in toxic concentrations?",
        1,
        0,
        0,
    ),
    (
        "dose_response",
        "Was it more severe with a higher dose, or less severe with a lower dose?",
        1,
        0,
        0,
    ),
    (
        "previous_similar_reaction",
        "Did the patient have a similar reaction to the same or a similar drug before?",
        1,
        0,
        0,
    ),
    ("objective_evidence", "Was the event confirmed by objective evidence?", 1, 0, 0),
)

Answer = Literal["yes", "no", "unknown"]


#: The questions the findings can answer without an explicit answer, and from what.
DERIVABLE = {
    "after_drug": ("start_day", "stop_day"),
    "previous_similar_reaction": ("previous_exposure",),
}


#: What counts as "previous conclusive reports on this reaction" in the drug knowledge, by
#: reaction pattern: an association the list's case-control study established (EuroSCAR
#: for SJS/TEN and AGEP, RegiSCAR for DRESS). "Suspected" (several reports, ambiguous
#: epidemiology) is not conclusive, and a drug on no list is unknown, never "no".
_REPORTED = {
    "sjs_ten": ("SJS/TEN", {"strongly_associated": "strongly associated with",
                            "associated": "associated with"}),
    "agep": ("AGEP", {"strong": "strongly associated with", "moderate": "associated with"}),
    "dress": ("DRESS", {"high": "a frequent cause of"}),
}


def _listed(drug: Drug, info: DrugInfo | None, pattern: str) -> tuple[str, str] | None:
    """The drug's listed association with one pattern, as (value, source), if any."""
    if pattern == "sjs_ten" and drug.notoriety is not None:
        return drug.notoriety, "the notoriety set in the findings file"
    fact = None if info is None else {
        "sjs_ten": info.notoriety, "agep": info.agep_risk, "dress": info.dress_risk,
    }[pattern]
    return None if fact is None else (str(fact.value), f"{fact.source} [{fact.evidence}]")


def reports_listed(drug: Drug, info: DrugInfo | None) -> bool:
    """Whether question 1 is unanswered and the knowledge could answer it for some
    reaction pattern."""
    if drug.naranjo is not None and drug.naranjo.previous_reports is not None:
        return False
    return any((hit := _listed(drug, info, p)) is not None and hit[0] in words
               for p, (_, words) in _REPORTED.items())


def reports_from_knowledge(
    drug: Drug, info: DrugInfo | None, considered: Mapping[str, bool]
) -> tuple[str, bool] | None:
    """Question 1 ("previous conclusive reports on this reaction") from the drug knowledge,
    when the drug is listed for a reaction pattern that is considered: why it is yes, and
    whether it stays yes (the pattern stays considered whatever the open answers are).
    The question is about this reaction, so a listing for another pattern does not count."""
    found: list[tuple[str, bool]] = []
    for pattern, (name, words) in _REPORTED.items():
        hit = _listed(drug, info, pattern) if pattern in considered else None
        if hit is not None and hit[0] in words:
            found.append((f"{words[hit[0]]} {name}, which is considered ({hit[1]})",
                          considered[pattern]))
    if not found:
        return None
    settled = [why for why, sure in found if sure]
    if settled:
        return f"answered from the drug knowledge: {settled[0]}; no explicit answer", True
    return (f"answered from the drug knowledge: {found[0][0]}; no explicit answer; "
            "unknown (0) if the open answers rule the pattern out"), False


def derived_answer(drug: Drug, question: str) -> tuple[Answer | None, str | None]:
    """An answer the findings already give when the file has none, and its origin."""
    if question == "after_drug" and drug.start_day is not None:
        # Started before day 0: the eruption followed the drug.
        return ("yes" if drug.start_day < 0 else "no"), "start_day"
    if question == "after_drug" and drug.stop_day is not None and drug.stop_day < 0:
        # Last taken before day 0, so first taken before it too.
        return "yes", "stop_day"
    if question == "previous_similar_reaction" and drug.previous_exposure is not None:
        similar = drug.previous_exposure in (
            "same_drug_same_reaction",
            "similar_drug_same_reaction",
        )
        return ("yes" if similar else "no"), "previous_exposure"
    return None, None


#: Each question with its label, rule and source as the result shows them, written once:
#: they are the same for every drug of every file.
_ITEMS = tuple(
    (
        qid,
        yes,
        no,
        dont_know,
        f"Q{number}. {question}",
        f"yes {signed(yes)}, no {signed(no)}, don't know {signed(dont_know)}",
        f"{TABLE}, question {number}",
    )
    for number, (qid, question, yes, no, dont_know) in enumerate(QUESTIONS, start=1)
)


def score(
    drug: Drug,
    index: int,
    info: DrugInfo | None = None,
    considered: Mapping[str, bool] | None = None,
) -> ScoreResult:
    """Score Naranjo for one drug from its explicit or derived answers; question 1 from
    the drug knowledge `info` for the reaction patterns `considered` (each with whether
    it stays considered), when not answered."""
    explicit = drug.naranjo
    items: list[Item] = []
    for qid, yes, no, dont_know, label, rule, source in _ITEMS:
        answer: Answer | None = getattr(explicit, qid) if explicit else None
        fields = [f"drugs[{index}].naranjo.{qid}"]
        derived = None
        if qid in DERIVABLE:
            fields += [f"drugs[{index}].{f}" for f in DERIVABLE[qid]]
        open_yes = False  # yes from the knowledge while its pattern could still go
        if answer is None and qid == "previous_reports" and considered:
            listed = reports_from_knowledge(drug, info, considered)
            if listed is not None:
                answer, derived, open_yes = "yes", listed[0], not listed[1]
                fields.append(f"drugs[{index}].name")
        if answer is None:
            answer, field = derived_answer(drug, qid)
            if field:
                derived = ("answered from "
                           + labels.describe(f"drugs[{index}].{field}", getattr(drug, field))
                           + " (no explicit answer)")
        points = {"yes": yes, "no": no}.get(answer or "", dont_know)
        known = answer in ("yes", "no")
        items.append(
            item(
                qid,
                label,
                answer or "unknown",
                (points, dont_know) if open_yes else (points,) if known else (yes, no, dont_know),
                rule,
                source,
                points=points,
                decision=derived,
                fields=fields,
            )
        )
    return make_result(ID, NAME, SOURCE, items, BANDS)
