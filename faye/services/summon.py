"""Summons: pay, draw with pity and the banner's rule, create the Esprits, record every pull, grant XP — one
transaction, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, and_, bindparam, func, insert, select, update

from faye.choices import SUMMON_AMOUNTS
from faye.config import Banner, Currency, GameConfig
from faye.db import retried
from faye.errors import BannerClosed, InvalidAmount, NotFound
from faye.gacha.banners import BannerRule
from faye.models import ESPRITS, PITY, PULLS, EventKind
from faye.results import Cost, SummonedEsprit, SummonResult
from faye.services import history, ledger
from faye.services.context import ServiceContext
from faye.services.growth import share_with_active_sync
from faye.services.limits import LimitService
from faye.services.players import grant_xp_sync

AMOUNTS: Final = SUMMON_AMOUNTS


_store_pity = (
    update(PITY)
    .where(PITY.c.user_id == bindparam("uid"), PITY.c.pity_group == bindparam("g"), PITY.c.tier == bindparam("t"))
    .values(pulls_since=bindparam("n"), guaranteed=bindparam("pending"))
)
# No sort_by_parameter_order: SQLite would then insert row by row. Rows of one species are identical, so the ids
# are matched to the rows by species (`ids_in_pull_order`), whatever order RETURNING gives them in.
_insert_esprits = insert(ESPRITS).returning(ESPRITS.c.id, ESPRITS.c.esprit_data_id)
_insert_pulls = insert(PULLS)
_last_pull = select(func.max(PULLS.c.n).label("last")).where(PULLS.c.user_id == bindparam("uid")).subquery()
_load_pity = select(_last_pull.c.last, PITY.c.tier, PITY.c.pulls_since, PITY.c.guaranteed).select_from(
    _last_pull.outerjoin(PITY, and_(PITY.c.user_id == bindparam("uid"), PITY.c.pity_group == bindparam("g")))
)


@dataclass(frozen=True, slots=True)
class PityState:
    """One player's counters and pending guarantees in one pity group, by tier name, and their last pull's
    number (0 before the first)."""

    counters: dict[str, int]
    pending: dict[str, bool]
    last_pull: int


def load_pity(conn: Connection, config: GameConfig, user_id: str, group: str) -> PityState:
    """The group's counters and guarantees and the player's last pull number, in one statement (the pull count
    LEFT JOINed to the counters, so it comes back also when the group has no rows yet). Zero rows are inserted
    for a tier (or a group) the player has not pulled in yet: a new limited group starts fresh, and so does a
    tier the designers added after registration."""
    rows = conn.execute(_load_pity, {"uid": user_id, "g": group}).all()
    counters = {tier: int(n) for _, tier, n, _ in rows if tier is not None}
    pending = {tier: bool(g) for _, tier, _, g in rows if tier is not None}
    missing = [tier for tier in config.tier_names if tier not in counters]
    if missing:
        conn.execute(
            insert(PITY),
            [
                {"user_id": user_id, "pity_group": group, "tier": t, "pulls_since": 0, "guaranteed": False}
                for t in missing
            ],
        )
        counters.update(dict.fromkeys(missing, 0))
        pending.update(dict.fromkeys(missing, False))
    return PityState(counters, pending, int(rows[0][0] or 0))


def store_pity(
    conn: Connection,
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
        conn.execute(_store_pity, changed)


def ids_in_pull_order(returned: Sequence[tuple[int, str]], species: Sequence[str]) -> list[int]:
    """The new rows' ids in pull order: per species, ascending ids to that species' pulls in turn."""
    by_species: dict[str, list[int]] = defaultdict(list)
    for pk, esprit_id in sorted(returned):
        by_species[esprit_id].append(int(pk))
    taken = dict.fromkeys(by_species, 0)
    ids = []
    for esprit_id in species:
        ids.append(by_species[esprit_id][taken[esprit_id]])
        taken[esprit_id] += 1
    return ids


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
        now = ctx.clock.now()
        banner = open_banner(ctx.config, banner_id, now)
        return await ctx.db.transact(lambda conn: self._pull(conn, user_id, amount, banner, now))

    def _pull(self, conn: Connection, user_id: str, amount: int, banner: Banner, now: datetime) -> SummonResult:
        """The summon's transaction, on one Core connection (`Database.transact`): pay (the UPDATE that also
        locks the player), read the pity state, draw, write the Esprits, their pulls and their histories, grant
        XP (whose RETURNING brings the balance and the active Esprit). Eleven statements; no ORM object."""
        ctx = self._ctx
        config = ctx.config
        settings = config.settings.summon
        currency, price = banner_price(config, banner, amount)
        rule = BannerRule.of(config, banner)
        table = ctx.rarity
        names = config.tier_names
        ledger.move_sync(
            conn,
            user_id,
            currency,
            -price,
            reason="summon",
            reference=f"{amount}-pull" if banner.kind == "standard" else f"{amount}-pull {banner.banner_id}",
            at=now,
        )
        before = load_pity(conn, config, user_id, rule.group)
        counters = tuple(before.counters[name] for name in names)
        pending = [before.pending[name] for name in names]
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
        store_pity(conn, user_id, rule.group, before, names, counters, pending)
        returned = [(int(pk), str(esprit_id)) for pk, esprit_id in conn.execute(_insert_esprits, new_rows)]
        ids = ids_in_pull_order(returned, [species for species, _, _ in pulled])
        for n, (record, pk) in enumerate(zip(records, ids, strict=True), start=before.last_pull + 1):
            record["n"] = n
            record["esprit_id"] = pk
        conn.execute(_insert_pulls, records)
        history.record_sync(
            conn,
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
        granted = grant_xp_sync(conn, config, user_id, xp, at=now)
        partner = share_with_active_sync(conn, config, user_id, granted.active_esprit_id, xp)
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
            level_ups=granted.level_ups,
            balance=granted.balance,
            partner=partner,
            banner=banner.banner_id,
            guaranteed=[name for name, p in zip(names, pending, strict=True) if p],
        )
