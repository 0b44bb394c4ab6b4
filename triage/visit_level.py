"""The triage level of a follow-up visit (docs/decisions.md): the signs active at
the visit decide it; the presentation day's level is shown beside it, never replaced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.findings import Findings, Visit

#: Each sign asked at a visit (`visit.<name>`) and the reaction's field it stands for.
VISIT_SIGNS: dict[str, tuple[str, str]] = {
    "temperature_c": ("systemic.temperature_max_c", "temperature"),
    "heart_rate_bpm": ("systemic.heart_rate_bpm", "heart rate"),
    "systolic_bp_mmhg": ("systemic.systolic_bp_mmhg", "systolic blood pressure"),
    "vasopressors": ("systemic.vasopressors", "vasopressors"),
    "spo2_percent": ("systemic.spo2_percent", "oxygen saturation"),
    "respiratory_rate_per_min": ("systemic.respiratory_rate_per_min", "respiratory rate"),
    "new_confusion": ("systemic.new_confusion", "new confusion"),
    "detachment_bsa_percent": ("eruption.detachment_bsa_percent", "detached skin"),
    "nikolsky": ("eruption.nikolsky", "Nikolsky sign"),
    "blisters": ("eruption.blisters", "blisters"),
    "atypical_targets": ("eruption.atypical_targets", "atypical targets"),
    "mucosal_sites": ("eruption.mucosal_sites", "mucosal sites"),
    "skin_pain": ("eruption.skin_pain", "skin pain"),
    "facial_edema": ("eruption.facial_edema", "facial oedema"),
    "pustules": ("eruption.pustules", "pustules"),
}

#: A skin sign's value once the skin has healed.
_HEALED: dict[str, Any] = {
    "detachment_bsa_percent": 0,
    "nikolsky": False,
    "blisters": False,
    "atypical_targets": False,
    "mucosal_sites": [],
    "skin_pain": False,
    "facial_edema": False,
    "pustules": "insufficient",
}

#: The red flags a visit can still raise once the skin has healed: organ involvement and
#: organ injury outlast the skin (DRESS), and the vital signs are the visit's own.
OUTLASTS_THE_SKIN = (
    "organ_severe",
    "organ_any",
    "liver_severe",
    "kidney_injury",
    "heart_rate",
    "heart_rate_child",
    "hypothermia",
    "circulation",
    "spo2_91",
    "breathing",
    "breathing_child",
    "new_confusion",
    "fever_38_5",
)


@dataclass(frozen=True)
class VisitFindings:
    """The findings a visit's level is judged on, and how its explanations name them."""

    findings: Findings
    healed: bool
    #: Findings path -> the name an explanation gives it (`visit.blisters`, or the
    #: presentation day's field when the visit did not record the sign).
    names: dict[str, str]
    #: The signs (their labels) not recorded at the visit, kept from the presentation day.
    carried: tuple[str, ...]


def healed_by_visit(findings: Findings) -> bool:
    """Whether the skin is known to have cleared by the day of this assessment."""
    er = findings.eruption
    return (er.resolution_day is not None and er.assessment_day is not None
            and er.resolution_day <= er.assessment_day)


def at_visit(findings: Findings) -> VisitFindings:
    """The findings of a follow-up visit: each sign as recorded at the visit. While the
    skin has not healed, a sign the visit did not record keeps its presentation value, as
    an unknown answer never lowers a level. Once the skin has healed, its signs are gone
    and the reaction's peaks (highest temperature, worst blood count) describe the past;
    organ involvement and organ injury stay, as they can outlast the skin."""
    healed = healed_by_visit(findings)
    visit = findings.visit or Visit()
    sections: dict[str, dict[str, Any]] = {"eruption": {}, "systemic": {}}
    names: dict[str, str] = {}
    carried: list[str] = []
    for name, (path, label) in VISIT_SIGNS.items():
        section, field = path.split(".")
        value = getattr(visit, name)
        if name == "pustules" and value is not None:
            value = "compatible" if value else "insufficient"
        names[path] = f"visit.{name}"
        if value is None and healed:
            value = _HEALED.get(name)
        elif value is None:
            value = getattr(getattr(findings, section), field)
            if value is not None:
                carried.append(label)
                names[path] = f"{path} (presentation day)"
        sections[section][field] = value
    if healed:
        labs = findings.labs
        judged = Findings.model_validate(
            {
                "schema": "triage.findings/1",
                "patient": {"age_years": findings.patient.age_years},
                "eruption": sections["eruption"],
                "systemic": dict(sections["systemic"],
                                 organ_involvement=findings.systemic.organ_involvement),
                "labs": {
                    "alt_times_uln": labs.alt_times_uln,
                    "bilirubin_times_uln": labs.bilirubin_times_uln,
                    "inr": labs.inr,
                    "creatinine_times_baseline": labs.creatinine_times_baseline,
                },
            }
        )
    else:
        judged = findings.model_copy(update={
            "eruption": findings.eruption.model_copy(update=sections["eruption"]),
            "systemic": findings.systemic.model_copy(update=sections["systemic"]),
        })
    return VisitFindings(judged, healed, names, tuple(carried))
