"""Live summons on a limited banner give the exact per-Esprit rates: the honest-odds proof, extended to banners.

3,000 pulls (300 10-pulls) by one seeded player through the real service on a temp SQLite file, inside the
banner's window, compared by a chi-square test with the exact long-run rate of every Esprit
(`disclose_rates(config, banner)`). Esprits of the common tiers are cells of their own; the rare tiers' are
pooled into featured and not featured, so every cell expects enough pulls for the test to hold. The seed is
fixed, so the outcome is too; rates that ignore the banner (uniform within each tier) are rejected by the same
statistic, so the check can fail.
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
from faye.disclosure import disclose_rates
from faye.gacha.exact import EspritOdds
from faye.services.admin import CONSOLE
from tests.conftest import START, fresh_database, open_app, register

BANNER = "solheart_2026_01"
TEN_PULLS = 300
LIVE_SEED = 2026
#: Reject below this p-value.
ALPHA = 0.001
#: Tiers whose Esprits are pooled into featured / not featured (too rare for a cell each in 3,000 pulls).
POOLED = ("Mythic", "Legendary")


def cell(odds: EspritOdds) -> str:
    if odds.tier in POOLED:
        return f"{odds.tier} {'featured' if odds.featured else 'others'}"
    return odds.esprit_id


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live_esprits(config: GameConfig, tmp_path_factory: pytest.TempPathFactory) -> Counter[str]:
    """How often each Esprit came in 3,000 live pulls on the banner, and how often a pull was marked featured."""
    summon = config.settings.summon
    path: Path = tmp_path_factory.mktemp("live-banner")
    counts: Counter[str] = Counter()
    async with fresh_database("sqlite", path) as url, open_app(url, FixedClock(START), seed=LIVE_SEED) as app:
        assert config.banners_by_id[BANNER].is_open(START)
        await register(app, "designer")
        await app.admin.grant(CONSOLE, "designer", summon.currency.value, TEN_PULLS * summon.ten_cost)
        for _ in range(TEN_PULLS):
            result = await app.summons.summon("designer", 10, BANNER)
            counts.update(esprit.esprit_id for esprit in result.esprits)
            counts.update("featured" for esprit in result.esprits if esprit.featured)
    return counts


def observed_and_expected(counts: Counter[str], odds: list[EspritOdds]) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected pulls of each cell, in the order of `odds`."""
    cells = list(dict.fromkeys(cell(o) for o in odds))
    observed: Counter[str] = Counter()
    expected: dict[str, float] = dict.fromkeys(cells, 0.0)
    for o in odds:
        observed[cell(o)] += counts[o.esprit_id]
        expected[cell(o)] += o.rate
    total = sum(observed.values())
    return np.array([observed[c] for c in cells]), np.array([expected[c] for c in cells]) * total


def test_live_banner_summons_match_the_exact_esprit_rates(config: GameConfig, live_esprits: Counter[str]) -> None:
    odds = disclose_rates(config, BANNER).esprits
    observed, expected = observed_and_expected(live_esprits, odds)
    assert observed.sum() == 10 * TEN_PULLS
    assert expected.min() > 10  # every cell expects enough pulls for the chi-square approximation
    assert chisquare(observed, expected).pvalue > ALPHA


def test_only_featured_esprits_come_as_featured(config: GameConfig, live_esprits: Counter[str]) -> None:
    featured = {o.esprit_id for o in disclose_rates(config, BANNER).esprits if o.featured}
    assert live_esprits["featured"] == sum(live_esprits[e] for e in featured)
    assert live_esprits["solheart_phoenix"] > 0


def test_rates_that_ignore_the_banner_are_rejected(config: GameConfig, live_esprits: Counter[str]) -> None:
    standard = disclose_rates(config).esprits  # uniform within each tier, as if nothing were featured
    featured = {o.esprit_id for o in disclose_rates(config, BANNER).esprits if o.featured}
    relabelled = [
        EspritOdds(o.esprit_id, o.name, o.tier, o.esprit_id in featured, o.rate) for o in standard
    ]  # same cells as the banner's, the standard banner's rates
    observed, expected = observed_and_expected(live_esprits, relabelled)
    assert chisquare(observed, expected).pvalue < ALPHA
