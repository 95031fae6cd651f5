"""Live summons through the real service give the exact long-run rates: one rule, called by both.

20,000 pulls (2,000 10-pulls) by one seeded player on a temp SQLite file, compared with the Markov chain's
long-run rates by a chi-square test. The seed is fixed, so the outcome is too; a table the game does not
implement (the base rates, pity ignored) is rejected by the same statistic, so the check can fail.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import pytest_asyncio
from scipy.stats import chisquare

from faye.clock import FixedClock
from faye.config import GameConfig
from faye.gacha.exact import PityChain
from faye.services.admin import CONSOLE
from tests.conftest import START, fresh_database, open_app, register

TEN_PULLS = 2_000
LIVE_SEED = 2024
#: Reject below this p-value.
ALPHA = 0.001


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live_counts(config: GameConfig, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Tier counts of 20,000 live pulls, in the config's tier order."""
    summon = config.settings.summon
    path: Path = tmp_path_factory.mktemp("live")
    counts: Counter[str] = Counter()
    async with fresh_database("sqlite", path) as url, open_app(url, FixedClock(START), seed=LIVE_SEED) as app:
        await register(app, "designer")
        await app.admin.grant(CONSOLE, "designer", summon.currency.value, TEN_PULLS * summon.ten_cost)
        for _ in range(TEN_PULLS):
            result = await app.summons.summon("designer", 10)
            counts.update(esprit.rarity for esprit in result.esprits)
    return np.array([counts[name] for name in config.tier_names])


def test_live_summons_match_the_exact_long_run_rates(live_counts: np.ndarray, chain: PityChain) -> None:
    assert live_counts.sum() == 10 * TEN_PULLS
    expected = chain.rates * live_counts.sum()
    assert chisquare(live_counts, expected).pvalue > ALPHA


def test_a_table_the_game_does_not_implement_is_rejected(live_counts: np.ndarray, chain: PityChain) -> None:
    without_pity = np.array([rule.base for rule in chain.states.table.rules])
    assert chisquare(live_counts, without_pity * live_counts.sum()).pvalue < ALPHA
