"""The interview screen: the conversation over the app's `Interview`.

What the clinician does here becomes an intention for the interview (an answer, unknown,
an edit, a take-back, a drug added or removed, a follow-up); the interview applies and
records it. The screen says what happened and asks the next question; it holds no
clinical logic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from triage import collector
from triage.ui import conversation
from triage.ui.commands import InterviewCommands
from triage.ui.did_you_mean import DidYouMean
from triage.ui.question import FOLLOW_UP_NOTE, question_text
from triage.ui.screens import layout
from triage.ui.widgets.answer_bar import AnswerBar
from triage.ui.widgets.chat import Bubble, ChatLog
from triage.ui.widgets.panel import SidePanel

if TYPE_CHECKING:
    from triage.dialog.engine import Engine, Outcome
    from triage.interview import Interview
    from triage.ui.app import TriageApp

Key = tuple[str, int | None]


class InterviewScreen(Screen[None]):
    """A resident talks to the assistant; the side panel shows what the answers mean."""

    #: The palette (ctrl+p): Textual's own commands and the interview's (ui/commands.py).
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        InterviewCommands}
    #: In the footer's order, most used first, so that at 80 columns the drug editor and
    #: help stay in view. The second key of each is the browser's (see app.BROWSER_KEYS).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n,f2", "unknown", "Unknown", id="unknown"),
        Binding("ctrl+z", "take_back", "Back"),
        Binding("ctrl+t,f4", "drugs", "Drugs", id="drugs"),
        Binding("f1", "app.help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "export", "Export"),
        Binding("ctrl+q,f10", "app.quit", "Quit", id="quit"),
        Binding("ctrl+y", "copy", "Copy summary", show=False),
        # F9 in both: a browser keeps no F9, and it is shown with the question it serves.
        Binding("f9", "bsa", "Body surface", show=False),
        Binding("escape", "cancel_edit", "Keep answer", show=False),
        # The conversation and the summary page with the answer line focused too.
        Binding("pageup", "page(-1)", "Page up", show=False),
        # The summary's parts, one at a time (alt+arrows: browsers keep ctrl+page keys).
        Binding("alt+down", "summary_section(1)", "Next part", show=False),
        Binding("alt+up", "summary_section(-1)", "Previous part", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    def __init__(
        self,
        out_dir: Path,
        *,
        opening_key: str | None = None,
        pending: list[str] | None = None,
        typing: str = "",
    ) -> None:
        """`pending`: answers entered on the start-up screen, answered in order; `typing`:
        what was typed there and not yet entered."""
        super().__init__()
        self.out_dir = out_dir
        #: Where the opening of a new interview is kept for the next start (first_screen).
        self._opening_key = opening_key
        self._pending = pending or []
        self._typing = typing
        self._did_you_mean = DidYouMean()
        self._section: str | None = None
        #: The earlier answer being changed: the next Enter replaces it.
        self.editing: Key | None = None
        self._panel_due = False
        self._banner_text: str | None = None

    def compose(self) -> ComposeResult:
        yield from layout.conversation()

    # --- what the screen shows --------------------------------------------------------

    @property
    def interview(self) -> Interview:
        """The app's interview (what the clinician does goes through it)."""
        interview = self._app.interview
        assert interview is not None
        return interview

    @property
    def engine(self) -> Engine:
        """The interview's engine (what is asked, what the answers mean)."""
        return self.interview.engine

    @property
    def chat(self) -> ChatLog:
        """The conversation."""
        return self._chat

    @property
    def bar(self) -> AnswerBar:
        """The answer bar."""
        return self._bar

    @property
    def _app(self) -> TriageApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        # Found once: a query walks the whole conversation, which grows with every answer.
        self._chat = self.query_one("#chat", ChatLog)
        self._bar = self.query_one(AnswerBar)
        self._panel = self.query_one("#panel", SidePanel)
        # One writer per session: the window keeps its hold while it is open.
        self.set_interval(self.interview.RENEW_EVERY, self.interview.renew_hold)
        self.bar.findings = lambda: self.engine.findings_dict()
        self._start()
        self.interview.begin()
        # What start-up made (Textual, pydantic's schemas, the dialog) lives as long as the
        # app: frozen, the collector's full passes no longer walk it; its full passes wait
        # for a question on screen (see triage.collector).
        collector.started(between_questions=True)
        self.bar.line.value = self._typing
        pending, self._pending = self._pending, []
        for text in pending:
            self._submit(text, *self.bar.read(text))

    def _start(self) -> None:
        interview = self.interview
        if interview.recorder is not None:
            interview.recorder.warn = lambda text: self.chat.say(text, "refused")
        if not self.engine.answers:
            opening = conversation.opening(self.engine)
            self.chat.say_many(opening)
            from triage.ui import first_screen

            first_screen.save(self._opening_key, opening)
            slot = self.engine.current()
            if slot is None:
                self._finish()
            else:
                self._section = slot.section.id
                self.bar.ask(slot)
                self.app.call_after_refresh(self._app.question_painted)
        else:
            # The opening line by itself: the conversation that follows folds its oldest.
            self.chat.say_many([conversation.title(self.engine)])
            said, self._section = conversation.earlier(self.engine)
            self.chat.say_many(said)
            emergencies = conversation.emergencies(self.summary())
            if emergencies:
                self._banner(emergencies)
            self._ask()
        self.bar.line.focus()
        # The first question first; the side panel (the whole summary) right after.
        self._refresh_soon()

    def _banner(self, flags: list[str] | None) -> None:
        """Show the emergency banner with its red flags, or (None) take it down. It is at
        most three lines high (CSS), so it says first how many there are: at 80x24 the
        conversation keeps the room, and the summary lists them all."""
        text = None if not flags else (
            f"EMERGENCY: {flags[0]}" if len(flags) == 1
            else f"EMERGENCY ({len(flags)} red flags): " + "; ".join(flags))
        if text == self._banner_text:  # drawn after every answer: unchanged costs nothing
            return
        self._banner_text = text
        banner = self.query_one("#banner", Static)
        if text is None:
            banner.remove_class("shown")
            return
        banner.update(Text(text))
        banner.add_class("shown")

    def _ask(self) -> None:
        # Whatever asks a question (an answer, a take-back, a jump, an edit) ends a pending
        # "did you mean?".
        self._did_you_mean.forget()
        slot = self.engine.current()
        if slot is None:
            self._finish()
            return
        if slot.section.id != self._section:
            self._section = slot.section.id
            self.chat.say(slot.section.title, "section")
            if slot.section.intro:
                self.chat.say(slot.section.intro, "note")
        self.chat.say(conversation.asked(self.engine, slot), "question")
        self.bar.ask(slot)
        self.app.call_after_refresh(self._app.question_painted)

    def _refresh_soon(self) -> None:
        """Redraw the side panel once the next question is on screen: the question is what
        the resident waits for, the panel (the whole summary) follows a frame later.

        Here and below, the app's call_after_refresh, not the screen's: the screen's own
        queue runs it before the screen is painted (bench/README.md, latency)."""
        if not self._panel_due:
            self._panel_due = True
            self.app.call_after_refresh(self._refresh)

    def _refresh(self, summary: dict[str, Any] | None = None) -> None:
        """Redraw the side panel (from `summary` when the caller has just made it)."""
        self._panel_due = False
        summary = summary if summary is not None else self.summary()
        # The banner follows the level: raised by an edit too, and taken down when an
        # edit or a take-back leaves no emergency.
        emergencies = conversation.emergencies(summary)
        self._banner(emergencies or None)
        self._panel.show(
            summary,
            # A section with nothing to ask today (the visit's, on the presentation day)
            # is not shown.
            [(section.title, done, total) for section, done, total in self.engine.progress()
             if total],
        )
        self.interview.refresh_listing(summary)

    def summary(self) -> dict[str, Any]:
        """The summary of the interview so far (the same as a headless replay gives)."""
        return self.interview.summary()

    def _finish(self, to_top: bool = True) -> None:
        # Imported here: the Markdown widget (and markdown-it) would delay the first
        # question, and are needed only at the end.
        from triage.render import render
        from triage.ui.widgets.summary import SummaryMarkdown

        collector.questions_over()
        self.bar.rest()
        self.chat.say("The interview is complete. The summary:", "note")
        # On screen the answers are the conversation just above: the summary leaves out its
        # list of them (the exports keep it), a third of the Markdown widget's memory.
        shown = {k: v for k, v in self.summary().items() if k != "answers"}
        markdown = render([("this interview", shown)], "md")
        # A follow-up visit ends with a new summary; the last visit's goes.
        self.chat.query(".summary").remove()
        summary = SummaryMarkdown(markdown, classes="summary")
        self.chat.mount(summary)
        # Its top (the level, the red flags, the next steps) in view, not its provenance;
        # after a change, what the change did, said below it.
        if to_top:
            self.app.call_after_refresh(summary.scroll_visible, top=True, animate=False)

    # --- answers ----------------------------------------------------------------------

    @on(AnswerBar.Answered)
    def _answered(self, event: AnswerBar.Answered) -> None:
        if self.editing is not None:
            self._finish_edit(event.text, event.raw, event.unit)
        else:
            self._submit(event.text, event.raw, event.unit)

    def on_key(self, event: events.Key) -> None:
        """Keys typed as the interview screen took over from the start-up screen (before
        anything had focus) or with the focus on the conversation go to the answer line.
        Keys for another widget (the unit selector, its menu) are that widget's: Enter
        there picks a unit, never sends the answer."""
        line = self.bar.line
        if self.focused not in (None, self.chat, line):
            return
        if event.key in ("enter", "ctrl+j"):
            text, line.value = line.value, ""
            self._answered(AnswerBar.Answered(text, *self.bar.read(text)))
        elif event.is_printable and event.character:
            line.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()
        line.focus()

    def _submit(self, text: str, raw: str, unit: str | None) -> None:
        slot = self.engine.current()
        if slot is None:
            return
        checked = self._did_you_mean.check(text, slot)
        if isinstance(checked, Text):
            self.chat.say(text, "answer", slot.key)
            self.chat.say(checked, "question")
            return
        if checked != text:
            text = checked
            raw, unit = self.bar.read(text)
        kept = self.engine.suggestion(slot)
        outcome = self.interview.answer(raw, unit)
        if text.strip():
            shown = conversation.echo(self.engine, slot, text, raw, unit)
        else:
            shown = (f"(kept: {conversation.kept(slot, kept)})"
                     if kept and not slot.question.default
                     else f"({slot.question.default or 'empty'})")
        self.chat.say(shown, "answer", slot.key)
        self._after(outcome)

    def action_unknown(self) -> None:
        slot = self.engine.current()
        if slot is None:
            return
        self._did_you_mean.forget()
        self.chat.say("unknown", "answer", slot.key)
        self._after(self.interview.unknown())

    def _after(self, outcome: Outcome) -> None:
        if not outcome.accepted:
            self.chat.say(f"Not taken: {outcome.message}. The same question again:", "refused")
            self._ask()
            return
        for note in outcome.notes:
            if note.kind == "emergency":
                self.chat.say(
                    f"EMERGENCY: {note.text}. Same-day hospital assessment; the interview goes on.",
                    "emergency",
                )
                self._banner([note.text])
            else:
                self.chat.say(note.text, "note")
        self._ask()
        self._refresh_soon()

    # Not `action_back`: that is Textual's own action (close the top screen), which a
    # binding of Textual's or a later release may use; it must never take an answer back.
    def action_take_back(self) -> None:
        self.action_cancel_edit()  # the answer being changed may be the one taken back
        # An edit taken back says what that changed: the summary before it is needed.
        before = self.summary() if self.interview.takes_back_an_edit else {}
        outcome, taken, restored = self.interview.take_back()
        if not outcome.accepted or taken is None:
            self.chat.say(outcome.message or "nothing to take back", "note")
            return
        self._say_notes(outcome)
        if restored is None:
            self.chat.say(f"Took back {conversation.said(self.engine, taken)}", "note")
        else:
            self._after_change(before, f"Took back the change: "
                                       f"{conversation.said(self.engine, restored)} again. ")
            return
        self._section = None
        self._ask()
        self._refresh_soon()

    # --- editing an earlier answer ------------------------------------------------------

    def on_bubble_selected(self, event: Bubble.Selected) -> None:
        if event.chosen.key is not None:
            self.start_edit(event.chosen.key)

    def start_edit(self, key: Key) -> None:
        """Ask again for an earlier answer; the next Enter replaces it."""
        slot = self.engine.slot(*key)
        if slot is not None and key not in {a.key for a in self.engine.answers}:
            self._start_left_out(slot)
            return
        if slot is None:
            self.chat.say("That answer no longer applies.", "note")
            return
        self.editing = key
        old = next(a for a in self.engine.answers if a.key == key)
        self.chat.say(
            Text.assemble(
                ("Change your answer ", "bold"),
                f"({conversation.said(self.engine, old, with_question=False)}):\n",
                question_text(slot, self.engine.dialog),
            ),
            "question",
        )
        label = conversation.label(self.engine, old)
        self.bar.ask(slot, f"new answer for {label}, then Enter (Escape: keep it)")
        self.bar.line.focus()

    def _start_left_out(self, slot: Any) -> None:
        """Ask a question the interview left out; the next Enter answers it."""
        if slot.key not in {s.key for s in self.engine.left_out()}:
            self.chat.say("That question is asked in its turn.", "note")
            return
        self.editing = slot.key
        lead = ("Asked only when opened; answer it if you have it:\n"
                if slot.question.on_request else
                "Left out, as no answer could change the outcome; answer it if you have it:\n")
        self.chat.say(Text.assemble((lead, "bold"), question_text(slot, self.engine.dialog)),
                      "question")
        self.bar.ask(slot, "your answer, then Enter (Escape: leave it out)")
        self.bar.line.focus()

    def _finish_edit(self, text: str, raw: str, unit: str | None) -> None:
        key = self.editing
        assert key is not None
        before = self.summary()
        if key not in {a.key for a in self.engine.answers}:  # a question left out
            outcome = self.interview.answer_left_out(key, raw, unit)
            if not outcome.accepted:
                self.chat.say(f"Not answered: {outcome.message}", "refused")
                return
            self.editing = None
            given = next(a for a in self.engine.answers if a.key == key)
            self.chat.say(conversation.said(self.engine, given), "answer", key)
            self._say_notes(outcome)
            self._after_change(before, "")
            return
        outcome = self.interview.edit(key, raw, unit)
        if not outcome.accepted:
            self.chat.say(f"Not changed: {outcome.message}", "refused")
            return
        self.editing = None
        edited = next(a for a in self.engine.answers if a.key == key)
        self.chat.say(conversation.said(self.engine, edited), "answer", key)
        self._say_notes(outcome)
        self._after_change(before, "")

    def _say_notes(self, outcome: Outcome) -> None:
        """What a change set off: an emergency, a grade worked out, answers dropped."""
        for note in outcome.notes:
            self.chat.say(note.text, "emergency" if note.kind == "emergency" else "note")

    def _after_change(self, before: dict[str, Any], lead: str,
                      nothing: str | None = None) -> None:
        """Say what a change did where the eye is, then go on: below the new summary when
        the interview is complete, else before the next question."""
        self._section = None
        if self.engine.current() is None:
            self._did_you_mean.forget()
            self._finish(to_top=False)
            self._changed(before, lead, nothing)
        else:
            self._changed(before, lead, nothing)
            self._ask()

    def _changed(self, before: dict[str, Any], lead: str, nothing: str | None = None) -> None:
        """Say what a change did to the scores, the level and the next steps."""
        from triage.summary import changes

        after = self.summary()
        said = changes(before, after)
        self.chat.say(
            lead + "What changed: " + ("; ".join(said) if said else nothing or
                                       "nothing in the scores, the level or the next steps"),
            "note",
        )
        self._refresh(after)

    def _summary_headings(self) -> list[tuple[str, int]]:
        """The summary's level-2 headings, each with its place in the conversation."""
        from textual.widgets import Markdown

        summaries = list(self.chat.query(".summary").results(Markdown))
        if not summaries:
            return []
        summary = summaries[-1]
        return [(title, summary.virtual_region.y
                 + summary.query_one(f"#{block}", Widget).virtual_region.y)
                for level, title, block in summary.table_of_contents
                if level == 2 and block is not None]

    def summary_sections(self) -> list[tuple[str, int]]:
        """The summary's parts on screen (its level-2 headings), in order, when it is shown."""
        return [(title, index) for index, (title, _) in enumerate(self._summary_headings())]

    def show_summary_section(self, index: int) -> None:
        """Bring the summary's part `index` to the top of the conversation."""
        headings = self._summary_headings()
        if 0 <= index < len(headings):
            self.chat.scroll_to(y=headings[index][1], animate=False)

    def action_summary_section(self, direction: int) -> None:
        """The next (1) or previous (-1) part of the summary from the one at the top."""
        at = [y for _, y in self._summary_headings()]
        if not at:
            return
        top = round(self.chat.scroll_offset.y)
        if direction > 0:
            index = next((i for i, y in enumerate(at) if y > top), len(at) - 1)
        else:
            index = next((i for i in reversed(range(len(at))) if at[i] < top), 0)
        self.show_summary_section(index)

    def action_page(self, direction: int) -> None:
        """A page of the conversation up (-1) or down (1)."""
        if direction < 0:
            self.chat.scroll_page_up(animate=False)
        else:
            self.chat.scroll_page_down(animate=False)

    def action_cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            slot = self.engine.current()
            if slot is not None:
                self.bar.ask(slot)
            else:
                self.bar.rest()
            self.chat.say("Kept the earlier answer.", "note")

    # --- the drug editor --------------------------------------------------------------

    def action_bsa(self) -> None:
        """The body-surface helper, on a question asking a % of the body surface: the
        total it works out is put in the answer line, to be checked and entered."""
        from triage import bsa
        from triage.ui.modals.bsa import BsaScreen

        slot = self.bar.slot
        if slot is None or not bsa.applies([u.label for u in slot.question.units or ()]):
            self.chat.say("The body-surface helper (F9) is for a question asking a % of "
                          "the body surface.", "note")
            return
        age = self.engine.findings.patient.age_years

        def typed(answer: str | None) -> None:
            if answer is not None:
                self.bar.line.value = answer
                self.bar.line.cursor_position = len(answer)
            self.bar.line.focus()

        self.app.push_screen(BsaScreen(age), typed)

    def action_drugs(self) -> None:
        from triage.ui.modals.drugs import DrugScreen

        self.app.push_screen(DrugScreen.of(self.engine), self._drug_action)

    def _drug_action(self, result: tuple[str, Any] | None) -> None:
        from triage.ui.modals.drugs import drug_group

        if result is None:
            return
        action, value = result
        if action == "edit":
            self.start_edit(value)
            return
        group = drug_group(self.engine.dialog).id
        before = self.summary()
        if action == "add":
            if self.engine.repeats(group) == 0:
                self.chat.say("Answer whether any drug was taken first.", "note")
                return
            outcome = self.interview.add_entry(group)
        else:
            outcome = self.interview.remove_entry(group, value)
        if not outcome.accepted:
            self.chat.say(f"Not changed: {outcome.message}", "refused")
            return
        self._after_change(
            before,
            "Another drug follows. " if action == "add" else f"Removed drug {value + 1}. ",
            "nothing yet",
        )

    # --- commands ----------------------------------------------------------------------

    def action_jump(self, section: str) -> None:
        if self.engine.jump(section):
            self._section = None
            self._ask()
        else:
            from triage.dialog.wording import question_label

            # Left out is not finished: say which, and how to answer them anyway.
            left = [question_label(s.question, s.repeat) for s in self.engine.left_out()
                    if s.section.id == section]
            self.chat.say("Nothing is open in that section." + (
                f" Not asked: {'; '.join(left)}. The palette's \"Answer:\" entries take "
                "them." if left else ""), "note")

    def action_follow_up(self, only: str | None = None) -> None:
        self.start_follow_up(dt.date.today(), only)

    def start_follow_up(self, on: dt.date, only: str | None = None) -> None:
        """Open a follow-up visit on `on` of the finished interview (`only`: a quick visit
        for that episode score)."""
        outcome = self.interview.follow_up(on, only)
        if not outcome.accepted:
            self.chat.say(f"No follow-up: {outcome.message}", "refused")
            return
        self.chat.say(conversation.follow_up_intro(self.engine), "section")
        self.chat.say(FOLLOW_UP_NOTE, "note")
        self._section = None
        self._ask()
        self._refresh_soon()

    def action_new_case(self) -> None:
        self._app.interview = self.interview.new_case()
        self.chat.clear()
        self._banner(None)
        self._section = None
        self._start()

    def action_copy(self) -> None:
        from triage.render import render

        # OSC 52: the terminal puts it on the clipboard, also over SSH.
        self.app.copy_to_clipboard(render([("this interview", self.summary())], "text"))
        self.chat.say("The plain-text summary is on the clipboard.", "note")

    # --- files -------------------------------------------------------------------------

    def _stamp(self) -> str:
        return dt.datetime.now().strftime("%Y%m%d-%H%M%S")

    def action_save(self) -> None:
        self.export(("transcript", self.out_dir / f"triage-{self._stamp()}.transcript.yaml"))

    def action_export(self) -> None:
        """Ask for a format and a file name, then write it."""
        from triage.ui.modals.export import ExportScreen

        self.app.push_screen(ExportScreen(self.out_dir, f"triage-{self._stamp()}"), self.export)

    def export(self, choice: tuple[str, Path] | None) -> None:
        """Write the interview as `choice`: (a format, where)."""
        from triage import transcript
        from triage.render import render
        from triage.ui.files import deliver

        if choice is None:
            return
        fmt, path = choice
        if fmt == "transcript":
            text = transcript.dumps(transcript.from_engine(self.engine))
        else:
            text = render([("this interview", self.summary())], fmt)
        said = deliver(self.app, fmt, text, path)
        self.chat.say(said.text, said.kind)
