"""Forgetting a player races a buyer of their listing, in separate OS processes on SQLite and PostgreSQL.

Both lock the seller's row first (faye.db's lock order), so one goes before the other: either the sale completes
and then the seller is forgotten (the buyer keeps the Esprit, its history names a deleted player, the seller's
proceeds are closed in the anonymous ledger), or the listing is cancelled with the rest and the buyer is refused
with nothing spent. Never both, never an Esprit lost or a balance that does not add up."""

from __future__ import annotations

import pytest
from sqlmodel import col

from faye.models import UserEsprit
from faye.services.admin import CONSOLE
from faye.services.privacy import ANONYMOUS
from tests.conftest import count_rows, open_app, register
from tests.service.test_progression_races import race

pytestmark = pytest.mark.slow


async def test_forget_races_a_purchase_of_the_players_listing(db_url: str) -> None:
    async with open_app(db_url) as app:
        for user in ("sal", "bob"):
            await register(app, user)
        await app.admin.grant(CONSOLE, "bob", "faylen", 5_000)
        await app.admin.grant(CONSOLE, "sal", "gems", app.config.settings.summon.single_cost)
        esprit = (await app.summons.summon("sal", 1)).esprits[0].id
        listing = (await app.auction.create_listing("sal", esprit, 800)).listing.id
        bob_before = (await app.economy.profile("bob")).faylen
    outcomes = race(db_url, [("forget", "sal", 0, ()), ("buy", "bob", listing, ())])
    assert outcomes[0] == "ok", outcomes
    assert outcomes[1] in ("ok", "listing_unavailable", "not_registered"), outcomes
    sold = outcomes[1] == "ok"
    async with open_app(db_url) as app:
        bob = await app.economy.profile("bob")
        assert bob.faylen == bob_before - 800 * sold
        assert (esprit in {e.id for e in (await app.collection.inventory("bob")).items}) is sold
        if sold:
            history = await app.progression.history("bob", esprit)
            assert [event.kind for event in history.events][-1] == "sold"
            assert str(history.events[-1].detail["seller"]).startswith(ANONYMOUS)
        else:  # cancelled with the seller's other things: the Esprit went with the deleted player
            assert await count_rows(app, UserEsprit, col(UserEsprit.id) == esprit) == 0
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
