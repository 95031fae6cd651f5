"""/auction list|browse|buy|cancel|history: the auction house, buying behind a confirm button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, Search, own_esprits, player_id, rarities
from discord_frontend.inputs import EspritId, ListingHours, ListingId, Price
from discord_frontend.pagers import ListingsScreen, open_pager
from discord_frontend.replies import Reply
from discord_frontend.views import ConfirmView
from faye.choices import AUCTION_SORTS
from faye.errors import FayeError

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


async def open_listings(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: open listings whose Esprit's name contains what the player typed, cheapest first."""
    try:
        page = await interaction.client.app.auction.browse(search=current, sort="price")
    except FayeError:
        return []
    return [app_commands.Choice(name=embeds.listing_choice(item), value=item.id) for item in page.items]


async def my_listings(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: the player's own open listings."""
    try:
        history = await interaction.client.app.auction.history(player_id(interaction))
    except FayeError:
        return []
    folded = current.casefold()
    return [
        app_commands.Choice(name=embeds.listing_choice(item), value=item.id)
        for item in history.open
        if folded in embeds.listing_choice(item).casefold()
    ]


class Auction(
    FayeCog,
    commands.GroupCog,
    group_name="auction",
    group_description="The auction house: sell Esprits for faylen, buy other players'.",
):
    @app_commands.command(name="list", description="Offer one of your Esprits for faylen; it waits in escrow.")
    @app_commands.describe(
        esprit="Start typing its name", price="Price in faylen", hours="How long the listing stays open"
    )
    @app_commands.autocomplete(esprit=own_esprits)
    async def list_esprit(
        self, interaction: FayeInteraction, esprit: EspritId, price: Price, hours: ListingHours | None = None
    ) -> None:
        created = await self.app.auction.create_listing(player_id(interaction), esprit, price, hours)
        await replies.send(interaction, Reply(embeds.listing_created(created, self.config)))

    @app_commands.command(description="Open listings, filtered and sorted, a page at a time.")
    @app_commands.describe(
        rarity="Only this rarity",
        search="Only names containing this text",
        min_price="Lowest price",
        max_price="Highest price",
        sort="Order of the list",
    )
    @app_commands.autocomplete(rarity=rarities)
    @app_commands.choices(sort=[app_commands.Choice(name=s, value=s) for s in AUCTION_SORTS])
    async def browse(
        self,
        interaction: FayeInteraction,
        rarity: str | None = None,
        search: Search | None = None,
        min_price: Price | None = None,
        max_price: Price | None = None,
        sort: str = "newest",
    ) -> None:
        screen = ListingsScreen(interaction.user.id, 1, sort, min_price, max_price, rarity, search)
        await open_pager(interaction, screen)

    @app_commands.command(description="Buy a listing: you confirm, you pay, the Esprit is yours.")
    @app_commands.describe(listing="Start typing the Esprit's name")
    @app_commands.autocomplete(listing=open_listings)
    async def buy(self, interaction: FayeInteraction, listing: ListingId) -> None:
        buyer = player_id(interaction)
        offer = await self.app.auction.listing(listing)

        async def purchase() -> Reply:
            return Reply(embeds.purchase(await self.app.auction.buy(buyer, listing), self.config))

        view = ConfirmView(interaction.user.id, purchase, confirm_label="Buy")
        view.message = await replies.send(interaction, Reply(embeds.buy_confirm(offer, self.config)), view=view)

    @app_commands.command(description="Take your Esprit back from a listing (the listing fee is not refunded).")
    @app_commands.describe(listing="One of your open listings")
    @app_commands.autocomplete(listing=my_listings)
    async def cancel(self, interaction: FayeInteraction, listing: ListingId) -> None:
        cancelled = await self.app.auction.cancel(player_id(interaction), listing)
        await replies.send(interaction, Reply(embeds.cancellation(cancelled, self.config)))

    @app_commands.command(description="Your open listings, sales and purchases.")
    async def history(self, interaction: FayeInteraction) -> None:
        history = await self.app.auction.history(player_id(interaction))
        await replies.send(interaction, Reply(embeds.auction_history(history, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Auction(bot))
