"""Plain result objects the services return and both front-ends format (Rich, JSON, Discord embeds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class Balance:
    user_id: str
    username: str
    faylen: int
    virelite: int
    gems: int
    level: int
    xp: int


@dataclass(frozen=True, kw_only=True)
class Profile(Balance):
    xp_into_level: int
    xp_for_next_level: int | None
    """XP the current level needs in all; None at the maximum level."""
    daily_streak: int
    next_daily_at: datetime | None
    """When the next daily claim opens; None when it is open now."""
    collection_size: int
    collection_by_rarity: dict[str, int]
    """Esprits owned per tier, every tier listed lowest to highest."""
    active_esprit: OwnedEsprit | None
    created_at: datetime
    best_esprit: OwnedEsprit | None = None
    """The player's most advanced Esprit: highest ascension rank, then level, then rarity."""


@dataclass(frozen=True, kw_only=True)
class OwnedEsprit:
    id: int
    esprit_id: str
    name: str
    rarity: str
    level: int
    xp: int
    hp: int
    max_hp: int
    element: str
    role: str
    active: bool
    acquired_at: datetime
    ascension: int = 0
    """Ascension rank (0 to progression.json's max_rank), distinct from the rarity."""
    level_cap: int
    locked: bool = False
    xp_to_next: int | None = None
    """XP the current level needs in all; None at the level cap."""


@dataclass(frozen=True, kw_only=True)
class EspritDetail(OwnedEsprit):
    owner_id: str
    description: str
    stats: dict[str, float]
    """At the Esprit's level and ascension rank (faye.progression.stats_at)."""


@dataclass(frozen=True, kw_only=True)
class Registration:
    profile: Profile
    starter: OwnedEsprit


@dataclass(frozen=True, kw_only=True)
class LevelUp:
    level: int
    rewards: dict[str, int]


@dataclass(frozen=True, kw_only=True)
class DailyClaim:
    rewards: dict[str, int]
    xp_gained: int
    streak: int
    streak_bonus: float
    """The multiplier's bonus part: 0.3 means rewards x1.3."""
    claimed_at: datetime
    next_claim_at: datetime
    level_ups: list[LevelUp]
    balance: Balance
    partner: PartnerGrowth | None = None
    """What the active Esprit gained from this claim's XP; None without an active Esprit."""


@dataclass(frozen=True, kw_only=True)
class Cost:
    currency: str
    amount: int


@dataclass(frozen=True, kw_only=True)
class SummonedEsprit:
    id: int
    esprit_id: str
    name: str
    rarity: str
    pity_triggered: bool
    """True when this pull came at the tier's hard pity."""
    featured: bool = False
    """True when the banner features this Esprit and the pull gave it as featured."""


@dataclass(frozen=True, kw_only=True)
class SummonResult:
    cost: Cost
    esprits: list[SummonedEsprit]
    pity: dict[str, int]
    """Per tier with pity: pulls since the last pull of that tier or higher, after this summon."""
    hard_pity: dict[str, int]
    """Per tier with pity: the pull that guarantees it, under the rule this summon was drawn with."""
    xp_gained: int
    level_ups: list[LevelUp]
    balance: Balance
    partner: PartnerGrowth | None = None
    """What the active Esprit gained from this summon's XP; None without an active Esprit."""
    banner: str = "standard"
    """The banner's id; its pity group holds the counters in `pity`."""
    guaranteed: list[str] = field(default_factory=list)
    """Tiers whose next pull on this banner's pity group is guaranteed featured, after this summon."""


@dataclass(frozen=True, kw_only=True)
class PartnerGrowth:
    """The active Esprit's share of XP its player earned."""

    id: int
    name: str
    xp_gained: int
    levels_gained: int
    level: int


@dataclass(frozen=True, kw_only=True)
class InventoryPage:
    items: list[OwnedEsprit]
    page: int
    pages: int
    total: int
    page_size: int


@dataclass(frozen=True, kw_only=True)
class LeaderboardEntry:
    rank: int
    user_id: str
    username: str
    value: int
    level: int


@dataclass(frozen=True, kw_only=True)
class Leaderboard:
    by: str
    entries: list[LeaderboardEntry] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ResetReport:
    players_deleted: int
    esprits_deleted: int
    ledger_rows_deleted: int
    esprit_definitions: int


@dataclass(frozen=True, kw_only=True)
class Grant:
    user_id: str
    currency: str
    amount: int
    balance_after: int


@dataclass(frozen=True, kw_only=True)
class ListedEsprit:
    id: int
    esprit_id: str
    name: str
    rarity: str
    level: int


@dataclass(frozen=True, kw_only=True)
class Listing:
    id: int
    esprit: ListedEsprit
    seller_id: str
    price: int
    fee: int
    status: str
    created_at: datetime
    expires_at: datetime
    buyer_id: str | None
    tax: int | None
    closed_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class ListingCreated:
    listing: Listing
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class Purchase:
    listing: Listing
    paid: int
    seller_received: int
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class Cancellation:
    listing: Listing


