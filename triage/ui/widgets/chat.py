"""The conversation: the assistant's questions and notes, the clinician's answers."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static


class Bubble(Static):
    """One message of the conversation; its kind styles it."""

    DEFAULT_CSS = """
    Bubble { width: 1fr; margin: 0 1 1 1; padding: 0 1; }
    Bubble.question { background: $boost; border-left: thick $primary; }
    Bubble.answer { margin-left: 12; background: $primary 15%; text-align: right; }
    Bubble.answer:hover { background: $primary 30%; }
    Bubble.note { color: $text-muted; }
    Bubble.refused { border-left: thick $warning; }
    Bubble.emergency { border-left: thick $error; background: $error 15%; text-style: bold; }
    Bubble.section { text-style: bold; color: $accent; margin-bottom: 0; }
    """

    class Selected(Message):
        """An answer bubble was clicked: the clinician wants to change that answer."""

        def __init__(self, bubble: Bubble) -> None:
            super().__init__()
            self.bubble = bubble

        @property
        def control(self) -> Bubble:
            return self.bubble

    def __init__(
        self, text: str | Text, kind: str, key: tuple[str, int | None] | None = None
    ) -> None:
        # Text, never markup: free text from the clinician must not be interpreted.
        super().__init__(text if isinstance(text, Text) else Text(text), classes=kind)
        self.kind = kind
        self.key = key  # the (question, repeat) an answer bubble answers

    def on_click(self) -> None:
        if self.kind == "answer" and self.key is not None:
            self.post_message(self.Selected(self))


class ChatLog(VerticalScroll):
    """The scrolling conversation."""

    DEFAULT_CSS = """
    ChatLog { height: 1fr; }
    """

    def say(self, text: str | Text, kind: str, key: tuple[str, int | None] | None = None) -> Bubble:
        """Add a message and keep the newest in view."""
        bubble = Bubble(text, kind, key)
        self.mount(bubble)
        self.scroll_end(animate=False)
        return bubble
