"""Save the summary or the transcript: a format and a file name with a sensible default."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from triage.formats import FORMATS as ALL_FORMATS

FORMATS = tuple((f.id, f.label, f.suffix) for f in ALL_FORMATS if f.in_app)


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
    """Pick a format (the file name follows it), edit the name, Enter saves."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 70; height: auto; background: $surface;
                              border: thick $primary; padding: 0 1; }
    ExportScreen OptionList { height: auto; max-height: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path, stem: str) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.format = FORMATS[0][0]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save as (Enter saves; Tab to change the name; Escape cancels)")
            yield OptionList(*(Option(label, id=fid) for fid, label, _ in FORMATS), id="formats")
            yield Input(self._default(), id="path")

    def _default(self) -> str:
        return str(self.folder / f"{self.stem}.{self._suffix()}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.format = event.option.id or "md"
        self.query_one("#path", Input).value = self._default()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # One Enter saves, under the name shown; Tab reaches the name to change it.
        self._save(self.query_one("#path", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # the file name is this dialog's, not an answer
        self._save(event.input)

    def _save(self, field: Input) -> None:
        name = field.value.strip()
        if not name:  # a cleared field: the default again, nothing written
            field.value = self._default()
            return
        path = Path(name).expanduser()
        if not path.is_absolute():  # a bare name: in the export folder, not where triage runs
            path = self.folder / path
        if not path.suffix:  # a name typed over the default ("AB12"): the format's suffix
            path = path.with_name(f"{path.name}.{self._suffix()}")
        self.dismiss((self.format, path))

    def _suffix(self) -> str:
        return next(s for f, _, s in FORMATS if f == self.format)

    def action_cancel(self) -> None:
        self.dismiss(None)
