"""Races in separate OS processes, on SQLite and PostgreSQL: whatever the interleaving, nothing is lost or
duplicated."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest

from faye.services.admin import CONSOLE
from tests.auction import worker
from tests.conftest import assert_conserved, ledger_rows, open_app, register

pytestmark = pytest.mark.slow


def race(db_url: str, calls: list[tuple[str, str, int]]) -> list[str]:
    """Run every call in its own process, all released at once by a barrier; their outcomes in order."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    with ProcessPoolExecutor(len(calls), mp_context=context, initializer=worker.init, initargs=(barrier,)) as pool:
        futures = [pool.submit(worker.act, db_url, action, user, target) for action, user, target in calls]
        return [f.result(timeout=300) for f in futures]


async def test_twenty_buyers_one_listing(db_url: str) -> None:
    buyers = [f"b{i:02d}" for i in range(20)]
    async with open_app(db_url) as app:
        esprit = (await register(app, "sel")).starter.id
        for buyer in buyers:
            await register(app, buyer)
        listing = (await app.auction.create_listing("sel", esprit, 300)).listing
    outcomes = race(db_url, [("buy", buyer, listing.id) for buyer in buyers])
    assert Counter(outcomes) == {"ok": 1, "listing_unavailable": 19}
    winner = buyers[outcomes.index("ok")]
    async with open_app(db_url) as app:
        for buyer in buyers:
            expected = 1000 - 300 if buyer == winner else 1000
            assert (await app.economy.profile(buyer)).faylen == expected
        assert len(await ledger_rows(app, "sel", "auction_sale")) == 1
        assert (await app.collection.esprit(winner, esprit)).owner_id == winner
        await assert_conserved(app)
        assert (await app.admin.audit(CONSOLE)).consistent


async def test_cancel_racing_a_buy_has_one_outcome(db_url: str) -> None:
    rounds = 4
    async with open_app(db_url) as app:
        await register(app, "sel")
        await register(app, "buy")
        await app.admin.grant(CONSOLE, "sel", "gems", 1440)
        await app.summons.summon("sel", 10)
        items = (await app.collection.inventory("sel", sort="newest")).items[:rounds]
        listings = [(await app.auction.create_listing("sel", item.id, 100)).listing.id for item in items]
    calls = [call for lid in listings for call in (("cancel", "sel", lid), ("buy", "buy", lid))]
    outcomes = race(db_url, calls)
    for i in range(rounds):
        cancel, buy = outcomes[2 * i], outcomes[2 * i + 1]
        assert sorted([cancel, buy]) == ["listing_unavailable", "ok"], (cancel, buy)
    bought = sum(1 for i in range(rounds) if outcomes[2 * i + 1] == "ok")
    async with open_app(db_url) as app:
        assert (await app.economy.profile("buy")).faylen == 1000 - 100 * bought
        assert len(await ledger_rows(app, "sel", "auction_sale")) == bought
        await assert_conserved(app)
        assert (await app.admin.audit(CONSOLE)).consistent


async def test_same_esprit_listed_twice_at_once(db_url: str) -> None:
    async with open_app(db_url) as app:
        esprit = (await register(app, "sel")).starter.id
    outcomes = race(db_url, [("list", "sel", esprit)] * 6)
    assert Counter(outcomes) == {"ok": 1, "in_escrow": 5}
    async with open_app(db_url) as app:
        assert (await app.auction.browse()).total == 1
        assert len(await ledger_rows(app, "sel", "auction_fee")) == 1
        await assert_conserved(app, escrowed=1)
        assert (await app.admin.audit(CONSOLE)).consistent
