"""The assistant, driven by key presses through Textual's Pilot."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import ROOT
from triage.dialog.engine import Engine
from triage.ui.app import make_app
from triage.ui.replay import type_answer
from triage.ui.widgets.chat import Bubble

TODAY = dt.date(2026, 11, 25)




def bubbles(app, kind: str) -> list[str]:
    return [str(b.render()) for b in app.query(Bubble) if b.kind == kind]


async def test_first_question_is_the_red_flag_screen(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.engine.current().question.id == "detachment_any"
        assert "Is any epidermis detached" in bubbles(app, "question")[0]


async def test_answers_by_number_keys_unknown_and_back(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")  # detachment: no
        assert app.engine.findings.eruption.detachment_bsa_percent == 0
        await pilot.press("ctrl+n")  # Nikolsky: unknown
        await pilot.pause()
        assert app.engine.answers[-1].raw == "unknown"
        await pilot.press("ctrl+z")  # take it back
        await pilot.pause()
        assert app.engine.current().question.id == "nikolsky"
        assert "Took back Nikolsky sign: unknown" in bubbles(app, "note")


async def test_textuals_own_back_action_closes_a_screen_and_takes_no_answer_back(scar):
    # "back" is Textual's action for closing the top screen; ctrl+z is take_back.
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        await pilot.press("f1")
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await app.run_action("back")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert [a.question for a in app.engine.answers] == ["detachment_any"]


#: The skin's six red flags answered no by number ("none" for the mucous membranes).
SKIN_CLEAR = ["2", "2", "2", "2", "none", "2"]


async def _to_heart_rate(pilot) -> None:
    """The skin's six red flags answered no, age and temperature unknown, the vital signs
    at hand."""
    for answer in [*SKIN_CLEAR, "unknown", "unknown", "1"]:
        await type_answer(pilot, answer)


async def test_a_refused_value_asks_again(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_heart_rate(pilot)
        await type_answer(pilot, "400")  # heart rate
        assert app.engine.current().question.id == "heart_rate"
        assert "outside the plausible range" in bubbles(app, "refused")[-1]


async def test_an_emergency_is_shown_at_once_and_stays(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        await type_answer(pilot, "1")  # Nikolsky positive
        banner = app.query_one("#banner")
        assert banner.has_class("shown") and "Nikolsky" in str(banner.render())
        await type_answer(pilot, "2")
        assert banner.has_class("shown")


EXAMPLES = sorted((ROOT / "examples").glob("*.transcript.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name.removesuffix(".transcript.yaml"))
async def test_every_example_through_the_ui_gives_the_headless_golden_summary(path, scar, golden):
    """Issue 5, section 6: typed into the real app, each example transcript ends with the
    summary the headless replay gives, byte for byte, in every format (the golden files of
    tests/test_transcripts.py are the headless output)."""
    from triage import transcript
    from triage.render import render
    from triage.ui.replay import replay_through_ui

    script, _ = transcript.load(path)
    through_ui = await replay_through_ui(script, scar)
    name = path.name.removesuffix(".transcript.yaml")
    for fmt in ("json", "md", "text", "html"):
        golden(f"{name}.{fmt}", render([(str(path.relative_to(ROOT)), through_ui)], fmt))


async def test_ctrl_s_saves_the_transcript(scar, tmp_path):
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (written,) = tmp_path.iterdir()
    assert written.name.endswith(".transcript.yaml") and "detachment_any" in written.read_text()


@pytest.mark.parametrize(
    ("steps", "suffix", "expected"),
    [(0, ".summary.md", "Decision support"), (1, ".summary.txt", "Decision support"),
     (2, ".summary.html", "<!DOCTYPE html>"), (3, ".summary.json", '"schema"'),
     (4, ".transcript.yaml", "schema: triage.transcript/1")],
)
async def test_export_writes_each_format_under_a_default_name(scar, tmp_path, steps, suffix,
                                                                expected):
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        await pilot.press("ctrl+o")
        await pilot.pause()
        for _ in range(steps):
            await pilot.press("down")
        await pilot.press("enter")  # choose the format: focus moves to the file name
        await pilot.pause()
        await pilot.press("enter")  # keep the default name
        await pilot.pause()
    (written,) = tmp_path.iterdir()
    assert written.name.endswith(suffix) and expected in written.read_text()
    assert written.stat().st_mode & 0o777 == 0o600  # a summary is patient data


async def _export_name_field(pilot):
    """Open the export dialog, keep Markdown, and land in its file name field."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    await pilot.press("tab")  # Markdown kept: to the file name (Enter would save)
    await pilot.pause()
    return pilot.app.screen.query_one("#path")


@pytest.mark.parametrize(("typed", "saved"), [
    ("AB12", "AB12.summary.md"),  # a name without a suffix takes the format's
    ("AB12.md", "AB12.md"),  # one with a suffix is kept as typed
])
async def test_a_name_typed_over_the_default_is_saved_with_the_formats_suffix(
        scar, tmp_path, monkeypatch, typed, saved):
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a bare name goes to the export folder, not here
    folder = tmp_path / "exports"
    app = make_app(scar, TODAY, out_dir=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        field = await _export_name_field(pilot)
        field.value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert bubbles(app, "note")[-1] == f"Saved md: {folder / saved}"
    assert [p.name for p in folder.iterdir()] == [saved]
    assert list(elsewhere.iterdir()) == []


async def test_one_enter_saves_and_the_folder_is_remembered(scar, tmp_path, monkeypatch):
    """Issue 21 §7: exports never land where triage was started; the folder of an export
    is where the next one goes (a setting); Enter on the format saves at once."""
    from triage import export_folder

    monkeypatch.delenv("TRIAGE_EXPORT_DIR")
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "home" / "Documents"))
    monkeypatch.chdir(tmp_path)
    assert export_folder.current() == tmp_path / "home" / "Documents" / "triage"
    app = make_app(scar, TODAY)
    assert app.out_dir == tmp_path / "home" / "Documents" / "triage"
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")  # Markdown, under the name shown: saved
        await pilot.pause()
        assert bubbles(app, "note")[-1].startswith(f"Saved md: {app.out_dir}/triage-")
        chosen = tmp_path / "clinic"
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("tab")
        app.screen.query_one("#path").value = str(chosen / "AB12")
        await pilot.press("enter")
        await pilot.pause()
    assert [p.name for p in chosen.iterdir()] == ["AB12.summary.md"]
    assert (chosen.stat().st_mode & 0o777) == 0o700
    assert export_folder.current() == chosen  # chosen once: the next start's default
    assert make_app(scar, TODAY).out_dir == chosen
    assert not list(tmp_path.glob("*.md"))


