"""Sessions that survive: every answer saved the moment it is given, as an event.

The store is one SQLite database (standard library `sqlite3`, WAL mode, every event
committed in its own transaction with a full sync), so killing the process loses at most
the answer being typed. The event log is append-only and is the audit trail: a session's
answers, transcript and summary are derived from its events, never stored beside them.
The `sessions` table only caches what `triage sessions` lists (level, leading
consideration), so that listing 10,000 sessions reads one small table.

Where: `--store PATH`, else `TRIAGE_STORE`, else the user's data directory. The database
and its folder are created private (0600 / 0700). No clinical content is logged anywhere.
A `postgresql://` URL in their place selects the same store in PostgreSQL, for several
hosts that share their patients (`triage.store_postgres`, docs/deploying.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

#: Bumped when the tables change; a database of a newer schema is refused, an older one
#: is brought up to date when it is first opened for writing (see `_MIGRATIONS`).
#: 2: the `dialogs` table. 3: each event's author.
SCHEMA_VERSION = 3

#: The tables, for SQLite and PostgreSQL alike (`leading` is a keyword in PostgreSQL,
#: hence quoted; times are ISO 8601 text in UTC, so both stores sort them the same way).
DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    started_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    today TEXT NOT NULL,
    dialog_id TEXT NOT NULL,
    dialog_version TEXT NOT NULL,
    dialog_hash TEXT NOT NULL,
    patient_ref TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    level TEXT,
    "leading" TEXT,
    answers INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_by_update ON sessions (updated_utc);
CREATE TABLE IF NOT EXISTS events (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at_utc TEXT NOT NULL,
    kind TEXT NOT NULL,
    question TEXT,
    repeat INTEGER,
    value TEXT,
    unit TEXT,
    previous TEXT,
    dialog_version TEXT NOT NULL,
    author TEXT,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS leases (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    since_utc TEXT NOT NULL,
    renewed_utc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dialogs (
    hash TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    added_utc TEXT NOT NULL
);
"""
#: What brings a store of schema N - 1 to schema N (N the key). A new table is the DDL's
#: above (the step only records the version); a new column is added here. Events saved
#: before their authors were recorded keep none (shown as not recorded).
_MIGRATIONS: dict[int, str] = {2: "", 3: "ALTER TABLE events ADD COLUMN author TEXT"}
#: The columns of an event as saved, in the order the INSERTs give them.
EVENT_COLUMNS = ("session_id, seq, at_utc, kind, question, repeat, value, unit, previous, "
                 "dialog_version, author")
#: A window that holds a session renews its lease every LEASE_RENEW seconds; a lease not
#: renewed for LEASE_SECONDS is a crashed holder's, and is taken over.
LEASE_SECONDS = 90
LEASE_RENEW = 30

class StoreError(Exception):
    """The store cannot be used: said in one sentence with the path, never a traceback."""


class MissingStore(StoreError):
    """A command that only reads found no store at the path (nothing was created)."""


