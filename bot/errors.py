"""Operational failures as one line and an exit code, for every command (README: "Exit codes").

A full disk, a read-only folder, a database that is missing or down, a bad DATABASE_URL or a
failed migration is not a bug: the user is told in one line what is wrong, where (the file,
or the URL with its password hidden) and what to do (templates/errors.j2), and scripts can
tell the cases apart by the exit code. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from bot.render import say
from storage.errors import BAD_URL, DB_MISSING, DB_UNREACHABLE, DISK_FULL, MIGRATION, READ_ONLY, classify

EXIT_BAD_INPUT = 2  # bad input or configuration (assess, settings, command-line syntax)
EXIT_CODES = {DISK_FULL: 3, READ_ONLY: 4, DB_MISSING: 5, DB_UNREACHABLE: 6, BAD_URL: 7, MIGRATION: 8}
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_PIPE_CLOSED = 141  # the reader of standard output went away (128 + SIGPIPE, as other tools)


@dataclass(frozen=True)
class Failure:
    kind: str
    line: str  # one line for the user
    exit_code: int


def describe(exc: BaseException, database: str) -> Failure | None:
    """The one-line account of an operational failure (None: not one, a bug). `database` is
    where the database is (a path or a password-free URL); an OS error about no named file
    is about standard output, the only unnamed file the commands write."""
    problem = classify(exc)
    if problem is None:
        return None
    unnamed_stream = isinstance(exc, OSError) and exc.filename is None
    where = problem.path or (say("standard_output", "errors.j2") if unnamed_stream else database)
    return Failure(
        problem.kind, say(problem.kind, "errors.j2", where=where, detail=problem.detail), EXIT_CODES[problem.kind]
    )


def silence_stdout() -> None:
    """Point standard output at /dev/null once it has failed, so the interpreter's last flush
    (of what could not be written) does not fail again with a second message."""
    try:
        target = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, target)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests): nothing to do
        pass
