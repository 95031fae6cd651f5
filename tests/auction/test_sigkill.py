"""A process killed with SIGKILL in the middle of a stream of buys leaves a consistent database: every trade
is one transaction, so a trade either happened whole or not at all."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest

from faye.config import GameConfig
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, open_app, register

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
LISTINGS = 60


async def test_sigkill_during_buys_leaves_a_consistent_database(db_url: str, config: GameConfig) -> None:
    auction = config.settings.auction.model_copy(update={"max_open_listings": LISTINGS})
    roomy = config.model_copy(update={"settings": config.settings.model_copy(update={"auction": auction})})
    async with open_app(db_url, config=roomy) as app:
        await register(app, "sel")
        await register(app, "buyer")
        await app.admin.grant(CONSOLE, "sel", "gems", 1440 * (LISTINGS // 10))
        await app.admin.grant(CONSOLE, "buyer", "faylen", 100 * LISTINGS)
        for _ in range(LISTINGS // 10):
            await app.summons.summon("sel", 10)
        page, listed = 1, 0
        while listed < LISTINGS:
            items = (await app.collection.inventory("sel", sort="newest", page=page)).items
            for item in items[: LISTINGS - listed]:
                await app.auction.create_listing("sel", item.id, 100)
                listed += 1
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")}
    stream = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.auction.buy_stream", db_url, "buyer", cwd=REPO, env=env, stdout=PIPE
    )
    assert stream.stdout is not None
    bought = [await stream.stdout.readline() for _ in range(5)]  # the stream is well under way
    assert all(line.startswith(b"bought") for line in bought)
    await asyncio.sleep(0.05)
    stream.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(stream.wait(), 30) == -signal.SIGKILL
    async with open_app(db_url) as app:
        report = await app.admin.audit(CONSOLE)
        assert report.consistent, report.problems
        sold = LISTINGS - report.open_listings
        assert 5 <= sold < LISTINGS  # killed mid-stream, not before and not after
        assert (await app.economy.profile("buyer")).faylen == 100 * LISTINGS + 1000 - 100 * sold
        await assert_conserved(app, escrowed=report.open_listings)
    audit = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli", "admin", "audit", "--db", db_url, cwd=REPO, env=env, stdout=PIPE
    )
    out, _ = await audit.communicate()
    assert audit.returncode == 0, out
    assert b"Consistent" in out