@dataclass(frozen=True, kw_only=True)
class ListingPage:
    items: list[Listing]
    page: int
    pages: int
    total: int
    page_size: int


@dataclass(frozen=True, kw_only=True)
class AuctionHistory:
    user_id: str
    open: list[Listing]
    sales: list[Listing]
    purchases: list[Listing]


@dataclass(frozen=True, kw_only=True)
class AuditReport:
    players: int
    esprits: int
    open_listings: int
    ledger_rows: int
    consistent: bool
    problems: list[str]


@dataclass(frozen=True, kw_only=True)
class Training:
    """`train`: what the Esprit gained and what it cost."""

    esprit: EspritDetail
    levels_gained: int
    xp_gained: int
    cost: Cost
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class Ascension:
    """`ascend`: the Esprit at its new rank, the duplicates it consumed and the virelite it cost."""

    esprit: EspritDetail
    consumed: list[int]
    cost: Cost
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class AscensionPlan:
    """`ascend_preview`: what the next rank would consume and cost, before anything happens."""

    esprit: OwnedEsprit
    rank: int
    """The rank it would reach."""
    level_cap: int
    """Its level cap at that rank."""
    fodder: list[OwnedEsprit]
    cost: Cost
    affordable: bool
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class ReleasedEsprit:
    id: int
    esprit_id: str
    name: str
    rarity: str
    level: int
    faylen: int
    virelite: int
    """What releasing this one pays."""


@dataclass(frozen=True, kw_only=True)
class Release:
    """`release`: exactly what goes and what comes back. With `dry_run` nothing happened yet (a preview; release
    `ids` of it to make it happen), and `balance` is the balance now."""

    released: list[ReleasedEsprit]
    reward: dict[str, int]
    """{"faylen": n, "virelite": n}: the sum over `released`."""
    dry_run: bool
    skipped: dict[str, int]
    """Esprits a filter matched but that may not go, by reason: "locked", "active", "reserved" (in a trade)."""
    balance: Balance

    @property
    def ids(self) -> list[int]:
        return [esprit.id for esprit in self.released]


@dataclass(frozen=True, kw_only=True)
class EspritEventView:
    at: datetime
    kind: str
    """created, escrowed, sold, returned, ascended, consumed, released."""
    owner: str | None
    """Who held the Esprit after the event (None in escrow or once gone)."""
    detail: dict[str, object]


@dataclass(frozen=True, kw_only=True)
class EspritHistory:
    esprit_id: int
    name: str
    events: list[EspritEventView]


@dataclass(frozen=True, kw_only=True)
class TradeSideView:
    """What one trader gives."""

    user_id: str
    username: str
    esprits: list[ListedEsprit]
    faylen: int
    virelite: int
    gems: int
    confirmed: bool
    """Whether this trader has confirmed the trade's current version."""


@dataclass(frozen=True, kw_only=True)
class TradeView:
    id: int
    version: int
    status: str
    """open, executed, cancelled, expired."""
    sides: dict[str, TradeSideView]
    """By user id: the one who opened the trade first."""
    opened_by: str
    created_at: datetime
    changed_at: datetime
    confirmable_at: datetime
    """When confirming the current version opens (the delay after the last change)."""
    expires_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class TradeList:
    user_id: str
    trades: list[TradeView]


@dataclass(frozen=True, kw_only=True)
class Backup:
    """`faye db backup`: where the copy went and how it checked out, or (PostgreSQL) the command to make one."""

    target: str
    method: str
    """"sqlite_backup" (the copy was made) or "pg_dump" (run `command` to make it)."""
    command: str | None = None
    bytes: int | None = None
    revision: str | None = None
    """The copy's schema revision."""
    audit: AuditReport | None = None
    """The audit of the copy; None when its revision is not this Faye's (upgrade a copy of it to audit it)."""


@dataclass(frozen=True, kw_only=True)
class FeaturedEsprit:
    esprit_id: str
    name: str
    tier: str


@dataclass(frozen=True, kw_only=True)
class PityStanding:
    """A player's pity in one pity group: counters after their last pull there, and pending guarantees."""

    pity: dict[str, int]
    """Per tier with pity: pulls since the last pull of that tier or higher in the group."""
    hard_pity: dict[str, int]
    guaranteed: list[str]
    """Tiers whose next pull in the group is guaranteed featured."""


@dataclass(frozen=True, kw_only=True)
class BannerView:
    """One banner as players see it."""

    banner_id: str
    name: str
    kind: str
    pity_group: str
    start: datetime | None
    end: datetime | None
    seconds_left: float | None
    """Until it closes; None for the standard banner, which never does."""
    featured: list[FeaturedEsprit]
    featured_share: dict[str, float]
    """Per featured tier: the chance a pull of that tier is featured when no guarantee is pending."""
    guarantee: dict[str, bool]
    single_cost: Cost
    ten_cost: Cost
    standing: PityStanding | None = None
    """The asking player's pity on this banner's group; None when no player was named."""


