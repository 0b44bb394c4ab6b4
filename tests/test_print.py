"""Issue 21 §7: the printable summary of the seed case fits three A4 pages, the decisions
first and the reference (each score item by item, the answers) in an appendix after them.
Printed by Debian's Chromium, as a clinic's browser would print it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from triage import transcript
from triage.render import render
from triage.summary import summarize_interview

CHROMIUM = Path("/usr/bin/chromium")

_NO_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}: apt-get install chromium")


def _printed_pages(html: str, tmp_path: Path) -> int:
    page, pdf = tmp_path / "summary.html", tmp_path / "summary.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@_NO_CHROMIUM
def test_the_seed_case_prints_on_three_a4_pages_or_fewer(scar, tmp_path):
    script, doc = transcript.load(ROOT / "examples" / "seed-agep-ivig.transcript.yaml")
    data = summarize_interview(transcript.replay(script, scar, "t", doc))
    html = render([("seed", data)], "html")
    assert "size: A4" in html and 'class="appendix"' in html
    pages = _printed_pages(html, tmp_path)
    assert 1 < pages <= 3, pages


def test_a_drug_whose_last_dose_is_unknown_is_a_bar_to_the_onset_not_a_tick():
    from triage.render import timeline_svg

    svg = str(timeline_svg([{"name": "x", "start_day": -20, "stop_day": None,
                             "ongoing_at_onset": None}], 3))
    width = float(re.search(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg).group(1))
    assert width > 100 and 'stroke-dasharray="4 2"' in svg and "last dose unknown" in svg
