"""Database fixtures shared by the test suite.

* ``postgres_server_url`` (session): URL of a throwaway PostgreSQL server, from
  ``scripts/test-postgres`` (which honours ``TEST_DATABASE_URL``).  Failing to get one is
  an error -- CI must test both backends -- unless ``LATERAL_SKIP_POSTGRES=1``, which skips
  the PostgreSQL variants.
* ``database_url``: parametrized over ``["sqlite", "postgresql"]``; a fresh, empty database
  per test (a file in ``tmp_path``; a newly created PostgreSQL database, dropped after).
* ``sqlite_url``: a fresh SQLite file in ``tmp_path`` (no PostgreSQL variant).
* ``chromium`` (session): paths of Debian's Chromium and chromedriver, from
  ``scripts/test-chromium`` (which installs them when missing), for the browser tests;
  ``LATERAL_SKIP_BROWSER=1`` skips those tests.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from storage import Store
    from tests.telegram_standin import BotApiStandIn

ROOT = Path(__file__).resolve().parent.parent
TEST_POSTGRES_SCRIPT = ROOT / "scripts" / "test-postgres"
TEST_CHROMIUM_SCRIPT = ROOT / "scripts" / "test-chromium"


# Settings of the program (README: Configuration): a test sets the ones it needs, so the
# caller's environment never changes what a test sees.
PROGRAM_SETTINGS = (
    "DATABASE_URL",
    "LATERAL_SCREENER_HOME",
    "LATERAL_SCREENER_DB",
    "SQLITE_SYNCHRONOUS",
    "XDG_DATA_HOME",
    "TELEGRAM_BOT_TOKEN",
    "BOT_USERNAME",
    "WEBHOOK_SECRET",
    "RETENTION_DAYS",
    "LEAD_RETENTION_DAYS",
    "TIMEZONE",
    "TELEGRAM_MAX_RATE",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_BASE_FILE_URL",
    "LOG_LEVEL",
    "PUBLIC_URL",
    "SECRET_KEY",
)


@pytest.fixture(autouse=True)
def program_settings_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROGRAM_SETTINGS:
        monkeypatch.delenv(name, raising=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: test runs against PostgreSQL")


def _libpq_conninfo(sqlalchemy_url: str, database: str | None = None) -> str:
    """A libpq URL (for psycopg.connect) from a SQLAlchemy ``postgresql+psycopg://`` URL."""
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """SQLAlchemy URL of the test PostgreSQL server (its default test database)."""
    if os.environ.get("LATERAL_SKIP_POSTGRES") == "1":
        pytest.skip("PostgreSQL variant skipped: LATERAL_SKIP_POSTGRES=1")
    try:
        result = subprocess.run(
            ["bash", str(TEST_POSTGRES_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"could not run {TEST_POSTGRES_SCRIPT}: {error}", pytrace=False)
    url = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    if result.returncode != 0 or not url:
        pytest.fail(
            f"{TEST_POSTGRES_SCRIPT} failed (exit {result.returncode}); set "
            f"LATERAL_SKIP_POSTGRES=1 to skip the PostgreSQL tests.\n{result.stderr}",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """(browser, driver) paths of Debian's Chromium and chromedriver, installed when missing."""
    if os.environ.get("LATERAL_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped: LATERAL_SKIP_BROWSER=1")
    try:
        result = subprocess.run(
            ["bash", str(TEST_CHROMIUM_SCRIPT)], capture_output=True, text=True, timeout=1800, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"could not run {TEST_CHROMIUM_SCRIPT}: {error}", pytrace=False)
    paths = result.stdout.split()
    if result.returncode != 0 or len(paths) != 2:
        pytest.fail(
            f"{TEST_CHROMIUM_SCRIPT} failed (exit {result.returncode}); set LATERAL_SKIP_BROWSER=1 to skip "
            f"the browser tests.\n{result.stderr}",
            pytrace=False,
        )
    return paths[0], paths[1]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite database file in ``tmp_path``."""
    return f"sqlite:///{tmp_path / 'screener.sqlite3'}"


@pytest.fixture
def fresh_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """URL of a newly created, empty PostgreSQL database (dropped after the test)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"test_{uuid.uuid4().hex[:20]}"
    admin = _libpq_conninfo(postgres_server_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database per test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'screener.sqlite3'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    """The Bot API stand-in on a free loopback port (tests/telegram_standin)."""
    from tests.telegram_standin import BotApiStandIn

    async with BotApiStandIn() as s:
        yield s


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated Store on the fresh database of `database_url`."""
    from storage import Store

    s = Store(database_url)
    yield s
    s.close()
