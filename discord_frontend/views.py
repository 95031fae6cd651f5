"""Buttons and selects: views only their invoker may use, whose actions happen once, and that go quiet on timeout.

- `OwnedView`: refuses everyone but the invoker (ephemerally), disables its components and edits its message on
  timeout, and reports errors through `tree.report`, like a slash command.
- `ConfirmView` / `PolicyView`: one action behind a button. The first press claims the view *before* any await
  (so a double click cannot act twice), greys the buttons out in its acknowledgement, then calls the service.
- `Paginator` and its pages: `SummonPager` (a summon's board, then each pull's card, and "Summon again"),
  `InventoryView` (rarity select), `ListingsView` (the auction house).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self

import discord

from discord_frontend import embeds
from discord_frontend.replies import Reply, refuse, update
from discord_frontend.tree import report
from faye.render import render_card

if TYPE_CHECKING:
    from discord_frontend.bot import FayeInteraction
    from discord_frontend.replies import Message
    from faye.app import FayeApp
    from faye.config import GameConfig
    from faye.results import SummonResult

#: Seconds without a press before a view disables itself (read at creation, so tests can shorten it).
TIMEOUT: Final = 180.0
#: The rarity select's value for "no filter".
ALL_RARITIES: Final = "*"

Action = Callable[[], Awaitable[Reply]]


class OwnedView(discord.ui.View):
    """A view for one player: the one who ran the command."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=TIMEOUT)
        self.owner_id = owner_id
        self.message: Message | None = None
        """The message carrying the view, edited on timeout; set by whoever sends it."""
        self.acted = False

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await refuse(interaction, embeds.not_yours())
        return False

    def disable(self, items: Sequence[discord.ui.Item[Any]] = ()) -> None:
        """Grey out `items` (default: every component)."""
        for item in items or self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def claim(self, interaction: FayeInteraction, *items: discord.ui.Item[Any]) -> bool:
        """The view's one action: True for the first press, which disables `items` (default: all) in its
        acknowledgement; a later press gets an ephemeral "already done". Check and claim happen with no await
        in between, so of two presses racing on the event loop exactly one wins."""
        if self.acted:
            await refuse(interaction, embeds.already_done())
            return False
        self.acted = True
        self.disable(items)
        await interaction.response.edit_message(view=self)
        return True

    async def on_timeout(self) -> None:
        self.disable()
        if self.message is not None:
            with suppress(discord.HTTPException):  # deleted, or the interaction token (15 min) ran out
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report(interaction, error)


