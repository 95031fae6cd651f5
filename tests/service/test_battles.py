"""Battles through the service, on both databases: trials (first clear pays once, replays paid and limited per
UTC day, locked and unknown stages), team refusals, XP through the progression rules, duels (Elo, zero-sum,
attempts, defences that left their owner), the rating leaderboard, and the audit afterwards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import update

from faye import progression
from faye.app import FayeApp
from faye.battle.engine import Fighter, fight, fighter
from faye.battle.rating import elo
from faye.clock import FixedClock
from faye.errors import (
    AttemptsExhausted,
    FayeError,
    InvalidArgument,
    NoDefence,
    NotFound,
    NotRegistered,
    SelfDuel,
    StageLocked,
    TeamInvalid,
)
from faye.models import USERS
from faye.results import BattleFighter, BattleReport
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from faye.services.trades import Offer
from tests.conftest import START, assert_conserved, ledger_rows, register
from tests.service.battle_setup import battlers, fighters, set_cleared, snapshot

NEXT_DAY = START.replace(hour=0) + timedelta(days=1)


async def audited(app: FayeApp, *, escrowed: int = 0) -> None:
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    await assert_conserved(app, escrowed=escrowed)


async def refused(app: FayeApp, error: type[FayeError], call: Callable[[], Awaitable[object]]) -> FayeError:
    """`call` raises `error` and changes nothing at all."""
    before = await snapshot(app)
    with pytest.raises(error) as raised:
        await call()
    assert await snapshot(app) == before
    return raised.value


def replayed(app: FayeApp, report: BattleReport) -> list[dict[str, object]]:
    """The log of the battle fought again from the report alone (its teams and seed)."""
    config = app.config

    def team(side: list[BattleFighter]) -> list[Fighter]:
        return [fighter(config.esprits_by_id[f.esprit_id], f.level, f.ascension, config.progression) for f in side]

    battle = fight(team(report.attackers), team(report.defenders), report.seed, config.battle)
    assert (battle.winner, battle.rounds) == (report.winner, report.rounds)
    return [action.to_json() for action in battle.log]


# --- trials ------------------------------------------------------------------------------------------------


async def test_a_first_clear_pays_once_and_then_the_stage_replays(app: FayeApp) -> None:
    strong, _ = await fighters(app, "ana")
    stage = app.config.battle.trials.stages[0]
    before = (await app.economy.profile("ana")).faylen

    first = await app.battles.trial("ana", 1)

    assert (first.kind, first.stage, first.winner) == ("trial", 1, "attacker")
    assert [f.id for f in first.attackers] == [strong.id]
    assert [f.esprit_id for f in first.defenders] == [e.esprit_id for e in stage.enemies]
    assert first.rewards is not None
    assert first.rewards.first_clear
    assert first.rewards.faylen == stage.first_clear.faylen
    assert first.rewards.balance.faylen == before + stage.first_clear.faylen
    assert first.log == replayed(app, first)
    assert first.attempts_left == app.config.battle.trials.replays_per_day  # a first clear is not a replay

    again = await app.battles.trial("ana", 1)

    assert again.winner == "attacker"
    assert again.rewards is not None
    assert not again.rewards.first_clear
    assert again.rewards.faylen == stage.replay.faylen
    assert again.attempts_left == app.config.battle.trials.replays_per_day - 1
    rows = await ledger_rows(app, "ana", "trial")
    assert [(r.delta, r.reference) for r in rows] == [
        (stage.first_clear.faylen, "stage 1 first clear"),
        (stage.replay.faylen, "stage 1 replay"),
    ]
    ladder = await app.battles.trials("ana")
    assert ladder.standing.trial_cleared == 1
    assert [(s.cleared, s.open) for s in ladder.stages[:3]] == [(True, True), (False, True), (False, False)]
    await audited(app)


async def test_replays_are_limited_per_utc_day_and_the_next_day_resets_them(app: FayeApp, clock: FixedClock) -> None:
    await fighters(app, "ana")
    limit = app.config.battle.trials.replays_per_day
    await app.battles.trial("ana", 1)
    left = [(await app.battles.trial("ana", 1)).attempts_left for _ in range(limit)]
    assert left == list(range(limit - 1, -1, -1))

    error = await refused(app, AttemptsExhausted, lambda: app.battles.trial("ana", 1))

    assert error.details["retry_at"] == NEXT_DAY
    assert error.to_dict()["retry_at"] == NEXT_DAY.isoformat()
    assert (await app.battles.standing("ana")).replays_left == 0
    clock.set(NEXT_DAY - timedelta(seconds=1))
    await refused(app, AttemptsExhausted, lambda: app.battles.trial("ana", 1))

    clock.set(NEXT_DAY)
    assert (await app.battles.standing("ana")).replays_left == limit
    assert (await app.battles.trial("ana", 1)).attempts_left == limit - 1
    assert len(await ledger_rows(app, "ana", "trial")) == 1 + limit + 1
    await audited(app)


async def test_a_lost_replay_counts_and_pays_nothing_a_lost_first_try_costs_nothing(app: FayeApp) -> None:
    _, others = await fighters(app, "ana")
    weak = others[0]
    last = len(app.config.battle.trials.stages)
    await app.battles.trial("ana", 1)  # the battler row
    await set_cleared(app, "ana", last - 1)
    limit = app.config.battle.trials.replays_per_day

    lost = await app.battles.trial("ana", last, [weak.id])

    assert lost.winner == "defender"
    assert lost.rewards is None
    assert lost.attempts_left == limit
    assert (await app.battles.standing("ana")).trial_cleared == last - 1
    await set_cleared(app, "ana", last)

    replay = await app.battles.trial("ana", last, [weak.id])

    assert (replay.winner, replay.rewards, replay.attempts_left) == ("defender", None, limit - 1)
    assert [r.reference for r in await ledger_rows(app, "ana", "trial")] == ["stage 1 first clear"]
    assert (await app.collection.esprit("ana", weak.id)).xp == 0
    await audited(app)


async def test_locked_and_unknown_stages_are_refused(app: FayeApp) -> None:
    await fighters(app, "ana")
    stages = len(app.config.battle.trials.stages)

    locked = await refused(app, StageLocked, lambda: app.battles.trial("ana", 2))
    assert (locked.details["stage"], locked.details["cleared"]) == (2, 0)
    for stage in (0, -1, stages + 1, 10**30):
        await refused(app, NotFound, lambda stage=stage: app.battles.trial("ana", stage))  # type: ignore[misc]
    assert await battlers(app) == []
    await refused(app, NotRegistered, lambda: app.battles.trial("nobody", 1))


# --- teams -------------------------------------------------------------------------------------------------


async def test_team_refusals_change_nothing(app: FayeApp, clock: FixedClock) -> None:
    strong, (first, second, third, listed, offered, released, *_) = await fighters(app, "ana")
    bo = (await register(app, "bo")).starter
    await app.auction.create_listing("ana", listed.id, 100)
    await app.trades.offer("ana", "bo", Offer(esprits=(offered.id,)), Offer())
    await app.progression.release("ana", ReleaseSelection(ids=(released.id,)))
    await app.battles.set_team("bo", [bo.id])
    cases: dict[str, list[int]] = {
        "not_owner": [strong.id, bo.id],
        "twice": [first.id, first.id],
        "too_many": [strong.id, first.id, second.id, third.id],
        "empty": [],
        "in_escrow": [listed.id],
        "reserved": [first.id, offered.id],
        "not_found": [released.id],
    }
    for reason, team in cases.items():
        for call in (
            lambda team=team: app.battles.trial("ana", 1, team),
            lambda team=team: app.battles.set_team("ana", team),
            lambda team=team: app.battles.duel("ana", "bo", team),
        ):
            error = await refused(app, TeamInvalid, call)
            assert (error.details["reason"], error.details["field"]) == (reason, "team"), error.message
    await refused(app, InvalidArgument, lambda: app.battles.trial("ana", 1, [0]))
    assert (await app.battles.trial("ana", 1, [strong.id, first.id])).winner == "attacker"
    await audited(app, escrowed=1)


async def test_a_player_without_an_active_esprit_names_a_team(app: FayeApp) -> None:
    strong, _ = await fighters(app, "ana")
    async with app.context.db.write() as session:
        await session.execute(update(USERS).where(USERS.c.user_id == "ana").values(active_esprit_id=None))
    error = await refused(app, TeamInvalid, lambda: app.battles.trial("ana", 1))
    assert error.details["reason"] == "empty"
    assert (await app.battles.trial("ana", 1, [strong.id])).winner == "attacker"


async def test_trial_xp_goes_through_the_progression_rules(app: FayeApp) -> None:
    strong, (fresh, *_) = await fighters(app, "ana")
    rules = app.config.progression
    xp = app.config.battle.trials.stages[0].first_clear.xp
    expected = progression.gain(rules, fresh.rarity, 1, 0, xp, progression.level_cap(rules, 0))
    assert expected.levels_gained >= 1  # the reward is enough to see a level up

    report = await app.battles.trial("ana", 1, [strong.id, fresh.id])

    assert report.winner == "attacker"
    assert report.rewards is not None
    capped, grown = report.rewards.growth
    assert (capped.id, capped.xp_gained, capped.levels_gained) == (strong.id, 0, 0)  # at its level cap
    assert (grown.id, grown.xp_gained, grown.levels_gained, grown.level) == (
        fresh.id,
        expected.xp_gained,
        expected.levels_gained,
        expected.level,
    )
    now = await app.collection.esprit("ana", fresh.id)
    assert (now.level, now.xp) == (expected.level, expected.xp)
    assert now.hp == now.max_hp  # full HP at a new level
    assert (await app.collection.esprit("ana", strong.id)).level == strong.level
    await audited(app)


# --- duels -------------------------------------------------------------------------------------------------


async def test_a_duel_moves_both_ratings_by_elo_and_adds_up(app: FayeApp) -> None:
    await fighters(app, "ana")
    bo_strong, bo_others = await fighters(app, "bo")
    await app.battles.set_team("bo", [bo_strong.id, bo_others[0].id])
    k = app.config.battle.duels.rating.k
    initial = app.config.battle.duels.rating.initial
    ratings = {"ana": initial, "bo": initial}
    record = {"ana": [0, 0, 0], "bo": [0, 0, 0]}
    for _ in range(3):
        report = await app.battles.duel("ana", "bo")
        assert (report.kind, report.opponent) == ("duel", "bo")
        assert report.rating is not None
        assert report.rewards is None
        after = elo(ratings["ana"], ratings["bo"], report.winner, k)  # type: ignore[arg-type]
        assert (report.rating.attacker_before, report.rating.defender_before) == (ratings["ana"], ratings["bo"])
        assert (report.rating.attacker_after, report.rating.defender_after) == after
        assert sum(after) == 2 * initial
        ratings = {"ana": after[0], "bo": after[1]}
        outcome = {"attacker": (0, 1), "defender": (1, 0), "draw": (2, 2)}[report.winner]
        record["ana"][outcome[0]] += 1
        record["bo"][outcome[1]] += 1
        assert [f.id for f in report.defenders] == [bo_strong.id, bo_others[0].id]
        assert report.log == replayed(app, report)
    for user in ("ana", "bo"):
        standing = await app.battles.standing(user)
        assert standing.rating == ratings[user]
        assert [standing.wins, standing.losses, standing.draws] == record[user]
    assert (await app.battles.standing("ana")).duels_left == app.config.battle.duels.attempts_per_day - 3
    assert (await app.battles.standing("bo")).duels_left == app.config.battle.duels.attempts_per_day
    assert await ledger_rows(app, "ana", "trial") == []  # nothing staked, nothing paid
    await audited(app)


async def test_first_duel_at_equal_ratings_moves_half_k(app: FayeApp) -> None:
    await fighters(app, "ana")
    bo = (await register(app, "bo")).starter
    await app.battles.set_team("bo", [bo.id])
    report = await app.battles.duel("ana", "bo")
    assert report.winner == "attacker"
    assert report.rating is not None
    half = app.config.battle.duels.rating.k // 2
    initial = app.config.battle.duels.rating.initial
    assert (report.rating.attacker_after, report.rating.defender_after) == (initial + half, initial - half)


async def test_duels_are_limited_per_day(app: FayeApp, clock: FixedClock) -> None:
    await fighters(app, "ana")
    bo = (await register(app, "bo")).starter
    await app.battles.set_team("bo", [bo.id])
    limit = app.config.battle.duels.attempts_per_day
    left = [(await app.battles.duel("ana", "bo")).attempts_left for _ in range(limit)]
    assert left == list(range(limit - 1, -1, -1))

    error = await refused(app, AttemptsExhausted, lambda: app.battles.duel("ana", "bo"))

    assert error.details["retry_at"] == NEXT_DAY
    clock.set(NEXT_DAY)
    assert (await app.battles.duel("ana", "bo")).attempts_left == limit - 1


async def test_no_defence_when_none_saved_or_none_still_theirs(app: FayeApp, clock: FixedClock) -> None:
    await fighters(app, "ana")
    _, (kept, sold, traded, listed, offered, released, *_) = await fighters(app, "bo")
    await register(app, "cy")
    await refused(app, NoDefence, lambda: app.battles.duel("ana", "bo"))  # no battler row at all
    await refused(app, NoDefence, lambda: app.battles.duel("ana", "cy"))
    await app.battles.set_team("bo", [sold.id, traded.id, listed.id])
    listing = (await app.auction.create_listing("bo", sold.id, 100)).listing
    await app.auction.buy("ana", listing.id)
    trade = await app.trades.offer("bo", "ana", Offer(esprits=(traded.id,)), Offer())
    clock.advance(timedelta(seconds=app.config.settings.trade.confirm_delay_seconds))
    await app.trades.confirm("bo", trade.id)
    await app.trades.confirm("ana", trade.id)
    await app.auction.create_listing("bo", listed.id, 100)
    await refused(app, NoDefence, lambda: app.battles.duel("ana", "bo"))  # sold, traded and in escrow
    assert (await app.battles.standing("bo")).defence == []

    await app.battles.set_team("bo", [kept.id, offered.id, released.id])
    await app.trades.offer("bo", "cy", Offer(esprits=(offered.id,)), Offer())
    await app.progression.release("bo", ReleaseSelection(ids=(released.id,)))
    report = await app.battles.duel("ana", "bo")
    assert [f.id for f in report.defenders] == [kept.id]  # what is left of the defence fights
    await app.progression.release("bo", ReleaseSelection(ids=(kept.id,)))
    await refused(app, NoDefence, lambda: app.battles.duel("ana", "bo"))
    await audited(app, escrowed=1)


async def test_duel_refusals(app: FayeApp) -> None:
    await fighters(app, "ana")
    await refused(app, SelfDuel, lambda: app.battles.duel("ana", "ana"))
    error = await refused(app, NotRegistered, lambda: app.battles.duel("ana", "zed"))
    assert error.details["user_id"] == "zed"
    error = await refused(app, NotRegistered, lambda: app.battles.duel("zed", "ana"))
    assert error.details["user_id"] == "zed"


async def test_a_duel_defaults_to_the_own_defence_then_the_active_esprit(app: FayeApp) -> None:
    strong, (other, *_) = await fighters(app, "ana")
    bo = (await register(app, "bo")).starter
    await app.battles.set_team("bo", [bo.id])
    assert [f.id for f in (await app.battles.duel("ana", "bo")).attackers] == [strong.id]
    await app.battles.set_team("ana", [other.id, strong.id])
    assert [f.id for f in (await app.battles.duel("ana", "bo")).attackers] == [other.id, strong.id]
    assert [f.id for f in (await app.battles.duel("ana", "bo", [other.id])).attackers] == [other.id]


# --- reading -----------------------------------------------------------------------------------------------


async def test_reading_a_standing_writes_nothing(app: FayeApp) -> None:
    await register(app, "ana")
    standing = await app.battles.standing("ana")
    ladder = await app.battles.trials("ana")
    assert await battlers(app) == []
    assert standing.rating == app.config.battle.duels.rating.initial
    assert (standing.trial_cleared, standing.defence) == (0, [])
    assert standing.duels_left == app.config.battle.duels.attempts_per_day
    assert ladder.standing == standing
    assert [s.open for s in ladder.stages] == [True] + [False] * (len(ladder.stages) - 1)
    with pytest.raises(NotRegistered):
        await app.battles.standing("nobody")


async def test_the_leaderboard_by_rating_ranks_battlers_only(app: FayeApp) -> None:
    await fighters(app, "ana")
    bo = (await register(app, "bo")).starter
    cy = (await register(app, "cy")).starter
    await register(app, "dee")  # never battled: not on this board
    await app.battles.set_team("bo", [bo.id])
    await app.battles.set_team("cy", [cy.id])
    report = await app.battles.duel("ana", "bo")
    assert report.rating is not None

    board = await app.leaderboard.top("rating")

    initial = app.config.battle.duels.rating.initial
    expected = sorted(
        [("ana", report.rating.attacker_after, 0), ("bo", report.rating.defender_after, 1), ("cy", initial, 2)],
        key=lambda row: (-row[1], row[2]),  # ties by who joined first
    )
    assert [(e.user_id, e.value) for e in board.entries] == [(u, r) for u, r, _ in expected]
    assert [e.rank for e in board.entries] == [1, 2, 3]
    assert (await app.leaderboard.top("rating", limit=1)).entries[0].user_id == expected[0][0]
