"""The dashboards' figures: money in circulation is the sum of the balances, the day's faucets and sinks are the
ledger's movements of the last 24 h by sign, the day's pulls by tier are the pull records', each next to the rate
the disclosure publishes; older movements leave the window, and reading writes nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import GameConfig
from faye.disclosure import disclose_rates
from faye.models import PULLS, LedgerEntry, PullRecord
from faye.services.stats import WINDOW, StatsService
from tests.conftest import CURRENCIES, balances, count_rows, ledger_rows, register


async def play(app: FayeApp) -> None:
    await register(app, "u1")
    await register(app, "u2")
    await app.summons.summon("u1", 10)
    await app.summons.summon("u2", 1)
    await app.economy.daily("u2")


async def test_circulation_flows_and_pulls_match_the_records(app: FayeApp, config: GameConfig) -> None:
    await play(app)
    stats = await StatsService(app.context).economy()

    held: dict[str, int] = defaultdict(int)
    for (_user, currency), balance in (await balances(app)).items():
        held[currency] += balance
    assert stats.circulation == {currency: held[currency] for currency in CURRENCIES}
    assert stats.circulation["gems"] > 0

    paid: dict[tuple[str, str], int] = defaultdict(int)
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for row in await ledger_rows(app):
        (paid if row.delta > 0 else taken)[row.currency, row.reason] += abs(row.delta)
    assert {(f.currency, f.reason): f.paid_out for f in stats.flows if f.paid_out} == dict(paid)
    assert {(f.currency, f.reason): f.taken_in for f in stats.flows if f.taken_in} == dict(taken)
    assert taken["gems", "summon"] == config.settings.summon.ten_cost + config.settings.summon.single_cost
    assert ("gems", "starting_grant") in paid

    async with app.context.db.read() as session:
        tiers = (await session.execute(select(PULLS.c.tier))).scalars().all()
    assert {tier.tier: tier.pulls for tier in stats.pulls if tier.pulls} == dict(Counter(tiers))
    assert stats.total_pulls == 11
    published = {tier.name: tier.consolidated_rate for tier in disclose_rates(config).tiers}
    assert {tier.tier: tier.published_rate for tier in stats.pulls} == published


async def test_the_window_keeps_the_last_day_only(app: FayeApp, clock: FixedClock) -> None:
    await play(app)
    before = await StatsService(app.context).economy()
    clock.advance(WINDOW + timedelta(seconds=1))
    await app.summons.summon("u1", 1)
    after = await StatsService(app.context).economy()

    assert after.since == clock.now() - WINDOW
    assert after.total_pulls == 1
    assert [(f.currency, f.reason, f.paid_out, f.taken_in) for f in after.flows] == [
        ("gems", "summon", 0, app.config.settings.summon.single_cost)
    ]
    assert after.circulation["gems"] == before.circulation["gems"] - app.config.settings.summon.single_cost
    assert after.circulation["faylen"] == before.circulation["faylen"]


async def test_an_empty_game_has_every_tier_at_zero(app: FayeApp, config: GameConfig) -> None:
    stats = await StatsService(app.context).economy()
    assert stats.circulation == dict.fromkeys(CURRENCIES, 0)
    assert stats.flows == []
    assert [(tier.tier, tier.pulls) for tier in stats.pulls] == [(tier.name, 0) for tier in config.tiers]


async def test_reading_writes_nothing(app: FayeApp) -> None:
    await play(app)
    rows = await count_rows(app, LedgerEntry), await count_rows(app, PullRecord)
    await StatsService(app.context).economy()
    assert (await count_rows(app, LedgerEntry), await count_rows(app, PullRecord)) == rows
