"""Trades through the service, on both databases: offers, changes and versions, the confirm delay, execution
that moves everything or nothing, reservations, expiry, the anti-abuse limits, and the audit after each."""

from __future__ import annotations

from datetime import timedelta

import pytest

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import (
    ActiveEsprit,
    FayeError,
    InEscrow,
    InsufficientFunds,
    InvalidAmount,
    InvalidArgument,
    Locked,
    NotOwner,
    NotRegistered,
    Reserved,
    SelfTrade,
    TooSoon,
    TradeChanged,
    TradeLimit,
    TradeUnavailable,
)
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from faye.services.trades import Offer
from tests.conftest import assert_conserved, ledger_rows, register

DELAY = timedelta(seconds=5)


async def spare(app: FayeApp, user_id: str) -> OwnedEsprit:
    """A tradable Esprit of the player (not active): summoned for them."""
    await app.admin.grant(CONSOLE, user_id, "gems", app.config.settings.summon.single_cost)
    pulled = (await app.summons.summon(user_id, 1)).esprits[0]
    return next(e for e in await app.collection.owned(user_id, [pulled.id]))


async def traders(app: FayeApp, clock: FixedClock) -> tuple[OwnedEsprit, OwnedEsprit]:
    """Ana and Ben, old and advanced enough to trade currency, each with a spare Esprit and currency."""
    for user in ("ana", "ben"):
        await register(app, user)
        await app.admin.grant(CONSOLE, user, "faylen", 10_000)
        await app.admin.grant(CONSOLE, user, "virelite", 20)
        await app.admin.grant(CONSOLE, user, "gems", 100_000)
        while (await app.economy.profile(user)).level < app.config.settings.trade.min_level:
            await app.summons.summon(user, 10)
    clock.advance(timedelta(hours=app.config.settings.trade.min_account_age_hours))
    return await spare(app, "ana"), await spare(app, "ben")


async def audited(app: FayeApp) -> None:
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    await assert_conserved(app)


async def test_a_trade_executes_once_both_confirm_the_same_version(app: FayeApp, clock: FixedClock) -> None:
    fox, owl = await traders(app, clock)
    before = {u: await app.economy.profile(u) for u in ("ana", "ben")}

    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,), faylen=500), Offer(esprits=(owl.id,)))
    assert (trade.status, trade.version, list(trade.sides)) == ("open", 1, ["ana", "ben"])
    assert [e.id for e in trade.sides["ana"].esprits] == [fox.id]
    assert trade.sides["ana"].faylen == 500
    with pytest.raises(TooSoon):
        await app.trades.confirm("ben", trade.id, 1)
    clock.advance(DELAY)
    half = await app.trades.confirm("ben", trade.id, 1)
    assert (half.status, half.sides["ben"].confirmed, half.sides["ana"].confirmed) == ("open", True, False)

    done = await app.trades.confirm("ana", trade.id, 1)

    assert done.status == "executed"
    assert [e.id for e in await app.collection.owned("ben", [fox.id])] == [fox.id]
    assert [e.id for e in await app.collection.owned("ana", [owl.id])] == [owl.id]
    after = {u: await app.economy.profile(u) for u in ("ana", "ben")}
    assert after["ana"].faylen == before["ana"].faylen - 500
    assert after["ben"].faylen == before["ben"].faylen + 500
    rows = [(r.user_id, r.delta, r.reference) for r in await ledger_rows(app, reason="trade")]
    assert sorted(rows) == [("ana", -500, f"trade {trade.id}"), ("ben", 500, f"trade {trade.id}")]
    story = await app.progression.history("ben", fox.id)
    assert (story.events[-1].kind, story.events[-1].owner) == ("traded", "ben")
    assert story.events[-1].detail == {"trade_id": trade.id, "from": "ana"}
    assert [e.id for e in done.sides["ana"].esprits] == [fox.id], "an executed trade shows what it moved"
    with pytest.raises(TradeUnavailable):
        await app.trades.confirm("ana", trade.id)
    await audited(app)


