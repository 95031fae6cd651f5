"""Shared pieces of the designer-tool tests: reference tier lists and the shipped chain."""

from __future__ import annotations

import pytest

from faye.config import GameConfig, PityRule, RarityTier
from faye.gacha.exact import PityChain
from faye.gacha.pity import RarityTable
from tests.cli.conftest import cli_env, faye  # noqa: F401  (the CLI tests' isolated `faye` runner)

#: The Genshin Impact 5-star rule: 0.6 %, soft pity from pull 74 at +6 % a pull, hard pity at 90.
GENSHIN = PityRule(soft_start=74, soft_step=0.06, hard=90)
#: The same base rate with hard pity only.
HARD_ONLY = PityRule(soft_start=90, soft_step=0.06, hard=90)


def top_tier(pity: PityRule | None, weight: float = 0.006) -> RarityTable:
    return RarityTable([RarityTier(name="Common", weight=1 - weight), RarityTier(name="Top", weight=weight, pity=pity)])


@pytest.fixture(scope="session")
def chain(config: GameConfig) -> PityChain:
    """The exact chain of the shipped tiers."""
    return PityChain.of(RarityTable.from_config(config))
