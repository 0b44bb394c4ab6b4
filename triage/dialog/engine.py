"""The dialog engine: walks a question tree, turns answers into findings. Pure Python.

The engine keeps the answers as entered; everything else (which questions apply, the
canonical values, the findings) is recomputed from them, so the same answers always give
the same findings, byte for byte, and an edit can never leave a stale value behind. The
one shortcut: an entry of a group (a drug) whose every input is the same as in the last
pass (its answers, the earlier answers its conditions name, the onset) is taken from that
pass rather than worked out again (`entry_reuse.py` says when its inputs can be told).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import ValidationError

from triage import findings as findings_mod
from triage import labels
from triage.dialog import relevance, values
from triage.dialog.conditions import (
    ExpressionError,
    Memo,
    evaluate,
    holds,
)
from triage.dialog.entry_reuse import Entry, EntryReuse
from triage.dialog.loader import LoadedDialog
from triage.dialog.model import Question, Section
from triage.dialog.why import fields_written
from triage.dialog.wording import answer_words, question_label, question_of, refusal_words
from triage.findings import SCHEMA, Findings
from triage.knowledge import lookup
from triage.plain_text import clean, one_line
from triage.red_flags import assess
from triage.validation import path_text

Key = tuple[str, int | None]  # (question id, repeat index within its group)


class DialogError(Exception):
    """The dialog itself is broken (an expression fails at run time): a maintainer's error."""


class Answer(NamedTuple):
    """One answer as entered, with its unit; what it means is recomputed from it."""

    question: str
    repeat: int | None
    raw: str
    unit: str | None = None
    #: The day the answer was given, when not the session's `today` (at follow-up): what
    #: "today" or "3 days ago" in it means.
    on: dt.date | None = None

    @property
    def key(self) -> Key:
        return (self.question, self.repeat)

    @property
    def unknown(self) -> bool:
        return values.is_unknown(self.raw)


class Visit(NamedTuple):
    """A visit of the episode as it ended (the presentation day, or a follow-up visit):
    every answer as it stood, the findings and what each answer meant, so that its column
    of the summary is worked out without replaying the episode up to it."""

    on: dt.date
    answers: tuple[Answer, ...]
    findings: Findings
    #: The canonical value of each answer ("unknown" where unknown).
    values: Mapping[Key, Any]
    #: The answers given at this visit, in interview order (the presentation day: all).
    given: tuple[Answer, ...] = ()
    #: The episode score a quick visit was for (`triage followup --only scorten`).
    only: str | None = None

    def value(self, question: str, repeat: int | None = None) -> Any:
        """What an answer meant at this visit (None when unknown or unanswered)."""
        value = self.values.get((question, repeat))
        return None if value == "unknown" else value


class FollowUp(NamedTuple):
    """The follow-up visit under way: the visit before it is kept as it ended (its answers,
    findings and what each answer meant), so that both can be shown side by side and an
    answer the visit takes back returns to what it was."""

    on: dt.date
    #: The answers as the visit found them (the last visit's, as it ended).
    before: tuple[Answer, ...]
    findings: Findings | None = None
    #: The canonical value of each answer before the visit ("unknown" where unknown).
    values: Mapping[Key, Any] = MappingProxyType({})
    #: The episode score a quick visit is for, and the questions it asks (else the
    #: dialog's follow-up items).
    only: str | None = None
    scope: frozenset[str] | None = None

    def value(self, question: str, repeat: int | None = None) -> Any:
        """What an answer meant before this visit (None when unknown or unanswered)."""
        value = self.values.get((question, repeat))
        return None if value == "unknown" else value


class Slot(NamedTuple):
    """A question to ask, with its repeat index when it belongs to a group."""

    question: Question
    repeat: int | None
    section: Section
    group: Question | None = None

    @property
    def key(self) -> Key:
        return (self.question.id, self.repeat)

    def label(self) -> str:
        """The question id, with the repeat for a group (drug_name #2)."""
        return self.question.id if self.repeat is None else f"{self.question.id} #{self.repeat + 1}"


class Note(NamedTuple):
    """Something the UI should say: an emergency, a derived value, a dropped answer."""

    kind: str  # emergency | derived | dropped | follow_up
    text: str


class Outcome(NamedTuple):
    """The result of an operation: accepted or refused (and why), and what it changed."""

    accepted: bool
    message: str | None = None
    dropped: tuple[Answer, ...] = ()
    notes: tuple[Note, ...] = ()


class _State(NamedTuple):
    slots: tuple[Slot, ...]
    kept: dict[Key, Any]  # canonical value of every answer that applies
    findings: dict[str, Any]
    invalid: dict[Key, str]  # answers that no longer convert (e.g. onset removed)
    derived: dict[str, Any]




#: What a laboratory value answered "within normal limits" converts to.
NORMAL = "normal"
#: What a number answered by a bound ("more than 50") converts to: this, then "> 50".
BOUND_PREFIX = "bound "


#: The findings field that dates an assessment: a quick visit asks for it, as every visit.
VISIT_DAY = "eruption.assessment_day"


def score_ids() -> tuple[str, ...]:
    """The episode scores a quick visit can be for (`triage followup --only`)."""
    from triage.scores.registry import EPISODE_SCORES

    return tuple(s.id for s in EPISODE_SCORES)