async def test_every_change_bumps_the_version_and_clears_confirmations(app: FayeApp, clock: FixedClock) -> None:
    fox, owl = await traders(app, clock)
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())
    clock.advance(DELAY)
    await app.trades.confirm("ana", trade.id, 1)
    changed = await app.trades.add("ben", trade.id, Offer(esprits=(owl.id,), virelite=3))
    assert changed.version == 2
    assert not any(side.confirmed for side in changed.sides.values())
    with pytest.raises(TradeChanged):
        await app.trades.confirm("ben", trade.id, 1)
    with pytest.raises(TooSoon):
        await app.trades.confirm("ben", trade.id, 2)
    removed = await app.trades.remove("ben", trade.id, Offer(esprits=(owl.id,), virelite=1))
    assert (removed.version, removed.sides["ben"].virelite, removed.sides["ben"].esprits) == (3, 2, [])
    await app.progression.lock("ben", owl.id)  # taken off the trade, it is free again


async def test_an_offered_esprit_is_reserved_until_the_trade_closes(app: FayeApp, clock: FixedClock) -> None:
    fox, _ = await traders(app, clock)
    await register(app, "cleo")
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())
    attempts = [
        app.auction.create_listing("ana", fox.id, 100),
        app.progression.release("ana", ReleaseSelection(ids=(fox.id,))),
        app.collection.set_active("ana", fox.id),
        app.progression.lock("ana", fox.id),
        app.progression.train("ana", fox.id, levels=1),
        app.trades.offer("ana", "cleo", Offer(esprits=(fox.id,)), Offer()),
    ]
    for attempt in attempts:
        with pytest.raises(Reserved):
            await attempt
    await app.trades.cancel("ben", trade.id)
    await app.collection.set_active("ana", fox.id)  # every reservation ended with the cancel
    await audited(app)


async def test_a_trade_expires_and_releases_its_reservations(app: FayeApp, clock: FixedClock) -> None:
    fox, _ = await traders(app, clock)
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())
    clock.advance(timedelta(minutes=app.config.settings.trade.expiry_minutes))
    assert (await app.trades.show("ana", trade.id)).status == "expired"
    await app.progression.lock("ana", fox.id)  # an expired trade reserves nothing, swept or not
    with pytest.raises(TradeUnavailable):
        await app.trades.confirm("ana", trade.id)
    assert await app.trades.expire() == [trade.id]  # the refused confirm rolled its sweep back; the timer closes it
    assert (await app.trades.mine("ana")).trades == []
    assert [t.id for t in (await app.trades.mine("ana", include_closed=True)).trades] == [trade.id]


async def test_the_expiry_timer_closes_what_nobody_touched(app: FayeApp, clock: FixedClock) -> None:
    fox, _ = await traders(app, clock)
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())
    clock.advance(timedelta(minutes=app.config.settings.trade.expiry_minutes, seconds=1))
    assert await app.trades.expire() == [trade.id]


async def test_execution_refuses_whole_when_a_side_lost_its_currency(app: FayeApp, clock: FixedClock) -> None:
    fox, owl = await traders(app, clock)
    everything = (await app.economy.profile("ben")).faylen
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer(esprits=(owl.id,), faylen=everything))
    await app.progression.train("ben", (await spare(app, "ben")).id, faylen=1)  # Ben spends one faylen meanwhile
    clock.advance(DELAY)
    await app.trades.confirm("ana", trade.id)
    with pytest.raises(InsufficientFunds, match=f"ben no longer has {everything:,} faylen"):
        await app.trades.confirm("ben", trade.id)
    assert [e.id for e in await app.collection.owned("ana", [fox.id])] == [fox.id], "nothing moved"
    assert (await app.trades.show("ana", trade.id)).status == "open"
    await audited(app)


