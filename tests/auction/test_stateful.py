"""A hypothesis state machine of register / daily / summon / list / buy / cancel / expire / grant and the
progression (train, ascend, release by ids and by filter, lock / unlock, choose the active Esprit) across players.

After every step: no negative balance, every balance equals its ledger sum, every Esprit has exactly one owner or
sits in exactly one open listing, and every Esprit's history is unbroken and ends where it is (the audit). A
release by filter takes exactly what its preview showed. Runs on SQLite, and on PostgreSQL when configured.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import FayeError
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from faye.services.trades import Offer
from faye.settings import Settings
from tests.conftest import PG_ENV, PG_SKIP_REASON, fresh_database

T = TypeVar("T")
PLAYERS = ("ann", "bo", "cy")
players = st.sampled_from(PLAYERS)
picks = st.integers(0, 50)
#: How to train: by levels (one, or more than the cap leaves) or by faylen (a little, or more than anyone has).
trainings = st.sampled_from([("levels", 1), ("levels", 25), ("faylen", 40), ("faylen", 10**6)])


class AuctionMachine(RuleBasedStateMachine):
    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.runner = asyncio.Runner()
        self.tmp = tempfile.TemporaryDirectory()
        self.clock = FixedClock(datetime(2026, 5, 1, 12, tzinfo=UTC))
        self.database = fresh_database(self.backend, Path(self.tmp.name))
        url = self.run(self.database.__aenter__())
        self.app_cm = FayeApp.open(Settings(database_url=url, seed=99), clock=self.clock)
        self.app: FayeApp = self.run(self.app_cm.__aenter__())
        self.registered: set[str] = set()
        self.refusals: list[str] = []

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coro)

    def attempt(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return self.run(coro)
        except FayeError as refusal:
            self.refusals.append(refusal.code)
            return None

    def teardown(self) -> None:
        self.run(self.app_cm.__aexit__(None, None, None))
        self.run(self.database.__aexit__(None, None, None))
        self.runner.close()
        self.tmp.cleanup()

    @initialize()
    def first_players(self) -> None:
        for user in PLAYERS[:2]:  # two players from the start: trades and sales need a counterpart
            self.run(self.app.onboarding.register(user, user.title(), policy_accepted=True))
            self.registered.add(user)

    @rule(user=players)
    def register(self, user: str) -> None:
        if self.attempt(self.app.onboarding.register(user, user, policy_accepted=True)) is not None:
            self.registered.add(user)

    @rule(user=players)
    def daily(self, user: str) -> None:
        self.attempt(self.app.economy.daily(user))

    @rule(user=players, amount=st.sampled_from([1, 10]))
    def summon(self, user: str, amount: int) -> None:
        self.attempt(self.app.summons.summon(user, amount))

    @precondition(lambda self: bool(self.registered))
    @rule(user=players, pick=st.integers(0, 50), price=st.integers(1, 2500), hours=st.sampled_from([1.0, 48.0]))
    def list_esprit(self, user: str, pick: int, price: int, hours: float) -> None:
        if user not in self.registered:
            return
        items = self.run(self.app.collection.inventory(user, sort="newest")).items
        esprit = items[pick % len(items)].id if items else 10_000 + pick
        self.attempt(self.app.auction.create_listing(user, esprit, price, hours))

    @rule(user=players, pick=st.integers(0, 50))
    def buy(self, user: str, pick: int) -> None:
        listings = self.run(self.app.auction.browse(sort="newest")).items
        self.attempt(self.app.auction.buy(user, listings[pick % len(listings)].id if listings else 999))

    @rule(user=players, pick=st.integers(0, 50))
    def cancel(self, user: str, pick: int) -> None:
        listings = self.run(self.app.auction.browse(sort="newest")).items
        self.attempt(self.app.auction.cancel(user, listings[pick % len(listings)].id if listings else 999))

    @rule(hours=st.sampled_from([1, 12, 25, 49]))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @rule()
    def expire(self) -> None:
        self.run(self.app.auction.expire())

    @rule(user=players, currency=st.sampled_from(["faylen", "virelite", "gems"]), amount=st.integers(1, 3000))
    def grant(self, user: str, currency: str, amount: int) -> None:
        self.attempt(self.app.admin.grant(CONSOLE, user, currency, amount))

    # --- progression -----------------------------------------------------------------------------------------

    def esprits(self, user: str) -> list[OwnedEsprit]:
        """The player's newest page of Esprits (none for a player not registered yet)."""
        if user not in self.registered:
            return []
        return self.run(self.app.collection.inventory(user, sort="newest")).items

    def pick(self, user: str, pick: int) -> int:
        """One of the player's Esprits, or an id that is no one's when they have none."""
        items = self.esprits(user)
        return items[pick % len(items)].id if items else 10_000 + pick

    @rule(user=players, pick=picks, how=trainings)
    def train(self, user: str, pick: int, how: tuple[str, int]) -> None:
        kind, amount = how
        self.attempt(self.app.progression.train(user, self.pick(user, pick), **{kind: amount}))

    @rule(user=players, pick=picks, named=st.booleans())
    def ascend(self, user: str, pick: int, named: bool) -> None:
        """Ascend one of the player's Esprits (one with a copy on the page, when there is one) with fodder chosen
        for them, or with the copies of its species on the page, as many as the next rank consumes (fewer, locked
        or active ones are refused)."""
        items = self.esprits(user)
        if not items:
            self.attempt(self.app.progression.ascend(user, 10_000 + pick))
            return
        species = [e.esprit_id for e in items]
        doubled = [e for e in items if species.count(e.esprit_id) > 1]  # a target that can ascend, when there is one
        target = (doubled or items)[pick % len(doubled or items)]
        using = None
        if named:
            ladder = self.app.config.progression.ascension.copies_per_rank
            need = ladder[min(target.ascension, len(ladder) - 1)]
            using = [e.id for e in items if e.esprit_id == target.esprit_id and e.id != target.id][:need]
        self.attempt(self.app.progression.ascend(user, target.id, using=using))

    @rule(user=players, chosen=st.lists(picks, min_size=1, max_size=3))
    def release_ids(self, user: str, chosen: list[int]) -> None:
        ids = tuple(dict.fromkeys(self.pick(user, n) for n in chosen))
        self.attempt(self.app.progression.release(user, ReleaseSelection(ids=ids)))

    @rule(
        user=players,
        rarity=st.sampled_from([None, "Common", "Uncommon"]),
        duplicates=st.booleans(),
        keep=st.integers(1, 2),
        below_level=st.sampled_from([None, 2, 5]),
    )
    def release_filter(
        self, user: str, rarity: str | None, duplicates: bool, keep: int, below_level: int | None
    ) -> None:
        selection = ReleaseSelection(rarity=rarity, duplicates=duplicates, keep=keep, below_level=below_level)
        preview = self.attempt(self.app.progression.release_preview(user, selection))
        released = self.attempt(self.app.progression.release(user, selection))
        assert (preview is None) == (released is None)
        if preview is not None:
            assert released.ids == preview.ids
            assert released.reward == preview.reward

    @rule(user=players, pick=picks, locked=st.booleans())
    def lock(self, user: str, pick: int, locked: bool) -> None:
        self.attempt(self.app.progression.lock(user, self.pick(user, pick), locked))

    @rule(user=players, pick=picks)
    def set_active(self, user: str, pick: int) -> None:
        self.attempt(self.app.collection.set_active(user, self.pick(user, pick)))

    # --- trades ---------------------------------------------------------------------------------------------

    def trade_of(self, user: str, pick: int) -> int:
        """One of the player's open trades, or an id that is no one's."""
        if user not in self.registered:
            return 999
        trades = self.run(self.app.trades.mine(user)).trades
        return trades[pick % len(trades)].id if trades else 999

    def spare(self, user: str, pick: int) -> int:
        """One of the player's Esprits other than the active one (the newest page), or the active one."""
        items = self.esprits(user)
        spares = [e for e in items if not e.active] or items
        return spares[pick % len(spares)].id if spares else 10_000 + pick

    @rule(user=players, other=players, give=picks, ask=picks, faylen=st.sampled_from([0, 0, 0, 50, 10**6]))
    def offer(self, user: str, other: str, give: int, ask: int, faylen: int) -> None:
        mine = (self.spare(user, give),) if give % 4 else ()
        theirs = (self.spare(other, ask),) if ask % 2 else ()
        self.attempt(self.app.trades.offer(user, other, Offer(esprits=mine, faylen=faylen), Offer(esprits=theirs)))

    @rule(user=players, pick=picks, esprit=picks, virelite=st.sampled_from([0, 1, 10**6]))
    def trade_add(self, user: str, pick: int, esprit: int, virelite: int) -> None:
        offer = Offer(esprits=(self.pick(user, esprit),) if esprit % 2 else (), virelite=virelite)
        self.attempt(self.app.trades.add(user, self.trade_of(user, pick), offer))

    @rule(user=players, pick=picks, esprit=picks)
    def trade_remove(self, user: str, pick: int, esprit: int) -> None:
        trade_id = self.trade_of(user, pick)
        view = self.attempt(self.app.trades.show(user, trade_id))
        side = view.sides.get(user) if view is not None else None
        offered = [e.id for e in side.esprits] if side is not None else []
        if offered:
            self.attempt(self.app.trades.remove(user, trade_id, Offer(esprits=(offered[esprit % len(offered)],))))
        elif side is not None and side.virelite:
            self.attempt(self.app.trades.remove(user, trade_id, Offer(virelite=side.virelite)))

    @rule(user=players, pick=picks, stale=st.booleans())
    def trade_confirm(self, user: str, pick: int, stale: bool) -> None:
        self.clock.advance(timedelta(seconds=self.app.config.settings.trade.confirm_delay_seconds))
        trade_id = self.trade_of(user, pick)
        view = self.attempt(self.app.trades.show(user, trade_id))
        version = view.version - 1 if view is not None and stale and view.version > 1 else None
        self.attempt(self.app.trades.confirm(user, trade_id, version))

    @rule(user=players, pick=picks, fresh=st.booleans(), other=players, give=picks)
    def trade_agreed(self, user: str, pick: int, fresh: bool, other: str, give: int) -> None:
        """Both traders confirm a trade as it is (one of the player's, or one opened now): it executes, or is
        refused whole."""
        if fresh:
            self.attempt(self.app.summons.summon(user, 1))
            self.offer(user, other, give + 1, 0, 0)
        self.clock.advance(timedelta(seconds=self.app.config.settings.trade.confirm_delay_seconds))
        trade_id = self.trade_of(user, pick)
        view = self.attempt(self.app.trades.show(user, trade_id))
        for trader in view.sides if view is not None else ():
            self.attempt(self.app.trades.confirm(trader, trade_id, view.version))

    @rule(user=players, pick=picks)
    def trade_cancel(self, user: str, pick: int) -> None:
        self.attempt(self.app.trades.cancel(user, self.trade_of(user, pick)))

    @rule()
    def trades_expire(self) -> None:
        self.clock.advance(timedelta(minutes=self.app.config.settings.trade.expiry_minutes))
        self.run(self.app.trades.expire())

    @invariant()
    def books_balance(self) -> None:
        report = self.run(self.app.admin.audit(CONSOLE))
        assert report.consistent, report.problems


MACHINE_SETTINGS = settings(
    max_examples=int(os.environ.get("FAYE_STATEFUL_EXAMPLES", "12")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


TestAuctionSQLite = AuctionMachine.TestCase
TestAuctionSQLite.settings = MACHINE_SETTINGS


class PostgresMachine(AuctionMachine):
    backend = "postgres"


TestAuctionPostgres = pytest.mark.postgres(
    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=PG_SKIP_REASON)(PostgresMachine.TestCase)
)
TestAuctionPostgres.settings = MACHINE_SETTINGS
