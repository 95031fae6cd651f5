"""The plain, frozen values the renderers draw, and their converters from game data and service results.

Renderers never see a GameConfig or a database row: everything they need (the rarity's colour and rank, the
stat icons, the lore) is resolved here once. Because these values are frozen and hashable they double as the
keys of the render caches, which is what keeps the caches correct and thread-safe without locks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from faye import progression
from faye.config import EspritDef, GameConfig
from faye.display import standouts
from faye.render.colors import FALLBACK_RARITY
from faye.results import EspritDetail, OwnedEsprit, Profile, SummonedEsprit, SummonResult


@dataclass(frozen=True)
class Rarity:
    name: str
    color: str
    """'#RRGGBB' from rarity_visuals.json."""
    rank: int
    """0 for the lowest tier; a card shows rank + 1 stars."""


@dataclass(frozen=True)
class Stat:
    name: str
    value: float
    icon: str
    """The emoji from stat_icons.json; drawn when the font has it, else the stat's own vector icon."""


@dataclass(frozen=True)
class ArtSpec:
    """Everything procedural art depends on, and nothing more, so art is cached per Esprit, not per card."""

    esprit_id: str
    element: str
    form: str
    """An EspritForm value; '' for an Esprit no longer in esprits.json (its body plan is then chosen by seed)."""
    rarity: Rarity
    stats: tuple[Stat, ...]


@dataclass(frozen=True)
class CardFace:
    """What an Esprit always looks like: drawn once per process and cached."""

    esprit_id: str
    name: str
    rarity: Rarity
    element: str
    role: str
    lore: str
    stats: tuple[Stat, ...]
    """As the card shows them: at the Esprit's level and ascension rank."""
    form: str = ""
    art_stats: tuple[Stat, ...] | None = None
    """The species' own stats, which shape its art; None when they are `stats`. Kept apart so an Esprit's art
    stays the same (and stays cached) as it levels up."""

    @property
    def art(self) -> ArtSpec:
        stats = self.stats if self.art_stats is None else self.art_stats
        return ArtSpec(self.esprit_id, self.element, self.form, self.rarity, stats)

    @property
    def max_hp(self) -> int:
        return next((int(s.value) for s in self.stats if s.name == "hp"), 0)


@dataclass(frozen=True)
class CardState:
    """What changes as the Esprit is played: drawn fresh on every card."""

    level: int
    hp: int
    max_hp: int
    xp: int | None = None
    """None on a card drawn from the game data rather than a player's Esprit."""
    instance_id: int | None = None
    active: bool = False
    level_cap: int | None = None
    """None on a card drawn from the game data: it shows no XP bar."""
    xp_to_next: int | None = None
    """XP the current level needs in all; None at the level cap (the bar is full)."""
    ascension: int = 0
    max_rank: int = 0
    """progression.json's highest rank: the card shows that many slots, `ascension` of them filled; 0 hides them."""
    locked: bool = False


@dataclass(frozen=True)
class CardData:
    face: CardFace
    state: CardState


@dataclass(frozen=True)
class Pull:
    face: CardFace
    instance_id: int
    pity: bool


@dataclass(frozen=True)
class SummonData:
    pulls: tuple[Pull, ...]
    cost_amount: int
    cost_currency: str

    @property
    def highlighted(self) -> frozenset[int]:
        """Indexes of the rarest pulls, by the one rule every front-end marks them with (faye.display)."""
        return standouts([p.face.rarity.rank for p in self.pulls])


@dataclass(frozen=True)
class ProfileData:
    username: str
    user_id: str
    level: int
    xp_into_level: int
    xp_for_next_level: int | None
    """None at the maximum level."""
    faylen: int
    virelite: int
    gems: int
    daily_streak: int
    collection_size: int
    collection: tuple[tuple[Rarity, int], ...]
    """Esprits owned per tier, lowest tier first."""
    active: CardData | None
    best: CardData | None = None
    """The most advanced Esprit (rank, then level); None when the player has none."""


# --- converters -----------------------------------------------------------------------------------------


def rarity_of(name: str, config: GameConfig) -> Rarity:
    visual = config.visuals.get(name)
    return Rarity(
        name=name,
        color=visual.color if visual is not None else FALLBACK_RARITY,
        rank=config.tier_rank.get(name, 0),
    )