class ConfirmView(OwnedView):
    """Confirm or cancel one action; the message then shows its outcome and loses its buttons."""

    def __init__(
        self,
        owner_id: int,
        action: Action,
        *,
        confirm_label: str = "Confirm",
        cancel_label: str = "Cancel",
        danger: bool = False,
        cancelled: discord.Embed | None = None,
    ) -> None:
        super().__init__(owner_id)
        self.action = action
        self.confirm.label = confirm_label
        self.confirm.style = discord.ButtonStyle.danger if danger else discord.ButtonStyle.success
        self.cancel.label = cancel_label
        self.cancelled = cancelled or embeds.cancelled()

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        if not await self.claim(interaction):
            return
        try:
            reply = await self.action()
        finally:
            self.stop()
        await update(interaction, reply, view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        if not await self.claim(interaction):
            return
        self.stop()
        await update(interaction, Reply(self.cancelled), view=None)


class PolicyView(ConfirmView):
    """The player policy's Accept and Decline: accepting registers the player."""

    def __init__(self, owner_id: int, accept: Action) -> None:
        super().__init__(owner_id, accept, confirm_label="Accept", cancel_label="Decline", cancelled=embeds.declined())


@dataclass(frozen=True)
class Page:
    reply: Reply
    number: int
    """From 1."""
    count: int


class Paginator(OwnedView):
    """◀ n/N ▶ over pages loaded on demand by `load`."""

    slow: ClassVar[bool] = False
    """Pages take a while (an image to draw): acknowledge the press before loading."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(owner_id)
        self.number = 1
        self.count = 1
        self._turning = asyncio.Lock()

    async def load(self, number: int) -> Page:
        """Page `number` (from 1) as it is now."""
        raise NotImplementedError

    def at(self, page: Page) -> Self:
        """Show the buttons for `page`."""
        self.number, self.count = page.number, page.count
        self.previous.disabled = self.number <= 1
        self.next.disabled = self.number >= self.count
        self.position.label = f"{self.number}/{self.count}"
        return self

    async def show(self, interaction: FayeInteraction, target: Callable[[int], int]) -> None:
        """Load and show page `target(current page)`. Presses are taken one at a time, so two quick ▶ move two
        pages; a slow pager acknowledges each press at once (Discord's 3-second rule) and waits its turn."""
        if self.slow:
            await interaction.response.defer()
        async with self._turning:
            page = await self.load(max(1, min(self.count, target(self.number))))
            await update(interaction, page.reply, view=self.at(page))

    @discord.ui.button(emoji="◀", style=discord.ButtonStyle.secondary, row=0)
    async def previous(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        await self.show(interaction, lambda n: n - 1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True, row=0)
    async def position(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        """A label, never enabled."""

    @discord.ui.button(emoji="▶", style=discord.ButtonStyle.secondary, row=0)
    async def next(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        await self.show(interaction, lambda n: n + 1)


class SummonPager(Paginator):
    """Page 1 is the summon's board (a 10-pull) or card (a single pull); then one card per pull.
    "Summon again" pays for the same summon once more and shows it in a new message."""

    slow = True

    def __init__(
        self,
        owner_id: int,
        result: SummonResult,
        first: Reply,
        config: GameConfig,
        again: Callable[[FayeInteraction], Awaitable[None]],
    ) -> None:
        super().__init__(owner_id)
        self.result = result
        self.first = first
        self.config = config
        self._again = again
        self._cards: dict[int, bytes] = {}
        self.summon_again.label = f"Summon ×{len(result.esprits)} again"

    @property
    def pages(self) -> int:
        pulls = len(self.result.esprits)
        return 1 if pulls == 1 else pulls + 1

    async def load(self, number: int) -> Page:
        if number == 1:
            return Page(self.first, 1, self.pages)
        pull = number - 1
        esprit = self.result.esprits[pull - 1]
        if esprit.id not in self._cards:
            definition = self.config.esprits_by_id[esprit.esprit_id]
            self._cards[esprit.id] = await asyncio.to_thread(render_card, definition, self.config)
        embed = embeds.summoned(esprit, pull, len(self.result.esprits), self.config)
        return Page(Reply.illustrated(embed, f"esprit-{esprit.id}.png", self._cards[esprit.id]), number, self.pages)

    @discord.ui.button(label="Summon again", style=discord.ButtonStyle.primary, row=1)
    async def summon_again(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        if await self.claim(interaction, button):
            await self._again(interaction)


class RaritySelect(discord.ui.Select["InventoryView"]):
    def __init__(self, config: GameConfig) -> None:
        options = [discord.SelectOption(label="All rarities", value=ALL_RARITIES, default=True)]
        for tier in reversed(config.tier_names):
            visual = config.visuals.get(tier)
            options.append(discord.SelectOption(label=tier, value=tier, emoji=visual.emoji if visual else None))
        super().__init__(placeholder="Filter by rarity", options=options, row=1)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        (chosen,) = self.values
        for option in self.options:
            option.default = option.value == chosen
        self.view.rarity = None if chosen == ALL_RARITIES else chosen
        await self.view.show(interaction, lambda _: 1)


class InventoryView(Paginator):
    """The player's Esprits, a page at a time, filtered by the rarity select."""

    def __init__(self, owner_id: int, app: FayeApp, user_id: str, *, sort: str, search: str | None) -> None:
        super().__init__(owner_id)
        self.app = app
        self.user_id = user_id
        self.sort = sort
        self.search = search
        self.rarity: str | None = None
        self.add_item(RaritySelect(app.config))

    async def load(self, number: int) -> Page:
        page = await self.app.collection.inventory(
            self.user_id, rarity=self.rarity, search=self.search, sort=self.sort, page=number
        )
        embed = embeds.inventory(page, self.app.config, rarity=self.rarity, sort=self.sort)
        return Page(Reply(embed), page.page, page.pages)


@dataclass(frozen=True)
class ListingFilter:
    rarity: str | None = None
    search: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "newest"


class ListingsView(Paginator):
    """Open auction listings, a page at a time."""

    def __init__(self, owner_id: int, app: FayeApp, where: ListingFilter) -> None:
        super().__init__(owner_id)
        self.app = app
        self.where = where

    async def load(self, number: int) -> Page:
        where = self.where
        page = await self.app.auction.browse(
            rarity=where.rarity,
            search=where.search,
            min_price=where.min_price,
            max_price=where.max_price,
            sort=where.sort,
            page=number,
        )
        return Page(Reply(embeds.listing_page(page, self.app.config)), page.page, page.pages)
