"""RegiSCAR DRESS score (Kardaun et al., Br J Dermatol 2007;156:609-611; 2013;169:1071-1080).

docs/clinical-rules.md, RegiSCAR DRESS. Unknown is explicit in the source and not always 0:
unknown fever and unknown resolution score -1; an unknown biopsy scores 0, the same as a
suggestive one.
"""

from __future__ import annotations

from triage import labels
from triage.derived import (
    DRESS_FEATURES,
    bound_meets,
    bound_words,
    dress_rash_counts,
    meets,
    resolution_meets,
    unresolved_known,
)
from triage.findings import Findings, Labs
from triage.reference_intervals import intervals, normal_decision
from triage.scores.base import Band, Item, ScoreResult, fmt_number, item, make_result
from triage.scores.operators import Operators

ID = "regiscar_dress"
NAME = "RegiSCAR DRESS score"
SOURCE = "Kardaun SH et al., Br J Dermatol 2007;156:609-611 (scoring system)"
#: Where docs/ explains every item, band and unknown-answer rule of this score.
DOCS = "clinical-rules.md#regiscar-dress"
#: How the assistant's panel names it, and the scale it draws it on (the published range).
SHORT = "RegiSCAR"
SCALE = (-4, 9)
TABLE = "Kardaun 2007 scoring table (reproduced in PMC8268599 Table 2)"

BANDS = (
    Band("no", None, 1),
    Band("possible", 2, 3),
    Band("probable", 4, 5),
    Band("definite", 6, None),
)

LOW_LEUKOCYTES = 4000  # the percentage thresholds apply only below this count (DOCS)
WORKUP_TESTS = ("ana", "blood_culture", "hepatitis_serology", "mycoplasma_chlamydia", "other")


def _eos_category_absolute(count: float) -> int:
    return 2 if count >= 1500 else 1 if count >= 700 else 0


def _eos_category_percent(percent: float) -> int:
    return 2 if percent >= 20 else 1 if percent >= 10 else 0


def _eosinophilia_normal(labs: Labs) -> tuple[int, tuple[int, ...], str, str | None]:
    """A count reported normal: every count of the usual interval is possible. The item
    rises with the count (the absolute and the percentage categories alike), so the
    reachable points run from the interval's lowest count to its highest."""
    span = intervals()["eosinophils_per_mm3"]
    ends = [eosinophilia(labs.model_copy(update={"eosinophils_per_mm3": count,
                                                 "reported_normal": None}))
            for count in (span.low, span.high)]
    reach = tuple(range(min(ends[0][1]), max(ends[1][1]) + 1))
    settled = reach[0] if len(reach) == 1 else None
    decision = normal_decision("eosinophils_per_mm3", None if settled is None else True)
    return ends[0][0], reach, "within normal limits", decision


