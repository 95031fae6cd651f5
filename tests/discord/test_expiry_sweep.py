"""The bot's timer gives back the Esprits of expired listings (browsing only reads, so nothing else would for a
seller who never comes back), and a failing sweep is logged, never fatal to the loop."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from faye.errors import DatabaseBusy
from tests.conftest import register
from tests.discord.conftest import Harness


async def test_the_timer_returns_expired_listings(harness: Harness) -> None:
    app = harness.app
    esprit = (await register(app, "sel")).starter.id
    listing = (await app.auction.create_listing("sel", esprit, 100, hours=1)).listing.id
    assert harness.bot.expiry_sweep.is_running()
    harness.clock.advance(timedelta(hours=2))
    assert (await app.collection.inventory("sel")).total == 0
    await harness.bot.expiry_sweep()  # one tick of the loop, without waiting for the timer
    assert [item.id for item in (await app.collection.inventory("sel")).items] == [esprit]
    assert listing not in {li.id for li in (await app.auction.history("sel")).open}


async def test_a_failed_sweep_is_logged(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def busy() -> list[int]:
        raise DatabaseBusy("the database is busy")

    monkeypatch.setattr(harness.app.auction, "expire", busy)
    with caplog.at_level(logging.WARNING, logger="discord_frontend.bot"):
        await harness.bot.expiry_sweep()
    assert "database_busy" in caplog.text
