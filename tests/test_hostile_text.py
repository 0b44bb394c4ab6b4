"""Free text stays text (issue 19 §6): one corpus of hostile strings goes through the
engine, every view and every export; nothing is read as markup, nothing reaches the
terminal as a control sequence, nothing is shown reversed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import findings
from tests.test_engine import CLEAR, walk
from triage.dialog.engine import Engine
from triage.plain_text import clean, is_clean
from triage.render import render
from triage.summary import summarize

HOSTILE = [
    "co-trimoxazole [/]",
    "amoxicillin [Augmentin]",
    "[link=file:///etc/passwd]click[/]",
    "\x1b]52;c;ZWNobyBQV05FRA==\x07evil",
    "\x1b[2Jclear",
    "5 mg \u202eoral\u202c daily",
    "<script>alert(1)</script>",
    "**bold** _x_ `code` [a](http://x.test) | pipe",
    "nul\x00byte\x7f\x9b",
    "w" * 200,
]
TODAY = dt.date(2026, 11, 25)


def test_clean_removes_controls_and_bidi_and_keeps_the_rest():
    assert clean("\x1b[2Jclear") == "[2Jclear"
    assert clean("5 mg \u202eoral\u202c") == "5 mg oral"
    assert clean("line\ttab\nnext") == "line\ttab\nnext"
    assert clean("amoxicillin [Augmentin] é ü 中") == "amoxicillin [Augmentin] é ü 中"
    assert not is_clean("\x9b") and is_clean("plain")


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_a_typed_drug_name_is_kept_as_clean_text(scar, name):
    engine = Engine(scar, TODAY)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         until="drug_name")
    outcome = engine.answer(name)
    assert outcome.accepted, outcome.message
    saved = engine.answers[-1].raw
    assert is_clean(saved) and saved == " ".join(clean(name).split())
    assert engine.findings.drugs[0].name == saved


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_every_export_of_hostile_names_is_clean_and_escaped(fmt):
    drugs = [{"name": n, "start_day": -5 - i} for i, n in enumerate(HOSTILE)]
    data = summarize(findings(drugs=drugs))
    out = render([("hostile.yaml", data)], fmt)
    assert is_clean(out.replace("\n", "").replace("\t", ""))
    assert "\x1b" not in out and "\u202e" not in out
    if fmt == "html":
        assert "<script>" not in out and "&lt;script&gt;" in out
    if fmt == "md":
        assert "[a](http://x.test)" not in out  # no live link in the Markdown


async def test_the_palette_and_the_drug_editor_show_markup_as_text(scar):
    from rich.text import Text
    from textual.widgets import DataTable

    from triage.ui.app import make_app
    from triage.ui.modals.drugs import DrugScreen

    engine = Engine(scar, TODAY)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": "[link=file:///etc/passwd]click[/]", "drug_start": "-5"},
          {"drug_name": "co-trimoxazole [/]", "drug_start": "-3"}],
         until="rash_bsa")
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(2):  # the palette opened twice: it had failed on every opening
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Edit")
            await pilot.pause(0.3)
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, DrugScreen)
        table = app.screen.query_one(DataTable)
        names = [table.get_cell_at((r, 1)) for r in range(2)]
        assert all(isinstance(n, Text) for n in names)
        assert [n.plain for n in names] == ["[link=file:///etc/passwd]click[/]",
                                            "co-trimoxazole [/]"]
        assert not any(n.spans for n in names)  # no link, no style read from the name


async def test_the_side_panel_and_the_summary_on_screen_show_hostile_names_as_text(scar):
    """The views the first corpus test left out: the side panel's suspects and the summary
    the assistant shows at the end (Textual's Markdown), at 80x24 and at full size."""
    import html

    from triage.ui.app import make_app
    from triage.ui.widgets.panel import SidePanel

    names = ["co-trimoxazole [/]", "[b]amox[/b] \x1b[2J", "\u202eenilicipma"]
    engine = Engine(scar, TODAY)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20", "drugs_any": "yes"},
         [{"drug_name": n, "drug_start": f"-{5 + i}"} for i, n in enumerate(names)])
    assert engine.finished
    shown = [" ".join(clean(n).split()) for n in names]
    for size in ((80, 24), (160, 200)):
        app = make_app(engine=engine)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.5)
            assert app.is_running
            panel = app.query_one("#panel", SidePanel)
            rendered = panel.render()
            plain = getattr(rendered, "plain", str(rendered))
            assert "co-trimoxazole [/]" in plain and "[b]amox[/b] [2J" in plain
            screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "\x1b" not in screen and "\u202e" not in screen
        if size == (160, 200):
            for name in shown:  # in the summary's suspects and answers, as typed
                assert name in screen, name
