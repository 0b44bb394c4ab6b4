"""The chat-style assistant: one conversation over the dialog engine.

The app holds no clinical logic: the engine decides what to ask and what an answer means,
`triage.summary` what it all amounts to. Built by `make_app`, shared by the CLI and tests.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.theme import Theme
from textual.widgets import Footer, Input, Select, Static

from triage import collector
from triage.interview import Interview
from triage.numbers import fmt_number
from triage.ui.commands import InterviewCommands
from triage.ui.question import FOLLOW_UP_NOTE, question_text
from triage.ui.steady_size import SteadySize
from triage.ui.widgets.answer_bar import AnswerInput
from triage.ui.widgets.chat import Bubble, ChatLog, Said
from triage.ui.widgets.panel import SidePanel

if TYPE_CHECKING:
    # Not imported at run time before the first question is on screen: they bring pydantic
    # and the dialog machinery, which a progressive start loads after the first paint.
    from triage.dialog.engine import Engine, Outcome, Slot
    from triage.dialog.loader import LoadedDialog
    from triage.session import Recorder

#: For low vision and bright rooms: black on white, strong borders.
HIGH_CONTRAST = Theme(
    name="triage-high-contrast",
    primary="#000000",
    secondary="#000000",
    accent="#0000b0",
    warning="#8a4b00",
    error="#b00000",
    success="#006000",
    foreground="#000000",
    background="#ffffff",
    surface="#ffffff",
    panel="#e8e8e8",
    boost="#f0f0f0",
    dark=False,
)


class TriageApp(SteadySize, App[None]):
    """A resident talks to the assistant; the side panel shows what the answers mean."""

    TITLE = "triage"
    CSS_PATH = "app.tcss"
    #: The palette (ctrl+p): Textual's own commands and the interview's (ui/commands.py).
    COMMANDS = App.COMMANDS | {InterviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "unknown", "Unknown"),
        Binding("ctrl+z", "take_back", "Back"),
        Binding("ctrl+s", "save", "Save transcript"),
        Binding("ctrl+o", "export", "Export summary"),
        Binding("ctrl+y", "copy", "Copy summary", show=False),
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "drugs", "Drugs"),
        Binding("escape", "cancel_edit", "Keep answer", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(
        self,
        engine: Engine | None,
        out_dir: Path | None = None,
        recorder: Recorder | None = None,
        *,
        build: Callable[[], tuple[Engine, Recorder | None]] | None = None,
        opening_key: str | None = None,
    ) -> None:
        """`engine`, or (a progressive start) None and `build`, which makes the engine and
        recorder once the opening saved under `opening_key` is on screen."""
        super().__init__()
        if engine is None and build is None:
            raise ValueError("an engine, or how to build one")
        #: The interview: what the clinician does goes through it (None until a
        #: progressive start has built it).
        self.interview: Interview | None = (
            None if engine is None else Interview(engine, recorder))
        self._build = build
        #: Where the opening of a new interview is kept for the next start (first_screen).
        self._opening_key = opening_key
        self._shown: list[Said] | None = None
        self._pending: list[str] = []
        #: A drug name on no list with a near miss, waiting for "did you mean?": (typed,
        #: suggested). The next answer says which one the engine gets.
        self._did_you_mean: tuple[str, str] | None = None
        self.out_dir = out_dir or Path.cwd()
        if recorder is not None:
            recorder.warn = lambda text: self.chat.say(text, "refused")
        self._section: str | None = None
        self._editing: tuple[str, int | None] | None = None
        #: perf_counter() once the screen shows the first question (for the benchmark).
        self.first_question_at: float | None = None
        #: perf_counter() after the screen was refreshed with the latest question (ditto).
        self.question_painted_at: float | None = None
        self._hint_shown: tuple[str, bool] = ("", False)
        self._panel_due = False

    def compose(self) -> ComposeResult:
        yield Static("", id="banner")
        with Horizontal(id="main"):
            with Vertical(id="conversation"):
                yield ChatLog(id="chat")
                yield Static("", id="hint")
                with Horizontal(id="answer-row"):
                    yield AnswerInput(placeholder="your answer, then Enter", id="answer")
                    yield Select([("-", "-")], allow_blank=False, id="unit", compact=True)
            yield SidePanel(id="panel")
        yield Footer()

    @property
    def engine(self) -> Engine:
        """The interview's engine (what is asked, what the answers mean)."""
        assert self.interview is not None, "the interview is not built yet"
        return self.interview.engine

    @property
    def recorder(self) -> Recorder | None:
        """Where every accepted change is saved at once; None: nothing is saved but what
        the clinician exports."""
        return None if self.interview is None else self.interview.recorder

    @property
    def chat(self) -> ChatLog:
        return self.query_one("#chat", ChatLog)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        # One writer per session: the window keeps its hold while it is open.
        self.set_interval(Interview.RENEW_EVERY, self._renew_lease)
        if self.interview is None:
            from triage.ui import first_screen

            # The opening as the last start saved it, on screen now; the engine after it.
            self._shown = first_screen.load(self._opening_key)
            if self._shown is not None:
                self.chat.say_many(self._shown)
                self.call_after_refresh(self._first_painted)
            self.query_one("#answer", Input).focus()
            self.call_after_refresh(self._load)
            return
        self._start()
        self._begun()

    def _begun(self) -> None:
        """The interview is on screen: record from here, and start-up is over."""
        if self.interview is not None:
            self.interview.begin()
        # What start-up made (Textual, pydantic's schemas, the dialog) lives as long as the
        # app: frozen, the collector's full passes (nine over the seed interview) no longer
        # walk it; and its full passes wait for a question on screen (_painted). Only when
        # `triage` is the process itself (see triage.collector).
        collector.started(between_questions=True)

    @property
    def loaded(self) -> bool:
        """Whether the interview can be answered (a progressive start has built it)."""
        return self.interview is not None

    def _load(self) -> None:
        assert self._build is not None
        try:
            engine, recorder = self._build()
        except Exception as exc:  # a broken installation: said, not a traceback on screen
            self.exit(return_code=2, message=f"triage: the interview could not start: {exc}")
            return
        self.interview = Interview(engine, recorder)
        if recorder is not None:
            recorder.warn = lambda text: self.chat.say(text, "refused")
        from triage.ui import first_screen

        if self._shown is not None and first_screen.same(self._shown, self._opening()):
            slot = self.engine.current()
            assert slot is not None
            self._section = slot.section.id
            self._set_units(slot)
            self._refresh_soon()
        else:
            self.chat.clear()
            self._start()
        self._begun()
        pending, self._pending = self._pending, []
        for text in pending:
            self._submit(text)

    def _title(self) -> Said:
        return Said(f"{self.engine.dialog.dialog.title}. Red flags first; then the timeline, "
                    "the drugs, the skin, labs and histology. F1: keys.", "note")

    def _opening(self) -> list[Said]:
        """What a new interview says before its first answer."""
        said = [self._title()]
        slot = self.engine.current()
        if slot is not None:
            said.append(Said(slot.section.title, "section"))
            if slot.section.intro:
                said.append(Said(slot.section.intro, "note"))
            said.append(Said(self._question(slot), "question"))
        return said

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until a progressive start has built the interview, only quitting, help and the
        # palette work; typed answers wait (see _submit).
        return self.interview is not None or action in ("quit", "help", "command_palette")

    def _start(self) -> None:
        if not self.engine.answers:
            opening = self._opening()
            self.chat.say_many(opening)
            from triage.ui import first_screen

            first_screen.save(self._opening_key, opening)
            slot = self.engine.current()
            if slot is None:
                self._finish()
            else:
                self._section = slot.section.id
                self._set_units(slot)
                self.call_after_refresh(self._painted)
        else:
            self.chat.say_many([self._title()])
            self._show_earlier_answers()
            self._ask()
        self.query_one("#answer", Input).focus()
        # The first question first; the side panel (the whole summary) right after.
        self._refresh_soon()

    # --- the conversation --------------------------------------------------------------

    def _show_earlier_answers(self) -> None:
        """An engine that already holds answers (a resumed session): the conversation so
        far, each question with its answer, and the banner if an emergency was found."""
        said: list[Said] = []
        section = None
        visit = self.engine.follow_up_visit
        current = set(self.engine.answers)

        def conversation(answers: Iterable[Any], live: bool) -> None:
            nonlocal section
            for answer in answers:
                slot = self.engine.slot(answer.question, answer.repeat)
                if slot is None:
                    continue
                if slot.section.id != section:
                    section = slot.section.id
                    said.append(Said(slot.section.title, "section"))
                said.append(Said(question_text(slot, self.engine.dialog), "question"))
                # Presentation-day answers replaced at follow-up are history, not editable.
                key = answer.key if live or answer in current else None
                said.append(Said(_entered(answer.raw, answer.unit), "answer", key))

        conversation(visit.presentation if visit else self.engine.answers, visit is None)
        if visit is None:
            said.append(Said(f"{len(self.engine.answers)} answers so far; going on.", "note"))
        else:
            said.append(Said(self._follow_up_intro(), "section"))
            section = None
            conversation(self.engine.visited, True)
            said.append(Said(FOLLOW_UP_NOTE, "note"))
        self.chat.say_many(said)
        self._section = section
        triage = self.summary()["triage"]
        emergencies = [f["text"] for f in triage["red_flags"] if f["level"] == "emergency"]
        if emergencies:
            self._banner("; ".join(emergencies))

    def _follow_up_intro(self) -> str:
        visit = self.engine.follow_up_visit
        assert visit is not None
        return (f"Follow-up visit, {visit.on.isoformat()} (presentation day "
                f"{self.engine.today.isoformat()})")

    def _banner(self, text: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Text("EMERGENCY: " + text))
        banner.add_class("shown")

    def _ask(self) -> None:
        # Whatever asks a question (an answer, a take-back, a jump, an edit) ends a pending
        # "did you mean?": its 1 or 2 must never answer another question.
        self._did_you_mean = None
        slot = self.engine.current()
        if slot is None:
            self._finish()
            return
        if slot.section.id != self._section:
            self._section = slot.section.id
            self.chat.say(slot.section.title, "section")
            if slot.section.intro:
                self.chat.say(slot.section.intro, "note")
        self.chat.say(self._question(slot), "question")
        self._set_units(slot)
        self.call_after_refresh(self._painted)

    def _question(self, slot: Slot) -> Text:
        engine = self.engine
        if engine.follow_up_visit is None:
            return question_text(slot, engine.dialog)
        from triage.summary import as_entered

        was = engine.presentation_answer(slot.question.id, slot.repeat)
        kept = engine.suggestion(slot)
        return question_text(
            slot, engine.dialog,
            # Asked, so not yet answered at this visit: the engine still holds this answer.
            before=None if was is None else as_entered(was, engine.dialog, engine.value),
            keep=None if kept is None else _entered(*kept),
        )

    def _painted(self) -> None:
        self.question_painted_at = time.perf_counter()
        self._first_painted()
        # The question is on screen and the resident reads it: the time for a full pass.
        collector.question_shown()

    def _first_painted(self) -> None:
        if self.first_question_at is None:
            self.first_question_at = time.perf_counter()

    def _set_units(self, slot: Slot) -> None:
        """A unit selector for numbers that take several units; none otherwise."""
        select = self.query_one("#unit", Select)
        units = slot.question.units or []
        if len(units) > 1:
            select.set_options([(u.label, u.id) for u in units])
            select.value = units[0].id
            select.add_class("shown")
        else:
            select.remove_class("shown")
        self._hint("")

    def _hint(self, text: str, bad: bool = False) -> None:
        # Every key typed lands here; an unchanged hint must not cost a layout pass.
        if (text, bad) == self._hint_shown:
            return
        self._hint_shown = (text, bad)
        hint = self.query_one("#hint", Static)
        hint.update(Text(text))
        hint.set_class(bad, "bad")

    # The handlers below take their messages from the answer box and the unit selector only
    # (the selector in @on): a dialog's field, the export's file name say, bubbles up here
    # too, and its Enter was once taken for an answer to the current question.
    @on(Input.Changed, "#answer")
    def _answer_changed(self, event: Input.Changed) -> None:
        """Live check of a number: what it is in the field's unit, or why it is refused."""
        if self.interview is None:
            return
        from triage.dialog import values
        slot = self.engine.current() if self._editing is None else self.engine.slot(*self._editing)
        if slot is None or not slot.question.units or not event.value.strip():
            self._hint("")
            return
        if values.is_unknown(event.value):
            self._hint("")
            return
        raw, unit = self._raw(event.value, slot)
        try:
            _, used, canonical = values.number(
                slot.question, raw, unit, self.engine.findings_dict()
            )
        except values.AnswerError as exc:
            self._hint(str(exc), bad=True)
            return
        # In the field's unit (or the unit's own field, e.g. eosinophils in %).
        label = used.label if used.field else slot.question.units[0].label
        self._hint(f"= {fmt_number(canonical)} {label}")

    @on(Select.Changed, "#unit")
    def _unit_changed(self, event: Select.Changed) -> None:
        answer = self.query_one("#answer", Input)
        self._answer_changed(Input.Changed(answer, answer.value))
        answer.focus()

    def _raw(self, text: str, slot: Slot) -> tuple[str, str | None]:
        """The answer and its unit as the transcript keeps them (see values.as_typed),
        with the unit selector's choice for a number typed without one."""
        from triage.dialog import values

        chosen = self.query_one("#unit", Select).value if slot.question.units else None
        return values.as_typed(slot.question, text,
                               None if not isinstance(chosen, str) else chosen)

    @on(Input.Submitted, "#answer")
    def _answer_submitted(self, event: Input.Submitted) -> None:
        if self._editing is not None:
            self._finish_edit(event)
            return
        text = event.value
        event.input.value = ""
        if self.interview is None:
            # Typed before the interview was built (a fast typist at a progressive start):
            # answered as soon as it is.
            self._pending.append(text)
            return
        self._submit(text)

    def _near_miss(self, text: str, slot: Slot) -> str | None:
        """Whether to ask "did you mean?" before `text` becomes a drug's name: a name on no
        list loses its notoriety and its allergy advice without a word."""
        if self._did_you_mean is not None:
            typed, suggested = self._did_you_mean
            self._did_you_mean = None
            choice = text.strip().casefold()
            if choice in ("1", "y", "yes"):
                return suggested
            if choice in ("2", "n", "no"):
                return typed
            text = text.strip()  # another name typed instead: checked like the first
        if slot.group is None or slot.question.field != "name" or not text.strip():
            return text
        from triage.knowledge import suggest

        near = suggest(text)
        if near is None:
            return text
        self._did_you_mean = (text, near)
        self.chat.say(text, "answer", slot.key)
        question = Text()
        question.append(f"{text} is on no drug list: its notoriety and allergy advice would be "
                        f"unknown. Did you mean {near}?\n")
        question.append(f"1 yes ({near})   2 no (keep {text})", "dim")
        self.chat.say(question, "question")
        return None

    def _submit(self, text: str) -> None:
        slot = self.engine.current()
        if slot is None:
            return
        checked = self._near_miss(text, slot)
        if checked is None:
            return
        text = checked
        raw, unit = self._raw(text, slot)
        shown = text if (raw, unit) == (text, None) or unit else f"{text} ({raw})"
        if not shown:
            kept = self.engine.suggestion(slot)
            shown = (f"(kept: {_entered(*kept)})" if kept and not slot.question.default
                     else f"({slot.question.default or 'empty'})")
        self.chat.say(shown, "answer", slot.key)
        self._after(self._interview.answer(raw, unit))

    def action_unknown(self) -> None:
        slot = self.engine.current()
        if slot is None:
            return
        self._did_you_mean = None
        self.chat.say("unknown", "answer", slot.key)
        self._after(self._interview.unknown())

    # --- editing an earlier answer ------------------------------------------------------

    def on_bubble_selected(self, event: Bubble.Selected) -> None:
        if event.chosen.key is not None:
            self.start_edit(event.chosen.key)

    def start_edit(self, key: tuple[str, int | None]) -> None:
        """Ask again for an earlier answer; the next Enter replaces it."""
        slot = self.engine.slot(*key)
        if slot is None or key not in {a.key for a in self.engine.answers}:
            self.chat.say("That answer no longer applies.", "note")
            return
        self._editing = key
        old = next(a for a in self.engine.answers if a.key == key)
        self.chat.say(
            Text.assemble(
                ("Change your answer ", "bold"),
                f"({old.raw}):\n",
                question_text(slot, self.engine.dialog),
            ),
            "question",
        )
        answer = self.query_one("#answer", Input)
        answer.placeholder = f"new answer for {key[0]}, then Enter (Escape: keep it)"
        answer.focus()

    def _finish_edit(self, event: Input.Submitted) -> None:
        from triage.summary import changes

        key = self._editing
        assert key is not None
        slot = self.engine.slot(*key)
        text = event.value
        event.input.value = ""
        raw, unit = self._raw(text, slot) if slot else (text, None)
        before = self.summary()
        outcome = self._interview.edit(key, raw, unit)
        if not outcome.accepted:
            self.chat.say(f"Not changed: {outcome.message}", "refused")
            return
        self._editing = None
        self.query_one("#answer", Input).placeholder = "your answer, then Enter"
        self.chat.say(f"{key[0]}: {text}", "answer", key)
        for note in outcome.notes:
            self.chat.say(note.text, "emergency" if note.kind == "emergency" else "note")
        after = self.summary()
        said = changes(before, after)
        self.chat.say(
            "What changed: "
            + ("; ".join(said) if said else "nothing in the scores, the level or the next steps"),
            "note",
        )
        self._refresh(after)
        self._section = None
        self._ask()

    def action_cancel_edit(self) -> None:
        if self._editing is not None:
            self._editing = None
            self.query_one("#answer", Input).placeholder = "your answer, then Enter"
            self.chat.say("Kept the earlier answer.", "note")

    # --- the drug editor --------------------------------------------------------------

    def action_drugs(self) -> None:
        from triage.ui.modals.drugs import DrugScreen

        self.push_screen(DrugScreen.of(self.engine), self._drug_action)

    def _drug_group(self) -> Any:
        from triage.ui.modals.drugs import drug_group

        return drug_group(self.engine.dialog)

    def _drug_action(self, result: tuple[str, Any] | None) -> None:
        from triage.summary import changes

        if result is None:
            return
        action, value = result
        if action == "edit":
            self.start_edit(value)
            return
        before = self.summary()
        if action == "add":
            group = self._drug_group().id
            if self.engine.repeats(group) == 0:
                self.chat.say("Answer whether any drug was taken first.", "note")
                return
            outcome = self._interview.add_entry(group)
        else:
            outcome = self._interview.remove_entry(self._drug_group().id, value)
        if not outcome.accepted:
            self.chat.say(f"Not changed: {outcome.message}", "refused")
            return
        after = self.summary()
        said = changes(before, after)
        self.chat.say(
            ("Another drug follows. " if action == "add" else f"Removed drug {value + 1}. ")
            + "What changed: "
            + ("; ".join(said) if said else "nothing yet"),
            "note",
        )
        self._refresh(after)
        self._section = None
        self._ask()

    # Not `action_back`: that is Textual's own action (close the top screen), which a
    # binding of Textual's or a later release may use; it must never take an answer back.
    def action_take_back(self) -> None:
        outcome, taken = self._interview.take_back()
        if not outcome.accepted or taken is None:
            self.chat.say(outcome.message or "nothing to take back", "note")
            return
        self.chat.say(f"Took back {taken.question}: {taken.raw}", "note")
        self._section = None
        self._ask()
        self._refresh_soon()

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
                self._banner(note.text)
            else:
                self.chat.say(note.text, "note")
        self._ask()
        self._refresh_soon()

    def _refresh_soon(self) -> None:
        """Redraw the side panel once the next question is on screen: the question is what
        the resident waits for, the panel (the whole summary) follows a frame later."""
        if not self._panel_due:
            self._panel_due = True
            self.call_after_refresh(self._refresh)

    def _refresh(self, summary: dict | None = None) -> None:
        """Redraw the side panel (from `summary` when the caller has just made it)."""
        self._panel_due = False
        summary = summary if summary is not None else self.summary()
        self.query_one("#panel", SidePanel).show(
            summary,
            # A section with nothing to ask today (the visit's, on the presentation day)
            # is not shown.
            [(section.title, done, total) for section, done, total in self.engine.progress()
             if total],
        )
        self._interview.refresh_listing(summary)

    @property
    def _interview(self) -> Interview:
        assert self.interview is not None, "the interview is not built yet"
        return self.interview

    def _renew_lease(self) -> None:
        if self.interview is not None:
            self.interview.renew_hold()

    def summary(self) -> dict:
        """The summary of the interview so far (the same as a headless replay gives)."""
        return self._interview.summary()

    def _finish(self) -> None:
        # Imported here: the Markdown widget (and markdown-it) would delay the first
        # question, and are needed only at the end.
        from triage.render import render
        from triage.ui.widgets.summary import SummaryMarkdown

        collector.questions_over()

        self.chat.say("The interview is complete. The summary:", "note")
        # On screen the answers are the conversation just above: the summary leaves out its
        # list of them (the exports keep it), which is a third of the Markdown widget's
        # memory (a widget per list item).
        shown = {k: v for k, v in self.summary().items() if k != "answers"}
        markdown = render([("this interview", shown)], "md")
        # A follow-up visit ends with a new summary; the presentation day's goes.
        self.chat.query(".summary").remove()
        summary = SummaryMarkdown(markdown, classes="summary")
        self.chat.mount(summary)
        # Its top (the level, the red flags, the next steps) in view, not its provenance.
        self.call_after_refresh(summary.scroll_visible, top=True, animate=False)

    # --- commands ----------------------------------------------------------------------

    def action_help(self) -> None:
        from triage.ui.modals.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_jump(self, section: str) -> None:
        if self.engine.jump(section):
            self._section = None
            self._ask()
        else:
            self.chat.say("Nothing is open in that section.", "note")

    def action_follow_up(self) -> None:
        self.start_follow_up(dt.date.today())

    def start_follow_up(self, on: dt.date) -> None:
        """Reopen the finished interview at a follow-up visit on `on`."""
        outcome = self._interview.follow_up(on)
        if not outcome.accepted:
            self.chat.say(f"No follow-up: {outcome.message}", "refused")
            return
        self.chat.say(self._follow_up_intro(), "section")
        self.chat.say(FOLLOW_UP_NOTE, "note")
        self._section = None
        self._ask()
        self._refresh_soon()

    def action_new_case(self) -> None:
        self.interview = self._interview.new_case()
        self.chat.clear()
        self.query_one("#banner", Static).remove_class("shown")
        self._section = None
        self._start()

    def action_copy(self) -> None:
        from triage.render import render

        # OSC 52: the terminal puts it on the clipboard, also over SSH.
        self.copy_to_clipboard(render([("this interview", self.summary())], "text"))
        self.chat.say("The plain-text summary is on the clipboard.", "note")

    # --- files -------------------------------------------------------------------------

    def _stamp(self) -> str:
        return dt.datetime.now().strftime("%Y%m%d-%H%M%S")

    def action_save(self) -> None:
        from triage import transcript

        path = self.out_dir / f"triage-{self._stamp()}.transcript.yaml"
        self._write_out("transcript", transcript.dumps(transcript.from_engine(self.engine)), path)

    def action_export(self) -> None:
        """Ask for a format and a file name, then write it."""
        from triage.ui.modals.export import ExportScreen

        self.push_screen(ExportScreen(self.out_dir, f"triage-{self._stamp()}"), self._export)

    def _export(self, choice: tuple[str, Path] | None) -> None:
        from triage import transcript
        from triage.render import render

        if choice is None:
            return
        fmt, path = choice
        if fmt == "transcript":
            text = transcript.dumps(transcript.from_engine(self.engine))
        else:
            text = render([("this interview", self.summary())], fmt)
        self._write_out(fmt, text, path)

    def _write_out(self, fmt: str, text: str, path: Path) -> None:
        """Save a file where the clinician is: in a browser, a download (the server's
        folders are not theirs); in a terminal, the file, never overwriting one."""
        if self.is_web:
            import io

            self.deliver_text(io.StringIO(text), save_filename=path.name)
            self.chat.say(f"Sent {fmt} to your browser as {path.name}.", "note")
            return
        from triage.private_file import write_new

        try:
            write_new(path, text)
        except FileExistsError:
            self.chat.say(f"Not saved: {path} exists; nothing is overwritten.", "refused")
            return
        except OSError as exc:
            self.chat.say(f"Not saved: {path}: {exc.strerror}", "refused")
            return
        self.chat.say(f"Saved {fmt}: {path}", "note")


def _entered(raw: str, unit: str | None) -> str:
    return raw + (f" {unit}" if unit else "")


def make_app(
    dialog: LoadedDialog, today: dt.date | None = None, out_dir: Path | None = None
) -> TriageApp:
    """The assistant over `dialog`; `today` fixes relative dates (tests pass one)."""
    from triage.dialog.engine import Engine

    return TriageApp(Engine(dialog, today or dt.date.today()), out_dir)
