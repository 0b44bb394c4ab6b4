"""ALDEN, the algorithm of drug causality for epidermal necrolysis (Sassolas et al., Clin
Pharmacol Ther 2010;88:60-68). docs/clinical-rules.md, ALDEN and docs/decisions.md.

Each drug is scored on five criteria (the intermediate score), then the cross-drug
"other cause" rule applies. The delay windows depend on the previous-exposure answer, so
the reachable totals are enumerated over consistent pairs of answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from triage.findings import Drug, Findings
from triage.knowledge import lookup
from triage.scores.base import Band, Item, ScoreResult, item, make_result, sumset

ID = "alden"
NAME = "ALDEN"
SOURCE = "Sassolas B et al., Clin Pharmacol Ther 2010;88:60-68"
#: Where docs/ explains every item, band and unknown-answer rule of this score.
DOCS = "clinical-rules.md#alden"
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
#: A previous reaction to this very drug shortens the windows (docs/clinical-rules.md, ALDEN).
REACTED_BEFORE = ("same_drug_same_reaction", "same_drug_other_reaction")

NOTORIETY_POINTS = {
    "strongly_associated": 3,
    "associated": 2,
    "suspected": 1,
    "unknown": 0,
    "not_suspected": -1,
}

OTHER_CAUSE_THRESHOLD = 3  # another drug with an intermediate score > 3 (DOCS)


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
    """A drug's criteria 1-5 and every intermediate total still reachable.

    `reachable` is keyed by the patient-level answer "organ dysfunction or interaction"
    assumed: one key when it is known, both when it is not. That answer is one answer for
    every drug, so ranges across drugs combine totals under the same key only.
    """

    drug: Drug
    index: int  # type: ignore[assignment]  # the drug's place; shadows tuple.index
    items: tuple[Item, ...]
    reachable: Mapping[bool, frozenset[int]]

    @property
    def total(self) -> int:
        return sum(i.points for i in self.items)


PRESENCE_RULE = (
    "definite (taken up to the index day, or stopped less than 5 half-lives before) 0; "
    "doubtful (stopped more than 5 half-lives before, with liver or kidney dysfunction "
    "or a suspected interaction) -1; excluded (the same without them) -3"
)


def presence_window(stop_day: int) -> tuple[int, int]:
    """Hours between a last dose on day `stop_day` (< 0) and the index day, in whole days:
    the dose may have been taken at any time of that day and the eruption may have begun
    at any time of day 0 (docs/decisions.md)."""
    return (-stop_day - 1) * 24, (-stop_day + 1) * 24


def could_continue(drug: Drug) -> bool:
    """Whether the drug may have been taken after the onset: not known to have been
    stopped before it."""
    stopped_before = drug.ongoing_at_onset is False or (
        drug.stop_day is not None and drug.stop_day < 0)
    return not stopped_before


def presence_state(drug: Drug, half_life: float | None) -> str:
    """present | absent | open: whether the drug was in the body on the index day. A drug
    continued after the onset was."""
    if (drug.ongoing_at_onset or (drug.stop_day is not None and drug.stop_day >= 0)
            or drug.dechallenge == "continued_without_harm"):
        return "present"
    if drug.stop_day is None or half_life is None:
        return "open"
    low, high = presence_window(drug.stop_day)
    if 5 * half_life >= high:
        return "present"
    if 5 * half_life <= low:
        return "absent"
    return "open"


def presence_points(state: str, dysfunction: bool) -> frozenset[int]:
    """Criterion 2's reachable points given the presence state and the patient-level
    answer "liver or kidney dysfunction, or a suspected interaction"."""
    late = -1 if dysfunction else -3
    return {"present": frozenset({0}), "absent": frozenset({late})}.get(
        state, frozenset({0, late})
    )


def dysfunction_options(findings: Findings) -> tuple[bool, ...]:
    """The values the patient-level answer can still take."""
    known = findings.patient.organ_dysfunction_or_interaction
    return (False, True) if known is None else (known,)


def _presence(
    drug: Drug,
    findings: Findings,
    half_life: float | None,
    half_life_origin: str,
    fields: tuple[str, ...],
) -> tuple[Item, str]:
    source = f"{TABLE}, criterion 2"
    state = presence_state(drug, half_life)
    possible = set().union(*(presence_points(state, d) for d in dysfunction_options(findings)))
    decision = None
    points = None
    if drug.ongoing_at_onset or (drug.stop_day is not None and drug.stop_day >= 0):
        answer = "taken up to day 0"
        decision = "taken up to or after day 0 is definite (docs/decisions.md)"
    elif drug.dechallenge == "continued_without_harm":
        answer = "continued after the onset"
        decision = "a drug continued after the onset was present on day 0"
    elif drug.stop_day is None:
        answer = "stop day unknown"
    elif half_life is None:
        answer = f"stopped {-drug.stop_day} days before, half-life unknown"
        decision = "half-life unknown: the item is unknown and spans -3..0 (docs/decisions.md)"
    else:
        low, high = presence_window(drug.stop_day)
        answer = (
            f"last taken on day {drug.stop_day}: {low} to {high} h before the index day; "
            f"5 half-lives = {5 * half_life:g} h ({half_life_origin})"
        )
        decision = "whole days: present only when 5 half-lives cover the latest time of the "
        decision += "last dose, absent only when they end before its earliest (docs/decisions.md)"
        if state == "open":
            points = 0  # unknown: counts 0 in the total, spans its points (docs/decisions.md)
    return (
        item(
            "presence",
            "Drug present on the index day",
            answer,
            possible,
            PRESENCE_RULE,
            source,
            points=points,
            decision=decision,
            fields=fields,
        ),
        state,
    )


#: Criteria 1-5 of a drug as last worked out, by what they read: the drug, its place in
#: the list and the patient-level answer. The interview tries each open question's
#: answers against every drug's ALDEN (dialog/relevance.py); a trial changes one drug, and
#: the others come from here. Bounded: emptied when full.
_WORKED_OUT: dict[tuple[Any, ...], Any] = {}
_WORKED_OUT_MAX = 2048


def _remembered(kind: str, drug: Drug, index: int, findings: Findings,
                work: Callable[[], Any]) -> Any:
    key = (kind, drug, index, findings.patient.organ_dysfunction_or_interaction)
    if key not in _WORKED_OUT:
        if len(_WORKED_OUT) >= _WORKED_OUT_MAX:
            _WORKED_OUT.clear()
        _WORKED_OUT[key] = work()
    return _WORKED_OUT[key]


def intermediate(drug: Drug, index: int, findings: Findings) -> Intermediate | None:
    """Criteria 1-5 for one drug; None when the delay cannot be computed (no start_day)."""
    return _remembered("intermediate", drug, index, findings,
                       lambda: _intermediate(drug, index, findings))


def _intermediate(drug: Drug, index: int, findings: Findings) -> Intermediate | None:
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
    presence, state = _presence(drug, findings, half_life, origin, presence_fields)

    dechallenge = drug.dechallenge
    # A drug stopped before the onset can only have been "stopped" after it.
    unknown_dechallenge = [-2, 0] if could_continue(drug) else [0]
    dechallenge_item = item(
        "dechallenge",
        "Dechallenge",
        dechallenge,
        [0] if dechallenge == "stopped" else [-2] if dechallenge else unknown_dechallenge,
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
    others = sumset([{d + p for d, p in pairs}, notoriety_item.possible])
    reachable = {
        dysfunction: frozenset(sumset([others, _course(drug, state, dysfunction,
                                                      dechallenge_item.possible)]))
        for dysfunction in dysfunction_options(findings)
    }
    return Intermediate(drug, index, items, reachable)


def _course(drug: Drug, state: str, dysfunction: bool,
            dechallenge: Iterable[int]) -> frozenset[int]:
    """Criteria 2 and 4 together, over consistent answers only: a drug continued after
    the onset (-2) was present on the index day (0), so "continued" never combines with
    "absent"."""
    presence = presence_points(state, dysfunction)
    if drug.dechallenge is None and could_continue(drug) and state != "present":
        return presence | {-2}
    return frozenset(sumset([presence, dechallenge]))


#: One first-intake day in each of ALDEN's delay windows (and one after the index day).
DELAY_PROBES = (-2, -10, -40, -70, 1)


def _potential(drug: Drug, index: int, findings: Findings) -> Intermediate:
    """What a drug without a first-intake day could score once it is known: its reachable
    intermediate totals over every delay window. Not a score of its own; it bounds the
    other drugs' "other cause" point."""
    return _remembered("potential", drug, index, findings,
                       lambda: _worked_potential(drug, index, findings))


