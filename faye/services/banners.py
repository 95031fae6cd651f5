"""Banners as players see them, every pull on record, and each player's luck against the exact odds.

Reads only, except `prune` (an admin's deletion of pulls older than the retention, previewed first).

Luck is measured the way the pity counters count: a "hit" of a tier is a pull of that tier or higher, and the
pulls it took are the tier's counter before it plus one (recorded with every pull, so pruning old rows leaves
each remaining hit whole). Where that sits is read off the exact distribution of pulls between two hits in the
long run (`PityChain.after` then `passages`), and the player's rate is set against the published long-run rate
with a Wilson interval, so "unlucky" is a number a player can check rather than a feeling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Row, delete, func, select

from faye.config import Banner, GameConfig
from faye.errors import InvalidArgument, NotFound
from faye.gacha.banners import BannerRule
from faye.inputs import PAGE
from faye.models import PITY, PULLS
from faye.results import (
    BannerList,
    BannerView,
    Cost,
    FeaturedEsprit,
    HitLuck,
    LuckReport,
    PityStanding,
    PullEntry,
    PullHistory,
    PullPrune,
    TierLuck,
)
from faye.services.admin import Actor, AdminService
from faye.services.context import ServiceContext
from faye.services.players import get_player
from faye.services.summon import banner_price

if TYPE_CHECKING:
    from faye.gacha.exact import Passage, PityChain

_ENTRY_COLUMNS = (
    PULLS.c.n,
    PULLS.c.at,
    PULLS.c.banner_id,
    PULLS.c.tier,
    PULLS.c.esprit_data_id,
    PULLS.c.featured,
    PULLS.c.pity_before,
    PULLS.c.guaranteed_before,
)


def find_banner(config: GameConfig, banner_id: str) -> Banner:
    """A banner the game data defines, open or not (history and luck look back); `not_found` otherwise."""
    banner = config.banners_by_id.get(banner_id)
    if banner is None:
        known = ", ".join(b.banner_id for b in config.banners)
        raise NotFound(f"there is no banner {banner_id!r}; banners: {known}", banner=banner_id)
    return banner


def featured_of(config: GameConfig, banner: Banner) -> list[FeaturedEsprit]:
    """The banner's featured Esprits, highest tier first, each tier's in file order."""
    tiers = sorted(banner.featured.items(), key=lambda item: -config.tier_rank.get(item[0], -1))
    return [
        FeaturedEsprit(esprit_id=esprit_id, name=config.esprits_by_id[esprit_id].name, tier=tier)
        for tier, spec in tiers
        for esprit_id in spec.esprits
    ]


def _standing(config: GameConfig, rows: Sequence[tuple[str, int, bool]]) -> PityStanding:
    """A group's standing from its pity rows; a tier with no row yet (a group never pulled in) stands at 0."""
    counters = {tier: int(n) for tier, n, _ in rows}
    pending = {tier for tier, _, guaranteed in rows if guaranteed}
    pity_tiers = [t for t in config.tiers if t.pity is not None]
    return PityStanding(
        pity={t.name: counters.get(t.name, 0) for t in pity_tiers},
        hard_pity={t.name: t.pity.hard for t in pity_tiers if t.pity is not None},
        guaranteed=[name for name in config.tier_names if name in pending],
    )


def _name(config: GameConfig, esprit_data_id: str) -> str:
    """The species' name; its id when the game data no longer defines it (the record outlives the design)."""
    definition = config.esprits_by_id.get(esprit_data_id)
    return esprit_data_id if definition is None else definition.name


def _entry(config: GameConfig, row: Row[*tuple[Any, ...]]) -> PullEntry:
    return PullEntry(
        n=int(row.n),
        at=row.at,
        banner=row.banner_id,
        tier=row.tier,
        esprit_id=row.esprit_data_id,
        name=_name(config, row.esprit_data_id),
        featured=bool(row.featured),
        pity_before={str(k): int(v) for k, v in (row.pity_before or {}).items()},
        guaranteed_before=list(row.guaranteed_before or []),
    )


