"""The rules version a screening's result was assessed under (rules versions by date).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable ADD COLUMN: screenings assessed before versions were recorded keep NULL.
    op.add_column("screening_session", sa.Column("rules_version", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_session") as batch:
        batch.drop_column("rules_version")
