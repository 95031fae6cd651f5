"""/esprit show|train|ascend|history: one Esprit's card, its growth, and its life story.

Ascending cannot be undone, so /esprit ascend shows first exactly which duplicates would go and the virelite it
costs, and acts only on the invoker's Confirm, once, naming exactly those duplicates (`using=`): what happens is
what was shown, or a refusal if the collection changed in between.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, own_esprits, player_id
from discord_frontend.inputs import EspritId, TrainFaylen, TrainLevels
from discord_frontend.pagers import HistoryScreen, open_pager
from discord_frontend.replies import Reply
from discord_frontend.views import ConfirmView
from faye.render import render_card

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Esprit(
    FayeCog,
    commands.GroupCog,
    group_name="esprit",
    group_description="One of your Esprits: its card, training, ascension and history.",
):
    @app_commands.command(description="One of your Esprits: its card, level, rank, stats and lore.")
    @app_commands.describe(esprit="Start typing its name")
    @app_commands.autocomplete(esprit=own_esprits)
    async def show(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        await replies.defer(interaction)
        detail = await self.app.collection.esprit(player_id(interaction), esprit)
        png = await asyncio.to_thread(render_card, detail, self.config)
        embed = embeds.esprit(detail, self.config)
        await replies.send(interaction, Reply.illustrated(embed, f"esprit-{detail.id}.png", png))

    @app_commands.command(description="Spend faylen for XP: a number of levels, or an amount of faylen.")
    @app_commands.describe(
        esprit="Start typing its name", levels="How many levels to gain (up to the cap)", faylen="Faylen to spend"
    )
    @app_commands.autocomplete(esprit=own_esprits)
    async def train(
        self,
        interaction: FayeInteraction,
        esprit: EspritId,
        levels: TrainLevels | None = None,
        faylen: TrainFaylen | None = None,
    ) -> None:
        trained = await self.app.progression.train(player_id(interaction), esprit, levels=levels, faylen=faylen)
        await replies.send(interaction, Reply(embeds.training(trained, self.config)))

    @app_commands.command(description="Raise the level cap: consume duplicates and virelite (you confirm first).")
    @app_commands.describe(esprit="Start typing its name")
    @app_commands.autocomplete(esprit=own_esprits)
    async def ascend(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        user = player_id(interaction)
        plan = await self.app.progression.ascend_preview(user, esprit)
        using = [e.id for e in plan.fodder]

        async def ascend() -> Reply:
            return Reply(embeds.ascension(await self.app.progression.ascend(user, esprit, using), self.config))

        view = ConfirmView(interaction.user.id, ascend, confirm_label="Ascend", danger=True)
        view.message = await replies.send(interaction, Reply(embeds.ascend_confirm(plan, self.config)), view=view)

    @app_commands.command(description="Every event in an Esprit's life: summoned, sold, ascended, released…")
    @app_commands.describe(esprit="Start typing its name, or give the id of one you once had")
    @app_commands.autocomplete(esprit=own_esprits)
    async def history(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        await open_pager(interaction, HistoryScreen(interaction.user.id, 1, esprit), always_buttons=False)


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Esprit(bot))
