"""The session store in PostgreSQL, for several hosts that share their patients.

The same tables, rules and guarantees as the SQLite store (`triage.store`): the event log
is append-only, every event is committed in its own transaction, one writer holds a
session at a time (leases), and a session's listing is a cache of its events. Selected by
a URL (`--store postgresql://...` or `TRIAGE_STORE`); psycopg 3 and its pool, imported
only then, so a single user on SQLite never loads them.

Concurrency: where SQLite serialises every write (`BEGIN IMMEDIATE`), PostgreSQL locks
the session's row (`SELECT ... FOR UPDATE`) before numbering an event or taking a lease,
so two hosts writing to one session take turns, and the primary key (session, number)
refuses a duplicate whatever happens. The schema is created and migrated under an
advisory lock: two hosts started at once do not race.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from triage.store import (
    DDL,
    EVENT_COLUMNS,
    LEASE_SECONDS,
    SCHEMA_VERSION,
    Event,
    Location,
    MissingStore,
    Session,
    StoreError,
    _session,
    escape_like,
    held_part,
    listing_filters,
    now_utc,
    shown,
)

try:  # an optional dependency: `pip install 'triage[postgresql]'`
    import psycopg
    from psycopg_pool import ConnectionPool
except ImportError:  # pragma: no cover - said to the user by `PostgresStore`
    psycopg = None  # type: ignore[assignment]

# The pool logs each failed reconnection as a warning; with no handler of ours, Python
# would print them on stderr, which is the assistant's screen. A failure reaches the
# clinician once, in words, as a StoreError (and the answers go to the fallback file).
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
logging.getLogger("psycopg.pool").propagate = False

#: What brings a PostgreSQL store of schema N - 1 to N; each step is also SQLite's.
#: The first PostgreSQL store was of schema 2.
_MIGRATIONS: dict[int, str] = {3: "ALTER TABLE events ADD COLUMN IF NOT EXISTS author TEXT"}
#: Held while the schema is created or migrated (any constant; "triage" in ASCII).
_SCHEMA_LOCK = 0x747269616765

#: The database's time, as the store writes times (ISO 8601 in UTC, to the second).
_ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
_DB_NOW = f"to_char(now() AT TIME ZONE 'UTC', {_ISO})"

_COLUMNS = ('id, started_utc, updated_utc, today, dialog_id, dialog_version, dialog_hash, '
            'patient_ref, status, level, "leading", answers')
_EVENT_INSERT = (f"INSERT INTO events ({EVENT_COLUMNS}) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


class PostgresStore:
    """The session store in a PostgreSQL database; a small pool of connections per
    process (each served visit is a process of its own)."""

    def __init__(self, url: str, create: bool = True, read_only: bool = False) -> None:
        self.path: Location = url
        self.where = shown(url)
        if psycopg is None:
            raise StoreError(f"session store {self.where}: PostgreSQL needs psycopg; install "
                             "triage with it: pip install 'triage[postgresql]'")
        try:
            # One connection first: its error says why (refused, no such database, a
            # password), where a pool would only time out.
            with psycopg.connect(url, connect_timeout=10, autocommit=True) as db:
                self._prepare(db, create=create and not read_only, write=not read_only)
            self._pool = ConnectionPool(
                url, min_size=1, max_size=2, open=True, timeout=10,
                kwargs={"autocommit": True, "connect_timeout": 10},
                check=ConnectionPool.check_connection, name="triage-store",
            )
        except psycopg.Error as exc:
            raise self._explain(exc) from None

    def _explain(self, exc: Exception) -> StoreError:
        """One sentence for a failed store, in the user's terms (libpq's first line)."""
        if isinstance(exc, psycopg.ProgrammingError) and exc.sqlstate is None:
            # libpq could not read the URL; its message quotes the part it choked on,
            # which may be the password.
            return StoreError(f"session store {self.where}: the URL cannot be read as a "
                              "PostgreSQL connection (postgresql://USER:PASSWORD@HOST:PORT/"
                              "DATABASE; a password with spaces or % is percent-encoded)")
        text = str(exc).strip().splitlines()
        why = text[0] if text else type(exc).__name__
        if isinstance(exc, psycopg.OperationalError):
            why = f"cannot use the database: {why}"
        return StoreError(f"session store {self.where}: {why}")

    def _prepare(self, db: Any, create: bool, write: bool) -> None:
        """Check the schema; create it (`create`) or bring it up to date (`write`). A
        store that is up to date is only read here: after the first start, a role with
        SELECT, INSERT, UPDATE and DELETE on the tables is enough."""
        missing = db.execute("SELECT to_regclass('meta') IS NULL OR "
                             "to_regclass('sessions') IS NULL").fetchone()[0]
        if missing and not create:
            raise MissingStore(f"no session store in {self.where} (no triage tables)")
        with db.transaction():
            if missing or (write and self._version(db) < SCHEMA_VERSION):
                # Two hosts started at once take turns; the second finds it done.
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                if missing:
                    for statement in filter(str.strip, DDL.split(";")):
                        db.execute(statement)
                    db.execute("INSERT INTO meta VALUES ('schema', %s) ON CONFLICT DO "
                               "NOTHING", (str(SCHEMA_VERSION),))
            found = self._version(db)
            if found > SCHEMA_VERSION:
                raise StoreError(f"session store {self.where}: store schema {found} is "
                                 f"newer than this triage knows ({SCHEMA_VERSION})")
            if found < SCHEMA_VERSION and write:
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    for statement in filter(str.strip, _MIGRATIONS.get(version, "").split(";")):
                        db.execute(statement)
                db.execute("UPDATE meta SET value = %s WHERE key = 'schema'",
                           (str(SCHEMA_VERSION),))
            # A store older than the events' authors, read without converting it.
            authors = db.execute("SELECT 1 FROM information_schema.columns WHERE "
                                 "table_schema = current_schema() AND table_name = 'events' "
                                 "AND column_name = 'author'").fetchone()
            self._author = "author" if authors is not None else "NULL"

    def _version(self, db: Any) -> int:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        found = str(row[0]) if row else ""
        if not found.isdigit():
            raise StoreError(f"session store {self.where}: has a schema value {found!r} "
                             "that is not a version; left untouched")
        return int(found)

    def close(self) -> None:
        """Close the pool (every event is committed as it is saved anyway)."""
        self._pool.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        try:
            with self._pool.connection() as db:
                yield db
        except psycopg.Error as exc:
            raise self._explain(exc) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        try:
            with self._pool.connection() as db, db.transaction():
                yield db
        except psycopg.Error as exc:
            raise self._explain(exc) from None
        except UnicodeError as exc:  # text that is not Unicode (a lone surrogate)
            raise StoreError(f"session store {self.where}: a text cannot be saved: "
                             f"{exc}") from None

    # --- sessions ------------------------------------------------------------------------

    def create(self, today: dt.date, dialog: tuple[str, str, str],
               patient_ref: str | None = None, dialog_text: str | None = None) -> str:
        """A new session with a random id; returns the id (see `Store.create`)."""
        return self.add_session(today, dialog, patient_ref, [], dialog_text)

    def add_session(self, today: dt.date, dialog: tuple[str, str, str],
                    patient_ref: str | None, events: list[Event],
                    dialog_text: str | None = None) -> str:
        """A new session holding events recorded elsewhere, in one transaction."""
        at = now_utc()
        started = events[0].at_utc if events else at
        updated = events[-1].at_utc if events else at
        with self._write() as db:
            if dialog_text is not None:
                self._keep(db, dialog, dialog_text)
            while True:
                sid = secrets.token_hex(5)
                made = db.execute(
                    "INSERT INTO sessions (id, started_utc, updated_utc, today, dialog_id, "
                    "dialog_version, dialog_hash, patient_ref) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (sid, started, updated, today.isoformat(), *dialog, patient_ref),
                )
                if made.rowcount == 1:
                    break
            with db.cursor() as cur:
                cur.executemany(_EVENT_INSERT, [
                    (sid, e.seq, e.at_utc, e.kind, e.question, e.repeat, e.value, e.unit,
                     e.previous, e.dialog_version or dialog[1], e.author) for e in events])
        return sid

    # --- dialogs ---------------------------------------------------------------------------

    @staticmethod
    def _keep(db: Any, dialog: tuple[str, str, str], text: str) -> None:
        db.execute("INSERT INTO dialogs VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                   (dialog[2], dialog[0], dialog[1], text, now_utc()))

    def keep_dialog(self, dialog: tuple[str, str, str], text: str) -> None:
        """Keep a dialog's canonical text under its hash, once."""
        with self._write() as db:
            self._keep(db, dialog, text)

    def dialog_text(self, digest: str) -> str | None:
        """The canonical text of the dialog with this hash, if the store keeps it."""
        with self._read() as db:
            row = db.execute("SELECT text FROM dialogs WHERE hash = %s", (digest,)).fetchone()
        return None if row is None else str(row[0])

    # --- leases ----------------------------------------------------------------------------

    def claim(self, sid: str, holder: str) -> str | None:
        """Take the session for one window (see `Store.claim`); the session's row is locked
        so that two hosts claiming at once take turns."""
        with self._write() as db:
            # The database's clock, not this host's: hosts whose clocks differ by more
            # than a lease would take over each other's live leases.
            now, stale = db.execute(
                f"SELECT {_DB_NOW}, to_char(now() AT TIME ZONE 'UTC' - make_interval("
                f"secs => %s), {_ISO})", (LEASE_SECONDS,)).fetchone()
            db.execute("SELECT 1 FROM sessions WHERE id = %s FOR UPDATE", (sid,))
            row = db.execute("SELECT holder, host, pid, since_utc, renewed_utc FROM leases "
                             "WHERE session_id = %s", (sid,)).fetchone()
            if row is not None and row[0] != holder and row[4] > stale:
                return f"process {row[2]} on {row[1]}, since {row[3]}"
            db.execute(
                "INSERT INTO leases VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (session_id) "
                "DO UPDATE SET holder = EXCLUDED.holder, host = EXCLUDED.host, "
                "pid = EXCLUDED.pid, since_utc = EXCLUDED.since_utc, "
                "renewed_utc = EXCLUDED.renewed_utc",
                (sid, holder, socket.gethostname(), os.getpid(),
                 now if row is None or row[0] != holder else row[3], now))
        return None

    def renew(self, sid: str, holder: str) -> bool:
        """Keep the lease alive; False when it is no longer this holder's."""
        with self._write() as db:
            done = db.execute(f"UPDATE leases SET renewed_utc = {_DB_NOW} WHERE "
                              "session_id = %s AND holder = %s", (sid, holder))
            return bool(done.rowcount == 1)

    def release(self, sid: str, holder: str) -> None:
        """Give the session back (the window closed)."""
        with self._write() as db:
            db.execute("DELETE FROM leases WHERE session_id = %s AND holder = %s", (sid, holder))

    # --- events ----------------------------------------------------------------------------

    def append(self, sid: str, event: Event) -> Event:
        """Save one event now, in its own transaction; returns it with its number and time."""
        with self._write() as db:
            row = db.execute("SELECT dialog_version FROM sessions WHERE id = %s FOR UPDATE",
                             (sid,)).fetchone()
            if row is None:
                raise StoreError(f"session store {self.where}: no session {sid}")
            last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = %s",
                              (sid,)).fetchone()[0]
            saved = replace(event, at_utc=now_utc(), seq=int(last) + 1,
                            dialog_version=event.dialog_version or row[0])
            db.execute(_EVENT_INSERT, (sid, saved.seq, saved.at_utc, saved.kind,
                                       saved.question, saved.repeat, saved.value, saved.unit,
                                       saved.previous, saved.dialog_version, saved.author))
            db.execute("UPDATE sessions SET updated_utc = %s WHERE id = %s",
                       (saved.at_utc, sid))
        return saved

    #: What `set_listing` may change.
    LISTED = ("level", "leading", "answers", "status")

    def set_listing(self, sid: str, fields: dict[str, Any]) -> None:
        """Update what `triage sessions` shows of a session (see `Store.set_listing`)."""
        unknown = set(fields) - set(self.LISTED)
        if unknown:
            raise ValueError(f"not a listed field: {sorted(unknown)}")
        if not fields:
            return
        assignments = ", ".join(f'"{k}" = %s' for k in fields)  # names from LISTED only
        with self._write() as db:
            db.execute(f"UPDATE sessions SET {assignments} WHERE id = %s",
                       (*fields.values(), sid))

    def sessions(self, limit: int | None = None, *, patient: str | None = None,
                 status: str | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> list[Session]:
        """The sessions, the most recently changed first (see `Store.sessions`)."""
        condition, params = listing_filters("%s", patient=patient, status=status,
                                            since=since, until=until, like="ILIKE")
        with self._read() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM sessions {condition}"
                              "ORDER BY updated_utc DESC, id LIMIT %s",
                              (*params, limit)).fetchall()
        return [_session(r) for r in rows]

    def find(self, prefix: str) -> Session:
        """The session whose id is or starts with `prefix`."""
        with self._read() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM sessions WHERE id ILIKE %s ESCAPE '\\' "
                              "ORDER BY id LIMIT 6", (escape_like(prefix) + "%",)).fetchall()
        if not rows or not prefix:
            raise StoreError(f"no session {prefix!r} in {self.where} (see `triage sessions`)")
        if len(rows) > 1:
            ids = ", ".join(r[0] for r in rows[:5])
            raise StoreError(f"{prefix!r} names several sessions ({ids}); give more of the id")
        return _session(rows[0])

    def events(self, sid: str) -> list[Event]:
        """A session's events in the order they happened."""
        with self._read() as db:
            rows = db.execute(
                "SELECT kind, question, repeat, value, unit, previous, at_utc, seq, "
                f"dialog_version, {self._author} FROM events WHERE session_id = %s "
                "ORDER BY seq", (sid,),
            ).fetchall()
        return [Event(*r) for r in rows]

    def match(self, today: dt.date, dialog: tuple[str, str, str],
              events: list[Event]) -> tuple[str, int] | None:
        """The session these events were recorded as, if the store has it (see
        `Store.match`)."""
        if not events:
            return None
        with self._read() as db:
            candidates = db.execute(
                "SELECT id FROM sessions WHERE started_utc = %s AND today = %s AND "
                "dialog_hash = %s", (events[0].at_utc, today.isoformat(), dialog[2]),
            ).fetchall()

        for (sid,) in candidates:
            stored = self.events(sid)
            if held_part(stored, events):
                return sid, len(stored)
        return None

    def add_events(self, sid: str, events: list[Event]) -> None:
        """Events recorded elsewhere that continue a session, in one transaction."""
        if not events:
            return
        with self._write() as db:
            with db.cursor() as cur:
                cur.executemany(_EVENT_INSERT, [
                    (sid, e.seq, e.at_utc, e.kind, e.question, e.repeat, e.value, e.unit,
                     e.previous, e.dialog_version, e.author) for e in events])
            db.execute("UPDATE sessions SET updated_utc = %s WHERE id = %s",
                       (events[-1].at_utc, sid))

    def delete(self, sid: str) -> int:
        """Remove a session and its events; returns how many events went with it."""
        with self._write() as db:
            count = db.execute("SELECT COUNT(*) FROM events WHERE session_id = %s",
                               (sid,)).fetchone()[0]
            db.execute("DELETE FROM events WHERE session_id = %s", (sid,))
            db.execute("DELETE FROM sessions WHERE id = %s", (sid,))
        return int(count)
