"""F1: the keys and how to answer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

#: (terminal key, browser key, what it does); a browser keeps ctrl+n, ctrl+t and ctrl+q.
KEYS = [
    ("Enter", "Enter", "give the answer typed"),
    ("ctrl+n", "F2", 'answer "unknown" (or type ?)'),
    ("ctrl+z", "ctrl+z", "take back the last answer, or the last edit"),
    ("ctrl+t", "F4", "the drug editor: change a cell, add a drug, remove one"),
    ("F9", "F9", "on a % of the body surface: add up regions (rule of nines, by age) and "
                 "palms into the answer"),
    ("ctrl+s", "ctrl+s", "save the transcript (replay it with `triage replay FILE`)"),
    ("ctrl+o", "ctrl+o", "save the summary (md, text, html, json) or the transcript, under a "
                         "name you can edit"),
    ("click an answer", "click an answer",
     "change it (the palette lists them too); Escape keeps it"),
    ("ctrl+y", "ctrl+y", "copy the plain-text summary (works over SSH)"),
    ("ctrl+p", "ctrl+p", "command palette: jump to a section, answer a question not asked "
                         "(a drug's rarer details), new case, themes..."),
    ("PageUp, PageDown", "PageUp, PageDown", "a page of the conversation and the summary"),
    ("alt+down, alt+up", "alt+down, alt+up",
     "the summary's next or previous part (the palette lists them: Summary: ...)"),
    ("F1", "F1", "this help; Escape closes it; PageUp and PageDown move through it"),
    ("ctrl+q", "F10", "quit"),
]

ANSWERING = """\
**Answering.** Options by their number or their word; several options separated by
commas; a number with its unit (`101.3 F`; a decimal comma is fine: `38,5`), or pick the
unit in the selector beside the answer; dates as `2026-11-20`, `today`, `5 days ago`,
`1 year ago`, or days from the onset (`-9`).
Nothing is lost when an answer is refused: the question is asked again with the reason.

Decision support, not a diagnosis.
"""


def help_text(browser: bool) -> str:
    """The help page, with the keys that work where the app runs."""
    rows = "\n".join(f"| {b if browser else t} | {what} |" for t, b, what in KEYS)
    return f"# triage: keys\n\n| key | what it does |\n|---|---|\n{rows}\n\n{ANSWERING}"


class HelpScreen(ModalScreen[None]):
    """The keys, in a pop-up that scrolls (at 80x24 it is taller than the screen)."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 80%; max-width: 90; height: auto; max-height: 90%;
                                background: $surface; border: thick $primary;
                                padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "app.pop_screen", "Close"),
    ]

    def __init__(self, browser: bool = False) -> None:
        super().__init__()
        self._browser = browser

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=True):
            yield Markdown(help_text(self._browser))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
