"""The odds players are shown, from the game data: the one call every front-end makes for it.

`faye rates` and Discord's /rates both call `disclose_rates`, so they cannot drift apart; when banners add
their own tier lists and rules, the wiring from the game data to the Markov chain grows here and nowhere else.
The simulators are one call each already: `faye.gacha.simulate.simulate_summons` and
`faye.gacha.economy.project_economy` take the same GameConfig.
"""

from __future__ import annotations

from faye.config import GameConfig
from faye.gacha.exact import Disclosure, PityChain, disclose
from faye.gacha.pity import RarityTable


def disclose_rates(config: GameConfig) -> Disclosure:
    """The exact odds disclosure of the game data's rarity tiers and pity rules (no sampling)."""
    return disclose(PityChain.of(RarityTable.from_config(config)))
