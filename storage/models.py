"""Database tables of the screener: small, flat SQLModel tables.

The tables live in their own SQLAlchemy registry/metadata (``METADATA``) so that
SQLModel tables defined elsewhere in the project never leak into the migrations
or into the schema check.

Any change here needs a new hand-written migration in ``storage/migrations/versions``;
``tests/test_storage.py`` checks that the migrated schema matches this metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

METADATA = sa.MetaData(naming_convention=NAMING_CONVENTION)

STATUS_ACTIVE = "active"
STATUS_FINISHED = "finished"
STATUS_ABANDONED = "abandoned"
STATUSES = (STATUS_ACTIVE, STATUS_FINISHED, STATUS_ABANDONED)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (UTC).

    PostgreSQL keeps the zone (``timestamp with time zone``); SQLite stores a naive
    string, so values are converted to UTC before storing and tagged UTC on load.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StorageModel(SQLModel, registry=registry(metadata=METADATA)):
    """Base of the storage tables (own metadata, see module docstring)."""


class Applicant(StorageModel, table=True):
    __tablename__ = "applicant"
    __table_args__ = (sa.UniqueConstraint("channel", "channel_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    channel_user_id: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Agency(StorageModel, table=True):
    """An Alabama law-enforcement agency; its recruiters share its leads with its admins."""

    __tablename__ = "agency"
    __table_args__ = (sa.UniqueConstraint("name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Recruiter(StorageModel, table=True):
    """A recruiter at an Alabama agency, with the link code their deep link carries."""

    __tablename__ = "recruiter"
    __table_args__ = (
        sa.UniqueConstraint("link_code"),
        sa.UniqueConstraint("claim_code_hash"),
        sa.UniqueConstraint("telegram_user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id")
    name: str
    link_code: str
    claim_code_hash: str | None = Field(default=None)  # sha256 of the one-time claim code
    claim_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    telegram_user_id: str | None = Field(default=None)
    disabled: bool = Field(default=False)
    next_lead_number: int = Field(default=1)  # leads are numbered per recruiter, never reused
    agency_admin: bool = Field(default=False)  # sees every lead of the agency on the dashboard
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


LEAD_STATUSES = ("new", "contacted", "applied", "hired", "not_a_fit")


class Lead(StorageModel, table=True):
    """What an applicant agreed to share with one recruiter: one row per applicant and recruiter,
    covering all the applicant's screenings (the latest shared result is in `snapshot_json`)."""

    __tablename__ = "lead"
    __table_args__ = (
        sa.UniqueConstraint("recruiter_id", "applicant_id"),
        sa.UniqueConstraint("recruiter_id", "number"),
        sa.Index("ix_lead_applicant_id", "applicant_id"),
        sa.Index("ix_lead_shared_at", "shared_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recruiter_id: int = Field(foreign_key="recruiter.id")
    applicant_id: int = Field(foreign_key="applicant.id", ondelete="CASCADE")
    number: int
    session_id: int | None = Field(default=None)  # the screening the result comes from
    channel: str
    status: str = Field(default="new")
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    shared_at: datetime = Field(sa_type=UTCDateTime)
    contact: str | None = Field(default=None)
    snapshot_json: str = Field(sa_type=sa.Text)  # answers, as_of, rules_version of the shared result
    outcome: str | None = Field(default=None)
    notice_chat_id: str | None = Field(default=None)  # the recruiter's notification, edited on withdrawal
    notice_message_id: int | None = Field(default=None)
    notes: str | None = Field(default=None, sa_type=sa.Text)  # the recruiters' own, from the dashboard
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimAttempt(StorageModel, table=True):
    """A claim code sent to the bot, kept to limit guessing (a few per user and hour)."""

    __tablename__ = "claim_attempt"
    __table_args__ = (sa.Index("ix_claim_attempt_telegram_user_id_attempted_at", "telegram_user_id", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: str
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    succeeded: bool = Field(default=False)


class SignInLink(StorageModel, table=True):
    """A one-time dashboard sign-in link (bot/web/sign_in.py): stored as the SHA-256 of its token."""

    __tablename__ = "sign_in_link"
    __table_args__ = (sa.UniqueConstraint("token_hash"), sa.Index("ix_sign_in_link_expires_at", "expires_at"))

    id: int | None = Field(default=None, primary_key=True)
    recruiter_id: int = Field(foreign_key="recruiter.id")
    token_hash: str
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebSession(StorageModel, table=True):
    """A signed-in dashboard browser: the session cookie's token, stored as its SHA-256."""

    __tablename__ = "web_session"
    __table_args__ = (sa.UniqueConstraint("token_hash"), sa.Index("ix_web_session_expires_at", "expires_at"))

    id: int | None = Field(default=None, primary_key=True)
    recruiter_id: int = Field(foreign_key="recruiter.id")
    token_hash: str
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SignInFailure(StorageModel, table=True):
    """A refused sign-in link, kept a while to limit guessing per client (a keyed hash, not the address)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (sa.Index("ix_sign_in_failure_client_attempted_at", "client", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    client: str
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScreeningSession(StorageModel, table=True):
    __tablename__ = "screening_session"
    __table_args__ = (
        sa.Index("ix_screening_session_applicant_id_status", "applicant_id", "status"),
        # At most one active session per applicant (start_session abandons the old one).
        sa.Index(
            "uq_screening_session_one_active",
            "applicant_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
        # Handy for statistics (outcome / pathway per period).
        sa.Index("ix_screening_session_finished_at", "finished_at"),
        sa.Index("ix_screening_session_recruiter_id", "recruiter_id"),
        sa.Index("ix_screening_session_updated_at", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", ondelete="CASCADE")
    status: str = Field(default=STATUS_ACTIVE)
    version: int = Field(default=1)
    referral_code: str | None = Field(default=None)
    # Plain column, no foreign key: recruiters are disabled, never deleted, and SQLite's
    # ADD COLUMN cannot carry a named constraint that the schema check would recognise.
    recruiter_id: int | None = Field(default=None)  # whose link the screening came from
    channel_state: str = Field(default="{}", sa_type=sa.Text)
    outcome: str | None = Field(default=None)
    pathway: str | None = Field(default=None)
    rules_version: str | None = Field(default=None)  # the rules version its outcome was assessed under
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Answer(StorageModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (
        sa.Index("ix_answer_session_id", "session_id"),
        # At most one current (not superseded) answer per (session, field).
        sa.Index(
            "uq_answer_current",
            "session_id",
            "field",
            unique=True,
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="screening_session.id", ondelete="CASCADE")
    field: str
    value_json: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProcessedUpdate(StorageModel, table=True):
    """Telegram update ids already applied: a webhook redelivery or the same update reaching
    two workers is recognised in the transaction that would apply it a second time."""

    __tablename__ = "processed_update"
    __table_args__ = (
        sa.Index("ix_processed_update_processed_at", "processed_at"),
        sa.Index("ix_processed_update_session_id", "session_id"),  # erased with the session
    )

    update_id: int = Field(sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    session_id: int
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


TABLES: tuple[Any, ...] = (
    Applicant,
    Agency,
    Recruiter,
    Lead,
    ClaimAttempt,
    SignInLink,
    WebSession,
    SignInFailure,
    ScreeningSession,
    Answer,
    ProcessedUpdate,
)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


# The Core tables the queries are written against (typed columns, no ORM identity map).
APPLICANT_TABLE = _table(Applicant)
AGENCY_TABLE = _table(Agency)
RECRUITER_TABLE = _table(Recruiter)
LEAD_TABLE = _table(Lead)
CLAIM_ATTEMPT_TABLE = _table(ClaimAttempt)
SESSION_TABLE = _table(ScreeningSession)
ANSWER_TABLE = _table(Answer)
PROCESSED_TABLE = _table(ProcessedUpdate)
SIGN_IN_LINK_TABLE = _table(SignInLink)
WEB_SESSION_TABLE = _table(WebSession)
SIGN_IN_FAILURE_TABLE = _table(SignInFailure)