def _worked_potential(drug: Drug, index: int, findings: Findings) -> Intermediate:
    # A first intake is on or before the last dose: the other probes are no answer.
    stop = drug.stop_day
    days = [d for d in DELAY_PROBES if stop is None or d <= stop] or [stop or 0]
    probes = [intermediate(drug.model_copy(update={"start_day": day}), index, findings)
              for day in days]
    known = [p for p in probes if p is not None]
    reachable = {
        key: frozenset().union(*(p.reachable[key] for p in known))
        for key in known[0].reachable
    }
    return known[0]._replace(reachable=reachable)


def score_all(findings: Findings) -> list[ScoreResult | None]:
    """ALDEN for every drug, in the order of the findings; None where it cannot be scored."""
    drugs = findings.drugs or []
    inter = [intermediate(d, i, findings) for i, d in enumerate(drugs)]
    scored = [x for x in inter if x is not None]
    # A drug not scored yet could be once its first intake is known, and could then take
    # the other drugs' point: the lowest totals count it. The totals and the highest do
    # not (a point it would always take leaves the highest one too high, never too low).
    potential = [_potential(d, i, findings) for i, d in enumerate(drugs) if inter[i] is None]
    top = max((x.total for x in scored), default=None)
    tied = [x for x in scored if x.total == top] if top is not None else []
    # The best other drug's reachable highest (for the lowest totals) and lowest (for the
    # highest totals), per answer to the patient-level question: the two best of all are
    # enough to know every drug's best other, so this stays linear in the drugs.
    keys = dysfunction_options(findings)
    low_tops = {k: _tops(scored + potential, k, max) for k in keys}
    high_tops = {k: _tops(scored, k, min) for k in keys}
    results: list[ScoreResult | None] = []
    for x in inter:
        if x is None:
            results.append(None)
            continue
        alone = len(scored) == 1
        penalised = top is not None and top > OTHER_CAUSE_THRESHOLD and x.total < top
        # Lowest reachable: this drug at its lowest, the others at their highest; highest:
        # this drug at its highest, the others at their lowest; each under one answer to
        # the patient-level question, which is the same for every drug.
        low_total, high_total, low_pen, high_pen = _extremes(x, low_tops, high_tops)
        # The total's own point too: it reads each drug's total, whose unknown answers
        # (the patient-level one among them) are not always those of either extreme.
        possible = {-1 if low_pen else 0, -1 if high_pen else 0, -1 if penalised else 0}
        if alone:
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
            decision="other cause: drugs tied at the top keep their score (docs/decisions.md)"
            if len(tied) > 1 and x.total == top and (top or 0) > OTHER_CAUSE_THRESHOLD
            else None,
            fields=("drugs",),  # every other drug's criteria 1-5
        )
        items = (*x.items, other)
        reachable = {low_total, high_total}
        results.append(
            make_result(
                ID, NAME, SOURCE, items, BANDS, reachable=reachable, extra={"intermediate": x.total}
            )
        )
    return results


