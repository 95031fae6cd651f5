"""Operator actions. Every one is authorised first: the seed design's reset was open to anyone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye import audit
from faye.config import Currency
from faye.db import retried, sync_esprit_data
from faye.errors import Forbidden, InvalidArgument
from faye.inputs import GRANT
from faye.models import (
    EVENTS,
    TRADE_ITEMS,
    TRADE_SIDES,
    TRADES,
    AuctionListing,
    Battler,
    EspritData,
    EspritEvent,
    LedgerEntry,
    ListingStatus,
    PityCounter,
    PullRecord,
    RateBucket,
    Trade,
    TradeItem,
    TradeSide,
    User,
    UserEsprit,
)
from faye.results import AuditReport, Grant, ResetReport
from faye.services import ledger
from faye.services.context import ServiceContext
from faye.services.players import get_player, lock_players, lock_roster


class Console:
    """The operator at the terminal: whoever holds the database file already holds all its data."""

    def __repr__(self) -> str:
        return "console"


CONSOLE: Final = Console()
Actor = str | Console
MAX_GRANT: Final = GRANT.max


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def authorize(self, actor: Actor) -> None:
        """Allow the console and the ids in FAYE_ADMIN_IDS; refuse everyone else."""
        if isinstance(actor, Console) or actor in self._ctx.admin_ids:
            return
        raise Forbidden("only Faye administrators can do that", actor=actor)

    @retried
    async def reset(self, actor: Actor) -> ResetReport:
        """Delete all player data and reseed the static Esprit definitions from the config. Refuses: Forbidden.

        It locks in faye.db's order: the roster (exclusive, so a registration under way either finishes first and
        is deleted, or waits and survives), then every player by id, then deletes. The counts are taken under
        those locks, so they are what was deleted.
        """
        self.authorize(actor)
        async with self._ctx.db.write() as session:
            await lock_roster(session, exclusive=True)
            await lock_players(session, None)
            counts = {}
            for name, model in (("ledger", LedgerEntry), ("esprits", UserEsprit), ("players", User)):
                counts[name] = (await session.execute(select(func.count()).select_from(model))).scalar_one()
            await session.execute(update(User).values(active_esprit_id=None))
            tables = (
                AuctionListing,
                TradeItem,
                TradeSide,
                Trade,
                LedgerEntry,
                PityCounter,
                PullRecord,
                Battler,
                RateBucket,
                EspritEvent,
                UserEsprit,
                User,
                EspritData,
            )
            for table in tables:
                await session.execute(delete(table))
            definitions = await sync_esprit_data(session, self._ctx.config)
        return ResetReport(
            players_deleted=counts["players"],
            esprits_deleted=counts["esprits"],
            ledger_rows_deleted=counts["ledger"],
            esprit_definitions=definitions,
        )

    @retried
    async def grant(self, actor: Actor, user_id: str, currency: str, amount: int) -> Grant:
        """Give a player currency (events, support); recorded in the ledger as `admin_grant`."""
        self.authorize(actor)
        try:
            kind = Currency(currency)
        except ValueError:
            choices = ", ".join(c.value for c in Currency)
            raise InvalidArgument(
                f"unknown currency {currency!r}; expected one of {choices}", field="currency"
            ) from None
        GRANT.check(amount)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            await get_player(session, user_id, lock=True)
            balance = await ledger.move(
                session, user_id, kind, amount, reason="admin_grant", reference=f"by {actor!r}", at=now
            )
        return Grant(user_id=user_id, currency=kind.value, amount=amount, balance_after=balance)

    async def audit(self, actor: Actor) -> AuditReport:
        """Check every balance against the ledger, that every Esprit has exactly one owner or sits in exactly
        one open listing, and that every Esprit's history is unbroken and ends where it is (the rules are
        faye.audit's pure checks). Read-only: one read transaction,
        so the snapshot is consistent; it reports, an operator decides. Refuses: Forbidden."""
        self.authorize(actor)
        async with self._ctx.db.read() as session:
            snapshot = await read_snapshot(session)
        return audit.report(snapshot)


async def read_snapshot(session: AsyncSession) -> audit.Snapshot:
    """Everything the audit compares, read in `session`: players, ledger sums, Esprits, open listings."""
    users = (await session.execute(select(User))).scalars().all()
    sums = (
        await session.execute(
            select(
                col(LedgerEntry.user_id), col(LedgerEntry.currency), func.sum(LedgerEntry.delta), func.count()
            ).group_by(col(LedgerEntry.user_id), col(LedgerEntry.currency))
        )
    ).all()
    # Primary keys read back are never NULL, whatever the models' `int | None` (None only before an insert).
    esprits = cast(
        "Sequence[tuple[int, str | None]]",
        (await session.execute(select(col(UserEsprit.id), col(UserEsprit.owner_id)))).all(),
    )
    open_listings = select(col(AuctionListing.id), col(AuctionListing.esprit_id)).where(
        col(AuctionListing.status) == ListingStatus.OPEN
    )
    listings = cast("Sequence[tuple[int, int]]", (await session.execute(open_listings)).all())
    histories: dict[int, list[audit.EventState]] = {}
    events = await session.execute(
        select(EVENTS.c.esprit_id, EVENTS.c.kind, EVENTS.c.owner_id, EVENTS.c.detail).order_by(EVENTS.c.id)
    )
    for esprit_id, kind, owner_id, detail in events:
        facts = detail if isinstance(detail, dict) else {}
        histories.setdefault(int(esprit_id), []).append(
            audit.EventState(
                kind=kind,
                owner_id=owner_id,
                listing_id=facts.get("listing_id"),
                trade_id=facts.get("trade_id"),
                giver=facts.get("from"),
            )
        )
    items: dict[int, list[audit.TradeItemState]] = {}
    for trade_id, user_id, esprit_id, reserved in await session.execute(
        select(TRADE_ITEMS.c.trade_id, TRADE_ITEMS.c.user_id, TRADE_ITEMS.c.esprit_id, TRADE_ITEMS.c.reserved)
    ):
        items.setdefault(int(trade_id), []).append(
            audit.TradeItemState(user_id=user_id, esprit_id=int(esprit_id), reserved=bool(reserved))
        )
    sides: dict[int, dict[str, dict[str, int]]] = {}
    for side in await session.execute(select(TRADE_SIDES).order_by(TRADE_SIDES.c.trade_id, TRADE_SIDES.c.user_id)):
        sides.setdefault(int(side.trade_id), {})[side.user_id] = {
            c.value: int(getattr(side, c.value)) for c in Currency
        }
    trades = [
        audit.TradeState(
            id=int(trade_id), status=status, sides=sides.get(int(trade_id), {}), items=items.get(int(trade_id), [])
        )
        for trade_id, status in await session.execute(select(TRADES.c.id, TRADES.c.status).order_by(TRADES.c.id))
    ]
    trade_ledger = {
        (str(reference), user_id, currency): int(total)
        for reference, user_id, currency, total in await session.execute(
            select(
                col(LedgerEntry.reference),
                col(LedgerEntry.user_id),
                col(LedgerEntry.currency),
                func.sum(LedgerEntry.delta),
            )
            .where(col(LedgerEntry.reason) == "trade")
            .group_by(col(LedgerEntry.reference), col(LedgerEntry.user_id), col(LedgerEntry.currency))
        )
    }
    return audit.Snapshot(
        players=[
            audit.PlayerState(
                user_id=user.user_id,
                balances={currency.value: getattr(user, currency.value) for currency in Currency},
                active_esprit_id=user.active_esprit_id,
            )
            for user in users
        ],
        ledger={(user_id, currency): int(total) for user_id, currency, total, _ in sums},
        ledger_rows=sum(int(rows) for *_, rows in sums),
        esprits=[audit.EspritState(id=esprit_id, owner_id=owner_id) for esprit_id, owner_id in esprits],
        open_listings=[audit.ListingState(id=listing_id, esprit_id=esprit_id) for listing_id, esprit_id in listings],
        histories=histories,
        trades=trades,
        trade_ledger=trade_ledger,
    )
