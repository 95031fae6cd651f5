"""Pagers that survive a restart: a summon's board and cards, the inventory, the auction house, an Esprit's history.

A pager keeps everything it needs in its components' `custom_id`s (`discord.ui.DynamicItem`): whose buttons they
are, the page a button leads to, the filter, and for a summon the ids of its pulls. A press rebuilds the screen
from its custom_id and reads the rest from the service, so a press works whichever process answers it: a bot
restarted or redeployed since the message was sent answers as if it had sent it. Pagers never time out — there is
no state in memory to let go of — and always show the game as it is at the press (a pull sold since is "no longer
in your collection"). The item classes are registered once, in `FayeBot.setup_hook` (`PERSISTENT`).

Every press of someone else's buttons is refused ephemerally ("Not your buttons"); a custom_id this bot cannot
read (another version's, or forged) is refused as expired; a bad value in one (a page out of range, an unknown
sort) is refused like the same value typed into a command. None of them is ever an internal error.
"""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeVar
from weakref import WeakValueDictionary

import discord

from discord_frontend import embeds
from discord_frontend.replies import Reply, refuse, send, update
from discord_frontend.tree import pin_rules, report
from faye.choices import SUMMON_AMOUNTS
from faye.errors import FayeError, InvalidArgument
from faye.inputs import ESPRIT_ID, PAGE
from faye.render import render_card, render_summon
from faye.results import SummonedEsprit

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.config import GameConfig
    from faye.results import OwnedEsprit, SummonResult

log = logging.getLogger(__name__)

#: The rarity select's value for "no filter".
ALL_RARITIES: Final = "*"
#: Discord's longest custom_id.
CUSTOM_ID_LIMIT: Final = 100
#: Longest search text of a pager, so that its filters always fit in a custom_id (with a tier name of up to 12
#: characters). Nothing is lost: 20 characters of any Esprit's name find it.
SEARCH_LIMIT: Final = 20
#: Events on one page of an Esprit's history.
HISTORY_PAGE: Final = 10

ItemT = TypeVar("ItemT", bound="discord.ui.Item[Any]")


class Unreadable(Exception):
    """A custom_id this version of the bot cannot read: answered as an expired button."""


# --- what a bot process remembers between presses -------------------------------------------------------


class Presses:
    """The little a bot process keeps between presses of persistent buttons, none of it needed after a restart:
    the messages whose "Summon again" has acted (a double click, both presses arriving before either is answered,
    must summon once; the message then shows the button greyed out, so a restart forgets nothing that matters),
    and a lock per message so that presses on one message are taken one at a time, in the order they came."""

    #: Claims remembered; the oldest go first (their messages show the button greyed out long since).
    LIMIT: ClassVar[int] = 10_000

    def __init__(self) -> None:
        self._claimed: OrderedDict[int, None] = OrderedDict()
        self._turns: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def claim(self, message_id: int) -> bool:
        """True the first time for a message. No await inside, so of two racing presses exactly one wins."""
        if message_id in self._claimed:
            return False
        self._claimed[message_id] = None
        if len(self._claimed) > self.LIMIT:
            self._claimed.popitem(last=False)
        return True

    def turn(self, message_id: int) -> asyncio.Lock:
        """The lock for presses on one message (held while in use, forgotten after)."""
        lock = self._turns.get(message_id)
        if lock is None:
            lock = self._turns[message_id] = asyncio.Lock()
        return lock


def presses_of(interaction: FayeInteraction) -> Presses:
    return interaction.client.presses


def message_id_of(interaction: discord.Interaction[Any]) -> int:
    assert interaction.message is not None, "a component interaction carries its message"
    return interaction.message.id


# --- screens: a pager's whole state, written into its custom_ids ----------------------------------------


def number(text: str) -> int:
    """A decimal number from a custom_id: ASCII digits only (int() would take '+1', ' 1', '1_0' and '١')."""
    if re.fullmatch(r"[0-9]{1,20}", text) is None:
        raise Unreadable(text)
    return int(text)


def optional(text: str) -> str | None:
    return text or None


@dataclass(frozen=True)
class Page:
    reply: Reply
    number: int
    """From 1."""
    count: int


