"""Every number that comes from outside, with its bounds, defined once.

A player types ids, pages and prices; an operator grants amounts; a designer asks for simulation sizes and seeds;
a script sets the clock (`FAYE_NOW`); Discord sends integer options up to 2**53. Each kind of number is one
definition here, with its least and greatest value and the words a refusal uses. The CLI builds its parameter
types from these definitions and Discord its option ranges, and the services check them again, so a number out
of range is a clear bad-input refusal (exit 2, an ephemeral "That doesn't work") before it can overflow a SQL
parameter, run a loop that never ends or build a `timedelta` that cannot exist.

The game data's own numbers are bounded in faye/config.py with the constants below (costs, currencies, hours,
levels), so that whatever a designer writes, the game can run with it.

This module imports nothing heavy: the CLI reads it to build `--help`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, Generic, TypeVar

from faye.errors import InvalidAmount, InvalidArgument

N = TypeVar("N", int, float)

#: JavaScript's largest safe integer. Discord sends integer options as JSON numbers and takes option ranges only
#: within ±2**53, so ids stop here in every front-end; the 64-bit id columns hold far more.
MAX_SAFE_INTEGER: Final = 2**53 - 1

#: Greatest cost or price in the game data (summon costs, auction prices): a price fits the 32-bit price column
#: on PostgreSQL, and a thousand of them a 64-bit balance.
MAX_COST: Final = 10**9
#: Greatest amount of one currency the game data may hand out at once (starting grant, daily, level-up reward).
MAX_CURRENCY: Final = 10**12
#: Greatest duration in hours anywhere (cooldowns, streak windows, listings, `wait`): a leap year.
MAX_HOURS: Final = 24 * 366
#: Greatest level a curve may have (the level column, and the XP sums over every level, stay small).
MAX_LEVEL: Final = 1_000
#: Greatest growth factor of the XP curve from one level to the next.
MAX_GROWTH: Final = 10.0
#: Greatest base stat of an Esprit.
MAX_STAT: Final = 1_000_000


def _shown(value: object) -> str:
    """The refused value, readable and short whatever it is (a 5,000-digit int cannot even be printed)."""
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        try:
            text = f"{value:,}"
        except ValueError:  # beyond Python's int-to-text limit
            return "a number of thousands of digits"
        return text if len(text) <= 40 else f"{text[:20]}… ({len(str(abs(value)))} digits)"
    if isinstance(value, float):
        return f"{value:,g}" if math.isfinite(value) else str(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _jsonable(value: object) -> Any:
    """The value for a refusal's `details` (--json output): numbers as they are, anything else (NaN, an int of
    hundreds of digits, which json cannot even write) as text."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**64:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return _shown(value)


@dataclass(frozen=True)
class Bound(Generic[N]):
    """One kind of number: an int or a float from `min` to `max` (above `min` when `exclusive_min`)."""

    kind: type[N]
    name: str
    """The field a refusal names (`details["field"]`) unless the caller names its own (`--min-price`)."""
    what: str
    """What the number is, for messages: "an Esprit id"."""
    min: N
    max: N
    unit: str = ""
    """Appended to the bounds in messages: " hours"."""
    exclusive_min: bool = False
    amount: bool = False
    """Refused as `InvalidAmount` (an amount or a size) rather than `InvalidArgument`."""

    @property
    def rule(self) -> str:
        """The bounds in words: "between 1 and 1,000,000", "more than 0 and at most 8,784 hours"."""
        low, high = _shown(self.min), _shown(self.max)
        if self.exclusive_min:
            return f"more than {low} and at most {high}{self.unit}"
        return f"between {low} and {high}{self.unit}"

    def narrowed(self, *, max: N) -> Bound[N]:
        """The same kind of number with a smaller maximum (one front-end shows fewer places)."""
        return replace(self, max=min(self.max, max))

    def check(self, value: object, field: str | None = None) -> N:
        """`value` as this kind of number, or InvalidArgument/InvalidAmount naming `field` (default `name`)."""
        number = self._coerce(value)
        if number is None or not self._within(number):
            raise self.refusal(value, field)
        return number

    def refusal(self, value: object, field: str | None = None) -> InvalidArgument | InvalidAmount:
        message = f"{self.what} is {self.rule}, not {_shown(value)}"
        details: dict[str, Any] = {
            "field": field or self.name,
            "amount" if self.amount else "value": _jsonable(value),
            "min": self.min,
            "max": self.max,
        }
        return InvalidAmount(message, **details) if self.amount else InvalidArgument(message, **details)

    def _coerce(self, value: object) -> N | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if self.kind is int:
            return value if isinstance(value, int) else None
        try:
            number = float(value)
        except OverflowError:  # an int beyond float's range
            return None
        return number if math.isfinite(number) else None  # type: ignore[return-value]  # N is float here

    def _within(self, number: N) -> bool:
        above = number > self.min if self.exclusive_min else number >= self.min
        return above and number <= self.max


