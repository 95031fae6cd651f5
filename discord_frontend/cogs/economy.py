"""/balance, /profile (the profile card) and /daily."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, player_id
from discord_frontend.replies import Reply
from faye.render import render_profile

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Economy(FayeCog):
    @app_commands.command(description="Your wallet, level, daily streak and collection.")
    async def balance(self, interaction: FayeInteraction) -> None:
        profile = await self.app.economy.profile(player_id(interaction))
        await replies.send(interaction, Reply(embeds.profile(profile, self.config)))

    @app_commands.command(description="Your profile card: level, wallet, streak, collection and active Esprit.")
    async def profile(self, interaction: FayeInteraction) -> None:
        await replies.defer(interaction)
        profile = await self.app.economy.profile(player_id(interaction))
        png = await asyncio.to_thread(render_profile, profile, self.config)
        await replies.send(interaction, Reply.illustrated(embeds.profile(profile, self.config), "profile.png", png))

    @app_commands.command(description="Claim your daily reward (every 24 h; a streak within 48 h grows the bonus).")
    async def daily(self, interaction: FayeInteraction) -> None:
        claim = await self.app.economy.daily(player_id(interaction))
        await replies.send(interaction, Reply(embeds.daily(claim)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Economy(bot))
