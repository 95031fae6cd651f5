"""Reopening the game with changed Esprit definitions updates the static data and never touches players."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from faye import progression
from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import GameConfig
from faye.db import sync_esprit_data
from faye.models import EspritData, LedgerEntry, PityCounter, User, UserEsprit
from faye.settings import DEFAULT_CONFIG_DIR
from tests.conftest import assert_conserved, open_app, register

NEW_ESPRIT = {
    "esprit_id": "brambleglass_wisp",
    "name": "Brambleglass Wisp",
    "rarity": "Rare",
    "element": "Verdant",
    "role": "Support",
    "form": "spirit",
    "description": "A test Esprit added after launch.",
    "stats": {
        "hp": 300,
        "attack": 40,
        "defense": 40,
        "speed": 60,
        "magic": 80,
        "magic_resist": 50,
        "crit_rate": 0.05,
        "dodge": 0.1,
    },
}


async def player_state(app: FayeApp) -> tuple[list[tuple[object, ...]], ...]:
    async with app.context.db.read() as session:
        users: list[tuple[object, ...]] = [
            (u.user_id, u.faylen, u.virelite, u.gems, u.level, u.xp, u.active_esprit_id, u.daily_streak)
            for u in (await session.execute(select(User).order_by(User.user_id))).scalars()
        ]
        esprits: list[tuple[object, ...]] = [
            (e.id, e.owner_id, e.esprit_data_id, e.current_hp, e.current_level, e.current_xp, e.acquired_at)
            for e in (await session.execute(select(UserEsprit).order_by(col(UserEsprit.id)))).scalars()
        ]
        ledger: list[tuple[object, ...]] = [
            (r.id, r.user_id, r.currency, r.delta, r.balance_after)
            for r in (await session.execute(select(LedgerEntry).order_by(col(LedgerEntry.id)))).scalars()
        ]
        pity: list[tuple[object, ...]] = [
            (p.user_id, p.tier, p.pulls_since)
            for p in (
                await session.execute(select(PityCounter).order_by(PityCounter.user_id, PityCounter.tier))
            ).scalars()
        ]
    return users, esprits, ledger, pity


async def test_changed_config_updates_esprit_data_only(
    app: FayeApp, db_url: str, clock: FixedClock, config: GameConfig, tmp_path: Path
) -> None:
    reg = await register(app, "u1")
    await register(app, "u2")
    pulled = await app.summons.summon("u1", 10)
    await app.economy.daily("u2")
    before = await player_state(app)

    changed_id = reg.starter.esprit_id
    in_use = {e for b in config.banners for f in b.featured.values() for e in f.esprits} | {
        enemy.esprit_id for stage in config.battle.trials.stages for enemy in stage.enemies
    }
    removable = next(
        (
            e.esprit_id
            for e in pulled.esprits
            if e.esprit_id not in config.settings.starter_pool
            and e.esprit_id != changed_id
            and e.esprit_id not in in_use  # a banner or a trial naming it would make the edited data invalid
        ),
    )
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    path = config_dir / "esprits.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    old_attack = config.esprits_by_id[changed_id].stats.attack
    for esprit in data["esprits"]:
        if esprit["esprit_id"] == changed_id:
            esprit["name"] = "Renamed Starter"
            esprit["stats"]["attack"] = old_attack + 11
    data["esprits"] = [e for e in data["esprits"] if e["esprit_id"] != removable]
    data["esprits"].append(NEW_ESPRIT)
    path.write_text(json.dumps(data), encoding="utf-8")

    async with open_app(db_url, clock, config_dir=config_dir) as updated:
        assert updated.config.esprits_by_id[changed_id].name == "Renamed Starter"
        async with updated.context.db.read() as session:
            rows = {r.esprit_id: r for r in (await session.execute(select(EspritData))).scalars()}
        assert rows[changed_id].name == "Renamed Starter"
        assert rows[changed_id].base_attack == old_attack + 11
        assert NEW_ESPRIT["esprit_id"] in rows
        new_row = rows[str(NEW_ESPRIT["esprit_id"])]
        assert (new_row.name, new_row.rarity, new_row.base_hp) == ("Brambleglass Wisp", "Rare", 300)
        assert removable in rows, "an Esprit players may own stays in the table when removed from the config"
        assert len(rows) == len(config.esprits) + 1

        assert await player_state(updated) == before
        detail = await updated.collection.esprit("u1", reg.starter.id)
        assert detail.name == "Renamed Starter"
        definition = updated.config.esprits_by_id[changed_id]
        rules = updated.config.progression
        at_level = progression.stats_at(rules, detail.rarity, progression.base_stats(definition), detail.level, 0)
        assert detail.stats["attack"] == at_level["attack"] > old_attack
        page = await updated.collection.inventory("u1", sort="newest", page=1)
        assert page.total == 11
        await assert_conserved(updated)

    async with open_app(db_url, clock) as reverted:  # and back: the shipped definitions win again
        async with reverted.context.db.read() as session:
            row = await session.get(EspritData, changed_id)
            assert row is not None
            assert row.name == config.esprits_by_id[changed_id].name
            assert row.base_attack == old_attack
        assert await player_state(reverted) == before


async def test_reopening_unchanged_config_is_a_no_op(app: FayeApp, db_url: str, clock: FixedClock) -> None:
    await register(app, "u1")
    await app.summons.summon("u1", 1)
    before = await player_state(app)
    async with open_app(db_url, clock) as again:
        assert await player_state(again) == before
        async with again.context.db.read() as session:
            assert await sync_esprit_data(session, again.config) == 0
