"""The answer bar at the foot of the conversation: the answer line, a unit selector for
numbers that take several units, and a live hint of what a number means. It reads what
was typed as the transcript keeps it (`values.as_typed`) and posts `AnswerBar.Answered`;
what the answer does is the screen's business."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Input, Select, Static

from triage.numbers import fmt_number

if TYPE_CHECKING:
    from triage.dialog.engine import Slot

PLACEHOLDER = "your answer, then Enter"


class AnswerInput(Input):
    """The answer line. Enter typed before the terminal was in raw mode (a fast typist at
    start-up) arrives as a line feed, ctrl+j: it submits the answer as Enter does, in the
    order it was typed, rather than vanish."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+j", "submit", show=False)]

    #: Where keys go once this line's screen has handed over to another (the start-up
    #: screen to the interview): keys already on their way here when the interview took
    #: over are typed there, not into a line nobody reads.
    handed_to: MessagePump | None = None

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's own handler, this one first; preventing the default
        # keeps Input's from typing the key here too.
        if self.handed_to is not None:
            event.stop()
            event.prevent_default()
            self.handed_to.post_message(events.Key(event.key, event.character))


class AnswerBar(Vertical):
    """The hint above the answer line and its unit selector."""

    #: The answer line itself.
    line: Input
    _units: Select[str]
    _hint: Static

    class Answered(Message):
        """An answer entered: as typed (`text`) and as the transcript keeps it."""

        def __init__(self, text: str, raw: str, unit: str | None) -> None:
            super().__init__()
            self.text = text
            self.raw = raw
            self.unit = unit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The question being answered; None before the interview is built.
        self.slot: Slot | None = None
        #: The answers so far, for units that depend on another field (eosinophils in %).
        self.findings: Callable[[], dict[str, Any]] = dict
        self._hint_shown: tuple[str, bool] = ("", False)

    def compose(self) -> ComposeResult:
        yield Static("", id="hint")
        with Horizontal(id="answer-row"):
            yield AnswerInput(placeholder=PLACEHOLDER, id="answer")
            yield Select([("-", "-")], allow_blank=False, id="unit", compact=True)

    def on_mount(self) -> None:
        self.line = self.query_one("#answer", Input)
        self._units = self.query_one("#unit", Select)
        self._hint = self.query_one("#hint", Static)

    def ask(self, slot: Slot, placeholder: str = PLACEHOLDER) -> None:
        """Answers now go to `slot`: a unit selector if its number takes several units."""
        self.slot = slot
        select = self._units
        units = slot.question.units or []
        if len(units) > 1:
            # Keyed by question and unit: Select redraws its label only when its value
            # changes, and urea's mmol/L and glucose's share the unit id.
            select.set_options([(u.label, f"{slot.question.id}:{u.id}") for u in units])
            select.add_class("shown")
        else:
            select.remove_class("shown")
        self.line.placeholder = placeholder
        self.hint("")

    def rest(self) -> None:
        """No question to answer (the interview is complete): no unit, no hint."""
        self.slot = None
        self._units.remove_class("shown")
        self.line.placeholder = PLACEHOLDER
        self.hint("")

    def read(self, text: str) -> tuple[str, str | None]:
        """`text` as the transcript keeps it, with the selector's unit for a bare number."""
        if self.slot is None:
            return text, None
        from triage.dialog import values

        chosen = self._units.value if self.slot.question.units else None
        unit = chosen.partition(":")[2] if isinstance(chosen, str) else None
        return values.as_typed(self.slot.question, text, unit or None)

    def hint(self, text: str, bad: bool = False) -> None:
        """Say `text` above the answer line (a warning colour when `bad`)."""
        # Every key typed lands here; an unchanged hint must not cost a layout pass.
        if (text, bad) == self._hint_shown:
            return
        self._hint_shown = (text, bad)
        hint = self._hint
        hint.update(Text(text))
        hint.set_class(bad, "bad")

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        event.input.value = ""
        self.post_message(self.Answered(text, *self.read(text)))

    @on(Input.Changed, "#answer")
    def _changed(self, event: Input.Changed) -> None:
        """Live check of a number: what it is in the field's unit, or why it is refused."""
        event.stop()
        slot = self.slot
        if slot is None or not slot.question.units or not event.value.strip():
            self.hint("")
            return
        from triage.dialog import values

        if values.is_unknown(event.value):
            self.hint("")
            return
        try:
            given = values.bound(slot.question, event.value)
        except values.AnswerError as exc:
            self.hint(str(exc), bad=True)
            return
        if given is not None:
            self.hint(f"= {given} {slot.question.units[0].label}")
            return
        if values.is_normal_answer(slot.question, event.value):
            if values.normal_lab(slot.question) is None:
                self.hint("no usual interval to read 'normal' by: give the number", bad=True)
            else:
                self.hint("= within normal limits")
            return
        raw, unit = self.read(event.value)
        try:
            _, used, canonical = values.number(slot.question, raw, unit, self.findings())
        except values.AnswerError as exc:
            self.hint(str(exc), bad=True)
            return
        # In the field's unit (or the unit's own field, e.g. eosinophils in %).
        label = used.label if used.field else slot.question.units[0].label
        self.hint(f"= {fmt_number(canonical)} {label}")

    @on(Select.Changed, "#unit")
    def _unit_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._changed(Input.Changed(self.line, self.line.value))
        self.line.focus()