@dataclass(frozen=True)
class Event:
    """One thing the clinician did, as entered: the audit trail's unit."""

    #: answer (given), edit (an earlier answer changed; `previous` keeps the old value),
    #: back (the last answer taken back), remove (a drug; `question` is the group),
    #: follow_up (a visit on the day `value`; `question` names the episode score of a
    #: quick visit), migrate (answers carried over to another dialog version).
    kind: str
    question: str | None = None
    repeat: int | None = None
    value: str | None = None
    unit: str | None = None
    previous: str | None = None  # the value an edit replaced
    at_utc: str = ""
    seq: int = 0
    dialog_version: str = ""
    #: Who did it: the OS user at a terminal, the user an authenticating proxy named for a
    #: browser visit (triage.authors); None for events saved before authors were kept.
    author: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The event as exported (`triage export ID --format events`)."""
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}


@dataclass(frozen=True)
class Session:
    """A session as listed: who started it when, and what it amounted to at its last event."""

    id: str
    started_utc: str
    updated_utc: str
    today: dt.date
    dialog_id: str
    dialog_version: str
    dialog_hash: str
    patient_ref: str | None
    status: str
    level: str | None
    leading: str | None
    answers: int


_SESSION_COLUMNS = (
    "id, started_utc, updated_utc, today, dialog_id, dialog_version, dialog_hash, "
    "patient_ref, status, level, leading, answers"
)


def _session(row: tuple[Any, ...]) -> Session:
    return Session(row[0], row[1], row[2], dt.date.fromisoformat(row[3]), *row[4:])


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with `ESCAPE '\\'`: its wildcards are taken as text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def listing_filters(mark: str, *, patient: str | None, status: str | None,
                    since: dt.date | None, until: dt.date | None,
                    like: str = "LIKE") -> tuple[str, list[Any]]:
    """The WHERE clause of `sessions()` and its parameters, for either store (`mark`: the
    driver's placeholder; `like`: the case-insensitive LIKE of its SQL)."""
    where: list[str] = []
    params: list[Any] = []
    if patient is not None:
        where.append(f"patient_ref {like} {mark} ESCAPE '\\'")
        params.append(f"%{escape_like(patient)}%")
    if status is not None:
        where.append(f"status = {mark}")
        params.append(status)
    if since is not None:
        where.append(f"updated_utc >= {mark}")
        params.append(since.isoformat())
    if until is not None:
        where.append(f"updated_utc < {mark}")
        params.append((until + dt.timedelta(days=1)).isoformat())
    return (f"WHERE {' AND '.join(where)} " if where else ""), params


def held_part(stored: list[Event], events: list[Event]) -> bool:
    """Whether a session's stored events are the first of `events` (the same session,
    recorded in part or whole)."""
    def key(e: Event) -> tuple[Any, ...]:
        return (e.seq, e.at_utc, e.kind, e.question, e.repeat, e.value, e.unit, e.previous)

    return bool(stored) and [key(e) for e in stored] == [key(e) for e in events[:len(stored)]]


def now_utc() -> str:
    """The time of an event, in UTC to the second, ISO 8601 with a Z."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Where a store is: a SQLite file, or a PostgreSQL URL (`postgresql://...`).
Location = Path | str


def location(text: str) -> Location:
    """A store location as given (`--store`, TRIAGE_STORE): a URL stays one, anything
    else is a file."""
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


def shown(where: Location) -> str:
    """A store location as it may be printed: a URL's password never is."""
    if isinstance(where, Path):
        return str(where)
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(where)
        password = parts.password
    except ValueError:  # not even a URL's form: nothing of it is printed
        return "postgresql://(a URL that cannot be read)"
    if password is not None:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}")
    # libpq also takes the password as a parameter (?password=...).
    query = "&".join("password=***" if item.split("=", 1)[0].lower() == "password" else item
                     for item in parts.query.split("&")) if parts.query else ""
    return urlunsplit(parts._replace(query=query))


def exists(where: Location) -> bool:
    """Whether a store may be there to read (a database server is asked when opened)."""
    return isinstance(where, str) or where.exists()


def default_path() -> Location:
    """TRIAGE_STORE, or sessions.sqlite3 in the user's data directory (not created here)."""
    override = os.environ.get("TRIAGE_STORE")
    if override:
        return location(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("triage", appauthor=False)) / "sessions.sqlite3"


#: SQLite's primary result codes (https://sqlite.org/rescode.html) -> what to tell the user.
#: Read from the error's code, not its message: the wording is SQLite's to change.
_DAMAGED = "the file is not a triage store or is damaged (it is left as it is)"
_LOCKED = "another program holds it locked"
_UNWRITABLE = "it cannot be written here (permissions, a full disk or a missing folder)"
_WHY_BY_CODE = {
    26: _DAMAGED,  # SQLITE_NOTADB
    11: _DAMAGED,  # SQLITE_CORRUPT
    5: _LOCKED,  # SQLITE_BUSY
    6: _LOCKED,  # SQLITE_LOCKED
    8: _UNWRITABLE,  # SQLITE_READONLY
    14: _UNWRITABLE,  # SQLITE_CANTOPEN
    10: _UNWRITABLE,  # SQLITE_IOERR
    13: _UNWRITABLE,  # SQLITE_FULL
    3: _UNWRITABLE,  # SQLITE_PERM
}


def _explain(path: Path, exc: sqlite3.Error) -> StoreError:
    """One sentence for a failed store: what is wrong, in the user's terms."""
    if path.is_dir():  # sqlite says only "unable to open database file"
        why = f"is a folder; the store is a file (e.g. {path / 'sessions.sqlite3'})"
    else:
        code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; None on our own errors
        # Extended codes (SQLITE_IOERR_WRITE, ...) carry the primary one in their low byte.
        why = _WHY_BY_CODE.get(code & 0xFF, str(exc)) if code is not None else str(exc)
    return StoreError(f"session store {path}: {why}")


