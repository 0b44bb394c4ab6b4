"""When Python's cyclic garbage collector runs in a headless command and in the assistant.

Start-up makes a few hundred thousand objects that live until the process ends (pydantic's
schema machinery and models, Jinja2, the dialog). The collector walks them again and again
while they are made, and once more at exit, and frees nothing: about 35 ms of a 200 ms
`triage replay`. So a headless command pauses the collector while it starts, and freezes
what start-up made before it works on its inputs (`gc.freeze`: the collector never walks
those objects again); it collects as usual during that work, and freezes again before exit.

`triage score` loads the drug knowledge and the next-step rules as part of start-up, so
they are frozen with it: the batch's workers fork after that, which is what the gc
documentation advises (the workers then do not copy the parent's memory pages by touching
the frozen objects).

The assistant (`triage run`, `resume`, `followup`) does the same: its start-up ends when
the interview is on screen. Start-up leaves about 90,000 tracked objects that live as long
as the app; the collector's full passes, eight or nine over the seed interview typed in,
each walked them again and took 20-85 ms (500 ms in all), a pause in the middle of an
answer. Frozen, the same passes take 5-46 ms (165 ms in all): they walk what the
interview itself made.

Only the process's own entry point (`triage`, `python -m triage`) does this: a program
that calls `triage.cli.main` keeps its collector as it was.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Start-up begins: no collection until `started` (or the end)."""
    global _paused
    gc.disable()
    _paused = True


def started() -> None:
    """Start-up is over: keep what it made for good, and collect what the work makes. Does
    nothing unless `pause` was called."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False


def before_exit() -> None:
    """The process is about to end: nothing alive now needs walking at exit."""
    gc.freeze()
