"""Game data: data/config/*.json loaded once and validated into frozen models.

Designers change the game here without code, so every mistake is reported with the file, the field and what
was expected, all problems at once (a `ConfigError`), never as a traceback.
"""

from __future__ import annotations

import json
import math
import stat
from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from faye.battle.settings import BATTLE_FILE, BattleSettings, battle_problems
from faye.errors import ConfigError
from faye.inputs import MAX_COST, MAX_CURRENCY, MAX_GROWTH, MAX_HOURS, MAX_LEVEL, MAX_STAT


class Currency(StrEnum):
    FAYLEN = "faylen"
    VIRELITE = "virelite"
    GEMS = "gems"


class _Frozen(BaseModel):
    # NaN and infinities are refused by every float field, whatever the file says (json.loads accepts them).
    # defer_build: the validators are built on the first validation, not at import; a command that finds its
    # config in faye.config_cache (unpickled, never validated) does not pay for them (issue 10, cold start).
    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False, defer_build=True)


# Every number in the game data has a finite range the game can run with, whatever a designer writes: costs fit
# the 32-bit price column and a thousand of them a 64-bit balance, durations fit a datetime, the XP curve sums
# without overflow. The shared limits live in faye.inputs with the bounds of what players type.

#: XP one action gives (a pull, a daily claim).
MAX_XP_GAIN = 1_000_000
#: XP from level 1 to the curve's last level: exact in a float and far inside the 64-bit XP column.
MAX_TOTAL_XP = 10**15
#: Pulls of a pity rule (soft_start, hard).
MAX_PITY = 10_000
#: A tier's base weight, before the weights are normalised.
MAX_WEIGHT = 1e9
#: Open listings per seller.
MAX_OPEN_LISTINGS = 1_000
#: Bytes a data file may have: each is a small JSON document, and a larger one (or /dev/zero) is refused unread.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Digits an integer in a data file may have (int() of thousands of digits is refused by Python itself).
MAX_DIGITS = 30

UnitFloat = Annotated[float, Field(ge=0, le=1)]
Stat = Annotated[int, Field(ge=0, le=MAX_STAT)]
"""0 to 1,000,000."""
Cost = Annotated[int, Field(gt=0, le=MAX_COST)]
"""A cost or a price: 1 to 10**9."""
Amount = Annotated[int, Field(ge=0, le=MAX_CURRENCY)]
"""An amount of one currency handed out at once: 0 to 10**12."""
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS)]
"""A duration: more than 0 and at most 8,784 hours (a leap year)."""
XpGain = Annotated[int, Field(ge=0, le=MAX_XP_GAIN)]
"""XP for one action: 0 to 1,000,000."""
Level = Annotated[int, Field(ge=1, le=MAX_LEVEL)]
"""1 to 1,000."""
PityCount = Annotated[int, Field(gt=0, le=MAX_PITY)]
"""A pull count of a pity rule: 1 to 10,000."""


# --- esprits.json ---------------------------------------------------------------------------------------


class EspritStats(_Frozen):
    """Base stats: 0 to 1,000,000 (hp at least 1); crit_rate and dodge are chances, 0 to 1."""

    hp: Annotated[int, Field(ge=1, le=MAX_STAT)]
    attack: Stat
    defense: Stat
    speed: Stat
    magic: Stat
    magic_resist: Stat
    crit_rate: UnitFloat
    dodge: UnitFloat


class EspritForm(StrEnum):
    """The body plan an Esprit's procedural art is painted from (its species family)."""

    QUADRUPED = "quadruped"
    """Four-legged beasts: fox, cat, lynx, panther, pony, kirin, doe, stag, elk, ram."""
    BIRD = "bird"
    """Sparrow, owl, hawk, heron, roc, phoenix, griffin."""
    SERPENT = "serpent"
    """Long-bodied: eel, sea serpent, drake (wyvern), wyrm."""
    INSECT = "insect"
    """Beetle, moth, mantis, spider."""
    SHELLED = "shelled"
    """Tortoise, crab."""
    AQUATIC = "aquatic"
    """Otter, toad, siren."""
    SPIRIT = "spirit"
    """Floating figures: sprites, sylphs, seraphs, dryads, sovereigns."""
    CRITTER = "critter"
    """Small beasts: mole, hare, squirrel, bat."""
    GOLEM = "golem"
    """Giants of stone or wood: golem, treant, colossus."""


class EspritDef(_Frozen):
    esprit_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=40)]
    rarity: str
    element: Annotated[str, Field(min_length=1)]
    role: Annotated[str, Field(min_length=1)]
    form: EspritForm
    """The body plan of its procedural art; designers' own art (see faye.render.art) replaces it."""
    description: Annotated[str, Field(min_length=1, max_length=300)]
    stats: EspritStats


