"""The events file (JSON lines), written and read here only: the fallback file the
assistant writes when the store fails (`FallbackLog`), `triage export ID --format events`
(`dumps`), and what `triage import` reads back (`read`) to put its session into the store
with the events' own times: the audit trail moves unchanged.

    {"schema": "triage.events/1", "dialog": {...}, "today": "2026-11-25", "patient_ref": ...}
    {"kind": "answer", "question": "detachment_any", "value": "no", "at_utc": "...", "seq": 1}
    ...
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from triage.errors import InputError, Problem
from triage.plain_text import clean
from triage.store import Event, now_utc
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
    author: str | None = None

    @field_validator("value", "unit", "previous", "author")
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


def dumps(header: dict[str, Any], events: list[Event]) -> str:
    """A whole events file: its header line, then one line per event."""
    lines = [{"schema": SCHEMA, **header}] + [e.as_json() for e in events]
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)


class FallbackLog:
    """Where events go when the store cannot take them: a JSON-lines file, appended and
    flushed to disk per event, named to the clinician so that nothing is lost silently."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self._fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_APPEND, 0o600)
        self._seq = 0
        try:
            self._write({"schema": SCHEMA, **header})
        except OSError:
            # A full disk: no empty file is left behind for each attempt.
            os.close(self._fd)
            with contextlib.suppress(OSError):
                path.unlink()
            raise

    def _write(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        size = os.fstat(self._fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]
            os.fsync(self._fd)
        except OSError:
            # Half a line would end the file's readable part: cut back to whole lines.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, size)
            raise

    def append(self, event: Event) -> Event:
        """Save one event at the end of the file, with its own time when it has one (an
        event the store took before it failed) and its place in the session."""
        saved = replace(event, at_utc=event.at_utc or now_utc(), seq=self._seq + 1)
        self._write(saved.as_json())
        self._seq += 1
        return saved


def fallback_path(folder: Path | None = None) -> Path:
    """A new file for a session's events when the store fails: in the current folder if it
    can be written, else the temporary folder."""
    import tempfile

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    for base in ([folder] if folder else []) + [Path.cwd(), Path(tempfile.gettempdir())]:
        if os.access(base, os.W_OK):
            return base / f"triage-unsaved-{stamp}-{secrets.token_hex(3)}.events.jsonl"
    raise OSError("no folder can be written for the session's answers")
