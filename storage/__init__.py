"""Storage of the screener: applicants, interview sessions and answer history."""

from storage.store import (
    AlreadyProcessed,
    AnswerRecord,
    SessionNotFound,
    SessionSnapshot,
    Store,
    StoreError,
    VersionConflict,
    configured_database_location,
    data_dir,
    database_location,
    database_url_from_environment,
    default_sqlite_path,
    default_sqlite_url,
    private_dir,
    private_file,
)

__all__ = [
    "AlreadyProcessed",
    "AnswerRecord",
    "SessionNotFound",
    "SessionSnapshot",
    "Store",
    "StoreError",
    "VersionConflict",
    "configured_database_location",
    "data_dir",
    "database_location",
    "database_url_from_environment",
    "default_sqlite_path",
    "default_sqlite_url",
    "private_dir",
    "private_file",
]
