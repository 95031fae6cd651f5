"""/summon: pay, pull, and page through the pulls' cards."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, paginate, player_id
from discord_frontend.replies import Reply
from discord_frontend.views import SummonPager
from faye.choices import SUMMON_AMOUNTS
from faye.render import render_summon

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Summon(FayeCog):
    @app_commands.command(description="Summon Esprits with gems; pity applies pull by pull.")
    @app_commands.describe(amount="How many pulls")
    @app_commands.choices(amount=[app_commands.Choice(name=f"{n}×", value=n) for n in SUMMON_AMOUNTS])
    async def summon(self, interaction: FayeInteraction, amount: int = SUMMON_AMOUNTS[0]) -> None:
        await replies.defer(interaction)
        await self.present(interaction, amount)

    async def present(self, interaction: FayeInteraction, amount: int) -> None:
        """Summon and show the board with its pager: for /summon, and for the pager's "Summon again"."""
        result = await self.app.summons.summon(player_id(interaction), amount)
        png = await asyncio.to_thread(render_summon, result, self.config)
        first = Reply.illustrated(embeds.summon(result, self.config), "summon.png", png)

        async def again(pressed: FayeInteraction) -> None:
            await self.present(pressed, amount)

        await paginate(interaction, SummonPager(interaction.user.id, result, first, self.config, again))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Summon(bot))
