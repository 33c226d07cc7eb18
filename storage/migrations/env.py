"""Alembic environment of the screener's storage.

At run time ``storage.store.Store`` calls ``alembic.command.upgrade`` with a
programmatic ``Config`` and hands over an open connection (already holding the
migration lock) in ``config.attributes["connection"]``.  For developers the
command line works too::

    .venv/bin/alembic -c storage/alembic.ini upgrade head       # DATABASE_URL or the default file
    .venv/bin/alembic -c storage/alembic.ini revision -m "..."  # then write the migration by hand
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.models import METADATA

config = context.config
target_metadata = METADATA


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from storage.store import database_url_from_environment

    return database_url_from_environment()


if context.is_offline_mode():
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Store() handed over a connection that already holds the migration lock.
        _run(connection)
    else:
        # The alembic command line: same engine set-up and lock as Store().
        from storage.store import _WRITE_OPTION, create_storage_engine, take_migration_lock

        engine = create_storage_engine(_url()).execution_options(**{_WRITE_OPTION: True})
        try:
            with engine.begin() as connection:
                take_migration_lock(connection)
                _run(connection)
        finally:
            engine.dispose()
