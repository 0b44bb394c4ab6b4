"""A browser visit's first screen (issue 22 §3): a new interview, or a saved session found
by patient label or id, to resume, follow up today or export. The terminal has
`triage resume`, `followup` and `export` for these; a browser has only this screen.

Everything it does goes through `triage.reopen.Desk`, as those commands do: a session is
read with the dialog it was recorded with, and one held by another window is refused
with who holds it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from triage.plain_text import one_line
from triage.reopen import Refused

if TYPE_CHECKING:
    from triage.reopen import Desk
    from triage.reopen import Found as Session

INTRO = ("A new interview: Enter. A saved session: type its patient label or id, then "
         "Enter, and choose it from the list.")
ACTIONS = ("Enter: go on with it   f: its follow-up visit today   e: export its summary   "
           "Esc: back to the search")


class StartScreen(Screen[None]):
    """New interview, or find a saved session and open it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "follow_up", "Follow up today", show=False),
        Binding("e", "export", "Export summary", show=False),
        Binding("escape", "search", "Search", show=False),
    ]

    def __init__(self, desk: Desk, new: Callable[[], None], out_dir: Path) -> None:
        """`new`: starts a new interview in place of this screen."""
        super().__init__()
        self.desk = desk
        self._new = new
        self.out_dir = out_dir
        self._found: list[Session] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static(INTRO, id="start-intro")
            yield Input(placeholder="patient label or session id (Enter alone: a new "
                        "interview)", id="find")
            yield Static("", id="start-said")
            yield OptionList(id="found")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#find", Input).focus()

    def say(self, text: str) -> None:
        """A line for the clinician under the search box (plain text: labels are
        another user's)."""
        self.query_one("#start-said", Static).update(Text(text))

    @on(Input.Submitted, "#find")
    def _searched(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._new()
            return
        try:
            self._found = self.desk.find(text)
        except Refused as exc:
            self.say(str(exc))
            return
        found = self.query_one("#found", OptionList)
        found.clear_options()
        found.add_options([Option(Text(self._line(s))) for s in self._found])
        if not self._found:
            self.say(f"No saved session has the id or patient label {one_line(text)!r}.")
            return
        self.say(f"{len(self._found)} found. {ACTIONS}")
        found.highlighted = 0
        found.focus()

    @staticmethod
    def _line(s: Session) -> str:
        patient = one_line(s.patient_ref or "no patient label")
        level = s.level or "no level yet"
        return (f"{s.id}  {patient}  {s.status}, {level}, {s.answers} answers, "
                f"last change {s.updated_utc[:16].replace('T', ' ')} UTC")

    def _chosen(self) -> Session | None:
        found = self.query_one("#found", OptionList)
        index = found.highlighted
        if index is None or not 0 <= index < len(self._found):
            self.say("Choose a session from the list first.")
            return None
        return self._found[index]

    @on(OptionList.OptionSelected, "#found")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(lambda sid: self.desk.resume(sid))

    def action_follow_up(self) -> None:
        """Open the highlighted session at a follow-up visit: the one under way, else a new
        one today."""
        if self.focused is self.query_one("#found", OptionList):
            self._open(self.desk.follow_up)

    def action_search(self) -> None:
        """Back to the search box."""
        self.query_one("#find", Input).focus()

    def _open(self, how: Callable[[str], tuple[Any, Any]]) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        try:
            engine, recorder = how(chosen.id)
        except Refused as exc:
            self.say(str(exc))
            return
        from triage.interview import Interview
        from triage.ui.screens.interview import InterviewScreen

        app: Any = self.app
        app.interview = Interview(engine, recorder)
        screen = InterviewScreen(self.out_dir)
        self.app.push_screen(screen)
        current = self.desk.dialog
        if engine.dialog.hash != current.hash:
            # The terminal asks whether to carry the answers over (`triage resume
            # --carry-over`); the browser goes on as recorded, and says so.
            was = f"{engine.dialog.id} {engine.dialog.version}"
            note = (f"This session was recorded with dialog {was}; it goes on with it, as "
                    f"recorded (this triage asks {current.id} {current.version}). To carry "
                    f"its answers over, resume it at a terminal: triage resume "
                    f"{recorder.session_id} --carry-over.")
            self.app.call_after_refresh(lambda: screen.chat.say(note, "note"))

    def action_export(self) -> None:
        """Send the highlighted session's printable summary (to the browser as a download;
        at a terminal, to the export folder)."""
        if self.focused is not self.query_one("#found", OptionList):
            return
        chosen = self._chosen()
        if chosen is None:
            return
        from triage.render import render
        from triage.summary import summarize_interview
        from triage.ui.files import deliver

        try:
            saved = self.desk.read(chosen.id)
        except Refused as exc:
            self.say(str(exc))
            return
        name = f"session {chosen.id}"
        if chosen.patient_ref:
            name += f" (patient {one_line(chosen.patient_ref)})"
        text = render([(name, summarize_interview(saved.engine))], "html")
        saved.store.close()
        said = deliver(self.app, "html", text, self.out_dir / f"triage-{chosen.id}.html")
        self.say(str(said.text))
