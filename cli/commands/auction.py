"""`faye auction ...`: list, browse, buy, cancel, history — each a thin wrapper over the auction service."""

from __future__ import annotations

from typing import Annotated

import click
import typer

from cli.options import (
    Bounded,
    ConfigDirOpt,
    DbOpt,
    EspritIdArg,
    JsonOpt,
    ListingIdArg,
    PageOpt,
    SearchOpt,
    UserOpt,
    utf8,
)
from cli.runtime import Target, invoke
from faye.choices import AUCTION_SORTS
from faye.inputs import LISTING_HOURS, PRICE

auction_app = typer.Typer(
    help="The auction house: sell Esprits for faylen (held in escrow while listed), buy others'.",
    no_args_is_help=True,
)
PriceType = Bounded(PRICE)


@auction_app.command("list")
def list_esprit(
    esprit_id: EspritIdArg,
    user: UserOpt,
    price: Annotated[int, typer.Option("--price", click_type=PriceType, help="Price in faylen.")],
    hours: Annotated[
        float | None,
        typer.Option("--hours", click_type=Bounded(LISTING_HOURS), help="How long the listing stays open."),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Offer one of your Esprits; it leaves your collection until it sells, you cancel, or time runs out."""
    from cli.output import show_listing_created

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.auction.create_listing(user, esprit_id, price, hours),
        show_listing_created,
    )


@auction_app.command("browse")
def browse(
    rarity: Annotated[str | None, typer.Option("--rarity", "-r", help="Only this rarity tier.")] = None,
    search: SearchOpt = None,
    min_price: Annotated[int | None, typer.Option("--min-price", click_type=PriceType, help="Lowest price.")] = None,
    max_price: Annotated[int | None, typer.Option("--max-price", click_type=PriceType, help="Highest price.")] = None,
    seller: Annotated[str | None, typer.Option("--seller", callback=utf8, help="Only this seller's listings.")] = None,
    sort: Annotated[str, typer.Option("--sort", click_type=click.Choice(AUCTION_SORTS), help="Order.")] = "newest",
    page: PageOpt = 1,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Open listings, filtered, sorted and paged (expired ones go back to their sellers first)."""
    from cli.output import show_listing_page

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.auction.browse(
            rarity=rarity,
            search=search,
            min_price=min_price,
            max_price=max_price,
            seller=seller,
            sort=sort,
            page=page,
        ),
        show_listing_page,
    )


@auction_app.command("buy")
def buy(
    listing_id: ListingIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Buy a listing: you pay the price, the seller gets it less tax, the Esprit is yours."""
    from cli.output import show_purchase

    invoke(Target(db, config_dir, as_json), lambda app: app.auction.buy(user, listing_id), show_purchase)


@auction_app.command("cancel")
def cancel(
    listing_id: ListingIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Take your Esprit back from one of your listings (the listing fee is not refunded)."""
    from cli.output import show_cancellation

    invoke(Target(db, config_dir, as_json), lambda app: app.auction.cancel(user, listing_id), show_cancellation)


@auction_app.command("history")
def history(user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None) -> None:
    """Your open listings, sales and purchases."""
    from cli.output import show_auction_history

    invoke(Target(db, config_dir, as_json), lambda app: app.auction.history(user), show_auction_history)


def register(app: typer.Typer) -> None:
    app.add_typer(auction_app, name="auction", rich_help_panel="Play")