def score_name(score: str) -> str:
    """An episode score's name, as the summaries give it."""
    from triage.scores.registry import BY_ID

    return BY_ID[score].name


def _copy(value: Any) -> Any:
    """A copy of plain data (dicts and lists) that shares nothing mutable with `value`."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


class Engine:
    """One interview over one dialog. `today` fixes what "today" and "3 days ago" mean."""

    def __init__(self, dialog: LoadedDialog, today: dt.date) -> None:
        self.dialog = dialog
        self.today = today
        self._answers: dict[Key, Answer] = {}
        self._history: list[Key] = []
        self._cursor: str | None = None
        self._memo = Memo()
        #: The group entries (drugs) the last pass worked out, for the next to reuse.
        self._reuse = EntryReuse(dialog)
        self._visit = {"follow_up": False}
        self.follow_up_visit: FollowUp | None = None
        #: The visits closed so far, the presentation day first (none before a follow-up).
        self.visits: tuple[Visit, ...] = ()
        #: At follow-up: the answers given (or confirmed) at this visit, in order, and what
        #: each change replaced, so that back() restores the answer the visit found.
        self._visited: list[Key] = []
        self._undo: list[tuple[dict[Key, Answer], list[Key], list[Key]]] = []
        #: current()'s last answer, with the state, answers and cursor it was found for.
        self._current: tuple[_State, dict[Key, Answer], str | None, Slot | None] | None = None
        #: Whether each question tried for this state could change the outcome, and the
        #: outcome itself (relevance.py): worked out again after every change.
        self._matters: tuple[Any, dict[Key, bool], list[Any]] = (None, {}, [])
        # Conditions read the previous state's findings: before any answer, none.
        self._state = _State((), {}, {"schema": SCHEMA}, {}, {})
        self._state = self._compute(self._answers)
        self._model = self._validate(self._state.findings)

    # --- reading the state -------------------------------------------------------------

    @property
    def answers(self) -> list[Answer]:
        """The answers that apply, in the order they were given."""
        return [self._answers[k] for k in self._history]

    @property
    def findings(self) -> Findings:
        """The findings so far (always valid)."""
        return self._model

    def findings_dict(self) -> dict[str, Any]:
        """The findings so far as plain data."""
        return self._state.findings

    def value(self, question: str, repeat: int | None = None) -> Any:
        """The canonical value of an answer (None when unknown or unanswered)."""
        value = self._state.kept.get((question, repeat))
        return None if value == "unknown" else value

    def slots(self) -> tuple[Slot, ...]:
        """Every question that applies now, in interview order."""
        return self._state.slots

    def current(self) -> Slot | None:
        """The next question to ask, or None when the interview is finished. At follow-up:
        each follow-up item not yet answered at this visit, and any question left open."""
        # Asked two or three times per answer, and a scan of every slot grows with the
        # interview (bench/README.md). Outside follow-up it depends only
        # on the state, the answers and the cursor, and the first two are replaced, never
        # changed in place, by every operation.
        if self.follow_up_visit is not None:
            return self._first_open()
        memo = self._current
        if memo is None or memo[0] is not self._state or memo[1] is not self._answers or (
            memo[2] != self._cursor
        ):
            memo = self._current = (self._state, self._answers, self._cursor,
                                    self._first_open())
        return memo[3]

    def _first_open(self) -> Slot | None:
        # The first open question that matters from the cursor's section on, else the
        # first such one before it (each tried only when it would be the next).
        order = self.dialog.section_index
        start = 0 if self._cursor is None else order[self._cursor]
        earlier = []
        for slot in self._state.slots:
            if not self.asks(slot):
                continue
            if order[slot.section.id] < start:
                earlier.append(slot)
            elif slot.key in self._answers or self.matters(slot):
                return slot
        return next((slot for slot in earlier
                     if slot.key in self._answers or self.matters(slot)), None)

    def matters(self, slot: Slot) -> bool:
        """Whether a question not yet answered could change the outcome (always true
        unless the dialog asks only what matters, and at a visit for its follow-up items,
        which are the visit's to record). A question asked on request never is."""
        if slot.question.on_request and not relevance.must_ask(self.dialog, slot.question):
            return False
        if (not relevance.may_leave_out(self.dialog, slot.question)
                or (self.follow_up_visit is not None and self.is_follow_up_item(slot))):
            return True
        # Worked out again for each state, and when a visit opens (its level is its own).
        if not self._matters_current():
            self._matters = ((self._state, self.follow_up_visit), {}, [])
        tried = self._matters[1]
        if slot.key not in tried:
            tried[slot.key] = self._could_change(slot)
        return tried[slot.key]

    def _trial(self, slot: Slot, raw: str) -> dict[str, Any] | None:
        """The findings with `raw` as this question's answer (None if it would then not
        apply). A question outside a group, whose fields nothing else has set, is written
        straight into a copy of the findings: the pass would give the same, as no
        condition reads its answer (relevance.may_leave_out); else a whole pass."""
        q = slot.question
        current = self._state.findings
        target = self._trial_target(slot, current)
        if target is not None:
            findings = _copy(current)
            # The same place in the copy: the findings, or this repeat's entry (a drug).
            into = findings if slot.group is None else (
                findings[slot.group.field or ""][slot.repeat or 0])
            if q.type in ("integer", "decimal"):
                _, unit, canonical = values.number(q, raw, None, findings)
                field = unit.field or q.field
                if field:
                    _set(into, field, canonical)
            else:
                _Pass.write_answer(q, _Pass.value_of(q, raw), into)
            return findings
        trial = dict(self._answers)
        trial[slot.key] = Answer(q.id, slot.repeat, raw)
        state = self._compute(trial)
        return state.findings if slot.key in state.kept else None

    def _trial_target(self, slot: Slot, current: dict[str, Any]) -> dict[str, Any] | None:
        """Where a trial answer can be written straight in (the findings, or a drug's
        entry), when nothing it writes is set yet and no condition reads the findings;
        None when the trial takes a whole pass."""
        if relevance.conditions_read_findings(self.dialog):
            return None
        written = fields_written(self.dialog, slot.question)
        if slot.group is None:
            return current if all(values.lookup(current, f) is None for f in written) else None
        entries = values.lookup(current, slot.group.field or "")
        first = (slot.group.questions or [slot.question])[0].id
        named = sum(1 for s in self._state.slots
                    if s.group is slot.group and s.question.id == first)
        # Each repeat made an entry (each was named): this repeat's is at its index.
        if not isinstance(entries, list) or len(entries) != named or slot.repeat is None \
                or slot.repeat >= len(entries):
            return None
        entry = entries[slot.repeat]
        relative = [f.removeprefix("drugs[].") for f in written]
        return entry if all(values.lookup(entry, f) is None for f in relative) else None

    def _matters_current(self) -> bool:
        key = self._matters[0]
        return (key is not None and key[0] is self._state
                and key[1] is self.follow_up_visit)

    def left_out(self) -> list[Slot]:
        """The questions that apply, are not answered, and were left out: no answer to
        them could change the outcome."""
        return [s for s in self._state.slots
                if s.key not in self._answers and not self.matters(s)]

    def _could_change(self, slot: Slot) -> bool:
        outcomes = self._matters[2]
        if not outcomes:
            outcomes.append(relevance.outcome(self._model, self.follow_up_visit is not None))
        entries = self._reuse.entries  # a trial's entries are not this state's
        try:
            trials = relevance.trial_answers(slot.question)
            if not trials:
                return True  # nothing to try it with: asked
            for raw in trials:
                try:
                    findings = self._trial(slot, raw)
                    if findings is None:
                        continue
                    model = self._validate(findings)
                except DialogError:
                    return True
                except (_Invalid, values.AnswerError):
                    continue  # an answer the findings refuse is no answer to try
                # Part by part: a trial that differs early skips the worded next steps.
                parts = relevance.outcome_parts(model, self.follow_up_visit is not None)
                if any(part != base for part, base in zip(parts, outcomes[0], strict=True)):
                    return True
            return False
        finally:
            self._reuse.entries = entries

    @property
    def finished(self) -> bool:
        return self.current() is None

    def asks(self, slot: Slot) -> bool:
        """Whether a question is still to be asked (at follow-up: a follow-up item not yet
        answered at this visit; at a quick visit for one score, only that score's)."""
        visit = self.follow_up_visit
        if visit is not None and visit.scope is not None and slot.question.id not in visit.scope:
            return False
        if slot.key not in self._answers:
            return True
        return (visit is not None and self.is_follow_up_item(slot)
                and slot.key not in self._visited)

    def is_follow_up_item(self, slot: Slot) -> bool:
        """Whether this visit asks the question again: the dialog's follow-up items, or at
        a quick visit the questions of its score."""
        visit = self.follow_up_visit
        if visit is not None and visit.scope is not None:
            return slot.question.id in visit.scope
        return slot.question.follow_up or slot.section.follow_up

    def progress(self) -> list[tuple[Section, int, int]]:
        """(section, answered, applicable) for every section; at follow-up, of the questions
        this visit asks (its follow-up items and any left open)."""
        counts = {s.id: [0, 0] for s in self.dialog.dialog.sections}
        visit = self.follow_up_visit
        at_follow_up = visit is not None
        for slot in self._state.slots:
            if visit is not None and visit.scope is not None and (
                    slot.question.id not in visit.scope):
                continue  # a quick visit asks its score's questions only
            asked = not at_follow_up or self.is_follow_up_item(slot) or slot.key in self._visited
            if not asked and slot.key in self._answers:
                continue
            if self._matters_current() and self._matters[1].get(slot.key) is False:
                continue  # left out: it does not matter (see matters)
            if slot.question.on_request and slot.key not in self._answers:
                continue  # asked only when opened
            counts[slot.section.id][1] += 1
            if not self.asks(slot):
                counts[slot.section.id][0] += 1
        return [(s, *counts[s.id]) for s in self.dialog.dialog.sections]  # type: ignore[misc]

    def answer_before(self, question: str, repeat: int | None = None) -> Answer | None:
        """At follow-up: the answer this question had when the visit began (the last
        visit's), if any."""
        if self.follow_up_visit is None:
            return None
        for answer in self.follow_up_visit.before:
            if answer.key == (question, repeat):
                return answer
        return None

    def suggestion(self, slot: Slot) -> tuple[str, str | None] | None:
        """At follow-up, what an empty answer keeps: the answer the question has now, said
        so that it means the same on the visit's day (a relative date becomes its ISO date).
        None where an empty answer means the question's default (the assessment date)."""
        if self.follow_up_visit is None or slot.question.default is not None:
            return None
        answer = self._answers.get(slot.key)
        if answer is None:
            return None
        if slot.question.type == "date" and not answer.unknown:
            date = values.calendar_date(answer.raw, answer.on or self.today)
            if date is not None:
                return date.isoformat(), None
        return answer.raw, answer.unit

    def last_given(self) -> Answer | None:
        """The answer `back()` would take back."""
        if self.follow_up_visit is not None:
            return self._answers.get(self._visited[-1]) if self._visited else None
        return self._answers[self._history[-1]] if self._history else None

    @property
    def visited(self) -> list[Answer]:
        """At follow-up: the answers given at this visit, in interview order."""
        keys = set(self._visited)
        return [a for _, a in self.iter_answers() if a.key in keys]

    def slot(self, question: str, repeat: int | None = None) -> Slot | None:
        """The slot of a question if it applies now."""
        for slot in self._state.slots:
            if slot.key == (question, repeat):
                return slot
        return None

    # --- operations ----------------------------------------------------------------------

    def answer(
        self,
        raw: str,
        unit: str | None = None,
        *,
        question: str | None = None,
        repeat: int | None = None,
    ) -> Outcome:
        """Answer the current question (or the one named, if it applies now)."""
        slot = self.current() if question is None else self.slot(question, repeat)
        if slot is None:
            if question is None:
                return Outcome(False, "the interview is finished")
            return Outcome(False, f"{question} does not apply at this point")
        if (refused := self._outside_quick_visit(slot.question.id)) is not None:
            return refused
        if slot.key in self._answers and not self.asks(slot):
            return Outcome(False, f"{slot.label()} is already answered; edit it instead")
        answer = self._normalize(slot, raw, unit)
        if isinstance(answer, Outcome):
            return answer
        history = self._history if slot.key in self._answers else [*self._history, slot.key]
        outcome = self._change({**self._answers, slot.key: answer}, history, slot.key)
        if outcome.accepted:
            self._cursor = slot.section.id
        return outcome

    def unknown(self) -> Outcome:
        """Answer the current question with "unknown"."""
        return self.answer("unknown")

    def edit(
        self, question: str, raw: str, unit: str | None = None, repeat: int | None = None
    ) -> Outcome:
        """Change an earlier answer; answers that no longer apply are dropped and listed."""
        key = (question, repeat)
        if key not in self._answers:
            return Outcome(False, f"{question} has no answer to edit")
        slot = self.slot(question, repeat)
        assert slot is not None
        if (refused := self._outside_quick_visit(question)) is not None:
            return refused
        answer = self._normalize(slot, raw, unit)
        if isinstance(answer, Outcome):
            return answer
        return self._change({**self._answers, key: answer}, list(self._history), key)

    def _outside_quick_visit(self, question: str) -> Outcome | None:
        """At a quick visit, a question it does not ask is refused: an answer there could
        open questions (another drug) that such a visit would never ask."""
        visit = self.follow_up_visit
        if visit is None or visit.scope is None or visit.only is None or (
                question in visit.scope):
            return None
        return Outcome(False, f"this visit records {score_name(visit.only)} only; open a "
                       "follow-up visit to change other answers")

    def _change(self, answers: dict[Key, Answer], history: list[Key], key: Key) -> Outcome:
        """Apply an answer or an edit; at follow-up, remember what it replaced."""
        if self.follow_up_visit is None:
            return self._apply(answers, history)
        before = (dict(self._answers), list(self._history), list(self._visited))
        outcome = self._apply(answers, history)
        if outcome.accepted:
            self._undo.append(before)
            self._visited = [k for k in self._visited if k in self._answers and k != key]
            self._visited.append(key)
        return outcome

    def follow_up(self, on: dt.date, only: str | None = None) -> Outcome:
        """Open a visit on a later day, once the interview (or the last visit) is
        finished: its follow-up items are asked again (or, `only`, the questions of that
        episode score), answers given now mean their dates from `on`, and the visits
        before it are kept to be shown beside it."""
        if not self.finished:
            return Outcome(False, "the interview is not finished: resume it, then follow up"
                           if self.follow_up_visit is None else
                           f"the visit of {self.follow_up_visit.on.isoformat()} is not "
                           "finished: go on with it, then follow up")
        last = self.today if self.follow_up_visit is None else self.follow_up_visit.on
        if on < last:
            return Outcome(False, f"the follow-up date {on.isoformat()} is before the "
                           + (f"presentation day {last.isoformat()}" if self.follow_up_visit
                              is None else f"last visit, {last.isoformat()}"))
        if only is not None and only not in score_ids():
            return Outcome(False, f"{only!r} is not a score of the whole episode "
                           f"({', '.join(score_ids())})")
        current = self.follow_up_visit
        closing = Visit(self.today if current is None else current.on, tuple(self.answers),
                        self._model, MappingProxyType(dict(self._state.kept)),
                        tuple(self.answers if current is None else self.visited),
                        None if current is None else current.only)
        self.visits = (*self.visits, closing)
        self.follow_up_visit = FollowUp(on, closing.answers, closing.findings,
                                        closing.values, only)
        self._visited, self._undo = [], []
        self._visit = {"follow_up": True}
        self._cursor = None  # the visit starts at its first follow-up item
        outcome = self._apply(dict(self._answers), list(self._history))
        if not outcome.accepted:  # cannot happen: the same answers, valid before
            raise DialogError(f"follow-up: {outcome.message}")
        if only is not None:
            # Worked out once the visit is open: the visit's own questions apply then.
            self.follow_up_visit = self.follow_up_visit._replace(
                scope=self._score_questions(only))
        asked = ("the follow-up items are asked again" if only is None else
                 f"the questions of {score_name(only)} are asked again")
        return Outcome(True, None, (), (Note(
            "follow_up", f"Follow-up on {on.isoformat()}: {asked}; the earlier visits' "
            "answers are kept beside them."),))

    def _score_questions(self, score: str) -> frozenset[str]:
        """The questions a quick visit for an episode score asks: those that write the
        fields its items read (at a visit, the visit's own sign where the score reads it:
        SCORTEN's heart rate and detached skin) and the day of the visit, and, for such a
        question that does not apply now, the questions its condition reads (whether the
        eruption is still active, before the detached skin at the visit)."""
        from triage.dialog.conditions import reads
        from triage.scores.operators import DEFAULT
        from triage.scores.registry import BY_ID

        episode_score = BY_ID[score]
        read = {episode_score.at_a_visit.get(f, f)
                for item in episode_score.score(self._model, DEFAULT).items
                for f in item.fields}
        questions = [q for q in self.dialog.questions.values()
                     if q.id not in self.dialog.group_of and q.type != "group"]
        # The day of the visit too: the score is that day's (the day-3 SCORTEN).
        read.add(VISIT_DAY)
        scope = {q.id for q in questions if read & set(fields_written(self.dialog, q))}
        applies = {slot.question.id for slot in self._state.slots}
        waiting = [q for q in questions if q.id in scope and q.id not in applies]
        while waiting:
            question = waiting.pop()
            for name, attr in reads(question.enable_when) if question.enable_when else ():
                gate = self.dialog.questions.get(attr)
                if name == "answers" and gate is not None and gate.id not in scope:
                    scope.add(gate.id)
                    if gate.id not in applies:
                        waiting.append(gate)
        return frozenset(scope)

    def back(self) -> Outcome:
        """Take back the last answer given (at follow-up: the last one of this visit, which
        restores what the visit found)."""
        if self.follow_up_visit is not None:
            if not self._undo:
                return Outcome(False, "no answer of this follow-up visit to take back")
            answers, history, visited = self._undo.pop()
            key = self._visited[-1] if self._visited else None
            outcome = self._apply(answers, history)
            if outcome.accepted:
                self._visited = [k for k in visited if k in self._answers]
                if key is not None:
                    self._cursor = self.dialog.section_of[key[0]].id
            return outcome
        if not self._history:
            return Outcome(False, "there is no answer to take back")
        key = self._history[-1]
        answers = {k: v for k, v in self._answers.items() if k != key}
        outcome = self._apply(answers, self._history[:-1])
        if outcome.accepted:
            slot_section = self.dialog.section_of[key[0]].id
            self._cursor = slot_section
        return outcome

    def repeats(self, group: str) -> int:
        """How many entries of a group (drugs) have been started."""
        return len(
            {s.repeat for s in self._state.slots if s.group is not None and s.group.id == group}
        )

    def remove_repeat(self, group: str, index: int) -> Outcome:
        """Remove one entry of a group (a drug): its answers go, later entries move up, and
        the entry before the last one says no more follow."""
        loaded = self.dialog.questions.get(group)
        if loaded is None or loaded.type != "group" or loaded.more is None:
            return Outcome(False, f"{group} is not a group")
        if self.follow_up_visit is not None:
            # The visits are compared drug by drug: the list stays as the presentation had it.
            return Outcome(False, "an entry cannot be removed at a follow-up visit; the "
                           "presentation day's record keeps it (edit its answers instead)")
        count = self.repeats(group)
        if not 0 <= index < count:
            return Outcome(False, f"there is no entry {index + 1} in {group}")
        members = {c.id for c in loaded.questions or []} | {loaded.more.id}

        def moved(key: Key) -> Key | None:
            qid, repeat = key
            if qid not in members or repeat is None or repeat < index:
                return key
            return None if repeat == index else (qid, repeat - 1)

        answers: dict[Key, Answer] = {}
        for key, answer in self._answers.items():
            new = moved(key)
            if new is not None:
                answers[new] = answer._replace(repeat=new[1])
        history = [m for m in (moved(k) for k in self._history) if m is not None]
        last = count - 2  # the new last entry, if any: nothing follows it
        more_key = (loaded.more.id, last)
        if last >= 0 and more_key in answers and index == count - 1:
            answers[more_key] = Answer(loaded.more.id, last, "no")
        return self._apply(answers, history)

    def jump(self, section: str) -> bool:
        """Continue with the first open question of a section (False if there is none)."""
        if section not in {s.id for s in self.dialog.dialog.sections}:
            return False
        self._cursor = section
        current = self.current()
        return current is not None and current.section.id == section

    def load(self, answers: list[Answer]) -> bool:
        """Take a whole interview's answers at once, if they fit it exactly as given in
        interview order: each applies, converts, and the findings are valid. Then the
        state is what answering them one by one would give (conditions read only earlier
        answers, which `triage check` enforces), at the cost of one computation instead of
        one per answer. False, and nothing changed, when they do not fit."""
        if self._answers or len({a.key for a in answers}) != len(answers):
            return False
        candidate = {a.key: a for a in answers}
        state = self._compute(candidate)
        if state.invalid or set(state.kept) != set(candidate):
            return False
        by_key = {slot.key: slot for slot in state.slots}
        for answer in answers:  # the same checks and spelling as answering one by one
            if self._normalize(by_key[answer.key], answer.raw, answer.unit) != answer:
                return False
        position = {slot.key: i for i, slot in enumerate(state.slots)}
        order = [position[a.key] for a in answers]
        if order != sorted(order):
            return False
        try:
            model = self._validate(state.findings)
        except _Invalid:
            return False
        self._answers, self._history = candidate, [a.key for a in answers]
        self._state, self._model = state, model
        return True

    # --- internals -----------------------------------------------------------------------

    def _normalize(self, slot: Slot, raw: str, unit: str | None) -> Answer | Outcome:
        # Typed, pasted or imported: never a control character or a bidi override.
        raw = one_line(str(raw))
        unit = None if unit is None else clean(unit)
        question = slot.question
        if raw == "" and question.default is not None:
            raw = question.default
        elif raw == "" and (kept := self.suggestion(slot)) is not None:
            raw, unit = kept
        if values.is_unknown(raw):
            if not question.unknown_allowed:
                return Outcome(False, "this question needs an answer; unknown is not allowed")
            return Answer(question.id, slot.repeat, "unknown", on=self._on())
        if raw == "":
            return Outcome(False, "an answer is needed (or 'unknown')")
        if unit is not None and question.type not in ("integer", "decimal"):
            return Outcome(False, f"{question_label(question, slot.repeat)} takes no unit")
        return Answer(question.id, slot.repeat, raw, unit, self._on())

    def _on(self) -> dt.date | None:
        return None if self.follow_up_visit is None else self.follow_up_visit.on

    def _apply(self, answers: dict[Key, Answer], history: list[Key]) -> Outcome:
        if self.follow_up_visit is not None:
            # An earlier visit's answer dropped at this one (its question stopped applying)
            # is the answer again when its question comes back, as in the saved session,
            # whose earlier visits keep it.
            back = [a for a in self.follow_up_visit.before if a.key not in answers]
            if back:
                answers = {**answers, **{a.key: a for a in back}}
                history = [*history, *(a.key for a in back if a.key not in history)]
        before_flags = {f["id"] for f in assess(self._model).red_flags}
        before_derived = self._state.derived
        try:
            state = self._compute(answers)
        except DialogError as exc:
            # A condition that fails on this answer (a fault of the dialog): the session
            # goes on with its earlier answers, and the clinician is told why.
            return Outcome(False, f"the dialog cannot take this answer ({exc}); answer "
                           "differently or 'unknown', and report the dialog's fault")
        new_keys = [k for k in history if k in answers]
        changed = [k for k in answers if self._answers.get(k) != answers[k]]
        # An answer just given (or edited) that does not convert is refused, not dropped.
        for key in changed:
            if key in state.invalid:
                return Outcome(False, state.invalid[key])
        try:
            model = self._validate(state.findings)
        except _Invalid as exc:
            return Outcome(False, str(exc))
        dropped_keys = [k for k in new_keys if k not in state.kept and k in self._answers]
        dropped = tuple(answers[k] for k in dropped_keys)
        self._answers = {k: v for k, v in answers.items() if k in state.kept}
        self._history = [k for k in new_keys if k in state.kept]
        self._state, self._model = state, model
        notes = [
            Note("emergency", f["text"])
            for f in assess(model).red_flags
            if f["level"] == "emergency" and f["id"] not in before_flags
        ]
        for path, value in state.derived.items():
            if before_derived.get(path) != value and value is not None:
                notes.append(Note("derived", labels.describe(path, value)))
        for answer in dropped:
            question = question_of(self.dialog, answer.question)
            notes.append(Note("dropped", f"{question_label(question, answer.repeat)} "
                                         f"({answer_words(question, answer)}) no longer applies"))
        return Outcome(True, None, dropped, tuple(notes))

    def _validate(self, data: dict[str, Any]) -> Findings:
        try:
            return Findings.model_validate(data)
        except ValidationError as exc:
            # The validator's message for each field, said with the field's label (and in
            # the clinician's words where the refusal has its own).
            worded = {p.path: p.message for p in findings_mod.problems_from(exc, None, "f")}
            said = []
            for error in exc.errors():
                path = path_text(tuple(error["loc"]))
                said.append(refusal_words(error["type"], path, dict(error.get("ctx") or {}),
                                          worded.get(path, error["msg"])))
            raise _Invalid("; ".join(dict.fromkeys(said))) from None

    def _compute(self, answers: dict[Key, Answer]) -> _State:
        """Which questions apply and what the answers mean: a fixpoint over the answers."""
        kept_keys = set(answers)
        for _ in range(50):
            state = self._pass(answers, kept_keys)
            now = set(state.kept) | set(state.invalid)
            if now == kept_keys:
                return state
            kept_keys = now
        raise DialogError("the dialog's conditions do not settle (they depend on each other)")

    def _pass(self, answers: dict[Key, Answer], kept_keys: set[Key]) -> _State:
        """One pass over the dialog with these answers (see `_Pass`)."""
        return _Pass(self, answers, kept_keys).run()

    def iter_answers(self) -> Iterator[tuple[Slot, Answer]]:
        """(slot, answer) in interview order."""
        for slot in self._state.slots:
            if slot.key in self._answers:
                yield slot, self._answers[slot.key]


class _Pass:
    """One pass over the dialog: which questions apply with these answers, what each
    answer means, and the findings they make. Conditions read the previous pass's
    findings; `Engine._compute` repeats passes until they settle."""

    def __init__(self, engine: Engine, answers: dict[Key, Answer], kept_keys: set[Key]) -> None:
        self.engine = engine
        self.answers = answers
        self.kept_keys = kept_keys
        self.onset: str | None = None
        self.context_answers: dict[str, Any] = {}
        self.kept: dict[Key, Any] = {}
        self.invalid: dict[Key, str] = {}
        self.findings: dict[str, Any] = {"schema": SCHEMA}
        self.slots: list[Slot] = []
        # A first, rough findings for conditions and conversions that read findings.
        self.previous = engine._state.findings

    def run(self) -> _State:
        """Every section's questions, the groups entry by entry, then the derived facts."""
        reused: dict[tuple[Any, ...], Entry] = {}
        for section in self.engine.dialog.dialog.sections:
            for q in section.questions:
                if not self.enabled(q):
                    continue
                if q.type != "group":
                    slot = Slot(q, None, section)
                    self.slots.append(slot)
                    self.record(slot, {}, None)
                    continue
                self.group(q, section, reused)
        self.engine._reuse.entries = reused  # this pass's; older ones are dropped
        derived = self.derive()
        return _State(tuple(self.slots), self.kept, self.findings, self.invalid, derived)

    def convert(self, slot: Slot, answer: Answer) -> Any:
        """What an answer means: a canonical value, "unknown", or a number's triple."""
        q = slot.question
        if answer.unknown:
            return "unknown"
        if q.type in ("yes_no", "choice", "multi"):
            return self.value_of(q, answer.raw)
        if q.type in ("integer", "decimal"):
            if (given := values.bound(q, answer.raw)) is not None:
                return BOUND_PREFIX + given
            if values.is_normal_answer(q, answer.raw):
                if values.normal_lab(q) is None:
                    raise values.AnswerError(
                        f"{question_label(q, slot.repeat)} has no usual interval to read "
                        "'normal' by: give the number")
                return NORMAL
            return values.number(q, answer.raw, answer.unit, self.findings)
        if q.type == "date":
            said_on = answer.on or self.engine.today
            if q.role == "onset":
                return values.onset_date(answer.raw, said_on)
            if (word := values.date_word(q, answer.raw)) is not None:
                return word
            return values.day_number(answer.raw, said_on, self.onset,
                                     tuple(o.label for o in q.options or ()))
        if q.type == "text":
            return values.text(answer.raw)
        raise DialogError(f"{q.id}: a {q.type} question takes no answer")

    def record(self, slot: Slot, item: dict[str, Any], entry: dict[str, Any] | None) -> None:
        """Take a slot's answer, if it has one that still applies, into the findings (or
        the group entry's), and into what later conditions read."""
        answer = self.answers.get(slot.key)
        if answer is None or slot.key not in self.kept_keys:
            return
        try:
            value = self.convert(slot, answer)
        except values.AnswerError as exc:
            self.invalid[slot.key] = str(exc)
            return
        q = slot.question
        target = self.findings if entry is None else entry
        if isinstance(value, tuple):  # a number: (as entered, unit, canonical)
            _, unit, canonical = value
            self.kept[slot.key] = canonical
            field = unit.field or q.field
            if field:
                _set(target, field, canonical)
            shown = canonical
        else:
            self.kept[slot.key] = value
            shown = value
            if value != "unknown":
                self.write(q, value, target)
            elif q.field and q.field.split(".")[-2:-1] == ["naranjo"]:
                # Naranjo's answers hold "unknown" as a value: a clinician's "do not know"
                # is an answer that wins over one derived from the findings or the drug
                # knowledge (docs/decisions.md), where a missing field would not.
                _set(target, q.field, "unknown")
        if slot.group is None:
            self.context_answers[q.id] = shown
        else:
            item[q.id] = shown

    def write(self, q: Question, value: Any, target: dict[str, Any]) -> None:
        """The fields a known, non-numeric answer sets."""
        if q.role == "onset":
            self.onset = value
            if q.field:
                _set(target, q.field, value)
        else:
            self.write_answer(q, value, target)

    @staticmethod
    def value_of(q: Question, raw: str) -> Any:
        """The canonical value of a yes/no, choice or multi answer."""
        if q.type == "yes_no":
            return values.yes_no(raw)
        if q.type == "choice":
            return values.choice(q, raw)
        return values.multi(q, raw)

    @staticmethod
    def write_answer(q: Question, value: Any, target: dict[str, Any]) -> None:
        """The fields a known, non-numeric answer (not the onset) sets."""
        if q.bounds is not None and str(value).startswith(BOUND_PREFIX):
            _set(target, q.bounds.field, value.removeprefix(BOUND_PREFIX))
            return
        if value == NORMAL and (lab := values.normal_lab(q)) is not None:
            # Within normal limits: no number; the value is listed as reported normal.
            reported = values.lookup(target, "labs.reported_normal") or []
            _set(target, "labs.reported_normal", [*reported, lab])
            return
        if q.type == "yes_no":
            if q.field:
                _set(target, q.field, value == "yes")
            for path, v in (q.on_yes if value == "yes" else q.on_no).items():
                _set(target, path, v)
        elif q.type == "date" and isinstance(value, str):
            pass  # a word in place of a date: the field stays unknown, the word's sets apply
        elif q.field:
            _set(target, q.field, value)
        if q.type == "date" and not isinstance(value, str):
            for path, v in q.on_date.items():
                _set(target, path, v)
        if q.type in ("choice", "date") and q.options:
            for option in q.options:
                if option.value == value:
                    for path, v in option.sets.items():
                        _set(target, path, v)

    def enabled(self, q: Question, **context: Any) -> bool:
        """Whether a question applies, from its condition."""
        if q.enable_when is None:  # half the questions: no call, no context to build
            return True
        try:
            return self.engine._memo.holds(
                q.enable_when, answers=self.context_answers, findings=self.previous,
                visit=self.engine._visit, **context
            )
        except ExpressionError as exc:
            raise DialogError(f"{q.id}: enable_when: {exc}") from None

    def group(self, q: Question, section: Section, reused: dict[tuple[Any, ...], Entry]
              ) -> None:
        """A group's entries (the drugs), each taken from the last pass when everything it
        reads is the same (`EntryReuse`), else worked out."""
        assert q.questions is not None and q.more is not None and q.field
        reuse = self.engine._reuse
        entries: list[dict[str, Any]] = []
        reads = reuse.reads(q)
        repeat = 0
        while True:
            key = None if reads is None else reuse.key(
                q, repeat, reads, self.answers, self.kept_keys, self.context_answers,
                self.onset, self.engine._visit, self.engine.today
            )
            done = None if key is None else reuse.entries.get(key)
            if done is None:
                done, entry = self.entry_of(q, section, repeat)
            else:  # the same inputs as last time: the same entry
                self.slots.extend(done.slots)
                self.kept.update(_copy(dict(done.kept)))
                self.invalid.update(done.invalid)
                entry = _copy(done.entry)
            if key is not None:
                reused[key] = done
            if "name" in entry:
                entries.append(entry)
            if done.more != "yes" or repeat >= 499:
                break
            repeat += 1
        if entries or values.lookup(self.findings, q.field) is None:
            _set(self.findings, q.field, entries) if entries else None

    def entry_of(self, q: Question, section: Section, repeat: int
                 ) -> tuple[Entry, dict[str, Any]]:
        """Work out one entry of group `q`, adding its slots and values to the pass: what
        a later pass may reuse (a copy), and the entry's findings for this pass."""
        assert q.questions is not None and q.more is not None
        first = len(self.slots)
        item: dict[str, Any] = {}
        entry: dict[str, Any] = {}
        # What the knowledge file says of the entry named first (the drug).
        name = self.answers.get((q.questions[0].id, repeat))
        info = lookup(name.raw) if name and not name.unknown else None
        drug_info = {
            "known": info is not None,
            "biological": bool(info and info.biological),
        }
        for child in q.questions:
            if not self.enabled(child, item=item, repeat=repeat, drug_info=drug_info):
                continue
            slot = Slot(child, repeat, section, q)
            self.slots.append(slot)
            self.record(slot, item, entry)
        more_slot = Slot(self.engine.dialog.more_question(q), repeat, section, q)
        self.slots.append(more_slot)
        self.record(more_slot, item, None)
        made = tuple(self.slots[first:])
        return Entry(
            made,
            tuple((s.key, _copy(self.kept[s.key])) for s in made if s.key in self.kept),
            tuple((s.key, self.invalid[s.key]) for s in made if s.key in self.invalid),
            _copy(entry),
            item.get(q.more.id),
        ), entry

    def derive(self) -> dict[str, Any]:
        """The dialog's derived facts, from the answers and the findings so far."""
        derived: dict[str, Any] = {}
        for rule in self.engine.dialog.dialog.derive:
            try:
                if not holds(rule.when, answers=self.context_answers, findings=self.findings):
                    continue
                value = evaluate(rule.value, answers=self.context_answers,
                                 findings=self.findings)
            except ExpressionError as exc:
                raise DialogError(f"derive {rule.field}: {exc}") from None
            derived[rule.field] = value
            if value is not None:
                _set(self.findings, rule.field, value)
        return derived


class _Invalid(ValueError):
    """The findings would not be valid with this answer."""