@dataclass(frozen=True)
class InstantBound:
    """A clock instant: timezone-aware, from `min` to `max`."""

    name: str
    what: str
    min: datetime
    max: datetime

    @property
    def rule(self) -> str:
        return f"between {self.min:%Y-%m-%d} and {self.max:%Y-%m-%d} UTC"

    def check(self, value: datetime, field: str | None = None) -> datetime:
        """`value` in UTC, or InvalidArgument naming `field` (default `name`)."""
        where = field or self.name
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgument(
                f"{self.what} needs its UTC offset, e.g. 2026-03-01T09:00:00+00:00; got {value.isoformat()}",
                field=where,
            )
        if not self.min <= value <= self.max:
            raise InvalidArgument(
                f"{self.what} is {self.rule}, not {value.isoformat()}", field=where, value=value.isoformat()
            )
        return value.astimezone(UTC)


# --- what players and operators type --------------------------------------------------------------------

ESPRIT_ID: Final = Bound(int, "esprit_id", "an Esprit id", 1, MAX_SAFE_INTEGER)
LISTING_ID: Final = Bound(int, "listing_id", "a listing id", 1, MAX_SAFE_INTEGER)
PAGE: Final = Bound(int, "page", "a page number", 1, 1_000_000)
"""A million pages of at most 100 rows: more than any collection or auction house holds."""
PRICE: Final = Bound(int, "price", "a price", 0, MAX_COST, " faylen")
"""What a price can name at all; the game data's auction.min_price/max_price is the rule for listing (a refusal)."""
LISTING_HOURS: Final = Bound(
    float, "hours", "a listing's duration", 0.0, float(MAX_HOURS), " hours", exclusive_min=True
)
"""What a duration can be at all; the game data's auction.max_hours is the rule for listing."""
GRANT: Final = Bound(int, "amount", "a grant", 1, 10_000_000, amount=True)
LEADERBOARD_LIMIT: Final = Bound(int, "limit", "a leaderboard length", 1, 100)
LEVEL: Final = Bound(int, "level", "a level", 1, MAX_LEVEL)
TRAIN_LEVELS: Final = Bound(int, "levels", "a number of levels to train", 1, MAX_LEVEL, amount=True)
TRAIN_FAYLEN: Final = Bound(int, "faylen", "an amount of faylen to train with", 1, MAX_CURRENCY, amount=True)
KEEP: Final = Bound(int, "keep", "the copies of each species to keep", 1, 1_000)
MAX_RELEASE: Final = 1_000
"""Most Esprits one release (or ascension's --using) names: a preview lists each one."""
TRADE_ID: Final = Bound(int, "trade_id", "a trade id", 1, MAX_SAFE_INTEGER)
TRADE_AMOUNT: Final = Bound(int, "amount", "an amount to trade", 0, MAX_CURRENCY, amount=True)
TRADE_VERSION: Final = Bound(int, "version", "a trade version", 1, 2**31 - 1)

# --- what designers and scripts set ---------------------------------------------------------------------

