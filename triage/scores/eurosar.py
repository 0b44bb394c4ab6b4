"""EuroSCAR AGEP validation score (Sidoroff et al., J Cutan Pathol 2001;28:113-119, Table 2).

docs/clinical-rules.md, EuroSCAR AGEP. Morphology and histology are single choices; course
items are yes/no, and an unknown course item scores 0 in the total and spans its points
(docs/decisions.md).
"""

from __future__ import annotations

from triage.derived import meets, mucosal_involvement, resolution_meets, unresolved_known
from triage.findings import Findings
from triage.reference_intervals import normal_decision, normal_meets
from triage.scores.base import Band, Item, ScoreResult, fmt_number, item, make_result
from triage.scores.operators import Operators, decision_note

ID = "eurosar_agep"
NAME = "EuroSCAR AGEP validation score"
SOURCE = "Sidoroff A et al., J Cutan Pathol 2001;28:113-119, Table 2"
#: Where docs/ explains every item, band and unknown-answer rule of this score.
DOCS = "clinical-rules.md#euroscar-agep"
#: How the assistant's panel names it, and the scale it draws it on (the published range).
SHORT = "EuroSCAR"
SCALE = (-18, 12)
TABLE = "Sidoroff 2001, Table 2"

BANDS = (
    Band("no", None, 0),
    Band("possible", 1, 4),
    Band("probable", 5, 7),
    Band("definite", 8, 12),
)

GRADE_POINTS = {"typical": 2, "compatible": 1, "insufficient": 0}

#: Histology is ONE choice (item C in DOCS); the +2 row covers two patterns.
HISTOLOGY_POINTS = {
    "other_disease": -10,
    "not_representative": 0,
    "neutrophil_exocytosis": 1,
    "pustules": 2,
    "spongiform_pustules": 2,
    "spongiform_pustules_with_papillary_edema": 3,
}

_UNKNOWN_COURSE = ("unknown course item: 0 in the total, its points stay reachable "
                   "(docs/decisions.md)")
_UNKNOWN = "unknown: 0 in the total, its points stay reachable (docs/findings.md)"


def _grade(findings_value: str | None, id: str, label: str, definition: str) -> Item:
    possible = [GRADE_POINTS[findings_value]] if findings_value else GRADE_POINTS.values()
    return item(
        id,
        label,
        findings_value,
        possible,
        f"typical +2, compatible +1, insufficient 0. Typical: {definition}",
        f"{TABLE}, A. Morphology",
        decision=None if findings_value else _UNKNOWN + "; 'insufficient' is a known 0",
        fields=(f"eruption.{id}",),
    )


def _yes_no(
    id: str,
    label: str,
    value: bool | None,
    yes: int,
    no: int,
    rule: str,
    section: str,
    *,
    decision: str | None = None,
    answer: object = None,
    fields: tuple[str, ...] = (),
) -> Item:
    possible = [yes, no] if value is None else [yes if value else no]
    if value is None and decision is None:
        decision = _UNKNOWN_COURSE if section == "B. Course" else _UNKNOWN
    return item(
        id,
        label,
        answer if answer is not None else value,
        possible,
        rule,
        f"{TABLE}, {section}",
        decision=decision,
        fields=fields,
    )


