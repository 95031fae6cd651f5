"""Summons: pay, draw with pity and the banner's rule, create the Esprits, record every pull, grant XP — one
transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from faye.choices import SUMMON_AMOUNTS
from faye.config import Banner, Currency, GameConfig
from faye.db import retried
from faye.errors import BannerClosed, InvalidAmount, NotFound
from faye.gacha.banners import BannerRule
from faye.models import ESPRITS, PITY, PULLS, EventKind
from faye.results import Cost, SummonedEsprit, SummonResult
from faye.services import history, ledger
from faye.services.context import ServiceContext
from faye.services.growth import share_with_active
from faye.services.limits import LimitService
from faye.services.players import get_player, grant_xp, read_balance

AMOUNTS: Final = SUMMON_AMOUNTS


_store_pity = (
    update(PITY)
    .where(PITY.c.user_id == bindparam("uid"), PITY.c.pity_group == bindparam("g"), PITY.c.tier == bindparam("t"))
    .values(pulls_since=bindparam("n"), guaranteed=bindparam("pending"))
)
_insert_esprits = insert(ESPRITS).returning(ESPRITS.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True, slots=True)
class PityState:
    """One player's counters and pending guarantees in one pity group, by tier name."""

    counters: dict[str, int]
    pending: dict[str, bool]


async def load_pity(session: AsyncSession, config: GameConfig, user_id: str, group: str) -> PityState:
    """The group's counters and guarantees, with zero rows inserted for a tier (or a group) the player has not
    pulled in yet: a new limited group starts fresh, and so does a tier the designers added after registration."""
    stmt = select(PITY.c.tier, PITY.c.pulls_since, PITY.c.guaranteed).where(
        PITY.c.user_id == user_id, PITY.c.pity_group == group
    )
    rows = (await session.execute(stmt)).all()
    counters = {tier: int(n) for tier, n, _ in rows}
    pending = {tier: bool(g) for tier, _, g in rows}
    missing = [tier for tier in config.tier_names if tier not in counters]
    if missing:
        await session.execute(
            insert(PITY),
            [
                {"user_id": user_id, "pity_group": group, "tier": t, "pulls_since": 0, "guaranteed": False}
                for t in missing
            ],
        )
        counters.update(dict.fromkeys(missing, 0))
        pending.update(dict.fromkeys(missing, False))
    return PityState(counters, pending)


async def store_pity(
    session: AsyncSession,
    user_id: str,
    group: str,
    before: PityState,
    names: Sequence[str],
    counters: Sequence[int],
    pending: Sequence[bool],
) -> None:
    """Write the rows that changed, in one executemany."""
    changed = [
        {"uid": user_id, "g": group, "t": name, "n": n, "pending": p}
        for name, n, p in zip(names, counters, pending, strict=True)
        if before.counters[name] != n or before.pending[name] != p
    ]
    if changed:
        await session.execute(_store_pity, changed)


def open_banner(config: GameConfig, banner_id: str | None, at: datetime) -> Banner:
    """The banner to summon on (the standard one by default). Refuses `not_found` for an id the game data does
    not define and `banner_closed` for a limited banner outside its window."""
    if banner_id is None:
        return config.standard_banner
    banner = config.banners_by_id.get(banner_id)
    if banner is None:
        open_now = [b.banner_id for b in config.open_banners(at)]
        raise NotFound(f"there is no banner {banner_id!r}; open now: {', '.join(open_now)}", banner=banner_id)
    if not banner.is_open(at):
        assert banner.start is not None  # only a limited banner closes, and it has both
        assert banner.end is not None
        when = "opens" if at < banner.start else "closed"
        moment = banner.start if at < banner.start else banner.end
        raise BannerClosed(
            f"the banner {banner.name!r} {when} at {moment:%Y-%m-%d %H:%M} UTC",
            banner=banner.banner_id,
            start=banner.start.isoformat(),
            end=banner.end.isoformat(),
        )
    return banner


def banner_price(config: GameConfig, banner: Banner, amount: int) -> tuple[Currency, int]:
    """What `amount` pulls cost on `banner`: its own costs where it sets them, else the game's."""
    settings = config.settings.summon
    currency = banner.cost.currency or settings.currency
    single = banner.cost.single_cost or settings.single_cost
    ten = banner.cost.ten_cost or settings.ten_cost
    return currency, single if amount == 1 else ten


