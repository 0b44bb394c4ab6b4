"""The opening of a new interview, kept between runs, so that `triage` shows its first
question before the dialog machinery has loaded.

Loading the dialog and building the engine (pydantic, the dialog model, Jinja2 conditions)
takes as long as Textual itself (bench/README.md). The opening (the dialog's title line, the
first section and the first question, with its "why") depends only on the dialog file and
this version of triage, so it is saved as plain data after a start and shown at once on the
next (the start-up screen); the engine loads right after that first paint, and the
interview screen that takes over says the opening as the engine has it, so a kept opening
that no longer fits is replaced at once. Like the template cache: an optimisation only,
silent when its folder cannot be written.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Span, Text

from triage import built_cache
from triage.ui.widgets.chat import Said


def key_of(dialog_path: Path) -> str | None:
    """The cache key of a dialog file's opening: its bytes and this triage's version."""
    try:
        data = dialog_path.read_bytes()
    except OSError:
        return None
    return built_cache.key_of(data)


def _path(key: str) -> Path:
    return built_cache.path_of("first-screen", key, ".json")


def _encoded(said: Said) -> dict[str, object]:
    text = said.text if isinstance(said.text, Text) else Text(said.text)
    return {"kind": said.kind, "plain": text.plain,
            "spans": [[s.start, s.end, str(s.style)] for s in text.spans]}


def load(key: str | None) -> list[Said] | None:
    """The opening saved under `key`, or None (none saved, or unreadable)."""
    if key is None:
        return None
    try:
        records = json.loads(_path(key).read_text(encoding="utf-8"))
        return [Said(Text(r["plain"], spans=[Span(a, b, style) for a, b, style in r["spans"]]),
                     r["kind"]) for r in records]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(key: str | None, opening: list[Said]) -> None:
    """Keep the opening for the next start."""
    if key is not None:
        data = json.dumps([_encoded(s) for s in opening]).encode("utf-8")
        built_cache.write(_path(key), data)
