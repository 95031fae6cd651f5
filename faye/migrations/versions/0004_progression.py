"""progression: ascension and locks on Esprits, and the history of every Esprit

Revision ID: 0004_progression
Revises: 0003_bigint_ids
Create Date: 2026-12-02 01:00:00.000000

Esprits gain an ascension rank and a lock (both 0/false for every Esprit that exists), their XP into a level
becomes 64-bit like the player's, and `espritevent` records every event in an Esprit's life. Every existing
Esprit gets the history it would have had: `created` when it was acquired (its source is unknown: "before
history"), and `escrowed` with its listing when it sits in an open one, so the audit finds every history
unbroken from the first day.

A consumed or released Esprit is deleted, while the listings it was sold through stay on record: the foreign
key from `auctionlisting.esprit_id` goes (the audit checks that every open listing holds an Esprit that exists),
and each listing keeps the species and level it was listed at, so a past sale stays readable. On SQLite the
Esprit table is rebuilt with AUTOINCREMENT, so a deleted Esprit's id is never given to a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0004_progression"
down_revision: str | None = "0003_bigint_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Names the unnamed foreign keys of 0002 so batch mode (SQLite) can drop one; PostgreSQL named it itself.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SQLITE_FK = "fk_auctionlisting_esprit_id_useresprit"
POSTGRES_FK = "auctionlisting_esprit_id_fkey"


def upgrade() -> None:
    bind = op.get_bind()
    # SQLite gives a new row max(id) + 1, so the id of a released newest Esprit would name the next one (which
    # would inherit its history); AUTOINCREMENT never hands an id out twice, like PostgreSQL's sequences. The
    # rebuilt table starts its counter at the largest id there is.
    rebuild: dict[str, Any] = (
        {"recreate": "always", "table_kwargs": {"sqlite_autoincrement": True}} if bind.dialect.name == "sqlite" else {}
    )
    with op.batch_alter_table("useresprit", schema=None, **rebuild) as batch_op:
        batch_op.add_column(sa.Column("ascension", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked", sa.Boolean(), server_default=sa.text("false"), nullable=False))
        if bind.dialect.name == "postgresql":
            batch_op.alter_column("current_xp", type_=sa.BigInteger(), existing_type=sa.Integer())

    op.create_table(
        "espritevent",
        sa.Column("id", faye.models.Id64, nullable=False),
        sa.Column("esprit_id", faye.models.Id64, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_espritevent_esprit_id_id", "espritevent", ["esprit_id", "id"], unique=False)

    if bind.dialect.name == "postgresql":
        op.drop_constraint(POSTGRES_FK, "auctionlisting", type_="foreignkey")
    with op.batch_alter_table("auctionlisting", naming_convention=NAMING) as batch_op:
        if bind.dialect.name != "postgresql":
            batch_op.drop_constraint(SQLITE_FK, type_="foreignkey")
        batch_op.add_column(sa.Column("esprit_data_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("level", sa.Integer(), nullable=True))
    # Every listing so far holds an Esprit that still exists: nothing could be released before this revision.
    op.execute(
        "UPDATE auctionlisting SET "
        "esprit_data_id = (SELECT esprit_data_id FROM useresprit WHERE useresprit.id = auctionlisting.esprit_id), "
        "level = (SELECT current_level FROM useresprit WHERE useresprit.id = auctionlisting.esprit_id)"
    )
    with op.batch_alter_table("auctionlisting", schema=None) as batch_op:
        batch_op.alter_column("esprit_data_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("level", existing_type=sa.Integer(), nullable=False)

    # The history each Esprit would have had: created when acquired, then escrowed if it is listed now.
    json = "" if bind.dialect.name == "sqlite" else "::json"
    op.execute(
        f"""
        INSERT INTO espritevent (esprit_id, kind, owner_id, detail, at)
        SELECT e.id, 'created', COALESCE(e.owner_id, l.seller_id),
               ('{{"source": "before_history", "species": "' || e.esprit_data_id || '"}}'){json}, e.acquired_at
        FROM useresprit e LEFT JOIN auctionlisting l ON l.esprit_id = e.id AND l.status = 'open'
        ORDER BY e.id
        """
    )
    cast = "CAST(l.id AS TEXT)" if bind.dialect.name == "sqlite" else "l.id::text"
    op.execute(
        f"""
        INSERT INTO espritevent (esprit_id, kind, owner_id, detail, at)
        SELECT e.id, 'escrowed', NULL, ('{{"listing_id": ' || {cast} || '}}'){json}, l.created_at
        FROM useresprit e JOIN auctionlisting l ON l.esprit_id = e.id AND l.status = 'open'
        WHERE e.owner_id IS NULL
        ORDER BY e.id
        """
    )


def downgrade() -> None:
    # Fails (and changes nothing: one transaction) on PostgreSQL if a listing names an Esprit that is gone.
    bind = op.get_bind()
    with op.batch_alter_table("auctionlisting", naming_convention=NAMING) as batch_op:
        batch_op.drop_column("level")
        batch_op.drop_column("esprit_data_id")
        if bind.dialect.name != "postgresql":
            batch_op.create_foreign_key(SQLITE_FK, "useresprit", ["esprit_id"], ["id"])
    if bind.dialect.name == "postgresql":
        op.create_foreign_key(POSTGRES_FK, "auctionlisting", "useresprit", ["esprit_id"], ["id"])
    op.drop_index("ix_espritevent_esprit_id_id", table_name="espritevent")
    op.drop_table("espritevent")
    with op.batch_alter_table("useresprit", schema=None) as batch_op:
        if bind.dialect.name == "postgresql":
            batch_op.alter_column("current_xp", type_=sa.Integer(), existing_type=sa.BigInteger())
        batch_op.drop_column("locked")
        batch_op.drop_column("ascension")
