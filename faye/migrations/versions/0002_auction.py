"""auction house: listings and escrow

Revision ID: 0002_auction
Revises: 0001_baseline
Create Date: 2026-11-24 22:54:28.389587
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import faye.models

revision: str = "0002_auction"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An Esprit in escrow has no owner: it sits in exactly one open listing instead.
    with op.batch_alter_table("useresprit", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.VARCHAR(length=64), nullable=True)

    op.create_table(
        "auctionlisting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("esprit_id", sa.Integer(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("buyer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'sold', 'cancelled', 'expired')", name="ck_auctionlisting_status"),
        sa.CheckConstraint("price > 0", name="ck_auctionlisting_price_positive"),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["user.user_id"],
        ),
        sa.ForeignKeyConstraint(
            ["esprit_id"],
            ["useresprit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["user.user_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auctionlisting", schema=None) as batch_op:
        batch_op.create_index("ix_auctionlisting_buyer_id", ["buyer_id"], unique=False)
        batch_op.create_index("ix_auctionlisting_seller_id_status", ["seller_id", "status"], unique=False)
        batch_op.create_index("ix_auctionlisting_status_expires_at", ["status", "expires_at"], unique=False)
        batch_op.create_index(
            "uq_auctionlisting_open_esprit",
            ["esprit_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def downgrade() -> None:
    # Give escrowed Esprits back to their sellers before owner_id becomes mandatory again.
    op.execute(
        "UPDATE useresprit SET owner_id = (SELECT seller_id FROM auctionlisting "
        "WHERE auctionlisting.esprit_id = useresprit.id AND auctionlisting.status = 'open') "
        "WHERE owner_id IS NULL"
    )
    with op.batch_alter_table("useresprit", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.VARCHAR(length=64), nullable=False)

    with op.batch_alter_table("auctionlisting", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_auctionlisting_open_esprit",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_auctionlisting_status_expires_at")
        batch_op.drop_index("ix_auctionlisting_seller_id_status")
        batch_op.drop_index("ix_auctionlisting_buyer_id")

    op.drop_table("auctionlisting")
