"""Trade races in separate OS processes, on SQLite and PostgreSQL: a trade executes once, and whatever races it,
nothing is lost, duplicated or left reserved."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta

import pytest

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from faye.services.trades import Offer
from tests.conftest import START, assert_conserved, ledger_rows, open_app, register
from tests.service import trade_worker

pytestmark = pytest.mark.slow

#: When the traders are old enough to trade currency, and the trades were opened.
OPENED = START + timedelta(hours=25)
#: When the racing processes act: past the confirm delay, before the expiry.
RACE_AT = OPENED + timedelta(seconds=30)


def race(db_url: str, calls: list[tuple[str, str, int, str]]) -> list[str]:
    """Run every call in its own process at RACE_AT, all released at once by a barrier; their outcomes in order."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    with ProcessPoolExecutor(
        len(calls), mp_context=context, initializer=trade_worker.init, initargs=(barrier,)
    ) as pool:
        futures = [
            pool.submit(trade_worker.act, db_url, RACE_AT.isoformat(), action, user, target, other)
            for action, user, target, other in calls
        ]
        return [f.result(timeout=300) for f in futures]


async def setup(app: FayeApp, *users: str) -> dict[str, OwnedEsprit]:
    """Players old and advanced enough to trade currency, each with one spare (not active) Esprit."""
    spares = {}
    for user in users:
        await register(app, user)
        await app.admin.grant(CONSOLE, user, "gems", 20 * app.config.settings.summon.ten_cost)
        while (await app.economy.profile(user)).level < app.config.settings.trade.min_level:
            await app.summons.summon(user, 10)
        await app.summons.summon(user, 1)
        newest = (await app.collection.inventory(user, sort="newest")).items[0]
        spares[user] = newest
    return spares


def at(moment: datetime) -> FixedClock:
    """A clock for the set-up, stopped at `moment`."""
    return FixedClock(moment)


async def test_both_traders_confirming_at_once_execute_the_trade_once(db_url: str) -> None:
    async with open_app(db_url, at(START)) as app:
        spares = await setup(app, "ana", "ben")
    async with open_app(db_url, at(OPENED)) as app:
        trade = await app.trades.offer(
            "ana", "ben", Offer(esprits=(spares["ana"].id,), faylen=100), Offer(esprits=(spares["ben"].id,))
        )
    outcomes = race(db_url, [("confirm", "ana", trade.id, ""), ("confirm", "ben", trade.id, "")])
    assert outcomes == ["ok", "ok"]
    async with open_app(db_url, at(RACE_AT)) as app:
        assert (await app.trades.show(None, trade.id)).status == "executed"
        assert len(await ledger_rows(app, reason="trade")) == 2
        assert [e.id for e in await app.collection.owned("ben", [spares["ana"].id])] == [spares["ana"].id]
        assert (await app.admin.audit(CONSOLE)).problems == []
        await assert_conserved(app)


async def test_execution_racing_everything_else_that_could_take_the_esprit(db_url: str) -> None:
    async with open_app(db_url, at(START)) as app:
        spares = await setup(app, "ana", "ben", "cleo")
    fox = spares["ana"].id
    async with open_app(db_url, at(OPENED)) as app:
        trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox,)), Offer())
    async with open_app(db_url, at(OPENED + timedelta(seconds=10))) as app:
        await app.trades.confirm("ben", trade.id)
    calls = [
        ("confirm", "ana", trade.id, ""),
        ("list", "ana", fox, ""),
        ("release", "ana", fox, ""),
        ("active", "ana", fox, ""),
        ("ascend", "ana", fox, ""),
        ("offer", "ana", fox, "cleo"),
    ]
    outcomes = race(db_url, calls)
    assert outcomes[0] == "ok"
    assert all(outcome in {"reserved", "not_owner"} for outcome in outcomes[1:]), outcomes
    async with open_app(db_url, at(RACE_AT)) as app:
        assert [e.id for e in await app.collection.owned("ben", [fox])] == [fox]
        assert (await app.auction.browse()).total == 0
        assert (await app.admin.audit(CONSOLE)).problems == []
        await assert_conserved(app)


async def test_a_currency_side_racing_its_trader_s_spending_and_summons(db_url: str) -> None:
    async with open_app(db_url, at(START)) as app:
        spares = await setup(app, "ana", "ben")
    async with open_app(db_url, at(OPENED)) as app:
        everything = (await app.economy.profile("ana")).faylen
        trade = await app.trades.offer("ana", "ben", Offer(faylen=everything), Offer(esprits=(spares["ben"].id,)))
    async with open_app(db_url, at(OPENED + timedelta(seconds=10))) as app:
        await app.trades.confirm("ben", trade.id)
    calls = [("confirm", "ana", trade.id, ""), ("train", "ana", spares["ana"].id, ""), ("summon", "ana", 0, "")]
    outcomes = race(db_url, calls)
    assert outcomes[2] == "ok", outcomes  # the summon pays in gems, which no trade moves
    assert Counter(outcomes[:2]) == {"ok": 1, "insufficient_funds": 1}, outcomes
    async with open_app(db_url, at(RACE_AT)) as app:
        status = (await app.trades.show(None, trade.id)).status
        assert status == ("executed" if outcomes[0] == "ok" else "open")
        assert (await app.economy.profile("ana")).faylen >= 0
        assert (await app.admin.audit(CONSOLE)).problems == []
        await assert_conserved(app)


async def test_one_esprit_offered_in_two_trades_at_once_is_reserved_once(db_url: str) -> None:
    async with open_app(db_url, at(START)) as app:
        spares = await setup(app, "ana", "ben", "cleo")
    fox = spares["ana"].id
    outcomes = race(db_url, [("offer", "ana", fox, "ben"), ("offer", "ana", fox, "cleo")])
    assert Counter(outcomes) == {"ok": 1, "reserved": 1}, outcomes
    async with open_app(db_url, at(RACE_AT)) as app:
        assert len((await app.trades.mine("ana")).trades) == 1
        assert (await app.admin.audit(CONSOLE)).problems == []
