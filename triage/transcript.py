"""Transcripts: a session's answers as a YAML file that replays to the same result.

    schema: triage.transcript/1
    dialog: {id: scar, version: "1.0", hash: "sha256:..."}
    today: 2026-11-25          # what "today" and "3 days ago" meant during the session
    answers:
      - {q: onset_date, value: "2026-11-16"}
      - {q: drug_name, repeat: 0, value: IVIg}
      - {q: temperature, value: "101.3", unit: F}
    visits:                    # the follow-up visits, in order (none: left out)
      - date: 2026-11-27       # the visit's day: what "today" means in its answers
        only: scorten          # a quick visit for one episode score (optional)
        answers:
          - {q: heart_rate, value: "118"}
      - date: 2026-12-09
        answers:
          - {q: resolved, value: "yes"}

Answers are kept as entered, with their unit; human-readable and diff-friendly. The UI
saves the same format. The `answers` are the presentation day's, as they were; each
visit's answers (new ones, and changes to earlier ones) follow in its own list, so every
visit's results can be derived side by side. A transcript saved before visits were a list
has one `follow_up:` (a date and its answers) instead; it still loads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from triage import validation
from triage.dialog.engine import Answer, DialogError, Engine
from triage.dialog.loader import LoadedDialog
from triage.errors import InputError, Problem
from triage.yamlio import Document, load_file, parse

SCHEMA = "triage.transcript/1"


def _as_entered(value: Any) -> Any:
    # YAML 1.1 reads `no` as false and `38.5` as a number; the clinician typed text.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, int | float):
        return str(value)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: The episode scores a quick visit can be for (triage.scores.registry).
ScoreId = Literal["eurosar_agep", "regiscar_dress", "scorten"]


class DialogRef(_Model):
    """Which dialog the answers belong to."""

    id: str
    version: str
    hash: str


class Entry(_Model):
    """One answer as entered."""

    q: str
    value: Annotated[str, BeforeValidator(_as_entered)]
    repeat: int | None = Field(default=None, ge=0)
    unit: str | None = None


class FollowUpVisit(_Model):
    """The answers given when a finished session was reopened on a later day."""

    date: dt.date
    only: ScoreId | None = None
    # A plain default, which pydantic copies for each instance: `default_factory=list`
    # makes pydantic read list's signature when the class is built, and the first such
    # read compiles the tokenize module's patterns, at every replay's start-up.
    answers: list[Entry] = Field(default=[])


class Transcript(_Model):
    """A whole session's answers."""

    schema_: Literal["triage.transcript/1"] = Field(alias="schema")
    dialog: DialogRef
    today: dt.date
    answers: list[Entry] = Field(default=[])  # not default_factory: see FollowUpVisit
    visits: list[FollowUpVisit] = Field(default=[])
    #: The one follow-up visit of a transcript saved before visits were a list.
    follow_up: FollowUpVisit | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Transcript:
        if self.follow_up is None:
            return self
        if "visits" in self.model_fields_set:
            raise PydanticCustomError(
                "visits_twice", "give the visits as `visits:` only (`follow_up:` is the "
                "older form of a single visit)")
        if self.follow_up.only is not None:
            raise PydanticCustomError(
                "only_in_visits", "a quick visit (`only`) is given in `visits:`, not in "
                "the older `follow_up:`")
        return self

    @property
    def follow_ups(self) -> list[FollowUpVisit]:
        """The follow-up visits in order, whichever form the file gave them in."""
        return self.visits if self.follow_up is None else [self.follow_up]


