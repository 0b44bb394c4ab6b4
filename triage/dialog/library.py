"""Every dialog a session may have been recorded with, found by its content hash.

A session names its dialog by hash, and is always read with that dialog: after an upgrade
of triage the current dialog says something else, and its answers may not mean the same.
Where a dialog is found, in order:

1. the dialog in use now (built-in, or `--dialog`);
2. the session store, which keeps the canonical text of every dialog a session used;
3. the earlier versions that triage ships (dialogs/archive/), for stores written before
   the store kept dialogs.

A dialog read from the store was written by whoever can write the store: it is checked as
`triage check` would check a file, and refused in check's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from triage.dialog.check import check_loaded
from triage.dialog.loader import LoadedDialog, canonical_text, load_dialog, loads_dialog, text_hash
from triage.errors import InputError, Problem
from triage.paths import dialogs_dir


class KeepsDialogs(Protocol):
    """The part of the session store that keeps dialogs."""

    def dialog_text(self, digest: str) -> str | None: ...
    def keep_dialog(self, dialog: tuple[str, str, str], text: str) -> None: ...


def archived() -> list[Path]:
    """The earlier versions of the built-in dialogs that triage ships."""
    folder = dialogs_dir() / "archive"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def key_of(dialog: LoadedDialog) -> tuple[str, str, str]:
    """(id, version, hash): how the store names a dialog."""
    return dialog.id, dialog.version, dialog.hash


@dataclass
class Library:
    """Finds dialogs by hash; `current` is the one a new session (or a carry-over) uses."""

    current: LoadedDialog
    store: KeepsDialogs | None = None
    #: Every dialog `get` gave, by hash: what `keep_used` writes to the store.
    used: dict[str, LoadedDialog] = field(default_factory=dict)

    def get(self, ref: tuple[str, str, str], source: str) -> LoadedDialog:
        """The dialog (id, version, hash), or an InputError saying why it cannot be had."""
        digest = ref[2]
        if digest in self.used:
            return self.used[digest]
        found = self.current if digest == self.current.hash else None
        if found is None:
            found = self._from_store(digest, source)
        if found is None:
            found = self._from_archive(digest)
        if found is None:
            raise InputError([Problem(
                source,
                f"recorded with dialog {ref[0]} {ref[1]} ({digest[:19]}...), which neither "
                f"the store nor this triage holds (this is {self.current.id} "
                f"{self.current.version}); pass that dialog's file with --dialog",
            )])
        self.used[digest] = found
        return found

    def keep_used(self, *also: LoadedDialog) -> None:
        """Keep in the store every dialog a session was read with (and `also`), so that
        it is read with them after any upgrade; a store written before the store kept
        dialogs is filled in this way, session by session."""
        if self.store is None:
            return
        for dialog in [*self.used.values(), *also]:
            if self.store.dialog_text(dialog.hash) is None:
                self.store.keep_dialog(key_of(dialog), canonical_text(dialog.dialog))

    def _from_store(self, digest: str, source: str) -> LoadedDialog | None:
        if self.store is None:
            return None
        text = self.store.dialog_text(digest)
        if text is None:
            return None
        where = f"{source}: the store's dialog {digest[:19]}..."
        if text_hash(text) != digest:
            raise InputError([Problem(where, "its text does not match its hash (the store "
                                      "was changed by hand); it is not used")])
        report = check_loaded(loads_dialog(text, where), where)
        if report.errors:
            raise InputError(report.errors)
        assert report.dialog is not None
        return report.dialog

    @staticmethod
    def _from_archive(digest: str) -> LoadedDialog | None:
        for path in archived():
            dialog = load_dialog(path)
            if dialog.hash == digest:
                return dialog
        return None
