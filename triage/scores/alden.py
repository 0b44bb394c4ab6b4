"""ALDEN, the algorithm of drug causality for epidermal necrolysis (Sassolas et al., Clin
Pharmacol Ther 2010;88:60-68). Clinical rules §3 and spec §5.

Each drug is scored on five criteria (the intermediate score), then the cross-drug
"other cause" rule applies. The delay windows depend on the previous-exposure answer, so
the reachable totals are enumerated over consistent pairs of answers.
"""

from __future__ import annotations

from typing import NamedTuple

from triage.findings import Drug, Findings
from triage.knowledge import lookup
from triage.scores.base import Band, Item, ScoreResult, item, make_result, sumset

ID = "alden"
NAME = "ALDEN"
SOURCE = "Sassolas B et al., Clin Pharmacol Ther 2010;88:60-68"
TABLE = "Sassolas 2010, Table 1 (reproduced in PMC9124451 Table 1)"

BANDS = (
    Band("very_unlikely", None, -1),
    Band("unlikely", 0, 1),
    Band("possible", 2, 3),
    Band("probable", 4, 5),
    Band("very_probable", 6, None),
)

PREVIOUS_EXPOSURE_POINTS = {
    "same_drug_same_reaction": 4,
    "similar_drug_same_reaction": 2,
    "same_drug_other_reaction": 2,
    "similar_drug_other_reaction": 1,
    "tolerated": -2,
    "none": 0,
}
#: A previous reaction to this very drug shortens the windows (clinical rules §3.1).
REACTED_BEFORE = ("same_drug_same_reaction", "same_drug_other_reaction")

NOTORIETY_POINTS = {
    "strongly_associated": 3,
    "associated": 2,
    "suspected": 1,
    "unknown": 0,
    "not_suspected": -1,
}

OTHER_CAUSE_THRESHOLD = 3  # another drug with an intermediate score > 3 (clinical rules §3.1)


def delay_points(delay: int, reacted_before: bool) -> tuple[int, str]:
    """Criterion 1 from the days between first intake and the index day."""
    if delay <= 0:
        return -3, "excluded: started on or after the index day"
    if reacted_before:
        if delay <= 4:
            return 3, "suggestive (1-4 days after a previous reaction to this drug)"
        if delay <= 56:
            return 1, "likely (5-56 days after a previous reaction to this drug)"
    else:
        if delay <= 4:
            return 1, "likely (1-4 days)"
        if delay <= 28:
            return 3, "suggestive (5-28 days)"
        if delay <= 56:
            return 2, "compatible (29-56 days)"
    return -1, "unlikely (> 56 days)"


class Intermediate(NamedTuple):
    """A drug's criteria 1-5 and every intermediate total still reachable."""

    drug: Drug
    index: int  # type: ignore[assignment]  # the drug's place; shadows tuple.index
    items: tuple[Item, ...]
    reachable: frozenset[int]

    @property
    def total(self) -> int:
        return sum(i.points for i in self.items)


def _presence(
    drug: Drug,
    findings: Findings,
    half_life: float | None,
    half_life_origin: str,
    fields: tuple[str, ...],
) -> Item:
    rule = (
        "definite (taken up to the index day, or stopped less than 5 half-lives before) 0; "
        "doubtful (stopped more than 5 half-lives before, with liver or kidney dysfunction "
        "or a suspected interaction) -1; excluded (the same without them) -3"
    )
    source = f"{TABLE}, criterion 2"
    dysfunction = findings.patient.organ_dysfunction_or_interaction
    late = [-1] if dysfunction else [-3] if dysfunction is False else [-3, -1]
    if drug.ongoing_at_onset or (drug.stop_day is not None and drug.stop_day >= 0):
        return item(
            "presence",
            "Drug present on the index day",
            "taken up to day 0",
            [0],
            rule,
            source,
            decision="taken up to or after day 0 is definite (spec §5)",
            fields=fields,
        )
    if drug.stop_day is None:
        return item(
            "presence",
            "Drug present on the index day",
            "stop day unknown",
            [0, *late],
            rule,
            source,
            fields=fields,
        )
    hours = -drug.stop_day * 24
    if half_life is None:
        return item(
            "presence",
            "Drug present on the index day",
            f"stopped {-drug.stop_day} days before, half-life unknown",
            [0, *late],
            rule,
            source,
            decision="half-life unknown: the item is unknown and spans -3..0 (spec §5)",
            fields=fields,
        )
    cleared = hours > 5 * half_life
    answer = (
        f"stopped {-drug.stop_day} days ({hours} h) before; 5 half-lives = "
        f"{5 * half_life:g} h ({half_life_origin})"
    )
    return item(
        "presence",
        "Drug present on the index day",
        answer,
        late if cleared else [0],
        rule,
        source,
        decision="stopped before day 0: compared with 5 half-lives (spec §5)",
        fields=fields,
    )


