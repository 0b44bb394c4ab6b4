"""Whether a question still matters: could any answer to it change what the clinician acts
on? A dialog that says `ask_only_what_matters` leaves out the questions that could not.

"What the clinician acts on" is the outcome of the findings (`outcome`): the triage level
and its red flags (known and unknown), each score's category (while a score's category is
not settled, its reachable range, since narrowing it is what settles the category), each
drug's ALDEN and Naranjo likewise, the reaction patterns and AGEP differentials considered,
and every next step in its words. SCORTEN counts only while SJS/TEN is considered: it is
the severity score of SJS/TEN (Bastuji-Garin 2000), and an AGEP or DRESS summary shows
it without acting on it.

A question is left out when each answer it could take (`trial_answers`) gives the same
outcome as leaving it unknown, with every other unanswered question unknown too, so that
unknowns taken together are accounted for by the reachable ranges. Left out is not
answered: the field stays unknown (never "no"), and the question comes back as soon as
another answer makes it matter again.

What can raise the level is always asked: a question whose answer any red flag reads (or
a sign at a follow-up visit, which decides the visit's level). A red flag may need two
answers at once (ALT and bilirubin), or bands on both sides of a normal (a child's heart
rate by age), which answers tried one at a time would miss; the scores' thresholds are
one-sided, and their ranges account for unknowns taken together.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.dialog.loader import LoadedDialog
    from triage.dialog.model import Question
    from triage.findings import Findings
    from triage.scores.base import ScoreResult

#: The reason a summary gives beside a question left out.
REASON = ("no answer could change the triage level, a score's category (SCORTEN's only "
          "while SJS/TEN is considered), the patterns considered or a next step")

#: The reason a summary gives beside the questions asked only on request.
ON_REQUEST = ("they are asked only when opened from the command palette (nearly always "
              "unknown; the scores count an unknown answer as their sources say)")

_ANSWER_READ = re.compile(r"\b(?:answers|item)\.([A-Za-z_][A-Za-z0-9_]*)")
_TRIED_TYPES = ("yes_no", "choice", "multi", "integer", "decimal")


_NEVER: dict[str, frozenset[str]] = {}


def _never_left_out(dialog: LoadedDialog) -> frozenset[str]:
    """Questions always asked: those whose answer decides what else is asked (a condition,
    a derived field or a unit's conversion reads it)."""
    if dialog.hash in _NEVER:
        return _NEVER[dialog.hash]
    texts: list[str] = [d.when or "" for d in dialog.dialog.derive]
    texts += [d.value for d in dialog.dialog.derive]
    for q in dialog.questions.values():
        texts.append(q.enable_when or "")
        for unit in q.units or ():
            texts.append(unit.to_canonical or "")
    read = {m for text in texts for m in _ANSWER_READ.findall(text)}
    _NEVER[dialog.hash] = frozenset(read)
    return _NEVER[dialog.hash]


def conditions_read_findings(dialog: LoadedDialog) -> bool:
    """Whether a condition or a derived field reads the findings (then a field written by
    one answer may change what is asked or derived: a trial takes a whole pass)."""
    texts = [q.enable_when or "" for q in dialog.questions.values()]
    texts += [f"{d.when or ''} {d.value}" for d in dialog.dialog.derive]
    return any("findings" in text for text in texts)


@cache
def _level_fields() -> frozenset[str]:
    """Every findings field a red flag reads."""
    from triage.red_flags import TRIGGERS

    return frozenset(path for trigger in TRIGGERS for path in trigger.fields)


def _feeds_the_level(dialog: LoadedDialog, question: Question) -> bool:
    from triage.dialog.why import fields_written

    return any(path in _level_fields() or path.startswith("visit.")
               for path in fields_written(dialog, question))


def must_ask(dialog: LoadedDialog, question: Question) -> bool:
    """Whether a question is asked in turn whatever the dialog says: a red flag reads its
    answer, or a condition, a derived field or a unit's conversion does."""
    return question.id in _never_left_out(dialog) or _feeds_the_level(dialog, question)


def may_leave_out(dialog: LoadedDialog, question: Question) -> bool:
    """Whether the dialog lets this question be left out when it does not matter."""
    return (
        dialog.dialog.ask_only_what_matters
        and question.type in _TRIED_TYPES
        and question.unknown_allowed
        and question.default is None
        and question.id not in _never_left_out(dialog)
        and not _feeds_the_level(dialog, question)
    )


def trial_answers(question: Question) -> list[str]:
    """The answers tried: every option (of a multi: none, each alone, all), yes and no, or
    a number at both ends of its range and in its middle (the scores' thresholds are
    one-sided; what a red flag reads is never left out). None: nothing to try, so the
    question is asked."""
    if question.type == "yes_no":
        return ["yes", "no"]
    options = [o.value for o in question.options or ()]
    if question.type == "choice":
        return options
    if question.type == "multi":
        return ["none", *options, ", ".join(options)]
    if question.range is None:
        return []
    low, high = question.range
    return [_num(low), _num(high), _num(round((low + high) / 2, 2))]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _score(score: ScoreResult | None) -> Hashable:
    if score is None:
        return None
    possible = tuple(score.categories_possible)
    if len(possible) == 1:
        return score.id, possible
    return score.id, score.min, score.max


def outcome(findings: Findings, at_visit: bool = False) -> tuple[Hashable, ...]:
    """What the clinician acts on, as one comparable value. At a follow-up visit the level
    is the visit's, decided by the signs at the visit (summary.visit_triage)."""
    return tuple(outcome_parts(findings, at_visit))


def outcome_parts(findings: Findings, at_visit: bool = False) -> Iterator[Hashable]:
    """The outcome's parts one at a time, the next steps (the costliest: each is worded)
    last, so that a trial that already differs stops early."""
    from triage.assessment import assess
    from triage.next_steps import steps
    from triage.result import evaluate
    from triage.summary import visit_triage

    result = evaluate(findings)
    assessment = assess(findings, result)
    triage: dict[str, Any] = (visit_triage(findings) if at_visit
                              else result.triage.as_json())
    considered = tuple(assessment.considered)
    yield (triage["level"],
           tuple(f["id"] for f in triage["red_flags"]),
           tuple(f["id"] for f in triage["unknown_red_flags"]))
    yield tuple(_score(s) for s in result.scores
                if s.id != "scorten" or "sjs_ten" in considered)
    yield tuple((_score(d.alden), _score(d.naranjo)) for d in result.drugs)
    yield considered, tuple(d.id for d in assessment.differentials if d.considered)
    data = result.as_json()
    if at_visit:
        data["triage"] = triage
    _, recommended = steps(findings, result, assessment, data)
    yield tuple((s.id, s.text) for s in recommended)
