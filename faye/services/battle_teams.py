"""Battle teams: which of a player's Esprits may fight, read inside the caller's transaction (which holds the
player's lock, so no other writer can take an Esprit away between this check and the battle).

A team the player names is checked strictly: 1 to 3 Esprits, each once, each theirs and neither in escrow nor
reserved in an open trade (released ones no longer exist) — anything else is `team_invalid`, naming the Esprit.
A saved defence is read leniently: the Esprits that left their owner since (sold, traded, released, listed,
offered in a trade) are skipped, and what is left fights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from faye.battle.settings import Stage
from faye.config import EspritDef, GameConfig
from faye.errors import TeamInvalid
from faye.inputs import ESPRIT_ID, TEAM_SIZE
from faye.models import ESPRITS, AuctionListing, ListingStatus, table_of
from faye.results import BattleFighter
from faye.services.reservations import reserved_by

if TYPE_CHECKING:
    from faye.battle.engine import Fighter

_listings = table_of(AuctionListing)


@dataclass(frozen=True, slots=True)
class Member:
    """One Esprit of a team as it fights: a player's (with its id) or a trial's enemy (id None)."""

    id: int | None
    definition: EspritDef
    level: int
    ascension: int

    def fighter(self, config: GameConfig) -> Fighter:
        from faye.battle.engine import fighter  # numpy: loaded by a battle, not by every start of the game

        return fighter(self.definition, self.level, self.ascension, config.progression)

    def view(self, config: GameConfig) -> BattleFighter:
        stats = self.fighter(config)
        return BattleFighter(
            id=self.id,
            esprit_id=self.definition.esprit_id,
            name=self.definition.name,
            tier=self.definition.rarity,
            element=self.definition.element,
            role=self.definition.role,
            level=self.level,
            ascension=self.ascension,
            hp=stats.hp,
        )


def check_ids(team: Sequence[int]) -> list[int]:
    """The named team as a list, refusing what no battle could take: an id out of range (invalid_argument),
    none, more than TEAM_SIZE.max or one Esprit twice (team_invalid)."""
    named = list(team)
    if not named:
        raise TeamInvalid(f"a team needs 1 to {TEAM_SIZE.max} Esprits; none were named", field="team", reason="empty")
    if len(named) > TEAM_SIZE.max:
        raise TeamInvalid(
            f"a team has at most {TEAM_SIZE.max} Esprits, not {len(named)}", field="team", reason="too_many"
        )
    for esprit_id in named:
        ESPRIT_ID.check(esprit_id, "team")
    twice = next((esprit_id for esprit_id in named if named.count(esprit_id) > 1), None)
    if twice is not None:
        raise TeamInvalid(
            f"Esprit {twice} is named twice; each Esprit fights once", field="team", esprit_id=twice, reason="twice"
        )
    return named


async def _rows(session: AsyncSession, ids: Sequence[int]) -> dict[int, tuple[str | None, str, int, int]]:
    """Per existing Esprit of `ids`: (owner, species, level, ascension rank)."""
    rows = await session.execute(
        select(
            ESPRITS.c.id, ESPRITS.c.owner_id, ESPRITS.c.esprit_data_id, ESPRITS.c.current_level, ESPRITS.c.ascension
        ).where(ESPRITS.c.id.in_(list(ids)))
    )
    return {int(r.id): (r.owner_id, r.esprit_data_id, int(r.current_level), int(r.ascension)) for r in rows}


def _refused(esprit_id: int, why: str, reason: str, **details: object) -> TeamInvalid:
    return TeamInvalid(f"Esprit {esprit_id} {why}", field="team", esprit_id=esprit_id, reason=reason, **details)


async def own_team(
    session: AsyncSession, config: GameConfig, user_id: str, ids: Sequence[int], now: datetime
) -> list[Member]:
    """The Esprits `ids` (already through `check_ids`) of `user_id`, in the order named; TeamInvalid for the
    first that may not fight."""
    rows = await _rows(session, ids)
    reserved = await reserved_by(session, ids, now)
    members = []
    for esprit_id in ids:
        row = rows.get(esprit_id)
        if row is None:
            raise _refused(esprit_id, "does not exist (released, or never was)", "not_found")
        owner, species, level, rank = row
        if owner is None:
            listing = await _open_listing(session, esprit_id, user_id)
            if listing is not None:
                raise _refused(
                    esprit_id,
                    f"is in the auction house (listing {listing}); cancel the listing to fight with it",
                    "in_escrow",
                    listing_id=listing,
                )
        if owner != user_id:
            raise _refused(esprit_id, "belongs to another player", "not_owner")
        if esprit_id in reserved:
            raise _refused(
                esprit_id,
                f"is offered in trade {reserved[esprit_id]}; remove it from the trade to fight with it",
                "reserved",
                trade_id=reserved[esprit_id],
            )
        members.append(Member(id=esprit_id, definition=config.esprits_by_id[species], level=level, ascension=rank))
    return members


async def usable(
    session: AsyncSession, config: GameConfig, user_id: str, ids: Sequence[int], now: datetime
) -> list[Member]:
    """Of the saved team `ids`, those still `user_id`'s and not reserved in an open trade, in saved order."""
    rows = await _rows(session, ids)
    reserved = await reserved_by(session, ids, now)
    return [
        Member(id=esprit_id, definition=config.esprits_by_id[row[1]], level=row[2], ascension=row[3])
        for esprit_id in dict.fromkeys(ids)
        if (row := rows.get(esprit_id)) is not None and row[0] == user_id and esprit_id not in reserved
    ]


async def _open_listing(session: AsyncSession, esprit_id: int, seller: str) -> int | None:
    """The id of `seller`'s open listing holding `esprit_id` in escrow, if there is one."""
    found = await session.execute(
        select(_listings.c.id).where(
            _listings.c.esprit_id == esprit_id,
            _listings.c.seller_id == seller,
            _listings.c.status == ListingStatus.OPEN.value,
        )
    )
    listing = found.scalar_one_or_none()
    return None if listing is None else int(listing)


def enemies(config: GameConfig, stage: Stage) -> list[Member]:
    """A trial stage's enemy team."""
    return [
        Member(id=None, definition=config.esprits_by_id[e.esprit_id], level=e.level, ascension=e.ascension)
        for e in stage.enemies
    ]
