"""Esprit progression: training with faylen, ascension from duplicates and virelite, release back into currency,
locks (favourites), and the history of every Esprit.

Each writer is one transaction that locks the player first (faye.db's order), checks, and then changes with
conditional statements, so a release, a listing and an ascension racing for one Esprit cannot both win: the
Esprit leaves its owner in one `DELETE ... WHERE owner_id = :player AND NOT locked` (or one escrow UPDATE), and
the second finds nothing to take. Every cost and reward is a ledger movement (reasons `train`, `ascend`,
`release`) and every consumed or released Esprit a history event, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye import progression
from faye.config import Currency
from faye.db import retried
from faye.errors import (
    ActiveEsprit,
    Forbidden,
    InvalidAmount,
    InvalidArgument,
    LevelCap,
    Locked,
    NotEnoughCopies,
    NotFound,
    NothingMatched,
    WrongSpecies,
)
from faye.inputs import ESPRIT_ID, KEEP, LEVEL, MAX_RELEASE, TRAIN_FAYLEN, TRAIN_LEVELS
from faye.models import ESPRITS, EspritData, EventKind, User, UserEsprit
from faye.results import (
    Ascension,
    AscensionPlan,
    Cost,
    EspritDetail,
    EspritEventView,
    EspritHistory,
    OwnedEsprit,
    Release,
    ReleasedEsprit,
    Training,
)
from faye.services import growth, history, ledger
from faye.services.collection import base_of, fetch_own, to_detail, to_owned
from faye.services.context import ServiceContext
from faye.services.filters import EspritFilter
from faye.services.players import get_player, read_balance
from faye.services.reservations import refuse_reserved, reserved_by


@dataclass(frozen=True, kw_only=True)
class ReleaseSelection:
    """What to release: explicit `ids`, or filters that combine (all must hold). With filters, locked Esprits and
    the active one are skipped (and counted); named by id, they are refused."""

    ids: tuple[int, ...] = ()
    rarity: str | None = None
    duplicates: bool = False
    """Keep the best `keep` of each species (highest rank, then level, then XP, then the oldest), release the rest."""
    keep: int = 1
    below_level: int | None = None
    """Only Esprits below this level."""

    @property
    def by_filter(self) -> bool:
        return self.rarity is not None or self.duplicates or self.below_level is not None

    def check(self) -> None:
        """InvalidArgument for ids mixed with filters, no criterion at all, or a bound broken."""
        if self.ids and self.by_filter:
            raise InvalidArgument("name Esprits by id or choose them by filter, not both", field="ids")
        if not self.ids and not self.by_filter:
            raise InvalidArgument(
                "say what to release: Esprit ids, or a filter (rarity, duplicates, below_level)", field="ids"
            )
        if len(self.ids) > MAX_RELEASE:
            raise InvalidAmount(
                f"at most {MAX_RELEASE:,} Esprits are released at once, not {len(self.ids):,}",
                field="ids",
                amount=len(self.ids),
            )
        for esprit_id in self.ids:
            ESPRIT_ID.check(esprit_id)
        if len(set(self.ids)) != len(self.ids):
            raise InvalidArgument("each Esprit is named once", field="ids")
        KEEP.check(self.keep)
        if self.below_level is not None:
            LEVEL.check(self.below_level, "below_level")


def _label(data: EspritData, esprit_id: int) -> str:
    return f"{data.name} (Esprit {esprit_id})"


def _may_go(esprit: UserEsprit, data: EspritData, player: User, doing: str) -> None:
    """Refuse (Locked, ActiveEsprit) to release or consume a locked or the active Esprit."""
    assert esprit.id is not None
    if esprit.locked:
        raise Locked(f"{_label(data, esprit.id)} is locked; unlock it to {doing} it", esprit_id=esprit.id)
    if esprit.id == player.active_esprit_id:
        raise ActiveEsprit(
            f"{_label(data, esprit.id)} is your active Esprit; choose another active one to {doing} it",
            esprit_id=esprit.id,
        )


async def _take(session: AsyncSession, user_id: str, ids: Sequence[int], active_id: int | None) -> None:
    """Delete the player's Esprits `ids` in one conditional statement: owned by them, unlocked, not active. Under
    the player's lock every one matches; should one not, nothing goes (the transaction rolls back)."""
    stmt = delete(ESPRITS).where(
        ESPRITS.c.id.in_(list(ids)), ESPRITS.c.owner_id == user_id, ESPRITS.c.locked.is_(False)
    )
    if active_id is not None:
        stmt = stmt.where(ESPRITS.c.id != active_id)
    gone = (await session.execute(stmt.returning(ESPRITS.c.id))).scalars().all()
    if len(gone) != len(ids):  # pragma: no cover - the lock order makes this unreachable; refuse, never half-apply
        raise NotFound("some of those Esprits changed hands a moment ago; nothing was changed", ids=list(ids))


