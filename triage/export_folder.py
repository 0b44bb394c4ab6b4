"""Where the assistant saves what the clinician exports: a folder chosen once, never the
folder triage happens to be started in (inside a git clone, patient summaries showed up
in `git status`).

TRIAGE_EXPORT_DIR when set; else the folder of the last export, kept in the user's
settings; else `triage` in the user's documents folder. A browser visit downloads
instead (the server's folders are not the clinician's).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_KEY = "export_folder"


def _settings_path() -> Path:
    override = os.environ.get("TRIAGE_CONFIG_DIR")
    if override:
        return Path(override) / "settings.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("triage", appauthor=False)) / "settings.json"


def _settings() -> dict[str, object]:
    try:
        data = json.loads(_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def current() -> Path:
    """The folder exports go to now."""
    override = os.environ.get("TRIAGE_EXPORT_DIR")
    if override:
        return Path(override).expanduser()
    chosen = _settings().get(_KEY)
    if isinstance(chosen, str) and chosen:
        return Path(chosen)
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "triage"


def remember(folder: Path) -> None:
    """Keep `folder` as where the next export goes (silently not, if it cannot be kept)."""
    if os.environ.get("TRIAGE_EXPORT_DIR"):
        return  # the environment decides; a setting would be ignored anyway
    settings = _settings()
    settings[_KEY] = str(folder.resolve())
    path = _settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def prepare(folder: Path) -> None:
    """Make the export folder if it is missing: private, like the files in it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
