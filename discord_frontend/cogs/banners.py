"""/banners, /history and /luck: what is open to summon on, every pull on record, and luck against the exact odds.

/banners is public knowledge: a stranger sees the banners too, without the pity standing only a player has. The
autocompletes here serve every command with a `banner:` option (/summon and /rates offer the open banners;
/history and /luck every banner that has opened, since pulls stay on record after a banner closes).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import banner_embeds, replies
from discord_frontend.banner_pagers import PERSISTENT, PullsScreen
from discord_frontend.cogs import FayeCog, player_id, rarities
from discord_frontend.pagers import open_pager
from discord_frontend.replies import Reply
from faye.errors import FayeError, NotRegistered
from faye.render import render_banner
from faye.services.summon import open_banner
from faye.text import printable

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.config import GameConfig
    from faye.results import BannerList, BannerView

#: Discord's most choices in one autocomplete answer.
CHOICES = 25


async def open_banners(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: the banners open now (standard first, then limited by end) whose name or id holds what
    was typed."""
    try:
        listing = await interaction.client.app.banners.open_now()
    except FayeError:
        return []
    folded = current.casefold()
    return [
        app_commands.Choice(name=banner_embeds.banner_choice(view), value=view.banner_id)
        for view in listing.banners
        if folded in view.name.casefold() or folded in view.banner_id
    ][:CHOICES]


async def opened_banners(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: every banner that has opened by now, the latest first (the standard one last)."""
    app = interaction.client.app
    now = app.context.clock.now()
    folded = current.casefold()
    started = [b for b in app.config.banners if (b.start is None or b.start <= now)]
    started.sort(key=lambda b: (b.start is not None, b.start), reverse=True)
    return [
        app_commands.Choice(name=printable(f"{b.name} · {b.kind}")[:100], value=b.banner_id)
        for b in started
        if folded in b.name.casefold() or folded in b.banner_id
    ][:CHOICES]


def chosen(listing: BannerList, banner_id: str | None, config: GameConfig) -> BannerView:
    """The banner /banners shows in detail: the one asked for, else the first with featured Esprits (the
    limited banner closing soonest), else the standard one. A banner not open at the listing's moment is
    refused as /summon would refuse it (`not_found`, `banner_closed`)."""
    if banner_id is None:
        return next((view for view in listing.banners if view.featured), listing.banners[0])
    open_banner(config, banner_id, listing.at)
    return next(view for view in listing.banners if view.banner_id == banner_id)


class Banners(FayeCog):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*PERSISTENT)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PERSISTENT)

    @app_commands.command(description="The banners open now, their featured Esprits and how long they stay.")
    @app_commands.describe(banner="Show this banner in detail (default: the limited one closing soonest)")
    @app_commands.autocomplete(banner=open_banners)
    async def banners(self, interaction: FayeInteraction, banner: str | None = None) -> None:
        await replies.defer(interaction)
        try:
            listing = await self.app.banners.open_now(player_id(interaction))
        except NotRegistered:  # the banners are public; only the pity standing is a player's
            listing = await self.app.banners.open_now()
        shown = chosen(listing, banner, self.config)
        png = await asyncio.to_thread(render_banner, shown, self.config)
        embed = banner_embeds.banners(listing, shown, self.config)
        await replies.send(interaction, Reply.illustrated(embed, f"banner-{shown.banner_id}.png", png))

    @app_commands.command(description="Every pull you made, newest first: what, where, and after how many.")
    @app_commands.describe(banner="Only pulls on this banner", rarity="Only pulls of this rarity")
    @app_commands.autocomplete(banner=opened_banners, rarity=rarities)
    async def history(self, interaction: FayeInteraction, banner: str | None = None, rarity: str | None = None) -> None:
        screen = PullsScreen(interaction.user.id, 1, banner, rarity)
        await open_pager(interaction, screen, always_buttons=False)

    @app_commands.command(description="Your luck: the pulls each of your hits took, against the exact odds.")
    @app_commands.describe(banner="Only pulls on this banner (default: every banner)")
    @app_commands.autocomplete(banner=opened_banners)
    async def luck(self, interaction: FayeInteraction, banner: str | None = None) -> None:
        await replies.defer(interaction)
        report = await self.app.banners.luck(player_id(interaction), banner_id=banner)
        await replies.send(interaction, Reply(banner_embeds.luck(report, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Banners(bot))
