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


def _plant(entry, marker) -> None:
    """Replace a cached template with code that leaves `marker`, as another user could."""
    import io
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    raw = io.BytesIO(entry.read_bytes())
    assert raw.read(len(bc_magic)) == bc_magic
    checksum = pickle.load(raw)
    code = compile(f"open({str(marker)!r}, 'w').write('ran')", "<planted>", "exec")
    entry.write_bytes(bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))


def test_an_entry_others_could_write_is_never_loaded(tmp_path):
    cache = tmp_path / "cache"
    first = _score(str(cache))
    marker = tmp_path / "ran"
    for entry in cache.rglob("*.cache"):
        _plant(entry, marker)
        entry.chmod(0o666)  # a shared folder, or a umask of 000
    second = _score(str(cache))
    assert not marker.exists()
    assert second.returncode == 0 and second.stdout == first.stdout
    # The refused entries were built again; entries that are the user's alone are what
    # the cache is for, and are loaded (which is why only those may be).
    for entry in cache.rglob("*.cache"):
        _plant(entry, marker)
        entry.chmod(0o600)
    _score(str(cache))
    assert marker.exists()
