"""Phenotype considerations, the AGEP differential, culprit ranking and the drug timeline.

Pure Python over findings and scores (docs/clinical-rules.md). Overlap is
allowed and expected: the tool lists what speaks for and against each reaction pattern;
it never states a single diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from triage.derived import eosinophils_absolute, latency_days
from triage.findings import Findings
from triage.numbers import fmt_number
from triage.result import DrugResult, Result

_LATENCY = "docs/clinical-rules.md, drug knowledge"

# --- typical latency (first intake to day 0) by phenotype (docs/clinical-rules.md) ---------


class Window(NamedTuple):
    """A phenotype's typical latency window in days, and a wider possible one."""

    typical: tuple[int, int]
    possible: tuple[int, int]
    source: str

    def fit(self, days: int | None) -> str:
        """typical | possible | atypical | unknown."""
        if days is None:
            return "unknown"
        if self.typical[0] <= days <= self.typical[1]:
            return "typical"
        if self.possible[0] <= days <= self.possible[1]:
            return "possible"
        return "atypical"

    def describe(self) -> str:
        low, high = self.typical
        return f"{low}-{high} days"


LATENCY = {
    # Antibiotics about 1 day, other drugs about 11 (Sidoroff 2007 [R]); 1-18 days in the
    # PMC5113146 latency table [V]; the seed case reports 7-12 days for non-antibiotics.
    "agep": Window((0, 18), (0, 28), _LATENCY + " (PMC5113146 table; Sidoroff 2007)"),
    # 4-28 days typical (PMC5113146, grepmed) [V]; risk up to 8 weeks (Klimas) [V].
    "sjs_ten": Window((4, 28), (1, 56), _LATENCY + " (PMC5113146; ALDEN 5-28 days)"),
    # 2-8 weeks (Am J Dermatopathol 2024, grepmed) [V]; median 22 days (Kardaun 2013) [V].
    "dress": Window((14, 56), (7, 90), _LATENCY + " (2-8 weeks; Kardaun 2013)"),
    # 4-9 days (PMC5113146) to 7-14 days (AccessEM) [V]; sooner on re-exposure.
    "benign_exanthem": Window((4, 14), (1, 21), _LATENCY + " (AccessEM; PMC5113146)"),
}

LABELS = {
    "agep": "AGEP (acute generalized exanthematous pustulosis)",
    "dress": "DRESS (drug reaction with eosinophilia and systemic symptoms)",
    "sjs_ten": "SJS/TEN (Stevens-Johnson syndrome / toxic epidermal necrolysis)",
    "benign_exanthem": "Benign drug exanthem (maculopapular)",
}


@dataclass
class Consideration:
    """One reaction pattern: whether it is considered, and what speaks for and against."""

    id: str
    label: str
    considered: bool = False
    evidence_for: list[str] = field(default_factory=list)
    evidence_against: list[str] = field(default_factory=list)
    note: str | None = None
    decide: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "considered": self.considered,
            "for": self.evidence_for,
            "against": self.evidence_against,
            "note": self.note,
            "what_would_decide": self.decide,
        }


@dataclass(frozen=True)
class SkinSoFar:
    """The reaction's SJS/TEN signs over its visits: the presentation's, joined to what
    each visit recorded (SJS/TEN that appears after the presentation is SJS/TEN, and SJS,
    overlap and TEN are told apart by the widest extent). None where nothing is known."""

    detachment: float | None = None
    nikolsky: bool | None = None
    blisters: bool | None = None
    atypical_targets: bool | None = None
    mucosal_sites: tuple[str, ...] | None = None


def skin_so_far(findings: Findings, earlier: SkinSoFar | None = None) -> SkinSoFar:
    """The signs of `findings` (the reaction's and, at a visit, the visit's) joined to
    those of the visits before it (`earlier`): a sign seen once stays seen."""
    er, visit = findings.eruption, findings.visit
    parts: list[SkinSoFar] = [SkinSoFar(
        er.detachment_bsa_percent, er.nikolsky, er.blisters, er.atypical_targets,
        None if er.mucosal_sites is None else tuple(er.mucosal_sites))]
    if visit is not None:
        parts.append(SkinSoFar(
            visit.detachment_bsa_percent, visit.nikolsky, visit.blisters,
            visit.atypical_targets,
            None if visit.mucosal_sites is None else tuple(visit.mucosal_sites)))
    if earlier is not None:
        parts.append(earlier)

    def seen(values: list[bool | None]) -> bool | None:
        return True if any(values) else False if False in values else None

    widths = [p.detachment for p in parts if p.detachment is not None]
    site_lists = [p.mucosal_sites for p in parts if p.mucosal_sites is not None]
    return SkinSoFar(
        max(widths) if widths else None,
        seen([p.nikolsky for p in parts]),
        seen([p.blisters for p in parts]),
        seen([p.atypical_targets for p in parts]),
        tuple(dict.fromkeys(s for sites in site_lists for s in sites)) if site_lists else None,
    )


