"""battles: each player's trial progress, daily limits, duel rating and defence team

Revision ID: 0007_battles
Revises: 0006_banners
Create Date: 2026-12-02 06:00:00.000000

A new table only: every existing row is kept as it is; a player gets a row on their first battle.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0007_battles"
down_revision: str | None = "0006_banners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "battler",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("trial_cleared", sa.Integer(), nullable=False),
        sa.Column("trial_day", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("trial_replays", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("duel_day", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duels_today", sa.Integer(), nullable=False),
        sa.Column("wins", sa.Integer(), nullable=False),
        sa.Column("losses", sa.Integer(), nullable=False),
        sa.Column("draws", sa.Integer(), nullable=False),
        sa.Column("defence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index("ix_battler_rating", "battler", ["rating"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_battler_rating", table_name="battler")
    op.drop_table("battler")
