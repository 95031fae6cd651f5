"""forget: deleted players' salted ids, and the rows others keep pointing at an anonymous id

Revision ID: 0008_forget
Revises: 0007_battles
Create Date: 2026-12-02 07:00:00.000000

Forgetting a player (faye.services.privacy) deletes their own rows and re-keys to an anonymous id the rows that
stay for other players' sake or for the ledger's totals: ledger entries, the seller and the buyer of closed
listings, trade sides. Those columns lose their foreign key to `user` (no user row carries an anonymous id).
New tables: `forgottenplayer` (a salted hash of a deleted player's id and the timestamps the anti-abuse rules
need) and `privacysalt` (the one salt, generated at the first deletion). Every existing row is kept as it is.

The downgrade puts the foreign keys back, which fails (changing nothing: one transaction, and on SQLite the
foreign-key check after every schema step) once a player has been forgotten: their anonymised rows name no user.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import faye.models

revision: str = "0008_forget"
down_revision: str | None = "0007_battles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Names unnamed foreign keys so batch mode (SQLite) can drop them (as 0004 does).
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
#: The columns that may hold an anonymous id from now on, per table.
RE_KEYED = {"ledgerentry": ("user_id",), "auctionlisting": ("seller_id", "buyer_id"), "tradeside": ("user_id",)}


def _user_keys(table: str) -> list[str]:
    """The names of `table`'s foreign keys from RE_KEYED's columns to `user` (PostgreSQL's own, or NAMING's)."""
    names = []
    for key in sa.inspect(op.get_bind()).get_foreign_keys(table):
        column = key["constrained_columns"][0]
        if key["referred_table"] == "user" and column in RE_KEYED[table]:
            names.append(key["name"] or f"fk_{table}_{column}_user")
    return names


def upgrade() -> None:
    for table in RE_KEYED:
        names = _user_keys(table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            for name in names:
                batch_op.drop_constraint(name, type_="foreignkey")
    op.create_table(
        "forgottenplayer",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("registered_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_daily_claim", faye.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("forgotten_at", faye.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_table(
        "privacysalt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("privacysalt")
    op.drop_table("forgottenplayer")
    for table, columns in RE_KEYED.items():
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            for column in columns:
                batch_op.create_foreign_key(f"fk_{table}_{column}_user", "user", [column], ["user_id"])
