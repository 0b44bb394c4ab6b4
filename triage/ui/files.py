"""Writing what the clinician saves or exports: in a browser a download (the server's
folders are not theirs), in a terminal a new file that never overwrites one."""

from __future__ import annotations

import io
from pathlib import Path

from textual.app import App

from triage.ui.widgets.chat import Said


def deliver(app: App[object], fmt: str, text: str, path: Path) -> Said:
    """Save `text` (a `fmt` file) as `path`; what to tell the clinician."""
    if app.is_web:
        app.deliver_text(io.StringIO(text), save_filename=path.name)
        return Said(f"Sent {fmt} to your browser as {path.name}.", "note")
    from triage import export_folder
    from triage.private_file import write_new

    try:
        export_folder.prepare(path.parent)
        write_new(path, text)
    except FileExistsError:
        return Said(f"Not saved: {path} exists; nothing is overwritten.", "refused")
    except OSError as exc:
        return Said(f"Not saved: {path}: {exc.strerror}", "refused")
    export_folder.remember(path.parent)
    return Said(f"Saved {fmt}: {path}", "note")
