"""Reusing a group's entries (the drugs) from one pass to the next.

After every answer the engine works the whole interview out again. An entry of a group
whose every input is the same as in the last pass (its answers, whether each still
applies, the earlier answers and visit facts its conditions name, the onset its dates
count from, the day) comes out the same, so it is taken from that pass. `reads` says,
from the dialog's text, what an entry reads, or that it cannot be told; then the entry is
always worked out again. This is the engine's one shortcut, kept here so the pass reads
as the plain computation it is.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from triage.dialog.conditions import hashable, plan_of
from triage.dialog.loader import LoadedDialog
from triage.dialog.model import Question

if TYPE_CHECKING:
    from triage.dialog.engine import Answer, Slot

Key = tuple[str, int | None]


class Entry(NamedTuple):
    """One entry of a group (a drug) as a pass worked it out, for the next pass to reuse
    when everything it read is the same."""

    slots: tuple[Slot, ...]
    kept: tuple[tuple[Key, Any], ...]
    invalid: tuple[tuple[Key, str], ...]
    entry: dict[str, Any]
    more: Any  # the "another one?" answer, which decides whether another entry follows


#: What an entry of a group reads besides its own answers: the members' question ids, and
#: the earlier answers and the visit facts its conditions name.
Reads = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class EntryReuse:
    """The entries the last pass worked out, by everything they read."""

    def __init__(self, dialog: LoadedDialog) -> None:
        self.dialog = dialog
        #: Per group: what its entries read, or None when that cannot be told.
        self._reads: dict[str, Reads | None] = {}
        self.entries: dict[tuple[Any, ...], Entry] = {}

    def reads(self, group: Question) -> Reads | None:
        """What an entry of `group` reads besides its own answers, when its text says so:
        the earlier answers and the visit facts its conditions name. None (every pass works
        its entries out again) when a condition reads more than that (the findings, a
        call), when a unit's conversion reads the findings, or when a member is the onset,
        which later answers read."""
        if group.id in self._reads:
            return self._reads[group.id]
        assert group.questions is not None
        members = [*group.questions, self.dialog.more_question(group)]
        earlier: set[str] = set()
        visit: set[str] = set()
        reads: Reads | None = None
        for member in members:
            if member.role == "onset" or any(
                unit.needs or "findings" in unit.to_canonical for unit in member.units or ()
            ):
                break
            # The members write into their entry; the "another one?" question, written
            # into the findings themselves, would have to say nothing.
            if member is members[-1] and (member.field or member.on_yes or member.on_no):
                break
            plan = () if member.enable_when is None else plan_of(member.enable_when)
            if plan is None:
                break
            earlier.update(attr for name, attr in plan if name == "answers")
            visit.update(attr for name, attr in plan if name == "visit")
        else:
            reads = (tuple(m.id for m in members), tuple(sorted(earlier)), tuple(sorted(visit)))
        self._reads[group.id] = reads
        return reads

    @staticmethod
    def key(
        group: Question,
        repeat: int,
        reads: Reads,
        answers: dict[Key, Answer],
        kept_keys: set[Key],
        context_answers: dict[str, Any],
        onset: str | None,
        visit_facts: dict[str, Any],
        today: dt.date,
    ) -> tuple[Any, ...]:
        """Everything an entry's working out reads (see `reads`), as one key: its members'
        answers and whether each still applies, the earlier answers and visit facts its
        conditions name, the onset its dates count from, and the day."""
        ids, earlier, visit = reads
        keys = [(i, repeat) for i in ids]
        return (
            group.id,
            repeat,
            tuple(map(answers.get, keys)),
            tuple(map(kept_keys.__contains__, keys)),
            tuple(hashable(context_answers.get(a)) for a in earlier),
            tuple(visit_facts.get(v) for v in visit),
            onset,
            today,
        )
