"""Naranjo adverse drug reaction probability scale (Naranjo et al., Clin Pharmacol Ther
1981;30:239-245). docs/clinical-rules.md, Naranjo. "Don't know" scores 0 but could still
become yes or no.
"""

from __future__ import annotations

from typing import Literal

from triage import labels
from triage.findings import Drug
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


def score(drug: Drug, index: int) -> ScoreResult:
    """Score Naranjo for one drug from its explicit or derived answers."""
    explicit = drug.naranjo
    items: list[Item] = []
    for qid, yes, no, dont_know, label, rule, source in _ITEMS:
        answer: Answer | None = getattr(explicit, qid) if explicit else None
        fields = [f"drugs[{index}].naranjo.{qid}"]
        derived = None
        if qid in DERIVABLE:
            fields += [f"drugs[{index}].{f}" for f in DERIVABLE[qid]]
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
                (points,) if known else (yes, no, dont_know),
                rule,
                source,
                points=points,
                decision=derived,
                fields=fields,
            )
        )
    return make_result(ID, NAME, SOURCE, items, BANDS)
