"""A summon's result carries the pity rule it was drawn under, so no front-end re-reads the game data for it."""

from __future__ import annotations

from faye.clock import FixedClock
from faye.config import GameConfig, PityRule, RarityTier
from tests.conftest import open_app, register
from tests.service.test_summon import with_tiers


async def test_summon_result_carries_the_hard_caps(db_url: str, clock: FixedClock, config: GameConfig) -> None:
    tiers = [
        RarityTier(name=t.name, weight=t.weight, pity=PityRule(soft_start=5, soft_step=0.2, hard=7) if t.pity else None)
        for t in config.tiers
    ]
    async with open_app(db_url, clock, config=with_tiers(config, tiers)) as app:
        await register(app, "ana")
        result = await app.summons.summon("ana", 1)
    with_pity = [t.name for t in config.tiers if t.pity is not None]
    assert with_pity  # the shipped game data has pity tiers
    assert result.hard_pity == dict.fromkeys(with_pity, 7)
    assert result.pity.keys() == result.hard_pity.keys()