def intermediate(drug: Drug, index: int, findings: Findings) -> Intermediate | None:
    """Criteria 1-5 for one drug; None when the delay cannot be computed (no start_day)."""
    if drug.start_day is None:
        return None
    info = lookup(drug.name)
    delay = -drug.start_day

    exposure = drug.previous_exposure
    options = [exposure] if exposure is not None else list(PREVIOUS_EXPOSURE_POINTS)
    pairs = {
        (delay_points(delay, o in REACTED_BEFORE)[0], PREVIOUS_EXPOSURE_POINTS[o]) for o in options
    }
    # The total reads an unknown previous exposure as "none" (the source: unknown = 0).
    delay_now, delay_text = delay_points(delay, exposure in REACTED_BEFORE)
    delay_item = item(
        "delay",
        "Delay from first intake to index day",
        f"{delay} days: {delay_text}",
        {d for d, _ in pairs},
        "no previous reaction: 5-28 d +3, 29-56 d +2, 1-4 d +1, "
        "> 56 d -1; previous reaction to this drug: 1-4 d +3, 5-56 d +1, > 56 d -1; "
        "started on or after the index day -3",
        f"{TABLE}, criterion 1",
        points=delay_now,
        decision=None
        if exposure is not None
        else "previous exposure unknown: windows without a previous reaction in the total; "
        "the range covers both",
        fields=(f"drugs[{index}].start_day", f"drugs[{index}].previous_exposure"),
    )
    pre_item = item(
        "previous_exposure",
        "Prechallenge / rechallenge",
        exposure,
        {p for _, p in pairs},
        "same reaction after the same drug +4; same reaction after a "
        "similar drug, or another reaction after the same drug +2; another reaction after a "
        "similar drug +1; none known (or unknown) 0; exposed without reaction -2",
        f"{TABLE}, criterion 3",
        points=PREVIOUS_EXPOSURE_POINTS[exposure or "none"],
        fields=(f"drugs[{index}].previous_exposure",),
    )

    if drug.half_life_hours is not None:
        half_life, origin = drug.half_life_hours, "from the findings file"
    elif info is not None and info.half_life is not None:
        half_life, origin = float(info.half_life.value), f"typical, {info.half_life.source}"
    else:
        half_life, origin = None, ""
    own = ("ongoing_at_onset", "stop_day", "half_life_hours", "name")
    presence_fields = (
        *(f"drugs[{index}].{f}" for f in own),
        "patient.organ_dysfunction_or_interaction",
    )
    presence = _presence(drug, findings, half_life, origin, presence_fields)

    dechallenge = drug.dechallenge
    dechallenge_item = item(
        "dechallenge",
        "Dechallenge",
        dechallenge,
        [0] if dechallenge == "stopped" else [-2] if dechallenge else [-2, 0],
        "drug stopped (or unknown) 0; continued without harm -2",
        f"{TABLE}, criterion 4",
        points=-2 if dechallenge == "continued_without_harm" else 0,
        fields=(f"drugs[{index}].dechallenge",),
    )

    if drug.notoriety is not None:
        notoriety, origin = drug.notoriety, "set in the findings file"
    elif info is not None and info.notoriety is not None:
        notoriety = info.notoriety.value
        via = f" via {info.notoriety.via}" if info.notoriety.via else ""
        origin = f"{info.notoriety.source}{via} [{info.notoriety.evidence}]"
    else:
        notoriety, origin = "unknown", "on no list: unknown (0), never guessed"
    notoriety_item = item(
        "notoriety",
        "Type of drug (notoriety)",
        notoriety,
        [NOTORIETY_POINTS[notoriety]],
        "strongly associated +3; associated +2; suspected +1; unknown 0; not suspected -1",
        f"{TABLE}, criterion 5; list: {origin}",
        # The notoriety comes from the file's override, else from the name's list entry.
        fields=(f"drugs[{index}].notoriety", f"drugs[{index}].name"),
    )

    items = (delay_item, pre_item, presence, dechallenge_item, notoriety_item)
    reachable = sumset(
        [
            {d + p for d, p in pairs},
            presence.possible,
            dechallenge_item.possible,
            notoriety_item.possible,
        ]
    )
    return Intermediate(drug, index, items, frozenset(reachable))


