"""Lock order on PostgreSQL: buys and cancels racing the expiry sweep never deadlock, and a player's row held by a
stalled transaction makes the next request fail with database_busy within the lock timeout instead of hanging.

The deadlock this guards against: buy and cancel locked the player rows and then the listing, while the sweep
locked the listing first and then, updating `useresprit.owner_id`, needed the seller's row for the foreign-key
check. Every deadlock PostgreSQL detects is counted through the engine's `handle_error` event, so a deadlock that
the retry hid still fails the test.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import ExceptionContext

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import DatabaseBusy, FayeError
from faye.services.admin import CONSOLE
from faye.settings import Settings
from tests.conftest import ADMIN_ID, START, assert_conserved, open_app, register

TRIALS = 50
PRICE = 100
LISTED_HOURS = 1.0
RACE_GUARD_S = 120  # only so that a hang fails the run; never a timing assertion
DEADLOCK = "40P01"


class DeadlockCounter:
    """Counts every deadlock error PostgreSQL reports on the engines it watches."""

    def __init__(self) -> None:
        self.count = 0

    def watch(self, app: FayeApp) -> None:
        event.listen(app.context.db.engine.sync_engine, "handle_error", self._seen)

    def _seen(self, context: ExceptionContext) -> None:
        orig = getattr(context.original_exception, "sqlstate", None)
        if orig == DEADLOCK:
            self.count += 1


def outcome(result: object) -> str:
    if isinstance(result, FayeError):
        return result.code
    if isinstance(result, BaseException):
        return f"{type(result).__name__}: {result}"
    return "ok"


@pytest.fixture
async def apps(db_url: str) -> AsyncIterator[dict[str, FayeApp]]:
    """The lister (clock at the listing time), the buyer (before expiry), the seller cancelling and the sweeper
    (both after expiry): each its own engine, so each call below has its own connection."""
    clocks = {
        "lister": START,
        "buyer": START + timedelta(hours=LISTED_HOURS / 2),
        "seller": START + timedelta(hours=2 * LISTED_HOURS),
        "sweeper": START + timedelta(hours=2 * LISTED_HOURS),
    }
    async with AsyncExitStack() as stack:
        yield {name: await stack.enter_async_context(open_app(db_url, FixedClock(at))) for name, at in clocks.items()}


async def test_buy_and_cancel_racing_the_sweep_never_deadlock(apps: dict[str, FayeApp]) -> None:
    lister = apps["lister"]
    await register(lister, "sel")
    await register(lister, "buy")
    await lister.admin.grant(CONSOLE, "sel", "gems", 1440 * 3)
    for _ in range(3):
        await lister.summons.summon("sel", 10)
    await lister.admin.grant(CONSOLE, "buy", "faylen", PRICE * TRIALS)
    deadlocks = DeadlockCounter()
    for app in apps.values():
        deadlocks.watch(app)
    outcomes: Counter[str] = Counter()
    for trial in range(TRIALS):
        esprit = (await lister.collection.inventory("sel", sort="newest")).items[0].id
        listing = (await lister.auction.create_listing("sel", esprit, PRICE, hours=LISTED_HOURS)).listing.id
        action = (
            apps["buyer"].auction.buy("buy", listing) if trial % 2 else apps["seller"].auction.cancel("sel", listing)
        )
        results = await asyncio.wait_for(
            asyncio.gather(action, apps["sweeper"].auction.expire(), return_exceptions=True), RACE_GUARD_S
        )
        kind = "buy" if trial % 2 else "cancel"
        outcomes[f"{kind} {outcome(results[0])}"] += 1
        assert not isinstance(results[1], BaseException), outcome(results[1])
    assert deadlocks.count == 0, f"{deadlocks.count} deadlocks in {TRIALS} trials: {dict(outcomes)}"
    assert set(outcomes) <= {"buy ok", "buy listing_unavailable", "cancel ok", "cancel listing_unavailable"}, outcomes
    report = await lister.admin.audit(CONSOLE)
    assert report.consistent, report.problems
    assert report.open_listings == 0
    await assert_conserved(lister)


# --- a stalled transaction holding a player's row -------------------------------------------------------


async def test_a_held_player_row_makes_the_next_request_busy_not_hang(db_url: str, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("row locks and lock_timeout are PostgreSQL's; SQLite holds the whole file (its busy timeout)")
    lock_timeout_s = 0.3
    async with open_app(db_url, FixedClock(START)) as app:
        await register(app, "u1")
    settings = Settings(database_url=db_url, admin_ids=frozenset({ADMIN_ID}), now=START, lock_timeout_s=lock_timeout_s)
    async with FayeApp.open(settings) as app, app.context.db.engine.connect() as staller:
        await staller.execute(text('SELECT 1 FROM "user" WHERE user_id = :u FOR UPDATE'), {"u": "u1"})
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught:
            await asyncio.wait_for(app.economy.daily("u1"), RACE_GUARD_S)
        waited = time.monotonic() - started
        await staller.rollback()
        assert caught.value.code == "database_busy"
        # Retried once, so about two lock timeouts; far below the guard, which a hang would reach.
        assert waited < 10 * lock_timeout_s + 2, waited
        claim = await app.economy.daily("u1")  # the row is free again: the same request now succeeds
        assert claim.streak == 1