async def test_a_cleared_file_name_writes_nothing_and_offers_the_default_again(scar, tmp_path):
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        field = await _export_name_field(pilot)
        field.value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.screen_stack) == 2 and field.value.endswith(".summary.md")
    assert list(tmp_path.iterdir()) == []


async def test_an_export_is_never_taken_for_an_answer(scar, tmp_path):
    # The file name's Enter once travelled on to the app, which answered the current
    # question with it: refused at a yes/no question, kept as a drug's name at this one.
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        vitals = ["unknown", "unknown", "1", "104"] + ["unknown"] * 5
        for answer in SKIN_CLEAR + vitals + ["5 days ago", "today", "1", "1"]:
            await type_answer(pilot, answer)
        assert app.engine.current().question.id == "drug_name"
        given = list(app.engine.answers)
        await _export_name_field(pilot)
        await pilot.press("enter")
        await pilot.pause()
        (written,) = tmp_path.iterdir()
        assert list(app.engine.answers) == given
        assert app.engine.current().question.id == "drug_name"
        assert bubbles(app, "note")[-1] == f"Saved md: {written}"
        assert not any(str(written) in b for b in bubbles(app, "answer") + bubbles(app, "refused"))


async def test_typing_a_file_name_leaves_the_number_check_of_the_answer_alone(scar, tmp_path):
    # The name field's changes once reached the live check of a number question below.
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_heart_rate(pilot)
        assert app.engine.current().question.id == "heart_rate"
        await _export_name_field(pilot)
        await pilot.press("x")  # the name field, with a number question underneath
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.bar._hint_shown == ("", False)
        assert str(app.query_one("#hint").render()) == ""


