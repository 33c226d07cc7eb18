"""Operational failures, each as one line that names the file or URL and says what to do, with
its own exit code (README: "Exit codes"), never a traceback.

Real failures where this machine can make them: a full disk and a read-only folder are tmpfs
mounts in a private mount namespace (`unshare -m`, so nothing outside the command sees them);
an unreachable server is a free port; a missing database, a bad URL, a file that is not a
database and a database from a newer version are made as such. The classification of driver
errors that cannot be provoked here (PostgreSQL's disk full) is checked on the driver's classes.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.errors import EXIT_CODES, describe
from storage import Store
from storage.errors import classify
from tests.bot_harness import Applicant, free_port, running_bot
from tests.helpers import Ran, current_session, run_cli
from tests.telegram_standin import BotApiStandIn

ROOT = Path(__file__).resolve().parent.parent
PYTHON = shlex.quote(sys.executable)
SECRET = "s3cr3t-pw"
FIRST_ANSWERS = "2\nyes\n640\nJan 2012\n"


def one_line(done: Ran | subprocess.CompletedProcess[str], exit_code: int, *names: str) -> str:
    err = done.stderr
    assert done.returncode == exit_code, (done.returncode, err)
    assert len(err.splitlines()) == 1 and err.startswith("lateral-screener: "), err
    assert "Traceback" not in err and SECRET not in err
    for name in names:
        assert name in err, (name, err)
    return err


def cli(*args: str, stdin: str = "", **env: str) -> Ran:
    """The command, run in process (tests.helpers.run_cli): what it prints and returns."""
    return run_cli(*args, stdin=stdin, env=env)


def cli_process(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own: for the bot, which sets up logging and an event loop."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **env},
    )


# --- a full disk, a read-only folder (real tmpfs mounts, private to the command) ---------------------
@pytest.fixture(scope="module")
def private_mounts(tmp_path_factory: pytest.TempPathFactory) -> None:
    where = tmp_path_factory.mktemp("probe")
    probe = subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", str(where)], capture_output=True)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("needs unshare -m and mount (root): cannot make a full or read-only filesystem here")


def in_mount(mount: Path, steps: str, command: str, stdin: str = "") -> subprocess.CompletedProcess:
    """Run `steps` (shell) and then `lateral-screener command` (fed `stdin`) inside a private
    mount namespace where `mount` is a fresh 1 MB tmpfs holding LATERAL_SCREENER_HOME."""
    mount.mkdir(exist_ok=True)
    script = (
        f"set -e\nmount -t tmpfs -o size=1m tmpfs {mount}\ncd {shlex.quote(str(ROOT))}\n{steps}\nset +e\n"
        f"{PYTHON} -m bot.cli {command} >/dev/null"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LATERAL_SCREENER_DB")}
    return subprocess.run(
        ["unshare", "-m", "bash", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "LATERAL_SCREENER_HOME": str(mount / "home")},
    )


FILL = "dd if=/dev/zero of={m}/fill bs=4k 2>/dev/null || true"
START = f"echo quit | {PYTHON} -m bot.cli chat >/dev/null"  # the database exists, migrated


@pytest.mark.parametrize("command,stdin", [("chat", FIRST_ANSWERS), ("stats", ""), ("answers", "")])
def test_a_read_only_folder(private_mounts: None, tmp_path: Path, command: str, stdin: str) -> None:
    m = tmp_path / "m"
    done = in_mount(m, f"{START}\nmount -o remount,ro {m}", command, stdin)
    one_line(done, EXIT_CODES["read_only"], str(m / "home" / "screener.sqlite3"), "read-only", "Make it writable")


def test_a_read_only_folder_before_the_first_run(private_mounts: None, tmp_path: Path) -> None:
    m = tmp_path / "m"
    done = in_mount(m, f"mount -o remount,ro {m}", "chat", FIRST_ANSWERS)
    one_line(done, EXIT_CODES["read_only"], str(m / "home"), "read-only")


@pytest.mark.parametrize("setup", ["existing", "first_run", "mid_screening"])
def test_a_full_disk(private_mounts: None, tmp_path: Path, setup: str) -> None:
    m = tmp_path / "m"
    steps = {
        "existing": f"{START}\n{FILL.format(m=m)}",
        "first_run": FILL.format(m=m),
        # room for the database to open, not for what is typed (long answers, edited many times)
        "mid_screening": f"{START}\ndd if=/dev/zero of={m}/fill bs=1k "
        f"count=$(( $(df -k --output=avail {m} | tail -1) - 40 )) 2>/dev/null",
    }[setup]
    stdin = FIRST_ANSWERS + "".join(f"back\nJan 2012 {'x' * 3000}{i}\n" for i in range(200))
    done = in_mount(m, steps, "chat", stdin)
    one_line(done, EXIT_CODES["disk_full"], str(m / "home" / "screener.sqlite3"), "disk is full", "Free some space")


# --- the database URL ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url,shown",
    [
        ("nonsense", "nonsense"),
        (f"mysql://me:{SECRET}@db.example/screener", "mysql://me:***@db.example/screener"),
        (f"postgresql://me:{SECRET}@db.example:port/screener", "postgresql://me:***@db.example:port/screener"),
        ("nosuchdialect://host/db", "nosuchdialect://host/db"),
    ],
    ids=["unparsable", "driver-missing", "bad-port", "unknown-dialect"],
)
def test_a_bad_database_url(url: str, shown: str) -> None:
    one_line(cli("stats", DATABASE_URL=url), EXIT_CODES["bad_url"], f"DATABASE_URL {shown}", "postgresql+psycopg://")


def test_an_unreachable_server_for_every_command() -> None:
    url = f"postgresql+psycopg://me:{SECRET}@127.0.0.1:{free_port()}/screener"
    shown = f"postgresql+psycopg://me:***@127.0.0.1:{url.rsplit(':', 1)[1]}"
    for args, stdin in ((("chat",), FIRST_ANSWERS), (("stats",), ""), (("answers",), ""), (("purge",), "")):
        one_line(cli(*args, stdin=stdin, DATABASE_URL=url), EXIT_CODES["db_unreachable"], shown, "server is running")


def test_the_bot_start_up_is_one_line_too() -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35,
        "DATABASE_URL": f"postgresql+psycopg://me:{SECRET}@127.0.0.1:{free_port()}/screener",
    }
    one_line(cli_process("telegram", **env), EXIT_CODES["db_unreachable"], "cannot reach the database")
    one_line(cli_process("telegram", **{**env, "DATABASE_URL": "nonsense"}), EXIT_CODES["bad_url"])


@pytest.mark.postgresql
def test_a_missing_postgresql_database(postgres_server_url: str) -> None:
    url = make_url(postgres_server_url).set(database="no_such_database_here", password=SECRET)
    done = cli("stats", DATABASE_URL=url.render_as_string(hide_password=False))
    one_line(done, EXIT_CODES["db_missing"], "no_such_database_here", "create the database")


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    one_line(cli("stats", DATABASE_URL="", LATERAL_SCREENER_DB=str(other)), EXIT_CODES["db_missing"], str(other))


def test_a_database_from_a_newer_version(database_url: str) -> None:
    Store(database_url).close()
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    where = make_url(database_url).database if database_url.startswith("sqlite") else "postgresql"
    assert where is not None
    one_line(cli("stats", DATABASE_URL=database_url), EXIT_CODES["migration"], where, "9999", "newer lateral-screener")


# --- what cannot be provoked here: the driver's own classes ----------------------------------------
@pytest.mark.parametrize(
    "error,kind",
    [
        (psycopg.errors.DiskFull("could not extend file"), "disk_full"),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute UPDATE in a read-only transaction"), "read_only"),
        (psycopg.errors.InvalidCatalogName('database "x" does not exist'), "db_missing"),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), "db_unreachable"),
        (psycopg.errors.InvalidPassword(f"password authentication failed; password={SECRET}"), "db_unreachable"),
        (psycopg.OperationalError("connection failed: Connection refused"), "db_unreachable"),
        (psycopg.OperationalError('connection failed: FATAL:  database "x" does not exist'), "db_missing"),
        (psycopg.ProgrammingError('invalid dsn: missing "="'), "bad_url"),
        (OSError(28, "No space left on device", "/data/screener.sqlite3"), "disk_full"),
        (OSError(30, "Read-only file system", "/data"), "read_only"),
        (sa.exc.TimeoutError("QueuePool limit reached"), "db_unreachable"),
    ],
)
def test_driver_errors_are_classified_wrapped_or_not(error: Exception, kind: str) -> None:
    wrapped = sa.exc.OperationalError("SELECT 1", {}, error) if not isinstance(error, sa.exc.SQLAlchemyError) else error
    for exc in (error, wrapped):
        problem = classify(exc)
        assert problem is not None and problem.kind == kind
        failure = describe(exc, "postgresql+psycopg://me:***@db/screener")
        assert failure is not None
        assert failure.exit_code == EXIT_CODES[kind] and SECRET not in failure.line
        assert len(failure.line.splitlines()) == 1


def test_bugs_are_not_operational_errors() -> None:
    assert classify(KeyError("x")) is None and classify(ValueError("y")) is None
    assert classify(sa.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))) is None
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES) and not {0, 1, 2} & set(EXIT_CODES.values())


# --- a running bot whose database goes away and comes back -----------------------------------------
@pytest.mark.postgresql
async def test_a_running_bot_survives_a_database_outage(
    standin: BotApiStandIn, fresh_postgres_url: str, postgres_server_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The database stops accepting connections (its connections are cut, new ones refused), then
    comes back: the applicant is asked to try again, the log has one line per failed update and
    no traceback, and the next message after the outage is handled without a restart."""
    name = make_url(fresh_postgres_url).database
    assert name is not None
    admin = make_url(postgres_server_url).set(drivername="postgresql").render_as_string(hide_password=False)

    def allow_connections(allowed: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
            if not allowed:
                connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    store = Store(fresh_postgres_url)
    try:
        async with running_bot(standin, store, "polling"):
            a = Applicant(standin, 6001)
            await a.start()
            await a.answer("tap:A federal law-enforcement agency")
            allow_connections(False)
            try:
                caplog.clear()
                for _ in range(2):
                    replies = await a.send("yes")
                    assert "can't reach my records" in replies[-1].visible_text
                failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
                assert len(failures) == 2 and all(r.exc_info is None for r in failures)
                assert all("cannot reach the database" in r.getMessage() and name in r.getMessage() for r in failures)
            finally:
                allow_connections(True)
            replies = await a.send("yes")
            assert "How many hours" in replies[-1].visible_text
        assert current_session(store, "telegram", "6001").answers == {
            "background": "federal",
            "basic_course_graduate": True,
        }
    finally:
        store.close()
