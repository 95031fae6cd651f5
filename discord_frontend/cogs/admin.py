"""/admin reset-db, /admin grant and /admin reload-config, for Faye administrators.

Two gates: Discord shows the group only to server administrators (`default_permissions`), and every command
checks the caller with the service's own `AdminService.authorize`. A bot owner acts as the console operator
(`CONSOLE`, whom the service always allows); anyone else acts as their user id, allowed when it is listed in
FAYE_ADMIN_IDS. Answers are ephemeral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog
from discord_frontend.inputs import GrantAmount
from discord_frontend.replies import Reply
from discord_frontend.tree import Refused
from discord_frontend.views import ConfirmView
from faye.config import Currency
from faye.errors import ConfigError, FayeError
from faye.services.admin import CONSOLE, Actor

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


async def actor_of(interaction: FayeInteraction) -> Actor:
    if await interaction.client.is_owner(interaction.user):
        return CONSOLE
    return str(interaction.user.id)


async def authorized(interaction: FayeInteraction) -> bool:
    try:
        interaction.client.app.admin.authorize(await actor_of(interaction))
    except FayeError as error:
        raise Refused(error) from error
    return True


@app_commands.default_permissions(administrator=True)
class Admin(FayeCog, commands.GroupCog, group_name="admin", group_description="Operator actions, for Faye admins."):
    @app_commands.command(name="reset-db", description="Delete every player's data and reseed the Esprits.")
    @app_commands.check(authorized)
    async def reset_db(self, interaction: FayeInteraction) -> None:
        actor = await actor_of(interaction)

        async def reset() -> Reply:
            return Reply(embeds.reset_done(await self.app.admin.reset(actor)))

        view = ConfirmView(interaction.user.id, reset, confirm_label="Delete everything", danger=True)
        view.message = await replies.send(interaction, Reply(embeds.reset_confirm()), view=view, ephemeral=True)

    @app_commands.command(description="Give a player currency (recorded in the ledger as admin_grant).")
    @app_commands.describe(player="Who receives it", amount="How much", currency="Which currency")
    @app_commands.choices(currency=[app_commands.Choice(name=c.value, value=c.value) for c in Currency])
    @app_commands.check(authorized)
    async def grant(
        self,
        interaction: FayeInteraction,
        player: discord.User,
        amount: GrantAmount,
        currency: str = Currency.FAYLEN.value,
    ) -> None:
        granted = await self.app.admin.grant(await actor_of(interaction), str(player.id), currency, amount)
        await replies.send(interaction, Reply(embeds.grant(granted)), ephemeral=True)

    @app_commands.command(
        name="reload-config", description="Load the game data files again and put them in force, in every bot process."
    )
    @app_commands.check(authorized)
    async def reload_config(self, interaction: FayeInteraction) -> None:
        try:
            reloaded, told = await self.bot.reload_config()
        except ConfigError as error:
            await replies.send(interaction, Reply(embeds.config_not_reloaded(error.problems)), ephemeral=True)
            return
        await replies.send(interaction, Reply(embeds.config_reloaded(reloaded, len(told.told))), ephemeral=True)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Admin(bot))