@dataclass(frozen=True, kw_only=True)
class BannerList:
    at: datetime
    banners: list[BannerView]


@dataclass(frozen=True, kw_only=True)
class PullEntry:
    n: int
    at: datetime
    banner: str
    tier: str
    esprit_id: str
    name: str
    featured: bool
    pity_before: dict[str, int]
    guaranteed_before: list[str]


@dataclass(frozen=True, kw_only=True)
class PullHistory:
    pulls: list[PullEntry]
    page: int
    pages: int
    total: int
    banner: str | None = None
    tier: str | None = None


@dataclass(frozen=True, kw_only=True)
class HitLuck:
    """One pull of a tier (or higher) and where the pulls it took sit in the exact distribution."""

    n: int
    at: datetime
    esprit_id: str
    name: str
    tier: str
    pulls: int
    """Pulls it took: the tier's pity counter before it, plus one."""
    sooner: float
    """The share of players who get one in fewer pulls: 0.88 reads "later than 88 % of players"."""


@dataclass(frozen=True, kw_only=True)
class TierLuck:
    tier: str
    hits: list[HitLuck]
    mean_pulls: float
    """Pulls it takes on average between two hits, exactly."""
    pulls: int
    """The player's recorded pulls counted for the rate."""
    count: int
    """... of which this tier or higher."""
    rate: float
    published_rate: float
    """The long-run rate of this tier or higher, from the odds disclosure."""
    interval: tuple[float, float]
    """95 % Wilson interval of the player's rate."""
    consistent: bool
    """Whether the published rate lies inside the interval."""


@dataclass(frozen=True, kw_only=True)
class LuckReport:
    user_id: str
    banner: str | None
    pulls: int
    tiers: list[TierLuck]
    featured_hits: int = 0
    """Featured pulls among the pulls of featured tiers on the banner(s) counted."""
    featured_chances: int = 0
    featured_share: float | None = None
    """The long-run featured share the rule promises for the banner's top featured tier, when one is counted."""


@dataclass(frozen=True, kw_only=True)
class PullPrune:
    before: datetime
    rows: int
    applied: bool
    """False for the preview (nothing deleted)."""


@dataclass(frozen=True, kw_only=True)
class BattleFighter:
    """One Esprit in a battle, at the level and rank it fought at."""

    id: int | None
    """The player's Esprit id; None for a trial's enemies."""
    esprit_id: str
    name: str
    tier: str
    element: str
    role: str
    level: int
    ascension: int
    hp: int
    """Max HP at that level and rank."""


@dataclass(frozen=True, kw_only=True)
class RatingChange:
    attacker_before: int
    attacker_after: int
    defender_before: int
    defender_after: int


@dataclass(frozen=True, kw_only=True)
class BattleRewards:
    faylen: int
    xp: int
    """XP offered to each Esprit of the team (through the progression rules)."""
    growth: list[PartnerGrowth]
    """What each Esprit of the team gained."""
    first_clear: bool
    balance: Balance


@dataclass(frozen=True, kw_only=True)
class BattleReport:
    """A fought battle: who won, the whole log, and what it paid or moved."""

    kind: str
    """"trial" or "duel"."""
    winner: str
    """"attacker", "defender" or "draw"; the player is always the attacker."""
    rounds: int
    seed: int
    """Replays the battle exactly (faye.battle.engine.fight with these teams)."""
    attackers: list[BattleFighter]
    defenders: list[BattleFighter]
    log: list[dict[str, object]]
    """Every action, as faye.battle.engine.Action.to_json."""
    stage: int | None = None
    opponent: str | None = None
    rewards: BattleRewards | None = None
    rating: RatingChange | None = None
    attempts_left: int = 0
    """Trial replays or duels left today after this one."""


@dataclass(frozen=True, kw_only=True)
class StageView:
    stage: int
    name: str
    enemies: list[BattleFighter]
    first_clear_faylen: int
    first_clear_xp: int
    replay_faylen: int
    replay_xp: int
    cleared: bool
    open: bool
    """Cleared (replayable) or the next one to clear."""


@dataclass(frozen=True, kw_only=True)
class BattleStanding:
    user_id: str
    rating: int
    wins: int
    losses: int
    draws: int
    duels_left: int
    trial_cleared: int
    replays_left: int
    defence: list[BattleFighter]


@dataclass(frozen=True, kw_only=True)
class TrialLadder:
    standing: BattleStanding
    stages: list[StageView]


@dataclass(frozen=True, kw_only=True)
class ConfigReloaded:
    """Game data put in force by a reload: the files' digests before and after, and which files changed."""

    before: str | None
    after: str
    changed: list[str]


@dataclass(frozen=True, kw_only=True)
class ConfigChecked:
    """`faye admin reload-config`: the files validated, their digest, and the running bots told to reload."""

    digest: str
    bots_told: list[int]
    stale_removed: list[int]
