"""A terminal size that cannot flip-flop the assistant into a render loop.

Served to headless Chromium with a virtual time budget (what link previewers and
monitoring probes run), the browser's terminal alternated between two heights (133x42 and
133x37) about 160 times a second: every change is a full layout and a full frame sent back,
which changes the page, which resizes the terminal again. The visit ran at 99 % CPU and
grew by 20 MB/s. No resize of a person's making returns to the size before last within a
second, again and again; when sizes do, the assistant holds its size for HOLD seconds and
then takes the latest one, so such a loop costs about one layout a second.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App
from textual.geometry import Size

#: How long a flip-flop is held off, and how close two changes must be to count as one.
HOLD = 1.0


class SteadySize:
    """Mixed into the App: damps sizes that alternate (see the module's docstring)."""

    _steady_last: tuple[Size | None, Size | None, float] = (None, None, 0.0)
    _steady_held: events.Resize | None = None
    #: How many sizes were passed on to Textual (read by the tests).
    sizes_applied = 0

    async def _on_resize(self, event: events.Resize) -> None:
        # Textual calls every class's handler along the MRO: App's runs only from here.
        event.prevent_default()
        before_last, last, changed_at = self._steady_last
        now = time.monotonic()
        if event.size == last:
            event.stop()
            return
        flip_flop = event.size == before_last and now - changed_at < HOLD
        self._steady_last = (last, event.size, now)
        if flip_flop or self._steady_held is not None:
            event.stop()
            if self._steady_held is None:
                self.set_timer(HOLD, self._steady_release)  # type: ignore[attr-defined]
            self._steady_held = event
            return
        await self._steady_apply(event)

    async def _steady_release(self) -> None:
        held, self._steady_held = self._steady_held, None
        if held is not None:
            await self._steady_apply(held)

    async def _steady_apply(self, event: events.Resize) -> None:
        self.sizes_applied += 1
        app: Any = self
        await App._on_resize(app, event)
