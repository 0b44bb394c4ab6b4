"""F9 on a body-surface question: the regions involved (rule of nines, by age) and the
patient's palms for patches, added up into the answer (triage/bsa.py)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static

from triage import bsa
from triage.numbers import fmt_number


class BsaScreen(ModalScreen[str | None]):
    """Returns the answer to type (the total with how it was found), or None."""

    DEFAULT_CSS = """
    BsaScreen { align: center middle; }
    BsaScreen > Vertical { width: 64; max-width: 95%; height: auto; max-height: 95%;
                           background: $surface; border: thick $primary; padding: 0 1; }
    BsaScreen SelectionList { height: auto; max-height: 10; }
    BsaScreen #palms { width: 1fr; }
    BsaScreen #total { text-style: bold; padding: 0 0 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("f9", "use", "Use the total"),
    ]

    def __init__(self, age_years: float | None) -> None:
        super().__init__()
        self.age_years = age_years
        self.shares = bsa.shares(age_years)

    def compose(self) -> ComposeResult:
        whose = ("an adult (age unknown)" if self.age_years is None
                 else f"age {fmt_number(self.age_years)}")
        with Vertical():
            yield Static(f"Body surface area, rule of nines for {whose}. Space ticks a "
                         "whole region; for patches, count the patient's palms with "
                         "fingers (about 1 % each). Escape closes.", id="about")
            yield SelectionList[str](*(
                (f"{label} ({fmt_number(self.shares[rid])} %)", rid)
                for rid, label in bsa.REGIONS if self.shares[rid] > 0))
            yield Input(placeholder="palms for patches, e.g. 3", id="palms")
            yield Static(id="total")
            yield Button("Use this total (F9, or Enter in the palms)", id="use")

    def on_mount(self) -> None:
        self._show()
        self.query_one(SelectionList).focus()

    def _estimate(self) -> bsa.Estimate | None:
        text = self.query_one("#palms", Input).value.strip().replace(",", ".")
        try:
            palms = float(text) if text else 0.0
        except ValueError:
            return None
        if not 0 <= palms <= 100:
            return None
        ticked = {rid: 1.0 for rid in self.query_one(SelectionList).selected}
        return bsa.estimate(ticked, palms, self.age_years)

    def _show(self) -> None:
        found = self._estimate()
        self.query_one("#total", Static).update(
            "Palms: a number from 0 to 100" if found is None
            else f"Total: {fmt_number(found.percent)} % ({found.said})")

    def on_selection_list_selected_changed(self) -> None:
        self._show()

    def on_input_changed(self) -> None:
        self._show()

    def on_input_submitted(self) -> None:
        self.action_use()

    def on_button_pressed(self) -> None:
        self.action_use()

    def action_use(self) -> None:
        found = self._estimate()
        if found is not None:
            self.dismiss(bsa.as_answer(found))
