"""The shared cases: each findings file scores to the keys its expected file lists."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conftest import shared_dir
from triage import findings
from triage.result import evaluate


def _cases() -> list[str]:
    return sorted(p.name.removesuffix(".findings.yaml")
                  for p in (shared_dir() / "cases").glob("*.findings.yaml"))


def _subset(expected: Any, actual: Any, path: str) -> list[str]:
    """Every key of `expected` must match `actual`; the rest of the result is free."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a mapping, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += _subset(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} entries, got {len(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += _subset(e, a, f"{path}[{i}]")
        return out
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def test_there_are_shared_cases():
    assert len(_cases()) >= 2


@pytest.mark.parametrize("name", _cases())
def test_shared_case(name):
    cases = shared_dir() / "cases"
    result = evaluate(findings.load(cases / f"{name}.findings.yaml")).as_json()
    expected = yaml.safe_load((cases / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    assert _subset(expected, result, name) == []