async def test_in_a_browser_exports_are_downloads_not_server_files(scar, tmp_path, monkeypatch):
    from triage.ui.app import TriageApp

    sent: list[tuple[str, str | None]] = []
    monkeypatch.setattr(TriageApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(TriageApp, "deliver_text",
                        lambda self, f, save_filename=None: sent.append((f.read(), save_filename)))
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_answer(pilot, "2")
        app.screen.export(("md", tmp_path / "case.summary.md"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert bubbles(app, "note")[-2:] == [
            "Sent md to your browser as case.summary.md.",
            f"Sent transcript to your browser as {sent[1][1]}.",
        ]
    assert list(tmp_path.iterdir()) == []
    assert sent[0][1] == "case.summary.md" and "EuroSCAR" in sent[0][0]
    assert sent[1][1].endswith(".transcript.yaml") and "detachment_any" in sent[1][0]


async def test_export_never_overwrites(scar, tmp_path):
    app = make_app(scar, TODAY, out_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.export(("md", tmp_path / "x.md"))
        app.screen.export(("md", tmp_path / "x.md"))
        await pilot.pause()
        assert "nothing is overwritten" in bubbles(app, "refused")[-1]


async def test_f1_opens_the_help_and_escape_closes_it(scar):
    from triage.ui.modals.help import HelpScreen

    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_help_scrolls_at_80x24(scar):
    """Issue 21 §3: the help is taller than an 80x24 screen; PageDown reaches its end."""
    from textual.containers import VerticalScroll

    app = make_app(scar, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause(0.3)
        assert scroll.scroll_y == scroll.max_scroll_y


async def test_in_a_browser_the_keys_are_ones_the_browser_leaves_to_the_page(scar, monkeypatch):
    """Issue 21 §4: ctrl+n, ctrl+t and ctrl+q are the browser's; F2, F4 and F10 do their
    work, and the footer and the help show them."""
    from triage.ui.app import TriageApp
    from triage.ui.modals.drugs import DrugScreen
    from triage.ui.modals.help import HelpScreen, help_text

    monkeypatch.setattr(TriageApp, "is_web", property(lambda self: True))
    app = make_app(scar, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = {b.binding.action: b.binding.key for b in app.active_bindings.values()
                 if b.binding.show}
        assert (shown["unknown"], shown["drugs"], shown["app.quit"]) == ("f2", "f4", "f10")
        await pilot.press("f2")
        await pilot.pause()
        assert app.engine.answers[-1].raw == "unknown"
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, DrugScreen)
        await pilot.press("escape", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    assert "| F2 | answer" in help_text(browser=True)
    assert "ctrl+n" not in help_text(browser=True) and "| ctrl+n |" in help_text(browser=False)


async def test_the_palette_lists_every_action_and_each_section(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from triage.ui.commands import commands

        titles = [c.title for c in commands(app.screen)]
        assert {"Unknown", "Back", "Save transcript", "Export summary", "Copy summary",
                "New case", "Help"} <= set(titles)
        assert "Jump to: Laboratory values (peak or worst during the reaction)" in titles
        # Through the palette itself: found by fuzzy search, and run.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Jump to: Laboratory")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.engine.current().question.id == "leukocytes"


async def test_jump_to_a_section_and_new_case(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.action_jump("labs")
        await pilot.pause()
        assert app.engine.current().question.id == "leukocytes"
        await type_answer(pilot, "9000")
        assert app.engine.findings.labs.leukocytes_per_mm3 == 9000
        app.screen.action_new_case()
        await pilot.pause()
        assert app.engine.answers == [] and app.engine.current().question.id == "detachment_any"


async def test_copy_sends_the_plain_text_summary(scar, monkeypatch):
    app = make_app(scar, TODAY)
    copied = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause()
    assert copied and "Decision support, not a diagnosis." in copied[0]
    assert "\x1b" not in copied[0]


async def test_a_high_contrast_theme_is_offered(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "triage-high-contrast"
        await pilot.pause()
        assert app.theme == "triage-high-contrast"


@pytest.mark.parametrize(
    ("low", "total", "high", "scale", "bar"),
    [
        # 11 on EuroSCAR's -18..12 sits at 29/30 of 19 cells: cell 18
        (11, 11, 11, (-18, 12), "─" * 18 + "●" + "─"),
        # RegiSCAR -2..4 on -4..9: cells 3 to 12 reachable, the total -1 at cell 4
        (-2, -1, 4, (-4, 9), "───═●" + "═" * 8 + "─" * 7),
        (-18, 0, 12, (-18, 12), "═" * 11 + "●" + "═" * 8),
    ],
)
def test_range_bar_draws_the_reachable_range_on_the_scale(low, total, high, scale, bar):
    from triage.ui.widgets.panel import range_bar

    assert range_bar(low, total, high, *scale) == bar


async def test_edit_an_earlier_answer_says_what_changed_and_goes_on(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await _to_heart_rate(pilot)
        await type_answer(pilot, "88")  # heart rate; now the blood pressure is asked
        answer_bubble = next(b for b in app.query(Bubble) if b.key == ("heart_rate", None))
        await pilot.click(answer_bubble)
        await pilot.pause()
        assert app.screen.editing == ("heart_rate", None)
        await type_answer(pilot, "130")
        assert app.engine.findings.systemic.heart_rate_bpm == 130
        notes = bubbles(app, "note")
        assert any("Triage level: routine -> emergency" in n for n in notes)
        assert any("SCORTEN: 0 (0-1) -> 1 (0-1)" in n for n in notes)
        assert app.engine.current().question.id == "systolic_bp"


async def test_an_edit_summarizes_twice_and_a_take_back_redraws_the_panel_after(
    scar, monkeypatch
):
    # The summary is the costly part of a change at the side panel (every score, each drug):
    # an edit needs the one before and the one after, and the panel is drawn from the
    # latter; taking back draws the question first and the panel a frame later.
    import triage.summary

    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await _to_heart_rate(pilot)
        await type_answer(pilot, "88")
        made = []
        real = triage.summary.summarize_interview
        monkeypatch.setattr(triage.summary, "summarize_interview",
                            lambda engine: made.append(1) or real(engine))
        shown = []
        panel = app.query_one("#panel")
        # The banner going up or down resizes the panel, which redraws from its last
        # summary (no new one): not what is counted here.
        monkeypatch.setattr(type(panel), "on_resize", lambda *_: None)
        painted_first = []
        monkeypatch.setattr(panel, "show", lambda summary, progress: shown.append(
            summary["scores"]["scorten"]["total"]) or painted_first.append(
            app.question_painted_at is not None))
        app.screen.start_edit(("heart_rate", None))
        await type_answer(pilot, "130")
        assert len(made) == 2 and shown == [1]  # heart rate > 120: one SCORTEN point
        await pilot.press("ctrl+z")  # takes the edit back: 88 again, as an edit does
        await pilot.pause()
        assert app.engine.value("heart_rate") == 88
        assert len(made) == 4 and shown == [1, 0]
        app.question_painted_at = None
        await pilot.press("ctrl+z")  # then the last answer given
        await pilot.pause()
        assert app.engine.current().question.id == "heart_rate"
        assert len(made) == 5 and shown == [1, 0, 0]
        assert painted_first[-1]  # the question was on screen before the panel redrew


async def test_an_edit_that_enables_a_question_continues_from_there(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(6):
            await type_answer(pilot, "2")
        app.screen.start_edit(("detachment_any", None))
        await type_answer(pilot, "1")
        assert app.engine.current().question.id == "detachment_bsa"
        await type_answer(pilot, "12")
        assert app.query_one("#banner").has_class("shown")


async def test_a_refused_edit_keeps_the_old_answer_and_escape_cancels(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await _to_heart_rate(pilot)
        await type_answer(pilot, "88")
        app.screen.start_edit(("heart_rate", None))
        await type_answer(pilot, "999")
        assert "Not changed" in bubbles(app, "refused")[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.editing is None and app.engine.findings.systemic.heart_rate_bpm == 88


async def _two_drugs(pilot, app) -> None:
    await _to_heart_rate(pilot)
    await type_answer(pilot, "80")
    for _ in range(5):  # the other vital signs
        await type_answer(pilot, "unknown")
    await type_answer(pilot, "2026-11-20")
    await type_answer(pilot, "today")
    await type_answer(pilot, "1")  # acute onset
    await type_answer(pilot, "1")  # drugs taken
    for name, start, more in (("allopurinol", "-21", "1"), ("IVIg", "-9", "2")):
        await type_answer(pilot, name)
        await type_answer(pilot, start)
        while app.engine.current().question.id != "drug_more":
            await pilot.press("ctrl+n")
            await pilot.pause()
            slot = app.engine.current()
            if slot.question.id == "drug_name" or not slot.question.unknown_allowed:
                break
        await type_answer(pilot, more)


async def test_the_drug_editor_changes_adds_and_removes_drugs(scar):
    from triage.ui.modals.drugs import DrugScreen

    app = make_app(scar, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await _two_drugs(pilot, app)
        assert [d.name for d in app.engine.findings.drugs] == ["allopurinol", "IVIg"]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, DrugScreen)
        await pilot.press("right", "enter")  # the name of drug 1
        await pilot.pause()
        assert app.screen.editing == ("drug_name", 0)
        await type_answer(pilot, "Zyloprim")
        assert [d.name for d in app.engine.findings.drugs] == ["Zyloprim", "IVIg"]
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("delete")  # the row under the cursor: drug 1
        await pilot.pause()
        assert [d.name for d in app.engine.findings.drugs] == ["IVIg"]
        assert any("Removed drug 1" in n for n in bubbles(app, "note"))
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert (app.engine.current().question.id, app.engine.current().repeat) == (
            "drug_name", 1)


async def _to_temperature(pilot, app) -> None:
    for answer in [*SKIN_CLEAR, "unknown"]:  # the skin's red flags, then the age
        await type_answer(pilot, answer)
    assert app.engine.current().question.id == "temperature"


async def test_numbers_are_checked_live_in_the_unit_chosen(scar):
    from textual.widgets import Select

    app = make_app(scar, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_temperature(pilot, app)
        unit = app.query_one("#unit", Select)
        assert unit.has_class("shown") and unit.value == "temperature:C"
        unit.value = "temperature:F"
        await pilot.pause()
        for char in "101.3":
            await pilot.press(char)
        await pilot.pause()
        assert str(app.query_one("#hint").render()) == "= 38.5 °C"
        await pilot.press("enter")
        await pilot.pause()
        answer = app.engine.answers[-1]
        assert (answer.raw, answer.unit) == ("101.3", "F")
        assert app.engine.findings.systemic.temperature_max_c == 38.5


async def test_an_implausible_number_is_flagged_before_enter(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_temperature(pilot, app)
        for char in "120":
            await pilot.press(char)
        await pilot.pause()
        hint = app.query_one("#hint")
        assert hint.has_class("bad") and "outside the plausible range" in str(hint.render())


def _seed_engine(scar, count: int):
    from triage import transcript
    from triage.dialog.engine import Engine

    script, _ = transcript.load(ROOT / "examples" / "seed-agep-ivig.transcript.yaml")
    engine = Engine(scar, script.today)
    for entry in script.answers[:count]:
        assert engine.answer(entry.value, entry.unit, question=entry.q, repeat=entry.repeat)
    return engine


async def test_an_engine_with_answers_shows_the_conversation_so_far(scar):
    """What a resumed session opens on: every earlier question with its answer, the
    newest laid out and the rest folded, then the next question."""
    from triage.ui.widgets.chat import ChatLog

    app = make_app(engine=_seed_engine(scar, 35))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        chat = app.query_one(ChatLog)
        answers = [b for b in app.query(Bubble) if b.kind == "answer"]
        # The opening note; then the conversation so far: 35 answers, their 35 questions,
        # 6 section titles, the drugs' intro and the "so far" note (78), of which the
        # newest SHOWN are laid out; then the question asked now, which opens a section.
        kinds = [b.kind for b in app.query(Bubble)]
        assert kinds[0] == "note" and kinds[ChatLog.SHOWN] == "note"
        assert kinds[ChatLog.SHOWN + 1:] == ["section", "question"]
        assert chat.folded == 78 - ChatLog.SHOWN
        assert answers[-1].key == app.engine.answers[-1].key
        assert "35 answers so far" in bubbles(app, "note")[-1]
        assert app.engine.current().question.prompt in bubbles(app, "question")[-1]
        chat.unfold()
        await pilot.pause()
        shown = [b.key for b in app.query(Bubble) if b.kind == "answer"]
        assert shown == [a.key for a in app.engine.answers] and chat.folded == 0


async def test_a_resumed_emergency_shows_the_banner_at_once(scar):
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    engine.answer("no")
    engine.answer("yes")  # Nikolsky positive: an emergency
    app = make_app(engine=engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        banner = app.query_one("#banner")
        assert banner.has_class("shown") and "Nikolsky" in str(banner.render())


async def test_a_long_conversation_keeps_a_bounded_number_of_bubbles(scar, monkeypatch):
    """Issue 5's latency goal: answer 150 must cost what answer 5 does, so the chat folds
    its oldest messages instead of laying out every one; a click on the fold brings them
    back, in order, and an earlier answer can be edited from there."""
    from triage.ui.widgets.chat import ChatLog, Fold

    monkeypatch.setattr(ChatLog, "SHOWN", 8)
    monkeypatch.setattr(ChatLog, "FOLD_STEP", 4)
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        for answer in SKIN_CLEAR + ["unknown"] * 3:  # the skin; age, temperature, heart rate
            await type_answer(pilot, answer)
        chat = app.query_one(ChatLog)
        assert len(app.engine.answers) == 9 and chat.folded > 0
        assert 8 <= len(app.query(Bubble)) < 8 + 4
        assert f"{chat.folded} earlier messages folded" in str(app.query_one(Fold).render())
        chat.scroll_home(animate=False)  # the fold is at the top, as a resident scrolls up
        await pilot.pause()
        await pilot.click(Fold)
        await pilot.pause()
        assert chat.folded == 0
        keys = [b.key for b in app.query(Bubble) if b.kind == "answer"]
        assert keys == [a.key for a in app.engine.answers]
        first = next(b for b in app.query(Bubble) if b.key == ("detachment_any", None))
        first.post_message(Bubble.Selected(first))
        await pilot.pause()
        assert app.screen.editing == ("detachment_any", None)
        await type_answer(pilot, "2")  # the next message folds the earlier ones again
        assert chat.folded > 0


def test_a_chosen_answer_is_sent_up_the_way_textual_sends_messages():
    # Message.bubble is Textual's flag for travelling up to the parents; the chosen bubble
    # has a name of its own, so the flag stays True rather than a widget that is truthy.
    bubble = Bubble("no", "answer", ("detachment_any", None))
    message = Bubble.Selected(bubble)
    assert message.bubble is True
    assert message.chosen is bubble and message.control is bubble


async def test_the_chat_folds_after_the_new_message_is_painted(scar, monkeypatch):
    # Folding removes widgets above the view (30-40 ms): the answer it falls on must not
    # wait for it. And the fold line is written again only when its count changes: each
    # update lays the conversation out again.
    from triage.ui.widgets.chat import ChatLog, Fold

    monkeypatch.setattr(ChatLog, "SHOWN", 8)
    monkeypatch.setattr(ChatLog, "FOLD_STEP", 4)
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        chat = app.query_one(ChatLog)
        written = []
        fold = app.query_one(Fold)
        real = fold.update
        monkeypatch.setattr(fold, "update", lambda text: written.append(text) or real(text))
        while len(app.query(Bubble)) < 11:
            chat.say("a note", "note")
        await pilot.pause()
        assert chat.folded == 0  # 11 < SHOWN + FOLD_STEP: nothing to fold yet
        chat.say("the twelfth", "note")
        assert chat.folded == 0 and len(app.query(Bubble)) == 12  # not while it is said
        for _ in range(100):  # the next frame, which a loaded machine may make wait
            if len(app.query(Bubble)) == 8 and chat.scroll_y == chat.max_scroll_y:
                break
            await pilot.pause(0.01)
        assert chat.folded == 4 and len(app.query(Bubble)) == 8
        assert chat.scroll_y == chat.max_scroll_y  # the newest message still in view
        for _ in range(3):  # said, painted, folded: nothing new to fold, the line unchanged
            chat.say("another", "note")
            await pilot.pause()
        assert written == ["▲ 4 earlier messages folded: click to show them "
                           "(or 'Show the whole conversation' in ctrl+p)"]


def test_a_number_question_gives_an_example_in_its_own_second_unit(scar):
    from triage.dialog.engine import Slot
    from triage.ui.question import question_text

    def shown(qid: str) -> str:
        q = scar.questions[qid]
        return str(question_text(Slot(q, None, scar.section_of[qid]), scar))

    assert "e.g. '101.3 F'" in shown("temperature")
    assert "e.g. '11.2 g/l'" in shown("leukocytes")
    assert "e.g. '20 BUN mg/dL'" in shown("urea")
    assert "_" not in shown("leukocytes") + shown("urea")  # no unit id on screen
    assert "e.g." not in shown("heart_rate")  # one unit: nothing to choose


def _progressive(scar, built: list[str] | None = None, while_built=None):
    """The assistant as `triage run` starts it: the opening from the cache, then the engine
    (`while_built(app)` runs while it is being built)."""
    from triage.ui.first_screen import key_of

    def build():
        if built is not None:
            built.append("engine")
        if while_built is not None:
            while_built(app)
        return Engine(scar, TODAY), None

    app = make_app(build=build, opening_key=key_of(ROOT / "dialogs" / "scar.yaml"))
    return app


async def test_a_progressive_start_saves_its_opening_and_shows_it_next_time(
    scar, tmp_path, monkeypatch
):
    from triage.ui import first_screen

    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path))
    key = first_screen.key_of(ROOT / "dialogs" / "scar.yaml")
    assert first_screen.load(key) is None
    first = _progressive(scar)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        opening = [(str(b.said.text), b.said.kind) for b in first.screen.chat.query(Bubble)]
    saved = first_screen.load(key)
    assert saved is not None and [(str(s.text), s.kind) for s in saved] == opening
    assert [s.kind for s in saved] == ["note", "section", "note", "question"]
    assert str(saved[-1].text).startswith("Is any epidermis detached")

    built: list[str] = []
    again = _progressive(scar, built)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert built == ["engine"] and again.loaded
        # Shown once, from the cache; the engine agreed with it and asks the same question.
        assert [b.said.kind for b in again.screen.chat.query(Bubble)] == [s.kind for s in saved]
        assert again.engine.current().question.id == "detachment_any"
        await type_answer(pilot, "2")
        assert again.engine.value("detachment_any") == "no"


async def test_an_opening_that_no_longer_fits_is_replaced(scar, tmp_path, monkeypatch):
    from rich.text import Text

    from triage.ui import first_screen
    from triage.ui.widgets.chat import Said

    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path))
    key = first_screen.key_of(ROOT / "dialogs" / "scar.yaml")
    first_screen.save(key, [Said(Text("An old question?"), "question")])
    app = _progressive(scar)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = [str(b.said.text) for b in app.screen.chat.query(Bubble)]
    assert "An old question?" not in shown
    assert shown[-1].startswith("Is any epidermis detached")
    assert str(first_screen.load(key)[-1].text).startswith("Is any epidermis detached")


async def test_answers_typed_before_the_interview_is_built_are_answered(scar, tmp_path):
    from textual import events

    def type_ahead(app) -> None:
        # Keys pressed while the engine is still being built: one answer entered on the
        # start-up screen, one entered and one half typed as the interview screen takes over.
        app.screen.pending.append("2")
        for key, char in (("2", "2"), ("ctrl+j", None), ("1", "1")):
            app.post_message(events.Key(key, char))

    app = _progressive(scar, while_built=type_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert [(a.question, a.raw) for a in app.engine.answers] == [
            ("detachment_any", "no"), ("nikolsky", "no")]
        assert app.screen.bar.line.value == "1"


async def test_keys_on_their_way_when_the_interview_takes_over_are_not_lost(scar):
    """Found by bench/serve_load.py: in a browser under load, building the interview takes
    seconds, and an answer typed at once ("no", Enter) sat half-way: the letters in the
    start-up screen's line, its Enter still queued there. The Enter then met the
    interview screen's bindings, found none, and the answer never came (the visit waited
    for the next question forever). Now it is entered, and later letters follow it."""
    from textual import events

    from triage.ui.widgets.answer_bar import AnswerBar

    def mid_enter(app) -> None:
        startup = app.screen
        startup.query_one(AnswerBar).line.value = "no"
        startup.post_message(events.Key("enter", "\r"))  # reaches it after the hand-over

    def mid_letter(app) -> None:
        line = app.screen.query_one(AnswerBar).line
        line.value = "n"
        line.post_message(events.Key("o", "o"))  # reaches the line after the hand-over

    for while_built, answers, typing in ((mid_enter, [("detachment_any", "no")], ""),
                                         (mid_letter, [], "no")):
        app = _progressive(scar, while_built=while_built)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(5):
                await pilot.pause()
            assert [(a.question, a.raw) for a in app.engine.answers] == answers
            assert app.screen.bar.line.value == typing


def test_triage_run_on_the_built_in_dialog_starts_progressively(scar):
    from argparse import Namespace

    from triage.cli import assistant

    app = assistant(Namespace(dialog=None, patient=None, no_store=True, store=None))
    assert app.interview is None and not app.loaded
    named = assistant(Namespace(dialog=str(ROOT / "dialogs" / "scar.yaml"), patient=None,
                                no_store=True, store=None))
    assert named.loaded  # a named dialog is loaded first: its problems are said before the UI


async def test_a_line_feed_submits_as_enter_does(scar):
    """Enter typed before the terminal is in raw mode arrives as a line feed (ctrl+j): it
    submits the answer typed before it (checked by hand in tmux with type-ahead at start-up;
    before, the line feeds vanished and the digits ran together: '22')."""
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("2", "ctrl+j", "2", "ctrl+j")
        await pilot.pause()
        assert [(a.question, a.raw) for a in app.engine.answers] == [
            ("detachment_any", "no"), ("nikolsky", "no")]


def test_an_unwritable_cache_folder_only_costs_the_quick_opening(tmp_path, monkeypatch):
    from rich.text import Text

    from triage.ui import first_screen
    from triage.ui.widgets.chat import Said

    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(blocked))
    first_screen.save("k", [Said(Text("Q?"), "question")])  # silently not saved
    assert first_screen.load("k") is None


async def test_full_passes_follow_each_painted_question_and_python_again_at_the_summary(
    scar, monkeypatch
):
    # triage.collector: a due full pass runs once a question is on screen, never before it
    # is painted; at the summary, Python's own threshold is back (the peak memory).
    from triage import collector, transcript
    from triage.ui.replay import replay_through_ui
    from triage.ui.widgets.summary import SummaryMarkdown

    calls: list[str] = []
    apps: list = []
    original = make_app

    def recording_app(*args, **kwargs):
        apps.append(original(*args, **kwargs))
        return apps[-1]

    def shown() -> None:
        app = apps[0]
        calls.append("painted" if app.question_painted_at is not None else "not yet painted")
        app.question_painted_at = None  # each question must set it again

    def over() -> None:
        calls.append("summary there" if apps[0].query(SummaryMarkdown) else "over")

    monkeypatch.setattr("triage.ui.replay.make_app", recording_app)
    monkeypatch.setattr(collector, "question_shown", shown)
    monkeypatch.setattr(collector, "questions_over", over)
    script, _ = transcript.load(ROOT / "examples" / "sjs-ten-red-flags.transcript.yaml")
    await replay_through_ui(script, scar)
    assert calls[-1] == "over"
    assert set(calls[:-1]) == {"painted"}
    assert len(calls) - 1 == len(script.answers)  # one question painted per answer given


async def _to_drug_name(pilot) -> None:
    vitals = ["unknown", "unknown", "1", "80"] + ["unknown"] * 5
    for answer in SKIN_CLEAR + vitals + ["5 days ago", "today", "1", "1"]:
        await type_answer(pilot, answer)


@pytest.mark.parametrize(("reply", "name"), [("1", "allopurinol"), ("2", "alopurinol"),
                                             ("amoxicillin", "amoxicillin")])
async def test_a_misspelt_drug_is_asked_about_at_once(scar, reply, name):
    # Issue 18: "alopurinol" silently lost allopurinol's notoriety and allergy advice.
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_drug_name(pilot)
        assert app.engine.current().question.id == "drug_name"
        await type_answer(pilot, "alopurinol")
        assert app.engine.current().question.id == "drug_name"  # nothing answered yet
        assert "alopurinol is on no drug list" in bubbles(app, "question")[-1]
        assert "Did you mean allopurinol?" in bubbles(app, "question")[-1]
        await type_answer(pilot, reply)
        assert app.engine.value("drug_name", 0) == name
        assert app.engine.current().question.id == "drug_start"


async def test_a_listed_drug_is_taken_without_a_question(scar):
    app = make_app(scar, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_drug_name(pilot)
        await type_answer(pilot, "Tegretol")
        assert app.engine.current().question.id == "drug_start"
        assert not any("did you mean" in b.casefold() for b in bubbles(app, "question"))


async def test_a_flip_flopping_terminal_size_is_held_and_a_real_resize_is_not(scar):
    """Issue 19 §10: a browser flipping between two heights 160 times a second cost a full
    layout each time; now about one a second, and the latest size wins."""
    import asyncio

    from textual import events
    from textual.geometry import Size

    from triage.ui.steady_size import HOLD

    app = make_app(scar, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        base = app.sizes_applied
        started = asyncio.get_running_loop().time()
        for i in range(160):  # one second of the storm (longer on a loaded machine)
            size = Size(133, 42 if i % 2 else 37)
            app.post_message(events.Resize(size, size))
            await asyncio.sleep(1 / 160)
        lasted = asyncio.get_running_loop().time() - started
        await pilot.pause(HOLD + 0.5)
        # The first two sizes, then one per HOLD while it lasts, then the last one.
        assert 2 <= app.sizes_applied - base <= 3 + lasted / HOLD
        assert app.size == Size(133, 42)  # the last one asked for (i = 159)
        applied = app.sizes_applied
        size = Size(100, 30)  # a person's resize, after the storm: taken at once
        app.post_message(events.Resize(size, size))
        await pilot.pause(0.1)
        assert app.size == size and app.sizes_applied == applied + 1


def test_the_app_paints_before_pydantic_or_the_engine_is_loaded():
    """The progressive start shows the kept opening first: importing the app must load
    neither pydantic nor the engine (the interview object and the panel's score registry
    had pulled both in, and the first question took 1.73x its floor)."""
    import subprocess
    import sys

    code = ("import sys, triage.ui.app; "
            "print(sorted(m for m in ('pydantic', 'triage.dialog.engine', 'triage.findings', "
            "'triage.scores.registry') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


async def test_the_assistant_reads_answers_back_in_clinical_words(scar):
    """Issue 21 §2: an option by its words, a unit chosen in the selector by its printed
    form, "today" as a date; take-back, edit and palette by the question's label."""
    from textual.widgets import Select

    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine
    from triage.ui.commands import commands

    engine = Engine(scar, TODAY)
    walk(engine, CLEAR, until="temperature")
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.engine.current().question.id == "temperature"
        app.screen.query_one("#unit", Select).value = "temperature:F"
        await type_answer(pilot, "101.3")
        assert bubbles(app, "answer")[-1] == "101.3 °F"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Took back highest temperature: 101.3 °F" in bubbles(app, "note")
        await type_answer(pilot, "38.5")
        assert bubbles(app, "answer")[-1] == "38.5 °C"
        titles = [c.title for c in commands(app.screen)]
        assert "Edit: highest temperature: 38.5 °C" in titles
        assert "Edit: Nikolsky sign: no" in titles
        assert not [t for t in titles if re.search(r"\b[a-z]+_[a-z_]+\b", t)]
        app.screen.start_edit(("temperature", None))
        await pilot.pause()
        assert "new answer for highest temperature" in app.screen.bar.line.placeholder
        await type_answer(pilot, "39")
        assert bubbles(app, "answer")[-1] == "highest temperature: 39 °C"


async def test_a_date_typed_as_a_word_is_read_back_as_a_date(scar):
    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    walk(engine, {**CLEAR, "onset_date": "2026-11-20"}, until="assessment_date")
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_answer(pilot, "today")
        assert bubbles(app, "answer")[-1] == f"today ({TODAY.isoformat()}, day 5)"


async def test_the_unit_selector_shows_each_questions_own_units(scar):
    """Issue 21 §3: urea's "urea mmol/L" stayed on glucose (the same unit id)."""
    from textual.widgets import Select
    from textual.widgets._select import SelectCurrent

    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    # With detached skin SJS/TEN is considered, and SCORTEN's urea and glucose matter.
    walk(engine, {**CLEAR, "detachment_any": "yes", "detachment_bsa": "15"}, until="urea")
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one("#unit", Select).query_one(SelectCurrent)
        assert shown.label == "urea mmol/L"
        await type_answer(pilot, "7")
        assert app.engine.current().question.id == "glucose"
        assert shown.label == "mmol/L"


async def test_an_edit_that_raises_an_emergency_raises_the_banner_and_back_undoes_it(scar):
    """Issue 21 §3: the banner follows the level after an edit; ctrl+z takes the edit back
    (not the last answer), and the banner goes with the emergency; "What changed" stays in
    view below the summary when the interview is complete."""
    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    walk(engine, CLEAR)
    assert engine.finished
    app = make_app(engine=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner")
        assert not banner.has_class("shown")
        app.screen.start_edit(("confusion", None))
        await pilot.pause()
        await type_answer(pilot, "yes")
        await pilot.pause()
        assert banner.has_class("shown") and "confusion" in str(banner.render())
        changed = [b for b in app.query(Bubble) if str(b.render()).startswith("What changed")]
        assert changed and "Triage level: routine -> emergency" in str(changed[-1].render())
        chat = app.screen.chat
        assert chat.scroll_y >= chat.max_scroll_y - 1  # the newest, "What changed", in view
        answers = len(app.engine.answers)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.engine.value("confusion") is None and len(app.engine.answers) == answers
        assert not banner.has_class("shown")
        assert "Took back the change: new confusion: unknown again." in bubbles(app, "note")[-1]


async def test_page_keys_move_the_conversation_while_the_answer_line_has_focus(scar):
    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    walk(engine, CLEAR)
    app = make_app(engine=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        chat = app.screen.chat
        assert app.focused is app.screen.bar.line
        before = chat.scroll_y
        await pilot.press("pageup")
        await pilot.pause(0.2)
        assert chat.scroll_y < before
        await pilot.press("pagedown")
        await pilot.pause(0.2)
        assert chat.scroll_y == before


async def test_enter_on_the_unit_selector_picks_a_unit_and_never_sends_the_answer(scar):
    """Review of issue 21: Enter on the open unit menu was taken as the answer's Enter, and
    16.8 x10⁹/L went in as 16.8 /mm³."""
    from textual.widgets import Select

    from tests.test_engine import CLEAR, walk
    from triage.dialog.engine import Engine

    engine = Engine(scar, TODAY)
    walk(engine, CLEAR, until="leukocytes")
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for char in "16.8":
            await pilot.press(char)
        unit = app.screen.query_one("#unit", Select)
        unit.focus()
        await pilot.pause()
        await pilot.press("enter")  # opens the menu
        await pilot.pause()
        await pilot.press("down", "enter")  # x10⁹/L
        await pilot.pause()
        assert app.engine.value("leukocytes") is None  # nothing sent yet
        assert unit.value == "leukocytes:g_per_l"
        app.screen.bar.line.focus()
        await pilot.press("enter")
        await pilot.pause()
        answer = app.engine.answers[-1]
        assert (answer.question, answer.raw, answer.unit) == ("leukocytes", "16.8", "g_per_l")
        assert app.engine.findings.labs.leukocytes_per_mm3 == 16800


async def test_a_question_left_out_can_be_answered_from_the_palette(scar, tmp_path):
    """Issue 21 §1 (the review): a question the interview left out, whose answer the
    clinician has, is offered in the palette and recorded as its answer."""
    from triage.ui.commands import commands

    engine = _seed_engine(scar, 999)  # the whole seed case
    assert engine.finished
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        entry = next(c for c in commands(app.screen) if c.title == "Answer: neutrophils")
        entry.run()
        await pilot.pause()
        assert "Left out" in bubbles(app, "question")[-1]
        await type_answer(pilot, "7200")
        assert app.engine.findings.labs.neutrophils_per_mm3 == 7200
        assert ("neutrophils", None) in {a.key for a in app.engine.answers}
        assert not any(c.title == "Answer: neutrophils" for c in commands(app.screen))
        # A drug's rarer detail is asked only when opened: a positive rechallenge (Naranjo
        # question 4, +2) takes the IVIg from 6 to 8.
        naranjo = app.engine.findings.drugs[0].naranjo
        assert naranjo is None or naranjo.reappeared_on_readministration is None
        entry = next(c for c in commands(app.screen)
                     if c.title == "Answer: drug 1 reappeared when given again")
        entry.run()
        await pilot.pause()
        assert "Asked only when opened" in bubbles(app, "question")[-1]
        await type_answer(pilot, "yes")
        assert app.engine.findings.drugs[0].naranjo.reappeared_on_readministration == "yes"
        assert ("drug_rechallenge", 0) in {a.key for a in app.engine.answers}
        total = app.interview.summary()["drugs"][0]["naranjo"]["total"]
        assert total == 8


async def test_the_side_panel_keeps_its_progress_at_80x24_and_says_where_drugs_went(scar):
    """Issue 21 §3: the panel's lowest rows fell off as drugs were added. Short of room,
    the "could be" lines go first, then the finished sections fold into one row, then
    the drugs beyond those that fit are counted; the level, the scores and every open
    section stay."""
    from triage import transcript
    from triage.dialog.engine import Engine
    from triage.ui.widgets.panel import SidePanel

    engine = Engine(scar, TODAY)
    script, _ = transcript.load(ROOT / "examples" / "multi-drug-alden.transcript.yaml")
    for entry in script.answers[:55]:
        assert engine.answer(entry.value, entry.unit, question=entry.q, repeat=entry.repeat)
    for size, folded in (((80, 24), True), ((120, 60), False)):
        app = make_app(engine=engine)
        async with app.run_test(size=size) as pilot:
            panel = app.query_one("#panel", SidePanel)
            # The panel is drawn a frame after the question, and again once it has its
            # size (on a loaded machine, some frames later).
            for _ in range(50):
                await pilot.pause(0.05)
                if panel._last is not None and panel.content_size.height:
                    break
            await pilot.pause(0.1)
            plain = panel.render().plain
            assert len(plain.split("\n")) <= panel.content_size.height
            assert "EuroSCAR" in plain and "SCORTEN" in plain and "Progress" in plain
            open_sections = [s.title for s, done, total in app.engine.progress()
                             if done < total]
            assert len(open_sections) >= 3
            flat = " ".join(plain.split())  # titles wrap in the panel
            for title in open_sections:
                assert title[:20] in flat, title
            assert ("section(s) done" in plain) is folded
            assert ("could be" in plain) is not folded
            assert "1. allopurinol" in plain or "see the drug editor" in plain
            # A drug's details asked only when opened are not counted as open.
            assert "Drugs in the 8 weeks before the onset" not in open_sections


async def test_the_summary_has_its_parts_in_the_palette_and_on_alt_arrows_at_80x24(scar):
    """Issue 21 §3: the summary took 57 PageDowns at 80x24. Its parts are palette entries
    ("Summary: Next steps"), and alt+down / alt+up bring the next or previous part to the
    top, whatever has the focus."""
    from triage.ui.commands import commands

    engine = _seed_engine(scar, 999)  # the whole seed case
    app = make_app(engine=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        titles = [c.title for c in commands(app.screen) if c.title.startswith("Summary: ")]
        assert "Summary: Next steps" in titles and "Summary: Not asked" in titles
        assert len(titles) >= 8
        chat = app.screen.chat

        def top_part() -> str:
            y = round(chat.scroll_offset.y)
            return [t for t, at in app.screen._summary_headings() if at <= y][-1]

        next(c for c in commands(app.screen) if c.title == "Summary: Not asked").run()
        await pilot.pause()
        assert top_part() == "Not asked"
        # On screen, not only by the screen's own arithmetic: the heading is the first
        # line of the conversation's view.
        from textual.widgets import Markdown

        summary = app.screen.chat.query(".summary").results(Markdown).__next__()
        block = next(b for level, t, b in summary.table_of_contents if t == "Not asked")
        assert summary.query_one(f"#{block}").region.y == chat.content_region.y
        assert app.focused is app.screen.bar.line  # the answer box keeps the focus
        await pilot.press("alt+up")
        await pilot.pause()
        parts = [t for t, _ in app.screen._summary_headings()]
        assert top_part() == parts[parts.index("Not asked") - 1]
        await pilot.press("alt+down", "alt+down")
        await pilot.pause()
        assert top_part() == parts[parts.index("Not asked") + 1]


async def test_f9_adds_up_regions_and_palms_into_the_answer(scar):
    """Issue 21 §6: on a % BSA question, F9 opens the helper; the regions ticked (rule of
    nines for the age given there: the detachment is asked before the age) and the palms
    counted become the answer, with how it was found, which the resident checks and
    enters."""
    from textual.widgets import Input, SelectionList

    from triage.ui.modals.bsa import BsaScreen

    app = make_app(scar, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_answer(pilot, "1")  # detached skin: yes; then how much
        assert app.engine.current().question.id == "detachment_bsa"
        assert "F9: add up regions" in bubbles(app, "question")[-1]
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, BsaScreen)
        helper = app.screen
        assert helper.query_one("#age", Input).value == ""  # not asked yet: adult
        await pilot.press("f9")  # nothing ticked: nothing to use
        await pilot.pause()
        assert app.screen is helper
        assert "Tick the regions" in str(helper.query_one("#total").render())
        regions = helper.query_one(SelectionList)
        regions.select("head")
        await pilot.pause()
        assert "Total: 9 %" in str(helper.query_one("#total").render())
        # A child of 2: the head is 16 % (above the 10 % of an emergency).
        helper.query_one("#age", Input).value = "2"
        await pilot.pause()
        assert "Total: 16 %" in str(helper.query_one("#total").render())
        assert "head and neck (16 %)" in str(regions.get_option_at_index(0).prompt)
        helper.query_one("#age", Input).value = ""
        regions.deselect("head")
        regions.select("trunk_front")
        regions.select("arm_left")
        helper.query_one("#palms", Input).value = "2"
        await pilot.pause()
        assert "Total: 29 %" in str(helper.query_one("#total").render())
        await pilot.press("f9")
        await pilot.pause()
        line = app.screen.bar.line
        assert line.value == ("29 (rule of nines: front of the trunk 18 % + left arm and "
                              "hand 9 % + 2 palms 2 %)")
        await pilot.press("enter")
        await pilot.pause()
        assert app.engine.findings.eruption.detachment_bsa_percent == 29
        assert "29 % BSA (rule of nines" in bubbles(app, "answer")[-1]
        # Elsewhere F9 says what it is for, and changes nothing.
        await pilot.press("f9")
        await pilot.pause()
        assert "is for a question asking a % of the body surface" in bubbles(app, "note")[-1]


async def test_a_jump_to_a_section_of_questions_left_out_names_them(scar):
    """Issue 21 §1: a jump into a section whose open questions were all left out said
    only "nothing is open"; it names them, and how to answer them anyway."""
    engine = _seed_engine(scar, 999)  # the whole seed case
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.action_jump("labs")
        await pilot.pause()
        said = bubbles(app, "note")[-1]
        assert said.startswith("Nothing is open in that section. Not asked: ")
        assert "leukocytes" in said and "neutrophils" in said and '"Answer:"' in said
