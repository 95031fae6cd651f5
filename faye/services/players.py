"""Looking players up, locking them for a write, and growing their XP: shared by every service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.config import GameConfig
from faye.errors import NotRegistered
from faye.models import USERS, User
from faye.services import ledger
from faye.results import Balance, LevelUp

_users = USERS


async def get_player(session: AsyncSession, user_id: str, *, lock: bool = False) -> User:
    """The player's row; with `lock`, held until the transaction ends (FOR UPDATE; SQLite's BEGIN IMMEDIATE
    already holds the database)."""
    # populate_existing: a Core UPDATE earlier in this transaction (a currency move) must show in the object.
    stmt = select(User).where(col(User.user_id) == user_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    user = (await session.execute(stmt)).scalar_one_or_none()
    if user is None:
        raise NotRegistered(
            f"{user_id!r} is not registered yet: start with `start` (or /start in Discord)", user_id=user_id
        )
    return user


async def read_balance(session: AsyncSession, user_id: str) -> Balance:
    row = (
        await session.execute(
            select(
                _users.c.user_id,
                _users.c.username,
                _users.c.faylen,
                _users.c.virelite,
                _users.c.gems,
                _users.c.level,
                _users.c.xp,
            ).where(_users.c.user_id == user_id)
        )
    ).one()
    return Balance(**row._asdict())


async def grant_xp(
    session: AsyncSession, config: GameConfig, user_id: str, amount: int, *, at: datetime
) -> list[LevelUp]:
    """Add XP, apply any level-ups and pay their rewards (ledger reason `level_up`)."""
    if amount <= 0:
        return []
    xp, level = (
        await session.execute(
            update(_users)
            .where(_users.c.user_id == user_id)
            .values(xp=_users.c.xp + amount)
            .returning(_users.c.xp, _users.c.level)
        )
    ).one()
    curve = config.settings.xp
    new_level = max(level, curve.level_for(xp))
    if new_level == level:
        return []
    await session.execute(update(_users).where(_users.c.user_id == user_id).values(level=new_level))
    level_ups = []
    for reached in range(level + 1, new_level + 1):
        rewards = {}
        for currency, value in curve.level_up_reward.items():
            if value:
                await ledger.move(
                    session, user_id, currency, value, reason="level_up", reference=f"level {reached}", at=at
                )
                rewards[currency.value] = value
        level_ups.append(LevelUp(level=reached, rewards=rewards))
    return level_ups
