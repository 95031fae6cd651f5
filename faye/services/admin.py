"""Operator actions. Every one is authorised first: the seed design's reset was open to anyone."""

from __future__ import annotations

from typing import Final

from sqlalchemy import delete, func, select, update
from sqlmodel import col

from faye.config import Currency
from faye.db import sync_esprit_data
from faye.errors import Forbidden, InvalidAmount, InvalidArgument
from faye.models import AuctionListing, EspritData, LedgerEntry, ListingStatus, PityCounter, User, UserEsprit
from faye.services import ledger
from faye.services.context import ServiceContext
from faye.services.players import get_player
from faye.results import AuditReport, Grant, ResetReport


class Console:
    """The operator at the terminal: whoever holds the database file already holds all its data."""

    def __repr__(self) -> str:
        return "console"


CONSOLE: Final = Console()
Actor = str | Console
MAX_GRANT = 10_000_000


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def authorize(self, actor: Actor) -> None:
        """Allow the console and the ids in FAYE_ADMIN_IDS; refuse everyone else."""
        if isinstance(actor, Console) or actor in self._ctx.admin_ids:
            return
        raise Forbidden("only Faye administrators can do that", actor=actor)

    async def reset(self, actor: Actor) -> ResetReport:
        """Delete all player data and reseed the static Esprit definitions from the config."""
        self.authorize(actor)
        async with self._ctx.db.write() as session:
            counts = {}
            for name, model in (("ledger", LedgerEntry), ("esprits", UserEsprit), ("players", User)):
                counts[name] = (await session.execute(select(func.count()).select_from(model))).scalar_one()
            await session.execute(update(User).values(active_esprit_id=None))
            for table in (AuctionListing, LedgerEntry, PityCounter, UserEsprit, User, EspritData):
                await session.execute(delete(table))
            definitions = await sync_esprit_data(session, self._ctx.config)
        return ResetReport(
            players_deleted=counts["players"],
            esprits_deleted=counts["esprits"],
            ledger_rows_deleted=counts["ledger"],
            esprit_definitions=definitions,
        )

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
        if not 0 < amount <= MAX_GRANT:
            raise InvalidAmount(f"a grant is between 1 and {MAX_GRANT:,}, got {amount}", amount=amount)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            await get_player(session, user_id, lock=True)
            balance = await ledger.move(
                session, user_id, kind, amount, reason="admin_grant", reference=f"by {actor!r}", at=now
            )
        return Grant(user_id=user_id, currency=kind.value, amount=amount, balance_after=balance)

    async def audit(self, actor: Actor) -> AuditReport:
        """Check every balance against the ledger, and that every Esprit has exactly one owner or sits in
        exactly one open listing. Read-only: it reports, an operator decides."""
        self.authorize(actor)
        problems: list[str] = []
        async with self._ctx.db.read() as session:
            users = (await session.execute(select(User))).scalars().all()
            sums = {
                (user_id, currency): (int(total), int(rows))
                for user_id, currency, total, rows in (
                    await session.execute(
                        select(
                            col(LedgerEntry.user_id),
                            col(LedgerEntry.currency),
                            func.sum(LedgerEntry.delta),
                            func.count(),
                        ).group_by(col(LedgerEntry.user_id), col(LedgerEntry.currency))
                    )
                ).all()
            }
            esprits = (await session.execute(select(UserEsprit))).scalars().all()
            open_listings = (
                (await session.execute(select(AuctionListing).where(col(AuctionListing.status) == ListingStatus.OPEN)))
                .scalars()
                .all()
            )
        for user in users:
            for currency in Currency:
                balance = getattr(user, currency.value)
                total, _ = sums.get((user.user_id, currency.value), (0, 0))
                if balance != total:
                    problems.append(
                        f"player {user.user_id}: {currency.value} balance {balance:,} but the ledger sums to {total:,}"
                    )
                if balance < 0:
                    problems.append(f"player {user.user_id}: negative {currency.value} balance {balance:,}")
        owners = {e.id: e.owner_id for e in esprits}
        listed: dict[int, list[int]] = {}
        for listing in open_listings:
            assert listing.id is not None
            listed.setdefault(listing.esprit_id, []).append(listing.id)
        for esprit in esprits:
            in_listings = listed.get(esprit.id or 0, [])
            if esprit.owner_id is not None and in_listings:
                problems.append(
                    f"Esprit {esprit.id}: owned by {esprit.owner_id} and also in open listing(s) {in_listings}"
                )
            elif esprit.owner_id is None and len(in_listings) != 1:
                where = f"in {len(in_listings)} open listings {in_listings}" if in_listings else "in no open listing"
                problems.append(f"Esprit {esprit.id}: has no owner and is {where}")
        for listing in open_listings:
            if listing.esprit_id not in owners:
                problems.append(f"listing {listing.id}: its Esprit {listing.esprit_id} does not exist")
        for user in users:
            if user.active_esprit_id is not None and owners.get(user.active_esprit_id) != user.user_id:
                problems.append(f"player {user.user_id}: active Esprit {user.active_esprit_id} is not theirs")
        return AuditReport(
            players=len(users),
            esprits=len(esprits),
            open_listings=len(open_listings),
            ledger_rows=sum(rows for _, rows in sums.values()),
            consistent=not problems,
            problems=problems,
        )
