"""The plain, frozen values the renderers draw, and their converters from game data and service results.

Renderers never see a GameConfig or a database row: everything they need (the rarity's colour and rank, the
stat icons, the lore) is resolved here once. Because these values are frozen and hashable they double as the
keys of the render caches, which is what keeps the caches correct and thread-safe without locks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    form: str = ""

    @property
    def art(self) -> ArtSpec:
        return ArtSpec(self.esprit_id, self.element, self.form, self.rarity, self.stats)

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


def card_from_def(esprit: EspritDef, config: GameConfig, *, level: int = 1) -> CardData:
    """A card straight from esprits.json: full HP, no owner."""
    face = face_of(esprit, config)
    return CardData(face, CardState(level=level, hp=face.max_hp, max_hp=face.max_hp))


def card_from_owned(esprit: OwnedEsprit, config: GameConfig) -> CardData:
    """A player's Esprit: its current level, HP and XP on the face its definition gives."""
    face = _face_of_pulled(esprit, config)
    if isinstance(esprit, EspritDetail):
        # A detail carries the database's own stats and lore: they win over esprits.json.
        face = replace(face, lore=esprit.description, stats=stats_of(esprit.stats, config))
    state = CardState(
        level=esprit.level,
        hp=esprit.hp,
        max_hp=esprit.max_hp,
        xp=esprit.xp,
        instance_id=esprit.id,
        active=esprit.active,
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
    )
