""""Did you mean?" before a drug's name is taken: a name on no list loses its notoriety
and its allergy advice without a word, so a near miss is asked about first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from triage.dialog.engine import Slot


class DidYouMean:
    """One pending question at most: (typed, suggested); the next answer says which."""

    def __init__(self) -> None:
        self.pending: tuple[str, str] | None = None

    def forget(self) -> None:
        """Another question is asked: its 1 or 2 must never answer this one."""
        self.pending = None

    def check(self, text: str, slot: Slot) -> str | Text:
        """The answer to give the engine, or the question to ask first."""
        if self.pending is not None:
            typed, suggested = self.pending
            self.pending = None
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
        self.pending = (text, near)
        question = Text()
        question.append(f"{text} is on no drug list: its notoriety and allergy advice would be "
                        f"unknown. Did you mean {near}?\n")
        question.append(f"1 yes ({near})   2 no (keep {text})", "dim")
        return question
