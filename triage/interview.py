"""One interview and where its changes go: the UI and the CLI say what the clinician did;
this applies it and, when the interview takes it, records it as taken.

Every change goes one way: an `Event` applied to the engine (`session.apply`, the path a
replay of the event log takes), then recorded with the answer as the engine keeps it (an
empty answer saved as its default, text cleaned of control characters), and the session
list refreshed. Nothing else writes a session's events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from triage.store import LEASE_RENEW, Event

if TYPE_CHECKING:  # the engine loads after the assistant's first paint (first_screen.py)
    from triage.dialog.engine import Answer, Engine, Outcome
    from triage.session import Recorder

Key = tuple[str, int | None]


class Interview:
    """An engine and, when the session is saved, its recorder."""

    #: How often a window holding a session renews its hold, in seconds.
    RENEW_EVERY = LEASE_RENEW

    def __init__(self, engine: Engine, recorder: Recorder | None = None) -> None:
        self.engine = engine
        self.recorder = recorder
        #: The changes take_back can undo, newest last: an edit with the answer it
        #: replaced, or None for an answer given (taken back as the engine's "back").
        self._changes: list[tuple[Key, Answer] | None] = []

    # --- what the clinician does ------------------------------------------------------------

    def answer(self, raw: str, unit: str | None = None) -> Outcome:
        """Answer the current question."""
        from triage.dialog.engine import Outcome

        slot = self.engine.current()
        if slot is None:
            return Outcome(False, "the interview is finished")
        return self.do(Event("answer", slot.question.id, slot.repeat, raw, unit))

    def answer_left_out(self, key: Key, raw: str, unit: str | None = None) -> Outcome:
        """Answer a question the interview left out (it could not change the outcome, but
        the clinician has the answer): recorded as the answer to that question."""
        return self.do(Event("answer", key[0], key[1], raw, unit))

    def unknown(self) -> Outcome:
        """Answer the current question with "unknown"."""
        return self.answer("unknown")

    def edit(self, key: Key, raw: str, unit: str | None = None) -> Outcome:
        """Change an earlier answer."""
        return self.do(Event("edit", key[0], key[1], raw, unit))

    @property
    def takes_back_an_edit(self) -> bool:
        """Whether take_back would undo an edit (else it takes the last answer back)."""
        return bool(self._changes) and self._changes[-1] is not None

    def take_back(self) -> tuple[Outcome, Answer | None, Answer | None]:
        """Take back the last change: an edit (its answer before it comes back) or the last
        answer given. The outcome, the answer taken back, and the one restored (None
        after taking an answer back)."""
        if self.takes_back_an_edit:
            key, before = self._changes.pop()  # type: ignore[misc]
            taken = self._current(key)
            outcome = self.do(Event("edit", key[0], key[1], before.raw, before.unit),
                              undoing=True)
            if outcome.accepted:
                return outcome, taken, self._current(key)
            # Refused (its question no longer applies): the answers, newest first, as
            # before; the edit is not offered again.
        taken = self.engine.last_given()
        return self.do(Event("back")), taken, None

    def add_entry(self, group: str) -> Outcome:
        """One more entry of a group (a drug): the last entry's "another one?" turns yes."""
        from triage.dialog.engine import Outcome

        count = self.engine.repeats(group)
        question = self.engine.dialog.questions.get(group)
        if count == 0 or question is None or question.more is None:
            return Outcome(False, "answer whether any was taken first")
        return self.do(Event("edit", question.more.id, count - 1, "yes"))

    def remove_entry(self, group: str, index: int) -> Outcome:
        """Remove one entry of a group (a drug)."""
        return self.do(Event("remove", group, index))

    def follow_up(self, on: dt.date, only: str | None = None) -> Outcome:
        """Open a follow-up visit on `on` of the finished interview (or visit); `only`: a
        quick visit for that episode score's questions."""
        return self.do(Event("follow_up", only, value=on.isoformat()))

    def do(self, event: Event, undoing: bool = False) -> Outcome:
        """Apply one change; when taken, record it as the engine took it."""
        from triage.session import apply

        before = self._answer(event)
        taken = self.engine.last_given() if event.kind == "back" else None
        outcome = apply(self.engine, event)
        if outcome.accepted:
            self._record(self._as_taken(event, before, taken))
            if not undoing:
                self._remember(event, before, outcome)
        return outcome

    def _remember(self, event: Event, before: Answer | None, outcome: Outcome) -> None:
        if event.kind == "answer":
            self._changes.append(None)
        elif (event.kind == "edit" and before is not None and event.question is not None
              # An edit that dropped answers cannot be undone whole (they would not come
              # back); at a follow-up visit the engine's own take-back covers edits, and a
              # date such as "today" would be read again from the visit's day.
              and not outcome.dropped and self.engine.follow_up_visit is None
              and before.on is None):
            self._changes.append(((event.question, event.repeat), before))
        elif event.kind == "back":
            if self._changes:
                self._changes.pop()
        else:  # a drug removed, a follow-up, a migration: nothing before it is undone
            self._changes.clear()

    def _current(self, key: Key) -> Answer | None:
        return next((a for a in self.engine.answers if a.key == key), None)

    # --- what it amounts to -----------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """The summary of the interview so far (the same as a headless replay gives)."""
        from triage.summary import summarize_interview

        return summarize_interview(self.engine)

    def refresh_listing(self, summary: dict[str, Any]) -> None:
        """What the session list shows, from a summary just made."""
        from triage.session import listing

        if self.recorder is not None:
            self.recorder.update_listing(listing(summary, self.engine))

    def renew_hold(self) -> None:
        """Keep holding the session (one writer per session)."""
        if self.recorder is not None:
            self.recorder.renew_lease()

    def begin(self) -> None:
        """The interview is on screen: a store that failed is said now."""
        if self.recorder is not None:
            self.recorder.begin()

    def new_case(self) -> Interview:
        """A new, empty interview over the same dialog, saved the same way."""
        from triage.dialog.engine import Engine

        engine = Engine(self.engine.dialog, self.engine.today)
        return Interview(engine, None if self.recorder is None else self.recorder.renew(engine))

    # --- internals --------------------------------------------------------------------------

    def _answer(self, event: Event) -> Answer | None:
        """The answer an answer or edit event's question has now, if any."""
        if event.kind not in ("answer", "edit") or event.question is None:
            return None
        return next((a for a in self.engine.answers
                     if a.key == (event.question, event.repeat)), None)

    def _as_taken(self, event: Event, before: Answer | None, taken: Answer | None) -> Event:
        """The event as the audit trail keeps it: the value the engine kept, and the value
        it replaced (at a follow-up, the one the visit found)."""
        if event.kind == "back" and taken is not None:
            return replace(event, question=taken.question, repeat=taken.repeat,
                           previous=taken.raw)
        if event.kind in ("answer", "edit"):
            given = self._answer(event)
            if given is not None:
                return replace(event, value=given.raw, unit=given.unit,
                               previous=None if before is None else before.raw)
        return event

    def _record(self, event: Event) -> None:
        # Saved now: the answer must survive the process.
        if self.recorder is not None:
            self.recorder.record(event)
