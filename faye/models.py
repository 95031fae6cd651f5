"""SQLModel tables: the one schema of player and static data.

Balances carry CHECK constraints so that even a buggy statement cannot leave a negative balance behind; the
ledger records every currency movement, so a balance always equals the sum of its ledger rows.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from faye.clock import as_utc

Id64 = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit id: BIGINT (BIGSERIAL for a key) on PostgreSQL, where INTEGER stops at 2**31 - 1; INTEGER on SQLite,
where it is already 64-bit and only `INTEGER PRIMARY KEY` is the auto-numbered rowid. Migration 0003 widened
the columns of older PostgreSQL databases."""


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every backend (SQLite stores naive UTC, PostgreSQL timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use timezone-aware UTC")
        utc = as_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class EspritData(SQLModel, table=True):
    """Static definition of an Esprit, synced from esprits.json at start."""

    esprit_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=40)
    description: str = Field(max_length=300)
    rarity: str = Field(index=True, max_length=24)
    element: str = Field(max_length=24)
    role: str = Field(max_length=24)
    base_hp: int
    base_attack: int
    base_defense: int
    base_speed: int
    base_magic: int
    base_magic_resist: int
    base_crit_rate: float
    base_dodge: float


class User(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("faylen >= 0", name="ck_user_faylen_nonneg"),
        CheckConstraint("virelite >= 0", name="ck_user_virelite_nonneg"),
        CheckConstraint("gems >= 0", name="ck_user_gems_nonneg"),
    )

    user_id: str = Field(primary_key=True, max_length=64)
    username: str = Field(max_length=100)
    # 64-bit on every backend: PostgreSQL's INTEGER would overflow where SQLite's does not.
    faylen: int = Field(default=0, index=True, sa_type=BigInteger)
    virelite: int = Field(default=0, sa_type=BigInteger)
    gems: int = Field(default=0, sa_type=BigInteger)
    level: int = Field(default=1, index=True)
    xp: int = Field(default=0, index=True, sa_type=Id64)
    """64-bit like the ids (migration 0003): XP keeps growing after the last level."""
    """Total XP ever earned; `level` follows it through the level curve."""
    daily_streak: int = 0
    last_daily_claim: datetime | None = Field(default=None, sa_type=UTCDateTime)
    active_esprit_id: int | None = Field(
        default=None,
        sa_column=Column(
            Id64,
            ForeignKey("useresprit.id", use_alter=True, name="fk_user_active_esprit", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    policy_accepted_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class UserEsprit(SQLModel, table=True):
    """One Esprit a player owns (or that is in escrow). `id` is what players type (`faye esprit show 17`)."""

    # AUTOINCREMENT on SQLite: an id is never handed out twice, as PostgreSQL's sequences never do. Without it
    # SQLite numbers a new row max(id) + 1, and a released newest Esprit's id (and its history) would pass on.
    __table_args__ = (Index("ix_useresprit_owner_id_id", "owner_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    owner_id: str | None = Field(default=None, foreign_key="user.user_id", max_length=64)
    """None while the Esprit sits in escrow in an open auction listing (then it has no owner to act on it)."""
    esprit_data_id: str = Field(foreign_key="espritdata.esprit_id", max_length=64)
    current_hp: int
    """Follows the max HP at the Esprit's level and rank (faye.progression)."""
    current_level: int = 1
    current_xp: int = Field(default=0, sa_type=Id64)
    """XP into the current level (64-bit since migration 0004)."""
    ascension: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Ascension rank, 0 to progression.json's max_rank: lifts the level cap and adds a stat bonus."""
    locked: bool = Field(default=False, sa_type=Boolean, sa_column_kwargs={"server_default": text("false")})
    """A favourite: never released, consumed, listed or traded while locked."""
    acquired_at: datetime = Field(sa_type=UTCDateTime)


class EventKind(StrEnum):
    """What can happen to an Esprit, in the order of a life: created first; consumed or released last."""

    CREATED = "created"
    ESCROWED = "escrowed"
    SOLD = "sold"
    RETURNED = "returned"
    ASCENDED = "ascended"
    TRADED = "traded"
    CONSUMED = "consumed"
    RELEASED = "released"


class EspritEvent(SQLModel, table=True):
    """One event in the life of an Esprit, written in the transaction that made it happen. Rows outlive the Esprit
    (no foreign key): a released Esprit's history still tells where it went."""

    __table_args__ = (Index("ix_espritevent_esprit_id_id", "esprit_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    esprit_id: int = Field(sa_type=Id64)
    kind: str = Field(max_length=16)
    owner_id: str | None = Field(default=None, max_length=64)
    """Who holds it after the event: None in escrow and once it is gone."""
    detail: dict[str, object] = Field(default_factory=dict, sa_type=JSON)
    """What made it happen: the source and pull of a creation, the listing, the counterparty, the ascension."""
    at: datetime = Field(sa_type=UTCDateTime)


class PityCounter(SQLModel, table=True):
    """Pulls since the player's last pull of `tier` or any higher tier in one pity group (the banners that share
    counters), and whether that tier's next pull in the group is guaranteed featured."""

    user_id: str = Field(foreign_key="user.user_id", primary_key=True, max_length=64)
    pity_group: str = Field(
        default="standard", primary_key=True, max_length=24, sa_column_kwargs={"server_default": "standard"}
    )
    tier: str = Field(primary_key=True, max_length=24)
    pulls_since: int = 0
    guaranteed: bool = Field(default=False, sa_type=Boolean, sa_column_kwargs={"server_default": text("false")})


class PullRecord(SQLModel, table=True):
    """One pull, kept for the player and the regulator: what it gave and the state it was drawn in. Rows go only
    through `faye admin prune-pulls` (older than the retention) or when the player's data is deleted."""

    __tablename__ = "pull"
    __table_args__ = (Index("ix_pull_user_id_n", "user_id", "n", unique=True), Index("ix_pull_at", "at"))

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    user_id: str = Field(foreign_key="user.user_id", max_length=64)
    n: int = Field(sa_type=Id64)
    """The player's pull number, 1 for their first recorded pull."""
    banner_id: str = Field(max_length=64)
    pity_group: str = Field(max_length=24)
    tier: str = Field(max_length=24)
    esprit_data_id: str = Field(max_length=64)
    esprit_id: int = Field(sa_type=Id64)
    """The Esprit the pull created (it may since have been traded or released; its history says)."""
    featured: bool = Field(sa_type=Boolean)
    pity_before: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    """The group's pity counters before the pull, by tier (tiers with pity)."""
    guaranteed_before: list[str] = Field(default_factory=list, sa_type=JSON)
    """The tiers whose guarantee was pending before the pull."""
    at: datetime = Field(sa_type=UTCDateTime)


class ListingStatus(StrEnum):
    OPEN = "open"
    SOLD = "sold"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class AuctionListing(SQLModel, table=True):
    """An Esprit offered for faylen. While `open`, the Esprit is in escrow (its owner_id is NULL)."""

    __table_args__ = (
        CheckConstraint("price > 0", name="ck_auctionlisting_price_positive"),
        CheckConstraint("status IN ('open', 'sold', 'cancelled', 'expired')", name="ck_auctionlisting_status"),
        # An Esprit sits in at most one open listing, whatever races the application loses.
        Index(
            "uq_auctionlisting_open_esprit",
            "esprit_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_auctionlisting_status_expires_at", "status", "expires_at"),
        Index("ix_auctionlisting_seller_id_status", "seller_id", "status"),
        Index("ix_auctionlisting_buyer_id", "buyer_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    seller_id: str = Field(max_length=64)
    esprit_id: int = Field(sa_type=Id64)
    """No foreign key since migration 0004: a sold Esprit may later be released, and its listings stay on record."""
    esprit_data_id: str = Field(max_length=64)
    level: int
    """The species and level of the Esprit when listed (it cannot change in escrow), kept with the listing so a
    sale stays readable after the Esprit is gone (migration 0004)."""
    price: int
    """32-bit: the game data's max_price is at most faye.inputs.MAX_COST (10**9)."""
    fee: int
    """Listing fee the seller paid (a sink)."""
    tax: int | None = None
    """Sale tax kept from the price (a sink), set when sold."""
    status: str = Field(default=ListingStatus.OPEN.value, max_length=12)
    buyer_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TradeStatus(StrEnum):
    OPEN = "open"
    EXECUTED = "executed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Trade(SQLModel, table=True):
    """A trade between two players. Every change bumps `version` and clears both confirmations; it executes when
    both sides have confirmed the same version. Open until executed, cancelled or past `expires_at`."""

    __table_args__ = (
        CheckConstraint("status IN ('open', 'executed', 'cancelled', 'expired')", name="ck_trade_status"),
        Index("ix_trade_status_expires_at", "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    status: str = Field(default=TradeStatus.OPEN.value, max_length=12)
    version: int = 1
    opened_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    changed_at: datetime = Field(sa_type=UTCDateTime)
    """The last change: confirming is refused until game_settings.json's trade.confirm_delay_seconds after it."""
    expires_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TradeSide(SQLModel, table=True):
    """What one trader gives: currencies here, Esprits as TradeItem rows."""

    __table_args__ = (
        CheckConstraint("faylen >= 0 AND virelite >= 0 AND gems >= 0", name="ck_tradeside_amounts_nonneg"),
        Index("ix_tradeside_user_id", "user_id"),
    )

    trade_id: int = Field(foreign_key="trade.id", primary_key=True, sa_type=Id64)
    user_id: str = Field(primary_key=True, max_length=64)
    faylen: int = Field(default=0, sa_type=BigInteger)
    virelite: int = Field(default=0, sa_type=BigInteger)
    gems: int = Field(default=0, sa_type=BigInteger)
    confirmed_version: int | None = None


class TradeItem(SQLModel, table=True):
    """An Esprit one trader offers. While `reserved` (its trade open) no other trade, listing, release, ascension
    or `active set` may take it: at most one reserved row per Esprit, whatever races the application loses."""

    __table_args__ = (
        Index(
            "uq_tradeitem_reserved_esprit",
            "esprit_id",
            unique=True,
            sqlite_where=text("reserved"),
            postgresql_where=text("reserved"),
        ),
        Index("ix_tradeitem_trade_id", "trade_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    trade_id: int = Field(foreign_key="trade.id", sa_type=Id64)
    user_id: str = Field(max_length=64)
    """The trader who offers it (its owner while the trade is open)."""
    esprit_id: int = Field(sa_type=Id64)
    esprit_data_id: str = Field(max_length=64)
    level: int
    """Its species and level when offered (a reserved Esprit cannot change), so a closed trade stays readable."""
    reserved: bool = Field(default=True, sa_type=Boolean)
    """True while the trade is open; a row taken off the trade is deleted, so a closed trade's rows are what it
    held when it closed."""


class Battler(SQLModel, table=True):
    """A player's standing in battles: trial progress, today's replays and duels, the duel rating and the saved
    defence team. Created on the player's first battle or team; until then the rating is the configured initial."""

    __table_args__ = (Index("ix_battler_rating", "rating"),)

    user_id: str = Field(foreign_key="user.user_id", primary_key=True, max_length=64)
    trial_cleared: int = 0
    """The highest trial stage cleared (0: none); only the next stage can be cleared for the first time."""
    trial_day: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The UTC day (midnight) `trial_replays` counts on."""
    trial_replays: int = 0
    rating: int = Field(default=1200, index=False)
    duel_day: datetime | None = Field(default=None, sa_type=UTCDateTime)
    duels_today: int = 0
    wins: int = 0
    losses: int = 0
    draws: int = 0
    defence: list[int] = Field(default_factory=list, sa_type=JSON)
    """The saved defence team's Esprit ids (1 to 3); checked again when a duel uses it."""


class LedgerEntry(SQLModel, table=True):
    """One currency movement. Written in the same transaction as the balance change it records."""

    __table_args__ = (Index("ix_ledgerentry_user_id_id", "user_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Id64)
    user_id: str = Field(max_length=64)
    currency: str = Field(sa_column=Column(String(16), nullable=False))
    delta: int = Field(sa_type=BigInteger)
    balance_after: int = Field(sa_type=BigInteger)
    reason: str = Field(max_length=32)
    reference: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(sa_type=UTCDateTime)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for conditional UPDATE ... RETURNING statements."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


USERS = table_of(User)
ESPRITS = table_of(UserEsprit)
EVENTS = table_of(EspritEvent)
PITY = table_of(PityCounter)
PULLS = table_of(PullRecord)
BATTLERS = table_of(Battler)
TRADES = table_of(Trade)
TRADE_SIDES = table_of(TradeSide)
TRADE_ITEMS = table_of(TradeItem)


class ForgottenPlayer(SQLModel, table=True):
    """A player whose data was deleted (faye.services.privacy): only a salted hash of their id and the timestamps
    the anti-abuse rules need, so that starting again cannot earn a second starter or a fresh daily too soon."""

    id_hash: str = Field(primary_key=True, max_length=64)
    """hex SHA-256 of the salt (PrivacySalt) and the id: the id cannot be read back, only recognised."""
    registered_at: datetime = Field(sa_type=UTCDateTime)
    last_daily_claim: datetime | None = Field(default=None, sa_type=UTCDateTime)
    forgotten_at: datetime = Field(sa_type=UTCDateTime)


class PrivacySalt(SQLModel, table=True):
    """The one salt of ForgottenPlayer's hashes (row id 1), generated at the first deletion and never changed."""

    id: int = Field(default=1, primary_key=True)
    salt: str = Field(max_length=64)


FORGOTTEN = table_of(ForgottenPlayer)
SALTS = table_of(PrivacySalt)


class RateBucket(SQLModel, table=True):
    """One player's count of one rate-limited action (faye.limits) in the current window; shared by every
    process of the database. No key to `user`: the rows are disposable, and forgetting a player deletes them."""

    user_id: str = Field(primary_key=True, max_length=64)
    action: str = Field(primary_key=True, max_length=16)
    window_start: datetime = Field(sa_type=UTCDateTime)
    count: int
