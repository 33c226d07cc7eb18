"""The screener's storage: interview sessions and their answer history.

Design (see the project's design notes):

* The interview state lives in database rows and is written before any reply is sent.
* An edit *supersedes* an answer (``superseded_at`` is set) instead of overwriting it,
  so the full history is kept; at most one current answer per (session, field),
  enforced by a partial unique index.
* Every write to a session bumps its ``version`` in the same transaction
  (``UPDATE ... WHERE id = :id AND version = :expected``); a stale ``expected_version``
  raises :class:`VersionConflict` and writes nothing -- the caller reloads and retries.
* SQLite file by default (WAL, busy timeout, ``BEGIN IMMEDIATE`` for writes so two
  processes can share the file), any SQLAlchemy URL via ``DATABASE_URL``
  (PostgreSQL through psycopg 3).
* ``Store(url)`` applies the Alembic migrations (``upgrade head``) under a lock:
  ``pg_advisory_xact_lock`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite.

All methods are synchronous, thread-safe (one short transaction each) and cost a
bounded number of indexed queries, independent of how many sessions are stored.

The hot path (:meth:`Store.write`, the session reads) is SQLAlchemy Core on one pooled
connection, its statements built once: an answer is at most six statements (BEGIN, the
version-checked UPDATE ... RETURNING, the processed-update INSERT ... ON CONFLICT DO NOTHING,
the superseding UPDATE when there is something to supersede, the answer INSERT, COMMIT), and
the new snapshot is built in memory from what that UPDATE proved. No connection is pinged
before use: one the server dropped fails on its first statement, before anything was
applied, and the transaction is run again on a fresh connection (see ``_transaction``).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from storage.errors import BadDatabaseURL, MigrationFailed, classify, hide_password
from storage.models import (
    AGENCY_TABLE,
    ANSWER_TABLE,
    APPLICANT_TABLE,
    LEAD_TABLE,
    PROCESSED_TABLE,
    RECRUITER_TABLE,
    SESSION_TABLE,
    STATUS_ABANDONED,
    STATUS_ACTIVE,
    STATUS_FINISHED,
    STATUSES,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "AlreadyProcessed",
    "AnswerRecord",
    "LeadLink",
    "RecruiterRef",
    "SessionNotFound",
    "SessionSnapshot",
    "Store",
    "StoreError",
    "VersionConflict",
    "fetch",
    "configured_database_location",
    "database_location",
    "database_url_from_environment",
    "default_sqlite_path",
    "default_sqlite_url",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: SQLite busy timeout: how long a writer waits for another process's write to finish.
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0

#: Key of the PostgreSQL advisory lock held while migrating (any constant bigint).
_PG_MIGRATION_LOCK_KEY = 0x4C61746572616C  # "Lateral"

#: Execution option marking a write transaction (SQLite: BEGIN IMMEDIATE).
_WRITE_OPTION = "lateral_screener_write"

#: Attempts for operations that may lose a race on a unique index (start/open session).
_RACE_ATTEMPTS = 8

#: SQLite's fsync policy (PRAGMA synchronous) by $SQLITE_SYNCHRONOUS. In WAL mode NORMAL (the
#: default) keeps every committed transaction through a crash of the process; a power loss or
#: an OS crash may roll back the last ones (the file stays consistent). FULL syncs the WAL at
#: every commit and keeps them through that too, for a few milliseconds per commit.
SQLITE_SYNCHRONOUS_MODES = ("NORMAL", "FULL")


def sqlite_synchronous() -> str:
    """The PRAGMA synchronous value from ``$SQLITE_SYNCHRONOUS`` (NORMAL unless set)."""
    mode = os.environ.get("SQLITE_SYNCHRONOUS", "").strip().upper() or "NORMAL"
    if mode not in SQLITE_SYNCHRONOUS_MODES:
        raise BadDatabaseURL(f"SQLITE_SYNCHRONOUS must be NORMAL or FULL, not {mode!r}")
    return mode


#: Pooled server connections are replaced after this long (instead of pinging each one before use).
POOL_RECYCLE_SECONDS = 1800

T = TypeVar("T")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RecruiterRef:
    """Who a result can be (or is) shared with, as the applicant sees them."""

    id: int
    name: str
    agency: str
    disabled: bool


@dataclass(frozen=True)
class LeadLink:
    """A lead of the applicant: the recruiter, and the screening whose result it carries."""

    recruiter: RecruiterRef
    session_id: int | None


@dataclass(frozen=True)
class SessionSnapshot:
    """One screening session as stored, including its current answers."""

    id: int
    applicant_id: int
    channel: str
    channel_user_id: str
    version: int
    status: str
    referral_code: str | None
    answers: dict[str, Any]  # current answers: field -> JSON-decoded value
    channel_state: dict[str, Any]
    outcome: str | None
    pathway: str | None
    rules_version: str | None  # the rules version the outcome was assessed under (dialogs/rules.py)
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    recruiter_id: int | None = None  # the recruiter whose link the screening came through (the latest)
    recruiter: RecruiterRef | None = None  # that recruiter
    leads: tuple[LeadLink, ...] = ()  # the applicant's shared leads, one per recruiter (any screening)

    @property
    def is_active(self) -> bool:
        return self.status == STATUS_ACTIVE

    @property
    def is_finished(self) -> bool:
        return self.status == STATUS_FINISHED


@dataclass(frozen=True)
class AnswerRecord:
    """One row of a session's answer history (current or superseded)."""

    id: int
    session_id: int
    field: str
    value: Any  # JSON-decoded
    created_at: datetime
    superseded_at: datetime | None  # None: this is the current answer

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class StoreError(Exception):
    """Base class of the storage errors."""


