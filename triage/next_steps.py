"""Next steps: the rules of `rules/next_steps.yaml` applied to one episode.

Each recommendation has an id, its text, the answers or scores it rests on (`because`)
and its source. The computations a rule needs beyond the findings and scores (could a
biopsy move EuroSCAR? when to follow up? the patch-test window) live here, named.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from triage import drug_advice
from triage.assessment import Assessment, SkinSoFar
from triage.findings import Findings
from triage.numbers import signed
from triage.result import Result
from triage.scores import eurosar, regiscar
from triage.scores.base import band_of

RULES_FILE = Path(__file__).parent / "rules" / "next_steps.yaml"

PATCH_STRENGTH = (  # strongest first (S2k guideline Box 21, docs/clinical-rules.md, next steps)
    ("agep", "shall be performed", "AGEP"),
    ("dress", "should be performed", "DRESS"),
    ("sjs_ten", "can be considered", "SJS/TEN"),
)
SCAR = ("agep", "dress", "sjs_ten")
#: The emergency red flags that point to SJS/TEN (red_flags.TRIGGERS); any one of them sends
#: a patient in whom SJS/TEN is considered to a burn unit or ICU (docs/decisions.md).
SJS_TEN_FLAGS = (
    "nikolsky",
    "detachment_10",
    "detachment_with_targets_or_mucosa",
    "early_sjs_ten",
    "mucosa_severe",
)
REACTION_NAMES = {"agep": "AGEP", "dress": "DRESS", "sjs_ten": "SJS/TEN"}


class Rule(NamedTuple):
    """One recommendation rule from the data file."""

    id: str
    when: str
    text: str
    because: tuple[str, ...]
    source: str
    #: The section of docs/ that explains the rule (docs/clinical-rules.md#<id>).
    docs: str


class Step(NamedTuple):
    """A recommendation that applies, with its reasons and source."""

    id: str
    text: str
    because: tuple[str, ...]
    source: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "because": list(self.because),
            "source": self.source,
        }


class RulesError(ValueError):
    """The rules file is malformed (a maintainer's error, named precisely)."""


@cache
def rules() -> tuple[str, tuple[Rule, ...]]:
    """The rules version and the rules, read once."""
    from triage.yamlio import load_file

    data = load_file(RULES_FILE, "next_steps.yaml").data
    if not isinstance(data, dict) or data.get("schema") != "triage.next_steps/1":
        raise RulesError("next_steps.yaml: expected 'schema: triage.next_steps/1'")
    out, seen = [], set()
    for index, raw in enumerate(data.get("rules") or []):
        missing = {"id", "when", "text", "source", "docs"} - set(raw)
        unknown = set(raw) - {"id", "when", "text", "because", "source", "docs"}
        if missing or unknown:
            raise RulesError(
                f"next_steps.yaml: rules[{index}]: missing {sorted(missing)}, "
                f"unknown {sorted(unknown)}"
            )
        if raw["id"] in seen:
            raise RulesError(f"next_steps.yaml: rules[{index}]: duplicate id {raw['id']!r}")
        seen.add(raw["id"])
        out.append(
            Rule(raw["id"], raw["when"], raw["text"], tuple(raw.get("because") or ()),
                 raw["source"], raw["docs"])
        )
    return str(data.get("rules_version", "")), tuple(out)


# Record and field separators of the combined rules template's output; user text can
# never contain them (they are stripped from every value the template prints).
_RECORD, _FIELD = "\x1e", "\x1f"


def _strip_separators(value: Any) -> Any:
    # Every value the template prints passes here: user text cannot forge a separator.
    if isinstance(value, str):
        return value.replace(_RECORD, " ").replace(_FIELD, " ")
    return value


@cache
def _combined() -> Any:
    """All rules as one template (one compile, cached between runs): for each rule that
    holds, its id, its text and its reasons, separated."""
    from triage.dialog.conditions import template

    _, all_rules = rules()
    parts = []
    for rule in all_rules:
        fields = _FIELD.join([rule.id, rule.text, *rule.because])
        parts.append(f"{{% if {rule.when} %}}{_RECORD}{fields}{{% endif %}}")
    return template("".join(parts), finalize=_strip_separators)


def load() -> None:
    """Read and compile the rules now rather than on first use (before a batch forks its
    workers, so that they inherit them instead of each doing it)."""
    _combined()


def _biopsy_outcomes(
    result: Result, score_id: str, item_id: str, options: tuple[int, ...], bands: Any, name: str
) -> dict[str, Any]:
    """Whether a biopsy result could move a score's category: the category of the total
    with each possible result in place of the unknown one (other unknowns staying as they
    are), compared."""
    score = result.score(score_id)
    without = score.total - next(i.points for i in score.items if i.id == item_id)
    outcomes: dict[str, list[str]] = {}
    for points in sorted(set(options)):
        outcomes.setdefault(band_of(bands, without + points), []).append(signed(points))
    text = [f"{', '.join(points)} -> {category}" for category, points in outcomes.items()]
    return {"decides": len(outcomes) > 1, "outcomes": text, "score": name}


def context_triage(result: Result, result_json: dict[str, Any] | None) -> dict[str, Any]:
    """The triage the summary shows: at a follow-up visit, the visit's."""
    return result_json["triage"] if result_json is not None else result.triage.as_json()


class Episode(NamedTuple):
    """What a follow-up visit's summary needs of the visits before it."""

    #: The presentation day's assessment day (days after the onset), if known.
    presented_day: int | None
    #: The days (after the onset) of the quick visits for SCORTEN so far, this one
    #: included.
    scorten_days: tuple[int | None, ...] = ()
    #: The SJS/TEN skin signs the visits before this one recorded.
    earlier: SkinSoFar | None = None


def scorten_again(findings: Findings, at_a_visit: bool,
                  episode: Episode | None) -> dict[str, Any] | None:
    """When SCORTEN is to be computed again: on day 3 of care, counting the presentation
    day as day 1 ({"day": None} when that day is unknown). At a visit, until that day has
    passed or a quick visit on it or later has recorded it; None when nothing is due."""
    today = findings.eruption.assessment_day
    if not at_a_visit:
        return {"day": None if today is None else today + 2}
    if episode is None:
        return None
    due = None if episode.presented_day is None else episode.presented_day + 2
    if any(day is not None and (due is None or day >= due) for day in episode.scorten_days):
        return None
    if due is None or today is None:
        return {"day": due}
    return {"day": due} if today <= due else None


def mucosal_sites_now(findings: Findings, at_a_visit: bool) -> list[str]:
    """The mucosal sites involved at this assessment: at a follow-up visit, those recorded
    at it (none once the skin has healed; the reaction's when the visit did not record
    them), else the reaction's."""
    if not at_a_visit:
        return list(findings.eruption.mucosal_sites or [])
    from triage.visit_level import at_visit

    return list(at_visit(findings).findings.eruption.mucosal_sites or [])


def histology_outcomes(findings: Findings, result: Result) -> dict[str, Any]:
    """Whether a histology result could move the EuroSCAR category."""
    if findings.histology.agep_pattern is not None:
        return {"decides": False, "outcomes": [], "score": eurosar.SHORT}
    return _biopsy_outcomes(
        result, "eurosar_agep", "histology", tuple(eurosar.HISTOLOGY_POINTS.values()),
        eurosar.BANDS, eurosar.SHORT,
    )


def dress_biopsy_outcomes(findings: Findings, result: Result) -> dict[str, Any]:
    """Whether a biopsy read as suggesting DRESS or not could move the RegiSCAR category
    (item 5c: no -1; yes or unknown 0)."""
    if findings.histology.suggests_dress is not None:
        return {"decides": False, "outcomes": [], "score": regiscar.SHORT}
    return _biopsy_outcomes(
        result, regiscar.ID, "biopsy", (-1, 0), regiscar.BANDS, regiscar.SHORT
    )


def follow_up(findings: Findings, result: Result, considered: list[str]) -> dict[str, Any] | None:
    """The day that completes the pending course items, and which they are."""
    items = []
    agep, dress = result.score("eurosar_agep"), result.score("regiscar_dress")
    pending = {(s.id, i.id) for s in (agep, dress) for i in s.items if not i.known}
    if "agep" in considered and ("eurosar_agep", "resolution") in pending:
        items.append("whether the skin had cleared by day 15 (EuroSCAR)")
    if "agep" in considered and ("eurosar_agep", "postpustular_desquamation") in pending:
        items.append("post-pustular desquamation")
    if "dress" in considered and ("regiscar_dress", "resolution") in pending:
        items.append("whether the reaction lasted 15 days or more (RegiSCAR)")
    if "agep" in considered and ("eurosar_agep", "histology") in pending:
        items.append("the biopsy result")
    if not items:
        return None
    # Day 16 settles both "resolved by day 15" and "15 days or more".
    day = max(16, (findings.eruption.assessment_day or 0) + 1)
    return {"day": day, "items": items}


def patch_testing(findings: Findings, considered: list[str], day: Any) -> dict[str, Any] | None:
    """Strength by the strongest considered pattern, and the window as dates if known."""
    for phenotype, strength, name in PATCH_STRENGTH:
        if phenotype in considered:
            healed = findings.eruption.resolution_day
            if healed is not None:
                window = (
                    f"from {day(healed + 42)} to {day(healed + 182)} (6 weeks to 6 "
                    f"months after the skin healed on {day(healed)})"
                )
            else:
                window = "6 weeks to 6 months after the skin has healed"
            return {"strength": strength, "phenotype": name, "window": window}
    return None


def patch_results(findings: Findings) -> list[dict[str, str]]:
    """The drugs with a patch-test result (positive or negative), in the order listed."""
    return [{"name": d.name, "result": d.patch_test} for d in findings.drugs or []
            if d.patch_test in ("positive", "negative")]


def steps(
    findings: Findings,
    result: Result,
    assessment: Assessment,
    result_json: dict[str, Any] | None = None,
    episode: Episode | None = None,
) -> tuple[str, list[Step]]:
    """Every recommendation that applies, in the order of the rules file (`episode`: the
    visits before this one, at a follow-up visit)."""
    onset = findings.eruption.onset_date
    considered = assessment.considered
    # The level's own: at a visit, the visit's (none of the skin's flags once healed).
    triage = context_triage(result, result_json)
    at_a_visit = "visit_basis" in triage

    def day(n: int) -> str:
        if onset is None:
            return f"day {n}"
        return f"day {n} ({(onset + dt.timedelta(days=n)).isoformat()})"

    def known(score_id: str, item_id: str) -> bool:
        score = next(s for s in result.scores if s.id == score_id)
        return next(i for i in score.items if i.id == item_id).known

    culprits = [c.as_json() for c in assessment.culprits]
    tested = patch_results(findings)
    tested_names = {r["name"] for r in tested}
    drugs = [p.as_json() for p in drug_advice.plan(assessment)]
    record = [e.as_json() for e in drug_advice.allergy_record(assessment)]
    recorded = {e["name"] for e in record}
    context = {
        # The model itself: its fields read as attributes, without a dump per file or the
        # sandbox's failed attribute lookup before each dict key.
        "f": findings,
        "r": result_json if result_json is not None else result.as_json(),
        "considered": considered,
        "scar": any(p in considered for p in SCAR),
        "suspects": [c["name"] for c in culprits],
        "culprits": culprits,
        "stop_now": [p for p in drugs if p["stop_now"]],
        "review": [p for p in drugs if not p["stop_now"]],
        "record": record,
        "record_left_out": [c["name"] for c in culprits if c["name"] not in recorded],
        "day": day,
        "known": known,
        "histology": histology_outcomes(findings, result),
        "dress_histology": dress_biopsy_outcomes(findings, result),
        "follow_up": follow_up(findings, result, considered),
        "patch": patch_testing(findings, considered, day),
        "patch_results": tested,
        "untested": [c["name"] for c in culprits if c["name"] not in tested_names],
        "reaction": "/".join(REACTION_NAMES[p] for p in SCAR if p in considered),
        "sjs_flags": [f["text"] for f in triage["red_flags"] if f["id"] in SJS_TEN_FLAGS],
        "healed": triage.get("skin_healed", False),
        "mucosa": mucosal_sites_now(findings, at_a_visit),
        "scorten_again": scorten_again(findings, at_a_visit, episode),
        "skin": assessment.skin,
    }
    version, all_rules = rules()
    source = {rule.id: rule.source for rule in all_rules}
    from jinja2 import TemplateError

    try:
        rendered = _combined().render(**context)
    except (TemplateError, TypeError, ValueError) as exc:
        raise RulesError(f"next_steps.yaml: {type(exc).__name__}: {exc}") from None
    out = []
    for record in rendered.split(_RECORD)[1:]:
        rule_id, text, *reasons = (" ".join(part.split()) for part in record.split(_FIELD))
        out.append(Step(rule_id, text, tuple(r for r in reasons if r), source[rule_id]))
    return version, out