def banner_view(config: GameConfig, banner: Banner, now: datetime, standing: PityStanding | None = None) -> BannerView:
    """A banner as players see it at `now`, with a player's `standing` on its group when one asked."""
    single = banner_price(config, banner, 1)
    ten = banner_price(config, banner, 10)
    return BannerView(
        banner_id=banner.banner_id,
        name=banner.name,
        kind=banner.kind,
        pity_group=banner.group,
        start=banner.start,
        end=banner.end,
        seconds_left=None if banner.end is None else (banner.end - now).total_seconds(),
        featured=featured_of(config, banner),
        featured_share={tier: spec.featured_share for tier, spec in banner.featured.items()},
        guarantee={tier: spec.guarantee for tier, spec in banner.featured.items()},
        single_cost=Cost(currency=single[0].value, amount=single[1]),
        ten_cost=Cost(currency=ten[0].value, amount=ten[1]),
        standing=standing,
    )


class BannerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._passages: dict[int, Passage] = {}

    @cached_property
    def _chain(self) -> PityChain:
        from faye.gacha.exact import PityChain  # numpy: only luck needs it, not every start of the game

        """The pity rule as an exact chain: built once (a few tens of milliseconds), then only read."""
        return PityChain.of(self._ctx.rarity)

    def _gap(self, tier: int) -> Passage:
        """The exact distribution of pulls between two pulls of `tier` or higher, in the long run."""
        passage = self._passages.get(tier)
        if passage is None:
            chain = self._chain
            (passage,) = chain.passages(chain.after(tier), [tier])
            self._passages[tier] = passage
        return passage

    async def open_now(self, user_id: str | None = None) -> BannerList:
        """The banners open now (standard first, then limited by end), with the player's pity and guarantees
        per banner group when `user_id` is given. Refuses `not_registered` for an unknown player."""
        config = self._ctx.config
        now = self._ctx.clock.now()
        banners = config.open_banners(now)
        standings: dict[str, PityStanding] = {}
        if user_id is not None:
            groups = sorted({b.group for b in banners})
            async with self._ctx.db.read() as session:
                await get_player(session, user_id)
                rows = (
                    await session.execute(
                        select(PITY.c.pity_group, PITY.c.tier, PITY.c.pulls_since, PITY.c.guaranteed).where(
                            PITY.c.user_id == user_id, PITY.c.pity_group.in_(groups)
                        )
                    )
                ).all()
            for group in groups:
                standings[group] = _standing(config, [(t, n, g) for row_group, t, n, g in rows if row_group == group])
        return BannerList(
            at=now, banners=[banner_view(self._ctx.config, b, now, standings.get(b.group)) for b in banners]
        )

    async def history(
        self, user_id: str, *, banner_id: str | None = None, tier: str | None = None, page: int = 1
    ) -> PullHistory:
        """The player's recorded pulls, newest first, optionally of one banner and/or tier. Refuses
        `not_registered`, `not_found` (unknown banner), `invalid_argument` (unknown tier, page out of range)."""
        config = self._ctx.config
        if banner_id is not None:
            find_banner(config, banner_id)
        tier_name = None
        if tier is not None:
            tier_name = config.resolve_tier(tier)
            if tier_name is None:
                raise InvalidArgument(
                    f"unknown tier {tier!r}; expected one of {', '.join(config.tier_names)}", field="tier"
                )
        PAGE.check(page)
        size = config.settings.inventory_page_size
        where = [PULLS.c.user_id == user_id]
        if banner_id is not None:
            where.append(PULLS.c.banner_id == banner_id)
        if tier_name is not None:
            where.append(PULLS.c.tier == tier_name)
        async with self._ctx.db.read() as session:
            await get_player(session, user_id)
            total = int((await session.execute(select(func.count()).select_from(PULLS).where(*where))).scalar_one())
            pages = max(1, math.ceil(total / size))
            if page > pages:
                raise InvalidArgument(
                    f"page {page:,} is beyond the last page ({pages:,}) of {total:,} pulls",
                    field="page",
                    value=page,
                    pages=pages,
                )
            rows = (
                await session.execute(
                    select(*_ENTRY_COLUMNS)
                    .where(*where)
                    .order_by(PULLS.c.n.desc())
                    .offset((page - 1) * size)
                    .limit(size)
                )
            ).all()
        return PullHistory(
            pulls=[_entry(config, row) for row in rows],
            page=page,
            pages=pages,
            total=total,
            banner=banner_id,
            tier=tier_name,
        )

    async def luck(self, user_id: str, *, banner_id: str | None = None) -> LuckReport:
        """For each tier with pity, the pulls each of the player's hits took and where that sits in the exact
        distribution, and their rate against the published one with a 95 % interval. Refuses `not_registered`,
        `not_found`."""
        config = self._ctx.config
        if banner_id is not None:
            find_banner(config, banner_id)
        stmt = select(*_ENTRY_COLUMNS).where(PULLS.c.user_id == user_id).order_by(PULLS.c.n)
        if banner_id is not None:
            stmt = stmt.where(PULLS.c.banner_id == banner_id)
        async with self._ctx.db.read() as session:
            await get_player(session, user_id)
            rows = (await session.execute(stmt)).all()
        entries = [_entry(config, row) for row in rows]
        tiers = [self._tier_luck(config, i, entries) for i, t in enumerate(config.tiers) if t.pity is not None]
        hits, chances, share = _featured_counts(config, entries)
        return LuckReport(
            user_id=user_id,
            banner=banner_id,
            pulls=len(entries),
            tiers=tiers,
            featured_hits=hits,
            featured_chances=chances,
            featured_share=share,
        )

    def _tier_luck(self, config: GameConfig, tier: int, entries: Sequence[PullEntry]) -> TierLuck:
        name = config.tier_names[tier]
        gap = self._gap(tier)
        hits = [
            HitLuck(
                n=entry.n,
                at=entry.at,
                esprit_id=entry.esprit_id,
                name=entry.name,
                tier=entry.tier,
                pulls=entry.pity_before[name] + 1,
                sooner=gap.within(entry.pity_before[name]),
            )
            for entry in entries
            if config.tier_rank.get(entry.tier, -1) >= tier and name in entry.pity_before
        ]
        count = sum(1 for entry in entries if config.tier_rank.get(entry.tier, -1) >= tier)
        published = float(self._chain.rates[tier:].sum())
        from faye.gacha.exact import wilson_interval

        low, high = wilson_interval(count, len(entries))
        return TierLuck(
            tier=name,
            hits=hits,
            mean_pulls=gap.mean,
            pulls=len(entries),
            count=count,
            rate=count / len(entries) if entries else 0.0,
            published_rate=published,
            interval=(low, high),
            consistent=low <= published <= high,
        )

    async def prune(self, actor: Actor, *, apply: bool = False) -> PullPrune:
        """Pull records older than the retention (banners.json `retention_days`, at least 90): counted, and
        deleted only with `apply`. Refuses `forbidden` for a non-admin.

        Each player's latest pull stays, however old: the next summon numbers its pulls on from it, and a
        summon racing the prune reads the same latest number either way."""
        AdminService(self._ctx).authorize(actor)
        before = self._ctx.clock.now() - timedelta(days=self._ctx.config.retention_days)
        newest = PULLS.alias("newest")
        latest = select(func.max(newest.c.n)).where(newest.c.user_id == PULLS.c.user_id).scalar_subquery()
        old = (PULLS.c.at < before, PULLS.c.n < latest)
        if not apply:
            async with self._ctx.db.read() as session:
                rows = (await session.execute(select(func.count()).select_from(PULLS).where(*old))).scalar_one()
            return PullPrune(before=before, rows=int(rows), applied=False)
        async with self._ctx.db.write() as session:
            gone = cast(CursorResult[Any], await session.execute(delete(PULLS).where(*old)))
        return PullPrune(before=before, rows=gone.rowcount, applied=True)


def _featured_counts(config: GameConfig, entries: Sequence[PullEntry]) -> tuple[int, int, float | None]:
    """Featured pulls, pulls of a tier their banner features, and the long-run featured share the rule promises
    for the highest such tier (None when none was counted, or when the banners counted promise different ones)."""
    rules: dict[str, BannerRule] = {}
    hits = chances = 0
    shares: dict[int, set[float]] = {}
    for entry in entries:
        banner = config.banners_by_id.get(entry.banner)
        tier = config.tier_rank.get(entry.tier)
        if banner is None or tier is None or entry.tier not in banner.featured:
            continue
        if banner.banner_id not in rules:
            rules[banner.banner_id] = BannerRule.of(config, banner)
        rule = rules[banner.banner_id]
        chances += 1
        hits += entry.featured
        shares.setdefault(tier, set()).add(rule.tiers[tier].featured_long_run)
    if not shares:
        return hits, chances, None
    top = shares[max(shares)]
    return hits, chances, next(iter(top)) if len(top) == 1 else None
