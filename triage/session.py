"""A session: its interview derived from its events, and its changes recorded as events.

The store keeps events only (`triage.store`); this module turns them into an `Engine` (the
answers, findings and summary follow from it) and records each accepted change of a live
interview at once, to the store or, when the store fails, to a fallback file it names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from triage import authors
from triage.dialog.engine import Engine, Outcome
from triage.dialog.loader import LoadedDialog, canonical_text
from triage.errors import InputError, Problem
from triage.store import Event, Location, SessionStore, StoreError, open_store

if TYPE_CHECKING:
    from triage.carry_over import CarryOver
    from triage.dialog.library import Library
    from triage.events_file import FallbackLog


class Recorded(Protocol):
    """What a session's events were recorded against: its day and its dialog (a stored
    `Session` is one)."""

    @property
    def today(self) -> dt.date: ...
    @property
    def dialog_id(self) -> str: ...
    @property
    def dialog_version(self) -> str: ...
    @property
    def dialog_hash(self) -> str: ...


class Recording(NamedTuple):
    """The same, for events not in the store (an events file being imported)."""

    today: dt.date
    dialog_id: str
    dialog_version: str
    dialog_hash: str


def apply(engine: Engine, event: Event) -> Outcome:
    """Apply one event to an interview, as the clinician's action did."""
    if event.kind == "answer":
        return engine.answer(event.value or "", event.unit, question=event.question,
                             repeat=event.repeat)
    if event.kind == "edit":
        return engine.edit(event.question or "", event.value or "", event.unit, event.repeat)
    if event.kind == "back":
        return engine.back()
    if event.kind == "remove":
        return engine.remove_repeat(event.question or "", event.repeat or 0)
    if event.kind == "follow_up":
        try:
            on = dt.date.fromisoformat(event.value or "")
        except ValueError:
            return Outcome(False, f"follow-up date {event.value!r} is not an ISO date")
        # A quick visit names its episode score where an answer names its question.
        return engine.follow_up(on, event.question)
    return Outcome(False, f"unknown event kind {event.kind!r}")


def engine_from_events(
    dialogs: LoadedDialog | Library, session: Recorded, events: list[Event], source: str
) -> Engine:
    """The interview a session's events make, read with the dialog it was recorded with
    (and, after a `migrate` event, the dialog its answers were carried over to). An event
    that does not apply is a problem naming the event, never a partial interview."""
    from triage.dialog.library import Library

    library = dialogs if isinstance(dialogs, Library) else Library(dialogs)
    ref = (session.dialog_id, session.dialog_version, session.dialog_hash)
    engine = Engine(library.get(ref, source), session.today)
    for event in events:
        if event.kind == "migrate":
            moved = _migrate(library, engine, event, source)
            engine = moved.engine
            continue
        outcome = apply(engine, event)
        if not outcome.accepted:
            label = event.question or event.kind
            raise InputError([Problem(
                source, f"event {event.seq} ({event.kind} {label}): {outcome.message}"
            )])
    return engine


def _migrate(library: Library, engine: Engine, event: Event, source: str) -> CarryOver:
    from triage.carry_over import carry_over

    if event.previous != engine.dialog.hash:
        raise InputError([Problem(
            source, f"event {event.seq} (migrate) moves from dialog "
            f"{(event.previous or '?')[:19]}..., but the session is in "
            f"{engine.dialog.hash[:19]}... at that point")])
    target = library.get((engine.dialog.id, event.dialog_version, event.value or ""), source)
    return carry_over(engine, target)


def migrate_event(old: LoadedDialog, new: LoadedDialog) -> Event:
    """The event that records a session's answers carried over from `old` to `new`."""
    return Event("migrate", value=new.hash, previous=old.hash, dialog_version=new.version)


def status_of(engine: Engine) -> str:
    """open | finished | follow-up (a follow-up visit under way) | followed up."""
    if engine.follow_up_visit is None:
        return "finished" if engine.finished else "open"
    return "followed up" if engine.finished else "follow-up"