SEED: Final = Bound(int, "seed", "a seed", 0, 2**63 - 1)
"""Any non-negative 64-bit integer: numpy's generators refuse negative seeds, and JSON and SQL carry these."""
NOW: Final = InstantBound(
    "now",
    "the game's clock",
    datetime(2000, 1, 1, tzinfo=UTC),
    datetime(2199, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
)
"""Every instant the game may act at, with room for each duration it adds (at most `MAX_HOURS`) inside what
Python's datetime and both databases represent."""
WAIT_HOURS: Final = Bound(float, "hours", "a wait", 0.0, float(MAX_HOURS), " hours")
"""`wait HOURS` in `faye play`; the clock it moves must stay within `NOW` too."""

SIM_PULLS: Final = Bound(int, "pulls", "the number of simulated pulls", 1, 10**10, amount=True)
"""About 4 minutes on one core at the largest (about 4 x 10**7 pulls a second)."""
SIM_PLAYERS: Final = Bound(int, "players", "the number of simulated players", 1, 10**7, amount=True)
"""Ten million players' pity states take about a second to draw."""
PULLS_PER_PLAYER: Final = 100_000
"""Each simulated player pulls in turn, one numpy step per pull: 100,000 steps take a few seconds."""
WORKERS: Final = Bound(int, "workers", "the number of worker processes", 1, 256)
"""Processes a summons simulation may spread over: more than any machine's cores is only overhead."""
POOL_PULLS: Final = 50_000_000
"""Fewest pulls a summons simulation spreads over workers: starting them costs up to about half a second (when they
cannot be forked, a forkserver importing numpy, then the workers; see faye.gacha.pool), what a core needs for
this many pulls."""
ECONOMY_PLAYERS: Final = Bound(int, "players", "the number of simulated players", 1, 100_000, amount=True)
ECONOMY_DAYS: Final = Bound(int, "days", "the number of simulated days", 1, 3_650, amount=True)
PLAYER_DAYS: Final = 100_000_000
"""players x days of an economy projection: about 45 seconds at the largest (about 2 x 10**6 a second)."""


def check_summons_size(pulls: int, players: int) -> None:
    """Refuse a summons simulation that would not end in minutes: InvalidAmount naming pulls or players."""
    SIM_PULLS.check(pulls)
    SIM_PLAYERS.check(players)
    each = -(-pulls // players)
    if each > PULLS_PER_PLAYER:
        raise InvalidAmount(
            f"each simulated player makes at most {PULLS_PER_PLAYER:,} pulls, not {each:,} "
            f"({pulls:,} pulls for {players:,} players); simulate more players",
            field="pulls",
            amount=pulls,
            max=PULLS_PER_PLAYER * players,
        )


def check_economy_size(players: int, days: int) -> None:
    """Refuse an economy projection that would not end in a minute: InvalidAmount naming players or days."""
    ECONOMY_PLAYERS.check(players)
    ECONOMY_DAYS.check(days)
    if players * days > PLAYER_DAYS:
        raise InvalidAmount(
            f"players x days is at most {PLAYER_DAYS:,}, not {players * days:,}; simulate fewer players or days",
            field="players",
            amount=players,
            max=PLAYER_DAYS // days,
        )


PROGRESSION_PLAYERS: Final = Bound(int, "players", "the number of simulated players", 1, 20_000, amount=True)
"""At the largest, 20,000 players over 3,650 days take about a minute (about 10**6 player-days a second)."""
PROGRESSION_DAYS: Final = Bound(int, "days", "the number of simulated days", 1, 3_650, amount=True)
PROGRESSION_DEFAULT_PLAYERS: Final = 2_000
PROGRESSION_DEFAULT_DAYS: Final = 365
PROGRESSION_CELLS: Final = 10_000_000
"""players x milestones (every level to the highest cap, and every rank) a progression run keeps: its tables take
20 bytes a cell, about 200 MB at the largest."""


def check_progression_size(players: int, days: int, milestones: int = 1) -> None:
    """Refuse a progression run beyond the bounds, or whose milestone tables would not fit in memory:
    InvalidAmount naming players or days."""
    PROGRESSION_PLAYERS.check(players)
    PROGRESSION_DAYS.check(days)
    if players * milestones > PROGRESSION_CELLS:
        raise InvalidAmount(
            f"players x milestones ({milestones:,} levels and ranks) is at most {PROGRESSION_CELLS:,}, not "
            f"{players * milestones:,}; simulate fewer players",
            field="players",
            amount=players,
            max=PROGRESSION_CELLS // milestones,
        )


BANNER_COPIES: Final = Bound(int, "copies", "the number of copies", 1, 10, amount=True)
"""The exact walk keeps one row per copy: ten copies of a featured top-tier Esprit take about half a second; of
an Esprit no pity bounds (a featured Mythic), about ten."""
BANNER_BUDGET: Final = Bound(int, "budget", "a budget of pulls", 1, 10_000, amount=True)
"""More pulls than ten copies of a featured top-tier Esprit can take (1,800 at most with the shipped pity)."""
BANNER_PLAYERS: Final = Bound(int, "players", "the number of simulated players", 1, 100_000, amount=True)
"""Players of a copies or collection simulation, all pulling together until each is done."""
BANNER_DEFAULT_PLAYERS: Final = 4_000


# --- faye sim battles ---

BATTLES_PER_PAIR: Final = Bound(int, "battles", "the number of battles per pair", 1, 100_000, amount=True)
MATRIX_DEFAULT_BATTLES: Final = 1_000
MATRIX_BATTLES: Final = 50_000_000
"""Most battles one matrix may hold (Esprits squared x battles per pair): about a quarter of an hour on two cores."""
ASCENSION: Final = Bound(int, "ascension", "an ascension rank", 0, 20)
"""What a rank can be at all (faye.config.MAX_RANK); the game data's ascension.max_rank is the rule."""
TEAM_SIZE: Final = Bound(int, "team_size", "a team size", 1, 3)
TIER_BAND: Final = Bound(float, "band", "a tier band", 0.0, 1.0, exclusive_min=True)
MATRIX_DEFAULT_BAND: Final = 0.1
MOVE_THRESHOLD: Final = Bound(float, "threshold", "a win-rate change", 0.0, 1.0, exclusive_min=True)
MATRIX_DEFAULT_THRESHOLD: Final = 0.05


def check_matrix_size(esprits: int, battles: int) -> None:
    """Refuse a matrix that would not end in minutes: InvalidAmount naming battles."""
    BATTLES_PER_PAIR.check(battles)
    total = esprits * esprits * battles
    if total > MATRIX_BATTLES:
        raise InvalidAmount(
            f"a matrix holds at most {MATRIX_BATTLES:,} battles, not {total:,} ({esprits} x {esprits} pairs x "
            f"{battles:,}); ask for fewer battles per pair",
            field="battles",
            amount=battles,
            max=MATRIX_BATTLES // max(1, esprits * esprits),
        )
