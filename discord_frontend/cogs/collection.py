"""/inventory and /active (one Esprit's card, /esprit show, is in cogs/esprit.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, Search, own_esprits, player_id
from discord_frontend.inputs import EspritId
from discord_frontend.pagers import InventoryScreen, open_pager
from discord_frontend.replies import Reply
from faye.choices import INVENTORY_SORTS

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Collection(FayeCog):
    @app_commands.command(description="Your Esprits, a page at a time; filter by rarity with the menu.")
    @app_commands.describe(sort="Order of the list", search="Only names containing this text")
    @app_commands.choices(sort=[app_commands.Choice(name=s, value=s) for s in INVENTORY_SORTS])
    async def inventory(self, interaction: FayeInteraction, sort: str = "rarity", search: Search | None = None) -> None:
        await open_pager(interaction, InventoryScreen(interaction.user.id, 1, sort, search=search))

    @app_commands.command(description="Choose your active Esprit, your partner.")
    @app_commands.describe(esprit="Start typing its name")
    @app_commands.autocomplete(esprit=own_esprits)
    async def active(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        chosen = await self.app.collection.set_active(player_id(interaction), esprit)
        await replies.send(interaction, Reply(embeds.active(chosen, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Collection(bot))
