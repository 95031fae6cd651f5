"""Trades between players: both sides build an offer, both confirm one version, and one transaction swaps it all.

The best-known bots shipped their worst bugs here (a trade racing a market purchase duplicated coins; a traded
creature stayed usable by its seller; a double click added an item twice; items stayed locked after a cancel).
Here every trade writer locks both traders first, in id order (faye.db's lock order), then the trade row; an
offered Esprit is reserved (one reserved TradeItem per Esprit, a unique index) so nothing else can take it while
the trade is open; every change bumps the version and clears both confirmations; and execution re-checks every
Esprit and moves every currency with conditional statements, so all of it moves or none of it does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.config import Currency, TradeSettings
from faye.db import retried
from faye.errors import (
    ActiveEsprit,
    InsufficientFunds,
    InvalidAmount,
    InvalidArgument,
    Locked,
    NotFound,
    NotOwner,
    NotRegistered,
    SelfTrade,
    TooSoon,
    TradeChanged,
    TradeLimit,
    TradeUnavailable,
)
from faye.inputs import ESPRIT_ID, TRADE_AMOUNT, TRADE_ID, TRADE_VERSION
from faye.models import (
    ESPRITS,
    TRADE_ITEMS,
    TRADE_SIDES,
    TRADES,
    EspritData,
    EventKind,
    LedgerEntry,
    Trade,
    TradeStatus,
    User,
    UserEsprit,
)
from faye.results import ListedEsprit, TradeList, TradeSideView, TradeView
from faye.services import history, ledger
from faye.services.collection import fetch_own
from faye.services.context import ServiceContext
from faye.services.players import lock_players
from faye.services.reservations import refuse_reserved, sweep_expired_trades

OPEN = TradeStatus.OPEN.value
#: The currency columns of a side, in display order.
CURRENCIES = (Currency.FAYLEN, Currency.VIRELITE, Currency.GEMS)
LIST_LIMIT = 20


@dataclass(frozen=True, kw_only=True)
class Offer:
    """Esprits (by id) and currency amounts: what a trader adds to, or removes from, their side."""

    esprits: tuple[int, ...] = ()
    faylen: int = 0
    virelite: int = 0
    gems: int = 0

    def amounts(self) -> dict[Currency, int]:
        return {currency: getattr(self, currency.value) for currency in CURRENCIES}

    @property
    def empty(self) -> bool:
        return not self.esprits and not any(self.amounts().values())

    def check(self, field: str) -> None:
        """InvalidAmount / InvalidArgument for an amount or an id out of bounds, or an Esprit named twice."""
        for currency, amount in self.amounts().items():
            TRADE_AMOUNT.check(amount, f"{field}_{currency.value}")
        for esprit_id in self.esprits:
            ESPRIT_ID.check(esprit_id, f"{field}_esprits")
        if len(set(self.esprits)) != len(self.esprits):
            raise InvalidArgument("each Esprit is named once", field=f"{field}_esprits")


@dataclass
class _Side:
    user_id: str
    amounts: dict[Currency, int]
    confirmed_version: int | None
    esprits: list[int]


class TradeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @property
    def _settings(self) -> TradeSettings:
        return self._ctx.config.settings.trade

    @retried
    async def offer(self, user_id: str, other_id: str, give: Offer, ask: Offer) -> TradeView:
        """Open a trade with `other_id`: `give` is your side, `ask` theirs (what you would like from them).

        Refuses SelfTrade, NotRegistered (either player), InvalidAmount / InvalidArgument (the offers), TradeLimit
        (open trades, Esprits per side, currencies that do not trade, currency trading for new accounts),
        NotFound, NotOwner, InEscrow, Locked, ActiveEsprit, Reserved, InsufficientFunds — before anything changes.
        """
        if user_id == other_id:
            raise SelfTrade("you cannot trade with yourself")
        give.check("give")
        ask.check("ask")
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            players = await self._lock(session, [user_id, other_id], now)
            for trader in (user_id, other_id):
                open_now = (
                    await session.execute(
                        select(func.count())
                        .select_from(TRADES.join(TRADE_SIDES, TRADE_SIDES.c.trade_id == TRADES.c.id))
                        .where(TRADE_SIDES.c.user_id == trader, TRADES.c.status == OPEN)
                    )
                ).scalar_one()
                if open_now >= self._settings.max_open_trades:
                    raise TradeLimit(
                        f"{trader} already has {open_now} open trades, the most allowed; finish or cancel one",
                        user_id=trader,
                        limit=self._settings.max_open_trades,
                    )
            expires = now + timedelta(minutes=self._settings.expiry_minutes)
            trade = Trade(opened_by=user_id, created_at=now, changed_at=now, expires_at=expires)
            session.add(trade)
            await session.flush()
            assert trade.id is not None
            await session.execute(
                insert(TRADE_SIDES),
                [{"trade_id": trade.id, "user_id": u} for u in (user_id, other_id)],
            )
            for trader, offer in ((user_id, give), (other_id, ask)):
                await self._add(session, trade.id, players[trader], offer, current=_Side(trader, {}, None, []), now=now)
            return await self._view(session, trade.id, now)

    @retried
    async def add(self, user_id: str, trade_id: int, offer: Offer) -> TradeView:
        """Add to your side of an open trade; the version goes up and both confirmations are cleared.

        Refuses TradeUnavailable, NotOwner (not your trade), InvalidAmount / InvalidArgument, TradeLimit, NotFound,
        InEscrow, Locked, ActiveEsprit, Reserved (also an Esprit already in this trade) and InsufficientFunds."""
        offer.check("add")
        if offer.empty:
            raise InvalidArgument("say what to add: Esprits, faylen or virelite", field="esprits")
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            sides, players = await self._open_for(session, user_id, trade_id, now)
            await self._add(session, trade_id, players[user_id], offer, current=sides[user_id], now=now)
            await self._changed(session, trade_id, now)
            return await self._view(session, trade_id, now)

    @retried
    async def remove(self, user_id: str, trade_id: int, offer: Offer) -> TradeView:
        """Take Esprits or currency back from your side of an open trade (their reservations end); the version
        goes up and both confirmations are cleared. Refuses TradeUnavailable, NotOwner, InvalidAmount /
        InvalidArgument (more than the side holds, an Esprit not on it)."""
        offer.check("remove")
        if offer.empty:
            raise InvalidArgument("say what to remove: Esprits, faylen or virelite", field="esprits")
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            sides, _ = await self._open_for(session, user_id, trade_id, now)
            side = sides[user_id]
            missing = [e for e in offer.esprits if e not in side.esprits]
            if missing:
                raise InvalidArgument(f"Esprit {missing[0]} is not on your side of trade {trade_id}", field="esprits")
            values: dict[str, Any] = {}
            for currency, amount in offer.amounts().items():
                if amount > side.amounts[currency]:
                    raise InvalidAmount(
                        f"your side of trade {trade_id} holds {side.amounts[currency]:,} {currency.value}, "
                        f"not {amount:,}",
                        field=currency.value,
                        amount=amount,
                    )
                if amount:
                    values[currency.value] = side.amounts[currency] - amount
            if values:
                await session.execute(
                    update(TRADE_SIDES)
                    .where(TRADE_SIDES.c.trade_id == trade_id, TRADE_SIDES.c.user_id == user_id)
                    .values(values)
                )
            if offer.esprits:
                await session.execute(
                    delete(TRADE_ITEMS).where(
                        TRADE_ITEMS.c.trade_id == trade_id, TRADE_ITEMS.c.esprit_id.in_(list(offer.esprits))
                    )
                )
            await self._changed(session, trade_id, now)
            return await self._view(session, trade_id, now)

    @retried
    async def confirm(self, user_id: str, trade_id: int, version: int | None = None) -> TradeView:
        """Confirm the trade as it is at `version` (default: as it is now). When both traders have confirmed the
        same version, it executes in this transaction: every Esprit changes hands and every currency moves, or
        nothing does.

        Refuses TradeUnavailable, NotOwner, InvalidArgument (version), TradeChanged (a stale version), TooSoon
        (within the delay after the last change), and at execution Locked / ActiveEsprit / NotOwner (an offered
        Esprit changed), InsufficientFunds (a trader no longer has the currency) and TradeLimit (the daily cap)."""
        if version is not None:
            TRADE_VERSION.check(version)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            sides, players = await self._open_for(session, user_id, trade_id, now)
            trade = (await session.execute(select(TRADES).where(TRADES.c.id == trade_id))).one()
            if version is not None and version != trade.version:
                raise TradeChanged(
                    f"trade {trade_id} changed since version {version}; it is at version {trade.version} now: "
                    "look at it again before you confirm",
                    trade_id=trade_id,
                    version=trade.version,
                )
            opens = trade.changed_at + timedelta(seconds=self._settings.confirm_delay_seconds)
            if now < opens:
                raise TooSoon(
                    f"trade {trade_id} changed a moment ago; confirming opens in {(opens - now).total_seconds():.0f} s",
                    trade_id=trade_id,
                    retry_at=opens,
                )
            await session.execute(
                update(TRADE_SIDES)
                .where(TRADE_SIDES.c.trade_id == trade_id, TRADE_SIDES.c.user_id == user_id)
                .values(confirmed_version=trade.version)
            )
            sides[user_id].confirmed_version = trade.version
            if all(side.confirmed_version == trade.version for side in sides.values()):
                await self._execute(session, trade_id, sides, players, now)
            return await self._view(session, trade_id, now)

    @retried
    async def cancel(self, user_id: str, trade_id: int) -> TradeView:
        """Either trader closes an open trade; every reservation ends. Refuses TradeUnavailable, NotOwner."""
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            await self._open_for(session, user_id, trade_id, now)
            await self._close(session, trade_id, TradeStatus.CANCELLED, now)
            return await self._view(session, trade_id, now)

    async def show(self, viewer: str | None, trade_id: int) -> TradeView:
        """One trade, open or closed, for one of its traders (or an operator: `viewer` None, or an admin id).
        Refuses InvalidArgument, TradeUnavailable (unknown) and NotOwner."""
        TRADE_ID.check(trade_id)
        now = self._ctx.clock.now()
        async with self._ctx.db.read() as session:
            sides = await self._sides(session, trade_id)
            if not sides:
                raise TradeUnavailable(f"there is no trade {trade_id}", trade_id=trade_id)
            if viewer is not None and viewer not in sides and viewer not in self._ctx.admin_ids:
                raise NotOwner(f"trade {trade_id} is between other players", trade_id=trade_id)
            return await self._view(session, trade_id, now)

    async def mine(self, user_id: str, *, include_closed: bool = False) -> TradeList:
        """The player's open trades (with `include_closed`, also their latest closed ones), newest first."""
        now = self._ctx.clock.now()
        async with self._ctx.db.read() as session:
            stmt = (
                select(TRADES.c.id)
                .join(TRADE_SIDES, TRADE_SIDES.c.trade_id == TRADES.c.id)
                .where(TRADE_SIDES.c.user_id == user_id)
                .order_by(TRADES.c.id.desc())
                .limit(LIST_LIMIT)
            )
            if not include_closed:
                stmt = stmt.where(TRADES.c.status == OPEN, TRADES.c.expires_at > now)
            ids = [int(i) for i in (await session.execute(stmt)).scalars()]
            return TradeList(user_id=user_id, trades=[await self._view(session, i, now) for i in ids])

    @retried
    async def expire(self) -> list[int]:
        """Close every trade whose time is up (the bot runs it on a timer); returns their ids."""
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            traders = (
                await session.execute(
                    select(TRADE_SIDES.c.user_id)
                    .join(TRADES, TRADES.c.id == TRADE_SIDES.c.trade_id)
                    .where(TRADES.c.status == OPEN, TRADES.c.expires_at <= now)
                    .distinct()
                )
            ).scalars()
            locked = await lock_players(session, list(traders))
            return await sweep_expired_trades(session, now, locked)

    # --- inside a transaction -----------------------------------------------------------------------------

    async def _lock(self, session: AsyncSession, user_ids: Iterable[str], now: datetime) -> dict[str, User]:
        """Both traders, locked in id order, with their expired trades closed. Refuses NotRegistered."""
        wanted = sorted(set(user_ids))
        found = await lock_players(session, wanted)
        for user_id in wanted:
            if user_id not in found:
                raise NotRegistered(f"{user_id!r} is not registered", user_id=user_id)
        await sweep_expired_trades(session, now, found)
        users = (await session.execute(select(User).where(col(User.user_id).in_(found)))).scalars()
        return {user.user_id: user for user in users}

    async def _sides(self, session: AsyncSession, trade_id: int) -> dict[str, _Side]:
        rows = (
            await session.execute(
                select(TRADE_SIDES).where(TRADE_SIDES.c.trade_id == trade_id).order_by(TRADE_SIDES.c.user_id)
            )
        ).all()
        items = (
            await session.execute(
                select(TRADE_ITEMS.c.user_id, TRADE_ITEMS.c.esprit_id)
                .where(TRADE_ITEMS.c.trade_id == trade_id)
                .order_by(TRADE_ITEMS.c.id)
            )
        ).all()
        sides = {
            row.user_id: _Side(
                user_id=row.user_id,
                amounts={currency: int(getattr(row, currency.value)) for currency in CURRENCIES},
                confirmed_version=row.confirmed_version,
                esprits=[],
            )
            for row in rows
        }
        for owner, esprit_id in items:
            sides[owner].esprits.append(int(esprit_id))
        return sides

    async def _open_for(
        self, session: AsyncSession, user_id: str, trade_id: int, now: datetime
    ) -> tuple[dict[str, _Side], dict[str, User]]:
        """Lock the trade's two traders and the trade, and check it is open and `user_id` is in it."""
        TRADE_ID.check(trade_id)
        traders = (
            (await session.execute(select(TRADE_SIDES.c.user_id).where(TRADE_SIDES.c.trade_id == trade_id)))
            .scalars()
            .all()
        )
        if not traders:
            raise TradeUnavailable(f"there is no trade {trade_id}", trade_id=trade_id)
        if user_id not in traders:
            raise NotOwner(f"trade {trade_id} is between other players", trade_id=trade_id)
        players = await self._lock(session, traders, now)  # closes it first if its time is up
        status = (
            await session.execute(select(TRADES.c.status).where(TRADES.c.id == trade_id).with_for_update())
        ).scalar_one()
        if status != OPEN:
            raise TradeUnavailable(f"trade {trade_id} is {status}", trade_id=trade_id, status=status)
        return await self._sides(session, trade_id), players

    async def _add(
        self, session: AsyncSession, trade_id: int, giver: User, offer: Offer, *, current: _Side, now: datetime
    ) -> None:
        """Put `offer` on `giver`'s side, refusing what they may not give (see `add`)."""
        settings = self._settings
        user_id = giver.user_id
        if len(current.esprits) + len(offer.esprits) > settings.max_esprits_per_side:
            raise TradeLimit(
                f"a side of a trade holds at most {settings.max_esprits_per_side} Esprits",
                limit=settings.max_esprits_per_side,
            )
        rows = []
        for esprit_id in offer.esprits:
            if esprit_id in current.esprits:
                raise InvalidArgument(f"Esprit {esprit_id} is already in trade {trade_id}", field="esprits")
            esprit, data = await fetch_own(session, user_id, esprit_id)
            _tradable(esprit, data, giver)
            rows.append(
                {
                    "trade_id": trade_id,
                    "user_id": user_id,
                    "esprit_id": esprit_id,
                    "esprit_data_id": data.esprit_id,
                    "level": esprit.current_level,
                    "reserved": True,
                }
            )
        await refuse_reserved(session, offer.esprits, now, "trade")
        amounts = offer.amounts()
        if any(amounts.values()):
            self._may_trade_currency(giver, amounts, now)
        totals = {currency: current.amounts.get(currency, 0) + amount for currency, amount in amounts.items()}
        for currency, total in totals.items():
            have = getattr(giver, currency.value)
            if amounts[currency] and total > have:
                raise InsufficientFunds(
                    f"{user_id} has {have:,} {currency.value}; their side of the trade would give {total:,}",
                    currency=currency.value,
                    needed=total,
                    balance=have,
                )
        if any(amounts.values()):
            await session.execute(
                update(TRADE_SIDES)
                .where(TRADE_SIDES.c.trade_id == trade_id, TRADE_SIDES.c.user_id == user_id)
                .values({currency.value: total for currency, total in totals.items()})
            )
        if rows:
            await session.execute(insert(TRADE_ITEMS), rows)

    def _may_trade_currency(self, giver: User, amounts: dict[Currency, int], now: datetime) -> None:
        settings = self._settings
        for currency, amount in amounts.items():
            if amount and currency not in settings.currencies:
                allowed = ", ".join(c.value for c in settings.currencies) or "none"
                raise TradeLimit(f"{currency.value} cannot be traded (tradable: {allowed})", currency=currency.value)
        age = now - giver.created_at
        if age < timedelta(hours=settings.min_account_age_hours) or giver.level < settings.min_level:
            raise TradeLimit(
                f"currency trading opens for accounts at least {settings.min_account_age_hours:g} hours old and at "
                f"level {settings.min_level} or above",
                user_id=giver.user_id,
            )

    async def _changed(self, session: AsyncSession, trade_id: int, now: datetime) -> None:
        """A change: the version goes up, both confirmations go, and confirming waits for the delay again."""
        await session.execute(
            update(TRADES).where(TRADES.c.id == trade_id).values(version=TRADES.c.version + 1, changed_at=now)
        )
        await session.execute(
            update(TRADE_SIDES).where(TRADE_SIDES.c.trade_id == trade_id).values(confirmed_version=None)
        )

    async def _close(self, session: AsyncSession, trade_id: int, status: TradeStatus, now: datetime) -> None:
        await session.execute(
            update(TRADES)
            .where(TRADES.c.id == trade_id, TRADES.c.status == OPEN)
            .values(status=status.value, closed_at=now)
        )
        await session.execute(update(TRADE_ITEMS).where(TRADE_ITEMS.c.trade_id == trade_id).values(reserved=False))

    async def _execute(
        self, session: AsyncSession, trade_id: int, sides: dict[str, _Side], players: dict[str, User], now: datetime
    ) -> None:
        """Swap everything or nothing: re-check every Esprit, check the daily caps, move the currencies with
        conditional updates, hand the Esprits over, record it all, close the trade."""
        giver_of = {a: b for a, b in zip(sides, reversed(list(sides)), strict=True)}  # each side's counterpart
        for giver, side in sides.items():
            for esprit_id in side.esprits:
                try:
                    esprit, data = await fetch_own(session, giver, esprit_id)
                except NotFound:
                    raise NotOwner(
                        f"trade {trade_id} cannot go ahead: Esprit {esprit_id} no longer exists", trade_id=trade_id
                    ) from None
                except NotOwner:
                    raise NotOwner(
                        f"trade {trade_id} cannot go ahead: Esprit {esprit_id} is no longer {giver}'s",
                        trade_id=trade_id,
                    ) from None
                _tradable(esprit, data, players[giver], trade_id=trade_id)
        reference = f"trade {trade_id}"
        for receiver, giver in ((b, a) for a, b in giver_of.items()):
            await self._within_cap(session, receiver, sides[giver].amounts, now)
        for giver, side in sides.items():
            receiver = giver_of[giver]
            for currency, amount in side.amounts.items():
                if not amount:
                    continue
                try:
                    await ledger.move(session, giver, currency, -amount, reason="trade", reference=reference, at=now)
                except InsufficientFunds as exc:
                    raise InsufficientFunds(
                        f"trade {trade_id} cannot go ahead: {giver} no longer has {amount:,} {currency.value}",
                        **exc.details,
                    ) from None
                await ledger.move(session, receiver, currency, amount, reason="trade", reference=reference, at=now)
        events = []
        for giver, side in sides.items():
            if not side.esprits:
                continue
            receiver = giver_of[giver]
            moved = (
                (
                    await session.execute(
                        update(ESPRITS)
                        .where(ESPRITS.c.id.in_(side.esprits), ESPRITS.c.owner_id == giver, ESPRITS.c.locked.is_(False))
                        .values(owner_id=receiver)
                        .returning(ESPRITS.c.id)
                    )
                )
                .scalars()
                .all()
            )
            if len(moved) != len(side.esprits):  # pragma: no cover - checked above under the traders' locks
                raise NotOwner(f"trade {trade_id} cannot go ahead: its Esprits changed", trade_id=trade_id)
            events += [
                history.event(e, EventKind.TRADED, receiver, now, trade_id=trade_id, **{"from": giver})
                for e in sorted(side.esprits)
            ]
        await history.record(session, events)
        await self._close(session, trade_id, TradeStatus.EXECUTED, now)

    async def _within_cap(
        self, session: AsyncSession, receiver: str, incoming: dict[Currency, int], now: datetime
    ) -> None:
        """Refuse (TradeLimit) what would take `receiver` past the daily cap of currency received in trades."""
        caps = self._settings.daily_receive_cap
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for currency, amount in incoming.items():
            if not amount:
                continue
            received = (
                await session.execute(
                    select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
                        col(LedgerEntry.user_id) == receiver,
                        col(LedgerEntry.currency) == currency.value,
                        col(LedgerEntry.reason) == "trade",
                        col(LedgerEntry.delta) > 0,
                        col(LedgerEntry.created_at) >= day,
                    )
                )
            ).scalar_one()
            cap = getattr(caps, currency.value)
            if received + amount > cap:
                raise TradeLimit(
                    f"{receiver} may receive {cap:,} {currency.value} a day through trades; they have received "
                    f"{received:,} today, and this trade gives {amount:,}",
                    user_id=receiver,
                    currency=currency.value,
                    cap=cap,
                )

    async def _view(self, session: AsyncSession, trade_id: int, now: datetime) -> TradeView:
        trade = (await session.execute(select(TRADES).where(TRADES.c.id == trade_id))).one()
        sides = (
            await session.execute(
                select(TRADE_SIDES, col(User.username))
                .join(User, col(User.user_id) == TRADE_SIDES.c.user_id)
                .where(TRADE_SIDES.c.trade_id == trade_id)
            )
        ).all()
        items = (
            await session.execute(
                select(TRADE_ITEMS.c.user_id, TRADE_ITEMS.c.esprit_id, TRADE_ITEMS.c.level, EspritData)
                .join(EspritData, col(EspritData.esprit_id) == TRADE_ITEMS.c.esprit_data_id)
                .where(TRADE_ITEMS.c.trade_id == trade_id)
                .order_by(TRADE_ITEMS.c.id)
            )
        ).all()
        offered: dict[str, list[ListedEsprit]] = {}
        for owner, esprit_id, level, data in items:
            offered.setdefault(owner, []).append(
                ListedEsprit(
                    id=int(esprit_id), esprit_id=data.esprit_id, name=data.name, rarity=data.rarity, level=level
                )
            )
        order = sorted(sides, key=lambda row: (row.user_id != trade.opened_by, row.user_id))
        status = trade.status if not (trade.status == OPEN and trade.expires_at <= now) else TradeStatus.EXPIRED.value
        return TradeView(
            id=trade.id,
            version=trade.version,
            status=status,
            sides={
                row.user_id: TradeSideView(
                    user_id=row.user_id,
                    username=row.username,
                    esprits=offered.get(row.user_id, []),
                    faylen=int(row.faylen),
                    virelite=int(row.virelite),
                    gems=int(row.gems),
                    confirmed=row.confirmed_version == trade.version,
                )
                for row in order
            },
            opened_by=trade.opened_by,
            created_at=trade.created_at,
            changed_at=trade.changed_at,
            confirmable_at=trade.changed_at + timedelta(seconds=self._settings.confirm_delay_seconds),
            expires_at=trade.expires_at,
            closed_at=trade.closed_at,
        )


def _tradable(esprit: UserEsprit, data: EspritData, owner: User, *, trade_id: int | None = None) -> None:
    """Refuse (Locked, ActiveEsprit) an Esprit that may not be traded."""
    prefix = f"trade {trade_id} cannot go ahead: " if trade_id is not None else ""
    label = f"{data.name} (Esprit {esprit.id})"
    if esprit.locked:
        raise Locked(f"{prefix}{label} is locked; unlock it to trade it", esprit_id=esprit.id)
    if esprit.id == owner.active_esprit_id:
        raise ActiveEsprit(
            f"{prefix}{label} is {owner.user_id}'s active Esprit; choose another active one to trade it",
            esprit_id=esprit.id,
        )
