"""What to do with each drug: which to stop now, which to review with the prescriber (and
how to stop them safely), and what the allergy record says of each suspect.

Pure functions over the findings, the scores and the culprit ranking (docs/decisions.md;
docs/clinical-rules.md, triage level and red flags; next steps). Every
entry carries its reasons in words.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from triage.assessment import Assessment, Culprit

#: "Drugs started in the 8 weeks before onset" (docs/clinical-rules.md: DRESS starts within
#: 8 weeks; Barbaud 2013 tested all drugs of the 2 months before).
RECENT_DAYS = 56
#: Systemic corticosteroids taken for more than 3 weeks are withdrawn gradually (BNF).
STEROID_TAPER_DAYS = 21
PROBABLE = {"alden": ("probable", "very_probable"), "naranjo": ("probable", "definite")}
HIGH_NOTORIETY = {
    "sjs_ten": "strongly associated with SJS/TEN",
    "agep": "on the EuroSCAR strong list for AGEP",
    "dress": "a frequent cause of DRESS",
}
PATTERN_NAMES = {"agep": "AGEP", "dress": "DRESS", "sjs_ten": "SJS/TEN",
                 "benign_exanthem": "a benign exanthem"}


class DrugPlan(NamedTuple):
    """One drug: stop now or review, why, and how to stop it safely."""

    name: str
    stop_now: bool
    reasons: tuple[str, ...]
    caution: str
    already_stopped: bool
    withdrawal: str  # taper | switch_under_neurology | "" (drug knowledge)
    #: Stopped for its timing alone (neither of high notoriety nor ranked probable): the
    #: one kind of stopped drug an essential need may argue for replacing, never continuing.
    timing_only: bool = False

    def as_json(self) -> dict[str, Any]:
        return self._asdict() | {"reasons": list(self.reasons)}


class RecordEntry(NamedTuple):
    """A suspect in the allergy record, with its own cross-reactivity group."""

    name: str
    role: str  # suspected culprit | co-suspect
    avoid: str
    caution: str
    instead: str
    source: str
    biological: bool
    pharmacogenetics: tuple[dict[str, str], ...]

    def as_json(self) -> dict[str, Any]:
        return self._asdict() | {"pharmacogenetics": list(self.pharmacogenetics)}


def _latency_excludes(c: Culprit) -> bool:
    """Started after the onset, or outside every considered pattern's possible window: not
    a suspect by its timing. A drug started on the day of onset fits AGEP (hours)."""
    days = c.drug.latency_days
    if days is None:
        return False
    return days < 0 or all(fit == "atypical" for fit in c.fits.values())


def _high_notoriety(c: Culprit, considered: list[str]) -> list[str]:
    info = c.drug.info
    out = []
    if "sjs_ten" in considered and c.drug.notoriety == "strongly_associated":
        out.append(HIGH_NOTORIETY["sjs_ten"])
    if "agep" in considered and info and info.agep_risk and info.agep_risk.value == "strong":
        out.append(HIGH_NOTORIETY["agep"])
    if "dress" in considered and info and info.dress_risk:
        out.append(HIGH_NOTORIETY["dress"])
    return out


def _probable(c: Culprit, considered: list[str]) -> list[str]:
    d = c.drug
    out = []
    if "sjs_ten" in considered and d.alden is not None and d.alden.category in PROBABLE["alden"]:
        out.append(f"ALDEN {d.alden.category.replace('_', ' ')}")
    if d.naranjo.category in PROBABLE["naranjo"]:
        out.append(f"Naranjo {d.naranjo.category}")
    return out


def _withdrawal(c: Culprit) -> str | None:
    info = c.drug.info
    return info.withdrawal.value if info and info.withdrawal else None


def plan(assessment: Assessment) -> list[DrugPlan]:
    """Every drug, in ranked order: stop now, or review with the prescriber.

    Stop now: drugs started in the 8 weeks before onset that their timing does not
    exclude, drugs of high notoriety for a pattern considered, and drugs ranked probable
    or above. Everything else is reviewed with the prescriber and continued if essential;
    a systemic corticosteroid taken for 3 weeks or more is never stopped at once.
    """
    considered = assessment.considered
    out = []
    for c in assessment.culprits:
        d = c.drug
        days = d.latency_days
        reasons: list[str] = []
        if days is None:
            reasons.append("first intake unknown")
        elif 0 <= days <= RECENT_DAYS and not _latency_excludes(c):
            reasons.append("started on the day of onset" if days == 0
                           else f"started {days} days before the onset")
        elif days > RECENT_DAYS and not _latency_excludes(c):
            # Beyond 8 weeks but inside a considered pattern's possible window (DRESS, up
            # to 90 days): a suspect the allergy record names is never left running.
            fitting = [PATTERN_NAMES[p] for p, fit in c.fits.items() if fit != "atypical"]
            reasons.append(f"started {days} days before the onset, a latency still possible "
                           f"for {', '.join(fitting)}")
        timing = bool(reasons)
        strong = _high_notoriety(c, considered) + _probable(c, considered)
        reasons += strong
        withdrawal = _withdrawal(c)
        # How long it has been taken: up to its last dose, or to this assessment.
        taken = None if days is None else days + (
            d.drug.stop_day if d.drug.stop_day is not None
            else (assessment.assessment_day or 0)
        )
        long_steroid = withdrawal == "taper" and (taken is None or taken >= STEROID_TAPER_DAYS)
        stop_now = bool(reasons) and not long_steroid
        caution = ""
        if withdrawal == "taper" and long_steroid:
            caution = (
                "a systemic corticosteroid taken for 3 weeks or more"
                if days is not None
                else "a systemic corticosteroid: if taken for 3 weeks or more"
            ) + ": taper it with the prescriber, never stop it abruptly (adrenal crisis)"
        elif withdrawal == "switch_under_neurology":
            caution = (
                "an antiepileptic: cover seizures at once with a structurally unrelated one, "
                "under neurology"
                if stop_now
                else "an antiepileptic: never just stopped; if it must go, switch to a "
                "structurally unrelated one under neurology"
            )
        if not stop_now and not reasons:
            if days is not None and days > RECENT_DAYS:
                reasons.append(f"taken for {days} days before the onset")
            elif days is not None and days < 0:
                reasons.append("started after the onset")
            elif days is not None:
                reasons.append(
                    "its timing fits none of the patterns considered ("
                    + ", ".join(PATTERN_NAMES[p] for p in c.fits)
                    + ")"
                )
        already = d.drug.stop_day is not None or d.drug.dechallenge == "stopped"
        out.append(
            DrugPlan(d.drug.name, stop_now, tuple(reasons), caution, already, withdrawal or "",
                     stop_now and timing and not strong)
        )
    return out


def _stays_suspect(c: Culprit, considered: list[str]) -> bool:
    """Whether a drug belongs in the allergy record: not excluded by its timing, and not
    unlikely by ALDEN over every total still reachable, where ALDEN applies."""
    if _latency_excludes(c) or c.drug.latency_days is None:
        # Unknown timing: a lifelong label waits until the first intake is known.
        return False
    alden = c.drug.alden
    return not ("sjs_ten" in considered and alden is not None and alden.max < 2)


def allergy_record(assessment: Assessment) -> list[RecordEntry]:
    """The suspects that stay suspect, each with its own cross-reactivity group; nothing is
    pooled across suspects, and no class is listed that is not the suspect's own."""
    considered = assessment.considered
    out: list[RecordEntry] = []
    for c in assessment.culprits:
        if not _stays_suspect(c, considered):
            continue
        info = c.drug.info
        name = c.drug.drug.name
        group = info.cross_reactivity if info else None
        out.append(
            RecordEntry(
                name,
                "suspected culprit" if not out else "co-suspect",
                group.avoid if group else name,
                group.caution if group else "",
                group.instead if group else "",
                group.source if group else "",
                bool(info and info.biological),
                tuple(g._asdict() for g in info.pharmacogenetics) if info else (),
            )
        )
    return out
