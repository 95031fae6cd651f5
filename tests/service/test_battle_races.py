"""Battle races in separate OS processes, on SQLite and PostgreSQL: two claims of one first clear pay it once (the
other fights a replay); duels both ways between two players neither deadlock nor make rating points; the last duel
of the day is fought once. The ledger and the audit agree afterwards."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from faye.clock import FixedClock
from faye.services.admin import CONSOLE
from tests.conftest import START, assert_conserved, ledger_rows, open_app, register
from tests.service import battle_worker as worker
from tests.service.battle_setup import battlers, fighters

pytestmark = pytest.mark.slow

Call = tuple[str, str, str]
"""(action, user, stage or opponent)."""


def race(db_url: str, calls: list[Call]) -> list[str]:
    """Run every call in its own process at START (seeds 1, 2, …), all released at once by a barrier; their
    outcomes in order."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    with ProcessPoolExecutor(len(calls), mp_context=context, initializer=worker.init, initargs=(barrier,)) as pool:
        futures = [pool.submit(worker.act, db_url, START, seed, *call) for seed, call in enumerate(calls, start=1)]
        return [f.result(timeout=300) for f in futures]


async def audited(db_url: str) -> None:
    async with open_app(db_url) as app:
        assert (await app.admin.audit(CONSOLE)).problems == []
        await assert_conserved(app)


async def test_two_claims_of_one_first_clear_pay_it_once(db_url: str) -> None:
    async with open_app(db_url, FixedClock(START)) as app:
        await fighters(app, "ana")  # a level-cap Esprit: it wins the first stage whatever the seed
        stage = app.config.battle.trials.stages[0]
        limit = app.config.battle.trials.replays_per_day
    outcomes = race(db_url, [("trial", "ana", "1"), ("trial", "ana", "1")])
    assert sorted(outcomes) == ["first_clear", "replay"], outcomes
    async with open_app(db_url, FixedClock(START)) as app:
        rows = await ledger_rows(app, "ana", "trial")
        assert sorted((r.delta, r.reference) for r in rows) == sorted(
            [(stage.first_clear.faylen, "stage 1 first clear"), (stage.replay.faylen, "stage 1 replay")]
        )
        (row,) = await battlers(app)
        assert (row["trial_cleared"], row["trial_replays"]) == (1, 1)
        assert (await app.battles.standing("ana")).replays_left == limit - 1
    await audited(db_url)


async def test_duels_both_ways_at_once_keep_the_ratings_whole(db_url: str) -> None:
    async with open_app(db_url, FixedClock(START)) as app:
        for user in ("ana", "bo"):
            strong, _ = await fighters(app, user)
            await app.battles.set_team(user, [strong.id])
        initial = app.config.battle.duels.rating.initial
    outcomes = race(db_url, [("duel", "ana", "bo"), ("duel", "bo", "ana"), ("duel", "ana", "bo")])
    assert set(outcomes) <= {"won", "lost", "draw"}, outcomes
    async with open_app(db_url) as app:
        rows = {row["user_id"]: row for row in await battlers(app)}
        assert rows["ana"]["rating"] + rows["bo"]["rating"] == 2 * initial
        fought = {user: row["wins"] + row["losses"] + row["draws"] for user, row in rows.items()}
        assert fought == {"ana": 3, "bo": 3}
        assert (rows["ana"]["duels_today"], rows["bo"]["duels_today"]) == (2, 1)
    await audited(db_url)


async def test_the_last_duel_of_the_day_is_fought_once(db_url: str) -> None:
    async with open_app(db_url, FixedClock(START)) as app:
        await fighters(app, "ana")
        bo = (await register(app, "bo")).starter
        await app.battles.set_team("bo", [bo.id])
        limit = app.config.battle.duels.attempts_per_day
        for _ in range(limit - 1):
            await app.battles.duel("ana", "bo")
    outcomes = race(db_url, [("duel", "ana", "bo"), ("duel", "ana", "bo")])
    assert sorted(outcomes)[0] == "attempts_exhausted", outcomes
    assert outcomes.count("attempts_exhausted") == 1, outcomes
    async with open_app(db_url) as app:
        rows = {row["user_id"]: row for row in await battlers(app)}
        assert rows["ana"]["wins"] + rows["ana"]["losses"] + rows["ana"]["draws"] == limit
    await audited(db_url)
