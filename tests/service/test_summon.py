"""Summons: amounts, payment, all-or-nothing refusals, pity across summons, and seeded replay."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import col

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import GameConfig, PityRule, RarityTier
from faye.errors import InsufficientFunds, InvalidAmount, NotRegistered
from faye.models import PULLS, LedgerEntry, PityCounter, UserEsprit
from faye.services.summon import ids_in_pull_order
from tests.conftest import (
    START,
    assert_conserved,
    count_rows,
    fresh_database,
    ledger_rows,
    open_app,
    register,
)

EPIC_HARD = 10


def with_tiers(config: GameConfig, tiers: list[RarityTier]) -> GameConfig:
    return GameConfig(
        esprits=config.esprits,
        tiers=tuple(tiers),
        settings=config.settings,
        visuals=config.visuals,
        stat_icons=config.stat_icons,
        progression=config.progression,
        banners=config.banners,
        battle=config.battle,
    )


def hard_epic_config(config: GameConfig) -> GameConfig:
    """Epic rare on its own (1%) but certain at the 10th pull: most Epics then come from pity."""
    weights = {"Common": 0.6, "Uncommon": 0.25, "Rare": 0.13, "Epic": 0.01, "Mythic": 0.006, "Legendary": 0.004}
    tiers = []
    for tier in config.tiers:
        pity = tier.pity
        if tier.name == "Epic":
            pity = PityRule(soft_start=EPIC_HARD, soft_step=0.5, hard=EPIC_HARD)
        tiers.append(RarityTier(name=tier.name, weight=weights[tier.name], pity=pity))
    assert [t.name for t in tiers] == list(config.tier_names)
    return with_tiers(config, tiers)


async def snapshot(app: FayeApp, user_id: str) -> tuple[object, ...]:
    profile = await app.economy.profile(user_id)
    async with app.context.db.read() as session:
        pity = sorted(
            (r.tier, r.pulls_since)
            for r in (await session.execute(select(PityCounter).where(col(PityCounter.user_id) == user_id))).scalars()
        )
    return (
        profile.faylen,
        profile.virelite,
        profile.gems,
        profile.xp,
        profile.level,
        profile.collection_size,
        await count_rows(app, LedgerEntry, LedgerEntry.user_id == user_id),
        await count_rows(app, UserEsprit, UserEsprit.owner_id == user_id),
        tuple(pity),
    )


async def drain(app: FayeApp, user_id: str) -> int:
    """Spend the summon currency with single pulls until one more cannot be paid; returns what is left."""
    settings = app.config.settings.summon
    balance: int = getattr((await app.economy.profile(user_id)), settings.currency.value)
    while balance >= settings.single_cost:
        result = await app.summons.summon(user_id, 10 if balance >= settings.ten_cost else 1)
        balance = getattr(result.balance, settings.currency.value)
    return balance


@pytest.mark.parametrize("amount", [0, 11, -1, 2])
async def test_invalid_amount_charges_nothing(app: FayeApp, amount: int) -> None:
    await register(app, "u1")
    before = await snapshot(app, "u1")
    with pytest.raises(InvalidAmount) as caught:
        await app.summons.summon("u1", amount)
    assert caught.value.details["amount"] == amount
    assert await snapshot(app, "u1") == before


async def test_unregistered_player_cannot_summon(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.summons.summon("ghost", 1)
    assert await count_rows(app, UserEsprit) == 0


@pytest.mark.parametrize("amount", [1, 10])
async def test_insufficient_funds_changes_nothing(app: FayeApp, config: GameConfig, amount: int) -> None:
    settings = config.settings.summon
    await register(app, "u1")
    left = await drain(app, "u1")
    assert left < settings.single_cost
    before = await snapshot(app, "u1")
    with pytest.raises(InsufficientFunds) as caught:
        await app.summons.summon("u1", amount)
    err = caught.value
    assert err.details == {"currency": settings.currency.value, "needed": settings.cost(amount), "balance": left}
    assert await snapshot(app, "u1") == before
    await assert_conserved(app)


async def test_single_pull_costs_single_cost(app: FayeApp, config: GameConfig) -> None:
    settings = config.settings.summon
    reg = await register(app, "u1")
    result = await app.summons.summon("u1", 1)
    assert (result.cost.currency, result.cost.amount) == (settings.currency.value, settings.single_cost)
    assert len(result.esprits) == 1
    before = getattr(reg.profile, settings.currency.value)
    assert getattr(result.balance, settings.currency.value) == before - settings.single_cost
    rows = await ledger_rows(app, "u1", reason="summon")
    assert [(r.currency, r.delta, r.reference) for r in rows] == [
        (settings.currency.value, -settings.single_cost, "1-pull")
    ]


async def test_ten_pull_costs_ten_cost_and_creates_ten(app: FayeApp, config: GameConfig) -> None:
    settings = config.settings.summon
    currency = settings.currency.value
    reg = await register(app, "u1")
    result = await app.summons.summon("u1", 10)
    assert (result.cost.currency, result.cost.amount) == (currency, settings.ten_cost)
    assert result.xp_gained == 10 * settings.xp_per_pull
    assert len(result.esprits) == 10
    assert len({e.id for e in result.esprits}) == 10
    for esprit in result.esprits:
        definition = config.esprits_by_id[esprit.esprit_id]
        assert (esprit.name, esprit.rarity) == (definition.name, definition.rarity)
    summon_rows = await ledger_rows(app, "u1", reason="summon")
    assert [(r.currency, r.delta, r.reference) for r in summon_rows] == [(currency, -settings.ten_cost, "10-pull")]
    level_up_gain = sum(r.delta for r in await ledger_rows(app, "u1", reason="level_up") if r.currency == currency)
    expected = getattr(reg.profile, currency) - settings.ten_cost + level_up_gain
    assert getattr(result.balance, currency) == expected
    assert getattr(await app.economy.profile("u1"), currency) == expected
    page = await app.collection.inventory("u1", sort="newest", page=1)
    assert page.total == 11
    async with app.context.db.read() as session:
        owned = {
            e.id: e.esprit_data_id
            for e in (await session.execute(select(UserEsprit).where(col(UserEsprit.owner_id) == "u1"))).scalars()
        }
    for esprit in result.esprits:
        assert owned[esprit.id] == esprit.esprit_id
    await assert_conserved(app)


def replay_counters(names: list[str], rank: dict[str, int], rarities: list[str], counters: list[int]) -> list[bool]:
    """Advance `counters` in place through drawn rarities; return per pull whether the Epic was at hard pity."""
    epic = rank["Epic"]
    triggered = []
    for rarity in rarities:
        drawn = rank[rarity]
        triggered.append(drawn == epic and counters[epic] + 1 >= EPIC_HARD)
        for i in range(len(names)):
            counters[i] = 0 if i <= drawn else counters[i] + 1
    return triggered


async def test_epic_hard_pity_window(db_url: str, clock: FixedClock, config: GameConfig) -> None:
    cfg = hard_epic_config(config)
    names = list(cfg.tier_names)
    rank = cfg.tier_rank
    async with open_app(db_url, clock, config=cfg) as app:
        await register(app, "u1")
        await app.admin.grant("admin-1", "u1", cfg.settings.summon.currency.value, 20 * cfg.settings.summon.ten_cost)
        rarities: list[str] = []
        triggered: list[bool] = []
        counters = [0] * len(names)
        for amount in (10, 1, 1, 10, 1, 10, 10, 1, 1, 1, 10, 10):
            result = await app.summons.summon("u1", amount)
            drawn = [e.rarity for e in result.esprits]
            flags = replay_counters(names, rank, drawn, counters)
            assert [e.pity_triggered for e in result.esprits] == flags
            rarities.extend(drawn)
            triggered.extend(flags)
            assert result.pity == {n: counters[i] for i, n in enumerate(names) if cfg.tiers[i].pity is not None}
        assert len(rarities) == 66
        epic = rank["Epic"]
        for start in range(len(rarities) - EPIC_HARD + 1):
            window = rarities[start : start + EPIC_HARD]
            assert max(rank[r] for r in window) >= epic, f"no Epic or higher in pulls {start}..{start + 9}"
        # the pity rule actually did the work in this run
        assert sum(triggered) >= 3
        await assert_conserved(app)


async def test_pity_counters_persist_across_summons(app: FayeApp, config: GameConfig) -> None:
    names = list(config.tier_names)
    await register(app, "u1")
    await app.admin.grant("admin-1", "u1", config.settings.summon.currency.value, 5 * config.settings.summon.ten_cost)
    counters = [0] * len(names)
    for amount in (1, 1, 1, 10, 1, 1, 10, 1):
        result = await app.summons.summon("u1", amount)
        replay_counters(names, config.tier_rank, [e.rarity for e in result.esprits], counters)
        expected = {n: counters[i] for i, n in enumerate(names) if config.tiers[i].pity is not None}
        assert result.pity == expected
        async with app.context.db.read() as session:
            stored = {
                r.tier: r.pulls_since
                for r in (await session.execute(select(PityCounter).where(col(PityCounter.user_id) == "u1"))).scalars()
            }
        assert stored == dict(zip(names, counters, strict=True))


async def test_pity_is_per_player(app: FayeApp, config: GameConfig) -> None:
    await register(app, "u1")
    await register(app, "u2")
    first = await app.summons.summon("u1", 10)
    assert any(v > 0 for v in first.pity.values())
    second = await app.summons.summon("u2", 1)
    assert all(v <= 1 for v in second.pity.values())


async def summon_script(db_url: str, config: GameConfig) -> list[tuple[str, str, int]]:
    async with open_app(db_url, FixedClock(START), seed=99) as app:
        reg = await register(app, "u1")
        await app.admin.grant(
            "admin-1", "u1", config.settings.summon.currency.value, 3 * config.settings.summon.ten_cost
        )
        pulled = [(reg.starter.esprit_id, reg.starter.rarity, reg.starter.id)]
        for amount in (10, 1, 10, 1):
            result = await app.summons.summon("u1", amount)
            pulled.extend((e.name, e.rarity, e.id) for e in result.esprits)
        return pulled


async def test_same_seed_same_results(db_url: str, backend: str, tmp_path: Path, config: GameConfig) -> None:
    first = await summon_script(db_url, config)
    async with fresh_database(backend, tmp_path) as other_url:
        second = await summon_script(other_url, config)
    assert first == second
    assert len(first) == 23
    assert len({rarity for _, rarity, _ in first}) >= 2


async def test_different_seed_differs(db_url: str, backend: str, tmp_path: Path, config: GameConfig) -> None:
    first = await summon_script(db_url, config)
    async with fresh_database(backend, tmp_path) as other_url, open_app(other_url, FixedClock(START), seed=100) as app:
        reg = await register(app, "u1")
        await app.admin.grant(
            "admin-1", "u1", config.settings.summon.currency.value, 3 * config.settings.summon.ten_cost
        )
        pulled = [(reg.starter.esprit_id, reg.starter.rarity, reg.starter.id)]
        for amount in (10, 1, 10, 1):
            result = await app.summons.summon("u1", amount)
            pulled.extend((e.name, e.rarity, e.id) for e in result.esprits)
    assert pulled != first


async def test_pull_records_match_the_esprits_in_pull_order(app: FayeApp) -> None:
    """The ten Esprits are inserted in one statement and matched to their pulls by species: every pull record
    names the Esprit the result shows at its place, with consecutive numbers after the previous summon's."""
    await register(app, "u1")
    first = await app.summons.summon("u1", 1)
    second = await app.summons.summon("u1", 10)
    async with app.context.db.read() as session:
        rows = (
            await session.execute(
                select(PULLS.c.n, PULLS.c.esprit_id, PULLS.c.esprit_data_id)
                .where(PULLS.c.user_id == "u1")
                .order_by(PULLS.c.n)
            )
        ).all()
    shown = [(e.id, e.esprit_id) for e in (*first.esprits, *second.esprits)]
    assert [(pk, species) for _, pk, species in rows] == shown
    assert [n for n, _, _ in rows] == list(range(1, 12))
    assert [pk for pk, _ in shown] == sorted(pk for pk, _ in shown), "ids follow the order of the pulls"


@given(st.lists(st.sampled_from("abc"), min_size=1, max_size=10), st.randoms())
def test_ids_are_matched_to_pulls_by_species_whatever_order_returning_gives(
    species: list[str], rng: random.Random
) -> None:
    returned = [(100 + i, s) for i, s in enumerate(species)]
    shuffled = rng.sample(returned, len(returned))
    ids = ids_in_pull_order(shuffled, species)
    assert ids == [pk for pk, _ in returned]