def extent_class(detached: float | None) -> str | None:
    """SJS (< 10 %), SJS/TEN overlap (10-30 %), TEN (> 30 %) of detached BSA
    (docs/clinical-rules.md, SCORTEN)."""
    if detached is None:
        return None
    if detached == 0:
        return "no detachment"
    if detached < 10:
        return "SJS range (< 10 % BSA detached)"
    if detached <= 30:
        return "SJS/TEN overlap (10-30 % BSA detached)"
    return "TEN range (> 30 % BSA detached)"


def _num(value: float | None, unit: str = "") -> str:
    return "unknown" if value is None else f"{fmt_number(round(value, 1))}{unit}"


def _latencies(result: Result) -> list[tuple[str, int]]:
    return [(d.drug.name, d.latency_days) for d in result.drugs if d.latency_days is not None]


def _latency_evidence(c: Consideration, result: Result) -> None:
    window = LATENCY[c.id]
    known = _latencies(result)
    fits = [(name, days, window.fit(days)) for name, days in known]
    typical = [f"{n} ({d} days)" for n, d, fit in fits if fit == "typical"]
    if typical:
        c.evidence_for.append(f"latency in the typical {window.describe()}: " + ", ".join(typical))
    elif fits and all(fit == "atypical" for _, _, fit in fits):
        c.evidence_against.append(
            f"no drug started within the usual {window.describe()} before onset ("
            + ", ".join(f"{n}: {d} days" for n, d, _ in fits)
            + ")"
        )