def from_engine(engine: Engine) -> Transcript:
    """The transcript of an interview: its answers in interview order (and, after
    follow-up visits, the presentation day's answers, then each visit's).

    Interview order, not the order they were given: a condition reads only answers asked
    before it, and a date only the onset before it (`triage check` holds dialogs to both),
    so the transcript replays whatever jumps, edits and take-backs made it. A calendar
    date given after a jump, before the onset was known, had been written before the
    onset and did not replay."""
    visit = engine.follow_up_visit
    position = {slot.key: index for index, slot in enumerate(engine.slots())}
    given = engine.answers if visit is None else list(engine.visits[0].given)
    ordered = sorted(given, key=lambda a: position.get(a.key, len(position)))
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "dialog": {
            "id": engine.dialog.id,
            "version": engine.dialog.version,
            "hash": engine.dialog.hash,
        },
        "today": engine.today,
        "answers": [_entry(a) for a in ordered],
    }
    if visit is not None:
        visits = [(v.on, v.only, v.given) for v in engine.visits[1:]]
        visits.append((visit.on, visit.only, tuple(engine.visited)))
        data["visits"] = [{"date": on, "answers": [_entry(a) for a in given]}
                          | ({"only": only} if only is not None else {})
                          for on, only, given in visits]
    return Transcript.model_validate(data)


def _entry(answer: Answer) -> dict[str, Any]:
    entry: dict[str, Any] = {"q": answer.question, "value": answer.raw}
    if answer.repeat is not None:
        entry["repeat"] = answer.repeat
    if answer.unit is not None:
        entry["unit"] = answer.unit
    return entry


def dumps(transcript: Transcript) -> str:
    """The transcript as YAML: one line per answer, every value quoted."""
    d = transcript.dialog
    lines = [
        f"schema: {SCHEMA}",
        f"dialog: {{id: {_q(d.id)}, version: {_q(d.version)}, hash: {_q(d.hash)}}}",
        f"today: {transcript.today.isoformat()}",
        "answers:" if transcript.answers else "answers: []",
    ]
    lines += [f"  - {_flow(e)}" for e in transcript.answers]
    if transcript.follow_ups:
        lines.append("visits:")
    for visit in transcript.follow_ups:
        lines.append(f"  - date: {visit.date.isoformat()}")
        if visit.only is not None:
            lines.append(f"    only: {visit.only}")
        lines.append("    answers:" if visit.answers else "    answers: []")
        lines += [f"      - {_flow(e)}" for e in visit.answers]
    return "\n".join(lines) + "\n"


def _flow(e: Entry) -> str:
    """One answer as a YAML flow mapping on one line."""
    parts = [f"q: {e.q}"]
    if e.repeat is not None:
        parts.append(f"repeat: {e.repeat}")
    parts.append(f"value: {_q(e.value)}")
    if e.unit is not None:
        parts.append(f"unit: {_q(e.unit)}")
    return "{" + ", ".join(parts) + "}"


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def from_document(doc: Document) -> Transcript:
    """Validate a parsed transcript document."""
    return validation.validate_document(doc, Transcript, "a transcript", SCHEMA)


def load(path: Path, source: str | None = None) -> tuple[Transcript, Document]:
    """Read and validate a transcript file."""
    doc = load_file(path, source if source is not None else str(path))
    return from_document(doc), doc


def loads(text: str, source: str = "<transcript>") -> tuple[Transcript, Document]:
    """Read and validate a transcript from text."""
    doc = parse(text, source)
    return from_document(doc), doc


def replay(
    transcript: Transcript,
    dialog: LoadedDialog,
    source: str = "transcript",
    doc: Document | None = None,
) -> Engine:
    """Answer the dialog with the transcript, step by step; any misfit is an InputError
    naming the step, the question and the reason. Nothing partial is returned."""
    ref = transcript.dialog
    if (ref.id, ref.version) != (dialog.id, dialog.version):
        raise InputError(
            [
                Problem(
                    source,
                    f"the transcript is for dialog {ref.id} {ref.version}; this is "
                    f"{dialog.id} {dialog.version}",
                    path="dialog",
                    line=doc.line_of(("dialog",)) if doc else None,
                )
            ]
        )
    if ref.hash != dialog.hash:
        raise InputError(
            [
                Problem(
                    source,
                    f"dialog {dialog.id} {dialog.version} has changed since the transcript "
                    f"was saved (hash {ref.hash[:19]}..., now {dialog.hash[:19]}...); answers may "
                    "no longer mean the same",
                    path="dialog.hash",
                    line=doc.line_of(("dialog", "hash")) if doc else None,
                )
            ]
        )
    engine = _presentation(transcript, dialog, source, doc)
    for number, visit in enumerate(transcript.follow_ups):
        where: tuple[str | int, ...] = (
            ("follow_up",) if transcript.follow_up is not None else ("visits", number))
        opened = engine.follow_up(visit.date, visit.only)
        if not opened.accepted:
            raise InputError([Problem(
                source, f"follow-up: {opened.message}", path=_path((*where, "date")),
                line=doc.line_of((*where, "date")) if doc else None)])
        _steps(engine, dialog, visit.answers, source, doc, (*where, "answers"))
    return engine


