"""Battles for players: trials (a ladder of enemy teams, first-clear rewards once) and duels (against another
player's saved defence, an Elo rating for both, nothing staked). faye.battle fights; this checks teams, limits
and rewards, in one transaction per battle.

Each battle locks its player (a duel both players, in id order: faye.db's lock order), reads or creates their
battler rows, checks the stage and today's attempts, checks the team (faye.services.battle_teams), fights with a
seed from the injected RNG (so FAYE_SEED replays a session), and pays in the same transaction: faylen as ledger
movements (reason `trial`), XP through the progression rules (faye.services.growth, the level cap holds). A first
clear is one conditional UPDATE (`trial_cleared = stage WHERE trial_cleared = stage - 1`), so of two requests
claiming it the second finds it taken and fights a replay. Reading (`standing`, `trials`) never writes: a player
without a battler row reads as a fresh one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from faye.battle.rating import elo
from faye.battle.settings import Stage, StageReward
from faye.config import Currency
from faye.db import retried
from faye.errors import AttemptsExhausted, NoDefence, NotFound, NotRegistered, SelfDuel, StageLocked, TeamInvalid
from faye.models import BATTLERS
from faye.results import (
    BattleReport,
    BattleRewards,
    BattleStanding,
    PartnerGrowth,
    RatingChange,
    StageView,
    TrialLadder,
)
from faye.services import growth, ledger
from faye.services.battle_teams import Member, check_ids, enemies, own_team, usable
from faye.services.context import ServiceContext
from faye.services.players import get_player, lock_players, read_balance

if TYPE_CHECKING:
    from faye.battle.engine import Battle

DAY = timedelta(days=1)


def utc_day(now: datetime) -> datetime:
    """Midnight UTC starting the day of `now`: the day the daily limits count on."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class _Record:
    """A battler row (faye.models.Battler), or what a player without one reads as."""

    user_id: str
    trial_cleared: int
    trial_day: datetime | None
    trial_replays: int
    rating: int
    duel_day: datetime | None
    duels_today: int
    wins: int
    losses: int
    draws: int
    defence: tuple[int, ...]

    @classmethod
    def fresh(cls, user_id: str, rating: int) -> _Record:
        return cls(user_id, 0, None, 0, rating, None, 0, 0, 0, 0, ())

    def replays_used(self, today: datetime) -> int:
        return self.trial_replays if self.trial_day == today else 0

    def duels_used(self, today: datetime) -> int:
        return self.duels_today if self.duel_day == today else 0


async def _read(session: AsyncSession, user_id: str) -> _Record | None:
    row = (await session.execute(select(BATTLERS).where(BATTLERS.c.user_id == user_id))).one_or_none()
    if row is None:
        return None
    values = dict(row._mapping)
    values["defence"] = tuple(int(i) for i in values["defence"] or ())
    return _Record(**values)


async def _held(session: AsyncSession, user_id: str, rating: int) -> _Record:
    """The battler row of a player the caller has locked, inserted (fresh) if they have none yet: under the lock
    no other transaction can insert it meanwhile."""
    found = await _read(session, user_id)
    if found is not None:
        return found
    fresh = _Record.fresh(user_id, rating)
    await session.execute(insert(BATTLERS).values(_columns(fresh)))
    return fresh


def _columns(record: _Record) -> dict[str, Any]:
    return {
        "user_id": record.user_id,
        "trial_cleared": record.trial_cleared,
        "trial_day": record.trial_day,
        "trial_replays": record.trial_replays,
        "rating": record.rating,
        "duel_day": record.duel_day,
        "duels_today": record.duels_today,
        "wins": record.wins,
        "losses": record.losses,
        "draws": record.draws,
        "defence": list(record.defence),
    }


async def _save(session: AsyncSession, user_id: str, **values: Any) -> None:
    await session.execute(update(BATTLERS).where(BATTLERS.c.user_id == user_id).values(**values))


class BattleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    @property
    def _initial(self) -> int:
        return self._ctx.config.battle.duels.rating.initial

    def _stage(self, stage: int) -> Stage:
        stages = self._ctx.config.battle.trials.stages
        if not 1 <= stage <= len(stages):
            raise NotFound(
                f"there is no trial stage {stage}; the stages are 1 to {len(stages)}", field="stage", stage=stage
            )
        return stages[stage - 1]

    async def trials(self, user_id: str) -> TrialLadder:
        """The ladder with the player's progress. Refuses `not_registered`."""
        config = self._ctx.config
        async with self._ctx.db.read() as session:
            standing = await self._standing(session, user_id)
        stages = [
            StageView(
                stage=stage.stage,
                name=stage.name,
                enemies=[member.view(config) for member in enemies(config, stage)],
                first_clear_faylen=stage.first_clear.faylen,
                first_clear_xp=stage.first_clear.xp,
                replay_faylen=stage.replay.faylen,
                replay_xp=stage.replay.xp,
                cleared=stage.stage <= standing.trial_cleared,
                open=stage.stage <= standing.trial_cleared + 1,
            )
            for stage in config.battle.trials.stages
        ]
        return TrialLadder(standing=standing, stages=stages)

    @retried
    async def trial(self, user_id: str, stage: int, team: Sequence[int] | None = None) -> BattleReport:
        """Fight trial `stage` with `team` (default: the active Esprit). Winning the next uncleared stage pays its
        first-clear reward once; a cleared stage replays for the smaller reward, limited per UTC day (a loss
        counts as an attempt too). Refuses `not_registered`, `not_found` (no such stage), `stage_locked`,
        `team_invalid`, `attempts_exhausted`."""
        named = None if team is None else check_ids(team)
        ctx = self._ctx
        trials = ctx.config.battle.trials
        found = self._stage(stage)
        now = ctx.clock.now()
        today = utc_day(now)
        async with ctx.db.write() as session:
            player = await get_player(session, user_id, lock=True)
            record = await _held(session, user_id, self._initial)
            if stage > record.trial_cleared + 1:
                raise StageLocked(
                    f"trial stage {stage} is locked; clear stage {record.trial_cleared + 1} first",
                    stage=stage,
                    cleared=record.trial_cleared,
                )
            replay = stage <= record.trial_cleared
            used = record.replays_used(today)
            if replay and used >= trials.replays_per_day:
                raise AttemptsExhausted(
                    f"you have replayed trials {used} times today, the most a day allows",
                    limit=trials.replays_per_day,
                    retry_at=today + DAY,
                )
            members = await self._attackers(session, user_id, named, player.active_esprit_id, now)
            foes = enemies(ctx.config, found)
            battle, seed = self._fight(members, foes)
            first_clear = False
            if replay:
                used += 1
                await _save(session, user_id, trial_day=today, trial_replays=used)
            elif battle.winner == "attacker":
                cleared = await session.execute(
                    update(BATTLERS)
                    .where(BATTLERS.c.user_id == user_id, BATTLERS.c.trial_cleared == stage - 1)
                    .values(trial_cleared=stage)
                    .returning(BATTLERS.c.user_id)
                )
                first_clear = cleared.one_or_none() is not None
            rewards = None
            if battle.winner == "attacker" and (replay or first_clear):
                reward = found.first_clear if first_clear else found.replay
                rewards = await self._pay(session, user_id, stage, members, reward, first_clear, now)
        return self._report(
            "trial",
            battle,
            seed,
            members,
            foes,
            stage=stage,
            rewards=rewards,
            attempts_left=trials.replays_per_day - used,
        )

    async def _attackers(
        self, session: AsyncSession, user_id: str, named: list[int] | None, active_id: int | None, now: datetime
    ) -> list[Member]:
        """The named team, checked strictly; without one, the player's active Esprit."""
        if named is None:
            if active_id is None:
                raise TeamInvalid("you have no active Esprit; name a team", field="team", reason="empty")
            named = [active_id]
        return await own_team(session, self._ctx.config, user_id, named, now)

    def _fight(self, attackers: Sequence[Member], defenders: Sequence[Member]) -> tuple[Battle, int]:
        from faye.battle.engine import fight  # numpy: loaded by a battle, not by every start of the game

        config = self._ctx.config
        seed = self._ctx.rng.getrandbits(64)
        battle = fight(
            [m.fighter(config) for m in attackers], [m.fighter(config) for m in defenders], seed, config.battle
        )
        return battle, seed

    async def _pay(
        self,
        session: AsyncSession,
        user_id: str,
        stage: int,
        members: Sequence[Member],
        reward: StageReward,
        first_clear: bool,
        now: datetime,
    ) -> BattleRewards:
        """Faylen to the player (a ledger movement), `reward.xp` offered to each Esprit of the team."""
        config = self._ctx.config
        if reward.faylen:
            kind = "first clear" if first_clear else "replay"
            await ledger.move(
                session,
                user_id,
                Currency.FAYLEN,
                reward.faylen,
                reason="trial",
                reference=f"stage {stage} {kind}",
                at=now,
            )
        grown = []
        for member in members:
            assert member.id is not None
            esprit = await growth.standing(session, member.id)
            assert esprit is not None
            gained = await growth.apply(session, config, esprit, reward.xp)
            grown.append(
                PartnerGrowth(
                    id=esprit.id,
                    name=esprit.name,
                    xp_gained=gained.xp_gained,
                    levels_gained=gained.levels_gained,
                    level=gained.level,
                )
            )
        return BattleRewards(
            faylen=reward.faylen,
            xp=reward.xp,
            growth=grown,
            first_clear=first_clear,
            balance=await read_balance(session, user_id),
        )

    def _report(
        self,
        kind: str,
        battle: Battle,
        seed: int,
        attackers: Sequence[Member],
        defenders: Sequence[Member],
        **fields: Any,
    ) -> BattleReport:
        config = self._ctx.config
        return BattleReport(
            kind=kind,
            winner=battle.winner,
            rounds=battle.rounds,
            seed=seed,
            attackers=[m.view(config) for m in attackers],
            defenders=[m.view(config) for m in defenders],
            log=[action.to_json() for action in battle.log],
            **fields,
        )

    @retried
    async def set_team(self, user_id: str, team: Sequence[int]) -> BattleStanding:
        """Save the defence team other players duel. Refuses `not_registered`, `team_invalid`."""
        named = check_ids(team)
        now = self._ctx.clock.now()
        async with self._ctx.db.write() as session:
            await get_player(session, user_id, lock=True)
            await own_team(session, self._ctx.config, user_id, named, now)
            await _held(session, user_id, self._initial)
            await _save(session, user_id, defence=named)
            return await self._standing(session, user_id)

    @retried
    async def duel(self, user_id: str, opponent_id: str, team: Sequence[int] | None = None) -> BattleReport:
        """Fight `opponent_id`'s defence with `team` (default: the player's own defence team, else the active
        Esprit); both ratings move. Refuses `not_registered` (either player), `self_duel`, `no_defence`,
        `team_invalid`, `attempts_exhausted`."""
        if user_id == opponent_id:
            raise SelfDuel("you cannot duel yourself; challenge another player", user_id=user_id)
        named = None if team is None else check_ids(team)
        ctx = self._ctx
        duels = ctx.config.battle.duels
        now = ctx.clock.now()
        today = utc_day(now)
        async with ctx.db.write() as session:
            found = await lock_players(session, [user_id, opponent_id])
            for wanted in (user_id, opponent_id):
                if wanted not in found:
                    raise NotRegistered(f"{wanted!r} is not registered", user_id=wanted)
            player = await get_player(session, user_id)
            mine = await _held(session, user_id, self._initial)
            used = mine.duels_used(today)
            if used >= duels.attempts_per_day:
                raise AttemptsExhausted(
                    f"you have fought {used} duels today, the most a day allows",
                    limit=duels.attempts_per_day,
                    retry_at=today + DAY,
                )
            theirs = await _read(session, opponent_id)
            defenders = await usable(session, ctx.config, opponent_id, theirs.defence if theirs else (), now)
            if theirs is None or not defenders:
                raise NoDefence(
                    f"{opponent_id!r} has no defence team to duel (none saved, or none of it is still theirs)",
                    user_id=opponent_id,
                )
            if named is None:
                attackers = await usable(session, ctx.config, user_id, mine.defence, now)
                if not attackers:
                    attackers = await self._attackers(session, user_id, None, player.active_esprit_id, now)
            else:
                attackers = await own_team(session, ctx.config, user_id, named, now)
            battle, seed = self._fight(attackers, defenders)
            mine_after, theirs_after = elo(mine.rating, theirs.rating, battle.winner, duels.rating.k)
            result = {"attacker": ("wins", "losses"), "defender": ("losses", "wins"), "draw": ("draws", "draws")}
            mine_column, theirs_column = result[battle.winner]
            await _save(
                session,
                user_id,
                rating=mine_after,
                duel_day=today,
                duels_today=used + 1,
                **{mine_column: getattr(mine, mine_column) + 1},
            )
            await _save(
                session, opponent_id, rating=theirs_after, **{theirs_column: getattr(theirs, theirs_column) + 1}
            )
        return self._report(
            "duel",
            battle,
            seed,
            attackers,
            defenders,
            opponent=opponent_id,
            rating=RatingChange(
                attacker_before=mine.rating,
                attacker_after=mine_after,
                defender_before=theirs.rating,
                defender_after=theirs_after,
            ),
            attempts_left=duels.attempts_per_day - used - 1,
        )

    async def standing(self, user_id: str) -> BattleStanding:
        """Rating, record, today's attempts left, trial progress and defence team. Refuses `not_registered`."""
        async with self._ctx.db.read() as session:
            return await self._standing(session, user_id)

    async def _standing(self, session: AsyncSession, user_id: str) -> BattleStanding:
        """The standing as the transaction sees it; the defence as it would fight now (what is still theirs)."""
        await get_player(session, user_id)
        ctx = self._ctx
        battle = ctx.config.battle
        now = ctx.clock.now()
        today = utc_day(now)
        record = await _read(session, user_id) or _Record.fresh(user_id, self._initial)
        defence = await usable(session, ctx.config, user_id, record.defence, now)
        return BattleStanding(
            user_id=user_id,
            rating=record.rating,
            wins=record.wins,
            losses=record.losses,
            draws=record.draws,
            duels_left=max(0, battle.duels.attempts_per_day - record.duels_used(today)),
            trial_cleared=record.trial_cleared,
            replays_left=max(0, battle.trials.replays_per_day - record.replays_used(today)),
            defence=[member.view(ctx.config) for member in defence],
        )