def phenotypes(findings: Findings, result: Result,
               skin: SkinSoFar | None = None) -> list[Consideration]:
    """AGEP, DRESS, SJS/TEN and benign exanthem, each with its evidence (SJS/TEN's from
    the skin signs so far, `skin`: by default the reaction's and this visit's)."""
    er, sy, labs, hi = findings.eruption, findings.systemic, findings.labs, findings.histology
    agep_score = result.score("eurosar_agep")
    dress_score = result.score("regiscar_dress")
    sites = er.mucosal_sites
    eos = eosinophils_absolute(labs)
    level = result.triage.level

    agep = Consideration("agep", LABELS["agep"])
    if er.pustules in ("typical", "compatible"):
        agep.evidence_for.append(f"pustules graded {er.pustules}")
    elif er.pustules == "insufficient":
        agep.evidence_against.append("no pustules that can be graded")
    if er.erythema in ("typical", "compatible"):
        agep.evidence_for.append(f"erythema graded {er.erythema}")
    if er.distribution == "typical":
        agep.evidence_for.append("predominant in the folds and/or on the face")
    if sy.temperature_max_c is not None and sy.temperature_max_c >= 38.0:
        agep.evidence_for.append(f"fever {_num(sy.temperature_max_c, ' °C')}")
    if labs.neutrophils_per_mm3 is not None and labs.neutrophils_per_mm3 >= 7000:
        agep.evidence_for.append(f"neutrophils {_num(labs.neutrophils_per_mm3, '/mm³')}")
    if hi.agep_pattern in (
        "spongiform_pustules",
        "spongiform_pustules_with_papillary_edema",
        "pustules",
    ):
        agep.evidence_for.append(f"histology: {hi.agep_pattern.replace('_', ' ')}")
    if hi.agep_pattern == "other_disease":
        agep.evidence_against.append("histology read as another disease")
    if hi.pustule_culture == "positive":
        agep.evidence_against.append("pustule culture positive (infection?)")
    if sites is not None and len(sites) >= 2:
        agep.evidence_against.append(
            f"mucosal involvement at {len(sites)} sites (favours "
            "SJS/TEN; AGEP involves at most one, usually the lips)"
        )
    if er.detachment_bsa_percent is not None and er.detachment_bsa_percent >= 10:
        agep.evidence_against.append(f"detachment {_num(er.detachment_bsa_percent, ' %')} BSA")
    if findings.patient.psoriasis_history:
        agep.evidence_against.append("history of psoriasis (consider pustular psoriasis)")
    if agep_score.category in ("probable", "definite"):
        reach = "" if agep_score.complete else f"; reachable {agep_score.min} to {agep_score.max}"
        agep.evidence_for.append(f"EuroSCAR {agep_score.total} ({agep_score.category}{reach})")
    if agep_score.max <= 0:
        agep.evidence_against.append(f"EuroSCAR cannot exceed {agep_score.max} (no AGEP)")
    _latency_evidence(agep, result)
    # Without pustules there is no AGEP, whatever the other items add up to.
    agep.considered = er.pustules in ("typical", "compatible") or (
        er.pustules is None and agep_score.category in ("probable", "definite")
    )

    dress = Consideration("dress", LABELS["dress"])
    if sy.temperature_max_c is not None and sy.temperature_max_c >= 38.5:
        dress.evidence_for.append(f"fever {_num(sy.temperature_max_c, ' °C')}")
    if eos is not None and eos >= 700:
        dress.evidence_for.append(f"eosinophils {_num(eos, '/mm³')}")
    if labs.atypical_lymphocytes:
        dress.evidence_for.append("atypical lymphocytes")
    if sy.organ_involvement:
        dress.evidence_for.append("organ involvement: " + ", ".join(sy.organ_involvement))
    if er.facial_edema:
        dress.evidence_for.append("facial oedema")
    if sy.enlarged_lymph_node_sites is not None and sy.enlarged_lymph_node_sites >= 2:
        dress.evidence_for.append(f"lymph nodes at {sy.enlarged_lymph_node_sites} sites")
    if er.resolution_day is not None and er.resolution_day < 15:
        dress.evidence_against.append(
            f"resolved by day {er.resolution_day} (DRESS lasts 15 days or more)"
        )
    if dress_score.category in ("possible", "probable", "definite"):
        dress.evidence_for.append(f"RegiSCAR {dress_score.total} ({dress_score.category})")
    elif dress_score.max < 2:
        dress.evidence_against.append(f"RegiSCAR cannot reach 2 (at most {dress_score.max})")
    _latency_evidence(dress, result)
    dress.considered = dress_score.category != "no" or (
        dress_score.max >= 2 and len(dress.evidence_for) >= 2
    )

    sjs = Consideration("sjs_ten", LABELS["sjs_ten"])
    skin = skin_so_far(findings) if skin is None else skin
    ever = None if skin.mucosal_sites is None else list(skin.mucosal_sites)
    if skin.detachment:
        sjs.evidence_for.append(f"detachment {_num(skin.detachment, ' %')} BSA")
    if skin.nikolsky:
        sjs.evidence_for.append("positive Nikolsky sign")
    if skin.atypical_targets:
        sjs.evidence_for.append("atypical targets or dusky macules")
    if skin.blisters:
        sjs.evidence_for.append("blisters")
    if ever:
        sjs.evidence_for.append("mucosal involvement: " + ", ".join(ever))
    if er.skin_pain:
        sjs.evidence_for.append("skin pain")
    if ever == []:
        sjs.evidence_against.append("no mucosal involvement (present in almost every TEN)")
    if skin.detachment == 0 and skin.blisters is False and not skin.nikolsky:
        sjs.evidence_against.append("no detachment, blisters or Nikolsky sign")
    _latency_evidence(sjs, result)
    sjs.considered = bool(
        skin.detachment
        or skin.nikolsky
        or skin.blisters
        or skin.atypical_targets
        or (ever and len(ever) >= 2)
    )
    if sjs.considered:
        sjs.note = extent_class(skin.detachment)

    benign = Consideration("benign_exanthem", LABELS["benign_exanthem"])
    if level == "routine":
        benign.evidence_for.append("no red flag among the answers given")
    else:
        benign.evidence_against.append(f"red flags set the level to {level}")
    if er.pustules == "insufficient":
        benign.evidence_for.append("no pustules")
    if sy.temperature_max_c is not None and sy.temperature_max_c < 38.5:
        benign.evidence_for.append(f"no high fever ({_num(sy.temperature_max_c, ' °C')})")
    _latency_evidence(benign, result)
    benign.considered = level == "routine"
    if benign.considered and result.triage.unknown_red_flags:
        benign.note = "only while the unknown red flags listed above are not present"
    return [agep, dress, sjs, benign]


