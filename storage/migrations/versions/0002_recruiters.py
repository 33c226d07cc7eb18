"""Recruiters, referral attribution and consented sharing of results.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written by hand: keep storage/models.py and this file in step.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recruiter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("link_code", sa.String(), nullable=False),
        sa.Column("claim_code_hash", sa.String(), nullable=True),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_user_id", sa.String(), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recruiter"),
        sa.UniqueConstraint("link_code", name="uq_recruiter_link_code"),
        sa.UniqueConstraint("claim_code_hash", name="uq_recruiter_claim_code_hash"),
        sa.UniqueConstraint("telegram_user_id", name="uq_recruiter_telegram_user_id"),
    )
    # Plain ADD COLUMN (a batch table copy on SQLite would lose the partial indexes).
    op.add_column("screening_session", sa.Column("recruiter_id", sa.Integer(), nullable=True))
    op.add_column("screening_session", sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("screening_session", sa.Column("contact", sa.String(), nullable=True))
    op.create_index("ix_screening_session_recruiter_id", "screening_session", ["recruiter_id"])
    op.create_index("ix_screening_session_updated_at", "screening_session", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_screening_session_updated_at", "screening_session")
    op.drop_index("ix_screening_session_recruiter_id", "screening_session")
    for column in ("contact", "shared_at", "recruiter_id"):  # native DROP COLUMN (SQLite >= 3.35)
        op.drop_column("screening_session", column)
    op.drop_table("recruiter")
