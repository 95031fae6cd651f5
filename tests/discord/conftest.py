"""A FayeBot on a temp SQLite database, its HTTP replaced by a fake Discord, driven through `Gateway`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
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

    @property
    def app(self) -> FayeApp:
        return self.bot.app


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
    settings = Settings(database_url=sqlite_url, seed=SEED, admin_ids=frozenset({str(ADMIN.id)}))
    bot = FayeBot(lambda: FayeApp.open(settings, clock=clock))
    monkeypatch.setattr(bot.http, "request", fake.rest_request)
    async with bot:
        # What login would have set: the application, its bot user and its owner.
        bot._connection.application_id = APP_ID
        bot._connection.user = discord.ClientUser(state=bot._connection, data=BOT_USER)  # type: ignore[arg-type]
        bot.owner_id = OWNER.id
        await bot.setup_hook()
        yield Harness(bot, Gateway(bot, bot.tree, fake), fake, clock, sqlite_url)


@pytest.fixture
def gateway(harness: Harness) -> Gateway:
    return harness.gateway


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """Views made from now on time out after this many seconds."""
    seconds = 0.05
    monkeypatch.setattr(views, "TIMEOUT", seconds)
    return seconds


async def start(gateway: Gateway, player: Player) -> None:
    """Register `player` the Discord way: /start, then Accept."""
    shown = await gateway.run("start", player)
    accepted = await gateway.press(shown.message_id, "Accept", player)
    assert accepted.last.embed["title"] == "✨ A new summoner", accepted.calls
