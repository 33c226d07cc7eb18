"""Index processed_update.session_id: deleting an applicant erases their update ids by session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_processed_update_session_id", "processed_update", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_processed_update_session_id", "processed_update")
