"""Shared helpers: findings built from dicts, and the shared cases beside the project."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from triage.findings import SCHEMA, Findings
from triage.result import Result, evaluate
from triage.scores.operators import DEFAULT, Operators

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the project (TRIAGE_SHARED overrides); a missing one fails loudly."""
    path = Path(os.environ.get("TRIAGE_SHARED", ROOT.parent / "shared"))
    if not (path / "cases").is_dir():
        pytest.fail(f"the shared cases are missing: {path / 'cases'} (set TRIAGE_SHARED)")
    return path


def findings(**sections: Any) -> Findings:
    """Findings from keyword sections, e.g. findings(eruption={"pustules": "typical"})."""
    return Findings.model_validate({"schema": SCHEMA, **sections})


def result(ops: Operators = DEFAULT, **sections: Any) -> Result:
    """Evaluate findings built from keyword sections."""
    return evaluate(findings(**sections), ops)


def items(score: Any) -> dict[str, Any]:
    """A score's items by id."""
    return {i.id: i for i in score.items}
