"""rate limits: each player's count of a rate-limited action in its current window

Revision ID: 0009_rate_limits
Revises: 0008_forget
Create Date: 2026-12-02 11:00:00.000000

A new table only: every existing row is kept as it is; counters start when limits are configured.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0009_rate_limits"
down_revision: str | None = "0008_forget"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratebucket",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("window_start", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "action"),
    )


def downgrade() -> None:
    op.drop_table("ratebucket")
