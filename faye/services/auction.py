"""The auction house: Esprits held in escrow while listed, and trades that are all or nothing.

The seed design let a seller keep using a listed Esprit, sell it twice, or buy their own listing. Here a listed
Esprit leaves its owner (owner_id NULL) and sits in exactly one open listing; every state change of a listing is
a conditional UPDATE on `status = 'open'`, so of a buy, a cancel and an expiry racing for one listing exactly one
wins. Every transaction here locks in faye.db's order — players by id, then listings, then Esprits — so crossing
trades and the expiry sweep cannot deadlock on PostgreSQL.

A listing whose time is up is closed by the sweep: within the seller's next listing, cancel or sale (and the
buyer's purchase), inside that transaction, and for everyone by `expire()` on the bot's timer. Until then it is
simply not for sale: browsing, the history and `listing()` only read, and show open listings whose time is not up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.choices import AUCTION_SORTS
from faye.config import Currency
from faye.db import retried
from faye.errors import (
    InEscrow,
    InvalidArgument,
    ListingUnavailable,
    Locked,
    NotOwner,
    NotRegistered,
    OwnListing,
    PriceOutOfRange,
    TooManyListings,
)
from faye.inputs import LISTING_HOURS, LISTING_ID, PRICE
from faye.models import USERS, AuctionListing, EspritData, EventKind, ListingStatus, User, UserEsprit, table_of
from faye.results import (
    AuctionHistory,
    Cancellation,
    ListedEsprit,
    Listing,
    ListingCreated,
    ListingPage,
    Purchase,
)
from faye.services import history, ledger
from faye.services.collection import fetch_own
from faye.services.context import ServiceContext
from faye.services.filters import EspritFilter, fetch_page, rarity_rank, require_choice, require_page
from faye.services.players import get_player, lock_players, read_balance
from faye.services.reservations import refuse_reserved

_listings = table_of(AuctionListing)
_esprits = table_of(UserEsprit)
OPEN = ListingStatus.OPEN.value
FAYLEN = Currency.FAYLEN
HISTORY_LIMIT = 20


def _to_listing(listing: AuctionListing, data: EspritData) -> Listing:
    assert listing.id is not None
    return Listing(
        id=listing.id,
        esprit=ListedEsprit(
            id=listing.esprit_id, esprit_id=data.esprit_id, name=data.name, rarity=data.rarity, level=listing.level
        ),
        seller_id=listing.seller_id,
        price=listing.price,
        fee=listing.fee,
        status=listing.status,
        created_at=listing.created_at,
        expires_at=listing.expires_at,
        buyer_id=listing.buyer_id,
        tax=listing.tax,
        closed_at=listing.closed_at,
    )


def _with_esprit() -> Select[AuctionListing, EspritData]:
    """Listings with their Esprit's definition: the species is the listing's own, so a sale stays readable after
    the Esprit is released."""
    return select(AuctionListing, EspritData).join(
        EspritData, col(EspritData.esprit_id) == col(AuctionListing.esprit_data_id)
    )


async def _load(session: AsyncSession, listing_id: int) -> Listing:
    row = (
        await session.execute(
            _with_esprit().where(col(AuctionListing.id) == listing_id).execution_options(populate_existing=True)
        )
    ).one()
    return _to_listing(*row)


async def _release(
    session: AsyncSession, esprit_id: int, owner_id: str, kind: EventKind, at: datetime, **detail: Any
) -> None:
    """Hand an escrowed Esprit to its new owner (the buyer: `sold`) or back to its seller (`returned`), and
    record it in the Esprit's history."""
    released = (
        await session.execute(
            update(_esprits)
            .where(_esprits.c.id == esprit_id, _esprits.c.owner_id.is_(None))
            .values(owner_id=owner_id)
            .returning(_esprits.c.id)
        )
    ).scalar_one_or_none()
    if released is None:  # pragma: no cover - escrow broken elsewhere: raise, so the transaction rolls back
        raise RuntimeError(f"Esprit {esprit_id} was not in escrow")
    await history.record(session, [history.event(esprit_id, kind, owner_id, at, **detail)])


