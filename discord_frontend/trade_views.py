"""The trade message's components: buttons that survive a restart, and the modals they open.

Every button is one `TradeButton` whose custom_id says which trade and what to do (`faye:trade:<id>:<action>`,
and for Confirm the version it confirms: `faye:trade:<id>:confirm:<version>`); everything else — who the traders
are, what each side holds, whether the trade is still open — is read from the service at each press. So a press
works whichever process answers it, and Confirm on a message drawn before a change is the service's
`trade_changed`, never a confirmation of something the player did not see. The service also decides who may
press: anyone but the two traders is refused (`not_owner`), ephemerally, like every refusal.

Presses on one message are taken in turn (`pagers.Presses.turn`), so a double press reaches the service twice in
order and the second finds the first's result: a second Confirm after the trade executed is `trade_unavailable`,
a second add of the same Esprit `invalid_argument`. A modal is answered once (it stops after its submission).

Adding and removing go through modals opened from the shared message, so each trader sees *their own* choices: a
select over their own tradable Esprits (or the Esprits on their side, to remove) and text inputs for ids and
currency. A modal's submission edits the trade message in place. Modals live in memory (a few minutes); one
left open across a restart is lost, the message's buttons are not.

Confirm is greyed out until the confirm delay after the last change has passed; a `Refresher` task redraws the
message when it opens. That task is memory only: after a restart the "Refresh" button (or any other press)
redraws it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Self
from weakref import WeakKeyDictionary

import discord

from discord_frontend import trade_embeds
from discord_frontend.embeds import CHOICE_LIMIT
from discord_frontend.inputs import IdList
from discord_frontend.pagers import Persistent, Unreadable, message_id_of, number, presses_of
from discord_frontend.replies import Reply, send, update
from discord_frontend.tree import Refused, pin_rules, report
from faye.errors import FayeError, InvalidArgument, TradeUnavailable
from faye.inputs import TRADE_AMOUNT, TRADE_ID, TRADE_VERSION
from faye.services.trades import Offer
from faye.text import printable

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction
    from faye.results import ListedEsprit, OwnedEsprit, TradeSideView, TradeView

log = logging.getLogger(__name__)

#: Seconds a modal waits for its submission.
MODAL_TIMEOUT: Final = 600.0
#: Discord's most options in a select.
SELECT_LIMIT: Final = 25
#: Inventory pages read to fill the add select (newest first).
CANDIDATE_PAGES: Final = 5
#: Digits of an amount typed into a modal (thousands separators allowed: "1,000").
AMOUNT: Final = re.compile(r"[0-9][0-9,_ ]{0,30}")


# --- what a button says -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: str
    style: discord.ButtonStyle
    row: int


ACTIONS: Final = {
    "add": Action("Add Esprits", discord.ButtonStyle.primary, 0),
    "money": Action("Add currency", discord.ButtonStyle.primary, 0),
    "remove": Action("Remove…", discord.ButtonStyle.secondary, 0),
    "confirm": Action("Confirm", discord.ButtonStyle.success, 1),
    "cancel": Action("Cancel trade", discord.ButtonStyle.danger, 1),
    "refresh": Action("Refresh", discord.ButtonStyle.secondary, 1),
}


@dataclass(frozen=True)
class Press:
    """A button's whole state: `faye:trade:<trade id>:<action>[:<version>]` (the version only for Confirm)."""

    trade_id: int
    action: str
    version: int | None = None

    def custom_id(self) -> str:
        version = "" if self.version is None else f":{self.version}"
        return f"faye:trade:{self.trade_id}:{self.action}{version}"

    @classmethod
    def parse(cls, state: str) -> Self:
        """Unreadable unless a known action on a trade id (with a version exactly for Confirm)."""
        trade, _, rest = state.partition(":")
        action, _, version = rest.partition(":")
        if action not in ACTIONS or (action == "confirm") != bool(version):
            raise Unreadable(state)
        return cls(
            TRADE_ID.check(number(trade)),
            action,
            TRADE_VERSION.check(number(version)) if version else None,
        )


