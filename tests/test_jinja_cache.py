"""Compiled templates are kept between runs, and a cache that cannot be written is no error."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _score(cache: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRIAGE_CACHE_DIR=cache, SOURCE_DATE_EPOCH="1795608000")
    return subprocess.run(
        [sys.executable, "-m", "triage", "score", "examples/seed-agep-ivig.findings.yaml",
         "--format", "md"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_cache_is_filled_once_and_gives_the_same_output(tmp_path):
    first = _score(str(tmp_path))
    files = list(tmp_path.rglob("*.cache"))
    assert first.returncode == 0 and files
    folder = files[0].parent
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    second = _score(str(tmp_path))
    assert second.stdout == first.stdout
    assert sorted(tmp_path.rglob("*.cache")) == sorted(files)


def test_an_unwritable_cache_is_silently_skipped(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    done = _score(str(blocked))
    assert done.returncode == 0 and done.stderr == ""
    assert "EuroSCAR AGEP validation score: 11, definite" in done.stdout
