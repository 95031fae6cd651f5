"""/trade open|show: a trade between two players, worked on in one public message (trade_views).

/trade open @user opens an empty trade and posts its message; both traders add to their own side with its buttons
and both confirm. /trade show posts a trade's message again (its buttons work like the first's). The cog owns what
only trades need: it registers the trade buttons (answering after a restart too) while it is loaded, and runs the
timer that closes expired trades, which gives their Esprits back (`TradeService.expire`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import discord
from discord import app_commands
from discord.ext import commands, tasks

from discord_frontend.cogs import FayeCog, player_id
from discord_frontend.inputs import InRange
from discord_frontend.sweeps import sweep
from discord_frontend.trade_views import PERSISTENT, post, refresher_for
from faye.errors import FayeError
from faye.inputs import TRADE_ID
from faye.services.trades import Offer
from faye.text import printable

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


TradeId = app_commands.Transform[int, InRange(TRADE_ID)]
EXPIRY_SWEEP_MINUTES: Final = 1.0
"""How often the bot closes the trades whose time ran out (they last minutes, so this runs often)."""


async def my_trades(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: the player's open trades, newest first, by id and the other trader's name."""
    user = player_id(interaction)
    try:
        found = await interaction.client.app.trades.mine(user)
    except FayeError:
        return []
    choices = []
    for trade in found.trades:
        other = next((side.username for side in trade.sides.values() if side.user_id != user), "")
        name = printable(f"#{trade.id} with {other} · version {trade.version}")[:100]
        if current.casefold() in name.casefold():
            choices.append(app_commands.Choice(name=name, value=trade.id))
    return choices


class Trade(
    FayeCog,
    commands.GroupCog,
    group_name="trade",
    group_description="Trade Esprits and currency with another player: both add, both confirm.",
):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*PERSISTENT)
        self.expiry_sweep.start()

    async def cog_unload(self) -> None:
        self.expiry_sweep.cancel()
        refresher_for(self.bot).cancel_all()
        self.bot.remove_dynamic_items(*PERSISTENT)

    @app_commands.command(name="open", description="Open a trade with another player, in a message you both use.")
    @app_commands.describe(user="The player to trade with")
    async def open_trade(self, interaction: FayeInteraction, user: discord.User) -> None:
        trade = await self.app.trades.offer(player_id(interaction), str(user.id), Offer(), Offer())
        await post(interaction, trade)

    @app_commands.command(description="Show one of your trades again, with its buttons.")
    @app_commands.describe(trade="One of your open trades")
    @app_commands.autocomplete(trade=my_trades)
    async def show(self, interaction: FayeInteraction, trade: TradeId) -> None:
        await post(interaction, await self.app.trades.show(player_id(interaction), trade))

    @tasks.loop(minutes=EXPIRY_SWEEP_MINUTES)
    async def expiry_sweep(self) -> None:
        """Close the trades whose time ran out, releasing their Esprits: a trade nobody touches again would keep
        them reserved otherwise. A failed sweep is logged and tried again next time."""
        await sweep("trade expiry", "closed %d trades", self.app.trades.expire)

    @expiry_sweep.before_loop
    async def _sweep_once_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Trade(bot))
