"""Summons: pay, draw with pity, create the Esprits, grant XP — one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.choices import SUMMON_AMOUNTS
from faye.db import retried
from faye.errors import InvalidAmount
from faye.models import PityCounter, UserEsprit
from faye.results import Cost, SummonedEsprit, SummonResult
from faye.services import ledger
from faye.services.context import ServiceContext
from faye.services.players import get_player, grant_xp, read_balance

AMOUNTS: Final = SUMMON_AMOUNTS


async def load_counters(session: AsyncSession, ctx: ServiceContext, user_id: str) -> dict[str, PityCounter]:
    rows = (await session.execute(select(PityCounter).where(col(PityCounter.user_id) == user_id))).scalars()
    by_tier = {row.tier: row for row in rows}
    for tier in ctx.config.tier_names:
        if tier not in by_tier:  # a tier the designers added after this player registered
            by_tier[tier] = PityCounter(user_id=user_id, tier=tier, pulls_since=0)
            session.add(by_tier[tier])
    return by_tier


def store_counters(rows: dict[str, PityCounter], names: Sequence[str], counters: Sequence[int]) -> None:
    for name, value in zip(names, counters, strict=True):
        rows[name].pulls_since = value


class SummonService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @retried
    async def summon(self, user_id: str, amount: int) -> SummonResult:
        if amount not in AMOUNTS:
            raise InvalidAmount(f"a summon is 1 or 10 pulls, not {amount}", amount=amount, allowed=list(AMOUNTS))
        ctx = self._ctx
        config = ctx.config
        settings = config.settings.summon
        price = settings.cost(amount)
        table = ctx.rarity
        now = ctx.clock.now()
        async with ctx.db.write() as session:
            await get_player(session, user_id, lock=True)
            await ledger.move(
                session,
                user_id,
                settings.currency,
                -price,
                reason="summon",
                reference=f"{amount}-pull",
                at=now,
            )
            rows = await load_counters(session, ctx, user_id)
            counters = tuple(rows[name].pulls_since for name in config.tier_names)
            pulled: list[tuple[UserEsprit, str, bool]] = []
            for _ in range(amount):
                tier, after = table.pull(counters, ctx.rng.random())
                rule = table.rules[tier]
                at_hard_pity = rule.pity is not None and counters[tier] + 1 >= rule.pity.hard
                counters = after
                definition = ctx.rng.choice(config.esprits_by_tier[tier])
                esprit = UserEsprit(
                    owner_id=user_id,
                    esprit_data_id=definition.esprit_id,
                    current_hp=definition.stats.hp,
                    acquired_at=now,
                )
                session.add(esprit)
                pulled.append((esprit, definition.esprit_id, at_hard_pity))
            store_counters(rows, config.tier_names, counters)
            await session.flush()
            level_ups = await grant_xp(session, config, user_id, settings.xp_per_pull * amount, at=now)
            balance = await read_balance(session, user_id)
        esprits = []
        for esprit, esprit_id, at_hard_pity in pulled:
            assert esprit.id is not None
            definition = config.esprits_by_id[esprit_id]
            esprits.append(
                SummonedEsprit(
                    id=esprit.id,
                    esprit_id=esprit_id,
                    name=definition.name,
                    rarity=definition.rarity,
                    pity_triggered=at_hard_pity,
                )
            )
        pity = {r.name: c for r, c in zip(table.rules, counters, strict=True) if r.pity is not None}
        return SummonResult(
            cost=Cost(currency=settings.currency.value, amount=price),
            esprits=esprits,
            pity=pity,
            hard_pity={r.name: r.pity.hard for r in table.rules if r.pity is not None},
            xp_gained=settings.xp_per_pull * amount,
            level_ups=level_ups,
            balance=balance,
        )
