"""Every location triage reads from, resolved lazily.

Dialogs and templates live at the top of the repository (they are content). An installed
wheel carries them inside the package under `_content/`; a source checkout or an editable
install finds them beside the package. Nothing here creates a folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _content(name: str) -> Path:
    for candidate in (_PACKAGE / "_content" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"triage cannot find its {name}/ folder (looked in {_PACKAGE / '_content'} and "
        f"{_PACKAGE.parent}); reinstall the package"
    )


@cache
def templates_dir() -> Path:
    """The Jinja2 templates of the summaries."""
    return _content("templates")


@cache
def dialogs_dir() -> Path:
    """The YAML question trees."""
    return _content("dialogs")


def default_dialog_path() -> Path:
    """The built-in interview, dialogs/scar.yaml (found without loading the dialog code)."""
    return dialogs_dir() / "scar.yaml"


def cache_dir() -> Path:
    """Where triage may keep what it can rebuild (compiled templates): TRIAGE_CACHE_DIR, or
    the user's cache directory. Not created here."""
    import os

    override = os.environ.get("TRIAGE_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("triage", appauthor=False))