async def _escrow(session: AsyncSession, seller: User, esprit_id: int, now: datetime) -> UserEsprit:
    """Take one of the seller's Esprits into escrow (no owner, not active): the mirror of `_release`.

    Refuses NotFound, NotOwner, Locked, Reserved (offered in an open trade), and InEscrow (it is listed already,
    or a concurrent request listed it a moment ago).
    """
    esprit, data = await fetch_own(session, seller.user_id, esprit_id)
    if esprit.locked:
        raise Locked(f"{data.name} (Esprit {esprit_id}) is locked; unlock it to list it", esprit_id=esprit_id)
    await refuse_reserved(session, [esprit_id], now, "list")
    moved = (
        await session.execute(
            update(_esprits)
            .where(_esprits.c.id == esprit_id, _esprits.c.owner_id == seller.user_id, _esprits.c.locked.is_(False))
            .values(owner_id=None)
            .returning(_esprits.c.id)
        )
    ).scalar_one_or_none()
    if moved is None:
        raise InEscrow(f"Esprit {esprit_id} is already in the auction house", esprit_id=esprit_id)
    if seller.active_esprit_id == esprit_id:
        await session.execute(update(USERS).where(USERS.c.user_id == seller.user_id).values(active_esprit_id=None))
    return esprit


async def sweep_expired(session: AsyncSession, now: datetime, seller_ids: Iterable[str] | None = None) -> list[int]:
    """Close the listings whose time is up and give their Esprits back; returns the listing ids.

    `seller_ids` limits the sweep to those sellers (whom the caller has locked already); without it every seller
    with an expired listing is swept. The locks follow faye.db's order: the sellers by id, then their expired
    listings by id, then the Esprits by id — the seller before the listing, because giving the Esprit back
    writes `owner_id`, whose foreign-key check needs the seller's row.
    """
    due = and_(_listings.c.status == OPEN, _listings.c.expires_at <= now)
    if seller_ids is None:
        seller_ids = (await session.execute(select(_listings.c.seller_id).where(due).distinct())).scalars().all()
    sellers = await lock_players(session, seller_ids)
    if not sellers:
        return []
    expired = (
        await session.execute(
            select(_listings.c.id, _listings.c.esprit_id, _listings.c.seller_id)
            .where(due, _listings.c.seller_id.in_(sellers))
            .order_by(_listings.c.id)
            .with_for_update()
        )
    ).all()
    if not expired:
        return []
    await session.execute(
        update(_listings)
        .where(_listings.c.id.in_([row.id for row in expired]))
        .values(status=ListingStatus.EXPIRED.value, closed_at=now)
    )
    for row in sorted(expired, key=lambda row: row.esprit_id):
        await _release(session, row.esprit_id, row.seller_id, EventKind.RETURNED, now, listing_id=row.id, why="expired")
    return [row.id for row in expired]


async def _require_room(session: AsyncSession, seller_id: str, limit: int) -> None:
    """Refuse (TooManyListings) a seller who already has `limit` open listings."""
    open_count = (
        await session.execute(
            select(func.count())
            .select_from(_listings)
            .where(_listings.c.seller_id == seller_id, _listings.c.status == OPEN)
        )
    ).scalar_one()
    if open_count >= limit:
        raise TooManyListings(
            f"you already have {open_count} open listings, the most allowed; cancel one or wait for a sale",
            limit=limit,
        )


class AuctionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @retried
    async def create_listing(
        self, user_id: str, esprit_id: int, price: int, hours: float | None = None
    ) -> ListingCreated:
        """Offer one of your Esprits for `price` faylen; it goes into escrow until sold, cancelled or expired.

        Refuses PriceOutOfRange, InvalidArgument (hours, or a price or id beyond faye.inputs), NotRegistered,
        TooManyListings, NotFound, NotOwner, Locked, Reserved, InEscrow and InsufficientFunds (the listing fee) —
        before anything changes.
        """
        settings = self._ctx.config.settings.auction
        if not settings.min_price <= PRICE.check(price) <= settings.max_price:
            raise PriceOutOfRange(
                f"a price is between {settings.min_price:,} and {settings.max_price:,} faylen, not {price:,}",
                price=price,
                min_price=settings.min_price,
                max_price=settings.max_price,
            )
        hours = settings.default_hours if hours is None else LISTING_HOURS.check(hours)
        if hours > settings.max_hours:
            raise InvalidArgument(
                f"a listing lasts more than 0 and at most {settings.max_hours:g} hours", field="hours"
            )
        now = self._ctx.clock.now()
        fee = settings.listing_fee(price)
        async with self._ctx.db.write() as session:
            seller = await get_player(session, user_id, lock=True)
            await sweep_expired(session, now, seller_ids=[user_id])
            await _require_room(session, user_id, settings.max_open_listings)
            escrowed = await _escrow(session, seller, esprit_id, now)
            listing = AuctionListing(
                seller_id=user_id,
                esprit_id=esprit_id,
                esprit_data_id=escrowed.esprit_data_id,
                level=escrowed.current_level,
                price=price,
                fee=fee,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
            session.add(listing)
            await session.flush()
            assert listing.id is not None
            await history.record(
                session, [history.event(esprit_id, EventKind.ESCROWED, None, now, listing_id=listing.id, by=user_id)]
            )
            if fee:
                await ledger.move(
                    session,
                    user_id,
                    Currency.FAYLEN,
                    -fee,
                    reason="auction_fee",
                    reference=f"listing {listing.id}",
                    at=now,
                )
            created = await _load(session, listing.id)
            balance = await read_balance(session, user_id)
        return ListingCreated(listing=created, balance=balance)

    @retried
    async def buy(self, user_id: str, listing_id: int) -> Purchase:
        """Pay the price, pay the seller less tax, take the Esprit, close the listing — or none of it; then both
        players' expired listings go home. Refuses ListingUnavailable, OwnListing, NotRegistered and
        InsufficientFunds."""
        LISTING_ID.check(listing_id)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            listing = await session.get(AuctionListing, listing_id)
            if listing is None or listing.status != OPEN or listing.expires_at <= now:
                raise ListingUnavailable(f"listing {listing_id} is not open for sale", listing_id=listing_id)
            if listing.seller_id == user_id:
                raise OwnListing("you cannot buy your own listing; cancel it instead", listing_id=listing_id)
            # Both players first, in id order (faye.db): two crossing trades wait for each other, never in a circle.
            locked = await lock_players(session, {user_id, listing.seller_id})
            if user_id not in locked:
                raise NotRegistered(f"{user_id!r} is not registered yet", user_id=user_id)
            tax = self._ctx.config.settings.auction.sale_tax(listing.price)
            sold = (
                await session.execute(
                    update(_listings)
                    .where(_listings.c.id == listing_id, _listings.c.status == OPEN, _listings.c.expires_at > now)
                    .values(status=ListingStatus.SOLD.value, buyer_id=user_id, tax=tax, closed_at=now)
                    .returning(_listings.c.esprit_id, _listings.c.seller_id, _listings.c.price)
                )
            ).one_or_none()
            if sold is None:  # a buy, cancel or expiry got there first
                raise ListingUnavailable(f"listing {listing_id} is not open for sale", listing_id=listing_id)
            esprit_id, seller_id, price = sold
            reference = f"listing {listing_id}"
            await ledger.move(
                session, user_id, Currency.FAYLEN, -price, reason="auction_buy", reference=reference, at=now
            )
            if price - tax:
                await ledger.move(
                    session, seller_id, FAYLEN, price - tax, reason="auction_sale", reference=reference, at=now
                )
            await _release(
                session, esprit_id, user_id, EventKind.SOLD, now, listing_id=listing_id, seller=seller_id, price=price
            )
            await sweep_expired(session, now, seller_ids=locked)
            result = await _load(session, listing_id)
            balance = await read_balance(session, user_id)
        return Purchase(listing=result, paid=price, seller_received=price - tax, balance=balance)

    @retried
    async def cancel(self, user_id: str, listing_id: int) -> Cancellation:
        """The seller takes the Esprit back — from a listing whose time ran out too, if no sweep closed it yet —
        and their other expired listings go home with it; the listing fee is not refunded. Refuses
        ListingUnavailable, NotOwner and NotRegistered."""
        LISTING_ID.check(listing_id)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            listing = await session.get(AuctionListing, listing_id)
            if listing is None:
                raise ListingUnavailable(f"there is no listing {listing_id}", listing_id=listing_id)
            if listing.seller_id != user_id:
                raise NotOwner(f"listing {listing_id} is another player's; only the seller can cancel it")
            await get_player(session, user_id, lock=True)
            closed = (
                await session.execute(
                    update(_listings)
                    .where(_listings.c.id == listing_id, _listings.c.status == OPEN)
                    .values(status=ListingStatus.CANCELLED.value, closed_at=now)
                    .returning(_listings.c.esprit_id)
                )
            ).scalar_one_or_none()
            if closed is None:
                raise ListingUnavailable(f"listing {listing_id} is already closed", listing_id=listing_id)
            await _release(session, closed, user_id, EventKind.RETURNED, now, listing_id=listing_id, why="cancelled")
            await sweep_expired(session, now, seller_ids=[user_id])
            result = await _load(session, listing_id)
        return Cancellation(listing=result)

    async def listing(self, listing_id: int) -> Listing:
        """One open listing, to show before a purchase; ListingUnavailable when it is closed or unknown."""
        LISTING_ID.check(listing_id)
        now = self._ctx.clock.now()
        async with self._ctx.db.read() as session:
            listing = await session.get(AuctionListing, listing_id)
            if listing is None or listing.status != OPEN or listing.expires_at <= now:
                raise ListingUnavailable(f"listing {listing_id} is not open for sale", listing_id=listing_id)
            return await _load(session, listing_id)

    @retried
    async def expire(self) -> list[int]:
        """Close every listing whose time is up and give the Esprits back (the bot runs it on a timer); returns
        the listing ids."""
        async with self._ctx.db.write() as session:
            return await sweep_expired(session, self._ctx.clock.now())

    async def browse(
        self,
        *,
        rarity: str | None = None,
        search: str | None = None,
        min_price: int | None = None,
        max_price: int | None = None,
        seller: str | None = None,
        sort: str = "newest",
        page: int = 1,
    ) -> ListingPage:
        config = self._ctx.config
        require_choice(sort, AUCTION_SORTS, "sort")
        wanted = EspritFilter.parse(config, rarity, search)
        require_page(page)
        for field, bound in (("min_price", min_price), ("max_price", max_price)):
            if bound is not None:
                PRICE.check(bound, field)
        if min_price is not None and max_price is not None and min_price > max_price:
            raise InvalidArgument(f"min price {min_price:,} is above max price {max_price:,}", field="min_price")
        now = self._ctx.clock.now()
        stmt = wanted.apply(
            _with_esprit().where(col(AuctionListing.status) == OPEN, col(AuctionListing.expires_at) > now)
        )
        if min_price is not None:
            stmt = stmt.where(col(AuctionListing.price) >= min_price)
        if max_price is not None:
            stmt = stmt.where(col(AuctionListing.price) <= max_price)
        if seller is not None:
            stmt = stmt.where(col(AuctionListing.seller_id) == seller)
        orders: dict[str, tuple[Any, ...]] = {
            "newest": (col(AuctionListing.id).desc(),),
            "price": (col(AuctionListing.price), col(AuctionListing.id)),
            "rarity": (rarity_rank(config).desc(), col(AuctionListing.price), col(AuctionListing.id)),
        }
        async with self._ctx.db.read() as session:
            found = await fetch_page(session, stmt, orders[sort], page, config.settings.auction.page_size)
        return ListingPage(
            items=[_to_listing(*row) for row in found.rows],
            page=found.number,
            pages=found.pages,
            total=found.total,
            page_size=found.size,
        )

    async def history(self, user_id: str) -> AuctionHistory:
        """The player's open listings (whose time is not up), and their latest sales and purchases."""
        now = self._ctx.clock.now()
        async with self._ctx.db.read() as session:
            await get_player(session, user_id)
            newest = col(AuctionListing.id).desc()

            async def fetch(*where: Any) -> list[Listing]:
                rows = await session.execute(_with_esprit().where(and_(*where)).order_by(newest).limit(HISTORY_LIMIT))
                return [_to_listing(*row) for row in rows.all()]

            mine = col(AuctionListing.seller_id) == user_id
            return AuctionHistory(
                user_id=user_id,
                open=await fetch(mine, col(AuctionListing.status) == OPEN, col(AuctionListing.expires_at) > now),
                sales=await fetch(mine, col(AuctionListing.status) == ListingStatus.SOLD.value),
                purchases=await fetch(col(AuctionListing.buyer_id) == user_id),
            )
