"""Opt-in reminders for a finished plan: posting days, weekly numbers, a final review.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("user_id", sa.BigInteger(), nullable=False, index=True),
        sa.Column("language", sa.String(16), nullable=False, server_default="en"),
        sa.Column("time_zone", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reminder_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False, index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("answer", sa.String(8), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("plan_id", "kind", "day", name="uq_reminder_jobs"),
    )
    op.create_table(
        "reminder_numbers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False, index=True),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(24), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("plan_id", "week", "metric", name="uq_reminder_numbers"),
    )


def downgrade() -> None:
    op.drop_table("reminder_numbers")
    op.drop_table("reminder_jobs")
    op.drop_table("reminder_plans")
