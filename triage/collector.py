"""When Python's cyclic garbage collector runs in a headless command and in the assistant.

Start-up makes a few hundred thousand objects that live until the process ends (pydantic's
schema machinery and models, Jinja2, the dialog). The collector walks them again and again
while they are made, and once more at exit, and frees nothing (a sixth of a `triage
replay`; bench/README.md has the figures). So a headless command pauses the collector while
it starts, and freezes what start-up made before it works on its inputs (`gc.freeze`: the
collector never walks those objects again); it collects as usual during that work, and
freezes again before exit.

`triage score` loads the drug knowledge and the next-step rules as part of start-up, so
they are frozen with it: the batch's workers fork after that, which is what the gc
documentation advises (the workers then do not copy the parent's memory pages by touching
the frozen objects).

The assistant (`triage run`, `resume`, `followup`) does the same: its start-up ends when
the interview is on screen. Start-up leaves about 90,000 tracked objects that live as long
as the app; the collector's full passes, eight or nine over the seed interview typed in,
each walked them again, a pause in the middle of an answer. Frozen, the same passes walk
only what the interview itself made, about a third of the time.

The assistant's full passes also wait for a question on screen. A full pass walks what the
interview has made and Textual's render caches (seven small caches per cached line): at
answer 150 about 95,000 objects, several times the cost of a pass at answer 5. Python
starts one when an allocation crosses its threshold, so up to one answer in ten waited for
one between its Enter and the next question. So while questions are asked, the automatic
passes need three times as many younger passes as Python's own threshold (a backstop), and
the assistant runs a pass as soon as a question has been painted, when one is due by
Python's usual count (`question_shown`): the resident is reading then. After the last
question (`questions_over`, the summary) Python's threshold is back: the summary's widgets
make garbage that an earlier pass frees for them, which the peak memory shows. As many
passes as before; none between an Enter and its question.

Only the process's own entry point (`triage`, `python -m triage`) does this: a program
that calls `triage.cli.main` keeps its collector as it was.
"""

from __future__ import annotations

import gc

_paused = False
#: Python's own third threshold when the assistant took over the collector (None: not
#: the assistant, or not its own process): younger passes since the last full pass that
#: make a full pass due.
_full_pass_due: int | None = None
#: The automatic full pass's threshold while questions are asked, in multiples of it.
BACKSTOP = 3


def pause() -> None:
    """Start-up begins: no collection until `started` (or the end)."""
    global _paused
    gc.disable()
    _paused = True


def started(*, between_questions: bool = False) -> None:
    """Start-up is over: keep what it made for good, and collect what the work makes. Does
    nothing unless `pause` was called. `between_questions` (the assistant): from now on
    full passes wait for `question_shown` until `questions_over`."""
    global _paused, _full_pass_due
    if _paused:
        gc.freeze()
        # Python 3.14's incremental collector has no third threshold (it reads 0) and no
        # long full passes to move: there the collector is left as it is.
        if between_questions and gc.get_threshold()[2] > 0:
            _full_pass_due = gc.get_threshold()[2]
            # The assistant asks questions from now on (one may be on screen already).
            _third_threshold(BACKSTOP * _full_pass_due)
        gc.enable()
        _paused = False


def _third_threshold(value: int) -> None:
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, value)


def question_shown() -> None:
    """The assistant has painted a question: a full pass now if one is due, and until the
    next question automatic full passes wait for the backstop. Does nothing unless
    `started(between_questions=True)` took effect."""
    if _full_pass_due is not None:
        if gc.get_count()[2] >= _full_pass_due:
            gc.collect()
        _third_threshold(BACKSTOP * _full_pass_due)


def questions_over() -> None:
    """No question follows for now (the summary is shown): Python's own threshold again."""
    if _full_pass_due is not None:
        _third_threshold(_full_pass_due)


def before_exit() -> None:
    """The process is about to end: nothing alive now needs walking at exit."""
    gc.freeze()
