"""A FayeBot on a temp SQLite database, its HTTP replaced by a fake Discord, driven through `Gateway`."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import discord
import pytest
from discord.webhook.async_ import AsyncWebhookAdapter

from discord_frontend import views
from discord_frontend.bot import FayeBot
from faye.app import FayeApp
from faye.clock import FixedClock
from faye.settings import Settings
from tests.conftest import SEED, fresh_database
from tests.discord.harness import APP_ID, BOT_USER, FakeDiscord, Gateway, Player

ANA = Player(100_000_000_000_000_001, "Ana")
BEN = Player(100_000_000_000_000_002, "Ben")
OWNER = Player(100_000_000_000_000_003, "Olga")
"""The bot's owner on the Developer Portal."""
ADMIN = Player(100_000_000_000_000_004, "Adam")
"""Listed in FAYE_ADMIN_IDS."""
ADMINISTRATOR = discord.Permissions(administrator=True).value


@dataclass
class Harness:
    bot: FayeBot
    gateway: Gateway
    fake: FakeDiscord
    clock: FixedClock
    db_url: str
    monkeypatch: pytest.MonkeyPatch

    @property
    def app(self) -> FayeApp:
        return self.bot.app

    @asynccontextmanager
    async def restarted(self) -> AsyncIterator[Harness]:
        """The bot as after a redeploy: this one closed, a new process (a new FayeApp on the same database, an empty
        view store, a new `views.BOOT`) answering the same Discord, whose messages keep their buttons."""
        await self.bot.close()
        self.monkeypatch.setattr(views, "BOOT", secrets.token_hex(4))
        async with running_bot(self.db_url, self.clock, self.fake, self.monkeypatch) as bot:
            yield replace(self, bot=bot, gateway=Gateway(bot, bot.tree, self.fake))


@asynccontextmanager
async def running_bot(
    db_url: str, clock: FixedClock, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FayeBot]:
    """A FayeBot past `setup_hook`, its REST requests answered by `fake`."""
    settings = Settings(database_url=db_url, seed=SEED, admin_ids=frozenset({str(ADMIN.id)}))
    bot = FayeBot(lambda: FayeApp.open(settings, clock=clock))
    monkeypatch.setattr(bot.http, "request", fake.rest_request)
    async with bot:
        # What login would have set: the application, its bot user and its owner.
        bot._connection.application_id = APP_ID
        bot._connection.user = discord.ClientUser(state=bot._connection, data=BOT_USER)  # type: ignore[arg-type]
        bot.owner_id = OWNER.id
        await bot.setup_hook()
        yield bot


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
async def harness(sqlite_url: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    fake = FakeDiscord()

    async def webhook_request(_adapter: AsyncWebhookAdapter, route: discord.http.Route, **kwargs: object) -> object:
        return await fake.webhook_request(route, **kwargs)

    monkeypatch.setattr(AsyncWebhookAdapter, "request", webhook_request)
    async with running_bot(sqlite_url, clock, fake, monkeypatch) as bot:
        yield Harness(bot, Gateway(bot, bot.tree, fake), fake, clock, sqlite_url, monkeypatch)


@pytest.fixture
def gateway(harness: Harness) -> Gateway:
    return harness.gateway


async def start(gateway: Gateway, player: Player) -> None:
    """Register `player` the Discord way: /start, then Accept."""
    shown = await gateway.run("start", player)
    accepted = await gateway.press(shown.message_id, "Accept", player)
    assert accepted.last.embed["title"] == "✨ A new summoner", accepted.calls
