"""The drug editor: the drugs as a table; change a cell, add a drug, remove one."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from triage.plain_text import clean

#: Table columns: the drug's findings field each shows, with its title. The questions
#: come from the dialog's drug group (those that write the field; for "last intake", the
#: first of them that applies to the drug).
FIELDS = (
    ("Drug", "name"),
    ("First intake", "start_day"),
    ("Still taken at onset", "ongoing_at_onset"),
    ("Last intake", "stop_day"),
    ("Previous exposure", "previous_exposure"),
)
Column = tuple[str, tuple[str, ...]]


def drug_group(dialog: Any) -> Any:
    """The dialog's group of questions asked per drug (the one that writes `drugs`)."""
    return next(q for q in dialog.questions.values()
                if q.type == "group" and q.field == "drugs")


def rows(engine: Any, group: Any) -> list[dict[str, Any]]:
    """Per drug entered: its repeat and the answers (as entered) of the drug group."""
    found: dict[int, dict[str, Any]] = {}
    for answer in engine.answers:
        if answer.repeat is not None and engine.dialog.group_of.get(answer.question) is group:
            found.setdefault(answer.repeat, {"repeat": answer.repeat})[answer.question] = (
                answer.raw)
    return [found[i] for i in sorted(found)]


def columns(group: Any) -> tuple[Column, ...]:
    """The table's columns for a dialog's drug group: (title, question ids)."""
    members = group.questions or []
    found = []
    for title, field in FIELDS:
        ids = tuple(q.id for q in members if q.field == field)
        if ids:
            found.append((title, ids))
    return tuple(found)

Result = tuple[str, Any]  # ("edit", (question, repeat)) | ("add", None) | ("remove", index)


class DrugScreen(ModalScreen[Result | None]):
    """Enter changes the selected cell, a adds a drug, Delete removes the row's drug."""

    DEFAULT_CSS = """
    DrugScreen { align: center middle; }
    DrugScreen > Vertical { width: 90%; height: auto; max-height: 80%;
                            background: $surface; border: thick $primary; padding: 0 1; }
    DrugScreen DataTable { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", "Change"),
        Binding("a", "add", "Add a drug"),
        Binding("delete,d", "remove", "Remove"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, drugs: list[dict[str, Any]], group: Any) -> None:
        super().__init__()
        self.rows = drugs  # per drug: {"repeat": i, question id: (raw, applies)}
        self.columns = columns(group)

    @classmethod
    def of(cls, engine: Any) -> DrugScreen:
        """The editor for the drugs of an interview."""
        group = drug_group(engine.dialog)
        return cls(rows(engine, group), group)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "Drugs: Enter changes the cell, a adds a drug, Delete removes one, Escape closes"
            )
            table: DataTable[Text] = DataTable(cursor_type="cell", zebra_stripes=True)
            table.add_columns("#", *(title for title, _ in self.columns))
            for row in self.rows:
                # Text, never a string: the table reads strings as markup (a drug typed
                # as "[link=...]" would become a live link).
                cells = [Text(str(row["repeat"] + 1))]
                for _, questions in self.columns:
                    shown = next((row[q] for q in questions if q in row), "")
                    cells.append(Text(clean(str(shown))))
                table.add_row(*cells)
            yield table

    def _cell(self) -> tuple[int, int]:
        table = self.query_one(DataTable)
        return table.cursor_row, table.cursor_column

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        # The table takes Enter itself and says which cell was chosen.
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        if not self.rows:
            return
        row, column = self._cell()
        if column == 0:
            return
        questions = self.columns[column - 1][1]
        drug = self.rows[row]
        applies = [q for q in questions if q in drug]
        if applies:
            self.dismiss(("edit", (applies[0], drug["repeat"])))

    def action_add(self) -> None:
        self.dismiss(("add", None))

    def action_remove(self) -> None:
        if self.rows:
            self.dismiss(("remove", self.rows[self._cell()[0]]["repeat"]))

    def action_close(self) -> None:
        self.dismiss(None)
