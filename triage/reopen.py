"""Saved sessions opened again: found by patient or id, read with the dialog they were
recorded with, and held by one window to go on with, follow up or export.

The command line (`triage resume`, `followup`, `export`) and the browser's start screen
(issue 22 §3) both go through here, so a session opens the same way wherever it is
opened, and a session another window holds is refused the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from triage.dialog.library import Library
from triage.session import Recorder, engine_from_events, header_of
from triage.store import Event, Location, Session, SessionStore, StoreError, open_store

if TYPE_CHECKING:
    from triage.dialog.engine import Engine
    from triage.dialog.loader import LoadedDialog


#: A session as the start screen lists it (the UI reads sessions through here, never the
#: store itself).
Found = Session


@dataclass
class Saved:
    """A saved session read back: its interview derived from its events."""

    store: SessionStore
    session: Session
    engine: Engine
    library: Library
    events: list[Event]

    def writer(self) -> Recorder:
        """The recorder that goes on saving this session's changes."""
        return Recorder(self.store, self.session.id, self.engine.dialog.version,
                        header_of(self.engine, self.session.patient_ref, self.session),
                        history=self.events)


def open_saved(store: SessionStore, prefix: str, dialog: LoadedDialog,
               read_only: bool = False) -> Saved:
    """The session whose id is or starts with `prefix`, read with the dialog it was
    recorded with (the store's, the archive's or `dialog`). Raises StoreError or
    InputError with what is wrong."""
    session = store.find(prefix)
    library = Library(dialog, store)
    events = store.events(session.id)
    engine = engine_from_events(library, session, events, f"session {session.id}")
    if not read_only:
        library.keep_used()
    return Saved(store, session, engine, library, events)


def held_elsewhere(session: Session, recorder: Recorder) -> str | None:
    """Take the session for this window (one writer per session), or say who holds it."""
    holder = recorder.claim()
    if holder is None:
        return None
    return f"session {session.id} is open in another window ({holder}); close it there first"


def find(store: SessionStore, text: str, limit: int = 20) -> list[Session]:
    """The sessions a clinician means by `text`: its id (or the start of it), then those
    whose patient label holds it; every session, newest first, when `text` is empty."""
    text = text.strip()
    if not text:
        return store.sessions(limit)
    found: list[Session] = []
    # No such id, or several: the label search below says more.
    with contextlib.suppress(StoreError):
        found.append(store.find(text))
    for s in store.sessions(limit, patient=text):
        if all(s.id != f.id for f in found):
            found.append(s)
    return found[:limit]


def open_visit(engine: Engine, recorder: Recorder | None, sid: str, on: dt.date | None,
               only: str | None = None,
               finish_first: str = "resume it and finish it") -> str | None:
    """Bring a saved session to a follow-up visit, or say why not. A finished session (or
    a finished visit) gets a new visit on `on` (today when None): its follow-up items, or
    with `only` an episode score's questions. A visit under way goes on; a finished
    visit of that same day and kind goes on too, for its answers to be changed."""
    from triage.interview import Interview
    from triage.session import status_of

    visit = engine.follow_up_visit
    if visit is not None and not engine.finished:
        if (on is not None and on != visit.on) or (only is not None and only != visit.only):
            return (f"session {sid} is at its follow-up visit of {visit.on.isoformat()}, "
                    "which is not finished; it goes on with that visit (leave out --date "
                    "and --only), and a new visit opens once it is finished")
        return None
    if visit is None and not engine.finished:
        return (f"session {sid} is not finished ({status_of(engine)}): {finish_first}, "
                "then follow up")
    day = dt.date.today() if on is None else on
    if visit is not None and (day, only) == (visit.on, visit.only):
        return None
    opened = Interview(engine, recorder).follow_up(day, only)
    return None if opened.accepted else f"session {sid}: {opened.message}"


class Refused(Exception):
    """Why a session cannot be found or opened, in one sentence for the clinician (the
    store's refusal, a session held elsewhere, events that no longer replay)."""


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    from triage.errors import InputError

    try:
        yield
    except StoreError as exc:
        raise Refused(str(exc)) from None
    except InputError as exc:
        raise Refused("; ".join(p.message for p in exc.problems)) from None


class Desk:
    """The browser's way into the store (issue 22 §3): find a session, and open it to go
    on, to follow up or to read, as `triage resume`, `followup` and `export` do. Every
    failure is a `Refused` with its reason."""

    def __init__(self, where: Location, dialog: Callable[[], LoadedDialog]) -> None:
        """`dialog` gives the current dialog, loaded when a session is first opened (a new
        interview does not wait for it here)."""
        self.where = where
        self._dialog = dialog

    @property
    def dialog(self) -> LoadedDialog:
        """The current dialog (a session recorded with another is read with its own)."""
        return self._dialog()

    def _store(self, read_only: bool) -> SessionStore:
        return open_store(self.where, create=False, read_only=read_only)

    def find(self, text: str) -> list[Session]:
        """Sessions by id or patient label (see `find`); none when there is no store yet."""
        from triage.store import MissingStore

        with _refusals():
            try:
                store = self._store(read_only=True)
            except MissingStore:
                return []
            try:
                return find(store, text)
            finally:
                store.close()

    def resume(self, sid: str) -> tuple[Engine, Recorder]:
        """The session opened to go on, held by this window."""
        with _refusals():
            store = self._store(read_only=False)
            try:
                saved = open_saved(store, sid, self.dialog)
                recorder = saved.writer()
                refused = held_elsewhere(saved.session, recorder)
            except BaseException:
                store.close()
                raise
        if refused is not None:
            store.close()
            raise Refused(refused)
        return saved.engine, recorder

    def follow_up(self, sid: str, on: dt.date | None = None, only: str | None = None
                  ) -> tuple[Engine, Recorder]:
        """The session opened at a follow-up visit: the one under way, else a new one on
        `on` (today when None; see `open_visit`)."""
        engine, recorder = self.resume(sid)
        problem = open_visit(engine, recorder, sid, on, only)
        if problem is not None:
            recorder.release()
            if recorder.store is not None:
                recorder.store.close()
            raise Refused(problem)
        return engine, recorder

    def read(self, sid: str) -> Saved:
        """The session to read (an export): nothing is held or written."""
        with _refusals():
            store = self._store(read_only=True)
            try:
                return open_saved(store, sid, self.dialog, read_only=True)
            except BaseException:
                store.close()
                raise
