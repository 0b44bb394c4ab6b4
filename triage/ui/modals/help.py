"""F1: the keys and how to answer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# triage: keys

| key | what it does |
|---|---|
| Enter | give the answer typed |
| ctrl+n | answer "unknown" |
| ctrl+z | take the last answer back |
| ctrl+s | save the transcript (replay it with `triage replay FILE`) |
| ctrl+o | save the summary (md, text, html, json) or the transcript, under a name you can edit |
| click an answer | change it (the palette lists them too); Escape keeps it |
| ctrl+y | copy the plain-text summary (works over SSH) |
| ctrl+p | command palette: jump to a section, new case, themes... |
| ctrl+t | the drug editor: change a cell, add a drug, remove one |
| F1 | this help; Escape closes it |
| ctrl+q | quit |

**Answering.** Options by their number or their word; several options separated by
commas; a number with its unit (`101.3 F`, `7.2 g_per_l`); dates as `2026-11-20`,
`today`, `5 days ago`, or days from the onset (`-9`). Nothing is lost when an answer is
refused: the question is asked again with the reason.

Decision support, not a diagnosis.
"""


class HelpScreen(ModalScreen[None]):
    """The keys, in a pop-up."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen Markdown { width: 80%; max-width: 90; height: auto; max-height: 90%;
                          background: $surface; border: thick $primary; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "app.pop_screen", "Close"),
    ]

    def compose(self) -> ComposeResult:
        yield Markdown(HELP)
