"""The battle engine: two teams of 1 to 3 Esprits fight round by round until one side is down or the round limit.

One implementation serves everything. `fight_many` runs a batch of battles between the same two teams, one per
seed, with every step vectorised across the batch (numpy, float64 throughout); `fight` is that same batch with
one seed, recording the log as it goes. Every random decision is a counter-based hash of (seed, round, actor,
purpose) (faye.battle.rng), so battle i of a batch is move for move the battle `fight(..., seed=seeds[i])`, on any
machine.

The rules, with their numbers in battle.json (faye.battle.settings):

- Turn order is fixed for the whole battle: higher speed first; on equal speed the attackers before the
  defenders, then the lower slot first. A knocked-out Esprit (0 HP) skips its turns.
- A hit deals floor(power x A x A / (A + D) x element x crit x spread x enrage x guard), at least `min_damage`,
  or nothing when dodged. Physical hits use attack against defense, magic hits magic against magic_resist. The
  element factor is the advantage table's; a crit (chance crit_rate) multiplies by `crit_multiplier`; a dodge
  (chance: the target's dodge, capped at `dodge_cap`) is rolled per target.
- Each role has its own action: a Striker's power_strike (one foe, extra crit chance), a Guardian's taunt (one
  foe; until its next turn the foes' single-target actions must pick it, and it takes `guard` x the damage), a
  Support's heal (the most wounded ally below `heal_below`, every `cooldown` rounds) or else spark (magic, one
  foe), a Mystic's magic_burst (magic to every living foe) and a Skirmisher's ambush (the foe with the least HP,
  past any taunt).
- A single-target action picks a living taunting Guardian (the lowest slot if several), else a living foe
  uniformly at random.
- The battle ends as soon as a side has no Esprit standing. After `max_rounds` rounds the side with the greater
  share of its total max HP left wins; equal shares are a draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from faye import inputs
from faye.battle.rng import draw, lane, seed_keys
from faye.battle.settings import ROLES, BattleSettings, Role
from faye.errors import InvalidArgument
from faye.progression import base_stats, stats_at

if TYPE_CHECKING:
    from faye.config import EspritDef, ProgressionSettings

Side = Literal["attacker", "defender"]
Winner = Literal["attacker", "defender", "draw"]

SIDES: Final[tuple[Side, Side]] = ("attacker", "defender")
#: Esprits a team may field.
TEAM_SIZE: Final = inputs.TEAM_SIZE.max
#: Draw purposes per actor and round: the action's own hash, then one more for a burst's dodges.
_PURPOSES: Final = 2

Floats = NDArray[np.float64]
Ints = NDArray[np.intp]
Mask = NDArray[np.bool_]
Hashes = NDArray[np.uint64]
_Touch = tuple[int, float, float, bool]
"""What an action did to one unit of battle 0, for the log: (unit, damage, healed, dodged)."""


@dataclass(frozen=True, slots=True)
class Fighter:
    """An Esprit as it enters a battle: its stats at its level and ascension rank."""

    esprit_id: str
    name: str
    element: str
    role: str
    level: int
    ascension: int
    hp: int
    """Its max HP; every battle starts at full HP."""
    attack: int
    defense: int
    speed: int
    magic: int
    magic_resist: int
    crit_rate: float
    dodge: float


def fighter(definition: EspritDef, level: int, ascension: int, progression: ProgressionSettings) -> Fighter:
    """The Esprit `definition` at `level` and ascension rank `ascension`, by the progression rules' stats_at."""
    stats = stats_at(progression, definition.rarity, base_stats(definition), level, ascension)
    return Fighter(
        esprit_id=definition.esprit_id,
        name=definition.name,
        element=definition.element,
        role=definition.role,
        level=level,
        ascension=ascension,
        hp=int(stats["hp"]),
        attack=int(stats["attack"]),
        defense=int(stats["defense"]),
        speed=int(stats["speed"]),
        magic=int(stats["magic"]),
        magic_resist=int(stats["magic_resist"]),
        crit_rate=stats["crit_rate"],
        dodge=stats["dodge"],
    )


