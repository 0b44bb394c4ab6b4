"""When Python's cyclic garbage collector runs in a headless command.

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
