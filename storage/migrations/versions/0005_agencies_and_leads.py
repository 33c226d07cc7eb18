"""Agencies as records, one lead per applicant and recruiter, claim attempts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Consent moves from the screening (``screening_session.shared_at`` / ``contact``) to a
``lead`` row per applicant and recruiter, so that sharing again updates the same lead and
a withdrawal reaches every screening. Existing shared screenings become leads (the newest
per applicant and recruiter), numbered per recruiter in the order they were shared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def _aware(value: datetime | str) -> datetime:
    """SQLite hands back naive strings or datetimes; they are UTC (see models.UTCDateTime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agency"),
        sa.UniqueConstraint("name", name="uq_agency_name"),
    )
    bind.execute(
        sa.text(
            "INSERT INTO agency (name, created_at) "
            "SELECT agency, MIN(created_at) FROM recruiter GROUP BY agency ORDER BY MIN(id)"
        )
    )
    with op.batch_alter_table("recruiter") as batch:
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("next_lead_number", sa.Integer(), nullable=False, server_default="1"))
    bind.execute(
        sa.text("UPDATE recruiter SET agency_id = (SELECT id FROM agency WHERE agency.name = recruiter.agency)")
    )
    with op.batch_alter_table("recruiter") as batch:
        batch.alter_column("agency_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("next_lead_number", existing_type=sa.Integer(), server_default=None)
        batch.create_foreign_key("fk_recruiter_agency_id_agency", "agency", ["agency_id"], ["id"])
        batch.drop_column("agency")

    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("status_changed_at", TIMESTAMP, nullable=True),
        sa.Column("shared_at", TIMESTAMP, nullable=False),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("notice_chat_id", sa.String(), nullable=True),
        sa.Column("notice_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lead"),
        sa.ForeignKeyConstraint(["recruiter_id"], ["recruiter.id"], name="fk_lead_recruiter_id_recruiter"),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicant.id"], name="fk_lead_applicant_id_applicant", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("recruiter_id", "applicant_id", name="uq_lead_recruiter_id_applicant_id"),
        sa.UniqueConstraint("recruiter_id", "number", name="uq_lead_recruiter_id_number"),
    )
    op.create_index("ix_lead_applicant_id", "lead", ["applicant_id"])
    op.create_index("ix_lead_shared_at", "lead", ["shared_at"])
    _leads_from_shared_sessions(bind)

    op.create_table(
        "claim_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.String(), nullable=False),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claim_attempt"),
    )
    op.create_index(
        "ix_claim_attempt_telegram_user_id_attempted_at", "claim_attempt", ["telegram_user_id", "attempted_at"]
    )
    # Native DROP COLUMN (SQLite >= 3.35): a batch copy would lose the partial indexes.
    op.drop_column("screening_session", "contact")
    op.drop_column("screening_session", "shared_at")


def _leads_from_shared_sessions(bind: sa.Connection) -> None:
    sessions = bind.execute(
        sa.text(
            "SELECT s.id, s.applicant_id, s.recruiter_id, s.shared_at, s.contact, s.outcome, p.channel "
            "FROM screening_session s JOIN applicant p ON p.id = s.applicant_id "
            "WHERE s.shared_at IS NOT NULL AND s.recruiter_id IS NOT NULL ORDER BY s.shared_at, s.id"
        )
    ).all()
    newest = {(row.recruiter_id, row.applicant_id): row for row in sessions}  # later rows win
    numbers: dict[int, int] = {}
    for row in sorted(newest.values(), key=lambda r: (_aware(r.shared_at), r.id)):
        answers = {
            a.field: json.loads(a.value_json)
            for a in bind.execute(
                sa.text(
                    "SELECT field, value_json FROM answer WHERE session_id = :id AND superseded_at IS NULL ORDER BY id"
                ),
                {"id": row.id},
            )
        }
        shared_at = _aware(row.shared_at)
        number = numbers[row.recruiter_id] = numbers.get(row.recruiter_id, 0) + 1
        bind.execute(
            sa.text(
                "INSERT INTO lead (recruiter_id, applicant_id, number, session_id, channel, status, shared_at, "
                "contact, snapshot_json, outcome, created_at, updated_at) "
                "VALUES (:recruiter_id, :applicant_id, :number, :session_id, :channel, 'new', :shared_at, :contact, "
                ":snapshot, :outcome, :shared_at, :shared_at)"
            ),
            {
                "recruiter_id": row.recruiter_id,
                "applicant_id": row.applicant_id,
                "number": number,
                "session_id": row.id,
                "channel": row.channel,
                "contact": row.contact,
                "outcome": row.outcome,
                "shared_at": shared_at if bind.dialect.name != "sqlite" else shared_at.replace(tzinfo=None),
                "snapshot": json.dumps({"as_of": shared_at.date().isoformat(), **answers}),
            },
        )
    for recruiter_id, last in numbers.items():
        bind.execute(
            sa.text("UPDATE recruiter SET next_lead_number = :n WHERE id = :id"), {"n": last + 1, "id": recruiter_id}
        )


def downgrade() -> None:
    op.add_column("screening_session", sa.Column("shared_at", TIMESTAMP, nullable=True))
    op.add_column("screening_session", sa.Column("contact", sa.String(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE screening_session SET shared_at = (SELECT shared_at FROM lead WHERE lead.session_id = "
            "screening_session.id ORDER BY lead.shared_at DESC LIMIT 1), contact = (SELECT contact FROM lead WHERE "
            "lead.session_id = screening_session.id ORDER BY lead.shared_at DESC LIMIT 1)"
        )
    )
    op.drop_index("ix_claim_attempt_telegram_user_id_attempted_at", "claim_attempt")
    op.drop_table("claim_attempt")
    op.drop_index("ix_lead_shared_at", "lead")
    op.drop_index("ix_lead_applicant_id", "lead")
    op.drop_table("lead")
    with op.batch_alter_table("recruiter") as batch:
        batch.add_column(sa.Column("agency", sa.String(), nullable=True))
    bind.execute(
        sa.text("UPDATE recruiter SET agency = (SELECT name FROM agency WHERE agency.id = recruiter.agency_id)")
    )
    with op.batch_alter_table("recruiter") as batch:
        batch.alter_column("agency", existing_type=sa.String(), nullable=False)
        batch.drop_constraint("fk_recruiter_agency_id_agency", type_="foreignkey")
        batch.drop_column("agency_id")
        batch.drop_column("next_lead_number")
    op.drop_table("agency")
