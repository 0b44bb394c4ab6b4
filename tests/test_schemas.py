"""The committed JSON Schemas match the models (python -m triage.schemas rewrites them)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from triage.schemas import render, schemas


@pytest.mark.parametrize("name", sorted(schemas()))
def test_committed_schema_matches_the_model(name):
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == render(schemas()[name]), f"run python -m triage.schemas ({name})"


def test_the_default_dialog_names_its_schema():
    first = (ROOT / "dialogs" / "scar.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/dialog.schema.json"