#: Per drug pool and patient-level answer: the best value, whose it is, and the second.
_Tops = tuple[int | None, int | None, int | None]


def _tops(pool: list[Intermediate], key: bool, pick: Callable[[frozenset[int]], int]) -> _Tops:
    """The highest of `pick(reachable)` over the pool, the id of its drug, and the next."""
    best: int | None = None
    best_id: int | None = None
    second: int | None = None
    for o in pool:
        value = pick(o.reachable[key])
        if best is None or value > best:
            second, best, best_id = best, value, id(o)
        elif second is None or value > second:
            second = value
    return best, best_id, second


def _best_other(tops: _Tops, x: Intermediate) -> int | None:
    best, best_id, second = tops
    return second if best_id == id(x) else best


def _extremes(x: Intermediate, low_tops: dict[bool, _Tops],
              high_tops: dict[bool, _Tops]) -> tuple[int, int, bool, bool]:
    """The lowest and highest final totals of `x` over consistent answers, and whether the
    other-cause point is lost at each: at the lowest, when another drug can reach above
    both 3 and this one's lowest; at the highest, when another drug's lowest is."""
    lows, highs = [], []
    for dysfunction, values in x.reachable.items():
        low_v, high_v = min(values), max(values)
        other_high = _best_other(low_tops[dysfunction], x)
        other_low = _best_other(high_tops[dysfunction], x)
        low_pen = other_high is not None and other_high > max(OTHER_CAUSE_THRESHOLD, low_v)
        high_pen = other_low is not None and other_low > max(OTHER_CAUSE_THRESHOLD, high_v)
        lows.append((low_v - low_pen, low_pen))
        highs.append((high_v - high_pen, high_pen))
    (low, low_pen), (high, high_pen) = min(lows), max(highs)
    return low, high, low_pen, high_pen


#: Why a drug has no ALDEN score: the only case is a missing first intake (see DOCS).
NOT_SCORED = "start_day unknown: the delay (criterion 1) cannot be computed; not assessable"