def listing(summary: dict[str, Any], engine: Engine) -> dict[str, Any]:
    """What `triage sessions` shows of a session: its status, level and leading
    consideration, and how many answers it holds."""
    considered = [p["label"].split(" (")[0] for p in summary["assessment"]["phenotypes"]
                  if p["considered"]]
    return {
        "level": summary["triage"]["level"],
        "leading": ", ".join(considered) or None,
        "answers": len(engine.answers),
        "status": status_of(engine),
    }


def header_of(engine: Engine, patient_ref: str | None,
              session: Recorded | None = None) -> dict[str, Any]:
    """What a fallback file says first: enough to replay its events into the same dialog
    (a saved session's own: the one its first event was recorded with)."""
    d = engine.dialog
    ref = ({"id": d.id, "version": d.version, "hash": d.hash} if session is None else
           {"id": session.dialog_id, "version": session.dialog_version,
            "hash": session.dialog_hash})
    return {"dialog": ref, "today": engine.today.isoformat(), "patient_ref": patient_ref}


class Recorder:
    """Saves each accepted change of a live interview the moment it happens.

    When the store fails (corrupt, locked, unwritable, or gone), every event of the session
    so far goes to a fallback file and the later ones follow it; `warn` is told the file's
    name once, so the clinician knows where the answers are.
    """

    def __init__(
        self,
        store: SessionStore | None,
        session_id: str | None,
        dialog_version: str,
        header: dict[str, Any],
        warn: Callable[[str], object] = lambda message: None,
        fallback_dir: Path | None = None,
        history: list[Event] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.dialog_version = dialog_version
        self.header = header
        self.warn = warn
        self.fallback_dir = fallback_dir
        self.fallback: FallbackLog | None = None
        #: Why the store could not be opened, to be said when the interview starts.
        self.problem: str | None = None
        #: Every event of the session, those the store held before this window included
        #: (`history`): a fallback file holds the whole session, each with its own time.
        self._events: list[Event] = list(history or [])
        #: A session still to be made in the store at the first event (see `start`).
        self._new: tuple[Any, ...] | None = None
        #: This window's name on the session's lease (one writer per session).
        self.holder = secrets.token_hex(8)
        #: Who makes this window's changes (recorded on each event).
        self.author = authors.current()
        #: How many of the events the fallback file holds, and whether an event could be
        #: saved nowhere (then nothing later is saved before it).
        self._written = 0
        self._stuck = False

    @classmethod
    def start(
        cls, store_path: Location, engine: Engine, patient_ref: str | None = None,
        fallback_dir: Path | None = None,
    ) -> Recorder:
        """A new session in the store at `store_path`; if the store cannot be used, a
        recorder that will name its fallback file as soon as the interview starts."""
        d = engine.dialog
        header = header_of(engine, patient_ref)
        try:
            store = open_store(store_path)
        except StoreError as exc:
            recorder = cls(None, None, d.version, header, fallback_dir=fallback_dir)
            recorder.problem = str(exc)
            return recorder
        # The session is made at the first answer: a visit that answers nothing (a browser
        # tab opened and closed, a link previewer) leaves no empty session behind.
        recorder = cls(store, None, d.version, header, fallback_dir=fallback_dir)
        # The dialog's text is kept with the session: it can be read after any upgrade.
        recorder._new = (engine.today, (d.id, d.version, d.hash), patient_ref,
                         canonical_text(d.dialog))
        return recorder

    def begin(self) -> None:
        """Say at once if the store failed: the fallback file is made and named now."""
        if self.problem is not None and self.fallback is None:
            self._fall_back(self.problem)

    def renew(self, engine: Engine) -> Recorder:
        """The recorder of a new case in the same store (or the same kind of fallback)."""
        patient_ref = self.header.get("patient_ref")
        self.release()
        if self.store is not None:
            recorder = Recorder.start(self.store.path, engine, patient_ref, self.fallback_dir)
        else:
            recorder = Recorder(None, None, engine.dialog.version,
                                header_of(engine, patient_ref), fallback_dir=self.fallback_dir)
            recorder.problem = self.problem
        recorder.warn = self.warn
        return recorder

    @property
    def where(self) -> str:
        """Where the answers are being saved, for the clinician."""
        if self.fallback is not None:
            return str(self.fallback.path)
        if self.store is not None and self.session_id is not None:
            return f"session {self.session_id} in {self.store.where}"
        if self.store is not None:
            return f"{self.store.where} (a session is made at the first answer)"
        return "nowhere (no store)"

    def record(self, event: Event) -> None:
        """Save one event (store first, the fallback file if the store fails)."""
        if event.kind == "migrate":  # later events are recorded with the new dialog
            self.dialog_version = event.dialog_version
        event = replace(event, dialog_version=self.dialog_version,
                        author=event.author or self.author)
        self._events.append(event)
        if self.fallback is None and self.store is not None and self._new is not None:
            try:
                self.session_id = self.store.create(*self._new)
                self._new = None
                self.store.claim(self.session_id, self.holder)
            except StoreError as exc:
                self._fall_back(str(exc))
                return
        if (self.fallback is None and not self._stuck and self.store is not None
                and self.session_id is not None):
            try:
                # Kept with its time and number: a fallback file written later holds it
                # as the store does.
                self._events[-1] = self.store.append(self.session_id, event)
                return
            except StoreError as exc:
                self._fall_back(str(exc))
                return
        if self.fallback is None:
            # Once an event could not be saved, nothing later goes to the store before it:
            # the file is tried again, with every event in order.
            self._fall_back(self.problem or "no session store is open")
            return
        self._flush()

    def claim(self) -> str | None:
        """Hold the session for this window: None when held, else who holds it."""
        if self.store is None or self.session_id is None:
            return None
        try:
            return self.store.claim(self.session_id, self.holder)
        except StoreError:
            return None  # the store fails: the answers go to the fallback file anyway

    def renew_lease(self) -> None:
        """Keep holding the session (the assistant calls this every LEASE_RENEW s)."""
        if self.store is not None and self.session_id is not None and self.fallback is None:
            with contextlib.suppress(StoreError):
                self.store.renew(self.session_id, self.holder)

    def release(self) -> None:
        """Let another window open the session (this one closed, or began a new case)."""
        if self.store is not None and self.session_id is not None:
            with contextlib.suppress(StoreError):
                self.store.release(self.session_id, self.holder)

    def update_listing(self, fields: dict[str, Any]) -> None:
        """Refresh what the session list shows; a failure here loses no answer."""
        if self.fallback is None and self.store is not None and self.session_id is not None:
            try:
                self.store.set_listing(self.session_id, fields)
            except StoreError as exc:
                self._fall_back(str(exc))

    def _fall_back(self, reason: str) -> None:
        from triage.events_file import FallbackLog, fallback_path

        self.problem = self.problem or reason
        try:
            self.fallback = FallbackLog(fallback_path(self.fallback_dir), self.header)
        except (OSError, StoreError) as exc:
            self._stuck = True
            self.warn(f"{reason}; and no file could be written for the answers ({exc}): "
                      "they are kept in memory and written, in order, as soon as a file "
                      "can be; export the transcript (ctrl+o) to be safe")
            return
        self._written = 0
        if self._flush():
            self.warn(f"{reason}. Every answer of this session is saved to "
                      f"{self.fallback.path} instead; `triage import` puts it in the store "
                      "once the store works again.")

    def _flush(self) -> bool:
        """Write to the fallback file every event it lacks, in order; stop at the first
        that fails (a later one is never written before it). True when none is left."""
        assert self.fallback is not None
        for event in self._events[self._written:]:
            try:
                self.fallback.append(event)
            except OSError as exc:
                self._stuck = True
                self.warn(f"the answers file {self.fallback.path} failed ({exc.strerror}): "
                          "the answers are kept in memory and written in order once it "
                          "works again; export the transcript (ctrl+o) to be safe")
                return False
            self._written += 1
        self._stuck = False
        return True
