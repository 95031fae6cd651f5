"""The battle rules' numbers (data/config/battle.json), validated into frozen models.

faye.config imports this module to wire `BattleSettings` into the game data, so it must not import faye.config
back: it has its own frozen base model (the same policy as faye.config's) and takes the other files' models
only for type checking. What needs another file (the elements and roles Esprits have, the enemies of a trial) is
checked by `battle_problems`, which `GameConfig.cross_check` calls; its messages name the file and field like
faye.config's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from faye.inputs import MAX_CURRENCY, MAX_LEVEL, MAX_STAT

if TYPE_CHECKING:
    from faye.config import EspritDef, ProgressionSettings

BATTLE_FILE = "battle.json"

#: Greatest multiplier anywhere in the rules (a power, an advantage, a crit): battles stay in float64's exact
#: integer range whatever the file says.
MAX_MULTIPLIER = 10.0
#: Greatest round limit: the round is part of every random draw's counter and a battle's length stays bounded.
MAX_ROUNDS = 200
#: Greatest ascension rank an enemy may have (progression.json's own limit); its max_rank is checked across files.
MAX_ASCENSION = 20
#: XP one reward may give (the same bound as every XP gain in the game data).
MAX_XP_GAIN = 1_000_000
#: Attempts or replays a day.
MAX_PER_DAY = 1_000

Multiplier = Annotated[float, Field(gt=0, le=MAX_MULTIPLIER)]
"""More than 0 and at most 10."""
Chance = Annotated[float, Field(ge=0, le=1)]
Rounds = Annotated[int, Field(ge=1, le=MAX_ROUNDS)]


class _Frozen(BaseModel):
    # faye.config's policy: NaN and infinities refused, unknown keys ignored (its strict pass names them), and
    # validators built on the first validation rather than at import (a cached config is never validated).
    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False, defer_build=True)


class Role(StrEnum):
    """What an Esprit does on its turn; each has its own rules in battle.json's `roles`."""

    STRIKER = "Striker"
    GUARDIAN = "Guardian"
    SUPPORT = "Support"
    MYSTIC = "Mystic"
    SKIRMISHER = "Skirmisher"


#: The roles' names, in their order.
ROLES: tuple[str, ...] = tuple(r.value for r in Role)


# --- damage and elements --------------------------------------------------------------------------------


class EnrageRules(_Frozen):
    """From round `from_round` on every hit grows: x (1 + per_round x (round - from_round + 1)), so two walls of
    defence or two healers still finish well inside the round limit."""

    from_round: Rounds
    per_round: Annotated[float, Field(ge=0, le=MAX_MULTIPLIER)]

    def factor(self, round_: int) -> float:
        return 1 + self.per_round * max(0, round_ - self.from_round + 1)


class DamageRules(_Frozen):
    """A hit deals floor(power x A x A / (A + D) x element x crit x spread x enrage x guard), at least
    `min_damage` unless dodged; A and D are attack and defense (physical) or magic and magic_resist (magic)."""

    min_damage: Annotated[int, Field(ge=1, le=MAX_STAT)]
    spread: Annotated[float, Field(ge=0, lt=1)]
    """Each action's damage is scaled by a uniform factor in [1 - spread, 1 + spread)."""
    crit_multiplier: Annotated[float, Field(ge=1, le=MAX_MULTIPLIER)]
    dodge_cap: Chance
    """No Esprit dodges more often than this, whatever its dodge stat."""
    enrage: EnrageRules


class ElementRules(_Frozen):
    """`beats` lists, for every element, the elements it is strong against. A hit from an element onto one it
    beats is multiplied by `advantage`; onto one that beats it, by `disadvantage`; otherwise by 1. Two elements
    may beat each other (Lumen and Umbra): each then hits the other with advantage."""

    advantage: Annotated[float, Field(ge=1, le=MAX_MULTIPLIER)]
    disadvantage: Annotated[float, Field(gt=0, le=1)]
    beats: Annotated[Mapping[str, tuple[str, ...]], Field(min_length=1)]

    @model_validator(mode="after")
    def _known(self) -> ElementRules:
        for element, beaten in self.beats.items():
            for i, other in enumerate(beaten):
                if other not in self.beats:
                    raise ValueError(
                        f"beats.{element}[{i}]: element {other!r} is missing from the table; expected one of "
                        f"{sorted(self.beats)} (every element needs its own entry, [] if it beats none)"
                    )
                if other == element:
                    raise ValueError(f"beats.{element}[{i}]: an element cannot beat itself")
            if len(set(beaten)) != len(beaten):
                raise ValueError(f"beats.{element}: lists an element twice")
        return self

    def multiplier(self, attacker: str, defender: str) -> float:
        if defender in self.beats[attacker]:
            return self.advantage
        if attacker in self.beats[defender]:
            return self.disadvantage
        return 1.0


# --- roles ----------------------------------------------------------------------------------------------


class StrikerRules(_Frozen):
    """power_strike: one enemy (a taunting Guardian if one lives), physical, with extra crit chance."""

    power: Multiplier
    crit_bonus: Chance


class GuardianRules(_Frozen):
    """taunt: strikes one enemy (physical) and, until its next turn, draws the enemies' single-target actions and
    takes `guard` x the damage."""

    power: Multiplier
    guard: Annotated[float, Field(gt=0, le=1)]


