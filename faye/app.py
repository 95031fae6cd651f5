"""FayeApp: settings, database, game data, clock and RNG wired into the services, in one place."""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from faye.clock import Clock, FixedClock, SystemClock, make_rng
from faye.config import GameConfig, load_config
from faye.config_cache import load_cached_config
from faye.db import Database
from faye.reload import data_digest
from faye.results import ConfigReloaded
from faye.services.context import LiveRules, Rules, ServiceContext
from faye.settings import Settings

if TYPE_CHECKING:
    from faye.services.admin import AdminService
    from faye.services.auction import AuctionService
    from faye.services.banners import BannerService
    from faye.services.battles import BattleService
    from faye.services.collection import CollectionService
    from faye.services.economy import EconomyService
    from faye.services.leaderboard import LeaderboardService
    from faye.services.limits import LimitService
    from faye.services.onboarding import OnboardingService
    from faye.services.privacy import PrivacyService
    from faye.services.progression import ProgressionService
    from faye.services.summon import SummonService
    from faye.services.trades import TradeService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FayeApp:
    """The game, ready to serve: `async with FayeApp.open() as app: await app.summons.summon(...)`."""

    settings: Settings
    context: ServiceContext

    # Each service is built (and its module imported) when first used, once: a CLI command is a fresh process
    # that needs one or two of them (issue 10, cold start: `faye balance` imports no auction, trade or battle
    # code). The bot and the tests touch them all soon enough; the objects are the same ever after.

    @cached_property
    def onboarding(self) -> OnboardingService:
        from faye.services.onboarding import OnboardingService

        return OnboardingService(self.context)

    @cached_property
    def economy(self) -> EconomyService:
        from faye.services.economy import EconomyService

        return EconomyService(self.context)

    @cached_property
    def summons(self) -> SummonService:
        from faye.services.summon import SummonService

        return SummonService(self.context)

    @cached_property
    def collection(self) -> CollectionService:
        from faye.services.collection import CollectionService

        return CollectionService(self.context)

    @cached_property
    def leaderboard(self) -> LeaderboardService:
        from faye.services.leaderboard import LeaderboardService

        return LeaderboardService(self.context)

    @cached_property
    def auction(self) -> AuctionService:
        from faye.services.auction import AuctionService

        return AuctionService(self.context)

    @cached_property
    def progression(self) -> ProgressionService:
        from faye.services.progression import ProgressionService

        return ProgressionService(self.context)

    @cached_property
    def trades(self) -> TradeService:
        from faye.services.trades import TradeService

        return TradeService(self.context)

    @cached_property
    def banners(self) -> BannerService:
        from faye.services.banners import BannerService

        return BannerService(self.context)

    @cached_property
    def battles(self) -> BattleService:
        from faye.services.battles import BattleService

        return BattleService(self.context)

    @cached_property
    def admin(self) -> AdminService:
        from faye.services.admin import AdminService

        return AdminService(self.context)

    @cached_property
    def privacy(self) -> PrivacyService:
        from faye.services.privacy import PrivacyService

        return PrivacyService(self.context)

    @cached_property
    def limits(self) -> LimitService:
        from faye.services.limits import LimitService

        return LimitService(self.context)

    @property
    def config(self) -> GameConfig:
        return self.context.config

    async def reload_config(self) -> ConfigReloaded:
        """Load the game data files again and put them in force for every interaction that starts after (those in
        flight finish on the rules they started with: faye.services.context.LiveRules).

        Everything is validated first; refuses ConfigError naming each file and field at fault, and then nothing
        has changed. New or changed Esprit definitions are written to the database before the swap (Esprits
        removed from the files stay there: players may own them). The change is logged with the files' digest."""
        settings = self.settings
        digest = data_digest(settings.config_dir)
        config = load_config(settings.config_dir, settings.assets_dir)
        await self.context.db.prepare(config)
        replaced = self.context.rules.swap(Rules.of(config, digest))
        changed = digest.changed(replaced.digest)
        before = replaced.digest.whole if replaced.digest is not None else None
        log.info(
            "game data reloaded: digest %s -> %s (files changed: %s)",
            before,
            digest.whole,
            ", ".join(changed) or "none",
            extra={"digest": digest.whole},
        )
        return ConfigReloaded(before=before, after=digest.whole, changed=changed)

    @classmethod
    def build(
        cls,
        settings: Settings,
        database: Database,
        config: GameConfig,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> FayeApp:
        if clock is None:
            clock = FixedClock(settings.now) if settings.now is not None else SystemClock()
        ctx = ServiceContext(
            db=database,
            rules=LiveRules(Rules.of(config, data_digest(settings.config_dir))),
            clock=clock,
            rng=rng if rng is not None else make_rng(settings.seed),
            admin_ids=settings.admin_ids,
            rate_limits=settings.limits,
        )
        return cls(settings=settings, context=ctx)

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        settings: Settings | None = None,
        *,
        config: GameConfig | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> AsyncIterator[FayeApp]:
        """Load the game data (validated once, then from faye.config_cache), open the database (creating or
        checking the schema, syncing Esprits), and close it after.

        Opening writes nothing to a database that is ready (so read commands work on a read-only file); expired
        auction listings go home in the auction's own write transactions and on the bot's timer, not here.
        """
        settings = settings if settings is not None else Settings()
        if config is None:
            config = load_cached_config(settings.config_dir, settings.assets_dir, settings.cache_dir)
        database = Database(
            settings.database_url,
            lock_timeout_s=settings.lock_timeout_s,
            statement_timeout_s=settings.statement_timeout_s,
        )
        try:
            await database.prepare(config)
            yield cls.build(settings, database, config, clock=clock, rng=rng)
        finally:
            await database.dispose()
