"""Rich views of trades: both sides side by side, who has confirmed, the version to confirm, when it opens and ends.

Player names and ids reach the console only through `cli.text.safe`; Esprit names in their rarity's colour
(`cli.output.name_text`). The JSON of a command that answers with one trade is `TradeDocument`: `{"trade": ...}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest
from typing import Literal

from rich import box
from rich.table import Table
from rich.text import Text

from cli.output import name_text, rarity_text
from cli.runtime import Show, View
from cli.text import safe
from faye.display import money, plural
from faye.results import ListedEsprit, TradeList, TradeSideView, TradeView

Action = Literal["offered", "changed", "shown", "confirmed", "cancelled"]
"""What the command did, for the line above the trade."""

CURRENCY_FIELDS = ("faylen", "virelite", "gems")


@dataclass(frozen=True)
class TradeDocument:
    """The answer of every command about one trade; under --json `{"trade": {...}}` (issue 12's contract)."""

    trade: TradeView


def trade_shower(action: Action, user: str) -> Show[TradeDocument]:
    """The Rich view of `action` by `user`: a line saying what happened, then the trade."""

    def show(document: TradeDocument, view: View) -> None:
        line = headline(document.trade, action, user)
        if line is not None:
            view.console.print(line)
        show_trade(document.trade, view)

    return show


def counterpart(trade: TradeView, user: str) -> TradeSideView | None:
    """The other trader's side (None for an operator looking at someone else's trade)."""
    if user not in trade.sides:
        return None
    return next((side for user_id, side in trade.sides.items() if user_id != user), None)


def trader(side: TradeSideView) -> Text:
    """'Ana (ana)', or just 'ana' when the name is the id."""
    if side.username == side.user_id:
        return safe(side.user_id, "bold")
    return Text.assemble(safe(side.username, "bold"), " (", safe(side.user_id), ")")


def headline(trade: TradeView, action: Action, user: str) -> Text | None:
    other = counterpart(trade, user)
    with_whom = Text.assemble(" with ", trader(other)) if other is not None else Text("")
    if action == "offered":
        return Text.assemble(f"✓ Trade {trade.id} opened", with_whom, ".", style="green")
    if action == "changed":
        return Text(f"✓ Trade {trade.id} changed: now version {trade.version}; both confirmations were cleared.")
    if action == "cancelled":
        return Text(f"✓ Trade {trade.id} cancelled: everything offered in it is free again.")
    if action == "confirmed":
        if trade.status == "executed":
            return Text(f"✓ Trade {trade.id} executed: everything on both sides changed hands.", style="bold green")
        waiting = Text.assemble("; waiting for ", trader(other)) if other is not None else Text("")
        return Text.assemble(f"✓ You confirmed version {trade.version} of trade {trade.id}", waiting, ".")
    return None


def esprit_cell(view: View, esprit: ListedEsprit) -> Text:
    """'Name (#12) Lv 5 🔥 rare': the name and the tier in the rarity's colour."""
    return Text.assemble(
        name_text(view, esprit.name, esprit.rarity),
        f" (#{esprit.id}) Lv {esprit.level} ",
        rarity_text(view, esprit.rarity),
    )


def currencies(side: TradeSideView) -> str:
    """'🪙 500 faylen' for what the side offers in currency, or '' when none."""
    amounts = {field: getattr(side, field) for field in CURRENCY_FIELDS if getattr(side, field)}
    return money(amounts) if amounts else ""


def side_header(side: TradeSideView) -> Text:
    mark = Text("  ✓ confirmed", style="bold green") if side.confirmed else Text("  not confirmed", style="dim")
    return Text.assemble(trader(side), " gives", mark)


def trade_table(view: View, trade: TradeView) -> Table:
    """Two columns, one per trader: their Esprits one a row, then their currencies."""
    table = Table(
        title=f"Trade {trade.id} · version {trade.version} · {trade.status}", box=box.ROUNDED, title_style="bold"
    )
    sides = list(trade.sides.values())
    for side in sides:
        table.add_column(side_header(side))
    amounts = [currencies(side) for side in sides]
    columns = [
        [esprit_cell(view, esprit) for esprit in side.esprits] or ([] if amount else [Text("nothing", style="dim")])
        for side, amount in zip(sides, amounts, strict=True)
    ]
    for row in zip_longest(*columns, fillvalue=Text("")):
        table.add_row(*row)
    if any(amounts):
        table.add_row(*(Text(amount) for amount in amounts))
    return table


def moment(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"


def timeline(trade: TradeView) -> str:
    """When confirming opens and when the trade expires, or when it closed."""
    if trade.status == "open":
        return (
            f"Confirming opens {moment(trade.confirmable_at)} · expires {moment(trade.expires_at)}\n"
            f"Confirm with: faye trade confirm {trade.id} --version {trade.version}"
        )
    closed = trade.closed_at or trade.expires_at
    return f"{trade.status.capitalize()} {moment(closed)}"


def show_trade(trade: TradeView, view: View) -> None:
    view.console.print(trade_table(view, trade))
    view.console.print(timeline(trade), style="dim")


def summary(side: TradeSideView) -> str:
    """'2 Esprits · 🪙 500 faylen', 'nothing'."""
    parts = [plural(len(side.esprits), "Esprit")] if side.esprits else []
    if currencies(side):
        parts.append(currencies(side))
    return " · ".join(parts) or "nothing"


def show_trade_list(trades: TradeList, view: View) -> None:
    if not trades.trades:
        view.console.print("No open trades. Open one with `faye trade offer USER --give ID`.")
        return
    table = Table(title="Your trades", box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("Trade", justify="right", style="dim")
    table.add_column("With")
    table.add_column("Version", justify="right")
    table.add_column("Status")
    table.add_column("You give")
    table.add_column("You get")
    table.add_column("Ends (UTC)")
    for trade in trades.trades:
        mine = trade.sides.get(trades.user_id)
        other = counterpart(trade, trades.user_id)
        status = Text(trade.status)
        if mine is not None and mine.confirmed:
            status.append(" ✓", style="bold green")
        ends = trade.expires_at if trade.status == "open" else (trade.closed_at or trade.expires_at)
        table.add_row(
            str(trade.id),
            trader(other) if other is not None else Text("—"),
            str(trade.version),
            status,
            Text(summary(mine)) if mine is not None else Text("—"),
            Text(summary(other)) if other is not None else Text("—"),
            f"{ends:%Y-%m-%d %H:%M}",
        )
    view.console.print(table)
