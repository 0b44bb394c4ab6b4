"""The findings model: the format of docs/findings.md, field by field.

Every field is optional: a missing key or null is *unknown*, never *no*. `false`, `0` and
`[]` are answers. Unknown keys are errors, so that a misspelt key never turns a clinician's
answers into "unknown" without a word.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from triage import validation
from triage.errors import Problem
from triage.numbers import fmt_number
from triage.plain_text import one_line
from triage.yamlio import Document, load_file, parse

SCHEMA = "triage.findings/1"
MAX_DRUGS = 500

Grade = Literal["typical", "compatible", "insufficient"]
MucosalSite = Literal["oral", "ocular", "genital", "nasal", "anal", "pharyngeal"]
Organ = Literal["liver", "kidney", "lung", "heart", "muscle", "pancreas", "thyroid", "gut", "other"]
WorkupResult = Literal["negative", "positive", "not_done"]
Notoriety = Literal["strongly_associated", "associated", "suspected", "unknown", "not_suspected"]
PreviousExposure = Literal[
    "same_drug_same_reaction",
    "similar_drug_same_reaction",
    "same_drug_other_reaction",
    "similar_drug_other_reaction",
    "tolerated",
    "none",
]
HistologyPattern = Literal[
    "other_disease",
    "not_representative",
    "neutrophil_exocytosis",
    "pustules",
    "spongiform_pustules",
    "spongiform_pustules_with_papillary_edema",
]


def _yes_no(value: Any) -> Any:
    # YAML 1.1 reads a bare `yes`/`no` as a boolean; the clinician meant the word.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


YesNoUnknown = Annotated[Literal["yes", "no", "unknown"], BeforeValidator(_yes_no)]

#: Day numbers are relative to the index day (day 0, the day the eruption began). A
#: long-term drug may have been started decades before, hence the wide range.
Day = Annotated[StrictInt, Field(ge=-36500, le=36500)]
Percent = Annotated[float, Field(ge=0, le=100)]


#: The vital signs, shared by the reaction's (Systemic) and a follow-up visit's (Visit).
Temperature = Annotated[float, Field(ge=30, le=45)]
HeartRate = Annotated[StrictInt, Field(ge=20, le=300)]
SystolicBP = Annotated[StrictInt, Field(ge=20, le=300)]
SpO2 = Annotated[float, Field(ge=40, le=100)]
RespiratoryRate = Annotated[StrictInt, Field(ge=0, le=150)]

def _unique(values: list[str] | None, what: str) -> list[str] | None:
    if values is None:
        return None
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate",
                "'{value}' is listed twice; list each {what} once",
                {"value": value, "what": what},
            )
        seen.add(value)
    return values


class _Model(BaseModel):
    # strict: a quoted "38.5" or a `true` age is a mistake to report, not to coerce.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Patient(_Model):
    """Who the patient is, as far as the scores need it."""

    age_years: Annotated[StrictInt, Field(ge=0, le=130)] | None = None
    sex: Literal["female", "male", "other"] | None = None
    malignancy: StrictBool | None = None
    psoriasis_history: StrictBool | None = None
    organ_dysfunction_or_interaction: StrictBool | None = None


def _iso_date(value: Any) -> Any:
    # JSON carries dates as text; YAML reads a bare 2026-11-20 as a date already.
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_format", "'{value}' is not a date (YYYY-MM-DD)", {"value": value}
            ) from None
    return value


class Eruption(_Model):
    """The skin: course, extent and morphology."""

    #: The calendar date of day 0 (an addition to the spec: it lets next steps give dates).
    onset_date: Annotated[dt.date | None, BeforeValidator(_iso_date)] = None
    assessment_day: Annotated[StrictInt, Field(ge=0, le=36500)] | None = None
    acute_onset: StrictBool | None = None
    resolution_day: Annotated[StrictInt, Field(ge=0, le=36500)] | None = None
    #: A day the skin was seen still active, not yet cleared (an addition to the spec,
    #: revised 2026-12). The course items read it; the day of an assessment says nothing
    #: about the skin unless an answer does.
    last_active_day: Annotated[StrictInt, Field(ge=0, le=36500)] | None = None
    rash_bsa_percent: Percent | None = None
    #: The extent given as a bound where only a threshold matters ("> 50": more than 50 %
    #: of the body surface), when no number is given.
    rash_bsa_bound: Annotated[str, Field(pattern=r"^[<>] (100|\d{1,2}(\.\d+)?)$")] | None = None
    detachment_bsa_percent: Percent | None = None
    pustules: Grade | None = None
    erythema: Grade | None = None
    distribution: Grade | None = None
    postpustular_desquamation: StrictBool | None = None
    blisters: StrictBool | None = None
    atypical_targets: StrictBool | None = None
    nikolsky: StrictBool | None = None
    skin_pain: StrictBool | None = None
    facial_edema: StrictBool | None = None
    infiltration: StrictBool | None = None
    purpura: StrictBool | None = None
    scaling: StrictBool | None = None
    mucosal_sites: list[MucosalSite] | None = None

    @field_validator("last_active_day")
    @classmethod
    def _active_before_cleared(cls, value: int | None, info: ValidationInfo) -> int | None:
        cleared = info.data.get("resolution_day")
        if value is not None and cleared is not None and value > cleared:
            raise PydanticCustomError(
                "active_after_cleared",
                "{value} is after resolution_day {cleared} (the day the skin had cleared)",
                {"value": value, "cleared": cleared},
            )
        return value

    @field_validator("mucosal_sites")
    @classmethod
    def _sites_once(cls, value: list[str] | None) -> list[str] | None:
        return _unique(value, "site")

    @field_validator("rash_bsa_bound")
    @classmethod
    def _bound_or_number(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("rash_bsa_percent") is not None:
            raise PydanticCustomError("bound_and_number",
                                      "a bound and a number for the same extent", {})
        return value


class Systemic(_Model):
    """Fever, pulse, lymph nodes and internal organs."""

    temperature_max_c: Temperature | None = None
    heart_rate_bpm: HeartRate | None = None
    # Vital signs beyond the heart rate (additions to the spec, revised 2026-12): the
    # NEWS2 single-parameter red scores are emergency triggers.
    systolic_bp_mmhg: SystolicBP | None = None
    vasopressors: StrictBool | None = None
    spo2_percent: SpO2 | None = None
    respiratory_rate_per_min: RespiratoryRate | None = None
    new_confusion: StrictBool | None = None
    enlarged_lymph_node_sites: Annotated[StrictInt, Field(ge=0, le=30)] | None = None
    organ_involvement: list[Organ] | None = None

    @field_validator("organ_involvement")
    @classmethod
    def _organs_once(cls, value: list[str] | None) -> list[str] | None:
        return _unique(value, "organ")


class DressWorkup(_Model):
    """RegiSCAR item 8: the tests that exclude other causes."""

    ana: WorkupResult | None = None
    blood_culture: WorkupResult | None = None
    hepatitis_serology: WorkupResult | None = None
    mycoplasma_chlamydia: WorkupResult | None = None
    other: WorkupResult | None = None


def _not_above_leukocytes(value: float | None, info: ValidationInfo) -> float | None:
    leukocytes = info.data.get("leukocytes_per_mm3")
    if value is not None and leukocytes is not None and value > leukocytes:
        raise PydanticCustomError(
            "above_leukocytes",
            "{value} is more than leukocytes_per_mm3 {leukocytes}; check the units",
            {"value": fmt_number(value), "leukocytes": fmt_number(leukocytes)},
        )
    return value


#: The laboratory values that may be reported "normal" (each has a reference interval).
NormalLab = Literal["leukocytes_per_mm3", "neutrophils_per_mm3", "eosinophils_per_mm3",
                    "urea_mmol_per_l", "glucose_mmol_per_l", "bicarbonate_mmol_per_l",
                    "alt_times_uln", "bilirubin_times_uln", "inr"]


class Labs(_Model):
    """Peak (or worst) values during the reaction, in canonical units."""

    # Physiological limits, wide enough for hyperleukocytosis and severe uraemia or
    # hyperglycaemia; a value beyond them is a unit or typing error.
    leukocytes_per_mm3: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    neutrophils_per_mm3: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    eosinophils_per_mm3: Annotated[float, Field(ge=0, le=500_000)] | None = None
    eosinophils_percent: Percent | None = None
    atypical_lymphocytes: StrictBool | None = None
    urea_mmol_per_l: Annotated[float, Field(ge=0, le=200)] | None = None
    bicarbonate_mmol_per_l: Annotated[float, Field(ge=0, le=60)] | None = None
    glucose_mmol_per_l: Annotated[float, Field(ge=0, le=200)] | None = None
    # Organ injury by severity (additions to the spec, revised 2026-12), as multiples of
    # the laboratory's upper limit of normal or of the patient's baseline, so that no
    # reference range has to be guessed.
    alt_times_uln: Annotated[float, Field(ge=0, le=1000)] | None = None
    bilirubin_times_uln: Annotated[float, Field(ge=0, le=200)] | None = None
    inr: Annotated[float, Field(ge=0.5, le=20)] | None = None
    creatinine_times_baseline: Annotated[float, Field(ge=0.1, le=50)] | None = None
    dress_workup: DressWorkup | None = None
    #: Values reported "within normal limits" without their number; each counts as lying
    #: in its usual adult interval (triage/knowledge/reference_intervals.yaml).
    reported_normal: list[NormalLab] | None = None

    _neutrophils = field_validator("neutrophils_per_mm3")(_not_above_leukocytes)
    _eosinophils = field_validator("eosinophils_per_mm3")(_not_above_leukocytes)

    @field_validator("reported_normal")
    @classmethod
    def _normal_without_a_number(cls, value: list[str] | None, info: ValidationInfo
                                 ) -> list[str] | None:
        for name in value or ():
            if value is not None and value.count(name) > 1:
                raise PydanticCustomError("normal_twice", "{name} is listed twice",
                                          {"name": name})
            if info.data.get(name) is not None:
                raise PydanticCustomError(
                    "normal_and_number", "{name} has a number and is reported normal",
                    {"name": name})
        return value


class Histology(_Model):
    """The biopsy and the pustule culture."""

    agep_pattern: HistologyPattern | None = None
    suggests_dress: StrictBool | None = None
    pustule_culture: Literal["sterile", "positive", "not_done"] | None = None


class Naranjo(_Model):
    """Explicit answers to the ten Naranjo questions (yes | no | unknown)."""

    previous_reports: YesNoUnknown | None = None
    after_drug: YesNoUnknown | None = None
    improved_on_stop: YesNoUnknown | None = None
    reappeared_on_readministration: YesNoUnknown | None = None
    alternative_causes: YesNoUnknown | None = None
    placebo_reaction: YesNoUnknown | None = None
    toxic_concentration: YesNoUnknown | None = None
    dose_response: YesNoUnknown | None = None
    previous_similar_reaction: YesNoUnknown | None = None
    objective_evidence: YesNoUnknown | None = None


class Drug(_Model):
    """One drug taken in the 8 weeks before day 0."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    start_day: Day | None = None
    stop_day: Day | None = None
    ongoing_at_onset: StrictBool | None = None
    half_life_hours: Annotated[float, Field(gt=0, le=100_000)] | None = None
    notoriety: Notoriety | None = None
    previous_exposure: PreviousExposure | None = None
    dechallenge: Literal["stopped", "continued_without_harm"] | None = None
    naranjo: Naranjo | None = None
    # An addition to the spec (clearly optional): the result of patch testing this drug,
    # usually known only at follow-up. It feeds the next steps, not the scores (clinical
    # docs/clinical-rules.md, next steps: a negative result does not exclude the drug).
    patch_test: Literal["positive", "negative", "not_done"] | None = None

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        value = one_line(value)
        if not value:
            raise PydanticCustomError("blank_name", "a drug needs a name", {})
        return value

    @field_validator("stop_day")
    @classmethod
    def _stop_after_start(cls, value: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start_day")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError(
                "stop_before_start",
                "{value} is before start_day {start}",
                {"value": value, "start": start},
            )
        return value

    @field_validator("ongoing_at_onset")
    @classmethod
    def _ongoing_consistent(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        stop = info.data.get("stop_day")
        if value is True and stop is not None and stop < 0:
            raise PydanticCustomError(
                "ongoing_but_stopped",
                "true contradicts stop_day {stop} (stopped before day 0)",
                {"stop": stop},
            )
        if value is False and stop is not None and stop >= 0:
            # Last taken on day 0 or later: it was still taken on the day of the onset.
            raise PydanticCustomError(
                "stopped_but_taken_at_onset",
                "false contradicts stop_day {stop} (taken on or after day 0)",
                {"stop": stop},
            )
        return value

    @field_validator("dechallenge")
    @classmethod
    def _continued_after_onset(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Continued after the eruption began: it cannot have been stopped before it.
        stop = info.data.get("stop_day")
        if value == "continued_without_harm" and (
            (stop is not None and stop < 0) or info.data.get("ongoing_at_onset") is False
        ):
            when = f"stop_day {stop}" if stop is not None and stop < 0 else \
                "ongoing_at_onset false"
            raise PydanticCustomError(
                "continued_but_stopped",
                "continued_without_harm contradicts {when} (stopped before day 0)",
                {"when": when},
            )
        return value


class Visit(_Model):
    """The signs at a follow-up visit (an addition to the spec, revised 2026-12: the level
    of a visit is decided by the signs active at the visit). The rest of the findings keep
    describing the reaction as a whole (its highest temperature, its worst blood count).
    Each field mirrors the eruption's or the vital signs' field of the same name."""

    temperature_c: Temperature | None = None
    heart_rate_bpm: HeartRate | None = None
    systolic_bp_mmhg: SystolicBP | None = None
    vasopressors: StrictBool | None = None
    spo2_percent: SpO2 | None = None
    respiratory_rate_per_min: RespiratoryRate | None = None
    new_confusion: StrictBool | None = None
    detachment_bsa_percent: Percent | None = None
    nikolsky: StrictBool | None = None
    blisters: StrictBool | None = None
    atypical_targets: StrictBool | None = None
    mucosal_sites: list[MucosalSite] | None = None
    skin_pain: StrictBool | None = None
    facial_edema: StrictBool | None = None
    pustules: StrictBool | None = None

    @field_validator("mucosal_sites")
    @classmethod
    def _sites_once(cls, value: list[str] | None) -> list[str] | None:
        return _unique(value, "site")


class Findings(_Model):
    """One episode's findings: the input of every score."""

    schema_: Literal["triage.findings/1"] = Field(alias="schema")
    patient: Patient = Field(default_factory=Patient)
    eruption: Eruption = Field(default_factory=Eruption)
    systemic: Systemic = Field(default_factory=Systemic)
    labs: Labs = Field(default_factory=Labs)
    histology: Histology = Field(default_factory=Histology)
    #: No patient takes more; the bound keeps every file's work small (issue 19 §11).
    drugs: Annotated[list[Drug], Field(max_length=MAX_DRUGS)] | None = None
    visit: Visit | None = None

    @field_validator("patient", "eruption", "systemic", "labs", "histology", mode="before")
    @classmethod
    def _null_section(cls, value: Any) -> Any:
        # `eruption:` with nothing under it is YAML null: an empty section, all unknown.
        return {} if value is None else value


# --- reading and error reporting -------------------------------------------------------


_MISSING = {
    ("drugs", "*", "name"): "missing: every drug needs a name",
    ("drugs", "*", "name", "empty"): "a drug needs a name",
}


def problems_from(exc: ValidationError, doc: Document | None, source: str) -> list[Problem]:
    """One Problem per field of a findings validation error, with line numbers."""
    return validation.problems_from(exc, doc, source, Findings, _MISSING)


def from_document(doc: Document) -> Findings:
    """Validate a parsed document as findings, or raise InputError with every problem."""
    return validation.validate_document(doc, Findings, "a findings file", SCHEMA, _MISSING)


def load(path: Path, source: str | None = None) -> Findings:
    """Read, parse and validate a findings file (YAML or JSON)."""
    return from_document(load_file(path, source))


def loads(text: str, source: str = "<findings>") -> Findings:
    """Parse and validate findings from text."""
    return from_document(parse(text, source))
