"""The auction house through the service, on SQLite and PostgreSQL: escrow, refusals, money, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import (
    InEscrow,
    InsufficientFunds,
    InvalidArgument,
    ListingUnavailable,
    NotFound,
    NotOwner,
    NotRegistered,
    OwnListing,
    PriceOutOfRange,
    TooManyListings,
)
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, ledger_rows, register


async def starter(app: FayeApp, user_id: str) -> int:
    return int((await register(app, user_id)).starter.id)


async def test_listing_moves_the_esprit_into_escrow(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    created = await app.auction.create_listing("sel", esprit, 500)
    fee = app.config.settings.auction.listing_fee(500)
    assert created.listing.esprit.id == esprit
    assert created.listing.status == "open"
    assert created.balance.faylen == 1000 - fee
    profile = await app.economy.profile("sel")
    assert profile.active_esprit is None  # the listed starter was active
    assert (await app.collection.inventory("sel")).total == 0
    for attempt in (
        app.auction.create_listing("sel", esprit, 600),
        app.collection.set_active("sel", esprit),
        app.collection.esprit("sel", esprit),
    ):
        with pytest.raises(InEscrow):
            await attempt
    await assert_conserved(app, escrowed=1)
    assert (await app.admin.audit(CONSOLE)).consistent


async def test_listing_refusals(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    other = await starter(app, "oth")
    settings = app.config.settings.auction
    with pytest.raises(PriceOutOfRange):
        await app.auction.create_listing("sel", esprit, settings.min_price - 1)
    with pytest.raises(PriceOutOfRange):
        await app.auction.create_listing("sel", esprit, settings.max_price + 1)
    with pytest.raises(InvalidArgument):
        await app.auction.create_listing("sel", esprit, 100, hours=settings.max_hours + 1)
    with pytest.raises(NotOwner):
        await app.auction.create_listing("sel", other, 100)
    with pytest.raises(NotFound):
        await app.auction.create_listing("sel", 9999, 100)
    with pytest.raises(NotRegistered):
        await app.auction.create_listing("ghost", esprit, 100)
    assert (await app.economy.profile("sel")).faylen == 1000  # no fee was taken for any refusal


async def test_listing_fee_needs_funds(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    price = app.config.settings.auction.max_price
    with pytest.raises(InsufficientFunds):  # the fee on a huge price is more than the starting faylen
        await app.auction.create_listing("sel", esprit, price)
    assert (await app.collection.inventory("sel")).total == 1  # nothing half-applied: the Esprit stayed


async def test_open_listings_are_capped(app: FayeApp) -> None:
    await register(app, "sel")
    cap = app.config.settings.auction.max_open_listings
    await app.admin.grant(CONSOLE, "sel", "gems", 1440 * cap)
    for _ in range(cap):
        await app.summons.summon("sel", 10)
    items = (await app.collection.inventory("sel", sort="newest")).items
    for item in items[:cap]:
        await app.auction.create_listing("sel", item.id, 50)
    with pytest.raises(TooManyListings):
        await app.auction.create_listing("sel", items[cap].id, 50)


async def test_buy_moves_money_and_ownership(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    await register(app, "buy")
    listing = (await app.auction.create_listing("sel", esprit, 400)).listing
    purchase = await app.auction.buy("buy", listing.id)
    tax = app.config.settings.auction.sale_tax(400)
    fee = app.config.settings.auction.listing_fee(400)
    assert (purchase.paid, purchase.seller_received) == (400, 400 - tax)
    assert purchase.balance.faylen == 600
    assert purchase.listing.status == "sold"
    assert purchase.listing.buyer_id == "buy"
    assert (await app.economy.profile("sel")).faylen == 1000 - fee + 400 - tax
    detail = await app.collection.esprit("buy", esprit)
    assert detail.owner_id == "buy"
    reasons = {(r.user_id, r.reason, r.delta) for r in await ledger_rows(app) if r.reason.startswith("auction")}
    assert reasons == {("sel", "auction_fee", -fee), ("buy", "auction_buy", -400), ("sel", "auction_sale", 400 - tax)}
    with pytest.raises(ListingUnavailable):
        await app.auction.buy("buy", listing.id)
    await assert_conserved(app)
    assert (await app.admin.audit(CONSOLE)).consistent


async def test_buy_refusals_change_nothing(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    await register(app, "poor")
    listing = (await app.auction.create_listing("sel", esprit, 5000)).listing
    with pytest.raises(OwnListing):
        await app.auction.buy("sel", listing.id)
    with pytest.raises(InsufficientFunds):
        await app.auction.buy("poor", listing.id)
    with pytest.raises(NotRegistered):
        await app.auction.buy("ghost", listing.id)
    with pytest.raises(ListingUnavailable):
        await app.auction.buy("poor", 424242)
    page = await app.auction.browse()
    assert [item.id for item in page.items] == [listing.id]  # still open, still in escrow
    assert (await app.economy.profile("poor")).faylen == 1000
    await assert_conserved(app, escrowed=1)


async def test_cancel_returns_the_esprit(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    await register(app, "oth")
    listing = (await app.auction.create_listing("sel", esprit, 100)).listing
    with pytest.raises(NotOwner):
        await app.auction.cancel("oth", listing.id)
    cancelled = await app.auction.cancel("sel", listing.id)
    assert cancelled.listing.status == "cancelled"
    assert (await app.collection.esprit("sel", esprit)).owner_id == "sel"
    with pytest.raises(ListingUnavailable):
        await app.auction.cancel("sel", listing.id)
    with pytest.raises(ListingUnavailable):
        await app.auction.buy("oth", listing.id)
    await assert_conserved(app)


async def test_expiry_returns_esprits(app: FayeApp, clock: FixedClock) -> None:
    esprit = await starter(app, "sel")
    await register(app, "buy")
    listing = (await app.auction.create_listing("sel", esprit, 100, hours=1)).listing
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(ListingUnavailable):  # past its time, even before any sweep ran
        await app.auction.buy("buy", listing.id)
    assert (await app.auction.browse()).total == 0  # browsing only reads: not for sale, not yet swept
    assert (await app.auction.history("sel")).open == []
    assert await app.auction.expire() == [listing.id]  # the sweep (the bot's timer) gives it back
    assert (await app.collection.esprit("sel", esprit)).owner_id == "sel"
    assert await app.auction.expire() == []
    assert (await app.admin.audit(CONSOLE)).consistent


async def test_opening_the_game_leaves_expired_listings_to_the_sweep(db_url: str, clock: FixedClock) -> None:
    from tests.conftest import open_app

    async with open_app(db_url, clock) as app:
        esprit = await starter(app, "sel")
        await app.auction.create_listing("sel", esprit, 100, hours=2)
    clock.advance(timedelta(hours=3))
    async with open_app(db_url, clock) as app:
        assert (await app.collection.inventory("sel")).total == 0  # opening writes nothing
        assert (await app.auction.browse()).total == 0
        await app.auction.expire()
        assert (await app.collection.inventory("sel")).total == 1


async def test_browse_filters_sorts_pages(app: FayeApp) -> None:
    await register(app, "sel")
    await register(app, "two")
    await app.admin.grant(CONSOLE, "sel", "gems", 1440)
    await app.summons.summon("sel", 10)
    items = (await app.collection.inventory("sel", sort="newest")).items
    prices = [300, 100, 200, 500, 400]
    for item, price in zip(items, prices, strict=False):
        await app.auction.create_listing("sel", item.id, price)
    await app.auction.create_listing("two", (await app.collection.inventory("two")).items[0].id, 150)
    page = await app.auction.browse(sort="price")
    assert [li.price for li in page.items] == [100, 150, 200, 300, 400, 500]
    assert [li.price for li in (await app.auction.browse(min_price=150, max_price=300, sort="price")).items] == [
        150,
        200,
        300,
    ]
    assert {li.seller_id for li in (await app.auction.browse(seller="two")).items} == {"two"}
    newest = await app.auction.browse(sort="newest")
    assert [li.id for li in newest.items] == sorted((li.id for li in newest.items), reverse=True)
    ranked = await app.auction.browse(sort="rarity")
    ranks = [app.config.tier_rank[li.esprit.rarity] for li in ranked.items]
    assert ranks == sorted(ranks, reverse=True)
    rarity = items[0].rarity
    assert all(li.esprit.rarity == rarity for li in (await app.auction.browse(rarity=rarity.upper())).items)
    name = items[0].name
    assert name in {li.esprit.name for li in (await app.auction.browse(search=name[1:5].lower())).items}
    with pytest.raises(InvalidArgument):
        await app.auction.browse(sort="cheapest")
    with pytest.raises(InvalidArgument):
        await app.auction.browse(rarity="Shiny")
    with pytest.raises(InvalidArgument):
        await app.auction.browse(min_price=10, max_price=5)
    assert (await app.auction.browse(page=99)).items == []


async def test_history(app: FayeApp) -> None:
    esprit = await starter(app, "sel")
    second = await starter(app, "buy")
    sold = (await app.auction.create_listing("sel", esprit, 100)).listing
    await app.auction.buy("buy", sold.id)
    still_open = (await app.auction.create_listing("buy", second, 70)).listing
    seller = await app.auction.history("sel")
    buyer = await app.auction.history("buy")
    assert [li.id for li in seller.sales] == [sold.id]
    assert [li.id for li in buyer.purchases] == [sold.id]
    assert [li.id for li in buyer.open] == [still_open.id]
    with pytest.raises(NotRegistered):
        await app.auction.history("ghost")


async def test_audit_reports_discrepancies(app: FayeApp) -> None:
    from sqlalchemy import update

    from faye.models import USERS

    await register(app, "sel")
    async with app.context.db.write() as session:
        await session.execute(update(USERS).where(USERS.c.user_id == "sel").values(faylen=USERS.c.faylen + 7))
    report = await app.admin.audit(CONSOLE)
    assert not report.consistent
    assert report.problems == ["player sel: faylen balance 1,007 but the ledger sums to 1,000"]


async def test_one_listing_for_a_purchase_prompt(app: FayeApp, clock: FixedClock) -> None:
    esprit = await starter(app, "sel")
    created = (await app.auction.create_listing("sel", esprit, 250, hours=1)).listing
    shown = await app.auction.listing(created.id)
    assert (shown.price, shown.esprit.id, shown.seller_id) == (250, esprit, "sel")
    with pytest.raises(ListingUnavailable):
        await app.auction.listing(created.id + 1)
    clock.advance(timedelta(hours=2))
    with pytest.raises(ListingUnavailable):
        await app.auction.listing(created.id)
