"""FayeBot: one FayeApp (the game service and its database) behind a sharded discord.py bot.

The app is opened in `setup_hook` — after login, before the gateway connects — and closed in `close`, through an
AsyncExitStack, so every shard of the process shares one engine and connection pool. Several processes (each
with its own shards) may share one PostgreSQL database: the service's transactions and row locks keep them
consistent, not anything in this process.

Each bot keeps its own metrics (faye.metrics): the tree counts failures, `on_interaction` every component
interaction, `on_app_command_completion` every command that succeeded; the economy, the connection pool and the
gateway latency per shard are read at each scrape. With FAYE_METRICS_PORT set, `setup_hook` serves them on
127.0.0.1 only (a scraper on another host reaches them through a tunnel or a sidecar, never the open network).

While it runs, the bot announces itself in the run directory (faye.reload) and reloads its game data on SIGHUP,
as `faye admin reload-config` sends it; /admin reload-config does the same from Discord (`reload_config`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import discord
from discord import app_commands
from discord.ext import commands, tasks

from discord_frontend.pagers import PERSISTENT, Presses
from discord_frontend.sweeps import sweep
from discord_frontend.tree import FayeTree, record, source
from discord_frontend.views import StaleConfirmation
from faye.app import FayeApp
from faye.db import normalize_url, safe_url
from faye.errors import FayeError
from faye.metrics import OK, Metrics
from faye.reload import RELOAD_SIGNAL, Signalled, announced, signal_bots
from faye.results import ConfigReloaded

log = logging.getLogger(__name__)

FayeInteraction: TypeAlias = "discord.Interaction[FayeBot]"
AppOpener = Callable[[], AbstractAsyncContextManager[FayeApp]]

COGS: Final = (
    "onboarding",
    "economy",
    "summon",
    "collection",
    "esprit",
    "progression",
    "leaderboard",
    "auction",
    "trade",
    "admin",
    "rates",
    "banners",
    "battle",
    "mydata",
)
EXTENSIONS: Final = tuple(f"discord_frontend.cogs.{name}" for name in COGS)
METRICS_HOST: Final = "127.0.0.1"
EXPIRY_SWEEP_MINUTES: Final = 5.0
"""How often the bot gives back the Esprits of auction listings whose time ran out."""


@dataclass(frozen=True)
class SyncPlan:
    """Where to publish the slash commands at start. Discord rate-limits syncing, so it is never automatic."""

    guild_id: int | None = None
    """Copy every command to this guild and sync it there (instant; for development)."""
    everywhere: bool = False
    """Sync the global commands (Discord may take a while to show them everywhere)."""


def intents() -> discord.Intents:
    """Slash commands arrive as interactions whatever the intents; `guilds` (not privileged) keeps guilds and
    channels cached so interactions resolve them. No member, presence or message content intents."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class FayeBot(commands.AutoShardedBot):
    def __init__(
        self,
        open_app: AppOpener,
        *,
        sync: SyncPlan = SyncPlan(),
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
    ) -> None:
        sharding: dict[str, Any] = {"shard_count": shard_count}
        if shard_ids is not None:
            sharding["shard_ids"] = list(shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),  # no reply ever pings, whatever a name holds
            tree_cls=FayeTree,
            help_command=None,
            **sharding,
        )
        self._open_app = open_app
        self._sync = sync
        self._stack = AsyncExitStack()
        self._app: FayeApp | None = None
        self.presses = Presses()
        """What the persistent buttons remember between presses (see pagers.Presses)."""
        self.metrics = Metrics()
        self._reloads: set[asyncio.Task[None]] = set()

    @property
    def app(self) -> FayeApp:
        """The game; open from `setup_hook` until `close`."""
        if self._app is None:
            raise RuntimeError("the game is not open yet: FayeBot.setup_hook opens it")
        return self._app

    async def load_cogs(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)

    async def setup_hook(self) -> None:
        self._app = await self._stack.enter_async_context(self._open_app())
        self.metrics.watch_game(self._app.context)
        self.metrics.watch_gateway(lambda: self.latencies)
        if (port := self._app.settings.metrics_port) is not None:
            exporter = self.metrics.serve(METRICS_HOST, port)
            self._stack.callback(exporter.close)
            log.info("serving metrics at %s", exporter.url)
        self._announce()
        # Buttons of messages sent before this start (pagers keep their state in their custom_ids) answer again.
        self.add_dynamic_items(*PERSISTENT, StaleConfirmation)
        await self.load_cogs()
        await self.sync_commands()
        self.expiry_sweep.start()

    def _announce(self) -> None:
        """The pid file `faye admin reload-config` finds, and SIGHUP as its signal to reload, until `close`."""
        settings = self.app.settings
        try:
            self._stack.enter_context(announced(settings.run_dir, self.database))
        except OSError as exc:
            log.warning(
                "cannot announce this bot in %s (%s): reload it with /admin reload-config", settings.run_dir, exc
            )
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(RELOAD_SIGNAL, self._reload_on_signal)
        except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, or not the main thread)
            return
        self._stack.callback(loop.remove_signal_handler, RELOAD_SIGNAL)

    @property
    def database(self) -> str:
        """The database this bot serves, as its pid file names it (without a password)."""
        return safe_url(normalize_url(self.app.settings.database_url))

    def _reload_on_signal(self) -> None:
        task = asyncio.get_running_loop().create_task(self._reload_logged())
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _reload_logged(self) -> None:
        try:
            await self.app.reload_config()
        except FayeError as error:  # the bot goes on with the game data it has
            log.error("game data not reloaded, nothing changed: %s", error.message)

    async def reload_config(self) -> tuple[ConfigReloaded, Signalled]:
        """Reload this process's game data, then signal the other bots of the same database to do the same.
        Refuses ConfigError (nothing changed, no bot told)."""
        reloaded = await self.app.reload_config()
        told = signal_bots(self.app.settings.run_dir, self.database, skip=os.getpid())
        return reloaded, told

    async def on_interaction(self, interaction: FayeInteraction) -> None:
        """Every press, choice and modal submission, counted once here whatever view or item answers it."""
        if interaction.type in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            self.metrics.observe_press(source(interaction))

    async def on_app_command_completion(
        self, interaction: FayeInteraction, command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu
    ) -> None:
        record(interaction, OK)

    @tasks.loop(minutes=EXPIRY_SWEEP_MINUTES)
    async def expiry_sweep(self) -> None:
        """Close the listings whose time ran out and give their Esprits back: browsing only reads, so besides the
        sellers' and buyers' own auction actions, this timer is what brings them home. A failed sweep is logged
        and tried again next time; the loop never stops for it."""
        await sweep("auction expiry", "returned %d listings to their sellers", self.app.auction.expire)

    @expiry_sweep.before_loop
    async def _sweep_once_ready(self) -> None:
        await self.wait_until_ready()

    async def sync_commands(self) -> None:
        if self._sync.guild_id is not None:
            guild = discord.Object(id=self._sync.guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %d", len(synced), self._sync.guild_id)
        if self._sync.everywhere:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def close(self) -> None:
        self.expiry_sweep.cancel()
        try:
            await super().close()
        finally:
            self._app = None
            await self._stack.aclose()
