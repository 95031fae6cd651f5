"""/summon: pay, pull, and page through the pulls' cards (the pager, and "Summon again", are in pagers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import replies
from discord_frontend.cogs import FayeCog
from discord_frontend.cogs.banners import open_banners
from discord_frontend.pagers import summon_and_show
from faye.choices import SUMMON_AMOUNTS

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Summon(FayeCog):
    @app_commands.command(description="Summon Esprits with gems; pity applies pull by pull.")
    @app_commands.describe(amount="How many pulls", banner="The banner to summon on (default: the standard one)")
    @app_commands.choices(amount=[app_commands.Choice(name=f"{n}×", value=n) for n in SUMMON_AMOUNTS])
    @app_commands.autocomplete(banner=open_banners)
    async def summon(
        self, interaction: FayeInteraction, amount: int = SUMMON_AMOUNTS[0], banner: str | None = None
    ) -> None:
        await replies.defer(interaction)
        await summon_and_show(interaction, amount, banner)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Summon(bot))