@dataclass(frozen=True, slots=True)
class Hit:
    """What one action did to one Esprit."""

    side: Side
    slot: int
    esprit_id: str
    damage: int
    """Damage dealt (0 when dodged or healed); HP never drops below 0, so it may exceed the HP lost."""
    healed: int
    """HP restored (never above max HP)."""
    dodged: bool
    hp_after: int


@dataclass(frozen=True, slots=True)
class Action:
    """One turn: who acted, how, and what it did to each Esprit it touched."""

    round: int
    side: Side
    slot: int
    esprit_id: str
    action: str
    """power_strike, taunt, heal, spark, magic_burst or ambush."""
    crit: bool
    hits: tuple[Hit, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Battle:
    winner: Winner
    rounds: int
    """The round the battle ended in (max_rounds when the limit decided it)."""
    log: tuple[Action, ...]
    hp: tuple[tuple[int, ...], tuple[int, ...]]
    """Final HP of the attackers' and the defenders' Esprits, by slot."""

    def to_json(self) -> dict[str, Any]:
        return {"winner": self.winner, "rounds": self.rounds, "hp": self.hp, "log": [a.to_json() for a in self.log]}


@dataclass(frozen=True, slots=True)
class Outcomes:
    """A batch's results, one row per seed."""

    winner: NDArray[np.int8]
    """1 the attackers won, -1 the defenders, 0 a draw."""
    rounds: NDArray[np.int16]
    attacker_hp: NDArray[np.int64]
    """(battles, attackers) final HP."""
    defender_hp: NDArray[np.int64]


WINNERS: Final[dict[int, Winner]] = {1: "attacker", -1: "defender", 0: "draw"}


def fight(attackers: Sequence[Fighter], defenders: Sequence[Fighter], seed: int, rules: BattleSettings) -> Battle:
    """One battle with its full log. `seed` is taken modulo 2**64."""
    log: list[Action] = []
    run = _Run(attackers, defenders, np.array([seed % 2**64], dtype=np.uint64), rules, log)
    run.play()
    hp = run.hp[0].astype(np.int64).tolist()
    return Battle(
        winner=WINNERS[int(run.winner[0])],
        rounds=int(run.rounds[0]),
        log=tuple(log),
        hp=(tuple(hp[: run.split]), tuple(hp[run.split :])),
    )


def fight_many(
    attackers: Sequence[Fighter], defenders: Sequence[Fighter], seeds: NDArray[np.integer[Any]], rules: BattleSettings
) -> Outcomes:
    """One battle per seed between the same teams, vectorised; row i is exactly `fight(..., seed=seeds[i])`.
    Seeds of another integer dtype are taken modulo 2**64, like `fight`'s."""
    keys = np.asarray(seeds)
    if keys.ndim != 1 or keys.dtype.kind not in "iu":
        raise InvalidArgument("seeds must be a one-dimensional array of integers", field="seeds")
    run = _Run(attackers, defenders, keys.astype(np.uint64), rules, None)
    run.play()
    hp = run.hp.astype(np.int64)
    return Outcomes(
        winner=run.winner, rounds=run.rounds, attacker_hp=hp[:, : run.split], defender_hp=hp[:, run.split :]
    )


def turn_order(attackers: Sequence[Fighter], defenders: Sequence[Fighter]) -> list[tuple[Side, int]]:
    """(side, slot) in the order they act each round: speed, then attackers first, then slot."""
    units = [(f.speed, s, slot) for s, team in enumerate((attackers, defenders)) for slot, f in enumerate(team)]
    return [(SIDES[s], slot) for _, s, slot in sorted(units, key=lambda u: (-u[0], u[1], u[2]))]


def _check_team(team: Sequence[Fighter], side: Side, rules: BattleSettings) -> None:
    if not 1 <= len(team) <= TEAM_SIZE:
        raise InvalidArgument(f"a team has 1 to {TEAM_SIZE} Esprits; the {side}s have {len(team)}", field=side)
    for slot, f in enumerate(team):
        if f.role not in ROLES:
            raise InvalidArgument(
                f"{side} slot {slot} ({f.esprit_id}): unknown role {f.role!r}; expected one of {list(ROLES)}",
                field=side,
            )
        if f.element not in rules.elements.beats:
            raise InvalidArgument(
                f"{side} slot {slot} ({f.esprit_id}): element {f.element!r} is not in the element table",
                field=side,
            )


class _Run:
    """The state of a batch of battles between two fixed teams, and the step of each role.

    Units are numbered attackers first (0 … split-1), then defenders, so each team is a slice. Everything that
    depends only on the teams (turn order, the base damage of each pair, who has taunted) is plain Python or a
    small array computed once; only HP, heal cooldowns and the outcome differ between battles.
    """

    def __init__(
        self,
        attackers: Sequence[Fighter],
        defenders: Sequence[Fighter],
        seeds: NDArray[np.uint64],
        rules: BattleSettings,
        log: list[Action] | None,
    ) -> None:
        _check_team(attackers, "attacker", rules)
        _check_team(defenders, "defender", rules)
        if log is not None and len(seeds) != 1:
            raise ValueError("a log is recorded for one battle at a time")
        self.rules = rules
        self.log = log
        self.units = (*attackers, *defenders)
        self.split = len(attackers)
        self.spans = ((0, self.split), (self.split, len(self.units)))
        self.sides = [0] * len(attackers) + [1] * len(defenders)
        self.slots = [*range(len(attackers)), *range(len(defenders))]
        n = len(self.units)
        order = turn_order(attackers, defenders)
        self.order = [slot if side == "attacker" else self.split + slot for side, slot in order]
        self.max_hp = np.array([f.hp for f in self.units], dtype=np.float64)
        self.dodge = np.array([min(f.dodge, rules.damage.dodge_cap) for f in self.units])
        elements = rules.elements
        self.physical = np.array(
            [
                [_base(a.attack, d.defense) * elements.multiplier(a.element, d.element) for d in self.units]
                for a in self.units
            ]
        )
        self.magical = np.array(
            [
                [_base(a.magic, d.magic_resist) * elements.multiplier(a.element, d.element) for d in self.units]
                for a in self.units
            ]
        )
        self.guard = np.ones(n)
        """Each unit's share of the damage it takes: `guard` once a Guardian has taunted."""
        self.taunting = [False] * n
        # Counter bases: a unit's draws are keyed by its side and slot, not its place in this batch's numbering.
        self.unit_key = [self.sides[u] * TEAM_SIZE + self.slots[u] for u in range(n)]
        batch = len(seeds)
        self.keys = seed_keys(seeds)
        self.rows = np.arange(batch)
        self.hp = np.tile(self.max_hp, (batch, 1))
        self.heal_ready = np.ones((batch, n), dtype=np.int32)
        self.done = np.zeros(batch, dtype=np.bool_)
        self.winner = np.zeros(batch, dtype=np.int8)
        self.rounds = np.zeros(batch, dtype=np.int16)
        self.round = 0
        self.enrage = 1.0
        self.acts: dict[str, Callable[[int, Mask], None]] = {
            Role.STRIKER: self._power_strike,
            Role.GUARDIAN: self._taunt,
            Role.SUPPORT: self._heal_or_spark,
            Role.MYSTIC: self._magic_burst,
            Role.SKIRMISHER: self._ambush,
        }

    # --- the loop -------------------------------------------------------------------------------------

    def play(self) -> None:
        limit = self.rules.max_rounds
        for round_ in range(1, limit + 1):
            self.round = round_
            self.enrage = self.rules.damage.enrage.factor(round_)
            for u in self.order:
                active = ~self.done & (self.hp[:, u] > 0)
                if active.any():
                    self.acts[self.units[u].role](u, active)
            if self.done.all():
                return
        self._tiebreak(limit)

    def _tiebreak(self, limit: int) -> None:
        """Undecided battles: the greater share of max HP left wins, compared as integer cross products."""
        open_ = ~self.done
        mine = self.hp[:, : self.split].sum(axis=1) * self.max_hp[self.split :].sum()
        theirs = self.hp[:, self.split :].sum(axis=1) * self.max_hp[: self.split].sum()
        self.winner[open_] = np.sign(mine - theirs)[open_].astype(np.int8)
        self.rounds[open_] = limit

    def _foes(self, u: int) -> tuple[int, int]:
        """(first, past the last) unit of `u`'s foes."""
        return self.spans[1 - self.sides[u]]

    def _hash(self, u: int, purpose: int) -> Hashes:
        """The draws of `u`'s action this round. Purpose 0, the action's own: lane 0 picks the target, lane 1
        rolls the crit, lane 2 the spread, lane 3 the dodge of a single target; purpose 1: lane i rolls the dodge
        of foe i of a magic_burst."""
        return draw(self.keys, (self.round * 2 * TEAM_SIZE + self.unit_key[u]) * _PURPOSES + purpose)

    def _end(self, u: int, active: Mask) -> None:
        """Battles in which `u`'s action just felled the last foe."""
        lo, hi = self._foes(u)
        standing = (self.hp[:, lo:hi] > 0).any(axis=1)
        won = active & ~standing
        if won.any():
            self.winner[won] = 1 if self.sides[u] == 0 else -1
            self.rounds[won] = self.round
            self.done |= won

    # --- targets --------------------------------------------------------------------------------------

    def _picked_foe(self, u: int, u01: Floats) -> Ints:
        """A living taunting Guardian (lowest slot first), else a living foe chosen by `u01`."""
        lo, hi = self._foes(u)
        if hi - lo == 1:
            return np.full(len(self.rows), lo, dtype=np.intp)
        alive = self.hp[:, lo:hi] > 0
        nth = np.floor(u01 * alive.sum(axis=1))
        target: Ints = lo + (np.cumsum(alive, axis=1) > nth[:, None]).argmax(axis=1)
        for g in reversed(range(lo, hi)):
            if self.taunting[g]:
                target = np.where(self.hp[:, g] > 0, g, target)
        return target

    def _weakest_foe(self, u: int) -> Ints:
        lo, hi = self._foes(u)
        hp = self.hp[:, lo:hi]
        weakest: Ints = lo + np.where(hp > 0, hp, np.inf).argmin(axis=1)
        return weakest

    # --- damage ---------------------------------------------------------------------------------------

    def _crit(self, u: int, u01: Floats, bonus: float = 0.0) -> Mask:
        return u01 < self.units[u].crit_rate + bonus

    def _scale(self, power: float, crit: Mask, u01: Floats) -> Floats:
        """Each battle's factor for this action: power, enrage, crit and spread."""
        damage = self.rules.damage
        spread = 1 - damage.spread + 2 * damage.spread * u01
        return np.where(crit, damage.crit_multiplier, 1.0) * spread * (power * self.enrage)

    def _wound(self, target: Ints, base: Floats, scale: Floats, dodged: Mask, active: Mask) -> Floats:
        """Apply one hit per battle to `target`; returns the damage dealt (0 where dodged or inactive)."""
        dealt = np.maximum(np.floor(base * scale * self.guard[target]), self.rules.damage.min_damage)
        dealt = np.where(dodged | ~active, 0.0, dealt)
        self.hp[self.rows, target] = np.maximum(self.hp[self.rows, target] - dealt, 0.0)
        return dealt

    def _single(
        self, u: int, active: Mask, target: Ints, table: Floats, power: float, crit: Mask, h: Hashes, name: str
    ) -> None:
        """A single-target hit: lanes 2 and 3 of the action's hash give spread and dodge."""
        scale = self._scale(power, crit, lane(h, 2))
        dodged = lane(h, 3) < self.dodge[target]
        dealt = self._wound(target, table[u][target], scale, dodged, active)
        if self.log is not None:
            self._record(self.log, u, name, bool(crit[0]), [(int(target[0]), float(dealt[0]), 0.0, bool(dodged[0]))])
        self._end(u, active)

    # --- the roles ------------------------------------------------------------------------------------

    def _power_strike(self, u: int, active: Mask) -> None:
        rules = self.rules.roles.Striker
        h = self._hash(u, 0)
        target = self._picked_foe(u, lane(h, 0))
        crit = self._crit(u, lane(h, 1), rules.crit_bonus)
        self._single(u, active, target, self.physical, rules.power, crit, h, "power_strike")

    def _taunt(self, u: int, active: Mask) -> None:
        rules = self.rules.roles.Guardian
        h = self._hash(u, 0)
        target = self._picked_foe(u, lane(h, 0))
        crit = self._crit(u, lane(h, 1))
        self._single(u, active, target, self.physical, rules.power, crit, h, "taunt")
        # From now on it taunts for as long as it stands: it renews the taunt on each of its turns.
        self.taunting[u] = True
        self.guard[u] = rules.guard

    def _ambush(self, u: int, active: Mask) -> None:
        h = self._hash(u, 0)
        crit = self._crit(u, lane(h, 1))
        target = self._weakest_foe(u)
        self._single(u, active, target, self.physical, self.rules.roles.Skirmisher.power, crit, h, "ambush")

    def _magic_burst(self, u: int, active: Mask) -> None:
        """Every living foe, one crit and spread for the action, a dodge each (lanes of the second hash)."""
        h = self._hash(u, 0)
        dodges = self._hash(u, 1)
        crit = self._crit(u, lane(h, 1))
        scale = self._scale(self.rules.roles.Mystic.power, crit, lane(h, 2))
        hits: list[_Touch] = []
        lo, hi = self._foes(u)
        for i, t in enumerate(range(lo, hi)):
            standing = active & (self.hp[:, t] > 0)
            target = np.full(len(self.rows), t, dtype=np.intp)
            dodged = lane(dodges, i) < self.dodge[t]
            dealt = self._wound(target, self.magical[u][target], scale, dodged, standing)
            if self.log is not None and standing[0]:
                hits.append((t, float(dealt[0]), 0.0, bool(dodged[0])))
        if self.log is not None:
            self._record(self.log, u, "magic_burst", bool(crit[0]), hits)
        self._end(u, active)

    def _heal_or_spark(self, u: int, active: Mask) -> None:
        rules = self.rules.roles.Support
        lo, hi = self.spans[self.sides[u]]
        hp = self.hp[:, lo:hi]
        share = np.where(hp > 0, hp / self.max_hp[lo:hi], np.inf)
        patient = lo + share.argmin(axis=1)
        heals = active & (share.min(axis=1) < rules.heal_below) & (self.heal_ready[:, u] <= self.round)
        if heals.any():
            amount = max(1, int(rules.heal * self.units[u].magic))
            before = self.hp[self.rows, patient]
            after = np.where(heals, np.minimum(before + amount, self.max_hp[patient]), before)
            self.hp[self.rows, patient] = after
            self.heal_ready[heals, u] = self.round + rules.cooldown
            if self.log is not None and heals[0]:
                self._record(self.log, u, "heal", False, [(int(patient[0]), 0.0, float(after[0] - before[0]), False)])
        sparks = active & ~heals
        if sparks.any():
            h = self._hash(u, 0)
            target = self._picked_foe(u, lane(h, 0))
            crit = self._crit(u, lane(h, 1))
            self._single(u, sparks, target, self.magical, rules.power, crit, h, "spark")

    # --- the log --------------------------------------------------------------------------------------

    def _record(self, log: list[Action], u: int, name: str, crit: bool, hits: list[_Touch]) -> None:
        """Battle 0's action into the log (kept for a batch of one)."""
        actor = self.units[u]
        log.append(
            Action(
                round=self.round,
                side=SIDES[self.sides[u]],
                slot=self.slots[u],
                esprit_id=actor.esprit_id,
                action=name,
                crit=crit,
                hits=tuple(
                    Hit(
                        side=SIDES[self.sides[t]],
                        slot=self.slots[t],
                        esprit_id=self.units[t].esprit_id,
                        damage=int(dealt),
                        healed=int(healed),
                        dodged=dodged,
                        hp_after=int(self.hp[0, t]),
                    )
                    for t, dealt, healed, dodged in hits
                ),
            )
        )


def _base(strength: int, resistance: int) -> float:
    """A x A / (A + D): proportional to the level's scale, and a wall of resistance never reaches 0."""
    return strength * strength / (strength + resistance) if strength + resistance > 0 else 0.0
