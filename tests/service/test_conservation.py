"""Random sequences of game actions by three players never create or lose currency.

Each hypothesis example runs on a fresh database. Besides the ledger invariants (checked after every
sequence), a small model predicts which calls must be refused and what the balances must be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faye.clock import FixedClock
from faye.config import Currency, GameConfig
from faye.errors import CooldownActive, FayeError
from faye.results import LevelUp
from tests.conftest import START, assert_conserved, balances, fresh_database, open_app

PLAYERS = ("p1", "p2", "p3")
players = st.sampled_from(PLAYERS)
operations = st.one_of(
    st.tuples(st.just("register"), players),
    st.tuples(st.just("daily"), players),
    st.tuples(st.just("summon"), players, st.sampled_from([1, 10])),
    st.tuples(st.just("set_active"), players, st.integers(0, 200)),
    st.tuples(st.just("advance"), st.sampled_from([1, 12, 23, 24, 25, 47, 49, 100])),
    st.tuples(st.just("grant"), players, st.sampled_from([c.value for c in Currency]), st.integers(1, 5000)),
)


@dataclass
class Player:
    balance: dict[str, int]
    xp: int
    level: int
    last_daily: datetime | None = None
    esprits: list[int] = field(default_factory=list)
    active: int | None = None


@dataclass
class Model:
    config: GameConfig
    players: dict[str, Player] = field(default_factory=dict)
    owners: dict[int, str] = field(default_factory=dict)

    def level_ups(self, player: Player, ups: list[LevelUp], xp: int) -> None:
        curve = self.config.settings.xp
        new_level = max(player.level, curve.level_for(player.xp + xp))
        assert [u.level for u in ups] == list(range(player.level + 1, new_level + 1))
        reward = {c.value: v for c, v in curve.level_up_reward.items() if v}
        for up in ups:
            assert up.rewards == reward
            for currency, amount in up.rewards.items():
                player.balance[currency] += amount
        player.xp += xp
        player.level = new_level


def predict(model: Model, now: datetime, op: tuple[Any, ...]) -> str | None:
    """The error code the game must answer `op` with, or None when it must succeed."""
    config = model.config
    kind, user_id, *args = op
    player = model.players.get(user_id)
    if kind == "register":
        return None if player is None else "already_registered"
    if player is None:
        return "not_registered"
    if kind == "daily":
        cooldown = timedelta(hours=config.settings.daily.cooldown_hours)
        open_ = player.last_daily is None or now >= player.last_daily + cooldown
        return None if open_ else "cooldown_active"
    if kind == "summon":
        summon = config.settings.summon
        return None if player.balance[summon.currency.value] >= summon.cost(args[0]) else "insufficient_funds"
    if kind == "set_active":
        owner = model.owners.get(args[0])
        return "not_found" if owner is None else None if owner == user_id else "not_owner"
    return None  # grant


async def call(app: Any, op: tuple[Any, ...]) -> Any:
    kind, user_id, *args = op
    if kind == "register":
        return await app.onboarding.register(user_id, user_id, policy_accepted=True)
    if kind == "daily":
        return await app.economy.daily(user_id)
    if kind == "summon":
        return await app.summons.summon(user_id, args[0])
    if kind == "set_active":
        return await app.collection.set_active(user_id, args[0])
    if kind == "grant":
        return await app.admin.grant("admin-1", user_id, args[0], args[1])
    raise AssertionError(kind)


async def apply(app: Any, clock: FixedClock, model: Model, op: tuple[Any, ...]) -> None:
    config = model.config
    if op[0] == "advance":
        clock.advance(timedelta(hours=op[1]))
        return
    if op[0] == "set_active":  # pick an existing Esprit (anyone's) by index, or now and then a missing id
        ids = sorted(model.owners)
        op = (op[0], op[1], ids[op[2] % len(ids)] if ids and op[2] < 180 else 1_000_000 + op[2])
    kind, user_id, *args = op
    expected = predict(model, clock.now(), op)
    error: FayeError | None = None
    try:
        result = await call(app, op)
    except FayeError as exc:
        error = exc
    assert (None if error is None else error.code) == expected, f"{op}: got {error!r}"
    player = model.players.get(user_id)
    if error is not None:
        if isinstance(error, CooldownActive):
            assert player is not None
            assert player.last_daily is not None
            opens = player.last_daily + timedelta(hours=config.settings.daily.cooldown_hours)
            assert error.details["next_claim_at"] == opens
        return
    if kind == "register":
        start = config.settings.starting
        model.players[user_id] = Player(
            balance={c.value: v for c, v in start.currencies().items()},
            xp=result.profile.xp,
            level=result.profile.level,
            esprits=[result.starter.id],
            active=result.starter.id,
        )
        model.owners[result.starter.id] = user_id
        return
    assert player is not None
    if kind == "daily":
        player.last_daily = clock.now()
        for currency, amount in result.rewards.items():
            assert amount > 0
            player.balance[currency] += amount
        model.level_ups(player, result.level_ups, config.settings.daily.xp)
    elif kind == "summon":
        summon = config.settings.summon
        player.balance[summon.currency.value] -= summon.cost(args[0])
        model.level_ups(player, result.level_ups, summon.xp_per_pull * args[0])
        assert len(result.esprits) == args[0]
        for esprit in result.esprits:
            assert esprit.id not in model.owners
            model.owners[esprit.id] = user_id
            player.esprits.append(esprit.id)
    elif kind == "set_active":
        assert result.id == args[0]
        player.active = args[0]
    elif kind == "grant":
        player.balance[args[0]] += args[1]
        assert result.balance_after == player.balance[args[0]]
    if kind in ("daily", "summon"):
        assert {c: getattr(result.balance, c) for c in player.balance} == player.balance
        assert (result.balance.xp, result.balance.level) == (player.xp, player.level)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=8, max_size=40))
async def test_random_operations_conserve_currency(
    backend: str, tmp_path: Path, config: GameConfig, ops: list[tuple[Any, ...]]
) -> None:
    clock = FixedClock(START)
    model = Model(config=config)
    async with fresh_database(backend, tmp_path) as url, open_app(url, clock) as app:
        # p1 and p2 start registered so that most sequences play the game; p3 joins only if the ops say so
        for op in [("register", "p1"), ("register", "p2"), *ops]:
            await apply(app, clock, model, op)
        await assert_conserved(app)
        actual = await balances(app)
        expected = {(u, c): p.balance[c] for u, p in model.players.items() for c in p.balance}
        assert actual == expected
        for user_id, player in model.players.items():
            profile = await app.economy.profile(user_id)
            assert (profile.xp, profile.level) == (player.xp, player.level)
            assert profile.collection_size == len(player.esprits)
            assert profile.active_esprit is not None
            assert profile.active_esprit.id == player.active
            assert model.owners[profile.active_esprit.id] == user_id
