"""Writing a file of patient data: a new file only (an existing one is never
overwritten), readable by its owner alone."""

from __future__ import annotations

import os
from pathlib import Path


def write_new(path: Path | str, text: str) -> None:
    """Write `text` to a new file at `path`, mode 0600. FileExistsError when the file
    exists (nothing is written); OSError when it cannot be made."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