class SupportRules(_Frozen):
    """heal: when an ally (itself included) is below `heal_below` of its max HP and `cooldown` rounds have passed
    since its last heal, the most wounded one gets floor(heal x magic) HP, never above its max; otherwise spark,
    magic damage to one enemy."""

    heal: Multiplier
    heal_below: Annotated[float, Field(gt=0, le=1)]
    cooldown: Rounds
    power: Multiplier


class MysticRules(_Frozen):
    """magic_burst: magic damage to every living enemy, ignoring taunts."""

    power: Multiplier


class SkirmisherRules(_Frozen):
    """ambush: physical damage to the enemy with the least HP left, slipping past taunts."""

    power: Multiplier


class RoleRules(_Frozen):
    """One entry per `Role`, named exactly as esprits.json spells the role."""

    Striker: StrikerRules
    Guardian: GuardianRules
    Support: SupportRules
    Mystic: MysticRules
    Skirmisher: SkirmisherRules

    @model_validator(mode="before")
    @classmethod
    def _no_unknown(cls, data: Any) -> Any:
        # Unknown keys are otherwise ignored; a misspelt role would silently fall back to nothing.
        if isinstance(data, dict):
            for key in data:
                if key not in ROLES:
                    raise ValueError(f"unknown role {key!r}; expected one of {list(ROLES)}")
        return data


# --- trials and duels -----------------------------------------------------------------------------------


class Enemy(_Frozen):
    esprit_id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=64)]
    level: Annotated[int, Field(ge=1, le=MAX_LEVEL)]
    ascension: Annotated[int, Field(ge=0, le=MAX_ASCENSION)] = 0


class StageReward(_Frozen):
    faylen: Annotated[int, Field(ge=0, le=MAX_CURRENCY)]
    xp: Annotated[int, Field(ge=0, le=MAX_XP_GAIN)]


class Stage(_Frozen):
    stage: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1, max_length=40)]
    enemies: Annotated[tuple[Enemy, ...], Field(min_length=1, max_length=3)]
    first_clear: StageReward
    replay: StageReward


class TrialSettings(_Frozen):
    """A ladder of stages fought in order; a cleared stage can be replayed `replays_per_day` times a UTC day."""

    replays_per_day: Annotated[int, Field(ge=0, le=MAX_PER_DAY)]
    stages: Annotated[tuple[Stage, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _numbered(self) -> TrialSettings:
        for i, stage in enumerate(self.stages):
            if stage.stage != i + 1:
                raise ValueError(
                    f"stages[{i}].stage is {stage.stage}; stages are numbered 1, 2, 3… in order, so expected {i + 1}"
                )
        return self


class EloRules(_Frozen):
    """Ratings start at `initial`; `k` is the most one duel can move them (see faye.battle.rating)."""

    initial: Annotated[int, Field(ge=0, le=10_000)]
    k: Annotated[int, Field(ge=1, le=400)]


class DuelSettings(_Frozen):
    attempts_per_day: Annotated[int, Field(ge=1, le=MAX_PER_DAY)]
    rating: EloRules


# --- the file -------------------------------------------------------------------------------------------


class BattleSettings(_Frozen):
    """battle.json: the rules of a fight, the trial ladder and the duels.

    A battle lasts at most `max_rounds` rounds. If both sides still stand then, the side with the greater share
    of its total max HP left wins (compared exactly, as cross products of integers); equal shares are a draw.
    """

    max_rounds: Rounds
    damage: DamageRules
    elements: ElementRules
    roles: RoleRules
    trials: TrialSettings
    duels: DuelSettings


def battle_problems(
    battle: BattleSettings, esprits: Sequence[EspritDef], progression: ProgressionSettings
) -> list[str]:
    """What battle.json and the other files disagree on: an element or role an Esprit has that the rules do not
    cover, a trial enemy that does not exist or sits above its rank's level cap or above the highest rank."""
    problems: list[str] = []
    for i, esprit in enumerate(esprits):
        if esprit.element not in battle.elements.beats:
            problems.append(
                f"{BATTLE_FILE}: elements.beats: no entry for element {esprit.element!r} (esprits.json: "
                f"esprits[{i}], {esprit.esprit_id!r}); every element an Esprit has needs one"
            )
        if esprit.role not in ROLES:
            problems.append(
                f"esprits.json: esprits[{i}].role: unknown role {esprit.role!r}; expected one of {list(ROLES)}, "
                f"the roles {BATTLE_FILE} has rules for"
            )
    known = {e.esprit_id for e in esprits}
    ascension = progression.ascension
    for s, stage in enumerate(battle.trials.stages):
        for e, enemy in enumerate(stage.enemies):
            where = f"{BATTLE_FILE}: trials.stages[{s}].enemies[{e}]"
            if enemy.esprit_id not in known:
                problems.append(
                    f"{where}.esprit_id: unknown esprit {enemy.esprit_id!r}; expected an id from esprits.json"
                )
            if enemy.ascension > ascension.max_rank:
                problems.append(
                    f"{where}.ascension: {enemy.ascension} is above progression.json's ascension.max_rank "
                    f"({ascension.max_rank})"
                )
            elif enemy.level > ascension.level_cap(enemy.ascension):
                problems.append(
                    f"{where}.level: {enemy.level} is above the level cap at ascension {enemy.ascension} "
                    f"({ascension.level_cap(enemy.ascension)}); raise its ascension or lower its level"
                )
    return problems