def _path(where: tuple[str | int, ...]) -> str:
    """A place in the file as validation names it: visits[1].date."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")


def _presentation(
    transcript: Transcript, dialog: LoadedDialog, source: str, doc: Document | None
) -> Engine:
    engine = Engine(dialog, transcript.today)
    # Fast path: a transcript in interview order that fits is taken in one computation;
    # anything else is replayed step by step, which names the step that does not fit.
    whole = [Answer(e.q, e.repeat, " ".join(e.value.split()), e.unit) for e in transcript.answers]
    try:
        if engine.load(whole):
            return engine
    except DialogError:
        pass
    engine = Engine(dialog, transcript.today)
    _steps(engine, dialog, transcript.answers, source, doc, ("answers",))
    return engine


def _steps(
    engine: Engine,
    dialog: LoadedDialog,
    entries: list[Entry],
    source: str,
    doc: Document | None,
    where: tuple[str | int, ...],
) -> None:
    """Give the entries one by one; the first that does not fit is an InputError."""
    at_follow_up = engine.follow_up_visit is not None
    given: set[tuple[str, int | None]] = set()
    for step, entry in enumerate(entries, start=1):
        line = doc.line_of((*where, step - 1)) if doc else None
        path = f"{_path(where)}[{step - 1}]"

        def refuse(
            reason: str, entry: Entry = entry, step: int = step, line: int | None = line,
            path: str = path,
        ) -> InputError:
            label = entry.q if entry.repeat is None else f"{entry.q} #{entry.repeat + 1}"
            return InputError([Problem(source, f"{'follow-up ' if at_follow_up else ''}step "
                                       f"{step} ({label}): {reason}", path=path, line=line)])

        if entry.q not in dialog.questions and entry.q not in _more_ids(dialog):
            raise refuse(f"no question {entry.q!r} in dialog {dialog.id} {dialog.version}")
        grouped = entry.q in dialog.group_of
        if grouped and entry.repeat is None:
            raise refuse("this question is asked once per drug: give its repeat (0 for the first)")
        if not grouped and entry.repeat is not None:
            raise refuse("this question is not in a group: it takes no repeat")
        slot = engine.slot(entry.q, entry.repeat)
        if slot is None:
            group = dialog.group_of.get(entry.q)
            started = engine.repeats(group.id) if group is not None else 0
            if started and entry.repeat is not None and entry.repeat >= started:
                assert group is not None and group.more is not None  # started: a group
                raise refuse(
                    f"there is no {group.item_label or group.id} #{entry.repeat + 1} at this "
                    f"point ({started} begun; the next one begins with a yes to "
                    f"{group.more.id})"
                )
            raise refuse(
                "not reachable at this point: its condition is false with the answers before it"
                if dialog.questions.get(entry.q) is not None
                else "not reachable at this point"
            )
        key = (entry.q, entry.repeat)
        # Before a follow-up, an answered question is not asked again: given twice.
        if key in given or (not at_follow_up and not engine.asks(slot)):
            raise refuse("answered twice")
        given.add(key)
        try:
            if engine.asks(slot):
                outcome = engine.answer(entry.value, entry.unit, question=entry.q,
                                        repeat=entry.repeat)
            else:  # at follow-up: a change to an answer the visit does not ask again
                outcome = engine.edit(entry.q, entry.value, entry.unit, entry.repeat)
        except DialogError as exc:
            raise refuse(f"the dialog failed: {exc}") from None
        if not outcome.accepted:
            raise refuse(f"{entry.value!r} refused: {outcome.message}")


def _more_ids(dialog: LoadedDialog) -> set[str]:
    return {q.more.id for q in dialog.questions.values() if q.more is not None}
