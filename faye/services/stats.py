"""The game's live figures for the operator's dashboards: money in circulation, what came in and went out in the
last day, and the pulls of the last day by tier next to the rates the players are shown.

faye.metrics reads them at each Prometheus scrape, so they hold in every process and across every process sharing
the database (counters in one bot process would see only its own shards). One read transaction: the figures are
one consistent snapshot, and reading never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import case, func, select

from faye.config import Currency
from faye.models import PULLS, USERS, LedgerEntry, table_of
from faye.services.context import ServiceContext

WINDOW: Final = timedelta(hours=24)
"""How far back the flows and the pull counts look: "per day" on a dashboard."""

_LEDGER = table_of(LedgerEntry)


@dataclass(frozen=True)
class Flow:
    """One currency's movements for one ledger reason over the window, split by sign: what the reason paid out to
    players (a faucet, `daily`, `starting_grant`) and what it took from them (a sink, `summon`, `auction_fee`).
    A transfer between players (`trade`, `auction_buy` / `auction_sale`) shows on both sides."""

    currency: str
    reason: str
    paid_out: int
    taken_in: int


@dataclass(frozen=True)
class TierPulls:
    tier: str
    pulls: int
    """Pulls that gave this tier within the window."""
    published_rate: float
    """The tier's long-run share of pulls, pity included, as the odds disclosure shows it (0.006 is 0.6 %)."""


@dataclass(frozen=True)
class EconomyStats:
    since: datetime
    """Where the window starts: the flows and the pulls are from here to now."""
    circulation: dict[str, int]
    """Per currency, the sum of every player's balance."""
    flows: list[Flow]
    """Per currency and reason, sorted; reasons without a movement in the window are absent."""
    pulls: list[TierPulls]
    """Every tier of the game data, in the odds disclosure's order, with or without pulls."""

    @property
    def total_pulls(self) -> int:
        return sum(tier.pulls for tier in self.pulls)


class StatsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._published: dict[str, float] | None = None

    def published_rates(self) -> dict[str, float]:
        """Each tier's consolidated rate from faye.disclosure, computed once: the game data is frozen for the
        process's life. Imported here, not at the top: the disclosure's exact solver loads numpy, which an
        ordinary command's start must not."""
        if self._published is None:
            from faye.disclosure import disclose_rates

            self._published = {tier.name: tier.consolidated_rate for tier in disclose_rates(self._ctx.config).tiers}
        return self._published

    async def economy(self, window: timedelta = WINDOW) -> EconomyStats:
        """The figures now (the injected clock's now), flows and pulls over the last `window`."""
        published = self.published_rates()
        since = self._ctx.clock.now() - window
        users = USERS.c
        ledger = _LEDGER.c
        async with self._ctx.db.read() as session:
            sums = (
                await session.execute(
                    select(*(func.coalesce(func.sum(users[currency.value]), 0) for currency in Currency))
                )
            ).one()
            flows = (
                await session.execute(
                    select(
                        ledger.currency,
                        ledger.reason,
                        func.sum(case((ledger.delta > 0, ledger.delta), else_=0)),
                        func.sum(case((ledger.delta < 0, -ledger.delta), else_=0)),
                    )
                    .where(ledger.created_at >= since)
                    .group_by(ledger.currency, ledger.reason)
                    .order_by(ledger.currency, ledger.reason)
                )
            ).all()
            pulled = select(PULLS.c.tier, func.count()).where(PULLS.c.at >= since).group_by(PULLS.c.tier)
            counts: dict[str, int] = {tier: int(n) for tier, n in (await session.execute(pulled)).all()}
        return EconomyStats(
            since=since,
            circulation={currency.value: int(total) for currency, total in zip(Currency, sums, strict=True)},
            flows=[Flow(currency, reason, int(paid), int(taken)) for currency, reason, paid, taken in flows],
            pulls=[TierPulls(tier, counts.get(tier, 0), rate) for tier, rate in published.items()],
        )
