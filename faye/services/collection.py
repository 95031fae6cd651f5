"""A player's Esprits: the inventory (filters, sorts, pages), one Esprit's detail, the active Esprit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye import progression
from faye.choices import INVENTORY_SORTS, SUMMON_AMOUNTS
from faye.config import GameConfig
from faye.db import retried
from faye.errors import InEscrow, InvalidArgument, NotFound, NotOwner
from faye.inputs import ESPRIT_ID
from faye.models import AuctionListing, EspritData, ListingStatus, UserEsprit
from faye.results import EspritDetail, InventoryPage, OwnedEsprit
from faye.services.context import ServiceContext
from faye.services.filters import EspritFilter, fetch_page, rarity_rank, require_choice, require_page
from faye.services.players import get_player
from faye.services.reservations import refuse_reserved

SORTS: Final = INVENTORY_SORTS
#: Most Esprits `owned` reads at once: a summon's pulls.
MAX_READ: Final = max(SUMMON_AMOUNTS)


def base_of(data: EspritData) -> dict[str, float]:
    """The definition's stats at level 1, rank 0, as faye.progression takes them."""
    return {
        "hp": data.base_hp,
        "attack": data.base_attack,
        "defense": data.base_defense,
        "speed": data.base_speed,
        "magic": data.base_magic,
        "magic_resist": data.base_magic_resist,
        "crit_rate": data.base_crit_rate,
        "dodge": data.base_dodge,
    }


def to_owned(esprit: UserEsprit, data: EspritData, active_id: int | None, config: GameConfig) -> OwnedEsprit:
    assert esprit.id is not None
    rules = config.progression
    cap = progression.level_cap(rules, esprit.ascension)
    return OwnedEsprit(
        id=esprit.id,
        esprit_id=data.esprit_id,
        name=data.name,
        rarity=data.rarity,
        level=esprit.current_level,
        xp=esprit.current_xp,
        hp=esprit.current_hp,
        max_hp=progression.max_hp(rules, data.rarity, base_of(data), esprit.current_level, esprit.ascension),
        element=data.element,
        role=data.role,
        active=esprit.id == active_id,
        acquired_at=esprit.acquired_at,
        ascension=esprit.ascension,
        level_cap=cap,
        locked=esprit.locked,
        xp_to_next=None
        if esprit.current_level >= cap
        else progression.xp_to_next(rules.rarities[data.rarity], esprit.current_level),
    )


def to_detail(esprit: UserEsprit, data: EspritData, active_id: int | None, config: GameConfig) -> EspritDetail:
    assert esprit.owner_id is not None, "details are shown of owned Esprits, never of escrowed ones"
    owned = to_owned(esprit, data, active_id, config)
    stats = progression.stats_at(config.progression, data.rarity, base_of(data), esprit.current_level, esprit.ascension)
    return EspritDetail(**owned.__dict__, owner_id=esprit.owner_id, description=data.description, stats=stats)


