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
    BsaScreen #age { width: 1fr; }
    BsaScreen #total { text-style: bold; padding: 0 0 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("f9", "use", "Use the total"),
    ]

    def __init__(self, age_years: float | None) -> None:
        super().__init__()
        #: The age the interview knows (the detachment is asked before it): a child's
        #: head is a larger share, so the age typed here counts.
        self.age_years = age_years

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Body surface area by the rule of nines. Space ticks a whole "
                         "region; for patches, count the patient's palms with fingers "
                         "(about 1 % each). A child's head is a larger share: give the "
                         "age. Escape closes.", id="about")
            yield Input("" if self.age_years is None else fmt_number(self.age_years),
                        placeholder="age in years (empty: an adult's proportions)",
                        id="age")
            yield SelectionList[str](*(
                (label, rid) for rid, label in bsa.REGIONS))
            yield Input(placeholder="palms for patches, e.g. 3", id="palms")
            yield Static(id="total")
            yield Button("Use this total (F9, or Enter in a box)", id="use")

    def on_mount(self) -> None:
        self._show()
        self.query_one(SelectionList).focus()

    def _age(self) -> float | None:
        """The age typed (None: an adult's proportions); raises ValueError if not one."""
        text = self.query_one("#age", Input).value.strip().replace(",", ".")
        if not text:
            return None
        age = float(text)
        if not 0 <= age <= 130:
            raise ValueError(text)
        return age

    def _estimate(self) -> bsa.Estimate | str:
        """The estimate, or why there is none."""
        try:
            age = self._age()
        except ValueError:
            return "Age: years from 0 to 130, or empty for an adult"
        text = self.query_one("#palms", Input).value.strip().replace(",", ".")
        try:
            palms = float(text) if text else 0.0
        except ValueError:
            palms = -1.0
        if not 0 <= palms <= 100:
            return "Palms: a number from 0 to 100"
        ticked = {rid: 1.0 for rid in self.query_one(SelectionList).selected}
        if not ticked and not palms:
            return "Tick the regions involved, or count the palms"
        return bsa.estimate(ticked, palms, age)

    def _show(self) -> None:
        try:
            shares = bsa.shares(self._age())
        except ValueError:
            shares = None
        if shares is not None:  # each region with its share at the age typed
            regions = self.query_one(SelectionList)
            for index, (rid, label) in enumerate(bsa.REGIONS):
                share = f"{fmt_number(shares[rid])} %" if shares[rid] else "within the legs"
                regions.replace_option_prompt_at_index(index, f"{label} ({share})")
        found = self._estimate()
        self.query_one("#total", Static).update(
            found if isinstance(found, str)
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
        if not isinstance(found, str):
            self.dismiss(bsa.as_answer(found))