def score(findings: Findings, ops: Operators) -> ScoreResult:
    """Score the EuroSCAR AGEP items of `findings`."""
    er, sy, labs, hi = findings.eruption, findings.systemic, findings.labs, findings.histology

    fever = meets(ops.eurosar_fever_c, sy.temperature_max_c)
    pmn = normal_meets(ops.eurosar_neutrophils_per_mm3, labs, "neutrophils_per_mm3")
    pmn_normal = "neutrophils_per_mm3" in (labs.reported_normal or ())
    leukocytes = labs.leukocytes_per_mm3
    # The neutrophils are part of the leukocytes: below the cutoff, they cannot reach it.
    if pmn is None and leukocytes is not None and not ops.eurosar_neutrophils_per_mm3.test(
        leukocytes
    ):
        pmn = False
    resolved = resolution_meets(er, ops.eurosar_resolution_day)
    mucosa = mucosal_involvement(er)

    items = [
        _grade(
            er.pustules,
            "pustules",
            "Pustules",
            "numerous pinhead-sized (< 5 mm) non-follicular sterile pustules",
        ),
        _grade(er.erythema, "erythema", "Erythema", "diffuse oedematous erythema"),
        _grade(
            er.distribution,
            "distribution",
            "Distribution / pattern",
            "predominant in the folds and/or on the face",
        ),
        _yes_no(
            "postpustular_desquamation",
            "Post-pustular desquamation",
            er.postpustular_desquamation,
            1,
            0,
            "yes +1, no 0",
            "A. Morphology",
            fields=("eruption.postpustular_desquamation",),
        ),
        _yes_no(
            "mucosal_involvement",
            "Mucosal involvement",
            mucosa,
            -2,
            0,
            "yes -2, no 0",
            "B. Course",
            answer=er.mucosal_sites,
            fields=("eruption.mucosal_sites",),
        ),
        _yes_no(
            "acute_onset",
            "Acute onset (<= 10 days)",
            er.acute_onset,
            0,
            -2,
            "yes 0, no -2",
            "B. Course",
            fields=("eruption.acute_onset",),
        ),
        _yes_no(
            "resolution",
            f"Resolution ({ops.eurosar_resolution_day} days)",
            resolved,
            0,
            -4,
            f"resolution day {ops.eurosar_resolution_day}: yes 0, no -4",
            "B. Course",
            answer=er.resolution_day
            if er.resolution_day is not None
            else (f"still active on day {er.last_active_day}" if unresolved_known(er) else None),
            decision=decision_note(
                "eurosar_resolution_day", ops.eurosar_resolution_day, er.resolution_day
            ),
            fields=("eruption.resolution_day", "eruption.last_active_day"),
        ),
        _yes_no(
            "fever",
            f"Fever ({ops.eurosar_fever_c} °C)",
            fever,
            1,
            0,
            f"temperature {ops.eurosar_fever_c} °C: yes +1, no 0",
            "B. Course",
            answer=sy.temperature_max_c,
            decision=decision_note("eurosar_fever_c", ops.eurosar_fever_c, sy.temperature_max_c),
            fields=("systemic.temperature_max_c",),
        ),
        _yes_no(
            "neutrophils",
            f"Neutrophils ({ops.eurosar_neutrophils_per_mm3}/mm³)",
            pmn,
            1,
            0,
            f"PMN {ops.eurosar_neutrophils_per_mm3}/mm³: yes +1, no 0",
            "B. Course",
            answer="within normal limits" if pmn_normal
            else labs.neutrophils_per_mm3
            if labs.neutrophils_per_mm3 is not None or pmn is None
            else f"unknown, but leukocytes {fmt_number(labs.leukocytes_per_mm3 or 0)}/mm³",
            decision=normal_decision("neutrophils_per_mm3", pmn) if pmn_normal
            else decision_note(
                "eurosar_neutrophils_per_mm3",
                ops.eurosar_neutrophils_per_mm3,
                labs.neutrophils_per_mm3,
            ),
            fields=("labs.neutrophils_per_mm3", "labs.leukocytes_per_mm3"),
        ),
        item(
            "histology",
            "Histology",
            hi.agep_pattern,
            [HISTOLOGY_POINTS[hi.agep_pattern]] if hi.agep_pattern else HISTOLOGY_POINTS.values(),
            "one choice: other disease -10; not representative / no histology 0; exocytosis "
            "of PMN +1; non-spongiform or NOS pustules with papillary oedema, or spongiform "
            "or NOS pustules without it +2; spongiform pustules with papillary oedema +3",
            f"{TABLE}, C. Histology",
            decision=(
                "no histology result yet: 0 in the total (the source's 'no histology'); "
                "-10 to +3 stay reachable (docs/findings.md)"
                if hi.agep_pattern is None
                else (
                    "papillary oedema not reported: scored +2, +3 if the pathologist "
                    "confirms it (docs/clinical-rules.md, EuroSCAR AGEP)"
                    if hi.agep_pattern == "spongiform_pustules"
                    else None
                )
            ),
            fields=("histology.agep_pattern",),
        ),
    ]
    return make_result(ID, NAME, SOURCE, items, BANDS)
