"""Everything computed from one set of findings, and its JSON form (docs/findings.md)."""

from __future__ import annotations

from typing import Any, NamedTuple

from triage import __version__
from triage.derived import latency_days
from triage.findings import Drug, Findings
from triage.knowledge import DrugInfo, lookup, suggest
from triage.red_flags import Assessment, assess
from triage.scores import alden, naranjo
from triage.scores.base import ScoreResult
from triage.scores.operators import DEFAULT, Operators
from triage.scores.registry import EPISODE_SCORES

RESULT_SCHEMA = "triage.result/1"
RULES_VERSION = "docs/clinical-rules.md as of 2026-12; docs/findings.md triage.findings/1"


class DrugResult(NamedTuple):
    """One drug's causality scores and what the knowledge file says of it."""

    drug: Drug
    index: int  # type: ignore[assignment]  # the drug's place; shadows tuple.index
    info: DrugInfo | None
    alden: ScoreResult | None
    naranjo: ScoreResult

    @property
    def latency_days(self) -> int | None:
        return latency_days(self.drug)

    @property
    def notoriety(self) -> str:
        """The drug's notoriety: the findings file's, else its list entry's, else
        "unknown" (never guessed)."""
        listed = self.info.notoriety.value if self.info and self.info.notoriety else "unknown"
        return self.drug.notoriety or listed

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.drug.name, "latency_days": self.latency_days}
        data["alden"] = self.alden.as_json() if self.alden else None
        if self.alden is None:
            data["alden_reason"] = alden.NOT_SCORED
        data["naranjo"] = self.naranjo.as_json()
        data["knowledge"] = _knowledge_json(self.info, self.drug.name)
        return data


#: What the summaries say beside a drug that is on no list (issue 18).
NOT_LISTED = "notoriety unknown: not on the lists (never guessed)"


def _knowledge_json(info: DrugInfo | None, name: str) -> dict[str, Any]:
    if info is None:
        return {"matched": None, "note": NOT_LISTED, "did_you_mean": suggest(name)}

    def fact(f: Any) -> dict[str, Any] | None:
        if f is None:
            return None
        out = {"value": f.value, "source": f.source, "evidence": f.evidence}
        if f.via:
            out["via_class"] = f.via
        if f.note:
            out["note"] = f.note
        return out

    return {
        "matched": info.name,
        "classes": list(info.class_labels),
        "biological": info.biological,
        "alden_notoriety": fact(info.notoriety),
        "agep_risk": fact(info.agep_risk),
        "dress_risk": fact(info.dress_risk),
        "cross_reactivity": None
        if info.cross_reactivity is None
        else {k: v for k, v in info.cross_reactivity._asdict().items() if k != "id" and v},
        "pharmacogenetics": [g._asdict() for g in info.pharmacogenetics],
        "half_life_hours": fact(info.half_life),
    }


class Result(NamedTuple):
    """The scores, per-drug causality and triage level of one set of findings."""

    findings: Findings
    scores: tuple[ScoreResult, ...]
    drugs: tuple[DrugResult, ...]
    triage: Assessment
    operators: Operators

    def score(self, id: str) -> ScoreResult:
        """One of the episode scores by id."""
        return next(s for s in self.scores if s.id == id)

    def decisions(self) -> list[str]:
        """Every project decision (docs/decisions.md) that an item applied, score by score."""
        out = [f"{s.name}: {d}" for s in self.scores for d in s.decisions]
        for d in self.drugs:
            for s in (d.alden, d.naranjo):
                if s is not None:
                    out += [f"{s.name} ({d.drug.name}): {x}" for x in s.decisions]
        return out

    def as_json(self) -> dict[str, Any]:
        """The JSON result of docs/findings.md."""
        return {
            "schema": RESULT_SCHEMA,
            "scores": {s.id: s.as_json() for s in self.scores},
            "drugs": [d.as_json() for d in self.drugs],
            "triage": self.triage.as_json(),
            "decisions": self.decisions(),
            "provenance": {
                "triage_version": __version__,
                "rules": RULES_VERSION,
                "operators_changed": self.operators.changed(),
            },
        }


def evaluate(findings: Findings, operators: Operators = DEFAULT) -> Result:
    """Score `findings`: the three episode scores, ALDEN and Naranjo per drug, triage."""
    scores = tuple(s.score(findings, operators) for s in EPISODE_SCORES)
    drugs = findings.drugs or []
    infos = [lookup(d.name) for d in drugs]
    alden_results = alden.score_all(findings)
    drug_results = tuple(
        DrugResult(d, i, infos[i], alden_results[i], naranjo.score(d, i))
        for i, d in enumerate(drugs)
    )
    result = Result(findings, scores, drug_results, assess(findings), operators)
    if not any(naranjo.reports_listed(d, info) for d, info in zip(drugs, infos, strict=True)):
        return result
    # Naranjo's question 1 is about this reaction: the knowledge answers it for the
    # patterns considered, which read the episode scores, the level and the latencies,
    # never Naranjo, so one pass settles it. The import is here because the patterns
    # read a Result.
    from triage.assessment import considered_patterns

    considered = considered_patterns(findings, result)
    return result._replace(drugs=tuple(
        r._replace(naranjo=naranjo.score(r.drug, r.index, r.info, considered))
        for r in drug_results
    ))
