"""`triage replay --through-ui`: the real app, headless, answered by key presses."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from triage.dialog.loader import LoadedDialog
from triage.transcript import Transcript
from triage.ui.app import make_app


def key_event(char: str) -> events.Key:
    """The key event a terminal sends for one typed character (space, minus, full stop...)."""
    return events.Key(char if char.isalnum() else _character_to_key(char), char)


async def type_answer(pilot: Pilot[Any], text: str) -> None:
    """Type `text` and press Enter, as a fast typist would.

    The characters go into the app's event queue as key events, one after another, the way
    the driver delivers a burst of typing; Pilot's `press` would wait for the app to go
    idle after every character, which made a whole transcript take half a minute. Enter
    goes through Pilot and is waited for: the next question must be on screen before the
    next answer is typed.
    """
    for char in text:
        pilot.app.post_message(key_event(char))
    await pilot.press("enter")
    await pilot.pause()


async def replay_through_ui(script: Transcript, dialog: LoadedDialog) -> dict[str, Any]:
    """Answer the transcript in the app by pressing keys; the summary it ends with."""
    app = make_app(dialog, script.today)
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        # A blinking cursor keeps a timer firing, and every key press waits for idle.
        app.query_one("#answer", Input).cursor_blink = False
        await give_as_asked(pilot, script.answers)
        for visit in script.follow_ups:
            app.screen.start_follow_up(visit.date, visit.only)  # type: ignore[attr-defined]
            await pilot.pause()
            for entry in visit.answers:
                current = app.engine.current()
                await _give(pilot, entry,
                            edit=current is None or current.key != (entry.q, entry.repeat))
        assert app.interview is not None
        return app.interview.summary()


async def give_as_asked(pilot: Pilot[Any], entries: list[Any]) -> None:
    """The presentation day's answers in the order the assistant asks for them: a
    transcript lists them in interview order, and a question left out while it could not
    matter comes back later when another answer makes it matter (dialog/relevance.py)."""
    waiting = {(e.q, e.repeat): e for e in entries}
    while waiting and (slot := pilot.app.engine.current()) is not None:  # type: ignore[attr-defined]
        if slot.key not in waiting:
            raise ValueError(f"the assistant asks {slot.label()}, which the transcript "
                             "does not answer")
        await _give(pilot, waiting.pop(slot.key), edit=False)
    if waiting:
        raise ValueError(f"{next(iter(waiting.values())).q}: the assistant never asks it")


async def _give(pilot: Pilot[Any], entry: Any, edit: bool) -> None:
    """One answer by key presses: to the question asked, or (`edit`) to an earlier one
    selected for editing, as a click on its bubble does."""
    app = pilot.app
    key = (entry.q, entry.repeat)
    if edit:
        app.screen.start_edit(key)  # type: ignore[attr-defined]
        await pilot.pause()
    else:
        slot = app.engine.current()  # type: ignore[attr-defined]
        if slot is None or slot.key != key:
            raise ValueError(f"{entry.q}: the assistant asks "
                             f"{slot.label() if slot else 'nothing more'} instead")
        if entry.value == "unknown":
            await pilot.press("ctrl+n")
            await pilot.pause()
            return
    await type_answer(pilot, entry.value + (f" {entry.unit}" if entry.unit else ""))
