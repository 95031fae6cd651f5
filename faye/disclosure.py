"""The odds players are shown, from the game data: the one call every front-end makes for it.

`faye rates` and Discord's /rates both call `disclose_rates`, so they cannot drift apart. Every banner shares the
tier list and the pity rule, so the tier table is every banner's; a banner changes which Esprit a pull of a tier
gives, and the disclosure lists each Esprit's long-run rate on the banner asked for (the standard one by default).
The simulators are one call each already: `faye.gacha.simulate.simulate_summons`,
`faye.gacha.economy.project_economy`, and for banners `faye.gacha.banner_sim.pulls_for_copies` and
`complete_collection`, all taking the same GameConfig.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from faye.config import GameConfig
from faye.gacha.banner_odds import esprit_odds, find_banner
from faye.gacha.banners import BannerRule
from faye.gacha.exact import Disclosure, PityChain, disclose
from faye.gacha.pity import RarityTable


def disclose_rates(config: GameConfig, banner_id: str | None = None, *, at: datetime | None = None) -> Disclosure:
    """The exact odds disclosure of the game data's rarity tiers and pity rules (no sampling), with every
    Esprit's long-run rate on the banner `banner_id` (default: the standard banner).

    Refuses NotFound for a banner the game data does not define, naming it and the banners open at `at` (every
    banner when `at` is None)."""
    banner = find_banner(config, banner_id, at)
    chain = PityChain.of(RarityTable.from_config(config))
    disclosure = disclose(chain)
    return replace(disclosure, banner=banner.banner_id, esprits=esprit_odds(BannerRule.of(config, banner), chain.rates))