def considered_patterns(findings: Findings, result: Result) -> dict[str, bool]:
    """The reaction patterns considered (see `phenotypes`), each with whether it stays
    considered whatever the open answers turn out to be: SJS/TEN rests on signs that are
    present, AGEP on pustules graded typical or compatible, DRESS on a RegiSCAR total that
    cannot fall below 2 ("possible")."""
    settled = {
        "sjs_ten": True,
        "agep": findings.eruption.pustules in ("typical", "compatible"),
        "dress": result.score("regiscar_dress").min >= 2,
    }
    return {p.id: settled.get(p.id, False)
            for p in phenotypes(findings, result) if p.considered}


def agep_differentials(findings: Findings, considered: dict[str, bool]) -> list[Consideration]:
    """The AGEP differential of docs/clinical-rules.md, generalized pustular psoriasis first."""
    p, er, sy, hi = findings.patient, findings.eruption, findings.systemic, findings.histology
    sites = er.mucosal_sites

    gpp = Consideration(
        "pustular_psoriasis",
        "Generalized pustular psoriasis (von Zumbusch)",
        decide="skin biopsy: psoriasiform acanthosis and dilated, tortuous "
        "vessels favour psoriasis; eosinophils and necrotic keratinocytes "
        "favour AGEP (Kardaun 2010)",
    )
    if p.psoriasis_history:
        gpp.evidence_for.append("personal or family history of psoriasis")
    elif p.psoriasis_history is False:
        gpp.evidence_against.append("no history of psoriasis")
    if er.scaling:
        gpp.evidence_for.append("scaling")
    gpp.considered = bool(p.psoriasis_history) or p.psoriasis_history is None

    spd = Consideration(
        "subcorneal_pustular_dermatosis",
        "Subcorneal pustular dermatosis (Sneddon-Wilkinson)",
        decide="biopsy (subcorneal pustules without prominent spongiosis) "
        "and direct immunofluorescence to exclude IgA pemphigus",
    )
    if sy.temperature_max_c is not None and sy.temperature_max_c >= 38.0:
        spd.evidence_against.append("fever (SPD is usually afebrile)")
    if er.acute_onset:
        spd.evidence_against.append("acute onset (SPD is chronic and relapsing)")
    spd.considered = not spd.evidence_against

    dress = Consideration(
        "dress_with_pustules",
        "DRESS with pustules",
        decide="RegiSCAR score; latency 2-8 weeks; course of 15 days or more",
    )
    dress.considered = considered.get("dress", False)
    if dress.considered:
        dress.evidence_for.append("DRESS is considered (see above)")

    sjs = Consideration(
        "sjs_ten",
        "SJS/TEN (or AGEP mimicking TEN)",
        decide="biopsy: full-thickness epidermal necrosis (TEN) versus "
        "spongiform subcorneal pustules (AGEP)",
    )
    if sites is not None and len(sites) >= 2:
        sjs.evidence_for.append(f"mucosal involvement at {len(sites)} sites")
    if er.nikolsky:
        sjs.evidence_for.append("positive Nikolsky sign")
    if er.atypical_targets:
        sjs.evidence_for.append("atypical targets")
    sjs.considered = considered.get("sjs_ten", False)

    folliculitis = Consideration(
        "bacterial_folliculitis",
        "Bacterial folliculitis",
        decide="Gram stain and culture of a pustule",
    )
    if hi.pustule_culture == "positive":
        folliculitis.evidence_for.append("pustule culture positive")
    elif hi.pustule_culture == "sterile":
        folliculitis.evidence_against.append("pustules sterile")
    folliculitis.considered = hi.pustule_culture in ("positive", "not_done", None)

    vasculitis = Consideration(
        "pustular_vasculitis", "Pustular vasculitis", decide="biopsy: leukocytoclastic vasculitis"
    )
    if er.purpura:
        vasculitis.evidence_for.append("purpura")
    elif er.purpura is False:
        vasculitis.evidence_against.append("no purpura")
    vasculitis.considered = bool(er.purpura)
    return [gpp, spd, dress, sjs, folliculitis, vasculitis]


# --- culprits -------------------------------------------------------------------------

FIT_ORDER = {"typical": 0, "possible": 1, "unknown": 2, "atypical": 3}


