"""banners: pity counters per pity group with the guarantee state, and every pull on record

Revision ID: 0006_banners
Revises: 0005_trades
Create Date: 2026-12-02 06:00:00.000000

Every player's counters are kept: the counters of the one permanent pool become the "standard" group's (the
standard banner draws from that pool, so nothing a player has built up towards pity is lost), with no guarantee
pending. The pull table starts empty: pulls before banners were not recorded one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0006_banners"
down_revision: str | None = "0005_trades"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    group = sa.Column("pity_group", sa.String(length=24), server_default="standard", nullable=False)
    guaranteed = sa.Column("guaranteed", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    if bind.dialect.name == "postgresql":
        op.add_column("pitycounter", group)
        op.add_column("pitycounter", guaranteed)
        op.drop_constraint("pitycounter_pkey", "pitycounter", type_="primary")
        op.create_primary_key("pitycounter_pkey", "pitycounter", ["user_id", "pity_group", "tier"])
    else:
        _rebuild_sqlite(["user_id", "pity_group", "tier"], group, guaranteed)
    op.create_table(
        "pull",
        sa.Column("id", faye.models.Id64, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("n", faye.models.Id64, nullable=False),
        sa.Column("banner_id", sa.String(length=64), nullable=False),
        sa.Column("pity_group", sa.String(length=24), nullable=False),
        sa.Column("tier", sa.String(length=24), nullable=False),
        sa.Column("esprit_data_id", sa.String(length=64), nullable=False),
        sa.Column("esprit_id", faye.models.Id64, nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("pity_before", sa.JSON(), nullable=False),
        sa.Column("guaranteed_before", sa.JSON(), nullable=False),
        sa.Column("at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pull_user_id_n", "pull", ["user_id", "n"], unique=True)
    op.create_index("ix_pull_at", "pull", ["at"], unique=False)


def downgrade() -> None:
    """Back to one pool: the standard group's counters stay, other groups' and the pull records go."""
    bind = op.get_bind()
    op.drop_index("ix_pull_at", table_name="pull")
    op.drop_index("ix_pull_user_id_n", table_name="pull")
    op.drop_table("pull")
    op.execute("DELETE FROM pitycounter WHERE pity_group <> 'standard'")
    if bind.dialect.name == "postgresql":
        op.drop_constraint("pitycounter_pkey", "pitycounter", type_="primary")
        op.create_primary_key("pitycounter_pkey", "pitycounter", ["user_id", "tier"])
        op.drop_column("pitycounter", "guaranteed")
        op.drop_column("pitycounter", "pity_group")
    else:
        _rebuild_sqlite(["user_id", "tier"])


def _rebuild_sqlite(key: list[str], *extra: sa.Column[object]) -> None:
    """SQLite cannot change a primary key in place: copy the counters into a table with the new key and the
    `extra` columns (their server defaults fill them), then put it in the old one's place."""
    op.create_table(
        "pitycounter_new",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        *extra,
        sa.Column("tier", sa.String(length=24), nullable=False),
        sa.Column("pulls_since", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"]),
        sa.PrimaryKeyConstraint(*key),
    )
    op.execute(
        "INSERT INTO pitycounter_new (user_id, tier, pulls_since) SELECT user_id, tier, pulls_since FROM pitycounter"
    )
    op.drop_table("pitycounter")
    op.rename_table("pitycounter_new", "pitycounter")
