"""Service results built by hand, so render tests and the render benchmark need no database."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

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
    config: GameConfig, esprit_id: str, *, level: int = 17, hp: int | None = None, xp: int = 2450
) -> EspritDetail:
    """A player's Esprit, wounded to 60 % HP unless `hp` says otherwise."""
    esprit = config.esprits_by_id[esprit_id]
    return EspritDetail(
        id=42,
        esprit_id=esprit_id,
        name=esprit.name,
        rarity=esprit.rarity,
        level=level,
        xp=xp,
        hp=round(esprit.stats.hp * 0.6) if hp is None else hp,
        max_hp=esprit.stats.hp,
        element=esprit.element,
        role=esprit.role,
        active=True,
        acquired_at=WHEN,
        owner_id="ana",
        description=esprit.description,
        stats=dict(esprit.stats.model_dump()),
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


def profile(config: GameConfig, *, active: str | None = "glacier_lynx", username: str = "Ana") -> Profile:
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
    )
