"""Summons: pay, draw with pity, create the Esprits, grant XP — one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from faye.choices import SUMMON_AMOUNTS
from faye.db import retried
from faye.errors import InvalidAmount
from faye.models import EventKind, PityCounter, UserEsprit, table_of
from faye.results import Cost, SummonedEsprit, SummonResult
from faye.services import history, ledger
from faye.services.context import ServiceContext
from faye.services.growth import share_with_active
from faye.services.players import get_player, grant_xp, read_balance

AMOUNTS: Final = SUMMON_AMOUNTS


_pity = table_of(PityCounter)
_esprits = table_of(UserEsprit)
_store_pity = (
    update(_pity)
    .where(_pity.c.user_id == bindparam("uid"), _pity.c.tier == bindparam("t"))
    .values(pulls_since=bindparam("n"))
)
_insert_esprits = insert(_esprits).returning(_esprits.c.id, sort_by_parameter_order=True)


async def load_counters(session: AsyncSession, ctx: ServiceContext, user_id: str) -> dict[str, int]:
    """Pity counters by tier, with a zero row inserted for a tier the designers added after registration."""
    stmt = select(_pity.c.tier, _pity.c.pulls_since).where(_pity.c.user_id == user_id)
    by_tier = {tier: int(n) for tier, n in (await session.execute(stmt)).all()}
    missing = [tier for tier in ctx.config.tier_names if tier not in by_tier]
    if missing:
        await session.execute(insert(_pity), [{"user_id": user_id, "tier": t, "pulls_since": 0} for t in missing])
        by_tier.update(dict.fromkeys(missing, 0))
    return by_tier


async def store_counters(
    session: AsyncSession, user_id: str, before: dict[str, int], names: Sequence[str], counters: Sequence[int]
) -> None:
    """Write the counters that changed, in one executemany."""
    changed = [{"uid": user_id, "t": n, "n": v} for n, v in zip(names, counters, strict=True) if before[n] != v]
    if changed:
        await session.execute(_store_pity, changed)


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
            player = await get_player(session, user_id, lock=True)
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
            counters = tuple(rows[name] for name in config.tier_names)
            pulled: list[tuple[str, bool]] = []
            new_rows: list[dict[str, object]] = []
            for _ in range(amount):
                tier, after = table.pull(counters, ctx.rng.random())
                rule = table.rules[tier]
                at_hard_pity = rule.pity is not None and counters[tier] + 1 >= rule.pity.hard
                counters = after
                definition = ctx.rng.choice(config.esprits_by_tier[tier])
                new_rows.append(
                    {
                        "owner_id": user_id,
                        "esprit_data_id": definition.esprit_id,
                        "current_hp": definition.stats.hp,
                        "current_level": 1,
                        "current_xp": 0,
                        "acquired_at": now,
                    }
                )
                pulled.append((definition.esprit_id, at_hard_pity))
            await store_counters(session, user_id, rows, config.tier_names, counters)
            ids = list((await session.execute(_insert_esprits, new_rows)).scalars())
            await history.record(
                session,
                [
                    history.event(
                        int(pk), EventKind.CREATED, user_id, now, source="summon", species=species, pull=n, of=amount
                    )
                    for n, (pk, (species, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
                ],
            )
            level_ups = await grant_xp(session, config, user_id, settings.xp_per_pull * amount, at=now)
            partner = await share_with_active(
                session, config, user_id, player.active_esprit_id, settings.xp_per_pull * amount
            )
            balance = await read_balance(session, user_id)
        esprits = []
        for esprit_pk, (esprit_id, at_hard_pity) in zip(ids, pulled, strict=True):
            definition = config.esprits_by_id[esprit_id]
            esprits.append(
                SummonedEsprit(
                    id=int(esprit_pk),
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
            partner=partner,
        )
