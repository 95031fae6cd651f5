"""Battles for players: trials (a ladder of enemy teams, first-clear rewards once) and duels (against another
player's saved defence, an Elo rating for both, nothing staked). faye.battle fights; this checks teams, limits
and rewards, in one transaction per battle."""

from __future__ import annotations

from collections.abc import Sequence

from faye.results import BattleReport, BattleStanding, TrialLadder
from faye.services.context import ServiceContext


class BattleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def trials(self, user_id: str) -> TrialLadder:
        """The ladder with the player's progress. Refuses `not_registered`."""
        raise NotImplementedError

    async def trial(self, user_id: str, stage: int, team: Sequence[int] | None = None) -> BattleReport:
        """Fight trial `stage` with `team` (default: the active Esprit). Winning the next uncleared stage pays its
        first-clear reward once; a cleared stage replays for the smaller reward, limited per UTC day (a loss
        counts as an attempt too). Refuses `not_registered`, `not_found` (no such stage), `stage_locked`,
        `team_invalid`, `attempts_exhausted`."""
        raise NotImplementedError

    async def set_team(self, user_id: str, team: Sequence[int]) -> BattleStanding:
        """Save the defence team other players duel. Refuses `not_registered`, `team_invalid`."""
        raise NotImplementedError

    async def duel(self, user_id: str, opponent_id: str, team: Sequence[int] | None = None) -> BattleReport:
        """Fight `opponent_id`'s defence with `team` (default: the player's own defence team, else the active
        Esprit); both ratings move. Refuses `not_registered` (either player), `self_duel`, `no_defence`,
        `team_invalid`, `attempts_exhausted`."""
        raise NotImplementedError

    async def standing(self, user_id: str) -> BattleStanding:
        """Rating, record, today's attempts left, trial progress and defence team. Refuses `not_registered`."""
        raise NotImplementedError