def score_all(findings: Findings) -> list[ScoreResult | None]:
    """ALDEN for every drug, in the order of the findings; None where it cannot be scored."""
    drugs = findings.drugs or []
    inter = [intermediate(d, i, findings) for i, d in enumerate(drugs)]
    scored = [x for x in inter if x is not None]
    top = max((x.total for x in scored), default=None)
    tied = [x for x in scored if x.total == top] if top is not None else []
    results: list[ScoreResult | None] = []
    for x in inter:
        if x is None:
            results.append(None)
            continue
        others = [o for o in scored if o is not x]
        penalised = top is not None and top > OTHER_CAUSE_THRESHOLD and x.total < top
        # Lowest reachable: this drug at its lowest, the others at their highest; highest:
        # this drug at its highest, the others at their lowest.
        low_v = min(x.reachable)
        high_v = max(x.reachable)
        low_pen = any(
            max(o.reachable) > OTHER_CAUSE_THRESHOLD and max(o.reachable) > low_v for o in others
        )
        high_pen = any(
            min(o.reachable) > OTHER_CAUSE_THRESHOLD and min(o.reachable) > high_v for o in others
        )
        possible = {-1 if low_pen else 0, -1 if high_pen else 0}
        if not others:
            answer = "single drug"
        elif penalised:
            answer = f"another drug has the top intermediate score {top} (> 3)"
        elif top is not None and top > OTHER_CAUSE_THRESHOLD and len(tied) > 1:
            answer = f"tied at the top ({top}) with another drug: keeps its score"
        else:
            answer = "no other drug scores > 3" if (top or 0) <= 3 else "top-ranked drug"
        other = item(
            "other_cause",
            "Other cause",
            answer,
            possible,
            "-1 when another drug has an intermediate score > 3 and this one is lower; "
            "drugs tied at the top keep theirs",
            f"{SOURCE}, criterion 6",
            points=-1 if penalised else 0,
            decision="other cause: drugs tied at the top keep their score (spec §5)"
            if len(tied) > 1 and x in tied and (top or 0) > OTHER_CAUSE_THRESHOLD
            else None,
            fields=("drugs",),  # every other drug's criteria 1-5
        )
        items = (*x.items, other)
        reachable = {low_v + (-1 if low_pen else 0), high_v + (-1 if high_pen else 0)}
        results.append(
            make_result(
                ID, NAME, SOURCE, items, BANDS, reachable=reachable, extra={"intermediate": x.total}
            )
        )
    return results


#: Why a drug has no ALDEN score: the only case is a missing first intake (rules §3.3).
NOT_SCORED = "start_day unknown: the delay (criterion 1) cannot be computed; not assessable"
