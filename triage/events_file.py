"""Reading an events file (JSON lines): a fallback file the assistant wrote when the store
failed, or `triage export ID --format events` from another machine. `triage import` puts
its session into the store, with the events' own times: the audit trail moves unchanged.

    {"schema": "triage.events/1", "dialog": {...}, "today": "2026-11-25", "patient_ref": ...}
    {"kind": "answer", "question": "detachment_any", "value": "no", "at_utc": "...", "seq": 1}
    ...
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from triage.errors import InputError, Problem
from triage.plain_text import clean
from triage.store import Event
from triage.transcript import DialogRef
from triage.validation import path_text
from triage.yamlio import read_text

SCHEMA = "triage.events/1"
#: Larger than any real session (a few hundred events) by far; refused before reading.
MAX_BYTES = 20_000_000
#: How far ahead of this machine's clock an event may be stamped (another machine's clock).
CLOCK_SKEW = dt.timedelta(minutes=10)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(_Model):
    """The first line: which dialog, which day, whose (optional)."""

    schema_: Literal["triage.events/1"] = Field(alias="schema")
    dialog: DialogRef
    today: dt.date
    patient_ref: str | None = Field(default=None, max_length=100)

    @field_validator("patient_ref")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        return None if value is None else clean(value)
    session: str | None = None  # set by `triage export`: the id in the store it came from


class EventLine(_Model):
    """One event as `Event.as_json` writes it."""

    kind: Literal["answer", "edit", "back", "remove", "follow_up", "migrate"]
    question: str | None = None
    repeat: StrictInt | None = Field(default=None, ge=0)
    value: str | None = None
    unit: str | None = None
    previous: str | None = None
    at_utc: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    seq: StrictInt = Field(ge=1)
    dialog_version: str = ""

    @field_validator("value", "unit", "previous")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        # Free text stays text: an imported answer loses control characters and bidi
        # overrides, as a typed one does.
        return None if value is None else clean(value)

    @field_validator("at_utc")
    @classmethod
    def _real_time(cls, value: str) -> str:
        try:
            dt.datetime.strptime(value, TIME_FORMAT)
        except ValueError:
            raise PydanticCustomError("real_time", "not a real time") from None
        return value

    @property
    def at(self) -> dt.datetime:
        return dt.datetime.strptime(self.at_utc, TIME_FORMAT).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class EventsFile:
    """A session's header and its events, in order."""

    header: Header
    events: list[Event]
    #: The line number of a last line cut short by a crash (left out), if there was one.
    cut_line: int | None = None


def read(path: Path, source: str | None = None) -> EventsFile:
    """Read and check an events file; every problem is named with its line."""
    source = source if source is not None else str(path)
    # The same refusals, in the same words, as for a findings file or a transcript.
    text = read_text(path, source, MAX_BYTES, "an events file")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    cut_line = None
    if len(lines) > 1 and not text.endswith("\n") and not _is_json(lines[-1][1]):
        # Each event is written with its newline and synced: a last line without one was
        # being written when the process died. It is the answer being typed; the rest
        # is whole.
        cut_line = lines.pop()[0]
    if not lines:
        raise InputError([Problem(source, f"is empty; an events file starts with a "
                                  f'{{"schema": "{SCHEMA}", ...}} line')])
    problems: list[Problem] = []
    records: list[tuple[int, BaseModel]] = []
    for index, (number, line) in enumerate(lines):
        model: type[BaseModel] = Header if index == 0 else EventLine
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(source, f"not JSON: {exc.msg}", line=number,
                                    column=exc.colno))
            continue
        except RecursionError:
            problems.append(Problem(source, "nested too deeply to be an event", line=number))
            continue
        try:
            records.append((number, model.model_validate(data)))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple("schema" if p == "schema_" else p for p in error["loc"])
                given = f" (given {error['input']!r})" if "input" in error and loc else ""
                problems.append(Problem(source, f"{path_text(loc) or 'line'}: "
                                        f"{error['msg']}{given}", line=number))
    if problems:
        raise InputError(problems)
    header = records[0][1]
    assert isinstance(header, Header)
    events: list[Event] = []
    latest = dt.datetime.now(dt.UTC) + CLOCK_SKEW
    before: EventLine | None = None
    version = header.dialog.version  # the dialog the events are in (a migrate moves them)
    for number, record in records[1:]:
        assert isinstance(record, EventLine)
        if record.seq != len(events) + 1:
            raise InputError([Problem(source, f"event {record.seq} follows event {len(events)}: "
                                      "events are missing or out of order", line=number)])
        if before is not None and record.at < before.at:
            raise InputError([Problem(source, f"event {record.seq} at {record.at_utc} is "
                                      f"earlier than event {before.seq} at {before.at_utc}: "
                                      "times run backwards", line=number)])
        if record.at > latest:
            raise InputError([Problem(source, f"event {record.seq} at {record.at_utc} is in "
                                      "the future", line=number)])
        if record.kind == "migrate":
            version = record.dialog_version or version
        elif record.dialog_version not in ("", version):
            said = ("the file's header says" if version == header.dialog.version else
                    "the session had moved to")
            raise InputError([Problem(
                source, f"event {record.seq} was recorded with dialog version "
                f"{record.dialog_version}; {said} {version}", line=number)])
        events.append(Event(**record.model_dump()))
        before = record
    return EventsFile(header, events, cut_line)


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True