class TradeButton(Persistent[discord.ui.Button[Any]], template=r"faye:trade(?::(?P<state>(?s:.*)))?"):
    """One button of a trade message, rebuilt from its custom_id at each press."""

    def __init__(self, press: Press, *, label: str | None = None, disabled: bool = False) -> None:
        action = ACTIONS[press.action]
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or action.label,
            style=action.style,
            disabled=disabled,
            custom_id=press.custom_id(),
            row=action.row,
        )
        # No single owner: the service says who is in the trade (not_owner for anyone else).
        discord.ui.DynamicItem.__init__(self, button)
        self.owner_id = None
        self.press_state = press

    @classmethod
    def read(cls, match: re.Match[str], interaction: FayeInteraction) -> Self:
        return cls(Press.parse(match["state"] or ""))

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        pin_rules(interaction)
        return True  # both traders press; the service refuses everyone else

    async def press(self, interaction: FayeInteraction) -> None:
        trade_id, action = self.press_state.trade_id, self.press_state.action
        trades = interaction.client.app.trades
        user = str(interaction.user.id)
        if action == "confirm":
            await change(interaction, lambda: trades.confirm(user, trade_id, self.press_state.version))
        elif action == "cancel":
            await change(interaction, lambda: trades.cancel(user, trade_id))
        elif action == "refresh":
            await change(interaction, lambda: trades.show(user, trade_id), announce=False)
        else:
            await interaction.response.send_modal(await form(interaction, trade_id, action))


async def form(interaction: FayeInteraction, trade_id: int, action: str) -> TradeModal:
    """The modal an add or remove button opens, with the presser's own choices; refused when there is nothing
    to fill in (a closed trade, an empty side to take back from)."""
    trade = await open_trade(interaction, trade_id)
    side = trade.sides[str(interaction.user.id)]
    currencies = [c.value for c in interaction.client.app.config.settings.trade.currencies]
    if action == "add":
        return AddEsprits(trade_id, await candidates(interaction, side))
    if action == "money":
        if not currencies:
            raise InvalidArgument("no currency can be traded in this game", field="amount")
        return AddCurrency(trade_id, currencies)
    if not side.esprits and not any(getattr(side, c) for c in currencies):
        raise InvalidArgument(f"your side of trade {trade_id} is empty: nothing to take back", field="esprits")
    return RemoveItems(trade_id, side, currencies)


async def open_trade(interaction: FayeInteraction, trade_id: int) -> TradeView:
    """The trade, for one of its traders (not_owner for anyone else), refused unless it is still open."""
    trade = await interaction.client.app.trades.show(str(interaction.user.id), trade_id)
    if trade.status != "open":
        raise TradeUnavailable(f"trade {trade_id} is {trade.status}", trade_id=trade_id, status=trade.status)
    return trade


async def candidates(interaction: FayeInteraction, side: TradeSideView) -> list[OwnedEsprit]:
    """The player's Esprits the add select offers: neither locked nor active nor already on their side (those in
    escrow are not in the collection; one in another trade is the service's `reserved`)."""
    collection = interaction.client.app.collection
    offered = {e.id for e in side.esprits}
    found: list[OwnedEsprit] = []
    page, pages = 1, 1
    while page <= min(pages, CANDIDATE_PAGES) and len(found) < SELECT_LIMIT:
        listed = await collection.inventory(side.user_id, sort="newest", page=page)
        found += [e for e in listed.items if not (e.locked or e.active or e.id in offered)]
        page, pages = page + 1, listed.pages
    return found[:SELECT_LIMIT]


# --- showing a trade ----------------------------------------------------------------------------------------


def buttons(trade: TradeView, now: datetime) -> discord.ui.View | None:
    """The buttons of an open trade (None once it is closed). Confirm names the version it confirms and is
    greyed out until confirming opens."""
    if trade.status != "open":
        return None
    view = discord.ui.View(timeout=None)
    for action in ACTIONS:
        if action == "confirm":
            press = Press(trade.id, action, trade.version)
            label = f"Confirm v{trade.version}"
            view.add_item(TradeButton(press, label=label, disabled=now < trade.confirmable_at))
        else:
            view.add_item(TradeButton(Press(trade.id, action)))
    return view


def screen(bot: FayeBot, trade: TradeView) -> tuple[Reply, discord.ui.View | None]:
    now = bot.app.context.clock.now()
    return Reply(trade_embeds.trade(trade, bot.app.config, now)), buttons(trade, now)


async def post(interaction: FayeInteraction, trade: TradeView) -> None:
    """A new, public trade message (for /trade open and /trade show)."""
    reply, view = screen(interaction.client, trade)
    message = await send(interaction, reply, view=view)
    refresher_for(interaction.client).schedule(interaction, trade, message.id if message else interaction.id)


