"""What an operational failure of the storage is, told apart from a bug.

The drivers and the OS each say "disk full" or "server gone" their own way (errno, SQLite
result codes, PostgreSQL SQLSTATEs, SQLAlchemy wrappers). `classify` reads them all into a
few kinds, so the channels can say one line about each (templates/errors.j2) instead of a
traceback, and anything it does not recognise stays a bug, with its traceback.
"""

from __future__ import annotations

import errno
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import sqlalchemy.exc as sa_exc

DISK_FULL = "disk_full"
READ_ONLY = "read_only"
DB_MISSING = "db_missing"
DB_UNREACHABLE = "db_unreachable"
BAD_URL = "bad_url"
MIGRATION = "migration"


class StorageFailure(Exception):
    """Raised by the store for failures that carry no driver error of their own."""

    kind = ""


class BadDatabaseURL(StorageFailure, ValueError):
    """DATABASE_URL cannot be parsed, or names a driver that is not installed."""

    kind = BAD_URL


class MigrationFailed(StorageFailure):
    """The schema could not be brought to this version (e.g. the database is newer)."""

    kind = MIGRATION


@dataclass(frozen=True)
class Problem:
    kind: str  # one of KINDS
    detail: str  # one line from the OS or the driver, without passwords
    path: str | None = None  # the file the OS named, if any


_ERRNO = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EIO: DISK_FULL,
    errno.EFBIG: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.ENOENT: DB_MISSING,
    errno.ENOTDIR: DB_MISSING,
    errno.EISDIR: DB_MISSING,
}
# SQLite primary result codes (https://sqlite.org/rescode.html)
_SQLITE = {
    13: DISK_FULL,
    10: DISK_FULL,
    8: READ_ONLY,
    3: READ_ONLY,
    14: DB_MISSING,
    26: DB_MISSING,
    5: DB_UNREACHABLE,
    6: DB_UNREACHABLE,
}
# PostgreSQL SQLSTATEs (exact, then by class)
_SQLSTATE = {
    "53100": DISK_FULL,
    "25006": READ_ONLY,
    "3D000": DB_MISSING,
    "55000": DB_UNREACHABLE,
    "53300": DB_UNREACHABLE,
}
_SQLSTATE_CLASS = {"08": DB_UNREACHABLE, "28": DB_UNREACHABLE, "57": DB_UNREACHABLE}
_NO_DATABASE = re.compile(r'database ".*" does not exist')  # the server's words (English messages)
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@|(password\s*=\s*)\S+", re.IGNORECASE)


def hide_password(text: str) -> str:
    """`scheme://user:secret@host` and `password=secret` with the secret replaced by ***."""
    return _PASSWORD.sub(lambda m: f"{m[1]}***@" if m[1] else f"{m[2]}***", text)


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return hide_password(lines[0] if lines else type(exc).__name__)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]


def _driver_kind(e: BaseException) -> str | None:
    if isinstance(e, sqlite3.Error):
        code = getattr(e, "sqlite_errorcode", None)
        return _SQLITE.get(code & 0xFF) if isinstance(code, int) else None
    if isinstance(e, psycopg.Error):
        if e.sqlstate:
            return _SQLSTATE.get(e.sqlstate) or _SQLSTATE_CLASS.get(e.sqlstate[:2])
        if isinstance(e, psycopg.ProgrammingError):  # "invalid dsn", "invalid connection option"
            return BAD_URL
        if isinstance(e, psycopg.OperationalError):  # refused, timed out, unknown host; no SQLSTATE at connect
            return DB_MISSING if _NO_DATABASE.search(str(e)) else DB_UNREACHABLE
    return None


def classify(exc: BaseException) -> Problem | None:
    """The kind of operational failure `exc` is, or None for anything else (a bug)."""
    for e in _chain(exc):
        if isinstance(e, StorageFailure) and e.kind:
            return Problem(e.kind, _one_line(e))
        if isinstance(e, OSError) and e.errno in _ERRNO:
            path = e.filename if isinstance(e.filename, str) else None
            return Problem(_ERRNO[e.errno], e.strerror or _one_line(e), path)
        kind = _driver_kind(e)
        if kind is not None:
            return Problem(kind, _one_line(e))
        if isinstance(e, sa_exc.TimeoutError):  # no connection free in the pool
            return Problem(DB_UNREACHABLE, _one_line(e))
    return None