@dataclass(frozen=True)
class Screen(ABC):
    """What a pager shows, all of it written into its custom_ids: `faye:<kind>:<owner>:<page>:<fields…>`."""

    owner_id: int
    """The Discord user who ran the command: the only one who may press."""
    page: int
    """The page this screen shows, from 1."""

    kind: ClassVar[str]
    slow: ClassVar[bool] = False
    """Pages take a while (an image to draw): acknowledge the press before loading."""

    @abstractmethod
    def fields(self) -> tuple[str, ...]:
        """The state after owner and page; only the last field may contain ':'."""

    @classmethod
    @abstractmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        """The screen from its custom_id; Unreadable or a FayeError (a value out of range) if it is not one."""

    @classmethod
    def read(cls, match: re.Match[str]) -> Self:
        """The screen from a component's custom_id (its `state` group)."""
        parts = (match["state"] or "").split(":", 2)
        if len(parts) != 3:
            raise Unreadable(match.string)
        owner, page, rest = parts
        return cls.parse(number(owner), number(page), rest)

    @abstractmethod
    async def load(self, bot: FayeBot) -> Page:
        """This screen's page as the game is now; past the last page, the last page."""

    def extras(self, count: int, config: GameConfig) -> list[discord.ui.Item[Any]]:
        """Components below the page buttons."""
        return []

    @property
    def player_id(self) -> str:
        return str(self.owner_id)

    def at(self, page: int) -> Self:
        return replace(self, page=page)

    def custom_id(self, kind: str) -> str:
        """This screen written as a custom_id for a component of `kind`. Refused (invalid_argument) if it does not
        fit Discord's 100 characters or a field would break the format: nothing is sent then."""
        *head, last = self.fields()
        custom_id = ":".join(("faye", kind, str(self.owner_id), str(self.page), *head, last))
        if len(custom_id) > CUSTOM_ID_LIMIT or any(":" in field for field in head):
            raise InvalidArgument("these filters are too long to page through; shorten the search", field="search")
        return custom_id

    def view(self, count: int, config: GameConfig) -> discord.ui.View:
        """◀ n/N ▶ for this screen's page of `count`, and the screen's extras. No timeout: nothing to forget."""
        view = discord.ui.View(timeout=None)
        view.add_item(PageButton(self.at(self.page - 1), emoji="◀", disabled=self.page <= 1))
        view.add_item(PageButton(self, label=f"{self.page}/{count}", disabled=True))
        view.add_item(PageButton(self.at(self.page + 1), emoji="▶", disabled=self.page >= count))
        for item in self.extras(count, config):
            view.add_item(item)
        return view


async def open_pager(interaction: FayeInteraction, screen: Screen, *, always_buttons: bool = True) -> None:
    """Send a pager's page with its buttons (the answer to /inventory or /auction browse); a screen with nothing
    but pages (no filter below them) passes `always_buttons=False` to go without them when there is one page."""
    page = await screen.load(interaction.client)
    if page.count == 1 and not always_buttons:
        await send(interaction, page.reply)
        return
    view = screen.at(page.number).view(page.count, interaction.client.app.config)
    await send(interaction, page.reply, view=view)


@dataclass(frozen=True)
class InventoryScreen(Screen):
    """The player's Esprits, a page at a time, filtered by the rarity select."""

    sort: str
    rarity: str | None = None
    search: str | None = None

    kind = "inv"

    def fields(self) -> tuple[str, ...]:
        return self.sort, self.rarity or "", self.search or ""

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        parts = rest.split(":", 2)
        if len(parts) != 3:
            raise Unreadable(rest)
        sort, rarity, search = parts
        return cls(owner_id, page, sort, optional(rarity), optional(search))

    async def load(self, bot: FayeBot) -> Page:
        collection = bot.app.collection
        found = await collection.inventory(
            self.player_id, rarity=self.rarity, search=self.search, sort=self.sort, page=self.page
        )
        if found.page > found.pages:  # the collection shrank since the button was drawn
            found = await collection.inventory(
                self.player_id, rarity=self.rarity, search=self.search, sort=self.sort, page=found.pages
            )
        embed = embeds.inventory(found, bot.app.config, rarity=self.rarity, sort=self.sort)
        return Page(Reply(embed), found.page, found.pages)

    def extras(self, count: int, config: GameConfig) -> list[discord.ui.Item[Any]]:
        return [RarityFilter(self, config)]


