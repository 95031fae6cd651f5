"""Rankings by level, XP, faylen and collection size, with stable tie order (joined first, then id)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import InvalidArgument
from faye.results import Profile
from tests.conftest import register


async def populate(app: FayeApp, clock: FixedClock) -> None:
    """alice joins first; bob a minute later; dave, ben and carol together a minute after (in that order)."""
    await register(app, "alice")
    clock.advance(timedelta(minutes=1))
    await register(app, "bob")
    clock.advance(timedelta(minutes=1))
    for user_id in ("dave", "ben", "carol"):
        await register(app, user_id)
    await app.summons.summon("bob", 10)  # bob: level 2, 11 Esprits
    await app.economy.daily("carol")  # carol: some XP and faylen, still level 1
    await app.admin.grant("admin-1", "dave", "faylen", 5000)


async def expected_order(app: FayeApp, by: str) -> list[tuple[str, int]]:
    profiles = [await app.economy.profile(u) for u in ("alice", "bob", "ben", "carol", "dave")]

    def value(p: Profile) -> int:
        return {"level": p.level, "xp": p.xp, "faylen": p.faylen, "collection": p.collection_size}[by]

    def key(p: Profile) -> tuple[object, ...]:
        primary = (-p.level, -p.xp) if by == "level" else (-value(p),)
        return (*primary, p.created_at, p.user_id)

    return [(p.user_id, value(p)) for p in sorted(profiles, key=key)]


@pytest.mark.parametrize(
    ("by", "order"),
    [
        ("level", ["bob", "carol", "alice", "ben", "dave"]),
        ("xp", ["bob", "carol", "alice", "ben", "dave"]),
        ("faylen", ["dave", "carol", "bob", "alice", "ben"]),
        ("collection", ["bob", "alice", "ben", "carol", "dave"]),
    ],
)
async def test_rankings(app: FayeApp, clock: FixedClock, by: str, order: list[str]) -> None:
    await populate(app, clock)
    board = await app.leaderboard.top(by, limit=10)
    assert board.by == by
    assert [(e.user_id, e.value) for e in board.entries] == await expected_order(app, by)
    assert [e.user_id for e in board.entries] == order
    assert [e.rank for e in board.entries] == [1, 2, 3, 4, 5]
    for entry in board.entries:
        profile = await app.economy.profile(entry.user_id)
        assert entry.level == profile.level
        assert entry.username == profile.username


async def test_limit_cuts_the_list(app: FayeApp, clock: FixedClock) -> None:
    await populate(app, clock)
    full = await app.leaderboard.top("faylen", limit=100)
    top2 = await app.leaderboard.top("faylen", limit=2)
    assert [e.user_id for e in top2.entries] == [e.user_id for e in full.entries[:2]]
    assert len(full.entries) == 5


async def test_default_is_level_top_ten(app: FayeApp, clock: FixedClock) -> None:
    for i in range(12):
        await register(app, f"p{i:02d}")
    board = await app.leaderboard.top()
    assert board.by == "level"
    assert [e.user_id for e in board.entries] == [f"p{i:02d}" for i in range(10)]


async def test_tie_order_is_stable_across_calls(app: FayeApp, clock: FixedClock) -> None:
    await populate(app, clock)
    boards = [[e.user_id for e in (await app.leaderboard.top("collection")).entries] for _ in range(3)]
    assert boards[0] == boards[1] == boards[2]


async def test_empty_leaderboard(app: FayeApp) -> None:
    assert (await app.leaderboard.top("xp")).entries == []


@pytest.mark.parametrize("by", ["gems", "", "Level", "collection_size"])
async def test_unknown_ranking(app: FayeApp, by: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await app.leaderboard.top(by)
    assert caught.value.details["field"] == "by"


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_bad_limit(app: FayeApp, limit: int) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await app.leaderboard.top("level", limit=limit)
    assert caught.value.details["field"] == "limit"
