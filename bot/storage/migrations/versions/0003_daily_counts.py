"""Anonymous daily counts for /stats: how many, per day and language, never who.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_counts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False, index=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("metric", sa.String(24), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, server_default=""),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        sa.UniqueConstraint("day", "language", "metric", "key", name="uq_daily_counts"),
    )
    op.add_column("users", sa.Column("last_active", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "last_active")
    op.drop_table("daily_counts")