def stats_of(values: dict[str, float], config: GameConfig) -> tuple[Stat, ...]:
    return tuple(Stat(name, float(value), config.stat_icons.get(name, "")) for name, value in values.items())


def face_of(esprit: EspritDef, config: GameConfig) -> CardFace:
    return CardFace(
        esprit_id=esprit.esprit_id,
        name=esprit.name,
        rarity=rarity_of(esprit.rarity, config),
        element=esprit.element,
        role=esprit.role,
        lore=esprit.description,
        stats=stats_of(esprit.stats.model_dump(), config),
        form=esprit.form.value,
    )


def _face_of_pulled(esprit: OwnedEsprit | SummonedEsprit, config: GameConfig) -> CardFace:
    """The game data's face of an owned Esprit; a bare one if its definition left esprits.json since."""
    known = config.esprits_by_id.get(esprit.esprit_id)
    if known is not None:
        return face_of(known, config)
    element, role = (esprit.element, esprit.role) if isinstance(esprit, OwnedEsprit) else ("", "")
    return CardFace(
        esprit_id=esprit.esprit_id,
        name=esprit.name,
        rarity=rarity_of(esprit.rarity, config),
        element=element,
        role=role,
        lore="",
        stats=(),
    )


def _grown(face: CardFace, stats: dict[str, float], config: GameConfig) -> CardFace:
    """`face` showing `stats`, its art still shaped by the species' own."""
    return replace(face, stats=stats_of(stats, config), art_stats=face.stats)


def card_from_def(esprit: EspritDef, config: GameConfig, *, level: int = 1) -> CardData:
    """A card straight from esprits.json: the stats at `level` (rank 0), full HP, no owner."""
    base = progression.base_stats(esprit)
    face = _grown(
        face_of(esprit, config), progression.stats_at(config.progression, esprit.rarity, base, level, 0), config
    )
    return CardData(face, CardState(level=level, hp=face.max_hp, max_hp=face.max_hp))


def card_from_owned(esprit: OwnedEsprit, config: GameConfig) -> CardData:
    """A player's Esprit: its level, XP, rank, lock, HP and stats at its level on the face its definition gives.

    A detail carries the database's own stats and lore, which win over esprits.json; a bare OwnedEsprit gets
    its stats from faye.progression, the rules the service levels it by (esprits.json's at level 1 if its
    species left the game data).
    """
    face = _face_of_pulled(esprit, config)
    known = config.esprits_by_id.get(esprit.esprit_id)
    if isinstance(esprit, EspritDetail):
        face = replace(_grown(face, esprit.stats, config), lore=esprit.description)
    elif known is not None:
        rules = config.progression
        base = progression.base_stats(known)
        face = _grown(face, progression.stats_at(rules, known.rarity, base, esprit.level, esprit.ascension), config)
    state = CardState(
        level=esprit.level,
        hp=esprit.hp,
        max_hp=esprit.max_hp,
        xp=esprit.xp,
        instance_id=esprit.id,
        active=esprit.active,
        level_cap=esprit.level_cap,
        xp_to_next=esprit.xp_to_next,
        ascension=esprit.ascension,
        max_rank=config.progression.ascension.max_rank,
        locked=esprit.locked,
    )
    return CardData(face, state)


def summon_data(result: SummonResult, config: GameConfig) -> SummonData:
    return SummonData(
        pulls=tuple(Pull(_face_of_pulled(e, config), e.id, e.pity_triggered) for e in result.esprits),
        cost_amount=result.cost.amount,
        cost_currency=result.cost.currency,
    )


def profile_data(profile: Profile, config: GameConfig) -> ProfileData:
    return ProfileData(
        username=profile.username,
        user_id=profile.user_id,
        level=profile.level,
        xp_into_level=profile.xp_into_level,
        xp_for_next_level=profile.xp_for_next_level,
        faylen=profile.faylen,
        virelite=profile.virelite,
        gems=profile.gems,
        daily_streak=profile.daily_streak,
        collection_size=profile.collection_size,
        collection=tuple((rarity_of(name, config), n) for name, n in profile.collection_by_rarity.items()),
        active=card_from_owned(profile.active_esprit, config) if profile.active_esprit is not None else None,
        best=card_from_owned(profile.best_esprit, config) if profile.best_esprit is not None else None,
    )