@dataclass(frozen=True)
class ListingsScreen(Screen):
    """Open auction listings, a page at a time."""

    sort: str = "newest"
    min_price: int | None = None
    max_price: int | None = None
    rarity: str | None = None
    search: str | None = None

    kind = "ah"

    def fields(self) -> tuple[str, ...]:
        prices = ("" if price is None else str(price) for price in (self.min_price, self.max_price))
        return self.sort, *prices, self.rarity or "", self.search or ""

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        parts = rest.split(":", 4)
        if len(parts) != 5:
            raise Unreadable(rest)
        sort, low, high, rarity, search = parts
        prices = [number(price) if price else None for price in (low, high)]
        return cls(owner_id, page, sort, prices[0], prices[1], optional(rarity), optional(search))

    async def browse(self, bot: FayeBot, page: int) -> Page:
        found = await bot.app.auction.browse(
            rarity=self.rarity,
            search=self.search,
            min_price=self.min_price,
            max_price=self.max_price,
            sort=self.sort,
            page=page,
        )
        return Page(Reply(embeds.listing_page(found, bot.app.config)), found.page, found.pages)

    async def load(self, bot: FayeBot) -> Page:
        page = await self.browse(bot, self.page)
        return page if page.number <= page.count else await self.browse(bot, page.count)


