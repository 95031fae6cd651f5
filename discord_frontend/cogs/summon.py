"""/summon: pay, pull, and page through the pulls' cards (the pager, and "Summon again", are in pagers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import replies
from discord_frontend.cogs import FayeCog
from discord_frontend.pagers import summon_and_show
from faye.choices import SUMMON_AMOUNTS

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Summon(FayeCog):
    @app_commands.command(description="Summon Esprits with gems; pity applies pull by pull.")
    @app_commands.describe(amount="How many pulls")
    @app_commands.choices(amount=[app_commands.Choice(name=f"{n}×", value=n) for n in SUMMON_AMOUNTS])
    async def summon(self, interaction: FayeInteraction, amount: int = SUMMON_AMOUNTS[0]) -> None:
        await replies.defer(interaction)
        await summon_and_show(interaction, amount)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Summon(bot))
