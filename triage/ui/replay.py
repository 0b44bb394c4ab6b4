"""`triage replay --through-ui`: the real app, headless, answered by key presses."""

from __future__ import annotations

from typing import Any

from triage.dialog.loader import LoadedDialog
from triage.transcript import Transcript
from triage.ui.app import make_app


async def replay_through_ui(script: Transcript, dialog: LoadedDialog) -> dict[str, Any]:
    """Answer the transcript in the app by pressing keys; the summary it ends with."""
    app = make_app(dialog, script.today)
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        # A blinking cursor keeps a timer firing, and every key press waits for idle.
        app.query_one("#answer").cursor_blink = False
        for entry in script.answers:
            slot = app.engine.current()
            if slot is None or slot.key != (entry.q, entry.repeat):
                raise ValueError(
                    f"{entry.q}: the assistant asks "
                    f"{slot.label() if slot else 'nothing more'} instead"
                )
            if entry.value == "unknown":
                await pilot.press("ctrl+n")
            else:
                text = entry.value + (f" {entry.unit}" if entry.unit else "")
                # Pilot turns each character into its key (space, minus, full stop...).
                await pilot.press(*text, "enter")
            await pilot.pause()
        return app.summary()
