"""The banner rule: which Esprit a pull of a tier gives on a banner, with its featured share and guarantee.

The tier comes first, from the pity rule (`faye.gacha.pity`) and the counters of the banner's pity group. Then,
within a tier the banner features: a pending guarantee makes the pull featured; otherwise it is featured with
probability `featured_share`, and a non-featured pull sets the guarantee (when the tier has one). A featured
pull clears it. Featured Esprits are chosen uniformly among the tier's featured ones, the others uniformly among
the rest of the tier; a tier the banner does not feature draws uniformly from the whole tier, as the standard
banner always has (and with the same calls on the RNG, so a seeded standard summon is what it was before
banners).

Live summons, the exact per-Esprit rates and the simulator all call `BannerRule`, so the odds disclosed are the
odds delivered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faye.config import Banner, EspritDef, GameConfig


@dataclass(frozen=True, slots=True)
class TierDraw:
    """How one tier draws on one banner."""

    featured: tuple[EspritDef, ...]
    """The tier's featured Esprits on this banner, in file order; empty when the tier is not featured."""
    others: tuple[EspritDef, ...]
    """The rest of the tier (sorted by id, as `GameConfig.esprits_by_tier`); the whole tier when not featured."""
    share: float
    guarantee: bool

    @property
    def has_featured(self) -> bool:
        return bool(self.featured)

    @property
    def featured_long_run(self) -> float:
        """The long-run share of this tier's pulls that are featured.

        The guarantee is a two-state chain driven by this tier's pulls alone (the tier draw never looks at it):
        with no guarantee pending a pull is featured with probability s and otherwise sets the guarantee; with
        one pending it is featured and clears it. Its stationary law gives 1 / (2 - s): 2/3 for s = 0.5.
        Without a guarantee every pull is featured with probability s.
        """
        if not self.featured:
            return 0.0
        return 1.0 / (2.0 - self.share) if self.guarantee else self.share


@dataclass(frozen=True, slots=True)
class Drawn:
    esprit: EspritDef
    featured: bool
    pending: bool
    """Whether a guarantee is pending for this tier after the pull."""


@dataclass(frozen=True)
class BannerRule:
    """A banner's draw within each tier (same order as `GameConfig.tiers`)."""

    banner: Banner
    tiers: tuple[TierDraw, ...]

    @classmethod
    def of(cls, config: GameConfig, banner: Banner) -> BannerRule:
        draws = []
        for name, members in zip(config.tier_names, config.esprits_by_tier, strict=True):
            spec = banner.featured.get(name)
            if spec is None:
                draws.append(TierDraw((), members, 1.0, False))
                continue
            featured = tuple(config.esprits_by_id[e] for e in spec.esprits)
            others = tuple(e for e in members if e.esprit_id not in spec.esprits)
            draws.append(TierDraw(featured, others, spec.featured_share, spec.guarantee))
        return cls(banner, tuple(draws))

    @property
    def group(self) -> str:
        return self.banner.group

    def draw(self, tier: int, pending: bool, rng: random.Random) -> Drawn:
        """The Esprit of a pull of `tier`, given whether a guarantee is pending for that tier in the group."""
        rule = self.tiers[tier]
        if not rule.featured:
            return Drawn(rng.choice(rule.others), False, pending)
        featured = pending or not rule.others or rng.random() < rule.share
        if featured:
            return Drawn(rng.choice(rule.featured), True, False)
        return Drawn(rng.choice(rule.others), False, rule.guarantee)

    def esprit_rates(self, tier_rates: tuple[float, ...] | list[float]) -> list[tuple[EspritDef, bool, float]]:
        """Every Esprit's long-run probability per pull, from the tiers' long-run rates: (Esprit, featured, rate).

        Exact: a tier's pulls are featured at `featured_long_run`, shared evenly among its featured Esprits; the
        rest is shared evenly among the others. The rates of a tier add up to its rate, so all add up to 1.
        """
        out: list[tuple[EspritDef, bool, float]] = []
        for rule, rate in zip(self.tiers, tier_rates, strict=True):
            featured = rule.featured_long_run
            out.extend((e, True, rate * featured / len(rule.featured)) for e in rule.featured)
            if rule.others:
                out.extend((e, False, rate * (1.0 - featured) / len(rule.others)) for e in rule.others)
        return out