class VersionConflict(StoreError):
    """Someone else wrote the session first: reload it and retry."""

    def __init__(self, session_id: int, expected_version: int, actual_version: int) -> None:
        super().__init__(
            f"session {session_id}: expected version {expected_version}, but it is at version {actual_version}"
        )
        self.session_id = session_id
        self.expected_version = expected_version
        self.actual_version = actual_version


class AlreadyProcessed(StoreError):
    """This Telegram update was applied before (a redelivery); nothing was written."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was already processed")
        self.update_id = update_id


class SchemaOutOfDate(StoreError):
    """The database's migrations are not the ones this code runs with."""


class SessionNotFound(StoreError, LookupError):
    """No session with that id (never existed, or its applicant was deleted)."""

    def __init__(self, session_id: int) -> None:
        super().__init__(f"no screening session with id {session_id}")
        self.session_id = session_id


# --------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """The folder for local files (SQLite database, checklist PDFs).

    ``$LATERAL_SCREENER_HOME`` if set, else ``$XDG_DATA_HOME/lateral-screener`` with
    ``XDG_DATA_HOME`` defaulting to ``~/.local/share``.
    """
    home = os.environ.get("LATERAL_SCREENER_HOME", "").strip()
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else None
    if base is None or not base.is_absolute():  # the XDG spec says: ignore relative paths
        base = Path.home() / ".local" / "share"
    return base / "lateral-screener"


def private_dir(path: Path) -> Path:
    """A folder only its owner can enter (0700), whatever the umask; tightened if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def private_file(path: Path, data: bytes, *, own_folder: bool = True) -> Path:
    """Write `data` to `path` readable by its owner only (0600), replacing it atomically.
    `own_folder`: the folder is ours (made or tightened to 0700); else, a folder the user
    named (an export's destination), it is left as it is."""
    if own_folder:
        private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


_SQLITE_HEADER = b"SQLite format 3\x00"