def eosinophilia(labs: Labs) -> tuple[int, tuple[int, ...], str, str | None]:
    """Points, reachable points, the answer used and the decision for RegiSCAR item 3.

    docs/decisions.md: with leukocytes < 4000/mm3 the higher of the absolute and the percentage
    category; otherwise the absolute count alone; a percentage without leukocytes is
    unknown. A count is derived from the percentage when both it and leukocytes are known.
    """
    if (labs.eosinophils_per_mm3 is None and labs.eosinophils_percent is None
            and "eosinophils_per_mm3" in (labs.reported_normal or ())):
        return _eosinophilia_normal(labs)
    leuk, pct, count = labs.leukocytes_per_mm3, labs.eosinophils_percent, labs.eosinophils_per_mm3
    # With the leukocytes known, either eosinophil figure gives the other: the leukopenic
    # rule compares both categories even when only one line of the blood count was entered.
    if count is None and pct is not None and leuk is not None:
        count = pct * leuk / 100
    if pct is None and count is not None and leuk:
        pct = count * 100 / leuk
    decision = "the eosinophilia rule, leukocyte-dependent percentage (docs/decisions.md)"
    if leuk is not None:
        if count is None:  # pct is None as well, or count would be derived
            return 0, (0, 1, 2), "unknown", None
        abs_cat = _eos_category_absolute(count)
        answer = f"{fmt_number(round(count, 1))}/mm³ with leukocytes {fmt_number(leuk)}/mm³"
        if leuk < LOW_LEUKOCYTES and pct is not None:
            cat = max(abs_cat, _eos_category_percent(pct))
            answer += f", {fmt_number(round(pct, 1))} %"
            return cat, (cat,), answer, decision if cat != abs_cat else None
        return abs_cat, (abs_cat,), answer, None
    # Leukocytes unknown: the total uses the absolute count alone; a low count could
    # still bring in the percentage, so the range stays open above it. The leukocytes are
    # at least the eosinophil and the neutrophil counts: the lowest they can be gives the
    # highest percentage, and none below 4000 is possible once either count reaches it.
    if count is not None:
        abs_cat = _eos_category_absolute(count)
        floor = max(count, labs.neutrophils_per_mm3 or 0)
        if floor >= LOW_LEUKOCYTES:
            top = abs_cat
        elif pct is not None:
            top = max(abs_cat, _eos_category_percent(pct))
        else:
            top = max(abs_cat, _eos_category_percent(100 * count / floor)) if count else abs_cat
        reach = tuple(range(abs_cat, top + 1))
        answer = f"{fmt_number(count)}/mm³, leukocytes unknown"
        return abs_cat, reach, answer, decision if len(reach) > 1 else None
    if pct is not None:
        return 0, (0, 1, 2), f"{fmt_number(pct)} %, leukocytes unknown", decision
    return 0, (0, 1, 2), "unknown", None


def _workup(labs: Labs) -> Item:
    workup = labs.dress_workup
    results = [getattr(workup, t) if workup else None for t in WORKUP_TESTS]
    negative = results.count("negative")
    positive = results.count("positive")
    unknown = results.count(None)
    points = 1 if negative >= 3 and positive == 0 else 0
    possible: set[int]
    if positive:
        possible = {0}
    else:
        possible = {points}
        if unknown:
            possible |= {0} | ({1} if negative + unknown >= 3 else set())
    answer = (
        "unknown"
        if unknown == len(WORKUP_TESTS)
        else f"{negative} negative, {positive} positive, "
        f"{results.count('not_done')} not done, {unknown} unknown"
    )
    return item(
        "workup",
        "Evaluation of other potential causes",
        answer,
        possible,
        "+1 when at least 3 of ANA, blood culture, hepatitis A/B/C serology, "
        "Mycoplasma/Chlamydia serology, other serology/PCR are done and negative and none "
        "is positive; otherwise 0",
        f"{TABLE}, item 8",
        points=points,
        fields=tuple(f"labs.dress_workup.{t}" for t in WORKUP_TESTS),
    )


