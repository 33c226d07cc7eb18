"""Dashboard: one-time sign-in links, browser sessions, refused links (to limit guessing),
agency admins, and the recruiters' notes on a lead.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): nullable or with a default, so every backend can.
    op.add_column("recruiter", sa.Column("agency_admin", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("lead", sa.Column("notes", sa.Text(), nullable=True))
    for table in ("sign_in_link", "web_session"):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("recruiter_id", sa.Integer(), nullable=False),
            sa.Column("token_hash", sa.String(), nullable=False),
            sa.Column("expires_at", TIMESTAMP, nullable=False),
            *([sa.Column("used_at", TIMESTAMP, nullable=True)] if table == "sign_in_link" else []),
            sa.Column("created_at", TIMESTAMP, nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(["recruiter_id"], ["recruiter.id"], name=f"fk_{table}_recruiter_id_recruiter"),
            sa.UniqueConstraint("token_hash", name=f"uq_{table}_token_hash"),
        )
        op.create_index(f"ix_{table}_expires_at", table, ["expires_at"])
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_failure"),
    )
    op.create_index("ix_sign_in_failure_client_attempted_at", "sign_in_failure", ["client", "attempted_at"])


def downgrade() -> None:
    op.drop_table("sign_in_failure")
    op.drop_table("web_session")
    op.drop_table("sign_in_link")
    op.drop_column("lead", "notes")
    op.drop_column("recruiter", "agency_admin")
