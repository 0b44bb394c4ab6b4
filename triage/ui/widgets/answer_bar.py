"""The answer line at the foot of the conversation."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class AnswerInput(Input):
    """The answer line. Enter typed before the terminal was in raw mode (a fast typist at
    start-up) arrives as a line feed, ctrl+j: it submits the answer as Enter does, in the
    order it was typed, rather than vanish."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+j", "submit", show=False)]
