"""The conversation: the assistant's questions and notes, the clinician's answers."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from triage.plain_text import clean, is_clean


@dataclass(frozen=True)
class Said:
    """One message of the conversation as data: what a bubble shows."""

    text: str | Text
    kind: str  # question | answer | note | refused | emergency | section
    key: tuple[str, int | None] | None = None  # the (question, repeat) an answer answers


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
            # Not `self.bubble`: Message.bubble is Textual's flag for whether a message
            # travels up to the parents, and a widget there only worked by being truthy.
            self.chosen = bubble

        @property
        def control(self) -> Bubble:
            return self.chosen

    def __init__(
        self, text: str | Text, kind: str, key: tuple[str, int | None] | None = None
    ) -> None:
        # Text, never markup: free text from the clinician must not be interpreted, and
        # what reaches the terminal has no control characters.
        shown = text if isinstance(text, Text) else Text(text)
        if not is_clean(shown.plain):
            shown = Text(clean(shown.plain))
        super().__init__(shown, classes=kind)
        self.said = Said(text, kind, key)

    @property
    def kind(self) -> str:
        return self.said.kind

    @property
    def key(self) -> tuple[str, int | None] | None:
        """The (question, repeat) an answer bubble answers."""
        return self.said.key

    def on_click(self) -> None:
        if self.kind == "answer" and self.key is not None:
            self.post_message(self.Selected(self))


class Fold(Static):
    """Stands for the earlier messages that are not laid out; a click shows them."""

    DEFAULT_CSS = """
    Fold { width: 1fr; margin: 0 1 1 1; padding: 0 1; color: $text-muted;
           text-style: italic; display: none; }
    Fold.shown { display: block; }
    Fold:hover { color: $text; text-style: bold italic; }
    """

    def on_click(self) -> None:
        self.parent.unfold()  # type: ignore[union-attr]


class ChatLog(VerticalScroll):
    """The scrolling conversation.

    Textual lays out every displayed child of a container whenever one is added, and
    walks the whole DOM for styles and queries, so a conversation of 400 bubbles would make
    each answer slower than the one before. Only the newest `SHOWN` messages are widgets;
    older ones are kept as data, folded behind one line that mounts them all again on a
    click (or `unfold()`, which the palette offers) until the next message folds them.
    """

    DEFAULT_CSS = """
    ChatLog { height: 1fr; }
    """

    #: Messages laid out at once: about a screen of scrollback at 120x40 (eight questions
    #: with their answers); each laid-out message costs every later answer its layout.
    SHOWN = 16
    FOLD_STEP = 8

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._folded: list[Said] = []  # kept as data only (oldest first)
        self._shown: list[Bubble] = []  # mounted (oldest first)
        self._fold_due = False
        self._fold_label: str | None = None  # what the fold line says now

    def compose(self) -> ComposeResult:
        yield Fold(id="fold")

    @property
    def folded(self) -> int:
        """How many earlier messages are folded."""
        return len(self._folded)

    def say(self, text: str | Text, kind: str, key: tuple[str, int | None] | None = None) -> Bubble:
        """Add a message and keep the newest in view."""
        bubble = Bubble(text, kind, key)
        self.mount(bubble)
        self._shown.append(bubble)
        # Folded once the new message is on screen: the removal is out of sight (above the
        # view), and the answer it fell on had waited for it.
        if not self._fold_due:
            self._fold_due = True
            self.call_after_refresh(self._fold_later)
        self.scroll_end(animate=False)
        return bubble

    def _fold_later(self) -> None:
        self._fold_due = False
        if not self.is_attached:  # the app closed right after the message
            return
        self._fold_overflow()
        self.scroll_end(animate=False)

    def say_many(self, said: list[Said]) -> None:
        """Add many messages at once (a resumed conversation): only the newest are mounted."""
        cut = max(len(said) - self.SHOWN, 0)
        self._folded.extend(said[:cut])
        bubbles = [Bubble(s.text, s.kind, s.key) for s in said[cut:]]
        if bubbles:
            self.mount_all(bubbles)
        self._shown.extend(bubbles)
        self._fold_overflow()
        self.scroll_end(animate=False)

    def _fold_overflow(self) -> None:
        # Folded a screenful at a time: removing widgets costs a pass of its own, which
        # one answer in FOLD_STEP pays instead of every answer.
        if len(self._shown) >= self.SHOWN + self.FOLD_STEP:
            overflow, self._shown = self._shown[: -self.SHOWN], self._shown[-self.SHOWN :]
            self._folded.extend(b.said for b in overflow)
            self.remove_children(overflow)
        self._label_fold()

    def _label_fold(self) -> None:
        count = self.folded
        label = (f"▲ {count} earlier message{'s' if count != 1 else ''} folded: click to "
                 "show them (or 'Show the whole conversation' in ctrl+p)") if count else ""
        if label == self._fold_label:  # an update lays the conversation out again
            return
        self._fold_label = label
        fold = self.query_one(Fold)
        fold.set_class(count > 0, "shown")
        if count:
            fold.update(label)

    def unfold(self) -> None:
        """Lay out the whole conversation (until the next message folds it again)."""
        earlier = [Bubble(s.text, s.kind, s.key) for s in self._folded]
        if earlier:
            self.mount_all(earlier, after=self.query_one(Fold))
        self._folded, self._shown = [], earlier + self._shown
        self._label_fold()

    def clear(self) -> None:
        """Forget the whole conversation (a new case)."""
        self.remove_children([c for c in self.children if not isinstance(c, Fold)])
        self._folded, self._shown = [], []
        self._label_fold()