class SessionStore(Protocol):
    """What the rest of triage asks of a session store: `Store` (SQLite, one file, the
    default) or `PostgresStore` (a database several hosts share). `open_store` is the one
    place that makes one; a contract suite (tests/test_store_contract.py) runs on both."""

    #: Where it is, to open it again (a URL may hold a password: never printed).
    path: Location
    #: Where it is, as the user may read it.
    where: str

    def close(self) -> None: ...
    def create(self, today: dt.date, dialog: tuple[str, str, str],
               patient_ref: str | None = None, dialog_text: str | None = None) -> str: ...
    def add_session(self, today: dt.date, dialog: tuple[str, str, str],
                    patient_ref: str | None, events: list[Event],
                    dialog_text: str | None = None) -> str: ...
    def keep_dialog(self, dialog: tuple[str, str, str], text: str) -> None: ...
    def dialog_text(self, digest: str) -> str | None: ...
    def claim(self, sid: str, holder: str) -> str | None: ...
    def renew(self, sid: str, holder: str) -> bool: ...
    def release(self, sid: str, holder: str) -> None: ...
    def append(self, sid: str, event: Event) -> Event: ...
    def set_listing(self, sid: str, fields: dict[str, Any]) -> None: ...
    def sessions(self, limit: int | None = None, *, patient: str | None = None,
                 status: str | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> list[Session]: ...
    def find(self, prefix: str) -> Session: ...
    def events(self, sid: str) -> list[Event]: ...
    def match(self, today: dt.date, dialog: tuple[str, str, str],
              events: list[Event]) -> tuple[str, int] | None: ...
    def add_events(self, sid: str, events: list[Event]) -> None: ...
    def delete(self, sid: str) -> int: ...


def open_store(path: Location, create: bool = True, read_only: bool = False) -> SessionStore:
    """The session store at `path` (a file, or a PostgreSQL URL): made if missing
    (`create`), or opened for reading only (`read_only`: nothing is created, converted or
    written)."""
    if isinstance(path, str):
        from triage.store_postgres import PostgresStore  # psycopg only when asked for

        return PostgresStore(path, create=create, read_only=read_only)
    return Store(path, create=create, read_only=read_only)


class Store:
    """The session store in SQLite; one connection per instance (and so per process)."""

    def __init__(self, path: Path, create: bool = True, read_only: bool = False) -> None:
        self._file = path
        self.path: Location = path
        self.where = str(path)
        if (not create or read_only) and not path.exists():
            # A read command with a mistyped --store must not leave an empty store behind.
            raise MissingStore(f"no session store at {path}")
        #: The events' author column, or NULL in a store older than it (read-only: a
        #: read command converts nothing).
        self._author = "author"
        try:
            if read_only:
                self._db = self._open_read_only(path)
                columns = {r[1] for r in self._db.execute("PRAGMA table_info(events)")}
                if "author" not in columns:
                    self._author = "NULL"
            else:
                if not create:
                    # An existing file that is not a store is refused before anything
                    # (tables, WAL mode) is written to it.
                    self._open_read_only(path).close()
                self._db = self._open(path)
        except sqlite3.Error as exc:
            raise _explain(path, exc) from None
        except OSError as exc:
            raise StoreError(f"session store {path}: {exc.strerror or exc}") from None

    @staticmethod
    def _open_read_only(path: Path) -> sqlite3.Connection:
        """The store opened for reading only: nothing is created, converted or written
        (a read command may be pointed at another program's database)."""
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0,
                             isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 5000")
            listed = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {r[0] for r in listed}
            row = (db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                   if "meta" in tables else None)
            if row is None or not {"sessions", "events"} <= tables:
                raise sqlite3.DatabaseError("is not a triage session store; left untouched")
            if not str(row[0]).isdigit():
                raise sqlite3.DatabaseError(f"has a schema value {row[0]!r} that is not a "
                                            "version; left untouched")
            if int(row[0]) > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"store schema {row[0]} is newer than this triage knows ({SCHEMA_VERSION})"
                )
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        if not path.exists():
            # Created private before SQLite opens it; its -wal and -shm files take the
            # database file's mode.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 5000")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL mode (got {mode})")
        # FULL: an answer committed is on disk, not only handed to the operating system.
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(DDL)
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif not str(row[0]).isdigit():
            raise sqlite3.DatabaseError(f"has a schema value {row[0]!r} that is not a version")
        elif int(row[0]) > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"store schema {row[0]} is newer than this triage knows ({SCHEMA_VERSION})"
            )
        elif int(row[0]) < SCHEMA_VERSION:
            Store._migrate(db, int(row[0]))
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection, found: int) -> None:
        """Bring a store in use up to this schema, one step at a time, each in its own
        transaction (another process may be migrating it at the same moment)."""
        for version in range(found + 1, SCHEMA_VERSION + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                current = int(db.execute(
                    "SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])
                if current < version:
                    for statement in filter(str.strip, _MIGRATIONS[version].split(";")):
                        db.execute(statement)
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(version),))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (the database is consistent after every event anyway)."""
        self._db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None
        except UnicodeError as exc:  # text that is not Unicode (a lone surrogate)
            raise StoreError(f"session store {self.where}: a text cannot be saved: "
                             f"{exc}") from None

    # --- sessions ------------------------------------------------------------------------

    def create(
        self,
        today: dt.date,
        dialog: tuple[str, str, str],
        patient_ref: str | None = None,
        dialog_text: str | None = None,
    ) -> str:
        """A new session with a random id; returns the id. `dialog_text` (the dialog's
        canonical text) is kept with it, so the session can be read after any upgrade."""
        return self.add_session(today, dialog, patient_ref, [], dialog_text)

    def add_session(
        self,
        today: dt.date,
        dialog: tuple[str, str, str],
        patient_ref: str | None,
        events: list[Event],
        dialog_text: str | None = None,
    ) -> str:
        """A new session holding events recorded elsewhere (`triage import`), with their
        own times and numbers, in one transaction: all of them or none."""
        at = now_utc()
        started = events[0].at_utc if events else at
        updated = events[-1].at_utc if events else at
        with self._write() as db:
            if dialog_text is not None:
                self._keep(db, dialog, dialog_text)
            while True:
                sid = secrets.token_hex(5)
                if db.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is None:
                    break
            db.execute(
                "INSERT INTO sessions (id, started_utc, updated_utc, today, dialog_id, "
                "dialog_version, dialog_hash, patient_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, started, updated, today.isoformat(), *dialog, patient_ref),
            )
            db.executemany(
                f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(sid, e.seq, e.at_utc, e.kind, e.question, e.repeat, e.value, e.unit,
                  e.previous, e.dialog_version or dialog[1], e.author) for e in events],
            )
        return sid

    # --- dialogs ---------------------------------------------------------------------------

    @staticmethod
    def _keep(db: sqlite3.Connection, dialog: tuple[str, str, str], text: str) -> None:
        db.execute("INSERT OR IGNORE INTO dialogs VALUES (?, ?, ?, ?, ?)",
                   (dialog[2], dialog[0], dialog[1], text, now_utc()))

    def keep_dialog(self, dialog: tuple[str, str, str], text: str) -> None:
        """Keep a dialog's canonical text under its hash (once, however many sessions use
        it): a session is always read with the dialog it was recorded with."""
        with self._write() as db:
            self._keep(db, dialog, text)

    def dialog_text(self, digest: str) -> str | None:
        """The canonical text of the dialog with this hash, if the store keeps it (a store
        of schema 1, opened read-only, keeps none)."""
        try:
            row = self._db.execute("SELECT text FROM dialogs WHERE hash = ?",
                                   (digest,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise _explain(self._file, exc) from None
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None
        return None if row is None else str(row[0])

    # --- leases ----------------------------------------------------------------------------

    def claim(self, sid: str, holder: str) -> str | None:
        """Take the session for one window (one writer per session): None when taken, else
        who holds it and since when. A lease not renewed for LEASE_SECONDS is taken over."""
        import socket

        now = now_utc()
        stale = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=LEASE_SECONDS)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        with self._write() as db:
            row = db.execute("SELECT holder, host, pid, since_utc, renewed_utc FROM leases "
                             "WHERE session_id = ?", (sid,)).fetchone()
            if row is not None and row[0] != holder and row[4] > stale:
                return f"process {row[2]} on {row[1]}, since {row[3]}"
            db.execute("INSERT OR REPLACE INTO leases VALUES (?, ?, ?, ?, ?, ?)",
                       (sid, holder, socket.gethostname(), os.getpid(),
                        now if row is None or row[0] != holder else row[3], now))
        return None

    def renew(self, sid: str, holder: str) -> bool:
        """Keep the lease alive; False when it is no longer this holder's."""
        with self._write() as db:
            done = db.execute("UPDATE leases SET renewed_utc = ? WHERE session_id = ? AND "
                              "holder = ?", (now_utc(), sid, holder))
            return done.rowcount == 1

    def release(self, sid: str, holder: str) -> None:
        """Give the session back (the window closed)."""
        with self._write() as db:
            db.execute("DELETE FROM leases WHERE session_id = ? AND holder = ?", (sid, holder))

    def append(self, sid: str, event: Event) -> Event:
        """Save one event now, in its own transaction; returns it with its number and time."""
        with self._write() as db:
            row = db.execute(
                "SELECT dialog_version, (SELECT COALESCE(MAX(seq), 0) FROM events "
                "WHERE session_id = ?) FROM sessions WHERE id = ?",
                (sid, sid),
            ).fetchone()
            if row is None:
                raise StoreError(f"session store {self.path}: no session {sid}")
            saved = replace(event, at_utc=now_utc(), seq=row[1] + 1,
                            dialog_version=event.dialog_version or row[0])
            db.execute(
                f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, saved.seq, saved.at_utc, saved.kind, saved.question, saved.repeat,
                 saved.value, saved.unit, saved.previous, saved.dialog_version, saved.author),
            )
            db.execute("UPDATE sessions SET updated_utc = ? WHERE id = ?", (saved.at_utc, sid))
        return saved

    #: What `set_listing` may change.
    LISTED = ("level", "leading", "answers", "status")

    def set_listing(self, sid: str, fields: dict[str, Any]) -> None:
        """Update what `triage sessions` shows of a session (level, leading, answers,
        status): a cache of what its events amount to, rewritten after each change."""
        unknown = set(fields) - set(self.LISTED)
        if unknown:
            raise ValueError(f"not a listed field: {sorted(unknown)}")
        if not fields:
            return
        with self._write() as db:
            db.execute(
                f"UPDATE sessions SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                (*fields.values(), sid),
            )

    def sessions(self, limit: int | None = None, *, patient: str | None = None,
                 status: str | None = None, since: dt.date | None = None,
                 until: dt.date | None = None) -> list[Session]:
        """The sessions, the most recently changed first: every one, or those whose
        patient label holds `patient` (any case), with `status`, or last changed between
        `since` and `until` (UTC days, both included)."""
        condition, params = listing_filters("?", patient=patient, status=status,
                                            since=since, until=until)
        try:
            rows = self._db.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions {condition}"
                "ORDER BY updated_utc DESC, id LIMIT ?",
                (*params, -1 if limit is None else limit),
            ).fetchall()
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None
        return [_session(r) for r in rows]

    def find(self, prefix: str) -> Session:
        """The session whose id is or starts with `prefix` (as git takes a short hash)."""
        try:
            rows = self._db.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id LIKE ? ESCAPE '\\' "
                "ORDER BY id LIMIT 6",
                (escape_like(prefix) + "%",),
            ).fetchall()
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None
        if not rows or not prefix:
            raise StoreError(f"no session {prefix!r} in {self.path} (see `triage sessions`)")
        if len(rows) > 1:
            ids = ", ".join(r[0] for r in rows[:5])
            raise StoreError(f"{prefix!r} names several sessions ({ids}); give more of the id")
        return _session(rows[0])

    def events(self, sid: str) -> list[Event]:
        """A session's events in the order they happened."""
        try:
            rows = self._db.execute(
                "SELECT kind, question, repeat, value, unit, previous, at_utc, seq, "
                f"dialog_version, {self._author} FROM events WHERE session_id = ? ORDER BY seq",
                (sid,),
            ).fetchall()
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None
        return [Event(*r) for r in rows]

    def match(self, today: dt.date, dialog: tuple[str, str, str],
              events: list[Event]) -> tuple[str, int] | None:
        """The session these events were recorded as, if the store has it: its id and how
        many of the events it holds already (all of them: imported before; fewer: the
        store failed part-way and the rest went to a fallback file)."""
        if not events:
            return None
        try:
            candidates = self._db.execute(
                "SELECT id FROM sessions WHERE started_utc = ? AND today = ? AND "
                "dialog_hash = ?", (events[0].at_utc, today.isoformat(), dialog[2])).fetchall()
        except sqlite3.Error as exc:
            raise _explain(self._file, exc) from None

        for (sid,) in candidates:
            stored = self.events(sid)
            if held_part(stored, events):
                return sid, len(stored)
        return None

    def add_events(self, sid: str, events: list[Event]) -> None:
        """Events recorded elsewhere that continue a session, with their own times and
        numbers, in one transaction."""
        if not events:
            return
        with self._write() as db:
            db.executemany(
                f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(sid, e.seq, e.at_utc, e.kind, e.question, e.repeat, e.value, e.unit,
                  e.previous, e.dialog_version, e.author) for e in events],
            )
            db.execute("UPDATE sessions SET updated_utc = ? WHERE id = ?",
                       (events[-1].at_utc, sid))

    def delete(self, sid: str) -> int:
        """Remove a session and its events; returns how many events went with it."""
        with self._write() as db:
            count = db.execute(
                "SELECT COUNT(*) FROM events WHERE session_id = ?", (sid,)
            ).fetchone()[0]
            db.execute("DELETE FROM events WHERE session_id = ?", (sid,))
            db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        return int(count)
