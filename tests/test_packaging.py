"""The built wheel works from any directory, and the code is ruff-clean and type-checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (built,) = out.glob("triage-*.whl")
    return built


def test_wheel_carries_templates_and_drug_data(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "triage/_content/templates/summary.md" in names
    assert "triage/_content/templates/summary.html" in names
    assert "triage/knowledge/drugs.yaml" in names
    assert "triage/_content/dialogs/scar.yaml" in names
    assert "triage/rules/next_steps.yaml" in names


def test_installed_wheel_scores_from_another_directory(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    seed = elsewhere / "seed.yaml"
    shutil.copy(ROOT / "examples" / "seed-agep-ivig.findings.yaml", seed)
    env = dict(os.environ, PYTHONPATH=str(target))
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, triage, triage.cli; print(triage.__file__);"
         "sys.exit(triage.cli.main(['score', 'seed.yaml', '--format', 'md']))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target))
    assert "EuroSCAR AGEP validation score: 11, definite" in done.stdout

    shutil.copy(ROOT / "examples" / "seed-agep-ivig.transcript.yaml", elsewhere / "t.yaml")
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys, triage.cli; sys.exit(triage.cli.main(['replay', 't.yaml']) or "
         "triage.cli.main(['check']))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"category": "definite"' in done.stdout
    assert "_content/dialogs/scar.yaml: dialog scar 1.8" in done.stdout


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed; it is part of the test extra")
    done = subprocess.run([ruff, "check", "triage", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean(tmp_path):
    # Its cache goes to the test's folder: nothing is written into the checkout.
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
