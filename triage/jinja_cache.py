"""Compiled Jinja2 templates kept between runs: Jinja2 compiles a template in milliseconds
per expression, which made every run pay for the dialog's conditions, the next-step rules
and the summary templates again. Jinja2's own bytecode cache keys each entry by the
template's name and a checksum of its source, so an edited template is never served stale.

The cache is an optimisation only: if its folder cannot be made or written, triage runs
without it and says nothing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemBytecodeCache, TemplateNotFound
from jinja2.bccache import Bucket

from triage import __version__
from triage.built_cache import trusted


class QuietBytecodeCache(FileSystemBytecodeCache):
    """A bytecode cache in triage's cache folder (mode 0700) that never fails a run, and
    loads no entry another user could have written."""

    def __init__(self) -> None:
        import jinja2

        from triage.paths import cache_dir

        # A new Jinja2 or triage version gets a folder of its own.
        folder = cache_dir() / f"jinja-{jinja2.__version__}-triage-{__version__}"
        super().__init__(str(folder), "%s.cache")
        self._ready: bool | None = None

    def _folder_ready(self) -> bool:
        if self._ready is None:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                self._ready = os.access(self.directory, os.W_OK)
            except OSError:
                self._ready = False
        return self._ready

    def load_bytecode(self, bucket: Bucket) -> None:
        # Compiled code runs when loaded: only an entry that is this user's alone, in a
        # folder no one else can write (TRIAGE_CACHE_DIR may point at a shared one).
        if not trusted(Path(self._get_cache_filename(bucket))):
            bucket.reset()
            return
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self._folder_ready():
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:
            self._ready = False


class SourceLoader(BaseLoader):
    """Templates made from text at run time (conditions, rules), named by their content."""

    def __init__(self) -> None:
        self._sources: dict[str, str] = {}

    def register(self, source: str) -> str:
        """The template name for `source`."""
        name = "text/" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
        self._sources[name] = source
        return name

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
        if template not in self._sources:
            raise TemplateNotFound(template)
        return self._sources[template], None, lambda: True
