"""Registration: policy, starting grant, starter Esprit, duplicates and racing duplicates."""

from __future__ import annotations

import asyncio

import pytest

from faye.app import FayeApp
from faye.config import GameConfig
from faye.errors import AlreadyRegistered, InvalidArgument, NotRegistered, PolicyNotAccepted
from faye.models import LedgerEntry, PityCounter, User, UserEsprit
from tests.conftest import START, AppFactory, assert_conserved, count_rows, ledger_rows, register, user_row


async def test_register_refuses_without_policy(app: FayeApp) -> None:
    with pytest.raises(PolicyNotAccepted) as caught:
        await app.onboarding.register("u1", "Una", policy_accepted=False)
    assert caught.value.code == "policy_not_accepted"
    for model in (User, UserEsprit, LedgerEntry, PityCounter):
        assert await count_rows(app, model) == 0
    with pytest.raises(NotRegistered):
        await app.economy.profile("u1")


async def test_register_grants_the_starting_currencies(app: FayeApp, config: GameConfig) -> None:
    reg = await app.onboarding.register("u1", "Una", policy_accepted=True)
    start = config.settings.starting
    assert (reg.profile.faylen, reg.profile.virelite, reg.profile.gems) == (start.faylen, start.virelite, start.gems)
    assert reg.profile.level == start.level
    assert reg.profile.user_id == "u1"
    assert reg.profile.username == "Una"
    assert reg.profile.created_at == START
    profile = await app.economy.profile("u1")
    assert (profile.faylen, profile.virelite, profile.gems) == (start.faylen, start.virelite, start.gems)
    assert profile.daily_streak == 0
    assert profile.next_daily_at is None
    row = await user_row(app, "u1")
    assert row is not None
    assert row.policy_accepted_at == START


async def test_register_gives_an_active_starter_from_the_pool(app: FayeApp, config: GameConfig) -> None:
    reg = await register(app, "u1")
    assert reg.starter.esprit_id in config.settings.starter_pool
    assert reg.starter.active is True
    assert reg.starter.name == config.esprits_by_id[reg.starter.esprit_id].name
    assert reg.starter.hp == config.esprits_by_id[reg.starter.esprit_id].stats.hp
    profile = await app.economy.profile("u1")
    assert profile.collection_size == 1
    assert profile.active_esprit is not None
    assert profile.active_esprit.id == reg.starter.id
    page = await app.collection.inventory("u1")
    assert [e.id for e in page.items] == [reg.starter.id]
    assert page.items[0].active


async def test_register_creates_pity_counters(app: FayeApp, config: GameConfig) -> None:
    await register(app, "u1")
    assert await count_rows(app, PityCounter, PityCounter.user_id == "u1") == len(config.tier_names)


async def test_second_registration_is_refused(app: FayeApp, config: GameConfig) -> None:
    await register(app, "u1")
    with pytest.raises(AlreadyRegistered) as caught:
        await app.onboarding.register("u1", "Someone Else", policy_accepted=True)
    assert caught.value.details["user_id"] == "u1"
    profile = await app.economy.profile("u1")
    assert profile.username == "U1"
    assert profile.gems == config.settings.starting.gems
    assert profile.collection_size == 1
    assert len(await ledger_rows(app, "u1")) == sum(1 for v in config.settings.starting.currencies().values() if v)


async def test_ledger_records_the_starting_grant(app: FayeApp, config: GameConfig) -> None:
    await register(app, "u1")
    rows = await ledger_rows(app, "u1")
    expected = {c.value: v for c, v in config.settings.starting.currencies().items() if v}
    assert {r.currency: r.delta for r in rows} == expected
    assert all(r.reason == "starting_grant" for r in rows)
    assert all(r.balance_after == r.delta for r in rows)
    assert all(r.created_at == START for r in rows)
    assert len(rows) == len(expected)
    await assert_conserved(app)


async def test_blank_username_falls_back_to_the_id(app: FayeApp) -> None:
    reg = await app.onboarding.register("u1", "   ", policy_accepted=True)
    assert reg.profile.username == "u1"


@pytest.mark.parametrize("user_id", ["", "   ", "x" * 65])
async def test_bad_user_id_is_refused(app: FayeApp, user_id: str) -> None:
    with pytest.raises(InvalidArgument):
        await app.onboarding.register(user_id, "Name", policy_accepted=True)
    assert await count_rows(app, User) == 0


async def test_too_long_username_is_refused(app: FayeApp) -> None:
    with pytest.raises(InvalidArgument):
        await app.onboarding.register("u1", "n" * 101, policy_accepted=True)
    assert await count_rows(app, User) == 0


async def test_concurrent_registration_of_one_id(app: FayeApp, app_factory: AppFactory, config: GameConfig) -> None:
    apps = [await app_factory() for _ in range(10)]
    results = await asyncio.gather(
        *(a.onboarding.register("racer", f"Racer {i}", policy_accepted=True) for i, a in enumerate(apps)),
        return_exceptions=True,
    )
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, AlreadyRegistered)]
    assert not unexpected, unexpected
    wins = [r for r in results if not isinstance(r, BaseException)]
    assert len(wins) == 1
    assert sum(isinstance(r, AlreadyRegistered) for r in results) == 9
    assert await count_rows(app, User) == 1
    assert await count_rows(app, UserEsprit) == 1
    assert await count_rows(app, PityCounter) == len(config.tier_names)
    profile = await app.economy.profile("racer")
    assert profile.gems == config.settings.starting.gems
    assert profile.username == wins[0].profile.username
    await assert_conserved(app)


async def test_ensure_new_refuses_a_registered_player(app: FayeApp) -> None:
    """Front-ends ask before showing the policy, so a player who has joined is not asked to accept again."""
    await app.onboarding.ensure_new("u1")  # nobody yet: nothing to refuse
    await register(app, "u1")
    with pytest.raises(AlreadyRegistered):
        await app.onboarding.ensure_new("u1")
