"""No field id, question id or coded value reaches what a clinician reads (issue 21 §2):
every summary format of every example is scanned for snake_case words and findings
paths. The JSON result keeps the ids: it is for programs (docs/findings.md)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from triage import labels
from triage.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
PATH = re.compile(r"\b(?:patient|eruption|systemic|labs|histology|drugs|visit)(?:\[\d+\])?"
                  r"\.[a-z_]+")


def _readable(text: str, fmt: str) -> str:
    if fmt == "html":  # what the page shows: no tags, no style sheet
        text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_no_id_reaches_a_summary(path, fmt, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    command = "replay" if path.name.endswith(".transcript.yaml") else "score"
    assert main([command, str(path.relative_to(ROOT)), "--format", fmt]) == 0
    shown = _readable(capsys.readouterr().out, fmt)
    assert SNAKE.findall(shown) == []
    assert PATH.findall(shown) == []


def test_the_red_flags_say_the_answers_in_clinical_words(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(["score", "examples/seed-agep-ivig.findings.yaml", "--format", "text"])
    out = capsys.readouterr().out
    assert "(highest temperature 38.5 °C; pustules: typical)" in out
    assert "systemic.temperature_max_c" not in out


def test_a_findings_field_has_a_label_and_its_unit():
    assert labels.describe("systemic.temperature_max_c", 38.5) == "highest temperature 38.5 °C"
    assert labels.describe("drugs[1].start_day", -9) == "drug 2 start day -9"
    assert labels.describe("eruption.nikolsky", None) == "Nikolsky sign: unknown"
    assert labels.describe("eruption.nikolsky", False) == "Nikolsky sign: no"
    assert labels.describe("histology.agep_pattern", "spongiform_pustules") == (
        "histology: spongiform subcorneal or intraepidermal pustules")
    assert labels.words(["oral", "ocular"]) == "oral, ocular"
    assert labels.words("sjs_ten") == "SJS/TEN"


def test_every_findings_field_has_a_label():
    """A field added to the findings model must be named in templates/labels.yaml."""
    from pydantic import BaseModel

    from triage.findings import Drug, Findings

    def paths(model: type[BaseModel], prefix: str) -> list[str]:
        out = []
        for name, info in model.model_fields.items():
            if name == "schema_":
                continue
            kind = info.annotation
            nested = [a for a in getattr(kind, "__args__", (kind,))
                      if isinstance(a, type) and issubclass(a, BaseModel)]
            out += paths(nested[0], f"{prefix}{name}.") if nested else [prefix + name]
        return out

    fields, _ = labels._table()
    everything = paths(Findings, "")
    assert "systemic.temperature_max_c" in everything
    missing = [p for p in everything if not p.startswith("drugs") and p not in fields]
    missing += [p for p in paths(Drug, "drugs[].") if p not in fields]
    assert missing == []


@pytest.mark.parametrize("name", ["seed-agep-ivig", "multi-drug-alden", "agep-follow-up"])
async def test_no_id_reaches_the_assistants_screen(name):
    """What the assistant says (questions, notes, its reading of each answer, the side
    panel, the summary) has no id. An answer's own text is the clinician's (a replay types
    the transcript's raw values, some of them option ids) and is left out."""
    from textual.widgets import Static

    from triage import transcript
    from triage.dialog.loader import load_dialog
    from triage.paths import default_dialog_path
    from triage.ui.replay import _give, give_as_asked, make_app
    from triage.ui.widgets.chat import Bubble

    script, _ = transcript.load(ROOT / "examples" / f"{name}.transcript.yaml")
    app = make_app(load_dialog(default_dialog_path()), script.today)
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await give_as_asked(pilot, script.answers)
        if script.follow_up is not None:
            app.screen.start_follow_up(script.follow_up.date)
            await pilot.pause()
            for entry in script.follow_up.answers:
                current = app.engine.current()
                await _give(pilot, entry,
                            edit=current is None or current.key != (entry.q, entry.repeat))
        app.screen.chat.unfold()
        await pilot.pause()
        said = []
        for bubble in app.screen.query(Bubble):
            text = str(bubble.said.text)
            if bubble.kind == "answer":  # only what the assistant read it as
                text = " ".join(re.findall(r"\((.*)\)$", text))
            said.append(text)
        said += [str(w.render()) for w in app.screen.query_one("#panel").query(Static)]
        said += [str(w.render()) for w in app.screen.query(".summary Static")]
    assert len(said) > 100
    found = {m: t for t in said for m in SNAKE.findall(t) + PATH.findall(t)}
    assert found == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_printable_summary_has_a_sign_off_and_no_empty_column(path, capsys, monkeypatch):
    """Issue 21 §7: places for the patient identifier, the assessing clinician, the date
    and a signature; no column without a header, none empty on every row."""
    monkeypatch.chdir(ROOT)
    command = "replay" if path.name.endswith(".transcript.yaml") else "score"
    assert main([command, str(path.relative_to(ROOT)), "--format", "html"]) == 0
    page = capsys.readouterr().out
    for field in ("Patient identifier", "Assessing clinician", "Date of assessment",
                  "Signature"):
        assert f"<th>{field}</th>" in page
    assert "<th></th>" not in page
    for table in re.findall(r"<table>.*?</table>", page, flags=re.S):
        rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)]
        rows = [r for r in rows if r]
        if len(rows) > 1 and len({len(r) for r in rows}) == 1:
            empty = [i for i in range(len(rows[0])) if not any(r[i].strip() for r in rows)]
            assert empty == [], table[:300]