class Culprit(NamedTuple):
    """One drug's place in the ranking, with what put it there."""

    rank: int
    drug: DrugResult
    fits: dict[str, str]
    basis: str

    def as_json(self) -> dict[str, Any]:
        d = self.drug
        info = d.info
        return {
            "rank": self.rank,
            "name": d.drug.name,
            "latency_days": d.latency_days,
            "latency_fit": self.fits,
            "alden": None
            if d.alden is None
            else {
                "total": d.alden.total,
                "category": d.alden.category,
                "min": d.alden.min,
                "max": d.alden.max,
            },
            "naranjo": {"total": d.naranjo.total, "category": d.naranjo.category},
            "notoriety": d.notoriety,
            "agep_risk": info.agep_risk.value if info and info.agep_risk else None,
            "dress_risk": info.dress_risk.value if info and info.dress_risk else None,
            "classes": list(info.class_labels) if info else [],
            "biological": bool(info and info.biological),
            "basis": self.basis,
        }


def culprits(result: Result, considered: list[str]) -> list[Culprit]:
    """Drugs ranked: ALDEN first when SJS/TEN is considered, else Naranjo; then the
    latency against the considered patterns; then notoriety."""
    use_alden = "sjs_ten" in considered
    patterns = considered or list(LATENCY)

    def fits(d: DrugResult) -> dict[str, str]:
        return {p: LATENCY[p].fit(d.latency_days) for p in patterns}

    def notoriety_rank(d: DrugResult) -> int:
        listed = d.notoriety
        agep = d.info.agep_risk.value if d.info and d.info.agep_risk else None
        order = {
            "strongly_associated": 0,
            "associated": 1,
            "suspected": 2,
            "unknown": 3,
            "not_suspected": 4,
        }[listed]
        if "agep" in considered and agep:
            order = min(order, 0 if agep == "strong" else 1)
        if "dress" in considered and d.info and d.info.dress_risk:
            order = 0
        return order

    def key(d: DrugResult) -> tuple[Any, ...]:
        primary = (-(d.alden.total) if d.alden else 99) if use_alden else -d.naranjo.total
        best_fit = min((FIT_ORDER[f] for f in fits(d).values()), default=2)
        return (primary, best_fit, notoriety_rank(d), d.index)

    basis = (
        "ALDEN (SJS/TEN is considered), then latency, then notoriety"
        if use_alden
        else "Naranjo, then latency against the considered patterns, then notoriety"
    )
    ranked = sorted(result.drugs, key=key)
    return [Culprit(i + 1, d, fits(d), basis) for i, d in enumerate(ranked)]


def timeline(findings: Findings) -> list[dict[str, Any]]:
    """Each drug's exposure against day 0: first intake, last intake or still taken."""
    rows = []
    for drug in findings.drugs or []:
        rows.append(
            {
                "name": drug.name,
                "start_day": drug.start_day,
                "stop_day": drug.stop_day,
                "ongoing_at_onset": drug.ongoing_at_onset,
                "latency_days": latency_days(drug),
            }
        )
    return rows


class Assessment(NamedTuple):
    """Everything the summary says beyond the scores."""

    phenotypes: list[Consideration]
    differentials: list[Consideration]
    culprits: list[Culprit]
    timeline: list[dict[str, Any]]
    assessment_day: int | None = None
    #: The SJS/TEN signs of the reaction over its visits.
    skin: SkinSoFar = SkinSoFar()

    @property
    def considered(self) -> list[str]:
        return [p.id for p in self.phenotypes if p.considered]

    def as_json(self) -> dict[str, Any]:
        return {
            "phenotypes": [p.as_json() for p in self.phenotypes],
            "considered": self.considered,
            "agep_differentials": [d.as_json() for d in self.differentials],
            "culprits": [c.as_json() for c in self.culprits],
            "timeline": self.timeline,
            "assessment_day": self.assessment_day,
            "latency_windows": {
                k: {
                    "typical_days": list(w.typical),
                    "possible_days": list(w.possible),
                    "source": w.source,
                }
                for k, w in LATENCY.items()
            },
            "note": "Reaction patterns can overlap; this lists evidence for each, it does "
            "not make a diagnosis.",
        }


def assess(findings: Findings, result: Result,
           earlier: SkinSoFar | None = None) -> Assessment:
    """Considerations, differentials, culprit ranking and timeline for one episode (at a
    visit, `earlier`: the skin signs the visits before it recorded)."""
    skin = skin_so_far(findings, earlier)
    considered_list = phenotypes(findings, result, skin)
    considered = {p.id: p.considered for p in considered_list}
    names = [p.id for p in considered_list if p.considered]
    differentials = agep_differentials(findings, considered) if considered["agep"] else []
    return Assessment(
        considered_list,
        differentials,
        culprits(result, names),
        timeline(findings),
        findings.eruption.assessment_day,
        skin,
    )