async def fetch_esprit(session: AsyncSession, esprit_id: int) -> tuple[UserEsprit, EspritData]:
    """The Esprit and its definition; InvalidArgument for an id beyond faye.inputs.ESPRIT_ID, else NotFound."""
    ESPRIT_ID.check(esprit_id)
    row = (
        await session.execute(
            select(UserEsprit, EspritData)
            .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
            .where(col(UserEsprit.id) == esprit_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound(f"there is no Esprit with id {esprit_id}", esprit_id=esprit_id)
    return row[0], row[1]


async def fetch_own(session: AsyncSession, user_id: str, esprit_id: int) -> tuple[UserEsprit, EspritData]:
    """One of the player's Esprits, refusing another player's (not_owner) and one in escrow (in_escrow)."""
    esprit, data = await fetch_esprit(session, esprit_id)
    if esprit.owner_id == user_id:
        return esprit, data
    if esprit.owner_id is None:
        listing = (
            await session.execute(
                select(AuctionListing).where(
                    col(AuctionListing.esprit_id) == esprit_id, col(AuctionListing.status) == ListingStatus.OPEN
                )
            )
        ).scalar_one_or_none()
        if listing is not None and listing.seller_id == user_id:
            raise InEscrow(
                f"Esprit {esprit_id} is in the auction house (listing {listing.id}); cancel the listing to use it",
                esprit_id=esprit_id,
                listing_id=listing.id,
            )
    raise NotOwner(f"Esprit {esprit_id} belongs to another player", esprit_id=esprit_id)


class CollectionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _order(self, sort: str) -> tuple[Any, ...]:
        rank = rarity_rank(self._ctx.config)
        orders: dict[str, tuple[Any, ...]] = {
            "rarity": (rank.desc(), EspritData.name, UserEsprit.id),
            "level": (col(UserEsprit.current_level).desc(), rank.desc(), EspritData.name, UserEsprit.id),
            "name": (EspritData.name, UserEsprit.id),
            "newest": (col(UserEsprit.id).desc(),),
        }
        return orders[sort]

    async def inventory(
        self,
        user_id: str,
        *,
        rarity: str | None = None,
        search: str | None = None,
        sort: str = "rarity",
        page: int = 1,
    ) -> InventoryPage:
        config = self._ctx.config
        require_choice(sort, SORTS, "sort")
        wanted = EspritFilter.parse(config, rarity, search)
        require_page(page)
        async with self._ctx.db.read() as session:
            player = await get_player(session, user_id)
            stmt = wanted.apply(
                select(UserEsprit, EspritData)
                .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
                .where(col(UserEsprit.owner_id) == user_id)
            )
            found = await fetch_page(session, stmt, self._order(sort), page, config.settings.inventory_page_size)
        return InventoryPage(
            items=[to_owned(e, d, player.active_esprit_id, config) for e, d in found.rows],
            page=found.number,
            pages=found.pages,
            total=found.total,
            page_size=found.size,
        )

    async def esprit(self, user_id: str, esprit_id: int) -> EspritDetail:
        """One of the player's own Esprits, with its stats and lore."""
        async with self._ctx.db.read() as session:
            player = await get_player(session, user_id)
            esprit, data = await fetch_own(session, user_id, esprit_id)
        return to_detail(esprit, data, player.active_esprit_id, self._ctx.config)

    async def owned(self, user_id: str, esprit_ids: Sequence[int]) -> list[OwnedEsprit]:
        """Those of `esprit_ids` the player owns now, in the order asked; the others (sold, listed, released, or
        never theirs) are left out. For paging a summon's pulls again, long after it (the Discord bot keeps the
        ids in its buttons). Refuses an unknown player (not_registered) and more than `MAX_READ` ids or an id out
        of range (invalid_argument)."""
        if len(esprit_ids) > MAX_READ:
            raise InvalidArgument(f"at most {MAX_READ} Esprits are read at once, not {len(esprit_ids)}", field="ids")
        wanted = [ESPRIT_ID.check(esprit_id) for esprit_id in esprit_ids]
        async with self._ctx.db.read() as session:
            player = await get_player(session, user_id)
            rows = (
                await session.execute(
                    select(UserEsprit, EspritData)
                    .join(EspritData, col(EspritData.esprit_id) == col(UserEsprit.esprit_data_id))
                    .where(col(UserEsprit.owner_id) == user_id, col(UserEsprit.id).in_(wanted))
                )
            ).all()
        found = {esprit.id: to_owned(esprit, data, player.active_esprit_id, self._ctx.config) for esprit, data in rows}
        return [found[esprit_id] for esprit_id in dict.fromkeys(wanted) if esprit_id in found]

    @retried
    async def set_active(self, user_id: str, esprit_id: int) -> OwnedEsprit:
        """Make one of your Esprits your active partner. Refuses NotRegistered, NotFound, NotOwner, InEscrow and
        Reserved (offered in an open trade)."""
        async with self._ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            esprit, data = await fetch_own(session, user_id, esprit_id)
            await refuse_reserved(session, [esprit_id], self._ctx.clock.now(), "make active")
            player.active_esprit_id = esprit.id
            session.add(player)
        return to_owned(esprit, data, esprit.id, self._ctx.config)
