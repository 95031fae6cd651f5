"""Game data: data/config/*.json loaded once and validated into frozen models.

Designers change the game here without code, so every mistake is reported with the file, the field and what
was expected, all problems at once (a `ConfigError`), never as a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from faye.errors import ConfigError


class Currency(StrEnum):
    FAYLEN = "faylen"
    VIRELITE = "virelite"
    GEMS = "gems"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


NonNegInt = Annotated[int, Field(ge=0)]
PosInt = Annotated[int, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]


# --- esprits.json ---------------------------------------------------------------------------------------


class EspritStats(_Frozen):
    hp: PosInt
    attack: NonNegInt
    defense: NonNegInt
    speed: NonNegInt
    magic: NonNegInt
    magic_resist: NonNegInt
    crit_rate: Fraction
    dodge: Fraction


class EspritDef(_Frozen):
    esprit_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=40)]
    rarity: str
    element: Annotated[str, Field(min_length=1)]
    role: Annotated[str, Field(min_length=1)]
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

    soft_start: PosInt
    soft_step: Annotated[float, Field(gt=0, le=1)]
    hard: PosInt

    @model_validator(mode="after")
    def _ordered(self) -> PityRule:
        if self.soft_start > self.hard:
            raise ValueError(f"soft_start ({self.soft_start}) must be <= hard ({self.hard})")
        return self


class RarityTier(_Frozen):
    name: Annotated[str, Field(min_length=1, max_length=24)]
    weight: Annotated[float, Field(gt=0)]
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
    faylen: NonNegInt
    virelite: NonNegInt
    gems: NonNegInt
    level: PosInt = 1

    def currencies(self) -> dict[Currency, int]:
        return {Currency.FAYLEN: self.faylen, Currency.VIRELITE: self.virelite, Currency.GEMS: self.gems}


class SummonSettings(_Frozen):
    currency: Currency
    single_cost: PosInt
    ten_cost: PosInt
    xp_per_pull: NonNegInt

    def cost(self, amount: int) -> int:
        return self.single_cost if amount == 1 else self.ten_cost


class CurrencyAmounts(_Frozen):
    faylen: NonNegInt = 0
    virelite: NonNegInt = 0
    gems: NonNegInt = 0

    def items(self) -> list[tuple[Currency, int]]:
        return [(c, getattr(self, c.value)) for c in Currency]


class DailySettings(_Frozen):
    """reward = (base + per_level x (level - 1)) x (1 + min(streak_bonus_cap, streak_bonus_per_day x (streak - 1)))"""

    cooldown_hours: Annotated[float, Field(gt=0)]
    streak_window_hours: Annotated[float, Field(gt=0)]
    base: CurrencyAmounts
    per_level: CurrencyAmounts
    streak_bonus_per_day: Annotated[float, Field(ge=0)]
    streak_bonus_cap: Annotated[float, Field(ge=0)]
    xp: NonNegInt

    @model_validator(mode="after")
    def _window(self) -> DailySettings:
        if self.streak_window_hours < self.cooldown_hours:
            raise ValueError("streak_window_hours must be >= cooldown_hours, or no streak could ever grow")
        return self


class LevelCurve(_Frozen):
    """XP needed to go from level L to L+1 is round(base x growth^(L-1)); levels stop at max_level."""

    base: PosInt
    growth: Annotated[float, Field(ge=1)]
    max_level: PosInt
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


class GameSettings(_Frozen):
    starting: StartingGrant
    starter_pool: Annotated[tuple[str, ...], Field(min_length=1)]
    summon: SummonSettings
    daily: DailySettings
    xp: LevelCurve
    inventory_page_size: Annotated[int, Field(ge=1, le=100)] = 10


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


class GameConfig(_Frozen):
    """Everything a designer can change, cross-checked between files."""

    model_config = ConfigDict(frozen=True, extra="ignore", ignored_types=(cached_property,))

    esprits: tuple[EspritDef, ...]
    tiers: tuple[RarityTier, ...]
    settings: GameSettings
    visuals: Mapping[str, RarityVisual]
    stat_icons: Mapping[str, str]

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
            if name not in self.visuals:
                problems.append(f"{VISUALS_FILE}: rarities.{name}: missing; every tier needs a colour and emoji")
        return problems


_M = TypeVar("_M", bound=BaseModel)


def _read_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: file not found in {path.parent}")
    except json.JSONDecodeError as exc:
        problems.append(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: cannot be read ({exc})")
    return None


def _describe(exc: ValidationError, filename: str) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        given = err.get("input")
        shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
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


def load_config(config_dir: Path) -> GameConfig:
    """Read and validate every data file in `config_dir`; raise `ConfigError` listing all problems."""
    problems: list[str] = []
    if not config_dir.is_dir():
        raise ConfigError([f"{config_dir}: config directory not found"])
    esprits = _parse(EspritsFile, _read_json(config_dir / ESPRITS_FILE, problems), ESPRITS_FILE, problems)
    tiers = _parse(RarityTiersFile, _read_json(config_dir / TIERS_FILE, problems), TIERS_FILE, problems)
    settings = _parse(GameSettings, _read_json(config_dir / SETTINGS_FILE, problems), SETTINGS_FILE, problems)
    visuals = _parse(RarityVisualsFile, _read_json(config_dir / VISUALS_FILE, problems), VISUALS_FILE, problems)
    icons = _parse(StatIconsFile, _read_json(config_dir / ICONS_FILE, problems), ICONS_FILE, problems)
    if esprits is None or tiers is None or settings is None or visuals is None or icons is None:
        raise ConfigError(problems)
    config = GameConfig(
        esprits=esprits.esprits,
        tiers=tiers.tiers,
        settings=settings,
        visuals=visuals.rarities,
        stat_icons=icons.stats,
    )
    problems.extend(config.cross_check())
    if problems:
        raise ConfigError(problems)
    return config
