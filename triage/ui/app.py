"""The assistant: the app holds the interview and the theme; its screens show it.

A progressive start (`triage run` on the built-in dialog) opens on the start-up screen,
which shows the kept opening and builds the interview; every other start opens on the
interview screen at once. `make_app` is the one way to build it: the CLI, the benchmark
and the tests use it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from triage import collector
from triage.ui.steady_size import SteadySize

if TYPE_CHECKING:
    # Not imported at run time before the first question is on screen: they bring pydantic
    # and the dialog machinery, which a progressive start loads after the first paint.
    from triage.dialog.engine import Engine
    from triage.dialog.loader import LoadedDialog
    from triage.interview import Interview
    from triage.reopen import Desk
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

Build = Callable[[], "tuple[Engine, Recorder | None]"]

#: In a browser, ctrl+n, ctrl+t and ctrl+q are the browser's own (a window, a tab, quit)
#: and never reach the page: the same actions on function keys, which the footer then shows.
BROWSER_KEYS = {"unknown": "f2", "drugs": "f4", "quit": "f10"}


class TriageApp(SteadySize, App[None]):
    """The assistant over one interview at a time."""

    TITLE = "triage"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q,f10", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        interview: Interview | None,
        out_dir: Path | None = None,
        *,
        build: Build | None = None,
        opening_key: str | None = None,
        desk: Desk | None = None,
    ) -> None:
        """`interview`, or (a progressive start) None and `build`, which makes the engine
        and recorder once the opening kept under `opening_key` is on screen. With `desk`
        (a browser visit), the start screen comes first: a new interview (`build`) or a
        saved session."""
        super().__init__()
        if interview is None and build is None:
            raise ValueError("an interview, or how to build one")
        #: The interview the screens show (None until a progressive start has built it).
        self.interview = interview
        self._build = build
        self._opening_key = opening_key
        self._desk = desk
        if out_dir is None:
            from triage import export_folder

            out_dir = export_folder.current()
        #: Where exports go unless the clinician names another folder (export_folder.py).
        self.out_dir = out_dir
        #: perf_counter() once the screen shows the first question (for the benchmark).
        self.first_question_at: float | None = None
        #: perf_counter() after the screen was refreshed with the latest question (ditto).
        self.question_painted_at: float | None = None

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
    def loaded(self) -> bool:
        """Whether the interview can be answered (a progressive start has built it)."""
        return self.interview is not None

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        if self.is_web:
            self.set_keymap(BROWSER_KEYS)

    def get_default_screen(self) -> Screen[None]:
        """The start screen of a browser visit, the interview, or the start-up screen that
        builds it."""
        if self._desk is not None and self.interview is None:
            from triage.ui.screens.start import StartScreen

            return StartScreen(self._desk, self._start_new, self.out_dir)
        if self.interview is None:
            from triage.ui.screens.startup import StartupScreen

            assert self._build is not None
            return StartupScreen(self._build, self._opening_key, self.out_dir)
        from triage.ui.screens.interview import InterviewScreen

        return InterviewScreen(self.out_dir, opening_key=self._opening_key)

    def _start_new(self) -> None:
        """From the start screen: a new interview, built behind its opening."""
        from triage.ui.screens.startup import StartupScreen

        assert self._build is not None
        self.push_screen(StartupScreen(self._build, self._opening_key, self.out_dir))

    def first_painted(self) -> None:
        """A first question is on screen (the benchmark's start-up figure)."""
        if self.first_question_at is None:
            self.first_question_at = time.perf_counter()

    def question_painted(self) -> None:
        """The latest question is on screen, and the resident reads it: the time for the
        collector's full pass."""
        self.question_painted_at = time.perf_counter()
        self.first_painted()
        collector.question_shown()

    def action_help(self) -> None:
        from triage.ui.modals.help import HelpScreen

        self.push_screen(HelpScreen(browser=self.is_web))


def make_app(
    dialog: LoadedDialog | None = None,
    today: dt.date | None = None,
    out_dir: Path | None = None,
    *,
    engine: Engine | None = None,
    recorder: Recorder | None = None,
    build: Build | None = None,
    opening_key: str | None = None,
    desk: Desk | None = None,
) -> TriageApp:
    """The assistant: over a new interview of `dialog` (`today` fixes relative dates; tests
    pass one), over `engine` (a reopened session, with its `recorder`), or, a progressive
    start, over what `build` makes once the opening kept under `opening_key` is shown."""
    if build is not None:
        return TriageApp(None, out_dir, build=build, opening_key=opening_key, desk=desk)
    from triage.interview import Interview

    if engine is None:
        from triage.dialog.engine import Engine

        assert dialog is not None, "a dialog, an engine or how to build one"
        engine = Engine(dialog, today or dt.date.today())
    return TriageApp(Interview(engine, recorder), out_dir, opening_key=opening_key)