@dataclass(frozen=True)
class HistoryScreen(Screen):
    """Every event in one Esprit's life, oldest first, `HISTORY_PAGE` a page."""

    esprit_id: int

    kind = "hist"

    def fields(self) -> tuple[str, ...]:
        return (str(self.esprit_id),)

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        return cls(owner_id, page, ESPRIT_ID.check(number(rest)))

    async def load(self, bot: FayeBot) -> Page:
        history = await bot.app.progression.history(self.player_id, self.esprit_id)
        count = max(1, -(-len(history.events) // HISTORY_PAGE))
        shown = min(self.page, count)
        events = history.events[(shown - 1) * HISTORY_PAGE : shown * HISTORY_PAGE]
        return Page(Reply(embeds.esprit_history(history, events, shown, count)), shown, count)


@dataclass(frozen=True)
class PullRef:
    """A summon's pull as its buttons remember it: the Esprit's id, and whether it came at hard pity."""

    id: int
    pity: bool


def write_pulls(pulls: Sequence[PullRef]) -> str:
    """'2s1.1.1!.1…': the first id, then each id's difference from the one before, in base 36, '!' marking a pull
    at hard pity. A summon's ids are usually consecutive (10 ids in ~30 characters), but nothing guarantees it
    (concurrent summons on PostgreSQL interleave their sequence values), so any ids are written, just longer."""
    tokens, previous = [], 0
    for pull in pulls:
        delta = pull.id - previous
        tokens.append(("-" if delta < 0 else "") + base36(abs(delta)) + ("!" if pull.pity else ""))
        previous = pull.id
    return ".".join(tokens)


def read_pulls(text: str) -> tuple[PullRef, ...]:
    """The inverse of `write_pulls`: Unreadable unless a summon's number of pulls, each a valid Esprit id."""
    tokens = text.split(".")
    if len(tokens) not in SUMMON_AMOUNTS:
        raise Unreadable(text)
    pulls, previous = [], 0
    for token in tokens:
        found = re.fullmatch(r"(-?)([0-9a-z]{1,13})(!?)", token)
        if found is None:
            raise Unreadable(text)
        sign, digits, pity = found.groups()
        previous += int(digits, 36) * (-1 if sign else 1)
        pulls.append(PullRef(ESPRIT_ID.check(previous), bool(pity)))
    return tuple(pulls)


def base36(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if value == 0:
            return digits


@dataclass(frozen=True)
class SummonScreen(Screen):
    """A summon: page 1 its board, then one card per pull; "Summon again" below.

    The board as first shown (cost, pity, wallet at that moment) exists only in the summon's result; paging back to
    it shows the pulls as they are now (`embeds.summon_recap`). Each card is the Esprit as it is now."""

    pulls: tuple[PullRef, ...]
    again: bool = True
    """"Summon again" not pressed yet."""
    banner: str | None = None
    """The banner summoned on, as asked (None: the standard one): "Summon again" summons there again."""

    kind = "sum"
    slow = True

    @classmethod
    def of(cls, owner_id: int, result: SummonResult, banner: str | None = None) -> Self:
        return cls(owner_id, 1, tuple(PullRef(e.id, e.pity_triggered) for e in result.esprits), banner=banner)

    @property
    def pages(self) -> int:
        return 1 if len(self.pulls) == 1 else len(self.pulls) + 1

    def fields(self) -> tuple[str, ...]:
        return "1" if self.again else "0", self.banner or "", write_pulls(self.pulls)

    @classmethod
    def parse(cls, owner_id: int, page: int, rest: str) -> Self:
        parts = rest.split(":")
        if len(parts) == 2:  # drawn before banners: the standard banner
            parts.insert(1, "")
        if len(parts) != 3 or parts[0] not in ("0", "1"):
            raise Unreadable(rest)
        again, banner, pulls = parts
        return cls(owner_id, page, read_pulls(pulls), again == "1", optional(banner))

    def pulled(self, pull: PullRef, esprit: OwnedEsprit) -> SummonedEsprit:
        return SummonedEsprit(
            id=esprit.id, esprit_id=esprit.esprit_id, name=esprit.name, rarity=esprit.rarity, pity_triggered=pull.pity
        )

    async def load(self, bot: FayeBot) -> Page:
        app = bot.app
        shown_page = min(self.page, self.pages)
        if shown_page == 1:
            owned = {e.id: e for e in await app.collection.owned(self.player_id, [p.id for p in self.pulls])}
            shown = [(p.id, self.pulled(p, owned[p.id]) if p.id in owned else None) for p in self.pulls]
            return Page(Reply(embeds.summon_recap(shown, app.config)), 1, self.pages)
        pull = self.pulls[shown_page - 2]
        found = await app.collection.owned(self.player_id, [pull.id])
        if not found:
            return Page(Reply(embeds.pull_gone(pull.id, shown_page - 1, len(self.pulls))), shown_page, self.pages)
        (esprit,) = found
        png = await asyncio.to_thread(render_card, esprit, app.config)
        embed = embeds.summoned(self.pulled(pull, esprit), shown_page - 1, len(self.pulls), app.config)
        return Page(Reply.illustrated(embed, f"esprit-{esprit.id}.png", png), shown_page, self.pages)

    def extras(self, count: int, config: GameConfig) -> list[discord.ui.Item[Any]]:
        return [SummonAgain(self)]


async def summon_and_show(interaction: FayeInteraction, amount: int, banner: str | None = None) -> None:
    """Summon on `banner` (None: the standard one) and show the board with its pager: for /summon, and for
    "Summon again".

    The summon is committed before anything is drawn; pulls whose ids could not be written into the buttons
    (never seen, but not excluded) are shown without them rather than reported as a failed summon."""
    app = interaction.client.app
    result = await app.summons.summon(str(interaction.user.id), amount, banner_id=banner)
    interaction.client.metrics.observe_summon(e.rarity for e in result.esprits)
    png = await asyncio.to_thread(render_summon, result, app.config)
    first = Reply.illustrated(embeds.summon(result, app.config), "summon.png", png)
    screen = SummonScreen.of(interaction.user.id, result, banner)
    view: discord.ui.View | None
    try:
        view = screen.view(screen.pages, app.config)
    except InvalidArgument:
        log.warning("the pulls %s do not fit in a custom_id: the board is sent without buttons", screen.pulls)
        view = None
    await send(interaction, first, view=view)


# --- the persistent components --------------------------------------------------------------------------

#: The kinds of page buttons, by the kind in their custom_id.
PAGERS: Final[dict[str, type[Screen]]] = {
    s.kind: s for s in (InventoryScreen, ListingsScreen, SummonScreen, HistoryScreen)
}
#: Parses no custom_id: the base classes' template.
NEVER: Final = r"(?!)"
#: After a kind, the screen: `:<owner>:<page>:<fields…>`, matched loosely so that a malformed one is answered.
STATE: Final = r"(?::(?P<state>(?s:.*)))?"


class Persistent(discord.ui.DynamicItem[ItemT], ABC, template=NEVER):
    """A component rebuilt from its custom_id at each press: refuses everyone but its owner, and turns every
    problem (an unreadable custom_id, a refusal, a bug) into an answer, since discord.py only logs what a dynamic
    item raises and the player would see "This interaction failed"."""

    owner_id: int | None
    problem: Exception | None = None

    def __init__(self, item: ItemT, owner_id: int) -> None:
        super().__init__(item)
        self.owner_id = owner_id

    @classmethod
    @abstractmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        """The component from its custom_id; Unreadable or a FayeError if it is not a valid one."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        try:
            return cls.read(match, interaction)
        except (Unreadable, FayeError) as problem:
            return cls.refusing(item, match, problem)

    @classmethod
    def refusing(cls, item: discord.ui.Item[Any], match: re.Match[str], problem: Exception) -> Self:
        """A stand-in for a component that could not be read: it answers `problem` (after the owner check, when
        the owner could be read)."""
        made = cls.__new__(cls)
        discord.ui.DynamicItem.__init__(made, item)
        try:
            made.owner_id = number((match["state"] or "").split(":", 1)[0])
        except Unreadable:
            made.owner_id = None
        made.problem = problem
        return made

    @abstractmethod
    async def press(self, interaction: FayeInteraction) -> None:
        """What the component does."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        pin_rules(interaction)
        if self.owner_id is None or interaction.user.id == self.owner_id:
            return True
        try:
            await refuse(interaction, embeds.not_yours())
        except discord.HTTPException:
            log.warning("could not refuse a press of someone else's buttons", exc_info=True)
        return False

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if self.problem is not None:
                raise self.problem
            await self.press(interaction)
        except Unreadable:
            await refuse(interaction, embeds.expired())
        except Exception as error:
            await report(interaction, error)


class PageButton(Persistent[discord.ui.Button[Any]], template=r"faye:(?P<kind>inv|ah|sum|hist)" + STATE):
    """◀, ▶ (and the n/N label, never enabled): show the page its screen names."""

    def __init__(
        self, screen: Screen, *, label: str | None = None, emoji: str | None = None, disabled: bool = False
    ) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label,
            emoji=emoji,
            style=discord.ButtonStyle.secondary,
            disabled=disabled,
            custom_id=screen.custom_id(screen.kind),
            row=0,
        )
        super().__init__(button, screen.owner_id)
        self.screen = screen

    @classmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        screen = PAGERS[match["kind"]].read(match)
        PAGE.check(screen.page)
        return cls(screen)

    async def press(self, interaction: FayeInteraction) -> None:
        await turn(interaction, self.screen)


async def turn(interaction: FayeInteraction, screen: Screen) -> None:
    """Show `screen`'s page on the pressed message. A slow screen acknowledges the press at once (Discord's
    3-second rule); presses on one message are taken in turn, so the last one decides what it shows."""
    if screen.slow:
        await interaction.response.defer()
    async with presses_of(interaction).turn(message_id_of(interaction)):
        page = await screen.load(interaction.client)
        view = screen.at(page.number).view(page.count, interaction.client.app.config)
        await update(interaction, page.reply, view=view)


class RarityFilter(Persistent[discord.ui.Select[Any]], template=r"faye:(?P<kind>invr)" + STATE):
    """The inventory's rarity select: the first page of the chosen rarity."""

    def __init__(self, screen: InventoryScreen, config: GameConfig) -> None:
        chosen = screen.rarity or ALL_RARITIES
        options = [discord.SelectOption(label="All rarities", value=ALL_RARITIES, default=chosen == ALL_RARITIES)]
        for tier in reversed(config.tier_names):
            visual = config.visuals.get(tier)
            emoji = visual.emoji if visual else None
            options.append(discord.SelectOption(label=tier, value=tier, emoji=emoji, default=chosen == tier))
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=screen.custom_id("invr"), placeholder="Filter by rarity", options=options, row=1
        )
        super().__init__(select, screen.owner_id)
        self.screen = screen

    @classmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        screen = InventoryScreen.read(match)
        return cls(screen, interaction.client.app.config)

    async def press(self, interaction: FayeInteraction) -> None:
        values = self.item.values
        if len(values) != 1:
            raise Unreadable(str(values))
        (chosen,) = values
        await turn(interaction, replace(self.screen, page=1, rarity=None if chosen == ALL_RARITIES else chosen))


class SummonAgain(Persistent[discord.ui.Button[Any]], template=r"faye:(?P<kind>again)" + STATE):
    """Pay for the same summon once more and show it in a new message; the pressed board greys the button out
    (and keeps paging). A double click summons once (`Presses.claim`)."""

    def __init__(self, screen: SummonScreen) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=f"Summon ×{len(screen.pulls)} again",
            style=discord.ButtonStyle.primary,
            disabled=not screen.again,
            custom_id=screen.custom_id("again"),
            row=1,
        )
        super().__init__(button, screen.owner_id)
        self.screen = screen

    @classmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        screen = SummonScreen.read(match)
        PAGE.check(screen.page)
        return cls(screen)

    async def press(self, interaction: FayeInteraction) -> None:
        screen = self.screen
        if not screen.again or not presses_of(interaction).claim(message_id_of(interaction)):
            await refuse(interaction, embeds.already_done())
            return
        used = replace(screen, again=False, page=min(screen.page, screen.pages))
        await interaction.response.edit_message(view=used.view(used.pages, interaction.client.app.config))
        await summon_and_show(interaction, len(screen.pulls), screen.banner)


#: Registered by `FayeBot.setup_hook`: every pager component, answering after a restart too.
PERSISTENT: Final[tuple[type[discord.ui.DynamicItem[Any]], ...]] = (PageButton, RarityFilter, SummonAgain)