async def change(
    interaction: FayeInteraction, act: Callable[[], Awaitable[TradeView]], *, announce: bool = True
) -> None:
    """Do one thing to the trade and redraw the pressed message in place, presses on it taken in turn; a trade
    that `act` closed is also announced below it (unless `announce` is False: a mere redraw), so both traders
    see how it ended."""
    async with presses_of(interaction).turn(message_id_of(interaction)):
        trade = await act()
        reply, view = screen(interaction.client, trade)
        await update(interaction, reply, view=view)
    if announce and trade.status in ("executed", "cancelled"):
        await interaction.followup.send(embed=trade_embeds.announcement(trade))
    else:
        refresher_for(interaction.client).schedule(interaction, trade, message_id_of(interaction))


# --- Confirm opening after the delay ----------------------------------------------------------------------


async def pause(seconds: float) -> None:
    """Wait for the confirm delay (replaced in tests: they never wait on the wall clock)."""
    await asyncio.sleep(seconds)


class Refresher:
    """Redraws a trade message when confirming opens, so Confirm turns clickable without anyone pressing.

    One pending redraw per message (a later change replaces it); it reads the trade again and edits the message
    through the interaction that last drew it (valid 15 minutes, far longer than the delay)."""

    def __init__(self) -> None:
        self.tasks: dict[int, asyncio.Task[None]] = {}

    def schedule(self, interaction: FayeInteraction, trade: TradeView, key: int) -> None:
        """Redraw message `key` (drawn by `interaction`) when confirming `trade` opens, if it has not yet."""
        now = interaction.client.app.context.clock.now()
        if trade.status != "open" or now >= trade.confirmable_at:
            return
        pending = self.tasks.pop(key, None)
        if pending is not None:
            pending.cancel()
        seconds = (trade.confirmable_at - now).total_seconds()
        redraw = self._redraw(interaction, trade.id, key, seconds)
        task = asyncio.create_task(redraw, name=f"faye-trade-refresh-{key}")
        self.tasks[key] = task
        task.add_done_callback(lambda done: self.tasks.pop(key, None) if self.tasks.get(key) is done else None)

    async def _redraw(self, interaction: FayeInteraction, trade_id: int, key: int, seconds: float) -> None:
        await pause(seconds)
        try:
            async with presses_of(interaction).turn(key):
                trade = await interaction.client.app.trades.show(str(interaction.user.id), trade_id)
                reply, view = screen(interaction.client, trade)
                await interaction.edit_original_response(embed=reply.embed, view=view)
        except (FayeError, discord.HTTPException) as problem:  # gone, expired token, database down: next press
            log.warning("could not redraw trade %d: %s", trade_id, problem)
        except Exception:  # a bug: logged, and the next press redraws the message anyway
            log.exception("redrawing trade %d failed", trade_id)

    async def idle(self) -> None:
        """Wait for every pending redraw (tests)."""
        while self.tasks:
            await asyncio.gather(*self.tasks.values(), return_exceptions=True)

    def cancel_all(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        self.tasks.clear()


_REFRESHERS: WeakKeyDictionary[discord.Client, Refresher] = WeakKeyDictionary()


def refresher_for(bot: discord.Client) -> Refresher:
    """The bot's refresher (one per bot, forgotten with it)."""
    found = _REFRESHERS.get(bot)
    if found is None:
        found = _REFRESHERS[bot] = Refresher()
    return found


# --- the modals -----------------------------------------------------------------------------------------


def amount_of(text: str, field: str) -> int:
    """An amount typed into a modal ("1,000"); empty is 0. InvalidAmount for anything else."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if AMOUNT.fullmatch(cleaned) is None:
        raise TRADE_AMOUNT.refusal(cleaned[:40], field)
    return TRADE_AMOUNT.check(int(re.sub(r"[,_ ]", "", cleaned)), field)


async def ids_of(interaction: FayeInteraction, text: str) -> tuple[int, ...]:
    """Esprit ids typed into a modal ("12, 15 #18"), read like the id options of the slash commands."""
    if not text.strip():
        return ()
    try:
        ids: tuple[int, ...] = await IdList().transform(interaction, text)
    except Refused as refused:
        raise refused.error from None
    return ids


def offer_of(esprits: tuple[int, ...], amounts: dict[str, int]) -> Offer:
    """An offer from ids and amounts by currency name (a currency not in the form: 0)."""
    return Offer(
        esprits=esprits,
        faylen=amounts.get("faylen", 0),
        virelite=amounts.get("virelite", 0),
        gems=amounts.get("gems", 0),
    )


def esprit_option(esprit: OwnedEsprit | ListedEsprit) -> discord.SelectOption:
    return discord.SelectOption(
        label=printable(f"#{esprit.id} {esprit.name}")[:CHOICE_LIMIT],
        value=str(esprit.id),
        description=printable(f"{esprit.rarity} · Lv {esprit.level}")[:CHOICE_LIMIT],
    )


def esprit_select(options: list[discord.SelectOption], placeholder: str) -> discord.ui.Select[Any]:
    return discord.ui.Select(placeholder=placeholder, options=options, min_values=0, max_values=len(options))


def currency_inputs(currencies: list[str], placeholders: dict[str, str]) -> dict[str, discord.ui.TextInput[Any]]:
    return {
        currency: discord.ui.TextInput(
            required=False, max_length=32, placeholder=placeholders.get(currency, "0")[:CHOICE_LIMIT]
        )
        for currency in currencies
    }


class TradeModal(discord.ui.Modal):
    """A form about one trade; its submission changes the trade and redraws the message it was opened from."""

    def __init__(self, title: str, trade_id: int, *, removes: bool = False) -> None:
        super().__init__(title=title, timeout=MODAL_TIMEOUT)
        self.trade_id = trade_id
        self.removes = removes
        """The form takes back from the trader's side (else it adds to it)."""

    async def offer(self, interaction: FayeInteraction) -> Offer:
        """What the form says to add or remove; a refusal for what cannot be read."""
        raise NotImplementedError

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        offer = await self.offer(interaction)
        trades, user = interaction.client.app.trades, str(interaction.user.id)
        act = trades.remove if self.removes else trades.add
        await change(interaction, lambda: act(user, self.trade_id, offer))

    async def on_error(  # type: ignore[override]  # Modal's own signature; mypy sees BaseView's
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report(interaction, error)


class AddEsprits(TradeModal):
    """Pick from your own tradable Esprits, or type ids (of those not listed)."""

    def __init__(self, trade_id: int, choices: list[OwnedEsprit]) -> None:
        super().__init__(f"Add Esprits to trade #{trade_id}", trade_id)
        self.select: discord.ui.Select[Any] | None = None
        if choices:
            self.select = esprit_select([esprit_option(e) for e in choices], "Choose Esprits")
            self.add_item(discord.ui.Label(text="Your tradable Esprits", component=self.select))
        self.ids: discord.ui.TextInput[Any] = discord.ui.TextInput(
            required=not choices, max_length=400, placeholder="12, 15, 18"
        )
        self.add_item(discord.ui.Label(text="Or their ids", component=self.ids))

    async def offer(self, interaction: FayeInteraction) -> Offer:
        chosen = [int(value) for value in self.select.values] if self.select is not None else []
        typed = [i for i in await ids_of(interaction, self.ids.value) if i not in chosen]
        return Offer(esprits=(*chosen, *typed))


class AddCurrency(TradeModal):
    """Amounts of each tradable currency to put on your side."""

    def __init__(self, trade_id: int, currencies: list[str]) -> None:
        super().__init__(f"Add currency to trade #{trade_id}", trade_id)
        self.amounts = currency_inputs(currencies, {})
        for currency, field in self.amounts.items():
            self.add_item(discord.ui.Label(text=currency.title(), component=field))

    async def offer(self, interaction: FayeInteraction) -> Offer:
        amounts = {currency: amount_of(field.value, currency) for currency, field in self.amounts.items()}
        if not any(amounts.values()):
            raise InvalidArgument("type an amount of at least one currency", field="amount")
        return offer_of((), amounts)


class RemoveItems(TradeModal):
    """Take back Esprits (a select over your side) or amounts of currency (your side's amounts shown)."""

    def __init__(self, trade_id: int, side: TradeSideView, currencies: list[str]) -> None:
        super().__init__(f"Take back from trade #{trade_id}", trade_id, removes=True)
        self.select: discord.ui.Select[Any] | None = None
        if side.esprits:
            self.select = esprit_select([esprit_option(e) for e in side.esprits[:SELECT_LIMIT]], "Choose Esprits")
            self.add_item(discord.ui.Label(text="Esprits on your side", component=self.select))
        held = {c: f"you put in {getattr(side, c):,}" for c in currencies}
        self.amounts = currency_inputs(currencies, held)
        for currency, field in self.amounts.items():
            self.add_item(discord.ui.Label(text=currency.title(), component=field))

    async def offer(self, interaction: FayeInteraction) -> Offer:
        chosen = tuple(int(value) for value in self.select.values) if self.select is not None else ()
        amounts = {currency: amount_of(field.value, currency) for currency, field in self.amounts.items()}
        return offer_of(chosen, amounts)


#: Registered by the trade cog while it is loaded: the trade message's buttons, answering after a restart too.
PERSISTENT: Final[tuple[type[discord.ui.DynamicItem[Any]], ...]] = (TradeButton,)
