"""Currency movements: the balance check and change in one conditional UPDATE, plus the ledger row.

`UPDATE user SET gems = gems - :cost WHERE user_id = :id AND gems >= :cost RETURNING gems` either moves the
money or matches no row; there is no moment between a check and a write for a concurrent request to slip in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from faye.config import Currency
from faye.errors import InsufficientFunds, NotRegistered
from faye.models import USERS, LedgerEntry, table_of

_users = USERS
_ledger = table_of(LedgerEntry)


async def move(
    session: AsyncSession,
    user_id: str,
    currency: Currency,
    delta: int,
    *,
    reason: str,
    at: datetime,
    reference: str | None = None,
) -> int:
    """Add `delta` (negative to spend) to a balance and record it; returns the balance after.

    Raises InsufficientFunds when spending more than the balance, NotRegistered for an unknown player.
    """
    column = _users.c[currency.value]
    stmt = update(_users).where(_users.c.user_id == user_id).values({column: column + delta}).returning(column)
    if delta < 0:
        stmt = stmt.where(column >= -delta)
    balance = (await session.execute(stmt)).scalar_one_or_none()
    if balance is None:
        have = (await session.execute(select(column).where(_users.c.user_id == user_id))).scalar_one_or_none()
        if have is None:
            raise NotRegistered(f"{user_id!r} is not registered", user_id=user_id)
        raise InsufficientFunds(
            f"this needs {-delta:,} {currency.value} and you have {have:,}",
            currency=currency.value,
            needed=-delta,
            balance=have,
        )
    await session.execute(
        insert(_ledger).values(
            user_id=user_id,
            currency=currency.value,
            delta=delta,
            balance_after=balance,
            reason=reason,
            reference=reference,
            created_at=at,
        )
    )
    return int(balance)
