"""The architecture as contracts (issue 20 §6), checked by import-linter: the core never
imports the UI, Textual or the CLI; the UI never reaches the store; the ground floor
imports nothing above it. The contracts are in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_every_contract_is_kept():
    done = _lint()
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_a_broken_contract_is_caught(tmp_path):
    """The checker would see a breach: the result does import the scores."""
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "triage"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "a breach"\n'
                      'type = "forbidden"\nsource_modules = ["triage.result"]\n'
                      'forbidden_modules = ["triage.scores"]\n')
    done = _lint("--config", str(config))
    assert done.returncode == 1
    assert "a breach BROKEN" in done.stdout