def _check_using(esprit_id: int, using: Sequence[int] | None) -> list[int] | None:
    """The fodder ids as a list, refusing (InvalidArgument, InvalidAmount) what no ascension could take."""
    ESPRIT_ID.check(esprit_id)
    if using is None:
        return None
    named = list(using)
    if len(named) > MAX_RELEASE:
        raise InvalidAmount(f"at most {MAX_RELEASE:,} Esprits as fodder", field="using", amount=len(named))
    for fodder_id in named:
        ESPRIT_ID.check(fodder_id, "using")
    if len(set(named)) != len(named):
        raise InvalidArgument("each fodder Esprit is named once", field="using")
    if esprit_id in named:
        raise InvalidArgument(f"Esprit {esprit_id} cannot be its own fodder", field="using")
    return named


class ProgressionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def _detail(self, session: AsyncSession, user_id: str, esprit_id: int) -> EspritDetail:
        player = await get_player(session, user_id)
        esprit, data = await fetch_own(session, user_id, esprit_id)
        await session.refresh(esprit)
        return to_detail(esprit, data, player.active_esprit_id, self._ctx.config)

    @retried
    async def train(
        self, user_id: str, esprit_id: int, *, levels: int | None = None, faylen: int | None = None
    ) -> Training:
        """Spend faylen for XP: `levels` more levels (up to the cap), or what `faylen` buys (up to the cap; only
        the XP taken is paid for, never more faylen than given).

        Refuses InvalidArgument (both or neither of levels and faylen), InvalidAmount (out of bounds, or faylen
        that buys no XP), NotRegistered, NotFound, NotOwner, InEscrow, Reserved, LevelCap (at the cap: ascend it
        first) and InsufficientFunds — before anything changes.
        """
        if (levels is None) == (faylen is None):
            raise InvalidArgument(
                "train by a number of levels or by an amount of faylen, one of the two", field="levels"
            )
        if levels is not None:
            TRAIN_LEVELS.check(levels)
        if faylen is not None:
            TRAIN_FAYLEN.check(faylen)
        ESPRIT_ID.check(esprit_id)
        ctx = self._ctx
        rules = ctx.config.progression
        now = ctx.clock.now()
        async with ctx.db.write() as session:
            await get_player(session, user_id, lock=True)
            _, data = await fetch_own(session, user_id, esprit_id)
            await refuse_reserved(session, [esprit_id], now, "train")
            standing = await growth.standing(session, esprit_id)
            assert standing is not None
            cap = progression.level_cap(rules, standing.ascension)
            if standing.level >= cap:
                raise LevelCap(
                    f"{_label(data, esprit_id)} is at its level cap {cap}; ascend it to raise the cap",
                    esprit_id=esprit_id,
                    level_cap=cap,
                )
            if levels is not None:
                offered = progression.xp_for_levels(
                    rules, standing.rarity, standing.level, standing.xp, min(levels, cap - standing.level)
                )
            else:
                assert faylen is not None
                offered = progression.xp_for_faylen(rules, faylen)
                if offered == 0:
                    raise InvalidAmount(
                        f"{faylen:,} faylen buys no XP (1 XP costs {1 / rules.xp_per_faylen:g} faylen)",
                        field="faylen",
                        amount=faylen,
                    )
            planned = progression.gain(rules, standing.rarity, standing.level, standing.xp, offered, cap)
            price = progression.faylen_for_xp(rules, planned.xp_gained)
            await ledger.move(
                session, user_id, Currency.FAYLEN, -price, reason="train", reference=f"esprit {esprit_id}", at=now
            )
            grown = await growth.apply(session, ctx.config, standing, planned.xp_gained)
            detail = await self._detail(session, user_id, esprit_id)
            balance = await read_balance(session, user_id)
        return Training(
            esprit=detail,
            levels_gained=grown.levels_gained,
            xp_gained=grown.xp_gained,
            cost=Cost(currency=Currency.FAYLEN.value, amount=price),
            balance=balance,
        )

    @retried
    async def ascend(self, user_id: str, esprit_id: int, using: Sequence[int] | None = None) -> Ascension:
        """Raise the Esprit one ascension rank, consuming duplicates of its species (`using`, or chosen for you:
        lowest level first, then the newest; never locked, active or in escrow) and virelite.

        Refuses InvalidArgument (fodder named twice, the Esprit as its own fodder, more fodder than needed),
        NotRegistered, NotFound, NotOwner, InEscrow, Reserved, LevelCap (the highest rank), WrongSpecies, Locked
        and ActiveEsprit (fodder), NotEnoughCopies and InsufficientFunds — before anything changes.
        """
        named = _check_using(esprit_id, using)
        ctx = self._ctx
        rules = ctx.config.progression
        now = ctx.clock.now()
        async with ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            target, data, fodder, virelite = await self._plan(session, player, esprit_id, named)
            rank = target.ascension
            if virelite:
                await ledger.move(
                    session,
                    user_id,
                    Currency.VIRELITE,
                    -virelite,
                    reason="ascend",
                    reference=f"esprit {esprit_id} rank {rank + 1}",
                    at=now,
                )
            ids = [int(f.id or 0) for f, _ in fodder]
            await _take(session, user_id, ids, player.active_esprit_id)
            hp = progression.max_hp(rules, data.rarity, base_of(data), target.current_level, rank + 1)
            await session.execute(
                update(ESPRITS).where(ESPRITS.c.id == esprit_id).values(ascension=rank + 1, current_hp=hp)
            )
            await history.record(
                session,
                [history.event(f, EventKind.CONSUMED, None, now, by_esprit=esprit_id, rank=rank + 1) for f in ids]
                + [history.event(esprit_id, EventKind.ASCENDED, user_id, now, rank=rank + 1, consumed=ids)],
            )
            detail = await self._detail(session, user_id, esprit_id)
            balance = await read_balance(session, user_id)
        return Ascension(
            esprit=detail,
            consumed=ids,
            cost=Cost(currency=Currency.VIRELITE.value, amount=virelite),
            balance=balance,
        )

    async def ascend_preview(self, user_id: str, esprit_id: int, using: Sequence[int] | None = None) -> AscensionPlan:
        """What `ascend` would consume and cost, changing nothing; `affordable` says whether the virelite is
        there. Refuses as `ascend` does, except InsufficientFunds."""
        named = _check_using(esprit_id, using)
        config = self._ctx.config
        async with self._ctx.db.read() as session:
            player = await get_player(session, user_id)
            target, data, fodder, virelite = await self._plan(session, player, esprit_id, named)
            balance = await read_balance(session, user_id)
        active = player.active_esprit_id
        return AscensionPlan(
            esprit=to_owned(target, data, active, config),
            rank=target.ascension + 1,
            level_cap=progression.level_cap(config.progression, target.ascension + 1),
            fodder=[to_owned(esprit, fodder_data, active, config) for esprit, fodder_data in fodder],
            cost=Cost(currency=Currency.VIRELITE.value, amount=virelite),
            affordable=balance.virelite >= virelite,
            balance=balance,
        )

    async def _plan(
        self, session: AsyncSession, player: User, esprit_id: int, named: list[int] | None
    ) -> tuple[UserEsprit, EspritData, list[tuple[UserEsprit, EspritData]], int]:
        """The target, its definition, the fodder and the virelite of its next rank (refusing as `ascend`)."""
        rules = self._ctx.config.progression
        target, data = await fetch_own(session, player.user_id, esprit_id)
        now = self._ctx.clock.now()
        await refuse_reserved(session, [esprit_id], now, "ascend")
        rank = target.ascension
        if rank >= rules.ascension.max_rank:
            raise LevelCap(
                f"{_label(data, esprit_id)} is at the highest ascension rank, {rank}",
                esprit_id=esprit_id,
                ascension=rank,
            )
        copies, virelite = progression.ascension_cost(rules, data.rarity, rank)
        if named is not None:
            fodder = await self._named_fodder(session, player, target, data, named, copies)
            await refuse_reserved(session, named, now, "consume")
        else:
            fodder = await self._auto_fodder(session, player, target, data, copies, now)
        return target, data, fodder, virelite

    async def _named_fodder(
        self,
        session: AsyncSession,
        player: User,
        target: UserEsprit,
        data: EspritData,
        named: list[int],
        copies: int,
    ) -> list[tuple[UserEsprit, EspritData]]:
        if len(named) > copies:
            raise InvalidArgument(
                f"rank {target.ascension + 1} consumes {copies} duplicate(s); you named {len(named)}", field="using"
            )
        chosen = []
        for fodder_id in named:
            esprit, fodder_data = await fetch_own(session, player.user_id, fodder_id)
            if esprit.esprit_data_id != target.esprit_data_id:
                raise WrongSpecies(
                    f"{_label(fodder_data, fodder_id)} is not a {data.name}; ascension consumes the same species",
                    esprit_id=fodder_id,
                )
            _may_go(esprit, fodder_data, player, "consume")
            chosen.append((esprit, fodder_data))
        if len(named) < copies:
            raise NotEnoughCopies(
                f"rank {target.ascension + 1} of {data.name} consumes {copies} duplicate(s); you named {len(named)}",
                needed=copies,
                offered=len(named),
            )
        return chosen

    async def _auto_fodder(
        self, session: AsyncSession, player: User, target: UserEsprit, data: EspritData, copies: int, now: datetime
    ) -> list[tuple[UserEsprit, EspritData]]:
        stmt = (
            select(UserEsprit, EspritData)
            .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
            .where(
                col(UserEsprit.owner_id) == player.user_id,
                col(UserEsprit.esprit_data_id) == target.esprit_data_id,
                col(UserEsprit.id) != target.id,
                col(UserEsprit.locked).is_(False),
            )
            .order_by(col(UserEsprit.current_level), col(UserEsprit.id).desc())
        )
        if player.active_esprit_id is not None:
            stmt = stmt.where(col(UserEsprit.id) != player.active_esprit_id)
        candidates = [(e, d) for e, d in (await session.execute(stmt)).all()]
        reserved = await reserved_by(session, [int(e.id or 0) for e, _ in candidates], now)
        fodder = [(e, d) for e, d in candidates if e.id not in reserved][:copies]
        if len(fodder) < copies:
            raise NotEnoughCopies(
                f"rank {target.ascension + 1} of {data.name} consumes {copies} duplicate(s); you have "
                f"{len(fodder)} that may go (locked ones, the active one, those in escrow or in a trade stay)",
                needed=copies,
                offered=len(fodder),
            )
        return fodder

    async def release_preview(self, user_id: str, selection: ReleaseSelection) -> Release:
        """Exactly what `release` would take and pay, changing nothing. Refuses as `release` does."""
        selection.check()
        async with self._ctx.db.read() as session:
            player = await get_player(session, user_id)
            chosen, skipped = await self._select(session, player, selection)
            balance = await read_balance(session, user_id)
        return self._release_result(chosen, skipped, balance=balance, dry_run=True)

    @retried
    async def release(self, user_id: str, selection: ReleaseSelection) -> Release:
        """Turn Esprits back into faylen and virelite (progression.json's release prices, by rarity and level).

        Refuses InvalidArgument / InvalidAmount (the selection), NotRegistered, NotFound, NotOwner, InEscrow,
        Locked, ActiveEsprit and Reserved (named by id) and NothingMatched (a filter that leaves nothing) — before
        anything changes.
        """
        selection.check()
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            chosen, skipped = await self._select(session, player, selection)
            result = self._release_result(chosen, skipped, balance=None, dry_run=False)
            ids = result.ids
            await _take(session, user_id, ids, player.active_esprit_id)
            reference = f"{len(ids)} Esprit{'s' if len(ids) != 1 else ''}"
            for currency in (Currency.FAYLEN, Currency.VIRELITE):
                if result.reward[currency.value]:
                    await ledger.move(
                        session,
                        user_id,
                        currency,
                        result.reward[currency.value],
                        reason="release",
                        reference=reference,
                        at=now,
                    )
            await history.record(
                session,
                [
                    history.event(
                        esprit.id,
                        EventKind.RELEASED,
                        None,
                        now,
                        by=user_id,
                        level=esprit.level,
                        faylen=esprit.faylen,
                        virelite=esprit.virelite,
                    )
                    for esprit in result.released
                ],
            )
            balance = await read_balance(session, user_id)
        return Release(
            released=result.released, reward=result.reward, dry_run=False, skipped=result.skipped, balance=balance
        )

    async def _select(
        self, session: AsyncSession, player: User, selection: ReleaseSelection
    ) -> tuple[list[tuple[UserEsprit, EspritData]], dict[str, int]]:
        config = self._ctx.config
        now = self._ctx.clock.now()
        if selection.ids:
            chosen = []
            for esprit_id in selection.ids:
                esprit, data = await fetch_own(session, player.user_id, esprit_id)
                _may_go(esprit, data, player, "release")
                chosen.append((esprit, data))
            await refuse_reserved(session, selection.ids, now, "release")
            return chosen, {}
        wanted = EspritFilter.parse(config, selection.rarity, None)
        stmt = wanted.apply(
            select(UserEsprit, EspritData)
            .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
            .where(col(UserEsprit.owner_id) == player.user_id)
        ).order_by(col(UserEsprit.id))
        rows = [(e, d) for e, d in (await session.execute(stmt)).all()]
        if selection.duplicates:
            rows = _beyond_best(rows, selection.keep)
        if selection.below_level is not None:
            rows = [(e, d) for e, d in rows if e.current_level < selection.below_level]
        skipped = {"locked": 0, "active": 0, "reserved": 0}
        reserved = await reserved_by(session, [int(e.id or 0) for e, _ in rows], now)
        chosen = []
        for esprit, data in rows:
            if esprit.locked:
                skipped["locked"] += 1
            elif esprit.id == player.active_esprit_id:
                skipped["active"] += 1
            elif esprit.id in reserved:
                skipped["reserved"] += 1
            else:
                chosen.append((esprit, data))
        if not chosen:
            kept = ", ".join(f"{n} {why}" for why, n in skipped.items() if n)
            raise NothingMatched(
                "no Esprit of yours matches that filter" + (f" and may go ({kept} kept)" if kept else ""),
                skipped=skipped,
            )
        if len(chosen) > MAX_RELEASE:
            raise InvalidAmount(
                f"that filter matches {len(chosen):,} Esprits; at most {MAX_RELEASE:,} are released at once, so "
                "narrow it (a rarity, a level)",
                field="ids",
                amount=len(chosen),
            )
        return chosen, {why: n for why, n in skipped.items() if n}

    def _release_result(
        self,
        chosen: list[tuple[UserEsprit, EspritData]],
        skipped: dict[str, int],
        *,
        balance: Any,
        dry_run: bool,
    ) -> Release:
        rules = self._ctx.config.progression
        released = []
        for esprit, data in chosen:
            assert esprit.id is not None
            faylen, virelite = progression.release_reward(rules, data.rarity, esprit.current_level)
            released.append(
                ReleasedEsprit(
                    id=esprit.id,
                    esprit_id=data.esprit_id,
                    name=data.name,
                    rarity=data.rarity,
                    level=esprit.current_level,
                    faylen=faylen,
                    virelite=virelite,
                )
            )
        reward = {
            "faylen": sum(esprit.faylen for esprit in released),
            "virelite": sum(esprit.virelite for esprit in released),
        }
        return Release(released=released, reward=reward, dry_run=dry_run, skipped=skipped, balance=balance)

    @retried
    async def lock(self, user_id: str, esprit_id: int, locked: bool = True) -> OwnedEsprit:
        """Lock (favourite) or unlock one of your Esprits. Refuses NotRegistered, NotFound, NotOwner, InEscrow and
        Reserved (what a trade offers stays as it was offered)."""
        ESPRIT_ID.check(esprit_id)
        async with self._ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            esprit, data = await fetch_own(session, user_id, esprit_id)
            await refuse_reserved(session, [esprit_id], self._ctx.clock.now(), "lock or unlock")
            if esprit.locked != locked:
                await session.execute(update(ESPRITS).where(ESPRITS.c.id == esprit_id).values(locked=locked))
                await session.refresh(esprit)
        return to_owned(esprit, data, player.active_esprit_id, self._ctx.config)

    async def history(self, viewer: str | None, esprit_id: int) -> EspritHistory:
        """Every event in the Esprit's life, oldest first. A player (`viewer`) sees the history of an Esprit they
        hold or once held; None is an operator, who sees any. Refuses NotFound (never existed, or never the
        viewer's) and Forbidden."""
        ESPRIT_ID.check(esprit_id)
        async with self._ctx.db.read() as session:
            events = await history.events_of(session, esprit_id)
        if not events:
            raise NotFound(f"there is no Esprit with id {esprit_id}", esprit_id=esprit_id)
        if viewer is not None and viewer not in self._ctx.admin_ids:
            holders = {event["owner_id"] for event in events} | {
                event["detail"].get("by") for event in events if isinstance(event["detail"], dict)
            }
            if viewer not in holders:
                raise Forbidden(f"Esprit {esprit_id} has never been yours", esprit_id=esprit_id)
        species = next(
            (str(e["detail"]["species"]) for e in events if isinstance(e["detail"], dict) and "species" in e["detail"]),
            None,
        )
        definition = self._ctx.config.esprits_by_id.get(species) if species else None
        return EspritHistory(
            esprit_id=esprit_id,
            name=definition.name if definition else (species or "unknown Esprit"),
            events=[
                EspritEventView(at=e["at"], kind=e["kind"], owner=e["owner_id"], detail=dict(e["detail"] or {}))
                for e in events
            ],
        )


def _beyond_best(rows: list[tuple[UserEsprit, EspritData]], keep: int) -> list[tuple[UserEsprit, EspritData]]:
    """Of each species, all but the best `keep` (highest rank, then level, then XP, then the oldest)."""
    by_species: dict[str, list[tuple[UserEsprit, EspritData]]] = {}
    for esprit, data in rows:
        by_species.setdefault(data.esprit_id, []).append((esprit, data))
    beyond = []
    for group in by_species.values():
        group.sort(key=lambda row: (-row[0].ascension, -row[0].current_level, -row[0].current_xp, row[0].id or 0))
        beyond.extend(group[keep:])
    return sorted(beyond, key=lambda row: row[0].id or 0)
