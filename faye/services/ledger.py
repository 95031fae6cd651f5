"""Currency movements: the balance check and change in one conditional UPDATE, plus the ledger row.

`UPDATE user SET gems = gems - :cost WHERE user_id = :id AND gems >= :cost RETURNING gems` either moves the
money or matches no row; there is no moment between a check and a write for a concurrent request to slip in.

`move_sync` is the one implementation, on a Core connection (the hot path's `Database.transact`); `move` is the
same in a service's AsyncSession (faye.db.in_session).
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Connection, Integer, Update, bindparam, insert, select, update

from faye.config import Currency
from faye.db import in_session
from faye.errors import InsufficientFunds, NotRegistered
from faye.models import USERS, LedgerEntry, table_of

_users = USERS
_ledger = table_of(LedgerEntry)
_insert_entry = insert(_ledger)


@functools.cache
def _move(currency: Currency, *, spend: bool) -> Update:
    """The conditional UPDATE for one currency, built once (a statement built per call costs more than SQLite
    takes to run it)."""
    column = _users.c[currency.value]
    delta = bindparam("delta", type_=Integer)
    stmt = update(_users).where(_users.c.user_id == bindparam("uid")).values({column: column + delta})
    if spend:
        stmt = stmt.where(column >= -delta)
    return stmt.returning(column)


def move_sync(
    conn: Connection,
    user_id: str,
    currency: Currency,
    delta: int,
    *,
    reason: str,
    at: datetime,
    reference: str | None = None,
) -> int:
    """Add `delta` (negative to spend) to a balance and record it; returns the balance after. On PostgreSQL the
    UPDATE holds the player's row until the transaction ends (the player's lock, step 2 of faye.db's order).

    Raises InsufficientFunds when spending more than the balance, NotRegistered for an unknown player.
    """
    balance = conn.execute(_move(currency, spend=delta < 0), {"uid": user_id, "delta": delta}).scalar_one_or_none()
    if balance is None:
        column = _users.c[currency.value]
        have = conn.execute(select(column).where(_users.c.user_id == user_id)).scalar_one_or_none()
        if have is None:
            raise NotRegistered(f"{user_id!r} is not registered yet", user_id=user_id)
        raise InsufficientFunds(
            f"this needs {-delta:,} {currency.value} and you have {have:,}",
            currency=currency.value,
            needed=-delta,
            balance=have,
        )
    conn.execute(
        _insert_entry,
        {
            "user_id": user_id,
            "currency": currency.value,
            "delta": delta,
            "balance_after": balance,
            "reason": reason,
            "reference": reference,
            "created_at": at,
        },
    )
    return int(balance)


move = in_session(move_sync)
