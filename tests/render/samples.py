"""Service results built by hand, so render tests and the render benchmark need no database."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from faye import progression
from faye.config import GameConfig, load_config
from faye.results import Balance, Cost, EspritDetail, Profile, SummonedEsprit, SummonResult
from faye.settings import DEFAULT_CONFIG_DIR

WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TEN_PULL = (
    "ember_fox_kit",
    "gale_sparrow",
    "tidecaller_otter",
    "glacier_lynx",
    "mossback_tortoise",
    "nyxveil_empress",
    "frostnip_hare",
    "reefshell_crab",
    "cinderforge_drake",
    "duskwing_bat",
)


@cache
def game_config() -> GameConfig:
    return load_config(DEFAULT_CONFIG_DIR)


def detail(
    config: GameConfig,
    esprit_id: str,
    *,
    level: int = 17,
    hp: int | None = None,
    xp: int = 245,
    ascension: int = 0,
    locked: bool = False,
    name: str | None = None,
) -> EspritDetail:
    """A player's Esprit at `level` and rank `ascension` (stats by faye.progression, as the service gives them),
    wounded to 60 % HP unless `hp` says otherwise; at its level cap it has no XP and no next level."""
    esprit = config.esprits_by_id[esprit_id]
    rules = config.progression
    stats = progression.stats_at(rules, esprit.rarity, progression.base_stats(esprit), level, ascension)
    cap = progression.level_cap(rules, ascension)
    at_cap = level >= cap
    max_hp = int(stats["hp"])
    return EspritDetail(
        id=42,
        esprit_id=esprit_id,
        name=esprit.name if name is None else name,
        rarity=esprit.rarity,
        level=level,
        xp=0 if at_cap else xp,
        hp=round(max_hp * 0.6) if hp is None else hp,
        max_hp=max_hp,
        element=esprit.element,
        role=esprit.role,
        active=True,
        acquired_at=WHEN,
        ascension=ascension,
        level_cap=cap,
        locked=locked,
        xp_to_next=None if at_cap else progression.xp_to_next(rules.rarities[esprit.rarity], level),
        owner_id="ana",
        description=esprit.description,
        stats=stats,
    )


def balance() -> Balance:
    return Balance(user_id="ana", username="Ana", faylen=12_480, virelite=35, gems=1_600, level=12, xp=5_230)


def summon_result(config: GameConfig, esprit_ids: tuple[str, ...] = TEN_PULL, *, pity_at: int = 8) -> SummonResult:
    pulls = [
        SummonedEsprit(
            id=100 + i,
            esprit_id=esprit_id,
            name=config.esprits_by_id[esprit_id].name,
            rarity=config.esprits_by_id[esprit_id].rarity,
            pity_triggered=i == pity_at,
        )
        for i, esprit_id in enumerate(esprit_ids)
    ]
    amount = config.settings.summon.cost(len(pulls))
    return SummonResult(
        cost=Cost(currency=config.settings.summon.currency.value, amount=amount),
        esprits=pulls,
        pity={"Epic": 0, "Legendary": 0},
        hard_pity={"Epic": 10, "Legendary": 90},
        xp_gained=100,
        level_ups=[],
        balance=balance(),
    )


def profile(
    config: GameConfig,
    *,
    active: str | None = "glacier_lynx",
    username: str = "Ana",
    best: EspritDetail | None = None,
) -> Profile:
    counts = dict.fromkeys(config.tier_names, 0) | {"Common": 14, "Uncommon": 9, "Rare": 5, "Epic": 2, "Legendary": 1}
    return Profile(
        **{**balance().__dict__, "username": username},
        xp_into_level=730,
        xp_for_next_level=1_200,
        daily_streak=6,
        next_daily_at=None,
        collection_size=sum(counts.values()),
        collection_by_rarity=counts,
        active_esprit=detail(config, active) if active is not None else None,
        created_at=WHEN,
        best_esprit=best,
    )
