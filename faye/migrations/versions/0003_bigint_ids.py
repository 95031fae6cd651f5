"""64-bit ids (and XP) on PostgreSQL

Revision ID: 0003_bigint_ids
Revises: 0002_auction
Create Date: 2026-12-02 10:00:00.000000

PostgreSQL's INTEGER (and SERIAL's sequence) stops at 2**31 - 1, so `faye esprit show 2147483648` overflowed the
query parameter instead of finding nothing. The ids players type, every key pointing at them, and the XP total
become BIGINT, and the sequences numbering new rows become bigint too. Every row is kept (a widening cast).

SQLite needs nothing: its INTEGER is already 64-bit, and only an `INTEGER PRIMARY KEY` is the auto-numbered
rowid, so those columns keep their declared type there (faye.models.Id64).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_bigint_ids"
down_revision: str | None = "0002_auction"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column, numbered by a sequence)
COLUMNS = (
    ("useresprit", "id", True),
    ("auctionlisting", "id", True),
    ("ledgerentry", "id", True),
    ("user", "active_esprit_id", False),
    ("auctionlisting", "esprit_id", False),
    ("user", "xp", False),
)


def _widen(to: type[sa.Integer], sequence_type: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    source = sa.BigInteger if to is sa.Integer else sa.Integer
    for table, column, numbered in COLUMNS:
        op.alter_column(table, column, type_=to(), existing_type=source())
        if numbered:
            sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": f'"{table}"', "c": column})
            name = sequence.scalar_one()
            op.execute(f"ALTER SEQUENCE {name} AS {sequence_type}")


def upgrade() -> None:
    _widen(sa.BigInteger, "bigint")


def downgrade() -> None:
    # Fails (and changes nothing: one transaction) if a value no longer fits 32 bits.
    _widen(sa.Integer, "integer")
