"""The pagers of banners: a player's pull history (/history) and a banner's odds, Esprit by Esprit (/rates banner:).

They are `pagers.Screen`s like the inventory's, so they page the same way: ◀ n/N ▶ for the invoker only, their
state in the buttons' custom_ids, answering after a restart. Their buttons are `BannerPages`, a PageButton for
the kinds `pulls` and `odds` (PageButton's own template knows only the pagers of pagers.py), registered while
the banners cog is loaded.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Self

import discord

from discord_frontend import banner_embeds
from discord_frontend.pagers import STATE, Page, PageButton, Screen, Unreadable, optional
from discord_frontend.replies import Reply
from faye.disclosure import disclose_rates
from faye.errors import InvalidArgument
from faye.inputs import PAGE

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.config import GameConfig
    from faye.results import PullHistory

#: Esprits on one page of a banner's per-Esprit odds (after the tier table on page 1).
ODDS_PAGE: Final = 15
BANNER_ID: Final = re.compile(r"[a-z0-9_]{1,64}")


class BannerScreen(Screen):
    """A screen whose page buttons are `BannerPages`; they have nothing below them."""

    def view(self, count: int, config: GameConfig) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(BannerPages(self.at(self.page - 1), emoji="◀", disabled=self.page <= 1))
        view.add_item(BannerPages(self, label=f"{self.page}/{count}", disabled=True))
        view.add_item(BannerPages(self.at(self.page + 1), emoji="▶", disabled=self.page >= count))
        return view


@dataclass(frozen=True)
class PullsScreen(BannerScreen):
    """The player's recorded pulls, newest first, optionally of one banner and/or tier (the service pages)."""

    banner: str | None = None
    tier: str | None = None

    kind = "pulls"

    def fields(self) -> tuple[str, ...]:
        return self.banner or "", self.tier or ""

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        banner, colon, tier = rest.partition(":")
        if not colon:
            raise Unreadable(rest)
        return cls(owner_id, page, optional(banner), optional(tier))

    async def history(self, bot: FayeBot, page: int) -> PullHistory:
        return await bot.app.banners.history(self.player_id, banner_id=self.banner, tier=self.tier, page=page)

    async def load(self, bot: FayeBot) -> Page:
        try:
            found = await self.history(bot, self.page)
        except InvalidArgument as error:  # past the last page: records were pruned since the button was drawn
            if error.details.get("field") != "page" or self.page == 1:
                raise
            found = await self.history(bot, (await self.history(bot, 1)).pages)
        return Page(Reply(banner_embeds.history(found, bot.app.config)), found.page, max(1, found.pages))


@dataclass(frozen=True)
class OddsScreen(BannerScreen):
    """A banner's odds: page 1 the tier table, then every Esprit's long-run rate, rarest tier and featured first.

    Solving the chain takes tens of milliseconds, on a thread, so each press solves it again rather than keeping
    a cache that would have to know when the game data changed."""

    banner: str

    kind = "odds"

    def fields(self) -> tuple[str, ...]:
        return (self.banner,)

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        if BANNER_ID.fullmatch(rest) is None:
            raise Unreadable(rest)
        return cls(owner_id, page, rest)

    async def load(self, bot: FayeBot) -> Page:
        config = bot.app.config
        disclosure = await asyncio.to_thread(disclose_rates, config, self.banner)
        rows = sorted(disclosure.esprits, key=lambda odds: (-config.tier_rank.get(odds.tier, -1), not odds.featured))
        count = 1 + -(-len(rows) // ODDS_PAGE)
        shown = min(self.page, count)
        if shown == 1:
            embed = banner_embeds.odds_summary(disclosure, config, self.banner)
        else:
            chunk = rows[(shown - 2) * ODDS_PAGE : (shown - 1) * ODDS_PAGE]
            embed = banner_embeds.odds_page(chunk, config, self.banner, shown, count)
        return Page(Reply(embed), shown, count)


#: The banner pagers, by the kind in their custom_id.
SCREENS: Final[dict[str, type[Screen]]] = {s.kind: s for s in (PullsScreen, OddsScreen)}


class BannerPages(PageButton, template=r"faye:(?P<kind>pulls|odds)" + STATE):
    """The page buttons of the banner pagers: a press shows the page its custom_id names."""

    @classmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        screen = SCREENS[match["kind"]].read(match)
        PAGE.check(screen.page)
        return cls(screen)


#: Registered by the banners cog while it is loaded.
PERSISTENT: Final = (BannerPages,)
