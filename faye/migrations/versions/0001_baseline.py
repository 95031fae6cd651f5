"""baseline: the foundation schema

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-24 22:47:16.345203
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import faye.models

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "espritdata",
        sa.Column("esprit_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("rarity", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("element", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("base_hp", sa.Integer(), nullable=False),
        sa.Column("base_attack", sa.Integer(), nullable=False),
        sa.Column("base_defense", sa.Integer(), nullable=False),
        sa.Column("base_speed", sa.Integer(), nullable=False),
        sa.Column("base_magic", sa.Integer(), nullable=False),
        sa.Column("base_magic_resist", sa.Integer(), nullable=False),
        sa.Column("base_crit_rate", sa.Float(), nullable=False),
        sa.Column("base_dodge", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("esprit_id"),
    )
    with op.batch_alter_table("espritdata", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_espritdata_rarity"), ["rarity"], unique=False)

    op.create_table(
        "user",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("faylen", sa.BigInteger(), nullable=False),
        sa.Column("virelite", sa.BigInteger(), nullable=False),
        sa.Column("gems", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("daily_streak", sa.Integer(), nullable=False),
        sa.Column("last_daily_claim", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("active_esprit_id", sa.Integer(), nullable=True),
        sa.Column("policy_accepted_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("faylen >= 0", name="ck_user_faylen_nonneg"),
        sa.CheckConstraint("gems >= 0", name="ck_user_gems_nonneg"),
        sa.CheckConstraint("virelite >= 0", name="ck_user_virelite_nonneg"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_faylen"), ["faylen"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_xp"), ["xp"], unique=False)

    op.create_table(
        "ledgerentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("currency", sa.String(length=16), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("created_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.user_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.create_index("ix_ledgerentry_user_id_id", ["user_id", "id"], unique=False)

    op.create_table(
        "pitycounter",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tier", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("pulls_since", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.user_id"],
        ),
        sa.PrimaryKeyConstraint("user_id", "tier"),
    )
    op.create_table(
        "useresprit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("esprit_data_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("current_hp", sa.Integer(), nullable=False),
        sa.Column("current_level", sa.Integer(), nullable=False),
        sa.Column("current_xp", sa.Integer(), nullable=False),
        sa.Column("acquired_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["esprit_data_id"],
            ["espritdata.esprit_id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user.user_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("useresprit", schema=None) as batch_op:
        batch_op.create_index("ix_useresprit_owner_id_id", ["owner_id", "id"], unique=False)

    # user <-> useresprit is a cycle: the active-Esprit key can only be added once both tables exist.
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_user_active_esprit", "useresprit", ["active_esprit_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint("fk_user_active_esprit", type_="foreignkey")
    with op.batch_alter_table("useresprit", schema=None) as batch_op:
        batch_op.drop_index("ix_useresprit_owner_id_id")

    op.drop_table("useresprit")
    op.drop_table("pitycounter")
    with op.batch_alter_table("ledgerentry", schema=None) as batch_op:
        batch_op.drop_index("ix_ledgerentry_user_id_id")

    op.drop_table("ledgerentry")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_xp"))
        batch_op.drop_index(batch_op.f("ix_user_level"))
        batch_op.drop_index(batch_op.f("ix_user_faylen"))

    op.drop_table("user")
    with op.batch_alter_table("espritdata", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_espritdata_rarity"))

    op.drop_table("espritdata")
