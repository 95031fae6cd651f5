"""Looking players up, locking them for a write, and growing their XP: shared by every service.

The locks here are steps 1 and 2 of the one lock order (faye.db): the roster, then players by id.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Integer, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.config import GameConfig
from faye.db import in_session
from faye.errors import NotRegistered
from faye.models import USERS, User
from faye.results import Balance, LevelUp
from faye.services import ledger

_users = USERS
_ROSTER_LOCK_KEY = zlib.crc32(b"faye.roster")


async def lock_roster(session: AsyncSession, *, exclusive: bool) -> None:
    """Hold the roster until the transaction ends: shared to add a player (registration), exclusive to remove
    them all (the reset). A reset then waits for the registrations under way and deletes them, and a
    registration that comes later waits for the reset and survives it — never a foreign-key error in between.
    First of all locks (faye.db). SQLite needs none: BEGIN IMMEDIATE admits one writer at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    await session.execute(text(f"SELECT {function}(:key)"), {"key": _ROSTER_LOCK_KEY})


async def lock_players(session: AsyncSession, user_ids: Iterable[str] | None) -> list[str]:
    """Lock the players' rows in id order, every player's when `user_ids` is None; returns the ids that exist,
    sorted. Id order is what keeps two transactions locking overlapping sets of players from deadlocking."""
    stmt = select(_users.c.user_id).order_by(_users.c.user_id).with_for_update()
    if user_ids is not None:
        wanted = sorted(set(user_ids))
        if not wanted:
            return []
        stmt = stmt.where(_users.c.user_id.in_(wanted))
    return list((await session.execute(stmt)).scalars())


async def get_player(session: AsyncSession, user_id: str, *, lock: bool = False) -> User:
    """The player's row; with `lock`, held until the transaction ends (FOR UPDATE; SQLite's BEGIN IMMEDIATE
    already holds the database)."""
    # populate_existing: a Core UPDATE earlier in this transaction (a currency move) must show in the object.
    stmt = select(User).where(col(User.user_id) == user_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    user = (await session.execute(stmt)).scalar_one_or_none()
    if user is None:
        raise NotRegistered(f"{user_id!r} is not registered yet", user_id=user_id)
    return user


_BALANCE = (
    _users.c.user_id,
    _users.c.username,
    _users.c.faylen,
    _users.c.virelite,
    _users.c.gems,
    _users.c.level,
    _users.c.xp,
)

_read_balance = select(*_BALANCE).where(_users.c.user_id == bindparam("uid"))
_grant_xp = (
    update(_users)
    .where(_users.c.user_id == bindparam("uid"))
    .values(xp=_users.c.xp + bindparam("amount", type_=Integer))
    .returning(*_BALANCE, _users.c.active_esprit_id)
)


def read_balance_sync(conn: Connection, user_id: str) -> Balance:
    row = conn.execute(_read_balance, {"uid": user_id}).one()
    return Balance(**row._asdict())


read_balance = in_session(read_balance_sync)


@dataclass(frozen=True, slots=True)
class XpGranted:
    """What `grant_xp_sync` leaves: the level-ups, the balance after them, and the active Esprit's id (read
    in the same UPDATE ... RETURNING, so a summon needs no other read of the player)."""

    level_ups: list[LevelUp]
    balance: Balance
    active_esprit_id: int | None


async def grant_xp(
    session: AsyncSession, config: GameConfig, user_id: str, amount: int, *, at: datetime
) -> list[LevelUp]:
    """Add XP, apply any level-ups and pay their rewards (ledger reason `level_up`)."""
    if amount <= 0:
        return []
    granted = await session.run_sync(lambda sync: grant_xp_sync(sync.connection(), config, user_id, amount, at=at))
    return granted.level_ups


def grant_xp_sync(conn: Connection, config: GameConfig, user_id: str, amount: int, *, at: datetime) -> XpGranted:
    """`grant_xp` on a Core connection, the balance and the active Esprit folded into its UPDATE's RETURNING (read
    again only after a level-up paid rewards)."""
    row = conn.execute(_grant_xp, {"uid": user_id, "amount": amount}).one()
    values = row._asdict()
    active = values.pop("active_esprit_id")
    xp, level = int(values["xp"]), int(values["level"])
    curve = config.settings.xp
    new_level = max(level, curve.level_for(xp))
    if new_level == level:
        return XpGranted([], Balance(**values), active)
    conn.execute(update(_users).where(_users.c.user_id == user_id).values(level=new_level))
    level_ups = []
    for reached in range(level + 1, new_level + 1):
        rewards = {}
        for currency, value in curve.level_up_reward.items():
            if value:
                ledger.move_sync(conn, user_id, currency, value, reason="level_up", reference=f"level {reached}", at=at)
                rewards[currency.value] = value
        level_ups.append(LevelUp(level=reached, rewards=rewards))
    return XpGranted(level_ups, read_balance_sync(conn, user_id), active)
