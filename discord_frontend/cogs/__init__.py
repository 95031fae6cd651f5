"""The slash commands, one cog per feature.

A command parses its options, calls one service function, formats the result with `embeds` and sends it with
`replies`: no SQL and no game rule here. Refusals are not caught here either; they travel to `tree.report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from discord_frontend import embeds
from discord_frontend.pagers import SEARCH_LIMIT
from faye.errors import FayeError

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.app import FayeApp
    from faye.config import GameConfig

#: A pager's name search: bounded so that the pager's state always fits in its buttons' custom_ids.
Search = app_commands.Range[str, 1, SEARCH_LIMIT]


class FayeCog(commands.Cog):
    def __init__(self, bot: FayeBot) -> None:
        self.bot = bot

    @property
    def app(self) -> FayeApp:
        return self.bot.app

    @property
    def config(self) -> GameConfig:
        return self.bot.app.config


def player_id(interaction: FayeInteraction) -> str:
    """Players from Discord are their user id (a snowflake) as a string."""
    return str(interaction.user.id)


async def own_esprits(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: the player's Esprits whose name contains what they typed (none for a stranger)."""
    try:
        page = await interaction.client.app.collection.inventory(player_id(interaction), search=current, sort="name")
    except FayeError:
        return []
    return [app_commands.Choice(name=embeds.esprit_choice(item), value=item.id) for item in page.items]


async def rarities(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: the rarity tiers of the game data, highest first."""
    folded = current.casefold()
    tiers = reversed(interaction.client.app.config.tier_names)
    return [app_commands.Choice(name=tier, value=tier) for tier in tiers if folded in tier.casefold()]