class EspritsFile(_Frozen):
    esprits: Annotated[tuple[EspritDef, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> EspritsFile:
        for attr in ("esprit_id", "name"):
            seen: set[str] = set()
            for esprit in self.esprits:
                value = getattr(esprit, attr)
                if value in seen:
                    raise ValueError(f"duplicate {attr} {value!r}: every Esprit needs its own")
                seen.add(value)
        return self


# --- rarity_tiers.json ----------------------------------------------------------------------------------


class PityRule(_Frozen):
    """From pull `soft_start` on, the tier's chance grows by `soft_step` per pull; at `hard` it is certain."""

    soft_start: PityCount
    soft_step: Annotated[float, Field(gt=0, le=1)]
    hard: PityCount

    @model_validator(mode="after")
    def _ordered(self) -> PityRule:
        if self.soft_start > self.hard:
            raise ValueError(f"soft_start ({self.soft_start}) must be <= hard ({self.hard})")
        return self


class RarityTier(_Frozen):
    name: Annotated[str, Field(min_length=1, max_length=24)]
    weight: Annotated[float, Field(gt=0, le=MAX_WEIGHT)]
    """More than 0 and at most 10**9 (finite); only the ratios between tiers matter."""
    pity: PityRule | None = None


class RarityTiersFile(_Frozen):
    """Tiers lowest to highest; weights are base probabilities, normalised to sum 1."""

    tiers: Annotated[tuple[RarityTier, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> RarityTiersFile:
        names = [t.name for t in self.tiers]
        if len(set(names)) != len(names):
            raise ValueError(f"tier names must be unique, got {names}")
        if all(t.pity is not None for t in self.tiers):
            raise ValueError("at least one tier must have no pity, to receive the probability pity leaves over")
        return self


# --- game_settings.json ---------------------------------------------------------------------------------


class StartingGrant(_Frozen):
    """Each currency 0 to 10**12; the level 1 to 1,000 and at most the curve's max_level."""

    faylen: Amount
    virelite: Amount
    gems: Amount
    level: Level = 1

    def currencies(self) -> dict[Currency, int]:
        return {Currency.FAYLEN: self.faylen, Currency.VIRELITE: self.virelite, Currency.GEMS: self.gems}


class SummonSettings(_Frozen):
    currency: Currency
    single_cost: Cost
    ten_cost: Cost
    """Costs 1 to 10**9."""
    xp_per_pull: XpGain

    def cost(self, amount: int) -> int:
        return self.single_cost if amount == 1 else self.ten_cost


class CurrencyAmounts(_Frozen):
    """Each 0 to 10**12."""

    faylen: Amount = 0
    virelite: Amount = 0
    gems: Amount = 0

    def items(self) -> list[tuple[Currency, int]]:
        return [(c, getattr(self, c.value)) for c in Currency]


class DailySettings(_Frozen):
    """reward = (base + per_level x (level - 1)) x (1 + min(streak_bonus_cap, streak_bonus_per_day x (streak - 1)))"""

    cooldown_hours: Hours
    streak_window_hours: Hours
    base: CurrencyAmounts
    per_level: CurrencyAmounts
    streak_bonus_per_day: Annotated[float, Field(ge=0, le=10)]
    streak_bonus_cap: Annotated[float, Field(ge=0, le=10)]
    """Bonuses are fractions of the reward, 0 to 10 (1,000 %)."""
    xp: XpGain

    def streak_bonus(self, streak: int) -> Fraction:
        """Exact (0.1 x 4 is 2/5, not 0.4000000000000001), so a floor never loses a unit to float noise."""
        per_day = Fraction(str(self.streak_bonus_per_day))
        return min(Fraction(str(self.streak_bonus_cap)), per_day * (streak - 1))

    def reward(self, level: int, streak: int) -> dict[Currency, int]:
        """What the `streak`-th claim in a row pays at `level` (currencies paying 0 left out)."""
        factor = 1 + self.streak_bonus(streak)
        amounts = {
            currency: math.floor((base + getattr(self.per_level, currency.value) * (level - 1)) * factor)
            for currency, base in self.base.items()
        }
        return {currency: amount for currency, amount in amounts.items() if amount > 0}

    @model_validator(mode="after")
    def _window(self) -> DailySettings:
        if self.streak_window_hours < self.cooldown_hours:
            raise ValueError("streak_window_hours must be >= cooldown_hours, or no streak could ever grow")
        return self


class LevelCurve(_Frozen):
    """XP needed to go from level L to L+1 is round(base x growth^(L-1)); levels stop at max_level."""

    base: Annotated[int, Field(ge=1, le=MAX_XP_GAIN)]
    """XP from level 1 to 2: 1 to 1,000,000."""
    growth: Annotated[float, Field(ge=1, le=MAX_GROWTH)]
    """1 to 10; the whole curve must sum to at most 10**15 XP."""
    max_level: Level
    level_up_reward: CurrencyAmounts = CurrencyAmounts()

    def xp_to_next(self, level: int) -> int:
        return round(self.base * self.growth ** (level - 1))

    def total_xp_for(self, level: int) -> int:
        """Total XP at which `level` is reached."""
        return sum(self.xp_to_next(lv) for lv in range(1, level))

    def level_for(self, total_xp: int) -> int:
        level = 1
        needed = 0
        while level < self.max_level:
            needed += self.xp_to_next(level)
            if total_xp < needed:
                break
            level += 1
        return level

    @model_validator(mode="after")
    def _sums(self) -> LevelCurve:
        # growth ** level may not even be a float (10.0 ** 999 overflows): compare logarithms before summing.
        steepest = math.log(self.base) + max(0, self.max_level - 2) * math.log(self.growth)
        if steepest > math.log(MAX_TOTAL_XP) or self.total_xp_for(self.max_level) > MAX_TOTAL_XP:
            raise ValueError(
                f"reaching max_level {self.max_level} takes more than {MAX_TOTAL_XP:,} XP; "
                "lower base, growth or max_level"
            )
        return self


class AuctionSettings(_Frozen):
    """The auction house: prices in faylen; the listing fee and the sale tax are currency sinks."""

    min_price: Cost = 10
    max_price: Cost = 1_000_000
    """Prices 1 to 10**9 (the price column is 32-bit on PostgreSQL)."""
    listing_fee_rate: Annotated[float, Field(ge=0, le=1)] = 0.02
    """Paid by the seller when listing (at least 1 faylen when the rate is above 0), never refunded."""
    sale_tax_rate: Annotated[float, Field(ge=0, lt=1)] = 0.05
    """Kept from the price when an Esprit sells: the seller receives price - floor(price x rate)."""
    default_hours: Hours = 48
    max_hours: Hours = 168
    max_open_listings: Annotated[int, Field(ge=1, le=MAX_OPEN_LISTINGS)] = 5
    page_size: Annotated[int, Field(ge=1, le=100)] = 10

    @model_validator(mode="after")
    def _bounds(self) -> AuctionSettings:
        if self.min_price > self.max_price:
            raise ValueError(f"min_price ({self.min_price}) must be <= max_price ({self.max_price})")
        if self.default_hours > self.max_hours:
            raise ValueError(f"default_hours ({self.default_hours}) must be <= max_hours ({self.max_hours})")
        return self

    def listing_fee(self, price: int) -> int:
        return max(1, math.floor(price * self.listing_fee_rate)) if self.listing_fee_rate > 0 else 0

    def sale_tax(self, price: int) -> int:
        return math.floor(price * self.sale_tax_rate)


class TradeSettings(_Frozen):
    """Trades between players. Currency trading is open to accounts at least `min_account_age_hours` old and at
    `min_level` or above (0 and 1 turn each rule off), up to `daily_receive_cap` per currency received through
    trades per UTC day."""

    confirm_delay_seconds: Annotated[float, Field(ge=0, le=3600)] = 5
    """Confirming is refused this long after the trade's last change, so nothing is swapped in at the last moment."""
    expiry_minutes: Annotated[float, Field(gt=0, le=24 * 60)] = 15
    """A trade still open this long after it was opened expires, and every reservation is released."""
    currencies: tuple[Currency, ...] = (Currency.FAYLEN, Currency.VIRELITE)
    """The currencies players may trade (gems are not, by default)."""
    max_esprits_per_side: Annotated[int, Field(ge=1, le=100)] = 20
    max_open_trades: Annotated[int, Field(ge=1, le=100)] = 5
    min_account_age_hours: Annotated[float, Field(ge=0, le=MAX_HOURS)] = 24
    min_level: Level = 3
    daily_receive_cap: CurrencyAmounts = CurrencyAmounts(faylen=100_000, virelite=50, gems=0)


class GameSettings(_Frozen):
    starting: StartingGrant
    starter_pool: Annotated[tuple[str, ...], Field(min_length=1)]
    summon: SummonSettings
    daily: DailySettings
    xp: LevelCurve
    inventory_page_size: Annotated[int, Field(ge=1, le=100)] = 10
    auction: AuctionSettings = AuctionSettings()
    trade: TradeSettings = TradeSettings()

    @model_validator(mode="after")
    def _runnable(self) -> GameSettings:
        if self.starting.level > self.xp.max_level:
            raise ValueError(f"starting.level ({self.starting.level}) must be <= xp.max_level ({self.xp.max_level})")
        factor = 1 + Fraction(str(self.daily.streak_bonus_cap))
        top = self.xp.max_level
        for currency, base in self.daily.base.items():
            most = math.floor((base + getattr(self.daily.per_level, currency.value) * (top - 1)) * factor)
            if most > MAX_CURRENCY:
                raise ValueError(
                    f"daily: a claim at level {top} with the full streak bonus pays {most:,} {currency.value}; "
                    f"at most {MAX_CURRENCY:,}"
                )
        return self


# --- banners.json ---------------------------------------------------------------------------------------

#: Days a pull stays on record at the least: China's rules ask for 90, and pruning never goes below it.
MIN_RETENTION_DAYS = 90
STANDARD = "standard"
LIMITED = "limited"


class FeaturedTier(_Frozen):
    """A tier's featured Esprits on one banner, and how often a pull of that tier is one of them."""

    esprits: Annotated[tuple[str, ...], Field(min_length=1, max_length=100)]
    featured_share: Annotated[float, Field(gt=0, le=1)] = 0.5
    """The chance a pull of this tier is featured when no guarantee is pending: more than 0, at most 1."""
    guarantee: bool = True
    """A non-featured pull of this tier makes the next pull of this tier (in the pity group) featured."""


class BannerCost(_Frozen):
    """What a pull costs on this banner, where it differs from game_settings.json's summon costs."""

    currency: Currency | None = None
    single_cost: Cost | None = None
    ten_cost: Cost | None = None


class Banner(_Frozen):
    """One banner. `standard` is always open; `limited` is open from `start` (inclusive) to `end` (exclusive),
    UTC. Banners of one `pity_group` (default: the kind) share pity counters and guarantees, so pity carries
    from one limited banner to the next."""

    banner_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=60)]
    kind: Literal["standard", "limited"]
    start: datetime | None = None
    end: datetime | None = None
    pity_group: Annotated[str | None, Field(pattern=r"^[a-z0-9_]+$", max_length=24)] = None
    cost: BannerCost = BannerCost()
    featured: Mapping[str, FeaturedTier] = {}
    """Per tier name, the featured Esprits; tiers not named draw uniformly, as on the standard banner."""

    @model_validator(mode="after")
    def _window(self) -> Banner:
        for name, value in (("start", self.start), ("end", self.end)):
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{name} ({value.isoformat()}) needs a UTC offset, e.g. 2026-01-01T00:00:00Z")
        if self.kind == LIMITED and (self.start is None or self.end is None):
            raise ValueError("a limited banner needs both start and end")
        if self.kind == STANDARD and (self.start is not None or self.end is not None):
            raise ValueError("the standard banner is always open: it takes no start or end")
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(f"start ({self.start.isoformat()}) must be before end ({self.end.isoformat()})")
        return self

    @property
    def group(self) -> str:
        """The pity group: banners in one share counters and guarantee state."""
        return self.pity_group or self.kind

    def is_open(self, at: datetime) -> bool:
        if self.start is None or self.end is None:
            return True
        return self.start <= at < self.end


class BannersFile(_Frozen):
    banners: Annotated[tuple[Banner, ...], Field(min_length=1, max_length=1_000)]
    retention_days: Annotated[int, Field(ge=MIN_RETENTION_DAYS, le=36_600)] = MIN_RETENTION_DAYS
    """How long every pull stays on record before `faye admin prune-pulls` may delete it: at least 90 days."""

    @model_validator(mode="after")
    def _one_standard(self) -> BannersFile:
        ids = [b.banner_id for b in self.banners]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"banner ids must be unique; repeated: {repeated}")
        standard = [b.banner_id for b in self.banners if b.kind == STANDARD]
        if len(standard) != 1:
            raise ValueError(f"exactly one banner must be of kind 'standard', found {len(standard)}: {standard}")
        return self


# --- progression.json -----------------------------------------------------------------------------------

#: Ascension ranks an Esprit may climb.
MAX_RANK = 20


class RarityGrowth(_Frozen):
    """How one rarity's Esprits grow: XP from level L to L+1 is round(xp_base x xp_growth^(L-1)); each integer
    stat at level L is its base x (1 + stat_growth x (L - 1)) x (1 + ascension.stat_bonus x rank), rounded
    (crit_rate and dodge are chances and do not grow)."""

    xp_base: Annotated[int, Field(ge=1, le=MAX_XP_GAIN)]
    xp_growth: Annotated[float, Field(ge=1, le=MAX_GROWTH)]
    stat_growth: Annotated[float, Field(ge=0, le=1)]
    """Fraction of the base stat added per level: 0 to 1."""
    ascension_virelite: Annotated[tuple[Annotated[int, Field(ge=0, le=MAX_COST)], ...], Field(min_length=1)]
    """Virelite to climb from rank r to r + 1, one entry per rank (as many as ascension.max_rank)."""
    release_faylen: Amount
    release_faylen_per_level: Amount
    release_virelite: Amount
    """Releasing pays release_faylen + release_faylen_per_level x (level - 1) faylen, and release_virelite."""


class AscensionSettings(_Frozen):
    """Level cap = base_cap + cap_per_rank x rank, for rank 0 to max_rank; climbing a rank consumes
    copies_per_rank[rank] duplicates of the same species and the rarity's ascension_virelite[rank]."""

    base_cap: Level = 20
    cap_per_rank: Annotated[int, Field(ge=0, le=MAX_LEVEL)] = 10
    max_rank: Annotated[int, Field(ge=0, le=MAX_RANK)] = 5
    copies_per_rank: Annotated[tuple[Annotated[int, Field(ge=1, le=100)], ...], Field(min_length=1)]
    stat_bonus: Annotated[float, Field(ge=0, le=1)] = 0.05
    """Fraction of the level's stats added per rank: 0 to 1."""

    @model_validator(mode="after")
    def _ranks(self) -> AscensionSettings:
        if len(self.copies_per_rank) != self.max_rank:
            raise ValueError(
                f"copies_per_rank has {len(self.copies_per_rank)} entries; expected one per rank, max_rank "
                f"({self.max_rank})"
            )
        if self.base_cap + self.cap_per_rank * self.max_rank > MAX_LEVEL:
            raise ValueError(f"the highest level cap must be at most {MAX_LEVEL:,}")
        return self

    def level_cap(self, rank: int) -> int:
        return self.base_cap + self.cap_per_rank * rank


class ProgressionSettings(_Frozen):
    """Esprit levels, training, the active Esprit's share of XP, ascension and release (progression.json)."""

    rarities: Mapping[str, RarityGrowth]
    """One entry per tier of rarity_tiers.json."""
    ascension: AscensionSettings
    xp_per_faylen: Annotated[float, Field(gt=0, le=MAX_XP_GAIN)] = 2.0
    """Training: faylen buys XP at this rate; a purchase costs ceil(XP / rate) faylen."""
    active_share: UnitFloat = 0.5
    """Share of the XP a player earns (summons, dailies) that their active Esprit gains too: 0 to 1."""

    @model_validator(mode="after")
    def _curves(self) -> ProgressionSettings:
        top = self.ascension.level_cap(self.ascension.max_rank)
        for name, growth in self.rarities.items():
            if len(growth.ascension_virelite) != self.ascension.max_rank:
                raise ValueError(
                    f"rarities.{name}.ascension_virelite has {len(growth.ascension_virelite)} entries; expected "
                    f"one per rank, ascension.max_rank ({self.ascension.max_rank})"
                )
            steepest = math.log(growth.xp_base) + max(0, top - 2) * math.log(growth.xp_growth)
            if steepest > math.log(MAX_TOTAL_XP):
                raise ValueError(
                    f"rarities.{name}: one level below the highest cap ({top}) takes more than {MAX_TOTAL_XP:,} XP; "
                    "lower xp_base or xp_growth"
                )
            if growth.release_faylen + growth.release_faylen_per_level * (top - 1) > MAX_CURRENCY:
                raise ValueError(f"rarities.{name}: releasing at level {top} pays more than {MAX_CURRENCY:,} faylen")
        return self


# --- rarity_visuals.json, stat_icons.json ---------------------------------------------------------------


class RarityVisual(_Frozen):
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    emoji: Annotated[str, Field(min_length=1)]


class RarityVisualsFile(_Frozen):
    rarities: Mapping[str, RarityVisual]


class StatIconsFile(_Frozen):
    stats: Mapping[str, str]


# --- the whole game -------------------------------------------------------------------------------------

ESPRITS_FILE = "esprits.json"
TIERS_FILE = "rarity_tiers.json"
SETTINGS_FILE = "game_settings.json"
VISUALS_FILE = "rarity_visuals.json"
ICONS_FILE = "stat_icons.json"
PROGRESSION_FILE = "progression.json"
BANNERS_FILE = "banners.json"


class GameConfig(_Frozen):
    """Everything a designer can change, cross-checked between files."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", allow_inf_nan=False, ignored_types=(cached_property,), defer_build=True
    )

    esprits: tuple[EspritDef, ...]
    tiers: tuple[RarityTier, ...]
    settings: GameSettings
    visuals: Mapping[str, RarityVisual]
    stat_icons: Mapping[str, str]
    progression: ProgressionSettings
    banners: tuple[Banner, ...]
    battle: BattleSettings
    retention_days: int = MIN_RETENTION_DAYS
    """Days every pull stays on record at the least (banners.json)."""
    assets_dir: Path | None = None
    """Where designers' `<esprit_id>.png` art lives; None for the repository's data/assets/esprits."""

    @cached_property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tiers)

    @cached_property
    def tier_rank(self) -> dict[str, int]:
        """0 for the lowest tier, len-1 for the highest."""
        return {t.name: i for i, t in enumerate(self.tiers)}

    @cached_property
    def esprits_by_id(self) -> dict[str, EspritDef]:
        return {e.esprit_id: e for e in self.esprits}

    @cached_property
    def esprits_by_tier(self) -> tuple[tuple[EspritDef, ...], ...]:
        """Per tier (same order as `tiers`), its Esprits sorted by id so draws are reproducible."""
        return tuple(
            tuple(sorted((e for e in self.esprits if e.rarity == t.name), key=lambda e: e.esprit_id))
            for t in self.tiers
        )

    @cached_property
    def banners_by_id(self) -> dict[str, Banner]:
        return {b.banner_id: b for b in self.banners}

    @cached_property
    def standard_banner(self) -> Banner:
        return next(b for b in self.banners if b.kind == STANDARD)

    def open_banners(self, at: datetime) -> tuple[Banner, ...]:
        """The banners open at `at`: the standard one first, then limited ones by their end."""
        limited = sorted((b for b in self.banners if b.kind == LIMITED and b.is_open(at)), key=lambda b: b.end or at)
        return (self.standard_banner, *limited)

    def resolve_tier(self, name: str) -> str | None:
        """The tier's canonical name, matched case-insensitively."""
        folded = name.casefold()
        return next((t for t in self.tier_names if t.casefold() == folded), None)

    def cross_check(self) -> list[str]:
        problems: list[str] = []
        for i, esprit in enumerate(self.esprits):
            if esprit.rarity not in self.tier_rank:
                problems.append(
                    f"{ESPRITS_FILE}: esprits[{i}].rarity: unknown tier {esprit.rarity!r}; "
                    f"expected one of {list(self.tier_names)}"
                )
        for name, members in zip(self.tier_names, self.esprits_by_tier, strict=True):
            if not members:
                problems.append(f"{ESPRITS_FILE}: no Esprit has rarity {name!r}; every tier needs at least one")
        for i, esprit_id in enumerate(self.settings.starter_pool):
            if esprit_id not in self.esprits_by_id:
                problems.append(
                    f"{SETTINGS_FILE}: starter_pool[{i}]: unknown esprit_id {esprit_id!r}; "
                    f"expected an id from {ESPRITS_FILE}"
                )
        for name in self.tier_names:
            if name not in self.progression.rarities:
                problems.append(f"{PROGRESSION_FILE}: rarities.{name}: missing; every tier needs its growth")
        for name in self.progression.rarities:
            if name not in self.tier_rank:
                problems.append(
                    f"{PROGRESSION_FILE}: rarities.{name}: unknown tier; expected one of {list(self.tier_names)}"
                )
        for name in self.tier_names:
            if name not in self.visuals:
                problems.append(f"{VISUALS_FILE}: rarities.{name}: missing; every tier needs a colour and emoji")
        problems.extend(self._banner_problems())
        problems.extend(battle_problems(self.battle, self.esprits, self.progression))
        return problems

    def _banner_problems(self) -> Iterator[str]:
        """Featured Esprits exist and belong to their tier, the tier keeps others to draw when a pull is not
        featured, and the banners of one pity group agree on each tier's share and guarantee (they share its
        guarantee state, so one rule must decide what it means)."""
        group_rules: dict[tuple[str, str], tuple[str, float, bool]] = {}
        for i, banner in enumerate(self.banners):
            for tier, featured in banner.featured.items():
                where = f"{BANNERS_FILE}: banners[{i}].featured.{tier}"
                if tier not in self.tier_rank:
                    yield f"{where}: unknown tier; expected one of {list(self.tier_names)}"
                    continue
                for j, esprit_id in enumerate(featured.esprits):
                    definition = self.esprits_by_id.get(esprit_id)
                    if definition is None:
                        yield (
                            f"{where}.esprits[{j}]: unknown esprit_id {esprit_id!r}; expected an id from {ESPRITS_FILE}"
                        )
                    elif definition.rarity != tier:
                        yield (
                            f"{where}.esprits[{j}]: {esprit_id!r} is {definition.rarity}, not {tier}; a featured "
                            "Esprit must belong to the tier it is featured in"
                        )
                if len(set(featured.esprits)) != len(featured.esprits):
                    yield f"{where}.esprits: an Esprit is featured twice"
                others = [e for e in self.esprits_by_tier[self.tier_rank[tier]] if e.esprit_id not in featured.esprits]
                if not others and featured.featured_share < 1:
                    yield (
                        f"{where}: every {tier} Esprit is featured, so a non-featured pull has nothing to draw; "
                        "set featured_share to 1 or feature fewer"
                    )
                rule = (banner.banner_id, featured.featured_share, featured.guarantee)
                seen = group_rules.setdefault((banner.group, tier), rule)
                if seen[1:] != rule[1:]:
                    yield (
                        f"{where}: pity group {banner.group!r} mixes rules for {tier}: featured_share "
                        f"{featured.featured_share} and guarantee {str(featured.guarantee).lower()} here, "
                        f"{seen[1]} and {str(seen[2]).lower()} on {seen[0]!r}; banners sharing a pity group share "
                        "its guarantee, so they must agree"
                    )


_M = TypeVar("_M", bound=BaseModel)


class _Unfit:
    """What a number no game field can hold parses to (NaN, 1e400, 5,000 digits): reported with its path."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_int(text: str) -> int | _Unfit:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return _Unfit(f"a number of {len(text.lstrip('-')):,} digits; numbers here have at most {MAX_DIGITS}")
    return int(text)


def _parse_float(text: str) -> float | _Unfit:
    value = float(text)
    if math.isfinite(value):
        return value
    shown = text if len(text) <= 24 else f"{text[:24]}…"
    return _Unfit(f"{shown} is beyond a float's range; numbers here are finite")


def _parse_constant(text: str) -> _Unfit:
    """NaN, Infinity and -Infinity: Python's json accepts them, JSON does not, and no game field means them."""
    return _Unfit(f"{text} is not a number; numbers here are finite")


def _unfit(data: Any) -> Iterator[tuple[str, _Unfit]]:
    """(path, marker) for each unfit number in parsed JSON, in document order; iterative, whatever the depth."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _Unfit):
            yield where or "(top level)", value
        elif isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else str(key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{where}.{i}" if where else str(i), item) for i, item in reversed(list(enumerate(value))))


def _read_json(path: Path, problems: list[str]) -> Any:
    """The parsed file, or None with each problem (named by file) added: missing, not a regular file (a device,
    a pipe), larger than MAX_FILE_BYTES, not UTF-8, not JSON, nested too deeply, or a number no field holds."""
    name = path.name
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            problems.append(f"{name}: not a regular file (a device, a pipe or a directory); expected a JSON file")
            return None
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problems.append(f"{name}: file not found in {path.parent}")
        return None
    except OSError as exc:
        problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MiB; a data file is a small JSON document")
        return None
    try:
        data = json.loads(
            raw.decode("utf-8"), parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except UnicodeDecodeError as exc:
        problems.append(f"{name}: not valid UTF-8 (byte {exc.start:,}: {exc.reason})")
        return None
    except json.JSONDecodeError as exc:
        problems.append(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        return None
    except RecursionError:
        problems.append(f"{name}: nested too deeply; game data is a few levels deep")
        return None
    unfit = list(_unfit(data))
    if unfit:
        problems.extend(f"{name}: {where}: {marker.reason}" for where, marker in unfit)
        return None
    return data


def _describe(exc: ValidationError, filename: str) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        given = err.get("input")
        text = repr(given)
        shown = "" if isinstance(given, dict | list) else f" (got {text if len(text) <= 60 else text[:60] + '…'})"
        message = err["msg"].removeprefix("Value error, ")
        out.append(f"{filename}: {where}: {message}{shown}")
    return out


def _parse(model: type[_M], data: Any, filename: str, problems: list[str]) -> _M | None:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_describe(exc, filename))
        return None


def load_config(config_dir: Path, assets_dir: Path | None = None) -> GameConfig:
    """Read and validate every data file in `config_dir`; raise `ConfigError` listing all problems.

    `assets_dir` (designers' art) is carried along for the renderer; its files are checked by `validate_config`,
    not here: an unusable art file only falls back to procedural art.
    """
    problems: list[str] = []
    if not config_dir.is_dir():
        raise ConfigError([f"{config_dir}: config directory not found"])
    esprits = _parse(EspritsFile, _read_json(config_dir / ESPRITS_FILE, problems), ESPRITS_FILE, problems)
    tiers = _parse(RarityTiersFile, _read_json(config_dir / TIERS_FILE, problems), TIERS_FILE, problems)
    settings = _parse(GameSettings, _read_json(config_dir / SETTINGS_FILE, problems), SETTINGS_FILE, problems)
    visuals = _parse(RarityVisualsFile, _read_json(config_dir / VISUALS_FILE, problems), VISUALS_FILE, problems)
    icons = _parse(StatIconsFile, _read_json(config_dir / ICONS_FILE, problems), ICONS_FILE, problems)
    progression = _parse(
        ProgressionSettings, _read_json(config_dir / PROGRESSION_FILE, problems), PROGRESSION_FILE, problems
    )
    banners = _parse(BannersFile, _read_json(config_dir / BANNERS_FILE, problems), BANNERS_FILE, problems)
    battle = _parse(BattleSettings, _read_json(config_dir / BATTLE_FILE, problems), BATTLE_FILE, problems)
    if (
        esprits is None
        or tiers is None
        or settings is None
        or visuals is None
        or icons is None
        or progression is None
        or banners is None
        or battle is None
    ):
        raise ConfigError(problems)
    config = GameConfig(
        esprits=esprits.esprits,
        tiers=tiers.tiers,
        settings=settings,
        visuals=visuals.rarities,
        stat_icons=icons.stats,
        progression=progression,
        banners=banners.banners,
        battle=battle,
        retention_days=banners.retention_days,
        assets_dir=assets_dir,
    )
    problems.extend(config.cross_check())
    if problems:
        raise ConfigError(problems)
    return config


# --- the strict pass of `faye config validate` ----------------------------------------------------------

#: The model each data file is read into.
FILE_MODELS: Mapping[str, type[BaseModel]] = {
    ESPRITS_FILE: EspritsFile,
    TIERS_FILE: RarityTiersFile,
    SETTINGS_FILE: GameSettings,
    VISUALS_FILE: RarityVisualsFile,
    ICONS_FILE: StatIconsFile,
    PROGRESSION_FILE: ProgressionSettings,
    BANNERS_FILE: BannersFile,
    BATTLE_FILE: BattleSettings,
}


def validate_config(config_dir: Path, assets_dir: Path | None = None) -> list[str]:
    """Every problem in `config_dir`: what `load_config` refuses, plus keys no model reads, plus each designer
    art file in `assets_dir` that the renderer could not use (or that no Esprit would ever show).

    The game ignores unknown keys (a file written for a newer version still loads), so a misspelt optional
    key such as "pitty" would silently mean "no pity"; this stricter pass names each one with file and field.
    Likewise an unusable art file silently shows procedural art; this pass names the file and why.
    """
    problems: list[str] = []
    config: GameConfig | None = None
    try:
        config = load_config(config_dir, assets_dir)
    except ConfigError as exc:
        problems.extend(exc.problems)
    if assets_dir is not None and assets_dir.is_dir():
        problems.extend(_art_problems(assets_dir, config))
    if config_dir.is_dir():
        for filename, model in FILE_MODELS.items():
            data = _read_json(config_dir / filename, [])  # unreadable files are already reported
            for where, known in _unknown_keys(model, data, ""):
                problems.append(f"{filename}: {where}: unknown key; the game ignores it (known: {', '.join(known)})")
    return problems


def _art_problems(assets_dir: Path, config: GameConfig | None) -> Iterator[str]:
    """Each `*.png` in `assets_dir` that is unusable as art, or named for no Esprit (when the config loaded)."""
    from faye.render.art import art_problem  # Pillow loads only for this check

    for path in sorted(p for p in assets_dir.iterdir() if p.suffix.lower() == ".png"):
        if config is not None and (path.suffix != ".png" or path.stem not in config.esprits_by_id):
            yield f"{path}: no Esprit has the id {path.stem!r}; art files are named <esprit_id>.png"
            continue
        problem = art_problem(path)
        if problem is not None:
            yield f"{path}: {problem}"


def _unknown_keys(model: type[BaseModel], data: Any, where: str) -> Iterator[tuple[str, list[str]]]:
    """(path, known keys) for each key of `data` that `model` (or a model nested in it) does not declare."""
    if not isinstance(data, dict):
        return
    fields = model.model_fields
    for key, value in data.items():
        path = f"{where}.{key}" if where else str(key)
        field = fields.get(key)
        if field is None:
            yield path, sorted(fields)
        else:
            yield from _unknown_in(field.annotation, value, path)


def _unknown_in(annotation: Any, value: Any, where: str) -> Iterator[tuple[str, list[str]]]:
    """Follow a field's type into nested models: a model, X | None, tuples and lists, mappings."""
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from _unknown_keys(annotation, value, where)
    elif origin is Annotated:
        yield from _unknown_in(get_args(annotation)[0], value, where)
    elif origin in (Union, UnionType):
        for option in get_args(annotation):
            yield from _unknown_in(option, value, where)
    elif origin in (tuple, list) and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unknown_in(get_args(annotation)[0], item, f"{where}.{i}")
    elif origin in (dict, Mapping) and isinstance(value, dict):
        for key, item in value.items():
            yield from _unknown_in(get_args(annotation)[1], item, f"{where}.{key}")