def score(findings: Findings, ops: Operators) -> ScoreResult:
    """Score the RegiSCAR DRESS items of `findings`."""
    er, sy, labs, hi = findings.eruption, findings.systemic, findings.labs, findings.histology

    fever = meets(ops.regiscar_fever_c, sy.temperature_max_c)
    nodes = meets(ops.regiscar_lymph_node_sites, sy.enlarged_lymph_node_sites)
    extent = meets(ops.regiscar_rash_bsa_percent, er.rash_bsa_percent)
    if extent is None:  # "> 50" settles "> 50"; "> 30" does not
        extent = bound_meets(ops.regiscar_rash_bsa_percent, er.rash_bsa_bound)
    yes, unknown = dress_rash_counts(er)
    named = ", ".join(labels.of(f"eruption.{f}").label for f in DRESS_FEATURES)
    features_answer = f"{yes} of 4 yes, {unknown} unknown ({named})"
    # Answering the open features gives yes (+1) or no (-1); 0 is the source's "unknown".
    if yes >= 2:
        feature_reach, feature_points = [1], 1
    elif yes + unknown < 2:
        feature_reach, feature_points = [-1], -1
    else:
        feature_reach, feature_points = [-1, 1], 0
    features = item(
        "rash_suggestive",
        "Rash suggesting DRESS",
        features_answer,
        feature_reach,
        "at least 2 of oedema (esp. facial), infiltration, purpura (other than legs), "
        "scaling: yes +1, no -1, unknown 0",
        f"{TABLE}, item 5b",
        points=feature_points,
        fields=tuple(f"eruption.{f}" for f in DRESS_FEATURES),
    )
    organs = sy.organ_involvement
    organ_points = None if organs is None else min(len(organs), 2)
    resolved = resolution_meets(er, ops.regiscar_resolution_day)
    eos_points, eos_reach, eos_answer, eos_decision = eosinophilia(labs)

    items = [
        item(
            "fever",
            f"Fever ({ops.regiscar_fever_c} °C)",
            sy.temperature_max_c,
            [0] if fever else [-1] if fever is False else [-1, 0],
            "yes 0; no or unknown -1",
            f"{TABLE}, item 1",
            points=0 if fever else -1,
            decision=None if fever is not None else "the source scores unknown fever -1",
            fields=("systemic.temperature_max_c",),
        ),
        item(
            "lymph_nodes",
            f"Enlarged lymph nodes ({ops.regiscar_lymph_node_sites} sites, > 1 cm)",
            sy.enlarged_lymph_node_sites,
            [1] if nodes else [0] if nodes is False else [0, 1],
            "yes +1; no or unknown 0",
            f"{TABLE}, item 2",
            decision="lymph nodes: >= 2 sites scores +1 (docs/decisions.md)"
            if nodes is not None and sy.enlarged_lymph_node_sites == 2
            else None,
            fields=("systemic.enlarged_lymph_node_sites",),
        ),
        item(
            "eosinophilia",
            "Eosinophilia",
            eos_answer,
            eos_reach,
            "700-1499/mm³ (or 10-19.9 % with leukocytes < 4000/mm³) +1; >= 1500/mm³ "
            "(or >= 20 % with leukocytes < 4000/mm³) +2; no or unknown 0",
            f"{TABLE}, item 3",
            points=eos_points,
            decision=eos_decision,
            fields=(
                "labs.eosinophils_per_mm3",
                "labs.eosinophils_percent",
                "labs.leukocytes_per_mm3",
            ),
        ),
        item(
            "atypical_lymphocytes",
            "Atypical lymphocytes",
            labs.atypical_lymphocytes,
            [1]
            if labs.atypical_lymphocytes
            else [0]
            if labs.atypical_lymphocytes is False
            else [0, 1],
            "yes +1; no or unknown 0",
            f"{TABLE}, item 4",
            fields=("labs.atypical_lymphocytes",),
        ),
        item(
            "rash_extent",
            f"Skin rash extent ({ops.regiscar_rash_bsa_percent} % BSA)",
            er.rash_bsa_percent if er.rash_bsa_bound is None
            else f"{bound_words(er.rash_bsa_bound)} % BSA",
            [1] if extent else [0] if extent is False else [0, 1],
            "yes +1; no or unknown 0",
            f"{TABLE}, item 5a",
            fields=("eruption.rash_bsa_percent", "eruption.rash_bsa_bound"),
        ),
        features,
        item(
            "biopsy",
            "Skin biopsy suggesting DRESS",
            hi.suggests_dress,
            [-1] if hi.suggests_dress is False else [0] if hi.suggests_dress else [-1, 0],
            "no -1; yes or unknown 0",
            f"{TABLE}, item 5c",
            points=0 if hi.suggests_dress is not False else -1,
            fields=("histology.suggests_dress",),
        ),
        item(
            "organ_involvement",
            "Internal organ involvement",
            organs,
            [organ_points] if organ_points is not None else [0, 1, 2],
            "1 organ +1; 2 or more +2; none or unknown 0",
            f"{TABLE}, item 6",
            fields=("systemic.organ_involvement",),
        ),
        item(
            "resolution",
            f"Resolution ({ops.regiscar_resolution_day} days)",
            er.resolution_day
            if er.resolution_day is not None
            else (f"still active on day {er.last_active_day}" if unresolved_known(er) else None),
            [0] if resolved else [-1] if resolved is False else [-1, 0],
            "yes 0; no or unknown -1",
            f"{TABLE}, item 7",
            points=0 if resolved else -1,
            decision=None if resolved is not None else "the source scores unknown resolution -1",
            fields=("eruption.resolution_day", "eruption.last_active_day"),
        ),
        _workup(labs),
    ]
    return make_result(ID, NAME, SOURCE, items, BANDS)
