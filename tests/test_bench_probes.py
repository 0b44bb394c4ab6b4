"""The benchmark's probes run and report what bench/run.py reads (a number on the last
line): a probe that broke would only show up when someone next runs the bench."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "bench" / "ui_probe.py"


def _last_number(*args: str) -> float:
    done = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True,
                          text=True, timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def test_the_libraries_floor_holds_more_than_the_bare_app() -> None:
    bare = _last_number("memory", "minimal")
    libraries = _last_number("memory", "libraries")
    # pydantic's model machinery, Jinja2 and PyYAML: some 13 MB on Linux (kilobytes here).
    assert libraries - bare > 5_000


def test_the_first_question_probe_reports_milliseconds() -> None:
    assert 0 < _last_number("first", "triage") < 60_000


def test_one_end_of_the_latency_probe_answers_each_wait_with_a_time() -> None:
    """`latency` drives two of these (at 5 and at 150 answers) in turn through stdin."""
    done = subprocess.run([sys.executable, str(PROBE), "hold", "5"], input="0.001\n0.01\n",
                          capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.split()
    assert lines[0] == "ready"
    times = [float(line) for line in lines[1:]]
    assert len(times) == 2 and all(0 < t < 5 for t in times)  # seconds, one per wait


def test_the_serve_probe_reads_one_visits_memory() -> None:
    """bench/serve_probe.py drives Debian's Chromium (skipped, as the browser tests are,
    where it cannot)."""
    import pytest

    probe = PROBE.with_name("serve_probe.py")
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True,
                          timeout=180)
    if done.returncode == 3:
        pytest.skip(done.stderr.strip())
    assert done.returncode == 0, done.stderr
    rss_kb, peak_kb = (int(x) for x in done.stdout.split()[-2:])
    assert 20_000 < rss_kb <= peak_kb < 1_500_000  # a Python process with Textual, bounded
