"""The start-up screen: the opening the last start kept, on screen before the dialog
machinery loads; the interview is built behind it, then the interview screen takes over.

Loading the dialog and building the engine costs as much as Textual's own start
(bench/README.md); the opening depends only on the dialog file and this version of triage
(`first_screen`). Answers typed meanwhile are kept and answered in order once the
interview is built."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.screen import Screen

from triage.ui import first_screen
from triage.ui.screens import layout
from triage.ui.widgets.answer_bar import AnswerBar, AnswerInput
from triage.ui.widgets.chat import ChatLog

if TYPE_CHECKING:
    from triage.dialog.engine import Engine
    from triage.session import Recorder
    from triage.ui.screens.interview import InterviewScreen


class StartupScreen(Screen[None]):
    """Shows the kept opening, builds the interview, hands over to the interview screen."""

    def __init__(
        self,
        build: Callable[[], tuple[Engine, Recorder | None]],
        opening_key: str | None,
        out_dir: Path,
    ) -> None:
        super().__init__()
        self._build = build
        self._opening_key = opening_key
        self._out_dir = out_dir
        #: Answers entered before the interview was built, in the order typed.
        self.pending: list[str] = []
        #: The interview screen, once it has taken over: what is entered here later goes to it.
        self.handed_to: InterviewScreen | None = None

    def compose(self) -> ComposeResult:
        yield from layout.conversation()

    def on_mount(self) -> None:
        shown = first_screen.load(self._opening_key)
        if shown is not None:
            self.query_one("#chat", ChatLog).say_many(shown)
            self.app.call_after_refresh(self.app.first_painted)  # type: ignore[attr-defined]
        self.query_one(AnswerBar).line.focus()
        self.app.call_after_refresh(self._load)

    def on_key(self, event: events.Key) -> None:
        """Enter (or a line feed) enters the answer here, as on the interview screen, not
        through the line's binding: that binding is looked up on the screen on top when
        the key arrives there, and once the interview has taken over an Enter still on its
        way here would find none. After the hand-over it goes to the interview, whose
        line holds what was typed here."""
        if event.key not in ("enter", "ctrl+j"):
            return
        event.stop()
        if self.handed_to is not None:
            self.handed_to.post_message(events.Key(event.key, event.character))
            return
        line = self.query_one(AnswerBar).line
        text, line.value = line.value, ""
        self.pending.append(text)

    @on(AnswerBar.Answered)
    def _answered(self, event: AnswerBar.Answered) -> None:
        self.pending.append(event.text)

    def _load(self) -> None:
        try:
            engine, recorder = self._build()
        except Exception as exc:  # a broken installation: said, not a traceback on screen
            self.app.exit(return_code=2, message=f"triage: the interview could not start: {exc}")
            return
        from triage.interview import Interview
        from triage.ui.screens.interview import InterviewScreen

        app: Any = self.app
        app.interview = Interview(engine, recorder)
        # What is typed but not yet entered goes over too.
        # Keys still on their way to this screen's line (queued while the interview was
        # built: seconds, in a browser under load) follow it there; an Enter queued here
        # was lost.
        line = self.query_one(AnswerBar).line
        typing = line.value
        # Pushed over this screen, which stays at the foot of the stack (Textual's first
        # screen cannot be replaced), emptied: nothing pops the interview screen.
        self.handed_to = InterviewScreen(
            self._out_dir, opening_key=self._opening_key, pending=self.pending, typing=typing)
        if isinstance(line, AnswerInput):
            line.handed_to = self.handed_to
        self.app.push_screen(self.handed_to)
        self.app.call_after_refresh(self.remove_children)
