"""Initial schema: applicant, screening_session, answer.

Revision ID: 0001
Revises:
Create Date: 2025-11-22

Written by hand: keep storage/models.py and this file in step
(tests/test_storage.py compares the migrated schema with the models).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("channel_user_id", sa.String(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_applicant"),
        sa.UniqueConstraint("channel", "channel_user_id", name="uq_applicant_channel_channel_user_id"),
    )

    op.create_table(
        "screening_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("referral_code", sa.String(), nullable=True),
        sa.Column("channel_state", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("pathway", sa.String(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_screening_session"),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicant.id"],
            name="fk_screening_session_applicant_id_applicant",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_screening_session_applicant_id_status",
        "screening_session",
        ["applicant_id", "status"],
    )
    op.create_index(
        "uq_screening_session_one_active",
        "screening_session",
        ["applicant_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_index("ix_screening_session_finished_at", "screening_session", ["finished_at"])

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("superseded_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_answer"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["screening_session.id"],
            name="fk_answer_session_id_screening_session",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_answer_session_id", "answer", ["session_id"])
    op.create_index(
        "uq_answer_current",
        "answer",
        ["session_id", "field"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("answer")
    op.drop_table("screening_session")
    op.drop_table("applicant")