def _is_sqlite_file(path: Path) -> bool:
    """Empty (as created below) or a SQLite database: never change the mode of anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return False
    return head in (b"", _SQLITE_HEADER)


def private_database(path: Path) -> Path:
    """The SQLite file, created 0600 before SQLite opens it (SQLite gives its -wal and -shm
    the main file's mode); an existing database and its -wal/-shm are tightened to 0600. A
    missing folder is created 0700 (an existing one is left as it is: it may be shared)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if not _is_sqlite_file(path):
            return path  # SQLite will say it is not a database; its mode is not ours to change
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                os.chmod(file, 0o600)
        except FileNotFoundError:
            continue
    _require_writable(path)
    return path


def _require_writable(path: Path) -> None:
    """SQLite needs to write the file and to create -wal/-shm beside it (and every command
    migrates, which writes): say so now, naming the file, rather than "unable to open"."""
    for target in (path, path.parent):
        if not os.access(target, os.W_OK):
            code = errno.EROFS if os.statvfs(target).f_flag & os.ST_RDONLY else errno.EACCES
            raise OSError(code, os.strerror(code), str(target))


def _sqlite_path_setting() -> Path:
    override = os.environ.get("LATERAL_SCREENER_DB", "").strip()
    return Path(override).expanduser() if override else data_dir() / "screener.sqlite3"


def default_sqlite_path() -> Path:
    """Where the SQLite database lives by default: ``$LATERAL_SCREENER_DB`` (a file path) if
    set, else ``screener.sqlite3`` in :func:`data_dir`, which is made (or tightened to) 0700."""
    if not os.environ.get("LATERAL_SCREENER_DB", "").strip():
        private_dir(data_dir())
    return _sqlite_path_setting().resolve()


def configured_database_location() -> str:
    """Where the configured database is, for messages, touching nothing (no folder is made)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return database_location(url) if url else str(_sqlite_path_setting())


def default_sqlite_url() -> str:
    """SQLAlchemy URL of :func:`default_sqlite_path` (creates the data folder)."""
    return URL.create("sqlite", database=str(default_sqlite_path())).render_as_string()


def database_url_from_environment() -> str:
    """``$DATABASE_URL`` if set, else :func:`default_sqlite_url`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or default_sqlite_url()


def database_location(url: str | URL) -> str:
    """Where the database is, for messages: the SQLite file, or the URL with its password hidden."""
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return hide_password(str(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database and not _is_sqlite_memory(parsed):
        return str(Path(parsed.database).expanduser())
    return parsed.render_as_string(hide_password=True)


def _normalise_url(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError) as error:
        raise BadDatabaseURL(f"cannot parse it ({error})") from None
    # "postgres://" / "postgresql://" (as handed out by hosting providers): use psycopg 3.
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or url.query.get("mode") == "memory"


def create_storage_engine(url: str | URL) -> Engine:
    """An engine configured for the store (SQLite pragmas and transaction handling)."""
    parsed = _normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        try:
            # No pool_pre_ping (a round trip before every transaction): Store._transaction runs a
            # transaction again when its pooled connection turns out to be dead.
            return sa.create_engine(parsed, pool_recycle=POOL_RECYCLE_SECONDS)
        except (sa.exc.ArgumentError, ImportError) as error:  # unknown dialect, driver not installed
            raise BadDatabaseURL(f"{parsed.drivername}: {error}") from None

    memory = _is_sqlite_memory(parsed)
    synchronous = sqlite_synchronous()
    if not memory and parsed.database:
        private_database(Path(parsed.database).expanduser())
    engine = sa.create_engine(
        parsed,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        # An in-memory database exists once per connection: share one (single-threaded use).
        **({"poolclass": StaticPool} if memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (the "begin" hook below) issue BEGIN, not the sqlite3 module,
        # so that transactions are real ones (DDL included) and writes can be IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")  # erased rows are overwritten, not only unlinked
            if not memory:
                _enable_wal(cursor)
                cursor.execute(f"PRAGMA synchronous = {synchronous}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_on_begin(connection: Connection) -> None:
        # A write transaction takes the write lock at once (waiting up to the busy
        # timeout) instead of failing when it upgrades a read lock mid-transaction.
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _enable_wal(cursor: Any) -> None:
    """Switch the database file to WAL (persistent; a no-op once done).

    Switching needs an exclusive lock, and SQLite reports "database is locked" at once
    (without the busy handler) when another process is using or switching the fresh
    file at the same moment -- so retry for up to the busy timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    delay = 0.002
    while True:
        try:
            (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            message = str(error).lower()
            if ("locked" not in message and "busy" not in message) or (time.monotonic() > deadline):
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


# --------------------------------------------------------------------------- JSON


def _dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _load_json(text: str) -> Any:
    return json.loads(text)


# --------------------------------------------------------------------------- the store


_R = RECRUITER_TABLE.c
_G = AGENCY_TABLE.c
_S = SESSION_TABLE.c
_A = ANSWER_TABLE.c
_P = APPLICANT_TABLE.c


class Store:
    """Sessions, answers and applicants in one SQL database (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self.url: URL = _normalise_url(url)
        self.engine: Engine = create_storage_engine(self.url)
        self._write_engine: Engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        try:
            self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def from_environment(cls) -> Store:
        """The store at ``$DATABASE_URL``, else at the default SQLite file."""
        return cls(database_url_from_environment())

    @property
    def backend(self) -> str:
        """``"sqlite"``, ``"postgresql"``, ..."""
        return self.engine.dialect.name

    def ping(self) -> None:
        """One round trip to the database; raises what the driver raises when it cannot answer."""
        with self.engine.connect() as connection:
            connection.execute(sa.select(1))

    def check_ready(self) -> None:
        """Ready to serve: the database answers and its schema is this code's newest migration.
        Raises SchemaOutOfDate when another deployment migrated it further (or not at all)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current != head:
            raise SchemaOutOfDate(f"database schema is at {current}, this code expects {head}")

    def close(self) -> None:
        """Release the connection pool (the store must not be used afterwards)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    # ----------------------------------------------------------------- migrations

    def _migrate(self) -> None:
        """Apply the Alembic migrations (``upgrade head``), one process at a time."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self._write_engine.begin() as connection:  # SQLite: BEGIN IMMEDIATE = the lock
            take_migration_lock(connection)
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, "head")
            except Exception as error:
                if classify(error) is not None:  # disk full, read-only, gone: said as such
                    raise
                raise MigrationFailed(str(error)) from error

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction (for the other storage modules: recruiting, leads, retention)."""
        with Session(self.engine) as db:
            yield db

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        with Session(self._write_engine, expire_on_commit=False) as db:
            yield db
            db.commit()

    def _transaction(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``work`` in ONE transaction on a pooled connection (Core, no ORM session),
        committed on success and rolled back on any error.

        Connections are not pinged before use (that is a round trip per transaction). A
        connection the server dropped while it sat in the pool (a restart, an idle timeout,
        ``pg_terminate_backend``) fails on its first statement; SQLAlchemy then invalidates the
        pool, and the transaction is run once more on a fresh connection. Nothing of the first
        attempt can have been applied: the server rolls back whatever a dead connection had
        begun. A failure while committing is never retried (it may have committed).
        """
        engine = self._write_engine if write else self.engine
        for attempt in range(2):
            with engine.connect() as connection:
                transaction = connection.begin()  # SQLite: BEGIN [IMMEDIATE]; PostgreSQL: with the first statement
                try:
                    result = work(connection)
                except sa.exc.DBAPIError as error:
                    transaction.rollback()
                    if error.connection_invalidated and attempt == 0:
                        continue
                    raise
                except BaseException:
                    transaction.rollback()
                    raise
                transaction.commit()
                return result
        raise AssertionError("unreachable")

    # ----------------------------------------------------------------- reads

    def current_session(self, channel: str, user_id: str) -> SessionSnapshot | None:
        """The applicant's newest session that is active or finished (None if none)."""
        where = _S.id == _current_session_id(channel, user_id)
        return self._transaction(lambda c: self._load(c, where), write=False)

    def get_session(self, session_id: int) -> SessionSnapshot | None:
        """The session with that id, whatever its status (None if there is none)."""
        return self._transaction(lambda c: self._load(c, _S.id == session_id), write=False)

    def answer_history(self, session_id: int) -> list[AnswerRecord]:
        """Every answer row of the session, superseded ones included, oldest first."""
        rows = self._transaction(
            lambda c: c.execute(
                sa.select(_A.id, _A.session_id, _A.field, _A.value_json, _A.created_at, _A.superseded_at)
                .where(_A.session_id == session_id)
                .order_by(_A.id)
            ).all(),
            write=False,
        )
        return [
            AnswerRecord(
                id=row.id,
                session_id=row.session_id,
                field=row.field,
                value=_load_json(row.value_json),
                created_at=row.created_at,
                superseded_at=row.superseded_at,
            )
            for row in rows
        ]

    # ----------------------------------------------------------------- session lifecycle

    def start_session(
        self,
        channel: str,
        user_id: str,
        referral_code: str | None = None,
        recruiter_id: int | None = None,
    ) -> SessionSnapshot:
        """A new active session (version 1); the applicant is created if needed and any
        previous active session of theirs is marked "abandoned" (its version bumped)."""

        def work(connection: Connection) -> SessionSnapshot:
            applicant_id = self._ensure_applicant(connection, channel, user_id)
            now = utcnow()
            connection.execute(
                sa.update(SESSION_TABLE)
                .where(_S.applicant_id == applicant_id, _S.status == STATUS_ACTIVE)
                .values(status=STATUS_ABANDONED, version=_S.version + 1, updated_at=now)
            )
            return self._create_session(connection, applicant_id, referral_code, now, recruiter_id)

        for attempt in range(_RACE_ATTEMPTS):
            try:
                return self._transaction(work, write=True)
            except IntegrityError:
                # Lost a race (applicant created, or another session started, or the
                # applicant deleted in between): the retry sees the winner's rows.
                if attempt == _RACE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def open_session(self, channel: str, user_id: str) -> SessionSnapshot:
        """:meth:`current_session`, or a new session if the applicant has none."""
        snapshot = self.current_session(channel, user_id)
        if snapshot is not None:
            return snapshot

        def work(connection: Connection) -> SessionSnapshot:
            found = self._load(connection, _S.id == _current_session_id(channel, user_id))
            if found is not None:
                return found
            applicant_id = self._ensure_applicant(connection, channel, user_id)
            return self._create_session(connection, applicant_id, None, utcnow())

        for attempt in range(_RACE_ATTEMPTS):
            try:
                return self._transaction(work, write=True)
            except IntegrityError:
                if attempt == _RACE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    # ----------------------------------------------------------------- the write

    def write(
        self,
        session_id: int,
        expected_version: int,
        *,
        set_answers: Mapping[str, Any] = {},  # noqa: B006 -- read only
        clear: Iterable[str] = (),
        status: str | None = None,
        channel_state: Mapping[str, Any] | None = None,
        outcome: str | None = None,
        pathway: str | None = None,
        rules_version: str | None = None,
        recruiter_id: int | None = None,
        referral_code: str | None = None,
        update_id: int | None = None,
        also: Callable[[Session, SessionSnapshot], None] | None = None,
        base: SessionSnapshot | None = None,
    ) -> SessionSnapshot:
        """Change a session in ONE transaction and return its new snapshot.

        * The version must still be ``expected_version``, else :class:`VersionConflict`
          is raised and nothing is written; on success it becomes ``expected_version + 1``
          (even if nothing else changes).
        * Each field in ``set_answers`` gets a new current answer (JSON-encoded value);
          the previous current answer of that field, if any, is superseded -- also when
          the value is the same.  Each field in ``clear`` loses its current answer
          (superseded, no replacement).  A field may not be in both.
        * ``status`` ("active" | "finished" | "abandoned"): "finished" stamps
          ``finished_at`` (kept if already finished), "active" clears it.
        * ``channel_state`` replaces the stored channel state as a whole.
        * ``outcome`` / ``pathway`` / ``rules_version``: None leaves them unchanged.
        * ``update_id``: the Telegram update applied by this write, recorded in the same
          transaction; if it was recorded before, :class:`AlreadyProcessed` is raised and
          nothing is written.
        * ``recruiter_id`` / ``referral_code``: the recruiter link the screening now comes
          through (None leaves them unchanged).
        * ``also(db, snapshot)``: more writes in the same transaction, after the session's
          (the applicant's leads); the returned snapshot shows their effect.
        * ``base``: the snapshot the caller read at ``expected_version``. The version check
          proves it is still what is stored, so the new snapshot is built from it in memory
          (no read back) and answers it shows none of are not superseded (no UPDATE). The
          recruiter and the leads are read again when the session has either.

        Raises :class:`SessionNotFound` for an unknown session, :class:`StoreError` if the
        session cannot be made active because another session of the applicant is active,
        ``ValueError`` / ``TypeError`` for bad arguments (before touching the database).
        """
        answers = {field: _dump_json(value) for field, value in set_answers.items()}
        if isinstance(clear, str):
            raise TypeError("clear takes an iterable of field names, not a single string")
        cleared = list(dict.fromkeys(clear))
        both = set(answers).intersection(cleared)
        if both:
            raise ValueError(f"fields both set and cleared: {sorted(both)}")
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (expected one of {STATUSES})")
        state_json = None if channel_state is None else _dump_json(dict(channel_state))
        known = base if base is not None and (base.id, base.version) == (session_id, expected_version) else None

        now = utcnow()
        params: dict[str, Any] = {"p_id": session_id, "p_version": expected_version, "p_now": now}
        changes = {
            "status": status,
            "channel_state": state_json,
            "outcome": outcome,
            "pathway": pathway,
            "rules_version": rules_version,
            "recruiter_id": recruiter_id,
            "referral_code": referral_code,
        }
        for column, value in changes.items():
            if value is not None:
                params[f"p_{column}"] = value
        update = _session_update(tuple(column for column, value in changes.items() if value is not None), status)
        touched = [*answers, *cleared]
        supersede = bool(touched) and (known is None or any(field in known.answers for field in touched))

        def work(connection: Connection) -> SessionSnapshot:
            # First the version check: it also locks the session row (PostgreSQL) or
            # the database (SQLite), so concurrent writers queue up here.
            row = connection.execute(update, params).first()
            if row is None:
                actual = connection.execute(_VERSION_OF, {"p_id": session_id}).scalar()
                if actual is None:
                    raise SessionNotFound(session_id)
                raise VersionConflict(session_id, expected_version, actual)
            if update_id is not None:
                self._record_update(connection, update_id, session_id, now)
            if supersede:
                connection.execute(_SUPERSEDE, {"p_session": session_id, "p_fields": touched, "p_now": now})
            if answers:
                connection.execute(
                    _INSERT_ANSWER,
                    [
                        {"session_id": session_id, "field": f, "value_json": v, "created_at": now}
                        for f, v in answers.items()
                    ],
                )
            if known is None or row.recruiter_id is not None or known.leads:
                snapshot = self._load(connection, _S.id == session_id)
                assert snapshot is not None
            else:
                snapshot = _evolved(known, row, answers, touched)
            if also is not None:
                with Session(bind=connection) as db:  # joins this transaction (the leads' functions take a Session)
                    also(db, snapshot)
                snapshot = replace(snapshot, leads=_lead_links(connection, snapshot.applicant_id))
            return snapshot

        try:
            return self._transaction(work, write=True)
        except IntegrityError as error:
            if status == STATUS_ACTIVE:
                raise StoreError(
                    f"session {session_id} cannot be made active: another session of the same applicant is active"
                ) from error
            raise

    def _record_update(self, connection: Connection, update_id: int, session_id: int, now: datetime) -> None:
        """The redelivery guard: one row per applied update, its primary key refusing a second."""
        row = {"update_id": update_id, "session_id": session_id, "processed_at": now}
        statement = _INSERT_PROCESSED.get(connection.dialect.name)
        if statement is not None:  # INSERT ... ON CONFLICT DO NOTHING RETURNING: a redelivery returns no row
            if connection.execute(statement, row).first() is None:
                raise AlreadyProcessed(update_id)
            return
        try:  # another backend: a savepoint catches the duplicate key
            with connection.begin_nested():
                connection.execute(sa.insert(PROCESSED_TABLE), row)
        except IntegrityError:
            raise AlreadyProcessed(update_id) from None

    # ----------------------------------------------------------------- erasure

    def delete_applicant(self, channel: str, user_id: str, also: Callable[[Session, int], None] | None = None) -> bool:
        """Erase the applicant with every row that refers to them or their sessions (True if
        they existed), then :meth:`truncate_wal`, so no copy of their answers is left behind.
        ``also(db, applicant_id)`` runs first, in the same transaction (their leads' notices)."""
        deleted = self._delete_applicant(channel, user_id, also)
        if deleted:
            self.truncate_wal()
        return deleted

    def truncate_wal(self) -> None:
        """SQLite: copy the write-ahead log into the database and empty it, so erased rows
        (overwritten with zeros there: ``secure_delete``) leave no older copy in the -wal file.
        Other backends: nothing to do here."""
        if self.backend != "sqlite" or _is_sqlite_memory(self.url):
            return
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            cursor.close()
        finally:
            raw.close()

    def _delete_applicant(self, channel: str, user_id: str, also: Callable[[Session, int], None] | None) -> bool:
        with self.writing() as db:
            applicant_id = fetch(
                db, sa.select(_P.id).where(_P.channel == channel, _P.channel_user_id == user_id)
            ).scalar()
            if applicant_id is None:
                return False
            # Lock the sessions first (same order as write(): session row, then answers).
            fetch(db, sa.select(_S.id).where(_S.applicant_id == applicant_id).with_for_update()).all()
            if also is not None:
                also(db, applicant_id)
            db.exec(sa.delete(LEAD_TABLE).where(LEAD_TABLE.c.applicant_id == applicant_id))
            sessions = sa.select(_S.id).where(_S.applicant_id == applicant_id)
            db.exec(sa.delete(PROCESSED_TABLE).where(PROCESSED_TABLE.c.session_id.in_(sessions)))
            db.exec(sa.delete(ANSWER_TABLE).where(_A.session_id.in_(sessions)))
            db.exec(sa.delete(SESSION_TABLE).where(_S.applicant_id == applicant_id))
            db.exec(sa.delete(APPLICANT_TABLE).where(_P.id == applicant_id))
            return True

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _ensure_applicant(connection: Connection, channel: str, user_id: str) -> int:
        applicant_id = connection.execute(
            sa.select(_P.id).where(_P.channel == channel, _P.channel_user_id == user_id)
        ).scalar()
        if applicant_id is not None:
            return int(applicant_id)
        # IntegrityError if another writer created them meanwhile: the caller retries
        return int(
            connection.execute(
                sa.insert(APPLICANT_TABLE)
                .values(channel=channel, channel_user_id=user_id, created_at=utcnow())
                .returning(_P.id)
            ).scalar_one()
        )

    def _create_session(
        self,
        connection: Connection,
        applicant_id: int,
        referral_code: str | None,
        now: datetime,
        recruiter_id: int | None = None,
    ) -> SessionSnapshot:
        session_id = connection.execute(
            sa.insert(SESSION_TABLE)
            .values(
                applicant_id=applicant_id,
                recruiter_id=recruiter_id,
                status=STATUS_ACTIVE,
                version=1,
                referral_code=referral_code,
                channel_state="{}",
                created_at=now,
                updated_at=now,
            )
            .returning(_S.id)
        ).scalar_one()
        snapshot = self._load(connection, _S.id == session_id)
        assert snapshot is not None
        return snapshot

    @staticmethod
    def _load(connection: Connection, where: sa.ColumnElement[bool]) -> SessionSnapshot | None:
        """The session matching ``where`` with its current answers, in ONE statement
        (so the version and the answers are always consistent with each other)."""
        rows = connection.execute(
            sa.select(
                _S.id,
                _S.applicant_id,
                _P.channel,
                _P.channel_user_id,
                _S.version,
                _S.status,
                _S.referral_code,
                _S.channel_state,
                _S.outcome,
                _S.pathway,
                _S.rules_version,
                _S.created_at,
                _S.updated_at,
                _S.finished_at,
                _S.recruiter_id,
                _R.name.label("recruiter_name"),
                _G.name.label("agency_name"),
                _R.disabled.label("recruiter_disabled"),
                _A.field,
                _A.value_json,
            )
            .join(APPLICANT_TABLE, _P.id == _S.applicant_id)
            .outerjoin(RECRUITER_TABLE, _R.id == _S.recruiter_id)
            .outerjoin(AGENCY_TABLE, _G.id == _R.agency_id)
            .outerjoin(ANSWER_TABLE, sa.and_(_A.session_id == _S.id, _A.superseded_at.is_(None)))
            .where(where)
            .order_by(_A.id),
        ).all()
        if not rows:
            return None
        first = rows[0]
        return SessionSnapshot(
            id=first.id,
            applicant_id=first.applicant_id,
            channel=first.channel,
            channel_user_id=first.channel_user_id,
            version=first.version,
            status=first.status,
            referral_code=first.referral_code,
            answers={row.field: _load_json(row.value_json) for row in rows if row.field is not None},
            channel_state=_load_json(first.channel_state) if first.channel_state else {},
            outcome=first.outcome,
            pathway=first.pathway,
            rules_version=first.rules_version,
            created_at=first.created_at,
            updated_at=first.updated_at,
            finished_at=first.finished_at,
            recruiter_id=first.recruiter_id,
            recruiter=None
            if first.recruiter_name is None
            else RecruiterRef(
                first.recruiter_id, first.recruiter_name, first.agency_name, bool(first.recruiter_disabled)
            ),
            leads=_lead_links(connection, first.applicant_id),
        )


def _evolved(known: SessionSnapshot, row: Any, answers: Mapping[str, str], touched: list[str]) -> SessionSnapshot:
    """The snapshot after a write, from the one it was based on (proved current by the version
    check) and the session row the UPDATE returned: the same as reading it back, without the read.
    Answers keep the order of a read (by row id): a field set again moves to the end."""
    current = {field: value for field, value in known.answers.items() if field not in touched}
    current.update((field, _load_json(text)) for field, text in answers.items())
    return replace(
        known,
        version=row.version,
        status=row.status,
        referral_code=row.referral_code,
        answers=current,
        channel_state=_load_json(row.channel_state) if row.channel_state else {},
        outcome=row.outcome,
        pathway=row.pathway,
        rules_version=row.rules_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
        recruiter_id=row.recruiter_id,
    )


@cache
def _session_update(columns: tuple[str, ...], status: str | None) -> sa.Update:
    """The version-checked UPDATE of a session setting ``columns`` (bound as ``p_<column>``) and,
    for a new ``status``, its ``finished_at``; it returns the row. Built once per combination."""
    now = sa.bindparam("p_now", type_=UTCDateTime())
    values: dict[str, Any] = {"version": _S.version + 1, "updated_at": now}
    for column in columns:
        values[column] = sa.bindparam(f"p_{column}", type_=SESSION_TABLE.c[column].type)
    if status == STATUS_FINISHED:  # stamped, or kept if already finished
        values["finished_at"] = sa.case(
            (sa.and_(_S.status == STATUS_FINISHED, _S.finished_at.is_not(None)), _S.finished_at), else_=now
        )
    elif status == STATUS_ACTIVE:
        values["finished_at"] = None
    return (
        sa.update(SESSION_TABLE)
        .where(_S.id == sa.bindparam("p_id"), _S.version == sa.bindparam("p_version"))
        .values(values)
        .returning(*SESSION_TABLE.c)
    )


_VERSION_OF = sa.select(_S.version).where(_S.id == sa.bindparam("p_id"))
_SUPERSEDE = (
    sa.update(ANSWER_TABLE)
    .where(
        _A.session_id == sa.bindparam("p_session"),
        _A.field.in_(sa.bindparam("p_fields", expanding=True)),
        _A.superseded_at.is_(None),
    )
    .values(superseded_at=sa.bindparam("p_now", type_=UTCDateTime()))
)
_INSERT_ANSWER = sa.insert(ANSWER_TABLE)
_INSERT_PROCESSED: dict[str, sa.Insert] = {
    "sqlite": sqlite_dialect.insert(PROCESSED_TABLE).on_conflict_do_nothing().returning(PROCESSED_TABLE.c.update_id),
    "postgresql": pg_dialect.insert(PROCESSED_TABLE).on_conflict_do_nothing().returning(PROCESSED_TABLE.c.update_id),
}


def _lead_links(connection: Connection, applicant_id: int) -> tuple[LeadLink, ...]:
    rows = connection.execute(
        sa.select(LEAD_TABLE.c.recruiter_id, LEAD_TABLE.c.session_id, _R.name, _G.name.label("agency"), _R.disabled)
        .join(RECRUITER_TABLE, _R.id == LEAD_TABLE.c.recruiter_id)
        .join(AGENCY_TABLE, _G.id == _R.agency_id)
        .where(LEAD_TABLE.c.applicant_id == applicant_id)
        .order_by(LEAD_TABLE.c.id),
    ).all()
    return tuple(LeadLink(RecruiterRef(r.recruiter_id, r.name, r.agency, bool(r.disabled)), r.session_id) for r in rows)


def fetch(db: Session, statement: sa.Select[Any]) -> sa.Result[Any]:
    """Run a Core SELECT in the transaction of `db` (from Store.reading / Store.writing): the
    storage modules' one way to read, so every read is a typed Core statement."""
    return db.connection().execute(statement)


def _current_session_id(channel: str, user_id: str) -> sa.ScalarSelect[Any]:
    """Id of the applicant's newest active-or-finished session (a scalar subquery)."""
    return (
        sa.select(_S.id)
        .join(APPLICANT_TABLE, _P.id == _S.applicant_id)
        .where(
            _P.channel == channel,
            _P.channel_user_id == user_id,
            _S.status.in_((STATUS_ACTIVE, STATUS_FINISHED)),
        )
        .order_by(_S.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def take_migration_lock(connection: Connection) -> None:
    """Serialise migrations between processes, for the rest of the transaction.

    PostgreSQL: a transaction-level advisory lock.  SQLite: the transaction already
    holds the write lock (``BEGIN IMMEDIATE``).  Other backends: no lock.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK_KEY)))
