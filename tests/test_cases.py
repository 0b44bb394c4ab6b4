"""The shared cases: each findings file scores to the keys its expected file lists."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import shared_dir, subset
from triage import findings
from triage.result import evaluate


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".findings.yaml")
                  for p in (shared_dir() / "cases").glob("*.findings.yaml"))


def test_there_are_shared_cases():
    assert len(_cases()) >= 2


@pytest.mark.parametrize("name", _cases())
def test_shared_case(name):
    cases = shared_dir() / "cases"
    result = evaluate(findings.load(cases / f"{name}.findings.yaml")).as_json()
    expected = yaml.safe_load((cases / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    assert subset(expected, result, name) == []
