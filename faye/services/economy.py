"""Profiles and daily rewards."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.clock import describe_wait
from faye.db import retried
from faye.errors import CooldownActive
from faye.models import USERS, EspritData, UserEsprit
from faye.results import DailyClaim, Profile
from faye.services import ledger
from faye.services.collection import fetch_esprit, to_owned
from faye.services.context import ServiceContext
from faye.services.filters import rarity_rank
from faye.services.growth import share_with_active
from faye.services.players import get_player, grant_xp, read_balance

_users = USERS


async def load_profile(session: AsyncSession, ctx: ServiceContext, user_id: str) -> Profile:
    user = await get_player(session, user_id)
    curve = ctx.config.settings.xp
    rows = await session.execute(
        select(col(EspritData.rarity), func.count())
        .select_from(UserEsprit)
        .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
        .where(col(UserEsprit.owner_id) == user_id)
        .group_by(col(EspritData.rarity))
    )
    per_rarity = {str(rarity): int(n) for rarity, n in rows.all()}
    by_rarity = {tier: per_rarity.get(tier, 0) for tier in ctx.config.tier_names}
    active = None
    if user.active_esprit_id is not None:
        esprit, data = await fetch_esprit(session, user.active_esprit_id)
        active = to_owned(esprit, data, user.active_esprit_id, ctx.config)
    best = (
        await session.execute(
            select(UserEsprit, EspritData)
            .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
            .where(col(UserEsprit.owner_id) == user_id)
            .order_by(
                col(UserEsprit.ascension).desc(),
                col(UserEsprit.current_level).desc(),
                rarity_rank(ctx.config).desc(),
                col(UserEsprit.id),
            )
            .limit(1)
        )
    ).one_or_none()
    next_daily = None
    if user.last_daily_claim is not None:
        opens = user.last_daily_claim + timedelta(hours=ctx.config.settings.daily.cooldown_hours)
        next_daily = opens if opens > ctx.clock.now() else None
    at_max = user.level >= curve.max_level
    return Profile(
        user_id=user.user_id,
        username=user.username,
        faylen=user.faylen,
        virelite=user.virelite,
        gems=user.gems,
        level=user.level,
        xp=user.xp,
        xp_into_level=user.xp - curve.total_xp_for(user.level),
        xp_for_next_level=None if at_max else curve.xp_to_next(user.level),
        daily_streak=user.daily_streak,
        next_daily_at=next_daily,
        collection_size=sum(per_rarity.values()),
        collection_by_rarity=by_rarity,
        active_esprit=active,
        created_at=user.created_at,
        best_esprit=None if best is None else to_owned(best[0], best[1], user.active_esprit_id, ctx.config),
    )


class EconomyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def profile(self, user_id: str) -> Profile:
        async with self._ctx.db.read() as session:
            return await load_profile(session, self._ctx, user_id)

    @retried
    async def daily(self, user_id: str) -> DailyClaim:
        """Claim the daily reward: once per cooldown, scaled by level, boosted by an unbroken streak."""
        settings = self._ctx.config.settings.daily
        cooldown = timedelta(hours=settings.cooldown_hours)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            user = await get_player(session, user_id, lock=True)
            last = user.last_daily_claim
            if last is not None and now < last + cooldown:
                raise self._cooldown(last + cooldown, now)
            kept = last is not None and now - last <= timedelta(hours=settings.streak_window_hours)
            streak = user.daily_streak + 1 if kept else 1
            # The claim itself is conditional, so even without the lock two claims could not both pass.
            claimed = (
                await session.execute(
                    update(_users)
                    .where(
                        _users.c.user_id == user_id,
                        or_(_users.c.last_daily_claim.is_(None), _users.c.last_daily_claim <= now - cooldown),
                    )
                    .values(last_daily_claim=now, daily_streak=streak)
                    .returning(_users.c.user_id)
                )
            ).scalar_one_or_none()
            if claimed is None:
                raise self._cooldown(now + cooldown, now)
            rewards: dict[str, int] = {}
            for currency, amount in settings.reward(user.level, streak).items():
                if amount > 0:
                    await ledger.move(
                        session,
                        user_id,
                        currency,
                        amount,
                        reason="daily",
                        reference=f"streak {streak}",
                        at=now,
                    )
                    rewards[currency.value] = amount
            level_ups = await grant_xp(session, self._ctx.config, user_id, settings.xp, at=now)
            partner = await share_with_active(session, self._ctx.config, user_id, user.active_esprit_id, settings.xp)
            balance = await read_balance(session, user_id)
        return DailyClaim(
            rewards=rewards,
            xp_gained=settings.xp,
            streak=streak,
            streak_bonus=float(settings.streak_bonus(streak)),
            claimed_at=now,
            next_claim_at=now + cooldown,
            level_ups=level_ups,
            balance=balance,
            partner=partner,
        )

    @staticmethod
    def _cooldown(opens: datetime, now: datetime) -> CooldownActive:
        return CooldownActive(
            f"your daily reward is already claimed; the next one opens at {opens:%Y-%m-%d %H:%M} UTC "
            f"(in {describe_wait(opens - now)})",
            next_claim_at=opens,
        )
