"""The conversation's layout, shared by the start-up screen and the interview screen so
that the hand-over from one to the other does not move a line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from triage.ui.widgets.answer_bar import AnswerBar
from triage.ui.widgets.chat import ChatLog
from triage.ui.widgets.panel import SidePanel


def conversation() -> ComposeResult:
    """The emergency banner, the chat with its answer bar, the side panel, the keys."""
    yield Static("", id="banner")
    with Horizontal(id="main"):
        with Vertical(id="conversation"):
            yield ChatLog(id="chat")
            yield AnswerBar(id="answer-bar")
        yield SidePanel(id="panel")
    yield Footer()
