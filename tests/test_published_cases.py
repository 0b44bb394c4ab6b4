"""Published case reports scored by the rules (issue 18): each findings file under
tests/cases/published/ carries its citation and what the paper reported; its expected file
lists the keys of the result that the published rules give, worked out by hand.

Where a paper's own arithmetic contradicts the rule, the expected file follows the rule
and says why. Where the tool cannot yet hold a fact the rule needs, the case is marked
here as an expected failure with the reason (strict: it fails once the tool can)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import subset
from triage import findings
from triage.result import evaluate

HERE = Path(__file__).parent / "cases" / "published"

#: Cases whose expected result needs what the findings cannot hold yet.
NOT_YET = {
    "ten-levofloxacin-digwoodlettieri2002": "'the beginning of mucosal sloughing' names no "
    "site, and mucosal_sites can only hold named sites",
}


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".findings.yaml") for p in HERE.glob("*.findings.yaml"))


def test_there_are_at_least_15_published_cases_each_with_a_citation():
    cases = _cases()
    assert len(cases) >= 15
    for name in cases:
        head = (HERE / f"{name}.findings.yaml").read_text(encoding="utf-8").split("schema:")[0]
        assert "Citation:" in head or "Source:" in head, name
        assert (HERE / f"{name}.expected.yaml").exists(), name


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[n]))
     if n in NOT_YET else n for n in _cases()],
)
def test_published_case(name):
    result = evaluate(findings.load(HERE / f"{name}.findings.yaml")).as_json()
    expected = yaml.safe_load((HERE / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    assert subset(expected, result, name) == []


def _summaries():
    """(name, summary) of every published case and every example."""
    from triage.cli import _load_dialog
    from triage.summary import summarize, summarize_interview
    from triage.transcript import load, replay

    root = HERE.parents[2]
    out = [(n, summarize(findings.load(HERE / f"{n}.findings.yaml"))) for n in _cases()]
    out += [(p.name, summarize(findings.load(p))) for p in sorted(
        (root / "examples").glob("*.findings.yaml"))]
    dialog = _load_dialog(None)
    for path in sorted((root / "examples").glob("*.transcript.yaml")):
        script, doc = load(path, path.name)
        out.append((path.name, summarize_interview(replay(script, dialog, path.name, doc))))
    return out


def test_no_record_avoids_a_class_that_is_not_the_suspects_own_group():
    from triage.knowledge import lookup

    checked = 0
    for name, summary in _summaries():
        record = next((s for s in summary["next_steps"] if s["id"] == "allergy_record"), None)
        if record is None:
            continue
        # Each entry names its own drug ("SJS/TEN to X"); what it avoids must be X itself
        # or X's own cross-reactivity group, never another suspect's or a class.
        for drug, avoid in re.findall(r'"[^"]*? to ([^"]+)" \((?:suspected culprit|co-suspect)\): '
                                      r"avoid (.+?)(?:; |\. |\.$)", record["text"]):
            checked += 1
            info = lookup(drug)
            own = {drug} | ({info.cross_reactivity.avoid}
                            if info is not None and info.cross_reactivity else set())
            assert avoid in own, (name, drug, avoid)
        assert "systemic corticosteroids" not in record["text"], name
    assert checked >= 15


def test_every_text_summary_fits_80_columns():
    from triage.render import render

    for name, summary in _summaries():
        text = render([(name, summary)], "text")
        wide = [line for line in text.splitlines() if len(line) > 80]
        assert wide == [], name
