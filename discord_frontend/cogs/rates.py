"""/rates: the odds disclosure from faye.disclosure, the same call and the same numbers as `faye rates`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.banner_pagers import OddsScreen
from discord_frontend.cogs import FayeCog
from discord_frontend.cogs.banners import open_banners
from discord_frontend.pagers import open_pager
from discord_frontend.replies import Reply
from faye.disclosure import disclose_rates

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.gacha.exact import Disclosure


class Rates(FayeCog):
    def __init__(self, bot: FayeBot) -> None:
        super().__init__(bot)
        self._disclosure: Disclosure | None = None

    def compute(self) -> Disclosure:
        """The game data is fixed for the process's life, so the Markov chain is solved once."""
        if self._disclosure is None:
            self._disclosure = disclose_rates(self.config)
        return self._disclosure

    @app_commands.command(description="The summon odds: base and long-run rates, pity, pulls to get each tier.")
    @app_commands.describe(banner="A banner's odds, with each Esprit's chance, page by page")
    @app_commands.autocomplete(banner=open_banners)
    async def rates(self, interaction: FayeInteraction, banner: str | None = None) -> None:
        await replies.defer(interaction)
        if banner is not None:
            await open_pager(interaction, OddsScreen(interaction.user.id, 1, banner))
            return
        disclosure = await asyncio.to_thread(self.compute)
        await replies.send(interaction, Reply(embeds.rates(disclosure, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Rates(bot))
