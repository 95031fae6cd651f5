"""Operator actions. Every one is authorised first: the seed design's reset was open to anyone."""

from __future__ import annotations

from typing import Final

from sqlalchemy import delete, func, select, update

from faye.config import Currency
from faye.db import sync_esprit_data
from faye.errors import Forbidden, InvalidAmount, InvalidArgument
from faye.models import EspritData, LedgerEntry, PityCounter, User, UserEsprit
from faye.services import ledger
from faye.services.context import ServiceContext
from faye.services.players import get_player
from faye.services.results import Grant, ResetReport


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
            for table in (LedgerEntry, PityCounter, UserEsprit, User, EspritData):
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
