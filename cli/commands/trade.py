"""`faye trade ...`: offer, add, remove, show, confirm, cancel, list — each one call to the trade service.

Every command that answers with one trade prints `{"trade": {...}}` under --json (`cli.trade_output.TradeDocument`),
so a script reads the same document whichever command changed it. Ids are given as `12,13` (`cli.options.IdList`);
amounts and versions are checked against their faye.inputs bounds before anything is called (exit 2, naming the
option); the service refuses the rest (exit 1).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.options import Bounded, ConfigDirOpt, DbOpt, IdList, JsonOpt, UserOpt, utf8
from cli.runtime import Target, invoke
from faye.inputs import ESPRIT_ID, TRADE_AMOUNT, TRADE_ID, TRADE_VERSION

if TYPE_CHECKING:
    from cli.trade_output import Action, TradeDocument
    from faye.app import FayeApp
    from faye.results import TradeView
    from faye.services.trades import Offer

trade_app = typer.Typer(
    help="Trade Esprits, faylen and virelite with another player: both confirm the same version, then it all swaps "
    "at once.",
    no_args_is_help=True,
)


def _ids(option: str, text: str) -> Any:
    """An option taking Esprit ids as `12,13`."""
    return typer.Option(option, click_type=IdList(ESPRIT_ID), metavar="ID,ID", help=text, show_default=False)


def _amount(option: str, text: str) -> Any:
    """An option taking an amount of one currency, checked against TRADE_AMOUNT."""
    return typer.Option(option, click_type=Bounded(TRADE_AMOUNT), help=f"{text}, {TRADE_AMOUNT.rule}.")


TradeIdArg = Annotated[
    int,
    typer.Argument(click_type=Bounded(TRADE_ID), help="The trade's id (see `faye trade list`).", show_default=False),
]
EspritsOpt = Annotated[Sequence[int] | None, _ids("--esprits", "Your Esprits, by id.")]
FaylenOpt = Annotated[int, _amount("--faylen", "Faylen")]
VireliteOpt = Annotated[int, _amount("--virelite", "Virelite")]


def _offer(esprits: Sequence[int] | None, faylen: int, virelite: int) -> Offer:
    from faye.services.trades import Offer

    return Offer(esprits=tuple(esprits or ()), faylen=faylen, virelite=virelite)


def _answer(
    target: Target, user: str, action: Action, call: Callable[[FayeApp], Awaitable[TradeView]]
) -> TradeDocument:
    """Run `call` and answer with the trade it returns: `{"trade": ...}`, or the two-sided Rich view."""
    from cli.trade_output import TradeDocument, trade_shower

    async def wrapped(app: FayeApp) -> TradeDocument:
        return TradeDocument(trade=await call(app))

    return invoke(target, wrapped, trade_shower(action, user))


@trade_app.command("offer")
def offer(
    other: Annotated[str, typer.Argument(callback=utf8, metavar="USER", help="The player to trade with (their id).")],
    user: UserOpt,
    give: Annotated[Sequence[int] | None, _ids("--give", "Your Esprits to give, by id.")] = None,
    give_faylen: Annotated[int, _amount("--give-faylen", "Faylen you give")] = 0,
    give_virelite: Annotated[int, _amount("--give-virelite", "Virelite you give")] = 0,
    ask: Annotated[Sequence[int] | None, _ids("--ask", "Their Esprits you ask for, by id.")] = None,
    ask_faylen: Annotated[int, _amount("--ask-faylen", "Faylen you ask for")] = 0,
    ask_virelite: Annotated[int, _amount("--ask-virelite", "Virelite you ask for")] = 0,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Open a trade with another player: what you give and what you ask of them. Both can change it until both
    confirm; what you offer is reserved for the trade until it closes."""
    mine, theirs = _offer(give, give_faylen, give_virelite), _offer(ask, ask_faylen, ask_virelite)
    _answer(Target(db, config_dir, as_json), user, "offered", lambda app: app.trades.offer(user, other, mine, theirs))


@trade_app.command("add")
def add(
    trade_id: TradeIdArg,
    user: UserOpt,
    esprits: EspritsOpt = None,
    faylen: FaylenOpt = 0,
    virelite: VireliteOpt = 0,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Add Esprits or currency to your side; the version goes up and both confirmations are cleared."""
    change = _offer(esprits, faylen, virelite)
    _answer(Target(db, config_dir, as_json), user, "changed", lambda app: app.trades.add(user, trade_id, change))


@trade_app.command("remove")
def remove(
    trade_id: TradeIdArg,
    user: UserOpt,
    esprits: EspritsOpt = None,
    faylen: FaylenOpt = 0,
    virelite: VireliteOpt = 0,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Take Esprits or currency back from your side; the version goes up and both confirmations are cleared."""
    change = _offer(esprits, faylen, virelite)
    _answer(Target(db, config_dir, as_json), user, "changed", lambda app: app.trades.remove(user, trade_id, change))


@trade_app.command("show")
def show(
    trade_id: TradeIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """One of your trades, open or closed: both sides, the version to confirm, when it opens and expires."""
    _answer(Target(db, config_dir, as_json), user, "shown", lambda app: app.trades.show(user, trade_id))


@trade_app.command("confirm")
def confirm(
    trade_id: TradeIdArg,
    user: UserOpt,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            click_type=Bounded(TRADE_VERSION),
            help="The version you looked at (`faye trade show`): refused if the trade has changed since. "
            "Default: as it is now.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Confirm the trade; when both of you have confirmed the same version, everything swaps at once."""
    _answer(Target(db, config_dir, as_json), user, "confirmed", lambda app: app.trades.confirm(user, trade_id, version))


@trade_app.command("cancel")
def cancel(
    trade_id: TradeIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Call an open trade off (either trader may); everything offered in it is free again."""
    _answer(Target(db, config_dir, as_json), user, "cancelled", lambda app: app.trades.cancel(user, trade_id))


@trade_app.command("list")
def list_trades(
    user: UserOpt,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Also your latest closed trades (executed, cancelled, expired).")
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Your open trades, newest first."""
    from cli.trade_output import show_trade_list

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.trades.mine(user, include_closed=include_closed),
        show_trade_list,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(trade_app, name="trade", rich_help_panel="Play")
