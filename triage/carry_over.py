"""Carrying a session's answers over to another version of its dialog, by question id.

A session recorded with an older dialog is read with that dialog (see
`triage.dialog.library`). To go on with the current one, its answers are given again to
the current dialog, question by question; what cannot be carried is said, with why. The
result depends only on the answers and the two dialogs, so a `migrate` event in the log
replays to the same interview.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.dialog.engine import Answer, Engine
from triage.dialog.loader import LoadedDialog
from triage.plain_text import one_line


@dataclass(frozen=True)
class Left:
    """An answer that could not be carried over: the question as the clinician saw it,
    the answer, and why."""

    question: str
    answer: str
    why: str

    def line(self) -> str:
        """One line for the clinician."""
        return f"{self.question}: {self.answer!r}: {self.why}"


@dataclass(frozen=True)
class CarryOver:
    """The interview in the new dialog, and what did not come with it."""

    engine: Engine
    carried: int
    left: tuple[Left, ...]


def _label(dialog: LoadedDialog, answer: Answer) -> str:
    question = dialog.questions.get(answer.question)
    if question is None:  # the "another one?" question of a group
        group = dialog.group_of.get(answer.question)
        text = group.more.prompt if group is not None and group.more is not None else ""
    else:
        text = question.prompt
    # A dialog kept in a shared store is another user's text: printed as text, never as a
    # terminal sequence.
    text = one_line(text) or answer.question
    return text if answer.repeat is None else f"{text} (entry {answer.repeat + 1})"


def _give(engine: Engine, answers: list[Answer], old: LoadedDialog,
          left: list[Left]) -> int:
    """Give answers to the engine in as many passes as their conditions need (an answer
    may apply only once another is given); returns how many were taken."""
    known = set(engine.dialog.questions) | set(engine.dialog.group_of)
    pending: list[Answer] = []
    for answer in answers:
        if answer.question in known:
            pending.append(answer)
        else:
            left.append(Left(_label(old, answer), answer.raw, "this version no longer asks it"))
    taken = 0
    refused: dict[tuple[str, int | None], str] = {}
    while pending:
        waiting: list[Answer] = []
        for answer in pending:
            slot = engine.slot(answer.question, answer.repeat)
            if slot is None:
                waiting.append(answer)
                continue
            if engine.asks(slot):
                outcome = engine.answer(answer.raw, answer.unit, question=answer.question,
                                        repeat=answer.repeat)
            else:
                outcome = engine.edit(answer.question, answer.raw, answer.unit, answer.repeat)
            if outcome.accepted:
                taken += 1
            else:  # never tried again: another answer does not make it acceptable
                refused[answer.key] = outcome.message or "refused"
        if len(waiting) == len(pending):
            break
        pending = waiting
    left += [Left(_label(old, answer), answer.raw,
                  "this version does not ask it, given the other answers") for answer in pending]
    left += [Left(_label(old, answer), answer.raw,
                  f"this version refuses it: {refused[answer.key]}")
             for answer in answers if answer.key in refused]
    return taken


def carry_over(old: Engine, dialog: LoadedDialog) -> CarryOver:
    """The interview `old` becomes in `dialog`: its answers given again by question id
    (after follow-up visits: the presentation day's, then each visit is opened again on
    its day and its answers given again)."""
    engine = Engine(dialog, old.today)
    left: list[Left] = []
    visit = old.follow_up_visit
    presentation = list(old.visits[0].given) if visit is not None else old.answers
    carried = _give(engine, presentation, old.dialog, left)
    if visit is None:
        return CarryOver(engine, carried, tuple(left))
    visits = [(v.on, v.only, list(v.given)) for v in old.visits[1:]]
    visits.append((visit.on, visit.only, old.visited))
    for number, (on, only, given) in enumerate(visits):
        if engine.finished and engine.follow_up(on, only).accepted:
            carried += _give(engine, given, old.dialog, left)
            continue
        for _, _, later in visits[number:]:
            for answer in later:
                left.append(Left(_label(old.dialog, answer), answer.raw,
                                 f"the follow-up visit of {on.isoformat()} cannot be "
                                 "reopened until this version's new questions about the "
                                 "visit before it are answered"))
        break
    return CarryOver(engine, carried, tuple(left))