async def test_the_daily_receive_cap(app: FayeApp, clock: FixedClock) -> None:
    await traders(app, clock)
    cap = app.config.settings.trade.daily_receive_cap.virelite
    await app.admin.grant(CONSOLE, "ana", "virelite", cap)
    trade = await app.trades.offer("ana", "ben", Offer(virelite=cap + 1), Offer())
    clock.advance(DELAY)
    await app.trades.confirm("ana", trade.id)
    with pytest.raises(TradeLimit, match="a day through trades"):
        await app.trades.confirm("ben", trade.id)


async def test_new_accounts_cannot_trade_currency(app: FayeApp, clock: FixedClock) -> None:
    await register(app, "ana")
    await register(app, "ben")
    with pytest.raises(TradeLimit, match="currency trading opens"):
        await app.trades.offer("ana", "ben", Offer(faylen=10), Offer())
    fox = await spare(app, "ana")
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())  # Esprits may be traded
    assert trade.status == "open"


async def test_gems_do_not_trade_by_default(app: FayeApp, clock: FixedClock) -> None:
    await traders(app, clock)
    with pytest.raises(TradeLimit, match="gems cannot be traded"):
        await app.trades.offer("ana", "ben", Offer(gems=1), Offer())


async def test_refusals_change_nothing(app: FayeApp, clock: FixedClock) -> None:
    fox, owl = await traders(app, clock)
    await register(app, "cleo")
    active = (await app.economy.profile("ana")).active_esprit
    assert active is not None
    locked = await spare(app, "ana")
    await app.progression.lock("ana", locked.id)
    listed = await spare(app, "ana")
    await app.auction.create_listing("ana", listed.id, 100)
    cases: list[tuple[type[FayeError], str, Offer, Offer]] = [
        (SelfTrade, "ana", Offer(), Offer()),
        (NotRegistered, "nobody", Offer(esprits=(fox.id,)), Offer()),
        (NotOwner, "ben", Offer(esprits=(owl.id,)), Offer()),
        (Locked, "ben", Offer(esprits=(locked.id,)), Offer()),
        (ActiveEsprit, "ben", Offer(esprits=(active.id,)), Offer()),
        (InvalidArgument, "ben", Offer(esprits=(fox.id, fox.id)), Offer()),
        (InsufficientFunds, "ben", Offer(faylen=10**9), Offer()),
        (InvalidAmount, "ben", Offer(faylen=-1), Offer()),
        (InvalidAmount, "ben", Offer(faylen=10**30), Offer()),
        (NotOwner, "ben", Offer(), Offer(esprits=(fox.id,))),
    ]
    for error, other, give, ask in cases:
        with pytest.raises(error):
            await app.trades.offer("ana", other, give, ask)
    with pytest.raises(InEscrow):
        await app.trades.offer("ana", "ben", Offer(esprits=(listed.id,)), Offer())
    assert (await app.trades.mine("ana", include_closed=True)).trades == []
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(fox.id,)), Offer())
    with pytest.raises(NotOwner):
        await app.trades.confirm("cleo", trade.id)
    with pytest.raises(NotOwner):
        await app.trades.show("cleo", trade.id)
    assert (await app.trades.show(None, trade.id)).id == trade.id
    with pytest.raises(TradeUnavailable):
        await app.trades.show("ana", 10**12)
    with pytest.raises(InvalidArgument):
        await app.trades.remove("ana", trade.id, Offer(esprits=(owl.id,)))
    with pytest.raises(InvalidAmount):
        await app.trades.remove("ana", trade.id, Offer(faylen=1))
    assert (await app.admin.audit(CONSOLE)).problems == []
    await assert_conserved(app, escrowed=1)


async def test_open_trades_are_limited(app: FayeApp, clock: FixedClock) -> None:
    await traders(app, clock)
    limit = app.config.settings.trade.max_open_trades
    for _ in range(limit):
        await app.trades.offer("ana", "ben", Offer(faylen=1), Offer())
    with pytest.raises(TradeLimit, match="open trades"):
        await app.trades.offer("ana", "ben", Offer(faylen=1), Offer())
