"""Progression races in separate OS processes, on SQLite and PostgreSQL: one Esprit wanted by a release, a
listing and an ascension goes exactly one way; one fodder named by two ascensions is consumed once; training
racing summons never spends money that is not there. The ledger, the history and the audit agree afterwards."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from faye import progression
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, ledger_rows, open_app, register
from tests.service import progression_worker as worker
from tests.service.progression_setup import copies, everything

pytestmark = pytest.mark.slow

Call = tuple[str, str, int, tuple[int, ...]]


def race(db_url: str, calls: list[Call]) -> list[str]:
    """Run every call in its own process, all released at once by a barrier; their outcomes in order."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    with ProcessPoolExecutor(len(calls), mp_context=context, initializer=worker.init, initargs=(barrier,)) as pool:
        futures = [pool.submit(worker.act, db_url, *call) for call in calls]
        return [f.result(timeout=300) for f in futures]


async def test_release_list_and_ascend_race_for_one_esprit(db_url: str) -> None:
    async with open_app(db_url) as app:
        await register(app, "ann")
        target, fodder = (e.id for e in await copies(app, "ann", 2))
    outcomes = race(
        db_url,
        [("release", "ann", fodder, ()), ("list", "ann", fodder, ()), ("ascend", "ann", target, (fodder,))],
    )
    assert outcomes.count("ok") == 1, outcomes
    winner = ("release", "list", "ascend")[outcomes.index("ok")]
    losers = [code for code in outcomes if code != "ok"]
    # Listed, the Esprit is in escrow for the others; released or consumed, it is gone.
    assert losers == (["in_escrow"] * 2 if winner == "list" else ["not_found"] * 2), outcomes
    async with open_app(db_url) as app:
        history = await app.progression.history(None, fodder)
        ending = {"release": "released", "list": "escrowed", "ascend": "consumed"}[winner]
        assert [e.kind for e in history.events] == ["created", ending]
        assert (await app.collection.esprit("ann", target)).ascension == (1 if winner == "ascend" else 0)
        assert len(await ledger_rows(app, "ann", "release")) == (winner == "release")
        assert len(await ledger_rows(app, "ann", "auction_fee")) == (winner == "list")
        assert len(await ledger_rows(app, "ann", "ascend")) == (winner == "ascend")
        assert (fodder in {e.id for e in await everything(app, "ann")}) is False
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        await assert_conserved(app, escrowed=int(winner == "list"))


async def test_two_ascensions_naming_the_same_fodder(db_url: str) -> None:
    async with open_app(db_url) as app:
        await register(app, "ann")
        first, second, fodder = (e.id for e in await copies(app, "ann", 3))
    outcomes = race(db_url, [("ascend", "ann", first, (fodder,)), ("ascend", "ann", second, (fodder,))])
    assert sorted(outcomes) == ["not_found", "ok"], outcomes
    winner, loser = (first, second) if outcomes[0] == "ok" else (second, first)
    async with open_app(db_url) as app:
        assert (await app.collection.esprit("ann", winner)).ascension == 1
        assert (await app.collection.esprit("ann", loser)).ascension == 0
        consumed = (await app.progression.history(None, fodder)).events[-1]
        assert (consumed.kind, consumed.detail["by_esprit"]) == ("consumed", winner)
        assert len(await ledger_rows(app, "ann", "ascend")) == 1
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        await assert_conserved(app)


async def test_training_races_summons_on_one_player(db_url: str) -> None:
    """Two trainings that together cost more faylen than the player has, and two ten-pulls of which the gems pay
    one, all on the active Esprit (a summon's XP share grows it too). A summon's level-up reward may fund the
    second training; whatever the order, no balance goes below zero and every XP gained was paid for (the
    trainings stay below the level cap, so each buys exactly what its faylen buys)."""
    async with open_app(db_url) as app:
        active = (await register(app, "ann")).starter
        theirs = (await register(app, "bo")).starter
        listing = (await app.auction.create_listing("bo", theirs.id, 500)).listing
        await app.auction.buy("ann", listing.id)  # what is left pays one training, not two
        start = await app.economy.profile("ann")
        spend = 300
        assert spend <= start.faylen < 2 * spend
        rules = app.config.progression
        ten_cost = app.config.settings.summon.ten_cost
        assert start.gems // ten_cost == 1
    train: Call = ("train", "ann", active.id, (spend,))
    summon: Call = ("summon", "ann", 10, ())
    outcomes = race(db_url, [train, summon, train, summon])
    trained, summoned = outcomes[0::2], outcomes[1::2]
    assert sorted(summoned) == ["insufficient_funds", "ok"], outcomes
    assert set(trained) <= {"ok", "insufficient_funds"}, outcomes
    assert "ok" in trained, outcomes
    async with open_app(db_url) as app:
        trainings = await ledger_rows(app, "ann", "train")
        assert [row.delta for row in trainings] == [-spend] * trained.count("ok")
        assert all(row.balance_after >= 0 for row in await ledger_rows(app, "ann"))
        assert len(await ledger_rows(app, "ann", "summon")) == 1
        esprit = await app.collection.esprit("ann", active.id)
        grown = progression.xp_for_levels(rules, esprit.rarity, 1, 0, esprit.level - 1) + esprit.xp
        share = int(10 * app.config.settings.summon.xp_per_pull * rules.active_share)
        assert grown == progression.xp_for_faylen(rules, spend) * trained.count("ok") + share
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        await assert_conserved(app)
