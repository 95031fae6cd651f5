"""/leaderboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog
from discord_frontend.inputs import Places
from discord_frontend.replies import Reply
from faye.choices import LEADERBOARD_RANKINGS

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Leaderboard(FayeCog):
    @app_commands.command(description="The top players by level, XP, faylen, collection size or duel rating.")
    @app_commands.describe(by="What to rank by", limit="How many places")
    @app_commands.choices(by=[app_commands.Choice(name=r, value=r) for r in LEADERBOARD_RANKINGS])
    async def leaderboard(self, interaction: FayeInteraction, by: str = "level", limit: Places = 10) -> None:
        board = await self.app.leaderboard.top(by, limit)
        await replies.send(interaction, Reply(embeds.leaderboard(board)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Leaderboard(bot))
