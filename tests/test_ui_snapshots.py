"""Screens of the assistant as SVG snapshots (pytest-textual-snapshot), at 80x24 and 120x40.

Review a change with `pytest tests/test_ui_snapshots.py --snapshot-report` and update only
after reading it (`--snapshot-update`)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ROOT
from triage import transcript
from triage.dialog.engine import Engine
from triage.ui.app import TriageApp, make_app

TODAY = dt.date(2026, 11, 25)
SIZES = [(80, 24), (120, 40)]


async def _steady(pilot) -> None:
    # A blinking cursor would make the picture depend on the moment it is taken.
    await pilot.pause()
    pilot.app.query_one("#answer").cursor_blink = False
    await pilot.pause()


def _app(scar, answers: int = 0) -> TriageApp:
    """The app after the first `answers` answers of the seed transcript."""
    script, _ = transcript.load(ROOT / "examples" / "seed-agep-ivig.transcript.yaml")
    engine = Engine(scar, script.today)
    for entry in script.answers[:answers]:
        engine.answer(entry.value, entry.unit, question=entry.q, repeat=entry.repeat)
    return make_app(engine=engine)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_question_view(snap_compare, scar, size):
    assert snap_compare(make_app(scar, TODAY), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_emergency_banner(snap_compare, scar, size):
    async def nikolsky(pilot) -> None:
        await _steady(pilot)
        await pilot.press("2", "enter", "1", "enter")
        await pilot.pause()

    assert snap_compare(make_app(scar, TODAY), terminal_size=size, run_before=nikolsky)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_side_panel_with_ranges_midway(snap_compare, scar, size):
    assert snap_compare(_app(scar, 30), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary_at_the_end(snap_compare, scar, size):
    async def settled(pilot) -> None:
        await _steady(pilot)
        # The Markdown widget lays its blocks out asynchronously; let it finish, then
        # show the summary from its top.
        await pilot.pause(0.3)
        pilot.app.query_one(".summary").scroll_visible(top=True, animate=False)
        await pilot.pause(0.3)

    assert snap_compare(_app(scar, 999), terminal_size=size, run_before=settled)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary_score_table_and_lists(snap_compare, scar, size):
    """The EuroSCAR item table (one widget, columns wrapped to the width) and the bullet
    lists around it (one widget each, items hanging from their bullets)."""

    async def at_the_table(pilot) -> None:
        await _steady(pilot)
        await pilot.pause(0.3)
        from triage.ui.widgets.summary import TableText

        tables = list(pilot.app.query(TableText))
        tables[1].scroll_visible(top=True, animate=False)  # the EuroSCAR items
        await pilot.pause(0.3)

    assert snap_compare(_app(scar, 999), terminal_size=size, run_before=at_the_table)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drug_editor(snap_compare, scar, size):
    async def open_editor(pilot) -> None:
        await _steady(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()

    # The multi-drug example: three drugs in the table.
    script, _ = transcript.load(ROOT / "examples" / "multi-drug-alden.transcript.yaml")
    engine = Engine(scar, script.today)
    for entry in script.answers:
        engine.answer(entry.value, entry.unit, question=entry.q, repeat=entry.repeat)
    assert snap_compare(make_app(engine=engine), terminal_size=size, run_before=open_editor)


def test_help_at_80x24(snap_compare, scar):
    """The help in a terminal of 80x24: scrollable, the keys of a terminal."""
    async def open_help(pilot) -> None:
        await _steady(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(scar, TODAY), terminal_size=(80, 24), run_before=open_help)


def test_body_surface_helper_at_80x24(snap_compare, scar):
    """F9 on the detachment question (issue 21 §6): the regions with their shares, the
    palms, the running total."""
    async def open_helper(pilot) -> None:
        await _steady(pilot)
        await pilot.press("1", "enter")  # detached skin: yes; then how much
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("down", "space")  # front of the trunk
        await pilot.pause()

    assert snap_compare(make_app(scar, TODAY), terminal_size=(80, 24), run_before=open_helper)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen_with_sessions_found(snap_compare, scar, size, tmp_path):
    """A browser visit's start screen (issue 22 §3), sessions found by patient label."""
    import sqlite3

    from triage.reopen import Desk
    from triage.store import open_store

    path = tmp_path / "s.db"
    open_store(path).close()
    with sqlite3.connect(path) as db:  # fixed ids and times: the picture must not change
        db.executemany(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [("3f9a0c21de", "2026-12-01T08:00:00Z", "2026-12-01T09:12:00Z", "2026-12-01",
              "scar", "1.7", "h", "AB12 (bed 4)", "finished", "urgent", "AGEP", 39),
             ("77b1e0aa42", "2026-12-03T14:00:00Z", "2026-12-03T14:20:00Z", "2026-12-03",
              "scar", "1.7", "h", "ab12", "open", "emergency", "SJS/TEN", 12)])

    def build():
        raise AssertionError("no new interview in this picture")

    async def found(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#find").value = "ab12"
        await pilot.press("enter")
        await pilot.pause()

    app = make_app(build=build, desk=Desk(path, lambda: scar))
    assert snap_compare(app, terminal_size=size, run_before=found)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_four_visits_side_by_side(snap_compare, scar, size):
    """Issue 22 §1: the summary's table of the visits, one column each (the presentation
    day, the day-3 SCORTEN, day 15, day 58), wrapped to the width."""
    script, doc = transcript.load(ROOT / "examples" / "sjs-ten-four-visits.transcript.yaml")
    engine = transcript.replay(script, scar, "t", doc)

    async def at_the_visits(pilot) -> None:
        await _steady(pilot)
        await pilot.pause(0.3)
        from triage.ui.widgets.summary import TableText

        visits = pilot.app.query(TableText).first()  # the first table of the summary
        assert "Presentation," in str(visits.render())
        visits.scroll_visible(top=True, animate=False)
        await pilot.pause(0.3)

    assert snap_compare(make_app(engine=engine), terminal_size=size, run_before=at_the_visits)
