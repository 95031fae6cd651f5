"""The embeds of a trade: the message both traders work on, and the result announced in the channel.

Kept apart from embeds.py (one module per feature's wording); built from the same blocks (`safe`, `rarity_label`,
`player_ref`, colours), so a trade reads like the rest of the bot. Usernames are player text: always `safe`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

import discord
from discord.utils import format_dt

from discord_frontend.embeds import (
    BRAND,
    FIELD_LIMIT,
    SUCCESS,
    clip,
    player_ref,
    rarity_label,
    safe,
)
from faye.display import CURRENCY_ICONS

if TYPE_CHECKING:
    from faye.config import GameConfig
    from faye.results import ListedEsprit, TradeSideView, TradeView

CLOSED: Final = discord.Colour(0x99AAB5)
CONFIRMED_MARK: Final = "✅"
WAITING_MARK: Final = "⏳"
#: A closed trade's title, by status.
CLOSED_TITLES: Final = {
    "executed": "✓ Trade #{id} done",
    "cancelled": "Trade #{id} cancelled",
    "expired": "Trade #{id} expired",
}


def esprit_line(config: GameConfig, esprit: ListedEsprit) -> str:
    return f"`#{esprit.id}` {rarity_label(config, esprit.rarity)} **{safe(esprit.name)}** Lv {esprit.level}"


def side_lines(config: GameConfig, side: TradeSideView) -> list[str]:
    """What one trader gives: their Esprits, then each currency they put in (none: 'nothing yet')."""
    lines = [esprit_line(config, esprit) for esprit in side.esprits]
    for currency in ("faylen", "virelite", "gems"):
        amount = getattr(side, currency)
        if amount:
            lines.append(f"{CURRENCY_ICONS[currency]} {amount:,} {currency}")
    return lines or ["*nothing yet*"]


def trade(view: TradeView, config: GameConfig, now: datetime) -> discord.Embed:
    """The trade as it is: both sides, who has confirmed this version, and when confirming opens."""
    if view.status == "open":
        embed = discord.Embed(title=f"Trade #{view.id} · version {view.version}", colour=BRAND)
        sides = list(view.sides.values())
        opens = (
            f"Confirming opens {format_dt(view.confirmable_at, 'R')}."
            if now < view.confirmable_at
            else "Both may confirm now."
        )
        embed.description = (
            f"{' ⇄ '.join(player_ref(side.user_id) for side in sides)}\n"
            "Each adds to their own side; every change clears both confirmations. When both confirm the same "
            f"version, everything changes hands at once. {opens}\n"
            f"Expires {format_dt(view.expires_at, 'R')}."
        )
        for side in sides:
            mark = f"{CONFIRMED_MARK} confirmed" if side.confirmed else f"{WAITING_MARK} not confirmed"
            embed.add_field(
                name=f"{safe(side.username)} gives · {mark}",
                value=clip(side_lines(config, side), FIELD_LIMIT),
                inline=True,
            )
        embed.set_footer(text=f"Trade {view.id} · version {view.version} · only the two traders can press")
        return embed
    embed = discord.Embed(
        title=CLOSED_TITLES.get(view.status, "Trade #{id} closed").format(id=view.id),
        colour=SUCCESS if view.status == "executed" else CLOSED,
    )
    embed.description = result_text(view)
    for side in view.sides.values():
        embed.add_field(
            name=f"{safe(side.username)} {'gave' if view.status == 'executed' else 'offered'}",
            value=clip(side_lines(config, side), FIELD_LIMIT),
            inline=True,
        )
    return embed


def result_text(view: TradeView) -> str:
    traders = " and ".join(player_ref(side.user_id) for side in view.sides.values())
    if view.status == "executed":
        return f"{traders}: everything below changed hands."
    if view.status == "cancelled":
        return f"Between {traders}. Nothing changed hands; every Esprit offered is free again."
    return f"Between {traders}. Time ran out; nothing changed hands and every Esprit offered is free again."


def announcement(view: TradeView) -> discord.Embed:
    """The short public note that tells both traders how it ended, below the trade message."""
    return discord.Embed(
        title=CLOSED_TITLES.get(view.status, "Trade #{id} closed").format(id=view.id),
        colour=SUCCESS if view.status == "executed" else CLOSED,
        description=result_text(view),
    )
