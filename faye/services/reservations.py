"""Esprits reserved by open trades: every writer that could take an Esprit away (a listing, a release, an
ascension, `active set`, a lock) asks here first, under the owner's lock, so an Esprit in an open trade stays
exactly as it was offered until the trade closes.

A trade past its `expires_at` reserves nothing, even before a sweep closes it; trade writers sweep the expired
trades of the players they lock (`sweep_expired_trades`) before they reserve anything again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from faye.errors import Reserved
from faye.models import TRADE_ITEMS, TRADE_SIDES, TRADES, TradeStatus

OPEN = TradeStatus.OPEN.value


async def reserved_by(session: AsyncSession, esprit_ids: Iterable[int], now: datetime) -> dict[int, int]:
    """Of `esprit_ids`, those offered in a trade still open, with that trade's id."""
    wanted = list(esprit_ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(TRADE_ITEMS.c.esprit_id, TRADE_ITEMS.c.trade_id)
        .join(TRADES, TRADES.c.id == TRADE_ITEMS.c.trade_id)
        .where(
            TRADE_ITEMS.c.reserved.is_(True),
            TRADE_ITEMS.c.esprit_id.in_(wanted),
            TRADES.c.status == OPEN,
            TRADES.c.expires_at > now,
        )
    )
    return {int(esprit_id): int(trade_id) for esprit_id, trade_id in rows.all()}


async def refuse_reserved(session: AsyncSession, esprit_ids: Iterable[int], now: datetime, doing: str) -> None:
    """Raise Reserved for the first of `esprit_ids` offered in an open trade."""
    found = await reserved_by(session, esprit_ids, now)
    if found:
        esprit_id = min(found)
        trade_id = found[esprit_id]
        raise Reserved(
            f"Esprit {esprit_id} is offered in trade {trade_id}; remove it from the trade (or cancel the trade) "
            f"to {doing} it",
            esprit_id=esprit_id,
            trade_id=trade_id,
        )


async def sweep_expired_trades(session: AsyncSession, now: datetime, user_ids: Iterable[str]) -> list[int]:
    """Close the open trades of `user_ids` (whom the caller holds) whose time is up, releasing their reservations;
    returns their ids. A trade is only ever locked by a transaction holding both its traders, so holding one of
    them is enough to close it."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return []
    due = (
        await session.execute(
            select(TRADES.c.id)
            .join(TRADE_SIDES, TRADE_SIDES.c.trade_id == TRADES.c.id)
            .where(TRADE_SIDES.c.user_id.in_(wanted), TRADES.c.status == OPEN, TRADES.c.expires_at <= now)
            .distinct()
        )
    ).scalars()
    ids = sorted(int(i) for i in due)
    if not ids:
        return []
    await session.execute(
        update(TRADES)
        .where(TRADES.c.id.in_(ids), TRADES.c.status == OPEN)
        .values(status=TradeStatus.EXPIRED.value, closed_at=now)
    )
    await session.execute(update(TRADE_ITEMS).where(TRADE_ITEMS.c.trade_id.in_(ids)).values(reserved=False))
    return ids
