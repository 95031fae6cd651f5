"""trades between players: trades, their two sides, and the Esprits each side offers

Revision ID: 0005_trades
Revises: 0004_progression
Create Date: 2026-12-02 02:00:00.000000

New tables only: every existing row is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0005_trades"
down_revision: str | None = "0004_progression"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trade",
        sa.Column("id", faye.models.Id64, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'executed', 'cancelled', 'expired')", name="ck_trade_status"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trade_status_expires_at", "trade", ["status", "expires_at"], unique=False)
    op.create_table(
        "tradeside",
        sa.Column("trade_id", faye.models.Id64, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("faylen", sa.BigInteger(), nullable=False),
        sa.Column("virelite", sa.BigInteger(), nullable=False),
        sa.Column("gems", sa.BigInteger(), nullable=False),
        sa.Column("confirmed_version", sa.Integer(), nullable=True),
        sa.CheckConstraint("faylen >= 0 AND virelite >= 0 AND gems >= 0", name="ck_tradeside_amounts_nonneg"),
        sa.ForeignKeyConstraint(["trade_id"], ["trade.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"]),
        sa.PrimaryKeyConstraint("trade_id", "user_id"),
    )
    op.create_index("ix_tradeside_user_id", "tradeside", ["user_id"], unique=False)
    op.create_table(
        "tradeitem",
        sa.Column("id", faye.models.Id64, nullable=False),
        sa.Column("trade_id", faye.models.Id64, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("esprit_id", faye.models.Id64, nullable=False),
        sa.Column("esprit_data_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["trade_id"], ["trade.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tradeitem_trade_id", "tradeitem", ["trade_id"], unique=False)
    op.create_index(
        "uq_tradeitem_reserved_esprit",
        "tradeitem",
        ["esprit_id"],
        unique=True,
        sqlite_where=sa.text("reserved"),
        postgresql_where=sa.text("reserved"),
    )


def downgrade() -> None:
    op.drop_index("uq_tradeitem_reserved_esprit", table_name="tradeitem")
    op.drop_index("ix_tradeitem_trade_id", table_name="tradeitem")
    op.drop_table("tradeitem")
    op.drop_index("ix_tradeside_user_id", table_name="tradeside")
    op.drop_table("tradeside")
    op.drop_index("ix_trade_status_expires_at", table_name="trade")
    op.drop_table("trade")