class SummonService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._limits = LimitService(ctx)

    async def summon(self, user_id: str, amount: int, banner_id: str | None = None) -> SummonResult:
        """`amount` pulls on `banner_id` (default: the standard banner). Refuses `invalid_amount`, `rate_limited`
        (the operator's `summon` limit, faye.limits), `not_found` (no such banner), `banner_closed`,
        `not_registered` and `insufficient_funds`; nothing changes then."""
        if amount not in AMOUNTS:
            raise InvalidAmount(f"a summon is 1 or 10 pulls, not {amount}", amount=amount, allowed=list(AMOUNTS))
        await self._limits.take(user_id, "summon")
        return await self._summon(user_id, amount, banner_id)

    @retried
    async def _summon(self, user_id: str, amount: int, banner_id: str | None) -> SummonResult:
        ctx = self._ctx
        config = ctx.config
        settings = config.settings.summon
        now = ctx.clock.now()
        banner = open_banner(config, banner_id, now)
        currency, price = banner_price(config, banner, amount)
        rule = BannerRule.of(config, banner)
        table = ctx.rarity
        names = config.tier_names
        async with ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            await ledger.move(
                session,
                user_id,
                currency,
                -price,
                reason="summon",
                reference=f"{amount}-pull" if banner.kind == "standard" else f"{amount}-pull {banner.banner_id}",
                at=now,
            )
            before = await load_pity(session, config, user_id, rule.group)
            counters = tuple(before.counters[name] for name in names)
            pending = [before.pending[name] for name in names]
            last = (await session.execute(select(func.max(PULLS.c.n)).where(PULLS.c.user_id == user_id))).scalar()
            pulled: list[tuple[str, bool, bool]] = []
            new_rows: list[dict[str, object]] = []
            records: list[dict[str, object]] = []
            for _ in range(amount):
                pity_before = {names[i]: counters[i] for i, r in enumerate(table.rules) if r.pity is not None}
                guaranteed_before = [name for name, p in zip(names, pending, strict=True) if p]
                tier, after = table.pull(counters, ctx.rng.random())
                tier_rule = table.rules[tier]
                at_hard_pity = tier_rule.pity is not None and counters[tier] + 1 >= tier_rule.pity.hard
                counters = after
                drawn = rule.draw(tier, pending[tier], ctx.rng)
                pending[tier] = drawn.pending
                definition = drawn.esprit
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
                records.append(
                    {
                        "user_id": user_id,
                        "banner_id": banner.banner_id,
                        "pity_group": rule.group,
                        "tier": names[tier],
                        "esprit_data_id": definition.esprit_id,
                        "featured": drawn.featured,
                        "pity_before": pity_before,
                        "guaranteed_before": guaranteed_before,
                        "at": now,
                    }
                )
                pulled.append((definition.esprit_id, at_hard_pity, drawn.featured))
            await store_pity(session, user_id, rule.group, before, names, counters, pending)
            ids = [int(pk) for pk in (await session.execute(_insert_esprits, new_rows)).scalars()]
            first = int(last or 0) + 1
            for n, (record, pk) in enumerate(zip(records, ids, strict=True), start=first):
                record["n"] = n
                record["esprit_id"] = pk
            await session.execute(insert(PULLS), records)
            await history.record(
                session,
                [
                    history.event(
                        pk,
                        EventKind.CREATED,
                        user_id,
                        now,
                        source="summon",
                        species=species,
                        pull=n,
                        of=amount,
                        banner=banner.banner_id,
                    )
                    for n, (pk, (species, _, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
                ],
            )
            xp = settings.xp_per_pull * amount
            level_ups = await grant_xp(session, config, user_id, xp, at=now)
            partner = await share_with_active(session, config, user_id, player.active_esprit_id, xp)
            balance = await read_balance(session, user_id)
        esprits = []
        for esprit_pk, (esprit_id, at_hard_pity, featured) in zip(ids, pulled, strict=True):
            definition = config.esprits_by_id[esprit_id]
            esprits.append(
                SummonedEsprit(
                    id=esprit_pk,
                    esprit_id=esprit_id,
                    name=definition.name,
                    rarity=definition.rarity,
                    pity_triggered=at_hard_pity,
                    featured=featured,
                )
            )
        return SummonResult(
            cost=Cost(currency=currency.value, amount=price),
            esprits=esprits,
            pity={r.name: c for r, c in zip(table.rules, counters, strict=True) if r.pity is not None},
            hard_pity={r.name: r.pity.hard for r in table.rules if r.pity is not None},
            xp_gained=xp,
            level_ups=level_ups,
            balance=balance,
            partner=partner,
            banner=banner.banner_id,
            guaranteed=[name for name, p in zip(names, pending, strict=True) if p],
        )
