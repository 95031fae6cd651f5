"""/start: the player policy, and registration when the player accepts it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog
from discord_frontend.replies import Reply
from discord_frontend.views import PolicyView
from faye.render import render_card

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Onboarding(FayeCog):
    @app_commands.command(description="Join Faye: read the player policy, accept it and meet your starter Esprit.")
    async def start(self, interaction: FayeInteraction) -> None:
        user = interaction.user
        await self.app.onboarding.ensure_new(str(user.id))

        async def accept() -> Reply:
            registration = await self.app.onboarding.register(str(user.id), user.display_name, policy_accepted=True)
            png = await asyncio.to_thread(render_card, registration.starter, self.config)
            return Reply.illustrated(embeds.welcome(registration, self.config), "starter.png", png)

        view = PolicyView(user.id, accept)
        view.message = await replies.send(interaction, Reply(embeds.policy()), view=view)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Onboarding(bot))
